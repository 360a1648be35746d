"""Per-epoch, per-channel EEG features: pure functions of arrays and a sampling rate.

All functions take samples in microvolts, shape ``(n_channels, n_samples)``, and the
sampling rate in Hz; they return new arrays and never change their input. Epochs are
consecutive, non-overlapping spans of ``epoch_s`` seconds (1 s by default, the resolution
of the Helsinki expert labels and of the BASED spike-wave index).

Thresholds and their sources
----------------------------
- Frequency bands delta 0.5-4, theta 4-8, alpha 8-13, beta 13-30 Hz: IFCN glossary
  (Kane et al., Clin Neurophysiol Pract 2017;2:170).
- Spike: a transient, clearly distinguished from the background, with a pointed peak,
  duration 20-70 ms; sharp wave 70-200 ms (IFCN glossary, Kane et al. 2017). The detector
  accepts 20-200 ms.
- Spike criteria (duration, sharpness, after-going slow wave, relative to the local
  background, more than one channel), each with its source: :mod:`spasmwatch.eeg.spikes`.
- High amplitude: hypsarrhythmia is defined by amplitudes above 200 µV (Hrachovy &
  Frost, J Clin Neurophysiol 2003;20:408; Mytinger et al., BASED, Epilepsia 2021).
- Artefacts **[design]**: flat = peak-to-peak below 1 µV over 1 s (the Helsinki files
  have a 0.15 µV step, so a live channel is never that flat), or one value held for at
  least 0.5 s (a disconnected or stuck channel, an amplifier reset; not merely many
  repeated samples, which a live channel written with a coarse resolution also has),
  with the seconds either side; clipped = at least 2 % of an epoch's samples at
  the file's digital limit; huge = peak-to-peak above 1500 µV, far above the 200-1000 µV
  range reported for hypsarrhythmia (Hrachovy & Frost 2003); pop = a jump of at least
  150 µV from one sample to the next that makes up at least half of the second's peak-
  to-peak amplitude and is 10 times its median sample-to-sample change (an electrode
  pop: a step then an exponential decay; no cerebral wave changes that much in 4 ms),
  half of which is still there 20 ms later (a pop decays over 0.1-1 s, Tatum, Dworetzky
  & Schomer, J Clin Neurophysiol 2011;28:252; a step within a burst of muscle activity,
  such as a spasm's, is undone within a few samples), with the 2 s after it.

Mains interference (a line at 50 or 60 Hz, or at a harmonic, from the power supply:
Tatum, Dworetzky & Schomer, J Clin Neurophysiol 2011;28:252) is removed before the
amplitude, line length, spectra and markers, on the channels whose spectrum shows it
(:func:`remove_mains`): on a quiet or attenuated background a line of 10-20 µV would
otherwise make most of the line length and the peak-to-peak amplitude, and no
attenuation could show through it. Spikes, electrode pops and held values are found on
the signal as recorded.

Muscle (a burst of activity above 30 Hz, such as the spasm's own on a few electrodes:
Tatum, Dworetzky & Schomer 2011) is marked per channel-second (:func:`muscle_seconds`);
the decrement detector leaves those channel-seconds out of its measures of the
background's amplitude, since the muscle hides an attenuation under it.

The spectra are computed by :mod:`spasmwatch.eeg.spectra`, the 8-s channel-wise seizure
features (``EpochFeatures.sz_window``) by :mod:`spasmwatch.eeg.seizure_features`.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, fields

import numpy as np
from scipy.ndimage import uniform_filter1d

from spasmwatch.eeg.montage import bipolar_montage
from spasmwatch.eeg.seizure_features import seizure_window_features
from spasmwatch.eeg.spectra import epoch_psd, spectral_entropy
from spasmwatch.eeg.spikes import (
    Spikes,
    detect_spikes,
    epoch_steps,
    spikes_and_slopes,
    validate_signal,
)

__all__ = [
    "BANDS",
    "EpochFeatures",
    "Spikes",
    "analysis_montage",
    "artefact_flags",
    "bipolar_montage",
    "compute_epoch_features",
    "detect_spikes",
    "iess_markers",
    "nan_quantile",
    "peak_to_peak",
]

BANDS: dict[str, tuple[float, float]] = {
    "delta": (0.5, 4.0),
    "theta": (4.0, 8.0),
    "alpha": (8.0, 13.0),
    "beta": (13.0, 30.0),
}
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
HIGH_AMPLITUDE_UV = 200.0
#: Mains frequencies in Hz; each and its harmonics below 0.95 of the Nyquist frequency
#: are looked for.
MAINS_HZ = (50.0, 60.0)
#: A line: the mean power within ``MAINS_HALF_WIDTH_HZ`` of its frequency is at least
#: ``MAINS_PEAK`` times the median power 2-6 Hz to either side of it (10 dB: a line that
#: stands out of the spectrum unmistakably) [design].
MAINS_PEAK = 10.0
MAINS_HALF_WIDTH_HZ = 0.5
MAINS_SIDE_HZ = (2.0, 6.0)
#: A notch applied before the file was read: within this of a mains frequency the mean
#: power is at most 1 / ``MAINS_PEAK`` of the median 2-6 Hz to either side (a dip as
#: deep as a line is high). Narrower than a line's window: a notch is deepest at its
#: centre (at 0.5 Hz from it, a notch of quality 30 run both ways passes a tenth).
MAINS_DIP_HALF_WIDTH_HZ = 0.25
#: The notch's quality factor: 1.7 Hz wide at 50 Hz (the viewer's notch too,
#: :mod:`spasmwatch.eeg.traces`).
MAINS_Q = 30.0
SPECTRUM_MAX_HZ = 30.0  # the top of the beta band, of the entropy and of the spectrogram


def nan_quantile(x: np.ndarray, q: float, axis: int = 0) -> np.ndarray:
    """Quantile ``q`` (0-1) along ``axis`` ignoring NaN, linear interpolation.

    Same result as ``np.nanquantile`` but vectorised (``np.nanquantile`` loops in Python
    over the other axes, which is slow for a day of 1-s epochs). All-NaN slices give NaN.
    """
    x = np.moveaxis(np.asarray(x, dtype=np.float32), axis, -1)
    s = np.sort(x, axis=-1)  # NaN sort last
    n = (~np.isnan(x)).sum(axis=-1)
    pos = q * np.maximum(n - 1, 0)
    lo = np.floor(pos).astype(np.intp)
    hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
    a = np.take_along_axis(s, lo[..., None], axis=-1)[..., 0]
    b = np.take_along_axis(s, hi[..., None], axis=-1)[..., 0]
    out = a + (b - a) * (pos - lo)
    return np.where(n > 0, out, np.nan).astype(np.float32)


def analysis_montage(
    data: np.ndarray, channels: list[str], kinds: list[str] | None = None
) -> tuple[np.ndarray, list[str]]:
    """The channels the analysis works on: the double banana when it can be derived.

    Referential recordings with at least two double-banana pairs are re-montaged
    (:func:`bipolar_montage`); bipolar recordings, and referential ones with fewer pairs,
    are analysed as they are. Both the features (:func:`compute_epoch_features`) and the
    seizure detectors read these channels, so their rows always match.

    Parameters
    ----------
    data
        Samples, shape (n_channels, n_samples).
    channels
        Normalised 10-20 names of the rows of ``data``.
    kinds
        ``"referential"`` or ``"bipolar"`` per row (default: referential).

    Returns
    -------
    work, names
        The samples of the analysed channels (``data`` itself when not re-montaged) and
        their names.
    """
    kinds = kinds or ["referential"] * len(channels)
    if all(k == "referential" for k in kinds):
        bip, bip_names = bipolar_montage(data, channels)
        if len(bip_names) >= 2:
            return bip, bip_names
    return data, list(channels)


def notch_sos(freq_hz: float, sfreq: float) -> np.ndarray:
    """The mains notch at ``freq_hz`` (IIR notch of quality :data:`MAINS_Q`) as
    second-order sections: the analysis's and the trace viewer's."""
    from scipy import signal

    b, a = signal.iirnotch(freq_hz, MAINS_Q, fs=sfreq)
    return signal.tf2sos(b, a)


def remove_mains(work: np.ndarray, sfreq: float) -> tuple[np.ndarray, np.ndarray]:
    """Remove mains interference where the spectrum shows it (:func:`mains`, without
    the frequencies notched before)."""
    clean, found, _notched = mains(work, sfreq)
    return clean, found


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


def mains(work: np.ndarray, sfreq: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Remove mains interference where the spectrum shows it, and find the mains
    frequency already notched out before the file was read (:func:`mains_and_floor`
    without the noise floor)."""
    clean, found, notched, _floor, _floor_ll = mains_and_floor(work, sfreq)
    return clean, found, notched


def mains_and_floor(
    work: np.ndarray, sfreq: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Remove mains interference where the spectrum shows it, find the mains frequency
    already notched out before the file was read, and measure each channel's noise
    floor, all from one power spectrum of the span.

    For each frequency of :data:`MAINS_HZ` and each of its harmonics below 0.95 of the
    Nyquist frequency, a channel has the line when its power spectrum over the whole
    span has :data:`MAINS_PEAK` times more power within :data:`MAINS_HALF_WIDTH_HZ` of
    it than 2-6 Hz to either side (the median); those channels are notch-filtered there
    (IIR notch, quality :data:`MAINS_Q`, run forwards and backwards: no phase shift).

    A channel was notched before when the power within :data:`MAINS_DIP_HALF_WIDTH_HZ`
    of a frequency of :data:`MAINS_HZ` is at most 1 / :data:`MAINS_PEAK` of the median 2-6
    Hz to either side (a dip as deep as a line is high), from the same spectrum.

    The noise floor is the channel's median power in :data:`FLOOR_BAND_HZ` (the median of
    a periodogram's bins is ln 2 times their mean), taken as flat over the whole band but
    never more than the spectrum holds at a frequency (averaged over 2 Hz): a recording
    filtered or resampled before it was read has less above its filter. It is given as
    the RMS (µV) of white noise of that power, and as the line length (µV/s, the mean
    absolute step times the rate) of the floor alone: from the power of its steps (a step
    filters by 2 sin(pi f / rate)), times sqrt(2 / pi) for the mean absolute value of a
    normal variable. Both NaN where the sampling rate leaves no such band.

    Returns
    -------
    clean, mains_hz, notched_hz, floor_uv, floor_line_length
        The samples (``work`` itself when no line was found) and, per channel, the mains
        frequency whose line or harmonics were removed (0: none), the one notched out
        before (0: none) and the noise floor as an RMS and as a line length, each of
        shape (n_channels,).
    """
    from scipy import signal

    n_ch, n = work.shape
    found = np.zeros(n_ch, np.float32)
    notched = np.zeros(n_ch, np.float32)
    nyquist = sfreq / 2
    if n < 4 * round(sfreq) or n_ch == 0:
        unknown = np.full(n_ch, np.nan, np.float32)
        return work, found, notched, unknown, unknown.copy()
    power, freqs, size = _span_spectrum(work, sfreq)
    floor_uv, floor_ll = _floor_of(power, freqs, n, size, sfreq)
    clean = work
    lo, hi = MAINS_SIDE_HZ
    for base in MAINS_HZ:
        f = base
        while f + hi < 0.95 * nyquist:
            dist = np.abs(freqs - f)
            near = dist <= MAINS_HALF_WIDTH_HZ
            side = (dist >= lo) & (dist <= hi)
            line = power[:, near].mean(axis=1)
            floor = np.median(power[:, side], axis=1)
            if f == base:  # a notch before: at the mains frequency itself, not a harmonic
                at = power[:, dist <= MAINS_DIP_HALF_WIDTH_HZ].mean(axis=1)
                dip = (floor > 1e-12) & (at * MAINS_PEAK <= floor) & (notched == 0)
                notched[dip] = base
            rows = np.flatnonzero(line >= MAINS_PEAK * np.maximum(floor, 1e-12))
            if len(rows):
                if clean is work:
                    clean = work.copy()
                sos = notch_sos(f, sfreq).astype(clean.dtype)
                x = clean[rows]
                # forwards, then backwards, each started in the steady state of its
                # first sample so that the span's ends do not ring
                zi = signal.sosfilt_zi(sos).astype(clean.dtype)
                x, _ = signal.sosfilt(sos, x, axis=1, zi=zi[:, None, :] * x[None, :, :1])
                x = x[:, ::-1]
                x, _ = signal.sosfilt(sos, x, axis=1, zi=zi[:, None, :] * x[None, :, :1])
                clean[rows] = x[:, ::-1]
                found[rows[found[rows] == 0]] = base
            f += base
    return clean, found, notched, floor_uv, floor_ll


#: Muscle: a channel-second whose line length above ``MUSCLE_HZ`` (the EEG's beta band
#: ends at 30 Hz; muscle spreads over 20-300 Hz) is at least ``MUSCLE_RATIO`` times the
#: channel's median over the analysed span and at least ``MUSCLE_SHARE`` of the second's
#: whole line length: activity above the EEG's bands that stands out from the channel's
#: usual and makes much of what moves. The ratio and share were chosen on the tuning
#: parts of the decrement benchmarks (docs/benchmarks.md) [design].
MUSCLE_HZ = 30.0
MUSCLE_RATIO = 3.0
MUSCLE_SHARE = 0.5


def muscle_seconds(
    work: np.ndarray,
    sfreq: float,
    line_length: np.ndarray,
    half_line_length: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The channel-seconds with muscle (:data:`MUSCLE_HZ`, :data:`MUSCLE_RATIO`,
    :data:`MUSCLE_SHARE`) on the recording's 1-s epochs and on the windows half a second
    later (:func:`half_epoch_measures`), each shaped as ``line_length`` and
    ``half_line_length`` (the whole line length of each); none where the sampling rate
    leaves no room above :data:`MUSCLE_HZ`.

    The activity above :data:`MUSCLE_HZ` is taken with a 4th-order Butterworth high-pass
    run forwards only (its phase does not matter to a line length, and one pass costs a
    sixth of a forward-backward filter), started in the steady state of the first
    sample."""
    from scipy import signal

    shape, half_shape = line_length.shape, half_line_length.shape
    if sfreq * 0.45 <= MUSCLE_HZ or work.shape[0] == 0 or shape[1] == 0:
        return np.zeros(shape, bool), np.zeros(half_shape, bool)
    sos = signal.butter(4, MUSCLE_HZ, "high", fs=sfreq, output="sos")
    x = np.asarray(work, np.float32)
    zi = signal.sosfilt_zi(sos)
    fast, _ = signal.sosfilt(sos, x, axis=1, zi=zi[:, None, :] * x[None, :, :1])
    n_ep = shape[1]
    on_epochs = np.full(shape, np.nan, np.float32)
    ll = _line_length(fast, sfreq)[:, :n_ep]
    on_epochs[:, : ll.shape[1]] = ll
    on_half = half_epoch_measures(fast, sfreq, n_ep)[1]

    def flag(hf: np.ndarray, whole: np.ndarray) -> np.ndarray:
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            usual = np.nanmedian(hf, axis=1, keepdims=True)
            return (hf >= MUSCLE_RATIO * usual) & (hf >= MUSCLE_SHARE * whole)

    return flag(on_epochs, line_length), flag(on_half, half_line_length)


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


@dataclass
class EpochFeatures:
    """Features of consecutive 1-s epochs (one column per epoch).

    Channel-wise arrays have shape (n_channels, n_epochs) and refer to ``channels`` (the
    bipolar montage when it can be derived, else the file's channels). ``ptp_uv`` is the
    peak-to-peak amplitude (µV) of those channels and ``ref_ptp_uv`` of the referential
    ones (empty for a bipolar recording); ``line_length`` the mean absolute slope (µV/s).
    Band powers are log10 µV², ``delta_fraction`` the share of 0.5-30 Hz power in delta
    and ``entropy`` the spectral entropy, all from spectra smoothed over 5 s;
    ``spectrogram`` is the channel-mean log10 PSD, shape (n_epochs, n_freqs);
    ``sz_window`` the 8-s channel-wise seizure features of
    :func:`~spasmwatch.eeg.seizure_features.seizure_window_features`, shape
    (n_channels, n_epochs, len(SZ_FEATURES)). ``half_ptp_uv`` and ``half_line_length``
    are the peak-to-peak amplitude and line length of the 1-s windows that start half a
    second later (epoch ``k``: seconds ``k + 0.5`` to ``k + 1.5``; NaN where the span
    ends first), the second grid of the decrement detector
    (:func:`~spasmwatch.eeg.decrements.detect_decrements`). ``mains_hz`` is the mains
    frequency whose line was removed from the channel before the measures (0: none;
    :func:`remove_mains`, judged over each analysed span), ``notched_hz`` the one already
    notched out of the recording before it was read (0: none; :func:`mains`). ``floor_uv``
    is the channel's noise floor (µV RMS over the whole band, NaN where unknown;
    :func:`mains_and_floor`) and ``floor_line_length`` the line length (µV/s) that floor
    alone has: an electrodecrement leaves it as it is. ``muscle`` and
    ``half_muscle`` mark the channel-seconds of either grid with muscle
    (:func:`muscle_seconds`). ``band_line_length`` and ``half_band_line_length`` are the
    line length of the signal band-passed to :data:`DECREMENT_BAND_HZ` on either grid
    (:func:`band_line_length`), and ``floor_band_line_length`` the line length the
    noise floor alone has there: what the decrement rules read at high sensitivity.
    """

    channels: list[str]
    ptp_uv: np.ndarray
    ref_ptp_uv: np.ndarray
    line_length: np.ndarray
    delta: np.ndarray
    theta: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    delta_fraction: np.ndarray
    entropy: np.ndarray
    spike_count: np.ndarray
    flat: np.ndarray
    clipped: np.ndarray
    huge: np.ndarray
    pop: np.ndarray
    spectrogram: np.ndarray
    freqs: np.ndarray
    sz_window: np.ndarray
    spike_channel: np.ndarray
    spike_time_s: np.ndarray
    spike_amplitude_uv: np.ndarray
    perm_entropy: np.ndarray
    amp_entropy: np.ndarray
    connectivity: np.ndarray
    half_ptp_uv: np.ndarray
    half_line_length: np.ndarray
    mains_hz: np.ndarray
    notched_hz: np.ndarray
    floor_uv: np.ndarray
    floor_line_length: np.ndarray
    muscle: np.ndarray
    half_muscle: np.ndarray
    band_line_length: np.ndarray
    half_band_line_length: np.ndarray
    floor_band_line_length: np.ndarray

    @property
    def n_epochs(self) -> int:
        """Number of epochs."""
        return self.ptp_uv.shape[1]

    @property
    def bad(self) -> np.ndarray:
        """Epochs with any artefact flag, shape (n_channels, n_epochs)."""
        return self.flat | self.clipped | self.huge | self.pop

    def spike_events(self, merge_s: float = 0.1) -> np.ndarray:
        """Spikes per epoch counted once across channels, shape (n_epochs,).

        A spike on an artefact-flagged channel-epoch is ignored; spikes on different
        channels less than ``merge_s`` apart are one event (a discharge seen by several
        derivations, e.g. both bipolar pairs sharing an electrode).
        """
        n_ep = self.n_epochs
        if len(self.spike_time_s) == 0 or n_ep == 0:
            return np.zeros(n_ep, dtype=np.int32)
        ep = np.minimum(self.spike_time_s.astype(int), n_ep - 1)
        ok = ~self.bad[self.spike_channel, ep]
        t = np.sort(self.spike_time_s[ok])
        if len(t) == 0:
            return np.zeros(n_ep, dtype=np.int32)
        first = t[np.r_[True, np.diff(t) > merge_s]]
        return np.bincount(np.minimum(first.astype(int), n_ep - 1), minlength=n_ep).astype(np.int32)

    def discharges(self, merge_s: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
        """Spikes on artefact-free channel-epochs grouped across channels (less than
        ``merge_s`` apart, as :meth:`spike_events`): the time (s) of each discharge and
        the channel where it is largest (its focus)."""
        n_ep = self.n_epochs
        if len(self.spike_time_s) == 0 or n_ep == 0:
            return np.zeros(0), np.zeros(0, int)
        ep = np.minimum(self.spike_time_s.astype(int), n_ep - 1)
        ok = ~self.bad[self.spike_channel, ep]
        order = np.argsort(self.spike_time_s[ok], kind="stable")
        t = self.spike_time_s[ok][order]
        ch = self.spike_channel[ok][order]
        amp = self.spike_amplitude_uv[ok][order]
        if len(t) == 0:
            return np.zeros(0), np.zeros(0, int)
        group = np.cumsum(np.r_[True, np.diff(t) > merge_s]) - 1
        n_g = int(group[-1]) + 1
        best = np.full(n_g, -1.0)
        focus = np.zeros(n_g, int)
        for g, c, a in zip(group, ch, amp, strict=True):
            if a > best[g]:
                best[g], focus[g] = a, c
        first = np.r_[True, np.diff(group) > 0]
        return t[first], focus

    def select(self, start: int, stop: int, offset_s: float = 0.0) -> EpochFeatures:
        """Epochs ``start:stop``; spike times are shifted by ``offset_s`` seconds."""
        t0, t1 = start, stop
        keep = (self.spike_time_s >= t0) & (self.spike_time_s < t1)
        kw = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name in ("channels", "freqs"):
                kw[f.name] = v
            elif f.name == "spectrogram":
                kw[f.name] = v[start:stop]
            elif f.name in ("spike_channel", "spike_amplitude_uv"):
                kw[f.name] = v[keep]
            elif f.name == "spike_time_s":
                kw[f.name] = v[keep] - t0 + offset_s
            else:
                kw[f.name] = v[:, start:stop]
        return EpochFeatures(**kw)

    @staticmethod
    def concat(parts: list[EpochFeatures]) -> EpochFeatures:
        """Join epoch features of consecutive spans (spike times already absolute)."""
        kw = {}
        for f in fields(EpochFeatures):
            vals = [getattr(p, f.name) for p in parts]
            if f.name in ("channels", "freqs"):
                kw[f.name] = vals[0]
            elif f.name in ("spectrogram", "spike_channel", "spike_time_s", "spike_amplitude_uv"):
                kw[f.name] = np.concatenate(vals, axis=0)
            else:
                kw[f.name] = np.concatenate(vals, axis=1)
        return EpochFeatures(**kw)


PERM_LAG_S = 1 / 64  # ordinal patterns of samples 15.6 ms apart (about 64 Hz)
AMP_BINS = 16


def iess_markers(work: np.ndarray, n1: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-second markers of infantile epileptic spasms syndrome after Smith et al.
    (Epilepsy Res 2021;176:106704), who found, against controls, higher amplitude, lower
    Shannon and permutation entropy and stronger functional connectivity:

    - permutation entropy (Bandt & Pompe, Phys Rev Lett 2002;88:174102) of order 3 of
      the samples ``PERM_LAG_S`` apart, normalised to 0-1, per channel-second;
    - Shannon entropy of the amplitude distribution of the same samples (``AMP_BINS``
      equal bins between the second's minimum and maximum), normalised to 0-1, per
      channel-second;
    - connectivity strength: the mean absolute zero-lag correlation between all pairs of
      channels in that second (of the same samples), shape (1, n_epochs).
    """
    n_ch = work.shape[0]
    n_ep = work.shape[1] // n1 if n1 else 0
    if n_ep == 0 or n_ch == 0:
        z = np.zeros((n_ch, n_ep), np.float32)
        return z, z.copy(), np.zeros((1, n_ep), np.float32)
    # every sample at about 64 Hz (the lag): a quarter of the work at 256 Hz
    step = max(1, round(PERM_LAG_S * n1))
    ep = work[:, : n_ep * n1].reshape(n_ch, n_ep, n1)[:, :, ::step].astype(np.float32)
    m = ep.shape[2]
    cell = (np.arange(n_ch * n_ep) * 8).reshape(n_ch, n_ep, 1)
    a, b, c = ep[:, :, :-2], ep[:, :, 1:-1], ep[:, :, 2:]
    code = 4 * (a < b) + 2 * (b < c) + (a < c) + cell  # 6 of the 8 codes occur
    p = np.bincount(code.ravel(), minlength=n_ch * n_ep * 8).reshape(n_ch, n_ep, 8) / (m - 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        pe = -np.where(p > 0, p * np.log(p), 0).sum(axis=2) / np.log(6)
    lo, hi = ep.min(axis=2, keepdims=True), ep.max(axis=2, keepdims=True)
    idx = np.minimum(
        ((ep - lo) / np.maximum(hi - lo, 1e-6) * AMP_BINS).astype(np.int64), AMP_BINS - 1
    )
    idx += (np.arange(n_ch * n_ep) * AMP_BINS).reshape(n_ch, n_ep, 1)
    q = np.bincount(idx.ravel(), minlength=n_ch * n_ep * AMP_BINS).reshape(n_ch, n_ep, AMP_BINS) / m
    with np.errstate(divide="ignore", invalid="ignore"):
        he = -np.where(q > 0, q * np.log(q), 0).sum(axis=2) / np.log(AMP_BINS)
    if n_ch >= 2:
        z = ep - ep.mean(axis=2, keepdims=True)
        z /= np.maximum(np.sqrt((z * z).sum(axis=2, keepdims=True)), 1e-6)
        zt = z.transpose(1, 0, 2)  # (n_ep, n_ch, m)
        corr = np.abs(zt @ zt.transpose(0, 2, 1))
        conn = (corr.sum(axis=(1, 2)) - np.trace(corr, axis1=1, axis2=2)) / (n_ch * (n_ch - 1))
    else:
        conn = np.zeros(n_ep, np.float32)
    return pe.astype(np.float32), he.astype(np.float32), conn[None].astype(np.float32)


def _smooth(x: np.ndarray, n: int) -> np.ndarray:
    """Centred moving mean over ``n`` epochs along the epoch axis (axis 1)."""
    if x.shape[1] < 2 or n <= 1:
        return x
    k = np.ones(n, dtype=np.float32) / n
    pad = np.pad(x, [(0, 0), (n // 2, n - 1 - n // 2)] + [(0, 0)] * (x.ndim - 2), mode="edge")
    c = np.cumsum(pad, axis=1, dtype=np.float64)
    c = np.concatenate([np.zeros_like(c[:, :1]), c], axis=1)
    return ((c[:, n:] - c[:, :-n]) * k[0]).astype(np.float32)


def compute_epoch_features(
    data: np.ndarray,
    sfreq: float,
    channels: list[str],
    kinds: list[str] | None = None,
    limits_uv: np.ndarray | None = None,
    smooth_epochs: int = 5,
    seizure_window: bool = True,
) -> EpochFeatures:
    """Compute every 1-s epoch feature of a span of EEG.

    Parameters
    ----------
    data
        Samples in µV, shape (n_channels, n_samples).
    sfreq
        Sampling rate in Hz (at least 60 Hz, so that the beta band is below Nyquist).
    channels
        Normalised names of the rows.
    kinds
        ``"referential"`` or ``"bipolar"`` per row (default: referential). Referential
        channels are re-montaged to the double banana where possible.
    limits_uv
        Digital limits per row in µV, for the clipping flag.
    smooth_epochs
        Epochs averaged (centred) for the band powers and spectral entropy.
    seizure_window
        Compute the 8-s window features of the logistic seizure detector
        (``sz_window``); without them (``False``) ``sz_window`` has no feature column,
        which saves a third of the time when another detector is used.

    Returns
    -------
    EpochFeatures
    """
    data = validate_signal(data, sfreq)
    if sfreq < 60:
        raise ValueError(f"Invalid value for 'sfreq': expected at least 60 Hz; got {sfreq}")
    if len(channels) != data.shape[0]:
        raise ValueError(
            f"Invalid value for 'channels': {len(channels)} names for {data.shape[0]} rows"
        )
    kinds = kinds or ["referential"] * len(channels)
    referential = all(k == "referential" for k in kinds)
    n1 = round(sfreq)
    ep_ref = _epochs(data, n1)
    rmx, rmn = ep_ref.max(axis=2), ep_ref.min(axis=2)
    clip_ref = _clipped(ep_ref, rmx, rmn, limits_uv)
    ref_ptp = (rmx - rmn) if referential else np.zeros((0, ep_ref.shape[1]), np.float32)
    recorded, names = analysis_montage(data, channels, kinds)
    work, mains_hz, notched_hz, floor_uv, floor_ll = mains_and_floor(recorded, sfreq)
    if recorded is data:
        clipped = clip_ref
    else:
        # a bipolar channel is clipped when either of its electrodes is
        index = {c: i for i, c in enumerate(channels)}
        pairs = [name.split("-") for name in names]
        clipped = np.stack([clip_ref[index[a]] | clip_ref[index[b]] for a, b in pairs])
    if work is data:
        ptp = rmx - rmn
    else:
        ep = _epochs(work, n1)
        ptp = ep.max(axis=2) - ep.min(axis=2)
    flags = {"flat": ptp < FLAT_UV, "huge": ptp > HUGE_UV, "clipped": clipped}
    # spikes, and the pops and held values among the artefacts, on the signal as
    # recorded: the spike criteria are relative to the channel's own sample-to-sample
    # steps and were set on recordings with their line in them, and a held value is a
    # run of identical samples, which a filter's ringing would hide
    spikes, slopes = spikes_and_slopes(recorded, sfreq)
    line_length = slopes["line_length"]
    notched = mains_hz > 0
    if notched.any():
        line_length = line_length.copy()
        line_length[notched] = _line_length(work[notched], sfreq)
    stuck, pop = _stuck_and_pops(slopes, ptp)
    flags["flat"] |= stuck
    perm_e, amp_e, conn = iess_markers(work, n1)
    # every use below (bands, entropy, spectrogram) lies within 0.5-30 Hz
    psd, freqs = epoch_psd(work, sfreq, fmax=SPECTRUM_MAX_HZ)
    spsd = _smooth(psd, smooth_epochs)
    df = freqs[1] - freqs[0]
    powers = {}
    for band, (lo, hi) in BANDS.items():
        sel = (freqs >= lo) & (freqs < hi)
        powers[band] = spsd[..., sel].sum(axis=-1) * df
    total = sum(powers.values())
    n_ep = ptp.shape[1]
    half_ptp, half_line = half_epoch_measures(work, sfreq, n_ep)
    band_line, half_band_line = band_line_length(work, sfreq, n_ep)
    muscle, half_muscle = muscle_seconds(work, sfreq, line_length, half_line)
    counts = np.zeros((len(names), n_ep), dtype=np.int32)
    ep_idx = np.minimum((spikes.time_s).astype(int), n_ep - 1)
    np.add.at(counts, (spikes.channel, ep_idx), 1)
    lp = np.log10(np.maximum(psd.mean(axis=0), 1e-6))
    keepf = (freqs >= 0.5) & (freqs <= 30.0)
    return EpochFeatures(
        channels=names,
        ptp_uv=ptp.astype(np.float32),
        ref_ptp_uv=ref_ptp,
        line_length=line_length.astype(np.float32),
        delta=np.log10(np.maximum(powers["delta"], 1e-6)).astype(np.float32),
        theta=np.log10(np.maximum(powers["theta"], 1e-6)).astype(np.float32),
        alpha=np.log10(np.maximum(powers["alpha"], 1e-6)).astype(np.float32),
        beta=np.log10(np.maximum(powers["beta"], 1e-6)).astype(np.float32),
        delta_fraction=(powers["delta"] / np.maximum(total, 1e-12)).astype(np.float32),
        entropy=spectral_entropy(spsd, freqs),
        spike_count=counts,
        flat=flags["flat"],
        clipped=flags["clipped"],
        huge=flags["huge"],
        pop=pop,
        spectrogram=lp[:, keepf].astype(np.float32),
        freqs=freqs[keepf],
        sz_window=(
            # the logistic model learnt its inputs from the signal as recorded
            seizure_window_features(recorded, sfreq)[:, :n_ep]
            if seizure_window
            else np.zeros((len(names), n_ep, 0), np.float32)
        ),
        spike_channel=spikes.channel,
        spike_time_s=spikes.time_s,
        spike_amplitude_uv=spikes.amplitude_uv,
        perm_entropy=perm_e[:, :n_ep],
        amp_entropy=amp_e[:, :n_ep],
        connectivity=conn[:, :n_ep],
        half_ptp_uv=half_ptp,
        half_line_length=half_line,
        mains_hz=np.repeat(mains_hz[:, None], n_ep, axis=1),
        notched_hz=np.repeat(notched_hz[:, None], n_ep, axis=1),
        floor_uv=np.repeat(floor_uv[:, None], n_ep, axis=1),
        floor_line_length=np.repeat(floor_ll[:, None], n_ep, axis=1),
        muscle=muscle,
        half_muscle=half_muscle,
        band_line_length=band_line,
        half_band_line_length=half_band_line,
        floor_band_line_length=np.repeat(
            band_floor_line_length(floor_uv, sfreq)[:, None], n_ep, axis=1
        ),
    )
