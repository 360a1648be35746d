"""What a reason below an emergency answer says comes first
(:func:`spasmwatch.report.triage_words.does_not_lower`): the warning sign above where a
warning sign set the emergency, the emergency above where none did (a first seizure
happening now, a fever under 3 months), never a warning sign that is not there. Said
once: after the first reason below the answer's level, for it and those below it where
there are several, and nothing after the others."""

from __future__ import annotations

from spasmwatch.case import VOCABULARIES
from spasmwatch.report.triage_words import (
    DOES_NOT_LOWER,
    DOES_NOT_LOWER_EMERGENCY,
    DOES_NOT_LOWER_EMERGENCY_RULE,
    DOES_NOT_LOWER_MANY,
    WARNING_SIGN_RULES,
    does_not_lower,
)
from spasmwatch.testing.triage.casebuild import NOW, at, case, ep, seizure
from spasmwatch.triage import RULES, triage


def _said(result: object) -> dict[str, str]:
    return {
        r.rule: does_not_lower(result.level, r, result.reasons)  # type: ignore[attr-defined]
        for r in result.reasons  # type: ignore[attr-defined]
    }


def _first_below(result: object, words: str) -> dict[str, str]:
    """``words`` after the first of the reasons below ``result``'s level, "" after every
    other reason: what :func:`_said` is when each answer below has two or more such
    reasons (checked), so the words are those for "this reason and those below it"."""
    level, reasons = result.level, result.reasons  # type: ignore[attr-defined]
    below = [r.rule for r in reasons if (r.lowered_to or r.level) != level]
    assert len(below) >= 2
    return {r.rule: words if r.rule == below[0] else "" for r in reasons}


def test_the_words_for_several_reasons_below() -> None:
    assert DOES_NOT_LOWER_MANY == {
        DOES_NOT_LOWER_EMERGENCY: "(This reason and those below it do not lower the answer: "
        "the warning sign above comes first.)",
        DOES_NOT_LOWER_EMERGENCY_RULE: "(This reason and those below it do not lower the "
        "answer: the emergency above comes first.)",
        DOES_NOT_LOWER: "(This reason and those below it do not lower the answer.)",
    }


def test_the_warning_sign_rules_are_the_red_flags_and_the_long_seizure() -> None:
    rules = {r.id: r for r in RULES}
    assert set(rules) >= WARNING_SIGN_RULES
    assert all(rules[rule].level == "emergency" for rule in WARNING_SIGN_RULES)
    assert len(WARNING_SIGN_RULES) == len(VOCABULARIES["red_flags"]) + 1
    assert "seizure-5-minutes" in WARNING_SIGN_RULES
    not_signs = {"first-seizure-now", "seizure-now", "fever-under-3-months"}
    assert not_signs <= set(rules) and not (not_signs & WARNING_SIGN_RULES)


def test_a_first_seizure_now_names_the_emergency_and_a_warning_sign_names_itself() -> None:
    now = triage(case(8, seizure(started_at=at(0.2))), now=NOW)
    assert now.level == "emergency"
    said = _said(now)
    assert said["first-seizure-now"] == ""
    # said once, after the first of the reasons below, for them all
    assert said == _first_below(now, DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY_RULE])
    assert said["afebrile-seizure-under-2"] == DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY_RULE]
    assert said["first-seizure"] == ""
    # the same from the stored answer's data
    data = now.to_dict()
    assert [does_not_lower(data["level"], r, data["reasons"]) for r in data["reasons"]] == list(
        said.values()
    )
    # blue lips with it: a warning sign set the emergency too, and is named
    blue = triage(case(8, seizure(started_at=at(0.2), red_flags=["blue_or_grey"])), now=NOW)
    said = _said(blue)
    assert said["red-flag-blue-or-grey"] == ""
    assert said == _first_below(blue, DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY])
    # a seizure of 5 minutes or more is a warning sign of the list, ticked or not
    long = triage(case(8, seizure(episode_minutes=6, started_at=at(30))), now=NOW)
    assert "seizure-5-minutes" in {r.rule for r in long.reasons}
    assert _said(long) == _first_below(long, DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY])


def test_a_fever_under_3_months_is_an_emergency_without_a_warning_sign() -> None:
    fever = ep(movements=["rhythmic_jerking"], fever_c=38.6, started_at=at(30))
    result = triage(case(2, fever), now=NOW)
    assert result.level == "emergency"
    rules = {r.rule for r in result.reasons if (r.lowered_to or r.level) == "emergency"}
    assert "fever-under-3-months" in rules and not (rules & WARNING_SIGN_RULES)
    said = _said(result)
    assert said == _first_below(result, DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY_RULE])
    assert said["first-seizure"] == DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY_RULE]


def test_other_levels_and_callers_without_the_reasons() -> None:
    fired = [{"rule": "first-seizure-now", "level": "emergency"}]
    assert does_not_lower("emergency", {"level": "soon"}, fired) == DOES_NOT_LOWER_EMERGENCY_RULE
    assert does_not_lower("emergency", {"level": "emergency"}, fired) == ""
    # a warning sign lowered below the emergency does not set it; the only reason below,
    # it says the single reason's words
    rash = {"rule": "red-flag-rash", "level": "emergency", "lowered_to": "soon"}
    lowered = [*fired, rash]
    assert does_not_lower("emergency", rash, lowered) == DOES_NOT_LOWER_EMERGENCY_RULE
    # with another reason below it: said once, after the first of them
    soon = {"rule": "febrile-seizure-simple", "level": "soon"}
    both = [*lowered, soon]
    assert [does_not_lower("emergency", r, both) for r in both] == [
        "",
        DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY_RULE],
        "",
    ]
    signs = [*fired, {"rule": "red-flag-rash", "level": "emergency"}]
    assert does_not_lower("emergency", {"level": "soon"}, signs) == DOES_NOT_LOWER_EMERGENCY
    signs_below = [*signs, rash, soon]
    assert [does_not_lower("emergency", r, signs_below) for r in signs_below] == [
        "",
        "",
        DOES_NOT_LOWER_MANY[DOES_NOT_LOWER_EMERGENCY],
        "",
    ]
    # below another level, the neutral words, whatever the reasons
    assert does_not_lower("same_day", {"level": "routine"}, signs) == DOES_NOT_LOWER
    day = [
        {"rule": "spasm-series", "level": "same_day"},
        {"rule": "lookalike-hiccups", "level": "routine"},
        {"rule": "lookalike-sleep-twitch", "level": "routine"},
    ]
    assert [does_not_lower("same_day", r, day) for r in day] == [
        "",
        DOES_NOT_LOWER_MANY[DOES_NOT_LOWER],
        "",
    ]
    assert [does_not_lower("same_day", r, day[:2]) for r in day[:2]] == ["", DOES_NOT_LOWER]
    # without the answer's reasons: the words as before
    assert does_not_lower("emergency", {"level": "soon"}) == DOES_NOT_LOWER_EMERGENCY
