"""The terminal in Spanish: the interview's questions and the answer, with the same level and
rule ids as in English (``spasmwatch triage --lang es``), and the analyses' refusals of bad
input (``eeg analyze``, ``video analyze --lang es``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_run import ROOT, cli
from spasmwatch.cli.common import INVALID_OPTION
from spasmwatch.i18n import translations

es = translations("es").gettext


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
    assert {"epilepsydiagnosis.org", "'Epileptic", "espasmos", "despertar)"} <= words
    assert "shortly" not in shown.stdout and "waking)" not in shown.stdout
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
    ]
    for args, spanish, english in cases:
        code, out, said = _said(capsys, *args, "--lang", "es")
        assert (code, out) == (2, ""), (args, said)
        assert said.startswith(spanish), (args, said)
        code, out, said = _said(capsys, *args)
        assert (code, out) == (2, ""), (args, said)
        assert said.startswith(english), (args, said)
    # An option's value the command refuses is said as Click's own usage errors are: the
    # command's usage, where its help is, the mistake (in its language).
    eeg, video = ("eeg", "analyze", str(pdf)), ("video", "analyze", str(tiny))
    refused = [
        (eeg, "FILE", "ARCHIVO", "--sensitivity", "max", "low, normal, high"),
        (eeg, "FILE", "ARCHIVO", "--sz-detector", "svm", "cnn, logistic"),
        (video, "VIDEO", "VÍDEO", "--detector", "best", "learned, rules"),
    ]
    for args, metavar, metavar_es, option, value, allowed in refused:
        command = " ".join(("spasmwatch", *args[:2]))
        values = {"option": option, "allowed": allowed, "got": repr(value)}
        code, out, said = _said(capsys, *args, option, value, "--lang", "es")
        assert (code, out) == (2, ""), (args, said)
        assert said == (
            f"Uso: {command} [OPCIONES] {metavar_es} Escriba «{command} --help» para ver la "
            f"ayuda. Error: {es(INVALID_OPTION) % values}"
        )
        assert f"Error: Valor no válido en '{option}': se admiten {allowed};" in said
        code, out, said = _said(capsys, *args, option, value)
        assert (code, out) == (2, ""), (args, said)
        assert said == (
            f"Usage: {command} [OPTIONS] {metavar} Try '{command} --help' for help. "
            f"Error: Invalid value for '{option}': allowed are {allowed}; got '{value}'"
        )
    code, out, said = _said(capsys, "eeg", "analyze", str(pdf), "--lang", "fr")
    assert (code, out) == (2, "")
    assert said == (
        "Usage: spasmwatch eeg analyze [OPTIONS] FILE Try 'spasmwatch eeg analyze --help' "
        "for help. Error: Invalid value for '--lang': allowed are en, es; got 'fr'"
    )


def test_the_real_command_says_a_missing_file_in_spanish(tmp_path: Path) -> None:
    missing = tmp_path / "missing.edf"
    proc = cli("eeg", "analyze", str(missing), "--json", "--lang", "es")
    assert proc.returncode == 2 and proc.stdout == ""
    assert " ".join(proc.stderr.split()) == f"Error: {missing}: el archivo no existe"


def test_a_command_typed_wrongly_is_said_in_the_language_asked_for() -> None:
    """Click reads the command line before a command chooses its language: with --lang es
    its mistakes are still said in Spanish, with the command's usage and help; English
    says them in the same three plain lines. The exit status is the usage error's, 2."""
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
    assert missing.returncode == 2 and "Error: Falta el argumento 'VÍDEO'." in missing.stderr
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


#: Wrong replies, then right ones, up to the end of the interview: no warning sign ("n"),
#: a birth date and an age it cannot read, no known condition, a yes it cannot read, a
#: movement that is no number, a time it cannot read; the rest skipped.
WRONG_THEN_RIGHT = ["n", "ayer", "", "muchos", "6", "", "ninguna", "", "quizá", "s", "n", "1"]
WRONG_THEN_RIGHT += ["mañana", "ahora"] + [""] * 20


def test_the_interview_in_spanish_says_what_is_wrong_with_a_reply_in_spanish() -> None:
    """What the interview says about a reply it cannot read, and the keys of its answers
    ("s = sí", "«ahora»"), in Spanish; "n" to the warning signs is none of them."""
    proc = cli("triage", "--interactive", "--lang", "es", stdin="\n".join(WRONG_THEN_RIGHT))
    assert proc.returncode == 0, proc.stderr
    said = " ".join(proc.stderr.split())
    for spanish in (
        "indique una fecha como AAAA-MM-DD",
        "indique un número, como 6 o «unos 6»; ha escrito 'muchos'",
        "responda s (sí) o n (no)",
        "'n' no es una de las opciones: indique sus números, del 1 al 18",
        "indique la hora como «ahora», «hoy 7:30», «ayer 7:30», «hace 2 horas» o AAAA-MM-DD HH:MM",
    ):
        assert spanish in said, spanish
    for english in ("please", "is not one of the choices", "YYYY"):
        assert english not in said, english
    asked = " ".join(proc.stdout.split())
    assert "(Intro o s = sí; n si no hay nada que describir)" in asked
    assert (
        "¿Cuándo empezó? («ahora», «ayer 7:30», «hace 2 horas», AAAA-MM-DD HH:MM, o Intro)" in asked
    )
    assert "¿Temperatura en °C en ese momento?" in asked
    assert "¿Vio los movimientos también en otra ocasión? (s = sí, n = no)" in asked
    for english in ("y = sí", "'now'", "Enter", "en C "):
        assert english not in asked, english
    # the answer: "n" was no warning sign, the movement and the age were read
    assert "Edad del bebé en meses" in asked and "EMERGENCIA" not in asked
    # English keeps its words and keys
    english = cli("triage", "--interactive", stdin="\n".join(WRONG_THEN_RIGHT))
    assert english.returncode == 0, english.stderr
    said = " ".join(english.stderr.split())
    assert "please give a date as YYYY-MM-DD" in said and "please answer y or n" in said
    assert "'n' is not one of the choices: give their numbers, 1 to 18" in said
    asked = " ".join(english.stdout.split())
    assert "Describe what you saw? (Enter or y for yes; n if there is nothing to describe)" in asked
    assert (
        "When did it start? ('now', 'yesterday 7:30', '2 hours ago', YYYY-MM-DD HH:MM, or Enter)"
        in asked
    )
    assert "Temperature in °C at the time?" in asked


def test_the_interview_in_spanish_still_stops_at_a_warning_sign_after_a_no() -> None:
    # "no" alongside a sign is asked again, never read as none; the sign stops it.
    proc = cli("triage", "--interactive", "--lang", "es", stdin="no 2\n2\n")
    assert proc.returncode == 0, proc.stderr
    assert "'no' no es una de las opciones" in " ".join(proc.stderr.split())
    assert "EMERGENCIA" in proc.stdout and "red-flag-blue-or-grey" in proc.stdout


def test_a_bad_case_file_is_said_in_the_language_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``triage --lang es`` says a case file's problems in Spanish, as ``video analyze``
    says its files': the field paths, codes and values as written, a number in Spanish
    format, why a value or the JSON is refused in words of our own (not the parser's
    English). English keeps every message as it was, with those words."""
    import io

    missing = tmp_path / "nope.json"
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"child": {"age_months": 600},\n "episodes": [{"movements": ["wobble"], '
        '"fever_c": 50.5, "count": "x", "colour": 1}]}'
    )
    code, out, said = _said(capsys, "triage", str(missing), "--lang", "es")
    assert (code, out) == (2, "")
    assert (
        said
        == f"Error: Caso no válido: el archivo de caso '{missing}' no existe o no es un archivo"
    )
    code, out, said = _said(capsys, "triage", str(bad), "--lang", "es")
    assert (code, out) == (2, "")
    file = f"el archivo de caso '{bad}'"
    for spanish in (
        "Error: Caso no válido (5 problemas): - ",
        f"{file}: Fuera de rango en 'child.age_months': debe ser al menos 0 y como máximo 216; "
        "se recibió 600",
        f"{file}: Valor no válido en 'episodes[0].movements[0]': se admiten head_nod, ",
        "se recibió 'wobble'",
        f"{file}: Fuera de rango en 'episodes[0].fever_c': debe ser al menos 30 y como máximo "
        "44; se recibió 50,5",
        f"{file}: Valor no válido en 'episodes[0].count': no es un número entero; se recibió 'x'",
        f"{file}: Campo desconocido 'episodes[0].colour': los campos permitidos son started_at, ",
    ):
        assert spanish in said, (spanish, said)
    assert "Invalid" not in said and "case file" not in said
    monkeypatch.setattr("sys.stdin", io.StringIO('{"child":\n'))
    code, out, said = _said(capsys, "triage", "-", "--json", "--lang", "es")
    assert (code, out) == (2, "")
    assert said == (
        "Error: Caso no válido: la entrada estándar no es JSON válido en la línea 2, columna 1: "
        "el documento termina antes de tiempo: falta su final"
    )
    monkeypatch.setattr("sys.stdin", io.StringIO('{"child": {}, "episodes": [{"movements": []}]}'))
    code, out, said = _said(capsys, "triage", "-", "--lang", "es")
    assert said.startswith("Error: Caso no válido (2 problemas): - la entrada estándar: hace falta")
    assert "- la entrada estándar: Falta un valor en 'episodes[0].movements': indique" in said
    # English as before
    code, out, said = _said(capsys, "triage", str(missing))
    assert said == f"Error: Invalid case: case file '{missing}' does not exist or is not a file"
    code, out, said = _said(capsys, "triage", str(bad))
    assert said.startswith(
        f"Error: Invalid case (5 problems): - case file '{bad}': Out of range for "
        "'child.age_months': must be at least 0 and at most 216; got 600"
    )
    assert "got 50.5" in said
    assert "'episodes[0].count': not a whole number; got 'x'" in said


def test_every_problem_of_a_case_is_said_from_a_catalog_message() -> None:
    """Each problem the case loader makes is one of its catalog messages (so that it can
    be said in another language); a problem of no known kind is said as written."""
    from spasmwatch.case import PROBLEMS, load_case, say_problem
    from spasmwatch.errors import InvalidCase
    from spasmwatch.i18n import match_message

    documents = [
        "{",
        "[]",
        '{"child": {"age_months": 6}, "episodes": {}}',
        "[" * 40 + "]" * 40,
        '{"child": {"age_months": NaN}}',
        '{"child": {"age_months": 300, "born_weeks": 50, "development": "x", "eyes": 1}, '
        '"episodes": [{"movement_seconds": 0, "state": "x", "notes": "' + "a" * 5001 + '", '
        '"count": "many", "after": ["x"]}, {}]}',
        '{"child": {}, "episodes": [{"movements": ["startle"]}]}',
        '{"child": {"birth_date": "2999-01-01"}}',
        '{"child": {"birth_date": "2026-01-01"}, "episodes": [{"movements": ["startle"], '
        '"started_at": "2025-01-01T10:00:00"}]}',
        '{"episodes": []}',
    ]
    for text in documents:
        with pytest.raises(InvalidCase) as refused:
            load_case(text, source="case file 'a.json'")
        for problem in refused.value.problems:
            assert match_message(problem, PROBLEMS) is not None, problem

    def spanish(message: str) -> str:
        return {
            "case file '%(path)s'": "el archivo de caso '%(path)s'",
            "Missing field '%(path)s'": "Falta el campo '%(path)s'",
        }.get(message, message)

    sources = ("case file '%(path)s'",)
    assert (
        say_problem("case file 'a: b.json': Missing field 'child'", spanish, "es", sources)
        == "el archivo de caso 'a: b.json': Falta el campo 'child'"
    )
    assert say_problem("something new", spanish, "es", sources) == "something new"


@pytest.mark.parametrize("columns", [80, 120])
def test_the_rules_keep_their_ids_whole(columns: int) -> None:
    """``spasmwatch rules`` never cuts a rule's id, nor any word, at 80 or 120 columns;
    the readable answer of ``triage`` keeps its ids whole too, and gives the reason more
    room than the source."""
    from spasmwatch.triage import RULES

    shown = cli("rules", columns=columns)
    assert shown.returncode == 0, shown.stderr
    words = set(shown.stdout.split())
    assert {r.id for r in RULES} <= words
    assert "…" not in shown.stdout
    assert max(len(line) for line in shown.stdout.splitlines()) <= columns
    case = str(ROOT / "examples" / "infantile-spasms-cluster.json")
    answer = cli("triage", case, columns=columns)
    assert answer.returncode == 0, answer.stderr
    assert "spasm-clusters-several-days" in answer.stdout.split() and "…" not in answer.stdout
    heading = next(line for line in answer.stdout.splitlines() if "Reason" in line)
    cells = {cell.strip(): len(cell) for cell in heading.strip("┃").split("┃")}
    assert cells["Reason"] > cells["Source"] and cells["Reason"] >= 24


def test_the_rules_in_spanish() -> None:
    """``rules --lang es``: the reasons and the level words in Spanish, the ids, groups
    and sources' citations as written; ``--json`` keeps the codes and the sources."""
    from spasmwatch.i18n import translations
    from spasmwatch.triage import RULES

    gettext = translations("es").gettext
    shown = cli("rules", "--lang", "es", columns=120)
    assert shown.returncode == 0, shown.stderr
    said = " ".join(shown.stdout.split())
    assert "Reglas de triaje (versión" in said
    heading = next(line for line in shown.stdout.splitlines() if "┃ Regla" in line)
    assert [w for w in heading.split() if w.isalpha()] == ["Regla", "Motivo", "Fuente"]
    words = set(shown.stdout.split())
    assert {r.id for r in RULES} <= words
    assert {"Emergencia", "Hoy", "grupo:", "spasm", "NG143,"} <= words
    assert "Emergency" not in words and "group:" not in words
    first = gettext(RULES[0].reason)
    assert first != RULES[0].reason and first.split()[0] in words
    spanish = json.loads(cli("rules", "--json", "--lang", "es").stdout)
    english = json.loads(cli("rules", "--json").stdout)
    assert spanish["rules_version"] == english["rules_version"]
    for es, en, rule in zip(spanish["rules"], english["rules"], RULES, strict=True):
        assert {k: es[k] for k in ("id", "level", "group", "source")} == {
            k: en[k] for k in ("id", "level", "group", "source")
        }
        assert en["reason"] == rule.reason and es["reason"] == gettext(rule.reason)
    refused = cli("rules", "--lang", "fr")
    assert refused.returncode == 2
    assert "Invalid value for '--lang': allowed are en, es; got 'fr'" in refused.stderr


def test_the_language_asked_for_and_the_rest_of_the_command_line() -> None:
    """One reading of ``--lang`` for the usage errors and the help pages: the last one
    given counts, a language the app does not have (or none) counts as English, and the
    rest of the command line is kept in order."""
    from spasmwatch.cli.usage import asked_language, split_lang_options

    line = ["video", "--lang", "es", "analyze", "--lang=en", "x.mp4", "--lang", "es"]
    assert asked_language(line) == "es"
    assert split_lang_options(line) == (
        ["video", "analyze", "x.mp4"],
        ["--lang", "es", "--lang=en", "--lang", "es"],
    )
    assert asked_language(["triage", "--lang=es"]) == "es"
    assert asked_language(["triage", "--lang=es", "--lang", "fr"]) == "en"
    assert asked_language(["triage", "--lang"]) == "en"
    assert split_lang_options(["triage", "--lang"]) == (["triage"], ["--lang"])
    assert asked_language(["triage", "case.json"]) == "en"
