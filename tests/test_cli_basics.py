"""The command line's version and exit codes."""

from __future__ import annotations

import os
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


def test_help_shows_no_type_after_a_flag() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "spasmwatch", "eeg", "analyze", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "150"},
    )
    assert proc.returncode == 0
    json_line = next(line for line in proc.stdout.splitlines() if "--json" in line)
    assert "<bool>" not in proc.stdout and "<path>" in proc.stdout  # values keep their type
    assert "Print the analysis" in json_line
