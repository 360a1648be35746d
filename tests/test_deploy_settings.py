"""The settings samples of the documentation, read as systemd reads an
``EnvironmentFile=``: a ``#`` starts a comment only at the start of a line, so a comment
after a value is part of it, and the value is refused (``spasmwatch serve`` exits 2, again
at every restart). Every sample in docs/ and the README is a file that works; the clinic
page says to restart the services after an upgrade, and the pages' templates are read
once per process."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spasmwatch.config import Settings
from spasmwatch.errors import SpasmwatchError
from spasmwatch.store import Database

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "docs" / "deploy.md"
#: A line of a settings file: ``NAME=value``.
SETTING = re.compile(r"^\s*(?:export\s+)?([A-Z][A-Z0-9_]*)=")


def environment_file(text: str) -> dict[str, str]:
    """The variables of ``text`` as systemd's ``EnvironmentFile=`` sets them (its parser,
    src/basic/env-file.c): blank lines and lines starting with ``#`` or ``;`` are left
    out; a value's quotes are removed and what stands after them kept, a ``#`` after the
    value too; a backslash keeps the next character; trailing spaces are dropped."""
    env: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.lstrip()
        if not stripped or stripped[0] in "#;":
            continue
        key, sep, raw = stripped.partition("=")
        if not sep:
            continue
        value: list[str] = []
        quote: str | None = None
        chars = iter(raw.lstrip())
        for c in chars:
            if quote is None and c in "\"'":
                quote = c
            elif c == quote:
                quote = None
            elif c == "\\" and quote != "'":
                value.append(next(chars, ""))
            else:
                value.append(c)
        env[key.strip()] = "".join(value).rstrip()
    return env


def _samples() -> list[tuple[str, str]]:
    """Every fenced block of docs/*.md and README.md that sets a ``SPASMWATCH_`` variable:
    (where, its text)."""
    found = []
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        for n, block in enumerate(re.findall(r"^```[^\n]*\n(.*?)^```", text, re.S | re.M)):
            if any(
                (m := SETTING.match(line)) and m.group(1).startswith("SPASMWATCH_")
                for line in block.splitlines()
            ):
                found.append((f"{page.name} block {n}", block))
    return found


def _env_sample() -> str:
    """The sample ``/etc/spasmwatch.env`` of docs/deploy.md."""
    text = DEPLOY.read_text(encoding="utf-8")
    found = re.search(r"^`/etc/spasmwatch\.env`:\n\n```[^\n]*\n(.*?)^```", text, re.S | re.M)
    assert found, "docs/deploy.md shows /etc/spasmwatch.env"
    return found.group(1)


def test_the_env_sample_gives_the_settings_it_says() -> None:
    env = environment_file(_env_sample())
    settings = Settings.from_env(env)
    assert settings.public_url == "https://diary.example.org"
    assert settings.signup == "invite"
    assert settings.hosted_by == "Example Children's Hospital"
    assert settings.web_threads == 1 and settings.emergency_number == "112"
    assert settings.database_url == (
        "postgresql+psycopg://spasmwatch:PASSWORD@127.0.0.1/spasmwatch"
    )


def test_a_comment_after_a_value_is_part_of_it_and_refused() -> None:
    """What the sample had: systemd keeps the comment, and the setting is refused."""
    env = environment_file(
        "SPASMWATCH_PUBLIC_URL=https://diary.example.org   # the address share links are made on\n"
        'SPASMWATCH_HOSTED_BY="Example Children\'s Hospital"   # named on the pages (below)\n'
    )
    assert env["SPASMWATCH_PUBLIC_URL"].endswith("# the address share links are made on")
    assert env["SPASMWATCH_HOSTED_BY"] == (
        "Example Children's Hospital   # named on the pages (below)"
    )
    with pytest.raises(SpasmwatchError, match="Invalid value for 'SPASMWATCH_PUBLIC_URL'"):
        Settings.from_env(env)
    with pytest.raises(SpasmwatchError, match="Invalid value for 'SPASMWATCH_SIGNUP'"):
        Settings.from_env(environment_file("SPASMWATCH_SIGNUP=invite     # who may (below)"))


@pytest.mark.parametrize(("where", "block"), _samples(), ids=lambda v: v if " " in v else "")
def test_every_settings_sample_has_its_comments_on_lines_of_their_own(
    where: str, block: str
) -> None:
    for line in block.splitlines():
        found = SETTING.match(line)
        if found and found.group(1).startswith("SPASMWATCH_"):
            value = environment_file(line)[found.group(1)]
            assert "#" not in value, (where, line)
    settings = {k: v for k, v in environment_file(block).items() if k.startswith("SPASMWATCH_")}
    Settings.from_env(settings)  # every value as the app reads it


def _command(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPASMWATCH_")}
    return subprocess.run(
        [sys.executable, "-m", "spasmwatch", *args],
        capture_output=True,
        text=True,
        env={**clean, **env, "COLUMNS": "200"},
        timeout=120,
    )


def test_the_commands_start_with_the_sample_file_as_systemd_reads_it(db: Database) -> None:
    env = environment_file(_env_sample())
    # the test's database and data directory in place of the clinic's
    env["SPASMWATCH_DATABASE_URL"] = str(db.settings.database_url)
    env["SPASMWATCH_DATA_DIR"] = str(db.data_dir)
    made = _command(env, "invite-family", "ann@example.org")
    assert made.returncode == 0, made.stderr
    assert "https://diary.example.org/signup?code=" in made.stdout
    # the sample as it was: the service stops at once, saying which setting
    env["SPASMWATCH_PUBLIC_URL"] += "   # the address share links are made on"
    for args in (("invite-family", "ann@example.org"), ("serve", "--port", "1")):
        refused = _command(env, *args)
        assert refused.returncode == 2, refused.stderr
        assert "Invalid value for 'SPASMWATCH_PUBLIC_URL'" in refused.stderr
        assert "Traceback" not in refused.stderr


def test_the_clinic_page_says_to_restart_after_an_upgrade() -> None:
    text = " ".join(DEPLOY.read_text(encoding="utf-8").split())
    assert "**After an upgrade**" in text
    assert "restart every process: `systemctl restart spasmwatch-web 'spasmwatch-worker@*'`" in text


def test_the_pages_templates_are_read_once_per_process() -> None:
    """A template changed on disk under a running server (an upgrade) is not read again
    by a process that has it: the process's pages stay those of its own code."""
    from spasmwatch.web.render import make_templates

    env = make_templates().env
    assert env.auto_reload is False
