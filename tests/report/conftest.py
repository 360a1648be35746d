"""The realistic child's report, made once for the report tests (SQLite), and the command
line run in the tests' own process (the exports and imports).

Building the report analyses a rendered video and a real EEG clip and renders the PDF, so
it is shared by every test of the module that asks for it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest

from report.diary import HELSINKI_CLIP, MadeReport, attach, cluster_video, make_child
from spasmwatch.cli import run
from spasmwatch.config import Settings
from spasmwatch.diary.reporting import build_report
from spasmwatch.report import render_html, render_pdf
from spasmwatch.store import Database


@pytest.fixture(scope="session")
def made_report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MadeReport]:
    """The report of three weeks of diary with an analysed video and EEG, as PDF and PNGs."""
    folder = tmp_path_factory.mktemp("report")
    database = Database(Settings(data_dir=folder / "data"))
    database.migrate()
    now = datetime.now().replace(microsecond=0)
    child_id, user_id = make_child(database, now)
    attach(database, child_id, user_id, cluster_video(folder / "clip.mp4"))
    attach(database, child_id, user_id, HELSINKI_CLIP)
    data = build_report(database, child_id, now=now)
    pdf = folder / "report.pdf"
    pdf.write_bytes(render_pdf(data))
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(folder / "page")], check=True)
    pages = sorted(folder.glob("page-*.png"))
    yield MadeReport(database, child_id, now, data, render_html(data), pdf, pages)
    database.dispose()


@dataclass
class Ran:
    """What a command did: its exit status, its standard output as printed, and its
    standard error with its lines joined (a terminal may wrap a long problem)."""

    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Ran]:
    """The command line, run in this process (one start-up instead of one per command), on
    a terminal wide enough for a problem a line."""
    monkeypatch.setenv("COLUMNS", "300")

    def call(*args: str) -> Ran:
        capsys.readouterr()
        code = run(list(args))
        captured = capsys.readouterr()
        return Ran(code, captured.out, " ".join(captured.err.split()))

    return call
