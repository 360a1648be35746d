"""Trend plots of an EEG analysis: amplitude, spike density, spectrogram (CDSA).

Each ``plot_*`` function takes an :class:`~spasmwatch.eeg.result.EEGAnalysis`, an
optional matplotlib ``ax`` and the ``locale`` of its words and numbers (English by
default), and returns the figure; events are shaded (``sz`` red, ``decrement`` blue: the
analysis' codes, the same in every language). :func:`write_plots` saves them as PNG, once
per language (:data:`spasmwatch.images.IMAGE_LOCALES`).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from spasmwatch.eeg.features import HIGH_AMPLITUDE_UV, nan_quantile
from spasmwatch.i18n import DEFAULT_LOCALE, N_, format_number, translations
from spasmwatch.images import IMAGE_FILES, IMAGE_LOCALES, decimal_ticks, image_file

if TYPE_CHECKING:
    from spasmwatch.eeg.result import EEGAnalysis

__all__ = ["plot_amplitude", "plot_spectrogram", "plot_spike_density", "write_plots"]

_COLOURS = {"sz": "tab:red", "decrement": "tab:blue"}
#: An event type in a legend is its code (SzCORE / BIDS ``eventType``); a code that is an
#: English word is said in the plot's language. ``sz`` is an abbreviation, the same in
#: every language (as the pages' captions write it).
_LEGEND_WORDS = {"decrement": N_("decrement"), "spasm": N_("spasm")}


def _time_scale(duration_s: float, gettext: Callable[[str], str]) -> tuple[float, str]:
    """Seconds per unit of the time axis, and the axis' name in ``gettext``'s language."""
    if duration_s <= 900:
        return 1.0, gettext("time (s)")
    if duration_s <= 6 * 3600:
        return 60.0, gettext("time (min)")
    return 3600.0, gettext("time (h)")


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


def _mark_events(
    ax: Axes, analysis: EEGAnalysis, scale: float, gettext: Callable[[str], str]
) -> None:
    seen = set()
    for e in analysis.events:
        label = None if e.eventType in seen else e.eventType
        if label in _LEGEND_WORDS:
            label = gettext(_LEGEND_WORDS[label])
        if label == "sz" and analysis.sensitivity != "normal":
            label = gettext("sz (%(sensitivity)s sensitivity)") % {
                "sensitivity": gettext(analysis.sensitivity)
            }
        seen.add(e.eventType)
        ax.axvspan(
            e.onset / scale,
            (e.onset + max(e.duration, 1.0)) / scale,
            color=_COLOURS.get(e.eventType, "tab:gray"),
            alpha=0.25,
            lw=0,
            label=label,
        )


def plot_amplitude(
    analysis: EEGAnalysis, ax: Axes | None = None, locale: str = DEFAULT_LOCALE
) -> Figure:
    """Median and 90th-percentile peak-to-peak amplitude across channels per second
    (``locale``: the language of the words and numbers, default English)."""
    _ = translations(locale).gettext
    fig, ax = _ax(ax)
    ef = analysis.features
    scale, xlabel = _time_scale(analysis.duration_s, _)
    n = _bin_size(analysis.duration_s)
    ptp = np.where(ef.bad, np.nan, ef.ptp_uv)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        med = _bin(nan_quantile(ptp, 0.5, axis=0), n)
        p90 = _bin(nan_quantile(ptp, 0.9, axis=0), n)
    t = (np.arange(len(med)) * n + n / 2) / scale
    ax.plot(t, med, lw=0.8, color="black", label=_("median channel"))
    ax.plot(t, p90, lw=0.6, color="tab:orange", label=_("90th percentile channel"))
    high = f"{format_number(HIGH_AMPLITUDE_UV, locale)} µV"
    ax.axhline(HIGH_AMPLITUDE_UV, color="tab:purple", ls="--", lw=0.8, label=high)
    _mark_events(ax, analysis, scale, _)
    ax.set_yscale("log")
    ax.set_ylabel(_("peak-to-peak (µV)"))
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, analysis.duration_s / scale)
    montage = _("bipolar") if "-" in "".join(ef.channels) else _("referential")
    ax.set_title(_("Amplitude (%(montage)s)") % {"montage": montage})
    ax.legend(loc="upper right", fontsize=7, ncols=5)
    decimal_ticks([ax], locale)
    return fig


def plot_spike_density(
    analysis: EEGAnalysis, ax: Axes | None = None, locale: str = DEFAULT_LOCALE
) -> Figure:
    """Spikes per minute (all channels) and the seizure probability (``locale``: the
    language of the words and numbers, default English)."""
    _ = translations(locale).gettext
    fig, ax = _ax(ax)
    ef = analysis.features
    scale, xlabel = _time_scale(analysis.duration_s, _)
    window = 10 if analysis.duration_s <= 900 else 60
    counts = ef.spike_events().astype(float)
    rate = _bin(counts, window, "sum") * (60.0 / window)
    edges = np.arange(len(rate) + 1) * window / scale
    label = _("spikes/min (%(window)s s bins)") % {"window": window}
    ax.stairs(rate, edges, color="black", lw=0.9, label=label)
    ax.set_ylim(0, max(1.0, float(rate.max()) * 1.1) if len(rate) else 1.0)
    ax.set_ylabel(_("spikes per minute"))
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, analysis.duration_s / scale)
    _mark_events(ax, analysis, scale, _)
    ax2 = ax.twinx()
    n = _bin_size(analysis.duration_s)
    p = _bin(analysis.seizure_probability, n, "max")
    ax2.plot((np.arange(len(p)) * n + n / 2) / scale, p, color="tab:red", lw=0.7, alpha=0.8)
    ax2.set_ylim(0, 1.05)
    ax2.set_ylabel(_("seizure probability"), color="tab:red")
    ax.set_title(_("Spike density and seizure probability"))
    ax.legend(loc="upper left", fontsize=7)
    decimal_ticks([ax, ax2], locale)
    return fig


def plot_spectrogram(
    analysis: EEGAnalysis, ax: Axes | None = None, locale: str = DEFAULT_LOCALE
) -> Figure:
    """Compressed spectral array: channel-mean log power, 0.5-30 Hz, over time
    (``locale``: the language of the words and numbers, default English)."""
    _ = translations(locale).gettext
    fig, ax = _ax(ax, 3.5)
    ef = analysis.features
    scale, xlabel = _time_scale(analysis.duration_s, _)
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
    bar = fig.colorbar(mesh, ax=ax, label="log10 µV²/Hz", pad=0.01)
    for e in analysis.events:
        colour = _COLOURS.get(e.eventType, "w")
        ax.axvline(e.onset / scale, color=colour, lw=1.0)
        ax.axvline((e.onset + e.duration) / scale, color=colour, lw=1, ls=":")
        # a bar along the top edge, visible even when an event spans the whole recording
        end = (e.onset + max(e.duration, 1.0)) / scale
        ax.axvspan(e.onset / scale, end, ymin=0.95, color=colour, zorder=3)
    ax.set_ylabel(_("frequency (Hz)"))
    ax.set_xlabel(xlabel)
    ax.set_title(
        _(
            "Spectrogram (CDSA), mean of channels; events: lines and top bar (sz red, "
            "decrement blue)"
        )
    )
    decimal_ticks([ax, bar.ax], locale)
    return fig


def write_plots(
    analysis: EEGAnalysis, out_dir: str | Path, locales: tuple[str, ...] = IMAGE_LOCALES
) -> list[Path]:
    """Save ``amplitude.png``, ``spike_density.png`` and ``spectrogram.png``, drawn in
    each language of ``locales`` (all the app speaks by default): English under these
    names, another language's as :func:`~spasmwatch.images.image_file` names it
    (``amplitude.es.png``). Returns the paths, language by language."""
    out = Path(out_dir)
    files = IMAGE_FILES["eeg"]
    paths = []
    for locale in locales:
        for file, plot in (
            (files["amplitude"], plot_amplitude),
            (files["spike_density"], plot_spike_density),
            (files["spectrogram"], plot_spectrogram),
        ):
            fig = plot(analysis, None, locale)
            fig.suptitle(analysis.path.name, fontsize=9, x=0.01, ha="left")
            path = out / image_file(file, locale)
            fig.savefig(path, dpi=110)
            paths.append(path)
    return paths
