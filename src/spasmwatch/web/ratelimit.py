"""A small rate limit for what anyone may call without an account (the anonymous
check and the public API): at most ``limit`` requests per client address in any
``window_s`` seconds.

The app counts in the database (:class:`~spasmwatch.store.counters.DatabaseEvents`), so
that every web process shares one count.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from spasmwatch.store.counters import Events, MemoryEvents

__all__ = ["PUBLIC_LIMIT", "PUBLIC_WINDOW_S", "RateLimiter"]

#: Anonymous checks and public API calls allowed per address per minute.
PUBLIC_LIMIT = 30
PUBLIC_WINDOW_S = 60.0
BUCKET = "public"


class RateLimiter:
    """At most ``limit`` calls per key in any window of ``window_s`` seconds.

    ``clock`` (default :func:`time.time`) is injectable so that tests need no waiting;
    ``events`` is where calls are counted (default: this process's memory).
    """

    def __init__(
        self,
        limit: int = PUBLIC_LIMIT,
        window_s: float = PUBLIC_WINDOW_S,
        clock: Callable[[], float] = time.time,
        events: Events | None = None,
    ) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be at least 1 and window_s more than 0")
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self.events: Events = events if events is not None else MemoryEvents()

    def allow(self, key: str) -> bool:
        """Count one call for ``key``; False when it is over the limit (not counted then)."""
        now = self._clock()
        calls = self.events.times(BUCKET, key, now - self.window_s)
        if len(calls) >= self.limit:
            return False
        self.events.add(BUCKET, key, now)
        return True

    def retry_after_s(self, key: str) -> int:
        """Seconds until ``key`` may call again (at least 1)."""
        now = self._clock()
        calls = self.events.times(BUCKET, key, now - self.window_s)
        if not calls:
            return 1
        return max(1, int(calls[0] + self.window_s - now + 0.999))
