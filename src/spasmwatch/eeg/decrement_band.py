"""The line length of the 2-12 Hz band (:data:`DECREMENT_BAND_HZ`) and the part of it
that a white noise floor makes.

The decrement rules read it at high sensitivity, and on a continuous background at every
sensitivity (:func:`~spasmwatch.eeg.decrements.reads_band_too`): a real recording's noise
floor can make most of the whole band's line length at 256 Hz and above, and hardly any of
this band's. A capability of its own, with its own band-pass and tests, apart from the
rest of the features.
"""

from __future__ import annotations

import functools

import numpy as np

from spasmwatch.eeg.epoch_measures import _line_length, half_epoch_measures
from spasmwatch.eeg.noise_floor import _line_length_of_steps, _step_gain

#: The band (Hz) of the decrement rules' line length at high sensitivity
#: (:func:`~spasmwatch.eeg.decrements.decrement_events`): above the delta, whose own slopes
#: fall in a trough between high-voltage waves, below the beta, where low-voltage fast
#: activity may ride on an electrodecrement, and where a white noise floor makes about a
#: tenth of an infant's activity (at 256 Hz it makes most of the whole band's line length).
#: Chosen on the tuning parts of the decrement benchmarks (docs/benchmarks-history.md)
#: [design].
DECREMENT_BAND_HZ = (2.0, 12.0)
#: The band-pass: a 4th-order Butterworth run forwards and backwards (no phase shift).
DECREMENT_BAND_ORDER = 4


def _band_gain(freqs: np.ndarray, sfreq: float) -> np.ndarray:
    """The amplitude gain at ``freqs`` of the :data:`DECREMENT_BAND_HZ` band-pass run
    forwards and backwards: the square of the filter's own."""
    from scipy import signal

    sos = signal.butter(DECREMENT_BAND_ORDER, DECREMENT_BAND_HZ, "bandpass", fs=sfreq, output="sos")
    _w, h = signal.sosfreqz(sos, worN=freqs, fs=sfreq)
    return (np.abs(h) ** 2).astype(np.float32)


def band_line_length(work: np.ndarray, sfreq: float, n_ep: int) -> tuple[np.ndarray, np.ndarray]:
    """The line length (µV/s) of ``work`` band-passed to :data:`DECREMENT_BAND_HZ`, on the
    1-s epochs and on the windows half a second later (:func:`half_epoch_measures`), each
    (n_channels, ``n_ep``), NaN where the span does not hold the window whole.

    The band-pass is applied in the frequency domain over the whole span, zero-padded by
    2 s so that its ends do not wrap round (the filter's response has died away by
    then): the same gain as running the filter forwards and backwards, at a fraction of
    its cost."""
    from scipy import fft as sfft

    n_ch, n = work.shape
    on_epochs = np.full((n_ch, n_ep), np.nan, np.float32)
    if n_ch == 0 or n_ep == 0 or sfreq <= 2.2 * DECREMENT_BAND_HZ[1]:
        return on_epochs, on_epochs.copy()
    size = sfft.next_fast_len(n + 2 * round(sfreq), real=True)
    spectrum = sfft.rfft(np.asarray(work, np.float32), n=size, axis=1)
    spectrum *= _band_gain(sfft.rfftfreq(size, 1.0 / sfreq), sfreq)[None, :]
    band = sfft.irfft(spectrum, n=size, axis=1)[:, :n]
    ll = _line_length(band, sfreq)[:, :n_ep]
    on_epochs[:, : ll.shape[1]] = ll
    return on_epochs, half_epoch_measures(band, sfreq, n_ep)[1]


def band_floor_line_length(floor_uv: np.ndarray, sfreq: float) -> np.ndarray:
    """The line length (µV/s) that a white noise floor of ``floor_uv`` µV RMS has in
    :data:`DECREMENT_BAND_HZ` (:func:`band_line_length`): from the power of its steps, as
    :func:`mains_and_floor` computes the whole band's."""
    if sfreq <= 2.2 * DECREMENT_BAND_HZ[1]:
        return np.full_like(np.asarray(floor_uv, np.float32), np.nan)
    return (_band_floor_factor(float(sfreq)) * np.asarray(floor_uv, np.float64)).astype(np.float32)


@functools.lru_cache(maxsize=8)
def _band_floor_factor(sfreq: float) -> float:
    """The line length in :data:`DECREMENT_BAND_HZ` of white noise of 1 µV RMS at
    ``sfreq`` (the same for every span of a recording: worked out once)."""
    freqs = np.linspace(0.0, sfreq / 2, 4097)
    gain = _band_gain(freqs, sfreq).astype(np.float64) ** 2
    # white noise of variance s^2 spreads 2 s^2 / rate over 0..rate/2 (one-sided)
    per_var = np.trapezoid(gain * _step_gain(freqs, sfreq), freqs) * 2.0 / sfreq
    return float(_line_length_of_steps(per_var, sfreq))
