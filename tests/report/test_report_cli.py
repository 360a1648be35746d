"""`spasmwatch report` from the command line (in this process; one run as the real command)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from report.diary import NAME, make_child
from spasmwatch.cli import run
from spasmwatch.config import Settings
from spasmwatch.store import Database


def command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmwatch", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
    )


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line in this process: exit status, standard output and error."""
    code = run(list(args))
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, captured.out, captured.err)


def _diary(tmp_path: Path) -> tuple[int, tuple[str, str]]:
    """A data folder with one child's diary: the child's id and the CLI's --data-dir."""
    data_dir = tmp_path / "data"
    database = Database(Settings(data_dir=data_dir))
    database.migrate()
    child_id, _ = make_child(database, datetime.now().replace(microsecond=0))
    database.dispose()
    return child_id, ("--data-dir", str(data_dir))


def test_report_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # where the report goes without --out
    child_id, where = _diary(tmp_path)

    pdf = tmp_path / "out" / "report.pdf"
    pdf.parent.mkdir()
    made = command("report", str(child_id), "--out", str(pdf), "--paper", "letter", *where)
    assert made.returncode == 0, made.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    assert str(pdf) in made.stdout and NAME in made.stdout

    html = tmp_path / "report.html"
    made = cli(
        capsys,
        "report", str(child_id), "--format", "html", "--from", "2026-01-01", "--out", str(html),
        *where,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert NAME in html.read_text(encoding="utf-8") and "2026-01-01" in made.stdout

    default = cli(capsys, "report", str(child_id), "--format", "html", *where)
    assert default.returncode == 0, default.stderr
    assert (tmp_path / f"report-{child_id}-{date.today().isoformat()}.html").is_file()

    for args, message in (
        (("999",), "No child with id 999"),
        ((str(child_id), "--from", "01/11/2026"), "Invalid value for 'from'"),
        ((str(child_id), "--from", "2026-11-20", "--to", "2026-11-01"), "after"),
        ((str(child_id), "--format", "docx"), "allowed are pdf, html"),
        ((str(child_id), "--paper", "a3"), "allowed are a4, letter"),
        (
            (str(child_id), "--lang", "fr"),
            "Invalid value for '--lang': allowed are en, es; got 'fr'",
        ),
    ):
        refused = cli(capsys, "report", *args, *where)
        assert refused.returncode == 2, (args, refused.stderr)
        assert message in refused.stderr and "Traceback" not in refused.stderr


def test_report_command_in_spanish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--lang es`` writes the report in Spanish (English without it)."""
    child_id, where = _diary(tmp_path)
    spanish, english = tmp_path / "informe.html", tmp_path / "report.html"
    made = cli(
        capsys, "report", str(child_id), "--format", "html", "--lang", "es",
        "--out", str(spanish), *where,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    page = spanish.read_text(encoding="utf-8")
    assert '<html lang="es">' in page and "Resumen del periodo" in page
    assert "Summary of the period" not in page and NAME in page
    # what it printed, in the language chosen too
    said = " ".join(made.stdout.split())
    assert f"Informe de {NAME} (" in said and " episodios) escrito en " in said, said
    assert "Report of" not in said and "written to" not in said
    made = cli(capsys, "report", str(child_id), "--format", "html", "--out", str(english), *where)
    assert made.returncode == 0, made.stderr
    said = " ".join(made.stdout.split())
    assert f"Report of {NAME} (" in said and " episodes) written to " in said, said
    assert '<html lang="en">' in english.read_text(encoding="utf-8")


def test_export_package_command_in_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``export package --lang es`` writes the report inside the package in Spanish, as
    ``report --lang es`` does; a language the report cannot speak is refused by name."""
    child_id, where = _diary(tmp_path)
    target = tmp_path / "paquete.html"
    made = cli(
        capsys, "export", "package", str(child_id), "--lang", "es", "--out", str(target), *where
    )
    assert made.returncode == 0, made.stderr
    page = target.read_text(encoding="utf-8")
    assert '<html lang="es">' in page and "Resumen del periodo" in page
    assert "Summary of the period" not in page and NAME in page
    said = " ".join(made.stdout.split())
    assert f"Paquete para el médico de {NAME} (" in said and "episodios" in said, said
    assert " escrito en " in said and "Doctor package" not in said and "written" not in said
    refused = cli(capsys, "export", "package", str(child_id), "--lang", "fr", *where)
    assert refused.returncode == 2, refused.stderr
    assert "Invalid value for '--lang': allowed are en, es; got 'fr'" in " ".join(
        refused.stderr.split()
    )
    assert not list(tmp_path.glob("package-*"))


def test_report_and_package_say_bad_input_in_the_chosen_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``report --lang es`` and ``export package --lang es`` say a bad option, a bad
    period, a child that does not exist and a folder without the app's data in Spanish,
    with the exit status of English (which says them in English); nothing is written."""
    child_id, where = _diary(tmp_path)
    child = str(child_id)
    empty = ("--data-dir", str(tmp_path / "nothing"))
    cases = [
        (
            ("report", "999", *where),
            "Error: No existe ningún niño con el id 999",
            "Error: No child with id 999",
        ),
        (
            ("report", child, "--from", "01/11/2026", *where),
            "Error: Valor no válido en 'from': hace falta una fecha como AAAA-MM-DD; se "
            "recibió '01/11/2026'",
            "Error: Invalid value for 'from': a date as YYYY-MM-DD is required; got '01/11/2026'",
        ),
        (
            ("report", child, "--from", "2026-11-20", "--to", "2026-11-01", *where),
            "Error: El periodo está vacío: 'from' (2026-11-20) es posterior a 'to' (2026-11-01)",
            "Error: The period is empty: 'from' 2026-11-20 is after 'to' 2026-11-01",
        ),
        (
            ("report", child, "--format", "docx", *where),
            "Error: Valor no válido en '--format': se admiten pdf, html; se recibió 'docx'",
            "Error: Invalid value for '--format': allowed are pdf, html; got 'docx'",
        ),
        (
            ("report", child, *empty),
            f"Error: No hay datos de spasmwatch en {tmp_path / 'nothing'}: no contiene",
            f"Error: No spasmwatch data in {tmp_path / 'nothing'}: it holds no",
        ),
        (
            ("export", "package", child, "--paper", "a3", *where),
            "Error: Valor no válido en '--paper': se admiten a4, letter; se recibió 'a3'",
            "Error: Invalid value for '--paper': allowed are a4, letter; got 'a3'",
        ),
        (
            ("export", "package", "999", *where),
            "Error: No existe ningún niño con el id 999",
            "Error: No child with id 999",
        ),
    ]
    for args, spanish, english in cases:
        for lang, expected in (("es", spanish), ("en", english)):
            refused = cli(capsys, *args, "--lang", lang)
            # a bad option's value comes after the command's usage and where its help is
            error = refused.stderr[refused.stderr.find("Error:") :]
            said = " ".join(error.split())
            assert refused.returncode == 2 and refused.stdout == "", (args, said)
            assert said.startswith(expected), (args, lang, said)
    assert not list(tmp_path.glob("*.html")) and not list(tmp_path.glob("*.pdf"))
