"""Sign up, sign in, sign out, password change and reset, settings (API tokens)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode, urlparse

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from spasmwatch.diary import accounts, sharing
from spasmwatch.diary import signup as signup_rule
from spasmwatch.diary.accounts import (
    API_SCOPES,
    SESSION_DAYS,
    TOKEN_DAYS,
    SignedIn,
)
from spasmwatch.diary.exchange import export_account_zip
from spasmwatch.diary.sharing import InvitationCheck
from spasmwatch.errors import Conflict, NotFound
from spasmwatch.store import repo
from spasmwatch.web.auth import (
    SESSION_COOKIE,
    Principal,
    check_csrf,
    hash_password,
    password_matches,
    require_user,
)
from spasmwatch.web.forms import CONTROL, CONTROL_MESSAGE, EMAIL
from spasmwatch.web.i18n import gettext
from spasmwatch.web.invitation import forget_invitation, kept_invitation
from spasmwatch.web.pending import PENDING_MAX_AGE_S, read_pending
from spasmwatch.web.render import page
from spasmwatch.web.routes import database, principal
from spasmwatch.web.threads import slow
from spasmwatch.web.throttle import LoginThrottle

if TYPE_CHECKING:
    from spasmwatch.config import Settings

router = APIRouter(include_in_schema=False)

MIN_PASSWORD = 10


#: Failed sign-ins allowed from one address before waits begin (an account allows
#: LoginThrottle.free); sign-ups allowed from one address in the throttle's window.
ADDRESS_FREE = 20
SIGNUPS_FREE = 10
#: For the hours a kept check waits in the browser (``PENDING_MAX_AGE_S``), said on the
#: sign-up page.
SECONDS_PER_HOUR = 3600
#: The most of an invitation code that is read (one is 19 characters with its dashes;
#: anything longer is cut, never kept whole in a page) [design].
MAX_CODE = 40


def throttle(request: Request) -> LoginThrottle:
    """The app's throttle of password guesses."""
    return request.app.state.login_throttle  # type: ignore[no-any-return]


def address_key(request: Request) -> str:
    """The throttle key of the client's address."""
    return f"address:{request.client.host if request.client else 'unknown'}"


def too_many(request: Request, who: Principal, name: str, wait: int, **context: object) -> Response:
    """The form again, 429, with when to try again."""
    errors = {"_form": gettext("Too many attempts: try again in %(n)s s") % {"n": wait}}
    response = page(request, name, who, 429, errors=errors, **context)
    response.headers["Retry-After"] = str(wait)
    return response


def _safe_next(target: str | None) -> str:
    """Only local paths are followed after sign-in (a browser reads ``//host`` and
    ``/\\host`` as another site)."""
    if (
        not target
        or urlparse(target).netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return "/children"
    return target


def _signed_in(
    request: Request, signed: SignedIn, target: str, invitation: str | None = None
) -> Response:
    """The new session's cookie, and on to ``target``; with an invitation link brought
    (``invitation``, its token), to the child it gave a role for, or to the link's page
    that says why it gave none (a used, expired or withdrawn link)."""
    taken = signed.invitation
    if taken is not None and taken.state in ("accepted", "own"):
        target = f"/children/{taken.child_id}"
    elif taken is not None and invitation:
        target = f"/invite/{quote(invitation, safe='')}"
    response = RedirectResponse(_safe_next(target), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        signed.token,
        max_age=SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    if invitation:
        forget_invitation(response)
    return response


def _invitation(request: Request) -> InvitationCheck | None:
    """The invitation link opened in this browser before signing up or in, when it can
    still be taken up (the form says what signing up or in will give)."""
    token = kept_invitation(request)
    if token is None:
        return None
    found = sharing.check_invitation(database(request), token)
    return found if found.state == "open" else None


def _signup_page(
    request: Request,
    who: Principal,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    *,
    code_from_link: bool = False,
) -> Response:
    """The sign-up page as the installation's rule has it (``signup.html``): with the
    invitation link opened in this browser, if any, and whether a kept check waits;
    ``code_from_link``: the invitation code in its field came with the link of
    ``spasmwatch invite-family``."""
    return page(
        request,
        "signup.html",
        who,
        status,
        values=values or {},
        errors=errors or {},
        invitation=_invitation(request),
        kept_check=read_pending(request) is not None,
        kept_check_hours=PENDING_MAX_AGE_S // SECONDS_PER_HOUR,
        code_from_link=code_from_link,
    )


def _link_gone_message(state: str) -> str:
    """What the sign-up form says when the invitation link it was to be made with (in
    ``invite`` mode, without a code) can no longer be taken up: ``state``, where the link
    stands (:class:`~spasmwatch.diary.sharing.InvitationCheck`)."""
    if state == "used":
        return gettext(
            "The invitation link you opened has been used already (it works once), so no "
            "account was made: type the invitation code you were given, or ask the person "
            "who sent the link for a new one"
        )
    return gettext(
        "The invitation link you opened no longer works, so no account was made: type the "
        "invitation code you were given, or ask the person who sent the link for a new one"
    )


def _code_refused(settings: Settings, problem: signup_rule.CodeProblem | None) -> str:
    """Why the invitation code given lets nobody in, and what to do, in the page's
    language (:func:`~spasmwatch.diary.signup.code_problem`); whom to ask for a new code
    is who runs the server (``SPASMWATCH_HOSTED_BY``)."""
    who = settings.hosted_by or gettext("whoever runs this app")
    if problem == "malformed":
        said = gettext(
            "This is not a whole invitation code (one has 16 letters and digits, in groups "
            "of four): check what you typed, or ask %(who)s for a new code"
        )
    elif problem == "expired":
        said = gettext(
            "This invitation code has expired (a code works for a limited time): ask "
            "%(who)s for a new one"
        )
    elif problem == "withdrawn":
        said = gettext(
            "This invitation code no longer works: the codes made before now have been "
            "withdrawn. Ask %(who)s for a new one"
        )
    else:
        said = gettext(
            "This invitation code does not work with this email address: check the code "
            "and give the address the invitation was made for. If both are right, the code "
            "has been withdrawn: ask %(who)s for a new one"
        )
    return said % {"who": who}


@router.get("/signup")
def signup_form(request: Request, code: str = "", who: Principal = Depends(principal)) -> Response:
    """The sign-up page; ``code``: the invitation code of the link ``spasmwatch
    invite-family`` printed, put in its field (the page says it came with the link)."""
    if not code:
        return _signup_page(request, who)
    return _signup_page(request, who, values={"code": code[:MAX_CODE]}, code_from_link=True)


@router.post("/signup")
def signup(
    request: Request,
    email: str = Form(""),
    display_name: str = Form(""),
    password: str = Form(""),
    code: str = Form(""),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """A new account, as the installation's sign-up rule allows
    (:func:`~spasmwatch.diary.signup.may_sign_up`): ``closed``, none (403); ``invite``,
    with an invitation code that works for the email or an invitation link to a child's
    diary opened in this browser."""
    check_csrf(request, who, csrf_token)
    settings = request.app.state.settings
    if settings.signup == "closed":
        return _signup_page(request, who, 403)
    kept = kept_invitation(request)
    link = sharing.check_invitation(database(request), kept) if kept else None
    diary_invitation = link is not None and link.state == "open"
    needs_code = settings.signup == "invite" and not diary_invitation
    errors: dict[str, str] = {}
    code = code.strip()[:MAX_CODE]
    email = email.strip().lower()
    if not EMAIL.match(email):
        errors["email"] = gettext("Please give a valid email address")
    if not display_name.strip():
        errors["display_name"] = gettext("Please give your name")
    elif CONTROL.search(display_name):
        errors["display_name"] = gettext(
            "Your name has a control character (such as a NUL byte) that text cannot hold"
        )
    elif len(display_name) > 100:
        errors["display_name"] = gettext("At most 100 characters")
    if len(password) < MIN_PASSWORD:
        errors["password"] = gettext("Use at least %(n)s characters") % {"n": MIN_PASSWORD}
    if needs_code and not code:
        # a link brought that went since the form was opened: the form says so
        errors["code"] = (
            _link_gone_message(link.state)
            if link is not None
            else gettext("Please give the invitation code you were given")
        )
    values = {"email": email, "display_name": display_name, "code": code}

    def refused(status: int = 422) -> Response:
        """The form again, what was typed kept, each problem named; a link brought that
        cannot be taken up any more is forgotten (the form now asks for the code)."""
        response = _signup_page(request, who, status, values, errors)
        if link is not None and not diary_invitation:
            forget_invitation(response)
        return response

    def link_gone(state: str) -> Response:
        """The link, the only way in without a code, went while the form was sent."""
        errors["code"] = _link_gone_message(state)
        response = _signup_page(request, who, 409, values, errors)
        forget_invitation(response)
        return response

    if errors:
        return refused()
    limiter, address = throttle(request), f"signup:{address_key(request)}"
    wait = limiter.wait_s([address], free=SIGNUPS_FREE)
    if wait:
        return too_many(request, who, "signup.html", wait, values=values)
    limiter.failed([address])  # every sign-up counts towards the address's limit
    # A code is checked within the address's limit: each wrong one is a try of it.
    problem = signup_rule.code_problem(settings.data_dir, email, code) if needs_code else None
    code_ok = needs_code and problem is None
    if not signup_rule.may_sign_up(
        settings.signup, code_ok=code_ok, diary_invitation=diary_invitation
    ):
        errors["code"] = _code_refused(settings, problem)
        return refused()
    # The password is hashed whether or not the email is taken: the answer takes as long.
    password_hash = hash_password(password)
    try:
        account = accounts.create_account(
            database(request),
            email,
            display_name,
            password_hash,
            kept,
            # without a code, invite mode lets in only the holder of the link: it is
            # taken up with the account, or no account is made
            invitation_required=settings.signup == "invite" and not code_ok,
        )
    except accounts.InvitationGone as gone:  # the link went while this form was sent
        return link_gone(gone.check.state)
    if account is None:
        errors["email"] = gettext(
            "No new account can be made with this email (if an account with it exists "
            "and it is yours, sign in or reset its password)"
        )
        return refused()
    if account.invitation is not None and read_pending(request) is not None:
        # a check's answers to keep: adding one's own child first, whatever the link gave
        return _signed_in(request, SignedIn(account.token), "/children/new", kept)
    return _signed_in(request, account, "/children/new", kept)


@router.get("/signin")
def signin_form(request: Request, next: str = "", who: Principal = Depends(principal)) -> Response:
    return page(
        request,
        "signin.html",
        who,
        values={"next": next},
        errors={},
        invitation=_invitation(request),
    )


#: Addresses people type for the sign-in page, sent on to it (with ``next``).
SIGNIN_ALIASES = ("/login", "/log-in", "/sign-in")


def signin_alias(next: str = "") -> Response:
    """To the sign-in page, keeping ``next`` (a path of this site: anything else is left
    out, as sign-in would not follow it)."""
    target = "/signin"
    if next and _safe_next(next) == next:
        target += "?" + urlencode({"next": next})
    return RedirectResponse(target, status_code=301)


for _alias in SIGNIN_ALIASES:
    router.add_api_route(_alias, signin_alias, methods=["GET"])


#: Addresses people type for the sign-up page.
SIGNUP_ALIASES = ("/sign-up", "/register")


def signup_alias() -> Response:
    """To the sign-up page."""
    return RedirectResponse("/signup", status_code=301)


for _alias in SIGNUP_ALIASES:
    router.add_api_route(_alias, signup_alias, methods=["GET"])


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
    known = EMAIL.match(email.strip().lower())
    user = accounts.account_by_email(database(request), email) if known else None
    # The password is checked (argon2, slow on purpose) holding no database lock.
    if not password_matches(user, password) or user is None:
        limiter.failed([account, address])
        errors = {"_form": gettext("The email or the password is not right")}
        return page(
            request,
            "signin.html",
            who,
            401,
            values=values,
            errors=errors,
            invitation=_invitation(request),
        )
    limiter.succeeded(account)
    invitation = kept_invitation(request)
    signed = accounts.sign_in(database(request), user, invitation)
    return _signed_in(request, signed, next, invitation)


#: Addresses people type for signing out, sent on to the sign-out page.
SIGNOUT_ALIASES = ("/logout", "/log-out", "/sign-out")


@router.get("/signout")
def signout_page(request: Request, who: Principal = Depends(principal)) -> Response:
    """The sign-out page: its button signs out (a POST with the CSRF token). A GET signs
    nobody out by itself: a link or an image elsewhere must not end a session. Nobody
    signed in: to the sign-in page."""
    if who.user is None:
        return RedirectResponse("/signin", status_code=303)
    return page(request, "signout.html", who)


def signout_alias() -> Response:
    """To the sign-out page (which signs out only with its button)."""
    return RedirectResponse("/signout", status_code=301)


for _alias in SIGNOUT_ALIASES:
    router.add_api_route(_alias, signout_alias, methods=["GET"])


@router.post("/signout")
def signout(
    request: Request, csrf_token: str = Form(""), who: Principal = Depends(principal)
) -> Response:
    check_csrf(request, who, csrf_token)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts.end_session(database(request), token)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _settings(request: Request, who: Principal, status: int = 200, **context: Any) -> Response:
    user = require_user(who)
    tokens = accounts.api_tokens(database(request), user.id)
    context.setdefault("new_api_token", None)
    context.setdefault("errors", {})
    context.setdefault("notice", "")
    context.setdefault("owned", accounts.owned_children(database(request), user.id))
    return page(
        request,
        "settings.html",
        who,
        status,
        tokens=tokens,
        token_days=TOKEN_DAYS,
        scopes=API_SCOPES,
        **context,
    )


@router.get("/settings")
def settings_page(request: Request, who: Principal = Depends(principal)) -> Response:
    return _settings(request, who)


@router.get("/settings/export")
@slow
def export_account(request: Request, who: Principal = Depends(principal)) -> Response:
    """Everything the account can take with it, as one ZIP file
    (:func:`~spasmwatch.diary.exchange.export_account_zip`)."""
    user = require_user(who)
    db = database(request)
    data = export_account_zip(db, user.id)
    with db.transaction() as s:
        repo.audit(s, "export_account", user_id=user.id, detail=f"{len(data)} bytes")
    return Response(
        data,
        media_type="application/zip",
        headers={
            "Content-Disposition": 'attachment; filename="spasmwatch-my-data.zip"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/settings/token")
def new_api_token(
    request: Request,
    label: str = Form(""),
    scope: str = Form("read"),
    days: int = Form(90),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    check_csrf(request, who, csrf_token)
    user = require_user(who)
    if CONTROL.search(label):
        raise HTTPException(422, f"Invalid value for 'label': it {CONTROL_MESSAGE}")
    token = accounts.create_api_token(database(request), user.id, label, scope, days)
    return _settings(request, who, new_api_token=token)


@router.post("/settings/token/{token_id}/revoke")
def revoke_api_token(
    request: Request, token_id: int, csrf_token: str = Form(""), who: Principal = Depends(principal)
) -> Response:
    check_csrf(request, who, csrf_token)
    user = require_user(who)
    accounts.revoke_api_token(database(request), user.id, token_id)
    return RedirectResponse("/settings#tokens", status_code=303)


def _password_problem(request: Request, user: Any, password: str) -> tuple[int, str] | None:
    """The account's password given again: None when it is right; else the status and
    the message (429 while too many wrong ones were given, each counted)."""
    limiter, account = throttle(request), f"account:{user.email}"
    wait = limiter.wait_s([account])
    if wait:
        return 429, gettext("Too many attempts: try again in %(n)s s") % {"n": wait}
    if not password_matches(user, password):
        limiter.failed([account])
        return 422, gettext("This is not your current password")
    return None


@router.post("/settings/password")
def change_password(
    request: Request,
    current_password: str = Form(""),
    new_password: str = Form(""),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """A new password; every other session of the account ends."""
    check_csrf(request, who, csrf_token)
    user = require_user(who)
    problem = _password_problem(request, user, current_password)
    if problem and problem[0] == 429:
        return _settings(request, who, 429, errors={"password": problem[1]})
    errors: dict[str, str] = {}
    if len(new_password) < MIN_PASSWORD:
        errors["new_password"] = gettext("Use at least %(n)s characters") % {"n": MIN_PASSWORD}
    if problem:
        errors["current_password"] = problem[1]
    if errors:
        return _settings(request, who, 422, errors=errors)
    assert who.session is not None  # form routes take no API token
    accounts.change_password(
        database(request), user.id, hash_password(new_password), who.session.token_hash
    )
    notice = "Your password is changed; you are signed out everywhere else."
    return _settings(request, who, notice=notice)


@router.post("/settings/signout-all")
def sign_out_everywhere(
    request: Request, csrf_token: str = Form(""), who: Principal = Depends(principal)
) -> Response:
    """End every session of the account, this one too (API tokens stay until revoked)."""
    check_csrf(request, who, csrf_token)
    user = require_user(who)
    accounts.end_all_sessions(database(request), user.id)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/settings/delete")
def delete_account(
    request: Request,
    password: str = Form(""),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """Delete the account, its password given again; refused while it owns a diary."""
    check_csrf(request, who, csrf_token)
    user = require_user(who)
    if accounts.owned_children(database(request), user.id):  # the page says what to do
        return _settings(request, who, 409, errors={"delete": "owns"})
    problem = _password_problem(request, user, password)
    if problem:
        return _settings(request, who, problem[0], errors={"delete_password": problem[1]})
    try:
        accounts.delete_account(database(request), user.id)
    except Conflict:
        return _settings(request, who, 409, errors={"delete": "owns"})
    response = RedirectResponse("/?account=deleted", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


# ---------------------------------------------------------------- password reset
def _reset_minutes() -> dict[str, int]:
    """How long a reset code works, for the reset page to say: the number that makes a
    code expire (``accounts.RESET_MINUTES``), read when the page is made, so that the page
    never says another."""
    return {"reset_minutes": accounts.RESET_MINUTES}


def _reset_page(
    request: Request, who: Principal, status_code: int = 200, **context: Any
) -> Response:
    """The reset page (``reset.html``), with how long a code works."""
    return page(request, "reset.html", who, status_code, **context, **_reset_minutes())


@router.get("/reset")
def reset_form(request: Request, who: Principal = Depends(principal)) -> Response:
    return _reset_page(request, who, values={}, errors={}, sent=False)


@router.post("/reset")
def reset_request(
    request: Request,
    email: str = Form(""),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """Print a one-time code for the account on the server's console; the answer is the
    same whether or not an account uses the email."""
    check_csrf(request, who, csrf_token)
    email = email.strip().lower()
    values = {"email": email}
    limiter, address = throttle(request), f"reset:{address_key(request)}"
    wait = limiter.wait_s([address], free=SIGNUPS_FREE)
    if wait:
        return too_many(
            request, who, "reset.html", wait, values=values, sent=False, **_reset_minutes()
        )
    limiter.failed([address])
    try:
        found, code = (
            accounts.reset_code_for(database(request), email, "")
            if EMAIL.match(email)
            else ("", "")
        )
    except NotFound:  # the answer is the same: nothing says whether an account uses it
        found, code = "", ""
    if code:
        print(
            f"spasmwatch: password reset code for {found}: {code} "
            f"(valid {accounts.RESET_MINUTES} minutes)",
            file=sys.stderr,
            flush=True,
        )
    return _reset_page(request, who, values=values, errors={}, sent=True)


@router.post("/reset/code")
def reset_with_code(
    request: Request,
    email: str = Form(""),
    code: str = Form(""),
    new_password: str = Form(""),
    csrf_token: str = Form(""),
    who: Principal = Depends(principal),
) -> Response:
    """Set a new password with a one-time code; every session of the account ends."""
    check_csrf(request, who, csrf_token)
    email = email.strip().lower()
    values = {"email": email}
    limiter = throttle(request)
    account, address = f"account:{email}", address_key(request)
    wait = max(limiter.wait_s([account]), limiter.wait_s([address], free=ADDRESS_FREE))
    if wait:
        return too_many(
            request, who, "reset.html", wait, values=values, sent=True, **_reset_minutes()
        )
    if len(new_password) < MIN_PASSWORD:
        errors = {"new_password": f"Use at least {MIN_PASSWORD} characters"}
        return _reset_page(request, who, 422, values=values, errors=errors, sent=True)
    password_hash = hash_password(new_password)  # whether or not the code is right
    token = (
        accounts.reset_password(database(request), email, code, password_hash)
        if EMAIL.match(email)
        else None
    )
    # Counted outside the transaction: the count has a transaction of its own.
    if token is None:
        limiter.failed([account, address])
        errors = {"code": "The code is not right or has expired; ask for a new one"}
        return _reset_page(request, who, 401, values=values, errors=errors, sent=True)
    limiter.succeeded(account)
    return _signed_in(request, SignedIn(token), "/children")
