"""A video whose analysis calls for a doctor sooner than the diary's answer is said beside
that answer, on the family's page and at the doctor's share link: the triage reads only the
diary, and the two must not seem to disagree unsaid."""

from __future__ import annotations

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

    def alert(html: str) -> str:
        part = html.split('class="notice video-alert"')
        return part[1].split("</p>")[0] if len(part) > 1 else ""

    family = alert(owner.client.get(f"/children/{child}").text)
    assert "evening.mp4" in family and "should be seen by a doctor today" in family
    assert "reads only what is logged in the diary" in family
    assert f'href="#recording-{row.id}"' in family
    spanish = alert(owner.client.get(f"/children/{child}", headers={"Accept-Language": "es"}).text)
    assert "evening.mp4" in spanish and "diario" in spanish and "reads only" not in spanish
    clinician = alert(doctor.get(f"/s/{token}").text)
    assert (
        "evening.mp4" in clinician and "6 spasm-like movements detected, in 1 cluster." in clinician
    )
    assert "reads only what the family logged" in clinician and "doctor" not in clinician
    # once the diary says as much, the answer and the video agree: nothing more is said
    log_episode(owner, child, SPASM_EPISODE)
    assert alert(owner.client.get(f"/children/{child}").text) == ""
    assert alert(doctor.get(f"/s/{token}").text) == ""


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
    assert "Analysing the video on this machine" in part
    earlier = part.split('class="small muted previous-result"')[1].split("</p>")[0]
    assert "Until it finishes, the analysis before it (at normal sensitivity):" in " ".join(
        earlier.split()
    )
    assert "6 spasm-like movements detected, in 1 cluster." in earlier
