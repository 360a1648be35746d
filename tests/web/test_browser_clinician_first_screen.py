"""What a doctor reads first at a share link, in a real browser (Debian's Chromium): on the
first screen of a desktop (1280x800) and of a phone (390x844), in English and Spanish, the
triage level with its headline, and the line of each video and EEG as the report's first
page says them, before any scrolling.

The family logged a cluster, filmed it in a dark room (``dark.mp4``) and brought a real
infant's EEG (``demo.edf``). Screenshots go to ``tests/artifacts/clinician-first-screen/``
(ignored by git), to be looked at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from report.recordings import dark_video
from spasmwatch.i18n import translations
from web.test_browser import (  # noqa: F401 (the server and chromium fixtures)
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    server,
    shots,
    sign_up_with_a_child,
    speaking,
)
from web.test_eeg_statement import DEMO
from web.webworld import SPASM_EPISODE

SHOTS = REPO_ROOT / "tests" / "artifacts" / "clinician-first-screen"
#: A laptop's screen, the size the clinician's check was made at.
LAPTOP = {"width": 1280, "height": 800}
SCREENS = {"desktop": LAPTOP, "phone": PHONE}
BROWSER = {"en": "en-GB", "es": "es-ES"}


@pytest.fixture(scope="module")
def shared_link(server: str, chromium: Any, tmp_path_factory: pytest.TempPathFactory) -> str:  # noqa: F811
    """A family's cluster, its dark video and an EEG, shared: the link's path."""
    context = chromium.new_context(viewport=PHONE, base_url=server)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    child = sign_up_with_a_child(page, "sam.first-screen@example.org", "Noa").rsplit("/", 1)[1]
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
    headers = {"X-CSRF-Token": csrf}
    answer = page.request.post(
        f"/api/v1/children/{child}/episodes", data=SPASM_EPISODE, headers=headers
    )
    assert answer.status == 201, answer.text()
    video = dark_video(tmp_path_factory.mktemp("first-screen"))
    for path, kind in ((video, "video/mp4"), (DEMO, "application/octet-stream")):
        answer = page.request.post(
            f"/api/v1/children/{child}/attachments",
            multipart={"file": {"name": path.name, "mimeType": kind, "buffer": path.read_bytes()}},
            headers=headers,
        )
        assert answer.status == 201, answer.text()
    page.goto(f"/children/{child}")
    page.locator("#sharing form button[type=submit]").click()
    link = page.locator("#share-url").inner_text()
    context.close()
    return link.split(server, 1)[1]


def _analysed(page: Any) -> None:
    """Open the page again until both analyses are done (the worker runs them)."""
    for _ in range(120):
        if page.locator(".analysis[hx-get]").count() == 0 and page.locator(".eeg-line").count():
            return
        page.wait_for_timeout(1000)
        page.reload()
    pytest.fail("the analyses did not finish within 2 minutes")


@pytest.mark.parametrize("screen", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_level_and_the_findings_are_on_the_first_screen(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shared_link: str,
    shots: Path,  # noqa: F811
    lang: str,
    screen: str,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    viewport = SCREENS[screen]
    context = chromium.new_context(
        viewport=viewport, base_url=server, is_mobile=screen == "phone", **speaking(BROWSER[lang])
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(shared_link)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    _analysed(page)
    page.screenshot(path=str(shots / f"{screen}-{lang}.png"))
    _ = translations(lang).gettext
    glance = page.locator("section.glance")
    video = glance.locator(".video-line")
    eeg = glance.locator(".eeg-line")
    expect(video).to_have_count(1)
    expect(eeg).to_have_count(1)
    assert video.inner_text().startswith("dark.mp4: 0 ")
    assert f"({_('too dark')})" in video.inner_text()
    assert eeg.inner_text().startswith("demo.edf: ") and eeg.inner_text().endswith("391 s")
    assert f"{_('unlikely')} (" in eeg.inner_text()
    badge = glance.locator(".glance-level .badge")
    headline = glance.locator(".glance-level strong")
    reasoning = page.locator("section.reasoning .badge").first
    assert badge.inner_text() == reasoning.inner_text() and headline.inner_text()
    # all of it on the first screen, nothing scrolled
    assert page.evaluate("window.scrollY") == 0
    for name, part in (("level", headline), ("video", video), ("EEG", eeg)):
        box = part.bounding_box()
        assert box is not None, name
        bottom = box["y"] + box["height"]
        assert bottom <= viewport["height"], (
            f"the {name} line ends at y={bottom:.0f}, below the first screen "
            f"({viewport['width']}x{viewport['height']}, {lang})"
        )
    # never wider than the screen
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page is {width} px wide ({screen}, {lang})"
    context.close()
