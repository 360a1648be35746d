"""The commands a clinic's IT person runs on a server, through the real entry point
(``python -m spasmwatch``), on real SQLite and PostgreSQL:

- ``worker`` says in its journal that it started (the database, what it analyses), each
  job it ran with its result, and that it stopped;
- ``restore`` into a database that holds rows says what it holds in the words ``backup``
  uses ("1 account, 1 child"), never the tables' names;
- ``reset-password`` prints the code on the same line as what it is, whatever the
  terminal's width, so that it is copied whole;
- ``report`` says it was made from the family's own diary, naming who keeps it where
  that is given.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path

import pytest

from report.diary import make_child
from spasmwatch.config import Settings
from spasmwatch.diary import accounts
from spasmwatch.diary.reporting import build_report
from spasmwatch.jobs import request_analysis
from spasmwatch.report import render_html
from spasmwatch.store import Database, repo
from spasmwatch.store.files import store_stream
from spasmwatch.store.models import User

CLIP = Path(__file__).resolve().parents[2] / "shared" / "data" / "eeg" / "helsinki" / "clips"
HOST = "Example Children's Hospital"


def _spasmwatch(*args: str, columns: int = 200, **env: str) -> subprocess.CompletedProcess[str]:
    """The command as a service or a person runs it, the settings from the environment
    only as given here."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SPASMWATCH_")}
    return subprocess.run(
        [sys.executable, "-m", "spasmwatch", *args],
        capture_output=True,
        text=True,
        env={**clean, "COLUMNS": str(columns), **env},
        timeout=300,
    )


def _where(database: Database) -> tuple[str, ...]:
    """The options that name ``database`` to a command."""
    url = database.settings.database_url
    return ("--data-dir", str(database.data_dir), *(("--database-url", url) if url else ()))


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# ---------------------------------------------------------------- worker
def test_the_worker_says_it_started_each_job_and_that_it_stopped(db: Database) -> None:
    clip = CLIP / "eeg1.edf"
    stored = store_stream([clip.read_bytes()], db.attachments_dir, 10**9, clip.name)
    with db.transaction() as s:
        owner = repo.create_user(s, "ann@example.org", "Ann", "hash")
        child = repo.create_child(s, owner.id, "Mia", age_months=6.0)
        attachment = repo.add_attachment(
            s,
            child_id=child.id,
            kind=stored.kind,
            filename=clip.name,
            content_type=stored.content_type,
            size_bytes=stored.size_bytes,
            sha256=stored.sha256,
            uploaded_by=owner.id,
        ).id
        job = request_analysis(s, attachment, "normal", None).id
    ran = _spasmwatch("worker", "--once", *_where(db), SPASMWATCH_JOB_MEMORY_MB="4096")
    assert ran.returncode == 0, ran.stderr
    assert "Ran 1 analysis job." in ran.stdout
    lines = ran.stderr.splitlines()
    assert all(re.match(r"spasmwatch worker \d+: ", line) for line in lines), ran.stderr
    # the URL given (its password hidden)
    where = "sqlite:///" if db.settings.database_url.startswith("sqlite") else "postgresql"
    assert (
        "started: analyses the videos and EEG recordings the web app queues, one at a time "
        f"(4096 MB and 3600 s at most each), from {where}" in lines[0]
    )
    assert f"files in {db.data_dir}; stops when the queue is empty" in lines[0]
    # the job, by its id, with the kind of file, how it ended and how long it took
    said = rf": job {job} \(eeg, attachment {attachment}\): "
    assert any(re.search(said + "analysing, sensitivity normal$", line) for line in lines)
    assert any(re.search(said + r"done after \d+ s$", line) for line in lines), lines
    assert lines[-1].endswith(": stopped after 1 job")


def test_the_worker_on_the_default_database_names_it(tmp_path: Path) -> None:
    ran = _spasmwatch("worker", "--once", SPASMWATCH_DATA_DIR=str(tmp_path / "data"))
    assert ran.returncode == 0, ran.stderr
    first, last = ran.stderr.splitlines()
    assert f"from SQLite in {tmp_path / 'data'}, files in {tmp_path / 'data'}" in first
    assert "(8192 MB and 3600 s at most each)" in first
    assert last.endswith(": stopped after 0 jobs") and "Ran 0 analysis jobs." in ran.stdout


# ---------------------------------------------------------------- restore
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_restore_into_a_database_with_rows_says_what_it_holds(
    database_factory: Callable[[str], Database], kind: str, tmp_path: Path
) -> None:
    database = database_factory(kind)
    with database.transaction() as s:
        owner = repo.create_user(s, "ann@example.org", "Ann", "hash")
        child = repo.create_child(s, owner.id, "Mia", age_months=6.0)
        expires = datetime.now() + timedelta(days=7)
        repo.create_share_link(s, child.id, "0" * 64, "Dr Who", owner.id, expires)
    accounts.reset_code_for(database, "ann@example.org", "test")  # an audit log entry too
    archive = tmp_path / "nightly.tar.gz"
    made = _spasmwatch("backup", str(archive), *_where(database))
    assert made.returncode == 0, made.stderr
    for lang, *said in (
        (
            "en",
            "Error: The database to restore into is not empty (",
            "holds 1 account, 1 child, 1 role in a child's diary, 1 share link, 1 password "
            "reset code, 1 audit log entry): restore only into a new, empty database and "
            "data directory (--database-url, --data-dir); nothing was restored",
        ),
        (
            "es",
            "Error: La base de datos en la que restaurar no está vacía (",
            "contiene 1 cuenta, 1 niño o niña, 1 papel en el diario de un niño o niña, 1 "
            "enlace compartido",
        ),
    ):
        refused = _spasmwatch("restore", str(archive), *_where(database), "--lang", lang)
        assert refused.returncode == 2, refused.stderr
        message = " ".join(refused.stderr.split())
        assert all(part in message for part in said), message
        for table in ("memberships", "share_links", "audit_log", "password_resets", "users"):
            assert table not in message
        assert "Traceback" not in refused.stderr
    with database.reading() as s:
        assert [u.email for u in s.query(User).all()] == ["ann@example.org"]


# ---------------------------------------------------------------- reset-password
@pytest.mark.parametrize("columns", [40, 80, 200])
def test_reset_password_prints_the_code_on_one_line(tmp_path: Path, columns: int) -> None:
    database = Database(Settings(data_dir=tmp_path / "data"))
    database.migrate()
    email = "ann.with-a-rather-long-address@clinic.example.org"
    with database.transaction() as s:
        repo.create_user(s, email, "Ann", "hash")
    made = _spasmwatch(
        "reset-password", email, "--data-dir", str(database.data_dir), columns=columns
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.count("\n") == 1, made.stdout  # one line, never wrapped
    found = re.fullmatch(
        rf"One-time code for {re.escape(email)}: ([A-Z0-9]{{4}}-[A-Z0-9]{{4}}-[A-Z0-9]{{4}}) "
        r"\(works once, for 30 minutes\): enter it with a new password on the app's page "
        r"/reset\n",
        made.stdout,
    )
    assert found, made.stdout
    assert accounts.reset_password(database, email, found.group(1), "new hash") is not None
    database.dispose()


# ---------------------------------------------------------------- report
def test_the_report_says_it_was_made_from_the_familys_diary(tmp_path: Path) -> None:
    database = Database(Settings(data_dir=tmp_path / "data"))
    database.migrate()
    child_id, _ = make_child(database, datetime.now().replace(microsecond=0))
    html = tmp_path / "report.html"
    for lang, said, gone in (
        ("en", "Made by spasmwatch from the family's own diary. spasmwatch does not", "device"),
        ("es", "Hecho por spasmwatch a partir del propio diario de la familia.", "dispositivo"),
    ):
        made = _spasmwatch(
            "report", str(child_id), "--format", "html", "--out", str(html), "--lang", lang,
            "--data-dir", str(database.data_dir),
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        words = _text(html.read_text(encoding="utf-8"))
        assert said in words and gone not in words, lang
    # who keeps the diary, where the server names them
    made = _spasmwatch(
        "report", str(child_id), "--format", "html", "--out", str(html),
        "--data-dir", str(database.data_dir), SPASMWATCH_HOSTED_BY=HOST,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    words = _text(html.read_text(encoding="utf-8"))
    assert f"Made by spasmwatch from the family's own diary, kept by {HOST}." in words
    data = build_report(database, child_id)
    kept = _text(render_html(data, kept_by=HOST))
    assert f"Made by spasmwatch from the family's own diary, kept by {HOST}." in kept
    kept_es = _text(render_html(data, locale="es", kept_by=HOST))
    assert f"a partir del propio diario de la familia, que guarda {HOST}." in kept_es
    database.dispose()
