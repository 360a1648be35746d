"""The queries of the analysis job queue (the worker is :mod:`spasmwatch.jobs`).

A job is taken by one worker only: on PostgreSQL the claim locks the row it takes and
skips rows other workers hold (``FOR UPDATE SKIP LOCKED``); on SQLite every writing
transaction holds the database's write lock from its start (``store.db``), so two claims
never interleave.

A job's times (``created_at``, ``started_at``, ``heartbeat_at``, ``finished_at``) are in
UTC (:func:`utc_now`), unlike the diary's wall-clock times: they are written by the web
process, the worker and whichever process takes a job back, on machines that may be in
other time zones, and one process compares another's heartbeat with its own clock.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from spasmwatch.store.attachments import keeping_earlier
from spasmwatch.store.models import Attachment, Job

__all__ = [
    "ACTIVE",
    "active_job",
    "claim",
    "enqueue",
    "finish",
    "get_job",
    "heartbeat",
    "jobs_for",
    "requeue",
    "running_jobs",
    "stale_time",
    "utc_now",
]

#: Job states in which the attachment is still being analysed.
ACTIVE = ("queued", "running")


def utc_now() -> datetime:
    """The current time in UTC, naive, to the second: what the job table stores. Local
    time would make a worker in another time zone (or a clock changed for daylight saving
    time) look as if it had stopped writing its heartbeat, or never to stop."""
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _iso(when: datetime) -> str:
    """A job time as the attachment's analysis marker shows it: ISO 8601, saying UTC."""
    return when.replace(tzinfo=UTC).isoformat()


def get_job(s: Session, job_id: int) -> Job | None:
    """The job with this id."""
    return s.get(Job, job_id)


def active_job(s: Session, attachment_id: int) -> Job | None:
    """The attachment's queued or running job, if any."""
    return s.scalar(
        select(Job)
        .where(Job.attachment_id == attachment_id, Job.status.in_(ACTIVE))
        .order_by(Job.id.desc())
        .limit(1)
    )


def jobs_for(s: Session, attachment_id: int) -> list[Job]:
    """Every job of the attachment, newest first."""
    return list(
        s.scalars(select(Job).where(Job.attachment_id == attachment_id).order_by(Job.id.desc()))
    )


def _mark_attachment(s: Session, job: Job, status: str, **extra: Any) -> None:
    row = s.get(Attachment, job.attachment_id)
    if row is not None:
        marker = {"status": status, "sensitivity": job.sensitivity, "job_id": job.id, **extra}
        row.analysis = keeping_earlier(row.analysis, marker)


def enqueue(s: Session, attachment_id: int, sensitivity: str, requested_by: int | None) -> Job:
    """Queue an analysis of the attachment (the caller checks that none is active); the
    attachment shows it as waiting."""
    job = Job(
        attachment_id=attachment_id,
        sensitivity=sensitivity,
        status="queued",
        attempts=0,
        requested_by=requested_by,
        created_at=utc_now(),
        worker="",
        progress=0.0,
        error="",
    )
    s.add(job)
    s.flush()
    _mark_attachment(s, job, "queued", queued_at=_iso(job.created_at))
    return job


def claim(s: Session, worker: str) -> Job | None:
    """Take the oldest queued job for ``worker`` (``host:pid``): it becomes ``running``."""
    job = s.scalar(
        select(Job)
        .where(Job.status == "queued")
        .order_by(Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if job is None:
        return None
    now = utc_now()
    job.status, job.worker, job.progress = "running", worker, 0.0
    job.attempts += 1
    job.started_at = job.heartbeat_at = now
    _mark_attachment(s, job, "running", started_at=_iso(now), worker=worker)
    s.flush()
    return job


def heartbeat(s: Session, job_id: int, worker: str, progress: float | None = None) -> bool:
    """Record that ``worker`` still runs the job (and how far it is); False when the job is
    no longer this worker's (taken back by a recovery)."""
    values: dict[str, Any] = {"heartbeat_at": utc_now()}
    if progress is not None:
        values["progress"] = max(0.0, min(1.0, float(progress)))
    done = s.execute(
        update(Job)
        .where(Job.id == job_id, Job.worker == worker, Job.status == "running")
        .values(**values)
    )
    return bool(done.rowcount)  # type: ignore[attr-defined]


def finish(s: Session, job: Job, status: str, error: str = "") -> None:
    """Record the end of a job (``done`` or ``failed``); the outcome itself is the
    attachment's analysis, written by the analysis."""
    job.status, job.error, job.finished_at = status, error[:2000], utc_now()
    if status == "done":
        job.progress = 1.0
    s.flush()


def requeue(s: Session, job: Job) -> None:
    """Put a job whose worker stopped back in the queue."""
    job.status, job.worker, job.progress, job.heartbeat_at = "queued", "", 0.0, None
    _mark_attachment(s, job, "queued", queued_at=_iso(utc_now()), retry=job.attempts)
    s.flush()


def running_jobs(s: Session, stale_before: datetime | None = None) -> list[Job]:
    """The running jobs (only those without a heartbeat since ``stale_before`` if given)."""
    query = select(Job).where(Job.status == "running")
    if stale_before is not None:
        query = query.where((Job.heartbeat_at.is_(None)) | (Job.heartbeat_at < stale_before))
    return list(s.scalars(query.order_by(Job.id)))


def stale_time(seconds: float) -> datetime:
    """The time ``seconds`` ago, in UTC (for :func:`running_jobs`)."""
    return utc_now() - timedelta(seconds=seconds)
