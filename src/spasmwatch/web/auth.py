"""Accounts, sessions, API tokens, CSRF and per-child roles.

- Passwords are hashed with argon2.
- A signed-in browser holds a random session token in an HttpOnly, SameSite=Lax cookie
  (Secure when served over HTTPS); the database stores only its SHA-256.
- Scripts use a personal API token: ``Authorization: Bearer <token>``. On the JSON API a
  header of another scheme (``Token ...``, ``Basic ...``, a bare token) is refused with
  401 saying which form to use, rather than read as nobody ("Sign in first"), unless a
  browser's session cookie is valid: a proxy that asks for a password of its own passes
  its ``Basic`` header on with every request of the signed-in browser.
- CSRF: every form carries a token. Signed in, it is bound to the session; before sign-in
  (the sign-in and sign-up forms) it is a double-submit cookie. API calls authenticated by
  cookie must send it in the ``X-CSRF-Token`` header; calls with a bearer token need none.
  An API call that sends no ``X-CSRF-Token`` at all (a script, or "Try it out" at
  ``/api/docs`` from a signed-in browser) is told that scripts use a bearer token.
- Roles per child: ``owner`` (everything), ``caregiver`` (view and log), ``viewer`` (view).
  A user with no role for a child gets 404, as if it did not exist.
"""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import HTTPException, Request
from fastapi.security import HTTPBearer
from sqlalchemy.orm import Session

from spasmwatch.diary.access import Principal, child_for, hash_token, new_token
from spasmwatch.store import repo
from spasmwatch.store.models import Child, ShareLink, User, UserSession

__all__ = [
    "API_TOKEN",
    "BEARER_CHALLENGE",
    "CSRF_COOKIE",
    "CSRF_MISSING_ON_API",
    "SESSION_COOKIE",
    "Principal",
    "check_csrf",
    "hash_password",
    "hash_token",
    "new_token",
    "password_matches",
    "principal_of",
    "require_child",
    "resolve_principal",
    "verify_password",
    "wrong_scheme",
]

SESSION_COOKIE = "sw_session"
CSRF_COOKIE = "sw_csrf"
#: A session unused for this long has ended (sign in again).
SESSION_IDLE = timedelta(hours=72)
#: How often a session's last use is written down.
TOUCH_EVERY = timedelta(minutes=5)
#: What a read-only API token may do.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2 hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_dummy_hash: str | None = None


def password_matches(user: User | None, password: str) -> bool:
    """Whether ``password`` is the password of ``user``; without a user, a dummy hash is
    checked all the same, so that the answer takes as long whether or not an account
    exists."""
    global _dummy_hash
    if user is None:
        if _dummy_hash is None:
            _dummy_hash = hash_password(secrets.token_urlsafe(16))
        verify_password(_dummy_hash, password)
        return False
    return verify_password(user.password_hash, password)


def resolve_principal(request: Request, s: Session) -> Principal:
    """Find the user behind a request: bearer token first, then the session cookie.

    An API token works on the JSON API only (401 when unknown or expired, 403 on any other
    route, 403 for a read token on anything but reading). A session unused for
    :data:`SESSION_IDLE` has ended. Without a valid session, an ``Authorization`` header of
    another scheme on the API is refused (401, :func:`wrong_scheme`): a script that sent
    its token in another form learns which one, instead of "Sign in first".
    """
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        found_token = repo.api_token(s, hash_token(header[7:].strip()))
        if found_token is None:
            raise HTTPException(
                401,
                "This API token is not valid: it is mistyped, expired or revoked; make a "
                "new one on the settings page (/settings)",
                headers={"WWW-Authenticate": f'{BEARER_CHALLENGE}, error="invalid_token"'},
            )
        api_token, user = found_token
        if not request.url.path.startswith("/api/"):
            raise HTTPException(403, "API tokens work on the JSON API (/api/v1) only")
        if api_token.scope != "write" and request.method not in READ_METHODS:
            raise HTTPException(403, "This API token may only read; make a write token")
        return Principal(user=user, via_api_token=True, scope=api_token.scope)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        found = repo.session_user(s, hash_token(token))
        if found and not session_idle(found[0]):
            return Principal(user=found[1], session=found[0])
    if header.strip() and _api_call(request):
        raise HTTPException(
            401, wrong_scheme(header), headers={"WWW-Authenticate": BEARER_CHALLENGE}
        )
    return Principal()


#: The API token as the OpenAPI document declares it (a bearer scheme: the Authorize button
#: of /api/docs). It checks nothing itself (``auto_error=False``): :func:`resolve_principal`
#: does, for the token and the session cookie alike.
API_TOKEN = HTTPBearer(
    scheme_name="apiToken",
    description="A personal API token from the settings page (`/settings`, *API tokens*), "
    "sent as `Authorization: Bearer <token>` (paste the token alone here). A *read* token "
    "may only read. A signed-in browser's session cookie works too, with its "
    "`X-CSRF-Token` header on changes.",
    auto_error=False,
)
#: The ``WWW-Authenticate`` challenge of a 401 for an API token (RFC 6750).
BEARER_CHALLENGE = 'Bearer realm="spasmwatch API"'
#: API addresses a browser asks signed out too, which answer nobody rather than 401: the
#: installable app's check of who is signed in (a browser behind a proxy's password prompt
#: sends the proxy's ``Basic`` header there as well).
ANONYMOUS_API_PATHS = frozenset({"/api/v1/offline/session"})


def _api_call(request: Request) -> bool:
    """Whether the request is a call of the JSON API that a credential is meant for."""
    path = request.url.path
    return path.startswith("/api/") and path not in ANONYMOUS_API_PATHS


def wrong_scheme(header: str) -> str:
    """What a script whose ``Authorization`` header is not ``Bearer <token>`` is told: the
    form to use, and the scheme it sent (never the rest of the header, which may be a
    secret: a bare token is not said back)."""
    header = header.strip()
    scheme = header.split(None, 1)[0] if " " in header else ""
    if header.lower() == "bearer":
        sent = "this request sent 'Bearer' without a token"
    elif re.fullmatch(r"[A-Za-z][A-Za-z0-9._~+/-]{0,19}", scheme):
        sent = f"this request sent the scheme {scheme!r}"
    else:
        sent = "this request sent a header without a scheme"
    return (
        "The API takes an API token as 'Authorization: Bearer <token>' (make one on the "
        f"settings page, /settings); {sent}"
    )


#: Where :func:`principal_of` keeps its answer in the request's ASGI scope.
_PRINCIPAL_KEY = "spasmwatch.principal"


def principal_of(request: Request) -> Principal:
    """Who is asking (:func:`resolve_principal`), read once per request in one query: the
    body limit (:class:`~spasmwatch.web.limits.BodyLimit`) asks first, and the route's
    dependency gets the same answer (or the same refusal) without another transaction."""
    state = request.scope.setdefault("state", {})
    found = state.get(_PRINCIPAL_KEY)
    if found is None:
        try:
            with request.app.state.db.reading() as s:
                found = resolve_principal(request, s)
        except HTTPException as exc:
            found = exc
        state[_PRINCIPAL_KEY] = found
    if isinstance(found, HTTPException):
        raise found
    return found


def session_idle(session: UserSession, now: datetime | None = None) -> bool:
    """Whether the session went unused for longer than :data:`SESSION_IDLE`."""
    last = session.last_seen_at or session.created_at
    return (now or datetime.now()) - last > SESSION_IDLE


def needs_touch(session: UserSession, now: datetime | None = None) -> bool:
    """Whether the session's last use should be written down again (every few minutes,
    not on every request)."""
    last = session.last_seen_at or session.created_at
    return (now or datetime.now()) - last > TOUCH_EVERY


def csrf_token_for(request: Request, principal: Principal) -> str:
    """The CSRF token the page's forms must carry."""
    if principal.session is not None:
        return principal.session.csrf_token
    return request.state.anon_csrf


def check_csrf(request: Request, principal: Principal, submitted: str | None) -> None:
    """Refuse a state-changing request without the right CSRF token (403)."""
    if principal.via_api_token:
        return
    sent = submitted or request.headers.get("x-csrf-token", "")
    expected = csrf_token_for(request, principal)
    if not sent or not hmac.compare_digest(sent, expected):
        if not sent and request.url.path.startswith("/api/"):
            # a script, or "Try it out" at /api/docs from a signed-in browser: the same
            # refusal, said so that whoever calls the API finds the way meant for it
            raise HTTPException(403, CSRF_MISSING_ON_API)
        raise HTTPException(403, "The form has expired or did not come from this site; reload")


#: What an API call that changes something without an API token and without the
#: ``X-CSRF-Token`` header (which only a call signed in by the browser's session cookie
#: sends) is told.
CSRF_MISSING_ON_API = (
    "This call has no X-CSRF-Token header, which a call signed in with the browser's "
    "session cookie needs, so it was refused. API calls from a script use an API token "
    "instead: 'Authorization: Bearer <token>' (make one on the settings page, /settings; "
    "at /api/docs, enter it with Authorize)"
)


def require_user(principal: Principal) -> User:
    """The signed-in user, or 401 (with the bearer challenge, as every 401 of the API: a
    page's 401 is a redirect to sign-in, which drops it)."""
    if principal.user is None:
        raise HTTPException(401, "Sign in first", headers={"WWW-Authenticate": BEARER_CHALLENGE})
    return principal.user


def require_child(s: Session, principal: Principal, child_id: int, need: str) -> tuple[Child, str]:
    """The child and the user's role, if the role allows ``need`` (view, log, own): see
    :func:`spasmwatch.diary.access.child_for` (401, 404 or 403 through the app's handler
    of the error tree)."""
    return child_for(s, principal, child_id, need)


def require_share(s: Session, token: str) -> ShareLink:
    """The valid share link for ``token`` or 404 (unknown, revoked or expired)."""
    link = repo.share_link_by_token(s, hash_token(token))
    if link is None:
        raise HTTPException(404, "This link is not valid: it may have expired or been revoked")
    return link
