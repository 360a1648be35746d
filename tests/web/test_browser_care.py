"""Treatment and development in a real browser (Debian's Chromium), at phone size
(390x844) and desktop size (1280x800), against the real server: a parent adds a treatment
and sees its response, logs spasms in the response window and sees it not met, records a
skill as lost and sees the advice rise to "today" with the regression named.

Screenshots go to ``tests/artifacts/care/`` (ignored by git), to be looked at.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from web.test_browser import (  # noqa: F401 (the server and browser fixtures)
    CHROMIUM,
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    server,
    shots,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "care"
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "a long enough password"


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_treatment_response_and_a_lost_skill(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
    size: str,
    viewport: dict[str, int],
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = chromium.new_context(viewport=viewport, base_url=server, is_mobile=size == "phone")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    def shot(name: str) -> None:
        page.screenshot(path=str(shots / f"{size}-{name}.png"), full_page=True)

    page.goto("/signup")
    page.get_by_label("Your name").fill("Sam Parent")
    page.get_by_label("Email").fill(f"sam-{size}@example.org")
    page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/children/new$"))
    page.get_by_label("Name or nickname").fill("Noa")
    page.get_by_label("or age in months").fill("6")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    child_path = "/children/" + page.url.rsplit("/", 1)[1]
    triage = page.locator("section#triage")
    expect(triage).to_have_class(re.compile(r"level-none"))

    # A treatment started 19 days ago: day 20, too early to tell, 23 days to go.
    section = page.locator("section#treatment")
    expect(section.get_by_role("heading", name="Treatment and response")).to_be_visible()
    section.get_by_text("Add a treatment").click()
    start = date.today() - timedelta(days=19)
    section.get_by_label("Medicine").fill("prednisolone")
    section.get_by_label("Dose").fill("10 mg four times a day")
    section.get_by_label("Started on").fill(start.isoformat())
    shot("01-treatment-form")
    section.get_by_role("button", name="Save the treatment").click()
    page.wait_for_url(re.compile(r"#treatment$"))
    response = page.locator("section#treatment .response").first
    expect(response).to_contain_text("too early to tell: 23 more days to day 42")
    expect(page.locator("section#treatment")).to_contain_text("Day 20 of treatment")

    # Spasms on day 16 (in the window), logged through the API with the page's session.
    csrf = page.locator('input[name="csrf_token"]').first.get_attribute("value") or ""
    when = datetime.combine(start + timedelta(days=15), datetime.min.time()).replace(hour=7)
    logged = page.request.post(
        f"/api/v1{child_path}/episodes",
        headers={"X-CSRF-Token": csrf},
        data={
            "movements": ["head_nod", "arms_up"],
            "state": "just_woke",
            "count": 9,
            "movement_seconds": 1,
            "started_at": when.isoformat(),
        },
    )
    assert logged.status == 201, logged.text()
    page.goto(child_path)
    expect(page.locator("section#treatment .response").first).to_contain_text(
        "not met: spasms between day 14 and day 42"
    )
    expect(page.locator("section#treatment .relapse")).to_contain_text("Relapse")
    level_before = triage.get_attribute("class") or ""
    assert "level-same_day" in level_before  # the spasm cluster itself

    # A skill lost today: regression is named and the lost-skills reason appears.
    development = page.locator("section#development")
    development.get_by_text("Record a skill").click()
    development.get_by_label("Skill", exact=True).select_option("sits")
    development.get_by_label("lost it (can no longer)").check()
    development.get_by_label("Since when").fill(date.today().isoformat())
    shot("02-milestone-form")
    development.get_by_role("button", name="Save the skill").click()
    page.wait_for_url(re.compile(r"#development$"))
    expect(page.locator("section#development .regression")).to_contain_text("sits lost since")
    expect(triage).to_have_class(re.compile(r"level-same_day"))
    expect(triage).to_contain_text("The baby has lost skills they had (regression)")
    expect(triage).to_contain_text("lost skills (regression) is a warning pattern")

    # Recorded by mistake: the skill is edited back to "can do it", and the regression goes.
    page.locator("section#development .milestone").get_by_role("link", name="Edit").click()
    page.wait_for_url(re.compile(r"/milestones/\d+/edit$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Edit the skill")
    expect(page.get_by_label("lost it (can no longer)")).to_be_checked()
    if size == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot("02b-milestone-edit")
    page.get_by_label("can do it").check()
    page.get_by_role("button", name="Save the skill").click()
    page.wait_for_url(re.compile(r"#milestone-\d+$"))
    expect(page.locator("section#development .regression")).to_have_count(0)
    expect(page.locator("section#development .milestone")).to_have_count(1)
    expect(triage).not_to_contain_text("The baby has lost skills they had (regression)")

    assert problems == []
    # A mistyped date comes back named, with what was typed kept (the page's 422 is the
    # one console message).
    section = page.locator("section#treatment")
    section.get_by_text("Add a treatment").click()
    section.get_by_label("Medicine").fill("vigabatrin")
    section.get_by_role("button", name="Save the treatment").click()
    expect(page.locator(".error-summary")).to_contain_text("Started on: please give a date")
    expect(page.get_by_label("Medicine")).to_have_value("vigabatrin")
    shot("03-form-problem")

    page.goto(child_path)
    page.locator("section#workup").scroll_into_view_if_needed()
    shot("04-child-page")
    assert all("status of 422" in p for p in problems), problems
    context.close()
