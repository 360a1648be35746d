"""The repository on real SQLite and real PostgreSQL: every function, cascades, transactions."""

from __future__ import annotations

import hashlib
import inspect
import json
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from spasmwatch.diary import state
from spasmwatch.store import Database, repo
from spasmwatch.store.models import (
    Attachment,
    AuditEntry,
    Child,
    DiaryState,
    EpisodeRow,
    Membership,
    ShareLink,
    TriageRecord,
    User,
)

SPASM_EPISODE = {
    "started_at": "2026-11-19T07:05:00",
    "state": "just_woke",
    "movements": ["head_nod", "arms_up"],
    "side": "both",
    "movement_seconds": 1.0,
    "count": 12,
    "interval_seconds": 8,
    "episode_minutes": 3,
    "responsive": "yes",
    "after": ["cried"],
    "notes": "Head dropped and arms flew up again and again — just after she woke.",
}
TRIAGE = {
    "level": "same_day",
    "rules_version": "1.0",
    "title": "Call today",
    "reasons": ["clusters of brief movements on waking"],
}


def token(label: str) -> str:
    """A token hash as the web layer would store it."""
    return hashlib.sha256(label.encode()).hexdigest()


def count(db: Database, model: type) -> int:
    with db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def make_family(db: Database) -> dict[str, int]:
    """An owner, a caregiver, a stranger; a child with an episode, triage, link, attachment."""
    with db.transaction() as s:
        owner = repo.create_user(s, "  Parent@Example.org ", " Pat ", "argon2-hash")
        carer = repo.create_user(s, "grandma@example.org", "Gran", "argon2-hash")
        other = repo.create_user(s, "other@example.org", "Other", "argon2-hash")
        child = repo.create_child(
            s, owner.id, " Mia ", age_months=6.5, born_weeks=40.0, development="on_track"
        )
        repo.add_member(s, child.id, carer.id, "caregiver")
        episode = repo.add_episode(s, child.id, dict(SPASM_EPISODE), carer.id)
        repo.save_triage(s, child.id, TRIAGE)
        link = repo.create_share_link(
            s, child.id, token("link"), " Dr Smith ", owner.id, repo.now() + timedelta(days=7)
        )
        attachment = repo.add_attachment(
            s,
            child_id=child.id,
            episode_id=episode.id,
            kind="video",
            filename="clip.mp4",
            content_type="video/mp4",
            size_bytes=1234,
            sha256="a" * 64,
            uploaded_by=owner.id,
        )
        repo.audit(s, "episode.add", child_id=child.id, user_id=carer.id, detail="logged")
        repo.audit(s, "share.view", child_id=child.id, share_link_id=link.id)
        return {
            "owner": owner.id,
            "carer": carer.id,
            "other": other.id,
            "child": child.id,
            "episode": episode.id,
            "link": link.id,
            "attachment": attachment.id,
        }


def test_every_repo_function_is_tested() -> None:
    source = inspect.getsource(inspect.getmodule(test_every_repo_function_is_tested))
    functions = [name for name in repo.__all__ if callable(getattr(repo, name))]
    untested = [name for name in functions if f"repo.{name}(" not in source]
    assert untested == []


def test_users_by_email_and_api_token(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        user = repo.user_by_email(s, "PARENT@example.org ")
        assert user is not None and user.id == ids["owner"]
        assert user.email == "parent@example.org" and user.display_name == "Pat"
        assert repo.user_by_email(s, "nobody@example.org") is None
        assert repo.user_by_api_token(s, token("api")) is None
        repo.set_api_token(s, user.id, token("api"))
        repo.set_api_token(s, 999_999, token("nobody"))  # no such user: nothing happens
    with db.transaction() as s:
        found = repo.user_by_api_token(s, token("api"))
        assert found is not None and found.id == ids["owner"]


def test_display_names(db: Database) -> None:
    ids = make_family(db)
    with db.reading() as s:
        names = repo.display_names(s, [ids["owner"], ids["carer"], None, 10_000])
        assert names == {ids["owner"]: "Pat", ids["carer"]: "Gran"}
        assert repo.display_names(s, []) == {}


def test_email_is_unique(db: Database) -> None:
    make_family(db)
    with pytest.raises(IntegrityError, match=r"(?i)unique|duplicate"), db.transaction() as s:
        repo.create_user(s, "parent@example.org", "Again", "h")
    assert count(db, User) == 3


def test_sessions_expire_and_sign_out(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        repo.create_session(
            s, ids["owner"], token("live"), "csrf1", repo.now() + timedelta(hours=1)
        )
        repo.create_session(
            s, ids["owner"], token("old"), "csrf2", repo.now() - timedelta(seconds=1)
        )
    with db.transaction() as s:
        found = repo.session_user(s, token("live"))
        assert found is not None
        session, user = found
        assert user.id == ids["owner"] and session.csrf_token == "csrf1"
        assert repo.session_user(s, token("old")) is None
        assert repo.session_user(s, token("never")) is None
        repo.delete_session(s, token("live"))
    with db.transaction() as s:
        assert repo.session_user(s, token("live")) is None


def test_children_roles_and_members(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        second = repo.create_child(s, ids["owner"], "Ada", birth_date=date(2026, 5, 1))
        child = repo.get_child(s, ids["child"])
        assert child is not None and child.name == "Mia" and child.conditions == []
        assert repo.get_child(s, 999_999) is None
        listed = repo.children_for_user(s, ids["owner"])
        assert [(c.name, role) for c, role in listed] == [("Ada", "owner"), ("Mia", "owner")]
        assert [(c.id, role) for c, role in repo.children_for_user(s, ids["carer"])] == [
            (ids["child"], "caregiver")
        ]
        assert repo.children_for_user(s, ids["other"]) == []
        assert repo.role_of(s, ids["owner"], ids["child"]) == "owner"
        assert repo.role_of(s, ids["carer"], ids["child"]) == "caregiver"
        assert repo.role_of(s, ids["other"], ids["child"]) is None
        assert repo.role_of(s, ids["carer"], second.id) is None
        found = repo.child_and_role(s, ids["carer"], ids["child"])
        assert found is not None and found[0].name == "Mia" and found[1] == "caregiver"
        assert repo.child_and_role(s, ids["other"], ids["child"]) is None
        assert repo.child_and_role(s, ids["owner"], 999_999) is None
        repo.add_member(s, ids["child"], ids["carer"], "viewer")  # changes the role
        assert [(u.id, role) for u, role in repo.members(s, ids["child"])] == [
            (ids["owner"], "owner"),
            (ids["carer"], "viewer"),
        ]
    assert count(db, Membership) == 3


def test_episodes_crud_and_order(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        row = repo.get_episode(s, ids["child"], ids["episode"])
        assert row is not None and row.data == SPASM_EPISODE
        assert row.started_at == datetime(2026, 11, 19, 7, 5)
        assert row.logged_by == ids["carer"]
        untimed = repo.add_episode(s, ids["child"], {"movements": ["jerk"]}, None)
        earlier = repo.add_episode(
            s, ids["child"], {**SPASM_EPISODE, "started_at": "2026-11-18T21:00:00"}, ids["owner"]
        )
        assert untimed.started_at is None
        order = [e.id for e in repo.episodes_for(s, ids["child"])]
        # Untimed episodes sort by when they were logged (now, after 2026-11-19 here).
        assert order[:2] == [earlier.id, ids["episode"]] and untimed.id in order
        documents = repo.episode_documents(s, ids["child"])
        assert documents == [e.data for e in repo.episodes_for(s, ids["child"])]
        # The same documents as stored, each a JSON text (parsed once by the derived state).
        assert [json.loads(t) for t in repo.episode_texts(s, ids["child"])] == documents
        newest = [e.id for e in repo.recent_episodes(s, ids["child"], None)]
        assert newest == order[::-1]  # newest first
        assert [e.id for e in repo.recent_episodes(s, ids["child"], 2)] == newest[:2]
        repo.update_episode(s, row, {**SPASM_EPISODE, "count": 3, "started_at": None})
    with db.transaction() as s:
        row = repo.get_episode(s, ids["child"], ids["episode"])
        assert row is not None and row.data["count"] == 3 and row.started_at is None
        other_child = repo.create_child(s, ids["other"], "Leo", age_months=2.0)
        assert repo.get_episode(s, other_child.id, ids["episode"]) is None
        sha = repo.get_attachment(s, ids["attachment"]).sha256  # type: ignore[union-attr]
        assert repo.delete_episode(s, row) == [sha]  # its files go with it
    with db.transaction() as s:
        assert repo.get_episode(s, ids["child"], ids["episode"]) is None
        assert repo.get_attachment(s, ids["attachment"]) is None


def test_a_change_to_the_diary_forgets_its_stored_state(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        child = repo.get_child(s, ids["child"])
        assert child is not None
        state.refresh(s, child)
        assert s.get(DiaryState, ids["child"]) is not None
        repo.add_episode(s, ids["child"], dict(SPASM_EPISODE), None)  # forgets it
        assert s.get(DiaryState, ids["child"]) is None
        state.refresh(s, child)
        version = repo.diary_version(s, ids["child"])
        assert repo.forget_state(s, ids["child"]) == version + 1  # the new version
        assert s.get(DiaryState, ids["child"]) is None
        assert repo.diary_version(s, ids["child"]) == version + 1  # every change counts
        assert child.diary_version == version + 1  # the row in hand shows it too
        assert repo.diary_version(s, 10_000) == 0
        assert repo.existing_ids(s, Child, [ids["child"], 10_000, None]) == {ids["child"]}
        repo.lock_child(s, ids["child"])  # held to the end of the transaction
        for episodes in (3, 4):  # inserted, then replaced
            repo.save_state(
                s,
                ids["child"],
                rules_version="0",
                triage={},
                day_counts={},
                episodes=episodes,
                computed_at=repo.now(),
            )
        assert s.scalar(select(DiaryState.episodes)) == 4
        assert repo.existing_ids(s, Child, []) == set()


def test_timezone_aware_start_is_stored_as_the_familys_wall_clock(db: Database) -> None:
    # 07:05 in Tokyo is the family's 07:05 whatever the server's zone (on UTC it is 22:05
    # the day before): the diary's days and order are the family's.
    ids = make_family(db)
    with db.transaction() as s:
        row = repo.add_episode(s, ids["child"], {"started_at": "2026-11-19T07:05:00+09:00"}, None)
        assert row.started_at == datetime(2026, 11, 19, 7, 5)


def test_case_dict(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        child = repo.get_child(s, ids["child"])
        assert child is not None
        later = child.age_recorded_on + timedelta(days=61)
        case = repo.case_dict(child, repo.episodes_for(s, ids["child"]), today=later)
        assert case["child"] == {"development": "on_track", "age_months": 8.5, "born_weeks": 40.0}
        assert case["episodes"] == [SPASM_EPISODE]
        assert repo.child_document(child, today=later) == case["child"]
        born = repo.create_child(
            s, ids["owner"], "Ada", birth_date=date(2026, 5, 1), conditions=["tsc"]
        )
        assert repo.case_dict(born, []) == {
            "child": {"development": "unknown", "birth_date": "2026-05-01", "conditions": ["tsc"]},
            "episodes": [],
        }


def test_triage_latest(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        first = repo.latest_triage(s, ids["child"])
        assert first is not None and first.level == "same_day" and first.result == TRIAGE
        repo.save_triage(s, ids["child"], {**TRIAGE, "level": "emergency"})
        latest = repo.latest_triage(s, ids["child"])
        assert latest is not None and latest.level == "emergency"
        assert latest.rules_version == "1.0"
        assert repo.latest_triage(s, 999_999) is None
        assert repo.latest_triage_result(s, ids["child"]) == {**TRIAGE, "level": "emergency"}
        repo.save_triage_result(s, ids["child"], {**TRIAGE, "level": "soon"})
        assert repo.latest_triage_result(s, ids["child"]) == {**TRIAGE, "level": "soon"}
        latest = repo.latest_triage(s, ids["child"])
        assert latest is not None and latest.level == "soon" and latest.rules_version == "1.0"
        assert repo.latest_triage_result(s, 999_999) is None


def test_attachments(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        second = repo.add_attachment(
            s,
            child_id=ids["child"],
            kind="eeg",
            filename="night.edf",
            content_type="application/edf",
            size_bytes=3_000_000_000,  # beyond 32-bit integers: a long EEG or video is possible
            sha256="b" * 64,
            analysis={"events": 2},
        )
        assert [a.id for a in repo.attachments_for(s, ids["child"])] == [
            second.id,
            ids["attachment"],
        ]
        assert repo.attachments_for(s, 999_999) == []
    with db.transaction() as s:
        found = repo.get_attachment(s, second.id)
        assert found is not None and found.size_bytes == 3_000_000_000
        assert found.analysis == {"events": 2} and found.uploaded_by is None
        assert repo.get_attachment(s, 999_999) is None
        repo.set_attachment_analysis(s, second.id, {"status": "done", "result": {"x": 1}})
        repo.set_attachment_analysis(s, 999_999, {"status": "done"})  # gone: nothing to do
    with db.transaction() as s:
        found = repo.get_attachment(s, second.id)
        assert found is not None and found.analysis == {"status": "done", "result": {"x": 1}}
        assert repo.delete_attachment(s, found) == "b" * 64  # for the store to remove
    with db.transaction() as s:
        assert repo.get_attachment(s, second.id) is None
        assert [a.id for a in repo.attachments_for(s, ids["child"])] == [ids["attachment"]]


def test_share_links_expire_and_revoke(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        link = repo.share_link_by_token(s, token("link"))
        assert link is not None and link.id == ids["link"] and link.label == "Dr Smith"
        expired = repo.create_share_link(
            s, ids["child"], token("expired"), "", ids["owner"], repo.now() - timedelta(seconds=1)
        )
        assert repo.share_link_by_token(s, token("expired")) is None
        assert repo.share_link_by_token(s, token("unknown")) is None
        assert [x.id for x in repo.share_links_for(s, ids["child"])] == [expired.id, ids["link"]]
        assert repo.get_share_link(s, ids["child"], ids["link"]) is link
        assert repo.get_share_link(s, ids["child"] + 1, ids["link"]) is None
        link.revoked_at = repo.now()
    with db.transaction() as s:
        assert repo.share_link_by_token(s, token("link")) is None
        kept = repo.get_share_link(s, ids["child"], ids["link"])
        assert kept is not None and kept.revoked_at is not None


def test_audit_newest_first_with_limit(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        for i in range(5):
            repo.audit(s, "child.view", child_id=ids["child"], user_id=ids["owner"], detail=str(i))
        repo.audit(s, "long", child_id=ids["child"], detail="x" * 5000)
    with db.transaction() as s:
        entries = repo.audit_for(s, ids["child"], limit=3)
        assert [e.action for e in entries] == ["long", "child.view", "child.view"]
        assert len(entries[0].detail) == 2000 and entries[1].detail == "4"
        assert len(repo.audit_for(s, ids["child"])) == 8


def test_audited_details_names_those_already_logged(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        repo.audit(s, "view_recording", child_id=ids["child"], detail="a")
        repo.audit(s, "download", child_id=ids["child"], detail="b")
    with db.transaction() as s:
        found = repo.audited_details(s, "view_recording", ids["child"], ["a", "b", "c"])
        assert found == {"a"}
        assert repo.audited_details(s, "view_recording", ids["child"], []) == set()


def test_deleting_a_child_cascades_but_keeps_the_audit_log(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        keep = repo.create_child(s, ids["owner"], "Sibling", age_months=30.0)
        repo.add_episode(s, keep.id, dict(SPASM_EPISODE), ids["owner"])
    with db.transaction() as s:
        child = repo.get_child(s, ids["child"])
        assert child is not None
        repo.delete_child(s, child)
    with db.transaction() as s:
        assert repo.get_child(s, ids["child"]) is None
        assert repo.get_child(s, keep.id) is not None
        for model in (EpisodeRow, Membership, ShareLink, TriageRecord, Attachment):
            left = s.scalar(
                select(func.count()).select_from(model).where(model.child_id == ids["child"])
            )
            assert left == 0, model.__tablename__
        assert repo.role_of(s, ids["carer"], ids["child"]) is None
        assert len(repo.episodes_for(s, keep.id)) == 1
        entries = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        assert [e.action for e in entries] == ["episode.add", "share.view"]
        assert all(e.child_id is None and e.share_link_id is None for e in entries)
        assert entries[0].user_id == ids["carer"]
        assert s.scalar(select(func.count()).select_from(User)) == 3


def test_deleting_a_user_keeps_what_they_logged(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        carer = s.get(User, ids["carer"])
        s.delete(carer)
    with db.transaction() as s:
        row = repo.get_episode(s, ids["child"], ids["episode"])
        assert row is not None and row.logged_by is None
        assert [u.id for u, _ in repo.members(s, ids["child"])] == [ids["owner"]]


def test_a_transaction_that_raises_writes_nothing(db: Database) -> None:
    ids = make_family(db)
    before = {m: count(db, m) for m in (User, EpisodeRow, AuditEntry, Membership)}
    with pytest.raises(RuntimeError, match="half-way"), db.transaction() as s:
        user = repo.create_user(s, "new@example.org", "New", "h")
        repo.add_member(s, ids["child"], user.id, "viewer")
        repo.add_episode(s, ids["child"], dict(SPASM_EPISODE), user.id)
        repo.audit(s, "episode.add", child_id=ids["child"], user_id=user.id)
        s.flush()
        raise RuntimeError("failed half-way")
    assert {m: count(db, m) for m in before} == before
    with db.transaction() as s:
        assert repo.user_by_email(s, "new@example.org") is None


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), db.transaction() as s:
        repo.add_episode(s, 424_242, dict(SPASM_EPISODE), None)
    assert count(db, EpisodeRow) == 0


def test_api_tokens_expire_and_are_revoked(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        later = repo.now() + timedelta(days=30)
        read = repo.create_api_token(s, ids["owner"], token("read"), "script", "read", later)
        repo.create_api_token(
            s, ids["owner"], token("gone"), "old", "write", repo.now() - timedelta(seconds=1)
        )
        repo.create_api_token(s, ids["other"], token("theirs"), "", "write", later)
    with db.transaction() as s:
        found = repo.api_token(s, token("read"))
        assert found is not None and found[0].scope == "read" and found[1].id == ids["owner"]
        assert repo.api_token(s, token("gone")) is None  # expired
        assert [t.label for t in repo.api_tokens_for(s, ids["owner"])] == ["script"]
        assert not repo.delete_api_token(s, ids["owner"], 999)
        assert not repo.delete_api_token(s, ids["other"], read.id)  # not theirs
        assert repo.delete_api_token(s, ids["owner"], read.id)
    with db.transaction() as s:
        assert repo.api_token(s, token("read")) is None


def test_passwords_reset_codes_and_sessions_everywhere(db: Database) -> None:
    ids = make_family(db)
    later = repo.now() + timedelta(hours=1)
    with db.transaction() as s:
        for label in ("a", "b", "c"):
            repo.create_session(s, ids["owner"], token(label), "csrf", later)
        repo.create_session(s, ids["carer"], token("carer"), "csrf", later)
        repo.touch_session(s, token("a"), datetime(2026, 12, 1, 9, 0))
        repo.set_password(s, ids["owner"], "new-hash")
        repo.create_password_reset(s, ids["owner"], token("code1"), later)
        repo.create_password_reset(s, ids["owner"], token("code2"), later)  # replaces code1
        repo.create_password_reset(
            s, ids["carer"], token("stale"), repo.now() - timedelta(seconds=1)
        )
    with db.transaction() as s:
        found = repo.session_user(s, token("a"))
        assert found is not None and found[0].last_seen_at == datetime(2026, 12, 1, 9, 0)
        assert found[1].password_hash == "new-hash"
        assert not repo.use_password_reset(s, ids["owner"], token("code1"))
        assert not repo.use_password_reset(s, ids["carer"], token("stale"))
        assert not repo.use_password_reset(s, ids["carer"], token("code2"))  # not theirs
        assert repo.use_password_reset(s, ids["owner"], token("code2"))
        assert not repo.use_password_reset(s, ids["owner"], token("code2"))  # used up
        assert repo.delete_sessions(s, ids["owner"], keep=token("a")) == 2
        assert repo.session_user(s, token("a")) is not None
        assert repo.delete_sessions(s, ids["owner"]) == 1
        assert repo.session_user(s, token("carer")) is not None


def test_invitation_links_become_roles_once_and_members_are_removed(db: Database) -> None:
    ids = make_family(db)
    days = repo.now() + timedelta(days=14)
    with db.transaction() as s:
        child = ids["child"]
        first = repo.invite(s, child, " New@Example.org ", "viewer", ids["owner"], token("a"), days)
        # the same email again: its role and its link change (the first link leads nowhere)
        again = repo.invite(
            s, child, "new@example.org", "caregiver", ids["owner"], token("b"), days
        )
        assert (
            first.id == again.id and again.role == "caregiver" and again.email == "new@example.org"
        )
        assert repo.invitation_by_token(s, token("a")) is None
        found = repo.invitation_by_token(s, token("b"))
        assert found is not None and found.id == again.id and found.expires_at == days
        other = repo.invite(s, child, "x@example.org", "viewer", None, token("x"), days)
        assert [i.email for i in repo.invitations_for(s, child)] == [
            "new@example.org",
            "x@example.org",
        ]
        # Signing in with the email gives nothing by itself: the session is just a session.
        newcomer = repo.create_user(s, "new@example.org", "New", "h")
        repo.create_session(s, newcomer.id, token("new"), "csrf", repo.now() + timedelta(hours=1))
        assert repo.session_user(s, token("new"))[1].id == newcomer.id  # type: ignore[index]
        assert repo.role_of(s, newcomer.id, child) is None
        # Taken up: the role (an owner stays owner), and the invitation is used.
        repo.accept_invitation(s, again, newcomer)
        assert repo.role_of(s, newcomer.id, child) == "caregiver"
        assert again.used_at is not None
        owner = s.get(User, ids["owner"])
        assert owner is not None
        repo.accept_invitation(s, other, owner)
        assert repo.role_of(s, ids["owner"], child) == "owner"
        assert repo.invitations_for(s, child) == []
        # a used one is still found by its link (to say that it was used); no new link
        assert repo.invitation_by_token(s, token("b")) is not None
        assert repo.renew_invitation(s, child, again.id, token("c"), days) is None
        # A waiting one gets a new link, and can be withdrawn once, by its child only.
        extra = repo.invite(s, child, "later@example.org", "viewer", None, token("l"), days)
        renewed = repo.renew_invitation(s, child, extra.id, token("m"), days + timedelta(days=1))
        assert renewed is not None and renewed.token_hash == token("m")
        assert repo.invitation_by_token(s, token("l")) is None
        assert repo.renew_invitation(s, child + 1, extra.id, token("n"), days) is None
        assert not repo.remove_invitation(s, child + 1, extra.id)
        assert repo.remove_invitation(s, child, extra.id)
        assert not repo.remove_invitation(s, child, extra.id)
        withdrawn = repo.invitation_by_token(s, token("m"))
        assert withdrawn is not None and withdrawn.revoked_at is not None
        assert repo.invitations_for(s, child) == []
        # Inviting the same email again makes it wait again, with a new link.
        back = repo.invite(s, child, "later@example.org", "caregiver", None, token("o"), days)
        assert back.id == extra.id and back.revoked_at is None and back.used_at is None
        assert [i.id for i in repo.invitations_for(s, child)] == [extra.id]
        assert not repo.remove_member(s, child, ids["owner"])  # never the owner
        assert not repo.remove_member(s, child, ids["other"])  # not a member
        assert repo.remove_member(s, child, newcomer.id)
        assert repo.role_of(s, newcomer.id, child) is None


def test_a_deleted_user_leaves_what_they_recorded(db: Database) -> None:
    ids = make_family(db)
    with db.transaction() as s:
        repo.create_session(
            s, ids["carer"], token("session"), "csrf", repo.now() + timedelta(days=1)
        )
        repo.invite(
            s,
            ids["child"],
            "grandma@example.org",
            "viewer",
            ids["owner"],
            token("invite"),
            repo.now() + timedelta(days=14),
        )
        repo.delete_user(s, ids["carer"])
        repo.delete_user(s, 999_999)  # no such user: nothing happens
    with db.transaction() as s:
        assert repo.user_by_email(s, "grandma@example.org") is None
        assert repo.role_of(s, ids["carer"], ids["child"]) is None
        assert repo.invitations_for(s, ids["child"]) == []
        (episode,) = repo.episodes_for(s, ids["child"])  # the episode stays
        assert episode.id == ids["episode"]
        entries = repo.audit_for(s, ids["child"])
        assert any(e.action == "episode.add" and e.user_id is None for e in entries)


def test_an_earlier_finished_analysis_is_kept_through_a_new_one() -> None:
    done = {"status": "done", "sensitivity": "normal", "result": {"events": []}}
    queued = {"status": "queued", "sensitivity": "high", "job_id": 3}
    waiting = repo.keeping_earlier(done, queued)
    assert waiting == {**queued, "previous": done}
    failed = {"status": "failed", "error": "stopped", "sensitivity": "high", "analysed_at": "t"}
    kept = repo.keeping_earlier(waiting, failed)
    assert kept == {
        **done,
        "last_failure": {"error": "stopped", "sensitivity": "high", "analysed_at": "t"},
    }
    # a second failure replaces the first; a finished run replaces both
    again = repo.keeping_earlier(repo.keeping_earlier(kept, queued), failed)
    assert again == kept
    fresh = {"status": "done", "sensitivity": "high", "result": {"events": [1]}}
    assert repo.keeping_earlier(again, fresh) == fresh
    # nothing finished before: a failure is a failure
    assert repo.keeping_earlier(None, failed) == failed
    assert repo.keeping_earlier(queued, failed) == failed
