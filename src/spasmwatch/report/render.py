"""The clinician report as a self-contained HTML page (Jinja2) or a PDF (WeasyPrint).

Every image is embedded as a ``data:`` URI, so the HTML file can be mailed or opened
offline and WeasyPrint needs no file access.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import threading
import unicodedata
from collections import OrderedDict
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from spasmwatch.errors import SpasmwatchError
from spasmwatch.i18n import DEFAULT_LOCALE, format_when, warning_sign_seen, when_logged
from spasmwatch.report.build import EEG_EVENT_WORDS, ReportData, VideoFinding, episode_terms
from spasmwatch.report.eeg_traces import event_traces
from spasmwatch.report.sheet import sheet_rows
from spasmwatch.triage.engine import CALL_NOW, past_warning_sign
from spasmwatch.triage.rule import LEVEL_WORD
from spasmwatch.video.events import EVENT_KIND_WORDS, SET_ASIDE_WORDS, shown_score

__all__ = [
    "PAPERS",
    "REPORT_CSP",
    "TABLES_CSS",
    "ChartSize",
    "Paper",
    "check_url",
    "render_html",
    "render_pdf",
    "summary_plots",
]

log = logging.getLogger("spasmwatch")

Paper = Literal["a4", "letter"]
#: What the charts are drawn for: the report's page, or a screen (the clinician view).
ChartSize = Literal["page", "screen"]
#: CSS page sizes by paper name.
PAPERS: dict[str, str] = {"a4": "A4", "letter": "letter"}

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The tables' styles, which the app's clinician view shares (``/report/tables.css``).
TABLES_CSS = TEMPLATES / "tables.css"
#: The report's Content-Security-Policy, in the page itself (so a copy opened from a mail or
#: a disk loads nothing either) and as the header when the app serves it: images from
#: ``data:`` URIs and the page's own styles only; no script, no outside fetch.
REPORT_CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)


def _css_string(value: object) -> str:
    """Text safe inside a double-quoted CSS string (and inside an HTML ``<style>``).

    Letters, digits and spaces stay; control characters (CR, LF, form feed, NUL...) become a
    space, since any of them can end a CSS string; every other character becomes a CSS
    escape (``\\22 `` for a quote), so the text can never close the string, the rule or the
    ``<style>`` element.
    """
    out = []
    for char in str(value):
        if char.isalnum() or char == " ":
            out.append(char)
        elif unicodedata.category(char)[0] in "CZ":  # controls, separators, unassigned
            out.append(" ")
        else:
            out.append(f"\\{ord(char):x} ")
    return "".join(out)


def _day(value: date) -> str:
    return value.strftime("%d %b %Y")


def _moment(value: datetime, pattern: str) -> str:
    return format_when(value, DEFAULT_LOCALE, pattern)


@pass_context
def _logged_when(context: Context, reason: dict[str, Any]) -> str:
    """When the newest episode behind a triage reason started, counted back from the day
    the report was generated."""
    data = context.get("data")
    today = data.generated_at.date() if data is not None else date.today()
    at = reason.get("last_episode_at")
    return when_logged(at, today) if at else ""


@pass_context
def _past_warning(context: Context, result: dict[str, Any]) -> str:
    """The headline of an emergency answer whose warning sign was last seen more than 24 h
    before the report was generated (:func:`~spasmwatch.triage.engine.past_warning_sign`);
    "" for one worded as happening now."""
    data = context.get("data")
    now = data.generated_at if data is not None else datetime.now()
    at = past_warning_sign(result, now)
    return warning_sign_seen(at, now.date()) if at is not None else ""


def _number(value: float | int, digits: int | None = None) -> str:
    return f"{value:.{digits}f}" if digits is not None else f"{value:g}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # The partials the clinician view shares (``_reasons.html``, ``_episodes.html``) mark
    # their words for translation; the report says them in English (no translations), the
    # app in its page's language, each with its own ``terms``, ``moment`` and ``number``.
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True  # the message ids as the catalog extracts them
    env.install_null_translations(newstyle=False)  # type: ignore[attr-defined]
    env.globals["terms"] = episode_terms
    env.filters.update(cssq=_css_string, day=_day, moment=_moment, number=_number)
    env.globals.update(LEVEL_WORDS=LEVEL_WORD, REPORT_LEVEL_WORDS=LEVEL_WORD)
    env.globals["eeg_traces"] = event_traces  # pages of traces read at render time
    env.globals["SET_ASIDE_WORDS"] = SET_ASIDE_WORDS
    env.globals["EEG_EVENT_WORDS"] = EEG_EVENT_WORDS  # "seizure (sz)", not the code alone
    # a detected movement's kind in the words the app and the CLI use ("spasm-like"), not
    # its code; an unknown code reads as "other movement"
    env.globals["event_kind"] = lambda code: EVENT_KIND_WORDS.get(code, EVENT_KIND_WORDS["other"])
    env.globals["shown_score"] = shown_score
    env.globals["logged_when"] = _logged_when
    env.globals["past_warning"] = _past_warning
    env.globals["CALL_NOW"] = CALL_NOW
    return env


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _check_paper(paper: str) -> str:
    if paper not in PAPERS:
        raise SpasmwatchError(
            f"Invalid value for 'paper': allowed are {', '.join(PAPERS)}; got {paper!r}"
        )
    return PAPERS[paper]


#: The charts of the last reports drawn, by what they are drawn from: the HTML report and
#: its PDF, or a report opened again, draw them once (matplotlib takes about 0.5 s each).
_PLOTS: OrderedDict[str, dict[str, Any]] = OrderedDict()
_PLOTS_LOCK = threading.Lock()
PLOTS_KEPT = 32


def summary_plots(
    data: ReportData, locale: str = DEFAULT_LOCALE, size: ChartSize = "page"
) -> dict[str, Any]:
    """The diary's charts as ``data:`` URIs: ``spans`` (label, per-day chart) for 14 days,
    90 days and since the first episode, and, when the period has episodes, ``time_of_day``
    and ``cluster_sizes`` over the period; their words and days in ``locale`` (English by
    default, as in the report; the labels of ``spans`` stay English, the caller's to say),
    drawn for the report's ``page`` or for a ``screen`` (the clinician view: narrower, with
    larger words, readable on a phone). Kept for the last :data:`PLOTS_KEPT` reports."""
    # Everything the charts show is in these frozen dataclasses; their repr is complete.
    drawn_from = repr((data.spans, data.marks, data.episodes, data.start, data.end, locale, size))
    key = hashlib.sha256(drawn_from.encode()).hexdigest()
    with _PLOTS_LOCK:
        if (kept := _PLOTS.get(key)) is not None:
            _PLOTS.move_to_end(key)
            return kept
    plots = _draw_plots(data, locale, size)
    with _PLOTS_LOCK:
        _PLOTS[key] = plots
        while len(_PLOTS) > PLOTS_KEPT:
            _PLOTS.popitem(last=False)
    return plots


def _draw_plots(data: ReportData, locale: str, size: ChartSize = "page") -> dict[str, Any]:
    # Imported on first use: matplotlib is loaded by the first report a process draws,
    # not by every web process at start-up.
    from spasmwatch.report.plots import (
        PAGE,
        SCREEN,
        figure_png,
        plot_cluster_sizes,
        plot_per_day,
        plot_time_of_day,
    )

    style = SCREEN if size == "screen" else PAGE
    plots: dict[str, Any] = {
        "spans": [
            (
                span.label,
                _data_uri(
                    figure_png(
                        plot_per_day(span.days, marks=data.marks, locale=locale, style=style)
                    )
                ),
            )
            for span in data.spans
        ]
    }
    if data.episodes:
        plots["time_of_day"] = _data_uri(
            figure_png(
                plot_time_of_day(data.episodes, data.start, data.end, locale=locale, style=style)
            )
        )
        plots["cluster_sizes"] = _data_uri(
            figure_png(
                plot_cluster_sizes(data.episodes, data.start, data.end, locale=locale, style=style)
            )
        )
    return plots


def render_html(
    data: ReportData, paper: Paper = "a4", package: dict[str, Any] | None = None
) -> str:
    """The report as one self-contained HTML document.

    Parameters
    ----------
    data
        What :func:`~spasmwatch.report.build.build_report` gathered.
    paper
        ``a4`` or ``letter``: the page size when the page is printed.
    package
        For the doctor package (:func:`spasmwatch.report.package.render_package`): the
        embedded media of each video, the seek script and the policy that allows them.

    Raises
    ------
    SpasmwatchError
        For an unknown paper size.
    """
    page_size = _check_paper(paper)
    env = _environment()
    plots = summary_plots(data)
    images: dict[Path, str] = {}
    # each video's contact sheet cut into its rows of frames, shown at the page's width
    sheets: dict[Path, list[str]] = {}
    for finding in [*data.videos, *data.eegs]:
        for name, path in finding.images.items():
            try:
                png = path.read_bytes()
            except OSError as exc:  # removed since the report was gathered: leave it out
                log.warning("report image %s unreadable: %s", path, exc)
                continue
            images[path] = _data_uri(png)
            if name == "contact_sheet" and isinstance(finding, VideoFinding):
                sheets[path] = [_data_uri(band) for band in sheet_rows(png)]
    css = env.get_template("report.css").render(data=data, page_size=page_size)
    css += TABLES_CSS.read_text(encoding="utf-8")
    phone_css = (TEMPLATES / "report-phone.css").read_text(encoding="utf-8")
    return env.get_template("report.html").render(
        data=data,
        css=Markup(css),
        phone_css=Markup(phone_css),
        plots=plots,
        images=images,
        sheets=sheets,
        csp=package["csp"] if package else REPORT_CSP,
        package=package,
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

    return _write_pdf(HTML, render_html(data, paper))


def _write_pdf(html_class: Any, html: str) -> bytes:
    """The PDF of ``html``; WeasyPrint may read nothing but ``data:`` URIs and the files of
    the report's templates (never the network, never another file)."""
    pdf = html_class(string=html, base_url=str(TEMPLATES), url_fetcher=_fetcher()).write_pdf()
    return pdf  # type: ignore[no-any-return]


def check_url(url: str) -> str:
    """``url`` if the report may load it (a ``data:`` URI or a file of the report's
    templates), else ``ValueError``."""
    if url.startswith("data:"):
        return url
    parsed = urlsplit(url)
    if parsed.scheme == "file" and not parsed.netloc:
        path = Path(unquote(parsed.path)).resolve()
        if path.is_relative_to(TEMPLATES) and path.is_file():
            return url
    raise ValueError(f"The report may not load {url[:120]!r}")


def _fetcher() -> Any:
    """WeasyPrint's URL fetcher limited by :func:`check_url` (the class of WeasyPrint 70 and
    later, the function before)."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint < 70
        from weasyprint import default_url_fetcher

        def fetch(url: str, timeout: int = 10, ssl_context: Any = None) -> Any:
            return default_url_fetcher(check_url(url), timeout, ssl_context)

        return fetch

    class PackageOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            return super().fetch(check_url(url), headers)

    return PackageOnly(allow_redirects=False)
