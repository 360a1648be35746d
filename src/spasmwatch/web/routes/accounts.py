"""Sign up, sign in, sign out, settings (personal API token)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from spasmwatch.store import repo
from spasmwatch.web.auth import (
    SESSION_COOKIE,
    SESSION_DAYS,
    Principal,
    check_csrf,
    hash_password,
    hash_token,
    new_token,
    password_matches,
    require_user,
    start_session,
)
from spasmwatch.web.render import page
from spasmwatch.web.routes import database, principal
from spasmwatch.web.throttle import LoginThrottle

router = APIRouter(include_in_schema=False)

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10


#: Failed sign-ins allowed from one address before waits begin (an account allows
#: LoginThrottle.free); sign-ups allowed from one address in the throttle's window.
ADDRESS_FREE = 20
SIGNUPS_FREE = 10


def throttle(request: Request) -> LoginThrottle:
    """The app's throttle of password guesses."""
    return request.app.state.login_throttle  # type: ignore[no-any-return]


def address_key(request: Request) -> str:
    """The throttle key of the client's address."""
    return f"address:{request.client.host if request.client else 'unknown'}"


def too_many(
    request: Request, who: Principal, name: str, wait: int, **context: object
) -> Response:
    """The form again, 429, with when to try again."""
    errors = {"_form": f"Too many attempts: try again in {wait} s"}
    response = page(request, name, who, 429, errors=errors, **context)
    response.headers["Retry-After"] = str(wait)
    return response


def _safe_next(target: str | None) -> str:
    """Only local paths are followed after sign-in."""
    if not target or urlparse(target).netloc or not target.startswith("/"):
        return "/children"
    return target


def _signed_in(request: Request, token: str, target: str) -> Response:
    response = RedirectResponse(_safe_next(target), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.get("/signup")
def signup_form(request: Request, who: Principal = Depends(principal)) -> Response:
    return page(request, "signup.html", who, values={}, errors={})


@router.post("/signup")
def signup(
    request: Request,
    email: str = Form(""),
    display_name: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    check_csrf(request, who, csrf_token)
    errors: dict[str, str] = {}
    email = email.strip().lower()
    if not EMAIL.match(email):
        errors["email"] = "Please give a valid email address"
    if not display_name.strip():
        errors["display_name"] = "Please give your name"
    elif len(display_name) > 100:
        errors["display_name"] = "At most 100 characters"
    if len(password) < MIN_PASSWORD:
        errors["password"] = f"Use at least {MIN_PASSWORD} characters"
    values = {"email": email, "display_name": display_name}
    if errors:
        return page(request, "signup.html", who, 422, values=values, errors=errors)
    limiter, address = throttle(request), f"signup:{address_key(request)}"
    wait = limiter.wait_s([address], free=SIGNUPS_FREE)
    if wait:
        return too_many(request, who, "signup.html", wait, values=values)
    limiter.failed([address])  # every sign-up counts towards the address's limit
    # The password is hashed whether or not the email is taken: the answer takes as long.
    password_hash = hash_password(password)
    with database(request).transaction() as s:
        if repo.user_by_email(s, email):
            errors["email"] = (
                "No new account can be made with this email (if an account with it exists "
                "and it is yours, sign in or reset its password)"
            )
            return page(request, "signup.html", who, 422, values=values, errors=errors)
        user = repo.create_user(s, email, display_name, password_hash)
        repo.audit(s, "sign_up", user_id=user.id)
        token = start_session(s, user)
    return _signed_in(request, token, "/children/new")


@router.get("/signin")
def signin_form(request: Request, next: str = "", who: Principal = Depends(principal)) -> Response:
    return page(request, "signin.html", who, values={"next": next}, errors={})


@router.post("/signin")
def signin(
    request: Request,
    email: str = Form(""),
    password: str = Form(""),
    next: str = Form(""),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    check_csrf(request, who, csrf_token)
    values = {"email": email, "next": next}
    limiter = throttle(request)
    account, address = f"account:{email.strip().lower()}", address_key(request)
    wait = max(limiter.wait_s([account]), limiter.wait_s([address], free=ADDRESS_FREE))
    if wait:
        return too_many(request, who, "signin.html", wait, values=values)
    with database(request).transaction() as s:
        user = repo.user_by_email(s, email)
        if not password_matches(user, password) or user is None:
            limiter.failed([account, address])
            errors = {"_form": "The email or the password is not right"}
            return page(request, "signin.html", who, 401, values=values, errors=errors)
        limiter.succeeded(account)
        repo.audit(s, "sign_in", user_id=user.id)
        token = start_session(s, user)
    return _signed_in(request, token, next)


@router.post("/signout")
def signout(
    request: Request, csrf_token: str = Form(""), who: Principal = Depends(principal)
) -> Response:
    check_csrf(request, who, csrf_token)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with database(request).transaction() as s:
            repo.delete_session(s, hash_token(token))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/settings")
def settings_page(request: Request, who: Principal = Depends(principal)) -> Response:
    require_user(who)
    return page(request, "settings.html", who, new_api_token=None)


@router.post("/settings/token")
def new_api_token(
    request: Request, csrf_token: str = Form(""), who: Principal = Depends(principal)
) -> Response:
    check_csrf(request, who, csrf_token)
    user = require_user(who)
    token = new_token()
    with database(request).transaction() as s:
        repo.set_api_token(s, user.id, hash_token(token))
        repo.audit(s, "new_api_token", user_id=user.id)
    return page(request, "settings.html", who, new_api_token=token)
