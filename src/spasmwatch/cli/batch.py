"""``spasmwatch batch`` and ``spasmwatch evaluate``."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from spasmwatch.cli.common import app, err, invalid_option, out
from spasmwatch.i18n import N_
from spasmwatch.sensitivity import SENSITIVITIES

if TYPE_CHECKING:
    pass

log = logging.getLogger("spasmwatch")


# ---------------------------------------------------------------- batch commands
#: What ``batch`` analyses, and how its usage line and its mistakes name the argument.
BATCH_KINDS = ("video", "eeg")
_KIND_METAVAR = "|".join(BATCH_KINDS)


@app.command(
    "batch", help=N_("Analyse a whole folder of videos or EEG recordings on Dask, resumably.")
)
def batch_command(
    kind: str = typer.Argument(..., metavar=_KIND_METAVAR, help=N_("What the files are.")),
    source: Path = typer.Argument(
        ..., metavar=N_("SOURCE"), help=N_("A folder (searched recursively) or a list file.")
    ),
    out_dir: Path = typer.Option(..., "--out", help=N_("Results folder (resumes if it exists).")),
    scheduler: str | None = typer.Option(
        None, help=N_("Address of a running Dask scheduler, e.g. tcp://host:8786.")
    ),
    workers: int | None = typer.Option(
        None, min=1, help=N_("Worker processes of the local cluster (default: one per core).")
    ),
    timeout: float = typer.Option(1800.0, min=1, help=N_("Seconds allowed per file.")),
    memory_gb: float = typer.Option(6.0, min=0.5, help=N_("Memory allowed per file, in GB.")),
    sensitivity: str = typer.Option(
        "normal",
        help=N_(
            "Detector sensitivity (video; EEG seizures, and decrements read from 2-12 Hz at "
            "high): low, normal or high."
        ),
    ),
) -> None:
    """``spasmwatch batch``: :func:`~spasmwatch.batch.run_batch` with a progress bar."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    from spasmwatch.batch import BatchSettings, retryable, run_batch

    if kind not in BATCH_KINDS:
        raise invalid_option(_KIND_METAVAR, BATCH_KINDS, kind)
    if sensitivity not in SENSITIVITIES:
        raise invalid_option("--sensitivity", SENSITIVITIES, sensitivity)
    for name in ("distributed", "tornado", "bokeh"):
        logging.getLogger(name).setLevel(logging.ERROR)
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
    except KeyboardInterrupt:
        bar.stop()
        err.print(
            f"Stopped. The files finished so far are in {out_dir / 'summary.csv'}; run the "
            "same command again to go on from where it stopped.",
            soft_wrap=True,
            highlight=False,
        )
        raise typer.Exit(130) from None
    finally:
        bar.stop()
    written = [
        name
        for name in ("summary.csv", "summary.parquet", "results/")
        if (result.out_dir / name).exists()
    ]
    before = f", {result.failed_before} of them failed then" if result.failed_before else ""
    out.print(
        f"{result.done} analysed, {result.failed} failed, {result.skipped} skipped "
        f"(done before{before}). Results: {result.out_dir}/{', '.join(written)}",
        soft_wrap=True,
    )
    for row in result.rows:
        if row["status"] != "ok":
            error = row["error"] or "no message"
            # most messages name the file already
            said = error if row["file"] in error else f"{row['file']}: {error}"
            out.print(f"  [red]{row['status']}[/] {said}", soft_wrap=True, highlight=False)
    if any(retryable(r) for r in result.rows):
        out.print(
            "[dim]A file that timed out or ran out of memory is tried again by the next run "
            "(give it a larger --timeout or --memory-gb).[/]",
            soft_wrap=True,
        )
    if result.failed_before:
        out.print(
            f"[dim]{result.failed_before} file{'s' if result.failed_before != 1 else ''} "
            "failed in an earlier run and are not tried again: their rows in summary.csv "
            "say why.[/]",
            soft_wrap=True,
        )
    if result.failed or result.failed_before:
        raise typer.Exit(1)  # some files failed: a script running the batch can tell


# ---------------------------------------------------------------- end batch commands


# ---------------------------------------------------------------- evaluate commands
evaluate_app = typer.Typer(
    help=N_("Score the detectors on your own labelled recordings (docs/evaluate.md)."),
)
app.add_typer(evaluate_app, name="evaluate")
_SCHEDULER = typer.Option(None, help=N_("Address of a running Dask scheduler (tcp://host:8786)."))
_WORKERS = typer.Option(None, min=1, help=N_("Worker processes of the local cluster."))
_TIMEOUT = typer.Option(1800.0, min=1, help=N_("Seconds allowed per file."))
_MEMORY = typer.Option(6.0, min=0.5, help=N_("Memory allowed per file, in GB."))
_SENSITIVITY = typer.Option("normal", help=N_("Sensitivity of the headline figures."))
_BOOTSTRAP = typer.Option(2000, min=0, help=N_("Bootstrap replicates of the intervals (95 %)."))


def _evaluate(kind: str, source: Path, out_dir: Path, options: dict[str, Any]) -> None:
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from spasmwatch.batch import BatchSettings
    from spasmwatch.evaluate import EvaluationSettings, evaluate

    if options["sensitivity"] not in SENSITIVITIES:
        raise invalid_option("--sensitivity", SENSITIVITIES, options["sensitivity"])
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

    def on_labels(unmatched: list[Any]) -> None:
        # once per folder or table, before the analysis: not once per label
        for u in unmatched:
            err.print(f"[yellow]Warning:[/] {escape(u.summary())}", soft_wrap=True,
                      highlight=False)  # fmt: skip

    try:
        result = evaluate(kind, source, out_dir, settings=settings, progress=on_progress,
                          on_start=on_start, on_labels=on_labels, **options)  # fmt: skip
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


@evaluate_app.command(
    "video", help=N_("Analyse labelled videos and score the spasm detector against the labels.")
)
def evaluate_video_command(
    source: Path = typer.Argument(
        ..., metavar=N_("SOURCE"), help=N_("A folder of videos or a list file.")
    ),
    labels: Path = typer.Option(..., help=N_("CSV: file, start_s, end_s, kind[, subject].")),
    out_dir: Path = typer.Option(..., "--out", help=N_("Report folder (resumes if it exists).")),
    slack: float = typer.Option(0.3, min=0, help=N_("Matching slack in seconds.")),
    scheduler: str | None = _SCHEDULER,
    workers: int | None = _WORKERS,
    timeout: float = _TIMEOUT,
    memory_gb: float = _MEMORY,
    sensitivity: str = _SENSITIVITY,
    bootstrap: int = _BOOTSTRAP,
) -> None:
    """``spasmwatch evaluate video``: :func:`~spasmwatch.evaluate.evaluate` on videos."""
    options = dict(locals())
    options["slack_s"] = options.pop("slack")
    _evaluate("video", options.pop("source"), options.pop("out_dir"), options)


@evaluate_app.command(
    "eeg",
    help=N_("Analyse labelled EEG recordings and score the seizure and decrement detectors."),
)
def evaluate_eeg_command(
    source: Path = typer.Argument(
        ..., metavar=N_("SOURCE"), help=N_("A folder of EEG recordings or a list file.")
    ),
    labels: Path | None = typer.Option(
        None, help=N_("Folder of *_events.tsv (default: the events file beside each recording).")
    ),
    out_dir: Path = typer.Option(..., "--out", help=N_("Report folder (resumes if it exists).")),
    participants: Path | None = typer.Option(None, help=N_("participants.tsv (subjects).")),
    hypsarrhythmia: Path | None = typer.Option(
        None, help=N_("Table: file, hypsarrhythmia (yes or no).")
    ),
    scheduler: str | None = _SCHEDULER,
    workers: int | None = _WORKERS,
    timeout: float = _TIMEOUT,
    memory_gb: float = _MEMORY,
    sensitivity: str = _SENSITIVITY,
    bootstrap: int = _BOOTSTRAP,
) -> None:
    """``spasmwatch evaluate eeg``: :func:`~spasmwatch.evaluate.evaluate` on EEG recordings."""
    options = dict(locals())
    _evaluate("eeg", options.pop("source"), options.pop("out_dir"), options)


# ---------------------------------------------------------------- end evaluate commands
