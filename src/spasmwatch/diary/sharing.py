"""Share links for a clinician, members (caregivers, viewers) and invitations."""

from __future__ import annotations

from datetime import datetime, timedelta

from spasmwatch.diary.access import Principal, child_for, hash_token, new_token, signed_in
from spasmwatch.errors import Conflict, InvalidInput, NotFound
from spasmwatch.store import Database, repo
from spasmwatch.store.models import ShareLink

__all__ = [
    "MEMBER_ROLES",
    "SHARE_DAYS",
    "add_member",
    "create_link",
    "hand_over",
    "is_live_link",
    "leave",
    "remove_invitation",
    "remove_member",
    "revoke_link",
]

#: How long a share link may last, in days.
SHARE_DAYS = (1, 7, 30)
#: The roles an owner may give.
MEMBER_ROLES = ("caregiver", "viewer")


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


def add_member(db: Database, who: Principal, child_id: int, email: str, role: str) -> int:
    """Give a role to whoever uses ``email`` (owner only); the answer is the same whether
    or not an account uses it yet (the role is taken up when it signs in, or when an
    account is made with it). Returns the invitation's id (what the owner sends the
    person is shown with it)."""
    if role not in MEMBER_ROLES:
        raise InvalidInput("Invalid value for 'role': allowed are caregiver, viewer")
    with db.transaction() as s:
        child_for(s, who, child_id, "own")
        user = signed_in(who)
        if email == user.email:
            raise InvalidInput("You are already the owner")
        invitation = repo.invite(s, child_id, email, role, user.id)
        repo.audit(s, "add_member", child_id=child_id, user_id=who.user_id, detail=role)
        return invitation.id


def remove_member(db: Database, who: Principal, child_id: int, user_id: int) -> None:
    """Take a caregiver's or viewer's role away (the owner's cannot be)."""
    with db.transaction() as s:
        child_for(s, who, child_id, "own")
        if not repo.remove_member(s, child_id, user_id):
            raise NotFound("No such member")
        repo.audit(s, "remove_member", child_id=child_id, user_id=who.user_id)


def remove_invitation(db: Database, who: Principal, child_id: int, invitation_id: int) -> None:
    """Withdraw a role given to an email that was not taken up yet."""
    with db.transaction() as s:
        child_for(s, who, child_id, "own")
        if not repo.remove_invitation(s, child_id, invitation_id):
            raise NotFound("No such invitation")
        repo.audit(s, "remove_member", child_id=child_id, user_id=who.user_id)


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
