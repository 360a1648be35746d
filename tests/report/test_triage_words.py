"""The words around a triage answer (:mod:`spasmwatch.report.triage_words`): the advice a
page lists under an answer, and what a reason below the answer's level says after it."""

from __future__ import annotations

from spasmwatch.report.triage_words import (
    DOES_NOT_LOWER,
    DOES_NOT_LOWER_EMERGENCY,
    does_not_lower,
    family_advice,
)
from spasmwatch.testing.triage.casebuild import NOW, at, case, ep, seizure, spasm_series
from spasmwatch.triage import triage
from spasmwatch.triage.engine import (
    BASE_ADVICE,
    CALL_NOW,
    FIRST_AID_NOW,
    NOT_A_DIAGNOSIS,
    SAME_DAY_BESIDE_EMERGENCY,
    past_warning_sign,
)
from spasmwatch.triage.predicates import FEVER_ADVICE


def test_a_past_warning_sign_lists_no_first_aid_for_now() -> None:
    """Worded as past, an emergency's list leaves out the first aid for a seizure going on
    now and "give no food"; worded as now, it keeps them; other levels are unchanged."""
    advice = [*BASE_ADVICE["emergency"], *FEVER_ADVICE, NOT_A_DIAGNOSIS]
    now = family_advice("emergency", advice)
    assert now == [*FIRST_AID_NOW, *FEVER_ADVICE, NOT_A_DIAGNOSIS]
    past = family_advice("emergency", advice, past=True)
    assert past == [*FEVER_ADVICE, NOT_A_DIAGNOSIS]
    assert CALL_NOW not in past and not any("food" in line for line in past)
    assert BASE_ADVICE["emergency"][1:] == FIRST_AID_NOW
    for level in ("same_day", "soon", "routine"):
        lines = [*BASE_ADVICE[level], NOT_A_DIAGNOSIS]
        assert family_advice(level, lines, False, past=True) == family_advice(level, lines, False)


def test_a_past_warning_sign_keeps_the_same_day_step_of_a_spasm_series() -> None:
    """Not back to normal 5 days ago, then a cluster of spasms on waking: the engine's
    emergency advice says "contact your doctor today" right after its own lines; the
    family's list keeps it under the past warning sign, in place of the first aid, and
    leaves it out while the warning sign is worded as now (the call covers it)."""
    sign = ep(
        movements=["head_nod"],
        movement_seconds=1,
        count=5,
        interval_seconds=12,
        after=["slow_to_recover"],
        red_flags=["not_back_to_normal"],
        started_at=at(5 * 24),
    )
    cluster = spasm_series(state="just_woke", count=11, interval_seconds=9, started_at=at(0.5))
    result = triage(case(8, sign, cluster), now=NOW)
    assert result.level == "emergency" and past_warning_sign(result, NOW) is not None
    assert "spasm-series" in {r.rule for r in result.reasons if r.level == "same_day"}
    base = list(BASE_ADVICE["emergency"])
    assert result.advice[: len(base) + 1] == [*base, SAME_DAY_BESIDE_EMERGENCY]
    assert result.advice.count(SAME_DAY_BESIDE_EMERGENCY) == 1
    past = family_advice("emergency", result.advice, past=True)
    now = family_advice("emergency", result.advice, past=False)
    assert past[0] == SAME_DAY_BESIDE_EMERGENCY and past.count(SAME_DAY_BESIDE_EMERGENCY) == 1
    assert SAME_DAY_BESIDE_EMERGENCY not in now
    assert now == [*FIRST_AID_NOW, *past[1:]]
    # a warning sign with no reason beside it: the engine does not add the line
    alone = triage(case(8, ep(red_flags=["not_back_to_normal"], started_at=at(5 * 24))), now=NOW)
    assert [(r.rule, r.level) for r in alone.reasons] == [
        ("red-flag-not-back-to-normal", "emergency")
    ]
    assert SAME_DAY_BESIDE_EMERGENCY not in alone.advice
    assert SAME_DAY_BESIDE_EMERGENCY not in family_advice("emergency", alone.advice, past=True)


def test_a_reason_below_the_answer_says_it_does_not_lower_it() -> None:
    """Blue lips with a febrile seizure: the simple febrile seizure ("Within days") and
    the first seizure ("Today") say that they do not lower the emergency; the warning
    sign says nothing more. In a same-day answer, a routine look-alike says the neutral
    words; a lowered concern is read at the level it was lowered to."""
    blue = ep(
        movements=["rhythmic_jerking"],
        responsive="no",
        episode_minutes=3,
        fever_c=39.0,
        red_flags=["blue_or_grey"],
    )
    result = triage(case(14, blue), now=NOW)
    said = {r.rule: does_not_lower(result.level, r) for r in result.reasons}
    assert said["red-flag-blue-or-grey"] == ""
    assert said["febrile-seizure-simple"] == DOES_NOT_LOWER_EMERGENCY
    # the same from the stored answer's data
    data = result.to_dict()
    assert [does_not_lower(data["level"], r) for r in data["reasons"]] == list(said.values())
    assert does_not_lower("same_day", {"level": "routine"}) == DOES_NOT_LOWER
    assert does_not_lower("same_day", {"level": "same_day"}) == ""
    assert does_not_lower("same_day", {"level": "same_day", "lowered_to": "soon"}) == (
        DOES_NOT_LOWER
    )
    assert does_not_lower("soon", {"level": "same_day", "lowered_to": "soon"}) == ""
    # a seizure now: every reason at the answer's level says nothing more
    now = triage(case(30, seizure(started_at=at(0.2))), now=NOW)
    top = [r for r in now.reasons if (r.lowered_to or r.level) == now.level]
    assert top and all(does_not_lower(now.level, r) == "" for r in top)
