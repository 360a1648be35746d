"""The installable app: manifest, service worker, the pages that work offline, and the
episodes a phone logged offline, sent later exactly once.

What the service worker (``static/sw.js``) keeps: the public pages (landing with the
emergency instruction, guide, happening-now mode, the check, the offline episode form
``/log`` without any data, ``/offline``) fetched *without cookies*, and the static files.
A diary page is never kept: offline, a private page is answered by ``/offline`` (or, for
"log an episode", by the ``/log`` form), so no one's diary is shown to anyone from the cache.

An episode logged offline waits in the browser (IndexedDB, ``static/offline.js``) with a key
the browser made; it is sent to ``POST /api/v1/children/{id}/episodes/form`` with that key in
``Idempotency-Key``. The key is stored with the episode (``episodes.client_key``): the same
key again returns the episode stored the first time, never a second one.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response

from spasmwatch import __version__
from spasmwatch.diary import queued
from spasmwatch.diary.access import Principal, child_for
from spasmwatch.diary.children import child_document
from spasmwatch.store import repo
from spasmwatch.web.auth import check_csrf, csrf_token_for
from spasmwatch.web.forms import episode_from_form, form_now
from spasmwatch.web.i18n import gettext, locale_of, using
from spasmwatch.web.render import HERE, page
from spasmwatch.web.routes import database, principal

__all__ = ["OFFLINE_PAGES", "WHO_LOGS", "router", "static_version"]

router = APIRouter(include_in_schema=False)

#: Public pages the service worker keeps for offline use (fetched without cookies).
OFFLINE_PAGES = ("/", "/guide", "/now", "/check", "/log", "/offline")


def static_version(static_dir: Path = HERE / "static") -> str:
    """A short hash of the app's version and its static files (names, sizes, times): a new
    one makes browsers install the new service worker and refresh what they keep."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(static_dir.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(
                f"{path.relative_to(static_dir)}:{stat.st_size}:{stat.st_mtime_ns}".encode()
            )
    return digest.hexdigest()[:12]


@router.get("/manifest.webmanifest")
def manifest(request: Request) -> Response:
    """The web app manifest (names in the visitor's language)."""
    with using(locale_of(request)):
        body = {
            "name": "spasmwatch",
            "short_name": "spasmwatch",
            "description": gettext(
                "Log your baby's brief movements and see how urgently to get help."
            ),
            "lang": locale_of(request),
            "id": "/",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "orientation": "portrait",
            "background_color": "#fafafa",
            "theme_color": "#12355b",
            "icons": [
                {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
                {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
                {
                    "src": "/static/icons/maskable-512.png",
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
            "shortcuts": [
                {"name": gettext("It's happening now"), "url": "/now"},
                {"name": gettext("Log an episode"), "url": "/log"},
            ],
        }
    return JSONResponse(body, media_type="application/manifest+json")


@router.get("/sw.js")
def service_worker(request: Request) -> Response:
    """The service worker, from the site's root so that it may serve every page."""
    version: str = request.app.state.static_version
    script = (HERE / "static" / "sw.js").read_text().replace("__VERSION__", version)
    return Response(
        script,
        media_type="text/javascript",
        # Checked on every visit: a new version reaches phones at once.
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


#: Who the ``/log`` form speaks to, as the server sees the visitor: no account, an account
#: with no child to log for, or a parent with one ("ready"). The page's script puts it right
#: from the children kept on the phone (the service worker's copy is fetched without
#: cookies, as by a visitor without an account).
WHO_LOGS = ("no_account", "no_child", "ready")


@router.get("/log")
def offline_log_form(request: Request, who: Principal = Depends(principal)) -> Response:
    """Log an episode on this phone, offline too: the form without any data. The children
    the parent may log for come from the browser (kept there by ``static/offline.js``);
    without one the page says so before the form (``who_logs``, :data:`WHO_LOGS`), with
    what works without an account."""
    if who.user is None:
        who_logs = "no_account"
    else:
        who_logs = "ready" if _children_to_log(request, who) else "no_child"
    return page(request, "log.html", who, values={}, errors={}, who_logs=who_logs)


def _children_to_log(request: Request, who: Principal) -> list[dict[str, Any]]:
    """The children the signed-in visitor may log episodes for (id and name)."""
    if who.user is None:
        return []
    with database(request).reading() as s:
        return [
            {"id": child.id, "name": child.name}
            for child, role in repo.children_for_user(s, who.user.id)
            if role in ("owner", "caregiver")
        ]


@router.get("/offline")
def offline_page(request: Request, who: Principal = Depends(principal)) -> Response:
    """What a private page is answered with when there is no connection."""
    return page(request, "offline.html", who)


@router.get("/api/v1/offline/session")
def offline_session(request: Request, who: Principal = Depends(principal)) -> dict[str, Any]:
    """Who is signed in, the token to send queued episodes with, and the children this
    person may log for (kept by the browser for the offline form)."""
    if who.user is None:
        return {"user": None, "csrf": None, "children": []}
    children = _children_to_log(request, who)
    return {"user": who.user.id, "csrf": csrf_token_for(request, who), "children": children}


@router.post("/api/v1/children/{child_id}/episodes/form")
async def episode_from_queue(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    """Store an episode typed into the form while offline, once: the ``Idempotency-Key``
    header identifies it, and sending it again returns the first answer (200) instead of a
    second episode (201 the first time). Refused fields come back as 422 with the message
    for each field, as the form would show them."""
    key = request.headers.get("idempotency-key", "").strip()
    if not queued.KEY_PATTERN.match(key):
        raise HTTPException(400, "Idempotency-Key: 16-64 letters, digits, '-' or '_'")
    check_csrf(request, who, None)
    form = await request.form(max_files=0, max_fields=300)
    db = database(request)
    with db.reading() as s:
        child, _ = child_for(s, who, child_id, "log")
        child_doc = child_document(child)
    if (earlier := queued.earlier(db, key, child_id)) is not None:
        return _sent(earlier)
    now = form_now(form)  # the phone's clock as it sent the episode, when plausible
    with using(locale_of(request)):
        data, errors = episode_from_form(form, child_doc, now)
        if errors:
            message = gettext("The server did not accept this episode")
            return JSONResponse({"detail": errors, "message": message}, status_code=422)
    return _sent(queued.log_once(db, who, child_id, data, key, now))


def _sent(sent: queued.Sent) -> Response:
    return JSONResponse(
        {"episode_id": sent.episode_id, "replayed": sent.replayed},
        status_code=200 if sent.replayed else 201,
    )


@router.get("/reminders")
def reminders_page(request: Request, who: Principal = Depends(principal)) -> Response:
    """The optional daily reminder (off by default; kept in the browser only)."""
    return page(request, "reminders.html", who)
