"""Times as people say them, in English or Spanish, read against a clock
(:func:`spoken_time`): "now", "ahora", "7:30", "7 pm", "7 de la tarde", "today 7:30", "hoy a
las 8", "yesterday 7:30", "ayer a las 7:30", "anteayer 22:00", "2 hours ago", "hace 20
minutos", "an hour ago", "hace media hora".

The interview's "When did it start?" takes them (:mod:`spasmwatch.interview`, which refuses
a time later than its clock by more than :data:`CLOCK_SLACK`). Their numbers may be words
("hace dos horas", "two hours ago"): :data:`SPOKEN_NUMBERS`, with which the interview reads
its other answers' numbers too ("uno o dos", "media docena"). A reply is read in lower case
without its accents (:func:`~spasmwatch.freetext.engine.fold_accents`: "Día" is "dia"), so
the words below are written without them, but for the "ñ" the folding keeps ("mañana").
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from spasmwatch.freetext.engine import fold_accents
from spasmwatch.freetext.english import COUNT_WORDS

__all__ = ["CLOCK_SLACK", "SPOKEN_NUMBERS", "spoken_number", "spoken_time"]

#: How far ahead of the clock a time may be and still be taken as now (a phone or a
#: watch a few minutes ahead of the computer).
CLOCK_SLACK = timedelta(minutes=10)
#: Numbers said in words, in English and Spanish.
SPOKEN_NUMBERS = {
    **COUNT_WORDS,
    "a half": 0.5,
    "a": 1,
    "an": 1,
    # Spanish
    "medio": 0.5,
    "uno": 1,
    "una": 1,
    "un": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    # not "once" (11): in English it means one time
    "doce": 12,
    "quince": 15,
    "veinte": 20,
    "treinta": 30,
    "cien": 100,
    "un par": 2,
    "una docena": 12,
    "docena": 12,
    "media docena": 6,
}


def spoken_number(token: str) -> float:
    """A number said in figures ("2", "1.5", "1,5") or in words ("two", "dos", "media
    docena": :data:`SPOKEN_NUMBERS`); ValueError for anything else."""
    if token in SPOKEN_NUMBERS:
        return float(SPOKEN_NUMBERS[token])
    return float(token.replace(",", "."))


#: Replies that mean the time is now.
_NOW_WORDS = frozenset({"now", "right now", "just now", "ahora", "ahora mismo", "justo ahora"})
#: Words for a day before today, by how many days before, and how one says "at" a time.
_DAY_WORDS = {
    "today": 0,
    "hoy": 0,
    "yesterday": 1,
    "ayer": 1,
    "the day before yesterday": 2,
    "day before yesterday": 2,
    "anteayer": 2,
    "antier": 2,
    "antes de ayer": 2,
    "antes de anoche": 2,
}
_DAYS = "|".join(sorted((re.escape(w) for w in _DAY_WORDS), key=len, reverse=True))
#: The part of the day after a Spanish hour ("7 de la tarde"), and the hours it adds to one
#: before 12. "Mañana" is kept as written too: the folding keeps its "ñ".
_DAY_PARTS = {
    "manana": 0,
    "mañana": 0,
    "madrugada": 0,
    "mediodia": 12,
    "tarde": 12,
    "noche": 12,
}
#: The parts of the day whose 12 o'clock is midnight ("las 12 de la noche", "las 12 de la
#: madrugada"); the others' is noon ("las 12 del mediodía", "las 12 de la tarde").
_MIDNIGHT_PARTS = frozenset({"madrugada", "noche"})
_PARTS = "|".join(_DAY_PARTS)
_CLOCK = re.compile(
    rf"^(?:(?P<day>{_DAYS})\s*,?\s*)?(?:(?:at|a las|a la|sobre las|hacia las)\s+)?"
    r"(?P<hour>\d{1,2})(?:\s*[:.h]\s*(?P<minute>\d{2}))?\s*"
    r"(?:(?P<ampm>am|pm|a\.\s?m\.?|p\.\s?m\.?)|"
    rf"(?:de la |por la |en la |del |al )(?P<part>{_PARTS}))?"
    rf"(?:\s*,?\s*(?P<day_after>{_DAYS}))?$"
)
#: "2 hours ago", "hace 20 minutos", "an hour ago", "hace media hora".
_UNITS_AGO = {
    "minute": ("minutes", "minute", "mins", "min", "m", "minutos", "minuto"),
    "hour": ("hours", "hour", "hrs", "hr", "h", "horas", "hora"),
    "day": ("days", "day", "dias", "dia"),
}
_AGO_UNIT = "|".join(
    sorted((re.escape(w) for words in _UNITS_AGO.values() for w in words), key=len, reverse=True)
)
_AGO = re.compile(
    rf"^(?:(?P<hace>hace)\s+)?(?:about |around |unos |unas |como )?(?P<n>.*?)\s*"
    rf"(?P<unit>{_AGO_UNIT})(?P<half> and a half| y media| y medio)?"
    r"(?(hace)|\s+ago)$"
)


def spoken_time(raw: str, now: datetime) -> datetime | None:
    """A time as people say it, in English or Spanish, read against ``now`` (to the minute);
    None for a reply that is none of these.

    - "now", "ahora", "right now", "ahora mismo";
    - a time of day: "7:30", "19:30", "7.30", "7:30 pm", "7 pm", "a las 7", "7 de la tarde",
      "7 de la mañana": today, or yesterday where today's would still be to come; 12 o'clock
      is midnight as "12 am", "12 de la noche", "12 de la madrugada" and noon as "12 pm",
      "12 del mediodía";
    - a day and a time: "today 7:30", "hoy a las 7:30", "yesterday 7:30", "ayer 7:30",
      "anteayer 22:00", "yesterday at 7 pm", "7:30 yesterday";
    - a while ago: "2 hours ago", "hace 2 horas", "20 minutes ago", "hace 20 minutos",
      "an hour ago", "hace una hora", "half an hour ago", "hace media hora", "hace hora y
      media", "3 days ago" (the time of day as now).

    A day and a time after ``now`` is returned as said (the caller refuses a time in the
    future); the numbers may be words ("hace dos horas", "two hours ago").

    ``now`` may name its zone (``tzinfo``): the time is then returned in it, and a while
    ago is counted on the real clock, so that "hace 2 horas" at 03:30 on the night the
    clocks go forward (Europe/Madrid, 29 March 2026) is 00:30, not 01:30. A fixed offset
    that is the computer's own at ``now`` (``datetime.now().astimezone()``) stands for the
    computer's zone, whose offset the answer then has; another fixed offset is kept as it
    is. A naive ``now`` has no zone whose changes could be known: its times are counted on
    the wall clock.
    """
    text = " ".join(fold_accents(raw).strip().rstrip(".").split())
    now = now.replace(second=0, microsecond=0)
    if text in _NOW_WORDS:
        return now
    if (ago := _AGO.match(text)) is not None:
        return _ago(ago, now)
    if (clock := _CLOCK.match(text)) is not None:
        return _at(clock, now)
    return None


def _ago(m: re.Match[str], now: datetime) -> datetime | None:
    """``now`` less the while of an :data:`_AGO` match; None where it is no amount."""
    said = m.group("n").strip()
    if said in ("", "hora", "una", "un", "an", "a"):
        amount = 1.0  # "hace hora y media", "an hour ago"
    elif said in ("media", "medio", "half a", "half an"):
        amount = 0.5
    else:
        try:
            amount = spoken_number(said)
        except ValueError:
            return None
    if m.group("half"):
        amount += 0.5
    unit = next(u for u, words in _UNITS_AGO.items() if m.group("unit") in words)
    if unit == "day" and amount.is_integer():  # "3 days ago": at the time of day as now
        return _wall(now, amount, now.hour, now.minute)
    minutes = amount * {"minute": 1, "hour": 60, "day": 24 * 60}[unit]
    while_ago = timedelta(minutes=round(minutes))
    if now.tzinfo is None:
        return now - while_ago
    # An aware datetime's own arithmetic is the wall clock's: it would not see the hour
    # that a change of the clocks adds or takes away in between.
    instant = now.astimezone(UTC) - while_ago
    return instant.astimezone() if _computers_zone(now) else instant.astimezone(now.tzinfo)


def _computers_zone(now: datetime) -> bool:
    """Whether ``now``'s zone is a fixed offset that is the computer's own at ``now`` (as
    ``datetime.now().astimezone()`` gives it), which stands for the computer's zone: its
    offset at another time may be another (the clocks changed in between)."""
    return isinstance(now.tzinfo, timezone) and now.astimezone().utcoffset() == now.utcoffset()


def _wall(now: datetime, days_back: float, hour: int, minute: int) -> datetime:
    """The clock time ``hour``:``minute`` ``days_back`` days before ``now``'s date, in
    ``now``'s zone, with the offset the zone has at that time (a named zone's own; the
    computer's asked for where ``now`` is in it)."""
    when = (now - timedelta(days=days_back)).replace(hour=hour, minute=minute)
    if when.tzinfo is not None and _computers_zone(now):
        return when.replace(tzinfo=None).astimezone()
    return when


def _at(m: re.Match[str], now: datetime) -> datetime | None:
    """The day and time of a :data:`_CLOCK` match; None for an hour or minute no clock
    has, or an hour alone said without a day, "at" or "am"/"pm" (a number, not a time)."""
    hour, minute = int(m.group("hour")), int(m.group("minute") or 0)
    day = m.group("day") or m.group("day_after")
    part = m.group("part")
    if m.group("ampm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m.group("ampm").startswith("p") else 0)  # "12 am": 00:00
    elif part in _MIDNIGHT_PARTS and hour == 12:
        hour = 0  # "las 12 de la noche", "las 12 de la madrugada": midnight
    elif part and hour < 12:
        hour += _DAY_PARTS[part]
    plain = m.group("minute") is None and not m.group("ampm") and not part
    if plain and day is None and not re.match(r"(at|a las|a la|sobre las|hacia las)\s", m.string):
        return None
    if hour > 23 or minute > 59:
        return None
    if day is not None:
        return _wall(now, _DAY_WORDS[day], hour, minute)
    when = _wall(now, 0, hour, minute)
    if _instant(when) <= _instant(now) + CLOCK_SLACK:
        return when
    return _wall(now, 1, hour, minute)


def _instant(when: datetime) -> datetime:
    """``when`` for comparing: an aware time in UTC (two times of one zone compare by
    their wall clocks otherwise), a naive one as it is."""
    return when if when.tzinfo is None else when.astimezone(UTC)
