"""Data exchange: FHIR R4B and CSV exports (and CSV import) of a child's diary."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
