"""Children: the list, adding and editing a child, the child page, sharing, members,
attachments."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from spasmwatch.attachments import IMAGE_FILES
from spasmwatch.case import parse_case
from spasmwatch.errors import InvalidCase
from spasmwatch.store import Database, repo
from spasmwatch.store.files import stored_path
from spasmwatch.store.models import Attachment, Child
from spasmwatch.triage import triage
from spasmwatch.web.auth import (
    Principal,
    check_csrf,
    hash_token,
    new_token,
    require_child,
    require_user,
)
from spasmwatch.web.forms import child_from_form
from spasmwatch.web.pending import clear_pending, read_pending
from spasmwatch.web.render import day_chart_svg, page
from spasmwatch.web.routes import database, principal
from spasmwatch.web.routes.accounts import CONTROL, CONTROL_MESSAGE, EMAIL

router = APIRouter(include_in_schema=False)

SHARE_DAYS = (1, 7, 30)


def child_fields(child_doc: dict[str, Any]) -> dict[str, Any]:
    """Model fields from the case format's child."""
    birth = child_doc.get("birth_date")
    return {
        "birth_date": date.fromisoformat(birth) if birth else None,
        "age_months": child_doc.get("age_months"),
        "born_weeks": child_doc.get("born_weeks"),
        "conditions": child_doc.get("conditions", []),
        "development": child_doc.get("development", "unknown"),
    }


def current_triage(s: Session, child: Child) -> dict[str, Any]:
    """Triage the child's whole diary now, and store the answer when it changed."""
    case = repo.case_dict(child, repo.episodes_for(s, child.id))
    result = triage(case).to_dict()
    last = repo.latest_triage(s, child.id)
    if last is None or last.result != result:
        repo.save_triage(s, child.id, result)
    return result


#: Episodes shown in the timeline before "show all" (the triage and chart use every one).
TIMELINE_LIMIT = 50


def child_view(s: Session, child: Child, show_all: bool = False) -> dict[str, Any]:
    """What the child page and the share page show."""
    rows = repo.episodes_for(s, child.id)
    attachments = repo.attachments_for(s, child.id)
    by_episode: dict[int | None, list[Any]] = {}
    for a in attachments:
        by_episode.setdefault(a.episode_id, []).append(a)
    episodes = [e.data for e in rows]
    return {
        "child": child,
        "case": repo.case_dict(child, rows),
        "result": current_triage(s, child),
        "rows": list(reversed(rows))[: None if show_all else TIMELINE_LIMIT],
        "hidden": 0 if show_all else max(0, len(rows) - TIMELINE_LIMIT),
        "attachments": by_episode,
        "chart": day_chart_svg(episodes, date.today()),
    }


@router.get("/children")
def children_list(request: Request, who: Principal = Depends(principal)) -> Response:
    user = require_user(who)
    with database(request).transaction() as s:
        items = []
        for child, role in repo.children_for_user(s, user.id):
            last = repo.latest_triage(s, child.id)
            items.append((child, role, last.level if last else None))
    return page(request, "children.html", who, items=items)


@router.get("/children/new")
def child_new_form(request: Request, who: Principal = Depends(principal)) -> Response:
    require_user(who)
    kept = read_pending(request)
    values: dict[str, Any] = {}
    if kept is not None:
        # The kept check's age, conditions and development start the child's details.
        values = {k: v for k, v in kept["child"].items() if k != "birth_date"}
    return page(request, "child_form.html", who, values=values, errors={}, child=None, kept=kept)


def _add_kept_check(s: Session, request: Request, child: Child, user_id: int) -> bool:
    """Add the kept anonymous check's episodes to a new child; False if there is none or it
    does not fit the child (e.g. before a birth date given since)."""
    kept = read_pending(request)
    if kept is None:
        return False
    doc = repo.case_dict(child, [])["child"]
    try:
        case = parse_case({"child": doc, "episodes": kept.get("episodes", [])})
    except InvalidCase:
        return False
    for episode in case.to_json_dict().get("episodes", []):
        row = repo.add_episode(s, child.id, episode, user_id)
        repo.audit(s, "log_episode", child_id=child.id, user_id=user_id, detail=f"check {row.id}")
    current_triage(s, child)
    return True


@router.post("/children/new")
async def child_new(request: Request, who: Principal = Depends(principal)) -> Response:
    user = require_user(who)
    form = await request.form()
    check_csrf(request, who, str(form.get("csrf_token") or ""))
    name, doc, errors = child_from_form(form)
    if errors:
        values = {k: form.getlist(k) if k == "conditions" else form.get(k) for k in form}
        return page(request, "child_form.html", who, 422, values=values, errors=errors, child=None)
    with database(request).transaction() as s:
        child = repo.create_child(s, user.id, name, **child_fields(doc))
        repo.audit(s, "add_child", child_id=child.id, user_id=user.id)
        child_id = child.id
        kept = _add_kept_check(s, request, child, user.id)
    response = RedirectResponse(f"/children/{child_id}", status_code=303)
    if kept:
        clear_pending(response)
    return response


@router.get("/children/{child_id}")
def child_page(request: Request, child_id: int, who: Principal = Depends(principal)) -> Response:
    with database(request).transaction() as s:
        child, role = require_child(s, who, child_id, "view")
        view = child_view(s, child, show_all=request.query_params.get("all") == "1")
        links = repo.share_links_for(s, child_id) if role == "owner" else []
        people = repo.members(s, child_id) if role == "owner" else []
        invited = repo.invitations_for(s, child_id) if role == "owner" else []
        log = repo.audit_for(s, child_id, 15) if role == "owner" else []
        repo.audit(s, "view_child", child_id=child_id, user_id=who.user_id)
    shared = request.query_params.get("shared")
    return page(
        request,
        "child.html",
        who,
        role=role,
        links=links,
        people=people,
        invited=invited,
        log=log,
        share_days=SHARE_DAYS,
        new_link=shared,
        now=datetime.now(),
        **view,
    )


@router.get("/children/{child_id}/edit")
def child_edit_form(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    with database(request).transaction() as s:
        child, _ = require_child(s, who, child_id, "own")
        values = {
            "name": child.name,
            "birth_date": child.birth_date.isoformat() if child.birth_date else "",
            "age_months": "" if child.age_months is None else child.age_months,
            "born_weeks": "" if child.born_weeks is None else child.born_weeks,
            "conditions": child.conditions,
            "development": child.development,
        }
    return page(request, "child_form.html", who, values=values, errors={}, child=child)


@router.post("/children/{child_id}/edit")
async def child_edit(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    form = await request.form()
    check_csrf(request, who, str(form.get("csrf_token") or ""))
    name, doc, errors = child_from_form(form)
    with database(request).transaction() as s:
        child, _ = require_child(s, who, child_id, "own")
        if errors:
            values = {k: form.getlist(k) if k == "conditions" else form.get(k) for k in form}
            return page(
                request, "child_form.html", who, 422, values=values, errors=errors, child=child
            )
        child.name = name
        for key, value in child_fields(doc).items():
            setattr(child, key, value)
        child.age_recorded_on = date.today()
        repo.audit(s, "edit_child", child_id=child_id, user_id=who.user_id)
    return RedirectResponse(f"/children/{child_id}", status_code=303)


@router.post("/children/{child_id}/delete")
def child_delete(
    request: Request, child_id: int, csrf_token: str = Form(""), who: Principal = Depends(principal)
) -> Response:
    check_csrf(request, who, csrf_token)
    db = database(request)
    with db.transaction() as s:
        child, _ = require_child(s, who, child_id, "own")
        hashes = repo.delete_child(s, child)
        repo.audit(s, "delete_child", user_id=who.user_id, detail=f"child {child_id}")
    db.remove_unreferenced(hashes)  # its videos, EEG files, contact sheets and clips
    return RedirectResponse("/children", status_code=303)


@router.post("/children/{child_id}/share")
def share_create(
    request: Request,
    child_id: int,
    label: str = Form(""),
    days: int = Form(7),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    check_csrf(request, who, csrf_token)
    if days not in SHARE_DAYS:
        raise HTTPException(422, f"Invalid value for 'days': allowed are {SHARE_DAYS}")
    if CONTROL.search(label):
        raise HTTPException(422, f"Invalid value for 'label': it {CONTROL_MESSAGE}")
    token = new_token()
    with database(request).transaction() as s:
        require_child(s, who, child_id, "own")
        link = repo.create_share_link(
            s,
            child_id,
            hash_token(token),
            label[:100],
            who.user_id or 0,
            datetime.now() + timedelta(days=days),
        )
        repo.audit(
            s,
            "share",
            child_id=child_id,
            user_id=who.user_id,
            share_link_id=link.id,
            detail=f"{days} days",
        )
    return RedirectResponse(f"/children/{child_id}?shared={token}#sharing", status_code=303)


@router.post("/children/{child_id}/share/{link_id}/revoke")
def share_revoke(
    request: Request,
    child_id: int,
    link_id: int,
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    check_csrf(request, who, csrf_token)
    with database(request).transaction() as s:
        require_child(s, who, child_id, "own")
        link = repo.get_share_link(s, child_id, link_id)
        if link is None:
            raise HTTPException(404, "No such link")
        link.revoked_at = datetime.now()
        repo.audit(s, "revoke_share", child_id=child_id, user_id=who.user_id, share_link_id=link_id)
    return RedirectResponse(f"/children/{child_id}#sharing", status_code=303)


@router.post("/children/{child_id}/members")
def member_add(
    request: Request,
    child_id: int,
    email: str = Form(""),
    role: str = Form("caregiver"),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """Give a role to whoever uses ``email``: the answer is the same whether or not an
    account uses it yet (the role is taken up when it signs in)."""
    check_csrf(request, who, csrf_token)
    if role not in ("caregiver", "viewer"):
        raise HTTPException(422, "Invalid value for 'role': allowed are caregiver, viewer")
    email = email.strip().lower()
    if not EMAIL.match(email):
        raise HTTPException(422, f"Invalid value for 'email': not an email address: {email!r}")
    with database(request).transaction() as s:
        require_child(s, who, child_id, "own")
        user = require_user(who)
        if email == user.email:
            raise HTTPException(422, "You are already the owner")
        repo.invite(s, child_id, email, role, user.id)
        repo.audit(s, "add_member", child_id=child_id, user_id=who.user_id, detail=f"{role}")
    return RedirectResponse(f"/children/{child_id}#people", status_code=303)


@router.post("/children/{child_id}/members/{user_id}/remove")
def member_remove(
    request: Request,
    child_id: int,
    user_id: int,
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """Take a caregiver's or viewer's role away (the owner's cannot be)."""
    check_csrf(request, who, csrf_token)
    with database(request).transaction() as s:
        require_child(s, who, child_id, "own")
        if not repo.remove_member(s, child_id, user_id):
            raise HTTPException(404, "No such member")
        repo.audit(s, "remove_member", child_id=child_id, user_id=who.user_id)
    return RedirectResponse(f"/children/{child_id}#people", status_code=303)


@router.post("/children/{child_id}/invitations/{invitation_id}/remove")
def invitation_remove(
    request: Request,
    child_id: int,
    invitation_id: int,
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """Withdraw a role given to an email that was not taken up yet."""
    check_csrf(request, who, csrf_token)
    with database(request).transaction() as s:
        require_child(s, who, child_id, "own")
        if not repo.remove_invitation(s, child_id, invitation_id):
            raise HTTPException(404, "No such invitation")
        repo.audit(s, "remove_member", child_id=child_id, user_id=who.user_id)
    return RedirectResponse(f"/children/{child_id}#people", status_code=303)


def attachment_of(s: Session, child_id: int, attachment_id: int) -> Attachment:
    """The child's attachment with this id, or 404."""
    row = repo.get_attachment(s, attachment_id)
    if row is None or row.child_id != child_id:
        raise HTTPException(404, "No such file")
    return row


def analysis_fragment(
    request: Request, who: Principal, row: Attachment, base: str, role: str | None = None
) -> Response:
    """The analysis part of the timeline for one attachment (polled while it runs);
    caregivers and owners (``role``) may start it again at another sensitivity."""
    return page(request, "_analysis.html", who, a=row, attachment_base=base, role=role)


def analysis_image(db: Database, row: Attachment, name: str) -> Response:
    """One image of an attachment's analysis (contact sheet, motion plot, EEG trend)."""
    images = (row.analysis or {}).get("images", {})
    if name not in images or name not in IMAGE_FILES.get(row.kind, {}):
        raise HTTPException(404, "No such image")
    sensitivity = str((row.analysis or {}).get("sensitivity", "normal"))
    path = db.analysis_dir(row.sha256, sensitivity) / IMAGE_FILES[row.kind][name]
    if not path.is_file():
        raise HTTPException(404, "The image is missing from the data directory")
    return FileResponse(path, media_type="image/png")


def attachment_response(s: Session, child_id: int, attachment_id: int, store_dir: Any) -> Response:
    """The attachment file, if it belongs to the child."""
    row = attachment_of(s, child_id, attachment_id)
    try:
        path = stored_path(store_dir, row.sha256)
    except ValueError:
        raise HTTPException(404, "The file is missing from the data directory") from None
    if not path.is_file():
        raise HTTPException(404, "The file is missing from the data directory")
    return FileResponse(path, media_type=row.content_type, filename=row.filename)


@router.get("/children/{child_id}/attachments/{attachment_id}")
def attachment_download(
    request: Request, child_id: int, attachment_id: int, who: Principal = Depends(principal)
) -> Response:
    """Download an attachment (the page link and the API route)."""
    db = database(request)
    with db.transaction() as s:
        require_child(s, who, child_id, "view")
        repo.audit(s, "download", child_id=child_id, user_id=who.user_id, detail=str(attachment_id))
        return attachment_response(s, child_id, attachment_id, db.attachments_dir)


@router.get("/children/{child_id}/attachments/{attachment_id}/analysis")
def attachment_analysis(
    request: Request, child_id: int, attachment_id: int, who: Principal = Depends(principal)
) -> Response:
    with database(request).transaction() as s:
        _, role = require_child(s, who, child_id, "view")
        row = attachment_of(s, child_id, attachment_id)
    return analysis_fragment(request, who, row, f"/children/{child_id}/attachments", role)


@router.get("/children/{child_id}/attachments/{attachment_id}/images/{name}")
def attachment_image(
    request: Request,
    child_id: int,
    attachment_id: int,
    name: str,
    who: Principal = Depends(principal),
) -> Response:
    db = database(request)
    with db.transaction() as s:
        require_child(s, who, child_id, "view")
        row = attachment_of(s, child_id, attachment_id)
    return analysis_image(db, row, name)
