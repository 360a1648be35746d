"""A diary's version and its stored derived state (the ``diary_state`` table): what a
change to the diary makes stale, what is stored once computed, and the lock that makes
changes to one diary follow one another.

Part of the repository (:mod:`spasmwatch.store.repo`, which names them together); kept apart
because every writer of a diary (episodes, milestones) calls :func:`forget_state`, and the
derived state (:mod:`spasmwatch.diary.state`) reads and stores it on every page view and
every change: its statements are built once and run on the connection, below the ORM.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from spasmwatch.store.models import Child, DiaryState

__all__ = ["diary_state", "diary_version", "forget_state", "lock_child", "save_state"]


_CHILDREN, _STATES = Child.__table__, DiaryState.__table__
_NEXT_VERSION = (
    update(_CHILDREN)
    .where(_CHILDREN.c.id == bindparam("child_id"))
    .values(diary_version=_CHILDREN.c.diary_version + 1)
    .returning(_CHILDREN.c.diary_version)
)
_FORGET_STATE = delete(_STATES).where(_STATES.c.child_id == bindparam("child_id"))


def forget_state(s: Session, child_id: int) -> int:
    """The diary changed: its stored derived state (``diary_state``) no longer holds, and
    its version goes up by one (a state computed from an older one is not stored).
    Returns the new version, which the child's row in this session also shows."""
    # Only a row this session holds already (Session.get would read it from the database
    # first, its JSON documents parsed, just to drop it).
    row = s.identity_map.get(s.identity_key(DiaryState, child_id))
    if row is not None:
        s.expunge(row)
    s.flush()  # what the session has pending goes first, as before any query of its own
    # On the connection: the ORM's statement handling costs more than these statements.
    connection = s.connection()
    # The child's row first: on PostgreSQL this update holds it until the change commits,
    # so that changes to one diary follow one another from here (and only from here: what
    # came before, the checks and the episode's own row, runs alongside other changes);
    # the state's row second, as every writer of it takes them (no deadlock).
    version = int(connection.scalar(_NEXT_VERSION, {"child_id": child_id}) or 0)
    connection.execute(_FORGET_STATE, {"child_id": child_id})
    child = s.identity_map.get(s.identity_key(Child, child_id))
    if child is not None:
        # As loaded, not as a change of this session's own to write back.
        set_committed_value(child, "diary_version", version)
    return version


#: Built once: every page view runs it. Read fresh (``populate_existing``): another
#: transaction may have stored a newer state since this session last saw the row.
_DIARY_STATE = (
    select(DiaryState)
    .where(DiaryState.child_id == bindparam("child_id"))
    .execution_options(populate_existing=True)
)


def diary_state(s: Session, child_id: int) -> DiaryState | None:
    """The diary's stored derived state, if any (whether it still holds is the caller's
    question: :func:`spasmwatch.diary.state.stored`)."""
    return s.scalar(_DIARY_STATE, {"child_id": child_id})


_DIARY_VERSION = select(Child.diary_version).where(Child.id == bindparam("child_id"))


def diary_version(s: Session, child_id: int) -> int:
    """The diary's version now (one more with every change)."""
    return int(s.scalar(_DIARY_VERSION, {"child_id": child_id}) or 0)


def save_state(s: Session, child_id: int, **values: Any) -> None:
    """Store a diary's derived state (insert, or replace what another transaction stored
    meanwhile)."""
    statement = _save_state(s.get_bind().dialect.name, tuple(sorted(values)))
    # On the connection: the ORM's statement handling costs more than the insert itself.
    s.connection().execute(statement, {"child_id": child_id, **values})


@functools.cache
def _save_state(dialect: str, columns: tuple[str, ...]) -> Any:
    """The upsert of :func:`save_state` for these columns, built once per dialect."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement: Any = pg_insert(_STATES)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(_STATES)
    return statement.on_conflict_do_update(
        index_elements=["child_id"], set_={c: statement.excluded[c] for c in columns}
    )


_LOCK_CHILD = (
    select(Child.id).where(Child.id == bindparam("child_id")).with_for_update(key_share=True)
)


def lock_child(s: Session, child_id: int) -> None:
    """Hold the child's row until the transaction ends, so that changes to one diary (and
    the derived state computed from it) follow one another (PostgreSQL; a SQLite writer
    holds the whole database already). ``FOR NO KEY UPDATE``: it does not wait for the
    key-share locks that inserting an episode of the child takes, so two transactions
    that each logged an episode cannot deadlock here."""
    if s.get_bind().dialect.name == "sqlite":
        return  # SQLite has no row locks: the query would only read the id
    s.execute(_LOCK_CHILD, {"child_id": child_id})
