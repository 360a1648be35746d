"""Privacy at rest: files 0600 and folders 0700 under the data directory; deleting a child or
an episode removes its files and analysis outputs and anonymises its audit entries; what an
interrupted process leaves behind is cleaned (real SQLite, real files)."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from spasmwatch.config import Settings
from spasmwatch.store import Database
from spasmwatch.store.models import Attachment, AuditEntry
from web.webworld import EDF_FILE, add_child, log_episode, new_app, sign_up, upload

HELSINKI_CLIP = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg1.edf"


def modes(folder: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def test_everything_under_the_data_dir_is_private(tmp_path: Path) -> None:
    old = tmp_path / "data"
    (old / "attachments" / "ab").mkdir(parents=True)
    (old / "attachments" / "ab" / "left-open").write_bytes(b"x")
    os.chmod(old / "attachments" / "ab" / "left-open", 0o644)
    os.chmod(old / "attachments" / "ab", 0o755)
    os.chmod(old, 0o755)
    app = new_app(tmp_path)  # opens tmp_path / "data", as an older version left it
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    upload(person, child, HELSINKI_CLIP)  # analysed: trend images written
    found = modes(old)
    assert any(name.endswith(".png") for name in found)
    assert any(name.endswith("spasmwatch.db-wal") for name in found)
    wrong = {
        name: oct(mode)
        for name, mode in found.items()
        if mode != (0o700 if (old / name).is_dir() else 0o600)
    }
    assert wrong == {}


def _stored(app: object) -> list[str]:
    db: Database = app.state.db  # type: ignore[attr-defined]
    return sorted(
        str(p.relative_to(db.data_dir))
        for p in db.data_dir.rglob("*")
        if p.is_file() and ("attachments" in p.parts or "analyses" in p.parts)
    )


def test_deleting_a_child_removes_its_files_and_its_name(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    zoe = add_child(ann, "Zelda Quux")
    upload(ann, zoe, HELSINKI_CLIP)
    ann.form(f"/children/{zoe}/share", {"label": "Dr Private", "days": "7"})
    ann.client.get(f"/children/{zoe}")
    bob = sign_up(app, "bob@example.org")
    theirs = add_child(bob, "Other")
    upload(bob, theirs, HELSINKI_CLIP)  # the same content, stored once
    both = _stored(app)
    assert any(p.endswith(".png") for p in both)

    assert ann.form(f"/children/{zoe}/delete").status_code == 303
    assert _stored(app) == both  # Bob's child still has the file and its trends
    with app.state.db.reading() as s:
        entries = s.query(AuditEntry).all()
        assert not any("Zelda" in e.detail or "Dr Private" in e.detail for e in entries)
        assert not any(e.child_id == zoe for e in entries)
    assert bob.api("DELETE", f"/api/v1/children/{theirs}").status_code == 204
    assert _stored(app) == []


def test_deleting_an_episode_removes_its_files(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    child = add_child(ann)
    episode = log_episode(ann, child)
    with HELSINKI_CLIP.open("rb") as f:
        response = ann.api(
            "POST",
            f"/api/v1/children/{child}/attachments",
            files={"file": ("eeg.edf", f)},
            data={"episode_id": str(episode)},
        )
    assert response.status_code == 201
    kept = upload(ann, child, EDF_FILE)  # not attached to the episode
    assert len(_stored(app)) > 2
    deleted = ann.form(f"/children/{child}/episodes/{episode}/delete", {"confirm": "yes"})
    assert deleted.status_code == 303
    with app.state.db.reading() as s:
        assert [a.id for a in s.query(Attachment).all()] == [kept]
    assert [p for p in _stored(app) if "analyses" in p] == []
    assert len(_stored(app)) == 1


def test_left_over_temporaries_are_cleaned(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db = Database(Settings(data_dir=data))
    stale = [
        db.temp_dir / "analysis-old",
        db.attachments_dir / ".upload-old",
        db.attachments_dir / ".restore-old",
    ]
    fresh = db.temp_dir / "analysis-running"
    for path in [*stale, fresh]:
        if path.name.startswith(".upload"):
            path.write_bytes(b"partial")
        else:
            path.mkdir()
            (path / "inside").write_bytes(b"x")
    two_days_ago = time.time() - 2 * 86400
    for path in stale:
        os.utime(path, (two_days_ago, two_days_ago))
    Database(Settings(data_dir=data))
    assert [p.exists() for p in stale] == [False, False, False]
    assert fresh.is_dir()
    # An analysis works in the data directory's own temporary folder and leaves it empty.
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    upload(person, add_child(person), HELSINKI_CLIP)
    assert [p.name for p in (data / "tmp").iterdir()] == ["analysis-running"]
