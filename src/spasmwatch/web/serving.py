"""How ``spasmwatch serve``'s web processes share the connections of one listening socket.

The web processes (``--workers N``) all wait on the socket that ``spasmwatch serve``
opened, and a connection stays with the process that accepted it for as long as its client
keeps it alive. asyncio's own loop takes every connection waiting (up to the backlog, 2048
here) at each wake-up, so the process that woke first took a whole burst: of 10 keep-alive
connections opened at once by an aiohttp client, all ten went to one of two processes in 4
of 14 starts (9/1 in 2 more), and stayed there while the other process idled; under
``benchmarks/web_load.py`` the pages then came at half the rate.

:class:`SharedSocketLoop` takes one connection per wake-up, and the kernel wakes every
process waiting on the socket. Each process writes how many connections it holds in a
small shared table (:class:`ConnectionTable`, a file that ``spasmwatch serve`` makes and
names in :data:`TABLE_VARIABLE`); a process that holds more than another leaves a waiting
connection to it for a moment (:data:`DEFER_MOST_S` at most, then takes it itself, so a
stuck process cannot hold connections up), as nginx's ``least_conn`` does.
"""

from __future__ import annotations

import asyncio
import contextlib
import mmap
import os
from pathlib import Path
from typing import Any

from spasmwatch.processes import process_alive

#: The environment variable naming the shared table's file.
TABLE_VARIABLE = "SPASMWATCH_CONNECTION_TABLE"
#: Web processes the table has room for.
TABLE_SLOTS = 64
#: How long a process that holds more connections than another leaves a waiting one to
#: it, at most, and how often it looks again meanwhile.
DEFER_MOST_S = 0.05
DEFER_STEP_S = 0.002
#: After taking a connection, a process waits this long per connection it holds before
#: looking again (at most :data:`PAUSE_MOST_S`), so that a process woken a little later
#: takes the next one even without the table.
PAUSE_PER_CONNECTION_S = 0.002
PAUSE_MOST_S = 0.02


class ConnectionTable:
    """How many connections each web process holds: pairs of (process id, connections)
    in a file that every web process maps into memory. Each process writes its own pair
    only; the others read it (a count a moment old is good enough to share a burst)."""

    def __init__(self, path: Path) -> None:
        import fcntl  # POSIX: elsewhere the loop runs without the table

        with path.open("r+b") as file:
            self._map = mmap.mmap(file.fileno(), TABLE_SLOTS * 16)
            self._slots = memoryview(self._map).cast("q")
            fcntl.flock(file, fcntl.LOCK_EX)  # one process claims a slot at a time
            try:
                self._mine = self._claim()
            finally:
                fcntl.flock(file, fcntl.LOCK_UN)

    @staticmethod
    def create(path: Path) -> None:
        """Write an empty table (``spasmwatch serve``, before its web processes start)."""
        path.write_bytes(bytes(TABLE_SLOTS * 16))

    def _claim(self) -> int:
        pid = os.getpid()
        for slot in range(TABLE_SLOTS):
            owner = self._slots[2 * slot]
            # Free, or left by a process that died.
            if owner in (0, pid) or not process_alive(owner):
                self._slots[2 * slot], self._slots[2 * slot + 1] = pid, 0
                return slot
        raise RuntimeError(f"more than {TABLE_SLOTS} web processes")

    def hold(self, connections: int) -> None:
        """Write how many connections this process holds."""
        self._slots[2 * self._mine + 1] = connections

    def fewest_elsewhere(self) -> int | None:
        """The fewest connections another web process holds (None: no other process)."""
        counts = [
            self._slots[2 * slot + 1]
            for slot in range(TABLE_SLOTS)
            if slot != self._mine and self._slots[2 * slot]
        ]
        return min(counts) if counts else None

    def leave(self) -> None:
        """Free this process's slot."""
        self._slots[2 * self._mine] = 0
        self._slots[2 * self._mine + 1] = 0


class SharedSocketLoop(asyncio.SelectorEventLoop):
    """The event loop of ``spasmwatch serve``'s web processes when there are several:
    one connection per wake-up of the shared socket, the process holding the fewest
    connections first (see the module's description)."""

    def __init__(self) -> None:
        super().__init__()
        # In the table from the start: a process that has not woken yet counts as holding
        # none, so that the others leave it a connection.
        self._table: ConnectionTable | None = None
        path = os.environ.get(TABLE_VARIABLE)
        if path:
            with contextlib.suppress(ImportError, OSError, ValueError, RuntimeError):
                self._table = ConnectionTable(Path(path))
        self._deferring_since: float | None = None
        self._taken = 0  # connections accepted so far (see _accept_connection2)

    def close(self) -> None:
        if self._table is not None:
            self._table.leave()
        super().close()

    def _accept_connection(  # type: ignore[override]
        self,
        protocol_factory: Any,
        sock: Any,
        sslcontext: Any = None,
        server: Any = None,
        backlog: int = 100,
        *timeouts: Any,
    ) -> None:
        arguments = (protocol_factory, sock, sslcontext, server, backlog, *timeouts)
        held = getattr(server, "_active_count", 0) if server is not None else 0
        table = self._table
        if table is not None:
            table.hold(held)
            fewest = table.fewest_elsewhere()
            if fewest is not None and held > fewest:
                now = self.time()
                if self._deferring_since is None:
                    self._deferring_since = now
                if now - self._deferring_since < DEFER_MOST_S:
                    self._look_again(sock, DEFER_STEP_S, arguments)
                    return
        self._deferring_since = None
        before = self._taken
        super()._accept_connection(  # type: ignore[misc]
            protocol_factory, sock, sslcontext, server, 1, *timeouts
        )
        # A connection just taken is not counted by the server yet (its transport is made
        # in a task); none was taken when another process was quicker.
        held += self._taken - before
        if table is not None:
            table.hold(held)
        self._look_again(sock, min(PAUSE_MOST_S, PAUSE_PER_CONNECTION_S * max(held, 1)), arguments)

    def _accept_connection2(self, *arguments: Any, **options: Any) -> Any:
        # asyncio calls this (making the task that sets the connection up) for each
        # connection its accept took, and only then.
        self._taken += 1
        return super()._accept_connection2(*arguments, **options)  # type: ignore[misc]

    def _look_again(self, sock: Any, delay: float, arguments: tuple[Any, ...]) -> None:
        """Stop watching the socket for ``delay`` seconds (it stays ready while a
        connection waits)."""
        fd = sock.fileno()
        self._remove_reader(fd)  # type: ignore[attr-defined]
        server = arguments[3]

        def again() -> None:
            if server is None or server.is_serving():
                self._add_reader(fd, self._accept_connection, *arguments)  # type: ignore[attr-defined]

        self.call_later(delay, again)
