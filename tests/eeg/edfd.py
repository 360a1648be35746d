"""An interrupted EDF+ or BDF+ recording (EDF+D, BDF+D) made from samples: written with
edfio as EDF+ or BDF+, then each data record's time-keeping annotation moved to a given
onset."""

from __future__ import annotations

from pathlib import Path

import edfio
import numpy as np

NAMES = ["C3", "C4", "Cz", "Fp1", "Fp2", "F3", "F4", "P3", "P4", "O1", "O2", "F7", "F8",
         "T3", "T4", "T5", "T6", "Fz", "Pz"]  # fmt: skip


def write_interrupted(
    path: Path, data: np.ndarray, onsets: list[float], *, bdf: bool = False
) -> Path:
    """Write ``data`` (µV, 1-s records at 256 Hz, channels named from ``NAMES``) as EDF+
    (or BDF+) with edfio, then make it EDF+D (BDF+D): each record's time-keeping
    annotation moved to ``onsets`` (the file holds no other annotation)."""
    signal, file, kind, width = (
        (edfio.BdfSignal, edfio.Bdf, b"BDF+D", 3)
        if bdf
        else (edfio.EdfSignal, edfio.Edf, b"EDF+D", 2)
    )
    signals = [
        signal(x, sampling_frequency=256, label=f"EEG {c}", physical_dimension="uV",
               physical_range=(-500.0, 500.0))
        for x, c in zip(data, NAMES[: len(data)], strict=True)
    ]  # fmt: skip
    file(signals, annotations=[]).write(path)
    b = bytearray(path.read_bytes())
    ns = int(b[252:256])
    at = 256 + ns * 216  # the samples-per-record fields
    spr = [int(b[at + 8 * i : at + 8 * (i + 1)]) for i in range(ns)]
    labels = [b[256 + 16 * i : 256 + 16 * (i + 1)].decode().strip() for i in range(ns)]
    a = labels.index("BDF Annotations" if bdf else "EDF Annotations")
    off, n, size = width * sum(spr[:a]), width * spr[a], width * sum(spr)
    b[192:236] = kind.ljust(44)
    for r, onset in enumerate(onsets):
        tal = f"+{onset:g}\x14\x14\x00".encode()
        start = 256 * (ns + 1) + r * size + off
        b[start : start + n] = tal.ljust(n, b"\x00")[:n]
    path.write_bytes(bytes(b))
    return path
