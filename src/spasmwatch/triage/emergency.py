"""The emergency rules: warning signs, a seizure of 5 minutes or more, fever in a young
baby. Never lowered by anything."""

from __future__ import annotations

from spasmwatch.case import VOCABULARIES
from spasmwatch.triage import patterns as pt
from spasmwatch.triage.facts import EpisodeFacts, Facts
from spasmwatch.triage.predicates import FEVER_ADVICE, FEVER_EMERGENCY_MAX_AGE_MONTHS, STATUS_MIN_S
from spasmwatch.triage.rule import Rule, Weight, each
from spasmwatch.triage.spasms import spasms_besides

_RED_FLAG_REASONS = {
    "breathing_difficulty": "The baby had difficulty breathing.",
    "blue_or_grey": "The baby turned blue or grey.",
    "not_back_to_normal": "The baby was not back to normal afterwards (within about an hour).",
    "vomiting": "The baby vomited with the episode.",
    "neck_stiffness": "The baby had a stiff neck, which can be a sign of meningitis.",
    "extreme_sleepiness": "The baby was extremely sleepy and hard to wake.",
    "injury": "The baby was injured during the episode.",
    "head_injury": "The baby hit their head.",
    "rash": "The baby had a rash that does not fade under a pressed glass (possible sepsis).",
    "seizure_5_minutes": (
        "A seizure went on for 5 minutes or more. Seizures this long need emergency treatment "
        "to stop them, whatever the movements looked like."
    ),
}
#: The source of each red flag's rule, where it is not the general emergency guidance
#: (NICE NG143 and the NHS website's "What to do if someone has a seizure (fit)"): the
#: seed article on sleep twitches names four of the signs, NICE NG143 the colour.
_RED_FLAG_SOURCES = {
    "breathing_difficulty": "emergency-seed",
    "vomiting": "emergency-seed",
    "neck_stiffness": "emergency-seed",
    "extreme_sleepiness": "emergency-seed",
    "blue_or_grey": "emergency-colour",
    "seizure_5_minutes": "status",
}
#: What a red flag's rule suggests besides an emergency assessment: the warning sign "a
#: seizure that went on for 5 minutes or more" is a long seizure, which its rule says for
#: the episodes that carry it (``seizure-5-minutes`` leaves them to it).
_RED_FLAG_SUGGESTS: dict[str, tuple[tuple[str, Weight], ...]] = {
    "seizure_5_minutes": (("prolonged_seizure", "high"),),
}
if set(_RED_FLAG_REASONS) != set(VOCABULARIES["red_flags"]):  # pragma: no cover
    raise RuntimeError("every red flag needs its emergency rule")


def _flagged_long(e: EpisodeFacts) -> bool:
    """The episode carries the warning sign ``seizure_5_minutes``: its red-flag rule says
    the long seizure, an emergency too, so ``seizure-5-minutes`` does not say it again."""
    return "seizure_5_minutes" in e.episode.red_flags


#: The diary's episodes with seizure signs (read, as every emergency rule reads them,
#: whatever benign features come with them): one makes a seizure happening now a first
#: seizure, more make it a repeat of seizures not yet known to the doctors.
_SEIZURE_SIGNS = each(lambda e: e.seizure_signs)


def _first_seizure_in_diary(f: Facts) -> bool:
    """The diary holds one episode with seizure signs, no spasm-like episode besides it
    (spasms are seizures too: :func:`~spasmwatch.triage.spasms.spasms_besides`), and no
    seizures are known to the doctors: a seizure happening now is a first one."""
    if f.known_seizures:
        return False
    signs = _SEIZURE_SIGNS(f)
    return len(signs) == 1 and not spasms_besides(f, signs)


def _seizures_before_in_diary(f: Facts) -> bool:
    """The diary holds episodes with seizure signs, and more than one of them or
    spasm-like episodes besides them, in a child with no seizures known to the doctors: a
    seizure happening now is not a first one."""
    if f.known_seizures:
        return False
    signs = _SEIZURE_SIGNS(f)
    return len(signs) > 1 or (len(signs) == 1 and spasms_besides(f, signs))


def _red_flag_rule(flag: str) -> Rule:
    return Rule(
        id="red-flag-" + flag.replace("_", "-"),
        level="emergency",
        group="emergency",
        reason=_RED_FLAG_REASONS[flag] + " This is a warning sign that needs help now.",
        source=_RED_FLAG_SOURCES.get(flag, "emergency"),
        predicate=each(lambda e: flag in e.episode.red_flags),
        suggests=(("needs_emergency_assessment", "high"), *_RED_FLAG_SUGGESTS.get(flag, ())),
    )


EMERGENCY_RULES: tuple[Rule, ...] = (
    *(_red_flag_rule(flag) for flag in VOCABULARIES["red_flags"]),
    Rule(
        "seizure-5-minutes",
        "emergency",
        "emergency",
        "A seizure-like episode (or one whose movements were not seen) lasted 5 minutes or "
        "more. Seizures this long need emergency treatment to stop them.",
        "status",
        each(
            lambda e: (
                (e.seizure_signs or not e.moves)
                and (e.duration_s or 0.0) >= STATUS_MIN_S
                and not _flagged_long(e)
            )
        ),
        suggests=(("prolonged_seizure", "high"),),
    ),
    Rule(
        "seizures-without-recovery",
        "emergency",
        "emergency",
        "Seizure-like episodes followed one another without the baby recovering in between.",
        "status",
        lambda f: pt.repeated_without_recovery(f, lambda e: e.seizure_signs),
        suggests=(("prolonged_seizure", "high"),),
    ),
    Rule(
        "fever-under-3-months",
        "emergency",
        "emergency",
        "A baby under 3 months with a temperature of 38.0 °C or more needs to be seen "
        "urgently, even if they otherwise seem well.",
        "emergency",
        each(lambda e: e.fever and e.age_months < FEVER_EMERGENCY_MAX_AGE_MONTHS),
        advice=FEVER_ADVICE,
        suggests=(("serious_infection", "medium"),),
    ),
    Rule(
        "first-seizure-now",
        "emergency",
        "emergency",
        "This looks like a first seizure and it is happening now or has just happened "
        "(within the last hour).",
        "first-seizure",
        each(
            lambda e: e.seizure_signs,
            then=lambda f, e: pt.recent(f, e),
            when=_first_seizure_in_diary,
        ),
        suggests=(("epileptic_seizure", "medium"),),
    ),
    Rule(
        "seizure-now",
        "emergency",
        "emergency",
        "This looks like a seizure and it is happening now or has just happened (within the "
        "last hour). The diary holds other seizure-like or spasm-like episodes, and no "
        "seizures are known to the doctors yet.",
        "seizure-now",
        each(
            lambda e: e.seizure_signs,
            then=lambda f, e: pt.recent(f, e),
            when=_seizures_before_in_diary,
        ),
        suggests=(("epileptic_seizure", "medium"),),
    ),
)

#: The emergency rules that read no age, all but the fever rule: a case whose child's age
#: is not given (only with a warning sign, :func:`~spasmwatch.case.parse_case`'s
#: ``age_optional``) is triaged by these alone, as a warning sign is an emergency at any age.
AGE_FREE_RULES: tuple[Rule, ...] = tuple(
    rule for rule in EMERGENCY_RULES if rule.id != "fever-under-3-months"
)
