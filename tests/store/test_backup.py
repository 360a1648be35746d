"""Backup and restore across real SQLite and real PostgreSQL, with attachment files."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from spasmwatch.attachments import UNFINISHED
from spasmwatch.config import Settings
from spasmwatch.errors import SpasmwatchError
from spasmwatch.jobs import recover, request_analysis
from spasmwatch.store import Database, jobqueue, repo
from spasmwatch.store.archive import BackupError, backup_tables
from spasmwatch.store.backup import backup
from spasmwatch.store.files import store_stream, stored_path
from spasmwatch.store.models import Attachment
from spasmwatch.store.restore import RestoreLimits, restore

Factory = Callable[[str], Database]
SHARED_EEG = Path(__file__).resolve().parents[3] / "shared" / "data" / "eeg"
EPISODE = {
    "started_at": "2026-11-19T07:05:00",
    "state": "just_woke",
    "movements": ["head_nod", "arms_up"],
    "count": 12,
    "notes": "Kopf nickt — zwölf Mal, nach dem Aufwachen",
}


def fill(db: Database, shared_eeg_dir: Path) -> None:
    """A family with an episode, triage, share link, session, audit entries and two files."""
    edf = shared_eeg_dir / "real_infant" / "demo.edf"
    stored = store_stream([edf.read_bytes()], db.attachments_dir, 10**8, edf.name)
    with db.transaction() as s:
        owner = repo.create_user(s, "parent@example.org", "Pat", "argon2-hash")
        viewer = repo.create_user(s, "dr@example.org", "Dr Who", "argon2-hash")
        repo.set_api_token(s, owner.id, "f" * 64)
        repo.create_session(s, owner.id, "e" * 64, "csrf", repo.now() + timedelta(days=1))
        child = repo.create_child(
            s, owner.id, "Mia", birth_date=date(2026, 5, 1), conditions=["tsc"], born_weeks=39.5
        )
        repo.create_child(s, owner.id, "Leo", age_months=2.25)
        repo.add_member(s, child.id, viewer.id, "viewer")
        episode = repo.add_episode(s, child.id, dict(EPISODE), owner.id)
        repo.add_episode(s, child.id, {"movements": ["jerk"]}, None)
        repo.save_triage(s, child.id, {"level": "same_day", "rules_version": "1.0", "r": [1.5]})
        link = repo.create_share_link(
            s, child.id, "d" * 64, "Neurology", owner.id, repo.now() + timedelta(days=7)
        )
        repo.add_attachment(
            s,
            child_id=child.id,
            episode_id=episode.id,
            kind=stored.kind,
            filename="demo.edf",
            content_type=stored.content_type,
            size_bytes=stored.size_bytes,
            sha256=stored.sha256,
            uploaded_by=owner.id,
            analysis={"events": [{"onset_s": 1.5}]},
        )
        repo.audit(s, "child.view", child_id=child.id, user_id=owner.id)
        repo.audit(s, "share.view", child_id=child.id, share_link_id=link.id, detail="ü")


def rows_of(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, by primary key."""
    with db.engine.connect() as conn:
        return {
            table.name: [
                dict(row)
                for row in conn.execute(
                    select(table).order_by(*table.primary_key.columns)
                ).mappings()
            ]
            for table in backup_tables()
        }


def files_in(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def is_empty(db: Database) -> bool:
    return all(rows == [] for rows in rows_of(db).values()) and files_in(db.attachments_dir) == {}


@pytest.mark.parametrize(
    ("source_kind", "target_kind"),
    [("sqlite", "postgresql"), ("postgresql", "sqlite"), ("sqlite", "sqlite")],
)
def test_backup_restores_into_the_other_database(
    database_factory: Factory,
    shared_eeg_dir: Path,
    tmp_path: Path,
    source_kind: str,
    target_kind: str,
) -> None:
    source = database_factory(source_kind)
    fill(source, shared_eeg_dir)
    archive = backup(source, tmp_path / "out" / "spasmwatch-backup.tar.gz")
    assert archive == tmp_path / "out" / "spasmwatch-backup.tar.gz" and archive.is_file()
    assert [p.name for p in archive.parent.iterdir()] == [archive.name]  # no temporary file

    target = database_factory(target_kind)
    counts = restore(target, archive)
    expected = rows_of(source)
    assert counts == {
        **{name: len(rows) for name, rows in expected.items()},
        "attachment_files": 1,
    }
    assert rows_of(target) == expected
    assert files_in(target.attachments_dir) == files_in(source.attachments_dir)

    # New rows get fresh ids (PostgreSQL's sequences were moved past the restored ids).
    with target.transaction() as s:
        user = repo.create_user(s, "new@example.org", "New", "h")
        child = repo.create_child(s, user.id, "Zoe", age_months=1.0)
        episode = repo.add_episode(s, child.id, dict(EPISODE), user.id)
        assert user.id == 3 and child.id == 3 and episode.id == 3
        restored_child = repo.get_child(s, 1)
        assert restored_child is not None and restored_child.birth_date == date(2026, 5, 1)
        assert repo.episodes_for(s, 1)[0].data == EPISODE
        found = repo.session_user(s, "e" * 64)
        assert found is not None and found[1].email == "parent@example.org"


@pytest.mark.parametrize(
    ("source_kind", "target_kind"),
    [("sqlite", "postgresql"), ("postgresql", "sqlite"), ("sqlite", "sqlite")],
)
def test_a_restore_never_gives_an_id_deleted_before_the_backup(
    database_factory: Factory, tmp_path: Path, source_kind: str, target_kind: str
) -> None:
    # The newest account and child were deleted before the backup: a command or an address
    # written for them must not reach the next family after the restore either.
    source = database_factory(source_kind)
    with source.transaction() as s:
        owner = repo.create_user(s, "parent@example.org", "Pat", "h")
        repo.create_child(s, owner.id, "Mia", age_months=4.0)
        gone = repo.create_user(s, "gone@example.org", "Gone", "h")
        gone_child = repo.create_child(s, gone.id, "Leo", age_months=2.0)
    with source.transaction() as s:
        repo.delete_child(s, gone_child)
        repo.delete_user(s, gone.id)
    archive = backup(source, tmp_path / "b.tar.gz")
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["ids_given"]["users"] == gone.id
    assert manifest["ids_given"]["children"] == gone_child.id
    target = database_factory(target_kind)
    restore(target, archive)
    with target.transaction() as s:
        user = repo.create_user(s, "new@example.org", "New", "h")
        child = repo.create_child(s, user.id, "Zoe", age_months=1.0)
    assert user.id == gone.id + 1 and child.id == gone_child.id + 1


def _another_attachment(s: Any) -> int:
    """One more attachment of the stored file of :func:`fill`."""
    row = s.scalars(select(Attachment).order_by(Attachment.id)).first()
    fields = ("child_id", "kind", "filename", "content_type", "size_bytes", "sha256")
    return repo.add_attachment(s, **{name: getattr(row, name) for name in fields}).id


@pytest.mark.parametrize(
    ("source_kind", "target_kind", "counted"),
    [("sqlite", "postgresql", True), ("postgresql", "sqlite", True), ("sqlite", "sqlite", False)],
    ids=["sqlite-to-postgresql", "postgresql-to-sqlite", "older-backup"],
)
def test_job_ids_go_on_after_a_restore(
    database_factory: Factory,
    shared_eeg_dir: Path,
    tmp_path: Path,
    source_kind: str,
    target_kind: str,
    counted: bool,
) -> None:
    # A backup keeps no jobs, but the analysis of a file waiting at backup time names its
    # job: a job made after the restore with that id would pass for it, and the restored
    # analysis would wait for good instead of being failed at start-up.
    source = database_factory(source_kind)
    fill(source, shared_eeg_dir)
    with source.transaction() as s:
        waiting, other, gone = (_another_attachment(s) for _ in range(3))
        done = request_analysis(s, waiting, "normal", None)
        jobqueue.finish(s, done, "done")
        named = request_analysis(s, waiting, "high", None).id  # waits at backup time
        deleted = request_analysis(s, gone, "normal", None).id  # goes with its file
        repo.delete_attachment(s, repo.get_attachment(s, gone))
    with source.reading() as s:
        assert jobqueue.get_job(s, deleted) is None and named < deleted
    archive = backup(source, tmp_path / "b.tar.gz")
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["ids_given"]["jobs"] == deleted and "jobs" not in manifest["tables"]
    if not counted:  # a backup made before jobs were counted: the analyses name them
        archive = rewrite(
            archive, tmp_path / "older.tar.gz", lambda m, _: m["ids_given"].pop("jobs")
        )
    target = database_factory(target_kind)
    restore(target, archive)
    new = []
    for _ in range(deleted):  # as many jobs as the source ever had, and one more
        with target.transaction() as s:
            job = request_analysis(s, other, "normal", None)
            jobqueue.finish(s, job, "failed", "stopped")
            new.append(job.id)
    first = (deleted if counted else named) + 1
    assert new == list(range(first, first + deleted))
    recover(target)  # as at start-up: the restored analysis has no job left to finish it
    with target.reading() as s:
        restored = repo.get_attachment(s, waiting)
        assert restored is not None and restored.analysis["status"] == "failed"
        assert restored.analysis["error"] == UNFINISHED


def test_backup_of_an_empty_database_restores(database_factory: Factory, tmp_path: Path) -> None:
    archive = backup(database_factory("sqlite"), tmp_path / "empty.tar.gz")
    target = database_factory("postgresql")
    counts = restore(target, archive)
    assert set(counts.values()) == {0}
    assert is_empty(target)


def test_archive_layout(db: Database, shared_eeg_dir: Path, tmp_path: Path) -> None:
    fill(db, shared_eeg_dir)
    archive = backup(db, tmp_path / "b.tar.gz")
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
        tables = json.loads(tar.extractfile("tables.json").read())  # type: ignore[union-attr]
    assert manifest["format"] == "spasmwatch-backup" and manifest["version"] == 1
    assert list(tables) == [t.name for t in backup_tables()]  # parents first
    assert tables["children"][0]["birth_date"] == "2026-05-01"
    assert tables["users"][0]["created_at"].count("T") == 1  # ISO date and time
    (sha,) = manifest["attachments"]
    assert f"attachments/{sha[:2]}/{sha}" in names


def rewrite(
    archive: Path, out: Path, change: Callable[[dict[str, Any], dict[str, Any]], None]
) -> Path:
    """A copy of ``archive`` whose manifest and tables were changed by ``change``."""
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]
    manifest = json.loads(members["manifest.json"])
    tables = json.loads(members["tables.json"])
    change(manifest, tables)
    members["manifest.json"] = json.dumps(manifest).encode()
    members["tables.json"] = json.dumps(tables).encode()
    with tarfile.open(out, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


@pytest.fixture
def good_archive(database_factory: Factory, shared_eeg_dir: Path, tmp_path: Path) -> Path:
    source = database_factory("sqlite")
    fill(source, shared_eeg_dir)
    return backup(source, tmp_path / "good.tar.gz")


def test_a_corrupt_archive_is_refused_and_changes_nothing(
    db: Database, good_archive: Path, tmp_path: Path
) -> None:
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(good_archive.read_bytes()[: good_archive.stat().st_size // 2])
    flipped = bytearray(good_archive.read_bytes())
    flipped[len(flipped) // 2] ^= 0xFF
    (tmp_path / "flipped.tar.gz").write_bytes(bytes(flipped))
    (tmp_path / "text.tar.gz").write_text("not an archive")

    for path, message in [
        (truncated, "is not a readable spasmwatch backup"),
        # Whichever check sees the flipped byte first: gzip's, tar's or the file checksum.
        (tmp_path / "flipped.tar.gz", "is not a readable spasmwatch backup|is damaged"),
        (tmp_path / "text.tar.gz", "is not a readable spasmwatch backup"),
        (tmp_path / "missing.tar.gz", "not found"),
    ]:
        with pytest.raises(BackupError, match=message) as caught:
            restore(db, path)
        assert str(path) in str(caught.value)
        assert isinstance(caught.value, SpasmwatchError)
        assert is_empty(db), path
        assert list(db.attachments_dir.iterdir()) == []  # no staging folder left


def test_an_archive_that_is_not_a_spasmwatch_backup_is_refused(
    db: Database, tmp_path: Path
) -> None:
    other = tmp_path / "photos.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        data = b"\x89PNG\r\n\x1a\n"
        info = tarfile.TarInfo("holiday.png")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match="is not a spasmwatch backup"):
        restore(db, other)
    assert is_empty(db)


def test_damaged_contents_are_refused_and_change_nothing(
    db: Database, good_archive: Path, tmp_path: Path
) -> None:
    def drop_a_row(manifest: dict[str, Any], tables: dict[str, Any]) -> None:
        tables["episodes"].pop()

    def duplicate_email(manifest: dict[str, Any], tables: dict[str, Any]) -> None:
        # Consistent counts, but the database refuses the rows: after users, children,
        # memberships... were inserted. The whole transaction must roll back.
        copy = {**tables["users"][0], "id": 99}
        tables["users"].append(copy)
        manifest["tables"]["users"] += 1

    def newer_schema(manifest: dict[str, Any], tables: dict[str, Any]) -> None:
        manifest["schema_revision"] = "9999"

    def newer_format(manifest: dict[str, Any], tables: dict[str, Any]) -> None:
        manifest["version"] = 2

    def unknown_column(manifest: dict[str, Any], tables: dict[str, Any]) -> None:
        tables["children"][0]["eye_colour"] = "blue"

    def bad_date(manifest: dict[str, Any], tables: dict[str, Any]) -> None:
        tables["audit_log"][-1]["at"] = "yesterday"

    def bad_ids_given(manifest: dict[str, Any], tables: dict[str, Any]) -> None:
        manifest["ids_given"]["children"] = -1

    cases = [
        (drop_a_row, "is damaged: table 'episodes' should have 2 rows"),
        (duplicate_email, "cannot be restored"),
        (newer_schema, "schema revision '9999'"),
        (newer_format, "format version 2"),
        (unknown_column, "columns this version does not know: eye_colour"),
        (bad_date, "cannot be restored"),
        (bad_ids_given, "the manifest's 'ids_given' must give each table a whole number"),
    ]
    for change, message in cases:
        archive = rewrite(good_archive, tmp_path / f"{change.__name__}.tar.gz", change)
        with pytest.raises(BackupError, match=message):
            restore(db, archive)
        assert is_empty(db), change.__name__
        assert list(db.attachments_dir.iterdir()) == []


def test_a_tampered_attachment_is_refused(db: Database, good_archive: Path, tmp_path: Path) -> None:
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(good_archive) as tar, tarfile.open(tampered, "w:gz") as out:
        for member in tar:
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("attachments/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            out.addfile(member, io.BytesIO(data))
    with pytest.raises(BackupError, match="does not match its checksum"):
        restore(db, tampered)
    assert is_empty(db)


def test_paths_outside_the_store_are_never_written(
    db: Database, good_archive: Path, tmp_path: Path
) -> None:
    for i, name in enumerate(
        ("../../escaped.txt", "/tmp/escaped-spasmwatch.txt", "attachments/../x")
    ):
        evil = tmp_path / f"evil{i}.tar.gz"
        with tarfile.open(good_archive) as tar, tarfile.open(evil, "w:gz") as out:
            for member in tar:
                out.addfile(member, tar.extractfile(member))
            info = tarfile.TarInfo(name)
            info.size = 3
            out.addfile(info, io.BytesIO(b"bad"))
        with pytest.raises(BackupError, match="that a backup never has") as caught:
            restore(db, evil)
        assert name in str(caught.value)
        assert not (tmp_path / "escaped.txt").exists()
        assert not Path("/tmp/escaped-spasmwatch.txt").exists()
        assert is_empty(db)
        assert list(db.attachments_dir.iterdir()) == []


def test_links_and_folders_in_an_archive_are_refused(
    db: Database, good_archive: Path, tmp_path: Path
) -> None:
    for kind in (tarfile.SYMTYPE, tarfile.LNKTYPE, tarfile.DIRTYPE):
        evil = tmp_path / f"evil-{kind!r}.tar.gz"
        with tarfile.open(good_archive) as tar, tarfile.open(evil, "w:gz") as out:
            for member in tar:
                out.addfile(member, tar.extractfile(member))
            info = tarfile.TarInfo("attachments/00/" + "0" * 64)
            info.type = kind
            info.linkname = "/etc/passwd"
            out.addfile(info)
        with pytest.raises(BackupError, match=r"an entry .* that a backup never has"):
            restore(db, evil)
        assert is_empty(db)


@pytest.mark.parametrize(
    "sha", ["../../../../etc/passwd", "A" * 64, "0" * 63, "0" * 64 + "\n", 42, None]
)
def test_a_stored_hash_that_is_not_a_sha256_is_refused(
    db: Database, good_archive: Path, tmp_path: Path, sha: Any
) -> None:
    def bad_hash(manifest: dict[str, Any], tables: dict[str, Any]) -> None:
        tables["attachments"][0]["sha256"] = sha

    archive = rewrite(good_archive, tmp_path / "bad-hash.tar.gz", bad_hash)
    with pytest.raises(BackupError, match=r"invalid sha256 .* 64 lowercase hexadecimal digits"):
        restore(db, archive)
    assert is_empty(db)


def test_a_bad_hash_in_the_manifest_or_a_bad_sensitivity_is_refused(
    db: Database, good_archive: Path, tmp_path: Path
) -> None:
    def listed(manifest: dict[str, Any], tables: dict[str, Any]) -> None:
        manifest["attachments"] = ["../x"]

    def sensitivity(manifest: dict[str, Any], tables: dict[str, Any]) -> None:
        tables["attachments"][0]["analysis"] = {"sensitivity": "../../etc"}

    for change, message in [
        (listed, "'attachments' must list SHA-256 hashes"),
        (sensitivity, "invalid analysis sensitivity '../../etc'"),
    ]:
        archive = rewrite(good_archive, tmp_path / f"{change.__name__}.tar.gz", change)
        with pytest.raises(BackupError, match=message):
            restore(db, archive)
        assert is_empty(db)


def test_sizes_are_capped_while_reading(db: Database, good_archive: Path, tmp_path: Path) -> None:
    # A gzip bomb: a few kB that inflate to 64 MB of JSON whitespace.
    bomb = tmp_path / "bomb.tar.gz"
    with tarfile.open(good_archive) as tar, tarfile.open(bomb, "w:gz") as out:
        for member in tar:
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
            if member.name == "tables.json":
                data = data + b" " * (64 * 1024 * 1024)
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    assert bomb.stat().st_size < good_archive.stat().st_size + 512 * 1024
    small_json = RestoreLimits(json_bytes=8 * 1024 * 1024)
    with pytest.raises(BackupError, match=r"'tables.json' is 64 MB, over the limit of 8 MB"):
        restore(db, bomb, small_json)
    with pytest.raises(BackupError, match="over the limit of 1000 bytes for one file"):
        restore(db, good_archive, RestoreLimits(member_bytes=1000))
    with pytest.raises(BackupError, match="more than the limit of 5000 bytes"):
        restore(db, good_archive, RestoreLimits(total_bytes=5000))
    with pytest.raises(BackupError, match="larger than the limit of 100 bytes"):
        restore(db, good_archive, RestoreLimits(archive_bytes=100))
    assert is_empty(db)
    assert list(db.attachments_dir.iterdir()) == []
    # The installation's upload limit caps each file by default.
    small = Database(Settings(data_dir=tmp_path / "small", max_upload_bytes=1000))
    small.migrate()
    with pytest.raises(BackupError, match="over the limit of 1000 bytes for one file"):
        restore(small, good_archive)
    small.dispose()


def test_analysis_outputs_round_trip(
    database_factory: Factory, shared_eeg_dir: Path, tmp_path: Path
) -> None:
    source = database_factory("sqlite")
    fill(source, shared_eeg_dir)
    with source.reading() as s:
        sha = s.scalars(select(Attachment.sha256)).one()
    outputs = {
        source.analysis_dir(sha) / "amplitude.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        source.analysis_dir(sha) / "event_000_nod_0001.50s.mp4": b"\0\0\0\x18ftypmp42" * 50,
        source.analysis_dir(sha, "high") / "contact_sheet.png": b"\x89PNG\r\n\x1a\nhigh",
    }
    for path, data in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    archive = backup(source, tmp_path / "with-outputs.tar.gz")
    target = database_factory("postgresql")
    restore(target, archive)
    for path, data in outputs.items():
        restored = target.data_dir / path.relative_to(source.data_dir)
        assert restored.read_bytes() == data, path.name

    # An output changed inside the archive is refused.
    tampered = tmp_path / "tampered-output.tar.gz"
    with tarfile.open(archive) as tar, tarfile.open(tampered, "w:gz") as out:
        for member in tar:
            data = tar.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.endswith(".mp4"):
                data = data[:-1] + b"X"
            out.addfile(member, io.BytesIO(data))
    other = database_factory("sqlite")
    with pytest.raises(BackupError, match=r"analysis output .* does not match its checksum"):
        restore(other, tampered)
    assert is_empty(other)
    assert not (other.data_dir / "analyses").exists() or not any(
        (other.data_dir / "analyses").rglob("*.*")
    )


def test_a_target_with_data_is_refused(
    database_factory: Factory, good_archive: Path, shared_eeg_dir: Path
) -> None:
    target = database_factory("postgresql")
    with target.transaction() as s:
        repo.create_user(s, "someone@example.org", "Someone", "h")
    before = rows_of(target)
    with pytest.raises(BackupError, match=r"already has data \(1 users\)"):
        restore(target, good_archive)
    assert rows_of(target) == before
    assert files_in(target.attachments_dir) == {}


def test_backup_needs_a_file_name(db: Database, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="is a directory"):
        backup(db, tmp_path)


def test_restored_analyses_are_served_again(tmp_path: Path) -> None:
    """A real EEG clip analysed in the app, backed up, restored into a new installation:
    its trend images answer again, byte for byte, without analysing it again."""
    from web.webworld import PASSWORD, add_child, anonymous, new_app, sign_up, upload

    clip = SHARED_EEG / "helsinki" / "clips" / "eeg1.edf"
    source = new_app(tmp_path / "source")
    person = sign_up(source, "ann@example.org")
    child = add_child(person)
    attachment = upload(person, child, clip)
    base = f"/children/{child}/attachments/{attachment}/images"
    images = {name: person.client.get(f"{base}/{name}") for name in ("amplitude", "spectrogram")}
    assert all(r.status_code == 200 and r.content.startswith(b"\x89PNG") for r in images.values())
    archive = backup(source.state.db, tmp_path / "backup.tar.gz")

    target = new_app(tmp_path / "target")
    restore(target.state.db, archive)
    again = anonymous(target)
    signed_in = again.form("/signin", {"email": "ann@example.org", "password": PASSWORD})
    assert signed_in.status_code == 303
    for name, before in images.items():
        after = again.client.get(f"{base}/{name}")
        assert after.status_code == 200 and after.content == before.content, name


OLD_BACKUPS = Path(__file__).resolve().parent / "old_backups"


@pytest.mark.parametrize("target_kind", ["sqlite", "postgresql"])
@pytest.mark.parametrize("revision", ["0002", "0007"])
def test_a_backup_of_an_older_schema_is_migrated_on_restore(
    database_factory: Factory, target_kind: str, revision: str
) -> None:
    """Archives written by earlier versions (``old_backups/README.md``) restore into this
    version's schema: their rows go through the migrations an upgraded installation goes
    through, and the diary reads as before."""
    from spasmwatch.diary import state
    from spasmwatch.store import care
    from spasmwatch.store.models import ApiToken

    archive = OLD_BACKUPS / f"revision-{revision}.tar.gz"
    target = database_factory(target_kind)
    counts = restore(target, archive)
    assert counts["users"] == 2 and counts["children"] == 2 and counts["episodes"] == 2
    assert counts["attachments"] == 1 and counts["attachment_files"] == 1
    from spasmwatch.store.db import MIGRATIONS

    newest = max(int(p.name[:4]) for p in (MIGRATIONS / "versions").glob("[0-9]*.py"))
    assert counts["schema_migrations"] == newest - int(revision)
    with target.reading() as s:
        child = repo.get_child(s, 1)
        assert child is not None and child.name == "Mia"
        assert child.birth_date == date(2026, 5, 1) and child.diary_version == 0
        notes = [e.data.get("notes") for e in repo.episodes_for(s, 1)]
        assert "Kopf nickt — zwölf Mal" in notes
        # Revision 0003 turned the one never-expiring API token into a write token.
        tokens = list(s.scalars(select(ApiToken)))
        assert [(t.user_id, t.scope) for t in tokens] == [(1, "write")]
        lost = [m.skill for m, _ in care.milestones_for(s, 1) if m.status == "lost"]
        assert lost == (["smile"] if revision == "0007" else [])
        stored_file = repo.get_attachment(s, 1)
    assert stored_file is not None
    assert stored_path(target.attachments_dir, stored_file.sha256).is_file()
    assert state.read(target, 1).triage["level"] in ("emergency", "same_day")

    with target.transaction() as s:  # new rows get fresh ids
        user = repo.create_user(s, "new@example.org", "New", "h")
        assert user.id == 3 and repo.create_child(s, user.id, "Zoe", age_months=1.0).id == 3


def test_an_older_backup_with_a_row_that_refers_to_nothing_is_refused(
    db: Database, tmp_path: Path
) -> None:
    def orphan(manifest: dict[str, Any], tables: dict[str, Any]) -> None:
        tables["episodes"][0]["child_id"] = 999

    archive = rewrite(OLD_BACKUPS / "revision-0007.tar.gz", tmp_path / "orphan.tar.gz", orphan)
    with pytest.raises(BackupError, match="cannot be restored"):
        restore(db, archive)
    assert is_empty(db)


def test_an_older_backup_needs_a_target_at_this_versions_schema(
    db: Database, tmp_path: Path
) -> None:
    from store.schema import downgrade

    downgrade(db.engine, "0007")
    with pytest.raises(BackupError, match="has schema revision '0007', not this version's"):
        restore(db, OLD_BACKUPS / "revision-0002.tar.gz")
    assert list(db.attachments_dir.iterdir()) == []
