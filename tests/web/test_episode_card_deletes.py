"""An episode's card with a recording: the recording's delete is inside the recording's
own frame and says what it deletes ("Delete this video", "Delete this EEG file"); the
episode's own "Delete this episode" is at the card's foot, after the recordings, in the
episode's actions. Each still asks for its box first, and goes to the same route, for the
same people, as before."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

from spasmwatch.store import repo
from web.webworld import (
    EDF_FILE,
    SPASM_EPISODE,
    add_child,
    add_member,
    log_episode,
    new_app,
    sign_up,
)


def _attach(app: Any, person: Any, child: int, episode: int, path: Path, kind: str) -> int:
    """Add the file at ``path`` to the episode through the page's form; its id."""
    with path.open("rb") as f:
        sent = person.form(
            f"/children/{child}/attachments",
            {"episode_id": str(episode)},
            files={"file": (path.name, f, kind)},
        )
    assert sent.status_code == 303, sent.text
    with app.state.db.reading() as s:
        return max(r.id for r in repo.attachments_for(s, child))


def _card(html: str, episode: int) -> str:
    """The episode's card (the diary's only one): up to the end of the list of episodes."""
    return html.split(f'id="episode-{episode}"', 1)[1].split('id="recordings"', 1)[0]


def test_a_recordings_delete_is_inside_its_frame_and_the_episodes_at_the_foot(
    tmp_path: Path,
) -> None:
    from web.test_browser import _small_video

    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    episode = log_episode(owner, child, {**SPASM_EPISODE, "count": 3})
    video = _attach(app, owner, child, episode, _small_video(tmp_path / "cluster.mp4"), "video/mp4")
    eeg = _attach(app, owner, child, episode, EDF_FILE, "application/octet-stream")
    page = owner.client.get(f"/children/{child}").text
    card = _card(page, episode)

    # Each recording's frame holds its own delete, named by what the file is ...
    for attachment, words in ((video, "Delete this video"), (eeg, "Delete this EEG file")):
        frame = re.search(
            rf'<div class="recording" id="recording-{attachment}">.*?'
            r'<details class="delete-ask delete-recording">.*?</details>\s*</div>',
            card,
            re.S,
        )
        assert frame, f"the delete of recording {attachment} is inside its frame"
        asked = frame.group(0).split('<details class="delete-ask delete-recording">')[1]
        assert f"<summary>{words}</summary>" in asked
        assert f'action="/children/{child}/attachments/{attachment}/delete"' in asked
        assert 'name="confirm" value="yes" required' in asked
    assert "Delete this recording" not in card
    # ... and the episode's is at the card's foot, after every recording, named as the
    # episode's, with its own box and route.
    foot = card.split('<div class="actions episode-actions">', 1)
    assert len(foot) == 2, "the episode's actions are at the card's foot"
    assert 'class="recording"' not in foot[1] and "delete-recording" not in foot[1]
    assert "<summary>Delete this episode</summary>" in foot[1]
    assert f'action="/children/{child}/episodes/{episode}/delete"' in foot[1]
    assert "Yes, delete this episode and the files attached to it" in foot[1]
    assert card.index(f'id="recording-{eeg}"') < card.index("episode-actions")
    # the two deletes never follow each other: the recording's frame ends in between
    between = card.split("delete-recording", 2)[-1].split("delete-episode")[0]
    assert "</div>" in between and 'class="actions episode-actions"' in between


def test_the_card_in_spanish_and_the_routes_and_rights_as_before(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    episode = log_episode(owner, child)
    eeg = _attach(app, owner, child, episode, EDF_FILE, "application/octet-stream")
    viewer = sign_up(app, "viewer@example.org")
    add_member(owner, child, viewer, "viewer")
    # A viewer sees neither delete.
    seen = viewer.client.get(f"/children/{child}").text
    assert "delete-recording" not in seen and "delete-episode" not in seen
    # In Spanish each says what it deletes (the catalogue's words once translated; the
    # English words until then), never the other's.
    owner.client.cookies.set("sw_lang", "es")
    card = _card(owner.client.get(f"/children/{child}").text, episode)
    recording = re.search(r"delete-recording\"><summary>([^<]+)</summary>", card)
    episode_words = re.search(r"delete-episode\"><summary>([^<]+)</summary>", card)
    assert recording and episode_words
    assert unescape(recording.group(1)) in ("Delete this EEG file", "Borrar este archivo de EEG")
    assert unescape(episode_words.group(1)) in ("Delete this episode", "Borrar este episodio")
    owner.client.cookies.set("sw_lang", "en")
    # The routes are the same: a viewer is refused, the box is needed, then each deletes
    # only its own: the recording leaves, the episode stays.
    url = f"/children/{child}/attachments/{eeg}/delete"
    assert viewer.form(url, {"confirm": "yes"}).status_code == 403
    assert owner.form(url).status_code == 422
    assert owner.form(url, {"confirm": "yes"}).status_code == 303
    with app.state.db.reading() as s:
        assert repo.attachments_for(s, child) == []
        assert len(repo.episodes_for(s, child)) == 1
    delete = f"/children/{child}/episodes/{episode}/delete"
    assert viewer.form(delete, {"confirm": "yes"}).status_code == 403
    assert owner.form(delete, {"confirm": "yes"}).status_code == 303
    with app.state.db.reading() as s:
        assert repo.episodes_for(s, child) == []


def test_a_delete_from_the_page_loads_it_again_with_the_answer_as_the_diary_now_is(
    tmp_path: Path,
) -> None:
    """The page deletes with htmx: the answer is an ``HX-Refresh``, which loads the page
    again (the answer, the counts and a recording's alert change with the diary), as a
    redirect to the child's page does without scripts and after logging an episode."""
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    startle = log_episode(owner, child, {**SPASM_EPISODE, "movements": ["startle"], "count": 1})
    eeg = _attach(app, owner, child, startle, EDF_FILE, "application/octet-stream")
    before = owner.client.get(f"/children/{child}").text
    assert '<section id="triage" class="triage level-none"' not in before
    htmx = {"HX-Request": "true"}

    recording = owner.form(
        f"/children/{child}/attachments/{eeg}/delete", {"confirm": "yes"}, headers=htmx
    )
    assert recording.status_code == 200 and recording.headers["HX-Refresh"] == "true"
    episode = owner.form(
        f"/children/{child}/episodes/{startle}/delete", {"confirm": "yes"}, headers=htmx
    )
    assert episode.status_code == 200 and episode.headers["HX-Refresh"] == "true"
    after = owner.client.get(f"/children/{child}").text
    assert '<section id="triage" class="triage level-none"' in after
    assert "Nothing logged yet" in after and "No episode logged yet." in after
    # a refused delete (the box not ticked) loads nothing again: it says what to tick
    again = log_episode(owner, child)
    refused = owner.form(f"/children/{child}/episodes/{again}/delete", headers=htmx)
    assert refused.status_code == 422 and "HX-Refresh" not in refused.headers
    # without scripts: back to the page, as before
    plain = owner.form(f"/children/{child}/episodes/{again}/delete", {"confirm": "yes"})
    assert plain.status_code == 303 and plain.headers["location"] == f"/children/{child}"
    assert "HX-Refresh" not in plain.headers
