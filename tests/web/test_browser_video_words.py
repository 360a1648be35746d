"""A video filmed in the dark, as a family reads its analysis on a phone (390x844) in a real
browser (Debian's Chromium) against the real server: what was found in a short paragraph,
no reassurance, then "What to do:" as a list that fits the screen. A screenshot goes to
``tests/artifacts/video-words/`` (ignored by git), to be looked at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from video.test_picture_limits import dark_video
from web.test_browser import (  # noqa: F401 (the server and chromium fixtures)
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    phone_page,
    server,
    shots,
    sign_up_with_a_child,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "video-words"


def test_a_dark_videos_words_on_a_phone(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = phone_page(chromium, server)
    sign_up_with_a_child(page, "dark@example.org")
    recordings = page.locator("section#recordings")
    recordings.get_by_label("Video or EEG file").set_input_files(
        str(dark_video(tmp_path / "night.mp4"))
    )
    recordings.get_by_role("button", name="Add the recording").click()
    analysis = page.locator("section#recordings .analysis").first
    expect(analysis).to_contain_text("Video analysis", timeout=90_000)

    found = analysis.locator("p.statement").first
    expect(found).to_have_text(
        "Video analysis: Nothing spasm-like could be seen in this picture (too dark): that is "
        "not reassurance, as a picture like this can hide spasms."
    )
    expect(analysis.locator("p.video-todo-head")).to_have_text("What to do:")
    todo = analysis.locator("ul.video-todo li")
    expect(todo.first).to_have_text(
        "The video is too dark to see small movements: turn on a light."
    )
    expect(todo.nth(1)).to_contain_text("Film the baby again: the whole baby in the picture")
    expect(analysis).not_to_contain_text("No spasm-like movement was detected")
    # every line of it within the phone's width: nothing to scroll sideways to read
    for k in range(todo.count()):
        box = todo.nth(k).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    box = found.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    analysis.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "dark-video-phone.png"), full_page=True)
    assert problems == []
    context.close()
