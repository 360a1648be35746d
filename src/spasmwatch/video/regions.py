"""Where the infant is in the picture, and how much of it moves (pure functions).

The grid cells that keep moving through a video are the infant's: an infant is never
quite still, while a caregiver's hand or a passing object moves a cell for a few seconds
only. The infant's long axis splits it into a left and a right side (as displayed) and
gives a position from one end to the other, used to tell a whole-body movement from one
of a single limb.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

__all__ = [
    "ActivityTraces",
    "activity_traces",
    "axial_spread",
    "axis_coordinates",
    "axis_frame",
    "edge_share",
    "lasting_outside",
    "locate_infant",
    "outside_around",
    "scenery_correlation",
    "usual_outside",
]

#: A cell counts as moving when faster than this (short sides per second) ...
_CELL_FLOOR = 0.04
#: ... and than this multiple of its own median speed.
_CELL_MEDIAN_FACTOR = 2.5


@dataclass(frozen=True)
class ActivityTraces:
    """Traces over time derived from cell speeds (all shape ``(T,)``).

    Attributes
    ----------
    extent
        Share of the infant's cells moving clearly (0-1).
    energy
        Mean speed over the infant's cells (short sides per second).
    left, right
        Mean speed over the infant's cells on each side of its long axis.
    side_extent
        Share of moving cells on the busier side of the long axis (0-1).
    moving
        Boolean ``(T, rows, cols)``: cells moving clearly more than usual.
    outside
        Share of cells well away from the infant that move clearly (0-1).
    """

    extent: np.ndarray
    energy: np.ndarray
    left: np.ndarray
    right: np.ndarray
    side_extent: np.ndarray
    moving: np.ndarray
    outside: np.ndarray


#: A picture whose busiest cell moves less than this (85th percentile, short sides per
#: second) shows nothing moving: no infant can be located.
STILL_LEVEL = 0.01
#: The least level (after weighing down scenery) of a cell of the infant.
MOVING_LEVEL = 0.006


def scenery_correlation(speed: np.ndarray) -> np.ndarray:
    """Per cell, the correlation over time of its speed with the median speed of the
    picture's border cells (0 where it cannot be measured).

    The border is mostly scenery in a video of a baby; when the phone moves, what is
    near the lens moves with it all at once. A grid too small to have a border apart
    from its middle gives zeros.
    """
    s = np.asarray(speed[1:], np.float64)
    t, rows, cols = s.shape
    if rows < 4 or cols < 4 or t < 3:
        return np.zeros((rows, cols))
    ring = np.zeros((rows, cols), bool)
    ring[[0, -1], :] = True
    ring[:, [0, -1]] = True
    common = np.median(s[:, ring], axis=1)
    c0 = common - common.mean()
    x0 = s.reshape(t, -1) - s.reshape(t, -1).mean(axis=0)
    den = np.sqrt(float((c0 * c0).sum()) * (x0 * x0).sum(axis=0))
    corr = np.divide(c0 @ x0, den, out=np.zeros(rows * cols), where=den > 1e-12)
    return corr.reshape(rows, cols)


def locate_infant(speed: np.ndarray) -> np.ndarray:
    """Return a boolean ``(rows, cols)`` mask of the cells where the infant is.

    Parameters
    ----------
    speed
        Cell speeds, shape ``(T, rows, cols)``.

    Notes
    -----
    A cell belongs to the infant when it moves often (its 85th percentile speed is
    high): a hand or object crossing the picture moves a cell for a few seconds only.
    Movement that rises and falls with the picture's border is scenery moving with a
    handheld phone (cot bars or a rail near the lens, whose parallax the camera fit
    cannot remove), not the infant: each cell's level is weighed down by its
    correlation with the border's median speed (:func:`scenery_correlation`). The
    largest connected area (and any of similar weight) is kept and widened by one cell.
    With no clear moving area, the whole picture is used.
    """
    if speed.ndim != 3 or speed.shape[0] < 2:
        raise ValueError(f"Invalid value for 'speed': shape (T>=2, rows, cols); got {speed.shape}")
    level = np.percentile(speed[1:], 85, axis=0)
    if float(level.max()) < STILL_LEVEL:
        return np.ones(level.shape, bool)
    level = level * (1.0 - np.clip(scenery_correlation(speed), 0.0, 1.0)) ** 2
    top = float(level.max())
    # The blanket's level (a low percentile over cells) sets the bar, not the busiest
    # cell: kicking legs must not hide the quieter head and arms.
    mask = level > max(MOVING_LEVEL, 2.0 * float(np.percentile(level, 25)), 0.1 * top)
    if not mask.any():
        return np.ones(level.shape, bool)  # nothing clearly moving apart from the scenery
    labels, n = ndimage.label(mask)
    if n > 1:
        weights = ndimage.sum(level, labels, index=np.arange(1, n + 1))
        keep = np.flatnonzero(weights >= 0.15 * weights.max()) + 1
        mask = np.isin(labels, keep)
    return ndimage.binary_dilation(mask, iterations=1)


def edge_share(mask: np.ndarray) -> float:
    """Share (0-1) of the picture's outer ring of cells that ``mask`` (the infant) covers:
    what the ``infant_in_view`` quality check reads."""
    ring = np.concatenate([mask[0], mask[-1], mask[1:-1, 0], mask[1:-1, -1]])
    return float(ring.mean())


def axis_frame(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per cell: the side of the infant's long axis (+1 right, -1 left) and the
    position along it (0-1 from one end of the infant to the other)."""
    lateral, along = axis_coordinates(mask)
    return np.where(lateral > 0, 1.0, -1.0), along


def axis_coordinates(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per cell: the signed distance from the infant's long axis in cells (positive on
    the right), and the position along the axis (0-1 from one end to the other)."""
    ys, xs = np.nonzero(mask)
    rows, cols = mask.shape
    yy, xx = np.mgrid[0:rows, 0:cols].astype(float)
    if len(xs) < 3:
        return xx - (cols - 1) / 2, yy / max(1, rows - 1)
    cy, cx = ys.mean(), xs.mean()
    cov = np.cov(np.stack([xs - cx, ys - cy]))
    vals, vecs = np.linalg.eigh(cov)
    ax, ay = vecs[:, int(np.argmax(vals))]
    # Same convention as the docs: the axis points down the picture (or right).
    if ay < -1e-9 or (abs(ay) <= 1e-9 and ax < 0):
        ax, ay = -ax, -ay
    nx, ny = ay, -ax
    lateral = (xx - cx) * nx + (yy - cy) * ny
    along = (xx - cx) * ax + (yy - cy) * ay
    lo, hi = along[mask].min(), along[mask].max()
    return lateral, np.clip((along - lo) / max(hi - lo, 1e-9), 0, 1)


def axial_spread(moving: np.ndarray, mask: np.ndarray, bins: int = 6) -> float:
    """Share (0-1) of the infant's length, head to feet, in which cells move.

    A spasm moves head, trunk and limbs together, so it spreads along the whole
    infant; a jerk or reach of one limb stays in one part.

    Parameters
    ----------
    moving
        Boolean ``(rows, cols)`` map of moving cells.
    mask
        Boolean ``(rows, cols)`` infant mask.
    """
    _side, along = axis_frame(mask)
    cells = moving & mask
    if not cells.any():
        return 0.0
    hit = np.unique(np.minimum(bins - 1, (along[cells] * bins).astype(int)))
    return len(hit) / bins


def activity_traces(speed: np.ndarray, mask: np.ndarray) -> ActivityTraces:
    """Compute :class:`ActivityTraces` from cell speeds and the infant mask.

    Parameters
    ----------
    speed
        Cell speeds, shape ``(T, rows, cols)``, short sides per second.
    mask
        Boolean ``(rows, cols)`` infant mask from :func:`locate_infant`.
    """
    if mask.shape != speed.shape[1:]:
        raise ValueError(f"Invalid 'mask' shape {mask.shape}; expected {speed.shape[1:]}")
    usual = np.median(speed[1:], axis=0) if len(speed) > 1 else np.zeros(mask.shape)
    limit = np.maximum(_CELL_FLOOR, _CELL_MEDIAN_FACTOR * usual)
    moving = speed > limit[None]
    inside = mask.astype(bool)
    n_in = max(1, int(inside.sum()))
    far = ~ndimage.binary_dilation(inside, iterations=3)
    sides, _along = axis_frame(inside)
    right = inside & (sides > 0)
    left = inside & (sides < 0)
    return ActivityTraces(
        extent=moving[:, inside].sum(axis=1) / n_in,
        energy=speed[:, inside].mean(axis=1),
        left=speed[:, left].mean(axis=1) if left.any() else np.zeros(len(speed)),
        right=speed[:, right].mean(axis=1) if right.any() else np.zeros(len(speed)),
        side_extent=np.maximum(
            moving[:, left].sum(axis=1) / max(1, int(left.sum())),
            moving[:, right].sum(axis=1) / max(1, int(right.sum())),
        ),
        moving=moving,
        outside=_outside_share(moving, inside, far),
    )


def _outside_share(moving: np.ndarray, inside: np.ndarray, far: np.ndarray) -> np.ndarray:
    """Share of the far cells moving in areas that are not the infant's, per frame.

    A limb that swings beyond the infant's usual area moves cells joined to the
    infant's, inside the picture; a caregiver's hand or an object comes in from the edge
    of the picture (and may touch the infant), or moves apart from it.
    """
    n_far = int(far.sum())
    out = np.zeros(len(moving))
    if not n_far:
        return out
    near = ndimage.binary_dilation(inside, iterations=1)
    edge = np.zeros_like(inside)
    edge[[0, -1], :] = True
    edge[:, [0, -1]] = True
    eight = np.ones((3, 3), bool)
    for i in np.flatnonzero(moving[:, far].any(axis=1)):
        labels, _n = ndimage.label(moving[i] | near, structure=eight)
        limb = np.setdiff1d(np.unique(labels[near]), np.unique(labels[edge & moving[i]]))
        foreign = (labels > 0) & ~np.isin(labels, limb)
        out[i] = (foreign & far).sum() / n_far
    return out


#: The usual movement outside the infant: this percentile of its share over the video
#: (so about 2 s in a minute may be busier without counting as something coming in).
OUTSIDE_USUAL_PCT = 97.0


def usual_outside(outside: np.ndarray) -> float:
    """The video's own usual level of movement outside the infant
    (:data:`OUTSIDE_USUAL_PCT` of its share over the frames).

    Cot bars near the lens, a wall or a floor move a little all the time with a handheld
    phone (parallax the camera fit cannot remove); this level is subtracted so that it is
    not taken for a hand around every movement.
    """
    return float(np.percentile(outside, OUTSIDE_USUAL_PCT)) if len(outside) else 0.0


#: Movement outside the infant counts when it lasts at least this long (s): a hand or
#: an object coming into the picture moves for several tenths of a second, while a
#: single frame's flicker (a compression artefact, an exposure step, a shake the camera
#: fit missed) moves scattered cells for one frame only.
OUTSIDE_LASTS_S = 0.2


def lasting_outside(outside: np.ndarray, rate_hz: float) -> np.ndarray:
    """The share of movement outside the infant that lasted :data:`OUTSIDE_LASTS_S`:
    per frame, the least share over that long up to it (at least two frames)."""
    n = max(2, round(OUTSIDE_LASTS_S * rate_hz))
    if len(outside) < n:
        return np.zeros(len(outside))
    return ndimage.minimum_filter1d(np.asarray(outside, float), n, origin=(n - 1) // 2)


def outside_around(outside: np.ndarray, usual: float, i0: int, i1: int, rate_hz: float) -> float:
    """Movement outside the infant around frames ``i0:i1`` beyond its ``usual`` level
    (:func:`usual_outside`): the most just before (2.5 s) or just after (1 s). A
    caregiver's hand or an object moves outside the infant before and after it touches
    the baby.
    """
    a0 = max(0, i0 - round(2.5 * rate_hz))
    a1 = min(len(outside), i1 + round(1.0 * rate_hz))
    before = float(outside[a0:i0].max()) - usual if i0 > a0 else 0.0
    after = float(outside[i1:a1].max()) - usual if a1 > i1 else 0.0
    return max(0.0, before, after)
