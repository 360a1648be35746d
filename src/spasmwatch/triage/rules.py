"""The triage rules: data, not if-chains.

Each :class:`Rule` has an id, the level it asks for, a group, a plain-language reason, a
source from the clinical reference (``docs/clinical-reference.md``), and a predicate over
:class:`~spasmwatch.triage.facts.Facts`. A predicate returns the indices of the episodes
it is about (a rule about episodes), or a bool (a rule about the child as a whole).

The rules live by group: :mod:`~spasmwatch.triage.emergency`,
:mod:`~spasmwatch.triage.spasms`, :mod:`~spasmwatch.triage.concerns` and
:mod:`~spasmwatch.triage.lookalikes`, with their shared thresholds and predicates in
:mod:`~spasmwatch.triage.predicates`. Groups, and how the engine combines them:

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
.. [NICE] NICE NG143, Fever in under 5s (fever under 3 months; emergency signs, among
   them a pale, mottled, ashen or blue colour); seed 003, Epilepsy Action Australia,
   Epilepsy360° 'Baby twitches in sleep' (an ambulance for a seizure with breathing
   problems, vomiting, neck stiffness or extreme fatigue); NHS website, "What to do if
   someone has a seizure (fit)" (not regaining full consciousness, a serious injury).
"""

from __future__ import annotations

from spasmwatch.triage.concerns import CONCERN_RULES
from spasmwatch.triage.emergency import EMERGENCY_RULES
from spasmwatch.triage.lookalikes import LOOKALIKE_RULES
from spasmwatch.triage.rule import LEVELS, SOURCES, Rule, level_rank
from spasmwatch.triage.spasms import SPASM_RULES

__all__ = ["LEVELS", "RULES", "RULES_VERSION", "SOURCES", "Rule", "level_rank"]

#: Changes whenever a rule, a threshold or a text changes; stored with every result.
RULES_VERSION = "1.4.11"

#: Every rule, in the order the documentation lists them.
RULES: tuple[Rule, ...] = EMERGENCY_RULES + SPASM_RULES + CONCERN_RULES + LOOKALIKE_RULES

if len({r.id for r in RULES}) != len(RULES):  # pragma: no cover
    raise RuntimeError("rule ids must be unique")
