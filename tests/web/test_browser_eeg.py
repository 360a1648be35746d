"""The EEG trace viewer in a real browser (Debian's Chromium) against the real server, at
phone size (390x844) and desktop size (1280x800): a real infant EEG (211 s, 19 referential
channels) is added to a child and analysed; the viewer opens from the recording, changes
page (button and arrow key), montage and gain, and jumps to a detected event; at phone
size the hypsarrhythmia assessment's reasons and the EEG's plots are found in Spanish
under the family's closed technical details; at desktop size the doctor, who sees the
plots at once, opens it through a share link.

Screenshots go to ``tests/artifacts/eeg/`` (ignored by git), to be looked at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from web.test_browser import (  # noqa: F401 (the server and chromium fixtures)
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    server,
    shots,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "eeg"
EEG = REPO_ROOT.parent / "shared" / "data" / "eeg" / "real_infant" / "eeg_burst_eg.edf"
DESKTOP = {"width": 1280, "height": 800}
PASSWORD = "a long enough password"


def _query(page: Any) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def _child_with_eeg(page: Any, email: str) -> str:
    """Sign up, add a child and its EEG, wait for the analysis; the child page's path."""
    from playwright.sync_api import expect

    page.goto("/signup")
    page.get_by_label("Your name").fill("Sam Parent")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/children/new$"))
    page.get_by_label("Name or nickname").fill("Noa")
    page.get_by_label("or age in months").fill("6")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    child_path = "/children/" + page.url.rsplit("/", 1)[1]
    recordings = page.locator("section#recordings")
    recordings.get_by_label("Video or EEG file").set_input_files(str(EEG))
    recordings.get_by_role("button", name="Add the recording").click()
    page.wait_for_url(re.compile(r"/children/\d+#recordings$"))
    item = page.locator("section#recordings .recording").first
    expect(item.locator(".analysis")).to_contain_text("EEG analysis", timeout=120_000)
    return child_path


def _label_and_range_fit(svg: Any, page: Any) -> None:
    """Each event's label is inside the drawing (none cut at its right edge), and the
    page's range with the recording's length ("0-10 s / 211 s", an en dash) is on one
    line."""
    drawing = svg.bounding_box()
    for label in svg.locator("text.event-label").all():
        box = label.bounding_box()
        assert drawing and box, (drawing, box)
        assert drawing["x"] <= box["x"], (drawing, box, label.text_content())
        assert box["x"] + box["width"] <= drawing["x"] + drawing["width"], (
            drawing,
            box,
            label.text_content(),
        )
    lines = page.locator(".eeg-where .eeg-range").evaluate(
        "e => new Set([...e.getClientRects()].map(r => Math.round(r.top))).size"
    )
    assert lines == 1, lines
    nav = page.locator(".eeg-nav").bounding_box()
    assert nav and nav["x"] + nav["width"] <= page.viewport_size["width"], nav


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_the_viewer_pages_montages_gains_and_events(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
    size: str,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    viewport = PHONE if size == "phone" else DESKTOP
    context = chromium.new_context(
        viewport=viewport, base_url=server, is_mobile=size == "phone", has_touch=size == "phone"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    child_path = _child_with_eeg(page, f"sam-{size}@example.org")
    page.locator("section#recordings").get_by_role("link", name="View the EEG traces").click()
    page.wait_for_url(re.compile(r"/attachments/\d+/eeg$"))
    # the drawing shown: the wide one, or at phone size the phone's (eeg.css)
    svg = page.locator(".eeg-scroll svg:visible")
    expect(svg).to_be_visible()
    expect(svg.locator("polyline")).to_have_count(18)  # the double banana
    expect(svg.locator("text.label").first).to_have_text("Fp1-F7")
    expect(page.locator(".eeg-where")).to_contain_text("0\u201310 s")
    # The sz events are 9-59 s and 166-182 s: the first overlaps the first page.
    expect(svg.locator("rect.event")).to_have_count(1)
    box = svg.bounding_box()
    assert box and box["width"] >= 340 and box["height"] > 250, box
    frame = page.locator(".eeg-scroll")
    if size == "phone":
        # The phone's drawing of the whole 10 s page fits the frame, not the first 4 s of it
        # with the rest to scroll to: the event at 9-10 s is in view; its channel names
        # are at least 10 px tall (not squeezed: as wide as they are tall, about).
        expect(svg).to_have_count(1)
        expect(page.locator(".eeg-narrow svg")).to_be_visible()
        assert frame.evaluate("e => e.scrollWidth <= e.clientWidth")
        inside, event = frame.bounding_box(), svg.locator("rect.event").bounding_box()
        assert inside and event and event["x"] + event["width"] <= inside["x"] + inside["width"]
        font_px = svg.locator("text.label").first.evaluate("e => e.getBoundingClientRect().height")
        assert font_px >= 10, font_px
    else:
        expect(page.locator(".eeg-wide svg")).to_be_visible()
        expect(page.locator(".eeg-narrow svg")).to_be_hidden()
    labels = svg.locator("text.label")
    first, second = labels.nth(0).bounding_box(), labels.nth(1).bounding_box()
    assert first and second and second["y"] - first["y"] >= first["height"], (first, second)
    _label_and_range_fit(svg, page)
    first_page = page.url
    page.screenshot(path=str(shots / f"01-first-page-{size}.png"), full_page=True)

    # Next page with the button, then with the arrow key, and back.
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(re.compile(r"[?&]t=10(&|$)"))
    expect(page.locator(".eeg-where")).to_contain_text("10\u201320 s")
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"[?&]t=20(&|$)"))
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(r"[?&]t=10(&|$)"))

    # Montage: as recorded (19 referential channels), then the gain.
    page.get_by_label("Montage").select_option("referential")
    page.wait_for_url(re.compile(r"montage=referential"))
    expect(svg.locator("polyline")).to_have_count(19)
    expect(svg.locator("text.label").first).to_have_text("Fp1")
    assert _query(page)["t"] == "10"
    page.get_by_label("Gain").select_option("20")
    page.wait_for_url(re.compile(r"gain=20(&|$)"))
    expect(svg).to_contain_text("20 µV/mm")
    expect(page.get_by_label("Gain")).to_have_value("20")
    page.get_by_label("Low-pass").select_option("35")
    page.wait_for_url(re.compile(r"lp=35(&|$)"))
    expect(page.locator(".eeg-figure figcaption")).to_contain_text("LP 35 Hz")
    page.screenshot(path=str(shots / f"02-referential-20uV-{size}.png"), full_page=True)

    # The event at 166 s: its link opens the page that holds it, the settings kept.
    events = page.locator("section.eeg-events li")
    expect(events).to_have_count(2)
    events.nth(1).get_by_role("link").click()
    page.wait_for_url(re.compile(r"[?&]t=164(&|$)"))
    query = _query(page)
    assert query["montage"] == "referential" and query["gain"] == "20" and query["lp"] == "35"
    expect(svg.locator("rect.event")).to_have_count(1)
    expect(events.nth(1)).to_have_attribute("aria-current", "true")
    expect(page.locator(".eeg-where")).to_contain_text("164\u2013174 s")
    page.screenshot(path=str(shots / f"03-event-166s-{size}.png"), full_page=True)
    if size == "phone":
        # The traces' frame stays inside the page.
        frame = page.locator(".eeg-scroll").bounding_box()
        assert frame and frame["x"] + frame["width"] <= PHONE["width"] + 1
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # The hypsarrhythmia assessment's reasons, in Spanish, on the child page, and the
        # EEG's plots, both for the doctor: closed until the family asks for them.
        context.add_cookies([{"name": "sw_lang", "value": "es", "url": server}])
        page.goto(child_path)
        why = page.locator("section#recordings .analysis details.eeg-technical")
        plot = why.locator(".wide-plot").first
        expect(plot).to_be_hidden()
        why.locator("summary").click()
        expect(why.locator("ul.reasons")).to_contain_text("s registrados")
        expect(why.locator("ul.reasons")).to_contain_text("puntuación tipo BASED")
        expect(why.locator("ul.reasons")).not_to_contain_text("BASED-like")
        # The EEG's plots (1210x330) keep a readable width in a frame that scrolls
        # sideways, with a hint, rather than shrinking to the phone's width.
        plot.scroll_into_view_if_needed()
        plot.locator("img").evaluate(  # loaded (lazily): a picture not loaded has no height
            "e => e.complete && e.naturalWidth ? 1"
            " : new Promise(done => e.addEventListener('load', () => done(1)))"
        )
        image = plot.locator("img").bounding_box()
        assert image and image["width"] >= 900, image
        widths = plot.locator(".plot-scroll").evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert widths[0] > widths[1] + 300, widths
        expect(plot.locator(".scroll-hint")).to_be_visible()
        expect(plot.locator(".scroll-hint")).to_contain_text("Deslice de lado")
        plot.screenshot(path=str(shots / "06-eeg-plot-phone.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        why.screenshot(path=str(shots / "05-reasons-es-phone.png"))
        # The viewer in Spanish: the event at the page's right edge keeps its whole label
        # ("posible crisis 0,85") and the range its one line, with the longer buttons.
        page.goto(first_page)
        expect(svg.locator("text.event-label")).to_have_text(re.compile(r"^posible crisis"))
        _label_and_range_fit(svg, page)
        page.screenshot(path=str(shots / "04-first-page-es-phone.png"), full_page=True)
    if size == "desktop":
        # The doctor, through a share link (no account): the same viewer, read-only.
        page.goto(child_path)
        page.get_by_label("For", exact=True).fill("Dr Lee, neurology")
        page.get_by_role("button", name="Make a link").click()
        link = (page.locator("code#share-url").text_content() or "").strip()
        doctor = chromium.new_context(viewport=DESKTOP)
        doctor.set_default_timeout(TIMEOUT_MS)
        shared = doctor.new_page()
        shared.on("pageerror", lambda e: problems.append(str(e)))
        shared.goto(link)
        expect(shared.locator(".analysis .wide-plot figcaption").first).to_be_visible()
        shared.get_by_role("link", name="View the EEG traces").first.click()
        shared.wait_for_url(re.compile(r"/s/[^/]+/attachments/\d+/eeg$"))
        expect(shared.locator(".eeg-scroll svg:visible polyline")).to_have_count(18)
        shared.locator("section.eeg-events li").nth(1).get_by_role("link").click()
        shared.wait_for_url(re.compile(r"[?&]t=164(&|$)"))
        expect(shared.locator("form[method=post]")).to_have_count(0)
        shared.screenshot(path=str(shots / "04-share-link-event-166s-desktop.png"), full_page=True)
        doctor.close()
    assert problems == []
    context.close()
