"""Attachments on disk: written by content hash, checked by content, size-limited.

A file is streamed to a temporary file in the attachments directory while its SHA-256 and
size are computed, checked, then moved to ``attachments/ab/abcdef...``: an interrupted or
refused upload leaves nothing behind, and the same content is stored once.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spasmwatch.errors import SpasmwatchError

__all__ = ["StoredFile", "UploadRejected", "sniff_kind", "store_stream"]

CHUNK = 1024 * 1024


class UploadRejected(SpasmwatchError, ValueError):
    """An upload is too big or is not the kind of file it should be."""


@dataclass(frozen=True)
class StoredFile:
    """A file now in the attachment store."""

    sha256: str
    size_bytes: int
    kind: str
    content_type: str
    path: Path


def sniff_kind(head: bytes) -> tuple[str, str] | None:
    """(kind, content type) recognised from a file's first bytes, or None.

    Videos: MP4/MOV/3GP (an ``ftyp`` box), WebM/Matroska (EBML), AVI (RIFF AVI).
    EEG: EDF/EDF+ (version ``0`` and spaces), BDF (``\\xffBIOSEMI``).
    """
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return "video", "video/quicktime"
        if brand.startswith(b"3g"):
            return "video", "video/3gpp"
        return "video", "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video", "video/webm"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "video", "video/x-msvideo"
    if head.startswith(b"0       "):
        return "eeg", "application/edf"
    if head.startswith(b"\xffBIOSEMI"):
        return "eeg", "application/bdf"
    return None


def store_stream(
    chunks: Iterable[bytes], attachments_dir: Path, max_bytes: int, filename: str
) -> StoredFile:
    """Write ``chunks`` into the store and return what was stored.

    Raises
    ------
    UploadRejected
        When the file is empty, larger than ``max_bytes``, or neither a video nor an EEG
        file by its content. Nothing is left on disk then.
    """
    attachments_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    fd, tmp_name = tempfile.mkstemp(prefix=".upload-", dir=attachments_dir)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                if not chunk:
                    continue
                size += len(chunk)
                if size > max_bytes:
                    raise UploadRejected(
                        f"'{filename}' is larger than the limit of {max_bytes / 1e6:.0f} MB"
                    )
                if len(head) < 64:
                    head += chunk[: 64 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRejected(f"'{filename}' is empty")
        found = sniff_kind(head)
        if found is None:
            raise UploadRejected(
                f"'{filename}' is not a video (MP4, MOV, WebM, AVI) or an EEG file "
                "(EDF, BDF) by its content"
            )
        sha = digest.hexdigest()
        final = attachments_dir / sha[:2] / sha
        final.parent.mkdir(exist_ok=True)
        if final.exists():
            tmp.unlink()
        else:
            tmp.replace(final)
        return StoredFile(sha, size, found[0], found[1], final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
