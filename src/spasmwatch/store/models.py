"""The tables (SQLAlchemy 2 declarative models).

Episodes keep the case format's episode as JSON (the contract, exactly), with the columns
needed for ordering and filtering beside it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditEntry",
    "Base",
    "Child",
    "DiaryState",
    "EpisodeRow",
    "Invitation",
    "Job",
    "Membership",
    "MilestoneRow",
    "PasswordReset",
    "ShareLink",
    "ThrottleEvent",
    "TreatmentRow",
    "TriageRecord",
    "User",
    "UserSession",
    "WorkupRow",
]

ROLES = ("owner", "caregiver", "viewer")

#: The table options of a table whose ids are shown or used outside the row (addresses,
#: CLI arguments, the audit log): on SQLite an id is then never given twice, even after the
#: row that had it is deleted (``AUTOINCREMENT``; migration 0010). PostgreSQL's sequences
#: never give an id twice anyway.
KEEP_IDS: dict[str, Any] = {"sqlite_autoincrement": True}


class Base(DeclarativeBase):
    """Base of every table."""


class User(Base):
    """An account: a parent, a caregiver or a clinician."""

    __tablename__ = "users"
    __table_args__ = KEEP_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class UserSession(Base):
    """A signed-in browser: the cookie holds a random token, the table its hash."""

    __tablename__ = "sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    #: The last request seen (an idle session ends); None: never since it was made.
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class ApiToken(Base):
    """A personal API token: its hash, what it may do (``read`` or ``write``) and until when.

    A token works on the JSON API only (never on the pages' forms) and cannot make tokens.
    """

    __tablename__ = "api_tokens"
    __table_args__ = KEEP_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    scope: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class PasswordReset(Base):
    """A one-time code that sets a new password (printed on the server's console)."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class Child(Base):
    """A child: the case format's ``child`` plus a name for the family's own use."""

    __tablename__ = "children"
    __table_args__ = KEEP_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    age_months: Mapped[float | None] = mapped_column(Float, nullable=True)
    age_recorded_on: Mapped[date] = mapped_column(Date)
    born_weeks: Mapped[float | None] = mapped_column(Float, nullable=True)
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    development: Mapped[str] = mapped_column(String(20), default="unknown")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    #: One more with every change to the diary (its episodes, the child, its milestones):
    #: a derived state computed from an older version is not stored (``diary.state``).
    diary_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="child", cascade="all, delete-orphan", passive_deletes=True
    )


class Membership(Base):
    """A user's role for a child: owner, caregiver (can log) or viewer."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("child_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    child: Mapped[Child] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


class Invitation(Base):
    """A role for a child offered by a link: the link carries a random token, the table
    its SHA-256 (``token_hash``). Whoever opens the link and signs up or signs in with it
    gets the role, once (``used_at``), until ``expires_at``, unless the owner withdrew it
    (``revoked_at``) or made a new link for it (a new hash: the old link leads nowhere).
    ``email`` is whom the owner sends it to, as the People list shows it; it does not
    decide who gets the role (nothing checks that an address is its user's)."""

    __tablename__ = "invitations"
    __table_args__ = (UniqueConstraint("child_id", "email"), KEEP_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(20))
    invited_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    #: None for an invitation made before links carried a token (migration 0011): it
    #: waits for the owner to make a link for it.
    token_hash: Mapped[str | None] = mapped_column(
        String(64), nullable=True, unique=True, index=True
    )
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class EpisodeRow(Base):
    """An episode: the case format's episode as JSON, plus who logged it and when."""

    __tablename__ = "episodes"
    __table_args__ = KEEP_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    logged_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    logged_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    #: The key an episode logged offline was sent with (made by the browser): sending it
    #: again finds this episode instead of storing a second one.
    client_key: Mapped[str | None] = mapped_column(
        String(64), nullable=True, unique=True, index=True
    )


class Attachment(Base):
    """A video or EEG file, stored on disk under the data directory by content hash."""

    __tablename__ = "attachments"
    __table_args__ = KEEP_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    episode_id: Mapped[int | None] = mapped_column(
        ForeignKey("episodes.id", ondelete="SET NULL"), nullable=True, index=True
    )
    kind: Mapped[str] = mapped_column(String(10))  # video | eeg
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)
    analysis: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class TriageRecord(Base):
    """A triage answer computed for a child, with the rules version that produced it."""

    __tablename__ = "triage_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(20))
    rules_version: Mapped[str] = mapped_column(String(20))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    computed_at: Mapped[datetime] = mapped_column(DateTime)


class DiaryState(Base):
    """What is derived from a child's diary, computed once when the diary changes: the
    triage of the whole diary (with the rules version that produced it) and the episodes
    and movements per day. Page views read it; a change to the diary or the child removes
    it (``repo``) and the change's own transaction computes it again."""

    __tablename__ = "diary_state"

    child_id: Mapped[int] = mapped_column(
        ForeignKey("children.id", ondelete="CASCADE"), primary_key=True
    )
    rules_version: Mapped[str] = mapped_column(String(20))
    triage: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: ``{"YYYY-MM-DD": [episodes, movements]}`` over every timed episode.
    day_counts: Mapped[dict[str, list[int]]] = mapped_column(JSON)
    episodes: Mapped[int] = mapped_column(Integer)
    #: ``["YYYY-MM-DD", ...]``: the days with spasm-like episodes (a treatment's response
    #: is read from them); None in a state stored before they were (computed again).
    spasm_days: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    computed_at: Mapped[datetime] = mapped_column(DateTime)
    #: The diary version it was computed from (``Child.diary_version``).
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)


JOB_STATUSES = ("queued", "running", "done", "failed")


class Job(Base):
    """An analysis of an attachment at a detector sensitivity, waiting for or run by a
    worker process (:mod:`spasmwatch.jobs`). Its times are in UTC, unlike the other
    tables' (:func:`spasmwatch.store.jobqueue.utc_now` says why)."""

    __tablename__ = "jobs"
    __table_args__ = KEEP_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    attachment_id: Mapped[int] = mapped_column(
        ForeignKey("attachments.id", ondelete="CASCADE"), index=True
    )
    sensitivity: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), index=True)  # JOB_STATUSES
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: Written by the running worker every few seconds; a running job whose worker has
    #: not written for long has lost its worker.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    #: ``host:pid`` of the worker process running it.
    worker: Mapped[str] = mapped_column(String(200), default="")
    #: Share of the analysis done, 0..1 (while it runs).
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    error: Mapped[str] = mapped_column(Text, default="")


class ThrottleEvent(Base):
    """One counted event of a throttle (a failed sign-in, an anonymous check) for a key
    (an account's email or an address, hashed), so that every web process shares the
    count (:mod:`spasmwatch.store.counters`)."""

    __tablename__ = "throttle_events"
    __table_args__ = (Index("ix_throttle_events_key", "bucket", "key_hash", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bucket: Mapped[str] = mapped_column(String(20))
    key_hash: Mapped[str] = mapped_column(String(64))
    #: Seconds since the epoch.
    at: Mapped[float] = mapped_column(Float)


class ShareLink(Base):
    """An expiring, revocable read-only link to a child's diary, for a clinician."""

    __tablename__ = "share_links"
    __table_args__ = KEEP_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class AuditEntry(Base):
    """Who saw or changed what, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    share_link_id: Mapped[int | None] = mapped_column(
        ForeignKey("share_links.id", ondelete="SET NULL"), nullable=True
    )
    child_id: Mapped[int | None] = mapped_column(
        ForeignKey("children.id", ondelete="SET NULL"), nullable=True, index=True
    )
    action: Mapped[str] = mapped_column(String(50))
    detail: Mapped[str] = mapped_column(Text, default="")


class TreatmentRow(Base):
    """A treatment of the child (``spasmwatch.care.records.Treatment``): the medicine as
    the family wrote it, dose, route, start and stop, who prescribed it; who recorded it."""

    __tablename__ = "treatments"
    __table_args__ = KEEP_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    drug: Mapped[str] = mapped_column(String(100))
    dose: Mapped[str] = mapped_column(String(100), default="")
    route: Mapped[str] = mapped_column(String(20))
    start_date: Mapped[date] = mapped_column(Date)
    stop_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    prescribed_by: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class MilestoneRow(Base):
    """A skill the baby can do, or has lost, since a day (``spasmwatch.care.records.
    Milestone``); a lost one is read by the triage as regression."""

    __tablename__ = "milestones"
    __table_args__ = KEEP_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    skill: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[str] = mapped_column(String(10))
    on_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class WorkupRow(Base):
    """Where one test of the work-up stands for a child; a test without a row is
    "suggested" (``spasmwatch.care.workup``), so a child needs no rows until the family
    changes one."""

    __tablename__ = "workup_items"
    __table_args__ = (UniqueConstraint("child_id", "test"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"), index=True)
    test: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20))
    on_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    result: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
