"""What a reason below an emergency answer says comes first
(:func:`spasmwatch.report.triage_words.does_not_lower`): the warning sign above where a
warning sign set the emergency, the emergency above where none did (a first seizure
happening now, a fever under 3 months), never a warning sign that is not there."""

from __future__ import annotations

from spasmwatch.case import VOCABULARIES
from spasmwatch.report.triage_words import (
    DOES_NOT_LOWER,
    DOES_NOT_LOWER_EMERGENCY,
    DOES_NOT_LOWER_EMERGENCY_RULE,
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
    lower = [rule for rule, words in said.items() if words]
    assert lower and all(said[rule] == DOES_NOT_LOWER_EMERGENCY_RULE for rule in lower)
    # the same from the stored answer's data
    data = now.to_dict()
    assert [does_not_lower(data["level"], r, data["reasons"]) for r in data["reasons"]] == list(
        said.values()
    )
    # blue lips with it: a warning sign set the emergency too, and is named
    blue = triage(case(8, seizure(started_at=at(0.2), red_flags=["blue_or_grey"])), now=NOW)
    said = _said(blue)
    assert said["red-flag-blue-or-grey"] == ""
    assert {words for words in said.values() if words} == {DOES_NOT_LOWER_EMERGENCY}
    # a seizure of 5 minutes or more is a warning sign of the list, ticked or not
    long = triage(case(8, seizure(episode_minutes=6, started_at=at(30))), now=NOW)
    assert "seizure-5-minutes" in {r.rule for r in long.reasons}
    assert {w for w in _said(long).values() if w} == {DOES_NOT_LOWER_EMERGENCY}


def test_a_fever_under_3_months_is_an_emergency_without_a_warning_sign() -> None:
    fever = ep(movements=["rhythmic_jerking"], fever_c=38.6, started_at=at(30))
    result = triage(case(2, fever), now=NOW)
    assert result.level == "emergency"
    rules = {r.rule for r in result.reasons if (r.lowered_to or r.level) == "emergency"}
    assert "fever-under-3-months" in rules and not (rules & WARNING_SIGN_RULES)
    words = {w for w in _said(result).values() if w}
    assert words == {DOES_NOT_LOWER_EMERGENCY_RULE}


def test_other_levels_and_callers_without_the_reasons() -> None:
    fired = [{"rule": "first-seizure-now", "level": "emergency"}]
    assert does_not_lower("emergency", {"level": "soon"}, fired) == DOES_NOT_LOWER_EMERGENCY_RULE
    assert does_not_lower("emergency", {"level": "emergency"}, fired) == ""
    # a warning sign lowered below the emergency does not set it
    lowered = [*fired, {"rule": "red-flag-rash", "level": "emergency", "lowered_to": "soon"}]
    assert does_not_lower("emergency", {"level": "soon"}, lowered) == (
        DOES_NOT_LOWER_EMERGENCY_RULE
    )
    signs = [*fired, {"rule": "red-flag-rash", "level": "emergency"}]
    assert does_not_lower("emergency", {"level": "soon"}, signs) == DOES_NOT_LOWER_EMERGENCY
    # below another level, the neutral words, whatever the reasons
    assert does_not_lower("same_day", {"level": "routine"}, signs) == DOES_NOT_LOWER
    # without the answer's reasons: the words as before
    assert does_not_lower("emergency", {"level": "soon"}) == DOES_NOT_LOWER_EMERGENCY
