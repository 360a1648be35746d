"""Engines and transactions: SQLite (WAL, foreign keys) by default, PostgreSQL by URL."""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from spasmwatch.config import Settings
from spasmwatch.sensitivity import SENSITIVITIES

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = ["Database", "make_engine", "migrate", "sqlite_path", "sqlite_url"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def sqlite_path(data_dir: Path) -> Path:
    """The file of the default SQLite database in ``data_dir``."""
    return data_dir / "spasmwatch.db"


def sqlite_url(data_dir: Path) -> str:
    """The URL of the default SQLite database in ``data_dir``."""
    return f"sqlite:///{sqlite_path(data_dir)}"


#: Connections an engine keeps open (uvicorn runs up to 40 requests at a time in threads).
POOL_SIZE = 20
#: How long a SQLite transaction waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin) instead of the driver's own.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # BEGIN IMMEDIATE takes the write lock at the start, waiting up to busy_timeout. A
    # deferred transaction that reads and then writes cannot wait: SQLite refuses it at
    # once ("database is locked") when another connection wrote in between. Read-only
    # transactions (Database.reading) begin deferred: in WAL mode they never wait.
    mode = connection.get_execution_options().get("sqlite_begin", "IMMEDIATE")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(url: str) -> Engine:
    """An engine for ``url``.

    SQLite connections get WAL mode, foreign keys, a 30 s busy timeout and transactions
    that take the write lock when they begin, so that concurrent writers queue up instead
    of failing.
    """
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            # Enough kept connections for the web server's threads: one made anew for each
            # request (the default's overflow) costs its pragmas every time.
            pool_size=POOL_SIZE,
            max_overflow=POOL_SIZE,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE // 2, max_overflow=POOL_SIZE)


def migration_config() -> Config:
    """The Alembic configuration of the migrations shipped in the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for Alembic to change the schema on.

    On SQLite, foreign keys are off while it runs: a migration that changes a column
    SQLite cannot alter in place copies the table and drops the old one, and with foreign
    keys on, that drop deletes every row referring to it (a user's children, their
    episodes...). Before the transaction commits, every reference is checked; a broken
    one rolls the migration back. The pragma only takes effect outside a transaction; the
    connection gets back the setting it had."""
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        driver = connection.connection.driver_connection if sqlite else None
        if driver is not None:
            (foreign_keys,) = driver.execute("PRAGMA foreign_keys").fetchone()
            driver.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                if driver is not None:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        table, row, parent, _ = broken[0]
                        raise RuntimeError(
                            f"The migration left {len(broken)} row(s) referring to rows "
                            f"that are not there (first: {table} row {row} -> {parent}); "
                            "nothing was changed"
                        )
        finally:
            if driver is not None:
                driver.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (by default up to date) with the Alembic
    migrations shipped in the package."""
    from alembic import command

    config = migration_config()
    with migration_connection(engine) as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


#: Temporary files and folders older than this are left from a process that stopped.
STALE_TEMPORARY_S = 24 * 3600


def make_private(folder: Path) -> None:
    """Folders 0700 and files 0600 under ``folder`` (it included)."""
    for root, dirs, files in os.walk(folder):
        for name, mode in [(root, 0o700)] + [(os.path.join(root, f), 0o600) for f in files]:
            try:
                if os.lstat(name).st_mode & 0o777 != mode and not os.path.islink(name):
                    os.chmod(name, mode)
            except OSError:
                continue  # gone meanwhile, or not ours: left as it is
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(root, d))]


def remove_stale_temporaries(database: Database) -> None:
    """Remove what an interrupted upload, restore or analysis left behind (a day old)."""
    now = time.time()
    candidates = [*database.temp_dir.iterdir(), *database.attachments_dir.glob(".upload-*")]
    candidates += database.attachments_dir.glob(".restore-*")
    for path in candidates:
        try:
            if now - path.lstat().st_mtime < STALE_TEMPORARY_S:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            continue


class _SqliteWriters:
    """The queue of SQLite writers: the threads of this process take turns on a lock, and
    the processes sharing the database (web processes, workers) on a file lock beside it,
    so that a writer waits its turn instead of polling for SQLite's write lock.

    Reentrant within a thread, so that a nested transaction fails as SQLite would (after
    its busy timeout), not by a deadlock here.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._threads = threading.RLock()
        self._depth = 0
        self._file: Any = None

    def __enter__(self) -> None:
        self._threads.acquire()
        self._depth += 1
        if self._depth == 1:
            try:
                import fcntl

                if self._file is None:
                    self._file = open(self.path, "a+b")
                fcntl.flock(self._file.fileno(), fcntl.LOCK_EX)
            except (ImportError, OSError):
                pass  # no file locks here: SQLite's own wait still keeps writes apart

    def __exit__(self, *exc: object) -> None:
        try:
            if self._depth == 1 and self._file is not None:
                try:
                    import fcntl

                    fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
                except (ImportError, OSError):
                    pass
        finally:
            self._depth -= 1
            self._threads.release()


class Database:
    """The database and the attachment store of one spasmwatch installation.

    Parameters
    ----------
    settings
        Where the data directory is and which database URL to use.
    tidy
        Make the data directory private and remove what interrupted processes left (the
        server and the CLI do; an analysis process started by a worker need not).
    """

    def __init__(self, settings: Settings, *, tidy: bool = True) -> None:
        self.settings = settings
        self.data_dir = settings.data_dir
        # Everything under the data directory is the family's alone: files this process
        # makes from now on are 0600 and folders 0700 (the database, its WAL, uploads,
        # contact sheets, clips), and what an older version left open is closed.
        os.umask(0o077)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.attachments_dir = self.data_dir / "attachments"
        self.attachments_dir.mkdir(exist_ok=True)
        self.temp_dir = self.data_dir / "tmp"
        self.temp_dir.mkdir(exist_ok=True)
        if tidy:
            make_private(self.data_dir)
            remove_stale_temporaries(self)
        self.url = settings.database_url or sqlite_url(self.data_dir)
        self.engine = make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # One writer at a time per process on SQLite (which takes one at a time anyway);
        # reentrant so that a nested transaction fails as SQLite would, not by deadlock.
        self._writers: contextlib.AbstractContextManager[Any] = (
            _SqliteWriters(self.data_dir / ".writers.lock")
            if self.url.startswith("sqlite")
            else contextlib.nullcontext()
        )

    def analysis_dir(self, sha256: str, sensitivity: str = "normal") -> Path:
        """Where the outputs (images, clips) of the analysis of the file with this content
        hash at this detector sensitivity are kept. The same content analysed at the same
        sensitivity gives the same outputs, so attachments with equal content share them;
        another sensitivity gets its own folder."""
        if not (sha256.isalnum() and sensitivity.isalpha()):
            raise ValueError(f"Invalid analysis key {sha256!r} / {sensitivity!r}")
        name = sha256 if sensitivity == "normal" else f"{sha256}-{sensitivity}"
        return self.data_dir / "analyses" / name

    def remove_unreferenced(self, hashes: Iterable[str]) -> int:
        """Remove the stored files with these content hashes, and their analysis outputs,
        that no attachment refers to any more; returns how many files were removed."""
        from sqlalchemy import select

        from spasmwatch.store.files import stored_path
        from spasmwatch.store.models import Attachment

        removed = 0
        for sha in sorted(set(hashes)):
            with self.reading() as s:
                if s.scalar(select(Attachment.id).where(Attachment.sha256 == sha).limit(1)):
                    continue  # another attachment has the same content
            try:
                path = stored_path(self.attachments_dir, sha)
            except ValueError:
                continue
            if path.is_file():
                path.unlink()
                removed += 1
            for sensitivity in SENSITIVITIES:
                folder = self.analysis_dir(sha, sensitivity)
                # with what a stopped run left beside it (``attachments.analyse_attachment``)
                for leftover in (folder, *folder.parent.glob(f".{folder.name}.*")):
                    shutil.rmtree(leftover, ignore_errors=True)
        return removed

    def migrate(self) -> None:
        """Create or upgrade the schema."""
        migrate(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        On SQLite the writers queue on a lock first (:class:`_SqliteWriters`): SQLite's own
        wait for its write lock polls with growing sleeps, so under load some writers waited
        many times longer than others (logging p95 over a second for a median of 50 ms).
        """
        with self._writers, self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reading: on SQLite it takes no write lock at the start (WAL readers
        never wait for writers). Objects stay usable after it ends."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(sqlite_begin="DEFERRED")
            with Session(bind=conn, expire_on_commit=False) as session, session.begin():
                yield session

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
