"""Backup and restore of a whole installation: every table and the attachment files.

A backup is one ``.tar.gz`` holding

- ``manifest.json``: ``{"format": "spasmwatch-backup", "version": 1, "schema_revision": ...,
  "created_at": ..., "tables": {name: row count}, "attachments": [sha256, ...],
  "ids_given": {name: the highest id the table ever gave}}`` (a restore goes on above those
  ids, so that an id deleted before the backup is never given again; older backups lack it;
  the analysis jobs are counted there too, though their rows are not kept, since the
  attachments' analyses name them);
- ``tables.json``: ``{table: [row, ...]}`` in foreign-key order, dates and times as ISO
  strings, so that a backup of SQLite restores into PostgreSQL and back;
- ``attachments/ab/abcdef...``: the files the ``attachments`` table refers to;
- ``analyses/<sha256>[-low|-high]/<file>``: the outputs of their analyses (contact sheets,
  plots, clips), each listed with its SHA-256 in the manifest's ``"analysis_files"``.

A restore goes into an empty, migrated database in one transaction; the attachment files are
checked against their SHA-256 before anything is written, and moved into place just before
the commit (and removed again if the commit fails), so that an error leaves the target as it
was. An archive is untrusted input: every member must be one of the above (a regular file
with a valid name), every stored hash 64 lowercase hexadecimal digits, and sizes are capped
while reading (:class:`RestoreLimits`: the archive, each member, all members together), so
that a crafted archive can neither write outside the store, make the app serve another file,
nor fill the memory or the disk.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import (
    Connection,
    Date,
    DateTime,
    Integer,
    MetaData,
    Table,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError

from spasmwatch.errors import SpasmwatchError
from spasmwatch.sensitivity import SENSITIVITIES
from spasmwatch.store.db import Database, make_engine, migrate, migration_config
from spasmwatch.store.files import SHA256, stored_path
from spasmwatch.store.models import Attachment, Base, Job

__all__ = ["BackupError", "RestoreLimits", "backup", "backup_tables", "restore"]

log = logging.getLogger("spasmwatch")

FORMAT = "spasmwatch-backup"
VERSION = 1
MANIFEST = "manifest.json"
TABLES = "tables.json"
ATTACHMENT_MEMBER = re.compile(r"attachments/([0-9a-f]{2})/([0-9a-f]{64})")
#: An analysis output: ``analyses/<sha256>[-low|-high]/<file name>`` (no folders below).
ANALYSIS_MEMBER = re.compile(
    r"analyses/([0-9a-f]{64}(?:-low|-high)?)/([A-Za-z0-9_][A-Za-z0-9_.-]{0,199})"
)
CHUNK = 1024 * 1024
MIB = 1024 * 1024


@dataclass(frozen=True)
class RestoreLimits:
    """The most a restore reads from an archive (an archive is untrusted input).

    Attributes
    ----------
    archive_bytes
        The archive file itself (compressed).
    json_bytes
        ``manifest.json`` and ``tables.json`` each, uncompressed (they are read into memory).
    member_bytes
        Each attachment or analysis file, uncompressed; ``None``: the installation's upload
        limit (``Settings.max_upload_bytes``).
    total_bytes
        Every member together, uncompressed.
    """

    archive_bytes: int = 64 * 1024 * MIB
    json_bytes: int = 256 * MIB
    member_bytes: int | None = None
    total_bytes: int = 128 * 1024 * MIB


def _size(n_bytes: int) -> str:
    return f"{n_bytes / MIB:.0f} MB" if n_bytes >= MIB else f"{n_bytes} bytes"


class BackupError(SpasmwatchError, ValueError):
    """A backup cannot be written, or an archive cannot be restored (the message says why)."""


#: Tables not kept in a backup: analysis jobs (a restored installation analyses again
#: on request), the derived state of each diary (computed again on first read) and the
#: throttles' counts (short-lived).
NOT_BACKED_UP = ("jobs", "diary_state", "throttle_events")


def backup_tables() -> list[Table]:
    """Every table kept in a backup, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_BACKED_UP]


def _kept_id_tables() -> list[Table]:
    """The tables that never give an id twice (``models.KEEP_IDS``): the backed-up ones, and
    the analysis jobs, whose rows are not kept but whose ids a waiting or running analysis
    names (a new job given such an id would pass for the job of the restored analysis)."""
    return [t for t in Base.metadata.sorted_tables if t.dialect_options["sqlite"]["autoincrement"]]


def _job_ids_named(attachments: list[dict[str, Any]]) -> int:
    """The highest job id the analyses of restored attachment rows name (a backup taken
    while an analysis waited or ran): what a backup that does not count its jobs gave."""
    highest = 0
    for row in attachments:
        analysis = row.get("analysis")
        job_id = analysis.get("job_id") if isinstance(analysis, dict) else None
        if isinstance(job_id, int) and not isinstance(job_id, bool) and 0 < job_id < 2**63:
            highest = max(highest, job_id)
    return highest


def _ids_given(conn: Connection) -> dict[str, int]:
    """The highest id each of :func:`_kept_id_tables` ever gave, deleted rows included
    (SQLite's ``sqlite_sequence``, PostgreSQL's sequences), or its highest id."""
    counter: Any = None
    if conn.dialect.name != "sqlite":
        counter = text(
            "SELECT pg_sequence_last_value(CAST(pg_get_serial_sequence(:t, 'id') AS regclass))"
        )
    elif inspect(conn).has_table("sqlite_sequence"):  # none before migration 0010
        counter = text("SELECT seq FROM sqlite_sequence WHERE name = :t")
    given: dict[str, int] = {}
    for table in _kept_id_tables():
        highest = conn.execute(select(func.max(table.c.id))).scalar() or 0
        if counter is not None:
            highest = max(highest, conn.execute(counter, {"t": table.name}).scalar() or 0)
        given[table.name] = highest
    return given


def _schema_revision(conn: Connection) -> str | None:
    """The Alembic revision of the database, or None when it was never migrated."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


@contextmanager
def _snapshot(database: Database) -> Iterator[Connection]:
    """A read-only connection that sees one consistent state of every table."""
    if database.engine.dialect.name == "sqlite":
        with database.engine.connect() as conn:
            # The engine begins every SQLite transaction itself (BEGIN IMMEDIATE, see
            # spasmwatch.store.db), so every following SELECT reads the same state.
            conn.begin()
            try:
                yield conn
            finally:
                conn.rollback()
    else:
        with database.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
            try:
                yield conn
            finally:
                conn.rollback()


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _from_json(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row from the archive with dates and times parsed back, checked against the table."""
    unknown = set(row) - set(table.columns.keys())
    if unknown:
        raise BackupError(
            f"Table '{table.name}' in the backup has columns this version does not know: "
            f"{', '.join(sorted(unknown))}"
        )
    if table.name == Attachment.__tablename__:
        _check_attachment_row(row)
    parsed: dict[str, Any] = {}
    for column in table.columns:
        value = row.get(column.name)
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        parsed[column.name] = value
    return parsed


def _check_attachment_row(row: dict[str, Any]) -> None:
    """Refuse an attachment row whose hash or analysis could name a file outside the store."""
    sha = row.get("sha256")
    if not isinstance(sha, str) or SHA256.fullmatch(sha) is None:
        raise BackupError(
            f"Table 'attachments' in the backup has an invalid sha256 {str(sha)[:80]!r} "
            f"(row id {row.get('id')!r}): it must be 64 lowercase hexadecimal digits"
        )
    analysis = row.get("analysis")
    if analysis is not None and not isinstance(analysis, dict):
        raise BackupError(
            f"Table 'attachments' in the backup has an invalid analysis (row id "
            f"{row.get('id')!r}): it must be an object"
        )
    sensitivity = (analysis or {}).get("sensitivity", "normal")
    if sensitivity not in SENSITIVITIES:
        raise BackupError(
            f"Table 'attachments' in the backup has an invalid analysis sensitivity "
            f"{str(sensitivity)[:40]!r} (row id {row.get('id')!r}): allowed are "
            f"{', '.join(SENSITIVITIES)}"
        )


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def backup(database: Database, out_path: Path) -> Path:
    """Write every table and the attachment files of ``database`` to one ``.tar.gz``.

    Parameters
    ----------
    database
        The installation to back up (SQLite or PostgreSQL); it may be in use meanwhile:
        the tables are read from one consistent snapshot.
    out_path
        The archive to write (conventionally ``*.tar.gz``); it is written to a temporary
        file beside it and renamed when complete, so a failed backup leaves no partial file.

    Returns
    -------
    Path
        ``out_path``.

    Raises
    ------
    BackupError
        When the database has no schema or ``out_path`` is a directory.
    """
    out_path = Path(out_path)
    if out_path.is_dir():
        raise BackupError(f"Invalid backup path '{out_path}': it is a directory; give a file name")
    dump: dict[str, list[dict[str, Any]]] = {}
    with _snapshot(database) as conn:
        revision = _schema_revision(conn)
        if revision is None:
            raise BackupError(f"Database {database.engine.url!r} has no spasmwatch schema")
        ids_given = _ids_given(conn)
        for table in backup_tables():
            query = select(table).order_by(*table.primary_key.columns)
            dump[table.name] = [
                {key: _to_json(value) for key, value in row.items()}
                for row in conn.execute(query).mappings()
            ]
    hashes = sorted({row["sha256"] for row in dump[Attachment.__tablename__]})
    with tempfile.TemporaryDirectory(prefix="backup-", dir=database.temp_dir) as snapshot:
        return _write_archive(database, out_path, dump, hashes, revision, ids_given, Path(snapshot))


def _write_archive(
    database: Database,
    out_path: Path,
    dump: dict[str, list[dict[str, Any]]],
    hashes: list[str],
    revision: str,
    ids_given: dict[str, int],
    snapshot: Path,
) -> Path:
    """The archive of :func:`backup`, its analysis outputs taken from ``snapshot``."""
    outputs = _analysis_outputs(database, hashes, snapshot)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "schema_revision": revision,
        "created_at": datetime.now().replace(microsecond=0).isoformat(),
        "tables": {name: len(rows) for name, rows in dump.items()},
        "attachments": hashes,
        "analysis_files": {name: digest for name, (_, digest) in outputs.items()},
        "ids_given": ids_given,
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", suffix=".tar.gz", dir=out_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with tarfile.open(tmp, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
            _add_bytes(tar, TABLES, json.dumps(dump, ensure_ascii=False).encode())
            missing = []
            for sha in hashes:
                path = stored_path(database.attachments_dir, sha)
                if not path.is_file():
                    missing.append(sha)
                    continue
                tar.add(path, arcname=f"attachments/{sha[:2]}/{sha}", recursive=False)
            if missing:
                # The rows are kept as they are; the files were already gone from the store.
                log.warning("backup: %d attachment file(s) missing from the store", len(missing))
            for name, (path, _) in outputs.items():
                tar.add(path, arcname=name, recursive=False)
        tmp.replace(out_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out_path


def _analysis_outputs(
    database: Database, hashes: list[str], snapshot: Path
) -> dict[str, tuple[Path, str]]:
    """The analysis outputs of the stored files, each linked (or copied) into ``snapshot``
    first: {member name: (its path in the snapshot, SHA-256)}. An analysis that runs
    meanwhile swaps its folder in whole (``attachments.analyse_attachment``), so a file that
    is gone by the time it is linked is left out, and what is linked stays as it was read."""
    root = database.data_dir / "analyses"
    found: dict[str, tuple[Path, str]] = {}
    for sha in hashes:
        for sensitivity in SENSITIVITIES:
            folder = database.analysis_dir(sha, sensitivity)
            try:
                paths = sorted(folder.iterdir())
            except (FileNotFoundError, NotADirectoryError):
                continue
            for path in paths:
                name = f"analyses/{path.relative_to(root).as_posix()}"
                if path.is_symlink() or not path.is_file():
                    continue
                if ANALYSIS_MEMBER.fullmatch(name) is None:
                    log.warning("backup: analysis output %s left out (unexpected name)", path)
                    continue
                kept = snapshot / f"{len(found)}"
                if not _keep(path, kept):
                    continue  # replaced by a run that finished meanwhile
                digest = hashlib.sha256()
                with kept.open("rb") as f:
                    while chunk := f.read(CHUNK):
                        digest.update(chunk)
                found[name] = (kept, digest.hexdigest())
    return found


def _keep(path: Path, kept: Path) -> bool:
    """Link ``path`` as ``kept`` (a copy on a file system without hard links); False when
    it is gone."""
    try:
        os.link(path, kept)
    except FileNotFoundError:
        return False
    except OSError:
        try:
            shutil.copyfile(path, kept)
        except FileNotFoundError:
            return False
    return True


def _read_archive(
    archive: Path, staging: Path, limits: RestoreLimits
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The manifest and tables of ``archive``; its attachment files, checked, into ``staging``
    (``staging/<sha256>``) and its analysis outputs into ``staging/analyses/...``."""
    name = f"'{archive}'"
    if not archive.is_file():
        raise BackupError(f"Backup {name} not found")
    if archive.stat().st_size > limits.archive_bytes:
        raise BackupError(
            f"Backup {name} is larger than the limit of {_size(limits.archive_bytes)}; "
            "nothing was restored"
        )
    manifest: dict[str, Any] | None = None
    tables: dict[str, Any] | None = None
    outputs: dict[str, str] = {}
    budget = _Budget(name, limits)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                budget.claim(member)
                if member.name in (MANIFEST, TABLES) and member.isfile():
                    source = tar.extractfile(member)
                    assert source is not None  # a regular file
                    data = _loads(source, member.name, name, limits.json_bytes)
                    if member.name == MANIFEST:
                        manifest = data
                    else:
                        tables = data
                    continue
                match = ATTACHMENT_MEMBER.fullmatch(member.name)
                if match is not None and member.isfile() and match[2][:2] == match[1]:
                    _stage_file(tar, member, staging / match[2], match[2], name)
                    continue
                found = ANALYSIS_MEMBER.fullmatch(member.name)
                if found is not None and member.isfile():
                    target = staging / "analyses" / found[1] / found[2]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    outputs[member.name] = _stage_file(tar, member, target, None, name)
                    continue
                raise BackupError(
                    f"{name} is not a spasmwatch backup: it holds "
                    f"{'a file' if member.isfile() else 'an entry'} "
                    f"{member.name[:200]!r} that a backup never has; nothing was restored"
                )
    except (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeDecodeError) as error:
        raise BackupError(f"{name} is not a readable spasmwatch backup: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{name} is not a spasmwatch backup (no spasmwatch manifest)")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"{name} is a spasmwatch backup of format version {manifest.get('version')!r}; "
            f"this version reads version {VERSION}"
        )
    if not isinstance(tables, dict):
        raise BackupError(f"{name} is not a complete spasmwatch backup: '{TABLES}' is missing")
    counts = manifest.get("tables", {})
    if not isinstance(counts, dict):
        raise BackupError(f"{name} is damaged: the manifest's 'tables' is not an object")
    for table_name, count in counts.items():
        rows = tables.get(table_name)
        if not isinstance(rows, list) or len(rows) != count:
            raise BackupError(f"{name} is damaged: table '{table_name}' should have {count} rows")
        if not all(isinstance(row, dict) for row in rows):
            raise BackupError(
                f"{name} is damaged: table '{table_name}' has a row that is no object"
            )
    listed = manifest.get("attachments", [])
    if not isinstance(listed, list) or not all(
        isinstance(sha, str) and SHA256.fullmatch(sha) for sha in listed
    ):
        raise BackupError(
            f"{name} is damaged: the manifest's 'attachments' must list SHA-256 hashes "
            "(64 lowercase hexadecimal digits)"
        )
    _check_outputs(name, manifest.get("analysis_files", {}), outputs)
    given = manifest.get("ids_given", {})
    if not isinstance(given, dict) or not all(
        isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 2**63 for n in given.values()
    ):
        raise BackupError(
            f"{name} is damaged: the manifest's 'ids_given' must give each table a whole "
            "number from 0"
        )
    absent = [sha for sha in listed if not (staging / sha).is_file()]
    if absent:
        log.warning("restore: %d attachment file(s) absent from %s", len(absent), name)
    return manifest, tables


def _check_outputs(name: str, expected: Any, staged: dict[str, str]) -> None:
    """Every staged analysis output is listed in the manifest with its checksum."""
    if not isinstance(expected, dict):
        raise BackupError(f"{name} is damaged: the manifest's 'analysis_files' is not an object")
    for member, digest in staged.items():
        if expected.get(member) != digest:
            raise BackupError(
                f"{name} is damaged: analysis output {member!r} does not match its checksum"
            )
    missing = set(expected) - set(staged)
    if missing:
        log.warning("restore: %d analysis output(s) absent from %s", len(missing), name)


class _Budget:
    """Counts what a restore reads and refuses it past the limits."""

    def __init__(self, name: str, limits: RestoreLimits) -> None:
        self.name = name
        self.limits = limits
        self.total = 0

    def claim(self, member: tarfile.TarInfo) -> None:
        json_member = member.name in (MANIFEST, TABLES)
        cap = self.limits.json_bytes if json_member else self.limits.member_bytes
        assert cap is not None  # set by restore()
        if member.size > cap:
            raise BackupError(
                f"{self.name} cannot be restored: {member.name[:200]!r} is "
                f"{_size(member.size)}, over the limit of {_size(cap)} for one file; "
                "nothing was restored"
            )
        self.total += member.size
        if self.total > self.limits.total_bytes:
            raise BackupError(
                f"{self.name} cannot be restored: its files come to more than the limit of "
                f"{_size(self.limits.total_bytes)}; nothing was restored"
            )


def _loads(source: IO[bytes], member: str, name: str, cap: int) -> Any:
    """A JSON member, read up to ``cap`` bytes (a gzip bomb stops there)."""
    data = source.read(cap + 1)
    if len(data) > cap:
        raise BackupError(
            f"{name} cannot be restored: '{member}' is over the limit of {_size(cap)}; "
            "nothing was restored"
        )
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BackupError(
            f"{name} is not a spasmwatch backup: bad JSON in '{member}' ({error})"
        ) from error
    except (RecursionError, ValueError) as error:
        raise BackupError(
            f"{name} is not a spasmwatch backup: '{member}' cannot be read ({str(error)[:200]})"
        ) from error


def _stage_file(
    tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, sha: str | None, name: str
) -> str:
    """Copy a member to ``target`` (never more than its header says), checking ``sha`` when
    given; returns its SHA-256."""
    source = tar.extractfile(member)
    assert source is not None  # a regular file
    digest = hashlib.sha256()
    left = member.size
    with source, open(target, "wb") as out:
        while left > 0 and (chunk := source.read(min(CHUNK, left))):
            left -= len(chunk)
            digest.update(chunk)
            out.write(chunk)
    if sha is not None and digest.hexdigest() != sha:
        raise BackupError(f"{name} is damaged: attachment {sha} does not match its checksum")
    return digest.hexdigest()


def _reset_sequences(conn: Connection, given: dict[str, int]) -> None:
    """Point PostgreSQL's id sequences past the restored ids and past the ids the backed-up
    installation had given (``given``), never back."""
    kept = {t.name for t in backup_tables()}
    for table in backup_tables() + [t for t in _kept_id_tables() if t.name not in kept]:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        sequence = conn.execute(
            select(func.pg_get_serial_sequence(table.name, pk[0].name))
        ).scalar()
        if sequence is None:
            continue
        highest = max(
            conn.execute(select(func.max(pk[0]))).scalar() or 0,
            given.get(table.name, 0),
            conn.execute(
                text("SELECT pg_sequence_last_value(CAST(:s AS regclass))"), {"s": sequence}
            ).scalar()
            or 0,
        )
        conn.execute(select(func.setval(sequence, highest + 1, False)))


def _raise_sqlite_sequences(conn: Connection, given: dict[str, int]) -> None:
    """SQLite's next ids above the ids the backed-up installation had given (``given``);
    the restored rows have already raised them to their own highest ids."""
    for table in _kept_id_tables():
        n = given.get(table.name, 0)
        raised = conn.execute(
            text("UPDATE sqlite_sequence SET seq = max(seq, :n) WHERE name = :t"),
            {"n": n, "t": table.name},
        )
        if raised.rowcount == 0 and n:
            conn.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :n)"),
                {"n": n, "t": table.name},
            )


def restore(
    database: Database, archive: Path, limits: RestoreLimits | None = None
) -> dict[str, int]:
    """Restore a backup made by :func:`backup` into an empty, migrated database.

    The database may be SQLite or PostgreSQL, whichever the backup came from. Everything is
    written in one transaction; on any error the database and its attachment files are left
    as they were.

    Parameters
    ----------
    database
        The target; it must be migrated (``database.migrate()``) and hold no rows.
    archive
        A ``.tar.gz`` written by :func:`backup`.
    limits
        The most it reads (:class:`RestoreLimits`; each file defaults to the installation's
        upload limit).

    Returns
    -------
    dict[str, int]
        Rows restored per table, ``"attachment_files"``: files put in the store, and for a
        backup of an older schema revision ``"schema_migrations"``: the migrations its rows
        went through.

    Raises
    ------
    BackupError
        When the archive is not a readable spasmwatch backup, is damaged, comes from another
        schema version, or when the target already has data.
    """
    archive = Path(archive)
    limits = limits or RestoreLimits()
    if limits.member_bytes is None:
        limits = RestoreLimits(
            limits.archive_bytes,
            limits.json_bytes,
            database.settings.max_upload_bytes,
            limits.total_bytes,
        )
    database.attachments_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=database.attachments_dir))
    placed: list[Path] = []
    try:
        manifest, dump = _read_archive(archive, staging, limits)
        with database.engine.connect() as conn:
            revision = _schema_revision(conn)
        if revision is None:
            raise BackupError(
                "The target database has no spasmwatch schema; migrate it before restoring"
            )
        made_at = manifest.get("schema_revision")
        migrations = 0
        if made_at == revision:
            rows = _rows_of(archive, dump, backup_tables())
        else:
            rows, migrations = _upgraded_rows(archive, dump, made_at, revision, staging)
        counts: dict[str, int] = {}
        with database.engine.connect() as conn, conn.begin():
            # On SQLite the engine's BEGIN IMMEDIATE has taken the write lock already, so
            # nothing is written between the emptiness check and the inserts.
            if _schema_revision(conn) != revision:
                raise BackupError(
                    "The target database was migrated during the restore; nothing was "
                    "restored, try again"
                )
            present = {
                table.name: n
                for table in backup_tables()
                if (n := conn.execute(select(func.count()).select_from(table)).scalar())
            }
            if present:
                summary = ", ".join(f"{n} {name}" for name, n in present.items())
                raise BackupError(
                    f"The target database already has data ({summary}); "
                    "restore only into an empty database"
                )
            for table in backup_tables():
                if rows[table.name]:
                    conn.execute(table.insert(), rows[table.name])
                counts[table.name] = len(rows[table.name])
            given = dict(manifest.get("ids_given", {}))
            jobs = Job.__tablename__
            given[jobs] = max(given.get(jobs, 0), _job_ids_named(rows[Attachment.__tablename__]))
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn, given)
            else:
                _raise_sqlite_sequences(conn, given)
            counts["attachment_files"] = _place_files(staging, database.attachments_dir, placed)
            _place_outputs(staging / "analyses", database.data_dir / "analyses", placed)
        if migrations:
            counts["schema_migrations"] = migrations
        return counts
    except BackupError:
        _remove(placed)
        raise
    except (
        SQLAlchemyError,
        CommandError,
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
    ) as error:
        _remove(placed)
        raise BackupError(f"'{archive}' cannot be restored: {error}") from error
    except BaseException:
        _remove(placed)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _rows_of(
    archive: Path, dump: dict[str, Any], tables: list[Table]
) -> dict[str, list[dict[str, Any]]]:
    """The archive's rows of each of ``tables``, dates and times parsed, checked against them."""
    known = {table.name for table in tables}
    unknown = sorted(set(dump) - known - set(NOT_BACKED_UP))
    if unknown:
        raise BackupError(
            f"'{archive}' has tables this version does not know: {', '.join(unknown)}"
        )
    return {
        table.name: [_from_json(table, row) for row in dump.get(table.name, [])] for table in tables
    }


def _upgraded_rows(
    archive: Path, dump: dict[str, Any], made_at: Any, revision: str, folder: Path
) -> tuple[dict[str, list[dict[str, Any]]], int]:
    """The rows of a backup made at an older schema revision, carried through the same
    migrations an installation goes through when it is upgraded.

    They are written into a scratch SQLite database at the backup's revision (the archive
    is the same on SQLite and PostgreSQL), which is then migrated to ``revision`` and read
    back with this version's tables.
    """
    script = ScriptDirectory.from_config(migration_config())
    head = script.get_current_head()
    if revision != head:
        raise BackupError(
            f"The target database has schema revision {revision!r}, not this version's "
            f"{head!r}; let this version migrate it first"
        )
    known = {step.revision for step in script.walk_revisions()}
    if not isinstance(made_at, str) or made_at not in known:
        raise BackupError(
            f"'{archive}' has schema revision {made_at!r}, which this version does not know "
            f"(its latest is {head!r}): it was made by a newer version of spasmwatch; restore "
            "it with that version or a later one"
        )
    scratch = folder / "upgrade"  # a folder: the staged attachment files are the files
    scratch.mkdir()
    # an installation's engine (foreign keys on): rows that refer to nothing are refused
    engine = make_engine(f"sqlite:///{scratch / 'backup.sqlite'}")
    try:
        migrate(engine, made_at)
        then = MetaData()
        then.reflect(bind=engine)
        tables = [table for table in then.sorted_tables if table.name != "alembic_version"]
        rows = _rows_of(archive, dump, tables)
        with engine.begin() as conn:
            for table in tables:
                if rows[table.name]:
                    conn.execute(table.insert(), rows[table.name])
        migrate(engine)
        with engine.connect() as conn:
            upgraded = {
                table.name: [dict(row) for row in conn.execute(select(table)).mappings()]
                for table in backup_tables()
            }
    finally:
        engine.dispose()
    steps = len(list(script.iterate_revisions(revision, made_at)))  # made_at excluded
    log.info("restore: rows of schema revision %s migrated to %s", made_at, revision)
    return upgraded, steps


def _place_files(staging: Path, attachments_dir: Path, placed: list[Path]) -> int:
    """Move the staged files into the store, noting the new ones in ``placed``."""
    count = 0
    for staged in sorted(staging.iterdir()):
        if not staged.is_file():
            continue  # the analyses folder
        final = attachments_dir / staged.name[:2] / staged.name
        final.parent.mkdir(exist_ok=True)
        count += 1
        if final.exists():
            continue  # the same content is already there
        staged.replace(final)
        placed.append(final)
    return count


def _place_outputs(staging: Path, analyses_dir: Path, placed: list[Path]) -> None:
    """Move the staged analysis outputs into place, noting the new ones in ``placed``."""
    if not staging.is_dir():
        return
    for folder in sorted(staging.iterdir()):
        for staged in sorted(folder.iterdir()):
            final = analyses_dir / folder.name / staged.name
            final.parent.mkdir(parents=True, exist_ok=True)
            if final.exists():
                continue
            staged.replace(final)
            placed.append(final)


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
