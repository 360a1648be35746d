"""Throttling of password guesses, per account and per client address.

After :attr:`LoginThrottle.free` failures within :attr:`LoginThrottle.window_s` seconds, a
key (an account's email, or an address) must wait before the next try: 30 s, then twice as
long after each further failure, at most the window. A blocked try is answered at once,
without hashing the password, so a flood of guesses costs the server (and the other users
waiting for it) nothing. A success clears the account's count.

In memory, per process (like :mod:`spasmwatch.web.ratelimit`): it forgets on restart and is
not shared between worker processes; behind a proxy every client has the proxy's address
unless the server is told to trust its forwarded address (see docs/security.md).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable

__all__ = ["LoginThrottle"]

#: Keys remembered at most; the oldest are forgotten beyond this.
MAX_KEYS = 50_000
FIRST_WAIT_S = 30.0


class LoginThrottle:
    """Failures per key, and how long a key must wait before its next try.

    Parameters
    ----------
    free
        Failures allowed within the window before waits begin.
    window_s
        How long a failure counts, and the longest wait.
    clock
        Seconds (default :func:`time.monotonic`); injectable so that tests need no waiting.
    """

    def __init__(
        self,
        free: int = 5,
        window_s: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free = free
        self.window_s = window_s
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        found = self._failures.get(key)
        if found is None:
            return deque()
        while found and found[0] <= now - self.window_s:
            found.popleft()
        if not found:
            del self._failures[key]
        return found

    def wait_s(self, keys: Iterable[str], free: int | None = None) -> int:
        """Whole seconds until the next try is allowed for all ``keys`` (0: now)."""
        now = self._clock()
        allowed = self.free if free is None else free
        longest = 0.0
        with self._lock:
            for key in keys:
                recent = self._recent(key, now)
                over = len(recent) - allowed
                if over >= 0:
                    wait = min(self.window_s, FIRST_WAIT_S * 2**over)
                    longest = max(longest, recent[-1] + wait - now)
        return max(0, math.ceil(longest))

    def failed(self, keys: Iterable[str]) -> None:
        """Count one failure for each key."""
        now = self._clock()
        with self._lock:
            for key in keys:
                recent = self._recent(key, now)
                recent.append(now)
                self._failures.pop(key, None)
                self._failures[key] = recent  # last: the dict stays oldest-first
            while len(self._failures) > MAX_KEYS:
                del self._failures[next(iter(self._failures))]

    def succeeded(self, key: str) -> None:
        """Forget the failures of ``key``."""
        with self._lock:
            self._failures.pop(key, None)
