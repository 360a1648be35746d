"""CSV export and import of a child's episodes (one row per episode).

The columns are the case format's episode fields in contract order (``docs/case-format.md``),
after an ``id`` column: the diary's episode id on export, ignored on import (imported
episodes get new ids). Lists are joined with ``;``; an empty cell means "not given".

An import checks every row against the case format, together with the child (so episode
times are checked against the birth date) and the diary's own checks (``start_check``: an
episode may not start in the future), collects every problem with its row number and field,
and imports nothing unless every row is valid; the rows are added in one transaction.
Row numbers are those a spreadsheet shows: the header is row 1, the first episode row 2.

What a spreadsheet writes is read as meant where that is certain: a ``;``-separated file's
decimal comma (``1,5``), a space between date and time, a one-digit hour. A decimal comma
in a comma- or tab-separated file is refused: a tab-separated file may come from a
spreadsheet whose locale writes a comma between thousands (``1,200``). A date it wrote
day-first or month-first (``06/12/2026``) is refused with the form to use, never guessed.
A file that is no CSV at all (the app's ZIP of every table, a FHIR export) is named for what
it is; the app's ZIP is read for the ``episodes.csv`` it holds.

Each problem is an English message made from a catalog message
(:mod:`spasmwatch.report.import_problems`: :data:`IMPORT_PROBLEMS`, ``%(name)s``
placeholders; a refused cell's as :data:`spasmwatch.case.INVALID_VALUE` with a reason of
:data:`CELL_REASONS`; a value out of the case format's range in its own words), so that
whoever says it can say it in another language with the values as the file has them
(:func:`spasmwatch.case.say_problem` with ``also=IMPORT_PROBLEMS``: the command line's
``import csv``).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from spasmwatch.case import INVALID_VALUE, Episode, parse_case
from spasmwatch.errors import InvalidCase
from spasmwatch.report.import_problems import (
    CELL_REASONS,
    DATE_FORM,
    DUPLICATE_COLUMN,
    EMPTY_FILE,
    EXPECTED_NUMBER,
    EXPECTED_NUMBER_NO_COMMA,
    EXPECTED_WHOLE_NUMBER,
    EXPECTED_WHOLE_NUMBER_NO_COMMA,
    IMPORT_PROBLEMS,
    JSON_FILE,
    LOCAL_DATE,
    MISSING_COLUMN,
    NO_COLUMN_NAME,
    NO_ROWS,
    NOT_A_TEXT_FILE,
    NOT_CSV,
    NOT_UTF8_FILE,
    TOO_MANY_CELLS,
    TOO_MANY_ROWS,
    UNKNOWN_COLUMN,
    UTF16_FILE,
    ZIP_IN_ZIP,
    ZIP_TOO_LARGE,
    ZIP_UNREADABLE,
    ZIP_WITH_SEVERAL,
    ZIP_WITHOUT_EPISODES,
)

__all__ = [
    "CELL_REASONS",
    "COLUMNS",
    "EPISODE_FIELDS",
    "IMPORT_PROBLEMS",
    "MAX_ROWS",
    "MAX_ZIP_CSV_BYTES",
    "ImportResult",
    "RowProblem",
    "episodes_csv",
    "for_spreadsheets",
    "parse_episodes_csv",
]

#: The case format's episode fields, in contract order.
EPISODE_FIELDS: tuple[str, ...] = tuple(Episode.model_fields)
#: The columns of an export.
COLUMNS: tuple[str, ...] = ("id", *EPISODE_FIELDS)
LIST_FIELDS = frozenset({"movements", "after", "triggers", "red_flags"})
INT_FIELDS = frozenset({"count", "utc_offset_minutes"})
NUMBER_FIELDS = frozenset({"movement_seconds", "interval_seconds", "episode_minutes", "fever_c"})
TEXT_FIELDS = frozenset({"started_at", "notes"})
REQUIRED_COLUMNS = ("movements",)
#: The most episode rows one import takes.
MAX_ROWS = 10_000
#: The largest ``episodes.csv`` read out of a ZIP (its unpacked size): a ZIP can unpack
#: to far more than it weighs, and the most rows an import takes fit well within this.
MAX_ZIP_CSV_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class RowProblem:
    """One problem of an imported file: its row (1 = the header; 0 = the whole file)."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        return f"{where}, {self.field or '-'}: {self.message}"


@dataclass
class ImportResult:
    """What an import did, or would do (``dry_run``)."""

    rows: int = 0
    imported: int = 0
    #: Rows equal to an episode the diary has already (a file imported again): skipped.
    already_in_diary: int = 0
    dry_run: bool = False
    problems: list[RowProblem] = field(default_factory=list)
    episodes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row is valid."""
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (the problems as ``{"row", "field", "message"}``)."""
        return {
            "rows": self.rows,
            "imported": self.imported,
            "already_in_diary": self.already_in_diary,
            "dry_run": self.dry_run,
            "problems": [
                {"row": p.row, "field": p.field, "message": p.message} for p in self.problems
            ],
        }


# ---------------------------------------------------------------- export
# A spreadsheet runs a cell starting with = + - @ (or a tab or carriage return) as a
# formula (OWASP "CSV injection"). Free text that would start so gets one leading quote,
# which spreadsheets hide and the import removes again, so that the round trip is exact.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")


def _guard(text: str) -> str:
    return "'" + text if _FORMULA.match(text) else text


def _unguard(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA.match(text) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # not in the case format; kept readable anyway
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def episodes_csv(episodes: Iterable[tuple[int | None, Mapping[str, Any]]]) -> str:
    """Episodes as CSV text: a header of :data:`COLUMNS`, then one row per episode.

    Parameters
    ----------
    episodes
        ``(id, episode)`` pairs, the episode in the case format.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for episode_id, data in episodes:
        cells = [_cell(data.get(f)) for f in EPISODE_FIELDS]
        cells[EPISODE_FIELDS.index("notes")] = _guard(cells[EPISODE_FIELDS.index("notes")])
        writer.writerow([_cell(episode_id), *cells])
    return buf.getvalue()


def for_spreadsheets(text: str) -> bytes:
    """CSV text as a file to download: UTF-8 with a byte order mark, without which Excel
    reads the file in the computer's old code page and garbles accented names ("JosÃ©").
    The import takes the mark off again."""
    return ("\ufeff" + text).encode("utf-8")


# ---------------------------------------------------------------- import
#: What reading a damaged or unusual ZIP raises: RuntimeError for an encrypted member,
#: NotImplementedError for an unknown compression, zlib.error for damaged data.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    RuntimeError,
    NotImplementedError,
    ValueError,
    OSError,
    EOFError,
    zlib.error,
)
#: How a ZIP file starts (a file with members; an empty one).
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def _from_zip(data: bytes) -> tuple[bytes | None, RowProblem | None]:
    """The ``episodes.csv`` of a ZIP as the diary's "every table" download or an account's
    export (one child's folder) holds it: the file a person who downloaded the ZIP means.
    A ZIP with several (an account with several diaries) is refused with their folders,
    as the one meant cannot be told."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            found = [
                i
                for i in archive.infolist()
                if not i.is_dir() and i.filename.rsplit("/", 1)[-1].lower() == "episodes.csv"
            ]
            if not found:
                return None, RowProblem(0, "", ZIP_WITHOUT_EPISODES)
            if len(found) > 1:
                where = ", ".join(i.filename for i in found[:10])
                several = ZIP_WITH_SEVERAL % {"n": len(found), "where": where}
                return None, RowProblem(0, "", several)
            with archive.open(found[0]) as member:
                inner = member.read(MAX_ZIP_CSV_BYTES + 1)
    except _ZIP_ERRORS as exc:
        return None, RowProblem(0, "", ZIP_UNREADABLE % {"why": exc})
    if len(inner) > MAX_ZIP_CSV_BYTES:
        limit = MAX_ZIP_CSV_BYTES // 1024 // 1024
        return None, RowProblem(0, "", ZIP_TOO_LARGE % {"limit": limit})
    if inner.startswith(_ZIP_MAGIC):  # not read further: a ZIP in a ZIP is not the app's
        return None, RowProblem(0, "", ZIP_IN_ZIP)
    return inner, None


def _decode(data: str | bytes) -> tuple[str | None, RowProblem | None]:
    if isinstance(data, bytes) and data.startswith(_ZIP_MAGIC):
        data, problem = _from_zip(data)
        if data is None:
            return None, problem
    if isinstance(data, bytes):
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return None, RowProblem(0, "", UTF16_FILE)
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            where = {"byte": f"{data[exc.start]:02x}", "position": exc.start}
            return None, RowProblem(0, "", NOT_UTF8_FILE % where)
    # Spreadsheets often start a UTF-8 file with a byte order mark: not part of the header.
    text = data.removeprefix("\ufeff")
    if "\x00" in text:
        return None, RowProblem(0, "", NOT_A_TEXT_FILE)
    if not text.strip():
        return None, RowProblem(0, "", EMPTY_FILE % {"columns": ", ".join(COLUMNS)})
    if text.lstrip()[:1] in ("{", "["):  # no column's name starts so
        return None, RowProblem(0, "", JSON_FILE)
    return text, None


def _delimiter(first_line: str) -> str:
    # Spreadsheets set to a decimal comma write ';' or tab-separated "CSV".
    if "," not in first_line:
        for candidate in ("\t", ";"):
            if candidate in first_line:
                return candidate
    return ","


def _header_problems(header: list[str]) -> list[RowProblem]:
    problems = []
    seen: set[str] = set()
    for i, name in enumerate(header, start=1):
        if not name:
            problems.append(RowProblem(1, "", NO_COLUMN_NAME % {"n": i}))
        elif name not in COLUMNS:
            unknown = UNKNOWN_COLUMN % {"name": name, "allowed": ", ".join(COLUMNS)}
            problems.append(RowProblem(1, name, unknown))
        elif name in seen:
            problems.append(RowProblem(1, name, DUPLICATE_COLUMN % {"name": name}))
        seen.add(name)
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            problems.append(RowProblem(1, name, MISSING_COLUMN % {"name": name}))
    return problems


#: A date a spreadsheet wrote in the computer's local form: day and month in either order.
_LOCAL_DATE = re.compile(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b")
#: An ISO date and time with a one-digit hour (``2026-12-06 7:05``), as spreadsheets write it.
_ONE_DIGIT_HOUR = re.compile(r"(\d{4}-\d{2}-\d{2})([ T])(\d:\d{2})")
#: A number with a decimal comma (``1,5``).
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_DATETIME = TypeAdapter(datetime)


def _refused(name: str, why: str, raw: str) -> ValueError:
    """A cell refused, with why (:data:`CELL_REASONS`), as the case format says a value
    it refuses."""
    return ValueError(INVALID_VALUE % {"path": name, "why": why, "got": repr(raw)})


def _started_at(raw: str) -> str:
    """A start time as the case format reads it, or ValueError naming the form to use. A
    local date (``06/12/2026``) is never read: it is the 6th of December in one country
    and the 12th of June in another, and a wrong guess moves an episode by months."""
    local = _LOCAL_DATE.match(raw)
    if local:
        values = {"path": "started_at", "date": repr(local.group(0)), "got": repr(raw)}
        raise ValueError(LOCAL_DATE % values)
    value = _ONE_DIGIT_HOUR.sub(r"\1\g<2>0\3", raw, count=1)
    try:
        _DATETIME.validate_python(value)
    except ValidationError:
        raise _refused("started_at", DATE_FORM, raw) from None
    return value


def _number(name: str, raw: str, delimiter: str) -> float:
    """A number cell: a decimal point, or in a ``;``-separated file (as spreadsheets set to
    a decimal comma write) a decimal comma. A comma in a comma- or tab-separated file's
    number is refused: there it may be a thousands separator (``1,500``; spreadsheets of
    every locale write tab-separated files, so the comma's meaning is not known), and a
    wrong guess would change the value a thousandfold."""
    comma = _DECIMAL_COMMA.fullmatch(raw) is not None
    if comma and delimiter == ";":
        raw = raw.replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        pass
    if name in INT_FIELDS:
        why = EXPECTED_WHOLE_NUMBER_NO_COMMA if comma else EXPECTED_WHOLE_NUMBER
    else:
        why = EXPECTED_NUMBER_NO_COMMA if comma else EXPECTED_NUMBER
    raise _refused(name, why, raw)


def _value(name: str, raw: str, delimiter: str = ",") -> Any:
    """A cell as the case format's value; raises ValueError with a message."""
    if name in LIST_FIELDS:
        return [w.strip().lower() for w in raw.split(";") if w.strip()]
    if name in INT_FIELDS:
        number = _number(name, raw, delimiter)
        if not number.is_integer():
            raise _refused(name, EXPECTED_WHOLE_NUMBER, raw)
        return int(number)  # its range is the case format's to check, in its own words
    if name in NUMBER_FIELDS:
        return _number(name, raw, delimiter)
    if name == "started_at":
        return _started_at(raw)
    if name == "notes":
        return _unguard(raw)
    if name in TEXT_FIELDS:
        return raw
    return raw.lower()


_FIELD_IN_MESSAGE = re.compile(r"episodes\[0\]\.(\w+)")


def _row_problems(row: int, exc: InvalidCase) -> list[RowProblem]:
    out = []
    for message in exc.problems:
        match = _FIELD_IN_MESSAGE.search(message)
        name = match.group(1) if match else ""
        out.append(RowProblem(row, name, message.replace("episodes[0].", "")))
    return out


def _time_problems(
    row: int,
    child: Mapping[str, Any],
    episode: Mapping[str, Any],
    start_check: Callable[[Episode], str | None] | None,
) -> list[RowProblem]:
    """The problems of a row's start on its own (before the birth date; ``start_check``),
    for a row with other problems: the case format checks the dates only of an otherwise
    valid episode, and a file should show all its problems at once."""
    alone = {"movements": ["startle"], "started_at": episode["started_at"]}
    if isinstance(episode.get("utc_offset_minutes"), int):  # the start's zone, if it is valid
        alone["utc_offset_minutes"] = episode["utc_offset_minutes"]
    try:
        case = parse_case({"child": dict(child), "episodes": [alone]})
    except InvalidCase as exc:
        found = _row_problems(row, exc)
        if "utc_offset_minutes" in alone and any(p.field == "utc_offset_minutes" for p in found):
            # an offset out of the case format's range (said with the row's other problems)
            # is no zone: the start is checked as one without
            without = {k: v for k, v in episode.items() if k != "utc_offset_minutes"}
            return _time_problems(row, child, without, start_check)
        return [p for p in found if p.field == "started_at"]
    late = start_check(case.episodes[0]) if start_check is not None else None
    return [RowProblem(row, "started_at", late)] if late else []


def parse_episodes_csv(
    data: str | bytes,
    child: Mapping[str, Any],
    start_check: Callable[[Episode], str | None] | None = None,
) -> ImportResult:
    """Read and check episodes from CSV, without storing anything.

    Parameters
    ----------
    data
        The file's text, or its bytes (UTF-8, with or without a byte order mark; or the
        diary's ZIP of every table, whose ``episodes.csv`` is read).
    child
        The case format's ``child`` the episodes belong to (dates are checked against
        its birth date).
    start_check
        The diary's check of a valid episode's start beyond the case format (that it is
        not in the future: the diary's clock is not this module's to read): its problem
        with ``started_at``, or ``None``.

    Returns
    -------
    ImportResult
        ``episodes`` holds the valid episodes (case format); ``problems`` every problem.
        Nothing should be imported unless ``problems`` is empty.
    """
    result = ImportResult(dry_run=True)
    text, problem = _decode(data)
    if text is None:
        result.problems.append(problem)  # type: ignore[arg-type]
        return result
    delimiter = _delimiter(text.split("\n")[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        records = list(reader)
    except csv.Error as exc:
        result.problems.append(RowProblem(reader.line_num, "", NOT_CSV % {"why": exc}))
        return result
    header = [h.strip().lower() for h in records[0]]
    result.problems = _header_problems(header)
    if result.problems:
        return result
    body = records[1:]
    if len(body) > MAX_ROWS:
        result.problems.append(RowProblem(0, "", TOO_MANY_ROWS % {"limit": MAX_ROWS}))
        return result
    for number, cells in enumerate(body, start=2):
        if not any(c.strip() for c in cells):
            continue  # a blank line
        result.rows += 1
        if len(cells) > len(header):
            counts = {"cells": len(cells), "columns": len(header)}
            result.problems.append(RowProblem(number, "", TOO_MANY_CELLS % counts))
            continue
        episode: dict[str, Any] = {}
        bad = False
        for name, raw in zip(header, cells, strict=False):
            raw = raw.strip()
            if name == "id" or raw == "":
                continue
            try:
                episode[name] = _value(name, raw, delimiter)
            except ValueError as exc:
                result.problems.append(RowProblem(number, name, str(exc)))
                bad = True
        # An empty movements cell: the case format's message then lists the allowed words.
        episode.setdefault("movements", [])
        try:
            case = parse_case({"child": dict(child), "episodes": [episode]})
        except InvalidCase as exc:
            found = _row_problems(number, exc)
            if "started_at" in episode and not any(p.field == "started_at" for p in found):
                found += _time_problems(number, child, episode, start_check)
            known = {p.field for p in result.problems if p.row == number}
            result.problems.extend(p for p in found if p.field not in known)
            continue
        late = start_check(case.episodes[0]) if start_check is not None else None
        if late:
            result.problems.append(RowProblem(number, "started_at", late))
            continue
        if not bad:
            result.episodes.append(case.to_json_dict()["episodes"][0])
    if result.rows == 0:
        result.problems.append(RowProblem(0, "", NO_ROWS))
    return result
