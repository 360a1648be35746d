"""The triage rules: data, not if-chains.

Each :class:`Rule` has an id, the level it asks for, a group, a plain-language reason, a
source from the clinical reference (``docs/clinical-reference.md``), and a predicate over
:class:`~spasmwatch.triage.facts.Facts`. A predicate returns the indices of the episodes
it is about (a rule about episodes), or a bool (a rule about the child as a whole).

Groups, and how the engine combines them:

``emergency``
    Red flags, the 5-minute rule and the like. Never lowered by anything.
``spasm``
    Infantile-spasm patterns. Never lowered: benign myoclonus of early infancy and
    infantile spasms cannot be told apart without an EEG (clinical reference, section 3).
``concern``
    Other reasons to see a doctor. Where every episode behind such a rule is explained by
    a benign look-alike, the engine lowers it to ``soon`` ("see a doctor, bring a video"),
    never further, and only when no emergency or spasm rule fired.
``lookalike``
    Benign look-alikes (sleep twitches, jitteriness, hiccups, ...). They name what the
    movements may be and can make the answer ``routine`` when nothing else fired.

References
----------
.. [ILAE2022] ILAE, epilepsydiagnosis.org "Epileptic spasms" (2022); Zuberi et al.,
   Epilepsia 2022;63:1349 (IESS, onset 1-24 months).
.. [AAP2011] AAP, Febrile seizures, Pediatrics 2011;127:389 (fever >= 38.0 C, 6-60 months;
   complex: focal, >= 15 min, repeated within 24 h).
.. [ILAE2015] Trinka et al., Epilepsia 2015 (status epilepticus: >= 5 min).
.. [NICE] Seed 003; NICE NG143 (fever under 3 months; emergency signs).
"""

from __future__ import annotations

from spasmwatch.case import VOCABULARIES
from spasmwatch.triage import patterns as pt
from spasmwatch.triage.facts import SUBTLE_SPASM_MOVEMENTS, EpisodeFacts, Facts
from spasmwatch.triage.lookalikes import LOOKALIKE_RULES
from spasmwatch.triage.rule import LEVELS, SOURCES, Rule, each, level_rank

__all__ = ["LEVELS", "RULES", "RULES_VERSION", "SOURCES", "Rule", "level_rank"]

#: Changes whenever a rule, a threshold or a text changes; stored with every result.
RULES_VERSION = "1.2.0"

# ---------------------------------------------------------------- thresholds
#: Fever under 3 months of age is an emergency [NICE].
FEVER_EMERGENCY_MAX_AGE_MONTHS = 3.0
#: A convulsive seizure lasting 5 minutes or more is status epilepticus [ILAE2015].
STATUS_MIN_S = 5 * 60.0
#: Infantile epileptic spasms syndrome starts at 1-24 months [ILAE2022].
IESS_MIN_AGE_MONTHS = 1.0
IESS_MAX_AGE_MONTHS = 24.0
#: Febrile seizures occur at 6-60 months; complex from 15 minutes [AAP2011].
FEBRILE_MIN_AGE_MONTHS = 6.0
FEBRILE_MAX_AGE_MONTHS = 60.0
COMPLEX_FEBRILE_MIN_S = 15 * 60.0
#: Any afebrile seizure under 2 years needs same-day contact (NHS Scotland).
AFEBRILE_SAME_DAY_MAX_AGE_MONTHS = 24.0
#: On waking, two spasm-like movements in a row already count [ILAE2022].
WAKING_SERIES_MIN_COUNT = 2
#: One-sided twitching that goes on this long is a focal seizure sign: far longer than any
#: single twitch, grimace or tic (under 3 s; seed 002's facial spasms last 0.5-3 s), the
#: length of a focal clonic seizure (ILAE; self-limited epilepsy with centrotemporal
#: spikes: one side of the face twitching for a minute or two, awareness often kept).
FOCAL_TWITCHING_MIN_S = 30.0
#: Twitching movements that, on one side and lasting, make a focal motor seizure.
TWITCHING_MOVEMENTS = frozenset({"facial_twitch", "limb_jerk", "rhythmic_jerking"})
#: Exaggerated startle with stiffness in the first year: hyperekplexia (GeneReviews).
HYPEREKPLEXIA_MAX_AGE_MONTHS = 12.0
#: Conditions that make infantile spasms more likely (seeds 000, 001; StatPearls).
RISK_CONDITIONS = frozenset(
    {
        "tuberous_sclerosis",
        "down_syndrome",
        "brain_injury",
        "brain_malformation",
        "genetic_syndrome",
    }
)


def infant(e: EpisodeFacts) -> bool:
    """Aged 1-24 months at the episode: the age of infantile spasms."""
    return IESS_MIN_AGE_MONTHS <= e.age_months <= IESS_MAX_AGE_MONTHS


def spasm_series(e: EpisodeFacts) -> bool:
    """A series of brief spasm-like movements, awake, drowsy or on waking."""
    return e.spasm_type and e.series and e.spasm_duration and e.episode.state != "asleep"


def spasm_or_subtle(e: EpisodeFacts) -> bool:
    """Any spasm-like movement, including the subtle forms."""
    return e.spasm_type or bool(e.moves & SUBTLE_SPASM_MOVEMENTS)


def waking_pattern(f: Facts) -> frozenset[int]:
    """Spasm-like episodes of an infant, mostly (and at least twice) on waking."""
    share, waking = pt.waking_share(f, lambda e: spasm_or_subtle(e) and infant(e))
    if share >= pt.WAKING_SHARE_MIN and len(waking) >= pt.WAKING_MIN_EPISODES:
        return waking
    return frozenset()


def known_typical(f: Facts, e: EpisodeFacts) -> bool:
    """A child's usual, already diagnosed seizure with full recovery."""
    known = f.conditions & {"epilepsy", "previous_seizures"}
    return bool(known) and e.episode.typical_for_child == "yes" and e.recovered


def febrile_seizure(e: EpisodeFacts) -> bool:
    """A seizure-like episode with a temperature of 38.0 C or more."""
    return e.seizure_like and e.fever


SPASM_ADVICE = (
    "Film the next episode from its start, with the baby's whole body and face in view, "
    "and show it to the doctor (STOP: See the signs, Take a video, Obtain a diagnosis, "
    "Prioritise treatment).",
    "Ask the doctor for an EEG (a recording of brain waves) that includes sleep, within the "
    "next few days, and say that you are worried about infantile spasms.",
    "Keep the diary: when each series happened, how many movements, and whether the baby "
    "was just waking up.",
)
SEIZURE_ADVICE = (
    "Write down when it started, how long it lasted and what the baby did afterwards; "
    "film any further episode.",
    "If an episode lasts 5 minutes or more, or the baby does not recover, call emergency services.",
)
FEVER_ADVICE = ("A baby with a fever needs to be checked for the cause of the fever as well.",)

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
#: The source of each red flag's rule, where it is not the general emergency guidance.
_RED_FLAG_SOURCES = {"seizure_5_minutes": "status"}
if set(_RED_FLAG_REASONS) != set(VOCABULARIES["red_flags"]):  # pragma: no cover
    raise RuntimeError("every red flag needs its emergency rule")


def _red_flag_rule(flag: str) -> Rule:
    return Rule(
        id="red-flag-" + flag.replace("_", "-"),
        level="emergency",
        group="emergency",
        reason=_RED_FLAG_REASONS[flag] + " This is a warning sign that needs help now.",
        source=_RED_FLAG_SOURCES.get(flag, "emergency"),
        predicate=each(lambda e: flag in e.episode.red_flags),
        suggests=(("needs_emergency_assessment", "high"),),
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
        each(lambda e: (e.seizure_signs or not e.moves) and (e.duration_s or 0.0) >= STATUS_MIN_S),
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
        "A baby under 3 months with a temperature of 38.0 C or more needs to be seen "
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
        lambda f: f.where(lambda e: e.seizure_signs and not f.known_seizures and pt.recent(f, e)),
        suggests=(("epileptic_seizure", "medium"),),
    ),
)

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
        lambda f: (
            f.where(spasm_or_subtle) if f.case.child.development == "lost_skills" else frozenset()
        ),
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
        lambda f: (
            f.where(lambda e: spasm_or_subtle(e) and e.age_months <= IESS_MAX_AGE_MONTHS)
            if f.conditions & RISK_CONDITIONS
            else frozenset()
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
        lambda f: f.where(spasm_or_subtle) if "infantile_spasms" in f.conditions else frozenset(),
        advice=SPASM_ADVICE,
        suggests=(("infantile_spasms_relapse", "high"),),
    ),
)

CONCERN_RULES: tuple[Rule, ...] = (
    Rule(
        "lost-skills",
        "same_day",
        "concern",
        "The baby has lost skills they had (regression). This always needs a doctor's "
        "assessment today, and can be a sign of infantile spasms.",
        "same-day",
        lambda f: f.case.child.development == "lost_skills",
        advice=("Write down which skills were lost and when you first noticed.",),
        suggests=(("developmental_regression", "high"),),
    ),
    Rule(
        "afebrile-seizure-under-2",
        "same_day",
        "concern",
        "A seizure-like episode without fever in a child under 2 years needs a doctor today.",
        "same-day",
        lambda f: f.where(
            lambda e: (
                e.seizure_like
                and not e.fever
                and e.age_months < AFEBRILE_SAME_DAY_MAX_AGE_MONTHS
                and not known_typical(f, e)
            )
        ),
        advice=SEIZURE_ADVICE,
        suggests=(("epileptic_seizure", "medium"),),
    ),
    Rule(
        "sleep-jerks-go-on-when-woken",
        "same_day",
        "concern",
        "Jerks in sleep that went on after the baby was woken are not harmless sleep twitches "
        "(those stop as soon as the baby wakes); in a child under 2 years this needs a doctor "
        "today.",
        "epileptic-features",
        each(
            lambda e: (
                e.episode.state in ("asleep", "drowsy")
                and e.episode.stops_when_woken == "no"
                and e.age_months < AFEBRILE_SAME_DAY_MAX_AGE_MONTHS
            )
        ),
        advice=SEIZURE_ADVICE,
        suggests=(("epileptic_seizure", "medium"),),
    ),
    Rule(
        "focal-seizure",
        "same_day",
        "concern",
        "The episode involved one side of the body or the eyes turning to one side (a focal "
        "seizure sign), which needs a doctor today.",
        "same-day",
        lambda f: f.where(lambda e: e.seizure_like and e.one_sided and not known_typical(f, e)),
        advice=SEIZURE_ADVICE,
        suggests=(("focal_seizure", "medium"),),
    ),
    Rule(
        "focal-twitching",
        "same_day",
        "concern",
        "Twitching or jerking of one side of the face or body that went on for half a minute "
        "or more is a sign of a focal seizure, even when the child stayed aware; it needs a "
        "doctor today.",
        "focal-motor",
        lambda f: f.where(
            lambda e: (
                e.episode.side in ("left", "right")
                and bool(e.moves & TWITCHING_MOVEMENTS)
                and (e.duration_s or 0.0) >= FOCAL_TWITCHING_MIN_S
                and not e.stopped_by_waking
                and not known_typical(f, e)
            )
        ),
        advice=SEIZURE_ADVICE,
        suggests=(("focal_seizure", "medium"),),
    ),
    Rule(
        "first-seizure",
        "same_day",
        "concern",
        "This looks like a first seizure. A first seizure needs a doctor's assessment today.",
        "first-seizure",
        lambda f: f.where(lambda e: e.seizure_like) if not f.known_seizures else frozenset(),
        advice=SEIZURE_ADVICE,
        suggests=(("epileptic_seizure", "medium"),),
    ),
    Rule(
        "seizure-recurrence-24h",
        "same_day",
        "concern",
        "More than one seizure-like episode happened within 24 hours.",
        "same-day",
        lambda f: pt.recurrence_within(f, lambda e: e.seizure_like),
        advice=SEIZURE_ADVICE,
        suggests=(("epileptic_seizure", "medium"),),
    ),
    Rule(
        "febrile-seizure-simple",
        "soon",
        "concern",
        "A short seizure with fever in a child aged 6 months to 5 years, affecting the whole "
        "body, is most often a simple febrile seizure, which is usually harmless; a doctor "
        "should still check the cause of the fever.",
        "febrile",
        lambda f: f.where(
            lambda e: (
                febrile_seizure(e)
                and FEBRILE_MIN_AGE_MONTHS <= e.age_months <= FEBRILE_MAX_AGE_MONTHS
                and not e.one_sided
                and (e.duration_s or 0.0) < COMPLEX_FEBRILE_MIN_S
                and (e.episode.count or 1) < 2
                and e.index not in pt.recurrence_within(f, febrile_seizure)
            )
        ),
        advice=FEVER_ADVICE,
        suggests=(("febrile_seizure_simple", "high"),),
    ),
    Rule(
        "febrile-seizure-under-6-months",
        "same_day",
        "concern",
        "A seizure with fever under 6 months of age is unusual and needs a doctor today.",
        "same-day",
        each(lambda e: febrile_seizure(e) and e.age_months < FEBRILE_MIN_AGE_MONTHS),
        advice=FEVER_ADVICE,
        suggests=(("febrile_seizure_complex", "medium"), ("serious_infection", "medium")),
    ),
    Rule(
        "febrile-seizure-focal",
        "same_day",
        "concern",
        "A seizure with fever that affected one side of the body is a complex febrile seizure.",
        "febrile",
        each(lambda e: febrile_seizure(e) and e.one_sided),
        advice=FEVER_ADVICE,
        suggests=(("febrile_seizure_complex", "high"),),
    ),
    Rule(
        "febrile-seizure-long",
        "same_day",
        "concern",
        "A seizure with fever that lasted 15 minutes or more is a complex febrile seizure.",
        "febrile",
        each(lambda e: febrile_seizure(e) and (e.duration_s or 0.0) >= COMPLEX_FEBRILE_MIN_S),
        advice=FEVER_ADVICE,
        suggests=(("febrile_seizure_complex", "high"),),
    ),
    Rule(
        "febrile-seizure-repeated",
        "same_day",
        "concern",
        "More than one seizure with fever within 24 hours is a complex febrile seizure.",
        "febrile",
        lambda f: (
            pt.recurrence_within(f, febrile_seizure)
            | f.where(lambda e: febrile_seizure(e) and (e.episode.count or 1) >= 2)
        ),
        advice=FEVER_ADVICE,
        suggests=(("febrile_seizure_complex", "high"),),
    ),
    Rule(
        "febrile-seizure-older",
        "same_day",
        "concern",
        "Febrile seizures are rare after 5 years of age; a seizure with fever at this age "
        "needs a doctor today.",
        "febrile",
        each(lambda e: febrile_seizure(e) and e.age_months > FEBRILE_MAX_AGE_MONTHS),
        advice=FEVER_ADVICE,
        suggests=(("epileptic_seizure", "medium"),),
    ),
    Rule(
        "known-epilepsy-typical",
        "soon",
        "concern",
        "The episode was the child's usual kind of seizure and they recovered fully. Tell "
        "the child's neurologist or epilepsy nurse in the next few days.",
        "first-seizure",
        lambda f: f.where(lambda e: known_typical(f, e)),
        suggests=(("known_epilepsy", "high"),),
    ),
    Rule(
        "known-epilepsy-different",
        "same_day",
        "concern",
        "The child has seizures already known to the doctors, but this episode was different "
        "from the usual ones. Tell the child's doctors today.",
        "first-seizure",
        lambda f: (
            f.where(lambda e: e.episode.typical_for_child == "no")
            if f.known_seizures
            else frozenset()
        ),
        advice=SEIZURE_ADVICE,
        suggests=(("new_seizure_type", "medium"),),
    ),
    Rule(
        "slow-recovery",
        "same_day",
        "concern",
        "The baby was slow to get back to normal afterwards, which favours a seizure over a "
        "harmless movement.",
        "epileptic-features",
        each(lambda e: "slow_to_recover" in e.episode.after),
        advice=SEIZURE_ADVICE,
        suggests=(("epileptic_seizure", "medium"),),
    ),
    Rule(
        "escalating",
        "same_day",
        "concern",
        "The movements are becoming more frequent from day to day.",
        "design",
        lambda f: pt.escalating(f, lambda e: e.index not in f.explained),
        advice=("Bring the diary: it shows the doctor how fast things are changing.",),
        suggests=(("unclear", "medium"),),
    ),
    Rule(
        "hyperekplexia-like",
        "soon",
        "concern",
        "A startle with stiffening of the whole body in the first year is not a normal "
        "startle and should be checked by a doctor (it can affect breathing).",
        "hyperekplexia",
        each(
            lambda e: (
                {"startle", "stiffening"} <= e.moves and e.age_months < HYPEREKPLEXIA_MAX_AGE_MONTHS
            )
        ),
        suggests=(("hyperekplexia", "medium"),),
    ),
    Rule(
        "development-slower",
        "soon",
        "concern",
        "The baby is reaching milestones later than expected; ask for a development check.",
        "regression",
        lambda f: f.case.child.development == "slower",
        suggests=(("developmental_delay", "medium"),),
    ),
    Rule(
        "unexplained-movements",
        "soon",
        "concern",
        "The movements do not match a clearly harmless pattern, so a doctor should see a "
        "video of them.",
        "epileptic-features",
        lambda f: f.where(lambda e: e.index not in f.explained),
        fallback=True,
        advice=(
            "Film the next episode and show it to the doctor; note whether it happens "
            "awake and asleep and whether holding the limb or waking the baby stops it.",
        ),
        suggests=(("unclear", "medium"),),
    ),
)

#: Every rule, in the order the documentation lists them.
RULES: tuple[Rule, ...] = EMERGENCY_RULES + SPASM_RULES + CONCERN_RULES + LOOKALIKE_RULES

if len({r.id for r in RULES}) != len(RULES):  # pragma: no cover
    raise RuntimeError("rule ids must be unique")
