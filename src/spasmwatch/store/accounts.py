"""The queries of accounts: users, API tokens, password reset codes and signed-in
browsers (sessions).

Part of the repository (:mod:`spasmwatch.store.repo`, which names them together); kept apart
by subject. Functions take a :class:`~sqlalchemy.orm.Session` inside a transaction and
return model objects; the queries every request runs (a session's or an API token's user)
are built once, with bound parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from spasmwatch.store.clock import now
from spasmwatch.store.models import ApiToken, Invitation, PasswordReset, User, UserSession

__all__ = [
    "DEFAULT_TOKEN_DAYS",
    "api_token",
    "api_tokens_for",
    "create_api_token",
    "create_password_reset",
    "create_session",
    "create_user",
    "delete_api_token",
    "delete_session",
    "delete_sessions",
    "delete_user",
    "display_names",
    "require_user",
    "session_user",
    "set_api_token",
    "set_password",
    "touch_session",
    "use_password_reset",
    "user_by_api_token",
    "user_by_email",
]


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


def require_user(s: Session, user_id: int) -> User:
    """The account with this id, or :class:`~spasmwatch.errors.SpasmwatchError` naming it."""
    from spasmwatch.errors import SpasmwatchError

    user = s.get(User, user_id)
    if user is None:
        raise SpasmwatchError(f"No account with id {user_id}")
    return user


def delete_user(s: Session, user_id: int) -> None:
    """Delete an account: its sessions, API tokens, reset codes and roles go with it; what
    it recorded stays, recorded by nobody; its audit entries stay, without the account."""
    user = s.get(User, user_id)
    if user is not None:
        s.execute(delete(Invitation).where(Invitation.email == user.email))
        s.delete(user)
        s.flush()
