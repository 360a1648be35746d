"""A CSV import checks each row as an episode logged one at a time is checked (no start in
the future, none before the birth date), reads what spreadsheets write where it is certain
(a decimal comma in a ';' file, never in a ',' or tab-separated one; a space between date
and time), refuses a day-first or month-first date with the form to use, names a file that
is no CSV (the app's ZIP, a FHIR export) and reads the episodes of the app's own ZIP; the
command line records the diary's owner as who logged what it imported."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.config import Settings
from spasmwatch.diary.episodes import future_problem
from spasmwatch.diary.reporting import build_report
from spasmwatch.report.tabular import parse_episodes_csv
from spasmwatch.store import Database, repo
from web.webworld import SPASM_EPISODE, add_child, log_episode, new_app, sign_up

CHILD = {"birth_date": "2026-05-01"}


def _minute(when: datetime) -> str:
    return when.replace(second=0, microsecond=0).isoformat(timespec="minutes")


def checked(text: str | bytes, child: dict[str, Any] | None = None) -> Any:
    """The import's reading of a file, with the diary's own start check."""
    return parse_episodes_csv(text, child or CHILD, future_problem)


# ---------------------------------------------------------------- times
def test_a_start_in_the_future_is_refused_with_its_row_and_nothing_is_imported(
    tmp_path: Path,
) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org", "Ann")
    child = add_child(person, "Mia")
    before = person.api("GET", f"/api/v1/children/{child}/triage").json()
    now = datetime.now()
    text = (
        "started_at,movements,count\n"
        f"{_minute(now - timedelta(days=1))},startle,1\n"
        f"{_minute(now + timedelta(days=400))},head_nod,12\n"
        f"{_minute(now - timedelta(minutes=1))},hiccups,3\n"
    )
    url = f"/api/v1/children/{child}/episodes.csv"
    headers = {"Content-Type": "text/csv"}
    for dry in ("?dry_run=1", ""):
        refused = person.api("POST", url + dry, content=text, headers=headers)
        assert refused.status_code == 422
        assert [(p["row"], p["field"]) for p in refused.json()["problems"]] == [(3, "started_at")]
        assert "is in the future" in refused.json()["problems"][0]["message"]
    assert person.api("GET", f"/api/v1/children/{child}/episodes").json() == []
    assert person.api("GET", f"/api/v1/children/{child}/triage").json() == before

    without = text.replace(f"{_minute(now + timedelta(days=400))},head_nod,12\n", "")
    done = person.api("POST", url, content=without, headers=headers)
    assert done.status_code == 201 and done.json()["imported"] == 2


def test_a_future_start_with_its_zone_is_refused_by_the_real_time() -> None:
    soon = datetime.now().astimezone() + timedelta(hours=3)
    past = datetime.now().astimezone() - timedelta(hours=3)
    text = (
        "started_at,movements\n"
        f"{soon.isoformat(timespec='minutes')},startle\n"
        f"{past.isoformat(timespec='minutes')},startle\n"
    )
    result = checked(text)
    assert [(p.row, p.field) for p in result.problems] == [(2, "started_at")]
    assert len(result.episodes) == 1


def test_a_zone_given_as_an_offset_column_is_used() -> None:
    """A family 14 hours ahead of a server on UTC: its last minutes are not the future."""
    utc = datetime.now(UTC).replace(tzinfo=None)
    east = utc + timedelta(hours=14) - timedelta(minutes=5)
    text = f"started_at,movements,utc_offset_minutes\n{_minute(east)},startle,840\n"
    assert checked(text).problems == []
    far = utc + timedelta(hours=14, minutes=40)
    late = checked(f"started_at,movements,utc_offset_minutes\n{_minute(far)},startle,840\n")
    assert [(p.row, p.field) for p in late.problems] == [(2, "started_at")]


def test_every_problem_of_a_row_comes_at_once_and_the_birth_date_still_counts() -> None:
    future = _minute(datetime.now() + timedelta(days=2))
    text = (
        "started_at,movements,state\n"
        f"{future},head_nod,sleeping\n"  # two problems
        "2026-01-01T08:00,head_nod,awake\n"  # before the birth date
    )
    result = checked(text)
    assert sorted((p.row, p.field) for p in result.problems) == [
        (2, "started_at"),
        (2, "state"),
        (3, "started_at"),
    ]
    messages = {(p.row, p.field): p.message for p in result.problems}
    assert "in the future" in messages[(2, "started_at")]
    assert "before child.birth_date 2026-05-01" in messages[(3, "started_at")]


@pytest.mark.parametrize(
    ("cell", "day"),
    [("06/12/2026 07:05", "06/12/2026"), ("12.06.2026", "12.06.2026"), ("6-12-26 7:05", "6-12-26")],
)
def test_a_day_first_or_month_first_date_is_not_guessed(cell: str, day: str) -> None:
    result = checked(f"started_at;movements\n{cell};head_nod\n")
    assert [(p.row, p.field) for p in result.problems] == [(2, "started_at")]
    message = result.problems[0].message
    assert "2026-12-06T07:05 or 2026-12-06 07:05 (year-month-day)" in message
    assert f"in '{day}' the day may come first or the month" in message
    assert "Input should" not in message and result.episodes == []


def test_the_dates_a_spreadsheet_writes_in_iso_order_are_read() -> None:
    text = (
        "started_at,movements\n"
        "2026-12-06 07:05,head_nod\n"
        "2026-12-06 7:05,arms_up\n"
        "2026-12-06T07:05,startle\n"
    )
    result = checked(text)
    assert result.problems == []
    assert {e["started_at"] for e in result.episodes} == {"2026-12-06T07:05:00"}


@pytest.mark.parametrize(
    ("header", "cell", "field"),
    [
        ("started_at", "yesterday", "started_at"),
        ("started_at", "2026-13-06 07:05", "started_at"),
        ("started_at", "2026-12-06T07:05:00+25:00", "started_at"),
        ("utc_offset_minutes", "900", "utc_offset_minutes"),
        ("utc_offset_minutes", "-800", "utc_offset_minutes"),
    ],
)
def test_no_problem_is_said_in_the_parser_s_words(header: str, cell: str, field: str) -> None:
    result = checked(f"movements,{header}\nhead_nod,{cell}\n")
    assert [(p.row, p.field) for p in result.problems] == [(2, field)]
    message = result.problems[0].message
    assert "Input should" not in message and "invalid character" not in message
    assert cell in message


def test_a_time_zone_out_of_range_is_said_as_the_case_format_says_it() -> None:
    """The offset's range is the case format's, said in its words (which every language
    has); the row's start is still checked, as one whose zone is not known."""
    future = _minute(datetime.now() + timedelta(days=2))
    text = f"started_at,movements,utc_offset_minutes\n{future},head_nod,900\n"
    result = checked(text)
    assert sorted((p.row, p.field, p.message) for p in result.problems) == [
        (2, "started_at", f"Invalid value for 'started_at': {future}:00 is in the future"),
        (
            2,
            "utc_offset_minutes",
            "Out of range for 'utc_offset_minutes': must be at most 840; got 900",
        ),
    ]
    low = checked("movements,utc_offset_minutes\nhead_nod,-800\n").problems
    assert [p.message for p in low] == [
        "Out of range for 'utc_offset_minutes': must be at least -720; got -800"
    ]


# ---------------------------------------------------------------- numbers
def test_a_semicolon_file_takes_a_decimal_comma() -> None:
    text = (
        "\ufeffstarted_at;movements;count;movement_seconds;fever_c;notes\n"
        '2026-12-06 07:05;head_nod;12;1,5;37,5;"Excel ""quoted""; 1,5 s"\n'
        "2026-12-06 08:00;arms_up;3,0;2.5;;\n"
    )
    result = checked(text.encode())
    assert result.problems == []
    assert result.episodes[0]["movement_seconds"] == 1.5
    assert result.episodes[0]["fever_c"] == 37.5
    assert result.episodes[0]["notes"] == 'Excel "quoted"; 1,5 s'
    assert result.episodes[1]["count"] == 3 and result.episodes[1]["movement_seconds"] == 2.5
    tabs = checked("movements\tfever_c\tcount\nhead_nod\t38.2\t2\n")
    assert tabs.problems == [] and tabs.episodes[0]["fever_c"] == 38.2


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_a_comma_or_tab_file_refuses_a_decimal_comma_it_could_read_as_thousands(
    delimiter: str,
) -> None:
    """A spreadsheet of any locale writes a tab-separated file: "1,200" may be twelve
    hundred there, and a count of "1,000" a thousand, so neither is guessed."""
    header = delimiter.join(["movements", "movement_seconds", "count", "fever_c"])
    row = delimiter.join(["head_nod", '"1,200"', '"1,000"', "38.2"])
    result = checked(f"{header}\n{row}\n")
    assert [(p.row, p.field) for p in result.problems] == [
        (2, "movement_seconds"),
        (2, "count"),
    ]
    seconds, count = (p.message for p in result.problems)
    assert seconds == (
        "Invalid value for 'movement_seconds': expected a number (a comma-separated file takes "
        "a decimal point, not a comma; a file separated by ';' may use a decimal comma); got "
        "'1,200'"
    )
    assert count.startswith("Invalid value for 'count': expected a whole number (a comma-")
    assert "a file separated by ';' may use a decimal comma); got '1,000'" in count
    assert result.episodes == []


# ---------------------------------------------------------------- other files
def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def test_the_app_s_zip_is_read_for_its_episodes_and_other_files_are_named(
    tmp_path: Path,
) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org", "Ann")
    first = add_child(person, "Mia")
    second = add_child(person, "Leo")
    log_episode(person, first)
    log_episode(person, first, {**SPASM_EPISODE, "started_at": "2026-11-21T07:00:00"})
    tables = person.api("GET", f"/api/v1/children/{first}/csv.zip").content
    fhir = person.api("GET", f"/api/v1/children/{first}/fhir").content
    url = f"/api/v1/children/{second}/episodes.csv"

    wrong = person.api("POST", url, files={"file": ("fhir.json", fhir, "application/json")})
    assert wrong.status_code == 422
    said = wrong.json()["detail"]
    assert len(said) == 1 and "this looks like JSON (a FHIR export?)" in said[0]
    assert "'episodes as a spreadsheet (CSV)'" in said[0]

    account = person.client.get("/settings/export").content  # a folder per diary
    both = person.api("POST", url, files={"file": ("all.zip", account, "application/zip")})
    assert both.status_code == 422
    assert "holds 2 episodes.csv files" in both.json()["detail"][0]
    assert person.api("GET", f"/api/v1/children/{second}/episodes").json() == []

    done = person.api("POST", url, files={"file": ("tables.zip", tables, "application/zip")})
    assert done.status_code == 201 and done.json()["imported"] == 2
    copied = person.api("GET", f"/api/v1/children/{second}/episodes").json()
    originals = person.api("GET", f"/api/v1/children/{first}/episodes").json()
    assert [e["episode"] for e in copied] == [e["episode"] for e in originals]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_zip({"treatments.csv": b"id,drug\n"}), "ZIP file without an episodes.csv"),
        (b"PK\x03\x04" + b"\x00" * 40, "ZIP file that cannot be read"),
        (b"  \n[1, 2]", "this looks like JSON"),
        (
            _zip({"episodes.csv": _zip({"episodes.csv": b"movements\nhead_nod\n"})}),
            "a ZIP file itself",
        ),
    ],
)
def test_files_that_are_no_csv(data: bytes, words: str) -> None:
    result = checked(data)
    assert [(p.row, p.field) for p in result.problems] == [(0, "")]
    assert words in result.problems[0].message and "UTF-8" not in result.problems[0].message


# ---------------------------------------------------------------- command line
def test_the_command_line_checks_the_same_and_records_the_owner(tmp_path: Path, cli: Any) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org", "Ann Owner")
    child = add_child(person, "Mia")
    app.state.db.dispose()
    where = ("--data-dir", str(tmp_path / "data"))
    day = datetime.now() - timedelta(days=1)

    future = tmp_path / "future.csv"
    future.write_text(f"started_at,movements\n{_minute(day + timedelta(days=400))},head_nod\n")
    for dry in (("--dry-run",), ()):
        refused = cli("import", "csv", str(child), str(future), *dry, *where)
        assert refused.returncode == 2
        assert "has 1 problem; nothing was imported" in refused.stderr
        assert "row 2, started_at: Invalid value for 'started_at'" in refused.stderr
        assert "is in the future" in refused.stderr

    one = tmp_path / "one.csv"
    one.write_text(f"started_at,movements,count\n{_minute(day)},head_nod,12\n")
    checked_one = cli("import", "csv", str(child), str(one), "--dry-run", *where)
    assert checked_one.returncode == 0
    assert "Dry run: the 1 row is valid; nothing was imported." in checked_one.stdout
    three = tmp_path / "three.csv"
    three.write_text(
        "started_at;movements;movement_seconds\n"
        + "".join(f"{_minute(day - timedelta(hours=h))};head_nod;1,5\n" for h in range(3))
    )
    checked_three = cli("import", "csv", str(child), str(three), "--dry-run", *where)
    assert "Dry run: all 3 rows are valid; nothing was imported." in checked_three.stdout

    imported = cli("import", "csv", str(child), str(one), *where)
    assert imported.returncode == 0
    assert "Imported 1 episode from 1 row." in imported.stdout
    again = cli("import", "csv", str(child), str(one), *where)
    assert "Imported 0 episodes from 1 row. It equals an episode" in " ".join(again.stdout.split())

    database = Database(Settings(data_dir=tmp_path / "data"))
    try:
        with database.reading() as s:
            owner = repo.members(s, child)[0][0]
            assert [r.logged_by for r in repo.episodes_for(s, child)] == [owner.id]
            audit = [a for a in repo.audit_for(s, child) if a.action == "import_csv"]
            said = sorted((a.user_id, a.detail) for a in audit)  # no account imported them
            assert said == [(None, "cli 0 episodes"), (None, "cli 1 episodes")]
        report = build_report(database, child, day.date() - timedelta(days=1), date.today())
        assert report.reporters == ["Ann Owner"]
    finally:
        database.dispose()
