"""Measurements of one movement burst (pure functions used by :mod:`detect`).

Each takes the motion arrays of a video and the index range of a burst, and returns
one physical feature of the movement: its repetition frequency, when the moved parts
have come back, how long a posture is held and how rigidly the infant moves, and how
sharp the onset is.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

#: The shortest rise time credited to an onset (s): a spasm reaches its posture in about
#: 0.1-0.5 s; a rise in fewer frames is not counted as faster than this.
RISE_MIN_S = 0.2
#: How long after its onset a movement is followed to see its parts come back (s): a
#: spasm lasts up to about 3 s.
FOLLOW_S = 3.2
#: Rhythmic (clonic-like) movement: 1-6 Hz.
RHYTHM_BAND_HZ = (1.0, 6.0)


def rolling_baseline(x: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    """Rolling median and robust spread (1.4826 MAD) of ``x`` over ``window`` samples:
    the quiet level a movement burst is measured against."""
    window = max(3, window | 1)
    med = ndimage.median_filter(x, size=window, mode="nearest")
    mad = ndimage.median_filter(np.abs(x - med), size=window, mode="nearest")
    return med, 1.4826 * mad


def rhythm_hz(fx: np.ndarray, fy: np.ndarray, rate_hz: float) -> tuple[float | None, float]:
    """Dominant repetition frequency (Hz) and its strength (0-1) of signed cell flows."""
    n = fx.shape[0]
    if n < 8:
        return None, 0.0
    series = np.concatenate([fx.reshape(n, -1), fy.reshape(n, -1)], axis=1)
    series = series - series.mean(axis=0)
    power = (series**2).sum(axis=0)
    top = series[:, power >= np.percentile(power, 80)]
    ac = np.zeros(n)
    for col in top.T:
        c = np.correlate(col, col, mode="full")[n - 1 :]
        if c[0] > 0:
            ac += c / c[0]
    if not ac[0]:
        return None, 0.0
    ac /= ac[0]
    lo = max(1, int(np.ceil(rate_hz / RHYTHM_BAND_HZ[1])))
    hi = min(n - 2, int(rate_hz / RHYTHM_BAND_HZ[0]))
    if hi <= lo:
        return None, 0.0
    # A repetition is a peak of the autocorrelation after a dip: any smooth movement is
    # still similar to itself a few frames later, which is not a rhythm.
    peaks = [
        k
        for k in range(lo, hi + 1)
        if ac[k] >= ac[k - 1] and ac[k] >= ac[k + 1] and ac[k] - ac[1 : k + 1].min() >= 0.2
    ]
    if not peaks:
        return None, 0.0
    lag = max(peaks, key=lambda k: ac[k])
    strength = float(ac[lag])
    return rate_hz / lag, strength


def _moved_parts(
    flow_x: np.ndarray,
    flow_y: np.ndarray,
    moving: np.ndarray,
    mask: np.ndarray,
    i0: int,
    i1: int,
    first: int,
    until: int,
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """The burst's widest frame (most of the infant moving), the infant's cells moving
    then, and the unit direction of each of those cells' onset: its summed flow from
    frame ``first`` up to that frame (and before ``until``)."""
    peak = i0 + int(np.argmax(moving[i0:i1][:, mask].sum(axis=1)))
    cells = moving[peak] & mask
    end = min(peak + 1, until)
    dx = flow_x[first:end][:, cells].sum(axis=0)
    dy = flow_y[first:end][:, cells].sum(axis=0)
    norm = np.hypot(dx, dy) + 1e-9
    return peak, cells, dx / norm, dy / norm


def return_index(
    flow_x: np.ndarray,
    flow_y: np.ndarray,
    moving: np.ndarray,
    mask: np.ndarray,
    i0: int,
    i1: int,
    rate_hz: float,
) -> int:
    """End (exclusive index) of a movement: when the moved parts have come back.

    A spasm moves into a posture fast, holds it, and relaxes more slowly, so its speed
    shows a sharp onset, a quiet hold and a weaker return. The return is found as flow
    opposite to the onset's direction in the cells that moved at onset, within
    :data:`FOLLOW_S`.
    """
    n = len(flow_x)
    _peak, cells, ux, uy = _moved_parts(flow_x, flow_y, moving, mask, i0, i1, i0, n)
    if not cells.any():
        return i1
    stop = min(n, i0 + round(FOLLOW_S * rate_hz))
    proj = flow_x[i0:stop][:, cells] * ux + flow_y[i0:stop][:, cells] * uy
    p = proj.mean(axis=1)
    top = float(p[: i1 - i0].max())
    if top <= 0:
        return i1
    back = p < -0.1 * top
    back[: i1 - i0] = False
    # two frames in a row, so a single noisy frame does not stretch the movement
    both = back[1:] & back[:-1]
    idx = np.flatnonzero(both)
    if not len(idx):
        return i1
    # The relaxation is one movement back: the first run of return flow (short
    # pauses of one frame allowed), not later fidgeting that happens to go the same way.
    run = np.flatnonzero(np.diff(idx) > 2)
    last = int(idx[run[0]]) if len(run) else int(idx[-1])
    return max(i1, i0 + last + 2)


def posture(
    flow_x: np.ndarray,
    flow_y: np.ndarray,
    moving: np.ndarray,
    mask: np.ndarray,
    i0: int,
    i1: int,
    rate_hz: float,
) -> tuple[float, float, int]:
    """How long the moved parts stay moved (s), how rigidly they move (0-1), and the
    frame (exclusive index) when they are back half way.

    The parts that move at the burst's peak are followed: their displacement along the
    onset's direction (summed flow) rises at onset; a spasm holds the new posture before
    relaxing, a jerk goes straight back. The hold is the time the displacement stays
    above half its highest value. Rigidity is the length of the mean flow vector of the
    moving cells over their mean speed: near 1 when the whole infant is shifted as one
    piece (rocked by a hand), lower when limbs, head and trunk move against each other.
    The movement lasts at least until the parts are back half way: a spasm with a very
    fast onset (a tenth of a second) and a slow, weak relaxation is brief in speed but
    not in posture.
    """
    a = max(0, i0 - 1)
    stop = min(len(flow_x), i0 + round(FOLLOW_S * rate_hz))
    peak, cells, ux, uy = _moved_parts(flow_x, flow_y, moving, mask, i0, i1, a, stop)
    if not cells.any():
        return 0.0, 0.0, i1
    fx, fy = flow_x[a:stop][:, cells], flow_y[a:stop][:, cells]
    disp = np.cumsum((fx * ux + fy * uy).mean(axis=1))
    top = int(np.argmax(disp[: i1 - a]))
    half = 0.5 * float(disp[top])
    if half <= 0:
        return 0.0, 0.0, i1
    below = np.flatnonzero(disp[:top] < half)
    first = int(below[-1]) + 1 if len(below) else 0
    after = np.flatnonzero(disp[top:] < half)
    last = top + int(after[0]) if len(after) else len(disp)
    hold_s = (last - first) / rate_hz
    on = slice(i0, max(peak + 1, min(i1, i0 + round(0.5 * rate_hz))))
    mv = moving[on] & mask[None]
    vx = np.where(mv, flow_x[on], 0.0).sum(axis=(1, 2))
    vy = np.where(mv, flow_y[on], 0.0).sum(axis=(1, 2))
    mag = np.where(mv, np.hypot(flow_x[on], flow_y[on]), 0.0).sum()
    rigid = float(np.hypot(vx, vy).sum() / max(mag, 1e-9))
    # Not back within the window: the end of the movement was not seen.
    return hold_s, rigid, a + last if len(after) else i1


def onset_sharpness(
    extent: np.ndarray, base: np.ndarray, i0: int, i1: int, rate_hz: float
) -> float:
    """Onset sharpness: the steepest rise of extent, in share of the infant per second.

    Each rise is measured from where it starts (the last low point before it, within
    0.4 s) and divided by its own duration (at least :data:`RISE_MIN_S`), so a jump in
    two frames counts as a fast rise even when it is small. The rise is searched up to
    the burst's highest point within its first second, from the frame before the burst:
    small fidgety movement can cross the lower threshold a few tenths of a second before
    the movement itself starts, and must not dilute the sharp onset of a spasm that
    follows it.
    """
    w = max(1, round(0.4 * rate_hz))
    a = max(0, i0 - 1)
    stop = min(i1, i0 + max(2, round(1.0 * rate_hz)))
    seg = extent[a:stop] - base[a:stop]
    if len(seg) < 2:
        return 0.0
    peak = int(np.argmax(seg))
    best = 0.0
    floor = max(1, round(RISE_MIN_S * rate_hz))
    for k in range(1, peak + 1):
        j0 = max(0, k - w)
        low = k - 1  # the rise starts at the last low point before it
        while low > j0 and seg[low - 1] <= seg[low]:
            low -= 1
        gain = float(seg[k] - seg[low])
        best = max(best, gain / (max(k - low, floor) / rate_hz))
    return best


#: The camera's motion (short sides per second) below which a phone counts as still: the
#: fitted camera motion of the rendered scenes filmed from a stand has a median of
#: 0.001-0.002, that of the handheld ones 0.016-0.075 (both generators' tuning sets).
CAMERA_STILL = 0.005


class CameraParallax:
    """How much of the infant's movement the phone's own movement explains.

    A handheld phone moves as well as turns. The camera fit of
    :class:`~spasmwatch.video.motion.MotionExtractor` removes one affine motion of the
    whole picture, that of the mattress and the room, which fill most of it; an infant
    lying on the mattress is nearer the lens, so when the phone moves it shifts a little
    more than the mattress does (parallax), and that residue is left on the infant's
    cells in step with the camera's motion. This fits, for every cell of the infant, the
    flow that the camera's motion predicts there: a 2 x 2 least-squares map from the
    camera's flow to the cell's residual flow, over the quiet frames of the stretch (the
    infant's mean speed at or below its median, so that its own movements do not enter
    the fit), shrunk towards nothing where the phone hardly moves (:data:`CAMERA_STILL`):
    no parallax without the phone moving. :meth:`share` then says how much of a
    movement's per-cell flow that prediction accounts for.
    """

    def __init__(
        self,
        flow_x: np.ndarray,
        flow_y: np.ndarray,
        camera_flow: np.ndarray,
        mask: np.ndarray,
        energy: np.ndarray,
    ) -> None:
        self._fx = flow_x[:, mask]
        self._fy = flow_y[:, mask]
        self._cam = np.asarray(camera_flow, np.float64).reshape(-1, 2)
        quiet = energy <= np.median(energy) if len(energy) else np.zeros(0, bool)
        ok = len(self._cam) == len(flow_x) and quiet.sum() >= 3 and self._fx.shape[1] > 0
        self._map: tuple[np.ndarray, np.ndarray] | None = None
        if ok:
            cam = self._cam[quiet]
            # ridge: camera motion at the level of a phone on a stand is the flow's own
            # noise (and the infant's movement leaking into the camera fit), from which no
            # parallax can be learnt; the map then shrinks towards nothing
            gram = cam.T @ cam + len(cam) * CAMERA_STILL**2 * np.eye(2)
            solve = np.linalg.solve(gram, cam.T)  # (2, quiet frames)
            self._map = (solve @ self._fx[quiet], solve @ self._fy[quiet])  # (2, cells) each

    def share(self, i0: int, i1: int) -> float:
        """Share (0-1) of the flow energy of the infant's cells over frames ``i0`` to
        ``i1`` (exclusive) that the camera's motion accounts for; 0 without a fit."""
        if self._map is None or i1 <= i0:
            return 0.0
        cam = self._cam[i0:i1]
        ex, ey = self._fx[i0:i1], self._fy[i0:i1]
        total = float((ex.astype(np.float64) ** 2 + ey.astype(np.float64) ** 2).sum())
        if total <= 0:
            return 0.0
        rest = ((ex - cam @ self._map[0]) ** 2 + (ey - cam @ self._map[1]) ** 2).sum()
        return float(np.clip(1.0 - float(rest) / total, 0.0, 1.0))
