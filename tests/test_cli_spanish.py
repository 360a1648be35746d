"""The terminal in Spanish: the command line speaks the terminal's language (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``) unless ``--lang`` says otherwise, every command takes
``--lang`` when it runs as its help does, the problems of a case file and of a CSV import
say why in Spanish words (not the JSON reader's or pydantic's English), and the interview
takes times and ages as people say them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from cli_run import ROOT, cli
from spasmwatch.cli import run, setup_problem
from spasmwatch.i18n import terminal_language, translations
from spasmwatch.interview import (
    CHILD_QUESTIONS,
    DATE_AS,
    EPISODE_QUESTIONS,
    TIME_AS,
    TIME_IN_FUTURE,
    AgeInstead,
    Question,
    interview,
    parse_answer,
    spoken_time,
)
from web.webworld import add_child, new_app, sign_up

CASE = str(ROOT / "examples" / "infantile-spasms-cluster.json")
es = translations("es").gettext
#: The clock the interview's times are read against here: Sunday 10 May 2026, 09:00.
NOW = datetime(2026, 5, 10, 9, 0)
STARTED = next(q for q in EPISODE_QUESTIONS if q.field == "started_at")
BIRTH = next(q for q in CHILD_QUESTIONS if q.field == "birth_date")


def terminal(**variables: str) -> dict[str, str]:
    """A terminal's environment with the language ``variables`` and nothing else of ours."""
    return {"PATH": "/usr/bin:/bin", "COLUMNS": "120", "NO_COLOR": "1", **variables}


def said(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process: its exit status, standard output and error
    (each with its lines joined, as a terminal may wrap them)."""
    capsys.readouterr()
    code = run(list(args))
    captured = capsys.readouterr()
    return code, " ".join(captured.out.split()), " ".join(captured.err.split())


# ---------------------------------------------------------------- the terminal's language
@pytest.mark.parametrize(
    ("variables", "language"),
    [
        ({}, "en"),
        ({"LANG": "es_ES.UTF-8"}, "es"),
        ({"LANG": "es"}, "es"),
        ({"LANG": "es_AR@euro"}, "es"),
        ({"LANG": "C"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "POSIX"}, "en"),
        ({"LANG": "fr_FR.UTF-8"}, "en"),
        ({"LANG": ""}, "en"),
        # LC_MESSAGES before LANG, LC_ALL before both
        ({"LC_MESSAGES": "es_MX.utf8", "LANG": "en_US.UTF-8"}, "es"),
        ({"LC_ALL": "C", "LC_MESSAGES": "es_ES.UTF-8", "LANG": "es_ES.UTF-8"}, "en"),
        ({"LC_ALL": "es_ES.UTF-8", "LANG": "C"}, "es"),
        ({"LC_ALL": "", "LANG": "es_ES.UTF-8"}, "es"),
        # LANGUAGE first of all: the first of its languages that spasmwatch has
        ({"LANGUAGE": "es:en", "LANG": "en_US.UTF-8"}, "es"),
        ({"LANGUAGE": "en", "LC_ALL": "es_ES.UTF-8"}, "en"),
        ({"LANGUAGE": "ca:es", "LANG": "en_US.UTF-8"}, "es"),
        ({"LANGUAGE": "fr", "LANG": "es_ES.UTF-8"}, "es"),
        # but not under the C locale (or none), which asks for untranslated messages
        ({"LANGUAGE": "es", "LANG": "C"}, "en"),
        ({"LANGUAGE": "es", "LANG": "C.UTF-8"}, "en"),
        ({"LANGUAGE": "es", "LC_ALL": "POSIX", "LANG": "en_US.UTF-8"}, "en"),
        ({"LANGUAGE": "es"}, "en"),
    ],
)
def test_the_terminals_language_is_read_as_gettext_reads_it(
    variables: dict[str, str], language: str
) -> None:
    assert terminal_language(variables) == language


def test_a_spanish_terminal_gets_spanish_unless_lang_says_otherwise() -> None:
    """``LANG=es_ES.UTF-8`` (or ``LC_ALL``, ``LC_MESSAGES``, ``LANGUAGE``): the answer, its
    JSON's words and the help pages in Spanish, without ``--lang es``; ``--lang en`` still
    wins; ``LANG=C`` is English."""
    for variables in (
        {"LANG": "es_ES.UTF-8"},
        {"LC_ALL": "es_ES.UTF-8", "LANG": "C"},
        {"LC_MESSAGES": "es_ES.UTF-8"},
        {"LANGUAGE": "es", "LANG": "en_US.UTF-8"},
    ):
        shown = cli("triage", CASE, env=terminal(**variables))
        assert shown.returncode == 0, shown.stderr
        assert "HOY" in shown.stdout and "Qué hacer ahora" in shown.stdout, variables
    spanish = terminal(LANG="es_ES.UTF-8")
    answer = json.loads(cli("triage", CASE, "--json", env=spanish).stdout)
    assert answer["title"] == "Posibles espasmos infantiles: contacte hoy con un médico"
    assert answer["level"] == "same_day"
    english = cli("triage", CASE, "--lang", "en", env=spanish)
    assert "Today" in english.stdout and "HOY" not in english.stdout
    assert "HOY" not in cli("triage", CASE, env=terminal(LANG="C")).stdout
    # the help, its default language the terminal's
    page = " ".join(cli("rules", "--help", env=spanish).stdout.split())
    assert page.startswith("Uso: spasmwatch rules") and "[por defecto: es]" in page
    page = " ".join(cli("rules", "--help", env=terminal(LANG="C")).stdout.split())
    assert page.startswith("Usage: spasmwatch rules") and "[default: en]" in page
    root = " ".join(cli("--help", env=terminal(LANG="C")).stdout.split())
    assert "--lang" in root and "LANG" in root
    # a mistake typed, in Spanish too
    typed = cli("triage", "--jsonn", CASE, env=spanish)
    assert typed.returncode == 2 and typed.stderr.startswith("Uso: spasmwatch triage")


def test_every_command_takes_lang_when_it_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``import csv 3 f.csv --lang es`` runs (its help offers ``--lang``, as every command's
    does), its errors in Spanish; so does a Spanish terminal; a language spasmwatch does not
    have is refused, as a command with a ``--lang`` of its own refuses it."""
    missing = tmp_path / "f.csv"
    where = ("--data-dir", str(tmp_path))
    for args in (("import", "csv", "3", str(missing), "--lang", "es", *where),
                 ("--lang", "es", "import", "csv", "3", str(missing), *where),
                 ("import", "csv", "--lang=es", "3", str(missing), *where)):  # fmt: skip
        code, out, err = said(capsys, *args)
        assert (code, out) == (2, ""), err
        assert err.startswith(f"Error: No se puede leer {missing}: "), err
        assert "No existe la opción" not in err and "--lang" not in err
    code, out, err = said(capsys, "import", "csv", "3", str(missing), *where)
    assert err.startswith(f"Error: Cannot read {missing}: "), err
    for args in (("import", "csv", "3", str(missing)), ("rules",)):
        code, out, err = said(capsys, *args, "--lang", "fr")
        assert code == 2 and out == ""
        assert "Invalid value for '--lang': allowed are en, es; got 'fr'" in err, err
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    code, out, err = said(capsys, "import", "csv", "3", str(missing), *where)
    assert err.startswith(f"Error: No se puede leer {missing}: "), err
    code, out, err = said(capsys, "export", "fhir", "1", "--lang", "en", *where)
    assert code == 2 and err.startswith("Error: No spasmwatch data in"), err


# ---------------------------------------------------------------- problems, in words
def test_a_case_files_problems_say_why_in_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A value that is no number, a date that is no date, a JSON document with a comma
    missing: said in words of our own (the field, the line and column), in Spanish and in
    English, never in the JSON reader's or pydantic's."""
    case = json.loads(Path(CASE).read_text())
    case["child"]["age_months"] = "cinco"
    case["episodes"][0]["started_at"] = "ayer"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(case))
    comma = tmp_path / "comma.json"
    comma.write_text('{"child": {"age_months": 5} "episodes": []}')
    code, out, err = said(capsys, "triage", str(bad), str(comma), "--lang", "es")
    assert (code, out) == (2, "")
    for spanish in (
        f"el archivo de caso '{bad}': Valor no válido en 'child.age_months': no es un "
        "número; se recibió 'cinco'",
        f"el archivo de caso '{bad}': Valor no válido en 'episodes[0].started_at': no es una "
        "fecha y hora: escríbala como AAAA-MM-DDTHH:MM",
        f"el archivo de caso '{comma}' no es JSON válido en la línea 1, columna 29: ahí falta "
        "una coma (,)",
    ):
        assert spanish in err, (spanish, err)
    for english in ("Input should", "Expecting", "delimiter", "unable to parse"):
        assert english not in err, english
    code, out, err = said(capsys, "triage", str(bad), str(comma))
    assert "'child.age_months': not a number; got 'cinco'" in err
    assert "line 1, column 29: a comma (,) is missing there" in err
    assert "Input should" not in err and "Expecting" not in err


def test_an_import_says_its_problems_and_what_it_did_in_spanish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``import csv`` on a Spanish terminal: the head, where each problem is (row and
    column) and what the case format found, in Spanish; what it imported, in Spanish."""
    app = new_app(tmp_path)
    child = add_child(sign_up(app, "ana@example.org", "Ana"), "Mia")
    app.state.db.dispose()
    where = ("--data-dir", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "300")
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("movements,count,state\nhead_nod,2,awake\nwobble,2,sleeping\n")
    code, out, err = said(capsys, "import", "csv", str(child), str(bad), *where)
    assert (code, out) == (2, "")
    assert err.startswith(f"Error: {bad} tiene 2 problemas; no se importó nada. "), err
    assert "fila 3, movements: Valor no válido en 'movements[0]': se admiten head_nod" in err
    assert "fila 3, state: Valor no válido en 'state': se admiten awake" in err
    assert "row 3" not in err and "Invalid" not in err
    good = tmp_path / "good.csv"
    good.write_text("started_at,movements,count\n2026-05-09T07:30,head_nod,12\n")
    code, out, err = said(capsys, "import", "csv", str(child), str(good), "--dry-run", *where)
    assert (code, err) == (0, "") and out == "Prueba: 1 fila válida; no se importó nada."
    code, out, err = said(capsys, "import", "csv", str(child), str(good), *where)
    assert (code, out) == (0, "Se importó 1 episodio de 1 fila.")
    code, out, err = said(capsys, "import", "csv", str(child), str(good), *where)
    assert out == (
        "Se importaron 0 episodios de 1 fila. Es igual a un episodio que ya está en el diario "
        "y se omite."
    )
    code, out, err = said(capsys, "import", "csv", str(child), str(good), "--lang", "en", *where)
    assert out.startswith("Imported 0 episodes from 1 row. It equals an episode")


def test_a_setup_problem_is_said_in_the_language() -> None:
    """A file the machine does not let a command use: the system's words as they are,
    the rest (what to check) in the language."""
    denied = PermissionError(13, "Permission denied", "/srv/spasmwatch")
    assert setup_problem(denied) == "/srv/spasmwatch: Permission denied (check who may write there)"
    assert setup_problem(denied, es) == (
        "/srv/spasmwatch: Permission denied (compruebe quién puede escribir ahí)"
    )
    assert setup_problem(ValueError("a bug"), es) is None


# ---------------------------------------------------------------- the interview
@pytest.mark.parametrize(
    ("reply", "when"),
    [
        ("now", "2026-05-10 09:00"),
        ("Ahora", "2026-05-10 09:00"),
        ("ayer 7:30", "2026-05-09 07:30"),
        ("Ayer a las 7:30", "2026-05-09 07:30"),
        ("yesterday 7:30", "2026-05-09 07:30"),
        ("yesterday at 7 pm", "2026-05-09 19:00"),
        ("7:30 yesterday", "2026-05-09 07:30"),
        ("anteayer 22:00", "2026-05-08 22:00"),
        ("today 7:30", "2026-05-10 07:30"),
        ("hoy a las 8", "2026-05-10 08:00"),
        ("hoy 23:00", "2026-05-10 23:00"),  # as said: the question refuses it (future)
        # a time alone: today, or yesterday where today's is still to come
        ("7:30", "2026-05-10 07:30"),
        ("7.30", "2026-05-10 07:30"),
        ("9:05", "2026-05-10 09:05"),  # a clock a few minutes ahead is now
        ("23:15", "2026-05-09 23:15"),
        ("7 de la tarde", "2026-05-09 19:00"),
        ("a las 7", "2026-05-10 07:00"),
        # a while ago
        ("hace 2 horas", "2026-05-10 07:00"),
        ("2 hours ago", "2026-05-10 07:00"),
        ("hace 20 minutos", "2026-05-10 08:40"),
        ("20 minutes ago", "2026-05-10 08:40"),
        ("20 min ago", "2026-05-10 08:40"),
        ("an hour ago", "2026-05-10 08:00"),
        ("hace una hora", "2026-05-10 08:00"),
        ("hace media hora", "2026-05-10 08:30"),
        ("half an hour ago", "2026-05-10 08:30"),
        ("hace hora y media", "2026-05-10 07:30"),
        ("hace dos horas", "2026-05-10 07:00"),
        ("two hours ago", "2026-05-10 07:00"),
        ("hace 2 días", "2026-05-08 09:00"),
        # not a time
        ("ayer", None),
        ("mañana", None),
        ("7", None),
        ("25:00", None),
        ("13 pm", None),
        ("hace mucho", None),
    ],
)
def test_a_time_as_people_say_it(reply: str, when: str | None) -> None:
    read = spoken_time(reply, NOW)
    assert (read.strftime("%Y-%m-%d %H:%M") if read else None) == when


def test_the_time_question_takes_spoken_times_and_refuses_the_future() -> None:
    assert parse_answer(STARTED, "ayer 7:30", now=NOW) == "2026-05-09T07:30:00"
    assert parse_answer(STARTED, "hace 20 minutos", now=NOW) == "2026-05-10T08:40:00"
    assert parse_answer(STARTED, "2026-05-09 07:30", now=NOW) == "2026-05-09T07:30:00"
    with pytest.raises(ValueError, match=TIME_IN_FUTURE):
        parse_answer(STARTED, "hoy 23:00", now=NOW)
    with pytest.raises(ValueError) as refused:
        parse_answer(STARTED, "ayer", now=NOW, gettext=es)
    assert str(refused.value) == es(TIME_AS)


def _scripted(replies: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    """An ``ask`` giving each question its replies in turn (then Enter), and what it was
    told was wrong, by question."""
    errors: dict[str, list[str | None]] = {}

    def ask(question: Question, error: str | None) -> str:
        errors.setdefault(question.key, []).append(error)
        queue = replies.get(question.key, [])
        return queue.pop(0) if queue else ""

    return ask, errors


def test_a_time_refused_twice_is_told_an_example_to_copy() -> None:
    ask, errors = _scripted(
        {
            "red_flags": ["n"],
            "child.age_months": ["6"],
            "movements": ["1"],
            "started_at": ["mañana", "luego", "ayer 7:30"],
        }
    )
    answers = interview(ask, now=NOW)
    assert answers["episodes"][0]["started_at"] == "2026-05-09T07:30:00"
    first, second, third = errors["started_at"]
    assert first is None and second == TIME_AS
    assert third is not None and third.startswith(TIME_AS)
    assert "For example" in third and "'yesterday 7:30' or '2026-05-09 07:30'" in third


def test_the_date_of_birth_takes_the_age_and_says_so() -> None:
    """ "5 meses" for the date of birth is the age (not asked again), said back; a number
    alone or a word that is no age is refused; an age out of range is said as the age
    question says it."""
    told: list[str] = []
    ask, errors = _scripted({"red_flags": ["n"], "child.birth_date": ["5 meses"], "first": ["n"]})
    answers = interview(ask, gettext=es, locale="es", tell=told.append)
    assert answers == {"child": {"age_months": 5.0}, "episodes": []}
    assert "child.age_months" not in errors
    assert told == ["Se toma como la edad del bebé en meses: 5."]
    assert parse_answer(BIRTH, "3 weeks") == AgeInstead(0.69)
    assert parse_answer(BIRTH, "5 months") == AgeInstead(5.0)
    for reply in ("5", "ayer", "cinco gatos"):
        with pytest.raises(ValueError) as refused:
            parse_answer(BIRTH, reply)
        assert str(refused.value) == DATE_AS
    with pytest.raises(ValueError, match="at most 216"):
        parse_answer(BIRTH, "300 months")


def test_the_interview_on_a_spanish_terminal(tmp_path: Path) -> None:
    """``spasmwatch triage -i`` with ``LANG=es_ES.UTF-8``: the questions in Spanish, "5
    meses" taken as the age and said back, "ayer 7:30" taken as the start, read against
    ``--now``."""
    saved = tmp_path / "case.json"
    replies = ["n", "5 meses", "", "", "", "", "1", "ayer 7:30"] + [""] * 20
    proc = cli(
        "triage", "-i", "--now", "2026-05-10T09:00:00", "--save", str(saved),
        env=terminal(LANG="es_ES.UTF-8"), stdin="\n".join(replies),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    asked = " ".join(proc.stdout.split())
    assert "Se toma como la edad del bebé en meses: 5." in asked
    assert "Edad del bebé en meses (p. ej." not in asked  # not asked again
    assert "¿Cuándo empezó?" in asked and "indique" not in proc.stderr
    case = json.loads(saved.read_text())
    assert case["child"] == {"age_months": 5.0}
    assert case["episodes"][0]["started_at"] == "2026-05-09T07:30:00"
