"""The app factory: ``create_app(settings) -> FastAPI``, shared by the CLI and the tests."""

from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from spasmwatch import __version__
from spasmwatch.config import Settings
from spasmwatch.store import Database
from spasmwatch.web.auth import CSRF_COOKIE, Principal, new_token
from spasmwatch.web.render import HERE, make_templates, page

__all__ = ["create_app"]

log = logging.getLogger("spasmwatch")


class AnonymousCsrf(BaseHTTPMiddleware):
    """Give every browser a CSRF cookie for the forms it sees before signing in."""

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        token = request.cookies.get(CSRF_COOKIE)
        request.state.anon_csrf = token or new_token()
        response = await call_next(request)
        if not token:
            response.set_cookie(
                CSRF_COOKIE,
                request.state.anon_csrf,
                httponly=True,
                samesite="lax",
                secure=request.url.scheme == "https",
            )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        return response


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the web app on ``settings`` (default: from ``SPASMWATCH_*`` variables).

    The database schema is created or upgraded here.
    """
    from spasmwatch.web.routes import accounts, api, children, episodes, exports, reports, share

    settings = settings or Settings.from_env()
    db = Database(settings)
    db.migrate()
    app = FastAPI(
        title="spasmwatch",
        version=__version__,
        description="Diary, triage and sharing for babies' brief movements.",
        docs_url=None,
        openapi_url="/api/v1/openapi.json",
        redoc_url=None,
    )

    @app.get("/api/docs", include_in_schema=False)
    def _api_docs() -> Response:
        # Swagger UI from the app's own static files: nothing is loaded from a CDN.
        return get_swagger_ui_html(
            openapi_url="/api/v1/openapi.json",
            title="spasmwatch API",
            swagger_js_url="/static/swagger/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )

    app.state.settings = settings
    app.state.db = db
    app.state.templates = make_templates()
    app.add_middleware(AnonymousCsrf)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    for module in (accounts, children, episodes, share, api, reports, exports):
        app.include_router(module.router)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        if exc.status_code == 401:
            return RedirectResponse(f"/signin?next={request.url.path}", status_code=303)
        return page(request, "error.html", Principal(), exc.status_code, message=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in exc.errors()
        ]
        return JSONResponse({"detail": problems}, status_code=422)

    @app.exception_handler(SQLAlchemyError)
    async def _db_error(request: Request, exc: SQLAlchemyError) -> Response:
        log.error("database error: %s", exc)
        detail = "The database could not complete the request; nothing was saved."
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": detail}, status_code=503)
        return page(request, "error.html", Principal(), 503, message=detail)

    return app
