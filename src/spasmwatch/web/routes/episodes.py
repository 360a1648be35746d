"""Logging, editing and deleting episodes, with an optional video."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from spasmwatch.diary import children, episodes, recordings
from spasmwatch.diary.recordings import Upload
from spasmwatch.errors import Conflict, NotFound
from spasmwatch.i18n import N_
from spasmwatch.store.files import StoredFile, UploadRejected
from spasmwatch.web.auth import Principal, check_csrf
from spasmwatch.web.clock import page_minute
from spasmwatch.web.forms import (
    EPISODE_LABELS,
    details_open,
    draft_values,
    episode_from_form,
    form_now,
    form_values,
    prefill,
    start_limits,
)
from spasmwatch.web.i18n import gettext, locale_of
from spasmwatch.web.notices import say_saved
from spasmwatch.web.problems import upload_problem
from spasmwatch.web.render import page
from spasmwatch.web.routes import answer_url, database, jobs_queued, principal
from spasmwatch.web.views import analysis_fragment, store_upload

router = APIRouter(include_in_schema=False)

#: An edit sent for an episode deleted since its form was opened.
EPISODE_GONE = N_(
    "This episode was deleted after you opened it, so nothing was saved; what you entered "
    "is still here: save it to log it as a new episode"
)


def _form_page(
    request: Request,
    who: Principal,
    child: Any,
    values: dict[str, Any],
    errors: dict[str, str],
    episode_id: int | None = None,
    status: int = 200,
    evidence: dict[str, list[str]] | None = None,
    version: str | None = None,
    started_now: bool = False,
) -> Response:
    """The episode form; ``started_now``: its start was filled in with the server's clock,
    which the page puts right with the phone's (``static/forms.js``)."""
    return page(
        request,
        "episode_form.html",
        who,
        status,
        details_open=details_open(errors, evidence, values),
        child=child,
        values=values,
        errors=errors,
        episode_id=episode_id,
        started_now=started_now,
        evidence=evidence,
        labels=EPISODE_LABELS,
        version=version,
        **start_limits(),
    )


@router.get("/children/{child_id}/episodes/new")
def episode_new_form(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    child, _ = children.get(database(request), who, child_id, "log")
    # Most episodes are logged just after they happened: start from now, editable; a link
    # from happening-now mode fills in what it measured, for the parent to confirm.
    now = page_minute()
    filled = prefill(request.query_params)
    values = {"started_at": now, **filled}
    return _form_page(request, who, child, values, {}, started_now="started_at" not in filled)


@router.post("/children/{child_id}/episodes/words")
async def episode_words(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    """'In your own words': fill the episode form from a description, for confirmation;
    nothing is saved until the form itself is sent."""
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, who, str(form.get("csrf_token") or ""))
    child, _ = children.get(database(request), who, child_id, "log")
    text = str(form.get("words") or "")
    drafted, evidence, problem = draft_values(text, locale_of(request))
    # the diary knows the child's age: this form does not ask it
    drafted.pop("age_months", None)
    evidence.pop("age_months", None)
    now = page_minute()
    values = {"started_at": now, **drafted, "words": text}
    errors = {"words": problem} if problem else {}
    return _form_page(
        request,
        who,
        child,
        values,
        errors,
        status=422 if problem else 200,
        evidence=evidence,
        started_now="started_at" not in drafted,
    )


async def _save(
    request: Request,
    child_id: int,
    who: Principal,
    episode_id: int | None,
    background: BackgroundTasks,
) -> Response:
    form = await request.form(max_files=1, max_fields=300)
    check_csrf(request, who, str(form.get("csrf_token") or ""))
    db = database(request)
    child, _ = children.get(db, who, child_id, "log")
    edited = str(form.get("version") or "") or None
    if episode_id is not None:
        try:
            episodes.get(db, who, child_id, episode_id, "log")
        except NotFound:
            if edited is None:
                raise
            # deleted while this form was open: what was entered is offered as a new episode
            gone = {"_form": gettext(EPISODE_GONE)}
            return _form_page(request, who, child, form_values(form), gone, None, 409)
    child_doc = children.child_document(child)
    now = form_now(form)  # the family's time: the phone's clock when it sent it
    data, errors = episode_from_form(form, child_doc, now)
    upload = form.get("video")
    stored: StoredFile | None = None
    if not errors and isinstance(upload, UploadFile) and upload.filename:
        try:
            stored = store_upload(request, upload)
        except UploadRejected as exc:  # said in the page's language (the API's: in English)
            errors["video"] = upload_problem(str(exc)).text
    if errors:
        if isinstance(upload, UploadFile) and upload.filename and "video" not in errors:
            errors["video"] = gettext("Please choose the video again")
        return _form_page(
            request, who, child, form_values(form), errors, episode_id, 422, version=edited
        )
    attached = None
    if stored is not None and isinstance(upload, UploadFile):
        attached = Upload(stored, upload.filename or "video")
    try:
        saved = episodes.log(
            db,
            who,
            child_id,
            data,
            upload=attached,
            episode_id=episode_id,
            edited_version=edited,
            now=now,
        )
    except Conflict:
        # saved by someone else meanwhile: nothing is stored; sending this form again
        # replaces their version knowingly
        assert episode_id is not None
        now = episodes.version_of(episodes.get(db, who, child_id, episode_id, "log")[1])
        problem = {"_form": gettext(episodes.CHANGED_MEANWHILE)}
        if stored is not None:  # kept for nothing: no recording was made of it
            db.remove_unreferenced([stored.sha256])
            problem["video"] = gettext("Please choose the video again")
        return _form_page(
            request, who, child, form_values(form), problem, episode_id, 409, version=now
        )
    if saved.attachment_id is not None:
        jobs_queued(request, background)
    response = RedirectResponse(answer_url(child_id), status_code=303)
    # the child's page says so, once, under the child's name
    say_saved(request, response, child_id, "new" if episode_id is None else "edited")
    return response


@router.post("/children/{child_id}/episodes/new")
async def episode_new(
    request: Request,
    child_id: int,
    background: BackgroundTasks,
    who: Principal = Depends(principal),
) -> Response:
    return await _save(request, child_id, who, None, background)


@router.get("/children/{child_id}/episodes/{episode_id}/edit")
def episode_edit_form(
    request: Request, child_id: int, episode_id: int, who: Principal = Depends(principal)
) -> Response:
    child, row = episodes.get(database(request), who, child_id, episode_id, "log")
    values = dict(row.data)
    if values.get("started_at"):
        values["started_at"] = str(values["started_at"])[:16]
    return _form_page(request, who, child, values, {}, episode_id, version=episodes.version_of(row))


@router.post("/children/{child_id}/episodes/{episode_id}/edit")
async def episode_edit(
    request: Request,
    child_id: int,
    episode_id: int,
    background: BackgroundTasks,
    who: Principal = Depends(principal),
) -> Response:
    return await _save(request, child_id, who, episode_id, background)


@router.post("/children/{child_id}/episodes/{episode_id}/delete")
def episode_delete(
    request: Request,
    child_id: int,
    episode_id: int,
    confirm: str = Form(""),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """Delete an episode and its files (with the box ticked)."""
    check_csrf(request, who, csrf_token)
    db = database(request)
    episodes.delete(db, who, child_id, episode_id, confirmed=confirm == "yes")
    return _deleted(request, f"/children/{child_id}")


@router.post("/children/{child_id}/attachments/{attachment_id}/delete")
def attachment_delete(
    request: Request,
    child_id: int,
    attachment_id: int,
    confirm: str = Form(""),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """Delete a recording (a wrong or damaged upload), with its analyses (with the box
    ticked)."""
    check_csrf(request, who, csrf_token)
    db = database(request)
    recordings.delete(db, who, child_id, attachment_id, confirmed=confirm == "yes")
    return _deleted(request, f"/children/{child_id}#recordings")


#: What an htmx request is answered after a deletion: the page is loaded again, where it
#: was, as after logging an episode (a redirect to the child's page). Removing the card
#: alone left the answer, the counts and the chart as they were before it (an answer made
#: of the deleted episode), and a recording's alert beside the answer, until a reload.
RELOAD_THE_PAGE = {"HX-Refresh": "true"}


def _deleted(request: Request, back: str) -> Response:
    """After a deletion: for htmx, the page loaded again (:data:`RELOAD_THE_PAGE`), as the
    answer and the counts change with it; else the page it was on."""
    if request.headers.get("hx-request"):
        return Response("", status_code=200, headers=RELOAD_THE_PAGE)
    return RedirectResponse(back, status_code=303)


@router.post("/children/{child_id}/attachments/{attachment_id}/analysis")
def attachment_reanalyse(
    request: Request,
    child_id: int,
    attachment_id: int,
    background: BackgroundTasks,
    csrf_token: str = Form(""),
    sensitivity: str = Form("normal"),
    who: Principal = Depends(principal),
) -> Response:
    """Analyse a video or EEG file again, at another detector sensitivity."""
    check_csrf(request, who, csrf_token)
    db = database(request)
    row, role = recordings.analyse(db, who, child_id, attachment_id, sensitivity)
    jobs_queued(request, background)
    if request.headers.get("hx-request"):
        waiting = recordings.AnalysisState(row, None, role)
        return analysis_fragment(request, who, waiting, f"/children/{child_id}/attachments")
    return RedirectResponse(f"/children/{child_id}#analysis-{attachment_id}", status_code=303)
