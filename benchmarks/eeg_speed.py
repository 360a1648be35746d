"""Speed and memory of the EEG analysis on a synthetic 24 h, 21-channel, 256 Hz EDF.

The EDF is written here, into a temporary folder that is deleted afterwards, one hour at
a time (it is 0.9 GB). The script prints, in one run:

- the time to read the raw samples with plain numpy (``np.fromfile`` of the whole data
  section, int16), twice: first from the disk (the file's pages dropped from the page
  cache with ``posix_fadvise``, where the system allows it) and then again from the page
  cache; the ratio is given against each, the analysis itself starting from the disk
  too (its pages dropped again), as a recording copied from an EEG machine would;
- the time of the whole analysis (``analyze_eeg``, default seizure detector), run in a
  child process so that its peak memory (max RSS) is measured on its own;
- their ratio (target <= 40) and the peak memory (target < 4 GB);
- the CPU time of the analysis (all its threads) and the load average, since on a
  shared machine the wall time depends on what else runs.

Run from the repository root: ``.venv/bin/python benchmarks/eeg_speed.py [--hours H]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.ndimage import uniform_filter1d

LABELS = [
    "Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4", "O1", "O2", "F7", "F8",
    "T3", "T4", "T5", "T6", "Fz", "Cz", "Pz", "ECG", "Resp",
]  # fmt: skip
FS = 256
RANGE_UV = 3276.7  # 0.1 µV per digital step


def _field(value: object, width: int) -> bytes:
    return f"{value}".ljust(width)[:width].encode("ascii")


def write_synthetic_edf(path: Path, hours: float, seed: int = 0) -> int:
    """Write a 21-channel EDF of ``hours`` hours: 1/f-like noise, delta bursts, spikes.

    Returns the header size in bytes.
    """
    ns = len(LABELS)
    n_records = int(hours * 3600)
    head = b"".join(
        [
            _field(0, 8),
            _field("X X X synthetic", 80),
            _field("Startdate 21-NOV-2026 X X spasmwatch_benchmark", 80),
            _field("21.11.26", 8),
            _field("07.00.00", 8),
            _field(256 * (ns + 1), 8),
            _field("", 44),
            _field(n_records, 8),
            _field(1, 8),
            _field(ns, 4),
        ]
    )
    cols = [
        [_field(f"EEG {lab}-REF" if i < 19 else lab, 16) for i, lab in enumerate(LABELS)],
        [_field("AgAgCl electrode", 80)] * ns,
        [_field("uV", 8)] * ns,
        [_field(-RANGE_UV, 8)] * ns,
        [_field(RANGE_UV, 8)] * ns,
        [_field(-32767, 8)] * ns,
        [_field(32767, 8)] * ns,
        [_field("HP:0.5Hz LP:70Hz", 80)] * ns,
        [_field(FS, 8)] * ns,
        [_field("", 32)] * ns,
    ]
    header = head + b"".join(b"".join(c) for c in cols)
    rng = np.random.default_rng(seed)
    t = np.arange(3600 * FS) / FS
    with path.open("wb") as f:
        f.write(header)
        for hour in range(int(np.ceil(hours))):
            n_sec = min(3600, n_records - hour * 3600)
            white = rng.normal(0, 1, (ns, 3600 * FS)).astype(np.float32)
            # background: low-pass noise (about 15 µV SD, mostly below 8 Hz) plus 3 µV white
            x = 80 * uniform_filter1d(white, 32, axis=1) + 3 * white
            x += 40 * np.sin(2 * np.pi * 1.5 * t)[None] * (np.sin(2 * np.pi * t / 900) > 0.7)
            spikes = rng.integers(0, 3600 * FS - 20, 400)
            x[rng.integers(0, 19, 400)[:, None], spikes[:, None] + np.arange(10)] += 120
            x = x[:, : n_sec * FS]
            digital = np.clip(np.round(x / RANGE_UV * 32767), -32767, 32767).astype("<i2")
            # data records of 1 s: [ch0 256 samples, ch1 256 samples, ...]
            records = digital.reshape(ns, n_sec, FS).transpose(1, 0, 2)
            f.write(np.ascontiguousarray(records).tobytes())
    return len(header)


_CHILD = """
import json, resource, sys, time
t0 = time.perf_counter()
from spasmwatch.eeg import analyze_eeg
a = analyze_eeg(sys.argv[1])
wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"wall_s": wall, "timings": a.timings, "maxrss_kb": ru.ru_maxrss,
    "cpu_s": ru.ru_utime + ru.ru_stime, "events": len(a.events),
    "summary": a.to_dict()["summary"], "detector": a.sz_detector,
    "based": a.background.based_like_score, "epochs": a.features.n_epochs}))
"""


def _drop_from_cache(path: Path) -> bool:
    """Write the file's pages out and ask the kernel to drop them from the page cache;
    whether that could be asked."""
    if not hasattr(os, "posix_fadvise"):
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def _raw_read(path: Path, header: int) -> tuple[float, int]:
    """Seconds to read the data section as int16 with numpy, and a checksum."""
    t0 = time.perf_counter()
    raw = np.fromfile(path, dtype="<i2", offset=header)
    seconds = time.perf_counter() - t0
    return seconds, int(raw[:: 1 << 20].sum())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=24.0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="eeg-speed-") as tmp:
        path = Path(tmp) / "synthetic_24h.edf"
        t0 = time.perf_counter()
        header = write_synthetic_edf(path, args.hours)
        size = path.stat().st_size
        print(f"wrote {path.name}: {args.hours:g} h, 21 channels, 256 Hz, "
              f"{size / 1e9:.2f} GB in {time.perf_counter() - t0:.1f} s")  # fmt: skip
        dropped = _drop_from_cache(path)
        cold_s, checksum = _raw_read(path, header)
        warm_s, _ = _raw_read(path, header)
        where = "from the disk" if dropped else "page cache could not be dropped"
        print(f"raw numpy read (np.fromfile, int16): {cold_s:.2f} s ({where}), "
              f"{warm_s:.2f} s from the page cache  (checksum {checksum})")  # fmt: skip
        read_s = cold_s
        _drop_from_cache(path)
        env = dict(os.environ)
        load0 = os.getloadavg()[0]
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if proc.returncode != 0:
            print(proc.stderr)
            return 1
        res = json.loads(proc.stdout.strip().splitlines()[-1])
        peak_gb = res["maxrss_kb"] * 1024 / 1e9
        children_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 / 1e9
        ratio = res["wall_s"] / read_s
        print(
            f"whole analysis (analyze_eeg, incl. imports): {res['wall_s']:.1f} s "
            f"(reading samples {res['timings']['read_s']:.1f} s, "
            f"analysis {res['timings']['analysis_s']:.1f} s), {res['epochs']} epochs, "
            f"seizure detector {res['detector']}, {res['events']} events "
            f"({res['summary']['sz']} sz, {res['summary']['decrement']} decrement), "
            f"BASED-like {res['based']}"
        )
        print(
            f"CPU time of the analysis (user + system, all threads): {res['cpu_s']:.1f} s; "
            f"load average before / after: {load0:.1f} / {os.getloadavg()[0]:.1f} "
            f"on {os.cpu_count()} cores"
        )
        print(f"ratio analysis / raw read: {ratio:.1f}x  (target <= 40x: "
              f"{'met' if ratio <= 40 else 'NOT met'}); against the read from the page "
              f"cache {res['wall_s'] / warm_s:.1f}x")  # fmt: skip
        print(f"peak memory of the analysis: {peak_gb:.2f} GB (max RSS; children {children_gb:.2f}"
              f" GB)  (target < 4 GB: {'met' if peak_gb < 4 else 'NOT met'})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
