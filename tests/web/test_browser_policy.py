"""In a real browser (Debian's Chromium), every page works under its Content-Security-Policy:
no violation is reported, htmx and Swagger UI start from their static files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from web.test_browser import TIMEOUT_MS, chromium, server  # noqa: F401 (fixtures)


def test_pages_run_under_the_policy_without_violations(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = chromium.new_context(base_url=server)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.on("pageerror", lambda e: messages.append(str(e)))

    page.goto("/signup")
    page.get_by_label("Your name").fill("Casey")
    page.get_by_label("Email").fill("casey@example.org")
    page.get_by_label("Password (at least 10 characters)").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/children/new$"))
    page.get_by_label("Name or nickname").fill("Robin")
    page.get_by_label("or age in months").fill("6")
    page.get_by_role("button", name=re.compile("Add|Save")).click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    assert page.evaluate("typeof window.htmx") == "object"
    child_url = page.url
    for path in ("/settings", "/children", f"{child_url}/report.html", child_url):
        page.goto(path)
    page.goto("/api/docs")
    expect(page.locator(".swagger-ui .info")).to_be_visible()
    violations = [m for m in messages if "Content Security Policy" in m or "Refused" in m]
    assert violations == []
    context.close()
