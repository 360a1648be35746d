"""What the clinician view at a share link opens (the page itself: ``routes/clinician.py``):
its recordings with their clips, images and analyses, and the diary's exports (FHIR, CSV),
each audited as a read through the link while the link lasts."""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from spasmwatch.diary import exchange, recordings
from spasmwatch.diary.access import hash_token, share_for
from spasmwatch.report.tabular import for_spreadsheets
from spasmwatch.store import repo
from spasmwatch.store.models import ShareLink
from spasmwatch.web.auth import Principal
from spasmwatch.web.clock import page_today
from spasmwatch.web.downloads import download_name
from spasmwatch.web.routes import database, principal, read_audit
from spasmwatch.web.threads import slow
from spasmwatch.web.views import (
    analysis_fragment,
    analysis_image,
    download,
    file_read,
    file_response,
)

router = APIRouter(include_in_schema=False)


def _link(request: Request, token: str) -> ShareLink:
    with database(request).reading() as s:
        return share_for(s, hash_token(token))


@router.get("/s/{token}/attachments/{attachment_id}")
def shared_attachment(request: Request, token: str, attachment_id: int) -> Response:
    link = _link(request, token)
    row, path = recordings.file_of(
        database(request),
        link.child_id,
        attachment_id,
        read_audit(request),
        share_link_id=link.id,
        read=file_read(request),
    )
    return file_response(request, path, row.content_type, row.filename)


@router.get("/s/{token}/attachments/{attachment_id}/clips/{number}")
def shared_clip(request: Request, token: str, attachment_id: int, number: int) -> Response:
    link = _link(request, token)
    path = recordings.clip_of(
        database(request),
        link.child_id,
        attachment_id,
        number,
        read_audit(request),
        share_link_id=link.id,
        read=file_read(request),
    )
    return file_response(request, path, "video/mp4", path.name)


@router.get("/s/{token}/attachments/{attachment_id}/analysis")
def shared_analysis(
    request: Request, token: str, attachment_id: int, who: Principal = Depends(principal)
) -> Response:
    link = _link(request, token)
    found = recordings.analysis_of(database(request), None, link.child_id, attachment_id)
    return analysis_fragment(request, who, found, f"/s/{token}/attachments", role="share")


@router.get("/s/{token}/attachments/{attachment_id}/images/{name}")
def shared_image(request: Request, token: str, attachment_id: int, name: str) -> Response:
    link = _link(request, token)
    path = recordings.image_of(database(request), link.child_id, attachment_id, name)
    return analysis_image(request, path)


@router.get("/s/{token}/fhir")
@slow
def shared_fhir(request: Request, token: str, name: bool = True) -> Response:
    """The shared child's diary as a FHIR R4B document Bundle (as
    ``/api/v1/children/{id}/fhir``; ``?name=0`` leaves the child's name out)."""
    child_id, bundle = exchange.shared_fhir_bundle(
        database(request), hash_token(token), read_audit(request), include_name=name
    )
    body = json.dumps(bundle, ensure_ascii=False)
    return download(body, "application/fhir+json", _named(request, child_id, "fhir", "json", name))


@router.get("/s/{token}/episodes.csv")
@slow
def shared_episodes_csv(request: Request, token: str) -> Response:
    """The shared child's episodes as CSV, one row per episode."""
    child_id, text = exchange.shared_episodes_csv(
        database(request), hash_token(token), read_audit(request)
    )
    return download(
        for_spreadsheets(text),
        "text/csv; charset=utf-8",
        _named(request, child_id, "episodes", "csv"),
    )


@router.get("/s/{token}/csv.zip")
@slow
def shared_csv_tables(request: Request, token: str) -> Response:
    """The shared child's diary as CSV tables in a ZIP (episodes, treatments, milestones,
    work-up, the videos and EEG files with their results)."""
    child_id, data = exchange.shared_csv_zip(
        database(request), hash_token(token), read_audit(request)
    )
    return download(data, "application/zip", _named(request, child_id, "tables", "zip"))


def _named(request: Request, child_id: int, what: str, ext: str, with_name: bool = True) -> str:
    """The file name of an export through the link, as every download of the diary is
    named (:func:`~spasmwatch.web.downloads.download_name`): by the child (unless its name
    is left out of the export) and the day."""
    with database(request).reading() as s:
        child = repo.get_child(s, child_id)
    name = child.name if child is not None and with_name else None
    return download_name(what, name, page_today(), ext)
