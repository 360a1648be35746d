"""``spasmwatch video analyze`` and ``spasmwatch eeg analyze``.

``--lang`` chooses the language of the printed summary (the catalogs of
:mod:`spasmwatch.i18n`); ``--json`` and the files written keep their English keys and
codes in every language.
"""

from __future__ import annotations

import json
import logging
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from spasmwatch.cli.common import (
    CANNOT_WRITE_OUTPUTS,
    eeg_app,
    err,
    invalid_option,
    language,
    out,
    video_app,
)
from spasmwatch.errors import SpasmwatchError
from spasmwatch.i18n import DEFAULT_LOCALE, N_

if TYPE_CHECKING:
    from spasmwatch.video import VideoAnalysis

log = logging.getLogger("spasmwatch")

_LANG_HELP = N_("Language of the printed summary: en or es (--json keeps its keys and codes).")

#: The side of the picture a movement was on (``MovementEvent.side``), as the summary
#: says it: the picture's side, not the baby's own.
_SIDE_IN_PICTURE = {
    "both": N_("side in the picture both"),
    "left": N_("side in the picture left"),
    "right": N_("side in the picture right"),
}


def _decimal(value: float, lang: str, digits: int = 0) -> str:
    """``value`` with ``digits`` decimals and the language's decimal sign (``1.5``,
    ``1,5``); no thousands separator, as the English summary has always written it."""
    if lang == DEFAULT_LOCALE:
        return f"{value:.{digits}f}"
    from babel.numbers import format_decimal

    return format_decimal(value, format="0." + "0" * digits if digits else "0", locale=lang)


#: The width of the summary's lines, in columns: a terminal's, where a longer line wraps.
LINE_COLUMNS = 80


def _event_lines(times: str, kind: str, parts: list[str], width: int = LINE_COLUMNS) -> list[str]:
    """A movement's line of the table: its ``times``, its ``kind`` (padded to the kinds'
    column) and then ``parts`` (score, side, what set it aside), two spaces apart, within
    ``width`` columns. A part that does not fit goes on the next line, under the kind,
    rather than being wrapped by the terminal in the middle of its words (Spanish words
    are longer than English ones); a part too long even for that line is wrapped at its
    spaces."""
    lines = [times + kind]
    indent = " " * len(times)
    for n, part in enumerate(p for p in parts if p):
        joined = lines[-1] + part if n == 0 else f"{lines[-1]}  {part}"
        if len(joined) <= width:
            lines[-1] = joined
            continue
        lines[-1] = lines[-1].rstrip()
        lines.extend(
            textwrap.wrap(
                part,
                width,
                initial_indent=indent,
                subsequent_indent=indent + " ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return lines


def _rate_hz(value: float, lang: str) -> str:
    """A sampling rate as ``%g`` writes it (``256``, ``250.5``), in the language."""
    if lang == DEFAULT_LOCALE:
        return f"{value:g}"
    from babel.numbers import format_decimal

    return format_decimal(value, format="0.###", locale=lang)


# ---------------------------------------------------------------- video commands
@video_app.command(
    "analyze",
    help=N_("Find spasm-like movements and clusters in a video (nothing leaves this machine)."),
)
def video_analyze(
    video: str = typer.Argument(
        ..., metavar=N_("VIDEO"), help=N_("The video file (MP4, MOV, WebM, ...).")
    ),
    out_dir: str | None = typer.Option(
        None, "--out", help=N_("Folder for clips, contact sheet, motion plot and analysis.json.")
    ),
    as_json: bool = typer.Option(False, "--json", help=N_("Print the JSON result to stdout.")),
    sensitivity: str = typer.Option(
        "normal",
        "--sensitivity",
        help=N_("low (fewer false alarms), normal or high (fewer misses)."),
    ),
    blur_faces: bool = typer.Option(
        False, "--blur-faces", help=N_("Blur faces in the exported clips and contact sheet.")
    ),
    detector: str = typer.Option(
        "learned",
        "--detector",
        help=N_("learned (default: candidate movements weighed by a trained model) or rules."),
    ),
    lang: str = typer.Option("en", "--lang", help=_LANG_HELP),
) -> None:
    """``spasmwatch video analyze``: the summary of :func:`~spasmwatch.video.analyze_video`,
    or its JSON."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from spasmwatch.video import DETECTORS, SENSITIVITIES, analyze_video

    gettext, ngettext = language(lang)
    for option, value, allowed in (
        ("--sensitivity", sensitivity, SENSITIVITIES),
        ("--detector", detector, DETECTORS),
    ):
        if value not in allowed:
            raise invalid_option(option, allowed, value)
    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:.0f}/{task.total:.0f} s"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(gettext("Analysing the video"), total=1.0)

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
    _print_video(result, sensitivity, out_dir, lang, gettext, ngettext)


def _print_video(
    result: VideoAnalysis,
    sensitivity: str,
    out_dir: str | None,
    lang: str,
    _: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
) -> None:
    """The summary of a video analysis (``VideoAnalysis``), its words translated by ``_``
    and ``ngettext`` (the kinds' and sides' codes stay in ``--json``)."""
    from spasmwatch.report.recording_words import problem_words
    from spasmwatch.video import describe_video
    from spasmwatch.video.events import EVENT_KIND_WORDS, SET_ASIDE_WORDS, shown_score

    def num(value: float, digits: int = 1) -> str:
        return _decimal(value, lang, digits)

    v = result.video
    document = result.to_dict()
    out.print(
        f"[bold]{v.path}[/]: {num(v.duration_s)} s, {v.width}x{v.height}, {num(v.fps)} fps",
        highlight=False,
    )
    # A picture that limits what the counts can say ("too dark", "no baby found") is said
    # before them, as the report says it: a count of none read first reads as a result.
    problems = problem_words(document.get("quality"), _)
    if problems:
        said = _("Video quality: %(problems)s.") % {"problems": "; ".join(problems)}
        out.print(said, style="bold yellow", highlight=False, markup=False)
    s = result.summary()
    counts = _(
        "Spasm-like: %(spasm_like)s   jerks: %(jerk)s   rhythmic: %(rhythmic)s   "
        "other: %(other)s   clusters: %(clusters)s   (sensitivity %(sensitivity)s)"
    )
    out.print(counts % {**s, "sensitivity": _(sensitivity)}, highlight=False)
    cluster = _(
        "%(start)s-%(end)s s: %(n)s spasm-like movements, one every %(interval)s s (median)"
    )
    cluster_word = _("Cluster")
    for c in result.clusters:
        said = cluster % {
            "start": num(c.start_s),
            "end": num(c.end_s),
            "n": c.count,
            "interval": num(c.median_interval_s),
        }
        out.print(f"  [bold red]{cluster_word}[/] {said}", highlight=False)
    score_word = _("score")
    # the kinds' column as wide as its longest word in the language, and a space
    kind_width = max(len(_(word)) for word in EVENT_KIND_WORDS.values()) + 1
    for e in result.events:
        aside = f"({_(SET_ASIDE_WORDS[e.set_aside])})" if e.set_aside in SET_ASIDE_WORDS else ""
        score = num(float(shown_score(e.score)), 2)
        side = _(_SIDE_IN_PICTURE[e.side]) if e.side in _SIDE_IN_PICTURE else e.side
        kind = _(EVENT_KIND_WORDS[e.kind])
        times = f"  {num(e.start_s, 2):>7}-{num(e.end_s, 2):>7} s  "
        for line in _event_lines(
            times, f"{kind:<{kind_width}}", [f"{score_word} {score}", side, aside]
        ):
            out.print(line, highlight=False)
    if any(e.side in ("left", "right") for e in result.events):
        note = _(
            "Side: of the picture as filmed, not the baby's own side (filmed from above, "
            "the baby's left is on the picture's right)."
        )
        out.print(f"[dim]{note}[/]", highlight=False)
    if result.outputs:
        written = _("Clips, contact sheet, motion plot and analysis.json written to %(folder)s")
        out.print(written % {"folder": out_dir}, highlight=False)
    for line in describe_video(document, _, ngettext):
        out.print(line, highlight=False)


# ---------------------------------------------------------------- end video commands


# ---------------------------------------------------------------- eeg commands
@eeg_app.command(
    "analyze",
    help=N_("Analyse an EEG: background (BASED-like score, hypsarrhythmia), seizures, decrements."),
)
def eeg_analyze(
    file: Path = typer.Argument(
        ...,
        metavar=N_("FILE"),
        help=N_("EEG recording: EDF, EDF+ or BDF (read by content)."),
    ),
    out_dir: Path | None = typer.Option(
        None, "--out", help=N_("Write events.tsv, analysis.json and trend PNGs into this folder.")
    ),
    as_json: bool = typer.Option(
        False, "--json", help=N_("Print the analysis as one JSON document on stdout.")
    ),
    epoch_s: int = typer.Option(
        10, "--epoch", min=1, help=N_("Epoch length (s) of the reported seizure probabilities.")
    ),
    sensitivity: str = typer.Option(
        "normal",
        "--sensitivity",
        help=N_(
            "low (fewer false alarms), normal or high (fewer misses): the seizure detector's "
            "threshold; high also has the decrement detector read the 2-12 Hz band, where a "
            "noise floor hardly weighs."
        ),
    ),
    sz_detector: str = typer.Option(
        "cnn",
        "--sz-detector",
        help=N_("Seizure detector: cnn (the Stevenson neonatal network) or logistic."),
    ),
    lang: str = typer.Option("en", "--lang", help=_LANG_HELP),
) -> None:
    """``spasmwatch eeg analyze``: the summary of :func:`~spasmwatch.eeg.analyze_eeg`, or
    its JSON."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from spasmwatch.eeg import analyze_eeg
    from spasmwatch.eeg.detect import SZ_SENSITIVITIES

    gettext, ngettext = language(lang)
    if sensitivity not in SZ_SENSITIVITIES:
        raise invalid_option("--sensitivity", SZ_SENSITIVITIES, sensitivity)
    if sz_detector not in ("cnn", "logistic"):
        raise invalid_option("--sz-detector", ("cnn", "logistic"), sz_detector)

    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task(gettext("Analysing %(name)s") % {"name": file.name}, total=None)

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
                why = {"path": out_dir, "why": exc}
                raise SpasmwatchError(CANNOT_WRITE_OUTPUTS % why) from None
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=1) + "\n")
        return
    _print_eeg(file.name, result.to_dict(), sensitivity, written, lang, gettext, ngettext)


def _channels_said(
    rec: dict[str, Any], analysed: int, lang: str, ngettext: Callable[[str, str, int], str]
) -> str:
    """The recording's format, length and channels: the electrodes recorded and, when the
    analysis derived the longitudinal bipolar montage from them
    (:func:`~spasmwatch.eeg.features.analysis_montage`), the bipolar channels analysed
    (``background.channels``: 18 from the 19 electrodes of the 10-20 system); otherwise
    the channels as recorded, analysed as they are."""
    recorded = rec["channels"]
    montage = rec.get("montage") or []
    values = {
        "format": rec["format"],
        "duration": _decimal(rec["duration_s"], lang),
        "hz": _rate_hz(rec["sfreq"], lang),
    }
    if montage and montage != recorded:
        said = ngettext(
            "%(format)s, %(duration)s s, %(electrodes)s electrodes at %(hz)s Hz; "
            "%(n)s bipolar channel analysed (double banana)",
            "%(format)s, %(duration)s s, %(electrodes)s electrodes at %(hz)s Hz; "
            "%(n)s bipolar channels analysed (double banana)",
            len(montage),
        )
        return said % {**values, "electrodes": len(recorded), "n": len(montage)}
    n = len(montage or recorded) or analysed
    said = ngettext(
        "%(format)s, %(duration)s s, %(n)s EEG channel at %(hz)s Hz, analysed as recorded",
        "%(format)s, %(duration)s s, %(n)s EEG channels at %(hz)s Hz, analysed as recorded",
        n,
    )
    return said % {**values, "n": n}


def _print_eeg(
    name: str,
    d: dict[str, Any],
    sensitivity: str,
    written: list[Path],
    lang: str,
    _: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
) -> None:
    """The summary of an EEG analysis (``EEGAnalysis.to_dict()``), its words translated
    by ``_`` and ``ngettext`` (event types, detectors and channel names stay as codes)."""
    from spasmwatch.eeg.reader import left_out_words
    from spasmwatch.eeg.reasons import background_reasons
    from spasmwatch.eeg.result import (
        FEW_SZ_CHANNELS,
        based_score_shown,
        gaps_in_words,
        sz_note_words,
        unscored_words,
    )
    from spasmwatch.eeg.words import continuity_caveat, continuity_said
    from spasmwatch.report.eeg_finding import NEWBORN_DETECTOR, hypsarrhythmia_words

    def num(value: float, digits: int = 0) -> str:
        return _decimal(value, lang, digits)

    rec, bg = d["recording"], d["background"]
    header = _channels_said(rec, int(bg.get("channels") or 0), lang, ngettext)
    out.print(f"[bold]{name}[/]: {header}", highlight=False)
    left_out = left_out_words(rec.get("skipped_signals", []), _, lang)
    if left_out:
        said = _("Not analysed: %(signals)s") % {"signals": ", ".join(left_out)}
        out.print(said, highlight=False, markup=False)
    gaps = gaps_in_words(rec.get("gaps", []), _, ngettext, lang)
    if gaps:
        out.print(gaps, highlight=False)
    foci = int(bg["spike_foci"])
    foci_said = (
        ngettext("%(n)s spike focus", "%(n)s spike foci", foci) % {"n": foci}
        if foci
        else _("no spike focus")
    )
    background = _(
        "Background: amplitude p95 %(amp)s µV, delta fraction %(delta)s, %(rate)s spikes/min, "
        "%(foci)s, BASED-like score %(score)s"
    ) % {
        "amp": num(bg["amplitude_uv_p95"]),
        "delta": num(bg["delta_power_fraction"], 2),
        "rate": num(bg["spike_rate_per_min"], 1),
        "foci": foci_said,
        # too little usable EEG: why there is no score, never a score of 0
        "score": bg["based_like_score"] if based_score_shown(bg) else unscored_words(bg, _),
    }
    out.print(background, highlight=False)
    # the ACNS continuity, with what a discontinuous background means by age: the age is
    # not known here (the report and the share link, which know it, say which applies)
    continuity = continuity_said(bg, _, lang)
    if continuity:
        said = _("Continuity of the background: %(continuity)s") % {"continuity": continuity}
        caveat = continuity_caveat(bg, None, _)
        out.print(f"{said}; {caveat}" if caveat else said, highlight=False, markup=False)
    assessment = bg.get("hypsarrhythmia_assessment", "unlikely")
    likely, cannot, not_a_no = _("likely"), _("cannot be assessed"), _("(this is not a 'no')")
    verdict = {
        "likely": f"[bold red]{likely}[/]",
        # what keeps an "unlikely" from ruling it out, as the report and the share link say
        "unlikely": hypsarrhythmia_words(bg, _),
        "cannot_assess": f"[bold]{cannot}[/] {not_a_no}",
    }.get(assessment, assessment)
    out.print(_("Hypsarrhythmia: %(verdict)s") % {"verdict": verdict}, highlight=False)
    for reason in background_reasons(bg, _, lang, ngettext):
        out.print(f"  - {reason}", highlight=False)
    events = d["events"]
    n_sz, n_dec = d["summary"]["sz"], d["summary"]["decrement"]
    found = _(
        "Events: %(seizures)s, %(decrements)s (neonatal seizure detector %(detector)s, "
        "sensitivity %(sensitivity)s, threshold %(threshold)s)"
    ) % {
        # "possible", as the web page and the report say them (eeg/words.py): the
        # detectors propose events for a clinician to confirm
        "seizures": ngettext("%(n)s possible seizure (sz)", "%(n)s possible seizures (sz)", n_sz)
        % {"n": n_sz},
        "decrements": ngettext(
            "%(count)s possible decrement", "%(count)s possible decrements", n_dec
        )
        % {"count": n_dec},
        "detector": d["settings"]["sz_detector"],
        "sensitivity": _(sensitivity),
        "threshold": num(d["settings"]["sz_threshold"], 2),
    }
    out.print(found, highlight=False)
    # the seizure detector's limit, in the words the report and the share link give it
    out.print(_(NEWBORN_DETECTOR), style="dim", highlight=False, markup=False)
    if "sz_note" in d["settings"]:
        why = sz_note_words(d["settings"]["sz_note"], _, lang)
        note = _("No seizure probability: %(why)s.") % {"why": why}
        out.print(f"[dim]{note}[/]", highlight=False)
    n_channels = d["settings"]["sz_channels"]
    if n_channels < FEW_SZ_CHANNELS:
        few = ngettext(
            "Only %(n)s channel: with fewer electrodes the seizure detector misses more "
            "seizures (docs/eeg.md).",
            "Only %(n)s channels: with fewer electrodes the seizure detector misses more "
            "seizures (docs/eeg.md).",
            n_channels,
        ) % {"n": n_channels}
        out.print(f"[dim]{few}[/]", highlight=False)
    if events:
        onset, lasting, event = _("onset"), _("lasting"), _("event")
        confidence, channels = _("confidence"), _("channels")
        out.print(
            f"  {onset:>11}  {lasting:>8}  {event:<9} {confidence:<15} {channels}",
            highlight=False,
        )
    diffuse = _("diffuse")
    for e in events[:50]:
        chans = ", ".join(e["channels"]) or diffuse
        out.print(
            f"  {num(e['onset'], 1):>9} s  {num(e['duration'], 1):>6} s  {e['eventType']:<9} "
            f"{num(e['confidence'], 2):<15} {chans}",
            highlight=False,
        )
    if len(events) > 50:
        more = _("... and %(n)s more (see events.tsv or --json)") % {"n": len(events) - 50}
        out.print(f"  {more}", highlight=False)
    for p in written:
        out.print(_("Wrote %(path)s") % {"path": p}, highlight=False, soft_wrap=True)
    review = _("Candidate findings for a clinician to review; not a diagnosis.")
    out.print(f"[dim]{review}[/]", highlight=False)


# ---------------------------------------------------------------- end eeg commands
