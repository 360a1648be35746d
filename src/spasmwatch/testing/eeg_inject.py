"""An evaluation set for the EEG background and decrement detectors: real recordings with
injected hypsarrhythmia, electrodecremental events and artefacts, with ground truth.

Backgrounds are the real EEG of ``../shared/data/eeg/``: the 23 seizure-free Helsinki
neonatal clips (no expert marked a second of seizure) and the two ``real_infant``
recordings. They are split **by recording** into a tuning part and a test part that share
no recording (alternate Helsinki infants by number; ``eeg_burst_eg.edf`` for tuning,
``demo.edf`` for test). A 30-s clip is lengthened by mirror tiling (the clip, then the
clip backwards, ...), which keeps the signal continuous at the joins; ``demo.edf`` is cut
to length from a random start.

Each background gives seven recordings of 2.5-5.5 minutes (``KINDS``):

- ``normal``: the background with artefacts only;
- ``decrements``: artefacts and 3-7 electrodecremental events;
- ``hyps``: hypsarrhythmia (see :func:`add_hypsarrhythmia`), artefacts, and 0-6
  electrodecremental events (a cluster of spasms);
- ``hyps_short``: the same, 125-170 s long (a short recording must still be assessed);
- ``slow``: high-voltage (150-350 µV), organised, synchronous delta without spikes, as in
  deep sleep; a hard negative for amplitude alone;
- ``focal``: one focus of spikes with slow waves (0.05-0.3 per second), artefacts; a hard
  negative for spikes alone (BASED 2);
- ``discontinuous``: the background cut into bursts (2-8 s, amplified 1.5-3 times) and
  inter-burst intervals (4-20 s, attenuated to 5-25 %), as in preterm EEG or
  burst-suppression, with artefacts and no decrement: a hard negative for decrements
  (every burst ends in an attenuation). Scored on its own, outside the other numbers.

Hypsarrhythmia is true for ``hyps`` and ``hyps_short`` only. The injected morphologies,
amplitudes and durations differ from those of the unit tests (triangles on sines or
noise): here spikes and sharp waves are asymmetric, 30-150 ms, each followed by a slow
wave, on a Gaussian field around a focus that moves among 3-6 electrodes; the delta is
band-limited noise, different at every electrode; decrements are a diffuse slow wave
(200-500 µV, 0.4-1.2 s) then an attenuation of the whole EEG to 10-35 % for 1-5 s,
sometimes with low-voltage fast activity and a burst of muscle artefact; artefacts are
movement (1-4 s of large slow swings and muscle), electrode pops (a step with an
exponential decay on one electrode), flat electrodes (constant), clipped electrodes (at
the file's digital limit) and whole-head flat seconds (an amplifier reset).

Run ``.venv/bin/python benchmarks/eeg_inject.py [--out DIR]`` to write the set (EDF files
and ``manifest.json``); ``benchmarks/eeg_assess.py`` scores it.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

#: The checkout (src/spasmwatch/testing/ is three folders down), beside ``../shared``.
ROOT = Path(__file__).resolve().parents[3]
SHARED_EEG = ROOT.parent / "shared" / "data" / "eeg"
CACHE = ROOT / "benchmarks" / ".cache" / "eeg_inject"
FS = 256
RANGE_UV = 3000.0  # physical range of the written files (clipped electrodes sit on it)
KINDS = ("normal", "decrements", "hyps", "hyps_short", "slow", "focal", "discontinuous")
SPLITS = ("tuning", "test")

# approximate scalp positions (x: left -1 to right 1, y: back -1 to front 1)
POS: dict[str, tuple[float, float]] = {
    "Fp1": (-0.3, 0.95), "Fp2": (0.3, 0.95), "F7": (-0.75, 0.55), "F3": (-0.38, 0.48),
    "Fz": (0.0, 0.45), "F4": (0.38, 0.48), "F8": (0.75, 0.55), "T3": (-0.95, 0.0),
    "C3": (-0.48, 0.0), "Cz": (0.0, 0.0), "C4": (0.48, 0.0), "T4": (0.95, 0.0),
    "T5": (-0.75, -0.55), "P3": (-0.38, -0.48), "Pz": (0.0, -0.45), "P4": (0.38, -0.48),
    "T6": (0.75, -0.55), "O1": (-0.3, -0.95), "O2": (0.3, -0.95),
}  # fmt: skip


@dataclass
class Case:
    """One recording of the set and its ground truth (times in seconds)."""

    name: str
    split: str
    background: str
    kind: str
    hyps: bool
    duration_s: float
    decrements: list[tuple[float, float]] = field(default_factory=list)
    artefacts: list[tuple[float, float, str]] = field(default_factory=list)
    path: str = ""


@dataclass
class Background:
    """A real recording: samples in µV, channel names and kinds."""

    name: str
    data: np.ndarray
    channels: list[str]
    bipolar: bool


def seizure_free_helsinki() -> list[int]:
    """Infants whose clip no expert marked as seizure anywhere (23 clips)."""
    with (SHARED_EEG / "helsinki" / "clips_summary.csv").open() as f:
        return sorted(
            int(r["infant"]) for r in csv.DictReader(f) if int(r["seconds_seizure_any"]) == 0
        )


def split_of(name: str) -> str:
    """The part a background belongs to: alternate Helsinki infants, and one real
    infant recording each."""
    if name == "eeg_burst_eg":
        return "tuning"
    if name == "demo":
        return "test"
    infants = seizure_free_helsinki()
    return SPLITS[infants.index(int(name.removeprefix("eeg"))) % 2]


def load_backgrounds() -> list[Background]:
    """Every background recording, read with the project's reader."""
    from spasmwatch.eeg.reader import read_recording

    paths = [SHARED_EEG / "helsinki" / "clips" / f"eeg{i}.edf" for i in seizure_free_helsinki()]
    paths += [SHARED_EEG / "real_infant" / n for n in ("eeg_burst_eg.edf", "demo.edf")]
    out = []
    for p in paths:
        rec = read_recording(p)
        data = rec.read(0, int(rec.duration_s)).astype(np.float64)
        bipolar = all(k == "bipolar" for k in rec.kinds)
        out.append(Background(p.stem, data, list(rec.channels), bipolar))
    return out


def lengthen(bg: Background, seconds: int, rng: np.random.Generator) -> np.ndarray:
    """``seconds`` of the background: mirror-tiled when shorter, a random cut otherwise."""
    n = seconds * FS
    x = bg.data - np.median(bg.data, axis=1, keepdims=True)
    if x.shape[1] >= n:
        a = int(rng.integers(0, x.shape[1] - n + 1))
        return x[:, a : a + n].copy()
    tiles, k = [], 0
    while sum(t.shape[1] for t in tiles) < n:
        tiles.append(x if k % 2 == 0 else x[:, ::-1])
        k += 1
    return np.concatenate(tiles, axis=1)[:, :n].copy()


def electrodes(channels: list[str]) -> list[str]:
    """The electrodes the channels are made of."""
    names: list[str] = []
    for c in channels:
        for e in c.split("-"):
            if e in POS and e not in names:
                names.append(e)
    return names


def project(sources: dict[str, np.ndarray], channels: list[str]) -> np.ndarray:
    """Channel signals from electrode signals: ``e`` or ``a - b`` for a bipolar pair."""
    n = len(next(iter(sources.values())))
    out = np.zeros((len(channels), n))
    for i, c in enumerate(channels):
        parts = c.split("-")
        if parts[0] in sources:
            out[i] += sources[parts[0]]
        if len(parts) == 2 and parts[1] in sources:
            out[i] -= sources[parts[1]]
    return out


def band_noise(rng: np.random.Generator, n: int, lo: float, hi: float) -> np.ndarray:
    """Gaussian noise band-limited to ``lo``-``hi`` Hz, unit RMS."""
    spec = np.fft.rfft(rng.normal(size=n))
    f = np.fft.rfftfreq(n, 1 / FS)
    spec[(f < lo) | (f > hi)] = 0
    x = np.fft.irfft(spec, n)
    return x / max(float(np.std(x)), 1e-12)


def field_gain(names: list[str], focus: tuple[float, float], sigma: float) -> np.ndarray:
    """Gaussian field of each electrode around a scalp position."""
    d2 = np.array([(POS[e][0] - focus[0]) ** 2 + (POS[e][1] - focus[1]) ** 2 for e in names])
    return np.exp(-d2 / (2 * sigma**2))


def spike_wave(rng: np.random.Generator, amp: float) -> np.ndarray:
    """An asymmetric spike or sharp wave (30-150 ms, steeper rise) then a slow wave."""
    dur = rng.uniform(0.03, 0.15)
    rise = dur * rng.uniform(0.3, 0.45)
    n_r, n_f = max(2, int(rise * FS)), max(2, int((dur - rise) * FS))
    spike = np.r_[np.sin(np.linspace(0, np.pi / 2, n_r)), np.cos(np.linspace(0, np.pi / 2, n_f))]
    n_s = int(rng.uniform(0.15, 0.4) * FS)
    slow = np.sin(np.linspace(0, np.pi, n_s)) * rng.uniform(0.35, 0.9)
    gap = np.zeros(int(rng.uniform(0.0, 0.04) * FS))
    return -amp * np.r_[spike, gap, slow]  # surface-negative spike and slow wave


def add_at(x: np.ndarray, i: int, w: np.ndarray) -> None:
    """Add ``w`` into ``x`` at sample ``i`` (cut at the ends)."""
    a, b = max(0, i), min(len(x), i + len(w))
    if b > a:
        x[a:b] += w[a - i : b - i]


def add_hypsarrhythmia(
    x: np.ndarray, channels: list[str], rng: np.random.Generator
) -> dict[str, float]:
    """Hypsarrhythmia: the background amplified, high-voltage delta different at every
    electrode (disorganised) and abundant multifocal spikes and sharp waves.

    Peak-to-peak of the delta 300-700 µV at an electrode; spikes 1.0-2.5 per second over
    the head (so that more than half of the seconds hold one: BASED 4-5), 150-400 µV,
    on 3-6 foci.
    """
    names = electrodes(channels)
    n = x.shape[1]
    amp = rng.uniform(300, 700)
    sync = rng.uniform(0.0, 0.35)
    common = band_noise(rng, n, 0.4, 3.0)
    slow_mod = 1 + 0.3 * band_noise(rng, n, 0.0, 0.05)
    src = {}
    for e in names:
        own = band_noise(rng, n, 0.4, rng.uniform(2.0, 3.5))
        src[e] = (amp / 5.0) * np.clip(slow_mod, 0.4, 2) * ((1 - sync) * own + sync * common)
    foci = rng.choice(len(names), size=min(len(names), int(rng.integers(3, 7))), replace=False)
    rate = rng.uniform(1.0, 2.5)
    t = 0.0
    while True:
        t += rng.exponential(1 / rate)
        if t >= n / FS - 0.5:
            break
        f = names[int(rng.choice(foci))]
        gain = field_gain(names, POS[f], rng.uniform(0.2, 0.4))
        w = spike_wave(rng, rng.uniform(150, 400))
        for e, g in zip(names, gain, strict=True):
            if g > 0.05:
                add_at(src[e], int(t * FS), g * w)
    x *= rng.uniform(1.0, 2.0)
    x += project(src, channels)
    return {"amplitude_uv": amp, "spikes_per_s": rate, "foci": float(len(foci))}


def add_slow_sleep(x: np.ndarray, channels: list[str], rng: np.random.Generator) -> None:
    """High-voltage organised delta (0.7-2 Hz), synchronous, frontal maximum."""
    names = electrodes(channels)
    n = x.shape[1]
    amp = rng.uniform(150, 350)
    wave = band_noise(rng, n, 0.7, 2.0)
    gain = field_gain(names, (0.0, rng.uniform(0.3, 0.9)), rng.uniform(0.5, 0.8))
    src = {e: (amp / 4.0) * g * wave for e, g in zip(names, gain, strict=True)}
    x += project(src, channels)


def add_focal_spikes(x: np.ndarray, channels: list[str], rng: np.random.Generator) -> None:
    """One focus of spikes and slow waves, 0.05-0.3 per second."""
    names = electrodes(channels)
    src = {e: np.zeros(x.shape[1]) for e in names}
    f = names[int(rng.integers(len(names)))]
    gain = field_gain(names, POS[f], rng.uniform(0.2, 0.35))
    rate = rng.uniform(0.05, 0.3)
    t = 0.0
    while True:
        t += rng.exponential(1 / rate)
        if t >= x.shape[1] / FS - 0.5:
            break
        w = spike_wave(rng, rng.uniform(100, 250))
        for e, g in zip(names, gain, strict=True):
            add_at(src[e], int(t * FS), g * w)
    x += project(src, channels)


def add_discontinuity(x: np.ndarray, rng: np.random.Generator) -> None:
    """Bursts (2-8 s, amplified 1.5-3 times) and inter-burst intervals (4-20 s,
    attenuated to 5-25 %) in turn, with 0.2-0.5 s transitions (a discontinuous
    background: preterm EEG, burst-suppression)."""
    n = x.shape[1]
    env = np.ones(n)
    i = 0
    burst = bool(rng.random() < 0.5)
    while i < n:
        m = int((rng.uniform(2, 8) if burst else rng.uniform(4, 20)) * FS)
        env[i : i + m] = rng.uniform(1.5, 3.0) if burst else rng.uniform(0.05, 0.25)
        i += m
        burst = not burst
    k = int(rng.uniform(0.2, 0.5) * FS) | 1
    kernel = np.hanning(k)
    env = np.convolve(np.pad(env, k // 2, mode="edge"), kernel / kernel.sum(), mode="valid")
    x *= env[None]


def add_decrement(
    x: np.ndarray, channels: list[str], at_s: float, rng: np.random.Generator
) -> tuple[float, float]:
    """A diffuse high-voltage slow wave ending at ``at_s``, then attenuation of everything
    to 10-35 % for 1-5 s (electrodecremental event). Returns (onset, duration) of the
    attenuation."""
    names = electrodes(channels)
    n = x.shape[1]
    dur = rng.uniform(1.0, 5.0)
    depth = rng.uniform(0.10, 0.35)
    i0 = int(at_s * FS)
    ramp_in = int(rng.uniform(0.08, 0.25) * FS)
    ramp_out = int(rng.uniform(0.3, 0.8) * FS)
    i1 = i0 + int(dur * FS)
    env = np.ones(n)
    env[i0 : i0 + ramp_in] = np.linspace(1, depth, ramp_in)[: max(0, min(ramp_in, n - i0))]
    env[i0 + ramp_in : i1] = depth
    seg = np.linspace(depth, 1, ramp_out)
    env[i1 : i1 + ramp_out] = seg[: max(0, min(ramp_out, n - i1))]
    x *= env[None]
    # the slow wave before it, on a broad field with per-electrode jitter
    sw_len = int(rng.uniform(0.4, 1.2) * FS)
    amp = rng.uniform(200, 500)
    gain = field_gain(names, (rng.uniform(-0.3, 0.3), rng.uniform(-0.3, 0.5)), 0.7)
    gain = gain * rng.uniform(0.5, 1.0, len(gain))
    wave = -amp * np.sin(np.linspace(0, np.pi, sw_len)) ** 1.5
    src = {e: np.zeros(n) for e in names}
    for e, g in zip(names, gain, strict=True):
        add_at(src[e], i0 - sw_len, g * wave)
        if rng.random() < 0.4:  # low-voltage fast activity at the start of the attenuation
            fast_len = int(rng.uniform(0.3, 1.0) * FS)
            tt = np.arange(fast_len) / FS
            add_at(src[e], i0, rng.uniform(3, 12) * np.sin(2 * np.pi * rng.uniform(12, 20) * tt))
    if rng.random() < 0.3:  # the muscle burst of the spasm itself, on temporal electrodes
        for e in names:
            if e[0] in "TF" and not e.startswith("Fz"):
                add_at(src[e], i0 - sw_len, rng.uniform(15, 40) * band_noise(rng, sw_len, 25, 70))
    x += project(src, channels)
    return float(at_s), float(dur)


def add_artefact(
    x: np.ndarray, channels: list[str], kind: str, at_s: float, rng: np.random.Generator
) -> tuple[float, float, str]:
    """One artefact of ``kind`` (``movement``, ``pop``, ``flat``, ``clipped``,
    ``reset``) at ``at_s``; returns (onset, duration, kind)."""
    names = electrodes(channels)
    n = x.shape[1]
    i0 = int(at_s * FS)
    src = {e: np.zeros(n) for e in names}
    if kind == "movement":
        dur = rng.uniform(1.0, 4.0)
        m = int(dur * FS)
        env = np.sin(np.linspace(0, np.pi, m)) ** 0.5
        for e in names:
            if rng.random() < 0.8:
                swing = rng.uniform(150, 800) * band_noise(rng, m, 0.3, 2.5) / 2
                emg = rng.uniform(10, 60) * band_noise(rng, m, 20, 90)
                add_at(src[e], i0, env * (swing + emg))
        x += project(src, channels)
        return at_s, dur, kind
    if kind == "pop":
        e = names[int(rng.integers(len(names)))]
        tau = rng.uniform(0.1, 1.0)
        tail = np.exp(-np.arange(int(5 * tau * FS)) / (tau * FS))
        for k in range(int(rng.integers(1, 4))):
            add_at(src[e], i0 + int(k * rng.uniform(0.5, 2.0) * FS),
                   rng.choice([-1, 1]) * rng.uniform(200, 2000) * tail)  # fmt: skip
        x += project(src, channels)
        return at_s, 5 * tau, kind
    if kind in ("flat", "clipped"):
        dur = rng.uniform(5.0, 40.0)
        i1 = min(n, i0 + int(dur * FS))
        e = names[int(rng.integers(len(names)))]
        rows = [i for i, c in enumerate(channels) if e in c.split("-")]
        for r in rows[:2]:
            x[r, i0:i1] = 0.0 if kind == "flat" else RANGE_UV * rng.choice([-1, 1])
        return at_s, dur, kind
    # reset: every channel flat for 1-4 s, as after an amplifier saturation
    dur = rng.uniform(1.0, 4.0)
    x[:, i0 : min(n, i0 + int(dur * FS))] = 0.0
    return at_s, dur, kind


def _times(rng: np.random.Generator, k: int, length: float, gap: float) -> list[float]:
    """``k`` times in 15 s .. length - 15 s, at least ``gap`` apart (fewer if no room)."""
    out: list[float] = []
    for _ in range(200):
        if len(out) == k:
            break
        t = float(rng.uniform(15, length - 15))
        if all(abs(t - u) >= gap for u in out):
            out.append(t)
    return sorted(out)


def make_case(bg: Background, kind: str, seed: int) -> tuple[Case, np.ndarray]:
    """One recording of ``kind`` from ``bg`` with its truth."""
    rng = np.random.default_rng(seed)
    seconds = int(rng.integers(125, 171) if kind == "hyps_short" else rng.integers(150, 331))
    x = lengthen(bg, seconds, rng)
    hyps = kind.startswith("hyps")
    case = Case(f"{bg.name}-{kind}", split_of(bg.name), bg.name, kind, hyps, seconds)
    if hyps:
        add_hypsarrhythmia(x, bg.channels, rng)
    elif kind == "slow":
        add_slow_sleep(x, bg.channels, rng)
    elif kind == "focal":
        add_focal_spikes(x, bg.channels, rng)
    elif kind == "discontinuous":
        add_discontinuity(x, rng)
    n_dec = {"decrements": int(rng.integers(3, 8)), "hyps": int(rng.integers(0, 7)),
             "hyps_short": int(rng.integers(0, 4))}.get(kind, 0)  # fmt: skip
    n_art = int(rng.integers(2, 7) if kind != "hyps_short" else rng.integers(1, 4))
    times = _times(rng, n_dec + n_art, seconds, 22.0)
    rng.shuffle(times)
    dec_t, art_t = sorted(times[:n_dec]), sorted(times[n_dec:])
    for t in dec_t:
        case.decrements.append(add_decrement(x, bg.channels, t, rng))
    kinds = ("movement", "movement", "pop", "pop", "flat", "clipped", "reset")
    for t in art_t:
        case.artefacts.append(add_artefact(x, bg.channels, str(rng.choice(kinds)), t, rng))
    np.clip(x, -RANGE_UV, RANGE_UV, out=x)
    return case, x


def write_case(
    path: Path,
    x: np.ndarray,
    channels: list[str],
    range_uv: float = RANGE_UV,
    edf_plus: bool = False,
) -> None:
    """Write the recording (µV, at ``FS``) with the project's writer library (edfio),
    ``EEG <name>`` signals over the physical range +/- ``range_uv``; as EDF+C (with an
    annotation signal) when ``edf_plus``."""
    import edfio

    signals = [
        edfio.EdfSignal(
            row,
            sampling_frequency=FS,
            label=f"EEG {c}",
            physical_dimension="uV",
            physical_range=(-range_uv, range_uv),
        )
        for row, c in zip(x, channels, strict=True)
    ]
    edf = edfio.Edf(signals, annotations=[]) if edf_plus else edfio.Edf(signals)
    edf.write(path)


def build(out: Path = CACHE, force: bool = False) -> list[Case]:
    """Write every recording of the set into ``out`` (kept between runs) and return the
    cases; ``manifest.json`` lists them with their truth."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / "manifest.json"
    if manifest.exists() and not force:
        cases = [Case(**c) for c in json.loads(manifest.read_text())]
        if {c.kind for c in cases} == set(KINDS):
            return cases  # else written by an earlier version with fewer kinds: again
    cases = []
    for b, bg in enumerate(load_backgrounds()):
        for k, kind in enumerate(KINDS):
            case, x = make_case(bg, kind, seed=1000 * b + k)
            case.path = str(out / f"{case.name}.edf")
            write_case(Path(case.path), x, bg.channels)
            cases.append(case)
    manifest.write_text(json.dumps([asdict(c) for c in cases], indent=1))
    return cases


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=CACHE, help="folder for the EDF files")
    ap.add_argument("--force", action="store_true", help="write the set again")
    args = ap.parse_args(argv)
    cases = build(args.out, force=args.force)
    for split in SPLITS:
        part = [c for c in cases if c.split == split]
        print(
            f"{split}: {len(part)} recordings from {len({c.background for c in part})} "
            f"backgrounds, {sum(c.hyps for c in part)} with hypsarrhythmia, "
            f"{sum(len(c.decrements) for c in part)} decrements, "
            f"{sum(len(c.artefacts) for c in part)} artefacts, "
            f"{sum(c.duration_s for c in part) / 3600:.2f} h"
        )
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
