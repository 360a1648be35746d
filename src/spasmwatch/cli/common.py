"""What every command group shares: the root Typer app, the consoles, the settings."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from spasmwatch import __version__

if TYPE_CHECKING:
    from spasmwatch.config import Settings
    from spasmwatch.store import Database

__all__ = [
    "app",
    "eeg_app",
    "err",
    "existing_database",
    "language",
    "out",
    "settings_from",
    "video_app",
]


def _flag_type(self: typer.core.TyperOption, ctx: object) -> str | None:
    """No type column for a flag: typer 0.29 shows ``<bool>`` after ``--json`` and
    ``--help``, which reads as if they took a value."""
    return None if self.is_flag else _option_type(self, ctx)


_option_type = typer.core.TyperOption.display_type_rich
typer.core.TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign,assignment]

app = typer.Typer(
    name="spasmwatch",
    help="Help for babies' brief movements: triage, video and EEG analysis.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
video_app = typer.Typer(
    help="Analyse a phone video for spasm-like movements.", no_args_is_help=True
)
eeg_app = typer.Typer(help="Analyse an EEG recording (EDF, EDF+, BDF).", no_args_is_help=True)
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
        False, "--version", callback=_version_callback, is_eager=True, help="Show the version."
    ),
) -> None:
    """Help for babies' brief movements: triage, video and EEG analysis."""


def language(
    lang: str,
) -> tuple[Callable[[str], str], Callable[[str, str, int], str]]:
    """The ``gettext`` and ``ngettext`` of a command's ``--lang`` (English: the messages
    as written); an unknown language is refused as ``triage --lang`` refuses it."""
    from spasmwatch.errors import SpasmwatchError
    from spasmwatch.i18n import LOCALES, translations

    if lang not in LOCALES:
        raise SpasmwatchError(
            f"Invalid value for '--lang': allowed are {', '.join(LOCALES)}; got {lang!r}"
        )
    catalog = translations(lang)
    return catalog.gettext, catalog.ngettext


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
    from spasmwatch.errors import SpasmwatchError
    from spasmwatch.store import Database
    from spasmwatch.store.db import sqlite_path

    settings = settings_from(data_dir, database_url)
    if settings.database_url is None:
        stored = sqlite_path(settings.data_dir)
        if not stored.is_file():
            raise SpasmwatchError(
                f"No spasmwatch data in {settings.data_dir}: it holds no {stored.name}. "
                "Check --data-dir (or SPASMWATCH_DATA_DIR); 'spasmwatch serve' makes a new one"
            )
    database = Database(settings)
    database.migrate()
    return database
