"""Form data to case-format documents, with messages per field for the page."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from starlette.datastructures import FormData

from spasmwatch.case import parse_case
from spasmwatch.errors import InvalidCase

__all__ = ["child_from_form", "episode_from_form", "problems_by_field"]

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
CHILD_NUMBERS = {"age_months": float, "born_weeks": float}


def _number(raw: str, kind: type, field: str, errors: dict[str, str]) -> Any:
    raw = raw.strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = kind(float(raw)) if kind is int and float(raw).is_integer() else kind(raw)
    except ValueError:
        errors[field] = f"Please give a {'whole ' if kind is int else ''}number; got '{raw}'"
        return None
    return value


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


def episode_from_form(
    form: FormData, child: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The episode typed into the form, and the problems found, by field name.

    The episode is validated together with ``child`` (the case format's child) so that
    dates are checked against the birth date.
    """
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    started = str(form.get("started_at") or "").strip()
    if started:
        data["started_at"] = started if len(started) > 16 else started + ":00"
    for field in EPISODE_WORDS:
        value = str(form.get(field) or "").strip()
        if value:
            data[field] = value
    for field in EPISODE_LISTS:
        values = [str(v) for v in form.getlist(field) if str(v).strip()]
        if values:
            data[field] = values
    for field, kind in EPISODE_NUMBERS.items():
        value = _number(str(form.get(field) or ""), kind, field, errors)
        if value is not None:
            data[field] = value
    notes = str(form.get("notes") or "").strip()
    if notes:
        data["notes"] = notes
    if "movements" not in data:
        errors["movements"] = "Pick at least one movement you saw"
        return data, errors
    try:
        parse_case({"child": child, "episodes": [data]})
    except InvalidCase as exc:
        for field, message in problems_by_field(exc, "episodes[0].").items():
            errors.setdefault(field, message)
    return data, errors


def child_from_form(form: FormData) -> tuple[str, dict[str, Any], dict[str, str]]:
    """(name, the case format's child, problems by field) from the child form."""
    errors: dict[str, str] = {}
    name = str(form.get("name") or "").strip()
    if not name:
        errors["name"] = "Please give a name or nickname"
    elif len(name) > 100:
        errors["name"] = "At most 100 characters"
    child: dict[str, Any] = {}
    birth = str(form.get("birth_date") or "").strip()
    if birth:
        try:
            child["birth_date"] = date.fromisoformat(birth).isoformat()
        except ValueError:
            errors["birth_date"] = f"Please give a date as YYYY-MM-DD; got '{birth}'"
    for field, kind in CHILD_NUMBERS.items():
        value = _number(str(form.get(field) or ""), kind, field, errors)
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
            errors.update(found)
    return name, child, errors
