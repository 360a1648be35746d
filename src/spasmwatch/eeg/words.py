"""What an EEG's events, the continuity of its background and its length are called where
people read them: the report, the clinician view, the trace viewer and the terminal.

The event types are the analysis' ``eventType`` codes (SzCORE / BIDS: ``sz``,
``decrement``, ``spasm``). The detectors propose events for a clinical neurophysiologist to
confirm or reject (they are screening aids), so each is said as "possible". The
continuity is the stored ``background.continuity`` (ACNS 2021 categories:
:func:`~spasmwatch.eeg.background.background_continuity`), said with the caveat of the
baby's age at the recording: a discontinuous background is normal in a newborn's EEG and
abnormal past the newborn period. The words are English message ids: each place shows
them in its reader's language (``gettext``).

Reading a stored result with these words loads no signal processing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from babel.numbers import format_percent

from spasmwatch.case import DAYS_PER_MONTH
from spasmwatch.i18n import DEFAULT_LOCALE, N_, english, english_n

__all__ = [
    "CLOCK_FROM_START_S",
    "CONTINUITY_WORDS",
    "DISCONTINUOUS",
    "EEG_EVENT_WORDS",
    "NEWBORN_EEG_PMA_WEEKS",
    "NEWBORN_PERIOD_DAYS",
    "age_days_on",
    "continuity_caveat",
    "continuity_said",
    "continuity_words",
    "eeg_event_words",
    "length_in_words",
    "length_parts",
    "newborn_when_recorded",
    "quiet_stretches",
    "time_from_start",
]

Gettext = Callable[[str], str]
NGettext = Callable[[str, str, int], str]

#: An EEG event type (the analysis' ``eventType``) in words, English (the message id).
EEG_EVENT_WORDS: dict[str, str] = {
    "sz": N_("possible seizure"),
    "decrement": N_("possible decrement"),
    "spasm": N_("possible spasm"),
}


def eeg_event_words(kind: str, gettext: Gettext = english) -> str:
    """The event type ``kind`` in words, translated by ``gettext`` (English by default);
    an unknown type as it is."""
    words = EEG_EVENT_WORDS.get(kind)
    return gettext(words) if words is not None else kind


#: The continuity of the background (``background.continuity``) in the ACNS terminology's
#: words (Hirsch et al., J Clin Neurophysiol 2021;38:1). ``burst_suppression`` is the
#: terminology's "burst-suppression/burst-attenuation": said as "burst-suppression" where
#: most of its quiet seconds are suppressed (under 10 µV), else "burst-attenuation"
#: (:func:`continuity_words`).
CONTINUITY_WORDS: dict[str, str] = {
    "continuous": N_("continuous"),
    "nearly_continuous": N_("nearly continuous"),
    "discontinuous": N_("discontinuous"),
    "burst_suppression": N_("burst-suppression"),
    "burst_attenuation": N_("burst-attenuation"),
    "suppressed": N_("suppressed"),
}
#: The categories of a background that is discontinuous or worse: a discontinuous
#: background, a burst-suppression (or burst-attenuation), a suppressed one.
DISCONTINUOUS = frozenset({"discontinuous", "burst_suppression", "suppressed"})

#: The newborn period, for what a discontinuous background means: the first 28 days of
#: life (the neonatal period of the WHO's definitions) and, for a baby born before term,
#: up to ``NEWBORN_EEG_PMA_WEEKS`` (44) weeks of postmenstrual age, the age of a term
#: baby at 28 days. A discontinuous background is normal before then: tracé discontinu
#: in a preterm newborn, tracé alternant in a term newborn's quiet sleep (ACNS neonatal
#: terminology, Tsuchida et al., J Clin Neurophysiol 2013;30:161), which gives way to a
#: continuous slow-wave sleep in the first weeks after term; it is abnormal past the
#: newborn period [design: the boundary].
NEWBORN_PERIOD_DAYS = 28
NEWBORN_EEG_PMA_WEEKS = 44.0
#: The gestation taken where it is not given: term.
TERM_WEEKS = 40.0

#: What a discontinuous background means at the baby's age at the recording (None: not
#: known; True: a newborn; False: past the newborn period), for the clinician
#: (:func:`continuity_caveat`).
CONTINUITY_CAVEATS: dict[bool | None, str] = {
    None: N_(
        "a discontinuous background is normal in preterm newborns and in a term newborn's "
        "quiet sleep (tracé discontinu, tracé alternant) and abnormal beyond the newborn "
        "period: the baby's age at the recording decides"
    ),
    True: N_(
        "the baby was a newborn at the recording, when a discontinuous background can be "
        "normal (tracé discontinu before term, tracé alternant in a term newborn's quiet "
        "sleep), depending on the postmenstrual age and the state of sleep"
    ),
    False: N_(
        "the baby was past the newborn period at the recording: a discontinuous background "
        "is abnormal at this age"
    ),
}


def recorded_day(start: datetime | None, uploaded_at: datetime | None) -> date | None:
    """The day an EEG was recorded: its file's ``start`` where the header gives a real one
    (:func:`~spasmwatch.eeg.reader.known_start`) no later than the day it was uploaded (a
    file dated after it was sent is not dated right), else the upload's day; None where
    neither is known."""
    upload_day = uploaded_at.date() if uploaded_at is not None else None
    if start is not None and (upload_day is None or start.date() <= upload_day):
        return start.date()
    return upload_day


def age_days_on(
    day: date,
    birth_date: date | None = None,
    age_months: float | None = None,
    age_on: date | None = None,
) -> float | None:
    """A child's age in days on ``day`` (the day of a recording): from ``birth_date``, else
    from ``age_months``, the age on ``age_on`` (``day`` where not given); None where
    neither is known."""
    if birth_date is not None:
        return float((day - birth_date).days)
    if age_months is None:
        return None
    return float(age_months) * DAYS_PER_MONTH - ((age_on or day) - day).days


def newborn_when_recorded(age_days: float | None, born_weeks: float | None = None) -> bool | None:
    """Whether a baby ``age_days`` old at the recording, born at ``born_weeks`` of
    gestation (term where not given), was in the newborn period
    (:data:`NEWBORN_PERIOD_DAYS`): under 28 days old, or under 44 weeks of postmenstrual
    age; None where the age is not known, or is negative (a file dated before the birth:
    its date is not the recording's)."""
    if age_days is None or age_days < 0:
        return None
    if age_days < NEWBORN_PERIOD_DAYS:
        return True
    gestation = TERM_WEEKS if born_weeks is None else float(born_weeks)
    return gestation + float(age_days) / 7 < NEWBORN_EEG_PMA_WEEKS


def continuity_words(background: Mapping[str, Any], gettext: Gettext = english) -> str:
    """The continuity of a stored ``background`` in words in ``gettext``'s language
    (:data:`CONTINUITY_WORDS`): "discontinuous", "burst-suppression"; "" where it was not
    judged (too little usable EEG) or is not known (a result stored before it)."""
    code = background.get("continuity")
    if code == "burst_suppression":
        quiet = float(background.get("discontinuity_share") or 0.0)
        suppressed = float(background.get("suppressed_share") or 0.0)
        code = "burst_suppression" if 2 * suppressed >= quiet else "burst_attenuation"
    words = CONTINUITY_WORDS.get(str(code)) if code else None
    return gettext(words) if words else ""


def continuity_said(
    background: Mapping[str, Any], gettext: Gettext = english, locale: str = DEFAULT_LOCALE
) -> str:
    """The continuity with the share it rests on, in ``gettext``'s language with
    ``locale``'s percent: "burst-suppression (58 % of its seconds attenuated or
    suppressed)"; "" where not judged or not known."""
    words = continuity_words(background, gettext)
    if not words:
        return ""
    share = format_percent(float(background.get("discontinuity_share") or 0.0), locale=locale)
    return gettext("%(continuity)s (%(share)s of its seconds attenuated or suppressed)") % {
        "continuity": words,
        "share": share,
    }


def continuity_caveat(
    background: Mapping[str, Any], newborn: bool | None = None, gettext: Gettext = english
) -> str:
    """What a discontinuous background or a burst-suppression means at the baby's age at
    the recording (``newborn``: :func:`newborn_when_recorded`; None: not known), in
    ``gettext``'s language (:data:`CONTINUITY_CAVEATS`); "" for any other continuity (a
    continuous or nearly continuous background; a suppressed one, which no age makes
    normal)."""
    if background.get("continuity") not in ("discontinuous", "burst_suppression"):
        return ""
    return gettext(CONTINUITY_CAVEATS[newborn])


def quiet_stretches(background: Mapping[str, Any], newborn: bool | None) -> bool:
    """Whether the family is told that the doctor should look at the EEG's quiet
    stretches: the background is discontinuous or worse (:data:`DISCONTINUOUS`) and the
    baby was past the newborn period at the recording (not where the age is not known)."""
    return newborn is False and background.get("continuity") in DISCONTINUOUS


def length_parts(seconds: float) -> tuple[int, int, int]:
    """A recording's length as the outputs say it, as (hours, minutes, seconds): seconds
    alone under 2 minutes ((0, 0, 95)); under 5 minutes, whole minutes and the seconds
    left ((0, 3, 31)), exact, since rounded a short recording (or its usable part) would
    read as long as a longer one, or longer than it is; from 5 minutes, whole minutes
    rounded half up ((0, 12, 0)), and from 2 hours hours and minutes ((2, 5, 0))."""
    total = max(0, round(seconds))
    if total < 120:
        return 0, 0, total
    if total < 300:
        return 0, total // 60, total % 60
    minutes = int(total / 60 + 0.5)
    if minutes < 120:
        return 0, minutes, 0
    return minutes // 60, minutes % 60, 0


def length_in_words(
    seconds: float, gettext: Gettext = english, ngettext: NGettext = english_n
) -> str:
    """A length in the family's words, in ``gettext``'s language: "45 seconds", "200
    seconds", "2 minutes", "11 minutes", "3 hours", "2 hours and 5 minutes". Under 5
    minutes, whole minutes only when exact, else in seconds: rounded, a short recording's
    usable part would read as long as the recording, or longer than it is
    (:func:`length_parts`, as the report says "3 min 31 s"). The family's EEG statement
    and the trace viewer say lengths so."""
    hours, minutes, rest = length_parts(seconds)
    if not hours and (rest or not minutes):
        total = 60 * minutes + rest
        return ngettext("%(n)s second", "%(n)s seconds", total) % {"n": total}
    said = ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    if not hours:
        return said
    in_hours = ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": hours}
    if not minutes:
        return in_hours
    return gettext("%(hours)s and %(minutes)s") % {"hours": in_hours, "minutes": said}


#: From this length on (s), a recording's times are said as h:mm:ss from its start
#: (:func:`time_from_start`) as well as, or rather than, in seconds: "7,200 s" into a
#: recording is read more easily as "2:00:00" [design: about 10 minutes, where seconds
#: run to four digits].
CLOCK_FROM_START_S = 600.0


def time_from_start(seconds: float) -> str:
    """A time from the start of a recording as h:mm:ss ("2:00:00", "0:05:07"), whole
    seconds (rounded down, so that a page said to start at it holds the moment)."""
    total = max(0, int(seconds))
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
