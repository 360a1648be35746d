"""``spasmwatch invite-family`` and what it stands on: the sign-up settings
(``SPASMWATCH_SIGNUP``, ``SPASMWATCH_HOSTED_BY``) and the invitation codes
(:mod:`spasmwatch.diary.signup`), on real SQLite and real files."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pytest

from spasmwatch.config import SIGNUP_MODES, Settings
from spasmwatch.diary.signup import (
    KEY_FILE,
    MAX_FAMILY_INVITATION_DAYS,
    code_works,
    invitation_key,
    invite_family,
    make_code,
    may_sign_up,
)
from spasmwatch.errors import Conflict, InvalidInput, SpasmwatchError
from spasmwatch.store.models import AuditEntry, User
from web.webworld import PASSWORD, anonymous, new_app, sign_up

LINK_BASE = "https://diary.example.org"
LINK = re.compile(r"(\S*/signup\?code=([A-Z2-7]{4}(?:-[A-Z2-7]{4}){3}))")


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPASMWATCH_")}
    return subprocess.run(
        [sys.executable, "-m", "spasmwatch", *args],
        capture_output=True,
        text=True,
        env={**clean, "COLUMNS": "200", **(env or {})},
        timeout=120,
    )


def test_the_printed_link_makes_the_familys_account(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {
        "SPASMWATCH_SIGNUP": "invite",
        "SPASMWATCH_PUBLIC_URL": LINK_BASE,
        "SPASMWATCH_DATA_DIR": str(data),
    }
    app = new_app(tmp_path, signup="invite", public_url=LINK_BASE)
    made = cli("invite-family", "Ann@Example.org", "--days", "7", env=env)
    assert made.returncode == 0, made.stderr
    found = LINK.search(made.stdout)
    assert found is not None, made.stdout
    link, code = found.groups()
    assert link == f"{LINK_BASE}/signup?code={code}"
    last_day = (date.today() + timedelta(days=7)).isoformat()
    assert f"Invitation for ann@example.org, until the end of {last_day} (UTC)" in made.stdout
    assert "Sign-up here is" not in made.stdout  # it is by invitation: nothing to warn of
    # the family opens the link and signs up with the email the invitation was made for
    family = anonymous(app)
    assert f'value="{code}"' in family.client.get(link.removeprefix(LINK_BASE)).text
    signed = family.form(
        "/signup",
        {"email": "ann@example.org", "display_name": "Ann", "password": PASSWORD, "code": code},
    )
    assert signed.status_code == 303, signed.text
    with app.state.db.reading() as s:
        assert [u.email for u in s.query(User).all()] == ["ann@example.org"]
        (entry,) = s.query(AuditEntry).filter_by(action="invite_family").all()
        assert entry.detail == f"ann@example.org, until {last_day}"


def test_without_a_public_address_the_link_is_a_path_and_open_sign_up_is_said(
    tmp_path: Path,
) -> None:
    new_app(tmp_path).state.db.dispose()
    made = cli("invite-family", "ann@example.org", "--data-dir", str(tmp_path / "data"))
    assert made.returncode == 0, made.stderr
    found = LINK.search(made.stdout)
    assert found is not None and found.group(1).startswith("/signup?code=")
    assert "set SPASMWATCH_PUBLIC_URL for the whole link" in made.stdout
    assert "Sign-up here is open (SPASMWATCH_SIGNUP): anyone can make an account" in made.stdout
    closed = cli(
        "invite-family",
        "bob@example.org",
        "--data-dir",
        str(tmp_path / "data"),
        env={"SPASMWATCH_SIGNUP": "closed"},
    )
    assert "Sign-up here is closed (SPASMWATCH_SIGNUP)" in closed.stdout


def test_the_command_refuses_what_makes_no_invitation(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    sign_up(app, "ann@example.org")
    app.state.db.dispose()
    data = str(tmp_path / "data")
    cases = [
        (("ann@example.org", "--data-dir", data), "An account uses ann@example.org already"),
        (("not-an-email", "--data-dir", data), "Invalid value for 'EMAIL'"),
        (("bob@example.org", "--data-dir", str(tmp_path / "none")), "No spasmwatch data in"),
        (("bob@example.org", "--data-dir", data, "--days", "91"), "at most 90"),
    ]
    for args, said in cases:
        result = cli("invite-family", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert said in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "none").exists()  # a mistyped folder is not made


def test_invite_family_refuses_an_account_and_a_length_out_of_range(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    sign_up(app, "ann@example.org")
    folder = app.state.settings.data_dir
    with pytest.raises(Conflict, match=r"reset-password ann@example\.org"):
        invite_family(app.state.db, folder, "ANN@example.org")
    for days in (0, MAX_FAMILY_INVITATION_DAYS + 1):
        with pytest.raises(InvalidInput, match="'days'"):
            invite_family(app.state.db, folder, "bob@example.org", days)
    made = invite_family(app.state.db, folder, "bob@example.org", MAX_FAMILY_INVITATION_DAYS)
    assert made.last_day == date.today() + timedelta(days=MAX_FAMILY_INVITATION_DAYS)


def test_a_code_works_until_its_last_day_ends_for_its_email_only(tmp_path: Path) -> None:
    key = invitation_key(tmp_path)
    last = date(2026, 12, 1)
    code = make_code(key, "ann@example.org", last)
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", code)
    assert code_works(tmp_path, "ann@example.org", code, today=last)
    assert code_works(tmp_path, " ANN@example.org ", code, today=last - timedelta(days=30))
    assert not code_works(tmp_path, "ann@example.org", code, today=last + timedelta(days=1))
    assert not code_works(tmp_path, "bob@example.org", code, today=last)
    # typed as people type: spaces for dashes, small letters, 0 and 1 for O and I
    typed = code.replace("-", " ").lower()
    assert code_works(tmp_path, "ann@example.org", typed, today=last)
    # a code with an O or an I in it (base32 has no 0 or 1), typed with 0 and 1
    day = next(
        d for d in range(1, 400) if set(make_code(key, "a@b.org", last + timedelta(d))) & set("OI")
    )
    with_o_or_i = make_code(key, "a@b.org", last + timedelta(day))
    misread = with_o_or_i.replace("O", "0").replace("I", "1")
    assert misread != with_o_or_i and code_works(tmp_path, "a@b.org", misread, today=last)
    for bad in ("", "AAAA", code + "A", code[:-1] + "!", "AAAA-AAAA-AAAA-AAAA"):
        assert not code_works(tmp_path, "ann@example.org", bad, today=last), bad
    # a day moved in the code breaks its signature
    other_day = make_code(key, "ann@example.org", last + timedelta(days=365))
    forged = other_day[:4] + code[4:]
    assert not code_works(tmp_path, "ann@example.org", forged, today=last)


def test_the_key_is_one_per_data_directory(tmp_path: Path) -> None:
    first = invitation_key(tmp_path / "a")
    assert invitation_key(tmp_path / "a") == first != invitation_key(tmp_path / "b")
    assert (tmp_path / "a" / KEY_FILE).stat().st_mode & 0o777 == 0o600
    assert [p.name for p in (tmp_path / "a").iterdir()] == [KEY_FILE]  # nothing left over
    code = make_code(first, "ann@example.org", date.today())
    assert not code_works(tmp_path / "b", "ann@example.org", code)
    (tmp_path / "a" / KEY_FILE).write_text("not a key\n")
    with pytest.raises(SpasmwatchError, match="is damaged: delete it"):
        invitation_key(tmp_path / "a")


def test_processes_starting_at_once_make_one_key(tmp_path: Path) -> None:
    """Web processes (and the command) that all need the key first at the same moment end
    up with the same one: the first linked wins, the others read it."""
    folder = tmp_path / "shared"
    with ProcessPoolExecutor(max_workers=4) as pool:
        keys = list(pool.map(invitation_key, [folder] * 16))
    assert len(set(keys)) == 1 and keys[0] == invitation_key(folder)
    assert [p.name for p in folder.iterdir()] == [KEY_FILE]


def test_who_may_sign_up_in_each_mode() -> None:
    for code_ok in (False, True):
        for diary in (False, True):
            assert may_sign_up("open", code_ok=code_ok, diary_invitation=diary)
            assert not may_sign_up("closed", code_ok=code_ok, diary_invitation=diary)
            assert may_sign_up("invite", code_ok=code_ok, diary_invitation=diary) == (
                code_ok or diary
            )
    with pytest.raises(ValueError, match="allowed are open, invite, closed"):
        may_sign_up("public", code_ok=True, diary_invitation=True)


def test_the_sign_up_settings_from_the_environment(tmp_path: Path) -> None:
    base = {"SPASMWATCH_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(base).signup == "open"
    assert Settings.from_env(base).hosted_by is None
    for raw, mode in (("invite", "invite"), (" Closed ", "closed"), ("", "open")):
        assert Settings.from_env({**base, "SPASMWATCH_SIGNUP": raw}).signup == mode
    with pytest.raises(SpasmwatchError) as refused:
        Settings.from_env({**base, "SPASMWATCH_SIGNUP": "invitation"})
    assert str(refused.value) == (
        "Invalid value for 'SPASMWATCH_SIGNUP': allowed are open, invite, closed; got 'invitation'"
    )
    with pytest.raises(SpasmwatchError, match="allowed are open, invite, closed"):
        Settings(data_dir=tmp_path, signup="Open")
    hosted = Settings.from_env({**base, "SPASMWATCH_HOSTED_BY": "  Example   Hospital "})
    assert hosted.hosted_by == "Example Hospital" and hosted.server_mode
    for bad in ("x" * 101, "Example\x07Hospital"):
        with pytest.raises(SpasmwatchError, match="SPASMWATCH_HOSTED_BY"):
            Settings.from_env({**base, "SPASMWATCH_HOSTED_BY": bad})


def test_a_wrong_setting_stops_the_command_with_its_name(tmp_path: Path) -> None:
    result = cli(
        "invite-family",
        "ann@example.org",
        "--data-dir",
        str(tmp_path),
        env={"SPASMWATCH_SIGNUP": "sometimes"},
    )
    assert result.returncode == 2 and "Invalid value for 'SPASMWATCH_SIGNUP'" in result.stderr


def test_the_clinic_page_names_every_sign_up_mode_and_the_command() -> None:
    """docs/deploy.md keeps up with the settings: each mode in its table, the command,
    the setting that names the host, and the README points to it."""
    repo = Path(__file__).resolve().parent.parent
    deploy = (repo / "docs" / "deploy.md").read_text()
    section = deploy.split("## A server for several families", 1)[1].split("\n## ", 1)[0]
    for mode in SIGNUP_MODES:
        assert f"| `{mode}`" in section, mode
    for name in ("spasmwatch invite-family", "SPASMWATCH_HOSTED_BY", "SPASMWATCH_PUBLIC_URL"):
        assert name in section, name
    assert "(#backup-and-restore)" in section and "reset-password" in section
    readme = (repo / "README.md").read_text()
    assert "(docs/deploy.md#a-server-for-several-families)" in readme
