"""Shared test fixtures.

Databases (real SQLite and real PostgreSQL, no mocks):

``pg_url`` (session)
    Starts a throwaway PostgreSQL cluster (``initdb``/``pg_ctl``, run as the ``postgres``
    user when the tests run as root) on 127.0.0.1 at a random port, in a temporary directory
    under /tmp, and yields a ``postgresql+psycopg://`` URL of its ``postgres`` database; the
    cluster is stopped and removed after the session. When PostgreSQL cannot start, the tests
    that need it are skipped, except when the environment variable ``CI`` is set: then they
    fail loudly.
``database_url`` (per test, parametrized ``sqlite`` / ``postgresql``)
    A fresh, migrated database's URL: a SQLite file in ``tmp_path``, or a new database
    (``t_<hex>``) on the shared PostgreSQL cluster, dropped after the test. Both are copies
    of a database migrated once per session. Every test using
    it runs twice, with ids ``[sqlite]`` and ``[postgresql]``.
``db`` (per test, follows ``database_url``)
    A migrated :class:`spasmwatch.store.Database` on ``database_url`` with
    ``Settings(data_dir=tmp_path, database_url=database_url)``, disposed after the test.
``database_factory`` (per test)
    ``database_factory("sqlite" | "postgresql")`` makes one more migrated ``Database`` with
    its own data directory, for tests that need two databases (e.g. backup and restore).

Running in parallel (``make test`` runs ``pytest -n auto --dist loadfile``, pytest-xdist):
each test file runs whole on one worker, so its module fixtures (a server, a browser) start
once; each worker starts its own PostgreSQL; ``workers.shared_folder`` lets the workers
make something slow (the rendered videos) once for all.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from spasmwatch.config import Settings
from spasmwatch.store import Database
from spasmwatch.testing.postgres import PostgresUnavailable, throwaway_postgres

# The command line speaks the terminal's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG):
# the tests run in an English terminal whatever the machine's, as they read its English
# words; a test of another language sets the variables it needs in its own environment.
for _variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_EEG = REPO_ROOT.parent / "shared" / "data" / "eeg"
DATABASE_KINDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_eeg_dir() -> Path:
    """The shared real EEG data (``../shared/data/eeg`` from the repository root)."""
    if not SHARED_EEG.is_dir():
        pytest.fail(f"Real EEG test data not found at {SHARED_EEG}")
    return SHARED_EEG


# ---------------------------------------------------------------- parallel runs
# The longest files (a minute or more each) start first, so that no worker is left running
# one alone at the end while the others wait; the rest keep their order.
LONG_FIRST = (
    "tests/video/test_analyze.py",
    "tests/web/test_authorization.py",
    "tests/test_jobs.py",
    "tests/evaluate/test_evaluate_eeg.py",
    "tests/test_batch.py",
    "tests/web/test_browser",
    "tests/report/test_package.py",
    "tests/video/",
    "tests/web/test_pages.py",
)


def _rank(item: pytest.Item) -> int:
    path = item.nodeid.split("::")[0]
    return next((i for i, p in enumerate(LONG_FIRST) if path.startswith(p)), len(LONG_FIRST))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the long files first (a stable sort: the order within a file does not change)."""
    items.sort(key=_rank)


#: The last lines of the test server's log added to the report of a failed browser test.
SERVER_LOG_LINES = 60


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failed test that used the real server (``server``, tests/web/test_browser.py)
    shows the end of that server's log, every request included: a page that never loaded
    can then be told from a server that never answered."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    base = getattr(item, "funcargs", {}).get("server")
    if not report.failed or not isinstance(base, str) or ":" not in base:
        return
    from web.test_browser import server_log

    log = server_log(int(base.rsplit(":", 1)[1]))
    if log.exists():
        tail = log.read_text(errors="replace").splitlines()[-SERVER_LOG_LINES:]
        report.sections.append((f"server log ({log.name}, last lines)", "\n".join(tail)))


# ---------------------------------------------------------------- databases
def _pg_unavailable(reason: str) -> None:
    """Skip, or fail when running in CI, where PostgreSQL tests must run."""
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required in CI but cannot start: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL cannot start: {reason}")


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster for the session: its ``postgresql+psycopg://`` URL."""
    try:
        with throwaway_postgres() as url:
            yield url
    except PostgresUnavailable as error:
        _pg_unavailable(str(error))


def _migrated(url: str) -> None:
    """Migrate the database at ``url`` and close every connection to it."""
    from spasmwatch.store.db import make_engine, migrate

    engine = make_engine(url)
    try:
        migrate(engine)
        if url.startswith("sqlite"):
            with engine.connect() as conn:
                # Outside any transaction (the engine would begin one): straight on the driver.
                conn.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating each time is slower)."""
    from spasmwatch.store.db import sqlite_url

    folder = tmp_path_factory.mktemp("sqlite-template")
    _migrated(sqlite_url(folder))
    return folder / "spasmwatch.db"


@pytest.fixture(scope="session")
def _pg_template(pg_url: str) -> str:
    """The name of a migrated PostgreSQL database that each test's database is created from."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    name = "spasmwatch_template"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    _migrated(make_url(pg_url).set(database=name).render_as_string(hide_password=False))
    return name


def _new_database_url(kind: str, request: pytest.FixtureRequest, folder: Path) -> str:
    """A fresh, migrated database of ``kind``; PostgreSQL ones are dropped after the test."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.pool import NullPool

    from spasmwatch.store.db import sqlite_url

    if kind == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), folder / "spasmwatch.db")
        return sqlite_url(folder)
    if kind != "postgresql":
        raise ValueError(f"Invalid database kind: allowed are sqlite, postgresql; got {kind!r}")
    server = request.getfixturevalue("pg_url")
    template = request.getfixturevalue("_pg_template")
    name = f"t_{uuid.uuid4().hex}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    request.addfinalizer(drop)
    return make_url(server).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=DATABASE_KINDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database URL: SQLite in ``tmp_path``, then PostgreSQL."""
    return _new_database_url(request.param, request, tmp_path)


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> Iterator[Database]:
    """A migrated :class:`spasmwatch.store.Database` on ``database_url``."""
    database = Database(Settings(data_dir=tmp_path, database_url=database_url))
    yield database
    database.dispose()


@pytest.fixture
def database_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[str], Database]:
    """Make more migrated databases: ``database_factory("sqlite" | "postgresql")``."""
    made = 0

    def make(kind: str) -> Database:
        nonlocal made
        made += 1
        folder = tmp_path / f"{kind}-{made}"
        url = _new_database_url(kind, request, folder)
        database = Database(Settings(data_dir=folder, database_url=url))
        # Finalizers run last-in first-out: connections close before the database is dropped.
        request.addfinalizer(database.dispose)
        return database

    return make
