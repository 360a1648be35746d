"""Why a video cannot be read: the reasons the reader says, and the error that says them.

Each reason is a catalog message with ``%(name)s`` placeholders, said after "Cannot read
video <path>: " (:data:`CANNOT_READ`), so that a page or the command line can say a stored
English message in its own language (:mod:`spasmwatch.file_reasons` recognises them among
:data:`UNREADABLE_REASONS`). Kept apart from the decoding
(:class:`~spasmwatch.video.reader.VideoReader`), which raises them: they are words for the
catalogs and the pages as much as the reader's, and need neither PyAV nor NumPy.
"""

from __future__ import annotations

from pathlib import Path

from spasmwatch.errors import UnreadableFile
from spasmwatch.i18n import N_

__all__ = [
    "AN_EEG",
    "CANNOT_READ",
    "CUT_AFTER",
    "CUT_BEFORE_END",
    "DECODING_FAILED",
    "EMPTY",
    "FOLDER",
    "MISSING",
    "NOT_A_VIDEO",
    "NOT_OPENED",
    "NO_CODEC",
    "NO_END",
    "NO_FRAMES",
    "NO_SIZE",
    "NO_STREAM",
    "OTHER_FILES",
    "PICTURE",
    "STOP_AT",
    "TRUNCATED",
    "UNDECODED",
    "UNREADABLE_REASONS",
    "ffmpeg_reason",
    "non_video_format",
    "unreadable_error",
]

#: What a message about a video that cannot be read starts with (before ": <why>").
CANNOT_READ = N_("Cannot read video %(path)s")
#: Why a video cannot be read, said after "Cannot read video <path>: ": catalog messages
#: with ``%(name)s`` placeholders, so that a page or the command line can say a stored
#: English message in its own language (``spasmwatch.file_reasons`` recognises them).
#: FFmpeg's own words stay English.
FOLDER = N_("a folder, not a video (name one video file)")
MISSING = N_("no such file")
EMPTY = N_("the file is empty (0 bytes)")
AN_EEG = N_(
    "it is an EEG recording (EDF or BDF), not a video: analyse it with `spasmwatch eeg analyze`"
)
NOT_OPENED = N_("not a video file or damaged (%(ffmpeg)s)")
NOT_A_VIDEO = N_("it is %(what)s, not a video")
NO_STREAM = N_("it has no video stream")
NO_CODEC = N_("its video stream has no codec that can be decoded (the file may be damaged)")
NO_SIZE = N_("the video stream has no size")
PICTURE = N_(
    "its picture is %(width)sx%(height)s pixels; a video needs at least %(min_px)s "
    "pixels on each side and a long side at most %(aspect)s times the short one"
)
NO_FRAMES = N_("it contains no frames")
UNDECODED = N_("no frame could be decoded (%(ffmpeg)s)")
CUT_BEFORE_END = N_("damaged or truncated before its declared end at %(declared_s)s s (%(ffmpeg)s)")
CUT_AFTER = N_("damaged or truncated after %(last_s)s s (%(ffmpeg)s)")
TRUNCATED = N_("truncated, %(where)s of the declared %(declared_s)s s")
NO_END = N_("no frame near its end")
STOP_AT = N_("frames stop at %(end_s)s s")
DECODING_FAILED = N_("decoding failed around %(at_s)s s (%(ffmpeg)s)")
#: What a file FFmpeg opened but that is no video is (:func:`non_video_format`).
_TEXT, _PICTURE_FILE = N_("text"), N_("a still picture")
#: What to call other files often given by mistake for a video (the ``what`` of
#: :data:`NOT_A_VIDEO`; :func:`~spasmwatch.store.files.other_file_kind`).
OTHER_FILES: dict[str, str] = {
    "pdf": N_("a PDF document"),
    "zip": N_("a ZIP archive (or an office document)"),
    "png": N_("a PNG picture"),
    "jpeg": N_("a JPEG picture"),
    "gzip": N_("a gzip-compressed file"),
}
#: Every reason above.
UNREADABLE_REASONS: tuple[str, ...] = (
    FOLDER, MISSING, EMPTY, AN_EEG, NOT_OPENED, NOT_A_VIDEO, NO_STREAM, NO_CODEC,
    NO_SIZE, PICTURE, NO_FRAMES, UNDECODED, CUT_BEFORE_END, CUT_AFTER, TRUNCATED,
    NO_END, STOP_AT, DECODING_FAILED, _TEXT, _PICTURE_FILE, *OTHER_FILES.values(),
)  # fmt: skip


def unreadable_error(path: Path, why: str, **values: object) -> UnreadableFile:
    """The error saying why the video at ``path`` cannot be read (``why`` one of
    :data:`UNREADABLE_REASONS`, filled with ``values``)."""
    said = why % values if values else why
    return UnreadableFile(f"{CANNOT_READ % {'path': path}}: {said}")


def non_video_format(format_name: str) -> str:
    """What a file FFmpeg opened through one of its non-video demuxers is ("" for a video
    container): plain text, which FFmpeg's ``tty`` demuxer shows as a picture of the text,
    or a still picture (``image2``, ``png_pipe``, ``jpeg_pipe``, ...)."""
    names = set(format_name.split(","))
    if "tty" in names:
        return _TEXT
    if "image2" in names or any(n.endswith("_pipe") for n in names):
        return _PICTURE_FILE
    return ""


def ffmpeg_reason(exc: BaseException) -> str:
    """FFmpeg's own words for ``exc`` (English), its first line, for a reason's
    ``%(ffmpeg)s``."""
    text = getattr(exc, "strerror", None) or str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
