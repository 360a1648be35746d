"""What the child's page says once after a change made on another page: an episode saved
from its form. (A check kept in the diary is said the same way, by
:mod:`spasmwatch.web.pending`, which also names the draft on the phone it came from.)

The form answers with a redirect to the child's page (opened at the child's name, above the
new answer); a short-lived cookie of that page only carries what to say, never the address
(a reload, the way back or a bookmark would say it again), and the page forgets it once
said.
"""

from __future__ import annotations

from typing import Literal

from fastapi import Request, Response

__all__ = ["SAVED_COOKIE", "Saved", "for_the_page", "forget_saved", "read_saved", "say_saved"]

#: The cookie that tells the child's page, once, that an episode was just saved from the
#: form: ``new`` (logged) or ``edited``.
SAVED_COOKIE = "sw_episode_saved"
#: ... for at most this long (s) if the page is not opened [design]: the page is the
#: redirect's own target, opened at once.
SAVED_MAX_AGE_S = 300

Saved = Literal["new", "edited"]


def for_the_page(
    request: Request, response: Response, child_id: int, name: str, value: str, max_age_s: int
) -> None:
    """Keep ``value`` for the child's page to say once, in a short-lived cookie ``name`` of
    that page only, not in the address."""
    response.set_cookie(
        name,
        value,
        max_age=max_age_s,
        path=f"/children/{child_id}",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )


def say_saved(request: Request, response: Response, child_id: int, saved: Saved) -> None:
    """Tell the child's page, once, that an episode was just saved from the form
    (``saved``: a new one, or an edit)."""
    for_the_page(request, response, child_id, SAVED_COOKIE, saved, SAVED_MAX_AGE_S)


def read_saved(request: Request) -> Saved | None:
    """What was just saved in the page's child's diary, or None (anything else in the
    cookie says nothing)."""
    value = request.cookies.get(SAVED_COOKIE)
    if value == "new":
        return "new"
    if value == "edited":
        return "edited"
    return None


def forget_saved(response: Response, child_id: int) -> None:
    """The child's page said it: never again."""
    response.delete_cookie(SAVED_COOKIE, path=f"/children/{child_id}")
