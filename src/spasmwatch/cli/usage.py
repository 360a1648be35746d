"""A command typed wrongly (an unknown option, a missing argument, an extra one, a value
that is not a number), said in the command line's ``--lang``, as plain lines.

Click finds these mistakes while it reads the command line, before the command runs and
chooses its language (:func:`~spasmwatch.cli.common.language`), and says them in English.
The command line says them itself (:func:`say_usage_error`), in the language it asks for
(:func:`asked_language`; by default the terminal's, English where it names none): each
kind of mistake from the fields Click keeps (the option's name, the close matches, the
missing parameter, the value parser's error), its words from the catalog; a message of a
kind not known here stays in Click's English. Every language has the same three plain
lines (the usage, where the help is, the mistake), never Typer's box.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from spasmwatch.i18n import DEFAULT_LOCALE, N_, said_value, say_message

try:  # Typer from 0.20 on carries its own copy of Click, whose exceptions it raises
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - an older Typer, on Click itself
    import click.exceptions as click_errors  # type: ignore[no-redef]

__all__ = [
    "MISSING_COMMAND",
    "PARSER_MESSAGES",
    "USAGE",
    "USAGE_MESSAGES",
    "UsageError",
    "asked_language",
    "lang_values",
    "say_usage_error",
    "split_lang_options",
    "usage_lines",
]

#: What Click raises for a command typed wrongly.
UsageError = click_errors.UsageError

USAGE = N_("Usage: %(usage)s")
TRY_HELP = N_("Try '%(command)s --help' for help.")
NO_SUCH_OPTION = N_("No such option: %(name)s")
DID_YOU_MEAN = N_("Did you mean %(possibility)s?")
POSSIBLE_OPTIONS = N_("(Possible options: %(possibilities)s)")
MISSING_ARGUMENT = N_("Missing argument %(name)s.")
MISSING_OPTION = N_("Missing option %(name)s.")
#: A group run without one of its commands (``spasmwatch video``): Click's words for it, and
#: ours, which name the commands to choose from.
CLICK_MISSING_COMMAND = "Missing command."
MISSING_COMMAND = N_("Missing command: choose one of %(commands)s.")
INVALID_VALUE = N_("Invalid value for %(name)s: %(why)s")
#: Click's own messages, matched against its English words (:func:`_said`).
USAGE_MESSAGES: tuple[str, ...] = (
    N_("Option %(name)s requires an argument."),
    N_("Option %(name)s does not take a value."),
    N_("No such command %(name)s."),
    N_("No such command %(name)s. Did you mean %(possibilities)s?"),
    N_("Got unexpected extra argument (%(args)s)"),
    N_("Got unexpected extra arguments (%(args)s)"),
    N_("Got unexpected extra argument(s) (%(args)s)"),
    N_("%(value)s is not a valid integer."),
    N_("%(value)s is not a valid float."),
    N_("%(value)s is not a valid integer range."),
    N_("%(value)s is not a valid float range."),
    N_("%(value)s is not one of %(choices)s."),
)
#: What the value parser (pydantic, under Typer 0.29) refuses, by its error's type:
#: ``value``, the value as typed (quoted); ``limit``, the bound it is outside of.
PARSER_MESSAGES: dict[str, str] = {
    "int_parsing": N_("%(value)s is not a whole number"),
    "int_from_float": N_("%(value)s is not a whole number"),
    "int_type": N_("%(value)s is not a whole number"),
    "float_parsing": N_("%(value)s is not a number"),
    "float_type": N_("%(value)s is not a number"),
    "finite_number": N_("%(value)s is not a number"),
    "greater_than_equal": N_("must be at least %(limit)s; got %(value)s"),
    "greater_than": N_("must be more than %(limit)s; got %(value)s"),
    "less_than_equal": N_("must be at most %(limit)s; got %(value)s"),
    "less_than": N_("must be less than %(limit)s; got %(value)s"),
    "datetime_parsing": N_(
        "%(value)s is not a date and time: give it as YYYY-MM-DDTHH:MM, e.g. 2026-05-01T14:30"
    ),
    "datetime_from_date_parsing": N_(
        "%(value)s is not a date and time: give it as YYYY-MM-DDTHH:MM, e.g. 2026-05-01T14:30"
    ),
}
#: Where a parser's error keeps its bound (``{'ge': 1}``).
_LIMIT_KEYS = ("ge", "gt", "le", "lt")


#: ``--lang es`` or ``--lang=es`` on the command line.
def split_lang_options(args: Sequence[str]) -> tuple[list[str], list[str]]:
    """``args`` without ``--lang X`` and ``--lang=X``, and those, in their order."""
    kept: list[str] = []
    lang: list[str] = []
    value_next = False
    for arg in args:
        if value_next:
            value_next = False
            lang.append(arg)
        elif arg == "--lang":
            value_next = True
            lang.append(arg)
        elif arg.startswith("--lang="):
            lang.append(arg)
        else:
            kept.append(arg)
    return kept, lang


def lang_values(argv: Sequence[str]) -> list[str]:
    """The values of the ``--lang`` options in ``argv``, in their order (``""`` for a
    ``--lang`` at the end, without one)."""
    _kept, lang = split_lang_options(argv)
    values = []
    for i, arg in enumerate(lang):
        if arg == "--lang":
            values.append(lang[i + 1] if i + 1 < len(lang) else "")
        elif arg.startswith("--lang=") and not (i and lang[i - 1] == "--lang"):
            values.append(arg.removeprefix("--lang="))
    return values


def asked_language(argv: Sequence[str], default: str = DEFAULT_LOCALE) -> str:
    """The language the command line asks for (``--lang es`` or ``--lang=es``, the last
    one given), or ``default`` (the terminal's, where the command line runs:
    :func:`~spasmwatch.i18n.terminal_language`); a language the app does not have counts
    as ``default`` (the command refuses it when it runs)."""
    from spasmwatch.i18n import LOCALES

    values = lang_values(argv)
    if not values:
        return default
    return values[-1] if values[-1] in LOCALES else default


def _said(message: str, gettext: Callable[[str], str], locale: str) -> str:
    """One of Click's English messages in ``gettext``'s language where it is one of
    :data:`USAGE_MESSAGES` (:func:`~spasmwatch.i18n.say_message`); else as Click said it."""
    try:
        return say_message(message, USAGE_MESSAGES, gettext, locale) or message
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return message


def _parser_said(exc: Any, gettext: Callable[[str], str], locale: str) -> str | None:
    """What the value parser found wrong with a value (``exc``'s cause, a pydantic
    ``ValidationError``) in ``gettext``'s language: "'x' is not a whole number", "must be
    at least 1; got '0'"; None for an error of a kind not known here."""
    errors = getattr(exc.__cause__, "errors", None)
    if errors is None:
        return None
    try:
        first = errors()[0]
    except (IndexError, TypeError):
        return None
    template = PARSER_MESSAGES.get(first.get("type", ""))
    if template is None:
        return None
    bounds = first.get("ctx") or {}
    limit = next((bounds[key] for key in _LIMIT_KEYS if key in bounds), "")
    value = first.get("input", "")
    return gettext(template) % {
        "value": repr(value if isinstance(value, str) else str(value)),
        "limit": said_value(_number(limit), gettext, locale) if limit != "" else "",
    }


def _number(value: float) -> str:
    """A bound as written: ``1`` (also for ``1.0``), ``0.5``, ``65535``."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _hint(param: Any, ctx: Any) -> str:
    """How Click names a parameter in its messages ("'--out'", "'VIDEO'")."""
    try:
        return str(param.get_error_hint())  # Typer's copy of Click
    except TypeError:  # pragma: no cover - Click itself
        return str(param.get_error_hint(ctx))


def _message(exc: Any, gettext: Callable[[str], str], locale: str) -> str:
    if isinstance(exc, click_errors.NoSuchOption):
        said = gettext(NO_SUCH_OPTION) % {"name": exc.option_name}
        possible = sorted(exc.possibilities or ())
        if len(possible) == 1:
            return f"{said}. " + gettext(DID_YOU_MEAN) % {"possibility": possible[0]}
        if possible:
            return f"{said} " + gettext(POSSIBLE_OPTIONS) % {"possibilities": ", ".join(possible)}
        return said
    if isinstance(exc, click_errors.MissingParameter) and exc.param is not None:
        template = MISSING_ARGUMENT if exc.param.param_type_name == "argument" else MISSING_OPTION
        return gettext(template) % {"name": _hint(exc.param, exc.ctx)}
    if isinstance(exc, click_errors.BadParameter) and exc.param is not None:
        hint = exc.param_hint or _hint(exc.param, exc.ctx)
        if not isinstance(hint, str):
            hint = " / ".join(repr(h) for h in hint)
        why = _parser_said(exc, gettext, locale) or _said(exc.message, gettext, locale)
        return gettext(INVALID_VALUE) % {"name": hint, "why": why}
    if exc.message == CLICK_MISSING_COMMAND and exc.ctx is not None:
        return gettext(MISSING_COMMAND) % {"commands": ", ".join(_commands(exc.ctx))}
    return _said(exc.format_message(), gettext, locale)


def _commands(ctx: Any) -> list[str]:
    """The names of the commands of the group whose Click context is ``ctx``, in the order
    its help lists them."""
    group = ctx.command
    names = group.list_commands(ctx) if hasattr(group, "list_commands") else []
    return [name for name in names if not getattr(group.get_command(ctx, name), "hidden", False)]


def say_usage_error(exc: Any, locale: str) -> str:
    """What the command line prints for ``exc`` (a :data:`UsageError`) in ``locale``: the
    command's usage, where to find its help, and the mistake (three lines, as Click prints
    them), also for a group run without one of its commands (the commands it has); "" for
    ``spasmwatch`` alone (its help page is printed already)."""
    from spasmwatch.i18n import translations

    if type(exc).__name__ == "NoArgsIsHelpError":
        return ""
    gettext = translations(locale).gettext
    lines = usage_lines(exc.ctx, gettext)
    lines.append(f"{gettext('Error')}: {_message(exc, gettext, locale)}")
    return "\n".join(lines)


def usage_lines(ctx: Any, gettext: Callable[[str], str]) -> list[str]:
    """The first two lines said of a command typed wrongly, in ``gettext``'s language:
    the usage of the command whose Click context is ``ctx`` (its pieces as its help page
    has them) and where its help is; none without a context. Said before a usage error
    (:func:`say_usage_error`), and before an option's value that the command itself
    refuses (:class:`~spasmwatch.cli.common.InvalidOption`), so that both read alike."""
    if ctx is None:
        return []
    usage = " ".join([ctx.command_path, *ctx.command.collect_usage_pieces(ctx)])
    return [
        gettext(USAGE) % {"usage": usage},
        gettext(TRY_HELP) % {"command": ctx.command_path},
    ]
