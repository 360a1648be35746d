"""The EEG analysis in plain words for the family: whether the automated reading saw
hypsarrhythmia (likely, unlikely, cannot be assessed), how much of the recording it could
read, the possible seizures and sudden flattenings counted, and what to do: possible
seizures go back to the doctor who arranged the EEG, whatever the diary's answer; the
neurophysiologist's summary and the EEG's plots kept under "Technical details for the
doctor", and unchanged at a share link."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest

from spasmwatch.diary.overview import EEG_LONG_MARK_S
from spasmwatch.eeg.reasons import background_reasons
from spasmwatch.store import repo
from spasmwatch.triage.engine import BASE_ADVICE
from spasmwatch.web.eeg_statement import family_eeg_statement, hypsarrhythmia_assessment
from web.webworld import (
    EDF_FILE,
    SPASM_EPISODE,
    add_child,
    add_member,
    anonymous,
    log_episode,
    new_app,
    share,
    sign_up,
    upload,
)

DEMO = EDF_FILE.parent.parent / "real_infant" / "demo.edf"
HELSINKI_CLIP = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg1.edf"
SHORT_PSG = EDF_FILE.with_name("short_psg.edf")

#: What a parent is not expected to read without an explanation.
JARGON = ("p95", "BASED", "µV", "decrement", "likely", "amplitude")
#: Hypsarrhythmia in plain words: large waves AND spikes from many places, so that an EEG
#: whose waves are large but whose spikes could not be counted does not read as "seen".
PATTERN = (
    "a chaotic pattern of large brain waves with many sharp spikes coming from many parts "
    "of the brain, which doctors see with infantile spasms."
)
#: The step for possible seizures, whatever the diary's answer: an EEG is arranged by a
#: doctor, who reads what it marked.
ASK = (
    "The doctor who arranged this EEG needs to look at what was marked in it: ask them about "
    "the result within the next few days, and do not wait for the next check-up."
)
#: The triage's own words for warning signs (its same-day advice).
WARNING_SIGNS = BASE_ADVICE["same_day"][1]
UNCHANGED = "This EEG does not change the advice at the top of this page."
#: Hiccups, once: the diary's answer is routine.
HICCUPS = {**SPASM_EPISODE, "movements": ["hiccups"], "count": 1}

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
    assert headline.startswith("The automated reading saw signs of hypsarrhythmia: " + PATTERN)
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
    # today is already said: what is left is the warning signs
    assert said[-1] == WARNING_SIGNS and ASK not in whole
    assert not [word for word in JARGON if word in whole]


def test_unlikely_is_not_seen_and_never_a_no() -> None:
    said = family_eeg_statement(_result("unlikely"))
    assert said[0] == (
        f"The automated reading did not see hypsarrhythmia, {PATTERN} "
        "This does not rule it out: only the neurologist's reading of the EEG can."
    )  # not high here: nothing about large waves
    assert said[-1] == UNCHANGED  # nothing was marked
    whole = " ".join(said)
    assert "The recording lasts 30 minutes, and the automated reading could use all of it." in whole
    assert "The seizure detector marked no possible seizure; it can miss some" in whole
    assert "marked no possible sudden flattening" in whole
    assert "finding none says little" not in whole  # the noise floor does not hide them
    for reassurance in ("normal", "no hypsarrhythmia", "ruled out", "unlikely"):
        assert reassurance not in whole.lower()
    assert not [word for word in JARGON if word in whole]


def test_unlikely_on_large_brain_waves_says_what_the_reading_could_not_check() -> None:
    """The reasons of a high amplitude without enough discharges say that this does not
    rule hypsarrhythmia out; the headline says why in plain words, as what the reading
    could not check (the spikes among large waves), so that it agrees with the pattern's
    definition (large waves AND many spikes) instead of "it looks for large waves, this EEG
    has them, it saw nothing". A noise floor that hides decrements, and a recording shorter
    than the BASED window, are said too."""
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
    assert said[0] == (
        f"The automated reading did not see hypsarrhythmia, {PATTERN} "
        "This EEG's brain waves are large, which makes the spikes among them hard for the "
        "automated reading to find, so it cannot rule the pattern out: only the neurologist's "
        "reading of the EEG can. "
        "The recording is short: a longer one that includes sleep tells more."
    )
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
    assert said[-1] == UNCHANGED
    assert not [word for word in JARGON if word in " ".join(said)]


@pytest.mark.parametrize(
    ("assessment", "events", "closing"),
    [
        ("unlikely", (), UNCHANGED),
        ("cannot_assess", (), UNCHANGED),
        ("unlikely", ("sz",) * 6, f"{ASK} {WARNING_SIGNS}"),
        ("cannot_assess", ("sz",), f"{ASK} {WARNING_SIGNS}"),
        ("unlikely", ("decrement",), f"{ASK} {WARNING_SIGNS}"),
        ("likely", (), WARNING_SIGNS),
        ("likely", ("sz", "decrement"), WARNING_SIGNS),
    ],
)
def test_what_the_family_does_after_the_eeg(
    assessment: str, events: tuple[str, ...], closing: str
) -> None:
    """Marks (possible seizures or sudden flattenings) go back to the doctor who arranged
    the EEG within days, with the warning signs: never "does not change the advice" beside
    them, which under a routine answer told the family to do nothing. Only an EEG that
    marked nothing, and did not show the pattern, leaves the advice as it is."""
    said = family_eeg_statement(_result(assessment, events))
    assert said[-1] == closing
    assert "does not change the advice" not in " ".join(said[:-1])
    assert not [word for word in JARGON if word in said[-1]]
    # a detector that could not read the recording marked nothing either
    unread = _result(assessment)
    unread["settings"]["sz_note"] = "recording shorter than 256 s, the network's window"
    assert family_eeg_statement(unread)[-1] == (UNCHANGED if assessment != "likely" else closing)


@pytest.mark.parametrize(
    ("longest_s", "today"), [(EEG_LONG_MARK_S - 1, False), (EEG_LONG_MARK_S, True), (391.0, True)]
)
def test_a_possible_seizure_of_5_minutes_or_more_is_said_with_its_length_and_asked_today(
    longest_s: float, today: bool
) -> None:
    """A mark as long as a seizure that needs care at once (5 minutes, the triage's own
    limit) is said with its length, and the doctor who arranged the EEG is asked today,
    not within days; a shorter one keeps "within the next few days"."""
    result = _result("unlikely", ("sz", "sz"))
    result["events"][1]["duration"] = longest_s
    said = family_eeg_statement(result)
    seizures, closing = said[2], said[-1]
    assert ("The longest mark lasted about" in seizures) is today
    assert ("call them today" in closing) is today
    assert (closing == f"{ASK} {WARNING_SIGNS}") is not today
    assert closing.endswith(WARNING_SIGNS)
    if longest_s == 391.0:
        # 6 minutes 31 seconds, in whole minutes as the statement says lengths
        assert "about 7 minutes" in seizures
    assert not [word for word in JARGON if word in seizures + closing]


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
    """A family (owner, a caregiver and a viewer) of a 4-month-old whose diary answers
    routine (hiccups, once), with the demo EEG, a 30 s clip and a 2-channel recording
    analysed, a short video, and a share link."""
    from web.test_browser import _small_video

    tmp = tmp_path_factory.mktemp("eeg-statement")
    app = new_app(tmp)
    owner = sign_up(app, "owner@example.org")
    carer = sign_up(app, "carer@example.org", "Cal")
    viewer = sign_up(app, "viewer@example.org", "Vi")
    child = add_child(owner, age="4")
    add_member(owner, child, carer, "caregiver")
    add_member(owner, child, viewer, "viewer")
    log_episode(owner, child, HICCUPS)
    eegs = {name: upload(owner, child, path) for name, path in
            (("demo", DEMO), ("clip", HELSINKI_CLIP), ("psg", SHORT_PSG))}  # fmt: skip
    video = upload(owner, child, _small_video(tmp / "evening.mp4"))
    token, _ = share(owner, child)
    return {"app": app, "owner": owner, "carer": carer, "viewer": viewer, "child": child,
            "eegs": eegs, "video": video, "token": token}  # fmt: skip


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
    assert plain.startswith(
        f"View the EEG traces EEG analysis: The automated reading did not see hypsarrhythmia, "
        f"{PATTERN} This EEG's brain waves are large, which makes the spikes among them hard "
        "for the automated reading to find, so it cannot rule the pattern out: only the "
        "neurologist's reading of the EEG can. The recording lasts 11 minutes"
    )
    assert "The recording lasts 11 minutes, and the automated reading could use all of it." in plain
    assert "The seizure detector marked 6 possible seizures." in plain
    assert "background noise can hide them, so finding none says little" in plain
    # its newborns' detector marks a stretch of 391 s: said with its length, asked today
    assert "The longest mark lasted about 7 minutes." in plain
    assert plain.endswith(f"call them today, and if they cannot be reached, your family "
                          f"doctor or an out-of-hours service. {WARNING_SIGNS}")  # fmt: skip
    assert "does not change the advice" not in plain
    for word in ("unlikely", "p95", "BASED", "µV", "decrement"):
        assert word not in plain
    # the doctor's numbers and the reasons, folded, the reasons introduced as measures
    technical = _technical(family)
    assert "<summary>Technical details for the doctor</summary>" in technical
    assert "<details" not in family.split('<details class="small eeg-technical">')[0]
    assert "661 s recorded; amplitude p95 1021 µV, BASED-like score 2/5," in _text(technical)
    assert "Hypsarrhythmia (automated assessment): <strong>unlikely</strong>" in technical
    reasons = _text(technical.split("What the automated reading measured")[1])
    # what the plain caveat says in other words: spikes on large waves are missed
    assert (
        "high amplitude without enough discharges found: the spike detector misses many "
        "discharges that ride on high-voltage delta, so this does not rule hypsarrhythmia out"
    ) in reasons
    assert "only in part of the recording" not in reasons
    assert "finding none does not mean there was none" in reasons
    # a caregiver and a viewer see the same
    eeg = world["eegs"]["demo"]
    for member in ("carer", "viewer"):
        seen = world[member].client.get(f"/children/{world['child']}/attachments/{eeg}/analysis")
        assert _plain(seen.text) == plain, member


def test_large_waves_in_only_part_of_the_recording_say_so_as_the_reasons_do(
    world: dict[str, Any],
) -> None:
    """The demo's stored background with enough spikes from enough foci but an amplitude
    that does not last: the reasons say "only in part of the recording", and so does the
    family's headline, not that the spikes were hard to find."""
    app, eeg = world["app"], world["eegs"]["demo"]
    with app.state.db.reading() as s:
        background = repo.get_attachment(s, eeg).analysis["result"]["background"]
    lim = background["limits"]
    in_part = {
        **background,
        "spike_wave_index": lim["spike_wave_index"] + 0.05,
        "spike_foci": lim["min_foci"],
        "amplitude_uv_p25": lim["sustained_amplitude_uv"] / 2,
    }
    reasons = " ".join(background_reasons(in_part))
    assert "high amplitude and the other criteria only in part of the recording" in reasons
    assert "without enough discharges found" not in reasons
    said = family_eeg_statement({"background": in_part, "events": []})
    assert said[0] == (
        f"The automated reading did not see hypsarrhythmia, {PATTERN} "
        "This EEG's brain waves are large in only part of the recording, and the pattern can "
        "come and go (it fades in some stages of sleep and during a series of spasms), so the "
        "automated reading cannot rule it out: only the neurologist's reading of the EEG can, "
        "and a longer recording that includes sleep tells more."
    )
    # said once, also when the recording is short
    short = {**in_part, "usable_s": lim["based_window_s"] - 1}
    assert "The recording is short" not in family_eeg_statement({"background": short})[0]
    # and the demo as it is: the spikes were not found
    assert (
        "hard for the automated reading to find"
        in family_eeg_statement({"background": background})[0]
    )


def test_the_clinician_view_keeps_the_technical_summary(world: dict[str, Any]) -> None:
    _, doctor = _fragments(world, "demo")
    text = _text(doctor)
    assert "EEG analysis: 661 s recorded; amplitude p95 1021 µV, BASED-like score 2/5," in text
    assert (
        "6 possible seizures, the longest 391 s (neonatal seizure detector), 0 decrements." in text
    )
    assert (
        "Hypsarrhythmia (automated assessment): unlikely (high amplitude without enough "
        "discharges found: not ruled out; the neurologist's reading of the EEG decides)" in text
    )
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
    # the seizure detector's few channels, said outside the details as before; beside
    # the 2 possible seizures it marked, that it may have missed others
    assert "Only 2 channels reached the seizure detector" in plain
    assert (
        "so it may have missed others" in plain
        and "more seizures, so finding none says" not in plain
    )
    assert "(too few channels to judge: this is not a “no”)" in doctor


def test_a_routine_diary_beside_possible_seizures_says_to_ask_the_doctor_who_arranged_it(
    world: dict[str, Any],
) -> None:
    """A routine answer at the top ("most likely harmless") and an EEG whose detector
    marked 6 possible seizures: the EEG says the step to take (the doctor who arranged it,
    within days; the warning signs), never that it does not change the advice; the answer
    itself stays the diary's."""
    owner, child = world["owner"], world["child"]
    page = owner.client.get(f"/children/{child}").text
    triage = page.split('<section id="triage"')[1].split("</section>")[0]
    assert triage.startswith(' class="triage level-routine"')
    assert owner.api("GET", f"/api/v1/children/{child}/triage").json()["level"] == "routine"
    demo = _text(page.split(f'id="recording-{world["eegs"]["demo"]}"')[1].split("</details>")[0])
    assert "The seizure detector marked 6 possible seizures." in demo
    # one of them 391 s long: the doctor today, not within days
    assert "call them today" in demo and WARNING_SIGNS in demo and UNCHANGED not in demo
    # a 2-channel EEG that cannot be assessed, with 2 possible seizures: the same step
    psg = _text(page.split(f'id="recording-{world["eegs"]["psg"]}"')[1].split("</details>")[0])
    assert "The seizure detector marked 2 possible seizures." in psg
    assert f"{ASK} {WARNING_SIGNS}" in psg and UNCHANGED not in psg
    # an EEG that marked nothing does not ask for the doctor who arranged it; this
    # newborn's clip, in a 4-month-old's diary, reads discontinuous: past the newborn
    # period its quiet stretches are for that doctor to look at, and beside that sentence
    # the warning signs, not "does not change the advice"
    clip = _text(page.split(f'id="recording-{world["eegs"]["clip"]}"')[1].split("</details>")[0])
    assert "The seizure detector marked no possible seizure" in clip
    assert "marked no possible sudden flattening" in clip
    said = clip.split(" Technical details for the doctor")[0]
    assert "the doctor who arranged it should look at these quiet stretches" in said
    assert said.endswith(WARNING_SIGNS) and UNCHANGED not in clip and ASK not in clip
    # the share link keeps the clinician's summary: no advice for the family
    shared = anonymous(world["app"]).client.get(f"/s/{world['token']}").text
    assert ASK not in shared and UNCHANGED not in shared


def test_the_eeg_plots_are_in_the_familys_closed_technical_details(
    world: dict[str, Any],
) -> None:
    """Every family role finds the EEG's plots (captions in a neurophysiologist's words, red
    seizure shading) under "Technical details for the doctor", closed; the share link shows
    them as before; a video's pictures stay where they were."""
    eeg, child = world["eegs"]["demo"], world["child"]
    for member in ("owner", "carer", "viewer"):
        family = world[member].client.get(f"/children/{child}/attachments/{eeg}/analysis").text
        before, technical = family.split('<details class="small eeg-technical">')
        technical, after = technical.split("</details>", 1)
        assert "thumbs" not in before and "thumbs" not in after, member
        thumbs = technical.split('<div class="thumbs">')[1]
        assert thumbs.count("<figure") == 3 and "Peak-to-peak amplitude" in thumbs, member
        assert technical.index("What the automated reading measured") < technical.index("thumbs")
    # the whole page: closed, and nowhere else
    page = world["owner"].client.get(f"/children/{child}").text
    entry = page.split(f'id="recording-{eeg}"')[1].split('<div class="recording"')[0]
    assert '<details class="small eeg-technical">' in entry  # no "open"
    assert entry.index('<details class="small eeg-technical">') < entry.index('class="thumbs"')
    assert entry.index('class="thumbs"') < entry.index("</details>")
    # the clinician: shown at once, outside any folded part
    _, doctor = _fragments(world, "demo")
    shown = doctor.split('<div class="thumbs">')
    assert len(shown) == 2 and shown[0].count("<details") == shown[0].count("</details>")
    assert "Peak-to-peak amplitude" in shown[1]
    # a video's pictures are not an EEG's: shown at once to the family too
    video = world["owner"].client.get(f"/children/{child}/attachments/{world['video']}/analysis")
    shown = video.text.split('<div class="thumbs">')
    assert len(shown) == 2 and "eeg-technical" not in video.text
    assert shown[0].count("<details") == shown[0].count("</details>")


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
    assert plain.endswith(WARNING_SIGNS) and ASK not in plain  # today is said already
    assert "6 possible seizures, the longest 391 s (neonatal seizure detector), 2 decrements." in (
        _text(doctor)
    )
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


# ------------------------------------------------------------------ few channels


def _analysis_fragment(result: dict[str, Any], role: str) -> str:
    """The analysis part of an EEG's entry (``_analysis.html``) for a finished ``result``,
    as the family (``owner``) or the clinician view (``share``) sees it."""
    from types import SimpleNamespace

    from spasmwatch.web import i18n
    from spasmwatch.web.render import make_templates

    attachment = SimpleNamespace(
        id=7, kind="eeg", filename="psg.edf", analysis={"status": "done", "result": result}
    )
    template = make_templates().env.get_template("_analysis.html")
    with i18n.using("en"):
        return template.render(
            a=attachment, attachment_base="/children/1/attachments", role=role, page_view="v"
        )


@pytest.mark.parametrize("role", ["owner", "share"])
def test_few_channels_say_finding_none_says_little_only_where_none_was_found(role: str) -> None:
    """Beside possible seizures the detector marked, "so finding none says little" would
    contradict them: with few channels it says instead that it may have missed others."""
    few = "Only 2 channels reached the seizure detector: with fewer electrodes it misses more "
    marked = _result("cannot_assess", ("sz", "sz"), channels=2)
    marked["settings"]["sz_channels"] = 2
    said = _text(_analysis_fragment(marked, role))
    assert few + "seizures, so it may have missed others." in said
    assert "more seizures, so finding none says" not in said
    none = _result("cannot_assess", (), channels=2)
    none["settings"]["sz_channels"] = 2
    said = _text(_analysis_fragment(none, role))
    assert few + "seizures, so finding none says little." in said
    assert "may have missed others" not in said
    # with enough channels neither is said
    enough = _text(_analysis_fragment(_result("unlikely", ("sz",)), role))
    assert "reached the seizure detector" not in enough
