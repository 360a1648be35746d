"""What a clinic's server (``SPASMWATCH_HOSTED_BY`` set) and a family's own computer each
say to the people who use them, and the codes they type (real SQLite and PostgreSQL, the
test client):

- where the password reset code is (ask the people who run the server; the console of a
  family's own computer), and where a recording sent goes;
- the sign-up page opened from an invitation link says its code is filled in;
- an invitation code that lets nobody in says why: not a code, expired, withdrawn (the
  key deleted, as docs/deploy.md says to withdraw them), or not for the email;
- reset codes are read as the invitation codes are: spaces for dashes, lower case;
- the report says it was made from the family's own diary, not "on their device".
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.diary import accounts
from spasmwatch.diary.signup import KEY_FILE, code_letters, invitation_key, make_code
from spasmwatch.store.models import User
from web.webworld import (
    PASSWORD,
    SPASM_EPISODE,
    add_child,
    anonymous,
    log_episode,
    new_app,
    share,
    sign_up,
)

HOST = "Example Children's Hospital"
NEW_PASSWORD = "another long password"
#: What a family's own computer says of the reset code and of a recording sent.
CONSOLE = "a one-time code is printed on the console of the computer running it"
CONSOLE_SENT = "was printed on the console of the computer running spasmwatch"
GOES_TO = "It goes to the computer that runs spasmwatch only, and is analysed there."


def _text(html: str) -> str:
    """A page's words, without its tags, spaces as one."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _accounts(app: Any) -> list[str]:
    with app.state.db.reading() as s:
        return sorted(u.email for u in s.query(User).all())


def _signup(email: str, code: str) -> dict[str, str]:
    return {"email": email, "display_name": "Sam", "password": PASSWORD, "code": code}


def _code(app: Any, email: str) -> str:
    """An invitation code, as ``spasmwatch invite-family`` makes it."""
    from spasmwatch.diary.signup import invite_family

    return invite_family(app.state.db, app.state.settings.data_dir, email).code


# ------------------------------------------------ where the code is, where a file goes
def test_a_server_says_to_ask_who_runs_it_for_the_reset_code(
    database_url: str, tmp_path: Path
) -> None:
    app = new_app(tmp_path, database_url=database_url, hosted_by=HOST)
    sign_up(app, "ann@example.org")
    visitor = anonymous(app)
    form = _text(visitor.client.get("/reset").text)
    assert (
        f"spasmwatch sends no mail: give the email of your account below, then ask {HOST} "
        "(the people who run this server) for the one-time code it makes." in form
    )
    sent = _text(visitor.form("/reset", {"email": "ann@example.org"}).text)
    assert (
        f"If an account uses the email, a one-time code for it was made: ask {HOST} (the "
        "people who run this server) for it. It works for 30 minutes, once." in sent
    )
    for words in (form, sent):
        assert "console" not in words and "reset-password EMAIL" not in words


def test_a_familys_own_computer_says_the_console(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    sign_up(app, "ann@example.org")
    visitor = anonymous(app)
    assert CONSOLE in _text(visitor.client.get("/reset").text)
    sent = _text(visitor.form("/reset", {"email": "ann@example.org"}).text)
    assert CONSOLE_SENT in sent and "the people who run this server" not in sent


@pytest.mark.parametrize(
    ("settings", "said"),
    [
        (
            {"hosted_by": HOST},
            f"It goes to the computer that runs spasmwatch for {HOST} only, and is analysed there",
        ),
        ({}, GOES_TO),
    ],
    ids=["server", "family"],
)
def test_the_recordings_box_says_where_a_file_goes(
    tmp_path: Path, settings: dict[str, str], said: str
) -> None:
    owner = sign_up(new_app(tmp_path, **settings), "ann@example.org")
    page = _text(owner.client.get(f"/children/{add_child(owner, 'Mia')}").text)
    assert said in page
    if settings:
        assert GOES_TO not in page


# ---------------------------------------------------------------- invitation codes
def test_the_sign_up_page_from_an_invitation_link_says_its_code_is_filled_in(
    tmp_path: Path,
) -> None:
    app = new_app(tmp_path, signup="invite", hosted_by=HOST)
    code = _code(app, "ann@example.org")
    visitor = anonymous(app)
    linked = visitor.client.get(f"/signup?code={code}").text
    words = _text(linked)
    assert f'value="{code}"' in linked
    assert (
        f"New accounts are made here with an invitation from {HOST}. The code of the "
        "invitation link you opened is filled in below: sign up with the email address the "
        "invitation was made for." in words
    )
    assert "open the invitation link you were given" not in words
    # the page opened without the link asks for the link or the code
    plain = _text(visitor.client.get("/signup").text)
    assert "open the invitation link you were given, or type its code below" in plain
    assert "is filled in below" not in plain


def test_a_code_withdrawn_by_deleting_the_key_is_said_withdrawn(
    database_url: str, tmp_path: Path
) -> None:
    app = new_app(tmp_path, database_url=database_url, signup="invite", hosted_by=HOST)
    key = app.state.settings.data_dir / KEY_FILE
    code = _code(app, "ann@example.org")
    key.unlink()  # as docs/deploy.md says, to withdraw every code not yet used
    visitor = anonymous(app)
    refused = visitor.form("/signup", _signup("ann@example.org", code))
    words = _text(refused.text)
    assert refused.status_code == 422 and _accounts(app) == []
    assert (
        "This invitation code no longer works: the codes made before now have been "
        f"withdrawn. Ask {HOST} for a new one" in words
    )
    assert "give the address the invitation was made for" not in words
    assert not key.exists()  # checking a code makes no key
    # a new invitation made since (a new key): the old code, with its right email, no
    # longer matches; the page says that right code and email mean a withdrawn code
    bob = _code(app, "bob@example.org")
    again = _text(visitor.form("/signup", _signup("ann@example.org", code)).text)
    assert (
        "This invitation code does not work with this email address: check the code and "
        "give the address the invitation was made for. If both are right, the code has "
        f"been withdrawn: ask {HOST} for a new one" in again
    )
    assert visitor.form("/signup", _signup("bob@example.org", bob)).status_code == 303
    assert _accounts(app) == ["bob@example.org"]


def test_each_refused_code_says_why(tmp_path: Path) -> None:
    app = new_app(tmp_path, signup="invite")  # nobody named: whoever runs this app
    code = _code(app, "ann@example.org")
    visitor = anonymous(app)

    def said(email: str, given: str) -> str:
        refused = visitor.form("/signup", _signup(email, given))
        assert refused.status_code == 422
        return _text(refused.text)

    assert (
        "This is not a whole invitation code (one has 16 letters and digits, in groups of "
        "four): check what you typed, or ask whoever runs this app for a new code"
        in said("ann@example.org", code[:-1])
    )
    expired = make_code(
        invitation_key(app.state.settings.data_dir),
        "ann@example.org",
        date.today() - timedelta(days=2),
    )
    assert (
        "This invitation code has expired (a code works for a limited time): ask whoever "
        "runs this app for a new one" in said("ann@example.org", expired)
    )
    assert "does not work with this email address" in said("eve@example.org", code)
    assert _accounts(app) == []
    # the right code, read out with spaces, in lower case, a phone's dash in it
    typed = " ".join(code.lower().split("-")).replace(" ", "\u2013", 1)
    made = visitor.form("/signup", _signup("ann@example.org", typed))
    assert made.status_code == 303 and _accounts(app) == ["ann@example.org"]


# ---------------------------------------------------------------- reset codes
def test_a_reset_code_is_read_as_it_is_typed(database_url: str, tmp_path: Path) -> None:
    app = new_app(tmp_path, database_url=database_url, hosted_by=HOST)
    sign_up(app, "ann@example.org")

    def reset(code: str) -> Any:
        """The reset form sent with ``code`` from a browser not signed in."""
        return anonymous(app).form(
            "/reset/code",
            {"email": "ann@example.org", "code": code, "new_password": NEW_PASSWORD},
        )

    for typed in (
        lambda code: " ".join(code.lower().split("-")),  # "m78a hm97 vuhv"
        lambda code: code.replace("-", "").lower(),  # "m78ahm97vuhv"
        lambda code: f" {code.replace('-', chr(0x2011))} ",  # a phone's dashes, spaces round
        lambda code: code,  # as made
    ):
        _, code = accounts.reset_code_for(app.state.db, "ann@example.org", "test")
        done = reset(typed(code))
        assert done.status_code == 303 and done.headers["location"] == "/children", typed(code)
        assert reset(code).status_code == 401  # used up
    _, code = accounts.reset_code_for(app.state.db, "ann@example.org", "test")
    wrong = reset(" ".join(code.lower().split("-"))[:-1] + "x")
    assert wrong.status_code == 401 and "not right or has expired" in wrong.text


def test_one_reading_of_a_typed_code_for_both_kinds() -> None:
    assert code_letters(" m78a hm97\tvuhv ") == "M78AHM97VUHV"
    assert code_letters("ke6r\u2013onfu-d2ou x5qt") == "KE6RONFUD2OUX5QT"
    assert accounts.reset_code("m78a hm97 vuhv") == "M78A-HM97-VUHV"
    assert accounts.reset_code("M78A-HM97-VUHV") == "M78A-HM97-VUHV"


# ---------------------------------------------------------------- the report's last words
@pytest.mark.parametrize("settings", [{"hosted_by": HOST}, {}], ids=["server", "family"])
def test_the_shared_report_says_it_was_made_from_the_familys_diary(
    tmp_path: Path, settings: dict[str, str]
) -> None:
    app = new_app(tmp_path, **settings)
    owner = sign_up(app, "ann@example.org")
    child = add_child(owner, "Mia")
    log_episode(owner, child, SPASM_EPISODE)
    token, _ = share(owner, child)
    for lang, said, gone in (
        ("en", "Made by spasmwatch from the family's own diary", "on their device"),
        ("es", "Hecho por spasmwatch a partir del propio diario de la familia", "dispositivo"),
    ):
        report = anonymous(app).client.get(
            f"/s/{token}/report.html", headers={"Accept-Language": lang}
        )
        assert report.status_code == 200
        words = _text(report.text)
        assert said in words and gone not in words, lang
        # who keeps the diary, on a server that names them
        assert (HOST in words.split(said)[1][:80]) == bool(settings), lang
