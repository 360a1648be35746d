"""A channel's noise floor: the amplifier's and the electrodes' noise, flat up to half
the sampling rate, which an electrodecrement leaves as it is.

It is read from the same power spectrum of a span in which
:func:`~spasmwatch.eeg.features.mains_and_floor` looks for the mains line, between the
harmonics of the mains frequencies (:data:`MAINS_HZ`), and given as an RMS and as the line
length the floor alone has: the measure the decrement rules and the reasons compare the
EEG's line length with. Apart from the features' computation so that the 2-12 Hz band
(:mod:`~spasmwatch.eeg.decrement_band`) and the benchmarks read the floor on its own.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import uniform_filter1d

#: Mains frequencies in Hz; each and its harmonics below 0.95 of the Nyquist frequency
#: are looked for.
MAINS_HZ = (50.0, 60.0)

#: A channel's noise floor (the amplifier's and the electrodes' noise, flat up to half the
#: sampling rate) is read from its power in this band (Hz), above the EEG's bands, up to
#: 0.47 of the sampling rate, less ``FLOOR_MAINS_GAP_HZ`` around each harmonic of the
#: mains frequencies. An electrodecrement attenuates the EEG, not this floor.
FLOOR_BAND_HZ = (70.0, 120.0)
FLOOR_MAINS_GAP_HZ = 2.0


def _span_spectrum(work: np.ndarray, sfreq: float) -> tuple[np.ndarray, np.ndarray, int]:
    """The power spectrum (|FFT|², one-sided) of each row over the whole span, its
    frequencies and the transform's length."""
    from scipy import fft as sfft

    # zero-padded to a length of small prime factors: a span's own length may have a
    # large one, which makes the transform many times slower
    size = sfft.next_fast_len(work.shape[1], real=True)
    power = np.abs(sfft.rfft(work, n=size, axis=1)) ** 2
    return power, sfft.rfftfreq(size, 1.0 / sfreq), size


def _floor_of(
    power: np.ndarray, freqs: np.ndarray, n: int, size: int, sfreq: float
) -> tuple[np.ndarray, np.ndarray]:
    """The noise floor of each row of a span of ``n`` samples from its spectrum
    (:func:`_span_spectrum`), as an RMS and as a line length (:func:`mains_and_floor`);
    NaN where the sampling rate leaves no room for :data:`FLOOR_BAND_HZ`."""
    floor_uv = np.full(len(power), np.nan, np.float32)
    floor_ll = np.full(len(power), np.nan, np.float32)
    band = (freqs >= FLOOR_BAND_HZ[0]) & (freqs <= min(FLOOR_BAND_HZ[1], 0.47 * sfreq))
    for base in MAINS_HZ:
        band &= np.abs(freqs - base * np.round(freqs / base)) > FLOOR_MAINS_GAP_HZ
    if not band.any():
        return floor_uv, floor_ll
    level = np.median(power[:, band], axis=1, keepdims=True) / np.log(2)
    # at each frequency, the floor's level or what the spectrum holds there where it is
    # less (averaged over 2 Hz: a single bin scatters as much as its mean)
    smooth = uniform_filter1d(power, max(1, round(2.0 * size / sfreq)), axis=1)
    floor = np.minimum(smooth, level)
    # one-sided periodogram of a length-``size`` transform of ``n`` samples: a component's
    # variance is 2 / (size * n) times the sum of its bins
    step_var = 2.0 / (size * n) * (floor * _step_gain(freqs, sfreq)[None, :]).sum(axis=1)
    floor_uv[:] = np.sqrt(level[:, 0] / n)
    floor_ll[:] = _line_length_of_steps(step_var, sfreq)
    return floor_uv, floor_ll


def _step_gain(freqs: np.ndarray, sfreq: float) -> np.ndarray:
    """The power gain of a sample-to-sample step at ``freqs``: (2 sin(pi f / rate))^2."""
    return (2 * np.sin(np.pi * freqs / sfreq)) ** 2


def _line_length_of_steps(step_var: np.ndarray | float, sfreq: float) -> np.ndarray | float:
    """The line length (mean absolute step times the rate, µV/s) of normal steps of
    variance ``step_var``: sqrt(2 / pi) times their SD, times the rate."""
    return np.sqrt(2.0 / np.pi * step_var) * sfreq


def noise_floor(x: np.ndarray, sfreq: float) -> tuple[np.ndarray, np.ndarray]:
    """The noise floor of each row of ``x`` (µV) as :func:`mains_and_floor` measures it, as
    an RMS (µV) and as a line length (µV/s), each of shape (n_rows,); NaN where unknown
    (under 4 s, or no room for :data:`FLOOR_BAND_HZ`)."""
    x = np.atleast_2d(x)
    if x.shape[1] < 4 * round(sfreq) or len(x) == 0:
        unknown = np.full(len(x), np.nan, np.float32)
        return unknown, unknown.copy()
    power, freqs, size = _span_spectrum(x, sfreq)
    return _floor_of(power, freqs, x.shape[1], size, sfreq)
