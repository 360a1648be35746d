"""The response to a treatment and relapse, on both sides of each threshold."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from spasmwatch.care.response import (
    RELAPSE_MIN_FREE_DAYS,
    RESPONSE_FROM_DAY,
    RESPONSE_TO_DAY,
    spasm_days,
    spasm_like,
    treatment_response,
)

START = date(2026, 10, 1)


def day(n: int) -> date:
    """Day ``n`` of the treatment (the start is day 1)."""
    return START + timedelta(days=n - 1)


def test_the_numbers_are_the_published_ones() -> None:
    assert (RESPONSE_FROM_DAY, RESPONSE_TO_DAY) == (14, 42)
    assert RELAPSE_MIN_FREE_DAYS == 14


def test_day_one_is_the_start_and_before_it_nothing_is_said() -> None:
    assert treatment_response(START, [], START).day == 1
    early = treatment_response(START, [START - timedelta(days=3)], START - timedelta(days=1))
    assert early.outcome == "not_started" and early.day == 0
    assert early.last_spasm_on == START - timedelta(days=3)


def test_spasms_before_day_14_do_not_count_against_the_response() -> None:
    spasms = [day(1), day(5), day(RESPONSE_FROM_DAY - 1)]
    result = treatment_response(START, spasms, day(RESPONSE_TO_DAY + 1))
    assert result.outcome == "met"
    assert result.last_spasm_on == day(13)


def test_a_spasm_on_day_14_means_not_met_at_once() -> None:
    result = treatment_response(START, [day(RESPONSE_FROM_DAY)], day(RESPONSE_FROM_DAY))
    assert result.outcome == "not_met" and result.first_spasm_in_window == day(14)


def test_a_spasm_on_day_42_is_in_the_window_and_day_43_is_not() -> None:
    assert treatment_response(START, [day(42)], day(50)).outcome == "not_met"
    after = treatment_response(START, [day(43)], day(50))
    assert after.outcome == "met" and after.first_spasm_in_window is None


def test_too_early_until_day_42_is_over() -> None:
    on_42 = treatment_response(START, [], day(RESPONSE_TO_DAY))
    assert on_42.outcome == "too_early" and on_42.days_left == 1
    assert "1 more day" in on_42.outcome_words
    on_43 = treatment_response(START, [], day(RESPONSE_TO_DAY + 1))
    assert on_43.outcome == "met" and on_43.days_left == 0
    on_10 = treatment_response(START, [], day(10))
    assert on_10.outcome == "too_early" and on_10.days_left == 33


def test_spasm_free_days_count_the_days_since_the_start() -> None:
    result = treatment_response(START, [day(1), day(2), day(2), day(7)], day(10))
    assert result.day == 10 and result.spasm_free_days == 7
    assert result.last_spasm_on == day(7)


def test_days_after_today_are_not_read() -> None:
    result = treatment_response(START, [day(20)], day(15))
    assert result.outcome == "too_early" and result.last_spasm_on is None


@pytest.mark.parametrize(
    ("spasms", "relapse"),
    [
        # 14 spasm-free days (days 1-14) then a spasm on day 15: a relapse.
        ([15], 15),
        # 13 spasm-free days then a spasm on day 14: not (yet) a relapse.
        ([14], None),
        # spasms until day 3, free days 4-17 (14 days), a spasm on day 18: a relapse.
        ([1, 2, 3, 18], 18),
        # free days 4-16 (13 days), a spasm on day 17: no relapse.
        ([1, 2, 3, 17], None),
    ],
)
def test_relapse_needs_at_least_14_spasm_free_days(spasms: list[int], relapse: int | None) -> None:
    result = treatment_response(START, [day(n) for n in spasms], day(60))
    assert result.relapse_on == (day(relapse) if relapse else None)


def test_spasm_like_episodes_are_the_triages_spasm_or_subtle() -> None:
    assert spasm_like({"movements": ["head_nod"]})
    assert spasm_like({"movements": ["facial_twitch"]})  # a subtle form
    assert not spasm_like({"movements": ["limb_jerk"]})
    assert not spasm_like({"movements": [], "red_flags": ["blue_or_grey"]})
    episodes = [
        {"movements": ["arms_up"], "started_at": "2026-11-02T07:00:00"},
        {"movements": ["arms_up"], "started_at": "2026-11-01T07:00:00"},
        {"movements": ["hiccups"], "started_at": "2026-11-03T07:00:00"},
        {"movements": ["arms_up"]},  # untimed
    ]
    assert spasm_days(episodes) == [date(2026, 11, 1), date(2026, 11, 2)]
