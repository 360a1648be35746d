"""Migration 0007 on SQLite and PostgreSQL: down to 0006 and up again; a diary state
stored before it (no days with spasm-like episodes) is computed again when read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import inspect, text

from spasmwatch.diary import care, children, episodes, state
from spasmwatch.diary.access import Principal
from spasmwatch.store import Database, repo
from store.schema import downgrade


def _to(db: Database, revision: str) -> None:
    downgrade(db.engine, revision)


def test_down_to_0006_and_up_again_recomputes_the_stored_state(db: Database) -> None:
    with db.transaction() as s:
        ann = Principal(user=repo.create_user(s, "ann@example.org", "Ann", "h"))
    child, _ = children.add(db, ann, "Mia", {"age_months": 6})
    now = datetime.now().replace(microsecond=0)
    moves = {"movements": ["head_nod"], "state": "just_woke", "count": 6}
    episodes.log(db, ann, child.id, {**moves, "started_at": now.isoformat()})
    care.add_treatment(db, ann, child.id, {"drug": "x", "start_date": now.date().isoformat()})
    _to(db, "0006")
    tables = set(inspect(db.engine).get_table_names())
    assert not tables & {"treatments", "milestones", "workup_items"}
    columns = {c["name"] for c in inspect(db.engine).get_columns("diary_state")}
    assert "spasm_days" not in columns
    with db.engine.begin() as conn:  # the state an earlier version stored stays
        assert conn.execute(text("select count(*) from diary_state")).scalar() == 1
    db.migrate()
    with db.reading() as s:
        assert state.stored(s, child.id) is None  # stored before: computed again
    assert state.read(db, child.id).spasm_days == (now.date(),)
    with db.reading() as s:
        assert state.stored(s, child.id) is not None
        assert care.care_summary(s, child.id).treatments == ()
