"""How ``spasmwatch serve``'s web processes take connections from their shared socket."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from spasmwatch.testing.serving import connections_per_process
from spasmwatch.web import serving as web_app


async def _accepted_after(waits: list[float], pending: int) -> list[int]:
    """Connect ``pending`` clients to a listening socket, then serve it on the running
    loop: how many connections the server had after each wait."""
    loop = asyncio.get_running_loop()
    listener = socket.create_server(("127.0.0.1", 0))
    clients = [socket.create_connection(listener.getsockname()) for _ in range(pending)]
    made: list[int] = []

    class Counted(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            made.append(1)

    server = await loop.create_server(Counted, sock=listener)
    seen = []
    try:
        for wait in waits:
            await asyncio.sleep(wait)
            seen.append(len(made))
    finally:
        server.close()
        for client in clients:
            client.close()
    return seen


def _run(loop: asyncio.AbstractEventLoop, waits: list[float], pending: int) -> list[int]:
    try:
        return loop.run_until_complete(_accepted_after(waits, pending))
    finally:
        loop.close()


def test_a_web_process_takes_one_waiting_connection_per_wake_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """asyncio's own loop takes every connection waiting at once (a burst of browsers
    then all lands on one process); the served processes' loop takes one, then waits
    longer the more connections it holds, so that another process can take the next."""
    assert _run(asyncio.SelectorEventLoop(), [0.05], 3) == [3]
    monkeypatch.setattr(web_app, "PAUSE_PER_CONNECTION_S", 60.0)
    monkeypatch.setattr(web_app, "PAUSE_MOST_S", 60.0)
    assert _run(web_app.SharedSocketLoop(), [0.05, 0.2], 3) == [1, 1]


def test_a_web_process_takes_the_rest_after_its_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(web_app, "PAUSE_PER_CONNECTION_S", 0.001)
    seen = _run(web_app.SharedSocketLoop(), [0.01] * 200, 4)
    assert seen[-1] == 4


def test_the_connection_table_says_what_the_other_processes_hold(tmp_path: Path) -> None:
    path = tmp_path / "connections"
    web_app.ConnectionTable.create(path)
    mine = web_app.ConnectionTable(path)
    assert mine.fewest_elsewhere() is None  # alone
    slots = memoryview(mine._map).cast("q")
    slots[2], slots[3] = os.getppid(), 4  # another live process holding 4
    slots[4], slots[5] = 2**22 + 12345, 0  # a process id no process has: left by one that died
    mine.hold(3)
    assert mine.fewest_elsewhere() == 0
    again = web_app.ConnectionTable(path)  # the same process again: its own slot back
    assert again._mine == mine._mine
    slots[0] = 2**22 + 12346  # as if this slot were another process's that died
    newcomer = web_app.ConnectionTable(path)  # takes over the first slot left by the dead
    assert newcomer._mine == 0
    newcomer.leave()
    assert list(slots[:2]) == [0, 0]


def test_a_process_holding_more_leaves_a_waiting_connection_to_another_for_a_moment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "connections"
    web_app.ConnectionTable.create(path)
    other = memoryview(web_app.ConnectionTable(path)._map).cast("q")
    other[0], other[1] = os.getppid(), 0  # another web process, holding nothing
    monkeypatch.setenv(web_app.TABLE_VARIABLE, str(path))
    monkeypatch.setattr(web_app, "PAUSE_PER_CONNECTION_S", 0.001)
    monkeypatch.setattr(web_app, "DEFER_MOST_S", 60.0)
    # The first is taken (1 against 0 is not more); the second waits for the other.
    assert _run(web_app.SharedSocketLoop(), [0.1, 0.3], 2) == [1, 1]
    monkeypatch.setattr(web_app, "DEFER_MOST_S", 0.02)
    # Unless the other does not take it in time.
    assert _run(web_app.SharedSocketLoop(), [0.01] * 100, 2)[-1] == 2


def test_the_table_counts_only_the_connections_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wake-up that finds the connection gone (another process was quicker) leaves the
    count as it was; one that takes it counts it at once."""
    path = tmp_path / "connections"
    web_app.ConnectionTable.create(path)
    monkeypatch.setenv(web_app.TABLE_VARIABLE, str(path))
    loop = web_app.SharedSocketLoop()
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    client = None
    try:
        table = loop._table
        assert table is not None
        slots = memoryview(table._map).cast("q")
        loop._accept_connection(asyncio.Protocol, listener)  # nothing waiting
        assert slots[2 * table._mine + 1] == 0
        client = socket.create_connection(listener.getsockname())
        time.sleep(0.05)
        loop._accept_connection(asyncio.Protocol, listener)
        assert slots[2 * table._mine + 1] == 1
        loop.run_until_complete(asyncio.sleep(0.05))  # the connection's set-up task
    finally:
        if client is not None:
            client.close()
        listener.close()
        loop.close()


def _cpu_ticks(parent: int) -> dict[int, int]:
    ticks = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                ticks[int(stat.parent.name)] = int(fields[11]) + int(fields[12])
    return ticks


def _wait_until_idle(parent: int, deadline: float) -> None:
    """Until no child process of ``parent`` has used the CPU for a second."""
    before = _cpu_ticks(parent)
    while time.monotonic() < deadline:
        time.sleep(1)
        now = _cpu_ticks(parent)
        if now == before:
            return
        before = now


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="counts connections in /proc")
def test_browsers_connecting_at_once_reach_both_web_processes(tmp_path: Path) -> None:
    """Ten keep-alive connections opened at once to ``spasmwatch serve --workers 2``:
    each web process holds some (with asyncio's own loop, one process took all ten in
    some starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "spasmwatch", "serve", "--port", str(port), "--workers",
               "2", "--job-workers", "0", "--data-dir", str(tmp_path / "data")]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120  # a guard against a hang, not a timing check
        while time.monotonic() < deadline and proc.poll() is None:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"http://127.0.0.1:{port}/signin", timeout=2),
            ):
                break
            time.sleep(0.2)
        _wait_until_idle(proc.pid, deadline)  # the second web process may still be starting

        async def browsers() -> list[int]:
            opened = await asyncio.gather(
                *(asyncio.open_connection("127.0.0.1", port) for _ in range(10))
            )
            for _, writer in opened:
                writer.write(b"GET /signin HTTP/1.1\r\nHost: localhost\r\n\r\n")
            for reader, _ in opened:
                assert (await reader.readline()).startswith(b"HTTP/1.1 200")
            held = connections_per_process(proc.pid, port)
            for _, writer in opened:
                writer.close()
            return held

        held = asyncio.run(browsers())
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert sum(held) == 10 and len(held) == 2 and min(held) >= 2, held
