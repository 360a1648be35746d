"""Batch throughput on Dask: files per minute with 1 and 2 workers, and the overhead per
file against calling the library function directly in a loop.

Writes a set of synthetic EDF recordings (19 channels, 256 Hz) into a temporary folder,
then times: a plain loop of ``analyze_eeg``; ``run_batch`` on a LocalCluster with 1 worker;
the same with 2 workers (a fresh results folder each time, cluster start-up included).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
from edfio import Edf, EdfSignal

from spasmwatch.batch import BatchSettings, run_batch
from spasmwatch.eeg import analyze_eeg

CHANNELS = (
    "Fp1",
    "Fp2",
    "F3",
    "F4",
    "F7",
    "F8",
    "Fz",
    "C3",
    "C4",
    "Cz",
    "T3",
    "T4",
    "T5",
    "T6",
    "P3",
    "P4",
    "Pz",
    "O1",
    "O2",
)


def write_recordings(folder: Path, count: int, minutes: float) -> list[Path]:
    n = int(minutes * 60 * 256)
    paths = []
    for i in range(count):
        rng = np.random.default_rng(i)
        t = np.arange(n) / 256
        signals = [
            EdfSignal(
                rng.normal(0, 25, n) + 40 * np.sin(2 * np.pi * (1 + j % 5) * t),
                sampling_frequency=256,
                label=f"EEG {name}",
                physical_dimension="uV",
                physical_range=(-2000, 2000),
            )
            for j, name in enumerate(CHANNELS)
        ]
        path = folder / f"rec{i:03d}.edf"
        Edf(signals).write(path)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=24)
    parser.add_argument("--minutes", type=float, default=5.0)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory(prefix="spasmwatch-batch-bench-") as tmp:
        folder = Path(tmp) / "recordings"
        folder.mkdir()
        paths = write_recordings(folder, args.files, args.minutes)
        print(f"{len(paths)} EDF files of {args.minutes:g} min, 19 channels, 256 Hz")

        start = time.perf_counter()
        for path in paths:
            analyze_eeg(path)
        direct = time.perf_counter() - start
        print(f"direct loop:        {direct:7.1f} s  {len(paths) / direct * 60:6.1f} files/min")

        timings = {}
        for workers in (1, 2):
            out = Path(tmp) / f"results-{workers}"
            start = time.perf_counter()
            result = run_batch(folder, "eeg", out, BatchSettings(workers=workers))
            elapsed = time.perf_counter() - start
            if result.done != len(paths):
                raise SystemExit(f"batch with {workers} worker(s) failed: {result.rows}")
            timings[workers] = elapsed
            print(
                f"batch, {workers} worker{'s' if workers > 1 else ' '}:   {elapsed:7.1f} s  "
                f"{len(paths) / elapsed * 60:6.1f} files/min"
            )
        overhead = (timings[1] - direct) / len(paths)
        print(f"overhead per file (1 worker vs direct loop, start-up included): {overhead:.2f} s")
        print(f"speed-up 2 workers vs 1: {timings[1] / timings[2]:.2f}x")


if __name__ == "__main__":
    main()
