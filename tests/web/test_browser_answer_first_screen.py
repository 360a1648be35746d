"""What to do is on a phone's first screen, in a real browser (Debian's Chromium) against
the real server, in English and Spanish.

A same-day answer with four reasons and their long source notes (a spasm series on waking
with no response: two spasm reasons, a seizure-like episode without fever, a first
seizure) used to open them all, and "What to do now" began about 1.6 screens down at
390 x 844, partly under the "Log an episode" bar. Now its first reason (why "today") is
said open and the others are folded under "3 more reasons":

- on the child's page and on a check's answer, "What to do now" is whole within the first
  844 px, above the "Log an episode" bar where the page has one, at 390 x 844 and at
  1280 x 800; the warning-sign line with the number to call is still shown;
- the folded reasons open on a tap;
- after an episode is saved, the page opens at the child's name, with the answer's badge
  under it on the same screen (not at the answer's box, which scrolled the name away);
- scrolled to its end, the page's last lines are not under the bar.

Screenshots go to ``tests/artifacts/answer-first-screen/`` (ignored by git).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

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

SHOTS = REPO_ROOT / "tests" / "artifacts" / "answer-first-screen"
#: The desktop screen the answer is looked at on.
DESKTOP = {"width": 1280, "height": 800}
SCREENS = {"phone": PHONE, "desktop": DESKTOP}
#: A same-day episode with four reasons (the form's and the API's words).
FOUR_REASONS: dict[str, Any] = {
    "movements": ["head_nod", "arms_up"],
    "state": "just_woke",
    "count": 10,
    "movement_seconds": 1,
    "interval_seconds": 5,
    "responsive": "no",
}
WHAT_TO_DO = {"en": "What to do now", "es": "Qué hacer ahora"}
WARNING_LINE = {"en": "If a warning sign appears", "es": "Si aparece un signo de alarma"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_server(tmp_path_factory.mktemp("answer-first-screen-data")) as base:
        yield base


def _log_four_reasons(page: Any, child: str) -> None:
    """The four-reason episode, 3 hours ago, through the API with the page's session."""
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    started = (datetime.now() - timedelta(hours=3)).replace(microsecond=0).isoformat()
    answer = page.request.post(
        f"/api/v1{child}/episodes",
        data=json.dumps({**FOUR_REASONS, "started_at": started}),
        headers={"X-CSRF-Token": csrf, "Content-Type": "application/json"},
    )
    assert answer.ok, answer.text()


def _box(page: Any, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def _on_first_screen(page: Any, lang: str, screen: str) -> None:
    """The answer has four reasons, the first open and three folded, and "What to do now"
    is whole on the first screen, above the "Log an episode" bar where there is one."""
    from playwright.sync_api import expect

    triage = page.locator("#triage")
    expect(triage).to_have_class(re.compile(r"\blevel-same_day\b"))
    expect(triage.locator(".why-heading")).to_contain_text("4")
    open_reasons = triage.locator(".why > ul.reasons > li")
    expect(open_reasons).to_have_count(1)
    expect(open_reasons.first).to_be_visible()
    folded = triage.locator("details.more-reasons")
    expect(folded.locator("li")).to_have_count(3)
    expect(folded.locator("li").first).to_be_hidden()
    heading = triage.get_by_role("heading", name=WHAT_TO_DO[lang])
    expect(heading).to_be_visible()
    assert page.evaluate("window.scrollY") == 0
    what = heading.bounding_box()
    height = SCREENS[screen]["height"]
    assert what is not None and what["y"] + what["height"] <= height, (lang, screen, what)
    bar = page.locator(".log-bar .button")
    if bar.count() and screen == "phone":
        top = bar.bounding_box()
        assert top is not None and what["y"] + what["height"] <= top["y"], (what, top)
    # the warning-sign line and its number are still said, at the answer's foot
    line = triage.locator(".warning-signs-line")
    expect(line).to_be_visible()
    expect(line).to_contain_text(WARNING_LINE[lang])
    expect(line.get_by_role("link", name="112")).to_have_attribute("href", "tel:112")


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_what_to_do_is_on_the_first_screen_of_the_childs_page(
    server: str,
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
    lang: str,
    screen: str,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = phone_page(
        chromium, server, viewport=SCREENS[screen], is_mobile=screen == "phone", **speaking(lang)
    )
    child = sign_up_with_a_child(page, f"child-{lang}-{screen}@example.org", "Mia Valentina")
    _log_four_reasons(page, child)
    page.goto(child)
    _on_first_screen(page, lang, screen)
    page.screenshot(path=str(shots / f"01-child-{screen}-{lang}.png"))
    # the other reasons open on a tap, under the first
    folded = page.locator("#triage details.more-reasons")
    folded.locator("summary").click()
    expect(folded.locator("li").first).to_be_visible()
    # its rule, by the item's data-rule: the id itself is for the doctor's views
    expect(folded.locator('li[data-rule="afebrile-seizure-under-2"]')).to_have_count(1)
    expect(folded).not_to_contain_text("afebrile-seizure-under-2")
    folded.screenshot(path=str(shots / f"02-child-more-reasons-{screen}-{lang}.png"))
    assert problems == []
    context.close()


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("lang", ["en", "es"])
def test_what_to_do_is_on_the_first_screen_of_a_checks_answer(
    server: str,
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
    lang: str,
    screen: str,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = phone_page(
        chromium, server, viewport=SCREENS[screen], is_mobile=screen == "phone", **speaking(lang)
    )
    query = "&".join(
        [f"movements={m}" for m in FOUR_REASONS["movements"]]
        + [f"{k}={FOUR_REASONS[k]}" for k in ("state", "count", "interval_seconds")]
        + [f"movement_seconds={FOUR_REASONS['movement_seconds']}"]
    )
    page.goto(f"/check?{query}")
    page.locator("#age_months").fill("6")
    started = datetime.now() - timedelta(hours=3)
    page.locator("#started_at").fill(started.strftime("%Y-%m-%dT%H:%M"))
    responsive = page.locator("input[name=responsive][value=no]")
    if not responsive.is_visible():  # under "More details"
        page.locator("details", has=responsive).locator("summary").first.click()
    responsive.check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    _on_first_screen(page, lang, screen)
    page.screenshot(path=str(shots / f"03-check-{screen}-{lang}.png"))
    assert problems == []
    context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_after_a_save_the_page_opens_at_the_childs_name(
    server: str,
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
    lang: str,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = phone_page(chromium, server, **speaking(lang))
    child = sign_up_with_a_child(page, f"save-{lang}@example.org", "Mia Valentina")
    _log_four_reasons(page, child)
    page.goto(f"{child}/episodes/new")
    page.locator("input[name=movements][value=head_nod]").check()
    page.locator("form[data-warning] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/children/\d+#child-name$"))
    page.wait_for_function("window.scrollY > 0")  # past the menu, to the name
    name = page.locator("h1#child-name")
    expect(name).to_have_text("Mia Valentina")
    box, badge = _box(page, "h1#child-name"), _box(page, "#triage .level-word .badge")
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], box
    assert box["y"] < badge["y"] and badge["y"] + badge["height"] <= PHONE["height"], badge
    expect(page.locator("#triage-title")).to_be_in_viewport()
    page.screenshot(path=str(shots / f"04-after-save-{lang}.png"))

    # Scrolled to its end, the page's last lines are not under the bar.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function(
        "Math.ceil(window.scrollY + window.innerHeight)"
        " >= document.documentElement.scrollHeight - 1"
    )
    bar, foot = _box(page, ".log-bar .button"), _box(page, "footer.foot")
    assert foot["y"] + foot["height"] <= PHONE["height"] + 1, foot
    assert bar["y"] + bar["height"] <= foot["y"] or bar["y"] >= PHONE["height"], (bar, foot)
    page.screenshot(path=str(shots / f"05-end-of-page-{lang}.png"))
    assert problems == []
    context.close()
