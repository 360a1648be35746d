"""How many request handlers one web process runs at once, and where the slow ones run.

FastAPI runs each plain (``def``) route and dependency on a thread of anyio's pool, 40 at
a time by default. Python runs one thread of a process at a time (the GIL), so a second
handler only helps while the first waits for the database or the disk; ten handlers at
once share one core in turns, each as slow as all ten together, and each turn costs a
switch (a thread that gave the GIL up to wait for the database waits again to take it
back). Under ``benchmarks/web_load.py`` (10 clients, two web processes, two cores) one
handler at a time per process gave the 510-episode child page a lower p95 than two in 6
of 6 alternated runs on PostgreSQL and 3 of 3 on SQLite, and two a lower one than
anyio's 40 (docs/benchmarks.md, Web): the processes are the parallelism, as with
gunicorn's synchronous workers.

The other requests wait their turn in the event loop, in order. So that a report
(seconds of WeasyPrint and matplotlib), an export, the copy of a large upload or a page
of EEG read from its file does not hold up the pages behind it, those routes are marked
:func:`slow` and run on threads of their own (:data:`SLOW_THREADS` at once per process).

Raise ``SPASMWATCH_WEB_THREADS`` when the database is on another machine: each query then
waits for the network, and more handlers keep the process busy meanwhile.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import Request

__all__ = ["SLOW_THREADS", "limit_handlers", "run_slow", "slow"]

#: Slow handlers (reports, exports, uploads, the EEG viewer) one web process runs at once.
SLOW_THREADS = 4

T = TypeVar("T")


def limit_handlers(threads: int) -> None:
    """Run at most ``threads`` plain handlers at once in this event loop (call it in the
    app's lifespan: anyio keeps the limit per event loop)."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = max(1, threads)


def slow_limiter(request: Request) -> anyio.CapacityLimiter:
    """The app's limiter of slow handlers (made with the app)."""
    return request.app.state.slow_limiter


async def run_slow(request: Request, work: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """Run ``work`` on a thread of the slow handlers (from an ``async`` route: the copy
    of an upload, say, which would otherwise stop the event loop)."""
    call = functools.partial(work, *args, **kwargs)
    return await anyio.to_thread.run_sync(call, limiter=slow_limiter(request))


def slow(route: Callable[..., T]) -> Callable[..., Any]:
    """Mark a plain route as slow: FastAPI awaits it, and it runs on a thread of the slow
    handlers' own limiter instead of taking one of the few that pages use. The route must
    take ``request: Request`` (by that name)."""

    @functools.wraps(route)
    async def run(**kwargs: Any) -> T:
        return await run_slow(kwargs["request"], route, **kwargs)

    return run
