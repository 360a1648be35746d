"""The queries of a child's episodes, and the child and its episodes as a case-format
document.

Part of the repository (:mod:`spasmwatch.store.repo`, which names them together); kept apart
by subject. Every change to an episode marks the diary's derived state stale
(:func:`~spasmwatch.store.diary_state.forget_state`); the reads the derived state and every
page view make are built once, with bound parameters, and the whole diary's are read
without loading rows as objects.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Text, bindparam, cast, func, select
from sqlalchemy.orm import Session

from spasmwatch.store.clock import now
from spasmwatch.store.diary_state import forget_state
from spasmwatch.store.models import Attachment, Child, EpisodeRow

__all__ = [
    "add_episode",
    "case_dict",
    "child_document",
    "delete_episode",
    "episode_by_client_key",
    "episode_documents",
    "episode_texts",
    "episodes_for",
    "get_episode",
    "recent_episodes",
    "update_episode",
]


def add_episode(
    s: Session,
    child_id: int,
    data: dict[str, Any],
    user_id: int | None,
    client_key: str | None = None,
) -> EpisodeRow:
    """Store an episode (already validated against the case format); ``client_key`` is the
    key of an episode sent from the browser's queue (unique: see
    :func:`episode_by_client_key`)."""
    row = EpisodeRow(
        child_id=child_id,
        data=data,
        started_at=_started(data),
        logged_by=user_id,
        logged_at=now(),
        updated_at=now(),
        client_key=client_key,
    )
    s.add(row)
    s.flush()
    forget_state(s, child_id)
    return row


def episode_by_client_key(s: Session, client_key: str) -> EpisodeRow | None:
    """The episode stored with this client key, if any."""
    return s.scalars(select(EpisodeRow).where(EpisodeRow.client_key == client_key)).first()


def update_episode(s: Session, row: EpisodeRow, data: dict[str, Any]) -> EpisodeRow:
    """Replace an episode's data."""
    row.data = data
    row.started_at = _started(data)
    row.updated_at = now()
    s.flush()
    forget_state(s, row.child_id)
    return row


def _started(data: dict[str, Any]) -> datetime | None:
    value = data.get("started_at")
    if not value:
        return None
    # The diary orders and counts by the family's wall clock: a time sent with its zone
    # (a caller's own, "07:05+09:00") is the family's 07:05, not the server's hour then.
    return datetime.fromisoformat(value).replace(tzinfo=None)


def get_episode(
    s: Session, child_id: int, episode_id: int, for_update: bool = False
) -> EpisodeRow | None:
    """The child's episode with this id (None if it belongs to another child);
    ``for_update`` locks its row until the transaction ends (PostgreSQL; SQLite's writers
    hold the whole database), so that what was read is what is replaced."""
    query = select(EpisodeRow).where(EpisodeRow.id == episode_id, EpisodeRow.child_id == child_id)
    return s.scalar(query.with_for_update() if for_update else query)


def delete_episode(s: Session, row: EpisodeRow) -> list[str]:
    """Delete an episode and the files attached to it; returns their content hashes (for
    :meth:`~spasmwatch.store.Database.remove_unreferenced` once committed)."""
    files = list(s.scalars(select(Attachment).where(Attachment.episode_id == row.id)))
    for attachment in files:
        s.delete(attachment)
    s.delete(row)
    s.flush()
    forget_state(s, row.child_id)
    return [a.sha256 for a in files]


#: When an episode happened, for ordering: its start, or when it was logged if untimed.
_EPISODE_TIME = func.coalesce(EpisodeRow.started_at, EpisodeRow.logged_at)
_EPISODE_TEXTS = (
    select(cast(EpisodeRow.data, Text))
    .where(EpisodeRow.child_id == bindparam("child_id"))
    .order_by(_EPISODE_TIME, EpisodeRow.id)
)
_RECENT_EPISODES = (
    select(EpisodeRow)
    .where(EpisodeRow.child_id == bindparam("child_id"))
    .order_by(_EPISODE_TIME.desc(), EpisodeRow.id.desc())
)
_RECENT_EPISODES_LIMITED = _RECENT_EPISODES.limit(bindparam("limit"))


def episodes_for(s: Session, child_id: int) -> list[EpisodeRow]:
    """The child's episodes, oldest first (untimed ones by when they were logged)."""
    return list(
        s.scalars(
            select(EpisodeRow)
            .where(EpisodeRow.child_id == child_id)
            .order_by(_EPISODE_TIME, EpisodeRow.id)
        )
    )


def episode_documents(s: Session, child_id: int) -> list[dict[str, Any]]:
    """The child's episodes as case-format documents, oldest first (as
    :func:`episodes_for`, without loading the rows as objects: the derived state reads
    the whole diary on every change)."""
    rows = s.execute(
        select(EpisodeRow.data)
        .where(EpisodeRow.child_id == child_id)
        .order_by(_EPISODE_TIME, EpisodeRow.id)
    )
    return [dict(data) for (data,) in rows]


def episode_texts(s: Session, child_id: int) -> list[str]:
    """The child's episodes as stored, each the JSON text of its case-format document,
    oldest first (as :func:`episode_documents`): the derived state parses a text it has
    parsed before only once (:mod:`spasmwatch.diary.state`)."""
    # On the connection: the ORM's handling of each row costs more than the row.
    return list(s.connection().execute(_EPISODE_TEXTS, {"child_id": child_id}).scalars().all())


def recent_episodes(s: Session, child_id: int, limit: int | None) -> list[EpisodeRow]:
    """The child's newest episodes first, at most ``limit`` (None: all)."""
    if limit is None:
        return list(s.scalars(_RECENT_EPISODES, {"child_id": child_id}))
    return list(s.scalars(_RECENT_EPISODES_LIMITED, {"child_id": child_id, "limit": limit}))


def child_document(child: Child, today: date | None = None) -> dict[str, Any]:
    """The child in the case format.

    Without a birth date, the age given when the child was added grows with the days since.
    """
    info: dict[str, Any] = {"development": child.development}
    if child.birth_date is not None:
        info["birth_date"] = child.birth_date.isoformat()
    else:
        days = ((today or date.today()) - child.age_recorded_on).days
        info["age_months"] = round(min(216.0, (child.age_months or 0.0) + days / 30.4375), 2)
    if child.born_weeks is not None:
        info["born_weeks"] = child.born_weeks
    if child.conditions:
        info["conditions"] = list(child.conditions)
    return info


def case_dict(
    child: Child, episodes: list[EpisodeRow], today: date | None = None
) -> dict[str, Any]:
    """The child and episodes as a document in the case format."""
    return {"child": child_document(child, today), "episodes": [dict(e.data) for e in episodes]}
