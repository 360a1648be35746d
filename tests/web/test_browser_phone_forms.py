"""The forms with what only the phone knows, in a real browser (Debian's Chromium at phone
size) against the real server run on UTC with an upload limit of 1 MB
(``SPASMWATCH_MAX_UPLOAD_MB=1``):

- a file over the limit is refused next to its field, in the page's language, before
  anything is sent, and what was typed stays; sent anyway (no script check), the refusal
  is a page of the site whose "Go back" returns to the form as it was left;
- a phone in a time zone ahead of the server's (Tokyo, 9 hours ahead of UTC) sees its own
  time in "When did it start?" on the diary's form and the anonymous check, may pick it,
  and the episode is saved at that time.

Screenshots go to ``tests/artifacts/phone-forms/`` (ignored by git).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from web.test_browser import (  # noqa: F401 (the browser fixture)
    CHROMIUM_ARGS,
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    running_server,
    shots,
    sign_up_with_a_child,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "phone-forms"
PHONE_ZONE = "Asia/Tokyo"  # 9 hours ahead of the server's UTC, all year
#: 2.7 MB, over the server's limit of 1 MB.
OVERSIZE = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * (27 * 1024 * 1024 // 10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server on UTC, with an upload limit of 1 MB."""
    env = {"SPASMWATCH_MAX_UPLOAD_MB": "1", "TZ": "UTC"}
    with running_server(tmp_path_factory.mktemp("phone-forms-data"), env) as base:
        yield base


def _phone(chromium: Any, server: str, **options: Any) -> tuple[Any, Any, list[str]]:  # noqa: F811
    context = chromium.new_context(viewport=PHONE, base_url=server, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    return context, page, problems


def _posts(page: Any) -> list[str]:
    """The form posts the page sends from now on (a list that fills as they go)."""
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    return sent


def test_a_file_over_the_limit_is_refused_before_sending(
    server: str,
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server)
    child = sign_up_with_a_child(page, "kim@example.org")
    big = {"name": "night.mp4", "mimeType": "video/mp4", "buffer": OVERSIZE}

    # The episode form: everything typed stays, the file is refused next to its field.
    page.goto(f"{child}/episodes/new")
    page.get_by_label("head drops or bobs forward").check()
    page.get_by_label("How many in a row?").fill("8")
    page.locator("details summary", has_text="More details (optional)").click()
    page.get_by_label("Notes").fill("Eight nods after waking, typed at 3 am")
    page.locator("#video").set_input_files(big)
    refusal = page.locator("#video + #video-size-error")
    expect(refusal).to_have_text(
        "“night.mp4” is 2.7 MB, larger than the upload limit of 1 MB: choose a smaller file, "
        "such as a shorter clip. Nothing has been sent; what you typed is kept."
    )
    expect(page.locator("#video")).to_have_attribute("aria-invalid", "true")
    posts = _posts(page)
    page.get_by_role("button", name="Save and see advice").click()
    page.wait_for_timeout(500)
    assert posts == [] and page.url.endswith("/episodes/new")
    expect(refusal).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value("Eight nods after waking, typed at 3 am")
    expect(page.get_by_label("How many in a row?")).to_have_value("8")
    expect(page.get_by_label("head drops or bobs forward")).to_be_checked()
    page.screenshot(path=str(shots / "01-episode-file-too-large-phone.png"), full_page=True)
    # A file within the limit clears the refusal.
    page.locator("#video").set_input_files(
        {"name": "short.mp4", "mimeType": "video/mp4", "buffer": b"\x00" * 1000}
    )
    expect(page.locator("#video-size-error")).to_have_count(0)
    expect(page.locator("#video")).not_to_have_attribute("aria-invalid", "true")

    # Sent anyway (as a browser without scripts would): a page of the site, with the way
    # back to the form, which still holds what was typed.
    page.locator("#video").set_input_files(big)
    page.locator("#video").evaluate("input => input.removeAttribute('data-max-bytes')")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and see advice").click()
    expect(page.locator("main")).to_contain_text(
        "The file is larger than the upload limit of 1 MB. Nothing was saved."
    )
    expect(page.locator("header.top")).to_be_visible()  # the site's own layout
    page.screenshot(path=str(shots / "02-refused-page-phone.png"), full_page=True)
    back = page.get_by_role("link", name="Go back: what you typed is still in the form")
    expect(back).to_be_visible()
    expect(page.get_by_role("link", name="Back to the diary")).to_have_attribute("href", child)
    back.click()
    page.wait_for_url(re.compile(r"/episodes/new$"))
    expect(page.get_by_label("Notes")).to_have_value("Eight nods after waking, typed at 3 am")
    expect(page.get_by_label("How many in a row?")).to_have_value("8")

    # The recordings form: the same.
    page.goto(child)
    recordings = page.locator("section#recordings")
    recordings.get_by_label("Video or EEG file").set_input_files(big)
    expect(recordings.locator("#recording-file-size-error")).to_contain_text(
        "larger than the upload limit of 1 MB"
    )
    posts = _posts(page)
    recordings.get_by_role("button", name="Add the recording").click()
    page.wait_for_timeout(500)
    assert posts == [] and page.url.endswith(child)
    expect(page.get_by_text("No recording outside the episodes yet.")).to_be_visible()
    assert problems == []
    context.close()

    # In Spanish, with the number as Spanish writes it.
    context, page, problems = _phone(chromium, server, locale="es-ES")
    child = sign_up_with_a_child(page, "kim.es@example.org")
    page.goto(f"{child}/episodes/new")
    page.locator("#video").set_input_files(big)
    expect(page.locator("#video-size-error")).to_have_text(
        "«night.mp4» ocupa 2,7 MB, más que el límite de subida de 1 MB: elija un archivo más "
        "pequeño, como un vídeo más corto. No se ha enviado nada; lo que escribió se conserva."
    )
    page.screenshot(path=str(shots / "03-episode-file-too-large-es-phone.png"), full_page=True)
    assert problems == []
    context.close()


def _phone_time(page: Any) -> str:
    """The phone's wall-clock time to the minute, as a datetime-local field writes it."""
    return str(
        page.evaluate(
            """() => {
                const d = new Date(), p = n => String(n).padStart(2, "0");
                return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) +
                    "T" + p(d.getHours()) + ":" + p(d.getMinutes());
            }"""
        )
    )


def _minute(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M")


def test_a_phone_ahead_of_the_server_sees_and_logs_its_own_time(
    server: str,
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server, timezone_id=PHONE_ZONE)
    child = sign_up_with_a_child(page, "tokyo@example.org")

    page.goto(f"{child}/episodes/new")
    when = page.get_by_label("When did it start?")
    phone_now = _phone_time(page)
    prefilled = when.input_value()
    # the phone's time (a minute may turn between the two readings)
    assert abs(_minute(prefilled) - _minute(phone_now)) <= timedelta(minutes=1), prefilled
    # The pages before kept the phone's offset from UTC in a cookie, so the server, 9 hours
    # behind, drew its own pre-fill at the phone's time already.
    server_value = str(when.evaluate("input => input.defaultValue"))
    assert abs(_minute(prefilled) - _minute(server_value)) <= timedelta(minutes=1), (
        prefilled,
        server_value,
    )
    latest = str(when.get_attribute("max") or "")
    assert timedelta(minutes=9) <= _minute(latest) - _minute(prefilled) <= timedelta(minutes=11)
    page.screenshot(path=str(shots / "04-phone-time-prefilled-phone.png"), full_page=True)
    # Logged at the phone's time, which is 9 hours ahead of the server's clock.
    page.get_by_label("head drops or bobs forward").check()
    page.get_by_role("button", name="Save and see advice").click()
    page.wait_for_url(re.compile(r"/children/\d+(#child-name)?$"))
    episode = page.locator("ol.timeline li.episode")
    expect(episode).to_have_count(1)
    stated = _minute(prefilled)
    expect(episode.locator(".when")).to_contain_text(stated.strftime("%H:%M"))
    expect(page.locator(".untimed")).to_have_count(0)
    # The report periods count from the phone's day.
    phone_day = _minute(_phone_time(page)).date()
    fourteen = page.locator('a[href*="?from="]').first.get_attribute("href") or ""
    assert fourteen.endswith(f"?from={(phone_day - timedelta(days=13)).isoformat()}"), fourteen

    # The anonymous check starts from the phone's time too.
    visitor = context.browser.new_context(viewport=PHONE, base_url=server, timezone_id=PHONE_ZONE)
    check = visitor.new_page()
    check.goto("/check")
    value = check.get_by_label("When did it start?").input_value()
    assert abs(_minute(value) - _minute(_phone_time(check))) <= timedelta(minutes=1), value
    visitor.close()
    assert problems == []
    context.close()
