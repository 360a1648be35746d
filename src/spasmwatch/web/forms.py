"""Form data to case-format documents, with messages per field for the page."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from babel.numbers import format_decimal
from starlette.datastructures import FormData

from spasmwatch.case import VOCABULARIES, parse_case
from spasmwatch.diary.episodes import FUTURE_SLACK, family_now
from spasmwatch.errors import InvalidCase
from spasmwatch.i18n import N_
from spasmwatch.interview import parse_number
from spasmwatch.web.clock import page_now, page_offset
from spasmwatch.web.i18n import current_locale, gettext, moment, number

__all__ = [
    "CHILD_LABELS",
    "EPISODE_LABELS",
    "FROM_NOW",
    "KEPT_LABELS",
    "LONG_BOX",
    "LONG_RED_FLAG",
    "PHONE_NOW",
    "START_UNKNOWN",
    "check_from_form",
    "child_from_form",
    "episode_from_form",
    "form_now",
    "in_page_order",
    "keep_with_start",
    "kept_start_problem",
    "plain_message",
    "prefill",
    "problems_by_field",
    "start_limits",
]

#: Each episode field as the form shows it, so that a message names what the parent sees.
EPISODE_LABELS = {
    "red_flags": "Any warning signs?",
    "movements": "What movements did you see?",
    "state": "What was the baby doing?",
    "count": "How many in a row?",
    "movement_seconds": "Seconds for ONE movement",
    "interval_seconds": "Seconds between them",
    "started_at": "When did it start?",
    "video": "Video",
    "side": "Which side?",
    "episode_minutes": "Whole episode, in minutes (or seconds: “26 s”)",
    "fever_c": "Temperature (°C)",
    "responsive": "Did the baby respond to you during it?",
    "stops_when_woken": "Did it stop when you woke the baby?",
    "stops_when_held": "Did it stop when you held the limb?",
    "stops_with_distraction": "Did it stop when you distracted the baby?",
    "after": "Afterwards the baby…",
    "triggers": "Did something seem to bring it on?",
    "typical_for_child": "Was it like the baby's usual, diagnosed episodes?",
    "notes": "Notes",
}
CHILD_LABELS = {
    "name": "Name or nickname",
    "birth_date": "Date of birth",
    "age_months": "or age in months",
    "born_weeks": "Born at how many weeks of pregnancy?",
    "conditions": "Known conditions",
    "development": "Development",
}
#: The anonymous check's own fields.
CHECK_LABELS = {**CHILD_LABELS, "age_months": "Baby's age in months"}
#: Where a check is kept, its time is asked as when the episode happened: the check's
#: "When did it start?" was read by some as when the movements began, days before.
KEPT_LABELS = {**EPISODE_LABELS, "started_at": N_("When did this episode happen?")}
#: The box, where a check is kept, that says its time is not known: it is kept without one.
START_UNKNOWN = "start_unknown"
EPISODE_MOVEMENTS = frozenset(VOCABULARIES["movements"])
#: The warning sign "a seizure that went on for 5 minutes or more" is the red flag
#: ``seizure_5_minutes``, a box among the other warning signs. Links from happening-now mode
#: (and forms of earlier versions) send it as ``long_episode=yes``, which means the same.
LONG_BOX = "long_episode"
LONG_RED_FLAG = "seizure_5_minutes"
EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$")
#: Characters no text field may hold (a database cannot store a NUL byte, for one); tabs
#: and line ends are left to the fields that take several lines.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = "has a control character (such as a NUL byte) that text cannot hold"
#: The hidden field in which a form sends the phone's wall-clock time as it is sent
#: (``static/forms.js``): the family's "now", which a start or a day may not be after. The
#: diary's times are the family's local times, and the server's clock may be in another
#: time zone (a server on UTC is an hour behind Madrid).
PHONE_NOW = "phone_now"

_RANGE = re.compile(r"^Out of range for '[^']*': (must be .*); got (.*)$")
_WORDS = re.compile(r"^Invalid value for '[^']*': allowed are .*; got (.*)$")
_BEFORE_BIRTH = re.compile(r"is before child\.birth_date (\S+)")
_FUTURE_DAY = re.compile(r"(\d{4}-\d{2}-\d{2}) is in the future$")
_TOO_LONG = re.compile(r"^Too long: '[^']*' may have at most (\d+) characters$")


_BOUNDS = re.compile(r"^must be (at least|more than) (\S+) and at most (\S+)$")


def _label(field: str, labels: dict[str, str]) -> str:
    """The field as the page shows it, in the page's language, without its question mark."""
    return gettext(labels.get(field, field)).rstrip("?…:").lstrip("¿")


def _as_given(number: str) -> str:
    """A number as a person would write it: the parser's ``-3.0`` for ``-3`` shown as ``-3``."""
    try:
        value = float(number)
    except ValueError:
        return number
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return number


def plain_message(field: str, message: str, labels: dict[str, str]) -> str:
    """A validation message in plain words, naming the field as the page shows it (in the
    page's language where the message is one of the usual ones)."""
    label = _label(field, labels)
    if m := _RANGE.match(message):
        if b := _BOUNDS.match(m.group(1)):
            text = (
                gettext(
                    "%(label)s: must be at least %(low)s and at most %(high)s; you gave %(value)s"
                )
                if b.group(1) == "at least"
                else gettext(
                    "%(label)s: must be more than %(low)s and at most %(high)s; you gave %(value)s"
                )
            )
            return text % {
                "label": label,
                "low": _as_given(b.group(2)),
                "high": _as_given(b.group(3)),
                "value": _as_given(m.group(2)),
            }
        return f"{label}: {m.group(1)}; you gave {_as_given(m.group(2))}"
    if m := _WORDS.match(message):
        return gettext("%(label)s: %(value)s is not one of the choices; please pick one shown") % {
            "label": label,
            "value": m.group(1),
        }
    if m := _BEFORE_BIRTH.search(message):
        return gettext("%(label)s: this is before the date of birth (%(day)s)") % {
            "label": label,
            "day": m.group(1),
        }
    if m := _FUTURE_DAY.search(message):
        return gettext("%(label)s: %(day)s is in the future") % {"label": label, "day": m.group(1)}
    if m := _TOO_LONG.match(message):
        return gettext("%(label)s: too long; at most %(n)s characters") % {
            "label": label,
            "n": m.group(1),
        }
    if message.startswith("Missing value for") and field == "movements":
        return gettext("%(label)s: pick at least one movement you saw, or tick a warning sign") % {
            "label": label
        }
    return f"{label}: {message}"


EPISODE_NUMBERS = {
    "movement_seconds": float,
    "count": int,
    "interval_seconds": float,
    "episode_minutes": float,
    "fever_c": float,
}
EPISODE_WORDS = (
    "state",
    "side",
    "stops_when_woken",
    "stops_when_held",
    "stops_with_distraction",
    "responsive",
    "typical_for_child",
)
EPISODE_LISTS = ("movements", "after", "triggers", "red_flags")
#: The fields of the episode form's "More details" section (``_episode_fields.html``,
#: shared by the diary's form and the anonymous check).
DETAIL_FIELDS = (
    "side",
    "episode_minutes",
    "fever_c",
    "responsive",
    "stops_when_woken",
    "stops_when_held",
    "stops_with_distraction",
    "after",
    "triggers",
    "typical_for_child",
    "notes",
)


def form_values(
    form: FormData,
    lists: tuple[str, ...] = EPISODE_LISTS,
    skip: tuple[str, ...] = ("video", PHONE_NOW),
) -> dict[str, Any]:
    """A sent form's values as typed, to show it again: ``lists`` as lists, the file
    fields and the phone's clock (``skip``) left out."""
    return {k: form.getlist(k) if k in lists else form.get(k) for k in form if k not in skip}


def details_open(
    errors: dict[str, str],
    evidence: dict[str, list[str]] | None,
    values: Mapping[str, Any] | None = None,
) -> bool:
    """Whether "More details" is shown open: one of its fields has a problem, or was
    filled in from the caregiver's own words (or its temperature asked, where the words
    named a fever without one), or by a link from happening-now mode
    (``values``; the length it measured), for the parent to see what is sent."""
    filled = values or {}
    from_now = bool(filled.get("from_now"))
    if "fever_unmeasured" in (evidence or {}):
        return True  # the words named a fever: the temperature is asked there
    return any(
        k in errors or k in (evidence or {}) or (from_now and filled.get(k)) for k in DETAIL_FIELDS
    )


CHILD_NUMBERS = {"age_months": float, "born_weeks": float}


def _number(
    raw: str, kind: type, field: str, errors: dict[str, str], labels: dict[str, str]
) -> Any:
    """A number as people type it (``interview.parse_number``): "8", "1,5", "about 8",
    "eight", "unos 8", "1-2" (a count: its top, the cautious side; otherwise its middle),
    "2 min" in a field of seconds. ``None`` with a message in ``errors`` when it is not
    one."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        value = parse_number(raw, field, whole=kind is int)
        if kind is int and not float(value).is_integer():
            raise ValueError("not a whole number")
    except ValueError:
        text = (
            gettext("%(label)s: please give a whole number, like 10; you typed '%(raw)s'")
            if kind is int
            else gettext("%(label)s: please give a number, like 1.5; you typed '%(raw)s'")
        )
        errors[field] = text % {"label": _label(field, labels), "raw": raw}
        return None
    return int(value) if kind is int else round(float(value), 2)


#: How a link from happening-now mode says where it comes from (``?from=now``).
FROM_NOW = "now"
#: What a link may fill into the episode form (happening-now mode sends these).
PREFILL_FIELDS = (
    "started_at",
    "episode_minutes",
    "count",
    "interval_seconds",
    "movement_seconds",
    "state",
)
#: The link's fields that are numbers, written in the query as a program writes them
#: ("4.0", "0.4"); the form shows them as the page writes numbers (``4``, ``0,4`` in
#: Spanish), which is what its parser reads back (:func:`_number`).
PREFILL_NUMBERS = ("episode_minutes", "count", "interval_seconds", "movement_seconds")
#: The whole episode's length as happening-now mode measured it, in whole seconds
#: (``static/now.js``). The form asks for minutes; a length in minutes rounded to one
#: decimal turned 26 s into "0.4" (24 s). The form shows it as measured instead:
#: :func:`_episode_length`.
EPISODE_SECONDS = "episode_seconds"
#: Seconds in a minute, to write a whole number of minutes as minutes.
SECONDS_PER_MINUTE = 60
#: How many decimals a number filled into a form keeps: up to 3, as the page's other
#: numbers (:func:`~spasmwatch.web.i18n.number`); more than :func:`_number` keeps (2), so
#: that showing a value never rounds it before the parser does.
TYPED_DECIMALS = 3


def _as_typed(value: float) -> str:
    """A number as the form shows it for the parent to confirm or change: the page's
    decimal sign ("0,4" in Spanish), no ".0" after a whole number, and no thousands
    separator, which the parser would read as a decimal sign ("12.000" is 12)."""
    pattern = "0." + "#" * TYPED_DECIMALS
    return format_decimal(round(value, TYPED_DECIMALS), format=pattern, locale=current_locale())


def _query_number(raw: Any) -> float | None:
    """A number as a link writes it ("4.0"), or None when it is not one (a finite,
    positive number: every prefilled field is a count or a length)."""
    try:
        value = float(str(raw).strip())
    except ValueError:
        return None
    return value if math.isfinite(value) and value > 0 else None


def _episode_length(seconds: float) -> str:
    """The whole episode's length for the form's minutes field, as measured: a whole
    number of minutes as minutes ("5"), any other length in seconds ("26 s", "312 s"),
    which the field reads (``interview.parse_number`` takes a unit) and which loses
    nothing of what the timer measured, as minutes rounded for the eye would (26 s is
    not "0.4" minutes, 24 s). The unit "s" is the same in every language of the app."""
    whole = max(1, round(seconds))  # the form takes no length of 0
    if whole % SECONDS_PER_MINUTE == 0:
        return _as_typed(whole / SECONDS_PER_MINUTE)
    return f"{_as_typed(whole)} s"


def prefill(query: Any) -> dict[str, Any]:
    """Form values from a link's query (``?count=5&interval_seconds=4.2``), to be confirmed
    by the parent: only the known fields, each at most 40 characters; movements by word;
    numbers as the page writes them (:func:`_as_typed`), and the length happening-now
    mode measured (``episode_seconds``, :data:`EPISODE_SECONDS`) in the unit it was
    measured in (:func:`_episode_length`). A link from happening-now mode says so
    (``from=now``, :data:`FROM_NOW`): the value ``from_now`` is then true, for the form to
    say what the timer filled in."""
    values: dict[str, Any] = {
        key: str(query.get(key))[:40] for key in PREFILL_FIELDS if query.get(key)
    }
    for key in PREFILL_NUMBERS:
        if key in values and (value := _query_number(values[key])) is not None:
            values[key] = _as_typed(value)
    if (seconds := _query_number(str(query.get(EPISODE_SECONDS) or "")[:40])) is not None:
        values["episode_minutes"] = _episode_length(seconds)
    movements = [m for m in query.getlist("movements") if m in EPISODE_MOVEMENTS]
    if movements:
        values["movements"] = movements
    if query.get(LONG_BOX):
        values["red_flags"] = [LONG_RED_FLAG]
    if query.get("from") == FROM_NOW:
        values["from_now"] = True
    return values


def draft_values(
    text: str, lang: str | None = None
) -> tuple[dict[str, Any], dict[str, list[str]], str | None]:
    """Form values from a description in the caregiver's own words ("In your own words"),
    the words behind each field, and a problem (None when the text could be read).

    ``lang``: the language the words are read in, the page's by default (English where
    the reader does not read the page's language). The baby's age is ``age_months``, for
    the forms that ask it; numbers are written as the page writes them ("38,5" in Spanish),
    as its form reads them back. The values only fill the form in: the caregiver checks
    them and sends the form.
    """
    from spasmwatch.freetext import LANGUAGES, MAX_TEXT_CHARS, draft_episode

    lang = lang or current_locale()
    if not text.strip():
        return {}, {}, gettext("describe what you saw")
    if len(text) > MAX_TEXT_CHARS:
        too_long = gettext("too long: at most %(limit)s characters; you wrote %(n)s")
        return {}, {}, too_long % {"limit": number(MAX_TEXT_CHARS), "n": number(len(text))}
    draft = draft_episode(text, lang if lang in LANGUAGES else "en")
    values = {
        k: v if isinstance(v, list) else _shown(v)
        for k, v in {**draft.episode, **draft.child}.items()
        if v != ""
    }
    # what the words said that fills no field ("no fever") is shown with the rest
    return values, {**draft.evidence, **draft.mentioned}, None


def _shown(value: Any) -> str:
    """A drafted value as the form shows it: a number in the page's format."""
    return number(value) if isinstance(value, int | float) else str(value)


def problems_by_field(exc: InvalidCase, prefix: str) -> dict[str, str]:
    """Map each validation message to the field it names (``prefix`` is e.g.
    ``episodes[0].``)."""
    out: dict[str, str] = {}
    pattern = re.compile(r"\b" + re.escape(prefix) + r"(\w+)")
    for problem in exc.problems:
        match = pattern.search(problem)
        field = match.group(1) if match else "_form"
        out.setdefault(field, problem.replace(prefix, ""))
    return out


def form_now(form: Mapping[str, Any]) -> datetime:
    """The family's time now for a sent form: the phone's clock (:data:`PHONE_NOW`) when
    the form sent it and it is plausible, else the server's
    (:func:`~spasmwatch.diary.episodes.family_now`)."""
    raw = str(form.get(PHONE_NOW) or "").strip()[:40]
    try:
        phone = datetime.fromisoformat(raw) if raw else None
    except ValueError:
        phone = None
    return family_now(phone)


def start_limits(now: datetime | None = None) -> dict[str, Any]:
    """What a form's "When did it start?" field needs: the latest time it offers by the
    family's clock as the request knows it (:func:`~spasmwatch.web.clock.page_now`;
    ``max_started_at``; the page sets it again from the phone's clock), and how many
    minutes after now that is (``max_ahead_minutes``)."""
    latest = (now or page_now()) + FUTURE_SLACK
    return {
        "max_started_at": latest.strftime("%Y-%m-%dT%H:%M"),
        "max_ahead_minutes": int(FUTURE_SLACK.total_seconds() // 60),
    }


def _started_at(
    raw: str, now: datetime, errors: dict[str, str], labels: dict[str, str] = EPISODE_LABELS
) -> str | None:
    if not raw:
        return None
    value = raw if len(raw) > 16 else raw + ":00"
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        errors["started_at"] = gettext(
            "%(label)s: please give a date and time, like 2026-11-20 07:05; you typed '%(raw)s'"
        ) % {"label": _label("started_at", labels), "raw": raw}
        return value
    if when.tzinfo is None and when > now + FUTURE_SLACK:
        errors["started_at"] = gettext(
            "%(label)s: %(when)s is in the future; please give the date and time it started"
        ) % {"label": _label("started_at", labels), "when": moment(when)}
    return value


def episode_from_form(
    form: FormData, child: dict[str, Any], now: datetime | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The episode typed into the form, and the problems found, by field name.

    The episode is validated together with ``child`` (the case format's child) so that
    dates are checked against the birth date; a start in the future (after ``now``,
    default the family's time, :func:`form_now`) is refused. Messages name each field as
    the page shows it.
    ``long_episode=yes`` (see :data:`LONG_BOX`) adds the red flag ``seizure_5_minutes``;
    with a warning sign no movement needs to be named.
    """
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    now = now or form_now(form)
    started = _started_at(str(form.get("started_at") or "").strip(), now, errors)
    if started:
        data["started_at"] = started
        # the family's zone goes with its wall-clock time, for exports (FHIR needs one)
        offset = page_offset()
        if offset is not None:
            data["utc_offset_minutes"] = offset
    for field in EPISODE_WORDS:
        value = str(form.get(field) or "").strip()
        if value:
            data[field] = value
    for field in EPISODE_LISTS:
        values = [str(v) for v in form.getlist(field) if str(v).strip()]
        if values:
            data[field] = values
    for field, kind in EPISODE_NUMBERS.items():
        value = _number(str(form.get(field) or ""), kind, field, errors, EPISODE_LABELS)
        if value is not None:
            data[field] = value
    if form.get(LONG_BOX) and LONG_RED_FLAG not in data.get("red_flags", []):
        data["red_flags"] = [*data.get("red_flags", []), LONG_RED_FLAG]
    notes = str(form.get("notes") or "").strip()
    if notes:
        data["notes"] = notes
    try:
        parse_case({"child": child, "episodes": [data]})
    except InvalidCase as exc:
        for field, message in problems_by_field(exc, "episodes[0].").items():
            field = "movements" if field == "_form" and "movements" in message else field
            errors.setdefault(field, plain_message(field, message, EPISODE_LABELS))
    return data, in_page_order(errors)


#: The rank of each field on the page (``_episode_fields.html``): a problem of the whole
#: form first, then the warning signs and the check's age, then the episode's fields in
#: the order of :data:`EPISODE_LABELS`. The list of problems above the form follows it.
_PAGE_RANK = {
    name: i
    for i, name in enumerate(
        ["_form", "red_flags", "age_months", *(f for f in EPISODE_LABELS if f != "red_flags")]
    )
}


def in_page_order(errors: dict[str, str]) -> dict[str, str]:
    """``errors`` in the order of their fields on the page (others after, as they came)."""
    last = len(_PAGE_RANK)
    return dict(sorted(errors.items(), key=lambda item: _PAGE_RANK.get(item[0], last)))


def check_from_form(
    form: FormData, now: datetime | None = None, *, with_diary: bool = False
) -> tuple[dict[str, Any], dict[str, str]]:
    """The anonymous check's case (the child's age and one episode) and its problems.

    The age may be left empty when a warning sign is ticked: a warning sign is an emergency
    at any age, so the answer is given without it (and says so; the case is then one for
    ``parse_case(..., age_optional=True)``).

    ``with_diary``: the check is made with a child's diary, whose own child (age,
    conditions, development) is triaged: the form's questions about the baby are not read,
    the case's child is left empty for the caller to fill in, and the episode is checked
    against the child by the diary (:mod:`spasmwatch.diary.checks`)."""
    errors: dict[str, str] = {}
    child: dict[str, Any] = {}
    if with_diary:
        episode, episode_errors = episode_from_form(form, {"age_months": 6.0}, now)
        return {"child": child, "episodes": [episode]}, episode_errors
    warning = any(str(v).strip() for v in form.getlist("red_flags")) or bool(form.get(LONG_BOX))
    age = _number(str(form.get("age_months") or ""), float, "age_months", errors, CHECK_LABELS)
    if age is not None:
        child["age_months"] = age
    elif "age_months" not in errors and not warning:
        errors["age_months"] = gettext(
            "%(label)s: please give the baby's age in months, like 6 (a 3-week-old is 0.7)"
        ) % {"label": _label("age_months", CHECK_LABELS)}
    conditions = [str(v) for v in form.getlist("conditions") if str(v).strip()]
    if conditions:
        child["conditions"] = conditions
    development = str(form.get("development") or "").strip()
    if development:
        child["development"] = development
    # With the age in error or left out, the rest is checked on a placeholder age so that
    # every problem of the form is shown at once.
    placeholder = {"age_months": 6.0}
    if not errors:
        try:
            parse_case({"child": child if age is not None else {**child, **placeholder}})
        except InvalidCase as exc:
            for field, message in problems_by_field(exc, "child.").items():
                errors.setdefault(field, plain_message(field, message, CHECK_LABELS))
    checked_with = child if age is not None and not errors else placeholder
    episode, episode_errors = episode_from_form(form, checked_with, now)
    errors.update(episode_errors)
    return {"child": child, "episodes": [episode]}, in_page_order(errors)


def keep_with_start(
    case: dict[str, Any], form: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The kept check's ``case`` with the time of its episode as the parent confirmed it on
    the page that keeps it, and the problems with that time (its format, a time in the
    future of the family's clock, :func:`form_now`, or one before the date of birth).

    The check's form starts from the time it was filled in, which is not when the
    movements happened for a parent who checks later or describes a pattern of several
    days: a kept check is stored at the time confirmed where it is kept (``started_at``,
    filled in there with the check's own time), or without a time where the parent does
    not know it (:data:`START_UNKNOWN` ticked, or the field emptied): an episode without
    a time is left out of the diary's chart, its counts per day and the onset, and the
    child's page offers to add it, where a made-up time would put a cluster where nothing
    happened. A form without the field (the API's, a page of an earlier version) keeps
    the check's time as it was."""
    episodes = case.get("episodes") or []
    unknown = str(form.get(START_UNKNOWN) or "") == "yes"
    if not episodes or ("started_at" not in form and not unknown):
        return case, {}
    raw = "" if unknown else str(form.get("started_at") or "").strip()
    if not raw:
        untimed = {
            k: v for k, v in episodes[0].items() if k not in ("started_at", "utc_offset_minutes")
        }
        return {**case, "episodes": [untimed, *episodes[1:]]}, {}
    errors: dict[str, str] = {}
    started = _started_at(raw, form_now(form), errors, KEPT_LABELS)
    if errors or started is None:
        return case, errors
    timed = {**case, "episodes": [{**episodes[0], "started_at": started}, *episodes[1:]]}
    try:
        # a check with a warning sign may have been answered without the age
        return parse_case(timed, age_optional=True).to_json_dict(), {}
    except InvalidCase as exc:
        return case, kept_start_problem(exc)


def kept_start_problem(exc: InvalidCase) -> dict[str, str]:
    """The problem of a kept check's episode (``episodes[0]``), said next to the field
    that gives its time where it is kept (``started_at``): a time before the date of birth
    is the one such a check meets."""
    problems = problems_by_field(exc, "episodes[0].")
    message = problems.get("started_at") or next(iter(problems.values()), "; ".join(exc.problems))
    return {"started_at": plain_message("started_at", message, KEPT_LABELS)}


def child_from_form(form: FormData) -> tuple[str, dict[str, Any], dict[str, str]]:
    """(name, the case format's child, problems by field) from the child form."""
    errors: dict[str, str] = {}
    name = str(form.get("name") or "").strip()
    if not name:
        errors["name"] = gettext("Please give a name or nickname")
    elif len(name) > 100:
        errors["name"] = gettext("At most 100 characters")
    elif re.search(r"[\x00-\x08\x0b-\x1f\x7f]", name):
        errors["name"] = gettext(
            "The name has a control character (such as a NUL byte); type it again"
        )
    child: dict[str, Any] = {}
    birth = str(form.get("birth_date") or "").strip()
    if birth:
        try:
            child["birth_date"] = date.fromisoformat(birth).isoformat()
        except ValueError:
            errors["birth_date"] = gettext(
                "Date of birth: please give a date as YYYY-MM-DD; got '%(value)s'"
            ) % {"value": birth}
    for field, kind in CHILD_NUMBERS.items():
        value = _number(str(form.get(field) or ""), kind, field, errors, CHILD_LABELS)
        if value is not None:
            child[field] = value
    conditions = [str(v) for v in form.getlist("conditions") if str(v).strip()]
    if conditions:
        child["conditions"] = conditions
    development = str(form.get("development") or "unknown")
    child["development"] = development
    if not errors.keys() & {"birth_date", "age_months", "born_weeks"}:
        try:
            parse_case({"child": child})
        except InvalidCase as exc:
            found = problems_by_field(exc, "child.")
            if "_form" in found:
                found["age_months"] = found.pop("_form")
            errors.update({k: plain_message(k, v, CHILD_LABELS) for k, v in found.items()})
    return name, child, errors
