"""What every command group shares: the root Typer app, the consoles, the settings, and the
language of a command's words and errors (its ``--lang``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

from spasmwatch import __version__
from spasmwatch.errors import InvalidInput
from spasmwatch.i18n import DEFAULT_LOCALE, N_

if TYPE_CHECKING:
    from spasmwatch.config import Settings
    from spasmwatch.errors import SpasmwatchError
    from spasmwatch.store import Database

__all__ = [
    "CANNOT_READ",
    "CANNOT_READ_CASE_FILE",
    "CANNOT_WRITE",
    "CANNOT_WRITE_OUTPUTS",
    "CASE_FILE",
    "INVALID_OPTION",
    "NO_CASE_FILE",
    "NO_DATA",
    "STANDARD_INPUT",
    "InvalidOption",
    "app",
    "eeg_app",
    "err",
    "errors_language",
    "errors_said",
    "existing_database",
    "invalid_option",
    "language",
    "out",
    "said_error",
    "settings_from",
    "usage_mistake",
    "usage_mistakes",
    "video_app",
]


# Every help text is a catalog message: ``--lang es`` says the help pages in Spanish
# (:mod:`spasmwatch.cli.help_page`). ``spasmwatch`` alone shows its help page (what a new
# user types first); a group run without one of its commands (``spasmwatch video``) is a
# usage error like any other (the usage, where the help is, the commands to choose from:
# :func:`~spasmwatch.cli.usage.say_usage_error`).
app = typer.Typer(
    name="spasmwatch",
    help=N_("Help for babies' brief movements: triage, video and EEG analysis."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
video_app = typer.Typer(help=N_("Analyse a phone video for spasm-like movements."))
eeg_app = typer.Typer(help=N_("Analyse an EEG recording (EDF, EDF+, BDF)."))
app.add_typer(video_app, name="video")
app.add_typer(eeg_app, name="eeg")

out = Console()
# Messages are never wrapped: a file name broken over two lines cannot be copied or found.
err = Console(stderr=True, soft_wrap=True)


def _version_callback(value: bool) -> None:
    if value:
        out.print(f"spasmwatch {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help=N_("Show the version.")
    ),
    lang: str = typer.Option(
        DEFAULT_LOCALE,
        "--lang",
        help=N_(
            "Language of the messages and the help pages: en or es (default: the "
            "terminal's, from LANGUAGE, LC_ALL, LC_MESSAGES or LANG). Every command takes it."
        ),
    ),
) -> None:
    """The options of ``spasmwatch`` itself (its help is the app's). ``--lang`` is the
    command line's, read before Click reads the rest (:func:`~spasmwatch.cli.run`): it is
    here to be shown on the help page, and whatever command it is typed with takes it
    (:func:`~spasmwatch.cli.help_page.help_args`)."""


#: A command's option given a value it does not take (the command line's one spelling of
#: it; a catalog message, said in the command's ``--lang``).
INVALID_OPTION = N_("Invalid value for '%(option)s': allowed are %(allowed)s; got %(got)s")
#: A file a command could not write, or read (``why``: the system's words, which stay
#: English).
CANNOT_WRITE = N_("Cannot write %(path)s: %(why)s")
CANNOT_READ = N_("Cannot read %(path)s: %(why)s")
#: A folder a command could not write its outputs into.
CANNOT_WRITE_OUTPUTS = N_("%(path)s: cannot write the outputs (%(why)s)")
#: A data directory without the app's database (:func:`existing_database`).
NO_DATA = N_(
    "No spasmwatch data in %(folder)s: it holds no %(file)s. Check --data-dir (or "
    "SPASMWATCH_DATA_DIR); 'spasmwatch serve' makes a new one"
)
#: How a command names a case it reads, in the case's problems ("case file 'a.json': Missing
#: field 'child'", "standard input is not valid JSON ...").
CASE_FILE = N_("case file '%(path)s'")
STANDARD_INPUT = N_("standard input")
#: A case file that is not there, or cannot be read (``why``: the system's words).
NO_CASE_FILE = N_("case file '%(path)s' does not exist or is not a file")
CANNOT_READ_CASE_FILE = N_("case file '%(path)s' cannot be read: %(why)s")
#: The language a command's errors are said in: its ``--lang`` once :func:`language` has
#: accepted it, the command line's before (and for commands without one: its ``--lang``
#: or the terminal's language, :func:`errors_said`).
_errors_in: ContextVar[str] = ContextVar("spasmwatch_cli_errors_in", default=DEFAULT_LOCALE)


class InvalidOption(InvalidInput):
    """An option's value that a command refuses once it runs (a value not among those
    allowed), with the Click context of the command that refused it (``ctx``, None outside
    one): the command line says the command's usage and where its help is before it, as it
    does for a value Click itself refuses (:func:`~spasmwatch.cli.usage.usage_lines`)."""

    def __init__(self, message: str, /, ctx: Any = None, **params: object) -> None:
        super().__init__(message, **params)
        self.ctx = ctx


def invalid_option(option: str, allowed: tuple[str, ...] | list[str], got: str) -> InvalidOption:
    """The error for ``option`` given ``got``, a value not among ``allowed``: "Invalid
    value for '--paper': allowed are a4, letter; got 'a3'" (in the command's language when
    the command line prints it), with the running command's context for its usage."""
    return usage_mistake(INVALID_OPTION, option=option, allowed=", ".join(allowed), got=repr(got))


def usage_mistake(message: str, /, **params: object) -> InvalidOption:
    """A command typed wrongly that the running command finds itself (options that do not
    go together, a value it reads itself): ``message`` (a catalog message, with
    ``params``), said after the command's usage and where its help is, as a mistake Click
    finds is."""
    from typer._click.globals import get_current_context

    return InvalidOption(message, ctx=get_current_context(silent=True), **params)


@contextmanager
def usage_mistakes() -> Iterator[None]:
    """An :class:`~spasmwatch.errors.InvalidInput` raised inside (a library's check of a
    value the command line gave) said as a command typed wrongly (:func:`usage_mistake`)."""
    try:
        yield
    except InvalidOption:
        raise
    except InvalidInput as exc:
        raise usage_mistake(exc.message, **exc.params) from None


def language(
    lang: str,
) -> tuple[Callable[[str], str], Callable[[str, str, int], str]]:
    """The ``gettext`` and ``ngettext`` of a command's ``--lang`` (English: the messages
    as written); an unknown language is refused as ``triage --lang`` refuses it. From then
    on the command's errors are said in that language (:func:`said_error`): a command
    calls this before it checks its other options."""
    from spasmwatch.i18n import LOCALES, translations

    if lang not in LOCALES:
        raise invalid_option("--lang", LOCALES, lang)
    _errors_in.set(lang)
    catalog = translations(lang)
    return catalog.gettext, catalog.ngettext


@contextmanager
def errors_said(locale: str = DEFAULT_LOCALE) -> Iterator[None]:
    """One run of the command line: its errors in ``locale`` (the language the command line
    asks for, or the terminal's) until a command chooses its language (:func:`language`),
    and as before after it."""
    token = _errors_in.set(locale)
    try:
        yield
    finally:
        _errors_in.reset(token)


def errors_language() -> str:
    """The language the running command says its errors and words in (:func:`errors_said`,
    :func:`language`): a command without a ``--lang`` of its own says its words in it."""
    return _errors_in.get()


def _plain_messages() -> tuple[str, ...]:
    """The messages the commands' library calls raise as plain text, as templates."""
    from spasmwatch.store.repo import NO_CHILD

    return (CANNOT_WRITE, CANNOT_READ, CANNOT_WRITE_OUTPUTS, NO_CHILD)


def said_error(exc: SpasmwatchError) -> tuple[str, str]:
    """The word "Error" and ``exc``'s message in the command's language (its ``--lang``):
    a message with placeholders (:class:`~spasmwatch.errors.InvalidInput`) said with its
    values, a file the readers or analysers cannot read or analyse said as
    :mod:`spasmwatch.file_reasons` says it, an invalid case with each of its problems said
    (:func:`spasmwatch.case.say_problem`: the field paths and values as written), a message
    made from a known template or a fixed one looked up in the catalog; English where the
    language has no words for it."""
    from spasmwatch.errors import AnalysisError, InvalidCase, UnreadableFile
    from spasmwatch.i18n import match_message, translations

    locale, message = _errors_in.get(), str(exc)
    if locale == DEFAULT_LOCALE:
        return "Error", message
    gettext = translations(locale).gettext
    word = gettext("Error")
    if isinstance(exc, InvalidInput) and exc.params:
        try:
            return word, gettext(exc.message) % exc.params
        except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
            return word, message
    if isinstance(exc, UnreadableFile | AnalysisError):
        from spasmwatch.file_reasons import say_file_message

        if said := say_file_message(message, gettext, locale):
            return word, said
    if isinstance(exc, InvalidCase):
        from spasmwatch.case import say_problem

        def say(problem: str) -> str:
            return say_problem(
                problem,
                gettext,
                locale,
                sources=(CASE_FILE, STANDARD_INPUT),
                also=(NO_CASE_FILE, CANNOT_READ_CASE_FILE),
            )

        return word, exc.said(gettext, say)
    found = match_message(message, _plain_messages())
    if found is not None:
        template, values = found
        return word, gettext(template) % values
    return word, gettext(message)


def settings_from(data_dir: Path | None, database_url: str | None) -> Settings:
    """The settings from the environment, with the command's options over them."""
    from spasmwatch.config import Settings

    base = Settings.from_env()
    # Every other setting (upload limit, emergency number, ...) comes from the environment.
    return dataclasses.replace(
        base,
        data_dir=data_dir or base.data_dir,
        database_url=database_url or base.database_url,
    )


def existing_database(data_dir: Path | None, database_url: str | None) -> Database:
    """The app's database for a command that reads it (backup, report, export, import,
    reset-password). On the default SQLite one, a data directory without the app's
    database is refused instead of made: a mistyped ``--data-dir`` would otherwise give an
    empty diary (and an empty backup written over a good one)."""
    from spasmwatch.store import Database
    from spasmwatch.store.db import sqlite_path

    settings = settings_from(data_dir, database_url)
    if settings.database_url is None:
        stored = sqlite_path(settings.data_dir)
        if not stored.is_file():
            raise InvalidInput(NO_DATA, folder=settings.data_dir, file=stored.name)
    database = Database(settings)
    database.migrate()
    return database
