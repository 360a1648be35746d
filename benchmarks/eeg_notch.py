"""A mains notch applied before the file was read: how often it is found, and what it does
to the spike count and the hypsarrhythmia assessment (``features.mains``,
``background.mains_notched``).

The spike criteria are relative to each channel's own sample-to-sample steps and were set
on recordings with their mains line in them; an EDF exported with a notch filter has
none. On every readable EDF file of ``../shared/data/eeg/`` (its first 10 minutes), on
the analysed channels (the double banana where it can be derived), as recorded and
after three filters that an export could have applied:

- ``notch 50`` and ``notch 60``: an IIR notch of quality 30, forwards and backwards;
- ``low-pass 35``: a 4th-order Butterworth low-pass at 35 Hz, forwards and backwards
  (no notch: must not be taken for one).

Printed per version: the files with any channel taken for notched before, and the median
share of their channels; then, for the files with at least 4 channels, as recorded and
notched at 50 Hz: discharges per minute (median and the files at 3 or more), the
BASED-like score (files at 3 or more), the files assessed ``likely``, and the files
whose result carries the ``mains_notched`` reason. Nothing here was tuned: the dip's
width (0.25 Hz) and depth (a tenth of the median power 2-6 Hz to either side) were set
from what a notch is.

Run from the repository root: ``.venv/bin/python benchmarks/eeg_notch.py`` (about a
minute).
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path

import numpy as np
from scipy import signal

from spasmwatch.eeg.background import assess_background
from spasmwatch.eeg.features import analysis_montage, compute_epoch_features, mains
from spasmwatch.eeg.reader import read_recording
from spasmwatch.errors import UnreadableFile
from spasmwatch.testing.eeg_inject import SHARED_EEG

SECONDS = 600  # the first 10 minutes of each file: one analysed span


def _files() -> list[Path]:
    return sorted(SHARED_EEG.rglob("*.edf"))


def _filters(sfreq: float) -> dict[str, object]:
    out: dict[str, object] = {"as recorded": None}
    for hz in (50.0, 60.0):
        if hz + 6 < 0.95 * sfreq / 2:
            out[f"notch {hz:g}"] = signal.iirnotch(hz, 30.0, fs=sfreq)
    out["low-pass 35"] = signal.butter(4, 35.0, "low", fs=sfreq, output="sos")
    return out


def _apply(name: str, f: object, x: np.ndarray) -> np.ndarray:
    if f is None:
        return x
    if name.startswith("notch"):
        b, a = f  # type: ignore[misc]
        return signal.filtfilt(b, a, x, axis=1)
    return signal.sosfiltfilt(f, x, axis=1)


def main() -> None:
    t0 = time.perf_counter()
    warnings.simplefilter("ignore")
    flagged: dict[str, list[float]] = {}
    rows = []
    for path in _files():
        try:
            rec = read_recording(path)
        except (UnreadableFile, ValueError) as error:
            print(f"  {path.name}: not read ({error})", file=sys.stderr)
            continue
        data = rec.read(0, int(min(rec.duration_s, SECONDS)))
        work, _names = analysis_montage(data, rec.channels, rec.kinds)
        for name, f in _filters(rec.sfreq).items():
            notched = mains(_apply(name, f, work), rec.sfreq)[2]
            flagged.setdefault(name, []).append(float((notched > 0).mean()))
        if len(rec.channels) < 4:
            continue
        row = {"file": path.name}
        b, a = signal.iirnotch(50.0, 30.0, fs=rec.sfreq)
        for name, x in (("as recorded", data), ("notch 50", signal.filtfilt(b, a, data, axis=1))):
            ef = compute_epoch_features(
                x, rec.sfreq, rec.channels, rec.kinds, rec.physical_limits_uv
            )
            bg = assess_background(ef)
            row[name] = (
                bg.spike_rate_per_min,
                bg.based_like_score,
                bg.hypsarrhythmia_assessment,
                bool(bg.mains_notched),
            )
        rows.append(row)
    n = len(flagged["as recorded"])
    print(f"{n} EDF files read (first {SECONDS} s each)")
    print("taken for notched before the file was read (any channel; median share of channels):")
    for name, shares in flagged.items():
        s = np.array(shares)
        hit = s > 0
        median = f"{np.median(s[hit]):.0%}" if hit.any() else "-"
        print(f"  {name:<12} {int(hit.sum()):>3} of {len(s)} files  ({median})")
    print(f"\n{len(rows)} files with at least 4 channels:")
    for name in ("as recorded", "notch 50"):
        rate = np.array([r[name][0] for r in rows])
        based = np.array([r[name][1] for r in rows])
        likely = sum(r[name][2] == "likely" for r in rows)
        said = sum(r[name][3] for r in rows)
        print(
            f"  {name:<12} discharges/min median {np.median(rate):.1f} "
            f"(>= 3: {int((rate >= 3).sum())} files), "
            f"BASED-like >= 3: {int((based >= 3).sum())}, likely: {likely}, "
            f"notch said: {said}"
        )
    changed = [r for r in rows if r["as recorded"][2] != r["notch 50"][2]]
    for r in changed:
        print(
            f"  assessment changed by the notch: {r['file']} {r['as recorded']} -> {r['notch 50']}"
        )
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
