"""Write a backup as an older spasmwatch wrote it (see README.md in this folder).

Run with that version's sources first on the path, for example::

    git worktree add /tmp/spasmwatch-old 39b634e
    PYTHONPATH=/tmp/spasmwatch-old/src .venv/bin/python \\
        tests/store/old_backups/make_old_backup.py /tmp/old-data tiny.edf revision-0007.tar.gz
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

from spasmwatch.config import Settings
from spasmwatch.store import Database, repo
from spasmwatch.store.backup import backup
from spasmwatch.store.files import store_stream


def main(data_dir: Path, edf: Path, out: Path) -> None:
    db = Database(Settings(data_dir=data_dir))
    db.migrate()
    stored = store_stream([edf.read_bytes()], db.attachments_dir, 10**8, edf.name)
    with db.transaction() as s:
        owner = repo.create_user(s, "parent@example.org", "Pat", "argon2-hash")
        viewer = repo.create_user(s, "dr@example.org", "Dr Who", "argon2-hash")
        repo.set_api_token(s, owner.id, "f" * 64)
        child = repo.create_child(
            s,
            owner.id,
            "Mia",
            birth_date=date(2026, 5, 1),
            conditions=["tuberous_sclerosis"],
            born_weeks=39.5,
        )
        repo.create_child(s, owner.id, "Leo", age_months=2.25)
        repo.add_member(s, child.id, viewer.id, "viewer")
        episode = repo.add_episode(
            s,
            child.id,
            {
                "started_at": "2026-11-19T07:05:00",
                "state": "just_woke",
                "movements": ["head_nod", "arms_up"],
                "count": 12,
                "notes": "Kopf nickt — zwölf Mal",
            },
            owner.id,
        )
        repo.add_episode(s, child.id, {"movements": ["limb_jerk"], "state": "asleep"}, None)
        repo.save_triage(s, child.id, {"level": "same_day", "rules_version": "1.0"})
        repo.create_share_link(
            s, child.id, "d" * 64, "Neurology", owner.id, repo.now() + timedelta(days=7)
        )
        repo.add_attachment(
            s,
            child_id=child.id,
            episode_id=episode.id,
            kind=stored.kind,
            filename="tiny.edf",
            content_type=stored.content_type,
            size_bytes=stored.size_bytes,
            sha256=stored.sha256,
            uploaded_by=owner.id,
        )
        repo.audit(s, "child.view", child_id=child.id, user_id=owner.id)
        try:  # the care records exist from schema revision 0007
            from spasmwatch.store import care
        except ImportError:
            pass
        else:
            care.add_treatment(
                s,
                child.id,
                owner.id,
                drug="prednisolone",
                dose="10 mg 4x daily",
                route="oral",
                start_date=date(2026, 11, 20),
            )
            care.add_milestone(
                s,
                child.id,
                owner.id,
                skill="smile",
                label="",
                status="lost",
                on_date=date(2026, 11, 18),
            )
    backup(db, out)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
