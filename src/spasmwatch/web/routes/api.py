"""The JSON API under ``/api/v1`` (OpenAPI at ``/api/docs``).

Same authorisation as the pages: the session cookie (with an ``X-CSRF-Token`` header on
changes) or a personal API token (``Authorization: Bearer ...``, from the settings page).
Bodies use the case format; invalid ones get 422 with one message per problem.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Body,
    Depends,
    File,
    Form,
    HTTPException,
    Request,
    UploadFile,
)
from fastapi.responses import JSONResponse, Response
from sqlalchemy.orm import Session

from spasmwatch.case import parse_case
from spasmwatch.errors import InvalidCase
from spasmwatch.store import repo
from spasmwatch.store.files import UploadRejected
from spasmwatch.store.models import Attachment, Child, EpisodeRow
from spasmwatch.web.auth import Principal, check_csrf, require_child, require_user
from spasmwatch.web.forms import FUTURE_SLACK
from spasmwatch.web.routes import database, principal
from spasmwatch.web.routes.children import attachment_download, child_fields, current_triage
from spasmwatch.web.routes.episodes import (
    episode_of,
    reanalyse,
    record_attachment,
    start_analysis,
    store_upload,
)

router = APIRouter(prefix="/api/v1", tags=["api"])


def _invalid(exc: InvalidCase) -> HTTPException:
    return HTTPException(422, exc.problems)


def _child_json(child: Child, role: str) -> dict[str, Any]:
    return {
        "id": child.id,
        "name": child.name,
        "role": role,
        "child": repo.case_dict(child, [])["child"],
    }


def _episode_json(row: EpisodeRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "episode": row.data,
        "logged_by": row.logged_by,
        "logged_at": row.logged_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


def _attachment_json(row: Attachment) -> dict[str, Any]:
    return {
        "id": row.id,
        "episode_id": row.episode_id,
        "kind": row.kind,
        "filename": row.filename,
        "content_type": row.content_type,
        "size_bytes": row.size_bytes,
        "sha256": row.sha256,
        "uploaded_at": row.uploaded_at.isoformat(),
        "analysis": row.analysis,
    }


def _changing(request: Request, who: Principal) -> None:
    require_user(who)
    check_csrf(request, who, None)


def _validated_child(body: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    name = body.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise HTTPException(422, ["Missing or invalid field 'name': 1-100 characters"])
    if re.search(r"[\x00-\x08\x0b-\x1f\x7f]", name):
        raise HTTPException(422, ["Invalid field 'name': it has a control character"])
    extra = set(body) - {"name", "child"}
    if extra:
        raise HTTPException(422, [f"Unknown field '{k}': allowed are name, child" for k in extra])
    try:
        case = parse_case({"child": body.get("child") or {}})
    except InvalidCase as exc:
        raise _invalid(exc) from None
    return name.strip(), case.to_json_dict()["child"]


def _validated_episode(s: Session, child: Child, body: dict[str, Any]) -> dict[str, Any]:
    try:
        case = parse_case({"child": repo.case_dict(child, [])["child"], "episodes": [body]})
    except InvalidCase as exc:
        raise HTTPException(422, [p.replace("'episodes[0].", "'") for p in exc.problems]) from None
    started = case.episodes[0].started_at
    if started is not None and started.tzinfo is None and started > datetime.now() + FUTURE_SLACK:
        raise HTTPException(
            422, [f"Invalid value for 'started_at': {started.isoformat()} is in the future"]
        )
    return case.to_json_dict()["episodes"][0]


@router.get("/children")
def list_children(request: Request, who: Principal = Depends(principal)) -> list[dict[str, Any]]:
    """The children you have a role for."""
    user = require_user(who)
    with database(request).transaction() as s:
        return [_child_json(c, role) for c, role in repo.children_for_user(s, user.id)]


@router.post("/children", status_code=201)
def add_child(
    request: Request, body: dict[str, Any] = Body(...), who: Principal = Depends(principal)
) -> dict[str, Any]:
    """Add a child (``{"name": ..., "child": <case format child>}``); you become its owner."""
    _changing(request, who)
    name, doc = _validated_child(body)
    with database(request).transaction() as s:
        child = repo.create_child(s, who.user_id or 0, name, **child_fields(doc))
        repo.audit(s, "add_child", child_id=child.id, user_id=who.user_id, detail="api")
        return _child_json(child, "owner")


@router.get("/children/{child_id}")
def get_child(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> dict[str, Any]:
    """One child."""
    with database(request).transaction() as s:
        child, role = require_child(s, who, child_id, "view")
        return _child_json(child, role)


@router.put("/children/{child_id}")
def replace_child(
    request: Request,
    child_id: int,
    body: dict[str, Any] = Body(...),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Replace a child's details (owner only)."""
    _changing(request, who)
    name, doc = _validated_child(body)
    with database(request).transaction() as s:
        child, role = require_child(s, who, child_id, "own")
        child.name = name
        for key, value in child_fields(doc).items():
            setattr(child, key, value)
        repo.audit(s, "edit_child", child_id=child_id, user_id=who.user_id, detail="api")
        return _child_json(child, role)


@router.delete("/children/{child_id}", status_code=204)
def delete_child(request: Request, child_id: int, who: Principal = Depends(principal)) -> Response:
    """Delete a child and its diary (owner only)."""
    _changing(request, who)
    db = database(request)
    with db.transaction() as s:
        child, _ = require_child(s, who, child_id, "own")
        hashes = repo.delete_child(s, child)
        repo.audit(s, "delete_child", user_id=who.user_id, detail=f"api, child {child_id}")
    db.remove_unreferenced(hashes)
    return Response(status_code=204)


@router.get("/children/{child_id}/episodes")
def list_episodes(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> list[dict[str, Any]]:
    """The child's episodes, oldest first."""
    with database(request).transaction() as s:
        require_child(s, who, child_id, "view")
        return [_episode_json(e) for e in repo.episodes_for(s, child_id)]


@router.post("/children/{child_id}/episodes", status_code=201)
def add_episode(
    request: Request,
    child_id: int,
    body: dict[str, Any] = Body(...),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Log an episode (case format); returns it with the new triage answer."""
    _changing(request, who)
    with database(request).transaction() as s:
        child, _ = require_child(s, who, child_id, "log")
        row = repo.add_episode(s, child_id, _validated_episode(s, child, body), who.user_id)
        repo.audit(s, "log_episode", child_id=child_id, user_id=who.user_id, detail=f"api {row.id}")
        return {**_episode_json(row), "triage": current_triage(s, child)}


@router.get("/children/{child_id}/episodes/{episode_id}")
def get_episode(
    request: Request, child_id: int, episode_id: int, who: Principal = Depends(principal)
) -> dict[str, Any]:
    """One episode."""
    with database(request).transaction() as s:
        require_child(s, who, child_id, "view")
        return _episode_json(episode_of(s, child_id, episode_id))


@router.put("/children/{child_id}/episodes/{episode_id}")
def replace_episode(
    request: Request,
    child_id: int,
    episode_id: int,
    body: dict[str, Any] = Body(...),
    who: Principal = Depends(principal),
) -> dict[str, Any]:
    """Replace an episode (case format)."""
    _changing(request, who)
    with database(request).transaction() as s:
        child, _ = require_child(s, who, child_id, "log")
        row = episode_of(s, child_id, episode_id)
        repo.update_episode(s, row, _validated_episode(s, child, body))
        repo.audit(
            s, "edit_episode", child_id=child_id, user_id=who.user_id, detail=f"api {row.id}"
        )
        return {**_episode_json(row), "triage": current_triage(s, child)}


@router.delete("/children/{child_id}/episodes/{episode_id}", status_code=204)
def delete_episode(
    request: Request, child_id: int, episode_id: int, who: Principal = Depends(principal)
) -> Response:
    """Delete an episode."""
    _changing(request, who)
    db = database(request)
    with db.transaction() as s:
        child, _ = require_child(s, who, child_id, "log")
        hashes = repo.delete_episode(s, episode_of(s, child_id, episode_id))
        repo.audit(s, "delete_episode", child_id=child_id, user_id=who.user_id, detail="api")
        current_triage(s, child)
    db.remove_unreferenced(hashes)
    return Response(status_code=204)


@router.get("/children/{child_id}/triage")
def get_triage(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> dict[str, Any]:
    """The triage answer for the child's whole diary, now."""
    with database(request).transaction() as s:
        child, _ = require_child(s, who, child_id, "view")
        return current_triage(s, child)


@router.get("/children/{child_id}/case")
def get_case(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> dict[str, Any]:
    """The child's diary as one case-format document."""
    with database(request).transaction() as s:
        child, _ = require_child(s, who, child_id, "view")
        return repo.case_dict(child, repo.episodes_for(s, child_id))


@router.get("/children/{child_id}/attachments")
def list_attachments(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> list[dict[str, Any]]:
    """The child's videos and EEG files."""
    with database(request).transaction() as s:
        require_child(s, who, child_id, "view")
        return [_attachment_json(a) for a in repo.attachments_for(s, child_id)]


@router.post("/children/{child_id}/attachments", status_code=201)
def upload_attachment(
    request: Request,
    child_id: int,
    background: BackgroundTasks,
    file: UploadFile = File(...),
    episode_id: int | None = Form(None),
    who: Principal = Depends(principal),
) -> JSONResponse:
    """Upload a video or an EEG file (checked by content; size-limited)."""
    _changing(request, who)
    with database(request).transaction() as s:
        require_child(s, who, child_id, "log")
        if episode_id is not None:
            episode_of(s, child_id, episode_id)
    try:
        stored = store_upload(request, file)
    except UploadRejected as exc:
        status = 413 if "larger than" in str(exc) else 422
        raise HTTPException(status, [str(exc)]) from None
    with database(request).transaction() as s:
        row = record_attachment(s, child_id, episode_id, stored, file.filename or "upload", who)
        repo.audit(s, "upload", child_id=child_id, user_id=who.user_id, detail=str(row.id))
        body = _attachment_json(row)
    start_analysis(request, background, row.id)
    return JSONResponse({**body, "analysis": {"status": "running"}}, status_code=201)


@router.post("/children/{child_id}/attachments/{attachment_id}/analysis", status_code=202)
def reanalyse_attachment(
    request: Request,
    child_id: int,
    attachment_id: int,
    background: BackgroundTasks,
    body: dict[str, Any] = Body(default_factory=dict),
    who: Principal = Depends(principal),
) -> JSONResponse:
    """Analyse a video or EEG file again (``{"sensitivity": "low" | "normal" | "high"}``,
    default ``normal``: the detector's sensitivity); caregivers and owners."""
    _changing(request, who)
    extra = set(body) - {"sensitivity"}
    if extra:
        raise HTTPException(422, [f"Unknown field '{k}': allowed is sensitivity" for k in extra])
    try:
        row, _ = reanalyse(
            request, background, who, child_id, attachment_id, body.get("sensitivity", "normal")
        )
    except HTTPException as exc:
        if exc.status_code not in (409, 422):
            raise
        raise HTTPException(exc.status_code, [exc.detail]) from None  # the API lists problems
    return JSONResponse(_attachment_json(row), status_code=202)


@router.get("/children/{child_id}/attachments/{attachment_id}")
def download_attachment(
    request: Request, child_id: int, attachment_id: int, who: Principal = Depends(principal)
) -> Response:
    """Download an attachment."""
    return attachment_download(request, child_id, attachment_id, who)
