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


WORKUP_TESTS: tuple[WorkupTest, ...] = (
    WorkupTest(
        "eeg",
        "EEG, awake and asleep",
        "Records the brain's electrical activity. Infantile spasms usually show a typical "
        "pattern (hypsarrhythmia), seen best in sleep, so the EEG records the baby awake "
        "and asleep. It is the test that confirms the diagnosis.",
        "WebMD, 'What Are the Symptoms of Infantile Spasms?' (2019); "
        "Zuberi et al., Epilepsia 2022 (ILAE IESS definition)",
    ),
    WorkupTest(
        "brain_imaging",
        "MRI (or CT) of the brain",
        "Pictures of the brain show whether a part of it formed differently or was damaged "
        "(by lack of oxygen, a stroke or an infection), one of the most common causes.",
        "WebMD, 'What Are the Symptoms of Infantile Spasms?' (2019); "
        "DiseaseMaps, 'What are the primary causes of West Syndrome?' (2026)",
    ),
    WorkupTest(
        "woods_lamp",
        "Skin check with a Wood's lamp",
        "Tuberous sclerosis, the most common single cause, leaves pale patches on the skin "
        "that are easier to see under this special lamp.",
        "WebMD, 'What Are the Symptoms of Infantile Spasms?' (2019); "
        "tuberous sclerosis in 10-30 % (StatPearls)",
    ),
    WorkupTest(
        "metabolic",
        "Blood and urine tests (metabolic)",
        "Look for an infection or a problem of the body's chemistry (metabolism) that can "
        "cause spasms, some of which have their own treatment.",
        "WebMD, 'What Are the Symptoms of Infantile Spasms?' (2019); "
        "DiseaseMaps, 'What are the primary causes of West Syndrome?' (2026)",
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
        "DiseaseMaps, 'What are the primary causes of West Syndrome?' (2026); StatPearls",
    ),
)
_BY_CODE = {t.code: t for t in WORKUP_TESTS}


def workup_test(code: str) -> WorkupTest:
    """The test with this code; ``KeyError`` for an unknown one."""
    return _BY_CODE[code]
