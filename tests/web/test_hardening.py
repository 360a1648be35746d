"""Hardening of the web app against crafted data and hostile requests (SQLite; the
authorisation matrix covers PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from spasmwatch.store import repo
from web.webworld import add_child, new_app, sign_up


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
