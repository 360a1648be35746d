"""Analysis jobs: queued in the database, taken once, run in a child process with limits,
and never left "running" when a worker or the server is killed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.config import Settings
from spasmwatch.errors import Conflict, InvalidInput
from spasmwatch.jobs import (
    MAX_ATTEMPTS,
    STOPPED,
    JobLimits,
    recover,
    request_analysis,
    run_one,
    run_pending,
)
from spasmwatch.store import Database, jobqueue, repo
from spasmwatch.store.files import store_stream

EEG_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "eeg"
CLIP = EEG_DIR / "helsinki" / "clips" / "eeg1.edf"


def _attach(db: Database, path: Path = CLIP, n: int = 1) -> list[int]:
    stored = store_stream([path.read_bytes()], db.attachments_dir, 10**9, path.name)
    with db.transaction() as s:
        owner = repo.create_user(s, f"p{time.monotonic_ns()}@example.org", "Pat", "hash")
        child = repo.create_child(s, owner.id, "Mia", age_months=6.0)
        return [
            repo.add_attachment(
                s,
                child_id=child.id,
                kind=stored.kind,
                filename=path.name,
                content_type=stored.content_type,
                size_bytes=stored.size_bytes,
                sha256=stored.sha256,
                uploaded_by=owner.id,
            ).id
            for _ in range(n)
        ]


def _analysis(db: Database, attachment_id: int) -> dict[str, Any]:
    with db.reading() as s:
        row = repo.get_attachment(s, attachment_id)
        assert row is not None
        return dict(row.analysis or {})


def _job(db: Database, job_id: int) -> Any:
    with db.reading() as s:
        return jobqueue.get_job(s, job_id)


def _queue(db: Database, attachment_id: int, sensitivity: str = "normal") -> int:
    with db.transaction() as s:
        return request_analysis(s, attachment_id, sensitivity, None).id


def test_a_queued_job_is_taken_once_and_a_second_request_conflicts(db: Database) -> None:
    (a,) = _attach(db)
    job = _queue(db, a)
    assert _analysis(db, a)["status"] == "queued" and _job(db, job).status == "queued"
    with pytest.raises(Conflict, match="being analysed already"), db.transaction() as s:
        request_analysis(s, a, "low", None)
    invalid = "'sensitivity': allowed are low, normal, high"
    with pytest.raises(InvalidInput, match=invalid), db.transaction() as s:
        request_analysis(s, a, "max", None)
    with db.transaction() as s:
        taken = jobqueue.claim(s, "here:1")
        assert taken is not None and taken.id == job and taken.attempts == 1
    with db.transaction() as s:
        assert jobqueue.claim(s, "here:2") is None  # nobody takes it twice
    assert _analysis(db, a)["status"] == "running"


def test_the_worker_runs_the_analysis_in_a_child_process(db: Database) -> None:
    a, b = _attach(db, n=2)
    first, second = _queue(db, a), _queue(db, b, "high")
    assert run_one(db) and run_one(db) and not run_one(db)
    done = _analysis(db, a)
    assert done["status"] == "done" and done["result"]["recording"]["path"] == CLIP.name
    assert _analysis(db, b)["sensitivity"] == "high"
    for job_id in (first, second):
        job = _job(db, job_id)
        assert job.status == "done" and job.progress == 1.0 and job.finished_at is not None
    # done or failed, the file can be queued again ("Analyse again")
    _queue(db, a, "low")
    assert run_pending(db) == 1 and _analysis(db, a)["sensitivity"] == "low"


def test_an_analysis_over_its_limits_fails_with_the_reason(db: Database) -> None:
    a, b = _attach(db, n=2)
    slow = _queue(db, a)
    assert run_one(db, JobLimits(memory_mb=0, time_s=0.5))
    assert _job(db, slow).status == "failed"
    assert "longer than the limit" in _analysis(db, a)["error"]
    small = _queue(db, b)
    assert run_one(db, JobLimits(memory_mb=150, time_s=600))
    failed = _analysis(db, b)
    assert _job(db, small).status == "failed" and failed["status"] == "failed"
    assert "memory" in failed["error"] and "SPASMWATCH_JOB_MEMORY_MB" in failed["error"]


def test_a_run_again_that_fails_leaves_the_earlier_analysis_shown(db: Database) -> None:
    (a,) = _attach(db)
    _queue(db, a)
    assert run_one(db)
    earlier = _analysis(db, a)
    assert earlier["status"] == "done" and earlier["sensitivity"] == "normal"
    again = _queue(db, a, "high")
    waiting = _analysis(db, a)  # waiting, with the finished one beside it
    assert waiting["status"] == "queued" and waiting["previous"]["result"] == earlier["result"]
    assert run_one(db, JobLimits(memory_mb=0, time_s=0.5))
    assert _job(db, again).status == "failed"  # the job says what happened to it
    kept = _analysis(db, a)
    assert kept["status"] == "done" and kept["sensitivity"] == "normal"
    assert kept["result"] == earlier["result"] and "previous" not in kept
    assert kept["last_failure"]["sensitivity"] == "high"
    assert "longer than the limit" in kept["last_failure"]["error"]
    _queue(db, a, "low")  # a run that finishes replaces both
    assert run_one(db)
    fresh = _analysis(db, a)
    assert fresh["sensitivity"] == "low" and "last_failure" not in fresh


def test_a_stopped_analysis_says_why_by_the_signal() -> None:
    from spasmwatch.jobs import _exit_reason

    limits = JobLimits(memory_mb=2048, time_s=60)
    assert "most likely for lack of memory" in _exit_reason(-signal.SIGKILL, limits)
    stopped = _exit_reason(-signal.SIGTERM, limits)
    assert "stopped (SIGTERM)" in stopped and "memory" not in stopped
    assert "crashed in a library (SIGSEGV)" in _exit_reason(-signal.SIGSEGV, limits)


def test_jobs_of_stopped_workers_are_queued_again_then_failed(db: Database) -> None:
    ids = _attach(db, n=4)
    jobs = [_queue(db, a) for a in ids]
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    host = socket.gethostname()
    with db.transaction() as s:
        for job_id, worker in zip(
            jobs,
            [f"{host}:{dead}", f"{host}:{os.getppid()}", "elsewhere:1", "elsewhere:2"],
            strict=True,
        ):
            job = jobqueue.get_job(s, job_id)
            assert job is not None
            job.status, job.worker, job.attempts = "running", worker, 1
            job.heartbeat_at = repo.now()
        # a worker on another machine that stopped writing its heartbeat a while ago
        stale = jobqueue.get_job(s, jobs[3])
        assert stale is not None
        stale.heartbeat_at = repo.now() - timedelta(minutes=5)
        stale.attempts = MAX_ATTEMPTS
    assert recover(db) == 2
    assert [_job(db, j).status for j in jobs] == ["queued", "running", "running", "failed"]
    assert _analysis(db, ids[0])["status"] == "queued" and _analysis(db, ids[0])["retry"] == 1
    assert _analysis(db, ids[3])["error"] == STOPPED
    assert recover(db) == 0


# ------------------------------------------------------------------ kill -9, end to end
def _spasmwatch(*args: str, data_dir: Path, database_url: str | None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SPASMWATCH_DATA_DIR": str(data_dir)}
    if database_url:
        env["SPASMWATCH_DATABASE_URL"] = database_url
    return subprocess.Popen(
        [sys.executable, "-m", "spasmwatch", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _wait(condition: Callable[[], bool], timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children_of(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    waited = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True)
    return waited.stdout.strip().startswith("Z") or not waited.stdout.strip()


@pytest.mark.parametrize("killed", ["worker", "server"])
def test_kill_9_mid_analysis_leaves_no_job_stuck(
    db: Database, database_url: str, killed: str
) -> None:
    url = db.settings.database_url
    ids = _attach(db, n=3)
    jobs = [_queue(db, a) for a in ids]
    if killed == "worker":
        first = _spasmwatch("worker", data_dir=db.data_dir, database_url=url)
    else:
        port = str(_free_port())
        first = _spasmwatch(
            "serve", "--port", port, "--job-workers", "1", data_dir=db.data_dir, database_url=url
        )
    _wait(lambda: any(_job(db, j).status == "running" for j in jobs))
    running = next(j for j in jobs if _job(db, j).status == "running")
    worker_pid = int(_job(db, running).worker.rpartition(":")[2])
    analysis_pids = _children_of(worker_pid)
    # The server's own processes: its web processes (two on two or more cores) and workers.
    server_pids = _children_of(first.pid) if killed == "server" else []
    os.kill(first.pid, signal.SIGKILL)
    first.wait(30)
    # Nothing is left running on its own: the worker and the web processes (when the
    # server was killed) and the analysis process stop with the process they belong to.
    _wait(lambda: _gone(worker_pid) and all(_gone(p) for p in analysis_pids), 30)
    _wait(lambda: all(_gone(p) for p in server_pids), 30)
    second = _spasmwatch("worker", "--once", data_dir=db.data_dir, database_url=url)
    try:
        assert second.wait(300) == 0
    finally:
        if second.poll() is None:
            second.kill()
    statuses = {j: _job(db, j).status for j in jobs}
    assert set(statuses.values()) == {"done"}, statuses
    assert all(_analysis(db, a)["status"] == "done" for a in ids)
    assert _job(db, running).attempts <= MAX_ATTEMPTS


# Signals and processes, the same on either database: run on SQLite only.
def test_an_idle_worker_stops_at_once_when_told(tmp_path: Path) -> None:
    worker = _spasmwatch("worker", data_dir=tmp_path, database_url=None)
    try:
        time.sleep(8)  # started and waiting for jobs
        assert worker.poll() is None
        for _ in range(500):  # told again and again (a stopping server and the kernel
            worker.send_signal(signal.SIGTERM)  # both tell it; signals may come together)
        assert worker.wait(30) == 0
    finally:
        if worker.poll() is None:
            worker.kill()


@pytest.mark.parametrize(
    ("job_workers", "settle_s"),
    [
        (2, 3.0),  # running: the workers are waiting for jobs
        (1, 0.0),  # starting: told as soon as the worker exists, before the web processes
        # are up (uvicorn had not taken the signals yet, and the server was killed half-way)
    ],
    ids=["running", "starting"],
)
def test_a_server_that_stops_leaves_no_worker_behind(
    tmp_path: Path, job_workers: int, settle_s: float
) -> None:
    """SIGTERM: the server exits 0 and takes its analysis workers with it."""
    server = _spasmwatch(
        "serve", "--port", str(_free_port()), "--job-workers", str(job_workers),
        data_dir=tmp_path, database_url=None,
    )  # fmt: skip
    try:
        _wait(lambda: len(_descendants(server.pid, "worker")) == job_workers, 60)
        workers = _descendants(server.pid, "worker")
        time.sleep(settle_s)
        server.send_signal(signal.SIGTERM)
        assert server.wait(60) == 0
        _wait(lambda: all(_gone(p) for p in workers), 30)
    finally:
        if server.poll() is None:
            server.kill()


def _descendants(pid: int, word: str) -> list[int]:
    """Processes below ``pid`` whose command line has ``word``."""
    found = subprocess.run(["ps", "-eo", "pid,ppid,args"], capture_output=True, text=True)
    rows = [line.split(None, 2) for line in found.stdout.splitlines()[1:]]
    children = {int(p): (int(pp), args) for p, pp, args in rows if p.isdigit()}
    below = {pid}
    for _ in range(3):
        below |= {p for p, (pp, _a) in children.items() if pp in below}
    return [p for p in below - {pid} if word in children[p][1]]


def test_settings_for_the_limits_are_checked() -> None:
    assert JobLimits.from_settings(Settings()).memory_mb == 8192
    env = {"SPASMWATCH_JOB_MEMORY_MB": "2048", "SPASMWATCH_JOB_TIME_LIMIT_S": "60"}
    limits = JobLimits.from_settings(Settings.from_env(env))
    assert limits == JobLimits(memory_mb=2048, time_s=60.0)
    with pytest.raises(Exception, match="SPASMWATCH_JOB_MEMORY_MB"):
        Settings.from_env({"SPASMWATCH_JOB_MEMORY_MB": "lots"})
