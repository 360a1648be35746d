"""Every help page reads whole in the width it has: in a phone-sized terminal (40 and 50
columns) and in a wide one (100), in English and in Spanish, no line is wider than the
terminal, no option's name, kind of value, range or default is cut or split, and no word of
a help text is broken over two lines; where the boxes fit they are kept."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import typer.main
from rich.console import Console
from typer.testing import CliRunner

from spasmwatch.cli import app, run
from spasmwatch.cli.help_layout import HELP_INDENT, MIN_HELP_COLUMN, NAME_INDENT
from spasmwatch.cli.help_page import TYPER_WORDS
from spasmwatch.i18n import english, translations

RUNNER = CliRunner()
#: The widths asked for: a phone held upright (40), a small terminal (50), a wide one.
WIDTHS = (40, 50, 100)
#: Where every page has room for its boxes.
WIDE = 100
#: So wide that nothing on a page is wrapped: the words as they are to be read.
REFERENCE = 400
#: A kind of value on a help page ("<whole number>", "<fecha y hora>").
KIND = re.compile(r"<[^<>=\[\]]+>")
#: What the boxes are drawn with (Typer's panels).
BOX = re.compile("[\u2500-\u257f]")
SAID = {"en": english, "es": translations("es").gettext}


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and group of the command line, with the words that name it."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


COMMANDS = dict(_commands(typer.main.get_command(app)))


def _help(path: tuple[str, ...], lang: str, columns: int) -> str:
    """The help page of ``path`` as the command line prints it in a terminal ``columns``
    wide (the console reads its width from ``COLUMNS``)."""
    args = [*path, "--help", "--lang", lang]
    with RUNNER.isolation(env={"COLUMNS": str(columns)}) as (out, err, _):
        code = run(args)
        sys.stdout.flush()
        page, said = out.getvalue().decode(), err.getvalue().decode()
    assert code == 0 and said == "", (args, said)
    return page


def _tokens(page: str) -> set[str]:
    """The words of a page as a reader sees them: split at spaces, box lines and commas."""
    return set(re.split(r"[\s,]+", BOX.sub(" ", page))) - {""}


def _flat(page: str) -> str:
    """A page without its boxes, its whitespace made single spaces."""
    return " ".join(BOX.sub(" ", page).split())


def _default(param: Any, gettext: Any) -> str | None:
    """An option's "[default: ...]" as its help says it, or None for one without."""
    if param.param_type_name != "option" or getattr(param, "is_flag", False):
        return None
    if param.default is None or not param.show_default:
        return None
    return gettext(TYPER_WORDS["DEFAULT_STRING"]) % {"value": param.default}


def _words(text: str | None, gettext: Any, *, first: bool = False) -> list[str]:
    """The words of a help text as the page says it (its first paragraph: a group lists
    each command so)."""
    if not text:
        return []
    said = gettext(text)
    return re.split(r"[\s,]+", said.split("\n\n")[0] if first else said)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p) or "spasmwatch")
def test_every_help_page_reads_whole_at_every_width(
    path: tuple[str, ...], columns: int, lang: str
) -> None:
    """No line past the edge, nothing cut with "…"; every option's name, kind of value,
    range and default whole; every word of the command's help, of each parameter's help
    and of each listed command's help unbroken."""
    gettext = SAID[lang]
    command = COMMANDS[path]
    page = _help(path, lang, columns)
    assert all(len(line) <= columns for line in page.splitlines()), page
    assert "…" not in page, page
    tokens, flat = _tokens(page), _flat(page)
    words = _words(command.help, gettext)
    for sub in getattr(command, "commands", {}).values():
        words += _words(sub.help, gettext, first=True)
    for param in command.params:
        names = [*getattr(param, "opts", ()), *getattr(param, "secondary_opts", ())]
        if param.param_type_name == "argument":
            names = [gettext(param.metavar)]
        for name in names:
            assert name in tokens, (name, page)
        bounds = param._get_number_range_help_str()
        if bounds:
            assert f"[{bounds}]" in tokens, (bounds, page)
        default = _default(param, gettext)
        if default is not None:
            assert default in flat, (default, page)
        words += _words(getattr(param, "help", None), gettext)
    broken = [word for word in words if word and word not in tokens]
    assert not broken, (broken, page)
    # each kind of value ("<whole number>") whole on its line, as on a page wide enough
    for kind in KIND.findall(_help(path, lang, REFERENCE)):
        assert kind in flat, (kind, page)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path", list(COMMANDS), ids=lambda p: " ".join(p) or "spasmwatch")
def test_the_boxes_are_kept_where_there_is_room(path: tuple[str, ...], lang: str) -> None:
    """At 100 columns every page keeps Typer's boxes, and its help column is wide enough
    to read (none of the one-word lines of a squeezed column)."""
    page = _help(path, lang, WIDE)
    assert "╭─" in page and "╰─" in page, page


def test_a_narrow_terminal_gets_one_option_a_line_with_its_help_under_it() -> None:
    """``serve --help`` at 50 columns (the page that was cut): the plain layout, each
    option on its line with its kind of value and range, its help indented under it,
    wrapped at the words; at 100 columns, the boxes."""
    page = _help(("serve",), "en", 50)
    lines = page.splitlines()
    assert not BOX.search(page)
    assert lines[0] == "Usage: spasmwatch serve [OPTIONS]"
    name, indent = " " * NAME_INDENT, " " * HELP_INDENT
    assert f"{name}--port <whole number> [1<=x<=65535]" in lines
    assert f"{name}--database-url <text>" in lines
    port = lines.index(f"{name}--port <whole number> [1<=x<=65535]")
    assert lines[port + 1] == f"{indent}Port to listen on. [default: 8000]"
    data_dir = lines.index(f"{name}--data-dir <path>")
    said = []
    for line in lines[data_dir + 1 :]:
        if not line.startswith(indent):
            break
        said.append(line.strip())
    assert " ".join(said) == (
        "Data directory (default: $SPASMWATCH_DATA_DIR, else a folder spasmwatch in "
        "$XDG_DATA_HOME or in ~/.local/share)."
    )
    assert "$SPASMWATCH_DATA_DIR" in _tokens(page)  # one word, on one line
    assert "╭─ Options" in _help(("serve",), "en", WIDE)


def test_a_narrow_terminal_in_spanish() -> None:
    """The plain layout in Spanish: the panels' titles, the kinds of value and the
    defaults in Spanish, a usage line that goes on under its first word."""
    page = _help(("batch",), "es", 40)
    lines = page.splitlines()
    assert lines[0] == "Uso: spasmwatch batch [OPCIONES]"
    assert lines[1] == "     video|eeg ORIGEN"
    assert "Argumentos:" in lines and "Opciones:" in lines
    assert "  --workers <número entero> [x>=1]" in lines
    assert "[por defecto: 1800.0]" in _flat(page)


def test_a_group_in_a_narrow_terminal_lists_its_commands_one_a_line() -> None:
    page = _help((), "en", 40)
    lines = page.splitlines()
    assert "Commands:" in lines
    for name in ("triage", "reset-password", "evaluate"):
        assert f"  {name}" in lines
    triage = lines.index("  triage")
    assert lines[triage + 1].startswith("      Say how urgently")


def test_a_pipe_without_a_width_gets_a_page_cut_nowhere() -> None:
    """Output to a pipe (no ``COLUMNS``): the width Rich finds (80 columns where no
    terminal is attached), every page read whole there too."""
    for path in COMMANDS:
        with RUNNER.isolation(env={"COLUMNS": None}) as (out, _err, _):
            width = Console().width
            assert run([*path, "--help"]) == 0
            page = out.getvalue().decode()
        assert all(len(line) <= width for line in page.splitlines()), page
        assert "…" not in page
        for param in COMMANDS[path].params:
            for name in getattr(param, "opts", ()):
                if param.param_type_name == "option":
                    assert name in _tokens(page), (path, name)


def test_the_narrowest_help_column_reads_as_text() -> None:
    """The boxes give way before their help column holds a few words a line."""
    assert MIN_HELP_COLUMN >= 20
    page = _help(("eeg", "analyze"), "en", 60)
    assert not BOX.search(page)  # at 60 columns its help column would hold 17 characters
