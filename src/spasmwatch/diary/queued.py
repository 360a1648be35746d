"""Episodes logged on a phone without a connection, sent later: stored once per key.

The browser makes a key for each episode it keeps (``static/offline.js``) and sends it with
the episode, again and again until an answer comes back. The key is stored with the
episode (``episodes.client_key``, unique), so a repeat, or two tabs sending at the same
moment, finds the episode stored the first time instead of storing a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from spasmwatch.diary import state
from spasmwatch.diary.access import Principal, child_for
from spasmwatch.diary.episodes import validated
from spasmwatch.errors import Conflict
from spasmwatch.store import Database, repo

__all__ = ["Sent", "earlier", "log_once"]


@dataclass(frozen=True)
class Sent:
    """The stored episode's id, and whether it was stored by an earlier send of the key."""

    episode_id: int
    replayed: bool


def earlier(db: Database, key: str, child_id: int) -> Sent | None:
    """The episode an earlier send of ``key`` stored for the child, if any (a key stored
    with another child's episode: :class:`~spasmwatch.errors.Conflict`)."""
    with db.reading() as s:
        row = repo.episode_by_client_key(s, key)
    if row is None:
        return None
    if row.child_id != child_id:
        raise Conflict("This key was sent with another child's episode")
    return Sent(row.id, replayed=True)


def log_once(
    db: Database,
    who: Principal,
    child_id: int,
    episode: dict[str, Any],
    key: str,
    now: datetime | None = None,
) -> Sent:
    """Log ``episode`` for the child unless an episode with ``key`` is stored already
    (``now``: the family's time, which its start may not be after; default the server's).

    Raises :class:`~spasmwatch.errors.InvalidCase` for an episode the case format refuses,
    :class:`~spasmwatch.errors.Conflict` for a key stored with another child's episode, and
    the access errors of :func:`~spasmwatch.diary.access.child_for`.
    """
    with db.reading() as s:
        child_for(s, who, child_id, "log")
    if (first := earlier(db, key, child_id)) is not None:
        return first
    try:
        with db.transaction() as s:
            child, _ = child_for(s, who, child_id, "log")
            row = repo.add_episode(s, child_id, validated(child, episode, now), who.user_id, key)
            repo.audit(
                s, "log_episode", child_id=child_id, user_id=who.user_id, detail=f"queued {row.id}"
            )
            state.refresh(s, child)
            return Sent(row.id, replayed=False)
    except IntegrityError:
        # Sent twice at the same moment: the other request stored it first.
        if (first := earlier(db, key, child_id)) is not None:
            return first
        raise
