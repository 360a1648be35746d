"""Accounts: one-time password reset codes."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy.orm import Session

from spasmwatch.diary.access import hash_token
from spasmwatch.errors import NotFound
from spasmwatch.store import Database, repo

__all__ = ["RESET_MINUTES", "make_reset_code", "reset_code_for"]

#: How long a reset code works.
RESET_MINUTES = 30


def make_reset_code(s: Session, user_id: int) -> str:
    """A fresh one-time reset code for the user (the database keeps only its hash)."""
    code = "-".join(
        "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(4))
        for _ in range(3)
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
