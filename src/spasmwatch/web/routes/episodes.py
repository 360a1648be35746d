"""Logging, editing and deleting episodes, with an optional video."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from spasmwatch.attachments import analyse_attachment, check_sensitivity, mark_running
from spasmwatch.errors import SpasmwatchError
from spasmwatch.store import repo
from spasmwatch.store.files import CHUNK, StoredFile, UploadRejected, store_stream
from spasmwatch.store.models import Attachment, EpisodeRow
from spasmwatch.web.auth import Principal, check_csrf, require_child
from spasmwatch.web.forms import (
    EPISODE_LABELS,
    FUTURE_SLACK,
    details_open,
    draft_values,
    episode_from_form,
    form_values,
    prefill,
)
from spasmwatch.web.render import page
from spasmwatch.web.routes import database, principal
from spasmwatch.web.routes.children import analysis_fragment, attachment_of, current_triage

router = APIRouter(include_in_schema=False)


def _chunks(upload: UploadFile) -> Iterator[bytes]:
    upload.file.seek(0)
    while chunk := upload.file.read(CHUNK):
        yield chunk


def _too_big(request: Request) -> bool:
    limit = request.app.state.settings.max_upload_bytes
    length = request.headers.get("content-length")
    return length is not None and length.isdigit() and int(length) > limit + 1024 * 1024


def store_upload(request: Request, upload: UploadFile) -> StoredFile:
    """Write an uploaded file to the attachment store (checked by size and content)."""
    db = database(request)
    return store_stream(
        _chunks(upload),
        db.attachments_dir,
        request.app.state.settings.max_upload_bytes,
        upload.filename or "upload",
    )


def episode_of(s: Session, child_id: int, episode_id: int) -> EpisodeRow:
    """The child's episode with this id, or 404."""
    row = repo.get_episode(s, child_id, episode_id)
    if row is None:
        raise HTTPException(404, "No such episode")
    return row


def record_attachment(
    s: Session,
    child_id: int,
    episode_id: int | None,
    stored: StoredFile,
    filename: str,
    who: Principal,
) -> Attachment:
    """Record a stored upload in the database (in the caller's transaction)."""
    return repo.add_attachment(
        s,
        child_id=child_id,
        episode_id=episode_id,
        kind=stored.kind,
        filename=filename[:255],
        content_type=stored.content_type,
        size_bytes=stored.size_bytes,
        sha256=stored.sha256,
        uploaded_by=who.user_id,
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
) -> Response:
    latest = datetime.now() + FUTURE_SLACK
    return page(
        request,
        "episode_form.html",
        who,
        status,
        details_open=details_open(errors, evidence),
        child=child,
        values=values,
        errors=errors,
        episode_id=episode_id,
        max_started_at=latest.strftime("%Y-%m-%dT%H:%M"),
        evidence=evidence,
        labels=EPISODE_LABELS,
    )


@router.get("/children/{child_id}/episodes/new")
def episode_new_form(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    with database(request).transaction() as s:
        child, _ = require_child(s, who, child_id, "log")
    # Most episodes are logged just after they happened: start from now, editable; a link
    # from happening-now mode fills in what it measured, for the parent to confirm.
    now = datetime.now().replace(second=0, microsecond=0).isoformat(timespec="minutes")
    return _form_page(request, who, child, {"started_at": now, **prefill(request.query_params)}, {})


@router.post("/children/{child_id}/episodes/words")
async def episode_words(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    """'In your own words': fill the episode form from a description, for confirmation;
    nothing is saved until the form itself is sent."""
    form = await request.form(max_files=0, max_fields=10)
    check_csrf(request, who, str(form.get("csrf_token") or ""))
    with database(request).transaction() as s:
        child, _ = require_child(s, who, child_id, "log")
    text = str(form.get("words") or "")
    values, evidence, problem = draft_values(text)
    now = datetime.now().replace(second=0, microsecond=0).isoformat(timespec="minutes")
    values = {"started_at": now, **values, "words": text}
    errors = {"words": problem} if problem else {}
    return _form_page(
        request, who, child, values, errors, status=422 if problem else 200, evidence=evidence
    )


def start_analysis(
    request: Request, background: BackgroundTasks, attachment_id: int, sensitivity: str = "normal"
) -> None:
    """Analyse an attachment after the response is sent (the page shows progress)."""
    db = database(request)
    mark_running(db, attachment_id)
    background.add_task(analyse_attachment, db, attachment_id, sensitivity=sensitivity)


def reanalyse(
    request: Request,
    background: BackgroundTasks,
    who: Principal,
    child_id: int,
    attachment_id: int,
    sensitivity: Any,
) -> tuple[Attachment, str]:
    """Analyse a stored attachment again at ``sensitivity`` (caregivers and owners);
    the attachment row (now ``running``) and the visitor's role."""
    with database(request).transaction() as s:
        _, role = require_child(s, who, child_id, "log")
        row = attachment_of(s, child_id, attachment_id)
        try:
            sensitivity = check_sensitivity(sensitivity)
        except SpasmwatchError as exc:
            raise HTTPException(422, str(exc)) from None
        if (row.analysis or {}).get("status") == "running":
            raise HTTPException(409, "This file is being analysed already")
        repo.audit(
            s,
            "reanalyse",
            child_id=child_id,
            user_id=who.user_id,
            detail=f"{attachment_id} sensitivity {sensitivity}",
        )
    start_analysis(request, background, attachment_id, sensitivity)
    with database(request).transaction() as s:
        return attachment_of(s, child_id, attachment_id), role


async def _save(
    request: Request,
    child_id: int,
    who: Principal,
    episode_id: int | None,
    background: BackgroundTasks,
) -> Response:
    if _too_big(request):
        limit = request.app.state.settings.max_upload_bytes / 1e6
        raise HTTPException(413, f"The upload is larger than the limit of {limit:.0f} MB")
    form = await request.form(max_files=1, max_fields=300)
    check_csrf(request, who, str(form.get("csrf_token") or ""))
    db = database(request)
    with db.transaction() as s:
        child, _ = require_child(s, who, child_id, "log")
        child_doc = repo.case_dict(child, [])["child"]
        if episode_id is not None:
            episode_of(s, child_id, episode_id)
    data, errors = episode_from_form(form, child_doc)
    upload = form.get("video")
    stored: StoredFile | None = None
    if not errors and isinstance(upload, UploadFile) and upload.filename:
        try:
            stored = store_upload(request, upload)
        except UploadRejected as exc:
            errors["video"] = str(exc)
    if errors:
        if isinstance(upload, UploadFile) and upload.filename and "video" not in errors:
            errors["video"] = "Please choose the video again"
        return _form_page(request, who, child, form_values(form), errors, episode_id, 422)
    with db.transaction() as s:
        if episode_id is None:
            row = repo.add_episode(s, child_id, data, who.user_id)
            action = "log_episode"
        else:
            row = repo.update_episode(s, episode_of(s, child_id, episode_id), data)
            action = "edit_episode"
        attachment = None
        if stored is not None and isinstance(upload, UploadFile):
            attachment = record_attachment(
                s, child_id, row.id, stored, upload.filename or "video", who
            ).id
        repo.audit(s, action, child_id=child_id, user_id=who.user_id, detail=str(row.id))
        current_triage(s, repo.get_child(s, child_id))  # type: ignore[arg-type]
    if attachment is not None:
        start_analysis(request, background, attachment)
    return RedirectResponse(f"/children/{child_id}#triage", status_code=303)


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
    with database(request).transaction() as s:
        child, _ = require_child(s, who, child_id, "log")
        row = episode_of(s, child_id, episode_id)
        values = dict(row.data)
    if values.get("started_at"):
        values["started_at"] = str(values["started_at"])[:16]
    return _form_page(request, who, child, values, {}, episode_id)


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
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    check_csrf(request, who, csrf_token)
    db = database(request)
    with db.transaction() as s:
        child, _ = require_child(s, who, child_id, "log")
        row = episode_of(s, child_id, episode_id)
        hashes = repo.delete_episode(s, row)
        repo.audit(
            s, "delete_episode", child_id=child_id, user_id=who.user_id, detail=str(episode_id)
        )
        current_triage(s, child)
    db.remove_unreferenced(hashes)  # its video, contact sheet and clips
    if request.headers.get("hx-request"):
        return Response("", status_code=200)
    return RedirectResponse(f"/children/{child_id}", status_code=303)


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
    row, role = reanalyse(request, background, who, child_id, attachment_id, sensitivity)
    if request.headers.get("hx-request"):
        return analysis_fragment(request, who, row, f"/children/{child_id}/attachments", role)
    return RedirectResponse(f"/children/{child_id}#analysis-{attachment_id}", status_code=303)
