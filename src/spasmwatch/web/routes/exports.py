"""Data exchange: FHIR R4B and CSV exports (and CSV import) of a child's diary.

Under ``/api/v1`` with the JSON API's authorisation: the session cookie (with an
``X-CSRF-Token`` header on the import) or a personal API token.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from spasmwatch.diary.exchange import (
    export_csv_zip,
    export_episodes_csv,
    fhir_bundle,
    import_episodes_csv,
)
from spasmwatch.report.tabular import for_spreadsheets
from spasmwatch.store import repo
from spasmwatch.web.api_route import ApiRoute
from spasmwatch.web.auth import Principal, check_csrf, require_child, require_user
from spasmwatch.web.clock import page_now, page_offset, page_today
from spasmwatch.web.downloads import download_name
from spasmwatch.web.routes import database, principal
from spasmwatch.web.threads import slow
from spasmwatch.web.views import download

router = APIRouter(prefix="/api/v1", tags=["api"], route_class=ApiRoute)

#: The largest CSV file an import takes.
MAX_CSV_BYTES = 5 * 1024 * 1024


@router.get("/children/{child_id}/fhir")
@slow
def export_fhir(
    request: Request, child_id: int, name: bool = True, who: Principal = Depends(principal)
) -> Response:
    """The child's diary, triage, videos and EEG findings as a FHIR R4B document Bundle.

    ``?name=0`` leaves the child's name out of the Patient.
    """
    db = database(request)
    with db.transaction() as s:
        child, _ = require_child(s, who, child_id, "view")
        repo.audit(s, "export_fhir", child_id=child_id, user_id=who.user_id, detail="api")
    bundle = fhir_bundle(db, child_id, include_name=name)
    body = json.dumps(bundle, ensure_ascii=False)
    # a bundle without the name has none in its file name either
    filename = download_name("fhir", child.name if name else None, page_today(), "json")
    return download(body, "application/fhir+json", filename)


@router.get("/children/{child_id}/episodes.csv")
@slow
def export_csv(request: Request, child_id: int, who: Principal = Depends(principal)) -> Response:
    """The child's episodes as CSV, one row per episode (columns: the case format's)."""
    db = database(request)
    with db.transaction() as s:
        child, _ = require_child(s, who, child_id, "view")
        repo.audit(s, "export_csv", child_id=child_id, user_id=who.user_id, detail="api")
    text = for_spreadsheets(export_episodes_csv(db, child_id))
    filename = download_name("episodes", child.name, page_today(), "csv")
    return download(text, "text/csv; charset=utf-8", filename)


@router.get("/children/{child_id}/csv.zip")
@slow
def export_csv_tables(
    request: Request, child_id: int, who: Principal = Depends(principal)
) -> Response:
    """The child's diary as CSV tables in a ZIP: episodes.csv, treatments.csv (with the
    response so far), milestones.csv, workup.csv and recordings.csv (the videos and EEG
    files with what their analyses found)."""
    db = database(request)
    with db.transaction() as s:
        child, _ = require_child(s, who, child_id, "view")
        repo.audit(s, "export_csv", child_id=child_id, user_id=who.user_id, detail="api zip")
    filename = download_name("tables", child.name, page_today(), "zip")
    return download(export_csv_zip(db, child_id), "application/zip", filename)


async def _csv_body(request: Request) -> bytes:
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise HTTPException(422, ["Missing field 'file': send the CSV file as 'file'"])
        data = await upload.read(MAX_CSV_BYTES + 1)
    else:
        data = await request.body()
    if len(data) > MAX_CSV_BYTES:
        raise HTTPException(413, [f"The file is larger than {MAX_CSV_BYTES // 1024 // 1024} MB"])
    return data


@router.post("/children/{child_id}/episodes.csv")
async def import_csv(
    request: Request, child_id: int, dry_run: bool = False, who: Principal = Depends(principal)
) -> JSONResponse:
    """Import episodes from CSV (the body, or a multipart ``file``): every row or none.

    ``?dry_run=1`` checks every row and imports nothing. Any problem: 422 with one message
    per problem in ``detail`` and the same as ``{"row", "field", "message"}`` in ``problems``.
    """
    require_user(who)
    check_csrf(request, who, None)
    db = database(request)

    def allowed() -> None:
        with db.transaction() as s:
            require_child(s, who, child_id, "log")

    await run_in_threadpool(allowed)
    data = await _csv_body(request)
    # "in the future" by the family's clock where the browser told its time zone; else by
    # the real time for rows that give their zone, and the server's clock for the others
    now = page_now() if page_offset() is not None else None
    result = await run_in_threadpool(
        import_episodes_csv, db, child_id, data, dry_run, who.user_id, "api", now=now
    )
    body = result.to_dict()
    if result.problems:
        return JSONResponse(
            {"detail": [str(p) for p in result.problems], "problems": body["problems"]},
            status_code=422,
        )
    return JSONResponse(body, status_code=200 if dry_run else 201)
