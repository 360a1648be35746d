"""Plots of an evaluation (matplotlib figures, no pyplot): the operating curve, the
per-subject results and a timeline per recording. Each ``plot_*`` returns the figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from matplotlib.patches import Patch

from spasmwatch.evaluate.detections import LEVELLESS_TYPES, LEVELS

if TYPE_CHECKING:
    from spasmwatch.evaluate.run import Evaluation, RecordingResult

__all__ = ["TYPE_TITLES", "plot_operating_curve", "plot_subjects", "plot_timeline"]

_LEVEL_COLOURS = {"low": "tab:green", "normal": "tab:blue", "high": "tab:orange"}
#: marker, size and whether filled: each fits inside the one before, so that levels at
#: the same point of the operating curve are all seen
_LEVEL_MARKERS = {"low": ("o", 15.0, False), "normal": ("s", 8.5, False), "high": ("^", 5.0, True)}
_SENS, _PREC = "tab:blue", "tab:orange"
TYPE_TITLES = {
    "spasm": "spasms (video)",
    "sz": "seizures (sz)",
    "decrement": "spasms / decrements",
}


def plot_operating_curve(ev: Evaluation, event_type: str) -> Figure:
    """Sensitivity against false detections per hour at each level, with 95 % intervals.

    Each point is labelled with its sensitivity setting. Levels with the same figures (as
    the report rounds them) would cover each other, so each level has its own marker, of
    its own size, drawn one inside the other (low the largest and hollow, high the
    smallest and filled): every level stays visible at its true place, and one label
    ("low = normal = high") says that they coincide and, for a detector without a
    setting, why.
    """
    fig = Figure(figsize=(5.4, 3.8), dpi=100)
    ax = fig.add_subplot()
    points: dict[str, tuple[float, float]] = {}
    for level in LEVELS:
        f = ev.pooled[event_type][level]
        x, y = f["false_per_hour"]["value"], f["sensitivity"]["value"]
        if x is not None and y is not None:
            points[level] = (x, y)
    groups: list[list[str]] = []  # levels at the same point, as the report shows them
    for level, (x, y) in points.items():
        same = next(
            (g for g in groups if _shown(points[g[0]]) == _shown((x, y))),
            None,
        )
        if same is None:
            groups.append([level])
        else:
            same.append(level)
    for level, (x, y) in points.items():
        f = ev.pooled[event_type][level]
        marker, size, filled = _LEVEL_MARKERS[level]
        ax.errorbar(
            [x],
            [y],
            xerr=_err(f["false_per_hour"]),
            yerr=_err(f["sensitivity"]),
            fmt=marker,
            markersize=size,
            markeredgewidth=1.6,
            markerfacecolor=_LEVEL_COLOURS[level] if filled else "white",
            color=_LEVEL_COLOURS[level],
            capsize=3,
            label=level,
        )
    if len(points) > 1:
        ax.plot(
            [x for x, _y in points.values()],
            [y for _x, y in points.values()],
            color="grey",
            lw=0.8,
            zorder=0,
        )
    highest = 1.0
    for level, (x, _y) in points.items():
        ci_high = ev.pooled[event_type][level]["false_per_hour"].get("ci_high")
        highest = max(highest, x, ci_high or 0.0)
    right = highest * 1.25  # room for the labels right of the points
    ax.set_xlim(-0.04 * right, right)
    ax.set_ylim(-0.03, 1.03)
    for group in groups:
        x, y = points[group[0]]
        text = " = ".join(group)
        if len(group) > 1:
            text += (
                "\n(no sensitivity setting: the same detections)"
                if event_type in LEVELLESS_TYPES
                else "\n(the same result)"
            )
        above = y < 0.75
        left = x < 0.6 * right
        ax.annotate(
            text,
            (x, y),
            xytext=(10 if left else -10, 10 if above else -10),
            textcoords="offset points",
            ha="left" if left else "right",
            va="bottom" if above else "top",
            fontsize=7.5,
            color="black" if len(group) > 1 else _LEVEL_COLOURS[group[0]],
        )
    ax.set_xlabel("false detections per hour")
    ax.set_ylabel("sensitivity")
    ax.set_title(f"Operating curve: {TYPE_TITLES.get(event_type, event_type)}", fontsize=10)
    ax.grid(alpha=0.3)
    if points:
        ax.legend(fontsize=8, title="sensitivity", title_fontsize=8, loc="lower right")
    else:
        ax.text(
            0.5,
            0.5,
            "no labelled event: no sensitivity to draw",
            transform=ax.transAxes,
            ha="center",
            fontsize=8,
            color="dimgrey",
        )
    fig.tight_layout()
    return fig


def _shown(point: tuple[float, float]) -> tuple[float, float]:
    """A point as the report shows it (false detections per hour to 0.1, sensitivity to
    0.01): points that read the same are drawn as the same point."""
    return round(point[0], 1), round(point[1], 2)


def _err(f: dict[str, float | None]) -> list[list[float]] | None:
    v, lo, hi = f.get("value"), f.get("ci_low"), f.get("ci_high")
    if v is None or lo is None or hi is None:
        return None
    return [[max(0.0, v - lo)], [max(0.0, hi - v)]]


def plot_subjects(ev: Evaluation, event_type: str) -> Figure:
    """Sensitivity and precision of each subject at the headline level.

    Each bar says its counts ("5 of 7"). A figure of 0 has no bar to see, so it is drawn
    as a marker at 0 with its counts ("0 of 7"): a child whose spasms were all missed must
    not look like a child with nothing to score ("no labelled event", "no detection").
    """
    subjects = list(ev.per_subject)
    n = len(subjects)
    height = max(2.2, 0.34 * n + 1.5)
    fig = Figure(figsize=(6.4, height), dpi=100)
    ax = fig.add_subplot()
    for i, s in enumerate(subjects):
        d = s[event_type]
        detections = d["true_detections"] + d["false_detections"]
        for value, count, of, offset, colour, none in (
            (d.get("sensitivity"), d["found"], d["reference"], -0.2, _SENS, "no labelled event"),
            (d.get("precision"), d["true_detections"], detections, 0.2, _PREC, "no detection"),
        ):
            if value is None:
                ax.text(0.01, i + offset, none, va="center", fontsize=7, color="dimgrey")
                continue
            ax.barh(i + offset, value, height=0.4, color=colour)
            if value == 0:
                ax.plot([0], [i + offset], marker="D", markersize=5, color=colour, clip_on=False)
            at = value + (0.03 if value == 0 else 0.015)  # clear of the marker at 0
            ax.text(at, i + offset, f"{count} of {of}", va="center", fontsize=7)
    ax.set_yticks(range(n), [str(s["subject"])[:24] for s in subjects], fontsize=7)
    ax.set_ylim(n - 0.5, -0.5)  # the first subject on top
    ax.set_xlim(0, 1.2)  # room for the counts right of a full bar
    ax.set_xticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(
        f"Per subject, {TYPE_TITLES.get(event_type, event_type)} ({ev.headline_level})",
        fontsize=10,
    )
    fig.legend(
        handles=[Patch(color=_SENS, label="sensitivity"), Patch(color=_PREC, label="precision")],
        loc="lower center",
        ncol=2,
        fontsize=7,
        frameon=False,
    )
    fig.tight_layout(rect=(0, 0.3 / height, 1, 1))  # the legend below the chart
    return fig


def plot_timeline(ev: Evaluation, r: RecordingResult) -> Figure:
    """Labels and detections of one recording at every level (red: false detection)."""
    rows = []
    for t in ev.event_types:
        rows.append(
            (
                f"labels {t}",
                [
                    ((e.start_s, e.end_s), "black")
                    for e in r.labels.events
                    if _label_type(e.kind, ev.kind) == t
                ],
            )
        )
        # A detector without a sensitivity setting (decrements) gets one row; every other
        # gets a row per level in every recording, also where its levels detect the same
        # (a timeline with one row for a detector that has three would read as a
        # different kind of analysis).
        one = t in LEVELLESS_TYPES
        for level in LEVELS[1:2] if one else LEVELS:
            m = r.matches[t][level]
            rows.append(
                (
                    f"detected {t}" if one else f"{level} {t}",
                    [
                        ((a, b), "tab:red" if bad else "tab:green")
                        for (a, b), bad in zip(m.detections, m.false, strict=True)
                    ],
                )
            )
    scale, unit = (1.0, "s") if r.duration_s <= 900 else (60.0, "min")
    if r.duration_s > 6 * 3600:
        scale, unit = 3600.0, "h"
    fig = Figure(figsize=(8.0, 0.3 * len(rows) + 0.9), dpi=90)
    ax = fig.add_subplot()
    for i, (_name, spans) in enumerate(rows):
        bars = [
            (a / scale, max((b - a) / scale, r.duration_s / scale / 400)) for (a, b), _c in spans
        ]
        if bars:
            ax.broken_barh(bars, (i - 0.35, 0.7), facecolors=[c for _s, c in spans])
    ax.set_yticks(range(len(rows)), [name for name, _s in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, max(r.duration_s / scale, 1e-3))
    ax.set_xlabel(f"time ({unit})", fontsize=8)
    ax.set_title(f"{r.labels.name} (subject {r.labels.subject})", fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def _label_type(kind: str, evaluation_kind: str) -> str:
    return "spasm" if evaluation_kind == "video" else kind
