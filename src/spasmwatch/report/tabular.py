"""CSV export and import of a child's episodes (one row per episode).

The columns are the case format's episode fields in contract order (``docs/case-format.md``),
after an ``id`` column: the diary's episode id on export, ignored on import (imported
episodes get new ids). Lists are joined with ``;``; an empty cell means "not given".

An import checks every row against the case format, together with the child (so episode
times are checked against the birth date), collects every problem with its row number and
field, and imports nothing unless every row is valid; the rows are added in one transaction.
Row numbers are those a spreadsheet shows: the header is row 1, the first episode row 2.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from spasmwatch.case import Episode, parse_case
from spasmwatch.errors import InvalidCase

__all__ = [
    "COLUMNS",
    "EPISODE_FIELDS",
    "MAX_ROWS",
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
def _decode(data: str | bytes) -> tuple[str | None, RowProblem | None]:
    if isinstance(data, bytes):
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return None, RowProblem(0, "", "the file is UTF-16 text: save it as CSV UTF-8")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, RowProblem(
                0,
                "",
                f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position "
                f"{exc.start}): save it as CSV UTF-8",
            )
    # Spreadsheets often start a UTF-8 file with a byte order mark: not part of the header.
    text = data.removeprefix("\ufeff")
    if "\x00" in text:
        return None, RowProblem(0, "", "the file is not a text file (it contains NUL bytes)")
    if not text.strip():
        return None, RowProblem(
            0, "", f"the file is empty: expected a header row with {', '.join(COLUMNS)}"
        )
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
            problems.append(RowProblem(1, "", f"column {i} has no name"))
        elif name not in COLUMNS:
            problems.append(
                RowProblem(1, name, f"Unknown column '{name}': allowed are {', '.join(COLUMNS)}")
            )
        elif name in seen:
            problems.append(RowProblem(1, name, f"Duplicate column '{name}'"))
        seen.add(name)
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            problems.append(RowProblem(1, name, f"Missing column '{name}'"))
    return problems


def _value(name: str, raw: str) -> Any:
    """A cell as the case format's value; raises ValueError with a message."""
    if name in LIST_FIELDS:
        return [w.strip().lower() for w in raw.split(";") if w.strip()]
    if name in INT_FIELDS:
        try:
            number = float(raw)
        except ValueError:
            raise ValueError(
                f"Invalid value for '{name}': expected a whole number; got {raw!r}"
            ) from None
        if not number.is_integer():
            raise ValueError(f"Invalid value for '{name}': expected a whole number; got {raw!r}")
        return int(number)
    if name in NUMBER_FIELDS:
        try:
            return float(raw)
        except ValueError:
            hint = " (use a decimal point, not a comma)" if re.fullmatch(r"\d+,\d+", raw) else ""
            raise ValueError(
                f"Invalid value for '{name}': expected a number{hint}; got {raw!r}"
            ) from None
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


def _time_problems(row: int, child: Mapping[str, Any], started_at: str) -> list[RowProblem]:
    try:
        parse_case(
            {
                "child": dict(child),
                "episodes": [{"movements": ["startle"], "started_at": started_at}],
            }
        )
    except InvalidCase as exc:
        return [p for p in _row_problems(row, exc) if p.field == "started_at"]
    return []


def parse_episodes_csv(data: str | bytes, child: Mapping[str, Any]) -> ImportResult:
    """Read and check episodes from CSV, without storing anything.

    Parameters
    ----------
    data
        The file's text, or its bytes (UTF-8, with or without a byte order mark).
    child
        The case format's ``child`` the episodes belong to (dates are checked against
        its birth date).

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
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n")[0]))
    try:
        records = list(reader)
    except csv.Error as exc:
        result.problems.append(RowProblem(reader.line_num, "", f"not valid CSV: {exc}"))
        return result
    header = [h.strip().lower() for h in records[0]]
    result.problems = _header_problems(header)
    if result.problems:
        return result
    body = records[1:]
    if len(body) > MAX_ROWS:
        result.problems.append(
            RowProblem(0, "", f"too many rows: at most {MAX_ROWS} episodes per file")
        )
        return result
    for number, cells in enumerate(body, start=2):
        if not any(c.strip() for c in cells):
            continue  # a blank line
        result.rows += 1
        if len(cells) > len(header):
            result.problems.append(
                RowProblem(
                    number,
                    "",
                    f"the row has {len(cells)} cells but the header has {len(header)} columns",
                )
            )
            continue
        episode: dict[str, Any] = {}
        bad = False
        for name, raw in zip(header, cells, strict=False):
            raw = raw.strip()
            if name == "id" or raw == "":
                continue
            try:
                episode[name] = _value(name, raw)
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
                # The check against the birth date runs only on an otherwise valid episode.
                found += _time_problems(number, child, episode["started_at"])
            known = {p.field for p in result.problems if p.row == number}
            result.problems.extend(p for p in found if p.field not in known)
            continue
        if not bad:
            result.episodes.append(case.to_json_dict()["episodes"][0])
    if result.rows == 0:
        result.problems.append(RowProblem(0, "", "the file has a header but no episode rows"))
    return result
