"""How the command line's help pages read, in English and in the language asked for.

- The usage line writes an argument as Click always has: its metavar (``VIDEO``,
  ``CASE.json``; every argument names one), in brackets when it may be left out, with
  ``...`` when it takes several (``spasmwatch triage [OPTIONS] [CASE.json]...``). Typer
  0.29 writes ``{video}`` and ``[[CASE.json]...]...``, which read as a template left unfilled.
- The column of types names the kind of value an option takes in words (``<text>``,
  ``<whole number>``, ``<path>``; Typer says ``<str>``, ``<int>``), none after a flag
  (``--json`` takes no value; Typer 0.29 writes ``<bool>`` there).
- An option's help that holds a word longer than its column (a path) folds it onto the
  next line; Typer cuts it with "…".
- Where Typer's boxes would cut an option's name or split a word (a narrow terminal), the
  page is laid out plainly, one option a line with its help under it
  (:mod:`spasmwatch.cli.help_layout`).
- With ``--lang es`` (:func:`help_in`) the help texts of the commands, options and
  arguments (catalog messages, marked with ``N_`` where the commands are declared), the
  arguments' metavars, the kinds of value and Typer's own words ("Usage:", "Options",
  "[default: ...]", "[required]", "Show this message and exit.") are said in that language.
  A request for help takes ``--lang`` on any command or group, also one that has no
  ``--lang`` of its own (:func:`help_args`), and so does any command run; without one
  the help is in the terminal's language (``LANG``: :func:`terminal_default`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from rich.text import Text
from typer import core as typer_core
from typer import rich_utils
from typer._click import core as click_core
from typer._click import formatting as click_formatting

from spasmwatch.cli.help_layout import format_help
from spasmwatch.cli.usage import USAGE, lang_values, split_lang_options
from spasmwatch.i18n import DEFAULT_LOCALE, N_, english

__all__ = [
    "COMMANDS_METAVAR",
    "OPTIONS_METAVAR",
    "SHOW_HELP",
    "TYPER_WORDS",
    "VALUE_KINDS",
    "help_args",
    "help_in",
    "refused_language",
    "terminal_default",
]

#: What the usage line says for the options, and for a group's command and its arguments.
OPTIONS_METAVAR = N_("[OPTIONS]")
COMMANDS_METAVAR = N_("COMMAND [ARGS]...")
#: The help of ``--help`` (Click's words).
SHOW_HELP = N_("Show this message and exit.")
#: Typer's own words on a help page (``typer.rich_utils``' names for them), said in the
#: help's language while it is shown: the panels' titles, an option's default and a
#: required parameter. ``%(value)s`` stands for Typer's ``{}``.
TYPER_WORDS: dict[str, str] = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "DEFAULT_STRING": N_("[default: %(value)s]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
}
#: The kinds of value in the column of types, in plain words (``<text>``, ``<whole
#: number>``), by Typer's name for them (``str``, ``int``); a kind not named here, such as
#: an option's choices, is shown as Typer shows it.
VALUE_KINDS: dict[str, str] = {
    "str": N_("text"),
    "path": N_("path"),
    "int": N_("whole number"),
    "int range": N_("whole number"),
    "float": N_("number"),
    "float range": N_("number"),
    "datetime": N_("date and time"),
    "list[str]": N_("texts"),
}
#: The ``gettext`` of the help being shown (English: the words as written).
_help_gettext: ContextVar[Callable[[str], str]] = ContextVar(
    "spasmwatch_cli_help_gettext", default=english
)


# ---------------------------------------------------------------- Typer's display, mended
def _argument_usage(self: typer_core.TyperArgument) -> str:
    """An argument on the usage line: ``VIDEO``, ``[CASE.json]...`` (Click's way)."""
    name = self.metavar or (self.name or "").upper()
    if not self.required:
        name = f"[{name}]"
    if self.nargs != 1:
        name += "..."
    return name


_option_type = typer_core.TyperOption.display_type_rich
_argument_type = typer_core.TyperArgument.display_type_rich


def _said_kind(shown: str | None) -> str | None:
    """Typer's ``<str>`` as ``<text>``, in the help's language."""
    if shown is None or not (shown.startswith("<") and shown.endswith(">")):
        return shown
    word = VALUE_KINDS.get(shown[1:-1])
    return shown if word is None else f"<{_help_gettext.get()(word)}>"


def _said_option_type(self: typer_core.TyperOption, ctx: click_core.Context) -> str | None:
    """The kind of value an option takes, in the help's language; none for a flag."""
    return None if self.is_flag else _said_kind(_option_type(self, ctx))


def _said_argument_type(self: typer_core.TyperArgument, ctx: click_core.Context) -> str | None:
    """The kind of value an argument takes, in the help's language."""
    return _said_kind(_argument_type(self, ctx))


_parameter_help = rich_utils._get_parameter_help


def _folded_parameter_help(**kwargs: Any) -> Any:
    """An option's help whose word is longer than its column (a path) goes on over the
    next line, not cut with "…" (Typer's column cuts it: "~/.local/share/spasmwatch…")."""
    columns = _parameter_help(**kwargs)
    for item in columns.renderables:
        if isinstance(item, Text):
            item.overflow = "fold"
    return columns


rich_utils._get_parameter_help = _folded_parameter_help
rich_utils.rich_format_help = format_help  # type: ignore[assignment]
typer_core.TyperArgument._usage_display_name = _argument_usage  # type: ignore[method-assign]
typer_core.TyperOption.display_type_rich = _said_option_type  # type: ignore[method-assign,assignment]
typer_core.TyperArgument.display_type_rich = _said_argument_type  # type: ignore[method-assign]


# ---------------------------------------------------------------- the help's language
def _groups_only(command: click_core.Command, names: Sequence[str]) -> bool:
    """Whether ``names`` is a path of groups from ``command`` (``[]``, ``["video"]``): the
    command line that shows a group's help."""
    for name in names:
        commands = getattr(command, "commands", None)
        if not commands or name not in commands:
            return False
        command = commands[name]
    return hasattr(command, "commands")


def _named(command: click_core.Command, args: Sequence[str]) -> click_core.Command | None:
    """The command ``args`` name from ``command`` (the root): the first word that is not an
    option, under each group, is one of its commands, down to a command that is not a
    group (whose arguments follow); None where a word names no command of its group
    (``spasmwatch vidoe``, ``spasmwatch video analyse``)."""
    for arg in args:
        commands = getattr(command, "commands", None)
        if commands is None:
            break  # a command's own arguments
        if arg.startswith("-"):
            continue
        if arg not in commands:
            return None
        command = commands[arg]
    return command


def _takes_lang(command: click_core.Command) -> bool:
    """Whether ``command`` has a ``--lang`` of its own (``triage``, ``report``...)."""
    return any("--lang" in getattr(param, "opts", ()) for param in command.params)


def help_args(command: click_core.Command, args: Sequence[str]) -> list[str]:
    """``args`` as ``command`` (the root of the command line) is to read them: ``--lang``
    chooses the language of the whole command line (:func:`help_in`, and the words and
    errors of a command: :func:`~spasmwatch.cli.common.language`), so it is taken out of
    a request for help (``--help``, or a group's name alone: ``spasmwatch video --lang
    es``), of a mistyped command (``spasmwatch --lang es vidoe``: the mistake said, in that
    language, is the command's) and of a command without a ``--lang`` of its own
    (``import csv 3 f.csv --lang es``, which its help offers too); a command with one
    (``triage``) is given it, also where it was typed before the command's name
    (``spasmwatch --lang es triage -i``)."""
    end = args.index("--") if "--" in args else len(args)
    options, rest = list(args[:end]), list(args[end:])
    plain, lang = split_lang_options(options)
    if not lang:
        return list(args)
    named = _named(command, plain)
    if named is not None and _takes_lang(named) and not _help_asked(command, plain):
        return plain + lang + rest
    return plain + rest


def _help_asked(command: click_core.Command, plain: Sequence[str]) -> bool:
    """Whether the command line ``plain`` (without its ``--lang``) asks for a help page."""
    return "--help" in plain or _groups_only(command, plain)


def refused_language(command: click_core.Command, args: Sequence[str]) -> str | None:
    """The language ``args`` ask for that the app does not have, where no command is there
    to refuse it itself: a command without a ``--lang`` of its own, to be run (``import csv
    3 f.csv --lang fr``); None otherwise (a help page is shown in English, a command with
    a ``--lang`` refuses it as it refuses any value it does not take)."""
    from spasmwatch.i18n import LOCALES

    end = args.index("--") if "--" in args else len(args)
    plain, lang = split_lang_options(args[:end])
    values = lang_values(args[:end])
    if not lang or not values or values[-1] in LOCALES or _help_asked(command, plain):
        return None
    named = _named(command, plain)
    return None if named is None or _takes_lang(named) else values[-1]


def terminal_default(command: click_core.Command, locale: str) -> None:
    """Every ``--lang`` of ``command`` and of the commands under it (``command``: the root,
    freshly built for this run) defaults to ``locale``, the terminal's language: a command
    run without ``--lang`` speaks it, and its help page says so ("[default: es]")."""
    for param in command.params:
        if "--lang" in getattr(param, "opts", ()):
            param.default = locale
    for sub in (getattr(command, "commands", None) or {}).values():
        terminal_default(sub, locale)


def _context_class(gettext: Callable[[str], str]) -> type[click_core.Context]:
    """A Click context whose help pages begin with "Usage:" in ``gettext``'s language."""
    said = gettext(USAGE) % {"usage": ""}

    class SaidFormatter(click_formatting.HelpFormatter):
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, said if prefix is None else prefix)

    class SaidContext(click_core.Context):
        formatter_class = SaidFormatter

    return SaidContext


def _say_help(
    command: click_core.Command,
    gettext: Callable[[str], str],
    context_class: type[click_core.Context],
) -> None:
    """Every help text of ``command`` and of the commands under it said by ``gettext``,
    with the arguments' metavars and the usage line's words."""
    command.context_class = context_class
    if command.help:
        command.help = gettext(command.help)
    if command.short_help:
        command.short_help = gettext(command.short_help)
    if command.options_metavar:
        command.options_metavar = gettext(command.options_metavar)
    help_option = command.get_help_option(context_class(command))
    if help_option is not None and help_option.help:
        help_option.help = gettext(help_option.help)
    for param in command.params:
        said: Any = param
        if getattr(said, "help", None):
            said.help = gettext(said.help)
        if isinstance(param, typer_core.TyperArgument) and param.metavar:
            param.metavar = gettext(param.metavar)
    commands: dict[str, click_core.Command] | None = getattr(command, "commands", None)
    if commands is not None:
        group: Any = command
        if group.subcommand_metavar:
            group.subcommand_metavar = gettext(group.subcommand_metavar)
        for sub in commands.values():
            _say_help(sub, gettext, context_class)


@contextmanager
def help_in(command: click_core.Command, locale: str) -> Iterator[None]:
    """While the command line runs: ``command``'s help pages (``command``: the root, freshly
    built for this run) in ``locale``, and the usage of its commands in their usage
    errors; Typer's own words are put back after it. English: the words as written."""
    if locale == DEFAULT_LOCALE:
        yield
        return
    from spasmwatch.i18n import translations

    gettext = translations(locale).gettext
    _say_help(command, gettext, _context_class(gettext))
    saved = {name: getattr(rich_utils, name) for name in TYPER_WORDS}
    token = _help_gettext.set(gettext)
    try:
        for name, message in TYPER_WORDS.items():
            setattr(rich_utils, name, gettext(message) % {"value": "{}"})
        yield
    finally:
        _help_gettext.reset(token)
        for name, word in saved.items():
            setattr(rich_utils, name, word)
