"""The queries of attachments (a child's video and EEG files: their rows, not the files,
which are :mod:`spasmwatch.store.files`'s) and of the analysis recorded on each.

Part of the repository (:mod:`spasmwatch.store.repo`, which names them together); kept apart
by subject. :func:`keeping_earlier` is the one rule for what an analysis record becomes,
which the job queue (:mod:`spasmwatch.store.jobqueue`) follows as well.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from spasmwatch.store.clock import now
from spasmwatch.store.models import Attachment

__all__ = [
    "add_attachment",
    "attachments_for",
    "delete_attachment",
    "get_attachment",
    "keeping_earlier",
    "running_analyses",
    "set_attachment_analysis",
]


def add_attachment(s: Session, **fields: Any) -> Attachment:
    """Record an attachment already written to disk."""
    row = Attachment(uploaded_at=now(), **fields)
    s.add(row)
    s.flush()
    return row


def set_attachment_analysis(s: Session, attachment_id: int, analysis: dict[str, Any]) -> None:
    """Record the state or the outcome of an attachment's analysis (an earlier finished
    analysis is kept through a new one, see :func:`keeping_earlier`)."""
    row = s.get(Attachment, attachment_id)
    if row is not None:
        row.analysis = keeping_earlier(row.analysis, analysis)
        s.flush()


def keeping_earlier(current: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """What to record when an analysis becomes ``new``: while another analysis of the file
    waits or runs, the finished one before it rides along (``previous``); when that one
    fails, the finished one stays the file's analysis, with the failure beside it
    (``last_failure``: error, sensitivity, when). Its outputs are in their own folder (one
    per sensitivity), so they are still there. A new finished analysis replaces both."""
    current = current or {}
    earlier = current if current.get("status") == "done" else current.get("previous")
    if not isinstance(earlier, dict) or new.get("status") == "done":
        return new
    earlier = {k: v for k, v in earlier.items() if k not in ("previous", "last_failure")}
    if new.get("status") == "failed":
        failure = {k: new[k] for k in ("error", "sensitivity", "analysed_at") if k in new}
        return {**earlier, "last_failure": failure}
    return {**new, "previous": earlier}


def running_analyses(
    s: Session, statuses: tuple[str, ...] = ("running",)
) -> list[tuple[int, dict[str, Any]]]:
    """``(attachment id, analysis)`` of every analysis recorded with one of ``statuses``
    (matched in the database, so finished results are not loaded)."""
    status = Attachment.analysis["status"].as_string()
    rows = s.execute(select(Attachment.id, Attachment.analysis).where(status.in_(statuses)))
    return [(i, a) for i, a in rows]


def get_attachment(s: Session, attachment_id: int) -> Attachment | None:
    """The attachment with this id."""
    return s.get(Attachment, attachment_id)


def delete_attachment(s: Session, row: Attachment) -> str:
    """Delete an attachment (its analysis jobs go with it); returns its content hash (for
    :meth:`~spasmwatch.store.Database.remove_unreferenced` once committed)."""
    s.delete(row)
    s.flush()
    return row.sha256


_ATTACHMENTS = (
    select(Attachment)
    .where(Attachment.child_id == bindparam("child_id"))
    .order_by(Attachment.id.desc())
)


def attachments_for(s: Session, child_id: int) -> list[Attachment]:
    """The child's attachments, newest first."""
    return list(s.scalars(_ATTACHMENTS, {"child_id": child_id}))
