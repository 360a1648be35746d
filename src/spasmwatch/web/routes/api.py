"""The JSON API under ``/api/v1`` (OpenAPI at ``/api/docs``; a guide in ``docs/api.md``).

Same authorisation as the pages: the session cookie (with an ``X-CSRF-Token`` header on
changes) or a personal API token (``Authorization: Bearer ...``, from the settings page).
Bodies use the case format; invalid ones get 422 with one message per problem, each
naming the field as the caller wrote it (a body that is no JSON object is said so, with
where the JSON breaks, rather than in the web framework's words:
:class:`~spasmwatch.web.api_route.ApiRoute`).

Times the server keeps (``logged_at``, ``uploaded_at``, an analysis's ``analysed_at``) are
answered as UTC with their offset (``2026-12-06T19:15:00+00:00``), as the job queue's
``queued_at`` and ``started_at`` are; an episode's ``started_at`` is the family's
wall-clock time as it was logged (with ``utc_offset_minutes`` when known).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Body,
    Depends,
    File,
    Form,
    Header,
    HTTPException,
    Request,
    UploadFile,
)
from fastapi.responses import JSONResponse, Response

from spasmwatch.case import parse_case
from spasmwatch.diary import children, episodes, overview, queued, recordings
from spasmwatch.diary.recordings import Upload
from spasmwatch.errors import InvalidCase, NotFound
from spasmwatch.store import repo
from spasmwatch.store.files import UploadRejected
from spasmwatch.store.models import Attachment, Child, EpisodeRow
from spasmwatch.web.api_route import ApiRoute
from spasmwatch.web.auth import Principal, check_csrf, require_user
from spasmwatch.web.routes import database, jobs_queued, principal
from spasmwatch.web.threads import slow
from spasmwatch.web.views import attachment_file, store_upload

router = APIRouter(prefix="/api/v1", tags=["api"], route_class=ApiRoute)


def _invalid(exc: InvalidCase) -> HTTPException:
    return HTTPException(422, exc.problems)


def _child_json(child: Child, role: str) -> dict[str, Any]:
    return {
        "id": child.id,
        "name": child.name,
        "role": role,
        "child": repo.child_document(child),
    }


def utc_iso(when: datetime) -> str:
    """A time the server kept, as UTC with its offset. The tables keep the server's local
    time without a zone (:func:`spasmwatch.store.clock.now`), the job queue UTC with one:
    said alike, a script can compare them, and they mean the same instant wherever the
    server runs. A naive time is read as the server's local time (stored data unchanged)."""
    return when.astimezone(UTC).isoformat()


def _utc_text(value: Any) -> Any:
    """An ISO time kept in an analysis's JSON, as :func:`utc_iso` says it (anything else,
    or a text that is no time, as it is)."""
    if not isinstance(value, str):
        return value
    try:
        return utc_iso(datetime.fromisoformat(value))
    except ValueError:
        return value


#: The times an analysis's marker keeps (``analysed_at``: the server's local time;
#: ``queued_at``, ``started_at``: UTC, from the job queue).
_ANALYSIS_TIMES = ("analysed_at", "queued_at", "started_at")


def _analysis_json(analysis: dict[str, Any] | None) -> dict[str, Any] | None:
    """An attachment's analysis with its times in UTC (:func:`utc_iso`), the earlier
    finished analysis (``previous``) and the failure beside it (``last_failure``) too;
    the analyser's result is its own document and is left as it is."""
    if not isinstance(analysis, dict):
        return analysis
    said = {k: _utc_text(v) if k in _ANALYSIS_TIMES else v for k, v in analysis.items()}
    for part in ("previous", "last_failure"):
        if isinstance(said.get(part), dict):
            said[part] = _analysis_json(said[part])
    return said


def _episode_json(row: EpisodeRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "episode": row.data,
        "logged_by": row.logged_by,
        "logged_at": utc_iso(row.logged_at),
        "updated_at": utc_iso(row.updated_at),
        "version": episodes.version_of(row),
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
        "uploaded_at": utc_iso(row.uploaded_at),
        "analysis": _analysis_json(row.analysis),
    }


#: ``Idempotency-Key``: a key the caller makes for each new episode and sends again with
#: every retry of it (:func:`add_episode`; kept per account and child:
#: :func:`~spasmwatch.diary.queued.api_key`).
IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    description="A key you make for this episode (16-64 letters, digits, '-' or '_'; a "
    "UUID will do) and send again with every retry of it: the episode is stored once, and "
    "a repeat with the same episode answers 200 with the episode stored the first time; "
    "the same key with another episode answers 422. Your keys are your own: another "
    "account's never meet them.",
)


def _single_episode(exc: InvalidCase) -> InvalidCase:
    """The problems of one episode sent alone, each naming its field as the caller wrote
    it (``started_at``, not ``episodes[0].started_at``), and a field sent as null said once
    (as missing, with what it takes) rather than also as "a valid list; got None"."""
    problems = [re.sub(r"(^|')episodes\[0\]\.", r"\1", p) for p in exc.problems]
    missing = {m.group(1) for p in problems if (m := re.match(r"Missing value for '([^']+)'", p))}
    kept = [
        p
        for p in problems
        if not (
            (m := re.match(r"Invalid value for '([^']+)': .*; got None$", p))
            and m.group(1) in missing
        )
    ]
    return InvalidCase(kept)


#: The caller's own wall-clock time (naive ISO, as its clock shows it), for "in the
#: future": the diary keeps the family's wall-clock times, and the server may run in
#: another time zone. Believed within 14 hours of the server's clock
#: (:func:`~spasmwatch.diary.episodes.family_now`).
LOCAL_TIME = Header(
    None,
    alias="X-Local-Time",
    description="Your device's wall-clock time now, e.g. 2026-12-06T20:15 (no offset): "
    "a start time is 'in the future' only after it. Without it, the server's clock.",
)


def _local_now(raw: str | None) -> datetime | None:
    """The family's time now from an ``X-Local-Time`` header (``None`` when not sent)."""
    if raw is None:
        return None
    try:
        when = datetime.fromisoformat(raw.strip()[:40])
    except ValueError:
        when = None
    if when is None or when.tzinfo is not None:
        raise HTTPException(
            422,
            [
                "Invalid value for header 'X-Local-Time': a wall-clock time without an "
                f"offset, like 2026-12-06T20:15; got {raw[:40]!r}"
            ],
        )
    return episodes.family_now(when)


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


@router.get("/children")
def list_children(request: Request, who: Principal = Depends(principal)) -> list[dict[str, Any]]:
    """The children you have a role for."""
    require_user(who)
    return [_child_json(i.child, i.role) for i in children.list_for(database(request), who)]


@router.post("/children", status_code=201)
def add_child(
    request: Request, body: dict[str, Any] = Body(...), who: Principal = Depends(principal)
) -> dict[str, Any]:
    """Add a child (``{"name": ..., "child": <case format child>}``); you become its owner."""
    _changing(request, who)
    name, doc = _validated_child(body)
    child, _ = children.add(database(request), who, name, doc, detail="api")
    return _child_json(child, "owner")


@router.get("/children/{child_id}")
def get_child(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> dict[str, Any]:
    """One child."""
    child, role = children.get(database(request), who, child_id)
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
    child, role = children.edit(database(request), who, child_id, name, doc, detail="api")
    return _child_json(child, role)


@router.delete("/children/{child_id}", status_code=204)
def delete_child(request: Request, child_id: int, who: Principal = Depends(principal)) -> Response:
    """Delete a child and its diary (owner only)."""
    _changing(request, who)
    children.delete(database(request), who, child_id, detail="api, ")
    return Response(status_code=204)


@router.get("/children/{child_id}/episodes")
def list_episodes(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> list[dict[str, Any]]:
    """The child's episodes, oldest first."""
    return [_episode_json(e) for e in episodes.list_for(database(request), who, child_id)]


@router.post(
    "/children/{child_id}/episodes",
    status_code=201,
    responses={
        200: {"description": "Sent before with this Idempotency-Key: the episode stored then"},
    },
)
def add_episode(
    request: Request,
    child_id: int,
    body: dict[str, Any] = Body(...),
    who: Principal = Depends(principal),
    local_time: str | None = LOCAL_TIME,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
) -> Any:
    """Log an episode (case format); returns it with the new triage answer (201). With an
    ``Idempotency-Key``: sent again with the same key and the same episode (a retry after
    a lost answer), the episode is not stored twice; the answer is the one stored the
    first time, with the diary's triage now (200). The same key with another episode is
    refused (422: :func:`~spasmwatch.diary.queued.log_keyed`). A key is kept for your
    account and this child: another account's same key is another key."""
    _changing(request, who)
    now = _local_now(local_time)
    db = database(request)
    if idempotency_key is None:
        try:
            saved = episodes.log(db, who, child_id, body, detail="api ", now=now)
        except InvalidCase as exc:
            raise _single_episode(exc) from None
        return {**_episode_json(saved.episode), "triage": saved.triage}
    key = idempotency_key.strip()
    if not queued.KEY_PATTERN.match(key):
        raise HTTPException(400, "Idempotency-Key: 16-64 letters, digits, '-' or '_'")
    try:
        sent = queued.log_keyed(db, who, child_id, body, key, now)
    except InvalidCase as exc:
        raise _single_episode(exc) from None
    _, row = episodes.get(db, who, child_id, sent.episode_id)
    answer = {**_episode_json(row), "triage": overview.triage_of(db, who, child_id)}
    return JSONResponse(answer, status_code=200 if sent.replayed else 201)


@router.get("/children/{child_id}/episodes/{episode_id}")
def get_episode(
    request: Request, child_id: int, episode_id: int, who: Principal = Depends(principal)
) -> dict[str, Any]:
    """One episode."""
    return _episode_json(episodes.get(database(request), who, child_id, episode_id)[1])


@router.put("/children/{child_id}/episodes/{episode_id}")
def replace_episode(
    request: Request,
    child_id: int,
    episode_id: int,
    body: dict[str, Any] = Body(...),
    who: Principal = Depends(principal),
    local_time: str | None = LOCAL_TIME,
) -> dict[str, Any]:
    """Replace an episode (case format). With ``If-Match: <version>`` (the ``version`` of
    the episode as read), 409 and nothing saved when someone has changed it since."""
    _changing(request, who)
    now = _local_now(local_time)
    expected = (request.headers.get("if-match") or "").strip().strip('"') or None
    try:
        saved = episodes.log(
            database(request),
            who,
            child_id,
            body,
            detail="api ",
            episode_id=episode_id,
            edited_version=None if expected == "*" else expected,
            now=now,
        )
    except InvalidCase as exc:
        raise _single_episode(exc) from None
    return {**_episode_json(saved.episode), "triage": saved.triage}


@router.delete("/children/{child_id}/episodes/{episode_id}", status_code=204)
def delete_episode(
    request: Request, child_id: int, episode_id: int, who: Principal = Depends(principal)
) -> Response:
    """Delete an episode."""
    _changing(request, who)
    episodes.delete(database(request), who, child_id, episode_id, detail="api")
    return Response(status_code=204)


@router.get("/children/{child_id}/triage")
def get_triage(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> dict[str, Any]:
    """The triage answer for the child's whole diary, now."""
    return overview.triage_of(database(request), who, child_id)


@router.get("/children/{child_id}/case")
def get_case(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> dict[str, Any]:
    """The child's diary as one case-format document."""
    child, _ = children.get(database(request), who, child_id)
    return repo.case_dict(child, episodes.list_for(database(request), who, child_id))


@router.get("/children/{child_id}/attachments")
def list_attachments(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> list[dict[str, Any]]:
    """The child's videos and EEG files."""
    return [_attachment_json(a) for a in recordings.list_for(database(request), who, child_id)]


@router.post("/children/{child_id}/attachments", status_code=201)
@slow
def upload_attachment(
    request: Request,
    child_id: int,
    background: BackgroundTasks,
    file: UploadFile = File(...),
    episode_id: int | None = Form(None),
    who: Principal = Depends(principal),
) -> JSONResponse:
    """Upload a video or an EEG file (checked by content; size-limited), of the child or
    of one of its episodes (``episode_id``). Its analysis is queued: poll
    ``GET .../attachments/{attachment_id}/analysis`` until ``analysis.status`` is ``done``
    or ``failed``."""
    _changing(request, who)
    db = database(request)
    children.get(db, who, child_id, "log")
    if episode_id is not None:
        try:
            episodes.get(db, who, child_id, episode_id, "log")
        except NotFound:
            # the child is found (above): what is wrong is a field of the form
            raise HTTPException(
                422,
                [
                    f"Invalid value for 'episode_id': this child's diary has no episode "
                    f"{episode_id} (GET /api/v1/children/{child_id}/episodes lists them)"
                ],
            ) from None
    try:
        stored = store_upload(request, file)
    except UploadRejected as exc:
        status = 413 if "larger than" in str(exc) else 422
        raise HTTPException(status, [str(exc)]) from None
    row = recordings.attach(
        db, who, child_id, Upload(stored, file.filename or "upload"), episode_id
    )
    jobs_queued(request, background)
    return JSONResponse(_attachment_json(row), status_code=201)


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
    row, _ = recordings.analyse(
        database(request), who, child_id, attachment_id, body.get("sensitivity", "normal")
    )
    jobs_queued(request, background)
    return JSONResponse(_attachment_json(row), status_code=202)


@router.get("/children/{child_id}/attachments/{attachment_id}/analysis")
def attachment_status(
    request: Request, child_id: int, attachment_id: int, who: Principal = Depends(principal)
) -> dict[str, Any]:
    """One video or EEG file as the list gives it, without its content: poll it while its
    analysis waits or runs (``analysis.status``: ``queued``, ``running``, then ``done`` or
    ``failed``). The same address as the ``POST`` that asks for another analysis, which
    answers the same object."""
    found = recordings.analysis_of(database(request), who, child_id, attachment_id)
    return _attachment_json(found.attachment)


@router.delete("/children/{child_id}/attachments/{attachment_id}", status_code=204)
def delete_attachment(
    request: Request, child_id: int, attachment_id: int, who: Principal = Depends(principal)
) -> Response:
    """Delete a video or an EEG file with its analyses (caregivers and owners)."""
    _changing(request, who)
    recordings.delete(database(request), who, child_id, attachment_id)
    return Response(status_code=204)


@router.get("/children/{child_id}/attachments/{attachment_id}")
def download_attachment(
    request: Request, child_id: int, attachment_id: int, who: Principal = Depends(principal)
) -> Response:
    """Download an attachment (HTTP Range requests answered)."""
    return attachment_file(request, who, child_id, attachment_id)
