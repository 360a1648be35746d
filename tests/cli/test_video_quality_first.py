"""``spasmwatch video analyze`` says a picture that limits its counts before the counts: a
dark room's "otros: 9" read first reads as a result (subprocess: what a user sees)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from report.recordings import QUIET, dark_video
from spasmwatch.i18n import translations
from spasmwatch.testing.video.render import SceneSpec, render

#: The counts' line, whose start is looked for in the summary.
COUNTS = (
    "Spasm-like: %(spasm_like)s   jerks: %(jerk)s   rhythmic: %(rhythmic)s   "
    "other: %(other)s   clusters: %(clusters)s   (sensitivity %(sensitivity)s)"
)


def _summary(video: Path, lang: str = "en") -> str:
    """The printed summary, its lines joined (the terminal's width wraps them)."""
    proc = subprocess.run(
        [sys.executable, "-m", "spasmwatch", "video", "analyze", str(video), "--lang", lang],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return " ".join(proc.stdout.split())


@pytest.fixture(scope="module")
def dark(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dark_video(tmp_path_factory.mktemp("dark"))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_dark_videos_quality_problem_comes_before_its_counts(dark: Path, lang: str) -> None:
    said = _summary(dark, lang)
    _ = translations(lang).gettext
    quality = _("Video quality: %(problems)s.") % {"problems": _("too dark")}
    counts = _(COUNTS).split("%")[0].strip()
    assert said.startswith(f"{dark}: ")  # the file and its size first
    assert " fps " + quality + " " + counts in said, said


def test_a_good_picture_has_no_quality_line(tmp_path: Path) -> None:
    """The same cluster filmed in a lit room: its picture passes every check, and the
    summary goes from its header to its counts."""
    lit = tmp_path / "lit.mp4"
    render(SceneSpec("dark", seed=4, **{**QUIET, "clusters": 1, "cluster_size": (4, 5)}), lit)
    said = _summary(lit)
    assert "Video quality:" not in said
    assert " fps " + COUNTS.split("%")[0].strip() in said, said
