"""How the engine combines rules: lowering, titles, advice, possibilities, wording."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest

from spasmwatch.case import parse_case
from spasmwatch.errors import InvalidCase
from spasmwatch.testing.triage.casebuild import NOW, at, case, ep, seizure, spasm_series
from spasmwatch.testing.triage.regression_vignettes import VIGNETTES
from spasmwatch.triage import RULES, RULES_VERSION, triage
from spasmwatch.triage.changes import ROUTINE_WARNING_SIGNS
from spasmwatch.triage.emergency import AGE_FREE_RULES
from spasmwatch.triage.engine import (
    AGE_NOT_GIVEN,
    CALL_NOW,
    NOT_A_DIAGNOSIS,
    NOTHING_LOGGED,
    POSSIBILITY_LABELS,
    WARNING_SIGN_NOW,
    emergency_last_seen,
    past_warning_sign,
)
from spasmwatch.triage.facts import derive_facts
from spasmwatch.triage.rule import SOURCES


def test_concern_lowered_to_soon_only_when_every_episode_is_explained() -> None:
    jittery = ep(movements=["rhythmic_jerking"], stops_when_held="yes", responsive="yes")
    result = triage(case(0.5, jittery), now=NOW)
    assert result.level == "soon"
    lowered = {r.rule: r.lowered_to for r in result.reasons}
    assert lowered["afebrile-seizure-under-2"] == "soon"
    # A second, unexplained seizure keeps the concern at same_day.
    result = triage(case(0.5, jittery, seizure()), now=NOW)
    assert result.level == "same_day"


def test_nothing_is_lowered_when_a_spasm_rule_fired() -> None:
    data = case(
        5,
        spasm_series(),
        ep(movements=["rhythmic_jerking"], stops_when_held="yes", responsive="yes"),
    )
    result = triage(data, now=NOW)
    assert result.level == "same_day"
    assert all(r.lowered_to is None for r in result.reasons)


def test_emergency_instruction_comes_first() -> None:
    result = triage(case(10, spasm_series(red_flags=["breathing_difficulty"])), now=NOW)
    assert result.level == "emergency"
    assert result.title.startswith("Emergency")
    assert result.advice[0].startswith("Call emergency services now")
    assert result.reasons[0].rule == "red-flag-breathing-difficulty"


def test_spasm_advice_asks_for_video_and_eeg_with_sleep() -> None:
    result = triage(case(6, spasm_series()), now=NOW)
    assert result.title == "Possible infantile spasms: contact a doctor today"
    text = " ".join(result.advice)
    assert "Film" in text and "EEG" in text and "sleep" in text
    assert result.possibilities[0].name == "infantile_spasms"
    assert result.possibilities[0].weight == "high"


def test_routine_says_what_would_change_it() -> None:
    result = triage(case(8, ep(state="asleep", count=1)), now=NOW)
    assert result.level == "routine"
    assert any("sooner if" in line for line in result.advice)
    assert result.advice[0] == "Keep watching, and mention it at the next check-up."
    assert result.advice[-2] == ROUTINE_WARNING_SIGNS
    # Hiccups stay hiccups whatever else is seen: only the warning signs are said.
    hiccups = triage(case(4, ep(movements=["hiccups"])), now=NOW)
    assert not any("sooner if" in line for line in hiccups.advice)
    assert ROUTINE_WARNING_SIGNS in hiccups.advice


def test_an_empty_diary_says_nothing_is_logged_yet() -> None:
    result = triage(case(4, development="on_track"), now=NOW)
    assert result.title == NOTHING_LOGGED
    assert "harmless" not in result.title.lower() and "worrying" not in result.title.lower()
    # A child with an episode gets the ordinary routine title.
    assert triage(case(4, ep(movements=["hiccups"])), now=NOW).title != NOTHING_LOGGED


def test_a_single_sleep_twitch_that_stops_on_waking_is_routine() -> None:
    twitch = ep(state="asleep", count=1, stops_when_woken="yes")
    result = triage(case(3, twitch, development="on_track"), now=NOW)
    assert result.level == "routine"
    assert result.reasons[0].rule.startswith("lookalike-sleep")


def test_a_sleep_cluster_that_goes_on_after_waking_is_same_day() -> None:
    cluster = ep(state="asleep", count=12, stops_when_woken="no")
    result = triage(case(3, cluster, development="on_track"), now=NOW)
    assert result.level == "same_day"
    assert result.reasons[0].rule == "sleep-jerks-go-on-when-woken"


def test_reasons_are_sorted_most_urgent_first() -> None:
    result = triage(case(2, seizure(fever_c=38.5, side="left")), now=NOW)
    ranks = ["routine", "soon", "same_day", "emergency"]
    levels = [ranks.index(r.lowered_to or r.level) for r in result.reasons]
    assert levels == sorted(levels, reverse=True)


def test_every_answer_says_it_is_not_a_diagnosis() -> None:
    assert triage(case(6, spasm_series()), now=NOW).advice[-1] == NOT_A_DIAGNOSIS


def test_result_carries_rules_version() -> None:
    assert triage(case(6), now=NOW).rules_version == RULES_VERSION


def test_every_suggestion_has_a_plain_label() -> None:
    for rule in RULES:
        for name, weight in rule.suggests:
            assert name in POSSIBILITY_LABELS
            assert weight in ("high", "medium", "low")


def test_no_text_claims_a_diagnosis() -> None:
    claims = re.compile(
        r"\b(your (baby|child) has|diagnosed with|this is (an? )?(epilep|seiz))", re.I
    )
    texts = [r.reason for r in RULES] + list(POSSIBILITY_LABELS.values())
    for text in texts:
        assert not claims.search(text), text


def test_fallback_rule_stays_quiet_when_another_rule_spoke() -> None:
    result = triage(case(6, spasm_series()), now=NOW)
    assert "unexplained-movements" not in {r.rule for r in result.reasons}


# ---------------------------------------------------------------- how old a warning sign is


def test_an_old_warning_sign_stays_an_emergency_and_says_when_it_was_logged() -> None:
    old = ep(red_flags=["blue_or_grey"], started_at=at(24 * 21))
    result = triage(case(6, old), now=NOW)
    assert result.level == "emergency"
    (reason,) = [r for r in result.reasons if r.rule == "red-flag-blue-or-grey"]
    assert reason.last_episode_at == datetime.fromisoformat(at(24 * 21))
    assert result.to_dict()["reasons"][0]["last_episode_at"] == at(24 * 21)
    # A year on, still an emergency.
    assert triage(case(6, old), now=NOW + timedelta(days=365)).level == "emergency"


def test_the_newest_episode_with_the_sign_is_the_one_said() -> None:
    older = ep(red_flags=["rash"], started_at=at(24 * 30))
    newer = ep(red_flags=["rash"], started_at=at(24 * 2))
    untimed = ep(red_flags=["rash"])
    result = triage(case(6, newer, untimed, older), now=NOW)
    (reason,) = [r for r in result.reasons if r.rule == "red-flag-rash"]
    assert reason.episodes == [0, 1, 2]
    assert reason.last_episode_at == datetime.fromisoformat(at(24 * 2))
    # A time zone is compared in UTC, and said as written.
    east = ep(red_flags=["rash"], started_at="2026-11-20T08:00:00+09:00")  # 23:00 UTC the 19th
    west = ep(red_flags=["rash"], started_at="2026-11-20T00:30:00")
    (reason,) = triage(case(6, east, west), now=NOW).reasons
    assert reason.last_episode_at == datetime(2026, 11, 20, 0, 30)


def test_only_emergency_reasons_about_timed_episodes_carry_a_time() -> None:
    untimed = triage(case(6, ep(red_flags=["rash"])), now=NOW)
    assert untimed.reasons[0].last_episode_at is None
    assert "last_episode_at" not in untimed.to_dict()["reasons"][0]
    spasms = triage(case(6, spasm_series(started_at=at(2))), now=NOW)
    assert spasms.level == "same_day"
    assert all(r.last_episode_at is None for r in spasms.reasons)


def test_an_episode_without_a_start_is_counted_with_the_sign() -> None:
    timed = ep(red_flags=["rash"], started_at=at(24 * 30))
    result = triage(case(6, timed, ep(red_flags=["rash"])), now=NOW)
    (reason,) = result.reasons
    assert reason.untimed_episodes == 1 and result.to_dict()["reasons"][0]["untimed_episodes"]
    # the untimed one may be the newest: no time is said for the answer as a whole
    assert emergency_last_seen(result) is None
    assert past_warning_sign(result, NOW) is None
    alone = triage(case(6, timed), now=NOW)
    assert "untimed_episodes" not in alone.to_dict()["reasons"][0]
    assert emergency_last_seen(alone) == datetime.fromisoformat(at(24 * 30))


@pytest.mark.parametrize(
    ("hours_ago", "past"),
    [(0, False), (23.5, False), (24, False), (24 + 1 / 60, True), (24 * 35, True)],
)
def test_a_warning_sign_is_past_only_after_24_hours(hours_ago: float, past: bool) -> None:
    assert timedelta(hours=24) == WARNING_SIGN_NOW
    result = triage(case(6, ep(red_flags=["blue_or_grey"], started_at=at(hours_ago))), now=NOW)
    assert result.level == "emergency"  # however old: only the words change
    seen = datetime.fromisoformat(at(hours_ago))
    assert emergency_last_seen(result) == seen
    assert past_warning_sign(result, NOW) == (seen if past else None)
    # the stored result (JSON) and its time alone say the same
    assert past_warning_sign(result.to_dict(), NOW) == (seen if past else None)
    assert past_warning_sign(at(hours_ago), NOW) == (seen if past else None)


def test_the_newest_of_several_warning_signs_decides_whether_it_is_past() -> None:
    old = ep(red_flags=["vomiting"], started_at=at(24 * 10))
    recent = ep(red_flags=["blue_or_grey"], started_at=at(2))
    result = triage(case(6, old, recent), now=NOW)
    assert emergency_last_seen(result) == datetime.fromisoformat(at(2))
    assert past_warning_sign(result, NOW) is None
    # the recent one is 2 h old now: 23 h on it is still, 25 h on it is past
    assert past_warning_sign(result, NOW + timedelta(hours=21)) is None
    assert past_warning_sign(result, NOW + timedelta(hours=23)) == datetime.fromisoformat(at(2))


def test_a_time_zone_is_compared_as_written_and_no_emergency_is_never_past() -> None:
    # written at 08:00 in Tokyo, 25 h before the family's 09:00 the next day
    tokyo = ep(red_flags=["rash"], started_at="2026-11-20T08:00:00+09:00")
    result = triage(case(6, tokyo), now=NOW)
    assert past_warning_sign(result, datetime(2026, 11, 21, 9, 1)) == datetime(2026, 11, 20, 8)
    assert past_warning_sign(result, datetime(2026, 11, 21, 7, 59)) is None
    spasms = triage(case(6, spasm_series(started_at=at(24 * 30))), now=NOW)
    assert emergency_last_seen(spasms) is None and past_warning_sign(spasms, NOW) is None
    assert past_warning_sign(None, NOW) is None


def test_the_call_line_is_the_first_emergency_advice() -> None:
    result = triage(case(6, ep(red_flags=["blue_or_grey"])), now=NOW)
    assert result.advice[0] == CALL_NOW


def test_the_colour_warning_sign_cites_the_guidance_that_names_it() -> None:
    rules = {rule.id: rule for rule in RULES}
    colour = rules["red-flag-blue-or-grey"].source_text
    # The seed article on sleep twitches names breathing problems, vomiting, neck
    # stiffness and extreme fatigue, not the colour: NICE NG143 does.
    assert "Epilepsy360" not in colour and "Baby twitches" not in colour
    assert "NICE NG143" in colour and "blue" in colour
    for flag in ("breathing-difficulty", "vomiting", "neck-stiffness", "extreme-sleepiness"):
        assert "Baby twitches in sleep" in rules[f"red-flag-{flag}"].source_text, flag
    for rule_id in ("red-flag-rash", "red-flag-injury", "fever-under-3-months"):
        assert "Epilepsy360" not in rules[rule_id].source_text, rule_id
    assert set(SOURCES) >= {rule.source for rule in RULES}


# ---------------------------------------------------------------- no age given


def test_a_warning_sign_without_the_age_is_an_emergency_that_says_so() -> None:
    data = case(None, ep(movements=[], red_flags=["breathing_difficulty"]))
    with pytest.raises(InvalidCase, match=r"child\.age_months or child\.birth_date"):
        triage(data, now=NOW)
    result = triage(parse_case(data, age_optional=True), now=NOW)
    assert result.level == "emergency" and result.note == AGE_NOT_GIVEN
    assert result.title.startswith("Emergency")
    assert [r.rule for r in result.reasons] == ["red-flag-breathing-difficulty"]
    assert result.to_dict()["note"] == AGE_NOT_GIVEN
    # With the age, the same case has no note.
    aged = triage(case(6, ep(movements=[], red_flags=["breathing_difficulty"])), now=NOW)
    assert aged.note is None and "note" not in aged.to_dict()


def test_without_the_age_only_the_rules_that_read_no_age_run() -> None:
    # A fever at 2 months is an emergency of its own; without the age it is not judged,
    # and the spasm series is not either: the warning sign alone answers.
    febrile = ep(red_flags=["rash"], fever_c=38.5, started_at=at(1))
    data = case(None, febrile, spasm_series(started_at=at(2)))
    result = triage(parse_case(data, age_optional=True), now=NOW)
    assert {r.rule for r in result.reasons} == {"red-flag-rash"}
    aged = triage(case(2, febrile, spasm_series(started_at=at(2))), now=NOW)
    assert {"red-flag-rash", "fever-under-3-months"} <= {r.rule for r in aged.reasons}
    # The other emergency rules read no age and still run.
    long = ep(red_flags=["rash"], movements=["rhythmic_jerking"], episode_minutes=6)
    result = triage(parse_case(case(None, long), age_optional=True), now=NOW)
    assert {"red-flag-rash", "seizure-5-minutes"} <= {r.rule for r in result.reasons}


def _age_free_fired(data: dict[str, Any], age: float) -> set[str]:
    child = {k: v for k, v in data["child"].items() if k != "birth_date"}
    facts = derive_facts(parse_case({**data, "child": {**child, "age_months": age}}), NOW)
    return {rule.id for rule in AGE_FREE_RULES if rule.predicate(facts)}


def test_the_age_free_rules_read_no_age() -> None:
    """Each rule run without the age fires the same at any age, on every vignette."""
    ages = (0.0, 0.5, 2.0, 2.9, 3.0, 6.0, 18.0, 30.0, 100.0, 216.0)
    checked = 0
    for name, data, _level in VIGNETTES:
        if not data.get("episodes"):
            continue
        fired = {age: _age_free_fired(data, age) for age in ages}
        assert len({frozenset(v) for v in fired.values()}) == 1, name
        checked += 1
    assert checked >= 40
    # The one left out does read it.
    assert "fever-under-3-months" not in {r.id for r in AGE_FREE_RULES}
    fever = case(None, ep(fever_c=38.5, red_flags=["rash"]))
    fires = {
        age: any(
            r.rule == "fever-under-3-months"
            for r in triage(case(age, *fever["episodes"]), now=NOW).reasons
        )
        for age in (2.9, 3.0)
    }
    assert fires == {2.9: True, 3.0: False}


def test_the_notes_that_apply_are_joined() -> None:
    """An answer's note: each that applies, joined; none: no note. (The age's and the
    count's cannot both apply today: no rule that reads no age reads a count.)"""
    from spasmwatch.triage.engine import COUNT_NOT_GIVEN, _note

    assert _note(None, None) is None
    assert _note(AGE_NOT_GIVEN, None) == AGE_NOT_GIVEN
    assert _note(None, COUNT_NOT_GIVEN) == COUNT_NOT_GIVEN
    assert _note(AGE_NOT_GIVEN, COUNT_NOT_GIVEN) == f"{AGE_NOT_GIVEN} {COUNT_NOT_GIVEN}"
