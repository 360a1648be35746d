"""What a mother met on her phone (390x844), in a real browser (Debian's Chromium) against
the real server, in English and Spanish.

- She described a pattern of days in her own words on the quick check and kept it at
  sign-up: the form says that the time is not from her words but the time now, and the page
  that keeps the check asks when the episode happened, filled in with the check's time. Set
  to another time, the episode is stored at it; "I do not know" stores it without a time
  (the child form says which, before anything is stored).
- Saving an episode from the form, the child's page says so under the child's name, once,
  with the focus on it for a screen reader.
- Signed in, her home screen (the children list, where "/" leads) has the landing page's
  emergency call on its first screen, and says "Doctor: today", not a bare "Today".

Screenshots go to ``tests/artifacts/phone-mother/`` (ignored by git), to be looked at.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.i18n import translations
from web.test_browser import (  # noqa: F401 (the server, chromium and shots fixtures)
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    server,
    shots,
    sign_up_with_a_child,
)
from web.test_browser_parent_without_account import _on_first_screen, _phone

SHOTS = REPO_ROOT / "tests" / "artifacts" / "phone-mother"
WORDS = {
    "en": "for a few days now, when she wakes up, her head drops several times in a row",
    "es": "desde hace unos días, cuando se despierta, deja caer la cabeza varias veces seguidas",
}
NO_TIME_IN_WORDS = (
    "Your words do not say when it happened: the time in the form is the time now. Change "
    "it, or empty it if you do not know."
)
DO_NOT_KNOW = "I do not know when it happened: keep it without a time"


def _episodes(page: Any, child_page: str) -> list[dict[str, Any]]:
    return [e["episode"] for e in page.request.get(f"/api/v1{child_page}/episodes").json()]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_kept_check_is_stored_at_the_time_she_confirms(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
    lang: str,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    said = translations(lang).gettext
    context, page, problems = _phone(chromium, server, lang)
    page.goto("/check")
    page.locator("details.words summary").click()
    page.locator("#words").fill(WORDS[lang])
    with page.expect_navigation():
        page.locator("details.words button[type=submit]").click()
    # her words gave the movement and when (on waking), not the time: the form says so
    expect(page.locator("input[name=movements][value=head_nod]")).to_be_checked()
    expect(page.locator("#words-no-time")).to_have_text(said(NO_TIME_IN_WORDS))
    filled = page.locator("form[action='/check'] #started_at").input_value()
    assert filled, "the time now, from the phone"
    page.screenshot(path=str(shots / f"01-words-filled-{lang}.png"))
    page.locator("#age_months").fill("6")
    with page.expect_navigation():
        page.locator("form[action='/check'] button[type=submit]").click()
    expect(page.locator("#triage")).to_be_visible()

    # The page that keeps it asks when the episode happened, with the check's time.
    kept_time = page.locator("#kept-time")
    kept_time.scroll_into_view_if_needed()
    expect(kept_time.locator("label[for=started_at]")).to_have_text(
        said("When did this episode happen?")
    )
    field = kept_time.locator("#started_at")
    expect(field).to_have_value(filled)
    expect(kept_time.locator("#started_at-hint")).to_contain_text(
        said(
            "This is the time given in the check. The diary keeps the episode at this time, "
            "and the doctor sees it there: change it if the movements happened at another time."
        )
    )
    keep = page.locator("form[action='/check/keep'] button[type=submit]").last
    expect(keep).to_have_text(said("Keep it: sign up"))
    page.screenshot(path=str(shots / f"02-keep-asks-the-time-{lang}.png"))
    yesterday = datetime.now() - timedelta(days=1)
    happened = yesterday.replace(hour=7, minute=5, second=0, microsecond=0)
    if lang == "en":  # she changes it to when it happened
        field.fill(happened.strftime("%Y-%m-%dT%H:%M"))
    else:  # she does not know: the time is set aside
        kept_time.get_by_label(said(DO_NOT_KNOW)).check()
        expect(field).to_be_disabled()
    page.screenshot(path=str(shots / f"03-time-confirmed-{lang}.png"))
    keep.click()

    page.wait_for_url(re.compile(r"/signup$"))
    page.locator("#display_name").fill("Ana")
    page.locator("#email").fill(f"kept-time-{lang}@example.org")
    page.locator("#password").fill("a long enough password")
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/children/new$"))
    notice = page.locator("#kept-for-child")
    if lang == "en":
        expect(notice).to_contain_text(
            "Your check will be saved as this child's first episode, at the time you gave:"
        )
        expect(notice).to_contain_text("07:05")
    else:
        expect(notice).to_have_text(
            said(
                "Your check will be saved as this child's first episode, without a time: "
                "you can add it on the child's page."
            )
        )
    assert _on_first_screen(notice)
    page.screenshot(path=str(shots / f"04-child-form-says-the-time-{lang}.png"))
    page.locator("#name").fill("Lucía")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/children/\d+(#child-name)?$"))
    child_page = "/children/" + re.findall(r"/children/(\d+)", page.url)[0]
    expect(page.locator("#kept-check")).to_be_visible()
    (episode,) = _episodes(page, child_page)
    assert episode["movements"] == ["head_nod"] and episode["state"] == "just_woke"
    if lang == "en":
        assert episode["started_at"] == happened.isoformat()
    else:
        assert "started_at" not in episode  # never the time the check was filled in
        expect(page.locator("main")).to_contain_text(said("Add the time"))
    page.screenshot(path=str(shots / f"05-child-page-{lang}.png"))
    assert problems == []
    context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_saved_episode_is_said_and_the_home_screen_has_the_call(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
    lang: str,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    said = translations(lang).gettext
    context, page, problems = _phone(chromium, server, lang)
    child_page = sign_up_with_a_child(page, f"saved-{lang}@example.org", "Lucía")
    page.goto(f"{child_page}/episodes/new")
    page.locator("input[name=movements][value=head_nod]").check()
    page.locator("input[name=movements][value=arms_up]").check()
    page.locator("input[name=state][value=just_woke]").check()
    page.locator("#count").fill("10")
    page.locator("form[data-warning] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/children/\d+#child-name$"))

    # Said under the name, on the first screen, and read out: the focus is on it.
    notice = page.locator("#episode-saved")
    expect(notice).to_have_text(said("Episode saved in %(name)s's diary.") % {"name": "Lucía"})
    expect(notice).to_have_attribute("role", "status")
    expect(notice).to_be_focused()
    expect(page.locator("h1#child-name")).to_be_in_viewport()
    assert _on_first_screen(notice)
    page.screenshot(path=str(shots / f"06-episode-saved-{lang}.png"))
    page.reload()
    expect(page.locator("h1#child-name")).to_be_visible()
    expect(page.locator("#episode-saved")).to_have_count(0)  # once

    # Her home screen: "/" leads to the children list, with the call on its first screen.
    page.goto("/")
    page.wait_for_url(re.compile(r"/children$"))
    call = page.locator(".emergency-box .button.call")
    expect(call).to_have_attribute("href", "tel:112")
    assert _on_first_screen(call)
    badge = page.locator(".row .badge")
    expect(badge).to_have_text(said("Doctor: today"))
    expect(badge).to_have_class(re.compile(r"\blevel-same_day\b"))
    box = badge.bounding_box()
    line = float(badge.evaluate("b => parseFloat(getComputedStyle(b).lineHeight)"))
    assert box is not None and box["height"] < 1.5 * line + 10  # one line on the phone
    assert box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _on_first_screen(badge)
    page.screenshot(path=str(shots / f"07-children-home-{lang}.png"))
    assert problems == []
    context.close()
