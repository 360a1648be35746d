"""Ids are never given twice (migration 0010): a deleted child's id, named in an address, a
command or the audit log, never comes to mean another child. On real SQLite (fresh and
upgraded from revision 0009) and real PostgreSQL."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from spasmwatch.store import Database, make_engine, migrate, repo
from spasmwatch.store.db import sqlite_url
from spasmwatch.store.models import Base

NOW = datetime(2026, 12, 1, 9, 30)

#: The tables whose ids are never given twice: those the models give AUTOINCREMENT.
KEPT = sorted(
    name
    for name, table in Base.metadata.tables.items()
    if table.dialect_options["sqlite"]["autoincrement"]
)


def test_the_tables_whose_ids_leave_the_row_keep_them() -> None:
    # Addresses, CLI arguments and the audit log name these tables' ids.
    assert set(KEPT) == {
        "api_tokens",
        "attachments",
        "children",
        "episodes",
        "invitations",
        "jobs",
        "milestones",
        "share_links",
        "treatments",
        "users",
    }


def _values(table: str, n: int, parents: dict[str, int]) -> dict[str, Any]:
    """The columns of a new row ``n`` of ``table`` that refers to ``parents``."""
    child, user = parents.get("children"), parents.get("users")
    values: dict[str, dict[str, Any]] = {
        "users": {
            "email": f"u{n}@example.org",
            "display_name": f"U{n}",
            "password_hash": "h",
            "created_at": NOW,
        },
        "children": {
            "name": f"C{n}",
            "age_months": 4.0,
            "age_recorded_on": NOW.date(),
            "conditions": [],
            "development": "unknown",
            "created_at": NOW,
        },
        "episodes": {
            "child_id": child,
            "data": {"count": n},
            "logged_by": user,
            "logged_at": NOW,
            "updated_at": NOW,
        },
        "attachments": {
            "child_id": child,
            "episode_id": parents.get("episodes"),
            "kind": "video",
            "filename": f"{n}.mp4",
            "content_type": "video/mp4",
            "size_bytes": n,
            "sha256": f"{n:064x}",
            "uploaded_by": user,
            "uploaded_at": NOW,
        },
        "jobs": {
            "attachment_id": parents.get("attachments"),
            "sensitivity": "normal",
            "status": "done",
            "created_at": NOW,
        },
        "share_links": {
            "child_id": child,
            "token_hash": f"s{n:063x}",
            "created_by": user,
            "created_at": NOW,
            "expires_at": NOW,
        },
        "api_tokens": {
            "user_id": user,
            "token_hash": f"a{n:063x}",
            "scope": "read",
            "created_at": NOW,
            "expires_at": NOW,
        },
        "invitations": {
            "child_id": child,
            "email": f"i{n}@example.org",
            "role": "viewer",
            "invited_by": user,
            "created_at": NOW,
        },
        "treatments": {
            "child_id": child,
            "drug": "ACTH",
            "route": "im",
            "start_date": NOW.date(),
            "recorded_by": user,
            "recorded_at": NOW,
        },
        "milestones": {
            "child_id": child,
            "skill": "smile",
            "status": "can",
            "on_date": NOW.date(),
            "recorded_by": user,
            "recorded_at": NOW,
        },
    }
    return values[table]


def _add(s: Any, table: str, n: int, parents: dict[str, int]) -> int:
    """Insert row ``n`` of ``table``; its id."""
    insert = Base.metadata.tables[table].insert().values(**_values(table, n, parents))
    return int(s.execute(insert).inserted_primary_key[0])


def _delete(s: Any, table: str, row_id: int) -> None:
    t = Base.metadata.tables[table]
    s.execute(t.delete().where(t.c.id == row_id))


def test_a_deleted_id_is_never_given_again(db: Database) -> None:
    with db.transaction() as s:
        parents: dict[str, int] = {}
        for n, table in enumerate(("users", "children", "episodes", "attachments"), 1):
            parents[table] = _add(s, table, n, parents)
    for n, table in enumerate(KEPT, 10):
        with db.transaction() as s:
            newest = _add(s, table, n, parents)
            _delete(s, table, newest)
        with db.transaction() as s:
            assert _add(s, table, n + 100, parents) > newest, table


def test_a_new_family_never_gets_the_ids_of_a_deleted_one(db: Database) -> None:
    # The last account and child deleted: a command written for the old child
    # (``spasmwatch export csv 1``) must not reach the next family's child.
    from spasmwatch.diary import accounts, children
    from spasmwatch.diary.access import Principal

    def family(email: str) -> tuple[Principal, int]:
        with db.transaction() as s:
            user = repo.create_user(s, email, "P", "h")
        child, _ = children.add(db, Principal(user=user), "Mia", {"age_months": 5.0})
        return Principal(user=user), child.id

    first, child_id = family("first@example.org")
    children.delete(db, first, child_id)
    accounts.delete_account(db, first.user_id)
    with db.reading() as s:
        assert s.scalar(text("SELECT count(*) FROM children")) == 0
        assert s.scalar(text("SELECT count(*) FROM users")) == 0
    second, new_child_id = family("second@example.org")
    assert second.user_id > first.user_id and new_child_id > child_id


def test_postgresql_and_sqlite_say_so_in_the_schema(db: Database) -> None:
    with db.engine.connect() as conn:
        for table in KEPT:
            if db.engine.dialect.name == "sqlite":
                sql = conn.execute(
                    text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"),
                    {"t": table},
                ).scalar()
                assert "PRIMARY KEY AUTOINCREMENT" in sql, table
            else:
                sequence = conn.execute(
                    text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table}
                ).scalar()
                assert sequence, table


# ---------------------------------------------------------------- SQLite's schema
def _schema(conn: sa.Connection) -> dict[str, Any]:
    """Everything SQLite knows of each table: its columns, indexes, foreign keys, whether
    it uses AUTOINCREMENT, its triggers; and the views."""
    pragma = conn.exec_driver_sql
    schema: dict[str, Any] = {}
    tables = pragma(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
        "AND name NOT IN ('alembic_version', 'sqlite_sequence')"
    ).all()
    for name, sql in tables:
        indexes = {
            row[1]: (row[2], row[3], [c[2] for c in pragma(f"PRAGMA index_info('{row[1]}')")])
            for row in pragma(f"PRAGMA index_list('{name}')")
        }
        schema[name] = {
            "columns": sorted(tuple(row[1:]) for row in pragma(f"PRAGMA table_info('{name}')")),
            "indexes": indexes,
            "foreign_keys": sorted(
                tuple(row[2:]) for row in pragma(f"PRAGMA foreign_key_list('{name}')")
            ),
            "autoincrement": "AUTOINCREMENT" in sql,
        }
    others = pragma(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('view', 'trigger')"
    )
    schema["views and triggers"] = sorted(others.all())
    return schema


def _rows(conn: sa.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, as stored."""
    names = conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'"
    ).scalars()
    return {n: conn.exec_driver_sql(f'SELECT * FROM "{n}" ORDER BY 1').all() for n in names}


def _sequences(conn: sa.Connection) -> dict[str, int]:
    return dict(conn.exec_driver_sql("SELECT name, seq FROM sqlite_sequence").all())


def test_a_migrated_sqlite_schema_is_the_models_schema(tmp_path: Path) -> None:
    (tmp_path / "migrated").mkdir()
    (tmp_path / "models").mkdir()
    migrated = make_engine(sqlite_url(tmp_path / "migrated"))
    models = make_engine(sqlite_url(tmp_path / "models"))
    try:
        migrate(migrated)
        Base.metadata.create_all(models)
        with migrated.connect() as a, models.connect() as b:
            assert _schema(a) == _schema(b)
    finally:
        migrated.dispose()
        models.dispose()


def _old_database(engine: sa.Engine) -> None:
    """A database at revision 0009 (before AUTOINCREMENT) with a family whose newest
    rows were deleted, a child deleted before (named in the audit log), and a view and a
    trigger of the installation's own."""
    migrate(engine, "0009")
    with engine.begin() as conn:
        tables = {
            name: sa.Table(name, sa.MetaData(), autoload_with=conn)
            for name in ("memberships", "sessions", "audit_log", "workup_items")
        }
        parents: dict[str, int] = {}
        for table in ("users", "children", "episodes", "attachments"):
            parents[table] = _add(conn, table, 1, parents)
        for table in KEPT:
            kept = _add(conn, table, 2, parents)
            newest = _add(conn, table, 3, parents)
            _delete(conn, table, newest)
            assert newest == kept + 1
        conn.execute(tables["memberships"].insert().values(child_id=1, user_id=1, role="owner"))
        conn.execute(
            tables["sessions"]
            .insert()
            .values(token_hash="t", user_id=1, csrf_token="c", created_at=NOW, expires_at=NOW)
        )
        conn.execute(
            tables["workup_items"]
            .insert()
            .values(child_id=1, test="mri", status="done", result="", recorded_at=NOW)
        )
        audit = tables["audit_log"].insert()
        conn.execute(audit.values(at=NOW, action="delete_child", detail="child 9"))
        conn.execute(audit.values(at=NOW, action="delete_account", detail="user 7"))
        conn.execute(
            audit.values(at=NOW, action="view", user_id=1, child_id=1, share_link_id=1, detail="")
        )
        conn.exec_driver_sql(
            "CREATE VIEW episode_counts AS SELECT child_id, count(*) AS n FROM episodes "
            "GROUP BY child_id"
        )
        conn.exec_driver_sql(
            "CREATE TRIGGER children_renamed AFTER UPDATE OF name ON children BEGIN "
            "INSERT INTO audit_log (at, action, child_id, detail) "
            "VALUES (CURRENT_TIMESTAMP, 'renamed', NEW.id, NEW.name); END"
        )


def test_an_upgraded_sqlite_database_keeps_every_row_and_never_reuses_an_id(
    tmp_path: Path,
) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    try:
        _old_database(engine)
        with engine.connect() as conn:
            rows_before = _rows(conn)
            schema_before = _schema(conn)
        migrate(engine, "0010")
        with engine.connect() as conn:
            after = _rows(conn)
            assert after.pop("alembic_version") == [("0010",)]
            assert after == {k: v for k, v in rows_before.items() if k != "alembic_version"}
            schema_after = _schema(conn)
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            sequences = _sequences(conn)
        # Nothing but AUTOINCREMENT changed: columns, indexes, foreign keys, the view and
        # the trigger are as they were.
        for table, before in schema_before.items():
            if table in KEPT:
                assert schema_after[table] == {**before, "autoincrement": True}, table
            else:
                assert schema_after[table] == before, table
        # Each sequence starts at the highest id kept, or at a deleted one the audit log
        # names; the ids of the rows deleted before the upgrade SQLite no longer knows.
        highest = {t: max(row[0] for row in rows_before[t]) for t in KEPT}
        assert highest["users"] < 7 and highest["children"] < 9
        expected = highest | {"children": 9, "users": 7}
        assert sequences == expected
        with engine.begin() as conn:
            parents = {"users": 1, "children": 1, "episodes": 1, "attachments": 1}
            new = {table: _add(conn, table, 4, parents) for table in KEPT}
            assert new == {table: expected[table] + 1 for table in KEPT}
            conn.exec_driver_sql("DELETE FROM users WHERE id = 8")
            conn.exec_driver_sql("DELETE FROM children WHERE id = 10")
            # the view and the trigger still work
            conn.exec_driver_sql("UPDATE children SET name = 'Zoe' WHERE id = 1")
            renamed = conn.exec_driver_sql(
                "SELECT child_id, detail FROM audit_log WHERE action = 'renamed'"
            ).all()
            assert renamed == [(1, "Zoe")]
            counts = conn.exec_driver_sql("SELECT child_id, n FROM episode_counts").all()
            assert counts == [(1, 3)]
        with engine.begin() as conn:
            assert _add(conn, "users", 5, parents) == 9  # never 8 again
            assert _add(conn, "children", 5, parents) == 11
    finally:
        engine.dispose()


def test_a_downgrade_keeps_every_row(tmp_path: Path) -> None:
    from store.schema import downgrade

    engine = make_engine(sqlite_url(tmp_path))
    try:
        _old_database(engine)
        migrate(engine, "0010")
        with engine.connect() as conn:
            before = _rows(conn)
        downgrade(engine, "0009")
        with engine.connect() as conn:
            after = _rows(conn)
            assert after.pop("alembic_version") == [("0009",)]
            assert after == {k: v for k, v in before.items() if k != "alembic_version"}
            assert not any(_schema(conn)[t]["autoincrement"] for t in KEPT)
    finally:
        engine.dispose()


# The upgrade stopped after the first tables were copied: by an error, or by the process
# being killed (a power cut, kill -9).
INTERRUPTED = """
import os, sys
from sqlalchemy import event
from spasmwatch.store.db import make_engine, migrate

engine = make_engine(sys.argv[1])

@event.listens_for(engine, "before_cursor_execute")
def stop(conn, cursor, statement, parameters, context, executemany):
    if statement.strip().startswith("DROP TABLE jobs"):
        if sys.argv[2] == "kill":
            os._exit(3)
        raise RuntimeError("stopped halfway")

migrate(engine, "0010")
"""


@pytest.mark.parametrize("how", ["error", "kill"])
def test_an_upgrade_stopped_halfway_leaves_the_old_database(tmp_path: Path, how: str) -> None:
    url = sqlite_url(tmp_path)
    engine = make_engine(url)
    try:
        _old_database(engine)
        with engine.connect() as conn:
            rows_before, schema_before = _rows(conn), _schema(conn)
        engine.dispose()
        stopped = subprocess.run(
            [sys.executable, "-c", INTERRUPTED, url, how], capture_output=True, text=True
        )
        assert stopped.returncode != 0
        if how == "error":
            assert "stopped halfway" in stopped.stderr
        else:
            assert stopped.returncode == 3
        with engine.connect() as conn:
            assert _rows(conn) == rows_before  # the revision (0009) included
            assert _schema(conn) == schema_before  # no AUTOINCREMENT, no half-copied table
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        migrate(engine, "0010")  # and the next start upgrades it
        with engine.connect() as conn:
            assert _rows(conn)["alembic_version"] == [("0010",)]
            assert _schema(conn)["children"]["autoincrement"]
    finally:
        engine.dispose()
