"""Recordings on the child: a video or EEG file added to the child page, linked to an
episode or to none, that changes neither the triage nor the chart."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

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
)


def _add(person: Any, child: int, path: Path, episode: str = "") -> Any:
    with path.open("rb") as f:
        return person.form(
            f"/children/{child}/attachments",
            {"episode_id": episode},
            files={"file": (path.name, f, "application/octet-stream")},
        )


def _diary_of(person: Any, child: int) -> tuple[Any, ...]:
    """What the triage, the chart, the CSV and the FHIR export say of the diary."""
    triage = person.api("GET", f"/api/v1/children/{child}/triage").json()
    triage.pop("generated_at", None)
    episodes = person.api("GET", f"/api/v1/children/{child}/episodes").json()
    csv = person.api("GET", f"/api/v1/children/{child}/episodes.csv").text
    page = person.client.get(f"/children/{child}").text
    chart = re.search(r'<section aria-labelledby="chart-h">.*?</section>', page, re.S)
    assert chart
    return triage["level"], triage["reasons"], len(episodes), csv, chart.group(0)


def test_a_recording_on_the_child_is_not_an_episode(tmp_path: Path, database_url: str) -> None:
    app = new_app(tmp_path, database_url)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    log_episode(owner, child, {**SPASM_EPISODE, "count": 3})
    before = _diary_of(owner, child)
    response = _add(owner, child, EDF_FILE)
    assert response.status_code == 303
    assert response.headers["location"] == f"/children/{child}#recordings"
    assert _diary_of(owner, child) == before
    with app.state.db.reading() as s:
        rows = repo.attachments_for(s, child)
    assert [(r.kind, r.episode_id) for r in rows] == [("eeg", None)]
    page = owner.client.get(f"/children/{child}").text
    section = page.split('id="recordings"', 1)[1]
    assert EDF_FILE.name in section and f'id="recording-{rows[0].id}"' in section
    # It is not listed under an episode, and the doctor sees it too.
    timeline = page.split('id="timeline-title"', 1)[1].split('id="recordings"', 1)[0]
    assert EDF_FILE.name not in timeline
    token, _ = share(owner, child)
    shared = anonymous(app).client.get(f"/s/{token}").text
    assert 'id="recordings"' in shared and EDF_FILE.name in shared.split('id="recordings"')[1]


def test_a_recording_can_belong_to_an_episode(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    episode = log_episode(owner, child)
    response = _add(owner, child, EDF_FILE, str(episode))
    assert response.status_code == 303
    assert response.headers["location"] == f"/children/{child}#episode-{episode}"
    page = owner.client.get(f"/children/{child}").text
    entry = page.split(f'id="episode-{episode}"', 1)[1].split("</li>", 1)[0]
    assert EDF_FILE.name in entry
    # The form lists the episodes to choose from, and "none".
    assert f'<option value="{episode}">' in page and '<option value="">' in page


def test_what_is_refused(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    other = sign_up(app, "other@example.org")
    theirs = add_child(other, "Theirs")
    their_episode = log_episode(other, theirs)
    viewer = sign_up(app, "viewer@example.org")
    add_member(owner, child, viewer, "viewer")
    # Another family's episode, a made-up one, a word: nothing stored.
    assert _add(owner, child, EDF_FILE, str(their_episode)).status_code == 404
    assert _add(owner, child, EDF_FILE, "abc").status_code == 422
    not_a_recording = tmp_path / "notes.txt"
    not_a_recording.write_text("hello")
    refused = _add(owner, child, not_a_recording)
    assert refused.status_code == 422
    assert owner.form(f"/children/{child}/attachments").status_code == 422
    assert _add(viewer, child, EDF_FILE).status_code == 403
    assert _add(other, child, EDF_FILE).status_code == 404
    with app.state.db.reading() as s:
        assert repo.attachments_for(s, child) == []
    # The viewer sees no form.
    assert (
        f'action="/children/{child}/attachments"'
        not in viewer.client.get(f"/children/{child}").text
    )


def test_the_file_pickers_let_a_parent_choose_a_clip(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    for path in (f"/children/{child}", f"/children/{child}/episodes/new"):
        page = owner.client.get(path).text
        assert 'type="file"' in page
        assert "capture=" not in page  # the camera is offered, never forced
