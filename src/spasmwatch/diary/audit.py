"""The audit of reads (who saw a diary, who downloaded a file), kept off the request path.

A page view must not wait for the database's write lock. Reads are recorded into a buffer
that a background thread writes in one transaction every :data:`FLUSH_EVERY_S` seconds
(and at shutdown); changes are audited inside their own transaction as before. Without a
running flusher (an app used without its lifespan, e.g. in tests) each entry is written
at once.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from spasmwatch.store import Database, repo
from spasmwatch.store.models import Child, ShareLink, User

__all__ = ["FLUSH_EVERY_S", "ReadAudit"]

log = logging.getLogger("spasmwatch")

#: How long a read waits, at most, to be written to the audit log.
FLUSH_EVERY_S = 1.0


@dataclass
class _Entry:
    action: str
    at: datetime
    child_id: int | None
    user_id: int | None
    share_link_id: int | None
    detail: str


@dataclass
class ReadAudit:
    """The buffer of audited reads of one process."""

    database: Database
    _pending: list[_Entry] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def record(
        self,
        action: str,
        *,
        child_id: int | None = None,
        user_id: int | None = None,
        share_link_id: int | None = None,
        detail: str = "",
    ) -> None:
        """Audit a read (written within :data:`FLUSH_EVERY_S`)."""
        entry = _Entry(action, repo.now(), child_id, user_id, share_link_id, detail)
        with self._lock:
            self._pending.append(entry)
        if self._thread is None:
            self.flush()

    def flush(self) -> int:
        """Write what is pending in one transaction; returns how many entries."""
        with self._lock:
            entries, self._pending = self._pending, []
        if not entries:
            return 0
        try:
            with self.database.transaction() as s:
                # A child, link or account may have been deleted since the read: its
                # entries stay, anonymised as a deletion leaves them.
                children = repo.existing_ids(s, Child, (e.child_id for e in entries))
                links = repo.existing_ids(s, ShareLink, (e.share_link_id for e in entries))
                users = repo.existing_ids(s, User, (e.user_id for e in entries))
                for e in entries:
                    if e.child_id is not None and e.child_id not in children:
                        e.child_id, e.share_link_id, e.detail = None, None, ""
                    if e.share_link_id not in links:
                        e.share_link_id = None
                    if e.user_id not in users:
                        e.user_id = None
                    repo.audit(
                        s,
                        e.action,
                        child_id=e.child_id,
                        user_id=e.user_id,
                        share_link_id=e.share_link_id,
                        detail=e.detail,
                        at=e.at,
                    )
        except SQLAlchemyError as exc:  # a read is never refused for its audit entry
            log.error("could not write %d audit entries: %s", len(entries), exc)
            return 0
        return len(entries)

    def start(self) -> None:
        """Write pending entries every :data:`FLUSH_EVERY_S` seconds from a thread."""
        if self._thread is not None:
            return
        self._stop.clear()

        def loop() -> None:
            while not self._stop.wait(FLUSH_EVERY_S):
                self.flush()

        self._thread = threading.Thread(target=loop, name="spasmwatch-audit", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the thread and write what is left."""
        if self._thread is not None:
            self._stop.set()
            self._thread.join(timeout=5)
            self._thread = None
        self.flush()
