"""How many of the injected spikes the spike detector finds, and how many discharges it
finds where none were injected, on the **tuning** part of ``benchmarks/eeg_inject.py``
only (the part the spike thresholds are chosen on; the test part is never read here).

The injected spike times are recovered by generating each recording with hypsarrhythmia
again (same background, same seed) while noting where ``add_hypsarrhythmia`` places its
spikes. An injected spike is found when a detected discharge (spikes on artefact-free
channel-seconds grouped across channels, as the BASED-like score counts them) lies within
``MATCH_S`` of its peak.

Printed: per recording with hypsarrhythmia, the injected and found spikes per minute and
the share found, with the amplitude p95 and the assessment; then the median share; and
the discharges per minute on the tuning recordings without injected spikes (``normal``,
``decrements``, ``slow``) and on the tuning part's real recordings themselves (the
Helsinki clips of the tuning infants and ``eeg_burst_eg.edf``).

With ``--criteria`` it also says, for the injected spikes that were missed, which
criterion of :func:`spasmwatch.eeg.spikes.spike_criteria` the best candidate near each
one failed first.

Run from the repository root: ``.venv/bin/python benchmarks/eeg_spike_recall.py``.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

import spasmwatch.testing.eeg_inject as inj
from spasmwatch.eeg import analyze_eeg
from spasmwatch.eeg.features import analysis_montage
from spasmwatch.eeg.reader import read_recording
from spasmwatch.eeg.spikes import (
    SPIKE_AFTER_WAVE,
    SPIKE_AMPLITUDE_K,
    SPIKE_DURATION_S,
    SPIKE_FAST_K,
    SPIKE_MIN_CHANNELS,
    SPIKE_MIN_UV,
    SPIKE_SHARPNESS,
    spike_candidates,
)

MATCH_S = 0.1  # a discharge within 100 ms of an injected spike's peak finds it
NO_SPIKES = ("normal", "decrements", "slow")


def injected_spike_times(bg: inj.Background, kind: str, seed: int) -> np.ndarray:
    """Peak times (s) of the spikes ``add_hypsarrhythmia`` injects into the recording
    ``make_case(bg, kind, seed)`` writes (the generator is run again, same seed)."""
    starts: list[int] = []
    peaks: list[int] = []
    original_add_at, original_wave = inj.add_at, inj.spike_wave
    last: dict[str, int] = {}

    def wave(rng: np.random.Generator, amp: float) -> np.ndarray:
        w = original_wave(rng, amp)
        last["peak"] = int(np.argmax(np.abs(w[: int(0.15 * inj.FS) + 2])))
        return w

    def add_at(x: np.ndarray, i: int, w: np.ndarray) -> None:
        if recording and (not starts or starts[-1] != i):
            starts.append(i)
            peaks.append(i + last.get("peak", 0))
        original_add_at(x, i, w)

    recording = False
    original_hyps = inj.add_hypsarrhythmia

    def hyps(x: np.ndarray, channels: list[str], rng: np.random.Generator) -> dict:
        nonlocal recording
        recording = True
        try:
            return original_hyps(x, channels, rng)
        finally:
            recording = False

    inj.add_at, inj.spike_wave, inj.add_hypsarrhythmia = add_at, wave, hyps
    try:
        inj.make_case(bg, kind, seed)
    finally:
        inj.add_at, inj.spike_wave = original_add_at, original_wave
        inj.add_hypsarrhythmia = original_hyps
    return np.array(peaks) / inj.FS


def found_share(times: np.ndarray, discharges: np.ndarray) -> float:
    """Share of ``times`` with a discharge within ``MATCH_S``."""
    if len(times) == 0:
        return float("nan")
    if len(discharges) == 0:
        return 0.0
    d = np.sort(discharges)
    i = np.clip(np.searchsorted(d, times), 0, len(d) - 1)
    near = np.minimum(np.abs(d[i] - times), np.abs(d[np.maximum(i - 1, 0)] - times))
    return float(np.mean(near <= MATCH_S))


def first_failed(path: str, times: np.ndarray) -> dict[str, int]:
    """For the injected spikes at ``times`` (s): the criterion the best candidate within
    ``MATCH_S`` (over all channels) fails first, or ``no candidate``."""
    rec = read_recording(path)
    work, _ = analysis_montage(rec.read(0, int(rec.duration_s)), rec.channels, rec.kinds)
    c = spike_candidates(work, rec.sfreq)
    t = c.sample / rec.sfreq
    tests = [
        ("height", c.height >= SPIKE_MIN_UV),
        ("background", c.background_k >= SPIKE_AMPLITUDE_K),
        ("fast part", c.fast_k >= SPIKE_FAST_K),
        (
            "duration",
            (c.width_s >= SPIKE_DURATION_S[0] / 2) & (c.width_s <= SPIKE_DURATION_S[1] / 2),
        ),
        ("sharpness", c.sharpness >= SPIKE_SHARPNESS),
        ("after-going slow wave", c.after_wave >= SPIKE_AFTER_WAVE),
        ("field", c.channels >= SPIKE_MIN_CHANNELS),
    ]
    passed = np.zeros(len(c), int)  # criteria passed in order before the first failure
    alive = np.ones(len(c), bool)
    for _, ok in tests:
        alive &= ok
        passed += alive
    out: dict[str, int] = {}
    for s in times:
        near = np.flatnonzero(np.abs(t - s) <= MATCH_S)
        if len(near) == 0:
            key = "no candidate"
        else:
            best = int(passed[near].max())
            key = "found" if best == len(tests) else tests[best][0]
        out[key] = out.get(key, 0) + 1
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--criteria", action="store_true", help="why missed spikes were missed")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    cases = [c for c in inj.build() if c.split == "tuning"]
    backgrounds = {b.name: (k, b) for k, b in enumerate(inj.load_backgrounds())}
    shares = []
    why: dict[str, int] = {}
    print("recording                 injected/min  found/min  share  amp p95  assessment")
    for c in cases:
        if not c.hyps:
            continue
        b, bg = backgrounds[c.background]
        times = injected_spike_times(bg, c.kind, 1000 * b + inj.KINDS.index(c.kind))
        a = analyze_eeg(c.path)
        found, _ = a.features.discharges()
        share = found_share(times, found)
        shares.append(share)
        minutes = a.duration_s / 60
        print(
            f"{c.name:25s} {len(times) / minutes:12.1f} {len(found) / minutes:10.1f} "
            f"{share:6.0%} {a.background.amplitude_uv_p95:8.0f}  "
            f"{a.background.hypsarrhythmia_assessment}"
        )
        if args.criteria:
            for k, v in first_failed(c.path, times).items():
                why[k] = why.get(k, 0) + v
    print(f"median share of injected spikes found: {np.median(shares):.0%} "
          f"(min {np.min(shares):.0%}, {len(shares)} recordings)")  # fmt: skip
    if why:
        total = sum(why.values())
        print("injected spikes by the first criterion their best candidate fails:")
        for k, v in sorted(why.items(), key=lambda kv: -kv[1]):
            print(f"  {k:22s} {v / total:5.0%}")
    rates = [
        analyze_eeg(c.path).background.spike_rate_per_min for c in cases if c.kind in NO_SPIKES
    ]
    print(f"discharges/min without injected spikes ({len(rates)} recordings): median "
          f"{np.median(rates):.1f}, max {np.max(rates):.1f}")  # fmt: skip
    real = [
        inj.SHARED_EEG / "helsinki" / "clips" / f"eeg{i}.edf"
        for i in inj.seizure_free_helsinki()
        if inj.split_of(f"eeg{i}") == "tuning"
    ] + [inj.SHARED_EEG / "real_infant" / "eeg_burst_eg.edf"]
    rr = [analyze_eeg(p).background for p in real]
    rates_r = np.array([b.spike_rate_per_min for b in rr])
    print(f"real tuning recordings ({len(rr)}): discharges/min median {np.median(rates_r):.1f}, "
          f"max {rates_r.max():.1f}; BASED-like <= 2 on "
          f"{np.mean([b.based_like_score <= 2 for b in rr]):.0%}")  # fmt: skip
    print(f"({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
