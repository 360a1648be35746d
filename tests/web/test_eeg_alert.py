"""An EEG whose automated reading saw signs of hypsarrhythmia is said before the diary's
answer, on the family's page and at the doctor's share link: the triage reads only the
diary, and "routine" at the top must not stand silently beside an EEG that says to contact
a doctor today. It is said as a call to act, in the same-day colour and badge ("Today"),
with the step and sooner than what, before the answer's badge and title; "What to do now"
starts with it. The answer itself does not change."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from spasmwatch.diary.overview import EEG_LONG_MARK_S, urgent_eeg
from spasmwatch.store import repo
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

#: A 30 s EEG clip: analysed quickly (its own reading: cannot be assessed, too short).
CLIP = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg1.edf"
#: Hiccups, once: a routine answer with a reason.
HICCUPS = {**SPASM_EPISODE, "movements": ["hiccups"], "count": 1}


def _eeg(
    id: int, assessment: str | None, kind: str = "eeg", status: str = "done", **background: Any
) -> SimpleNamespace:
    b = {"hypsarrhythmia_assessment": assessment} if assessment else {}
    result = {"background": {**b, **background}}
    return SimpleNamespace(
        id=id, kind=kind, filename=f"e{id}.edf", analysis={"status": status, "result": result}
    )


def test_the_newest_analysed_eeg_when_likely_and_the_diary_says_less() -> None:
    likely, unlikely, unsure = _eeg(1, "likely"), _eeg(2, "unlikely"), _eeg(3, "cannot_assess")
    found = urgent_eeg([likely], "routine")
    assert found is not None and (found.attachment_id, found.filename) == (1, "e1.edf")
    assert urgent_eeg([likely], "soon") is not None
    assert urgent_eeg([likely], "same_day") is None  # the diary already says as soon
    assert urgent_eeg([likely], "emergency") is None  # an emergency is never outranked
    assert urgent_eeg([unlikely], "routine") is None
    assert urgent_eeg([unsure], "routine") is None
    # the newest finished EEG speaks for the child, whatever the order given
    assert urgent_eeg([unlikely, likely], "routine") is None
    assert urgent_eeg([_eeg(4, "likely"), likely, unlikely], "routine").attachment_id == 4
    # results stored before the assessment existed: hypsarrhythmia_likely only
    assert urgent_eeg([_eeg(5, None, hypsarrhythmia_likely=True)], "routine") is not None
    assert urgent_eeg([_eeg(6, None, hypsarrhythmia_likely=None)], "routine") is None
    # as for videos: only finished analyses of this kind count
    running, video = _eeg(7, "likely", status="running"), _eeg(8, "likely", kind="video")
    assert urgent_eeg([running, video], "routine") is None
    assert urgent_eeg([likely, running, video], "routine").attachment_id == 1


def test_a_possible_seizure_of_5_minutes_or_more_asks_as_soon_as_the_pattern() -> None:
    """The newest EEG's seizure detector marked a possible seizure of 5 minutes or more
    (the triage's limit for a seizure that needs care at once): said beside a less urgent
    answer as the pattern is, with why; a shorter mark is not."""

    def marked(id: int, seconds: float, assessment: str = "unlikely") -> SimpleNamespace:
        eeg = _eeg(id, assessment)
        eeg.analysis["result"]["events"] = [
            {"onset": 5.0, "duration": 20.0, "eventType": "sz"},
            {"onset": 60.0, "duration": seconds, "eventType": "sz"},
            {"onset": 900.0, "duration": 600.0, "eventType": "decrement"},  # not a seizure
        ]
        return eeg

    found = urgent_eeg([marked(1, EEG_LONG_MARK_S)], "routine")
    assert found is not None and found.why == "long_mark"
    assert urgent_eeg([marked(1, EEG_LONG_MARK_S - 1)], "routine") is None
    assert urgent_eeg([marked(1, EEG_LONG_MARK_S)], "same_day") is None
    # the pattern is said first where both hold
    assert urgent_eeg([marked(1, 400.0, "likely")], "soon").why == "pattern"
    # the newest EEG speaks for the child
    assert urgent_eeg([marked(1, 400.0), marked(2, 30.0)], "routine") is None


def _set_assessment(app: Any, attachment_id: int, assessment: str) -> None:
    """Turn the stored EEG result's hypsarrhythmia assessment to ``assessment``."""
    with app.state.db.transaction() as s:
        row = repo.get_attachment(s, attachment_id)
        result = row.analysis["result"]
        background = {
            **result["background"],
            "hypsarrhythmia_assessment": assessment,
            "hypsarrhythmia_likely": {"likely": True, "unlikely": False}.get(assessment),
        }
        found = {**result, "background": background}
        repo.set_attachment_analysis(s, row.id, {**row.analysis, "result": found})


def _alert(html: str, kind: str) -> str:
    """The ``kind`` (video or eeg) alert's markup, or "" without one."""
    found = re.search(rf'<div class="act-sooner level-[a-z_]+ {kind}-alert".*?</div>', html, re.S)
    return found.group(0) if found else ""


def _words(markup: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _notice(html: str, kind: str) -> str:
    """The ``kind`` (video or eeg) alert's words after its step: the recording and what
    it found, or "" without one."""
    paragraphs = re.findall(r"<p>(.*?)</p>", _alert(html, kind), re.S)
    return _words(paragraphs[0]) if paragraphs else ""


def _step(html: str, kind: str) -> str:
    """The ``kind`` alert's first line: its badge and the step, or "" without one."""
    found = re.search(r'<p class="act-sooner-step">(.*?)</p>', _alert(html, kind), re.S)
    return _words(found.group(1)) if found else ""


def _level(html: str) -> str:
    found = re.search(r'<section id="triage" class="triage level-([a-z_]+)"', html)
    assert found
    return found.group(1)


def _family(tmp_path: Path) -> tuple[Any, Any, int, int, str]:
    """A family whose diary answers routine, with the EEG clip analysed, and a share link."""
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Mia")
    log_episode(owner, child, HICCUPS)
    eeg = upload(owner, child, CLIP)
    with app.state.db.reading() as s:
        assert repo.get_attachment(s, eeg).analysis["status"] == "done"
    token, _ = share(owner, child)
    return app, owner, child, eeg, token


def test_a_long_possible_seizure_is_said_beside_the_answer_with_its_length(
    tmp_path: Path,
) -> None:
    """The seizure detector marked a possible seizure of 7 minutes on an EEG whose pattern
    was not seen: beside a routine answer the family reads the possible seizures' own
    paragraph (with the length, and today); the clinician reads what was marked."""
    app, owner, child, eeg, token = _family(tmp_path)
    with app.state.db.transaction() as s:
        row = repo.get_attachment(s, eeg)
        result = row.analysis["result"]
        events = [*result.get("events", []), {"onset": 3.0, "duration": 420.0, "eventType": "sz"}]
        found = {**result, "events": events}
        repo.set_attachment_analysis(s, row.id, {**row.analysis, "result": found})
    page = owner.client.get(f"/children/{child}").text
    family = _notice(page, "eeg")
    assert family.startswith("The EEG “eeg1.edf”: The seizure detector marked")
    assert "The longest mark lasted about 7 minutes." in family
    assert "a doctor needs to look at it today" in family
    assert _step(page, "eeg") == (
        "Today This EEG asks for a doctor today, sooner than the answer below, which reads "
        "only the diary."
    )
    assert _level(page) == "routine"
    clinician = _notice(anonymous(app).client.get(f"/s/{token}").text, "eeg")
    assert clinician.startswith(
        "The EEG “eeg1.edf”: The seizure detector (made for newborns) marked a possible "
        "seizure of 5 minutes or more, for the neurologist's reading."
    )


def test_a_likely_eeg_is_said_beside_the_answer_which_stays(tmp_path: Path) -> None:
    app, owner, child, eeg, token = _family(tmp_path)
    viewer = sign_up(app, "viewer@example.org", "Vi")
    add_member(owner, child, viewer, "viewer")
    doctor = anonymous(app).client
    before = owner.client.get(f"/children/{child}").text
    assert _level(before) == "routine" and _notice(before, "eeg") == ""
    _set_assessment(app, eeg, "likely")

    page = owner.client.get(f"/children/{child}").text
    family = _notice(page, "eeg")
    assert family.startswith(
        "The EEG “eeg1.edf”: The automated reading saw signs of hypsarrhythmia"
    )
    assert "Contact your doctor or paediatric service today and show them this EEG" in family
    assert _step(page, "eeg") == (
        "Today This EEG asks for a doctor today, sooner than the answer below, which reads "
        "only the diary."
    )
    # a call to act in the same-day look, before the answer's badge and title, not a
    # notice inside its words; "What to do now" starts with its step
    alert = _alert(page, "eeg")
    assert alert.startswith('<div class="act-sooner level-same_day eeg-alert"')
    assert '<span class="badge level-same_day">Today</span>' in alert
    assert 'class="notice' not in alert
    triage = page.split('<section id="triage"')[1].split("</section>")[0]
    assert triage.index("eeg-alert") < triage.index('class="badge level-routine"')
    assert triage.index("eeg-alert") < triage.index('id="triage-title"')
    advice = triage.split('<ul class="advice">')[1].split("</ul>")[0]
    first = re.findall(r"<li[^>]*>(.*?)</li>", advice, re.S)
    assert _words(first[0]) == (
        "First, the EEG above: contact your doctor or paediatric service today."
    )
    assert _words(first[1]).startswith("Keep watching")
    assert f'href="#recording-{eeg}">See the EEG</a>' in page
    assert f'id="recording-{eeg}"' in page
    assert _notice(page, "video") == ""
    # the answer is the diary's, as before
    assert _level(page) == "routine"
    assert owner.api("GET", f"/api/v1/children/{child}/triage").json()["level"] == "routine"
    # every family role reads the same
    assert _notice(viewer.client.get(f"/children/{child}").text, "eeg") == family
    spanish = owner.client.get(f"/children/{child}", headers={"Accept-Language": "es"}).text
    said = _notice(spanish, "eeg")
    assert said.startswith("El EEG «eeg1.edf»:") and "Contacte hoy" in said
    assert _step(spanish, "eeg").startswith("Hoy ")

    shared = doctor.get(f"/s/{token}").text
    clinician = _notice(shared, "eeg")
    assert clinician == (
        "The EEG “eeg1.edf”: Automated assessment: hypsarrhythmia likely, for the "
        "neurologist's reading. See the EEG"
    )
    assert _step(shared, "eeg") == (
        "Today The family is told to seek care today for this EEG, sooner than the triage "
        "below, which reads only what the family logged in the diary."
    )
    assert f'href="#recording-{eeg}">See the EEG</a>' in shared
    reasoning = shared.split('id="reasoning-h"')[1].split("</section>")[0]
    assert 'class="badge level-routine"' in reasoning
    assert reasoning.index("eeg-alert") < reasoning.index('class="badge level-routine"')

    # once the diary says as soon, the answer and the EEG agree: nothing more is said
    log_episode(owner, child, SPASM_EPISODE)
    assert _notice(owner.client.get(f"/children/{child}").text, "eeg") == ""
    assert _notice(doctor.get(f"/s/{token}").text, "eeg") == ""


def test_nothing_is_said_for_unlikely_cannot_assess_or_a_deleted_eeg(tmp_path: Path) -> None:
    app, owner, child, eeg, token = _family(tmp_path)
    doctor = anonymous(app).client

    def notices() -> tuple[str, str]:
        return (
            _notice(owner.client.get(f"/children/{child}").text, "eeg"),
            _notice(doctor.get(f"/s/{token}").text, "eeg"),
        )

    for assessment in ("cannot_assess", "unlikely"):
        _set_assessment(app, eeg, assessment)
        assert notices() == ("", ""), assessment
    _set_assessment(app, eeg, "likely")
    assert all(notices())
    assert owner.api("DELETE", f"/api/v1/children/{child}/attachments/{eeg}").status_code == 204
    assert notices() == ("", "")


def test_a_video_and_an_eeg_are_both_said(tmp_path: Path) -> None:
    from web.test_browser import _small_video

    app, owner, child, eeg, token = _family(tmp_path)
    video = _small_video(tmp_path / "evening.mp4")
    with video.open("rb") as f:
        sent = owner.form(
            f"/children/{child}/attachments", {}, files={"file": (video.name, f, "video/mp4")}
        )
    assert sent.status_code == 303
    with app.state.db.transaction() as s:
        row = next(a for a in repo.attachments_for(s, child) if a.kind == "video")
        found = {**row.analysis["result"], "summary": {"spasm_like": 6, "clusters": 1}}
        repo.set_attachment_analysis(s, row.id, {**row.analysis, "result": found})
    _set_assessment(app, eeg, "likely")

    page = owner.client.get(f"/children/{child}").text
    assert "evening.mp4" in _notice(page, "video") and "eeg1.edf" in _notice(page, "eeg")
    assert page.index("video-alert") < page.index("eeg-alert") < page.index("What to do now")
    assert _level(page) == "routine"
    # one first step for both, at the EEG's level (today)
    advice = page.split('<ul class="advice">')[1].split("</ul>")[0]
    assert advice.count("act-sooner-first") == 1
    assert "First, the EEG and the video above: contact your doctor" in _words(advice)
    shared = anonymous(app).client.get(f"/s/{token}").text
    assert "evening.mp4" in _notice(shared, "video") and "eeg1.edf" in _notice(shared, "eeg")
