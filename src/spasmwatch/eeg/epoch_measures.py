"""The peak-to-peak amplitude and the line length of 1-s epochs.

Every part of the per-epoch features reads them: the artefact flags
(:mod:`~spasmwatch.eeg.artefacts`), the muscle and the assembly of the features
(:mod:`~spasmwatch.eeg.features`), the 2-12 Hz band (:mod:`~spasmwatch.eeg.decrement_band`).
They live here, below all of those, so that each can share them without importing the
others. The steps are counted as the spike detector counts them
(:func:`~spasmwatch.eeg.spikes.spikes_and_slopes`).
"""

from __future__ import annotations

import numpy as np

from spasmwatch.eeg.spikes import epoch_steps, validate_signal


def _line_length(data: np.ndarray, sfreq: float) -> np.ndarray:
    """Line length (mean absolute step x rate, µV/s) of each 1-s epoch, (n_channels,
    n_epochs), the steps counted as in :func:`~spasmwatch.eeg.spikes.spikes_and_slopes`."""
    return epoch_steps(data, sfreq).mean(axis=2) * sfreq


def _epochs(data: np.ndarray, n: int) -> np.ndarray:
    n_ep = data.shape[1] // n
    return data[:, : n_ep * n].reshape(data.shape[0], n_ep, n)


def half_epoch_measures(work: np.ndarray, sfreq: float, n_ep: int) -> tuple[np.ndarray, np.ndarray]:
    """Peak-to-peak amplitude (µV) and line length (mean absolute step x rate, µV/s, the
    steps counted as in :func:`~spasmwatch.eeg.spikes.spikes_and_slopes`) of the windows
    of one second that start half a second after each of the ``n_ep`` 1-s epochs, each
    (n_channels, n_ep), NaN for a window that ``work`` does not hold whole."""
    n_ch, n = work.shape
    n1 = round(sfreq)
    h = n1 // 2
    ptp = np.full((n_ch, n_ep), np.nan, np.float32)
    line = np.full((n_ch, n_ep), np.nan, np.float32)
    m = min(n_ep, max(0, (n - h) // n1))
    if m == 0:
        return ptp, line
    # the windows are the 1-s epochs of the signal from half a second on
    later = work[:, h:]
    ep = _epochs(later, n1)[:, :m]
    ptp[:, :m] = ep.max(axis=2) - ep.min(axis=2)
    line[:, :m] = _line_length(later, sfreq)[:, :m]
    return ptp, line


def peak_to_peak(data: np.ndarray, sfreq: float, epoch_s: float = 1.0) -> np.ndarray:
    """Peak-to-peak amplitude in µV of each epoch, shape (n_channels, n_epochs).

    A sine of amplitude A has a peak-to-peak amplitude of 2A.
    """
    ep = _epochs(validate_signal(data, sfreq), round(sfreq * epoch_s))
    return (ep.max(axis=2) - ep.min(axis=2)).astype(np.float32)
