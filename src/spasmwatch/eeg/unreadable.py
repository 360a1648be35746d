"""Why an EEG file cannot be read: the reasons the reader says, after the file's path.

Catalog messages with ``%(name)s`` placeholders, so that a page can say a stored English
message in its own language (:mod:`spasmwatch.file_reasons` recognises them among
:data:`UNREADABLE_REASONS`), and what a file that is not EDF or BDF seems to be. Kept
apart from the reading (:func:`~spasmwatch.eeg.reader.read_recording`), which raises them:
they are words for the catalogs and the pages as much as the reader's.
"""

from __future__ import annotations

from spasmwatch.i18n import N_
from spasmwatch.store.files import other_file_kind, sniff_kind

#: Why a file cannot be read (or holds no EEG), said after its path ("<path>: <why>"):
#: catalog messages with ``%(name)s`` placeholders, so that a page can say a stored
#: English message in its own language (``web/problems.py`` recognises them).
_FOLDER = N_("a folder, not a recording (name one EDF or BDF file)")
_MISSING = N_("no such file")
_SHORT_HEADER = N_(
    "not an EDF, EDF+ or BDF file: only %(size)s bytes, shorter than the 256-byte header"
)
_NOT_EDF = N_(
    "not an EDF, EDF+ or BDF file (%(what)s; an EDF file starts with '0' and a BDF file "
    "with the byte 0xFF and 'BIOSEMI')"
)
_NOT_A_NUMBER = N_("corrupt header: field '%(field)s' is %(value)s, expected a number")
_NO_SIGNALS = N_("the header declares %(signals)s signals; there is nothing to read")
_HEADER_BYTES = N_(
    "corrupt header: it declares %(declared)s header bytes, but %(signals)s signals need %(needed)s"
)
_HEADER_CUT = N_("truncated: the header needs %(needed)s bytes, the file has %(size)s")
_ONLY_ANNOTATIONS = N_(
    "has zero signal channels (it holds only annotations); there is no EEG to analyse"
)
_NO_SAMPLES = N_("corrupt header: signal %(signal)s has no samples per record")
_RECORD_DURATION = N_(
    "corrupt header: data record duration is %(duration)s s, expected a finite number > 0"
)
_DATA_CUT = N_(
    "truncated: the header declares %(records)s data records (%(needed)s bytes) but only "
    "%(size)s bytes of data follow (%(complete)s complete records)"
)
_MISMATCHED = N_(
    "mismatched sample counts: the data section has %(size)s bytes, but %(records)s "
    "records of %(samples)s samples (samples per record: %(rates)s) need %(needed)s"
)
_NO_RECORDS = N_("holds zero data records; there is no EEG to analyse")
_NO_EEG = N_("no EEG channel found among the signals %(signals)s")
_RATE = N_(
    "corrupt header: %(samples)s samples per data record of %(record_s)s s make "
    "%(rate_hz)s Hz, outside %(low_hz)s to %(high_hz)s Hz"
)
#: What a file that is not EDF or BDF seems to be (the ``what`` of :data:`_NOT_EDF`, from
#: its first bytes: :func:`_what_it_is`), catalog messages too: a page says it in its
#: language with the rest of the reason.
_IS_VIDEO = N_("it is a video (%(words)s): analyse it with `spasmwatch video analyze`")
_IS_TEXT = N_("it is text")
_IS_TEXT_STARTING = N_("it is text, starting %(start)s")
_FIRST_BYTES = N_("its first bytes are %(bytes)s")
#: What each video container recognised by :func:`~spasmwatch.store.files.sniff_kind` is
#: called when it is given as an EEG (the ``words`` of :data:`_IS_VIDEO`).
_A_VIDEO = N_("a video")
_VIDEO_WORDS = {
    "video/mp4": N_("MP4 or MOV"),
    "video/quicktime": N_("MP4 or MOV"),
    "video/3gpp": "3GP",
    "video/webm": N_("WebM or MKV"),
    "video/x-msvideo": "AVI",
}
#: What to call other files often given by mistake
#: (:func:`~spasmwatch.store.files.other_file_kind`).
_OTHER_KINDS: dict[str, str] = {
    "pdf": N_("it is a PDF document"),
    "zip": N_("it is a ZIP archive (or an office document): unpack the recording first"),
    "png": N_("it is a PNG picture"),
    "jpeg": N_("it is a JPEG picture"),
    "gzip": N_("it is a gzip-compressed file: unpack it first"),
}
#: Every reason above, and what a file that is not EDF or BDF seems to be (the header
#: fields that :data:`_NOT_A_NUMBER` names are catalog messages too, where they are read).
UNREADABLE_REASONS: tuple[str, ...] = (
    _FOLDER, _MISSING, _SHORT_HEADER, _NOT_EDF, _NOT_A_NUMBER, _NO_SIGNALS, _HEADER_BYTES,
    _HEADER_CUT, _ONLY_ANNOTATIONS, _NO_SAMPLES, _RECORD_DURATION, _DATA_CUT, _MISMATCHED,
    _NO_RECORDS, _NO_EEG, _RATE,
    _IS_VIDEO, _IS_TEXT, _IS_TEXT_STARTING, _FIRST_BYTES, *_OTHER_KINDS.values(),
)  # fmt: skip


def _what_it_is(head: bytes) -> str:
    """What a file that is not EDF or BDF seems to be, from its first bytes, in words (never
    the raw bytes)."""
    found = sniff_kind(head)
    if found is not None and found[0] == "video":
        return _IS_VIDEO % {"words": _VIDEO_WORDS.get(found[1], _A_VIDEO)}
    other = other_file_kind(head)
    if other is not None:
        return _OTHER_KINDS[other]
    start = head[:16]
    if start and all(32 <= b < 127 or b in (9, 10, 13) for b in start):
        shown = start.decode("ascii").split("\n")[0].strip()[:16]
        return _IS_TEXT_STARTING % {"start": repr(shown)} if shown else _IS_TEXT
    return _FIRST_BYTES % {"bytes": " ".join(f"{b:02X}" for b in head[:8])}
