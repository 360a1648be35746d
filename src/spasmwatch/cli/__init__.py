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

import typer
import typer.main
from rich.markup import escape
from typer._click.core import Command

from spasmwatch.cli.common import InvalidOption, app, err, errors_said, said_error
from spasmwatch.cli.help_page import help_args, help_in
from spasmwatch.cli.usage import UsageError, asked_language, say_usage_error, usage_lines
from spasmwatch.errors import SpasmwatchError
from spasmwatch.i18n import translations

__all__ = ["app", "main", "run", "setup_problem"]

#: The command groups, imported in this order: they register their commands so, and the
#: help lists them so.
COMMAND_GROUPS = ("triage", "server", "signup", "exchange", "batch", "analyze")
for _group in COMMAND_GROUPS:
    importlib.import_module(f"spasmwatch.cli.{_group}")


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status.

    0 success, 2 invalid input (a clear message, no traceback), 1 unexpected error. A
    command with ``--lang`` says its invalid input in that language (:func:`said_error`).
    """
    with errors_said():
        return _run(argv)


def _run(argv: list[str] | None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    locale = asked_language(args)
    # built for this run: its help said in the language asked for (help_in)
    command = typer.main.get_command(app)
    try:
        with help_in(command, locale):
            return _invoke(command, help_args(command, args))
    except UsageError as exc:
        # As plain lines in every language, never in Typer's box: a narrow terminal, a
        # log or a pipe gets them whole (a box cuts a long path over several lines
        # between its borders), and they read the same in English and in Spanish.
        err.print(escape(say_usage_error(exc, locale)), highlight=False)
        return int(exc.exit_code)
    except (typer.Abort, EOFError):  # the input ended
        err.print("Aborted!", highlight=False)
        return 1
    except SystemExit as exc:
        if _caused_by_ctrl_c(exc):  # a library that turned Ctrl+C into an exit
            return _interrupted()
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
        return _interrupted()
    except BrokenPipeError:
        # whoever read the output stopped reading (``spasmwatch rules | head``): nothing
        # more to say; what is left unflushed goes nowhere, not into an error at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:
        if os.environ.get("SPASMWATCH_DEBUG"):
            raise
        if (plain := setup_problem(exc)) is not None:
            err.print(f"[bold red]Error:[/] {plain}", highlight=False)
            return 2
        err.print(
            f"[bold red]Unexpected error:[/] {type(exc).__name__}: {exc}\n"
            "Set SPASMWATCH_DEBUG=1 to see the details, and please report this.",
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


def _interrupted() -> int:
    # Straight to the process's standard error: a progress bar stopped mid-refresh can
    # leave Rich holding sys.stderr and what it is given.
    stream = sys.__stderr__ or sys.stderr
    stream.write(
        "Interrupted: stopped before the end (what it writes is written whole or not at all).\n"
    )
    stream.flush()
    return 130


def setup_problem(exc: BaseException) -> str | None:
    """A plain message for an error of the machine's setup rather than of spasmwatch: a
    file or folder that cannot be used, a database that cannot be reached or whose
    address is wrong. None for anything else (a bug, reported as one)."""
    if isinstance(exc, OSError) and exc.filename is not None:
        what = exc.strerror or type(exc).__name__
        hint = {
            "PermissionError": "check who may write there",
            "NotADirectoryError": "a file is where a folder should be",
            "FileExistsError": "something else is there already",
            "FileNotFoundError": "check the path",
        }.get(type(exc).__name__, "check the path")
        return f"{exc.filename}: {what} ({hint})"
    module = type(exc).__module__ or ""
    if module.startswith("sqlalchemy"):
        cause = getattr(exc, "orig", None) or exc
        first = str(cause).strip().splitlines()[0] if str(cause).strip() else type(exc).__name__
        if type(exc).__name__ in ("ArgumentError", "NoSuchModuleError"):
            return f"the database URL is not one spasmwatch can use: {first}"
        return f"the database cannot be used: {first} (check --database-url)"
    if isinstance(exc, ModuleNotFoundError) and exc.name and not exc.name.startswith("spasmwatch"):
        return (
            f"the database URL needs a driver that is not installed ({exc.name}); "
            "spasmwatch works with SQLite and PostgreSQL (postgresql+psycopg://...)"
        )
    return None


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``spasmwatch`` console script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    for handler in logging.getLogger().handlers:
        # Libraries (Dask) set their own loggers to INFO; only warnings reach the user.
        handler.setLevel(logging.WARNING)
    sys.exit(run(argv))
