"""The case format, version 1 (see ``docs/case-format.md``).

A case is one JSON document describing a child and zero or more observed episodes. It is
what ``spasmwatch triage`` reads, what the web API accepts and what the diary stores.

Field names and vocabularies are a contract. Unknown fields and unknown words are rejected
with :class:`~spasmwatch.errors.InvalidCase`, whose message names the field (as a path such
as ``episodes[0].state``), the bad value and the allowed values. Each kind of message is a
catalog message with placeholders (:data:`PROBLEMS`): :func:`say_problem` says a problem in
another language, its field paths, codes and values as written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from spasmwatch.errors import InvalidCase
from spasmwatch.i18n import N_, english, match_message, said_value

__all__ = [
    "AGE_REQUIRED",
    "CASE_FORMAT_VERSION",
    "DAYS_PER_MONTH",
    "FEVER_C",
    "PROBLEMS",
    "RANGES",
    "VOCABULARIES",
    "Case",
    "Child",
    "Episode",
    "load_case",
    "months_between",
    "parse_case",
    "say_problem",
]

CASE_FORMAT_VERSION = 1

#: Temperature from which a child has a fever (AAP 2011, Pediatrics 127:389).
FEVER_C = 38.0

# Each vocabulary: word -> plain-English meaning, shown to caregivers in forms and prompts.
VOCABULARIES: dict[str, dict[str, str]] = {
    "conditions": {
        "tuberous_sclerosis": "tuberous sclerosis complex",
        "down_syndrome": "Down syndrome",
        "brain_injury": "brain injury (e.g. lack of oxygen at birth, stroke)",
        "brain_malformation": "a brain malformation seen on a scan",
        "genetic_syndrome": "another genetic syndrome",
        "previous_seizures": "has had seizures before",
        "epilepsy": "diagnosed epilepsy",
        "infantile_spasms": "infantile spasms already diagnosed",
        "reflux": "reflux (milk coming back up)",
        "cerebral_palsy": "cerebral palsy",
        "breath_holding_spells": "breath-holding spells (diagnosed by a doctor)",
    },
    "development": {
        "on_track": "on track",
        "slower": "slower (late milestones)",
        "lost_skills": "lost skills (can no longer do something it could)",
        "unknown": "not sure",
    },
    "state": {
        "awake": "awake",
        "drowsy": "drowsy, falling asleep",
        "asleep": "asleep",
        "just_woke": "just woke up",
        "feeding": "feeding",
        "unknown": "not sure",
    },
    "movements": {
        "head_nod": "head drops or bobs forward",
        "trunk_crunch": 'sudden bend at the waist ("tummy crunch")',
        "arms_up": "arms flung out or raised",
        "legs_drawn_up": "legs drawn up",
        "arching": "back arches, head thrown back, limbs straighten",
        "stiffening": "whole body stiff for seconds or more",
        "limb_jerk": "a quick jerk of an arm or leg",
        "rhythmic_jerking": "repeated shaking of limbs or body",
        "facial_twitch": "grimace, mouth or eyebrow twitch",
        "eye_roll_up": "eyes roll up",
        "eye_deviation": "eyes turn to one side",
        "eyelid_flutter": "eyelids flutter",
        "staring": "staring",
        "shivering": "shudder of head and shoulders",
        "neck_twist": "neck twists",
        "tremor": "fine trembling",
        "startle": "startle",
        "hiccups": "hiccups",
    },
    "side": {
        "both": "both sides",
        "left": "left side only",
        "right": "right side only",
        "unknown": "not sure",
    },
    "stops_when_woken": {"yes": "yes", "no": "no", "not_tried": "not tried"},
    "stops_when_held": {"yes": "yes", "no": "no", "not_tried": "not tried"},
    "stops_with_distraction": {"yes": "yes", "no": "no", "not_tried": "not tried"},
    "responsive": {"yes": "yes", "no": "no", "unknown": "not sure"},
    "after": {
        "cried": "cried",
        "sleepy": "sleepy",
        "normal": "back to normal straight away",
        "slow_to_recover": "slow to get back to normal",
    },
    "triggers": {
        "feeding": "feeding",
        "rocking": "rocking",
        "noise_or_touch": "a noise or touch",
        "excitement": "excitement",
        "position_change": "a change of position",
        "crying_or_upset": "crying or being upset",
        "bright_light": "bright light",
    },
    "red_flags": {
        "breathing_difficulty": "difficulty breathing",
        "blue_or_grey": "turned blue or grey",
        "not_back_to_normal": "not back to normal (within about an hour)",
        "vomiting": "vomiting",
        "neck_stiffness": "stiff neck",
        "extreme_sleepiness": "extremely sleepy, hard to wake",
        "injury": "injured during the episode",
        "head_injury": "hit their head",
        "rash": "a rash that does not fade under a pressed glass",
        "seizure_5_minutes": "a seizure that went on for 5 minutes or more",
    },
    "typical_for_child": {
        "yes": "the same as the child's usual, diagnosed episodes",
        "no": "different from usual",
        "unknown": "not sure",
    },
}

Condition = Literal[
    "tuberous_sclerosis",
    "down_syndrome",
    "brain_injury",
    "brain_malformation",
    "genetic_syndrome",
    "previous_seizures",
    "epilepsy",
    "infantile_spasms",
    "reflux",
    "cerebral_palsy",
    "breath_holding_spells",
]
Development = Literal["on_track", "slower", "lost_skills", "unknown"]
State = Literal["awake", "drowsy", "asleep", "just_woke", "feeding", "unknown"]
Movement = Literal[
    "head_nod",
    "trunk_crunch",
    "arms_up",
    "legs_drawn_up",
    "arching",
    "stiffening",
    "limb_jerk",
    "rhythmic_jerking",
    "facial_twitch",
    "eye_roll_up",
    "eye_deviation",
    "eyelid_flutter",
    "staring",
    "shivering",
    "neck_twist",
    "tremor",
    "startle",
    "hiccups",
]
Side = Literal["both", "left", "right", "unknown"]
Tried = Literal["yes", "no", "not_tried"]
YesNoUnknown = Literal["yes", "no", "unknown"]
After = Literal["cried", "sleepy", "normal", "slow_to_recover"]
Trigger = Literal[
    "feeding",
    "rocking",
    "noise_or_touch",
    "excitement",
    "position_change",
    "crying_or_upset",
    "bright_light",
]
RedFlag = Literal[
    "breathing_difficulty",
    "blue_or_grey",
    "not_back_to_normal",
    "vomiting",
    "neck_stiffness",
    "extreme_sleepiness",
    "injury",
    "head_injury",
    "rash",
    "seizure_5_minutes",
]

#: Allowed numeric ranges: field -> (low, high, low_inclusive).
RANGES: dict[str, tuple[float, float, bool]] = {
    "age_months": (0, 216, True),
    "born_weeks": (22, 44, True),
    "movement_seconds": (0, 3600, False),
    "count": (1, 10000, True),
    "interval_seconds": (0, 86400, False),
    "episode_minutes": (0, 1440, False),
    "fever_c": (30, 44, True),
}

NOTES_MAX_CHARS = 5000
#: The message for a child with neither an age nor a date of birth.
AGE_REQUIRED = N_("child.age_months or child.birth_date is required")
#: The same, where a case with a warning sign may leave the age out (``age_optional``).
AGE_REQUIRED_WITHOUT_WARNING_SIGN = N_(
    "child.age_months or child.birth_date is required (it may be left out only when an "
    "episode gives a warning sign in red_flags)"
)
#: A date of birth after today (``day``: ISO).
BIRTH_IN_FUTURE = N_("child.birth_date %(day)s is in the future")
#: An episode that started before the baby was born (``path``: the episode's
#: ``started_at``; ``when`` and ``birth``: ISO).
BEFORE_BIRTH = N_("%(path)s %(when)s is before child.birth_date %(birth)s")
#: An episode that lasted this long needs no movement named: "lasted 5 minutes or more" is
#: a warning sign on its own (status epilepticus from 5 minutes, ILAE 2015).
LONG_EPISODE_MINUTES = 5.0


def _dedupe(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Child(_Strict):
    """The child: age, birth, known conditions and development."""

    age_months: float | None = Field(default=None, ge=0, le=216)
    birth_date: date | None = None
    born_weeks: float | None = Field(default=None, ge=22, le=44)
    conditions: list[Condition] = Field(default_factory=list)
    development: Development = "unknown"

    _dedupe_lists = field_validator("conditions")(_dedupe)

    @model_validator(mode="after")
    def _age_known(self) -> Child:
        if self.age_months is None and self.birth_date is None:
            raise ValueError(AGE_REQUIRED)
        return self


class Episode(_Strict):
    """One observed episode of movements."""

    started_at: datetime | None = None
    state: State = "unknown"
    movements: list[Movement] = Field(default_factory=list)
    side: Side = "unknown"
    movement_seconds: float | None = Field(default=None, gt=0, le=3600)
    count: int | None = Field(default=None, ge=1, le=10000)
    interval_seconds: float | None = Field(default=None, gt=0, le=86400)
    episode_minutes: float | None = Field(default=None, gt=0, le=1440)
    stops_when_woken: Tried = "not_tried"
    stops_when_held: Tried = "not_tried"
    stops_with_distraction: Tried = "not_tried"
    responsive: YesNoUnknown = "unknown"
    after: list[After] = Field(default_factory=list)
    triggers: list[Trigger] = Field(default_factory=list)
    fever_c: float | None = Field(default=None, ge=30, le=44)
    red_flags: list[RedFlag] = Field(default_factory=list)
    typical_for_child: YesNoUnknown = "unknown"
    #: The family's offset from UTC, in minutes east, when ``started_at`` was written
    #: (the diary keeps wall-clock times; an export to another system needs the zone).
    #: Time zones reach from UTC-12 to UTC+14. A ``started_at`` with its own zone keeps it.
    utc_offset_minutes: int | None = Field(default=None, ge=-12 * 60, le=14 * 60)
    notes: str = Field(default="", max_length=NOTES_MAX_CHARS)

    _dedupe_lists = field_validator("movements", "after", "triggers", "red_flags")(_dedupe)

    @model_validator(mode="after")
    def _something_seen(self) -> Episode:
        # A caregiver who saw the baby turn blue, or a seizure that went on for 5 minutes,
        # must never be refused for not naming a movement.
        if not self.movements and not self.red_flags and not self.long:
            raise PydanticCustomError("movements_missing", "no movement and no warning sign")
        return self

    @property
    def started_at_aware(self) -> datetime | None:
        """``started_at`` with its time zone: its own, else the family's offset
        (:attr:`utc_offset_minutes`), else ``None`` for a time whose zone is not known (or
        no time)."""
        when = self.started_at
        if when is None or when.tzinfo is not None:
            return when
        if self.utc_offset_minutes is None:
            return None
        return when.replace(tzinfo=timezone(timedelta(minutes=self.utc_offset_minutes)))

    @property
    def long(self) -> bool:
        """The episode lasted 5 minutes or more."""
        return self.episode_minutes is not None and self.episode_minutes >= LONG_EPISODE_MINUTES

    @property
    def has_fever(self) -> bool:
        """True when a temperature of 38.0 C or more was measured."""
        return self.fever_c is not None and self.fever_c >= FEVER_C


class Case(_Strict):
    """A child and the episodes observed."""

    child: Child
    episodes: list[Episode] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates_consistent(self) -> Case:
        birth = self.child.birth_date
        if birth is None:
            return self
        # The family's day may be one ahead of the machine's (time zones reach UTC+14):
        # a baby born today far east of the server is not "born in the future".
        if birth > date.today() + timedelta(days=1):
            raise ValueError(BIRTH_IN_FUTURE % {"day": birth.isoformat()})
        for i, ep in enumerate(self.episodes):
            if ep.started_at is not None and ep.started_at.date() < birth:
                raise ValueError(
                    BEFORE_BIRTH
                    % {
                        "path": f"episodes[{i}].started_at",
                        "when": ep.started_at.isoformat(),
                        "birth": birth.isoformat(),
                    }
                )
        return self

    @property
    def age_known(self) -> bool:
        """Whether the child's age or date of birth is given: always, except in a case
        parsed with ``age_optional`` that has a warning sign (:func:`parse_case`)."""
        return self.child.age_months is not None or self.child.birth_date is not None

    def age_months_at(self, when: datetime | None = None, today: date | None = None) -> float:
        """Age in months at ``when`` (an episode's start), or today.

        Computed from ``birth_date`` when it is given, else ``age_months`` (the age now);
        0 when neither is (:attr:`age_known`; the triage then reads no age).
        """
        if self.child.birth_date is not None:
            ref = when.date() if when is not None else (today or date.today())
            return round(months_between(self.child.birth_date, ref), 2)
        return float(self.child.age_months or 0.0)

    def to_json_dict(self) -> dict[str, Any]:
        """The case as a JSON-ready dict, without fields left at their default."""
        return self.model_dump(mode="json", exclude_defaults=True)


#: Days in a month, as an age in months is counted (a year of 365.25 days).
DAYS_PER_MONTH = 30.4375


def months_between(start: date, end: date) -> float:
    """Months from ``start`` to ``end`` (average month of :data:`DAYS_PER_MONTH` days),
    never negative."""
    return max(0.0, (end - start).days / DAYS_PER_MONTH)


# ---------------------------------------------------------------- error messages
# Each kind of problem, a catalog message: ``path`` is the field's path as written
# (``episodes[0].state``), ``allowed`` the codes allowed, ``got`` the value given (as Python
# writes it), ``why`` what is wrong with it (:data:`VALUE_REASONS`, :data:`JSON_REASONS`:
# catalog messages too; a reason of the parser's own, of a kind not named there, as the
# parser says it).
UNKNOWN_FIELD = N_("Unknown field '%(path)s': allowed fields are %(allowed)s")
NOT_ALLOWED = N_("Invalid value for '%(path)s': allowed are %(allowed)s; got %(got)s")
MISSING_FIELD = N_("Missing field '%(path)s'")
OUT_OF_RANGE = N_(
    "Out of range for '%(path)s': must be at least %(low)s and at most %(high)s; got %(got)s"
)
#: Out of range, for a field whose lowest value is not allowed itself (a duration: more than 0).
OUT_OF_RANGE_ABOVE = N_(
    "Out of range for '%(path)s': must be more than %(low)s and at most %(high)s; got %(got)s"
)
NO_MOVEMENT = N_(
    "Missing value for '%(path)s.movements': give at least one of %(allowed)s (or a warning "
    "sign in red_flags, or episode_minutes of 5 or more)"
)
TOO_LONG = N_("Too long: '%(path)s' may have at most %(n)s characters")
#: Any other value refused, and why (:data:`VALUE_REASONS`).
INVALID_VALUE = N_("Invalid value for '%(path)s': %(why)s; got %(got)s")
#: A number beyond a bound of a field that :data:`RANGES` does not list (``limit``).
BELOW_LIMIT = N_("Out of range for '%(path)s': must be at least %(limit)s; got %(got)s")
NOT_ABOVE_LIMIT = N_("Out of range for '%(path)s': must be more than %(limit)s; got %(got)s")
ABOVE_LIMIT = N_("Out of range for '%(path)s': must be at most %(limit)s; got %(got)s")
NOT_BELOW_LIMIT = N_("Out of range for '%(path)s': must be less than %(limit)s; got %(got)s")
#: The message of each kind of bound (the parser's error type) and its key in the
#: error's ``ctx``.
_LIMITS = {
    "greater_than_equal": (BELOW_LIMIT, "ge"),
    "greater_than": (NOT_ABOVE_LIMIT, "gt"),
    "less_than_equal": (ABOVE_LIMIT, "le"),
    "less_than": (NOT_BELOW_LIMIT, "lt"),
}
_NOT_A_DATE = N_("not a date: give it as YYYY-MM-DD, e.g. 2026-05-01")
_NOT_A_TIME = N_("not a date and time: give it as YYYY-MM-DDTHH:MM, e.g. 2026-05-01T14:30")
_NOT_AN_OBJECT = N_("not an object of fields ({...})")
#: Why a value is refused (``why`` of :data:`INVALID_VALUE`), by the parser's (pydantic's)
#: error type, in words of our own that each language has: the parser's own ("Input
#: should be a valid number, unable to parse string as a number") have no translation.
VALUE_REASONS: dict[str, str] = {
    "float_parsing": N_("not a number"),
    "float_type": N_("not a number"),
    "finite_number": N_("not a number"),
    "int_parsing": N_("not a whole number"),
    "int_type": N_("not a whole number"),
    "int_from_float": N_("not a whole number"),
    "int_parsing_size": N_("a whole number too large"),
    "bool_parsing": N_("not true or false"),
    "bool_type": N_("not true or false"),
    "string_type": N_("not text"),
    "list_type": N_("not a list ([...])"),
    "dict_type": _NOT_AN_OBJECT,
    "model_type": _NOT_AN_OBJECT,
    "model_attributes_type": _NOT_AN_OBJECT,
    "date_parsing": _NOT_A_DATE,
    "date_from_datetime_parsing": _NOT_A_DATE,
    "date_from_datetime_inexact": _NOT_A_DATE,
    "date_type": _NOT_A_DATE,
    "datetime_parsing": _NOT_A_TIME,
    "datetime_from_date_parsing": _NOT_A_TIME,
    "datetime_object_invalid": _NOT_A_TIME,
    "datetime_type": _NOT_A_TIME,
}
NOT_AN_OBJECT = N_("a case must be a JSON object with 'child' and 'episodes'; got %(type)s")
NOT_A_LIST = N_("'%(key)s' must be a list; got %(type)s")
#: A document that is no JSON (``source``: what it is, as :func:`load_case` is told), and
#: why (:data:`JSON_REASONS`).
NOT_JSON_AT = N_("%(source)s is not valid JSON at line %(line)s, column %(column)s: %(why)s")
NOT_JSON = N_("%(source)s is not valid JSON: %(why)s")
NOT_UTF8 = N_("%(source)s is not valid JSON: it is not UTF-8 text")
NOT_A_JSON_NUMBER = N_("%(source)s is not valid JSON: %(name)s is not a number JSON allows")
#: What the JSON reader found wrong where it stopped (``why`` of :data:`NOT_JSON_AT`), by
#: its own words (``json.JSONDecodeError.msg``), in words of our own that each language
#: has; a reason not named here is said as the reader says it.
JSON_REASONS: dict[str, str] = {
    "Expecting value": N_(
        "a value was expected there (a number, a text in double quotes, true, false, null, "
        "a list or an object)"
    ),
    "Expecting ',' delimiter": N_("a comma (,) is missing there"),
    "Expecting ':' delimiter": N_("a colon (:) is missing there, after a field's name"),
    "Expecting property name enclosed in double quotes": N_(
        "a field's name in double quotes was expected there (is there a comma too many before it?)"
    ),
    "Unterminated string starting at": N_("a text in quotes that starts there is never closed"),
    "Invalid control character at": N_(
        "a text in quotes has a line break or a tab there (write it as \\n or \\t)"
    ),
    "Invalid \\escape": N_("a backslash there starts no escape JSON has"),
    "Invalid \\uXXXX escape": N_("a backslash there starts no escape JSON has"),
    "Extra data": N_("the document goes on after its end there"),
    "Illegal trailing comma before end of object": N_(
        "a comma too many there, before the end of an object"
    ),
    "Illegal trailing comma before end of array": N_(
        "a comma too many there, before the end of a list"
    ),
}
#: Why, where the reader stopped at the end of the document (a file cut short, a
#: bracket never closed): whatever it expected, the rest is missing.
JSON_ENDS_TOO_SOON = N_("the document ends too soon: its end is missing")
TOO_DEEP = N_("%(source)s is not a case: it nests arrays or objects more than %(n)s deep")
#: Every problem this module says, for :func:`say_problem`.
PROBLEMS: tuple[str, ...] = (
    UNKNOWN_FIELD,
    NOT_ALLOWED,
    MISSING_FIELD,
    OUT_OF_RANGE,
    OUT_OF_RANGE_ABOVE,
    NO_MOVEMENT,
    TOO_LONG,
    INVALID_VALUE,
    BELOW_LIMIT,
    NOT_ABOVE_LIMIT,
    ABOVE_LIMIT,
    NOT_BELOW_LIMIT,
    AGE_REQUIRED,
    AGE_REQUIRED_WITHOUT_WARNING_SIGN,
    BIRTH_IN_FUTURE,
    BEFORE_BIRTH,
    NOT_AN_OBJECT,
    NOT_A_LIST,
    NOT_JSON_AT,
    NOT_UTF8,
    NOT_A_JSON_NUMBER,
    NOT_JSON,
    TOO_DEEP,
)
#: The placeholders whose values are numbers, said in the language's format.
_NUMBERS = frozenset({"low", "high", "limit", "n", "line", "column", "got"})


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _field_name(loc: tuple[int | str, ...]) -> str:
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else ""


_MODEL_FIELDS = {
    "": list(Case.model_fields),
    "child": list(Child.model_fields),
    "episodes": list(Episode.model_fields),
}


def _message(error: Mapping[str, Any]) -> str:
    loc = tuple(error.get("loc", ()))
    kind = error.get("type", "")
    value = error.get("input")
    path = _path(loc) or "case"
    name = _field_name(loc)
    if kind == "extra_forbidden":
        parent = _field_name(loc[:-1])
        allowed = ", ".join(_MODEL_FIELDS.get(parent, []))
        return UNKNOWN_FIELD % {"path": path, "allowed": allowed}
    if kind in {"literal_error", "enum"}:
        allowed = ", ".join(VOCABULARIES.get(name, {})) or str(error.get("ctx", {}))
        return NOT_ALLOWED % {"path": path, "allowed": allowed, "got": repr(value)}
    if kind == "missing":
        return MISSING_FIELD % {"path": path}
    if name in RANGES and kind in {
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
    }:
        low, high, low_incl = RANGES[name]
        template = OUT_OF_RANGE if low_incl else OUT_OF_RANGE_ABOVE
        return template % {"path": path, "low": f"{low:g}", "high": f"{high:g}", "got": repr(value)}
    if kind == "movements_missing":
        allowed = ", ".join(VOCABULARIES["movements"])
        return NO_MOVEMENT % {"path": path, "allowed": allowed}
    if kind == "string_too_long":
        return TOO_LONG % {"path": path, "n": NOTES_MAX_CHARS}
    if kind == "value_error":
        msg = str(error.get("msg", "")).removeprefix("Value error, ")
        return msg
    bounds = error.get("ctx") or {}
    if kind in _LIMITS and _LIMITS[kind][1] in bounds:
        template, key = _LIMITS[kind]
        return template % {"path": path, "limit": f"{bounds[key]:g}", "got": repr(value)}
    why = VALUE_REASONS.get(kind) or error.get("msg", "invalid")
    return INVALID_VALUE % {"path": path, "why": why, "got": repr(value)}


def parse_case(data: Any, *, age_optional: bool = False) -> Case:
    """Validate a case given as a dict (parsed JSON).

    Parameters
    ----------
    data
        The case.
    age_optional
        Accept a child with neither ``age_months`` nor ``birth_date`` when an episode gives
        a warning sign (``red_flags``): a warning sign is an emergency at any age, so a
        case that is only triaged (the anonymous check, ``POST /api/v1/triage``,
        ``spasmwatch triage``) is answered without it. The case's
        :attr:`~Case.age_known` is then False. A diary's child always has an age.

    Raises
    ------
    InvalidCase
        With one message per problem, each naming the field, the value and what is allowed.
    """
    if not isinstance(data, Mapping):
        raise InvalidCase(NOT_AN_OBJECT % {"type": type(data).__name__})
    for key in ("episodes",):
        if key in data and not isinstance(data[key], list):
            raise InvalidCase(NOT_A_LIST % {"key": key, "type": type(data[key]).__name__})
    document = dict(data)
    unknown_age = age_optional and _age_left_out(data) and _has_warning_sign(data)
    if unknown_age:
        # Every other field is checked as usual, with an age that is dropped again after.
        document["child"] = {**data["child"], "age_months": 0.0}
    try:
        case = Case.model_validate(document)
    except ValidationError as exc:
        found = [_message(e) for e in exc.errors()]
        if age_optional:
            found = [AGE_REQUIRED_WITHOUT_WARNING_SIGN if f == AGE_REQUIRED else f for f in found]
        raise InvalidCase(_dedupe(found + _nothing_seen(data))) from None
    if unknown_age:
        child = case.child.model_copy(update={"age_months": None})
        case = case.model_copy(update={"child": child})
    return case


def _age_left_out(data: Mapping[str, Any]) -> bool:
    """The case's child is an object with neither ``age_months`` nor ``birth_date``."""
    child = data.get("child")
    return (
        isinstance(child, Mapping)
        and child.get("age_months") is None
        and child.get("birth_date") is None
    )


def _has_warning_sign(data: Mapping[str, Any]) -> bool:
    """An episode of the raw case names a warning sign (``red_flags``)."""
    episodes = data.get("episodes")
    return any(
        isinstance(raw, Mapping) and isinstance(raw.get("red_flags"), list) and raw["red_flags"]
        for raw in (episodes if isinstance(episodes, list) else [])
    )


def _nothing_seen(data: Mapping[str, Any]) -> list[str]:
    """The 'no movement and no warning sign' problems of the raw episodes.

    The model checks this only once every field is valid; here it is reported together
    with the other problems, so that all of a document's problems come at once.
    """
    out = []
    episodes = data.get("episodes")
    for i, raw in enumerate(episodes if isinstance(episodes, list) else []):
        if not isinstance(raw, Mapping) or raw.get("movements") or raw.get("red_flags"):
            continue
        minutes = raw.get("episode_minutes")
        if isinstance(minutes, int | float) and minutes >= LONG_EPISODE_MINUTES:
            continue
        out.append(_message({"loc": ("episodes", i), "type": "movements_missing"}))
    return out


#: The deepest nesting of arrays and objects a case document may have (a valid one has 4).
MAX_JSON_DEPTH = 32


class _NotAJsonNumber(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity`` in a document (Python's reader takes them)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _refuse_constant(name: str) -> Any:
    raise _NotAJsonNumber(name)


def _depth(data: Any) -> int:
    """How deeply ``data`` nests lists and dicts (without recursion)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_JSON_DEPTH:
                items = value.values() if isinstance(value, dict) else value
                stack.extend((item, level + 1) for item in items)
    return deepest


def load_case(text: str | bytes, source: str = "case", *, age_optional: bool = False) -> Case:
    """Parse and validate a case from JSON text; ``source`` names it in error messages;
    ``age_optional`` as for :func:`parse_case`.

    Anything that is not a case, however malformed (nested thousands deep, numbers of
    thousands of digits, ``NaN`` or ``Infinity``, bytes that are not text), is refused with
    :class:`InvalidCase` naming ``source``.
    """
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        where = {"line": exc.lineno, "column": exc.colno}
        ended = exc.pos >= len(exc.doc.rstrip()) and exc.msg != "Extra data"
        why = JSON_ENDS_TOO_SOON if ended else JSON_REASONS.get(exc.msg, exc.msg)
        raise InvalidCase(NOT_JSON_AT % {"source": source, **where, "why": why}) from None
    except UnicodeDecodeError:
        raise InvalidCase(NOT_UTF8 % {"source": source}) from None
    except RecursionError:
        raise InvalidCase(TOO_DEEP % {"source": source, "n": MAX_JSON_DEPTH}) from None
    except _NotAJsonNumber as exc:
        raise InvalidCase(NOT_A_JSON_NUMBER % {"source": source, "name": exc.name}) from None
    except ValueError as exc:  # a number of over 4,300 digits
        raise InvalidCase(NOT_JSON % {"source": source, "why": str(exc)[:200]}) from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise InvalidCase(TOO_DEEP % {"source": source, "n": MAX_JSON_DEPTH})
    return parse_case(data, age_optional=age_optional)


def say_problem(
    problem: str,
    gettext: Callable[[str], str] = english,
    locale: str | None = None,
    sources: Iterable[str] = (),
    also: Iterable[str] = (),
) -> str:
    """A problem of an :class:`~spasmwatch.errors.InvalidCase` in ``gettext``'s language.

    ``problem`` is one this module makes (:data:`PROBLEMS`) or one of ``also`` (the
    caller's own templates), or either after the name of what was read ("case file
    'a.json': Missing field 'child'"): ``sources`` are the templates of such names, said in
    the language too. The field paths, codes and values stay as written, the numbers in
    ``locale``'s format, the parser's own words English; a problem of no known template is
    said as the catalog says it (English where it has no words for it).
    """
    templates = (*PROBLEMS, *also)
    sources = tuple(sources)
    said = _said(problem, templates, sources, gettext, locale)
    if said is not None:
        return said
    at = problem.find(": ")
    while at != -1:  # "<source>: <problem>", the source being any text before a ": "
        source = _said(problem[:at], sources, (), gettext, locale)
        rest = _said(problem[at + 2 :], templates, sources, gettext, locale)
        if source is not None and rest is not None:
            return f"{source}: {rest}"
        at = problem.find(": ", at + 1)
    return gettext(problem)


def _said(
    message: str,
    templates: tuple[str, ...],
    sources: tuple[str, ...],
    gettext: Callable[[str], str],
    locale: str | None,
) -> str | None:
    """``message`` said from the template of ``templates`` it was made from; None when it
    was made from none of them."""
    found = match_message(message, templates)
    if found is None:
        return None
    template, values = found
    for key, value in values.items():
        if key == "source" and sources:
            values[key] = _said(value, sources, (), gettext, locale) or value
        elif key in _NUMBERS:
            values[key] = said_value(value, english, locale)  # a number in the locale's format
        elif key == "why":  # a reason of our own (VALUE_REASONS, JSON_REASONS), or the parser's
            values[key] = gettext(value)
    try:
        return gettext(template) % values
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return None


def vocabulary(field: str) -> tuple[str, ...]:
    """The allowed words of a vocabulary field, in contract order."""
    return tuple(VOCABULARIES[field])


# Keep the Literal types and the plain-language vocabularies in step.
for _field, _literal in {
    "conditions": Condition,
    "development": Development,
    "state": State,
    "movements": Movement,
    "side": Side,
    "after": After,
    "triggers": Trigger,
    "red_flags": RedFlag,
}.items():
    if tuple(get_args(_literal)) != tuple(VOCABULARIES[_field]):  # pragma: no cover
        raise RuntimeError(f"vocabulary {_field} out of step with its type")
