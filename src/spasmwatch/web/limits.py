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
reading it. A page's form refused so is answered with a page of the site, in the page's
language, with the way back to the form (where the browser still holds what was typed);
the pages' own file fields check the limit before sending (:func:`upload_field`).
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import HTTPException
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spasmwatch.web.auth import SESSION_COOKIE, Principal, principal_of
from spasmwatch.web.i18n import current_locale, gettext, using
from spasmwatch.web.render import page

__all__ = [
    "ANONYMOUS_BODY_BYTES",
    "SIGNED_IN_BODY_BYTES",
    "BodyLimit",
    "BodyTooLarge",
    "body_limit",
    "refusal_context",
    "too_large",
    "upload_field",
    "upload_too_large",
    "way_back",
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
CHILD_PATH = re.compile(r"^/children/(\d+)(?:/|$)")


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


def upload_field(max_upload_bytes: int) -> Markup:
    """The attributes of a page's file field that let the page refuse a file over the
    installation's limit before sending it (``static/forms.js``): the limit in bytes, and
    what to say, in the page's language, with ``%(name)s`` and ``%(file_size)s`` for the
    page to fill in."""
    message = gettext(
        "“%(name)s” is %(file_size)s, larger than the upload limit of %(size)s: choose a "
        "smaller file, such as a shorter clip. Nothing has been sent; what you typed is kept."
    ) % {"name": "%(name)s", "file_size": "%(file_size)s", "size": _size(max_upload_bytes)}
    return Markup('data-max-bytes="{}" data-too-large="{}"').format(max_upload_bytes, message)


def way_back(path: str) -> str:
    """Where the plain link of a refused form leads: the page of the child its address
    names, else the start."""
    match = CHILD_PATH.match(path)
    return f"/children/{match.group(1)}" if match else "/"


def refusal_context(path: str) -> dict[str, Any]:
    """What the error page needs to say that a request to ``path`` was too large: nothing
    saved, and the way back (the browser's history where a script runs, which keeps what
    was typed; else :func:`way_back`)."""
    return {"too_large": True, "way_back": way_back(path), "back": None}


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
        who = await run_in_threadpool(_principal, request) if reads_body else None
        signed_in = who is not None
        settings = request.app.state.settings
        limit = body_limit(request.url.path, signed_in, settings.max_upload_bytes)
        refusal = too_large(request.url.path, signed_in, settings.max_upload_bytes)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > limit:
            await _refuse(request, who or Principal(), refusal, receive, send)
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


def _principal(request: Request) -> Principal | None:
    """Who is signed in with the request's session cookie or API token (no body read);
    None for nobody, or a session or token that is not valid."""
    if SESSION_COOKIE not in request.cookies and "authorization" not in request.headers:
        return None
    try:
        who = principal_of(request)
    except HTTPException:
        return None
    return who if who.user is not None else None


async def _refuse(
    request: Request, who: Principal, message: str, receive: Receive, send: Send
) -> None:
    """Answer 413 without reading the body: the API's list of problems, or a page of the
    site (the error page, in the page's language, with the way back to the form)."""
    if request.url.path.startswith("/api/"):
        # a list of problems, as every 409, 413 and 422 of the API
        body = json.dumps({"detail": [message]}).encode()
        headers: list[Any] = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"cache-control", b"no-store"),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return
    response = page(
        request, "error.html", who, 413, message=message, **refusal_context(request.url.path)
    )
    response.headers["connection"] = "close"  # the body it did not read is not waited for
    await response(request.scope, receive, send)
