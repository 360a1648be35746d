"""Where throttles count their events: in memory (one process) or in the database (every
web process shares the count).

A key (an email, an address) is stored as its SHA-256 only. Events older than the longest
window a throttle asks about are removed as new ones come in.
"""

from __future__ import annotations

import hashlib
import threading
from collections import deque
from typing import Protocol

from sqlalchemy import delete, func, select

from spasmwatch.store.db import Database
from spasmwatch.store.models import ThrottleEvent

__all__ = ["DatabaseEvents", "Events", "MemoryEvents"]

#: Keys a memory store remembers at most; the oldest are forgotten beyond this.
MAX_KEYS = 50_000
#: The database store removes events older than this many seconds (the longest window).
KEEP_S = 3600.0


class Events(Protocol):
    """Event times (seconds) per bucket and key."""

    def times(self, bucket: str, key: str, since: float) -> list[float]:
        """The key's event times after ``since``, oldest first."""
        ...

    def add(self, bucket: str, key: str, at: float) -> None:
        """Count one event of the key at ``at``."""
        ...

    def clear(self, bucket: str, key: str) -> None:
        """Forget the key's events."""
        ...


class MemoryEvents:
    """Events in this process's memory (forgotten on restart, not shared)."""

    def __init__(self, max_keys: int = MAX_KEYS) -> None:
        self.max_keys = max_keys
        self._events: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def times(self, bucket: str, key: str, since: float) -> list[float]:
        with self._lock:
            found = self._events.get((bucket, key))
            if found is None:
                return []
            while found and found[0] <= since:
                found.popleft()
            if not found:
                del self._events[(bucket, key)]
            return list(found)

    def add(self, bucket: str, key: str, at: float) -> None:
        with self._lock:
            found = self._events.pop((bucket, key), None) or deque()
            found.append(at)
            self._events[(bucket, key)] = found  # last: the dict stays oldest-first
            while len(self._events) > self.max_keys:
                del self._events[next(iter(self._events))]

    def clear(self, bucket: str, key: str) -> None:
        with self._lock:
            self._events.pop((bucket, key), None)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class DatabaseEvents:
    """Events in the database: one count for every web process sharing it."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def times(self, bucket: str, key: str, since: float) -> list[float]:
        with self.database.reading() as s:
            rows = s.scalars(
                select(ThrottleEvent.at)
                .where(
                    ThrottleEvent.bucket == bucket,
                    ThrottleEvent.key_hash == _hash(key),
                    ThrottleEvent.at > since,
                )
                .order_by(ThrottleEvent.at)
            )
            return [float(at) for at in rows]

    def add(self, bucket: str, key: str, at: float) -> None:
        with self.database.transaction() as s:
            s.add(ThrottleEvent(bucket=bucket, key_hash=_hash(key), at=at))
            oldest = s.scalar(select(func.min(ThrottleEvent.at)))
            if oldest is not None and oldest < at - 2 * KEEP_S:
                s.execute(delete(ThrottleEvent).where(ThrottleEvent.at < at - KEEP_S))

    def clear(self, bucket: str, key: str) -> None:
        with self.database.transaction() as s:
            s.execute(
                delete(ThrottleEvent).where(
                    ThrottleEvent.bucket == bucket, ThrottleEvent.key_hash == _hash(key)
                )
            )
