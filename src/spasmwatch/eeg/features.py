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

Its other parts are modules of their own, named here too: the record
(:mod:`~spasmwatch.eeg.epoch_features`), the epochs' amplitude and line length
(:mod:`~spasmwatch.eeg.epoch_measures`), the artefact flags (:mod:`~spasmwatch.eeg.artefacts`),
the noise floor (:mod:`~spasmwatch.eeg.noise_floor`), the 2-12 Hz band
(:mod:`~spasmwatch.eeg.decrement_band`) and the IESS markers
(:mod:`~spasmwatch.eeg.iess_markers`). This module removes the mains line, marks the
muscle and assembles every feature per epoch (:func:`compute_epoch_features`).
"""

from __future__ import annotations

import warnings

import numpy as np

from spasmwatch.eeg.artefacts import (  # noqa: F401
    CLIPPED_FRACTION,
    FLAT_UV,
    HUGE_UV,
    POP_AFTER_S,
    POP_K,
    POP_KEPT,
    POP_SHARE,
    POP_UV,
    STUCK_RUN_S,
    _clipped,
    _stuck_and_pops,
    artefact_flags,
)
from spasmwatch.eeg.decrement_band import (  # noqa: F401
    DECREMENT_BAND_HZ,
    DECREMENT_BAND_ORDER,
    band_floor_line_length,
    band_line_length,
)
from spasmwatch.eeg.epoch_features import EpochFeatures
from spasmwatch.eeg.epoch_measures import _epochs, _line_length, half_epoch_measures, peak_to_peak
from spasmwatch.eeg.iess_markers import AMP_BINS, PERM_LAG_S, iess_markers  # noqa: F401
from spasmwatch.eeg.montage import bipolar_montage
from spasmwatch.eeg.noise_floor import (  # noqa: F401
    FLOOR_BAND_HZ,
    FLOOR_MAINS_GAP_HZ,
    MAINS_HZ,
    _floor_of,
    _span_spectrum,
    noise_floor,
)
from spasmwatch.eeg.seizure_features import seizure_window_features
from spasmwatch.eeg.spectra import epoch_psd, spectral_entropy
from spasmwatch.eeg.spikes import (
    Spikes,
    detect_spikes,
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
HIGH_AMPLITUDE_UV = 200.0
# The mains frequencies (:data:`MAINS_HZ`) are the noise floor's too, which is read
# between their harmonics: :mod:`spasmwatch.eeg.noise_floor`.
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
