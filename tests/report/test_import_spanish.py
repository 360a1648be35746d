"""`spasmwatch import csv` in Spanish: the import's own problems (a day-first date, a
decimal comma, a JSON or ZIP file, an unknown column, ...) said in Spanish words with their
row, column and values as the file has them, never in English inside Spanish lines; in
English they stay word for word."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from spasmwatch.case import say_problem
from spasmwatch.cli import run
from spasmwatch.cli.import_words import said_problem
from spasmwatch.diary.episodes import START_IN_FUTURE, future_problem
from spasmwatch.i18n import english, translations
from spasmwatch.report.tabular import CELL_REASONS, IMPORT_PROBLEMS, parse_episodes_csv
from web.webworld import add_child, new_app, sign_up

es = translations("es").gettext
#: What a Spanish line never has: the English of the import's problems.
ENGLISH_WORDS = ("row ", "file,", "Invalid value", "expected", "import takes", "Unknown column")


@pytest.fixture
def diary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, tuple[str, str]]:
    """A child's diary: its id and the ``--data-dir`` option that finds it."""
    app = new_app(tmp_path)
    child = add_child(sign_up(app, "ana@example.org", "Ana"), "Mia")
    app.state.db.dispose()
    monkeypatch.setenv("COLUMNS", "400")  # one problem a line
    return str(child), ("--data-dir", str(tmp_path / "data"))


def imported(
    capsys: pytest.CaptureFixture[str], diary: tuple[str, tuple[str, str]], file: Path, *more: str
) -> list[str]:
    """``import csv`` of ``file`` that finds problems: its lines of standard error."""
    child, where = diary
    capsys.readouterr()
    code = run(["import", "csv", child, str(file), *where, *more])
    captured = capsys.readouterr()
    assert (code, captured.out) == (2, ""), captured
    return [" ".join(line.split()) for line in captured.err.splitlines() if line.strip()]


def zipped(members: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buf.getvalue()


def test_a_rows_problems_in_spanish_with_their_row_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], diary: tuple[str, tuple[str, str]]
) -> None:
    """A day-first date, a decimal comma in a ',' file, a number that is none, a time zone
    out of range: each said in Spanish, with its row and column and the cell as written."""
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "started_at,movements,movement_seconds,count,utc_offset_minutes\n"
        '06/12/2026 07:05,head_nod,"1,5",2,60\n'
        "2026-05-09T07:30,head_nod,1,dos,60\n"
        "ayer,head_nod,1,2,99999\n",
        encoding="utf-8",
    )
    lines = imported(capsys, diary, bad, "--lang", "es")
    assert lines[0] == f"Error: {bad} tiene 5 problemas; no se importó nada."
    assert lines[1:] == [
        "fila 2, started_at: Valor no válido en 'started_at': escriba la fecha y la hora como "
        "2026-12-06T07:05 o 2026-12-06 07:05 (año-mes-día); en '06/12/2026' puede ir primero "
        "el día o el mes, así que no se adivina; se recibió '06/12/2026 07:05'",
        "fila 2, movement_seconds: Valor no válido en 'movement_seconds': se esperaba un "
        "número (un archivo separado por comas lleva punto decimal, no coma; un archivo "
        "separado por ';' puede llevar coma decimal); se recibió '1,5'",
        "fila 3, count: Valor no válido en 'count': se esperaba un número entero; se recibió 'dos'",
        "fila 4, started_at: Valor no válido en 'started_at': escriba la fecha y la hora como "
        "2026-12-06T07:05 o 2026-12-06 07:05 (año-mes-día); se recibió 'ayer'",
        "fila 4, utc_offset_minutes: Fuera de rango en 'utc_offset_minutes': debe ser como "
        "máximo 840; se recibió 99.999",
    ]
    # the same file in English: the words as they always were
    lines = imported(capsys, diary, bad, "--lang", "en")
    assert lines[1] == (
        "row 2, started_at: Invalid value for 'started_at': write the date and time as "
        "2026-12-06T07:05 or 2026-12-06 07:05 (year-month-day); in '06/12/2026' the day may "
        "come first or the month, so it is not guessed; got '06/12/2026 07:05'"
    )
    assert lines[2] == (
        "row 2, movement_seconds: Invalid value for 'movement_seconds': expected a number (a "
        "comma-separated file takes a decimal point, not a comma; a file separated by ';' may "
        "use a decimal comma); got '1,5'"
    )


def test_a_semicolon_files_decimal_comma_is_read_and_its_other_cells_said_in_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], diary: tuple[str, tuple[str, str]]
) -> None:
    """In a ';' file, "1,5" is a number; a count of "2,5" is no whole number, said so."""
    semicolons = tmp_path / "semicolons.csv"
    semicolons.write_text("movements;movement_seconds;count\nhead_nod;1,5;2,5\n")
    assert imported(capsys, diary, semicolons, "--lang", "es")[1:] == [
        "fila 2, count: Valor no válido en 'count': se esperaba un número entero; se recibió '2,5'"
    ]


def test_a_tab_files_decimal_comma_is_refused_in_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], diary: tuple[str, tuple[str, str]]
) -> None:
    """A tab-separated file comes from a spreadsheet of any locale: "1,200" is not read as
    1.2, and the message names the ';' file that may have a decimal comma."""
    tabs = tmp_path / "tabs.csv"
    tabs.write_text("movements\tmovement_seconds\nhead_nod\t1,200\n")
    assert imported(capsys, diary, tabs, "--lang", "es")[1:] == [
        "fila 2, movement_seconds: Valor no válido en 'movement_seconds': se esperaba un "
        "número (un archivo separado por comas lleva punto decimal, no coma; un archivo "
        "separado por ';' puede llevar coma decimal); se recibió '1,200'"
    ]


def test_a_start_in_the_future_is_said_in_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], diary: tuple[str, tuple[str, str]]
) -> None:
    """The diary's own check of a start (not in the future) is said in Spanish with the
    time as the file has it; in English word for word as ever."""
    future = tmp_path / "future.csv"
    future.write_text("started_at,movements\n2099-01-02T07:30,head_nod\n")
    assert imported(capsys, diary, future, "--lang", "es")[1:] == [
        "fila 2, started_at: Valor no válido en 'started_at': 2099-01-02T07:30:00 está en el futuro"
    ]
    assert imported(capsys, diary, future, "--lang", "en")[1:] == [
        "row 2, started_at: Invalid value for 'started_at': 2099-01-02T07:30:00 is in the future"
    ]
    found = parse_episodes_csv(future.read_bytes(), {"birth_date": "2026-05-01"}, future_problem)
    spanish = said_problem(found.problems[0], es, "es")
    assert spanish == (
        "fila 2, started_at: Valor no válido en 'started_at': 2099-01-02T07:30:00 está en el futuro"
    )
    assert es(START_IN_FUTURE) != START_IN_FUTURE


def test_a_file_that_is_no_csv_in_spanish(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    diary: tuple[str, tuple[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A FHIR export (JSON), a ZIP without an episodes.csv, a file that is no UTF-8, an
    unknown column: said in Spanish on a Spanish terminal, as the file's or the header
    row's, naming what import takes."""
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    takes = (
        "la importación toma la tabla de episodios en CSV, tal como la escriben el enlace "
        "«episodios como hoja de cálculo (CSV)» del diario o 'spasmwatch export csv'"
    )
    bundle = tmp_path / "fhir.json"
    bundle.write_text(json.dumps({"resourceType": "Bundle", "type": "document"}))
    assert imported(capsys, diary, bundle) == [
        f"Error: {bundle} tiene 1 problema; no se importó nada.",
        f"archivo, -: parece JSON (¿una exportación FHIR?), no CSV: {takes} (su encabezado "
        "empieza por id,started_at,state,movements)",
    ]
    tables = tmp_path / "tables.zip"
    tables.write_bytes(zipped({"treatments.csv": "id\n"}))
    assert imported(capsys, diary, tables)[1:] == [
        f"archivo, -: es un archivo ZIP sin episodes.csv: {takes}; el ZIP de todas las tablas "
        "del diario lo contiene"
    ]
    latin = tmp_path / "latin.csv"
    latin.write_bytes("movements,notes\nhead_nod,José\n".encode("latin-1"))
    assert imported(capsys, diary, latin)[1:] == [
        "archivo, -: el archivo no es texto UTF-8 (byte 0xe9 en la posición 28): guárdelo "
        "como CSV UTF-8"
    ]
    colour = tmp_path / "colour.csv"
    colour.write_text("movements,colour\nhead_nod,red\n")
    lines = imported(capsys, diary, colour)
    assert lines[1].startswith(
        "fila 1, colour: Columna desconocida 'colour': se admiten id, started_at, state, "
    )
    for line in lines:
        assert not any(english in line for english in ENGLISH_WORDS), line


@pytest.mark.parametrize(
    "data",
    [
        b'[{"resourceType": "Bundle"}]',
        zipped({"other.csv": "x\n"}),
        zipped({"a/episodes.csv": "movements\n", "b/episodes.csv": "movements\n"}),
        zipped({"episodes.csv": zipped({"x": "y"})}),
        b"PK\x03\x04not a zip",
        "movements\n".encode("utf-16"),
        "movements,notes\nhead_nod,Jos\xe9\n".encode("latin-1"),
        b"movements\x00\n",
        b"  \n",
        b"movements,count\n",
        b"movements,,count,count,colour\nhead_nod,,1,2,red\n",
        b"count\n2\n",
        b"movements,count\nhead_nod,2,3,4\n",
        b'movements,notes\nhead_nod,"' + b"a" * 200_000 + b'"\n',
        b'movements,count,fever_c,utc_offset_minutes\nhead_nod,"1,5",x,9999\nhead_nod,1.5,,\n',
        b"started_at,movements\n12.06.2026 7:05,head_nod\n2026-06-31,head_nod\n",
    ],
)
def test_every_problem_of_the_import_is_said_in_spanish(data: bytes) -> None:
    """Whatever the import finds wrong with a file is said in Spanish words (the values as
    the file has them), by a template of its own or the case format's: none is left in
    English."""
    problems = parse_episodes_csv(data, {"birth_date": "2026-05-01"}).problems
    assert problems
    for problem in problems:
        assert said_problem(problem, english, "en") == str(problem)  # as it was made
        spanish = said_problem(problem, es, "es")
        assert spanish.startswith(("fila ", "archivo, ")), spanish
        message = spanish.split(": ", 1)[1]
        assert message == say_problem(problem.message, es, "es", also=IMPORT_PROBLEMS)
        assert message != problem.message, message  # not the English words kept
        assert not any(words in message for words in ENGLISH_WORDS), spanish


def test_every_template_and_reason_has_its_placeholders_in_spanish() -> None:
    """A translation that lost or renamed a placeholder would leave the problem in English."""
    for template in (*IMPORT_PROBLEMS, *CELL_REASONS):
        said = es(template)
        assert said != template, template
        names = sorted(part.split(")")[0] for part in template.split("%(")[1:])
        assert sorted(part.split(")")[0] for part in said.split("%(")[1:]) == names, template
