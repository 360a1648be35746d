"""A small in-memory rate limit for what anyone may call without an account (the anonymous
check and the public API): at most ``limit`` requests per client address in any
``window_s`` seconds.

In memory, per process: enough to stop one address from hammering a home server; it is not
shared between worker processes and forgets on restart.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

__all__ = ["PUBLIC_LIMIT", "PUBLIC_WINDOW_S", "RateLimiter"]

#: Anonymous checks and public API calls allowed per address per minute.
PUBLIC_LIMIT = 30
PUBLIC_WINDOW_S = 60.0
#: Addresses remembered at most; the oldest are forgotten beyond this.
MAX_KEYS = 10_000


class RateLimiter:
    """At most ``limit`` calls per key in any window of ``window_s`` seconds.

    ``clock`` (default :func:`time.monotonic`) is injectable so that tests need no waiting.
    """

    def __init__(
        self,
        limit: int = PUBLIC_LIMIT,
        window_s: float = PUBLIC_WINDOW_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be at least 1 and window_s more than 0")
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Count one call for ``key``; False when it is over the limit (not counted then)."""
        now = self._clock()
        with self._lock:
            calls = self._calls.pop(key, None) or deque()
            while calls and calls[0] <= now - self.window_s:
                calls.popleft()
            allowed = len(calls) < self.limit
            if allowed:
                calls.append(now)
            self._calls[key] = calls  # re-inserted last: the dict stays oldest-first
            while len(self._calls) > MAX_KEYS:
                del self._calls[next(iter(self._calls))]
            return allowed

    def retry_after_s(self, key: str) -> int:
        """Seconds until ``key`` may call again (at least 1)."""
        with self._lock:
            calls = self._calls.get(key)
            if not calls:
                return 1
            return max(1, int(calls[0] + self.window_s - self._clock() + 0.999))
