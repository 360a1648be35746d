"""What would change a routine answer: the advice that says when to see a doctor sooner.

A ``routine`` answer rests on benign look-alikes: every episode is explained by one, and
nothing else fired. Its advice says what would make the rules answer otherwise, and only
that: each :class:`Change` is one thing the family may yet see (the movements also coming
when the baby is awake, going on after the baby is woken, ...), tried on the case's own
episodes through the same rules. A change is named only when it raises the level. So a
condition the answers already meet is never given as a reason to act sooner: ten sleep
jerks in a row that stop as soon as the baby is woken are benign sleep myoclonus
("often clustered"), and "if they come in a series" would change nothing there, while a
single twitch in a series would no longer be a sleep twitch.

Each change is made to the newest episode of each kind (the same answers, whenever they
happened): "if the next one comes when the baby is awake". The other episodes keep the
facts already computed for them, so that a long diary is not derived again for each
change; the facts tried are never kept in a :class:`~spasmwatch.triage.facts.FactsMemo`.

References
----------
.. [ILAE] ILAE, epilepsydiagnosis.org, "Epileptic spasms" (2022); epilepsy.com: clusters
   of 5 to 100+ spasms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from spasmwatch.case import Episode
from spasmwatch.i18n import N_
from spasmwatch.triage import lookalikes
from spasmwatch.triage.facts import EpisodeFacts, Facts
from spasmwatch.triage.rule import Level, level_rank

__all__ = [
    "AWAKE_OR_WAKING",
    "CHANGES",
    "ROUTINE_WARNING_SIGNS",
    "SEVERAL_IN_A_ROW",
    "Change",
    "what_would_change",
]

#: "Several in a row": the fewest spasms of a cluster [ILAE]; more than any look-alike
#: that comes one to three at a time (a hypnic jerk, a startle, sleep twitches).
SEVERAL_IN_A_ROW = 5


@dataclass(frozen=True)
class Change:
    """One thing the family may yet see, and the advice that names it.

    Attributes
    ----------
    key
        Stable name of the change.
    advice
        The advice line said when the change would raise the level.
    update
        The fields it sets on an episode (from the episode's facts).
    min_age_months
        For an age change: the age at the episodes is raised to at least this; tried only
        while the child is younger.
    """

    key: str
    advice: str
    update: Callable[[EpisodeFacts], dict[str, Any]] = field(default=lambda e: {})
    min_age_months: float | None = None


#: The changes tried on a routine answer, in the order their advice is said.
CHANGES: tuple[Change, ...] = (
    Change(
        "awake",
        N_("Contact a doctor sooner if the movements also come when the baby is awake."),
        lambda e: {"state": "awake"},
    ),
    Change(
        "just_woke",
        N_("Contact a doctor sooner if the movements also come when the baby is just waking up."),
        lambda e: {"state": "just_woke"},
    ),
    Change(
        "go_on_when_woken",
        N_("Contact a doctor sooner if the movements go on after the baby is woken up."),
        lambda e: {"stops_when_woken": "no"},
    ),
    Change(
        "go_on_when_held",
        N_("Contact a doctor sooner if the movements go on when you gently hold the limb."),
        lambda e: {"stops_when_held": "no"},
    ),
    Change(
        "go_on_when_distracted",
        N_("Contact a doctor sooner if the movements go on when the baby is distracted."),
        lambda e: {"stops_with_distraction": "no"},
    ),
    Change(
        "without_trigger",
        N_(
            "Contact a doctor sooner if the movements come without a noise, a touch or a change of "
            "position to set them off."
        ),
        lambda e: {"triggers": []},
    ),
    Change(
        "series",
        N_("Contact a doctor sooner if the movements come in a series of several in a row."),
        lambda e: {"count": max(e.episode.count or 1, SEVERAL_IN_A_ROW)},
    ),
    Change(
        "still_at_3_months",
        N_(
            "Contact a doctor sooner if the movements are still happening when the baby is "
            "3 months old."
        ),
        min_age_months=lookalikes.JITTERY_MAX_AGE_MONTHS,
    ),
    Change(
        "still_at_6_months",
        N_(
            "Contact a doctor sooner if the movements are still happening when the baby is "
            "6 months old."
        ),
        min_age_months=lookalikes.SLEEP_MYOCLONUS_MAX_AGE_MONTHS,
    ),
)
#: Said instead of the two when both "awake" and "just waking up" would raise the level.
AWAKE_OR_WAKING = N_(
    "Contact a doctor sooner if the movements also come when the baby is awake or just waking up."
)
#: Said with every routine answer about episodes: a lost skill is ``lost-skills``
#: (``same_day``, never lowered) and not being back to normal within about an hour is a
#: warning sign (``emergency``), whatever the movements were.
ROUTINE_WARNING_SIGNS = N_(
    "Contact a doctor today if the baby stops doing things they could do, and call "
    "emergency services if the baby is not back to normal within about an hour."
)


#: What tells one kind of episode from another: everything but when it happened and the
#: notes.
_NOT_KIND = frozenset({"started_at", "utc_offset_minutes", "notes"})


def _kind(episode: Episode) -> tuple[Any, ...]:
    """The episode's content, less :data:`_NOT_KIND`, as a hashable key."""
    return tuple(
        tuple(value) if isinstance(value, list) else value
        for name, value in episode.__dict__.items()
        if name not in _NOT_KIND
    )


def _newest_of_each_kind(facts: Facts) -> frozenset[int]:
    """The index of the newest episode of each kind (:func:`_kind`)."""
    newest: dict[tuple[Any, ...], EpisodeFacts] = {}
    for e in facts.episodes:
        held = newest.get(key := _kind(e.episode))
        if held is None or _order(e) > _order(held):
            newest[key] = e
    return frozenset(e.index for e in newest.values())


def _changed(facts: Facts, change: Change, which: frozenset[int]) -> Facts:
    """The facts of the case with ``change`` made to episodes ``which`` (nothing
    explained). The other episodes keep their facts, already computed."""
    made = {i: _change(facts.episodes[i], change) for i in which}
    episodes = tuple(made.get(e.index, e) for e in facts.episodes)
    out = Facts(case=facts.case, episodes=episodes, now=facts.now)
    # The episodes grouped by the tests they pass, as the engine reads them: the groups
    # of the unchanged episodes are the case's own, with the changed ones placed anew.
    alike: dict[tuple[int, int], list[EpisodeFacts]] = {}
    for passed, group in facts._alike.items():
        if kept := [e for e in group if e.index not in made]:
            alike[passed] = kept
    for e in made.values():
        alike.setdefault(e.passed, []).append(e)
    return out.with_groups(alike)


def _order(e: EpisodeFacts) -> tuple[bool, datetime, int]:
    """Later episodes sort later; one without a start before every timed one."""
    return (e.started_at is not None, e.started_at or datetime.min, e.index)


def _alters(e: EpisodeFacts, change: Change) -> bool:
    """Whether ``change`` sets a field of episode ``e`` to something else."""
    return any(getattr(e.episode, name) != value for name, value in change.update(e).items())


def _change(e: EpisodeFacts, change: Change) -> EpisodeFacts:
    """New facts of episode ``e`` with ``change`` made."""
    age = e.age_months
    if change.min_age_months is not None:
        age = max(age, change.min_age_months)
    return EpisodeFacts(
        index=e.index,
        episode=e.episode.model_copy(update=change.update(e)),
        age_months=age,
        started_at=e.started_at,
    )


def what_would_change(facts: Facts, level_of: Callable[[Facts], Level]) -> list[str]:
    """The advice lines of the :data:`CHANGES` that would raise a routine answer.

    Parameters
    ----------
    facts
        The facts of a case answered ``routine``.
    level_of
        The level the rules give to facts (the engine's).

    Returns
    -------
    list of str
        The advice of each change that raises the level, in the order of
        :data:`CHANGES` ("awake" and "just waking up" said as one line when both do);
        empty when the case has no episode.
    """
    if not facts.episodes:
        return []
    which = _newest_of_each_kind(facts)
    raising: list[Change] = []
    for change in CHANGES:
        if change.min_age_months is not None and facts.age_now_months >= change.min_age_months:
            continue
        if any(c.min_age_months is not None for c in raising) and change.min_age_months:
            continue  # a younger age already changes it: that is the one to watch for
        if change.min_age_months is None and not any(
            _alters(facts.episodes[i], change) for i in which
        ):
            continue  # the answers already say so: nothing to try
        if level_rank(level_of(_changed(facts, change, which))) > level_rank("routine"):
            raising.append(change)
    keys = {c.key for c in raising}
    lines = [c.advice for c in raising]
    if {"awake", "just_woke"} <= keys:
        at = lines.index(CHANGES[0].advice)
        lines[at : at + 2] = [AWAKE_OR_WAKING]
    return lines
