"""The parent's first five minutes, in a real browser (Debian's Chromium) at phone size
(390x844), against the real server: the landing page, the anonymous check of "a cluster of
nods on waking" in at most 6 taps, a warning sign alone (the emergency answer shows as soon
as it is ticked, before anything is sent), and keeping the check by signing up.

Screenshots go to ``tests/artifacts/public/`` (ignored by git), to be looked at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from web.test_browser import (  # noqa: F401 (the server and chromium fixtures)
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    phone_page,
    server,
    shots,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "public"


def _phone(chromium: Any, server: str) -> tuple[Any, Any, list[str]]:  # noqa: F811
    context, page, problems = phone_page(chromium, server)
    page.on(
        "console",
        lambda m: problems.append(m.text) if m.type == "error" else None,
    )
    return context, page, problems


def _in_view(page: Any, locator: Any) -> bool:
    """The element is within the first screen, without scrolling."""
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_landing_and_a_cluster_of_nods_in_six_taps(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server)
    page.goto("/")
    call = page.get_by_role("link", name=re.compile(r"Call 112"))
    expect(call).to_have_attribute("href", "tel:112")
    assert _in_view(page, call), "the emergency call must be on the first screen"
    check = page.get_by_role("link", name="Check a movement now").first
    page.screenshot(path=str(shots / "01-landing-phone.png"), full_page=True)
    assert _in_view(page, check)

    taps: list[str] = []

    def tap(what: str, action: Callable[[], Any]) -> None:
        taps.append(what)
        action()

    tap("check", check.click)
    page.wait_for_url(re.compile(r"/check$"))
    tap("age", lambda: page.get_by_label("Baby's age in months").fill("6"))
    tap("nods", lambda: page.get_by_label("head drops or bobs forward").check())
    tap("on waking", lambda: page.get_by_label("just woke up").check())
    tap("how many", lambda: page.get_by_label("How many in a row?").fill("8"))
    page.screenshot(path=str(shots / "02-check-filled-phone.png"), full_page=True)
    # The answer comes back on the same address: wait for the new page itself.
    with page.expect_navigation():
        tap("send", lambda: page.get_by_role("button", name="See the advice").click())
    assert len(taps) <= 6
    triage = page.locator("#triage")
    expect(triage).to_have_class(re.compile(r"level-same_day"))
    expect(
        page.get_by_role("heading", name=re.compile("Possible infantile spasms"))
    ).to_be_visible()
    assert _in_view(page, page.locator("#triage .level-word"))
    expect(page.get_by_role("button", name="Keep it: sign up")).to_be_visible()
    page.screenshot(path=str(shots / "03-check-answer-phone.png"), full_page=True)

    # Keep it: sign up, add the child, and the check is the first episode.
    page.get_by_role("button", name="Keep it: sign up").click()
    page.wait_for_url(re.compile(r"/signup$"))
    page.get_by_label("Your name").fill("Sam Parent")
    page.get_by_label("Email").fill("sam.check@example.org")
    page.get_by_label("Password (at least 10 characters)").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/children/new$"))
    expect(page.get_by_text("first episode")).to_be_visible()
    expect(page.get_by_label("or age in months")).to_have_value("6")
    page.get_by_label("Name or nickname").fill("Robin")
    page.get_by_role("button", name=re.compile("Add|Save")).click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    expect(page.locator("#triage")).to_have_class(re.compile(r"level-same_day"))
    expect(page.locator("ol.timeline li")).to_have_count(1)
    log = page.get_by_role("link", name="Log an episode")
    assert _in_view(page, log), "'Log an episode' must be reachable without scrolling"
    page.screenshot(path=str(shots / "04-kept-as-first-episode-phone.png"))
    assert problems == []
    context.close()


def test_a_warning_sign_alone_shows_the_emergency_answer_at_once(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server)
    page.goto("/check")
    panel = page.locator("#warning-now")
    expect(panel).to_be_hidden()
    # The warning signs are the first questions on the page.
    first = page.get_by_label("turned blue or grey")
    assert _in_view(page, first)
    first.check()
    expect(panel).to_be_visible()
    expect(panel.get_by_role("link", name="Call 112")).to_have_attribute("href", "tel:112")
    assert _in_view(page, panel)
    page.screenshot(path=str(shots / "05-red-flag-ticked-phone.png"))
    first.uncheck()
    expect(panel).to_be_hidden()
    page.get_by_label("a seizure that went on for 5 minutes or more").check()
    expect(panel).to_be_visible()
    page.get_by_label("a seizure that went on for 5 minutes or more").uncheck()

    # Sent with nothing else but the age: the emergency answer, first on the page.
    first.check()
    page.get_by_label("Baby's age in months").fill("7")
    # The ticked form's own warning panel says the same words: wait for the answer page,
    # then look at the answer's alert, not the form's.
    with page.expect_navigation():
        page.get_by_role("button", name="See the advice").click()
    alert = page.locator("#triage .emergency-now")
    expect(alert).to_contain_text("Call emergency services now")
    assert _in_view(page, alert)
    expect(page.locator("#triage")).to_have_class(re.compile(r"level-emergency"))
    page.screenshot(path=str(shots / "06-red-flag-answer-phone.png"), full_page=True)
    assert problems == []
    context.close()


def test_the_guide_on_a_phone(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server)
    page.goto("/guide")
    expect(
        page.get_by_role("heading", name=re.compile("What infantile spasms look like"))
    ).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the guide must not scroll sideways on a phone"
    page.screenshot(path=str(shots / "07-guide-phone.png"))
    assert problems == []
    context.close()


def test_happening_now_writes_its_seconds_in_the_pages_language(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server)
    context.add_cookies([{"name": "sw_lang", "value": "es", "url": server}])
    page.clock.install(time=datetime(2026, 11, 21, 6, 59))
    page.goto("/now")
    page.clock.pause_at(datetime(2026, 11, 21, 7, 0))
    page.get_by_role("button", name="Iniciar el cronómetro").click()
    tap = page.get_by_role("button", name="Toque con cada movimiento")
    for _ in range(3):
        tap.click()
        page.clock.run_for(4500)
    expect(page.locator("#now-every")).to_contain_text("4,5 s")
    assert problems == []
    context.close()


def test_happening_now_counts_taps_and_calls_at_5_minutes(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server)
    # A fake clock, paused: time moves only when the test moves it.
    page.clock.install(time=datetime(2026, 11, 21, 6, 59))
    page.goto("/now")
    page.clock.pause_at(datetime(2026, 11, 21, 7, 0))
    page.get_by_role("button", name="Start the timer").click()
    expect(page.get_by_text("If you can, film it now")).to_be_visible()
    tap = page.get_by_role("button", name="Tap for each movement")
    assert _in_view(page, tap)
    for _ in range(4):
        tap.click()
        page.clock.run_for(5000)
    expect(page.locator("#now-count")).to_have_text("4")
    expect(page.locator("#now-every")).to_have_text(", one every 5.0 s")
    expect(page.locator("#now-clock")).to_have_text("0:20")
    page.screenshot(path=str(shots / "08-now-tapping-phone.png"))
    # A cluster of taps is no emergency by itself: no call after 5 minutes without the box.
    page.clock.run_for(5 * 60 * 1000)
    expect(page.locator("#now-call")).to_be_hidden()
    page.get_by_role("button", name="It stopped").click()
    expect(page.locator("#now-summary")).to_contain_text("4 movements, one every 5.0 s")
    page.get_by_role("link", name="Check it now").click()
    page.wait_for_url(re.compile(r"/check\?"))
    expect(page.get_by_label("How many in a row?")).to_have_value("4")
    # the page's numbers: 5, not the link's "5.0"
    expect(page.get_by_label("Seconds between them")).to_have_value("5")
    page.screenshot(path=str(shots / "09-now-to-check-phone.png"))

    # A seizure that does not stop: the call to make appears at 5 minutes, not before.
    page.goto("/now")
    page.clock.pause_at(datetime(2026, 11, 21, 8, 0))
    page.get_by_role("button", name="Start the timer").click()
    page.get_by_label("It does not stop: shaking or stiffness that goes on").check()
    page.clock.run_for(4 * 60 * 1000 + 59 * 1000)
    expect(page.locator("#now-call")).to_be_hidden()
    page.clock.run_for(2000)
    call = page.locator("#now-call")
    expect(call).to_be_visible()
    expect(call.get_by_role("link", name="Call 112")).to_have_attribute("href", "tel:112")
    assert _in_view(page, call.get_by_role("link", name="Call 112"))
    page.screenshot(path=str(shots / "10-now-five-minutes-phone.png"))
    page.get_by_role("button", name="It stopped").click()
    page.get_by_role("link", name="Check it now").click()
    page.wait_for_url(re.compile(r"/check\?"))
    expect(page.get_by_label("a seizure that went on for 5 minutes or more")).to_be_checked()
    expect(page.locator("#warning-now")).to_be_visible()
    # What was seen comes with it: "shaking or stiffness that goes on", for the parent to
    # untick the one not seen.
    expect(page.get_by_label("repeated shaking of limbs or body")).to_be_checked()
    expect(page.get_by_label("whole body stiff for seconds or more")).to_be_checked()
    expect(page.locator("#from-now")).to_contain_text("untick the one you did not see")
    assert problems == []
    context.close()


def test_a_seizure_now_checked_with_a_diary_that_holds_earlier_ones(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    """Signed in, a child whose diary holds two seizure-like episodes: happening-now mode,
    "it does not stop", "It stopped", "Check it now (without saving)": the form comes
    filled in, for that child, and the answer reads the diary (a seizure now, not a first
    one), with no "Sign up"."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server)
    page.goto("/signup")
    page.get_by_label("Your name").fill("Ana Parent")
    page.get_by_label("Email").fill("ana.now@example.org")
    page.get_by_label("Password (at least 10 characters)").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/children/new$"))
    page.get_by_label("Name or nickname").fill("Lucia")
    page.get_by_label("or age in months").fill("7")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    child = page.url.rsplit("/", 1)[1]
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    real_now = datetime.now().replace(microsecond=0)
    for ago in (timedelta(days=7), timedelta(hours=5)):
        logged = context.request.post(
            f"/api/v1/children/{child}/episodes",
            headers={"X-CSRF-Token": token or ""},
            data={
                "movements": ["rhythmic_jerking"],
                "episode_minutes": 2,
                "started_at": (real_now - ago).isoformat(),
            },
        )
        assert logged.status == 201, logged.text()

    # The timer starts a minute before the real time: its start is "just now" to the server.
    page.clock.install(time=real_now - timedelta(minutes=2))
    page.goto("/now")
    page.clock.pause_at(real_now - timedelta(minutes=1))
    page.get_by_role("button", name="Start the timer").click()
    page.get_by_label("It does not stop: shaking or stiffness that goes on").check()
    page.clock.run_for(50 * 1000)
    page.get_by_role("button", name="It stopped").click()
    page.get_by_role("link", name="Check it now (without saving)").click()
    page.wait_for_url(re.compile(r"/check\?"))
    expect(page.get_by_label("Lucia, with the diary")).to_be_checked()
    expect(page.get_by_label("Baby's age in months")).to_be_hidden()
    expect(page.get_by_label("repeated shaking of limbs or body")).to_be_checked()
    expect(page.get_by_label("whole body stiff for seconds or more")).to_be_checked()
    page.screenshot(path=str(shots / "11-now-to-check-with-diary-phone.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="See the advice").click()
    expect(page.locator("#triage")).to_have_class(re.compile(r"level-emergency"))
    expect(page.locator("#checked-how")).to_have_text(
        "Checked with the 2 episodes already in Lucia's diary."
    )
    reasons = page.locator("#triage .reasons")
    # the rules behind the answer (their ids are for the doctor: not said on the page)
    expect(reasons.locator('li[data-rule="seizure-now"]')).to_have_count(1)
    expect(reasons.locator('li[data-rule="seizure-more-than-once"]')).to_have_count(1)
    expect(reasons).not_to_contain_text("seizure-now")
    expect(page.locator("main")).not_to_contain_text("This looks like a first seizure")
    expect(page.locator("main")).not_to_contain_text("Sign up")
    expect(page.get_by_role("button", name="Keep it in Lucia's diary")).to_be_visible()
    page.screenshot(path=str(shots / "12-check-with-diary-answer-phone.png"), full_page=True)
    assert problems == []
    context.close()
