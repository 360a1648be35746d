"""``--out`` folders: a run's files arrive whole, replace the last run's, and nothing else."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from spasmwatch.errors import SpasmwatchError
from spasmwatch.outfolder import MANIFEST, staged_outputs


def _write(folder: Path, files: dict[str, str]) -> None:
    with staged_outputs(folder) as stage:
        for name, text in files.items():
            (stage / name).write_text(text)


def test_files_arrive_with_a_list_of_them(tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"  # made when missing
    _write(out, {"analysis.json": "{}", "a.png": "a"})
    assert sorted(p.name for p in out.iterdir()) == sorted([MANIFEST, "a.png", "analysis.json"])
    assert json.loads((out / MANIFEST).read_text()) == ["a.png", "analysis.json"]


def test_a_run_that_fails_leaves_the_earlier_files(tmp_path: Path) -> None:
    _write(tmp_path, {"analysis.json": "first", "a.png": "first"})
    with pytest.raises(RuntimeError), staged_outputs(tmp_path) as stage:
        (stage / "analysis.json").write_text("second")
        raise RuntimeError("stopped half way")
    assert (tmp_path / "analysis.json").read_text() == "first"
    assert (tmp_path / "a.png").read_text() == "first"
    assert not [p for p in tmp_path.iterdir() if p.is_dir()]


def test_only_the_earlier_runs_own_files_are_removed(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("a file of the user's")
    _write(tmp_path, {"analysis.json": "1", "clip_1.mp4": "1", "clip_2.mp4": "1"})
    _write(tmp_path, {"analysis.json": "2", "clip_1.mp4": "2"})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [MANIFEST, "analysis.json", "clip_1.mp4", "mine.txt"]
    )
    assert (tmp_path / "clip_1.mp4").read_text() == "2"


def test_a_list_naming_files_elsewhere_removes_nothing_there(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "precious.txt").write_text("keep")
    (out / "keep.txt").write_text("keep")
    (out / MANIFEST).write_text(json.dumps(["../precious.txt", str(out / "keep.txt"), ".."]))
    _write(out, {"analysis.json": "{}"})
    assert (tmp_path / "precious.txt").is_file() and (out / "keep.txt").is_file()
    (out / MANIFEST).write_text("not json")  # a damaged list is read as empty
    _write(out, {"analysis.json": "{}"})
    assert (out / "keep.txt").is_file()


def test_folders_of_stopped_runs_are_removed_and_running_ones_kept(tmp_path: Path) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    stopped = tmp_path / f".partial-{gone.stdout.strip()}-abc"
    running = tmp_path / f".partial-{os.getpid()}-xyz"
    for d in (stopped, running):
        d.mkdir()
        (d / "analysis.json").write_text("half")
    _write(tmp_path, {"analysis.json": "{}"})
    assert not stopped.exists() and running.is_dir()


def test_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("in the way")
    with pytest.raises(SpasmwatchError, match=r"Cannot write into the output folder .*file"):
        _write(blocker / "out", {"analysis.json": "{}"})


def test_eeg_outputs_are_kept_when_a_later_run_fails(
    shared_eeg_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spasmwatch.eeg import analyze_eeg, plots

    analysis = analyze_eeg(shared_eeg_dir / "real_infant/eeg_burst_eg.edf")
    written = analysis.write_outputs(tmp_path)
    assert all(p.parent == tmp_path and p.is_file() for p in written)
    before = {p.name: p.read_bytes() for p in written}

    def broken(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(plots, "plot_spectrogram", broken)
    with pytest.raises(OSError):
        analysis.write_outputs(tmp_path)
    assert {p.name: p.read_bytes() for p in written} == before
