"""The backup archive's format, shared by the writing side (:mod:`spasmwatch.store.backup`)
and the restoring side (:mod:`spasmwatch.store.restore`).

A backup is one ``.tar.gz`` holding

- ``manifest.json``: ``{"format": "spasmwatch-backup", "version": 1, "schema_revision": ...,
  "created_at": ..., "tables": {name: row count}, "attachments": [sha256, ...],
  "missing_attachments": [sha256, ...], "ids_given": {name: the highest id the table ever
  gave}}`` (``missing_attachments``: the files the rows refer to that were not in the data
  directory, kept out of the archive; only a backup told to allow them has any, older
  backups lack the key; a restore goes on above the ``ids_given``
  ids, so that an id deleted before the backup is never given again; older backups lack it;
  the analysis jobs are counted there too, though their rows are not kept, since the
  attachments' analyses name them);
- ``tables.json``: ``{table: [row, ...]}`` in foreign-key order, dates and times as ISO
  strings, so that a backup of SQLite restores into PostgreSQL and back;
- ``attachments/ab/abcdef...``: the files the ``attachments`` table refers to;
- ``analyses/<sha256>[-low|-high]/<file>``: the outputs of their analyses (contact sheets,
  plots, clips), each listed with its SHA-256 in the manifest's ``"analysis_files"``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, inspect, text

from spasmwatch.errors import SpasmwatchError
from spasmwatch.sensitivity import SENSITIVITIES
from spasmwatch.store.files import SHA256
from spasmwatch.store.models import Attachment, Base

__all__ = [
    "ANALYSIS_MEMBER",
    "ATTACHMENT_MEMBER",
    "CHUNK",
    "FORMAT",
    "MANIFEST",
    "NOT_BACKED_UP",
    "TABLES",
    "VERSION",
    "BackupContents",
    "BackupError",
    "attachment_kinds",
    "backup_tables",
    "from_json",
    "kept_id_tables",
    "schema_revision",
    "to_json",
]

#: The manifest's ``"format"``: what tells a spasmwatch backup from any other ``.tar.gz``.
FORMAT = "spasmwatch-backup"
#: The manifest's ``"version"``: the layout of the archive (not the schema revision of its
#: rows, which a restore migrates); a restore reads only this one.
VERSION = 1
#: The archive's JSON members.
MANIFEST = "manifest.json"
TABLES = "tables.json"
#: An attachment file: ``attachments/<first 2 hex digits>/<sha256>``, as in the store.
ATTACHMENT_MEMBER = re.compile(r"attachments/([0-9a-f]{2})/([0-9a-f]{64})")
#: An analysis output: ``analyses/<sha256>[-low|-high]/<file name>`` (no folders below).
ANALYSIS_MEMBER = re.compile(
    r"analyses/([0-9a-f]{64}(?:-low|-high)?)/([A-Za-z0-9_][A-Za-z0-9_.-]{0,199})"
)
#: Bytes read at a time when a file is hashed or copied [design]: bounded memory whatever
#: the file's size.
CHUNK = 1024 * 1024


class BackupError(SpasmwatchError, ValueError):
    """A backup cannot be written, or an archive cannot be restored (the message says why)."""


@dataclass(frozen=True)
class BackupContents:
    """What a backup holds, as :func:`~spasmwatch.store.backup.write_backup` wrote it or
    :func:`~spasmwatch.store.restore.restore_backup` restored it.

    Attributes
    ----------
    path
        The archive.
    rows
        Rows per table (:func:`backup_tables`, in their order).
    kinds
        Attachment rows per kind (``video``, ``eeg``).
    attachment_files
        Attachment files in the archive (a backup), or put in the store (a restore).
    missing_files
        SHA-256 of the files the attachment rows refer to that the archive lacks (a
        backup told to allow them; a restore: those not in the store afterwards).
    analysis_files
        Analysis outputs (contact sheets, plots, clips) in the archive, or restored.
    schema_migrations
        A restore of an older backup: the migrations its rows went through.
    """

    path: Path
    rows: dict[str, int]
    kinds: dict[str, int]
    attachment_files: int
    missing_files: tuple[str, ...] = ()
    analysis_files: int = 0
    schema_migrations: int = 0


#: Tables not kept in a backup: analysis jobs (a restored installation analyses again
#: on request), the derived state of each diary (computed again on first read) and the
#: throttles' counts (short-lived).
NOT_BACKED_UP = ("jobs", "diary_state", "throttle_events")


def backup_tables() -> list[Table]:
    """Every table kept in a backup, parents before children."""
    return [t for t in Base.metadata.sorted_tables if t.name not in NOT_BACKED_UP]


def kept_id_tables() -> list[Table]:
    """The tables that never give an id twice (``models.KEEP_IDS``): the backed-up ones, and
    the analysis jobs, whose rows are not kept but whose ids a waiting or running analysis
    names (a new job given such an id would pass for the job of the restored analysis)."""
    return [t for t in Base.metadata.sorted_tables if t.dialect_options["sqlite"]["autoincrement"]]


def schema_revision(conn: Connection) -> str | None:
    """The Alembic revision of the database, or None when it was never migrated."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def attachment_kinds(attachments: list[dict[str, Any]]) -> dict[str, int]:
    """Attachment rows per kind (``video``, ``eeg``)."""
    kinds: dict[str, int] = {}
    for row in attachments:
        kinds[str(row.get("kind"))] = kinds.get(str(row.get("kind")), 0) + 1
    return kinds


def to_json(value: Any) -> Any:
    """A column's value as ``tables.json`` holds it: dates and times as ISO strings."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def from_json(table: Table, row: dict[str, Any]) -> dict[str, Any]:
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
