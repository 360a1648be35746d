"""What a new family met on the web pages, mended, each on real files, a real database and
the real app: an EEG file whose header is damaged is refused with the reader's own reason
(the web form and the API), as a cut-short one is; the list of children says what a
recording asks for, as the child page does; a long EEG's viewer says its times as h:mm:ss
from the start and its lengths in hours and minutes, and takes "1:30:00" as a page start;
a failure of the server itself answers with the app's framed page (JSON for the API), never
a traceback; and, in a real browser offline, the kept pages' header is the signed-in
parent's and an episode waiting on the phone is dated as the pages date it.

Screenshots go to ``tests/artifacts/pass-mends/`` (ignored by git), to be looked at.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.templating import Jinja2Templates

from spasmwatch.config import Settings
from spasmwatch.store import repo
from spasmwatch.web import create_app
from web.test_browser import (  # noqa: F401 (the server and chromium fixtures)
    REPO_ROOT,
    TIMEOUT_MS,
    chromium,
    phone_page,
    server,
    shots,
)
from web.webworld import EDF_FILE, add_child, log_episode, new_app, sign_up, upload

SHOTS = REPO_ROOT / "tests" / "artifacts" / "pass-mends"
#: A real 30 s, 19-channel neonatal EEG (analysed in seconds).
CLIP = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg1.edf"


def _words(markup: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _field(data: bytearray, start: int, width: int, value: bytes) -> None:
    """Write one field of the EDF header (space-padded ASCII)."""
    data[start : start + width] = value.ljust(width)


def _damaged(folder: Path) -> dict[str, tuple[Path, str]]:
    """The real clip damaged three ways, each with what the reader says of it: the number of
    signals not a number; the number of data records not a number (and a negative header
    length, as a file seen in the wild had); the data cut short."""
    original = CLIP.read_bytes()
    signals = bytearray(original)
    _field(signals, 252, 4, b"ab")
    records = bytearray(original)
    _field(records, 184, 8, b"-1")
    _field(records, 236, 8, b"xx")
    files = {
        "broken_header.edf": (
            bytes(signals),
            "corrupt header: field 'number of signals' is 'ab', expected a number",
        ),
        "broken_header2.edf": (
            bytes(records),
            "corrupt header: field 'number of data records' is 'xx', expected a number",
        ),
        "broken_trunc.edf": (original[: len(original) - 50_000], "truncated: the header declares"),
    }
    found = {}
    for name, (content, reason) in files.items():
        path = folder / name
        path.write_bytes(content)
        found[name] = (path, reason)
    return found


def test_a_damaged_eeg_header_is_refused_with_the_readers_reason(tmp_path: Path) -> None:
    """A file with the EDF version bytes is an EEG file, damaged: refused, on the child
    page and by the API, with what the reader says is wrong (which field, what it holds),
    as a file cut short is, never as "not a video or an EEG file"; nothing is stored."""
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Leo")
    for name, (path, reason) in _damaged(tmp_path).items():
        with path.open("rb") as f:
            sent = owner.form(f"/children/{child}/attachments", {}, files={"file": (name, f)})
        assert sent.status_code == 422, name
        said = _words(sent.text)
        assert f"“{name}” starts like an EEG file but cannot be read" in said, name
        assert "judging by its content" not in said
        details = sent.text.split('class="small problem-details"')[1].split("</details>")[0]
        assert reason in unescape(details), name
        with path.open("rb") as f:
            answer = owner.api(
                "POST", f"/api/v1/children/{child}/attachments", files={"file": (name, f)}
            )
        assert answer.status_code == 422, name
        assert reason in " ".join(answer.json()["detail"]), name
    spanish = owner.client.get(f"/children/{child}", headers={"Accept-Language": "es"})
    assert spanish.status_code == 200
    with app.state.db.reading() as s:
        assert repo.attachments_for(s, child) == []
    assert [p for p in (tmp_path / "data" / "attachments").rglob("*") if p.is_file()] == []


def _rows(html: str) -> list[str]:
    """The list of children, a line of words for each."""
    items = html.split('<ul class="list">')[1].split("</ul>")[0]
    return [_words(li) for li in re.findall(r"<li>(.*?)</li>", items, re.S)]


def _mark_long_seizure(app: Any, eeg: int, seconds: float) -> None:
    """The EEG's seizure detector marked a possible seizure of ``seconds``."""
    with app.state.db.transaction() as s:
        row = repo.get_attachment(s, eeg)
        result = row.analysis["result"]
        mark = {"onset": 3.0, "duration": seconds, "eventType": "sz"}
        found = {**result, "events": [*result.get("events", []), mark]}
        repo.set_attachment_analysis(s, row.id, {**row.analysis, "result": found})


def test_the_list_of_children_says_what_a_recording_asks_for(tmp_path: Path) -> None:
    """A child with nothing logged whose EEG's detector marked a long possible seizure:
    the child page opens with "This EEG asks for a doctor today", so the list says
    "Doctor: today", with which EEG, not "next check-up"; a video that asks for a doctor
    within days is said too, the EEG first (sooner); an emergency in the diary is never
    outranked, and a child without recordings keeps the diary's word."""
    from web.test_browser import _small_video

    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    leo = add_child(owner, "Leo")
    add_child(owner, "Mia")
    eeg = upload(owner, leo, CLIP)
    # nothing logged: the list says so, as the child page does, not "next check-up"
    assert _rows(owner.client.get("/children").text) == [
        "Leo Nothing logged yet owner",
        "Mia Nothing logged yet owner",
    ]
    assert "Nothing logged yet" in owner.client.get(f"/children/{leo}").text
    _mark_long_seizure(app, eeg, 3 * 3600.0)
    child_page = owner.client.get(f"/children/{leo}").text
    assert "This EEG asks for a doctor today" in child_page
    leo_row, mia_row = _rows(owner.client.get("/children").text)
    assert leo_row == ("Leo Doctor: today owner The EEG “eeg1.edf” asks for a doctor today.")
    assert mia_row == "Mia Nothing logged yet owner"
    html = owner.client.get("/children").text
    assert '<span class="badge level-same_day">Doctor: today</span>' in html
    spanish = _rows(owner.client.get("/children", headers={"Accept-Language": "es"}).text)
    assert spanish[0].startswith("Leo Médico: hoy") and "«eeg1.edf»" in spanish[0]

    # a video whose analysis found a few spasm-like movements: within days, said second
    video = _small_video(tmp_path / "evening.mp4")
    with video.open("rb") as f:
        sent = owner.form(
            f"/children/{leo}/attachments", {}, files={"file": (video.name, f, "video/mp4")}
        )
    assert sent.status_code == 303
    with app.state.db.transaction() as s:
        row = next(a for a in repo.attachments_for(s, leo) if a.kind == "video")
        found = {**row.analysis["result"], "summary": {"spasm_like": 2, "clusters": 0}}
        repo.set_attachment_analysis(s, row.id, {**row.analysis, "result": found})
    assert "video-alert" in owner.client.get(f"/children/{leo}").text
    assert _rows(owner.client.get("/children").text)[0] == (
        "Leo Doctor: today owner The EEG “eeg1.edf” asks for a doctor today. The video "
        "“evening.mp4” asks for a doctor within the next few days."
    )

    # a diary with an episode says its level
    log_episode(owner, add_child(owner, "Noa"), {**_WARNING_EPISODE, "red_flags": []})
    assert _rows(owner.client.get("/children").text)[2].startswith("Noa Doctor: ")

    # the diary's own emergency is the list's word, with the call, and nothing above it
    log_episode(owner, leo, {**_WARNING_EPISODE, "started_at": _now_iso()})
    leo_row = _rows(owner.client.get("/children").text)[0]
    assert leo_row.startswith("Leo Emergency owner")
    assert "asks for a doctor" not in leo_row


#: An episode with a warning sign: the diary's answer is an emergency.
_WARNING_EPISODE = {
    "movements": ["head_nod"],
    "state": "awake",
    "count": 1,
    "red_flags": ["breathing_difficulty"],
}


def _now_iso() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


def _long_edf(path: Path, seconds: int) -> Path:
    """A real EDF of ``seconds`` of six EEG channels at 64 Hz, started at 21:00:00 on
    5 Dec 2026 (a known start: the viewer says clock times)."""
    import edfio
    import numpy as np

    rng = np.random.default_rng(7)
    signals = [
        edfio.EdfSignal(
            rng.normal(0, 30, seconds * 64), sampling_frequency=64, label=f"EEG {name}",
            physical_dimension="uV", physical_range=(-500, 500),
        )
        for name in ("Fp1", "Fp2", "C3", "C4", "O1", "O2")
    ]  # fmt: skip
    recording = edfio.Recording(startdate=dt.date(2026, 12, 5))
    edfio.Edf(signals, recording=recording, starttime=dt.time(21, 0, 0)).write(path)
    return path


@pytest.fixture(scope="module")
def long_eeg(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A family with a 25-minute EEG whose analysis (written as a finished one: the file is
    noise) marked a possible seizure of 20 minutes at 5:00 and a decrement at 30.5 s."""
    folder = tmp_path_factory.mktemp("long-eeg")
    app = create_app(Settings(data_dir=folder / "data"), inline_jobs=False)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Leo")
    eeg = upload(owner, child, _long_edf(folder / "night.edf", 25 * 60))
    events = [
        {"onset": 300.4, "duration": 1200.0, "eventType": "sz", "confidence": 0.9},
        {"onset": 30.5, "duration": 12.5, "eventType": "decrement", "confidence": 1.0},
    ]
    with app.state.db.transaction() as s:
        repo.set_attachment_analysis(s, eeg, {"status": "done", "result": {"events": events}})
    return {"app": app, "owner": owner, "base": f"/children/{child}/attachments/{eeg}/eeg"}


def _viewer_words(html: str) -> dict[str, str]:
    head = re.search(r"<h1>.*?</h1>\s*<p class=\"muted small\">(.*?)</p>", html, re.S)
    where = re.search(
        r'<span class="eeg-where"[^>]*>(.*?)</span>\s*(?=<a class="button" id="eeg-next"'
        r'|<span class="button disabled")',
        html,
        re.S,
    )
    events = html.split('id="eeg-events-h"')[1].split("</ol>")[0]
    return {
        "head": _words(head.group(1)) if head else "",
        "where": _words(where.group(1)) if where else "",
        "events": _words(events),
    }


def test_a_long_eegs_viewer_says_its_times_as_hours_minutes_and_seconds(
    long_eeg: dict[str, Any],
) -> None:
    owner, base = long_eeg["owner"], long_eeg["base"]
    answer = owner.client.get(base)
    assert answer.status_code == 200, answer.text
    said = _viewer_words(answer.text)
    assert said["head"] == "25 minutes (0:25:00), 6 channels at 64 Hz · started at 21:00:00"
    assert said["where"] == "0:00:00\u20130:00:10 / 0:25:00 · 21:00:00"
    assert (
        "possible decrement at 0:00:30 from the start (21:00:30) lasting 12.5 s" in (said["events"])
    )
    assert (
        "possible seizure at 0:05:00 from the start (21:05:00) lasting about 20 minutes"
        in (said["events"])
    )
    assert "s (" not in said["events"] and "1,200" not in said["events"]
    # the From field says and takes h:mm:ss
    field = re.search(r'<input type="text" name="t"[^>]*value="([^"]*)"', answer.text)
    assert field and field.group(1) == "0:00:00"
    for typed, start, clock in (
        ("0:20:00", "0:20:00", "21:20:00"),
        ("20:00", "0:20:00", "21:20:00"),  # minutes and seconds
        ("1230", "0:20:30", "21:20:30"),  # seconds, as before
        ("0:05:00.5", "0:05:00", "21:05:00"),
    ):
        page = owner.client.get(base, params={"t": typed})
        assert page.status_code == 200, (typed, page.text)
        assert _viewer_words(page.text)["where"].startswith(f"{start}\u2013"), typed
        assert f"· {clock}" in _viewer_words(page.text)["where"], typed
    # the page links still carry seconds, which every link and bookmark keeps
    assert re.search(r'id="eeg-next" rel="next" href="[^"]*t=10&', answer.text)


@pytest.mark.parametrize("typed", ["1:75:00", "soon", "1::00"])
def test_a_page_start_that_is_no_time_is_named(long_eeg: dict[str, Any], typed: str) -> None:
    answer = long_eeg["owner"].client.get(long_eeg["base"], params={"t": typed})
    assert answer.status_code == 422
    assert (
        "Invalid value for 't': seconds from the start of the recording, or h:mm:ss "
        f"(1:30:00) or m:ss (90:00); got '{typed}'"
    ) in unescape(answer.text)


def test_a_page_start_past_the_end_in_hours_is_named(long_eeg: dict[str, Any]) -> None:
    answer = long_eeg["owner"].client.get(long_eeg["base"], params={"t": "1:30:00"})
    assert answer.status_code == 422
    assert "got 5400" in unescape(answer.text)


def test_a_short_eegs_viewer_keeps_its_seconds(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Mia")
    eeg = upload(owner, child, CLIP)
    base = f"/children/{child}/attachments/{eeg}/eeg"
    html = owner.client.get(base).text
    assert _viewer_words(html)["head"] == "30 s, 19 channels at 256 Hz"
    assert '<input type="number" name="t"' in html
    # a time typed as m:ss is taken here too
    assert _viewer_words(owner.client.get(base, params={"t": "0:20"}).text)["where"].startswith(
        "20\u201330 s"
    )


def _failing_app(tmp_path: Path) -> Any:
    """The app with a page and an API address that fail inside (as a bug would)."""
    app = new_app(tmp_path)

    def fails() -> None:
        raise RuntimeError("the database row 42 of secret_table is odd")

    app.add_api_route("/failing-page", fails)
    app.add_api_route("/api/v1/failing", fails)
    return app


def test_a_failure_of_the_server_answers_with_the_apps_page(tmp_path: Path) -> None:
    """A page the server fails to make answers 500 in the app's frame (the signed-in
    header, the emergency call, try again, the start page), in the page's language; the
    API answers JSON; the exception goes on to the server, which logs its traceback; the
    page never shows it."""
    app = _failing_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    client = TestClient(app, raise_server_exceptions=False, cookies=owner.client.cookies)
    answer = client.get("/failing-page?from=list")
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-security-policy"].startswith("default-src 'self'")
    html = answer.text
    assert "secret_table" not in html and "Traceback" not in html
    said = _words(html)
    assert "Sorry Something went wrong on the server and this page could not be shown." in said
    assert 'href="/failing-page?from=list">Try again</a>' in html
    assert '<a href="/">Back to the start</a>' in html
    assert 'href="tel:112"' in html and "Call 112 now" in said
    assert "Sign out" in said and "Sign in" not in said  # the frame of whoever is signed in
    spanish = client.get("/failing-page", headers={"Accept-Language": "es"})
    assert spanish.status_code == 500 and "Llame ahora al 112" in _words(spanish.text)
    assert "Volver al inicio" in _words(spanish.text)

    api = client.get("/api/v1/failing")
    assert api.status_code == 500
    assert api.json() == {
        "detail": "The server failed to complete the request (an error on its side); try again"
    }
    assert "secret_table" not in api.text
    # the server itself still gets the exception, and logs it as before
    with pytest.raises(RuntimeError, match="secret_table"):
        TestClient(app).get("/failing-page")


def test_a_failure_that_breaks_the_frame_too_answers_a_bare_page(tmp_path: Path) -> None:
    """Where the app's frame cannot be drawn either (its templates are gone), the answer
    is a small page of its own: what happened, try again or the start page, and the
    emergency call; still no traceback."""
    app = _failing_app(tmp_path)
    app.state.templates = Jinja2Templates(directory=str(tmp_path / "no-templates"))
    client = TestClient(app, raise_server_exceptions=False)
    answer = client.get("/failing-page")
    assert answer.status_code == 500
    html = answer.text
    assert html.startswith("<!doctype html>") and "secret_table" not in html
    said = _words(html)
    assert "Something went wrong on the server and this page could not be shown." in said
    assert '<a href="/failing-page">Try again</a>' in html and '<a href="/">' in html
    assert '<a class="button call" href="tel:112">Call 112 now</a>' in html
    sent = client.post("/failing-page")  # a form sent: no "try again" that sends it again
    assert sent.status_code in (405, 500)
    spanish = client.get("/failing-page", headers={"Accept-Language": "es"})
    assert 'lang="es"' in spanish.text and "Llame ahora al 112" in spanish.text


# ------------------------------------------------------------------ offline, in a browser


def _until(page: Any, condition: str) -> Any:
    """Wait until the promise of ``condition`` (JavaScript, no argument) gives a truthy
    value in the page."""
    return page.evaluate(
        f"""async ([timeout]) => {{
            const condition = {condition};
            const deadline = Date.now() + timeout;
            for (;;) {{
                const value = await condition();
                if (value) return value;
                if (Date.now() > deadline) throw new Error("not in time");
                await new Promise(resolve => setTimeout(resolve, 100));
            }}
        }}""",
        [TIMEOUT_MS],
    )


def _sign_up_with_child(page: Any, email: str) -> int:
    page.goto("/signup")
    page.locator("#display_name").fill("Sam Parent")
    page.locator("#email").fill(email)
    page.locator("#password").fill("a long enough password")
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/children/new$"))
    page.locator("#name").fill("Robin")
    page.locator("#age_months").fill("6")
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/children/\d+$"))
    return int(page.url.rsplit("/", 1)[1])


def test_offline_the_kept_pages_are_the_signed_in_parents_and_dated_as_pages_date(
    server: str,  # noqa: F811
    chromium: Any,  # noqa: F811
    shots: Path,  # noqa: F811
) -> None:
    """Offline, the pages kept for it (fetched without cookies) show a signed-in parent
    the header of the pages (the children, settings), not "Sign in · Sign up"; an episode
    waiting on the phone is dated "Mon 07 Dec 2026, 21:00", as the pages date one, in the
    page's language."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = phone_page(chromium, server, service_workers="allow")
    child_id = _sign_up_with_child(page, "sam.kept@example.org")
    page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
    page.reload()
    page.wait_for_function("!!navigator.serviceWorker.controller")
    _until(page, "() => caches.match('/__kept-language').then(r => !!r)")
    _until(
        page,
        "() => window.spasmwatchStore.getMeta('nav').then(n => !!(n && n.en))",
    )
    context.set_offline(True)
    page.goto("/")
    nav = page.locator("header.top nav")
    expect(nav.get_by_role("link", name="Children")).to_have_attribute("href", "/children")
    expect(nav.get_by_role("link", name="Settings")).to_be_visible()
    expect(nav.get_by_role("link", name="Sign in")).to_have_count(0)
    expect(nav.get_by_role("link", name="Sign up")).to_have_count(0)
    page.screenshot(path=str(shots / "01-start-offline-signed-in.png"))

    page.goto(f"/children/{child_id}/episodes/new")
    expect(page.get_by_label("Child")).to_have_value(str(child_id))
    expect(nav.get_by_role("link", name="Sign in")).to_have_count(0)
    page.get_by_label("head drops or bobs forward").check()
    page.get_by_label("How many in a row?").fill("9")
    page.locator("#log-form [name=started_at]").fill("2026-12-07T21:00")
    page.get_by_role("button", name="Save on this phone").click()
    waiting = page.locator("#queue li.unsent")
    expect(waiting).to_contain_text("Robin, Mon 07 Dec 2026, 21:00.")
    page.screenshot(path=str(shots / "02-waiting-dated.png"))
    # the same, in Spanish: the page's language
    page.evaluate("document.documentElement.lang = 'es'; window.spasmwatchSend()")
    expect(waiting).to_contain_text("Robin, lun 07 dic 2026, 21:00.")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#queue li.unsent")).to_have_count(0)
    # signed out, a kept page's header is the one for no account again
    page.goto(f"/children/{child_id}")
    page.locator("form[action='/signout'] button").click()
    _until(page, "() => window.spasmwatchStore.getMeta('session').then(s => s === null)")
    context.set_offline(True)
    page.goto("/guide")
    expect(page.locator("header.top nav").get_by_role("link", name="Sign in")).to_be_visible()
    context.set_offline(False)
    assert problems == []
    context.close()
