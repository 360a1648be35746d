"""The queries of the audit log: who saw or changed what, and when.

Part of the repository (:mod:`spasmwatch.store.repo`, which names them together); kept apart
by subject. An entry outlives what it names (an account deleted, a child's anonymised
entries), so :func:`existing_ids` says which of the ids it names are still rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from spasmwatch.store.clock import now
from spasmwatch.store.models import AuditEntry

__all__ = ["audit", "audit_for", "audited_details", "existing_ids"]


def audit(
    s: Session,
    action: str,
    *,
    child_id: int | None = None,
    user_id: int | None = None,
    share_link_id: int | None = None,
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """Record who saw or changed what (``at``: when, if not now)."""
    s.add(
        AuditEntry(
            at=at or now(),
            action=action,
            child_id=child_id,
            user_id=user_id,
            share_link_id=share_link_id,
            detail=detail[:2000],
        )
    )


_AUDIT = (
    select(AuditEntry)
    .where(AuditEntry.child_id == bindparam("child_id"))
    .order_by(AuditEntry.id.desc())
    .limit(bindparam("limit"))
)


def audited_details(s: Session, action: str, child_id: int, details: Iterable[str]) -> set[str]:
    """Which of ``details`` the child's audit log already holds for ``action``."""
    wanted = set(details)
    if not wanted:
        return set()
    return set(
        s.scalars(
            select(AuditEntry.detail).where(
                AuditEntry.child_id == child_id,
                AuditEntry.action == action,
                AuditEntry.detail.in_(wanted),
            )
        )
    )


def audit_for(s: Session, child_id: int, limit: int = 50) -> list[AuditEntry]:
    """The latest audit entries about a child."""
    return list(s.scalars(_AUDIT, {"child_id": child_id, "limit": limit}))


def existing_ids(s: Session, table: type[Any], ids: Iterable[int | None]) -> set[int]:
    """Which of ``ids`` are rows of ``table`` (a model with an ``id``) now."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return set()
    return set(s.scalars(select(table.id).where(table.id.in_(wanted))))
