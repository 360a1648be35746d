"""The derived state of a diary, computed once per change and stored.

The triage of a child's whole diary and its per-day counts cost time in proportion to the
diary; a page view must not pay it. Every change moves the diary's version on
(``repo.forget_state``). Logging an episode then computes the state from the diary as it
is, holding no lock, and stores it with that version in a short transaction, only if no
other change came in meanwhile (:func:`after_change`, :func:`read`); other changes compute
it in their own transaction (:func:`refresh`). A page view reads the stored state and
computes it again only when it is missing (a change since), the rules changed or the day
changed (a child's age and "recent" grow with the date).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NamedTuple

from pydantic import ValidationError
from sqlalchemy.orm import Session

from spasmwatch.care.development import regression_of
from spasmwatch.care.response import spasm_like
from spasmwatch.case import Case, Episode, parse_case
from spasmwatch.store import Database, repo
from spasmwatch.store import care as care_store
from spasmwatch.store.models import Child, DiaryState
from spasmwatch.triage import RULES_VERSION, TriageResult, triage
from spasmwatch.triage.facts import (
    FactsMemo,
    counted_as_lookalike,
    counted_movements,
    derive_facts,
)
from spasmwatch.triage.predicates import infant_startle_series

__all__ = [
    "DayCounts",
    "Derived",
    "after_change",
    "read",
    "refresh",
    "spasm_days_now",
    "triage_child",
    "triage_with_unsaved",
]

#: ``{day: (episodes, movements, look-alike movements, episodes without a count)}`` over
#: every timed episode: the third are the movements of episodes of harmless look-alikes
#: only (hiccups, shivering, tremor, startle, less a series of startles that the triage
#: calls spasm-like: :func:`~spasmwatch.triage.facts.counted_as_lookalike`), part of the
#: second; the last, the episodes that name a movement but were logged without a count,
#: each counted as one of the movements (the day had at least that many).
DayCounts = dict[date, tuple[int, int, int, int]]
#: How many numbers each day of :data:`DayCounts` holds (a state stored with fewer is
#: computed again).
DAY_COUNT_FIELDS = 4


@dataclass(frozen=True)
class Derived:
    """What is derived from a diary: its triage (the result JSON) and the per-day counts."""

    triage: dict[str, Any]
    day_counts: DayCounts
    episodes: int
    computed_at: datetime
    #: The days with spasm-like episodes (a treatment's response is read from them).
    spasm_days: tuple[date, ...] = ()


class Counted(NamedTuple):
    """What the counts read of a stored episode that depends on the child's age at it."""

    #: Its movements are counted apart, as harmless look-alikes
    #: (:func:`~spasmwatch.triage.facts.counted_as_lookalike`).
    lookalike: bool
    #: It is spasm-like: a spasm-like movement (:attr:`Stored.spasm_like`) or a series of
    #: startles that the triage calls spasm-like
    #: (:func:`~spasmwatch.triage.predicates.infant_startle_series`).
    spasm_like: bool


def _counted(case: Case, stored: list[Stored], now: datetime | None = None) -> list[Counted]:
    """What the counts read of each stored episode of ``case`` (its episodes, in order),
    from the facts a triage of the case just kept (:data:`_FACTS`): read again, not
    computed (under a millisecond for a diary of 500 episodes)."""
    facts = derive_facts(case, now, memo=_FACTS).episodes
    return [
        Counted(counted_as_lookalike(e), ep.spasm_like or infant_startle_series(e))
        for ep, e in zip(stored, facts, strict=True)
    ]


def _day_counts(stored: list[Stored], counted: list[Counted]) -> DayCounts:
    n_episodes: Counter[date] = Counter()
    n_moves: Counter[date] = Counter()
    n_alike: Counter[date] = Counter()
    n_uncounted: Counter[date] = Counter()
    for ep, c in zip(stored, counted, strict=True):
        if ep.day is not None:
            n_episodes[ep.day] += 1
            n_moves[ep.day] += ep.movements
            n_alike[ep.day] += ep.movements if c.lookalike else 0
            n_uncounted[ep.day] += ep.uncounted
    return {
        day: (n_episodes[day], n_moves[day], n_alike[day], n_uncounted[day])
        for day in sorted(n_episodes)
    }


def _spasm_days(stored: list[Stored], counted: list[Counted]) -> tuple[date, ...]:
    """The days with at least one timed spasm-like episode (:attr:`Counted.spasm_like`),
    in order."""
    return tuple(
        sorted(
            {
                ep.day
                for ep, c in zip(stored, counted, strict=True)
                if ep.day is not None and c.spasm_like
            }
        )
    )


def _derived(row: DiaryState) -> Derived:
    counts = {
        date.fromisoformat(d): (
            int(v[0]),
            int(v[1]),
            int(v[2]) if len(v) > 2 else 0,
            int(v[3]) if len(v) > 3 else 0,
        )
        for d, v in row.day_counts.items()
    }
    spasms = tuple(date.fromisoformat(d) for d in row.spasm_days or ())
    return Derived(row.triage, counts, row.episodes, row.computed_at, spasms)


def triage_child(s: Session, child: Child, today: date | None = None) -> dict[str, Any]:
    """The child in the case format as the triage reads it: a skill recorded as lost
    (its latest milestone, :mod:`spasmwatch.care.development`) is the regression the
    child's own "lost skills" answer stands for, so it feeds the same rules (benign
    features never lower them; a red flag stays an emergency)."""
    return _with_lost_skills(s, child.id, repo.child_document(child, today))


def _with_lost_skills(s: Session, child_id: int, doc: dict[str, Any]) -> dict[str, Any]:
    """The child's document as :func:`triage_child` makes it, from its case format."""
    lost = regression_of(care_store.milestone_records(s, child_id)).present
    if lost:
        doc["development"] = "lost_skills"
    return doc


class Stored(NamedTuple):
    """A stored episode: its case-format document, the episode as the triage reads it, and
    what the per-day counts read of it."""

    document: dict[str, Any]
    episode: Episode
    #: The day it started on (None when its start is not known).
    day: date | None
    #: Its movements (:func:`~spasmwatch.triage.facts.counted_movements`: its count; 1
    #: with movements named but no count; 0 with none named, a warning sign alone).
    movements: int
    #: Whether it has a spasm-like movement (:func:`spasmwatch.care.response.spasm_like`);
    #: a series of startles can be spasm-like too, by the child's age at it
    #: (:attr:`Counted.spasm_like`), as its movements can be look-alikes
    #: (:attr:`Counted.lookalike`).
    spasm_like: bool
    #: Whether it names a movement but was logged without a count (``movements`` takes it
    #: as one).
    uncounted: bool = False


#: The stored episodes this process has parsed, by their stored JSON text. Every change
#: computes the triage of the whole diary, and all but one of its episodes were parsed and
#: checked against the case format by the change before: about a third of the triage's
#: time on a diary of 500 episodes. The text is the key, so an edited episode is parsed
#: anew; the documents and episodes are shared between triages and only ever read.
_PARSED: dict[str, Stored] = {}
#: The most episodes kept (a few tens of MB); the cache starts again when full.
PARSED_MAX = 10_000
#: The triage facts of the parsed episodes (each episode's facts, and which of the
#: rules' tests of one episode it passes), kept by episode: a triage after a change
#: computes them for its new episodes only, about two thirds of the rules' time on a
#: diary of 500 episodes. Entries are replaced whole, never changed, so the threads of
#: the web app may share it; cleared with :data:`_PARSED`.
_FACTS = FactsMemo(PARSED_MAX)


def _parse(texts: list[str]) -> list[Stored]:
    """The stored episodes from their JSON texts, each text parsed once per process."""
    out: list[Stored] = []
    for text in texts:
        found = _PARSED.get(text)
        if found is None:
            document = json.loads(text)
            try:
                episode = Episode.model_validate(document)
            except ValidationError:
                # Not valid (any more): the case format's own message, as for any diary.
                parse_case({"child": {"age_months": 0}, "episodes": [document]})
                raise
            started = document.get("started_at")
            found = Stored(
                document,
                episode,
                datetime.fromisoformat(started).date() if started else None,
                counted_movements(document.get("count"), document.get("movements") or ()),
                spasm_like(document),
                not document.get("count") and any(document.get("movements") or ()),
            )
            if len(_PARSED) >= PARSED_MAX:
                _PARSED.clear()
                _FACTS.clear()
            _PARSED[text] = found
        out.append(found)
    return out


def _case(child_doc: dict[str, Any], stored: list[Stored]) -> Case:
    """The case of the diary as parse_case checks it (the child, and the episodes against
    it); the episodes themselves were checked when parsed."""
    return parse_case({"child": child_doc, "episodes": [ep.episode for ep in stored]})


def _compute(
    child_doc: dict[str, Any], stored: list[Stored]
) -> tuple[dict[str, Any], DayCounts, tuple[date, ...]]:
    """The triage of the diary, its per-day counts and its days with spasm-like episodes
    (no database: the caller may hold no lock)."""
    case = _case(child_doc, stored)
    result = triage(case, memo=_FACTS).to_dict()
    counted = _counted(case, stored)
    return result, _day_counts(stored, counted), _spasm_days(stored, counted)


def spasm_days_now(s: Session, child_id: int, today: date | None = None) -> tuple[date, ...]:
    """The days with spasm-like episodes of the child's diary as it is now, as the derived
    state holds them (:attr:`Derived.spasm_days`), for a caller that found no stored state
    holding (an import, a restore); nothing is stored."""
    today = today or date.today()
    child = repo.require_child(s, child_id)
    stored = _parse(repo.episode_texts(s, child_id))
    case = _case(triage_child(s, child, today), stored)
    return _spasm_days(stored, _counted(case, stored, datetime.combine(today, time())))


def triage_with_unsaved(
    child_doc: dict[str, Any],
    texts: list[str],
    unsaved: list[dict[str, Any]],
    now: datetime | None = None,
) -> TriageResult:
    """The triage of a diary (``child_doc`` and the stored ``texts``, as :func:`read` reads
    them) with ``unsaved`` episodes (case-format documents) added after its own: a check
    made with the diary. Nothing is stored. The stored episodes are parsed once per
    process and their facts kept, as for the stored state.

    Raises
    ------
    InvalidCase
        If an unsaved episode does not follow the case format for this child.
    """
    stored = _parse(texts)
    case = parse_case({"child": child_doc, "episodes": [*(ep.episode for ep in stored), *unsaved]})
    return triage(case, now=now, memo=_FACTS)


def _store(
    s: Session,
    child_id: int,
    version: int,
    computed: tuple[dict[str, Any], DayCounts, tuple[date, ...]],
    episodes: int,
) -> Derived:
    """Store a derived state computed from diary version ``version``; a triage answer that
    changed is also kept in the history."""
    result, counts, spasms = computed
    if repo.latest_triage_result(s, child_id) != result:
        repo.save_triage_result(s, child_id, result)
    repo.save_state(
        s,
        child_id,
        rules_version=RULES_VERSION,
        triage=result,
        day_counts={d.isoformat(): list(v) for d, v in counts.items()},
        episodes=episodes,
        spasm_days=[d.isoformat() for d in spasms],
        version=version,
        computed_at=repo.now(),
    )
    return Derived(result, counts, episodes, repo.now(), spasms)


def refresh(s: Session, child: Child) -> Derived:
    """Compute the child's derived state from its whole diary and store it, in the
    caller's transaction (which changed the diary: its version goes up)."""
    repo.lock_child(s, child.id)
    version = repo.forget_state(s, child.id)
    stored = _parse(repo.episode_texts(s, child.id))
    computed = _compute(triage_child(s, child), stored)
    return _store(s, child.id, version, computed, len(stored))


def stored(s: Session, child_id: int, today: date | None = None) -> Derived | None:
    """The stored state, if it still holds (same rules version, computed today)."""
    row = repo.diary_state(s, child_id)
    if row is None or row.rules_version != RULES_VERSION or row.spasm_days is None:
        return None
    if any(len(v) < DAY_COUNT_FIELDS for v in row.day_counts.values()):
        return None  # stored before the day counts said the episodes without a count
    if row.computed_at.date() != (today or date.today()):
        return None
    return _derived(row)


def read(db: Database, child_id: int) -> Derived:
    """The child's derived state: read without a write lock when it holds; else computed
    from the diary as it is now, holding no lock, and stored in a short transaction of its
    own only if no change came in meanwhile (the diary's version is the same), so that
    writers queue only for the store, never for the triage."""
    with db.reading() as s:
        found = stored(s, child_id)
        if found is not None:
            return found
        child = repo.require_child(s, child_id)
        version = child.diary_version or 0  # read before the diary: a state is never newer
        child_doc = triage_child(s, child)
        texts = repo.episode_texts(s, child_id)
    return _settle(db, child_id, version, child_doc, texts)


def after_change(db: Database, child: Child) -> Derived:
    """The derived state after a change to the child's diary, committed just now: as
    :func:`read`, with the diary's version the change moved on to (``child`` as the change
    left it) and knowing that no state is stored for it. The child itself is read again:
    an edit of the child that committed while the change was under way is in the
    version, so it must be in the state. Stored only if no other change came in after it."""
    version = child.diary_version or 0
    with db.reading() as s:
        child_doc = triage_child(s, repo.require_child(s, child.id))
        texts = repo.episode_texts(s, child.id)
    return _settle(db, child.id, version, child_doc, texts)


def _settle(
    db: Database, child_id: int, version: int, child_doc: dict[str, Any], texts: list[str]
) -> Derived:
    """Compute the state from a diary read at ``version`` (holding no lock) and store it in
    a short transaction, only if the diary's version is still the same."""
    computed = _compute(child_doc, _parse(texts))
    with db.transaction() as s:
        repo.lock_child(s, child_id)  # a change under way finishes first (PostgreSQL)
        if repo.diary_version(s, child_id) == version:
            return _store(s, child_id, version, computed, len(texts))
    result, counts, spasms = computed
    return Derived(result, counts, len(texts), repo.now(), spasms)
