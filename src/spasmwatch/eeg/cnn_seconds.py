"""From the network's 16-s windows to times and seconds: when each window's value holds,
and the value of each whole second, the form the analysis and its event rules read.

Pure functions of window counts and values, apart from the network
(:mod:`spasmwatch.eeg.cnn`) that computes them.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from spasmwatch.eeg.cnn_input import FS_HZ, WINDOW_S, _step_samples

#: A second's value is the triangle-weighted mean of the windows centred within this many
#: seconds of its middle: at a 1-s step the mean of the two windows centred 0.5 s either
#: side, as it has always been; at the network's own step two or three windows.
_KERNEL_S = 1.0


def window_times(
    n_windows: int,
    step_s: float = 1.0,
    where: Literal["start", "centre", "end"] = "centre",
) -> np.ndarray:
    """Time of each window of :func:`window_probabilities`, seconds from the signal start.

    Window ``k`` covers ``[k * step_s, k * step_s + 16)`` s. ``"centre"`` (the default,
    ``k * step_s + 8``) is the time a window's value describes best: the network sees 8 s
    either side (its last 3 samples, 0.09 s, are never read). ``"end"``
    (``k * step_s + 16``) is the earliest time the value can be known, for on-line use.
    The causal band-pass delays the signal by less than 0.05 s over 2-12 Hz; not
    corrected.

    Parameters
    ----------
    n_windows
        Number of windows.
    step_s
        Seconds between window starts, as given to :func:`window_probabilities`.
    where
        ``"start"``, ``"centre"`` or ``"end"`` of each window.

    Returns
    -------
    ndarray
        float64, shape (n_windows,).
    """
    offset = {"start": 0.0, "centre": WINDOW_S / 2, "end": WINDOW_S}
    if where not in offset:
        raise ValueError(
            f"Invalid value for 'where': allowed are start, centre, end; got {where!r}"
        )
    if n_windows < 0:
        raise ValueError(f"Invalid value for 'n_windows': expected >= 0; got {n_windows}")
    _step_samples(step_s)
    return np.arange(n_windows) * float(step_s) + offset[where]


def _kernel(starts: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each second's windows and weights: the windows (starting at ``starts``, 32-Hz
    samples, sorted) centred within :data:`_KERNEL_S` of the second's middle ``t + 0.5``,
    weighted by ``1 - distance / _KERNEL_S`` and normalised (a triangle). At a 1-s step
    that is the mean of the two windows centred 0.5 s either side. Where no window is
    centred that near (the first and last 8 s), the nearest window alone.

    Returns ``(index, weight)``, each of shape ``(len(t), n)``: ``n`` windows at most per
    second (unused places: index 0, weight 0).
    """
    centres = starts / FS_HZ + WINDOW_S / 2
    middle = (t + 0.5)[:, None]
    lo = np.searchsorted(centres, middle[:, 0] - _KERNEL_S, side="right")
    hi = np.searchsorted(centres, middle[:, 0] + _KERNEL_S, side="left")
    # the most windows any second has within reach (the window ending with the signal can
    # lie a sample from the grid's last: a bound from the closest pair would be far larger)
    n = max(1, int((hi - lo).max()))
    index = np.clip(lo[:, None] + np.arange(n)[None, :], 0, len(centres) - 1)
    weight = np.clip(1.0 - np.abs(centres[index] - middle) / _KERNEL_S, 0.0, None)
    weight[:, 1:][index[:, 1:] == index[:, :-1]] = 0.0  # a window counted once
    none = weight.sum(axis=1) == 0
    if none.any():
        nearest = np.abs(centres[None, :] - middle[none]).argmin(axis=1)
        index[none] = nearest[:, None]
        weight[none] = 0.0
        weight[none, 0] = 1.0
    weight /= weight.sum(axis=1, keepdims=True)
    return index, weight.astype(np.float32)


def seconds_from_windows(p_windows: np.ndarray, n_seconds: int, step_s: float = 1.0) -> np.ndarray:
    """Per-second values from window values, shape (n_rows, n_seconds).

    Second ``t`` covers ``[t, t + 1)``; its value is the mean of the windows centred
    within 1 s of its middle ``t + 0.5`` (:func:`window_times`), each weighted by how
    near (a triangle: ``1 - distance``). At a 1-s step these are the windows centred at
    ``t`` and ``t + 1`` (windows ``t - 8`` and ``t - 7``), and the value is their mean; at
    the network's own step, two or three windows. In the first and last 8 s, where no
    window is centred, the nearest window's value is repeated.

    Parameters
    ----------
    p_windows
        Window values at ``step_s``, shape (n_rows, n_windows), n_windows >= 1.
    n_seconds
        Seconds of the signal the windows were taken from.
    step_s
        Seconds between window starts, as given to :func:`window_probabilities`.

    Returns
    -------
    ndarray
        float32, shape (n_rows, n_seconds).
    """
    p = np.asarray(p_windows, dtype=np.float32)
    if p.ndim != 2 or p.shape[1] < 1:
        raise ValueError(
            "Invalid value for 'p_windows': expected shape (n_rows, n_windows) with at least "
            f"one window; got shape {p.shape}"
        )
    starts = _step_samples(step_s) * np.arange(p.shape[1])
    index, weight = _kernel(starts, np.arange(n_seconds))
    return np.einsum("ctk,tk->ct", p[:, index], weight).astype(np.float32)
