"""Drawing for the 3-D scene generator (:mod:`.render3d`): a pinhole camera,
textures, the room (floor, wall, cot, mattress) as a background plate, and the painter's
algorithm for shaded quads (infant, caregiver, blanket, cot bars).

World frame: metres, ``z`` up, the mattress top at ``z = 0``. Images are RGB ``uint8``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from spasmwatch.testing.video.render3d_body import EYE_X, EYE_Y, MOUTH_X
from spasmwatch.testing.video.render3d_geom import X_AXIS, Posed, cross

SHIFT = 4  # sub-pixel bits for OpenCV polygon drawing


ONE = 1 << SHIFT


NEAR = 0.03  # metres: anything closer to the camera is not drawn


SHADE_LEVELS = 20


@dataclass
class Camera:
    """A pinhole camera: world -> camera rotation ``R`` (rows: right, down, forward)."""

    R: np.ndarray
    C: np.ndarray
    f: float
    cx: float
    cy: float
    width: int
    height: int

    def to_cam(self, X: np.ndarray) -> np.ndarray:
        return (X - self.C) @ self.R.T

    def project(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pixel coordinates (n, 2) and depths (n,) of world points (n, 3)."""
        c = self.to_cam(X)
        z = c[:, 2]
        zs = np.maximum(z, 1e-6)
        uv = np.column_stack([self.f * c[:, 0] / zs + self.cx, self.f * c[:, 1] / zs + self.cy])
        return uv, z

    def K(self) -> np.ndarray:
        return np.array([[self.f, 0, self.cx], [0, self.f, self.cy], [0, 0, 1.0]])

    def plane_h(self) -> np.ndarray:
        """Homography from the mattress plane (world x, y at z = 0) to pixels."""
        t = -self.R @ self.C
        return self.K() @ np.column_stack([self.R[:, 0], self.R[:, 1], t])

    def moved(self, dt: np.ndarray, drot: np.ndarray) -> Camera:
        """The camera shifted by ``dt`` (camera axes, m) and turned by ``drot`` (rad)."""
        ang = float(np.linalg.norm(drot))
        if ang > 1e-12:
            k = drot / ang
            Kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
            dR = np.eye(3) + np.sin(ang) * Kx + (1 - np.cos(ang)) * Kx @ Kx
        else:
            dR = np.eye(3)
        R = dR @ self.R
        C = self.C + self.R.T @ dt
        return Camera(R, C, self.f, self.cx, self.cy, self.width, self.height)


def look_at(
    C: np.ndarray, target: np.ndarray, up: np.ndarray, roll: float, f: float, w: int, h: int
) -> Camera:
    """A camera at ``C`` looking at ``target`` with ``up`` towards the top of the image."""
    fwd = target - C
    fwd = fwd / np.linalg.norm(fwd)
    right = cross(fwd, up)
    if np.linalg.norm(right) < 1e-6:
        right = cross(fwd, X_AXIS)
    right /= np.linalg.norm(right)
    down = cross(fwd, right)
    c, s = np.cos(roll), np.sin(roll)
    r2, d2 = c * right + s * down, -s * right + c * down
    return Camera(np.vstack([r2, d2, fwd]), C.astype(float), f, w / 2, h / 2, w, h)


# --------------------------------------------------------------------------------------------
# Planes


@dataclass
class Plane:
    """A textured rectangle: ``origin`` + u * ``eu`` + v * ``ev`` for u, v in [0, 1]."""

    origin: np.ndarray
    eu: np.ndarray
    ev: np.ndarray
    texture: np.ndarray
    shade: float = 1.0


def _clip_near(poly_cam: np.ndarray) -> np.ndarray:
    """Clip a polygon (camera coordinates) to the half-space in front of the near plane."""
    out = []
    n = len(poly_cam)
    for i in range(n):
        a, b = poly_cam[i], poly_cam[(i + 1) % n]
        ina, inb = a[2] >= NEAR, b[2] >= NEAR
        if ina:
            out.append(a)
        if ina != inb:
            s = (NEAR - a[2]) / (b[2] - a[2])
            out.append(a + s * (b - a))
    return np.array(out)


def draw_plane(img: np.ndarray, cam: Camera, plane: Plane) -> None:
    """Warp a plane's texture into the image (perspective), masked to its visible polygon."""
    corners = np.array(
        [
            plane.origin,
            plane.origin + plane.eu,
            plane.origin + plane.eu + plane.ev,
            plane.origin + plane.ev,
        ]
    )
    poly = _clip_near(cam.to_cam(corners))
    if len(poly) < 3:
        return
    uv = np.column_stack(
        [cam.f * poly[:, 0] / poly[:, 2] + cam.cx, cam.f * poly[:, 1] / poly[:, 2] + cam.cy]
    )
    th, tw = plane.texture.shape[:2]
    # texture pixel -> world -> image
    A = np.column_stack([plane.eu / tw, plane.ev / th, plane.origin])
    P = cam.K() @ np.hstack([cam.R, (-cam.R @ cam.C)[:, None]])
    H = P @ np.vstack([A, [0, 0, 1]])
    h, w = img.shape[:2]
    warped = cv2.warpPerspective(
        plane.texture, H, (w, h), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE
    )
    mask = np.zeros((h, w), np.uint8)
    cv2.fillPoly(mask, [np.round(uv * ONE).astype(np.int32)], 255, cv2.LINE_AA, SHIFT)
    if plane.shade != 1.0:
        warped = cv2.convertScaleAbs(warped, alpha=plane.shade)
    m = mask.astype(np.float32)[..., None] / 255.0
    img[:] = (img * (1 - m) + warped * m).astype(np.uint8)


def plane_from_rect(
    centre: np.ndarray, a: np.ndarray, b: np.ndarray, texture: np.ndarray, shade: float = 1.0
) -> Plane:
    """A plane from its centre and its two half-edge vectors."""
    return Plane(centre - a - b, 2 * a, 2 * b, texture, shade)


def lambert(normal: np.ndarray, light: Light) -> float:
    """Shade of a flat surface with this normal."""
    return float(light.ambient + light.diffuse * max(0.0, float(normal @ light.direction)))


# --------------------------------------------------------------------------------------------
# Shaded quads (painter's algorithm)


@dataclass
class Light:
    """A directional light (unit vector towards the light) with ambient and diffuse parts."""

    direction: np.ndarray
    ambient: float = 0.48
    diffuse: float = 0.6


def draw_mesh(img: np.ndarray, cam: Camera, item: Posed, light: Light) -> bool:
    """Draw one posed mesh (see :func:`draw_items`); False when nothing was drawn."""
    return draw_items(img, cam, [item], light) > 0


_STATIC: dict[tuple[int, ...], dict] = {}


def _static(items: list[Posed]) -> dict:
    """Index arrays of a list of meshes, kept for the next frame with the same meshes."""
    key = tuple(id(it.mesh) for it in items)
    hit = _STATIC.get(key)
    if hit is not None and all(
        a is b for a, b in zip(hit["meshes"], (it.mesh for it in items), strict=True)
    ):
        return hit
    meshes = [it.mesh for it in items]
    nv = np.array([len(m.verts) for m in meshes])
    nf = np.array([len(m.quads) for m in meshes])
    v_off = np.concatenate([[0], np.cumsum(nv)[:-1]])
    seg_f = np.repeat(np.arange(len(meshes)), nf)
    p_off = np.concatenate([[0], np.cumsum([len(m.palette) for m in meshes])[:-1]])
    st = {
        "meshes": meshes,
        "nv": nv,
        "v_off": v_off,
        "seg_f": seg_f,
        "quads": np.concatenate([m.quads for m in meshes]) + np.repeat(v_off, nf)[:, None],
        "palette": np.concatenate([m.palette for m in meshes]),
        "cid": np.concatenate([m.colour_id for m in meshes]) + p_off[seg_f],
    }
    if len(_STATIC) > 32:  # a few lists per scene; forget old scenes
        _STATIC.clear()
    _STATIC[key] = st
    return st


def draw_items(
    img: np.ndarray,
    cam: Camera,
    items: list[Posed],
    light: Light,
    after: dict[str, Callable[[], None]] | None = None,
) -> int:
    """Draw posed meshes back to front (painter's algorithm) with Lambert shading.

    Pieces are sorted by mean depth. Within a piece only the front-facing quads are drawn:
    those of a convex piece never overlap, so one ``fillPoly`` per (colour, shade level)
    group is exact. ``after[name]`` is called once that piece is drawn (the face goes on
    the head before anything nearer covers it). Quads closer than the near plane are left
    out. Returns the number of pieces drawn.
    """
    if not items:
        return 0
    k = len(items)
    st = _static(items)
    V = np.concatenate([it.world_verts() for it in items])
    N = np.concatenate([it.rest_normals() @ it.R.T for it in items])
    nv, v_off, seg_f, quads = st["nv"], st["v_off"], st["seg_f"], st["quads"]
    palette, cid = st["palette"], st["cid"]
    c = (V - cam.C) @ cam.R.T
    z = c[:, 2]
    depth = np.add.reduceat(z, v_off) / nv
    rank = np.empty(k, dtype=np.int64)
    rank[np.argsort(-depth, kind="stable")] = np.arange(k)
    zs = np.maximum(z, NEAR)
    uv = np.empty((len(V), 2))
    uv[:, 0] = cam.f * c[:, 0] / zs + cam.cx
    uv[:, 1] = cam.f * c[:, 1] / zs + cam.cy
    centres = V[quads].mean(axis=1)
    front = np.einsum("ij,ij->i", N, cam.C - centres) > 0
    # Quads reaching behind the near plane are left out (a cot bar beside the lens).
    keep = np.flatnonzero(front & (z[quads].min(axis=1) >= NEAR))
    if not len(keep):
        return 0
    ok = np.bincount(seg_f[keep], minlength=k) > 0
    lam = np.clip(N[keep] @ light.direction, 0, None)
    shade = light.ambient + light.diffuse * lam + 0.08 * N[keep, 2]  # + light from the room
    level = np.clip(np.round(shade * SHADE_LEVELS / 1.25), 0, SHADE_LEVELS).astype(np.int64)
    key = (rank[seg_f[keep]] * len(palette) + cid[keep]) * (SHADE_LEVELS + 1) + level
    order = np.argsort(key, kind="stable")
    keep, key = keep[order], key[order]
    pts = np.round(uv[quads[keep]] * ONE).astype(np.int32)
    bounds = np.concatenate([[0], np.flatnonzero(np.diff(key)) + 1, [len(key)]])
    pending: list[tuple[int, Callable[[], None]]] = []
    if after:
        for i, it in enumerate(items):
            if it.name in after and ok[i]:
                pending.append((int(rank[i]), after[it.name]))
        pending.sort(key=lambda x: x[0])
    per_rank = len(palette) * (SHADE_LEVELS + 1)
    for a, b in itertools.pairwise(bounds):
        kk = int(key[a])
        r = kk // per_rank
        while pending and pending[0][0] < r:
            pending.pop(0)[1]()
        lev = kk % (SHADE_LEVELS + 1)
        col = palette[(kk // (SHADE_LEVELS + 1)) % len(palette)] * (lev * 1.25 / SHADE_LEVELS)
        cv2.fillPoly(img, pts[a:b], np.minimum(col, 255).tolist(), cv2.LINE_8, SHIFT)
    for _, cb in pending:
        cb()
    return int(ok.sum())


# --------------------------------------------------------------------------------------------
# The face


def _surface(radii: np.ndarray, x: float, y: float) -> tuple[np.ndarray, np.ndarray]:
    """Point on the front of the head ellipsoid at height ``x`` and width ``y``, its normal."""
    rx, ry, rz = radii
    z = rz * np.sqrt(max(1e-4, 1 - (x / rx) ** 2 - (y / ry) ** 2))
    p = np.array([x, y, z])
    n = p / radii**2
    return p, n / np.linalg.norm(n)


def draw_face(
    img: np.ndarray,
    cam: Camera,
    head_R: np.ndarray,
    head_c: np.ndarray,
    radii: np.ndarray,
    face: dict[str, float],
    skin: np.ndarray,
    eye_col: tuple[int, int, int],
    gain: float,
) -> None:
    """Eyes (open, closed or rolled up), brows and mouth (neutral, open, grimace, sucking)."""
    s = radii[0] / 0.068

    def to_img(local: np.ndarray) -> np.ndarray:
        uv, _ = cam.project(head_c + local @ head_R.T)
        return np.round(uv * ONE).astype(np.int32)

    def facing(p: np.ndarray, n: np.ndarray) -> bool:
        w = head_c + head_R @ p
        return float((head_R @ n) @ (cam.C - w)) > 0.15 * float(np.linalg.norm(cam.C - w))

    def patch(p: np.ndarray, n: np.ndarray, pts2: np.ndarray) -> np.ndarray:
        """Local 2-D points (height, width) on the tangent plane at ``p``."""
        tx = X_AXIS - n * n[0]
        tx /= np.linalg.norm(tx)
        ty = cross(n, tx)
        return p + pts2[:, :1] * tx + pts2[:, 1:] * ty + n * 0.0015 * s

    dark = tuple(float(v) for v in np.clip(skin * 0.45 * gain, 0, 255))
    open_ = float(np.clip(face["eyes_open"], 0, 1))
    roll = float(np.clip(face["eye_roll"], 0, 1))
    grim = float(np.clip(face["grimace"], 0, 1))
    open_eff = open_ * (1 - 0.45 * grim)
    ang = np.linspace(0, 2 * np.pi, 12, endpoint=False)
    for sg in (-1.0, 1.0):
        p, n = _surface(radii, EYE_X * s, sg * EYE_Y * s)
        if not facing(p, n):
            continue
        a, b = 0.0085 * s, 0.0052 * s * open_eff
        if open_eff > 0.15:
            sclera = np.column_stack([b * np.sin(ang), a * np.cos(ang)])
            cv2.fillPoly(
                img,
                [to_img(patch(p, n, sclera))],
                (226 * gain, 226 * gain, 220 * gain),
                cv2.LINE_8,
                SHIFT,
            )
            # The iris moves up under the lid when the eyes roll up.
            r_i = 0.0047 * s
            cx = (-0.0008 + roll * 0.0062) * s
            iris = np.column_stack([cx + r_i * np.sin(ang), r_i * np.cos(ang)])
            q = (iris[:, 0] / max(b, 1e-6)) ** 2 + (iris[:, 1] / a) ** 2
            iris[q > 1] /= np.sqrt(q[q > 1])[:, None]
            col = tuple(float(v) * gain for v in eye_col)
            cv2.fillPoly(img, [to_img(patch(p, n, iris))], col, cv2.LINE_8, SHIFT)
            lid = np.column_stack([b * np.sin(ang[:7]), a * np.cos(ang[:7])])
            cv2.polylines(img, [to_img(patch(p, n, lid))], False, dark, 1, cv2.LINE_AA, SHIFT)
        else:
            arc = np.linspace(0, np.pi, 7)
            lash = np.column_stack([-0.0015 * s * np.sin(arc), a * np.cos(arc)])
            cv2.polylines(img, [to_img(patch(p, n, lash))], False, dark, 1, cv2.LINE_AA, SHIFT)
        if grim > 0.3:
            pb, nb = _surface(radii, (EYE_X + 0.014) * s, sg * (EYE_Y - 0.002) * s)
            brow = np.array([[-0.002 * grim, -0.007 * s * sg], [0.001, 0.006 * s * sg]])
            cv2.polylines(img, [to_img(patch(pb, nb, brow))], False, dark, 1, cv2.LINE_AA, SHIFT)
    p, n = _surface(radii, MOUTH_X * s, 0.0)
    if facing(p, n):
        mouth = float(np.clip(face["mouth"], 0, 1))
        a = (0.0105 + 0.005 * grim) * s
        b = (0.0016 + 0.0075 * mouth) * s
        u = np.cos(ang)
        pts = np.column_stack([b * np.sin(ang) - 0.004 * s * grim * u**2, a * u])
        inner = (150, 70, 70) if mouth < 0.25 else (90, 30, 34)
        col = tuple(float(v) * gain for v in inner)
        cv2.fillPoly(img, [to_img(patch(p, n, pts))], col, cv2.LINE_8, SHIFT)


# --------------------------------------------------------------------------------------------
# Blanket and shadow


class Blanket:
    """A blanket draped over the legs: a height field over a grid on the mattress.

    Parameters
    ----------
    origin, eu, ev : the blanket's rectangle on the mattress (world), ``ev`` towards the head.
    palette : (k, 3) colours; ``cid`` (nv-1, nu-1) the colour of each cell.
    """

    def __init__(
        self,
        origin: np.ndarray,
        eu: np.ndarray,
        ev: np.ndarray,
        nu: int,
        nv: int,
        palette: np.ndarray,
        cid: np.ndarray,
        thickness: float = 0.012,
    ) -> None:
        self.nu, self.nv = nu, nv
        uu, vv = np.meshgrid(np.linspace(0, 1, nu), np.linspace(0, 1, nv))
        self.xy = origin[None, None, :2] + uu[..., None] * eu[:2] + vv[..., None] * ev[:2]
        self.palette = palette
        self.cid = cid.ravel()
        self.thick = thickness
        i = np.arange(nv - 1)[:, None] * nu + np.arange(nu - 1)[None, :]
        self.quads = np.stack([i, i + 1, i + nu + 1, i + nu], axis=-1).reshape(-1, 4)
        # The edges droop to the mattress; the top edge is folded over (thicker).
        self.droop = np.zeros((nv, nu), bool)
        self.droop[:, 0] = self.droop[:, -1] = self.droop[0, :] = True

    def heights(self, pieces: list[Posed]) -> np.ndarray:
        """The blanket's height over each grid point, resting on what lies under it."""
        q = self.xy.reshape(-1, 2)
        h = np.full(len(q), self.thick)
        for it in pieces:
            # Each piece as a fat line along its long axis.
            m = it.mesh
            cen = it.p + it.R @ m.centre
            ax = it.R @ m.axis
            a, b = cen - ax * m.half * 0.8, cen + ax * m.half * 0.8
            r = max(min(0.85 * m.radius, 0.08), 0.015) + 0.02
            d = b[:2] - a[:2]
            L2 = float(d @ d)
            s = np.clip(((q - a[:2]) @ d) / L2, 0, 1) if L2 > 1e-8 else np.zeros(len(q))
            foot = a[:2] + s[:, None] * d
            dist = np.linalg.norm(q - foot, axis=1)
            zc = a[2] + s * (b[2] - a[2])
            top = zc + np.sqrt(np.clip(r**2 - dist**2, 0, None)) - 0.01
            h = np.maximum(h, np.where(dist < r, top + self.thick, 0))
        h = h.reshape(self.nv, self.nu)
        h = cv2.GaussianBlur(h.astype(np.float32), (5, 5), 1.0)
        h[-1, :] += 0.012
        h[self.droop] = 0.004
        return np.maximum(h, 0.004)

    def draw(self, img: np.ndarray, cam: Camera, pieces: list[Posed], light: Light) -> None:
        """Draw the blanket: flat cells grouped, raised cells one by one back to front."""
        h = self.heights(pieces)
        P = np.concatenate([self.xy, h[..., None]], axis=-1).reshape(-1, 3)
        c = cam.to_cam(P)
        if c[:, 2].min() < NEAR:
            return
        uv = np.column_stack(
            [cam.f * c[:, 0] / c[:, 2] + cam.cx, cam.f * c[:, 1] / c[:, 2] + cam.cy]
        )
        Q = P[self.quads]
        n = np.cross(Q[:, 2] - Q[:, 0], Q[:, 3] - Q[:, 1])
        n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
        n *= np.sign(n[:, 2:3] + 1e-9)
        shade = light.ambient + light.diffuse * np.clip(n @ light.direction, 0, None)
        col = self.palette[self.cid] * shade[:, None]
        pts = np.round(uv[self.quads] * ONE).astype(np.int32)
        raised = Q[:, :, 2].max(axis=1) > self.thick + 0.006
        flat = ~raised
        levels = np.round(shade * 16).astype(int)
        key = self.cid * 64 + levels
        for k in np.unique(key[flat]):
            sel = flat & (key == k)
            cv2.fillPoly(img, pts[sel], col[sel][0].tolist(), cv2.LINE_8, SHIFT)
        idx = np.flatnonzero(raised)
        depth = c[self.quads[idx]].mean(axis=1)[:, 2]
        for i in idx[np.argsort(depth)[::-1]]:
            cv2.fillPoly(img, pts[i : i + 1], col[i].tolist(), cv2.LINE_8, SHIFT)


def draw_shadow(
    img: np.ndarray, cam: Camera, pieces: list[Posed], light: Light, strength: float
) -> None:
    """A soft contact shadow under the body on the mattress (drawn at quarter size)."""
    if not pieces:
        return
    h, w = img.shape[:2]
    q = 4
    mask = np.zeros((h // q + 1, w // q + 1), np.float32)
    L = light.direction
    cen = np.array([it.p + it.R @ it.mesh.centre for it in pieces])
    ax = np.array([it.R @ it.mesh.axis for it in pieces])
    half = np.array([it.mesh.half for it in pieces])[:, None]
    rad = np.array([it.mesh.radius for it in pieces])
    height = np.maximum(cen[:, 2], 0.0)
    ground = cen - L[None, :] * (cen[:, 2:3] / max(float(L[2]), 0.3))
    ends = np.concatenate([ground - ax * half * 0.7, ground + ax * half * 0.7])
    ends[:, 2] = 0.0
    uv, z = cam.project(ends)
    k = len(pieces)
    a = np.round(uv / q * ONE).astype(np.int32)
    zz = 0.5 * (z[:k] + z[k:])
    # Wider than the piece: the soft shadow of a curved body reaches past its outline.
    th = np.maximum(1, (cam.f * (rad * 2.0 + 0.02) / np.maximum(zz, NEAR) / q)).astype(int)
    weight = np.exp(-height / 0.12)
    for i in range(k):
        if min(z[i], z[k + i]) < NEAR:
            continue
        cv2.line(
            mask,
            (int(a[i, 0]), int(a[i, 1])),
            (int(a[k + i, 0]), int(a[k + i, 1])),
            float(weight[i]),
            int(th[i]),
            cv2.LINE_8,
            SHIFT,
        )
    dist = float(np.linalg.norm(cam.C - cen[0]))
    sigma = max(1.0, cam.f * 0.02 / max(dist, 0.2) / q)
    mask = cv2.GaussianBlur(np.minimum(mask, 1.0), (0, 0), sigma)
    m8 = np.clip(mask * (255 * strength), 0, 255).astype(np.uint8)
    m8 = cv2.resize(m8, (m8.shape[1] * q, m8.shape[0] * q))[:h, :w]
    dark = cv2.multiply(img, cv2.cvtColor(m8, cv2.COLOR_GRAY2RGB), scale=1 / 255)
    cv2.subtract(img, dark, dst=img)
