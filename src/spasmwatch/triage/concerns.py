"""Other reasons to see a doctor (seizures, focal twitching, regression, ...): lowered to
``soon`` when every episode behind one is explained by a benign look-alike."""

from __future__ import annotations

from spasmwatch.triage import patterns as pt
from spasmwatch.triage.facts import EpisodeFacts, Facts
from spasmwatch.triage.lookalikes import MORO_MAX_AGE_MONTHS
from spasmwatch.triage.predicates import (
    AFEBRILE_SAME_DAY_MAX_AGE_MONTHS,
    COMPLEX_FEBRILE_MIN_S,
    FEBRILE_MAX_AGE_MONTHS,
    FEBRILE_MIN_AGE_MONTHS,
    FEVER_ADVICE,
    FOCAL_TWITCHING_MIN_S,
    HYPEREKPLEXIA_MAX_AGE_MONTHS,
    SEIZURE_ADVICE,
    SINGLE_STARTLE_MAX_COUNT,
    TWITCHING_MOVEMENTS,
    febrile_seizure,
    has_diagnosed_seizures,
    known_typical,
    only_seizure_like,
    seizure_like,
    seizures_more_than_once,
    typical_and_recovered,
)
from spasmwatch.triage.rule import Rule, each, not_drowsy_after, only
from spasmwatch.triage.spasms import spasm_episodes, spasms_besides

#: What the family is told to film and note where no rule more specific about it spoke
#: (``unexplained-movements``): the features that tell an epileptic event from a harmless
#: one (Epilepsy Foundation; clinical reference, section 3).
FILM_AND_NOTE_ADVICE = (
    "Film the next episode and show it to the doctor; note whether it happens awake and "
    "asleep and whether holding the limb or waking the baby stops it."
)

#: What a startle (Moro) reflex moves: the arms flung out, the legs drawn up (StatPearls,
#: "Moro Reflex"); the family names it a startle.
STARTLE_MOVEMENTS = frozenset({"startle", "arms_up", "legs_drawn_up"})
#: What would point to spasms rather than a startle (ILAE: clusters, one every few seconds,
#: typically just after waking), and the same-day contact they need (NHS Scotland:
#: suspected infantile spasms, same day).
STARTLE_OR_SPASMS_ADVICE = (
    "Contact a doctor today if the startles come in a series, one every few seconds, or "
    "just after the baby wakes up: that is how infantile spasms usually come."
)


def single_startle_awake(e: EpisodeFacts) -> bool:
    """One startle (:data:`SINGLE_STARTLE_MAX_COUNT`; a count not given is read as one)
    while awake, of a baby under 6 months (the age of the Moro reflex,
    :data:`~spasmwatch.triage.lookalikes.MORO_MAX_AGE_MONTHS`), responsive, and not
    sleepy or slow to recover afterwards (a feature that favours an epileptic event)."""
    return (
        "startle" in e.moves
        and only(e, STARTLE_MOVEMENTS)
        and e.episode.state == "awake"
        and (e.episode.count or 1) <= SINGLE_STARTLE_MAX_COUNT
        and e.age_months < MORO_MAX_AGE_MONTHS
        and e.episode.responsive != "no"
        and not_drowsy_after(e)
    )


def first_seizure(f: Facts) -> frozenset[int]:
    """The diary's only seizure-like episode (:func:`~.predicates.only_seizure_like`),
    when the diary holds no spasm-like episode besides it: spasms are seizures too, so
    beside them it is another kind (:func:`seizure_besides_spasms`), not a first one."""
    found = only_seizure_like(f)
    return found if found and not spasms_besides(f, found) else frozenset()


def seizure_besides_spasms(f: Facts) -> frozenset[int]:
    """The diary's only seizure-like episode (:func:`~.predicates.only_seizure_like`),
    when the diary also holds spasm-like episodes and it is not one of them: another kind
    of seizure beside the spasms. One that is itself spasm-like is the spasm rules' to
    speak about; two or more seizure-like episodes are ``seizure-more-than-once``'s and
    ``seizure-recurrence-24h``'s, as without spasms."""
    found = only_seizure_like(f)
    if not found:
        return frozenset()
    spasms = spasm_episodes(f)
    return found if spasms - found and not spasms & found else frozenset()


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
        "A seizure-like episode in a child under 2 years, with no fever recorded (no "
        "temperature of 38.0 °C or more), needs a doctor today.",
        "same-day",
        each(
            lambda e: (
                e.seizure_like and not e.fever and e.age_months < AFEBRILE_SAME_DAY_MAX_AGE_MONTHS
            ),
            then=lambda f, e: not known_typical(f, e),
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
        each(lambda e: e.seizure_like and e.one_sided, then=lambda f, e: not known_typical(f, e)),
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
        each(
            lambda e: (
                e.episode.side in ("left", "right")
                and bool(e.moves & TWITCHING_MOVEMENTS)
                and (e.duration_s or 0.0) >= FOCAL_TWITCHING_MIN_S
                and not e.stopped_by_waking
            ),
            then=lambda f, e: not known_typical(f, e),
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
        first_seizure,
        advice=SEIZURE_ADVICE,
        suggests=(("epileptic_seizure", "medium"),),
    ),
    Rule(
        "seizure-besides-spasms",
        "same_day",
        "concern",
        "Besides the spasm-like movements, the diary holds another kind of seizure-like "
        "episode. Spasms are a kind of seizure too, so this is not a first seizure, but a "
        "new kind of seizure needs a doctor's assessment today: tell the doctor about both.",
        "seizure-besides-spasms",
        seizure_besides_spasms,
        advice=SEIZURE_ADVICE,
        suggests=(("epileptic_seizure", "medium"),),
    ),
    Rule(
        "seizure-recurrence-24h",
        "same_day",
        "concern",
        "More than one seizure-like episode happened within 24 hours.",
        "same-day",
        lambda f: pt.recurrence_within(f, seizure_like),
        advice=SEIZURE_ADVICE,
        suggests=(("epileptic_seizure", "medium"),),
    ),
    Rule(
        "seizure-more-than-once",
        "same_day",
        "concern",
        "Seizure-like episodes have happened more than once, in a child with no seizures "
        "known to the doctors. Like a first seizure, this needs a doctor's assessment today.",
        "seizures-unassessed",
        seizures_more_than_once,
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
        each(
            lambda e: (
                febrile_seizure(e)
                and FEBRILE_MIN_AGE_MONTHS <= e.age_months <= FEBRILE_MAX_AGE_MONTHS
                and not e.one_sided
                and (e.duration_s or 0.0) < COMPLEX_FEBRILE_MIN_S
                and (e.episode.count or 1) < 2
            ),
            then=lambda f, e: e.index not in pt.recurrence_within(f, febrile_seizure),
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
        each(typical_and_recovered, when=has_diagnosed_seizures),
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
        "single-startle-awake",
        "soon",
        "concern",
        "A single startle while the baby is awake, with no sudden noise, touch or change of "
        "position noticed before it, is most often the normal startle (Moro) reflex, which "
        "fades by about 6 months. Infantile spasms can look like a startle, but they come in "
        "a series, one every few seconds, often just after waking; a doctor should see a "
        "video to be sure.",
        "startle-or-spasm",
        # A startle after a noise, touch or change of position is the look-alike's.
        each(single_startle_awake, then=lambda f, e: e.index not in f.explained),
        fallback=True,
        advice=(FILM_AND_NOTE_ADVICE, STARTLE_OR_SPASMS_ADVICE),
        suggests=(("startle_reflex", "medium"), ("infantile_spasms", "low")),
        reason_if_no_count=(
            "A startle while the baby is awake, with no sudden noise, touch or change of "
            "position noticed before it, is most often the normal startle (Moro) reflex when "
            "it comes once; this reflex fades by about 6 months. Infantile spasms can look "
            "like a startle, but they come in a series, one every few seconds, often just "
            "after waking; a doctor should see a video to be sure."
        ),
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
        advice=(FILM_AND_NOTE_ADVICE,),
        suggests=(("unclear", "medium"),),
    ),
)
