"""Plots of an evaluation (matplotlib figures, no pyplot): the operating curve, the
per-subject results and a timeline per recording. Each ``plot_*`` returns the figure."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from spasmwatch.evaluate.detections import LEVELS

if TYPE_CHECKING:
    from spasmwatch.evaluate.run import Evaluation, RecordingResult

__all__ = ["TYPE_TITLES", "plot_operating_curve", "plot_subjects", "plot_timeline"]

_LEVEL_COLOURS = {"low": "tab:green", "normal": "tab:blue", "high": "tab:orange"}
TYPE_TITLES = {
    "spasm": "spasms (video)",
    "sz": "seizures (sz)",
    "decrement": "spasms / decrements",
}


def plot_operating_curve(ev: Evaluation, event_type: str) -> Figure:
    """Sensitivity against false detections per hour at each level, with 95 % intervals."""
    fig = Figure(figsize=(5.0, 3.6), dpi=100)
    ax = fig.add_subplot()
    xs, ys = [], []
    for level in LEVELS:
        f = ev.pooled[event_type][level]
        x, y = f["false_per_hour"]["value"], f["sensitivity"]["value"]
        if x is None or y is None:
            continue
        xs.append(x)
        ys.append(y)
        xerr = _err(f["false_per_hour"])
        yerr = _err(f["sensitivity"])
        ax.errorbar(
            [x],
            [y],
            xerr=xerr,
            yerr=yerr,
            fmt="o",
            color=_LEVEL_COLOURS[level],
            capsize=3,
            label=level,
        )
    if xs:
        ax.plot(xs, ys, color="grey", lw=0.8, zorder=0)
    ax.set_xlabel("false detections per hour")
    ax.set_ylabel("sensitivity")
    ax.set_ylim(-0.03, 1.03)
    ax.set_title(f"Operating curve: {TYPE_TITLES.get(event_type, event_type)}", fontsize=10)
    ax.grid(alpha=0.3)
    if xs:
        ax.legend(fontsize=8, title="sensitivity", title_fontsize=8)
    fig.tight_layout()
    return fig


def _err(f: dict[str, float | None]) -> list[list[float]] | None:
    v, lo, hi = f.get("value"), f.get("ci_low"), f.get("ci_high")
    if v is None or lo is None or hi is None:
        return None
    return [[max(0.0, v - lo)], [max(0.0, hi - v)]]


def plot_subjects(ev: Evaluation, event_type: str) -> Figure:
    """Sensitivity and precision of each subject at the headline level."""
    subjects = [s for s in ev.per_subject]
    n = len(subjects)
    fig = Figure(figsize=(6.0, max(2.0, 0.28 * n + 1.2)), dpi=100)
    ax = fig.add_subplot()
    y = np.arange(n)
    sens = [s[event_type].get("sensitivity") for s in subjects]
    prec = [s[event_type].get("precision") for s in subjects]
    ax.barh(
        y - 0.2,
        [v if v is not None else 0 for v in sens],
        height=0.4,
        color="tab:blue",
        label="sensitivity",
    )
    ax.barh(
        y + 0.2,
        [v if v is not None else 0 for v in prec],
        height=0.4,
        color="tab:orange",
        label="precision",
    )
    for i, (a, b) in enumerate(zip(sens, prec, strict=True)):
        if a is None:
            ax.text(0.01, i - 0.2, "no labelled event", va="center", fontsize=7)
        if b is None:
            ax.text(0.01, i + 0.2, "no detection", va="center", fontsize=7)
    ax.set_yticks(y, [str(s["subject"])[:24] for s in subjects], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.02)
    ax.set_title(
        f"Per subject, {TYPE_TITLES.get(event_type, event_type)} ({ev.headline_level})",
        fontsize=10,
    )
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
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
        # a detector without sensitivity levels (decrements) gets one row
        same = all(
            r.matches[t][lv].detections == r.matches[t][LEVELS[0]].detections for lv in LEVELS
        )
        for level in LEVELS[1:2] if same else LEVELS:
            m = r.matches[t][level]
            rows.append(
                (
                    f"detected {t}" if same else f"{level} {t}",
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
