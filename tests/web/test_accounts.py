"""Account controls: password change and reset, sign out everywhere, idle sessions, API
tokens with scope and expiry (real SQLite). Members and their invitation links:
test_invitations.py."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.store import repo
from spasmwatch.store.models import UserSession
from spasmwatch.web import auth
from web.webworld import (
    PASSWORD,
    SPASM_EPISODE,
    Person,
    add_child,
    add_member,
    anonymous,
    csrf_of,
    new_app,
    share,
    sign_up,
)

NEW_PASSWORD = "another long password"


def test_password_change_signs_out_everywhere_else(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    phone = anonymous(app)
    assert (
        phone.form("/signin", {"email": "ann@example.org", "password": PASSWORD}).status_code == 303
    )
    wrong = ann.form(
        "/settings/password", {"current_password": "not it", "new_password": NEW_PASSWORD}
    )
    assert wrong.status_code == 422 and "This is not your current password" in wrong.text
    short = ann.form("/settings/password", {"current_password": PASSWORD, "new_password": "x"})
    assert short.status_code == 422 and "at least 10 characters" in short.text
    done = ann.form(
        "/settings/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert done.status_code == 200 and "Your password is changed" in done.text
    assert ann.client.get("/children", follow_redirects=False).status_code == 200
    assert phone.client.get("/children", follow_redirects=False).status_code == 303
    visitor = anonymous(app)
    old = visitor.form("/signin", {"email": "ann@example.org", "password": PASSWORD})
    assert old.status_code == 401
    new = visitor.form("/signin", {"email": "ann@example.org", "password": NEW_PASSWORD})
    assert new.status_code == 303


def test_sign_out_everywhere_and_idle_sessions(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    phone = anonymous(app)
    phone.form("/signin", {"email": "ann@example.org", "password": PASSWORD})
    phone.csrf = csrf_of(phone.client.get("/children").text)
    response = phone.form("/settings/signout-all")
    assert response.status_code == 303 and response.headers["location"] == "/signin"
    for person in (ann, phone):
        assert person.client.get("/children", follow_redirects=False).status_code == 303

    # A session unused for more than 3 days has ended; one used in time goes on.
    bob = sign_up(app, "bob@example.org")
    assert bob.client.get("/children", follow_redirects=False).status_code == 200
    with app.state.db.transaction() as s:
        (row,) = s.query(UserSession).all()
        row.last_seen_at = repo.now() - timedelta(hours=71)
    assert bob.client.get("/children", follow_redirects=False).status_code == 200
    with app.state.db.transaction() as s:
        (row,) = s.query(UserSession).all()
        assert row.last_seen_at is not None and row.last_seen_at > repo.now() - timedelta(minutes=1)
        row.last_seen_at = repo.now() - timedelta(hours=73)
    response = bob.client.get("/children", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/signin")


def _token(person: object, scope: str, days: str = "30") -> str:
    page = person.form("/settings/token", {"label": scope, "scope": scope, "days": days})  # type: ignore[attr-defined]
    assert page.status_code == 200, page.text
    return re.search(r'id="api-token">([^<]+)<', page.text).group(1)  # type: ignore[union-attr]


def test_api_tokens_have_a_scope_an_expiry_and_work_on_the_api_only(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    child = add_child(ann)
    script = anonymous(app).client
    read, write = _token(ann, "read"), _token(ann, "write")

    def call(token: str, method: str, path: str, **kw: object) -> int:
        headers = {"Authorization": f"Bearer {token}"}
        return script.request(
            method, path, headers=headers, follow_redirects=False, **kw
        ).status_code  # type: ignore[arg-type]

    episodes = f"/api/v1/children/{child}/episodes"
    assert call(read, "GET", episodes) == 200
    assert call(read, "POST", episodes, json=SPASM_EPISODE) == 403
    assert call(write, "POST", episodes, json=SPASM_EPISODE) == 201
    # Never on the pages' routes (no CSRF there), so a token cannot make tokens either.
    assert call(write, "GET", f"/children/{child}") == 403
    assert call(write, "POST", "/settings/token", data={"scope": "write"}) == 403
    assert call(write, "POST", f"/children/{child}/delete") == 403
    assert ann.client.get(f"/children/{child}").status_code == 200

    page = ann.client.get("/settings").text
    assert "read · made" in page and "write · made" in page
    with app.state.db.transaction() as s:
        found = repo.api_token(s, auth.hash_token(read))
        assert found is not None
        found[0].expires_at = repo.now() - timedelta(seconds=1)
    assert call(read, "GET", episodes) == 401
    token_ids = re.findall(r"/settings/token/(\d+)/revoke", ann.client.get("/settings").text)
    assert len(token_ids) == 1  # the expired one is gone from the list
    assert ann.form(f"/settings/token/{token_ids[0]}/revoke").status_code == 303
    assert call(write, "GET", episodes) == 401
    bad = ann.form("/settings/token", {"scope": "admin"})
    assert bad.status_code == 422


def test_password_reset_by_a_one_time_code(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    app = new_app(tmp_path)
    sign_up(app, "ann@example.org")
    visitor = anonymous(app)
    assert visitor.client.get("/reset").status_code == 200
    known = visitor.form("/reset", {"email": "ann@example.org"})
    printed = capfd.readouterr().err
    unknown = visitor.form("/reset", {"email": "nobody@example.org"})
    assert capfd.readouterr().err == ""
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("ann@", "X@") == unknown.text.replace("nobody@", "X@")
    code = re.search(r"reset code for ann@example.org: (\S+)", printed).group(1)  # type: ignore[union-attr]

    def reset(code: str, password: str = NEW_PASSWORD, who: Person | None = None) -> Any:
        return (who or visitor).form(
            "/reset/code", {"email": "ann@example.org", "code": code, "new_password": password}
        )

    wrong = reset("AAAA-BBBB-CCCC")
    assert wrong.status_code == 401 and "not right or has expired" in wrong.text  # type: ignore[attr-defined]
    done = reset(code.lower())
    assert done.status_code == 303 and done.headers["location"] == "/children"  # type: ignore[attr-defined]
    assert reset(code, who=anonymous(app)).status_code == 401  # used up
    fresh = anonymous(app)
    ok = fresh.form("/signin", {"email": "ann@example.org", "password": NEW_PASSWORD})
    assert ok.status_code == 303
    guesser = anonymous(app)
    for _ in range(5):  # (the sign-in above cleared the account's count)
        assert reset("AAAA-BBBB-CCCC", who=guesser).status_code == 401
    assert "Too many attempts: try again in" in reset("AAAA-BBBB-CCCC", who=guesser).text


def test_reset_password_command(tmp_path: Path) -> None:
    app = new_app(tmp_path)  # data in tmp_path / "data"
    sign_up(app, "ann@example.org")
    made = subprocess.run(
        [sys.executable, "-m", "spasmwatch", "reset-password", "ANN@example.org",
         "--data-dir", str(tmp_path / "data")],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    code = re.search(r"One-time code for ann@example.org: (\S+)", made.stdout).group(1)  # type: ignore[union-attr]
    visitor = anonymous(app)
    done = visitor.form(
        "/reset/code", {"email": "ann@example.org", "code": code, "new_password": NEW_PASSWORD}
    )
    assert done.status_code == 303
    missing = subprocess.run(
        [sys.executable, "-m", "spasmwatch", "reset-password", "nobody@example.org",
         "--data-dir", str(tmp_path / "data")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert missing.returncode != 0 and "No account uses the email" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_an_account_is_deleted_with_its_password_once_it_owns_no_diary(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org", "Olga")
    helper = sign_up(app, "helper@example.org", "Hugo")
    child = add_child(owner, "Mia")
    add_member(owner, child, helper, "caregiver")
    episode = helper.api("POST", f"/api/v1/children/{child}/episodes", json=SPASM_EPISODE)
    assert episode.status_code == 201

    # an owner is told to delete the diary first, and nothing is deleted
    settings = owner.client.get("/settings").text
    owns = f'You own the diary of <a href="/children/{child}">Mia</a>'  # a link to it
    assert owns in settings and 'action="/settings/delete"' not in settings
    refused = owner.form("/settings/delete", {"password": PASSWORD})
    assert refused.status_code == 409 and owns in refused.text
    assert owner.client.get(f"/children/{child}").status_code == 200

    # a wrong password deletes nothing
    wrong = helper.form("/settings/delete", {"password": "not my password"})
    assert wrong.status_code == 422 and "This is not your current password" in wrong.text
    # said at the top of the page too, linked to the field far below
    top = wrong.text.split('<section class="card">')[0]
    assert '<a href="#delete_password">This is not your current password</a>' in top
    deleted = helper.form("/settings/delete", {"password": PASSWORD})
    assert deleted.status_code == 303 and deleted.headers["location"] == "/?account=deleted"
    assert "Your account is deleted." in helper.client.get(deleted.headers["location"]).text
    assert helper.client.get("/children", follow_redirects=False).status_code == 303
    back = anonymous(app).form("/signin", {"email": "helper@example.org", "password": PASSWORD})
    assert back.status_code == 401  # no such account any more
    # what the helper logged stays in the diary; the role is gone from the members
    assert len(owner.api("GET", f"/api/v1/children/{child}/episodes").json()) == 1
    page = owner.client.get(f"/children/{child}").text
    assert "helper@example.org" not in page
    # the owner's recent activity says that someone left
    assert "person left: account deleted" in page
    with app.state.db.reading() as s:
        assert repo.user_by_email(s, "helper@example.org") is None
        left = [e for e in repo.audit_for(s, child) if e.action == "account_deleted"]
        assert [(e.detail, e.user_id) for e in left] == [("caregiver", None)]

    # the owner deletes the diary from its edit page, then the account
    edit = owner.client.get(f"/children/{child}/edit").text
    assert f'action="/children/{child}/delete"' in edit and "Yes, delete Mia" in edit
    assert owner.form(f"/children/{child}/delete", {"confirm": "yes"}).status_code == 303
    assert owner.form("/settings/delete", {"password": PASSWORD}).status_code == 303
    with app.state.db.reading() as s:
        assert repo.user_by_email(s, "owner@example.org") is None


def test_an_owner_is_sent_to_the_diary_and_told_when_it_is_deleted(tmp_path: Path) -> None:
    """Settings name each diary the account owns as a link to its page; deleting a diary
    lands on the list of children, which says whose diary was deleted, once."""
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org", "Olga")
    mia, leo = add_child(owner, "Mia"), add_child(owner, "Léo Åberg")
    for locale, owns, deleted in (
        ("en", "You own the diaries of", "The diary of Léo Åberg was deleted."),
        ("es", "Usted administra el diario de", "Se ha eliminado el diario de Mia."),
    ):
        owner.client.cookies.set("sw_lang", locale)
        settings = owner.client.get("/settings").text
        assert owns in settings
        for child in (mia, leo) if locale == "en" else (mia,):
            assert re.search(rf'<a href="/children/{child}">[^<]+</a>', settings), child
        gone = leo if locale == "en" else mia
        answer = owner.form(f"/children/{gone}/delete", {"confirm": "yes"})
        assert answer.status_code == 303 and answer.headers["location"] == "/children"
        listed = owner.client.get("/children").text
        assert f'<p class="notice" role="status">{deleted}</p>' in listed
        assert deleted not in owner.client.get("/children").text  # said once
    owner.client.cookies.set("sw_lang", "en")
    assert "You own" not in owner.client.get("/settings").text


def test_an_owner_hands_the_diary_to_a_co_parent_and_leaves_it(tmp_path: Path) -> None:
    """The owner makes a caregiver the owner (a ticked box), stays as a caregiver and can
    then leave the diary and delete the account; the list says whose diary was left."""
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org", "Ann")
    ben = sign_up(app, "ben@example.org", "Ben")
    child = add_child(ann, "Mia")
    add_member(ann, child, ben, "caregiver")
    page = ben.client.get(f"/children/{child}").text
    assert f'action="/children/{child}/leave"' in page and "Make owner" not in page
    with app.state.db.reading() as s:
        ben_id = repo.user_by_email(s, "ben@example.org").id  # type: ignore[union-attr]
    people = ann.client.get(f"/children/{child}").text
    assert f'action="/children/{child}/members/{ben_id}/owner"' in people
    assert "Yes, make Ben the owner" in people and f'action="/children/{child}/leave"' not in people

    # the box must be ticked; a caregiver cannot hand over; the owner cannot leave
    unticked = ann.form(f"/children/{child}/members/{ben_id}/owner", {})
    assert unticked.status_code == 422 and "tick the box" in unticked.text
    assert (
        ben.form(f"/children/{child}/members/{ben_id}/owner", {"confirm": "yes"}).status_code == 403
    )
    refused = ann.form(f"/children/{child}/leave", {"confirm": "yes"})
    assert refused.status_code == 409 and "Make owner" in refused.text

    handed = ann.form(f"/children/{child}/members/{ben_id}/owner", {"confirm": "yes"})
    assert handed.status_code == 303
    assert f'href="/children/{child}/edit"' in ben.client.get(f"/children/{child}").text
    now_ann = ann.client.get(f"/children/{child}").text
    assert "your role: caregiver" in now_ann and f'action="/children/{child}/leave"' in now_ann
    assert "You own" not in ann.client.get("/settings").text

    left = ann.form(f"/children/{child}/leave", {"confirm": "yes"})
    assert left.status_code == 303 and left.headers["location"] == "/children"
    listed = ann.client.get("/children").text
    assert '<p class="notice" role="status">You left the diary of Mia.</p>' in listed
    assert "Mia" not in ann.client.get("/children").text  # said once; the diary is gone
    assert ann.client.get(f"/children/{child}").status_code == 404
    activity = ben.client.get(f"/children/{child}").text
    assert "diary handed to a new owner" in activity and "person left the diary" in activity
    assert ann.form("/settings/delete", {"password": PASSWORD}).status_code == 303


def test_an_account_downloads_all_its_data_in_one_zip(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org", "Ann")
    ben = sign_up(app, "ben@example.org", "Ben")
    mia = add_child(ann, "Mia")
    leo = add_child(ben, "Léo Åberg")
    add_member(ben, leo, ann, "viewer")
    ann.api("POST", f"/api/v1/children/{mia}/episodes", json=SPASM_EPISODE)
    secret = _token(ann, "read")

    assert 'href="/settings/export"' in ann.client.get("/settings").text
    answer = ann.client.get("/settings/export")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    assert "spasmwatch-my-data.zip" in answer.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        names = set(archive.namelist())
        account = json.loads(archive.read("account.json"))
        episodes = archive.read(f"child-{mia}-Mia/episodes.csv").decode("utf-8-sig")
        bundle = json.loads(archive.read(f"child-{leo}-Léo-Åberg/fhir.json"))
        everything = b"".join(archive.read(n) for n in names)
    assert account["email"] == "ann@example.org" and account["name"] == "Ann"
    roles = sorted((d["name"], d["role"]) for d in account["diaries"])
    assert roles == [("Léo Åberg", "viewer"), ("Mia", "owner")]
    for folder in (f"child-{mia}-Mia", f"child-{leo}-Léo-Åberg"):
        for table in ("episodes.csv", "treatments.csv", "milestones.csv", "workup.csv"):
            assert f"{folder}/{table}" in names
        assert f"{folder}/fhir.json" in names
    assert len(episodes.strip().splitlines()) == 2  # the header and the episode
    assert bundle["resourceType"] == "Bundle"
    # the API token is listed without its secret
    assert [t["scope"] for t in account["api_tokens"]] == ["read"]
    assert secret.encode() not in everything
    # signed out: to the sign-in page
    assert anonymous(app).client.get("/settings/export", follow_redirects=False).status_code == 303


def test_the_recent_activity_names_who_did_what_without_the_owners_own_visits(
    tmp_path: Path,
) -> None:
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org", "Ann")
    ben = sign_up(app, "ben@example.org", "Ben")
    child = add_child(ann, "Mia")
    add_member(ann, child, ben, "caregiver")
    for _ in range(3):
        ben.client.get(f"/children/{child}")  # three visits: one line
    ben.api("POST", f"/api/v1/children/{child}/episodes", json=SPASM_EPISODE)
    token, _link = share(ann, child)
    anonymous(app).client.get(f"/s/{token}")  # the doctor opens the link
    anonymous(app).client.get(f"/s/{token}/report.html")  # and reads the report
    # the owner's own reads are not listed: visits, reports and exports alike
    own_reads = ["report.html", "report.html", "api/episodes.csv", "api/fhir"]
    for path in own_reads:
        prefix = "/api/v1" if path.startswith("api/") else ""
        url = f"{prefix}/children/{child}/{path.removeprefix('api/')}"
        assert ann.client.get(url).status_code == 200, url
    for _ in range(5):
        page = ann.client.get(f"/children/{child}").text
    activity = page.split('id="log-h"')[1].split("</section>")[0]
    items = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).strip() for li in activity.split("<li>")[1:]
    ]
    own = ("diary viewed · you", "report made · you", "exported as CSV", "exported as FHIR")
    assert not any(words in i for i in items for words in own), items
    assert any("report made · share link “Dr Who”" in i for i in items), items
    assert any(i.endswith("share link made · you") for i in items)
    assert any("episode logged · Ben" in i for i in items)
    assert any("diary viewed through a share link · share link “Dr Who”" in i for i in items)
    assert any("diary viewed · Ben (3 times)" in i for i in items)
    ann.client.cookies.set("sw_lang", "es")
    spanish = ann.client.get(f"/children/{child}").text
    assert "(3 veces)" in spanish
