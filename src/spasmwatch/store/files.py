"""Attachments on disk: written by content hash, checked by content, size-limited.

A file is streamed to a temporary file in the attachments directory while its SHA-256 and
size are computed, checked, then moved to ``attachments/ab/abcdef...``: an interrupted or
refused upload leaves nothing behind, and the same content is stored once.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from spasmwatch.errors import SpasmwatchError

__all__ = [
    "SHA256",
    "StoredFile",
    "UploadRejected",
    "damaged_eeg_kind",
    "shown_message",
    "sniff_kind",
    "store_stream",
    "stored_path",
]

CHUNK = 1024 * 1024
#: A stored content hash: 64 lowercase hexadecimal digits, nothing else.
SHA256 = re.compile(r"[0-9a-f]{64}")


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


# ISO base media files that are pictures or sound, not video: HEIC/HEIF/AVIF photos
# (what a phone's camera saves by default) and M4A/M4B audio share the ``ftyp`` box.
NOT_VIDEO_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis",
     b"M4A ", b"M4B ", b"M4P "}
)  # fmt: skip
HEAD_BYTES = 256  # an EDF/BDF header's fixed part
#: The first 8 bytes of an EDF/EDF+ file (its version, 0) and of a BDF file.
EDF_MAGIC = b"0       "
BDF_MAGIC = b"\xffBIOSEMI"


def _edf_header_is_consistent(head: bytes) -> bool:
    """The fixed EDF/BDF header: its byte count is 256 * (1 + number of signals)."""
    if len(head) < HEAD_BYTES:
        return False
    try:
        header_bytes = int(head[184:192].decode("ascii"))
        signals = int(head[252:256].decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return False
    return signals > 0 and header_bytes == 256 * (signals + 1)


#: The first bytes of files often given by mistake for a recording, and what each is (the
#: readers say it in their words: :func:`other_file_kind`).
OTHER_FILE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "pdf"),
    (b"PK\x03\x04", "zip"),
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x1f\x8b", "gzip"),
)


def other_file_kind(head: bytes) -> str | None:
    """What a file that is neither a video nor an EEG is, from its first bytes, when it is
    one of :data:`OTHER_FILE_MAGIC` (``"pdf"``, ``"zip"``, ...); None otherwise."""
    return next((kind for magic, kind in OTHER_FILE_MAGIC if head.startswith(magic)), None)


def sniff_kind(head: bytes) -> tuple[str, str] | None:
    """(kind, content type) recognised from a file's first bytes, or None.

    Videos: MP4/MOV/3GP (an ``ftyp`` box, not a HEIC/AVIF photo or M4A audio), WebM/Matroska
    (EBML), AVI (RIFF AVI). EEG: EDF/EDF+ (version ``0`` and spaces), BDF (``\\xffBIOSEMI``),
    each with a consistent fixed header (the first 256 bytes).
    """
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in NOT_VIDEO_BRANDS:
            return None
        if brand == b"qt  ":
            return "video", "video/quicktime"
        if brand.startswith(b"3g"):
            return "video", "video/3gpp"
        return "video", "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video", "video/webm"
    if head.startswith(b"RIFF") and head[8:12] == b"AVI ":
        return "video", "video/x-msvideo"
    if head.startswith(EDF_MAGIC) and _edf_header_is_consistent(head):
        return "eeg", "application/edf"
    if head.startswith(BDF_MAGIC) and _edf_header_is_consistent(head):
        return "eeg", "application/bdf"
    return None


def damaged_eeg_kind(head: bytes) -> tuple[str, str] | None:
    """(``"eeg"``, content type) of a file that starts with the EDF or BDF version bytes
    but whose fixed header :func:`sniff_kind` does not take (a field that is not a number,
    a header length that does not fit its signals); None for any other file.

    Such a file is an EEG recording whose header is damaged, not some other file: the
    reader can say which field is wrong and what it holds, which is what its family needs
    to hear, rather than that it is not an EEG file at all.
    """
    if sniff_kind(head) is not None:
        return None
    if head.startswith(EDF_MAGIC):
        return "eeg", "application/edf"
    if head.startswith(BDF_MAGIC):
        return "eeg", "application/bdf"
    return None


def stored_path(attachments_dir: Path, sha256: object) -> Path:
    """The file of the content hash ``sha256`` in the store, never a path outside it.

    Raises
    ------
    ValueError
        When ``sha256`` is not 64 lowercase hexadecimal digits or the path leaves the store.
    """
    if not isinstance(sha256, str) or SHA256.fullmatch(sha256) is None:
        raise ValueError(f"Invalid attachment hash {str(sha256)[:80]!r}")
    root = attachments_dir.resolve()
    path = (root / sha256[:2] / sha256).resolve()
    if not path.is_relative_to(root):
        raise ValueError(f"Attachment {sha256} is outside the store")
    return path


#: The private folder an analysis of a stored file runs in (``<data>/tmp/analysis-xyz/``).
_ANALYSIS_FOLDER = re.compile(r"/\S*(?:spasmwatch-)?analysis-\w+/")


def shown_message(message: str, path: Path, filename: str) -> str:
    """An error message about a stored file, as its family may read it: the store's path
    (a content hash) said as the file's own name, the analysis's private folder left out."""
    return _ANALYSIS_FOLDER.sub("", message.replace(str(path), filename))


def _size_text(n_bytes: int) -> str:
    """A size as people read it (MB are MiB, as ``SPASMWATCH_MAX_UPLOAD_MB`` counts them)."""
    if n_bytes >= 1024 * 1024:
        return f"{n_bytes / (1024 * 1024):.0f} MB"
    if n_bytes >= 1024:
        return f"{n_bytes / 1024:.0f} KB"
    return f"{n_bytes} bytes"


def store_stream(
    chunks: Iterable[bytes],
    attachments_dir: Path,
    max_bytes: int,
    filename: str,
    readable: Callable[[Path, str, str], None] | None = None,
) -> StoredFile:
    """Write ``chunks`` into the store and return what was stored.

    ``readable(path, kind, filename)``, when given, opens the file as what its first bytes
    say it is (``kind``: ``video`` or ``eeg``) and raises :class:`UploadRejected` when it
    cannot be read: a file that starts like a video or an EDF but is cut short or damaged
    is refused here rather than kept as a recording that can never be analysed; so is one
    with the EDF/BDF version bytes and a damaged header (:func:`damaged_eeg_kind`), with
    the reader's reason (without ``readable`` it is not a recording by its content).

    Raises
    ------
    UploadRejected
        When the file is empty, larger than ``max_bytes``, neither a video nor an EEG file
        by its content, or not ``readable``. Nothing is left on disk then.
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
                        f"'{filename}' is larger than the limit of {_size_text(max_bytes)}"
                    )
                if len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRejected(f"'{filename}' is empty")
        found = sniff_kind(head)
        if found is None and readable is not None:
            # The EDF/BDF version bytes with a damaged header: opened as the EEG file it
            # starts like, so that the reader says what is wrong with it.
            found = damaged_eeg_kind(head)
        if found is None:
            raise UploadRejected(
                f"'{filename}' is not a video (MP4, MOV, WebM, AVI) or an EEG file "
                "(EDF, BDF) by its content"
            )
        if readable is not None:
            readable(tmp, found[0], filename)
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
