"""The ``spasmwatch`` command line (Typer + Rich).

Each command calls one library function and formats its result. Errors a user can cause
(:class:`~spasmwatch.errors.SpasmwatchError`) are printed as one clear message and exit
with status 2; anything unexpected exits with status 1, without a traceback unless
``SPASMWATCH_DEBUG=1`` is set.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from spasmwatch import __version__
from spasmwatch.errors import SpasmwatchError

if TYPE_CHECKING:
    from spasmwatch.config import Settings
    from spasmwatch.interview import Question
    from spasmwatch.triage import TriageResult

log = logging.getLogger("spasmwatch")

app = typer.Typer(
    name="spasmwatch",
    help="Help for babies' brief movements: triage, video and EEG analysis.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
video_app = typer.Typer(
    help="Analyse a phone video for spasm-like movements.", no_args_is_help=True
)
eeg_app = typer.Typer(help="Analyse an EEG recording (EDF, EDF+, BDF).", no_args_is_help=True)
app.add_typer(video_app, name="video")
app.add_typer(eeg_app, name="eeg")

out = Console()
err = Console(stderr=True)


def _version_callback(value: bool) -> None:
    if value:
        out.print(f"spasmwatch {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    """Help for babies' brief movements: triage, video and EEG analysis."""


# ---------------------------------------------------------------- triage commands
_LEVEL_STYLE = {
    "emergency": ("bold white on red", "EMERGENCY"),
    "same_day": ("bold black on dark_orange", "TODAY"),
    "soon": ("bold black on yellow", "WITHIN DAYS"),
    "routine": ("bold black on green", "ROUTINE"),
}


def _read_case_source(source: str) -> tuple[str, str]:
    """(text, name) of a case file, or of standard input for ``-``."""
    from spasmwatch.errors import InvalidCase

    if source == "-":
        return sys.stdin.read(), "standard input"
    path = Path(source)
    if not path.is_file():
        raise InvalidCase(f"case file '{source}' does not exist or is not a file")
    try:
        return path.read_text(encoding="utf-8"), f"case file '{source}'"
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidCase(f"case file '{source}' cannot be read: {exc}") from None


def _print_triage(result: TriageResult, heading: str | None = None) -> None:
    from rich.panel import Panel
    from rich.table import Table

    style, badge = _LEVEL_STYLE[result.level]
    if heading:
        out.rule(heading)
    out.print(Panel(f"[{style}] {badge} [/] [bold]{result.title}[/]", expand=True))
    out.print("[bold]What to do now[/]")
    for line in result.advice:
        out.print(f"  • {line}", highlight=False)
    if result.reasons:
        table = Table(title="Why", title_justify="left", show_lines=False, expand=True)
        table.add_column("rule", style="cyan", no_wrap=True)
        table.add_column("level", no_wrap=True)
        table.add_column("reason")
        table.add_column("source", style="dim")
        for r in result.reasons:
            level = r.level if r.lowered_to is None else f"{r.level} → {r.lowered_to}"
            table.add_row(r.rule, level, r.text, r.source)
        out.print(table)
    if result.possibilities:
        out.print("[bold]What it could be[/] (not a diagnosis)")
        for p in result.possibilities:
            out.print(f"  • {p.label} [dim]({p.weight})[/]", highlight=False)
    out.print(f"[dim]rules version {result.rules_version}[/]")


def _ask_rich(question: Question, error: str | None) -> str:
    from rich.prompt import Prompt

    if error:
        err.print(f"[red]{error}[/]", highlight=False)
    if question.kind in ("choice", "multi") and question.choices:
        for i, (word, meaning) in enumerate(question.choices.items(), start=1):
            out.print(f"   [cyan]{i:>2}[/] {meaning} [dim]({word})[/]", highlight=False)
    default = question.default if question.kind == "choice" else None
    suffix = f" [dim][{default}][/]" if default else ""
    return Prompt.ask(f"[bold]{question.text}[/]{suffix}", default="", show_default=False)


@app.command("triage")
def triage_command(
    cases: list[str] = typer.Argument(
        None, metavar="[CASE.json]...", help="Case files in the case format; '-' reads stdin."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    interactive: bool = typer.Option(
        False, "--interactive", "-i", help="Answer questions one by one instead of a file."
    ),
    save: Path | None = typer.Option(
        None, "--save", help="With --interactive: also save the answers as a case file."
    ),
    now: datetime | None = typer.Option(
        None, "--now", help="Triage as if it were this time (ISO date-time); default now."
    ),
) -> None:
    """Say how urgently to get help for what you saw, and why."""
    from spasmwatch.case import load_case, parse_case
    from spasmwatch.errors import InvalidCase
    from spasmwatch.interview import interview
    from spasmwatch.triage import triage

    if interactive == bool(cases):
        raise InvalidCase("give one or more case files, or --interactive (not both)")
    if interactive:
        out.print(
            "[bold]spasmwatch[/]: answer a few questions about what you saw. "
            "Press Enter to skip a question you are unsure of.\n"
            "[bold red]If your baby is having trouble breathing, is blue or grey, or a "
            "seizure has lasted 5 minutes, call emergency services now.[/]"
        )
        try:
            answers = interview(_ask_rich)
        except EOFError:
            raise InvalidCase("the input ended before every question was answered") from None
        case = parse_case(answers)
        if save is not None:
            save.write_text(json.dumps(case.to_json_dict(), indent=2) + "\n", encoding="utf-8")
            out.print(f"Saved the answers to {save}")
        results = [("interactive", triage(case, now=now))]
    else:
        loaded = []
        problems = []
        for source in cases:
            text, name = _read_case_source(source)
            try:
                loaded.append((source, load_case(text, source=name)))
            except InvalidCase as exc:
                problems.extend(p if p.startswith(name) else f"{name}: {p}" for p in exc.problems)
        if problems:
            raise InvalidCase(problems)
        results = [(source, triage(case, now=now)) for source, case in loaded]
    if as_json:
        if len(results) == 1:
            payload: Any = results[0][1].to_dict()
        else:
            payload = [{"file": source, **result.to_dict()} for source, result in results]
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    for source, result in results:
        _print_triage(result, heading=source if len(results) > 1 else None)


@app.command("rules")
def rules_command(
    as_json: bool = typer.Option(False, "--json", help="Print the rules as JSON."),
    markdown: bool = typer.Option(
        False, "--markdown", help="Print the rules page of the documentation."
    ),
) -> None:
    """List every triage rule with its id, level, reason and source."""
    from rich.table import Table

    from spasmwatch.triage import RULES, RULES_VERSION
    from spasmwatch.triage.docs import rules_markdown

    if markdown:
        typer.echo(rules_markdown(), nl=False)
        return
    if as_json:
        rows = [
            {
                "id": r.id,
                "level": r.level,
                "group": r.group,
                "reason": r.reason,
                "source": r.source_text,
            }
            for r in RULES
        ]
        typer.echo(json.dumps({"rules_version": RULES_VERSION, "rules": rows}, indent=2))
        return
    table = Table(title=f"Triage rules (version {RULES_VERSION})", show_lines=True)
    for column in ("id", "level", "group", "reason", "source"):
        table.add_column(column, style="cyan" if column == "id" else None)
    for r in RULES:
        table.add_row(r.id, r.level, r.group, r.reason, r.source_text)
    out.print(table)


# ---------------------------------------------------------------- end triage commands


# ---------------------------------------------------------------- web and data commands
def _settings(data_dir: Path | None, database_url: str | None) -> Settings:
    from spasmwatch.config import Settings

    base = Settings.from_env()
    # Every other setting (upload limit, emergency number, ...) comes from the environment.
    return dataclasses.replace(
        base,
        data_dir=data_dir or base.data_dir,
        database_url=database_url or base.database_url,
    )


@app.command("serve")
def serve_command(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    database_url: str | None = typer.Option(
        None, help="SQLAlchemy URL (default: SQLite in the data directory)."
    ),
    data_dir: Path | None = typer.Option(
        None, help="Data directory (default: $SPASMWATCH_DATA_DIR or ~/.local/share/spasmwatch)."
    ),
) -> None:
    """Start the web app (diary, triage, sharing)."""
    import uvicorn

    from spasmwatch.web import create_app

    settings = _settings(data_dir, database_url)
    web_app = create_app(settings)
    where = settings.database_url or f"SQLite in {settings.data_dir}"
    out.print(
        f"spasmwatch is running at [bold]http://{host}:{port}/[/] (data: {where})",
        soft_wrap=True,
    )
    out.print("Press Ctrl+C to stop.")
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


@app.command("backup")
def backup_command(
    archive: Path = typer.Argument(..., help="The backup file to write (.tar.gz)."),
    database_url: str | None = typer.Option(None, help="SQLAlchemy URL of the database."),
    data_dir: Path | None = typer.Option(None, help="Data directory."),
) -> None:
    """Back up the database and the attachments into one file."""
    from spasmwatch.store import Database
    from spasmwatch.store.backup import backup

    database = Database(_settings(data_dir, database_url))
    database.migrate()
    written = backup(database, archive)
    out.print(f"Backed up to {written}")


@app.command("restore")
def restore_command(
    archive: Path = typer.Argument(..., help="A backup file made by 'spasmwatch backup'."),
    database_url: str | None = typer.Option(None, help="SQLAlchemy URL of an empty database."),
    data_dir: Path | None = typer.Option(None, help="Data directory."),
) -> None:
    """Restore a backup into an empty database and data directory."""
    from spasmwatch.store import Database
    from spasmwatch.store.backup import restore

    database = Database(_settings(data_dir, database_url))
    database.migrate()
    counts = restore(database, archive)
    out.print("Restored: " + ", ".join(f"{n} {table}" for table, n in counts.items()))


@app.command("reset-password")
def reset_password_command(
    email: str = typer.Argument(..., help="The email of the account."),
    database_url: str | None = typer.Option(None, help="SQLAlchemy URL of the database."),
    data_dir: Path | None = typer.Option(None, help="Data directory."),
) -> None:
    """Make a one-time code that sets a new password on the app's reset page (/reset)."""
    from spasmwatch.store import Database, repo
    from spasmwatch.web.routes.accounts import RESET_MINUTES, make_reset_code

    database = Database(_settings(data_dir, database_url))
    database.migrate()
    with database.transaction() as s:
        user = repo.user_by_email(s, email)
        if user is None:
            raise SpasmwatchError(f"No account uses the email '{email}'")
        code = make_reset_code(s, user.id)
        repo.audit(s, "password_reset_code", user_id=user.id, detail="command line")
        who = user.email
    out.print(
        f"One-time code for {who}: [bold]{code}[/] (works once, for {RESET_MINUTES} minutes): "
        "enter it with a new password on the app's page /reset"
    )


# ---------------------------------------------------------------- end web and data commands

# ---------------------------------------------------------------- report commands
REPORT_FORMATS = ("pdf", "html")


@app.command("report")
def report_command(
    child_id: int = typer.Argument(..., help="The child's id (shown in the web app's address)."),
    start: str | None = typer.Option(
        None, "--from", help="First day of the period, YYYY-MM-DD (default: the first episode)."
    ),
    end: str | None = typer.Option(
        None, "--to", help="Last day of the period, YYYY-MM-DD (default: today)."
    ),
    fmt: str = typer.Option("pdf", "--format", help="pdf or html (one self-contained file)."),
    paper: str = typer.Option("a4", "--paper", help="Page size: a4 or letter."),
    out_file: Path | None = typer.Option(
        None, "--out", help="File to write (default: report-CHILD_ID-TO.pdf or .html here)."
    ),
    database_url: str | None = typer.Option(None, help="SQLAlchemy URL of the database."),
    data_dir: Path | None = typer.Option(None, help="Data directory."),
) -> None:
    """Write the clinician report of a child: diary, triage, video and EEG findings."""
    from spasmwatch.report import PAPERS, build_report, parse_period, render_html, render_pdf
    from spasmwatch.store import Database

    if fmt not in REPORT_FORMATS:
        raise SpasmwatchError(
            f"Invalid value for '--format': allowed are {', '.join(REPORT_FORMATS)}; got {fmt!r}"
        )
    if paper not in PAPERS:
        raise SpasmwatchError(
            f"Invalid value for '--paper': allowed are {', '.join(PAPERS)}; got {paper!r}"
        )
    first, last = parse_period(start, end)
    database = Database(_settings(data_dir, database_url))
    try:
        database.migrate()
        data = build_report(database, child_id, first, last)
    finally:
        database.dispose()
    target = out_file or Path(f"report-{child_id}-{data.end.isoformat()}.{fmt}")
    if fmt == "pdf":
        target.write_bytes(render_pdf(data, paper))  # type: ignore[arg-type]
    else:
        target.write_text(render_html(data, paper), encoding="utf-8")  # type: ignore[arg-type]
    out.print(
        f"Report of {data.child.name} ({data.start} to {data.end}, {len(data.episodes)} "
        f"episodes) written to {target}",
        soft_wrap=True,
        highlight=False,
    )


# ---------------------------------------------------------------- end report commands

# ---------------------------------------------------------------- export commands
export_app = typer.Typer(help="Export a child's diary: FHIR R4B or CSV.", no_args_is_help=True)
import_app = typer.Typer(help="Import episodes into a child's diary.", no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")


def _write_or_print(text: str, dest: Path | None, what: str) -> None:
    if dest is None:
        sys.stdout.write(text)
        return
    try:
        dest.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        from spasmwatch.errors import UnreadableFile

        raise UnreadableFile(f"Cannot write {dest}: {exc.strerror or exc}") from None
    err.print(f"Wrote {what} to {dest}", highlight=False)


@export_app.command("fhir")
def export_fhir_command(
    child_id: int = typer.Argument(..., help="The child's id (as in the web app's address)."),
    out_file: Path | None = typer.Option(
        None, "--out", help="The file to write (default: standard output)."
    ),
    collection: bool = typer.Option(
        False, "--collection", help="A 'collection' Bundle instead of a 'document'."
    ),
    no_name: bool = typer.Option(False, "--no-name", help="Leave the child's name out."),
    database_url: str | None = typer.Option(None, help="SQLAlchemy URL of the database."),
    data_dir: Path | None = typer.Option(None, help="Data directory."),
) -> None:
    """Export a child's diary, triage, videos and EEG findings as a FHIR R4B Bundle."""
    from spasmwatch.report.fhir import fhir_bundle
    from spasmwatch.store import Database, repo

    database = Database(_settings(data_dir, database_url))
    database.migrate()
    bundle = fhir_bundle(
        database,
        child_id,
        include_name=not no_name,
        bundle_type="collection" if collection else "document",
    )
    with database.transaction() as s:
        repo.audit(s, "export_fhir", child_id=child_id, detail="cli")
    _write_or_print(json.dumps(bundle, indent=2, ensure_ascii=False) + "\n", out_file, "FHIR")


@export_app.command("csv")
def export_csv_command(
    child_id: int = typer.Argument(..., help="The child's id (as in the web app's address)."),
    out_file: Path | None = typer.Option(
        None, "--out", help="The file to write (default: standard output)."
    ),
    database_url: str | None = typer.Option(None, help="SQLAlchemy URL of the database."),
    data_dir: Path | None = typer.Option(None, help="Data directory."),
) -> None:
    """Export a child's episodes as CSV (one row per episode)."""
    from spasmwatch.report.tabular import export_episodes_csv
    from spasmwatch.store import Database, repo

    database = Database(_settings(data_dir, database_url))
    database.migrate()
    text = export_episodes_csv(database, child_id)
    with database.transaction() as s:
        repo.audit(s, "export_csv", child_id=child_id, detail="cli")
    _write_or_print(text, out_file, "CSV")


@import_app.command("csv")
def import_csv_command(
    child_id: int = typer.Argument(..., help="The child's id (as in the web app's address)."),
    csv_file: Path = typer.Argument(..., help="A CSV file as 'spasmwatch export csv' writes."),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Check every row and report; import nothing."
    ),
    database_url: str | None = typer.Option(None, help="SQLAlchemy URL of the database."),
    data_dir: Path | None = typer.Option(None, help="Data directory."),
) -> None:
    """Import episodes from CSV: every row, or none if any row has a problem."""
    from spasmwatch.errors import UnreadableFile
    from spasmwatch.report.tabular import import_episodes_csv
    from spasmwatch.store import Database

    try:
        data = csv_file.read_bytes()
    except OSError as exc:
        raise UnreadableFile(f"Cannot read {csv_file}: {exc.strerror or exc}") from None
    database = Database(_settings(data_dir, database_url))
    database.migrate()
    result = import_episodes_csv(database, child_id, data, dry_run=dry_run, source="cli")
    if result.problems:
        err.print(
            f"[bold red]Error:[/] {csv_file} has {len(result.problems)} problem(s); "
            "nothing was imported.",
            highlight=False,
        )
        for problem in result.problems:
            err.print(f"  {problem}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(2)
    if dry_run:
        out.print(f"Dry run: all {result.rows} rows are valid; nothing was imported.")
    else:
        out.print(f"Imported {result.imported} episodes.")


# ---------------------------------------------------------------- end export commands


# ---------------------------------------------------------------- batch commands
@app.command("batch")
def batch_command(
    kind: str = typer.Argument(..., metavar="video|eeg", help="What the files are."),
    source: Path = typer.Argument(..., help="A folder (searched recursively) or a list file."),
    out_dir: Path = typer.Option(..., "--out", help="Results folder (resumes if it exists)."),
    scheduler: str | None = typer.Option(
        None, help="Address of a running Dask scheduler, e.g. tcp://host:8786."
    ),
    workers: int | None = typer.Option(
        None, min=1, help="Worker processes of the local cluster (default: one per core)."
    ),
    timeout: float = typer.Option(1800.0, min=1, help="Seconds allowed per file."),
    memory_gb: float = typer.Option(6.0, min=0.5, help="Memory allowed per file, in GB."),
    sensitivity: str = typer.Option(
        "normal", help="Detector sensitivity (video or EEG seizures): low, normal or high."
    ),
) -> None:
    """Analyse a whole folder of videos or EEG recordings on Dask, resumably."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from spasmwatch.batch import BatchSettings, run_batch
    from spasmwatch.errors import SpasmwatchError

    if kind not in ("video", "eeg"):
        raise SpasmwatchError(f"Invalid value for 'kind': allowed are video, eeg; got {kind!r}")
    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if sensitivity not in ("low", "normal", "high"):
        raise SpasmwatchError(
            f"Invalid value for 'sensitivity': allowed are low, normal, high; got {sensitivity!r}"
        )
    settings = BatchSettings(
        scheduler=scheduler,
        workers=workers,
        timeout_s=timeout,
        memory_per_file_bytes=int(memory_gb * 1024**3),
        sensitivity=sensitivity,
    )
    bar = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[counts]}"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
    )
    task = None
    started = time.perf_counter()

    def on_start(state: Any) -> None:
        nonlocal task
        err.print(
            f"{state.total} files, {state.skipped} already done, "
            f"{state.total - state.skipped} to analyse"
            + (f"; Dask dashboard: {state.dashboard}" if state.dashboard else ""),
            soft_wrap=True,
        )
        if state.total > state.skipped:
            task = bar.add_task("analysing", total=state.total - state.skipped, counts="", rate="")
            bar.start()

    def on_progress(state: Any) -> None:
        finished = state.done + state.failed
        per_min = finished / max(time.perf_counter() - started, 1e-9) * 60
        remaining = state.total - state.skipped - finished
        if task is None:
            return
        bar.update(
            task,
            completed=finished,
            counts=f"done {state.done} · failed {state.failed} · remaining {remaining}",
            rate=f"{per_min:.1f} files/min",
        )

    try:
        result = run_batch(source, kind, out_dir, settings, on_progress, on_start)
    finally:
        bar.stop()
    out.print(
        f"{result.done} analysed, {result.failed} failed, {result.skipped} skipped "
        f"(already done). Results: {result.out_dir}/summary.csv, summary.parquet, results/",
        soft_wrap=True,
    )
    for row in result.rows:
        if row["status"] != "ok":
            out.print(f"  [red]{row['status']}[/] {row['file']}: {row['error']}", soft_wrap=True)


# ---------------------------------------------------------------- end batch commands


# ---------------------------------------------------------------- evaluate commands
evaluate_app = typer.Typer(
    help="Score the detectors on your own labelled recordings (docs/evaluate.md).",
    no_args_is_help=True,
)
app.add_typer(evaluate_app, name="evaluate")
_SCHEDULER = typer.Option(None, help="Address of a running Dask scheduler (tcp://host:8786).")
_WORKERS = typer.Option(None, min=1, help="Worker processes of the local cluster.")
_TIMEOUT = typer.Option(1800.0, min=1, help="Seconds allowed per file.")
_MEMORY = typer.Option(6.0, min=0.5, help="Memory allowed per file, in GB.")
_SENSITIVITY = typer.Option("normal", help="Sensitivity of the headline figures.")
_BOOTSTRAP = typer.Option(2000, min=0, help="Bootstrap replicates of the 95 % intervals.")


def _evaluate(kind: str, source: Path, out_dir: Path, options: dict[str, Any]) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from spasmwatch.batch import BatchSettings
    from spasmwatch.evaluate import EvaluationSettings, evaluate

    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(logging.ERROR)
    settings = EvaluationSettings(
        batch=BatchSettings(
            scheduler=options.pop("scheduler"),
            workers=options.pop("workers"),
            timeout_s=options.pop("timeout"),
            memory_per_file_bytes=int(options.pop("memory_gb") * 1024**3),
            sensitivity=options.pop("sensitivity"),
        ),
        slack_s=options.pop("slack_s", 0.3),
        n_boot=options.pop("bootstrap"),
    )
    bar = Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), console=err)
    task = bar.add_task("analysing", total=None)

    def on_start(state: Any) -> None:
        err.print(f"{state.total} files, {state.skipped} analysed before", soft_wrap=True)
        if state.total > state.skipped:
            bar.update(task, total=state.total - state.skipped)
            bar.start()

    def on_progress(state: Any) -> None:
        bar.update(task, completed=state.done + state.failed)

    try:
        result = evaluate(kind, source, out_dir, settings=settings, progress=on_progress,
                          on_start=on_start, **options)  # fmt: skip
    finally:
        bar.stop()
    level = settings.batch.sensitivity

    def show(figure: dict[str, Any], digits: int = 2) -> str:
        return "n/a" if figure["value"] is None else f"{figure['value']:.{digits}f}"

    for t in result.event_types:
        f = result.pooled[t][level]
        c = f["counts"]
        out.print(
            f"{t} ({level}): found {c['found']} of {c['reference']} labelled, "
            f"{c['false_detections']} false detections in {c['hours']:.2f} h; "
            f"sensitivity {show(f['sensitivity'])}, precision {show(f['precision'])}, "
            f"F1 {show(f['f1'])}, false/h {show(f['false_per_hour'], 1)} "
            f"({c['subjects']} subjects)",
            soft_wrap=True,
            highlight=False,
        )
    for r in result.failed:
        out.print(f"  [red]{r.status}[/] {r.labels.name}: {r.error}", soft_wrap=True)
    for warning in result.warnings[:10]:
        out.print(f"  [yellow]label[/] {warning}", soft_wrap=True, highlight=False)
    if len(result.warnings) > 10:
        out.print(f"  ... and {len(result.warnings) - 10} more labels (see the report)")
    out.print(
        f"Report: {result.files['report']} (tables and plots beside it); analysis "
        f"{result.timings['analysis_s']:.0f} s, scoring and report "
        f"{result.timings['scoring_and_report_s']:.0f} s",
        soft_wrap=True,
    )


@evaluate_app.command("video")
def evaluate_video_command(
    source: Path = typer.Argument(..., help="A folder of videos or a list file."),
    labels: Path = typer.Option(..., help="CSV: file, start_s, end_s, kind[, subject]."),
    out_dir: Path = typer.Option(..., "--out", help="Report folder (resumes if it exists)."),
    slack: float = typer.Option(0.3, min=0, help="Matching slack in seconds."),
    scheduler: str | None = _SCHEDULER,
    workers: int | None = _WORKERS,
    timeout: float = _TIMEOUT,
    memory_gb: float = _MEMORY,
    sensitivity: str = _SENSITIVITY,
    bootstrap: int = _BOOTSTRAP,
) -> None:
    """Analyse labelled videos and score the spasm detector against the labels."""
    options = dict(locals())
    options["slack_s"] = options.pop("slack")
    _evaluate("video", options.pop("source"), options.pop("out_dir"), options)


@evaluate_app.command("eeg")
def evaluate_eeg_command(
    source: Path = typer.Argument(..., help="A folder of EEG recordings or a list file."),
    labels: Path | None = typer.Option(
        None, help="Folder of *_events.tsv (default: the events file beside each recording)."
    ),
    out_dir: Path = typer.Option(..., "--out", help="Report folder (resumes if it exists)."),
    participants: Path | None = typer.Option(None, help="participants.tsv (subjects)."),
    hypsarrhythmia: Path | None = typer.Option(
        None, help="Table: file, hypsarrhythmia (yes or no)."
    ),
    scheduler: str | None = _SCHEDULER,
    workers: int | None = _WORKERS,
    timeout: float = _TIMEOUT,
    memory_gb: float = _MEMORY,
    sensitivity: str = _SENSITIVITY,
    bootstrap: int = _BOOTSTRAP,
) -> None:
    """Analyse labelled EEG recordings and score the seizure and decrement detectors."""
    options = dict(locals())
    _evaluate("eeg", options.pop("source"), options.pop("out_dir"), options)


# ---------------------------------------------------------------- end evaluate commands


# ---------------------------------------------------------------- video commands
@video_app.command("analyze")
def video_analyze(
    video: str = typer.Argument(..., help="The video file (MP4, MOV, WebM, ...)."),
    out_dir: str | None = typer.Option(
        None, "--out", help="Folder for clips, contact sheet, motion plot and analysis.json."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON result to stdout."),
    sensitivity: str = typer.Option(
        "normal", "--sensitivity", help="low, normal or high: fewer misses or fewer false alarms."
    ),
    blur_faces: bool = typer.Option(
        False, "--blur-faces", help="Blur faces in the exported clips and contact sheet."
    ),
    detector: str = typer.Option(
        "learned",
        "--detector",
        help="learned (default: candidate movements weighed by a trained model) or rules.",
    ),
) -> None:
    """Find spasm-like movements and clusters in a video (nothing leaves this machine)."""
    import json

    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from spasmwatch.video import DETECTORS, SENSITIVITIES, analyze_video, describe_video

    for option, value, allowed in (
        ("--sensitivity", sensitivity, SENSITIVITIES),
        ("--detector", detector, DETECTORS),
    ):
        if value not in allowed:
            err.print(
                f"[bold red]Error:[/] Invalid value for '{option}': allowed are "
                f"{', '.join(allowed)}; got {value!r}",
                highlight=False,
            )
            raise typer.Exit(2)
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:.0f}/{task.total:.0f} s"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("Analysing video", total=1.0)

        def progress(done_s: float, total_s: float) -> None:
            bar.update(task, completed=done_s, total=max(total_s, done_s, 1e-3))

        result = analyze_video(
            video,
            sensitivity=sensitivity,
            out_dir=out_dir,
            blur_faces=blur_faces,
            progress=progress,
            detector=detector,
        )
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
        return
    v = result.video
    out.print(
        f"[bold]{v.path}[/]: {v.duration_s:.1f} s, {v.width}x{v.height}, {v.fps:.1f} fps",
        highlight=False,
    )
    s = result.summary()
    out.print(
        f"Spasm-like: {s['spasm_like']}   jerks: {s['jerk']}   rhythmic: {s['rhythmic']}   "
        f"other: {s['other']}   clusters: {s['clusters']}   (sensitivity {sensitivity})"
    )
    for c in result.clusters:
        out.print(
            f"  [bold red]Cluster[/] {c.start_s:.1f}-{c.end_s:.1f} s: {c.count} spasm-like "
            f"movements, one every {c.median_interval_s:.1f} s (median)"
        )
    for e in result.events:
        out.print(
            f"  {e.start_s:7.2f}-{e.end_s:7.2f} s  {e.kind:<10} score {e.score:.2f}  side {e.side}"
        )
    if result.outputs:
        out.print(f"Clips, contact sheet, motion plot and analysis.json written to {out_dir}")
    for line in describe_video(result.to_dict()):
        out.print(line, highlight=False)


# ---------------------------------------------------------------- end video commands


# ---------------------------------------------------------------- eeg commands
@eeg_app.command("analyze")
def eeg_analyze(
    file: Path = typer.Argument(..., help="EEG recording: EDF, EDF+ or BDF (read by content)."),
    out_dir: Path | None = typer.Option(
        None, "--out", help="Write events.tsv, analysis.json and trend PNGs into this folder."
    ),
    as_json: bool = typer.Option(
        False, "--json", help="Print the analysis as one JSON document on stdout."
    ),
    epoch_s: int = typer.Option(
        10, "--epoch", min=1, help="Epoch length (s) of the reported seizure probabilities."
    ),
    sensitivity: str = typer.Option(
        "normal",
        "--sensitivity",
        help="Seizure detector: low (fewer false alarms), normal or high (fewer misses).",
    ),
    sz_detector: str = typer.Option(
        "cnn",
        "--sz-detector",
        help="Seizure detector: cnn (the Stevenson neonatal network) or logistic.",
    ),
) -> None:
    """Analyse an EEG: background (BASED-like score, hypsarrhythmia), seizures, decrements."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from spasmwatch.eeg import analyze_eeg
    from spasmwatch.eeg.detect import SZ_SENSITIVITIES

    if sensitivity not in SZ_SENSITIVITIES:
        raise SpasmwatchError(
            "Invalid value for '--sensitivity': allowed are "
            f"{', '.join(SZ_SENSITIVITIES)}; got {sensitivity!r}"
        )
    if sz_detector not in ("cnn", "logistic"):
        raise SpasmwatchError(
            f"Invalid value for '--sz-detector': allowed are cnn, logistic; got {sz_detector!r}"
        )

    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task(f"Analysing {file.name}", total=None)

        def _progress(done: float, total: float) -> None:
            bar.update(task, completed=done, total=total)

        result = analyze_eeg(
            file,
            epoch_length_s=epoch_s,
            sensitivity=sensitivity,
            sz_detector=sz_detector,
            progress=_progress,
        )
        written = []
        if out_dir is not None:
            bar.update(task, description="Writing plots")
            try:
                written = result.write_outputs(out_dir)
            except OSError as exc:
                raise SpasmwatchError(f"{out_dir}: cannot write the outputs ({exc})") from None
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=1) + "\n")
        return
    d = result.to_dict()
    rec, bg = d["recording"], d["background"]
    out.print(
        f"[bold]{file.name}[/]: {rec['format']}, {rec['duration_s']:.0f} s, "
        f"{len(rec['channels'])} EEG channels at {rec['sfreq']:g} Hz",
        highlight=False,
    )
    out.print(
        f"Background: amplitude p95 {bg['amplitude_uv_p95']:.0f} µV, delta fraction "
        f"{bg['delta_power_fraction']:.2f}, {bg['spike_rate_per_min']:.1f} spikes/min, "
        f"{bg['spike_foci']} spike foci, BASED-like score {bg['based_like_score']}",
        highlight=False,
    )
    assessment = bg.get("hypsarrhythmia_assessment", "unlikely")
    verdict = {
        "likely": "[bold red]likely[/]",
        "unlikely": "unlikely",
        "cannot_assess": "[bold]cannot be assessed[/] (this is not a 'no')",
    }.get(assessment, assessment)
    out.print(f"Hypsarrhythmia: {verdict}", highlight=False)
    for reason in bg["reasons"]:
        out.print(f"  - {reason}", highlight=False)
    events = d["events"]
    out.print(
        f"Events: {d['summary']['sz']} seizure (sz), {d['summary']['decrement']} decrement "
        f"(seizure detector {d['settings']['sz_detector']}, seizure sensitivity {sensitivity}, "
        f"threshold {d['settings']['sz_threshold']:.2f})",
        highlight=False,
    )
    if "sz_note" in d["settings"]:
        out.print(f"[dim]No seizure probability: {d['settings']['sz_note']}.[/]", highlight=False)
    if d["settings"]["sz_channels"] < 8:
        out.print(
            f"[dim]Only {d['settings']['sz_channels']} channels: with fewer electrodes the "
            "seizure detector misses more seizures (docs/eeg.md).[/]",
            highlight=False,
        )
    for e in events[:50]:
        chans = ", ".join(e["channels"]) or "diffuse"
        out.print(
            f"  {e['onset']:>9.1f} s  {e['duration']:>6.1f} s  {e['eventType']:<9} "
            f"confidence {e['confidence']:.2f}  {chans}",
            highlight=False,
        )
    if len(events) > 50:
        out.print(f"  ... and {len(events) - 50} more (see events.tsv or --json)")
    for p in written:
        out.print(f"Wrote {p}", highlight=False, soft_wrap=True)
    out.print(
        "[dim]Candidate findings for a clinician to review; not a diagnosis.[/]", highlight=False
    )


# ---------------------------------------------------------------- end eeg commands


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status.

    0 success, 2 invalid input (a clear message, no traceback), 1 unexpected error.
    """
    try:
        app(args=argv, prog_name="spasmwatch")
    except SystemExit as exc:
        if exc.code is None:
            return 0
        return exc.code if isinstance(exc.code, int) else 1
    except SpasmwatchError as exc:
        err.print(f"[bold red]Error:[/] {exc}", highlight=False)
        return 2
    except KeyboardInterrupt:
        err.print("Interrupted.")
        return 130
    except Exception as exc:
        if os.environ.get("SPASMWATCH_DEBUG"):
            raise
        err.print(
            f"[bold red]Unexpected error:[/] {type(exc).__name__}: {exc}\n"
            "Set SPASMWATCH_DEBUG=1 to see the details, and please report this.",
            highlight=False,
        )
        return 1
    return 0


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``spasmwatch`` console script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    for handler in logging.getLogger().handlers:
        # Libraries (Dask) set their own loggers to INFO; only warnings reach the user.
        handler.setLevel(logging.WARNING)
    sys.exit(run(argv))
