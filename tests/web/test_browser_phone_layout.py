"""At phone width (390 x 844), in a real browser (Debian's Chromium) against the real server,
in English and Spanish:

- the episode form's answer box, shown as soon as a warning sign is ticked, says the call
  now for an episode of now, and, as the child page does, when the sign was seen for one
  whose start is more than 24 h ago (the day in the page's language), switching as the
  start changes;
- deleting an episode opens a box to tick first; the browser asks for it, and the episode
  goes in place once it is ticked;
- the signed-out menu keeps to one line; the list's "Emergency: warning sign 5 weeks ago"
  badge has a line of its own under the name, not squeezed into three; the child page has
  no empty line under "your role";
- the web report's "Why this level" reads as one card per reason, the reason across the
  screen's width, not squeezed into a column a word wide.

Screenshots go to ``tests/artifacts/phone-layout/`` (ignored by git), to be looked at.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.i18n import SEEN_DAY_PATTERN, format_day, time_ago
from web.test_browser import (  # noqa: F401 (the browser fixture)
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    phone_page,
    running_server,
    shots,
    sign_up_with_a_child,
    speaking,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "phone-layout"
LANGUAGES = ("en", "es")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("phone-layout-data")) as base:
        yield base


def _log(page: Any, child: str, episode: dict[str, Any]) -> int:
    """Log an episode through the API with the page's session; returns its id."""
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    answer = page.request.post(
        f"/api/v1{child}/episodes",
        data=json.dumps(episode),
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
    )
    assert answer.ok, answer.text()
    return int(answer.json()["id"])


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_forms_answer_box_says_a_back_dated_warning_sign_as_past(
    server: str,
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
    lang: str,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = phone_page(chromium, server, **speaking(lang))
    child = sign_up_with_a_child(page, f"form-{lang}@example.org", "Mia Valentina")
    page.goto(f"{child}/episodes/new")
    box = page.locator("#warning-now")
    expect(box).to_be_hidden()
    page.locator("input[name=red_flags]").first.check()
    # Now (the start is the phone's time): the call now.
    call_now = {"en": "Call emergency services now", "es": "Llame ahora a los servicios"}[lang]
    now, past = box.locator(".warning-call-now"), box.locator(".warning-past")
    expect(box).to_be_visible()
    expect(now).to_be_visible()
    expect(now).to_contain_text(call_now)
    expect(past).to_be_hidden()
    page.screenshot(path=str(shots / f"01-form-call-now-{lang}.png"))
    # Five weeks ago: said as the child page says it, the day in the page's language.
    start = datetime.now().replace(second=0, microsecond=0) - timedelta(days=35)
    page.locator("#started_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    day = format_day(start.date(), lang, SEEN_DAY_PATTERN)
    headline = {
        "en": f"A warning sign was last seen 5 weeks ago, on {day}.",
        "es": f"Se vio un signo de alarma por última vez hace 5 semanas, el {day}.",
    }[lang]
    since = {
        "en": "If a doctor has not seen your baby since then, get emergency help now.",
        "es": "Si ningún médico ha visto a su bebé desde entonces, busque ayuda urgente ahora.",
    }[lang]
    expect(box.locator(".warning-past-headline")).to_have_text(headline)
    expect(past).to_be_visible()
    expect(past).to_contain_text(since)
    expect(now).to_be_hidden()
    expect(past.locator("a.button.call")).to_be_visible()  # the call button stays
    box.screenshot(path=str(shots / f"02-form-past-{lang}.png"))
    # 23 hours ago is now; 3 days ago is past again.
    page.locator("#started_at").fill(
        (datetime.now() - timedelta(hours=23)).strftime("%Y-%m-%dT%H:%M")
    )
    expect(now).to_be_visible()
    expect(past).to_be_hidden()
    page.locator("#started_at").fill(
        (datetime.now() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    )
    ago = {"en": "3 days ago", "es": "hace 3 días"}[lang]
    expect(box.locator(".warning-past-headline")).to_contain_text(ago)
    # 2 days ago by its number, as the server says it (the browser's own word for it in
    # Spanish is "anteayer")
    two_days = datetime.now() - timedelta(days=2)
    page.locator("#started_at").fill(two_days.strftime("%Y-%m-%dT%H:%M"))
    assert time_ago(two_days, date.today()) == "2 days ago"
    ago = {"en": "2 days ago", "es": "hace 2 días"}[lang]
    expect(box.locator(".warning-past-headline")).to_contain_text(ago)
    expect(box.locator(".warning-past-headline")).not_to_contain_text("anteayer")
    # The page counts months by the server's steps (spasmwatch.i18n.AGE_STEPS)
    long_ago = datetime.now() - timedelta(days=100)
    page.locator("#started_at").fill(long_ago.strftime("%Y-%m-%dT%H:%M"))
    ago = {"en": "3 months ago", "es": "hace 3 meses"}[lang]
    assert time_ago(long_ago, date.today()) == "3 months ago"
    expect(box.locator(".warning-past-headline")).to_contain_text(ago)
    # no time at all: the call now
    page.locator("#started_at").fill("")
    expect(now).to_be_visible()
    expect(past).to_be_hidden()

    # Saved, the child page says the same as the box said.
    page.locator("#started_at").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.locator("form[data-warning] button[type=submit]").click()
    page.wait_for_url(re.compile(r"#child-name$"))
    expect(page.locator("#triage-title")).to_have_text(headline)
    # The edit form opens with the answer already worded as past.
    page.locator("li.episode .actions a").first.click()
    page.wait_for_url(re.compile(r"/edit$"))
    expect(past).to_be_visible()
    expect(now).to_be_hidden()
    expect(box.locator(".warning-past-headline")).to_have_text(headline)
    assert problems == []
    context.close()


def test_deleting_an_episode_asks_for_the_box_first(
    server: str,
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = phone_page(chromium, server, **speaking("en"))
    child = sign_up_with_a_child(page, "delete@example.org", "Noa")
    kept = _log(page, child, {"movements": ["head_nod"], "count": 3})
    gone = _log(page, child, {"movements": ["hiccups"], "count": 1})
    page.goto(child)
    entry = page.locator(f"#episode-{gone}")
    entry.get_by_text("Delete this episode", exact=True).click()  # opens the question
    button = entry.get_by_role("button", name="Delete the episode")
    expect(button).to_be_visible()
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    button.click()  # without the box: the browser asks for it, nothing is sent
    page.wait_for_timeout(300)
    assert posts == []
    assert entry.get_by_role("checkbox").evaluate("b => b.validity.valueMissing")
    entry.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "03-delete-asks-phone.png"))
    entry.get_by_label("Yes, delete this episode and the files attached to it").check()
    button.click()
    expect(page.locator(f"#episode-{gone}")).to_have_count(0)  # gone in place
    expect(page.locator(f"#episode-{kept}")).to_have_count(1)
    page.reload()
    expect(page.locator(f"#episode-{gone}")).to_have_count(0)
    assert problems == []
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_menu_the_list_and_the_child_page_fit_a_phone(
    server: str,
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
    lang: str,
) -> None:
    context, page, problems = phone_page(chromium, server, **speaking(lang))
    width = PHONE["width"]
    # Signed out: the menu keeps to one line, as wide as the page at most.
    for path in ("/", "/signin"):
        page.goto(path)
        links = page.locator("header.top nav a")
        tops = [links.nth(i).bounding_box()["y"] for i in range(links.count())]
        assert links.count() == 4 and max(tops) - min(tops) < 2, (path, tops)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(shots / f"04-signed-out-menu-{lang}.png"))

    child = sign_up_with_a_child(page, f"layout-{lang}@example.org", "Mia Valentina")
    links = page.locator("header.top nav a, header.top nav button")
    tops = [links.nth(i).bounding_box()["y"] for i in range(links.count())]
    assert max(tops) - min(tops) < 8, tops  # signed in too
    started = (datetime.now() - timedelta(days=35)).replace(microsecond=0).isoformat()
    _log(
        page,
        child,
        {"red_flags": ["blue_or_grey"], "movements": ["limb_jerk"], "started_at": started},
    )

    # The list: the badge under the name, on one line, within the page.
    page.goto("/children")
    name, badge = _box(page, ".row .name"), _box(page, ".row .badge")
    role = _box(page, ".row .muted")
    assert badge["y"] >= name["y"] + name["height"] - 1  # on a line of its own
    assert abs(role["y"] - name["y"]) < 4  # the role beside the name
    line = float(
        page.locator(".row .badge").evaluate("b => parseFloat(getComputedStyle(b).lineHeight)")
    )
    assert badge["height"] < 2.5 * line + 10  # never three lines
    assert badge["x"] + badge["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    words = {
        "en": "Emergency: warning sign 5 weeks ago",
        "es": "Emergencia: signo de alarma hace 5 semanas",
    }
    assert " ".join((page.locator(".row .badge").text_content() or "").split()) == words[lang]
    page.screenshot(path=str(shots / f"05-children-{lang}.png"))

    # The child page: "Log an episode" right under the child's details, no empty line.
    page.goto(child)
    # scrolled to the child's details (below the answer, which the name heads): the bar
    # is in its place, not kept at the screen's foot
    page.evaluate(
        "window.scrollTo(0, document.querySelector('.child-meta').getBoundingClientRect().top"
        " + window.scrollY - 10)"
    )
    meta, log = _box(page, ".child-meta"), _box(page, ".log-bar .button")
    assert 0 <= log["y"] - (meta["y"] + meta["height"]) <= 16
    actions = page.locator(".child-actions .button")
    assert actions.count() == 2
    page.screenshot(path=str(shots / f"06-child-{lang}.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert problems == []
    context.close()


def test_the_day_of_a_past_warning_sign_is_written_as_the_pages_write_days() -> None:
    # The box's day (Intl, in the browser) and the child page's (Babel) are one pattern.
    assert SEEN_DAY_PATTERN == "d MMM y"
    assert format_day(date(2026, 11, 12), "en", SEEN_DAY_PATTERN) == "12 Nov 2026"
    assert format_day(date(2026, 11, 12), "es", SEEN_DAY_PATTERN) == "12 nov 2026"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_reports_reasons_are_readable_on_a_phone(
    server: str,
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
    lang: str,
) -> None:
    context, page, problems = phone_page(chromium, server, **speaking(lang))
    child = sign_up_with_a_child(page, f"reasons-{lang}@example.org", "Lucía")
    started = (datetime.now() - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    _log(
        page,
        child,
        {
            "movements": ["head_nod", "arms_up"],
            "count": 8,
            "interval_seconds": 10,
            "state": "just_woke",
            "started_at": started,
        },
    )
    page.goto(f"{child}/report.html")
    rows = page.locator("table.reasons tbody tr")
    assert rows.count() >= 2
    for i in range(rows.count()):
        reason = rows.nth(i).locator("td").nth(1).bounding_box()
        assert reason is not None
        # the reason across the card (the page is 390 px wide, less its margins)
        assert reason["width"] >= 300, (i, reason)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    page.locator("table.reasons").first.screenshot(path=str(shots / f"20-reasons-{lang}.png"))
    assert not problems, problems
    context.close()
