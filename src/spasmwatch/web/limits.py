"""Request body limits, enforced while the body streams in and before it reaches a route.

Who is asking is settled first, from the session cookie or the API token alone (no body is
read for that): a request from nobody (or with a session or token that is not valid) may
send at most :data:`ANONYMOUS_BODY_BYTES` (enough for the sign-in, sign-up and anonymous
check forms), so an anonymous upload is refused before anything of it is stored. A
signed-in user may send an upload of the installation's limit to the upload routes, a CSV
file to the import routes, and :data:`SIGNED_IN_BODY_BYTES` anywhere else.

A GET, HEAD or OPTIONS request (whose body no route reads) is limited like an anonymous one
without the session being looked up. A ``Content-Length`` over the limit is answered 413 at
once, without reading the body; a body that goes over it while streaming (chunked, or a
lying ``Content-Length``) stops there with 413 (:class:`BodyTooLarge`), whatever route was
reading it.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spasmwatch.web.auth import SESSION_COOKIE, principal_of
from spasmwatch.web.i18n import current_locale, gettext, using

__all__ = [
    "ANONYMOUS_BODY_BYTES",
    "SIGNED_IN_BODY_BYTES",
    "BodyLimit",
    "BodyTooLarge",
    "body_limit",
    "too_large",
    "upload_too_large",
]

KIB = 1024
MIB = 1024 * KIB
#: The most a request from nobody may send.
ANONYMOUS_BODY_BYTES = 64 * KIB
#: The most a signed-in request may send, except uploads and CSV imports.
SIGNED_IN_BODY_BYTES = 1 * MIB
#: Room for the form fields and the multipart framing around an upload or a CSV file.
FORM_SLACK_BYTES = 1 * MIB
#: The largest CSV file an import takes (the routes check it again).
CSV_BYTES = 5 * MIB

UPLOAD_PATHS = re.compile(
    r"^/(?:api/v1/)?children/\d+/(?:attachments|episodes/new|episodes/\d+/edit)$"
)
CSV_PATHS = re.compile(r"^/(?:api/v1/)?children/\d+/episodes\.csv$")


class BodyTooLarge(HTTPException):
    """A request body over its limit (413); raised while it streams in."""

    def __init__(self, message: str) -> None:
        super().__init__(413, message)


def _size(n_bytes: int) -> str:
    return f"{n_bytes / MIB:.0f} MB" if n_bytes >= MIB else f"{n_bytes // KIB} KB"


def upload_too_large(max_upload_bytes: int) -> str:
    """What a signed-in person is told about a file over the installation's limit (the
    limit as set, ``SPASMWATCH_MAX_UPLOAD_MB``, not the room left for the form around it)."""
    return gettext("The file is larger than the upload limit of %(size)s") % {
        "size": _size(max_upload_bytes)
    }


def too_large(path: str, signed_in: bool, max_upload_bytes: int) -> str:
    """Why a request to ``path`` over :func:`body_limit` is refused, in the sender's terms
    (in the page's language; the API's in English, as its other messages)."""
    if path.startswith("/api/") and current_locale() != "en":
        with using("en"):
            return too_large(path, signed_in, max_upload_bytes)
    if UPLOAD_PATHS.match(path) or CSV_PATHS.match(path):
        if not signed_in:  # a file sent after the session ended: the size is not the point
            return gettext(
                "You are not signed in (or your session has ended): sign in and send the file again"
            )
        if UPLOAD_PATHS.match(path):
            return upload_too_large(max_upload_bytes)
        return gettext("The CSV file is larger than the limit of %(size)s") % {
            "size": _size(CSV_BYTES)
        }
    limit = _size(body_limit(path, signed_in, 0))
    return gettext("The request is larger than the limit of %(size)s") % {"size": limit}


def body_limit(path: str, signed_in: bool, max_upload_bytes: int) -> int:
    """The most a request to ``path`` may send."""
    if not signed_in:
        return ANONYMOUS_BODY_BYTES
    if UPLOAD_PATHS.match(path):
        return max_upload_bytes + FORM_SLACK_BYTES
    if CSV_PATHS.match(path):
        return CSV_BYTES + FORM_SLACK_BYTES
    return SIGNED_IN_BODY_BYTES


class BodyLimit:
    """ASGI middleware: the limits of :func:`body_limit` on every request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        # No route reads the body of a GET: those are limited as anonymous ones, without
        # looking the session up (the route does that).
        reads_body = scope["method"] not in ("GET", "HEAD", "OPTIONS")
        signed_in = reads_body and await run_in_threadpool(_signed_in, request)
        settings = request.app.state.settings
        limit = body_limit(request.url.path, signed_in, settings.max_upload_bytes)
        refusal = too_large(request.url.path, signed_in, settings.max_upload_bytes)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await _refuse(request, send, refusal)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(refusal)
            return message

        await self.app(scope, limited, send)


def _signed_in(request: Request) -> bool:
    """Whether the request carries a valid session cookie or API token (no body read)."""
    if SESSION_COOKIE not in request.cookies and "authorization" not in request.headers:
        return False
    try:
        return principal_of(request)[0].user is not None
    except HTTPException:
        return False


async def _refuse(request: Request, send: Send, message: str) -> None:
    if request.url.path.startswith("/api/"):
        # a list of problems, as every 409, 413 and 422 of the API
        body, kind = json.dumps({"detail": [message]}).encode(), b"application/json"
    else:
        title, nothing = gettext("Too large"), gettext("Nothing was saved.")
        body = (
            f"<!doctype html><html lang={current_locale()}><meta charset=utf-8>"
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title><p>{html.escape(message)}. {nothing}</p></html>"
        ).encode()
        kind = b"text/html; charset=utf-8"
    headers: list[Any] = [
        (b"content-type", kind),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        (b"content-security-policy", b"default-src 'none'"),
        (b"x-content-type-options", b"nosniff"),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
