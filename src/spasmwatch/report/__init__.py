"""The clinician report and the data exchange formats.

>>> from spasmwatch.diary.reporting import build_report  # doctest: +SKIP
>>> from spasmwatch.report import render_pdf  # doctest: +SKIP
>>> pdf = render_pdf(build_report(database, child_id))  # doctest: +SKIP

The package renders what it is given and never reads or writes the database.

The report's names are imported on first use, so that the exports (``report.fhir``,
``report.tabular``) do not load matplotlib and Jinja2.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = [
    "PAPERS",
    "ReportData",
    "ReportSource",
    "assemble_report",
    "parse_period",
    "render_html",
    "render_pdf",
]

_HOMES = {
    "PAPERS": "render",
    "ReportData": "report_data",
    "ReportSource": "build",
    "assemble_report": "build",
    "parse_period": "build",
    "render_html": "render",
    "render_pdf": "render",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(f"spasmwatch.report.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'spasmwatch.report' has no attribute {name!r}")
