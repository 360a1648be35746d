"""The queries of a child's treatments, milestones and work-up (the repository's, kept
apart from :mod:`spasmwatch.store.repo` by subject).

Functions take a :class:`~sqlalchemy.orm.Session` inside a transaction and return model
objects; a milestone changed marks the diary's derived state stale (the triage reads lost
skills), as an episode changed does.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from spasmwatch.care.records import Milestone, Treatment, WorkupItem
from spasmwatch.care.workup import workup_test
from spasmwatch.store.clock import now
from spasmwatch.store.diary_state import forget_state
from spasmwatch.store.models import MilestoneRow, TreatmentRow, User, WorkupRow

__all__ = [
    "add_milestone",
    "add_treatment",
    "delete_milestone",
    "delete_treatment",
    "get_milestone",
    "get_treatment",
    "milestone_records",
    "milestones_for",
    "set_workup",
    "treatment_records",
    "treatments_for",
    "update_milestone",
    "update_treatment",
    "workup_for",
    "workup_records",
]


def add_treatment(s: Session, child_id: int, user_id: int | None, **fields: Any) -> TreatmentRow:
    """Record a treatment (fields checked by ``spasmwatch.care.records.parse_treatment``)."""
    row = TreatmentRow(child_id=child_id, recorded_by=user_id, recorded_at=now(), **fields)
    s.add(row)
    s.flush()
    return row


def get_treatment(s: Session, child_id: int, treatment_id: int) -> TreatmentRow | None:
    """The child's treatment with this id (None if it belongs to another child)."""
    return s.scalar(
        select(TreatmentRow).where(
            TreatmentRow.id == treatment_id, TreatmentRow.child_id == child_id
        )
    )


def update_treatment(
    s: Session, row: TreatmentRow, user_id: int | None, **fields: Any
) -> TreatmentRow:
    """Replace a treatment's fields; the editor becomes who recorded it."""
    for name, value in fields.items():
        setattr(row, name, value)
    row.recorded_by = user_id
    row.recorded_at = now()
    s.flush()
    return row


def delete_treatment(s: Session, row: TreatmentRow) -> None:
    """Delete a treatment."""
    s.delete(row)
    s.flush()


# Built once, as the repository's page queries are (see :mod:`spasmwatch.store.repo`).
_TREATMENTS_FOR = (
    select(TreatmentRow, User.display_name)
    .outerjoin(User, User.id == TreatmentRow.recorded_by)
    .where(TreatmentRow.child_id == bindparam("child_id"))
    .order_by(TreatmentRow.start_date.desc(), TreatmentRow.id.desc())
)


def treatments_for(s: Session, child_id: int) -> list[tuple[TreatmentRow, str]]:
    """The child's treatments with the name of who recorded each, newest start first."""
    rows = s.execute(_TREATMENTS_FOR, {"child_id": child_id}).all()
    return [(row[0], row[1] or "") for row in rows]


def add_milestone(s: Session, child_id: int, user_id: int | None, **fields: Any) -> MilestoneRow:
    """Record a milestone; the diary's derived state no longer holds."""
    row = MilestoneRow(child_id=child_id, recorded_by=user_id, recorded_at=now(), **fields)
    s.add(row)
    s.flush()
    forget_state(s, child_id)
    return row


def get_milestone(s: Session, child_id: int, milestone_id: int) -> MilestoneRow | None:
    """The child's milestone with this id (None if it belongs to another child)."""
    return s.scalar(
        select(MilestoneRow).where(
            MilestoneRow.id == milestone_id, MilestoneRow.child_id == child_id
        )
    )


def update_milestone(
    s: Session, row: MilestoneRow, user_id: int | None, **fields: Any
) -> MilestoneRow:
    """Replace a milestone's fields; the diary's derived state no longer holds."""
    for name, value in fields.items():
        setattr(row, name, value)
    row.recorded_by = user_id
    row.recorded_at = now()
    s.flush()
    forget_state(s, row.child_id)
    return row


def delete_milestone(s: Session, row: MilestoneRow) -> None:
    """Delete a milestone; the diary's derived state no longer holds."""
    s.delete(row)
    s.flush()
    forget_state(s, row.child_id)


_MILESTONES_FOR = (
    select(MilestoneRow, User.display_name)
    .outerjoin(User, User.id == MilestoneRow.recorded_by)
    .where(MilestoneRow.child_id == bindparam("child_id"))
    .order_by(MilestoneRow.on_date.desc(), MilestoneRow.id.desc())
)


def milestones_for(s: Session, child_id: int) -> list[tuple[MilestoneRow, str]]:
    """The child's milestones with the name of who recorded each, newest first."""
    rows = s.execute(_MILESTONES_FOR, {"child_id": child_id}).all()
    return [(row[0], row[1] or "") for row in rows]


def set_workup(
    s: Session,
    child_id: int,
    test: str,
    status: str,
    on_date: date | None,
    result: str,
    user_id: int | None,
) -> WorkupRow:
    """Where a test of the work-up stands for the child (its first change adds the row;
    the caller holds the child's lock, so two first changes follow one another)."""
    row = s.scalar(select(WorkupRow).where(WorkupRow.child_id == child_id, WorkupRow.test == test))
    if row is None:
        row = WorkupRow(child_id=child_id, test=test)
        s.add(row)
    row.status = status
    row.on_date = on_date
    row.result = result
    row.recorded_by = user_id
    row.recorded_at = now()
    s.flush()
    return row


_WORKUP_FOR = (
    select(WorkupRow, User.display_name)
    .outerjoin(User, User.id == WorkupRow.recorded_by)
    .where(WorkupRow.child_id == bindparam("child_id"))
    .order_by(WorkupRow.id)
)


def workup_for(s: Session, child_id: int) -> list[tuple[WorkupRow, str]]:
    """The child's work-up rows (the tests the family changed), with who recorded each."""
    rows = s.execute(_WORKUP_FOR, {"child_id": child_id}).all()
    return [(row[0], row[1] or "") for row in rows]


# ---------------------------------------------------------------- as records
def treatment_record(row: TreatmentRow, recorded_by: str = "") -> Treatment:
    """A treatment row as :class:`~spasmwatch.care.records.Treatment`."""
    return Treatment(
        id=row.id,
        drug=row.drug,
        dose=row.dose,
        route=row.route,
        start_date=row.start_date,
        stop_date=row.stop_date,
        prescribed_by=row.prescribed_by,
        note=row.note,
        recorded_by=recorded_by,
        recorded_at=row.recorded_at,
    )


def milestone_record(row: MilestoneRow, recorded_by: str = "") -> Milestone:
    """A milestone row as :class:`~spasmwatch.care.records.Milestone`."""
    return Milestone(
        id=row.id,
        skill=row.skill,
        label=row.label,
        status=row.status,
        on_date=row.on_date,
        note=row.note,
        recorded_by=recorded_by,
        recorded_at=row.recorded_at,
    )


def workup_record(row: WorkupRow, recorded_by: str = "") -> WorkupItem | None:
    """A work-up row as :class:`~spasmwatch.care.records.WorkupItem` (None for a test
    no longer in the list)."""
    try:
        test = workup_test(row.test)
    except KeyError:
        return None
    return WorkupItem(test, row.status, row.on_date, row.result, recorded_by, row.recorded_at)


def treatment_records(s: Session, child_id: int) -> list[Treatment]:
    """The child's treatments as records, newest start first."""
    return [treatment_record(row, name) for row, name in treatments_for(s, child_id)]


def milestone_records(s: Session, child_id: int) -> list[Milestone]:
    """The child's milestones as records, newest first."""
    return [milestone_record(row, name) for row, name in milestones_for(s, child_id)]


def workup_records(s: Session, child_id: int) -> list[WorkupItem]:
    """The child's work-up rows as records (tests without a row are not included)."""
    items = (workup_record(row, name) for row, name in workup_for(s, child_id))
    return [item for item in items if item is not None]
