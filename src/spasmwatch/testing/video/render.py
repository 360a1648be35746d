"""Synthetic phone videos of an infant lying on a blanket, with exact ground truth.

The scene is drawn with OpenCV: a textured blanket, an articulated infant seen from above
(head, trunk, upper and lower arms and legs) that never stops making small fidgety
movements, and on top of that the events a test needs:

- ``spasm``: a 0.5-2 s flexion or extension of head, trunk and limbs (symmetric or
  one-sided) with a sharp onset, or a subtle head nod (5-20 degrees, nothing else
  moving), in clusters of 3-20 with 3-30 s gaps;
- benign movements: single ``jerk`` (< 0.3 s, one limb), ``kicks`` (bouts of
  alternating leg kicks at 1-2.5 Hz), ``reach`` (a slow arm movement);
- disturbances: a ``hand`` entering the frame and touching the infant, camera shake
  with ``jolt`` (sudden shifts of the phone) and lighting ``light`` steps plus flicker.

Everything is drawn from a seeded generator, so a spec always renders the same video.

``python -m spasmwatch.testing.video.render --scene cluster_03 --video clip.mp4`` renders
a scene of the sets below with its ground truth as JSON (``--seed``, ``--duration``,
``--out DIR`` for a whole set: :mod:`.render_command`).
"""

from __future__ import annotations

import math
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import av
import cv2
import numpy as np

SPASM = "spasm"
BENIGN_KINDS = ("jerk", "kicks", "reach", "hand", "jolt", "light")
LIMBS = ("left_arm", "right_arm", "left_leg", "right_leg")


@dataclass(frozen=True)
class TruthEvent:
    """One thing that happens in a rendered video, times in seconds from the start."""

    start_s: float
    end_s: float
    kind: str  # "spasm" or one of BENIGN_KINDS
    side: str = "both"  # "both", "left", "right": image side across the infant's axis
    style: str = ""  # "flexion" / "extension" for spasms, the limb for jerks


@dataclass(frozen=True)
class SceneSpec:
    """What to render. Every random choice is drawn from ``seed``."""

    name: str
    seed: int
    duration_s: float = 40.0
    fps: float = 15.0
    width: int = 320
    height: int = 240
    clusters: int = 1  # spasm clusters
    cluster_size: tuple[int, int] = (4, 7)
    gap_s: tuple[float, float] = (3.0, 8.0)
    one_sided_share: float = 0.3
    jerks: int = 2
    kick_bouts: int = 1
    reaches: int = 1
    hands: int = 1
    shake: float = 1.0  # 0 none, 1 handheld, 2 strong
    jolts: int = 1
    flicker: float = 1.0  # 0 none, 1 some, 2 strong
    store_rotation: int = 0  # store rotated by this many degrees, with display metadata
    infant_angle_deg: float | None = None
    nod_share: float = 0.0  # share of clusters that are series of subtle head nods


@dataclass
class GroundTruth:
    """The exact events of a rendered video."""

    spec: SceneSpec
    events: list[TruthEvent] = field(default_factory=list)
    clusters: list[tuple[float, float, int]] = field(default_factory=list)

    @property
    def spasms(self) -> list[TruthEvent]:
        """The injected spasms, in time order."""
        return sorted((e for e in self.events if e.kind == SPASM), key=lambda e: e.start_s)

    @property
    def frames(self) -> int:
        """Number of frames rendered."""
        return round(self.spec.duration_s * self.spec.fps)

    def to_json(self) -> dict:
        """The truth as JSON: the scene, the events and the clusters (as the 3-D
        generator's ``GroundTruth3D.to_json``)."""
        return {
            "spec": asdict(self.spec),
            "events": [asdict(e) for e in self.events],
            "clusters": [list(c) for c in self.clusters],
        }


# ---------------------------------------------------------------- scheduling


def schedule(spec: SceneSpec) -> GroundTruth:
    """Draw the timeline of events for ``spec`` without rendering anything."""
    rng = np.random.default_rng(spec.seed)
    dur = spec.duration_s
    truth = GroundTruth(spec=spec)
    busy: list[tuple[float, float]] = []

    def free(a: float, b: float, margin: float = 1.2) -> bool:
        return (
            a >= 0.8 and b <= dur - 0.8 and all(b + margin <= s or a >= e + margin for s, e in busy)
        )

    for _ in range(spec.clusters):
        for _attempt in range(50):
            size = int(rng.integers(spec.cluster_size[0], spec.cluster_size[1] + 1))
            gaps = rng.uniform(spec.gap_s[0], spec.gap_s[1], size=size - 1)
            durs = rng.uniform(0.5, 2.0, size=size)
            total = float(gaps.sum() + durs[-1])
            if total > dur - 2.0:
                continue
            t0 = float(rng.uniform(1.0, dur - 1.0 - total))
            onsets = t0 + np.concatenate([[0.0], np.cumsum(gaps)])
            if not free(onsets[0], onsets[-1] + durs[-1], margin=2.0):
                continue
            side = "both"
            if spec.nod_share > 0 and rng.random() < spec.nod_share:
                style = "nod"
            elif rng.random() < 0.6:
                style = "flexion"
            else:
                style = "extension"
            if style != "nod" and rng.random() < spec.one_sided_share:
                side = "left" if rng.random() < 0.5 else "right"
            for on, d in zip(onsets, durs, strict=True):
                truth.events.append(TruthEvent(float(on), float(on + d), SPASM, side, style))
            truth.clusters.append((float(onsets[0]), float(onsets[-1] + durs[-1]), size))
            busy.append((float(onsets[0]) - 1.0, float(onsets[-1] + durs[-1]) + 1.0))
            break
    # Benign events go in the gaps between spasms as well as outside clusters.
    spasm_spans = [(e.start_s, e.end_s) for e in truth.events]
    busy = list(spasm_spans)
    plan = (
        [("jerk", lambda: rng.uniform(0.12, 0.25))] * spec.jerks
        + [("kicks", lambda: rng.uniform(3.0, 6.0))] * spec.kick_bouts
        + [("reach", lambda: rng.uniform(1.5, 3.0))] * spec.reaches
        + [("hand", lambda: rng.uniform(3.0, 5.0))] * spec.hands
        + [("jolt", lambda: rng.uniform(0.12, 0.3))] * (spec.jolts if spec.shake > 0 else 0)
        + [("light", lambda: rng.uniform(0.15, 0.4))] * (2 if spec.flicker > 0 else 0)
    )
    for kind, length in plan:
        for _attempt in range(80):
            d = float(length())
            if dur - d - 0.8 <= 0.8:
                break
            a = float(rng.uniform(0.8, dur - d - 0.8))
            if free(a, a + d):
                style = ""
                side = "both"
                if kind == "jerk":
                    style = LIMBS[int(rng.integers(0, 4))]
                elif kind == "reach":
                    style = LIMBS[int(rng.integers(0, 2))]
                truth.events.append(TruthEvent(a, a + d, kind, side, style))
                busy.append((a, a + d))
                break
    truth.events.sort(key=lambda e: e.start_s)
    return truth


# ---------------------------------------------------------------- motion curves


def _smooth_noise(rng: np.random.Generator, n: int, sigma_frames: float, amp: float) -> np.ndarray:
    x = rng.standard_normal(n + 64)
    k = max(1, int(sigma_frames * 3))
    t = np.arange(-k, k + 1)
    w = np.exp(-0.5 * (t / max(sigma_frames, 1e-3)) ** 2)
    y = np.convolve(x, w / w.sum(), mode="same")[32 : 32 + n]
    return amp * y / (y.std() + 1e-9)


def _spasm_profile(t: np.ndarray, start: float, end: float, rise_s: float) -> np.ndarray:
    """0 before ``start``, a sharp rise, a hold, and a smooth relaxation until ``end``."""
    d = end - start
    hold_end = start + 0.5 * d
    p = np.zeros_like(t)
    rise = (t >= start) & (t < start + rise_s)
    p[rise] = np.sin(0.5 * np.pi * (t[rise] - start) / rise_s)
    p[(t >= start + rise_s) & (t < hold_end)] = 1.0
    rel = (t >= hold_end) & (t < end)
    p[rel] = 0.5 + 0.5 * np.cos(np.pi * (t[rel] - hold_end) / (end - hold_end))
    return p


def _pulse(t: np.ndarray, start: float, end: float) -> np.ndarray:
    """A raised-cosine bump from ``start`` to ``end`` (a smooth, slow-onset movement)."""
    p = np.zeros_like(t)
    m = (t >= start) & (t < end)
    p[m] = 0.5 - 0.5 * np.cos(2 * np.pi * (t[m] - start) / (end - start))
    return p


@dataclass
class _Pose:
    """Per-frame pose curves (arrays over frames)."""

    n: int
    limb: dict[str, dict[str, np.ndarray]]
    head_dy: np.ndarray
    head_dx: np.ndarray
    head_scale: np.ndarray
    trunk_len: np.ndarray
    body_dx: np.ndarray
    body_dy: np.ndarray


_FLEX = {"arm": (25.0, 40.0, 0.65), "leg": (-15.0, 20.0, 0.55)}
_EXT = {"arm": (-45.0, 60.0, 0.95), "leg": (15.0, -40.0, 1.0)}


def _pose_curves(truth: GroundTruth, rng: np.random.Generator) -> _Pose:
    spec = truth.spec
    n = truth.frames
    t = np.arange(n) / spec.fps
    fs = spec.fps

    def fidget(amp: float) -> np.ndarray:
        return _smooth_noise(rng, n, 0.2 * fs, amp) + _smooth_noise(rng, n, 1.5 * fs, amp)

    limb = {
        name: {"da": fidget(5.0), "db": fidget(6.0), "f": 1.0 + fidget(0.03), "g": 1.0 + 0 * t}
        for name in LIMBS
    }
    pose = _Pose(
        n=n,
        limb=limb,
        head_dy=fidget(1.0),
        head_dx=fidget(1.0),
        head_scale=1.0 + fidget(0.01),
        trunk_len=1.0 + fidget(0.01),
        body_dx=0 * t,
        body_dy=0 * t,
    )
    for ev in truth.events:
        if ev.kind == SPASM and ev.style == "nod":
            # A subtle head nod: 5-20 degrees of neck flexion, nothing else moving. Seen
            # from above, the head's centre moves toward the chest by r * sin(angle)
            # (r = 19) and comes up off the mattress a little.
            angle = math.radians(float(rng.uniform(5.0, 20.0)))
            p = _spasm_profile(t, ev.start_s, ev.end_s, float(rng.uniform(0.1, 0.25)))
            pose.head_dy = pose.head_dy + 19 * math.sin(angle) * p
            pose.head_scale = pose.head_scale * (1 + 0.1 * math.sin(angle) * p)
        elif ev.kind == SPASM:
            amp = float(rng.uniform(0.75, 1.2))
            p = amp * _spasm_profile(t, ev.start_s, ev.end_s, float(rng.uniform(0.1, 0.22)))
            table = _FLEX if ev.style == "flexion" else _EXT
            sides = ("left", "right") if ev.side == "both" else (ev.side,)
            for side in sides:
                for part in ("arm", "leg"):
                    k = 1.0 if part == "arm" else (0.8 if ev.side == "both" else 0.5)
                    da, db, f = table[part]
                    c = limb[f"{side}_{part}"]
                    c["da"] = c["da"] + k * da * p
                    c["db"] = c["db"] + k * db * p
                    c["f"] = c["f"] * (1 - k * (1 - f) * p)
            flex = 1.0 if ev.style == "flexion" else -0.8
            both = 1.0 if ev.side == "both" else 0.5
            pose.head_dy = pose.head_dy + 10 * flex * both * p
            pose.head_scale = pose.head_scale * (1 + 0.12 * flex * both * p)
            pose.trunk_len = pose.trunk_len * (1 - 0.1 * flex * both * p)
            if ev.side != "both":
                pose.head_dx = pose.head_dx + (6 if ev.side == "right" else -6) * p
        elif ev.kind == "jerk":
            p = np.clip(1 - np.abs(2 * (t - ev.start_s) / (ev.end_s - ev.start_s) - 1), 0, 1)
            p[(t < ev.start_s) | (t > ev.end_s)] = 0
            c = limb[ev.style]
            c["da"] = c["da"] + float(rng.choice([-1, 1])) * float(rng.uniform(20, 35)) * p
            c["db"] = c["db"] + float(rng.uniform(10, 25)) * p
        elif ev.kind == "kicks":
            hz = float(rng.uniform(1.2, 2.5))
            env = np.clip(np.minimum(t - ev.start_s, ev.end_s - t) / 0.3, 0, 1)
            for i, name in enumerate(("left_leg", "right_leg")):
                osc = 0.5 + 0.5 * np.sin(2 * np.pi * hz * (t - ev.start_s) + np.pi * i)
                c = limb[name]
                c["f"] = c["f"] * (1 - 0.4 * env * osc)
                c["db"] = c["db"] + 30 * env * osc
                c["da"] = c["da"] - 10 * env * osc
        elif ev.kind == "reach":
            p = _pulse(t, ev.start_s, ev.end_s)
            c = limb[ev.style]
            c["da"] = c["da"] - 40 * p
            c["db"] = c["db"] + 50 * p
            c["f"] = c["f"] * (1 - 0.2 * p)
        elif ev.kind == "hand":
            # The hand rests on the tummy and rocks the infant a little.
            hold = _pulse(t, ev.start_s + 1.0, ev.end_s - 1.0)
            pose.body_dx = pose.body_dx + 2.5 * hold * np.sin(2 * np.pi * 1.2 * t)
    return pose


# ---------------------------------------------------------------- drawing

_SKIN = (150, 180, 225)
_ONESIE = (200, 160, 120)
_STRIPE = (170, 130, 95)
_HAIR = (40, 55, 80)


def _blanket(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    base = np.array(rng.uniform(90, 200, size=3), dtype=np.float32)
    noise = rng.standard_normal((h, w, 3)).astype(np.float32)
    noise = cv2.GaussianBlur(noise, (0, 0), 2.0) * 60
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    period = float(rng.uniform(18, 30))
    plaid = 25 * (np.sin(2 * np.pi * xx / period) > 0.6) + 25 * (
        np.sin(2 * np.pi * yy / period) > 0.6
    )
    img = base[None, None, :] + noise - plaid[..., None]
    return np.clip(img, 0, 255).astype(np.uint8)


def _rot(v: tuple[float, float], deg: float) -> tuple[float, float]:
    a = math.radians(deg)
    return (v[0] * math.cos(a) - v[1] * math.sin(a), v[0] * math.sin(a) + v[1] * math.cos(a))


class _Drawer:
    def __init__(self, spec: SceneSpec, rng: np.random.Generator, margin: int) -> None:
        w, h = spec.width, spec.height
        self.margin = margin
        self.center = (w / 2 + margin + rng.uniform(-0.05, 0.05) * w, h / 2 + margin)
        if spec.infant_angle_deg is not None:
            self.angle = spec.infant_angle_deg
        else:
            base = 0.0 if h >= w else 90.0
            self.angle = base + float(rng.uniform(-20, 20)) + (180.0 if rng.random() < 0.3 else 0)
        length_px = 0.78 * max(w, h)
        self.s = length_px / 215.0
        self.skin = tuple(int(c + rng.uniform(-15, 15)) for c in _SKIN)

    def to_img(self, x: float, y: float) -> tuple[float, float]:
        rx, ry = _rot((x * self.s, y * self.s), self.angle)
        return self.center[0] + rx, self.center[1] + ry

    def draw(self, img: np.ndarray, pose: _Pose, i: int) -> None:
        s = self.s
        bx, by = pose.body_dx[i], pose.body_dy[i]
        tl = pose.trunk_len[i]

        def P(x: float, y: float) -> tuple[int, int]:
            px, py = self.to_img(x + bx, y + by)
            return round(px * 16), round(py * 16)

        sh = 16  # fixed-point shift for sub-pixel drawing

        def line(a, b, thick, color):
            cv2.line(img, a, b, color, max(1, int(thick * s)), cv2.LINE_AA, shift=4)

        limbs = {
            "left_arm": ((-17, -28 * tl), 160.0, 90.0, 24, 22, 9),
            "right_arm": ((17, -28 * tl), 20.0, -90.0, 24, 22, 9),
            "left_leg": ((-11, 32 * tl), 130.0, -40.0, 30, 28, 12),
            "right_leg": ((11, 32 * tl), 50.0, 40.0, 30, 28, 12),
        }
        for name in ("left_leg", "right_leg", "left_arm", "right_arm"):
            (x0, y0), a0, b0, l1, l2, th = limbs[name]
            c = pose.limb[name]
            mirror = -1.0 if name.startswith("left") else 1.0
            a = a0 + mirror * c["da"][i]
            b = b0 + mirror * c["db"][i]
            d1 = (math.cos(math.radians(a)), math.sin(math.radians(a)))
            d2 = (math.cos(math.radians(a + b)), math.sin(math.radians(a + b)))
            x1, y1 = x0 + l1 * c["f"][i] * d1[0], y0 + l1 * c["f"][i] * d1[1]
            x2, y2 = x1 + l2 * d2[0], y1 + l2 * d2[1]
            cloth = _ONESIE if name.endswith("leg") else self.skin
            line(P(x0, y0), P(x1, y1), th, cloth)
            line(P(x1, y1), P(x2, y2), th * 0.85, self.skin)
            cv2.circle(img, P(x2, y2), int(th * 0.6 * s * sh), self.skin, -1, cv2.LINE_AA, shift=4)
        # trunk
        ctr = P(0, 2)
        axes = (int(21 * s * sh), int(40 * tl * s * sh))
        cv2.ellipse(img, ctr, axes, self.angle, 0, 360, _ONESIE, -1, cv2.LINE_AA, shift=4)
        for k in (-24, -8, 8, 24):
            yk = 2 + k * tl
            line(P(-17, yk), P(17, yk), 3, _STRIPE)
        # head
        hs = pose.head_scale[i]
        hx, hy = pose.head_dx[i], -40 * tl - 19 + pose.head_dy[i]
        r = int(19 * hs * s * sh)
        cv2.circle(img, P(hx, hy), r, self.skin, -1, cv2.LINE_AA, shift=4)
        cv2.ellipse(
            img,
            P(hx, hy - 4 * hs),
            (r, int(r * 0.7)),
            self.angle,
            180,
            360,
            _HAIR,
            -1,
            cv2.LINE_AA,
            shift=4,
        )
        for ex in (-7, 7):
            cv2.circle(
                img,
                P(hx + ex * hs, hy + 3 * hs),
                int(2.2 * s * sh),
                (40, 40, 40),
                -1,
                cv2.LINE_AA,
                shift=4,
            )
        line(P(hx - 5 * hs, hy + 11 * hs), P(hx + 5 * hs, hy + 11 * hs), 2, (90, 90, 170))

    def body_point(self, x: float, y: float) -> tuple[float, float]:
        return self.to_img(x, y)


def _side_of(drawer: _Drawer, body_x: float) -> str:
    """Image side ("left"/"right") of a point at body x, by the detector's convention."""
    ax = _rot((0.0, 1.0), drawer.angle)
    if ax[1] < -1e-9 or (abs(ax[1]) <= 1e-9 and ax[0] < 0):
        ax = (-ax[0], -ax[1])
    n = (ax[1], -ax[0])
    px = _rot((body_x, 0.0), drawer.angle)
    return "right" if px[0] * n[0] + px[1] * n[1] > 0 else "left"


def render(spec: SceneSpec, path: str | Path) -> GroundTruth:
    """Render ``spec`` to an H.264 MP4 at ``path`` and return its ground truth.

    Spasm and jerk sides in the ground truth are image sides, as the detector reports
    them (see ``docs/video.md``).
    """
    truth = schedule(spec)
    rng = np.random.default_rng(spec.seed + 1_000_003)
    margin = 40
    w, h = spec.width, spec.height
    drawer = _Drawer(spec, rng, margin)
    # Map body sides to image sides once the infant's orientation is known.
    fixed = []
    for ev in truth.events:
        if ev.kind == SPASM and ev.side != "both":
            fixed.append(replace(ev, side=_side_of(drawer, -1.0 if ev.side == "left" else 1.0)))
        else:
            fixed.append(ev)
    body_side = {e: ev.side for e, ev in zip(fixed, truth.events, strict=True)}
    truth.events = fixed
    pose = _pose_curves(
        replace(truth, events=[replace(e, side=body_side[e]) for e in truth.events]), rng
    )
    blanket = _blanket(rng, w + 2 * margin, h + 2 * margin)
    n = truth.frames
    t = np.arange(n) / spec.fps
    fs = spec.fps
    # camera: tremor, drift and jolts
    cam_x = _smooth_noise(rng, n, 0.08 * fs, 0.8 * spec.shake) + _smooth_noise(
        rng, n, 1.5 * fs, 4.0 * spec.shake
    )
    cam_y = _smooth_noise(rng, n, 0.08 * fs, 0.8 * spec.shake) + _smooth_noise(
        rng, n, 1.5 * fs, 4.0 * spec.shake
    )
    cam_r = _smooth_noise(rng, n, 0.3 * fs, 0.5 * spec.shake)
    cam_z = 1.0 + _smooth_noise(rng, n, 2.0 * fs, 0.01 * spec.shake)
    gain = 1.0 + spec.flicker * 0.04 * np.sin(2 * np.pi * float(rng.uniform(2, 6)) * t)
    for ev in truth.events:
        ramp = np.clip((t - ev.start_s) / (ev.end_s - ev.start_s), 0, 1)
        if ev.kind == "jolt":
            mag = float(rng.uniform(6, 14)) * spec.shake
            ang = float(rng.uniform(0, 2 * np.pi))
            cam_x += mag * math.cos(ang) * ramp
            cam_y += mag * math.sin(ang) * ramp
            cam_r += float(rng.uniform(-2, 2)) * ramp
        elif ev.kind == "light":
            gain = gain * (1 + float(rng.choice([-1, 1])) * 0.15 * spec.flicker * ramp)
    hands = [ev for ev in truth.events if ev.kind == "hand"]
    hand_geo = []
    for _ev in hands:
        edge_ang = float(rng.uniform(0, 2 * np.pi))
        target = drawer.body_point(float(rng.uniform(-8, 8)), float(rng.uniform(-5, 20)))
        far = (
            target[0] + 1.2 * max(w, h) * math.cos(edge_ang),
            target[1] + 1.2 * max(w, h) * math.sin(edge_ang),
        )
        hand_geo.append((target, far))
    noise_bank = [rng.normal(0, 2.0, size=(h, w, 3)).astype(np.int16) for _ in range(6)]
    rotation = spec.store_rotation % 360
    out_w, out_h = (h, w) if rotation in (90, 270) else (w, h)
    path = Path(path)
    container = av.open(str(path), "w", options={"movflags": "+faststart"})
    stream = container.add_stream("libx264", rate=round(fs))
    stream.width, stream.height, stream.pix_fmt = out_w, out_h, "yuv420p"
    stream.options = {"crf": "23", "preset": "veryfast"}
    if rotation:
        stream.set_display_rotation(rotation)
    cx, cy = w / 2 + margin, h / 2 + margin
    try:
        for i in range(n):
            img = blanket.copy()
            drawer.draw(img, pose, i)
            for ev, (target, far) in zip(hands, hand_geo, strict=True):
                if ev.start_s <= t[i] <= ev.end_s:
                    into = min(1.0, (t[i] - ev.start_s) / 1.0, (ev.end_s - t[i]) / 1.0)
                    into = 0.5 - 0.5 * math.cos(math.pi * max(0.0, into))
                    hx = far[0] + (target[0] - far[0]) * into
                    hy = far[1] + (target[1] - far[1]) * into
                    thick = int(18 * drawer.s * 16)
                    p1 = (int(hx * 16), int(hy * 16))
                    p0 = (int(far[0] * 16), int(far[1] * 16))
                    cv2.line(img, p0, p1, (120, 150, 200), max(1, thick // 16), cv2.LINE_AA, 4)
                    cv2.circle(
                        img, p1, int(12 * drawer.s * 16), (125, 155, 205), -1, cv2.LINE_AA, 4
                    )
            m = cv2.getRotationMatrix2D((cx, cy), float(cam_r[i]), float(cam_z[i]))
            m[0, 2] += cam_x[i] - margin
            m[1, 2] += cam_y[i] - margin
            frame = cv2.warpAffine(
                img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT
            )
            f = frame.astype(np.int16)
            f = (f * gain[i]).astype(np.int16) + noise_bank[i % len(noise_bank)]
            frame = np.clip(f, 0, 255).astype(np.uint8)
            if rotation:
                # stored picture: rotate clockwise so the display rotation restores it
                frame = np.ascontiguousarray(np.rot90(frame, k=-(rotation // 90)))
            vf = av.VideoFrame.from_ndarray(frame, format="bgr24")
            for packet in stream.encode(vf):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    finally:
        container.close()
    return truth


# ---------------------------------------------------------------- the benchmark sets


def _cluster_scene(name: str, seed: int, i: int, **extra: object) -> SceneSpec:
    portrait = i % 4 == 3
    long_gaps = i % 3 == 2
    return SceneSpec(
        name,
        seed=seed,
        duration_s=90.0,
        width=240 if portrait else 320,
        height=320 if portrait else 240,
        cluster_size=(3, 5) if long_gaps else (6, 20),
        gap_s=(10.0, 30.0) if long_gaps else (3.0, 6.0),
        one_sided_share=0.35,
        jerks=3,
        kick_bouts=1,
        reaches=2,
        hands=1,
        shake=(0.5, 1.0, 1.5)[i % 3],
        jolts=2,
        flicker=(0.5, 1.0, 2.0)[i % 3],
        store_rotation=90 if portrait else 0,
        **extra,
    )


def _benign_scene(name: str, seed: int, i: int) -> SceneSpec:
    return SceneSpec(
        name,
        seed=seed,
        duration_s=60.0,
        clusters=0,
        jerks=5,
        kick_bouts=2,
        reaches=3,
        hands=2,
        shake=(0.5, 1.0, 1.5)[i % 3],
        jolts=3,
        flicker=(1.0, 1.5, 2.0)[i % 3],
    )


def test_set() -> list[SceneSpec]:
    """The test set: 24 scenes with a cluster of flexion or extension spasms (seeds
    1000+), 6 with a series of head nods (seeds 1500+) and 12 benign scenes (2000+)."""
    return (
        [_cluster_scene(f"cluster_{i:02d}", 1000 + i, i) for i in range(24)]
        + [_cluster_scene(f"nods_{i:02d}", 1500 + i, i, nod_share=1.0) for i in range(6)]
        + [_benign_scene(f"benign_{i:02d}", 2000 + i, i) for i in range(12)]
    )


def tuning_set() -> list[SceneSpec]:
    """The tuning set, same kinds of scene with other seeds: 12 clusters (3000+), 3 nod
    series (3500+), 6 benign (4000+)."""
    return (
        [_cluster_scene(f"tune_cluster_{i:02d}", 3000 + i, i) for i in range(12)]
        + [_cluster_scene(f"tune_nods_{i:02d}", 3500 + i, i, nod_share=1.0) for i in range(3)]
        + [_benign_scene(f"tune_benign_{i:02d}", 4000 + i, i) for i in range(6)]
    )


def main(argv: list[str] | None = None) -> int:
    """Render scenes of a set: MP4 and JSON truth per scene (the options:
    :mod:`.render_command`)."""
    from spasmwatch.testing.video.render_command import main as command

    return command("2d", argv)


if __name__ == "__main__":
    sys.exit(main())
