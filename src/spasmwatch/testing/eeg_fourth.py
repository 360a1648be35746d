"""A fourth evaluation set of infant EEG: patterns injected into long real backgrounds.

Every recording is made from **one** real background of ``shared/data/eeg`` (the 62
Helsinki neonatal clips of 30 s, 19 referential electrodes at 256 Hz, and the two
``real_infant`` recordings, one referential, one in an 8-channel bipolar montage), made
2-6 minutes long, then given a pattern (or none), artefacts, and written as EDF in µV.

How a background is lengthened
------------------------------
Real long EEG is not stationary: it changes state (quiet and active sleep, waking), waxes
and wanes over tens of seconds and sometimes changes abruptly (the infant moves and
settles, a seizure ends, a quiet stretch follows a louder one; André et al., Neurophysiol
Clin 2010;40:59). A background is built in four steps (:func:`lengthen`):

1. **Remix.** The source is high-passed at 0.3 Hz, then cut into pieces of random length
   (2-6 s from a 30-s clip, 4-15 s from a longer recording) at random positions, which
   are joined end to end with power-preserving sine/cosine cross-fades of 0.3-0.6 s.
   Every sample is real EEG of that infant; nothing is reversed or inverted.
2. **States.** The recording is divided into states of 20-90 s. Each has its own gain
   (log-uniform, 0.5-2 times; 0.25-4 times in ``state_change``) and its own spectral
   balance ("slow": delta below 2 Hz raised and faster activity lowered, like quiet
   sleep; "fast": the reverse, like waking; or unchanged). Each change of state is either
   gradual (a ramp of 5-20 s) or abrupt (0.1-0.3 s); every recording has at least one
   abrupt change. The changes are listed in :attr:`Case.changes`. Decrements are kept at
   least 4 s away from an abrupt change, so that a change of state is never read as part
   of one.
3. **Waxing and waning.** A smooth random log-gain (time scale 10-40 s, s.d. 0.15-0.3)
   common to all electrodes, plus a smaller one (s.d. 0.08) per electrode.
4. The pattern of the kind (if any), the spasms' events and 1-6 artefacts are added.

These changes of the background are part of the background: they are not events.

Kinds
-----
(a) Without hypsarrhythmia and without decrements (:data:`NO_DECREMENTS`):
``normal`` (background and artefacts only), ``hv_delta`` (hard negatives: generalised
high-voltage synchronous delta, or rhythmic delta trains, frontal or occipital; Hirsch et
al., ACNS critical care EEG terminology, J Clin Neurophysiol 2021;38:1), ``focal_spikes``
(one or two spike foci), ``sleep_delta`` (a long stretch of diffuse high-voltage delta
like quiet sleep), ``state_change`` (large abrupt changes of the background, with a
movement at the change, or an evolving rhythmic focal seizure that stops abruptly and
leaves a quieter post-ictal background).

(b) With the electrodecremental events (EDEs) of spasms: ``spasms``, variants
``isolated`` and ``cluster``. Each event is a diffuse attenuation to 5-45 % of the
background lasting 1-5 s (onset on any sample), preceded in some by a generalised
high-voltage slow wave or a sharp-and-slow complex and in others by nothing, sometimes
with low-voltage fast activity of 15-30 Hz in it and/or a burst of muscle artefact from
the spasm on a few frontal and temporal electrodes (Kellaway et al., Ann Neurol
1979;6:214; Fusco & Vigevano, Epilepsia 1993;34:671; Hrachovy & Frost, J Clin
Neurophysiol 2003;20:408). Clusters have events 5-40 s apart (ILAE, "Epileptic spasms").

(c) With hypsarrhythmia: ``hyps`` (no decrement) and ``hyps_spasms`` (with EDEs), each in
the classic form and the modified forms of Hrachovy, Frost & Kellaway (Epilepsia
1984;25:317): ``classic`` (chaotic asynchronous high-voltage delta of 200-800 µV with
multifocal spikes and sharp waves; Gibbs & Gibbs 1952), ``synchronous`` (increased
interhemispheric synchrony), ``hemi`` (asymmetric, one hemisphere much lower),
``focus`` (a consistent focus of abnormal discharge), ``attenuation`` (episodes of
generalised or regional attenuation, listed in :attr:`Case.attenuations`: neither a
decrement to find nor a false one) and ``slow`` (high-voltage slow waves with few
spikes).

Discontinuous backgrounds (:data:`DISCONTINUOUS`, scored apart, no decrement):
``discontinuous``, variants ``burst_suppression`` (bursts of 1-5 s, inter-burst
intervals of 3-15 s below about 10 µV) and ``trace_discontinu`` (bursts of 2-10 s,
intervals of 2-10 s at 15-35 % of the background), both made from the real background
(Tsuchida et al., ACNS neonatal EEG terminology, J Clin Neurophysiol 2013;30:161).

Artefacts (1-6 on every recording; Tatum et al., J Clin Neurophysiol 2011;28:252):
movement, electrode pop, flat electrode, disconnected electrode, clipping at the
amplifier's limit, muscle, sweat (slow drift), 50 Hz mains and ECG. Those on many
electrodes are kept off the decrements and attenuation episodes.

Spike and sharp-wave durations follow the IFCN glossary (Kane et al., Clin Neurophysiol
Pract 2017;2:170): spikes 20-70 ms, sharp waves 70-200 ms.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from spasmwatch.eeg.reader import read_recording
from spasmwatch.testing.eeg_inject import write_case

__all__ = [
    "CACHE",
    "DATA",
    "DISCONTINUOUS",
    "KINDS",
    "NO_DECREMENTS",
    "NO_SPIKES",
    "SEED",
    "Case",
    "background_names",
    "build",
    "lengthen",
]

ROOT = Path(__file__).resolve().parents[3]
#: The real recordings, in ``../shared`` beside the checkout.
DATA = ROOT.parent / "shared" / "data" / "eeg"
CACHE = ROOT / "benchmarks" / ".cache" / "eeg_fourth"
SEED = 4004
#: Bumped whenever the recordings would change for the same seed.
VERSION = 1
FS = 256
#: Recordings per background.
PER_BACKGROUND = 5
#: The physical range written to the files, in µV (as the Helsinki files).
LIMIT_UV = 5000.0

ELECTRODES = (
    "Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4", "O1", "O2",
    "F7", "F8", "T3", "T4", "T5", "T6", "Fz", "Cz", "Pz",
)  # fmt: skip
#: Rough positions on the scalp seen from above (x: left to right, y: back to front).
_POS = {
    "Fp1": (-0.3, 0.95), "Fp2": (0.3, 0.95), "F7": (-0.8, 0.6), "F3": (-0.4, 0.55),
    "Fz": (0.0, 0.5), "F4": (0.4, 0.55), "F8": (0.8, 0.6), "T3": (-1.0, 0.0),
    "C3": (-0.5, 0.0), "Cz": (0.0, 0.0), "C4": (0.5, 0.0), "T4": (1.0, 0.0),
    "T5": (-0.8, -0.6), "P3": (-0.4, -0.55), "Pz": (0.0, -0.5), "P4": (0.4, -0.55),
    "T6": (0.8, -0.6), "O1": (-0.3, -0.95), "O2": (0.3, -0.95),
}  # fmt: skip
XY = np.array([_POS[e] for e in ELECTRODES])
_EMG_SITES = ("Fp1", "Fp2", "F7", "F8", "T3", "T4", "T5", "T6")

#: The kinds, per group, and their variants.
KINDS: dict[str, tuple[str, ...]] = {
    "normal": ("",),
    "hv_delta": ("synchronous", "rhythmic"),
    "focal_spikes": ("one_focus", "two_foci"),
    "sleep_delta": ("",),
    "state_change": ("loud_quiet", "seizure_end"),
    "spasms": ("isolated", "cluster"),
    "hyps": ("classic", "synchronous", "hemi", "focus", "attenuation", "slow"),
    "hyps_spasms": ("classic", "synchronous", "hemi", "focus", "attenuation", "slow"),
    "discontinuous": ("burst_suppression", "trace_discontinu"),
}
#: Kinds without added spikes or sharp waves.
NO_SPIKES = ("normal", "hv_delta", "sleep_delta", "state_change", "discontinuous")
#: Kinds without any decrement.
NO_DECREMENTS = (
    "normal", "hv_delta", "focal_spikes", "sleep_delta", "state_change", "hyps", "discontinuous",
)  # fmt: skip
#: The discontinuous kinds (scored apart).
DISCONTINUOUS = ("discontinuous",)
HYPS = ("hyps", "hyps_spasms")
#: The order in which kinds are dealt to recordings (20 slots, repeated): any run of 10
#: consecutive recordings holds every kind.
_CYCLE = (
    "normal", "spasms", "hyps", "hyps_spasms", "discontinuous", "hv_delta", "focal_spikes",
    "sleep_delta", "state_change", "spasms", "normal", "hyps", "hyps_spasms", "spasms",
    "hv_delta", "discontinuous", "normal", "hyps", "hyps_spasms", "spasms",
)  # fmt: skip
ARTEFACTS = (
    "movement", "pop", "flat", "disconnected", "clipping", "muscle", "sweat", "mains", "ecg",
)  # fmt: skip
_WIDE = ("movement", "clipping", "sweat", "muscle")


@dataclass
class Case:
    """One recording of the set and its ground truth (times in seconds from the start)."""

    name: str
    path: str
    background: str
    kind: str
    variant: str
    hyps: bool
    #: (onset_s, duration_s) of the injected electrodecremental events.
    decrements: list[tuple[float, float]]
    #: (onset_s, duration_s) of attenuation episodes of modified hypsarrhythmia (neutral).
    attenuations: list[tuple[float, float]]
    duration_s: float
    #: (onset_s, duration_s, type) of the artefacts.
    artefacts: list[tuple[float, float, str]] = field(default_factory=list)
    #: (time_s, gain ratio, "abrupt" or "gradual") of the background's changes of state.
    changes: list[tuple[float, float, str]] = field(default_factory=list)
    montage: str = "referential"
    channels: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- sources


def background_names() -> list[str]:
    """The names of the backgrounds, Helsinki clips first (by infant), then real_infant."""
    clips = sorted((DATA / "helsinki" / "clips").glob("eeg*.edf"), key=lambda p: int(p.stem[3:]))
    names = [f"helsinki/{p.stem}" for p in clips]
    names += [f"real_infant/{s}" for s in ("eeg_burst_eg", "demo")]
    return [n for n in names if _source_path(n).exists()]


def _source_path(name: str) -> Path:
    group, stem = name.split("/")
    return DATA / group / ("clips" if group == "helsinki" else "") / f"{stem}.edf"


def _load(name: str) -> tuple[np.ndarray, list[str], np.ndarray]:
    """The source's EEG (channels x samples, µV, high-passed at 0.3 Hz), its channel names
    in the order written, and the montage matrix from the 19 electrodes to them."""
    rec = read_recording(_source_path(name))
    if int(rec.sfreq) != FS:
        raise ValueError(f"{name}: sampled at {rec.sfreq} Hz, not {FS}")
    x = np.asarray(rec.read(0.0, rec.n_samples / rec.sfreq), dtype=float)
    if set(ELECTRODES) <= set(rec.channels):
        order = [rec.channels.index(e) for e in ELECTRODES]
        x, names, montage = x[order], list(ELECTRODES), np.eye(len(ELECTRODES))
    else:  # bipolar: derivation "A-B" is electrode A minus electrode B
        names = list(rec.channels)
        montage = np.zeros((len(names), len(ELECTRODES)))
        for i, n in enumerate(names):
            a, b = n.split("-")
            montage[i, ELECTRODES.index(a)] = 1.0
            montage[i, ELECTRODES.index(b)] = -1.0
    return _highpass(x, 0.3), names, montage


def _highpass(x: np.ndarray, f: float) -> np.ndarray:
    spec = np.fft.rfft(x, axis=-1)
    freqs = np.fft.rfftfreq(x.shape[-1], 1 / FS)
    spec *= 1.0 / (1.0 + (f / np.maximum(freqs, 1e-6)) ** 4)
    return np.fft.irfft(spec, x.shape[-1], axis=-1)


def _band(rng: np.random.Generator, shape: tuple[int, ...], lo: float, hi: float) -> np.ndarray:
    """Noise limited to ``lo``-``hi`` Hz (smooth edges), unit s.d. per row."""
    n = shape[-1]
    spec = np.fft.rfft(rng.standard_normal(shape), axis=-1)
    freqs = np.fft.rfftfreq(n, 1 / FS)
    edge = 0.15 * (hi - lo) + 0.2
    a = np.clip(-(freqs - lo) / edge * 4, -50, 50)
    b = np.clip((freqs - hi) / edge * 4, -50, 50)
    w = 1 / (1 + np.exp(a)) / (1 + np.exp(b))
    y = np.fft.irfft(spec * w, n, axis=-1)
    return y / (y.std(axis=-1, keepdims=True) + 1e-12)


def _smooth(rng: np.random.Generator, rows: int, n: int, scale_s: float) -> np.ndarray:
    """A smooth random process of unit s.d. (rows x n samples), time scale ``scale_s``."""
    step = max(scale_s / 6, 0.25)
    k = int(n / FS / step) + 8
    sig = scale_s / step
    ker = np.exp(-0.5 * (np.arange(-3 * sig, 3 * sig + 1) / sig) ** 2)
    raw = rng.standard_normal((rows, k + len(ker)))
    sm = np.array([np.convolve(r, ker, mode="valid")[:k] for r in raw])
    sm = (sm - sm.mean(axis=1, keepdims=True)) / (sm.std(axis=1, keepdims=True) + 1e-12)
    t = np.arange(n) / FS / step
    return np.array([np.interp(t, np.arange(k), r) for r in sm])


def _ramp(n: int, start: float, stop: float, rise_s: float) -> np.ndarray:
    """A window 0 -> 1 -> 0 whose half-height points are ``start`` and ``stop`` (s), with
    raised-cosine edges of ``rise_s``."""
    t = np.arange(n) / FS
    up = np.clip((t - start) / rise_s + 0.5, 0, 1)
    down = np.clip((stop - t) / rise_s + 0.5, 0, 1)
    return 0.5 - 0.5 * np.cos(np.pi * np.minimum(up, down))


def _field(center: np.ndarray, width: float) -> np.ndarray:
    """Weights of the 19 electrodes for a field centred at ``center`` (x, y)."""
    d2 = ((XY - center) ** 2).sum(axis=1)
    return np.exp(-d2 / width**2)


# --------------------------------------------------------------------------- lengthening


def lengthen(
    src: np.ndarray, n: int, rng: np.random.Generator, strong: bool = False
) -> tuple[np.ndarray, list[tuple[float, float, str]], np.ndarray]:
    """Make ``n`` samples of non-stationary background from the real ``src`` (channels x
    samples): remix, states, waxing and waning (see the module's docstring).

    Returns the background, its changes of state (time_s, gain ratio, kind) and the global
    gain curve (for patterns that follow the state)."""
    ch, m = src.shape
    long_src = m > 60 * FS
    lo, hi = (4.0, 15.0) if long_src else (2.0, 6.0)
    out = np.zeros((ch, n))
    pos = 0
    while pos < n:
        seg = int(rng.uniform(lo, hi) * FS)
        fade = int(rng.uniform(0.3, 0.6) * FS)
        seg = min(seg, m - 1)
        start = int(rng.integers(0, m - seg))
        piece = src[:, start : start + seg].copy()
        w = np.ones(seg)
        if pos > 0:
            w[:fade] = np.sin(0.5 * np.pi * (np.arange(fade) + 0.5) / fade)
        w[seg - fade :] = np.cos(0.5 * np.pi * (np.arange(fade) + 0.5) / fade)
        stop = min(pos + seg, n)
        out[:, pos:stop] += piece[:, : stop - pos] * w[: stop - pos]
        pos += seg - fade
    # states
    dur = n / FS
    bounds = [0.0]
    while bounds[-1] < dur:
        bounds.append(bounds[-1] + rng.uniform(20, 90))
    bounds = bounds[:-1] if dur - bounds[-2] >= 20 or len(bounds) <= 2 else bounds[:-2]
    bounds = [b for b in bounds if b < dur - 15] or [0.0]
    k = len(bounds)
    span = math.log(4.0) if strong else math.log(2.0)
    gains = np.exp(rng.uniform(-span, span, k))
    tilts = rng.choice(["same", "slow", "fast"], k, p=[0.4, 0.35, 0.25])
    abrupt = rng.random(k) < 0.5
    if k > 1 and not abrupt[1:].any():
        abrupt[int(rng.integers(1, k))] = True
    if strong:
        abrupt[1:] = True
    for i in range(1, k):  # an abrupt change is a visible one
        if abrupt[i] and abs(math.log(gains[i] / gains[i - 1])) < math.log(1.6):
            gains[i] = gains[i - 1] * (1.6 if rng.random() < 0.5 else 1 / 1.6) ** (
                2 if strong else 1
            )
    changes: list[tuple[float, float, str]] = []
    knots_t, knots_g, knots_l, knots_h = [], [], [], []
    tilt_of = {"same": (1.0, 1.0), "slow": (1.7, 0.7), "fast": (0.8, 1.35)}
    for i, b in enumerate(bounds):
        gl, gh = tilt_of[str(tilts[i])]
        if i == 0:
            t0, t1 = 0.0, 0.0
        else:
            width = rng.uniform(0.1, 0.3) if abrupt[i] else rng.uniform(5, 20)
            t0, t1 = b - width / 2, b + width / 2
            changes.append(
                (round(b, 3), round(float(gains[i] / gains[i - 1]), 3),
                 "abrupt" if abrupt[i] else "gradual")
            )  # fmt: skip
        for t in (t0, t1) if i else (0.0,):
            knots_t.append(t)
            g_prev = gains[i - 1] if (i and t == t0) else gains[i]
            tl = tilt_of[str(tilts[i - 1])] if (i and t == t0) else (gl, gh)
            knots_g.append(g_prev)
            knots_l.append(tl[0])
            knots_h.append(tl[1])
    t = np.arange(n) / FS
    g = np.interp(t, knots_t, knots_g)
    gl = np.interp(t, knots_t, knots_l)
    gh = np.interp(t, knots_t, knots_h)
    # abrupt ramps are raised-cosine rather than linear: smooth the 0.1-0.3 s edges a little
    low = np.fft.irfft(np.fft.rfft(out, axis=1) * (np.fft.rfftfreq(n, 1 / FS) < 2.0), n, axis=1)
    out = low * gl + (out - low) * gh
    wax = np.exp(rng.uniform(0.15, 0.3) * _smooth(rng, 1, n, rng.uniform(10, 40))[0])
    own = np.exp(0.08 * _smooth(rng, ch, n, rng.uniform(10, 30)))
    env = g * wax
    out *= env * own
    return out, changes, env


# --------------------------------------------------------------------------- patterns


def _spike(rng: np.random.Generator, sharp: bool, slow: bool) -> np.ndarray:
    """A surface-negative spike (20-70 ms) or sharp wave (70-200 ms), a small positive
    after-swing and, if ``slow``, an after-going slow wave; peak of magnitude 1."""
    width = rng.uniform(0.07, 0.2) if sharp else rng.uniform(0.02, 0.07)
    total = width + (0.45 if slow else 0.15)
    t = np.arange(int(total * FS) + 1) / FS
    peak = width * 0.45
    s_up, s_down = width * 0.18, width * 0.3
    main = np.where(t < peak, np.exp(-0.5 * ((t - peak) / s_up) ** 2),
                    np.exp(-0.5 * ((t - peak) / s_down) ** 2))  # fmt: skip
    y = -main + 0.3 * np.exp(-0.5 * ((t - width - 0.02) / (width * 0.45)) ** 2)
    if slow:
        c, s = width + rng.uniform(0.12, 0.2), rng.uniform(0.06, 0.1)
        y -= rng.uniform(0.4, 0.7) * np.exp(-0.5 * ((t - c) / s) ** 2)
    return y / np.abs(y).max()


def _add(x: np.ndarray, at: int, w: np.ndarray, form: np.ndarray) -> None:
    """Add ``w[:, None] * form`` to ``x`` from sample ``at`` (cut at the edges)."""
    n = x.shape[1]
    if at >= n or at + len(form) <= 0:
        return
    a, b = max(at, 0), min(at + len(form), n)
    x[:, a:b] += w[:, None] * form[None, a - at : b - at]


def _spikes(
    rng: np.random.Generator,
    p: np.ndarray,
    rate_per_min: float,
    amp: tuple[float, float],
    centers: list[np.ndarray] | None,
    width: float = 0.35,
) -> None:
    """Add spikes and sharp waves: at random foci (``centers`` None) or at the given ones."""
    n = p.shape[1]
    count = rng.poisson(rate_per_min * n / FS / 60)
    for _ in range(count):
        if centers is None:
            c = XY[int(rng.integers(len(ELECTRODES)))] + rng.normal(0, 0.1, 2)
        else:
            c = centers[int(rng.integers(len(centers)))] + rng.normal(0, 0.05, 2)
        w = _field(c, width * rng.uniform(0.8, 1.3)) * rng.uniform(*amp)
        form = _spike(rng, rng.random() < 0.4, rng.random() < 0.5)
        _add(p, int(rng.uniform(0, n)), w, form)


def _hyps(rng: np.random.Generator, n: int, variant: str, env: np.ndarray) -> np.ndarray:
    """Hypsarrhythmia on the 19 electrodes (µV): chaotic asynchronous delta of 200-800 µV
    peak to peak with multifocal spikes, or one of Hrachovy's modified forms."""
    ne = len(ELECTRODES)
    delta = _band(rng, (ne, n), 0.5, 3.0) * (1 + 0.4 * _band(rng, (ne, n), 3.0, 7.0))
    if variant == "synchronous":
        common = _band(rng, (1, n), 0.5, 2.5)
        delta = 0.45 * delta + 0.9 * common
    chaos = np.exp(0.4 * _smooth(rng, ne, n, rng.uniform(2, 6)))
    level = rng.uniform(85, 160) * (1.25 if variant == "slow" else 1.0)
    local = rng.uniform(0.75, 1.3, ne)
    if variant == "hemi":
        side = -1 if rng.random() < 0.5 else 1
        local = local * np.where(XY[:, 0] * side > 0.1, 1.0,
                                 np.where(np.abs(XY[:, 0]) <= 0.1, 0.65, 0.35))  # fmt: skip
    p = delta * chaos * (level * local)[:, None] * np.sqrt(env / env.mean())
    rate = {"slow": rng.uniform(1, 4), "synchronous": rng.uniform(20, 50)}.get(
        variant, rng.uniform(30, 90)
    )
    if variant == "hemi":
        keep = [XY[i] for i in range(ne) if local[i] >= 0.65 * local.max()]
        _spikes(rng, p, rate, (120, 350), keep)
    elif variant == "synchronous":
        _spikes(rng, p, rate * 0.5, (120, 300), None)
        _spikes(rng, p, rate * 0.5, (150, 300), [np.array([0.0, 0.1])], width=1.2)
    else:
        _spikes(rng, p, rate, (100, 350), None)
    if variant == "focus":
        focus = XY[int(rng.integers(ne))]
        _spikes(rng, p, rng.uniform(20, 50), (150, 400), [focus], width=0.3)
    return p


def _hv_delta(rng: np.random.Generator, n: int, variant: str) -> np.ndarray:
    """Hard negatives: generalised high-voltage synchronous delta, or rhythmic delta trains
    (frontal or occipital), in episodes of 3-20 s; no spike, no following attenuation."""
    p = np.zeros((len(ELECTRODES), n))
    dur = n / FS
    for _ in range(int(rng.integers(3, 9))):
        length = rng.uniform(3, 20)
        start = rng.uniform(0, max(dur - length, 1))
        m = int(length * FS)
        win = _ramp(m, 0.5, length - 0.5, 1.0)
        if variant == "synchronous":
            wave = _band(rng, (1, m), 0.7, 2.5)[0] * rng.uniform(45, 90)
            w = _field(np.array([0.0, rng.uniform(-0.3, 0.5)]), 1.4)
        else:
            f0 = rng.uniform(1.5, 3.0)
            ph = 2 * np.pi * np.cumsum(f0 * (1 + 0.05 * _band(rng, (1, m), 0.05, 0.5)[0])) / FS
            wave = (np.sin(ph) + 0.25 * np.sin(2 * ph + 1)) * rng.uniform(40, 90)
            w = _field(np.array([0.0, 0.7 if rng.random() < 0.6 else -0.8]), 0.8)
        w = w * rng.uniform(0.85, 1.15, len(w))
        _add(p, int(start * FS), w, wave * win)
    return p


def _sleep_delta(rng: np.random.Generator, n: int) -> np.ndarray:
    """A stretch of 40-80 % of the recording of diffuse high-voltage 0.5-2 Hz delta,
    partly asynchronous, 100-250 µV peak to peak, with gradual onset and end."""
    ne = len(ELECTRODES)
    dur = n / FS
    length = dur * rng.uniform(0.4, 0.8)
    start = rng.uniform(0, dur - length)
    d = 0.6 * _band(rng, (ne, n), 0.5, 2.0) + 0.6 * _band(rng, (1, n), 0.5, 2.0)
    d *= np.exp(0.25 * _smooth(rng, ne, n, 5.0))
    return d * rng.uniform(30, 55) * _ramp(n, start, start + length, rng.uniform(8, 20))


def _seizure(rng: np.random.Generator, n: int) -> tuple[np.ndarray, float]:
    """An evolving rhythmic focal seizure of 20-60 s (rhythmic delta to theta, rising then
    steady) that stops abruptly; returns the pattern and its end (s)."""
    dur = n / FS
    length = rng.uniform(20, 60)
    start = rng.uniform(5, max(dur - length - 30, 6))
    m = int(length * FS)
    u = np.arange(m) / m
    freq = rng.uniform(1.2, 2.0) + rng.uniform(1.5, 3.0) * u
    ph = 2 * np.pi * np.cumsum(freq) / FS
    amp = rng.uniform(50, 120) * np.minimum(1, u * 4) * np.clip((1 - u) * m / FS / 0.3, 0, 1)
    wave = np.sin(ph) * amp
    w = _field(XY[int(rng.integers(len(ELECTRODES)))], 0.55)
    p = np.zeros((len(ELECTRODES), n))
    _add(p, int(start * FS), w, wave)
    return p, start + length


# --------------------------------------------------------------------------- events


def _schedule(
    rng: np.random.Generator, dur: float, variant: str, abrupt: list[float]
) -> list[tuple[float, float]]:
    """Onsets and durations of 1-8 spasm decrements: isolated or in clusters 5-40 s apart;
    kept 4 s from abrupt changes of state and 5 s from the ends."""

    def ok(on: float, d: float) -> bool:
        return 5 <= on <= dur - d - 5 and all(not (on - 4 <= a <= on + d + 4) for a in abrupt)

    events: list[tuple[float, float]] = []
    if variant == "isolated":
        for _ in range(200):
            if len(events) >= int(rng.integers(1, 4)) and events:
                break
            on, d = rng.uniform(5, dur - 10), rng.uniform(1, 5)
            if ok(on, d) and all(abs(on - o) > 30 for o, _ in events):
                events.append((on, d))
    else:
        for _ in range(50):
            want = int(rng.integers(3, 9))
            on = rng.uniform(5, max(dur * 0.5, 6))
            events = []
            while len(events) < want:
                d = rng.uniform(1, 5)
                if not 5 <= on <= dur - d - 5:
                    break
                if ok(on, d):
                    events.append((on, d))
                on += max(rng.uniform(5, 40), d + 3)
            if len(events) >= 2:
                break
    if not events:  # a short recording: one event in the middle
        d = rng.uniform(1, 3)
        on = dur / 2 + rng.uniform(-2, 2)
        events = [(on, d)]
    return sorted((round(float(o), 4), round(float(d), 4)) for o, d in events[:8])


def _decrement_gain(
    rng: np.random.Generator,
    n: int,
    events: list[tuple[float, float]],
    ne: int,
    regional: list[bool] | None = None,
) -> np.ndarray:
    """Per-electrode gain (19 x n): 1, and 5-45 % of it inside each event (diffuse, with a
    little variation between electrodes; a regional event spares part of the head)."""
    g = np.ones((ne, n))
    for i, (on, d) in enumerate(events):
        depth = rng.uniform(0.05, 0.45)
        per = np.clip(depth * rng.uniform(0.75, 1.25, ne), 0.03, 0.5)
        if regional is not None and regional[i]:
            c = XY[int(rng.integers(ne))]
            spare = 1 - _field(c, 0.9)
            per = per + (1 - per) * spare
        win = _ramp(n, on, on + d, rng.uniform(0.1, 0.3))
        g *= 1 - (1 - per)[:, None] * win[None, :]
    return g


def _spasm_parts(
    rng: np.random.Generator,
    n: int,
    events: list[tuple[float, float]],
    hyps: bool,
    bg_rms: float,
) -> np.ndarray:
    """What accompanies each decrement, on the 19 electrodes: a generalised high-voltage
    slow wave or sharp-and-slow complex before it (or nothing), low-voltage fast activity
    of 15-30 Hz in it, and muscle artefact of the spasm on a few electrodes."""
    ne = len(ELECTRODES)
    p = np.zeros((ne, n))
    for on, d in events:
        r = rng.random()
        if r < 0.65:  # a slow wave (0.4-1.2 s) or a sharp-and-slow complex before it
            length = rng.uniform(0.4, 1.2)
            m = int(length * FS)
            u = np.arange(m) / m
            wave = -(np.sin(np.pi * u) ** 1.5) + 0.25 * np.sin(2 * np.pi * u) * (u > 0.5)
            if r < 0.25:
                sharp = _spike(rng, True, False)
                sharp = np.pad(sharp, (0, max(0, m - len(sharp))))[:m]
                wave = 0.7 * sharp + wave
            amp = rng.uniform(200, 450) if hyps else rng.uniform(100, 300)
            w = _field(np.array([0.0, rng.uniform(-0.1, 0.4)]), 1.5) * rng.uniform(0.85, 1.15, ne)
            end = on + rng.uniform(-0.15, 0.15)
            _add(p, int((end - length) * FS), w * amp, wave)
        if rng.random() < 0.5:  # low-voltage fast activity at the start of the attenuation
            length = rng.uniform(0.3, min(2.0, d))
            m = int(length * FS)
            fast = _band(rng, (1, m), 15, 30)[0] * _ramp(m, 0.1, length - 0.1, 0.15)
            amp = min(max(0.25 * bg_rms, 3.0), 12.0) * (2.0 if hyps else 1.0)
            _add(p, int(on * FS), np.full(ne, amp) * rng.uniform(0.7, 1.2, ne), fast)
        if rng.random() < 0.5:  # the spasm's muscle burst on 2-5 electrodes
            length = rng.uniform(0.5, 2.0)
            m = int(length * FS)
            emg = _band(rng, (1, m), 25, 90)[0] * _ramp(m, 0.1, length - 0.1, 0.1)
            sites = rng.choice(_EMG_SITES, int(rng.integers(2, 6)), replace=False)
            w = np.zeros(ne)
            for s in sites:
                w[ELECTRODES.index(s)] = rng.uniform(15, 60)
            _add(p, int((on + rng.uniform(-0.3, 0.2)) * FS), w, emg)
    return p


def _attenuation_episodes(
    rng: np.random.Generator, dur: float, avoid: list[tuple[float, float]]
) -> tuple[list[tuple[float, float]], list[bool]]:
    """2-6 episodes of attenuation of 1.5-8 s (generalised, or regional in 30 %), kept 5 s
    away from the decrements."""
    eps: list[tuple[float, float]] = []
    for _ in range(200):
        if len(eps) >= int(rng.integers(2, 7)) and eps:
            break
        on, d = rng.uniform(5, dur - 13), rng.uniform(1.5, 8)
        near = [*avoid, *eps]
        if all(on + d + 5 < a or on > a + b + 5 for a, b in near):
            eps.append((round(float(on), 4), round(float(d), 4)))
    eps.sort()
    return eps, [bool(rng.random() < 0.3) for _ in eps]


def _discontinuous(rng: np.random.Generator, n: int, variant: str) -> np.ndarray:
    """The gain of a discontinuous background: bursts of the real background separated by
    low inter-burst intervals (burst-suppression or tracé discontinu)."""
    dur = n / FS
    t = 0.0
    knots_t, knots_g = [0.0], [1.0]
    bs = variant == "burst_suppression"
    while t < dur:
        burst = rng.uniform(1, 5) if bs else rng.uniform(2, 10)
        ibi = rng.uniform(3, 15) if bs else rng.uniform(2, 10)
        high = rng.uniform(2.0, 4.0) if bs else rng.uniform(1.3, 2.2)
        low = rng.uniform(0.04, 0.12) if bs else rng.uniform(0.15, 0.35)
        e1, e2 = rng.uniform(0.15, 0.5), rng.uniform(0.2, 0.8)
        knots_t += [t + e1, t + burst, t + burst + e2, t + burst + ibi]
        knots_g += [high, high, low, low]
        t += burst + ibi + e1
    return np.interp(np.arange(n) / FS, knots_t, knots_g)


def _artefacts(
    rng: np.random.Generator, x: np.ndarray, keep_clear: list[tuple[float, float]]
) -> list[tuple[float, float, str]]:
    """Add 1-6 artefacts of several types to ``x`` (output channels x samples, µV)."""
    ch, n = x.shape
    dur = n / FS
    done: list[tuple[float, float, str]] = []
    k = int(rng.integers(1, 7))
    kinds = list(rng.choice(ARTEFACTS, k, replace=k > len(ARTEFACTS)))
    for kind in kinds:
        kind = str(kind)
        length = {
            "movement": rng.uniform(1, 8), "pop": rng.uniform(0.5, 3),
            "flat": rng.uniform(10, 60), "disconnected": rng.uniform(5, 60),
            "clipping": rng.uniform(0.5, 5), "muscle": rng.uniform(1, 10),
            "sweat": rng.uniform(10, 60), "mains": rng.uniform(10, dur),
            "ecg": rng.uniform(30, dur),
        }[kind]  # fmt: skip
        length = min(length, dur - 2)
        for _ in range(100):
            on = rng.uniform(1, dur - length - 1)
            if kind not in _WIDE or all(
                on + length + 1 < a or on > a + d + 1 for a, d in keep_clear
            ):
                break
        else:
            continue
        a, m = int(on * FS), int(length * FS)
        sl = slice(a, a + m)
        t = np.arange(m) / FS
        one = int(rng.integers(ch))
        if kind == "movement":
            idx = rng.choice(ch, int(rng.integers(max(2, ch // 3), ch + 1)), replace=False)
            slow = _band(rng, (1, m), 0.2, 3.0)[0] * rng.uniform(100, 400)
            win = _ramp(m, 0.2, length - 0.2, 0.3)
            for i in idx:
                x[i, sl] += (slow * rng.uniform(0.5, 1.5) + _band(rng, (1, m), 2, 40)[0]
                             * rng.uniform(10, 60)) * win  # fmt: skip
        elif kind == "pop":
            for _ in range(int(rng.integers(1, 4))):
                at = a + int(rng.uniform(0, max(m - FS // 2, 1)))
                tau = rng.uniform(0.1, 0.5)
                form = (
                    rng.choice([-1, 1])
                    * rng.uniform(100, 500)
                    * np.exp(-np.arange(int(4 * tau * FS)) / (tau * FS))
                )
                x[one, at : at + len(form)] += form[: max(0, min(len(form), n - at))]
        elif kind == "flat":
            x[one, sl] = x[one, sl] * 0.01 + rng.uniform(-20, 20)
        elif kind == "disconnected":
            hum = np.sin(2 * np.pi * 50 * t + rng.uniform(0, 6)) * rng.uniform(50, 200)
            x[one, sl] = hum + _band(rng, (1, m), 0.1, 2)[0] * rng.uniform(100, 500)
        elif kind == "clipping":
            idx = rng.choice(ch, int(rng.integers(1, 5)), replace=False)
            swing = rng.choice([-1, 1]) * rng.uniform(6000, 12000)
            for i in idx:
                x[i, sl] += swing * _ramp(m, 0.1, length - 0.1, 0.2)
        elif kind == "muscle":
            idx = rng.choice(ch, int(rng.integers(1, 5)), replace=False)
            for i in idx:
                x[i, sl] += (
                    _band(rng, (1, m), 20, 100)[0]
                    * rng.uniform(10, 50)
                    * _ramp(m, 0.2, length - 0.2, 0.3)
                )
        elif kind == "sweat":
            idx = rng.choice(ch, int(rng.integers(1, 6)), replace=False)
            for i in idx:
                x[i, sl] += (
                    _band(rng, (1, m), 0.05, 0.4)[0]
                    * rng.uniform(80, 300)
                    * (_ramp(m, 2, length - 2, 3))
                )
        elif kind == "mains":
            idx = rng.choice(ch, int(rng.integers(1, ch + 1)), replace=False)
            hum = np.sin(2 * np.pi * 50 * t + rng.uniform(0, 6))
            for i in idx:
                x[i, sl] += hum * rng.uniform(5, 60)
        elif kind == "ecg":
            rate = rng.uniform(110, 170) / 60
            beats = np.arange(rng.uniform(0, 1 / rate), length, 1 / rate)
            qrs = np.zeros(m)
            tq = np.arange(int(0.12 * FS)) / FS
            form = np.exp(-0.5 * ((tq - 0.04) / 0.008) ** 2) - 0.3 * np.exp(
                -0.5 * ((tq - 0.06) / 0.01) ** 2
            )
            for b in beats:
                j = int(b * FS)
                qrs[j : j + len(form)] += form[: max(0, min(len(form), m - j))]
            idx = rng.choice(ch, int(rng.integers(max(1, ch // 3), ch + 1)), replace=False)
            for i in idx:
                x[i, sl] += qrs * rng.uniform(5, 30) * rng.choice([-1, 1])
        done.append((round(float(on), 3), round(float(length), 3), kind))
    return sorted(done)


# --------------------------------------------------------------------------- one case


def _make(
    j: int,
    name: str,
    kind: str,
    variant: str,
    src: tuple[np.ndarray, list[str], np.ndarray],
    out: Path,
    seed: int,
) -> Case:
    """Generate and write recording number ``j``."""
    rng = np.random.default_rng([seed, j])
    data, names, montage = src
    bipolar = names[0] not in ELECTRODES
    dur = round(float(rng.triangular(120, 150, 330)))
    n = dur * FS
    ne = len(ELECTRODES)
    bg, changes, env = lengthen(data, n, rng, strong=kind == "state_change")
    abrupt = [t for t, _r, c in changes if c == "abrupt"]
    bg_rms = float(np.median(np.sqrt(np.mean(bg**2, axis=1))))
    p: np.ndarray | None = None
    hyps = kind in HYPS
    decrements: list[tuple[float, float]] = []
    attenuations: list[tuple[float, float]] = []
    regional: list[bool] = []
    if kind == "discontinuous":
        bg *= _discontinuous(rng, n, variant)
    elif kind == "hv_delta":
        p = _hv_delta(rng, n, variant)
    elif kind == "focal_spikes":
        foci = [XY[int(i)] for i in rng.choice(ne, 1 if variant == "one_focus" else 2, False)]
        p = np.zeros((ne, n))
        _spikes(rng, p, rng.uniform(4, 20) * len(foci), (60, 200), foci, width=0.3)
    elif kind == "sleep_delta":
        p = _sleep_delta(rng, n)
    elif kind == "state_change" and variant == "seizure_end":
        p, end = _seizure(rng, n)
        post = _ramp(n, end, dur + 10, 0.2) * (1 - rng.uniform(0.35, 0.6))
        post *= _ramp(n, 0, end + rng.uniform(20, 40), 5.0)
        bg *= 1 - post
        changes.append((round(float(end), 3), 0.5, "abrupt"))
        changes.sort()
    elif hyps:
        p = _hyps(rng, n, variant, env)
    if kind == "spasms" or kind == "hyps_spasms":
        sched = variant if kind == "spasms" else str(rng.choice(["isolated", "cluster"]))
        decrements = _schedule(rng, dur, sched, abrupt)
    if variant == "attenuation" and hyps:
        attenuations, regional = _attenuation_episodes(rng, dur, decrements)
    x = bg
    if p is not None:
        x = x + montage @ p
    if decrements or attenuations:
        events = decrements + attenuations
        reg = [False] * len(decrements) + regional
        g = _decrement_gain(rng, n, events, ne, reg)
        x = x * ((np.abs(montage) @ g) / np.abs(montage).sum(axis=1, keepdims=True))
    if decrements:
        parts = _spasm_parts(rng, n, decrements, hyps, bg_rms)
        x = x + montage @ parts
    if kind == "state_change" and variant == "loud_quiet":  # the infant moves, then settles
        for t0 in abrupt:
            m = int(rng.uniform(1, 3) * FS)
            _add(x, int(t0 * FS) - m // 2, rng.uniform(80, 300, x.shape[0]),
                 _band(rng, (1, m), 0.3, 4)[0] * _ramp(m, 0.2, m / FS - 0.2, 0.3))  # fmt: skip
    clear = decrements + attenuations
    artefacts = _artefacts(rng, x, clear)
    np.clip(x, -LIMIT_UV + 1, LIMIT_UV - 1, out=x)
    case_name = f"{j:03d}_{name.split('/')[-1]}_{kind}" + (f"_{variant}" if variant else "")
    path = out / f"{case_name}.edf"
    write_case(path, x, list(names), range_uv=LIMIT_UV)
    return Case(
        name=case_name, path=str(path), background=name, kind=kind, variant=variant,
        hyps=hyps, decrements=decrements, attenuations=attenuations, duration_s=float(dur),
        artefacts=artefacts, changes=changes,
        montage="bipolar" if bipolar else "referential", channels=list(names),
    )  # fmt: skip


# --------------------------------------------------------------------------- the set


def _plan(names: list[str]) -> list[tuple[str, str, str]]:
    """(background, kind, variant) of every recording: PER_BACKGROUND per background, the
    kinds dealt in the order of ``_CYCLE``, variants in turn within each kind."""
    seen: dict[str, int] = {}
    plan = []
    for j in range(PER_BACKGROUND * len(names)):
        kind = _CYCLE[j % len(_CYCLE)]
        variants = KINDS[kind]
        v = variants[seen.get(kind, 0) % len(variants)]
        seen[kind] = seen.get(kind, 0) + 1
        plan.append((names[j % len(names)], kind, v))
    return plan


def _from_json(d: dict) -> Case:
    d = dict(d)
    for k in ("decrements", "attenuations", "artefacts", "changes"):
        d[k] = [tuple(e) for e in d[k]]
    return Case(**d)


def build(
    out: Path = CACHE, force: bool = False, seed: int = SEED, backgrounds: int | None = None
) -> list[Case]:
    """Write the set to ``out`` (EDF files and ``manifest.json``) and return its cases.

    A complete set already there for the same seed, backgrounds and version is reused
    unless ``force``. ``backgrounds`` keeps only the first N backgrounds (for tests)."""
    names = background_names()
    if backgrounds is not None:
        names = names[:backgrounds]
    out = Path(out)
    manifest = out / "manifest.json"
    key = {"version": VERSION, "seed": seed, "backgrounds": names}
    if manifest.exists() and not force:
        try:
            saved = json.loads(manifest.read_text())
            if saved.get("key") == key:
                cases = [_from_json(c) for c in saved["cases"]]
                if all(Path(c.path).exists() for c in cases):
                    return cases
        except (ValueError, KeyError, TypeError):
            pass
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.edf"):
        old.unlink()
    cache: dict[str, tuple[np.ndarray, list[str], np.ndarray]] = {}
    cases = []
    for j, (name, kind, variant) in enumerate(_plan(names)):
        if name not in cache:
            cache[name] = _load(name)
        cases.append(_make(j, name, kind, variant, cache[name], out, seed))
    manifest.write_text(json.dumps({"key": key, "cases": [asdict(c) for c in cases]}, indent=1))
    return cases
