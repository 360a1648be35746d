"""Accounts: signing up and in, sessions, API tokens, passwords and one-time reset codes.

The web routes check the form, the CSRF token and the throttles, and hash passwords (slow
on purpose) before calling these, so no database lock is held while a hash is made.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from spasmwatch.diary.access import hash_token, new_token
from spasmwatch.diary.sharing import InvitationCheck, take_invitation
from spasmwatch.diary.signup import CODE_GROUP, code_letters, grouped_code
from spasmwatch.errors import Conflict, InvalidInput, NotFound
from spasmwatch.store import Database, repo
from spasmwatch.store.models import ApiToken, User

__all__ = [
    "API_SCOPES",
    "RESET_MINUTES",
    "SESSION_DAYS",
    "TOKEN_DAYS",
    "InvitationGone",
    "SignedIn",
    "account_by_email",
    "api_tokens",
    "change_password",
    "create_account",
    "create_api_token",
    "delete_account",
    "end_all_sessions",
    "end_session",
    "make_reset_code",
    "owned_children",
    "reset_code",
    "reset_code_for",
    "reset_password",
    "revoke_api_token",
    "sign_in",
    "start_session",
]

#: How long a reset code works.
RESET_MINUTES = 30
#: How long a session lasts at most (one unused for a while ends sooner: web.auth).
SESSION_DAYS = 30
#: How long an API token may last, in days.
TOKEN_DAYS = (30, 90, 365)
#: What an API token may do: read only, or read and write.
API_SCOPES = ("read", "write")


def start_session(s: Session, user: User) -> str:
    """Record a new session for ``user``; returns the raw token for the cookie."""
    token = new_token()
    expires = datetime.now() + timedelta(days=SESSION_DAYS)
    repo.create_session(s, user.id, hash_token(token), new_token(), expires)
    return token


def account_by_email(db: Database, email: str) -> User | None:
    """The account that uses ``email``, if any."""
    with db.reading() as s:
        return repo.user_by_email(s, email)


@dataclass(frozen=True)
class SignedIn:
    """A new session's token, and the invitation link taken up with it (where it stands:
    ``accepted``, or why not), if one was brought."""

    token: str
    invitation: InvitationCheck | None = None


class InvitationGone(Conflict):
    """The invitation link an account was to be made with can no longer be taken up (used
    by someone else, expired or withdrawn since it was opened): no account was made.
    ``check`` says where the link stands."""

    def __init__(self, check: InvitationCheck) -> None:
        super().__init__(f"The invitation link is {check.state}: no account was made")
        self.check = check


def create_account(
    db: Database,
    email: str,
    display_name: str,
    password_hash: str,
    invitation: str | None = None,
    *,
    invitation_required: bool = False,
) -> SignedIn | None:
    """A new account signed in; None when the email is taken (the caller says so without
    saying whether an account uses it). ``invitation``: the token of an invitation link
    opened before signing up, taken up in the same transaction.

    ``invitation_required``: the sign-up rule lets the account be made only with that
    link (``invite`` mode without a code, :func:`~spasmwatch.diary.signup.may_sign_up`).
    The link is then taken up with the account or neither happens: where it was used,
    expired or was withdrawn since the caller checked it, the transaction is rolled back
    and :class:`InvitationGone` says where the link stands, so that no account is made
    that the rule would not let in.
    """
    with db.transaction() as s:
        if repo.user_by_email(s, email):
            return None
        user = repo.create_user(s, email, display_name, password_hash)
        repo.audit(s, "sign_up", user_id=user.id)
        taken = take_invitation(s, user, invitation) if invitation else None
        if invitation_required and (taken is None or taken.state != "accepted"):
            # raised inside the transaction: the account and its audit line go with it
            raise InvitationGone(taken or InvitationCheck("unknown"))
        return SignedIn(start_session(s, user), taken)


def owned_children(db: Database, user_id: int) -> list[tuple[int, str]]:
    """The children whose diary the account owns: (id, name) of each."""
    with db.reading() as s:
        return [(c.id, c.name) for c, role in repo.children_for_user(s, user_id) if role == "owner"]


def delete_account(db: Database, user_id: int) -> None:
    """Delete an account (the caller checked its password). Refused while it owns a
    child's diary: the diary would be left with nobody to look after it or delete it, and
    deleting a child's medical diary along with an account would surprise the family."""
    with db.transaction() as s:
        roles = repo.children_for_user(s, user_id)
        owned = [c.name for c, role in roles if role == "owner"]
        if owned:
            raise Conflict(
                f"You own the diary of {', '.join(owned)}: make another person its owner "
                "(its page, People, Make owner) or delete it (its page, Edit, Delete this "
                "diary), then delete your account"
            )
        # each diary the account could see says that someone left it (its owner sees it
        # in the recent activity), before the roles go with the account
        for child, role in roles:
            repo.audit(s, "account_deleted", child_id=child.id, user_id=user_id, detail=role)
        repo.delete_user(s, user_id)
        repo.audit(s, "delete_account", detail=f"user {user_id}")


def sign_in(db: Database, user: User, invitation: str | None = None) -> SignedIn:
    """A new session for an account whose password was checked. ``invitation``: the token
    of an invitation link opened before signing in, taken up in the same transaction."""
    with db.transaction() as s:
        repo.audit(s, "sign_in", user_id=user.id)
        taken = take_invitation(s, user, invitation) if invitation else None
        return SignedIn(start_session(s, user), taken)


def end_session(db: Database, token: str) -> None:
    """End the session of this cookie token (nothing when it is unknown)."""
    with db.transaction() as s:
        repo.delete_session(s, hash_token(token))


def end_all_sessions(db: Database, user_id: int) -> int:
    """End every session of the account (API tokens stay); how many ended."""
    with db.transaction() as s:
        ended = repo.delete_sessions(s, user_id)
        repo.audit(s, "sign_out_everywhere", user_id=user_id, detail=f"{ended} sessions")
        return ended


def change_password(db: Database, user_id: int, password_hash: str, keep_session: str) -> int:
    """Set a new password (its hash) and end every other session (``keep_session``: the
    hash of the one to keep); how many ended."""
    with db.transaction() as s:
        repo.set_password(s, user_id, password_hash)
        ended = repo.delete_sessions(s, user_id, keep=keep_session)
        repo.audit(s, "change_password", user_id=user_id, detail=f"{ended} other sessions ended")
        return ended


def api_tokens(db: Database, user_id: int) -> list[ApiToken]:
    """The account's API tokens."""
    with db.reading() as s:
        return list(repo.api_tokens_for(s, user_id))


def create_api_token(db: Database, user_id: int, label: str, scope: str, days: int) -> str:
    """A new API token (shown once: only its hash is kept); ``InvalidInput`` names a bad
    scope or duration."""
    if scope not in API_SCOPES:
        raise InvalidInput(f"Invalid value for 'scope': allowed are {', '.join(API_SCOPES)}")
    if days not in TOKEN_DAYS:
        raise InvalidInput(f"Invalid value for 'days': allowed are {TOKEN_DAYS}")
    token = new_token()
    with db.transaction() as s:
        expires = repo.now() + timedelta(days=days)
        repo.create_api_token(s, user_id, hash_token(token), label.strip(), scope, expires)
        repo.audit(s, "new_api_token", user_id=user_id, detail=f"{scope}, {days} days")
    return token


def revoke_api_token(db: Database, user_id: int, token_id: int) -> None:
    """Stop one of the account's API tokens working (``NotFound`` for another's)."""
    with db.transaction() as s:
        if not repo.delete_api_token(s, user_id, token_id):
            raise NotFound("No such token")
        repo.audit(s, "revoke_api_token", user_id=user_id, detail=str(token_id))


def reset_password(db: Database, email: str, code: str, password_hash: str) -> str | None:
    """Set a new password with a one-time code: every session ends and a new one starts
    (its token); None when the account or the code is not right."""
    with db.transaction() as s:
        user = repo.user_by_email(s, email)
        if user is None or not repo.use_password_reset(s, user.id, hash_token(reset_code(code))):
            return None
        repo.set_password(s, user.id, password_hash)
        repo.delete_sessions(s, user.id)
        repo.audit(s, "password_reset", user_id=user.id)
        return start_session(s, user)


#: A reset code's characters: capitals and digits without the look-alikes I, O, 0 and 1, so
#: that a code read out or copied by hand has one reading.
RESET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: A reset code's groups of four characters (``K7QM-3XPA-9D2F``).
RESET_GROUPS = 3


def reset_code(typed: str) -> str:
    """A reset code as it is made (``K7QM-3XPA-9D2F``), from the code as someone typed it:
    with spaces for the dashes or none, in lower case (``k7qm 3xpa 9d2f``), as the
    invitation codes are read (:func:`~spasmwatch.diary.signup.code_letters`). The
    database keeps the hash of the code as made, so this is what is hashed."""
    return grouped_code(code_letters(typed))


def make_reset_code(s: Session, user_id: int) -> str:
    """A fresh one-time reset code for the user (the database keeps only its hash)."""
    code = grouped_code(
        "".join(secrets.choice(RESET_ALPHABET) for _ in range(CODE_GROUP * RESET_GROUPS))
    )
    expires = repo.now() + timedelta(minutes=RESET_MINUTES)
    repo.create_password_reset(s, user_id, hash_token(code), expires)
    return code


def reset_code_for(db: Database, email: str, detail: str) -> tuple[str, str]:
    """A reset code for the account of ``email`` (audited with ``detail``): the account's
    email and the code; :class:`~spasmwatch.errors.NotFound` when no account uses it."""
    with db.transaction() as s:
        user = repo.user_by_email(s, email)
        if user is None:
            raise NotFound(f"No account uses the email '{email}'")
        code = make_reset_code(s, user.id)
        repo.audit(s, "password_reset_code", user_id=user.id, detail=detail)
        return user.email, code
