"""Hardening of the web app against crafted data and hostile requests (SQLite; the
authorisation matrix covers PostgreSQL)."""

from __future__ import annotations

import re
from pathlib import Path

from spasmwatch.store import repo
from web.webworld import add_child, anonymous, new_app, sign_up


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
    nobody = anonymous(app)
    pages = [
        (nobody, "/signin"),
        (nobody, "/signup"),
        (nobody, "/api/docs"),
        (owner, "/children"),
        (owner, f"/children/{child}"),
        (owner, f"/children/{child}/edit"),
        (owner, f"/children/{child}/episodes/new"),
        (owner, "/settings"),
        (owner, "/children/999"),  # the error page
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
