"""The family's words on an EEG whose background is discontinuous or worse: one plain
sentence, only past the newborn period, asking for the doctor's look at its quiet stretches
(a discontinuous background is normal in a newborn); never more, never an all-clear beside
it; and a short recording's length said exactly."""

from __future__ import annotations

from typing import Any

import pytest

from spasmwatch.i18n import translations
from spasmwatch.triage.engine import BASE_ADVICE
from spasmwatch.web.eeg_statement import family_eeg_statement

QUIET = (
    "This EEG has stretches where the brain waves go very quiet; the doctor who arranged it "
    "should look at these quiet stretches."
)
UNCHANGED = "This EEG does not change the advice at the top of this page."
WARNING_SIGNS = BASE_ADVICE["same_day"][1]
LIMITS = {
    "high_amplitude_uv": 200.0,
    "min_usable_s": 120,
    "min_channels": 4,
    "based_window_s": 300,
    "decrement_line_ratio": 0.6,
}


def _result(continuity: str | None, events: tuple[str, ...] = (), recorded_s: int = 211) -> dict:
    """A stored EEG result whose background has ``continuity`` (the real
    ``eeg_burst_eg.edf``'s measures: 211 s, unlikely, a burst-suppression)."""
    background: dict[str, Any] = {
        "hypsarrhythmia_assessment": "unlikely",
        "hypsarrhythmia_likely": False,
        "recorded_s": recorded_s,
        "usable_s": recorded_s,
        "usable_share": 1.0,
        "channels": 18,
        "amplitude_uv_p95": 67.0,
        "limits": LIMITS,
        "continuity": continuity,
        "discontinuity_share": 0.592,
        "suppressed_share": 0.592,
    }
    return {
        "recording": {"duration_s": float(recorded_s)},
        "background": background,
        "events": [
            {"onset": 10.0 * i, "duration": 5.0, "eventType": k} for i, k in enumerate(events)
        ],
        "settings": {"sensitivity": "normal", "sz_channels": 18},
    }


@pytest.mark.parametrize("continuity", ["discontinuous", "burst_suppression", "suppressed"])
def test_past_the_newborn_period_one_sentence_asks_for_the_doctors_look(continuity: str) -> None:
    said = family_eeg_statement(_result(continuity), newborn=False)
    assert said.count(QUIET) == 1 and said[4] == QUIET
    # nothing beside it reads as an all-clear: the warning signs, not "does not change"
    assert said[-1] == WARNING_SIGNS and UNCHANGED not in " ".join(said)
    # the paragraphs the alerts pick by place keep theirs: the headline, the seizures
    before = family_eeg_statement(_result(None), newborn=False)
    assert said[:4] == before[:4] and len(said) == len(before) + 1
    # no other word of it: no "abnormal", no "burst", no diagnosis
    text = " ".join(said).lower()
    assert not any(word in text for word in ("abnormal", "burst", "suppress", "discontinu"))


@pytest.mark.parametrize("newborn", [True, None])
def test_a_newborn_or_an_unknown_age_is_told_nothing_of_it(newborn: bool | None) -> None:
    said = family_eeg_statement(_result("burst_suppression"), newborn=newborn)
    assert QUIET not in said and said[-1] == UNCHANGED
    assert said == family_eeg_statement(_result("burst_suppression"))  # the default: unknown


@pytest.mark.parametrize("continuity", ["continuous", "nearly_continuous", None])
def test_a_continuous_background_is_told_nothing_of_it(continuity: str | None) -> None:
    said = family_eeg_statement(_result(continuity), newborn=False)
    assert QUIET not in said and said[-1] == UNCHANGED


def test_beside_marked_events_the_step_stays_the_marks_one() -> None:
    said = family_eeg_statement(_result("discontinuous", ("sz",)), newborn=False)
    assert said[4] == QUIET
    assert said[-1].startswith("The doctor who arranged this EEG needs to look at what was marked")


def test_in_spanish() -> None:
    es = translations("es")
    said = family_eeg_statement(_result("discontinuous"), es.gettext, es.ngettext, newborn=False)
    assert said[4] == (
        "Este EEG tiene tramos en los que las ondas cerebrales se vuelven muy tranquilas; el "
        "médico que lo pidió debería mirar esos tramos tranquilos."
    )


@pytest.mark.parametrize(
    ("seconds", "length"),
    [(211, "211 seconds"), (240, "4 minutes"), (299, "299 seconds"), (661, "11 minutes")],
)
def test_a_short_recording_is_said_exactly(seconds: int, length: str) -> None:
    said = family_eeg_statement(_result(None, recorded_s=seconds))[1]
    assert said.startswith(f"The recording lasts {length}, ")
