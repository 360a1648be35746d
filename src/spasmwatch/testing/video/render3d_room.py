"""The room for the 3-D scene generator (:mod:`.render3d`): textures (sheet,
floor, wall), the cot (mattress, bars and rails) placed around the infant and the camera,
the background plate, a blanket's colours and the lens fall-off.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from spasmwatch.testing.video.render3d_draw import (
    ONE,
    SHIFT,
    Blanket,
    Camera,
    Light,
    draw_items,
    draw_plane,
    lambert,
    plane_from_rect,
)
from spasmwatch.testing.video.render3d_geom import (
    X_AXIS,
    Y_AXIS,
    Z_AXIS,
    Mesh,
    Posed,
    capsule,
    merge,
)
from spasmwatch.testing.video.render3d_plan import Scene3DSpec

# --------------------------------------------------------------------------------------------
# Textures (RGB images; scale given in metres per pixel by the caller)


def _noise(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    x = cv2.GaussianBlur(rng.normal(size=shape).astype(np.float32), (0, 0), sigma)
    return x / max(float(x.std()), 1e-6)


def sheet_texture(rng: np.random.Generator, kind: str, w: int, h: int, px_m: float) -> np.ndarray:
    """A fitted sheet or mat: ``plaid``, ``stars`` or ``knit`` (plain with knit noise)."""
    pastel = np.array(
        [
            (236, 236, 232),
            (214, 228, 240),
            (240, 222, 226),
            (226, 236, 214),
            (246, 238, 212),
            (200, 200, 210),
            (60, 74, 110),
            (232, 214, 196),
        ],
        dtype=np.float32,
    )
    base = pastel[int(rng.integers(len(pastel)))]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "plaid":
        img = np.empty((h, w, 3), np.float32)
        img[:] = base
        cols = pastel[rng.permutation(len(pastel))[:3]] * 0.85
        for k, col in enumerate(cols):
            period = rng.uniform(0.05, 0.12) / px_m
            width = rng.uniform(0.15, 0.35) * period
            off = rng.uniform(0, period)
            for coord in (xx, yy):
                band = ((coord + off + k * period / 3) % period) < width
                img[band] = 0.55 * img[band] + 0.45 * col
        img *= 1 + 0.05 * _noise(rng, (h, w), 0.6)[..., None]
    elif kind == "stars":
        img = np.empty((h, w, 3), np.float32)
        img[:] = base
        star_col = pastel[int(rng.integers(len(pastel)))] * rng.uniform(0.6, 0.9)
        if np.abs(star_col - base).sum() < 60:
            star_col = 255 - base * 0.6
        spacing = rng.uniform(0.06, 0.1) / px_m
        r_star = rng.uniform(0.008, 0.014) / px_m
        for gy in np.arange(spacing / 2, h, spacing):
            for gx in np.arange(spacing / 2 + (gy // spacing % 2) * spacing / 2, w, spacing):
                cx, cy = gx + rng.normal(0, spacing * 0.12), gy + rng.normal(0, spacing * 0.12)
                ang = rng.uniform(0, 2 * np.pi) + np.arange(10) * np.pi / 5
                rad = np.where(np.arange(10) % 2 == 0, r_star, r_star * 0.45)
                pts = np.column_stack([cx + rad * np.cos(ang), cy + rad * np.sin(ang)])
                cv2.fillPoly(
                    img,
                    [np.round(pts * ONE).astype(np.int32)],
                    star_col.tolist(),
                    cv2.LINE_AA,
                    SHIFT,
                )
        img *= 1 + 0.04 * _noise(rng, (h, w), 0.6)[..., None]
    else:
        img = np.empty((h, w, 3), np.float32)
        img[:] = base
        rib = 0.03 * np.sin(xx * px_m * 2 * np.pi / 0.004)
        img *= (1 + rib + 0.06 * _noise(rng, (h, w), 0.7) + 0.03 * _noise(rng, (h, w), 3))[
            ..., None
        ]
    # Wrinkles and soft folds: low-frequency shading.
    img *= (1 + 0.06 * _noise(rng, (h, w), 0.05 / px_m))[..., None]
    return np.clip(img, 0, 255).astype(np.uint8)


def floor_texture(rng: np.random.Generator, w: int, h: int, px_m: float) -> np.ndarray:
    """Wooden planks or a carpet."""
    if rng.random() < 0.6:
        tone = np.array(
            [(170, 124, 80), (196, 160, 118), (120, 84, 56), (210, 196, 170)][int(rng.integers(4))],
            np.float32,
        )
        img = np.empty((h, w, 3), np.float32)
        plank = max(2, int(0.14 / px_m))
        for y0 in range(0, h, plank):
            img[y0 : y0 + plank] = tone * rng.uniform(0.85, 1.12)
            img[y0 : y0 + 1] *= 0.7
        grain = cv2.GaussianBlur(
            rng.normal(size=(h, w)).astype(np.float32), (0, 0), 9.0, sigmaY=0.6
        )
        img *= (1 + 0.25 * grain / max(grain.std(), 1e-6) * 0.3)[..., None]
    else:
        tone = np.array(
            [(140, 140, 150), (190, 180, 160), (110, 120, 100)][int(rng.integers(3))], np.float32
        )
        img = np.empty((h, w, 3), np.float32)
        img[:] = tone
        img *= (1 + 0.08 * _noise(rng, (h, w), 0.8))[..., None]
    return np.clip(img, 0, 255).astype(np.uint8)


def wall_texture(rng: np.random.Generator, w: int, h: int, px_m: float) -> np.ndarray:
    """Painted wall, plain or with wallpaper stripes."""
    tone = np.array(
        [(232, 228, 218), (210, 220, 228), (236, 222, 206), (200, 210, 190)][int(rng.integers(4))],
        np.float32,
    )
    img = np.empty((h, w, 3), np.float32)
    img[:] = tone
    if rng.random() < 0.4:
        period = int(rng.uniform(0.06, 0.12) / px_m)
        xx = np.arange(w)
        band = (xx % period) < period // 3
        img[:, band] *= 0.92
    img *= (1 + 0.03 * _noise(rng, (h, w), 1.0))[..., None]
    return np.clip(img, 0, 255).astype(np.uint8)


def blanket_palette(rng: np.random.Generator, nu: int, nv: int) -> tuple[np.ndarray, np.ndarray]:
    """Colours of a blanket's cells: plaid, stripes or a plain knit."""
    cols = np.array(
        [
            (236, 230, 220),
            (170, 200, 232),
            (240, 190, 200),
            (190, 220, 190),
            (246, 226, 150),
            (120, 130, 170),
            (220, 120, 110),
            (200, 200, 200),
        ],
        dtype=float,
    )
    pick = cols[rng.permutation(len(cols))[:3]]
    kind = ["plaid", "stripes", "knit"][int(rng.integers(3))]
    jj, ii = np.meshgrid(np.arange(nu - 1), np.arange(nv - 1))
    if kind == "plaid":
        per = int(rng.integers(3, 5))
        cid = ((ii // per) % 2) + ((jj // per) % 2)
        palette = np.array([pick[0], 0.5 * (pick[0] + pick[1]), pick[1]])
    elif kind == "stripes":
        cid = (ii // 2) % 2
        palette = pick[:2]
    else:
        cid = (rng.random((nv - 1, nu - 1)) < 0.5).astype(int)
        palette = np.array([pick[0], pick[0] * 0.94])
    return palette, cid


def light_pool(w: int, h: int, rng: np.random.Generator) -> np.ndarray:
    """A lamp's soft pool of light across the image (0..1), from one side."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cx, cy = rng.uniform(-0.2, 1.2) * w, rng.uniform(-0.2, 1.2) * h
    d2 = ((xx - cx) ** 2 + (yy - cy) ** 2) / (0.8 * max(w, h)) ** 2
    return np.exp(-d2).astype(np.float32)


def vignette(w: int, h: int, strength: float) -> np.ndarray:
    """Phone lens fall-off towards the corners."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r2 = ((xx - w / 2) ** 2 + (yy - h / 2) ** 2) / ((w / 2) ** 2 + (h / 2) ** 2)
    return (1 - strength * r2).astype(np.float32)


# --------------------------------------------------------------------------------------------
# The cot


def bar_mesh(radius: float, height: float, colour: tuple[int, int, int]) -> Mesh:
    """A vertical bar (cylinder with rounded ends) from its foot up to ``height``."""
    m = capsule(
        np.column_stack([Z_AXIS, X_AXIS, Y_AXIS]),
        (0, 0, height / 2),
        height / 2,
        radius,
        radius,
        radius,
        1,
        1,
        8,
    )
    m.palette = np.array([colour], dtype=float)
    return m


def rail_mesh(radius: float, length: float, colour: tuple[int, int, int]) -> Mesh:
    """A horizontal rail along ``x`` from its start."""
    m = capsule(
        np.column_stack([X_AXIS, Y_AXIS, Z_AXIS]),
        (length / 2, 0, 0),
        length / 2,
        radius,
        radius,
        radius * 0.8,
        1,
        1,
        8,
    )
    m.palette = np.array([colour], dtype=float)
    return m


# --------------------------------------------------------------------------------------------
# The cot around the infant, and the plate


@dataclass
class Side:
    """One side of the cot: a row of bars under a top rail."""

    start: np.ndarray
    direction: np.ndarray
    length: float
    outward: np.ndarray
    bars: list[Posed]
    near: bool = False
    feet: np.ndarray | None = None  # where the bars stand


@dataclass
class Room:
    """The cot and the background plate of a scene."""

    bars_mode: str
    sides: list[Side]
    plate: np.ndarray
    plate_cam: Camera
    plate_h_inv: np.ndarray  # pixel -> mattress plane of the plate's camera
    near_bars: list[Posed]  # bars between camera and infant, drawn on top every frame
    near_feet: np.ndarray  # where those bars stand
    blanket: Blanket | None


def build_room(
    rng: np.random.Generator,
    spec: Scene3DSpec,
    cam: Camera,
    centre: np.ndarray,
    heading: float,
    light: Light,
    pelvis: np.ndarray,
    with_blanket: bool,
) -> Room:
    """Place the cot around the infant and the camera, and draw what lies behind the infant.

    The cot's near side is put where ``spec.bars`` asks: ``through`` (bars between camera
    and infant), ``edge`` (the phone 3-7 cm behind the rail) or ``none`` (that side open,
    a co-sleeper or a lowered rail); the infant stays at least 22 cm from the sides.
    Everything but the near bars goes on a plate seen with a margin (20-40 % by the shake),
    which each frame warps by the mattress-plane homography of the shaken camera.

    Parameters
    ----------
    centre : the middle of the infant's trunk (world); ``pelvis`` its hip joints' middle.
    heading : direction of the infant's head (radians, world).
    """
    width, height = cam.width, cam.height
    T = centre.copy()
    T[2] = 0.0
    ang = heading + np.radians(rng.normal(0, 5))
    a = np.array([np.cos(ang), np.sin(ang), 0.0])
    b = np.cross(Z_AXIS, a)
    Lm, Wm = float(rng.uniform(1.2, 1.4)), float(rng.uniform(0.6, 0.72))
    rel = cam.C - T
    sides_def = [(a, Lm, b, Wm), (-a, Lm, b, Wm), (b, Wm, a, Lm), (-b, Wm, a, Lm)]
    normals = [(n, size, 0.4 if k < 2 else 0.22) for k, (n, size, _, _) in enumerate(sides_def)]
    k_near = int(np.argmax([float(n @ rel) for n, _, _ in normals]))
    n_near, size_n, lo = normals[k_near]
    hi = size_n - lo
    d_n = float(n_near @ rel)
    mode = spec.bars
    if mode == "auto":
        choices = {
            "overhead": (["none"], [1.0]),
            "oblique": (["edge", "through", "none"], [0.4, 0.25, 0.35]),
            "side": (["through", "edge", "none"], [0.45, 0.35, 0.2]),
        }[spec.view]
        mode = str(rng.choice(choices[0], p=choices[1]))
    s_n = float(rng.uniform(lo, hi))
    if mode == "edge":
        s_n = d_n - float(rng.uniform(0.03, 0.07))
        if s_n > hi:
            mode, s_n = "through", hi
    if mode == "through":
        s_n = min(hi, max(lo, d_n * float(rng.uniform(0.45, 0.8))))
        if d_n - s_n < 0.06:
            s_n = d_n - 0.08
    if s_n < lo:
        mode, s_n = "none", float(rng.uniform(lo, hi))
    # Infant centre in cot coordinates: the near side at s_n; the other axis at random.
    if k_near < 2:
        ta = (size_n / 2 - s_n) * (1 if k_near == 0 else -1)
        tb = float(rng.uniform(-1, 1)) * (Wm / 2 - 0.22)
    else:
        tb = (size_n / 2 - s_n) * (1 if k_near == 2 else -1)
        ta = float(rng.uniform(-1, 1)) * max(0.0, Lm / 2 - 0.45)
    M = T - ta * a - tb * b
    px = 0.002
    sheet = sheet_texture(
        rng, str(rng.choice(["plaid", "stars", "knit"])), int(Lm / px), int(Wm / px), px
    )
    floor_z, rail_h = -0.45, float(rng.uniform(0.45, 0.68))
    if spec.view == "overhead":  # the phone is held above the rail
        rail_h = float(np.clip(cam.C[2] - 0.12, 0.3, rail_h))
    wood = [(236, 232, 224), (200, 160, 112), (160, 120, 84), (214, 214, 214)][int(rng.integers(4))]
    planes = [
        plane_from_rect(
            np.array([M[0], M[1], floor_z]),
            a * 2.5,
            b * 2.5,
            floor_texture(rng, 600, 600, 5 / 600),
            lambert(Z_AXIS, light),
        ),
    ]
    # A wall behind the far side.
    far = -n_near if spec.view != "overhead" else normals[int(rng.integers(4))][0]
    far_size = Lm if abs(far @ a) > 0.5 else Wm
    along = b if abs(far @ a) > 0.5 else a
    wall_c = M + far * (far_size / 2 + float(rng.uniform(0.1, 0.45)))
    wall_c[2] = floor_z + 1.25
    wall = plane_from_rect(
        wall_c,
        along * 2.5,
        np.array([0, 0, -1.25]),
        wall_texture(rng, 500, 250, 0.01),
        lambert(-far, light),
    )
    planes.append(wall)
    # Mattress sides and top.
    for n, size, other, length in sides_def:
        if float(n @ (cam.C - M)) > size / 2:  # visible from the camera's side
            c = M + n * size / 2 + np.array([0, 0, -0.06])
            planes.append(
                plane_from_rect(
                    c,
                    other * length / 2,
                    np.array([0, 0, -0.06]),
                    sheet,
                    0.8 * lambert(n, light),
                )
            )
    planes.append(plane_from_rect(M, a * Lm / 2, b * Wm / 2, sheet, lambert(Z_AXIS, light)))
    # Cot sides: bars every 6-8 cm under a top rail.
    spacing = float(rng.uniform(0.06, 0.08))
    radius = float(rng.uniform(0.008, 0.012))
    gap = 0.02
    sides: list[Side] = []
    for k, (n, size, other, length) in enumerate(sides_def):
        start = M + n * (size / 2 + gap) - other * (length / 2 + gap)
        start[2] = -0.14
        total = length + 2 * gap
        count = int(total / spacing)
        feet = [start + other * (total * (j + 0.5) / count) for j in range(count)]
        one = bar_mesh(radius, rail_h + 0.14, wood)
        bars = [Posed("bars", merge([one] * count, feet), np.eye(3), np.zeros(3))]
        rail_R = np.column_stack([other, np.cross(Z_AXIS, other), Z_AXIS])
        top = start + np.array([0, 0, rail_h + 0.14])
        bars.append(Posed("rail", rail_mesh(0.022, total, wood), rail_R, top))
        near = float(n @ (cam.C - start)) > 0
        if near and k == k_near and mode == "none":
            continue  # the open side of a co-sleeper, or a lowered rail
        sides.append(Side(start, other, total, n, bars, near, np.array(feet)))
    # The plate: everything behind the infant, seen by the camera with a margin so that
    # shake (drift and jolts grow with it) never shows its edge.
    margin = 0.2 + 0.1 * min(spec.shake, 2.0)
    mx, my = int(margin * width), int(margin * height)
    plate_cam = Camera(
        cam.R, cam.C, cam.f, cam.cx + mx, cam.cy + my, width + 2 * mx, height + 2 * my
    )
    plate = np.zeros((height + 2 * my, width + 2 * mx, 3), np.uint8)
    plate[:] = (90, 90, 90)
    for pl in planes:
        draw_plane(plate, plate_cam, pl)
    far_bars = [b_ for s in sides if not s.near for b_ in s.bars]
    draw_items(plate, plate_cam, far_bars, light)

    plate_h_inv = np.linalg.inv(plate_cam.plane_h())
    near_bars = [b_ for s in sides if s.near for b_ in s.bars]
    near_feet = [s.feet for s in sides if s.near and s.feet is not None]
    near_feet_all = np.vstack(near_feet) if near_feet else np.zeros((0, 3))
    blanket: Blanket | None = None
    if with_blanket:
        top = float(rng.uniform(-0.16, 0.06))  # body x of the blanket's top edge
        hd = np.array([np.cos(heading), np.sin(heading), 0.0])
        wd = np.cross(Z_AXIS, hd)
        pel = pelvis
        origin = pel + hd * -0.55 - wd * float(rng.uniform(0.24, 0.32))
        origin[2] = 0.0
        eu = wd * float(rng.uniform(0.5, 0.62))
        ev = hd * (0.55 + top)
        nu, nv = 22, 18
        palette, cid = blanket_palette(rng, nu, nv)
        blanket = Blanket(origin, eu, ev, nu, nv, palette, cid)
        # Tucked in at the mattress's edges rather than hanging over the floor.
        rel_xy = blanket.xy - M[:2]
        ca = np.clip(rel_xy @ a[:2], -Lm / 2 + 0.01, Lm / 2 - 0.01)
        cb = np.clip(rel_xy @ b[:2], -Wm / 2 + 0.01, Wm / 2 - 0.01)
        blanket.xy = M[:2] + ca[..., None] * a[:2] + cb[..., None] * b[:2]
    return Room(mode, sides, plate, plate_cam, plate_h_inv, near_bars, near_feet_all, blanket)
