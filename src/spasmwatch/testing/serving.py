"""Who holds the connections to a running ``spasmwatch serve`` (Linux ``/proc``)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def connections_per_process(server: int, port: int) -> list[int]:
    """How many of the open connections to ``port`` each of the server's child processes
    holds, most first (Linux: ``/proc``; empty elsewhere). A web process keeps a
    connection for as long as its client keeps it alive."""
    established: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "01":
                    established.add(fields[9])
    counts = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != server:
                continue
            inodes = {os.readlink(fd)[8:-1] for fd in (stat.parent / "fd").iterdir()}
            if held := len(inodes & established):
                counts.append(held)
    return sorted(counts, reverse=True)
