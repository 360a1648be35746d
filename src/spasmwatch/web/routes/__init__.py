"""One module per page or resource; shared request helpers here."""

from __future__ import annotations

from fastapi import BackgroundTasks, Request

from spasmwatch.diary.audit import ReadAudit
from spasmwatch.jobs import run_pending
from spasmwatch.store import Database, repo
from spasmwatch.web.auth import Principal, needs_touch, principal_of
from spasmwatch.web.threads import run_slow

__all__ = ["ANSWER_ANCHOR", "answer_url", "database", "jobs_queued", "principal", "read_audit"]

#: Where the child's page opens after a change to its diary (an episode saved, a check
#: kept): at its heading, the child's name, with the new answer under it. Opened at the
#: answer's box (``#triage``), the page scrolled the name out of view, and a family with
#: two children read an answer without whose it is. [design]
ANSWER_ANCHOR = "child-name"


def answer_url(child_id: int) -> str:
    """The child's page, opened at the child's name above the answer
    (:data:`ANSWER_ANCHOR`)."""
    return f"/children/{child_id}#{ANSWER_ANCHOR}"


def database(request: Request) -> Database:
    """The app's database."""
    return request.app.state.db


def read_audit(request: Request) -> ReadAudit:
    """Where the app records audited reads (written after the answer)."""
    return request.app.state.read_audit


def jobs_queued(request: Request, background: BackgroundTasks) -> None:
    """Analyses were queued: a worker takes them; an app with ``inline_jobs`` runs them
    itself after the answer."""
    if request.app.state.inline_jobs:
        # on the slow handlers' threads: an analysis takes seconds to minutes
        background.add_task(run_slow, request, run_pending, database(request))


def principal(request: Request) -> Principal:
    """Who is asking (FastAPI dependency); a session's last use is written down every few
    minutes (see :data:`~spasmwatch.web.auth.SESSION_IDLE`)."""
    who = principal_of(request)  # read once per request (the body limit asks too)
    if who.session is not None and needs_touch(who.session):
        with database(request).transaction() as s:
            repo.touch_session(s, who.session.token_hash, repo.now())
    return who
