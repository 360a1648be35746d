"""``spasmwatch report``, ``export`` and ``import``."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from spasmwatch.cli.common import (
    CANNOT_READ,
    CANNOT_WRITE,
    app,
    err,
    errors_language,
    existing_database,
    invalid_option,
    language,
    out,
    settings_from,
    usage_mistake,
    usage_mistakes,
)
from spasmwatch.errors import SpasmwatchError
from spasmwatch.i18n import N_

if TYPE_CHECKING:
    from spasmwatch.report.report_data import ReportData

log = logging.getLogger("spasmwatch")


# ---------------------------------------------------------------- report commands
REPORT_FORMATS = ("pdf", "html")
#: The argument that names a child, in every command that takes one.
_CHILD_ID = typer.Argument(
    ..., metavar=N_("CHILD_ID"), help=N_("The child's id (as in the web app's address).")
)


@app.command(
    "report",
    help=N_("Write the clinician report of a child: diary, triage, video and EEG findings."),
)
def report_command(
    child_id: int = _CHILD_ID,
    start: str | None = typer.Option(
        None, "--from", help=N_("First day of the period, YYYY-MM-DD (default: the first episode).")
    ),
    end: str | None = typer.Option(
        None, "--to", help=N_("Last day of the period, YYYY-MM-DD (default: today).")
    ),
    fmt: str = typer.Option("pdf", "--format", help=N_("pdf or html (one self-contained file).")),
    paper: str = typer.Option("a4", "--paper", help=N_("Page size: a4 or letter.")),
    out_file: Path | None = typer.Option(
        None, "--out", help=N_("File to write (default: report-CHILD_ID-TO.pdf or .html here).")
    ),
    lang: str = typer.Option("en", "--lang", help=N_("Language of the report: en or es.")),
    database_url: str | None = typer.Option(None, help=N_("SQLAlchemy URL of the database.")),
    data_dir: Path | None = typer.Option(None, help=N_("Data directory.")),
) -> None:
    """``spasmwatch report``: the report of :func:`_report_data`, as PDF or HTML."""
    from spasmwatch.report import PAPERS, render_html, render_pdf

    _, ngettext = language(lang)
    if fmt not in REPORT_FORMATS:
        raise invalid_option("--format", REPORT_FORMATS, fmt)
    if paper not in PAPERS:
        raise invalid_option("--paper", PAPERS, paper)
    data = _report_data(child_id, start, end, data_dir, database_url)
    kept_by = settings_from(data_dir, database_url).hosted_by
    target = out_file or Path(f"report-{child_id}-{data.end.isoformat()}.{fmt}")
    if fmt == "pdf":
        target.write_bytes(render_pdf(data, paper, lang, kept_by))  # type: ignore[arg-type]
    else:
        html = render_html(data, paper, locale=lang, kept_by=kept_by)  # type: ignore[arg-type]
        target.write_text(html, encoding="utf-8")
    n = len(data.episodes)
    said = ngettext(
        "Report of %(name)s (%(start)s to %(end)s, %(count)s episode) written to %(path)s",
        "Report of %(name)s (%(start)s to %(end)s, %(count)s episodes) written to %(path)s",
        n,
    ) % {"name": data.child.name, "start": data.start, "end": data.end, "count": n,
         "path": target}  # fmt: skip
    out.print(said, soft_wrap=True, highlight=False)


def _report_data(
    child_id: int,
    start: str | None,
    end: str | None,
    data_dir: Path | None,
    database_url: str | None,
) -> ReportData:
    """The report's data of a child over a period (dates as given on the command line)."""
    from spasmwatch.diary.reporting import build_report
    from spasmwatch.report import parse_period

    with usage_mistakes():  # dates typed wrongly: said with the command's usage
        first, last = parse_period(start, end)
    database = existing_database(data_dir, database_url)
    try:
        return build_report(database, child_id, first, last)
    finally:
        database.dispose()


# ---------------------------------------------------------------- end report commands

# ---------------------------------------------------------------- export commands
#: ``export csv --tables`` without ``--out`` (a ZIP is not for standard output).
TABLES_NEED_OUT = (
    "Invalid value for '--out': --tables writes a ZIP file, so give the file to write, "
    "e.g. --out diary.zip"
)
export_app = typer.Typer(
    help=N_("Export a child's diary: FHIR R4B, CSV or the doctor package."),
)
import_app = typer.Typer(help=N_("Import episodes into a child's diary."))
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")


def _write_or_print(data: str | bytes, dest: Path | None, what: str) -> None:
    """``data`` into ``dest`` (text as UTF-8), or text on standard output without one."""
    if dest is None:
        assert isinstance(data, str), "bytes need a file"
        sys.stdout.write(data)
        return
    try:
        if isinstance(data, bytes):
            dest.write_bytes(data)
        else:
            dest.write_text(data, encoding="utf-8", newline="")
    except OSError as exc:
        from spasmwatch.errors import UnreadableFile

        raise UnreadableFile(CANNOT_WRITE % {"path": dest, "why": exc.strerror or exc}) from None
    err.print(f"Wrote {what} to {dest}", highlight=False)


@export_app.command(
    "package",
    help=N_(
        "Write the doctor package: the report with the video clips at the detected events "
        "and the EEG plots in one HTML file that opens in any browser without a connection."
    ),
)
def export_package_command(
    child_id: int = _CHILD_ID,
    start: str | None = typer.Option(
        None, "--from", help=N_("First day of the period, YYYY-MM-DD (default: the first episode).")
    ),
    end: str | None = typer.Option(
        None, "--to", help=N_("Last day of the period, YYYY-MM-DD (default: today).")
    ),
    paper: str = typer.Option("a4", "--paper", help=N_("Page size when printed: a4 or letter.")),
    out_file: Path | None = typer.Option(
        None, "--out", help=N_("File to write (default: package-CHILD_ID-TO.html here).")
    ),
    lang: str = typer.Option("en", "--lang", help=N_("Language of the report inside: en or es.")),
    database_url: str | None = typer.Option(None, help=N_("SQLAlchemy URL of the database.")),
    data_dir: Path | None = typer.Option(None, help=N_("Data directory.")),
) -> None:
    """``spasmwatch export package``: :func:`~spasmwatch.report.package.render_package`,
    written whole or not at all."""
    from spasmwatch.i18n import format_number
    from spasmwatch.report import PAPERS
    from spasmwatch.report.package import render_package

    gettext, ngettext = language(lang)
    if paper not in PAPERS:
        raise invalid_option("--paper", PAPERS, paper)
    data = _report_data(child_id, start, end, data_dir, database_url)
    target = out_file or Path(f"package-{child_id}-{data.end.isoformat()}.html")
    kept_by = settings_from(data_dir, database_url).hosted_by
    html = render_package(data, paper, lang, kept_by)  # type: ignore[arg-type]
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_text(html, encoding="utf-8")
        partial.replace(target)  # whole or not at all
    except OSError as exc:
        partial.unlink(missing_ok=True)
        why = {"path": target, "why": exc.strerror or exc}
        raise SpasmwatchError(CANNOT_WRITE % why) from None
    clips = sum(len(v.clips) for v in data.videos)
    episodes, videos, eegs = len(data.episodes), len(data.videos), len(data.eegs)
    said = gettext(
        "Doctor package of %(name)s (%(start)s to %(end)s, %(episodes)s, %(videos)s with "
        "%(clips)s, %(eegs)s; %(size)s MB) written to %(path)s"
    ) % {
        "name": data.child.name,
        "start": data.start,
        "end": data.end,
        "episodes": ngettext("%(count)s episode", "%(count)s episodes", episodes)
        % {"count": episodes},
        "videos": ngettext("%(count)s video", "%(count)s videos", videos) % {"count": videos},
        "clips": ngettext("%(count)s clip", "%(count)s clips", clips) % {"count": clips},
        "eegs": ngettext("%(count)s EEG", "%(count)s EEGs", eegs) % {"count": eegs},
        "size": format_number(target.stat().st_size / 1e6, lang, 1),
        "path": target,
    }
    out.print(said, soft_wrap=True, highlight=False)


@export_app.command(
    "fhir",
    help=N_("Export a child's diary, triage, videos and EEG findings as a FHIR R4B Bundle."),
)
def export_fhir_command(
    child_id: int = _CHILD_ID,
    out_file: Path | None = typer.Option(
        None, "--out", help=N_("The file to write (default: standard output).")
    ),
    collection: bool = typer.Option(
        False, "--collection", help=N_("A 'collection' Bundle instead of a 'document'.")
    ),
    no_name: bool = typer.Option(False, "--no-name", help=N_("Leave the child's name out.")),
    database_url: str | None = typer.Option(None, help=N_("SQLAlchemy URL of the database.")),
    data_dir: Path | None = typer.Option(None, help=N_("Data directory.")),
) -> None:
    """``spasmwatch export fhir``: :func:`~spasmwatch.diary.exchange.fhir_bundle` as JSON."""
    from spasmwatch.diary.exchange import fhir_bundle
    from spasmwatch.store import repo

    database = existing_database(data_dir, database_url)
    bundle = fhir_bundle(
        database,
        child_id,
        include_name=not no_name,
        bundle_type="collection" if collection else "document",
    )
    with database.transaction() as s:
        repo.audit(s, "export_fhir", child_id=child_id, detail="cli")
    _write_or_print(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", out_file, "FHIR")


@export_app.command(
    "csv",
    help=N_("Export a child's episodes as CSV (one row per episode), or every table as a ZIP."),
)
def export_csv_command(
    child_id: int = _CHILD_ID,
    out_file: Path | None = typer.Option(
        None, "--out", help=N_("The file to write (default: standard output).")
    ),
    tables: bool = typer.Option(
        False,
        "--tables",
        help=N_(
            "Write every table (episodes, treatments with the response so far, milestones, "
            "work-up, videos and EEG files with their results) as CSV files in one ZIP, as "
            "the web app's 'CSV tables' (needs --out)."
        ),
    ),
    database_url: str | None = typer.Option(None, help=N_("SQLAlchemy URL of the database.")),
    data_dir: Path | None = typer.Option(None, help=N_("Data directory.")),
) -> None:
    """``spasmwatch export csv``: :mod:`spasmwatch.diary.exchange`'s CSV, or its ZIP of
    tables."""
    from spasmwatch.diary.exchange import export_csv_zip, export_episodes_csv
    from spasmwatch.report.tabular import for_spreadsheets
    from spasmwatch.store import repo

    if tables and out_file is None:
        raise usage_mistake(TABLES_NEED_OUT)
    database = existing_database(data_dir, database_url)
    data: str | bytes
    if tables:
        data, detail, what = export_csv_zip(database, child_id), "cli zip", "the CSV tables"
    else:
        data, detail, what = export_episodes_csv(database, child_id), "cli", "CSV"
        if out_file is not None:  # a file for a spreadsheet; standard output stays plain
            data = for_spreadsheets(data)
    with database.transaction() as s:
        repo.audit(s, "export_csv", child_id=child_id, detail=detail)
    _write_or_print(data, out_file, what)


@import_app.command(
    "csv", help=N_("Import episodes from CSV: every row, or none if any row has a problem.")
)
def import_csv_command(
    child_id: int = _CHILD_ID,
    csv_file: Path = typer.Argument(
        ..., metavar=N_("CSV_FILE"), help=N_("A CSV file as 'spasmwatch export csv' writes.")
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help=N_("Check every row and report; import nothing.")
    ),
    database_url: str | None = typer.Option(None, help=N_("SQLAlchemy URL of the database.")),
    data_dir: Path | None = typer.Option(None, help=N_("Data directory.")),
) -> None:
    """``spasmwatch import csv``: :func:`~spasmwatch.diary.exchange.import_episodes_csv`,
    with every problem it found. The command line has no signed-in account: the episodes
    are recorded as logged by the diary's owner, whose diary they are."""
    from spasmwatch.cli.import_words import said_done, said_problem, said_problems_head
    from spasmwatch.diary.exchange import import_episodes_csv
    from spasmwatch.errors import UnreadableFile
    from spasmwatch.i18n import translations

    # the command line's language (--lang, else the terminal's), as its errors are said
    locale = errors_language()
    catalog = translations(locale)
    try:
        data = csv_file.read_bytes()
    except OSError as exc:
        why = {"path": csv_file, "why": exc.strerror or exc}
        raise UnreadableFile(CANNOT_READ % why) from None
    database = existing_database(data_dir, database_url)
    result = import_episodes_csv(
        database, child_id, data, dry_run=dry_run, source="cli", by_owner=True
    )
    if result.problems:
        head = said_problems_head(str(csv_file), len(result.problems), catalog.ngettext)
        word = catalog.gettext("Error")
        err.print(f"[bold red]{escape(word)}:[/] {escape(head)}", highlight=False)
        for problem in result.problems:
            said = said_problem(problem, catalog.gettext, locale)
            err.print(f"  {said}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(2)
    out.print(said_done(result, catalog.gettext, catalog.ngettext), soft_wrap=True, markup=False)


# ---------------------------------------------------------------- end export commands
