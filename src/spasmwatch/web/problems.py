"""What went wrong with a file, said in the page's language.

The store, the analysers and the job worker say why a file was refused or its analysis
failed in English (the API answers with their words, as the CLI and the logs do). A page
says the common kinds in its own language, from the catalogs. Its details say why in
the page's language too where the reason is one the readers write (their
``UNREADABLE_REASONS``, catalog messages with placeholders: a truncated EDF, a video with
no frames or one that fails to decode around a time; and the analysers'
``CANNOT_ANALYSE_REASONS``: a recording too short to analyse), and keep the English
message under it for whoever helps: the file's name, the numbers and the analyser's exact
words. A message of no known kind is said as a failure in
general words, with the English message as its details.

Each kind is recognised by the words its message always has (the messages are written in
``store/files.py``, ``attachments.py``, ``jobs.py`` and the readers and analysers of
``eeg/`` and ``video/``; the tests make each of them for real and check it is recognised).
The readers' and analysers' reasons are said by :mod:`spasmwatch.file_reasons`, as the
command line says them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from spasmwatch import file_reasons
from spasmwatch.attachments import INTERRUPTED, UNFINISHED
from spasmwatch.i18n import N_
from spasmwatch.jobs import STOPPED
from spasmwatch.web.i18n import current_locale, gettext

__all__ = ["Problem", "analysis_problem", "say_reason", "upload_problem"]


class Problem(NamedTuple):
    """A problem with a file, in the page's language.

    Attributes
    ----------
    kind
        What kind of problem (``no_eeg``, ``unreadable``, ``too_short``, ``memory``, ...;
        ``other`` when the message is of no known kind).
    text
        What the page says, in its language.
    original
        The English message (the details).
    retry
        Whether analysing the file again may end otherwise (never for a file that holds
        no EEG, cannot be read or is too short).
    viewable
        Whether the file can still be shown (the EEG trace viewer): not when it holds no
        EEG or cannot be read.
    detail
        Why, in the page's language, when it is not English and the message gives a
        reason the readers write (:func:`say_reason`); "" otherwise.
    more
        Whether the English message says more than the text does (a reason, a limit, a
        setting's name), so that it is worth showing as the details.
    """

    kind: str
    text: str
    original: str
    retry: bool = True
    viewable: bool = True
    detail: str = ""
    more: bool = True

    @property
    def has_details(self) -> bool:
        """Whether the page has details to show under the text."""
        return bool(self.detail) or (self.more and bool(self.original))


def say_reason(english: str) -> str:
    """A reason an EEG or video reader or analyser wrote (``"truncated: the header
    declares 10 data records ..."``, ``"recording of 2.0 s is too short to analyse ..."``)
    in the page's language, its values filled in (a value that is a catalog message, such
    as a header field's name or what a file seems to be, said in that language too; a
    number in the page's format); "" when it is no such reason, or the page's language does
    not have it yet (:func:`spasmwatch.file_reasons.say_reason`)."""
    return file_reasons.say_reason(english, gettext, current_locale())


def _sentence(text: str) -> str:
    """``text`` (a reason, which the readers write in lower case after a file's name) as
    a sentence of its own."""
    if not text:
        return ""
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _reason_in(message: str) -> str:
    """The reader's reason at the end of ``message`` (after the file's name and ": "),
    said in the page's language as a sentence; "" when it has none, or the page is in
    English (whose details are the message itself)."""
    if current_locale() == "en":
        return ""
    start = 0
    while (at := message.find(": ", start)) >= 0:
        said = say_reason(message[at + 2 :].strip())
        if said:
            return _sentence(said)
        start = at + 2
    return ""


def _says_more(original: str, english_text: str) -> bool:
    """Whether ``original`` says more than ``english_text`` (quotes and the full stop
    aside)."""

    def plain(text: str) -> str:
        return re.sub(r"[\'\"“”]", "", text).strip(" .").lower()

    return plain(original) != plain(english_text)


#: Analysis failures: (kind, the words its message has, what the page says, retry, viewable).
_ANALYSIS: tuple[tuple[str, re.Pattern[str], str, bool, bool], ...] = (
    (
        "no_eeg",
        re.compile(
            r"has zero signal channels|no EEG channel found among the signals|"
            r"holds zero data records"
        ),
        N_(
            "This file holds no EEG to analyse: it has no EEG signal (a hypnogram, for "
            "example, holds only annotations)."
        ),
        False,
        False,
    ),
    (
        "unreadable",
        re.compile(
            r"^Cannot read video|not an EDF, EDF\+ or BDF file|corrupt header|truncated|"
            r"mismatched sample counts|cannot be read|no such file"
        ),
        N_("This file cannot be read: it may be damaged or incomplete."),
        False,
        False,
    ),
    (
        "too_short",
        re.compile(r"too short to analyse"),
        N_("The recording is too short to analyse."),
        False,
        True,
    ),
    (
        "sampling_rate",
        re.compile(r"the analysis needs a whole number of samples per second"),
        N_(
            "The EEG's sampling rate cannot be analysed (it needs at least 60 Hz, a whole "
            "number of samples per second)."
        ),
        False,
        True,
    ),
    (
        "memory",
        re.compile(
            r"needed more memory|for lack of memory|" + re.escape(STOPPED.split(" (", 1)[0])
        ),
        N_("The analysis needed more memory than it may use on the computer that runs spasmwatch."),
        True,
        True,
    ),
    (
        "time",
        re.compile(r"took longer than the limit"),
        N_("The analysis took longer than it may on the computer that runs spasmwatch."),
        True,
        True,
    ),
    (
        "interrupted",
        re.compile(re.escape(INTERRUPTED) + r"|was stopped \(\w+\) before it finished"),
        N_("The analysis was stopped before it finished (the server stopped)."),
        True,
        True,
    ),
    (
        "unfinished",
        re.compile(re.escape(UNFINISHED)),
        N_("The analysis had not finished when this data was backed up."),
        True,
        True,
    ),
    (
        "crashed",
        re.compile(r"stopped unexpectedly|crashed in a library"),
        N_("The analysis stopped unexpectedly; the file may be damaged."),
        True,
        True,
    ),
)

#: Upload refusals: (kind, the message, what the page says); the name is the file's.
_UPLOAD: tuple[tuple[str, re.Pattern[str], str], ...] = (
    (
        "too_large",
        re.compile(r"^'(?P<name>.*)' is larger than the limit of (?P<limit>.+)$", re.S),
        N_("“%(name)s” is larger than the limit of %(limit)s."),
    ),
    ("empty", re.compile(r"^'(?P<name>.*)' is empty$", re.S), N_("“%(name)s” is empty.")),
    (
        "not_a_recording",
        re.compile(r"^'(?P<name>.*)' is not a video \(.*\) or an EEG file \(.*\)", re.S),
        N_(
            "“%(name)s” is not a video (MP4, MOV, WebM, AVI) or an EEG file (EDF, BDF), "
            "judging by its content."
        ),
    ),
    (
        "unreadable_eeg",
        re.compile(
            r"^'(?P<name>.*)' starts like an EEG file but cannot be read(?:: (?P<why>.*))?$",
            re.S,
        ),
        N_(
            "“%(name)s” starts like an EEG file but cannot be read: it may be damaged or "
            "incomplete."
        ),
    ),
    (
        "unreadable_video",
        re.compile(
            r"^'(?P<name>.*)' starts like a video but cannot be read(?:: (?P<why>.*))?$", re.S
        ),
        N_("“%(name)s” starts like a video but cannot be read: it may be damaged or incomplete."),
    ),
)


def analysis_problem(message: str) -> Problem:
    """Why an analysis failed (or an EEG file cannot be shown), from the English
    ``message`` the analysers or the job worker stored."""
    detail = _reason_in(message)
    for kind, words, text, retry, viewable in _ANALYSIS:
        if words.search(message):
            more = _says_more(message, text)
            return Problem(kind, gettext(text), message, retry, viewable, detail, more)
    return Problem("other", gettext("The file could not be analysed."), message, detail=detail)


def upload_problem(message: str) -> Problem:
    """Why an upload was refused, from the English ``message`` of the store."""
    for kind, words, text in _UPLOAD:
        found = words.search(message)
        if found:
            values = found.groupdict()
            why = values.pop("why", None) or ""
            # too large, empty, not a recording: the text says all the message does
            said = gettext(text) % values
            detail = _reason_in(f": {why}") if why else ""
            return Problem(kind, said, message, False, False, detail, bool(why))
    return Problem("other", gettext("The file was refused."), message, False, False)
