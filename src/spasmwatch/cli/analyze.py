"""``spasmwatch video analyze`` and ``spasmwatch eeg analyze``."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from spasmwatch.cli.common import eeg_app, err, out, video_app
from spasmwatch.errors import SpasmwatchError

if TYPE_CHECKING:
    pass

log = logging.getLogger("spasmwatch")


# ---------------------------------------------------------------- video commands
@video_app.command("analyze")
def video_analyze(
    video: str = typer.Argument(..., help="The video file (MP4, MOV, WebM, ...)."),
    out_dir: str | None = typer.Option(
        None, "--out", help="Folder for clips, contact sheet, motion plot and analysis.json."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON result to stdout."),
    sensitivity: str = typer.Option(
        "normal",
        "--sensitivity",
        help="low (fewer false alarms), normal or high (fewer misses).",
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
    from spasmwatch.video.events import EVENT_KIND_WORDS, SET_ASIDE_WORDS, shown_score

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
        aside = f"  ({SET_ASIDE_WORDS[e.set_aside]})" if e.set_aside in SET_ASIDE_WORDS else ""
        out.print(
            f"  {e.start_s:7.2f}-{e.end_s:7.2f} s  {EVENT_KIND_WORDS[e.kind]:<15}"
            f"score {shown_score(e.score)}  side in the picture {e.side}" + aside
        )
    if any(e.side in ("left", "right") for e in result.events):
        out.print(
            "[dim]Side: of the picture as filmed, not the baby's own side (filmed from above, "
            "the baby's left is on the picture's right).[/]",
            highlight=False,
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
        help=(
            "low (fewer false alarms), normal or high (fewer misses): the seizure detector's "
            "threshold; high also has the decrement detector read the 2-12 Hz band, where a "
            "noise floor hardly weighs."
        ),
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
    from spasmwatch.eeg.reader import eeg_left_out
    from spasmwatch.eeg.result import FEW_SZ_CHANNELS, gaps_in_words

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
    left_out = eeg_left_out(rec.get("skipped_signals", []))
    if left_out:
        out.print(f"Not analysed: {', '.join(left_out)}", highlight=False, markup=False)
    gaps = gaps_in_words(rec.get("gaps", []))
    if gaps:
        out.print(gaps, highlight=False)
    out.print(
        f"Background: amplitude p95 {bg['amplitude_uv_p95']:.0f} µV, delta fraction "
        f"{bg['delta_power_fraction']:.2f}, {bg['spike_rate_per_min']:.1f} spikes/min, "
        f"{bg['spike_foci']} spike {'focus' if bg['spike_foci'] == 1 else 'foci'}, "
        f"BASED-like score {bg['based_like_score']}",
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
    n_sz, n_dec = d["summary"]["sz"], d["summary"]["decrement"]
    out.print(
        f"Events: {n_sz} {'seizure' if n_sz == 1 else 'seizures'} (sz), {n_dec} "
        f"{'decrement' if n_dec == 1 else 'decrements'} (neonatal seizure detector "
        f"{d['settings']['sz_detector']}, sensitivity {sensitivity}, "
        f"threshold {d['settings']['sz_threshold']:.2f})",
        highlight=False,
    )
    if "sz_note" in d["settings"]:
        out.print(f"[dim]No seizure probability: {d['settings']['sz_note']}.[/]", highlight=False)
    if d["settings"]["sz_channels"] < FEW_SZ_CHANNELS:
        out.print(
            f"[dim]Only {d['settings']['sz_channels']} channels: with fewer electrodes the "
            "seizure detector misses more seizures (docs/eeg.md).[/]",
            highlight=False,
        )
    if events:
        out.print(
            f"  {'onset':>11}  {'lasting':>8}  {'event':<9} {'confidence':<15} channels",
            highlight=False,
        )
    for e in events[:50]:
        chans = ", ".join(e["channels"]) or "diffuse"
        out.print(
            f"  {e['onset']:>9.1f} s  {e['duration']:>6.1f} s  {e['eventType']:<9} "
            f"{e['confidence']:<15.2f} {chans}",
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
