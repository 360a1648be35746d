"""What went wrong with a file, said in the page's language.

The store, the analysers and the job worker say why a file was refused or its analysis
failed in English (the API answers with their words, as the CLI and the logs do). A page
says the common kinds in its own language, from the catalogs, and keeps the English
message as the details: the file's name, the numbers and the analyser's exact words are
there for whoever helps. A message of no known kind is said as a failure in general
words, with the English message as its details.

Each kind is recognised by the words its message always has (the messages are written in
``store/files.py``, ``attachments.py``, ``jobs.py`` and the readers and analysers of
``eeg/`` and ``video/``; the tests make each of them for real and check it is recognised).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from spasmwatch.attachments import INTERRUPTED, UNFINISHED
from spasmwatch.i18n import N_
from spasmwatch.jobs import STOPPED
from spasmwatch.web.i18n import gettext

__all__ = ["Problem", "analysis_problem", "upload_problem"]


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
    """

    kind: str
    text: str
    original: str
    retry: bool = True
    viewable: bool = True

    @property
    def has_details(self) -> bool:
        """Whether the English message says more than (or other than) the text."""
        return bool(self.original) and self.original.strip(" .") != self.text.strip(" .")


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
        N_("The analysis needed more memory than it may use on this machine."),
        True,
        True,
    ),
    (
        "time",
        re.compile(r"took longer than the limit"),
        N_("The analysis took longer than it may on this machine."),
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
        re.compile(r"^'(?P<name>.*)' starts like an EEG file but cannot be read", re.S),
        N_(
            "“%(name)s” starts like an EEG file but cannot be read: it may be damaged or "
            "incomplete."
        ),
    ),
    (
        "unreadable_video",
        re.compile(r"^'(?P<name>.*)' starts like a video but cannot be read", re.S),
        N_("“%(name)s” starts like a video but cannot be read: it may be damaged or incomplete."),
    ),
)


def analysis_problem(message: str) -> Problem:
    """Why an analysis failed (or an EEG file cannot be shown), from the English
    ``message`` the analysers or the job worker stored."""
    for kind, words, text, retry, viewable in _ANALYSIS:
        if words.search(message):
            return Problem(kind, gettext(text), message, retry, viewable)
    return Problem("other", gettext("The file could not be analysed."), message)


def upload_problem(message: str) -> Problem:
    """Why an upload was refused, from the English ``message`` of the store."""
    for kind, words, text in _UPLOAD:
        found = words.search(message)
        if found:
            return Problem(kind, gettext(text) % found.groupdict(), message, False, False)
    return Problem("other", gettext("The file was refused."), message, False, False)
