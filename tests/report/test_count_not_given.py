"""An episode logged without a count ("How many in a row" left empty) in the report: its
row says the count was not given (never "1"), the summary's total is "at least" the
movements counted, says how many episodes lack a count and which may have been clusters,
and the charts draw it apart (a hollow dot or circle, named in the legend)."""

from __future__ import annotations

import re
from html import unescape

from report.diary import one_day_report
from spasmwatch.report import render_html
from spasmwatch.report.plots import plot_per_day, plot_time_of_day

#: A cluster of 12 head nods whose count the family did not give.
UNCOUNTED_NODS = {"movements": ["head_nod", "arms_up"], "state": "just_woke"}
#: Hiccups without a count: a look-alike, never a cluster in the doctor's counts.
UNCOUNTED_HICCUPS = {"movements": ["hiccups"], "state": "feeding"}
COUNTED = {"movements": ["head_nod"], "count": 9, "interval_seconds": 5, "state": "just_woke"}
SINGLE = {"movements": ["limb_jerk"], "count": 1, "state": "drowsy"}


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _row(html: str, episode_id: int) -> str:
    return html.split(f'id="episode-{episode_id}"', 1)[1].split("</tr>", 1)[0]


def test_the_table_says_a_count_not_given_and_the_totals_say_at_least() -> None:
    data = one_day_report([COUNTED, UNCOUNTED_NODS, SINGLE])
    assert [e.uncounted for e in data.episodes] == [False, True, False]
    assert data.movements == 11 and data.uncounted == 1  # the nods counted as one
    (day,) = data.days
    assert (day.episodes, day.movements, day.uncounted) == (3, 11, 1)
    html = render_html(data)
    nods = _row(html, 2)
    assert '<td><span class="muted">not given</span></td>' in nods
    assert "<td>1</td>" not in nods
    assert "<td>1</td>" in _row(html, 3)  # a single movement counted as one is "1"
    said = _plain(html)
    assert (
        "3 episodes, at least 11 movements, on 1 of 1 day; 1 episode logged without a count "
        "(how many in a row), counted as one movement"
    ) in said
    assert "3 episodes, 11 movements" not in said
    # The nods may have been a cluster: said beside the cluster that was counted.
    assert data.maybe_clusters == 1 and len(data.clusters) == 1
    clusters = said.split("Clusters (series)", 1)[1].split("On waking", 1)[0]
    assert clusters.startswith(" 1 cluster of 9 movements in the diary (3 or more")
    assert clusters.endswith("; 1 episode logged without a count may have been a cluster ")


def test_every_count_given_says_the_total_as_before() -> None:
    data = one_day_report([COUNTED, SINGLE])
    assert data.uncounted == 0 and data.maybe_clusters == 0
    said = _plain(render_html(data))
    assert "2 episodes, 10 movements, on 1 of 1 day" in said
    assert "at least" not in said and "without a count" not in said
    legend = plot_per_day(data.days).axes[0].get_legend().get_texts()
    assert "at least (a count not given)" not in [t.get_text() for t in legend]


def test_look_alikes_without_a_count_are_no_cluster_but_still_at_least() -> None:
    """Hiccups are never a cluster in the doctor's counts, counted or not; an episode
    whose gap is over 60 s is no series either."""
    slow = {**UNCOUNTED_NODS, "interval_seconds": 120}
    data = one_day_report([UNCOUNTED_HICCUPS, slow, SINGLE])
    assert data.uncounted == 2 and data.lookalike_uncounted == 1
    assert data.maybe_clusters == 0
    said = _plain(render_html(data))
    assert "at least 3 movements (at least 1 of them a look-alike: hiccups)" in said
    assert "2 episodes logged without a count (how many in a row), each counted as one" in said
    assert "may have been a cluster" not in said


def test_the_charts_draw_an_episode_without_a_count_apart() -> None:
    data = one_day_report([COUNTED, UNCOUNTED_NODS])
    (span, *_rest) = data.spans
    per_day = plot_per_day(span.days)
    legend = [t.get_text() for t in per_day.axes[0].get_legend().get_texts()]
    assert legend[-1] == "at least (a count not given)"
    # the hollow dot sits on the day's total
    (hollow,) = [
        line for line in per_day.axes[1].get_lines() if line.get_markerfacecolor() == "white"
    ]
    assert list(hollow.get_ydata()) == [10]
    times = plot_time_of_day(data.episodes, data.start, data.end)
    legend = [t.get_text() for t in times.axes[0].get_legend().get_texts()]
    # the nods are not "single or few movements": their count is not known
    assert legend == ["cluster (series)", "count not given"]
