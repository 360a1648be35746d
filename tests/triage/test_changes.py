"""What a routine answer says would change it: only what would, never what the answers
already say (:mod:`spasmwatch.triage.changes`)."""

from __future__ import annotations

from typing import Any

import pytest

from spasmwatch.case import parse_case
from spasmwatch.testing.triage.casebuild import NOW, at, case, ep
from spasmwatch.triage import level_rank, triage
from spasmwatch.triage.changes import (
    AWAKE_OR_WAKING,
    CHANGES,
    ROUTINE_WARNING_SIGNS,
    SEVERAL_IN_A_ROW,
)
from spasmwatch.triage.engine import BASE_ADVICE
from spasmwatch.triage.facts import FactsMemo
from spasmwatch.triage.lookalikes import JITTERY_MAX_AGE_MONTHS, SLEEP_MYOCLONUS_MAX_AGE_MONTHS

ADVICE = {change.key: change.advice for change in CHANGES}
#: Every line a change can say.
CHANGE_LINES = {*ADVICE.values(), AWAKE_OR_WAKING}


def said(data: dict[str, Any]) -> list[str]:
    """The change lines of the answer to ``data``, which must be routine."""
    result = triage(data, now=NOW)
    assert result.level == "routine", [r.rule for r in result.reasons]
    return [line for line in result.advice if line in CHANGE_LINES]


def level(data: dict[str, Any]) -> str:
    return triage(data, now=NOW).level


#: The check that found it: a 5-month-old, ten quick jerks of an arm or leg in a row,
#: asleep, half a second each, stopped when woken.
SLEEP_JERKS = ep(
    movements=["limb_jerk"], state="asleep", count=10, movement_seconds=0.5, stops_when_woken="yes"
)


def test_ten_sleep_jerks_that_stop_on_waking_are_not_told_to_come_in_a_series() -> None:
    result = triage(case(5, SLEEP_JERKS), now=NOW)
    assert result.level == "routine"
    assert [r.rule for r in result.reasons] == ["lookalike-sleep-myoclonus"]
    # The answers already say "ten in a row": a series is no reason to act sooner here.
    assert ADVICE["series"] not in result.advice
    assert not any("series" in line for line in result.advice)
    assert BASE_ADVICE["routine"][1] not in result.advice
    # What would change it is said, each in its own line, and nothing else.
    assert said(case(5, SLEEP_JERKS)) == [
        AWAKE_OR_WAKING,
        ADVICE["go_on_when_woken"],
        ADVICE["still_at_6_months"],
    ]
    assert result.advice[-2:] == [ROUTINE_WARNING_SIGNS, result.advice[-1]]


def test_each_change_said_does_change_the_answer() -> None:
    """Told apart by the rules themselves: the same jerks awake, on waking, going on after
    waking or at 6 months get another answer; in a longer series they do not."""
    assert level(case(5, {**SLEEP_JERKS, "state": "awake"})) == "soon"
    assert level(case(5, {**SLEEP_JERKS, "state": "just_woke"})) == "soon"
    assert level(case(5, {**SLEEP_JERKS, "stops_when_woken": "no"})) == "same_day"
    assert level(case(SLEEP_MYOCLONUS_MAX_AGE_MONTHS, SLEEP_JERKS)) == "soon"
    assert level(case(5, {**SLEEP_JERKS, "count": 40})) == "routine"


@pytest.mark.parametrize(("count", "told"), [(1, True), (SEVERAL_IN_A_ROW, False), (10, False)])
def test_a_series_is_said_only_when_it_would_change_the_answer(count: int, told: bool) -> None:
    """One to three twitches in sleep are the twitches of dreaming sleep at any age; five
    in a row, at 8 months, are not (and not sleep myoclonus, over 6 months)."""
    twitches = ep(state="asleep", count=count)
    if told:
        assert ADVICE["series"] in said(case(8, twitches))
        assert level(case(8, {**twitches, "count": SEVERAL_IN_A_ROW})) == "soon"
    else:
        assert level(case(8, twitches)) == "soon"  # already a series: not routine at all
        assert ADVICE["series"] not in said(case(5, {**twitches, "stops_when_woken": "yes"}))


def test_awake_is_not_said_of_movements_seen_awake() -> None:
    shudder = ep(movements=["shivering"], state="awake", responsive="yes", movement_seconds=5)
    lines = said(case(10, shudder))
    assert ADVICE["awake"] not in lines and AWAKE_OR_WAKING not in lines
    assert ADVICE["just_woke"] in lines


@pytest.mark.parametrize(
    ("age", "line"),
    [
        (SLEEP_MYOCLONUS_MAX_AGE_MONTHS - 0.1, "still_at_6_months"),
        (JITTERY_MAX_AGE_MONTHS - 0.1, "still_at_6_months"),
    ],
)
def test_the_age_sleep_jerks_should_be_gone_by_is_said_while_younger(age: float, line: str) -> None:
    assert ADVICE[line] in said(case(age, SLEEP_JERKS))


def test_a_younger_age_bound_is_said_alone() -> None:
    """Jitteriness is a newborn's tremor, under 3 months: "still at 3 months" is said, and
    "at 6 months" would add nothing."""
    jittery = ep(movements=["tremor"], stops_when_held="yes")
    lines = said(case(JITTERY_MAX_AGE_MONTHS - 0.1, jittery))
    assert ADVICE["still_at_3_months"] in lines and ADVICE["go_on_when_held"] in lines
    assert ADVICE["still_at_6_months"] not in lines
    assert level(case(JITTERY_MAX_AGE_MONTHS, jittery)) == "soon"


def test_no_age_is_said_once_the_child_is_older() -> None:
    twitch = ep(state="asleep", count=1)
    lines = said(case(SLEEP_MYOCLONUS_MAX_AGE_MONTHS, twitch))
    assert ADVICE["still_at_3_months"] not in lines and ADVICE["still_at_6_months"] not in lines


def test_the_advice_names_the_ages_of_the_rules() -> None:
    assert f"{JITTERY_MAX_AGE_MONTHS:g} months old" in ADVICE["still_at_3_months"]
    assert f"{SLEEP_MYOCLONUS_MAX_AGE_MONTHS:g} months old" in ADVICE["still_at_6_months"]


def test_hiccups_get_only_the_warning_signs() -> None:
    result = triage(case(4, ep(movements=["hiccups"])), now=NOW)
    assert said(case(4, ep(movements=["hiccups"]))) == []
    assert result.advice == [BASE_ADVICE["routine"][0], ROUTINE_WARNING_SIGNS, result.advice[-1]]


def test_nothing_logged_keeps_the_general_advice() -> None:
    result = triage(case(4), now=NOW)
    assert result.level == "routine"
    assert BASE_ADVICE["routine"][1] in result.advice
    assert not CHANGE_LINES & set(result.advice)


def test_other_levels_say_no_change() -> None:
    for data in (
        case(5, {**SLEEP_JERKS, "state": "awake"}),
        case(5, {**SLEEP_JERKS, "stops_when_woken": "no"}),
        case(5, {**SLEEP_JERKS, "red_flags": ["blue_or_grey"]}),
    ):
        result = triage(data, now=NOW)
        assert result.level != "routine"
        assert not CHANGE_LINES & set(result.advice)
        assert ROUTINE_WARNING_SIGNS not in result.advice


def test_a_diary_is_told_what_would_change_any_of_its_kinds() -> None:
    """Hiccups and sleep jerks: the sleep jerks coming awake would change the answer."""
    diary = case(
        5,
        ep(movements=["hiccups"], started_at=at(2)),
        {**SLEEP_JERKS, "started_at": at(30)},
        {**SLEEP_JERKS, "started_at": at(5)},
    )
    assert AWAKE_OR_WAKING in said(diary)
    assert level_rank(level(diary)) == level_rank("routine")


def test_the_changes_tried_are_not_kept_in_the_memo() -> None:
    data = parse_case(case(5, SLEEP_JERKS, ep(movements=["hiccups"])))
    memo = FactsMemo()
    first = triage(data, now=NOW, memo=memo)
    assert len(memo) == 2
    assert triage(data, now=NOW, memo=memo) == first == triage(data, now=NOW)
