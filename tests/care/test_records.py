"""The checked inputs (every problem names its field) and regression from milestones."""

from __future__ import annotations

from datetime import date, datetime

from spasmwatch.care import summarise
from spasmwatch.care.development import regression_of
from spasmwatch.care.records import (
    Milestone,
    WorkupItem,
    parse_milestone,
    parse_treatment,
    parse_workup,
)
from spasmwatch.care.workup import WORKUP_TESTS, workup_test

TODAY = date(2026, 12, 2)
BORN = date(2026, 5, 1)


def test_a_treatment_is_checked_field_by_field() -> None:
    data, problems = parse_treatment(
        {"drug": "prednisolone", "dose": "40 mg a day", "start_date": "2026-11-20"}, TODAY
    )
    assert problems == {} and data is not None
    assert data.route == "by_mouth" and data.stop_date is None
    _, problems = parse_treatment(
        {"drug": "", "route": "sniffed", "start_date": "soon", "stop_date": "2026-11-01"}, TODAY
    )
    assert set(problems) == {"drug", "route", "start_date"}
    assert problems["drug"].startswith("Medicine:")
    assert "you typed 'soon'" in problems["start_date"]
    assert "allowed are by_mouth" in problems["route"]


def test_treatment_dates_in_the_future_before_birth_or_stop_before_start() -> None:
    _, future = parse_treatment({"drug": "x", "start_date": "2026-12-03"}, TODAY)
    assert "in the future" in future["start_date"]
    _, today = parse_treatment({"drug": "x", "start_date": "2026-12-02"}, TODAY)
    assert today == {}
    _, before = parse_treatment({"drug": "x", "start_date": "2026-04-30"}, TODAY, BORN)
    assert "before the date of birth" in before["start_date"]
    _, stop = parse_treatment(
        {"drug": "x", "start_date": "2026-11-20", "stop_date": "2026-11-19"}, TODAY
    )
    assert "before the start" in stop["stop_date"]
    _, same = parse_treatment(
        {"drug": "x", "start_date": "2026-11-20", "stop_date": "2026-11-20"}, TODAY
    )
    assert same == {}


def test_text_limits_control_characters_and_unknown_api_fields() -> None:
    _, problems = parse_treatment(
        {"drug": "a\x00b", "dose": "x" * 101, "start_date": "2026-11-20", "colour": "red"},
        TODAY,
        strict=True,
    )
    assert set(problems) == {"drug", "dose", "_form"}
    _, fine = parse_treatment({"drug": "a", "dose": "x" * 100, "start_date": "2026-11-20"}, TODAY)
    assert fine == {}
    _, typed = parse_treatment({"drug": 5, "start_date": "2026-11-20"}, TODAY)
    assert "please give text" in typed["drug"]


def test_a_milestone_other_needs_its_name_and_a_date() -> None:
    data, problems = parse_milestone(
        {"skill": "sits", "status": "lost", "on_date": "2026-11-28"}, TODAY
    )
    assert problems == {} and data is not None and data.status == "lost"
    _, problems = parse_milestone({"skill": "other", "status": "gone", "on_date": ""}, TODAY)
    assert set(problems) == {"label", "status", "on_date"}
    # the field as the form shows it, without its question mark before the colon
    assert problems["status"].startswith("Can the baby do it: ")


def test_a_workup_result_needs_its_text_and_a_booked_test_may_be_ahead() -> None:
    data, problems = parse_workup({"test": "eeg", "status": "booked", "on_date": "2027-01-05"})
    assert problems == {} and data is not None
    _, problems = parse_workup({"test": "eeg", "status": "result_noted", "result": ""})
    assert set(problems) == {"result"}
    _, problems = parse_workup({"test": "xray", "status": "done"})
    assert "allowed are eeg" in problems["test"]


def test_the_problems_in_a_pages_language_name_the_field_as_its_form_shows_it() -> None:
    from spasmwatch.i18n import translations

    es = translations("es").gettext
    _, stop = parse_treatment(
        {"drug": "x", "start_date": "2026-11-20", "stop_date": "2026-11-19"}, TODAY, gettext=es
    )
    assert stop == {"stop_date": "Se dejó el: 2026-11-19 es anterior al inicio (2026-11-20)"}
    _, problems = parse_treatment({"drug": "", "start_date": "pronto"}, TODAY, gettext=es)
    assert problems["drug"].startswith("Medicamento: escriba el nombre del medicamento")
    assert problems["start_date"].startswith("Empezó el: escriba una fecha como AAAA-MM-DD")
    assert "ha escrito 'pronto'" in problems["start_date"]
    _, problems = parse_milestone(
        {"skill": "other", "status": "lost", "on_date": "2026-12-03"}, TODAY, gettext=es
    )
    assert problems == {
        "label": "Qué habilidad: escriba el nombre de la habilidad",
        "on_date": "Desde cuándo: 2026-12-03 es una fecha futura",
    }
    _, problems = parse_milestone({"skill": "sits", "on_date": "2026-12-01"}, TODAY, gettext=es)
    assert problems["status"].startswith("Lo hace el bebé: elija ")  # "¿...?" left out
    _, problems = parse_workup({"test": "eeg", "status": "result_noted"}, gettext=es)
    assert problems == {"result": "Resultado: anote el resultado o elija otro estado"}
    # English by default (the API's messages), with the same fields
    _, english = parse_workup({"test": "eeg", "status": "result_noted"})
    assert english == {"result": "Result: please write the result down, or choose another status"}


def _m(i: int, skill: str, status: str, on: str, label: str = "") -> Milestone:
    return Milestone(i, skill, label, status, date.fromisoformat(on), "", "", datetime(2026, 1, 1))


def test_regression_is_a_skill_whose_latest_record_is_lost() -> None:
    assert not regression_of([]).present
    assert not regression_of([_m(1, "sits", "achieved", "2026-10-01")]).present
    lost = regression_of(
        [_m(1, "sits", "achieved", "2026-10-01"), _m(2, "sits", "lost", "2026-11-20")]
    )
    assert lost.present and lost.since == date(2026, 11, 20)
    regained = regression_of(
        [_m(1, "sits", "lost", "2026-11-20"), _m(2, "sits", "achieved", "2026-11-30")]
    )
    assert not regained.present
    # Other skills are told apart by their names.
    two = regression_of(
        [
            _m(1, "other", "lost", "2026-11-20", "claps"),
            _m(2, "other", "achieved", "2026-11-25", "waves"),
        ]
    )
    assert [m.name for m in two.lost] == ["claps"]


def test_the_workup_is_every_test_suggested_until_changed() -> None:
    summary = summarise([], [], [WorkupItem(workup_test("eeg"), "booked")], [], TODAY)
    assert [w.test.code for w in summary.workup] == [t.code for t in WORKUP_TESTS]
    assert summary.workup[0].status == "booked"
    assert {w.status for w in summary.workup[1:]} == {"suggested"}
    assert not summary.empty
    assert summarise([], [], [], [], TODAY).empty
    names = {t.code for t in WORKUP_TESTS}
    assert names == {
        "eeg",
        "brain_imaging",
        "woods_lamp",
        "metabolic",
        "lumbar_puncture",
        "genetic",
    }
    assert all(t.reason and t.source for t in WORKUP_TESTS)
