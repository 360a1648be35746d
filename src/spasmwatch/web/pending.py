"""A check kept for signing up: the anonymous check's case, carried in the visitor's own
browser (an HttpOnly cookie) until the new account's first child is added; it then becomes
that child's first episode. Nothing is stored on the server before that.

A check taken from an episode typed on the phone before there was a child (a draft kept by
``static/offline.js``, which the server never sees) carries that draft's key with it: once
the check is stored as an episode, the child's page says so, once, and names the draft
for the phone to remove (:func:`say_kept`, :func:`read_kept`), as it is in the diary now.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response

from spasmwatch.case import parse_case
from spasmwatch.errors import InvalidCase

__all__ = [
    "DRAFT_KEY",
    "KEPT_COOKIE",
    "PENDING_COOKIE",
    "PENDING_DRAFT_COOKIE",
    "JustKept",
    "clear_pending",
    "draft_key",
    "forget_kept",
    "read_kept",
    "read_pending",
    "read_pending_draft",
    "say_kept",
    "set_pending",
]

PENDING_COOKIE = "spasmwatch_check"
#: The key of the draft the kept check was taken from, beside it (a cookie of its own:
#: a kept check made before there was one still reads as it was).
PENDING_DRAFT_COOKIE = "spasmwatch_check_draft"
#: A kept check waits this long for the sign-up.
PENDING_MAX_AGE_S = 2 * 3600
#: A draft's key as ``static/offline.js`` makes it: ``crypto.randomUUID()``, or 32 hex
#: digits where the browser has none [design]. Anything else names no draft and is
#: dropped (it goes back into a page's attribute).
DRAFT_KEY = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")
#: The cookie that tells the child's page, once, that a check was just stored in its
#: diary, and from which draft (its key, or :data:`NO_DRAFT`).
KEPT_COOKIE = "sw_kept_check"
#: ... for a check typed on the check's own form, not taken from a draft.
NO_DRAFT = "none"
#: ... for at most this long (s) if the page is not opened [design]: the page is the
#: redirect's own target, opened at once.
KEPT_MAX_AGE_S = 300


def draft_key(raw: object) -> str | None:
    """``raw`` as a draft's key (:data:`DRAFT_KEY`), or None when it is not one."""
    text = str(raw or "").strip().lower()
    return text if DRAFT_KEY.fullmatch(text) else None


def _cookie(request: Request, response: Response, name: str, value: str, **kw: Any) -> None:
    response.set_cookie(name, value, httponly=True, secure=request.url.scheme == "https", **kw)


def set_pending(
    request: Request, response: Response, case: dict[str, Any], draft: str | None = None
) -> None:
    """Keep ``case`` (already validated) in the visitor's browser, with the key of the
    draft it was taken from (``draft``), if any; a draft kept with an earlier check is
    forgotten with it."""
    raw = json.dumps(case, separators=(",", ":")).encode()
    value = base64.urlsafe_b64encode(raw).decode()
    _cookie(request, response, PENDING_COOKIE, value, max_age=PENDING_MAX_AGE_S, samesite="lax")
    if draft is not None:
        _cookie(
            request,
            response,
            PENDING_DRAFT_COOKIE,
            draft,
            max_age=PENDING_MAX_AGE_S,
            samesite="lax",
        )
    else:
        response.delete_cookie(PENDING_DRAFT_COOKIE)


def read_pending(request: Request) -> dict[str, Any] | None:
    """The kept check's case, or None when there is none or it is not a valid case."""
    value = request.cookies.get(PENDING_COOKIE)
    if not value:
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(value.encode()))
        # a check with a warning sign may be kept without the age (the child form asks it)
        return parse_case(data, age_optional=True).to_json_dict()
    except (ValueError, binascii.Error, InvalidCase):
        return None


def read_pending_draft(request: Request) -> str | None:
    """The key of the draft the kept check was taken from, or None."""
    return draft_key(request.cookies.get(PENDING_DRAFT_COOKIE))


def clear_pending(response: Response) -> None:
    """Forget the kept check (and the draft it was taken from)."""
    response.delete_cookie(PENDING_COOKIE)
    response.delete_cookie(PENDING_DRAFT_COOKIE)


@dataclass(frozen=True)
class JustKept:
    """A check just stored in the diary of the page's child: ``draft``, the key of the
    draft it was taken from (None: typed on the check's own form)."""

    draft: str | None


def say_kept(request: Request, response: Response, child_id: int, draft: str | None) -> None:
    """Tell the child's page, once, that a check was stored in its diary, taken from
    ``draft`` (a cookie of that page only, short-lived, not in the address)."""
    _cookie(
        request,
        response,
        KEPT_COOKIE,
        draft or NO_DRAFT,
        max_age=KEPT_MAX_AGE_S,
        path=f"/children/{child_id}",
        samesite="strict",
    )


def read_kept(request: Request) -> JustKept | None:
    """The check just stored in the page's child's diary, or None."""
    value = request.cookies.get(KEPT_COOKIE)
    if not value:
        return None
    return JustKept(draft_key(value))


def forget_kept(response: Response, child_id: int) -> None:
    """The child's page said it: never again."""
    response.delete_cookie(KEPT_COOKIE, path=f"/children/{child_id}")
