"""End to end in a real browser: Playwright driving Debian's Chromium against the real server.

The server runs as ``spasmwatch serve`` in a subprocess (SQLite in a temporary data dir, a
free loopback port). A parent signs up, adds a 6-month-old, logs a spasm cluster with a real
H.264 video, sees "Today: possible infantile spasms" with its reasons at the top of the child
page, makes a share link and opens it in a fresh browser context (no cookies): the
clinician view, with the same level and the rules behind it, the episode and the video,
read-only. A bad value re-renders the form with the message next to the
field and what was typed kept.

Screenshots of each step go to ``tests/artifacts/browser/`` (ignored by git). When Chromium
cannot start the test is skipped, except when the environment variable ``CI`` is set.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000


def phone_page(chromium: Any, server: str, **options: Any) -> tuple[Any, Any, list[str]]:
    """A new phone-sized browser context on ``server`` (``options``: more of Playwright's
    context options, such as ``locale``, or others in place of the phone's ``viewport``
    and ``is_mobile``), its page and the list its page errors go to."""
    context = chromium.new_context(
        **{"viewport": PHONE, "base_url": server, "is_mobile": True, **options}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    return context, page, problems


def speaking(lang: str) -> dict[str, Any]:
    """The context options of a browser whose language is ``lang``, for :func:`phone_page`."""
    return {"locale": lang, "extra_http_headers": {"Accept-Language": lang}}


def sign_up_with_a_child(
    page: Any, email: str, name: str = "Noa", password: str = "a long enough password"
) -> str:
    """A new account with a 6-month-old called ``name`` (in whatever language the page
    speaks), signed up in the browser; returns the child's page."""
    page.goto("/signup")
    page.locator("#display_name").fill("Kim Parent")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/children/new$"))
    page.locator("#name").fill(name)
    page.locator("#age_months").fill("6")
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    return "/children/" + page.url.rsplit("/", 1)[1]


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"The browser test must run in CI but cannot: {reason}", pytrace=False)
    pytest.skip(reason)


def server_log(port: int) -> Path:
    """Where the log of the test server on ``port`` is written."""
    return REPO_ROOT / "tests" / "artifacts" / "server-logs" / f"{port}.log"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _spasmwatch_command() -> list[str]:
    script = Path(sys.executable).with_name("spasmwatch")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "spasmwatch"]


@contextmanager
def running_server(data_dir: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """``spasmwatch serve`` on a free loopback port with its data in ``data_dir`` (and the
    environment variables ``env`` added); yields its base URL."""
    port = _free_port()
    # Kept after the run, and its end added to the report of a test that fails with it
    # (tests/conftest.py): what the server saw of a page that never came
    log_path = server_log(port)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("w")
    process = subprocess.Popen(
        # One web process: a page test needs no second one, and each costs a start-up.
        [*_spasmwatch_command(), "serve", "--host", "127.0.0.1", "--port", str(port),
         "--data-dir", str(data_dir), "--workers", "1", "--access-log"],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a guard against a hang, not a timing check
        while True:
            if process.poll() is not None:
                log.flush()
                output = log_path.read_text(errors="replace")
                pytest.fail(f"The server exited with {process.returncode}:\n{output}")
            try:
                if httpx.get(f"{base}/signin", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("The server did not answer within 120 s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server on a free loopback port; yields its base URL."""
    with running_server(tmp_path_factory.mktemp("browser-data")) as base:
        yield base


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, through Playwright (never a downloaded browser)."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as error:
        _unavailable(f"Playwright is not installed: {error}")
    if not os.path.exists(CHROMIUM):
        _unavailable(f"{CHROMIUM} not found (apt-get install -y chromium)")
    with sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        except Error as error:
            _unavailable(f"Chromium cannot start: {error}")
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def shots(request: pytest.FixtureRequest) -> Path:
    """A clean folder for the module's screenshots: the module's ``SHOTS``."""
    folder: Path = request.module.SHOTS
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture(scope="module")
def artifacts() -> Path:
    """A clean folder for this test's screenshots."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


def _small_video(path: Path) -> Path:
    """A 2.5 s, 320x240, 10 fps H.264 (yuv420p) MP4 of a moving square."""
    import av
    import numpy as np

    with av.open(str(path), "w", options={"movflags": "+faststart"}) as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        stream.time_base = Fraction(1, 10)
        for i in range(25):
            frame = np.full((240, 320, 3), 235, dtype=np.uint8)
            x = 20 + i * 10
            frame[100:140, x : x + 40] = (200, 60, 60)
            video_frame = av.VideoFrame.from_ndarray(frame, format="rgb24")
            video_frame.pts = i
            for packet in stream.encode(video_frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def _timeline_text(page: Any) -> str:
    """The timeline's visible text, without the edit and delete controls."""
    return str(
        page.locator("ol.timeline").evaluate(
            """ol => {
                const copy = ol.cloneNode(true);
                copy.querySelectorAll(".actions").forEach(a => a.remove());
                return copy.textContent.replace(/\\s+/g, " ").trim();
            }"""
        )
    )


def _shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_family_logs_a_spasm_cluster_and_shares_it_read_only(
    server: str, chromium: Any, artifacts: Path, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    video = _small_video(tmp_path / "cluster.mp4")
    started = datetime.now().replace(second=0, microsecond=0) - timedelta(hours=1)

    family = chromium.new_context(viewport=PHONE, base_url=server)
    family.set_default_timeout(TIMEOUT_MS)
    page = family.new_page()

    # Sign up.
    page.goto("/signup")
    page.get_by_label("Your name").fill("Sam Parent")
    page.get_by_label("Email").fill("sam@example.org")
    page.get_by_label("Password (at least 10 characters)").fill("a long enough password")
    _shot(page, artifacts, "01-signup-phone")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/children/new$"))

    # Add a 6-month-old.
    page.get_by_label("Name or nickname").fill("Robin")
    page.get_by_label("or age in months").fill("6")
    _shot(page, artifacts, "02-add-child-phone")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    child_url = page.url
    expect(page.get_by_role("heading", name="Robin", level=1)).to_be_visible()
    expect(page.get_by_text("No episode logged yet.")).to_be_visible()
    _shot(page, artifacts, "03-child-empty-phone")

    # A bad value re-renders the form with the message next to the field, keeping the input.
    page.get_by_role("link", name="Log an episode").click()
    page.wait_for_url(re.compile(r"/episodes/new$"))
    page.get_by_label("head drops or bobs forward").check()
    page.get_by_label("just woke up").check()
    page.get_by_label("How many in a row?").fill("abc")
    page.get_by_label("Seconds for ONE movement").fill("1")
    page.get_by_role("button", name="Save and see advice").click()
    count = page.get_by_label("How many in a row?")
    expect(count).to_have_value("abc")
    expect(count).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#count-error")).to_be_visible()
    assert page.locator("#count-error").text_content()
    expect(count).to_have_attribute("aria-describedby", "count-error")
    # The message sits right after its field.
    assert page.locator("#count + #count-error").count() == 1
    expect(page.get_by_label("head drops or bobs forward")).to_be_checked()
    expect(page.get_by_label("just woke up")).to_be_checked()
    expect(page.get_by_label("Seconds for ONE movement")).to_have_value("1")
    _shot(page, artifacts, "04-episode-form-error-phone")

    # Log the spasm cluster with a video, on a phone-sized screen.
    page.get_by_label("arms flung out or raised").check()
    count.fill("10")
    page.get_by_label("Seconds between them").fill("5")
    page.get_by_label("When did it start?").fill(started.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#video").set_input_files(str(video))
    page.locator("details summary", has_text="More details (optional)").click()
    page.get_by_label("Notes").fill("In a row after waking, each with a small cry.")
    _shot(page, artifacts, "05-episode-form-filled-phone")
    page.get_by_role("button", name="Save and see advice").click()
    page.wait_for_url(re.compile(r"/children/\d+(#child-name)?$"))

    # The triage answer is at the top, with its reasons.
    triage = page.locator("section#triage")
    expect(triage).to_have_class(re.compile(r"\blevel-same_day\b"))
    expect(triage.locator(".level-word")).to_have_text("Today")
    expect(triage.get_by_role("heading", level=2)).to_contain_text("Possible infantile spasms")
    expect(triage.get_by_role("heading", name="What to do now")).to_be_visible()
    expect(triage.locator("ul.advice li").first).to_be_visible()
    reasons = triage.locator("ul.reasons li")
    expect(reasons.first).to_be_visible()  # the "Why" details are open for same_day
    assert reasons.count() >= 1
    # Whose answer it is, that the episode was just saved, then the answer.
    first_in_main = page.locator("main > *")
    assert first_in_main.nth(0).evaluate("e => e.tagName") == "H1"
    assert first_in_main.nth(1).get_attribute("id") == "episode-saved"
    assert first_in_main.nth(2).get_attribute("id") == "triage"
    timeline = page.locator("ol.timeline li.episode")
    expect(timeline).to_have_count(1)
    entry = timeline.first
    expect(entry).to_contain_text("head drops or bobs forward")
    expect(entry).to_contain_text("10 in a row")
    expect(entry.get_by_role("link", name="cluster.mp4", exact=True)).to_be_visible()
    expect(entry.get_by_role("link", name="Edit")).to_be_visible()
    # The video is analysed in the background; the page polls until the findings show.
    expect(entry.locator(".analysis")).to_contain_text("Video analysis", timeout=60_000)
    # What the finding means, in words, under it (never "no spasms").
    expect(entry.locator(".analysis .statement").first).to_contain_text("spasm-like movement")
    # Each quality check in its own list, with what it asks in plain words.
    checks = entry.locator(".analysis .quality-checks")
    expect(checks.locator("summary")).to_contain_text("Video quality")
    expect(checks.locator("li")).to_have_count(7)
    # Passing them is not a promise that every spasm would be found.
    expect(checks.locator(".picture-only")).to_contain_text("not the detector")
    assert "10 in a row" in _timeline_text(page)
    _shot(page, artifacts, "06-child-same-day-phone")

    # The video is served back and is the one uploaded.
    href = entry.get_by_role("link", name="cluster.mp4", exact=True).get_attribute("href")
    assert href
    response = family.request.get(href)
    assert response.ok
    assert response.body() == video.read_bytes()

    # The same page on a desktop screen.
    page.set_viewport_size(DESKTOP)
    page.goto(child_url)
    _shot(page, artifacts, "07-child-same-day-desktop")
    page.set_viewport_size(PHONE)

    # Make a share link.
    page.get_by_label("For", exact=True).fill("Dr Lee, neurology")
    page.get_by_label("Valid for").select_option("7")
    page.get_by_role("button", name="Make a link").click()
    share_url = page.locator("code#share-url")
    expect(share_url).to_be_visible()
    link = (share_url.text_content() or "").strip()
    assert re.fullmatch(re.escape(server) + r"/s/[A-Za-z0-9_\-]+", link), link
    _shot(page, artifacts, "08-share-link-made-phone")

    # A clinician opens it in a fresh context: no cookies, read-only, same triage and timeline.
    clinician = chromium.new_context(viewport=DESKTOP)
    clinician.set_default_timeout(TIMEOUT_MS)
    assert clinician.cookies() == []
    shared = clinician.new_page()
    shared.goto(link)
    expect(shared.get_by_text("Read-only view shared by the family")).to_be_visible()
    # The clinician view: the same level with the rules behind it, the episode in the
    # table, the video among the recordings; no advice for the parents.
    expect(shared.locator("section.reasoning .badge").first).to_have_class(
        re.compile(r"\blevel-same_day\b")
    )
    expect(shared.locator("table.reasons")).to_contain_text("spasm-series")
    expect(shared.locator("section#triage")).to_have_count(0)
    rows = shared.locator("table.episodes tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("10")
    expect(rows.first).to_contain_text("cluster")
    shared_entries = shared.locator("section#videos .recording")
    expect(shared_entries).to_have_count(1)
    expect(shared_entries.first.get_by_role("link", name="cluster.mp4", exact=True)).to_be_visible()
    for control in ("Log an episode", "Edit", "Edit details"):
        expect(shared.get_by_role("link", name=control, exact=True)).to_have_count(0)
    for control in ("Delete", "Make a link", "Revoke", "Add"):
        expect(shared.get_by_role("button", name=control, exact=True)).to_have_count(0)
    expect(shared.locator("form[method=post]")).to_have_count(0)
    expect(shared.locator("#sharing, #people")).to_have_count(0)
    _shot(shared, artifacts, "09-shared-desktop")
    shared.set_viewport_size(PHONE)
    _shot(shared, artifacts, "10-shared-phone")

    # The shared video downloads without a session.
    shared_href = shared_entries.first.get_by_role(
        "link", name="cluster.mp4", exact=True
    ).get_attribute("href")
    assert shared_href and shared_href.startswith("/s/")
    downloaded = clinician.request.get(link.rsplit("/s/", 1)[0] + shared_href)
    assert downloaded.ok
    assert downloaded.body() == video.read_bytes()
    assert clinician.cookies() == [] or all(c["name"] != "sw_session" for c in clinician.cookies())

    # The family has the video analysed again, at high sensitivity; the page polls again.
    page.goto(child_url)
    entry = page.locator("ol.timeline li.episode").first
    entry.get_by_label("Detector sensitivity").select_option("high")
    entry.get_by_role("button", name="Analyse again").click()
    expect(entry.locator(".analysis")).to_contain_text("at high sensitivity", timeout=60_000)
    expect(entry.get_by_label("Detector sensitivity")).to_have_value("high")
    _shot(page, artifacts, "12-analysed-again-phone")

    # The episode form on a desktop screen, for the record.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{child_url}/episodes/new")
    _shot(page, artifacts, "11-episode-form-desktop")

    clinician.close()
    family.close()
