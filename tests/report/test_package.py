"""The doctor package: one HTML file with the report, the videos' clips at the detected
events (and a short video whole) and the EEG plots, opened from ``file://`` in Debian's
Chromium with nothing fetched from anywhere, its clips playing and its detected times
seeking the video; written by ``spasmwatch export package`` and downloaded from the app."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from report.diary import MadeReport
from spasmwatch.report.package import PACKAGE_CSP, PACKAGE_VIDEO_MAX_BYTES, render_package
from web.test_browser import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, chromium  # noqa: F401

SHOTS = REPO_ROOT / "tests" / "artifacts" / "package"


@pytest.fixture(scope="module")
def package(made_report: MadeReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("package") / "package.html"
    path.write_text(render_package(made_report.data), encoding="utf-8")
    return path


def test_the_package_holds_everything_in_one_file(made_report: MadeReport, package: Path) -> None:
    html = package.read_text(encoding="utf-8")
    video = made_report.data.videos[0]
    assert video.clips and video.file is not None
    assert video.file.stat().st_size <= PACKAGE_VIDEO_MAX_BYTES
    media = re.findall(r'<video[^>]* src="([^"]*)"', html)
    # The whole video and one clip per detected event, all inside the file.
    assert len(media) == 1 + len(video.clips)
    assert all(src.startswith("data:video/mp4;base64,") for src in media)
    images = re.findall(r'<img[^>]* src="([^"]*)"', html)
    assert images and all(src.startswith("data:image/png;base64,") for src in images)
    assert f'content="{PACKAGE_CSP}"' in unescape(html)
    # No address outside the file: no link, no stylesheet, no script source.
    assert "<link" not in html and "<script src" not in html and "http://" not in html


def test_the_package_opens_from_a_file_and_plays(package: Path, chromium: Any) -> None:  # noqa: F811
    SHOTS.mkdir(parents=True, exist_ok=True)
    requested: list[str] = []
    problems: list[str] = []
    for viewport, name in (({"width": 390, "height": 844}, "phone"), (None, "desktop")):
        page = chromium.new_page(viewport=viewport or {"width": 1280, "height": 800})
        page.on("request", lambda r: requested.append(r.url))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(package.as_uri())
        # A clip plays where it is.
        page.eval_on_selector(".clip video", "v => { v.muted = true; return v.play(); }")
        page.wait_for_function(
            "() => document.querySelector('.clip video').currentTime > 0.2", timeout=15000
        )
        # A detected time plays the whole video from 1 s before it.
        seek = page.locator("button.seek").nth(2)
        at = float(seek.get_attribute("data-t") or 0)
        page.eval_on_selector("video.whole", "v => { v.muted = true; }")
        seek.click()
        page.wait_for_function(
            """at => {
                const v = document.querySelector('video.whole');
                return !v.paused && v.currentTime >= at - 1.05 && v.currentTime < at + 2;
            }""",
            arg=at,
            timeout=15000,
        )
        page.screenshot(path=str(SHOTS / f"package-{name}.png"), full_page=False)
        page.close()
    outside = [u for u in requested if not u.startswith(("file://", "data:"))]
    assert outside == []
    assert problems == []


def test_export_package_command_writes_the_file(
    made_report: MadeReport, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from spasmwatch.cli import run

    target = tmp_path / "for-the-doctor.html"
    settings = made_report.database.settings
    code = run(
        [
            "export",
            "package",
            str(made_report.child_id),
            "--data-dir",
            str(settings.data_dir),
            "--out",
            str(target),
        ]
    )
    assert code == 0
    said = capsys.readouterr().out
    assert "Doctor package of" in said
    # one video and one EEG are said in the singular
    assert "1 video with" in said and "1 EEG;" in said and "1 videos" not in said
    html = target.read_text(encoding="utf-8")
    assert html.count("data:video/mp4;base64,") == 1 + len(made_report.data.videos[0].clips)
    assert not list(tmp_path.glob("*.partial"))
    bad = run(
        [
            "export",
            "package",
            str(made_report.child_id),
            "--data-dir",
            str(settings.data_dir),
            "--from",
            "soon",
            "--out",
            str(tmp_path / "x.html"),
        ]
    )
    assert bad != 0
    assert "'from'" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()
