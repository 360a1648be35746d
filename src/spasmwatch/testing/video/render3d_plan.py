"""What happens in a 3-D scene (:mod:`.render3d`): the scene description, the
timeline of spasms and benign events, and the tracks that drive the renderer (joint angles,
whole-body motion, caregiver's hands, camera shake, lighting).

Spasm kinematics follow the clinical descriptions (ILAE; Hrachovy and Frost): a sudden
contraction of axial and proximal muscles with a fast phasic onset (0.1-0.5 s to peak), a
weaker tonic hold, then relaxation; about 0.5-2 s in all (at most 3 s); in clusters of 3-30
spasms, one every 3-30 s (mostly 5-15 s), often soon after waking, the intensity waxing then
waning within a cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.ndimage import gaussian_filter1d

from spasmwatch.testing.video.render3d_styles import spasm_effect, spasm_timing

SPASM_STYLES = ("flexion", "extension", "mixed", "asymmetric", "one_sided", "nod", "crunch", "eyes")


BENIGN_KINDS = (
    "sleep_jerk",
    "startle",
    "kicking",
    "stretch",
    "feeding",
    "picked_up",
    "hand",
    "jolt",
    "light",
)


#: Benign kinds that move the infant's body (they never overlap a spasm or each other).
BODY_KINDS = {"sleep_jerk", "startle", "kicking", "stretch", "feeding", "picked_up", "hand"}


VIEWS = ("overhead", "oblique", "side")


@dataclass(frozen=True)
class TruthEvent:
    """One labelled event, in seconds from the start of the file.

    ``kind`` is ``spasm`` or a benign kind (:data:`BENIGN_KINDS`); ``side`` is ``both``,
    ``left`` or ``right`` (the infant's own side); ``style`` is the spasm style
    (:data:`SPASM_STYLES`) or a benign sub-kind (``pat``, ``rock``, ``lamp``, ...).
    A spasm runs from the onset of the contraction to the end of the relaxation.
    """

    start_s: float
    end_s: float
    kind: str
    side: str = "both"
    style: str = ""


@dataclass(frozen=True)
class Scene3DSpec:
    """One scene: camera, infant, surroundings, what happens and how it is encoded.

    Attributes
    ----------
    name, seed : scene name and the seed of everything random in it.
    duration_s, fps, width, height : the video.
    view : ``overhead`` (0-12 degrees from vertical), ``oblique`` (35-55 degrees) or
        ``side`` (65-80 degrees).
    infant_size : target share of the frame taken by the infant's bounding box (0.15-0.7).
    clusters : number of spasm clusters (0: a benign scene).
    styles : spasm styles drawn (evenly) for the cluster's spasms.
    benign : benign kinds to place (``fidget`` is always on and need not be named).
    shake : handheld shake (0: tripod, 1: typical, 2: strong).
    crf : libx264 constant rate factor (18 light ... 36 heavy compression).
    cluster_size : range of the number of spasms per cluster (fewer when the scene is short).
    spasm_gap_s : median time from one spasm's onset to the next (3-30 s, log-normal).
    bars : cot bars between camera and infant: ``none``, ``edge`` (the phone just behind
        the rail: a bar or the rail at the frame edge), ``through`` (bars across the
        picture) or ``auto``.
    blanket : a blanket over the legs.
    noise : sensor noise (standard deviation in 8-bit levels at normal exposure).
    fidget : scale of the small continuous movements (1 normal; 0 a still infant: no
        fidgeting, posture changes, blinks or breathing, for tests).
    events : a script instead of the random timeline (spasms and benign events).
    awake : start awake (None: drawn; a cluster scene then often starts asleep).
    """

    name: str
    seed: int
    duration_s: float = 60.0
    fps: float = 30.0
    width: int = 480
    height: int = 360
    view: str = "overhead"
    infant_size: float = 0.35
    clusters: int = 1
    styles: tuple[str, ...] = ("flexion",)
    benign: tuple[str, ...] = ()
    shake: float = 1.0
    crf: int = 26
    cluster_size: tuple[int, int] = (5, 10)
    spasm_gap_s: float = 8.5
    bars: str = "auto"
    blanket: bool = False
    noise: float = 2.0
    fidget: float = 1.0
    events: tuple[TruthEvent, ...] | None = None
    awake: bool | None = None

    def __post_init__(self) -> None:
        if self.view not in VIEWS:
            raise ValueError(f"view must be one of {VIEWS}, not {self.view!r}")
        bad = [s for s in self.styles if s not in SPASM_STYLES]
        bad += [b for b in self.benign if b not in (*BENIGN_KINDS, "fidget")]
        if bad:
            raise ValueError(f"unknown spasm style or benign kind: {bad}")
        if self.bars not in ("auto", "none", "edge", "through"):
            raise ValueError(f"bars must be auto, none, edge or through, not {self.bars!r}")
        if self.width % 2 or self.height % 2:
            raise ValueError("width and height must be even (yuv420p)")


@dataclass
class Action:
    """Something that happens: a labelled event or an unlabelled background movement."""

    kind: str
    t0: float
    t1: float
    side: str = "both"
    style: str = ""
    amp: float = 1.0
    labelled: bool = True
    params: dict = field(default_factory=dict)

    def truth(self) -> TruthEvent:
        return TruthEvent(round(self.t0, 3), round(self.t1, 3), self.kind, self.side, self.style)


@dataclass
class Plan:
    """The timeline of a scene."""

    actions: list[Action]
    clusters: list[tuple[float, float, int]]
    awake: np.ndarray  # (T,) 1 awake, 0 asleep (smooth transitions)

    @property
    def events(self) -> list[TruthEvent]:
        return sorted(
            (a.truth() for a in self.actions if a.labelled), key=lambda e: (e.start_s, e.kind)
        )


# --------------------------------------------------------------------------------------------
# The timeline


class _Slots:
    """Busy intervals, to place events without overlaps."""

    def __init__(self) -> None:
        self.busy: list[tuple[float, float]] = []

    def free(self, t0: float, t1: float, margin: float) -> bool:
        return all(t1 + margin <= a or t0 - margin >= b for a, b in self.busy)

    def take(self, t0: float, t1: float) -> None:
        self.busy.append((t0, t1))


def _find(
    rng: np.random.Generator,
    length: float,
    windows: list[tuple[float, float]],
    slots: list[_Slots],
    margin: float,
    tries: int = 300,
) -> float | None:
    """A start time for an event of ``length`` inside ``windows``, free in every ``slots``."""
    windows = [(a, b) for a, b in windows if b - a >= length]
    if not windows:
        return None
    sizes = np.array([b - a - length for a, b in windows]) + 1e-3
    for _ in range(tries):
        a, b = windows[int(rng.choice(len(windows), p=sizes / sizes.sum()))]
        t0 = float(rng.uniform(a, b - length))
        if all(s.free(t0, t0 + length, margin) for s in slots):
            return t0
    return None


def _intervals(mask: np.ndarray, fps: float, value: bool) -> list[tuple[float, float]]:
    """Time intervals where ``mask`` equals ``value``."""
    m = np.concatenate([[False], mask == value, [False]]).astype(int)
    d = np.diff(m)
    return [
        (a / fps, b / fps)
        for a, b in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True)
    ]


def make_plan(spec: Scene3DSpec) -> Plan:
    """The scene's timeline: sleep and waking, spasm clusters, benign events."""
    rng = np.random.default_rng([spec.seed, 101])
    fps = spec.fps
    n = round(spec.duration_s * fps)
    dur = n / fps
    t = np.arange(n) / fps
    actions: list[Action] = []
    clusters: list[tuple[float, float, int]] = []
    if spec.events is not None:
        for e in spec.events:
            a = Action(e.kind, e.start_s, e.end_s, e.side, e.style)
            if e.kind == "spasm":
                a.params = {"effect": spasm_effect(e.style, e.side, rng)}
                p = spasm_timing(e.style, rng)
                span = e.end_s - e.start_s
                scale = span / (p["tr"] + p["th"] + p["tf"])
                a.params.update({k: v * scale if k != "plateau" else v for k, v in p.items()})
            actions.append(a)
        awake = np.ones(n) if spec.awake in (None, True) else np.zeros(n)
        _add_background(rng, spec, actions, awake > 0.5, t)
        return Plan(actions, clusters, awake)

    body = _Slots()  # body events: spasms and benign movements
    camera = _Slots()  # jolts and light steps (they may overlap a benign movement)
    # Waking: cluster scenes often start asleep and the cluster follows waking.
    if spec.clusters > 0:
        start_awake = spec.awake if spec.awake is not None else bool(rng.random() < 0.3)
        wake = 0.0 if start_awake else float(rng.uniform(0.05, 0.18) * dur)
        asleep = t < wake
        if "sleep_jerk" in spec.benign and wake < 8:
            wake = min(12.0, 0.2 * dur)
            asleep = t < wake
    else:
        start_awake = spec.awake if spec.awake is not None else bool(rng.random() < 0.4)
        asleep = np.zeros(n, bool)
        if start_awake:
            fall = float(rng.uniform(0.55, 0.75) * dur)
            asleep = t >= fall
        else:
            wake = float(rng.uniform(0.3, 0.5) * dur)
            asleep = t < wake
        need_sleep = "sleep_jerk" in spec.benign
        if need_sleep and asleep.mean() < 0.2:
            asleep = t < 0.3 * dur
    if "stretch" in spec.benign or spec.clusters > 0:
        for a, b in _intervals(asleep, fps, False):
            if a > 0.5 and b - a > 6:  # waking
                actions.append(Action("wake", a, a + 0.8, labelled=False))
    awake = np.where(asleep, 0.0, 1.0)
    awake = gaussian_filter1d(awake, 0.3 * fps)

    # Spasm clusters
    awake_windows = _intervals(~asleep, fps, True)
    first = awake_windows[0][0] if awake_windows else 0.0
    span = (first + float(rng.uniform(1.0, 6.0)), dur - 2.5)
    for c in range(spec.clusters):
        width = (span[1] - span[0]) / spec.clusters
        c0 = span[0] + c * width
        spasms = _cluster(rng, spec, c0, c0 + width - (2.0 if c < spec.clusters - 1 else 0.0))
        for sp in spasms:
            body.take(sp.t0, sp.t1)
            camera.take(sp.t0, sp.t1)
        actions.extend(spasms)
        if spasms:
            clusters.append((round(spasms[0].t0, 3), round(spasms[-1].t1, 3), len(spasms)))

    # Benign events
    awake_w = _intervals(~asleep, fps, True)
    asleep_w = _intervals(asleep, fps, True)
    every = [(0.5, dur - 0.5)]
    wake_times = [a.t0 for a in actions if a.kind == "wake"]
    kinds = [k for k in spec.benign if k != "fidget"]
    # The long ones first, so they find room.
    order = sorted(kinds, key=lambda k: -{"feeding": 20, "picked_up": 12, "kicking": 6}.get(k, 1))
    for kind in order:
        _place_benign(rng, spec, kind, actions, body, camera, awake_w, asleep_w, every, wake_times)
    awake_mask = awake > 0.5
    _add_background(rng, spec, actions, awake_mask, t)
    return Plan(actions, clusters, awake)


def _cluster(rng: np.random.Generator, spec: Scene3DSpec, t0: float, t1: float) -> list[Action]:
    """One cluster of spasms between ``t0`` and ``t1``."""
    lo, hi = spec.cluster_size
    count = int(rng.integers(lo, hi + 1))
    gaps = np.clip(rng.lognormal(np.log(spec.spasm_gap_s), 0.42, max(count - 1, 0)), 3.0, 30.0)
    # Fit the cluster in the time there is: shorter gaps (not under 3 s), then fewer spasms.
    room = t1 - t0 - 3.0
    if gaps.sum() > room:
        gaps = np.maximum(gaps * room / gaps.sum(), 3.0)
    while len(gaps) and gaps.sum() > room:
        gaps = gaps[:-1]
    count = len(gaps) + 1
    if count < 3:
        return []
    onsets = t0 + np.concatenate([[0.0], np.cumsum(gaps)])
    # Intensity waxes then wanes (most clusters), with spasm-to-spasm variation.
    k = np.arange(count)
    if rng.random() < 0.75:
        intensity = 0.45 + 0.55 * np.sin(np.pi * (k + 0.5) / count) ** 1.2
    else:
        intensity = np.full(count, 0.8)
    intensity = np.clip(intensity * rng.uniform(0.8, 1.15, count), 0.3, 1.0)
    # Styles drawn evenly; the subtle ones (nod, eyes) go to the weaker spasms.
    styles = list(spec.styles)
    reps = [styles[i % len(styles)] for i in rng.permutation(count)]
    rng.shuffle(reps)
    subtle = [s for s in reps if s in ("nod", "eyes")]
    strong = [s for s in reps if s not in ("nod", "eyes")]
    by_intensity = np.argsort(intensity)
    assigned: list[str] = [""] * count
    for idx, style in zip(by_intensity, subtle + strong, strict=True):
        assigned[int(idx)] = style
    main_side = "left" if rng.random() < 0.5 else "right"
    out = []
    for i in range(count):
        style = assigned[i]
        side = "both"
        if style in ("asymmetric", "one_sided"):
            other = "left" if main_side == "right" else "right"
            side = main_side if rng.random() < 0.85 else other
        p = spasm_timing(style, rng)
        start = float(onsets[i])
        end = start + p["tr"] + p["th"] + p["tf"]
        out.append(
            Action(
                "spasm",
                start,
                end,
                side,
                style,
                amp=float(intensity[i]),
                params=p | {"effect": spasm_effect(style, side, rng)},
            )
        )
    return out


def _place_benign(
    rng: np.random.Generator,
    spec: Scene3DSpec,
    kind: str,
    actions: list[Action],
    body: _Slots,
    camera: _Slots,
    awake_w: list[tuple[float, float]],
    asleep_w: list[tuple[float, float]],
    every: list[tuple[float, float]],
    wake_times: list[float],
) -> None:
    """Place one benign kind (one or a few events) in the free time."""
    dur = spec.duration_s

    def put(
        length: float, windows: list[tuple[float, float]], slots: list[_Slots], margin: float
    ) -> float | None:
        t0 = _find(rng, length, windows, slots, margin)
        if t0 is not None:
            for s in slots:
                s.take(t0, t0 + length)
        return t0

    if kind == "sleep_jerk":
        for _ in range(int(rng.integers(2, 4))):
            jerks = int(rng.integers(1, 4))
            times = [0.0]
            for _ in range(jerks - 1):
                times.append(times[-1] + float(rng.uniform(0.3, 0.9)))
            widths = [float(rng.uniform(0.12, 0.28)) for _ in times]
            length = times[-1] + widths[-1]
            t0 = put(length, asleep_w or every, [body, camera], 1.2)
            if t0 is None:
                continue
            limbs = [
                ("arm_l",),
                ("arm_r",),
                ("leg_l",),
                ("arm_l", "arm_r"),
                ("arm_r", "leg_r"),
                ("arm_l", "arm_r", "leg_l", "leg_r", "trunk"),
            ][int(rng.integers(6))]
            sides = {x[-1] for x in limbs if x != "trunk"}
            side = "both" if len(sides) != 1 else ("left" if sides == {"l"} else "right")
            actions.append(
                Action(
                    "sleep_jerk",
                    t0,
                    t0 + length,
                    side,
                    amp=float(rng.uniform(0.5, 1.1)),
                    params={"times": times, "widths": widths, "limbs": limbs},
                )
            )
    elif kind == "startle":
        for _ in range(int(rng.integers(1, 3))):
            length = float(rng.uniform(1.1, 2.0))
            t0 = put(length, awake_w or every, [body], 1.2)
            if t0 is not None:
                actions.append(Action("startle", t0, t0 + length, amp=float(rng.uniform(0.7, 1))))
    elif kind == "kicking":
        for _ in range(int(rng.integers(1, 3))):
            length = float(rng.uniform(3.0, 8.0))
            t0 = put(length, awake_w or every, [body], 1.2)
            if t0 is None:
                length = 3.0
                t0 = put(length, awake_w or every, [body], 1.0)
            if t0 is not None:
                actions.append(
                    Action(
                        "kicking",
                        t0,
                        t0 + length,
                        amp=float(rng.uniform(0.6, 1.0)),
                        params={"freq": float(rng.uniform(1.0, 3.0))},
                    )
                )
    elif kind == "stretch":
        length = float(rng.uniform(2.2, 5.0))
        t0 = None
        for w in wake_times:
            if body.free(w + 0.3, w + 0.3 + length, 1.0):
                t0 = w + 0.3
                body.take(t0, t0 + length)
                break
        if t0 is None:
            t0 = put(length, awake_w or every, [body], 1.2)
        if t0 is not None:
            actions.append(Action("stretch", t0, t0 + length, amp=float(rng.uniform(0.7, 1.0))))
    elif kind == "feeding":
        length = float(rng.uniform(10.0, 18.0))
        t0 = put(length, awake_w or every, [body], 1.5)
        if t0 is None:
            length = 7.0
            t0 = put(length, awake_w or every, [body], 1.0)
        if t0 is not None:
            actions.append(Action("feeding", t0, t0 + length, style="bottle"))
    elif kind == "picked_up":
        length = float(rng.uniform(6.0, 10.0))
        t0 = put(length, awake_w or every, [body, camera], 1.5)
        if t0 is not None:
            actions.append(Action("picked_up", t0, t0 + length))
    elif kind == "hand":
        styles = ["pat", "stroke", "rock"]
        rng.shuffle(styles)
        for style in styles[: int(rng.integers(1, 3))]:
            length = float(rng.uniform(4.0, 9.0))
            t0 = put(length, every, [body], 1.2)
            if t0 is None:
                continue
            actions.append(Action("hand", t0, t0 + length, style=style))
            # A startle often follows the touch of a hand.
            if "startle" in spec.benign and rng.random() < 0.5:
                s0 = t0 + float(rng.uniform(1.0, 1.5))
                actions.append(Action("startle", s0, s0 + float(rng.uniform(1.1, 1.6)), amp=0.8))
    elif kind == "jolt":
        for _ in range(int(rng.integers(2, 4))):
            length = float(rng.uniform(0.45, 0.9))
            t0 = put(length, every, [camera], 1.0)
            if t0 is not None:
                actions.append(
                    Action(
                        "jolt",
                        t0,
                        t0 + length,
                        amp=float(rng.uniform(0.6, 1.0)),
                        params={"dir": rng.normal(size=6).tolist()},
                    )
                )
    elif kind == "light":
        styles = ["dim", "lamp", "exposure"]
        rng.shuffle(styles)
        for style in styles[: int(rng.integers(2, 4))]:
            length = {"dim": float(rng.uniform(6, 16)), "lamp": 1.0, "exposure": 0.7}[style]
            t0 = put(length, [(1.0, dur - 1.0)], [camera], 1.0)
            if t0 is not None:
                actions.append(
                    Action("light", t0, t0 + length, style=style, amp=float(rng.uniform(0.6, 1.0)))
                )


def _add_background(
    rng: np.random.Generator,
    spec: Scene3DSpec,
    actions: list[Action],
    awake: np.ndarray,
    t: np.ndarray,
) -> None:
    """Unlabelled background: posture changes, head turns and blinks while awake."""
    dur = float(t[-1]) if len(t) else 0.0
    busy = [
        (a.t0 - 2.0, a.t1 + 2.0) for a in actions if a.labelled and a.kind in BODY_KINDS | {"spasm"}
    ]
    fps = spec.fps

    def is_awake(x: float) -> bool:
        i = min(len(awake) - 1, max(0, int(x * fps)))
        return bool(awake[i])

    x = float(rng.uniform(4, 12))
    while x < dur - 4 and spec.fidget > 0:
        length = float(rng.uniform(1.8, 3.5))
        ok = is_awake(x) and all(x + length < a or x > b for a, b in busy)
        if ok:
            actions.append(
                Action(
                    "posture",
                    x,
                    x + length,
                    labelled=False,
                    params={
                        "what": rng.choice(["arm", "leg", "head"]),
                        "side": rng.choice(["l", "r"]),
                        "u": float(rng.random()),
                    },
                )
            )
        x += float(rng.uniform(8, 22))
    x = float(rng.uniform(1, 4))
    while x < dur - 0.5 and spec.fidget > 0:
        if is_awake(x):
            actions.append(Action("blink", x, x + 0.22, labelled=False))
        x += float(rng.uniform(2.0, 7.0))
