"""The clinician's read-only view through a share link."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from spasmwatch.store import repo
from spasmwatch.web.auth import Principal, require_share
from spasmwatch.web.render import page
from spasmwatch.web.routes import database, principal
from spasmwatch.web.routes.children import (
    analysis_fragment,
    analysis_image,
    attachment_of,
    attachment_response,
    child_view,
)

router = APIRouter(include_in_schema=False)


@router.get("/s/{token}")
def shared_child(request: Request, token: str, who: Principal = Depends(principal)) -> Response:
    with database(request).transaction() as s:
        link = require_share(s, token)
        child = repo.get_child(s, link.child_id)
        view = child_view(s, child, show_all=request.query_params.get("all") == "1")  # type: ignore[arg-type]
        repo.audit(s, "view_shared", child_id=link.child_id, share_link_id=link.id)
    return page(request, "shared.html", who, role="share", link=link, token=token, **view)


@router.get("/s/{token}/attachments/{attachment_id}")
def shared_attachment(request: Request, token: str, attachment_id: int) -> Response:
    db = database(request)
    with db.transaction() as s:
        link = require_share(s, token)
        repo.audit(
            s,
            "download_shared",
            child_id=link.child_id,
            share_link_id=link.id,
            detail=str(attachment_id),
        )
        return attachment_response(s, link.child_id, attachment_id, db.attachments_dir)


@router.get("/s/{token}/attachments/{attachment_id}/analysis")
def shared_analysis(
    request: Request, token: str, attachment_id: int, who: Principal = Depends(principal)
) -> Response:
    with database(request).transaction() as s:
        link = require_share(s, token)
        row = attachment_of(s, link.child_id, attachment_id)
    return analysis_fragment(request, who, row, f"/s/{token}/attachments")


@router.get("/s/{token}/attachments/{attachment_id}/images/{name}")
def shared_image(request: Request, token: str, attachment_id: int, name: str) -> Response:
    db = database(request)
    with db.transaction() as s:
        link = require_share(s, token)
        row = attachment_of(s, link.child_id, attachment_id)
    return analysis_image(db, row, name)
