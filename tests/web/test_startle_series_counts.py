"""A diary with a series of startles that the triage calls spasm-like (rule
``startle-series``): the doctor's summary at a share link says a cluster beside "Today",
the family's chart draws no look-alikes, and the exports (the treatments' response in
the CSV tables and FHIR) count its day as a day of spasms, also when the state was
marked stale by a CSV import. A single startle and a series asleep stay look-alikes."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

from spasmwatch.diary import care, children, episodes, state
from spasmwatch.diary.access import Principal
from spasmwatch.diary.exchange import (
    export_csv_zip,
    export_episodes_csv,
    fhir_bundle,
    import_episodes_csv,
)
from spasmwatch.store import Database, repo
from web.webworld import add_child, anonymous, log_episode, new_app, share, sign_up

#: Five startles, one every 10 s, with the baby awake.
STARTLES = {"movements": ["startle"], "count": 5, "interval_seconds": 10, "state": "awake"}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def _yesterday(hour: int) -> str:
    """A time yesterday (a fixed hour of today is in the future for part of each day)."""
    day = datetime.now() - timedelta(days=1)
    return day.replace(hour=hour, minute=5, second=0, microsecond=0).isoformat()


def test_the_doctors_summary_says_a_cluster_beside_today(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")  # 6 months
    log_episode(parent, child, {**STARTLES, "started_at": _yesterday(7)})
    token, _link = share(parent, child)
    page = anonymous(app).client.get(f"/s/{token}").text
    said = _text(_between(page, 'id="summary-h"', "</section>"))
    assert "1 episode, 5 movements, on 1 of" in said
    assert "look-alike" not in said
    assert "1 cluster of 5 movements in the diary" in said
    assert "first spasm-like episode logged on" in _text(page)
    report = _text(parent.client.get(f"/children/{child}/report.html").text)
    assert "1 cluster of 5 movements in the diary" in report
    # the family's chart: the startles are no look-alikes
    chart = _between(parent.client.get(f"/children/{child}").text, 'id="chart-h"', "</section>")
    assert "mv-alike" not in chart and "look-alike" not in chart


def test_a_single_startle_and_a_series_asleep_stay_look_alikes(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")
    log_episode(parent, child, {**STARTLES, "count": 1, "started_at": _yesterday(7)})
    log_episode(parent, child, {**STARTLES, "state": "asleep", "started_at": _yesterday(2)})
    token, _link = share(parent, child)
    said = _text(
        _between(anonymous(app).client.get(f"/s/{token}").text, 'id="summary-h"', "</section>")
    )
    assert "2 episodes, 6 movements (6 of them look-alikes: " in said
    assert "0 clusters in the diary" in said
    chart = _between(parent.client.get(f"/children/{child}").text, 'id="chart-h"', "</section>")
    assert chart.count('class="mv-alike"') == 1


def _family(db: Database) -> tuple[Principal, int]:
    with db.transaction() as s:
        user = repo.create_user(s, "ann@example.org", "ann", "h")
    ann = Principal(user=user)
    child, _ = children.add(db, ann, "Mia", {"age_months": 6})
    return ann, child.id


def _treatments(db: Database, child_id: int) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(export_csv_zip(db, child_id))) as archive:
        text = archive.read("treatments.csv").decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(text))
    return row


def _fhir_spasm_free_days(db: Database, child_id: int) -> int:
    bundle = fhir_bundle(db, child_id)
    for entry in bundle["entry"]:
        resource: dict[str, Any] = entry["resource"]
        for component in resource.get("component", []):
            codes = [c["code"] for c in component["code"]["coding"]]
            if "spasm-free-days" in codes:
                return int(component["valueInteger"])
    raise AssertionError("no spasm-free days in the bundle")


def test_the_exports_count_the_day_of_a_series_of_startles_as_a_day_of_spasms(
    db: Database,
) -> None:
    ann, child = _family(db)
    today = date.today()
    start = today - timedelta(days=19)  # today is day 20
    care.add_treatment(db, ann, child, {"drug": "prednisolone", "start_date": start.isoformat()})
    # on day 16, a single startle and a series asleep: no day of spasms
    day16 = datetime.combine(start + timedelta(days=15), datetime.min.time())
    episodes.log(db, ann, child, {**STARTLES, "count": 1, "started_at": f"{day16:%Y-%m-%d}T07:00"})
    asleep = {**STARTLES, "state": "asleep", "started_at": f"{day16:%Y-%m-%d}T02:00"}
    episodes.log(db, ann, child, asleep)
    row = _treatments(db, child)
    assert (row["spasm_free_days"], row["last_spasm_on"], row["response"]) == (
        "20",
        "",
        "too_early",
    )
    # on day 17, a series of startles awake: a day of spasms in the window
    day17 = (start + timedelta(days=16)).isoformat()
    episodes.log(db, ann, child, {**STARTLES, "started_at": f"{day17}T07:00"})
    row = _treatments(db, child)
    assert (row["spasm_free_days"], row["last_spasm_on"]) == ("19", day17)
    assert (row["response"], row["first_spasm_in_window"]) == ("not_met", day17)
    assert _fhir_spasm_free_days(db, child) == 19

    # The same diary imported by CSV into another child: its state is stale until read,
    # and the response read from the diary meanwhile counts the same day.
    other, _ = children.add(db, ann, "Leo", {"age_months": 6})
    imported = import_episodes_csv(db, other.id, export_episodes_csv(db, child), user_id=None)
    assert imported.imported == 3
    care.add_treatment(db, ann, other.id, {"drug": "prednisolone", "start_date": start.isoformat()})
    with db.transaction() as s:
        repo.forget_state(s, other.id)  # as the import leaves it
    with db.reading() as s:
        assert state.stored(s, other.id) is None
        assert state.spasm_days_now(s, other.id) == (date.fromisoformat(day17),)
    row = _treatments(db, other.id)
    assert (row["spasm_free_days"], row["last_spasm_on"]) == ("19", day17)
    # and the stored state, once computed, says the same
    assert state.read(db, other.id).spasm_days == (date.fromisoformat(day17),)


def test_outside_the_age_a_series_of_startles_is_no_day_of_spasms(db: Database) -> None:
    with db.transaction() as s:
        user = repo.create_user(s, "ann@example.org", "ann", "h")
    ann = Principal(user=user)
    child, _ = children.add(db, ann, "Leo", {"age_months": 30})
    when = (datetime.now() - timedelta(hours=2)).replace(microsecond=0)
    saved = episodes.log(db, ann, child.id, {**STARTLES, "started_at": when.isoformat()})
    assert "startle-series" not in {r["rule"] for r in saved.triage["reasons"]}
    derived = state.read(db, child.id)
    assert derived.spasm_days == ()
    assert derived.day_counts == {when.date(): (1, 5, 5, 0)}  # a look-alike's movements
