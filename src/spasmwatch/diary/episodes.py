"""Episodes: log, edit, delete, read."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from spasmwatch.case import Episode, parse_case
from spasmwatch.diary import state
from spasmwatch.diary.access import Principal, child_for, may_delete
from spasmwatch.diary.recordings import Upload, record
from spasmwatch.errors import Conflict, Forbidden, InvalidCase, InvalidInput, NotFound
from spasmwatch.i18n import N_
from spasmwatch.store import Database, repo
from spasmwatch.store.models import Child, EpisodeRow
from spasmwatch.store.repo import child_document

__all__ = [
    "FUTURE_SLACK",
    "PHONE_CLOCK_RANGE",
    "START_IN_FUTURE",
    "Saved",
    "add_episodes",
    "delete",
    "episode_of",
    "family_now",
    "future_problem",
    "get",
    "list_for",
    "log",
    "log_many",
    "validated",
    "version_of",
]

#: A phone's clock and the server's may differ a little: "now" may be this far ahead.
FUTURE_SLACK = timedelta(minutes=10)
#: How far the clock of the family's phone may be from the server's and still be taken as
#: the family's wall-clock time: local times differ by up to 14 hours either way (UTC-12
#: to UTC+14), so a phone in Madrid reads an hour ahead of a server on UTC.
PHONE_CLOCK_RANGE = timedelta(hours=14)


def family_now(phone_now: datetime | None, server_now: datetime | None = None) -> datetime:
    """The family's wall-clock time now, which the diary's times are in (naive local time):
    the phone's clock ``phone_now`` (naive, as its form sent it) when it is given and within
    :data:`PHONE_CLOCK_RANGE` of the server's, else the server's own clock ``server_now``
    (default: now). An implausible phone time (a clock set years off, a made-up value) is
    ignored rather than trusted."""
    server_now = server_now or datetime.now()
    if phone_now is None or phone_now.tzinfo is not None:
        return server_now
    if abs(phone_now - server_now) > PHONE_CLOCK_RANGE:
        return server_now
    return phone_now


@dataclass(frozen=True)
class Saved:
    """A logged or edited episode, the diary's triage after it, and its new attachment."""

    episode: EpisodeRow
    triage: dict[str, Any]
    attachment_id: int | None = None


def validated(child: Child, episode: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """``episode`` checked against the case format for this child (and not in the future
    of ``now``, the family's time: see :func:`family_now`; default the server's clock), as
    stored; :class:`~spasmwatch.errors.InvalidCase` names each problem with the episode's
    own field names."""
    try:
        case = parse_case({"child": child_document(child), "episodes": [episode]})
    except InvalidCase as exc:
        raise InvalidCase([p.replace("'episodes[0].", "'") for p in exc.problems]) from None
    problem = future_problem(case.episodes[0], now)
    if problem:
        raise InvalidCase(problem)
    return case.to_json_dict()["episodes"][0]


#: An episode's start after now (``path``: the field, ``when``: the start, ISO): made in
#: English, said in another language from this template (``spasmwatch import csv``).
START_IN_FUTURE = N_("Invalid value for '%(path)s': %(when)s is in the future")


def future_problem(episode: Episode, now: datetime | None = None) -> str | None:
    """The problem of an episode that starts after now (more than :data:`FUTURE_SLACK`
    ahead), or ``None``: an episode in the future would count as the newest of the diary
    and keep its triage at its level for years. One check for every way in (the forms,
    the API, the interview, a CSV import).

    ``now`` is the family's wall-clock time (:func:`family_now`), which a naive start is
    compared with. A start whose zone is known (its own offset, or the family's
    ``utc_offset_minutes``) is compared with the real time when the family's clock is not
    given (a file imported on a server in another time zone); a start with its own offset
    always is, as it names an instant whatever the family's clock says."""
    started = episode.started_at
    if started is None:
        return None
    aware = episode.started_at_aware
    if aware is not None and (started.tzinfo is not None or now is None):
        late = aware > datetime.now(UTC) + FUTURE_SLACK
    else:
        late = started > (now or datetime.now()) + FUTURE_SLACK
    if not late:
        return None
    return START_IN_FUTURE % {"path": "started_at", "when": started.isoformat()}


#: What an edit sent after someone else changed the episode is told (nothing is saved).
CHANGED_MEANWHILE = N_(
    "Someone changed this episode after you opened it, so your changes were not saved; "
    "what you entered is still here: check it against the diary and save again"
)


def version_of(row: EpisodeRow) -> str:
    """A short fingerprint of the episode as stored. An edit carries the one it started
    from; a different one now means that someone else saved it in between (the stored
    times are to the second, too coarse to tell two saves apart)."""
    text = json.dumps(row.data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def episode_of(s: Session, child_id: int, episode_id: int, for_update: bool = False) -> EpisodeRow:
    """The child's episode with this id, or :class:`~spasmwatch.errors.NotFound`."""
    row = repo.get_episode(s, child_id, episode_id, for_update)
    if row is None:
        raise NotFound("No such episode")
    return row


def log(
    db: Database,
    who: Principal,
    child_id: int,
    episode: dict[str, Any],
    *,
    upload: Upload | None = None,
    detail: str = "",
    episode_id: int | None = None,
    edited_version: str | None = None,
    now: datetime | None = None,
) -> Saved:
    """Log an episode (or replace episode ``episode_id``), with an optional video or EEG
    file whose analysis is queued; the diary's triage is then computed once and stored
    (outside the change's transaction, so that other writers do not wait for it).

    ``edited_version``: the :func:`version_of` the episode had when the edit began; if
    someone has saved it since, :class:`~spasmwatch.errors.Conflict` and nothing is
    saved, so that two people editing at once do not undo each other's changes.

    ``now``: the family's time (:func:`family_now`), which the start may not be after."""
    with db.transaction() as s:
        child, _ = child_for(s, who, child_id, "log")
        data = validated(child, episode, now)
        if episode_id is None:
            row = repo.add_episode(s, child_id, data, who.user_id)
            action = "log_episode"
        else:
            current = episode_of(s, child_id, episode_id, for_update=True)
            if edited_version and edited_version != version_of(current):
                raise Conflict(CHANGED_MEANWHILE)
            row = repo.update_episode(s, current, data)
            action = "edit_episode"
        attachment = record(s, who, child_id, row.id, upload) if upload is not None else None
        repo.audit(
            s, action, child_id=child_id, user_id=who.user_id, detail=f"{detail}{row.id}".strip()
        )
        attachment_id = attachment.id if attachment is not None else None
    return Saved(row, state.after_change(db, child).triage, attachment_id)


def add_episodes(
    s: Session, child: Child, episodes: list[dict[str, Any]], user_id: int | None, detail: str
) -> list[EpisodeRow]:
    """Check ``episodes`` against the case format for this child and add them, each
    audited (in the caller's transaction); all or none: ``InvalidCase`` adds nothing."""
    case = parse_case({"child": child_document(child), "episodes": episodes})
    rows = []
    for episode in case.to_json_dict().get("episodes", []):
        row = repo.add_episode(s, child.id, episode, user_id)
        repo.audit(s, "log_episode", child_id=child.id, user_id=user_id, detail=f"{detail}{row.id}")
        rows.append(row)
    return rows


def log_many(
    db: Database, who: Principal, child_id: int, episodes: list[dict[str, Any]], detail: str = ""
) -> list[EpisodeRow]:
    """Log several episodes at once (all or none), e.g. a kept anonymous check."""
    with db.transaction() as s:
        child, _ = child_for(s, who, child_id, "log")
        rows = add_episodes(s, child, episodes, who.user_id, detail)
    state.after_change(db, child)  # computed and stored outside the change, as log does
    return rows


def get(
    db: Database, who: Principal, child_id: int, episode_id: int, need: str = "view"
) -> tuple[Child, EpisodeRow]:
    """The child and one of its episodes."""
    with db.reading() as s:
        child, _ = child_for(s, who, child_id, need)
        return child, episode_of(s, child_id, episode_id)


def list_for(db: Database, who: Principal, child_id: int) -> list[EpisodeRow]:
    """The child's episodes, oldest first."""
    with db.reading() as s:
        child_for(s, who, child_id, "view")
        return repo.episodes_for(s, child_id)


def delete(
    db: Database,
    who: Principal,
    child_id: int,
    episode_id: int,
    detail: str = "",
    confirmed: bool = True,
) -> None:
    """Delete an episode and the files attached to it. The owner deletes any episode; a
    caregiver only one they logged (:func:`~spasmwatch.diary.access.may_delete`): what
    another person saw stays. ``confirmed``: the person ticked the box (asked after the
    role and the episode, so that the answer reveals nothing)."""
    with db.transaction() as s:
        _child, role = child_for(s, who, child_id, "log")
        row = episode_of(s, child_id, episode_id)
        if not may_delete(role, row.logged_by, who.user_id):
            raise Forbidden(
                "Only the person who logged this episode, or the diary's owner, can delete it"
            )
        if not confirmed:
            raise InvalidInput(
                "Invalid value for 'confirm': tick the box to delete the episode; nothing "
                "was deleted"
            )
        hashes = repo.delete_episode(s, row)
        repo.audit(
            s,
            "delete_episode",
            child_id=child_id,
            user_id=who.user_id,
            detail=detail or str(episode_id),
        )
    state.read(db, child_id)
    db.remove_unreferenced(hashes)  # its video, contact sheet and clips
