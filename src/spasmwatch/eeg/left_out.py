"""Why an EEG signal of a readable file is left out (a rate that is not a whole
multiple, a duplicate, a broken range), and those reasons in another language.

The reader (:func:`~spasmwatch.eeg.reader.read_recording`) writes them into
``Recording.skipped``; the report, the command line and the review pages say them again
from a stored result, without reading the file, so they are apart from the reading.
"""

from __future__ import annotations

from collections.abc import Callable

from spasmwatch.i18n import DEFAULT_LOCALE, N_, english, say_message

#: How :func:`read_recording` says a signal is not an electrode (ECG, respiration ...).
NOT_EEG = "(not an EEG electrode)"


#: Why an EEG signal of a readable file is left out, said in brackets after its label
#: (``Recording.skipped``: ``"Pz (sampled at 384 Hz)"``): catalog messages with
#: placeholders, said in another language by :func:`left_out_words`.
_RANGE_NOT_FINITE = N_("physical or digital range not a finite number")
_RANGE_INVALID = N_("invalid digital or physical range")
_RANGE_BEYOND = N_("physical range beyond ±%(volts)s V")
_OTHER_RATE = N_("sampled at %(hz)s Hz")
_OTHER_KIND = N_("%(kind)s among %(main)s channels")
_DUPLICATE = N_("duplicate of %(name)s")
LEFT_OUT_REASONS: tuple[str, ...] = (
    _RANGE_NOT_FINITE, _RANGE_INVALID, _RANGE_BEYOND, _OTHER_RATE, _OTHER_KIND, _DUPLICATE
)  # fmt: skip
#: The kinds of EEG channel that :data:`_OTHER_KIND` names.
_KINDS = (N_("referential"), N_("bipolar"))


def left_out_words(
    skipped: list[str], gettext: Callable[[str], str] = english, locale: str = DEFAULT_LOCALE
) -> list[str]:
    """The EEG signals among ``skipped`` (:func:`eeg_left_out`), each with why in the
    language of ``gettext`` (its numbers with ``locale``'s decimal sign): ``"Pz (sampled at
    384 Hz)"``, ``"Pz (muestreada a 384 Hz)"``. A reason of no known kind stays as it is."""
    said = []
    for signal in eeg_left_out(skipped):
        label, bracket, why = signal.rpartition(" (")
        known = bracket and why.endswith(")")
        reason = say_message(why[:-1], LEFT_OUT_REASONS, gettext, locale) if known else ""
        said.append(f"{label} ({reason})" if reason else signal)
    return said


def eeg_left_out(skipped: list[str]) -> list[str]:
    """The EEG signals among ``skipped`` (``Recording.skipped``, or ``skipped_signals``
    of a result), each with why it was left out: a rate that is not a whole multiple, a
    duplicate, a broken range. The other signals (ECG, respiration) are expected there."""
    return [s for s in skipped if not s.endswith(NOT_EEG)]
