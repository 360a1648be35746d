"""The work-up: the tests a doctor usually asks for when infantile spasms are suspected,
each with why (in plain words) and its source.

References
----------
.. [seed000] WebMD, "What Are the Symptoms of Infantile Spasms?" (2019): EEG awake and
   asleep, CT/MRI, Wood's lamp for tuberous sclerosis, blood and urine tests, lumbar
   puncture, genetic causes (``shared/seeds/000``; sources: Epilepsy Foundation, NINDS,
   NORD, Medscape).
.. [seed001] "Causes of West syndrome": structural, genetic and metabolic causes; an
   identifiable cause in 70-80 % (``shared/seeds/001``).
.. [ILAE2022] Zuberi et al., Epilepsia 2022;63:1349: IESS needs an abnormal EEG.
.. [NISC2015] Wirrell et al., "How should children with West syndrome be efficiently and
   accurately investigated? Results from the National Infantile Spasms Consortium",
   Epilepsia 2015;56:617-625: a cause in 64.4 % of 250 infants (genetic 14.4 %,
   genetic-structural 10.0 %, structural 33.2 %, metabolic 4.8 %, infectious 2.0 %); genetic
   testing found one in 23.5 % of those without an obvious cause after the first
   evaluation and MRI.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["WORKUP_STATUSES", "WORKUP_TESTS", "WorkupTest", "workup_test"]

#: Where a test stands: nothing recorded yet (the code ``suggested``: the app lists it, it
#: does not prescribe it); the family notes when it is booked, done, and its result.
WORKUP_STATUSES: dict[str, str] = {
    "suggested": "not recorded",
    "booked": "booked",
    "done": "done",
    "result_noted": "result noted",
}


@dataclass(frozen=True)
class WorkupTest:
    """One test of the work-up: its code, name, why the doctor asks for it, and source."""

    code: str
    name: str
    reason: str
    source: str


def _nisc(finding: str) -> str:
    """A finding of the cause-finding study the tests' yields come from (251 infants, 21 US
    centres) [NISC2015], cited."""
    return (
        f"Wirrell et al., Epilepsia 2015;56:617 (National Infantile Spasms Consortium: {finding})"
    )


WORKUP_TESTS: tuple[WorkupTest, ...] = (
    WorkupTest(
        "eeg",
        "EEG, awake and asleep",
        "Records the brain's electrical activity. Infantile spasms usually show a typical "
        "pattern (hypsarrhythmia), seen best in sleep, so the EEG records the baby awake "
        "and asleep. It is the test that confirms the diagnosis.",
        "Zuberi et al., Epilepsia 2022 (ILAE IESS definition); "
        "WebMD, 'What Are the Symptoms of Infantile Spasms?' (2019)",
    ),
    WorkupTest(
        "brain_imaging",
        "MRI (or CT) of the brain",
        "Pictures of the brain show whether a part of it formed differently or was damaged "
        "(by lack of oxygen, a stroke or an infection), one of the most common causes.",
        _nisc("a cause found in 64 %, most often after the history, the examination and an MRI")
        + "; WebMD, 'What Are the Symptoms of Infantile Spasms?' (2019)",
    ),
    WorkupTest(
        "woods_lamp",
        "Skin check with a Wood's lamp",
        "Tuberous sclerosis, the most common single cause, leaves pale patches on the skin "
        "that are easier to see under this special lamp.",
        "Smith & Matthews, 'Infantile Spasms', StatPearls (tuberous sclerosis in 10-30 %); "
        "WebMD, 'What Are the Symptoms of Infantile Spasms?' (2019)",
    ),
    WorkupTest(
        "metabolic",
        "Blood and urine tests (metabolic)",
        "Look for an infection or a problem of the body's chemistry (metabolism) that can "
        "cause spasms, some of which have their own treatment.",
        _nisc("a metabolic cause in 4.8 %")
        + "; WebMD, 'What Are the Symptoms of Infantile Spasms?' (2019)",
    ),
    WorkupTest(
        "lumbar_puncture",
        "Lumbar puncture (spinal tap)",
        "A little of the fluid around the spine is taken to check for an infection such as "
        "meningitis, and for some metabolic and genetic causes.",
        "WebMD, 'What Are the Symptoms of Infantile Spasms?' (2019)",
    ),
    WorkupTest(
        "genetic",
        "Genetic tests",
        "Many cases come from a change in a gene, often new in the baby. Finding it can "
        "explain the spasms, guide treatment and tell the family about future children.",
        _nisc("genetic tests found the cause in 23.5 % of those tested without an obvious one")
        + "; Smith & Matthews, 'Infantile Spasms', StatPearls",
    ),
)
_BY_CODE = {t.code: t for t in WORKUP_TESTS}


def workup_test(code: str) -> WorkupTest:
    """The test with this code; ``KeyError`` for an unknown one."""
    return _BY_CODE[code]
