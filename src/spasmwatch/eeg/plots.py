"""Trend plots of an EEG analysis: amplitude, spike density, spectrogram (CDSA).

Each ``plot_*`` function takes an :class:`~spasmwatch.eeg.result.EEGAnalysis` and an
optional matplotlib ``ax``, and returns the figure; events are shaded (``sz`` red,
``decrement`` blue). :func:`write_plots` saves them as PNG.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from spasmwatch.eeg.features import HIGH_AMPLITUDE_UV, nan_quantile

if TYPE_CHECKING:
    from spasmwatch.eeg.result import EEGAnalysis

__all__ = ["plot_amplitude", "plot_spectrogram", "plot_spike_density", "write_plots"]

_COLOURS = {"sz": "tab:red", "decrement": "tab:blue"}


def _time_scale(duration_s: float) -> tuple[float, str]:
    if duration_s <= 900:
        return 1.0, "time (s)"
    if duration_s <= 6 * 3600:
        return 60.0, "time (min)"
    return 3600.0, "time (h)"


def _bin(x: np.ndarray, n: int, how: str = "mean") -> np.ndarray:
    """Reduce the last axis to bins of ``n`` seconds (keeps plots light for 24 h)."""
    if n <= 1:
        return x
    m = x.shape[-1] // n * n
    if m == 0:
        return x
    r = x[..., :m].reshape(*x.shape[:-1], -1, n)
    return getattr(np, how)(r, axis=-1)


def _bin_size(duration_s: float) -> int:
    return max(1, int(duration_s // 2000))


def _ax(ax: Axes | None, height: float = 3.0) -> tuple[Figure, Axes]:
    if ax is None:
        # a Figure without pyplot: no global backend state, safe in threads and servers
        fig = Figure(figsize=(11, height), layout="constrained")
        return fig, fig.subplots()
    return ax.figure, ax


def _mark_events(ax: Axes, analysis: EEGAnalysis, scale: float) -> None:
    seen = set()
    for e in analysis.events:
        label = None if e.eventType in seen else e.eventType
        if label == "sz" and analysis.sensitivity != "normal":
            label = f"sz ({analysis.sensitivity} sensitivity)"
        seen.add(e.eventType)
        ax.axvspan(
            e.onset / scale,
            (e.onset + max(e.duration, 1.0)) / scale,
            color=_COLOURS.get(e.eventType, "tab:gray"),
            alpha=0.25,
            lw=0,
            label=label,
        )


def plot_amplitude(analysis: EEGAnalysis, ax: Axes | None = None) -> Figure:
    """Median and 90th-percentile peak-to-peak amplitude across channels per second."""
    fig, ax = _ax(ax)
    ef = analysis.features
    scale, xlabel = _time_scale(analysis.duration_s)
    n = _bin_size(analysis.duration_s)
    ptp = np.where(ef.bad, np.nan, ef.ptp_uv)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        med = _bin(nan_quantile(ptp, 0.5, axis=0), n)
        p90 = _bin(nan_quantile(ptp, 0.9, axis=0), n)
    t = (np.arange(len(med)) * n + n / 2) / scale
    ax.plot(t, med, lw=0.8, color="black", label="median channel")
    ax.plot(t, p90, lw=0.6, color="tab:orange", label="90th percentile channel")
    ax.axhline(HIGH_AMPLITUDE_UV, color="tab:purple", ls="--", lw=0.8, label="200 µV")
    _mark_events(ax, analysis, scale)
    ax.set_yscale("log")
    ax.set_ylabel("peak-to-peak (µV)")
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, analysis.duration_s / scale)
    ax.set_title(f"Amplitude ({'bipolar' if '-' in ''.join(ef.channels) else 'referential'})")
    ax.legend(loc="upper right", fontsize=7, ncols=5)
    return fig


def plot_spike_density(analysis: EEGAnalysis, ax: Axes | None = None) -> Figure:
    """Spikes per minute (all channels) and the seizure probability."""
    fig, ax = _ax(ax)
    ef = analysis.features
    scale, xlabel = _time_scale(analysis.duration_s)
    window = 10 if analysis.duration_s <= 900 else 60
    counts = ef.spike_events().astype(float)
    rate = _bin(counts, window, "sum") * (60.0 / window)
    edges = np.arange(len(rate) + 1) * window / scale
    ax.stairs(rate, edges, color="black", lw=0.9, label=f"spikes/min ({window} s bins)")
    ax.set_ylim(0, max(1.0, float(rate.max()) * 1.1) if len(rate) else 1.0)
    ax.set_ylabel("spikes per minute")
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, analysis.duration_s / scale)
    _mark_events(ax, analysis, scale)
    ax2 = ax.twinx()
    n = _bin_size(analysis.duration_s)
    p = _bin(analysis.seizure_probability, n, "max")
    ax2.plot((np.arange(len(p)) * n + n / 2) / scale, p, color="tab:red", lw=0.7, alpha=0.8)
    ax2.set_ylim(0, 1.05)
    ax2.set_ylabel("seizure probability", color="tab:red")
    ax.set_title("Spike density and seizure probability")
    ax.legend(loc="upper left", fontsize=7)
    return fig


def plot_spectrogram(analysis: EEGAnalysis, ax: Axes | None = None) -> Figure:
    """Compressed spectral array: channel-mean log power, 0.5-30 Hz, over time."""
    fig, ax = _ax(ax, 3.5)
    ef = analysis.features
    scale, xlabel = _time_scale(analysis.duration_s)
    n = _bin_size(analysis.duration_s)
    spec = _bin(ef.spectrogram.T, n)
    lo, hi = np.percentile(spec, [2, 98]) if spec.size else (0, 1)
    mesh = ax.pcolormesh(
        np.arange(spec.shape[1] + 1) * n / scale,
        np.r_[ef.freqs - 0.25, ef.freqs[-1] + 0.25],
        spec,
        shading="flat",
        cmap="viridis",
        vmin=lo,
        vmax=hi,
        rasterized=True,
    )
    fig.colorbar(mesh, ax=ax, label="log10 µV²/Hz", pad=0.01)
    for e in analysis.events:
        colour = _COLOURS.get(e.eventType, "w")
        ax.axvline(e.onset / scale, color=colour, lw=1.0)
        ax.axvline((e.onset + e.duration) / scale, color=colour, lw=1, ls=":")
        # a bar along the top edge, visible even when an event spans the whole recording
        end = (e.onset + max(e.duration, 1.0)) / scale
        ax.axvspan(e.onset / scale, end, ymin=0.95, color=colour, zorder=3)
    ax.set_ylabel("frequency (Hz)")
    ax.set_xlabel(xlabel)
    ax.set_title(
        "Spectrogram (CDSA), mean of channels; events: lines and top bar (sz red, decrement blue)"
    )
    return fig


def write_plots(analysis: EEGAnalysis, out_dir: str | Path) -> list[Path]:
    """Save ``amplitude.png``, ``spike_density.png`` and ``spectrogram.png``."""
    out = Path(out_dir)
    paths = []
    for name, fn in (
        ("amplitude.png", plot_amplitude),
        ("spike_density.png", plot_spike_density),
        ("spectrogram.png", plot_spectrogram),
    ):
        fig = fn(analysis)
        fig.suptitle(analysis.path.name, fontsize=9, x=0.01, ha="left")
        fig.savefig(out / name, dpi=110)
        paths.append(out / name)
    return paths
