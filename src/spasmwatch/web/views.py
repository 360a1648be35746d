"""Presentation helpers several route modules share (route modules never import each
other): the child page's template context, the analysis fragment, uploads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from spasmwatch.diary.overview import Overview
from spasmwatch.diary.recordings import AnalysisState
from spasmwatch.store.files import CHUNK, StoredFile, store_stream
from spasmwatch.web.auth import Principal
from spasmwatch.web.render import day_chart_svg, page

__all__ = ["analysis_fragment", "store_upload", "too_big", "view_context"]


def view_context(view: Overview) -> dict[str, Any]:
    """What the child page and the share page templates get from an overview."""
    return {
        "child": view.child,
        "case": {"child": view.child_doc},
        "result": view.triage,
        "rows": view.rows,
        "hidden": view.hidden,
        "attachments": view.attachments,
        "chart": day_chart_svg(view.day_counts, date.today()),
    }


def analysis_fragment(
    request: Request, who: Principal, found: AnalysisState, base: str
) -> Response:
    """The analysis part of the timeline for one attachment (polled while it waits or
    runs); caregivers and owners may start it again at another sensitivity."""
    return page(
        request,
        "_analysis.html",
        who,
        a=found.attachment,
        progress=found.progress,
        attachment_base=base,
        role=found.role,
    )


def _chunks(upload: UploadFile) -> Iterator[bytes]:
    upload.file.seek(0)
    while chunk := upload.file.read(CHUNK):
        yield chunk


def too_big(request: Request) -> bool:
    """Whether the request says it is over the upload limit (before reading it)."""
    limit = request.app.state.settings.max_upload_bytes
    length = request.headers.get("content-length")
    return length is not None and length.isdigit() and int(length) > limit + 1024 * 1024


def store_upload(request: Request, upload: UploadFile) -> StoredFile:
    """Write an uploaded file to the attachment store (checked by size and content)."""
    return store_stream(
        _chunks(upload),
        request.app.state.db.attachments_dir,
        request.app.state.settings.max_upload_bytes,
        upload.filename or "upload",
    )
