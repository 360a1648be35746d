"""Backup and restore of a whole installation: every table and the attachment files.

A backup is one ``.tar.gz`` holding

- ``manifest.json``: ``{"format": "spasmwatch-backup", "version": 1, "schema_revision": ...,
  "created_at": ..., "tables": {name: row count}, "attachments": [sha256, ...]}``;
- ``tables.json``: ``{table: [row, ...]}`` in foreign-key order, dates and times as ISO
  strings, so that a backup of SQLite restores into PostgreSQL and back;
- ``attachments/ab/abcdef...``: the files the ``attachments`` table refers to.

A restore goes into an empty, migrated database in one transaction; the attachment files are
checked against their SHA-256 before anything is written, and moved into place just before
the commit (and removed again if the commit fails), so that an error leaves the target as it
was.
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
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Integer, Table, func, inspect, select, text
from sqlalchemy.exc import SQLAlchemyError

from spasmwatch.errors import SpasmwatchError
from spasmwatch.store.db import Database
from spasmwatch.store.models import Attachment, Base

__all__ = ["BackupError", "backup", "restore"]

log = logging.getLogger("spasmwatch")

FORMAT = "spasmwatch-backup"
VERSION = 1
MANIFEST = "manifest.json"
TABLES = "tables.json"
ATTACHMENT_MEMBER = re.compile(r"attachments/([0-9a-f]{2})/([0-9a-f]{64})")
CHUNK = 1024 * 1024


class BackupError(SpasmwatchError, ValueError):
    """A backup cannot be written, or an archive cannot be restored (the message says why)."""


def _tables() -> list[Table]:
    """Every table, parents before children."""
    return list(Base.metadata.sorted_tables)


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
    parsed: dict[str, Any] = {}
    for column in table.columns:
        value = row.get(column.name)
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        parsed[column.name] = value
    return parsed


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
        for table in _tables():
            query = select(table).order_by(*table.primary_key.columns)
            dump[table.name] = [
                {key: _to_json(value) for key, value in row.items()}
                for row in conn.execute(query).mappings()
            ]
    hashes = sorted({row["sha256"] for row in dump[Attachment.__tablename__]})
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "schema_revision": revision,
        "created_at": datetime.now().replace(microsecond=0).isoformat(),
        "tables": {name: len(rows) for name, rows in dump.items()},
        "attachments": hashes,
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
                path = database.attachments_dir / sha[:2] / sha
                if not path.is_file():
                    missing.append(sha)
                    continue
                tar.add(path, arcname=f"attachments/{sha[:2]}/{sha}", recursive=False)
            if missing:
                # The rows are kept as they are; the files were already gone from the store.
                log.warning("backup: %d attachment file(s) missing from the store", len(missing))
        tmp.replace(out_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out_path


def _read_archive(archive: Path, staging: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The manifest and tables of ``archive``; its attachment files, checked, into ``staging``."""
    name = f"'{archive}'"
    if not archive.is_file():
        raise BackupError(f"Backup {name} not found")
    manifest: dict[str, Any] | None = None
    tables: dict[str, Any] | None = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                if member.name in (MANIFEST, TABLES) and member.isfile():
                    data = json.loads(tar.extractfile(member).read())  # type: ignore[union-attr]
                    if member.name == MANIFEST:
                        manifest = data
                    else:
                        tables = data
                    continue
                match = ATTACHMENT_MEMBER.fullmatch(member.name)
                if match is None or not member.isfile() or match[2][:2] != match[1]:
                    continue  # directories and anything else: never extracted
                _stage_file(tar, member, match[2], staging, name)
    except (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeDecodeError) as error:
        raise BackupError(f"{name} is not a readable spasmwatch backup: {error}") from error
    except json.JSONDecodeError as error:
        raise BackupError(f"{name} is not a spasmwatch backup: bad JSON ({error})") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{name} is not a spasmwatch backup (no spasmwatch manifest)")
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"{name} is a spasmwatch backup of format version {manifest.get('version')!r}; "
            f"this version reads version {VERSION}"
        )
    if not isinstance(tables, dict):
        raise BackupError(f"{name} is not a complete spasmwatch backup: '{TABLES}' is missing")
    for table_name, count in manifest.get("tables", {}).items():
        rows = tables.get(table_name)
        if not isinstance(rows, list) or len(rows) != count:
            raise BackupError(f"{name} is damaged: table '{table_name}' should have {count} rows")
    absent = [sha for sha in manifest.get("attachments", []) if not (staging / sha).is_file()]
    if absent:
        log.warning("restore: %d attachment file(s) absent from %s", len(absent), name)
    return manifest, tables


def _stage_file(
    tar: tarfile.TarFile, member: tarfile.TarInfo, sha: str, staging: Path, name: str
) -> None:
    source = tar.extractfile(member)
    if source is None:
        return
    digest = hashlib.sha256()
    with source, open(staging / sha, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != sha:
        raise BackupError(f"{name} is damaged: attachment {sha} does not match its checksum")


def _reset_sequences(conn: Connection) -> None:
    """Point PostgreSQL's id sequences past the restored ids."""
    for table in _tables():
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, Integer):
            continue
        sequence = conn.execute(
            select(func.pg_get_serial_sequence(table.name, pk[0].name))
        ).scalar()
        if sequence is None:
            continue
        highest = conn.execute(select(func.max(pk[0]))).scalar()
        conn.execute(select(func.setval(sequence, (highest or 0) + 1, False)))


def restore(database: Database, archive: Path) -> dict[str, int]:
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

    Returns
    -------
    dict[str, int]
        Rows restored per table, and ``"attachment_files"``: files put in the store.

    Raises
    ------
    BackupError
        When the archive is not a readable spasmwatch backup, is damaged, comes from another
        schema version, or when the target already has data.
    """
    archive = Path(archive)
    database.attachments_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=database.attachments_dir))
    placed: list[Path] = []
    try:
        manifest, dump = _read_archive(archive, staging)
        known = {table.name: table for table in _tables()}
        unknown = sorted(set(dump) - set(known))
        if unknown:
            raise BackupError(
                f"'{archive}' has tables this version does not know: {', '.join(unknown)}"
            )
        counts: dict[str, int] = {}
        with database.engine.connect() as conn, conn.begin():
            # On SQLite the engine's BEGIN IMMEDIATE has taken the write lock already, so
            # nothing is written between the emptiness check and the inserts.
            revision = _schema_revision(conn)
            if revision is None:
                raise BackupError(
                    "The target database has no spasmwatch schema; migrate it before restoring"
                )
            if revision != manifest.get("schema_revision"):
                raise BackupError(
                    f"'{archive}' has schema revision {manifest.get('schema_revision')!r}; "
                    f"the target database has {revision!r}; restore with the same version"
                )
            present = {
                table.name: n
                for table in _tables()
                if (n := conn.execute(select(func.count()).select_from(table)).scalar())
            }
            if present:
                summary = ", ".join(f"{n} {name}" for name, n in present.items())
                raise BackupError(
                    f"The target database already has data ({summary}); "
                    "restore only into an empty database"
                )
            for table in _tables():
                rows = [_from_json(table, row) for row in dump.get(table.name, [])]
                if rows:
                    conn.execute(table.insert(), rows)
                counts[table.name] = len(rows)
            if conn.dialect.name == "postgresql":
                _reset_sequences(conn)
            counts["attachment_files"] = _place_files(staging, database.attachments_dir, placed)
        return counts
    except BackupError:
        _remove(placed)
        raise
    except (SQLAlchemyError, ValueError, TypeError, KeyError, AttributeError) as error:
        _remove(placed)
        raise BackupError(f"'{archive}' cannot be restored: {error}") from error
    except BaseException:
        _remove(placed)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _place_files(staging: Path, attachments_dir: Path, placed: list[Path]) -> int:
    """Move the staged files into the store, noting the new ones in ``placed``."""
    count = 0
    for staged in sorted(staging.iterdir()):
        final = attachments_dir / staged.name[:2] / staged.name
        final.parent.mkdir(exist_ok=True)
        count += 1
        if final.exists():
            continue  # the same content is already there
        staged.replace(final)
        placed.append(final)
    return count


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
