"""The API's ``Idempotency-Key`` as scripts of several families use it: a key is the
account's own (per child), a repeat must send the same episode, the audit says ``api``,
and the offline form's keys keep their own way."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from spasmwatch.diary.queued import KEY_REUSED
from spasmwatch.store.models import AuditEntry, EpisodeRow
from web.webworld import (
    SPASM_EPISODE,
    SPASM_FORM,
    Person,
    add_child,
    add_member,
    anonymous,
    new_app,
    sign_up,
)

#: A key made from the episode's time, as a script may make it: alike in every family.
TIME_KEY = {"Idempotency-Key": "episode-2026-11-20T07-05"}


def _script(app: Any, person: Person) -> Any:
    """A client without cookies holding a new write token of ``person``."""
    page = person.form("/settings/token", {"label": "script", "scope": "write", "days": "30"})
    found = re.search(r'id="api-token">([^<]+)<', page.text)
    assert found is not None, page.text
    client = anonymous(app).client
    client.cookies.clear()
    client.headers["Authorization"] = f"Bearer {found.group(1)}"
    return client


def _episodes(app: Any, child: int) -> list[EpisodeRow]:
    with app.state.db.reading() as s:
        return list(s.scalars(select(EpisodeRow).where(EpisodeRow.child_id == child)))


def test_the_same_key_in_two_families_is_two_keys(tmp_path: Path, database_url: str) -> None:
    app = new_app(tmp_path, database_url)
    ann, bob = sign_up(app, "ann@example.org"), sign_up(app, "bob@example.org")
    mia, leo = add_child(ann, "Mia"), add_child(bob, "Leo")
    ann_script, bob_script = _script(app, ann), _script(app, bob)

    first = ann_script.post(
        f"/api/v1/children/{mia}/episodes", json=SPASM_EPISODE, headers=TIME_KEY
    )
    assert first.status_code == 201
    # Bob's script makes the same key: his own episode, and nothing said of Ann's
    theirs = bob_script.post(
        f"/api/v1/children/{leo}/episodes", json={**SPASM_EPISODE, "count": 4}, headers=TIME_KEY
    )
    assert theirs.status_code == 201, theirs.text
    assert theirs.json()["id"] != first.json()["id"]
    assert theirs.json()["episode"]["count"] == 4
    # each retry finds its own
    again = ann_script.post(
        f"/api/v1/children/{mia}/episodes", json=SPASM_EPISODE, headers=TIME_KEY
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    bob_again = bob_script.post(
        f"/api/v1/children/{leo}/episodes", json={**SPASM_EPISODE, "count": 4}, headers=TIME_KEY
    )
    assert bob_again.status_code == 200 and bob_again.json()["id"] == theirs.json()["id"]

    # a caregiver of Mia's, with a script of her own, has keys of her own as well
    cleo = sign_up(app, "cleo@example.org")
    add_member(ann, mia, cleo, "caregiver")
    hers = _script(app, cleo).post(
        f"/api/v1/children/{mia}/episodes", json=SPASM_EPISODE, headers=TIME_KEY
    )
    assert hers.status_code == 201 and hers.json()["id"] != first.json()["id"]

    assert len(_episodes(app, mia)) == 2 and len(_episodes(app, leo)) == 1
    # the column never holds a script's key as sent, only its scoped form
    for row in _episodes(app, mia) + _episodes(app, leo):
        assert row.client_key is not None and row.client_key.startswith("api:")
        assert len(row.client_key) <= 64 and "episode-2026" not in row.client_key


def test_a_key_sent_again_with_another_episode_is_refused(
    tmp_path: Path, database_url: str
) -> None:
    app = new_app(tmp_path, database_url)
    ann = sign_up(app, "ann@example.org")
    mia = add_child(ann)
    script = _script(app, ann)
    episodes = f"/api/v1/children/{mia}/episodes"
    key = {"Idempotency-Key": str(uuid.uuid4())}

    first = script.post(episodes, json=SPASM_EPISODE, headers=key)
    assert first.status_code == 201
    other = script.post(episodes, json={**SPASM_EPISODE, "count": 12}, headers=key)
    assert other.status_code == 422
    assert other.json()["detail"] == [KEY_REUSED]
    assert "used with another episode" in KEY_REUSED
    # the same episode written otherwise (field order, 1 for 1.0, no seconds) is a repeat
    rewritten = dict(reversed(list(SPASM_EPISODE.items())))
    rewritten.update(movement_seconds=1, started_at="2026-11-20T07:05")
    same = script.post(episodes, json=rewritten, headers=key)
    assert same.status_code == 200, same.text
    assert same.json()["id"] == first.json()["id"]
    # a repeat the case format refuses says why, as any refused body
    refused = script.post(episodes, json={"movements": ["nod"]}, headers=key)
    assert refused.status_code == 422 and "'movements[0]'" in refused.json()["detail"][0]
    assert [(r.id, r.data["count"]) for r in _episodes(app, mia)] == [(first.json()["id"], 10)]


def test_a_repeat_after_an_edit_is_answered_with_the_episode_as_it_is(
    tmp_path: Path, database_url: str
) -> None:
    """What the first send said is lost once the episode is changed: the repeat is taken
    as one (refusing it would have the script send the episode again under a new key)."""
    app = new_app(tmp_path, database_url)
    ann = sign_up(app, "ann@example.org")
    mia = add_child(ann)
    script = _script(app, ann)
    episodes = f"/api/v1/children/{mia}/episodes"
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = script.post(episodes, json=SPASM_EPISODE, headers=key).json()
    with app.state.db.transaction() as s:  # logged a minute ago, the retry comes now
        row = s.get(EpisodeRow, first["id"])
        assert row is not None
        row.logged_at -= timedelta(minutes=1)
        row.updated_at = row.logged_at
    edited = script.put(f"{episodes}/{first['id']}", json={**SPASM_EPISODE, "count": 12})
    assert edited.status_code == 200

    again = script.post(episodes, json=SPASM_EPISODE, headers=key)
    assert again.status_code == 200, again.text
    assert again.json()["id"] == first["id"] and again.json()["episode"]["count"] == 12
    assert len(_episodes(app, mia)) == 1


def test_the_audit_says_how_the_episode_came(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    mia = add_child(ann)
    by_script = (
        _script(app, ann)
        .post(f"/api/v1/children/{mia}/episodes", json=SPASM_EPISODE, headers=TIME_KEY)
        .json()["id"]
    )
    queued = ann.client.post(
        f"/api/v1/children/{mia}/episodes/form",
        data=SPASM_FORM,
        headers={"Idempotency-Key": str(uuid.uuid4()), "X-CSRF-Token": ann.csrf},
    ).json()["episode_id"]
    with app.state.db.reading() as s:
        details = set(
            s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "log_episode"))
        )
    assert {f"api {by_script}", f"queued {queued}"} <= details


def test_the_offline_forms_keys_keep_their_way(tmp_path: Path) -> None:
    """The browser's keys are stored as they are, and are apart from the API's: the same
    key sent to both is two episodes; the form's repeat and its key sent for another child
    are answered as before."""
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    mia = add_child(ann)
    key = str(uuid.uuid4())

    def send(child: int) -> Any:
        return ann.client.post(
            f"/api/v1/children/{child}/episodes/form",
            data=SPASM_FORM,
            headers={"Idempotency-Key": key, "X-CSRF-Token": ann.csrf},
        )

    queued = send(mia)
    assert queued.status_code == 201
    by_api = ann.api(
        "POST",
        f"/api/v1/children/{mia}/episodes",
        json=SPASM_EPISODE,
        headers={"Idempotency-Key": key},
    )
    assert by_api.status_code == 201 and by_api.json()["id"] != queued.json()["episode_id"]
    assert send(mia).json() == {"episode_id": queued.json()["episode_id"], "replayed": True}
    assert send(add_child(ann, "Noa")).status_code == 409
    with app.state.db.reading() as s:
        assert s.get(EpisodeRow, queued.json()["episode_id"]).client_key == key  # type: ignore[union-attr]
