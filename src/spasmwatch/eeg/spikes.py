"""Spike and sharp-wave detection: a documented, testable detector with morphology and
field criteria.

Sources of the criteria (each used in :func:`spike_criteria`):

- **Duration** 20-200 ms: spike 20-70 ms, sharp wave 70-200 ms (IFCN glossary, Kane et al.,
  Clin Neurophysiol Pract 2017;2:170), measured as the half-amplitude width (10-100 ms).
- **Sharpness**: a pointed peak, both flanks steep compared with the background's slope
  (IFCN criterion 1, "di- or triphasic waves with sharp or spiky morphology", Kane et al.
  2017; the half-wave slope of Gotman & Gloor, EEG Clin Neurophysiol 1976;41:513).
- **After-going slow wave** (IFCN criterion 4, Kane et al. 2017): within 500 ms after the
  spike the signal, smoothed over 50 ms, departs from the level before the spike by a
  good part of the spike's height.
- **Relative to the local background** (IFCN criteria 2 and 5, "different wave-duration
  than the ongoing background" and "the background is disrupted"; Gotman & Gloor 1976):
  the slope exceeds ``SPIKE_K`` robust SDs of the channel's local slope, the height
  ``SPIKE_AMPLITUDE_K`` robust SDs of its local amplitude and ``SPIKE_MIN_UV``, and the
  peak of the fast part of the signal (the signal minus its 100-ms moving mean)
  ``SPIKE_FAST_K`` robust SDs of the local fast part: on the high-voltage delta of
  hypsarrhythmia the raw amplitude hides spikes that the fast part shows.
- **More than one channel** (IFCN criterion 6, a field that suggests a brain source,
  Kane et al. 2017): a spike must be seen on at least ``SPIKE_MIN_CHANNELS`` channels
  within ``SPIKE_FIELD_S``; an electrode pop or a single-wire transient is not.

Kural et al. (Neurology 2020;95:e2580) validated the six IFCN criteria clinically: a
discharge meeting at least 4 of the 6 is an epileptiform discharge with high
specificity. Here five are required together (sharp morphology, a duration and a
fast part that differ from the background, the disrupted background, the after-going
slow wave and the field); the sixth, the asymmetry of the waveform, is not used. The
thresholds marked **[design]** were chosen on the tuning part of
``benchmarks/eeg_inject.py`` (real neonatal and infant backgrounds with and without
injected discharges); the test part is reported separately in ``docs/benchmarks.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import median_filter, uniform_filter1d

from spasmwatch.stats import median_last

__all__ = [
    "SPIKE_AFTER_WAVE",
    "SPIKE_AMPLITUDE_K",
    "SPIKE_DURATION_S",
    "SPIKE_FAST_K",
    "SPIKE_FIELD_S",
    "SPIKE_K",
    "SPIKE_MIN_CHANNELS",
    "SPIKE_MIN_UV",
    "SPIKE_SHARPNESS",
    "Candidates",
    "Spikes",
    "detect_spikes",
    "epoch_steps",
    "spike_candidates",
    "spike_criteria",
]

SPIKE_K = 5.0  # candidate slope, robust SDs of the local slope [design]
SPIKE_MIN_UV = 70.0  # smallest baseline-to-peak height [design]
SPIKE_AMPLITUDE_K = 1.0  # height in robust SDs of the local amplitude [design]
SPIKE_FAST_K = 4.0  # fast part of the peak in robust SDs of the local fast part [design]
SPIKE_DURATION_S = (0.02, 0.2)  # IFCN: spike 20-70 ms, sharp wave 70-200 ms
SPIKE_SHARPNESS = 1.5  # mean slope of each flank, robust SDs of the local slope [design]
SPIKE_AFTER_WAVE = 0.3  # after-going slow wave, share of the spike's height [design]
SPIKE_FIELD_S = 0.03  # a discharge on two channels peaks within 30 ms [design]
SPIKE_MIN_CHANNELS = 2  # more than one channel (IFCN criterion 6)


def validate_signal(data: np.ndarray, sfreq: float) -> np.ndarray:
    """Return ``data`` as an array after checking it is 2-D and ``sfreq`` is positive."""
    data = np.asarray(data)
    if data.ndim != 2:
        raise ValueError(
            f"Invalid value for 'data': expected 2-D (channels, samples); got {data.ndim}-D"
        )
    if not sfreq > 0:
        raise ValueError(f"Invalid value for 'sfreq': expected > 0 Hz; got {sfreq}")
    return data


@dataclass
class Spikes:
    """Detected spikes: row index of the channel, time in s, baseline-to-peak µV."""

    channel: np.ndarray
    time_s: np.ndarray
    amplitude_uv: np.ndarray

    def __len__(self) -> int:
        return len(self.time_s)


@dataclass
class Candidates:
    """Steep transients and the measures the criteria judge, one value per candidate.

    ``height`` is the baseline-to-peak µV, ``width_s`` the half-amplitude width,
    ``background_k`` the height in robust SDs of the local amplitude, ``fast_k`` the
    peak of the fast part of the signal (minus its 100-ms moving mean) in robust SDs of
    the local fast part (a spike stands out there even on high-voltage delta),
    ``sharpness`` the
    mean slope of the flatter flank (peak to half height) in robust SDs of the local
    slope, ``after_wave`` the after-going slow wave as a share of the height and
    ``channels`` the number of channels with a candidate within ``SPIKE_FIELD_S``
    (itself included; only candidates that pass the single-channel criteria count).
    """

    channel: np.ndarray
    sample: np.ndarray
    height: np.ndarray
    width_s: np.ndarray
    background_k: np.ndarray
    fast_k: np.ndarray
    sharpness: np.ndarray
    after_wave: np.ndarray
    channels: np.ndarray

    def __len__(self) -> int:
        return len(self.sample)


def spike_criteria(
    c: Candidates,
    min_uv: float = SPIKE_MIN_UV,
    duration_s: tuple[float, float] = SPIKE_DURATION_S,
    amplitude_k: float = SPIKE_AMPLITUDE_K,
    sharpness: float = SPIKE_SHARPNESS,
    after_wave: float = SPIKE_AFTER_WAVE,
    min_channels: int = SPIKE_MIN_CHANNELS,
) -> np.ndarray:
    """Which candidates are spikes: every single-channel criterion (duration, height,
    background, sharpness, after-going slow wave) and the field (at least
    ``min_channels`` channels; a recording with fewer channels is judged on one)."""
    return _single(c, min_uv, duration_s, amplitude_k, sharpness, after_wave) & (
        c.channels >= min_channels
    )


def _single(
    c: Candidates,
    min_uv: float,
    duration_s: tuple[float, float],
    amplitude_k: float,
    sharpness: float,
    after_wave: float,
) -> np.ndarray:
    return (
        (c.height >= min_uv)
        & (c.background_k >= amplitude_k)
        & (c.fast_k >= SPIKE_FAST_K)
        & (c.width_s >= duration_s[0] / 2)
        & (c.width_s <= duration_s[1] / 2)
        & (c.sharpness >= sharpness)
        & (c.after_wave >= after_wave)
    )


def detect_spikes(
    data: np.ndarray,
    sfreq: float,
    k: float = SPIKE_K,
    min_uv: float = SPIKE_MIN_UV,
    duration_s: tuple[float, float] = SPIKE_DURATION_S,
) -> Spikes:
    """Detect spikes and sharp waves: brief, sharp transients with an after-going slow
    wave, standing out from the local background on more than one channel.

    Method:

    1. The local background of each channel is the running median (over about 10 s) of
       the per-second robust SD (1.4826 x median absolute deviation) of the slope and of
       the amplitude.
    2. Candidates are samples whose slope exceeds ``k`` background slope SDs; candidates
       closer than 200 ms on one channel are merged (the first is kept).
    3. Around each candidate (+-100 ms) the largest deviation from the local median is the
       peak; its height, half-amplitude width, the slope of its flanks and the slow wave
       after it are measured (:func:`spike_candidates`).
    4. The criteria of :func:`spike_criteria` decide (sources in the module docstring).

    A sine never qualifies (its slope never reaches 5 robust SDs of itself), nor does a
    flat channel, a slow wave, a lone sharp transient without a slow wave after it, or a
    transient on a single channel of a multichannel recording.

    Parameters
    ----------
    data
        Samples in µV, shape (n_channels, n_samples).
    sfreq
        Sampling rate in Hz.
    k
        Candidate threshold in robust SDs of the local slope ([design]).
    min_uv
        Smallest baseline-to-peak amplitude in µV ([design]; the spikes of hypsarrhythmia
        are mostly far larger, Hrachovy & Frost 2003).
    duration_s
        Allowed spike duration (IFCN glossary, Kane et al. 2017).

    Returns
    -------
    Spikes
    """
    data = validate_signal(data, sfreq)
    return spikes_and_line_length(data, sfreq, k, min_uv, duration_s)[0]


def spikes_and_line_length(
    data: np.ndarray,
    sfreq: float,
    k: float = SPIKE_K,
    min_uv: float = SPIKE_MIN_UV,
    duration_s: tuple[float, float] = SPIKE_DURATION_S,
) -> tuple[Spikes, np.ndarray]:
    """:func:`detect_spikes`, plus the line length (mean absolute slope, µV/s) per epoch,
    which needs the same slope array."""
    spikes, slopes = spikes_and_slopes(data, sfreq, k, min_uv, duration_s)
    return spikes, slopes["line_length"]


def spikes_and_slopes(
    data: np.ndarray,
    sfreq: float,
    k: float = SPIKE_K,
    min_uv: float = SPIKE_MIN_UV,
    duration_s: tuple[float, float] = SPIKE_DURATION_S,
) -> tuple[Spikes, dict[str, np.ndarray]]:
    """:func:`detect_spikes`, plus what the sample-to-sample steps it computes say about
    each channel-epoch, each (n_channels, n_epochs): ``line_length`` (mean absolute
    step x rate, µV/s), ``max_step`` (largest absolute step, µV), ``step_kept`` (the share
    of that step still there 20 ms later: :func:`_step_kept`), ``median_step`` (median
    absolute step, from every 4th sample at 256 Hz) and ``still_share`` (share of steps
    that are exactly 0) and ``still_run`` (the longest run of such steps touching the
    epoch, within it or across its ends, s: :func:`_longest_still_run`)."""
    c, slopes = _candidates(data, sfreq, k, min_uv, duration_s)
    ok = spike_criteria(c, min_uv, duration_s)
    t = c.sample[ok] / sfreq
    return Spikes(c.channel[ok], t, c.height[ok].astype(np.float32)), slopes


def spike_candidates(data: np.ndarray, sfreq: float, k: float = SPIKE_K) -> Candidates:
    """Every steep transient of ``data`` with the measures the criteria judge."""
    return _candidates(validate_signal(data, sfreq), sfreq, k, SPIKE_MIN_UV, SPIKE_DURATION_S)[0]


#: How long after a step its level is compared with the level before it (and the half
#: width of the means that compare them): an electrode pop decays over 0.1-1 s (Tatum,
#: Dworetzky & Schomer, J Clin Neurophysiol 2011;28:252), so 20 ms later most of its step
#: is still there; a step within muscle activity or noise is undone within a few samples.
STEP_LAG_S = 0.02
STEP_MEAN_HALF_S = 0.008


def _step_kept(
    data: np.ndarray, at: np.ndarray, n1: int, step: np.ndarray, sfreq: float
) -> np.ndarray:
    """For the largest step of each channel-epoch (sample ``at`` of the epoch, between it
    and the next), the share of the step still there ``STEP_LAG_S`` later: the mean
    level around that time minus the mean level as long before the step, over the step
    (n_channels, n_epochs)."""
    n_ch, n = data.shape
    lag = max(1, round(STEP_LAG_S * sfreq))
    half = max(1, round(STEP_MEAN_HALF_S * sfreq))
    i = at + (np.arange(at.shape[1]) * n1)[None, :]
    offsets = np.arange(-half, half + 1)
    before = np.clip(i[:, :, None] - lag + offsets, 0, n - 1)
    after = np.clip(i[:, :, None] + 1 + lag + offsets, 0, n - 1)
    rows = np.arange(n_ch)[:, None, None]
    moved = data[rows, after].mean(axis=2) - data[rows, before].mean(axis=2)
    return (np.abs(moved) / np.maximum(step, 1e-6)).astype(np.float32)


#: Only channel-epochs with at least this share of zero steps are searched for their
#: longest still run: a run of half a second within one second needs half of its steps,
#: one across two seconds a quarter of the steps of one of them.
STILL_CANDIDATE = 0.5
STILL_ACROSS = 0.25


def _edge_runs(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Zero steps at the start and at the end of each row of ``z`` (True where a step is
    0), each (m,)."""
    n1 = z.shape[1]
    moved = ~z
    lead = np.where(moved.any(axis=1), moved.argmax(axis=1), n1)
    trail = np.where(moved.any(axis=1), moved[:, ::-1].argmax(axis=1), n1)
    return lead, trail


def _longest_still_run(ep_slope: np.ndarray, still: np.ndarray) -> np.ndarray:
    """Longest run of zero steps (samples) touching each channel-epoch, 0 where none can
    reach half a second, shape (n_channels, n_epochs): within the epoch where at least
    ``STILL_CANDIDATE`` of its steps are 0, and across its boundary with the next epoch
    (its last zero steps and the next one's first) where either has
    ``STILL_ACROSS`` of them, counted for both epochs."""
    out = np.zeros(still.shape, dtype=np.float32)
    where = still >= STILL_CANDIDATE
    if where.any():
        z = ep_slope[where] == 0  # (m, n1)
        idx = np.arange(z.shape[1])
        last_moved = np.maximum.accumulate(np.where(z, -1, idx), axis=1)
        out[where] = (idx - last_moved).max(axis=1)
    # runs across a second's end: the pairs (k, k + 1) with enough still steps on a side
    pair = np.zeros(still.shape, dtype=bool)
    pair[:, :-1] = (still[:, :-1] >= STILL_ACROSS) | (still[:, 1:] >= STILL_ACROSS)
    pair[:, :-1] &= (still[:, :-1] > 0) & (still[:, 1:] > 0)
    if pair.any():
        ch, k = np.nonzero(pair)
        _, trail = _edge_runs(ep_slope[ch, k] == 0)
        lead, _ = _edge_runs(ep_slope[ch, k + 1] == 0)
        across = (trail + lead).astype(np.float32)
        np.maximum.at(out, (ch, k), across)
        np.maximum.at(out, (ch, k + 1), across)
    return out


def _empty() -> Candidates:
    z = np.zeros(0)
    return Candidates(np.zeros(0, int), np.zeros(0, int), z, z, z, z, z, z, np.zeros(0, int))


def epoch_steps(data: np.ndarray, sfreq: float) -> np.ndarray:
    """Absolute sample-to-sample steps of each 1-s epoch, (n_channels, n_epochs, samples
    per epoch): each epoch's last step goes into the next one; none past the end (0)."""
    n_ch, n = data.shape
    n1 = max(1, round(sfreq))
    if n < n1:
        n1 = n
    n_ep = max(1, n // n1)
    steps = np.zeros((n_ch, n_ep * n1), dtype=np.float32)
    m = min(n - 1, n_ep * n1)
    np.subtract(data[:, 1 : m + 1], data[:, :m], out=steps[:, :m])
    np.abs(steps, out=steps)
    return steps.reshape(n_ch, n_ep, n1)


def _candidates(
    data: np.ndarray,
    sfreq: float,
    k: float,
    min_uv: float,
    duration_s: tuple[float, float],
) -> tuple[Candidates, dict[str, np.ndarray]]:
    n_ch, n = data.shape
    ep_slope = epoch_steps(data, sfreq)
    n_ep, n1 = ep_slope.shape[1], ep_slope.shape[2]
    line_length = ep_slope.mean(axis=2) * sfreq
    # robust SDs from every 4th sample at 256 Hz: as robust, a quarter of the cost
    sub = max(1, n1 // 64)
    median_step = median_last(ep_slope[:, :, ::sub])
    at = ep_slope.argmax(axis=2)
    max_step = np.take_along_axis(ep_slope, at[:, :, None], axis=2)[:, :, 0]
    slopes = {
        "line_length": line_length,
        "max_step": max_step,
        "step_kept": _step_kept(data, at, n1, max_step, sfreq),
        "median_step": median_step,
        "still_share": (still := (n1 - np.count_nonzero(ep_slope, axis=2)) / n1),
        "still_run": _longest_still_run(ep_slope, still) / sfreq,
    }
    sd_slope = 1.4826 * median_step
    ep_amp = data[:, : n_ep * n1].reshape(n_ch, n_ep, n1)[:, :, ::sub]
    amp_dev = np.abs(ep_amp - median_last(ep_amp, keepdims=True))
    sd_amp = 1.4826 * median_last(amp_dev)
    # the fast part of the signal (minus its 100-ms moving mean): a spike keeps most of
    # its peak there, the delta of the background (and of hypsarrhythmia) does not
    # (its robust SD from every 4th sample at 256 Hz, the moving mean taken over those
    # same samples: its median is about 0, so the median absolute value is the MAD)
    ds = ep_amp.reshape(n_ch, -1)
    ds_len = max(1, round(0.1 * sfreq / sub)) | 1
    fast_ds = (ds - uniform_filter1d(ds, ds_len, axis=1)).reshape(ep_amp.shape)
    sd_fast = 1.4826 * median_last(np.abs(fast_ds))
    size = min(11, n_ep)
    sd_slope = median_filter(sd_slope, size=(1, size), mode="nearest")
    sd_amp = median_filter(sd_amp, size=(1, size), mode="nearest")
    sd_fast = median_filter(sd_fast, size=(1, size), mode="nearest")
    thr = np.maximum(k * sd_slope, 1e-3).astype(np.float32)
    ch, e, j = np.nonzero(ep_slope > thr[:, :, None])
    idx = e * n1 + j
    if len(idx) == 0:
        return _empty(), slopes
    refractory = round(0.2 * sfreq)
    new_ch = np.r_[True, ch[1:] != ch[:-1]]
    gap = np.r_[refractory + 1, np.diff(idx)]
    # merge runs: keep a candidate only if the previous kept one is far enough away;
    # approximated by gaps between consecutive candidates (runs are contiguous edges)
    keep = new_ch | (gap > refractory)
    ch, idx = ch[keep], idx[keep]
    w = round(0.1 * sfreq)
    offs = np.arange(-w, w + 1)
    pos = np.clip(idx[:, None] + offs, 0, n - 1)
    win = data[ch[:, None], pos]
    dev = win - median_last(win, keepdims=True)
    p = np.argmax(np.abs(dev), axis=1)
    peak = dev[np.arange(len(p)), p]
    height = np.abs(peak)
    same = (dev * np.sign(peak)[:, None]) >= 0.5 * height[:, None]
    # half-amplitude width: contiguous samples around the peak above half height
    left = np.where(~same & (offs[None, :] + w < p[:, None]), offs[None, :] + w, -1).max(axis=1)
    right = np.where(~same & (offs[None, :] + w > p[:, None]), offs[None, :] + w, 2 * w + 1).min(
        axis=1
    )
    width_s = (right - left - 1) / sfreq
    ep_i = np.minimum(idx // n1, n_ep - 1)
    bg_amp = np.maximum(sd_amp[ch, ep_i], 1e-3)
    bg_slope = np.maximum(sd_slope[ch, ep_i], 1e-3)
    # sharpness: mean slope from half height to the peak on the flatter side
    flank = np.maximum(np.minimum(p - left, right - p), 1)
    sharp = (0.5 * height / flank) / bg_slope
    peak_at = idx - w + p
    # after-going slow wave: within 50-500 ms after the peak's half-height end, the signal
    # smoothed over 50 ms departs from the median of the 300-100 ms before the spike
    a0 = round(0.05 * sfreq)
    a1 = round(0.5 * sfreq)
    after = np.clip(peak_at[:, None] + (right - p)[:, None] + np.arange(a0, a1)[None], 0, n - 1)
    before = np.clip(
        peak_at[:, None] + np.arange(-round(0.3 * sfreq), -round(0.1 * sfreq)), 0, n - 1
    )
    level = median_last(data[ch[:, None], before])
    smooth = uniform_filter1d(data[ch[:, None], after], size=max(1, round(0.05 * sfreq)), axis=1)
    slow = np.abs(smooth - level[:, None]).max(axis=1) if a1 > a0 else np.zeros(len(ch))
    after_wave = slow / np.maximum(height, 1e-3)
    # the fast part at each peak: its value minus the mean of the 100 ms around it
    half = max(1, round(0.1 * sfreq)) // 2
    around = np.clip(peak_at[:, None] + np.arange(-half, half + 1)[None], 0, n - 1)
    fast_peak = data[ch, np.clip(peak_at, 0, n - 1)] - data[ch[:, None], around].mean(axis=1)
    bg_fast = np.maximum(sd_fast[ch, ep_i], 1e-3)
    c = Candidates(
        channel=ch,
        sample=peak_at,
        height=height,
        width_s=width_s,
        background_k=height / bg_amp,
        fast_k=np.abs(fast_peak) / bg_fast,
        sharpness=sharp,
        after_wave=after_wave,
        channels=np.ones(len(ch), int),
    )
    c.channels = _field(c, sfreq, n_ch, min_uv, duration_s)
    return c, slopes


def _field(
    c: Candidates, sfreq: float, n_ch: int, min_uv: float, duration_s: tuple[float, float]
) -> np.ndarray:
    """Channels with a candidate that passes the single-channel criteria within
    ``SPIKE_FIELD_S`` of each candidate (itself included). A recording with fewer
    channels than ``SPIKE_MIN_CHANNELS`` cannot show a field: the criterion is counted as
    met (``SPIKE_MIN_CHANNELS``)."""
    if n_ch < SPIKE_MIN_CHANNELS:
        return np.full(len(c), SPIKE_MIN_CHANNELS, int)
    ok = _single(c, min_uv, duration_s, SPIKE_AMPLITUDE_K, SPIKE_SHARPNESS, SPIKE_AFTER_WAVE)
    order = np.argsort(c.sample[ok], kind="stable")
    t = c.sample[ok][order]
    chs = c.channel[ok][order]
    tol = SPIKE_FIELD_S * sfreq
    lo = np.searchsorted(t, c.sample - tol, side="left")
    hi = np.searchsorted(t, c.sample + tol, side="right")
    out = np.zeros(len(c), int)
    for i in np.flatnonzero(hi > lo):
        out[i] = len(np.unique(chs[lo[i] : hi[i]]))
    return out
