"""Treatments, milestones and work-up items: their words, their records, and the input
that adds or changes one, checked once with messages that name the field.

Inputs come from a page's form (text) or the JSON API (text, or ``null`` for "not
given"); :func:`parse_treatment`, :func:`parse_milestone` and :func:`parse_workup` return
the checked input or the problems by field, each message naming the field as the page
shows it, in the language of the ``gettext`` they are given (English by default, as the
API says them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from spasmwatch.care.workup import WORKUP_STATUSES, WORKUP_TESTS, WorkupTest
from spasmwatch.i18n import N_, english

__all__ = [
    "DRUG_SUGGESTIONS",
    "MILESTONE_LABELS",
    "MILESTONE_SKILLS",
    "MILESTONE_STATUSES",
    "ROUTES",
    "TREATMENT_LABELS",
    "WORDS",
    "WORKUP_LABELS",
    "Milestone",
    "MilestoneInput",
    "Problems",
    "Treatment",
    "TreatmentInput",
    "WorkupInput",
    "WorkupItem",
    "parse_milestone",
    "parse_treatment",
    "parse_workup",
]

#: The usual first-line drugs for infantile spasms, offered as suggestions (the field is
#: free text): ACTH (tetracosactide in the UK), prednisolone, vigabatrin (the drug of
#: choice in tuberous sclerosis). For the doctor to choose, never advised by the app
#: (AAN/CNS 2012; NICE NG217; clinical reference section 1).
DRUG_SUGGESTIONS: tuple[str, ...] = (
    "prednisolone",
    "ACTH (tetracosactide)",
    "vigabatrin",
    "other",
)
ROUTES: dict[str, str] = {
    "by_mouth": "by mouth",
    "injection": "injection (into a muscle or under the skin)",
    "intravenous": "into a vein (drip)",
    "other": "other",
}
#: The skills parents notice first, and that spasms may take away (seed 000;
#: clinical reference section 1: rolling, sitting, smiling, babbling).
MILESTONE_SKILLS: dict[str, str] = {
    "smiles": "smiles",
    "holds_head_up": "holds head up",
    "rolls_over": "rolls over",
    "sits": "sits",
    "babbles": "babbles",
    "reaches": "reaches for things",
    "other": "other",
}
MILESTONE_STATUSES: dict[str, str] = {"achieved": "can do it", "lost": "lost it (can no longer)"}

#: Every word list of the forms, for the templates.
WORDS: dict[str, Any] = {
    "drug_suggestions": DRUG_SUGGESTIONS,
    "routes": ROUTES,
    "skills": MILESTONE_SKILLS,
    "milestone_statuses": MILESTONE_STATUSES,
    "workup_statuses": WORKUP_STATUSES,
}

#: Each field as its form shows it (without what the form adds in brackets), so that a
#: message names what the family sees; translated where the message is said.
TREATMENT_LABELS = {
    "drug": N_("Medicine"),
    "dose": N_("Dose"),
    "route": N_("How it is given"),
    "start_date": N_("Started on"),
    "stop_date": N_("Stopped on"),
    "prescribed_by": N_("Prescribed by"),
    "note": N_("Note"),
}
MILESTONE_LABELS = {
    "skill": N_("Skill"),
    "label": N_("Which skill"),
    "status": N_("Can the baby do it?"),
    "on_date": N_("Since when"),
    "note": N_("Note"),
}
WORKUP_LABELS = {
    "test": N_("Test"),
    "status": N_("Status"),
    "on_date": N_("Date"),
    "result": N_("Result"),
}

#: Problems by field name, each message naming the field as the page shows it.
Problems = dict[str, str]
#: Translates a message (a page's ``gettext``); the identity says it in English.
Gettext = Callable[[str], str]


class _Said:
    """How the problems of one input are said: its fields' labels and the language."""

    def __init__(self, labels: dict[str, str], gettext: Gettext) -> None:
        self.labels = labels
        self.gettext = gettext

    def __call__(self, field: str, message: str, **values: Any) -> str:
        """``message`` (an English message id with ``%(label)s``) about ``field``, in the
        language, naming the field by its label without its question mark."""
        label = self.gettext(self.labels[field]).rstrip("?…:").lstrip("¿")
        return self.gettext(message) % {"label": label, **values}


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SHORT = 100
_LONG = 2000


# ---------------------------------------------------------------- records
@dataclass(frozen=True)
class Treatment:
    """A treatment of the child, as recorded."""

    id: int
    drug: str
    dose: str
    route: str
    start_date: date
    stop_date: date | None
    prescribed_by: str
    note: str
    recorded_by: str
    recorded_at: datetime

    @property
    def route_words(self) -> str:
        """How it is given, in words."""
        return ROUTES.get(self.route, self.route)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "id": self.id,
            "drug": self.drug,
            "dose": self.dose,
            "route": self.route,
            "start_date": self.start_date.isoformat(),
            "stop_date": self.stop_date.isoformat() if self.stop_date else None,
            "prescribed_by": self.prescribed_by,
            "note": self.note,
            "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at.isoformat(),
        }


@dataclass(frozen=True)
class Milestone:
    """A skill the baby can do, or has lost, since a day."""

    id: int
    skill: str
    label: str
    status: str
    on_date: date
    note: str
    recorded_by: str
    recorded_at: datetime

    @property
    def name(self) -> str:
        """The skill in words (its own label for ``other``)."""
        return self.label if self.skill == "other" and self.label else MILESTONE_SKILLS[self.skill]

    @property
    def key(self) -> str:
        """What makes two records the same skill."""
        return f"other:{self.label.strip().lower()}" if self.skill == "other" else self.skill

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "id": self.id,
            "skill": self.skill,
            "label": self.label,
            "name": self.name,
            "status": self.status,
            "on_date": self.on_date.isoformat(),
            "note": self.note,
            "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at.isoformat(),
        }


@dataclass(frozen=True)
class WorkupItem:
    """One test of the work-up for this child: suggested until the family changes it."""

    test: WorkupTest
    status: str = "suggested"
    on_date: date | None = None
    result: str = ""
    recorded_by: str = ""
    recorded_at: datetime | None = None

    @property
    def status_words(self) -> str:
        """The status in words."""
        return WORKUP_STATUSES[self.status]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "test": self.test.code,
            "name": self.test.name,
            "reason": self.test.reason,
            "source": self.test.source,
            "status": self.status,
            "on_date": self.on_date.isoformat() if self.on_date else None,
            "result": self.result,
            "recorded_by": self.recorded_by,
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
        }


# ---------------------------------------------------------------- inputs
@dataclass(frozen=True)
class TreatmentInput:
    """A treatment to add, or what an edit makes of one (checked)."""

    drug: str
    dose: str
    route: str
    start_date: date
    stop_date: date | None
    prescribed_by: str
    note: str


@dataclass(frozen=True)
class MilestoneInput:
    """A milestone to record (checked)."""

    skill: str
    label: str
    status: str
    on_date: date
    note: str


@dataclass(frozen=True)
class WorkupInput:
    """Where one test of the work-up stands (checked)."""

    test: str
    status: str
    on_date: date | None
    result: str


def _text(raw: Mapping[str, Any], field: str, say: _Said, problems: Problems, limit: int) -> str:
    value = raw.get(field)
    if value is None:
        return ""
    if not isinstance(value, str):
        problems[field] = say(
            field, N_("%(label)s: please give text; got %(value)s"), value=repr(value)
        )
        return ""
    value = value.strip()
    if _CONTROL.search(value):
        problems[field] = say(
            field, N_("%(label)s: it has a control character (such as a NUL byte); type it again")
        )
    elif len(value) > limit:
        problems[field] = say(
            field,
            N_("%(label)s: at most %(limit)s characters; you gave %(n)s"),
            limit=limit,
            n=len(value),
        )
    return value


def _choice(
    raw: Mapping[str, Any],
    field: str,
    allowed: Mapping[str, str],
    say: _Said,
    problems: Problems,
    default: str | None = None,
) -> str:
    value = raw.get(field)
    value = value.strip() if isinstance(value, str) else value
    if not value and default is not None:
        return default
    if value not in allowed:
        choices = ", ".join(allowed)
        problems[field] = (
            say(
                field,
                N_("%(label)s: allowed are %(choices)s; got %(value)s"),
                choices=choices,
                value=repr(value),
            )
            if value
            else say(field, N_("%(label)s: please choose one of %(choices)s"), choices=choices)
        )
        return default or ""
    return str(value)


def _date(
    raw: Mapping[str, Any],
    field: str,
    say: _Said,
    problems: Problems,
    *,
    required: bool,
    today: date | None = None,
    birth_date: date | None = None,
) -> date | None:
    value = raw.get(field)
    value = value.strip() if isinstance(value, str) else value
    if not value:
        if required:
            # no example: a browser shows its date field in the reader's own format
            # (e.g. mm/dd/yyyy), so an ISO example would read as a different format
            problems[field] = say(field, N_("%(label)s: please give a date"))
        return None
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        problems[field] = say(
            field,
            N_(
                "%(label)s: please give a date as YYYY-MM-DD, like 2026-11-20; "
                "you typed '%(value)s'"
            ),
            value=value,
        )
        return None
    if today is not None and day > today:
        problems[field] = say(field, N_("%(label)s: %(day)s is in the future"), day=day.isoformat())
    elif birth_date is not None and day < birth_date:
        problems[field] = say(
            field,
            N_("%(label)s: this is before the date of birth (%(day)s)"),
            day=birth_date.isoformat(),
        )
    return day


def _unknown(raw: Mapping[str, Any], labels: dict[str, str], problems: Problems) -> None:
    # Only the API's bodies are checked for these (``strict``): said in English.
    extra = sorted(set(raw) - set(labels) - {"csrf_token"})
    if extra:
        problems["_form"] = f"Unknown field(s) {', '.join(extra)}: allowed are {', '.join(labels)}"


def parse_treatment(
    raw: Mapping[str, Any],
    today: date,
    birth_date: date | None = None,
    *,
    strict: bool = False,
    gettext: Gettext = english,
) -> tuple[TreatmentInput | None, Problems]:
    """A treatment from a form or JSON, checked: the medicine named, a start date not in
    the future nor before birth, a stop date not before the start.

    ``strict`` refuses fields that are not a treatment's (the API's bodies); ``gettext``
    says the problems in a page's language.
    """
    problems: Problems = {}
    say = _Said(TREATMENT_LABELS, gettext)
    if strict:
        _unknown(raw, TREATMENT_LABELS, problems)
    drug = _text(raw, "drug", say, problems, _SHORT)
    if not drug and "drug" not in problems:
        problems["drug"] = say("drug", N_("%(label)s: please name the medicine, like prednisolone"))
    dose = _text(raw, "dose", say, problems, _SHORT)
    route = _choice(raw, "route", ROUTES, say, problems, default="by_mouth")
    start = _date(
        raw, "start_date", say, problems, required=True, today=today, birth_date=birth_date
    )
    stop = _date(raw, "stop_date", say, problems, required=False, birth_date=birth_date)
    if start is not None and stop is not None and stop < start and "stop_date" not in problems:
        problems["stop_date"] = say(
            "stop_date",
            N_("%(label)s: %(stop)s is before the start (%(start)s)"),
            stop=stop.isoformat(),
            start=start.isoformat(),
        )
    prescribed_by = _text(raw, "prescribed_by", say, problems, _SHORT)
    note = _text(raw, "note", say, problems, _LONG)
    if problems or start is None:
        return None, problems
    return TreatmentInput(drug, dose, route, start, stop, prescribed_by, note), problems


def parse_milestone(
    raw: Mapping[str, Any],
    today: date,
    birth_date: date | None = None,
    *,
    strict: bool = False,
    gettext: Gettext = english,
) -> tuple[MilestoneInput | None, Problems]:
    """A milestone from a form or JSON, checked: a skill of the list (``other`` with its
    name), achieved or lost, since a day not in the future nor before birth (``gettext``:
    the language of the problems)."""
    problems: Problems = {}
    say = _Said(MILESTONE_LABELS, gettext)
    if strict:
        _unknown(raw, MILESTONE_LABELS, problems)
    skill = _choice(raw, "skill", MILESTONE_SKILLS, say, problems)
    label = _text(raw, "label", say, problems, _SHORT)
    if skill == "other" and not label and "label" not in problems:
        problems["label"] = say("label", N_("%(label)s: please name the skill"))
    if skill != "other":
        label = ""
    status = _choice(raw, "status", MILESTONE_STATUSES, say, problems)
    on = _date(raw, "on_date", say, problems, required=True, today=today, birth_date=birth_date)
    note = _text(raw, "note", say, problems, _LONG)
    if problems or on is None:
        return None, problems
    return MilestoneInput(skill, label, status, on, note), problems


def parse_workup(
    raw: Mapping[str, Any],
    birth_date: date | None = None,
    *,
    strict: bool = False,
    gettext: Gettext = english,
) -> tuple[WorkupInput | None, Problems]:
    """Where a test of the work-up stands, from a form or JSON, checked: a test of the
    list, a status of :data:`WORKUP_STATUSES`, an optional date (a booked test's may be
    ahead), and the result when the status is ``result_noted`` (``gettext``: the language
    of the problems)."""
    problems: Problems = {}
    say = _Said(WORKUP_LABELS, gettext)
    if strict:
        _unknown(raw, WORKUP_LABELS, problems)
    tests = {t.code: t.name for t in WORKUP_TESTS}
    test = _choice(raw, "test", tests, say, problems)
    status = _choice(raw, "status", WORKUP_STATUSES, say, problems)
    on = _date(raw, "on_date", say, problems, required=False, birth_date=birth_date)
    result = _text(raw, "result", say, problems, _LONG)
    if status == "result_noted" and not result and "result" not in problems:
        problems["result"] = say(
            "result", N_("%(label)s: please write the result down, or choose another status")
        )
    if problems:
        return None, problems
    return WorkupInput(test, status, on, result), problems
