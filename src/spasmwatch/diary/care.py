"""Treatments, milestones and the work-up of a child: record, change, delete, read.

Caregivers and owners record and change them; viewers (and a share link, through
:func:`care_summary`) read them. Each input is checked once here
(:mod:`spasmwatch.care.records`); :class:`InvalidCare` names each problem's field, in the
language of the ``gettext`` given (a page's; English by default, as the API says them). A
milestone changed computes the diary's derived state again in the same transaction,
because a lost skill is regression to the triage (:func:`spasmwatch.diary.state.
triage_child`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from spasmwatch.care import CareSummary, summarise
from spasmwatch.care.records import (
    Gettext,
    Milestone,
    Problems,
    Treatment,
    WorkupItem,
    parse_milestone,
    parse_treatment,
    parse_workup,
)
from spasmwatch.diary import state
from spasmwatch.diary.access import Principal, child_for, share_for
from spasmwatch.errors import InvalidCase, NotFound
from spasmwatch.i18n import english
from spasmwatch.store import Database, repo
from spasmwatch.store import care as store
from spasmwatch.store.models import Child, MilestoneRow, TreatmentRow

__all__ = [
    "InvalidCare",
    "add_milestone",
    "add_treatment",
    "care_summary",
    "delete_milestone",
    "delete_treatment",
    "edit_milestone",
    "edit_treatment",
    "get_milestone",
    "get_treatment",
    "set_workup",
    "shared_summary",
    "summary_for",
]


class InvalidCare(InvalidCase):
    """An input that does not hold; ``by_field`` maps each field to its message (the
    field as the page shows it), for a form to show each next to its field."""

    def __init__(self, by_field: Problems) -> None:
        self.by_field = dict(by_field)
        super().__init__(list(by_field.values()))


def _checked(found: tuple[Any, Problems], gettext: Gettext) -> Any:
    value, problems = found
    if problems or value is None:
        raise InvalidCare(problems or {"_form": gettext("Nothing to record")})
    return value


def _audit(s: Session, action: str, who: Principal, child_id: int, detail: str) -> None:
    repo.audit(s, action, child_id=child_id, user_id=who.user_id, detail=detail)


# ---------------------------------------------------------------- reading
def care_summary(
    s: Session,
    child_id: int,
    today: date | None = None,
    days_with_spasms: Sequence[date] | None = None,
) -> CareSummary:
    """The child's treatments with their response, milestones with the regression, and
    the work-up (in the caller's read; the caller has checked who may see it).

    The days with spasm-like episodes are ``days_with_spasms`` when the caller has read
    the derived state already, else they come from the stored state; only a state marked
    stale (an import, a restore) makes this read the whole diary.
    """
    today = today or date.today()
    if days_with_spasms is not None:
        days = list(days_with_spasms)
    else:
        derived = state.stored(s, child_id, today)
        days = (
            list(derived.spasm_days)
            if derived is not None
            else list(state.spasm_days_now(s, child_id, today))
        )
    return summarise(
        store.treatment_records(s, child_id),
        store.milestone_records(s, child_id),
        store.workup_records(s, child_id),
        days,
        today,
    )


def summary_for(db: Database, who: Principal, child_id: int) -> CareSummary:
    """The care summary of a child the user may view."""
    with db.reading() as s:
        child_for(s, who, child_id, "view")
        return care_summary(s, child_id)


def shared_summary(db: Database, token_hash: str) -> CareSummary:
    """The care summary behind a share link."""
    with db.reading() as s:
        link = share_for(s, token_hash)
        return care_summary(s, link.child_id)


# ---------------------------------------------------------------- treatments
def _treatment_of(s: Session, child_id: int, treatment_id: int) -> TreatmentRow:
    row = store.get_treatment(s, child_id, treatment_id)
    if row is None:
        raise NotFound("No such treatment")
    return row


def get_treatment(
    db: Database, who: Principal, child_id: int, treatment_id: int, need: str = "view"
) -> tuple[Child, Treatment]:
    """The child and one of its treatments."""
    with db.reading() as s:
        child, _ = child_for(s, who, child_id, need)
        return child, store.treatment_record(_treatment_of(s, child_id, treatment_id))


def add_treatment(
    db: Database,
    who: Principal,
    child_id: int,
    raw: Mapping[str, Any],
    *,
    strict: bool = False,
    gettext: Gettext = english,
    today: date | None = None,
) -> Treatment:
    """Record a treatment (``raw``: the form's or the API's fields, checked here; its start
    may not be after ``today``, the family's day, default the server's)."""
    with db.transaction() as s:
        child, _ = child_for(s, who, child_id, "log")
        data = _checked(
            parse_treatment(
                raw, today or date.today(), child.birth_date, strict=strict, gettext=gettext
            ),
            gettext,
        )
        row = store.add_treatment(s, child_id, who.user_id, **vars(data))
        _audit(s, "add_treatment", who, child_id, str(row.id))
        return store.treatment_record(row, _name(who))


def edit_treatment(
    db: Database,
    who: Principal,
    child_id: int,
    treatment_id: int,
    raw: Mapping[str, Any],
    *,
    strict: bool = False,
    gettext: Gettext = english,
    today: date | None = None,
) -> Treatment:
    """Replace a treatment's fields."""
    with db.transaction() as s:
        child, _ = child_for(s, who, child_id, "log")
        row = _treatment_of(s, child_id, treatment_id)
        data = _checked(
            parse_treatment(
                raw, today or date.today(), child.birth_date, strict=strict, gettext=gettext
            ),
            gettext,
        )
        store.update_treatment(s, row, who.user_id, **vars(data))
        _audit(s, "edit_treatment", who, child_id, str(row.id))
        return store.treatment_record(row, _name(who))


def delete_treatment(db: Database, who: Principal, child_id: int, treatment_id: int) -> None:
    """Delete a treatment."""
    with db.transaction() as s:
        child_for(s, who, child_id, "log")
        store.delete_treatment(s, _treatment_of(s, child_id, treatment_id))
        _audit(s, "delete_treatment", who, child_id, str(treatment_id))


# ---------------------------------------------------------------- milestones
def _milestone_of(s: Session, child_id: int, milestone_id: int) -> MilestoneRow:
    row = store.get_milestone(s, child_id, milestone_id)
    if row is None:
        raise NotFound("No such milestone")
    return row


def get_milestone(
    db: Database, who: Principal, child_id: int, milestone_id: int, need: str = "view"
) -> tuple[Child, Milestone]:
    """The child and one of its milestones."""
    with db.reading() as s:
        child, _ = child_for(s, who, child_id, need)
        return child, store.milestone_record(_milestone_of(s, child_id, milestone_id))


def add_milestone(
    db: Database,
    who: Principal,
    child_id: int,
    raw: Mapping[str, Any],
    *,
    strict: bool = False,
    gettext: Gettext = english,
    today: date | None = None,
) -> tuple[Milestone, dict[str, Any]]:
    """Record a milestone; returns it and the diary's triage after it (a lost skill is
    regression to the triage)."""
    with db.transaction() as s:
        child, _ = child_for(s, who, child_id, "log")
        data = _checked(
            parse_milestone(
                raw, today or date.today(), child.birth_date, strict=strict, gettext=gettext
            ),
            gettext,
        )
        row = store.add_milestone(s, child_id, who.user_id, **vars(data))
        _audit(s, "add_milestone", who, child_id, str(row.id))
        record = store.milestone_record(row, _name(who))
    return record, state.read(db, child_id).triage


def edit_milestone(
    db: Database,
    who: Principal,
    child_id: int,
    milestone_id: int,
    raw: Mapping[str, Any],
    *,
    strict: bool = False,
    gettext: Gettext = english,
    today: date | None = None,
) -> tuple[Milestone, dict[str, Any]]:
    """Replace a milestone's fields; returns it and the diary's triage after it."""
    with db.transaction() as s:
        child, _ = child_for(s, who, child_id, "log")
        row = _milestone_of(s, child_id, milestone_id)
        data = _checked(
            parse_milestone(
                raw, today or date.today(), child.birth_date, strict=strict, gettext=gettext
            ),
            gettext,
        )
        store.update_milestone(s, row, who.user_id, **vars(data))
        _audit(s, "edit_milestone", who, child_id, str(row.id))
        record = store.milestone_record(row, _name(who))
    return record, state.read(db, child_id).triage


def delete_milestone(
    db: Database, who: Principal, child_id: int, milestone_id: int
) -> dict[str, Any]:
    """Delete a milestone; returns the diary's triage after it."""
    with db.transaction() as s:
        child_for(s, who, child_id, "log")
        store.delete_milestone(s, _milestone_of(s, child_id, milestone_id))
        _audit(s, "delete_milestone", who, child_id, str(milestone_id))
    return state.read(db, child_id).triage


# ---------------------------------------------------------------- work-up
def set_workup(
    db: Database,
    who: Principal,
    child_id: int,
    raw: Mapping[str, Any],
    *,
    strict: bool = False,
    gettext: Gettext = english,
) -> WorkupItem:
    """Where one test of the work-up stands (``raw`` names the test)."""
    with db.transaction() as s:
        child, _ = child_for(s, who, child_id, "log")
        data = _checked(
            parse_workup(raw, child.birth_date, strict=strict, gettext=gettext), gettext
        )
        row = store.set_workup(
            s, child_id, data.test, data.status, data.on_date, data.result, who.user_id
        )
        _audit(s, "set_workup", who, child_id, f"{data.test} {data.status}")
        item = store.workup_record(row, _name(who))
        if item is None:  # not reached: the test was checked against the list above
            raise NotFound("No such test")
        return item


def _name(who: Principal) -> str:
    return who.user.display_name if who.user is not None else ""
