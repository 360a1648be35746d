"""The terminal in Spanish: the interview's questions and the answer, with the same level and
rule ids as in English (``spasmwatch triage --lang es``), and the analyses' refusals of bad
input (``eeg analyze``, ``video analyze --lang es``)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmwatch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "120", "NO_COLOR": "1"},
        timeout=120,
    )


def test_the_answer_in_spanish_means_the_same() -> None:
    case = str(ROOT / "examples" / "infantile-spasms-cluster.json")
    english = json.loads(cli("triage", case, "--json").stdout)
    spanish = json.loads(cli("triage", case, "--json", "--lang", "es").stdout)
    assert spanish["level"] == english["level"] == "same_day"
    assert [r["rule"] for r in spanish["reasons"]] == [r["rule"] for r in english["reasons"]]
    assert spanish["title"] == "Posibles espasmos infantiles: contacte hoy con un médico"
    shown = cli("triage", case, "--lang", "es")
    assert shown.returncode == 0
    assert "HOY" in shown.stdout and "Qué hacer ahora" in shown.stdout
    assert "spasm-series" in shown.stdout


def test_the_table_of_reasons_has_spanish_headings_and_levels() -> None:
    case = str(ROOT / "examples" / "infantile-spasms-cluster.json")
    shown = cli("triage", case, "--lang", "es")
    assert shown.returncode == 0, shown.stderr
    heading = next(line for line in shown.stdout.splitlines() if "Regla" in line)
    assert [word for word in heading.split() if word.isalpha()] == [
        "Regla",
        "Nivel",
        "Motivo",
        "Fuente",
    ]
    rows = [line for line in shown.stdout.splitlines() if "spasm-series" in line]
    assert rows and "Hoy" in rows[0] and "same_day" not in rows[0]
    for english in ("Rule", "Level", "Reason", "Source", "rule", "reason", "source"):
        assert english not in shown.stdout, english
    # English keeps its headings, and says the level's word as the badge does (the
    # codes stay in --json)
    english_table = cli("triage", case).stdout
    assert "Rule" in english_table and "Reason" in english_table
    rows = [line for line in english_table.splitlines() if "spasm-series" in line]
    assert rows and "Today" in rows[0] and "same_day" not in english_table


def test_the_table_of_reasons_says_the_sources_notes_in_spanish() -> None:
    """The sources' citations as written, their notes in Spanish (``--json`` keeps the
    English source, as it keeps the codes)."""
    case = str(ROOT / "examples" / "infantile-spasms-cluster.json")
    shown = cli("triage", case, "--lang", "es")
    assert shown.returncode == 0, shown.stderr
    # (single words: the table wraps its cells at the terminal's width)
    words = set(shown.stdout.split())
    assert {"epilepsydiagnosis.org", "'Epileptic", "páginas", "profesionales"} <= words
    assert "professional" not in shown.stdout
    spanish = json.loads(cli("triage", case, "--json", "--lang", "es").stdout)
    english = json.loads(cli("triage", case, "--json").stdout)
    assert [r["source"] for r in spanish["reasons"]] == [r["source"] for r in english["reasons"]]


def test_the_interview_in_spanish_stops_at_a_warning_sign() -> None:
    # The warning signs come first of all: the emergency answer without the age.
    proc = cli("triage", "--interactive", "--lang", "es", stdin="2\n")
    assert proc.returncode == 0, proc.stderr
    said = " ".join(proc.stdout.split())
    assert "estos signos de alarma" in said
    assert "Edad del bebé en meses" not in said
    assert "se puso azulado o grisáceo" in said
    assert "Llame ahora a los servicios de emergencia" in said
    assert "No se indicó la edad del bebé" in said
    # Without a warning sign, the baby's age is asked next.
    asked = cli("triage", "--interactive", "--lang", "es", stdin="\n\n6\n\n\n\nn\n")
    assert asked.returncode == 0, asked.stderr
    assert "Edad del bebé en meses" in asked.stdout


def test_an_unknown_language_is_refused() -> None:
    proc = cli("triage", str(ROOT / "examples" / "hiccups.json"), "--lang", "fr")
    assert proc.returncode == 2
    assert "Invalid value for '--lang': allowed are en, es; got 'fr'" in proc.stderr


def test_the_interview_understands_answers_given_in_spanish(tmp_path: Path) -> None:
    from spasmwatch.interview import parse_number

    assert parse_number("5 meses", "age_months") == 5.0
    assert round(parse_number("3 semanas", "age_months"), 2) == 0.69
    assert parse_number("unos ocho", "count", whole=True) == 8
    assert parse_number("2 minutos", "movement_seconds") == 120.0
    assert parse_number("38,5 grados", "fever_c") == 38.5
    # "sí" to the first question, "no sé" skips an optional one.
    answers = ["", "", "6 meses", "no sé", "", "", "sí", "1", "ahora", "", "", "", "unos 8"]
    answers += [""] * 30  # the rest skipped, no other occasion
    saved = tmp_path / "case.json"
    proc = cli(
        "triage", "--interactive", "--lang", "es", "--save", str(saved),
        stdin="\n".join(answers) + "\n",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Respuestas guardadas en" in proc.stdout
    case = json.loads(saved.read_text())
    assert case["child"]["age_months"] == 6
    assert case["episodes"][0]["count"] == 8 and len(case["episodes"]) == 1


def test_the_interview_in_spanish_says_enter_and_stopping_in_spanish() -> None:
    # What Enter answers, in words; the choices without their codes.
    shown = cli("triage", "--interactive", "--lang", "es", stdin="\n\n6\n\n\n\nn\n")
    assert shown.returncode == 0, shown.stderr
    assert "(Intro: no se sabe)" in shown.stdout and "(on_track)" not in shown.stdout
    # Answers that end early, and no age given twice: said in Spanish, nothing saved.
    ended = cli("triage", "--interactive", "--lang", "es", stdin="\n")
    assert ended.returncode == 2
    said = " ".join(ended.stderr.split())
    assert "no se guardó nada" in said and "Invalid case" not in said
    no_age = cli("triage", "--interactive", "--lang", "es", stdin="\n" * 10)
    assert no_age.returncode == 2
    said = " ".join(no_age.stderr.split())
    assert "Sin la edad del bebé" in said and "no se guardó nada" in said


def _said(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process: its exit status, standard output and error
    (the error's lines joined, as a terminal may wrap them)."""
    from spasmwatch.cli import run

    code = run(list(args))
    captured = capsys.readouterr()
    return code, captured.out, " ".join(captured.err.split())


def test_the_analyses_say_bad_input_in_the_chosen_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``eeg analyze`` and ``video analyze --lang es`` say a missing or unreadable file and
    a bad option in Spanish, with the exit status and the empty standard output (``--json``
    too) of English; a language that is not offered is refused in English."""
    from spasmwatch.testing.video.render import SceneSpec, render

    pdf = tmp_path / "report.edf"
    pdf.write_bytes(b"%PDF-1.7\n" + b"\x00" * 300)
    text = tmp_path / "notes.mp4"
    text.write_text("not a video at all\n" * 20)
    tiny = tmp_path / "tiny.mp4"
    render(SceneSpec("tiny", seed=1, duration_s=0.4, clusters=0), tiny)
    missing_eeg, missing_video = tmp_path / "missing.edf", tmp_path / "missing.mp4"
    cases = [
        (
            ("eeg", "analyze", str(missing_eeg)),
            f"Error: {missing_eeg}: el archivo no existe",
            f"Error: {missing_eeg}: no such file",
        ),
        (
            ("eeg", "analyze", str(pdf), "--json"),
            f"Error: {pdf}: no es un archivo EDF, EDF+ ni BDF (es un documento PDF; un archivo "
            "EDF empieza por «0» y uno BDF por el byte 0xFF y «BIOSEMI»)",
            f"Error: {pdf}: not an EDF, EDF+ or BDF file (it is a PDF document; an EDF file "
            "starts with '0' and a BDF file with the byte 0xFF and 'BIOSEMI')",
        ),
        (
            ("eeg", "analyze", str(pdf), "--sensitivity", "max"),
            "Error: Valor no válido en '--sensitivity': se admite low, normal, high; se "
            "recibió 'max'",
            "Error: Invalid value for '--sensitivity': allowed are low, normal, high; got 'max'",
        ),
        (
            ("eeg", "analyze", str(pdf), "--sz-detector", "svm"),
            "Error: Valor no válido en '--sz-detector': se admite cnn, logistic; se recibió 'svm'",
            "Error: Invalid value for '--sz-detector': allowed are cnn, logistic; got 'svm'",
        ),
        (
            ("video", "analyze", str(missing_video), "--json"),
            f"Error: No se puede leer el vídeo {missing_video}: el archivo no existe",
            f"Error: Cannot read video {missing_video}: no such file",
        ),
        (
            ("video", "analyze", str(text)),
            f"Error: No se puede leer el vídeo {text}: no es un archivo de vídeo o está dañado (",
            f"Error: Cannot read video {text}: not a video file or damaged (",
        ),
        (
            ("video", "analyze", str(tiny)),
            f"Error: Vídeo {tiny}: demasiado corto para analizarlo (0,",
            f"Error: Video {tiny}: too short to analyse (0.",
        ),
        (
            ("video", "analyze", str(tiny), "--detector", "best"),
            "Error: Valor no válido en '--detector': se admite learned, rules; se recibió 'best'",
            "Error: Invalid value for '--detector': allowed are learned, rules; got 'best'",
        ),
    ]
    for args, spanish, english in cases:
        code, out, said = _said(capsys, *args, "--lang", "es")
        assert (code, out) == (2, ""), (args, said)
        assert said.startswith(spanish), (args, said)
        code, out, said = _said(capsys, *args)
        assert (code, out) == (2, ""), (args, said)
        assert said.startswith(english), (args, said)
    code, out, said = _said(capsys, "eeg", "analyze", str(pdf), "--lang", "fr")
    assert (code, out) == (2, "")
    assert said == "Error: Invalid value for '--lang': allowed are en, es; got 'fr'"


def test_the_real_command_says_a_missing_file_in_spanish(tmp_path: Path) -> None:
    missing = tmp_path / "missing.edf"
    proc = cli("eeg", "analyze", str(missing), "--json", "--lang", "es")
    assert proc.returncode == 2 and proc.stdout == ""
    assert " ".join(proc.stderr.split()) == f"Error: {missing}: el archivo no existe"


def test_a_command_typed_wrongly_is_said_in_the_language_asked_for() -> None:
    """Click reads the command line before a command chooses its language: with --lang es
    its mistakes are still said in Spanish, with the command's usage and help; English
    keeps Typer's own display. The exit status is the usage error's, 2."""
    typo = cli("triage", "--lang", "es", "--jsonn", "x.json")
    assert typo.returncode == 2
    lines = typo.stderr.strip().splitlines()
    assert lines[0].startswith("Uso: spasmwatch triage")
    assert lines[1] == "Escriba «spasmwatch triage --help» para ver la ayuda."
    assert lines[2] == "Error: No existe la opción --jsonn. ¿Quería decir --json?"
    unknown = cli("video", "analyze", "--lang=es", "--ot", "x.mp4")
    assert unknown.returncode == 2
    assert "Error: No existe la opción --ot (opciones posibles: --json, --out)" in unknown.stderr
    missing = cli("video", "analyze", "--lang", "es")
    assert missing.returncode == 2 and "Error: Falta el argumento 'video'." in missing.stderr
    extra = cli("video", "analyze", "a.mp4", "b.mp4", "--lang", "es")
    assert extra.returncode == 2 and "Sobran argumentos inesperados (b.mp4)" in extra.stderr
    for said in (typo, unknown, missing, extra):
        assert "Traceback" not in said.stderr and "Usage" not in said.stderr
    english = cli("triage", "--jsonn", "x.json")
    assert english.returncode == 2
    assert (
        "No such option: --jsonn" in english.stderr and "Usage: spasmwatch triage" in english.stderr
    )
    # a language the app does not have: the command refuses it, Click's words in English
    assert "No such option" in cli("triage", "--lang", "fr", "--jsonn", "x").stderr


def test_a_pdf_given_as_a_video_is_called_a_pdf(tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n" + b"0" * 500)
    english = cli("video", "analyze", str(pdf))
    assert english.returncode == 2
    assert english.stderr == f"Error: Cannot read video {pdf}: it is a PDF document, not a video\n"
    spanish = cli("video", "analyze", str(pdf), "--lang", "es")
    assert spanish.returncode == 2
    assert spanish.stderr.strip() == (
        f"Error: No se puede leer el vídeo {pdf}: es un documento PDF, no un vídeo"
    )
