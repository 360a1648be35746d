"""A throwaway PostgreSQL cluster (``initdb``/``pg_ctl``), for tests and benchmarks.

Run as the ``postgres`` user when this process is root (PostgreSQL refuses to run as
root), under ``/tmp``, with durability off (fast, and nothing worth keeping).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["PostgresUnavailable", "throwaway_postgres"]


class PostgresUnavailable(RuntimeError):
    """PostgreSQL cannot start here (not installed, no user to run it as, ...)."""


def pg_tool(name: str) -> str:
    """The newest installed PostgreSQL server binary (Debian keeps them off PATH)."""
    found = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4])
    )
    path = found[-1] if found else shutil.which(name)
    if not path:
        raise PostgresUnavailable(f"'{name}' not found (apt-get install -y postgresql)")
    return str(path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def throwaway_postgres(max_connections: int = 100) -> Iterator[str]:
    """Start a PostgreSQL cluster; yields the ``postgresql+psycopg://`` URL of its
    ``postgres`` database; stops and removes it afterwards."""
    initdb, pg_ctl = pg_tool("initdb"), pg_tool("pg_ctl")
    # Under /tmp: pytest's folders are 0700, out of the postgres user's reach.
    base = tempfile.mkdtemp(prefix="spasmwatch-pg-")
    run_as: list[str] = []
    if os.geteuid() == 0:
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base, ignore_errors=True)
            raise PostgresUnavailable(
                "running as root and there is no 'postgres' user to run it as"
            ) from None
        os.chown(base, pw.pw_uid, pw.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data = os.path.join(base, "data")
    log = os.path.join(base, "server.log")

    def pg(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*run_as, *args], check=check, capture_output=True, text=True, timeout=120
        )

    started = False
    try:
        port = _free_port()
        try:
            pg(initdb, "-D", data, "-U", "postgres", "--auth=trust", "--no-sync", "-E", "UTF8")
            pg(pg_ctl, "-D", data, "-l", log, "-w", "-o",
               f"-k {base} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off "
               f"-c max_connections={max_connections}", "start")  # fmt: skip
            started = True
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
            server_log = Path(log).read_text(errors="replace") if os.path.exists(log) else ""
            detail = getattr(error, "stderr", "") or ""
            raise PostgresUnavailable(f"{error}\n{detail}\n{server_log}".strip()) from None
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        if started:
            pg(pg_ctl, "-D", data, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(base, ignore_errors=True)
