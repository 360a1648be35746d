"""Migration 0011: invitation links carry a single-use token. An invitation made before has
no link: its email gives the role no more, and it waits on the owner's list for a link;
going back to 0010 drops the links and what was used or withdrawn (real SQLite)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import inspect, text

from spasmwatch.store import make_engine, migrate
from store.schema import downgrade

NOW = datetime(2026, 12, 1, 9, 30)


def test_an_older_invitation_waits_for_a_link(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate(engine, "0010")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, display_name, password_hash, created_at) "
                "VALUES (1, 'owner@example.org', 'O', 'h', :now)"
            ),
            {"now": NOW},
        )
        conn.execute(
            text(
                "INSERT INTO children (id, name, age_months, age_recorded_on, conditions, "
                "development, created_at, diary_version) "
                "VALUES (1, 'Mia', 6, :day, '[]', 'unknown', :now, 0)"
            ),
            {"now": NOW, "day": NOW.date()},
        )
        conn.execute(
            text(
                "INSERT INTO invitations (id, child_id, email, role, invited_by, created_at) "
                "VALUES (1, 1, 'gran@example.org', 'caregiver', 1, :now)"
            ),
            {"now": NOW},
        )
    migrate(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("invitations")}
    assert {"token_hash", "expires_at", "used_at", "revoked_at"} <= columns
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT email, token_hash, expires_at, used_at, revoked_at FROM invitations")
        ).one()
    assert tuple(row) == ("gran@example.org", None, None, None, None)

    # Back to 0010: a used or withdrawn invitation does not come back as one waiting.
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO invitations (id, child_id, email, role, invited_by, created_at, "
                "token_hash, expires_at, used_at, revoked_at) VALUES "
                "(2, 1, 'a@example.org', 'viewer', 1, :now, :a, :now, :now, NULL), "
                "(3, 1, 'b@example.org', 'viewer', 1, :now, :b, :now, NULL, :now)"
            ),
            {"now": NOW, "a": "a" * 64, "b": "b" * 64},
        )
    downgrade(engine, "0010")
    assert "token_hash" not in {c["name"] for c in inspect(engine).get_columns("invitations")}
    with engine.connect() as conn:
        left = conn.execute(text("SELECT email FROM invitations")).scalars().all()
    assert left == ["gran@example.org"]
    engine.dispose()
