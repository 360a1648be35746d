"""A series of startles that the triage calls spasm-like (rule ``startle-series``: startles,
3 or more with gaps of at most 60 s, not asleep, at 1-24 months) is a cluster in the
doctor's counts, the charts and the onset, never a look-alike; a single startle, a series
asleep or outside that age stays a look-alike. Both sides of each threshold the rule
reads, each time checked against the triage's own answer."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from html import unescape
from typing import Any

import pytest
from matplotlib.colors import to_rgba

from spasmwatch.report import ReportData, render_html
from spasmwatch.report.build import ReportSource, StoredEpisode, assemble_report
from spasmwatch.report.plots import (
    CLUSTER_COLOUR,
    EPISODE_COLOUR,
    plot_cluster_sizes,
    plot_per_day,
)

#: Five startles, one every 10 s, with the baby awake: how parents often describe a
#: cluster of spasms.
STARTLES = {"movements": ["startle"], "count": 5, "interval_seconds": 10, "state": "awake"}
DAY = date(2026, 12, 1)


def _report(episodes: list[dict[str, Any]], age_months: float = 6.0) -> ReportData:
    """The report of one day's episodes, an hour apart from 08:00, of a child whose age is
    ``age_months`` at each of them (no birth date given)."""
    when = datetime(DAY.year, DAY.month, DAY.day, 8, 0)
    episodes = [
        {**ep, "started_at": (when + timedelta(hours=i)).isoformat()}
        for i, ep in enumerate(episodes)
    ]
    rows = [
        StoredEpisode(i + 1, when + timedelta(hours=i), when + timedelta(hours=i), ep)
        for i, ep in enumerate(episodes)
    ]
    case = {"child": {"age_months": age_months}, "episodes": episodes}
    source = ReportSource("Mia", None, None, [], "unknown", case, rows, [])
    return assemble_report(source, DAY, DAY, datetime(2026, 12, 2))


def _rules(data: ReportData) -> set[str]:
    return {reason["rule"] for reason in data.triage["reasons"]}


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# (what changes, the episode, the age in months, whether the triage calls it spasm-like)
CASES = [
    ("the series", STARTLES, 6.0, True),
    ("3 startles: a series", {**STARTLES, "count": 3}, 6.0, True),
    ("2 startles: no series", {**STARTLES, "count": 2}, 6.0, False),
    ("a single startle", {**STARTLES, "count": 1}, 6.0, False),
    ("a gap of 60 s", {**STARTLES, "interval_seconds": 60}, 6.0, True),
    ("a gap of 61 s", {**STARTLES, "interval_seconds": 61}, 6.0, False),
    ("no gap given", {k: v for k, v in STARTLES.items() if k != "interval_seconds"}, 6.0, True),
    ("asleep", {**STARTLES, "state": "asleep"}, 6.0, False),
    ("drowsy", {**STARTLES, "state": "drowsy"}, 6.0, True),
    ("just woke", {**STARTLES, "state": "just_woke"}, 6.0, True),
    ("at 1 month", STARTLES, 1.0, True),
    ("under 1 month", STARTLES, 0.9, False),
    ("at 24 months", STARTLES, 24.0, True),
    ("over 24 months", STARTLES, 24.1, False),
    ("with a tremor", {**STARTLES, "movements": ["startle", "tremor"]}, 6.0, True),
]


@pytest.mark.parametrize(
    ("change", "episode", "age", "spasm_like"), CASES, ids=[c[0] for c in CASES]
)
def test_the_counts_agree_with_the_triage_on_each_side_of_each_threshold(
    change: str, episode: dict[str, Any], age: float, spasm_like: bool
) -> None:
    data = _report([episode], age_months=age)
    assert ("startle-series" in _rules(data)) is spasm_like  # the triage's own answer
    (line,) = data.episodes
    assert line.series is spasm_like and line.lookalike is not spasm_like
    (day,) = data.days
    moves = line.moves
    assert len(data.clusters) == day.clusters == int(spasm_like)
    assert data.lookalike_movements == day.lookalike_movements == (0 if spasm_like else moves)
    assert data.movements == day.movements == moves  # the total stays
    assert data.onset == (DAY if spasm_like else None)


def test_a_series_of_startles_reads_as_a_cluster_on_page_one() -> None:
    data = _report([STARTLES])
    assert data.triage["level"] == "same_day"
    said = _plain(render_html(data))
    assert "1 episode, 5 movements, on 1 of 1 day" in said
    assert "look-alike" not in said.split("Clusters (series)", 1)[0].split("Summary", 1)[1]
    clusters = said.split("Clusters (series)", 1)[1].split("On waking", 1)[0]
    assert clusters.startswith(" 1 cluster of 5 movements in the diary")
    assert "first spasm-like episode logged on" in said


def test_a_single_startle_and_a_series_asleep_stay_look_alikes() -> None:
    asleep = {**STARTLES, "state": "asleep"}
    data = _report([{**STARTLES, "count": 1}, asleep])
    assert "startle-series" not in _rules(data)
    assert data.clusters == [] and data.lookalike_movements == 6
    said = _plain(render_html(data))
    assert "2 episodes, 6 movements (6 of them look-alikes: " in said
    clusters = said.split("Clusters (series)", 1)[1].split("On waking", 1)[0]
    assert clusters.startswith(" 0 in the diary")
    assert "no spasm-like episode logged" in said


def test_the_charts_draw_a_series_of_startles_as_a_cluster() -> None:
    data = _report([STARTLES, {"movements": ["hiccups"], "count": 10, "state": "feeding"}])
    (day,) = data.days
    assert (day.episodes, day.movements, day.clusters, day.lookalike_movements) == (2, 15, 1, 10)
    fig = plot_per_day(data.days)
    (bar,) = fig.axes[0].patches
    assert bar.get_facecolor() == to_rgba(CLUSTER_COLOUR) != to_rgba(EPISODE_COLOUR)
    sizes = plot_cluster_sizes(data.episodes, data.start, data.end)
    texts = [t.get_text() for t in sizes.axes[0].texts]
    assert "no clusters in this period" not in texts
