"""The app factory: ``create_app(settings) -> FastAPI``, shared by the CLI and the tests."""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import os
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import anyio
from fastapi import FastAPI, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from markupsafe import escape
from sqlalchemy.exc import SQLAlchemyError
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from spasmwatch import __version__
from spasmwatch.config import Settings
from spasmwatch.diary.access import NotSignedIn
from spasmwatch.diary.audit import ReadAudit
from spasmwatch.errors import (
    AnalysisError,
    Conflict,
    Forbidden,
    InvalidCase,
    InvalidInput,
    NotFound,
    SpasmwatchError,
    UnreadableFile,
)
from spasmwatch.i18n import N_
from spasmwatch.jobs import recover
from spasmwatch.store import Database
from spasmwatch.store.counters import DatabaseEvents
from spasmwatch.web.auth import (
    API_TOKEN,
    BEARER_CHALLENGE,
    CSRF_COOKIE,
    Principal,
    new_token,
    principal_of,
)
from spasmwatch.web.i18n import error_message, gettext, locale_of, using
from spasmwatch.web.limits import BodyLimit, refusal_context, upload_field
from spasmwatch.web.ratelimit import RateLimiter
from spasmwatch.web.render import HERE, make_templates, page
from spasmwatch.web.threads import SLOW_THREADS, limit_handlers
from spasmwatch.web.throttle import LoginThrottle

__all__ = ["create_app"]

log = logging.getLogger("spasmwatch")

#: The Content-Security-Policy of every page: this site's own scripts (static files, never
#: inline), styles and images (and ``data:`` images), nothing from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; media-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


#: Headers every answer carries (a route may send a stricter policy of its own: the report
#: does). Scripts, styles and images from this site only (no inline script, no outside
#: fetch); never framed; no referrer sent on.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", CSP.encode()),
)


class AnonymousCsrf:
    """Give every browser a CSRF cookie for the forms it sees before signing in, and add
    the security headers (and ``Cache-Control: no-store`` to everything but ``/static``:
    diary pages, files and API answers are private).

    Plain ASGI rather than ``BaseHTTPMiddleware``, which runs every request in a task of
    its own: a measurable share of a page's cost under load.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        token = request.cookies.get(CSRF_COOKIE)
        fresh = None if token else new_token()
        scope.setdefault("state", {})["anon_csrf"] = token or fresh
        private = not scope["path"].startswith("/static/")
        secure = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    if name.decode() not in headers:
                        headers.raw.append((name, value))
                if private and "cache-control" not in headers:
                    headers.raw.append((b"cache-control", b"no-store"))
                if fresh is not None:
                    cookie = f"{CSRF_COOKIE}={fresh}; HttpOnly; Path=/; SameSite=lax"
                    headers.append("set-cookie", cookie + ("; Secure" if secure else ""))
            await send(message)

        await self.app(scope, receive, send_with_headers)


#: The HTTP status of each error of the use cases; the API lists problems for 409/422.
ERROR_STATUS: tuple[tuple[type[SpasmwatchError], int], ...] = (
    (NotSignedIn, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (InvalidCase, 422),
    (InvalidInput, 422),
)


def error_status(exc: SpasmwatchError) -> int:
    """The HTTP status for an error of the use cases (422 for any other)."""
    return next((status for kind, status in ERROR_STATUS if isinstance(exc, kind)), 422)


#: The environment variable that tells ``spasmwatch serve``'s web processes its process id.
SERVE_PID_VARIABLE = "SPASMWATCH_SERVE_PID"


def freeze_start_up() -> None:
    """Leave what a web process made while starting (its modules, the app, its routes:
    about 170,000 objects) out of the garbage collector's full collections from now on.
    Each full collection traversed all of them, 130 ms with the process's requests
    stopped, every few hundred requests: the slowest pages under load. With them frozen a
    full collection takes about 10 ms. They live as long as the process anyway."""
    gc.collect()
    gc.freeze()


def create_served_app() -> FastAPI:
    """The app of one of ``spasmwatch serve``'s web processes (uvicorn's factory): the
    process ends with the server, however the server ends (the kernel sends it SIGTERM
    when its parent dies, kill -9 included), so that no web process is left holding the
    port."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    server = os.environ.get(SERVE_PID_VARIABLE)
    if server and os.getppid() != int(server):  # the server died before the line above
        os.kill(os.getpid(), signal.SIGTERM)
    app = create_app()
    freeze_start_up()
    return app


def _error_page(
    request: Request, status: int, message: str, file_problem: bool = False
) -> Response:
    """The page that says what went wrong, with the header of whoever is signed in and a
    way back to the page the person came from (on this site). A ``file_problem`` (a file
    that cannot be read or analysed) is said in the page's language, the English message
    as its details; a request too large (413) says that nothing was saved, with the way
    back to the form that still holds what was typed. A server's own error (500) offers
    to try again (the same address for a page asked for; the page it came from for a
    form sent, which is not sent again unseen) and the emergency call."""
    try:
        who = principal_of(request)
    except Exception:  # a session that cannot be read, or the database's own error
        who = Principal()
    back = _back(request)
    if back is None and status == 422 and request.method == "GET" and request.url.query:
        # an address typed or edited with a wrong setting: the same page with its usual ones
        context: dict[str, object] = {"back": None, "usual": request.url.path}
    else:
        context = {"back": back}
    if status == 413:
        context = refusal_context(request.url.path)
    if status == 500:
        context = {"server_error": True, "again": _again(request), "back": back}
    return page(
        request,
        "error.html",
        who,
        status,
        message=message,
        file_problem=file_problem,
        **context,
    )


def _again(request: Request) -> str | None:
    """Where "Try again" leads after a server's error: the same address for a page asked
    for (GET); none for a form sent, whose way back is the page it came from."""
    if request.method != "GET":
        return None
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


#: What a page is told when the server itself failed (500); the traceback goes to the log,
#: never to the page.
SERVER_ERROR = N_(
    "Something went wrong on the server and this page could not be shown. Try again in a "
    "moment, or go back to the start page."
)
#: ... and the API (``{"detail": ...}``, 500).
SERVER_ERROR_API = "The server failed to complete the request (an error on its side); try again"
#: The emergency line of the landing page's box (``_emergency_box.html``), the same words,
#: for the bare error page.
_EMERGENCY_LINE = (
    "Trouble breathing, blue or grey, a seizure of <strong>5 minutes</strong>, or not back "
    'to normal: <a class="button call" href="tel:%(number)s">Call %(number)s now</a>'
)


def _bare_error_page(request: Request) -> str:
    """A server's error page drawn without the app's templates (for when the app's frame
    cannot be drawn either): what happened, try again or the start page, and the
    emergency call, in the request's language where its catalog can be read."""
    number = escape(str(request.app.state.settings.emergency_number))
    try:
        lang = locale_of(request)
        with using(lang):
            say = gettext
            said = [say("Problem"), say("Sorry"), say(SERVER_ERROR)]
            said += [say("Try again"), say("Back to the start"), say("Emergency?")]
            line = say(_EMERGENCY_LINE) % {"number": number}
    except Exception:  # the catalogs themselves: English
        lang, line = "en", _EMERGENCY_LINE % {"number": number}
        said = ["Problem", "Sorry", SERVER_ERROR, "Try again", "Back to the start", "Emergency?"]
    title, sorry, message, again_words, start, emergency = (escape(w) for w in said)
    again = _again(request)
    try_again = f'<a href="{escape(again)}">{again_words}</a> · ' if again else ""
    return (
        f'<!doctype html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title} · spasmwatch</title>\n"
        '<link rel="stylesheet" href="/static/app.css">\n</head>\n<body>\n'
        f'<main id="main">\n<h1>{sorry}</h1>\n<p class="error" role="alert">{message}</p>\n'
        f'<p>{try_again}<a href="/">{start}</a></p>\n'
        '<section class="emergency-box" aria-labelledby="emergency-h">\n'
        f'<h2 id="emergency-h">{emergency}</h2>\n<p>{line}</p>\n</section>\n'
        "</main>\n</body>\n</html>\n"
    )


def _server_error(request: Request) -> Response:
    """The answer to a request the server failed (an exception no handler took): JSON for
    the API; for a page, the app's frame with what happened (:func:`_error_page`), or a
    bare page where that cannot be drawn either. Never the traceback, which the server
    logs (the exception goes on to it). Sent outside the middleware that adds the
    security headers, so they are added here."""
    response: Response
    if request.url.path.startswith("/api/"):
        response = JSONResponse({"detail": SERVER_ERROR_API}, status_code=500)
    else:
        try:
            with using(locale_of(request)):
                response = _error_page(request, 500, SERVER_ERROR)
        except Exception:
            log.exception("the error page could not be drawn")
            response = HTMLResponse(_bare_error_page(request), status_code=500)
    for name, value in SECURITY_HEADERS:
        response.headers[name.decode()] = value.decode()
    response.headers["cache-control"] = "no-store"
    return response


def _back(request: Request) -> str | None:
    """The path of the page this request came from, when it is one of this site's (the
    Referer of the same host) and not the failing address itself."""
    came_from = urlsplit(request.headers.get("referer", ""))
    path = came_from.path
    # a path that starts with two slashes (or a backslash) would be read as another host
    if not path.startswith("/") or path.startswith(("//", "/\\")):
        return None
    if came_from.netloc != request.url.netloc:
        return None
    back = path + (f"?{came_from.query}" if came_from.query else "")
    return None if path == request.url.path else back


def document_api_tokens(app: FastAPI) -> None:
    """Say in the OpenAPI document (``/api/v1/openapi.json``) what each operation that
    declares the API token (:data:`~spasmwatch.web.auth.API_TOKEN`) answers without a
    valid one (401). The scheme itself comes with the routers that declare it."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = plain()
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                if not isinstance(operation, dict) or not operation.get("security"):
                    continue
                operation.setdefault("responses", {}).setdefault(
                    "401",
                    {
                        "description": "No API token (or session), or one that is not "
                        "valid: mistyped, expired or revoked"
                    },
                )
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


#: What an address that leads to no page is told (no route, or a part that cannot be).
NO_PAGE = N_("There is no page at this address: it may have been mistyped.")


def create_app(settings: Settings | None = None, *, inline_jobs: bool = False) -> FastAPI:
    """Build the web app on ``settings`` (default: from ``SPASMWATCH_*`` variables).

    The database schema is created or upgraded here. Analyses are jobs for a worker
    process (``spasmwatch worker``, or the one ``spasmwatch serve`` starts); with
    ``inline_jobs`` the app runs them itself after each answer, one at a time, in its
    own process (for tests and scripts that drive the app without a worker).
    """
    from spasmwatch.web import i18n, offline
    from spasmwatch.web.routes import (
        accounts,
        api,
        care,
        children,
        clinician,
        eeg,
        episodes,
        exports,
        invitations,
        public,
        reports,
        share,
    )

    settings = settings or Settings.from_env()
    db = Database(settings)
    db.migrate()
    # Jobs whose worker stopped (the machine restarted, a process was killed) go back to
    # the queue or fail with the reason: none stays "running" for good.
    recover(db)
    read_audit = ReadAudit(db)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        limit_handlers(settings.web_threads)
        read_audit.start()
        try:
            yield
        finally:
            read_audit.stop()

    app = FastAPI(
        lifespan=lifespan,
        title="spasmwatch",
        version=__version__,
        description=(
            "Diary, triage and sharing for babies' brief movements.\n\n"
            "**Authentication**: a personal API token, made on the settings page "
            "(`/settings`, *API tokens*: read or write), sent as "
            "`Authorization: Bearer <token>`; here, enter it with **Authorize**. A signed-in "
            "browser's session cookie works too, with its CSRF token in `X-CSRF-Token` on "
            "changes. `POST /api/v1/triage` and `POST /api/v1/episode-draft` need neither. "
            "More, with examples to copy: `docs/api.md`.\n\n"
            'Errors answer `{"detail": ...}`: a list of messages, one per problem, for a '
            "problem with what was sent (409 changed meanwhile, 413 too large, 422 not "
            "valid, 429 too many); one message for the others (400, 401, 403, 404, 503), "
            "and for 500, when the server itself fails (the details go to its log): "
            f'`{{"detail": "{SERVER_ERROR_API}"}}`.'
        ),
        docs_url=None,
        openapi_url="/api/v1/openapi.json",
        redoc_url=None,
    )

    document_api_tokens(app)

    @app.get("/api/docs", include_in_schema=False)
    def _api_docs() -> Response:
        # Swagger UI from the app's own static files (nothing from a CDN), started by a
        # static script rather than an inline one, so the page keeps the strict policy.
        return HTMLResponse((HERE / "templates" / "api_docs.html").read_text())

    app.state.settings = settings
    app.state.db = db
    app.state.read_audit = read_audit
    app.state.inline_jobs = inline_jobs
    # Reports, exports, uploads and the EEG viewer run on threads of their own
    # (web/threads.py).
    app.state.slow_limiter = anyio.CapacityLimiter(SLOW_THREADS)
    app.state.templates = make_templates()
    # A page's file field refuses a file over this installation's limit before sending it.
    app.state.templates.env.globals["upload_limit_attributes"] = lambda: upload_field(
        settings.max_upload_bytes
    )
    # Counted in the database: one count for every web process.
    app.state.login_throttle = LoginThrottle(events=DatabaseEvents(db))
    app.state.public_limiter = RateLimiter(events=DatabaseEvents(db))
    # Body limits inside the CSRF middleware (whose receive runs in a task group): a body
    # over its limit stops with 413 in whichever route reads it.
    app.add_middleware(BodyLimit)
    app.add_middleware(AnonymousCsrf)
    # Outermost: the language and the family's clock of the request hold for everything
    # inside it.
    app.add_middleware(i18n.LocaleMiddleware)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    # The API's routers for a signed-in caller declare the API token: the OpenAPI document
    # gets its bearer scheme, and /api/docs its Authorize button (the token itself is
    # checked where every request's caller is found, web/auth.py).
    token = [Security(API_TOKEN)]
    for module in (
        public,
        accounts,
        invitations,
        children,
        episodes,
        care,
        share,
        clinician,
        eeg,
        api,
        reports,
        exports,
    ):
        app.include_router(module.router, dependencies=token if module in (api, exports) else None)
    app.include_router(care.api_router, dependencies=token)
    # The installable app (manifest, service worker, offline pages) and the language switch.
    app.state.static_version = offline.static_version()
    app.include_router(offline.router)
    app.include_router(i18n.router)
    app.include_router(public.api_router)

    @app.exception_handler(StarletteHTTPException)  # also an address that matches no route
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            detail = exc.detail
            if exc.status_code in (409, 413, 422, 429) and isinstance(detail, str):
                detail = [detail]  # a problem with what was sent: always a list
            return JSONResponse(
                {"detail": detail}, status_code=exc.status_code, headers=exc.headers
            )
        if exc.status_code == 401:
            return RedirectResponse(f"/signin?next={request.url.path}", status_code=303)
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":  # an address no route has
            message = NO_PAGE
        return _error_page(request, exc.status_code, message)

    @app.exception_handler(SpasmwatchError)
    async def _use_case_error(request: Request, exc: SpasmwatchError) -> Response:
        status = error_status(exc)
        api = request.url.path.startswith("/api/")
        if status == 401:
            if api:
                return JSONResponse(
                    {"detail": str(exc)},
                    status_code=401,
                    headers={"WWW-Authenticate": BEARER_CHALLENGE},
                )
            return RedirectResponse(f"/signin?next={request.url.path}", status_code=303)
        if api:
            problems = exc.problems if isinstance(exc, InvalidCase) else [str(exc)]
            detail: object = problems if status in (409, 422) else str(exc)
            return JSONResponse({"detail": detail}, status_code=status)
        message = "; ".join(exc.problems) if isinstance(exc, InvalidCase) else error_message(exc)
        file_problem = isinstance(exc, (UnreadableFile, AnalysisError))
        return _error_page(request, status, message, file_problem)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in exc.errors()
        ]
        if not request.url.path.startswith("/api/") and all(
            e["loc"][:1] == ("path",) for e in exc.errors()
        ):
            # a page's address with a part that cannot be (/children/abc): no such page
            message = NO_PAGE
            return _error_page(request, 404, message)
        return JSONResponse({"detail": problems}, status_code=422)

    @app.exception_handler(SQLAlchemyError)
    async def _db_error(request: Request, exc: SQLAlchemyError) -> Response:
        log.error("database error: %s", exc)
        detail = "The database could not complete the request; nothing was saved."
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": detail}, status_code=503)
        return _error_page(request, 503, detail)

    # Any other exception: the server's outermost layer answers with this and then raises
    # it on, for the server to log its traceback as before.
    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        return _server_error(request)

    return app
