"""A realistic child for report tests: three weeks of diary, an analysed video and EEG.

The diary (times relative to ``now``):

- weeks 1-2: single sleep jerks and startles, hiccups, one febrile seizure (38.9 C);
- the last 10 days: clusters of head nods with arms flung up, mostly just after waking,
  growing from 5 to 16 movements, with single jerks in between;
- one untimed episode and one with a very long note (a table must wrap it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from spasmwatch.attachments import analyse_attachment
from spasmwatch.case import parse_case
from spasmwatch.report import ReportData
from spasmwatch.store import Database, repo
from spasmwatch.store.files import store_stream
from spasmwatch.testing.video.render import SceneSpec, render

NAME = "Amélie Example-Longname"
HELSINKI_CLIP = Path(__file__).resolve().parents[3] / "shared/data/eeg/helsinki/clips/eeg1.edf"
LONG_NOTE = (
    "Filmed the second half on the phone; grandmother says the same happened at her house "
    "yesterday evening. See https://example.org/a-very-long-link-without-any-spaces-that-"
    "must-wrap-inside-its-cell/clip?id=0123456789abcdef0123456789abcdef"
)


@dataclass(frozen=True)
class MadeReport:
    """A realistic child's report and its rendered files."""

    database: Database
    child_id: int
    now: datetime
    data: ReportData
    html: str
    pdf: Path
    pages: list[Path]


def _at(now: datetime, days_ago: int, hour: int, minute: int = 0) -> str:
    day = (now - timedelta(days=days_ago)).date()
    return datetime(day.year, day.month, day.day, hour, minute).isoformat()


def diary(now: datetime) -> list[dict[str, Any]]:
    """Three weeks of episodes in the case format, oldest first."""
    eps: list[dict[str, Any]] = []
    for days_ago, hour in ((21, 2), (20, 23), (19, 3), (17, 1), (16, 22), (14, 4)):
        eps.append(
            {
                "started_at": _at(now, days_ago, hour, 15),
                "state": "asleep",
                "movements": ["limb_jerk"],
                "count": 2,
                "movement_seconds": 0.2,
                "stops_when_woken": "yes",
                "after": ["normal"],
            }
        )
    eps.append({"started_at": _at(now, 20, 10, 30), "state": "feeding", "movements": ["hiccups"]})
    eps.append(
        {"started_at": _at(now, 15, 16), "state": "awake", "movements": ["startle"], "count": 1}
    )
    eps.append(
        {
            "started_at": _at(now, 18, 19, 40),
            "state": "awake",
            "movements": ["rhythmic_jerking", "stiffening"],
            "side": "both",
            "episode_minutes": 2,
            "fever_c": 38.9,
            "responsive": "no",
            "after": ["sleepy"],
            "notes": "Had a cold; temperature taken straight after.",
        }
    )
    sizes = (5, 6, 6, 8, 7, 9, 10, 12, 11, 14, 13, 16)
    for i, days_ago in enumerate((10, 9, 8, 7, 7, 6, 5, 4, 4, 3, 2, 1)):
        hour = 7 if i % 3 != 2 else 14
        eps.append(
            {
                "started_at": _at(now, days_ago, hour, 5 + i),
                "state": "just_woke" if i % 4 != 3 else "awake",
                "movements": ["head_nod", "arms_up", "trunk_crunch"],
                "side": "both",
                "count": sizes[i],
                "movement_seconds": 1.0,
                "interval_seconds": 8,
                "responsive": "yes",
                "after": ["cried"],
                "notes": LONG_NOTE if days_ago == 4 and hour == 14 else "",
            }
        )
        eps.append(
            {
                "started_at": _at(now, days_ago, 21, 10 + 4 * i),
                "state": "drowsy",
                "movements": ["limb_jerk"],
                "count": 1,
            }
        )
    eps.append({"state": "unknown", "movements": ["eye_roll_up"], "notes": "time forgotten"})
    parse_case({"child": {"age_months": 6}, "episodes": eps})  # the fixture is valid
    return eps


def make_child(database: Database, now: datetime, with_diary: bool = True) -> tuple[int, int]:
    """A parent and a child (with the diary unless ``with_diary`` is false).

    Returns (child id, user id).
    """
    with database.transaction() as s:
        user = repo.create_user(s, f"parent{now.timestamp():.0f}@example.org", "Parent", "x")
        child = repo.create_child(
            s,
            user.id,
            NAME,
            birth_date=date.fromordinal(now.date().toordinal() - 190),
            born_weeks=36.5,
            conditions=["tuberous_sclerosis"],
            development="slower",
        )
        for episode in diary(now) if with_diary else []:
            repo.add_episode(s, child.id, episode, user.id)
        return child.id, user.id


def attach(database: Database, child_id: int, user_id: int, path: Path) -> int:
    """Store a file as the child's attachment (as an upload does), then analyse it."""
    stored = store_stream(
        [path.read_bytes()], database.attachments_dir, 100 * 1024 * 1024, path.name
    )
    with database.transaction() as s:
        clusters = [e.id for e in repo.episodes_for(s, child_id) if e.data.get("count", 0) >= 5]
        episode_id = clusters[-1] if stored.kind == "video" and clusters else None
        row = repo.add_attachment(
            s,
            child_id=child_id,
            episode_id=episode_id,
            kind=stored.kind,
            filename=path.name,
            content_type=stored.content_type,
            size_bytes=stored.size_bytes,
            sha256=stored.sha256,
            uploaded_by=user_id,
        )
        attachment_id = row.id
    outcome = analyse_attachment(database, attachment_id)
    assert outcome["status"] == "done", outcome
    return attachment_id


def cluster_video(path: Path) -> Path:
    """A short synthetic phone video of an infant with one cluster of spasms."""
    spec = SceneSpec(
        "report_cluster",
        seed=11,
        duration_s=20,
        clusters=1,
        cluster_size=(5, 6),
        gap_s=(2.5, 4.0),
        jerks=0,
        kick_bouts=0,
        reaches=0,
        hands=0,
        shake=0,
        jolts=0,
        flicker=0,
    )
    render(spec, path)
    return path


def one_day_report(episodes: list[dict[str, Any]], videos: list[Any] | None = None) -> ReportData:
    """The report of a 6-month-old's episodes on one day, an hour apart from 08:00 on
    1 Dec 2026 (no database), with ``videos`` as its video findings."""
    from spasmwatch.report.build import ReportSource, StoredEpisode, assemble_report

    when = datetime(2026, 12, 1, 8, 0)
    episodes = [
        {**ep, "started_at": (when + timedelta(hours=i)).isoformat()}
        for i, ep in enumerate(episodes)
    ]
    rows = [
        StoredEpisode(i + 1, when + timedelta(hours=i), when + timedelta(hours=i), ep)
        for i, ep in enumerate(episodes)
    ]
    case = {"child": {"age_months": 6}, "episodes": episodes}
    source = ReportSource("Mia", None, None, [], "unknown", case, rows, [])
    data = assemble_report(source, date(2026, 12, 1), date(2026, 12, 1), datetime(2026, 12, 2))
    return replace(data, videos=videos or [])
