"""The interview's questions as data: natural answers ("5 months", "1-2", "about 8", "not
sure"), warning signs first, and the early stop."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from spasmwatch.case import VOCABULARIES, parse_case
from spasmwatch.interview import (
    CHILD_QUESTIONS,
    EPISODE_QUESTIONS,
    Question,
    interview,
    parse_answer,
    parse_number,
)
from spasmwatch.triage import triage

AGE = next(q for q in CHILD_QUESTIONS if q.field == "age_months")
COUNT = next(q for q in EPISODE_QUESTIONS if q.field == "count")
SECONDS = next(q for q in EPISODE_QUESTIONS if q.field == "movement_seconds")
MINUTES = next(q for q in EPISODE_QUESTIONS if q.field == "episode_minutes")
FEVER = next(q for q in EPISODE_QUESTIONS if q.field == "fever_c")
STARTED = next(q for q in EPISODE_QUESTIONS if q.field == "started_at")


@pytest.mark.parametrize(
    ("question", "raw", "expected"),
    [
        (AGE, "5 months", 5.0),
        (AGE, "5", 5.0),
        (AGE, "about 8", 8.0),
        (AGE, "3 weeks", 0.69),
        (AGE, "1 year", 12.0),
        (AGE, "five and a half", None),
        (AGE, "5,5", 5.5),
        (COUNT, "1-2", 2),
        (COUNT, "about 8", 8),
        (COUNT, "eight", 8),
        (COUNT, "10 times", 10),
        (COUNT, "5 to 10", 10),
        (SECONDS, "1-2", 1.5),
        (SECONDS, "about a second", 1.0),
        (SECONDS, "half", 0.5),
        (MINUTES, "30 seconds", 0.5),
        (MINUTES, "about 2 min", 2.0),
        (FEVER, "38.5", 38.5),
        (FEVER, "101 F", 38.33),
    ],
)
def test_numbers_as_people_say_them(question: Question, raw: str, expected: float | None) -> None:
    if expected is None:
        with pytest.raises(ValueError, match="please give a number"):
            parse_answer(question, raw)
    else:
        assert parse_answer(question, raw) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["not sure", "Not sure", "don't know", "?", ""])
def test_not_sure_skips_an_optional_question(raw: str) -> None:
    assert parse_answer(COUNT, raw) is None
    responsive = next(q for q in EPISODE_QUESTIONS if q.field == "responsive")
    assert parse_answer(responsive, raw) == "unknown"


def test_not_sure_is_no_answer_to_a_required_question() -> None:
    with pytest.raises(ValueError, match="an answer is needed"):
        parse_answer(AGE, "not sure")


def test_out_of_range_and_unknown_units_are_explained() -> None:
    with pytest.raises(ValueError, match="at most 216"):
        parse_answer(AGE, "20 years")
    with pytest.raises(ValueError, match="'furlongs' is not understood"):
        parse_number("5 furlongs", "count")
    with pytest.raises(ValueError, match="whole number"):
        parse_answer(COUNT, "2.5")


def test_a_start_in_the_future_is_refused() -> None:
    future = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    with pytest.raises(ValueError, match="in the future"):
        parse_answer(STARTED, future)
    past = (datetime.now() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    assert parse_answer(STARTED, past).startswith(past[:10])


def _scripted(replies: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    asked: list[str] = []

    def ask(question: Question, error: str | None) -> str:
        asked.append(question.key)
        queue = replies.get(question.key, [])
        return queue.pop(0) if queue else ""

    return ask, asked


def test_warning_signs_come_first_and_stop_the_interview() -> None:
    ask, asked = _scripted({"child.age_months": ["7 months"], "first": ["y"], "red_flags": ["2"]})
    answers = interview(ask)
    assert answers["episodes"] == [{"red_flags": ["blue_or_grey"]}]
    assert "movements" not in asked
    assert triage(parse_case(answers)).level == "emergency"


def test_five_minutes_or_more_stops_the_interview_with_the_emergency_answer() -> None:
    ask, asked = _scripted({"child.age_months": ["16"], "first": ["y"], "long": ["y"]})
    answers = interview(ask)
    assert answers["episodes"] == [{"episode_minutes": 5.0, "red_flags": ["seizure_5_minutes"]}]
    assert "movements" not in asked
    result = triage(parse_case(answers))
    assert result.level == "emergency"
    assert result.reasons[0].rule == "red-flag-seizure-5-minutes"


def test_the_long_seizure_warning_sign_can_be_picked_from_the_list() -> None:
    number = str(list(VOCABULARIES["red_flags"]).index("seizure_5_minutes") + 1)
    ask, asked = _scripted({"child.age_months": ["9"], "first": ["y"], "red_flags": [number]})
    answers = interview(ask)
    assert answers["episodes"] == [{"red_flags": ["seizure_5_minutes"]}]
    assert "long" not in asked and "movements" not in asked
    assert triage(parse_case(answers)).level == "emergency"


def test_natural_answers_reach_a_case() -> None:
    ask, _ = _scripted(
        {
            "child.age_months": ["5 months"],
            "first": ["y"],
            "long": ["n"],
            "movements": ["1 3"],
            "state": ["just_woke"],
            "count": ["about 8"],
            "movement_seconds": ["1-2"],
            "interval_seconds": ["not sure"],
            "more": ["n"],
        }
    )
    answers = interview(ask)
    assert answers["child"] == {"age_months": 5.0}
    episode = answers["episodes"][0]
    assert episode["count"] == 8 and episode["movement_seconds"] == 1.5
    assert "interval_seconds" not in episode
    assert triage(parse_case(answers)).level == "same_day"
