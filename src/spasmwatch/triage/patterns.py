"""Patterns across episodes: clusters per day, recurrence within 24 h, on-waking share,
escalation.

Each function takes :class:`~spasmwatch.triage.facts.Facts` and returns the indices of the
episodes that make up the pattern (empty when there is none), so that a rule built on it
can say which episodes it is about.

References
----------
.. [ILAE] ILAE, epilepsydiagnosis.org, "Epileptic spasms" (2022): clusters, typically just
   after waking; 1-30 clusters a day.
.. [AAP2011] AAP, Febrile seizures, Pediatrics 2011;127:389: "complex" includes a seizure
   repeated within 24 h.
.. [ILAE2015] Trinka et al., Epilepsia 2015: status epilepticus includes repeated seizures
   without recovery in between.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from itertools import pairwise

from spasmwatch.triage.facts import EpisodeFacts, Facts

__all__ = [
    "CLUSTER_DAYS_MIN",
    "ESCALATION_MIN_DAYS",
    "ESCALATION_RATIO",
    "RECENT_MINUTES",
    "RECURRENCE_WINDOW_H",
    "WAKING_MIN_EPISODES",
    "WAKING_SHARE_MIN",
    "daily_movement_counts",
    "escalating",
    "recent",
    "recurrence_within",
    "repeated_without_recovery",
    "series_on_several_days",
    "waking_share",
]

EpisodeTest = Callable[[EpisodeFacts], bool]

#: Seizures repeated within 24 h make a febrile seizure complex [AAP2011].
RECURRENCE_WINDOW_H = 24.0
#: Clusters on 2 or more days: spasms recur daily, 1-30 clusters a day [ILAE].
CLUSTER_DAYS_MIN = 2
#: At least half of the spasm-like episodes (and at least 2) on waking [ILAE].
WAKING_SHARE_MIN = 0.5
WAKING_MIN_EPISODES = 2
#: Escalation: movements per day over at least 3 days, the last day at least twice the
#: first and at least as many as any day before it (still rising, not past a peak).
#: [design]
ESCALATION_MIN_DAYS = 3
ESCALATION_RATIO = 2.0
#: An event that began at most this long ago is "happening now or just happened".
RECENT_MINUTES = 60.0


def recurrence_within(
    facts: Facts, test: EpisodeTest, hours: float = RECURRENCE_WINDOW_H
) -> frozenset[int]:
    """Episodes passing ``test`` that began within ``hours`` of another such episode."""
    timed = sorted(
        (e for e in facts.episodes if test(e) and e.started_at is not None),
        key=lambda e: e.started_at,  # type: ignore[arg-type,return-value]
    )
    hits: set[int] = set()
    window = timedelta(hours=hours)
    for a, b in pairwise(timed):
        if b.started_at - a.started_at <= window:  # type: ignore[operator]
            hits.update((a.index, b.index))
    return frozenset(hits)


def repeated_without_recovery(facts: Facts, test: EpisodeTest) -> frozenset[int]:
    """Seizure-like episodes that follow one another without recovery in between [ILAE2015].

    Either one episode with two or more convulsive seizures and no responsiveness between
    them, or a second episode within an hour of one after which the child was slow to
    recover.
    """
    hits = {
        e.index
        for e in facts.episodes
        if test(e) and e.convulsive and (e.episode.count or 1) >= 2 and e.episode.responsive == "no"
    }
    timed = sorted(
        (e for e in facts.episodes if test(e) and e.started_at is not None),
        key=lambda e: e.started_at,  # type: ignore[arg-type,return-value]
    )
    for a, b in pairwise(timed):
        gap = b.started_at - a.started_at  # type: ignore[operator]
        if gap <= timedelta(minutes=RECENT_MINUTES) and not a.recovered:
            hits.update((a.index, b.index))
    return frozenset(hits)


def series_on_several_days(
    facts: Facts, test: EpisodeTest, min_days: int = CLUSTER_DAYS_MIN
) -> frozenset[int]:
    """Episodes passing ``test`` when they fall on at least ``min_days`` different days."""
    by_day: dict[date, list[int]] = defaultdict(list)
    for e in facts.episodes:
        if test(e) and e.started_at is not None:
            by_day[e.started_at.date()].append(e.index)
    if len(by_day) < min_days:
        return frozenset()
    return frozenset(i for ids in by_day.values() for i in ids)


def waking_share(facts: Facts, test: EpisodeTest) -> tuple[float, frozenset[int]]:
    """Share of the episodes passing ``test`` (with a known state) that began on waking.

    Returns the share (0 when there are none) and the on-waking episodes.
    """
    known = [e for e in facts.episodes if test(e) and e.episode.state != "unknown"]
    waking = frozenset(e.index for e in known if e.episode.state == "just_woke")
    return (len(waking) / len(known) if known else 0.0), waking


def daily_movement_counts(facts: Facts, test: EpisodeTest) -> dict[date, int]:
    """Movements per day (an episode counts its ``count``, or 1), for timed episodes."""
    days: dict[date, int] = defaultdict(int)
    for e in facts.episodes:
        if test(e) and e.started_at is not None:
            days[e.started_at.date()] += e.episode.count or 1
    return dict(sorted(days.items()))


def escalating(facts: Facts, test: EpisodeTest) -> frozenset[int]:
    """Episodes passing ``test`` when they are becoming more frequent over the days.

    Escalation: movements recorded on at least 3 days, and the last day has at least twice
    the movements of the first day and at least as many as any day before it. A last day
    below an earlier peak (4, 12, then 9 movements) is not "more frequent from day to day":
    comparing only the first and the last day called it so.
    """
    days = daily_movement_counts(facts, test)
    if len(days) < ESCALATION_MIN_DAYS:
        return frozenset()
    counts = list(days.values())
    if counts[-1] < ESCALATION_RATIO * counts[0] or counts[-1] < max(counts[:-1]):
        return frozenset()
    return facts.where(lambda e: test(e) and e.started_at is not None)


def recent(facts: Facts, e: EpisodeFacts, minutes: float = RECENT_MINUTES) -> bool:
    """The episode began at most ``minutes`` before now (and not in the future)."""
    if e.started_at is None:
        return False
    age = facts.now - e.started_at
    return timedelta(0) <= age <= timedelta(minutes=minutes)
