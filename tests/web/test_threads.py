"""How many request handlers a web process runs at once, and the slow routes' own threads."""

from __future__ import annotations

import inspect
import threading
from pathlib import Path

import anyio.to_thread
import pytest
from fastapi import Request
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient

from spasmwatch.config import Settings
from spasmwatch.errors import SpasmwatchError
from spasmwatch.web import create_app
from spasmwatch.web.routes import eeg, exports, reports
from spasmwatch.web.threads import slow


def test_the_handler_threads_setting_is_read_and_checked() -> None:
    assert Settings.from_env({}).web_threads == 1
    assert Settings.from_env({"SPASMWATCH_WEB_THREADS": " 6 "}).web_threads == 6
    for bad in ("0", "many", "-3", "1.5", "201"):
        with pytest.raises(SpasmwatchError, match=r"SPASMWATCH_WEB_THREADS.*1 to 200"):
            Settings.from_env({"SPASMWATCH_WEB_THREADS": bad})


def _tokens() -> float:
    return anyio.to_thread.current_default_thread_limiter().total_tokens


def test_the_app_runs_as_many_handlers_at_once_as_set(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", web_threads=3))
    with TestClient(app) as client:
        assert client.portal is not None
        assert client.portal.call(_tokens) == 3
        assert client.get("/").status_code == 200


def test_a_slow_route_does_not_hold_up_the_pages(tmp_path: Path) -> None:
    """With one handler thread for pages, a page still answers while a slow route (a
    report, an export, an upload) is busy: the slow one runs on threads of its own."""
    app = create_app(Settings(data_dir=tmp_path / "data", web_threads=1))
    started, release = threading.Event(), threading.Event()

    @app.get("/slow-for-the-test")
    @slow
    def busy(request: Request) -> PlainTextResponse:
        started.set()
        release.wait(30)
        return PlainTextResponse("done")

    with TestClient(app) as client:
        answers: list[str] = []
        first = threading.Thread(
            target=lambda: answers.append(client.get("/slow-for-the-test").text)
        )
        first.start()
        try:
            assert started.wait(30)
            assert client.get("/").status_code == 200  # one thread for pages, and it is free
            assert first.is_alive() and not answers  # the slow one is still busy
        finally:
            release.set()
            first.join(30)
        assert answers == ["done"]


def test_reports_and_exports_run_on_the_slow_threads() -> None:
    """The routes that can take seconds are marked slow (FastAPI awaits them, and they run on
    the slow handlers' limiter); they keep their own parameters."""
    for module, names in (
        (reports, ["child_report_pdf", "child_report_html", "shared_report_pdf", "child_package"]),
        (exports, ["export_fhir", "export_csv", "export_csv_tables"]),
        (eeg, ["eeg_viewer", "eeg_page_image", "shared_eeg_viewer", "shared_eeg_page_image"]),
    ):
        for name in names:
            route = getattr(module, name)
            assert inspect.iscoroutinefunction(route), name
            assert route.__wrapped__.__name__ == name
