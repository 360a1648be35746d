"""What the triage rules share: thresholds (each with its source), predicates over the
facts of an episode, and advice texts."""

from __future__ import annotations

from spasmwatch.triage import patterns as pt
from spasmwatch.triage.facts import SUBTLE_SPASM_MOVEMENTS, EpisodeFacts, Facts
from spasmwatch.triage.rule import each

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
#: A single startle is one movement: two in a row already begin a series, which on
#: waking counts as spasms (:data:`WAKING_SERIES_MIN_COUNT`) [ILAE2022: spasms come in
#: clusters; a single isolated spasm suggests another kind of seizure].
SINGLE_STARTLE_MAX_COUNT = 1
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


def startle_series(e: EpisodeFacts) -> bool:
    """A series of what looked like startles, awake, drowsy or on waking: how parents often
    describe a cluster of spasms, which are often taken for startles."""
    return "startle" in e.moves and e.series and e.episode.state != "asleep"


def infant_startle_series(e: EpisodeFacts) -> bool:
    """A series of startles (:func:`startle_series`) at the age of infantile spasms
    (:func:`infant`): what the ``startle-series`` rule calls spasm-like, and so what the
    doctor's counts count as a cluster, not as look-alikes
    (:func:`~spasmwatch.triage.facts.counted_as_lookalike`)."""
    return startle_series(e) and infant(e)


def spasm_or_subtle(e: EpisodeFacts) -> bool:
    """Any spasm-like movement, including the subtle forms."""
    return e.spasm_type or bool(e.moves & SUBTLE_SPASM_MOVEMENTS)


def waking_pattern(f: Facts) -> frozenset[int]:
    """Spasm-like episodes of an infant, mostly (and at least twice) on waking."""
    share, waking = pt.waking_share(f, lambda e: spasm_or_subtle(e) and infant(e))
    if share >= pt.WAKING_SHARE_MIN and len(waking) >= pt.WAKING_MIN_EPISODES:
        return waking
    return frozenset()


def has_diagnosed_seizures(f: Facts) -> bool:
    """The child's epilepsy or seizures are already diagnosed."""
    return bool(f.conditions & {"epilepsy", "previous_seizures"})


def typical_and_recovered(e: EpisodeFacts) -> bool:
    """The child's usual kind of seizure, with full recovery."""
    return e.episode.typical_for_child == "yes" and e.recovered


def known_typical(f: Facts, e: EpisodeFacts) -> bool:
    """A child's usual, already diagnosed seizure with full recovery."""
    return has_diagnosed_seizures(f) and typical_and_recovered(e)


def seizure_like(e: EpisodeFacts) -> bool:
    """A seizure-like episode (:attr:`~spasmwatch.triage.facts.EpisodeFacts.seizure_like`)."""
    return e.seizure_like


_SEIZURE_LIKE = each(seizure_like)


def only_seizure_like(f: Facts) -> frozenset[int]:
    """The diary's only seizure-like episode, in a child with no seizures known to the
    doctors; none when the diary holds two or more (:func:`seizures_more_than_once`):
    then the newest is not a first seizure. Whether it is one also depends on the spasm-like
    episodes beside it (:func:`~spasmwatch.triage.concerns.first_seizure`)."""
    if f.known_seizures:
        return frozenset()
    found = _SEIZURE_LIKE(f)
    return found if len(found) == 1 else frozenset()


def seizures_more_than_once(f: Facts) -> frozenset[int]:
    """Seizure-like episodes of a child with no seizures known to the doctors, when the
    diary holds two or more, less those within 24 hours of another (the recurrence rule
    speaks about those)."""
    if f.known_seizures:
        return frozenset()
    found = _SEIZURE_LIKE(f)
    if len(found) < 2:
        return frozenset()
    return found - pt.recurrence_within(f, seizure_like)


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
