"""The continuity of the background in the ACNS categories (``background.continuity``):
its thresholds on both sides on synthetic bursts and quiet stretches, on a real neonatal
burst-suppression and a real continuous clip, stored and said again, with what it means at
the baby's age (``spasmwatch.eeg.words``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from scipy import signal

from spasmwatch.eeg import analyze_eeg
from spasmwatch.eeg.background import assess_background, background_continuity
from spasmwatch.eeg.decrements import find_decrements, quiet_shares
from spasmwatch.eeg.features import compute_epoch_features
from spasmwatch.eeg.reasons import background_reasons
from spasmwatch.eeg.result import Background
from spasmwatch.eeg.words import (
    continuity_caveat,
    continuity_said,
    continuity_words,
    length_parts,
    newborn_when_recorded,
    quiet_stretches,
)
from spasmwatch.i18n import translations

FS = 256
ELECTRODES = ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4", "O1", "O2",
              "F7", "F8", "T3", "T4", "T5", "T6", "Fz", "Cz", "Pz"]  # fmt: skip
#: The level of a quiet second against a burst's: suppressed (the median bipolar channel
#: about 4 µV peak-to-peak, under 10 µV) or attenuated (about 45 µV: at least 10 µV, but
#: under half of the bursts' 150 µV).
SUPPRESSED, ATTENUATED = 0.025, 0.3


def _recording(seconds: int, quiet: list[tuple[int, int]], level: float = SUPPRESSED) -> np.ndarray:
    """Referential EEG of ``seconds`` s: bursts of 1-20 Hz activity (25 µV RMS on each
    electrode, about 150 µV peak-to-peak on the bipolar channels) with the (start s,
    length s) stretches of ``quiet`` at ``level`` of it. The stretches last more than the
    10 s of a decrement, so none is a spasm's brief attenuation, which the continuity
    leaves out."""
    rng = np.random.default_rng(seconds + len(quiet))
    sos = signal.butter(4, (1.0, 20.0), "bandpass", fs=FS, output="sos")
    x = signal.sosfiltfilt(sos, rng.normal(0, 1, (len(ELECTRODES), seconds * FS)), axis=1)
    x *= 25.0 / x.std(axis=1, keepdims=True)
    for start, length in quiet:
        x[:, start * FS : (start + length) * FS] *= level
    return x


def _stretches(seconds: int, quiet_s: int, longest: int = 20) -> list[tuple[int, int]]:
    """``quiet_s`` quiet seconds in stretches of up to ``longest`` s (at least 11), each
    after a burst of at least a second, within ``seconds``."""
    lengths = [longest] * (quiet_s // longest)
    if quiet_s % longest:
        lengths.append(quiet_s % longest)
    if len(lengths) > 1 and lengths[-1] < 11:
        lengths[-2:] = [lengths[-2] + lengths[-1]]
    gap = (seconds - quiet_s) // (len(lengths) + 1) if lengths else 0
    out, at = [], gap
    for n in lengths:
        out.append((at, n))
        at += n + gap
    return out


def _background(x: np.ndarray) -> dict:
    """The background as the database keeps it (through JSON)."""
    ef = compute_epoch_features(x, float(FS), ELECTRODES)
    return json.loads(json.dumps(assess_background(ef).to_dict()))


@pytest.mark.parametrize(
    ("seconds", "quiet_s", "continuity"),
    [
        (200, 0, "continuous"),
        (200, 18, "nearly_continuous"),  # 9 %
        (200, 20, "discontinuous"),  # 10 %
        (200, 98, "discontinuous"),  # 49 %
        (200, 100, "burst_suppression"),  # 50 %
        (100, 99, "burst_suppression"),  # 99 %
        (100, 100, "suppressed"),  # 100 %
    ],
)
def test_each_threshold_on_both_sides(seconds: int, quiet_s: int, continuity: str) -> None:
    quiet = [(0, 50), (51, 49)] if quiet_s == 99 else _stretches(seconds, quiet_s)
    b = _background(_recording(seconds, quiet))
    assert b["discontinuity_share"] == pytest.approx(quiet_s / seconds, abs=1e-9)
    assert b["suppressed_share"] == pytest.approx(quiet_s / seconds, abs=1e-9)
    assert b["continuity"] == continuity
    assert Background.from_dict(b).to_dict() == b
    # the thresholds it was judged by, stored with it
    limits = b["limits"]
    assert (limits["nearly_continuous_share"], limits["discontinuous_share"]) == (0.01, 0.1)
    assert (limits["burst_suppression_share"], limits["suppression_uv"]) == (0.5, 10.0)


def test_attenuated_stretches_above_10_uv_count_as_well() -> None:
    """Quiet stretches of 45 µV between bursts of 150 µV are attenuation, not suppression
    (the ACNS: at least 10 µV but under half of the higher-voltage background): 30 % make
    a discontinuous background, 60 % a burst-attenuation."""
    some = _background(_recording(200, _stretches(200, 60), ATTENUATED))
    assert some["continuity"] == "discontinuous" and some["suppressed_share"] == 0.0
    assert some["discontinuity_share"] == pytest.approx(0.3)
    most = _background(_recording(200, _stretches(200, 120), ATTENUATED))
    assert most["continuity"] == "burst_suppression"
    assert continuity_words(most) == "burst-attenuation"
    assert continuity_words({**most, "suppressed_share": most["discontinuity_share"]}) == (
        "burst-suppression"
    )


def test_a_recording_too_short_to_judge_says_so() -> None:
    b = _background(_recording(25, []))
    assert b["continuity"] is None and b["discontinuity_share"] == 0.0
    assert continuity_said(b) == "" and continuity_words(b) == ""
    (said,) = [r for r in background_reasons(b) if "continuity" in r]
    assert said == "continuity of the background not judged: only 25 s of usable EEG (< 30 s)"
    assert background_continuity(0.5, 29) is None and background_continuity(None, 300) is None


def test_judged_on_the_share_as_stored() -> None:
    assert background_continuity(0.0995, 300) == "discontinuous"  # stored as 0.1 (10 %)
    assert background_continuity(0.0994, 300) == "nearly_continuous"
    assert background_continuity(0.9996, 300) == "suppressed"


@pytest.fixture(scope="module")
def burst(shared_eeg_dir: Path) -> dict:
    """The real neonatal recording of bursts over a floor of 7-10 µV (211 s)."""
    result = analyze_eeg(shared_eeg_dir / "real_infant" / "eeg_burst_eg.edf")
    return json.loads(json.dumps(result.to_dict()))


def test_the_real_bursts_over_a_quiet_floor_are_a_burst_suppression(burst: dict) -> None:
    """The decrement rules' attenuated share sees 30 % (the upper quartile is the floor
    itself); 58 % of the seconds are under 10 µV: burst-suppression, not "discontinuous"."""
    b = burst["background"]
    assert b["attenuated_share"] == pytest.approx(0.303, abs=0.005)
    assert b["discontinuity_share"] == pytest.approx(0.578, abs=0.01)
    assert b["suppressed_share"] == pytest.approx(0.578, abs=0.01)
    assert b["continuity"] == "burst_suppression"
    assert continuity_said(b) == "burst-suppression (58% of its seconds attenuated or suppressed)"
    (said,) = [r for r in background_reasons(b) if r.startswith("continuity of the background")]
    assert said.startswith(
        "continuity of the background: burst-suppression, 58% of its seconds attenuated (the "
        "median channel below 55% of its upper quartile) or suppressed (below 10 µV: 58% of "
        "the seconds), counted only in periods of 2 s or more; ACNS 2021: nearly continuous "
        "from 1%, discontinuous from 10%, burst-suppression or burst-attenuation from 50%, "
        "suppressed at 100%; "
    )
    # the analysis does not know the age: both sides of the newborn period are said
    assert said.endswith(continuity_caveat(b, None))
    assert "newborn" in said and "abnormal beyond the newborn period" in said
    assert said in b["reasons"]  # stored in English as said from the stored measures
    # a result stored before the period was in its limits is said as it was
    lim = {k: v for k, v in b["limits"].items() if k != "continuity_min_period_s"}
    (before,) = [
        r
        for r in background_reasons({**b, "limits": lim})
        if r.startswith("continuity of the background")
    ]
    assert "periods of" not in before and "below 10 µV: 58% of the seconds); ACNS" in before


def test_the_reasons_say_it_in_spanish(burst: dict) -> None:
    es = translations("es").gettext
    b = burst["background"]
    (said,) = [r for r in background_reasons(b, es, "es") if r.startswith("continuidad")]
    # the language's percent, with its non-breaking space
    assert said.startswith("continuidad del fondo: brote-supresión, 58\xa0% de sus segundos")
    assert "por debajo de 10 µV: 58\xa0%" in said and "recién nacido" in said
    assert "contados solo en periodos de 2 s o más" in said
    assert continuity_said(b, es, "es") == (
        "brote-supresión (58\xa0% de sus segundos atenuados o suprimidos)"
    )


def test_the_same_shares_as_the_decrement_rules_judge(shared_eeg_dir: Path) -> None:
    """The continuity rests on the level the decrement rules read (their brief
    attenuations left out): judged alone or with them, the same shares."""
    from spasmwatch.eeg.reader import read_recording

    rec = read_recording(shared_eeg_dir / "real_infant" / "eeg_burst_eg.edf")
    ef = compute_epoch_features(rec.read(0, int(rec.duration_s)), rec.sfreq, rec.channels)
    found = find_decrements(ef)
    assert (found.quiet_share, found.suppressed_share) == quiet_shares(ef)
    judged = assess_background(
        ef, attenuated=found.attenuated_share, quiet=(found.quiet_share, found.suppressed_share)
    )
    assert judged.to_dict() == assess_background(ef).to_dict()


@pytest.mark.parametrize("infant", [18, 45])
def test_a_seizure_free_helsinki_clip_is_continuous(shared_eeg_dir: Path, infant: int) -> None:
    """Term newborns without seizures whose 30-s clips no expert marked: no second
    attenuated or suppressed."""
    result = analyze_eeg(shared_eeg_dir / "helsinki" / "clips" / f"eeg{infant}.edf")
    b = result.to_dict()["background"]
    assert b["continuity"] == "continuous" and b["discontinuity_share"] == 0.0
    assert continuity_caveat(b, None) == "" and not quiet_stretches(b, newborn=False)
    (said,) = [r for r in b["reasons"] if r.startswith("continuity of the background")]
    assert said.startswith("continuity of the background: continuous, 0% of its seconds")
    assert "newborn" not in said


def test_a_result_stored_before_the_continuity_says_none() -> None:
    old = {"amplitude_uv_p95": 60.0, "delta_power_fraction": 0.5, "spike_rate_per_min": 0.0,
           "spike_foci": 0, "based_like_score": 0, "hypsarrhythmia_likely": False}  # fmt: skip
    back = Background.from_dict(old)
    assert back.continuity is None and back.discontinuity_share is None
    assert "continuity" not in back.to_dict() and "discontinuity_share" not in back.to_dict()
    assert continuity_said(old) == "" and continuity_caveat(old, False) == ""


@pytest.mark.parametrize(
    ("age_days", "born_weeks", "newborn"),
    [
        (None, None, None),
        (-3, None, None),  # dated before the birth: not the recording's date
        (0, None, True),
        (27, None, True),  # the neonatal period: the first 28 days
        (28, None, False),
        (27, 42.0, True),
        (28, 42.0, False),
        (56, 32.0, True),  # born at 32 weeks, 40 weeks old postmenstrual
        (83, 32.0, True),  # 43.9 weeks
        (84, 32.0, False),  # 44 weeks
        (200, 36.5, False),
    ],
)
def test_the_newborn_period_by_age_and_gestation(
    age_days: float | None, born_weeks: float | None, newborn: bool | None
) -> None:
    assert newborn_when_recorded(age_days, born_weeks) is newborn


def test_the_caveat_and_the_familys_sentence_by_age() -> None:
    b = {"continuity": "discontinuous", "discontinuity_share": 0.3, "suppressed_share": 0.1}
    assert "normal in preterm newborns" in continuity_caveat(b, None)
    assert continuity_caveat(b, True).startswith("the baby was a newborn at the recording")
    assert continuity_caveat(b, False) == (
        "the baby was past the newborn period at the recording: a discontinuous background "
        "is abnormal at this age"
    )
    for kind in ("continuous", "nearly_continuous", "suppressed"):
        assert continuity_caveat({**b, "continuity": kind}, False) == ""
    # the family hears of it only past the newborn period, and for discontinuous or worse
    for kind in ("discontinuous", "burst_suppression", "suppressed"):
        assert quiet_stretches({"continuity": kind}, newborn=False)
        assert not quiet_stretches({"continuity": kind}, newborn=True)
        assert not quiet_stretches({"continuity": kind}, newborn=None)
    for kind in ("continuous", "nearly_continuous", None):
        assert not quiet_stretches({"continuity": kind}, newborn=False)


@pytest.mark.parametrize(
    ("seconds", "parts"),
    [
        (0, (0, 0, 0)),
        (30, (0, 0, 30)),
        (119.4, (0, 0, 119)),
        (120, (0, 2, 0)),
        (211, (0, 3, 31)),
        (240, (0, 4, 0)),
        (299, (0, 4, 59)),
        (299.6, (0, 5, 0)),
        (661, (0, 11, 0)),
        (7140, (0, 119, 0)),
        (7260, (2, 1, 0)),
        (7200, (2, 0, 0)),
    ],
)
def test_a_recordings_length_is_exact_under_5_minutes(
    seconds: float, parts: tuple[int, int, int]
) -> None:
    assert length_parts(seconds) == parts
