"""Analyses an earlier version left "running" (without a job) are marked failed at the
next start, unless the process that began them still runs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import datetime

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


def test_an_analysis_whose_job_is_gone_fails_and_one_with_its_job_waits(db: Database) -> None:
    from spasmwatch.attachments import UNFINISHED
    from spasmwatch.store import jobqueue

    ids = _attachments(db, 3)
    with db.transaction() as s:
        live = jobqueue.enqueue(s, ids[0], "normal", None)  # waiting for a worker
        # restored from a backup taken while these waited and ran: their jobs are not there
        repo.set_attachment_analysis(s, ids[1], {"status": "queued", "job_id": live.id + 7})
        repo.set_attachment_analysis(s, ids[2], {"status": "running", "job_id": live.id + 8})
    assert fail_interrupted(db) == 2
    assert _status(db, ids[0])["status"] == "queued"
    for i in ids[1:]:
        assert _status(db, i)["status"] == "failed" and _status(db, i)["error"] == UNFINISHED
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


def test_a_failed_run_again_leaves_the_outputs_in_place_and_nothing_half_written(
    tmp_path, monkeypatch
) -> None:
    import spasmwatch.attachments as attachments
    from report.diary import HELSINKI_CLIP, attach, make_child
    from spasmwatch.errors import AnalysisError

    db = Database(Settings(data_dir=tmp_path / "data"))
    db.migrate()
    child_id, user_id = make_child(db, datetime.now(), with_diary=False)
    attachment_id = attach(db, child_id, user_id, HELSINKI_CLIP)
    with db.transaction() as s:
        sha = repo.get_attachment(s, attachment_id).sha256
    final = db.analysis_dir(sha)
    before = sorted(p.name for p in final.iterdir())
    assert "analysis.json" in before and "amplitude.png" in before
    # the folder is swapped in whole: no list of an --out folder's files in it (a backup
    # would leave such a name out, with a warning)
    assert not any(name.startswith(".") for name in before)
    done = _status(db, attachment_id)
    # the stored result names the outputs where they are, not where they were written
    outputs = [p for paths in done["result"].get("outputs", {}).values() for p in paths]
    assert all(p.startswith(str(final)) for p in outputs)

    def broken(kind, source, out, final, progress, sensitivity):
        (out / "amplitude.png").write_bytes(b"half")  # written, then the run fails
        raise AnalysisError("the run failed")

    monkeypatch.setattr(attachments, "_run", broken)
    failed = attachments.analyse_attachment(db, attachment_id)
    assert failed["status"] == "failed"
    assert sorted(p.name for p in final.iterdir()) == before
    assert (final / "amplitude.png").read_bytes()[:4] == b"\x89PNG"
    assert [p.name for p in final.parent.iterdir() if p.name.startswith(".")] == []
    db.dispose()


def test_a_backup_leaves_out_an_output_replaced_while_it_runs(tmp_path, monkeypatch) -> None:
    import spasmwatch.store.backup as backup_module
    from report.diary import HELSINKI_CLIP, attach, make_child

    db = Database(Settings(data_dir=tmp_path / "data"))
    db.migrate()
    child_id, user_id = make_child(db, datetime.now(), with_diary=False)
    attach(db, child_id, user_id, HELSINKI_CLIP)
    real_link, gone = os.link, []

    def racing(src, dst):  # a run finishing meanwhile takes one file away
        if not gone and str(src).endswith("amplitude.png"):
            os.unlink(src)
            gone.append(src)
        return real_link(src, dst)

    monkeypatch.setattr(backup_module.os, "link", racing)
    archive = backup_module.backup(db, tmp_path / "b.tar.gz")
    assert gone and archive.is_file()
    import json
    import tarfile

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        members = set(tar.getnames())
    listed = set(manifest["analysis_files"])
    assert listed and not any(n.endswith("amplitude.png") for n in listed)
    assert listed <= members
    assert list(db.temp_dir.iterdir()) == []  # the snapshot is gone
    db.dispose()
