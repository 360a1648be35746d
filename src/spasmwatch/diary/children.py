"""Children: add, edit, list and delete."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, NamedTuple

from spasmwatch.diary import state
from spasmwatch.diary.access import Principal, child_for, signed_in
from spasmwatch.diary.episodes import add_episodes
from spasmwatch.store import Database, repo
from spasmwatch.store.models import Child
from spasmwatch.store.repo import child_document
from spasmwatch.triage import RULES_VERSION
from spasmwatch.triage.engine import NOTHING_LOGGED, emergency_last_seen

__all__ = [
    "ChildItem",
    "add",
    "child_document",
    "child_fields",
    "delete",
    "edit",
    "get",
    "list_for",
]


def child_fields(child_doc: dict[str, Any]) -> dict[str, Any]:
    """Model fields from the case format's child."""
    birth = child_doc.get("birth_date")
    return {
        "birth_date": date.fromisoformat(birth) if birth else None,
        "age_months": child_doc.get("age_months"),
        "born_weeks": child_doc.get("born_weeks"),
        "conditions": child_doc.get("conditions", []),
        "development": child_doc.get("development", "unknown"),
    }


class ChildItem(NamedTuple):
    """One child of the list: the child, the user's role, the last triage level (None:
    never triaged) and, for an emergency, when its newest warning sign was seen (None
    where any has no time: :func:`~spasmwatch.triage.engine.emergency_last_seen`), for
    the list to say how old it is."""

    child: Child
    role: str
    level: str | None
    warning_seen_at: datetime | None = None
    #: the last answer is the engine's to a diary with nothing logged: the list says
    #: "Nothing logged yet", as the child page does, not "next check-up"
    nothing_logged: bool = False


def list_for(db: Database, who: Principal) -> list[ChildItem]:
    """The children the user has a role for, with their last triage level."""
    user = signed_in(who)
    with db.reading() as s:
        items = []
        for child, role in repo.children_for_user(s, user.id):
            last = repo.latest_triage(s, child.id)
            if last is None:
                items.append(ChildItem(child, role, None))
                continue
            # An answer of other rules may not say which episodes have no time.
            current = last.level == "emergency" and last.rules_version == RULES_VERSION
            seen = emergency_last_seen(last.result) if current else None
            empty = last.level == "routine" and (last.result or {}).get("title") == NOTHING_LOGGED
            items.append(ChildItem(child, role, last.level, seen, empty))
        return items


def get(db: Database, who: Principal, child_id: int, need: str = "view") -> tuple[Child, str]:
    """The child and the user's role, if it allows ``need``."""
    with db.reading() as s:
        return child_for(s, who, child_id, need)


def add(
    db: Database,
    who: Principal,
    name: str,
    child_doc: dict[str, Any],
    *,
    episodes: list[dict[str, Any]] | None = None,
    detail: str = "",
) -> tuple[Child, bool]:
    """Add a child (the user becomes its owner), with ``episodes`` kept from an
    anonymous check; returns the child and whether episodes were kept with it.

    Raises
    ------
    InvalidCase
        If the episodes do not fit the child (one dated before the date of birth given
        since the check, say): nothing is stored, the child neither, for the form to say
        so with everything that was typed; the kept check was once dropped silently here,
        and the diary began without the episode the parent had kept."""
    user = signed_in(who)
    with db.transaction() as s:
        child = repo.create_child(s, user.id, name, **child_fields(child_doc))
        repo.audit(s, "add_child", child_id=child.id, user_id=user.id, detail=detail)
        if episodes:
            add_episodes(s, child, episodes, user.id, "check ")
        state.refresh(s, child)
        return child, bool(episodes)


def edit(
    db: Database,
    who: Principal,
    child_id: int,
    name: str,
    child_doc: dict[str, Any],
    detail: str = "",
) -> tuple[Child, str]:
    """Replace a child's name and details (owner only); the triage follows."""
    with db.transaction() as s:
        child, role = child_for(s, who, child_id, "own")
        child.name = name
        for key, value in child_fields(child_doc).items():
            setattr(child, key, value)
        child.age_recorded_on = date.today()
        repo.audit(s, "edit_child", child_id=child_id, user_id=who.user_id, detail=detail)
        state.refresh(s, child)
        return child, role


def delete(db: Database, who: Principal, child_id: int, detail: str = "") -> str:
    """Delete a child, its diary and its files (owner only); returns the child's name."""
    with db.transaction() as s:
        child, _ = child_for(s, who, child_id, "own")
        name = child.name
        hashes = repo.delete_child(s, child)
        repo.audit(
            s, "delete_child", user_id=who.user_id, detail=f"{detail}child {child_id}".strip()
        )
    db.remove_unreferenced(hashes)  # its videos, EEG files, contact sheets and clips
    return name
