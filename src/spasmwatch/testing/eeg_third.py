"""A third evaluation set of infant EEG: hypsarrhythmia, electrodecremental events and hard
negatives, synthesised on Fourier surrogates of the Helsinki neonatal clips.

What. Every recording (120-300 s, 19 referential 10-20 channels at 256 Hz, EDF+) is made from
one of the 62 Helsinki clips (Stevenson et al., Sci Data 2019;6:190039) and one *kind* of
cerebral activity, plus 1-6 artefacts. Its truth (:class:`Case`) says whether it shows
hypsarrhythmia and gives the (onset, duration) of every electrodecremental event, every
neutral episode of attenuation and every artefact. ``build`` writes the set and a
``manifest.json`` of the truth into ``benchmarks/.cache/eeg_third``.

Why. The two other evaluation sets were made by other hands and in other ways; a set made
separately, from the clinical descriptions alone and on backgrounds lengthened differently,
measures the analysis on material its authors never saw. It is built blind: nothing here
was chosen by looking at what any detector does with it.

Backgrounds. A clip lasts 30 s, a recording minutes. Each background is a multichannel
phase-randomised Fourier surrogate of its clip (Prichard & Theiler, Phys Rev Lett
1994;73:951): the clip's Fourier transform with one random phase per frequency added to every
channel alike, which keeps each channel's power spectrum and every cross-spectrum (so the
coherence and the zero-lag covariance between channels) exactly. One such surrogate is 30 s
long and periodic, so tiling it would repeat it every 30 s; a single long surrogate would need
the cross-spectra between the clip's frequency bins, which only a smoothed estimate could
give, and that smoothing changes the coherence the surrogate is meant to keep. Instead,
independently drawn 30-s surrogates follow each other with 10-s equal-power cross-fades (sine
in, cosine out): two independent signals with the same spectra, weighted so that the squared
weights add to one, have at every instant the clip's variance, spectra and cross-spectra, and
a 10-s weight ramp carries almost no power above 0.1 Hz, so there is no join. Before the
transform each channel loses the step between its first and last quarter second (a linear
ramp), which would otherwise spread as low-frequency power over the surrogate (the end-point
mismatch of Schreiber & Schmitz, Physica D 2000;142:346); the clip's mean is kept. The
surrogate's amplitude distribution is Gaussian and is *not* rank-remapped to the clip's (the
amplitude-adjusted surrogate of Theiler et al., Physica D 1992;58:77): a monotone map onto a
heavy-tailed distribution sharpens the largest peaks of a Gaussian signal into isolated
spike-like transients at random times (false epileptiform content in kinds meant to have
none), and the clips' tails hold their own artefacts (eeg50's F3 reaches the amplifier's
limit). What a surrogate cannot keep is the clip's non-stationarity: a discontinuous or
seizure-bearing clip gives a stationary background with its spectrum. In each clip one
electrode, Cz or Fz, is nearly flat: the recording reference. It is kept as it is and nothing
(no activity, no artefact) is added to it; when neither Cz nor Fz is below half the median
channel's amplitude (eeg72), there is none.

Kinds (``kind`` / ``variant``; per background: ``spasms``, ``hyps``, ``modified`` and two of
the four hard negatives, in rotation):

* ``normal`` / ``background``: the background with artefacts only.
* ``spasms`` / ``cluster`` | ``isolated`` | ``mixed``: 2-6 electrodecremental events (EDEs)
  on the background. The ictal correlate of a spasm is most often a generalised high-voltage
  slow wave (HVS) or sharp-slow complex, then diffuse attenuation lasting about 1 to several
  seconds, with or without superimposed low-voltage fast activity (Fusco & Vigevano, Epilepsia
  1993;34:671; ILAE lectures 2015: at least 11 ictal patterns). Here: a slow wave (50 %), a
  sharp-slow complex (25 %) or nothing (25 %, attenuation alone) of 0.5-1.5 s and 150-450 µV
  peak (x1.4 on hypsarrhythmia), relatively negative posteriorly and from negative to positive
  frontally, sometimes lateralised (Kobayashi et al., Epilepsia, averaged ictal HVS maps in 14
  patients); then attenuation of everything cerebral to 8-45 % of its amplitude (from clear to
  moderate; a little less on some channels), 1-5 s long, entering in 0.1-0.3 s and recovering
  over 0.3-1 s; with fast activity of 15-30 Hz (Nariai et al., Epilepsia 2017;58:882: ictal
  beta 15-30 Hz), 5-20 µV, over the first 0.5-2 s in half of the events. Spasms come in
  clusters, one every 5-30 s (Kellaway et al., Ann Neurol 1979;6:214; clinical reference §1);
  ``cluster`` has one cluster, ``isolated`` events at least 35 s apart, ``mixed`` both. The
  truth is the attenuation (onset at the middle of its entry ramp, duration to the middle of
  its recovery), not the slow wave.
* ``hyps`` / ``classic``: hypsarrhythmia, "random high voltage waves and spikes ... from
  multiple foci ... never rhythmically repetitive" (Gibbs & Gibbs 1952): asynchronous delta
  (0.5-3 Hz) with theta (3-7.5 Hz), mixed only between neighbouring electrodes (a Gaussian
  field of 0.25 of the head's half-width) and with slowly, independently changing amplitude
  per channel; 30-90 spikes and sharp waves a minute (peak 0.6-1.5 times the stated
  peak-to-peak), each from one of 2-4 foci that change every 10-30 s, 5 % generalised; all
  scaled so that the median over channels of the median 2-s peak-to-peak of the recording
  (background, slow activity and spikes together) is 250-700 µV (hypsarrhythmia: > 200-300 µV,
  Mytinger et al., J Clin Neurophysiol 2018;35:151; 200-800 µV in the literature). Half carry
  1-5 EDEs.
* ``modified`` / five variants of Hrachovy, Frost & Kellaway (Epilepsia 1984;25:317; frequent,
  up to 69 % of records, Kramer, Sue & Mikati 1997): ``synchronous`` (homologous channels share
  60-85 % of their activity, plus a generalised component; 40 % of spikes bilateral, 10 %
  generalised), ``asymmetric`` (hemihypsarrhythmia: one hemisphere at the stated amplitude,
  midline at 55 %, the other at 20-35 % with few spikes; 23 % of hypsarrhythmias, Drury et
  al., Epilepsia 1995), ``focus`` (a consistent focus firing half of 40-100 spikes a minute),
  ``attenuation`` (2-6 episodes of generalised, lateralised or regional attenuation to
  15-50 % for 2-10 s, listed in ``attenuations``: neither to be found nor false) and ``slow``
  (mostly high-voltage delta 0.4-2.5 Hz, 350-750 µV, 0-4 spikes a minute). Half carry 1-5
  EDEs (alternating with ``classic`` by background).
* ``delta`` / ``frontal_rhythmic`` | ``sleep_slow`` (hard negatives, no spikes, no EDEs):
  runs of 3-10 s of bifrontal synchronous rhythmic delta at 1.5-3 Hz, 120-300 µV (intermittent
  rhythmic delta, Brigo, Epilepsy Behav 2011;20:254; rhythmic delta 0.5-4 Hz of at least six
  cycles, Hirsch et al., ACNS terminology 2021); or continuous bilaterally synchronous,
  posterior-predominant sleep delta (0.5-2 Hz) of 200-400 µV at the occiput, as in most normal
  infants (83 % above 200 µV, 34 % above 300 µV, Mytinger et al. 2018).
* ``focal`` / ``single`` | ``pair``: a spike focus on one electrode, or on two neighbours
  (100-300 µV, 4-30 a minute, sometimes in doublets), no hypsarrhythmia, no EDEs.
* ``discontinuous`` / ``trace_alternant`` | ``trace_discontinu`` (no spikes, no EDEs): bursts
  alternating with inter-burst intervals (IBIs). Tracé alternant of term quiet sleep: bursts
  and IBIs of 3-8 s (about 6 s each, IBI amplitude >= 25 µV, Dereymaeker et al., Early Hum Dev
  2017;113:87), bursts 60-150 µV synchronous; preterm tracé discontinu: bursts of 2-8 s,
  100-300 µV, less synchronous, with fast activity riding on delta, between IBIs of 6-20 s
  below 25 µV (ACNS neonatal terminology, Tsuchida et al., J Clin Neurophysiol 2013;30:161).
  The IBIs are listed in ``interbursts``; they are not EDEs.

Artefacts, 1-6 per recording, never on the reference and never over an EDE or an episode of
attenuation (EMG aside) nor over each other (Tatum et al., J Clin Neurophysiol 2011;28:252):
``movement`` (1-4 s of 0.3-3 Hz swings of 200-800 µV with muscle activity, on a region or
everywhere), ``pop`` (1-3 sudden steps of 150-1000 µV on one electrode, decaying in
0.05-0.3 s), ``flat`` (one electrode at a constant for 5-30 s), ``disconnected`` (one floating
electrode: 100-500 µV of 50 Hz and drift, 5-30 s), ``clipping`` (1-3 neighbours pushed past the
file's range for 1-5 s, so they sit on it), ``sweat`` (0.05-0.5 Hz sway of 100-400 µV on
neighbouring electrodes, 10-30 s), ``mains`` (50 Hz, Finland, 10-100 µV on 1-4 electrodes,
10-60 s), ``ecg`` (QRS of 10-50 µV at 110-160 a minute, an infant's heart rate, on 4-10
electrodes, 10-60 s) and ``emg``, the muscle burst of the spasm itself (20-120 Hz, 15-80 µV,
0.5-2 s over the slow wave and the start of the attenuation, on temporal and frontal
electrodes) with a third of the EDEs.

Everything follows from ``SEED`` and the background: the same settings give the same samples.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property, lru_cache
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from spasmwatch.eeg.reader import read_recording
from spasmwatch.testing.eeg_inject import write_case

__all__ = [
    "CACHE",
    "DISCONTINUOUS",
    "HELSINKI",
    "HYPS_KINDS",
    "KINDS",
    "NO_DECREMENTS",
    "NO_SPIKES",
    "Case",
    "backgrounds",
    "build",
    "load_clip",
    "peak_to_peak_uv",
    "plan",
    "reference_channel",
    "surrogate",
    "synthesise",
]

ROOT = Path(__file__).resolve().parents[3]
#: Where the set is written (git-ignored with the rest of ``benchmarks/.cache``).
CACHE = ROOT / "benchmarks" / ".cache" / "eeg_third"
#: The Helsinki clips, in ``../shared`` beside the checkout.
HELSINKI = ROOT.parent / "shared" / "data" / "eeg" / "helsinki"

#: Version of the recipe; a cached set of another version is rebuilt.
VERSION = 1
#: Seed of the whole set.
SEED = 3_2024
#: Sampling rate, Hz: that of the Helsinki clips and of ``write_case``.
FS = 256
#: Physical range of the written files, µV: above the largest intended activity (a 5000 µV
#: broken electrode of a clip plus artefacts), so only ``clipping`` artefacts sit on it.
RANGE_UV = 6000.0
#: The 19 referential 10-20 electrodes of the clips.
ELECTRODES = (
    "Fp1", "Fp2", "F7", "F3", "Fz", "F4", "F8", "T3", "C3", "Cz",
    "C4", "T4", "T5", "P3", "Pz", "P4", "T6", "O1", "O2",
)  # fmt: skip
#: Flat projection of the electrodes (x: left -1 to right +1, y: back -1 to front +1), for the
#: spatial fields of foci, hemispheres and regions.
POSITIONS = {
    "Fp1": (-0.31, 0.95), "Fp2": (0.31, 0.95), "F7": (-0.81, 0.59), "F3": (-0.4, 0.5),
    "Fz": (0.0, 0.45), "F4": (0.4, 0.5), "F8": (0.81, 0.59), "T3": (-1.0, 0.0),
    "C3": (-0.5, 0.0), "Cz": (0.0, 0.0), "C4": (0.5, 0.0), "T4": (1.0, 0.0),
    "T5": (-0.81, -0.59), "P3": (-0.4, -0.5), "Pz": (0.0, -0.45), "P4": (0.4, -0.5),
    "T6": (0.81, -0.59), "O1": (-0.31, -0.95), "O2": (0.31, -0.95),
}  # fmt: skip
#: Neighbours are electrodes closer than this on the projection (adjacent 10-20 sites are
#: 0.4-0.6 apart).
NEIGHBOUR_DISTANCE = 0.65

# --- backgrounds
#: Length of a clip and of each surrogate, s.
CLIP_S = 30
#: Cross-fade between successive surrogates, s: long enough that the weights carry no power
#: above 0.1 Hz, below every EEG band.
OVERLAP_S = 10.0
#: Span at each end of a clip whose means are made equal before the transform, s.
ENDPOINT_S = 0.25
#: Cz or Fz is the recording reference when its SD is below this fraction of the median
#: channel's (a referential channel of the reference electrode reads only noise).
REFERENCE_MAX_RATIO = 0.5
#: Recording lengths, s, drawn as lo + (hi - lo) * u**DURATION_SKEW: mostly short, so the set
#: stays near 600 MB.
DURATION_S = (120, 300)
DURATION_SKEW = 1.6
#: Window of the peak-to-peak amplitude used for stated amplitudes, s (a slow wave's span).
PP_WINDOW_S = 2.0

# --- electrodecremental events
#: Events per recording of the ``spasms`` kind, and per hypsarrhythmia recording with events.
N_SPASMS = (2, 6)
N_SPASMS_HYPS = (1, 5)
#: Onset-to-onset interval within a cluster, s (one spasm every 5-30 s, clinical reference).
CLUSTER_GAP_S = (5.0, 30.0)
#: Onset-to-onset interval of isolated events, s.
ISOLATED_GAP_S = (35.0, 80.0)
#: Attenuation length, s (about 1 to several seconds, Fusco & Vigevano 1993).
ATTENUATION_S = (1.0, 5.0)
#: Attenuated amplitude as a fraction of the amplitude before: from clear to moderate.
DEPTH = (0.08, 0.45)
#: Entry and recovery ramps of the attenuation, s (abrupt onset, gradual recovery).
ENTRY_S = (0.1, 0.3)
RECOVERY_S = (0.3, 1.0)
#: The slow wave (or sharp-slow complex) before the attenuation: length s, peak µV.
HVS_S = (0.5, 1.5)
HVS_UV = (150.0, 450.0)
#: HVS amplitude factor on a hypsarrhythmic background (the slow wave stands above it).
HVS_HYPS_FACTOR = 1.4
#: Share of events with no slow wave, and with a sharp-slow complex instead of a slow wave.
P_NO_HVS = 0.25
P_SHARP_SLOW = 0.25
#: Low-voltage fast activity over the attenuation: band Hz, peak µV, length s, share of events.
LVFA_HZ = (15.0, 30.0)
LVFA_UV = (5.0, 20.0)
LVFA_S = (0.5, 2.0)
P_LVFA = 0.5
#: Share of events whose spasm leaves a muscle burst (EMG) on the EEG.
P_EMG = 0.35
#: First event no earlier than this (some background before it), last one ending this early, s.
EDGE_S = (8.0, 6.0)

# --- hypsarrhythmia
#: Median 2-s peak-to-peak over channels, µV (classic and most modified variants; ``slow``).
HYPS_PP_UV = (250.0, 700.0)
SLOW_HYPS_PP_UV = (350.0, 750.0)
#: Spatial spread of the asynchronous activity: SD of a Gaussian over the projection (mixes
#: neighbours only).
LOCAL_FIELD = 0.25
#: SD of the log amplitude modulation per channel, and its highest frequency (Hz): slow,
#: independent waxing and waning ("chaotic").
ENVELOPE_SD = 0.45
ENVELOPE_HZ = 0.2
#: Spikes and sharp waves a minute: classic (and synchronous, attenuation), asymmetric, focus,
#: slow.
SPIKES_PER_MIN = (30.0, 90.0)
ASYMMETRIC_SPIKES_PER_MIN = (30.0, 80.0)
FOCUS_SPIKES_PER_MIN = (40.0, 100.0)
SLOW_SPIKES_PER_MIN = (0.0, 4.0)
#: Spike peak as a fraction of the stated peak-to-peak (spikes intermixed with the slow waves).
SPIKE_REL = (0.6, 1.5)
#: Spatial spread of one spike around its focus (Gaussian SD on the projection).
SPIKE_FIELD = (0.15, 0.3)
#: Foci active at once and how long a set of foci lasts, s ("changing foci", Gibbs & Gibbs).
FOCI = (2, 4)
FOCI_S = (10.0, 30.0)
#: Share of generalised spikes in classic hypsarrhythmia.
P_GENERALISED = 0.05
#: ``synchronous``: shared fraction of homologous channels' activity, bilateral and
#: generalised spike shares.
SYNCHRONY = (0.6, 0.85)
P_BILATERAL = 0.4
P_GENERALISED_SYNC = 0.1
#: ``asymmetric``: amplitude of the midline and of the spared hemisphere.
MIDLINE_GAIN = 0.55
SPARED_GAIN = (0.2, 0.35)
#: ``attenuation``: episodes per recording, length s, depth.
N_EPISODES = (2, 6)
EPISODE_S = (2.0, 10.0)
EPISODE_DEPTH = (0.15, 0.5)

# --- hard negatives
#: Frontal rhythmic delta: frequency Hz, peak-to-peak µV at its maximum, run and gap lengths s.
FIRDA_HZ = (1.5, 3.0)
FIRDA_PP_UV = (120.0, 300.0)
FIRDA_RUN_S = (3.0, 10.0)
FIRDA_GAP_S = (8.0, 40.0)
#: Sleep delta: band Hz, occipital peak-to-peak µV, left-right correlation.
SLEEP_HZ = (0.5, 2.0)
SLEEP_PP_UV = (200.0, 400.0)
SLEEP_SYNCHRONY = 0.85
#: Focal spikes: peak µV, rate a minute, weight of the neighbours (``single``), of the second
#: electrode (``pair``), share of doublets.
FOCAL_UV = (100.0, 300.0)
FOCAL_PER_MIN = (4.0, 30.0)
FOCAL_SPREAD = 0.15
PAIR_WEIGHT = (0.6, 1.0)
P_DOUBLET = 0.2
#: Tracé alternant: burst and IBI lengths s, burst and IBI peak-to-peak µV.
TA_BURST_S = (3.0, 8.0)
TA_IBI_S = (3.0, 8.0)
TA_BURST_PP_UV = (60.0, 150.0)
TA_IBI_PP_UV = (25.0, 50.0)
#: Tracé discontinu: the same.
TD_BURST_S = (2.0, 8.0)
TD_IBI_S = (6.0, 20.0)
TD_BURST_PP_UV = (100.0, 300.0)
TD_IBI_PP_UV = (5.0, 20.0)
#: Burst edges, s.
BURST_EDGE_S = (0.3, 0.6)

# --- artefacts
#: Artefacts per recording (the spasms' EMG included).
N_ARTEFACTS = (1, 6)
#: The kinds of artefact, drawn with these weights (movement and pops are the commonest).
ARTEFACT_WEIGHTS = {
    "movement": 2.0, "pop": 2.0, "flat": 1.0, "disconnected": 1.0, "clipping": 1.0,
    "sweat": 1.0, "mains": 1.0, "ecg": 1.0,
}  # fmt: skip
#: Mains frequency, Hz (the clips are from Finland).
MAINS_HZ = 50.0
#: Gap kept between an artefact and an event or another artefact, s.
ARTEFACT_MARGIN_S = 2.0
#: Electrodes over the scalp muscles (temporalis, frontalis) that carry a spasm's EMG.
MUSCLE_ELECTRODES = ("Fp1", "Fp2", "F7", "F8", "T3", "T4", "T5", "T6")

#: The kinds and their variants.
KINDS: dict[str, tuple[str, ...]] = {
    "normal": ("background",),
    "spasms": ("cluster", "isolated", "mixed"),
    "hyps": ("classic",),
    "modified": ("synchronous", "asymmetric", "focus", "attenuation", "slow"),
    "delta": ("frontal_rhythmic", "sleep_slow"),
    "focal": ("single", "pair"),
    "discontinuous": ("trace_alternant", "trace_discontinu"),
}
#: Kinds with hypsarrhythmia.
HYPS_KINDS = ("hyps", "modified")
#: Kinds with no added spikes or sharp waves (``spasms`` has sharp-slow complexes).
NO_SPIKES = ("normal", "delta", "discontinuous")
#: Kinds with no electrodecremental events in the truth.
NO_DECREMENTS = ("normal", "delta", "focal", "discontinuous")
#: Kinds with a discontinuous background (bursts and inter-burst intervals).
DISCONTINUOUS = ("discontinuous",)
#: The hard negatives; each background gets two of them, in rotation.
NEGATIVES = ("normal", "delta", "focal", "discontinuous")


@dataclass
class Case:
    """One recording of the set and its truth (times in seconds from the file start)."""

    name: str
    path: str
    background: str
    kind: str
    variant: str
    hyps: bool
    duration_s: float
    seed: int
    decrements: list[tuple[float, float]] = field(default_factory=list)
    attenuations: list[tuple[float, float]] = field(default_factory=list)
    artefacts: list[tuple[float, float, str]] = field(default_factory=list)
    interbursts: list[tuple[float, float]] = field(default_factory=list)
    reference: str | None = None
    #: Per EDE: its slow wave (``slow``, ``sharp_slow`` or ``none``), lengths, depth, fast
    #: activity, EMG.
    decrement_details: list[dict[str, Any]] = field(default_factory=list)
    #: Stated amplitudes and rates of the kind (µV, per minute) and the artefacts' channels.
    details: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- clips and surrogates


def backgrounds(helsinki: Path = HELSINKI) -> list[str]:
    """The clips' names (``eegN``) in the order of ``clips_summary.csv``."""
    with (helsinki / "clips_summary.csv").open(newline="") as f:
        return [Path(r["file"]).stem for r in csv.DictReader(f)]


@lru_cache(maxsize=8)
def load_clip(background: str, helsinki: Path = HELSINKI) -> tuple[tuple[str, ...], np.ndarray]:
    """The clip's EEG channels (its own order; ECG and respiration dropped) and samples
    (channels x samples, µV, read-only)."""
    rec = read_recording(helsinki / "clips" / f"{background}.edf", annotations=False)
    if rec.sfreq != FS:
        raise ValueError(f"{background}: {rec.sfreq} Hz, expected {FS}")
    x = rec.read().astype(np.float64)
    keep = [i for i, c in enumerate(rec.channels) if c in POSITIONS]
    channels = tuple(rec.channels[i] for i in keep)
    if len(channels) != len(ELECTRODES):
        raise ValueError(f"{background}: channels {rec.channels}")
    x = x[keep]
    x.flags.writeable = False
    return channels, x


def reference_channel(channels: Sequence[str], x: np.ndarray) -> int | None:
    """Index of the recording reference (the quieter of Cz and Fz when nearly flat)."""
    sd = x.std(axis=1)
    candidates = [channels.index(c) for c in ("Cz", "Fz") if c in channels]
    if not candidates:
        return None
    best = min(candidates, key=lambda i: sd[i])
    return best if sd[best] < REFERENCE_MAX_RATIO * np.median(sd) else None


def _phase_randomised(spec: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """One multichannel surrogate: the same random phase at each frequency for every
    channel (DC and Nyquist kept real)."""
    phase = rng.uniform(0.0, 2.0 * np.pi, spec.shape[1])
    phase[0] = 0.0
    if n % 2 == 0:
        phase[-1] = np.pi * rng.integers(0, 2)
    return np.fft.irfft(spec * np.exp(1j * phase)[None, :], n=n, axis=1)


def surrogate(clip: np.ndarray, n_samples: int, rng: np.random.Generator) -> np.ndarray:
    """A background of ``n_samples`` from ``clip`` (channels x samples): independent
    phase-randomised surrogates of the clip joined by equal-power cross-fades of
    ``OVERLAP_S``; the clip's mean is kept."""
    n_ch, n = clip.shape
    mean = clip.mean(axis=1, keepdims=True)
    x = clip - mean
    k = int(ENDPOINT_S * FS)
    jump = x[:, -k:].mean(axis=1) - x[:, :k].mean(axis=1)
    x = x - jump[:, None] * (np.arange(n) / (n - 1) - 0.5)[None, :]
    spec = np.fft.rfft(x, axis=1)
    overlap = int(OVERLAP_S * FS)
    hop = n - overlap
    n_seg = max(1, math.ceil((n_samples - overlap) / hop))
    out = np.zeros((n_ch, overlap + n_seg * hop))
    u = (np.arange(overlap) + 0.5) / overlap
    fade_in, fade_out = np.sin(0.5 * np.pi * u), np.cos(0.5 * np.pi * u)
    for s in range(n_seg):
        seg = _phase_randomised(spec, n, rng)
        if s > 0:
            seg[:, :overlap] *= fade_in
        if s < n_seg - 1:
            seg[:, -overlap:] *= fade_out
        out[:, s * hop : s * hop + n] += seg
    return out[:, :n_samples] + mean


def peak_to_peak_uv(x: np.ndarray, window_s: float = PP_WINDOW_S) -> np.ndarray:
    """Per channel, the median over ``window_s`` windows of the peak-to-peak amplitude."""
    w = int(window_s * FS)
    m = x.shape[-1] // w
    seg = x[..., : m * w].reshape(*x.shape[:-1], m, w)
    return np.median(seg.max(axis=-1) - seg.min(axis=-1), axis=-1)


# ---------------------------------------------------------------- signal helpers


def _band_noise(rng: np.random.Generator, n_ch: int, n: int, lo: float, hi: float) -> np.ndarray:
    """Gaussian noise with a flat spectrum between ``lo`` and ``hi`` Hz (cosine edges of a
    fifth of the band), unit SD per channel."""
    f = np.fft.rfftfreq(n, 1.0 / FS)
    edge = max(0.2 * (hi - lo), 0.05)
    gain = np.clip(np.minimum((f - lo + edge) / edge, (hi + edge - f) / edge), 0.0, 1.0)
    gain = 0.5 - 0.5 * np.cos(np.pi * gain)
    gain[0] = 0.0
    spec = (rng.standard_normal((n_ch, f.size)) + 1j * rng.standard_normal((n_ch, f.size))) * gain
    y = np.fft.irfft(spec, n=n, axis=1)
    return y / (y.std(axis=1, keepdims=True) + 1e-12)


def _hann_edges(n: int, edge: int) -> np.ndarray:
    """A window of ones with raised-cosine edges of ``edge`` samples."""
    w = np.ones(n)
    edge = min(edge, n // 2)
    if edge > 0:
        r = 0.5 - 0.5 * np.cos(np.pi * (np.arange(edge) + 0.5) / edge)
        w[:edge], w[n - edge :] = r, r[::-1]
    return w


def _spike_shape(rng: np.random.Generator) -> np.ndarray:
    """A surface-negative spike (20-70 ms) or sharp wave (70-200 ms), its positive
    after-going phase and, often, an after-going slow wave; peak -1."""
    dur = rng.uniform(0.02, 0.07) if rng.random() < 0.5 else rng.uniform(0.07, 0.2)
    slow = rng.uniform(0.15, 0.35) if rng.random() < 0.6 else 0.0
    t = np.arange(int((1.5 * dur + slow + 0.1) * FS)) / FS
    t0 = 0.5 * dur
    y = -np.exp(-0.5 * ((t - t0) / (dur / 4)) ** 2)
    y += 0.3 * np.exp(-0.5 * ((t - t0 - 0.8 * dur) / (dur / 3)) ** 2)
    if slow:
        s = (t - t0 - dur) / slow
        y -= rng.uniform(0.3, 0.7) * np.where((s > 0) & (s < 1), np.sin(np.pi * s), 0.0)
    return y / -y.min()


def _add(x: np.ndarray, start: int, block: np.ndarray) -> None:
    """Add ``block`` (channels x samples) at sample ``start``, cut at the ends."""
    a, b = max(start, 0), min(start + block.shape[1], x.shape[1])
    if b > a:
        x[:, a:b] += block[:, a - start : b - start]


@dataclass
class _Ctx:
    rng: np.random.Generator
    n: int
    channels: tuple[str, ...]
    pos: np.ndarray  # (channels, 2)
    live: np.ndarray  # bool: not the reference
    bg_pp: float  # median 2-s peak-to-peak of the background over live channels, µV

    @property
    def seconds(self) -> float:
        return self.n / FS

    @cached_property
    def dist(self) -> np.ndarray:
        """Distances between the electrodes on the projection."""
        d = self.pos[:, None, :] - self.pos[None, :, :]
        return np.sqrt((d**2).sum(axis=-1))

    def homologue(self) -> np.ndarray:
        """For each channel, the index of its mirror across the midline (itself on it)."""
        mirror = self.pos * np.array([-1.0, 1.0])
        d = np.sqrt(((self.pos[:, None, :] - mirror[None, :, :]) ** 2).sum(axis=-1))
        return d.argmin(axis=0)

    def field(self, centre: int, sd: float) -> np.ndarray:
        w = np.exp(-0.5 * (self.dist[centre] / sd) ** 2)
        return w * self.live

    def live_idx(self) -> np.ndarray:
        return np.flatnonzero(self.live)

    def neighbours(self, i: int) -> list[int]:
        d = self.dist[i]
        return [j for j in np.argsort(d) if j != i and d[j] < NEIGHBOUR_DISTANCE and self.live[j]]


def _mix(c: _Ctx, src: np.ndarray, sd: float) -> np.ndarray:
    """Mix sources (one per electrode) with a Gaussian spatial kernel, unit SD kept."""
    k = np.exp(-0.5 * (c.dist / sd) ** 2)
    k /= np.sqrt((k**2).sum(axis=1, keepdims=True))
    return k @ src


def _scale_total(target_pp: float, bg_pp: float) -> float:
    """Peak-to-peak to give an added pattern so that pattern plus background reach
    ``target_pp`` (powers add), at least half the target."""
    return math.sqrt(max(target_pp**2 - bg_pp**2, (0.5 * target_pp) ** 2))


def _fit_total(c: _Ctx, x: np.ndarray, bg: np.ndarray, target_pp: float, where: np.ndarray) -> None:
    """Rescale the added pattern ``x`` (in place) so that the median peak-to-peak of
    background plus pattern over the channels ``where`` is ``target_pp`` (spikes
    included)."""
    for _ in range(3):
        total = float(np.median(peak_to_peak_uv(bg[where] + x[where])))
        want = _scale_total(target_pp, c.bg_pp)
        have = math.sqrt(max(total**2 - c.bg_pp**2, 1.0))
        x *= want / have


# ---------------------------------------------------------------- spikes


def _spike_train(
    c: _Ctx,
    x: np.ndarray,
    rate_per_min: float,
    peak_uv: tuple[float, float],
    choose: Callable[[float], np.ndarray],
) -> int:
    """Add Poisson spikes; ``choose(t)`` gives the spatial weights of a spike at ``t`` s.
    Returns the number added."""
    n_spikes = int(c.rng.poisson(rate_per_min * c.seconds / 60.0))
    times = np.sort(c.rng.uniform(0.0, c.seconds, n_spikes))
    for t in times:
        w = choose(float(t))
        shape = _spike_shape(c.rng)
        sign = -1.0 if c.rng.random() < 0.15 else 1.0
        amp = c.rng.uniform(*peak_uv) * sign
        _add(x, int(t * FS), amp * w[:, None] * shape[None, :])
    return n_spikes


def _changing_foci(
    c: _Ctx, candidates: np.ndarray, p: np.ndarray | None = None
) -> Callable[[float], int]:
    """A chooser of spike fields from 2-4 foci among ``candidates`` that change every
    10-30 s."""
    epochs: list[tuple[float, np.ndarray]] = []
    t = 0.0
    while t < c.seconds:
        k = int(c.rng.integers(FOCI[0], FOCI[1] + 1))
        foci = c.rng.choice(candidates, size=min(k, len(candidates)), replace=False, p=p)
        epochs.append((t, foci))
        t += c.rng.uniform(*FOCI_S)
    starts = np.array([e[0] for e in epochs])

    def focus_at(t: float) -> int:
        foci = epochs[int(np.searchsorted(starts, t, side="right")) - 1][1]
        return int(c.rng.choice(foci))

    return focus_at


# ---------------------------------------------------------------- kinds


def _hyps(c: _Ctx, variant: str, bg: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
    """Hypsarrhythmia, classic or one of the modified variants, on the background ``bg``."""
    rng, n, n_ch = c.rng, c.n, len(c.channels)
    slow = variant == "slow"
    target = rng.uniform(*(SLOW_HYPS_PP_UV if slow else HYPS_PP_UV))
    if slow:
        src = _band_noise(rng, n_ch, n, 0.4, 2.5) + 0.25 * _band_noise(rng, n_ch, n, 2.5, 6.0)
    else:
        src = _band_noise(rng, n_ch, n, 0.5, 3.0) + 0.35 * _band_noise(rng, n_ch, n, 3.0, 7.5)
    env_src = _band_noise(rng, n_ch, n, 0.0, ENVELOPE_HZ)
    hom = c.homologue()
    details: dict[str, Any] = {}
    if variant == "synchronous":
        rho = rng.uniform(*SYNCHRONY)
        shared = src + src[hom]
        shared /= shared.std(axis=1, keepdims=True)
        general = _band_noise(rng, 1, n, 0.5, 3.0)
        src = math.sqrt(rho) * shared + math.sqrt(1 - rho) * src + 0.4 * general
        env_src = (env_src + env_src[hom]) / 2.0
        details["synchrony"] = round(rho, 3)
    act = _mix(c, src, LOCAL_FIELD) * np.exp(ENVELOPE_SD * env_src)
    act /= peak_to_peak_uv(act)[:, None]
    gain = np.exp(rng.normal(0.0, 0.15, n_ch))
    side = 0.0
    if variant == "asymmetric":
        side = float(rng.choice([-1.0, 1.0]))
        spared = rng.uniform(*SPARED_GAIN)
        x_pos = c.pos[:, 0] * side
        gain *= np.where(x_pos > 0.1, 1.0, np.where(x_pos < -0.1, spared, MIDLINE_GAIN))
        details.update(side="right" if side > 0 else "left", spared_gain=round(spared, 3))
    scale = _scale_total(target, c.bg_pp)
    x = act * (gain * scale)[:, None]

    live = c.live_idx()
    peak = (SPIKE_REL[0] * target, SPIKE_REL[1] * target)
    if variant == "asymmetric":
        p = np.where(c.pos[live, 0] * side > 0.1, 1.0, 0.1)
        focus_at = _changing_foci(c, live, p / p.sum())
    else:
        focus_at = _changing_foci(c, live)
    fixed = int(rng.choice([i for i in live if abs(c.pos[i, 0]) > 0.1]))

    def choose(t: float) -> np.ndarray:
        r = rng.random()
        if variant == "synchronous" and r < P_GENERALISED_SYNC:
            return rng.uniform(0.6, 1.0, n_ch) * c.live
        if variant not in ("synchronous", "slow") and r < P_GENERALISED:
            return rng.uniform(0.5, 1.0, n_ch) * c.live
        if variant == "focus" and rng.random() < 0.5:
            return c.field(fixed, rng.uniform(0.12, 0.2))
        f = focus_at(t)
        w = c.field(f, rng.uniform(*SPIKE_FIELD))
        if variant == "synchronous" and rng.random() < P_BILATERAL:
            w = np.maximum(w, c.field(int(hom[f]), rng.uniform(*SPIKE_FIELD)))
        return w * (gain / gain.max() if variant == "asymmetric" else 1.0)

    rate = rng.uniform(
        *{
            "slow": SLOW_SPIKES_PER_MIN,
            "asymmetric": ASYMMETRIC_SPIKES_PER_MIN,
            "focus": FOCUS_SPIKES_PER_MIN,
        }.get(variant, SPIKES_PER_MIN)
    )
    n_spikes = _spike_train(c, x, rate, peak, choose)
    where = c.live & (c.pos[:, 0] * side > 0.1) if variant == "asymmetric" else c.live
    _fit_total(c, x, bg, target, where)
    details.update(
        target_pp_uv=round(target, 1), spikes_per_min=round(n_spikes / c.seconds * 60, 1)
    )
    if variant == "focus":
        details["focus"] = c.channels[fixed]
    return x, details


def _delta(c: _Ctx, variant: str) -> tuple[np.ndarray, dict[str, Any]]:
    """High-voltage synchronous delta without spikes: frontal rhythmic runs or sleep delta."""
    rng, n, n_ch = c.rng, c.n, len(c.channels)
    y = c.pos[:, 1]
    if variant == "frontal_rhythmic":
        w = np.clip(0.15 + 0.85 * (y + 0.2) / 1.15, 0.1, 1.0) * c.live
        target = rng.uniform(*FIRDA_PP_UV)
        wave = np.zeros(n)
        runs = []
        t = rng.uniform(3.0, 15.0)
        while True:
            length = rng.uniform(*FIRDA_RUN_S)
            if t + length > c.seconds - 1.0:
                break
            f0 = rng.uniform(*FIRDA_HZ)
            tt = np.arange(int(length * FS)) / FS
            f_t = f0 * (1.0 + rng.uniform(-0.1, 0.1) * tt / length)
            ph = 2 * np.pi * np.cumsum(f_t) / FS + rng.uniform(0, 2 * np.pi)
            seg = np.sin(ph) + 0.2 * np.sin(2 * ph + 0.5)
            seg *= _hann_edges(seg.size, int(0.5 * FS)) * target / (seg.max() - seg.min())
            a = int(t * FS)
            wave[a : a + seg.size] += seg
            runs.append((round(t, 2), round(length, 2)))
            t += length + rng.uniform(*FIRDA_GAP_S)
        x = w[:, None] * wave[None, :]
        return x, {"target_pp_uv": round(target, 1), "runs": runs}
    # sleep_slow: two hemispheric sources, correlated, posterior maximum
    target = rng.uniform(*SLEEP_PP_UV)
    left, right = _band_noise(rng, 2, n, *SLEEP_HZ)
    right = SLEEP_SYNCHRONY * left + math.sqrt(1 - SLEEP_SYNCHRONY**2) * right
    common = np.where(c.pos[:, 0] < 0, 1.0, 0.0)[:, None] * left[None, :]
    common += np.where(c.pos[:, 0] > 0, 1.0, 0.0)[:, None] * right[None, :]
    common += np.where(c.pos[:, 0] == 0, 1.0, 0.0)[:, None] * (left + right)[None, :] / 2
    common *= np.exp(0.2 * _band_noise(rng, 1, n, 0.0, 0.05))
    local = _band_noise(rng, n_ch, n, 0.5, 4.0)
    act = common + 0.15 * local
    w = np.clip(0.45 + 0.55 * (1.0 - y) / 2.0, 0.4, 1.0) * c.live
    occ = [i for i, ch in enumerate(c.channels) if ch in ("O1", "O2")]
    act /= np.median(peak_to_peak_uv(act[occ]))
    x = act * (w * _scale_total(target, c.bg_pp))[:, None]
    return x, {"target_pp_uv": round(target, 1)}


def _focal(c: _Ctx, variant: str) -> tuple[np.ndarray, dict[str, Any]]:
    """A spike focus on one electrode or two neighbours."""
    rng, n_ch = c.rng, len(c.channels)
    live = c.live_idx()
    focus = int(rng.choice(live))
    w = np.zeros(n_ch)
    w[focus] = 1.0
    nb = c.neighbours(focus)
    second = None
    if variant == "pair" and nb:
        second = int(rng.choice(nb[:3]))
        w[second] = rng.uniform(*PAIR_WEIGHT)
    for j in nb:
        if j != second:
            w[j] = max(w[j], rng.uniform(0.0, FOCAL_SPREAD))
    x = np.zeros((n_ch, c.n))
    rate = rng.uniform(*FOCAL_PER_MIN)

    def choose(t: float) -> np.ndarray:
        return w

    n_spikes = _spike_train(c, x, rate, FOCAL_UV, choose)
    # doublets: a second spike 150-400 ms after some of them
    n_doublets = int(rng.binomial(n_spikes, P_DOUBLET))
    for t in rng.uniform(0.0, c.seconds, n_doublets):
        for dt in (0.0, rng.uniform(0.15, 0.4)):
            _add(x, int((t + dt) * FS), rng.uniform(*FOCAL_UV) * w[:, None] * _spike_shape(rng))
    channels = [c.channels[focus]] + ([c.channels[second]] if second is not None else [])
    return x, {
        "focus": channels,
        "spikes_per_min": round((n_spikes + n_doublets) / c.seconds * 60, 1),
    }


def _discontinuous(
    c: _Ctx, variant: str, bg: np.ndarray
) -> tuple[np.ndarray, dict[str, Any], list[tuple[float, float]]]:
    """Bursts and inter-burst intervals; the background is scaled to the IBI amplitude.
    Returns the added bursts, details and the IBIs."""
    rng, n, n_ch = c.rng, c.n, len(c.channels)
    ta = variant == "trace_alternant"
    burst_s, ibi_s = (TA_BURST_S, TA_IBI_S) if ta else (TD_BURST_S, TD_IBI_S)
    burst_pp = rng.uniform(*(TA_BURST_PP_UV if ta else TD_BURST_PP_UV))
    ibi_pp = rng.uniform(*(TA_IBI_PP_UV if ta else TD_IBI_PP_UV))
    bg *= np.where(c.live, min(1.0, ibi_pp / max(c.bg_pp, 1e-6)), 1.0)[:, None]
    env = np.zeros(n)
    ibis: list[tuple[float, float]] = []
    t = rng.uniform(0.0, 3.0)
    while t < c.seconds:
        length = rng.uniform(*burst_s)
        a, b = int(t * FS), min(int((t + length) * FS), n)
        if b - a > FS:
            env[a:b] = np.maximum(
                env[a:b], _hann_edges(b - a, int(rng.uniform(*BURST_EDGE_S) * FS))
            )
        t += length
        gap = rng.uniform(*ibi_s)
        if t + gap < c.seconds:
            ibis.append((round(t, 2), round(gap, 2)))
        t += gap
    if ta:
        src = _band_noise(rng, n_ch, n, 0.5, 3.0) + 0.3 * _band_noise(rng, n_ch, n, 3.0, 8.0)
        src = 0.7 * src + 0.7 * _band_noise(rng, 1, n, 0.5, 3.0)
        act = _mix(c, src, 0.5)
    else:
        delta = _band_noise(rng, n_ch, n, 0.3, 1.5)
        brush = _band_noise(rng, n_ch, n, 8.0, 20.0) * (0.5 + 0.5 * np.abs(delta))
        act = _mix(c, delta + 0.25 * brush, 0.3)
    act /= peak_to_peak_uv(act)[:, None]
    x = act * (burst_pp * c.live)[:, None] * env[None, :]
    return x, {"burst_pp_uv": round(burst_pp, 1), "ibi_pp_uv": round(ibi_pp, 1)}, ibis


# ---------------------------------------------------------------- timeline


class _Timeline:
    """Busy spans of a recording, to keep events and artefacts apart."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.busy: list[tuple[float, float]] = []

    def free(self, a: float, b: float, margin: float) -> bool:
        if a < 1.0 or b > self.seconds - 1.0:
            return False
        return all(b + margin <= s or a - margin >= e for s, e in self.busy)

    def take(self, a: float, b: float) -> None:
        self.busy.append((a, b))

    def draw(self, rng: np.random.Generator, length: float, margin: float) -> float | None:
        if length > self.seconds - 2.0 - 2 * margin:
            return None
        for _ in range(200):
            a = rng.uniform(1.0, self.seconds - 1.0 - length)
            if self.free(a, a + length, margin):
                self.take(a, a + length)
                return a
        return None


# ---------------------------------------------------------------- electrodecremental events


def _draw_event(rng: np.random.Generator) -> dict[str, Any]:
    r = rng.random()
    hvs = "none" if r < P_NO_HVS else ("sharp_slow" if r < P_NO_HVS + P_SHARP_SLOW else "slow")
    return {
        "hvs": hvs,
        "hvs_s": 0.0 if hvs == "none" else round(rng.uniform(*HVS_S), 3),
        "duration_s": round(rng.uniform(*ATTENUATION_S), 2),
        "depth": round(rng.uniform(*DEPTH), 3),
        "entry_s": rng.uniform(*ENTRY_S),
        "recovery_s": rng.uniform(*RECOVERY_S),
        "lvfa": bool(rng.random() < P_LVFA),
        "emg": bool(rng.random() < P_EMG),
    }


def _schedule(
    rng: np.random.Generator, seconds: float, n: int, layout: str
) -> list[dict[str, Any]]:
    """Events with onsets: one cluster, isolated events, or both (``mixed``); fewer when
    the recording is too short for ``n``."""
    while n > 0:
        for _ in range(60):
            events = [_draw_event(rng) for _ in range(n)]
            if layout == "cluster":
                together = [True] * (n - 1)
            elif layout == "isolated":
                together = [False] * (n - 1)
            else:
                k = int(rng.integers(2, max(n, 2) + 1)) if n > 1 else 1
                flags = [True] * (k - 1) + [False] * (n - k)
                rng.shuffle(flags)
                together = flags
            t = EDGE_S[0] + rng.uniform(0.0, 15.0) + events[0]["hvs_s"]
            for i, ev in enumerate(events):
                if i:
                    prev = events[i - 1]
                    gap = rng.uniform(*(CLUSTER_GAP_S if together[i - 1] else ISOLATED_GAP_S))
                    gap = max(gap, prev["duration_s"] + prev["recovery_s"] + ev["hvs_s"] + 2.0)
                    t += gap
                ev["onset_s"] = round(t, 2)
            last = events[-1]
            if last["onset_s"] + last["duration_s"] + last["recovery_s"] <= seconds - EDGE_S[1]:
                return events
        n -= 1
    return []


def _gain_profile(n: int, ev: dict[str, Any]) -> tuple[int, np.ndarray]:
    """Start sample and profile (0 outside, 1 on the plateau) of an attenuation."""
    a = ev["onset_s"] - ev["entry_s"] / 2
    b = ev["onset_s"] + ev["duration_s"] + ev["recovery_s"] / 2
    i0, i1 = int(a * FS), min(int(b * FS), n)
    p = np.ones(i1 - i0)
    k_in, k_out = max(int(ev["entry_s"] * FS), 1), max(int(ev["recovery_s"] * FS), 1)
    p[:k_in] = 0.5 - 0.5 * np.cos(np.pi * (np.arange(k_in) + 0.5) / k_in)
    p[-k_out:] = 0.5 + 0.5 * np.cos(np.pi * (np.arange(k_out) + 0.5) / k_out)
    return i0, p


def _attenuate(x: np.ndarray, ev: dict[str, Any], weights: np.ndarray) -> None:
    """Multiply the channels by 1 - (1 - depth) * profile * weight (weight 0: untouched)."""
    i0, p = _gain_profile(x.shape[1], ev)
    g = 1.0 - ((1.0 - ev["depth"]) * weights)[:, None] * p[None, :]
    x[:, i0 : i0 + p.size] *= g


def _slow_wave(c: _Ctx, ev: dict[str, Any], hyps: bool) -> np.ndarray:
    """The generalised slow wave (or sharp-slow complex) ending at the attenuation's onset."""
    rng = c.rng
    h = ev["hvs_s"]
    t = np.arange(int(h * FS)) / FS
    s = t / h
    main = np.where(s < 0.75, np.sin(np.pi * s / 0.75), -0.25 * np.sin(np.pi * (s - 0.75) / 0.25))
    if ev["hvs"] == "sharp_slow":
        d = rng.uniform(0.08, 0.2)
        main = 0.7 * main + np.exp(-0.5 * ((t - d) / (d / 3)) ** 2) * rng.uniform(0.6, 1.0)
    amp = rng.uniform(*HVS_UV) * (HVS_HYPS_FACTOR if hyps else 1.0)
    y = c.pos[:, 1]
    g = rng.uniform(0.4, 1.5)
    w = -(1.0 - g * (y + 1.0) / 2.0)  # negative at the back, up to positive at the front
    if rng.random() < 0.25:
        side = rng.choice([-1.0, 1.0])
        w *= np.where(c.pos[:, 0] * side < -0.1, rng.uniform(0.5, 0.8), 1.0)
    w *= rng.uniform(0.9, 1.1, w.size) * c.live
    ev["hvs_uv"] = round(amp, 1)
    return amp * w[:, None] * main[None, :]


def _add_decrements(
    c: _Ctx, x: np.ndarray, events: list[dict[str, Any]], hyps: bool
) -> list[tuple[float, float]]:
    """Attenuate ``x`` (all cerebral activity) at each event, then add its slow wave and
    fast activity. Returns the truth."""
    truth = []
    for ev in events:
        w = c.live * np.exp(c.rng.normal(0.0, 0.15, len(c.channels)))
        w = np.clip(w, 0.0, 1.0)
        _attenuate(x, ev, w)
        if ev["hvs"] != "none":
            _add(x, int((ev["onset_s"] - ev["hvs_s"]) * FS), _slow_wave(c, ev, hyps))
        if ev["lvfa"]:
            length = min(c.rng.uniform(*LVFA_S), ev["duration_s"])
            f0 = c.rng.uniform(*LVFA_HZ)
            m = int(length * FS)
            fast = _band_noise(c.rng, 1, max(m, 8), max(f0 - 3, 1), f0 + 3)[0][:m]
            fast *= np.hanning(m) * c.rng.uniform(*LVFA_UV) / max(np.abs(fast).max(), 1e-9)
            wf = np.clip(0.6 + 0.4 * (-c.pos[:, 1]) + c.rng.normal(0, 0.1, len(c.channels)), 0.3, 1)
            _add(x, int(ev["onset_s"] * FS), (wf * c.live)[:, None] * fast[None, :])
            ev["lvfa_hz"] = round(f0, 1)
            ev["lvfa_s"] = round(length, 2)
        truth.append((ev["onset_s"], ev["duration_s"]))
    return truth


def _add_episodes(
    c: _Ctx, x: np.ndarray, timeline: _Timeline
) -> tuple[list[tuple[float, float]], list[str]]:
    """Episodes of attenuation of modified hypsarrhythmia (generalised, lateralised or
    regional), neutral in the truth."""
    rng = c.rng
    out, where = [], []
    for _ in range(int(rng.integers(N_EPISODES[0], N_EPISODES[1] + 1))):
        length = rng.uniform(*EPISODE_S)
        a = timeline.draw(rng, length + 1.0, 3.0)
        if a is None:
            continue
        ev = {
            "onset_s": round(a + 0.5, 2),
            "duration_s": round(length, 2),
            "depth": rng.uniform(*EPISODE_DEPTH),
            "entry_s": rng.uniform(0.3, 1.0),
            "recovery_s": rng.uniform(0.3, 1.0),
        }
        r = rng.random()
        if r < 0.5:
            w, label = c.live.astype(float), "generalised"
        elif r < 0.75:
            side = rng.choice([-1.0, 1.0])
            w = (c.pos[:, 0] * side > 0.1) * c.live * 1.0
            label = "left" if side < 0 else "right"
        else:
            centre = int(rng.choice(c.live_idx()))
            w = (c.dist[centre] < 0.7) * c.live * 1.0
            label = f"around {c.channels[centre]}"
        _attenuate(x, ev, w)
        out.append((ev["onset_s"], ev["duration_s"]))
        where.append(label)
    order = np.argsort([o[0] for o in out])
    return [out[i] for i in order], [where[i] for i in order]


# ---------------------------------------------------------------- artefacts


def _emg(c: _Ctx, length: float) -> np.ndarray:
    """The muscle burst of a spasm: 20-120 Hz, rising and falling, over the scalp muscles."""
    m = int(length * FS)
    burst = _band_noise(c.rng, len(c.channels), m, 20.0, 120.0)
    env = np.interp(np.arange(m), [0, m * c.rng.uniform(0.2, 0.5), m], [0.0, 1.0, 0.0])
    w = np.array([
        c.rng.uniform(0.5, 1.0) if ch in MUSCLE_ELECTRODES else c.rng.uniform(0.05, 0.3)
        for ch in c.channels
    ])  # fmt: skip
    w *= c.live * c.rng.uniform(15.0, 80.0)
    return w[:, None] * burst * env[None, :]


def _artefact(c: _Ctx, x: np.ndarray, kind: str, a: float, length: float) -> list[str]:
    """Add one artefact of ``length`` s at ``a`` s; returns the channels it touches."""
    rng = c.rng
    i0 = int(a * FS)
    m = min(int(length * FS), x.shape[1] - i0)
    live = c.live_idx()
    centre = int(rng.choice(live))
    region = [centre, *c.neighbours(centre)]
    if kind == "movement":
        chans = list(live) if rng.random() < 0.5 else region
        swing = _band_noise(rng, 1, m, 0.3, 3.0)[0] * rng.uniform(200.0, 800.0) / 3.0
        emg = _band_noise(rng, len(chans), m, 20.0, 100.0) * rng.uniform(10.0, 40.0)
        env = _hann_edges(m, int(0.3 * FS))
        gains = rng.uniform(0.5, 1.0, len(chans))[:, None]
        x[chans, i0 : i0 + m] += gains * (swing[None, :] + emg) * env[None, :]
    elif kind == "pop":
        chans = [centre]
        tau = rng.uniform(0.05, max(0.06, min(0.3, length / 6)))
        n_pops = int(rng.integers(1, 4))
        for k in range(n_pops):
            s = i0 + int(k * (m - 5 * tau * FS) / n_pops)
            tt = np.arange(min(int(10 * tau * FS), x.shape[1] - s)) / FS
            step = rng.uniform(150.0, 1000.0) * rng.choice([-1.0, 1.0])
            x[centre, s : s + tt.size] += step * np.exp(-tt / tau)
    elif kind == "flat":
        chans = [centre]
        x[centre, i0 : i0 + m] = rng.uniform(-200.0, 200.0) + rng.normal(0.0, 0.2, m)
    elif kind == "disconnected":
        chans = [centre]
        t = np.arange(m) / FS
        hum = rng.uniform(100.0, 500.0) * np.sin(2 * np.pi * MAINS_HZ * t + rng.uniform(0, 6.3))
        drift = _band_noise(rng, 1, m, 0.05, 1.0)[0] * rng.uniform(100.0, 500.0) / 3.0
        x[centre, i0 : i0 + m] = hum + drift
    elif kind == "clipping":
        chans = region[: int(rng.integers(1, 4))]
        bump = np.sin(np.pi * (np.arange(m) + 0.5) / m) * rng.uniform(1.3, 2.0) * RANGE_UV
        sign = rng.choice([-1.0, 1.0])
        x[chans, i0 : i0 + m] += sign * bump[None, :]
    elif kind == "sweat":
        chans = region[: int(rng.integers(2, 6))]
        sway = _band_noise(rng, 1, m, 0.05, 0.5)[0] * rng.uniform(100.0, 400.0) / 3.0
        env = _hann_edges(m, int(2.0 * FS))
        x[chans, i0 : i0 + m] += rng.uniform(0.6, 1.0, len(chans))[:, None] * (sway * env)
    elif kind == "mains":
        chans = region[: int(rng.integers(1, 5))]
        t = np.arange(m) / FS
        hum = np.sin(2 * np.pi * MAINS_HZ * t) + 0.1 * np.sin(4 * np.pi * MAINS_HZ * t)
        env = _hann_edges(m, int(0.1 * FS))
        amp = rng.uniform(10.0, 100.0, len(chans))[:, None]
        x[chans, i0 : i0 + m] += amp * (hum * env)[None, :]
    elif kind == "ecg":
        k = int(rng.integers(4, 11))
        left = [i for i in live if c.pos[i, 0] < 0.2]
        pool = left if len(left) >= k and rng.random() < 0.6 else list(live)
        chans = [int(i) for i in rng.choice(pool, size=min(k, len(pool)), replace=False)]
        period = 60.0 / rng.uniform(110.0, 160.0)
        qrs_t = np.arange(int(0.12 * FS)) / FS
        qrs = np.exp(-0.5 * ((qrs_t - 0.04) / 0.008) ** 2)
        qrs -= 0.35 * np.exp(-0.5 * ((qrs_t - 0.065) / 0.012) ** 2)
        beat = np.zeros(m)
        t = rng.uniform(0.0, period)
        while t < length - 0.12:
            s = int(t * FS)
            beat[s : s + qrs.size] += qrs[: max(0, m - s)]
            t += period * (1.0 + rng.normal(0.0, 0.03))
        amp = rng.uniform(10.0, 50.0) * rng.uniform(0.5, 1.0, len(chans)) * rng.choice([-1, 1])
        x[chans, i0 : i0 + m] += amp[:, None] * beat[None, :]
    else:
        raise ValueError(kind)
    return [c.channels[i] for i in chans]


ARTEFACT_S = {
    "movement": (1.0, 4.0),
    "pop": (0.5, 1.5),
    "flat": (5.0, 30.0),
    "disconnected": (5.0, 30.0),
    "clipping": (1.0, 5.0),
    "sweat": (10.0, 30.0),
    "mains": (10.0, 60.0),
    "ecg": (10.0, 60.0),
}
"""Artefact lengths, s: a movement or a clipped swing lasts seconds, a pop a second; a lost
electrode, sweat, mains pickup and ECG last until someone notices."""


# ---------------------------------------------------------------- a recording


def _draw_duration(rng: np.random.Generator) -> float:
    lo, hi = DURATION_S
    return float(round(lo + (hi - lo) * rng.random() ** DURATION_SKEW))


def synthesise(
    background: str,
    kind: str,
    variant: str,
    seed: int,
    duration_s: float | None = None,
    with_decrements: bool = False,
    helsinki: Path = HELSINKI,
) -> tuple[Case, np.ndarray, list[str]]:
    """One recording: its truth (``path`` empty), samples (channels x samples, µV) and
    channel names. ``with_decrements`` matters for the hypsarrhythmia kinds only (``spasms``
    always has EDEs, the hard negatives never); ``duration_s`` (whole seconds) overrides the
    drawn length."""
    if variant not in KINDS.get(kind, ()):
        raise ValueError(f"unknown kind/variant {kind}/{variant}")
    rng = np.random.default_rng(seed)
    drawn = _draw_duration(rng)
    seconds = float(round(duration_s)) if duration_s is not None else drawn
    n = int(seconds * FS)
    channels, clip = load_clip(background, helsinki)
    ref = reference_channel(channels, clip)
    live = np.ones(len(channels), bool)
    if ref is not None:
        live[ref] = False
    bg = surrogate(clip, n, rng)
    pos = np.array([POSITIONS[ch] for ch in channels])
    c = _Ctx(rng, n, channels, pos, live, float(np.median(peak_to_peak_uv(bg[live]))))
    hyps = kind in HYPS_KINDS
    case = Case(
        name=f"{background}_{kind}_{variant}",
        path="",
        background=background,
        kind=kind,
        variant=variant,
        hyps=hyps,
        duration_s=seconds,
        seed=seed,
        reference=channels[ref] if ref is not None else None,
    )
    case.details["background_pp_uv"] = round(c.bg_pp, 1)

    pattern: np.ndarray | None = None
    if hyps:
        pattern, info = _hyps(c, variant, bg)
    elif kind == "delta":
        pattern, info = _delta(c, variant)
    elif kind == "focal":
        pattern, info = _focal(c, variant)
    elif kind == "discontinuous":
        pattern, info, case.interbursts = _discontinuous(c, variant, bg)
    else:
        info = {}
    case.details.update(info)
    x = bg if pattern is None else bg + pattern
    if pattern is not None:
        case.details["pp_uv"] = round(float(np.median(peak_to_peak_uv(x[live]))), 1)

    timeline = _Timeline(seconds)
    events: list[dict[str, Any]] = []
    if kind == "spasms":
        n_ev = int(rng.integers(N_SPASMS[0], N_SPASMS[1] + 1))
        events = _schedule(rng, seconds, n_ev, variant)
    elif hyps and with_decrements:
        n_ev = int(rng.integers(N_SPASMS_HYPS[0], N_SPASMS_HYPS[1] + 1))
        events = _schedule(rng, seconds, n_ev, str(rng.choice(KINDS["spasms"])))
    for ev in events:
        timeline.take(ev["onset_s"] - ev["hvs_s"], ev["onset_s"] + ev["duration_s"] + 1.0)
    if variant == "attenuation":
        case.attenuations, where = _add_episodes(c, x, timeline)
        case.details["attenuation_extent"] = where
    case.decrements = _add_decrements(c, x, events, hyps)

    # artefacts: the spasms' EMG first, then the others
    n_art = int(rng.integers(N_ARTEFACTS[0], N_ARTEFACTS[1] + 1))
    arts: list[tuple[float, float, str]] = []
    art_channels: list[list[str]] = []
    for ev in events:
        if ev["emg"] and len(arts) < n_art:
            start = ev["onset_s"] - (ev["hvs_s"] if ev["hvs_s"] else 0.3)
            length = rng.uniform(0.5, 2.0)
            burst = _emg(c, length)
            _add(x, int(start * FS), burst)
            arts.append((round(start, 2), round(length, 2), "emg"))
            art_channels.append([ch for ch in MUSCLE_ELECTRODES if ch in channels])
        else:
            ev["emg"] = False
    kinds = list(ARTEFACT_WEIGHTS)
    p = np.array([ARTEFACT_WEIGHTS[k] for k in kinds])
    while len(arts) < max(n_art, 1):
        kind_a = str(rng.choice(kinds, p=p / p.sum()))
        length = rng.uniform(*ARTEFACT_S[kind_a])
        a = timeline.draw(rng, length, ARTEFACT_MARGIN_S)
        if a is None:
            length = ARTEFACT_S[kind_a][0]
            a = timeline.draw(rng, length, ARTEFACT_MARGIN_S)
            if a is None:
                break
        a = round(a, 2)
        length = round(length, 2)
        art_channels.append(_artefact(c, x, kind_a, a, length))
        arts.append((a, length, kind_a))
    order = np.argsort([t[0] for t in arts])
    case.artefacts = [arts[i] for i in order]
    case.details["artefact_channels"] = [art_channels[i] for i in order]
    case.decrement_details = [
        {k: (round(v, 3) if isinstance(v, float) else v) for k, v in ev.items()} for ev in events
    ]
    if ref is not None:
        x[ref] = bg[ref]  # the reference carries nothing added
    np.clip(x, -RANGE_UV, RANGE_UV, out=x)
    return case, x, list(channels)


# ---------------------------------------------------------------- the set


def plan(names: Sequence[str]) -> list[tuple[str, str, str, bool, int]]:
    """(background, kind, variant, with_decrements, seed) of every recording: per
    background ``spasms``, ``hyps``, ``modified`` and two hard negatives in rotation, the
    variants in rotation, EDEs on the classic or the modified recording alternately."""
    pairs = list(combinations(NEGATIVES, 2))
    counts = dict.fromkeys(NEGATIVES, 0)
    out = []
    for i, name in enumerate(names):
        infant = int(name.removeprefix("eeg"))
        rows = [
            ("spasms", KINDS["spasms"][i % 3], True),
            ("hyps", "classic", i % 2 == 0),
            ("modified", KINDS["modified"][i % 5], i % 2 == 1),
        ]
        for neg in pairs[i % len(pairs)]:
            rows.append((neg, KINDS[neg][counts[neg] % len(KINDS[neg])], False))
            counts[neg] += 1
        for slot, (kind, variant, dec) in enumerate(rows):
            out.append((name, kind, variant, dec, SEED * 1000 + infant * 10 + slot))
    return out


def _settings(names: Sequence[str], duration_s: float | None) -> dict[str, Any]:
    return {"version": VERSION, "seed": SEED, "backgrounds": list(names), "duration_s": duration_s}


def _load(manifest: Path) -> tuple[dict[str, Any], list[Case]]:
    data = json.loads(manifest.read_text())
    cases = []
    for d in data["cases"]:
        d["decrements"] = [tuple(v) for v in d["decrements"]]
        d["attenuations"] = [tuple(v) for v in d["attenuations"]]
        d["artefacts"] = [tuple(v) for v in d["artefacts"]]
        d["interbursts"] = [tuple(v) for v in d["interbursts"]]
        cases.append(Case(**d))
    return data["settings"], cases


def build(
    out: Path = CACHE,
    force: bool = False,
    names: Sequence[str] | None = None,
    duration_s: float | None = None,
) -> list[Case]:
    """Write every recording of the set (or of the backgrounds ``names``, each recording
    ``duration_s`` long when given) into ``out`` with ``manifest.json``, and return the
    cases; a set already there with the same settings is reused."""
    names = list(backgrounds() if names is None else names)
    settings = _settings(names, duration_s)
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / "manifest.json"
    if manifest.exists() and not force:
        try:
            old, cases = _load(manifest)
        except (ValueError, KeyError, TypeError):
            old, cases = {}, []
        if old == settings and all(Path(c.path).exists() for c in cases):
            return cases
    cases = []
    for background, kind, variant, dec, seed in plan(names):
        case, x, channels = synthesise(background, kind, variant, seed, duration_s, dec)
        path = out / f"{case.name}.edf"
        write_case(path, x, channels, range_uv=RANGE_UV, edf_plus=True)
        case.path = str(path)
        cases.append(case)
    manifest.write_text(
        json.dumps({"settings": settings, "cases": [asdict(c) for c in cases]}, indent=1)
    )
    return cases
