"""CSV tables of a child's treatments (with the response so far), milestones and work-up,
one row per record, for the CSV export (:func:`spasmwatch.diary.exchange.export_csv_zip`).

Free text is guarded against spreadsheet formulas as the episodes' notes are
(:mod:`spasmwatch.report.tabular`); an empty cell means "not given".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from spasmwatch.care import CareSummary
from spasmwatch.report.tabular import _cell, _guard

__all__ = [
    "MILESTONE_COLUMNS",
    "TREATMENT_COLUMNS",
    "WORKUP_COLUMNS",
    "milestones_csv",
    "treatments_csv",
    "workup_csv",
]

TREATMENT_COLUMNS = (
    "id",
    "drug",
    "dose",
    "route",
    "start_date",
    "stop_date",
    "prescribed_by",
    "note",
    "day",
    "spasm_free_days",
    "last_spasm_on",
    "response",
    "first_spasm_in_window",
    "relapse_on",
    "recorded_by",
    "recorded_at",
)
MILESTONE_COLUMNS = (
    "id",
    "skill",
    "name",
    "status",
    "on_date",
    "note",
    "recorded_by",
    "recorded_at",
)
WORKUP_COLUMNS = ("test", "name", "status", "on_date", "result", "recorded_by", "recorded_at")
#: Columns of free text, guarded against formulas.
_TEXT = frozenset({"drug", "dose", "prescribed_by", "note", "name", "result", "recorded_by"})


def _table(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [_guard(_cell(row.get(c))) if c in _TEXT else _cell(row.get(c)) for c in columns]
        )
    return buf.getvalue()


def treatments_csv(care: CareSummary) -> str:
    """The treatments, newest start first, each with its response as of ``care.today``
    (``response``: met, not_met, too_early or not_started)."""
    rows = []
    for line in care.treatments:
        doc = line.to_dict()
        response = doc.pop("response")
        rows.append({**doc, **response, "response": response["outcome"]})
    return _table(TREATMENT_COLUMNS, rows)


def milestones_csv(care: CareSummary) -> str:
    """The milestones, newest first (``status``: achieved or lost)."""
    return _table(MILESTONE_COLUMNS, (m.to_dict() for m in care.milestones))


def workup_csv(care: CareSummary) -> str:
    """Every test of the work-up and where it stands, in the words the report and the web
    page give it (``status``: "not recorded" until the family notes it, then "booked",
    "done", "result noted": :attr:`~spasmwatch.care.records.WorkupItem.status_words`)."""
    return _table(WORKUP_COLUMNS, ({**w.to_dict(), "status": w.status_words} for w in care.workup))
