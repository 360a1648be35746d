"""The audit of reads (who saw a diary, who downloaded a file), kept off the request path.

A page view must not wait for the database's write lock. Reads are recorded into a buffer
that a background thread writes in one transaction every :data:`FLUSH_EVERY_S` seconds
(and at shutdown); changes are audited inside their own transaction as before. Without a
running flusher (an app used without its lifespan, e.g. in tests) each entry is written
at once.

A stored file is audited by how it is read (:class:`FileRead`): downloaded (``download``), or
shown in the page by its player (``view_recording``), once per page view however many pieces
the player asks for.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from spasmwatch.store import Database, repo
from spasmwatch.store.models import Child, ShareLink, User

__all__ = ["DOWNLOAD", "FLUSH_EVERY_S", "PAGE_VIEWS_KEPT", "FileRead", "ReadAudit"]

log = logging.getLogger("spasmwatch")

#: How long a read waits, at most, to be written to the audit log.
FLUSH_EVERY_S = 1.0
#: Page views whose players were audited, remembered by each process (the oldest are
#: forgotten first; one forgotten is found in the audit log itself when it is written).
PAGE_VIEWS_KEPT = 10_000


@dataclass(frozen=True)
class FileRead:
    """How a stored file (a recording, an event clip) is asked for, which says how it is
    audited.

    Attributes
    ----------
    inline
        Shown in the page (a ``<video>`` player, a clip opened in the browser) rather than
        saved: audited as viewed (``view_recording``), not as a download.
    from_start
        Asked for from its start: the whole file, or the first piece of it (HTTP Range
        ``bytes=0-``). A download is audited on its first piece only.
    page_view
        The page view whose player asks (a random id the page puts in the player's
        address): its player is audited once, whichever pieces it asks for and in which
        order. Without one, a file shown in the page is audited on its first piece.
    """

    inline: bool = False
    from_start: bool = True
    page_view: str | None = None


#: A whole file saved (a download link, the API).
DOWNLOAD = FileRead()


@dataclass
class _Entry:
    action: str
    at: datetime
    child_id: int | None
    user_id: int | None
    share_link_id: int | None
    detail: str
    #: Written only when the log holds no entry of this action, child and detail yet.
    once: bool = False


@dataclass
class ReadAudit:
    """The buffer of audited reads of one process."""

    database: Database
    _pending: list[_Entry] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _seen: OrderedDict[tuple[object, ...], None] = field(default_factory=OrderedDict)

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
        self._add(_Entry(action, repo.now(), child_id, user_id, share_link_id, detail))

    def record_file(
        self,
        read: FileRead,
        what: str,
        *,
        child_id: int,
        user_id: int | None = None,
        share_link_id: int | None = None,
    ) -> None:
        """Audit a read of a child's stored file (``what``: the attachment id, and the
        clip's number for a clip) as :class:`FileRead` says: a download, or a view in the
        page (at most once per page view)."""
        shared = share_link_id is not None
        if read.inline:
            action = "view_recording_shared" if shared else "view_recording"
        else:
            action = "download_shared" if shared else "download"
        if not read.inline or read.page_view is None:
            # a download, or a player of no known page view: its first piece stands for it
            if read.from_start:
                self.record(
                    action,
                    child_id=child_id,
                    user_id=user_id,
                    share_link_id=share_link_id,
                    detail=what,
                )
            return
        detail = f"{what} page {read.page_view}"
        key = (action, child_id, user_id, share_link_id, detail)
        with self._lock:
            if key in self._seen:
                return
            self._seen[key] = None
            while len(self._seen) > PAGE_VIEWS_KEPT:
                self._seen.popitem(last=False)
        entry = _Entry(action, repo.now(), child_id, user_id, share_link_id, detail, once=True)
        self._add(entry)

    def _add(self, entry: _Entry) -> None:
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
                # A page view's player asked for pieces of its file from two processes:
                # the first entry written stands for it.
                entries = _not_yet_audited(s, entries)
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


def _not_yet_audited(s: Session, entries: list[_Entry]) -> list[_Entry]:
    """``entries`` less those written once (:attr:`_Entry.once`) whose action, child and
    detail the log already holds (or that come twice in ``entries``)."""
    wanted: dict[tuple[str, int], set[str]] = {}
    for e in entries:
        if e.once and e.child_id is not None:
            wanted.setdefault((e.action, e.child_id), set()).add(e.detail)
    if not wanted:
        return entries
    written = {
        (action, child_id): repo.audited_details(s, action, child_id, details)
        for (action, child_id), details in wanted.items()
    }
    kept = []
    for e in entries:
        if e.once and e.child_id is not None:
            done = written[e.action, e.child_id]
            if e.detail in done:
                continue
            done.add(e.detail)
        kept.append(e)
    return kept
