"""Analyses an earlier version left "running" (without a job) are marked failed at the
next start, unless the process that began them still runs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from spasmwatch.attachments import INTERRUPTED, fail_interrupted
from spasmwatch.config import Settings
from spasmwatch.store import Database, repo
from spasmwatch.web.app import create_app


def _attachments(db: Database, n: int) -> list[int]:
    with db.transaction() as s:
        owner = repo.create_user(s, "parent@example.org", "Pat", "argon2-hash")
        child = repo.create_child(s, owner.id, "Mia", age_months=6.0)
        return [
            repo.add_attachment(
                s,
                child_id=child.id,
                kind="video",
                filename=f"clip{i}.mp4",
                content_type="video/mp4",
                size_bytes=10,
                sha256=f"{i:064x}",
                uploaded_by=owner.id,
            ).id
            for i in range(n)
        ]


def _status(db: Database, attachment_id: int) -> dict:
    with db.transaction() as s:
        return dict(repo.get_attachment(s, attachment_id).analysis or {})


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return int(done.stdout)


def test_only_analyses_of_stopped_processes_of_this_machine_fail(db: Database) -> None:
    ids = _attachments(db, 5)
    host = socket.gethostname()
    markers = [
        {"status": "running", "host": host, "pid": _dead_pid()},  # killed mid-analysis
        {"status": "running"},  # an earlier version's marker
        {"status": "running", "host": host, "pid": os.getppid()},  # a live process
        {"status": "running", "host": "another-server", "pid": 1},  # shares the database
        {"status": "done", "result": {}},
    ]
    with db.transaction() as s:
        for i, marker in zip(ids, markers, strict=True):
            repo.set_attachment_analysis(s, i, marker)
    assert fail_interrupted(db) == 2
    for i in ids[:2]:
        assert _status(db, i)["status"] == "failed"
        assert _status(db, i)["error"] == INTERRUPTED
    assert [_status(db, i)["status"] for i in ids[2:]] == ["running", "running", "done"]
    assert fail_interrupted(db) == 0


def test_this_process_s_own_analysis_is_left_running(db: Database) -> None:
    (i,) = _attachments(db, 1)
    with db.transaction() as s:  # the marker an earlier version wrote as it began
        repo.set_attachment_analysis(
            s, i, {"status": "running", "host": socket.gethostname(), "pid": os.getpid()}
        )
    assert _status(db, i)["pid"] == os.getpid()
    assert fail_interrupted(db) == 0


def test_the_server_start_fails_what_was_interrupted(db: Database) -> None:
    (i,) = _attachments(db, 1)
    with db.transaction() as s:
        repo.set_attachment_analysis(
            s, i, {"status": "running", "host": socket.gethostname(), "pid": _dead_pid()}
        )
    create_app(Settings(data_dir=db.data_dir, database_url=db.settings.database_url))
    assert _status(db, i)["status"] == "failed"
