"""The ``spasmwatch`` command line (Typer + Rich).

Each command calls one library function and formats its result. Errors a user can cause
(:class:`~spasmwatch.errors.SpasmwatchError`) are printed as one clear message and exit
with status 2; anything unexpected exits with status 1, without a traceback unless
``SPASMWATCH_DEBUG=1`` is set.
"""

from __future__ import annotations

import logging
import os
import sys

import typer
from rich.console import Console

from spasmwatch import __version__
from spasmwatch.errors import SpasmwatchError

log = logging.getLogger("spasmwatch")

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
err = Console(stderr=True)


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


# ---------------------------------------------------------------- triage commands
# ---------------------------------------------------------------- end triage commands

# ---------------------------------------------------------------- video commands
# ---------------------------------------------------------------- end video commands

# ---------------------------------------------------------------- eeg commands
# ---------------------------------------------------------------- end eeg commands


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit status.

    0 success, 2 invalid input (a clear message, no traceback), 1 unexpected error.
    """
    try:
        app(args=argv, prog_name="spasmwatch")
    except SystemExit as exc:
        if exc.code is None:
            return 0
        return exc.code if isinstance(exc.code, int) else 1
    except SpasmwatchError as exc:
        err.print(f"[bold red]Error:[/] {exc}", highlight=False)
        return 2
    except KeyboardInterrupt:
        err.print("Interrupted.")
        return 130
    except Exception as exc:
        if os.environ.get("SPASMWATCH_DEBUG"):
            raise
        err.print(
            f"[bold red]Unexpected error:[/] {type(exc).__name__}: {exc}\n"
            "Set SPASMWATCH_DEBUG=1 to see the details, and please report this.",
            highlight=False,
        )
        return 1
    return 0


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``spasmwatch`` console script."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    sys.exit(run(argv))
