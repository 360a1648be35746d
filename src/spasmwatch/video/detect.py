"""From motion signals to movement events and spasm clusters (pure functions).

Arrays in, results out: nothing here reads files or prints. The steps:

1. :func:`locate_infant` finds the grid cells where the infant is, from where the
   picture keeps moving (an infant is never quite still; a hand or a passing object
   moves for a few seconds only).
2. :func:`activity_traces` turns cell speeds into traces over time: the share of the
   infant's cells that move clearly more than they usually do (*extent*), the motion
   on each side of the infant's long axis, and the motion outside the infant.
3. :func:`detect_events` finds bursts above an adaptive quiet baseline (a rolling
   median and spread of the last and next seconds), measures each burst (duration,
   onset sharpness, extent, symmetry, rhythm, movement outside the infant) and
   classifies it as ``spasm_like``, ``jerk``, ``rhythmic`` or ``other``; series of
   movements of one end of the body (head nods, :mod:`~spasmwatch.video.parts`) join
   them.
4. With the learned detector (the default), the bursts found by the rules of
   :data:`CANDIDATE_SENSITIVITY` are weighed by the model of
   :mod:`~spasmwatch.video.classify` instead.
5. :func:`~spasmwatch.video.events.find_clusters` groups spasm-like events into
   ``spasm_cluster`` s.

The clinical definitions behind the durations and clusters, with their source, are in
:mod:`~spasmwatch.video.events`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy import ndimage

from spasmwatch.logistic import LogisticModel
from spasmwatch.video.classify import burst_features, weigh_events
from spasmwatch.video.events import (
    CLUSTER_MAX_GAP_S,
    CLUSTER_MIN_COUNT,
    EVENT_KINDS,
    SPASM_MAX_S,
    SPASM_MIN_S,
    MovementEvent,
    SpasmCluster,
    find_clusters,
)
from spasmwatch.video.features import (
    CameraParallax,
    onset_sharpness,
    posture,
    return_index,
    rhythm_hz,
    rolling_baseline,
)
from spasmwatch.video.parts import PartBurst, PartSettings, in_series, part_bursts
from spasmwatch.video.regions import (
    ActivityTraces,
    activity_traces,
    axial_spread,
    lasting_outside,
    locate_infant,
    outside_around,
    usual_outside,
)

__all__ = [
    "CLUSTER_MAX_GAP_S",
    "CLUSTER_MIN_COUNT",
    "DETECTORS",
    "EVENT_KINDS",
    "SENSITIVITIES",
    "SPASM_MAX_S",
    "SPASM_MIN_S",
    "DetectionSettings",
    "MovementEvent",
    "SpasmCluster",
    "detect_events",
    "find_clusters",
]

#: ``learned``: candidates found by the rules of :data:`CANDIDATE_SENSITIVITY`, weighed
#: by the logistic model of :mod:`~spasmwatch.video.classify` (the default);
#: ``rules``: every measure against its own threshold (:data:`SENSITIVITIES`).
DETECTORS: tuple[str, ...] = ("learned", "rules")
#: The learned detector's candidates are the bursts the rules find at this sensitivity.
CANDIDATE_SENSITIVITY = "high"
#: Rhythmic (clonic-like) movement: 1-6 Hz for at least this long.
RHYTHM_MIN_S = 2.0
_BASELINE_WINDOW_S = 20.0
#: A spasm holds its posture: the moved parts stay more than half moved for at least
#: this long (a jerk of < 0.3 s is back half way within about 0.15 s).
HOLD_MIN_S = 0.25
#: Movement this rigid (the whole infant shifted as one piece) is not a spasm.
RIGID_MAX = 0.9
#: A head nod is in the midline: the smaller side of the moving end moves at least this
#: share of the larger (a limb's jerk or reach moves one side).
NOD_SYMMETRY_MIN = 0.45


@dataclass(frozen=True)
class DetectionSettings:
    """Thresholds of one sensitivity level.

    Attributes
    ----------
    rise
        How far (share of the infant's cells) the extent must rise above its baseline
        to start a burst.
    spasm_extent
        The least extent (share of the infant's cells moving at once) of a spasm-like
        burst.
    spasm_spread
        The least share of the infant's length (head to feet) moving at onset.
    spasm_sharpness
        The least onset sharpness (extent gained per second of its rise, see
        :func:`~spasmwatch.video.features.onset_sharpness`).
    spasm_strength
        The least rise of the infant's mean speed above its usual level, as a multiple
        of that level: a spasm is a forceful movement, fidgeting is not.
    min_score
        Spasm-like bursts scoring less are reported as ``other``.
    part
        Thresholds of movements of one end of the body (head nods), see
        :mod:`~spasmwatch.video.parts`; ``None`` where nods are not looked for
        (``docs/benchmarks.md``: on the second generator's scenes they add false alarms
        without finding its nods, so they are only looked for at ``high``).
    """

    rise: float
    spasm_extent: float
    spasm_spread: float
    spasm_sharpness: float
    spasm_strength: float
    min_score: float
    part: PartSettings | None


SENSITIVITIES: dict[str, DetectionSettings] = {
    "low": DetectionSettings(
        rise=0.18,
        spasm_extent=0.3,
        spasm_spread=0.67,
        spasm_sharpness=1.5,
        spasm_strength=2.0,
        min_score=0.55,
        part=None,
    ),
    "normal": DetectionSettings(
        rise=0.15,
        spasm_extent=0.22,
        spasm_spread=0.5,
        spasm_sharpness=1.1,
        spasm_strength=1.5,
        min_score=0.45,
        part=None,
    ),
    "high": DetectionSettings(
        rise=0.15,
        spasm_extent=0.18,
        spasm_spread=0.5,
        spasm_sharpness=0.8,
        spasm_strength=1.0,
        min_score=0.35,
        part=PartSettings(rise=0.5, sharpness=2.5, confined=0.2),
    ),
}


def _bursts(above: np.ndarray, core: np.ndarray) -> list[tuple[int, int]]:
    """Runs of ``above`` (index ranges, end exclusive) that contain a ``core`` sample."""
    labels, _n = ndimage.label(above)
    out = []
    for sl in ndimage.find_objects(labels):
        i0, i1 = sl[0].start, sl[0].stop
        if core[i0:i1].any():
            out.append((i0, i1))
    return out


def detect_events(
    speed: np.ndarray,
    flow_x: np.ndarray,
    flow_y: np.ndarray,
    times_s: np.ndarray,
    rate_hz: float,
    sensitivity: str = "normal",
    mask: np.ndarray | None = None,
    traces: ActivityTraces | None = None,
    settings: DetectionSettings | None = None,
    detector: str = "learned",
    camera_speed: np.ndarray | None = None,
    model: LogisticModel | None = None,
    camera_flow: np.ndarray | None = None,
) -> list[MovementEvent]:
    """Find movement bursts and classify them.

    Parameters
    ----------
    speed, flow_x, flow_y
        Cell speeds and signed flows, shape ``(T, rows, cols)``, from
        :class:`~spasmwatch.video.motion.MotionSignals`.
    times_s
        Time of each frame in seconds, shape ``(T,)``.
    rate_hz
        Frames per second of the signals.
    sensitivity
        ``low``, ``normal`` or ``high``: the trade-off between missing a subtle spasm
        and reporting more movements that are not spasms.
    mask
        The infant mask; found with :func:`locate_infant` when not given.
    traces
        :func:`activity_traces` of ``speed`` and ``mask``, when already computed.
    settings
        Rule thresholds to use instead of those of ``sensitivity`` (for tuning); for
        the learned detector, the thresholds that find its candidates.
    detector
        ``learned`` (default) or ``rules``, see :data:`DETECTORS`.
    camera_speed
        The fitted camera motion per frame
        (:attr:`~spasmwatch.video.motion.MotionSignals.camera_speed`), a measure the
        learned detector weighs; without it the camera counts as steady.
    model
        The learned detector's model instead of the shipped one.
    camera_flow
        The fitted camera motion per frame as a vector
        (:attr:`~spasmwatch.video.motion.MotionSignals.camera_flow`): each movement's
        ``camera_share`` (:class:`~spasmwatch.video.features.CameraParallax`) is measured
        from it, which the learned detector's veto uses; without it the share is 0.

    Returns
    -------
    list of MovementEvent
        In time order.
    """
    if sensitivity not in SENSITIVITIES:
        allowed = ", ".join(SENSITIVITIES)
        raise ValueError(
            f"Invalid value for 'sensitivity': allowed are {allowed}; got {sensitivity!r}"
        )
    if speed.ndim != 3 or speed.shape != flow_x.shape or speed.shape != flow_y.shape:
        raise ValueError("Invalid motion arrays: speed, flow_x, flow_y must share shape (T, r, c)")
    if len(times_s) != len(speed):
        raise ValueError(f"Invalid 'times_s': {len(times_s)} times for {len(speed)} frames")
    if rate_hz <= 0:
        raise ValueError(f"Invalid value for 'rate_hz': must be positive; got {rate_hz}")
    if detector not in DETECTORS:
        raise ValueError(
            f"Invalid value for 'detector': allowed are {', '.join(DETECTORS)}; got {detector!r}"
        )
    if len(speed) < max(4, int(rate_hz)):
        return []
    learned = detector == "learned"
    level = CANDIDATE_SENSITIVITY if learned else sensitivity
    cfg = SENSITIVITIES[level] if settings is None else settings
    if mask is None:
        mask = locate_infant(speed)
    tr = activity_traces(speed, mask) if traces is None else traces
    window = round(_BASELINE_WINDOW_S * rate_hz)
    base, spread = rolling_baseline(tr.extent, window)
    hi = base + np.maximum(cfg.rise, 3.0 * spread)
    lo = base + 0.4 * (hi - base)
    runs = _bursts(tr.extent > lo, tr.extent > hi)
    runs = _merge_runs(runs, rate_hz)
    outside_lasting = lasting_outside(tr.outside, rate_hz)
    outside_usual = usual_outside(outside_lasting)
    ebase, _ = rolling_baseline(tr.energy, window)
    lbase, _ = rolling_baseline(tr.left, window)
    rbase, _ = rolling_baseline(tr.right, window)
    events: list[MovementEvent] = []
    dt = 1.0 / rate_hz
    covered = -1
    for i0, i1 in runs:
        if i0 <= covered:
            continue  # the relaxation of the movement before
        i1 = max(i1, return_index(flow_x, flow_y, tr.moving, mask, i0, i1, rate_hz))
        hold_s, rigid, held_to = posture(flow_x, flow_y, tr.moving, mask, i0, i1, rate_hz)
        if (i1 - i0 + 1) / rate_hz < SPASM_MIN_S and hold_s >= 2 * HOLD_MIN_S:
            # Brief in speed but not in posture: a very fast onset and a slow relaxation.
            i1 = max(i1, held_to)
        covered = i1 - 1
        start = float(times_s[i0]) - dt
        end = float(times_s[i1 - 1])
        dur = max(dt, end - start)
        seg = tr.extent[i0:i1] - base[i0:i1]
        side_seg = tr.side_extent[i0:i1] - base[i0:i1]
        peak_extent = float(max(seg.max(), 0.7 * side_seg.max()))
        win = slice(i0, min(i1, i0 + max(2, round(0.5 * rate_hz))))
        onset_speed = np.where(tr.moving[win], speed[win], 0.0).max(axis=0)
        strong = onset_speed > 0.15 * float(onset_speed[mask].max() if mask.any() else 0.0)
        spread = axial_spread(strong & (onset_speed > 0), mask)
        sharp = onset_sharpness(tr.extent, base, i0, i1, rate_hz)
        lsum = float(np.clip(tr.left[i0:i1] - lbase[i0:i1], 0, None).sum())
        rsum = float(np.clip(tr.right[i0:i1] - rbase[i0:i1], 0, None).sum())
        sym = min(lsum, rsum) / max(lsum, rsum, 1e-9)
        side = "both" if sym >= 0.45 else ("left" if lsum > rsum else "right")
        outside = outside_around(outside_lasting, outside_usual, i0, i1, rate_hz)
        amp = float((tr.energy[i0:i1] - ebase[i0:i1]).max() / max(float(ebase[i0]), 1e-3))
        hz, strength = None, 0.0
        if dur >= RHYTHM_MIN_S:
            sl = slice(i0, i1)
            hz, strength = rhythm_hz(flow_x[sl][:, mask], flow_y[sl][:, mask], rate_hz)
        kind, score = _classify(dur, peak_extent, spread, sharp, amp, outside, hz, strength, cfg)
        if kind == "spasm_like" and hold_s < HOLD_MIN_S:
            kind = "jerk"  # out and straight back: no posture held
        elif kind == "spasm_like" and rigid >= RIGID_MAX:
            kind, score = "other", min(score, 0.5)  # shifted as one piece: rocked or pushed
        prev = events[-1] if events else None
        if (
            prev is not None
            and prev.kind in ("rhythmic", "other")
            and prev.end_s - prev.start_s > SPASM_MAX_S
            and start - prev.end_s <= 1.0
        ):
            # The tail of a long bout (kicking, rocking) is part of that bout.
            events[-1] = replace(prev, end_s=end)
            continue
        events.append(
            MovementEvent(
                start_s=max(0.0, start),
                end_s=end,
                kind=kind,
                score=score,
                side=side,
                peak_extent=peak_extent,
                spread=spread,
                sharpness=sharp,
                symmetry=sym,
                rhythm_hz=hz if strength >= 0.3 else None,
                outside_share=outside,
                hold_s=hold_s,
                rigidity=rigid,
            )
        )
    if cfg.part is not None:
        events = _with_end_spasms(
            events, flow_x, flow_y, times_s, rate_hz, tr, outside_lasting, outside_usual, mask, cfg
        )
    if camera_flow is not None and events:
        parallax = CameraParallax(flow_x, flow_y, camera_flow, mask, tr.energy)
        events = [replace(e, camera_share=_camera_share(parallax, e, times_s)) for e in events]
    if not learned:
        return events
    features = burst_features(events, tr.energy, tr.extent, times_s, rate_hz, camera_speed)
    return weigh_events(events, features, sensitivity, model)


def _nod_like(
    b: PartBurst, times_s: np.ndarray, rate_hz: float, outside: float, cfg: DetectionSettings
) -> bool:
    """Whether a movement of one end has a spasm's time course, in the midline, with the
    rest of the body still and nothing coming from outside (``outside``, from
    :func:`~spasmwatch.video.regions.outside_around`)."""
    dur = float(times_s[b.i1 - 1] - times_s[b.i0]) + 1.0 / rate_hz
    return (
        b.isolated
        and SPASM_MIN_S <= dur <= SPASM_MAX_S
        and b.hold_s >= HOLD_MIN_S
        and b.sharpness >= cfg.part.sharpness
        and b.symmetry >= NOD_SYMMETRY_MIN
        and b.rest_extent <= cfg.part.confined
        and outside < 0.1
    )


def _camera_share(parallax: CameraParallax, e: MovementEvent, times_s: np.ndarray) -> float:
    """The camera's share of a movement's flow, over the movement's frames (at least 2)."""
    i0 = int(np.searchsorted(times_s, e.start_s))
    i1 = min(len(times_s), max(i0 + 2, int(np.searchsorted(times_s, e.end_s))))
    return parallax.share(i0, i1)


def _with_end_spasms(
    events: list[MovementEvent],
    flow_x: np.ndarray,
    flow_y: np.ndarray,
    times_s: np.ndarray,
    rate_hz: float,
    tr: ActivityTraces,
    outside_lasting: np.ndarray,
    outside_usual: float,
    mask: np.ndarray,
    cfg: DetectionSettings,
) -> list[MovementEvent]:
    """Add the spasm-like movements of one end of the body (head nods).

    A nod may also have crossed the whole-body detector's lower threshold and been
    measured there as a small ``jerk`` or ``other``; such an event is replaced by the
    nod. A movement already called spasm-like is left as it is."""
    dt = 1.0 / rate_hz
    out = list(events)
    bursts = part_bursts(flow_x, flow_y, tr, mask, rate_hz, cfg.part, _BASELINE_WINDOW_S)
    around = [outside_around(outside_lasting, outside_usual, b.i0, b.i1, rate_hz) for b in bursts]
    candidates = [
        (b, out)
        for b, out in zip(bursts, around, strict=True)
        if _nod_like(b, times_s, rate_hz, out, cfg)
    ]
    series = in_series([b for b, _out in candidates], times_s)
    for (b, outside), ok in zip(candidates, series, strict=True):
        if not ok:
            continue
        start = float(times_s[b.i0]) - dt
        end = float(times_s[b.i1 - 1])
        overlap = [e for e in out if start <= e.end_s and end >= e.start_s]
        if any(e.kind in ("spasm_like", "rhythmic") for e in overlap):
            continue
        score = float(
            np.clip(0.5 + 0.25 * (b.sharpness / cfg.part.sharpness - 1) + 0.25 * b.symmetry, 0, 1)
        )
        out = [e for e in out if e not in overlap]
        out.append(
            MovementEvent(
                start_s=max(0.0, start),
                end_s=end,
                kind="spasm_like",
                score=round(score, 3),
                side="both",
                peak_extent=b.peak_extent,
                spread=0.0,
                sharpness=b.sharpness,
                symmetry=b.symmetry,
                rhythm_hz=None,
                outside_share=outside,
                hold_s=b.hold_s,
                rigidity=b.rigidity,
                part="end",
            )
        )
    return sorted(out, key=lambda e: e.start_s)


def _merge_runs(runs: list[tuple[int, int]], rate_hz: float) -> list[tuple[int, int]]:
    """Join the onset and relaxation of one movement (a short gap, a short whole)."""
    merged: list[tuple[int, int]] = []
    gap = round(0.4 * rate_hz)
    longest = SPASM_MAX_S * rate_hz
    short_gap = round(0.3 * rate_hz)
    for run in runs:
        if merged and (
            run[0] - merged[-1][1] <= short_gap
            or (run[0] - merged[-1][1] <= gap and run[1] - merged[-1][0] <= longest)
        ):
            merged[-1] = (merged[-1][0], run[1])
        else:
            merged.append(run)
    return merged


def _classify(
    dur: float,
    extent: float,
    spread: float,
    sharp: float,
    amp: float,
    outside: float,
    hz: float | None,
    strength: float,
    cfg: DetectionSettings,
) -> tuple[str, float]:
    """Kind and score (0-1) of one burst."""
    # Each feature mapped to 0-1 around its threshold; the score is their mean.
    f_extent = float(np.clip(0.5 + (extent - cfg.spasm_extent) / 0.3, 0, 1))
    f_sharp = float(np.clip(0.5 + (sharp - cfg.spasm_sharpness) / (2 * cfg.spasm_sharpness), 0, 1))
    f_amp = float(np.clip(amp / 4.0, 0, 1))
    f_clean = float(np.clip(1.0 - outside / 0.1, 0, 1))
    if hz is not None and strength >= 0.3 and dur >= RHYTHM_MIN_S:
        return "rhythmic", round(float(np.clip(strength, 0, 1)), 3)
    if dur < SPASM_MIN_S:
        return "jerk", round(0.5 * f_extent + 0.5 * f_sharp, 3)
    if dur > SPASM_MAX_S:
        return "other", round(0.3 * f_extent, 3)
    f_spread = float(np.clip((spread - 0.2) / 0.6, 0, 1))
    score = 0.25 * f_extent + 0.25 * f_spread + 0.2 * f_sharp + 0.1 * f_amp + 0.2 * f_clean
    if (
        extent >= cfg.spasm_extent
        and spread >= cfg.spasm_spread
        and sharp >= cfg.spasm_sharpness
        and amp >= cfg.spasm_strength
        and outside < 0.1
        and score >= cfg.min_score
    ):
        return "spasm_like", round(score, 3)
    return "other", round(min(score, 0.5), 3)
