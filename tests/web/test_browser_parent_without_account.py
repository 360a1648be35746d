"""A parent without an account on "Log an episode on this phone", in a real browser (Debian's
Chromium) at phone size (390x844), in English and Spanish: the form says first that it
cannot save without an account, with the quick check and sign-up; a form sent anyway is
kept on the phone as typed, carried to the quick check, whose answer is kept at sign-up,
and filled in again once a child is on the phone (saved then, or discarded).

Screenshots go to ``tests/artifacts/parent-without-account/`` (ignored by git).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from web.test_browser import (  # noqa: F401 (the server and chromium fixtures)
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    phone_page,
    server,
    sign_up_with_a_child,
    speaking,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "parent-without-account"
NOTES = "typed before there was an account"


@pytest.fixture(scope="module")
def shots() -> Path:
    shutil.rmtree(SHOTS, ignore_errors=True)
    SHOTS.mkdir(parents=True)
    return SHOTS


def _phone(chromium: Any, server: str, lang: str) -> tuple[Any, Any, list[str]]:  # noqa: F811
    context, page, problems = phone_page(
        chromium, server, service_workers="block", **speaking(lang)
    )
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return context, page, problems


def _on_first_screen(locator: Any) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def _draft(page: Any) -> Any:
    return page.evaluate("window.spasmwatchStore.getMeta('draft')")


def _type_an_episode(page: Any) -> None:
    page.locator("input[name=movements][value=head_nod]").check()
    page.locator("input[name=state][value=just_woke]").check()
    page.locator("#count").fill("8")
    page.locator("#log-form details").evaluate("d => { d.open = true; }")
    page.locator("#notes").fill(NOTES)
    page.locator("#log-form button[type=submit]").click()


def _said_without_an_account(page: Any, lang: str, shots: Path) -> None:
    """/log before anything is typed, then sent anyway: kept, nothing queued."""
    from playwright.sync_api import expect

    page.goto("/log")
    notice = page.locator("#log-no-account")
    expect(notice).to_be_visible()
    assert _on_first_screen(notice.locator("h2")), "said before the form, on the first screen"
    expect(notice.locator("a[href='/check']")).to_be_visible()
    expect(notice.locator("a[href='/signup']")).to_be_visible()
    expect(page.locator("#child-field")).to_be_hidden()
    expect(page.locator("#log-offline-note")).to_be_hidden()
    page.screenshot(path=str(shots / f"01-log-without-account-{lang}.png"))
    _type_an_episode(page)
    kept = page.locator("#log-kept")
    expect(kept).to_be_visible()
    assert _on_first_screen(kept.locator("#log-to-check"))
    page.screenshot(path=str(shots / f"02-kept-on-this-phone-{lang}.png"))
    # nothing waits to be sent (there is no child to send it to); the draft holds it all
    assert page.evaluate("window.spasmwatchStore.all()") == []
    fields = dict((name, value) for name, value in _draft(page)["fields"])
    assert fields["notes"] == NOTES and fields["count"] == "8" and fields["state"] == "just_woke"
    # what was typed stays on the form, and comes back after a reload
    expect(page.locator("#notes")).to_have_value(NOTES)
    page.reload()
    expect(page.locator("#log-kept")).to_be_visible()
    expect(page.locator("#count")).to_have_value("8")
    expect(page.locator("input[name=movements][value=head_nod]")).to_be_checked()
    expect(page.locator("#notes")).to_have_value(NOTES)


def test_typed_without_an_account_is_checked_kept_at_sign_up_then_discarded(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server, "en")
    _said_without_an_account(page, "en", shots)

    # Carried to the quick check: filled in, the baby's age asked.
    page.get_by_role("link", name="See the advice for what you typed").click()
    page.wait_for_url(re.compile(r"/check\?from=log$"))
    expect(page.locator("#check-from-log")).to_be_visible()
    expect(page.get_by_label("head drops or bobs forward")).to_be_checked()
    expect(page.get_by_label("just woke up")).to_be_checked()
    expect(page.get_by_label("How many in a row?")).to_have_value("8")
    expect(page.locator("#notes")).to_have_value(NOTES)
    page.get_by_label("Baby's age in months").fill("6")
    page.screenshot(path=str(shots / "03-check-filled-from-log-en.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="See the advice").click()
    triage = page.locator("#triage")
    expect(triage).to_have_class(re.compile(r"level-same_day"))
    # the reason in words and its source after "Source:", no rule id
    first = triage.locator("ul.reasons li").first
    expect(first.locator(".reason-source")).to_have_text(re.compile(r"^Source: \S"))
    expect(triage).not_to_contain_text("[")
    rules = triage.locator("li[data-rule]").evaluate_all(
        "items => items.map(i => i.getAttribute('data-rule'))"
    )
    assert "spasm-series" in rules
    for rule in rules:
        expect(triage).not_to_contain_text(rule)
    page.screenshot(path=str(shots / "04-answer-source-in-words-en.png"))

    # Kept at sign-up: the check is the diary's first episode.
    page.get_by_role("button", name="Keep it: sign up").click()
    page.wait_for_url(re.compile(r"/signup$"))
    page.get_by_label("Your name").fill("Sam Parent")
    page.get_by_label("Email").fill("sam.no.account@example.org")
    page.get_by_label("Password (at least 10 characters)").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/children/new$"))
    page.get_by_label("Name or nickname").fill("Robin")
    page.get_by_role("button", name=re.compile("Add|Save")).click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    expect(page.locator("ol.timeline li")).to_have_count(1)

    # Back on the form: filled in again, with the word that it may be in the diary already.
    page.goto("/log")
    expect(page.locator("#no-child-here")).to_be_hidden()
    expect(page.locator("#log-restored")).to_be_visible()
    expect(page.locator("#log-restored-checked")).to_be_visible()
    expect(page.get_by_label("Child")).to_have_value(re.compile(r"^\d+$"))
    expect(page.locator("#count")).to_have_value("8")
    page.screenshot(path=str(shots / "05-filled-in-again-en.png"))
    page.get_by_role("button", name="Discard what was typed").click()
    expect(page.locator("#log-restored")).to_be_hidden()
    expect(page.locator("#count")).to_have_value("")
    assert _draft(page) is None
    assert problems == []
    context.close()


def test_typed_without_an_account_is_saved_once_a_child_is_added_spanish(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server, "es")
    _said_without_an_account(page, "es", shots)
    child_page = sign_up_with_a_child(page, "ana.sin.cuenta@example.org", "Lucía")
    child_id = int(child_page.rsplit("/", 1)[1])
    page.goto("/log")
    expect(page.locator("#no-child-here")).to_be_hidden()
    expect(page.locator("#log-restored")).to_be_visible()
    expect(page.locator("#log-restored-checked")).to_be_hidden()  # never taken to the check
    expect(page.locator("#child")).to_have_value(str(child_id))
    expect(page.locator("#notes")).to_have_value(NOTES)
    page.screenshot(path=str(shots / "06-filled-in-again-es.png"))
    page.locator("#log-form button[type=submit]").click()
    expect(page.locator("#log-restored")).to_be_hidden()

    def stored() -> list[Any]:
        return page.request.get(f"/api/v1/children/{child_id}/episodes").json()

    for _ in range(TIMEOUT_MS // 200):
        if stored():
            break
        page.wait_for_timeout(200)
    (episode,) = stored()
    assert episode["episode"]["notes"] == NOTES and episode["episode"]["count"] == 8
    assert _draft(page) is None
    assert problems == []
    context.close()
