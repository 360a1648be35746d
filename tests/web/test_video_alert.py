"""A video whose analysis calls for a doctor sooner than the diary's answer is said before
that answer, on the family's page and at the doctor's share link: the triage reads only the
diary, and the two must not seem to disagree unsaid. It is said as a call to act in the
video's own level's colour and badge ("Today", "Within days"), with the step and sooner
than what; "What to do now" starts with it."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from spasmwatch.diary.overview import urgent_video
from spasmwatch.store import repo
from web.webworld import SPASM_EPISODE, add_child, anonymous, log_episode, new_app, share, sign_up


def _video(id: int, kind: str = "video", status: str = "done", **summary: int) -> SimpleNamespace:
    result = {"summary": {"spasm_like": 0, "clusters": 0, "rhythmic": 0, **summary}}
    return SimpleNamespace(
        id=id, kind=kind, filename=f"v{id}.mp4", analysis={"status": status, "result": result}
    )


def test_the_most_urgent_video_above_the_diarys_level_is_chosen() -> None:
    few, cluster, rhythm = (
        _video(1, spasm_like=2),
        _video(2, spasm_like=5, clusters=1),
        _video(3, rhythmic=1),
    )
    assert urgent_video([few], "routine").level == "soon"
    assert urgent_video([few], "soon") is None  # not sooner than the diary says
    chosen = urgent_video([few, cluster, rhythm], "routine")
    assert chosen.level == "same_day" and chosen.attachment_id == 3  # the newest of equals
    assert urgent_video([few, cluster], "same_day") is None
    assert urgent_video([cluster], "emergency") is None  # an emergency is never outranked
    assert urgent_video([_video(4)], "routine") is None  # nothing found
    ignored = [_video(5, kind="eeg", clusters=1), _video(6, status="running", clusters=1)]
    assert urgent_video(ignored, "routine") is None


def _with_a_video(tmp_path: Path, name: str) -> tuple[Any, Any, int]:
    """A family with one child and one small video sent from the child's page."""
    from web.test_browser import _small_video

    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Mia")
    video = _small_video(tmp_path / name)
    with video.open("rb") as f:
        sent = owner.form(
            f"/children/{child}/attachments", {}, files={"file": (video.name, f, "video/mp4")}
        )
    assert sent.status_code == 303
    return app, owner, child


def test_the_page_and_the_share_link_say_the_video_beside_the_answer(tmp_path: Path) -> None:
    app, owner, child = _with_a_video(tmp_path, "evening.mp4")
    with app.state.db.transaction() as s:
        (row,) = repo.attachments_for(s, child)
        found = {**row.analysis["result"], "summary": {"spasm_like": 6, "clusters": 1}}
        repo.set_attachment_analysis(s, row.id, {**row.analysis, "result": found})
    token, _ = share(owner, child)
    doctor = anonymous(app).client

    page = owner.client.get(f"/children/{child}").text
    family = _alert(page)
    # what the video found; how soon, in the alert's own step below
    assert "evening.mp4" in family and "6 spasm-like movements detected, in 1 cluster." in family
    assert _step(family) == (
        "Today This video asks for a doctor today, sooner than the answer below, which "
        "reads only the diary."
    )
    assert "Log what you saw in it as an episode too" in family
    assert f'href="#recording-{row.id}"' in family
    assert family.startswith('<div class="act-sooner level-same_day video-alert"')
    assert 'class="notice' not in family
    triage = page.split('<section id="triage"')[1].split("</section>")[0]
    assert triage.index("video-alert") < triage.index('id="triage-title"')
    assert _first_step(page) == "First, the video above: show it to a doctor today."
    spanish = _alert(owner.client.get(f"/children/{child}", headers={"Accept-Language": "es"}).text)
    assert "evening.mp4" in spanish and "Hoy" in spanish and "Today" not in spanish
    clinician = _alert(doctor.get(f"/s/{token}").text)
    assert (
        "evening.mp4" in clinician and "6 spasm-like movements detected, in 1 cluster." in clinician
    )
    assert _step(clinician) == (
        "Today The family is told to seek care today for this video, sooner than the "
        "triage below, which reads only what the family logged in the diary."
    )
    assert "doctor" not in _words(clinician) and "Log what you saw" not in clinician
    # once the diary says as much, the answer and the video agree: nothing more is said
    log_episode(owner, child, SPASM_EPISODE)
    assert _alert(owner.client.get(f"/children/{child}").text) == ""
    assert _alert(doctor.get(f"/s/{token}").text) == ""
    assert _first_step(owner.client.get(f"/children/{child}").text) == ""


def test_a_video_for_within_days_is_said_in_that_levels_look(tmp_path: Path) -> None:
    """A few spasm-like movements (no cluster) ask for a doctor within days: beside a
    routine answer, said in the within-days colour and badge, with those words."""
    app, owner, child = _with_a_video(tmp_path, "nap.mp4")
    _found(app, child, spasm_like=2, clusters=0)
    token, _ = share(owner, child)
    page = owner.client.get(f"/children/{child}").text
    family = _alert(page)
    assert family.startswith('<div class="act-sooner level-soon video-alert"')
    assert _step(family) == (
        "Within days This video asks for a doctor within the next few days, sooner than "
        "the answer below, which reads only the diary."
    )
    assert _first_step(page) == (
        "First, the video above: show it to a doctor within the next few days."
    )
    assert _step(_alert(anonymous(app).client.get(f"/s/{token}").text)) == (
        "Within days The family is told to seek care within the next few days for this "
        "video, sooner than the triage below, which reads only what the family logged in "
        "the diary."
    )


def _found(app: Any, child: int, **summary: int) -> None:
    """The child's one video's analysis, found again with ``summary``."""
    with app.state.db.transaction() as s:
        (row,) = repo.attachments_for(s, child)
        found = {**row.analysis["result"], "summary": summary}
        repo.set_attachment_analysis(s, row.id, {**row.analysis, "result": found})


def _alert(html: str) -> str:
    """The video alert's markup, or "" without one."""
    found = re.search(r'<div class="act-sooner level-[a-z_]+ video-alert".*?</div>', html, re.S)
    return found.group(0) if found else ""


def _words(markup: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _step(alert: str) -> str:
    """An alert's first line: its badge and the step."""
    found = re.search(r'<p class="act-sooner-step">(.*?)</p>', alert, re.S)
    return _words(found.group(1)) if found else ""


def _first_step(page: str) -> str:
    """The recording's step that leads "What to do now", or ""."""
    found = re.search(r'<li class="act-sooner-first">(.*?)</li>', page, re.S)
    return _words(found.group(1)) if found else ""


def test_while_it_is_analysed_again_the_earlier_result_stays_in_view(tmp_path: Path) -> None:
    app, owner, child = _with_a_video(tmp_path, "nap.mp4")
    with app.state.db.transaction() as s:
        (row,) = repo.attachments_for(s, child)
        done = {
            **row.analysis,
            "result": {**row.analysis["result"], "summary": {"spasm_like": 6, "clusters": 1}},
        }
        running = {"status": "running", "sensitivity": "high", "job_id": 99}
        repo.set_attachment_analysis(s, row.id, done)
        repo.set_attachment_analysis(s, row.id, running)  # the done one rides along
    html = owner.client.get(f"/children/{child}").text
    part = html.split(f'id="analysis-{row.id}"')[1].split('<div class="actions"')[0]
    assert "Analysing the video on the computer that runs spasmwatch" in part
    earlier = part.split('class="small muted previous-result"')[1].split("</p>")[0]
    assert "Until it finishes, the analysis before it (at normal sensitivity):" in " ".join(
        earlier.split()
    )
    assert "6 spasm-like movements detected, in 1 cluster." in earlier


def test_rhythmic_jerking_alone_keeps_its_condition(tmp_path: Path) -> None:
    """A video whose only finding is rhythmic jerking (kicking is common in healthy
    babies) asks for a doctor today only if the jerking could not be stopped, as its own
    words say: the alert and the first step keep that condition, in both languages and
    at the share link; a video with a series of spasm-like movements as well asks for
    today without it."""
    app, owner, child = _with_a_video(tmp_path, "kicks.mp4")
    _found(app, child, spasm_like=0, rhythmic=1)
    token, _ = share(owner, child)
    page = owner.client.get(f"/children/{child}").text
    assert _step(_alert(page)) == (
        "Today This video shows rhythmic jerking: if it could not be stopped (it went on "
        "when you held the limb or woke the baby), it asks for a doctor today, sooner than "
        "the answer below, which reads only the diary."
    )
    assert _first_step(page) == (
        "First, the video above: if its jerking could not be stopped, show it to a doctor today."
    )
    assert _step(_alert(anonymous(app).client.get(f"/s/{token}").text)) == (
        "Today The family is told to seek care today for this video if its rhythmic "
        "jerking could not be stopped, sooner than the triage below, which reads only what "
        "the family logged in the diary."
    )
    owner.client.get("/language/es?next=/")
    assert "si no se pudieron detener" in _step(_alert(owner.client.get(f"/children/{child}").text))
    owner.client.get("/language/en?next=/")
    _found(app, child, spasm_like=8, clusters=1, rhythmic=1)
    page = owner.client.get(f"/children/{child}").text
    assert _step(_alert(page)).startswith("Today This video asks for a doctor today")
    assert _first_step(page) == "First, the video above: show it to a doctor today."
