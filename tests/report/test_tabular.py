"""CSV export and import of episodes: round trip, every problem named, nothing imported on
error, dry run; the store parts on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest

from spasmwatch.case import parse_case
from spasmwatch.diary.exchange import export_episodes_csv, import_episodes_csv
from spasmwatch.errors import SpasmwatchError
from spasmwatch.report.tabular import (
    COLUMNS,
    EPISODE_FIELDS,
    episodes_csv,
    parse_episodes_csv,
)
from spasmwatch.store import Database, repo

CHILD = {"birth_date": "2026-05-01"}
EPISODES: list[dict[str, Any]] = [
    {
        "started_at": "2026-11-20T07:05:00",
        "state": "just_woke",
        "movements": ["head_nod", "arms_up"],
        "side": "both",
        "movement_seconds": 1.5,
        "count": 12,
        "interval_seconds": 8.0,
        "episode_minutes": 3.0,
        "stops_when_woken": "no",
        "responsive": "yes",
        "after": ["cried", "sleepy"],
        "triggers": ["noise_or_touch"],
        "fever_c": 37.2,
        "red_flags": [],
        "typical_for_child": "no",
        "notes": 'She said "again, again";\nthen a second line — ünïcode',
    },
    {"movements": ["hiccups"]},
    {"started_at": "2026-11-21T22:30:00", "movements": ["startle"], "fever_c": 38.5},
]


def valid(episode: dict[str, Any]) -> dict[str, Any]:
    """The episode as the store keeps it (validated, defaults left out)."""
    return parse_case({"child": CHILD, "episodes": [episode]}).to_json_dict()["episodes"][0]


def problems(text: str | bytes, child: dict[str, Any] | None = None) -> list[tuple[int, str]]:
    return [(p.row, p.field) for p in parse_episodes_csv(text, child or CHILD).problems]


def test_columns_are_the_case_format_in_contract_order() -> None:
    assert COLUMNS[0] == "id"
    assert EPISODE_FIELDS[:4] == ("started_at", "state", "movements", "side")
    # a field added to the contract goes before the free text, which stays last
    assert EPISODE_FIELDS[-1] == "notes" and len(EPISODE_FIELDS) == 19


def test_export_layout() -> None:
    text = episodes_csv([(4, valid(EPISODES[0])), (5, valid(EPISODES[1]))])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["id"] == "4" and rows[0]["movements"] == "head_nod;arms_up"
    assert rows[0]["count"] == "12" and rows[0]["movement_seconds"] == "1.5"
    assert rows[0]["interval_seconds"] == "8" and rows[0]["red_flags"] == ""
    assert rows[0]["notes"] == EPISODES[0]["notes"]
    assert rows[1]["state"] == "" and rows[1]["fever_c"] == ""


def test_round_trip_without_the_store() -> None:
    stored = [valid(e) for e in EPISODES]
    result = parse_episodes_csv(episodes_csv(enumerate(stored)), CHILD)
    assert result.problems == [] and result.rows == 3
    assert result.episodes == stored


@pytest.mark.parametrize(
    "note", ['=HYPERLINK("http://x")', "+1", "-cried after", "@SUM(A1)", "'=quoted", "plain"]
)
def test_notes_that_a_spreadsheet_would_run_are_quoted_and_round_trip(note: str) -> None:
    episode = valid({"movements": ["startle"], "notes": note})
    text = episodes_csv([(1, episode)])
    cell = next(csv.DictReader(io.StringIO(text)))["notes"]
    assert cell[0] not in "=+-@"
    assert parse_episodes_csv(text, CHILD).episodes == [episode]


def test_every_problem_is_named_with_row_and_field() -> None:
    text = (
        "movements,count,state,started_at,fever_c,side\n"
        "head_nod,ten,sleeping,2026-01-01T00:00,38,both\n"  # row 2: 3 problems
        ",3,,,,\n"  # row 3: no movement
        "head_nod;jumping,2,,,45,middle\n"  # row 4: 3 problems
        "\n"  # blank: skipped
        'arms_up,1.5,,not a date,"37,5",\n'  # row 6: 3 problems
        "arms_up,1,,,,both,extra\n"  # row 7: too many cells
        "staring,1,awake,,,left\n"  # row 8: fine
    )
    result = parse_episodes_csv(text, CHILD)
    assert sorted((p.row, p.field) for p in result.problems) == [
        (2, "count"),
        (2, "started_at"),
        (2, "state"),
        (3, "movements"),
        (4, "fever_c"),
        (4, "movements"),
        (4, "side"),
        (6, "count"),
        (6, "fever_c"),
        (6, "started_at"),
        (7, ""),
    ]
    messages = {(p.row, p.field): p.message for p in result.problems}
    assert "sleeping" in messages[(2, "state")] and "just_woke" in messages[(2, "state")]
    assert "before child.birth_date" in messages[(2, "started_at")]
    assert "jumping" in messages[(4, "movements")]
    assert "decimal point" in messages[(6, "fever_c")]
    assert "7 cells" in messages[(7, "")]
    assert str(result.problems[0]).startswith("row 2, ")
    assert result.rows == 6


@pytest.mark.parametrize(
    ("text", "expected", "words"),
    [
        ("", [(0, "")], "empty"),
        ("   \n\n", [(0, "")], "empty"),
        ("movements\n", [(0, "")], "no episode rows"),
        ("count\n3\n", [(1, "movements")], "Missing column"),
        ("movements,colour\nhead_nod,red\n", [(1, "colour")], "Unknown column 'colour'"),
        ("movements,count,Count\nhead_nod,1,2\n", [(1, "count")], "Duplicate column"),
        ("movements,,count\nhead_nod,,1\n", [(1, "")], "no name"),
        (b"movements\n\xe9t\xe9\n", [(0, "")], "not UTF-8"),
        ("movements\nhead_nod\n".encode("utf-16"), [(0, "")], "UTF-16"),
    ],
)
def test_file_level_problems(
    text: str | bytes, expected: list[tuple[int, str]], words: str
) -> None:
    result = parse_episodes_csv(text, CHILD)
    assert [(p.row, p.field) for p in result.problems] == expected
    assert words in result.problems[0].message
    assert result.episodes == [] or result.problems


def test_byte_order_mark_other_delimiters_and_spaces_are_accepted() -> None:
    with_bom = "\ufeffmovements,count\nhead_nod,3\n".encode()
    assert parse_episodes_csv(with_bom, CHILD).episodes == [{"movements": ["head_nod"], "count": 3}]
    semicolons = 'Movements ; State\n"head_nod;arms_up" ; Just_Woke \n'
    assert parse_episodes_csv(semicolons, CHILD).episodes == [
        {"movements": ["head_nod", "arms_up"], "state": "just_woke"}
    ]
    tabs = "id\tmovements\tcount\n17\tstartle\t2.0\n"
    assert parse_episodes_csv(tabs, CHILD).episodes == [{"movements": ["startle"], "count": 2}]


def test_without_a_birth_date_any_time_is_accepted() -> None:
    text = "movements,started_at\nhead_nod,2020-01-01T08:00\n"
    assert problems(text, {"age_months": 6}) == []
    assert problems(text, CHILD) == [(2, "started_at")]


def make_children(db: Database) -> tuple[int, int, int]:
    with db.transaction() as s:
        user = repo.create_user(s, "ann@example.org", "Ann", "hash")
        first = repo.create_child(s, user.id, "Mia", birth_date=date(2026, 5, 1))
        second = repo.create_child(s, user.id, "Leo", birth_date=date(2026, 4, 1))
        for episode in EPISODES:
            repo.add_episode(s, first.id, valid(episode), user.id)
        return user.id, first.id, second.id


def stored(db: Database, child_id: int) -> list[dict[str, Any]]:
    with db.transaction() as s:
        return [dict(r.data) for r in repo.episodes_for(s, child_id)]


def test_round_trip_through_the_store(db: Database) -> None:
    user, first, second = make_children(db)
    text = export_episodes_csv(db, first)
    assert len(list(csv.reader(io.StringIO(text)))) == 1 + len(EPISODES)
    result = import_episodes_csv(db, second, text, user_id=user, source="test")
    assert result.problems == [] and result.imported == 3
    assert stored(db, second) == stored(db, first)
    assert export_episodes_csv(db, second).split("\r\n", 1)[1].count("\r\n") == 3
    with db.transaction() as s:
        assert [r.logged_by for r in repo.episodes_for(s, second)] == [user] * 3
        assert [a.action for a in repo.audit_for(s, second)] == ["import_csv"]


def test_bad_rows_import_nothing(db: Database) -> None:
    user, first, second = make_children(db)
    good = export_episodes_csv(db, first)
    bad = good + "99,2026-11-22T07:00:00,sleeping,head_nod,,,,,,,,,,,,,,,\n"
    result = import_episodes_csv(db, second, bad, user_id=user)
    assert result.imported == 0 and result.rows == 4
    assert [(p.row, p.field) for p in result.problems] == [(5, "state")]
    assert stored(db, second) == []
    with db.transaction() as s:
        assert repo.audit_for(s, second) == []


def test_dry_run_imports_nothing(db: Database) -> None:
    _, first, second = make_children(db)
    result = import_episodes_csv(db, second, export_episodes_csv(db, first), dry_run=True)
    assert result.ok and result.dry_run and result.rows == 3 and result.imported == 0
    assert result.to_dict() == {
        "rows": 3,
        "imported": 0,
        "already_in_diary": 0,
        "dry_run": True,
        "problems": [],
    }
    assert stored(db, second) == []


def test_unknown_child(db: Database) -> None:
    with pytest.raises(SpasmwatchError, match="No child with id 999999"):
        export_episodes_csv(db, 999_999)
    with pytest.raises(SpasmwatchError, match="No child with id 999999"):
        import_episodes_csv(db, 999_999, "movements\nhead_nod\n")
