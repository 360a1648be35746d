"""Spike and sharp-wave detection: a simple, documented, testable detector.

Method after Gotman & Gloor (EEG Clin Neurophysiol 1976;41:513), simplified; durations
from the IFCN glossary (Kane et al., Clin Neurophysiol Pract 2017;2:170): spike 20-70 ms,
sharp wave 70-200 ms. Thresholds (``SPIKE_K``, ``SPIKE_AMPLITUDE_K``, ``SPIKE_MIN_UV``)
are **[design]**; see :mod:`spasmwatch.eeg.features` for how they were set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import median_filter

__all__ = [
    "SPIKE_AMPLITUDE_K",
    "SPIKE_DURATION_S",
    "SPIKE_K",
    "SPIKE_MIN_UV",
    "Spikes",
    "detect_spikes",
]

SPIKE_K = 5.0
SPIKE_MIN_UV = 50.0
SPIKE_AMPLITUDE_K = 2.0
SPIKE_DURATION_S = (0.02, 0.2)


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


def detect_spikes(
    data: np.ndarray,
    sfreq: float,
    k: float = SPIKE_K,
    min_uv: float = SPIKE_MIN_UV,
    duration_s: tuple[float, float] = SPIKE_DURATION_S,
) -> Spikes:
    """Detect spikes and sharp waves: steep, brief transients standing out from background.

    Method (after Gotman & Gloor 1976, simplified):

    1. The local background of each channel is the running median (over about 10 s) of the
       per-second robust SD (1.4826 x median absolute deviation) of the slope and of the
       amplitude.
    2. Candidates are samples whose slope exceeds ``k`` background slope SDs; candidates
       closer than 200 ms on one channel are merged (the first is kept).
    3. Around each candidate (+-100 ms) the largest deviation from the local median is the
       peak. It is kept if it exceeds 2 background amplitude SDs and ``min_uv``, and if
       the time it stays above half its height (the half-amplitude width, about half the
       spike duration) is within half of ``duration_s`` (IFCN: spike 20-70 ms, sharp wave
       70-200 ms).

    A sine never qualifies (its slope never reaches 5 robust SDs of itself), nor does a
    flat channel.

    Parameters
    ----------
    data
        Samples in µV, shape (n_channels, n_samples).
    sfreq
        Sampling rate in Hz.
    k
        Threshold in robust SDs of the local background ([design], see module docstring).
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
    n_ch, n = data.shape
    n1 = max(1, round(sfreq))
    if n < n1:
        n1 = n
    n_ep = max(1, n // n1)
    abs_slope = np.zeros((n_ch, n_ep * n1), dtype=np.float32)
    m = min(n - 1, n_ep * n1)
    np.subtract(data[:, 1 : m + 1], data[:, :m], out=abs_slope[:, :m])
    np.abs(abs_slope, out=abs_slope)
    ep_slope = abs_slope.reshape(n_ch, n_ep, n1)
    line_length = ep_slope.mean(axis=2) * sfreq
    # robust SDs from every 4th sample at 256 Hz: as robust, a quarter of the cost
    sub = max(1, n1 // 64)
    sd_slope = 1.4826 * np.median(ep_slope[:, :, ::sub], axis=2)
    ep_amp = data[:, : n_ep * n1].reshape(n_ch, n_ep, n1)[:, :, ::sub]
    amp_dev = np.abs(ep_amp - np.median(ep_amp, axis=2, keepdims=True))
    sd_amp = 1.4826 * np.median(amp_dev, axis=2)
    size = min(11, n_ep)
    sd_slope = median_filter(sd_slope, size=(1, size), mode="nearest")
    sd_amp = median_filter(sd_amp, size=(1, size), mode="nearest")
    thr = np.maximum(k * sd_slope, 1e-3).astype(np.float32)
    ch, e, j = np.nonzero(ep_slope > thr[:, :, None])
    idx = e * n1 + j
    if len(idx) == 0:
        empty = Spikes(np.zeros(0, int), np.zeros(0), np.zeros(0, np.float32))
        return empty, line_length
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
    dev = win - np.median(win, axis=1, keepdims=True)
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
    bg = sd_amp[ch, np.minimum(idx // n1, n_ep - 1)]
    ok = (
        (height >= SPIKE_AMPLITUDE_K * bg)
        & (height >= min_uv)
        & (width_s >= duration_s[0] / 2)
        & (width_s <= duration_s[1] / 2)
    )
    t = (idx - w + p)[ok]
    return Spikes(ch[ok], t / sfreq, height[ok].astype(np.float32)), line_length
