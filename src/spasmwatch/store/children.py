"""The queries of children and of a user's role for one: adding, finding, deleting a
child, and whose diary a user may open.

Part of the repository (:mod:`spasmwatch.store.repo`, which names them together); kept apart
by subject. Who else has a role and how they get it (members, invitations, share links) is
:mod:`spasmwatch.store.sharing`'s.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from spasmwatch.i18n import N_
from spasmwatch.store.clock import now
from spasmwatch.store.models import Attachment, AuditEntry, Child, Membership

__all__ = [
    "NO_CHILD",
    "child_and_role",
    "children_for_user",
    "create_child",
    "delete_child",
    "get_child",
    "require_child",
    "role_of",
]


def create_child(s: Session, owner_id: int, name: str, **fields: Any) -> Child:
    """A new child, owned by ``owner_id``."""
    child = Child(name=name.strip(), created_at=now(), age_recorded_on=date.today(), **fields)
    child.memberships.append(Membership(user_id=owner_id, role="owner"))
    s.add(child)
    s.flush()
    return child


def get_child(s: Session, child_id: int) -> Child | None:
    """The child with this id."""
    return s.get(Child, child_id)


#: The message of :func:`require_child` for an id no child has (a catalog message: the
#: command line says it in its ``--lang``).
NO_CHILD = N_("No child with id %(id)s")


def require_child(s: Session, child_id: int) -> Child:
    """The child with this id, or :class:`~spasmwatch.errors.SpasmwatchError` naming it."""
    from spasmwatch.errors import SpasmwatchError

    child = s.get(Child, child_id)
    if child is None:
        raise SpasmwatchError(NO_CHILD % {"id": child_id})
    return child


def delete_child(s: Session, child: Child) -> list[str]:
    """Delete a child and everything recorded about it; its audit entries stay, anonymised
    (no child, no detail). Returns the content hashes of its files (for
    :meth:`~spasmwatch.store.Database.remove_unreferenced` once committed)."""
    hashes = list(s.scalars(select(Attachment.sha256).where(Attachment.child_id == child.id)))
    s.execute(
        update(AuditEntry)
        .where(AuditEntry.child_id == child.id)
        .values(child_id=None, detail="", share_link_id=None)
    )
    s.delete(child)
    s.flush()
    return hashes


def children_for_user(s: Session, user_id: int) -> list[tuple[Child, str]]:
    """The children a user has a role for, with the role, by name."""
    rows = s.execute(
        select(Child, Membership.role)
        .join(Membership, Membership.child_id == Child.id)
        .where(Membership.user_id == user_id)
        .order_by(Child.name, Child.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


_CHILD_AND_ROLE = (
    select(Child, Membership.role)
    .join(Membership, Membership.child_id == Child.id)
    .where(Membership.user_id == bindparam("user_id"), Child.id == bindparam("child_id"))
)


def child_and_role(s: Session, user_id: int, child_id: int) -> tuple[Child, str] | None:
    """The child and the user's role for it, in one query; None when the user has no role
    for it."""
    row = s.execute(_CHILD_AND_ROLE, {"user_id": user_id, "child_id": child_id}).first()
    return None if row is None else (row[0], row[1])


def role_of(s: Session, user_id: int, child_id: int) -> str | None:
    """The user's role for the child, or None."""
    return s.scalar(
        select(Membership.role).where(
            Membership.user_id == user_id, Membership.child_id == child_id
        )
    )
