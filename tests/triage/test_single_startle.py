"""A single startle while awake: most often the startle (Moro) reflex, said with what would
point to spasms instead; never lowers a case with spasm features or a warning sign."""

from __future__ import annotations

from typing import Any

from spasmwatch.report.triage_words import family_advice
from spasmwatch.testing.triage.casebuild import NOW, at, case, ep, spasm_series
from spasmwatch.triage import RULES, triage
from spasmwatch.triage.concerns import STARTLE_OR_SPASMS_ADVICE
from spasmwatch.triage.engine import COUNT_NOT_GIVEN

#: The case as a family logs it: a 5-month-old, one startle, awake, nothing set it off.
ONE_STARTLE: dict[str, Any] = {
    "child": {"age_months": 5},
    "episodes": [
        {
            "started_at": "2026-11-21T10:00:00",
            "count": 1,
            "movements": ["startle"],
            "state": "awake",
        }
    ],
}


def _rules(result: Any) -> set[str]:
    return {r.rule for r in result.reasons}


def test_a_single_startle_names_the_moro_reflex_and_what_points_to_spasms() -> None:
    result = triage(ONE_STARTLE, now=NOW)
    assert result.level == "soon"
    assert _rules(result) == {"single-startle-awake"}
    (reason,) = result.reasons
    # what it could be: the startle (Moro) reflex first, infantile spasms after it
    names = [(p.name, p.weight) for p in result.possibilities]
    assert names == [("startle_reflex", "medium"), ("infantile_spasms", "low")]
    assert "startle (Moro) reflex" in result.possibilities[0].label
    assert "unclear" not in {p.name for p in result.possibilities}
    # what would point to spasms instead: a series, one every few seconds, on waking
    for words in ("startle (Moro) reflex", "in a series", "every few seconds", "after waking"):
        assert words in reason.text, words
    assert "Moro Reflex" in reason.source and "Epileptic spasms" in reason.source
    assert STARTLE_OR_SPASMS_ADVICE in result.advice
    assert result.note is None  # the count was given
    # the family's list says each thing once: one filming line
    said = family_advice(result.level, result.advice)
    assert sum(line.startswith("Film the next") for line in said) == 1
    assert STARTLE_OR_SPASMS_ADVICE in said


def test_a_startle_with_no_count_says_it_was_read_as_one() -> None:
    result = triage(case(5, ep(movements=["startle"], state="awake")), now=NOW)
    (reason,) = result.reasons
    assert reason.rule == "single-startle-awake" and "single" not in reason.text
    assert "when it comes once" in reason.text and result.note == COUNT_NOT_GIVEN


def test_a_startle_after_a_noise_stays_harmless() -> None:
    """The look-alike speaks for a startle that a noise, touch or change of position set
    off: ``routine``, as before; the new rule does not raise it."""
    result = triage(
        case(5, ep(movements=["startle"], state="awake", count=1, triggers=["noise_or_touch"])),
        now=NOW,
    )
    assert result.level == "routine"
    assert _rules(result) == {"lookalike-startle"}


def test_the_level_is_never_lowered_by_the_startle() -> None:
    """Spasm features and warning signs keep their level, and the startle reflex is not
    offered beside them."""
    cases: list[tuple[str, str, dict[str, Any]]] = [
        (
            "a series of spasm-like movements with a startle, on waking",
            "same_day",
            case(5, spasm_series(movements=["startle", "arms_up"], state="just_woke", count=6)),
        ),
        (
            "two in a row on waking already count as spasms",
            "same_day",
            case(5, ep(movements=["startle", "arms_up"], state="just_woke", count=2)),
        ),
        (
            "a baby with tuberous sclerosis",
            "same_day",
            case(
                5,
                ep(movements=["startle", "arms_up"], state="awake", count=1),
                conditions=["tuberous_sclerosis"],
            ),
        ),
        (
            "a warning sign",
            "emergency",
            case(
                5,
                ep(
                    movements=["startle"],
                    state="awake",
                    count=1,
                    red_flags=["breathing_difficulty"],
                ),
            ),
        ),
    ]
    for what, level, data in cases:
        result = triage(data, now=NOW)
        assert result.level == level, what
        assert "single-startle-awake" not in _rules(result), what
        assert "startle_reflex" not in {p.name for p in result.possibilities}, what


def test_the_startle_and_an_unexplained_movement_each_get_their_reason() -> None:
    """The fallbacks speak in order: the startle's rule for the startle, the unexplained
    movements' for the rest, each on its own episode."""
    data = case(
        5,
        ep(movements=["startle"], state="awake", count=1, started_at=at(30)),
        ep(movements=["facial_twitch"], state="awake", count=1, started_at=at(3)),
    )
    result = triage(data, now=NOW)
    by_rule = {r.rule: r.episodes for r in result.reasons}
    assert by_rule == {"single-startle-awake": [0], "unexplained-movements": [1]}
    assert result.level == "soon"


def test_the_new_rule_is_a_soon_fallback_listed_before_the_unexplained_movements() -> None:
    ids = [r.id for r in RULES if r.fallback]
    assert ids == ["single-startle-awake", "unexplained-movements"]
    rule = next(r for r in RULES if r.id == "single-startle-awake")
    assert (rule.level, rule.group) == ("soon", "concern")
