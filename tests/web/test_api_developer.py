"""The JSON API as a developer with a token meets it: how to authenticate is declared and
said when it goes wrong, one recording's analysis can be polled, a retried episode is
stored once, times carry their offset, and a bad body is said in words."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.routing import APIRoute

from spasmwatch.store.models import Attachment, EpisodeRow
from web.webworld import (
    EDF_FILE,
    SPASM_EPISODE,
    Person,
    add_child,
    anonymous,
    new_app,
    sign_up,
    upload,
)

BEARER = "Authorization: Bearer <token>"


def _token(person: Person, scope: str = "write") -> str:
    """A new API token made on the settings page (shown once)."""
    page = person.form("/settings/token", {"label": "script", "scope": scope, "days": "30"})
    assert page.status_code == 200, page.text
    found = re.search(r'id="api-token">([^<]+)<', page.text)
    assert found is not None
    return found.group(1)


def _script(app: Any, token: str | None = None) -> Any:
    """A client without cookies, as a script is; with ``token`` as a bearer token."""
    client = anonymous(app).client
    client.cookies.clear()
    if token is not None:
        client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_openapi_declares_the_bearer_token(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    spec = _script(app).get("/api/v1/openapi.json").json()
    scheme = spec["components"]["securitySchemes"]["apiToken"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    assert "/settings" in scheme["description"]
    paths = spec["paths"]
    for path, method in (
        ("/api/v1/children", "get"),
        ("/api/v1/children/{child_id}/episodes", "post"),
        ("/api/v1/children/{child_id}/attachments/{attachment_id}/analysis", "get"),
        ("/api/v1/children/{child_id}/treatments", "post"),
        ("/api/v1/children/{child_id}/fhir", "get"),
    ):
        operation = paths[path][method]
        assert operation["security"] == [{"apiToken": []}], path
        assert "401" in operation["responses"], path
    # the public operations need no token, and say so by declaring none
    assert "security" not in paths["/api/v1/triage"]["post"]
    assert "security" not in paths["/api/v1/episode-draft"]["post"]
    assert "Authorization: Bearer <token>" in spec["info"]["description"]
    # the episode's retry key is a documented header
    headers = [
        p["name"] for p in paths["/api/v1/children/{child_id}/episodes"]["post"]["parameters"]
    ]
    assert "Idempotency-Key" in headers


def test_an_authorization_header_of_another_form_is_told_the_right_one(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    child = add_child(ann)
    token = _token(ann)
    script = _script(app)
    episodes = f"/api/v1/children/{child}/episodes"

    for header, sent in (
        (f"Token {token}", "'Token'"),
        (f"Basic {token}", "'Basic'"),
        (token, "without a scheme"),
        ("Bearer", "'Bearer' without a token"),
    ):
        answer = script.get(episodes, headers={"Authorization": header})
        assert answer.status_code == 401, header
        detail = answer.json()["detail"]
        assert BEARER in detail and sent in detail and "/settings" in detail
        assert token not in detail  # a token sent in the wrong form is never said back
        assert answer.headers["www-authenticate"].startswith("Bearer")

    wrong = script.get(episodes, headers={"Authorization": "Bearer not-a-token"})
    assert wrong.status_code == 401
    assert "not valid" in wrong.json()["detail"] and "expired" in wrong.json()["detail"]
    assert "Sign in first" not in wrong.json()["detail"]
    assert 'error="invalid_token"' in wrong.headers["www-authenticate"]

    assert script.get(episodes, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert script.get(episodes, headers={"Authorization": f"bearer {token}"}).status_code == 200
    # Nothing sent at all: sign in first, as before.
    assert script.get(episodes).json()["detail"] == "Sign in first"


def test_a_password_proxy_in_front_keeps_working_for_browsers(tmp_path: Path) -> None:
    """A proxy that asks for a password of its own passes its ``Basic`` header on with
    every request: a signed-in browser is known by its cookie, and the installable app's
    check of who is signed in still answers nobody rather than 401."""
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    child = add_child(ann)
    proxy = {"Authorization": "Basic cHJveHk6cGFzc3dvcmQ="}
    assert ann.api("GET", f"/api/v1/children/{child}/episodes", headers=proxy).status_code == 200
    logged = ann.api(
        "POST", f"/api/v1/children/{child}/episodes", json=SPASM_EPISODE, headers=proxy
    )
    assert logged.status_code == 201
    signed_out = _script(app).get("/api/v1/offline/session", headers=proxy)
    assert signed_out.status_code == 200 and signed_out.json()["user"] is None
    # the pages never read the header
    assert ann.client.get(f"/children/{child}", headers=proxy).status_code == 200


def test_a_cookie_call_without_the_csrf_header_is_pointed_to_tokens(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    child = add_child(ann)
    episodes = f"/api/v1/children/{child}/episodes"

    # "Try it out" at /api/docs from the signed-in browser: the cookie, no X-CSRF-Token
    refused = ann.client.post(episodes, json=SPASM_EPISODE)
    assert refused.status_code == 403
    detail = refused.json()["detail"]
    assert "X-CSRF-Token" in detail and BEARER in detail and "Authorize" in detail
    # a wrong token is refused as before, with the form's words
    stale = ann.client.post(episodes, json=SPASM_EPISODE, headers={"X-CSRF-Token": "stale"})
    assert stale.status_code == 403 and "expired" in stale.json()["detail"]
    assert ann.api("GET", episodes).json() == []
    # the pages' forms say what they said
    page = ann.client.post(f"/children/{child}/delete", data={}, follow_redirects=False)
    assert page.status_code == 403 and "Bearer" not in page.text
    # with the header, or with a token, it is stored
    assert ann.api("POST", episodes, json=SPASM_EPISODE).status_code == 201
    script = _script(app, _token(ann))
    assert script.post(episodes, json=SPASM_EPISODE).status_code == 201


def test_one_recording_is_polled_without_downloading_it(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    child = add_child(ann)
    attachment = upload(ann, child)
    script = _script(app, _token(ann, "read"))

    status = script.get(f"/api/v1/children/{child}/attachments/{attachment}/analysis")
    assert status.status_code == 200
    assert status.headers["content-type"].startswith("application/json")
    listed = script.get(f"/api/v1/children/{child}/attachments").json()
    assert status.json() == next(a for a in listed if a["id"] == attachment)
    # the file holds only annotations: its analysis has finished, and failed saying why
    analysis = status.json()["analysis"]
    assert analysis["status"] == "failed" and "no EEG" in analysis["error"]

    # the download is still the file itself
    download = script.get(f"/api/v1/children/{child}/attachments/{attachment}")
    assert download.status_code == 200 and download.content[:1] == b"0"
    assert len(download.content) == status.json()["size_bytes"]

    missing = script.get(f"/api/v1/children/{child}/attachments/{attachment + 99}/analysis")
    assert missing.status_code == 404
    stranger = sign_up(app, "bob@example.org")
    other = stranger.api("GET", f"/api/v1/children/{child}/attachments/{attachment}/analysis")
    assert other.status_code == 404


@pytest.fixture
def new_york() -> Iterator[ZoneInfo]:
    """The server's clock in New York (the tables keep local time without a zone), so that
    a time said without its conversion to UTC shows."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        yield ZoneInfo("America/New_York")
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def _utc(text: str) -> datetime:
    when = datetime.fromisoformat(text)
    assert when.utcoffset() == timedelta(0), text
    return when


def test_times_are_utc_with_their_offset(
    tmp_path: Path, database_url: str, new_york: ZoneInfo
) -> None:
    app = new_app(tmp_path, database_url)
    ann = sign_up(app, "ann@example.org")
    child = add_child(ann)
    logged = ann.api("POST", f"/api/v1/children/{child}/episodes", json=SPASM_EPISODE).json()
    attachment = upload(ann, child)
    said = ann.api("GET", f"/api/v1/children/{child}/attachments/{attachment}/analysis").json()

    with app.state.db.reading() as s:
        episode = s.get(EpisodeRow, logged["id"])
        stored = s.get(Attachment, attachment)
        assert episode is not None and stored is not None
        logged_at, uploaded_at = episode.logged_at, stored.uploaded_at
        analysed_at = stored.analysis["analysed_at"]
    # the same instants as stored (the server's local time), said in UTC
    assert _utc(logged["logged_at"]) == logged_at.replace(tzinfo=new_york)
    assert _utc(logged["updated_at"]) == logged_at.replace(tzinfo=new_york)
    assert _utc(said["uploaded_at"]) == uploaded_at.replace(tzinfo=new_york)
    assert _utc(said["analysis"]["analysed_at"]) == datetime.fromisoformat(analysed_at).replace(
        tzinfo=new_york
    )
    listed = ann.api("GET", f"/api/v1/children/{child}/episodes").json()
    assert listed[0]["logged_at"] == logged["logged_at"]
    # the episode's own start is the family's wall-clock time, as it was logged
    assert listed[0]["episode"]["started_at"] == SPASM_EPISODE["started_at"]


def test_an_idempotency_key_stores_a_retried_episode_once(
    tmp_path: Path, database_url: str
) -> None:
    app = new_app(tmp_path, database_url)
    ann = sign_up(app, "ann@example.org")
    child = add_child(ann)
    script = _script(app, _token(ann))
    episodes = f"/api/v1/children/{child}/episodes"
    key = {"Idempotency-Key": "3f1c2a9e-7b5d-4e8a-9c0f-1a2b3c4d5e6f"}

    first = script.post(episodes, json=SPASM_EPISODE, headers=key)
    assert first.status_code == 201
    again = script.post(episodes, json=SPASM_EPISODE, headers=key)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["episode"] == first.json()["episode"]
    assert again.json()["triage"]["level"] == first.json()["triage"]["level"] == "same_day"
    assert [e["id"] for e in script.get(episodes).json()] == [first.json()["id"]]

    # another key is another episode; no key, as before, one each time
    other = script.post(episodes, json=SPASM_EPISODE, headers={"Idempotency-Key": "b" * 16})
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    assert script.post(episodes, json=SPASM_EPISODE).status_code == 201
    assert len(script.get(episodes).json()) == 3

    # a key that is not one
    bad = script.post(episodes, json=SPASM_EPISODE, headers={"Idempotency-Key": "short"})
    assert bad.status_code == 400 and "16-64" in bad.json()["detail"]
    # a key is kept per child: the same key for another child is that child's episode
    second_child = add_child(ann, "Leo")
    elsewhere = script.post(
        f"/api/v1/children/{second_child}/episodes", json=SPASM_EPISODE, headers=key
    )
    assert elsewhere.status_code == 201 and elsewhere.json()["id"] != first.json()["id"]
    # a body refused with a key stores nothing, names the field, and the key stays free
    fresh = {"Idempotency-Key": "c" * 20}
    refused = script.post(episodes, json={"movements": ["nod"]}, headers=fresh)
    assert refused.status_code == 422 and "'movements[0]'" in refused.json()["detail"][0]
    assert script.post(episodes, json=SPASM_EPISODE, headers=fresh).status_code == 201
    assert len(script.get(episodes).json()) == 4


def test_a_bad_body_is_said_in_words(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    child = add_child(ann)
    episodes = f"/api/v1/children/{child}/episodes"
    as_json = {"Content-Type": "application/json"}

    broken = ann.api(
        "POST", episodes, content=b'{"movements": ["head_nod"],\n "count": }', headers=as_json
    )
    assert broken.status_code == 422
    assert broken.json()["detail"] == [
        "The body is not valid JSON: Expecting value at line 2, column 11"
    ]
    form = ann.api("POST", episodes, data={"movements": "head_nod"})
    assert form.status_code == 422
    (said,) = form.json()["detail"]
    assert "Content-Type: application/json" in said and "x-www-form-urlencoded" in said
    untyped = ann.api("POST", episodes, content=b'{"movements": ["head_nod"]}')
    assert "without a Content-Type header" in untyped.json()["detail"][0]
    array = ann.api("POST", episodes, json=[SPASM_EPISODE])
    assert array.json()["detail"] == ["The body must be a JSON object ({...}); got an array"]
    empty = ann.api("POST", episodes, content=b"", headers=as_json)
    assert "The body is empty" in empty.json()["detail"][0]
    # the same on a replacement and on a new child
    put = ann.api("PUT", f"/api/v1/children/{child}", content=b"{nope", headers=as_json)
    assert put.json()["detail"][0].startswith("The body is not valid JSON: ")
    # a path that cannot be is said as before, by its part
    path = ann.api("GET", "/api/v1/children/abc")
    assert path.status_code == 422 and path.json()["detail"][0].startswith("child_id: ")

    null = ann.api("POST", episodes, json={"movements": None})
    assert null.status_code == 422
    (said,) = null.json()["detail"]
    assert said.startswith("Missing value for 'movements'") and "head_nod" in said

    born = ann.api(
        "POST", "/api/v1/children", json={"name": "Leo", "child": {"birth_date": "2026-05-01"}}
    ).json()["id"]
    early = {"movements": ["head_nod"], "started_at": "2026-04-01T08:00:00"}
    before = ann.api("POST", f"/api/v1/children/{born}/episodes", json=early)
    assert before.status_code == 422
    assert before.json()["detail"][0].startswith("started_at 2026-04-01T08:00:00 is before")
    assert "episodes[" not in before.json()["detail"][0]
    logged = ann.api("POST", f"/api/v1/children/{born}/episodes", json=SPASM_EPISODE).json()["id"]
    edited = ann.api("PUT", f"/api/v1/children/{born}/episodes/{logged}", json=early)
    assert edited.status_code == 422 and "episodes[" not in edited.json()["detail"][0]
    assert ann.api("GET", episodes).json() == []


def test_an_upload_for_an_unknown_episode_names_the_field(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    child = add_child(ann)
    with EDF_FILE.open("rb") as f:
        answer = ann.api(
            "POST",
            f"/api/v1/children/{child}/attachments",
            files={"file": (EDF_FILE.name, f)},
            data={"episode_id": "999"},
        )
    assert answer.status_code == 422
    (said,) = answer.json()["detail"]
    assert "'episode_id'" in said and "999" in said
    assert ann.api("GET", f"/api/v1/children/{child}/attachments").json() == []
    # another child's diary is still not found at all
    elsewhere = ann.api(
        "POST", f"/api/v1/children/{child + 99}/attachments", files={"file": ("x", b"x")}
    )
    assert elsewhere.status_code == 404


def _api_routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(method, path) of every route under /api/ the app serves, included routers too."""
    for route in routes:
        included = getattr(route, "original_router", None)  # FastAPI's lazy routers
        if included is not None:
            context = getattr(route, "include_context", None)
            yield from _api_routes(included.routes, prefix + (getattr(context, "prefix", "") or ""))
        elif isinstance(route, APIRoute) and (prefix + route.path).startswith("/api/"):
            yield from ((method, prefix + route.path) for method in route.methods)


def test_every_401_of_the_api_carries_the_bearer_challenge(tmp_path: Path) -> None:
    """Whichever layer refuses a call for want of a sign-in ("Sign in first" too), a script
    is told to send a bearer token; a page asks no one for a token."""
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    child = add_child(ann)
    script = _script(app)
    refused, unchallenged = set(), []
    for method, path in sorted(_api_routes(app.routes)):
        address = re.sub(r"\{[a-z_]+\}", str(child), path)
        answer = script.request(method, address, json={})
        if answer.status_code == 401:
            refused.add(address)
            if answer.headers.get("www-authenticate") != 'Bearer realm="spasmwatch API"':
                unchallenged.append(f"{method} {address}")
    assert unchallenged == []
    assert f"/api/v1/children/{child}" in refused  # said by the diary's own check
    assert "/api/v1/children" in refused
    page = script.get(f"/children/{child}", follow_redirects=False)
    assert page.status_code == 303 and "www-authenticate" not in page.headers
