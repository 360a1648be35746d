"""A check kept for signing up: the anonymous check's case, carried in the visitor's own
browser (an HttpOnly cookie) until the new account's first child is added; it then becomes
that child's first episode. Nothing is stored on the server before that.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from fastapi import Request, Response

from spasmwatch.case import parse_case
from spasmwatch.errors import InvalidCase

__all__ = ["PENDING_COOKIE", "clear_pending", "read_pending", "set_pending"]

PENDING_COOKIE = "spasmwatch_check"
#: A kept check waits this long for the sign-up.
PENDING_MAX_AGE_S = 2 * 3600


def set_pending(request: Request, response: Response, case: dict[str, Any]) -> None:
    """Keep ``case`` (already validated) in the visitor's browser."""
    raw = json.dumps(case, separators=(",", ":")).encode()
    response.set_cookie(
        PENDING_COOKIE,
        base64.urlsafe_b64encode(raw).decode(),
        max_age=PENDING_MAX_AGE_S,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )


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


def clear_pending(response: Response) -> None:
    """Forget the kept check."""
    response.delete_cookie(PENDING_COOKIE)
