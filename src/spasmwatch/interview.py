"""The caregiver's questions, one at a time, for people who have no case file.

The questions are data built from the case format's vocabularies; :func:`interview` asks
them through a function given by the caller (the command line uses Rich prompts; tests
pass scripted answers), so this module does no input or output itself.

Warning signs are asked first, before anything else (the baby's age included), and again
first in each further episode: when one is reported (a seizure of 5 minutes or more, the
warning sign ``seizure_5_minutes``, is one of the list), the interview stops at once so
that the emergency answer is shown without delay; no movement needs to be named, and the
age may be missing (a warning sign is an emergency at any age: the case is parsed with
``parse_case(..., age_optional=True)``).

Without a warning sign, the baby's age and the movements are needed: a required question
left empty twice, or answers that end early (the end of the input), stop the interview
with :class:`InterviewStopped`, which says plainly what was missing; nothing is kept.

Numbers may be given as people say them: "5 months", "3 weeks", "1-2", "uno o dos", "about
8", "eight", "a dozen", "media docena", "every 10 seconds", "101 F"; "not sure" skips an
optional question; "no", "none" or "nothing" ("nada", "ninguno") answers a list that
offers none (every optional list: the warning signs, the known conditions, what happened
afterwards, what set the movements off); "n", "y" and "sí" answer a choice of yes and no.
Times may be given as people say them too: "now", "7:30", "yesterday 7:30", "ayer a las
7:30", "2 hours ago", "hace 20 minutos" (:func:`~spasmwatch.freetext.times.spoken_time`,
re-exported here as :func:`spoken_time`); the date of birth takes the baby's age instead
("5 months", "5 meses", "3 weeks"), said back as taken. A reply refused twice is answered
with an example to copy.

The answers are read in English and Spanish whatever the language of the questions; what
the interview says about an answer it cannot read is a catalog message (``%(name)s``
placeholders), said through the ``gettext`` it is given (the command line's ``--lang``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from spasmwatch.case import DAYS_PER_MONTH, LONG_EPISODE_MINUTES, RANGES, VOCABULARIES
from spasmwatch.errors import SpasmwatchError
from spasmwatch.freetext.times import CLOCK_SLACK, SPOKEN_NUMBERS, spoken_number, spoken_time
from spasmwatch.i18n import DEFAULT_LOCALE, N_, english, format_number, said_value

__all__ = [
    "AgeInstead",
    "Answer",
    "InterviewStopped",
    "Question",
    "interview",
    "parse_answer",
    "parse_number",
    "spoken_time",
]

#: The warning sign that "it lasted 5 minutes or more" gives.
LONG_RED_FLAG = "seizure_5_minutes"
#: Replies that mean "I don't know": an optional question is skipped.
NOT_SURE = frozenset(
    {
        "not sure",
        "unsure",
        "don't know",
        "dont know",
        "do not know",
        "no idea",
        "?",
        "skip",
        "unknown",
        "idk",
        "not known",
        "can't say",
        "cant say",
        # Spanish (the interview asks in Spanish with --lang es)
        "no sé",
        "no se",
        "no lo sé",
        "no lo se",
        "ni idea",
        "saltar",
        "desconocido",
    }
)
#: Replies that answer a list offering none ("Enter for none": the warning signs, the known
#: conditions, what set the movements off) with none of its choices, in English and Spanish.
NONE_OF_THESE = frozenset({"n", "no", "none", "nothing", "ninguno", "ninguna", "nada"})
#: Replies that say yes or no, in English and Spanish: the answer of a yes/no question,
#: and of a choice that offers "yes" and "no" (did the baby respond, did it stop when
#: woken), as its words "yes" and "no" and its numbers do.
YES_WORDS = frozenset({"y", "yes", "s", "si", "sí"})
NO_WORDS = frozenset({"n", "no"})

# What the interview says about an answer it cannot read (said in its language).
#: A reply that is not one of a list's choices (``answer``: the reply as typed, quoted).
NOT_A_CHOICE = N_("%(answer)s is not one of the choices: give their numbers, 1 to %(n)s")
PICK_ONE = N_("please pick one answer")
ANSWER_YES_OR_NO = N_("please answer y or n")
NUMBER_AT_LEAST = N_("please give a number of at least %(low)s and at most %(high)s")
NUMBER_MORE_THAN = N_("please give a number more than %(low)s and at most %(high)s")
WHOLE_NUMBER = N_("please give a whole number")
#: A reply that is no number (``got``: the reply as typed, quoted).
NOT_A_NUMBER = N_("please give a number, like 6 or 'about 6'; got %(got)s")
#: A number with a unit the question does not take (``unit``: as typed, quoted).
UNKNOWN_UNIT = N_("please give a number, like 6 or 'about 6'; %(unit)s is not understood")
DATE_AS = N_("please give a date as YYYY-MM-DD, or the baby's age such as '5 months'")
DATE_IN_FUTURE = N_("the date is in the future")
TIME_AS = N_(
    "please give the time as 'now', 'today 7:30', 'yesterday 7:30', '2 hours ago' or "
    "YYYY-MM-DD HH:MM"
)
TIME_IN_FUTURE = N_("the time is in the future")
#: Said after a reply refused twice (:data:`EXAMPLE_AFTER_REFUSALS`), with today's dates
#: in them (``iso``), ready to copy.
TIME_EXAMPLE = N_("For example, for yesterday at half past seven: 'yesterday 7:30' or '%(iso)s'.")
DATE_EXAMPLE = N_("For example '%(iso)s' for the date of birth, or '5 months' for the age.")
#: Said back when the date of birth is answered with the baby's age (``months``).
AGE_TAKEN = N_("Taken as the baby's age in months: %(months)s.")
#: After how many refused replies a question's example is said with the refusal.
EXAMPLE_AFTER_REFUSALS = 2

#: Words before a number that leave it as it is; each a whole word ("ca" is not the start
#: of "casi" or "cada"), or ending in "." or "~" ("approx.8", "~8").
_QUALIFIERS = re.compile(
    r"^(about|around|approximately|approx\.?|roughly|maybe|perhaps|nearly|almost|circa|"
    r"ca\.?|c\.|~|some|at least|more than|over|under|less than|just over|just under|"
    r"unos|unas|aproximadamente|alrededor de|casi|al menos|más de|mas de|menos de)"
    r"(?:(?<=[.~])|\b)\s*"
)
_NUMBER = (
    r"(\d+(?:[.,]\d+)?|"
    + "|".join(sorted((re.escape(w) for w in SPOKEN_NUMBERS), key=len, reverse=True))
    + ")"
)
#: A range: "1-2", "1 to 2", "one or two", Spanish "uno o dos".
_RANGE = re.compile(rf"^{_NUMBER}\s*(?:-|\u2013|to|or|o)\s*{_NUMBER}\s*(.*)$")
_SINGLE = re.compile(rf"^{_NUMBER}\s*(.*)$")
#: An interval as said: "every 10 seconds", "one every 10 s", "cada diez segundos".
_EVERY = re.compile(r"^(?:(?:one|uno|una)\s+)?(?:every|each|cada)\s+")
#: ... or "10 seconds apart", "10 segundos de separación".
_APART = re.compile(r"\s+(?:apart|de separaci[oó]n)$")
#: The fields whose answer may be said as an interval.
_INTERVAL_FIELDS = frozenset({"interval_seconds"})
#: Unit words, by the unit each question is in: factor to that unit.
_UNITS: dict[str, dict[tuple[str, ...], float]] = {
    "months": {
        ("months", "month", "mo", "mos", "m", "", "meses", "mes"): 1.0,
        ("weeks", "week", "wk", "wks", "w", "semanas", "semana", "sem"): 7 / DAYS_PER_MONTH,
        ("days", "day", "d", "días", "dias", "día", "dia"): 1 / DAYS_PER_MONTH,
        ("years", "year", "yr", "yrs", "y", "años", "año", "anos", "ano"): 12.0,
    },
    "seconds": {
        ("seconds", "second", "secs", "sec", "s", "", "segundos", "segundo", "seg"): 1.0,
        ("minutes", "minute", "mins", "min", "minutos", "minuto"): 60.0,
    },
    "minutes": {
        ("minutes", "minute", "mins", "min", "m", "", "minutos", "minuto"): 1.0,
        ("seconds", "second", "secs", "sec", "s", "segundos", "segundo", "seg"): 1 / 60,
        ("hours", "hour", "hrs", "hr", "h", "horas", "hora"): 60.0,
    },
    "count": {
        (
            "times",
            "time",
            "in a row",
            "movements",
            "jerks",
            "x",
            "",
            "veces",
            "vez",
            "seguidos",
            "movimientos",
            "sacudidas",
            # "una docena de veces"
            "de veces",
            "de movimientos",
            "de sacudidas",
        ): 1.0
    },
    "celsius": {("c", "°c", "° c", "degrees", "degrees c", "deg", "", "grados", "grados c"): 1.0},
    "weeks": {("weeks", "week", "wk", "wks", "w", "", "semanas", "semana", "sem"): 1.0},
}
_FIELD_UNITS = {
    "age_months": "months",
    "born_weeks": "weeks",
    "movement_seconds": "seconds",
    "interval_seconds": "seconds",
    "episode_minutes": "minutes",
    "count": "count",
    "fever_c": "celsius",
}


@dataclass(frozen=True)
class Question:
    """One question.

    Attributes
    ----------
    key
        The case field the answer fills (``child.age_months``, ``state``, ...).
    text
        The question, in plain words.
    kind
        ``number``, ``integer``, ``choice``, ``multi``, ``datetime``, ``date``, ``text``
        or ``yesno``.
    optional
        An empty answer is allowed (the field is left out).
    default
        The answer used for an empty reply to a choice, or to a yes/no question
        (``yes``; otherwise an empty reply is "no").
    needed
        For a required question: what an empty reply is told (why the answer matters,
        and that a guess will do).
    hint
        The keys or the form the reply takes, shown after ``text`` ("(y/n)"): a message of
        its own, so that each language names its own keys ("(s = sí, n = no)").
    offers_none
        A list (``multi``) whose empty reply means "none of these" (the warning signs):
        the words of :data:`NONE_OF_THESE` ("no", "none", "nothing", "nada", ...) answer it
        so too. Every optional list offers none (what happened afterwards included); the
        movements, which are needed, do not.
    example
        Said with a reply refused :data:`EXAMPLE_AFTER_REFUSALS` times or more: an answer
        to copy (a message whose ``%(iso)s`` is a date near today).
    """

    key: str
    text: str
    kind: str
    optional: bool = True
    default: str | None = None
    needed: str = "an answer is needed"
    hint: str = ""
    offers_none: bool = False
    example: str = ""

    @property
    def field(self) -> str:
        """The field name without its ``child.`` prefix."""
        return self.key.split(".")[-1]

    @property
    def choices(self) -> dict[str, str]:
        """The allowed words and their plain meaning (choice and multi questions)."""
        return VOCABULARIES.get(self.field, {})


@dataclass(frozen=True)
class AgeInstead:
    """The date of birth answered with the baby's age ("5 months", "3 weeks"): the age in
    months, as the case format's ``child.age_months`` takes it."""

    months: float


Answer = Any
Ask = Callable[[Question, str | None], str]
"""``ask(question, error)`` shows the question (and the previous error, if any) and returns
the raw reply."""


def parse_answer(
    q: Question,
    raw: str,
    today: date | None = None,
    gettext: Callable[[str], str] = english,
    locale: str | None = None,
    now: datetime | None = None,
) -> Answer:
    """Turn a raw reply into a value for the case, or raise ``ValueError`` with a message
    in ``gettext``'s language (its numbers in ``locale``'s format).

    Choices can be given by number (1, 2, ...) or by word; several choices are separated by
    commas or spaces. A list that offers none takes "no" for none (:data:`NONE_OF_THESE`);
    a choice that offers "yes" and "no" takes "y", "n", "sí" for them too (:data:`YES_WORDS`,
    :data:`NO_WORDS`), as a yes/no question does. A time is ISO or as people say it
    (:func:`spoken_time`, from ``now``: the clock's by default); the date of birth takes
    the baby's age instead, with its unit ("5 months", "3 semanas"): an :class:`AgeInstead`.
    """
    raw = raw.strip()
    if q.kind == "multi" and q.offers_none and raw.lower() in NONE_OF_THESE:
        return []
    if q.kind == "choice" and {"yes", "no"} <= set(q.choices):
        if raw.lower() in YES_WORDS:
            return "yes"
        if raw.lower() in NO_WORDS:
            return "no"
    if raw.lower() in NOT_SURE:
        if q.kind == "choice" and "unknown" in q.choices:
            return "unknown"
        if q.kind == "choice" and "not_tried" in q.choices:
            return "not_tried"
        raw = ""
    if not raw:
        if q.kind == "choice" and q.default is not None:
            return q.default
        if q.kind == "multi" and q.optional:
            return []
        if q.kind == "yesno" and q.optional:
            return q.default == "yes"
        if q.optional:
            return None
        raise ValueError(gettext(q.needed))
    if q.kind in ("number", "integer"):
        value: float = parse_number(raw, q.field, whole=q.kind == "integer", gettext=gettext)
        low, high, low_incl = RANGES[q.field]
        if value < low or value > high or (not low_incl and value == low):
            bound = NUMBER_AT_LEAST if low_incl else NUMBER_MORE_THAN
            raise ValueError(
                gettext(bound)
                % {
                    "low": said_value(f"{low:g}", gettext, locale),
                    "high": said_value(f"{high:g}", gettext, locale),
                }
            )
        if q.kind == "integer":
            if value != int(value):
                raise ValueError(gettext(WHOLE_NUMBER))
            return int(value)
        return round(value, 2)
    if q.kind in ("choice", "multi"):
        words = list(q.choices)
        picked: list[str] = []
        for token in raw.replace(",", " ").split():
            if token.isdigit() and 1 <= int(token) <= len(words):
                picked.append(words[int(token) - 1])
            elif token in words:
                picked.append(token)
            else:
                raise ValueError(gettext(NOT_A_CHOICE) % {"answer": repr(token), "n": len(words)})
        if q.kind == "choice":
            if len(picked) != 1:
                raise ValueError(gettext(PICK_ONE))
            return picked[0]
        return list(dict.fromkeys(picked))
    if q.kind == "yesno":
        if raw.lower() in YES_WORDS:
            return True
        if raw.lower() in NO_WORDS:
            return False
        raise ValueError(gettext(ANSWER_YES_OR_NO))
    if q.kind == "date":
        try:
            value_d = date.fromisoformat(raw)
        except ValueError:
            if q.field == "birth_date" and _has_unit(raw):
                return _age_instead(raw, gettext, locale)
            raise ValueError(gettext(DATE_AS)) from None
        if value_d > (today or date.today()):
            raise ValueError(gettext(DATE_IN_FUTURE))
        return value_d.isoformat()
    if q.kind == "datetime":
        clock = (now or datetime.now()).replace(tzinfo=None)
        try:
            when = datetime.fromisoformat(raw.replace(" ", "T"))
        except ValueError:
            spoken = spoken_time(raw, clock)
            if spoken is None:
                raise ValueError(gettext(TIME_AS)) from None
            when = spoken
        if when.tzinfo is None and when > clock + CLOCK_SLACK:
            raise ValueError(gettext(TIME_IN_FUTURE))
        return when.isoformat()
    return raw


def _has_unit(raw: str) -> bool:
    """Whether a reply has a word in it ("5 months", "3 semanas"), not a number alone."""
    return re.search(r"[^\W\d_]", raw) is not None


def _age_instead(raw: str, gettext: Callable[[str], str], locale: str | None) -> AgeInstead:
    """The date of birth answered with the baby's age: read as the age question reads it
    (its units, its range), or refused as no date."""
    age = next(q for q in CHILD_QUESTIONS if q.field == "age_months")
    try:
        parse_number(raw, age.field)
    except ValueError:
        raise ValueError(gettext(DATE_AS)) from None
    return AgeInstead(parse_answer(age, raw, gettext=gettext, locale=locale))


def parse_number(
    raw: str, field: str, whole: bool = False, gettext: Callable[[str], str] = english
) -> float:
    """A number as people say it, in the field's unit.

    "5 months", "3 weeks" (an age in months), "1-2", "one or two", "uno o dos" (a range:
    its middle, or its top for a whole number such as a count, the cautious side), "about
    8", "eight", "a dozen", "half a dozen", "una docena", "media docena", "1 min" (in
    seconds), "101 F" (in Celsius); for an interval, "every 10 seconds", "cada diez
    segundos", "10 seconds apart". Raises ``ValueError`` with a message in ``gettext``'s
    language otherwise.
    """
    text = raw.strip().lower().replace("\u00a0", " ")
    interval = field in _INTERVAL_FIELDS
    if interval:
        text = _APART.sub("", text)
    while True:
        if (m := _QUALIFIERS.match(text)) and m.group(0):
            text = text[m.end() :]
        elif interval and (m := _EVERY.match(text)):
            text = text[m.end() :]
            if not re.match(_NUMBER, text):
                text = "1 " + text  # "every second", "cada minuto"
        else:
            break
    if m := _RANGE.match(text):
        low, high, unit = spoken_number(m.group(1)), spoken_number(m.group(2)), m.group(3)
        value = max(low, high) if whole else (low + high) / 2
    elif m := _SINGLE.match(text):
        value, unit = spoken_number(m.group(1)), m.group(2)
    else:
        raise ValueError(gettext(NOT_A_NUMBER) % {"got": repr(raw)})
    unit = unit.strip().rstrip(".")
    kind = _FIELD_UNITS.get(field, "")
    if kind == "celsius" and unit in ("f", "°f", "degrees f", "fahrenheit"):
        return (value - 32) * 5 / 9
    for words, factor in _UNITS.get(kind, {("",): 1.0}).items():
        if unit in words:
            return value * factor
    raise ValueError(gettext(UNKNOWN_UNIT) % {"unit": repr(unit)})


CHILD_QUESTIONS = (
    Question(
        "child.birth_date",
        "Baby's date of birth (YYYY-MM-DD), or press Enter to give the age instead",
        "date",
        example=DATE_EXAMPLE,
    ),
    Question(
        "child.age_months",
        "Baby's age in months (e.g. 6.5)",
        "number",
        optional=False,
        needed="an answer is needed: the advice depends on the baby's age; "
        "a guess in months will do (e.g. 6)",
    ),
    Question("child.born_weeks", "Born at how many weeks of pregnancy? (Enter to skip)", "number"),
    Question(
        "child.conditions",
        "Known conditions (numbers separated by commas; Enter for none)",
        "multi",
        offers_none=True,
    ),
    Question("child.development", "How is the baby's development?", "choice", default="unknown"),
)

EPISODE_QUESTIONS = (
    Question(
        "red_flags",
        "Any of these warning signs now or with the episode? (numbers; Enter for none)",
        "multi",
        offers_none=True,
    ),
    Question(
        "long", "Did a seizure go on for 5 minutes or more?", "yesno", hint="(y/n; Enter if not)"
    ),
    Question(
        "movements",
        "What movements did you see? (one or more numbers)",
        "multi",
        optional=False,
        needed="an answer is needed: the advice depends on what the movements looked like; "
        "pick the one or two closest to what you saw",
    ),
    Question(
        "started_at",
        "When did it start?",
        "datetime",
        hint="('now', 'yesterday 7:30', '2 hours ago', YYYY-MM-DD HH:MM, or Enter)",
        example=TIME_EXAMPLE,
    ),
    Question("state", "What was the baby doing?", "choice", default="unknown"),
    Question("side", "Which side of the body?", "choice", default="unknown"),
    Question("movement_seconds", "How many seconds did ONE movement last? (Enter)", "number"),
    Question("count", "How many movements in a row? (1 for a single one)", "integer"),
    Question("interval_seconds", "Seconds between movements? (Enter if unsure)", "number"),
    Question("episode_minutes", "How many minutes did the whole episode last?", "number"),
    Question("fever_c", "Temperature in °C at the time? (Enter if not measured)", "number"),
    Question("responsive", "Did the baby respond to you during it?", "choice", default="unknown"),
    Question(
        "stops_when_woken", "Did it stop when you woke the baby?", "choice", default="not_tried"
    ),
    Question(
        "stops_when_held", "Did it stop when you held the limb?", "choice", default="not_tried"
    ),
    Question(
        "stops_with_distraction",
        "Did it stop when you distracted the baby?",
        "choice",
        default="not_tried",
    ),
    Question("after", "Afterwards the baby... (numbers; Enter to skip)", "multi", offers_none=True),
    Question(
        "triggers",
        "Did something seem to bring it on? (numbers; Enter for none)",
        "multi",
        offers_none=True,
    ),
    Question(
        "typical_for_child",
        "Was it like the baby's usual, diagnosed episodes?",
        "choice",
        default="unknown",
    ),
    Question("notes", "Anything else? (Enter to skip)", "text"),
)

_KNOWN_SEIZURES = {"epilepsy", "previous_seizures", "infantile_spasms"}


def _relevant(q: Question, child: dict[str, Any], episode: dict[str, Any]) -> bool:
    """Skip questions that cannot matter given the answers so far."""
    if q.key == "child.age_months":
        return "birth_date" not in child and "age_months" not in child
    if q.key == "episode_minutes":
        return "episode_minutes" not in episode
    if q.key == "interval_seconds":
        return (episode.get("count") or 1) > 1
    if q.key == "stops_when_woken":
        return episode.get("state") in ("asleep", "drowsy")
    if q.key == "typical_for_child":
        return bool(_KNOWN_SEIZURES & set(child.get("conditions", [])))
    return True


#: What the interview says when it stops without the answers advice needs (the command
#: line says it in its language); each ends with "nothing was saved".
STOPPED_BEFORE_AGE = N_(
    "The answers stopped before the baby's age and the movements were given; nothing was saved."
)
STOPPED_BEFORE_MOVEMENTS = N_(
    "The answers stopped before the movements were given; nothing was saved."
)
STOPPED_BEFORE_THE_END = N_(
    "The answers stopped before the last questions were answered; nothing was saved."
)
NO_AGE = N_(
    "Without the baby's age there is no advice to give, as it depends on the age; nothing "
    "was saved. Run it again when you can give the age (a guess in months will do)."
)
NO_MOVEMENTS = N_(
    "Without the movements there is no advice to give, as it depends on what they looked "
    "like; nothing was saved. Run it again and pick the one or two closest to what you saw."
)
#: Said after a required question's first empty reply (the second one stops).
EMPTY_AGAIN_STOPS = N_("Press Enter again to stop here (nothing is saved).")
#: How many empty replies to a required question stop the interview.
EMPTY_REPLIES_TO_STOP = 2


class InterviewStopped(SpasmwatchError):
    """The interview stopped before the answers that advice needs were given, and nothing
    of it is to be kept.

    Parameters
    ----------
    message
        What happened, in plain English (one of this module's ``STOPPED_*`` and ``NO_*``
        messages: the command line says it in its language by this text).
    ended
        True when the answers ended (the end of the input), False when a required
        question was left empty twice.
    """

    def __init__(self, message: str, ended: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.ended = ended


def _empty(raw: str) -> bool:
    """A reply that gives no answer (Enter, or "not sure")."""
    return not raw.strip() or raw.strip().lower() in NOT_SURE


@dataclass(frozen=True)
class _Reader:
    """How the interview reads replies and speaks, in its language.

    Attributes
    ----------
    gettext, locale
        The interview's language (its words; its numbers' format).
    now
        The clock the times are read against (:func:`spoken_time`); None for the
        computer's, read at each reply.
    tell
        Says something to the person answering that is not a question (an answer taken
        otherwise than asked: :data:`AGE_TAKEN`).
    """

    gettext: Callable[[str], str]
    locale: str
    now: datetime | None
    tell: Callable[[str], None]

    def read(self, q: Question, raw: str) -> Answer:
        """The reply ``raw`` to ``q`` (:func:`parse_answer`), or ValueError saying why not."""
        return parse_answer(q, raw, gettext=self.gettext, locale=self.locale, now=self.now)

    def example(self, q: Question) -> str:
        """``q``'s example in the interview's language, its date near today."""
        if not q.example:
            return ""
        today = (self.now or datetime.now()).date()
        iso = (
            f"{today - timedelta(days=1)} 07:30"
            if q.kind == "datetime"
            else (today - timedelta(days=150)).isoformat()
        )
        return self.gettext(q.example) % {"iso": iso}

    def age_taken(self, months: float) -> None:
        """Say back that the date of birth was answered with the age, ``months``."""
        said = format_number(months, self.locale)
        self.tell(self.gettext(AGE_TAKEN) % {"months": said})


def _ask_one(q: Question, ask: Ask, reader: _Reader) -> Answer:
    """Ask ``q`` until it is answered (``reader`` reads each reply); a required one left
    empty twice stops the interview (:class:`InterviewStopped`); a reply refused twice or
    more is told ``q``'s example with the reason."""
    error: str | None = None
    empty = refused = 0
    while True:
        raw = ask(q, error)
        try:
            return reader.read(q, raw)
        except ValueError as exc:
            error = str(exc)
            if not q.optional and _empty(raw):
                empty += 1
                if empty >= EMPTY_REPLIES_TO_STOP:
                    raise InterviewStopped(
                        NO_AGE if q.field == "age_months" else NO_MOVEMENTS
                    ) from None
                continue
            refused += 1
            if refused >= EXAMPLE_AFTER_REFUSALS and (example := reader.example(q)):
                error = f"{error}. {example}"


#: The questions of an episode's warning signs, asked before the rest.
WARNING_SIGN_FIELDS = ("red_flags", "long")


def _warning_signs(ask: Ask, reader: _Reader, episode: dict[str, Any]) -> bool:
    """Ask the warning-sign questions of ``episode`` (filling it in); True when one was
    reported, and the interview is to stop with the emergency answer. "Did a seizure go on
    for 5 minutes or more?" is asked only when the list of warning signs lacks it. "No"
    to the list is none of them (as Enter is); any sign picked stops the interview."""
    for q in EPISODE_QUESTIONS:
        if q.field not in WARNING_SIGN_FIELDS:
            continue
        if q.field == "long" and LONG_RED_FLAG in VOCABULARIES["red_flags"]:
            continue  # the list just answered had it
        value = _ask_one(q, ask, reader)
        if q.field == "long":
            if value:
                episode["episode_minutes"] = LONG_EPISODE_MINUTES
                flags = episode.setdefault("red_flags", [])
                if LONG_RED_FLAG not in flags:
                    flags.append(LONG_RED_FLAG)
                return True
            continue
        if value:
            episode[q.field] = value
            return True
    return False


def interview(
    ask: Ask,
    max_episodes: int = 20,
    gettext: Callable[[str], str] = english,
    locale: str = DEFAULT_LOCALE,
    now: datetime | None = None,
    tell: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Ask the questions through ``ask`` and return a case dict in the case format.

    The warning signs come first, before the baby's age; the interview stops early, with
    the case so far, as soon as one is reported (then the child may have no age yet: parse
    the case with ``age_optional=True``). "Describe what you saw?" takes Enter for yes.

    ``ask`` is given the questions as written (English: it says them in its language) and
    what was wrong with the previous reply in ``gettext``'s language, its numbers in
    ``locale``'s format (with an example to copy once a reply was refused twice). Times
    said as people say them ("yesterday 7:30", "hace 2 horas") are read against ``now``
    (the computer's clock by default). ``tell`` is told, in ``gettext``'s language, an
    answer taken otherwise than asked: the age given for the date of birth.

    Raises
    ------
    InterviewStopped
        When ``ask`` raises ``EOFError`` (the answers ended) before the questions were
        done, or the baby's age or the movements were left empty twice: the message says
        what was missing, and that nothing was saved.
    """
    child: dict[str, Any] = {}
    episodes: list[dict[str, Any]] = []
    reader = _Reader(gettext, locale, now, tell or (lambda _said: None))
    try:
        return _interview(ask, reader, max_episodes, child, episodes)
    except EOFError:
        if "age_months" not in child and "birth_date" not in child:
            missing = STOPPED_BEFORE_AGE
        elif not any(e.get("movements") for e in episodes):
            missing = STOPPED_BEFORE_MOVEMENTS
        else:
            missing = STOPPED_BEFORE_THE_END
        raise InterviewStopped(missing, ended=True) from None


def _interview(
    ask: Ask,
    reader: _Reader,
    max_episodes: int,
    child: dict[str, Any],
    episodes: list[dict[str, Any]],
) -> dict[str, Any]:
    """:func:`interview`, filling in ``child`` and ``episodes`` as it goes (so that an
    early end can say what was missing)."""
    episode: dict[str, Any] = {}
    if _warning_signs(ask, reader, episode):
        # A warning sign: stop asking and answer now, whatever the age.
        return {"child": child, "episodes": [episode]}
    for q in CHILD_QUESTIONS:
        if not _relevant(q, child, {}):
            continue
        value = _ask_one(q, ask, reader)
        if isinstance(value, AgeInstead):  # "5 months" for the date of birth
            child["age_months"] = value.months
            reader.age_taken(value.months)
        elif value not in (None, [], "unknown"):
            child[q.field] = value
    more = Question(
        "more", "Did you see the movements on another occasion too?", "yesno", hint="(y/n)"
    )
    first = Question(
        "first",
        "Describe what you saw?",
        "yesno",
        default="yes",
        hint="(Enter or y for yes; n if there is nothing to describe)",
    )
    go_on = bool(_ask_one(first, ask, reader))
    while go_on and len(episodes) < max_episodes:
        if episodes:
            episode = {}
            if _warning_signs(ask, reader, episode):
                episodes.append(episode)
                return {"child": child, "episodes": episodes}
        episodes.append(episode)  # filled in below (an early end reads what it has)
        for q in EPISODE_QUESTIONS:
            if q.field in WARNING_SIGN_FIELDS or not _relevant(q, child, episode):
                continue
            value = _ask_one(q, ask, reader)
            if value not in (None, [], "", q.default):
                episode[q.field] = value
        go_on = bool(_ask_one(more, ask, reader))
    return {"child": child, "episodes": episodes}
