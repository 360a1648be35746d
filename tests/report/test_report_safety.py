"""The report is untrusted text made into CSS, HTML and a PDF: a child's name can neither
break out of its CSS string nor make WeasyPrint or a browser fetch anything."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from report.pdf import pdf_text
from spasmwatch.diary.reporting import build_report
from spasmwatch.report import render_html, render_pdf
from spasmwatch.report.render import REPORT_CSP, _css_string, _write_pdf, check_url
from spasmwatch.store import Database, repo


class Server:
    """A local HTTP server that counts the requests it gets."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture
def server() -> Iterator[Server]:
    found = Server()
    yield found
    found.httpd.shutdown()


def crafted_names(url: str) -> list[str]:
    payload = f"}} html {{ background: url({url}/css) }} x {{ content: 'x"
    return [
        f"Mia\r{payload}",
        f"Mia\n{payload}",
        f"Mia\f{payload}",
        f'Mia"; {payload}',
        f"Mia\\\r{payload}",
        f"Mia\x0b\r{payload}",
        f"Mia</style><img src='{url}/html'>",
    ]


def test_css_strings_keep_only_letters_digits_spaces_and_escapes() -> None:
    for name in crafted_names("http://example.org"):
        escaped = _css_string(name)
        assert re.fullmatch(r"(?:[\w ]|\\[0-9a-f]+ )*", escaped), escaped
    assert _css_string("Zoë Ñ 3") == "Zoë Ñ 3"
    assert _css_string('a"b') == "a\\22 b"


def test_a_crafted_name_fetches_nothing(db: Database, server: Server, tmp_path: Path) -> None:
    now = datetime(2026, 11, 20, 9, 0)
    for i, name in enumerate(crafted_names(server.url)):
        with db.transaction() as s:
            user = repo.create_user(s, f"p{i}@example.org", "Parent", "x")
            child_id = repo.create_child(s, user.id, name, age_months=6.0).id
        data = build_report(db, child_id, now=now)
        html = render_html(data)
        meta = REPORT_CSP.replace("'", "&#39;")
        assert f'<meta http-equiv="Content-Security-Policy" content="{meta}">' in html
        assert "<img src='" not in html
        pdf = tmp_path / f"{i}.pdf"
        pdf.write_bytes(render_pdf(data))
        assert "Mia" in pdf_text(pdf)
    assert server.hits == []


def test_weasyprint_loads_nothing_outside_the_package(server: Server) -> None:
    from weasyprint import HTML

    html = (
        f'<link rel="stylesheet" href="{server.url}/sheet.css">'
        f'<img src="{server.url}/img.png"><img src="file:///etc/hostname">'
        f"<style>p {{ background: url({server.url}/bg.png) }}</style><p>hello</p>"
    )
    pdf = _write_pdf(HTML, html)
    assert pdf.startswith(b"%PDF")
    assert server.hits == []
    for url in (f"{server.url}/x", "file:///etc/passwd", "ftp://example.org/x"):
        with pytest.raises(ValueError, match="may not load"):
            check_url(url)
    assert check_url("data:text/plain,hi") == "data:text/plain,hi"
