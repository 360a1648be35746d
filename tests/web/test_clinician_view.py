"""The clinician view at a share link: a summary first (onset, counts, clusters, on-waking
share, charts), the triage reasoning with rule ids and sources, the recordings, the episode
table; no advice for the parents and no sign-in; a period chosen on the page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

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
    assert "1 of 1 episode with a known state (100 %)" in one
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
    assert "1 of 2 episodes with a known state (50 %)" in html
    assert "1 of 2 clusters" in html
    assert "2 clusters, 10 movements each" in html  # not "10 to 10"
    es = {"Accept-Language": "es"}
    text = anonymous(app).client.get(f"/s/{token}", headers=es).text
    assert "1 de 2 episodios con el estado conocido (50 %)" in text
    assert "1 de 2 salvas" in text


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
