"""A scene of the 3-D generator (:mod:`.render3d`) put together and drawn frame
by frame: the infant on the mattress (lying, rocked, lifted), the camera aimed and sized to
the requested share of the frame, the room, the caregiver, lighting and sensor noise.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from spasmwatch.testing.video.render3d_adult import AdultArm, Bottle, random_adult
from spasmwatch.testing.video.render3d_body import IDX, SIGN, Infant, random_look
from spasmwatch.testing.video.render3d_draw import (
    NEAR,
    Camera,
    Light,
    draw_face,
    draw_items,
    draw_shadow,
    look_at,
)
from spasmwatch.testing.video.render3d_geom import X_AXIS, Z_AXIS, Posed, rot
from spasmwatch.testing.video.render3d_motion import Tracks, make_tracks, smoothstep
from spasmwatch.testing.video.render3d_plan import Action, Plan, Scene3DSpec, make_plan
from spasmwatch.testing.video.render3d_room import Room, build_room, light_pool, vignette


@dataclass
class _Reach:
    """A caregiver's arm for one action."""

    action: Action
    arm: AdultArm
    shoulder: np.ndarray
    hand: str = ""  # for lifting: which side of the infant this hand holds


class Scene3D:
    """A scene ready to render frame by frame.

    Parameters
    ----------
    spec : the scene.
    """

    def __init__(self, spec: Scene3DSpec) -> None:
        self.spec = spec
        self.w, self.h = spec.width, spec.height
        self.n = round(spec.duration_s * spec.fps)
        self.plan: Plan = make_plan(spec)
        self.tracks: Tracks = make_tracks(spec, self.plan)
        rng = np.random.default_rng([spec.seed, 505])
        self.look = random_look(rng)
        self.infant = Infant(self.look)
        self.adult = random_adult(rng)
        self.heading = float(rng.uniform(0, 2 * np.pi))
        lx, ly = rng.normal(0, 0.35, 2)
        self.light_dir = np.array([lx, ly, 1.0]) / np.linalg.norm([lx, ly, 1.0])
        a = rng.uniform(0, 2 * np.pi)
        self.lamp_dir = np.array([np.cos(a), np.sin(a), 0.8]) / np.linalg.norm([1, 0.8])
        has_lift = any(x.kind == "picked_up" for x in self.plan.actions)
        self.blanket_on = spec.blanket and not has_lift
        self.lift_height = 0.28
        self.base_cam = self._camera(np.random.default_rng([spec.seed, 606]))
        self.lift_height = min(0.28, 0.45 * max(0.1, float(self.base_cam.C[2]) - 0.12))
        room_rng = np.random.default_rng([spec.seed, 707])
        _, joints = self.infant_at(0)
        self.room: Room = build_room(
            room_rng,
            spec,
            self.base_cam,
            self._centre(),
            self.heading,
            Light(self.light_dir),
            joints["pelvis"][0],
            self.blanket_on,
        )
        self._reaches = self._caregiver(np.random.default_rng([spec.seed, 808]))
        bottle_colours = [(120, 170, 220), (240, 160, 190), (250, 220, 120), (150, 210, 160)]
        self.bottle = Bottle(bottle_colours[int(rng.integers(len(bottle_colours)))])
        self.vign = vignette(self.w, self.h, float(room_rng.uniform(0.15, 0.35)))
        self.pool = light_pool(self.w, self.h, room_rng)
        noise_rng = np.random.default_rng([spec.seed, 909])
        common = noise_rng.normal(size=(6, self.h, self.w, 1)).astype(np.float32)
        indep = noise_rng.normal(size=(6, self.h, self.w, 3)).astype(np.float32)
        self.noise_bank = 0.85 * common + 0.5 * indep
        self.noise_pick = noise_rng.integers(0, 6, self.n)
        self._noise_cache: dict[float, tuple[np.ndarray, np.ndarray]] = {}
        # Lens fall-off as a multiplier in 1/170 steps (1.5 = 255/170 headroom for a lamp).
        tint = self.tracks.tint[0]
        self.vign_map = np.clip(self.vign[..., None] * tint * 170, 0, 255).astype(np.uint8)

    # ----------------------------------------------------------------------------------------
    # The infant in the world

    def infant_at(self, i: int) -> tuple[list[Posed], dict[str, tuple[np.ndarray, np.ndarray]]]:
        """The infant's posed segments and joints at frame ``i`` (lying, rocked or lifted)."""
        tr = self.tracks
        pose = tr.pose[i]
        c, s = np.cos(self.heading), np.sin(self.heading)
        head_dir = np.array([c, s, 0.0])
        R_lie = np.column_stack([head_dir, np.cross(Z_AXIS, head_dir), Z_AXIS])
        R_lie = R_lie @ rot(X_AXIS, tr.roll[i])
        posed, joints = self.infant.place(pose, R_lie, np.zeros(3))
        by = {p.name: p for p in posed}
        # Resting on the mattress: tilt about the body's width so that both the pelvis and
        # the chest touch (an arching back lifts the waist), then set it down. The head may
        # sink 1.5 cm into the mattress before it lifts the chest (a head thrown back).
        low_p = by["pelvis"].world_verts()
        chest, head = by["chest"].world_verts(), by["head"].world_verts()
        ip, ic, ih = (int(np.argmin(v[:, 2])) for v in (low_p, chest, head))
        zp = low_p[ip, 2]
        cands = [(chest[ic, 2], chest[ic]), (head[ih, 2] + 0.015, head[ih])]
        zc, low_c = min(cands, key=lambda c: c[0])
        G = np.eye(3)
        pivot = low_p[ip].copy()
        if zc < zp:
            dx = float(np.linalg.norm((low_c - pivot)[:2]))
            ang = np.arctan2(zp - zc, max(dx, 0.05))
            G = rot(R_lie[:, 1], -ang)
        self._transform(posed, joints, G, pivot, np.zeros(3))
        zmin = min(
            by["pelvis"].world_verts()[:, 2].min(),
            by["chest"].world_verts()[:, 2].min(),
            by["head"].world_verts()[:, 2].min() + 0.015,
        )
        dz = np.array([0.0, 0.0, -zmin - 0.004 - tr.bounce[i]])
        self._transform(posed, joints, np.eye(3), np.zeros(3), dz)
        lift = float(tr.lift[i])
        if lift > 0:  # held up: raised, tilted head-up, turned and carried about
            ca = tr.carry[i]
            centre = joints["chest"][0].copy()
            Gc = rot(Z_AXIS, ca[2]) @ rot(R_lie[:, 1], -ca[3])
            off = np.array([ca[0], ca[1], lift * self.lift_height])
            self._transform(posed, joints, Gc, centre, off)
        return posed, joints

    @staticmethod
    def _transform(
        posed: list[Posed],
        joints: dict[str, tuple[np.ndarray, np.ndarray]],
        G: np.ndarray,
        pivot: np.ndarray,
        off: np.ndarray,
    ) -> None:
        """Move everything rigidly: x -> pivot + G (x - pivot) + off."""
        for p in posed:
            p.p = pivot + G @ (p.p - pivot) + off
            p.R = G @ p.R
            if p.verts is not None:
                p.verts = pivot + (p.verts - pivot) @ G.T + off
        for k, (jp, jR) in joints.items():
            joints[k] = (pivot + G @ (jp - pivot) + off, G @ jR)

    def _centre(self) -> np.ndarray:
        """The middle of the infant's trunk at rest (the camera aims here)."""
        _, joints = self.infant_at(0)
        return joints["chest"][0] + np.array([0, 0, 0.03])

    # ----------------------------------------------------------------------------------------
    # Camera

    def _camera(self, rng: np.random.Generator) -> Camera:
        """The phone's resting camera: view angle, framing, field of view, and a distance
        found by bisection so that the infant's box takes ``infant_size`` of the frame
        (median over poses sampled through the scene)."""
        spec = self.spec
        head_dir = np.array([np.cos(self.heading), np.sin(self.heading), 0.0])
        # A large infant lies along the frame's long side (as a parent would frame it).
        landscape = self.w >= self.h
        along = spec.infant_size >= 0.4
        if spec.view == "overhead":
            theta = np.radians(rng.uniform(0, 12))
            phi = rng.uniform(0, 2 * np.pi)
            if along:
                turn = rng.choice([90, -90] if landscape else [0, 180]) + rng.normal(0, 10)
            else:
                turn = rng.choice([0, 90, 180, 270]) + rng.normal(0, 20)
            up = rot(Z_AXIS, np.radians(turn)) @ head_dir
        elif spec.view == "oblique":
            theta = np.radians(rng.uniform(35, 55))
            if along:
                base = rng.choice([90, -90]) if landscape else 180
            else:
                base = rng.choice([90, -90, 180], p=[0.38, 0.38, 0.24])
            phi = self.heading + np.radians(base + rng.normal(0, 15))
            up = Z_AXIS
        else:
            theta = np.radians(rng.uniform(65, 80))
            phi = self.heading + np.radians(rng.choice([90, -90]) + rng.normal(0, 12))
            up = Z_AXIS
        roll = np.radians(rng.normal(0, 4) if rng.random() < 0.85 else rng.normal(0, 12))
        long_side = max(self.w, self.h)
        hfov = np.radians(rng.uniform(60, 72))
        f = (long_side / 2) / np.tan(hfov / 2)
        first = np.vstack([p.world_verts() for p in self.infant_at(0)[0]])
        mid = 0.5 * (first.min(axis=0) + first.max(axis=0))
        target = np.array([mid[0], mid[1], 0.06]) + np.array([*rng.normal(0, 0.02, 2), 0.0])
        direction = np.array(
            [np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)]
        )
        # Sample poses through the scene (not while lifted) for the size calibration.
        frames = [i for i in np.linspace(0, self.n - 1, 14).astype(int) if self.tracks.lift[i] <= 0]
        clouds = [np.vstack([p.world_verts() for p in self.infant_at(i)[0]]) for i in frames]

        def share(dist: float) -> float:
            cam = look_at(target + dist * direction, target, up, roll, f, self.w, self.h)
            return float(np.median([_bbox_share(cam, pts) for pts in clouds]))

        lo, hi = 0.3, 6.0
        for _ in range(40):
            d = np.sqrt(lo * hi)
            if share(d) > spec.infant_size:
                lo = d
            else:
                hi = d
        dist = np.sqrt(lo * hi)
        self.cam_dist = float(dist)
        return look_at(target + dist * direction, target, up, roll, f, self.w, self.h)

    def camera_at(self, i: int) -> Camera:
        """The camera at frame ``i``: the resting one moved by the shake track."""
        sh = self.tracks.shake[i]
        return self.base_cam.moved(sh[:3], sh[3:])

    # ----------------------------------------------------------------------------------------
    # Caregiver

    def _caregiver(self, rng: np.random.Generator) -> list[_Reach]:
        """An arm per hand, feeding or lifting action (two for lifting), each from a
        shoulder outside the picture so that the arm enters from the frame's edge."""
        out: list[_Reach] = []
        cam = self.base_cam
        T = self._centre()
        for a in self.plan.actions:
            if a.kind not in ("hand", "feeding", "picked_up"):
                continue
            # A shoulder outside the picture, on a side of the infant.
            best, score = None, -1.0
            for k in rng.permutation(16):
                ang = 2 * np.pi * k / 16
                g = np.array([np.cos(ang), np.sin(ang), 0.0])
                sh = T + g * float(rng.uniform(0.42, 0.5)) + Z_AXIS * float(rng.uniform(0.3, 0.42))
                uv, z = cam.project(sh[None])
                if z[0] < 0.12:
                    continue
                out_x = abs(uv[0, 0] - cam.cx) / (self.w / 2)
                out_y = abs(uv[0, 1] - cam.cy) / (self.h / 2)
                s = max(out_x, out_y)
                s = min(s, 1.4) + rng.uniform(0, 0.1)
                if s > score:
                    best, score = sh, s
            if best is None:
                best = T + np.array([0.0, 0.0, 0.45])
            arm = AdultArm(self.adult)
            if a.kind == "picked_up":
                g = best - T
                g[2] = 0
                g /= np.linalg.norm(g)
                side = np.cross(Z_AXIS, g)
                out.append(_Reach(a, arm, best + side * 0.18, "l"))
                out.append(_Reach(a, AdultArm(self.adult), best - side * 0.18, "r"))
            else:
                out.append(_Reach(a, arm, best))
        return out

    def caregiver_at(self, i: int, joints: dict[str, tuple[np.ndarray, np.ndarray]]) -> list[Posed]:
        """The caregiver's arms (and a bottle) at frame ``i``."""
        t = i / self.spec.fps
        out: list[Posed] = []
        for r in self._reaches:
            a = r.action
            if not (a.t0 <= t <= a.t1):
                continue
            tt, d = t - a.t0, a.t1 - a.t0
            reach = float(
                smoothstep(np.array((tt) / 0.9)) * (1 - smoothstep(np.array((tt - d + 0.9) / 0.9)))
            )
            chest_p, chest_R = joints["chest"]
            if a.kind == "feeding":
                head_p, head_R = joints["head"]
                hc = head_p + head_R @ self.infant.head_centre
                rad = self.infant.head_radii
                mouth = hc + head_R @ np.array([-0.043 * rad[0] / 0.068, 0, rad[2] * 0.8])
                toward = r.shoulder - mouth
                toward[2] = 0
                toward /= max(np.linalg.norm(toward), 1e-9)
                axis = head_R[:, 2] * 0.55 + Z_AXIS * 0.55 + toward * 0.35
                axis /= np.linalg.norm(axis)
                tip = r.shoulder + (mouth - r.shoulder) * (0.25 + 0.75 * reach)
                perp = np.cross(axis, Z_AXIS)
                perp /= max(np.linalg.norm(perp), 1e-9)
                if perp @ toward < 0:
                    perp = -perp
                out += self.bottle.place(tip, axis)
                palm = tip + axis * 0.12 + perp * 0.045
                out += r.arm.place(r.shoulder, palm, -perp, np.cross(perp, axis), curl=0.75)
                continue
            if a.kind == "picked_up":
                sg = SIGN[r.hand]
                contact = chest_p + chest_R @ np.array([0.09, sg * 0.09, 0.0])
                facing = -chest_R[:, 1] * sg
                fingers = -chest_R[:, 2]
            else:
                if a.style == "rock":
                    sg = 1.0 if float((r.shoulder - chest_p) @ chest_R[:, 1]) > 0 else -1.0
                    contact = chest_p + chest_R @ np.array([0.05, sg * 0.085, 0.015])
                    facing = -chest_R[:, 1] * sg
                    fingers = -chest_R[:, 2] * 0.3 + chest_R[:, 0]
                else:
                    contact = chest_p + chest_R @ np.array([0.06, 0.0, 0.06])
                    if a.style == "stroke":
                        contact = contact + chest_R[:, 0] * 0.04 * np.sin(2 * np.pi * 0.6 * tt)
                    else:
                        pat = np.maximum(0, np.sin(2 * np.pi * 2.2 * tt + np.pi)) ** 2
                        contact = contact + Z_AXIS * 0.03 * pat * (reach > 0.99)
                    facing = -Z_AXIS
                    fingers = contact - r.shoulder
            start = r.shoulder + (contact - r.shoulder) * 0.2
            palm = start + (contact - start) * reach
            out += r.arm.place(
                r.shoulder, palm, facing, fingers, curl=0.15 if a.kind == "hand" else 0.5
            )
        return out

    # ----------------------------------------------------------------------------------------
    # One frame

    def frame(self, i: int) -> tuple[np.ndarray, dict]:
        """The RGB image of frame ``i`` (before compression) and per-frame facts.

        The facts are ``share`` (infant bounding-box share of the frame) and ``head_box``
        (x0, y0, x1, y1 of the head's projection).
        """
        tr = self.tracks
        cam = self.camera_at(i)
        lamp = float(tr.lamp[i])
        ld = self.light_dir * (1 - lamp) + self.lamp_dir * lamp
        light = Light(ld / np.linalg.norm(ld))
        room = self.room
        M = cam.plane_h() @ room.plate_h_inv
        img = cv2.warpPerspective(
            room.plate, M, (self.w, self.h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
        )
        posed, joints = self.infant_at(i)
        lifted = tr.lift[i] > 0.05
        draw_shadow(img, cam, posed, light, 0.25 if lifted else 0.5)
        others = self.caregiver_at(i, joints)
        head_p, head_R = joints["head"]
        head_c = head_p + head_R @ self.infant.head_centre
        pose = tr.pose[i]
        face = {k: float(pose[IDX[k]]) for k in ("eyes_open", "eye_roll", "mouth", "grimace")}
        skin = np.array(self.look.skin, dtype=float)

        def face_cb() -> None:
            draw_face(
                img, cam, head_R, head_c, self.infant.head_radii, face, skin, self.look.eye, 1.0
            )

        if room.blanket is not None:
            under = [p for p in posed if p.under_blanket]
            over = [p for p in posed if not p.under_blanket]
            draw_items(img, cam, under, light)
            room.blanket.draw(img, cam, under, light)
            draw_items(img, cam, over + others, light, {"head": face_cb})
        else:
            draw_items(img, cam, posed + others, light, {"head": face_cb})
        if room.near_bars:
            self._draw_near_bars(img, cam, light)
        # Facts for the truth and the tests.
        allv = np.vstack([p.world_verts() for p in posed])
        share = _bbox_share(cam, allv)
        uv, _ = cam.project(self.infant_by_name(posed, "head").world_verts())
        head_box = (
            float(uv[:, 0].min()),
            float(uv[:, 1].min()),
            float(uv[:, 0].max()),
            float(uv[:, 1].max()),
        )
        out = self._finish(img, i)
        return out, {"share": share, "head_box": head_box}

    @staticmethod
    def infant_by_name(posed: list[Posed], name: str) -> Posed:
        return next(p for p in posed if p.name == name)

    def _draw_near_bars(self, img: np.ndarray, cam: Camera, light: Light) -> None:
        """Bars between camera and infant, out of focus when close to the lens."""
        layer = img.copy()
        if not draw_items(layer, cam, self.room.near_bars, light):
            return
        feet = self.room.near_feet
        uv, z = cam.project(feet + np.array([0, 0, 0.2]))
        inside = (uv[:, 0] > -40) & (uv[:, 0] < self.w + 40) & (z > NEAR)
        dists = np.linalg.norm(feet[:, :2] - cam.C[:2], axis=1)[inside]
        if not len(dists):
            img[:] = layer
            return
        sigma = float(np.clip(0.5 / dists.min(), 0.0, 6.0))
        if sigma < 0.8:
            img[:] = layer
            return
        # Blur at reduced size (the bars are soft anyway), then blend by the bars' mask.
        q = 2 if sigma < 3 else 4
        diff = cv2.cvtColor(cv2.absdiff(layer, img), cv2.COLOR_RGB2GRAY)
        small = (self.w // q, self.h // q)
        mask = cv2.resize((diff > 0).astype(np.float32), small, interpolation=cv2.INTER_AREA)
        soft = cv2.resize(layer, small, interpolation=cv2.INTER_AREA)
        mask = cv2.GaussianBlur(mask, (0, 0), sigma / q)
        soft = cv2.GaussianBlur(soft, (0, 0), sigma / q)
        mask = cv2.resize(mask, (self.w, self.h), interpolation=cv2.INTER_LINEAR)
        soft = cv2.resize(soft, (self.w, self.h), interpolation=cv2.INTER_LINEAR)
        img[:] = cv2.blendLinear(img, soft, 1.0 - mask, mask)

    def _finish(self, img: np.ndarray, i: int) -> np.ndarray:
        """Lighting, lens fall-off, optics blur and sensor noise (uint8 OpenCV operations)."""
        tr = self.tracks
        img = cv2.GaussianBlur(img, (3, 3), 0.65)
        # One multiply: lens fall-off and colour tint per pixel, exposure as the scale.
        gm = self.vign_map
        if tr.lamp[i] > 0:
            pool = (1 + 0.2 * float(tr.lamp[i]) * self.pool)[..., None]
            gm = np.clip(self.vign[..., None] * pool * tr.tint[i] * 170, 0, 255).astype(np.uint8)
        img = cv2.multiply(img, gm, scale=float(tr.gain[i]) * 1.5 / 255)
        sigma = self.spec.noise * float(tr.noise[i])
        if sigma > 0.2:
            pos, neg = self._noise(sigma)
            j = int(self.noise_pick[i])
            cv2.add(img, pos[j], dst=img)
            cv2.subtract(img, neg[j], dst=img)
        return img

    def _noise(self, sigma: float) -> tuple[np.ndarray, np.ndarray]:
        """Banks of noise frames (positive and negative parts) at a quantised level."""
        level = round(sigma * 2) / 2
        if level not in self._noise_cache:
            n = self.noise_bank * level
            pos = np.clip(np.round(n), 0, 255).astype(np.uint8)
            neg = np.clip(np.round(-n), 0, 255).astype(np.uint8)
            self._noise_cache[level] = (pos, neg)
        return self._noise_cache[level]

    def frames(self) -> Iterator[tuple[np.ndarray, dict]]:
        for i in range(self.n):
            yield self.frame(i)


def _bbox_share(cam: Camera, pts: np.ndarray) -> float:
    """Share of the frame covered by the bounding box of the points' projections."""
    uv, z = cam.project(pts)
    uv = uv[z > NEAR]
    if not len(uv):
        return 0.0
    x0, x1 = np.clip([uv[:, 0].min(), uv[:, 0].max()], 0, cam.width)
    y0, y1 = np.clip([uv[:, 1].min(), uv[:, 1].max()], 0, cam.height)
    return float((x1 - x0) * (y1 - y0) / (cam.width * cam.height))
