"""The clinician report as a self-contained HTML page (Jinja2) or a PDF (WeasyPrint), in
English or Spanish (``locale``).

Every image is embedded as a ``data:`` URI, so the HTML file can be mailed or opened
offline and WeasyPrint needs no file access.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import threading
import unicodedata
from collections import OrderedDict
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from spasmwatch.eeg.reasons import background_reasons
from spasmwatch.eeg.words import eeg_event_words
from spasmwatch.errors import SpasmwatchError
from spasmwatch.i18n import (
    DEFAULT_LOCALE,
    LOCALES,
    format_day,
    format_number,
    format_significant,
    format_when,
    translations,
)
from spasmwatch.images import image_in
from spasmwatch.report.answer_words import episode_terms
from spasmwatch.report.eeg_finding import EegFinding
from spasmwatch.report.eeg_traces import EegTraces, event_traces
from spasmwatch.report.notices import FamilyNotice
from spasmwatch.report.report_data import ReportData
from spasmwatch.report.sheet import sheet_rows, tall_sheet
from spasmwatch.report.triage_words import (
    answer_made_on,
    does_not_lower,
    family_advice,
    headline,
    last_seen_on,
    numbered_sources,
    said_once,
    says_now,
    source_words,
    warning_sign_seen_on,
)
from spasmwatch.report.video_finding import VideoFinding
from spasmwatch.triage.engine import past_warning_sign
from spasmwatch.triage.rule import LEVEL_WORD
from spasmwatch.video.events import EVENT_KIND_WORDS, SET_ASIDE_WORDS, shown_score

__all__ = [
    "PAPERS",
    "REPORT_CSP",
    "TABLES_CSS",
    "ChartSize",
    "Paper",
    "check_locale",
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


def _css_counters(text: str) -> str:
    """A text with ``%(page)s`` and ``%(pages)s`` ("Page %(page)s of %(pages)s") as a CSS
    ``content`` value: its words as CSS strings, the placeholders as the page counters."""
    parts = re.split(r"%\((pages?)\)s", text)
    out = [
        f"counter({part})" if i % 2 else f'"{_css_string(part)}"'
        for i, part in enumerate(parts)
        if part or i % 2
    ]
    return " ".join(out) or '""'


def check_locale(locale: str) -> str:
    """``locale`` if the report can be said in it (:data:`spasmwatch.i18n.LOCALES`), else
    :class:`~spasmwatch.errors.SpasmwatchError`."""
    if locale not in LOCALES:
        raise SpasmwatchError(
            f"Invalid value for 'locale': allowed are {', '.join(LOCALES)}; got {locale!r}"
        )
    return locale


def _number(value: float | int, digits: int | None = None) -> str:
    return f"{value:.{digits}f}" if digits is not None else f"{value:g}"


def _text_number(value: float | int | str) -> float | int:
    """A number the templates have as text (``shown_score``'s ``"0.49"``) as a number."""
    if isinstance(value, str):
        return float(value) if "." in value else int(value)
    return value


class _Words:
    """The report's words in one language: its catalog's ``gettext`` and ``ngettext``,
    days and times in its words (Babel), and the Python-made sentences of the findings,
    the triage reasons' days and the pages of EEG traces said with them."""

    def __init__(self, locale: str) -> None:
        catalog = translations(locale)
        self.locale = locale
        self.gettext = catalog.gettext
        self.ngettext = catalog.ngettext

    def number(self, value: float | int | str, digits: int | None = None) -> str:
        """A number in the report's language: ``%g`` (up to 3 decimals outside English)
        or exactly ``digits`` decimals, with the language's decimal sign ("38.9", "38,9");
        English as the report has always written it (no thousands separator)."""
        if self.locale == DEFAULT_LOCALE:
            return _number(_text_number(value), digits)
        return format_number(_text_number(value), self.locale, digits)

    def significant(self, value: float, digits: int = 3) -> str:
        """A measure to ``digits`` significant digits (``%.3g``), with the language's
        decimal sign."""
        if self.locale == DEFAULT_LOCALE:
            return f"{value:.{digits}g}"
        return format_significant(float(value), self.locale, digits)

    def day(self, value: date, pattern: str = "dd MMM y") -> str:
        """A day ("02 Dec 2026", "02 dic 2026")."""
        return format_day(value, self.locale, pattern)

    def moment(self, value: datetime, pattern: str = "dd MMM y HH:mm") -> str:
        """A day and time ("02 Dec 2026 05:46")."""
        return format_when(value, self.locale, pattern)

    def event_kind(self, code: str) -> str:
        """A detected movement's kind in the words the app and the CLI use ("spasm-like"),
        not its code; an unknown code reads as "other movement"."""
        return self.gettext(EVENT_KIND_WORDS.get(code, EVENT_KIND_WORDS["other"]))

    def eeg_event(self, code: str) -> str:
        """An EEG event's type in words with its code: "possible seizure (sz)"."""
        return f"{eeg_event_words(code, self.gettext)} ({code})" if code else ""

    def video_statement(self, finding: VideoFinding) -> list[str]:
        return finding.describe(self.gettext, self.ngettext, self.locale)

    def video_quality(self, finding: VideoFinding) -> list[dict[str, Any]]:
        return finding.quality_words(self.gettext)

    def eeg_found(self, finding: EegFinding) -> list[str]:
        return finding.found_words(self.gettext, self.ngettext, self.locale)

    def eeg_seizures(self, finding: EegFinding) -> str:
        return finding.seizure_words(self.gettext, self.ngettext, self.locale)

    def eeg_warnings(self, finding: EegFinding) -> list[str]:
        return finding.warning_words(self.gettext, self.ngettext, self.locale)

    def eeg_gaps(self, finding: EegFinding) -> str:
        return finding.gaps_words(self.gettext, self.ngettext, self.locale)

    def eeg_left_out(self, finding: EegFinding) -> list[str]:
        return finding.left_out_words(self.gettext, self.locale)

    def eeg_reasons(self, background: dict[str, Any]) -> list[str]:
        """How the hypsarrhythmia assessment and the score were reached, from the stored
        measures (:func:`spasmwatch.eeg.reasons.background_reasons`)."""
        return background_reasons(background, self.gettext, self.locale, self.ngettext)

    def family_notice(self, notice: FamilyNotice) -> tuple[str, str]:
        """A video or an EEG that the family's page said beside the triage answer: its
        title and what it found and what the family was told
        (:meth:`~spasmwatch.report.notices.FamilyNotice.words`)."""
        return notice.words(self.gettext, self.ngettext, self.locale)

    def eeg_traces(self, finding: EegFinding) -> EegTraces:
        """The pages of traces around the events, read at render time."""
        return event_traces(finding, gettext=self.gettext, number=self.number)


def _report_now(context: Context) -> datetime:
    data = context.get("data")
    return data.generated_at if data is not None else datetime.now()


def _logged_when(words: _Words) -> Any:
    def logged_when(reason: dict[str, Any]) -> str:
        """When the newest episode behind a triage reason started, by its day alone: the
        report is read days after it was made (:func:`~.triage_words.last_seen_on`)."""
        at = reason.get("last_episode_at")
        return last_seen_on(at, words.gettext, words.locale) if at else ""

    return logged_when


def _past_warning(words: _Words) -> Any:
    @pass_context
    def past_warning(context: Context, result: dict[str, Any]) -> str:
        """The headline of an emergency answer whose warning sign was last seen more than
        24 h before the report was generated
        (:func:`~spasmwatch.triage.engine.past_warning_sign`), by its day alone; "" for one
        worded as happening now."""
        at = past_warning_sign(result, _report_now(context))
        return warning_sign_seen_on(at, words.gettext, words.locale) if at else ""

    return past_warning


def _answer_made(words: _Words) -> Any:
    @pass_context
    def answer_made(context: Context, result: dict[str, Any], shown_title: str = "") -> str:
        """When the triage answer was made, for one that speaks of "now" in its reasons or
        its ``shown_title`` ("happening now ... within the last hour"), so that "now" has a
        day and a time for a reader of a later day; "" for any other answer."""
        if not says_now(result.get("reasons", []), shown_title):
            return ""
        return answer_made_on(_report_now(context), words.gettext, words.locale)

    return answer_made


def _environment(locale: str = DEFAULT_LOCALE) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # The report's words are marked for translation (``{% trans %}``, ``_()``) and said in
    # ``locale``; the partials the clinician view shares (``_reasons.html``,
    # ``_episodes.html``) are said by the app in its page's language, each environment with
    # its own ``terms``, ``moment`` and ``number``.
    words = _Words(locale)
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True  # the message ids as the catalog extracts them
    env.install_gettext_callables(  # type: ignore[attr-defined]
        words.gettext, words.ngettext, newstyle=False
    )
    env.globals["_"] = words.gettext
    env.globals["terms"] = partial(episode_terms, gettext=words.gettext)
    # Numbers in the text have the language's decimal sign ("38,9 °C" in Spanish); the
    # codes, rule ids and the sources' citations are written as they are.
    env.filters.update(
        cssq=_css_string,
        css_counters=_css_counters,
        day=words.day,
        moment=words.moment,
        number=words.number,
        significant=words.significant,
    )
    env.globals.update(LEVEL_WORDS=LEVEL_WORD, REPORT_LEVEL_WORDS=LEVEL_WORD)
    env.globals.update(
        lang=locale,
        eeg_traces=words.eeg_traces,
        eeg_event=words.eeg_event,
        event_kind=words.event_kind,
        video_statement=words.video_statement,
        video_quality=words.video_quality,
        eeg_found=words.eeg_found,
        eeg_seizures=words.eeg_seizures,
        eeg_warnings=words.eeg_warnings,
        eeg_gaps=words.eeg_gaps,
        eeg_left_out=words.eeg_left_out,
        eeg_reasons=words.eeg_reasons,
        family_notice=words.family_notice,
        SET_ASIDE_WORDS=SET_ASIDE_WORDS,
        shown_score=shown_score,
        logged_when=_logged_when(words),
        past_warning=_past_warning(words),
        answer_made=_answer_made(words),
        headline=headline,
        family_advice=family_advice,
        source_words=partial(source_words, gettext=words.gettext),
        numbered_sources=partial(numbered_sources, gettext=words.gettext),
        said_once=said_once,
        does_not_lower=does_not_lower,
    )
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
    default; the labels of ``spans`` stay English, the caller's to say),
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
    data: ReportData,
    paper: Paper = "a4",
    package: dict[str, Any] | None = None,
    locale: str = DEFAULT_LOCALE,
    kept_by: str | None = None,
) -> str:
    """The report as one self-contained HTML document.

    Parameters
    ----------
    data
        What :func:`~spasmwatch.diary.reporting.build_report` gathered.
    paper
        ``a4`` or ``letter``: the page size when the page is printed.
    package
        For the doctor package (:func:`spasmwatch.report.package.render_package`): the
        embedded media of each video, the seek script and the policy that allows them.
    locale
        The language of the report's words, days and charts (``en``, the default, or
        ``es``: :data:`spasmwatch.i18n.LOCALES`), numbers with its decimal sign; the rule
        ids, sources and codes are the same in every language.
    kept_by
        Who keeps the diary on their server (``SPASMWATCH_HOSTED_BY``), named where the
        report says what it was made from; None on a family's own computer, or a server
        that names nobody.

    Raises
    ------
    SpasmwatchError
        For an unknown paper size or language.
    """
    page_size = _check_paper(paper)
    env = _environment(check_locale(locale))
    plots = summary_plots(data, locale)
    # each analysis image (by its English file, as the findings name it) in the report's
    # language, or in English when the analysis drew it only in English (stored before the
    # images were drawn per language): those are listed, for the report to say so
    images: dict[Path, str] = {}
    in_english: set[Path] = set()
    # each video's contact sheet cut into its rows of frames, shown at the page's width
    sheets: dict[Path, list[str]] = {}
    tall_sheets: set[Path] = set()  # those that flow over pages from where they stand
    for finding in [*data.videos, *data.eegs]:
        for name, path in finding.images.items():
            drawn = image_in(path, locale)
            try:
                png = drawn.read_bytes()
            except OSError as exc:  # removed since the report was gathered: leave it out
                log.warning("report image %s unreadable: %s", drawn, exc)
                continue
            images[path] = _data_uri(png)
            if drawn == path and locale != DEFAULT_LOCALE:
                in_english.add(path)
            if name == "contact_sheet" and isinstance(finding, VideoFinding):
                bands = sheet_rows(png)
                sheets[path] = [_data_uri(band) for band in bands]
                if tall_sheet(bands, paper):
                    tall_sheets.add(path)
    css = env.get_template("report.css").render(data=data, page_size=page_size)
    css += TABLES_CSS.read_text(encoding="utf-8")
    phone_css = (TEMPLATES / "report-phone.css").read_text(encoding="utf-8")
    return env.get_template("report.html").render(
        data=data,
        css=Markup(css),
        phone_css=Markup(phone_css),
        plots=plots,
        images=images,
        in_english=in_english,
        sheets=sheets,
        tall_sheets=tall_sheets,
        csp=package["csp"] if package else REPORT_CSP,
        package=package,
        kept_by=kept_by,
    )


def render_pdf(
    data: ReportData,
    paper: Paper = "a4",
    locale: str = DEFAULT_LOCALE,
    kept_by: str | None = None,
) -> bytes:
    """The report as a PDF (WeasyPrint), on A4 or Letter, with "Page X of Y" numbers, in
    ``locale``'s words, naming who keeps the diary (``kept_by``; :func:`render_html`).

    Raises
    ------
    SpasmwatchError
        For an unknown paper size or language, or when WeasyPrint's system libraries
        (Pango) are missing (the HTML report still works).
    """
    check_locale(locale)
    try:
        from weasyprint import HTML  # imported here: it loads Pango, which takes a moment
    except OSError as exc:
        raise SpasmwatchError(
            "PDF reports need the Pango library (on Debian/Ubuntu: apt-get install "
            f"libpango-1.0-0 libpangoft2-1.0-0); the HTML report works without it ({exc})"
        ) from None

    return _write_pdf(HTML, render_html(data, paper, locale=locale, kept_by=kept_by))


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
