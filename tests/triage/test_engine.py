"""How the engine combines rules: lowering, titles, advice, possibilities, wording."""

from __future__ import annotations

import re

from spasmwatch.testing.triage.casebuild import NOW, case, ep, seizure, spasm_series
from spasmwatch.triage import RULES, RULES_VERSION, triage
from spasmwatch.triage.engine import NOT_A_DIAGNOSIS, NOTHING_LOGGED, POSSIBILITY_LABELS


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
    result = triage(case(4, ep(movements=["hiccups"])), now=NOW)
    assert result.level == "routine"
    assert any("sooner if" in line for line in result.advice)


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
