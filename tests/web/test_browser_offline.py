"""The installable app in a real browser (Debian's Chromium) at phone size: the manifest and
the service worker are valid and Chromium finds the app installable; offline, the start page
(with the emergency call), the guide, happening-now mode and the episode form still open,
and a private page is never shown from the cache; offline, a parent logs two episodes, which
wait on the phone marked "Not yet sent", and when the phone is back online the server stores
each exactly once. One the server refuses says so, with the server's reason.

Screenshots go to ``tests/artifacts/offline/`` (ignored by git), to be looked at.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

from web.test_browser import (  # noqa: F401 (the server and chromium fixtures)
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    phone_page,
    server,
    shots,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "offline"


def _phone(chromium: Any, server: str) -> tuple[Any, Any, list[str]]:  # noqa: F811
    return phone_page(chromium, server, service_workers="allow")


def until(page: Any, condition: str, arg: Any = None) -> Any:
    """Wait until ``condition``, a JavaScript function of ``arg`` that returns a promise,
    gives a truthy value in the page (within ``TIMEOUT_MS``); that value.

    ``page.wait_for_function`` cannot wait for a promise: the promise itself is truthy, so
    it returns at once, whatever the promise gives later.
    """
    return page.evaluate(
        f"""async ([arg, timeout, said]) => {{
            const condition = {condition};
            const deadline = Date.now() + timeout;
            for (;;) {{
                const value = await condition(arg);
                if (value) return value;
                if (Date.now() > deadline) throw new Error(`not within ${{timeout}} ms: ${{said}}`);
                await new Promise(resolve => setTimeout(resolve, 100));
            }}
        }}""",
        [arg, TIMEOUT_MS, condition],
    )


def kept_language(page: Any, lang: str) -> None:
    """Wait until the service worker keeps the public pages in ``lang`` (written once all
    of them are kept: static/sw.js)."""
    until(
        page,
        "lang => caches.match('/__kept-language').then(r => r ? r.text() : null)"
        ".then(kept => kept === lang)",
        lang,
    )


def _controlled(page: Any) -> None:
    """Wait until the service worker is installed, keeps its copies and controls the page."""
    page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
    page.reload()
    page.wait_for_function("!!navigator.serviceWorker.controller")
    kept_language(page, "en")


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_the_app_installs_and_its_pages_open_offline(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server)
    page.goto("/")
    manifest = page.request.get("/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    body = manifest.json()
    assert body["display"] == "standalone" and body["start_url"] == "/"
    sizes = set()
    for icon in body["icons"]:
        data = page.request.get(icon["src"]).body()
        width, height = _png_size(data)
        assert f"{width}x{height}" == icon["sizes"]
        sizes.add(width)
    assert {192, 512} <= sizes
    _controlled(page)
    cdp = context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # A test browser's contexts are off the record, where Chromium never offers to install;
    # everything else about the app (manifest, icons, service worker, start URL) must pass.
    assert [e for e in errors if e["errorId"] != "in-incognito"] == [], errors
    manifest_seen = cdp.send("Page.getAppManifest")
    assert not manifest_seen.get("errors"), manifest_seen

    context.set_offline(True)
    page.goto("/")
    call = page.get_by_role("link", name=re.compile(r"Call 112"))
    expect(call).to_have_attribute("href", "tel:112")
    page.screenshot(path=str(shots / "01-start-offline.png"), full_page=True)
    page.goto("/guide")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto("/now")
    page.get_by_role("button", name="Start the timer").click()
    page.get_by_role("button", name="Tap for each movement").click()
    page.get_by_role("button", name="It stopped").click()
    expect(page.locator("#now-summary")).to_contain_text("1 movement")
    page.goto("/check")
    page.get_by_label("Baby's age in months").fill("6")
    page.get_by_label("head drops or bobs forward").check()
    page.get_by_role("button", name="See the advice").click()
    expect(page.get_by_role("alert")).to_contain_text("No connection: the answer needs the server")
    page.goto("/log")
    expect(page.get_by_label("How many in a row?")).to_be_visible()
    # no child kept on this phone (never signed in): said before the form, and what is
    # typed anyway is kept on the phone (tests/web/test_parent_without_account.py)
    expect(page.locator("#log-no-account")).to_be_visible()
    page.get_by_label("head drops or bobs forward").check()
    page.get_by_role("button", name="Keep on this phone").click()
    expect(page.locator("#log-kept")).to_be_visible()
    # A private page is never served from the cache: offline it says so.
    page.goto("/children")
    expect(page.get_by_role("heading", name="No connection")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"Call 112"))).to_be_visible()
    page.screenshot(path=str(shots / "02-private-page-offline.png"), full_page=True)
    context.set_offline(False)
    assert problems == []
    context.close()


def test_a_kept_page_with_a_server_that_does_not_answer_or_answers_slowly(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
) -> None:
    # The phone has a network, but not the home server's (a request that never comes
    # back): happening-now mode opens from the kept copy after the service worker's wait.
    # With the kept copies gone (deleted by a new version of the worker) a
    # slow server's page is waited for, not turned into an error.
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server)
    page.goto("/")
    _controlled(page)
    asked: list[str] = []
    context.route(re.compile(r".*/now$"), lambda route: asked.append(route.request.url))
    page.goto("/now")
    expect(page.get_by_role("button", name="Start the timer")).to_be_visible()
    assert asked, "the service worker did not ask the server first"
    context.unroute(re.compile(r".*/now$"))

    def slow(route: Any) -> None:
        # longer than the worker's wait for the server (QUICK_MS, 4 s, static/sw.js)
        page.wait_for_timeout(5000)
        route.continue_()

    page.evaluate("caches.keys().then(names => Promise.all(names.map(n => caches.delete(n))))")
    context.route(re.compile(r".*/now$"), slow)
    page.goto("/now")
    expect(page.get_by_role("button", name="Start the timer")).to_be_visible()
    # the worker fetching its copies again (they were deleted) waits on the slow route too
    context.unroute_all(behavior="wait")
    assert problems == []
    context.close()


PREVIOUS = Path(__file__).parent / "previous_worker"


def test_a_phone_with_the_earlier_worker_moves_to_the_current_one(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
) -> None:
    # A phone that installed the app from a version with one worker per language
    # (/sw.js?lang=en, its copies in "spasmwatch-<version>-en") gets this version: one
    # worker, the earlier copies gone, the pages kept again and open offline.
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server)
    earlier_worker = (PREVIOUS / "sw.js").read_text().replace("__VERSION__", "0ld")
    earlier_page_script = (PREVIOUS / "offline.js").read_text()
    worker_headers = {"Service-Worker-Allowed": "/", "Cache-Control": "no-cache"}
    context.route(
        re.compile(r".*/sw\.js\?lang=en$"),
        lambda route: route.fulfill(
            body=earlier_worker, content_type="text/javascript", headers=worker_headers
        ),
    )
    context.route(
        re.compile(r".*/static/offline\.js$"),
        lambda route: route.fulfill(body=earlier_page_script, content_type="text/javascript"),
    )
    page.goto("/")
    page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
    page.reload()
    page.wait_for_function("!!navigator.serviceWorker.controller")
    active = (
        "navigator.serviceWorker.getRegistration().then(r => r && r.active && r.active.scriptURL)"
    )
    assert page.evaluate(active).endswith("/sw.js?lang=en")
    until(page, "() => caches.keys().then(names => names.includes('spasmwatch-0ld-en'))")

    # The upgrade: the server now gives this version's scripts. The earlier worker hands
    # the page its kept copy of offline.js once more and fetches the new one meanwhile.
    context.unroute_all(behavior="wait")
    for _ in range(3):
        page.reload()
        if page.evaluate(active).endswith("/sw.js"):
            break
        page.wait_for_timeout(500)
    until(page, f"() => {active}.then(url => !!url && url.endsWith('/sw.js'))")
    kept_language(page, "en")
    # the new worker removes the earlier caches as it activates, which may end a moment
    # after the page sees it in control
    until(
        page,
        "() => caches.keys()"
        ".then(n => n.length > 0 && !n.some(x => x.startsWith('spasmwatch-0ld-')))",
    )

    context.set_offline(True)
    page.goto("/now")
    expect(page.get_by_role("button", name="Start the timer")).to_be_visible()
    context.set_offline(False)
    assert problems == []
    context.close()


def _sign_up_with_child(page: Any, email: str) -> int:
    page.goto("/signup")
    page.get_by_label("Your name").fill("Sam Parent")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password (at least 10 characters)").fill("a long enough password")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/children/new$"))
    page.get_by_label("Name or nickname").fill("Robin")
    page.get_by_label("or age in months").fill("6")
    page.get_by_role("button", name=re.compile("Add|Save")).click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def _log_offline(page: Any, count: str, notes: str) -> None:
    page.get_by_label("head drops or bobs forward").check()
    page.get_by_label("just woke up").check()
    page.get_by_label("How many in a row?").fill(count)
    page.locator("#log-form details").evaluate("d => { d.open = true; }")
    page.get_by_label("Notes").fill(notes)
    page.get_by_role("button", name="Save on this phone").click()
    page.get_by_role("status").filter(has_text="not yet sent").wait_for()


def test_two_episodes_logged_offline_are_stored_once_each(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server)
    child_id = _sign_up_with_child(page, "sam.offline@example.org")
    _controlled(page)
    until(
        page,
        "() => window.spasmwatchStore.getMeta('session').then(s => !!(s && s.children.length))",
    )

    # The diary's own form, opened while connected; the connection goes before it is sent.
    page.goto(f"/children/{child_id}/episodes/new")
    context.set_offline(True)
    page.get_by_label("head drops or bobs forward").check()
    page.get_by_label("How many in a row?").fill("8")
    page.get_by_text("More details (optional)").click()
    page.get_by_label("Notes").fill("first, offline")
    page.get_by_role("button", name="Save and see advice").click()
    page.get_by_role("status").filter(has_text="not yet sent").wait_for()
    # Happening-now mode kept for offline use offers the parent's child, from the phone.
    page.goto("/now")
    offered = page.locator("#now-done a.now-confirm", has_text="Log it for Robin")
    expect(offered).to_have_attribute("data-base", f"/children/{child_id}/episodes/new")
    page.goto(f"/children/{child_id}/episodes/new")
    expect(page.get_by_label("Child")).to_have_value(str(child_id))
    _log_offline(page, "5", "second, offline")
    _log_offline(page, "lots", "a count the server refuses")
    unsent = page.locator("#queue li.unsent")
    expect(unsent).to_have_count(3)
    expect(page.locator("#queue")).to_contain_text("Not yet sent")
    page.screenshot(path=str(shots / "03-three-waiting-offline.png"), full_page=True)

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#queue li.unsent")).to_have_count(0)
    refused = page.locator("#queue li.refused")
    expect(refused).to_have_count(1)
    expect(refused).to_contain_text("The server did not accept this episode")
    expect(refused).to_contain_text("How many in a row")
    page.screenshot(path=str(shots / "04-sent-one-refused.png"), full_page=True)

    def stored() -> list[dict[str, Any]]:
        episodes = page.request.get(f"/api/v1/children/{child_id}/episodes").json()
        return sorted(episodes, key=lambda e: e["id"])

    episodes = stored()
    assert [e["episode"]["notes"] for e in episodes] == ["first, offline", "second, offline"]
    assert [e["episode"]["count"] for e in episodes] == [8, 5]

    # Coming back again, or another tab sending at the same time, stores nothing more.
    page.reload()
    page.evaluate("window.spasmwatchSend()")
    other = context.new_page()
    other.goto(f"/children/{child_id}")
    assert len(stored()) == 2
    expect(other.locator("ol.timeline li")).to_have_count(2)
    other.screenshot(path=str(shots / "05-diary-after-sending.png"), full_page=True)

    # The refused one is removed by the parent.
    page.get_by_role("button", name="Remove").click()
    expect(page.locator("#queue")).to_be_hidden()
    assert problems == []
    context.close()


def test_the_daily_reminder_is_off_until_turned_on(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server)
    context.grant_permissions(["notifications"], origin=server)
    page.goto("/reminders")
    on = page.get_by_label("Remind me every day")
    expect(on).not_to_be_checked()
    assert page.evaluate("window.spasmwatchStore.getMeta('reminder')") is None
    on.check()
    page.get_by_label("At").fill("07:30")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#reminder-status")).to_have_text("The reminder is on.")
    setting = page.evaluate("window.spasmwatchStore.getMeta('reminder')")
    assert setting["on"] is True and setting["time"] == "07:30"
    page.reload()
    expect(page.get_by_label("Remind me every day")).to_be_checked()
    page.screenshot(path=str(shots / "06-reminder-on.png"), full_page=True)
    page.get_by_label("Remind me every day").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#reminder-status")).to_have_text("The reminder is off.")
    assert page.evaluate("window.spasmwatchStore.getMeta('reminder')")["on"] is False
    assert problems == []
    context.close()


def test_an_episode_logged_while_another_is_being_sent_is_sent_too(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
) -> None:
    # The first episode's request is held back (a slow connection); the second is saved
    # meanwhile, after that round had read the list: one more round sends it.
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _phone(chromium, server)
    child_id = _sign_up_with_child(page, "sam.slow@example.org")
    _controlled(page)
    held: list[Any] = []
    posts = re.compile(r".*/api/v1/children/\d+/episodes/form$")

    def hold_the_first(route: Any) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    context.route(posts, hold_the_first)
    page.goto("/log")
    expect(page.get_by_label("Child")).to_have_value(str(child_id))
    _log_offline(page, "5", "first, on a slow connection")
    until(page, "() => document.querySelectorAll('#queue li.unsent').length === 1")
    for _ in range(TIMEOUT_MS // 100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the first episode was not sent"
    _log_offline(page, "6", "second, while the first was being sent")
    held[0].continue_()
    expect(page.locator("#queue li")).to_have_count(0)
    episodes = page.request.get(f"/api/v1/children/{child_id}/episodes").json()
    assert sorted(e["episode"]["notes"] for e in episodes) == [
        "first, on a slow connection",
        "second, while the first was being sent",
    ]
    assert problems == []
    context.close()
