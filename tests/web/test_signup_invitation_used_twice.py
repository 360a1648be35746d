"""In ``invite`` mode an invitation link to a child's diary lets its holder make an account
with no code, once: the account and the link's taking-up are one transaction. Where the
link was used by someone else (or expired) between opening the sign-up page and the
account being made, no account is made and the page says the link was used, asking for a
code (real SQLite, two browsers, and two sign-ups sent at the same moment)."""

from __future__ import annotations

import re
import threading
from datetime import timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.diary import accounts
from spasmwatch.diary.access import hash_token
from spasmwatch.diary.signup import invite_family
from spasmwatch.store import repo
from spasmwatch.store.models import AuditEntry, User
from spasmwatch.web.auth import hash_password
from spasmwatch.web.invitation import INVITE_COOKIE
from web.webworld import PASSWORD, Person, add_child, anonymous, csrf_of, invite, new_app

SPANISH = {"Accept-Language": "es"}
USED = (
    "The invitation link you opened has been used already (it works once), so no account "
    "was made: type the invitation code you were given, or ask the person who sent the link "
    "for a new one"
)
#: Rounds of two sign-ups sent at the same moment with one link (each round a new link).
ROUNDS = 4


def _text(html: str) -> str:
    """A page's words, without its tags, spaces as one."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _form(email: str, **more: str) -> dict[str, str]:
    return {"email": email, "display_name": "Sam", "password": PASSWORD, **more}


def _accounts(app: Any) -> list[str]:
    with app.state.db.reading() as s:
        return sorted(u.email for u in s.query(User).all())


def _code(app: Any, email: str) -> str:
    """An invitation to make an account, as ``spasmwatch invite-family`` makes it."""
    return invite_family(app.state.db, app.state.settings.data_dir, email).code


def _owner(app: Any) -> tuple[Person, int]:
    """A parent let in with a code, owning a child's diary: the browser and the child."""
    parent = anonymous(app)
    made = parent.form("/signup", _form("ann@example.org", code=_code(app, "ann@example.org")))
    assert made.status_code == 303, made.text
    parent.email = "ann@example.org"
    parent.csrf = csrf_of(parent.client.get("/children/new").text)
    return parent, add_child(parent, "Mia")


def _holder(app: Any, token: str) -> Person:
    """A browser that opened the invitation link and then the sign-up page, which asks
    for no code (the link lets it in)."""
    visitor = anonymous(app)
    assert visitor.client.get(f"/invite/{token}").status_code == 200
    page = visitor.client.get("/signup")
    assert 'name="code"' not in page.text
    assert "With the invitation link you opened" in _text(page.text)
    return visitor


def _at_once(browsers: list[Person], emails: list[str]) -> dict[int, Any]:
    """Each browser sends the sign-up form with its email, all at the same moment (a
    thread each, started together): the answers, by the browser's place."""
    start = threading.Barrier(len(browsers))
    answers: dict[int, Any] = {}

    def send(i: int) -> None:
        start.wait()
        answers[i] = browsers[i].form("/signup", _form(emails[i]))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(browsers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def _members(app: Any, child: int) -> dict[str, str]:
    """The child's people: email -> role."""
    with app.state.db.reading() as s:
        return {u.email: role for u, role in repo.members(s, child)}


def test_the_link_used_by_another_browser_first_makes_no_account(tmp_path: Path) -> None:
    app = new_app(tmp_path, signup="invite")
    owner, child = _owner(app)
    token = invite(owner, child, "dr.who@example.org", "viewer")
    first, second = _holder(app, token), _holder(app, token)
    joined = first.form("/signup", _form("dr.who@example.org"))
    assert joined.status_code == 303 and joined.headers["location"] == f"/children/{child}"
    # the second browser's form, sent after: no account, and the page says why
    refused = second.form("/signup", _form("eve@example.org"))
    assert refused.status_code == 422
    assert USED in _text(refused.text)
    assert 'name="code"' in refused.text and 'id="code-error"' in refused.text
    assert 'value="eve@example.org"' in refused.text and PASSWORD not in refused.text
    assert _accounts(app) == ["ann@example.org", "dr.who@example.org"]
    # the used link is forgotten: with the code it was given, the second browser gets in
    assert second.client.cookies.get(INVITE_COOKIE) is None
    code = _code(app, "eve@example.org")
    made = second.form("/signup", _form("eve@example.org", code=code))
    assert made.status_code == 303 and made.headers["location"] == "/children/new"
    assert _accounts(app) == ["ann@example.org", "dr.who@example.org", "eve@example.org"]
    assert _members(app, child) == {"ann@example.org": "owner", "dr.who@example.org": "viewer"}


def test_the_link_used_while_the_account_is_made_makes_no_account(tmp_path: Path) -> None:
    """The route checked the link and hashed the password; the link is used before the
    account's transaction: that transaction makes nothing (the window inside one sign-up,
    taken here at the use case, as the route calls it)."""
    app = new_app(tmp_path, signup="invite")
    owner, child = _owner(app)
    token = invite(owner, child, "dr.who@example.org", "viewer")
    db = app.state.db
    password_hash = hash_password(PASSWORD)
    taken = accounts.create_account(
        db, "dr.who@example.org", "Dr Who", password_hash, token, invitation_required=True
    )
    assert taken is not None and taken.invitation is not None
    assert taken.invitation.state == "accepted"
    with pytest.raises(accounts.InvitationGone) as gone:
        accounts.create_account(
            db, "eve@example.org", "Eve", password_hash, token, invitation_required=True
        )
    assert gone.value.check.state == "used"
    assert _accounts(app) == ["ann@example.org", "dr.who@example.org"]
    with db.reading() as s:  # the account and its audit line rolled back together
        signups = s.query(AuditEntry).filter(AuditEntry.action == "sign_up").count()
    assert signups == 2
    # where the rule needs no link (open mode, or a code that works), the account is made
    # and the link says it was used, as before
    made = accounts.create_account(db, "eve@example.org", "Eve", password_hash, token)
    assert made is not None and made.invitation is not None and made.invitation.state == "used"
    assert _members(app, child) == {"ann@example.org": "owner", "dr.who@example.org": "viewer"}


def test_two_sign_ups_with_one_link_at_the_same_moment_make_one_account(
    database_url: str, tmp_path: Path
) -> None:
    """SQLite takes one writer at a time; PostgreSQL runs both transactions at once, and
    the second to use the link finds it used by the first."""
    app = new_app(tmp_path, database_url=database_url, signup="invite")
    owner, child = _owner(app)
    for round_ in range(ROUNDS):
        token = invite(owner, child, f"dr{round_}@example.org", "caregiver")
        emails = [f"first{round_}@example.org", f"second{round_}@example.org"]
        answers = _at_once([_holder(app, token), _holder(app, token)], emails)
        statuses = sorted(answers[i].status_code for i in range(2))
        assert statuses[0] == 303 and statuses[1] in (409, 422), statuses
        winner = next(i for i in range(2) if answers[i].status_code == 303)
        loser = 1 - winner
        assert USED in _text(answers[loser].text)
        made = set(_accounts(app))
        assert emails[winner] in made and emails[loser] not in made
        assert _members(app, child)[emails[winner]] == "caregiver"
    assert len(_accounts(app)) == 1 + ROUNDS


def test_a_link_expired_meanwhile_makes_no_account(tmp_path: Path) -> None:
    app = new_app(tmp_path, signup="invite")
    owner, child = _owner(app)
    token = invite(owner, child, "dr.who@example.org", "viewer")
    visitor = _holder(app, token)
    with app.state.db.transaction() as s:
        row = repo.invitation_by_token(s, hash_token(token))
        assert row is not None
        row.expires_at = repo.now() - timedelta(minutes=1)
    refused = visitor.form("/signup", _form("dr.who@example.org"))
    assert refused.status_code == 422
    assert (
        "The invitation link you opened no longer works, so no account was made: type the "
        "invitation code you were given" in _text(refused.text)
    )
    assert _accounts(app) == ["ann@example.org"]


def test_the_link_used_said_in_spanish(tmp_path: Path) -> None:
    app = new_app(tmp_path, signup="invite")
    owner, child = _owner(app)
    token = invite(owner, child, "dr.who@example.org", "viewer")
    first, second = _holder(app, token), _holder(app, token)
    assert first.form("/signup", _form("dr.who@example.org")).status_code == 303
    refused = second.form("/signup", _form("eve@example.org"), headers=SPANISH)
    assert (
        "El enlace de invitación que abrió ya se ha usado (sirve una vez), así que no se ha "
        "creado ninguna cuenta: escriba el código de invitación que recibió" in _text(refused.text)
    )


def test_open_mode_still_makes_the_account_when_the_link_was_used(tmp_path: Path) -> None:
    """Open mode needs no link: the account is made, and the link's page says it was
    used (as before)."""
    app = new_app(tmp_path)
    parent = anonymous(app)
    assert parent.form("/signup", _form("ann@example.org")).status_code == 303
    parent.email = "ann@example.org"
    parent.csrf = csrf_of(parent.client.get("/children/new").text)
    child = add_child(parent, "Mia")
    token = invite(parent, child, "dr.who@example.org", "viewer")
    first, second = _holder(app, token), _holder(app, token)
    assert first.form("/signup", _form("dr.who@example.org")).status_code == 303
    made = second.form("/signup", _form("eve@example.org"))
    assert made.status_code == 303 and made.headers["location"] == f"/invite/{token}"
    assert "eve@example.org" in _accounts(app)
