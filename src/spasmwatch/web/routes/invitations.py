"""The page an invitation link opens (``/invite/{token}``), and taking it up signed in.

Someone not signed in is offered to make an account or to sign in; the link's token is kept
in their browser (:mod:`spasmwatch.web.invitation`) for that sign-up or sign-in, which
takes the invitation up. Someone signed in takes it up with a button (a POST with the CSRF
token: opening a link changes nothing by itself, whoever opens it). A link used, expired,
withdrawn or unknown gives a page that says which, and what to do.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from spasmwatch.diary import sharing
from spasmwatch.diary.sharing import InvitationCheck
from spasmwatch.web.auth import Principal, check_csrf, require_user
from spasmwatch.web.invitation import forget_invitation, keep_invitation
from spasmwatch.web.render import page
from spasmwatch.web.routes import database, principal

router = APIRouter(include_in_schema=False)

#: The status of the page a link that cannot be taken up gives: gone for one that was a
#: link (used, expired, withdrawn), not found for one that never was (or was replaced).
GONE_STATUS = {"used": 410, "expired": 410, "withdrawn": 410, "unknown": 404}


def _page(request: Request, who: Principal, check: InvitationCheck, token: str) -> Response:
    status = GONE_STATUS.get(check.state, 200)
    response = page(
        request,
        "invitation.html",
        who,
        status,
        check=check,
        token=token,
        invite_days=sharing.INVITE_DAYS,
    )
    if status != 200:
        forget_invitation(response)  # nothing left for a sign-up to take up
    return response


@router.get("/invite/{token}")
def invitation_page(request: Request, token: str, who: Principal = Depends(principal)) -> Response:
    """What the invitation offers and how to take it up (nothing changes here)."""
    check = sharing.check_invitation(database(request), token, who)
    response = _page(request, who, check, token)
    if check.state == "open" and who.user is None:
        keep_invitation(request, response, token)  # for the sign-up or sign-in
    return response


@router.post("/invite/{token}")
def invitation_accept(
    request: Request, token: str, csrf_token: str = Form(""), who: Principal = Depends(principal)
) -> Response:
    """Take the invitation up, signed in: the role is the person's, and the link is used."""
    require_user(who)
    check_csrf(request, who, csrf_token)
    check = sharing.accept_invitation(database(request), who, token)
    if check.state != "accepted":
        return _page(request, who, check, token)
    response = RedirectResponse(f"/children/{check.child_id}", status_code=303)
    forget_invitation(response)
    return response
