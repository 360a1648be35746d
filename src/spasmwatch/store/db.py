"""Engines and transactions: SQLite (WAL, foreign keys) by default, PostgreSQL by URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from spasmwatch.config import Settings

__all__ = ["Database", "make_engine", "migrate", "sqlite_url"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def sqlite_url(data_dir: Path) -> str:
    """The URL of the default SQLite database in ``data_dir``."""
    return f"sqlite:///{data_dir / 'spasmwatch.db'}"


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
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema up to date with the Alembic migrations shipped in the package."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Database:
    """The database and the attachment store of one spasmwatch installation.

    Parameters
    ----------
    settings
        Where the data directory is and which database URL to use.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.data_dir = settings.data_dir
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.attachments_dir = self.data_dir / "attachments"
        self.attachments_dir.mkdir(exist_ok=True)
        self.url = settings.database_url or sqlite_url(self.data_dir)
        self.engine = make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def analysis_dir(self, sha256: str, sensitivity: str = "normal") -> Path:
        """Where the outputs (images, clips) of the analysis of the file with this content
        hash at this detector sensitivity are kept. The same content analysed at the same
        sensitivity gives the same outputs, so attachments with equal content share them;
        another sensitivity gets its own folder."""
        if not (sha256.isalnum() and sensitivity.isalpha()):
            raise ValueError(f"Invalid analysis key {sha256!r} / {sensitivity!r}")
        name = sha256 if sensitivity == "normal" else f"{sha256}-{sensitivity}"
        return self.data_dir / "analyses" / name

    def migrate(self) -> None:
        """Create or upgrade the schema."""
        migrate(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self._sessions() as session, session.begin():
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
