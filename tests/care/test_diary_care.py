"""Treatments, milestones and the work-up through the diary layer, on SQLite and
PostgreSQL: roles, the response from the diary's episodes, and a lost skill fed to the
triage as regression (a red flag stays an emergency; a benign feature never lowers it)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from spasmwatch.diary import care, children, episodes, overview
from spasmwatch.diary.access import Principal
from spasmwatch.errors import Forbidden, NotFound
from spasmwatch.store import Database, repo
from spasmwatch.store.models import DiaryState, WorkupRow

SPASMS = {"movements": ["head_nod", "arms_up"], "state": "just_woke", "count": 8}


def _family(db: Database) -> tuple[Principal, Principal, Principal, int]:
    with db.transaction() as s:
        users = [repo.create_user(s, f"{n}@example.org", n, "h") for n in ("ann", "cat", "vic")]
    ann, cat, vic = (Principal(user=u) for u in users)
    child, _ = children.add(db, ann, "Mia", {"age_months": 6})
    with db.transaction() as s:
        repo.add_member(s, child.id, users[1].id, "caregiver")
        repo.add_member(s, child.id, users[2].id, "viewer")
    return ann, cat, vic, child.id


def test_roles_caregivers_record_viewers_read(db: Database) -> None:
    ann, cat, vic, child = _family(db)
    start = (date.today() - timedelta(days=3)).isoformat()
    made = care.add_treatment(db, cat, child, {"drug": "prednisolone", "start_date": start})
    assert made.recorded_by == "cat"
    with pytest.raises(Forbidden):
        care.add_treatment(db, vic, child, {"drug": "vigabatrin", "start_date": start})
    with pytest.raises(Forbidden):
        care.delete_treatment(db, vic, child, made.id)
    summary = care.summary_for(db, vic, child)
    assert [t.treatment.drug for t in summary.treatments] == ["prednisolone"]
    edited = care.edit_treatment(
        db, ann, child, made.id, {"drug": "prednisolone", "dose": "40 mg", "start_date": start}
    )
    assert edited.dose == "40 mg"
    care.delete_treatment(db, cat, child, made.id)
    with pytest.raises(NotFound):
        care.delete_treatment(db, cat, child, made.id)
    assert care.summary_for(db, vic, child).treatments == ()


def test_another_familys_ids_are_not_found(db: Database) -> None:
    ann, _, _, child = _family(db)
    other, _ = children.add(db, ann, "Other", {"age_months": 3})
    made = care.add_treatment(db, ann, child, {"drug": "x", "start_date": "2026-11-01"})
    with pytest.raises(NotFound):
        care.edit_treatment(db, ann, other.id, made.id, {"drug": "y", "start_date": "2026-11-01"})
    milestone, _ = care.add_milestone(
        db, ann, child, {"skill": "sits", "status": "achieved", "on_date": "2026-11-01"}
    )
    with pytest.raises(NotFound):
        care.delete_milestone(db, ann, other.id, milestone.id)


def test_invalid_input_names_each_field(db: Database) -> None:
    ann, _, _, child = _family(db)
    with pytest.raises(care.InvalidCare) as caught:
        care.add_treatment(db, ann, child, {"drug": "", "start_date": "tomorrow"})
    assert set(caught.value.by_field) == {"drug", "start_date"}


def test_the_response_reads_the_diarys_spasm_days(db: Database) -> None:
    ann, _, _, child = _family(db)
    today = date.today()
    start = today - timedelta(days=19)  # today is day 20
    care.add_treatment(db, ann, child, {"drug": "prednisolone", "start_date": start.isoformat()})
    line = care.summary_for(db, ann, child).treatments[0]
    assert line.response.day == 20 and line.response.outcome == "too_early"
    assert line.response.days_left == 23 and line.response.spasm_free_days == 20
    # A spasm cluster on day 16 (in the window): not met; spasm-free days drop by one.
    when = datetime.combine(start + timedelta(days=15), datetime.min.time()).replace(hour=7)
    episodes.log(db, ann, child, {**SPASMS, "started_at": when.isoformat()})
    line = care.summary_for(db, ann, child).treatments[0]
    assert line.response.outcome == "not_met" and line.response.spasm_free_days == 19
    assert line.response.first_spasm_in_window == when.date()
    assert line.response.relapse_on == when.date()  # after 15 spasm-free days
    with db.reading() as s:
        row = s.get(DiaryState, child)
        assert row is not None and row.spasm_days == [when.date().isoformat()]


def test_a_stale_state_is_read_from_the_diary(db: Database) -> None:
    ann, _, _, child = _family(db)
    when = datetime.now().replace(microsecond=0) - timedelta(hours=1)
    episodes.log(db, ann, child, {**SPASMS, "started_at": when.isoformat()})
    with db.transaction() as s:
        repo.forget_state(s, child)
    with db.reading() as s:
        summary = care.care_summary(s, child)
    assert summary.treatments == ()
    care.add_treatment(db, ann, child, {"drug": "x", "start_date": when.date().isoformat()})
    with db.transaction() as s:
        repo.forget_state(s, child)
    with db.reading() as s:
        assert care.care_summary(s, child).treatments[0].response.last_spasm_on == when.date()


def _level(db: Database, who: Principal, child: int) -> tuple[str, set[str]]:
    result = overview.triage_of(db, who, child)
    return result["level"], {r["rule"] for r in result["reasons"]}


def test_a_lost_milestone_is_regression_to_the_triage(db: Database) -> None:
    ann, _, _, child = _family(db)
    assert _level(db, ann, child) == ("routine", set())
    _, triage = care.add_milestone(
        db, ann, child, {"skill": "sits", "status": "achieved", "on_date": "2026-10-01"}
    )
    assert triage["level"] == "routine"  # a skill achieved changes nothing
    lost, triage = care.add_milestone(
        db,
        ann,
        child,
        {"skill": "sits", "status": "lost", "on_date": date.today().isoformat()},
    )
    assert triage["level"] == "same_day"
    level, rules = _level(db, ann, child)
    assert level == "same_day" and "lost-skills" in rules
    # With spasm-like movements, the spasm rule for regression fires too.
    episodes.log(db, ann, child, {**SPASMS, "started_at": datetime.now().isoformat()[:19]})
    assert "spasm-with-regression" in _level(db, ann, child)[1]
    # Deleting the loss takes the regression away again.
    triage = care.delete_milestone(db, ann, child, lost.id)
    assert "spasm-with-regression" not in {r["rule"] for r in triage["reasons"]}


def test_a_regained_skill_is_no_longer_regression(db: Database) -> None:
    ann, _, _, child = _family(db)
    care.add_milestone(
        db, ann, child, {"skill": "babbles", "status": "lost", "on_date": "2026-11-01"}
    )
    assert _level(db, ann, child)[0] == "same_day"
    care.add_milestone(
        db, ann, child, {"skill": "babbles", "status": "achieved", "on_date": "2026-11-15"}
    )
    assert _level(db, ann, child) == ("routine", set())


def test_regression_never_lowers_an_emergency_and_benign_never_cancels_it(db: Database) -> None:
    ann, _, _, child = _family(db)
    care.add_milestone(
        db, ann, child, {"skill": "smiles", "status": "lost", "on_date": "2026-11-01"}
    )
    emergency = {"movements": ["stiffening"], "red_flags": ["blue_or_grey"]}
    episodes.log(db, ann, child, {**emergency, "started_at": datetime.now().isoformat()[:19]})
    assert _level(db, ann, child)[0] == "emergency"
    # Sleep jerks that stop on waking (benign) do not lower the regression's same-day.
    benign = {
        "movements": ["limb_jerk"],
        "state": "asleep",
        "stops_when_woken": "yes",
        "responsive": "yes",
    }
    other, _ = children.add(db, ann, "Leo", {"age_months": 2})
    episodes.log(db, ann, other.id, {**benign, "started_at": datetime.now().isoformat()[:19]})
    assert _level(db, ann, other.id)[0] in ("routine", "soon")
    care.add_milestone(
        db, ann, other.id, {"skill": "smiles", "status": "lost", "on_date": "2026-11-20"}
    )
    assert _level(db, ann, other.id)[0] == "same_day"


def test_the_workup_is_seeded_lazily(db: Database) -> None:
    _, cat, vic, child = _family(db)
    summary = care.summary_for(db, vic, child)
    assert {w.status for w in summary.workup} == {"suggested"}
    with db.reading() as s:
        assert s.query(WorkupRow).count() == 0
    item = care.set_workup(
        db, cat, child, {"test": "eeg", "status": "booked", "on_date": "2027-01-05"}
    )
    assert item.status == "booked"
    care.set_workup(db, cat, child, {"test": "eeg", "status": "result_noted", "result": "hyps"})
    with db.reading() as s:
        assert s.query(WorkupRow).count() == 1
    eeg = care.summary_for(db, vic, child).workup[0]
    assert eeg.status == "result_noted" and eeg.result == "hyps" and eeg.on_date is None
    with pytest.raises(Forbidden):
        care.set_workup(db, vic, child, {"test": "eeg", "status": "done"})


def test_deleting_the_child_deletes_its_records(db: Database) -> None:
    ann, _, _, child = _family(db)
    care.add_treatment(db, ann, child, {"drug": "x", "start_date": "2026-11-01"})
    care.add_milestone(db, ann, child, {"skill": "sits", "status": "lost", "on_date": "2026-11-01"})
    care.set_workup(db, ann, child, {"test": "genetic", "status": "done"})
    children.delete(db, ann, child)
    with db.reading() as s:
        assert s.query(WorkupRow).count() == 0
