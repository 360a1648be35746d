"""Diary plots of the clinician report (matplotlib).

Each function takes the report's data and an optional ``ax`` and returns the figure, in
the style of MNE-Python. Colours: episodes in blue, movements in grey, clusters (series)
in orange, the movements of harmless look-alikes dashed in purple; they print readably in
black and white too (markers and hatching differ).

The words and days are in the language ``locale`` names (English by default): the
report's, or the page's at a share link (the clinician view). The report draws them for its
page (:data:`PAGE`: wide, small words); the clinician view for a screen (:data:`SCREEN`:
narrower, larger words, readable on a phone as on a desktop). Counts are ticked in whole
numbers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from typing import Any

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from spasmwatch.i18n import DEFAULT_LOCALE, format_day, translations
from spasmwatch.report.report_data import DayCount, EpisodeLine

__all__ = [
    "PAGE",
    "SCREEN",
    "PlotStyle",
    "figure_png",
    "plot_cluster_sizes",
    "plot_per_day",
    "plot_time_of_day",
]

EPISODE_COLOUR = "#1f5fa8"
MOVEMENT_COLOUR = "#8c8c8c"
#: A day whose movements are "at least" that many (an episode's count was not given): a
#: hollow dot in the movements' colour, on the chart and in its legend.
_AT_LEAST_MARK: dict[str, Any] = {
    "ls": "none",
    "marker": "o",
    "ms": 5,
    "mfc": "white",
    "mec": MOVEMENT_COLOUR,
    "mew": 1.2,
}
#: The movements of harmless look-alikes (hiccups and the like), dashed under the movements.
LOOKALIKE_COLOUR = "#7b4fa0"
CLUSTER_COLOUR = "#d9730d"


@dataclass(frozen=True)
class PlotStyle:
    """The size of a chart and of its words, in inches and points."""

    figsize: tuple[float, float]
    #: The axes' names (``episodes``), the tick labels, the legend, a note on the chart.
    label_pt: float
    tick_pt: float
    legend_pt: float
    note_pt: float
    #: At most about this many days are labelled on the date axis.
    day_labels: int
    #: The legend's entries per row (0: all in one row).
    legend_cols: int = 0


#: The report's page: as wide as the text, small words (printed at about 17 cm).
PAGE = PlotStyle((7.0, 2.4), label_pt=8, tick_pt=7, legend_pt=7, note_pt=6.5, day_labels=8)
#: A screen (the clinician view): shown at about 360 px on a phone and 360-560 px side by
#: side on a desktop, the words stay 11-14 px high.
SCREEN = PlotStyle(
    (4.2, 3.0), label_pt=11, tick_pt=10, legend_pt=10, note_pt=9, day_labels=4, legend_cols=2
)


def _axes(ax: Axes | None, style: PlotStyle = PAGE) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig = Figure(figsize=style.figsize, dpi=150, layout="constrained")
    return fig, fig.add_subplot()


def _whole_numbers(ax: Axes) -> None:
    """Ticks of a count at whole numbers only (no 0.5 episodes)."""
    ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))


TREATMENT_COLOUR = "#2e7d32"


def _date_axis(
    ax: Axes,
    start: date,
    end: date,
    timed: bool = False,
    locale: str = DEFAULT_LOCALE,
    style: PlotStyle = PAGE,
) -> None:
    """Days across from ``start`` to ``end``: centred on each day for per-day values, or
    (``timed``) from the start of the first day to the end of the last for points placed at
    their time of day, so that the last day's evening stays on the axis; the days are
    written in ``locale``'s words, at most about ``style.day_labels`` of them."""
    days = (end - start).days + 1
    if timed:
        ax.set_xlim(mdates.date2num(start) - 0.05, mdates.date2num(end) + 1.05)
    else:
        ax.set_xlim(mdates.date2num(start) - 0.6, mdates.date2num(end) + 0.6)
    step = max(1, -(-days // style.day_labels))
    ax.xaxis.set_major_locator(mdates.DayLocator(interval=step))
    # Babel rather than strftime: the month's name in the language asked, whatever the
    # process's own locale.
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _pos: format_day(mdates.num2date(x), locale, "dd MMM"))
    )
    ax.tick_params(axis="x", labelsize=style.tick_pt, rotation=0)
    ax.tick_params(axis="y", labelsize=style.tick_pt)


def _legend(ax: Axes, style: PlotStyle, n: int, per_row: int = 0, **kw: object) -> None:
    """The legend of ``n`` entries above the axes: in one row, or ``style.legend_cols``
    (``per_row`` when given) a row.

    It is kept within the figure's width: a legend wider than the figure would make the
    layout squeeze the chart into a corner (the Spanish words are longer than the English
    ones). It begins above the axes, or further left, above the axis' name, when that
    makes it fit; otherwise it takes fewer entries a row, then slightly smaller words,
    until it fits. The figure grows by the rows added, so the chart keeps its height."""
    cols = min(n, per_row or style.legend_cols) if style.legend_cols else n
    fig = ax.figure
    size = style.legend_pt
    smallest = style.legend_pt * 0.8
    first_height: float | None = None
    fig.canvas.draw()  # where the axes begin, with the axes' own words
    axes_box = ax.get_window_extent()
    margin = 2.0  # pixels kept free at the figure's edges
    # the figure's left edge (its margin kept), in the axes' coordinates
    leftmost = (fig.bbox.x0 + margin - axes_box.x0) / axes_box.width
    while True:
        for x in (0.0, leftmost):
            legend = ax.legend(
                fontsize=size,
                loc="lower left",
                bbox_to_anchor=(x, 1),
                ncols=cols,
                frameon=False,
                **kw,  # type: ignore[arg-type]
            )
            legend.set_in_layout(False)  # measured apart: the layout would squeeze the axes
            fig.canvas.draw()
            box = legend.get_window_extent()
            if first_height is None:
                first_height = box.height
            if box.x1 <= fig.bbox.x1 - margin:
                break
        else:
            if cols > 1:
                cols -= 1
                continue
            if size > smallest:
                size = max(smallest, size - 0.5)
                continue
        break
    legend.set_in_layout(True)
    grown = box.height - (first_height or 0.0)
    if grown > 0 and isinstance(fig, Figure):
        fig.set_figheight(fig.get_figheight() + grown / fig.dpi)


def _fit_days(ax: Axes) -> None:
    """Fewer days labelled while their labels would touch (long month names, or a chart
    drawn narrower than planned): every second labelled day, then every fourth, ..."""
    fig = ax.figure
    for _ in range(5):
        fig.canvas.draw()
        low, high = ax.get_xlim()
        ticks = [t for t in ax.get_xticks() if low <= t <= high]
        labels = [
            label.get_window_extent()
            for label, t in zip(ax.get_xticklabels(), ax.get_xticks(), strict=False)
            if label.get_text() and low <= t <= high
        ]
        gap = 0.4 * fig.dpi / 72 * 4  # about a space between two labels
        if len(ticks) < 2 or all(a.x1 + gap <= b.x0 for a, b in pairwise(labels)):
            return
        step = max(1, round(ticks[1] - ticks[0]))
        ax.xaxis.set_major_locator(mdates.DayLocator(interval=2 * step))


def plot_per_day(
    days: list[DayCount],
    ax: Axes | None = None,
    marks: list[tuple[date, str]] | None = None,
    locale: str = DEFAULT_LOCALE,
    style: PlotStyle = PAGE,
) -> Figure:
    """Episodes (bars) and movements (line, right axis) per day; days with a cluster marked.
    Where any day has movements of harmless look-alikes (hiccups, shivering, tremor,
    startle: ``DayCount.lookalike_movements``), those are drawn too, as a dashed line
    under the movements they are part of. A day with an episode logged without a count
    (``DayCount.uncounted``, counted as one movement) has a hollow dot: it had at least
    that many, as the legend says.

    Parameters
    ----------
    days
        One entry per day of the period (``ReportData.days``).
    ax
        Where to draw (default: a new figure).
    marks
        Days to mark with a labelled vertical line (a treatment's start), when on the axis.
    locale
        The language of the words and days (default English).
    style
        The size of the chart and its words (default: the report's page).
    """
    _ = translations(locale).gettext
    fig, ax = _axes(ax, style)
    if not days:
        return fig
    x = [mdates.date2num(d.day) for d in days]
    colours = [CLUSTER_COLOUR if d.clusters else EPISODE_COLOUR for d in days]
    ax.bar(x, [d.episodes for d in days], width=0.7, color=colours, label=_("episodes"))
    ax.set_ylabel(_("episodes"), fontsize=style.label_pt)
    ax.set_ylim(0, max(1, *(d.episodes for d in days)) * 1.1)
    _whole_numbers(ax)
    right = ax.twinx()
    right.plot(x, [d.movements for d in days], color=MOVEMENT_COLOUR, marker="o", ms=3, lw=1.2)
    least = [(xi, d.movements) for xi, d in zip(x, days, strict=True) if d.uncounted]
    if least:
        # at least that many: an episode's count was not given
        right.plot([xi for xi, _n in least], [n for _xi, n in least], **_AT_LEAST_MARK)
    lookalikes = any(d.lookalike_movements for d in days)
    if lookalikes:
        right.plot(
            x,
            [d.lookalike_movements for d in days],
            color=LOOKALIKE_COLOUR,
            ls="--",
            marker="x",
            ms=3,
            lw=1.0,
        )
    right.set_ylabel(_("movements"), fontsize=style.label_pt, color="#555555")
    right.set_ylim(0, max(1, *(d.movements for d in days)) * 1.1)
    right.tick_params(axis="y", labelsize=style.tick_pt)
    _whole_numbers(right)
    _date_axis(ax, days[0].day, days[-1].day, locale=locale, style=style)
    handles = [
        Patch(color=EPISODE_COLOUR, label=_("episodes")),
        Patch(color=CLUSTER_COLOUR, label=_("day with a cluster")),
        Line2D([], [], color=MOVEMENT_COLOUR, marker="o", ms=3, label=_("movements")),
    ]
    if lookalikes:
        handles.append(
            Line2D(
                [],
                [],
                color=LOOKALIKE_COLOUR,
                ls="--",
                marker="x",
                ms=3,
                label=_("of them look-alikes"),
            )
        )
    if least:
        handles.append(Line2D([], [], **_AT_LEAST_MARK, label=_("at least (a count not given)")))
    shown = [(d, text) for d, text in marks or [] if days[0].day <= d <= days[-1].day]
    for day, text in shown:
        x_day = mdates.date2num(day) - 0.5
        ax.axvline(x_day, color=TREATMENT_COLOUR, lw=1.2, ls="--")
        ax.annotate(
            text,
            (x_day, 1),
            xycoords=("data", "axes fraction"),
            xytext=(2, -2),
            textcoords="offset points",
            fontsize=style.note_pt,
            color=TREATMENT_COLOUR,
            va="top",
        )
    if shown:
        handles.append(Line2D([], [], color=TREATMENT_COLOUR, ls="--", label=_("treatment start")))
    _legend(ax, style, len(handles), handles=handles)
    ax.spines[["top"]].set_visible(False)
    right.spines[["top"]].set_visible(False)
    _fit_days(ax)
    return fig


def plot_time_of_day(
    episodes: list[EpisodeLine],
    start: date,
    end: date,
    ax: Axes | None = None,
    locale: str = DEFAULT_LOCALE,
    style: PlotStyle = PAGE,
) -> Figure:
    """Raster of when episodes began: day across, hour of the day up.

    Marker size grows with the number of movements; clusters are orange diamonds,
    episodes on waking have a black edge. An episode logged without a count
    (:attr:`~spasmwatch.report.report_data.EpisodeLine.uncounted`) is a hollow circle of its
    own, not one of "single or few movements": it may have been a series. Untimed
    episodes are left out. ``locale``: the language of the words and days (default
    English); ``style``: the size of the chart and its words (default: the report's page).
    """
    _ = translations(locale).gettext
    fig, ax = _axes(ax, style)
    timed = [e for e in episodes if e.started_at is not None]
    groups = (
        ("few", [e for e in timed if not e.series and not e.uncounted]),
        ("series", [e for e in timed if e.series]),
        ("uncounted", [e for e in timed if e.uncounted]),
    )
    shown = 0
    for kind, group in groups:
        if not group:
            continue
        shown += 1
        when: list[datetime] = [e.started_at for e in group]  # type: ignore[misc]
        x = [mdates.date2num(w.date()) for w in when]
        y = [w.hour + w.minute / 60 for w in when]
        if kind == "uncounted":
            ax.scatter(
                x,
                y,
                s=18 + 6 * 3,
                facecolors="white",
                marker="o",
                edgecolors=["black" if e.on_waking else EPISODE_COLOUR for e in group],
                linewidths=1.2,
                label=_("count not given"),
            )
            continue
        series = kind == "series"
        ax.scatter(
            x,
            y,
            s=[18 + 6 * min(e.count or 1, 30) for e in group],
            c=CLUSTER_COLOUR if series else EPISODE_COLOUR,
            marker="D" if series else "o",
            edgecolors=["black" if e.on_waking else "none" for e in group],
            linewidths=0.9,
            alpha=0.85,
            label=_("cluster (series)") if series else _("single or few movements"),
        )
    ax.set_ylim(24, 0)
    ax.set_yticks([0, 6, 12, 18, 24], ["00:00", "06:00", "12:00", "18:00", "24:00"])
    ax.set_ylabel(_("time of day"), fontsize=style.label_pt)
    ax.grid(axis="y", color="#dddddd", lw=0.6)
    _date_axis(ax, start, end, locale=locale, style=style)
    if timed:
        # one entry a row on a screen: its words are long (in Spanish above all)
        _legend(ax, style, max(2, shown), per_row=1)
    _fit_days(ax)
    return fig


def plot_cluster_sizes(
    episodes: list[EpisodeLine],
    start: date,
    end: date,
    ax: Axes | None = None,
    locale: str = DEFAULT_LOCALE,
    style: PlotStyle = PAGE,
) -> Figure:
    """Movements in each cluster (series) over the period, one stem per cluster
    (``locale``: the language of the words and days, default English; ``style``: the size
    of the chart and its words, default the report's page)."""
    _ = translations(locale).gettext
    fig, ax = _axes(ax, style)
    clusters = [e for e in episodes if e.series and e.started_at is not None]
    if clusters:
        x = [mdates.date2num(e.started_at) for e in clusters]  # type: ignore[arg-type]
        y = [e.count or 0 for e in clusters]
        markers, stems, _base = ax.stem(x, y, basefmt=" ")
        markers.set_color(CLUSTER_COLOUR)
        stems.set_color(CLUSTER_COLOUR)
        ax.set_ylim(0, max(y) * 1.2)
    else:
        ax.text(
            0.5,
            0.5,
            _("no clusters in this period"),
            transform=ax.transAxes,
            ha="center",
            fontsize=style.label_pt,
        )
        ax.set_ylim(0, 1)
    ax.set_ylabel(_("movements per cluster"), fontsize=style.label_pt)
    _whole_numbers(ax)
    _date_axis(ax, start, end, timed=True, locale=locale, style=style)
    ax.spines[["top", "right"]].set_visible(False)
    _fit_days(ax)
    return fig


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    return buffer.getvalue()
