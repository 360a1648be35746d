"""Reading a clinic's labels for ``spasmwatch evaluate`` (formats in ``docs/evaluate.md``).

- Video: one CSV, ``file, start_s, end_s, kind`` and optionally ``subject``; a row with
  empty times names a file (and its subject) with nothing in it; a file with no row is
  spasm-free.
- EEG: BIDS / SzCORE ``*_events.tsv`` (``onset, duration, eventType``, optionally
  ``subject``), beside each recording or in a folder; ``participants.tsv`` for the
  subjects; optionally a ``hypsarrhythmia`` yes/no table.

Every problem is reported with the file, the line and the field, all at once
(:class:`LabelError`), before anything is analysed. Labels that name no input recording
are not a problem: a labels folder or CSV made for a whole set is often run on part of
it. They are skipped and said once (:class:`UnmatchedLabels`); only labels of which none
names an input are refused, since then the labels and the inputs are not the same set.
"""

from __future__ import annotations

import contextlib
import csv
import logging
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from spasmwatch.errors import SpasmwatchError

__all__ = [
    "EEG_TYPES",
    "VIDEO_KINDS",
    "LabelError",
    "LabelledEvent",
    "RecordingLabels",
    "UnmatchedLabels",
    "read_eeg_labels",
    "read_video_labels",
]

#: Kinds of a video label: every one is a spasm; the others say which kind.
VIDEO_KINDS: tuple[str, ...] = ("spasm", "flexion", "extension", "mixed", "nod", "other")
#: EEG event types scored, and the label ``eventType`` values that count as each:
#: ``sz`` and its SzCORE sub-types (``sz_foc_a``, ...); a spasm is scored against the
#: detector's decrements (the electrodecremental response that goes with a spasm).
EEG_TYPES: dict[str, str] = {"sz": "sz", "spasm": "decrement", "decrement": "decrement"}
#: ``eventType`` values that mean "nothing here" in SzCORE files.
EEG_BACKGROUND = ("bckg", "background", "n/a", "")
MAX_PROBLEMS = 30
log = logging.getLogger("spasmwatch")
YES = ("yes", "y", "true", "1")
NO = ("no", "n", "false", "0")


class LabelError(SpasmwatchError, ValueError):
    """Labels that cannot be used; ``problems`` lists each with its file, line and field."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(self.problems[0] if self.problems else "invalid labels")

    def __str__(self) -> str:
        shown = self.problems[:MAX_PROBLEMS]
        more = len(self.problems) - len(shown)
        if len(shown) == 1 and not more:
            return shown[0]
        lines = [f"the labels have {len(self.problems)} problem(s):", *shown]
        if more:
            lines.append(f"... and {more} more")
        return "\n  ".join(lines)


@dataclass(frozen=True)
class LabelledEvent:
    """One labelled event, in seconds from the start of the recording.

    ``kind`` is the video kind (:data:`VIDEO_KINDS`) or the EEG type scored (``sz``,
    ``decrement``); ``where`` is the file and line it came from.
    """

    start_s: float
    end_s: float
    kind: str
    where: str


@dataclass
class RecordingLabels:
    """What the labels say about one recording."""

    path: Path
    name: str
    subject: str
    events: list[LabelledEvent] = field(default_factory=list)
    hypsarrhythmia: bool | None = None
    #: label ``eventType`` values that were not scored (with their count)
    ignored: dict[str, int] = field(default_factory=dict)


@dataclass
class UnmatchedLabels:
    """Labels (events files, or rows of a table) that name no input recording.

    They are not scored and not an error: the labels of a whole set run on part of it
    (62 events files, 5 recordings) name many recordings that are not there. The reader
    says so once (:meth:`summary`) rather than once per label.
    """

    #: the labels folder or table
    source: Path
    #: what the labels are, in the plural ("events files", "rows")
    what: str
    #: how many of them there are in all
    total: int
    #: each label that names no input: a file, or ``line N: 'name'``
    names: list[str] = field(default_factory=list)

    def summary(self, shown: int = 3) -> str:
        """One line: how many name no input, of how many, and the first few of them."""
        few = ", ".join(self.names[:shown])
        more = len(self.names) - shown
        return (
            f"{len(self.names)} of {self.total} {self.what} in {self.source} name no input "
            f"recording and are not scored: {few}" + (f" and {more} more" if more > 0 else "")
        )

    def as_dict(self) -> dict[str, object]:
        """The whole list, for ``evaluation.json``."""
        return {
            "source": str(self.source),
            "what": self.what,
            "total": self.total,
            "names": list(self.names),
        }


def _said_unmatched(found: UnmatchedLabels, unmatched: list[UnmatchedLabels] | None) -> None:
    """Hand ``found`` to the caller's list, or, for a caller that keeps none, to the log:
    a label that is skipped is never skipped unsaid."""
    if not found.names:
        return
    if unmatched is not None:
        unmatched.append(found)
    else:
        log.warning("%s", found.summary())


# ---------------------------------------------------------------- shared
def _read_table(path: Path, what: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(columns, [(line, row)]) of a CSV or TSV file (the delimiter read from the header)."""
    if not path.is_file():
        raise LabelError(f"{what} '{path}' does not exist or is not a file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise LabelError(f"Cannot read {what} '{path}': {exc}") from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise LabelError(f"{what} '{path}' is empty: line 1 must name the columns")
    delimiter = "\t" if "\t" in lines[0] else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if values[0].lstrip().startswith("#"):
            continue
        if len(values) > len(header):
            raise LabelError(
                f"{path}, line {number}: {len(values)} fields but the header names "
                f"{len(header)} ({', '.join(header)})"
            )
        rows.append(
            (
                number,
                {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)},
            )
        )
    return header, rows


def _need(path: Path, header: list[str], required: tuple[str, ...], optional: str) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise LabelError(
            f"{path}: missing column(s) {', '.join(repr(c) for c in missing)}; the columns are "
            f"{', '.join(required)}{optional}; found: {', '.join(header) or 'none'}"
        )


def _seconds(text: str, where: str, name: str, problems: list[str]) -> float | None:
    try:
        value = float(text)
    except ValueError:
        problems.append(f"{where}: '{name}' must be a number of seconds; got {text!r}")
        return None
    if not math.isfinite(value) or value < 0:
        problems.append(f"{where}: '{name}' must be 0 or more seconds; got {text!r}")
        return None
    return value


class _Names:
    """Finds the recording a label names: by its path as given, relative to the input
    folder or to the labels' folder, or by its file name (when that is unique)."""

    def __init__(self, files: list[Path], root: Path | None) -> None:
        self.files = files
        self.exact: dict[str, Path] = {}
        self.by_name: dict[str, list[Path]] = {}
        for f in files:
            keys = {str(f), f.as_posix(), str(f.resolve())}
            if root is not None:
                with contextlib.suppress(ValueError):
                    keys.add(f.relative_to(root).as_posix())
            for k in keys:
                self.exact[k] = f
            self.by_name.setdefault(f.name, []).append(f)
            self.by_name.setdefault(f.stem, []).append(f)

    def find(self, name: str, base: Path) -> Path | str | None:
        """The recording; a message when the name could be several of them; None when it
        names none of the inputs."""
        name = name.strip().replace("\\", "/")
        for key in (name, (base / name).as_posix(), str((base / name).resolve())):
            if key in self.exact:
                return self.exact[key]
        hits = self.by_name.get(Path(name).name) or self.by_name.get(name) or []
        hits = list(dict.fromkeys(hits))
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            return (
                f"'{name}' could be any of {len(hits)} input files with that name "
                f"({', '.join(str(h) for h in hits[:3])}); give its path"
            )
        return None

    def missing(self, name: str) -> str:
        """Why ``name`` finds no recording (for labels that name none of the inputs)."""
        return f"'{name.strip()}' is not one of the {len(self.files)} input files"


def display_name(path: Path, root: Path | None) -> str:
    """The recording's name in the report: relative to the input folder when inside it."""
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.as_posix()


# ---------------------------------------------------------------- video
def read_video_labels(
    labels: Path,
    files: list[Path],
    root: Path | None,
    unmatched: list[UnmatchedLabels] | None = None,
) -> dict[Path, RecordingLabels]:
    """The labels of every input video from the CSV ``labels``.

    Parameters
    ----------
    labels
        ``file, start_s, end_s, kind[, subject]``: one row per labelled spasm; a row with
        empty ``start_s`` and ``end_s`` names a file with no spasm (and its subject).
    files
        The input videos; a video without rows is spasm-free, its own subject.
    root
        The input folder (label paths may be relative to it), or None for a list.
    unmatched
        Where the rows that name no input video go (one :class:`UnmatchedLabels`); they
        are skipped. Without a list they are logged.

    Raises
    ------
    LabelError
        With every problem found (file, line, field); also when rows name videos but
        none of them is an input.
    """
    header, rows = _read_table(labels, "labels file")
    _need(labels, header, ("file", "start_s", "end_s", "kind"), " and optionally subject")
    names = _Names(files, root)
    out = {f: RecordingLabels(f, display_name(f, root), display_name(f, root)) for f in files}
    subject_of: dict[Path, tuple[str, str]] = {}
    problems: list[str] = []
    skipped = UnmatchedLabels(labels, "rows", len(rows))
    not_inputs: list[str] = []
    matched = 0
    for number, row in rows:
        where = f"{labels}, line {number}"
        if not row["file"]:
            problems.append(f"{where}: 'file' is empty")
            continue
        found = names.find(row["file"], labels.parent)
        if found is None:
            skipped.names.append(f"line {number}: {row['file']!r}")
            not_inputs.append(f"{where}: 'file' {names.missing(row['file'])}")
            continue
        if isinstance(found, str):
            problems.append(f"{where}: 'file' {found}")
            continue
        matched += 1
        subject = row.get("subject", "")
        if subject:
            before = subject_of.get(found)
            if before and before[0] != subject:
                problems.append(
                    f"{where}: 'subject' {subject!r} differs from {before[0]!r} given for "
                    f"the same file at {before[1]}"
                )
            subject_of[found] = (subject, where)
        if not row["start_s"] and not row["end_s"]:
            continue  # a file with no spasm
        start = _seconds(row["start_s"], where, "start_s", problems)
        end = _seconds(row["end_s"], where, "end_s", problems)
        kind = row["kind"].lower()
        if kind not in VIDEO_KINDS:
            problems.append(
                f"{where}: Invalid value for 'kind': allowed are {', '.join(VIDEO_KINDS)}; "
                f"got {row['kind']!r}"
            )
            continue
        if start is None or end is None:
            continue
        if end <= start:
            problems.append(f"{where}: 'end_s' ({end:g}) must be after 'start_s' ({start:g})")
            continue
        out[found].events.append(LabelledEvent(start, end, kind, where))
    if not_inputs and not matched:
        problems = [
            f"{labels}: none of its {len(rows)} rows names one of the {len(files)} input "
            "videos; are the labels and the input folder of the same set?",
            *not_inputs,
            *problems,
        ]
    if problems:
        raise LabelError(problems)
    _said_unmatched(skipped, unmatched)
    for f, (subject, _where) in subject_of.items():
        out[f].subject = subject
    for rec in out.values():
        rec.events.sort(key=lambda e: e.start_s)
    return out


# ---------------------------------------------------------------- EEG
_SUB = re.compile(r"(?:^|[_/])sub-([A-Za-z0-9]+)")


def events_file_names(recording: Path) -> list[str]:
    """The names an events file of ``recording`` may have: ``NAME_events.tsv`` and, for a
    BIDS name ending in ``_eeg``, the same without it (``sub-01_run-00_events.tsv``)."""
    stem = recording.stem
    names = [f"{stem}_events.tsv"]
    if stem.endswith("_eeg"):
        names.insert(0, f"{stem[:-4]}_events.tsv")
    return names


def _find_events_files(
    files: list[Path],
    labels: Path | None,
    problems: list[str],
    skipped: list[UnmatchedLabels],
) -> dict[Path, Path]:
    """The events file of each input recording. In a labels folder, the events files of
    recordings that are not inputs are skipped and said once; two events files for the
    same input are a problem, as are inputs without one."""
    found: dict[Path, Path] = {}
    pool: dict[str, list[Path]] = {}
    if labels is not None:
        for p in sorted(labels.rglob("*_events.tsv")):
            pool.setdefault(p.name, []).append(p)
    for f in files:
        for name in events_file_names(f):
            if labels is None:
                candidate = f.parent / name
                if candidate.is_file():
                    found[f] = candidate
                    break
            elif name in pool:
                hits = pool[name]
                near = [h for h in hits if h.parent.name == f.parent.name] or hits
                found[f] = near[0]
                break
        else:
            where = f"in {labels}" if labels is not None else "beside it"
            problems.append(
                f"{f}: no events file {where} (expected {' or '.join(events_file_names(f))}; "
                "a recording with no events needs one with only the header or a 'bckg' row)"
            )
    if labels is None:
        return found
    used = set(found.values())
    taken = {h.name: h for h in used}
    unused = UnmatchedLabels(labels, "events files", sum(len(h) for h in pool.values()))
    for name, hits in pool.items():
        for h in hits:
            if h in used:
                continue
            if name in taken:
                problems.append(
                    f"{h}: a second events file for the recording of {taken[name]}; "
                    "one events file per recording (or keep them in folders named like "
                    "the recordings' folders)"
                )
            else:
                unused.names.append(h.relative_to(labels).as_posix())
    if pool and not found:
        shown = ", ".join(unused.names[:3])
        problems.insert(
            0,
            f"{labels}: none of its {unused.total} events files names one of the "
            f"{len(files)} input recordings (it has {shown}"
            + (", ..." if len(unused.names) > 3 else "")
            + "; the events file of rec.edf is rec_events.tsv); are the labels and the "
            "input folder of the same set?",
        )
    else:
        skipped.append(unused)
    return found


def _read_events(path: Path, rec: RecordingLabels, problems: list[str]) -> str:
    """Add the events of ``path`` to ``rec``; the subject named in the file, if any."""
    try:
        header, rows = _read_table(path, "events file")
    except LabelError as exc:
        problems.extend(exc.problems)
        return ""
    missing = [c for c in ("onset", "duration", "eventtype") if c not in header]
    if missing:
        problems.append(
            f"{path}: missing column(s) {', '.join(repr(c) for c in missing)}; an SzCORE "
            f"events file has onset, duration, eventType (and optionally subject); found: "
            f"{', '.join(header) or 'none'}"
        )
        return ""
    subjects = set()
    for number, row in rows:
        where = f"{path}, line {number}"
        if row.get("subject"):
            subjects.add(row["subject"])
        kind = row["eventtype"].lower()
        scored = "sz" if kind.startswith("sz") else EEG_TYPES.get(kind)
        if scored is None:
            if kind not in EEG_BACKGROUND:
                rec.ignored[kind] = rec.ignored.get(kind, 0) + 1
            continue
        onset = _seconds(row["onset"], where, "onset", problems)
        duration = _seconds(row["duration"], where, "duration", problems)
        if onset is None or duration is None:
            continue
        if duration <= 0:
            problems.append(f"{where}: 'duration' must be more than 0 s; got {row['duration']!r}")
            continue
        rec.events.append(LabelledEvent(onset, onset + duration, scored, where))
    if len(subjects) > 1:
        problems.append(f"{path}: 'subject' names {len(subjects)} subjects; one file, one subject")
    return subjects.pop() if len(subjects) == 1 else ""


def _participants(path: Path, problems: list[str]) -> dict[str, str]:
    """Recording name -> subject from ``participants.tsv`` with a ``file`` (or
    ``recording``) column next to ``participant_id``; empty when it has none (then the
    ``sub-`` part of the file names gives the subject)."""
    try:
        header, rows = _read_table(path, "participants file")
    except LabelError as exc:
        problems.extend(exc.problems)
        return {}
    if "participant_id" not in header:
        problems.append(
            f"{path}: missing column 'participant_id'; found: {', '.join(header) or 'none'}"
        )
        return {}
    column = next((c for c in ("file", "recording", "recordings") if c in header), None)
    out: dict[str, str] = {}
    for number, row in rows:
        if not row["participant_id"]:
            problems.append(f"{path}, line {number}: 'participant_id' is empty")
            continue
        if column:
            for name in re.split(r"[;,\s]+", row[column]):
                if name:
                    out[name] = row["participant_id"]
    return out


def _hypsarrhythmia(
    path: Path, names: _Names, problems: list[str], skipped: list[UnmatchedLabels]
) -> dict[Path, tuple[bool, str]]:
    """Each input's hypsarrhythmia label; the rows of recordings that are not inputs are
    skipped and said once, unless no row names an input."""
    try:
        header, rows = _read_table(path, "hypsarrhythmia table")
    except LabelError as exc:
        problems.extend(exc.problems)
        return {}
    column = next((c for c in ("file", "recording") if c in header), None)
    if column is None or "hypsarrhythmia" not in header:
        problems.append(
            f"{path}: the columns are file and hypsarrhythmia (yes or no); found: "
            f"{', '.join(header) or 'none'}"
        )
        return {}
    out: dict[Path, tuple[bool, str]] = {}
    unused = UnmatchedLabels(path, "rows", len(rows))
    not_inputs: list[str] = []
    for number, row in rows:
        where = f"{path}, line {number}"
        found = names.find(row[column], path.parent)
        if found is None:
            unused.names.append(f"line {number}: {row[column]!r}")
            not_inputs.append(f"{where}: '{column}' {names.missing(row[column])}")
            continue
        if isinstance(found, str):
            problems.append(f"{where}: '{column}' {found}")
            continue
        value = row["hypsarrhythmia"].lower()
        if value not in YES + NO:
            problems.append(
                f"{where}: Invalid value for 'hypsarrhythmia': allowed are yes, no; "
                f"got {row['hypsarrhythmia']!r}"
            )
            continue
        out[found] = (value in YES, where)
    if not_inputs and len(not_inputs) == len(rows):
        problems.append(
            f"{path}: none of its {len(rows)} rows names one of the {len(names.files)} "
            "input recordings; is the table of the same set?"
        )
        problems.extend(not_inputs)
    else:
        skipped.append(unused)
    return out


def read_eeg_labels(
    files: list[Path],
    root: Path | None,
    labels: Path | None = None,
    participants: Path | None = None,
    hypsarrhythmia: Path | None = None,
    unmatched: list[UnmatchedLabels] | None = None,
) -> dict[Path, RecordingLabels]:
    """The labels of every input recording.

    Parameters
    ----------
    files
        The input recordings.
    root
        The input folder, or None for a list of files.
    labels
        A folder of ``*_events.tsv`` files (searched recursively), or None for the events
        file beside each recording.
    participants
        ``participants.tsv`` (default: the one in ``labels`` or in ``root``, if any).
    hypsarrhythmia
        A table ``file, hypsarrhythmia`` (yes / no), or None.
    unmatched
        Where the events files and hypsarrhythmia rows of recordings that are not
        inputs go (one :class:`UnmatchedLabels` per folder or table); they are skipped.
        Without a list they are logged. Labels of which none names an input are refused.

    Every input recording needs an events file (one with no events: only the header).

    The subject of a recording is the ``subject`` column of its events file, else its
    ``participants.tsv`` row, else the ``sub-`` part of its name (BIDS), else the
    recording itself.
    """
    problems: list[str] = []
    skipped: list[UnmatchedLabels] = []
    if labels is not None and not labels.is_dir():
        raise LabelError(f"labels folder '{labels}' does not exist or is not a folder")
    events_files = _find_events_files(files, labels, problems, skipped)
    if participants is None:
        for folder in (labels, root):
            if folder is not None and (folder / "participants.tsv").is_file():
                participants = folder / "participants.tsv"
                break
    by_name = _participants(participants, problems) if participants is not None else {}
    names = _Names(files, root)
    hyps = _hypsarrhythmia(hypsarrhythmia, names, problems, skipped) if hypsarrhythmia else {}
    out: dict[Path, RecordingLabels] = {}
    for f in files:
        name = display_name(f, root)
        rec = RecordingLabels(f, name, name)
        subject = _read_events(events_files[f], rec, problems) if f in events_files else ""
        if not subject:
            subject = next(
                (by_name[k] for k in (name, f.name, f.stem) if k in by_name),
                "",
            )
        if not subject:
            match = _SUB.search(f.as_posix())
            subject = f"sub-{match.group(1)}" if match else name
        rec.subject = subject
        if f in hyps:
            rec.hypsarrhythmia = hyps[f][0]
        rec.events.sort(key=lambda e: (e.kind, e.start_s))
        out[f] = rec
    if problems:
        raise LabelError(problems)
    for found in skipped:
        _said_unmatched(found, unmatched)
    return out
