"""Reading a backup archive (:mod:`spasmwatch.store.archive`'s format) for a restore, as
the untrusted input it is.

An archive is untrusted input: every member must be one of those the format has (a regular
file with a valid name), every stored hash 64 lowercase hexadecimal digits, and sizes are
capped while reading (:class:`RestoreLimits`: the archive, each member, all members
together), so that a crafted archive can neither write outside the store, make the app
serve another file, nor fill the memory or the disk. The attachment files are checked
against their SHA-256 as they are staged, before anything is written to the database
(:mod:`spasmwatch.store.restore` writes it).
"""

from __future__ import annotations

import hashlib
import json
import logging
import tarfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from spasmwatch.store.archive import (
    ANALYSIS_MEMBER,
    ATTACHMENT_MEMBER,
    CHUNK,
    FORMAT,
    MANIFEST,
    TABLES,
    VERSION,
    BackupError,
)
from spasmwatch.store.files import SHA256

__all__ = ["MIB", "RestoreLimits", "read_archive"]

log = logging.getLogger("spasmwatch")

#: Sizes in :class:`RestoreLimits` and in what a refused restore says.
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


def read_archive(
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
        # said by the caller (restore_backup's result), so only for the log
        log.info("restore: %d attachment file(s) absent from %s", len(absent), name)
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
