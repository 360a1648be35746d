"""The analysis at other sampling rates, and on recordings whose noise floor the injected
events did not attenuate.

The evaluation sets inject their patterns into real recordings: an electrodecremental
event multiplies the recording by an attenuation, its own noise floor (the amplifier's and
the electrodes' noise, flat above the EEG's bands) included. In a real recording the noise
floor does not fall with the EEG. And most clinical systems record at 200, 250, 500 or
512 Hz, where the sets are at 256 Hz. On the first set (``benchmarks/eeg_inject.py``),
the numbers of ``benchmarks/eeg_assess.py`` for each version of its recordings:

- ``as generated``: 256 Hz, as the set is;
- ``200 Hz``, ``500 Hz``, ``512 Hz``: every signal resampled (``scipy.signal.resample_poly``,
  its anti-alias filter), nothing added: the same EEG, sampled otherwise;
- ``+0.5 uV``, ``+1 uV``, ``+3 uV``: white Gaussian noise of that RMS added to every signal
  at 256 Hz, after the injection (a noise floor the events do not attenuate);
- ``500 Hz +1 uV``: resampled to 500 Hz, then 1 uV RMS of white noise added (the same
  noise per sample, over a band twice as wide);
- ``floor kept``: on every signal, white noise at that signal's own noise floor (as the
  analysis measures it, ``features.noise_floor``: its median power 70-120 Hz, 2 Hz around
  the mains harmonics left out, spread flat over the whole band) added after the
  injection: the floor that the events attenuated is there again, everywhere about 1.4
  times the recording's own (the nearest to a real recording of these versions).

First, how high the real recordings' own noise floor is: the same measure of each
recording's channels (median), as the RMS of white noise at 256 Hz with that power, over the
62 Helsinki clips and the two ``real_infant`` recordings.

Under each version, "at high" gives the decrements at high sensitivity, from the same
analysis: the rule "all activity attenuated" read from the 2-12 Hz band
(``decrements.decrement_events``), where the noise floor hardly weighs.

Then, for each version, the decrements found of those injected on the recordings whose
result's ``background.noise_floor.line_share`` is under the decrement rules' line ratio
(0.6) and on those from it on, where the reasons say decrements can hardly be found.

Nothing here was tuned. ``--part tuning`` scores the set's tuning part instead of its test
part. ``--set heldout``, ``third`` or ``fourth`` scores another set (the held-out set's test
half, the third set whole, the fourth set's test half; their tuning halves with ``--part
tuning``) as generated and with the floor kept only. The versions are written to
``benchmarks/.cache/eeg_noise/`` and reused; the noise of each file is drawn from a seed
made of its name (the same on every run).

Run from the repository root: ``.venv/bin/python benchmarks/eeg_noise.py`` (3-5 minutes
the first time, 2-3 after; ``--set third`` about 4).
"""

from __future__ import annotations

import argparse
import sys
import time
import zlib
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from scipy.signal import resample_poly

from eeg_assess import decrement_tally, score
from spasmwatch.eeg.decrements import DECREMENT_LINE_RATIO
from spasmwatch.eeg.features import noise_floor
from spasmwatch.eeg.reader import read_recording
from spasmwatch.testing.eeg_inject import CACHE, SHARED_EEG, build

OUT = CACHE.parent / "eeg_noise"

#: name: (sampling rate in Hz, RMS of the added white noise in µV; ``FLOOR``: each
#: signal's own noise floor)
FLOOR = -1.0
VERSIONS: dict[str, tuple[int, float]] = {
    "as generated": (256, 0.0),
    "200 Hz": (200, 0.0),
    "500 Hz": (500, 0.0),
    "512 Hz": (512, 0.0),
    "+0.5 uV": (256, 0.5),
    "+1 uV": (256, 1.0),
    "+3 uV": (256, 3.0),
    "500 Hz +1 uV": (500, 1.0),
    "floor kept": (256, FLOOR),
}


def version(path: Path, rate: int, rms: float, out: Path) -> Path:
    """``path`` resampled to ``rate`` and with white noise of ``rms`` µV added (``FLOOR``:
    of each signal's own noise floor, as the analysis measures it:
    :func:`~spasmwatch.eeg.features.noise_floor`), written once into ``out`` (the file
    itself where nothing changes)."""
    import edfio

    if rate == 256 and rms == 0:
        return path
    target = out / f"{path.stem}.edf"
    if target.exists():
        return target
    out.mkdir(parents=True, exist_ok=True)
    edf = edfio.read_edf(path)
    rng = np.random.default_rng(zlib.crc32(path.stem.encode()))
    signals = []
    for s in edf.signals:
        fs = round(s.sampling_frequency)
        lo, hi = s.physical_range
        x = s.data
        if rate != fs:
            f = Fraction(rate, fs)
            x = resample_poly(x, f.numerator, f.denominator)
        sd = float(np.nan_to_num(noise_floor(x, rate)[0][0])) if rms == FLOOR else rms
        if sd:
            x = x + rng.normal(0.0, sd, len(x))
        signals.append(
            edfio.EdfSignal(
                np.clip(x, lo, hi),
                sampling_frequency=rate,
                label=s.label,
                physical_dimension=s.physical_dimension,
                physical_range=(lo, hi),
            )
        )
    partial = target.with_suffix(".part")
    edfio.Edf(signals, data_record_duration=1).write(partial)
    partial.rename(target)
    return target


def real_floors() -> np.ndarray:
    """Each real recording's noise floor (:func:`~spasmwatch.eeg.features.noise_floor`, the
    median over its channels), as the RMS (µV) of white noise at 256 Hz with that power."""
    floors = []
    files = sorted((SHARED_EEG / "helsinki" / "clips").glob("*.edf"))
    files += sorted((SHARED_EEG / "real_infant").glob("*.edf"))
    for f in files:
        rec = read_recording(f)
        x = rec.read(0, int(min(rec.duration_s, 120)))
        per_channel = noise_floor(x, rec.sfreq)[0] * np.sqrt(256.0 / rec.sfreq)
        floors.append(float(np.nanmedian(per_channel)))
    return np.array(floors)


def by_floor(
    cases: Sequence[Any], analysed: dict[str, Any]
) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Decrements found, injected and the recordings that carry them, on the recordings
    whose noise floor makes under ``DECREMENT_LINE_RATIO`` of their line length and on the
    others."""
    out = [[0, 0, 0], [0, 0, 0]]
    for c in cases:
        if not c.decrements:
            continue
        a = analysed[str(c.path)]
        share = a.background.noise_floor.get("line_share", 0.0)
        found = [e for e in a.events if e.eventType == "decrement"]
        row = out[int(share >= DECREMENT_LINE_RATIO)]
        row[0] += decrement_tally(found, c)[0]
        row[1] += len(c.decrements)
        row[2] += 1
    return tuple(out[0]), tuple(out[1])  # type: ignore[return-value]


def _decrement_columns(r: dict[str, Any]) -> str:
    """The decrement columns of a row: recall, precision, false per hour."""
    return (
        f"{r['dec_recall']:>5.2f} ({r['dec_found']:3d}/{r['dec_true']}) "
        f"{r['dec_precision']:>6.2f} ({r['dec_false']:3d} false) "
        f"{r['dec_false_per_h']:>8.1f}"
    )


#: The sets (``--set``); all but the first are scored as generated and with the floor kept
#: only (the sampling rates and the added noise say the same on the first).
SETS = ("first", "heldout", "third", "fourth")


def set_part(name: str, part: str) -> tuple[str, list[Any], tuple[tuple[str, ...], ...]]:
    """A set's part: its label, its cases and its kinds without added spikes, without
    decrements and with a discontinuous background (``eeg_assess.score``)."""
    if name == "first":
        from eeg_assess import DISCONTINUOUS, NO_DECREMENTS, NO_SPIKES

        cases = [c for c in build() if c.split == part]
        return f"First set, {part} part", cases, (NO_SPIKES, NO_DECREMENTS, DISCONTINUOUS)
    if name == "heldout":
        import eeg_heldout
        from spasmwatch.testing import eeg_heldout as held

        every = held.build(held.CACHE)
        cases = [c for c in every if eeg_heldout.part_of(c.background, every) == part]
        kinds = (eeg_heldout.NO_SPIKES, eeg_heldout.NO_DECREMENTS, ("discontinuous",))
        return f"Held-out set, {part} half", cases, kinds
    if name == "third":
        from spasmwatch.testing import eeg_third as third

        if part != "test":
            raise SystemExit("Error: the third set has no tuning part (it is scored whole)")
        kinds = (third.NO_SPIKES, third.NO_DECREMENTS, third.DISCONTINUOUS)
        return "Third set, whole", third.build(third.CACHE), kinds
    import eeg_fourth
    from spasmwatch.testing import eeg_fourth as fourth

    halves = eeg_fourth.halves(fourth.build(fourth.CACHE))
    cases = halves[0 if part == "tuning" else 1][1]
    kinds = (fourth.NO_SPIKES, fourth.NO_DECREMENTS, fourth.DISCONTINUOUS)
    return f"Fourth set, {part} half", cases, kinds


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=SETS, default="first", dest="which")
    ap.add_argument("--part", choices=("test", "tuning"), default="test")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    floors = real_floors()
    p10, p50, p90 = np.percentile(floors, [10, 50, 90])
    print(
        f"Noise floor of the {len(floors)} real recordings (white-noise RMS at 256 Hz with "
        f"their power 70-120 Hz): 10th percentile {p10:.2f} uV, median {p50:.2f} uV, "
        f"90th percentile {p90:.2f} uV, largest {floors.max():.2f} uV"
    )
    label, cases, kinds = set_part(args.which, args.part)
    versions = (
        VERSIONS
        if args.which == "first"
        else {k: v for k, v in VERSIONS.items() if k in ("as generated", "floor kept")}
    )
    print(
        f"\n{label}: {len(cases)} recordings "
        f"({sum(c.hyps for c in cases)} with hypsarrhythmia, "
        f"{sum(len(c.decrements) for c in cases)} decrements)"
    )
    header = (
        f"{'version':14s} {'hyps right with':>16s} {'without':>8s} {'spikes/min med/max':>19s} "
        f"{'BASED<=2':>9s} {'dec recall':>16s} {'precision':>16s} {'false/h':>8s}"
    )
    print(header)
    print("-" * len(header))
    splits: dict[str, tuple[tuple[int, int, int], tuple[int, int, int]]] = {}
    for name, (rate, rms) in versions.items():
        folder = name.replace(" ", "_").replace("+", "plus").replace(".", "_")
        out = OUT / args.part / folder if args.which == "first" else OUT / args.which / folder
        part = [replace(c, path=str(version(Path(c.path), rate, rms, out))) for c in cases]
        analysed: dict[str, Any] = {}
        r = score(part, *kinds, analysed=analysed)
        splits[name] = by_floor(part, analysed)
        print(
            f"{name:14s} {r['hyps_right_with']:>16.0%} {r['hyps_right_without']:>8.0%} "
            f"{r['spike_rate_median']:>9.1f} / {r['spike_rate_max']:<7.1f} "
            f"{r['based_le_2']:>9.0%} {_decrement_columns(r)}",
            flush=True,
        )
        blank = f"{'':>16s} {'':>8s} {'':>19s} {'':>9s}"
        print(f"{'  at high':14s} {blank} {_decrement_columns(r['high'])}", flush=True)
    print(
        "\nDecrements by the noise floor's share of the line length "
        "(background.noise_floor.line_share; the reason says so from "
        f"{DECREMENT_LINE_RATIO:.0%}, the decrement rules' line ratio): found / injected "
        "(recordings with decrements)"
    )
    for name, (low, high) in splits.items():
        print(
            f"{name:14s} under {DECREMENT_LINE_RATIO:.0%}: {low[0]:3d}/{low[1]:<3d} ({low[2]:2d})"
            f"   from {DECREMENT_LINE_RATIO:.0%}: {high[0]:3d}/{high[1]:<3d} ({high[2]:2d})"
        )
    print(f"\n({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
