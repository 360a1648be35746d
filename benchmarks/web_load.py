"""Load on the web app: requests/s and latency for logging an episode and reading a child page.

Starts the real server (``spasmwatch serve``, SQLite in a temporary data dir, a free loopback
port) in a subprocess, signs up, makes a personal API token, adds children, then drives it
with an asyncio client: a fixed number of requests per scenario with bounded concurrency and
a time limit. The client shares the machine's cores with the server, so it is a lean one
(aiohttp, under 1 ms of CPU a request here); ``--client httpx`` takes about 4 ms a request,
a third of a core at these rates, and the earlier numbers in docs/benchmarks-history.md used it.
Scenarios:

- ``log episode (API)``: ``POST /api/v1/children/{id}/episodes`` with a bearer token (a spasm
  cluster; each answer includes the triage of the whole diary, computed once per change);
- ``child page, 10 episodes``: ``GET /children/{id}`` with the session cookie (the stored
  triage and chart, the newest 20 episodes; the view's audit entry written after the answer);
- ``child page, big diary``: the same page for the child the first scenario filled.

Client and server share the machine. Run: ``python benchmarks/web_load.py [--requests N]
[--concurrency C] [--time-limit S] [--database sqlite|postgresql] [--workers N]
[--client aiohttp|httpx]``
(``postgresql`` starts a throwaway cluster; ``--workers`` web processes).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import httpx

from spasmwatch.testing.serving import connections_per_process

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
API_TOKEN = re.compile(r'<code class="token" id="api-token">([^<]+)</code>')


@dataclass
class Result:
    """One scenario's numbers."""

    name: str
    done: int
    errors: Counter[str]
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(q) - 1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _spasmwatch_command() -> list[str]:
    script = Path(sys.executable).with_name("spasmwatch")
    return [str(script)] if script.exists() else [sys.executable, "-m", "spasmwatch"]


def start_server(
    data_dir: Path, database_url: str | None = None, workers: int = 0
) -> tuple[subprocess.Popen[bytes], str]:
    """``spasmwatch serve`` on a free loopback port; waits until it answers."""
    port = _free_port()
    log = (data_dir / "server.log").open("wb")
    database = ["--database-url", database_url] if database_url else []
    process = subprocess.Popen(
        [*_spasmwatch_command(), "serve", "--host", "127.0.0.1", "--port", str(port),
         "--data-dir", str(data_dir), "--workers", str(workers), *database],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    log.close()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = (data_dir / "server.log").read_text(errors="replace")
            raise SystemExit(f"The server exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{base}/signin", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    stop_server(process)
    raise SystemExit("The server did not answer within 60 s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Stop the server (SIGTERM, then SIGKILL after 10 s)."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _csrf(html: str) -> str:
    found = CSRF_FIELD.search(html)
    if not found:
        raise SystemExit("No CSRF token in the page")
    return found.group(1)


def set_up(base: str) -> tuple[httpx.Cookies, str, int, int]:
    """Sign up; make an API token; add two children, one with 10 episodes.

    Returns the session cookies, the API token, the empty child's id and the other's id.
    """
    with httpx.Client(base_url=base, timeout=30) as client:
        form = client.get("/signup")
        answer = client.post(
            "/signup",
            data={
                "csrf_token": _csrf(form.text),
                "display_name": "Load Test",
                "email": "load@example.org",
                "password": "a long enough password",
            },
        )
        if answer.status_code != 303:
            raise SystemExit(f"Sign-up failed: {answer.status_code}")
        settings = client.get("/settings")
        made = client.post(
            "/settings/token", data={"csrf_token": _csrf(settings.text), "scope": "write"}
        )
        token_match = API_TOKEN.search(made.text)
        if not token_match:
            raise SystemExit("No API token on the settings page")
        token = token_match.group(1)
        bearer = {"Authorization": f"Bearer {token}"}
        ids = []
        for name in ("Busy", "Typical"):
            child = client.post(
                "/api/v1/children",
                json={"name": name, "child": {"age_months": 6}},
                headers=bearer,
            )
            child.raise_for_status()
            ids.append(int(child.json()["id"]))
        for i in range(10):
            client.post(
                f"/api/v1/children/{ids[1]}/episodes", json=episode(i), headers=bearer
            ).raise_for_status()
        return client.cookies, token, ids[0], ids[1]


def episode(i: int) -> dict[str, Any]:
    """A spasm cluster on waking; the i-th one 3 i + 1 hours ago."""
    started = datetime.now().replace(microsecond=0) - timedelta(hours=3 * i + 1)
    return {
        "started_at": started.isoformat(),
        "movements": ["head_nod", "arms_up"],
        "state": "just_woke",
        "count": 10,
        "movement_seconds": 1,
        "interval_seconds": 5,
    }


Call = Callable[[int], Awaitable[int]]
"""One request: its index in, the answer's status out, the body read to its end."""


async def run_scenario(
    name: str,
    call: Call,
    requests: int,
    concurrency: int,
    time_limit: float,
    expect: int,
    warmup: int = 10,
) -> Result:
    """``requests`` calls, ``concurrency`` at a time, stopping early at ``time_limit``."""
    for i in range(warmup):
        status = await call(-1 - i)
        if status != expect:
            raise SystemExit(f"{name}: the warm-up got {status}, not {expect}")
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    next_index = 0
    start = time.perf_counter()
    deadline = start + time_limit

    async def worker() -> None:
        nonlocal next_index
        while next_index < requests and time.perf_counter() < deadline:
            index = next_index
            next_index += 1
            began = time.perf_counter()
            try:
                outcome = str(await call(index))
            except (TimeoutError, httpx.HTTPError, aiohttp.ClientError) as error:
                outcome = type(error).__name__
            if outcome == str(expect):
                latencies.append((time.perf_counter() - began) * 1000)
            else:
                errors[outcome] += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Result(name, len(latencies), errors, time.perf_counter() - start, latencies)


class Clients:
    """One client (aiohttp or httpx) keeping ``n`` connections open, for the API's
    requests (with the bearer token) and the browser's pages (with the session cookie)."""

    def __init__(self, kind: str, base: str, cookies: httpx.Cookies, token: str, n: int) -> None:
        self.kind, self.base, self.n = kind, base, n
        self.bearer = {"Authorization": f"Bearer {token}"}
        self.cookie = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        self.stack = contextlib.AsyncExitStack()

    async def __aenter__(self) -> Clients:
        if self.kind == "aiohttp":
            session = aiohttp.ClientSession(
                self.base,
                connector=aiohttp.TCPConnector(limit=self.n),
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=aiohttp.ClientTimeout(total=60),
            )
            self.aio = await self.stack.enter_async_context(session)
        else:
            limits = httpx.Limits(max_connections=self.n, max_keepalive_connections=self.n)
            self.httpx = await self.stack.enter_async_context(
                httpx.AsyncClient(base_url=self.base, timeout=60, limits=limits)
            )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stack.aclose()

    async def post_json(self, path: str, body: dict[str, Any]) -> int:
        if self.kind == "aiohttp":
            async with self.aio.post(path, json=body, headers=self.bearer) as answer:
                await answer.read()
                return answer.status
        return (await self.httpx.post(path, json=body, headers=self.bearer)).status_code

    async def get_page(self, path: str) -> int:
        if self.kind == "aiohttp":
            async with self.aio.get(path, headers=self.cookie) as answer:
                await answer.read()
                return answer.status
        return (await self.httpx.get(path, headers=self.cookie)).status_code


async def measure(
    base: str,
    cookies: httpx.Cookies,
    token: str,
    busy: int,
    typical: int,
    args: argparse.Namespace,
    server: int,
) -> tuple[list[Result], list[int]]:
    """The scenarios' results, and how many of the client's connections each of the
    server's web processes held at the end (``connections_per_process``)."""
    results = []
    async with Clients(args.client, base, cookies, token, args.concurrency) as clients:

        async def log(i: int) -> int:
            return await clients.post_json(f"/api/v1/children/{busy}/episodes", episode(i % 5000))

        limits = (args.requests, args.concurrency, args.time_limit)
        results.append(await run_scenario("log episode (API)", log, *limits, 201))
        for name, child in (
            ("child page, 10 episodes", typical),
            (f"child page, {results[0].done + 10} episodes", busy),
        ):

            async def read(i: int, child: int = child) -> int:
                return await clients.get_page(f"/children/{child}")

            results.append(await run_scenario(name, read, *limits, 200))
        split = connections_per_process(server, int(base.rsplit(":", 1)[1]))
    return results, split


def _machine() -> str:
    cores = os.cpu_count()
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB RAM"
    except (ValueError, OSError):
        memory = ""
    return f"{platform.system()} {platform.machine()}, {cores} cores{memory}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=500, help="per scenario (500)")
    parser.add_argument("--concurrency", type=int, default=10, help="requests at a time (10)")
    parser.add_argument(
        "--time-limit", type=float, default=60, help="seconds per scenario at most (60)"
    )
    parser.add_argument(
        "--database",
        choices=("sqlite", "postgresql"),
        default="sqlite",
        help="SQLite in the data dir, or a throwaway PostgreSQL cluster (sqlite)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="web processes (0: spasmwatch serve's default, 2 on a machine with 2 or more cores)",
    )
    parser.add_argument(
        "--client",
        choices=("aiohttp", "httpx"),
        default="aiohttp",
        help="the measuring client (aiohttp: about a fifth of httpx's CPU per request)",
    )
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        url = None
        if args.database == "postgresql":
            from spasmwatch.testing.postgres import throwaway_postgres

            url = stack.enter_context(throwaway_postgres())
        results, split, server_log = _run(args, url)
    database = "PostgreSQL" if url else "SQLite"
    workers = args.workers or min(2, os.cpu_count() or 1)
    processes = f"{workers} uvicorn process{'es' if workers > 1 else ''}"
    print(
        f"spasmwatch web load: {database}, {processes}, {args.concurrency} concurrent "
        f"requests, up to {args.requests} per scenario; client and server on this machine "
        f"({_machine()}, Python {platform.python_version()}; load average before "
        f"{LOAD_BEFORE[0]:.2f})"
    )
    if split:
        print(f"connections held by each web process at the end: {', '.join(map(str, split))}")
    _report(results, server_log)


LOAD_BEFORE = os.getloadavg()


def _run(args: argparse.Namespace, url: str | None) -> tuple[list[Result], list[int], str]:
    with tempfile.TemporaryDirectory(prefix="spasmwatch-load-") as folder:
        process, base = start_server(Path(folder), url, args.workers)
        try:
            cookies, token, busy, typical = set_up(base)
            results, split = asyncio.run(
                measure(base, cookies, token, busy, typical, args, process.pid)
            )
        finally:
            stop_server(process)
            server_log = (Path(folder) / "server.log").read_text(errors="replace")
    return results, split, server_log


def _report(results: list[Result], server_log: str) -> None:
    print(f"{'scenario':<28} {'ok':>5} {'errors':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8}")
    for r in results:
        print(
            f"{r.name:<28} {r.done:>5} {r.errors.total():>6} {r.per_second:>7.1f} "
            f"{r.percentile(50):>8.1f} {r.percentile(95):>8.1f}"
        )
    for r in results:
        if r.errors:
            kinds = ", ".join(f"{kind} x{n}" for kind, n in r.errors.most_common())
            print(f"errors in {r.name}: {kinds}")
    if server_log.strip():
        print("server log (last lines):\n" + "\n".join(server_log.splitlines()[-15:]))
    if any(r.errors for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
