"""Backup of a whole installation: every table and the attachment files, in one ``.tar.gz``
(its format: :mod:`spasmwatch.store.archive`; restoring one: :mod:`spasmwatch.store.restore`).

A backup refuses to leave out an attachment file the database refers to unless told to
(:class:`MissingAttachments`): a database whose data directory is mistyped (PostgreSQL
keeps its rows elsewhere) would otherwise give a backup of every row and no recording.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, func, inspect, select, text

from spasmwatch.errors import InvalidInput
from spasmwatch.i18n import N_
from spasmwatch.sensitivity import SENSITIVITIES
from spasmwatch.store.archive import (
    ANALYSIS_MEMBER,
    CHUNK,
    FORMAT,
    MANIFEST,
    TABLES,
    VERSION,
    BackupContents,
    BackupError,
    attachment_kinds,
    backup_tables,
    kept_id_tables,
    schema_revision,
    to_json,
)
from spasmwatch.store.db import Database
from spasmwatch.store.files import stored_path
from spasmwatch.store.models import Attachment

__all__ = ["MISSING_ATTACHMENTS", "MissingAttachments", "backup", "write_backup"]

log = logging.getLogger("spasmwatch")


#: A backup refused for attachment files missing from the data directory (a catalog
#: message: the command line says it in its ``--lang``).
MISSING_ATTACHMENTS = N_(
    "Backup refused: attachment files are missing from the data directory %(folder)s: "
    "%(missing)s of the %(total)s the database refers to. Check --data-dir (or "
    "SPASMWATCH_DATA_DIR); to back up without them, give --allow-missing-attachments (the "
    "backup then lists them as missing). Nothing was written"
)


class MissingAttachments(BackupError, InvalidInput):
    """Attachment files the database refers to are not in the data directory: a backup
    would hold the rows of the recordings but not the recordings (a mistyped data
    directory beside a PostgreSQL database), so none is written unless told to."""


def _ids_given(conn: Connection) -> dict[str, int]:
    """The highest id each of :func:`~spasmwatch.store.archive.kept_id_tables` ever gave,
    deleted rows included (SQLite's ``sqlite_sequence``, PostgreSQL's sequences), or its
    highest id."""
    counter: Any = None
    if conn.dialect.name != "sqlite":
        counter = text(
            "SELECT pg_sequence_last_value(CAST(pg_get_serial_sequence(:t, 'id') AS regclass))"
        )
    elif inspect(conn).has_table("sqlite_sequence"):  # none before migration 0010
        counter = text("SELECT seq FROM sqlite_sequence WHERE name = :t")
    given: dict[str, int] = {}
    for table in kept_id_tables():
        highest = conn.execute(select(func.max(table.c.id))).scalar() or 0
        if counter is not None:
            highest = max(highest, conn.execute(counter, {"t": table.name}).scalar() or 0)
        given[table.name] = highest
    return given


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


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def backup(database: Database, out_path: Path, *, allow_missing_attachments: bool = False) -> Path:
    """Write every table and the attachment files of ``database`` to one ``.tar.gz``:
    :func:`write_backup`, returning the archive's path."""
    return write_backup(
        database, out_path, allow_missing_attachments=allow_missing_attachments
    ).path


def write_backup(
    database: Database, out_path: Path, *, allow_missing_attachments: bool = False
) -> BackupContents:
    """Write every table and the attachment files of ``database`` to one ``.tar.gz``.

    Parameters
    ----------
    database
        The installation to back up (SQLite or PostgreSQL); it may be in use meanwhile:
        the tables are read from one consistent snapshot.
    out_path
        The archive to write (conventionally ``*.tar.gz``); it is written to a temporary
        file beside it and renamed when complete, so a failed backup leaves no partial file.
    allow_missing_attachments
        Write the backup even when attachment files the rows refer to are not in the data
        directory; the manifest lists them (``missing_attachments``).

    Returns
    -------
    BackupContents
        What the archive holds.

    Raises
    ------
    MissingAttachments
        When attachment files the database refers to are not in the data directory and
        ``allow_missing_attachments`` is not set (nothing is written).
    BackupError
        When the database has no schema or ``out_path`` is a directory.
    """
    out_path = Path(out_path)
    if out_path.is_dir():
        raise BackupError(f"Invalid backup path '{out_path}': it is a directory; give a file name")
    dump: dict[str, list[dict[str, Any]]] = {}
    with _snapshot(database) as conn:
        revision = schema_revision(conn)
        if revision is None:
            raise BackupError(f"Database {database.engine.url!r} has no spasmwatch schema")
        ids_given = _ids_given(conn)
        for table in backup_tables():
            query = select(table).order_by(*table.primary_key.columns)
            dump[table.name] = [
                {key: to_json(value) for key, value in row.items()}
                for row in conn.execute(query).mappings()
            ]
    hashes = sorted({row["sha256"] for row in dump[Attachment.__tablename__]})
    absent = [sha for sha in hashes if not stored_path(database.attachments_dir, sha).is_file()]
    # A file removed with its row after the snapshot was read (a recording deleted
    # meanwhile) is no sign of a wrong data directory: only those still referred to are.
    missing = _still_referred_to(database, absent)
    if missing and not allow_missing_attachments:
        raise MissingAttachments(
            MISSING_ATTACHMENTS,
            folder=database.data_dir,
            missing=len(missing),
            total=len(hashes),
        )
    with tempfile.TemporaryDirectory(prefix="backup-", dir=database.temp_dir) as snapshot:
        return _write_archive(
            database, out_path, dump, hashes, absent, revision, ids_given, Path(snapshot)
        )


def _still_referred_to(database: Database, hashes: list[str]) -> list[str]:
    """Those of ``hashes`` that an attachment row of the database refers to now."""
    found: set[str] = set()
    sha = Attachment.__table__.c.sha256
    with database.reading() as s:
        for start in range(0, len(hashes), _IN_CHUNK):
            chunk = hashes[start : start + _IN_CHUNK]
            found.update(s.execute(select(sha).where(sha.in_(chunk)).distinct()).scalars())
    return [h for h in hashes if h in found]


#: Hashes per ``IN (...)`` query: well under SQLite's oldest limit of 999 parameters.
_IN_CHUNK = 500


def _write_archive(
    database: Database,
    out_path: Path,
    dump: dict[str, list[dict[str, Any]]],
    hashes: list[str],
    absent: list[str],
    revision: str,
    ids_given: dict[str, int],
    snapshot: Path,
) -> BackupContents:
    """The archive of :func:`write_backup`, its analysis outputs taken from ``snapshot``,
    the files of ``absent`` left out and listed."""
    outputs = _analysis_outputs(database, hashes, snapshot)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "schema_revision": revision,
        "created_at": datetime.now().replace(microsecond=0).isoformat(),
        "tables": {name: len(rows) for name, rows in dump.items()},
        "attachments": hashes,
        "missing_attachments": absent,
        "analysis_files": {name: digest for name, (_, digest) in outputs.items()},
        "ids_given": ids_given,
    }
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".backup-", suffix=".tar.gz", dir=out_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    missing = list(absent)
    try:
        with tarfile.open(tmp, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=1).encode())
            _add_bytes(tar, TABLES, json.dumps(dump, ensure_ascii=False).encode())
            left_out = set(absent)
            for sha in hashes:
                if sha in left_out:
                    continue
                try:
                    tar.add(
                        stored_path(database.attachments_dir, sha),
                        arcname=f"attachments/{sha[:2]}/{sha}",
                        recursive=False,
                    )
                except FileNotFoundError:  # removed with its row while this one was written
                    missing.append(sha)
            if missing:
                # said by the caller (write_backup's result), so only for the log
                log.info("backup: %d attachment file(s) missing from the store", len(missing))
            for name, (path, _) in outputs.items():
                tar.add(path, arcname=name, recursive=False)
        tmp.replace(out_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return BackupContents(
        path=out_path,
        rows={name: len(rows) for name, rows in dump.items()},
        kinds=attachment_kinds(dump[Attachment.__tablename__]),
        attachment_files=len(hashes) - len(missing),
        missing_files=tuple(sorted(missing)),
        analysis_files=len(outputs),
    )


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
