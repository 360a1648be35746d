"""The queries of sharing a child's diary: its members and their roles, the invitations
that offer a role by link, and the read-only share links.

Part of the repository (:mod:`spasmwatch.store.repo`, which names them together); kept apart
by subject, as :mod:`spasmwatch.diary.sharing` keeps the workflows. An invitation accepted
gives its role through :func:`add_member`, unless the user owns the child
(:func:`~spasmwatch.store.children.role_of`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from spasmwatch.store.children import role_of
from spasmwatch.store.clock import now
from spasmwatch.store.models import Invitation, Membership, ShareLink, User

__all__ = [
    "accept_invitation",
    "add_member",
    "create_share_link",
    "get_share_link",
    "invitation_by_token",
    "invitations_for",
    "invite",
    "members",
    "remove_invitation",
    "remove_member",
    "renew_invitation",
    "share_link_by_token",
    "share_links_for",
]


_MEMBERS = (
    select(User, Membership.role)
    .join(Membership, Membership.user_id == User.id)
    .where(Membership.child_id == bindparam("child_id"))
    .order_by(Membership.id)
)


def members(s: Session, child_id: int) -> list[tuple[User, str]]:
    """Everyone with a role for the child."""
    rows = s.execute(_MEMBERS, {"child_id": child_id}).all()
    return [(row[0], row[1]) for row in rows]


def add_member(s: Session, child_id: int, user_id: int, role: str) -> None:
    """Give a user a role for a child (or change it)."""
    row = s.scalar(
        select(Membership).where(Membership.child_id == child_id, Membership.user_id == user_id)
    )
    if row is None:
        s.add(Membership(child_id=child_id, user_id=user_id, role=role))
    else:
        row.role = role
    s.flush()


def remove_member(s: Session, child_id: int, user_id: int) -> bool:
    """Take a caregiver's or viewer's role for a child away (never the owner's); False when
    there is no such member."""
    result = s.execute(
        delete(Membership).where(
            Membership.child_id == child_id,
            Membership.user_id == user_id,
            Membership.role != "owner",
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def invite(
    s: Session,
    child_id: int,
    email: str,
    role: str,
    invited_by: int | None,
    token_hash: str,
    expires_at: datetime,
) -> Invitation:
    """Offer the role for the child by a link whose token has ``token_hash``, until
    ``expires_at``, sent to ``email``. The same email again for the same child changes
    that invitation: its role, and its link (the earlier one stops working); one used or
    withdrawn waits again."""
    email = email.strip().lower()
    row = s.scalar(
        select(Invitation).where(Invitation.child_id == child_id, Invitation.email == email)
    )
    if row is None:
        row = Invitation(child_id=child_id, email=email, created_at=now())
        s.add(row)
    row.role = role
    row.invited_by = invited_by
    row.token_hash = token_hash
    row.expires_at = expires_at
    row.used_at = row.revoked_at = None
    s.flush()
    return row


#: An invitation still waiting: neither used nor withdrawn (an expired one waits for a
#: new link).
_WAITING = (Invitation.used_at.is_(None), Invitation.revoked_at.is_(None))

_INVITATIONS = (
    select(Invitation)
    .where(Invitation.child_id == bindparam("child_id"), *_WAITING)
    .order_by(Invitation.id)
)


def invitations_for(s: Session, child_id: int) -> list[Invitation]:
    """The child's invitations neither used nor withdrawn (expired ones included)."""
    return list(s.scalars(_INVITATIONS, {"child_id": child_id}))


def invitation_by_token(s: Session, token_hash: str) -> Invitation | None:
    """The invitation whose link has this token hash, whatever its state (used, expired,
    withdrawn: the caller says which)."""
    return s.scalar(select(Invitation).where(Invitation.token_hash == token_hash))


def renew_invitation(
    s: Session, child_id: int, invitation_id: int, token_hash: str, expires_at: datetime
) -> Invitation | None:
    """A new link for a waiting invitation of the child (the earlier link stops working);
    None when the child has no such invitation waiting."""
    row = s.scalar(
        select(Invitation).where(
            Invitation.id == invitation_id, Invitation.child_id == child_id, *_WAITING
        )
    )
    if row is not None:
        row.token_hash = token_hash
        row.expires_at = expires_at
        s.flush()
    return row


def accept_invitation(s: Session, invitation: Invitation, user: User) -> bool:
    """Give ``user`` the invitation's role for its child (an owner stays owner) and mark
    the invitation used; the caller checked that it is waiting and unexpired. False, and
    nothing changed, when another transaction used or withdrew it since: the mark is an
    update on the condition that it still waits, which on PostgreSQL waits for a
    concurrent one and then finds the row used (SQLite takes one writer at a time)."""
    marked = s.execute(
        update(Invitation).where(Invitation.id == invitation.id, *_WAITING).values(used_at=now())
    )
    if not marked.rowcount:  # type: ignore[attr-defined]
        return False
    if role_of(s, user.id, invitation.child_id) != "owner":
        add_member(s, invitation.child_id, user.id, invitation.role)
    s.flush()
    return True


def remove_invitation(s: Session, child_id: int, invitation_id: int) -> bool:
    """Withdraw a waiting invitation (its link then says so); False when the child has no
    such invitation waiting."""
    result = s.execute(
        update(Invitation)
        .where(Invitation.id == invitation_id, Invitation.child_id == child_id, *_WAITING)
        .values(revoked_at=now())
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def create_share_link(
    s: Session, child_id: int, token_hash: str, label: str, user_id: int, expires_at: datetime
) -> ShareLink:
    """A new read-only link."""
    row = ShareLink(
        child_id=child_id,
        token_hash=token_hash,
        label=label.strip(),
        created_by=user_id,
        created_at=now(),
        expires_at=expires_at,
    )
    s.add(row)
    s.flush()
    return row


def share_link_by_token(s: Session, token_hash: str) -> ShareLink | None:
    """The link with this token hash if it is neither revoked nor expired."""
    return s.scalar(
        select(ShareLink).where(
            ShareLink.token_hash == token_hash,
            ShareLink.revoked_at.is_(None),
            ShareLink.expires_at > now(),
        )
    )


_SHARE_LINKS = (
    select(ShareLink)
    .where(ShareLink.child_id == bindparam("child_id"))
    .order_by(ShareLink.id.desc())
)


def share_links_for(s: Session, child_id: int) -> list[ShareLink]:
    """Every link made for the child, newest first."""
    return list(s.scalars(_SHARE_LINKS, {"child_id": child_id}))


def get_share_link(s: Session, child_id: int, link_id: int) -> ShareLink | None:
    """The child's link with this id."""
    return s.scalar(
        select(ShareLink).where(ShareLink.id == link_id, ShareLink.child_id == child_id)
    )
