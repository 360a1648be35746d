"""An invitation link on its way to the sign-up or sign-in that takes it up: the link's
token, carried from the invitation page in the visitor's own browser (an HttpOnly
cookie), so that the person who opened the link gets the role when they make their
account or sign in (:func:`spasmwatch.diary.sharing.take_invitation`), and the token is
never put in another address.
"""

from __future__ import annotations

from fastapi import Request, Response

from spasmwatch.diary.sharing import LINK_TOKEN

__all__ = ["INVITE_COOKIE", "forget_invitation", "keep_invitation", "kept_invitation"]

INVITE_COOKIE = "sw_invite"
#: An opened invitation link waits this long for the sign-up or sign-in (s); opening the
#: link again keeps it again.
INVITE_MAX_AGE_S = 3600


def keep_invitation(request: Request, response: Response, token: str) -> None:
    """Keep the token of the invitation link just opened in the visitor's browser."""
    response.set_cookie(
        INVITE_COOKIE,
        token,
        max_age=INVITE_MAX_AGE_S,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


def kept_invitation(request: Request) -> str | None:
    """The kept token, or None when there is none (or it is no token of this app)."""
    token = request.cookies.get(INVITE_COOKIE) or ""
    return token if LINK_TOKEN.fullmatch(token) else None


def forget_invitation(response: Response) -> None:
    """Forget the kept token (taken up, or no longer of use)."""
    response.delete_cookie(INVITE_COOKIE)
