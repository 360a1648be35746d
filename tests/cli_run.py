"""The command line run as a person runs it: ``python -m spasmwatch`` in a fresh process, on
a terminal of a known width without colours, so that what it prints is what a test reads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

__all__ = ["ROOT", "cli"]

#: The repository, where the commands run (the examples are found from there).
ROOT = Path(__file__).resolve().parent.parent


def cli(
    *args: str, stdin: str | None = None, columns: int = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``spasmwatch *args`` in a fresh process, on a terminal ``columns`` wide; ``env``: the
    whole environment instead (a terminal's language, a width of its own)."""
    terminal = {"PATH": "/usr/bin:/bin", "COLUMNS": str(columns), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "spasmwatch", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=terminal if env is None else env,
        timeout=120,
    )
