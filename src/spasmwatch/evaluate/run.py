"""``spasmwatch evaluate video|eeg``: analyse labelled recordings on Dask and score them.

1. The labels are read and checked first (every problem at once, with file and line),
   so a mistake costs no analysis time.
2. The recordings are analysed by :func:`spasmwatch.batch.run_batch` into
   ``OUT/analysis`` (a local cluster or ``--scheduler``; resumable by content hash; a
   file that fails is recorded), once per file, with the detections at every
   sensitivity kept (:mod:`~spasmwatch.evaluate.detections`).
3. Every recording is scored (:mod:`~spasmwatch.evaluate.scores`), per event type and
   sensitivity; the figures are pooled per subject and over all subjects, with 95 %
   intervals (a bootstrap over subjects, or with too few subjects the Wilson interval of
   the events, :func:`~spasmwatch.evaluate.scores.figure_with_interval`); the report is
   written
   (:mod:`~spasmwatch.evaluate.report`).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spasmwatch.batch import (
    BatchResult,
    BatchSettings,
    content_hash,
    discover_files,
    read_summary,
    run_batch,
)
from spasmwatch.errors import SpasmwatchError
from spasmwatch.evaluate.detections import LEVELS
from spasmwatch.evaluate.labels import (
    VIDEO_KINDS,
    RecordingLabels,
    UnmatchedLabels,
    read_eeg_labels,
    read_video_labels,
)
from spasmwatch.evaluate.scores import (
    BRIEF_EVENT_RULES,
    MIN_BOOTSTRAP_SUBJECTS,
    SZCORE_RULES,
    VIDEO_SLACK_S,
    Counts,
    EventMatch,
    Figure,
    figure_with_interval,
    figures,
    match_spans_with_slack,
    match_timescoring,
    second_counts,
)

__all__ = ["Evaluation", "EvaluationSettings", "evaluate"]

log = logging.getLogger("spasmwatch")


@dataclass(frozen=True)
class EvaluationSettings:
    """How an evaluation runs.

    Attributes
    ----------
    batch
        How the analysis runs (Dask, timeout, memory, the sensitivity of the headline
        figures and of the analysis JSON).
    slack_s
        Video: the slack of the matching (s).
    n_boot
        Bootstrap replicates of the confidence intervals.
    seed
        Seed of the bootstrap (the same seed gives the same intervals).
    """

    batch: BatchSettings = field(default_factory=BatchSettings)
    slack_s: float = VIDEO_SLACK_S
    n_boot: int = 2000
    seed: int = 0


@dataclass
class RecordingResult:
    """One recording: its labels, status and, per event type and level, the matching."""

    labels: RecordingLabels
    sha256: str
    status: str = "ok"
    error: str = ""
    duration_s: float = 0.0
    matches: dict[str, dict[str, EventMatch]] = field(default_factory=dict)
    seconds: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    scores: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    hypsarrhythmia: str | None = None  # the analysis: likely, unlikely, cannot_assess

    def counts(self, event_type: str, level: str) -> Counts:
        """The counts of one type and level (zero for a recording that failed)."""
        if self.status != "ok":
            return Counts()
        m = self.matches[event_type][level]
        false = sum(m.false)
        # SzCORE's precision counts found events as the true detections
        true_det = sum(m.found) if event_type in self.seconds else len(m.detections) - false
        sec = self.seconds.get(event_type, {}).get(level)
        return Counts(len(m.reference), sum(m.found), true_det, false, self.duration_s / 3600, sec)


@dataclass
class Evaluation:
    """The outcome of :func:`evaluate` (everything the report shows)."""

    kind: str
    out_dir: Path
    settings: EvaluationSettings
    batch: BatchResult
    recordings: list[RecordingResult]
    event_types: list[str]
    rules: dict[str, str]
    pooled: dict[str, dict[str, dict]] = field(default_factory=dict)
    per_subject: list[dict[str, Any]] = field(default_factory=list)
    per_type: dict[str, dict[str, dict]] = field(default_factory=dict)
    hypsarrhythmia: dict[str, Any] | None = None
    files: dict[str, str] = field(default_factory=dict)
    #: labels that could not be scored as given (outside the recording)
    warnings: list[str] = field(default_factory=list)
    #: labels of recordings that are not among the inputs (not scored)
    unmatched: list[UnmatchedLabels] = field(default_factory=list)
    #: wall-clock seconds of the analysis (this run's new files) and of the scoring
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def headline_level(self) -> str:
        """The sensitivity of the headline figures, lists and per-subject table."""
        return self.settings.batch.sensitivity

    @property
    def failed(self) -> list[RecordingResult]:
        """The recordings whose analysis failed or timed out (not scored)."""
        return [r for r in self.recordings if r.status != "ok"]


# ---------------------------------------------------------------- scoring one recording
def _video_spans(labels: RecordingLabels) -> list[tuple[float, float]]:
    return [(e.start_s, e.end_s) for e in labels.events]


def _score_video(rec: RecordingResult, levels_doc: dict, slack_s: float) -> None:
    true = _video_spans(rec.labels)
    rec.matches["spasm"] = {}
    rec.scores["spasm"] = {}
    for level in LEVELS:
        dets = levels_doc["levels"][level]
        spans = [(float(a), float(b)) for a, b, _s in dets]
        rec.matches["spasm"][level] = match_spans_with_slack(true, spans, slack_s)
        rec.scores["spasm"][level] = [float(s) for _a, _b, s in dets]
    for kind in VIDEO_KINDS:
        idx = [i for i, e in enumerate(rec.labels.events) if e.kind == kind]
        if not idx:
            continue
        rec.matches.setdefault(f"kind:{kind}", {})
        for level in LEVELS:
            m = rec.matches["spasm"][level]
            rec.matches[f"kind:{kind}"][level] = EventMatch(
                [m.reference[i] for i in idx], [m.found[i] for i in idx], [], []
            )


def _score_eeg(rec: RecordingResult, doc: dict, levels_doc: dict) -> None:
    dur = rec.duration_s
    sz_true = [(e.start_s, e.end_s) for e in rec.labels.events if e.kind == "sz"]
    dec_true = [(e.start_s, e.end_s) for e in rec.labels.events if e.kind == "decrement"]
    decrements = [
        (float(e["onset"]), float(e["onset"]) + float(e["duration"]), float(e["confidence"]))
        for e in doc.get("events", [])
        if e.get("eventType") == "decrement"
    ]
    for name in ("sz", "decrement"):
        rec.matches[name], rec.seconds[name], rec.scores[name] = {}, {}, {}
    for level in LEVELS:
        sz = [(float(a), float(b), float(s)) for a, b, s in levels_doc["levels"][level]]
        for name, true, dets, rules in (
            ("sz", sz_true, sz, SZCORE_RULES),
            ("decrement", dec_true, decrements, BRIEF_EVENT_RULES),
        ):
            spans = [(a, b) for a, b, _s in dets]
            m = match_timescoring(true, spans, dur, rules)
            rec.matches[name][level] = m
            rec.seconds[name][level] = list(second_counts(true, spans, dur))
            # scores of the detections as scored (merged ones take the highest)
            rec.scores[name][level] = [
                max((s for a, b, s in dets if a < e and b > st), default=0.0)
                for st, e in m.detections
            ]
    background = doc.get("background", {})
    rec.hypsarrhythmia = background.get("hypsarrhythmia_assessment") or (
        "likely" if background.get("hypsarrhythmia_likely") else "unlikely"
    )


def _outside(rec: RecordingResult) -> list[str]:
    """Drop the labelled events that start after the end of the recording and cut those
    that run past it; a warning for each (they would otherwise vanish unnoticed)."""
    end = rec.duration_s
    kept, notes = [], []
    for e in rec.labels.events:
        if e.start_s >= end:
            notes.append(
                f"{e.where}: the event at {e.start_s:g} s starts after the end of "
                f"{rec.labels.name} ({end:g} s); not scored"
            )
        elif e.end_s > end + 1.0:
            notes.append(
                f"{e.where}: the event {e.start_s:g}-{e.end_s:g} s runs past the end of "
                f"{rec.labels.name} ({end:g} s); scored up to the end"
            )
            kept.append(dataclasses.replace(e, end_s=end))
        else:
            kept.append(e)
    rec.labels.events = kept
    return notes


# ---------------------------------------------------------------- the run
def _load(out: Path, sha: str) -> tuple[dict, dict] | str:
    doc_path = out / "results" / f"{sha}.json"
    levels_path = out / "results" / f"{sha}.levels.json"
    try:
        doc = json.loads(doc_path.read_text(encoding="utf-8"))
        levels = json.loads(levels_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return (
            f"the results of its analysis cannot be read ({exc}); delete its row from "
            f"{out / 'summary.csv'} to analyse it again"
        )
    return doc, levels


def _summary_rows(out: Path) -> dict[str, dict[str, str]]:
    """The batch's summary rows by content hash (its last row for a file tried again)."""
    return {row["sha256"]: row for row in read_summary(out / "summary.csv")}


def _subject_counts(
    recordings: list[RecordingResult], event_type: str, level: str
) -> dict[str, Counts]:
    """Summed counts per subject, over the recordings analysed (a subject whose
    recordings all failed has nothing to contribute and is left out). A video without a
    label of ``event_type`` (a per-kind type) still counts for its subject, as zero."""
    out: dict[str, Counts] = {}
    for r in recordings:
        if r.status != "ok":
            continue
        counts = r.counts(event_type, level) if event_type in r.matches else Counts()
        out[r.labels.subject] = out.get(r.labels.subject, Counts()) + counts
    return out


#: How the report's intervals are made (one of the scoring rules written into it).
INTERVAL_RULE = (
    "95 % intervals: a percentile bootstrap over subjects (subjects drawn with "
    "replacement), never narrower, for a share of events (sensitivity, precision), than "
    "the Wilson score interval of its events. A figure that fewer than "
    f"{MIN_BOOTSTRAP_SUBJECTS} subjects bear on (with a labelled event, for sensitivity; "
    "with a detection, for precision) is too few to draw from: a share of events gets the "
    "Wilson interval of its events, which takes them as independent and so is still too "
    "narrow when one child's events go together; any other figure gets no interval."
)


def _rules(kind: str, slack_s: float) -> dict[str, str]:
    if kind == "video":
        return {
            "spasm": (
                f"A detection matches a labelled spasm when their spans overlap after widening "
                f"both by {slack_s:g} s; one detection, one spasm, in time order. Sensitivity "
                "= labelled spasms found / labelled spasms; precision = matched detections / "
                "detections; F1 their harmonic mean; false detections per hour of video. "
                "Detections are the analysis's spasm-like events."
            ),
            "intervals": INTERVAL_RULE,
        }
    rule = SZCORE_RULES
    brief = BRIEF_EVENT_RULES
    return {
        "sz": (
            "SzCORE event scoring (timescoring): a labelled seizure is found when a detection "
            f"overlaps it widened by {rule['toleranceStart']:g} s before and "
            f"{rule['toleranceEnd']:g} s after; events closer than "
            f"{rule['minDurationBetweenEvents']:g} s are merged and events longer than "
            f"{rule['maxEventDuration']:g} s split (labels and detections alike); a detection "
            "overlapping no found event is false. Precision = found / (found + false)."
        ),
        "decrement": (
            "Labels 'spasm' and 'decrement' against the detected decrements, with the same "
            f"timescoring rules but {brief['toleranceStart']:g} s tolerance each side and no "
            "merging (spasms last 1-2 s and come every 5-30 s: SzCORE's merging would score "
            "clusters). Decrements do not depend on the sensitivity."
        ),
        "seconds": (
            "Per second: a second is positive when at least half of it lies in an event; "
            "Cohen's kappa and the Matthews correlation coefficient from the pooled counts."
        ),
        "intervals": INTERVAL_RULE,
    }


def evaluate(
    kind: str,
    source: Path,
    out_dir: Path,
    labels: Path | None,
    settings: EvaluationSettings | None = None,
    participants: Path | None = None,
    hypsarrhythmia: Path | None = None,
    progress: Callable[[BatchResult], None] | None = None,
    on_start: Callable[[BatchResult], None] | None = None,
    on_labels: Callable[[list[UnmatchedLabels]], None] | None = None,
) -> Evaluation:
    """Analyse the labelled recordings of ``source`` and score them; write the report.

    Parameters
    ----------
    kind
        ``video`` or ``eeg``.
    source
        A folder (searched recursively) or a list file, as for ``spasmwatch batch``.
    out_dir
        The report folder (the analysis goes to ``out_dir/analysis`` and resumes).
    labels
        Video: the labels CSV. EEG: a folder of ``*_events.tsv``, or None for the events
        file beside each recording.
    participants, hypsarrhythmia
        EEG only: ``participants.tsv`` and a ``file, hypsarrhythmia`` table.
    on_labels
        Called once the labels are read, before the analysis, with the labels that name
        no input recording (skipped; empty when there are none), so that they can be
        said before a long analysis rather than after it.

    Raises
    ------
    LabelError
        For labels that cannot be used (before anything is analysed).
    SpasmwatchError
        For inputs that cannot be used (no files, a scheduler that cannot be reached).
    """
    from spasmwatch.evaluate.report import write_report

    settings = settings or EvaluationSettings()
    if kind not in ("video", "eeg"):
        raise SpasmwatchError(f"Invalid value for 'kind': allowed are video, eeg; got {kind!r}")
    if settings.batch.sensitivity not in LEVELS:
        raise SpasmwatchError(
            f"Invalid value for 'sensitivity': allowed are {', '.join(LEVELS)}; "
            f"got {settings.batch.sensitivity!r}"
        )
    files = discover_files(source, kind)
    if not files:
        raise SpasmwatchError(f"No {kind} files found in '{source}'")
    root = source if source.is_dir() else None
    unmatched: list[UnmatchedLabels] = []
    if kind == "video":
        if labels is None:
            raise SpasmwatchError("video labels are needed: --labels labels.csv")
        if participants is not None or hypsarrhythmia is not None:
            raise SpasmwatchError(
                "--participants and --hypsarrhythmia are for EEG; video subjects are the "
                "'subject' column of the labels"
            )
        labelled = read_video_labels(labels, files, root, unmatched)
    else:
        labelled = read_eeg_labels(files, root, labels, participants, hypsarrhythmia, unmatched)
    if on_labels is not None:
        on_labels(unmatched)
    analysis_dir = out_dir / "analysis"
    batch_settings = dataclasses.replace(settings.batch, levels=True)
    started = time.perf_counter()
    batch = run_batch(source, kind, analysis_dir, batch_settings, progress, on_start)
    analysed = time.perf_counter()
    rows = _summary_rows(analysis_dir)
    recordings = []
    warnings: list[str] = []
    for f in files:
        sha = content_hash(f)
        rec = RecordingResult(labelled[f], sha)
        row = rows.get(sha)
        if row is None:
            rec.status, rec.error = "failed", "not analysed (missing from the summary)"
        elif row["status"] != "ok":
            rec.status, rec.error = row["status"], row.get("error") or "analysis failed"
        else:
            loaded = _load(analysis_dir, sha)
            if isinstance(loaded, str):
                rec.status, rec.error = "failed", loaded
            else:
                doc, levels_doc = loaded
                rec.duration_s = float(levels_doc.get("duration_s") or 0.0)
                warnings.extend(_outside(rec))
                if kind == "video":
                    _score_video(rec, levels_doc, settings.slack_s)
                else:
                    _score_eeg(rec, doc, levels_doc)
        recordings.append(rec)
    types = ["spasm"] if kind == "video" else ["sz", "decrement"]
    result = Evaluation(
        kind=kind,
        out_dir=out_dir,
        settings=settings,
        batch=batch,
        recordings=recordings,
        event_types=types,
        rules=_rules(kind, settings.slack_s),
        warnings=warnings,
        unmatched=unmatched,
    )
    _pool(result)
    result.timings = {"analysis_s": round(analysed - started, 2)}
    write_report(result)
    result.timings["scoring_and_report_s"] = round(time.perf_counter() - analysed, 2)
    return result


def _pool(ev: Evaluation) -> None:
    s = ev.settings
    for t in ev.event_types:
        ev.pooled[t] = {
            level: figures(_subject_counts(ev.recordings, t, level), s.n_boot, s.seed)
            for level in LEVELS
        }
    if ev.kind == "video":
        level = ev.headline_level
        for kind in VIDEO_KINDS:
            key = f"kind:{kind}"
            if any(key in r.matches for r in ev.recordings):
                f = figures(_subject_counts(ev.recordings, key, level), s.n_boot, s.seed)
                ev.per_type[kind] = {"sensitivity": f["sensitivity"], "counts": f["counts"]}
    subjects: dict[str, list[RecordingResult]] = {}
    for r in ev.recordings:
        subjects.setdefault(r.labels.subject, []).append(r)
    level = ev.headline_level
    for subject, recs in sorted(subjects.items()):
        row: dict[str, Any] = {
            "subject": subject,
            "recordings": len(recs),
            "failed": sum(r.status != "ok" for r in recs),
        }
        for t in ev.event_types:
            c = Counts()
            for r in recs:
                if r.status == "ok":
                    c = c + r.counts(t, level)
            f = figures({subject: c}, 0)
            row[t] = {k: v["value"] for k, v in f.items() if k != "counts"} | f["counts"]
        ev.per_subject.append(row)
    if ev.kind == "eeg" and any(r.labels.hypsarrhythmia is not None for r in ev.recordings):
        ev.hypsarrhythmia = _hyps_figures(ev)


def _hyps_figures(ev: Evaluation) -> dict[str, Any]:
    import numpy as np

    per: dict[str, list[int]] = {}
    cannot = 0
    table = []
    for r in ev.recordings:
        truth = r.labels.hypsarrhythmia
        if truth is None or r.status != "ok":
            continue
        said = r.hypsarrhythmia
        table.append({"file": r.labels.name, "label": truth, "analysis": said})
        if said not in ("likely", "unlikely"):
            cannot += 1
            continue
        c = per.setdefault(r.labels.subject, [0, 0, 0, 0])  # tp, fp, fn, tn
        yes = said == "likely"
        c[0 if truth and yes else 1 if yes else 2 if truth else 3] += 1
    rows = np.array(list(per.values()), float).reshape(-1, 4)

    def share(num: np.ndarray, den: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)

    def assessed(v: np.ndarray) -> np.ndarray:
        return v[..., 0] + v[..., 1] + v[..., 2] + v[..., 3]

    def with_hyps(v: np.ndarray) -> np.ndarray:
        return v[..., 0] + v[..., 2]

    def without(v: np.ndarray) -> np.ndarray:
        return v[..., 1] + v[..., 3]

    shares = {  # each a share of recordings: the Wilson interval below the fewest subjects
        "accuracy": Figure(
            lambda v: share(v[..., 0] + v[..., 3], assessed(v)),
            lambda v: assessed(v) > 0,
            lambda t: (float(t[0] + t[3]), float(assessed(t))),
        ),
        "sensitivity": Figure(
            lambda v: share(v[..., 0], with_hyps(v)),
            lambda v: with_hyps(v) > 0,
            lambda t: (float(t[0]), float(with_hyps(t))),
        ),
        "specificity": Figure(
            lambda v: share(v[..., 3], without(v)),
            lambda v: without(v) > 0,
            lambda t: (float(t[3]), float(without(t))),
        ),
    }
    total = rows.sum(axis=0) if len(rows) else np.zeros(4)
    out: dict[str, Any] = {
        "assessed": int(total.sum()),
        "cannot_assess": cannot,
        "counts": {k: int(v) for k, v in zip(("tp", "fp", "fn", "tn"), total, strict=True)},
        "recordings": table,
    }
    for k, (name, figure) in enumerate(shares.items()):
        out[name] = figure_with_interval(
            rows, figure, ev.settings.n_boot, ev.settings.seed + 50 + k
        )
    return out
