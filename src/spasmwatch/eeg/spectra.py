"""Spectra of EEG epochs: power spectral density and spectral entropy.

Pure functions of arrays (samples in microvolts, shape ``(n_channels, n_samples)``) and a
sampling rate in Hz; used by the epoch features and the seizure window features.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import fft as sp_fft

from spasmwatch.eeg.spikes import validate_signal

__all__ = ["epoch_psd", "spectral_entropy"]


def epoch_psd(
    data: np.ndarray, sfreq: float, epoch_s: float = 1.0, fmax: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Power spectral density of each epoch from a 2-epoch Hann window centred on it.

    The window reaches half an epoch into each neighbour (reflected at the edges), which
    gives 0.5 Hz resolution for 1-s epochs. With ``fmax``, only the frequencies up to it
    are returned (the same values; the rest is never squared or stored).

    Returns
    -------
    psd, freqs
        ``psd`` in µV²/Hz, shape (n_channels, n_epochs, n_freqs); ``freqs`` in Hz.
    """
    data = validate_signal(data, sfreq)
    n = round(sfreq * epoch_s)
    n_ep = data.shape[1] // n
    half = n // 2
    padded = np.pad(data[:, : n_ep * n], ((0, 0), (half, half)), mode="reflect")
    seg = sliding_window_view(padded, 2 * n, axis=1)[:, ::n][:, :n_ep]
    win = np.hanning(2 * n).astype(np.float32)
    seg = seg - seg.mean(axis=2, keepdims=True)
    spec = sp_fft.rfft(seg * win, axis=2)
    freqs = np.fft.rfftfreq(2 * n, 1.0 / sfreq)
    if fmax is not None:
        keep = int(np.searchsorted(freqs, fmax, side="right"))
        spec, freqs = spec[..., :keep], freqs[:keep]
    psd = (spec.real**2 + spec.imag**2) * (2.0 / (sfreq * float((win**2).sum())))
    return psd.astype(np.float32), freqs


def spectral_entropy(
    psd: np.ndarray, freqs: np.ndarray, band: tuple[float, float] = (0.5, 30.0)
) -> np.ndarray:
    """Normalised Shannon entropy (0-1) of the spectrum within ``band`` (last axis).

    1 for white noise, near 0 for a pure tone: a measure of spectral disorder
    (Inouye et al., EEG Clin Neurophysiol 1991;79:204).
    """
    sel = (freqs >= band[0]) & (freqs <= band[1])
    p = psd[..., sel].astype(np.float64)
    p = p / np.maximum(p.sum(axis=-1, keepdims=True), 1e-20)
    h = -(p * np.log(np.maximum(p, 1e-20))).sum(axis=-1)
    return (h / np.log(sel.sum())).astype(np.float32)
