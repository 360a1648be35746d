"""Treatments, milestones and the work-up: the child page's forms, and the JSON API under
``/api/v1/children/{child_id}/treatments``, ``/milestones``, ``/workup`` and ``/care``.

Each route parses its input, calls one :mod:`spasmwatch.diary.care` function and shows
its result; a form with problems comes back with each message next to its field, in the
page's language (the API's messages are in English).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from spasmwatch.care.workup import workup_test
from spasmwatch.diary import care, children
from spasmwatch.diary.care import InvalidCare
from spasmwatch.errors import InvalidCase
from spasmwatch.web.api_route import ApiRoute
from spasmwatch.web.auth import Principal, check_csrf, require_user
from spasmwatch.web.forms import PHONE_NOW, form_now
from spasmwatch.web.i18n import gettext
from spasmwatch.web.render import page
from spasmwatch.web.routes import database, principal

router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api/v1", tags=["api"], route_class=ApiRoute)


# ---------------------------------------------------------------- pages
async def _form(request: Request, who: Principal) -> tuple[dict[str, str], date]:
    """The posted form's fields (without the CSRF token and the phone's clock), and the
    family's day: the phone's, when the form sent it and it is plausible, else the
    server's (a server on UTC is still on yesterday at 00:30 in Madrid)."""
    form: FormData = await request.form()
    check_csrf(request, who, str(form.get("csrf_token") or ""))
    values = {k: str(v) for k, v in form.items() if k not in ("csrf_token", PHONE_NOW)}
    return values, form_now(form).date()


def _again(
    request: Request, who: Principal, child_id: int, exc: InvalidCare, **context: Any
) -> Response:
    """The form again, with each problem next to its field and what was typed kept."""
    child, _ = children.get(database(request), who, child_id, "log")
    return page(request, "care_form.html", who, 422, child=child, errors=exc.by_field, **context)


def _back(child_id: int, where: str) -> RedirectResponse:
    return RedirectResponse(f"/children/{child_id}#{where}", status_code=303)


def _edit_path(child_id: int, what: str, item_id: int) -> str:
    """Where the form that changes one treatment or milestone is (``what``: the plural)."""
    return f"/children/{child_id}/{what}/{item_id}/edit"


async def _saved(
    request: Request,
    who: Principal,
    child_id: int,
    save: Callable[[dict[str, str], date], object],
    where: str,
    **context: Any,
) -> Response:
    """The posted form's values and the family's day handed to ``save`` (one
    :mod:`spasmwatch.diary.care` call); then the child page at ``where``, or, when
    ``save`` finds problems, the form again (``context``) with each next to its field and
    what was typed kept."""
    values, today = await _form(request, who)
    try:
        save(values, today)
    except InvalidCare as exc:
        return _again(request, who, child_id, exc, values=values, **context)
    return _back(child_id, where)


@router.post("/children/{child_id}/treatments")
async def treatment_add(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    """Record a treatment from the child page's form."""
    db = database(request)
    return await _saved(
        request,
        who,
        child_id,
        lambda values, today: care.add_treatment(
            db, who, child_id, values, gettext=gettext, today=today
        ),
        "treatment",
        kind="treatment",
    )


@router.get("/children/{child_id}/treatments/{treatment_id}/edit")
def treatment_edit_form(
    request: Request, child_id: int, treatment_id: int, who: Principal = Depends(principal)
) -> Response:
    """The form that changes a treatment."""
    child, t = care.get_treatment(database(request), who, child_id, treatment_id, "log")
    values = {
        "drug": t.drug,
        "dose": t.dose,
        "route": t.route,
        "start_date": t.start_date.isoformat(),
        "stop_date": t.stop_date.isoformat() if t.stop_date else "",
        "prescribed_by": t.prescribed_by,
        "note": t.note,
    }
    return page(
        request,
        "care_form.html",
        who,
        child=child,
        errors={},
        kind="treatment",
        values=values,
        treatment_action=_edit_path(child_id, "treatments", treatment_id),
    )


@router.post("/children/{child_id}/treatments/{treatment_id}/edit")
async def treatment_edit(
    request: Request, child_id: int, treatment_id: int, who: Principal = Depends(principal)
) -> Response:
    """Change a treatment."""
    db = database(request)
    return await _saved(
        request,
        who,
        child_id,
        lambda values, today: care.edit_treatment(
            db, who, child_id, treatment_id, values, gettext=gettext, today=today
        ),
        f"treatment-{treatment_id}",
        kind="treatment",
        treatment_action=_edit_path(child_id, "treatments", treatment_id),
    )


@router.post("/children/{child_id}/treatments/{treatment_id}/delete")
async def treatment_delete(
    request: Request, child_id: int, treatment_id: int, who: Principal = Depends(principal)
) -> Response:
    """Delete a treatment."""
    await _form(request, who)
    care.delete_treatment(database(request), who, child_id, treatment_id)
    return _back(child_id, "treatment")


@router.post("/children/{child_id}/milestones")
async def milestone_add(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    """Record a skill achieved or lost (a lost one changes the advice)."""
    db = database(request)
    return await _saved(
        request,
        who,
        child_id,
        lambda values, today: care.add_milestone(
            db, who, child_id, values, gettext=gettext, today=today
        ),
        "development",
        kind="milestone",
    )


@router.get("/children/{child_id}/milestones/{milestone_id}/edit")
def milestone_edit_form(
    request: Request, child_id: int, milestone_id: int, who: Principal = Depends(principal)
) -> Response:
    """The form that changes a milestone."""
    child, m = care.get_milestone(database(request), who, child_id, milestone_id, "log")
    values = {
        "skill": m.skill,
        "label": m.label,
        "status": m.status,
        "on_date": m.on_date.isoformat(),
        "note": m.note,
    }
    return page(
        request,
        "care_form.html",
        who,
        child=child,
        errors={},
        kind="milestone",
        values=values,
        milestone_action=_edit_path(child_id, "milestones", milestone_id),
    )


@router.post("/children/{child_id}/milestones/{milestone_id}/edit")
async def milestone_edit(
    request: Request, child_id: int, milestone_id: int, who: Principal = Depends(principal)
) -> Response:
    """Change a milestone (a lost skill changes the advice)."""
    db = database(request)
    return await _saved(
        request,
        who,
        child_id,
        lambda values, today: care.edit_milestone(
            db, who, child_id, milestone_id, values, gettext=gettext, today=today
        ),
        f"milestone-{milestone_id}",
        kind="milestone",
        milestone_action=_edit_path(child_id, "milestones", milestone_id),
    )


@router.post("/children/{child_id}/milestones/{milestone_id}/delete")
async def milestone_delete(
    request: Request, child_id: int, milestone_id: int, who: Principal = Depends(principal)
) -> Response:
    """Delete a milestone."""
    await _form(request, who)
    care.delete_milestone(database(request), who, child_id, milestone_id)
    return _back(child_id, "development")


@router.post("/children/{child_id}/workup")
async def workup_set(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    """Where one test of the work-up stands (its date may be ahead: a booked test)."""
    values, _ = await _form(request, who)
    try:
        care.set_workup(database(request), who, child_id, values, gettext=gettext)
    except InvalidCare as exc:
        try:
            test = workup_test(values.get("test", ""))
        except KeyError:
            raise InvalidCase(list(exc.by_field.values())) from None
        item = next(
            w for w in care.summary_for(database(request), who, child_id).workup if w.test == test
        )
        return _again(
            request,
            who,
            child_id,
            exc,
            kind="workup",
            values=values,
            item=item,
        )
    return _back(child_id, f"workup-{values.get('test', '')}")


# ---------------------------------------------------------------- JSON API
def _changing(request: Request, who: Principal) -> None:
    require_user(who)
    check_csrf(request, who, None)


def _api(exc: InvalidCare) -> InvalidCase:
    """The problems as the API names them: by the JSON field."""
    return InvalidCase(
        [
            f"Invalid value for '{field}': {message}" if field != "_form" else message
            for field, message in exc.by_field.items()
        ]
    )


@api_router.get("/children/{child_id}/care")
def get_care(request: Request, child_id: int, who: Principal = Depends(principal)) -> Any:
    """Treatments with their response, milestones with the regression, and the work-up."""
    return care.summary_for(database(request), who, child_id).to_dict()


@api_router.get("/children/{child_id}/treatments")
def list_treatments(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> list[dict[str, Any]]:
    """The child's treatments, newest start first, each with its response so far."""
    summary = care.summary_for(database(request), who, child_id)
    return [line.to_dict() for line in summary.treatments]


@api_router.post("/children/{child_id}/treatments", status_code=201)
def add_treatment(
    request: Request,
    child_id: int,
    body: dict[str, Any] = Body(...),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Record a treatment: ``drug`` and ``start_date`` (YYYY-MM-DD) needed; ``dose``,
    ``route`` (by_mouth, injection, intravenous, other), ``stop_date``, ``prescribed_by``,
    ``note`` optional."""
    _changing(request, who)
    try:
        return care.add_treatment(database(request), who, child_id, body, strict=True).to_dict()
    except InvalidCare as exc:
        raise _api(exc) from None


@api_router.get("/children/{child_id}/treatments/{treatment_id}")
def get_treatment(
    request: Request, child_id: int, treatment_id: int, who: Principal = Depends(principal)
) -> dict[str, Any]:
    """One treatment."""
    return care.get_treatment(database(request), who, child_id, treatment_id)[1].to_dict()


@api_router.put("/children/{child_id}/treatments/{treatment_id}")
def replace_treatment(
    request: Request,
    child_id: int,
    treatment_id: int,
    body: dict[str, Any] = Body(...),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Replace a treatment's fields."""
    _changing(request, who)
    try:
        found = care.edit_treatment(
            database(request), who, child_id, treatment_id, body, strict=True
        )
    except InvalidCare as exc:
        raise _api(exc) from None
    return found.to_dict()


@api_router.delete("/children/{child_id}/treatments/{treatment_id}", status_code=204)
def delete_treatment(
    request: Request, child_id: int, treatment_id: int, who: Principal = Depends(principal)
) -> Response:
    """Delete a treatment."""
    _changing(request, who)
    care.delete_treatment(database(request), who, child_id, treatment_id)
    return Response(status_code=204)


@api_router.get("/children/{child_id}/milestones")
def list_milestones(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> dict[str, Any]:
    """The child's milestones, newest first, and the regression (skills lost now)."""
    summary = care.summary_for(database(request), who, child_id)
    return {
        "milestones": [m.to_dict() for m in summary.milestones],
        "regression": summary.regression.to_dict(),
    }


@api_router.post("/children/{child_id}/milestones", status_code=201)
def add_milestone(
    request: Request,
    child_id: int,
    body: dict[str, Any] = Body(...),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Record a milestone (``skill``, ``status`` achieved or lost, ``on_date``; ``label``
    for skill ``other``; ``note``); returns it with the diary's new triage answer."""
    _changing(request, who)
    try:
        made, triage = care.add_milestone(database(request), who, child_id, body, strict=True)
    except InvalidCare as exc:
        raise _api(exc) from None
    return {**made.to_dict(), "triage": triage}


@api_router.put("/children/{child_id}/milestones/{milestone_id}")
def replace_milestone(
    request: Request,
    child_id: int,
    milestone_id: int,
    body: dict[str, Any] = Body(...),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Replace a milestone's fields; returns it with the diary's new triage answer."""
    _changing(request, who)
    db = database(request)
    try:
        made, triage = care.edit_milestone(db, who, child_id, milestone_id, body, strict=True)
    except InvalidCare as exc:
        raise _api(exc) from None
    return {**made.to_dict(), "triage": triage}


@api_router.delete("/children/{child_id}/milestones/{milestone_id}", status_code=204)
def delete_milestone(
    request: Request, child_id: int, milestone_id: int, who: Principal = Depends(principal)
) -> Response:
    """Delete a milestone."""
    _changing(request, who)
    care.delete_milestone(database(request), who, child_id, milestone_id)
    return Response(status_code=204)


@api_router.get("/children/{child_id}/workup")
def list_workup(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> list[dict[str, Any]]:
    """Every test of the work-up, why, its source and where it stands."""
    summary = care.summary_for(database(request), who, child_id)
    return [item.to_dict() for item in summary.workup]


@api_router.put("/children/{child_id}/workup")
def set_workup(
    request: Request,
    child_id: int,
    body: dict[str, Any] = Body(...),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Where one test stands: ``test``, ``status`` (suggested, booked, done, result_noted),
    ``on_date`` and ``result`` (needed with result_noted)."""
    _changing(request, who)
    try:
        return care.set_workup(database(request), who, child_id, body, strict=True).to_dict()
    except InvalidCare as exc:
        raise _api(exc) from None
