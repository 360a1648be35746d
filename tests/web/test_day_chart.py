"""The child page's 14-day chart: episodes and movements in two rows over the same day
columns, each row on its own scale (its top line is the most in a day, labelled), so that a
day's two episodes are not a sliver beside its dozen movements; what it keeps (the
look-alikes at the top of the movement bar, "at least", each bar's title, the chart's name,
the empty chart's words, the legend); and the diary's downloads saying what they are for."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import NamedTuple

from spasmwatch.web import i18n
from spasmwatch.web.render import day_chart
from web.webworld import SPASM_EPISODE, add_child, log_episode, new_app, sign_up

SVG = "{http://www.w3.org/2000/svg}"
TODAY = date(2026, 11, 20)


class Bar(NamedTuple):
    """A bar of the chart: its top, height and title."""

    y: float
    height: float
    title: str


class Row(NamedTuple):
    """A row of the chart: the y of its top line (the most in a day) and of its baseline."""

    top: float
    base: float

    @property
    def height(self) -> float:
        return self.base - self.top


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def _chart(counts: dict[date, tuple[int, ...]]) -> ET.Element:
    with i18n.using("en"):
        return ET.fromstring(str(day_chart(counts, TODAY).svg))


def _bars(svg: ET.Element, kind: str) -> dict[str, Bar]:
    """The bars of one kind (``ep``, ``mv``, ``mv-alike``) by their title's day."""
    bars = {}
    for rect in svg.iter(f"{SVG}rect"):
        if rect.get("class") == kind:
            title = rect.findtext(f"{SVG}title") or ""
            bars[title.split(":")[0]] = Bar(float(rect.get("y")), float(rect.get("height")), title)
    return bars


def _rows(svg: ET.Element) -> list[Row]:
    """The rows, top to bottom, from their top lines and baselines."""
    lines = list(svg.iter(f"{SVG}line"))
    tops = sorted(float(x.get("y1")) for x in lines if x.get("class") == "grid")
    bases = sorted(float(x.get("y1")) for x in lines if x.get("class") == "axis")
    return [Row(t, b) for t, b in zip(tops, bases, strict=True)]


def _row_labels(svg: ET.Element) -> dict[str, str]:
    return {
        t.get("class", "").split()[-1]: t.text or ""
        for t in svg.iter(f"{SVG}text")
        if "row-top" in t.get("class", "")
    }


def test_two_episodes_are_not_a_sliver_beside_twelve_movements() -> None:
    busy, quiet = TODAY - timedelta(days=1), TODAY - timedelta(days=3)
    svg = _chart({busy: (2, 12, 0, 0), quiet: (1, 3, 0, 0)})
    episodes, movements = _rows(svg)
    assert episodes.base < movements.top, "episodes above, movements below, apart"
    assert episodes.height > 0 and movements.height > 0
    with i18n.using("en"):
        busy_day, quiet_day = i18n.day(busy), i18n.day(quiet)
    ep, mv = _bars(svg, "ep"), _bars(svg, "mv")
    assert len(ep) == len(mv) == 14  # a column a day, in each row
    # the busiest day reaches the top of each row: its 2 episodes stand as tall as its
    # 12 movements (on one scale they were a sixth of them)
    assert ep[busy_day] == Bar(episodes.top, episodes.height, f"{busy_day}: 2 episodes")
    assert mv[busy_day] == Bar(movements.top, movements.height, f"{busy_day}: 12 movements")
    # and each row keeps its own proportions
    assert ep[quiet_day].height == episodes.height / 2
    assert abs(mv[quiet_day].height - movements.height / 4) < 0.1
    assert all(b.y + b.height == episodes.base for b in ep.values())
    assert all(abs(b.y + b.height - movements.base) < 0.1 for b in mv.values())
    # each row is labelled with its own most in a day
    assert _row_labels(svg) == {"ep": "2 episodes", "mv": "12 movements"}
    # the same day columns in both rows
    xs = {rect.get("x") for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "ep"}
    assert xs == {rect.get("x") for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "mv"}


def test_the_chart_is_named_by_its_rows_not_its_colours() -> None:
    svg = _chart({TODAY: (2, 12, 0, 0)})
    title = svg.findtext(f"{SVG}title") or ""
    assert title == (
        "Episodes per day (top row) and movements per day (bottom row), each row on its own "
        "scale, last 14 days; most episodes in a day: 2; most movements in a day: 12"
    )
    assert svg.get("aria-labelledby") == "chart-title"


def test_look_alikes_stay_the_top_of_the_movement_bar_and_at_least_is_said() -> None:
    day = TODAY - timedelta(days=2)
    svg = _chart({day: (3, 19, 10, 1)})
    with i18n.using("en"):
        when = i18n.day(day)
    _episodes, movements = _rows(svg)
    mv, alike = _bars(svg, "mv")[when], _bars(svg, "mv-alike")[when]
    assert mv.title == f"{when}: at least 19 movements"
    assert alike.y == mv.y == movements.top
    assert abs(alike.height - mv.height * 10 / 19) < 0.1
    assert alike.title.endswith("10 of them look-alikes (hiccups, shivering, tremor, startle)")
    title = svg.findtext(f"{SVG}title") or ""
    assert title.endswith(
        "most movements in a day: 19; 10 of them look-alikes (hiccups, shivering, tremor, "
        "startle); 1 episode without a count, drawn as one movement"
    )


def test_a_chart_with_nothing_to_draw_says_so() -> None:
    with i18n.using("en"):
        chart = day_chart({TODAY - timedelta(days=20): (2, 12, 0, 0)}, TODAY)
    assert str(chart.svg) == (
        '<p class="chart-empty">No timed episodes in the last 14 days (07 Nov to 20 Nov).</p>'
    )


def test_the_child_page_draws_both_rows_and_names_its_downloads(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ann@example.org")
    child = add_child(parent, "Mia")
    empty = parent.client.get(f"/children/{child}").text
    legend = _text(_between(_between(empty, 'id="chart-h"', "</section>"), "legend", "</p>"))
    assert "own scale" not in legend  # nothing drawn, no rows to speak of
    assert "No timed episodes in the last 14 days" in empty
    # yesterday: a fixed hour of today is in the future for part of each day
    day = (datetime.now() - timedelta(days=1)).replace(hour=7, second=0, microsecond=0)
    for hour in (7, 9):
        started = day.replace(hour=hour).isoformat()
        log_episode(parent, child, {**SPASM_EPISODE, "count": 6, "started_at": started})
    html = parent.client.get(f"/children/{child}").text
    chart = _between(html, 'id="chart-h"', "</section>")
    svg = ET.fromstring(re.search(r"<svg .*?</svg>", chart, re.S).group(0))  # type: ignore[union-attr]
    episodes, movements = _rows(svg)
    ep = next(b for b in _bars(svg, "ep").values() if b.height)
    mv = next(b for b in _bars(svg, "mv").values() if b.height)
    assert ep.title.endswith(": 2 episodes") and mv.title.endswith(": 12 movements")
    assert (ep.height, mv.height) == (episodes.height, movements.height)
    legend = _text(_between(chart, '<p class="legend">', "</p>"))
    assert legend == (
        "episodes movements · each row has its own scale: its dashed line is the most in a day"
    )
    # the downloads say what they are and whom they are for, at their addresses
    links = _between(html, '<p class="export-links">', "</p>")
    assert _text(links) == (
        "The diary's data for the doctor's or the hospital's records: "
        "FHIR (health-record format) · episodes as a spreadsheet (CSV) · "
        "every table of the diary as spreadsheets (ZIP)"
    )
    hrefs = re.findall(r'<a href="([^"]+)" download>', links)
    assert hrefs == [
        f"/api/v1/children/{child}/fhir",
        f"/api/v1/children/{child}/episodes.csv",
        f"/api/v1/children/{child}/csv.zip",
    ]
    for href in hrefs:
        assert parent.client.get(href).status_code == 200
