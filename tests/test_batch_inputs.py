"""What ``spasmwatch batch`` says of an input that is not a folder or a list of files: one
recording (refused, with the command for one file), a path that does not exist, a file
that is not text. Nothing is analysed and no results folder is made."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spasmwatch.batch import discover_files
from spasmwatch.errors import SpasmwatchError
from spasmwatch.testing.helsinki import HELSINKI


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "spasmwatch", "batch", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "300"},
        timeout=120,
    )


def test_one_recording_is_refused_with_the_command_for_one_file(tmp_path: Path) -> None:
    """The clinic's ``spasmwatch batch eeg two/eeg1.edf``: an EDF's bytes are no list of
    files ("'utf-8' codec can't decode byte 0xfd" said nothing useful)."""
    (tmp_path / "two").mkdir()
    shutil.copyfile(HELSINKI / "clips" / "eeg1.edf", tmp_path / "two" / "eeg1.edf")
    refused = cli("eeg", "two/eeg1.edf", "--out", "results", cwd=tmp_path)
    assert refused.returncode == 2, refused.stdout + refused.stderr
    said = " ".join(refused.stderr.split())
    assert (
        "Error: two/eeg1.edf is a recording, not a folder or a list of files; give its "
        "folder, or run `spasmwatch eeg analyze` for one file"
    ) in said
    assert "codec" not in said and "Traceback" not in said
    assert not (tmp_path / "results").exists()


@pytest.mark.parametrize(
    ("name", "kind", "command"),
    [
        ("night.EDF", "eeg", "spasmwatch eeg analyze"),
        ("night.bdf", "video", "spasmwatch eeg analyze"),  # the file's kind, not the batch's
        ("clip.mp4", "video", "spasmwatch video analyze"),
        ("clip.MOV", "eeg", "spasmwatch video analyze"),
    ],
)
def test_a_recording_of_either_kind_is_named_as_one(
    tmp_path: Path, name: str, kind: str, command: str
) -> None:
    recording = tmp_path / name
    recording.write_bytes(b"\x00\xfd\xff not text")
    with pytest.raises(SpasmwatchError) as refused:
        discover_files(recording, kind)
    assert str(refused.value) == (
        f"{recording} is a recording, not a folder or a list of files; give its folder, "
        f"or run `{command}` for one file"
    )


def test_a_path_that_does_not_exist_is_said_so(tmp_path: Path) -> None:
    refused = cli("eeg", "two/eeg9.edf", "--out", "results", cwd=tmp_path)
    assert refused.returncode == 2
    assert "Error: two/eeg9.edf does not exist: give a folder of recordings or a list of files" in (
        " ".join(refused.stderr.split())
    )
    assert "neither" not in refused.stderr and not (tmp_path / "results").exists()


def test_a_file_that_is_not_text_is_no_list(tmp_path: Path) -> None:
    blob = tmp_path / "recordings.dat"
    blob.write_bytes(b"\x00\xfd\xff\xfe binary")
    with pytest.raises(SpasmwatchError) as refused:
        discover_files(blob, "eeg")
    said = str(refused.value)
    assert said.startswith(f"{blob} is not a list of files: it is not text")
    assert "spasmwatch eeg analyze" in said and "codec" not in said


def test_a_list_of_files_is_still_read(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("# the night\nnight.edf\n\n/abs/other.edf\n", encoding="utf-8")
    assert discover_files(listing, "eeg") == [tmp_path / "night.edf", Path("/abs/other.edf")]
