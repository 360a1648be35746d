"""Restore of a backup (:mod:`spasmwatch.store.backup`; its format:
:mod:`spasmwatch.store.archive`) into an empty, migrated database.

A restore goes into an empty, migrated database in one transaction; the attachment files are
checked against their SHA-256 before anything is written, and moved into place just before
the commit (and removed again if the commit fails), so that an error leaves the target as it
was. A backup of an older schema revision has its rows carried through the same migrations
an installation goes through. An archive is untrusted input, read within limits
(:class:`RestoreLimits`) and checked member by member: :mod:`spasmwatch.store.archive_reader`.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Integer, MetaData, Table, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from spasmwatch.store.archive import (
    NOT_BACKED_UP,
    BackupContents,
    BackupError,
    attachment_kinds,
    backup_tables,
    from_json,
    kept_id_tables,
    schema_revision,
)
from spasmwatch.store.archive_reader import RestoreLimits, read_archive
from spasmwatch.store.db import Database, make_engine, migrate, migration_config
from spasmwatch.store.files import stored_path
from spasmwatch.store.models import Attachment, Job

__all__ = ["RestoreLimits", "restore", "restore_backup"]

log = logging.getLogger("spasmwatch")


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


def _reset_sequences(conn: Connection, given: dict[str, int]) -> None:
    """Point PostgreSQL's id sequences past the restored ids and past the ids the backed-up
    installation had given (``given``), never back."""
    kept = {t.name for t in backup_tables()}
    for table in backup_tables() + [t for t in kept_id_tables() if t.name not in kept]:
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
    for table in kept_id_tables():
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
    """Restore a backup made by :func:`~spasmwatch.store.backup.backup` into an empty,
    migrated database:
    :func:`restore_backup`, its contents as counts.

    Returns
    -------
    dict[str, int]
        Rows restored per table, ``"attachment_files"``: files put in the store, where any
        is lacking ``"missing_attachment_files"``: the files the restored rows refer to that
        are not in the store, and for a backup of an older schema revision
        ``"schema_migrations"``: the migrations its rows went through.
    """
    restored = restore_backup(database, archive, limits)
    counts = {**restored.rows, "attachment_files": restored.attachment_files}
    if restored.missing_files:
        counts["missing_attachment_files"] = len(restored.missing_files)
    if restored.schema_migrations:
        counts["schema_migrations"] = restored.schema_migrations
    return counts


def restore_backup(
    database: Database, archive: Path, limits: RestoreLimits | None = None
) -> BackupContents:
    """Restore a backup made by :func:`~spasmwatch.store.backup.write_backup` into an empty,
    migrated database.

    The database may be SQLite or PostgreSQL, whichever the backup came from. Everything is
    written in one transaction; on any error the database and its attachment files are left
    as they were.

    Parameters
    ----------
    database
        The target; it must be migrated (``database.migrate()``) and hold no rows.
    archive
        A ``.tar.gz`` written by :func:`~spasmwatch.store.backup.write_backup`.
    limits
        The most it reads (:class:`RestoreLimits`; each file defaults to the installation's
        upload limit).

    Returns
    -------
    BackupContents
        What was restored: rows per table, attachment rows per kind, the files put in the
        store, those the restored rows refer to that are not there (missing when the
        backup was made), the analysis outputs, the migrations of an older backup's rows.

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
        manifest, dump = read_archive(archive, staging, limits)
        with database.engine.connect() as conn:
            revision = schema_revision(conn)
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
            if schema_revision(conn) != revision:
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
            files = _place_files(staging, database.attachments_dir, placed)
            outputs = _place_outputs(staging / "analyses", database.data_dir / "analyses", placed)
            attachments = rows[Attachment.__tablename__]
            missing = sorted(
                sha
                for sha in {row["sha256"] for row in attachments}
                if not stored_path(database.attachments_dir, sha).is_file()
            )
        return BackupContents(
            path=archive,
            rows=counts,
            kinds=attachment_kinds(attachments),
            attachment_files=files,
            missing_files=tuple(missing),
            analysis_files=outputs,
            schema_migrations=migrations,
        )
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
        table.name: [from_json(table, row) for row in dump.get(table.name, [])] for table in tables
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


def _place_outputs(staging: Path, analyses_dir: Path, placed: list[Path]) -> int:
    """Move the staged analysis outputs into place, noting the new ones in ``placed``;
    how many there are."""
    if not staging.is_dir():
        return 0
    count = 0
    for folder in sorted(staging.iterdir()):
        for staged in sorted(folder.iterdir()):
            final = analyses_dir / folder.name / staged.name
            final.parent.mkdir(parents=True, exist_ok=True)
            count += 1
            if final.exists():
                continue
            staged.replace(final)
            placed.append(final)
    return count


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
