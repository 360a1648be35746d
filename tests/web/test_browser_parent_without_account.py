"""A parent without an account on "Log an episode on this phone", in a real browser (Debian's
Chromium) at phone size (390x844), in English and Spanish: the form says first that it
cannot add episodes to a diary without an account, with the quick check and sign-up; every
form sent anyway is kept on the phone as typed (a list: a second one never replaces the
first), each can be carried to the quick check, whose answer is kept at sign-up: the
child's page then says it is saved in the diary, and the draft it came from is removed
from the phone. The diary's pages say, on the first screen, that others wait, and the form
brings them back one at a time (saved or discarded), never filling in unasked one that
went to the quick check without its answer being kept.

Screenshots go to ``tests/artifacts/parent-without-account/`` (ignored by git).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from spasmwatch.i18n import translations
from web.test_browser import (  # noqa: F401 (the server and chromium fixtures)
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    phone_page,
    server,
    shots,
    sign_up_with_a_child,
    speaking,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "parent-without-account"
NOTES = "typed before there was an account"
SECOND_NOTES = "a second one, typed later"


def _phone(chromium: Any, server: str, lang: str) -> tuple[Any, Any, list[str]]:  # noqa: F811
    context, page, problems = phone_page(
        chromium, server, service_workers="block", **speaking(lang)
    )
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return context, page, problems


def _on_first_screen(locator: Any) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


#: The child page's line after a check taken from a draft was kept (its msgid).
KEPT_FROM_DRAFT = (
    "The episode you typed on this phone and checked is saved in %(name)s's diary: it no "
    "longer waits on this phone."
)
#: The line that says how many drafts wait on this phone (its msgids).
WAITING = (
    "%(n)s episode waits on this phone: save it",
    "%(n)s episodes wait on this phone: save them",
)


def _said(lang: str, msgid: str, **values: Any) -> str:
    """``msgid`` as the page says it in ``lang`` (the catalog's words, else the msgid)."""
    return translations(lang).gettext(msgid) % values


def _waiting(lang: str, n: int) -> str:
    """The drafts line for ``n`` drafts in ``lang``, as the page's script words it."""
    return translations(lang).ngettext(*WAITING, n).replace("%(n)s", str(n))


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


def _said_without_an_account(page: Any, lang: str, shots: Path) -> None:  # noqa: F811
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


def _to_the_check(page: Any, which: int) -> str:
    """The ``which``-th draft (0: the oldest) carried to the quick check, its age given;
    returns its key."""
    from playwright.sync_api import expect

    key = _drafts(page)[which]["key"]
    page.locator("#log-kept-list li").nth(which).locator(".log-to-check").click()
    page.wait_for_url(re.compile(rf"/check\?from=log&draft={key}$"))
    expect(page.locator("#check-from-log")).to_be_visible()
    # the draft's key goes with the form, for its answer to be kept with it
    expect(page.locator("#check-draft")).to_have_value(key)
    page.locator("#age_months").fill("6")
    with page.expect_navigation():
        page.locator("form[action='/check'] button[type=submit]").click()
    expect(page.locator("#triage")).to_be_visible()
    return key


def test_typed_without_an_account_is_checked_kept_at_sign_up_and_not_saved_twice(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
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

    # The second one goes to the quick check, and its answer is not kept.
    second = _to_the_check(page, 1)
    page.goto("/log")
    expect(page.locator("#log-kept-list li")).to_have_count(2)

    # Carried to the quick check (the first one): filled in, the baby's age asked.
    page.locator("#log-kept-list li").first.get_by_role(
        "link", name="See the advice for it"
    ).click()
    page.wait_for_url(re.compile(r"/check\?from=log&draft=[\w-]+$"))
    first = page.url.rsplit("=", 1)[1]
    expect(page.locator("#check-from-log")).to_be_visible()
    expect(page.locator("#check-draft")).to_have_value(first)
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
    reason = triage.locator("ul.reasons li").first
    expect(reason.locator(".reason-source")).to_have_text(re.compile(r"^Source: \S"))
    expect(triage).not_to_contain_text("[")
    rules = triage.locator("li[data-rule]").evaluate_all(
        "items => items.map(i => i.getAttribute('data-rule'))"
    )
    assert "spasm-series" in rules
    for rule in rules:
        expect(triage).not_to_contain_text(rule)
    page.screenshot(path=str(shots / "05-answer-source-in-words-en.png"))
    assert [(d["key"], d["checked"]) for d in _drafts(page)] == [(first, True), (second, True)]

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
    # The child's page says that it is in the diary, and the phone lets its draft go:
    # the one whose answer was not kept still waits, said on the first screen.
    kept = page.locator("#kept-check")
    expect(kept).to_have_text(KEPT_FROM_DRAFT % {"name": "Robin"})
    assert _on_first_screen(kept)
    waiting = page.locator("#drafts-waiting")
    expect(waiting.locator("a[href='/log']")).to_have_text("1 episode waits on this phone: save it")
    assert _on_first_screen(waiting)
    expect(page.locator("[data-kept-draft]")).to_have_count(0)  # read once
    assert [(d["key"], d["checked"]) for d in _drafts(page)] == [(second, True)]
    page.screenshot(path=str(shots / "06-child-page-kept-and-one-waits-en.png"))
    # said once
    page.reload()
    expect(page.locator("#drafts-waiting a")).to_have_text("1 episode waits on this phone: save it")
    expect(page.locator("#kept-check")).to_have_count(0)
    assert len(_drafts(page)) == 1
    page.goto("/children")
    expect(page.locator("#drafts-waiting a[href='/log']")).to_have_text(
        "1 episode waits on this phone: save it"
    )
    assert _on_first_screen(page.locator("#drafts-waiting"))

    # Back on the form: the one taken to the check, its answer not kept, is not filled
    # in unasked.
    page.locator("#drafts-waiting a").click()
    page.wait_for_url(re.compile(r"/log$"))
    expect(page.locator("#no-child-here")).to_be_hidden()
    expect(page.locator("#log-form button[type=submit]")).to_have_text("Save on this phone")
    restored = page.locator("#log-restored")
    expect(restored).to_be_visible()
    expect(page.locator("#log-restored-count")).to_contain_text("1 episode typed")
    expect(page.locator("#log-restored-checked")).to_be_visible()
    expect(page.locator("#log-restored-checked")).to_contain_text(
        "You took this one to the quick check: if you kept its answer there, it is already"
        " in the diary"
    )
    expect(page.locator("#log-restored-filled")).to_be_hidden()
    expect(page.locator("#count")).to_have_value("")
    expect(page.locator("#notes")).to_have_value("")
    page.screenshot(path=str(shots / "07-checked-one-not-filled-en.png"))
    # Filled in only when asked, then saved: its answer was never kept.
    page.get_by_role("button", name="Fill in the form with it").click()
    expect(page.locator("#count")).to_have_value("5")
    expect(page.locator("#notes")).to_have_value(SECOND_NOTES)
    expect(page.locator("#log-restored-filled")).to_be_visible()
    expect(page.get_by_label("Child")).to_have_value(str(child_id))
    page.screenshot(path=str(shots / "08-filled-in-when-asked-en.png"))
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


def test_a_check_kept_at_sign_up_lets_its_draft_go_spanish(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server, "es")
    _said_without_an_account(page, "es", shots)
    first = _to_the_check(page, 0)
    page.locator("form[action='/check/keep'] button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/signup$"))
    child_page = sign_up_with_a_child(page, "ana.guardada@example.org", "Lucía")
    child_id = int(child_page.rsplit("/", 1)[1])
    expect(page.locator("html")).to_have_attribute("lang", "es")
    kept = page.locator("#kept-check")
    expect(kept).to_have_text(_said("es", KEPT_FROM_DRAFT, name="Lucía"))
    assert _on_first_screen(kept)
    waiting = page.locator("#drafts-waiting")
    expect(waiting.locator("a")).to_have_text(_waiting("es", 1))
    assert _on_first_screen(waiting)
    remaining = _drafts(page)
    assert [d["key"] for d in remaining] != [first] and len(remaining) == 1
    assert _fields(remaining[0])["notes"] == SECOND_NOTES and not remaining[0]["checked"]
    page.screenshot(path=str(shots / "10-child-page-kept-es.png"))
    # the one never taken to the check fills the form in by itself, and is saved
    page.locator("#drafts-waiting a").click()
    page.wait_for_url(re.compile(r"/log$"))
    expect(page.locator("#log-restored-checked")).to_be_hidden()
    expect(page.locator("#notes")).to_have_value(SECOND_NOTES)
    page.locator("#log-form button[type=submit]").click()
    expect(page.locator("#log-restored")).to_be_hidden()
    stored = _wait_for_stored(page, child_id, 2)
    assert sorted(e["episode"]["count"] for e in stored) == [5, 8]
    assert _drafts(page) == []
    assert problems == []
    context.close()


def test_typed_without_an_account_is_saved_once_a_child_is_added_spanish(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
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
    expect(page.locator("#drafts-waiting a")).to_have_text(_waiting("es", 3))
    assert _on_first_screen(page.locator("#drafts-waiting"))
    page.goto("/log")
    expect(page.locator("#no-child-here")).to_be_hidden()
    expect(page.locator("#log-restored")).to_be_visible()
    # dated as the pages date a time, in their language
    expect(page.locator("#log-restored-when")).to_contain_text("mar 02 ene 2024, 09:30")
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
