"""A parent without an account on "Log an episode on this phone", in a real browser (Debian's
Chromium) at phone size (390x844), in English and Spanish: the form says first that it
cannot add episodes to a diary without an account, with the quick check and sign-up; every
form sent anyway is kept on the phone as typed (a list: a second one never replaces the
first), each can be carried to the quick check, whose answer is kept at sign-up; the
diary's pages then say that some wait, and the form brings them back one at a time (saved
or discarded), never filling in unasked one that went to the quick check.

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
SECOND_NOTES = "a second one, typed later"


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


def _drafts(page: Any) -> list[dict[str, Any]]:
    return page.evaluate("window.spasmwatchStore.getMeta('drafts')") or []


def _fields(draft: dict[str, Any]) -> dict[str, str]:
    return dict((name, value) for name, value in draft["fields"])


def _type_an_episode(page: Any, count: str, notes: str) -> None:
    page.locator("input[name=movements][value=head_nod]").check()
    page.locator("input[name=state][value=just_woke]").check()
    page.locator("#count").fill(count)
    page.locator("#log-form details").evaluate("d => { d.open = true; }")
    page.locator("#notes").fill(notes)
    page.locator("#log-form button[type=submit]").click()


def _stored(page: Any, child_id: int) -> list[Any]:
    return page.request.get(f"/api/v1/children/{child_id}/episodes").json()


def _wait_for_stored(page: Any, child_id: int, count: int) -> list[Any]:
    for _ in range(TIMEOUT_MS // 200):
        if len(_stored(page, child_id)) >= count:
            break
        page.wait_for_timeout(200)
    return _stored(page, child_id)


def _said_without_an_account(page: Any, lang: str, shots: Path) -> None:
    """/log before anything is typed, then two forms sent anyway: both kept, nothing queued."""
    from playwright.sync_api import expect

    page.goto("/log")
    notice = page.locator("#log-no-account")
    expect(notice).to_be_visible()
    assert _on_first_screen(notice.locator("h2")), "said before the form, on the first screen"
    expect(notice.locator("a[href='/check']")).to_be_visible()
    expect(notice.locator("a[href='/signup']")).to_be_visible()
    expect(page.locator("#child-field")).to_be_hidden()
    expect(page.locator("#log-offline-note")).to_be_hidden()
    keep = {"en": "Keep on this phone", "es": "Guardar en este teléfono"}[lang]
    expect(page.locator("#log-form button[type=submit]")).to_have_text(keep)
    page.screenshot(path=str(shots / f"01-log-without-account-{lang}.png"))
    _type_an_episode(page, "8", NOTES)
    kept = page.locator("#log-kept")
    expect(kept).to_be_visible()
    expect(page.locator("#log-kept-count")).to_have_text(re.compile(r"^1 "))
    assert _on_first_screen(kept.locator(".log-to-check").first)
    page.screenshot(path=str(shots / f"02-kept-on-this-phone-{lang}.png"))
    # nothing waits to be sent (there is no child to send it to); the draft holds it all
    assert page.evaluate("window.spasmwatchStore.all()") == []
    (first,) = _drafts(page)
    fields = _fields(first)
    assert fields["notes"] == NOTES and fields["count"] == "8" and fields["state"] == "just_woke"
    # the form is emptied for the next one, which is kept beside the first, not over it
    expect(page.locator("#notes")).to_have_value("")
    expect(page.locator("#count")).to_have_value("")
    _type_an_episode(page, "5", SECOND_NOTES)
    expect(page.locator("#log-kept-count")).to_have_text(re.compile(r"^2 "))
    assert [_fields(d)["notes"] for d in _drafts(page)] == [NOTES, SECOND_NOTES]
    # both are still there after a reload, and the form is not filled in with either
    page.reload()
    expect(page.locator("#log-kept")).to_be_visible()
    expect(page.locator("#log-kept-list li")).to_have_count(2)
    expect(page.locator("#count")).to_have_value("")
    page.screenshot(path=str(shots / f"03-two-kept-{lang}.png"))


def test_typed_without_an_account_is_checked_kept_at_sign_up_and_not_saved_twice(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server, "en")
    _said_without_an_account(page, "en", shots)
    # The first one's words agree: kept on the phone, not yet in a diary.
    no_account = page.locator("#log-no-account h2")
    expect(no_account).to_have_text(
        "Without an account, this form cannot add episodes to a diary yet"
    )
    expect(page.locator("#log-kept")).to_contain_text("2 episodes kept on this phone, not lost.")

    # Carried to the quick check (the first one): filled in, the baby's age asked.
    page.locator("#log-kept-list li").first.get_by_role(
        "link", name="See the advice for it"
    ).click()
    page.wait_for_url(re.compile(r"/check\?from=log&draft=[\w-]+$"))
    expect(page.locator("#check-from-log")).to_be_visible()
    expect(page.get_by_label("head drops or bobs forward")).to_be_checked()
    expect(page.get_by_label("just woke up")).to_be_checked()
    expect(page.get_by_label("How many in a row?")).to_have_value("8")
    expect(page.locator("#notes")).to_have_value(NOTES)
    page.get_by_label("Baby's age in months").fill("6")
    page.screenshot(path=str(shots / "04-check-filled-from-log-en.png"), full_page=True)
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
    page.screenshot(path=str(shots / "05-answer-source-in-words-en.png"))
    assert [d["checked"] for d in _drafts(page)] == [True, False]

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
    child_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("ol.timeline li")).to_have_count(1)
    # The child's page says that two wait on this phone, with the way to them.
    waiting = page.locator("#drafts-waiting")
    expect(waiting).to_be_visible()
    expect(waiting.locator("a[href='/log']")).to_have_text(
        "2 episodes typed on this phone before there was a child are waiting:"
        " check them and save them"
    )
    page.screenshot(path=str(shots / "06-child-page-says-two-wait-en.png"))
    page.goto("/children")
    expect(page.locator("#drafts-waiting a[href='/log']")).to_contain_text("2 episodes typed")

    # Back on the form: the one taken to the check is not filled in unasked.
    page.locator("#drafts-waiting a").click()
    page.wait_for_url(re.compile(r"/log$"))
    expect(page.locator("#no-child-here")).to_be_hidden()
    expect(page.locator("#log-form button[type=submit]")).to_have_text("Save on this phone")
    restored = page.locator("#log-restored")
    expect(restored).to_be_visible()
    expect(page.locator("#log-restored-count")).to_contain_text("2 episodes typed")
    expect(page.locator("#log-restored-checked")).to_be_visible()
    expect(page.locator("#log-restored-checked")).to_contain_text("already in the diary")
    expect(page.locator("#log-restored-filled")).to_be_hidden()
    expect(page.locator("#count")).to_have_value("")
    expect(page.locator("#notes")).to_have_value("")
    page.screenshot(path=str(shots / "07-checked-one-not-filled-en.png"))
    # Filled in only when asked; discarded, as it is in the diary already.
    page.get_by_role("button", name="Fill in the form with it").click()
    expect(page.locator("#count")).to_have_value("8")
    expect(page.locator("#log-restored-filled")).to_be_visible()
    page.get_by_role("button", name="Discard it").click()
    # The next one comes back, never taken to the check: filled in, and said so.
    expect(page.locator("#log-restored-count")).to_contain_text("1 episode typed")
    expect(page.locator("#log-restored-checked")).to_be_hidden()
    expect(page.locator("#log-restored-filled")).to_be_visible()
    expect(page.locator("#count")).to_have_value("5")
    expect(page.locator("#notes")).to_have_value(SECOND_NOTES)
    expect(page.get_by_label("Child")).to_have_value(str(child_id))
    page.screenshot(path=str(shots / "08-next-one-filled-in-en.png"))
    page.locator("#log-form button[type=submit]").click()
    expect(restored).to_be_hidden()
    stored = _wait_for_stored(page, child_id, 2)
    # the check kept at sign-up and the second one: nothing twice
    assert sorted(e["episode"]["count"] for e in stored) == [5, 8]
    assert _drafts(page) == []
    page.goto(f"/children/{child_id}")
    expect(page.locator("ol.timeline li")).to_have_count(2)
    expect(page.locator("#drafts-waiting")).to_be_hidden()
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
    # A phone that kept one draft the way an earlier version did: it joins the list, first.
    page.evaluate(
        """window.spasmwatchStore.setMeta('draft', {fields: [['count', '3'],
        ['started_at', '2024-01-02T09:30']], created: 1, checked: true})"""
    )
    child_page = sign_up_with_a_child(page, "ana.sin.cuenta@example.org", "Lucía")
    child_id = int(child_page.rsplit("/", 1)[1])
    expect(page.locator("#drafts-waiting a")).to_have_text(re.compile(r"^3 episodios "))
    page.goto("/log")
    expect(page.locator("#no-child-here")).to_be_hidden()
    expect(page.locator("#log-restored")).to_be_visible()
    expect(page.locator("#log-restored-when")).to_contain_text("2024-01-02 09:30")
    # the earlier version's draft went to the check: not filled in, discarded here
    expect(page.locator("#log-restored-checked")).to_be_visible()
    expect(page.locator("#count")).to_have_value("")
    page.locator("#log-discard").click()
    # the next ones were never taken to the check: filled in, one at a time
    expect(page.locator("#log-restored-checked")).to_be_hidden()
    expect(page.locator("#child")).to_have_value(str(child_id))
    expect(page.locator("#notes")).to_have_value(NOTES)
    page.screenshot(path=str(shots / "09-filled-in-again-es.png"))
    page.locator("#log-form button[type=submit]").click()
    expect(page.locator("#notes")).to_have_value(SECOND_NOTES)
    page.locator("#log-form button[type=submit]").click()
    expect(page.locator("#log-restored")).to_be_hidden()
    stored = _wait_for_stored(page, child_id, 2)
    assert sorted(e["episode"]["notes"] for e in stored) == sorted([NOTES, SECOND_NOTES])
    assert _drafts(page) == []
    assert page.evaluate("window.spasmwatchStore.getMeta('draft')") is None
    assert problems == []
    context.close()
