"""Why a file cannot be read or analysed, said in a language.

The EEG and video readers and analysers say why in English, after the file's path
(``"<path>: <why>"``, ``"Cannot read video <path>: <why>"``, ``"Video <path>: <why>"``); the
API, the logs and the stored analyses keep those words. Each reason is a catalog message
with ``%(name)s`` placeholders (the readers' ``UNREADABLE_REASONS``, the analysers'
``CANNOT_ANALYSE_REASONS``), and so are the words before the path, so the pages
(``web/problems.py``) and the command line (``--lang``) say such a message in their own
language from the English one: its values filled in, a value that is itself a reason or a
catalog message (a header field's name, what a file seems to be) said in that language
too, and a number in the language's format (:func:`spasmwatch.i18n.said_value`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from spasmwatch.i18n import DEFAULT_LOCALE, english, match_message, said_value

__all__ = ["reason_templates", "say_file_message", "say_reason"]


@functools.cache
def reason_templates() -> tuple[str, ...]:
    """The readers' and analysers' reasons."""
    # Imported on first use: the video reader brings PyAV (FFmpeg), the analysers SciPy
    # and OpenCV.
    from spasmwatch.eeg.analysis import CANNOT_ANALYSE_REASONS as EEG_ANALYSIS
    from spasmwatch.eeg.reader import UNREADABLE_REASONS as EEG_REASONS
    from spasmwatch.video.analyze import CANNOT_ANALYSE_REASONS as VIDEO_ANALYSIS
    from spasmwatch.video.unreadable import UNREADABLE_REASONS as VIDEO_REASONS

    return EEG_REASONS + VIDEO_REASONS + EEG_ANALYSIS + VIDEO_ANALYSIS


@functools.cache
def _heads() -> tuple[str, ...]:
    """What a message about a video starts with, before ": <why>" (an EEG's message starts
    with the file's path alone)."""
    from spasmwatch.video.analyze import CANNOT_ANALYSE
    from spasmwatch.video.unreadable import CANNOT_READ

    return (CANNOT_READ, CANNOT_ANALYSE)


def say_reason(
    english_reason: str,
    gettext: Callable[[str], str] = english,
    locale: str | None = None,
) -> str:
    """A reason an EEG or video reader or analyser wrote (``"truncated: the header
    declares 10 data records ..."``, ``"recording of 2.0 s is too short to analyse ..."``)
    in ``gettext``'s language, its values filled in (a value that is a reason or a catalog
    message said in that language too; a number in ``locale``'s format); "" when it is no
    such reason, or the language (``locale``, not English) does not have it yet."""
    made = match_message(english_reason, reason_templates())
    if made is None:
        return ""
    template, found = made
    said = gettext(template)
    if said == template and locale not in (None, DEFAULT_LOCALE):
        return ""
    values = {
        k: say_reason(v, gettext, locale) or said_value(v, gettext, locale)
        for k, v in found.items()
    }
    return said % values


def say_file_message(
    message: str,
    gettext: Callable[[str], str] = english,
    locale: str | None = None,
) -> str:
    """A whole message about a file that cannot be read or analysed (``"<path>: <why>"``,
    ``"Cannot read video <path>: <why>"``, ``"Video <path>: <why>"``) in ``gettext``'s
    language, the path as it is; "" when its reason is none the readers and analysers write
    (:func:`say_reason`)."""
    start = 0
    while (at := message.find(": ", start)) >= 0:
        why = say_reason(message[at + 2 :].strip(), gettext, locale)
        if why:
            head = message[:at]
            made = match_message(head, _heads())
            if made is not None:
                head = gettext(made[0]) % made[1]
            return f"{head}: {why}"
        start = at + 2
    return ""
