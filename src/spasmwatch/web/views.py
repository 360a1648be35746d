"""Presentation helpers several route modules share (route modules never import each
other): the child page's template context, the analysis fragment, uploads."""

from __future__ import annotations

import ipaddress
import re
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
from spasmwatch.diary.audit import FileRead
from spasmwatch.diary.overview import Overview
from spasmwatch.diary.recordings import AnalysisState
from spasmwatch.errors import InvalidInput
from spasmwatch.images import image_in
from spasmwatch.store.files import CHUNK, StoredFile, store_stream
from spasmwatch.web.auth import Principal
from spasmwatch.web.clock import page_today
from spasmwatch.web.downloads import content_disposition
from spasmwatch.web.i18n import gettext, locale_of
from spasmwatch.web.render import day_chart, page
from spasmwatch.web.routes import database, read_audit

__all__ = [
    "PAGE_VIEW",
    "InviteAddress",
    "ShareAddress",
    "analysis_fragment",
    "analysis_image",
    "attachment_file",
    "download",
    "file_read",
    "file_response",
    "invite_address",
    "period_starts",
    "share_address",
    "store_upload",
    "view_context",
]


def view_context(view: Overview) -> dict[str, Any]:
    """What the child page and the share page templates get from an overview."""
    chart = day_chart(view.day_counts, page_today())
    return {
        "child": view.child,
        "case": {"child": view.child_doc},
        "result": view.triage,
        "rows": view.rows,
        "hidden": view.hidden,
        "attachments": view.attachments,
        "chart": chart.svg,
        "chart_lookalikes": chart.lookalikes,
        "chart_uncounted": chart.uncounted,
        "period_starts": period_starts(),
        "care": view.care,
        "video_alert": view.video_alert,
        "eeg_alert": view.eeg_alert,
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


def _site(request: Request) -> tuple[str, bool]:
    """The family's server as others reach it: ``SPASMWATCH_PUBLIC_URL`` when it is set,
    else the address this page was opened with (its Host); and whether only this machine
    can open it (a loopback address such as 127.0.0.1 or localhost)."""
    public: str | None = request.app.state.settings.public_url
    base = public or str(request.base_url).rstrip("/")
    return base, public is None and _loopback(request.url.hostname)


def share_address(request: Request, token: str) -> ShareAddress:
    """The address of the share link with ``token``: on ``SPASMWATCH_PUBLIC_URL`` when it is
    set, else on the address the page was opened with (which works on this machine only
    when that is a loopback address such as 127.0.0.1 or localhost)."""
    import segno

    base, local_only = _site(request)
    url = f"{base}/s/{token}"
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


@dataclass(frozen=True)
class InviteAddress:
    """The invitation link to send to a person given a role (on the same server address
    as a share link), and whether only this machine can open it."""

    url: str
    local_only: bool


def invite_address(request: Request, token: str) -> InviteAddress:
    """The address of the invitation link with ``token`` (see :func:`share_address` for
    which address)."""
    base, local_only = _site(request)
    return InviteAddress(f"{base}/invite/{token}", local_only)


def download(content: str | bytes, media_type: str, filename: str) -> Response:
    """An export as a file to save (``filename``: a child's diary's from
    :func:`~spasmwatch.web.downloads.download_name`, its letters kept in UTF-8)."""
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": content_disposition("attachment", filename)},
    )


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
        child=found.child,
        progress=found.progress,
        attachment_base=base,
        role=role or found.role,
    )


#: A page view's id in a player's address (``?inline=1&view=...``; see
#: :func:`~spasmwatch.web.render.page`).
PAGE_VIEW = re.compile(r"[A-Za-z0-9_-]{8,64}")


def file_read(request: Request) -> FileRead:
    """How a stored file is asked for, for its audit entry: ``?inline=1`` (a player in the
    page, or a clip opened in the browser) with ``view``, the page view the player belongs
    to; the whole file or its first piece (HTTP Range ``bytes=0-``), or a later piece of a
    video the browser plays in pieces."""
    asked = request.headers.get("range", "").replace(" ", "")
    from_start = not asked.startswith("bytes=") or asked.startswith("bytes=0-")
    inline = request.query_params.get("inline") == "1"
    view = request.query_params.get("view")
    if view is not None and not PAGE_VIEW.fullmatch(view):
        raise InvalidInput(
            "Invalid value for 'view': the page view of a player, 8 to 64 letters, digits, "
            "'-' or '_'; got %(got)s",
            got=repr(view[:80]),
        )
    return FileRead(inline=inline, from_start=from_start, page_view=view if inline else None)


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


def analysis_image(request: Request, path: Path) -> FileResponse:
    """An analysis's image (``path``: its English file,
    :func:`~spasmwatch.diary.recordings.image_of`) in the reader's language: the page's
    (switch, else browser), or English where the analysis drew it only in English (one
    stored before the images were drawn in each language). Served with ``no-store``, as
    every private page (``web/app.py``): the same address shows another file after a
    switch of language."""
    return FileResponse(image_in(path, locale_of(request)), media_type="image/png")


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
    the API route): played in the page (audited once per page view) or downloaded."""
    db = database(request)
    children.get(db, who, child_id, "view")
    row, path = recordings.file_of(
        db,
        child_id,
        attachment_id,
        read_audit(request),
        user_id=who.user_id,
        read=file_read(request),
    )
    return file_response(request, path, row.content_type, row.filename)
