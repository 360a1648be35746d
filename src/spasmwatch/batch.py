"""Batch analysis of many videos or EEG recordings on Dask.

``spasmwatch batch video|eeg INPUT --out RESULTS`` runs the same library function as the
single-file commands (:func:`spasmwatch.video.analyze_video`,
:func:`spasmwatch.eeg.analyze_eeg`) over a folder or a list of files, on a Dask
``LocalCluster`` sized to the machine or on an existing cluster (``--scheduler``).

- Each file is one Dask task. The task hands the file to an analysis process that the
  worker keeps (libraries imported once), with a wall-clock timeout and a memory limit: a
  file that hangs, crashes a decoder or eats memory ends that process (a new one takes
  over) and is recorded as failed; it never stops the batch or the worker.
- Results: ``results/<sha256>.json`` per file (the contract JSON of the analyser) and a
  summary table ``summary.csv`` (appended as each file finishes) and ``summary.parquet``
  (rewritten as the run goes and at the end).
- Re-running skips every file whose content hash is already in the summary, so an
  interrupted run resumes where it stopped; a file that failed for the run's limits (time,
  memory, a crashed process) is tried again. The same content under two names is analysed
  once and gets a row per name. One run at a time holds a results folder. ``batch.json``
  keeps the settings the results were made with (the sensitivity, per kind); resuming
  with another sensitivity is refused, so one folder never mixes results of two thresholds.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import logging
import os
import resource
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spasmwatch.errors import SpasmwatchError

__all__ = [
    "EXTENSIONS",
    "SUMMARY_COLUMNS",
    "BatchResult",
    "BatchSettings",
    "discover_files",
    "read_summary",
    "retryable",
    "run_batch",
]

log = logging.getLogger("spasmwatch")

KINDS = ("video", "eeg")
#: File name endings picked up from a folder (a list file may name any file).
EXTENSIONS = {
    "video": (".mp4", ".m4v", ".mov", ".webm", ".mkv", ".avi", ".3gp"),
    "eeg": (".edf", ".bdf", ".rec"),
}
SUMMARY_COLUMNS = (
    "file",
    "sha256",
    "kind",
    "status",
    "seconds",
    "duration_s",
    "events",
    "spasm_like",
    "clusters",
    "sz_events",
    "amplitude_uv_p95",
    "based_like_score",
    "based_like_score_note",
    "hypsarrhythmia_likely",
    "hypsarrhythmia_assessment",
    "mains_notched_hz",
    "noise_floor_line_share",
    "error",
)
PARQUET_EVERY = 20


@dataclass(frozen=True)
class BatchSettings:
    """How a batch runs.

    Attributes
    ----------
    scheduler
        Address of an existing Dask scheduler (``tcp://host:8786``); None for a local one.
    workers
        Worker processes of the local cluster (default: the machine's cores).
    timeout_s
        Wall-clock limit per file.
    memory_per_file_bytes
        Address-space limit of the process analysing one file.
    sensitivity
        Detector sensitivity (``low``, ``normal``, ``high``): of the video detector, or of
        the EEG seizure detector.
    levels
        Also write ``results/<sha256>.levels.json``: the detections at every sensitivity,
        from the same single analysis (for ``spasmwatch evaluate``).
    """

    scheduler: str | None = None
    workers: int | None = None
    timeout_s: float = 1800.0
    memory_per_file_bytes: int = 6 * 1024**3
    sensitivity: str = "normal"
    levels: bool = False


@dataclass
class BatchResult:
    """What a run did."""

    out_dir: Path
    total: int = 0
    skipped: int = 0
    done: int = 0
    failed: int = 0
    #: Of the skipped files, those whose earlier run failed (kept failed: not tried again).
    failed_before: int = 0
    dashboard: str | None = None
    rows: list[dict[str, Any]] = field(default_factory=list)


# ---------------------------------------------------------------- inputs
def discover_files(source: Path, kind: str) -> list[Path]:
    """The files to analyse: a folder (searched recursively by file ending) or a text file
    listing one path per line (relative paths are taken from the list's folder; blank
    lines and lines starting with ``#`` are ignored).

    A path that does not exist, and one recording given instead of a folder or a list
    (a file ending in one of :data:`EXTENSIONS`), are refused with what to give instead.
    """
    if kind not in KINDS:
        raise SpasmwatchError(f"Invalid value for 'kind': allowed are video, eeg; got {kind!r}")
    if source.is_dir():
        return sorted(
            p for p in source.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS[kind]
        )
    if source.is_file():
        recording = next((k for k in KINDS if source.suffix.lower() in EXTENSIONS[k]), None)
        if recording is not None:
            raise SpasmwatchError(_one_recording(source, recording))
        try:
            lines = source.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            raise SpasmwatchError(
                f"{source} is not a list of files: it is not text (a list names one file "
                f"per line); give a folder of recordings, or run `spasmwatch {kind} analyze` "
                "for one file"
            ) from None
        except OSError as exc:
            raise SpasmwatchError(f"Cannot read the list of files '{source}': {exc}") from None
        files = []
        for line in lines:
            line = line.strip()
            if line and not line.startswith("#"):
                path = Path(line)
                files.append(path if path.is_absolute() else source.parent / path)
        return files
    if not source.exists():
        raise SpasmwatchError(
            f"{source} does not exist: give a folder of recordings or a list of files"
        )
    raise SpasmwatchError(f"Input '{source}' is neither a folder nor a list of files")


def _one_recording(source: Path, kind: str) -> str:
    """What to say of a recording given where a folder or a list of files is expected."""
    return (
        f"{source} is a recording, not a folder or a list of files; give its folder, or run "
        f"`spasmwatch {kind} analyze` for one file"
    )


def content_hash(path: Path) -> str:
    """SHA-256 of a file's content (an unreadable file hashes its path instead)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return "unreadable-" + hashlib.sha256(str(path).encode()).hexdigest()[:52]
    return digest.hexdigest()


# ---------------------------------------------------------------- one file
def _measures(kind: str, result: dict[str, Any]) -> dict[str, Any]:
    """The summary row's measures, read through the analyser's typed result."""
    if kind == "video":
        from spasmwatch.video.result import VideoAnalysis

        video = VideoAnalysis.from_dict(result)
        summary = video.summary()
        return {
            "duration_s": round(video.video.duration_s, 2),
            "events": len(video.events),
            "spasm_like": summary["spasm_like"],
            "clusters": summary["clusters"],
        }
    from spasmwatch.eeg.result import EEGAnalysis, shown_based_score, unscored_words

    eeg = EEGAnalysis.from_dict(result)
    background = eeg.background
    stored = result["background"]
    return {
        "duration_s": round(eeg.duration_s, 3),
        "events": len(eeg.events),
        "sz_events": sum(1 for e in eeg.events if e.eventType == "sz"),
        "amplitude_uv_p95": round(background.amplitude_uv_p95, 1),
        # too little usable EEG to score: an empty cell and why, never a score of 0
        "based_like_score": shown_based_score(stored),
        "based_like_score_note": unscored_words(stored),
        "hypsarrhythmia_likely": background.hypsarrhythmia_likely,
        "hypsarrhythmia_assessment": background.hypsarrhythmia_assessment,
        # a notch applied before the file was read: its spike count is less certain
        "mains_notched_hz": background.mains_notched.get("hz", 0.0),
        # from the decrement rules' line ratio (0.6) on, decrements are hardly found
        "noise_floor_line_share": background.noise_floor.get("line_share"),
    }


def analyse_in_process(
    kind: str, path: str, result_json: str, sensitivity: str, levels: bool = False
) -> None:
    """Analyse one file and write its JSON (runs inside the per-file process); with
    ``levels``, also the detections at every sensitivity (``<sha256>.levels.json``)."""
    if levels:
        from spasmwatch.evaluate.detections import analyse_at_levels

        result, at_levels = analyse_at_levels(kind, path, sensitivity)
        extra = Path(result_json).with_suffix(".levels.json")
        tmp = extra.with_name(extra.name + ".part")
        tmp.write_text(json.dumps(at_levels), encoding="utf-8")
        tmp.replace(extra)
    elif kind == "video":
        from spasmwatch.video import analyze_video

        result = analyze_video(path, sensitivity=sensitivity).to_dict()
    else:
        from spasmwatch.eeg import analyze_eeg

        result = analyze_eeg(path, sensitivity=sensitivity).to_dict()
    tmp = Path(result_json + ".part")
    tmp.write_text(json.dumps(result, indent=1), encoding="utf-8")
    tmp.replace(result_json)


def _limit_memory(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


# One analysis process per worker thread, kept between files so that the libraries are
# imported once; it is replaced when it times out or dies.
_SERVERS: dict[int, subprocess.Popen[str]] = {}


def _server(settings: BatchSettings, log_dir: Path) -> subprocess.Popen[str]:
    key = threading.get_ident()
    proc = _SERVERS.get(key)
    if proc is None or proc.poll() is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        with (log_dir / f"analyser-{os.getpid()}-{key}.log").open("a") as log_file:
            proc = subprocess.Popen(
                [sys.executable, "-m", "spasmwatch.batch", "--serve"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log_file,
                text=True,
                preexec_fn=_limit_memory(settings.memory_per_file_bytes),
            )
        _SERVERS[key] = proc
    return proc


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.kill()
    proc.wait()
    _SERVERS.pop(threading.get_ident(), None)


def analyse_file(
    kind: str, path: str, sha256: str, out_dir: str, settings: BatchSettings
) -> dict[str, Any]:
    """One Dask task: analyse ``path`` in the worker's analysis process; its summary row.

    Never raises for a bad file: failures, timeouts and crashes become rows with
    ``status`` ``failed`` or ``timeout`` and the error message.
    """
    row: dict[str, Any] = {c: None for c in SUMMARY_COLUMNS}
    row.update(file=path, sha256=sha256, kind=kind, status="failed", error="")
    result_json = Path(out_dir) / "results" / f"{sha256}.json"
    result_json.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    proc = _server(settings, Path(out_dir) / "logs")
    job = {
        "kind": kind,
        "path": path,
        "json": str(result_json),
        "sensitivity": settings.sensitivity,
        "levels": settings.levels,
    }
    try:
        assert proc.stdin is not None and proc.stdout is not None  # opened with PIPE
        proc.stdin.write(json.dumps(job) + "\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], settings.timeout_s)
        line = proc.stdout.readline() if ready else None
    except (BrokenPipeError, OSError):
        line = ""
    if line is None:
        _stop(proc)
        row.update(status="timeout", error=f"analysis took longer than {settings.timeout_s:g} s")
    elif not line:
        _stop(proc)
        row["error"] = "the analysis process died (out of memory, or a crash in a decoder)"
    else:
        answer = json.loads(line)
        if answer.get("ok"):
            result = json.loads(result_json.read_text(encoding="utf-8"))
            try:
                row.update(status="ok", **_measures(kind, result))
            except ValueError as exc:  # a result that does not follow the contract
                row["error"] = str(exc)
        else:
            row["error"] = answer.get("error") or "unknown error"
    row["seconds"] = round(time.perf_counter() - start, 3)
    return row


def _serve() -> int:
    """The analysis process: one JSON job per line in, one JSON answer per line out."""
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    for line in sys.stdin:
        job = json.loads(line)
        try:
            analyse_in_process(
                job["kind"], job["path"], job["json"], job["sensitivity"], job.get("levels", False)
            )
            answer: dict[str, Any] = {"ok": True}
        except SpasmwatchError as exc:
            answer = {"ok": False, "error": str(exc)}
        except MemoryError:
            answer = {"ok": False, "error": "the analysis ran out of its memory limit"}
        except Exception as exc:  # a bug or a library error on one file must not end the run
            log.exception("analysis of %s failed", job["path"])
            answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


# ---------------------------------------------------------------- summary files
#: The beginnings of the errors that are the run's limits, not the file's fault.
LIMIT_ERRORS = ("the analysis process died", "the analysis ran out of its memory limit")


def retryable(row: dict[str, Any]) -> bool:
    """Whether a summary row is a failure of the run (its time or memory limit, a crash)
    that a re-run tries again, rather than a file the analyser cannot read."""
    error = row.get("error") or ""
    return row.get("status") == "timeout" or (
        row.get("status") == "failed" and error.startswith(LIMIT_ERRORS)
    )


def _nothing_to_analyse(source: Path, kind: str) -> str:
    if not source.is_dir():
        return f"The list '{source}' names no files"
    other = next(k for k in KINDS if k != kind)
    others = sum(
        1 for p in source.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS[other]
    )
    hint = (
        f"; it holds {others} {other} file{'s' if others != 1 else ''}: "
        f"use spasmwatch batch {other}"
        if others
        else ""
    )
    return (
        f"No {kind} files in '{source}' (looked for names ending in "
        f"{' '.join(EXTENSIONS[kind])}){hint}"
    )


def read_summary(path: Path) -> list[dict[str, Any]]:
    """The rows of a summary, in order (a file tried again has a row per try until the
    run's end compacts it); none when the file is missing or has no whole header line (a
    run stopped before writing it: see :func:`_summary_columns`)."""
    if _summary_columns(path) is None:
        return []
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _summary_columns(path: Path) -> list[str] | None:
    """The columns of a summary begun before, or None when it has no whole header line (a
    run stopped between creating the file and writing its first line leaves it empty)."""
    if not path.is_file():
        return None
    with path.open(newline="", encoding="utf-8") as f:
        first = f.readline()
    if not first.endswith("\n"):
        return None
    columns = next(csv.reader([first]), [])
    return columns if "file" in columns and "sha256" in columns else None


def _append_row(path: Path, row: dict[str, Any]) -> None:
    # a summary begun by an earlier version keeps its own columns
    known = _summary_columns(path)
    new = known is None  # no header yet: the file holds no rows, so it is begun again
    columns: Sequence[str] = known or SUMMARY_COLUMNS
    with path.open("w" if new else "a", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        if new:
            writer.writeheader()
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in columns})
        f.flush()
        os.fsync(f.fileno())


def _compact(path: Path) -> None:
    """Keep one row per file, its last (a file tried again has its earlier rows), in the
    order the files first appeared; rewritten whole."""
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        columns = reader.fieldnames or list(SUMMARY_COLUMNS)
        rows = list(reader)
    last: dict[str, dict[str, Any]] = {}
    for row in rows:
        last.pop(row["file"], None)  # a file tried again moves to where it finished
        last[row["file"]] = row
    if len(last) == len(rows):
        return
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(last.values())
    tmp.replace(path)


def _write_parquet(csv_path: Path) -> None:
    import pandas as pd

    frame = pd.read_csv(csv_path, dtype={"sha256": str, "file": str, "error": str})
    tmp = csv_path.with_name("summary.parquet.part")
    frame.to_parquet(tmp, index=False)
    tmp.replace(csv_path.with_name("summary.parquet"))


# ---------------------------------------------------------------- the run
def _probe(address: str) -> None:
    """Open and close a TCP connection to a ``tcp://host:port`` scheduler: a refused or
    unresolvable address fails now, not after Dask's 20 s of retries. Raises ``OSError``."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    try:
        port = parts.port
    except ValueError:
        return  # not a port number: Dask says what is wrong
    if parts.scheme != "tcp" or parts.hostname is None or port is None:
        return  # another protocol (tls, ucx...): Dask checks it
    with socket.create_connection((parts.hostname, port), timeout=10):
        pass


def _client(settings: BatchSettings) -> tuple[Any, Any]:
    from dask.distributed import Client, LocalCluster

    if settings.scheduler:
        try:
            _probe(settings.scheduler)
            return Client(settings.scheduler, timeout="20s"), None
        except OSError as exc:
            raise SpasmwatchError(
                f"Cannot reach the Dask scheduler at {settings.scheduler}: {exc}"
            ) from None
    workers = settings.workers or os.cpu_count() or 1
    # Ctrl+C reaches every process of the terminal's group: the workers (and their analysis
    # processes) are started ignoring it, and this process stops them in order.
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        )
    finally:
        if main:
            signal.signal(signal.SIGINT, previous)
    return Client(cluster), cluster


def _check_settings(out_dir: Path, kind: str, settings: BatchSettings) -> None:
    """Record the settings of ``kind`` in ``out_dir/batch.json``, or refuse to add results
    made with other settings to results already there."""
    path = out_dir / "batch.json"
    try:
        saved = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SpasmwatchError(f"Cannot read the batch settings '{path}': {exc}") from None
    if not isinstance(saved, dict):
        raise SpasmwatchError(f"Cannot read the batch settings '{path}': not a JSON object")
    entry = saved.get(kind)
    before = entry.get("sensitivity") if isinstance(entry, dict) else None
    if before is None:
        saved[kind] = {"sensitivity": settings.sensitivity}
        tmp = path.with_suffix(".json.part")
        tmp.write_text(json.dumps(saved, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    elif before != settings.sensitivity:
        raise SpasmwatchError(
            f"'{out_dir}' holds {kind} results made at sensitivity {before}; resume with "
            f"--sensitivity {before}, or choose another --out folder for sensitivity "
            f"{settings.sensitivity}"
        )


def run_batch(
    source: Path,
    kind: str,
    out_dir: Path,
    settings: BatchSettings | None = None,
    progress: Callable[[BatchResult], None] | None = None,
    on_start: Callable[[BatchResult], None] | None = None,
) -> BatchResult:
    """Analyse every file of ``source`` (folder or list) not yet in ``out_dir``'s summary.

    Parameters
    ----------
    progress
        Called after each file with the running totals.
    on_start
        Called once the cluster is up and the work is known (e.g. to print the dashboard).
    """
    settings = settings or BatchSettings()
    files = discover_files(source, kind)
    if not files:
        raise SpasmwatchError(_nothing_to_analyse(source, kind))
    out_dir.mkdir(parents=True, exist_ok=True)
    with _only_run(out_dir):
        return _run(files, kind, out_dir, settings, progress, on_start)


@contextlib.contextmanager
def _only_run(out_dir: Path) -> Iterator[None]:
    """Hold the results folder for this run: two runs into one folder would analyse the
    same files twice and interleave the summary's rows."""
    import fcntl

    with (out_dir / ".batch.lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise SpasmwatchError(
                f"'{out_dir}' is being written by another batch run; wait for it to end "
                "or choose another --out folder"
            ) from None
        yield


def _run(
    files: list[Path],
    kind: str,
    out_dir: Path,
    settings: BatchSettings,
    progress: Callable[[BatchResult], None] | None,
    on_start: Callable[[BatchResult], None] | None,
) -> BatchResult:
    _check_settings(out_dir, kind, settings)
    summary_csv = out_dir / "summary.csv"
    before = read_summary(summary_csv)
    # the last row of each content decides; a run's own failure (a limit) is tried again
    settled = {r["sha256"]: r for r in before}
    settled = {sha: r for sha, r in settled.items() if not retryable(r)}
    named = {(r["sha256"], r["file"]) for r in before}
    state = BatchResult(out_dir=out_dir, total=len(files))
    todo: list[tuple[Path, str]] = []
    twins: dict[str, list[str]] = {}  # the same content under other names, analysed once
    for path in files:
        sha = content_hash(path)
        if sha in settled:
            state.skipped += 1
            state.failed_before += settled[sha].get("status") != "ok"
            if (sha, str(path)) not in named:  # a new name for content analysed before
                _append_row(summary_csv, {**settled[sha], "file": str(path)})
                named.add((sha, str(path)))
        elif sha in twins:
            twins[sha].append(str(path))
        else:
            twins[sha] = []
            todo.append((path, sha))
    if not todo:
        if on_start:
            on_start(state)
        if summary_csv.is_file():
            _compact(summary_csv)
            _write_parquet(summary_csv)
        return state
    client, cluster = _client(settings)
    try:
        state.dashboard = _dashboard(client)
        if on_start:
            on_start(state)
        from dask.distributed import as_completed

        futures = [
            client.submit(
                analyse_file,
                kind,
                str(path),
                sha,
                str(out_dir),
                settings,
                key=f"spasmwatch-{sha}",
                pure=False,
            )
            for path, sha in todo
        ]
        for n, future in enumerate(as_completed(futures), start=1):
            first = future.result()
            for row in (first, *({**first, "file": f} for f in twins[first["sha256"]])):
                _append_row(summary_csv, row)
                state.rows.append(row)
                if row["status"] == "ok":
                    state.done += 1
                else:
                    state.failed += 1
            if n % PARQUET_EVERY == 0:
                _write_parquet(summary_csv)
            if progress:
                progress(state)
        _compact(summary_csv)
        _write_parquet(summary_csv)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return state


def _dashboard(client: Any) -> str | None:
    try:
        import bokeh  # noqa: F401  (the dashboard needs it)
    except ImportError:
        return None
    return client.dashboard_link


if __name__ == "__main__" and sys.argv[1:] == ["--serve"]:
    sys.exit(_serve())
