"""`spasmwatch backup`, `restore` and `serve` from the command line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from spasmwatch.store.db import MIGRATIONS
from web.webworld import add_child, log_episode, new_app, sign_up


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmwatch", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=120,
    )


def test_backup_and_restore_commands(tmp_path: Path) -> None:
    app = new_app(tmp_path)  # data in tmp_path / "data"
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    log_episode(person, child)
    app.state.db.dispose()
    archive = tmp_path / "backup.tar.gz"
    made = cli("backup", str(archive), "--data-dir", str(tmp_path / "data"))
    assert made.returncode == 0, made.stderr
    assert archive.is_file()
    restored = cli("restore", str(archive), "--data-dir", str(tmp_path / "copy"))
    assert restored.returncode == 0, restored.stderr
    assert "1 episode," in restored.stdout and "1 child," in restored.stdout
    assert "older version" not in restored.stdout
    again = cli("restore", str(archive), "--data-dir", str(tmp_path / "copy"))
    assert again.returncode == 2 and "Error" in again.stderr and "Traceback" not in again.stderr


def test_restore_says_when_it_migrated_an_older_backup(tmp_path: Path) -> None:
    archive = Path(__file__).parent / "store" / "old_backups" / "revision-0007.tar.gz"
    restored = cli("restore", str(archive), "--data-dir", str(tmp_path / "data"))
    assert restored.returncode == 0, restored.stderr
    assert "2 episodes" in restored.stdout and "1 treatment," in restored.stdout
    # every migration after the backup's revision 0007 (0008, 0009, ...)
    later = [m for m in (MIGRATIONS / "versions").glob("[0-9]*_*.py") if m.name[:4] > "0007"]
    assert "made by an older version" in restored.stdout
    assert f"went through {len(later)} database migrations" in restored.stdout


def test_restore_of_a_non_backup_is_a_clear_error(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_bytes(b"not an archive")
    result = cli("restore", str(bogus), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 2 and "notes.tar.gz" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_mistyped_data_dir_is_refused_and_a_backup_is_never_overwritten(tmp_path: Path) -> None:
    app = new_app(tmp_path)  # data in tmp_path / "data"
    person = sign_up(app, "ann@example.org")
    add_child(person)
    app.state.db.dispose()
    archive = tmp_path / "nightly.tar.gz"
    assert cli("backup", str(archive), "--data-dir", str(tmp_path / "data")).returncode == 0
    good = archive.read_bytes()
    typo = tmp_path / "dta"
    for args in (
        ("backup", str(tmp_path / "other.tar.gz"), "--data-dir", str(typo)),
        ("export", "csv", "1", "--data-dir", str(typo)),
        ("report", "1", "--data-dir", str(typo), "--out", str(tmp_path / "r.pdf")),
    ):
        refused = cli(*args)
        assert refused.returncode == 2, refused.stderr
        assert f"No spasmwatch data in {typo}" in refused.stderr and "--data-dir" in refused.stderr
    assert not typo.exists() or not (typo / "spasmwatch.db").exists()
    assert not (tmp_path / "other.tar.gz").exists()
    again = cli("backup", str(archive), "--data-dir", str(tmp_path / "data"))
    assert (
        again.returncode == 2 and "exists already" in again.stderr and "--overwrite" in again.stderr
    )
    assert archive.read_bytes() == good
    replaced = cli("backup", str(archive), "--data-dir", str(tmp_path / "data"), "--overwrite")
    assert replaced.returncode == 0, replaced.stderr


def test_setup_mistakes_are_plain_errors_not_bugs(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("not a folder")
    cases = [
        (("restore", "x.tar.gz", "--data-dir", str(a_file / "data")), {}, str(a_file)),
        (
            ("backup", str(tmp_path / "b.tar.gz"), "--database-url",
             "postgresql+psycopg://nobody@127.0.0.1:1/x"),
            {},
            "the database cannot be used",
        ),
        (
            ("backup", str(tmp_path / "b.tar.gz"), "--database-url", "mysql://u@localhost/db"),
            {},
            "driver that is not installed",
        ),
        (
            ("backup", str(tmp_path / "b.tar.gz"), "--database-url", "not a url"),
            {},
            "the database URL is not one spasmwatch can use",
        ),
        (
            ("reset-password", "a@example.org", "--data-dir", str(tmp_path / "d")),
            {"SPASMWATCH_MAX_UPLOAD_MB": "abc"},
            "Invalid value for 'SPASMWATCH_MAX_UPLOAD_MB'",
        ),
    ]  # fmt: skip
    for args, env, said in cases:
        result = cli(*args, env=env)
        assert result.returncode == 2, (args, result.stderr)
        assert said in result.stderr, (args, result.stderr)
        assert "Unexpected error" not in result.stderr and "Traceback" not in result.stderr


def test_serve_on_a_port_in_use_says_so_before_anything_else(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--port", str(port), "--data-dir", str(tmp_path / "data"))
    assert result.returncode == 2, result.stderr
    assert f"Cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "is running at" not in result.stdout


def test_serve_prints_the_url_and_answers(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "spasmwatch",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path / "data"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        body = ""
        deadline = time.monotonic() + 120  # a guard against a hang, not a timing check
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/signin", timeout=2) as r:
                    body = r.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert "Sign in" in body
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
    assert f"http://127.0.0.1:{port}/" in output
