"""One module per page or resource; shared request helpers here."""

from __future__ import annotations

from fastapi import Request

from spasmwatch.store import Database
from spasmwatch.web.auth import Principal, resolve_principal

__all__ = ["database", "principal"]


def database(request: Request) -> Database:
    """The app's database."""
    return request.app.state.db


def principal(request: Request) -> Principal:
    """Who is asking (FastAPI dependency)."""
    with database(request).reading() as s:
        return resolve_principal(request, s)
