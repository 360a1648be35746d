"""An interrupted EDF+ recording (EDF+D) made from samples: written with edfio as EDF+,
then each data record's time-keeping annotation moved to a given onset."""

from __future__ import annotations

from pathlib import Path

import edfio
import numpy as np

NAMES = ["C3", "C4", "Cz", "Fp1", "Fp2", "F3", "F4", "P3", "P4", "O1", "O2", "F7", "F8",
         "T3", "T4", "T5", "T6", "Fz", "Pz"]  # fmt: skip


def write_interrupted(path: Path, data: np.ndarray, onsets: list[float]) -> Path:
    """Write ``data`` (µV, 1-s records at 256 Hz, channels named from ``NAMES``) as EDF+
    with edfio, then make it EDF+D: each record's time-keeping annotation moved to
    ``onsets``."""
    signals = [
        edfio.EdfSignal(x, sampling_frequency=256, label=f"EEG {c}", physical_dimension="uV",
                        physical_range=(-500.0, 500.0))
        for x, c in zip(data, NAMES[: len(data)], strict=True)
    ]  # fmt: skip
    edfio.Edf(signals, annotations=[]).write(path)
    b = bytearray(path.read_bytes())
    ns = int(b[252:256])
    at = 256 + ns * 216  # the samples-per-record fields
    spr = [int(b[at + 8 * i : at + 8 * (i + 1)]) for i in range(ns)]
    a = [b[256 + 16 * i : 256 + 16 * (i + 1)].decode().strip() for i in range(ns)].index(
        "EDF Annotations"
    )
    off, n, size = 2 * sum(spr[:a]), 2 * spr[a], 2 * sum(spr)
    b[192:236] = b"EDF+D".ljust(44)
    for r, onset in enumerate(onsets):
        tal = f"+{onset:g}\x14\x14\x00".encode()
        start = 256 * (ns + 1) + r * size + off
        b[start : start + n] = tal.ljust(n, b"\x00")[:n]
    path.write_bytes(bytes(b))
    return path
