"""An episode logged without a count ("How many in a row" left empty) as the pages say it:
the clinician view's table says the count was not given (never "1"), its summary says "at
least" that many movements and that the episode may have been a cluster; the family's day
chart says "at least" on that day and its legend how many episodes lack a count."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

from web.webworld import (
    SPASM_EPISODE,
    Person,
    add_child,
    anonymous,
    log_episode,
    new_app,
    share,
    sign_up,
)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def _diary(tmp_path: Path) -> tuple[Any, Person, int, int]:
    """A counted cluster of 10 and a cluster whose count was not given, yesterday; returns
    the app, the parent, the child and the uncounted episode's id."""
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")
    # yesterday: a fixed hour of today is in the future for part of each day
    day = (datetime.now() - timedelta(days=1)).replace(second=0, microsecond=0)
    log_episode(parent, child, {**SPASM_EPISODE, "started_at": day.replace(hour=7).isoformat()})
    uncounted = {k: v for k, v in SPASM_EPISODE.items() if k != "count"}
    episode = log_episode(
        parent, child, {**uncounted, "started_at": day.replace(hour=9).isoformat()}
    )
    return app, parent, child, episode


def test_the_clinician_view_says_the_count_was_not_given(tmp_path: Path) -> None:
    app, parent, child, episode = _diary(tmp_path)
    token, _link = share(parent, child)
    page = anonymous(app).client.get(f"/s/{token}").text
    row = _between(page, f'id="episode-{episode}"', "</tr>")
    assert '<td><span class="muted">not given</span> \u00d7 1 s, every 5 s</td>' in row
    summary = _text(_between(page, 'id="summary-h"', "</section>"))
    assert "2 episodes, at least 11 movements, on 1 of" in summary
    assert "; 1 episode logged without a count (how many in a row), counted as one movement" in (
        summary
    )
    assert "2 episodes, 11 movements" not in summary
    assert "1 cluster of 10 movements in the diary" in summary
    assert "· 1 episode logged without a count may have been a cluster" in summary
    # the report says it as the clinician view does
    report = _text(parent.client.get(f"/children/{child}/report.html").text)
    assert "2 episodes, at least 11 movements, on 1 of" in report
    assert "1 episode logged without a count may have been a cluster" in report


def test_the_familys_chart_says_at_least_on_that_day(tmp_path: Path) -> None:
    _app, parent, child, _episode = _diary(tmp_path)
    page = parent.client.get(f"/children/{child}").text
    chart = _between(page, 'id="chart-h"', "</section>")
    title = re.search(r'<title id="chart-title">([^<]+)</title>', chart)
    assert title is not None
    assert title.group(1).endswith(
        "most movements in a day: 11; 1 episode without a count, drawn as one movement"
    )
    assert re.search(r'<rect class="mv"[^>]*><title>[^<]+: at least 11 movements</title>', chart)
    assert re.search(r'<rect class="ep"[^>]*><title>[^<]+: 2 episodes</title>', chart)
    legend = _text(_between(chart, '<p class="legend">', "</p>"))
    assert "movements · 1 episode without a count, drawn as one movement · " in legend


def test_with_every_count_given_nothing_is_said_of_it(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")
    day = (datetime.now() - timedelta(days=1)).replace(hour=7, second=0, microsecond=0)
    log_episode(parent, child, {**SPASM_EPISODE, "started_at": day.isoformat()})
    token, _link = share(parent, child)
    page = anonymous(app).client.get(f"/s/{token}").text
    assert "not given" not in page and "at least" not in page
    assert "1 episode, 10 movements, on 1 of" in _text(page)
    chart = _between(parent.client.get(f"/children/{child}").text, 'id="chart-h"', "</section>")
    assert "at least" not in chart and "without a count" not in chart
