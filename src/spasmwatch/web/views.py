"""Presentation helpers several route modules share (route modules never import each
other): the child page's template context, the analysis fragment, uploads."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import FileResponse, Response
from markupsafe import Markup
from starlette.datastructures import UploadFile

from spasmwatch.attachments import check_readable
from spasmwatch.diary import children, recordings
from spasmwatch.diary.overview import Overview
from spasmwatch.diary.recordings import AnalysisState
from spasmwatch.store.files import CHUNK, StoredFile, store_stream
from spasmwatch.web.auth import Principal
from spasmwatch.web.clock import page_today
from spasmwatch.web.i18n import gettext
from spasmwatch.web.render import day_chart_svg, page
from spasmwatch.web.routes import database, read_audit

__all__ = [
    "ShareAddress",
    "analysis_fragment",
    "file_response",
    "first_part",
    "period_starts",
    "share_address",
    "store_upload",
    "view_context",
]


def view_context(view: Overview) -> dict[str, Any]:
    """What the child page and the share page templates get from an overview."""
    return {
        "child": view.child,
        "case": {"child": view.child_doc},
        "result": view.triage,
        "rows": view.rows,
        "hidden": view.hidden,
        "attachments": view.attachments,
        "chart": day_chart_svg(view.day_counts, page_today()),
        "period_starts": period_starts(),
        "care": view.care,
    }


def period_starts() -> dict[int, str]:
    """The usual report periods (last 14 and 90 days) by their first day, counted from
    the family's day (:func:`~spasmwatch.web.clock.page_today`)."""
    today = page_today()
    return {n: (today - timedelta(days=n - 1)).isoformat() for n in (14, 90)}


@dataclass(frozen=True)
class ShareAddress:
    """A new share link as the owner sees it: its address, whether only this machine can
    open it, and a QR code of it (inline SVG; ``None`` for a link only this machine opens,
    which a phone scanning it could not)."""

    url: str
    local_only: bool
    qr_svg: Markup | None


def _loopback(host: str | None) -> bool:
    if not host or host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def share_address(request: Request, token: str) -> ShareAddress:
    """The address of the share link with ``token``: on ``SPASMWATCH_PUBLIC_URL`` when it is
    set, else on the address the page was opened with (which works on this machine only
    when that is a loopback address such as 127.0.0.1 or localhost)."""
    import segno

    public: str | None = request.app.state.settings.public_url
    base = public or str(request.base_url).rstrip("/")
    url = f"{base}/s/{token}"
    local_only = public is None and _loopback(request.url.hostname)
    if local_only:
        return ShareAddress(url, True, None)
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(
        border=4,
        dark="#000",
        light="#fff",
        omitsize=True,
        svgclass="qr",
        title=gettext("QR code of the link"),
    )
    # segno escapes the title; the rest is its own markup with no script or style.
    return ShareAddress(url, False, Markup(svg.replace("<svg ", '<svg role="img" ', 1)))


def analysis_fragment(
    request: Request, who: Principal, found: AnalysisState, base: str, role: str | None = None
) -> Response:
    """The analysis part of the timeline for one attachment (polled while it waits or
    runs); caregivers and owners may start it again at another sensitivity. ``role``:
    ``share`` for the clinician view (what was found is said for a clinician)."""
    return page(
        request,
        "_analysis.html",
        who,
        a=found.attachment,
        progress=found.progress,
        attachment_base=base,
        role=role or found.role,
    )


def first_part(request: Request) -> bool:
    """Whether a file is asked for from its start: the whole file, or the first part of a
    video the browser plays in pieces (HTTP Range); the later pieces are not audited again."""
    asked = request.headers.get("range", "").replace(" ", "")
    return not asked.startswith("bytes=") or asked.startswith("bytes=0-")


def file_response(request: Request, path: Path, media_type: str, filename: str) -> FileResponse:
    """A stored file, answering HTTP Range requests (so a video can be played and sought
    in the page); ``?inline=1`` asks for it to be shown rather than saved (the players)."""
    inline = request.query_params.get("inline") == "1"
    return FileResponse(
        path,
        media_type=media_type,
        filename=filename,
        content_disposition_type="inline" if inline else "attachment",
    )


def _chunks(upload: UploadFile) -> Iterator[bytes]:
    upload.file.seek(0)
    while chunk := upload.file.read(CHUNK):
        yield chunk


def store_upload(request: Request, upload: UploadFile) -> StoredFile:
    """Write an uploaded file to the attachment store (checked by size and content, and
    opened as the video or EEG file it says it is)."""
    return store_stream(
        _chunks(upload),
        request.app.state.db.attachments_dir,
        request.app.state.settings.max_upload_bytes,
        upload.filename or "upload",
        readable=check_readable,
    )


def attachment_file(
    request: Request, who: Principal, child_id: int, attachment_id: int
) -> Response:
    """A child's video or EEG file for someone who may view the child (the page link and
    the API route): played in pieces or downloaded, the download audited once."""
    db = database(request)
    children.get(db, who, child_id, "view")
    row, path = recordings.file_of(
        db,
        child_id,
        attachment_id,
        read_audit(request),
        user_id=who.user_id,
        audited=first_part(request),
    )
    return file_response(request, path, row.content_type, row.filename)
