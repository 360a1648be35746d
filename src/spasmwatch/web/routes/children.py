"""Children: the list, adding and editing a child, the child page, sharing, members,
attachments."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from spasmwatch.diary import children, recordings, sharing
from spasmwatch.diary.children import ChildItem
from spasmwatch.diary.overview import child_overview, family_notices
from spasmwatch.diary.recordings import Upload
from spasmwatch.errors import InvalidCase, InvalidInput
from spasmwatch.i18n import N_
from spasmwatch.report.notices import FamilyNotice
from spasmwatch.store import Database
from spasmwatch.store.files import UploadRejected
from spasmwatch.web.auth import Principal, check_csrf, require_user
from spasmwatch.web.clock import page_now
from spasmwatch.web.forms import (
    CONTROL,
    CONTROL_MESSAGE,
    EMAIL,
    START_UNKNOWN,
    child_from_form,
    keep_with_start,
    kept_start_problem,
    start_limits,
)
from spasmwatch.web.i18n import gettext
from spasmwatch.web.notices import for_the_page, forget_saved, read_saved
from spasmwatch.web.pending import (
    clear_pending,
    forget_kept,
    read_kept,
    read_pending,
    read_pending_draft,
    say_kept,
)
from spasmwatch.web.problems import Problem, upload_problem
from spasmwatch.web.render import page
from spasmwatch.web.routes import database, jobs_queued, principal, read_audit
from spasmwatch.web.threads import run_slow
from spasmwatch.web.views import (
    analysis_fragment,
    analysis_image,
    attachment_file,
    file_read,
    file_response,
    invite_address,
    share_address,
    store_upload,
    view_context,
)

router = APIRouter(include_in_schema=False)

#: The cookie that carries a link just made to the child's page, once: never in the
#: address (which the browser's history, a proxy's log and a shoulder would keep).
NEW_LINK_COOKIE = "sw_new_link"
#: ... for at most this long (s) if the page is not opened.
NEW_LINK_MAX_AGE = 300
#: The cookie that carries the invitation link just made (its token) to the child's page,
#: which shows it with the message to send, once (the same redirect whatever the email:
#: nothing says whether an account uses it).
INVITED_COOKIE = "sw_invited"
#: The cookie that carries the name of a child whose diary was just deleted to the list of
#: children, which says so once (a name is not put in the address either).
DELETED_COOKIE = "sw_deleted"
#: ... of a child whose diary the account just left.
LEFT_COOKIE = "sw_left"
#: The child form's words when the check kept for the first episode is dated before the
#: date of birth given: one of the two is wrong, and the parent says which.
KEPT_NOT_FITTING = N_(
    "The episode you checked is dated before this date of birth: correct the date of birth, "
    "or the time of the episode below."
)


@router.get("/children")
def children_list(request: Request, who: Principal = Depends(principal)) -> Response:
    """The children of the account (for an account that is a viewer of each, each child's
    clinician view first); after a diary was deleted or left, says whose, once."""
    require_user(who)
    deleted = unquote(request.cookies.get(DELETED_COOKIE) or "")
    left = unquote(request.cookies.get(LEFT_COOKIE) or "")
    db = database(request)
    items = children.list_for(db, who)
    response = page(
        request,
        "children.html",
        who,
        items=items,
        asks={item.child.id: _recordings_ask(db, who, item) for item in items},
        # A doctor the family invited (a viewer of every diary they are in) reads each
        # child as a doctor: the clinician view first, the family's page beside it.
        clinician_first=bool(items) and all(item.role == "viewer" for item in items),
        deleted=deleted,
        left=left,
    )
    for cookie, said in ((DELETED_COOKIE, deleted), (LEFT_COOKIE, left)):
        if said:
            response.delete_cookie(cookie, path="/children")
    return response


def _recordings_ask(db: Database, who: Principal, item: ChildItem) -> tuple[FamilyNotice, ...]:
    """What the child's videos and EEG files ask for sooner than the diary's answer, as
    the child page says it above the answer (:func:`~spasmwatch.diary.overview.family_notices`:
    the same decisions): the list must not read "next check-up" beside a child whose page
    opens with "This EEG asks for a doctor today". Nothing for an emergency, which no
    recording outranks, or a child without recordings."""
    if item.level == "emergency":
        return ()
    attachments = recordings.list_for(db, who, item.child.id)
    if not attachments:
        return ()
    # a diary never triaged reads as the child page reads it: routine
    return family_notices(attachments, item.level or "routine")


@router.get("/children/new")
def child_new_form(request: Request, who: Principal = Depends(principal)) -> Response:
    require_user(who)
    kept = read_pending(request)
    values: dict[str, Any] = {}
    if kept is not None:
        # The kept check's age, conditions and development start the child's details.
        values = {k: v for k, v in kept["child"].items() if k != "birth_date"}
    return page(
        request, "child_form.html", who, values=values, errors={}, child=None, **_kept(kept)
    )


def _kept(
    kept: dict[str, Any] | None, values: Any = None, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    """What the child form says of the check kept for its first episode (``kept``): when
    it happened, as confirmed where it was kept; and, where that time does not fit the
    child (``errors``: before the date of birth), the field to change it (``values``: the
    form as sent, whose time stays asked until the child is added; else the kept time),
    with everything else typed kept."""
    episode = ((kept or {}).get("episodes") or [{}])[0]
    started = str(episode.get("started_at") or "")[:16]
    sent = values is not None and ("started_at" in values or START_UNKNOWN in values)
    if sent:
        started = str(values.get("started_at") or "")
    return {
        "kept": kept,
        "kept_started_at": episode.get("started_at"),
        "kept_time_refused": bool(errors and "started_at" in errors) or sent,
        "kept_values": {
            "started_at": started,
            START_UNKNOWN: sent and str(values.get(START_UNKNOWN) or "") == "yes",
        },
        "untimed": not episode.get("started_at"),
        "start_unknown": START_UNKNOWN,
        **start_limits(),
    }


@router.post("/children/new")
async def child_new(request: Request, who: Principal = Depends(principal)) -> Response:
    require_user(who)
    form = await request.form()
    check_csrf(request, who, str(form.get("csrf_token") or ""))
    name, doc, errors = child_from_form(form)
    pending = read_pending(request)
    if pending is not None:  # its time, where the form asked it again (_kept)
        pending, time_errors = keep_with_start(pending, form)
        errors = {**errors, **time_errors}
    values = {k: form.getlist(k) if k == "conditions" else form.get(k) for k in form}
    if errors:
        return page(
            request,
            "child_form.html",
            who,
            422,
            values=values,
            errors=errors,
            child=None,
            **_kept(pending, form, errors),
        )
    episodes = pending.get("episodes", []) if pending is not None else None
    try:
        child, kept = children.add(database(request), who, name, doc, episodes=episodes)
    except InvalidCase as exc:  # the kept check does not fit the child: said, nothing lost
        problem = {**kept_start_problem(exc), "_form": gettext(KEPT_NOT_FITTING)}
        return page(
            request,
            "child_form.html",
            who,
            422,
            values=values,
            errors=problem,
            child=None,
            **_kept(pending, form, problem),
        )
    response = RedirectResponse(f"/children/{child.id}", status_code=303)
    if kept:
        clear_pending(response)
        # the child's page says it, and names the draft it came from for the phone
        say_kept(request, response, child.id, read_pending_draft(request))
    return response


@router.get("/children/{child_id}")
def child_page(request: Request, child_id: int, who: Principal = Depends(principal)) -> Response:
    return _child_page(request, who, child_id)


def _child_page(
    request: Request,
    who: Principal,
    child_id: int,
    status: int = 200,
    recording_problem: Problem | None = None,
) -> Response:
    """The child's page; with ``recording_problem``, the recording just sent was refused
    and the page says why next to the file field. Right after a person was given a role
    (or their invitation a new link), the link and message to send them are shown, once
    (:data:`INVITED_COOKIE`); right after a check was kept in the diary, the page says so,
    once, with the draft on the phone it came from (:func:`~spasmwatch.web.pending.read_kept`);
    right after an episode was saved from its form, that it was, once
    (:mod:`spasmwatch.web.notices`)."""
    show_all = request.query_params.get("all") == "1"
    db = database(request)
    view = child_overview(db, who, child_id, read_audit(request), show_all=show_all)
    made = request.cookies.get(NEW_LINK_COOKIE) or ""
    new_link = None
    live = sharing.LINK_TOKEN.fullmatch(made) and sharing.is_live_link(db, child_id, made)
    if view.role == "owner" and live:
        new_link = share_address(request, made)
    invited = request.cookies.get(INVITED_COOKIE) or ""
    just_invited = None
    if view.role == "owner" and invited:
        just_invited = sharing.invitation_of_link(db, child_id, invited)
    just_kept = read_kept(request)
    just_saved = read_saved(request)
    response = page(
        request,
        "child.html",
        who,
        status,
        recording_problem=recording_problem,
        role=view.role,
        links=view.links,
        people=view.people,
        invited=view.invited,
        log=view.log,
        share_days=sharing.SHARE_DAYS,
        new_link=new_link,
        invite=invite_address(request, invited) if just_invited is not None else None,
        just_invited=just_invited,
        just_kept=just_kept,
        just_saved=just_saved,
        invite_days=sharing.INVITE_DAYS,
        now=page_now(),
        **view_context(view),
    )
    if made:  # shown once: a reload, or the way back after revoking it, shows it no more
        response.delete_cookie(NEW_LINK_COOKIE, path=f"/children/{child_id}")
    if invited:
        response.delete_cookie(INVITED_COOKIE, path=f"/children/{child_id}")
    if just_kept is not None:
        forget_kept(response, child_id)
    if just_saved is not None:
        forget_saved(response, child_id)
    return response


@router.get("/children/{child_id}/edit")
def child_edit_form(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    child, _ = children.get(database(request), who, child_id, "own")
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
    if errors:
        child, _ = children.get(database(request), who, child_id, "own")
        values = {k: form.getlist(k) if k == "conditions" else form.get(k) for k in form}
        return page(request, "child_form.html", who, 422, values=values, errors=errors, child=child)
    children.edit(database(request), who, child_id, name, doc)
    return RedirectResponse(f"/children/{child_id}", status_code=303)


@router.post("/children/{child_id}/delete")
def child_delete(
    request: Request, child_id: int, csrf_token: str = Form(""), who: Principal = Depends(principal)
) -> Response:
    check_csrf(request, who, csrf_token)
    name = children.delete(database(request), who, child_id)
    return _to_list_saying(request, DELETED_COOKIE, name)


def _to_list_saying(request: Request, cookie: str, name: str) -> Response:
    """To the list of children, which says once (``cookie``) whose diary was deleted or
    left."""
    response = RedirectResponse("/children", status_code=303)
    response.set_cookie(
        cookie,
        quote(name),
        max_age=NEW_LINK_MAX_AGE,
        path="/children",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


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
    if CONTROL.search(label):
        raise InvalidInput(f"Invalid value for 'label': it {CONTROL_MESSAGE}")
    _, token = sharing.create_link(database(request), who, child_id, label, days)
    response = RedirectResponse(f"/children/{child_id}#sharing", status_code=303)
    _show_once(response, request, child_id, NEW_LINK_COOKIE, token)
    return response


@router.post("/children/{child_id}/share/{link_id}/revoke")
def share_revoke(
    request: Request,
    child_id: int,
    link_id: int,
    confirm: str = Form(""),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """Stop a share link working (owner only, with the box ticked)."""
    check_csrf(request, who, csrf_token)
    sharing.revoke_link(database(request), who, child_id, link_id, confirmed=confirm == "yes")
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
    """Invite the person of ``email`` to a role: the answer is the same whether or not an
    account uses it. The page then shows the invitation link and the message to send
    them, once."""
    check_csrf(request, who, csrf_token)
    email = email.strip().lower()
    if role in sharing.MEMBER_ROLES and not EMAIL.match(email):
        raise InvalidInput(
            "Invalid value for 'email': not an email address: %(got)s", got=repr(email)
        )
    _, token = sharing.add_member(database(request), who, child_id, email, role)
    response = RedirectResponse(f"/children/{child_id}#people", status_code=303)
    _show_once(response, request, child_id, INVITED_COOKIE, token)
    return response


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
    sharing.remove_member(database(request), who, child_id, user_id)
    return RedirectResponse(f"/children/{child_id}#people", status_code=303)


@router.post("/children/{child_id}/members/{user_id}/owner")
def member_make_owner(
    request: Request,
    child_id: int,
    user_id: int,
    confirm: str = Form(""),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """Hand the diary to a member (owner only, with the box ticked); the owner stays as a
    caregiver."""
    check_csrf(request, who, csrf_token)
    sharing.hand_over(database(request), who, child_id, user_id, confirmed=confirm == "yes")
    return RedirectResponse(f"/children/{child_id}", status_code=303)


@router.post("/children/{child_id}/leave")
def child_leave(
    request: Request,
    child_id: int,
    confirm: str = Form(""),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """Take one's own caregiver or viewer role away (with the box ticked); the list of
    children then says whose diary was left, once."""
    check_csrf(request, who, csrf_token)
    name = sharing.leave(database(request), who, child_id, confirmed=confirm == "yes")
    return _to_list_saying(request, LEFT_COOKIE, name)


@router.post("/children/{child_id}/invitations/{invitation_id}/remove")
def invitation_remove(
    request: Request,
    child_id: int,
    invitation_id: int,
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """Withdraw an invitation not taken up yet (its link then says so)."""
    check_csrf(request, who, csrf_token)
    sharing.remove_invitation(database(request), who, child_id, invitation_id)
    return RedirectResponse(f"/children/{child_id}#people", status_code=303)


@router.post("/children/{child_id}/invitations/{invitation_id}/renew")
def invitation_renew(
    request: Request,
    child_id: int,
    invitation_id: int,
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """A new link for an invitation not taken up yet (the earlier link stops working),
    shown once, with the message to send."""
    check_csrf(request, who, csrf_token)
    token = sharing.renew_invitation(database(request), who, child_id, invitation_id)
    response = RedirectResponse(f"/children/{child_id}#invite-{invitation_id}", status_code=303)
    _show_once(response, request, child_id, INVITED_COOKIE, token)
    return response


@router.get("/children/{child_id}/attachments/{attachment_id}")
def attachment_download(
    request: Request, child_id: int, attachment_id: int, who: Principal = Depends(principal)
) -> Response:
    """Download or play an attachment."""
    return attachment_file(request, who, child_id, attachment_id)


@router.post("/children/{child_id}/attachments")
async def recording_upload(
    request: Request,
    child_id: int,
    background: BackgroundTasks,
    who: Principal = Depends(principal),
) -> Response:
    """A video or an EEG file of the child, linked to one of its episodes or to none (a
    recording is not an episode: it changes neither the triage nor the chart)."""
    form = await request.form(max_files=1, max_fields=10)
    check_csrf(request, who, str(form.get("csrf_token") or ""))
    # Who may add files is settled before anything is written to the store.
    children.get(database(request), who, child_id, "log")
    raw_episode = str(form.get("episode_id") or "").strip()
    if raw_episode and not raw_episode.isdigit():
        raise InvalidInput(
            f"Invalid value for 'episode': choose one of the list or none; got {raw_episode!r}"
        )
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        missing = Problem("missing", gettext("Choose a video or an EEG file to add"), "")
        return _child_page(request, who, child_id, 422, missing)
    try:
        stored = await run_slow(request, store_upload, request, upload)
    except UploadRejected as exc:
        # said next to the file field, on the child's page, with nothing stored
        problem = upload_problem(str(exc))
        status = 413 if problem.kind == "too_large" else 422
        return _child_page(request, who, child_id, status, problem)
    episode_id = int(raw_episode) if raw_episode else None
    recordings.attach(database(request), who, child_id, Upload(stored, upload.filename), episode_id)
    jobs_queued(request, background)
    where = f"episode-{episode_id}" if episode_id is not None else "recordings"
    return RedirectResponse(f"/children/{child_id}#{where}", status_code=303)


@router.get("/children/{child_id}/attachments/{attachment_id}/clips/{number}")
def attachment_clip(
    request: Request,
    child_id: int,
    attachment_id: int,
    number: int,
    who: Principal = Depends(principal),
) -> Response:
    """The clip the video's analysis cut around its event ``number`` (from 1)."""
    db = database(request)
    children.get(db, who, child_id, "view")
    path = recordings.clip_of(
        db,
        child_id,
        attachment_id,
        number,
        read_audit(request),
        user_id=who.user_id,
        read=file_read(request),
    )
    return file_response(request, path, "video/mp4", path.name)


@router.get("/children/{child_id}/attachments/{attachment_id}/analysis")
def attachment_analysis(
    request: Request, child_id: int, attachment_id: int, who: Principal = Depends(principal)
) -> Response:
    """The analysis part of a recording, asked for again while it waits or runs; with
    ``?for=clinician`` (a member's clinician view asks so), in the clinician's reading:
    the doctor's words and no "Analyse again", as that view shows it."""
    found = recordings.analysis_of(database(request), who, child_id, attachment_id)
    reading = "share" if request.query_params.get("for") == "clinician" else None
    return analysis_fragment(request, who, found, f"/children/{child_id}/attachments", reading)


@router.get("/children/{child_id}/attachments/{attachment_id}/images/{name}")
def attachment_image(
    request: Request,
    child_id: int,
    attachment_id: int,
    name: str,
    who: Principal = Depends(principal),
) -> Response:
    db = database(request)
    children.get(db, who, child_id, "view")
    return analysis_image(request, recordings.image_of(db, child_id, attachment_id, name))


def _show_once(response: Response, request: Request, child_id: int, name: str, value: str) -> None:
    """Keep ``value`` for the child's page to show once (a new share link's token, who
    was just invited)."""
    for_the_page(request, response, child_id, name, value, NEW_LINK_MAX_AGE)
