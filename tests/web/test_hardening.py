"""Hardening of the web app against crafted data and hostile requests (SQLite; the
authorisation matrix covers PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.store import repo
from spasmwatch.web import auth
from spasmwatch.web.routes import accounts
from spasmwatch.web.throttle import LoginThrottle
from web.webworld import (
    EDF_FILE,
    PASSWORD,
    Person,
    add_child,
    anonymous,
    log_episode,
    new_app,
    share,
    sign_up,
)


def test_a_crafted_hash_never_serves_a_file_outside_the_store(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    db = app.state.db
    with db.transaction() as s:
        row = repo.add_attachment(
            s,
            child_id=child,
            episode_id=None,
            kind="eeg",
            filename="x.edf",
            content_type="application/edf",
            size_bytes=10,
            sha256="../../../../../../../../../../etc/passwd",
            uploaded_by=None,
        )
        attachment = row.id
    for path in (
        f"/children/{child}/attachments/{attachment}",
        f"/api/v1/children/{child}/attachments/{attachment}",
    ):
        response = owner.client.get(path)
        assert response.status_code == 404, path
        assert "root:" not in response.text


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def test_every_page_has_a_strict_policy_and_private_pages_are_not_cached(
    tmp_path: Path,
) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    log_episode(owner, child)  # its tables (episodes, the rules' reasons) are on the pages
    token, _ = share(owner, child)
    nobody = anonymous(app)
    pages = [
        (nobody, "/signin"),
        (nobody, "/signup"),
        (nobody, "/api/docs"),
        (nobody, "/"),
        (nobody, "/check"),
        (nobody, "/guide"),
        (nobody, "/now"),
        (nobody, "/reset"),
        (owner, "/children"),
        (owner, f"/children/{child}"),
        (owner, f"/children/{child}/edit"),
        (owner, f"/children/{child}/episodes/new"),
        (owner, "/settings"),
        (owner, "/children/999"),  # the error page
        (owner, "/nonexistent"),  # an address no page has
        (nobody, f"/s/{token}"),  # the doctor's view
        (owner, "/api/v1/children"),
    ]
    for person, path in pages:
        response = person.client.get(path)
        policy = response.headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["script-src"] == "'self'", path
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in policy and "http" not in policy, path
        assert response.headers["cache-control"] == "no-store", path
        assert not INLINE_SCRIPT.search(response.text), path
        assert not re.search(r"<[^>]+\son\w+=", response.text), path  # no inline handlers
        assert not re.search(r"<[^>]+\sstyle=", response.text), path
        assert "<style" not in response.text, path
    static = nobody.client.get("/static/app.css")
    assert "no-store" not in static.headers.get("cache-control", "")
    assert "content-security-policy" in static.headers

    report = owner.client.get(f"/children/{child}/report.html")
    policy = report.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "img-src data:" in policy
    assert "script-src" not in policy and "frame-ancestors 'none'" in policy
    assert report.headers["cache-control"] == "no-store"


CHILD = {"name": "Ok", "child": {"age_months": 6}}


MULTIPART_HEAD = (
    b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.edf"\r\n'
    b"Content-Type: application/octet-stream\r\n\r\n"
)


def _counting(total: int, chunk: int = 64 * 1024, head: bytes = b"") -> tuple[Any, list[int]]:
    """A request body of ``total`` bytes that counts the chunks the server reads."""
    read: list[int] = []

    def body() -> Iterator[bytes]:
        sent = 0
        if head:
            yield head
        while sent < total:
            read.append(chunk)
            sent += chunk
            yield b"x" * chunk

    return body(), read


def _stored(app: Any) -> list[Path]:
    return [p for p in app.state.db.attachments_dir.rglob("*") if p.is_file()]


def test_bodies_are_limited_before_they_are_read(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    nobody = anonymous(app)
    ten_mb = 10 * 1024 * 1024
    anonymous_posts = [
        f"/api/v1/children/{child}/attachments",
        f"/children/{child}/episodes/new",
        "/signin",
        "/signup",
        "/api/v1/triage",
        "/check",
        "/api/v1/children",
    ]
    for path in anonymous_posts:
        body, read = _counting(ten_mb)
        response = nobody.client.post(
            path,
            content=body,
            headers={"Content-Length": str(ten_mb), "Content-Type": "multipart/form-data"},
        )
        assert response.status_code == 413, path
        if "/children/" in path:  # a file sent without a session: the session is the point
            assert "You are not signed in (or your session has ended)" in response.text, path
        else:
            assert "larger than the limit of 64 KB" in response.text, path
        assert read == [], path  # not one byte of it was read
    # Without a Content-Length (chunked), reading stops at the limit.
    for path in anonymous_posts:
        for kind, head in (
            ("multipart/form-data; boundary=b", MULTIPART_HEAD),
            ("application/x-www-form-urlencoded", b"name="),
            ("application/json", b'{"name": "'),
        ):
            body, _ = _counting(ten_mb, head=head)
            response = nobody.client.post(path, content=body, headers={"Content-Type": kind})
            if (
                response.status_code in (403, 405, 415, 422)
                and kind != "multipart/form-data; boundary=b"
            ):
                continue  # a route that does not read this kind of body
            assert response.status_code == 413, (path, kind, response.text[:200])
    # A cookie or token that is not valid counts as nobody.
    body, read = _counting(ten_mb)
    response = nobody.client.post(
        f"/api/v1/children/{child}/attachments",
        content=body,
        headers={"Content-Length": str(ten_mb), "Authorization": "Bearer not-a-token"},
    )
    assert response.status_code == 413 and read == []
    assert _stored(app) == []

    # Signed in: 1 MB for JSON and forms, the upload limit for uploads.
    big_json = {"name": "x" * (2 * 1024 * 1024), "child": {"age_months": 6}}
    response = owner.api("POST", "/api/v1/children", json=big_json)
    assert response.status_code == 413 and "1 MB" in response.json()["detail"][0]
    response = owner.form(f"/children/{child}/edit", {"name": "y" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    small = new_app(tmp_path / "small", max_upload_bytes=100_000)
    parent = sign_up(small, "p@example.org")
    theirs = add_child(parent)
    body, read = _counting(3 * 1024 * 1024)
    response = parent.api(
        "POST",
        f"/api/v1/children/{theirs}/attachments",
        content=body,
        headers={"Content-Length": str(3 * 1024 * 1024), "Content-Type": "multipart/form-data"},
    )
    assert response.status_code == 413 and read == []
    # the limit as set (here 0.1 MB, shown as 97 KB), not the room left for the form
    assert response.json()["detail"] == ["The file is larger than the upload limit of 97 KB"]
    response = parent.api(
        "POST",
        f"/api/v1/children/{theirs}/attachments",
        files={"file": ("big.edf", b"0       " + b"x" * 3_000_000)},
    )
    assert response.status_code == 413
    assert response.json()["detail"] == ["The file is larger than the upload limit of 97 KB"]
    assert _stored(small) == []
    assert owner.api("POST", "/api/v1/children", json=CHILD).status_code == 201


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _sign_in(person: Person, email: str, password: str) -> Any:
    return person.form("/signin", {"email": email, "password": password})


def test_password_guesses_are_throttled_per_account(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    clock = Clock()
    app.state.login_throttle = LoginThrottle(clock=clock)
    sign_up(app, "ann@example.org")
    guesser = anonymous(app)
    for _ in range(5):
        assert _sign_in(guesser, "ann@example.org", "wrong guess").status_code == 401
    blocked = _sign_in(guesser, "ANN@example.org", PASSWORD)  # even the right password
    assert blocked.status_code == 429
    assert "Too many attempts: try again in 30 s" in blocked.text
    assert blocked.headers["retry-after"] == "30"
    assert 'value="ANN@example.org"' in blocked.text
    clock.now += 10
    assert "try again in 20 s" in _sign_in(guesser, "ann@example.org", PASSWORD).text
    clock.now += 21
    assert _sign_in(guesser, "ann@example.org", "wrong again").status_code == 401
    assert "try again in 60 s" in _sign_in(guesser, "ann@example.org", PASSWORD).text
    clock.now += 61
    assert _sign_in(guesser, "ann@example.org", PASSWORD).status_code == 303
    # A success clears the account's count.
    assert _sign_in(anonymous(app), "ann@example.org", "wrong guess").status_code == 401


def test_password_guesses_are_throttled_per_address(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    app.state.login_throttle = LoginThrottle(clock=Clock())
    sign_up(app, "bea@example.org")
    guesser = anonymous(app)
    for i in range(20):
        assert _sign_in(guesser, f"user{i}@example.org", "guess").status_code == 401
    blocked = _sign_in(guesser, "bea@example.org", PASSWORD)
    assert blocked.status_code == 429 and "try again in 30 s" in blocked.text


def test_unknown_accounts_cost_the_same_password_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = new_app(tmp_path)
    sign_up(app, "cat@example.org")
    checked: list[str] = []
    real = auth.verify_password

    def counting(password_hash: str, password: str) -> bool:
        checked.append(password_hash[:9])
        return real(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    visitor = anonymous(app)
    known = _sign_in(visitor, "cat@example.org", "wrong password")
    unknown = _sign_in(visitor, "nobody@example.org", "wrong password")
    assert known.status_code == unknown.status_code == 401
    assert known.text.replace("cat@", "X@") == unknown.text.replace("nobody@", "X@")
    assert checked == ["$argon2id", "$argon2id"]  # an argon2 check in both cases

    hashed: list[str] = []
    real_hash = accounts.hash_password
    monkeypatch.setattr(
        accounts, "hash_password", lambda password: hashed.append(password) or real_hash(password)
    )
    taken = visitor.form(
        "/signup", {"email": "cat@example.org", "display_name": "C", "password": PASSWORD}
    )
    assert taken.status_code == 422 and hashed == [PASSWORD]
    assert "No new account can be made with this email" in taken.text


NUL = "Mia\x00\x01\x7f\u202e"


def test_control_characters_in_text_fields_never_fail_the_database(
    tmp_path: Path, database_url: str
) -> None:
    app = new_app(tmp_path, database_url)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    nobody = anonymous(app)
    calls = [
        (
            nobody,
            "/signup",
            {"email": f"a{NUL}@example.org", "display_name": "A", "password": PASSWORD},
        ),
        (nobody, "/signup", {"email": "b@example.org", "display_name": NUL, "password": PASSWORD}),
        (nobody, "/signin", {"email": f"owner{NUL}@example.org", "password": PASSWORD}),
        (nobody, "/reset", {"email": f"owner@example.org{NUL}"}),
        (nobody, "/reset/code", {"email": NUL, "code": NUL, "new_password": PASSWORD}),
        (owner, "/children/new", {"name": NUL, "age_months": "6"}),
        (owner, f"/children/{child}/edit", {"name": NUL, "age_months": "6"}),
        (owner, f"/children/{child}/share", {"label": NUL, "days": "7"}),
        (owner, f"/children/{child}/members", {"email": f"x{NUL}@example.org", "role": "viewer"}),
        (owner, "/settings/token", {"label": NUL, "scope": "read"}),
        (owner, f"/children/{child}/episodes/new", {"movements": ["head_nod"], "notes": NUL}),
    ]
    failures = []
    for person, path, data in calls:
        response = person.form(path, data)
        if response.status_code >= 500:
            failures.append(f"{path}: {response.status_code}")
    api_calls = [
        ("POST", "/api/v1/children", {"name": NUL, "child": {"age_months": 6}}),
        ("PUT", f"/api/v1/children/{child}", {"name": NUL, "child": {"age_months": 6}}),
        ("POST", f"/api/v1/children/{child}/episodes", {"movements": ["jerk"], "notes": NUL}),
    ]
    for method, path, body in api_calls:
        response = owner.api(method, path, json=body)
        if response.status_code >= 500:
            failures.append(f"{method} {path}: {response.status_code}")
    response = owner.api(
        "POST",
        f"/api/v1/children/{child}/attachments",
        files={"file": (f"eeg{NUL}.edf", EDF_FILE.read_bytes())},
    )
    if response.status_code >= 500:
        failures.append(f"upload: {response.status_code}")
    assert failures == [], "\n".join(failures)
    with app.state.db.reading() as s:
        names = [c.name for c, _ in repo.children_for_user(s, 1)]
    assert not any("\x00" in name for name in names)


def test_a_refusal_names_the_limit_as_set() -> None:
    from spasmwatch.config import Settings
    from spasmwatch.web.limits import too_large

    limit = Settings().max_upload_bytes  # SPASMWATCH_MAX_UPLOAD_MB=500 by default
    assert too_large("/children/3/attachments", True, limit) == (
        "The file is larger than the upload limit of 500 MB"
    )
    assert "5 MB" in too_large("/api/v1/children/3/episodes.csv", True, limit)
    assert "limit of 1 MB" in too_large("/children/3/edit", True, limit)
    assert "limit of 64 KB" in too_large("/signin", False, limit)


def test_a_refusal_for_size_speaks_the_pages_language(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    nobody = anonymous(app)
    big = {"Content-Length": str(10 * 1024 * 1024), "Accept-Language": "es"}
    page = nobody.client.post("/signin", content=b"x", headers=big)
    assert page.status_code == 413 and '<html lang="es">' in page.text
    assert "La solicitud supera el límite de 64 KB. No se ha guardado nada." in page.text
    api = nobody.client.post("/api/v1/triage", content=b"x", headers=big)
    assert api.status_code == 413  # the API speaks English, as its other messages
    assert api.json()["detail"] == ["The request is larger than the limit of 64 KB"]


def test_a_file_over_the_limit_gets_a_page_with_the_way_back(tmp_path: Path) -> None:
    """A form with a file over the limit is refused before it is read (413), with a page
    of the site (its header and foot, its styles and scripts, in the page's language) that
    says nothing was saved and leads back: to the form in the browser's history where a
    script runs (the form still holds what was typed), else to the child's page."""
    app = new_app(tmp_path, max_upload_bytes=1024 * 1024)
    parent = sign_up(app, "parent@example.org")
    child = add_child(parent)
    video = ("clip.mp4", b"x" * (27 * 1024 * 1024 // 10))  # 2.7 MB
    for path in (f"/children/{child}/episodes/new", f"/children/{child}/attachments"):
        name = "video" if path.endswith("/new") else "file"
        fields = {"movements": ["head_nod"], "notes": "typed at night"}
        english = parent.form(path, fields, files={name: video})
        assert english.status_code == 413, path
        text = english.text
        assert (
            '<html lang="en">' in text and '<link rel="stylesheet" href="/static/app.css">' in text
        )
        assert 'src="/static/forms.js"' in text and 'href="/children"' in text  # signed in
        assert "The file is larger than the upload limit of 1 MB. Nothing was saved." in text
        back = re.search(r"<p data-history-back hidden><a [^>]*href=\"([^\"]+)\"", text)
        assert back is not None and back.group(1) == f"/children/{child}"
        assert "Go back: what you typed is still in the form" in text
        assert f'<a href="/children/{child}">Back to the diary</a>' in text
        assert "script-src 'self'" in english.headers["content-security-policy"]
        assert english.headers["cache-control"] == "no-store"
        spanish = parent.form(path, fields, files={name: video}, headers={"Accept-Language": "es"})
        assert spanish.status_code == 413 and '<html lang="es">' in spanish.text
        assert "El archivo supera el límite de subida de 1 MB. No se ha guardado nada." in (
            spanish.text
        )
        assert "Volver: lo que escribió sigue en el formulario" in spanish.text
        assert "Volver al diario" in spanish.text
        # the language switch's cookie wins over the browser's language
        parent.client.cookies.set("sw_lang", "es")
        chosen = parent.form(path, fields, files={name: video})
        parent.client.cookies.delete("sw_lang")
        assert '<html lang="es">' in chosen.text
    with app.state.db.reading() as s:
        assert repo.episodes_for(s, child) == []
    # A form of no child's (here: an anonymous one) leads back to the start.
    nobody = anonymous(app)
    big = {"Content-Length": str(10 * 1024 * 1024)}
    page = nobody.client.post("/check", content=b"x", headers=big)
    assert page.status_code == 413 and '<a href="/">Back to the start</a>' in page.text
    assert 'href="/signin"' in page.text  # nobody signed in: the visitor's header


def test_a_file_field_knows_the_limit(tmp_path: Path) -> None:
    """The pages' file fields carry the limit and the words to refuse a file over it, so
    that the page refuses it before sending (static/forms.js), in the page's language."""
    app = new_app(tmp_path, max_upload_bytes=1024 * 1024)
    parent = sign_up(app, "parent@example.org")
    child = add_child(parent)
    for path, field in (
        (f"/children/{child}/episodes/new", "video"),
        (f"/children/{child}", "recording-file"),
    ):
        for language, words in (
            ("en", "is %(file_size)s, larger than the upload limit of 1 MB"),
            ("es", "ocupa %(file_size)s, más que el límite de subida de 1 MB"),
        ):
            page = parent.client.get(path, headers={"Accept-Language": language}).text
            tag = re.search(rf'<input id="{field}"[^>]*>', page)
            assert tag is not None, (path, language)
            assert 'data-max-bytes="1048576"' in tag.group(0)
            assert words in tag.group(0) and "%(name)s" in tag.group(0), tag.group(0)
