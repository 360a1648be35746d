"""A backup never loses the recordings silently: attachment files the database refers to
that are not in the data directory (a mistyped ``--data-dir`` beside PostgreSQL) refuse
the backup unless ``--allow-missing-attachments`` is given, and then the archive lists
them and ``backup`` and ``restore`` say so; both commands say what the backup holds, in
English and in Spanish. On real SQLite and real PostgreSQL, through the command line."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Connection

from spasmwatch.store import Database, repo
from spasmwatch.store.backup import MissingAttachments, backup, write_backup
from spasmwatch.store.files import stored_path
from spasmwatch.store.restore import restore, restore_backup

Factory = Callable[[str], Database]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmwatch", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300"},
        timeout=180,
    )


def _store(db: Database, content: bytes) -> str:
    """A file in the data directory's store, as an upload leaves it."""
    sha = hashlib.sha256(content).hexdigest()
    path = stored_path(db.attachments_dir, sha)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return sha


def fill(db: Database) -> None:
    """One child with 3 episodes, 2 videos and 1 EEG recording (their files in the store),
    an invitation, a share link and a signed-in session."""
    files = [("video", b"video one"), ("video", b"video two"), ("eeg", b"an EEG")]
    with db.transaction() as s:
        owner = repo.create_user(s, "parent@example.org", "Pat", "argon2-hash")
        child = repo.create_child(s, owner.id, "Mia", age_months=5.0)
        episodes = [repo.add_episode(s, child.id, {"count": n}, owner.id) for n in (3, 5, 8)]
        for n, (kind, content) in enumerate(files):
            repo.add_attachment(
                s,
                child_id=child.id,
                episode_id=episodes[n].id,
                kind=kind,
                filename=f"file{n}.{'mp4' if kind == 'video' else 'edf'}",
                content_type="application/octet-stream",
                size_bytes=len(content),
                sha256=_store(db, content),
                uploaded_by=owner.id,
            )
        later = repo.now() + timedelta(days=7)
        repo.invite(s, child.id, "gran@example.org", "caregiver", owner.id, "a" * 64, later)
        repo.create_share_link(s, child.id, "b" * 64, "Neurology", owner.id, later)
        repo.create_session(s, owner.id, "c" * 64, "csrf", later)


def _database_args(db: Database, data_dir: Path) -> list[str]:
    args = ["--data-dir", str(data_dir)]
    if not db.url.startswith("sqlite"):
        args += ["--database-url", db.url]
    return args


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_missing_attachment_files_refuse_the_backup(
    database_factory: Factory, tmp_path: Path, kind: str
) -> None:
    db = database_factory(kind)
    fill(db)
    first = sorted(db.attachments_dir.rglob("*"))[1]  # one of the stored files
    assert first.is_file()
    first.unlink()
    archive = tmp_path / "backup.tar.gz"
    with pytest.raises(MissingAttachments) as refused:
        backup(db, archive)
    said = str(refused.value)
    assert str(db.data_dir) in said and "1 of the 3 the database refers to" in said
    assert "--allow-missing-attachments" in said and "Nothing was written" in said
    assert not archive.exists() and list(tmp_path.glob("*.tar.gz*")) == []
    assert list(tmp_path.glob(".backup-*")) == []

    written = write_backup(db, archive, allow_missing_attachments=True)
    assert written.attachment_files == 2 and len(written.missing_files) == 1
    assert written.kinds == {"video": 2, "eeg": 1}
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["missing_attachments"] == list(written.missing_files)
    assert first.name in manifest["missing_attachments"]

    target = database_factory("sqlite" if kind == "postgresql" else "postgresql")
    restored = restore_backup(target, archive)
    assert restored.missing_files == written.missing_files
    assert restored.attachment_files == 2 and restored.rows["attachments"] == 3
    assert restore(database_factory(kind), archive)["missing_attachment_files"] == 1


def test_a_file_deleted_with_its_row_meanwhile_does_not_refuse(
    database_factory: Factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A recording deleted after the snapshot was read (its row, then its file): no sign
    of a wrong data directory, so the backup goes on and lists it as missing."""
    import spasmwatch.store.backup as backup_module

    db = database_factory("sqlite")
    fill(db)
    with db.transaction() as s:
        row = repo.attachments_for(s, 1)[0]
    gone = stored_path(db.attachments_dir, row.sha256)
    real = backup_module._snapshot

    @contextmanager
    def snapshot_then_delete(database: Database) -> Iterator[Connection]:
        with real(database) as conn:
            yield conn
        with db.transaction() as s:
            repo.delete_attachment(s, repo.get_attachment(s, row.id))  # type: ignore[arg-type]
        gone.unlink()

    monkeypatch.setattr(backup_module, "_snapshot", snapshot_then_delete)
    written = write_backup(db, tmp_path / "b.tar.gz")
    assert written.missing_files == (row.sha256,) and written.attachment_files == 2


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_commands_refuse_a_mistyped_data_dir_and_say_what_a_backup_holds(
    database_factory: Factory, tmp_path: Path, kind: str
) -> None:
    db = database_factory(kind)
    fill(db)
    db.dispose()
    archive = tmp_path / "pgbk2.tar.gz"
    if kind == "postgresql":
        # the clinic's case: the rows are in PostgreSQL, the data directory mistyped
        typo = tmp_path / "dta"
        refused = cli("backup", str(archive), *_database_args(db, typo))
        assert refused.returncode == 2, refused.stdout + refused.stderr
        assert f"attachment files are missing from the data directory {typo}" in refused.stderr
        assert "3 of the 3 the database refers to" in refused.stderr
        assert "--allow-missing-attachments" in refused.stderr
        assert "Traceback" not in refused.stderr and refused.stdout == ""
        assert not archive.exists() and list(tmp_path.glob(".backup-*")) == []
        assert not typo.exists()  # not left behind, made empty

        spanish = cli("backup", str(archive), *_database_args(db, typo), "--lang", "es")
        assert spanish.returncode == 2 and "Copia de seguridad rechazada" in spanish.stderr
        assert "3 de los 3" in spanish.stderr and not archive.exists()

        allowed = cli(
            "backup", str(archive), *_database_args(db, typo), "--allow-missing-attachments"
        )
        assert allowed.returncode == 0, allowed.stderr
        assert "0 attachment files" in allowed.stdout
        assert "Warning: 3 of the 3 attachment files" in allowed.stdout
        assert str(typo) in allowed.stdout and "are not in the backup" in allowed.stdout
        restored = cli("restore", str(archive), "--data-dir", str(tmp_path / "copy-missing"))
        assert restored.returncode == 0, restored.stderr
        assert "Warning: the backup lacks 3 attachment files" in restored.stdout
        archive.unlink()

    made = cli("backup", str(archive), *_database_args(db, db.data_dir))
    assert made.returncode == 0, made.stderr
    said = " ".join(made.stdout.split())
    assert f"Backed up to {archive}: 1 account, 1 child, 3 episodes, 2 videos, " in said
    assert "1 EEG recording, 1 role in a child's diary, 1 invitation, 1 share link, " in said
    assert "1 signed-in session; 3 attachment files" in said
    assert "; 3 attachment files, 0 analysis files" in said and "Warning" not in said

    restored = cli("restore", str(archive), "--data-dir", str(tmp_path / "copy"))
    assert restored.returncode == 0, restored.stderr
    said = " ".join(restored.stdout.split())
    assert said.startswith("Restored: 1 account, 1 child, 3 episodes, 2 videos, 1 EEG recording")
    assert "1 children" not in said and "1 invitations" not in said and "Warning" not in said

    spanish = cli("restore", str(archive), "--data-dir", str(tmp_path / "copia"), "--lang", "es")
    assert spanish.returncode == 0, spanish.stderr
    said = " ".join(spanish.stdout.split())
    assert said.startswith(
        "Restaurado: 1 cuenta, 1 niño o niña, 3 episodios, 2 vídeos, 1 registro de EEG, "
    )
    assert "1 invitación, 1 enlace compartido, 1 sesión iniciada; 3 archivos adjuntos" in said
