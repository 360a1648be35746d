"""The queries of a child's stored triage answers (the ``triage_results`` table): the
derived state stores one on most changes of a diary, and the latest is read back.

Part of the repository (:mod:`spasmwatch.store.repo`, which names them together); kept apart
by subject.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from spasmwatch.store.clock import now
from spasmwatch.store.models import TriageRecord

__all__ = ["latest_triage", "latest_triage_result", "save_triage", "save_triage_result"]


def save_triage(s: Session, child_id: int, result: dict[str, Any]) -> TriageRecord:
    """Store a triage answer for the child."""
    row = TriageRecord(
        child_id=child_id,
        level=result["level"],
        rules_version=result["rules_version"],
        result=result,
        computed_at=now(),
    )
    s.add(row)
    s.flush()
    return row


_SAVE_TRIAGE = insert(TriageRecord.__table__)  # type: ignore[arg-type]


def save_triage_result(s: Session, child_id: int, result: dict[str, Any]) -> None:
    """Store a triage answer for the child, as :func:`save_triage` without making the row
    an object of the session (the derived state stores one on most changes)."""
    s.connection().execute(
        _SAVE_TRIAGE,
        {
            "child_id": child_id,
            "level": result["level"],
            "rules_version": result["rules_version"],
            "result": result,
            "computed_at": now(),
        },
    )


_LATEST_TRIAGE = (
    select(TriageRecord.result)
    .where(TriageRecord.child_id == bindparam("child_id"))
    .order_by(TriageRecord.id.desc())
    .limit(1)
)


def latest_triage_result(s: Session, child_id: int) -> dict[str, Any] | None:
    """The most recent triage answer stored for the child (its result alone)."""
    return s.connection().scalar(_LATEST_TRIAGE, {"child_id": child_id})


def latest_triage(s: Session, child_id: int) -> TriageRecord | None:
    """The most recent triage answer stored for the child."""
    return s.scalar(
        select(TriageRecord)
        .where(TriageRecord.child_id == child_id)
        .order_by(TriageRecord.id.desc())
        .limit(1)
    )
