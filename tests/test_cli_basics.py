"""The command line's version and exit codes."""

from __future__ import annotations

import subprocess
import sys

from spasmwatch import __version__
from spasmwatch.cli import run


def test_version(capsys) -> None:
    assert run(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


def test_unknown_command_is_usage_error() -> None:
    assert run(["no-such-command"]) == 2


def test_module_entry_point() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "spasmwatch", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert __version__ in proc.stdout
