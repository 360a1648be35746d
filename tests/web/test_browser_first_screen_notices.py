"""What a phone's first screen (390x844) says on the diary's pages, in a real browser
(Debian's Chromium) against the real server, in English and Spanish.

- Episodes typed on this phone before there was a child wait on it: the child's page and
  the children's list say so in one short line with the way to the form, at the bottom of
  the first screen (above "Log an episode" on the child's page), without pushing a child's
  emergency, the answer or an alert down: each is where it was without the line.
- A video and an EEG that both ask for a doctor sooner than the diary's answer made one
  long box (the video's paragraph alone filled the screen): they are two short items,
  the most urgent first (the EEG's "Today" before the video's "Within days"), each its
  own headline and action, with what it found folded under them.

Screenshots go to ``tests/artifacts/first-screen-notices/`` (ignored by git), to be looked
at.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.i18n import translations
from spasmwatch.store import repo
from web.test_browser import (  # noqa: F401 (the browser fixture)
    PHONE,
    REPO_ROOT,
    TIMEOUT_MS,
    _small_video,
    chromium,
    running_server,
    shots,
)
from web.test_browser_parent_without_account import _on_first_screen, _phone, _waiting
from web.webworld import (
    EDF_FILE,
    PASSWORD,
    SPASM_EPISODE,
    add_child,
    log_episode,
    new_app,
    sign_up,
    upload,
)

SHOTS = REPO_ROOT / "tests" / "artifacts" / "first-screen-notices"
#: A 30 s EEG clip, analysed quickly; its reading is then set to "likely" hypsarrhythmia.
CLIP = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg1.edf"
VIDEO = "evening.mp4"
EMAIL = "first.screen@example.org"
#: Two drafts as ``static/offline.js`` keeps them.
DRAFTS = """[{key: '3f2b9c1e-8a47-4d2b-9e3f-0c1d2e3f4a5b', fields: [['count', '3']], created: 1,
  checked: false}, {key: '3f2b9c1e-8a47-4d2b-9e3f-0c1d2e3f4a5c', fields: [['count', '4']],
  created: 2, checked: false}]"""


@pytest.fixture(scope="module")
def family(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The real server on a diary made beforehand: Leo, an emergency an hour ago; Mia, a
    routine answer with a likely-hypsarrhythmia EEG (today) and a video with a few
    spasm-like movements (within days)."""
    tmp = tmp_path_factory.mktemp("first-screen")
    app = new_app(tmp)
    owner = sign_up(app, EMAIL)
    leo = add_child(owner, "Leo")
    started = (datetime.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:00")
    log_episode(
        owner,
        leo,
        {"red_flags": ["blue_or_grey"], "movements": ["limb_jerk"], "started_at": started},
    )
    mia = add_child(owner, "Mia")
    log_episode(owner, mia, {**SPASM_EPISODE, "movements": ["hiccups"], "count": 1})
    eeg = upload(owner, mia, CLIP)
    video = upload(owner, mia, _small_video(tmp / VIDEO))
    with app.state.db.transaction() as s:
        row = repo.get_attachment(s, video)
        found = {**row.analysis["result"], "summary": {"spasm_like": 2, "clusters": 0}}
        repo.set_attachment_analysis(s, row.id, {**row.analysis, "result": found})
        row = repo.get_attachment(s, eeg)
        result = row.analysis["result"]
        likely = {**result["background"], "hypsarrhythmia_assessment": "likely"}
        likely["hypsarrhythmia_likely"] = True
        repo.set_attachment_analysis(
            s, row.id, {**row.analysis, "result": {**result, "background": likely}}
        )
    with running_server(tmp / "data") as base:
        yield {"server": base, "leo": leo, "mia": mia, "eeg": eeg, "video": video}


def _signed_in(chromium: Any, family: dict[str, Any], lang: str) -> tuple[Any, Any, list[str]]:  # noqa: F811
    context, page, problems = _phone(chromium, family["server"], lang)
    page.goto("/signin")
    page.locator("#email").fill(EMAIL)
    page.locator("#password").fill(PASSWORD)
    page.locator("main button[type=submit]").first.click()
    page.wait_for_url("**/children")
    return context, page, problems


def _y(page: Any, selector: str) -> float:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return float(box["y"])


def _above_the_bar(page: Any, selector: str) -> bool:
    """Whether ``selector`` ends on the first screen above the bar at its bottom."""
    box = page.locator(selector).first.bounding_box()
    bar = page.locator(".phone-bar").bounding_box()
    assert box is not None and bar is not None, selector
    return _on_first_screen(page.locator(selector).first) and box["y"] + box["height"] <= bar["y"]


def _with_drafts(page: Any) -> None:
    page.evaluate(f"window.spasmwatchStore.setMeta('drafts', {DRAFTS})")
    page.reload()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_drafts_line_is_on_the_first_screen_and_pushes_nothing_down(
    chromium: Any,  # noqa: F811
    family: dict[str, Any],
    shots: Path,  # noqa: F811
    lang: str,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page, problems = _signed_in(chromium, family, lang)
    leo, mia = f"/children/{family['leo']}", f"/children/{family['mia']}"
    # Where each thing is without drafts on the phone.
    watched = {
        leo: ["#triage .emergency-now", "#triage .emergency-now .button.call"],
        mia: [".eeg-alert", ".video-alert", "#triage-title"],
        "/children": [".list .button.call", ".list li:last-child"],
    }
    before: dict[str, list[float]] = {}
    for path, selectors in watched.items():
        page.goto(path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("#drafts-waiting")).to_be_hidden()
        before[path] = [_y(page, s) for s in selectors]
    _with_drafts(page)
    for path, selectors in watched.items():
        page.goto(path)
        line = page.locator("#drafts-waiting")
        expect(line.locator("a[href='/log']")).to_have_text(_waiting(lang, 2))
        assert _on_first_screen(line), path
        assert [_y(page, s) for s in selectors] == before[path], path
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(shots / f"drafts-{name}-{lang}.png"))
    # The emergency's call stays whole above the bar; the line leads to the form.
    page.goto(leo)
    expect(page.locator("#drafts-waiting")).to_be_visible()
    assert _above_the_bar(page, "#triage .emergency-now .button.call")
    page.locator("#drafts-waiting a").click()
    page.wait_for_url("**/log")
    expect(page.locator("#log-restored")).to_be_visible()
    assert problems == []
    context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_two_alerts_are_two_short_items_the_most_urgent_first(
    chromium: Any,  # noqa: F811
    family: dict[str, Any],
    shots: Path,  # noqa: F811
    lang: str,
) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    said = translations(lang)
    context, page, problems = _signed_in(chromium, family, lang)
    page.goto(f"/children/{family['mia']}")
    _with_drafts(page)  # the bar at its tallest
    expect(page.locator("#drafts-waiting")).to_be_visible()
    items = page.locator("#triage .act-sooner-list > .act-sooner")
    expect(items).to_have_count(2)
    eeg, video = items.nth(0), items.nth(1)
    # the most urgent first: the EEG's today, then the video's within days
    expect(eeg).to_have_class("act-sooner level-same_day eeg-alert")
    expect(video).to_have_class("act-sooner level-soon video-alert")
    expect(eeg.locator(".act-sooner-step")).to_have_text(
        said.gettext("Today")
        + " "
        + said.gettext("The EEG “%(name)s” asks for a doctor today.") % {"name": CLIP.name}
    )
    expect(video.locator(".act-sooner-step")).to_have_text(
        said.gettext("Within days")
        + " "
        + said.gettext("The video “%(name)s” asks for a doctor within the next few days.")
        % {"name": VIDEO}
    )
    # each its own action, to its recording
    expect(eeg.locator(".act-sooner-action a")).to_have_text(said.gettext("See the EEG"))
    expect(eeg.locator(".act-sooner-action a")).to_have_attribute(
        "href", f"#recording-{family['eeg']}"
    )
    expect(video.locator(".act-sooner-action a")).to_have_text(said.gettext("See the video"))
    expect(video.locator(".act-sooner-action a")).to_have_attribute(
        "href", f"#recording-{family['video']}"
    )
    # short: both headlines and actions on the first screen, above the bar
    for selector in (
        ".eeg-alert .act-sooner-step",
        ".eeg-alert .act-sooner-action a",
        ".video-alert .act-sooner-step",
        ".video-alert .act-sooner-action a",
    ):
        assert _above_the_bar(page, selector), selector
    for item in (eeg, video):
        box = item.bounding_box()
        assert box is not None and box["height"] < PHONE["height"] / 3, box
    # what each found is folded under them, and opens on a tap
    found = video.locator(".act-sooner-more p")
    expect(found).to_be_hidden()
    page.screenshot(path=str(shots / f"two-alerts-{lang}.png"))
    video.locator(".act-sooner-more summary").click()
    expect(found).to_contain_text(said.gettext("The video “%(name)s”:") % {"name": VIDEO})
    expect(eeg.locator(".act-sooner-more p")).to_be_hidden()
    # what they are sooner than is said once, after them
    expect(page.locator(".act-sooner-both")).to_have_text(
        said.gettext(
            "Both ask for a doctor sooner than the answer below, which reads only the diary."
        )
    )
    # the step in "What to do now" still names both
    expect(page.locator(".act-sooner-first")).to_have_count(1)
    page.screenshot(path=str(shots / f"two-alerts-full-{lang}.png"), full_page=True)
    assert problems == []
    context.close()
