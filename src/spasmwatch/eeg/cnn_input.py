"""The Stevenson-Tapani-Vanhatalo seizure network's input: its rate, its window, and one
channel of EEG brought to it as ``demo.m`` does (band-pass, 32 Hz, clipping, 16-bit code).

Apart from the network (:mod:`spasmwatch.eeg.cnn`) because it is the part that must code
the samples as ``demo.m`` does, with tests of its own, and because the weights, the layers
and the per-second values read its rate and window.
"""

from __future__ import annotations

import functools
from fractions import Fraction

import numpy as np
from scipy import signal

FS_HZ = 32
"""Sampling rate of the network's input, Hz."""
WINDOW_SAMPLES = 512
"""Samples of one input window (16 s at 32 Hz)."""
WINDOW_S = WINDOW_SAMPLES / FS_HZ
CLIP_UV = 200.0
"""Input clipped to +/- this many microvolts before quantisation (``demo.m``)."""
UNITS_PER_UV = 65535.0 / 400.0
"""Network input units per microvolt: 400 µV span over the 16-bit range (about 163.8)."""
_CENTRE = 32768.0  # demo.m subtracts this constant, not the network's average image
_BAND_HZ = (0.5, 32.0)  # cheby2 edges: where the 80 dB stop bands begin
_ORDER = 6
_STOP_DB = 80.0


# ---------------------------------------------------------------- pre-processing
def _check_signal(x: np.ndarray, name: str, min_len: int = 1) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 1:
        raise ValueError(
            f"Invalid value for '{name}': expected a 1-D array (one channel); got shape {x.shape}"
        )
    if len(x) < min_len:
        raise ValueError(
            f"Invalid value for '{name}': {len(x)} samples, at least {min_len} are needed"
        )
    if not np.isfinite(x).all():
        raise ValueError(f"Invalid value for '{name}': contains NaN or infinite samples")
    return x


def _check_fs(fs_hz: float) -> int:
    if not np.isfinite(fs_hz) or fs_hz <= 2 * _BAND_HZ[1] or abs(fs_hz - round(fs_hz)) > 1e-9:
        raise ValueError(
            "Invalid value for 'fs_hz': expected a whole number of Hz above "
            f"{2 * _BAND_HZ[1]:g} (the band-pass reaches {_BAND_HZ[1]:g} Hz); got {fs_hz!r}"
        )
    return round(fs_hz)


@functools.cache
def _band_pass(fs: int) -> np.ndarray:
    # second-order sections: the 12th-order transfer function (b, a) of demo.m rounds its
    # poles near z = 1 off by up to 1e-3 at 256 Hz and is unstable from about 500 Hz
    return signal.cheby2(_ORDER, _STOP_DB, _BAND_HZ, btype="bandpass", fs=fs, output="sos")


def quantise(x_uv: np.ndarray) -> np.ndarray:
    """The 16-bit input coding of ``demo.m``, from microvolts to network units.

    ``x`` is clipped to +/- 200 µV, then ``uint16(x / 400 * 65535 + 32768 + 0.5) - 32768``
    with MATLAB's ``uint16``, which rounds to the nearest integer (halves away from zero)
    and saturates; the ``+ 0.5`` therefore shifts every value up by half a unit
    (0.003 µV): 0 µV gives 1, +200 µV 32767 and -200 µV -32767.

    Parameters
    ----------
    x_uv
        Samples in microvolts (at 32 Hz, after the band-pass).

    Returns
    -------
    ndarray
        float32 integers in -32767..32767, about 163.8 per µV (:data:`UNITS_PER_UV`).
    """
    x = np.clip(np.asarray(x_uv, dtype=np.float64), -CLIP_UV, CLIP_UV)
    v = x / 400.0 * 65535.0 + 32768.0 + 0.5
    q = np.clip(np.floor(v + 0.5), 0.0, 65535.0)  # MATLAB round for v >= 0, then saturate
    return (q - _CENTRE).astype(np.float32)


def preprocess_channel(x_uv: np.ndarray, fs_hz: float) -> np.ndarray:
    """One channel of EEG as the network reads it: 32 Hz, clipped, 16-bit coded.

    As ``demo.m``: a 6th-order Chebyshev type II band-pass with 80 dB stop bands beyond
    0.5 and 32 Hz (``cheby2(6, 80, [0.5 32]/128)``; these are the stop-band edges, so the
    pass band is about 1.2-13.4 Hz at -3 dB), causal, from a zero initial state; then
    resampling to 32 Hz; then :func:`quantise`.

    - The filter runs as second-order sections (``scipy.signal.sosfilt``), the same
      design as ``demo.m``'s ``filter(b, a, x)``, without the rounding of the 12th-order
      polynomial ``a``, which moves its poles near 0.5-1 Hz (up to 0.8 dB there, where
      the response is 15-80 dB down already) and makes it unstable at 500 Hz and above.
    - Resampling: ``scipy.signal.resample_poly`` (Kaiser window, beta 5, 10 zero
      crossings per side: the filter of MATLAB's ``resample``; zero-phase, zeros beyond
      the ends), so sample ``k`` of the output is time ``k / 32`` s of the input.
    - Rates other than 256 Hz: the band-pass is designed for the recording's own rate
      (the same analogue specification) and the signal resampled directly by the ratio
      ``32 / fs_hz``, rather than resampled to 256 Hz first: one resampling instead of
      two, and the same response in the band that survives the resampling (< 16 Hz).
    - The zero initial state makes the first seconds of a recording a filter transient
      (the impulse response falls below 1e-4 of its peak after about 5 s), as in each
      16-s window of ``demo.m``.

    Parameters
    ----------
    x_uv
        One channel (a bipolar derivation), microvolts, shape (n_samples,).
    fs_hz
        Its sampling rate: a whole number of Hz above 64.

    Returns
    -------
    ndarray
        float32, shape ``(ceil(n_samples * 32 / fs_hz),)``, network units.

    Raises
    ------
    ValueError
        ``x_uv`` not 1-D, empty or not finite; ``fs_hz`` not a whole number above 64 Hz.
    """
    x = _check_signal(x_uv, "x_uv")
    fs = _check_fs(fs_hz)
    y = signal.sosfilt(_band_pass(fs), x.astype(np.float64))
    ratio = Fraction(FS_HZ, fs)
    if ratio != 1:
        y = signal.resample_poly(y, ratio.numerator, ratio.denominator)
    return quantise(y)


def _step_samples(step_s: float) -> int:
    n = step_s * FS_HZ
    if not np.isfinite(n) or n < 1 or abs(n - round(n)) > 1e-9:
        raise ValueError(
            f"Invalid value for 'step_s': expected a positive multiple of 1/{FS_HZ} s; "
            f"got {step_s!r}"
        )
    return round(n)
