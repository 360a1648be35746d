"""The clinician report of a realistic child: what it holds, and the PDF as printed."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from report.diary import HELSINKI_CLIP, NAME, MadeReport, attach, make_child, one_day_report
from report.pdf import page_count, page_size_pt, pdf_text, words
from spasmwatch.attachments import analyse_attachment
from spasmwatch.diary.reporting import build_report
from spasmwatch.errors import SpasmwatchError
from spasmwatch.i18n import format_day
from spasmwatch.report import parse_period, render_html, render_pdf
from spasmwatch.report.build import VideoFinding
from spasmwatch.store import Database
from spasmwatch.video.events import SET_ASIDE_WORDS

MM = 72 / 25.4  # points per millimetre


def test_report_gathers_the_diary_triage_and_analyses(made_report: MadeReport) -> None:
    data = made_report.data
    assert data.child.name == NAME
    assert data.child.born_weeks == 36.5
    assert data.child.conditions == ["tuberous sclerosis complex"]
    assert 6.0 < data.child.age_months < 6.5
    assert data.triage["level"] == "same_day"
    assert data.level_words == "Today"
    rules = {r["rule"] for r in data.triage["reasons"]}
    assert {"spasm-series", "spasm-on-waking"} <= rules
    assert data.start == (made_report.now - timedelta(days=21)).date()
    assert data.end == made_report.now.date()
    assert len(data.episodes) == 34  # the untimed one counts on the day it was logged
    assert len(data.clusters) == 12
    assert [c.count for c in data.clusters][-1] == 16
    assert len(data.febrile) == 1 and data.febrile[0].fever_c == 38.9
    waking, known = data.waking_share
    assert (waking, known) == (9, 33)
    assert len(data.days) == 22 and sum(d.episodes for d in data.days) == 34
    assert sum(d.clusters for d in data.days) == 12
    (video,) = data.videos
    assert video.filename == "clip.mp4" and video.summary["clusters"] >= 1
    assert video.events and video.clusters
    assert set(video.images) == {"contact_sheet", "motion"}
    assert video.episode_started_at is not None
    assert video.statement and "spasm-like" in video.statement[0]
    assert {c["id"] for c in video.quality["checks"]} >= {"duration", "focus", "camera"}
    labels = {c["id"]: c["label"] for c in video.quality_words()}
    assert labels["focus"] == "In focus" and labels["infant_in_view"] == "Whole baby in view"
    (eeg,) = data.eegs
    assert eeg.filename == "eeg1.edf"
    assert 0 <= eeg.background["based_like_score"] <= 5
    assert set(eeg.images) == {"amplitude", "spike_density", "spectrogram"}
    # a 30-s clip: the hypsarrhythmia assessment says it cannot assess, never "no"
    assert eeg.hypsarrhythmia == "cannot be assessed"


def test_a_period_narrows_the_episodes(made_report: MadeReport) -> None:
    end = made_report.now.date() - timedelta(days=4)
    start = end - timedelta(days=3)
    data = build_report(made_report.database, made_report.child_id, start, end)
    assert (data.start, data.end) == (start, end)
    assert len(data.days) == 4
    assert data.episodes and all(
        start <= e.started_at.date() <= end for e in data.episodes if e.started_at
    )
    assert len(data.clusters) == 6
    assert data.triage == made_report.data.triage  # the current triage, whatever the period


def test_pdf_pages_text_and_page_numbers(made_report: MadeReport) -> None:
    pages = page_count(made_report.pdf)
    assert 4 <= pages <= 10
    assert len(made_report.pages) == pages
    assert all(p.stat().st_size > 5000 for p in made_report.pages)
    text = pdf_text(made_report.pdf)
    flat = re.sub(r"\s+", " ", text)
    assert NAME in flat
    assert "Today" in flat and "Possible infantile spasms" in flat
    assert made_report.data.triage["reasons"][0]["rule"] in flat
    assert "Page 1 of" in flat and f"Page {pages} of {pages}" in flat
    assert "spasmwatch does not diagnose" in flat
    assert "What the family was advised" in flat
    assert "clip.mp4" in flat and "eeg1.edf" in flat and "BASED-like score" in flat
    assert "hypsarrhythmia cannot be assessed" in flat and "usable EEG" in flat
    assert "38.9" in flat  # the febrile episode
    assert "evidence, not a diagnosis" in flat  # what the video finding means
    # the period, in every page header, its days written as the body writes them
    start, end = (
        format_day(d, "en", "dd MMM y") for d in (made_report.data.start, made_report.data.end)
    )
    assert f"{start} to {end}" in flat and made_report.data.start.isoformat() not in flat


def test_no_table_runs_off_the_page(made_report: MadeReport) -> None:
    sizes, found = words(made_report.pdf)
    assert found
    for page, (width, height) in enumerate(sizes, start=1):
        assert width == pytest.approx(210 * MM, abs=1)  # A4
        assert height == pytest.approx(297 * MM, abs=1)
        on_page = [w for w in found if w.page == page]
        # The margins are 14 mm each side: nothing may reach into the last 10 mm.
        assert all(w.x_min >= 10 * MM and w.x_max <= width - 10 * MM for w in on_page), [
            w for w in on_page if w.x_max > width - 10 * MM or w.x_min < 10 * MM
        ]
        assert all(w.y_max <= height for w in on_page)
    # The long link in a note is wrapped inside its cell, not cut: all its pieces are there.
    joined = "".join(w.text for w in found)
    assert "clip?id=0123456789abcdef0123456789abcdef" in joined
    # Rule ids are never hyphenated (they are looked up as they are).
    assert "\u2010" not in joined


def test_html_is_self_contained(made_report: MadeReport) -> None:
    html = made_report.html
    sources = re.findall(r'<img[^>]* src="([^"]*)"', html)
    # Per-day charts (14 and 90 days: the diary is three weeks long), time of day and
    # cluster sizes, the video's contact sheet (one picture per row: 5 events) and motion
    # plot, the EEG's trends.
    assert [span.label for span in made_report.data.spans] == ["last 14 days", "last 90 days"]
    assert len(made_report.data.videos[0].events) == 5
    assert len(sources) == 2 + 2 + 5 + 1 + 3
    assert all(src.startswith("data:image/png;base64,") for src in sources)
    assert "<link" not in html and "<script" not in html
    assert "table-layout: fixed" in html and "table-header-group" in html
    assert "size: A4" in html
    assert "Video quality check" in html and "Camera steady enough" in html
    assert "These checks judge the picture, not the detector" in html


def test_empty_report_renders(db: Database, tmp_path: Path) -> None:
    now = datetime(2026, 11, 20, 9, 0)
    child_id, _ = make_child(db, now, with_diary=False)
    data = build_report(db, child_id, now=now)
    assert data.episodes == [] and data.videos == [] and data.eegs == []
    assert data.triage["level"] == "soon"  # development "slower", nothing else
    assert data.end - data.start == timedelta(days=13)
    html = render_html(data)
    assert "No episodes were recorded in this period." in html
    assert "No analysed video." in html and "No analysed EEG." in html
    pdf = tmp_path / "empty.pdf"
    pdf.write_bytes(render_pdf(data, paper="letter"))
    assert page_size_pt(pdf) == pytest.approx((612, 792), abs=1)
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    assert "Within days" in text and "Page 1 of" in text and NAME in text


def test_report_names_a_detector_sensitivity_other_than_normal(db: Database) -> None:
    now = datetime(2026, 11, 20, 9, 0)
    child_id, user_id = make_child(db, now, with_diary=False)
    attachment_id = attach(db, child_id, user_id, HELSINKI_CLIP)
    assert "detector at" not in render_html(build_report(db, child_id, now=now))
    assert analyse_attachment(db, attachment_id, sensitivity="high")["status"] == "done"
    data = build_report(db, child_id, now=now)
    assert data.eegs[0].sensitivity == "high"
    assert set(data.eegs[0].images) == {"amplitude", "spike_density", "spectrogram"}
    sha = data.eegs[0].images["amplitude"].parent.name.split("-")[0]
    assert data.eegs[0].images["amplitude"].parent == db.analysis_dir(sha, "high")
    assert (db.analysis_dir(sha) / "amplitude.png").is_file()  # the normal run's outputs stay
    assert "seizure detector at high sensitivity" in render_html(data)
    with pytest.raises(SpasmwatchError, match=r"'sensitivity'.*got 'max'"):
        analyse_attachment(db, attachment_id, sensitivity="max")


def test_report_says_the_gaps_and_the_eeg_signals_left_out(db: Database, tmp_path: Path) -> None:
    import numpy as np

    from eeg.edfd import write_interrupted

    now = datetime(2026, 11, 20, 9, 0)
    child_id, user_id = make_child(db, now, with_diary=False)
    samples = np.random.default_rng(8).normal(0, 30, (19, 30 * 256))
    path = write_interrupted(tmp_path / "paused.edf", samples, [*range(0, 10), *range(25, 45)])
    attachment_id = attach(db, child_id, user_id, path)
    assert analyse_attachment(db, attachment_id)["status"] == "done"
    html = render_html(build_report(db, child_id, now=now))
    assert "45 s, 19 channels at 256 Hz" in html  # the gap in place: 10 + 15 + 20 s
    assert "Interrupted recording: 1 gap (15 s in all) kept in place, with no EEG: 10-25 s" in html
    assert "Not analysed" not in html  # every EEG signal of the file was analysed
    data = build_report(db, child_id, now=now)
    finding = replace(
        data.eegs[0],
        recording={**data.eegs[0].recording, "skipped_signals": ["ECG (not an EEG electrode)",
                                                             "Pz (sampled at 384 Hz)"]},
    )  # fmt: skip
    assert finding.left_out_words() == ["Pz (sampled at 384 Hz)"]
    eegs = [finding, *data.eegs[1:]]
    assert "Not analysed: Pz (sampled at 384 Hz)" in render_html(replace(data, eegs=eegs))


def test_unknown_child_and_bad_periods(db: Database) -> None:
    with pytest.raises(SpasmwatchError, match="No child with id 999"):
        build_report(db, 999)
    child_id, _ = make_child(db, datetime(2026, 11, 20, 9, 0), with_diary=False)
    with pytest.raises(SpasmwatchError, match="after"):
        build_report(db, child_id, date(2026, 11, 20), date(2026, 11, 1))
    with pytest.raises(SpasmwatchError, match="Invalid value for 'from'"):
        parse_period("20-11-2026", None)
    with pytest.raises(SpasmwatchError, match="after"):
        parse_period("2026-11-20", "2026-11-01")
    assert parse_period("", " 2026-11-01 ") == (None, date(2026, 11, 1))
    data = build_report(db, child_id, now=datetime(2026, 11, 20, 9, 0))
    with pytest.raises(SpasmwatchError, match="allowed are a4, letter"):
        render_html(data, paper="a3")  # type: ignore[arg-type]


def test_the_charts_of_a_report_are_drawn_once(
    made_report: MadeReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The HTML report and its PDF (or a report opened again) draw the charts once; a
    report of another period, whose charts differ, draws its own, and so do the charts in
    another language or for a screen (the clinician view's)."""
    from spasmwatch.report import render

    drawn: list[object] = []
    draw = render._draw_plots

    def counted(data: object, locale: str, size: str = "page") -> dict[str, object]:
        drawn.append(data)
        return draw(data, locale, size)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "_draw_plots", counted)
    monkeypatch.setattr(render, "_PLOTS", type(render._PLOTS)())
    data = made_report.data
    first = render.summary_plots(data)
    assert render.summary_plots(data) == first and len(drawn) == 1
    again = build_report(made_report.database, made_report.child_id, now=made_report.now)
    assert render.summary_plots(again) == first and len(drawn) == 1  # the same diary
    end = made_report.now.date() - timedelta(days=4)
    other = build_report(made_report.database, made_report.child_id, end - timedelta(days=3), end)
    assert render.summary_plots(other) != first and len(drawn) == 2
    spanish = render.summary_plots(data, "es")
    assert spanish != first and len(drawn) == 3
    assert render.summary_plots(data, "es") == spanish and len(drawn) == 3
    screen = render.summary_plots(data, "es", "screen")
    assert screen != spanish and len(drawn) == 4


def test_the_charts_say_their_words_and_days_in_the_language_asked() -> None:
    from spasmwatch.report.build import DayCount
    from spasmwatch.report.plots import plot_cluster_sizes, plot_per_day

    days = [DayCount(date(2026, 12, 1) + timedelta(days=i), 1, 10, i % 2) for i in range(3)]
    marks = [(date(2026, 12, 2), "vigabatrin")]

    def words(locale: str) -> tuple[list[str], list[str]]:
        fig = plot_per_day(days, marks=marks, locale=locale)
        fig.canvas.draw()  # the ticks get their labels when drawn
        ax = fig.axes[0]
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        return legend, [t.get_text() for t in ax.get_xticklabels()]

    legend, ticks = words("en")
    assert legend == ["episodes", "day with a cluster", "movements", "treatment start"]
    assert ticks[0] == "01 Dec"
    legend, ticks = words("es")
    assert legend == ["episodios", "día con una serie", "movimientos", "inicio del tratamiento"]
    assert ticks[0] == "01 dic"
    empty = plot_cluster_sizes([], date(2026, 12, 1), date(2026, 12, 3), locale="es")
    assert [t.get_text() for t in empty.axes[0].texts] == ["ninguna serie en este periodo"]
    assert empty.axes[0].get_ylabel() == "movimientos por serie"


def test_counts_are_ticked_in_whole_numbers_on_the_page_and_the_screen(
    made_report: MadeReport,
) -> None:
    """No 0.5 episodes or 2.5 movements on an axis; the clinician view's charts (a screen)
    are narrower than the report's with larger words, to be read on a phone."""
    from spasmwatch.report.build import DayCount
    from spasmwatch.report.plots import PAGE, SCREEN, plot_cluster_sizes, plot_per_day

    days = [
        DayCount(date(2026, 12, 1) + timedelta(days=i), n, 3 * n, 0)
        for i, n in enumerate((0, 1, 4, 2, 3))
    ]
    data = made_report.data

    def ticks(ax: object) -> list[float]:
        low, high = ax.get_ylim()  # type: ignore[attr-defined]
        return [t for t in ax.get_yticks() if low <= t <= high]  # type: ignore[attr-defined]

    for style in (PAGE, SCREEN):
        figures = [
            plot_per_day(days, style=style),
            plot_cluster_sizes(data.episodes, data.start, data.end, style=style),
        ]
        for fig in figures:
            fig.canvas.draw()
            for ax in fig.axes:
                assert ticks(ax) and all(float(t).is_integer() for t in ticks(ax)), ticks(ax)
    page, screen = plot_per_day(days, style=PAGE), plot_per_day(days, style=SCREEN)
    assert screen.get_figwidth() < page.get_figwidth()
    screen.canvas.draw()
    page.canvas.draw()
    assert (
        screen.axes[0].get_xticklabels()[0].get_fontsize()
        > page.axes[0].get_xticklabels()[0].get_fontsize()
    )


def test_a_movement_set_aside_as_the_phones_is_named(made_report: MadeReport) -> None:
    # the words the web app, the CLI and the report share (SET_ASIDE_WORDS)
    data = made_report.data
    (video,) = data.videos
    first = {**video.events[0], "set_aside": "phone"}
    aside = replace(data, videos=[replace(video, events=[first, *video.events[1:]])])
    html = render_html(aside)
    assert html.count(f"({SET_ASIDE_WORDS['phone']})") == 1
    assert f"({SET_ASIDE_WORDS['phone']})" not in made_report.html
    hand = {**video.events[0], "set_aside": "outside"}
    html = render_html(replace(data, videos=[replace(video, events=[hand])]))
    assert html.count(f"({SET_ASIDE_WORDS['outside']})") == 1


def test_a_score_under_the_threshold_is_not_shown_as_reaching_it(made_report: MadeReport) -> None:
    data = made_report.data
    (video,) = data.videos
    under = {**video.events[0], "kind": "other", "score": 0.499}
    html = render_html(replace(data, videos=[replace(video, events=[under])]))
    assert ">0.49</td>" in html and ">0.50</td>" not in html


def test_an_eeg_whose_start_date_is_a_placeholder_says_only_its_length(
    made_report: MadeReport,
) -> None:
    """An anonymised EDF's header date (1 January 1985, 1 January 2000, or a header of
    ones) is not when it was recorded: the report says the date is not known and gives the
    length; a real start is given as before. The real infant EEG of the data set is one."""
    from spasmwatch.eeg.reader import read_recording

    infant = HELSINKI_CLIP.parent.parent.parent / "real_infant" / "eeg_burst_eg.edf"
    start = read_recording(infant, annotations=False).start
    assert start is not None and start.date() == date(2000, 1, 1)  # as the reader gives it
    data = made_report.data
    (eeg,) = data.eegs
    for header, said in (
        (start.isoformat(), None),
        ("1985-01-01T00:00:00", None),
        ("2001-01-01T01:01:01", None),
        ("2026-03-04T10:20:30", "recorded from 2026-03-04T10:20:30"),
    ):
        finding = replace(eeg, recording={**eeg.recording, "start": header})
        html = render_html(replace(data, eegs=[finding]))
        line = html.split(f"<h3>{eeg.filename}</h3>", 1)[1].split("</p>", 1)[0]
        assert f"{eeg.recording['duration_s']:.0f} s," in line
        if said:
            assert said in line and "not known" not in line
            assert finding.start == datetime(2026, 3, 4, 10, 20, 30)
        else:
            assert "recorded from" not in line and "recording date not known" in line
            assert finding.start is None and finding.start_withheld


def test_the_phone_hint_of_the_episode_table_stays_off_paper(made_report: MadeReport) -> None:
    """The report as a web page on a phone says that its episode table scrolls sideways
    (report-phone.css shows the hint); the printed report never does."""
    hint = "The table is wider than the screen: swipe it sideways for all its columns."
    assert hint in made_report.html
    assert ".scroll-hint { display: none; }" in made_report.html
    assert "swipe it sideways" not in pdf_text(made_report.pdf)


def test_a_series_of_harmless_look_alikes_is_not_counted_as_a_cluster() -> None:
    from spasmwatch.report.build import ReportSource, StoredEpisode, assemble_report

    when = datetime(2026, 12, 1, 8, 0)
    episodes = [
        {"movements": ["hiccups"], "count": 20, "interval_seconds": 3, "state": "feeding"},
        {"movements": ["head_nod"], "count": 8, "interval_seconds": 10, "state": "just_woke"},
        {"movements": ["hiccups", "head_nod"], "count": 5, "interval_seconds": 5},
    ]
    for i, ep in enumerate(episodes):
        ep["started_at"] = (when + timedelta(hours=i)).isoformat()
    rows = [
        StoredEpisode(i + 1, when + timedelta(hours=i), when + timedelta(hours=i), ep)
        for i, ep in enumerate(episodes)
    ]
    case = {"child": {"age_months": 6}, "episodes": episodes}
    source = ReportSource("Mia", None, None, [], "unknown", case, rows, [])
    data = assemble_report(source, date(2026, 12, 1), date(2026, 12, 1), datetime(2026, 12, 2))
    # The hiccups are in the table and the movements, not among the clusters; a series
    # with a nod among the hiccups is one.
    assert [e.series for e in data.episodes] == [False, True, True]
    assert len(data.clusters) == 2 and data.movements == 33
    assert sum(d.clusters for d in data.days) == 2


def _readable(fig: object) -> tuple[float, list[str]]:
    """The share of the figure's width the chart's axes take, after checking that its
    legend is within the figure and its day labels do not touch; the day labels."""
    fig.canvas.draw()  # type: ignore[attr-defined]
    ax = fig.axes[0]  # type: ignore[attr-defined]
    whole = fig.bbox  # type: ignore[attr-defined]
    legend = ax.get_legend()
    if legend is not None:
        box = legend.get_window_extent()
        assert whole.x0 - 0.5 <= box.x0 and box.x1 <= whole.x1 + 0.5, (box, whole)
    low, high = ax.get_xlim()
    shown = [
        label
        for label, tick in zip(ax.get_xticklabels(), ax.get_xticks(), strict=False)
        if label.get_text() and low <= tick <= high
    ]
    boxes = [label.get_window_extent() for label in shown]
    for a, b in pairwise(boxes):
        assert a.x1 < b.x0, [label.get_text() for label in shown]
    return ax.get_position().width, [label.get_text() for label in shown]


@pytest.mark.parametrize("span", [14, 90])
def test_the_screens_charts_are_as_readable_in_spanish_as_in_english(
    made_report: MadeReport, span: int
) -> None:
    """The clinician view's charts at a phone's width: the Spanish legend's longer words
    ("de ellos, movimientos parecidos") take more rows, not the chart's width; the days
    are labelled without touching, as in English."""
    from spasmwatch.report.build import DayCount
    from spasmwatch.report.plots import PAGE, SCREEN, plot_per_day, plot_time_of_day

    first = date(2026, 11, 24)
    days = [
        DayCount(first + timedelta(days=i), i % 3, 5 * (i % 4), i % 2, 2 * (i % 2))
        for i in range(span)
    ]
    marks = [(first + timedelta(days=7), "vigabatrin")]
    data = made_report.data
    for style in (SCREEN, PAGE):
        english, _days = _readable(plot_per_day(days, marks=marks, style=style))
        spanish, labels = _readable(plot_per_day(days, marks=marks, locale="es", style=style))
        assert spanish >= 0.95 * english and spanish > 0.6, (style, spanish, english)
        assert 3 <= len(labels) <= style.day_labels + 1, labels
        english, _days = _readable(
            plot_time_of_day(data.episodes, data.start, data.end, style=style)
        )
        spanish, _days = _readable(
            plot_time_of_day(data.episodes, data.start, data.end, locale="es", style=style)
        )
        assert spanish >= 0.95 * english, (style, spanish, english)
    # all of its words are there, in more rows than the English legend's
    spanish_chart = plot_per_day(days, marks=marks, locale="es", style=SCREEN)
    words = [t.get_text() for t in spanish_chart.axes[0].get_legend().get_texts()]
    assert "de ellos, movimientos parecidos" in words and "inicio del tratamiento" in words
    assert spanish_chart.get_figheight() >= SCREEN.figsize[1]


def test_the_movements_of_look_alikes_are_counted_apart() -> None:
    from spasmwatch.report.build import ReportSource, StoredEpisode, assemble_report
    from spasmwatch.report.plots import plot_per_day

    when = datetime(2026, 12, 1, 8, 0)
    episodes = [
        {"movements": ["hiccups"], "count": 10, "state": "feeding"},
        {"movements": ["head_nod"], "count": 8, "interval_seconds": 10, "state": "just_woke"},
        {"movements": ["startle"], "state": "awake"},
        {"movements": ["hiccups", "head_nod"], "count": 5, "interval_seconds": 5},
    ]
    for i, ep in enumerate(episodes):
        ep["started_at"] = (when + timedelta(hours=i)).isoformat()
    rows = [
        StoredEpisode(i + 1, when + timedelta(hours=i), when + timedelta(hours=i), ep)
        for i, ep in enumerate(episodes)
    ]
    case = {"child": {"age_months": 6}, "episodes": episodes}
    source = ReportSource("Mia", None, None, [], "unknown", case, rows, [])
    data = assemble_report(source, date(2026, 12, 1), date(2026, 12, 1), datetime(2026, 12, 2))
    # the totals stay; the hiccups and the startle alone are look-alikes, the hiccups
    # with a nod are not
    assert [e.lookalike for e in data.episodes] == [True, False, True, False]
    assert data.movements == 24 and data.lookalike_movements == 11
    assert data.lookalike_kinds == ("startle", "hiccups")
    (day,) = data.days
    assert (day.movements, day.lookalike_movements) == (24, 11)
    html = re.sub(r"\s+", " ", render_html(data))
    # the startle was logged without a count: counted as one, so "at least"
    assert (
        "4 episodes, at least 24 movements (at least 11 of them look-alikes: startle, "
        "hiccups), on 1 of 1 day; 1 episode logged without a count (how many in a row), "
        "counted as one movement"
    ) in _plain(html)
    # the per-day charts draw them as a line of their own, named in the legend
    (span, *_rest) = data.spans
    fig = plot_per_day(span.days)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == [
        "episodes",
        "day with a cluster",
        "movements",
        "of them look-alikes",
        "at least (a count not given)",
    ]
    spanish = plot_per_day(span.days, locale="es")
    assert (
        spanish.axes[0].get_legend().get_texts()[3].get_text() == "de ellos, movimientos parecidos"
    )
    alone = assemble_report(
        replace(source, episodes=rows[1:2], case={**case, "episodes": episodes[1:2]}),
        date(2026, 12, 1),
        date(2026, 12, 1),
        datetime(2026, 12, 2),
    )
    assert alone.lookalike_movements == 0 and "look-alike" not in render_html(alone)
    legend = plot_per_day(alone.days).axes[0].get_legend().get_texts()
    assert "of them look-alikes" not in [t.get_text() for t in legend]


def test_a_videos_counts_are_worded_with_their_plurals(made_report: MadeReport) -> None:
    from spasmwatch.report.build import VideoFinding

    def counts(summary: dict[str, int]) -> str:
        video = VideoFinding(
            filename="clip.mp4",
            uploaded_at=datetime(2026, 12, 1, 9, 0),
            episode_started_at=None,
            video={"duration_s": 30, "width": 640, "height": 480, "fps": 25},
            summary=summary,
            events=[],
            clusters=[],
            images={},
        )
        html = re.sub(r"\s+", " ", render_html(replace(made_report.data, videos=[video])))
        return re.sub(r"<[^>]+>", "", html.split("<h3>clip.mp4</h3>")[1].split("</p>")[1])

    one = counts({"spasm_like": 1, "clusters": 1, "jerk": 1, "rhythmic": 1, "other": 1})
    assert "1 spasm-like movement, " in one and "1 cluster, 1 brief jerk, " in one
    assert "1 rhythmic movement, 1 other movement." in one
    two = counts({"spasm_like": 2, "clusters": 2, "jerk": 2, "rhythmic": 2, "other": 0})
    assert "2 brief jerks, 2 rhythmic movements, 0 other movements." in two


def _video(
    name: str = "clip.mp4",
    clusters: int = 0,
    events: list[dict[str, Any]] | None = None,
    clips: dict[int, Path] | None = None,
) -> VideoFinding:
    """A finished video analysis that found ``clusters`` clusters of 4 spasm-like movements."""
    return VideoFinding(
        filename=name,
        uploaded_at=datetime(2026, 12, 1, 9, 0),
        episode_started_at=None,
        video={"duration_s": 60, "width": 640, "height": 480, "fps": 25},
        summary={"spasm_like": 4 * clusters, "clusters": clusters, "jerk": 0, "rhythmic": 0},
        events=events or [],
        clusters=[
            {"start_s": 10.0 * i, "end_s": 10.0 * i + 9, "count": 4, "median_interval_s": 3.0}
            for i in range(clusters)
        ],
        images={},
        clips=clips or {},
    )


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_event_table_says_each_kind_in_words(tmp_path: Path) -> None:
    """The words the web page and the CLI use (EVENT_KIND_WORDS), not the codes
    ("spasm like"), in the report's event table and the doctor package's clips."""
    from spasmwatch.report.package import render_package
    from spasmwatch.video.events import EVENT_KIND_WORDS

    kinds = ("spasm_like", "jerk", "rhythmic", "other")
    events = [
        {"start_s": 1.0 + i, "end_s": 1.5 + i, "kind": kind, "side": "both", "score": 0.8}
        for i, kind in enumerate(kinds)
    ]
    clip = tmp_path / "clip-1.mp4"
    clip.write_bytes(b"a clip")
    data = one_day_report([], [_video(events=events, clips={1: clip})])
    html = render_html(data)
    table = html.split('<table class="events">', 1)[1].split("</table>", 1)[0]
    said = [cell for cell in re.findall(r"<td>([^<]*)</td>", table) if cell != "both"]
    assert said == ["spasm-like", "brief jerk", "rhythmic", "other movement"]
    assert said == [EVENT_KIND_WORDS[kind] for kind in kinds]
    assert "spasm like" not in html and "spasm_like" not in table
    package = render_package(data)
    assert "#1 at 1.0 s, spasm-like</figcaption>" in package
    assert "spasm like" not in package


def test_the_summary_says_the_diarys_clusters_and_the_videos_apart() -> None:
    """A cluster filmed but not logged as one: the summary says none in the diary and,
    apart, the one the video analysis found, never a bare "0" against the video's "1"."""
    nod = {"movements": ["head_nod"], "state": "just_woke"}
    one = one_day_report([nod], [_video(clusters=1)])
    assert len(one.clusters) == 0 and one.video_clusters == (1, 1)
    said = _plain(render_html(one))
    assert "Clusters (series) 0 in the diary" in said
    assert "1 cluster found in a video (video findings below)" in said
    assert "clip.mp4: 4 spasm-like, 1 cluster" in said  # the video's own line agrees
    two = one_day_report([nod], [_video("a.mp4", 2), _video("b.mp4", 0), _video("c.mp4", 1)])
    assert two.video_clusters == (3, 2)
    assert "3 clusters found in 2 videos (video findings below)" in _plain(render_html(two))
    for videos in ([], [_video(clusters=0)]):
        none = one_day_report([nod], videos)
        assert none.video_clusters[0] == 0
        assert "found in" not in _plain(render_html(none))


def test_an_episode_with_only_a_warning_sign_adds_no_movement() -> None:
    """An episode that names no movement (a warning sign alone) is an episode with its
    warning sign, not a movement; the triage is an emergency all the same."""
    episodes = [
        {"red_flags": ["rash"]},
        {"movements": ["head_nod"], "state": "just_woke"},
        {"movements": ["head_nod"], "count": 5, "interval_seconds": 5},
    ]
    data = one_day_report(episodes)
    assert [e.moves for e in data.episodes] == [0, 1, 5]
    assert data.movements == 6 and len(data.episodes) == 3
    (day,) = data.days
    assert (day.episodes, day.movements, day.lookalike_movements) == (3, 6, 0)
    assert data.triage["level"] == "emergency"
    assert data.triage["reasons"][0]["rule"] == "red-flag-rash"
    html = render_html(data)
    said = _plain(html)
    # the nod without a count counts one, and the total is "at least" theirs
    assert (
        "3 episodes, at least 6 movements, on 1 of 1 day; 1 episode logged without a count "
        "(how many in a row), counted as one movement"
    ) in said
    row = html.split('id="episode-1"', 1)[1].split("</tr>", 1)[0]
    assert "no movement named" in row and "<td>\u2013</td>" in row  # a dash: no count
    assert "rash" in _plain(row)
    # an episode with a movement named but no count says that its count was not given
    second = html.split('id="episode-2"', 1)[1].split("</tr>", 1)[0]
    assert '<td><span class="muted">not given</span></td>' in second
    assert "<td>1</td>" not in second and "no movement named" not in second
