"""The movements of harmless look-alikes (hiccups, shivering, tremor, startle) counted
apart: in the doctor's summary at a share link and its charts, in the report, and in the
family's day chart; the totals stay."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

from web.webworld import Person, add_child, anonymous, log_episode, new_app, share, sign_up

SPANISH = {"Accept-Language": "es"}


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def _diary(tmp_path: Path, with_hiccups: bool = True) -> tuple[Any, Person, int]:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")
    # yesterday: a fixed hour of today is in the future for part of each day
    today = (datetime.now() - timedelta(days=1)).replace(hour=7, minute=5, second=0, microsecond=0)
    nods = {
        "movements": ["head_nod"],
        "state": "just_woke",
        "count": 9,
        "movement_seconds": 1,
        "interval_seconds": 5,
        "started_at": today.isoformat(),
    }
    log_episode(parent, child, nods)
    if with_hiccups:
        hiccups = {
            "movements": ["hiccups"],
            "state": "feeding",
            "count": 10,
            "started_at": today.replace(hour=6).isoformat(),
        }
        log_episode(parent, child, hiccups)
    return app, parent, child


def test_the_doctors_summary_says_how_many_movements_are_look_alikes(tmp_path: Path) -> None:
    app, parent, child = _diary(tmp_path)
    token, _link = share(parent, child)
    doctor = anonymous(app).client
    summary = _between(doctor.get(f"/s/{token}").text, 'id="summary-h"', "</section>")
    said = _text(summary)
    assert "2 episodes, 19 movements (10 of them look-alikes: hiccups), on 1 of" in said
    assert "1 cluster of 9 movements in the diary" in said  # the hiccups are no cluster
    assert "dashed purple line: of them, movements of look-alikes" in said
    spanish = _text(
        _between(doctor.get(f"/s/{token}", headers=SPANISH).text, 'id="summary-h"', "</section>")
    )
    assert "2 episodios, 19 movimientos (10 de ellos, movimientos parecidos: hipo)" in spanish
    assert "línea morada discontinua" in spanish
    # the report (English) says it too
    report = _text(parent.client.get(f"/children/{child}/report.html").text)
    assert "2 episodes, 19 movements (10 of them look-alikes: hiccups), on 1 of" in report
    assert "dashed purple line: of them, movements of look-alikes" in report


def test_the_familys_chart_marks_the_movements_of_look_alikes(tmp_path: Path) -> None:
    _app, parent, child = _diary(tmp_path)
    page = parent.client.get(f"/children/{child}").text
    chart = _between(page, 'id="chart-h"', "</section>")
    title = re.search(r'<title id="chart-title">([^<]+)</title>', chart)
    assert title is not None
    assert title.group(1).startswith("Episodes per day (top row) and movements per day")
    assert title.group(1).endswith(
        "most movements in a day: 19; 10 of them look-alikes (hiccups, shivering, tremor, startle)"
    )
    assert ">19 movements</text>" in chart  # the total stays
    assert chart.count('class="mv-alike"') == 1
    assert "of them, look-alikes (hiccups, shivering, tremor, startle)" in _text(chart)
    spanish = parent.client.get(f"/children/{child}", headers=SPANISH).text
    chart = _text(_between(spanish, 'id="chart-h"', "</section>"))
    assert "de ellos, movimientos parecidos (hipo, estremecimiento, temblor, sobresalto)" in chart


def test_without_look_alikes_nothing_is_said_of_them(tmp_path: Path) -> None:
    app, parent, child = _diary(tmp_path, with_hiccups=False)
    token, _link = share(parent, child)
    summary = _text(
        _between(anonymous(app).client.get(f"/s/{token}").text, 'id="summary-h"', "</section>")
    )
    assert "1 episode, 9 movements, on 1 of" in summary and "look-alike" not in summary
    page = parent.client.get(f"/children/{child}").text
    chart = _between(page, 'id="chart-h"', "</section>")
    assert "mv-alike" not in chart and "look-alike" not in chart
