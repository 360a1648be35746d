"""The doctor's side in a real browser (Debian's Chromium) at phone size (390x844), against
the real server: the share panel on 127.0.0.1 (only the computer that runs spasmwatch opens
it, in plain words; the copy button) and at a network name (the QR code), and a recording
added to the child that plays in the page, on the share link too, its detected event times
moving the player.

Chromium resolves ``clinic.test`` to 127.0.0.1 (``--host-resolver-rules``), so the same
server is also reached at an address that is not a loopback one, as a phone on the home
network would reach it. Screenshots go to ``tests/artifacts/recordings/`` (ignored by git),
to be looked at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from web.test_browser import (  # noqa: F401 (the server fixture)
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    _unavailable,
    server,
    shots,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "recordings"
DESKTOP = {"width": 1280, "height": 800}
NETWORK_NAME = "clinic.test"
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium, with ``clinic.test`` resolving to this machine."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as error:
        _unavailable(f"Playwright is not installed: {error}")
    with sync_playwright() as p:
        try:
            launched = p.chromium.launch(
                executable_path=CHROMIUM,
                args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {NETWORK_NAME} 127.0.0.1"],
                headless=True,
            )
        except Error as error:
            _unavailable(f"Chromium cannot start: {error}")
        try:
            yield launched
        finally:
            launched.close()


def _phone(browser: Any, base_url: str) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport=PHONE, base_url=base_url, is_mobile=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    return context, page, problems


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _playing_near(page: Any, video: str, at_s: float) -> None:
    """The video plays from about ``at_s``."""
    page.wait_for_function(
        """([id, at]) => {
            const v = document.getElementById(id);
            return v && !v.paused && v.currentTime >= at - 0.05 && v.currentTime < at + 3;
        }""",
        arg=[video, at_s],
    )


def test_share_panel_and_a_recording_played_at_its_events(
    server: str,  # noqa: F811
    browser: Any,
    shots: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    from report.diary import cluster_video

    expect.set_options(timeout=TIMEOUT_MS)
    video = cluster_video(tmp_path / "morning-cluster.mp4")
    context, page, problems = _phone(browser, server)
    context.grant_permissions(["clipboard-read", "clipboard-write"])

    page.goto("/signup")
    page.get_by_label("Your name").fill("Alex Parent")
    page.get_by_label("Email").fill("alex@example.org")
    page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/children/new$"))
    page.get_by_label("Name or nickname").fill("Noa")
    page.get_by_label("or age in months").fill("5")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    child_path = "/children/" + page.url.rsplit("/", 1)[1]

    # A recording on the child: no episode is made, the advice stays "nothing logged".
    recordings = page.locator("section#recordings")
    expect(recordings.get_by_role("heading", name="Recordings")).to_be_visible()
    picker = recordings.get_by_label("Video or EEG file")
    assert picker.get_attribute("capture") is None
    picker.set_input_files(str(video))
    expect(recordings.get_by_label("Belongs to an episode (optional)")).to_have_value("")
    _shot(page, "01-recording-chosen-phone")
    recordings.get_by_role("button", name="Add the recording").click()
    page.wait_for_url(re.compile(r"/children/\d+#recordings$"))
    expect(page.get_by_text("No episode logged yet.")).to_be_visible()
    item = page.locator("section#recordings .recording").first
    expect(item.get_by_role("link", name="morning-cluster.mp4")).to_be_visible()
    expect(item.locator(".analysis")).to_contain_text("Video analysis", timeout=90_000)

    # The video plays in the page; an event's time plays it from a second before.
    player = item.locator("video")
    video_id = player.get_attribute("id") or ""
    page.wait_for_function(
        "id => document.getElementById(id).readyState >= 1", arg=video_id, timeout=TIMEOUT_MS
    )
    duration = page.evaluate("id => document.getElementById(id).duration", video_id)
    assert 19 < duration < 21, duration
    times = item.locator("button.seek")
    assert times.count() >= 3
    second = times.nth(1)
    at = float(second.get_attribute("data-t") or "nan")
    second.click()
    _playing_near(page, video_id, max(0.0, at - 1))
    page.evaluate("id => document.getElementById(id).pause()", video_id)
    clip = item.get_by_role("link", name="clip").first
    expect(clip).to_be_visible()
    answer = context.request.get(clip.get_attribute("href") or "")
    assert answer.ok and answer.headers["content-type"] == "video/mp4"
    item.scroll_into_view_if_needed()
    _shot(page, "02-recording-playing-at-an-event-phone")
    # On a phone the analysis images take the column's width, so their labels can be read.
    column = item.bounding_box()
    thumbs = item.locator(".thumbs img")
    assert thumbs.count() >= 1 and column is not None
    for k in range(thumbs.count()):
        box = thumbs.nth(k).bounding_box()
        assert box is not None and box["width"] >= 0.85 * column["width"], (box, column)

    # A link made on 127.0.0.1 says it opens only on the computer that runs spasmwatch,
    # and is copied.
    page.goto(child_path)
    page.get_by_label("For", exact=True).fill("Dr Lee, neurology")
    page.get_by_role("button", name="Make a link").click()
    panel = page.locator("section#sharing")
    expect(
        panel.get_by_text("This link opens only on the computer that runs spasmwatch.")
    ).to_be_visible()
    expect(panel.get_by_text("What you can do now:")).to_be_visible()
    # The set-up steps are for whoever runs the app: closed until asked for.
    setup = panel.locator("details.setup-help")
    expect(setup.get_by_text("spasmwatch serve --host 0.0.0.0")).to_be_hidden()
    setup.locator("summary").click()
    expect(setup.get_by_text("spasmwatch serve --host 0.0.0.0")).to_be_visible()
    expect(setup).to_contain_text("SPASMWATCH_PUBLIC_URL")
    expect(panel.locator("svg.qr")).to_have_count(0)
    link = (panel.locator("code#share-url").text_content() or "").strip()
    assert link.startswith(server + "/s/")
    panel.get_by_role("button", name="Copy the link").click()
    expect(panel.locator(".copy-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == link
    listed = panel.locator("ul.list li").first
    expect(listed).to_contain_text("Dr Lee, neurology")
    expect(listed).to_contain_text("valid until")
    panel.scroll_into_view_if_needed()
    _shot(page, "03-share-link-this-computer-only-phone")

    # The same app reached at a network name (a phone on the home network): a QR code.
    network = server.replace("127.0.0.1", NETWORK_NAME)
    phone, on_phone, phone_problems = _phone(browser, network)
    on_phone.goto("/signin")
    on_phone.get_by_label("Email").fill("alex@example.org")
    on_phone.get_by_label("Password").fill(PASSWORD)
    on_phone.get_by_role("button", name="Sign in").click()
    on_phone.goto(child_path)
    on_phone.get_by_role("button", name="Make a link").click()
    network_panel = on_phone.locator("section#sharing")
    qr = network_panel.locator("svg.qr")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box and box["width"] >= 150 and box["x"] + box["width"] <= PHONE["width"]
    expect(network_panel.get_by_text("opens only on the computer that runs")).to_have_count(0)
    network_link = (network_panel.locator("code#share-url").text_content() or "").strip()
    assert network_link.startswith(f"{network}/s/")
    # The QR code, as the browser draws it, reads as the link (OpenCV's QR decoder).
    import cv2

    qr.screenshot(path=str(SHOTS / "qr-code.png"))
    # with white around it, as on the page (OpenCV's detector misses some codes cut
    # tight to their own 4-module quiet zone, depending on the link's random token)
    shot = cv2.copyMakeBorder(
        cv2.imread(str(SHOTS / "qr-code.png")),
        40,
        40,
        40,
        40,
        cv2.BORDER_CONSTANT,
        value=(255,) * 3,
    )
    read, _points, _ = cv2.QRCodeDetector().detectAndDecode(shot)
    assert read == network_link
    network_panel.scroll_into_view_if_needed()
    _shot(on_phone, "04-share-link-qr-phone")

    # The doctor opens the link (no cookies): the recording plays there too.
    doctor, shared, doctor_problems = _phone(browser, network)
    shared.goto(network_link)
    expect(shared.get_by_text("Read-only view shared by the family")).to_be_visible()
    expect(shared.get_by_role("heading", name=re.compile("^Summary"))).to_be_visible()
    expect(shared.get_by_role("link", name="Sign in")).to_have_count(0)
    shared_item = shared.locator("section#videos .recording").first
    expect(shared_item.locator("form")).to_have_count(0)
    shared_video = shared_item.locator("video").get_attribute("id") or ""
    shared_times = shared_item.locator("button.seek")
    last = shared_times.nth(shared_times.count() - 1)
    last_at = float(last.get_attribute("data-t") or "nan")
    last.click()
    _playing_near(shared, shared_video, max(0.0, last_at - 1))
    shared.evaluate("id => document.getElementById(id).pause()", shared_video)
    shared_item.scroll_into_view_if_needed()
    _shot(shared, "05-shared-recording-playing-phone")

    # The clinician view on a desktop: the summary, the reasoning, the recordings side by
    # side with the episode table; printed, no form or player is left.
    desk = browser.new_context(viewport=DESKTOP, base_url=network)
    desk_page = desk.new_page()
    desk_page.goto(network_link)
    expect(desk_page.get_by_role("heading", name="Triage by the rules")).to_be_visible()
    expect(desk_page.locator("section.reasoning")).to_contain_text("rules version")
    expect(desk_page.locator("section#videos .recording")).to_have_count(1)
    _shot(desk_page, "06-clinician-view-desktop")
    desk_page.emulate_media(media="print")
    expect(desk_page.locator("form.period-form")).to_be_hidden()
    expect(desk_page.locator("section#videos video")).to_be_hidden()
    # The report as a web page reads on a phone: nothing wider than the screen.
    shared.goto(network_link + "/report.html")
    width = shared.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width
    _shot(shared, "07-report-web-page-phone")
    desk_page.emulate_media(media="screen")
    desk_page.goto(network_link + "/report.html")
    assert desk_page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    _shot(desk_page, "08-report-web-page-desktop")
    # The family's side at desktop size: the recording plays in the child page.
    desk_page.goto("/signin")
    desk_page.get_by_label("Email").fill("alex@example.org")
    desk_page.get_by_label("Password").fill(PASSWORD)
    desk_page.get_by_role("button", name="Sign in").click()
    desk_page.goto(child_path)
    family_item = desk_page.locator("section#recordings .recording").first
    expect(family_item.locator("video")).to_be_visible()
    expect(desk_page.get_by_text("Another period, or the doctor package")).to_be_visible()
    _shot(desk_page, "09-child-page-desktop")
    desk.close()

    assert problems == [] and phone_problems == [] and doctor_problems == []
    for c in (doctor, phone, context):
        c.close()
