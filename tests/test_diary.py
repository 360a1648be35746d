"""The use-case layer: derived state stored once per change, read without recomputing,
and the error tree of the use cases."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest

from spasmwatch.diary import children, episodes, overview, sharing, state
from spasmwatch.diary.access import NotSignedIn, Principal
from spasmwatch.diary.audit import ReadAudit
from spasmwatch.diary.exchange import export_episodes_csv, import_episodes_csv
from spasmwatch.errors import Conflict, Forbidden, InvalidCase, InvalidInput, NotFound
from spasmwatch.store import Database, repo
from spasmwatch.store.models import AuditEntry, DiaryState, TriageRecord

CLUSTER = {
    "movements": ["head_nod", "arms_up"],
    "state": "just_woke",
    "count": 8,
    "movement_seconds": 1,
}


def _people(db: Database) -> tuple[Principal, Principal, Principal]:
    with db.transaction() as s:
        users = [repo.create_user(s, f"{n}@example.org", n, "hash") for n in ("ann", "vic", "eve")]
    return tuple(Principal(user=u) for u in users)  # type: ignore[return-value]


def _state_row(db: Database, child_id: int) -> DiaryState | None:
    with db.reading() as s:
        return s.get(DiaryState, child_id)


def test_the_triage_is_stored_once_per_change_and_read_back(db: Database) -> None:
    ann, _, _ = _people(db)
    child, _ = children.add(db, ann, "Mia", {"age_months": 6})
    assert _state_row(db, child.id).triage["level"] == "routine"  # type: ignore[union-attr]
    now = datetime.now().replace(microsecond=0)
    saved = episodes.log(db, ann, child.id, {**CLUSTER, "started_at": now.isoformat()})
    row = _state_row(db, child.id)
    assert row is not None and row.triage == saved.triage and row.episodes == 1
    # episodes, movements, of those the movements of look-alikes (none here), and the
    # episodes without a count (none here)
    assert row.day_counts == {now.date().isoformat(): [1, 8, 0, 0]}
    audit = ReadAudit(db)
    with db.reading() as s:
        history = s.query(TriageRecord).count()
    for _ in range(3):  # page views read it: nothing is computed or stored again
        view = overview.child_overview(db, ann, child.id, audit)
        assert view.triage == saved.triage and view.day_counts == {now.date(): (1, 8, 0, 0)}
    with db.reading() as s:
        assert s.query(TriageRecord).count() == history
        assert s.get(DiaryState, child.id).computed_at == row.computed_at  # type: ignore[union-attr]
        views = [e for e in s.query(AuditEntry) if e.action == "view_child"]
    assert len(views) == 3  # audited all the same (after the answer)
    episodes.delete(db, ann, child.id, saved.episode.id)
    assert overview.triage_of(db, ann, child.id)["level"] == "routine"


def test_the_day_counts_keep_the_movements_of_look_alikes_apart(db: Database) -> None:
    ann, _, _ = _people(db)
    child, _ = children.add(db, ann, "Mia", {"age_months": 6})
    now = datetime.now().replace(microsecond=0)
    hiccups = {"movements": ["hiccups"], "count": 10, "state": "feeding"}
    mixed = {"movements": ["hiccups", "head_nod"], "count": 3, "state": "awake"}
    for episode in (CLUSTER, hiccups, mixed):
        episodes.log(db, ann, child.id, {**episode, "started_at": now.isoformat()})
    # 21 movements, 10 of them hiccups alone; an episode that also names a nod is not
    # a look-alike's
    assert _state_row(db, child.id).day_counts == {  # type: ignore[union-attr]
        now.date().isoformat(): [3, 21, 10, 0]
    }
    view = overview.child_overview(db, ann, child.id, ReadAudit(db))
    assert view.day_counts == {now.date(): (3, 21, 10, 0)}


def test_an_episode_with_only_a_warning_sign_adds_an_episode_and_no_movement(
    db: Database,
) -> None:
    """Logged with a warning sign and no movement, an episode is counted as one episode
    with no movement in the day counts (the family's chart); its answer is an emergency."""
    ann, _, _ = _people(db)
    child, _ = children.add(db, ann, "Mia", {"age_months": 6})
    now = datetime.now().replace(microsecond=0)
    episodes.log(db, ann, child.id, {**CLUSTER, "started_at": now.isoformat()})
    saved = episodes.log(db, ann, child.id, {"red_flags": ["rash"], "started_at": now.isoformat()})
    assert saved.triage["level"] == "emergency"
    assert saved.triage["reasons"][0]["rule"] == "red-flag-rash"
    assert _state_row(db, child.id).day_counts == {  # type: ignore[union-attr]
        now.date().isoformat(): [2, 8, 0, 0]
    }
    view = overview.child_overview(db, ann, child.id, ReadAudit(db))
    assert view.day_counts == {now.date(): (2, 8, 0, 0)} and view.triage["level"] == "emergency"
    # a movement named without a count is one movement, and an episode without a count
    episodes.log(db, ann, child.id, {"movements": ["hiccups"], "started_at": now.isoformat()})
    assert _state_row(db, child.id).day_counts == {  # type: ignore[union-attr]
        now.date().isoformat(): [3, 9, 1, 1]
    }


def test_the_day_counts_say_the_episodes_without_a_count(db: Database) -> None:
    """An episode naming a movement without its count is one movement and one episode
    without a count (the family's chart says "at least"); a state stored before the day
    counts said them is computed again on its first read."""
    ann, _, _ = _people(db)
    child, _ = children.add(db, ann, "Mia", {"age_months": 6})
    now = datetime.now().replace(microsecond=0)
    uncounted = {k: v for k, v in CLUSTER.items() if k != "count"}
    for episode in (CLUSTER, uncounted, uncounted):
        episodes.log(db, ann, child.id, {**episode, "started_at": now.isoformat()})
    assert _state_row(db, child.id).day_counts == {  # type: ignore[union-attr]
        now.date().isoformat(): [3, 10, 0, 2]
    }
    # as a state was stored before: three numbers a day
    with db.transaction() as s:
        row = s.get(DiaryState, child.id)
        assert row is not None
        row.day_counts = {now.date().isoformat(): [3, 10, 0]}
    with db.reading() as s:
        assert state.stored(s, child.id) is None
    view = overview.child_overview(db, ann, child.id, ReadAudit(db))
    assert view.day_counts == {now.date(): (3, 10, 0, 2)}
    assert _state_row(db, child.id).day_counts == {  # type: ignore[union-attr]
        now.date().isoformat(): [3, 10, 0, 2]
    }


def test_a_new_rules_version_or_a_new_day_recomputes_on_first_read(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, _, _ = _people(db)
    child, _ = children.add(db, ann, "Mia", {"age_months": 6})
    with db.reading() as s:
        assert state.stored(s, child.id) is not None
        assert state.stored(s, child.id, today=date.today() + timedelta(days=1)) is None
    monkeypatch.setattr(state, "RULES_VERSION", "9.9.9")
    with db.reading() as s:
        assert state.stored(s, child.id) is None
    state.read(db, child.id)
    assert _state_row(db, child.id).rules_version == "9.9.9"  # type: ignore[union-attr]


def test_a_state_computed_while_the_diary_changed_is_not_stored(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Logging computes the triage holding no lock; an episode logged by someone else in
    the meantime makes that state out of date: it answers, but is not stored, and the next
    read sees both episodes."""
    ann, _, _ = _people(db)
    child, _ = children.add(db, ann, "Mia", {"age_months": 6})
    now = datetime.now().replace(microsecond=0)
    compute = state._compute
    interrupted: list[int] = []

    def meanwhile(child_doc, documents):  # type: ignore[no-untyped-def]
        if not interrupted:  # another caregiver logs while this triage is computed
            interrupted.append(1)
            with db.transaction() as s:
                repo.add_episode(s, child.id, {**CLUSTER, "started_at": now.isoformat()}, None)
        return compute(child_doc, documents)

    monkeypatch.setattr(state, "_compute", meanwhile)
    before = repo_version(db, child.id)
    saved = episodes.log(db, ann, child.id, {**CLUSTER, "started_at": now.isoformat()})
    assert repo_version(db, child.id) == before + 2  # two changes
    assert saved.triage["level"] != "routine"  # the answer carries the logged episode
    assert _state_row(db, child.id) is None  # computed from the first change only
    monkeypatch.setattr(state, "_compute", compute)
    assert state.read(db, child.id).episodes == 2
    row = _state_row(db, child.id)
    assert row is not None and row.episodes == 2 and row.version == before + 2


def repo_version(db: Database, child_id: int) -> int:
    with db.reading() as s:
        return repo.diary_version(s, child_id)


def test_episodes_that_come_in_by_csv_are_in_the_next_read(db: Database) -> None:
    ann, _, _ = _people(db)
    first, _ = children.add(db, ann, "Mia", {"age_months": 6})
    second, _ = children.add(db, ann, "Leo", {"age_months": 6})
    day = (datetime.now() - timedelta(hours=2)).replace(microsecond=0)
    for minutes in (0, 30):
        when = (day + timedelta(minutes=minutes)).isoformat()
        episodes.log(db, ann, first.id, {**CLUSTER, "started_at": when})
    result = import_episodes_csv(db, second.id, export_episodes_csv(db, first.id), user_id=None)
    assert result.imported == 2
    assert _state_row(db, second.id) is None  # the import marked it stale
    assert overview.triage_of(db, ann, second.id) == overview.triage_of(db, ann, first.id)
    assert _state_row(db, second.id).episodes == 2  # type: ignore[union-attr]


def test_use_cases_raise_the_error_tree(db: Database) -> None:
    ann, vic, eve = _people(db)
    child, _ = children.add(db, ann, "Mia", {"age_months": 6})
    with db.transaction() as s:
        repo.add_member(s, child.id, vic.user_id, "viewer")  # type: ignore[arg-type]
    with pytest.raises(NotSignedIn):
        overview.triage_of(db, Principal(), child.id)
    with pytest.raises(NotFound, match="No such child"):
        episodes.log(db, eve, child.id, CLUSTER)  # no role: the child is not revealed
    with pytest.raises(Forbidden, match="viewer"):
        episodes.log(db, vic, child.id, CLUSTER)
    with pytest.raises(NotFound, match="No such episode"):
        episodes.delete(db, ann, child.id, 12345)
    with pytest.raises(InvalidCase, match="'state'"):
        episodes.log(db, ann, child.id, {**CLUSTER, "state": "sleeping"})
    future = (datetime.now() + timedelta(days=2)).isoformat(timespec="seconds")
    with pytest.raises(InvalidCase, match="in the future"):
        episodes.log(db, ann, child.id, {**CLUSTER, "started_at": future})
    assert episodes.list_for(db, ann, child.id) == []  # nothing half-written


def test_concurrent_changes_to_one_diary_lose_nothing(db: Database) -> None:
    """Caregivers log, edit and delete episodes of one child at the same moment while its
    owner edits the child: no change fails or deadlocks, every episode is stored once and
    the stored triage is the one the diary gives when computed afresh."""
    ann, vic, _ = _people(db)
    child, _ = children.add(db, ann, "Mia", {"age_months": 6})
    with db.transaction() as s:
        repo.add_member(s, child.id, vic.user_id, "caregiver")  # type: ignore[arg-type]
    start = datetime.now().replace(microsecond=0) - timedelta(days=3)
    barrier = threading.Barrier(6)
    kept: list[int] = []
    errors: list[BaseException] = []

    def caregiver(n: int) -> None:
        who = ann if n % 2 else vic
        try:
            barrier.wait(timeout=60)
            for i in range(8):
                when = (start + timedelta(hours=n * 8 + i)).isoformat()
                episode = {**CLUSTER, "count": n + i + 1, "started_at": when}
                saved = episodes.log(db, who, child.id, episode)
                if i % 4 == 3:  # some are edited, some deleted again
                    episodes.log(
                        db, who, child.id, {**episode, "count": 2}, episode_id=saved.episode.id
                    )
                    kept.append(saved.episode.id)
                elif i % 4 == 1:
                    episodes.delete(db, who, child.id, saved.episode.id)
                else:
                    kept.append(saved.episode.id)
        except BaseException as error:  # reported below
            errors.append(error)

    def owner() -> None:
        try:
            barrier.wait(timeout=60)
            for months in (6.5, 7, 7.5, 8):
                children.edit(db, ann, child.id, "Mia", {"age_months": months})
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=caregiver, args=(n,)) for n in range(5)]
    threads.append(threading.Thread(target=owner))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(t.is_alive() for t in threads) and errors == []
    with db.reading() as s:
        stored_ids = sorted(row.id for row in repo.recent_episodes(s, child.id, None))
    assert stored_ids == sorted(kept) and len(kept) == 5 * 6
    kept_state = state.read(db, child.id)
    with db.transaction() as s:
        s.query(DiaryState).delete()
    fresh = state.read(db, child.id)
    assert kept_state.triage == fresh.triage
    assert (kept_state.episodes, kept_state.day_counts) == (fresh.episodes, fresh.day_counts)
    with db.reading() as s:
        assert repo.latest_triage_result(s, child.id) == fresh.triage


def test_an_owner_hands_the_diary_over_and_then_leaves_it(db: Database) -> None:
    ann, vic, eve = _people(db)
    child, _ = children.add(db, ann, "Mia", {"age_months": 6})
    with db.transaction() as s:
        repo.add_member(s, child.id, vic.user_id, "viewer")  # type: ignore[arg-type]
    # only the owner hands over, only to a member, and not to themselves
    with pytest.raises(Forbidden):
        sharing.hand_over(db, vic, child.id, vic.user_id)  # type: ignore[arg-type]
    with pytest.raises(NotFound, match="No such member"):
        sharing.hand_over(db, ann, child.id, eve.user_id)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="already the owner"):
        sharing.hand_over(db, ann, child.id, ann.user_id)  # type: ignore[arg-type]
    # the owner cannot leave: the diary would have nobody to look after it
    with pytest.raises(Conflict, match="You own the diary of Mia"):
        sharing.leave(db, ann, child.id)

    assert sharing.hand_over(db, ann, child.id, vic.user_id) == "vic"  # type: ignore[arg-type]
    with db.reading() as s:
        assert repo.role_of(s, vic.user_id, child.id) == "owner"  # type: ignore[arg-type]
        assert repo.role_of(s, ann.user_id, child.id) == "caregiver"  # type: ignore[arg-type]
    episodes.log(db, ann, child.id, CLUSTER)  # a caregiver still logs

    assert sharing.leave(db, ann, child.id) == "Mia"
    with db.reading() as s:
        assert repo.role_of(s, ann.user_id, child.id) is None  # type: ignore[arg-type]
        actions = [(e.action, e.detail) for e in repo.audit_for(s, child.id)]
    assert ("member_left", "caregiver") in actions and ("hand_over", "viewer") in actions
    with pytest.raises(NotFound, match="No such child"):
        sharing.leave(db, ann, child.id)  # gone: the child is no longer revealed
    # what the first owner logged stays, and the new owner can delete the diary
    assert len(episodes.list_for(db, vic, child.id)) == 1
