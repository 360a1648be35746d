"""The repository: the only code that issues queries.

Functions take a :class:`~sqlalchemy.orm.Session` inside a transaction
(:meth:`spasmwatch.store.db.Database.transaction`) and return model objects.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from spasmwatch.store.models import (
    Attachment,
    AuditEntry,
    Child,
    EpisodeRow,
    Membership,
    ShareLink,
    TriageRecord,
    User,
    UserSession,
)

__all__ = [
    "add_attachment",
    "add_episode",
    "add_member",
    "attachments_for",
    "audit",
    "audit_for",
    "case_dict",
    "children_for_user",
    "create_child",
    "create_session",
    "create_share_link",
    "create_user",
    "delete_child",
    "delete_episode",
    "delete_session",
    "episodes_for",
    "get_attachment",
    "get_child",
    "get_episode",
    "get_share_link",
    "latest_triage",
    "members",
    "role_of",
    "save_triage",
    "session_user",
    "set_api_token",
    "set_attachment_analysis",
    "share_link_by_token",
    "share_links_for",
    "update_episode",
    "user_by_api_token",
    "user_by_email",
]


def now() -> datetime:
    """The current time, naive local, to the second (what the tables store)."""
    return datetime.now().replace(microsecond=0)


# ---------------------------------------------------------------- accounts
def create_user(s: Session, email: str, display_name: str, password_hash: str) -> User:
    """A new account; the caller checks that the email is free."""
    user = User(
        email=email.strip().lower(),
        display_name=display_name.strip(),
        password_hash=password_hash,
        created_at=now(),
    )
    s.add(user)
    s.flush()
    return user


def user_by_email(s: Session, email: str) -> User | None:
    """The account with this email (case-insensitive), if any."""
    return s.scalar(select(User).where(User.email == email.strip().lower()))


def user_by_api_token(s: Session, token_hash: str) -> User | None:
    """The account whose personal API token has this hash."""
    return s.scalar(select(User).where(User.api_token_hash == token_hash))


def set_api_token(s: Session, user_id: int, token_hash: str) -> None:
    """Replace a user's personal API token."""
    user = s.get(User, user_id)
    if user is not None:
        user.api_token_hash = token_hash
        s.flush()


def create_session(
    s: Session, user_id: int, token_hash: str, csrf_token: str, expires_at: datetime
) -> UserSession:
    """Record a signed-in browser."""
    row = UserSession(
        token_hash=token_hash,
        user_id=user_id,
        csrf_token=csrf_token,
        created_at=now(),
        expires_at=expires_at,
    )
    s.add(row)
    s.flush()
    return row


def session_user(s: Session, token_hash: str) -> tuple[UserSession, User] | None:
    """The unexpired session with this token hash and its user."""
    row = s.execute(
        select(UserSession, User)
        .join(User, User.id == UserSession.user_id)
        .where(UserSession.token_hash == token_hash, UserSession.expires_at > now())
    ).first()
    return (row[0], row[1]) if row else None


def delete_session(s: Session, token_hash: str) -> None:
    """Sign a browser out."""
    s.execute(delete(UserSession).where(UserSession.token_hash == token_hash))


# ---------------------------------------------------------------- children and roles
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


def require_child(s: Session, child_id: int) -> Child:
    """The child with this id, or :class:`~spasmwatch.errors.SpasmwatchError` naming it."""
    from spasmwatch.errors import SpasmwatchError

    child = s.get(Child, child_id)
    if child is None:
        raise SpasmwatchError(f"No child with id {child_id}")
    return child


def delete_child(s: Session, child: Child) -> None:
    """Delete a child and everything recorded about it (not the audit log)."""
    s.delete(child)
    s.flush()


def children_for_user(s: Session, user_id: int) -> list[tuple[Child, str]]:
    """The children a user has a role for, with the role, by name."""
    rows = s.execute(
        select(Child, Membership.role)
        .join(Membership, Membership.child_id == Child.id)
        .where(Membership.user_id == user_id)
        .order_by(Child.name, Child.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def role_of(s: Session, user_id: int, child_id: int) -> str | None:
    """The user's role for the child, or None."""
    return s.scalar(
        select(Membership.role).where(
            Membership.user_id == user_id, Membership.child_id == child_id
        )
    )


def members(s: Session, child_id: int) -> list[tuple[User, str]]:
    """Everyone with a role for the child."""
    rows = s.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.child_id == child_id)
        .order_by(Membership.id)
    ).all()
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


# ---------------------------------------------------------------- episodes
def add_episode(s: Session, child_id: int, data: dict[str, Any], user_id: int | None) -> EpisodeRow:
    """Store an episode (already validated against the case format)."""
    row = EpisodeRow(
        child_id=child_id,
        data=data,
        started_at=_started(data),
        logged_by=user_id,
        logged_at=now(),
        updated_at=now(),
    )
    s.add(row)
    s.flush()
    return row


def update_episode(s: Session, row: EpisodeRow, data: dict[str, Any]) -> EpisodeRow:
    """Replace an episode's data."""
    row.data = data
    row.started_at = _started(data)
    row.updated_at = now()
    s.flush()
    return row


def _started(data: dict[str, Any]) -> datetime | None:
    value = data.get("started_at")
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return (
        parsed.replace(tzinfo=None)
        if parsed.tzinfo is None
        else parsed.astimezone().replace(tzinfo=None)
    )


def get_episode(s: Session, child_id: int, episode_id: int) -> EpisodeRow | None:
    """The child's episode with this id (None if it belongs to another child)."""
    return s.scalar(
        select(EpisodeRow).where(EpisodeRow.id == episode_id, EpisodeRow.child_id == child_id)
    )


def delete_episode(s: Session, row: EpisodeRow) -> None:
    """Delete an episode."""
    s.delete(row)
    s.flush()


def episodes_for(s: Session, child_id: int) -> list[EpisodeRow]:
    """The child's episodes, oldest first (untimed ones by when they were logged)."""
    return list(
        s.scalars(
            select(EpisodeRow)
            .where(EpisodeRow.child_id == child_id)
            .order_by(func.coalesce(EpisodeRow.started_at, EpisodeRow.logged_at), EpisodeRow.id)
        )
    )


def case_dict(
    child: Child, episodes: list[EpisodeRow], today: date | None = None
) -> dict[str, Any]:
    """The child and episodes as a document in the case format.

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
    return {"child": info, "episodes": [dict(e.data) for e in episodes]}


# ---------------------------------------------------------------- triage
def save_triage(s: Session, child_id: int, result: dict[str, Any]) -> TriageRecord:
    """Store a triage answer for the child."""
    row = TriageRecord(
        child_id=child_id,
        level=result["level"],
        rules_version=result["rules_version"],
        result=result,
        computed_at=now(),
    )
    s.add(row)
    s.flush()
    return row


def latest_triage(s: Session, child_id: int) -> TriageRecord | None:
    """The most recent triage answer stored for the child."""
    return s.scalar(
        select(TriageRecord)
        .where(TriageRecord.child_id == child_id)
        .order_by(TriageRecord.id.desc())
        .limit(1)
    )


# ---------------------------------------------------------------- attachments
def add_attachment(s: Session, **fields: Any) -> Attachment:
    """Record an attachment already written to disk."""
    row = Attachment(uploaded_at=now(), **fields)
    s.add(row)
    s.flush()
    return row


def set_attachment_analysis(s: Session, attachment_id: int, analysis: dict[str, Any]) -> None:
    """Record the state or the outcome of an attachment's analysis."""
    row = s.get(Attachment, attachment_id)
    if row is not None:
        row.analysis = analysis
        s.flush()


def get_attachment(s: Session, attachment_id: int) -> Attachment | None:
    """The attachment with this id."""
    return s.get(Attachment, attachment_id)


def attachments_for(s: Session, child_id: int) -> list[Attachment]:
    """The child's attachments, newest first."""
    return list(
        s.scalars(
            select(Attachment).where(Attachment.child_id == child_id).order_by(Attachment.id.desc())
        )
    )


# ---------------------------------------------------------------- share links
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


def share_links_for(s: Session, child_id: int) -> list[ShareLink]:
    """Every link made for the child, newest first."""
    return list(
        s.scalars(
            select(ShareLink).where(ShareLink.child_id == child_id).order_by(ShareLink.id.desc())
        )
    )


def get_share_link(s: Session, child_id: int, link_id: int) -> ShareLink | None:
    """The child's link with this id."""
    return s.scalar(
        select(ShareLink).where(ShareLink.id == link_id, ShareLink.child_id == child_id)
    )


# ---------------------------------------------------------------- audit
def audit(
    s: Session,
    action: str,
    *,
    child_id: int | None = None,
    user_id: int | None = None,
    share_link_id: int | None = None,
    detail: str = "",
) -> None:
    """Record who saw or changed what."""
    s.add(
        AuditEntry(
            at=now(),
            action=action,
            child_id=child_id,
            user_id=user_id,
            share_link_id=share_link_id,
            detail=detail[:2000],
        )
    )


def audit_for(s: Session, child_id: int, limit: int = 50) -> list[AuditEntry]:
    """The latest audit entries about a child."""
    return list(
        s.scalars(
            select(AuditEntry)
            .where(AuditEntry.child_id == child_id)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        )
    )
