"""What an EEG event's type is called where people read it: the report, the clinician view
and the trace viewer.

The types are the analysis' ``eventType`` codes (SzCORE / BIDS: ``sz``, ``decrement``,
``spasm``). The detectors propose events for a clinical neurophysiologist to confirm or
reject (they are screening aids), so each is said as "possible". The words are English
message ids: each place shows them in its reader's language (``gettext``).
"""

from __future__ import annotations

from collections.abc import Callable

from spasmwatch.i18n import N_, english

__all__ = ["EEG_EVENT_WORDS", "eeg_event_words"]

#: An EEG event type (the analysis' ``eventType``) in words, English (the message id).
EEG_EVENT_WORDS: dict[str, str] = {
    "sz": N_("possible seizure"),
    "decrement": N_("possible decrement"),
    "spasm": N_("possible spasm"),
}


def eeg_event_words(kind: str, gettext: Callable[[str], str] = english) -> str:
    """The event type ``kind`` in words, translated by ``gettext`` (English by default);
    an unknown type as it is."""
    words = EEG_EVENT_WORDS.get(kind)
    return gettext(words) if words is not None else kind
