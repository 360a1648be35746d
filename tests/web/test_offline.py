"""The installable app with the test client: the manifest, the service worker and what it
may keep, and episodes sent from the browser's queue stored once per key."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from web.webworld import SPASM_FORM, add_child, anonymous, new_app, sign_up


def _send(person, child_id: int, key: str, form: dict | None = None, csrf: str | None = None):  # type: ignore[no-untyped-def]
    return person.client.post(
        f"/api/v1/children/{child_id}/episodes/form",
        data=form or SPASM_FORM,
        headers={"Idempotency-Key": key, "X-CSRF-Token": person.csrf if csrf is None else csrf},
        follow_redirects=False,
    )


def test_manifest_and_service_worker(tmp_path: Path) -> None:
    visitor = anonymous(new_app(tmp_path))
    manifest = visitor.client.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["start_url"] == "/" and body["display"] == "standalone"
    for icon in body["icons"]:
        assert visitor.client.get(icon["src"]).status_code == 200
    worker = visitor.client.get("/sw.js")
    assert worker.headers["content-type"].startswith("text/javascript")
    assert worker.headers["service-worker-allowed"] == "/"
    assert "__VERSION__" not in worker.text
    assert re.search(r'var VERSION = "[0-9a-f]{12}"', worker.text)
    # It keeps only public pages and static files, fetched without cookies.
    assert 'credentials: "omit"' in worker.text
    kept = re.search(r"var PAGES = \[([^\]]*)\]", worker.text)
    assert kept is not None
    pages = re.findall(r'"([^"]+)"', kept.group(1))
    assert pages == ["/", "/guide", "/now", "/check", "/log", "/offline"]
    for path in pages:
        page = visitor.client.get(path)
        assert page.status_code == 200, path
        assert 'src="/static/offline.js"' in page.text
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page.text


def test_offline_pages_hold_no_private_data(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "kim@example.org")
    add_child(parent, "Secret Name")
    for path in ("/log", "/offline", "/now", "/"):
        # What the service worker keeps is fetched without cookies.
        text = anonymous(app).client.get(path).text
        assert "Secret Name" not in text and "kim@example.org" not in text
    session = parent.client.get("/api/v1/offline/session").json()
    assert session["csrf"] == parent.csrf
    assert [c["name"] for c in session["children"]] == ["Secret Name"]
    assert anonymous(app).client.get("/api/v1/offline/session").json() == {
        "user": None,
        "csrf": None,
        "children": [],
    }


def test_a_queued_episode_is_stored_once_per_key(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "lee@example.org")
    child_id = add_child(parent)
    key = str(uuid.uuid4())
    first = _send(parent, child_id, key)
    assert first.status_code == 201, first.text
    again = _send(parent, child_id, key)
    assert again.status_code == 200
    assert again.json() == {"episode_id": first.json()["episode_id"], "replayed": True}
    other = _send(parent, child_id, str(uuid.uuid4()))
    assert other.status_code == 201
    episodes = parent.client.get(f"/api/v1/children/{child_id}/episodes").json()
    assert len(episodes) == 2
    assert episodes[0]["episode"]["count"] == 10


def test_a_queued_episode_refused_or_not_allowed(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "max@example.org")
    child_id = add_child(parent)
    refused = _send(parent, child_id, str(uuid.uuid4()), {**SPASM_FORM, "count": "lots"})
    assert refused.status_code == 422
    assert refused.json()["detail"]["count"].startswith("How many in a row")
    assert _send(parent, child_id, "short").status_code == 400
    assert _send(parent, child_id, str(uuid.uuid4()), csrf="forged").status_code == 403
    stranger = sign_up(app, "eve@example.org")
    assert _send(stranger, child_id, str(uuid.uuid4())).status_code == 404
    # A key already used for one child's episode is never another child's.
    key = str(uuid.uuid4())
    assert _send(parent, child_id, key).status_code == 201
    second = add_child(parent, "Noa")
    assert _send(parent, second, key).status_code == 409
    visitor = anonymous(app)
    assert _send(visitor, child_id, str(uuid.uuid4())).status_code == 401
    assert len(parent.client.get(f"/api/v1/children/{child_id}/episodes").json()) == 1
