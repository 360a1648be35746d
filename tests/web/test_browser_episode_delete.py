"""Deleting an episode on the child's page, in a real browser (Debian's Chromium at phone
size, 390x844) against the real server: the answer at the top, the chart's counts and the
list of episodes change at once, as after logging one, not only after a reload. The only
episode, a startle, gave an answer; deleted, the page says that nothing is logged.

Screenshots go to ``tests/artifacts/episode-delete/`` (ignored by git).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from web.test_browser import (  # noqa: F401 (the fixtures)
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    phone_page,
    server,
    shots,
    sign_up_with_a_child,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "episode-delete"


def test_deleting_the_only_episode_updates_the_answer_at_once(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = phone_page(chromium, server)
    child = server + sign_up_with_a_child(page, "delete@example.org")

    # One startle, logged as a parent logs it: the answer is made of it.
    page.locator(".log-bar a").click()
    page.get_by_label("startle", exact=True).check()
    page.get_by_role("button", name="Save and see advice").click()
    page.wait_for_url(f"{child}#child-name")
    level = page.locator("#triage .level-word .badge")
    expect(level).not_to_have_text("Nothing logged yet")
    expect(page.locator(".timeline .episode")).to_have_count(1)
    page.screenshot(path=str(shots / "01-one-startle-phone.png"), full_page=True)

    # Deleted from its card: the page is loaded again where it was, with the answer, the
    # chart and the list as the diary now is.
    loads: list[str] = []
    page.on("load", lambda _: loads.append(page.url))
    card = page.locator(".timeline .episode").first
    card.locator("details.delete-episode summary").click()
    card.get_by_label("Yes, delete this episode and the files attached to it").check()
    card.get_by_role("button", name="Delete the episode").click()
    expect(level).to_have_text("Nothing logged yet")
    expect(page.locator("#triage")).to_have_class(re.compile(r"\blevel-none\b"))
    expect(page.locator(".timeline .episode")).to_have_count(0)
    expect(page.get_by_text("No episode logged yet.")).to_be_visible()
    assert loads == [f"{child}#child-name"], "the page was loaded again, once, where it was"
    page.screenshot(path=str(shots / "02-deleted-phone.png"), full_page=True)
    assert problems == []
    context.close()
