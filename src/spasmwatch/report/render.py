"""The clinician report as a self-contained HTML page (Jinja2) or a PDF (WeasyPrint).

Every image is embedded as a ``data:`` URI, so the HTML file can be mailed or opened
offline and WeasyPrint needs no file access.
"""

from __future__ import annotations

import base64
import logging
from datetime import date
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from spasmwatch.errors import SpasmwatchError
from spasmwatch.report.build import LEVEL_WORDS, ReportData
from spasmwatch.report.plots import (
    figure_png,
    plot_cluster_sizes,
    plot_per_day,
    plot_time_of_day,
)

__all__ = ["PAPERS", "Paper", "render_html", "render_pdf"]

log = logging.getLogger("spasmwatch")

Paper = Literal["a4", "letter"]
#: CSS page sizes by paper name.
PAPERS: dict[str, str] = {"a4": "A4", "letter": "letter"}

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _css_string(value: object) -> str:
    """Text safe inside a double-quoted CSS string."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return text.replace("<", "\\3c ").replace(">", "\\3e ")


def _day(value: date) -> str:
    return value.strftime("%d %b %Y")


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(cssq=_css_string, day=_day)
    env.globals.update(LEVEL_WORDS=LEVEL_WORDS)
    return env


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _check_paper(paper: str) -> str:
    if paper not in PAPERS:
        raise SpasmwatchError(
            f"Invalid value for 'paper': allowed are {', '.join(PAPERS)}; got {paper!r}"
        )
    return PAPERS[paper]


def render_html(data: ReportData, paper: Paper = "a4") -> str:
    """The report as one self-contained HTML document.

    Parameters
    ----------
    data
        What :func:`~spasmwatch.report.build.build_report` gathered.
    paper
        ``a4`` or ``letter``: the page size when the page is printed.

    Raises
    ------
    SpasmwatchError
        For an unknown paper size.
    """
    page_size = _check_paper(paper)
    env = _environment()
    plots: dict[str, str] = {}
    if data.episodes:
        plots = {
            "per_day": _data_uri(figure_png(plot_per_day(data.days))),
            "time_of_day": _data_uri(
                figure_png(plot_time_of_day(data.episodes, data.start, data.end))
            ),
            "cluster_sizes": _data_uri(
                figure_png(plot_cluster_sizes(data.episodes, data.start, data.end))
            ),
        }
    images: dict[Path, str] = {}
    for finding in [*data.videos, *data.eegs]:
        for path in finding.images.values():
            try:
                images[path] = _data_uri(path.read_bytes())
            except OSError as exc:  # removed since the report was gathered: leave it out
                log.warning("report image %s unreadable: %s", path, exc)
    css = env.get_template("report.css").render(data=data, page_size=page_size)
    return env.get_template("report.html").render(
        data=data, css=Markup(css), plots=plots, images=images
    )


def render_pdf(data: ReportData, paper: Paper = "a4") -> bytes:
    """The report as a PDF (WeasyPrint), on A4 or Letter, with "Page X of Y" numbers.

    Raises
    ------
    SpasmwatchError
        When WeasyPrint's system libraries (Pango) are missing; the HTML report still works.
    """
    try:
        from weasyprint import HTML  # imported here: it loads Pango, which takes a moment
    except OSError as exc:
        raise SpasmwatchError(
            "PDF reports need the Pango library (on Debian/Ubuntu: apt-get install "
            f"libpango-1.0-0 libpangoft2-1.0-0); the HTML report works without it ({exc})"
        ) from None

    html = render_html(data, paper)
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()  # type: ignore[no-any-return]
