"""How a help page is laid out in the width it has (a phone-sized terminal, a pipe, a wide
screen).

Typer draws a help page as boxed tables: a column of option names, one of kinds of value,
one of help. In a narrow terminal Rich's tables shrink every column to make them fit: an
option's name is cut ("--database-…"), a range or a default is split mid-word
("[1<=x<=6553 5]", "$SPASMWATCH_D ATA_DIR") and the help column holds a word a line.
:func:`format_help` draws Typer's page where its boxes keep every option's name, kind of
value and default whole beside a help column wide enough to read (:data:`MIN_HELP_COLUMN`),
and otherwise the same page in a plain layout: the usage line, the command's help, then
each option on its own line with its help indented under it, every line wrapped at word
boundaries, never inside an option's name, a kind of value (``<whole number>``) or a
bracketed note (``[default: 127.0.0.1]``, ``[x>=0]``) that fits on a line.
"""

from __future__ import annotations

import inspect
import io
import re
import textwrap
from collections.abc import Iterable
from typing import Any

from rich.columns import Columns
from rich.console import Console
from rich.measure import Measurement
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from typer import core as typer_core
from typer import rich_utils
from typer._click import core as click_core

__all__ = ["HELP_INDENT", "MIN_HELP_COLUMN", "NAME_INDENT", "format_help", "plain_help"]

#: The narrowest help column the boxed layout may leave, in characters: narrower, a help
#: text reads as a list of words, three or four a line (``serve --help`` at 50 columns
#: held one word a line). Typer's page at 80 columns gives ``serve`` a 26-character
#: column, which reads well. [design]
MIN_HELP_COLUMN = 24
#: The plain layout's indents: an option's line, and its help under it (deeper, so that
#: the next option's name stands out at the left). [design]
NAME_INDENT = 2
HELP_INDENT = 6
#: What a panel takes of the width around its table: its border and its padding, one
#: character each on either side (Rich's ``Panel`` as Typer draws it).
PANEL_FRAME = 4
#: A unit the plain layout does not break where it fits on a line: a kind of value
#: (``<whole number>``) or a bracketed note (``[default: 127.0.0.1]``, ``[x>=0]``).
_UNIT = re.compile(r"\[[^\[\]]*\]|<[^<>]*>")
#: Stands for a space inside a unit while a line is wrapped (``textwrap`` breaks only at
#: its own whitespace; a control character no help text holds).
_GLUE = "\x1f"

_typer_format_help = rich_utils.rich_format_help


class _Recorder(Console):
    """A console that keeps what it is asked to print, to be printed later or not at all."""

    def __init__(self) -> None:
        super().__init__(file=io.StringIO())
        self.printed: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def print(self, *objects: Any, **kwargs: Any) -> None:  # type: ignore[override]
        self.printed.append((objects, kwargs))


def format_help(*, obj: click_core.Command, ctx: click_core.Context, markup_mode: Any) -> None:
    """Typer's help page (``rich_utils.rich_format_help``, which this replaces) where its
    boxes fit the console's width whole (:func:`boxes_fit`), else :func:`plain_help`."""
    console = rich_utils._get_rich_console()
    recorder = _Recorder()
    made = rich_utils._get_rich_console
    rich_utils._get_rich_console = lambda stderr=False: recorder  # type: ignore[assignment]
    try:
        _typer_format_help(obj=obj, ctx=ctx, markup_mode=markup_mode)
    finally:
        rich_utils._get_rich_console = made  # type: ignore[assignment]
    if all(boxes_fit(console, objects) for objects, _ in recorder.printed):
        for objects, kwargs in recorder.printed:
            console.print(*objects, **kwargs)
        return
    for line in plain_help(obj, ctx, markup_mode, console.width):
        # wrapped already: printed as it is, never folded again nor cut at the edge
        console.print(rich_utils.highlighter(Text(line)), soft_wrap=True)


def boxes_fit(console: Console, objects: Iterable[Any]) -> bool:
    """Whether ``objects`` (what Typer prints for a help page: text, and panels holding a
    table) fit ``console``'s width with nothing cut or split inside a word: each table's
    columns at least as wide as their longest word (an option's name, a range, a default
    whole), its last column (the help) at least :data:`MIN_HELP_COLUMN` wide."""
    width = console.width
    for item in objects:
        if isinstance(item, Panel) and isinstance(item.renderable, Table):
            if not _table_fits(console, item.renderable, width - PANEL_FRAME):
                return False
        elif Measurement.get(console, console.options, item).minimum > width:
            return False  # a word of the usage or of the command's help longer than a line
    return True


def _table_fits(console: Console, table: Table, width: int) -> bool:
    # Rich's own layout of the table (private: rich is pinned below 16 in pyproject)
    calculate = getattr(table, "_calculate_column_widths", None)
    padding = getattr(table, "_get_padding_width", None)
    if calculate is None or padding is None:  # pragma: no cover - another Rich
        return False
    widths = calculate(console, console.options.update_width(width))
    last = len(table.columns) - 1
    for index, (column, column_width) in enumerate(zip(table.columns, widths, strict=True)):
        needed = max((_unbroken(console, cell) for cell in column.cells), default=0)
        if index == last:
            needed = max(needed, MIN_HELP_COLUMN)
        if column_width - padding(index) < needed:
            return False
    return True


def _unbroken(console: Console, cell: Any) -> int:
    """The width ``cell`` needs to show no word split: its longest word, and its longest
    unit (:data:`_UNIT`: ``<whole number>``, ``[default: 127.0.0.1]``) whole."""
    parts = cell.renderables if isinstance(cell, Columns) else [cell]
    needed = 0
    for part in parts:
        needed = max(needed, Measurement.get(console, console.options, part).minimum)
        if isinstance(part, Text):
            units = (len(unit) for unit in _UNIT.findall(part.plain))
            needed = max(needed, *units, 0)
    return needed


# ---------------------------------------------------------------- the plain layout
def plain_help(
    obj: click_core.Command, ctx: click_core.Context, markup_mode: Any, width: int
) -> list[str]:
    """The lines of ``obj``'s help page in the plain layout, none wider than ``width``
    (except a single word wider than it): the usage, the command's help, a section per
    panel of Typer's page (arguments, options, commands) with each parameter on its line
    (names, kind of value, range) and its help (with its default) indented under it."""
    lines = [*_usage(obj, ctx, width), ""]
    for paragraph in _paragraphs(obj.help or "", markup_mode):
        lines += [*_wrapped(paragraph, width, "", ""), ""]
    for title, params in _panels(obj, ctx):
        lines.append(f"{title}:")
        for param in params:
            lines += _wrapped(_names(param, ctx), width, " " * NAME_INDENT, " " * HELP_INDENT)
            said = _parameter_help(param, ctx, markup_mode)
            if said:
                lines += _wrapped(said, width, " " * HELP_INDENT, " " * HELP_INDENT)
        lines.append("")
    for title, commands in _command_panels(obj, ctx):
        lines.append(f"{title}:")
        for command in commands:
            lines.append(" " * NAME_INDENT + (command.name or ""))
            first = _paragraphs(command.short_help or command.help or "", markup_mode)[:1]
            for said in first:
                lines += _wrapped(said, width, " " * HELP_INDENT, " " * HELP_INDENT)
        lines.append("")
    for paragraph in _paragraphs(obj.epilog or "", markup_mode):
        lines += [*_wrapped(paragraph, width, "", ""), ""]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _usage(obj: click_core.Command, ctx: click_core.Context, width: int) -> list[str]:
    """The usage line ("Usage: spasmwatch serve [OPTIONS]", in the help's language),
    wrapped under its first word."""
    said = " ".join(obj.get_usage(ctx).split())
    start = said.find(ctx.command_path)
    prefix = said[:start] if start > 0 else ""
    return _wrapped(said[len(prefix) :], width, prefix, " " * len(prefix))


def _paragraphs(text: str, markup_mode: Any) -> list[str]:
    """A help text's paragraphs, each on one line, as Typer shows them (its markup read)."""
    text = inspect.cleandoc(text).partition("\f")[0]
    said = []
    for paragraph in text.split("\n\n"):
        plain = _plain(" ".join(paragraph.replace("\b", "").split()), markup_mode)
        if plain:
            said.append(plain)
    return said


def _plain(text: str, markup_mode: Any) -> str:
    shown = rich_utils._make_rich_text(text=text, markup_mode=markup_mode)
    return shown.plain if isinstance(shown, Text) else text


def _panels(
    obj: click_core.Command, ctx: click_core.Context
) -> list[tuple[str, list[click_core.Parameter]]]:
    """The parameters of ``obj`` by the panel Typer shows them in, in Typer's order: the
    arguments, the other panels of arguments, the options, the other panels of options."""
    arguments: dict[str, list[click_core.Parameter]] = {rich_utils.ARGUMENTS_PANEL_TITLE: []}
    options: dict[str, list[click_core.Parameter]] = {rich_utils.OPTIONS_PANEL_TITLE: []}
    for param in obj.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if isinstance(param, typer_core.TyperArgument):
            title = param.rich_help_panel or rich_utils.ARGUMENTS_PANEL_TITLE
            arguments.setdefault(title, []).append(param)
        elif isinstance(param, typer_core.TyperOption):
            title = param.rich_help_panel or rich_utils.OPTIONS_PANEL_TITLE
            options.setdefault(title, []).append(param)
    return [(title, params) for title, params in (*arguments.items(), *options.items()) if params]


def _command_panels(
    obj: click_core.Command, ctx: click_core.Context
) -> list[tuple[str, list[click_core.Command]]]:
    """A group's commands by the panel Typer shows them in (none for a command)."""
    if not isinstance(obj, typer_core.TyperGroup):
        return []
    panels: dict[str, list[click_core.Command]] = {rich_utils.COMMANDS_PANEL_TITLE: []}
    for name in obj.list_commands(ctx):
        command = obj.get_command(ctx, name)
        if command is not None and not command.hidden:
            title = getattr(command, "rich_help_panel", None) or rich_utils.COMMANDS_PANEL_TITLE
            panels.setdefault(title, []).append(command)
    return [(title, commands) for title, commands in panels.items() if commands]


def _names(param: Any, ctx: click_core.Context) -> str:
    """A parameter's line: its names (an argument's metavar), the kind of value it takes
    and its range, as the boxes show them (``--port <whole number> [1<=x<=65535]``)."""
    if isinstance(param, typer_core.TyperArgument):
        names = param.display_name_raw
        if param.metavar is None and param.nargs != 1:
            names += "..."
    else:
        names = ", ".join([*param.opts, *param.secondary_opts])
    words = [names]
    kind = param.display_type_rich(ctx=ctx)
    if kind:
        words.append(kind)
    bounds = param._get_number_range_help_str()
    if bounds:
        words.append(rich_utils.RANGE_STRING.format(bounds).strip())
    return " ".join(words)


def _parameter_help(param: Any, ctx: click_core.Context, markup_mode: Any) -> str:
    """A parameter's help with its notes (environment variable, default, required), the
    words of Typer's help column (``rich_utils._get_parameter_help``)."""
    shown = rich_utils._get_parameter_help(param=param, ctx=ctx, markup_mode=markup_mode)
    parts = shown.renderables if isinstance(shown, Columns) else [shown]
    said = (part.plain if isinstance(part, Text) else str(part) for part in parts)
    return " ".join(" ".join(text.split()) for text in said if text.strip())


def _wrapped(text: str, width: int, first: str, rest: str) -> list[str]:
    """``text`` wrapped at ``width`` at its spaces, never inside a word (an option's name,
    a path), nor inside a unit (:data:`_UNIT`) that fits on a line."""
    room = max(width - len(rest), 1)

    def glued(unit: re.Match[str]) -> str:
        said = unit.group()
        return said.replace(" ", _GLUE) if len(said) <= room else said

    text = _UNIT.sub(glued, text)
    lines = textwrap.wrap(
        text,
        width=max(width, 1),
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(_GLUE, " ") for line in lines] or [first.rstrip()]
