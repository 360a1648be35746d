"""The EEG analysis in plain words for the family: whether the automated reading saw
hypsarrhythmia (likely, unlikely, cannot be assessed), how much of the recording it could
read, the possible seizures and sudden flattenings counted; the neurophysiologist's summary
kept under "Technical details for the doctor", and unchanged at a share link."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from spasmwatch.store import repo
from spasmwatch.web.eeg_statement import family_eeg_statement, hypsarrhythmia_assessment
from web.webworld import EDF_FILE, add_child, add_member, anonymous, new_app, share, sign_up, upload

DEMO = EDF_FILE.parent.parent / "real_infant" / "demo.edf"
HELSINKI_CLIP = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg1.edf"
SHORT_PSG = EDF_FILE.with_name("short_psg.edf")

#: What a parent is not expected to read without an explanation.
JARGON = ("p95", "BASED", "µV", "decrement", "likely", "amplitude")

LIMITS = {
    "high_amplitude_uv": 200.0,
    "min_usable_s": 120,
    "min_channels": 4,
    "based_window_s": 300,
    "decrement_line_ratio": 0.6,
}


def _result(assessment: str, events: tuple[str, ...] = (), **background: Any) -> dict:
    """A stored EEG result document with the fields the statement reads."""
    b = {
        "hypsarrhythmia_assessment": assessment,
        "hypsarrhythmia_likely": {"likely": True, "unlikely": False}.get(assessment),
        "recorded_s": 1800,
        "usable_s": 1800,
        "usable_share": 1.0,
        "channels": 18,
        "amplitude_uv_p95": 150.0,
        "limits": LIMITS,
        **background,
    }
    return {
        "recording": {"duration_s": float(b["recorded_s"])},
        "background": b,
        "events": [
            {"onset": 10.0 * i, "duration": 5.0, "eventType": k} for i, k in enumerate(events)
        ],
        "settings": {"sensitivity": "normal", "sz_channels": 18},
    }


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


# ------------------------------------------------------------------ the statement alone


def test_likely_says_the_pattern_goes_with_infantile_spasms_and_to_act_today() -> None:
    said = family_eeg_statement(_result("likely", ("sz", "sz", "decrement"), sz_share=0.4))
    headline = said[0]
    assert headline.startswith("The automated reading saw signs of hypsarrhythmia")
    assert "doctors see with infantile spasms" in headline
    # the triage's same-day words for suspected infantile spasms
    assert "Contact your doctor or paediatric service today" in headline
    assert "do not wait for a routine appointment" in headline
    assert "not a diagnosis" in headline
    whole = " ".join(said)
    assert "The seizure detector marked 2 possible seizures." in whole
    assert "It can also take the chaotic pattern above for seizures." in whole
    assert "1 possible sudden flattening: a moment when the brain waves suddenly" in whole
    assert "The neurologist checks it in the EEG." in whole
    assert "does not change the advice" not in whole  # it may call for more than the diary
    assert not [word for word in JARGON if word in whole]


def test_unlikely_is_not_seen_and_never_a_no() -> None:
    said = family_eeg_statement(_result("unlikely"))
    headline = said[0]
    assert headline.startswith("The automated reading did not see hypsarrhythmia")
    assert "This does not rule it out: only the neurologist's reading of the EEG can." in headline
    assert "large brain waves, and in such recordings" not in headline  # not high here
    assert said[-1] == "This EEG does not change the advice at the top of this page."
    whole = " ".join(said)
    assert "The recording lasts 30 minutes, and the automated reading could use all of it." in whole
    assert "The seizure detector marked no possible seizure; it can miss some" in whole
    assert "marked no possible sudden flattening" in whole
    assert "finding none says little" not in whole  # the noise floor does not hide them
    for reassurance in ("normal", "no hypsarrhythmia", "ruled out", "unlikely"):
        assert reassurance not in whole.lower()
    assert not [word for word in JARGON if word in whole]


def test_unlikely_on_large_brain_waves_says_what_the_reasons_say() -> None:
    """The reasons of a high amplitude without enough discharges say that this does not
    rule hypsarrhythmia out; the headline says why in plain words. A noise floor that hides
    decrements, and a recording shorter than the BASED window, are said too."""
    said = family_eeg_statement(
        _result(
            "unlikely",
            recorded_s=200,
            usable_s=150,
            usable_share=0.75,
            amplitude_uv_p95=1020.8,
            noise_floor={"uv": 14.5, "line_share": 1.74},
            decrements_set_aside=[12.0, 40.0],
        )
    )
    assert (
        "This EEG has large brain waves, and in such recordings the automated reading " in said[0]
    )
    assert "The recording is short: a longer one that includes sleep tells more." in said[0]
    assert said[1] == (
        "The recording lasts 200 seconds; the automated reading could use 150 seconds of it. "
        "The rest was too disturbed (by movement, loose electrodes or other interference)."
    )
    assert "background noise can hide them, so finding none says little" in said[3]
    assert "It set aside 2 more because the brain waves around them come and go" in said[3]


@pytest.mark.parametrize(
    ("background", "why", "not_why"),
    [
        ({"recorded_s": 30, "usable_s": 30}, "The recording is too short", "too few channels"),
        ({"channels": 2}, "too few channels (lines of brain waves): 2", "too short"),
        ({"usable_s": 60, "usable_share": 0.03}, "Too much of it was disturbed", "too short"),
    ],
)
def test_cannot_assess_says_why_and_that_it_is_not_a_no(
    background: dict, why: str, not_why: str
) -> None:
    said = family_eeg_statement(_result("cannot_assess", **background))
    assert said[0].startswith("The automated reading could not tell whether this EEG shows")
    assert why in said[0] and not_why not in said[0]
    assert "This is not a “no”: the neurologist's reading of the EEG decides." in said[0]
    assert said[-1] == "This EEG does not change the advice at the top of this page."
    assert not [word for word in JARGON if word in " ".join(said)]


def test_counts_are_said_with_their_plural_and_a_stored_assessment_of_old() -> None:
    one = family_eeg_statement(_result("unlikely", ("sz",)))
    assert "The seizure detector marked 1 possible seizure." in one[2]
    many = family_eeg_statement(_result("unlikely", ("decrement",) * 3))
    assert "3 possible sudden flattenings: moments when" in many[3]
    assert "The neurologist checks them in the EEG." in many[3]
    no_model = _result("unlikely")
    no_model["settings"]["sz_note"] = "recording shorter than 256 s, the network's window"
    assert "could not read this recording" in family_eeg_statement(no_model)[2]
    # results stored before the assessment had three values
    assert hypsarrhythmia_assessment({"hypsarrhythmia_likely": True}) == "likely"
    assert hypsarrhythmia_assessment({"hypsarrhythmia_likely": False}) == "unlikely"
    assert hypsarrhythmia_assessment({"hypsarrhythmia_likely": None}) == "cannot_assess"
    old = family_eeg_statement({"background": {}, "recording": {"duration_s": 7260.0}})
    assert old[1] == "The recording lasts 2 hours and 1 minute."
    assert "The automated reading could not tell" in old[0] and "too short" not in old[0]
    nearly = family_eeg_statement(_result("unlikely", recorded_s=661, usable_s=650))
    assert nearly[1] == (
        "The recording lasts 11 minutes, and the automated reading could use nearly all of it."
    )


# ------------------------------------------------------------------ on the child page


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A family (owner and a caregiver) with the demo EEG, a 30 s clip and a 2-channel
    recording analysed, and a share link."""
    app = new_app(tmp_path_factory.mktemp("eeg-statement"))
    owner = sign_up(app, "owner@example.org")
    carer = sign_up(app, "carer@example.org", "Cal")
    child = add_child(owner)
    add_member(owner, child, carer, "caregiver")
    eegs = {name: upload(owner, child, path) for name, path in
            (("demo", DEMO), ("clip", HELSINKI_CLIP), ("psg", SHORT_PSG))}  # fmt: skip
    token, _ = share(owner, child)
    return {"app": app, "owner": owner, "carer": carer, "child": child, "eegs": eegs,
            "token": token}  # fmt: skip


def _fragments(world: dict[str, Any], name: str) -> tuple[str, str]:
    """The analysis of EEG ``name`` as the family and as the share link show it."""
    eeg = world["eegs"][name]
    family = world["owner"].client.get(f"/children/{world['child']}/attachments/{eeg}/analysis")
    doctor = anonymous(world["app"]).client.get(f"/s/{world['token']}/attachments/{eeg}/analysis")
    assert family.status_code == doctor.status_code == 200
    return family.text, doctor.text


def _plain(fragment: str) -> str:
    """The family's sentences: what is shown before the technical details."""
    return _text(fragment.split('<details class="small eeg-technical">')[0])


def _technical(fragment: str) -> str:
    return fragment.split('<details class="small eeg-technical">')[1].split("</details>")[0]


def test_the_demo_eeg_says_not_seen_and_agrees_with_its_reasons(world: dict[str, Any]) -> None:
    family, _ = _fragments(world, "demo")
    plain = _plain(family)
    assert plain.startswith("View the EEG traces EEG analysis: The automated reading did not see")
    assert "This does not rule it out: only the neurologist's reading of the EEG can." in plain
    assert "This EEG has large brain waves" in plain
    assert "The recording lasts 11 minutes, and the automated reading could use all of it." in plain
    assert "The seizure detector marked 6 possible seizures." in plain
    assert "background noise can hide them, so finding none says little" in plain
    for word in ("unlikely", "p95", "BASED", "µV", "decrement"):
        assert word not in plain
    # the doctor's numbers and the reasons, folded, the reasons introduced as measures
    technical = _technical(family)
    assert "<summary>Technical details for the doctor</summary>" in technical
    assert "<details" not in family.split('<details class="small eeg-technical">')[0]
    assert "661 s recorded; amplitude p95 1021 µV, BASED-like score 2/5," in _text(technical)
    assert "Hypsarrhythmia (automated assessment): <strong>unlikely</strong>" in technical
    reasons = _text(technical.split("What the automated reading measured")[1])
    assert "so this does not rule hypsarrhythmia out" in reasons
    assert "finding none does not mean there was none" in reasons
    # a caregiver sees the same
    eeg = world["eegs"]["demo"]
    carer = world["carer"].client.get(f"/children/{world['child']}/attachments/{eeg}/analysis")
    assert _plain(carer.text) == plain


def test_the_clinician_view_keeps_the_technical_summary(world: dict[str, Any]) -> None:
    _, doctor = _fragments(world, "demo")
    text = _text(doctor)
    assert "EEG analysis: 661 s recorded; amplitude p95 1021 µV, BASED-like score 2/5," in text
    assert "6 possible seizures (neonatal seizure detector), 0 decrements." in text
    assert "Hypsarrhythmia (automated assessment): unlikely (an automated reading" in text
    assert "<summary>Why</summary>" in doctor
    assert "Technical details for the doctor" not in doctor
    assert "The automated reading did not see" not in doctor
    assert "does not change the advice at the top of this page" not in doctor
    # and on the clinician page itself
    page = anonymous(world["app"]).client.get(f"/s/{world['token']}").text
    assert "BASED-like score 2/5" in page and "Technical details for the doctor" not in page
    assert "The automated reading did not see" not in page


def test_a_short_and_a_two_channel_eeg_say_why_they_cannot_be_assessed(
    world: dict[str, Any],
) -> None:
    family, doctor = _fragments(world, "clip")
    plain = _plain(family)
    assert "The automated reading could not tell whether this EEG shows hypsarrhythmia" in plain
    assert "The recording is too short: the reading needs at least 2 minutes." in plain
    assert "This is not a “no”" in plain
    assert "The recording lasts 30 seconds" in plain
    assert "<strong>cannot be assessed</strong>" in _technical(family)
    assert "(too little usable EEG to judge: this is not a “no”)" in doctor
    family, doctor = _fragments(world, "psg")
    plain = _plain(family)
    assert "too few channels (lines of brain waves): 2, and the reading needs at least 4." in plain
    assert "too short" not in plain
    # the seizure detector's few channels, said outside the details as before
    assert "Only 2 channels reached the seizure detector" in plain
    assert "(too few channels to judge: this is not a “no”)" in doctor


def test_a_likely_result_says_to_act_today_on_the_page(world: dict[str, Any]) -> None:
    """The demo's stored result with its assessment turned to likely and two decrements:
    the page says so in plain words, and counts both kinds of event."""
    app, eeg = world["app"], world["eegs"]["demo"]
    with app.state.db.transaction() as s:
        before = repo.get_attachment(s, eeg).analysis
        result = before["result"]
        background = {**result["background"], "hypsarrhythmia_assessment": "likely",
                      "hypsarrhythmia_likely": True}  # fmt: skip
        decrements = [{"onset": t, "duration": 2.0, "eventType": "decrement"} for t in (300, 400)]
        likely = {**result, "background": background, "events": result["events"] + decrements}
        repo.set_attachment_analysis(s, eeg, {**before, "result": likely})
    try:
        family, doctor = _fragments(world, "demo")
    finally:
        with app.state.db.transaction() as s:
            repo.set_attachment_analysis(s, eeg, before)
    plain = _plain(family)
    assert "The automated reading saw signs of hypsarrhythmia" in plain
    assert "Contact your doctor or paediatric service today and show them this EEG" in plain
    assert "It can also take the chaotic pattern above for seizures." in plain
    assert "The automated reading marked 2 possible sudden flattenings" in plain
    assert "does not change the advice" not in plain
    assert "6 possible seizures (neonatal seizure detector), 2 decrements." in _text(doctor)
    assert "<strong>likely</strong>" in doctor


def test_while_an_eeg_is_analysed_again_the_family_reads_the_earlier_headline(
    world: dict[str, Any],
) -> None:
    app, eeg = world["app"], world["eegs"]["clip"]
    with app.state.db.transaction() as s:
        before = repo.get_attachment(s, eeg).analysis
        repo.set_attachment_analysis(s, eeg, {"status": "running", "sensitivity": "high",
                                              "job_id": 99})  # fmt: skip
    try:
        family, doctor = _fragments(world, "clip")
    finally:
        with app.state.db.transaction() as s:
            repo.set_attachment_analysis(s, eeg, before)
    earlier = _text(family.split('class="small muted previous-result"')[1].split("</p>")[0])
    assert "The automated reading could not tell whether this EEG shows" in earlier
    assert "events detected" in _text(doctor) or "event detected" in _text(doctor)
