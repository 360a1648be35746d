"""Spasms of one end of the body: subtle head nods (pure functions used by :mod:`detect`).

The main detector looks for movements that spread along the whole infant. The mildest
epileptic spasms do not: a series of head nods (a few degrees up to about 20 degrees of
neck flexion, "salaam" nods) moves the head and little else. They are found here from
each end of the infant's long axis on its own (the head is at one end; which one is not
assumed): a burst in which that end's cells move together, with the spasm's time course
(a sharp onset, a held posture, a return) and on both sides of the midline, while the
rest of the body stays as it was. A leg's sleep jerk is one-sided and over in a tenth of
a second, kicking is rhythmic and alternates, a reach is slow and one-sided, a
caregiver's hand comes from outside the infant: each fails one of these tests.

References
----------
Epileptic spasms range from massive flexion to "subtle head nods" or a brief shrug;
ILAE, epilepsydiagnosis.org "Epileptic spasms" (2022); Hrachovy & Frost, J Clin
Neurophysiol 2003. See docs/clinical-reference.md.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy import ndimage

from spasmwatch.video.features import onset_sharpness, posture, return_index, rolling_baseline
from spasmwatch.video.regions import ActivityTraces, axis_coordinates

__all__ = ["PartSettings", "in_series", "part_bursts"]

#: Each end of the infant: the cells within this share of its length from that end.
#: A young infant's head is about a quarter of its length (WHO growth standards: head
#: circumference 35-42 cm at 0-3 months against 50-60 cm length), so this covers the
#: head whichever way the baby lies.
END_SHARE = 0.3
#: ... and within this share of the infant's half-width from its long axis: the head is
#: in the midline, the arms (at the head end) and the legs (at the other) lie lateral.
CORE_SHARE = 0.5
#: Spasms in a cluster come one every 3-30 s (ILAE): a movement of the same end less
#: than this long (s) before or after another is kicking, feeding or fidgeting.
ISOLATION_S = 2.0
#: A series of nods: at least this many like movements of one end (a cluster of
#: spasms has at least 3; docs/clinical-reference.md) ...
SERIES_MIN = 3
#: ... each at most this long (s) after the one before (the cluster rule of detect.py) ...
SERIES_GAP_S = 60.0
#: ... moving the same way: cosine of the angle between their onset directions.
SERIES_COS = 0.7
#: A burst starting within this long (s) after the end of the one before, at the same
#: end, is its relaxation when the two together last at most RELAXATION_MAX_S (the
#: longest spasm, 3 s).
RELAXATION_GAP_S = 0.8
RELAXATION_MAX_S = 3.0
#: The fewest cells an end must have: fewer, and a nod is lost in single-cell noise.
MIN_END_CELLS = 3


@dataclass(frozen=True)
class PartSettings:
    """Thresholds of the nod detector at one sensitivity.

    Attributes
    ----------
    rise
        How far the share of the end's cells moving must rise above its baseline.
    sharpness
        Least onset sharpness (share of the end per second of its rise).
    confined
        Most of the rest of the infant that may move meanwhile (share of its cells
        above their baseline): a nod moves the head and little else.
    """

    rise: float
    sharpness: float
    confined: float


@dataclass(frozen=True)
class PartBurst:
    """One movement of an end of the body, measured like a whole-body burst."""

    i0: int
    i1: int
    end: int  # which end of the infant (0 or 1)
    isolated: bool  # no other burst of the same end within ISOLATION_S
    peak_extent: float
    sharpness: float
    symmetry: float
    hold_s: float
    rigidity: float
    rest_extent: float
    direction: tuple[float, float] = (0.0, 0.0)  # unit mean flow of the end at onset


def _ends(mask: np.ndarray, lateral: np.ndarray, along: np.ndarray) -> list[np.ndarray]:
    """The midline cells near each end of the infant's long axis (the head is one), from
    the cells' :func:`~spasmwatch.video.regions.axis_coordinates`."""
    half_width = float(np.percentile(np.abs(lateral[mask]), 90)) if mask.any() else 0.0
    core = mask & (np.abs(lateral) <= max(1.0, CORE_SHARE * half_width))
    ends = [core & (along <= END_SHARE), core & (along >= 1 - END_SHARE)]
    return [e for e in ends if int(e.sum()) >= MIN_END_CELLS]


def _join_relaxations(bursts: list[PartBurst], rate_hz: float) -> list[PartBurst]:
    """Join a burst to the one before it at the same end when it follows closely: the
    return from a held posture is the same movement, not a second one."""
    out: list[PartBurst] = []
    for b in sorted(bursts, key=lambda b: (b.end, b.i0)):
        prev = out[-1] if out and out[-1].end == b.end else None
        if (
            prev is not None
            and b.i0 - prev.i1 <= RELAXATION_GAP_S * rate_hz
            and b.i1 - prev.i0 <= RELAXATION_MAX_S * rate_hz
        ):
            out[-1] = replace(prev, i1=b.i1)
        else:
            out.append(b)
    return out


def part_bursts(
    flow_x: np.ndarray,
    flow_y: np.ndarray,
    tr: ActivityTraces,
    mask: np.ndarray,
    rate_hz: float,
    cfg: PartSettings,
    baseline_window_s: float,
) -> list[PartBurst]:
    """Movement bursts confined to one end of the infant.

    Parameters
    ----------
    flow_x, flow_y
        Signed cell flows, shape ``(T, rows, cols)``.
    tr
        The activity traces of the video (their ``moving`` map is used).
    mask
        The infant mask.
    rate_hz
        Frames per second.
    cfg
        Thresholds.
    baseline_window_s
        Length of the rolling baseline (s), as for whole-body bursts.

    Returns
    -------
    list of PartBurst
        Sorted by onset; bursts of the two ends never overlap in time (the stronger
        is kept).
    """
    moving = tr.moving
    window = round(baseline_window_s * rate_hz)
    found: list[PartBurst] = []
    lateral, along = axis_coordinates(mask)
    for k, end in enumerate(_ends(mask, lateral, along)):
        rest = mask & ~ndimage.binary_dilation(end, iterations=1)
        n_end = int(end.sum())
        ext = moving[:, end].sum(axis=1) / n_end
        base, spread = rolling_baseline(ext, window)
        if rest.any():
            rest_ext = moving[:, rest].sum(axis=1) / int(rest.sum())
            rest_base, _ = rolling_baseline(rest_ext, window)
            rest_up = rest_ext - rest_base
        else:
            rest_up = np.zeros(len(ext))
        hi = base + np.maximum(cfg.rise, 3.0 * spread)
        lo = base + 0.4 * (hi - base)
        labels, _n = ndimage.label(ext > lo)
        # the sides as axis_frame splits them: right beyond the axis, left up to it
        left, right = end & (lateral <= 0), end & (lateral > 0)
        for sl in ndimage.find_objects(labels):
            i0, i1 = sl[0].start, sl[0].stop
            if not (ext[i0:i1] > hi[i0:i1]).any():
                continue
            i1 = max(i1, return_index(flow_x, flow_y, moving, end, i0, i1, rate_hz))
            hold_s, rigid, _held = posture(flow_x, flow_y, moving, end, i0, i1, rate_hz)
            sharp = onset_sharpness(ext, base, i0, i1, rate_hz)
            on = slice(i0, min(i1, i0 + max(2, round(0.5 * rate_hz))))
            lsum = float(moving[on][:, left].sum()) if left.any() else 0.0
            rsum = float(moving[on][:, right].sum()) if right.any() else 0.0
            sym = min(lsum, rsum) / max(lsum, rsum, 1e-9)
            dx = float(flow_x[on][:, end].mean())
            dy = float(flow_y[on][:, end].mean())
            norm = max(float(np.hypot(dx, dy)), 1e-9)
            found.append(
                PartBurst(
                    i0=i0,
                    i1=i1,
                    end=k,
                    isolated=True,
                    peak_extent=float((ext[i0:i1] - base[i0:i1]).max()),
                    sharpness=sharp,
                    symmetry=sym,
                    hold_s=hold_s,
                    rigidity=rigid,
                    rest_extent=float(rest_up[on].max()),
                    direction=(dx / norm, dy / norm),
                )
            )
    found = _join_relaxations(found, rate_hz)
    gap = ISOLATION_S * rate_hz
    onsets = {k: [b.i0 for b in found if b.end == k] for k in (0, 1)}
    found = [
        replace(b, isolated=not any(0 < abs(i - b.i0) < gap for i in onsets[b.end])) for b in found
    ]
    found.sort(key=lambda b: (b.i0, -b.peak_extent))
    kept: list[PartBurst] = []
    for b in found:
        if kept and b.i0 < kept[-1].i1:
            if b.peak_extent > kept[-1].peak_extent:
                kept[-1] = b
            continue
        kept.append(b)
    return kept


def in_series(bursts: list[PartBurst], times_s: np.ndarray) -> list[bool]:
    """For each burst, whether it belongs to a series of like movements: at least
    :data:`SERIES_MIN` bursts of the same end, moving the same way (onset directions
    within about 45 degrees), each within :data:`SERIES_GAP_S` of the next.

    Spasms come in clusters and each spasm of a series looks like the others; a
    fidget of the head now and then points anywhere.
    """
    out = [False] * len(bursts)
    for i, b in enumerate(bursts):
        like = [
            j
            for j, c in enumerate(bursts)
            if c.end == b.end
            and b.direction[0] * c.direction[0] + b.direction[1] * c.direction[1] >= SERIES_COS
        ]
        t = [float(times_s[bursts[j].i0]) for j in like]
        here = float(times_s[b.i0])
        # the run of like bursts around this one, gaps of at most SERIES_GAP_S
        t.sort()
        k = t.index(here)
        lo = hi = k
        while lo > 0 and t[lo] - t[lo - 1] <= SERIES_GAP_S:
            lo -= 1
        while hi < len(t) - 1 and t[hi + 1] - t[hi] <= SERIES_GAP_S:
            hi += 1
        out[i] = hi - lo + 1 >= SERIES_MIN
    return out
