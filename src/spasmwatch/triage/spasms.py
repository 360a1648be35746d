"""The infantile-spasm rules: never lowered (benign myoclonus of early infancy and infantile
spasms cannot be told apart without an EEG; clinical reference, section 3)."""

from __future__ import annotations

from spasmwatch.triage import patterns as pt
from spasmwatch.triage.facts import SUBTLE_SPASM_MOVEMENTS, Facts
from spasmwatch.triage.predicates import (
    IESS_MAX_AGE_MONTHS,
    RISK_CONDITIONS,
    SPASM_ADVICE,
    WAKING_SERIES_MIN_COUNT,
    infant,
    infant_startle_series,
    spasm_or_subtle,
    spasm_series,
    waking_pattern,
)
from spasmwatch.triage.rule import Rule, each

SPASM_RULES: tuple[Rule, ...] = (
    Rule(
        "spasm-series",
        "same_day",
        "spasm",
        "A series of brief (about 1-2 second) movements of the head, body, arms or legs in "
        "a baby aged 1-24 months is how infantile spasms usually look.",
        "ilae-spasms",
        each(lambda e: spasm_series(e) and infant(e)),
        advice=SPASM_ADVICE,
        suggests=(("infantile_spasms", "high"), ("benign_myoclonus_of_infancy", "low")),
    ),
    Rule(
        "spasm-series-outside-age",
        "same_day",
        "spasm",
        "A series of brief movements of the head, body or arms is unusual at this age and can "
        "be a kind of seizure.",
        "ilae-spasms",
        each(lambda e: spasm_series(e) and not infant(e)),
        advice=SPASM_ADVICE,
        suggests=(("epileptic_spasms_or_seizures", "medium"),),
    ),
    Rule(
        "startle-series",
        "same_day",
        "spasm",
        "What looked like startles came one after another, in a series. A single startle is "
        "a normal reflex, but infantile spasms are often taken for startles: they come in "
        "series, a few seconds apart, often just after waking.",
        "startles-in-series",
        each(infant_startle_series),
        advice=SPASM_ADVICE,
        suggests=(("infantile_spasms", "medium"),),
    ),
    Rule(
        "spasm-subtle-series",
        "same_day",
        "spasm",
        "Repeated head nods, grimaces or eyes rolling up in a series (with or without "
        "fluttering eyelids), even with nothing else, can be a subtle form of infantile "
        "spasms.",
        "ilae-spasms",
        each(
            lambda e: (
                e.moves <= SUBTLE_SPASM_MOVEMENTS | {"eyelid_flutter"}
                and bool(e.moves & SUBTLE_SPASM_MOVEMENTS)
                and e.series
                and e.spasm_duration
                and e.episode.state != "asleep"
                and infant(e)
            )
        ),
        advice=SPASM_ADVICE,
        suggests=(("infantile_spasms", "medium"),),
    ),
    Rule(
        "spasm-on-waking",
        "same_day",
        "spasm",
        "Spasm-like movements coming one after another just after waking are typical of "
        "infantile spasms.",
        "clusters",
        each(
            lambda e: (
                e.spasm_type
                and e.episode.state == "just_woke"
                and (e.episode.count or 1) >= WAKING_SERIES_MIN_COUNT
                and infant(e)
            )
        ),
        advice=SPASM_ADVICE,
        suggests=(("infantile_spasms", "high"),),
    ),
    Rule(
        "spasm-waking-pattern",
        "same_day",
        "spasm",
        "Most of the spasm-like episodes happened just after waking, a typical pattern of "
        "infantile spasms.",
        "clusters",
        waking_pattern,
        advice=SPASM_ADVICE,
        suggests=(("infantile_spasms", "high"),),
    ),
    Rule(
        "spasm-clusters-several-days",
        "same_day",
        "spasm",
        "Series of spasm-like movements happened on more than one day. Infantile spasms "
        "come back in clusters day after day.",
        "clusters",
        lambda f: pt.series_on_several_days(f, spasm_series),
        advice=SPASM_ADVICE,
        suggests=(("infantile_spasms", "high"),),
    ),
    Rule(
        "spasm-with-regression",
        "same_day",
        "spasm",
        "Spasm-like movements together with lost skills (regression) is a warning pattern of "
        "infantile spasms.",
        "regression",
        each(spasm_or_subtle, when=lambda f: f.case.child.development == "lost_skills"),
        advice=SPASM_ADVICE,
        suggests=(("infantile_spasms", "high"),),
    ),
    Rule(
        "spasm-risk-condition",
        "same_day",
        "spasm",
        "Babies with tuberous sclerosis, Down syndrome, a brain injury or malformation or a "
        "genetic syndrome are more likely to develop infantile spasms, so spasm-like "
        "movements need checking today.",
        "causes",
        each(
            lambda e: spasm_or_subtle(e) and e.age_months <= IESS_MAX_AGE_MONTHS,
            when=lambda f: bool(f.conditions & RISK_CONDITIONS),
        ),
        advice=SPASM_ADVICE,
        suggests=(("infantile_spasms", "high"),),
    ),
    Rule(
        "spasms-returning",
        "same_day",
        "spasm",
        "The baby has had infantile spasms before, and spasm-like movements may mean they "
        "are coming back. Tell the baby's doctors today.",
        "stop",
        each(spasm_or_subtle, when=lambda f: "infantile_spasms" in f.conditions),
        advice=SPASM_ADVICE,
        suggests=(("infantile_spasms_relapse", "high"),),
    ),
)


def spasm_episodes(f: Facts) -> frozenset[int]:
    """The diary's spasm-like episodes: those a spasm rule (:data:`SPASM_RULES`) speaks
    about.

    Epileptic spasms are seizures (ILAE 2022), so a seizure-like episode in a diary that
    also holds these is not a first seizure (:func:`spasms_besides`). Read as every spasm
    rule reads them: benign features do not take an episode out.
    """
    return f.once("spasm_episodes", _spasm_episodes)


def _spasm_episodes(f: Facts) -> frozenset[int]:
    found: set[int] = set()
    for rule in SPASM_RULES:
        match = rule.predicate(f)
        if not isinstance(match, bool):
            found |= match
    return frozenset(found)


def spasms_besides(f: Facts, episodes: frozenset[int]) -> bool:
    """Whether the diary holds spasm-like episodes (:func:`spasm_episodes`) other than
    ``episodes``: then a seizure among ``episodes`` is not the child's first one.

    A series of spasm-like movements that is itself seizure-like (with stiffening, say) is
    not "besides" itself: alone in the diary it is still a first seizure.
    """
    return bool(spasm_episodes(f) - episodes)
