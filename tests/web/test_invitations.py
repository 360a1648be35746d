"""Members and their invitation links (real SQLite): the owner adds a person by email, which
makes a link with a random token (the database keeps its hash) to send them; the person who
opens it and signs up, signs in or accepts gets the role, once, within 14 days. A used,
expired, withdrawn, replaced or unknown link gives a page that says so; the email alone
gives nothing."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from pathlib import Path

from spasmwatch.diary.access import hash_token
from spasmwatch.store import repo
from spasmwatch.store.models import Invitation
from web.webworld import (
    PASSWORD,
    Person,
    add_child,
    anonymous,
    csrf_of,
    invite,
    new_app,
    sign_up,
)


def _invitation(page: str) -> tuple[str, str, str]:
    """The link and the message to send shown for the one invitation just made on
    ``page``: its ``details`` element (shown open), the link and the message."""
    found = re.search(r'<details class="invite" open>.*?</details>', page, re.S)
    assert found, "what to send is shown, open, with the invitation just made"
    block = found.group(0)
    link = re.search(r'<code id="invite-url-\d+">([^<]+)</code>', block)
    message = re.search(r'<p class="invite-message" id="invite-message-\d+">([^<]+)</p>', block)
    assert link and message
    return unescape(block), unescape(link.group(1)), unescape(message.group(1))


def _text(html: str) -> str:
    """A page's text, tags left out, spaces made one."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _sign_up_at_link(app: object, token: str, email: str, name: str = "New") -> tuple[Person, str]:
    """A visitor opens the invitation link and makes an account: the browser and where
    the sign-up sent it."""
    visitor = anonymous(app)
    opened = visitor.client.get(f"/invite/{token}")
    assert opened.status_code == 200, opened.text
    made = visitor.form("/signup", {"email": email, "display_name": name, "password": PASSWORD})
    assert made.status_code == 303, made.text
    visitor.email = email
    visitor.csrf = csrf_of(visitor.client.get("/children").text)
    return visitor, made.headers["location"]


def test_the_link_gives_the_role_not_the_email(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org", "Owner")
    viewer = sign_up(app, "viewer@example.org", "Viewer")
    child = add_child(owner)
    known = owner.form(
        f"/children/{child}/members", {"email": "viewer@example.org", "role": "viewer"}
    )
    viewer_link = owner.client.cookies.get("sw_invited", path=f"/children/{child}")
    unknown = owner.form(
        f"/children/{child}/members", {"email": "Later@Example.org", "role": "caregiver"}
    )
    later_link = owner.client.cookies.get("sw_invited", path=f"/children/{child}")
    # The same answer whether or not an account uses the address.
    assert known.status_code == unknown.status_code == 303
    assert known.headers["location"] == unknown.headers["location"] == f"/children/{child}#people"
    assert viewer_link and later_link and viewer_link != later_link
    page = _text(owner.client.get(f"/children/{child}").text)
    assert "viewer@example.org · viewer · invited, link valid until" in page
    assert "later@example.org · caregiver · invited, link valid until" in page
    with app.state.db.reading() as s:
        rows = s.query(Invitation).order_by(Invitation.id).all()
        # only the tokens' hashes are kept
        assert [r.token_hash for r in rows] == [hash_token(viewer_link), hash_token(later_link)]
        assert all(r.expires_at - repo.now() > timedelta(days=13, hours=23) for r in rows)

    # The email alone gives nothing: not a visit of its account, not an account made with
    # it (nothing checks that an address is its user's).
    assert viewer.client.get(f"/children/{child}").status_code == 404
    claimed = anonymous(app).form(
        "/signup", {"email": "later@example.org", "display_name": "L", "password": PASSWORD}
    )
    assert claimed.headers["location"] == "/children/new"
    impostor = anonymous(app)
    impostor.form("/signin", {"email": "later@example.org", "password": PASSWORD})
    assert impostor.client.get(f"/children/{child}").status_code == 404

    # The link does: opened signed in, it is accepted with a button (a POST: opening it
    # changes nothing), to the child's page with the role.
    offer = viewer.client.get(f"/invite/{viewer_link}")
    assert offer.status_code == 200
    assert "Owner invites you to Mia's diary as a viewer: you can read it." in _text(offer.text)
    assert viewer.client.get(f"/children/{child}").status_code == 404
    accepted = viewer.form(f"/invite/{viewer_link}")
    assert accepted.status_code == 303 and accepted.headers["location"] == f"/children/{child}"
    assert viewer.client.get(f"/children/{child}").status_code == 200
    assert viewer.client.get(f"/children/{child}/episodes/new").status_code == 403
    # Opened and followed by a sign-up, under any address: the person who opened it.
    carer, went = _sign_up_at_link(app, later_link, "grandpa@example.org", "Grandpa")
    assert went == f"/children/{child}"
    assert carer.client.get(f"/children/{child}/episodes/new").status_code == 200

    page = owner.client.get(f"/children/{child}").text
    assert "invited, link valid until" not in page
    member_ids = re.findall(rf"/children/{child}/members/(\d+)/remove", page)
    assert len(member_ids) == 2  # the owner has no remove button
    activity = _text(page)
    assert "person joined with an invitation link · Viewer" in activity
    assert "person joined with an invitation link · Grandpa" in activity
    for member_id in member_ids:
        assert owner.form(f"/children/{child}/members/{member_id}/remove").status_code == 303
    assert viewer.client.get(f"/children/{child}").status_code == 404
    assert carer.client.get(f"/children/{child}").status_code == 404
    assert owner.form(f"/children/{child}/members/{member_ids[0]}/remove").status_code == 404
    # A link once used gives the role no more, to anybody.
    again = viewer.form(f"/invite/{viewer_link}")
    assert again.status_code == 410 and "has been used already" in again.text
    assert viewer.client.get(f"/children/{child}").status_code == 404

    bad = owner.form(f"/children/{child}/members", {"email": "not an email", "role": "viewer"})
    assert bad.status_code == 422 and "not an email address" in bad.text


def test_a_link_works_once(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org", "Ann")
    child = add_child(owner, "Mia")
    token = invite(owner, child, "gran@example.org", "caregiver")
    # Opened by two people before either signs up: the first to sign up gets the role.
    first, second = anonymous(app), anonymous(app)
    for visitor in (first, second):
        opened = visitor.client.get(f"/invite/{token}")
        assert opened.status_code == 200
        said = _text(opened.text)
        assert "Ann invites you to Mia's diary as a caregiver" in said
        assert 'href="/signup"' in opened.text and 'href="/signin"' in opened.text
        # the sign-up form says what it will give
        form = _text(visitor.client.get("/signup").text)
        assert "you then join Mia's diary as a caregiver" in form
    made = first.form(
        "/signup", {"email": "a@example.org", "display_name": "A", "password": PASSWORD}
    )
    assert made.headers["location"] == f"/children/{child}"
    assert "sw_invite" not in first.client.cookies  # taken up, forgotten
    late = second.form(
        "/signup", {"email": "b@example.org", "display_name": "B", "password": PASSWORD}
    )
    # The account is made; the page of the link says why it gave no role.
    assert late.status_code == 303 and late.headers["location"] == f"/invite/{token}"
    used = second.client.get(late.headers["location"])
    assert used.status_code == 410
    said = _text(used.text)
    assert "This invitation link has been used already: it works once." in said
    assert "Mia" not in said and "Traceback" not in used.text
    assert second.client.get(f"/children/{child}").status_code == 404
    # Nothing is offered to sign up for any more, and signing in with it gives nothing.
    assert "you then join" not in second.client.get("/signup").text
    third = anonymous(app)
    third.client.get(f"/invite/{token}")
    signed = third.form("/signin", {"email": "b@example.org", "password": PASSWORD})
    assert signed.status_code == 303 and signed.headers["location"] == "/children"
    assert third.client.get(f"/children/{child}").status_code == 404
    with app.state.db.reading() as s:
        (row,) = s.query(Invitation).all()
        assert row.used_at is not None
        actions = [e.action for e in repo.audit_for(s, child)]
    assert actions.count("accept_invitation") == 1


def test_an_account_signs_in_at_the_link(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Mia")
    sign_up(app, "doc@example.org", "Doc")
    token = invite(owner, child, "doc@example.org", "viewer")
    phone = anonymous(app)
    phone.client.get(f"/invite/{token}")
    form = _text(phone.client.get("/signin").text)
    assert "you then join Mia's diary as a viewer" in form
    wrong = phone.form("/signin", {"email": "doc@example.org", "password": "not it"})
    assert wrong.status_code == 401 and "you then join Mia's diary" in _text(wrong.text)
    signed = phone.form("/signin", {"email": "doc@example.org", "password": PASSWORD})
    assert signed.status_code == 303 and signed.headers["location"] == f"/children/{child}"
    assert phone.client.get(f"/children/{child}").status_code == 200


def test_the_owner_opening_their_own_link_leaves_it_for_the_person(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Mia")
    token = invite(owner, child, "gran@example.org", "caregiver")
    page = owner.client.get(f"/invite/{token}")
    assert page.status_code == 200 and "invitation to your own diary" in page.text
    assert f'action="/invite/{token}"' not in page.text
    kept = owner.form(f"/invite/{token}")  # sent all the same: the same page
    assert kept.status_code == 200 and "invitation to your own diary" in kept.text
    # still open for the person it is for
    gran, went = _sign_up_at_link(app, token, "gran@example.org", "Gran")
    assert went == f"/children/{child}"
    assert gran.client.get(f"/children/{child}/episodes/new").status_code == 200
    assert 'id="people"' in owner.client.get(f"/children/{child}").text  # still the owner


def test_an_expired_withdrawn_replaced_or_unknown_link_says_so(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Mia")
    expired = invite(owner, child, "a@example.org", "viewer")
    withdrawn = invite(owner, child, "b@example.org", "viewer")
    replaced = invite(owner, child, "c@example.org", "caregiver")
    with app.state.db.transaction() as s:
        row = repo.invitation_by_token(s, hash_token(expired))
        assert row is not None
        row.expires_at = repo.now() - timedelta(minutes=1)
    page = owner.client.get(f"/children/{child}").text
    assert "a@example.org · viewer · invited, link expired" in _text(page)
    ids = dict(re.findall(r'<li id="invite-(\d+)">([^ ]+@example\.org)', page))
    by_email = {email: int(i) for i, email in ids.items()}
    assert (
        owner.form(f"/children/{child}/invitations/{by_email['b@example.org']}/remove").status_code
        == 303
    )
    renewed = owner.form(f"/children/{child}/invitations/{by_email['c@example.org']}/renew")
    assert renewed.status_code == 303
    assert renewed.headers["location"] == f"/children/{child}#invite-{by_email['c@example.org']}"
    fresh = owner.client.cookies.get("sw_invited", path=f"/children/{child}")
    assert fresh and fresh != replaced
    shown = owner.client.get(f"/children/{child}").text
    _block, link, _message = _invitation(shown)
    assert link == f"http://testserver/invite/{fresh}"
    # once: afterwards the list offers a new link, not the old one
    again = owner.client.get(f"/children/{child}").text
    assert '<details class="invite"' not in again and fresh not in again
    assert f"/children/{child}/invitations/{by_email['c@example.org']}/renew" in again
    assert "b@example.org" not in again  # withdrawn

    visitor = anonymous(app)
    cases = [
        (expired, 410, "This invitation link has expired: it works for 14 days."),
        (withdrawn, 410, "This invitation was withdrawn by the diary's owner."),
        (replaced, 404, "This is not a valid invitation link"),
        ("x" * 43, 404, "This is not a valid invitation link"),
        ("short", 404, "This is not a valid invitation link"),
    ]
    for token, status, words in cases:
        page = visitor.client.get(f"/invite/{token}")
        assert page.status_code == status, token
        assert (
            words in _text(page.text) and "Ask the person who sent it for a new link" in page.text
        )
        assert "Mia" not in page.text and "Traceback" not in page.text
        assert "sw_invite" not in visitor.client.cookies
    signed = sign_up(app, "x@example.org")
    for token, status, words in cases:
        refused = signed.form(f"/invite/{token}")
        assert refused.status_code == status and words in _text(refused.text)
    assert signed.client.get(f"/children/{child}").status_code == 404
    # The new link works; the others gave nothing to anybody.
    _carer, went = _sign_up_at_link(app, fresh, "c@example.org")
    assert went == f"/children/{child}"
    page = owner.client.get(f"/children/{child}").text
    assert len(re.findall(rf"/children/{child}/members/(\d+)/remove", page)) == 1
    # In Spanish.
    visitor.client.cookies.set("sw_lang", "es")
    said = _text(visitor.client.get(f"/invite/{withdrawn}").text)
    assert "Esta invitación la retiró la persona titular del diario." in said
    # Another family's owner cannot withdraw or renew this family's invitation.
    other = sign_up(app, "other@example.org")
    theirs = add_child(other, "Theirs")
    for action in ("remove", "renew"):
        path = f"/children/{theirs}/invitations/{by_email['a@example.org']}/{action}"
        assert other.form(path).status_code == 404


def test_adding_a_person_gives_a_link_and_a_message_to_send(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Mia")
    home = {"host": "192.168.1.20:8000"}  # the page opened on the home network
    added = owner.form(
        f"/children/{child}/members",
        {"email": "Gran@Example.org", "role": "caregiver"},
        headers=home,
    )
    assert added.status_code == 303 and added.headers["location"] == f"/children/{child}#people"
    token = owner.client.cookies.get("sw_invited", path=f"/children/{child}")
    page = owner.client.get(added.headers["location"], headers=home).text
    block, link, message = _invitation(page)
    assert link == f"http://192.168.1.20:8000/invite/{token}"
    assert message == (
        "I have added you to Mia's diary on spasmwatch as a caregiver: you can read it and "
        f"log episodes. Open http://192.168.1.20:8000/invite/{token} and make an account, "
        "or sign in if you already have one. The link works once, for 14 days."
    )
    assert "Nothing is sent from here" in block
    assert "opens only on the computer that runs" not in block
    assert "the link is shown once" in block and "gran@example.org" in block
    assert 'data-copy="invite-url-' in block and 'data-copy="invite-message-' in block
    assert "/static/share.js" in page
    # shown once: afterwards the list offers a new link
    again = owner.client.get(f"/children/{child}").text
    assert '<details class="invite"' not in again and str(token) not in again
    assert "/static/share.js" not in again

    # The link works as the message says.
    gran, went = _sign_up_at_link(app, str(token), "gran@example.org", "Gran")
    assert went == f"/children/{child}"
    assert gran.client.get(f"/children/{child}/episodes/new").status_code == 200
    assert '<details class="invite"' not in owner.client.get(f"/children/{child}").text

    # A page opened at a loopback address says so; a viewer's message says what they can do.
    owner.form(f"/children/{child}/members", {"email": "doc@example.org", "role": "viewer"})
    local = owner.client.get(f"/children/{child}", headers={"host": "127.0.0.1:8000"}).text
    block, link, message = _invitation(local)
    assert link.startswith("http://127.0.0.1:8000/invite/")
    assert "This link opens only on the computer that runs spasmwatch." in block
    assert "spasmwatch serve --host 0.0.0.0" in block and "SPASMWATCH_PUBLIC_URL" in block
    assert "as a viewer: you can read it." in message
    # In Spanish.
    owner.client.cookies.set("sw_lang", "es")
    owner.form(f"/children/{child}/members", {"email": "doc@example.org", "role": "viewer"})
    _block, link, message = _invitation(owner.client.get(f"/children/{child}").text)
    assert message.startswith("Te he añadido al diario de Mia en spasmwatch como persona lectora")
    assert link in message and "14 días" in message


def test_the_invitation_link_is_on_the_public_address_when_there_is_one(tmp_path: Path) -> None:
    app = new_app(tmp_path, public_url="https://diary.example.org")
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Mia")
    token = invite(owner, child, "gran@example.org", "caregiver")
    page = owner.client.get(f"/children/{child}", headers={"host": "127.0.0.1:8000"}).text
    block, link, message = _invitation(page)
    assert link == f"https://diary.example.org/invite/{token}"
    assert link in message
    assert "opens only on the computer that runs" not in block
    # Only the owner sees the people and what to send them.
    carer, _went = _sign_up_at_link(app, token, "gran@example.org", "Gran")
    assert 'id="people"' not in carer.client.get(f"/children/{child}").text
