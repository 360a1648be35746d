"""Analysis jobs: queued in the database, taken once, run in a child process with limits,
and never left "running" when a worker or the server is killed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.attachments import UNFINISHED
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
from spasmwatch.store.files import store_stream, stored_path

EEG_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "eeg"
CLIP = EEG_DIR / "helsinki" / "clips" / "eeg1.edf"
HYPNOGRAM = EEG_DIR / "edf_plus" / "SC4001EC-Hypnogram.edf"  # annotations only


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
            job.heartbeat_at = jobqueue.utc_now()
        # a worker on another machine that stopped writing its heartbeat a while ago
        stale = jobqueue.get_job(s, jobs[3])
        assert stale is not None
        stale.heartbeat_at = jobqueue.utc_now() - timedelta(minutes=5)
        stale.attempts = MAX_ATTEMPTS
    assert recover(db) == 2
    assert [_job(db, j).status for j in jobs] == ["queued", "running", "running", "failed"]
    assert _analysis(db, ids[0])["status"] == "queued" and _analysis(db, ids[0])["retry"] == 1
    assert _analysis(db, ids[3])["error"] == STOPPED
    assert recover(db) == 0


def test_a_file_with_no_eeg_channel_fails_its_job_with_the_readers_message(
    db: Database,
) -> None:
    # The analysis runs in the worker's child process; the job ends, never left running.
    (a,) = _attach(db, HYPNOGRAM)
    job = _queue(db, a)
    assert run_one(db) and not run_one(db)
    failed, ended = _analysis(db, a), _job(db, job)
    assert failed["status"] == "failed" and ended.status == "failed"
    assert ended.error == failed["error"]
    assert f"{HYPNOGRAM.name}: has zero signal channels (it holds only annotations)" in ended.error
    assert str(db.attachments_dir) not in ended.error  # the family's file name, not the store's


def test_an_analysis_naming_another_files_job_is_failed_by_recovery(db: Database) -> None:
    # e.g. restored from a backup taken while it waited: the id it names is not its job
    a, b = _attach(db, n=2)
    job = _queue(db, a)
    with db.transaction() as s:
        marker = {"status": "queued", "sensitivity": "normal", "job_id": job}
        repo.set_attachment_analysis(s, b, marker)
    recover(db)
    assert _analysis(db, b)["status"] == "failed" and _analysis(db, b)["error"] == UNFINISHED
    assert _analysis(db, a)["status"] == "queued" and _job(db, job).status == "queued"


@contextmanager
def _time_zone(name: str) -> Iterator[None]:
    """This process's local time in the zone ``name``, as if on a machine set to it."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_job_times_are_utc_whatever_the_time_zone_of_each_process(db: Database) -> None:
    # The web app queues in New York, a worker in Tokyo runs the job, a recovery in
    # Los Angeles looks at it: one clock for all, so a fresh heartbeat is never stale.
    (a,) = _attach(db)
    before = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    with _time_zone("America/New_York"):
        job = _queue(db, a)
    with _time_zone("Asia/Tokyo"), db.transaction() as s:
        assert jobqueue.claim(s, "elsewhere:1") is not None
    with _time_zone("America/Los_Angeles"):
        assert recover(db) == 0
    assert _job(db, job).status == "running" and _job(db, job).worker == "elsewhere:1"
    with _time_zone("Europe/Madrid"), db.transaction() as s:
        running = jobqueue.get_job(s, job)
        assert running is not None
        jobqueue.finish(s, running, "failed", "stopped")
    after = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    ended = _job(db, job)
    times = [ended.created_at, ended.started_at, ended.heartbeat_at, ended.finished_at]
    assert all(before <= t <= after for t in times), times
    assert ended.created_at <= ended.started_at <= ended.finished_at
    # the attachment's marker says its times are UTC
    marker = _analysis(db, a)
    assert datetime.fromisoformat(marker["started_at"]).utcoffset() == timedelta(0)


def test_a_run_again_that_fails_is_recorded_failed_across_time_zones(db: Database) -> None:
    # The first analysis was written on a machine in Tokyo, the run again that fails on
    # one in New York (its local time half a day earlier): the job still says it failed.
    (a,) = _attach(db)
    with _time_zone("Asia/Tokyo"):
        _queue(db, a)
        assert run_pending(db) == 1
    assert _analysis(db, a)["status"] == "done"
    with db.reading() as s:
        row = repo.get_attachment(s, a)
        assert row is not None
        stored = stored_path(db.attachments_dir, row.sha256)
    stored.unlink()  # the file is gone from the store: this run fails
    with _time_zone("America/New_York"):
        again = _queue(db, a, "high")
        assert run_pending(db) == 1
    kept = _analysis(db, a)
    assert kept["status"] == "done" and "no such file" in kept["last_failure"]["error"]
    ended = _job(db, again)
    assert ended.status == "failed" and ended.error == kept["last_failure"]["error"]


def test_the_worker_uses_the_data_directory_it_is_given(tmp_path: Path) -> None:
    # --data-dir over SPASMWATCH_DATA_DIR, as for every other command
    clinic = Database(Settings(data_dir=tmp_path / "clinic"))
    clinic.migrate()
    (a,) = _attach(clinic)
    job = _queue(clinic, a)
    clinic.dispose()
    elsewhere = tmp_path / "elsewhere"
    env = {**os.environ, "SPASMWATCH_DATA_DIR": str(elsewhere)}
    env.pop("SPASMWATCH_DATABASE_URL", None)
    args = [sys.executable, "-m", "spasmwatch", "worker", "--once"]
    ran = subprocess.run(
        [*args, "--data-dir", str(tmp_path / "clinic")],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "Ran 1 analysis job." in ran.stdout
    assert _job(clinic, job).status == "done" and not elsewhere.exists()
    # and the environment's when no option is given
    again = _queue(clinic, a, "low")
    env["SPASMWATCH_DATA_DIR"] = str(tmp_path / "clinic")
    ran = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0 and "Ran 1 analysis job." in ran.stdout, ran.stderr
    assert _job(clinic, again).status == "done"


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
