"""Share links for a clinician, members (caregivers, viewers) and invitations.

A person is given a role by an invitation link: its token is random and shown once (the
database keeps its hash); whoever opens the link and signs up or signs in takes the role
up, once, within :data:`INVITE_DAYS` days, unless the owner withdrew it or made a new link
for it. The email the owner gives says whom it is for; it does not decide who gets the
role (nothing checks that an address is its user's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from spasmwatch.diary.access import Principal, child_for, hash_token, new_token, signed_in
from spasmwatch.errors import Conflict, InvalidInput, NotFound
from spasmwatch.store import Database, repo
from spasmwatch.store.models import Invitation, ShareLink, User

__all__ = [
    "INVITE_DAYS",
    "LINK_TOKEN",
    "MEMBER_ROLES",
    "SHARE_DAYS",
    "InvitationCheck",
    "accept_invitation",
    "add_member",
    "check_invitation",
    "create_link",
    "hand_over",
    "invitation_of_link",
    "is_live_link",
    "leave",
    "remove_invitation",
    "remove_member",
    "renew_invitation",
    "revoke_link",
    "take_invitation",
]

#: How long a share link may last, in days.
SHARE_DAYS = (1, 7, 30)
#: The roles an owner may give.
MEMBER_ROLES = ("caregiver", "viewer")
#: How long an invitation link works, in days.
INVITE_DAYS = 14
#: A share link's or an invitation link's token as
#: :func:`~spasmwatch.diary.access.new_token` makes it (anything else is no link of this
#: app, and is not looked up).
LINK_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,100}")


def create_link(
    db: Database, who: Principal, child_id: int, label: str, days: int
) -> tuple[ShareLink, str]:
    """A new read-only link for ``days`` days (owner only); the link and its token (shown
    once: only its hash is kept)."""
    if days not in SHARE_DAYS:
        raise InvalidInput(f"Invalid value for 'days': allowed are {SHARE_DAYS}")
    token = new_token()
    with db.transaction() as s:
        child_for(s, who, child_id, "own")
        link = repo.create_share_link(
            s,
            child_id,
            hash_token(token),
            label[:100],
            who.user_id or 0,
            datetime.now() + timedelta(days=days),
        )
        repo.audit(
            s,
            "share",
            child_id=child_id,
            user_id=who.user_id,
            share_link_id=link.id,
            detail=f"{days} days",
        )
        return link, token


def is_live_link(db: Database, child_id: int, token: str) -> bool:
    """Whether ``token`` is a link of this child that is neither revoked nor expired."""
    with db.reading() as s:
        link = repo.share_link_by_token(s, hash_token(token))
        return link is not None and link.child_id == child_id


def revoke_link(
    db: Database, who: Principal, child_id: int, link_id: int, confirmed: bool = True
) -> None:
    """Stop a share link working (owner only). ``confirmed``: the person ticked the box
    (asked after the role and the link, so that the answer reveals nothing)."""
    with db.transaction() as s:
        child_for(s, who, child_id, "own")
        link = repo.get_share_link(s, child_id, link_id)
        if link is None:
            raise NotFound("No such link")
        if not confirmed:
            raise InvalidInput("Invalid value for 'confirm': tick the box to revoke the link")
        link.revoked_at = datetime.now()
        repo.audit(s, "revoke_share", child_id=child_id, user_id=who.user_id, share_link_id=link_id)


def _expiry() -> datetime:
    return repo.now() + timedelta(days=INVITE_DAYS)


def add_member(
    db: Database, who: Principal, child_id: int, email: str, role: str
) -> tuple[int, str]:
    """Invite the person of ``email`` to a role (owner only): an invitation link for them,
    whether or not an account uses the address (the answer says nothing about that). The
    same email again changes the role and makes a new link (the earlier one stops
    working). Returns the invitation's id and its link's token (shown once: only its hash
    is kept)."""
    if role not in MEMBER_ROLES:
        raise InvalidInput("Invalid value for 'role': allowed are caregiver, viewer")
    token = new_token()
    with db.transaction() as s:
        child_for(s, who, child_id, "own")
        user = signed_in(who)
        if email == user.email:
            raise InvalidInput("You are already the owner")
        invitation = repo.invite(s, child_id, email, role, user.id, hash_token(token), _expiry())
        repo.audit(s, "add_member", child_id=child_id, user_id=who.user_id, detail=role)
        return invitation.id, token


def renew_invitation(db: Database, who: Principal, child_id: int, invitation_id: int) -> str:
    """A new link for a waiting invitation (owner only), for another :data:`INVITE_DAYS`
    days: the earlier link stops working. Returns its token (shown once)."""
    token = new_token()
    with db.transaction() as s:
        child_for(s, who, child_id, "own")
        if repo.renew_invitation(s, child_id, invitation_id, hash_token(token), _expiry()) is None:
            raise NotFound("No such invitation")
        repo.audit(s, "renew_invitation", child_id=child_id, user_id=who.user_id)
        return token


def invitation_of_link(db: Database, child_id: int, token: str) -> int | None:
    """The id of the child's waiting, unexpired invitation whose link has ``token`` (a
    link just made, to show once); None for any other token."""
    if not LINK_TOKEN.fullmatch(token):
        return None
    with db.reading() as s:
        row = repo.invitation_by_token(s, hash_token(token))
        if row is None or row.child_id != child_id or _state(row) != "open":
            return None
        return row.id


@dataclass(frozen=True)
class InvitationCheck:
    """Where an invitation link stands. ``state``: ``open`` (it can be taken up),
    ``accepted`` (just taken up), ``own`` (opened by the diary's owner, who keeps it for
    the person it is for), ``used``, ``expired``, ``withdrawn``, or ``unknown`` (no such
    link, or one replaced by a newer link). The child, the role and who sent it are told
    only for an ``open``, ``accepted`` or ``own`` one."""

    state: str
    child_id: int | None = None
    child_name: str = ""
    role: str = ""
    invited_by: str = ""


def _state(row: Invitation) -> str:
    if row.revoked_at is not None:
        return "withdrawn"
    if row.used_at is not None:
        return "used"
    if row.expires_at is None or row.expires_at <= repo.now():
        return "expired"
    return "open"


def _find(s: Session, token: str, user: User | None) -> tuple[Invitation | None, InvitationCheck]:
    """The invitation of ``token`` and where it stands for ``user`` (None: nobody signed
    in)."""
    row = repo.invitation_by_token(s, hash_token(token)) if LINK_TOKEN.fullmatch(token) else None
    if row is None:
        return None, InvitationCheck("unknown")
    state = _state(row)
    if state != "open":
        return row, InvitationCheck(state)
    if user is not None and repo.role_of(s, user.id, row.child_id) == "owner":
        state = "own"
    child = repo.require_child(s, row.child_id)
    by = repo.display_names(s, [row.invited_by]).get(row.invited_by or 0, "")
    return row, InvitationCheck(state, child.id, child.name, row.role, by)


def check_invitation(db: Database, token: str, who: Principal | None = None) -> InvitationCheck:
    """Where the invitation link with ``token`` stands for ``who`` (nothing changes)."""
    with db.reading() as s:
        return _find(s, token, who.user if who is not None else None)[1]


def take_invitation(s: Session, user: User, token: str) -> InvitationCheck:
    """Give ``user`` the role of the invitation link with ``token``, if it is open, in the
    caller's transaction (signing up or in, accepting it signed in). The diary's owner
    opening their own link changes nothing: the link stays for the person it is for."""
    row, found = _find(s, token, user)
    if row is None or found.state != "open":
        return found
    if not repo.accept_invitation(s, row, user):  # another transaction took it first
        s.refresh(row)
        return InvitationCheck(_state(row))
    repo.audit(s, "accept_invitation", child_id=row.child_id, user_id=user.id, detail=row.role)
    return InvitationCheck(
        "accepted", found.child_id, found.child_name, found.role, found.invited_by
    )


def accept_invitation(db: Database, who: Principal, token: str) -> InvitationCheck:
    """A signed-in person takes up the invitation link with ``token``."""
    with db.transaction() as s:
        return take_invitation(s, signed_in(who), token)


def remove_member(db: Database, who: Principal, child_id: int, user_id: int) -> None:
    """Take a caregiver's or viewer's role away (the owner's cannot be)."""
    with db.transaction() as s:
        child_for(s, who, child_id, "own")
        if not repo.remove_member(s, child_id, user_id):
            raise NotFound("No such member")
        repo.audit(s, "remove_member", child_id=child_id, user_id=who.user_id)


def remove_invitation(db: Database, who: Principal, child_id: int, invitation_id: int) -> None:
    """Withdraw an invitation not taken up yet: its link then says that it was withdrawn."""
    with db.transaction() as s:
        child_for(s, who, child_id, "own")
        if not repo.remove_invitation(s, child_id, invitation_id):
            raise NotFound("No such invitation")
        repo.audit(s, "withdraw_invitation", child_id=child_id, user_id=who.user_id)


def hand_over(
    db: Database, who: Principal, child_id: int, user_id: int, confirmed: bool = True
) -> str:
    """Make a member the diary's owner (owner only); the owner who hands it over stays as
    a caregiver, who can log and can then leave. A family's diary is not tied to the
    account that started it: a co-parent can take it over, and the first owner can then
    leave it or delete their account. Returns the new owner's name. ``confirmed``: the
    person ticked the box (asked after the role, so that the answer reveals nothing)."""
    with db.transaction() as s:
        child_for(s, who, child_id, "own")
        user = signed_in(who)
        role = repo.role_of(s, user_id, child_id)
        if role is None:
            raise NotFound("No such member")
        if user_id == user.id:
            raise InvalidInput("You are already the owner")
        if not confirmed:
            raise InvalidInput("Invalid value for 'confirm': tick the box to hand the diary over")
        repo.add_member(s, child_id, user_id, "owner")
        repo.add_member(s, child_id, user.id, "caregiver")
        repo.audit(s, "hand_over", child_id=child_id, user_id=who.user_id, detail=role)
        return repo.require_user(s, user_id).display_name


def leave(db: Database, who: Principal, child_id: int, confirmed: bool = True) -> str:
    """Take one's own caregiver or viewer role away; the owner is told to hand the diary
    over first (:func:`hand_over`) or to delete it. What the member logged stays. Returns
    the child's name."""
    with db.transaction() as s:
        child, role = child_for(s, who, child_id, "view")
        if role == "owner":
            raise Conflict(
                f"You own the diary of {child.name}: make another person its owner first "
                "(People, Make owner), or delete the diary"
            )
        if not confirmed:
            raise InvalidInput("Invalid value for 'confirm': tick the box to leave the diary")
        user = signed_in(who)
        repo.remove_member(s, child_id, user.id)
        repo.audit(s, "member_left", child_id=child_id, user_id=user.id, detail=role)
        return child.name
