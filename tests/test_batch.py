"""Batch analysis on real Dask clusters: a LocalCluster of processes, and a separately
started scheduler and worker on loopback."""

from __future__ import annotations

import csv
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import av
import numpy as np
import pandas as pd
import pytest
from edfio import Edf, EdfSignal

from spasmwatch.batch import (
    BatchSettings,
    analyse_file,
    discover_files,
    read_summary,
    run_batch,
)
from spasmwatch.errors import SpasmwatchError

CHANNELS = ("Fp1", "Fp2", "C3", "C4", "O1", "O2")


def write_edf(path: Path, seconds: int, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    signals = [
        EdfSignal(
            rng.normal(0, 30, seconds * 256),
            sampling_frequency=256,
            label=f"EEG {name}",
            physical_dimension="uV",
            physical_range=(-1000, 1000),
        )
        for name in CHANNELS
    ]
    Edf(signals).write(path)
    return path


def write_video(path: Path, seconds: float, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    background = rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        for i in range(int(seconds * 15)):
            frame = background.copy()
            x = 20 + int(40 * np.sin(i / 3))
            frame[40:80, x : x + 30] = 255
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


@pytest.fixture(scope="module")
def eeg_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("eeg")
    for i in range(4):
        write_edf(folder / f"night{i}.edf", 20, seed=i)
    (folder / "sub").mkdir()
    write_edf(folder / "sub" / "deep.EDF", 20, seed=9)
    good = (folder / "night0.edf").read_bytes()
    (folder / "truncated.edf").write_bytes(good[: len(good) // 3])
    (folder / "notes.edf").write_text("this is a text file, not an EDF recording\n")
    (folder / "README.txt").write_text("ignored: not an EEG file name")
    return folder


@pytest.fixture(scope="module")
def video_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("video")
    write_video(folder / "a.mp4", 2.0, seed=1)
    write_video(folder / "b.mp4", 2.5, seed=2)
    (folder / "broken.mp4").write_bytes(os.urandom(5000))
    return folder


def summary(out: Path) -> list[dict[str, str]]:
    with (out / "summary.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def test_discovery_by_folder_and_list(eeg_dir: Path, tmp_path: Path) -> None:
    found = discover_files(eeg_dir, "eeg")
    assert len(found) == 7 and all(p.suffix.lower() == ".edf" for p in found)
    listing = tmp_path / "files.txt"
    listing.write_text(f"# two files\n{eeg_dir / 'night1.edf'}\n\n{eeg_dir / 'notes.edf'}\n")
    assert discover_files(listing, "eeg") == [eeg_dir / "night1.edf", eeg_dir / "notes.edf"]


def test_eeg_batch_on_a_local_cluster_records_failures_and_resumes(
    eeg_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "results"
    first = run_batch(eeg_dir, "eeg", out, BatchSettings(workers=2, timeout_s=120))
    assert (first.total, first.done, first.failed, first.skipped) == (7, 5, 2, 0)
    rows = {Path(r["file"]).name: r for r in summary(out)}
    assert set(rows) == {
        "night0.edf",
        "night1.edf",
        "night2.edf",
        "night3.edf",
        "deep.EDF",
        "truncated.edf",
        "notes.edf",
    }
    for name in ("night0.edf", "deep.EDF"):
        assert rows[name]["status"] == "ok" and float(rows[name]["duration_s"]) == 20.0
        result = json.loads((out / "results" / f"{rows[name]['sha256']}.json").read_text())
        assert result["recording"]["sfreq"] == 256.0
    assert (
        rows["truncated.edf"]["status"] == "failed"
        and "truncated.edf" in rows["truncated.edf"]["error"]
    )
    assert rows["notes.edf"]["status"] == "failed" and rows["notes.edf"]["error"]
    table = pd.read_parquet(out / "summary.parquet")
    assert len(table) == 7 and set(table["status"]) == {"ok", "failed"}

    second = run_batch(eeg_dir, "eeg", out, BatchSettings(workers=2))
    assert (second.done, second.failed, second.skipped) == (0, 0, 7)
    assert second.failed_before == 2  # still failed: the run says so (and exits 1)
    assert len(summary(out)) == 7
    # results made at one sensitivity are never mixed with another's
    assert json.loads((out / "batch.json").read_text()) == {"eeg": {"sensitivity": "normal"}}
    with pytest.raises(SpasmwatchError, match=r"sensitivity normal.*--sensitivity normal"):
        run_batch(eeg_dir, "eeg", out, BatchSettings(workers=2, sensitivity="high"))
    assert len(summary(out)) == 7


def test_video_batch(video_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "results"
    result = run_batch(video_dir, "video", out, BatchSettings(workers=2, timeout_s=120))
    assert (result.done, result.failed) == (2, 1)
    rows = {Path(r["file"]).name: r for r in summary(out)}
    assert rows["a.mp4"]["status"] == "ok" and float(rows["a.mp4"]["duration_s"]) == pytest.approx(
        2.0, abs=0.2
    )
    assert rows["broken.mp4"]["status"] == "failed" and "broken.mp4" in rows["broken.mp4"]["error"]


def test_a_file_that_takes_too_long_times_out_and_the_next_one_works(
    eeg_dir: Path, tmp_path: Path
) -> None:
    slow = analyse_file(
        "eeg", str(eeg_dir / "night0.edf"), "x" * 64, str(tmp_path), BatchSettings(timeout_s=0.001)
    )
    assert slow["status"] == "timeout" and "longer than" in slow["error"]
    fine = analyse_file(
        "eeg", str(eeg_dir / "night1.edf"), "y" * 64, str(tmp_path), BatchSettings(timeout_s=120)
    )
    assert fine["status"] == "ok"


def cli(*args: str, **kw: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "spasmwatch", "batch", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, "COLUMNS": "200"},
        **kw,  # type: ignore[arg-type]
    )


def test_an_interrupted_run_resumes(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(10):
        write_edf(folder / f"rec{i:02d}.edf", 60, seed=100 + i)
    out = tmp_path / "results"
    proc = cli("eeg", str(folder), "--out", str(out), "--workers", "1")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if (out / "summary.csv").is_file() and len(summary(out)) >= 2:
            break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    interrupted = len(summary(out))
    assert 2 <= interrupted < 10
    resumed = cli("eeg", str(folder), "--out", str(out), "--workers", "1")
    stdout, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    assert f"{interrupted} skipped" in stdout
    rows = summary(out)
    assert sorted(Path(r["file"]).name for r in rows) == [f"rec{i:02d}.edf" for i in range(10)]
    assert all(r["status"] == "ok" for r in rows)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_against_a_separately_started_scheduler(eeg_dir: Path, tmp_path: Path) -> None:
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    scheduler = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "distributed.cli.dask_worker",
            address,
            "--nthreads",
            "1",
            "--no-dashboard",
            "--name",
            "loopback-worker",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    try:
        from dask.distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
        out = tmp_path / "results"
        run = cli("eeg", str(eeg_dir), "--out", str(out), "--scheduler", address)
        stdout, stderr = run.communicate(timeout=300)
        assert run.returncode == 1, stderr  # some files failed
        assert "5 analysed, 2 failed" in stdout
        # each failure says its file once
        failures = [line for line in stdout.splitlines() if line.startswith("  failed")]
        assert len(failures) == 2
        assert all(line.count(str(eeg_dir)) == 1 for line in failures), failures
        assert {r["status"] for r in summary(out)} == {"ok", "failed"}
    finally:
        for proc in (worker, scheduler):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def test_unreachable_scheduler_is_a_clear_error(eeg_dir: Path, tmp_path: Path) -> None:
    run = cli(
        "eeg",
        str(eeg_dir),
        "--out",
        str(tmp_path / "r"),
        "--scheduler",
        f"tcp://127.0.0.1:{free_port()}",
    )
    _, stderr = run.communicate(timeout=120)
    assert run.returncode == 2 and "Cannot reach the Dask scheduler" in stderr
    assert "Traceback" not in stderr


def test_bad_arguments(tmp_path: Path) -> None:
    run = cli("audio", str(tmp_path), "--out", str(tmp_path / "r"))
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 2 and "allowed are video, eeg" in stderr
    run = cli("eeg", str(tmp_path / "missing"), "--out", str(tmp_path / "r"))
    _, stderr = run.communicate(timeout=60)
    assert run.returncode == 2 and f"{tmp_path / 'missing'} does not exist" in stderr


def test_same_content_under_other_names_gets_a_row_each_and_is_analysed_once(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_edf(folder / "a.edf", 20, seed=1)
    (folder / "copy-of-a.edf").write_bytes((folder / "a.edf").read_bytes())
    out = tmp_path / "results"
    first = run_batch(folder, "eeg", out, BatchSettings(workers=1, timeout_s=120))
    assert (first.total, first.done, first.skipped) == (2, 2, 0)
    rows = summary(out)
    assert sorted(Path(r["file"]).name for r in rows) == ["a.edf", "copy-of-a.edf"]
    assert len({r["sha256"] for r in rows}) == 1 and len(list((out / "results").iterdir())) == 1
    # a third name later: a row of its own, nothing analysed
    (folder / "again.edf").write_bytes((folder / "a.edf").read_bytes())
    second = run_batch(folder, "eeg", out, BatchSettings(workers=1))
    assert (second.done, second.failed, second.skipped) == (0, 0, 3)
    assert sorted(Path(r["file"]).name for r in summary(out)) == [
        "a.edf",
        "again.edf",
        "copy-of-a.edf",
    ]
    assert len(pd.read_parquet(out / "summary.parquet")) == 3


def test_a_timeout_is_tried_again_by_the_next_run(eeg_dir: Path, tmp_path: Path) -> None:
    listing = tmp_path / "two.txt"
    listing.write_text(f"{eeg_dir / 'night1.edf'}\n{eeg_dir / 'notes.edf'}\n")
    out = tmp_path / "results"
    first = run_batch(listing, "eeg", out, BatchSettings(workers=1, timeout_s=0.001))
    assert first.failed == 2
    statuses = {Path(r["file"]).name: r["status"] for r in summary(out)}
    assert statuses["night1.edf"] == "timeout"
    second = run_batch(listing, "eeg", out, BatchSettings(workers=1, timeout_s=120))
    rows = {Path(r["file"]).name: r for r in summary(out)}
    assert len(summary(out)) == 2  # one row per file: the earlier timeout is replaced
    assert rows["night1.edf"]["status"] == "ok"
    if statuses["notes.edf"] == "failed":  # an unreadable file is not tried again
        assert second.skipped == 1 and rows["notes.edf"]["status"] == "failed"


def test_nothing_to_analyse_is_an_error_that_writes_nothing(eeg_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SpasmwatchError, match=r"No eeg files in .*empty.*\.edf"):
        run_batch(empty, "eeg", tmp_path / "r")
    with pytest.raises(SpasmwatchError, match=r"No video files .*holds 7 eeg files: use "):
        run_batch(eeg_dir, "video", tmp_path / "r")
    listing = tmp_path / "none.txt"
    listing.write_text("# nothing yet\n")
    with pytest.raises(SpasmwatchError, match="names no files"):
        run_batch(listing, "eeg", tmp_path / "r")
    assert not (tmp_path / "r").exists()
    run = cli("eeg", str(empty), "--out", str(tmp_path / "r"))
    stdout, stderr = run.communicate(timeout=60)
    assert run.returncode == 2 and "No eeg files" in stderr and "summary" not in stdout


def test_two_runs_into_one_folder_are_refused(eeg_dir: Path, tmp_path: Path) -> None:
    import fcntl

    out = tmp_path / "results"
    out.mkdir()
    with (out / ".batch.lock").open("a") as held:  # another run holds the folder
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(SpasmwatchError, match="another batch run"):
            run_batch(eeg_dir, "eeg", out)
    assert not (out / "summary.csv").exists()


@pytest.mark.parametrize("left", ["", "sha256,fi"])
def test_a_summary_left_without_its_header_is_begun_again(
    eeg_dir: Path, tmp_path: Path, left: str
) -> None:
    """A stop between creating summary.csv and writing its first line leaves it empty (or,
    on a full disk, half a header): the next run starts the table over, header first."""
    out = tmp_path / "results"
    first = run_batch(eeg_dir, "eeg", out, BatchSettings(workers=1))
    assert first.done >= 1
    (out / "summary.csv").write_text(left)
    assert read_summary(out / "summary.csv") == []  # what evaluate reads too: no rows
    again = run_batch(eeg_dir, "eeg", out, BatchSettings(workers=1))
    rows = summary(out)
    assert again.skipped == 0 and again.total == first.total and len(rows) == first.total
    assert {"file", "sha256", "status"} <= set(rows[0])
    assert sorted(r["file"] for r in rows) == sorted({r["file"] for r in rows})


def test_ctrl_c_stops_the_run_cleanly_and_it_resumes(tmp_path: Path) -> None:
    folder = tmp_path / "long"
    folder.mkdir()
    for i in range(4):
        write_edf(folder / f"night{i}.edf", 2 * 3600, seed=200 + i)
    out = tmp_path / "results"
    # as from a terminal: Ctrl+C not ignored (a shell's background jobs ignore it)
    proc = cli(
        "eeg",
        str(folder),
        "--out",
        str(out),
        "--workers",
        "1",
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (out / "summary.csv").is_file():
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal sends it to the whole group
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "run the same command again" in " ".join(stderr.split())
    assert "Interrupted:" not in stderr  # said once, by the batch itself
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    finished = len(summary(out))
    assert finished < 4
    resumed = cli("eeg", str(folder), "--out", str(out), "--workers", "1")
    stdout, stderr = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, stderr
    assert f"{finished} skipped" in stdout and len(summary(out)) == 4
