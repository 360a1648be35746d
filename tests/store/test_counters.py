"""Throttle counts in the database: shared by every web process, keys stored hashed."""

from __future__ import annotations

from sqlalchemy import select

from spasmwatch.store import Database
from spasmwatch.store.counters import KEEP_S, DatabaseEvents, MemoryEvents
from spasmwatch.store.models import ThrottleEvent
from spasmwatch.web.ratelimit import RateLimiter
from spasmwatch.web.throttle import LoginThrottle


def test_events_are_counted_per_bucket_and_key_and_stored_hashed(db: Database) -> None:
    for events in (DatabaseEvents(db), MemoryEvents()):
        events.add("login", "ann@example.org", 100.0)
        events.add("login", "ann@example.org", 110.0)
        events.add("public", "ann@example.org", 105.0)
        assert events.times("login", "ann@example.org", 0.0) == [100.0, 110.0]
        assert events.times("login", "ann@example.org", 100.0) == [110.0]  # after since
        assert events.times("login", "bob@example.org", 0.0) == []
        events.clear("login", "ann@example.org")
        assert events.times("login", "ann@example.org", 0.0) == []
        assert events.times("public", "ann@example.org", 0.0) == [105.0]
    with db.reading() as s:
        stored = list(s.scalars(select(ThrottleEvent.key_hash)))
    assert stored and all(len(h) == 64 and "@" not in h for h in stored)


def test_old_events_are_removed_as_new_ones_come(db: Database) -> None:
    events = DatabaseEvents(db)
    events.add("public", "10.0.0.1", 0.0)
    events.add("public", "10.0.0.1", 3 * KEEP_S)  # the first is long past every window
    with db.reading() as s:
        assert list(s.scalars(select(ThrottleEvent.at))) == [3 * KEEP_S]


def test_two_processes_share_one_count(db: Database) -> None:
    now = [1_000.0]
    first, second = (
        LoginThrottle(free=2, clock=lambda: now[0], events=DatabaseEvents(db)) for _ in range(2)
    )
    first.failed(["ann@example.org"])
    assert first.wait_s(["ann@example.org"]) == 0 and second.wait_s(["ann@example.org"]) == 0
    second.failed(["ann@example.org"])  # the second failure, counted for both processes
    assert first.wait_s(["ann@example.org"]) == 30
    second.succeeded("ann@example.org")
    assert first.wait_s(["ann@example.org"]) == 0
    limits = [RateLimiter(limit=2, window_s=60, clock=lambda: now[0], events=DatabaseEvents(db))
              for _ in range(2)]  # fmt: skip
    assert limits[0].allow("10.0.0.2") and limits[1].allow("10.0.0.2")
    assert not limits[0].allow("10.0.0.2") and limits[1].retry_after_s("10.0.0.2") == 60
    now[0] += 61
    assert limits[1].allow("10.0.0.2")
