"""The report from the web app: the child page and share links, roles, the period, audit."""

from __future__ import annotations

from pathlib import Path

from report.pdf import pdf_text
from spasmwatch.store import repo
from web.webworld import (
    SPASM_EPISODE,
    add_child,
    add_member,
    anonymous,
    log_episode,
    new_app,
    share,
    sign_up,
)


def test_download_from_the_child_page_and_a_share_link(tmp_path: Path, database_url: str) -> None:
    app = new_app(tmp_path, database_url)
    owner = sign_up(app, "owner@example.org")
    viewer = sign_up(app, "viewer@example.org", "Viewer")
    other = sign_up(app, "other@example.org", "Other")
    child = add_child(owner, "Mia")
    add_member(owner, child, viewer, "viewer")
    for day in (18, 19, 20):
        log_episode(owner, child, {**SPASM_EPISODE, "started_at": f"2026-11-{day}T07:05:00"})

    page = owner.client.get(f"/children/{child}")
    assert f'href="/children/{child}/report.pdf"' in page.text
    assert "Download report (PDF)" in page.text

    pdf = viewer.client.get(f"/children/{child}/report.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]
    assert "spasmwatch-report-mia-" in pdf.headers["content-disposition"]

    html = owner.client.get(f"/children/{child}/report.html?from=2026-11-19&to=2026-11-20")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert "Mia" in html.text and "19 Nov 2026" in html.text
    # The period narrows the episodes; the onset (the first spasm-like episode) is the
    # diary's, whatever the period.
    assert "18 Nov" not in html.text.split('<table class="episodes">')[1]
    assert "first spasm-like episode logged on 18 Nov 2026" in html.text

    assert other.client.get(f"/children/{child}/report.pdf").status_code == 404
    nobody = anonymous(app)
    assert (
        nobody.client.get(f"/children/{child}/report.pdf", follow_redirects=False).status_code
        == 303
    )
    for query in ("from=20-11-2026", "from=2026-11-20&to=2026-11-01", "paper=a3"):
        bad = owner.client.get(f"/children/{child}/report.html?{query}")
        assert bad.status_code == 422, query

    token, _ = share(owner, child)
    shared_page = nobody.client.get(f"/s/{token}")
    assert f'href="/s/{token}/report.pdf"' in shared_page.text
    shared_pdf = nobody.client.get(f"/s/{token}/report.pdf?paper=letter")
    assert shared_pdf.status_code == 200 and shared_pdf.content.startswith(b"%PDF")
    assert nobody.client.get(f"/s/{token}/report.html").status_code == 200
    assert nobody.client.get("/s/not-a-token/report.pdf").status_code == 404

    with app.state.db.transaction() as s:
        entries = [e for e in repo.audit_for(s, child) if e.action == "report"]
    assert len(entries) == 4
    assert sum(e.share_link_id is not None for e in entries) == 2
    assert any(e.detail == "html 2026-11-19..2026-11-20" for e in entries)
    app.state.db.dispose()


def test_a_childs_name_with_accents_keeps_the_reports_file_name(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "ana@example.org")
    child = add_child(owner, "Lucía")
    html = owner.client.get(f"/children/{child}/report.html")
    disposition = html.headers["content-disposition"]
    # A plain ASCII name for old clients, and the real one in UTF-8 (RFC 6266).
    assert 'filename="spasmwatch-report-lucia-' in disposition
    assert "filename*=UTF-8''spasmwatch-report-luc%C3%ADa-" in disposition
    disposition.encode("ascii")  # nothing a client would have to guess the encoding of


def test_the_report_is_in_the_pages_language(tmp_path: Path) -> None:
    """The report downloaded from a Spanish page (the switch, or the browser's language) is
    in Spanish, on the child page and at a share link; the English page's stays English."""
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Mia")
    log_episode(owner, child, {**SPASM_EPISODE, "started_at": "2026-11-18T07:05:00"})
    period = "from=2026-11-18&to=2026-11-20"

    english = owner.client.get(f"/children/{child}/report.html?{period}")
    assert '<html lang="en">' in english.text and "Summary of the period" in english.text
    owner.client.cookies.set("sw_lang", "es")
    spanish = owner.client.get(f"/children/{child}/report.html?{period}")
    assert spanish.status_code == 200
    assert '<html lang="es">' in spanish.text and "Resumen del periodo" in spanish.text
    assert "primer episodio parecido a espasmos anotado el 18 nov 2026" in spanish.text
    assert "Summary of the period" not in spanish.text
    pdf = tmp_path / "informe.pdf"
    pdf.write_bytes(owner.client.get(f"/children/{child}/report.pdf?{period}").content)
    text = pdf_text(pdf)
    assert "Resumen del periodo" in text and "Página 1 de" in text

    token, _ = share(owner, child)
    nobody = anonymous(app)
    shared = nobody.client.get(f"/s/{token}/report.html", headers={"Accept-Language": "es"})
    assert '<html lang="es">' in shared.text and "Hallazgos del EEG" in shared.text
    package = nobody.client.get(f"/s/{token}/package.html", headers={"Accept-Language": "es"})
    assert '<html lang="es">' in package.text
    assert '<html lang="en">' in nobody.client.get(f"/s/{token}/report.html").text
    app.state.db.dispose()
