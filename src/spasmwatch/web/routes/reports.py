"""The clinician report: HTML and PDF downloads from the child page and share links, and the
doctor package (the report with the video clips embedded, one HTML file).

``?from=YYYY-MM-DD&to=YYYY-MM-DD`` choose the period (default: from the first episode to
today); ``?paper=letter`` prints on US Letter instead of A4. The report is in the page's
language (:func:`spasmwatch.web.i18n.locale_of`). Every download is audited.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response

from spasmwatch.diary import reporting
from spasmwatch.diary.access import hash_token
from spasmwatch.errors import InvalidInput, SpasmwatchError
from spasmwatch.report import PAPERS, ReportData, parse_period, render_html, render_pdf
from spasmwatch.report.render import REPORT_CSP, TABLES_CSS
from spasmwatch.web.auth import Principal
from spasmwatch.web.downloads import content_disposition, download_name
from spasmwatch.web.i18n import locale_of
from spasmwatch.web.routes import database, principal, read_audit
from spasmwatch.web.threads import slow

router = APIRouter(include_in_schema=False)


@router.get("/report/tables.css")
def report_tables_css() -> Response:
    """The styles of the report's tables, for the clinician view that shows them too."""
    return FileResponse(TABLES_CSS, media_type="text/css")


def _query(request: Request) -> tuple[date | None, date | None, str]:
    """The period and paper in the query (``InvalidInput``: 422 with the reason)."""
    query = request.query_params
    paper = query.get("paper") or "a4"
    if paper not in PAPERS:
        raise InvalidInput(
            "Invalid value for 'paper': allowed are %(allowed)s; got %(got)s",
            allowed=", ".join(PAPERS),
            got=repr(paper),
        )
    start, end = parse_period(query.get("from"), query.get("to"))
    return start, end, paper


def _filename(data: ReportData, what: str, ext: str) -> str:
    """The report's file name (``what``: ``report`` or ``package``), as every download of
    the diary is named: by the child and the period's last day."""
    return download_name(what, data.child.name, data.end, ext)


def _respond(
    data: ReportData, paper: str, ext: str, locale: str, kept_by: str | None = None
) -> Response:
    """The report (``ext``: pdf, html, or the doctor package) in ``locale``'s words,
    naming who keeps the diary on this server (``kept_by``: ``SPASMWATCH_HOSTED_BY``)."""
    if ext == "package":
        from spasmwatch.report.package import PACKAGE_CSP, render_package

        name = _filename(data, "package", "html")
        return HTMLResponse(
            render_package(data, paper, locale, kept_by),  # type: ignore[arg-type]
            headers={
                "Content-Disposition": content_disposition("attachment", name),
                "Content-Security-Policy": f"{PACKAGE_CSP}; frame-ancestors 'none'",
            },
        )
    if ext == "pdf":
        try:
            pdf = render_pdf(data, paper, locale, kept_by)  # type: ignore[arg-type]
        except SpasmwatchError as exc:
            raise HTTPException(503, str(exc)) from None
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": content_disposition(
                    "attachment", _filename(data, "report", "pdf")
                )
            },
        )
    return HTMLResponse(
        render_html(data, paper, locale=locale, kept_by=kept_by),  # type: ignore[arg-type]
        headers={
            "Content-Disposition": content_disposition("inline", _filename(data, "report", "html")),
            "Content-Security-Policy": f"{REPORT_CSP}; frame-ancestors 'none'",
        },
    )


def _child_report(request: Request, child_id: int, who: Principal, ext: str) -> Response:
    start, end, paper = _query(request)
    data = reporting.child_report(
        database(request), who, child_id, read_audit(request), start, end, ext
    )
    kept_by = request.app.state.settings.hosted_by
    return _respond(data, paper, ext, locale_of(request), kept_by)


def _shared_report(request: Request, token: str, ext: str) -> Response:
    start, end, paper = _query(request)
    data = reporting.shared_report(
        database(request), hash_token(token), read_audit(request), start, end, ext
    )
    kept_by = request.app.state.settings.hosted_by
    return _respond(data, paper, ext, locale_of(request), kept_by)


@router.get("/children/{child_id}/report.pdf")
@slow
def child_report_pdf(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    """The child's report as a PDF download."""
    return _child_report(request, child_id, who, "pdf")


@router.get("/children/{child_id}/report.html")
@slow
def child_report_html(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    """The child's report as one self-contained web page."""
    return _child_report(request, child_id, who, "html")


@router.get("/s/{token}/report.pdf")
@slow
def shared_report_pdf(request: Request, token: str) -> Response:
    """The shared child's report as a PDF download."""
    return _shared_report(request, token, "pdf")


@router.get("/s/{token}/report.html")
@slow
def shared_report_html(request: Request, token: str) -> Response:
    """The shared child's report as one self-contained web page."""
    return _shared_report(request, token, "html")


@router.get("/children/{child_id}/package.html")
@slow
def child_package(request: Request, child_id: int, who: Principal = Depends(principal)) -> Response:
    """The doctor package: the report with the video clips in one file, as a download."""
    return _child_report(request, child_id, who, "package")


@router.get("/s/{token}/package.html")
@slow
def shared_package(request: Request, token: str) -> Response:
    """The shared child's doctor package, as a download."""
    return _shared_report(request, token, "package")
