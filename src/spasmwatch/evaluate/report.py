"""The evaluation report: ``report.html`` with its plots in ``plots/``, and the tables.

Written into the report folder:

- ``evaluation.json``: everything below in one document (settings, rules, pooled figures
  with their intervals, per subject, per recording, failures).
- ``operating_curve.csv``: per event type and sensitivity, every pooled figure with its
  95 % interval and how it was made (``bootstrap``, ``wilson`` or ``none``, see
  :func:`~spasmwatch.evaluate.scores.figure_with_interval`).
- ``per_subject.csv``, ``per_recording.csv``: counts and figures at the headline
  sensitivity (and per level for each recording).
- ``timeline.json``: per recording, the labelled events and the detections at every
  sensitivity (seconds from the start of the file).
- ``misses.csv``, ``false_alarms.csv``: every labelled event missed and every false
  detection at the headline sensitivity, with times; the report lists the worst.
- ``plots/*.png``: the operating curve, per-subject sensitivity and precision, and a
  timeline per recording.
"""

from __future__ import annotations

import csv
import html
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spasmwatch import __version__
from spasmwatch.evaluate.detections import LEVELS
from spasmwatch.evaluate.plots import (
    TYPE_TITLES,
    plot_operating_curve,
    plot_subjects,
    plot_timeline,
)
from spasmwatch.evaluate.scores import MIN_BOOTSTRAP_SUBJECTS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from spasmwatch.evaluate.run import Evaluation, RecordingResult

__all__ = ["MAX_TIMELINE_PLOTS", "WORST_SHOWN", "write_report"]

#: Timelines drawn as PNG (the rest are in ``timeline.json``).
MAX_TIMELINE_PLOTS = 120
#: Misses and false alarms listed in the HTML report (all are in the CSV files).
WORST_SHOWN = 25
FIGURE_NAMES = ("sensitivity", "precision", "f1", "false_per_hour", "kappa", "mcc")


def _fmt(x: float | None, digits: int = 2) -> str:
    return "n/a" if x is None else f"{x:.{digits}f}"


def _with_ci(f: dict[str, Any] | None, digits: int = 2) -> str:
    """A figure and its interval: "0.80 (0.62-0.91)", "1.00 (0.21-1.00 W)" (the Wilson
    interval of its events: too few subjects), "0.50 (no interval)" (too few subjects)."""
    if not f or f.get("value") is None:
        return "n/a"
    if f.get("ci_low") is None:
        if f.get("interval") == "none" and f.get("subjects") is not None:
            return f"{_fmt(f['value'], digits)} (no interval)"
        return _fmt(f["value"], digits)
    mark = " W" if f.get("interval") == "wilson" else ""
    return (
        f"{_fmt(f['value'], digits)} "
        f"({_fmt(f['ci_low'], digits)}-{_fmt(f['ci_high'], digits)}{mark})"
    )


def _few_subjects(ev: Evaluation) -> bool:
    """Whether a figure of the report has too few subjects for a bootstrap interval."""
    found = [f for t in ev.pooled.values() for by in t.values() for f in by.values()]
    found += [v["sensitivity"] for v in ev.per_type.values()]
    hyps = ev.hypsarrhythmia or {}
    found += [hyps.get(k) for k in ("accuracy", "sensitivity", "specificity")]
    return any(
        isinstance(f, dict)
        and f.get("value") is not None
        and f.get("interval") in ("wilson", "none")
        and (f.get("subjects") or 0) < MIN_BOOTSTRAP_SUBJECTS
        for f in found
    )


# ---------------------------------------------------------------- tables
def _recording_rows(ev: Evaluation) -> list[dict[str, Any]]:
    rows = []
    for r in ev.recordings:
        for t in ev.event_types:
            for level in LEVELS:
                row: dict[str, Any] = {
                    "file": r.labels.name,
                    "subject": r.labels.subject,
                    "status": r.status,
                    "error": r.error,
                    "event_type": t,
                    "sensitivity_level": level,
                    "duration_s": round(r.duration_s, 2),
                }
                if r.status == "ok" and t in r.matches:
                    c = r.counts(t, level)
                    row.update(
                        reference=c.reference,
                        found=c.found,
                        detections=len(r.matches[t][level].detections),
                        false_detections=c.false_detections,
                        sensitivity=_ratio(c.found, c.reference),
                        precision=_ratio(c.true_detections, c.true_detections + c.false_detections),
                        false_per_hour=_ratio(c.false_detections, c.hours),
                    )
                    if c.seconds is not None:
                        row.update(
                            zip(("sec_tp", "sec_fp", "sec_fn", "sec_tn"), c.seconds, strict=True)
                        )
                rows.append(row)
    return rows


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def _curve_rows(ev: Evaluation) -> list[dict[str, Any]]:
    rows = []
    for t, by_level in ev.pooled.items():
        for level, f in by_level.items():
            row: dict[str, Any] = {"event_type": t, "sensitivity_level": level, **f["counts"]}
            for name in FIGURE_NAMES:
                if name in f:
                    row[name] = f[name]["value"]
                    row[f"{name}_ci_low"] = f[name]["ci_low"]
                    row[f"{name}_ci_high"] = f[name]["ci_high"]
                    row[f"{name}_interval"] = f[name].get("interval")
            rows.append(row)
    return rows


def _subject_rows(ev: Evaluation) -> list[dict[str, Any]]:
    rows = []
    for s in ev.per_subject:
        for t in ev.event_types:
            rows.append(
                {
                    "subject": s["subject"],
                    "recordings": s["recordings"],
                    "failed": s["failed"],
                    "event_type": t,
                    **s[t],
                }
            )
    return rows


def _events_lists(ev: Evaluation) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(misses, false alarms) at the headline level: longest misses and most confident
    false alarms first."""
    level = ev.headline_level
    misses, false = [], []
    for r in ev.recordings:
        if r.status != "ok":
            continue
        for t in ev.event_types:
            m = r.matches[t][level]
            kinds = _label_kinds(r, t)
            for i, ((a, b), hit) in enumerate(zip(m.reference, m.found, strict=True)):
                if not hit:
                    misses.append(
                        {
                            "file": r.labels.name,
                            "subject": r.labels.subject,
                            "event_type": t,
                            "kind": kinds[i] if i < len(kinds) else t,
                            "start_s": round(a, 2),
                            "end_s": round(b, 2),
                            "duration_s": round(b - a, 2),
                        }
                    )
            scores = r.scores.get(t, {}).get(level, [])
            for i, ((a, b), bad) in enumerate(zip(m.detections, m.false, strict=True)):
                if bad:
                    false.append(
                        {
                            "file": r.labels.name,
                            "subject": r.labels.subject,
                            "event_type": t,
                            "start_s": round(a, 2),
                            "end_s": round(b, 2),
                            "score": round(scores[i], 3) if i < len(scores) else None,
                        }
                    )
    misses.sort(key=lambda x: (-x["duration_s"], x["file"], x["start_s"]))
    false.sort(key=lambda x: (-(x["score"] or 0.0), x["file"], x["start_s"]))
    return misses, false


def _label_kinds(r: RecordingResult, t: str) -> list[str]:
    if t == "spasm":
        return [e.kind for e in r.labels.events]
    return []


def _timeline(ev: Evaluation) -> list[dict[str, Any]]:
    out = []
    for r in ev.recordings:
        item: dict[str, Any] = {
            "file": r.labels.name,
            "subject": r.labels.subject,
            "status": r.status,
            "error": r.error,
            "duration_s": round(r.duration_s, 2),
            "labels": [
                {"start_s": e.start_s, "end_s": e.end_s, "kind": e.kind} for e in r.labels.events
            ],
            "detections": {},
        }
        if r.status == "ok":
            for t in ev.event_types:
                item["detections"][t] = {
                    level: [
                        {"start_s": round(a, 2), "end_s": round(b, 2), "false": bad}
                        for (a, b), bad in zip(
                            r.matches[t][level].detections, r.matches[t][level].false, strict=True
                        )
                    ]
                    for level in LEVELS
                }
        if r.labels.hypsarrhythmia is not None or r.hypsarrhythmia is not None:
            item["hypsarrhythmia"] = {
                "label": r.labels.hypsarrhythmia,
                "analysis": r.hypsarrhythmia,
            }
        out.append(item)
    return out


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=columns or ["none"])
        w.writeheader()
        for row in rows:
            w.writerow({k: "" if v is None else v for k, v in row.items()})


def _save(fig: Figure, path: Path) -> None:
    fig.savefig(path, format="png")


# ---------------------------------------------------------------- HTML
def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.6em 0 1.4em;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left}
th{background:#f2f2f2} .note{background:#fff8e1;border-left:4px solid #f0b400;padding:.6em 1em}
.fail{color:#b00020} img{max-width:100%} code{background:#f4f4f4;padding:0 .2em}
"""


def _skipped_said(ev: Evaluation) -> str:
    """The headline's word on labels that name no input, so that a reader who stops at the
    first paragraph knows some labels were not scored (they are listed further down)."""
    if not ev.unmatched:
        return ""
    counts = ", ".join(
        f"{len(u.names)} {u.what if len(u.names) != 1 else u.what.removesuffix('s')}"
        for u in ev.unmatched
    )
    return (
        f" Labels that name no input recording are not scored: {html.escape(counts)} "
        "(listed below)."
    )


def _html(ev: Evaluation, plots: dict[str, Any], misses: list, false: list) -> str:
    level = ev.headline_level
    e = html.escape
    ok = sum(r.status == "ok" for r in ev.recordings)
    subjects = len({r.labels.subject for r in ev.recordings})
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>spasmwatch evaluation ({e(ev.kind)})</title><style>{_STYLE}</style></head><body>",
        f"<h1>spasmwatch evaluation: {e(ev.kind)}</h1>",
        f"<p>{len(ev.recordings)} recordings of {subjects} subjects; {ok} analysed, "
        f"{len(ev.failed)} failed.{_skipped_said(ev)} Headline sensitivity: <b>{e(level)}</b>. "
        "spasmwatch "
        f"{e(__version__)}, {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}.</p>",
        "<p class='note'>These figures describe these recordings and these labels only. "
        "With few subjects the intervals are wide, and labellers disagree with each other "
        + (
            "too (raters differ on spasm onsets by a fraction of a second, and on whether a "
            "subtle movement is a spasm). "
            if ev.kind == "video"
            else "too (for neonatal seizures, experts agree on about 0.8 of seconds by kappa). "
        )
        + "A 95 % interval is a bootstrap over subjects (for a share of events, never "
        "narrower than the Wilson interval of its events). See docs/evaluate.md; please "
        "report your results back to the project.</p>",
        *(
            [
                f"<p class='note'>Fewer than {MIN_BOOTSTRAP_SUBJECTS} subjects bear on some "
                "figures (with a labelled event, for sensitivity; with a detection, for "
                "precision): too few to draw a bootstrap interval from. A share of events "
                "then shows the Wilson score interval of its events, marked W (it takes "
                "the events as independent, so it is still too narrow when one child's "
                "events go together); any other figure shows no interval.</p>"
            ]
            if _few_subjects(ev)
            else []
        ),
        "<h2>How it was scored</h2><ul>",
        *(f"<li><b>{e(k)}</b>: {e(v)}</li>" for k, v in ev.rules.items()),
        "</ul>",
    ]
    for t in ev.event_types:
        parts.append(f"<h2>{e(TYPE_TITLES.get(t, t))}</h2>")
        if not ev.pooled[t][level]["counts"]["reference"]:
            parts.append(
                "<p>No labelled event of this type: sensitivity cannot be measured, only the "
                "false detections.</p>"
            )
        headers = [
            "sensitivity level",
            "labelled",
            "found",
            "false detections",
            "hours",
            "sensitivity (95 % CI)",
            "precision",
            "F1",
            "false / hour",
        ]
        has_seconds = "kappa" in ev.pooled[t][level]
        if has_seconds:
            headers += ["per-second kappa", "per-second MCC"]
        rows = []
        for lv in LEVELS:
            f = ev.pooled[t][lv]
            c = f["counts"]
            row = [
                lv,
                c["reference"],
                c["found"],
                c["false_detections"],
                f"{c['hours']:.2f}",
                _with_ci(f["sensitivity"]),
                _with_ci(f["precision"]),
                _with_ci(f["f1"]),
                _with_ci(f["false_per_hour"], 1),
            ]
            if has_seconds:
                row += [_with_ci(f["kappa"], 3), _with_ci(f["mcc"], 3)]
            rows.append(row)
        parts.append(_table(headers, rows))
        parts.append(
            f"<img src='{e(plots['curve'][t])}' alt='operating curve'> "
            f"<img src='{e(plots['subjects'][t])}' alt='per subject'>"
        )
    if ev.per_type:
        parts.append(f"<h2>Per kind of spasm ({e(level)})</h2>")
        parts.append(
            _table(
                ["kind", "labelled", "found", "sensitivity (95 % CI)"],
                [
                    [k, v["counts"]["reference"], v["counts"]["found"], _with_ci(v["sensitivity"])]
                    for k, v in ev.per_type.items()
                ],
            )
        )
    if ev.hypsarrhythmia:
        h = ev.hypsarrhythmia
        parts.append("<h2>Hypsarrhythmia</h2>")
        parts.append(
            f"<p>{h['assessed']} recordings assessed, {h['cannot_assess']} that the analysis "
            "could not assess (too short, too few channels or too many artefacts; not a "
            "'no').</p>"
        )
        parts.append(
            _table(
                ["accuracy", "sensitivity", "specificity"],
                [[_with_ci(h["accuracy"]), _with_ci(h["sensitivity"]), _with_ci(h["specificity"])]],
            )
        )
    parts.append(f"<h2>Per subject ({e(level)})</h2>")
    srows = []
    for s in ev.per_subject:
        for t in ev.event_types:
            d = s[t]
            srows.append(
                [
                    s["subject"],
                    t,
                    s["recordings"],
                    s["failed"],
                    d["reference"],
                    d["found"],
                    d["false_detections"],
                    _fmt(d.get("sensitivity")),
                    _fmt(d.get("precision")),
                    _fmt(d.get("false_per_hour"), 1),
                ]
            )
    parts.append(
        _table(
            [
                "subject",
                "type",
                "recordings",
                "failed",
                "labelled",
                "found",
                "false",
                "sensitivity",
                "precision",
                "false / hour",
            ],
            srows,
        )
    )
    parts.append(f"<h2>Worst misses ({e(level)}; all in misses.csv)</h2>")
    parts.append(
        _table(
            ["file", "subject", "type", "kind", "start (s)", "end (s)"],
            [
                [m["file"], m["subject"], m["event_type"], m["kind"], m["start_s"], m["end_s"]]
                for m in misses[:WORST_SHOWN]
            ],
        )
        if misses
        else "<p>None.</p>"
    )
    parts.append(f"<h2>Most confident false alarms ({e(level)}; all in false_alarms.csv)</h2>")
    parts.append(
        _table(
            ["file", "subject", "type", "start (s)", "end (s)", "score"],
            [
                [
                    x["file"],
                    x["subject"],
                    x["event_type"],
                    x["start_s"],
                    x["end_s"],
                    _fmt(x["score"], 3),
                ]
                for x in false[:WORST_SHOWN]
            ],
        )
        if false
        else "<p>None.</p>"
    )
    if ev.unmatched:
        parts.append("<h2>Labels of recordings that are not among the inputs</h2>")
        for u in ev.unmatched:
            parts.append(
                f"<p>{len(u.names)} of {u.total} {e(u.what)} in {e(str(u.source))} name no "
                "input recording and are not scored:</p>"
                f"<p class='note'>{e(', '.join(u.names))}</p>"
            )
    if ev.warnings:
        parts.append("<h2 class='fail'>Labels outside their recording</h2><ul>")
        parts.extend(f"<li>{e(w)}</li>" for w in ev.warnings)
        parts.append("</ul>")
    if ev.failed:
        parts.append("<h2 class='fail'>Recordings that failed (not scored)</h2>")
        parts.append(
            _table(
                ["file", "subject", "status", "error"],
                [[r.labels.name, r.labels.subject, r.status, r.error] for r in ev.failed],
            )
        )
    parts.append(
        "<h2>Timelines</h2><p>Black: labels; green: detections that are right; "
        "red: false detections.</p>"
    )
    for name, src in plots["timelines"]:
        parts.append(f"<h3>{e(name)}</h3><img src='{e(src)}' alt='timeline of {e(name)}'>")
    if plots["empty"]:
        parts.append(
            f"<p>No label and no detection at any sensitivity in {len(plots['empty'])} "
            f"recording(s): {e(', '.join(plots['empty']))}.</p>"
        )
    if len(plots["timelines"]) + len(plots["empty"]) < sum(r.status == "ok" for r in ev.recordings):
        parts.append(
            f"<p>Only the first {MAX_TIMELINE_PLOTS} are drawn; all are in timeline.json.</p>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)


# ---------------------------------------------------------------- all of it
def write_report(ev: Evaluation) -> dict[str, str]:
    """Write the report, the tables and the plots into ``ev.out_dir``; their paths."""
    out = ev.out_dir
    plots_dir = out / "plots"
    plots_dir.mkdir(parents=True, exist_ok=True)
    plots: dict[str, Any] = {"curve": {}, "subjects": {}, "timelines": []}
    for t in ev.event_types:
        _save(plot_operating_curve(ev, t), plots_dir / f"operating_curve_{t}.png")
        plots["curve"][t] = f"plots/operating_curve_{t}.png"
        _save(plot_subjects(ev, t), plots_dir / f"subjects_{t}.png")
        plots["subjects"][t] = f"plots/subjects_{t}.png"
    drawn = 0
    plots["empty"] = []
    for i, r in enumerate(ev.recordings):
        if r.status != "ok":
            continue
        if not r.labels.events and not any(
            m.detections for by_level in r.matches.values() for m in by_level.values()
        ):
            plots["empty"].append(r.labels.name)  # nothing to draw
            continue
        if drawn >= MAX_TIMELINE_PLOTS:
            continue
        name = f"timeline_{i:04d}.png"
        _save(plot_timeline(ev, r), plots_dir / name)
        plots["timelines"].append((r.labels.name, f"plots/{name}"))
        drawn += 1
    misses, false = _events_lists(ev)
    files = {
        "report": out / "report.html",
        "evaluation": out / "evaluation.json",
        "operating_curve": out / "operating_curve.csv",
        "per_subject": out / "per_subject.csv",
        "per_recording": out / "per_recording.csv",
        "timeline": out / "timeline.json",
        "misses": out / "misses.csv",
        "false_alarms": out / "false_alarms.csv",
    }
    curve = _curve_rows(ev)
    recording_rows = _recording_rows(ev)
    _write_csv(files["operating_curve"], curve)
    _write_csv(files["per_subject"], _subject_rows(ev))
    _write_csv(files["per_recording"], recording_rows)
    _write_csv(files["misses"], misses)
    _write_csv(files["false_alarms"], false)
    timeline = _timeline(ev)
    files["timeline"].write_text(json.dumps(timeline, indent=1) + "\n", encoding="utf-8")
    doc = {
        "kind": ev.kind,
        "spasmwatch": __version__,
        "headline_sensitivity": ev.headline_level,
        "settings": {
            "slack_s": ev.settings.slack_s if ev.kind == "video" else None,
            "bootstrap_replicates": ev.settings.n_boot,
            "seed": ev.settings.seed,
            "confidence": 0.95,
        },
        "rules": ev.rules,
        "recordings": len(ev.recordings),
        "subjects": len({r.labels.subject for r in ev.recordings}),
        "failed": [
            {"file": r.labels.name, "status": r.status, "error": r.error} for r in ev.failed
        ],
        "pooled": ev.pooled,
        "per_kind": ev.per_type,
        "hypsarrhythmia": ev.hypsarrhythmia,
        "per_subject": ev.per_subject,
        "per_recording": recording_rows,
        "ignored_label_types": _ignored(ev),
        "warnings": ev.warnings,
        "labels_naming_no_input": [u.as_dict() for u in ev.unmatched],
        "analysis_s": ev.timings.get("analysis_s"),
    }
    files["evaluation"].write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    files["report"].write_text(_html(ev, plots, misses, false), encoding="utf-8")
    ev.files = {k: str(v) for k, v in files.items()}
    return ev.files


def _ignored(ev: Evaluation) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in ev.recordings:
        for k, n in r.labels.ignored.items():
            out[k] = out.get(k, 0) + n
    return out
