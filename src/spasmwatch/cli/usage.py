"""A command typed wrongly (an unknown option, a missing argument, an extra one, a value
that is not a number), said in the command's ``--lang``.

Click finds these mistakes while it reads the command line, before the command runs and
chooses its language (:func:`~spasmwatch.cli.common.language`), and says them in English.
When the command line asks for another language (:func:`asked_language`), the command
line reads them itself (:func:`say_usage_error`): each kind of mistake from the fields
Click keeps (the option's name, the close matches, the missing parameter), its words from
the catalog; a message of a kind not known here stays in Click's English. English runs
keep Click's own display.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from spasmwatch.i18n import DEFAULT_LOCALE, N_, say_message

try:  # Typer from 0.20 on carries its own copy of Click, whose exceptions it raises
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - an older Typer, on Click itself
    import click.exceptions as click_errors  # type: ignore[no-redef]

__all__ = ["USAGE_MESSAGES", "UsageError", "asked_language", "say_usage_error"]

#: What Click raises for a command typed wrongly.
UsageError = click_errors.UsageError

USAGE = N_("Usage: %(usage)s")
TRY_HELP = N_("Try '%(command)s --help' for help.")
NO_SUCH_OPTION = N_("No such option: %(name)s")
DID_YOU_MEAN = N_("Did you mean %(possibility)s?")
POSSIBLE_OPTIONS = N_("(Possible options: %(possibilities)s)")
MISSING_ARGUMENT = N_("Missing argument %(name)s.")
MISSING_OPTION = N_("Missing option %(name)s.")
INVALID_VALUE = N_("Invalid value for %(name)s: %(why)s")
#: Click's own messages, matched against its English words (:func:`_said`).
USAGE_MESSAGES: tuple[str, ...] = (
    N_("Option %(name)s requires an argument."),
    N_("Got unexpected extra argument (%(args)s)"),
    N_("Got unexpected extra arguments (%(args)s)"),
    N_("Got unexpected extra argument(s) (%(args)s)"),
    N_("%(value)s is not a valid integer."),
    N_("%(value)s is not a valid float."),
    N_("%(value)s is not a valid integer range."),
    N_("%(value)s is not a valid float range."),
    N_("%(value)s is not one of %(choices)s."),
)
#: ``--lang es`` or ``--lang=es`` on the command line.
_LANG_OPTION = re.compile(r"^--lang(?:=(.*))?$")


def asked_language(argv: Sequence[str]) -> str:
    """The language the command line asks for (``--lang es`` or ``--lang=es``, the last
    one given), or English; a language the app does not have counts as English (the
    command refuses it when it runs)."""
    from spasmwatch.i18n import LOCALES

    asked = DEFAULT_LOCALE
    for i, arg in enumerate(argv):
        found = _LANG_OPTION.match(arg)
        if found is None:
            continue
        value = found.group(1)
        if value is None:
            value = argv[i + 1] if i + 1 < len(argv) else ""
        asked = value if value in LOCALES else DEFAULT_LOCALE
    return asked


def _said(message: str, gettext: Callable[[str], str], locale: str) -> str:
    """One of Click's English messages in ``gettext``'s language where it is one of
    :data:`USAGE_MESSAGES` (:func:`~spasmwatch.i18n.say_message`); else as Click said it."""
    try:
        return say_message(message, USAGE_MESSAGES, gettext, locale) or message
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return message


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
        return gettext(INVALID_VALUE) % {"name": hint, "why": _said(exc.message, gettext, locale)}
    return _said(exc.format_message(), gettext, locale)


def say_usage_error(exc: Any, locale: str) -> str:
    """What the command line prints for ``exc`` (a :data:`UsageError`) in ``locale``: the
    command's usage, where to find its help, and the mistake (three lines, as Click prints
    them); a command group run without a command, its help (which stays English)."""
    from spasmwatch.i18n import translations

    if type(exc).__name__ == "NoArgsIsHelpError":
        return str(exc.format_message())
    gettext = translations(locale).gettext
    lines = []
    if exc.ctx is not None:
        usage = exc.ctx.get_usage().removeprefix("Usage:").strip()
        lines.append(gettext(USAGE) % {"usage": usage})
        lines.append(gettext(TRY_HELP) % {"command": exc.ctx.command_path})
    lines.append(f"{gettext('Error')}: {_message(exc, gettext, locale)}")
    return "\n".join(lines)
