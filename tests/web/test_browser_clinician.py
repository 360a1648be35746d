"""The doctor's view at a share link in a real browser (Debian's Chromium) at phone size
(390x844), in English and Spanish, with three weeks of diary (34 episodes, one with a long
note) and a video of one of them: the page is never wider than the phone; the episode
table scrolls sideways inside its own box, said above it, its first column kept in view;
the charts fill the phone's width and are drawn for it; the video names its episode, a
link to its row, and the row links back to the video.

Screenshots go to ``tests/artifacts/clinician/`` (ignored by git), to be looked at.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from report.diary import diary
from web.test_browser import (  # noqa: F401 (the server and chromium fixtures)
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    _small_video,
    chromium,
    phone_page,
    server,
    shots,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "clinician"
BROWSER = {"en": "en-GB", "es": "es-ES"}
HINT = {
    "en": "The table is wider than the screen",
    "es": "La tabla es más ancha que la pantalla",
}
WITH_EPISODE = {"en": "With the episode of", "es": "Con el episodio del"}


@pytest.fixture(scope="module")
def shared_link(server: str, chromium: Any, tmp_path_factory: pytest.TempPathFactory) -> str:  # noqa: F811
    """A family's three weeks of diary and a video of its last cluster, shared: the path."""
    context = chromium.new_context(viewport=PHONE, base_url=server)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/signup")
    page.locator("#display_name").fill("Sam")
    page.locator("#email").fill("sam.clinician@example.org")
    page.locator("#password").fill("a long enough password")
    page.locator("form[action='/signup'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/children/new$"))
    page.locator("#name").fill("Amélie Example-Longname")
    page.locator("#age_months").fill("6")
    page.locator("form[action='/children/new'] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    child = page.url.rsplit("/", 1)[1]
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value") or ""
    headers = {"X-CSRF-Token": csrf}
    ids = []
    for episode in diary(datetime.now().replace(microsecond=0)):
        answer = page.request.post(
            f"/api/v1/children/{child}/episodes", data=episode, headers=headers
        )
        assert answer.status == 201, answer.text()
        ids.append((answer.json()["id"], episode))
    cluster = max(
        (i for i, e in ids if e.get("started_at") and e.get("count", 0) >= 5),
        key=lambda i: i,
    )
    video = _small_video(tmp_path_factory.mktemp("clinician") / "clip.mp4")
    answer = page.request.post(
        f"/api/v1/children/{child}/attachments",
        multipart={
            "file": {"name": video.name, "mimeType": "video/mp4", "buffer": video.read_bytes()},
            "episode_id": str(cluster),
        },
        headers=headers,
    )
    assert answer.status == 201, answer.text()
    page.goto(f"/children/{child}")
    page.locator("#days").select_option("7")
    page.locator("#sharing form button[type=submit]").click()
    link = page.locator("#share-url").inner_text()
    context.close()
    return link.split(server, 1)[1]


@pytest.mark.parametrize("locale", ["en", "es"])
def test_the_doctors_view_fits_a_phone(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shared_link: str,
    shots: Path,  # noqa: F811
    locale: str,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = phone_page(chromium, server, locale=BROWSER[locale])
    page.goto(shared_link)
    expect(page.locator("html")).to_have_attribute("lang", locale)
    # the video's analysis is shown once it is done (the page is opened again until then)
    for _ in range(60):
        if page.locator("section#videos .analysis[hx-get]").count() == 0:
            break
        page.wait_for_timeout(1000)
        page.reload()

    # never wider than the phone, whatever is on it
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the doctor's view ({locale}) is {width} px wide"

    # the table scrolls inside its own box, which says so; the first column stays in view
    box = page.locator(".table-scroll")
    expect(page.locator(".scroll-hint")).to_be_visible()
    expect(page.locator(".scroll-hint")).to_contain_text(HINT[locale])
    sizes = box.evaluate("b => [b.scrollWidth, b.clientWidth, b.getBoundingClientRect().right]")
    assert sizes[0] > sizes[1] and sizes[2] <= PHONE["width"], sizes
    first = page.locator("table.episodes tbody tr").first.locator("td").first
    before = first.bounding_box()
    box.evaluate("b => { b.scrollLeft = 200; }")
    after = first.bounding_box()
    assert before and after and abs(after["x"] - before["x"]) < 1  # sticky

    # the charts fill the phone's width and were drawn for a screen
    charts = page.locator(".charts img")
    assert charts.count() >= 3
    for i in range(charts.count()):
        natural, shown = charts.nth(i).evaluate("i => [i.naturalWidth, i.clientWidth]")
        assert natural == 630 and shown >= 0.85 * (PHONE["width"] - 40), (natural, shown)

    # the video names its episode and links to its row; the row links back
    recording = page.locator("section#videos .recording").first
    expect(recording.locator(".recording-episode")).to_contain_text(WITH_EPISODE[locale])
    row = recording.locator(".recording-episode a").get_attribute("href") or ""
    assert row.startswith("#episode-")
    back = page.locator(f"tr{row} a[href^='#recording-']")
    expect(back).to_have_count(1)
    back.click()
    expect(recording).to_be_in_viewport()

    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(shots / f"{locale}-clinician-phone.png"), full_page=True)
    assert problems == []
    context.close()
