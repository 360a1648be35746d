"""Throttling of password guesses, per account and per client address.

After :attr:`LoginThrottle.free` failures within :attr:`LoginThrottle.window_s` seconds, a
key (an account's email, or an address) must wait before the next try: 30 s, then twice as
long after each further failure, at most the window. A blocked try is answered at once,
without hashing the password, so a flood of guesses costs the server (and the other users
waiting for it) nothing. A success clears the account's count.

The app counts in the database (:class:`~spasmwatch.store.counters.DatabaseEvents`), so
that every web process shares one count; behind a proxy every client has the proxy's
address unless the server is told to trust its forwarded address (see docs/security.md).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable

from spasmwatch.store.counters import Events, MemoryEvents

__all__ = ["LoginThrottle"]

FIRST_WAIT_S = 30.0
BUCKET = "login"


class LoginThrottle:
    """Failures per key, and how long a key must wait before its next try.

    Parameters
    ----------
    free
        Failures allowed within the window before waits begin.
    window_s
        How long a failure counts, and the longest wait.
    clock
        Seconds (default :func:`time.time`); injectable so that tests need no waiting.
    events
        Where failures are counted (default: this process's memory).
    """

    def __init__(
        self,
        free: int = 5,
        window_s: float = 900.0,
        clock: Callable[[], float] = time.time,
        events: Events | None = None,
    ) -> None:
        self.free = free
        self.window_s = window_s
        self._clock = clock
        self.events: Events = events if events is not None else MemoryEvents()

    def wait_s(self, keys: Iterable[str], free: int | None = None) -> int:
        """Whole seconds until the next try is allowed for all ``keys`` (0: now)."""
        now = self._clock()
        allowed = self.free if free is None else free
        longest = 0.0
        for key in keys:
            recent = self.events.times(BUCKET, key, now - self.window_s)
            over = len(recent) - allowed
            if over >= 0:
                wait = min(self.window_s, FIRST_WAIT_S * 2**over)
                longest = max(longest, recent[-1] + wait - now)
        return max(0, math.ceil(longest))

    def failed(self, keys: Iterable[str]) -> None:
        """Count one failure for each key."""
        now = self._clock()
        for key in keys:
            self.events.add(BUCKET, key, now)

    def succeeded(self, key: str) -> None:
        """Forget the failures of ``key``."""
        self.events.clear(BUCKET, key)
