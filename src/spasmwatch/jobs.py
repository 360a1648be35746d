"""Analysis jobs: queued in the database, run by a worker process, never inside a web request.

A web request that wants a video or EEG file analysed queues a job
(:func:`request_analysis`) and answers at once; the page shows "waiting", then the share
done, then the outcome. A worker (:func:`run_worker`: ``spasmwatch worker``, or the one
``spasmwatch serve`` starts) takes one job at a time and runs the analysis in a child
process with a memory limit (address space) and a time limit, so that a long or broken
file can neither take the web server down nor leave a record "running" for good:

- the child process dies with its worker (``PR_SET_PDEATHSIG``), and a worker that stops
  is noticed (its process is gone on this machine, or it stopped writing its heartbeat);
  its job goes back to the queue once and is failed, with the reason, after that;
- a child that runs out of memory or time, or crashes, fails its job with a message that
  says so; the "Analyse again" button and ``POST .../analysis`` queue it again.

Several workers, on this machine or others sharing the database and the data directory,
never take the same job (:mod:`spasmwatch.store.jobqueue`).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from spasmwatch.attachments import analyse_attachment, fail_interrupted, failed
from spasmwatch.config import Settings
from spasmwatch.errors import Conflict
from spasmwatch.processes import process_alive
from spasmwatch.sensitivity import check_sensitivity
from spasmwatch.store import Database, jobqueue, repo
from spasmwatch.store.models import Job

__all__ = [
    "HEARTBEAT_S",
    "MAX_ATTEMPTS",
    "JobLimits",
    "WorkerProcesses",
    "recover",
    "request_analysis",
    "run_one",
    "run_pending",
    "run_worker",
    "worker_name",
]

log = logging.getLogger("spasmwatch")

#: A job whose worker stopped this many times is failed instead of queued again: the
#: file itself may be what stops workers (e.g. the system killing it for memory).
MAX_ATTEMPTS = 2
#: How often a worker writes that it still runs its job (and the child its progress).
HEARTBEAT_S = 2.0
#: A running job with no heartbeat for this long has lost its worker ([design]: 30 times
#: the heartbeat, long enough for a SQLite write lock held by a big import).
STALE_AFTER_S = 60.0
#: How often an idle worker looks for jobs, and for jobs other workers abandoned.
POLL_S = 1.0
RECOVER_EVERY_S = 30.0


@dataclass(frozen=True)
class JobLimits:
    """What one analysis may use: address space in MB (0: no limit) and wall time in s."""

    memory_mb: int = 8192
    time_s: float = 3600.0

    @classmethod
    def from_settings(cls, settings: Settings) -> JobLimits:
        return cls(memory_mb=settings.job_memory_mb, time_s=settings.job_time_limit_s)


def worker_name() -> str:
    """``host:pid`` of this process: how jobs name the worker that runs them."""
    return f"{socket.gethostname()}:{os.getpid()}"


def request_analysis(
    s: Any, attachment_id: int, sensitivity: object = "normal", requested_by: int | None = None
) -> Job:
    """Queue an analysis of a stored attachment at ``sensitivity`` (in the caller's
    transaction). :class:`~spasmwatch.errors.Conflict` when it is being analysed already."""
    sensitivity = check_sensitivity(sensitivity)
    if jobqueue.active_job(s, attachment_id) is not None:
        raise Conflict("This file is being analysed already")
    return jobqueue.enqueue(s, attachment_id, sensitivity, requested_by)


def _worker_gone(job: Job, stale_before: datetime) -> bool:
    host, _, pid = job.worker.rpartition(":")
    if job.heartbeat_at is None or job.heartbeat_at < stale_before:
        return True
    if host == socket.gethostname() and pid.isdigit():
        return int(pid) != os.getpid() and not process_alive(int(pid))
    return False


def _fail(s: Any, job: Job, reason: str) -> None:
    repo.set_attachment_analysis(s, job.attachment_id, failed(reason, job.sensitivity))
    jobqueue.finish(s, job, "failed", reason)


STOPPED = (
    "the analysis stopped twice when the process running it stopped (the file may need "
    "more memory than this machine has); analyse it again or ask for help"
)


def recover(database: Database) -> int:
    """Take back the jobs of workers that stopped (a server or worker killed, a machine
    gone): queued again, or failed after :data:`MAX_ATTEMPTS`. Also fails analyses an
    older version left "running" without a job. Returns how many jobs were taken back."""
    stale_before = jobqueue.stale_time(STALE_AFTER_S)
    taken = 0
    with database.transaction() as s:
        for job in jobqueue.running_jobs(s):
            if not _worker_gone(job, stale_before):
                continue
            taken += 1
            if job.attempts >= MAX_ATTEMPTS:
                log.warning("job %s failed: its worker stopped %d times", job.id, job.attempts)
                _fail(s, job, STOPPED)
            else:
                log.warning("job %s queued again: its worker %s stopped", job.id, job.worker)
                jobqueue.requeue(s, job)
    fail_interrupted(database)
    return taken


# ------------------------------------------------------------------- the child process
def _die_with_parent(parent: int) -> None:
    """Have the kernel stop this process when its worker stops (Linux); elsewhere, and if
    the worker is gone already, stop now."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)


def _limit_memory(memory_mb: int) -> None:
    if memory_mb <= 0:
        return
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        log.warning("could not limit the analysis to %d MB", memory_mb)


def _analyse(
    settings: Settings, job: tuple[int, int, str], worker: str, parent: int, memory_mb: int
) -> None:
    """The child process: analyse one attachment and record the outcome."""
    if parent:
        _die_with_parent(parent)
        _limit_memory(memory_mb)
    try:
        _analyse_here(settings, job, worker)
    except MemoryError:
        if not parent:
            raise
        os._exit(MEMORY_EXIT)


def _analyse_here(settings: Settings, job: tuple[int, int, str], worker: str) -> None:
    job_id, attachment_id, sensitivity = job
    database = Database(settings, tidy=False)
    last = [0.0]

    def progress(done: float, total: float) -> None:
        now = time.monotonic()
        if now - last[0] < HEARTBEAT_S or total <= 0:
            return
        last[0] = now
        with database.transaction() as s:
            jobqueue.heartbeat(s, job_id, worker, done / total)

    try:
        analyse_attachment(database, attachment_id, progress=progress, sensitivity=sensitivity)
    finally:
        database.dispose()


#: The exit status of an analysis process that ran out of memory.
MEMORY_EXIT = 3


def _exit_reason(exitcode: int | None, limits: JobLimits) -> str:
    limit = (
        f"the limit is {limits.memory_mb} MB (SPASMWATCH_JOB_MEMORY_MB)"
        if limits.memory_mb > 0
        else "no limit is set (SPASMWATCH_JOB_MEMORY_MB)"
    )
    if exitcode == MEMORY_EXIT:
        return f"the analysis needed more memory than it may use; {limit}"
    if exitcode is not None and exitcode < 0:
        number = -exitcode
        name = signal.Signals(number).name if number in signal.valid_signals() else str(number)
        if number in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT):
            # asked to stop: by a person, a service manager or the machine shutting down
            return f"the analysis was stopped ({name}) before it finished; analyse it again"
        if number in (signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGABRT):
            return (
                f"the analysis crashed in a library ({name}); the file may be damaged, or "
                "ask for help"
            )
        return (
            f"the analysis was stopped by the system ({name}), most likely for lack of "
            f"memory; {limit}"
        )
    return (
        f"the analysis stopped unexpectedly (exit code {exitcode}); a libraries' failure to "
        f"get memory ends it so too: {limit}"
    )


def _finish_from_outcome(
    database: Database, job_id: int, exitcode: int | None, limits: JobLimits
) -> str:
    with database.transaction() as s:
        job = jobqueue.get_job(s, job_id)
        if job is None or job.status != "running":
            return "gone"
        row = repo.get_attachment(s, job.attachment_id)
        analysis = (row.analysis if row is not None else None) or {}
        status, error = analysis.get("status"), analysis.get("error", "")
        failure = analysis.get("last_failure")
        # The claim dropped any earlier failure from the record, and a finished run drops
        # it too: a failure there now is this run's, the earlier finished analysis staying
        # the file's. (Not told by the times: the run and the earlier one may have been
        # written by processes whose clocks are in different time zones.)
        if isinstance(failure, dict):
            status, error = "failed", failure.get("error", "")
        if status in ("done", "failed") and "job_id" not in analysis:
            jobqueue.finish(s, job, status, str(error))
            return str(status)
        _fail(s, job, _exit_reason(exitcode, limits))
        return "failed"


def run_one(
    database: Database,
    limits: JobLimits | None = None,
    stop: threading.Event | None = None,
    *,
    in_process: bool = False,
) -> bool:
    """Take the oldest queued job and run it to its end; False when none is queued.

    The analysis runs in a child process under ``limits`` (``in_process``: in this
    process, without limits, e.g. for tests). ``stop`` set while it runs: the child is
    stopped and the job queued again.
    """
    limits = limits or JobLimits.from_settings(database.settings)
    worker = worker_name()
    with database.transaction() as s:
        job = jobqueue.claim(s, worker)
        if job is None:
            return False
        spec = (job.id, job.attachment_id, job.sensitivity)
        row = repo.get_attachment(s, job.attachment_id)
        kind = row.kind if row is not None else "file"
    started = time.monotonic()
    log.info("job %s (%s, attachment %s): analysing, sensitivity %s", spec[0], kind, *spec[1:])
    if in_process:
        try:
            _analyse(database.settings, spec, worker, 0, 0)
        finally:
            _finish_from_outcome(database, spec[0], 1, limits)
        return True
    context = multiprocessing.get_context("spawn")
    child = context.Process(
        target=_analyse,
        args=(database.settings, spec, worker, os.getpid(), limits.memory_mb),
        name=f"spasmwatch-job-{spec[0]}",
    )
    child.start()
    deadline = time.monotonic() + limits.time_s
    outcome = ""
    while True:
        # a heartbeat every HEARTBEAT_S, and a look at the time limit when it is reached
        # (a limit shorter than a heartbeat is not left until the child has finished)
        child.join(min(HEARTBEAT_S, max(0.0, deadline - time.monotonic())))
        if child.exitcode is not None:
            break
        with database.transaction() as s:
            mine = jobqueue.heartbeat(s, spec[0], worker)
        if not mine:
            outcome = "taken back"
        elif stop is not None and stop.is_set():
            outcome = "stopped"
        elif time.monotonic() > deadline:
            outcome = "too long"
        if outcome:
            child.kill()
            child.join()
            break
    if outcome == "stopped":
        with database.transaction() as s:
            job = jobqueue.get_job(s, spec[0])
            if job is not None and job.status == "running":
                job.attempts -= 1  # not the file's fault
                jobqueue.requeue(s, job)
    elif outcome == "too long":
        with database.transaction() as s:
            job = jobqueue.get_job(s, spec[0])
            if job is not None and job.status == "running":
                minutes = limits.time_s / 60
                _fail(
                    s,
                    job,
                    f"the analysis took longer than the limit of {minutes:.0f} minutes "
                    "(SPASMWATCH_JOB_TIME_LIMIT_S)",
                )
    elif not outcome:
        outcome = _finish_from_outcome(database, spec[0], child.exitcode, limits)
    took = time.monotonic() - started
    log.info("job %s (%s, attachment %s): %s after %.0f s", spec[0], kind, spec[1], outcome, took)
    return True


def run_pending(database: Database) -> int:
    """Run every queued job in this process, one after the other (the web app's
    ``inline_jobs`` mode for tests and single-process use); returns how many ran."""
    ran = 0
    while run_one(database, in_process=True):
        ran += 1
    return ran


def run_worker(
    settings: Settings,
    stop: threading.Event | None = None,
    *,
    once: bool = False,
    limits: JobLimits | None = None,
) -> int:
    """Run jobs until ``stop`` is set (``once``: until the queue is empty); returns how
    many ran. Jobs abandoned by stopped workers are taken back at the start and every
    :data:`RECOVER_EVERY_S` seconds."""
    stop = stop or threading.Event()
    database = Database(settings, tidy=False)
    database.migrate()
    limits = limits or JobLimits.from_settings(settings)
    ran = 0
    try:
        recover(database)
        last_recovery = time.monotonic()
        while not stop.is_set():
            if run_one(database, limits, stop):
                ran += 1
                continue
            if once:
                break
            if time.monotonic() - last_recovery > RECOVER_EVERY_S:
                recover(database)
                last_recovery = time.monotonic()
            stop.wait(POLL_S)
    finally:
        database.dispose()
    return ran


def _die_with_server() -> None:  # pragma: no cover - runs in the child before exec
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class WorkerProcesses:
    """``count`` ``spasmwatch worker`` processes kept running beside a server: one that
    exits is started again (after :data:`RESTART_AFTER_S`), and all stop with the server
    (they are told to when it stops, and the kernel tells them if it is killed)."""

    RESTART_AFTER_S = 2.0

    def __init__(self, count: int, env: dict[str, str]) -> None:
        self.count, self.env = count, env
        self.processes: list[Any] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _start_one(self) -> Any:
        import subprocess
        import sys

        return subprocess.Popen(
            [sys.executable, "-m", "spasmwatch", "worker"],
            env=self.env,
            preexec_fn=_die_with_server,
        )

    def start(self) -> None:
        """Start the workers and the thread that watches them."""
        if self.count <= 0:
            return
        self.processes = [self._start_one() for _ in range(self.count)]

        def watch() -> None:
            while not self._stop.wait(self.RESTART_AFTER_S):
                for i, process in enumerate(self.processes):
                    if process.poll() is not None and not self._stop.is_set():
                        log.warning(
                            "analysis worker %s stopped (%s); starting another",
                            process.pid,
                            process.returncode,
                        )
                        self.processes[i] = self._start_one()

        self._thread = threading.Thread(target=watch, name="spasmwatch-workers", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop the workers (a running analysis goes back to the queue)."""
        self._stop.set()
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + timeout_s
        for process in self.processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except Exception:
                process.kill()
