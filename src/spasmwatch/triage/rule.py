"""A triage rule and what it refers to: levels, groups and sources.

See :mod:`spasmwatch.triage.rules` for the rules themselves and how groups combine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from spasmwatch.triage.facts import EpisodeFacts, Facts, register_test

__all__ = [
    "LEVELS",
    "LEVEL_WORD",
    "LEVEL_WORDS",
    "SOURCES",
    "Group",
    "Level",
    "Match",
    "Rule",
    "Weight",
    "each",
    "level_rank",
    "not_drowsy_after",
    "only",
]

Level = Literal["routine", "soon", "same_day", "emergency"]
Group = Literal["emergency", "spasm", "concern", "lookalike"]
Weight = Literal["high", "medium", "low"]
Match = bool | frozenset[int]

#: Levels from least to most urgent.
LEVELS: tuple[Level, ...] = ("routine", "soon", "same_day", "emergency")

#: Each level in words, as the family sees it (title, what to do): the app's pages, the
#: report and the terminal show these (translated when shown).
LEVEL_WORDS: dict[str, tuple[str, str]] = {
    "emergency": ("Emergency", "Call emergency services or go to the emergency department now."),
    "same_day": ("Today", "Contact a doctor today; do not wait for a routine appointment."),
    "soon": ("Within days", "See a doctor within the next few days; film and keep the diary."),
    "routine": ("Routine", "Most likely normal; mention it at the next check-up."),
}
#: Each level's word alone (the first of :data:`LEVEL_WORDS`): the badge of the report
#: and of the clinician view.
LEVEL_WORD: dict[str, str] = {level: words[0] for level, words in LEVEL_WORDS.items()}


def level_rank(level: str) -> int:
    """0 for ``routine`` up to 3 for ``emergency``."""
    return LEVELS.index(level)  # type: ignore[arg-type]


# ---------------------------------------------------------------- sources
# Each source names who published it (an organisation or the authors) and the document,
# with its year where known, as the filming guide's list of sources does: the family
# reads it after "Source:".
#: The parents' pages the clinical reference starts from (its seed articles).
_WEBMD_TITLE = "WebMD, 'What Are the Symptoms of Infantile Spasms?'"
_WEBMD = f"{_WEBMD_TITLE} (2019)"
_SLEEP_TWITCHES = (
    "Epilepsy Action Australia, Epilepsy360° Edition 35, 'Baby twitches in sleep - is it normal?'"
)
#: The guidance the clinical reference cites by name only.
_NICE_FEVER = "NICE NG143, Fever in under 5s"
_NHS_SEIZURE = "NHS website (nhs.uk), 'What to do if someone has a seizure (fit)'"
_NHS_FIRST_SEIZURE = (
    "NHS website (nhs.uk), 'Febrile seizures' and 'What to do if someone has a seizure (fit)'"
)
_NHS_SCOTLAND = (
    "NHS Scotland, Royal Hospital for Children Glasgow, 'Possible Seizures / Paroxysmal "
    "Events: Advice for Referrers' (paediatric referral guidance)"
)
_CEWT = (
    "Children's Epilepsy Workstream in Trent (CEWT), 'Guideline for Investigation and "
    "Management of Children with Infantile Spasms and West Syndrome'"
)
_ICNAPEDIA = (
    "International Child Neurology Association, ICNApedia 'Paroxysmal non-epileptic events'"
)
_MORO = "Edwards & Al Khalili, 'Moro Reflex', StatPearls"
_ILAE_SPASMS = "ILAE, epilepsydiagnosis.org 'Epileptic spasms' (2022)"
_FEATURES = "Epilepsy Foundation (features that favour an epileptic event)"
SOURCES: dict[str, str] = {
    "ilae-spasms": _ILAE_SPASMS,
    "clusters": (
        f"{_ILAE_SPASMS}; Epilepsy Foundation, epilepsy.com 'Epileptic or Infantile Spasms' "
        "(clusters of spasms every 5-10 s over 5-10 minutes, often shortly after waking)"
    ),
    "iess": "Zuberi et al., Epilepsia 2022;63:1349 (ILAE 2022 definition of IESS)",
    "regression": (
        "Zuberi et al., Epilepsia 2022;63:1349 (ILAE 2022 definitions of IESS and West "
        f"syndrome); {_WEBMD} (symptoms)"
    ),
    "causes": (
        "Wirrell et al., Epilepsia 2015;56:617 (National Infantile Spasms Consortium: the "
        "causes of new-onset infantile spasms); Smith & Matthews, 'Infantile Spasms', "
        f"StatPearls (causes of West syndrome); {_WEBMD}"
    ),
    "stop": (
        "Infantile Spasms Action Network (ISAN), STOP campaign (infantilespasms.org); "
        f"{_CEWT} (UK guidance: an EEG within 3 days)"
    ),
    "febrile": (
        "AAP 2011 (American Academy of Pediatrics), 'Febrile Seizures: Guideline for the "
        "Neurodiagnostic Evaluation of the Child With a Simple Febrile Seizure', Pediatrics "
        "127:389"
    ),
    "status": (
        "Trinka et al., 'A definition and classification of status epilepticus: Report of the "
        "ILAE Task Force on Classification of Status Epilepticus', Epilepsia 2015;56:1515"
    ),
    # NICE NG143 names a rash that does not fade, and fever under 3 months; the NHS page a
    # child not back to normal and one injured in a seizure.
    "emergency": f"{_NICE_FEVER}; {_NHS_SEIZURE}",
    # The seed names four signs only; the colour is NICE NG143's (a red feature).
    "emergency-seed": (
        f"{_SLEEP_TWITCHES} (an ambulance for a seizure with breathing problems, vomiting, "
        f"neck stiffness or extreme fatigue); {_NICE_FEVER}"
    ),
    "emergency-colour": (
        f"{_NICE_FEVER} (red feature: pale, mottled, ashen or blue skin, lips or tongue)"
    ),
    # The Glasgow page lists each same-day reason: possible infantile spasms, developmental
    # regression, an afebrile seizure under 2 years, a febrile one under 6 months or more than
    # one in 24 hours, and a focal seizure.
    "same-day": _NHS_SCOTLAND,
    "first-seizure": f"{_NHS_FIRST_SEIZURE}; {_NHS_SCOTLAND}",
    # Seizures on several occasions in a child with none known to the doctors: the first
    # of them is a first seizure not yet assessed; the guidance is the first seizure's.
    "seizure-now": (
        f"{_NHS_SCOTLAND}; {_NHS_SEIZURE} (a first seizure: call for emergency help); "
        "[design] seizures that came back before any was known to the doctors are treated as "
        "a first one while one is happening: the earlier ones were logged, not necessarily "
        "assessed"
    ),
    "seizures-unassessed": (
        f"{_NHS_FIRST_SEIZURE}; {_NHS_SCOTLAND} (a first seizure: same-day assessment); "
        "[design] seizures that came back before any was known to the doctors include that "
        "first seizure"
    ),
    # Spasms are seizures: a seizure of another kind beside them is not a first seizure,
    # and is assessed the same day as one (and as suspected infantile spasms) would be.
    "seizure-besides-spasms": (
        "ILAE, epilepsydiagnosis.org 'Epileptic spasms' (2022: epileptic spasms are "
        "seizures); NHS Scotland paediatric referral guidance (suspected infantile spasms, "
        "a first seizure: same-day assessment); [design] a seizure-like episode in a diary "
        "that holds spasm-like movements is another kind of seizure, not a first one, and "
        "is assessed as soon as a first one would be"
    ),
    "epileptic-features": _FEATURES,
    "sleep-myoclonus": (
        f"{_SLEEP_TWITCHES}; {_ICNAPEDIA}; Di Capua et al., Mov Disord 1993;8:191 (benign "
        "neonatal sleep myoclonus)"
    ),
    # The seed names the jerk on falling asleep; Di Capua's neonatal myoclonus is not it.
    "hypnic": (
        f"{_SLEEP_TWITCHES} (a jerk on the verge of sleep is a hypnagogic jerk, a normal "
        "form of sleep myoclonus)"
    ),
    # No seed says hiccups are harmless (seed 003 only calls them a form of myoclonus).
    "hiccups": (
        "American Academy of Pediatrics, HealthyChildren.org 'Burping, Hiccups, and "
        "Spitting Up' (most babies hiccup from time to time; it bothers the parents more "
        "than the baby)"
    ),
    "moro": (
        f"{_MORO} (2019; PMID 31194330): a normal reflex of newborns, fading from about 3 months "
        "and gone by 6 months"
    ),
    # A single startle no noise, touch or change of position set off: the Moro reflex is
    # set off by one; spasms come in clusters; the seed describes spasms that fling the
    # arms out as a startle does; nothing setting it off favours an epileptic event.
    "startles-in-series": (
        "Children's Health (Talai), 'How to tell if your baby has infantile spasms' (2021: "
        "spasms can look like a normal startle reflex and come in clusters); Le Bonheur "
        "Children's Hospital, 'Seizure vs. Reflex: Identifying Infantile Epilepsy' (spasms "
        "are often overlooked as a Moro reflex; they occur repeatedly in a short time); "
        f"{_ILAE_SPASMS} (clusters, typically just after waking)"
    ),
    "startle-or-spasm": (
        f"{_MORO} (2019: a normal reflex of newborns, set off by a sudden noise, touch or "
        "loss of support, gone by 6 months); ILAE, epilepsydiagnosis.org 'Epileptic spasms' "
        "(2022: spasms come in clusters, typically just after waking; a single spasm "
        f"suggests another kind of seizure); {_WEBMD_TITLE} (2019: a spasm can fling the arms "
        "out and bring the knees up); Epilepsy Foundation (features that favour an epileptic "
        "event: not brought on by position or activity)"
    ),
    "bmei": f"{_CEWT}; {_ICNAPEDIA} (benign myoclonus of early infancy)",
    "shuddering": (
        "Tibussek et al., 'Clinical Reasoning: Shuddering attacks in infancy', Neurology "
        "2008;70:e38"
    ),
    "sandifer": (
        "Eslami, 'Sandifer Syndrome', Medscape (2020): arching and neck twisting with feeds, "
        "from reflux"
    ),
    "jitteriness": "McGraw Hill, AccessPediatrics (jitteriness)",
    "stereotypies": f"{_ICNAPEDIA} (self-soothing and stereotypies)",
    "hyperekplexia": (
        "GeneReviews (University of Washington), 'Hereditary Hyperekplexia Overview' (NBK1260)"
    ),
    "facial": "MedHelp Pediatrics Community, 'Facial Spasms' (a parents' forum thread)",
    "focal-motor": (
        "ILAE, epilepsydiagnosis.org 'Focal clonic seizure' and 'Self-limited epilepsy with "
        "centrotemporal spikes' (one side of the face or body twitching, awareness often "
        "kept); NHS Scotland referral guidance (a focal seizure: same day)"
    ),
    "design": "[design] spasmwatch safety principle (clinical reference, section 3)",
}


@dataclass(frozen=True)
class Rule:
    """One triage rule.

    Attributes
    ----------
    id
        Stable identifier, cited in results (e.g. ``spasm-series``).
    level
        The urgency this rule asks for.
    group
        ``emergency``, ``spasm``, ``concern`` or ``lookalike`` (see the module docstring).
    reason
        Why, in plain words for a caregiver.
    source
        Key into :data:`SOURCES`.
    predicate
        Facts -> episode indices (empty: did not fire) or bool.
    advice
        Concrete next steps added to the result when the rule fires.
    suggests
        What the movements may be, with a weight.
    fallback
        Fires only on episodes that no other emergency, spasm or concern rule spoke about,
        nor a fallback rule listed before it.
    reason_if_no_count
        The reason said instead of ``reason`` when none of the episodes it fired on says
        how many movements came in a row: a rule that reads a missing count as one must
        not tell the family that one to three were seen, so it says what it recognises
        without a count, and the answer says once, in its note, that the count was read
        as one (:data:`~spasmwatch.triage.engine.COUNT_NOT_GIVEN`); empty: ``reason``
        always.
    """

    id: str
    level: Level
    group: Group
    reason: str
    source: str
    predicate: Callable[[Facts], Match]
    advice: tuple[str, ...] = ()
    suggests: tuple[tuple[str, Weight], ...] = ()
    fallback: bool = False
    reason_if_no_count: str = ""

    @property
    def source_text(self) -> str:
        """The full citation of the source."""
        return SOURCES[self.source]


def each(
    test: Callable[[EpisodeFacts], bool],
    then: Callable[[Facts, EpisodeFacts], bool] | None = None,
    when: Callable[[Facts], bool] | None = None,
) -> Callable[[Facts], frozenset[int]]:
    """A predicate firing on the episodes that pass ``test`` and then ``then(facts, e)``,
    when ``when(facts)`` holds (``then`` and ``when`` are optional).

    ``test`` reads only the episode's own facts (not its index, nor the case): it is run
    once per episode and kept with its facts
    (:func:`~spasmwatch.triage.facts.register_test`); ``then`` may read anything, and
    is read only for the episodes that pass ``test``.
    """
    number = register_test(test)
    if then is None:
        if when is None:
            return lambda f: f.passing(number)
        return lambda f: f.passing(number) if when(f) else frozenset()
    also = then

    def predicate(f: Facts) -> frozenset[int]:
        if when is not None and not when(f):
            return frozenset()
        return f.passing(number, lambda e: also(f, e))

    return predicate


def only(e: EpisodeFacts, allowed: set[str]) -> bool:
    """All the episode's movements are in ``allowed``."""
    return e.moves <= allowed


def not_drowsy_after(e: EpisodeFacts) -> bool:
    """No sleepiness or slow recovery after the episode."""
    return not ({"sleepy", "slow_to_recover"} & set(e.episode.after))
