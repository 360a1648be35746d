"""The artefact flags of channel-seconds: flat or stuck, clipped, huge, electrode pop.

The thresholds and their reasons are listed in :mod:`spasmwatch.eeg.features`, whose
:func:`~spasmwatch.eeg.features.compute_epoch_features` sets the flags on every analysed
span. They are apart from it because they are a capability of their own, with their own
tests, that the decrement rules read too (:data:`FLAT_UV`, :data:`HUGE_UV`), and
:func:`artefact_flags` flags a recording's channels as they are.
"""

from __future__ import annotations

import numpy as np

from spasmwatch.eeg.epoch_measures import _epochs
from spasmwatch.eeg.spikes import validate_signal

FLAT_UV = 1.0
#: Stuck: one value held for at least this long (s) within a second. A live channel
#: recorded with a coarse resolution (1-2 µV a step, as some exporters write EDF) also
#: repeats samples, but at most for 0.36 s in a second of quiet neonatal EEG rounded to 1
#: or 2 µV (``eeg1``, ``eeg10`` and ``eeg_burst_eg.edf``; 0.8 s at 4 µV, where 0.4 % of
#: the channel-seconds are then taken for stuck); an amplifier reset or a stuck channel
#: holds for seconds [design].
STUCK_RUN_S = 0.5
CLIPPED_FRACTION = 0.02
HUGE_UV = 1500.0
POP_UV = 150.0
POP_SHARE = 0.5
POP_K = 10.0
POP_AFTER_S = 2
POP_KEPT = 0.5


def _clipped(
    ep: np.ndarray, mx: np.ndarray, mn: np.ndarray, limits_uv: np.ndarray | None
) -> np.ndarray:
    """Clipping flags from epochs (n_ch, n_ep, n) and their max/min; only epochs that
    reach a limit are examined sample by sample."""
    clipped = np.zeros(mx.shape, dtype=bool)
    if limits_uv is None:
        return clipped
    lim = np.asarray(limits_uv, dtype=np.float32)
    lo, hi = lim[:, 0], lim[:, 1]
    tol = 1e-3 * (hi - lo)
    near = (mn <= (lo + tol)[:, None]) | (mx >= (hi - tol)[:, None])
    if near.any():
        c, e = np.nonzero(near)
        seg = ep[c, e]
        at = (seg <= (lo + tol)[c, None]) | (seg >= (hi - tol)[c, None])
        clipped[c, e] = at.mean(axis=1) >= CLIPPED_FRACTION
    return clipped


def _spread(flag: np.ndarray, before: int, after: int) -> np.ndarray:
    """``flag`` (n_channels, n_epochs) extended by ``before`` and ``after`` epochs."""
    out = flag.copy()
    for k in range(1, before + 1):
        out[:, :-k] |= flag[:, k:]
    for k in range(1, after + 1):
        out[:, k:] |= flag[:, :-k]
    return out


def _stuck_and_pops(
    slopes: dict[str, np.ndarray], ptp: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Stuck channel-seconds (one value held for at least ``STUCK_RUN_S`` within the
    second, with the seconds either side) and electrode pops (a one-sample jump of at
    least ``POP_UV`` making up ``POP_SHARE`` of the second's peak-to-peak and ``POP_K``
    times its median sample-to-sample change, at least ``POP_KEPT`` of which is still
    there 20 ms later, with the ``POP_AFTER_S`` seconds after it), each (n_channels,
    n_epochs), from the steps the spike detector measured
    (:func:`~spasmwatch.eeg.spikes.spikes_and_slopes`)."""
    n_ep = ptp.shape[1]
    stuck = slopes["still_run"][:, :n_ep] >= STUCK_RUN_S
    jump = slopes["max_step"][:, :n_ep]
    typical = slopes["median_step"][:, :n_ep]
    kept = slopes["step_kept"][:, :n_ep] >= POP_KEPT
    pop = (jump >= POP_UV) & (jump >= POP_SHARE * ptp) & (jump >= POP_K * typical) & kept
    return _spread(stuck, 1, 1), _spread(pop, 0, POP_AFTER_S)


def artefact_flags(
    data: np.ndarray,
    sfreq: float,
    limits_uv: np.ndarray | None = None,
    epoch_s: float = 1.0,
) -> dict[str, np.ndarray]:
    """Flag flat, clipped and huge-amplitude epochs, each shape (n_channels, n_epochs).

    Parameters
    ----------
    limits_uv
        Per-channel (min, max) physical values of the digital limits, shape (n, 2); when
        None, clipping is not assessed.
    """
    data = validate_signal(data, sfreq)
    ep = _epochs(data, round(sfreq * epoch_s))
    mx, mn = ep.max(axis=2), ep.min(axis=2)
    ptp = mx - mn
    return {
        "flat": ptp < FLAT_UV,
        "huge": ptp > HUGE_UV,
        "clipped": _clipped(ep, mx, mn, limits_uv),
    }
