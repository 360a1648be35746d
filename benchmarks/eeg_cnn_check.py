"""Check of the numpy port of the Stevenson-Tapani-Vanhatalo seizure CNN (``eeg.cnn``).

**In-sample**: the network ("trained_cnn_all") was trained on all 79 infants of the
Helsinki dataset, the source of the 62 clips scored here. These numbers check that the
port is faithful (the README of the weights got clip AUC 1.000 and 0.993 with its own
port); they say nothing about new infants. The honest reference is the paper's
cross-validated result on Helsinki (Stevenson, Tapani & Vanhatalo, EMBC 2019): the
hybrid detectors reached the benchmark of the human expert, i.e. their agreement with
the experts was not worse than the experts' agreement with each other.

Scored: the 18 bipolar channels of each clip (``features.bipolar_montage``), every 16-s
window at a 1-s step (15 per 30-s clip); the clip score is the mean over windows of the
highest channel's probability. Printed:

- clip AUC for the 26 consensus-seizure vs 23 seizure-free clips (target >= 0.98),
  sensitivity / specificity of "clip score >= 0.5", median (and extreme) clip scores;
- AUC on all 62 clips against "an expert marked >= 15 s" (at least one expert marked
  at least 15 s) and against "at least 15 s marked by any expert" (the union);
- the same for the pre-processing of ``demo.m`` applied to each 16-s window on its own
  (band-pass from a zero state and resampling within the window), with the constant
  centre 32768 of ``demo.m`` and with the network's own zero-centre input mean
  (``imageinput.average_image``), which ``demo.m`` does not use; and the largest
  difference between the fast path and the plain per-window forward pass;
- speed of the fast path: seconds per hour of 18-channel, 256-Hz EEG (pre-processing and
  network), extrapolated to 24 h, against the per-window forward pass; peak memory.

``--weights PATH`` scores another variant (e.g. the Adam-trained network, converted with
``scripts/convert_stevenson_cnn.py --variant adam --out PATH``) as well.

Run from the repository root:
``OMP_NUM_THREADS=1 .venv/bin/python benchmarks/eeg_cnn_check.py [--weights PATH]``
(about a minute on one core).
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from scipy import signal

from spasmwatch.eeg import cnn
from spasmwatch.eeg.features import bipolar_montage
from spasmwatch.eeg.reader import read_recording
from spasmwatch.eeg.scoring import roc_auc

HELSINKI = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "eeg" / "helsinki"
FS = 256
STEP_S = 1.0
IN_SAMPLE = "IN-SAMPLE (network trained on all 79 Helsinki infants)"


def load_clips() -> dict[int, dict]:
    """Bipolar samples and summary row of every clip, by infant number."""
    with (HELSINKI / "clips_summary.csv").open() as f:
        summary = {int(r["infant"]): r for r in csv.DictReader(f)}
    clips = {}
    for infant, row in sorted(summary.items()):
        rec = read_recording(HELSINKI / row["file"])
        if rec.sfreq != FS:
            raise SystemExit(f"{row['file']}: {rec.sfreq} Hz, expected {FS}")
        bip, names = bipolar_montage(rec.read(), rec.channels)
        clips[infant] = {"data": bip, "channels": names, "row": row}
    return clips


def per_window_inputs(data: np.ndarray, centre: np.ndarray | None) -> np.ndarray:
    """``demo.m`` literally: each 16-s window of 256-Hz samples filtered from a zero state
    and resampled on its own, then coded; shape (n_channels, n_windows, 512)."""
    n_win = (data.shape[1] - 16 * FS) // (FS * int(STEP_S)) + 1
    starts = np.arange(n_win) * FS * int(STEP_S)
    win = np.stack([data[:, s : s + 16 * FS] for s in starts], axis=1).astype(np.float64)
    sos = signal.cheby2(6, 80, [0.5, 32], btype="bandpass", fs=FS, output="sos")
    y = signal.resample_poly(signal.sosfilt(sos, win, axis=-1), 1, 8, axis=-1)
    q = cnn.quantise(y)
    if centre is not None:  # the network's own zero-centring instead of 32768
        q = (q + np.float32(32768.0)) - centre
    return q


def clip_scores(probs: dict[int, np.ndarray]) -> dict[int, float]:
    """Mean over windows of the highest channel (probs: (n_channels, n_windows))."""
    return {k: float(p.max(axis=0).mean()) for k, p in probs.items()}


def report(title: str, scores: dict[int, float], clips: dict[int, dict]) -> None:
    rows = {k: c["row"] for k, c in clips.items()}
    sz = [k for k, r in rows.items() if r["label_consensus"] == "seizure"]
    free = [k for k, r in rows.items() if r["label_consensus"] == "non-seizure"]
    y = np.array([True] * len(sz) + [False] * len(free))
    s = np.array([scores[k] for k in sz + free])
    auc = roc_auc(s, y)
    det = s >= 0.5
    print(f"  {title}")
    print(f"    {len(sz)} consensus-seizure vs {len(free)} seizure-free clips: AUC {auc:.3f} "
          f"(target >= 0.98: {'met' if auc >= 0.98 else 'NOT met'}); at 0.5 sensitivity "
          f"{det[y].mean():.2f} ({det[y].sum()}/{y.sum()}), specificity "
          f"{1 - det[~y].mean():.2f} ({(~det[~y]).sum()}/{(~y).sum()})")  # fmt: skip
    print(f"    median clip score: seizure {np.median(s[y]):.2f} (lowest {s[y].min():.2f}), "
          f"seizure-free {np.median(s[~y]):.2f} (highest {s[~y].max():.2f})")  # fmt: skip
    keys = sorted(rows)
    all_s = np.array([scores[k] for k in keys])
    one = np.array([max(int(rows[k][f"seconds_seizure_{e}"]) for e in "ABC") >= 15 for k in keys])
    union = np.array([int(rows[k]["seconds_seizure_any"]) >= 15 for k in keys])
    print(f"    all {len(keys)} clips: AUC {roc_auc(all_s, one):.3f} vs 'an expert marked "
          f">= 15 s' ({one.sum()} positive), {roc_auc(all_s, union):.3f} vs '>= 15 s "
          f"marked by any expert' ({union.sum()} positive)")  # fmt: skip


def scored(
    clips: dict[int, dict], step_s: float, weights: str | None
) -> tuple[dict[int, np.ndarray], float, float]:
    """Every clip's windows at ``step_s`` (the fast path), the seconds that took, and the
    largest difference from the plain per-window forward pass, one window in 5."""
    t0 = time.perf_counter()
    probs = {
        k: cnn.channel_probabilities(c["data"], FS, step_s, weights=weights)
        for k, c in clips.items()
    }
    took = time.perf_counter() - t0
    step = round(step_s * 32)
    worst = 0.0
    for c, p in zip(clips.values(), probs.values(), strict=True):
        x32 = np.stack([cnn.preprocess_channel(ch, FS) for ch in c["data"]])
        idx = np.arange(0, p.shape[1], 5)
        win = np.stack([x32[:, i * step : i * step + 512] for i in idx], axis=1)
        ref = cnn.forward_reference(win.reshape(-1, 512), weights)[:, cnn.SEIZURE_INDEX]
        worst = max(worst, float(np.abs(ref.reshape(len(x32), -1) - p[:, idx]).max()))
    return probs, took, worst


def accuracy(clips: dict[int, dict], weights: str | None) -> None:
    w = cnn.load_weights(weights)
    name = f"{w['variant']} ({w['source_file']})"
    fast, t_fast, worst = scored(clips, STEP_S, weights)
    print(f"Network {name}: {len(w['layer_names'])} layers; 62 clips x 18 channels x "
          f"{next(iter(fast.values())).shape[1]} windows in {t_fast:.1f} s; fast path vs "
          f"per-window forward pass (float64): largest |difference| {worst:.1e}")  # fmt: skip
    print(f"Clip level, {IN_SAMPLE}")
    report("fast path (continuous pre-processing of each channel), 1-s step",
           clip_scores(fast), clips)  # fmt: skip
    # the analysis's step: the network's own (27/32 s), one strided pass per channel
    native_s = cnn.native_step_s(weights)
    native, t_native, worst = scored(clips, native_s, weights)
    report(f"strided pass at the network's own step, {native_s:g} s (as the analysis runs "
           f"it; {t_native:.1f} s; vs per-window forward pass: largest |difference| "
           f"{worst:.1e})", clip_scores(native), clips)  # fmt: skip

    def per_window(centre: np.ndarray | None) -> dict[int, np.ndarray]:
        out = {}
        for k, c in clips.items():
            x = per_window_inputs(c["data"], centre)
            out[k] = np.array(
                [[cnn.window_probabilities(v, weights=weights)[0] for v in ch] for ch in x]
            )
        return out

    demo = per_window(None)
    avg = per_window(w["imageinput.average_image"])
    for title, probs in (
        ("demo.m per window (each 16-s window filtered and resampled alone)", demo),
        ("demo.m per window, centred by the network's average image", avg),
    ):
        diff = max(float(np.abs(probs[k] - fast[k]).max()) for k in clips)
        mean = np.mean([np.abs(probs[k] - fast[k]).mean() for k in clips])
        report(f"{title}; vs fast path: mean |difference| {mean:.3f}, largest {diff:.2f}",
               clip_scores(probs), clips)  # fmt: skip


def speed(clips: dict[int, dict]) -> None:
    # one hour of 18 channels: the clips end to end, repeated (real EEG, real seizures)
    cat = np.concatenate([c["data"] for c in clips.values()], axis=1)
    hour = np.tile(cat, (1, -(-3600 * FS // cat.shape[1])))[:, : 3600 * FS].copy()
    cnn.channel_probabilities(hour[:, : 60 * FS], FS)  # load and fold the weights
    t0 = time.perf_counter()
    x32 = [cnn.preprocess_channel(ch, FS) for ch in hour]
    t_pre = time.perf_counter() - t0
    t0 = time.perf_counter()
    p = [cnn.window_probabilities(x) for x in x32]
    t_net = time.perf_counter() - t0
    t0 = time.perf_counter()
    for x in x32:
        cnn.window_probabilities(x, cnn.native_step_s())
    t_native = time.perf_counter() - t0
    per_h = t_pre + t_net
    # the plain forward pass on 360 windows, extrapolated to the 3585 x 18 of the hour
    win = np.stack([x32[0][i * 32 : i * 32 + 512] for i in range(0, len(p[0]), 10)])
    t0 = time.perf_counter()
    cnn.forward_reference(win)
    t_ref = (time.perf_counter() - t0) / len(win) * len(p[0]) * len(p)
    tracemalloc.start()
    cnn.channel_probabilities(hour, FS)
    peak_h = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    day = np.tile(hour[0], 24)
    tracemalloc.start()
    t0 = time.perf_counter()
    cnn.channel_probabilities(day[None], FS)
    t_day1 = time.perf_counter() - t0
    peak_d = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("Speed (1 h of 18-channel, 256-Hz EEG: the Helsinki clips end to end; one core)")
    print(f"  fast path: {per_h:.1f} s per hour ({t_pre:.2f} s pre-processing, {t_net:.2f} s "
          f"network; {len(p[0])} windows x 18 channels), about {24 * per_h / 60:.1f} min for "
          f"24 h; plain per-window forward pass: about {t_ref:.0f} s per hour "
          f"({t_ref / t_net:.0f}x the network's time)")  # fmt: skip
    print(f"  the network at its own step ({cnn.native_step_s():g} s, one strided pass, as the "
          f"analysis runs it): {t_native:.2f} s per hour ({t_native / t_net:.2f}x the 1-s "
          f"step's)")  # fmt: skip
    print(f"  one channel of 24 h in one call: {t_day1:.1f} s")
    print(f"  peak memory allocated by the call (tracemalloc, input excluded): "
          f"{peak_h / 2**20:.0f} MiB for 18 channels x 1 h, {peak_d / 2**20:.0f} MiB for 1 "
          f"channel x 24 h (channels one at a time; per channel, the pre-processing's float64 "
          f"copies, about 14 MiB per hour, then the network in blocks of 1 h); "
          f"process max RSS {rss:.0f} MiB")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=Path, help="another variant's .npz, scored too")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    clips = load_clips()
    print(f"Helsinki clips: {len(clips)} infants x 30 s, 18 bipolar channels, 16-s windows "
          f"every {STEP_S:g} s; clip score = mean over windows of the highest channel")  # fmt: skip
    print(f"ALL ACCURACY NUMBERS BELOW ARE {IN_SAMPLE}: they check the port, not the detector.")
    print(
        "Honest reference: the paper's cross-validated results on Helsinki (Stevenson, "
        "Tapani & Vanhatalo, EMBC 2019): agreement with the experts at the benchmark of "
        "the experts' agreement with each other."
    )
    print()
    accuracy(clips, None)
    if args.weights:
        print()
        accuracy(clips, str(args.weights))
    print()
    speed(clips)
    print(f"\n({time.perf_counter() - t0:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
