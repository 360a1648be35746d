"""Happening-now mode's numbers and the answer they lead to, in a real browser (Debian's
Chromium) against the real server, in English and Spanish, at phone size (390x844) and
on a desktop (1280x800): a 26-second episode with taps 4.5 s apart fills the check's
form with "26 s" and "4.5" ("4,5" in Spanish), which go back without an error; the
answer shows its badge and title first and the warning-sign line at its foot. The
offline episode form (``/log``, filled by ``static/offline.js``) writes them the same way.

Screenshots go to ``tests/artifacts/now-numbers/`` (ignored by git), to be looked at.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from web.test_browser import (  # noqa: F401 (the server and chromium fixtures)
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    server,
    shots,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "now-numbers"
DESKTOP = {"width": 1280, "height": 800}
#: The buttons and links of the way from the timer to the answer, in each language.
WORDS = {
    "en": {
        "start": "Start the timer",
        "tap": "Tap for each movement",
        "stop": "It stopped",
        "check": "Check it now",
        "send": "See the advice",
    },
    "es": {
        "start": "Iniciar el cronómetro",
        "tap": "Toque con cada movimiento",
        "stop": "Se ha detenido",
        "check": "Consultarlo ahora",
        "send": "Ver el consejo",
    },
}


def _context(chromium: Any, server: str, lang: str, size: dict[str, int]) -> Any:  # noqa: F811
    context = chromium.new_context(viewport=size, base_url=server, is_mobile=size == PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies([{"name": "sw_lang", "value": lang, "url": server}])
    return context


@pytest.mark.parametrize(
    ("lang", "size"), [("en", PHONE), ("es", PHONE), ("en", DESKTOP), ("es", DESKTOP)]
)
def test_a_26_second_episode_reaches_the_check_as_measured(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
    lang: str,
    size: dict[str, int],
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = _context(chromium, server, lang, size)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    words = WORDS[lang]
    tag = f"{lang}-{'phone' if size == PHONE else 'desktop'}"
    # The timer starts two minutes ago by the server's clock: a start just past.
    real_now = datetime.now().replace(microsecond=0)
    page.clock.install(time=real_now - timedelta(minutes=3))
    page.goto("/now")
    page.clock.pause_at(real_now - timedelta(minutes=2))
    page.get_by_role("button", name=words["start"]).click()
    tap = page.get_by_role("button", name=words["tap"])
    for _ in range(3):
        tap.click()
        page.clock.run_for(4500)
    page.clock.run_for(26_000 - 3 * 4500)
    page.get_by_role("button", name=words["stop"]).click()
    link = page.get_by_role("link", name=words["check"], exact=True)
    href = link.get_attribute("href") or ""
    assert "episode_seconds=26" in href and "episode_minutes" not in href, href
    link.click()
    page.wait_for_url(re.compile(r"/check\?"))
    decimal = "4,5" if lang == "es" else "4.5"
    expect(page.locator("#count")).to_have_value("3")
    expect(page.locator("#interval_seconds")).to_have_value(decimal)
    length = page.locator("#episode_minutes")
    expect(length).to_have_value("26 s")
    expect(length).to_be_visible()  # "More details" is open where the timer filled it
    page.locator("#age_months").fill("6")
    page.locator("input[name=movements][value=head_nod]").check()
    page.screenshot(path=str(shots / f"01-check-filled-{tag}.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name=words["send"]).click()
    expect(page.locator("#triage")).to_have_class(re.compile(r"level-same_day"))
    assert page.locator("main .error").count() == 0
    understood = page.locator(".understood dl")
    expect(understood).to_contain_text("26 s")
    expect(understood).to_contain_text(decimal)
    # The answer first: its badge and title on the first screen, the warning-sign line
    # at its foot, after what to do.
    badge = page.locator("#triage .level-word").bounding_box()
    title = page.locator("#triage-title").bounding_box()
    assert badge and title and badge["y"] < title["y"] < size["height"]
    line = page.locator("#triage .warning-signs-line")
    expect(line).to_be_visible()
    expect(line.get_by_role("link", name="112")).to_have_attribute("href", "tel:112")
    last_advice = page.locator("#triage ul.advice li").last.bounding_box()
    reasons = page.locator("#triage ul.reasons").first.bounding_box()  # the first, open
    line_box = line.bounding_box()
    assert last_advice and reasons and line_box
    assert title["y"] < reasons["y"] < last_advice["y"] < line_box["y"]
    page.screenshot(path=str(shots / f"02-answer-{tag}.png"), full_page=True)
    assert problems == []
    context.close()


def test_the_offline_form_writes_the_links_numbers_as_the_page_does(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = _context(chromium, server, "es", PHONE)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto("/log?episode_seconds=26&count=3&interval_seconds=4.5&from=now")
    expect(page.locator("#log-form #interval_seconds")).to_have_value("4,5")
    expect(page.locator("#log-form #count")).to_have_value("3")
    length = page.locator("#log-form #episode_minutes")
    expect(length).to_have_value("26 s")
    expect(length).to_be_visible()
    page.screenshot(path=str(shots / "03-offline-form-es-phone.png"), full_page=True)
    # whole minutes as minutes, and no thousands separator
    page.goto("/log?episode_seconds=300&interval_seconds=12000.5")
    expect(page.locator("#log-form #episode_minutes")).to_have_value("5")
    expect(page.locator("#log-form #interval_seconds")).to_have_value("12000,5")
    assert problems == []
    context.close()
