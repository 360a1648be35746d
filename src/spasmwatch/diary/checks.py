"""A check made with a child's diary: a new episode triaged together with the episodes
already logged for the child, without storing anything.

A quick check of one episode alone cannot know what came before: a seizure happening now
in a child whose diary already holds seizure-like episodes is not a first one, and the
rules that count earlier episodes (``seizure-now``, ``seizure-more-than-once``, the
recurrence within 24 hours) speak only when they see them. The diary's own child (its age,
conditions and development) is the one triaged. The answer is never less urgent than the
episode alone for the same child would get: the diary's episodes may only add to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from spasmwatch.case import parse_case
from spasmwatch.diary import state
from spasmwatch.diary.access import Principal, child_for
from spasmwatch.store import Database, repo
from spasmwatch.triage import TriageResult, triage
from spasmwatch.triage.rule import level_rank

__all__ = ["DiaryCheck", "check_with_diary"]


@dataclass(frozen=True)
class DiaryCheck:
    """The answer to a check made with a child's diary."""

    child_id: int
    child_name: str
    #: The child in the case format, as the triage read it (from the diary).
    child_doc: dict[str, Any]
    #: The child's age in months at the time of the check.
    age_months: float
    #: How many episodes the diary already held (the check's own is not counted).
    earlier: int
    #: The answer to show.
    result: TriageResult
    #: True when ``result`` read the diary's episodes with the new one; False when the new
    #: episode alone was more urgent, and ``result`` is that answer (never lowered).
    with_diary: bool


def check_with_diary(
    db: Database,
    who: Principal,
    child_id: int,
    episode: dict[str, Any],
    now: datetime | None = None,
) -> DiaryCheck:
    """Triage ``episode`` (a case-format episode, not stored) with the child's diary.

    Parameters
    ----------
    db
        The unit of work; only read.
    who
        Who asks: their role must allow logging for the child (the check is made to be
        kept in its diary, as the check's answer offers).
    child_id
        The child.
    episode
        The new episode, as the check's form made it.
    now
        The time of the question (default: now), as for :func:`~spasmwatch.triage.triage`.

    Returns
    -------
    DiaryCheck

    Raises
    ------
    NotSignedIn, NotFound, Forbidden
        As :func:`~spasmwatch.diary.access.child_for`.
    InvalidCase
        If the episode does not fit this child (e.g. it starts before the birth date); its
        messages name the episode as ``episodes[0]``.
    """
    with db.reading() as s:
        child, _ = child_for(s, who, child_id, "log")
        child_doc = state.triage_child(s, child)
        texts = repo.episode_texts(s, child_id)
        name = child.name
    alone_case = parse_case({"child": child_doc, "episodes": [episode]})
    alone = triage(alone_case, now=now)
    together = state.triage_with_unsaved(child_doc, texts, [episode], now)
    # More episodes only add to what the rules see; should they ever make the answer less
    # urgent than the episode alone, the episode's own answer is shown.
    with_diary = level_rank(together.level) >= level_rank(alone.level)
    today = (now or datetime.now()).date()
    return DiaryCheck(
        child_id=child_id,
        child_name=name,
        child_doc=child_doc,
        age_months=alone_case.age_months_at(None, today=today),
        earlier=len(texts),
        result=together if with_diary else alone,
        with_diary=with_diary,
    )
