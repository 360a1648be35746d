"""The command line's help pages and usage errors: usage lines that read cleanly, every
help text in the language asked for (``--lang es``), the same plain lines for a command
typed wrongly in English and in Spanish, and the value parser's words in the language."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from spasmwatch.cli import app, run
from spasmwatch.cli.help_page import (
    COMMANDS_METAVAR,
    OPTIONS_METAVAR,
    SHOW_HELP,
    TYPER_WORDS,
    VALUE_KINDS,
)
from spasmwatch.cli.usage import USAGE, UsageError, say_usage_error
from spasmwatch.i18n import translations

ROOT = Path(__file__).resolve().parent.parent
es = translations("es").gettext
#: Wide enough that no help text is folded over two lines of its panel.
WIDE = 400
#: Box-drawing characters: Typer's error box (and its help panels) is drawn with them.
BOX = re.compile("[\u2500-\u257f]")


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and group of the command line, with the words that name it."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))
PATHS = [path for path, _ in COMMANDS]


def _help(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = run([*args, "--help"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def _usage(page: str) -> str:
    return next(line.strip() for line in page.splitlines() if line.strip())


def _plain(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "spasmwatch")
def test_every_usage_line_reads_cleanly(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No "{video}" and no "[[CASE.json]...]...": an argument by its name in capitals
    (or its words), in brackets only when it may be left out; in English and in Spanish."""
    monkeypatch.setenv("COLUMNS", str(WIDE))
    command = dict(COMMANDS)[path]
    words = [OPTIONS_METAVAR] + ([COMMANDS_METAVAR] if hasattr(command, "commands") else [])
    for lang, said in (("en", str), ("es", es)):
        usage = _usage(_help(capsys, *path, "--lang", lang))
        assert usage.startswith(said(USAGE) % {"usage": ""}), usage
        assert "{" not in usage and "}" not in usage and "[[" not in usage, usage
        for word in words:
            assert said(word) in usage, usage
        for param in command.params:
            if param.param_type_name != "argument":
                continue
            assert param.metavar, f"{path}: {param.name} names no metavar"
            shown = said(param.metavar) if param.required else f"[{said(param.metavar)}]"
            assert re.search(rf"(?<!\S){re.escape(shown)}(\.\.\.)?(?!\S)", usage), (usage, shown)


def test_the_usage_lines_of_the_families_commands() -> None:
    """What a caregiver reads at the top of the help pages they use."""
    said = {
        ("triage",): "Usage: spasmwatch triage [OPTIONS] [CASE.json]...",
        ("video", "analyze"): "Usage: spasmwatch video analyze [OPTIONS] VIDEO",
        ("eeg", "analyze"): "Usage: spasmwatch eeg analyze [OPTIONS] FILE",
        ("report",): "Usage: spasmwatch report [OPTIONS] CHILD_ID",
        ("batch",): "Usage: spasmwatch batch [OPTIONS] video|eeg SOURCE",
        ("import", "csv"): "Usage: spasmwatch import csv [OPTIONS] CHILD_ID CSV_FILE",
    }
    for path, usage in said.items():
        proc = _cli(*path, "--help")
        assert proc.returncode == 0 and _usage(proc.stdout) == usage
    spanish = _cli("triage", "--help", "--lang", "es")
    assert _usage(spanish.stdout) == "Uso: spasmwatch triage [OPCIONES] [CASO.json]..."
    spanish = _cli("video", "analyze", "--lang=es", "--help")
    assert _usage(spanish.stdout) == "Uso: spasmwatch video analyze [OPCIONES] VÍDEO"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "spasmwatch")
def test_every_help_page_is_said_in_spanish(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--help --lang es``: the command's help, each option's and argument's help, the
    commands of a group, the kinds of value and Typer's words, in Spanish; every help text
    has its translation (none left in English); ``--lang`` is taken by a group and by a
    command without a ``--lang`` of its own too."""
    monkeypatch.setenv("COLUMNS", str(WIDE))
    command = dict(COMMANDS)[path]
    english = _plain(_help(capsys, *path))
    spanish = _plain(_help(capsys, *path, "--lang", "es"))
    texts = [command.help, *(getattr(p, "help", None) for p in command.params)]
    listed = [sub.help for sub in getattr(command, "commands", {}).values()]
    for text, whole in [(t, True) for t in texts if t] + [(t, False) for t in listed if t]:
        said = es(text)
        assert said != text, f"no Spanish for {text!r}"
        # a group lists each command by its first paragraph
        assert _plain(said if whole else said.split("\n\n")[0]) in spanish, text
        first = _plain(text.split("\n\n")[0])
        assert first in english and first not in spanish, text
    assert _plain(es(SHOW_HELP)) in spanish and SHOW_HELP not in spanish
    for word in ("Options", "Usage:", "[default:", "[required]", "<text>", "<path>", "<whole"):
        assert word not in spanish, word
    assert "Opciones" in spanish


def test_typer_words_and_kinds_of_value_have_spanish() -> None:
    for message in (
        *TYPER_WORDS.values(),
        *VALUE_KINDS.values(),
        OPTIONS_METAVAR,
        COMMANDS_METAVAR,
    ):
        assert es(message) != message, message


def test_the_families_help_in_spanish(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", str(WIDE))
    triage = _plain(_help(capsys, "triage", "--lang", "es"))
    assert "Indica con qué urgencia buscar ayuda por lo que vio, y por qué." in triage
    assert "Responde a las preguntas una a una en lugar de leer un archivo." in triage
    assert "<fecha y hora>" in triage and "[por defecto: en]" in triage
    video = _plain(_help(capsys, "video", "analyze", "--lang", "es"))
    assert "Argumentos" in video and "* VÍDEO <texto> El archivo de vídeo" in video
    assert "[obligatorio]" in video
    eeg = _plain(_help(capsys, "eeg", "analyze", "--lang", "es"))
    assert "Analiza un EEG: actividad de fondo" in eeg and "<número entero> [x>=1]" in eeg
    root = _plain(_help(capsys, "--lang", "es"))
    assert "Uso: spasmwatch [OPCIONES] ORDEN [ARGUMENTOS]..." in root
    assert "Órdenes" in root and "triage Indica con qué urgencia" in root
    # the words are put back: English help after a Spanish one is English again
    again = _plain(_help(capsys, "triage"))
    assert "Say how urgently to get help" in again and "[default: en]" in again
    assert "Options" in again and "<date and time>" in again and "Opciones" not in again
    # the kinds of value in words in English too, not Typer's <str> and <int>
    english = _plain(_help(capsys, "eeg", "analyze"))
    assert "FILE <path>" in english and "<whole number> [x>=1]" in english
    assert "--lang <text>" in english and "<str>" not in english and "<int" not in english


def test_a_group_alone_is_a_usage_error_in_the_language_asked_for() -> None:
    """``spasmwatch video --lang es``: a group without its command says its usage, where
    its help is and the commands to choose from (exit status 2, as in English);
    ``spasmwatch --lang es`` shows the help page; the language is only asked."""
    for args, group, command in ((("video", "--lang", "es"), "spasmwatch video", "analyze"),):
        proc = _cli(*args)
        lines = proc.stderr.splitlines()
        assert proc.returncode == 2 and proc.stdout == "" and len(lines) == 3, proc.stderr
        assert lines[0].startswith(f"Uso: {group} [OPCIONES] ORDEN")
        assert lines[1] == f"Escriba «{group} --help» para ver la ayuda."
        assert lines[2].startswith("Error: ") and command in lines[2]
        assert "No existe la opción" not in proc.stderr
    # ``spasmwatch`` alone shows its help page, in the language asked for
    proc = _cli("--lang=es")
    assert proc.returncode == 2 and proc.stdout.lstrip().startswith("Uso: spasmwatch")
    assert "Órdenes" in proc.stdout and "No existe la opción" not in proc.stderr
    # a command that has no --lang of its own takes the command line's when it runs
    proc = _cli("batch", "video", "x", "--out", "y", "--memory-gb", "0", "--lang", "es")
    assert proc.returncode == 2 and "No existe la opción" not in proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("Error: Valor no válido en '--memory-gb'")


def test_spasmwatch_alone_shows_its_help_page() -> None:
    proc = _cli()
    assert proc.returncode == 2 and proc.stdout.lstrip().startswith("Usage: spasmwatch")
    assert "triage" in proc.stdout and "Error" not in proc.stderr


def _cli(*args: str, columns: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmwatch", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": str(columns), "NO_COLOR": "1"},
        timeout=120,
    )


@pytest.mark.parametrize("columns", [30, 120])
def test_a_command_typed_wrongly_reads_the_same_in_english_and_spanish(columns: int) -> None:
    """Three plain lines in either language (the usage, where the help is, the mistake),
    never Typer's box, and never folded: in a narrow terminal and in a pipe each stays one
    line, whole (a path or an option name can be copied from it)."""
    for lang, usage, help_line, error in (
        (
            "en",
            "Usage: spasmwatch triage [OPTIONS] [CASE.json]...",
            "Try 'spasmwatch triage --help' for help.",
            "Error: No such option: --jsonn. Did you mean --json?",
        ),
        (
            "es",
            "Uso: spasmwatch triage [OPCIONES] [CASO.json]...",
            "Escriba «spasmwatch triage --help» para ver la ayuda.",
            "Error: No existe la opción --jsonn. ¿Quería decir --json?",
        ),
    ):
        proc = _cli("triage", "--jsonn", "x.json", "--lang", lang, columns=columns)
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr.splitlines() == [usage, help_line, error]
        assert not BOX.search(proc.stderr)


@pytest.mark.parametrize(
    ("args", "english", "spanish"),
    [
        (
            ("eeg", "analyze", "x.edf", "--epoch", "x"),
            "Error: Invalid value for '--epoch': 'x' is not a whole number",
            "Error: Valor no válido en '--epoch': 'x' no es un número entero",
        ),
        (
            ("eeg", "analyze", "x.edf", "--epoch", "0"),
            "Error: Invalid value for '--epoch': must be at least 1; got '0'",
            "Error: Valor no válido en '--epoch': debe ser al menos 1; se recibió '0'",
        ),
        (
            ("triage", "x.json", "--now", "abc"),
            "Error: Invalid value for '--now': 'abc' is not a date and time: give it as "
            "YYYY-MM-DDTHH:MM, e.g. 2026-05-01T14:30",
            "Error: Valor no válido en '--now': 'abc' no es una fecha y hora: escríbala como "
            "AAAA-MM-DDTHH:MM, p. ej., 2026-05-01T14:30",
        ),
        (
            ("report", "one"),
            "Error: Invalid value for 'CHILD_ID': 'one' is not a whole number",
            "Error: Valor no válido en 'ID_NIÑO': 'one' no es un número entero",
        ),
        (
            ("video", "analyze"),
            "Error: Missing argument 'VIDEO'.",
            "Error: Falta el argumento 'VÍDEO'.",
        ),
        (
            ("triag",),
            "Error: No such command 'triag'. Did you mean 'triage'?",
            "Error: No existe la orden 'triag'. ¿Quería decir 'triage'?",
        ),
        (
            ("triage", "--json=yes"),
            "Error: Option '--json' does not take a value.",
            "Error: La opción '--json' no admite un valor.",
        ),
    ],
)
def test_the_parsers_words_are_said_in_the_language_asked_for(
    args: tuple[str, ...], english: str, spanish: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(list(args)) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.splitlines()[-1] == english
    assert run([*args, "--lang", "es"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.splitlines()[-1] == spanish
    assert "Traceback" not in captured.err and "Input should" not in captured.err


def test_a_bound_is_said_in_the_languages_number_format() -> None:
    """A bound with decimals in the language's format ("0,5"); the value as typed."""
    with pytest.raises(UsageError) as refused:
        typer.main.get_command(app).main(
            ["batch", "video", "x", "--out", "y", "--memory-gb", "0.1"],
            "spasmwatch",
            standalone_mode=False,
        )
    said = {lang: say_usage_error(refused.value, lang).splitlines()[-1] for lang in ("en", "es")}
    assert said == {
        "en": "Error: Invalid value for '--memory-gb': must be at least 0.5; got '0.1'",
        "es": "Error: Valor no válido en '--memory-gb': debe ser al menos 0,5; se recibió '0.1'",
    }


def test_a_port_out_of_range_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Not a traceback from the socket: the port's range is the option's."""
    assert run(["serve", "--port", "70000"]) == 2
    said = capsys.readouterr().err
    assert "Error: Invalid value for '--port': must be at most 65535; got '70000'" in said
    assert "Unexpected error" not in said


def test_a_mistyped_command_after_a_top_level_lang_is_said_in_that_language() -> None:
    """``spasmwatch --lang es vidoe``: the mistake said is the command's, in Spanish, not
    the ``--lang`` the top level does not take; a ``--lang`` before a command that takes
    one is the command's."""
    for args in (("--lang", "es", "vidoe"), ("--lang=es", "vidoe"), ("vidoe", "--lang", "es")):
        proc = _cli(*args)
        assert proc.returncode == 2 and proc.stdout == ""
        assert proc.stderr.splitlines() == [
            "Uso: spasmwatch [OPCIONES] ORDEN [ARGUMENTOS]...",
            "Escriba «spasmwatch --help» para ver la ayuda.",
            "Error: No existe la orden 'vidoe'. ¿Quería decir 'video'?",
        ], args
    proc = _cli("--lang", "es", "video", "analyse", "x.mp4")
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == (
        "Error: No existe la orden 'analyse'. ¿Quería decir 'analyze'?"
    )
    case = str(ROOT / "examples" / "infantile-spasms-cluster.json")
    proc = _cli("--lang", "es", "triage", case)
    assert proc.returncode == 0, proc.stderr
    assert "HOY" in proc.stdout and "Qué hacer ahora" in proc.stdout
    # a command without a --lang of its own says its mistakes in that language too
    proc = _cli("--lang", "es", "serve", "--port", "x")
    assert proc.returncode == 2 and "No existe la opción" not in proc.stderr
    assert proc.stderr.splitlines()[-1].startswith("Error: Valor no válido en '--port'")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_options_value_refused_by_the_command_reads_as_a_mistyped_option(lang: str) -> None:
    """``--sensitivity hihg`` (refused by the command once it runs) and ``--sensitivty``
    (refused by Click): the same three plain lines, the usage, where the help is, the
    mistake."""
    bad_value = _cli("video", "analyze", "x.mp4", "--sensitivity", "hihg", "--lang", lang)
    bad_name = _cli("video", "analyze", "x.mp4", "--sensitivty", "high", "--lang", lang)
    for proc in (bad_value, bad_name):
        assert proc.returncode == 2 and proc.stdout == ""
        assert len(proc.stderr.splitlines()) == 3, proc.stderr
        assert not BOX.search(proc.stderr)
    assert bad_value.stderr.splitlines()[:2] == bad_name.stderr.splitlines()[:2]
    said = translations(lang).gettext
    assert bad_value.stderr.splitlines()[0] == said(USAGE) % {
        "usage": f"spasmwatch video analyze {said(OPTIONS_METAVAR)} {said('VIDEO')}"
    }
    assert "'--sensitivity'" in bad_value.stderr.splitlines()[2]


@pytest.mark.parametrize("columns", [60, 80, 120])
def test_an_options_help_is_never_cut(columns: int) -> None:
    """``serve --help`` in a narrow terminal: the data folder's help wraps, whole, with
    no "…" where Typer's column cut a path ("~/.local/share/spasmwatch…")."""
    proc = _cli("serve", "--help", columns=columns)
    assert proc.returncode == 0 and "…" not in proc.stdout
    rows = proc.stdout.split("--data-dir", 1)[1].split("--workers", 1)[0]
    # the help column of each line (after the widest gap), read without its spaces
    column = "".join(
        line.rstrip(" │").rsplit("  ", 1)[-1].replace(" ", "") for line in rows.splitlines()
    ).removeprefix("<path>")  # the plain layout's kind of value, on the option's line
    help_text = "Data directory (default: $SPASMWATCH_DATA_DIR, else a folder spasmwatch in "
    help_text += "$XDG_DATA_HOME or in ~/.local/share)."
    assert column == help_text.replace(" ", "")
