"""Who may sign up (``SPASMWATCH_SIGNUP``: open, invite, closed), each mode from both sides,
with the quick check and the public pages open in every mode; and the words that say where
a diary is kept, on a family's own machine and on a server (``Settings.server_mode``), in
English and in Spanish (real SQLite, the test client)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.config import Settings
from spasmwatch.diary.signup import KEY_FILE, invitation_key, invite_family, make_code
from spasmwatch.store import repo
from spasmwatch.store.models import User
from spasmwatch.web.routes.accounts import SIGNUPS_FREE
from web.webworld import (
    PASSWORD,
    Person,
    add_child,
    anonymous,
    csrf_of,
    invite,
    new_app,
    share,
    sign_up,
)

SPANISH = {"Accept-Language": "es"}
HOST = "Example Children's Hospital"


def _text(html: str) -> str:
    """A page's words, without its tags, spaces as one."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _accounts(app: Any) -> list[str]:
    with app.state.db.reading() as s:
        return sorted(u.email for u in s.query(User).all())


def _form(email: str, **more: str) -> dict[str, str]:
    return {"email": email, "display_name": "Sam", "password": PASSWORD, **more}


def _code(app: Any, email: str, days: int = 14) -> str:
    """An invitation to make an account, as ``spasmwatch invite-family`` makes it."""
    return invite_family(app.state.db, app.state.settings.data_dir, email, days).code


def _public_pages_open(visitor: Person) -> None:
    """The landing page, the guide and the quick check (its answer with the emergency
    instruction) answer a visitor without an account."""
    for path in ("/", "/guide", "/check", "/now", "/log"):
        assert visitor.client.get(path).status_code == 200, path
    answer = visitor.form(
        "/check",
        {
            "movements": ["head_nod"],
            "state": "just_woke",
            "count": "8",
            "age_months": "6",
            "red_flags": "blue_or_grey",
        },
    )
    assert answer.status_code == 200, answer.text
    assert "level-emergency" in answer.text and 'href="tel:112"' in answer.text
    assert "Call emergency services now" in _text(answer.text)


def _keep_check(visitor: Person) -> None:
    """A quick check kept: on to the sign-up page, the check carried in the browser."""
    answer = visitor.form(
        "/check",
        {"movements": ["head_nod"], "state": "just_woke", "count": "8", "age_months": "6"},
    )
    case = re.search(r'name="case" value="([^"]+)"', answer.text)
    assert case is not None, answer.text
    kept = visitor.form("/check/keep", {"case": unescape(case.group(1))})
    assert kept.status_code == 303 and kept.headers["location"] == "/signup"


# ---------------------------------------------------------------- open (the default)
def test_open_anyone_signs_up_with_no_code(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    assert app.state.settings.signup == "open"
    page = anonymous(app).client.get("/signup")
    assert page.status_code == 200 and 'action="/signup"' in page.text
    assert 'name="code"' not in page.text and "invitation from" not in page.text
    sign_up(app, "ann@example.org")
    # a code sent along changes nothing
    visitor = anonymous(app)
    made = visitor.form("/signup", _form("bob@example.org", code="not a code"))
    assert made.status_code == 303
    assert _accounts(app) == ["ann@example.org", "bob@example.org"]


# ---------------------------------------------------------------- invite
def test_invite_a_code_made_for_the_email_makes_one_account(tmp_path: Path) -> None:
    app = new_app(tmp_path, signup="invite", hosted_by=HOST)
    visitor = anonymous(app)
    page = visitor.client.get("/signup")
    assert page.status_code == 200 and 'name="code"' in page.text
    assert (
        f"New accounts are made here with an invitation from {HOST}: open the invitation "
        "link you were given, or type its code below with the email address it was made "
        "for." in _text(page.text)
    )
    # no code, a made-up one, one for another email: no account
    none = visitor.form("/signup", _form("ann@example.org"))
    assert none.status_code == 422 and 'id="code-error"' in none.text
    assert "Please give the invitation code you were given" in _text(none.text)
    code = _code(app, "ann@example.org")
    for email, given, said in (
        ("ann@example.org", "AAAA-BBBB-CCCC-DDDD", "does not work with this email address"),
        ("eve@example.org", code, "does not work with this email address"),
        ("ann@example.org", code[:-1], "This is not a whole invitation code"),
    ):
        refused = visitor.form("/signup", _form(email, code=given))
        assert refused.status_code == 422, (email, given)
        assert said in _text(refused.text) and f"ask {HOST} for a new" in _text(refused.text)
        # what was typed is kept, the password not
        assert f'value="{email}"' in refused.text and PASSWORD not in refused.text
    assert _accounts(app) == []
    # the code with its email, typed in lower case and without its dashes
    made = visitor.form("/signup", _form("Ann@Example.org", code=code.replace("-", "").lower()))
    assert made.status_code == 303 and made.headers["location"] == "/children/new"
    assert _accounts(app) == ["ann@example.org"]
    # the same code again: the email has its account (one account per code)
    again = anonymous(app).form("/signup", _form("ann@example.org", code=code))
    assert again.status_code == 422 and "No new account can be made with this email" in again.text
    assert _accounts(app) == ["ann@example.org"]


def test_invite_the_link_puts_the_code_in_its_field(tmp_path: Path) -> None:
    app = new_app(tmp_path, signup="invite")
    code = _code(app, "ann@example.org")
    page = anonymous(app).client.get(f"/signup?code={code}")
    assert 'name="code" autocomplete="off"' in page.text and f'value="{code}"' in page.text
    # nobody names whom to ask: whoever runs the app
    assert "an invitation from whoever runs this app" in _text(page.text)


def test_invite_an_expired_code_makes_no_account(tmp_path: Path) -> None:
    app = new_app(tmp_path, signup="invite")
    key = invitation_key(app.state.settings.data_dir)
    yesterday = date.today() - timedelta(days=2)
    old = make_code(key, "ann@example.org", yesterday)
    refused = anonymous(app).form("/signup", _form("ann@example.org", code=old))
    assert refused.status_code == 422 and _accounts(app) == []


def test_invite_wrong_codes_count_towards_the_addresss_limit(tmp_path: Path) -> None:
    app = new_app(tmp_path, signup="invite")
    visitor = anonymous(app)
    for _ in range(SIGNUPS_FREE):
        wrong = visitor.form("/signup", _form("ann@example.org", code="AAAA-BBBB-CCCC-DDDD"))
        assert wrong.status_code == 422
    # guessing stops here: even the right code waits its turn
    right = visitor.form("/signup", _form("ann@example.org", code=_code(app, "ann@example.org")))
    assert right.status_code == 429 and "Retry-After" in right.headers
    assert _accounts(app) == []


def test_invite_a_link_to_a_childs_diary_lets_its_holder_sign_up(tmp_path: Path) -> None:
    app = new_app(tmp_path, signup="invite")
    parent = anonymous(app)
    made = parent.form("/signup", _form("ann@example.org", code=_code(app, "ann@example.org")))
    assert made.status_code == 303
    parent.email = "ann@example.org"
    parent.csrf = csrf_of(parent.client.get("/children/new").text)
    child = add_child(parent, "Mia")
    token = invite(parent, child, "dr.who@example.org", "viewer")
    doctor = anonymous(app)
    assert doctor.client.get(f"/invite/{token}").status_code == 200
    page = doctor.client.get("/signup")
    assert 'name="code"' not in page.text and "as a viewer" in _text(page.text)
    joined = doctor.form("/signup", _form("dr.who@example.org"))
    assert joined.status_code == 303 and joined.headers["location"] == f"/children/{child}"
    assert doctor.client.get(f"/children/{child}").status_code == 200
    # the link is used up: the next browser without a code is refused again
    other = anonymous(app)
    other.client.get(f"/invite/{token}")
    assert other.form("/signup", _form("eve@example.org")).status_code == 422
    assert _accounts(app) == ["ann@example.org", "dr.who@example.org"]


def test_invite_the_check_and_the_public_pages_stay_open(tmp_path: Path) -> None:
    app = new_app(tmp_path, signup="invite")
    visitor = anonymous(app)
    _public_pages_open(visitor)
    # keeping a check goes to the sign-up page, which asks for the code as ever
    _keep_check(visitor)
    page = visitor.client.get("/signup")
    assert 'name="code"' in page.text
    assert visitor.form("/signup", _form("ann@example.org")).status_code == 422
    code = _code(app, "ann@example.org")
    assert visitor.form("/signup", _form("ann@example.org", code=code)).status_code == 303
    visitor.csrf = csrf_of(visitor.client.get("/children/new").text)
    child = add_child(visitor, "Robin")
    with app.state.db.reading() as s:
        assert len(repo.episodes_for(s, child)) == 1


# ---------------------------------------------------------------- closed
def test_closed_no_new_account_and_the_page_says_whom_to_ask(tmp_path: Path) -> None:
    sign_up(new_app(tmp_path), "ann@example.org")  # made while sign-up was open
    app = new_app(tmp_path, signup="closed", hosted_by=HOST)
    visitor = anonymous(app)
    page = visitor.client.get("/signup")
    words = _text(page.text)
    assert page.status_code == 200 and 'action="/signup"' not in page.text
    assert f"No new accounts are made here. If you need one, ask {HOST}." in words
    assert 'href="/signin"' in page.text and 'href="/check"' in page.text
    assert "Checking a movement needs no account" in words
    # the pages' menu offers no sign-up while it is closed (it does while open)
    assert 'href="/signup"' not in visitor.client.get("/guide").text
    assert 'href="/signup"' in anonymous(new_app(tmp_path)).client.get("/guide").text
    refused = visitor.form("/signup", _form("bob@example.org"))
    assert refused.status_code == 403 and "No new accounts are made here" in _text(refused.text)
    # a code changes nothing while sign-up is closed
    code = _code(app, "bob@example.org")
    assert visitor.form("/signup", _form("bob@example.org", code=code)).status_code == 403
    assert _accounts(app) == ["ann@example.org"]
    # the accounts there are sign in as before
    signed = visitor.form("/signin", {"email": "ann@example.org", "password": PASSWORD})
    assert signed.status_code == 303


def test_closed_a_link_to_a_childs_diary_needs_an_account_there(tmp_path: Path) -> None:
    opened = new_app(tmp_path)
    parent = sign_up(opened, "ann@example.org")
    sign_up(opened, "dr.who@example.org")
    child = add_child(parent, "Mia")
    token = invite(parent, child, "dr.who@example.org", "viewer")
    app = new_app(tmp_path, signup="closed")
    stranger = anonymous(app)
    stranger.client.get(f"/invite/{token}")
    assert stranger.form("/signup", _form("eve@example.org")).status_code == 403
    doctor = anonymous(app)
    doctor.client.get(f"/invite/{token}")
    signed = doctor.form("/signin", {"email": "dr.who@example.org", "password": PASSWORD})
    assert signed.status_code == 303 and signed.headers["location"] == f"/children/{child}"
    assert _accounts(app) == ["ann@example.org", "dr.who@example.org"]


def test_closed_the_check_stays_open_and_a_kept_one_waits_for_a_sign_in(tmp_path: Path) -> None:
    sign_up(new_app(tmp_path), "ann@example.org")
    app = new_app(tmp_path, signup="closed")
    visitor = anonymous(app)
    _public_pages_open(visitor)
    _keep_check(visitor)
    page = visitor.client.get("/signup")
    assert "If you need one, ask whoever runs this app." in _text(page.text)
    assert "The check you kept waits in this browser for 2 hours" in _text(page.text)
    assert 'href="/signin?next=/children/new"' in page.text
    signed = visitor.form(
        "/signin", {"email": "ann@example.org", "password": PASSWORD, "next": "/children/new"}
    )
    assert signed.headers["location"] == "/children/new"
    visitor.csrf = csrf_of(visitor.client.get("/children/new").text)
    child = add_child(visitor, "Robin")
    with app.state.db.reading() as s:
        assert len(repo.episodes_for(s, child)) == 1


@pytest.mark.parametrize(
    ("mode", "spanish"),
    [
        (
            "closed",
            [
                "No se crean cuentas nuevas",
                f"Aquí no se crean cuentas nuevas. Si necesita una, pídala a {HOST}.",
                "Para consultar un movimiento no hace falta una cuenta",
            ],
        ),
        (
            "invite",
            [
                f"Aquí las cuentas nuevas se crean con una invitación de {HOST}:",
                "Código de invitación",
            ],
        ),
    ],
)
def test_the_sign_up_rule_said_in_spanish(tmp_path: Path, mode: str, spanish: list[str]) -> None:
    app = new_app(tmp_path, signup=mode, hosted_by=HOST)
    words = _text(anonymous(app).client.get("/signup", headers=SPANISH).text)
    for said in spanish:
        assert said in words, said


def test_a_wrong_code_said_in_spanish(tmp_path: Path) -> None:
    app = new_app(tmp_path, signup="invite")
    _code(app, "bob@example.org")  # codes are made here: one for another email is wrong
    visitor = anonymous(app)
    none = visitor.form("/signup", _form("ann@example.org"), headers=SPANISH)
    assert "Escriba el código de invitación que recibió" in _text(none.text)
    wrong = visitor.form(
        "/signup", _form("ann@example.org", code="AAAA-BBBB-CCCC-DDDD"), headers=SPANISH
    )
    assert "Este código de invitación no sirve con esta dirección de correo" in _text(wrong.text)
    cut = visitor.form("/signup", _form("ann@example.org", code="AAAA"), headers=SPANISH)
    assert "Esto no es un código de invitación completo" in _text(cut.text)


# ---------------------------------------------------------------- where a diary is kept
#: On a family's own machine, words true from the phone that talks to it too ("this
#: machine", read on the phone, meant the phone).
FAMILY = {
    "footer": "What you enter here, and any file you send, goes to the computer that runs "
    "spasmwatch and nowhere else: not to a company's server.",
    "signup": "Your diary is kept on the computer that runs spasmwatch, not on a company's server.",
    "clinician": "measured on the family's machine.",
}


def _server_words(place: str) -> dict[str, str]:
    return {
        "footer": f"spasmwatch runs on {place}; what you enter is kept there and sent nowhere "
        "else. It does not diagnose",
        "signup": f"Your diary is kept on {place}; nothing is sent anywhere else.",
        "clinician": f"EEG analysers measured on {place}. spasmwatch does not diagnose",
    }


def _pages(app: Any, headers: dict[str, str] | None = None) -> dict[str, str]:
    """The words of the landing page, the sign-up page and the clinician view."""
    owner = sign_up(app, "ann@example.org")
    token, _ = share(owner, add_child(owner, "Mia"))
    visitor = anonymous(app)
    return {
        "footer": _text(visitor.client.get("/", headers=headers).text),
        "signup": _text(visitor.client.get("/signup", headers=headers).text),
        "clinician": _text(visitor.client.get(f"/s/{token}", headers=headers).text),
    }


@pytest.mark.parametrize(
    ("settings", "place"),
    [
        ({"hosted_by": HOST}, f"the server of {HOST}"),
        ({"public_url": "https://diary.example.org"}, "the server at diary.example.org"),
    ],
)
def test_a_server_says_where_the_diaries_are(
    tmp_path: Path, settings: dict[str, str], place: str
) -> None:
    pages = _pages(new_app(tmp_path, **settings))
    for where, said in _server_words(place).items():
        assert said in pages[where], (where, said)
        assert FAMILY[where] not in pages[where], where
        assert "this machine" not in pages[where] and "family's machine" not in pages[where]


def test_a_familys_own_machine_says_the_computer_that_runs_spasmwatch(tmp_path: Path) -> None:
    pages = _pages(new_app(tmp_path))
    for where, said in FAMILY.items():
        assert said in pages[where], (where, said)
        assert "the server" not in pages[where], where
        assert "this machine" not in pages[where] and "this computer" not in pages[where]


def test_where_the_diaries_are_said_in_spanish(tmp_path: Path) -> None:
    server = _pages(new_app(tmp_path / "server", hosted_by=HOST), SPANISH)
    place = f"el servidor de {HOST}"
    assert f"spasmwatch funciona en {place}; lo que introduzca se guarda allí" in server["footer"]
    assert (
        f"Su diario se guarda en {place}; no se envía nada a ningún otro sitio."
        in (server["signup"])
    )
    assert f"EEG de spasmwatch midieron en {place}." in server["clinician"]
    family = _pages(new_app(tmp_path / "family"), SPANISH)
    assert (
        "Lo que escribe aquí, y cualquier archivo que envíe, va al ordenador en el que "
        "funciona spasmwatch y a ningún otro sitio" in family["footer"]
    )
    assert (
        "Su diario se guarda en el ordenador en el que funciona spasmwatch, no en el servidor "
        "de una empresa." in family["signup"]
    )
    for words in family.values():
        assert "este ordenador" not in words and "this machine" not in words
    assert "midieron en el equipo de la familia" in family["clinician"]


def test_the_rule_of_a_server(tmp_path: Path) -> None:
    """A database other than SQLite, a public address or a host named make a server;
    SQLite with none of them is a family's own machine."""
    family = Settings(data_dir=tmp_path)
    assert not family.server_mode
    assert not Settings(data_dir=tmp_path, database_url="sqlite:///x.db").server_mode
    assert Settings(data_dir=tmp_path, database_url="postgresql+psycopg://h/db").server_mode
    assert Settings(data_dir=tmp_path, public_url="http://192.168.1.20:8000").server_mode
    assert Settings(data_dir=tmp_path, hosted_by=HOST).server_mode


def test_a_server_on_postgresql_alone_says_so(database_url: str, tmp_path: Path) -> None:
    """PostgreSQL with no public address and no host named: the server, not by name."""
    app = new_app(tmp_path, database_url=database_url)
    words = _text(anonymous(app).client.get("/signup").text)
    if database_url.startswith("sqlite"):
        assert FAMILY["signup"] in words and FAMILY["footer"] in words
    else:
        assert _server_words("the server this page comes from")["signup"] in words
        assert _server_words("the server this page comes from")["footer"] in words


def test_the_invitation_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    app = new_app(tmp_path, signup="invite")
    folder = app.state.settings.data_dir
    code = _code(app, "ann@example.org")
    key = folder / KEY_FILE
    assert key.stat().st_mode & 0o777 == 0o600
    assert invitation_key(folder) == invitation_key(folder)
    # deleting the key withdraws every code made with it, and the page says so
    key.unlink()
    refused = anonymous(app).form("/signup", _form("ann@example.org", code=code))
    assert refused.status_code == 422 and _accounts(app) == []
    assert "the codes made before now have been withdrawn" in _text(refused.text)
