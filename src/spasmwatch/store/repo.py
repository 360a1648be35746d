"""The repository: the only code that issues queries.

Functions take a :class:`~sqlalchemy.orm.Session` inside a transaction
(:meth:`spasmwatch.store.db.Database.transaction`) and return model objects.

The queries every page view and every log runs are built once, with bound parameters
(``_SESSION_USER``, ``_RECENT_EPISODES`` ...): building a ``select`` and its cache key
takes about 150 µs, as long as running it on SQLite, and a child page runs 13.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Text, bindparam, cast, delete, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from spasmwatch.i18n import N_
from spasmwatch.store.models import (
    ApiToken,
    Attachment,
    AuditEntry,
    Child,
    DiaryState,
    EpisodeRow,
    Invitation,
    Membership,
    PasswordReset,
    ShareLink,
    TriageRecord,
    User,
    UserSession,
)

__all__ = [
    "NO_CHILD",
    "accept_invitation",
    "add_attachment",
    "add_episode",
    "add_member",
    "api_token",
    "api_tokens_for",
    "attachments_for",
    "audit",
    "audit_for",
    "audited_details",
    "case_dict",
    "child_and_role",
    "child_document",
    "children_for_user",
    "create_api_token",
    "create_child",
    "create_password_reset",
    "create_session",
    "create_share_link",
    "create_user",
    "delete_api_token",
    "delete_attachment",
    "delete_child",
    "delete_episode",
    "delete_session",
    "delete_sessions",
    "delete_user",
    "diary_version",
    "display_names",
    "episode_documents",
    "episode_texts",
    "episodes_for",
    "existing_ids",
    "forget_state",
    "get_attachment",
    "get_child",
    "get_episode",
    "get_share_link",
    "invitation_by_token",
    "invitations_for",
    "invite",
    "keeping_earlier",
    "latest_triage",
    "latest_triage_result",
    "lock_child",
    "members",
    "recent_episodes",
    "remove_invitation",
    "remove_member",
    "renew_invitation",
    "role_of",
    "save_state",
    "save_triage",
    "save_triage_result",
    "session_user",
    "set_api_token",
    "set_attachment_analysis",
    "set_password",
    "share_link_by_token",
    "share_links_for",
    "touch_session",
    "update_episode",
    "use_password_reset",
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


def display_names(s: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    """The display names of these accounts (removed ones are absent)."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    rows = s.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}


def user_by_email(s: Session, email: str) -> User | None:
    """The account with this email (case-insensitive), if any."""
    return s.scalar(select(User).where(User.email == email.strip().lower()))


def set_password(s: Session, user_id: int, password_hash: str) -> None:
    """Give a user a new password (its hash)."""
    user = s.get(User, user_id)
    if user is not None:
        user.password_hash = password_hash
        s.flush()


#: API tokens made by :func:`set_api_token` last this long.
DEFAULT_TOKEN_DAYS = 90


_API_TOKEN = (
    select(ApiToken, User)
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.token_hash == bindparam("hash"), ApiToken.expires_at > bindparam("now"))
)


def api_token(s: Session, token_hash: str) -> tuple[ApiToken, User] | None:
    """The unexpired API token with this hash, and its user."""
    row = s.execute(_API_TOKEN, {"hash": token_hash, "now": now()}).first()
    return (row[0], row[1]) if row else None


def user_by_api_token(s: Session, token_hash: str) -> User | None:
    """The account of the unexpired API token with this hash."""
    found = api_token(s, token_hash)
    return found[1] if found else None


def create_api_token(
    s: Session, user_id: int, token_hash: str, label: str, scope: str, expires_at: datetime
) -> ApiToken:
    """A new API token (``scope`` ``read`` or ``write``) of a user."""
    row = ApiToken(
        user_id=user_id,
        token_hash=token_hash,
        label=label[:100],
        scope=scope,
        created_at=now(),
        expires_at=expires_at,
    )
    s.add(row)
    s.flush()
    return row


def set_api_token(s: Session, user_id: int, token_hash: str) -> None:
    """Give a user a write token that lasts :data:`DEFAULT_TOKEN_DAYS` days (nothing when
    there is no such user)."""
    if s.get(User, user_id) is not None:
        expires = now() + timedelta(days=DEFAULT_TOKEN_DAYS)
        create_api_token(s, user_id, token_hash, "", "write", expires)


def api_tokens_for(s: Session, user_id: int) -> list[ApiToken]:
    """A user's unexpired API tokens, newest first."""
    return list(
        s.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.expires_at > now())
            .order_by(ApiToken.id.desc())
        )
    )


def delete_api_token(s: Session, user_id: int, token_id: int) -> bool:
    """Revoke one of the user's API tokens; False when it has no such token."""
    result = s.execute(delete(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def create_password_reset(s: Session, user_id: int, code_hash: str, expires_at: datetime) -> None:
    """Record a one-time reset code (its hash) for a user; earlier codes stop working."""
    s.execute(delete(PasswordReset).where(PasswordReset.user_id == user_id))
    s.add(
        PasswordReset(user_id=user_id, code_hash=code_hash, created_at=now(), expires_at=expires_at)
    )
    s.flush()


def use_password_reset(s: Session, user_id: int, code_hash: str) -> bool:
    """Whether the code is the user's unexpired reset code; a right code is used up."""
    row = s.scalar(
        select(PasswordReset).where(
            PasswordReset.user_id == user_id,
            PasswordReset.code_hash == code_hash,
            PasswordReset.expires_at > now(),
        )
    )
    if row is None:
        return False
    s.execute(delete(PasswordReset).where(PasswordReset.user_id == user_id))
    return True


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


_SESSION_USER = (
    select(UserSession, User)
    .join(User, User.id == UserSession.user_id)
    .where(UserSession.token_hash == bindparam("hash"), UserSession.expires_at > bindparam("now"))
)


def session_user(s: Session, token_hash: str) -> tuple[UserSession, User] | None:
    """The unexpired session with this token hash, and its user."""
    row = s.execute(_SESSION_USER, {"hash": token_hash, "now": now()}).first()
    return (row[0], row[1]) if row else None


def delete_session(s: Session, token_hash: str) -> None:
    """Sign a browser out."""
    s.execute(delete(UserSession).where(UserSession.token_hash == token_hash))


def delete_sessions(s: Session, user_id: int, keep: str | None = None) -> int:
    """Sign a user out everywhere (but the session whose hash is ``keep``); returns how many
    sessions ended."""
    query = delete(UserSession).where(UserSession.user_id == user_id)
    if keep is not None:
        query = query.where(UserSession.token_hash != keep)
    return int(s.execute(query).rowcount)  # type: ignore[attr-defined]


def touch_session(s: Session, token_hash: str, when: datetime) -> None:
    """Note that a session was used at ``when``."""
    row = s.get(UserSession, token_hash)
    if row is not None:
        row.last_seen_at = when
        s.flush()


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


def require_user(s: Session, user_id: int) -> User:
    """The account with this id, or :class:`~spasmwatch.errors.SpasmwatchError` naming it."""
    from spasmwatch.errors import SpasmwatchError

    user = s.get(User, user_id)
    if user is None:
        raise SpasmwatchError(f"No account with id {user_id}")
    return user


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


def delete_user(s: Session, user_id: int) -> None:
    """Delete an account: its sessions, API tokens, reset codes and roles go with it; what
    it recorded stays, recorded by nobody; its audit entries stay, without the account."""
    user = s.get(User, user_id)
    if user is not None:
        s.execute(delete(Invitation).where(Invitation.email == user.email))
        s.delete(user)
        s.flush()


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


# ---------------------------------------------------------------- episodes
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


def existing_ids(s: Session, table: type[Any], ids: Iterable[int | None]) -> set[int]:
    """Which of ``ids`` are rows of ``table`` (a model with an ``id``) now."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return set()
    return set(s.scalars(select(table.id).where(table.id.in_(wanted))))


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


_SAVE_TRIAGE = insert(TriageRecord.__table__)  # type: ignore[arg-type]


def save_triage_result(s: Session, child_id: int, result: dict[str, Any]) -> None:
    """Store a triage answer for the child, as :func:`save_triage` without making the row
    an object of the session (the derived state stores one on most changes)."""
    s.connection().execute(
        _SAVE_TRIAGE,
        {
            "child_id": child_id,
            "level": result["level"],
            "rules_version": result["rules_version"],
            "result": result,
            "computed_at": now(),
        },
    )


_LATEST_TRIAGE = (
    select(TriageRecord.result)
    .where(TriageRecord.child_id == bindparam("child_id"))
    .order_by(TriageRecord.id.desc())
    .limit(1)
)


def latest_triage_result(s: Session, child_id: int) -> dict[str, Any] | None:
    """The most recent triage answer stored for the child (its result alone)."""
    return s.connection().scalar(_LATEST_TRIAGE, {"child_id": child_id})


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
    """Record the state or the outcome of an attachment's analysis (an earlier finished
    analysis is kept through a new one, see :func:`keeping_earlier`)."""
    row = s.get(Attachment, attachment_id)
    if row is not None:
        row.analysis = keeping_earlier(row.analysis, analysis)
        s.flush()


def keeping_earlier(current: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """What to record when an analysis becomes ``new``: while another analysis of the file
    waits or runs, the finished one before it rides along (``previous``); when that one
    fails, the finished one stays the file's analysis, with the failure beside it
    (``last_failure``: error, sensitivity, when). Its outputs are in their own folder (one
    per sensitivity), so they are still there. A new finished analysis replaces both."""
    current = current or {}
    earlier = current if current.get("status") == "done" else current.get("previous")
    if not isinstance(earlier, dict) or new.get("status") == "done":
        return new
    earlier = {k: v for k, v in earlier.items() if k not in ("previous", "last_failure")}
    if new.get("status") == "failed":
        failure = {k: new[k] for k in ("error", "sensitivity", "analysed_at") if k in new}
        return {**earlier, "last_failure": failure}
    return {**new, "previous": earlier}


def running_analyses(
    s: Session, statuses: tuple[str, ...] = ("running",)
) -> list[tuple[int, dict[str, Any]]]:
    """``(attachment id, analysis)`` of every analysis recorded with one of ``statuses``
    (matched in the database, so finished results are not loaded)."""
    status = Attachment.analysis["status"].as_string()
    rows = s.execute(select(Attachment.id, Attachment.analysis).where(status.in_(statuses)))
    return [(i, a) for i, a in rows]


def get_attachment(s: Session, attachment_id: int) -> Attachment | None:
    """The attachment with this id."""
    return s.get(Attachment, attachment_id)


def delete_attachment(s: Session, row: Attachment) -> str:
    """Delete an attachment (its analysis jobs go with it); returns its content hash (for
    :meth:`~spasmwatch.store.Database.remove_unreferenced` once committed)."""
    s.delete(row)
    s.flush()
    return row.sha256


_ATTACHMENTS = (
    select(Attachment)
    .where(Attachment.child_id == bindparam("child_id"))
    .order_by(Attachment.id.desc())
)


def attachments_for(s: Session, child_id: int) -> list[Attachment]:
    """The child's attachments, newest first."""
    return list(s.scalars(_ATTACHMENTS, {"child_id": child_id}))


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


# ---------------------------------------------------------------- audit
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
