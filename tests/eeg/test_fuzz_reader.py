"""A mutation corpus of EDF, EDF+ and BDF files (truncations, wrong header fields, NaN and
infinite numbers, flipped bytes, extreme samples): each is read and analysed, and each
either gives finite results or is refused with a SpasmwatchError naming the file. Nothing
else may escape (the count of crashes must be zero)."""

from __future__ import annotations

import json
import random
import traceback
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from eeg.conftest import write_edf
from spasmwatch.eeg import analyze_eeg
from spasmwatch.eeg.reader import read_recording
from spasmwatch.errors import SpasmwatchError

VALUES = [
    b"nan", b"NaN", b"inf", b"-inf", b"1e999", b"-1e999", b"0", b"-0", b"-1", b"1e-300",
    b"99999999", b"", b"abc", b"1e308", b"0.0001",
]  # fmt: skip
# (start, width) of the fixed header's numeric fields.
GLOBAL_FIELDS = {
    "start date": (168, 8),
    "start time": (176, 8),
    "header bytes": (184, 8),
    "number of data records": (236, 8),
    "data record duration": (244, 8),
    "number of signals": (252, 4),
}
# Offsets of the per-signal fields, in widths of ns signals (as in the EDF specification).
SIGNAL_WIDTHS = [16, 80, 8, 8, 8, 8, 8, 80, 8, 32]
SIGNAL_FIELDS = {"physical minimum": 3, "physical maximum": 4, "digital minimum": 5,
                 "digital maximum": 6, "samples per record": 8}  # fmt: skip


def _bases(folder: Path) -> dict[str, bytes]:
    rng = np.random.default_rng(3)
    labels = ["EEG Fp1-REF", "EEG C3-REF", "EEG O1-REF", "EEG T3-REF"]
    data = rng.normal(0, 40, (4, 256 * 12))
    made = {
        "edf+": write_edf(
            folder / "base.edf", data, 256, labels, annotations=[(2.0, 1.0, "spasm?")]
        ),
        "edf": write_edf(folder / "plain.edf", data[:3, : 128 * 12], 128, labels[:3]),
        "bdf": write_edf(folder / "base.bdf", data, 256, labels, bdf=True),
    }
    return {name: path.read_bytes() for name, path in made.items()}


def _put(raw: bytearray, start: int, width: int, value: bytes) -> None:
    raw[start : start + width] = value[:width].ljust(width)


def _mutants(bases: dict[str, bytes]) -> Iterator[tuple[str, bytes]]:
    rnd = random.Random(18)
    for name, base in bases.items():
        ns = int(base[252:256])
        header = 256 * (ns + 1)
        for cut in sorted({0, 7, 100, 255, 256, 300, header - 1, header, header + 1,
                           header + 513, (header + len(base)) // 2, len(base) - 1}):  # fmt: skip
            yield f"{name} cut at {cut}", base[:cut]
        for field, (start, width) in GLOBAL_FIELDS.items():
            for value in VALUES:
                raw = bytearray(base)
                _put(raw, start, width, value)
                yield f"{name} {field}={value!r}", bytes(raw)
        for field, column in SIGNAL_FIELDS.items():
            offset = 256 + sum(w * ns for w in SIGNAL_WIDTHS[:column])
            width = SIGNAL_WIDTHS[column]
            for value in [*VALUES[:9], b"1e308", b"-1e38"]:
                for signals in ([0], list(range(ns))):
                    raw = bytearray(base)
                    for i in signals:
                        _put(raw, offset + i * width, width, value)
                    yield f"{name} {field} of {len(signals)}={value!r}", bytes(raw)
        for i in range(12):
            raw = bytearray(base)
            for _ in range(rnd.randint(1, 8)):
                raw[rnd.randrange(header)] = rnd.randrange(256)
            yield f"{name} header flips {i}", bytes(raw)
        for i in range(6):
            raw = bytearray(base)
            span = rnd.randrange(header, len(base) - 64)
            raw[span : span + 64] = bytes([0xFF, 0x7F] * 32 if i % 2 else [0x00, 0x80] * 32)
            yield f"{name} extreme samples {i}", bytes(raw)
        yield f"{name} doubled data", base + base[header:]
        yield f"{name} header only", base[:header]


def _finite(value: object) -> bool:
    try:
        json.dumps(value, allow_nan=False, default=str)
    except ValueError:
        return False
    return True


def test_mutated_eeg_files_never_crash(tmp_path: Path) -> None:
    crashes: list[str] = []
    count = refused = 0
    for label, content in _mutants(_bases(tmp_path)):
        count += 1
        path = tmp_path / f"mutant{count}.{'bdf' if label.startswith('bdf') else 'edf'}"
        path.write_bytes(content)
        try:
            recording = read_recording(path)
            samples = recording.read()
            if not np.isfinite(samples).all():
                crashes.append(f"{label}: samples that are not finite numbers")
                continue
            result = analyze_eeg(path).to_dict()
            if not _finite(result):
                crashes.append(f"{label}: a result that is not a finite number")
        except SpasmwatchError as exc:
            refused += 1
            if str(path) not in str(exc):
                crashes.append(f"{label}: the message does not name the file: {exc}")
        except Exception:
            crashes.append(f"{label}: {traceback.format_exc(limit=-2)}")
        finally:
            path.unlink()
    assert count >= 300
    assert 0 < refused < count
    assert crashes == [], f"{len(crashes)} of {count} mutants crashed:\n" + "\n".join(crashes)
