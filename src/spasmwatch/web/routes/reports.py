"""The clinician report: HTML and PDF downloads from the child page and share links."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
