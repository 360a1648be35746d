"""What an import of episodes as CSV says of a file or a row it cannot take
(:mod:`spasmwatch.report.tabular`), each a catalog message with ``%(name)s`` placeholders.

The import makes each problem in English from one of these; whoever says it to a person says
it in their language with the values as the file has them
(:func:`spasmwatch.case.say_problem` with ``also=IMPORT_PROBLEMS``: the command line's
``import csv``). A refused cell is said as the case format says a value it refuses
(:data:`spasmwatch.case.INVALID_VALUE`) with a reason of :data:`CELL_REASONS`; a value out of
the case format's range (a time zone's offset) in the case format's own words.

A file that is something else says what import takes instead ("import takes the episodes
table as CSV, ..."): each message whole, so that a language may put its words in its own
order.
"""

from __future__ import annotations

from spasmwatch.i18n import N_

__all__ = [
    "CELL_REASONS",
    "DATE_FORM",
    "DUPLICATE_COLUMN",
    "EMPTY_FILE",
    "EXPECTED_NUMBER",
    "EXPECTED_NUMBER_NO_COMMA",
    "EXPECTED_WHOLE_NUMBER",
    "EXPECTED_WHOLE_NUMBER_NO_COMMA",
    "IMPORT_PROBLEMS",
    "JSON_FILE",
    "LOCAL_DATE",
    "MISSING_COLUMN",
    "NOT_A_TEXT_FILE",
    "NOT_CSV",
    "NOT_UTF8_FILE",
    "NO_COLUMN_NAME",
    "NO_ROWS",
    "TOO_MANY_CELLS",
    "TOO_MANY_ROWS",
    "UNKNOWN_COLUMN",
    "UTF16_FILE",
    "ZIP_IN_ZIP",
    "ZIP_TOO_LARGE",
    "ZIP_UNREADABLE",
    "ZIP_WITHOUT_EPISODES",
    "ZIP_WITH_SEVERAL",
]

# ---------------------------------------------------------------- the file
JSON_FILE = N_(
    "this looks like JSON (a FHIR export?), not CSV: import takes the episodes table as CSV, "
    "as the diary's 'episodes as a spreadsheet (CSV)' link or 'spasmwatch export csv' "
    "writes it (its header starts with id,started_at,state,movements)"
)
ZIP_WITHOUT_EPISODES = N_(
    "this is a ZIP file without an episodes.csv: import takes the episodes table as CSV, as "
    "the diary's 'episodes as a spreadsheet (CSV)' link or 'spasmwatch export csv' writes "
    "it; the diary's ZIP of every table holds one"
)
#: ``why``: the ZIP reader's own words.
ZIP_UNREADABLE = N_(
    "this is a ZIP file that cannot be read (%(why)s): import takes the episodes table as "
    "CSV, as the diary's 'episodes as a spreadsheet (CSV)' link or 'spasmwatch export csv' "
    "writes it"
)
#: ``n`` episodes.csv files, ``where``: their paths in the ZIP (the first ten).
ZIP_WITH_SEVERAL = N_(
    "this ZIP holds %(n)s episodes.csv files (%(where)s): take the one of the diary to "
    "import out of the ZIP and import that"
)
ZIP_TOO_LARGE = N_("the ZIP's episodes.csv is larger than %(limit)s MB unpacked")
ZIP_IN_ZIP = N_(
    "the episodes.csv in this ZIP is a ZIP file itself: import takes the episodes table as "
    "CSV, as the diary's 'episodes as a spreadsheet (CSV)' link or 'spasmwatch export csv' "
    "writes it"
)
UTF16_FILE = N_("the file is UTF-16 text: save it as CSV UTF-8")
#: ``byte``: the first byte that is no UTF-8, in hexadecimal; ``position``: where it is.
NOT_UTF8_FILE = N_(
    "the file is not UTF-8 text (byte 0x%(byte)s at position %(position)s): save it as CSV UTF-8"
)
NOT_A_TEXT_FILE = N_("the file is not a text file (it contains NUL bytes)")
#: ``columns``: the columns an export has.
EMPTY_FILE = N_("the file is empty: expected a header row with %(columns)s")
#: ``why``: the CSV reader's own words.
NOT_CSV = N_("not valid CSV: %(why)s")

# ---------------------------------------------------------------- the header and the rows
NO_COLUMN_NAME = N_("column %(n)s has no name")
UNKNOWN_COLUMN = N_("Unknown column '%(name)s': allowed are %(allowed)s")
DUPLICATE_COLUMN = N_("Duplicate column '%(name)s'")
MISSING_COLUMN = N_("Missing column '%(name)s'")
TOO_MANY_ROWS = N_("too many rows: at most %(limit)s episodes per file")
TOO_MANY_CELLS = N_("the row has %(cells)s cells but the header has %(columns)s columns")
NO_ROWS = N_("the file has a header but no episode rows")
#: A start written day-first or month-first (``date``: as written, quoted; ``got``: the
#: cell); the form to use is :data:`DATE_FORM`'s.
LOCAL_DATE = N_(
    "Invalid value for '%(path)s': write the date and time as 2026-12-06T07:05 or "
    "2026-12-06 07:05 (year-month-day); in %(date)s the day may come first or the month, so "
    "it is not guessed; got %(got)s"
)

# ---------------------------------------------------------------- a refused cell's reason
#: Why a cell is refused (``why`` of :data:`spasmwatch.case.INVALID_VALUE`, which says
#: them as the case format's own reasons): the form ``started_at`` takes, said with every
#: refused start (a local date's is :data:`LOCAL_DATE`), and a number cell's.
DATE_FORM = N_("write the date and time as 2026-12-06T07:05 or 2026-12-06 07:05 (year-month-day)")
EXPECTED_NUMBER = N_("expected a number")
EXPECTED_WHOLE_NUMBER = N_("expected a whole number")
#: A number with a decimal comma in a file not separated by ';' (a comma-separated or a
#: tab-separated one).
EXPECTED_NUMBER_NO_COMMA = N_(
    "expected a number (a comma-separated file takes a decimal point, not a comma; a file "
    "separated by ';' may use a decimal comma)"
)
EXPECTED_WHOLE_NUMBER_NO_COMMA = N_(
    "expected a whole number (a comma-separated file takes a decimal point, not a comma; a "
    "file separated by ';' may use a decimal comma)"
)
CELL_REASONS: tuple[str, ...] = (
    DATE_FORM,
    EXPECTED_NUMBER,
    EXPECTED_WHOLE_NUMBER,
    EXPECTED_NUMBER_NO_COMMA,
    EXPECTED_WHOLE_NUMBER_NO_COMMA,
)
#: Every problem of a file or a row the import says, for
#: :func:`spasmwatch.case.say_problem` (``also``); the case format's own it knows.
IMPORT_PROBLEMS: tuple[str, ...] = (
    JSON_FILE,
    ZIP_WITHOUT_EPISODES,
    ZIP_UNREADABLE,
    ZIP_WITH_SEVERAL,
    ZIP_TOO_LARGE,
    ZIP_IN_ZIP,
    UTF16_FILE,
    NOT_UTF8_FILE,
    NOT_A_TEXT_FILE,
    EMPTY_FILE,
    NOT_CSV,
    NO_COLUMN_NAME,
    UNKNOWN_COLUMN,
    DUPLICATE_COLUMN,
    MISSING_COLUMN,
    TOO_MANY_ROWS,
    TOO_MANY_CELLS,
    NO_ROWS,
    LOCAL_DATE,
)
