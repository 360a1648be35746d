"""The web app: diary, triage and sharing for families and clinicians (FastAPI + Jinja2 +
htmx, server-rendered)."""

from __future__ import annotations

from spasmwatch.web.app import create_app

__all__ = ["create_app"]
