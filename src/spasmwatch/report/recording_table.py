"""The CSV table of a child's videos and EEG files and what their analyses found, one row
per file, for the CSV export (:func:`spasmwatch.diary.exchange.export_csv_zip`).

The measures are those of the report's first page and of the FHIR Observations (one
spelling: :mod:`spasmwatch.report.recording_words`), with their units in the column
names. An empty cell means "not given": a measure of the other kind of file, an analysis
not finished, or a measure the analysis could not make, whose reason is in the row (a
video in which no baby was found has no counts, ``quality_problems`` says so, and
``result_limited_by`` names the checks that limit what a video's counts can say; an EEG with
too little usable EEG has no BASED-like score, ``based_like_score_note`` says why; an
``unlikely`` hypsarrhythmia assessment that does not rule the pattern out says why in
``hypsarrhythmia_note``, in the report's words; a
recording the seizure detector could not score has no count of possible seizures,
``seizure_detector_note`` says why). File names and error messages are guarded against
spreadsheet formulas as the episodes' notes are (:mod:`spasmwatch.report.tabular`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from spasmwatch.eeg.reader import known_start
from spasmwatch.eeg.result import (
    hypsarrhythmia_assessment,
    shown_based_score,
    sz_note_words,
    unscored_words,
)
from spasmwatch.report.eeg_finding import not_ruled_out_message
from spasmwatch.report.recording_words import problem_words, seizures
from spasmwatch.report.tabular import _cell, _guard
from spasmwatch.video.quality import baby_found, limiting_failures

__all__ = ["RECORDING_COLUMNS", "recordings_csv"]

RECORDING_COLUMNS = (
    "file",
    "kind",
    "recorded_at",
    "uploaded_at",
    "analysed_at",
    "analysis",
    "sensitivity",
    "duration_s",
    "quality_problems",
    "result_limited_by",
    "spasm_like",
    "clusters",
    "jerks",
    "rhythmic",
    "longest_rhythmic_s",
    "amplitude_uv_p95",
    "delta_power_fraction",
    "spike_rate_per_min",
    "based_like_score",
    "based_like_score_note",
    "hypsarrhythmia_assessment",
    "hypsarrhythmia_note",
    "background_continuity",
    "discontinuity_share",
    "usable_eeg_s",
    "possible_seizures",
    "longest_possible_seizure_s",
    "seizure_detector_note",
    "possible_decrements",
    "error",
)
#: Columns of free text, guarded against formulas.
_TEXT = frozenset({"file", "error"})


def _time(value: datetime | str | None) -> str | None:
    if value is None or value == "":
        return None
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when.isoformat(timespec="seconds")


def _video(result: Mapping[str, Any]) -> dict[str, Any]:
    summary = result.get("summary") or {}
    quality = result.get("quality")
    row: dict[str, Any] = {
        "duration_s": (result.get("video") or {}).get("duration_s"),
        "quality_problems": "; ".join(problem_words(quality)),
        # the picture's checks that failed, by key: a 0 beside one is no negative
        "result_limited_by": "; ".join(limiting_failures(result)),
    }
    if not baby_found(quality):
        return row  # no baby to follow: the counts are not a result
    rhythmic = [
        float(e["end_s"]) - float(e["start_s"])
        for e in result.get("events") or []
        if e.get("kind") == "rhythmic"
    ]
    row.update(
        spasm_like=int(summary.get("spasm_like", 0)),
        clusters=int(summary.get("clusters", 0)),
        jerks=int(summary.get("jerk", 0)),
        rhythmic=int(summary.get("rhythmic", 0)),
        longest_rhythmic_s=round(max(rhythmic), 1) if rhythmic else None,
    )
    return row


def _eeg(result: Mapping[str, Any]) -> dict[str, Any]:
    recording = result.get("recording") or {}
    bg = result.get("background") or {}
    events = result.get("events") or []
    settings = result.get("settings") or {}
    start = known_start(recording.get("start"))
    n, longest = seizures(events)
    note = settings.get("sz_note")
    return {
        "recorded_at": start.isoformat(timespec="seconds") if start else None,
        "duration_s": recording.get("duration_s"),
        "amplitude_uv_p95": bg.get("amplitude_uv_p95"),
        "delta_power_fraction": bg.get("delta_power_fraction"),
        "spike_rate_per_min": bg.get("spike_rate_per_min"),
        "based_like_score": shown_based_score(bg),
        "based_like_score_note": unscored_words(bg),
        "hypsarrhythmia_assessment": hypsarrhythmia_assessment(bg),
        # what keeps an "unlikely" from ruling it out, as the report says it beside it
        "hypsarrhythmia_note": not_ruled_out_message(bg),
        # the ACNS continuity (a code; empty where not judged) and the share it rests on
        "background_continuity": bg.get("continuity"),
        "discontinuity_share": bg.get("discontinuity_share"),
        "usable_eeg_s": bg.get("usable_s"),
        "possible_seizures": None if note else n,
        "longest_possible_seizure_s": None if note or longest is None else round(longest, 1),
        "seizure_detector_note": sz_note_words(note) if note else "",
        "possible_decrements": sum(1 for e in events if e.get("eventType") == "decrement"),
    }


def recordings_csv(attachments: Iterable[Mapping[str, Any]]) -> str:
    """The videos and EEG files as CSV text: a header of :data:`RECORDING_COLUMNS`, then
    one row per file, in the order given.

    Parameters
    ----------
    attachments
        Dicts with ``kind`` (``video`` | ``eeg``), ``filename``, ``uploaded_at`` and
        ``analysis`` (as the diary keeps it: ``status``, ``result``, ``sensitivity``,
        ``analysed_at``, ``error``), as :func:`spasmwatch.report.fhir.build_bundle` takes
        them.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(RECORDING_COLUMNS)
    for att in attachments:
        analysis = att.get("analysis") or {}
        status = str(analysis.get("status") or "not analysed")
        row: dict[str, Any] = {
            "file": att["filename"],
            "kind": att["kind"],
            "uploaded_at": _time(att.get("uploaded_at")),
            "analysed_at": _time(analysis.get("analysed_at")),
            "analysis": status,
            "sensitivity": analysis.get("sensitivity"),
            "error": analysis.get("error") if status == "failed" else None,
        }
        result = analysis.get("result")
        if status == "done" and isinstance(result, Mapping):
            row.update(_video(result) if att["kind"] == "video" else _eeg(result))
        writer.writerow(
            [
                _guard(_cell(row.get(c))) if c in _TEXT else _cell(row.get(c))
                for c in RECORDING_COLUMNS
            ]
        )
    return buf.getvalue()
