"""``spasmwatch eeg analyze`` says the continuity of the background, with what a
discontinuous one means by age (the terminal does not know the age), and the seizure
detector's newborn caveat in the words of the report and the share link (subprocess: what
a user sees)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from spasmwatch.i18n import translations
from spasmwatch.report.build import NEWBORN_DETECTOR

SHARED_EEG = Path(__file__).resolve().parents[3] / "shared" / "data" / "eeg"


def _summary(path: Path, lang: str = "en") -> str:
    """The printed summary, its lines joined (the terminal's width wraps them)."""
    proc = subprocess.run(
        [sys.executable, "-m", "spasmwatch", "eeg", "analyze", str(path), "--lang", lang],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return " ".join(proc.stdout.split())


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_burst_suppression_is_said_with_both_sides_of_the_newborn_period(lang: str) -> None:
    said = _summary(SHARED_EEG / "real_infant" / "eeg_burst_eg.edf", lang)
    gettext = translations(lang).gettext
    if lang == "en":
        line = (
            "Continuity of the background: burst-suppression (58% of its seconds attenuated "
            "or suppressed); a discontinuous background is normal in preterm newborns and in "
            "a term newborn's quiet sleep (tracé discontinu, tracé alternant) and abnormal "
            "beyond the newborn period: the baby's age at the recording decides"
        )
    else:
        line = (
            "Continuidad del fondo: brote-supresión (58 % de sus segundos atenuados o suprimidos); "
        )
    assert line in said
    # under the background's line, before the assessment
    assert said.index(line) < said.index(gettext("Hypsarrhythmia: %(verdict)s").split(":")[0])
    # the newborns' detector, in the one wording of the report and the share link
    assert " ".join(gettext(NEWBORN_DETECTOR).split()) in said


def test_a_continuous_clip_says_so_without_the_age_caveat() -> None:
    said = _summary(SHARED_EEG / "helsinki" / "clips" / "eeg18.edf")
    assert (
        "Continuity of the background: continuous (0% of its seconds attenuated or suppressed)"
        in said
    )
    assert "newborn period" not in said.split("Hypsarrhythmia:")[0]
    assert " ".join(NEWBORN_DETECTOR.split()) in said
