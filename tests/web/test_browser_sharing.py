"""Sharing and its audit in a real browser (Debian's Chromium) against the real server: a
caregiver invited on the People panel (the invitation link and the message to send, shown
once and copied; a new link made on the home network's address), who signs up at that link
and plays a video in the page, is audited as having viewed it, once, not as having
downloaded it; the link then works no more; the owner revokes a share link only after
ticking the box.

Chromium resolves ``clinic.test`` to 127.0.0.1 (``--host-resolver-rules``), so the same
server is also reached at an address that is not a loopback one, as a phone on the home
network would reach it. The audit is read from the server's own database. Screenshots go to
``tests/artifacts/sharing/`` (ignored by git), to be looked at.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.config import Settings
from spasmwatch.store import Database, repo
from web.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    _small_video,
    _unavailable,
    running_server,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "sharing"
NETWORK_NAME = "clinic.test"
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The real server on a free loopback port: its base URL and its data directory."""
    data_dir = tmp_path_factory.mktemp("sharing-data")
    with running_server(data_dir) as base:
        yield base, data_dir


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
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _file_reads(data_dir: Path, child: int, email: str) -> list[str]:
    """The audited reads of the child's files by the account of ``email``, oldest first."""
    db = Database(Settings(data_dir=data_dir), tidy=False)
    try:
        with db.reading() as s:
            user = repo.user_by_email(s, email)
            assert user is not None
            entries = repo.audit_for(s, child, 1000)
            return [
                e.action
                for e in reversed(entries)
                if e.user_id == user.id and e.action in ("download", "view_recording")
            ]
    finally:
        db.dispose()


def test_an_invited_caregiver_plays_a_video_which_is_audited_as_viewed_once(
    served: tuple[str, Path], browser: Any, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    server, data_dir = served
    shutil.rmtree(SHOTS, ignore_errors=True)
    video = _small_video(tmp_path / "nap.mp4")

    # The owner, on this computer (127.0.0.1): a child with a video.
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
    child = int(child_path.rsplit("/", 1)[1])
    recordings = page.locator("section#recordings")
    recordings.get_by_label("Video or EEG file").set_input_files(str(video))
    recordings.get_by_role("button", name="Add the recording").click()
    page.wait_for_url(re.compile(r"/children/\d+#recordings$"))

    # Adding a caregiver shows the invitation link and the message to send, open, ready to
    # copy, once.
    people = page.locator("section#people")
    people.get_by_label("Email").fill("gran@example.org")
    people.get_by_label("Role").select_option("caregiver")
    people.get_by_role("button", name="Add").click()
    invite = people.locator("details.invite")
    expect(invite).to_have_attribute("open", "")
    link = (invite.locator("code[id^=invite-url]").text_content() or "").strip()
    assert re.fullmatch(rf"{re.escape(server)}/invite/[A-Za-z0-9_-]{{43}}", link)
    expect(invite).to_contain_text("This link opens only on the computer that runs spasmwatch.")
    invite.get_by_role("button", name="Copy the link").click()
    assert page.evaluate("navigator.clipboard.readText()") == link
    invite.get_by_role("button", name="Copy the message").click()
    message = page.evaluate("navigator.clipboard.readText()")
    assert message.startswith("I have added you to Noa's diary on spasmwatch as a caregiver")
    assert link in message and "The link works once, for 14 days." in message
    invite.scroll_into_view_if_needed()
    _shot(page, "01-invitation-this-computer-phone")

    # The same page at a network name makes a link a phone on the home network can open
    # (a new one: the link is shown once; the first one stops working).
    network = server.replace("127.0.0.1", NETWORK_NAME)
    home, at_home, home_problems = _phone(browser, network)
    at_home.goto("/signin")
    at_home.get_by_label("Email").fill("alex@example.org")
    at_home.get_by_label("Password").fill(PASSWORD)
    at_home.get_by_role("button", name="Sign in").click()
    at_home.goto(child_path)
    expect(at_home.locator("section#people details.invite")).to_have_count(0)
    at_home.locator("section#people").get_by_role("button", name="Make a new link").click()
    home_invite = at_home.locator("section#people details.invite")
    expect(home_invite).to_have_attribute("open", "")
    network_link = (home_invite.locator("code[id^=invite-url]").text_content() or "").strip()
    assert network_link.startswith(f"{network}/invite/") and network_link != link
    expect(home_invite).not_to_contain_text("opens only on the computer that runs")
    _shot(at_home, "02-invitation-home-network-phone")

    # The caregiver follows the link, makes the account (with an address of their own:
    # the link gives the role) and plays the video in the page.
    carer, gran, carer_problems = _phone(browser, network)
    gran.goto(network_link)
    expect(gran.locator("main")).to_contain_text("Alex Parent invites you to Noa's diary")
    gran.get_by_role("link", name="Create an account").click()
    expect(gran.locator("main")).to_contain_text("you then join Noa's diary as a caregiver")
    gran.get_by_label("Your name").fill("Gran")
    gran.get_by_label("Email").fill("gran@example.org")
    gran.get_by_label("Password (at least 10 characters)").fill(PASSWORD)
    gran.get_by_role("button", name="Create account").click()
    gran.wait_for_url(re.compile(r"/children/\d+$"))
    assert gran.url.endswith(child_path)
    player = gran.locator("section#recordings video").first
    video_id = player.get_attribute("id") or ""
    gran.wait_for_function(
        "id => document.getElementById(id).readyState >= 1", arg=video_id, timeout=TIMEOUT_MS
    )
    gran.evaluate("id => document.getElementById(id).play()", video_id)
    gran.wait_for_function("id => document.getElementById(id).ended", arg=video_id)
    # played again from the start, sought: still the same page view
    gran.evaluate(
        "id => { const v = document.getElementById(id); v.currentTime = 0; v.play(); }", video_id
    )
    gran.wait_for_function("id => document.getElementById(id).currentTime > 1", arg=video_id)
    _shot(gran, "03-caregiver-played-the-video-phone")
    deadline = time.monotonic() + 10  # the server writes reads within a second
    while not _file_reads(data_dir, child, "gran@example.org") and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(1.5)  # anything more the player asked for is written by now
    assert _file_reads(data_dir, child, "gran@example.org") == ["view_recording"]

    # The link was used: opened again, by anybody, it says so and gives nothing.
    late, at_late, _late_problems = _phone(browser, network)
    assert at_late.goto(network_link).status == 410
    expect(at_late.locator("main")).to_contain_text("has been used already")
    late.close()

    # The owner reads it as a view by Gran, not as a download.
    page.goto(child_path)
    activity = page.locator("section[aria-labelledby=log-h]")
    expect(activity).to_contain_text("recording viewed in the page · Gran")
    expect(activity).not_to_contain_text("recording downloaded")

    # Revoking a share link asks first: the button does nothing until the box is ticked.
    page.get_by_label("For", exact=True).fill("Dr Lee")
    page.get_by_role("button", name="Make a link").click()
    sharing = page.locator("section#sharing")
    shared = (sharing.locator("code#share-url").text_content() or "").strip()
    listed = sharing.locator("ul.list li").first
    revoke = listed.locator("details.revoke")
    expect(revoke.get_by_role("button", name="Revoke the link")).to_be_hidden()
    revoke.locator("summary").click()
    expect(revoke).to_contain_text("can no longer open the diary")
    revoke.get_by_role("button", name="Revoke the link").click()
    # the browser asks for the box: nothing was sent
    assert page.evaluate(
        "document.querySelector('details.revoke input[name=confirm]').validity.valueMissing"
    )
    expect(listed).to_contain_text("valid until")
    _shot(page, "04-revoke-asks-first-phone")
    revoke.get_by_label("Yes, revoke the link for Dr Lee").check()
    revoke.get_by_role("button", name="Revoke the link").click()
    page.wait_for_url(re.compile(r"/children/\d+#sharing$"))
    expect(page.locator("section#sharing ul.list li").first).to_contain_text("revoked")
    doctor, at_doctor, _doctor_problems = _phone(browser, server)
    assert at_doctor.goto(shared).status == 404
    _shot(page, "05-link-revoked-phone")

    assert problems == [] and home_problems == [] and carer_problems == []
    for each in (context, home, carer, doctor):
        each.close()
