"""The ``spasmwatch`` command line (Typer + Rich), one module per command group.

Each command calls one library or diary function and formats its result. Errors a user
can cause (:class:`~spasmwatch.errors.SpasmwatchError`) are printed as one clear message
and exit with status 2; anything unexpected exits with status 1, without a traceback
unless ``SPASMWATCH_DEBUG=1`` is set.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from collections.abc import Callable

import typer
import typer.main
from rich.markup import escape
from typer._click.core import Command

from spasmwatch.cli.common import (
    InvalidOption,
    app,
    err,
    errors_said,
    invalid_option,
    said_error,
)
from spasmwatch.cli.help_page import help_args, help_in, refused_language, terminal_default
from spasmwatch.cli.usage import UsageError, asked_language, say_usage_error, usage_lines
from spasmwatch.errors import SpasmwatchError
from spasmwatch.i18n import LOCALES, N_, english, terminal_language, translations

__all__ = ["app", "main", "run", "setup_problem"]

#: The command groups, imported in this order: they register their commands so, and the
#: help lists them so.
COMMAND_GROUPS = ("triage", "server", "signup", "exchange", "batch", "analyze")
for _group in COMMAND_GROUPS:
    importlib.import_module(f"spasmwatch.cli.{_group}")


#: What the command line says when the input ends at a question (Click's words), when a
#: command fails for a reason of the machine's setup (:func:`setup_problem`), for a bug,
#: and when Ctrl+C stops a command.
ABORTED = N_("Aborted!")
UNEXPECTED = N_("Unexpected error")
REPORT_THIS = N_("Set SPASMWATCH_DEBUG=1 to see the details, and please report this.")
INTERRUPTED = N_(
    "Interrupted: stopped before the end (what it writes is written whole or not at all)."
)


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status.

    0 success, 2 invalid input (a clear message, no traceback), 1 unexpected error. The
    command line speaks the language its ``--lang`` asks for, else the terminal's
    (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``:
    :func:`~spasmwatch.i18n.terminal_language`): the help pages, the mistakes typed,
    the errors (:func:`said_error`), and the words of a command with a ``--lang``, whose
    default it is.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    terminal = terminal_language()
    locale = asked_language(args, default=terminal)
    with errors_said(locale):
        return _run(args, locale, terminal)


def _run(args: list[str], locale: str, terminal: str) -> int:
    # built for this run: its help said in the language asked for (help_in), each --lang
    # defaulting to the terminal's language
    command = typer.main.get_command(app)
    terminal_default(command, terminal)
    gettext = translations(locale).gettext if locale != "en" else english
    try:
        if (refused := refused_language(command, args)) is not None:
            raise invalid_option("--lang", LOCALES, refused)
        with help_in(command, locale):
            return _invoke(command, help_args(command, args))
    except UsageError as exc:
        # As plain lines in every language, never in Typer's box: a narrow terminal, a
        # log or a pipe gets them whole (a box cuts a long path over several lines
        # between its borders), and they read the same in English and in Spanish.
        err.print(escape(say_usage_error(exc, locale)), highlight=False)
        return int(exc.exit_code)
    except (typer.Abort, EOFError):  # the input ended
        err.print(gettext(ABORTED), highlight=False)
        return 1
    except SystemExit as exc:
        if _caused_by_ctrl_c(exc):  # a library that turned Ctrl+C into an exit
            return _interrupted(gettext)
        if exc.code is None:
            return 0
        return exc.code if isinstance(exc.code, int) else 1
    except SpasmwatchError as exc:
        if isinstance(exc, InvalidOption):  # said as Click's own usage errors are
            for line in usage_lines(exc.ctx, translations(locale).gettext):
                err.print(escape(line), highlight=False)
        word, message = said_error(exc)
        err.print(f"[bold red]{escape(word)}:[/] {escape(message)}", highlight=False)
        return 2
    except KeyboardInterrupt:
        return _interrupted(gettext)
    except BrokenPipeError:
        # whoever read the output stopped reading (``spasmwatch rules | head``): nothing
        # more to say; what is left unflushed goes nowhere, not into an error at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:
        if os.environ.get("SPASMWATCH_DEBUG"):
            raise
        if (plain := setup_problem(exc, gettext)) is not None:
            err.print(f"[bold red]{gettext('Error')}:[/] {escape(plain)}", highlight=False)
            return 2
        err.print(
            f"[bold red]{gettext(UNEXPECTED)}:[/] {escape(type(exc).__name__)}: "
            f"{escape(str(exc))}\n{gettext(REPORT_THIS)}",
            highlight=False,
        )
        return 1


def _invoke(command: Command, args: list[str]) -> int:
    """Read ``args`` and run the command they name, as Click's ``main`` does, its
    exceptions left to :func:`_run`: a usage error to be said in the language asked for,
    Ctrl+C to be told apart from a command that exits with 130 itself (``batch``)."""
    try:
        with command.make_context("spasmwatch", args) as ctx:
            command.invoke(ctx)
    except typer.Exit as exc:  # --help, --version, or a command's own exit status
        return int(exc.exit_code)
    return 0


def _caused_by_ctrl_c(exc: BaseException) -> bool:
    """Whether Ctrl+C ended the command unhandled (a command that says so itself, as
    ``batch``, raises its exit ``from None``, which hides the interrupt)."""
    seen: BaseException | None = exc
    for _ in range(10):  # the chain of causes, which is short
        if seen is None:
            return False
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or (None if seen.__suppress_context__ else seen.__context__)
    return False


def _interrupted(gettext: Callable[[str], str] = english) -> int:
    # Straight to the process's standard error: a progress bar stopped mid-refresh can
    # leave Rich holding sys.stderr and what it is given.
    stream = sys.__stderr__ or sys.stderr
    stream.write(gettext(INTERRUPTED) + "\n")
    stream.flush()
    return 130


#: A file or folder the machine does not let a command use (``why``: the system's words,
#: which stay English), with what to check (:data:`SETUP_HINTS`).
UNUSABLE_PATH = N_("%(path)s: %(why)s (%(hint)s)")
#: What to check, by the kind of the system's error.
SETUP_HINTS = {
    "PermissionError": N_("check who may write there"),
    "NotADirectoryError": N_("a file is where a folder should be"),
    "FileExistsError": N_("something else is there already"),
    "FileNotFoundError": N_("check the path"),
}
CHECK_THE_PATH = N_("check the path")
#: A database the command cannot use (``why``: the driver's words, which stay English).
DATABASE_URL_UNUSABLE = N_("the database URL is not one spasmwatch can use: %(why)s")
DATABASE_UNUSABLE = N_("the database cannot be used: %(why)s (check --database-url)")
NO_DATABASE_DRIVER = N_(
    "the database URL needs a driver that is not installed (%(name)s); spasmwatch works "
    "with SQLite and PostgreSQL (postgresql+psycopg://...)"
)


def setup_problem(exc: BaseException, gettext: Callable[[str], str] = english) -> str | None:
    """A plain message for an error of the machine's setup rather than of spasmwatch: a
    file or folder that cannot be used, a database that cannot be reached or whose
    address is wrong; in ``gettext``'s language (the system's and the driver's own words
    stay as they say them). None for anything else (a bug, reported as one)."""
    if isinstance(exc, OSError) and exc.filename is not None:
        what = exc.strerror or type(exc).__name__
        hint = SETUP_HINTS.get(type(exc).__name__, CHECK_THE_PATH)
        return gettext(UNUSABLE_PATH) % {"path": exc.filename, "why": what, "hint": gettext(hint)}
    module = type(exc).__module__ or ""
    if module.startswith("sqlalchemy"):
        cause = getattr(exc, "orig", None) or exc
        first = str(cause).strip().splitlines()[0] if str(cause).strip() else type(exc).__name__
        if type(exc).__name__ in ("ArgumentError", "NoSuchModuleError"):
            return gettext(DATABASE_URL_UNUSABLE) % {"why": first}
        return gettext(DATABASE_UNUSABLE) % {"why": first}
    if isinstance(exc, ModuleNotFoundError) and exc.name and not exc.name.startswith("spasmwatch"):
        return gettext(NO_DATABASE_DRIVER) % {"name": exc.name}
    return None


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``spasmwatch`` console script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    for handler in logging.getLogger().handlers:
        # Libraries (Dask) set their own loggers to INFO; only warnings reach the user.
        handler.setLevel(logging.WARNING)
    sys.exit(run(argv))
