"""The case format: validation, messages naming the field, ages from birth dates."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from spasmwatch.case import VOCABULARIES, Case, load_case, months_between, parse_case
from spasmwatch.errors import InvalidCase

GOOD = {
    "child": {
        "age_months": 6.5,
        "birth_date": "2026-05-01",
        "born_weeks": 40,
        "conditions": ["tuberous_sclerosis"],
        "development": "on_track",
    },
    "episodes": [
        {
            "started_at": "2026-11-20T07:05:00",
            "state": "just_woke",
            "movements": ["head_nod", "arms_up"],
            "side": "both",
            "movement_seconds": 1.0,
            "count": 12,
            "interval_seconds": 8,
            "episode_minutes": 3,
            "stops_when_woken": "not_tried",
            "stops_when_held": "not_tried",
            "stops_with_distraction": "not_tried",
            "responsive": "yes",
            "after": ["cried"],
            "triggers": [],
            "fever_c": None,
            "red_flags": [],
            "notes": "free text",
        }
    ],
}


def problems(data: object) -> list[str]:
    with pytest.raises(InvalidCase) as info:
        parse_case(data)
    return info.value.problems


def test_the_contract_example_is_valid() -> None:
    case = parse_case(GOOD)
    assert isinstance(case, Case)
    assert case.episodes[0].movements == ["head_nod", "arms_up"]


def test_defaults() -> None:
    case = parse_case({"child": {"age_months": 3}, "episodes": [{"movements": ["startle"]}]})
    ep = case.episodes[0]
    assert (ep.state, ep.side, ep.responsive, ep.typical_for_child) == (
        "unknown",
        "unknown",
        "unknown",
        "unknown",
    )
    assert ep.stops_when_held == "not_tried"
    assert case.child.development == "unknown"


def test_a_case_without_episodes_is_valid() -> None:
    assert parse_case({"child": {"age_months": 9, "development": "lost_skills"}}).episodes == []


@pytest.mark.parametrize("field", ["state", "side", "responsive", "stops_when_held"])
def test_unknown_word_names_field_value_and_allowed(field: str) -> None:
    data = {"child": {"age_months": 6}, "episodes": [{"movements": ["head_nod"], field: "zzz"}]}
    (message,) = problems(data)
    assert f"episodes[0].{field}" in message
    assert "'zzz'" in message
    for word in VOCABULARIES[field]:
        assert word in message


def test_unknown_word_in_a_list_names_its_position() -> None:
    data = {"child": {"age_months": 6}, "episodes": [{"movements": ["head_nod", "wobble"]}]}
    (message,) = problems(data)
    assert "episodes[0].movements[1]" in message and "'wobble'" in message
    assert "trunk_crunch" in message


def test_unknown_condition() -> None:
    (message,) = problems({"child": {"age_months": 6, "conditions": ["flu"]}})
    assert "child.conditions[0]" in message and "tuberous_sclerosis" in message


@pytest.mark.parametrize(
    ("where", "field", "value", "ok"),
    [
        ("child", "age_months", 216, True),
        ("child", "age_months", 216.1, False),
        ("child", "age_months", -0.1, False),
        ("child", "born_weeks", 22, True),
        ("child", "born_weeks", 21.9, False),
        ("child", "born_weeks", 44.1, False),
        ("episode", "fever_c", 44, True),
        ("episode", "fever_c", 44.1, False),
        ("episode", "fever_c", 29.9, False),
        ("episode", "count", 1, True),
        ("episode", "count", 0, False),
        ("episode", "movement_seconds", 0, False),
        ("episode", "movement_seconds", 0.01, True),
        ("episode", "interval_seconds", 0, False),
        ("episode", "episode_minutes", 0, False),
        ("episode", "episode_minutes", 1441, False),
    ],
)
def test_ranges(where: str, field: str, value: float, ok: bool) -> None:
    data: dict = {"child": {"age_months": 6}, "episodes": [{"movements": ["head_nod"]}]}
    target = data["child"] if where == "child" else data["episodes"][0]
    target[field] = value
    if ok:
        parse_case(data)
    else:
        (message,) = problems(data)
        assert field in message and "Out of range" in message and str(value) in message


def test_unknown_fields_are_rejected_with_the_allowed_ones() -> None:
    data = {"child": {"age_months": 6, "weight": 7}, "episodes": [], "extra": 1}
    found = problems(data)
    assert any("child.weight" in p and "birth_date" in p for p in found)
    assert any("'extra'" in p and "episodes" in p for p in found)


def test_every_problem_is_reported_at_once() -> None:
    data = {"child": {"age_months": 300}, "episodes": [{"movements": [], "state": "x"}]}
    assert len(problems(data)) == 3


def test_age_or_birth_date_is_required() -> None:
    (message,) = problems({"child": {}})
    assert "age_months" in message and "birth_date" in message


def test_movements_needs_at_least_one() -> None:
    (message,) = problems({"child": {"age_months": 5}, "episodes": [{"movements": []}]})
    assert "episodes[0].movements" in message and "head_nod" in message


@pytest.mark.parametrize(
    "episode",
    [
        {"red_flags": ["blue_or_grey"]},
        {"episode_minutes": 5},
        {"movements": [], "red_flags": ["rash"]},
    ],
)
def test_a_warning_sign_needs_no_movement(episode: dict) -> None:
    case = parse_case({"child": {"age_months": 7}, "episodes": [episode]})
    assert case.episodes[0].movements == []


def test_just_under_5_minutes_still_needs_a_movement() -> None:
    data = {"child": {"age_months": 7}, "episodes": [{"episode_minutes": 4.9}]}
    (message,) = problems(data)
    assert "episodes[0].movements" in message and "red_flags" in message
    data = {"child": {"age_months": 7}, "episodes": [{"episode_minutes": 4.9, "count": 0}]}
    assert len(problems(data)) == 2


def test_notes_limit() -> None:
    data = {"child": {"age_months": 5}, "episodes": [{"movements": ["startle"]}]}
    data["episodes"][0]["notes"] = "x" * 5000
    parse_case(data)
    data["episodes"][0]["notes"] = "x" * 5001
    (message,) = problems(data)
    assert "episodes[0].notes" in message and "5000" in message


def test_age_is_computed_from_birth_date_at_each_episode() -> None:
    case = parse_case(
        {
            "child": {"birth_date": "2026-05-01"},
            "episodes": [
                {"movements": ["head_nod"], "started_at": "2026-08-01T08:00"},
                {"movements": ["head_nod"], "started_at": "2026-11-01T08:00"},
            ],
        }
    )
    first, second = (case.age_months_at(e.started_at) for e in case.episodes)
    assert first == pytest.approx(3.02, abs=0.01)
    assert second == pytest.approx(6.05, abs=0.01)
    assert case.age_months_at(None, today=date(2027, 5, 1)) == pytest.approx(12.0, abs=0.01)


def test_birth_date_wins_over_age_months() -> None:
    case = parse_case({"child": {"age_months": 30, "birth_date": "2026-05-01"}})
    assert case.age_months_at(datetime(2026, 6, 1)) == pytest.approx(1.02, abs=0.01)


def test_episode_before_birth_is_rejected() -> None:
    (message,) = problems(
        {
            "child": {"birth_date": "2026-05-01"},
            "episodes": [{"movements": ["startle"], "started_at": "2026-04-30T10:00"}],
        }
    )
    assert "episodes[0].started_at" in message and "birth_date" in message


def test_birth_date_in_the_future_is_rejected() -> None:
    (message,) = problems({"child": {"birth_date": "2999-01-01"}})
    assert "birth_date" in message and "future" in message
    # A family's day is at most one ahead of the machine's (UTC+14 against UTC).
    later = date.today() + timedelta(days=2)
    (message,) = problems({"child": {"birth_date": later.isoformat()}})
    assert "future" in message
    born_today_in_tokyo = date.today() + timedelta(days=1)
    assert parse_case({"child": {"birth_date": born_today_in_tokyo.isoformat()}})


def test_bad_json_names_the_source_and_position() -> None:
    with pytest.raises(InvalidCase) as info:
        load_case('{"child": ', source="case file 'x.json'")
    assert "x.json" in str(info.value) and "line 1" in str(info.value)


@pytest.mark.parametrize("data", [[], "text", 3, None])
def test_not_an_object(data: object) -> None:
    (message,) = problems(data)
    assert "JSON object" in message


def test_round_trip_keeps_what_was_given() -> None:
    case = parse_case(GOOD)
    again = parse_case(case.to_json_dict())
    assert again == case


def test_duplicate_words_are_merged() -> None:
    case = parse_case({"child": {"age_months": 4}, "episodes": [{"movements": ["startle"] * 3}]})
    assert case.episodes[0].movements == ["startle"]


def test_months_between() -> None:
    assert months_between(date(2026, 1, 1), date(2027, 1, 1)) == pytest.approx(12.0, abs=0.01)
    assert months_between(date(2026, 1, 2), date(2026, 1, 1)) == 0.0


# ---------------------------------------------------------------- a case without the age


WARNING_ONLY = {"child": {}, "episodes": [{"red_flags": ["blue_or_grey"]}]}


def test_the_age_may_be_left_out_only_with_a_warning_sign_and_only_when_asked() -> None:
    with pytest.raises(InvalidCase) as strict:
        parse_case(WARNING_ONLY)
    assert strict.value.problems == ["child.age_months or child.birth_date is required"]
    case = parse_case(WARNING_ONLY, age_optional=True)
    assert not case.age_known and case.child.age_months is None
    assert case.to_json_dict() == WARNING_ONLY
    # Read back as it was written: a case file saved from it.
    assert parse_case(case.to_json_dict(), age_optional=True) == case
    # Conditions and development are kept and checked as always.
    kept = parse_case(
        {"child": {"conditions": ["epilepsy"]}, "episodes": WARNING_ONLY["episodes"]},
        age_optional=True,
    )
    assert kept.child.conditions == ["epilepsy"] and not kept.age_known


def test_without_a_warning_sign_the_age_is_required_and_the_message_says_why() -> None:
    no_sign = {"child": {}, "episodes": [{"movements": ["head_nod"]}]}
    with pytest.raises(InvalidCase) as refused:
        parse_case(no_sign, age_optional=True)
    (problem,) = refused.value.problems
    assert problem.startswith("child.age_months or child.birth_date is required")
    assert "only when an episode gives a warning sign in red_flags" in problem
    with pytest.raises(InvalidCase):
        parse_case({"child": {}, "episodes": [{"red_flags": []}]}, age_optional=True)
    with pytest.raises(InvalidCase):
        parse_case({"child": {}}, age_optional=True)


def test_a_case_without_the_age_reports_its_other_problems_alone() -> None:
    bad = {"child": {"development": "fast"}, "episodes": [{"red_flags": ["rash"], "count": 0}]}
    with pytest.raises(InvalidCase) as refused:
        parse_case(bad, age_optional=True)
    problems = refused.value.problems
    assert any("child.development" in p for p in problems)
    assert any("episodes[0].count" in p for p in problems)
    assert not any("age_months" in p for p in problems)
    # An unknown warning sign is no warning sign: it is named as the problem.
    with pytest.raises(InvalidCase, match=r"episodes\[0\]\.red_flags"):
        parse_case({"child": {}, "episodes": [{"red_flags": ["sneezing"]}]}, age_optional=True)


def test_a_given_age_or_birth_date_is_read_as_always() -> None:
    aged = parse_case({**WARNING_ONLY, "child": {"age_months": 4}}, age_optional=True)
    assert aged.age_known and aged.child.age_months == 4
    born = parse_case({**WARNING_ONLY, "child": {"birth_date": "2026-05-01"}}, age_optional=True)
    assert born.age_known and born.child.age_months is None
    assert load_case(json.dumps(WARNING_ONLY), age_optional=True).age_known is False


@pytest.mark.parametrize("minutes", [-720, -300, 0, 330, 840])
def test_the_familys_offset_from_utc_within_the_worlds_time_zones(minutes: int) -> None:
    case = parse_case(
        {
            "child": {"age_months": 6},
            "episodes": [
                {"movements": ["head_nod"], "started_at": "2026-11-20T07:05:00",
                 "utc_offset_minutes": minutes}
            ],
        }
    )  # fmt: skip
    aware = case.episodes[0].started_at_aware
    assert aware is not None and aware.utcoffset() == timedelta(minutes=minutes)
    assert aware.replace(tzinfo=None) == datetime(2026, 11, 20, 7, 5)


@pytest.mark.parametrize("minutes", [-721, 841, 100000])
def test_an_offset_no_time_zone_has_is_refused_by_name(minutes: int) -> None:
    with pytest.raises(InvalidCase) as info:
        parse_case(
            {
                "child": {"age_months": 6},
                "episodes": [{"movements": ["head_nod"], "utc_offset_minutes": minutes}],
            }
        )
    assert "episodes[0].utc_offset_minutes" in str(info.value)


def test_without_an_offset_a_wall_clock_time_has_no_known_zone() -> None:
    case = parse_case(
        {"child": {"age_months": 6},
         "episodes": [{"movements": ["head_nod"], "started_at": "2026-11-20T07:05:00"}]}
    )  # fmt: skip
    assert case.episodes[0].started_at_aware is None
