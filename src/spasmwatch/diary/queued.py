"""Episodes sent with a key so that a retry stores them once: the offline form's and the
API's.

The browser makes a key for each episode it keeps (``static/offline.js``) and sends it with
the episode, again and again until an answer comes back. The key is stored with the
episode (``episodes.client_key``, unique), so a repeat, or two tabs sending at the same
moment, finds the episode stored the first time instead of storing a second one.

A script sends its own key in the API's ``Idempotency-Key`` header (:func:`log_keyed`).
Scripts make keys as they please (from the episode's time, a counter, a UUID), so the same
key may come from two families: the column keeps it scoped to the account and the child
(:func:`api_key`), where an account's key never meets another account's, nor a key the
browser made, and a key that is being reused for another episode is told so.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from spasmwatch.diary import state
from spasmwatch.diary.access import Principal, child_for, signed_in
from spasmwatch.diary.episodes import validated
from spasmwatch.errors import Conflict, InvalidInput
from spasmwatch.store import Database, repo
from spasmwatch.store.models import EpisodeRow

__all__ = ["KEY_PATTERN", "KEY_REUSED", "Sent", "api_key", "earlier", "log_keyed", "log_once"]

#: A key the caller makes for one episode (``crypto.randomUUID()``, ``uuid.uuid4()`` or
#: the like): the offline form's and the API's alike.
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

#: Where the column's value of an API key starts: a ``:`` is no character of a key
#: (:data:`KEY_PATTERN`), so no key a browser made is ever one of these.
_API_PREFIX = "api:"


@dataclass(frozen=True)
class Sent:
    """The stored episode's id, and whether it was stored by an earlier send of the key."""

    episode_id: int
    replayed: bool


def api_key(user_id: int, child_id: int, key: str) -> str:
    """The value ``episodes.client_key`` keeps for ``key`` sent to the API by this account
    for this child's diary.

    Scoped to the account, because keys are the script's own: two families' scripts that
    make keys alike (from the episode's time) must neither find each other's episode nor
    learn that the other's key exists. And to the child, because a retry goes to the same
    address as the first send: twins logged by a script at the same minute are two
    episodes, not one key sent to two diaries. Hashed so that it fits the column's 64
    characters with the prefix (:data:`_API_PREFIX`), with no migration; the hash is for
    length, not secrecy (the raw key never leaves its account)."""
    digest = hashlib.sha256(f"{user_id}:{child_id}:{key}".encode()).hexdigest()
    return _API_PREFIX + digest[: 64 - len(_API_PREFIX)]


def earlier(db: Database, key: str, child_id: int) -> Sent | None:
    """The episode an earlier send of ``key`` stored for the child, if any (a key stored
    with another child's episode: :class:`~spasmwatch.errors.Conflict`)."""
    with db.reading() as s:
        row = repo.episode_by_client_key(s, key)
    if row is None:
        return None
    if row.child_id != child_id:
        raise Conflict("This key was sent with another child's episode")
    return Sent(row.id, replayed=True)


def log_once(
    db: Database,
    who: Principal,
    child_id: int,
    episode: dict[str, Any],
    key: str,
    now: datetime | None = None,
) -> Sent:
    """Log ``episode`` from the offline form for the child unless an episode with ``key``
    is stored already (``now``: the family's time, which its start may not be after;
    default the server's). A repeat's episode is not looked at: the phone sends the one it
    kept, as it was.

    Raises :class:`~spasmwatch.errors.InvalidCase` for an episode the case format refuses,
    :class:`~spasmwatch.errors.Conflict` for a key stored with another child's episode, and
    the access errors of :func:`~spasmwatch.diary.access.child_for`.
    """
    with db.reading() as s:
        child_for(s, who, child_id, "log")
    return _once(
        lambda: earlier(db, key, child_id),
        lambda: _store(db, who, child_id, episode, key, now, "queued"),
    )


#: What a key sent again with an episode other than the one stored with it is told.
KEY_REUSED = (
    "This Idempotency-Key was used with another episode: make a new key for each episode, "
    "and send the same key only with a retry of the same episode"
)


def log_keyed(
    db: Database,
    who: Principal,
    child_id: int,
    episode: dict[str, Any],
    key: str,
    now: datetime | None = None,
) -> Sent:
    """Log ``episode`` sent to the API with the caller's ``key`` unless this account stored
    one with that key in the child's diary already (:func:`api_key`); ``now`` as for
    :func:`log_once`.

    A repeat is answered with the episode stored the first time only when it sends that
    episode again (compared as validated, so that key order or ``1`` for ``1.0`` is the
    same episode): a key reused for another one would otherwise be told "stored" while the
    new episode is lost. Once someone has changed the stored episode, what the first send
    said is no longer known, and a repeat is answered as one: refusing it would tell the
    script to send it again under a new key, as a second episode.

    Raises :class:`~spasmwatch.errors.InvalidCase` for an episode the case format refuses,
    :class:`~spasmwatch.errors.InvalidInput` (:data:`KEY_REUSED`) for a key stored with
    another episode, and the access errors of :func:`~spasmwatch.diary.access.child_for`.
    """
    with db.reading() as s:
        child, _ = child_for(s, who, child_id, "log")
        # as the column gives it back (JSON), so that a repeat compares alike
        data = json.loads(json.dumps(validated(child, episode, now)))
    stored_key = api_key(signed_in(who).id, child_id, key)
    return _once(
        lambda: _keyed(db, stored_key, child_id, data),
        lambda: _store(db, who, child_id, episode, stored_key, now, "api"),
    )


def _once(earlier_one: Callable[[], Sent | None], store: Callable[[], Sent]) -> Sent:
    """The episode ``earlier_one`` finds for the key, else the one ``store`` stores; when
    two sends of the key come at the same moment, the column's uniqueness refuses the
    second store and the first's episode is answered."""
    if (first := earlier_one()) is not None:
        return first
    try:
        return store()
    except IntegrityError:
        if (first := earlier_one()) is not None:
            return first
        raise


def _keyed(db: Database, stored_key: str, child_id: int, data: dict[str, Any]) -> Sent | None:
    """The episode stored with an API key (:func:`api_key`), if any, when ``data`` (the
    repeat's episode, validated) is the one it was stored with."""
    with db.reading() as s:
        row = repo.episode_by_client_key(s, stored_key)
    if row is None or row.child_id != child_id:
        return None
    if row.data != data and not _changed_since_logged(row):
        raise InvalidInput(KEY_REUSED)
    return Sent(row.id, replayed=True)


def _changed_since_logged(row: EpisodeRow) -> bool:
    """Whether the episode was saved again after it was logged (the two times are the
    same until an edit: :func:`~spasmwatch.store.repo.update_episode`). Kept to the
    second, so an edit in the very second of the logging goes unseen (its repeat is
    compared), and a logging that spans two seconds counts as changed (its repeat is
    answered): both far rarer than a retry, and the second errs towards no double."""
    return row.updated_at != row.logged_at


def _store(
    db: Database,
    who: Principal,
    child_id: int,
    episode: dict[str, Any],
    stored_key: str,
    now: datetime | None,
    way: str,
) -> Sent:
    """Store the episode with its key; the audit says which ``way`` it came (``queued``:
    the offline form, ``api``: a script, as the API's other changes say)."""
    with db.transaction() as s:
        child, _ = child_for(s, who, child_id, "log")
        row = repo.add_episode(s, child_id, validated(child, episode, now), who.user_id, stored_key)
        repo.audit(
            s, "log_episode", child_id=child_id, user_id=who.user_id, detail=f"{way} {row.id}"
        )
        state.refresh(s, child)
        return Sent(row.id, replayed=False)
