"""Who is asking, and what their role for a child allows."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy.orm import Session

from spasmwatch.errors import Forbidden, NotFound, SpasmwatchError
from spasmwatch.i18n import N_
from spasmwatch.store import repo
from spasmwatch.store.models import Child, ShareLink, User, UserSession

__all__ = [
    "NEEDS",
    "ROLE_CAN",
    "NotSignedIn",
    "Principal",
    "child_for",
    "hash_token",
    "may_delete",
    "new_token",
    "share_for",
    "signed_in",
]

#: What each role may do with a child.
ROLE_CAN: dict[str, frozenset[str]] = {
    "owner": frozenset({"view", "log", "own"}),
    "caregiver": frozenset({"view", "log"}),
    "viewer": frozenset({"view"}),
}
NEEDS = ("view", "log", "own")


def new_token() -> str:
    """A fresh random token (URL-safe, 256 bits): sessions, share links, API tokens."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The SHA-256 of a token or code, as stored in the database (never the token)."""
    return hashlib.sha256(token.encode()).hexdigest()


class NotSignedIn(SpasmwatchError):
    """The use case needs a signed-in user and nobody is."""


@dataclass
class Principal:
    """Who is asking: a signed-in user (by cookie or API token), or nobody."""

    user: User | None = None
    session: UserSession | None = None
    via_api_token: bool = False
    #: The API token's scope (``read`` or ``write``) when ``via_api_token``.
    scope: str = ""

    @property
    def user_id(self) -> int | None:
        """The user's id, or None."""
        return self.user.id if self.user else None


def signed_in(who: Principal) -> User:
    """The signed-in user, or :class:`NotSignedIn`."""
    if who.user is None:
        raise NotSignedIn("Sign in first")
    return who.user


#: What a member whose role does not allow a change is told (one sentence per role, so
#: that the page can say it in its language).
_ROLE_REFUSALS = {
    "owner": N_("Your role (owner) does not allow this"),
    "caregiver": N_("Your role (caregiver) does not allow this: only the diary's owner can"),
    "viewer": N_("Your role (viewer) allows reading this diary, not changing it"),
}


def may_delete(role: str, made_by: int | None, user_id: int | None) -> bool:
    """Whether a member of this ``role`` may delete an episode or a recording that the
    user ``made_by`` logged or uploaded: the owner anything; a caregiver only what they
    logged or uploaded themselves (what another person saw or filmed stays)."""
    if role == "owner":
        return True
    return role == "caregiver" and user_id is not None and made_by == user_id


def child_for(s: Session, who: Principal, child_id: int, need: str) -> tuple[Child, str]:
    """The child and the user's role, if the role allows ``need`` (view, log, own).

    :class:`NotSignedIn` when nobody is signed in, :class:`~spasmwatch.errors.NotFound`
    when the user has no role for the child (its existence is not revealed),
    :class:`~spasmwatch.errors.Forbidden` when the role does not allow ``need``.
    """
    user = signed_in(who)
    found = repo.child_and_role(s, user.id, child_id)
    if found is None:
        raise NotFound("No such child")
    child, role = found
    if need not in ROLE_CAN[role]:
        raise Forbidden(_ROLE_REFUSALS[role])
    # A change to the diary takes the child's row when it moves the diary's version on
    # (``repo.forget_state``), just before it commits: changes to one diary queue only for
    # that short end, not for their checks and writes of their own rows.
    return child, role


def share_for(s: Session, token_hash: str) -> ShareLink:
    """The valid share link with this token hash, or :class:`~spasmwatch.errors.NotFound`
    (unknown, revoked or expired)."""
    link = repo.share_link_by_token(s, token_hash)
    if link is None:
        raise NotFound("This link is not valid: it may have expired or been revoked")
    return link
