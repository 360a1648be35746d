"""Analysing stored attachments: a family's videos and EEG files, on this machine.

Combines the store with the video and EEG analysers (like the CLI and the web app, it is a
shell over the packages). The result is kept with the attachment row as

``{"status": "running" | "done" | "failed", "result": <the analyser's contract JSON>,
"images": {name: file name}, "image_locales": [language, ...], "error": message,
"sensitivity": "low" | "normal" | "high", "analysed_at": ISO time}``

and the images (contact sheet, motion plot, EEG trends) and event clips are written to
``Database.analysis_dir(sha256, sensitivity)`` (``<data dir>/analyses/<sha256>/`` at the
normal sensitivity, ``<sha256>-low`` / ``<sha256>-high`` otherwise).

Each image is drawn once per language the app speaks (:data:`IMAGE_LOCALES`): its words
(titles, axes, legends) and numbers are the reader's. ``images`` names the English files
(:data:`IMAGE_FILES`); :func:`image_file` spells another language's (``motion.es.png``)
and :func:`image_in` picks the reader's, or the English one for an analysis stored before
the images were drawn per language (``image_locales`` absent: English only).
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from spasmwatch.errors import NoEEGChannel, SpasmwatchError, UnreadableFile
from spasmwatch.images import IMAGE_FILES, IMAGE_LOCALES, image_file, image_in
from spasmwatch.processes import process_alive
from spasmwatch.sensitivity import SENSITIVITIES, check_sensitivity
from spasmwatch.store import Database, repo
from spasmwatch.store.files import UploadRejected, shown_message, stored_path

__all__ = [
    "IMAGE_FILES",
    "IMAGE_LOCALES",
    "SENSITIVITIES",
    "analyse_attachment",
    "check_readable",
    "check_sensitivity",
    "fail_interrupted",
    "failed",
    "image_file",
    "image_in",
]

log = logging.getLogger("spasmwatch")


Progress = Callable[[float, float], None]


def check_readable(path: Path, kind: str, filename: str) -> None:
    """Open an upload as what its first bytes say it is, as its analysis will: an EEG
    file's header and length (the data its header announces must all be there), a video's
    container, stream, first frame and last seconds (a file cut short keeps the index of
    its full length: :meth:`~spasmwatch.video.reader.VideoReader.check_end`). A well-formed
    EEG file without an EEG channel (a hypnogram) passes: its analysis says so.

    Raises
    ------
    UploadRejected
        Saying what is wrong with ``filename`` (never the store's path) when it cannot
        be read.
    """
    try:
        if kind == "eeg":
            from spasmwatch.eeg.reader import read_recording

            read_recording(path, annotations=False)
        else:
            from spasmwatch.video.reader import VideoReader

            with VideoReader(path) as reader:
                reader.check_end()
    except NoEEGChannel:
        return  # a well-formed file: kept, and its analysis says there is no EEG in it
    except UnreadableFile as exc:
        why = str(exc).replace(f"Cannot read video {path}", "").replace(str(path), "")
        why = why.lstrip(": ").strip() or "it cannot be read"
        what = "an EEG file" if kind == "eeg" else "a video"
        raise UploadRejected(f"'{filename}' starts like {what} but cannot be read: {why}") from None


def failed(error: str, sensitivity: str) -> dict[str, Any]:
    """The outcome kept for an analysis that failed, with why."""
    return {
        "status": "failed",
        "error": error,
        "sensitivity": sensitivity,
        "analysed_at": datetime.now().replace(microsecond=0).isoformat(),
    }


INTERRUPTED = "the analysis was interrupted when the server stopped; analyse it again"
#: An analysis whose job no longer exists (restored from a backup taken while it waited
#: or ran: a backup keeps no jobs).
UNFINISHED = "the analysis had not finished when this data was backed up; analyse it again"


def fail_interrupted(database: Database) -> int:
    """Mark as failed every analysis left ``running`` by a process of this machine that
    no longer runs (a server stopped or killed mid-analysis), so that no analysis stays
    "running" for good and "Analyse again" is offered. Analyses of a live process, or of
    another machine sharing the database, are left alone; a marker that names no
    process (from an earlier version) counts as interrupted. An analysis waiting for or
    run by a job that no longer exists (restored from a backup) is failed too. Returns
    how many."""
    from spasmwatch.store import jobqueue

    host, me = socket.gethostname(), os.getpid()
    done = 0
    with database.transaction() as s:
        for attachment_id, analysis in repo.running_analyses(s, ("queued", "running")):
            if "job_id" in analysis:
                job = jobqueue.get_job(s, int(analysis["job_id"]))
                if job is not None and job.attachment_id == attachment_id:
                    continue  # a job's: spasmwatch.jobs.recover takes it back
                # its job is gone (a backup keeps no jobs; a job id of another file is
                # not its job either): nothing would ever finish it
                outcome = failed(UNFINISHED, analysis.get("sensitivity", "normal"))
                repo.set_attachment_analysis(s, attachment_id, outcome)
                done += 1
                continue
            if analysis.get("status") != "running":
                continue
            pid = analysis.get("pid")
            if "host" in analysis and (analysis["host"] != host or pid == me):
                continue
            if isinstance(pid, int) and process_alive(pid):
                continue
            outcome = failed(INTERRUPTED, analysis.get("sensitivity", "normal"))
            repo.set_attachment_analysis(s, attachment_id, outcome)
            done += 1
    if done:
        log.warning("%d analyses interrupted by a server stop were marked failed", done)
    return done


def _run(
    kind: str, source: Path, out: Path, final: Path, progress: Progress | None, sensitivity: str
) -> dict[str, Any]:
    """Analyse ``source``, its files written into ``out`` and named as in ``final``."""
    if kind == "video":
        from spasmwatch.video import analyze_video
        from spasmwatch.video.outputs import write_outputs

        video = analyze_video(source, progress=progress, sensitivity=sensitivity)
        video.outputs = write_outputs(video, final, into=out)
        return video.to_dict()
    from spasmwatch.eeg import analyze_eeg

    analysis = analyze_eeg(source, progress=progress, sensitivity=sensitivity)
    analysis.write_outputs(final, into=out)
    return analysis.to_dict()


def analyse_attachment(
    database: Database,
    attachment_id: int,
    progress: Progress | None = None,
    sensitivity: str = "normal",
) -> dict[str, Any]:
    """Analyse one stored attachment and record the outcome with it.

    ``sensitivity`` is the detector's (``low``: fewer false alarms, ``normal``, ``high``:
    fewer misses). A file the analyser cannot read or analyse is recorded as ``failed``
    with the analyser's message (never raised); the outcome is returned.
    """
    check_sensitivity(sensitivity)
    with database.transaction() as s:
        row = repo.get_attachment(s, attachment_id)
        if row is None:
            raise SpasmwatchError(f"No attachment with id {attachment_id}")
        kind, sha, filename = row.kind, row.sha256, row.filename
    source = stored_path(database.attachments_dir, sha)
    final = database.analysis_dir(sha, sensitivity)
    # Written beside the outputs and swapped in whole when done: the outputs in place are
    # never half of one run (a backup, a report or a page reading them meanwhile), and a
    # run that fails leaves them as they were.
    final.parent.mkdir(parents=True, exist_ok=True)
    # a name of its own: two uploads of the same file may be analysed at once
    out = Path(tempfile.mkdtemp(prefix=f".{final.name}.partial-", dir=final.parent))
    outcome: dict[str, Any]
    try:
        # In the data directory (private, cleaned at the next start if the process stops).
        with tempfile.TemporaryDirectory(prefix="analysis-", dir=database.temp_dir) as tmp:
            # The analysers name the file in their plots: show the family's file name, not
            # the content hash the store uses.
            name = Path(filename).name
            named = Path(tmp) / (name if name not in ("", ".", "..") else "upload")
            named.symlink_to(source)
            result = _run(kind, named, out, final, progress, sensitivity)
        result[kind if kind == "video" else "recording"]["path"] = filename
        images = {name: file for name, file in IMAGE_FILES[kind].items() if (out / file).is_file()}
        # the languages every image was drawn in (the pages say when one is not the reader's)
        drawn = [
            locale
            for locale in IMAGE_LOCALES
            if all((out / image_file(file, locale)).is_file() for file in images.values())
        ]
        _swap_in(out, final)
        outcome = {"status": "done", "result": result, "images": images, "image_locales": drawn}
    except (SpasmwatchError, ValueError, OSError) as exc:
        log.warning("analysis of attachment %s failed: %s", attachment_id, exc)
        outcome = {"status": "failed", "error": shown_message(str(exc), source, filename)}
    except MemoryError:
        log.warning("analysis of attachment %s ran out of memory", attachment_id)
        outcome = {
            "status": "failed",
            "error": "the analysis needed more memory than it may use on this machine "
            "(SPASMWATCH_JOB_MEMORY_MB)",
        }
    except Exception as exc:  # an analyser bug must not leave the page spinning
        log.exception("analysis of attachment %s crashed", attachment_id)
        outcome = {"status": "failed", "error": f"the analysis stopped unexpectedly ({exc})"}
    finally:
        shutil.rmtree(out, ignore_errors=True)
    outcome["sensitivity"] = sensitivity
    outcome["analysed_at"] = datetime.now().replace(microsecond=0).isoformat()
    with database.transaction() as s:
        repo.set_attachment_analysis(s, attachment_id, outcome)
    return outcome


def _swap_in(new: Path, final: Path, tries: int = 3) -> None:
    """Put the folder ``new`` in the place of ``final`` (two renames; the old outputs are
    removed after). Another run of the same file may swap its own in between: the same
    content gives the same outputs, so the later one simply replaces it."""
    for attempt in range(tries):
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
        try:
            if final.exists():
                final.replace(old / "outputs")
            new.rename(final)
            return
        except OSError:
            if attempt == tries - 1:
                raise
        finally:
            shutil.rmtree(old, ignore_errors=True)
