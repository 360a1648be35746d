"""Every command typed wrongly says which command, where its help is and what is wrong:
the usage line ("Usage: spasmwatch ..."), "Try '... --help' for help." and the error naming
the argument or option, in three plain lines on standard error, with exit status 2 and no
traceback; in English and in Spanish; for a mistake Click finds while it reads the command
line and for one the command finds itself once it runs (a value not among those allowed, a
date, options that do not go together), and for a group run without one of its commands."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from spasmwatch.cli import app, run
from spasmwatch.cli.usage import MISSING_COMMAND, TRY_HELP, USAGE
from spasmwatch.i18n import english, translations

RUNNER = CliRunner()
SAID = {"en": english, "es": translations("es").gettext}
#: The options whose values a command checks itself (words among a few, dates).
CHECKED_BY_THE_COMMAND = {
    "--lang",
    "--format",
    "--paper",
    "--sensitivity",
    "--detector",
    "--sz-detector",
    "--from",
    "--to",
}
#: A command that goes wrong here must stop at once: it is never to start its work.
STOP_WITHIN_S = 30


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


COMMANDS = dict(_commands(typer.main.get_command(app)))
GROUPS = [path for path, command in COMMANDS.items() if hasattr(command, "commands")]
LEAVES = [path for path, command in COMMANDS.items() if not hasattr(command, "commands")]


def _stopped(*_: object) -> None:
    raise TimeoutError("the command went on instead of refusing what it was given")


def _typed_wrongly(args: list[str], data_dir: Path) -> tuple[int, str, str]:
    """Exit status, standard output and standard error of the command line."""
    env = {"COLUMNS": "100", "SPASMWATCH_DATA_DIR": str(data_dir)}
    with RUNNER.isolation(env=env) as (out, err, _):
        previous = signal.signal(signal.SIGALRM, _stopped)
        signal.alarm(STOP_WITHIN_S)
        try:
            code = run(args)
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        sys.stdout.flush()
        return code, out.getvalue().decode(), err.getvalue().decode()


def _assert_said_as_a_usage_error(
    path: tuple[str, ...], args: list[str], lang: str, data_dir: Path
) -> str:
    """The three lines for a command typed wrongly; the error line."""
    said = SAID[lang]
    code, out, err = _typed_wrongly(args, data_dir)
    lines = err.splitlines()
    assert code == 2 and out == "", (args, code, out, err)
    assert "Traceback" not in err and "Unexpected error" not in err, (args, err)
    assert len(lines) == 3, (args, err)
    command_path = " ".join(["spasmwatch", *path])
    assert lines[0].startswith(said(USAGE) % {"usage": command_path + " "}), (args, lines)
    assert lines[1] == said(TRY_HELP) % {"command": command_path}, (args, lines)
    assert lines[2].startswith(f"{said('Error')}: "), (args, lines)
    return lines[2]


def _dummy(param: Any, data_dir: Path) -> list[str]:
    """A value that a required parameter accepts as typed (the command refuses something
    else before it reads it)."""
    if param.metavar and "|" in param.metavar:  # batch's video|eeg
        value = param.metavar.split("|")[0]
    elif param.type_descriptor.annotation is int:
        value = "1"
    else:
        value = str(data_dir / "missing")
    return [value] if param.param_type_name == "argument" else [param.opts[0], value]


def _required(command: Any, data_dir: Path, but: str | None = None) -> list[str]:
    args: list[str] = []
    for param in command.params:
        if param.required and param.name != but:
            args += _dummy(param, data_dir)
    if any("--data-dir" in getattr(param, "opts", ()) for param in command.params):
        args += ["--data-dir", str(data_dir)]  # never the data of whoever runs the tests
    return args


def _in(lang: str, args: list[str]) -> list[str]:
    """``args`` asking for ``lang`` (English: as given, the default)."""
    return [*args, "--lang", lang] if lang == "es" else args


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p) or "spasmwatch")
def test_an_unknown_option_names_the_command_and_its_help(
    path: tuple[str, ...], lang: str, tmp_path: Path
) -> None:
    error = _assert_said_as_a_usage_error(
        path, _in(lang, [*path, "--no-such-option"]), lang, tmp_path
    )
    assert "--no-such-option" in error


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path", [p for p in GROUPS if p], ids=" ".join)
def test_a_group_without_its_command_names_the_commands(
    path: tuple[str, ...], lang: str, tmp_path: Path
) -> None:
    """``spasmwatch video``, ``spasmwatch export``: a usage error that lists the commands
    to choose from, not a help page with an exit status of 2 (``spasmwatch`` alone, what a
    new user types first, shows its help page)."""
    group = COMMANDS[path]
    error = _assert_said_as_a_usage_error(path, _in(lang, list(path)), lang, tmp_path)
    names = ", ".join(name for name, sub in group.commands.items() if not sub.hidden)
    assert error == f"{SAID[lang]('Error')}: " + SAID[lang](MISSING_COMMAND) % {"commands": names}


def _arguments(path: tuple[str, ...]) -> list[Any]:
    return [p for p in COMMANDS[path].params if p.param_type_name == "argument"]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path", [p for p in LEAVES if _arguments(p)], ids=lambda p: " ".join(p))
def test_a_missing_argument_names_it(path: tuple[str, ...], lang: str, tmp_path: Path) -> None:
    """A command run without its arguments names the first one missing (``triage``, whose
    case files may be left out for ``--interactive``, names both ways), in Spanish too
    where the command has no ``--lang`` of its own (the command line's is taken)."""
    error = _assert_said_as_a_usage_error(path, _in(lang, list(path)), lang, tmp_path)
    if path == ("triage",):
        assert "--interactive" in error
    else:
        first = next(p for p in _arguments(path) if p.required)
        assert f"'{SAID[lang](first.metavar)}'" in error


def _bad_values() -> Iterator[tuple[tuple[str, ...], str, str]]:
    """Every option that takes a number, a date and time, or a value the command checks,
    in English and in Spanish (``--lang es``, where ``--lang`` is not the one typed
    wrongly)."""
    for path in LEAVES:
        command = COMMANDS[path]
        for param in command.params:
            if param.param_type_name != "option" or param.is_flag:
                continue
            kind = getattr(param.type_descriptor.annotation, "__name__", "")
            option = param.opts[0]
            if option in CHECKED_BY_THE_COMMAND or kind in ("int", "float", "datetime"):
                yield path, option, "en"
                if option != "--lang":
                    yield path, option, "es"


@pytest.mark.parametrize(
    ("path", "option", "lang"),
    list(_bad_values()),
    ids=lambda x: " ".join(x) if isinstance(x, tuple) else x,
)
def test_a_bad_value_names_its_option(
    path: tuple[str, ...], option: str, lang: str, tmp_path: Path
) -> None:
    """``--port zzz``, ``--sensitivity zzz``, ``--from zzz``...: refused by Click or by the
    command once it runs, each said the same way (the command's usage first)."""
    command = COMMANDS[path]
    args = _in(lang, [*path, *_required(command, tmp_path), option, "zzz"])
    error = _assert_said_as_a_usage_error(path, args, lang, tmp_path)
    assert f"'{option.lstrip('-')}'" in error or f"'{option}'" in error, error
    assert "'zzz'" in error


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["batch", "audio", "x", "--out", "y"], "'video|eeg': allowed are video, eeg"),
        (["batch", "video", "x", "--out", "y", "--sensitivity", "max"], "'--sensitivity'"),
        (["evaluate", "eeg", "x", "--out", "y", "--sensitivity", "max"], "'--sensitivity'"),
        (["export", "csv", "1", "--tables"], "'--out': --tables writes a ZIP file"),
        (["triage", "case.json", "-i"], "give one or more case files, or --interactive"),
        (["report", "1", "--from", "2026-11-20", "--to", "2026-11-01"], "The period is empty"),
    ],
)
def test_a_mistake_the_command_finds_itself_reads_as_one_click_finds(
    args: list[str], message: str, tmp_path: Path
) -> None:
    """Options that do not go together, a value among a few, found once the command runs:
    its usage and where its help is before the error, as for Click's own mistakes."""
    path = tuple(args[: 2 if args[0] in ("evaluate", "export") else 1])
    if args[0] in ("export", "report"):
        args = [*args, "--data-dir", str(tmp_path)]
    error = _assert_said_as_a_usage_error(path, args, "en", tmp_path)
    assert message in error


def test_a_group_alone_in_spanish(tmp_path: Path) -> None:
    """``spasmwatch export --lang es``: the usage, the help and the commands in Spanish."""
    es = SAID["es"]
    code, out, err = _typed_wrongly(["export", "--lang", "es"], tmp_path)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "Uso: spasmwatch export [OPCIONES] ORDEN [ARGUMENTOS]...",
        "Escriba «spasmwatch export --help» para ver la ayuda.",
        "Error: " + es(MISSING_COMMAND) % {"commands": "package, fhir, csv"},
    ]


def test_triage_without_a_case_in_spanish(tmp_path: Path) -> None:
    code, out, err = _typed_wrongly(["triage", "--lang", "es"], tmp_path)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "Uso: spasmwatch triage [OPCIONES] [CASO.json]...",
        "Escriba «spasmwatch triage --help» para ver la ayuda.",
        "Error: indique uno o más archivos de caso, o --interactive (no ambos)",
    ]
