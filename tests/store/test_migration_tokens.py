"""Migration 0003: the one never-expiring token a user could have becomes a write token that
expires; nothing else changes. Migration 0009 then drops the emptied column."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import inspect, text

from spasmwatch.store.db import make_engine, migrate


def test_an_old_token_becomes_an_expiring_write_token(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate(engine, "0002")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, display_name, password_hash, api_token_hash, "
                "created_at) VALUES (1, 'a@example.org', 'A', 'h', :t, :now), "
                "(2, 'b@example.org', 'B', 'h', NULL, :now)"
            ),
            {"t": "f" * 64, "now": datetime(2026, 11, 1)},
        )
    migrate(engine, "0008")
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT user_id, token_hash, scope, expires_at FROM api_tokens"))
        ((user_id, token_hash, scope, expires_at),) = rows.all()
        left = conn.execute(text("SELECT count(*) FROM users WHERE api_token_hash IS NOT NULL"))
        assert left.scalar() == 0
    # 0009: the emptied column goes; the users and their tokens stay.
    migrate(engine)
    assert "api_token_hash" not in {c["name"] for c in inspect(engine).get_columns("users")}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM users")).scalar() == 2
        assert conn.execute(text("SELECT count(*) FROM api_tokens")).scalar() == 1
    assert (user_id, token_hash, scope) == (1, "f" * 64, "write")
    expires = datetime.fromisoformat(str(expires_at))
    assert abs(expires - (datetime.now() + timedelta(days=90))) < timedelta(minutes=5)
    engine.dispose()
