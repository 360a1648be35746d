"""The clinician view at a share link: a summary first (onset, counts, clusters, on-waking
share, charts), the triage reasoning with rule ids and sources, the recordings, the episode
table; no advice for the parents and no sign-in; a period chosen on the page."""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from spasmwatch.i18n import SEEN_DAY_PATTERN, format_day, format_when
from spasmwatch.store import repo
from web.webworld import SPASM_EPISODE, add_child, anonymous, log_episode, new_app, share, sign_up


def _diary(tmp_path: Path) -> tuple[object, object, int, str]:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org", "Ana Parent")
    child = add_child(owner, "Mia")
    today = date.today()
    for back in (20, 3, 2, 1):
        day = today - timedelta(days=back)
        log_episode(owner, child, {**SPASM_EPISODE, "started_at": f"{day}T07:05:00"})
    token, _ = share(owner, child)
    return app, owner, child, token


def test_the_share_link_opens_a_clinician_summary(tmp_path: Path) -> None:
    app, _owner, _child, token = _diary(tmp_path)
    doctor = anonymous(app)
    page = doctor.client.get(f"/s/{token}")
    assert page.status_code == 200
    html = page.text
    # No sign-in header, no offline queue, no advice for the parents.
    assert "Sign in" not in html and "Sign up" not in html and 'id="queue"' not in html
    assert "clinician view" in html
    first = (date.today() - timedelta(days=20)).strftime("%-d %b %Y")
    assert f"first spasm-like episode logged on {first}" in html
    assert "Ana Parent" in html  # who reported
    assert "4 episodes, 40 movements" in html
    # The summary comes before the recordings and the episode table.
    assert html.index('id="summary-h"') < html.index('id="video-h"') < html.index('id="episodes-h"')
    # The reasoning: rule ids and sources, as in the report.
    assert 'class="reasons"' in html and "spasm-series" in html and "ILAE" in html
    # Charts: 14 and 90 days (the diary is three weeks old), time of day, cluster sizes.
    images = re.findall(r'<img src="(data:image/png;base64,[^"]+)"', html)
    assert len(images) == 4
    assert '<table class="episodes">' in html
    # the tables' column widths and notes come from the report's own stylesheet
    assert '<link rel="stylesheet" href="/report/tables.css">' in html
    styles = doctor.client.get("/report/tables.css")
    assert styles.headers["content-type"].startswith("text/css") and "col.w23" in styles.text
    # The period picker offers the report and this view for a chosen period.
    assert f'formaction="/s/{token}/report.pdf"' in html
    assert f'href="/s/{token}/package.html"' in html


def test_the_clinician_view_has_no_prompts_or_links_for_the_family(tmp_path: Path) -> None:
    """The work-up's "note here when one is booked or done" and the daily reminder are the
    family's: the child page has them, the read-only view at a share link does not."""
    app, owner, child, token = _diary(tmp_path)
    doctor = anonymous(app)
    prompt = "note here when one is booked or done"
    family = owner.client.get(f"/children/{child}").text  # type: ignore[attr-defined]
    assert prompt in family and 'href="/reminders"' in family
    for locale in ("en", "es"):
        html = doctor.client.get(f"/s/{token}", headers={"Accept-Language": locale}).text
        workup = _between(html, 'id="workup-h"', "</section>")
        assert "workup-intro" in workup and prompt not in workup
        assert "anote aquí" not in workup.lower()
        assert 'href="/reminders"' not in html
    assert "The doctor decides which ones the baby needs." in _between(
        doctor.client.get(f"/s/{token}").text, 'id="workup-h"', "</section>"
    )


def test_a_period_narrows_the_summary_and_a_bad_one_is_named(tmp_path: Path) -> None:
    app, _owner, _child, token = _diary(tmp_path)
    doctor = anonymous(app)
    start = (date.today() - timedelta(days=3)).isoformat()
    page = doctor.client.get(f"/s/{token}?from={start}")
    assert page.status_code == 200
    assert "3 episodes, 30 movements" in page.text
    # one of each is said in the singular
    day = (date.today() - timedelta(days=1)).isoformat()
    one = doctor.client.get(f"/s/{token}?from={day}&to={day}").text
    assert re.search(r"\b1 episode, 10 movements, on 1 of 1 day\b", one), one
    # the percentage never wraps before its sign
    assert "1 of 1 episode with a known state (100\u00a0%)" in one
    assert re.search(r"\b1 of 1 cluster\b(?!s)", one), one
    assert f'value="{start}"' in page.text
    bad = doctor.client.get(f"/s/{token}?from=yesterday")
    assert bad.status_code == 422
    assert "from&#39;: a date as YYYY-MM-DD" in bad.text and "Traceback" not in bad.text


def test_the_child_page_offers_a_period_and_the_package(tmp_path: Path) -> None:
    _app, owner, child, _token = _diary(tmp_path)
    html = owner.client.get(f"/children/{child}").text
    assert f'formaction="/children/{child}/report.pdf"' in html
    start = (date.today() - timedelta(days=89)).isoformat()
    assert f'href="/children/{child}/report.html?from={start}"' in html
    assert f'href="/children/{child}/package.html"' in html


def test_the_doctor_package_downloads_from_the_child_page_and_the_link(tmp_path: Path) -> None:
    app, owner, child, token = _diary(tmp_path)
    for person, url in (
        (owner, f"/children/{child}/package.html"),
        (anonymous(app), f"/s/{token}/package.html"),
    ):
        got = person.client.get(url)
        assert got.status_code == 200
        assert got.headers["content-disposition"].startswith(
            'attachment; filename="spasmwatch-package-mia-'
        )
        assert "media-src data:" in got.headers["content-security-policy"]
        assert "Mia" in got.text and '<table class="episodes">' in got.text
    assert anonymous(app).client.get(f"/s/{token}x/package.html").status_code == 404


def test_counts_take_their_plural_from_the_total_not_the_part(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org", "Ana Parent")
    child = add_child(owner, "Mia")
    day = (date.today() - timedelta(days=1)).isoformat()
    log_episode(owner, child, {**SPASM_EPISODE, "started_at": f"{day}T07:05:00"})
    awake = {**SPASM_EPISODE, "state": "awake", "started_at": f"{day}T15:05:00"}
    log_episode(owner, child, awake)
    token, _ = share(owner, child)
    html = anonymous(app).client.get(f"/s/{token}").text
    assert "1 of 2 episodes with a known state (50\u00a0%)" in html
    assert "1 of 2 clusters" in html
    assert "2 clusters in the diary, 10 movements each" in html  # not "10 to 10"
    es = {"Accept-Language": "es"}
    text = anonymous(app).client.get(f"/s/{token}", headers=es).text
    assert "1 de 2 episodios con el estado conocido (50\u00a0%)" in text
    assert "1 de 2 series" in text


def test_a_long_note_is_cut_in_the_table_and_given_in_full_below_it(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org", "Ana Parent")
    child = add_child(owner, "Mia")
    day = (date.today() - timedelta(days=1)).isoformat()
    note = "First line of what we saw.\nSecond line. " + "More detail. " * 300
    log_episode(owner, child, {**SPASM_EPISODE, "started_at": f"{day}T07:05:00", "notes": note})
    log_episode(owner, child, {**SPASM_EPISODE, "started_at": f"{day}T08:05:00", "notes": "short"})
    token, _ = share(owner, child)
    for path in (f"/s/{token}", f"/s/{token}/report.html"):
        html = anonymous(app).client.get(path).text
        table = html[
            html.index('<table class="episodes">') : html.index(
                "</table>", html.index('<table class="episodes">')
            )
        ]
        assert "(note 1, in full below)" in table and "More detail. " * 30 not in table
        assert ">short<" in table
        assert "Notes in full" in html and note.strip()[-200:] in html


def _between(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def test_the_clinician_view_and_its_report_in_spanish(tmp_path: Path) -> None:
    """The view takes the page's language, the report's partials (the triage's reasons,
    the episode table) and charts too; the same level and rules as in English; the report
    itself stays English."""
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org", "Ana Parent")
    born = (date.today() - timedelta(days=200)).isoformat()
    made = owner.form(
        "/children/new",
        {
            "name": "Mia",
            "birth_date": born,
            "conditions": ["down_syndrome"],
            "development": "slower",
        },
    )
    child = int(made.headers["location"].rsplit("/", 1)[1])
    day = date.today() - timedelta(days=2)
    feverish = {
        **SPASM_EPISODE,
        "started_at": f"{day}T07:05:00",
        "movement_seconds": 1.5,
        "side": "left",
        "after": ["slow_to_recover"],
        "red_flags": ["vomiting"],
        "fever_c": 38.5,
    }
    log_episode(owner, child, feverish)
    log_episode(owner, child, {**SPASM_EPISODE, "started_at": None})
    token, _ = share(owner, child)
    doctor = anonymous(app)
    english = doctor.client.get(f"/s/{token}", headers={"Accept-Language": "en"}).text
    html = doctor.client.get(f"/s/{token}", headers={"Accept-Language": "es"}).text
    facts = _between(html, '<dl class="facts">', "</dl>")
    assert "6,6 meses" in facts and " months" not in facts
    assert "síndrome de Down" in facts and "más lento (hitos tardíos)" in facts
    summary = _between(html, 'id="summary-h"', "</section>")
    assert "38,5 °C" in summary and "últimos 14 días" in summary and "last 14 days" not in summary
    # the charts are drawn in the page's language: not the English view's pictures
    charts = re.compile(r'<img src="(data:image/png;base64,[^"]+)"')
    assert set(charts.findall(html)).isdisjoint(charts.findall(english))
    # the triage: the same level and rules, in the page's words; the sources as written
    reasoning = _between(html, 'id="reasoning-h"', "</section>")
    assert "<th>Nivel</th><th>Motivo</th><th>Regla</th><th>Fuente</th>" in reasoning
    # the warning sign (vomiting) was 2 days ago: still an emergency, said as past, its day
    # in the page's words
    día = format_day(day, "es", SEEN_DAY_PATTERN)
    assert f"<strong>Se vio un signo de alarma por última vez hace 2 días, el {día}.</strong>" in (
        reasoning
    )
    assert "A la familia se le indica que busque ayuda urgente ahora" in reasoning
    assert "<strong>Qué podría ser</strong>" in reasoning and "espasmos infantiles" in reasoning
    assert ">Emergencia</span>" in reasoning and ">Hoy</span>" in reasoning
    assert ">Emergency</span>" not in reasoning and ">Today</span>" not in reasoning
    assert "spasm-series" in reasoning and "ILAE" in reasoning
    for words in ("Reason", "Source", "What it could be", "epilepsy in babies", "(high)"):
        assert words not in reasoning, words
    rules = re.compile(r"<td>([a-z0-9-]+)</td>")
    assert rules.findall(reasoning) == rules.findall(
        _between(english, 'id="reasoning-h"', "</section>")
    )
    # the episode table: its heads, the answers, the days and numbers in Spanish
    table = _between(html, 'id="episodes-h"', "</section>")
    for words in ("Cuándo", "Estado", "Movimientos", "Después, signos de alarma", "Notas"):
        assert f"<th>{words}</th>" in table, words
    shown = re.sub(r"<[^>]+>", " ", table)  # the words, not the markup's classes
    for words in ("When", "State", "Movements", "After", "Notes", "cluster", "fever", "time"):
        assert words not in shown, words
    assert "cabeceo, elevación de los brazos" in table and "(lado izquierdo)" in table
    assert "al despertar" in table and "10 \u00d7 1,5 s, cada 5 s" in table
    assert "recuperación lenta; <strong>vómitos</strong>" in table
    assert format_when(datetime.fromisoformat(f"{day}T07:05"), "es", "EEE dd MMM HH:mm") in table
    assert "hora no indicada (anotado el " in table
    assert "<td>10 \u00d7 1.5 s, every 5 s" in english and "head nod, arms up" in english
    # the report made from the same link is in the page's language, its table too
    report = doctor.client.get(f"/s/{token}/report.html", headers={"Accept-Language": "es"}).text
    # the words, not the pictures' data (whose base64 can hold any word by chance)
    report = re.sub(r"data:[a-z/+]+;base64,[A-Za-z0-9+/=]+", "data:", report)
    assert "<th>Cuándo</th><th>Estado</th><th>Movimientos</th>" in report
    assert "cabeceo, elevación de los brazos" in report and "al despertar" in report
    assert "<th>When</th>" not in report and "head nod, arms up" not in report


def test_a_young_babys_age_is_said_in_weeks_in_the_pages_language(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org", "Ana Parent")
    born = (date.today() - timedelta(days=21)).isoformat()
    made = owner.form("/children/new", {"name": "Leo", "birth_date": born})
    child = int(made.headers["location"].rsplit("/", 1)[1])
    token, _ = share(owner, child)
    doctor = anonymous(app)
    assert "<dd>3 weeks · born " in doctor.client.get(f"/s/{token}").text
    spanish = doctor.client.get(f"/s/{token}", headers={"Accept-Language": "es"}).text
    assert "<dd>3 semanas · nació el " in spanish


def _png_width(uri: str) -> int:
    data = base64.b64decode(uri.split(",", 1)[1])
    return int.from_bytes(data[16:20], "big")


def test_the_table_scrolls_in_its_own_box_and_the_charts_are_drawn_for_a_screen(
    tmp_path: Path,
) -> None:
    """On a phone the episode table scrolls sideways inside its own box, which says so
    above it (in the page's language; never in print); the charts are the screen's:
    narrower than the report's, with larger words."""
    app, _owner, _child, token = _diary(tmp_path)
    doctor = anonymous(app)
    for locale, hint in (
        ("en", "The table is wider than the screen: swipe it sideways for all its columns."),
        ("es", "La tabla es más ancha que la pantalla: deslícela de lado para ver todas sus"),
    ):
        html = doctor.client.get(f"/s/{token}", headers={"Accept-Language": locale}).text
        table = _between(html, 'id="episodes-h"', "</section>")
        assert hint in table
        assert re.search(r'<div class="table-scroll" role="region" aria-label="[^"]+" '
                         r'tabindex="0">\s*<table class="episodes">', table)  # fmt: skip
        images = re.findall(r'<img src="(data:image/png;base64,[^"]+)"', html)
        assert images and all(_png_width(uri) == 630 for uri in images)
    report = doctor.client.get(f"/s/{token}/report.html").text
    images = re.findall(r'<img src="(data:image/png;base64,[^"]+)"', report)
    assert images and all(_png_width(uri) == 1050 for uri in images[:4])  # the report's own
    styles = doctor.client.get("/report/tables.css").text
    assert ".scroll-hint { display: none; }" in styles  # shown by the view's phone layout


def test_a_video_is_tied_to_its_episode_and_is_said_for_the_doctor(tmp_path: Path) -> None:
    """As on the family's page (under its episode) and in the report ("with the episode
    of"): the recording names its episode, a link to its row, and the row links to the
    recording. What the analysis found is said for a clinician: never "show it to a
    doctor"; the family's page still tells the family to."""
    from web.test_browser import _small_video

    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org", "Ana Parent")
    child = add_child(owner, "Mia")
    day = date.today() - timedelta(days=1)
    episode = log_episode(owner, child, {**SPASM_EPISODE, "started_at": f"{day}T07:05:00"})
    other = log_episode(owner, child, {**SPASM_EPISODE, "started_at": f"{day}T09:00:00"})
    video = _small_video(tmp_path / "clip.mp4")
    with video.open("rb") as f:
        sent = owner.form(
            f"/children/{child}/attachments",
            {"episode_id": str(episode)},
            files={"file": (video.name, f, "video/mp4")},
        )
    assert sent.status_code == 303
    with app.state.db.reading() as s:
        (row,) = repo.attachments_for(s, child)
        assert row.analysis["status"] == "done"
    token, _ = share(owner, child)
    doctor = anonymous(app)
    when = datetime.fromisoformat(f"{day}T07:05")
    for locale, with_episode, watch, parents in (
        ("en", "With the episode of", "Watch the video", ("to a doctor", "doctor should watch")),
        ("es", "Con el episodio del", "Vea el", ("a un médico", "un médico debería ver")),
    ):
        html = doctor.client.get(f"/s/{token}", headers={"Accept-Language": locale}).text
        recording = _between(html, f'id="recording-{row.id}"', '<div class="analysis"')
        link = f'<a href="#episode-{episode}">{format_when(when, locale)}</a>'
        assert with_episode in recording and link in recording, recording
        line = _between(html, f'id="episode-{episode}"', "</tr>")
        assert f'href="#recording-{row.id}"' in line
        assert "#recording-" not in _between(html, f'id="episode-{other}"', "</tr>")
        statement = _between(html, f'id="analysis-{row.id}"', "</div>")
        assert watch in statement, statement
        for words in parents:
            assert words not in html, words
        # the doctor cannot have it analysed again: the view does not suggest it
        assert "high sensitivity" not in statement and "sensibilidad alta" not in statement
    # the part the view asks for again while an analysis runs says it the same way
    fragment = doctor.client.get(f"/s/{token}/attachments/{row.id}/analysis").text
    assert "Watch the video" in fragment and "doctor should watch" not in fragment
    family = owner.client.get(f"/children/{child}").text
    assert "doctor" in _between(family, f'id="analysis-{row.id}"', "</div>")


def test_the_summary_says_the_clusters_found_in_videos_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A diary without a cluster, and a video whose analysis found one: the summary says
    "0 clusters in the diary" and, apart, "1 cluster found in a video", never a bare "0
    clusters" against the video's "1 cluster"."""
    from spasmwatch.diary import reporting
    from spasmwatch.report.build import VideoFinding

    def video(name: str, clusters: int) -> VideoFinding:
        return VideoFinding(
            filename=name,
            uploaded_at=datetime(2026, 12, 1, 9, 0),
            episode_started_at=None,
            video={"duration_s": 60, "width": 640, "height": 480, "fps": 25},
            summary={"spasm_like": 4 * clusters, "clusters": clusters},
            events=[],
            clusters=[{"start_s": 1.0, "end_s": 9.0, "count": 4}] * clusters,
            images={},
        )

    videos: list[VideoFinding] = [video("clip.mp4", 1)]
    assemble = reporting.assemble_report

    def with_videos(*args: object, **kwargs: object) -> object:
        return replace(assemble(*args, **kwargs), videos=videos)  # type: ignore[arg-type]

    monkeypatch.setattr(reporting, "assemble_report", with_videos)
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org", "Ana Parent")
    child = add_child(owner, "Mia")
    day = (date.today() - timedelta(days=1)).isoformat()
    single = {"movements": ["head_nod"], "state": "just_woke", "started_at": f"{day}T07:05:00"}
    log_episode(owner, child, single)
    token, _ = share(owner, child)
    doctor = anonymous(app).client

    def clusters_row() -> str:
        html = doctor.get(f"/s/{token}").text
        row = _between(html, "<dt>Clusters</dt>", "</dd>").removeprefix("<dt>Clusters</dt>")
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()

    said = clusters_row()
    assert said.startswith("0 clusters in the diary"), said
    assert said.endswith("· 1 cluster found in a video"), said
    videos[:] = [video("a.mp4", 2), video("b.mp4", 0), video("c.mp4", 1)]
    assert clusters_row().endswith("· 3 clusters found in 2 videos")
    videos[:] = [video("b.mp4", 0)]
    assert "found in" not in clusters_row()


def test_the_clinician_view_names_each_fact_as_the_familys_page(tmp_path: Path) -> None:
    """A development not known is "not known" on the family's page, the clinician view and
    the report; no skill recorded is said in the same words; an age entered as 6 months
    is "6 months", not "6.0 months"."""
    app, owner, child, token = _diary(tmp_path)
    family = owner.client.get(f"/children/{child}").text
    assert "development: not known" in family
    assert "No skill recorded." in family
    page = anonymous(app).client.get(f"/s/{token}").text
    facts = _between(page, '<dl class="facts">', "</dl>")
    assert "<dt>Development</dt><dd>not known</dd>" in facts and "not sure" not in facts
    assert "<dt>Age</dt><dd>6 months</dd>" in facts and "6.0" not in facts
    assert "No skill recorded." in page
    report = owner.client.get(f"/children/{child}/report.html").text
    assert "<dt>Development</dt><dd>not known</dd>" in report
    assert "<dt>Age</dt><dd>6 months</dd>" in report
    assert "No skill recorded." in report and "milestone recorded" not in report
