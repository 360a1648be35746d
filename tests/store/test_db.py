"""Engines, migrations and transactions on real SQLite and real PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import inspect, text

from spasmwatch.config import Settings
from spasmwatch.store import Database, make_engine, migrate
from spasmwatch.store.db import sqlite_url
from spasmwatch.store.models import Base

MIGRATIONS = Path(__file__).resolve().parents[2] / "src/spasmwatch/store/migrations/versions"


def head_revision() -> str:
    """The newest migration's revision id."""
    revisions = sorted(p.name.split("_", 1)[0] for p in MIGRATIONS.glob("[0-9]*_*.py"))
    return revisions[-1]


def test_migrations_apply_twice_and_create_every_table(db: Database) -> None:
    db.migrate()
    migrate(db.engine)
    names = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= names
    with db.engine.connect() as conn:
        versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert versions == [head_revision()]


def test_schema_matches_the_models(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    database = Database(Settings(data_dir=tmp_path))
    try:
        assert database.url == sqlite_url(tmp_path)
        database.migrate()
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        database.dispose()
    assert (tmp_path / "spasmwatch.db").is_file()
    assert (tmp_path / "attachments").is_dir()
    # WAL mode is recorded in the file itself: a plain connection sees it too.
    with sqlite3.connect(tmp_path / "spasmwatch.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_every_new_connection_gets_the_pragmas(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    try:
        for _ in range(3):
            with engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            engine.dispose()
    finally:
        engine.dispose()


def _add_session(conn: sa.Connection, user_id: int) -> None:
    """A signed-in browser of ``user_id``, written with plain SQL (any schema revision)."""
    conn.execute(
        text(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) "
            "VALUES ('t', :user_id, 'c', :now, :now)"
        ),
        {"user_id": user_id, "now": datetime(2026, 11, 1)},
    )


def test_a_sqlite_migration_keeps_the_rows_that_refer_to_a_copied_table(tmp_path: Path) -> None:
    # A column SQLite cannot drop in place (0009: the UNIQUE users.api_token_hash) is
    # dropped by copying the table; with foreign keys on, dropping the old table would
    # delete every session, child link and token of every user.
    from store.schema import downgrade

    engine = make_engine(sqlite_url(tmp_path))
    try:
        migrate(engine)
        downgrade(engine, "0008")
        now = datetime(2026, 11, 1)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, display_name, password_hash, created_at) "
                    "VALUES (1, 'a@example.org', 'A', 'h', :now)"
                ),
                {"now": now},
            )
            _add_session(conn, user_id=1)
        migrate(engine)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM sessions")).scalar() == 1
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_a_sqlite_migration_that_breaks_a_reference_changes_nothing(tmp_path: Path) -> None:
    from spasmwatch.store.db import migration_connection

    engine = make_engine(sqlite_url(tmp_path))
    try:
        migrate(engine)
        broken = pytest.raises(RuntimeError, match=r"1 row\(s\) referring to rows that are not")
        with broken, migration_connection(engine) as conn:
            _add_session(conn, user_id=42)  # no such user
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM sessions")).scalar() == 0
            # the connection goes back to the pool with foreign keys on again
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()


def test_a_migration_gives_a_connection_back_its_foreign_key_setting(tmp_path: Path) -> None:
    # An engine not made by make_engine (SQLite's default: foreign keys off) keeps it.
    engine = sa.create_engine(sqlite_url(tmp_path))
    try:
        migrate(engine)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
    finally:
        engine.dispose()


def test_transaction_commits_or_rolls_back(db: Database) -> None:
    from spasmwatch.store import repo

    with db.transaction() as s:
        repo.create_user(s, "kept@example.org", "Kept", "h")
    with pytest.raises(ValueError, match="boom"), db.transaction() as s:
        repo.create_user(s, "lost@example.org", "Lost", "h")
        raise ValueError("boom")
    with db.transaction() as s:
        assert repo.user_by_email(s, "kept@example.org") is not None
        assert repo.user_by_email(s, "lost@example.org") is None


def test_database_url_fixture_gives_separate_databases(
    database_url: str, database_factory: object
) -> None:
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    other = database_factory(kind)  # type: ignore[operator]
    assert other.url != database_url
    from spasmwatch.store import repo

    with other.transaction() as s:
        repo.create_user(s, "only-here@example.org", "X", "h")
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM users")).scalar() == 0
    finally:
        engine.dispose()


def test_upgrade_from_the_first_schema_keeps_the_rows(db: Database) -> None:
    from spasmwatch.store import repo
    from store.schema import downgrade

    downgrade(db.engine, "0001")
    # Rows as the first schema had them (its own columns only: the models have more now).
    now = datetime.now()
    with db.engine.begin() as conn:
        tables = {
            name: sa.Table(name, sa.MetaData(), autoload_with=conn)
            for name in ("users", "children", "attachments")
        }
        user_id = conn.execute(
            tables["users"]
            .insert()
            .values(email="p@example.org", display_name="P", password_hash="h", created_at=now)
        ).inserted_primary_key[0]
        child_id = conn.execute(
            tables["children"]
            .insert()
            .values(
                name="Mia",
                age_months=4.0,
                age_recorded_on=now.date(),
                conditions=[],
                development="unknown",
                created_at=now,
            )
        ).inserted_primary_key[0]
        conn.execute(
            tables["attachments"]
            .insert()
            .values(
                child_id=child_id,
                kind="video",
                filename="a.mp4",
                content_type="video/mp4",
                size_bytes=10,
                sha256="c" * 64,
                uploaded_by=user_id,
                uploaded_at=now,
            )
        )
    db.migrate()
    with db.transaction() as s:
        (attachment,) = repo.attachments_for(s, child_id)
        assert attachment.filename == "a.mp4" and attachment.size_bytes == 10
        attachment.size_bytes = 5_000_000_000
    with db.transaction() as s:
        assert repo.attachments_for(s, child_id)[0].size_bytes == 5_000_000_000
