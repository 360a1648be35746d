"""A held-out EEG evaluation set: hypsarrhythmia, electrodecremental events, hard negatives
and artefacts added to real neonatal EEG backgrounds not used for this purpose before.

Written independently of the project's first injection set, from the clinical descriptions
cited below, so that a hypsarrhythmia assessment tuned on that set can be scored on material
its author never saw. Nothing here is tuned to any detector.

Backgrounds
-----------
The 39 Helsinki clips (Stevenson et al., Sci Data 2019;6:190039) whose row in
``helsinki/clips_summary.csv`` has ``seconds_seizure_any > 0``: 30 s of referential
19-electrode neonatal EEG at 256 Hz in which at least one second was marked as seizure by
some expert. Their rhythmic seizure discharges are left in on purpose (a seizure is not
hypsarrhythmia). The 23 seizure-free clips are not used. ECG and respiration are dropped;
the 19 electrodes are written in the clip's own channel order.

In every clip one electrode, Cz or Fz, is nearly flat: the recording reference. The
*reference channel* is the flattest channel when its SD is under 1 µV or under 0.15 of the
median channel SD (32 of the 39 clips); it receives no added cerebral activity and no
artefact, since a reference recorded against itself carries nothing. Added cerebral
potentials are otherwise written as seen against an indifferent reference (the field at the
reference site is not subtracted from the other channels): a simplification.

Lengthening: each channel's median is removed, and the clip is cut into segments of 4-12 s
at random offsets, each played forward or time-reversed (probability 1/2), joined with
0.5-s equal-power (sine/cosine) cross-fades until the recording's length is filled; the
medians are added back. A recording of 2-5 min thus reuses every part of its 30-s clip
several times, in different orders and directions, without a discontinuity.

Recordings
----------
Six recordings per background (234 in all), one of each kind, 120-300 s long (whole seconds,
uniform), named ``eegN_<kind>``. The truth (:class:`Case`): ``hyps`` (True for the two
hypsarrhythmia kinds), ``decrements`` (electrodecremental events, ``(onset_s,
duration_s)``), ``artefacts`` (``(onset_s, duration_s, type)``) and, for the modified
variant with attenuation episodes, ``attenuations`` (``(onset_s, duration_s)``).

``hyps_classic`` (Gibbs & Gibbs, Atlas of Electroencephalography vol. 2, 1952; Hrachovy &
Frost, J Clin Neurophysiol 2003;20:408): chaotic, disorganised, high-voltage, arrhythmic
delta and theta, asynchronous across the head, with multifocal spikes and sharp waves.

- Slow activity: one source near each electrode (jittered by 0.06 head radii; neighbouring
  electrodes are 0.32-0.50 apart) plus 0-6 at random places, each with a Gaussian field of
  SD 0.15-0.30, so that neighbouring channels correlate about 0.4-0.6 and channels a head
  radius apart not at all. Each source is independent 0.4-8 Hz noise with a 1/f^1-2 power
  spectrum (delta-dominant), modulated by its own log-normal envelope (SD 0.3, changing over
  a few seconds: waxing and waning); source gains vary (log-normal SD 0.35) with a random
  antero-posterior gradient (more often posterior-predominant). The sum is scaled so that the
  median over channels of each channel's median 1-s peak-to-peak amplitude is 200-450 µV
  (uniform per recording), then soft-limited (450 tanh(x/450) µV). Channels' typical
  amplitudes then range over about 170-580 µV; the top 1 % of 1-s peak-to-peak amplitudes,
  discharges included, is about 650-850 µV, the largest about 800-1200 µV.
- Discharges at 30-150 per minute in all (uniform per recording), from 3-6 foci at a time.
  A focus is an electrode (never the reference); the set changes in epochs of 15-60 s, 1-2
  foci being replaced at each change; foci share the rate by Dirichlet(2) weights. Each focus
  keeps a style: a dominant morphology (spike of 20-70 ms, sharp wave of 70-200 ms, or
  polyspike of 2-5 spikes of 20-50 ms, 50-100 ms apart; 70 % of its discharges, the rest of
  the other two), a probability of an after-going slow wave (0.2-0.8; the wave 150-400 ms,
  0.3-0.9 of the spike), a polarity (surface-negative for 85 % of foci) and an amplitude
  (150-400 µV, per discharge log-normal SD 0.25). A discharge has a pointed, asymmetric main
  phase (rise 35-50 % of its width), small opposite pre- and after-phases, and a Gaussian
  field around its focus (SD 0.20-0.35 head radii: 25-65 % on the nearest electrodes, under
  20 % two electrodes away) with lags growing away from the focus (0-25 ms per head
  radius). Durations of spikes and sharp waves: Kane et al., Clin Neurophysiol Pract
  2017;2:170.
- Brief generalisation: 0-2 bursts per minute of 1-3 spike- or polyspike-and-slow-wave
  complexes at 2.5-4 Hz, 200-450 µV, with a broad field (SD 0.8-1.3) and 0-15 ms lags.

``hyps_modified``: the same construction, changed as one of the variants of Hrachovy, Frost
& Kellaway (Epilepsia 1984;25:317), in shuffled rotation over the backgrounds (``variant``):

- ``synchronised`` (increased interhemispheric synchronisation): each right-hemisphere slow
  source correlates 0.70-0.95 with its left homologue; a shared slow source with a broad field
  adds 30-50 % of the activity's SD; 50-90 % of focal discharges also fire at the homologous
  electrode (0-15 ms later); generalised bursts are more frequent (2-6 per minute).
- ``consistent_focus``: one focus persists through the whole recording, produces 40-70 % of
  the focal discharges, 1.2-1.6 times larger; the other foci change as above.
- ``asymmetric``: all added hypsarrhythmic activity on one hemisphere (random side) is
  0.5-0.8 of the other's, with a linear transition across the midline (|x| < 0.2).
- ``attenuation_episodes``: episodes of generalised attenuation of the whole EEG to 5-30 %
  for 1-10 s (0.1-0.5-s cosine ramps), one per 15-45 s on average, kept at least 4 s from any
  electrodecremental event; recorded in ``attenuations``.

Half of the hypsarrhythmia recordings (drawn per recording) also hold a cluster of 1-5
electrodecremental events, 4-30 s apart.

``background``: the lengthened clip with artefacts only.

``decrements``: 2-6 electrodecremental events, as one cluster (4-30 s apart) or scattered
(at least 4 s apart), with artefacts.

``slow_sync`` (a hard negative for amplitude): high-voltage synchronous delta, no spikes, as
one of (``variant``, in rotation): ``frontal_rhythmic`` (1.5-3 Hz, regular, runs of 2-10 s
with 2-15-s gaps, frontal maximum: frontally predominant rhythmic delta, Hirsch et al., ACNS
critical care EEG terminology, J Clin Neurophysiol 2021;38:1); ``posterior_rhythmic``
(1-2.5 Hz runs, occipital maximum); ``diffuse_sleep`` (continuous semi-rhythmic 0.5-1.5 Hz
delta with a broad field, as in quiet sleep). One common waveform with a slowly wandering
frequency (5-20 %) and a 10-30 % second harmonic, its single waves 120-300 µV peak to peak
(median, uniform per recording) on the channel at the field's maximum,
a Gaussian field (SD 0.5-0.8 for runs, 0.8-1.3 for diffuse delta), channel lags under 10 ms,
plus 10 % independent 0.5-3 Hz activity per channel.

``focal_spikes`` (a hard negative for spikes): one focus (``variant`` ``single``) or an
electrode and its nearest neighbour (``pair``, field centred between them) with stereotyped
spikes or sharp waves (one morphology and width, within 10 %, with or without an after-going
slow wave for the whole recording; amplitude log-normal SD 0.15; lags of 10 ms per head
radius) at 5-40 per minute (gamma-distributed intervals, shape 1.5-4, at least 0.3 s),
60-250 µV, on the unchanged background.

Electrodecremental events (Kellaway et al., Ann Neurol 1979;6:214; Fusco & Vigevano,
Epilepsia 1993;34:671; Kobayashi et al., Epilepsia 2005;46:1098): a generalised
high-voltage slow transient (150-600 µV at its maximum, 0.3-1.5 s: a main lobe of 60-80 %
of it and a 20-40 % rebound) whose field is, per recording, either vertex-positive and broad
(Fusco & Vigevano) or negative posteriorly and positive anteriorly (Kobayashi), with 0-20 ms
channel lags; in 40 % a sharp component (60-150 ms, 0.3-0.6 of it) rides on it. Then, in
60 %, 0.2-1 s of low-voltage fast activity (15-30 Hz, 10 % chirp, 10-40 µV, broad field);
then attenuation of the whole EEG (background and any hypsarrhythmia) to 5-40 % for 1-4 s,
recovering over 0.3-1 s. The attenuation starts (0.1-s ramp) at the end of the slow
transient and also covers the fast activity. In half of the events, muscle artefact of the
spasm (30-100 Hz noise, 20-150 µV, 0.5-2 s from about the onset) shows on 2-8 peripheral
electrodes; it is recorded as an artefact ``spasm_emg``. Truth: from the onset of the slow
transient to the end of the attenuation plateau (the recovery comes after).

Artefacts (Tatum, Dworetzky & Schomer, J Clin Neurophysiol 2011;28:252): 1-6 per recording,
types drawn uniformly from ``movement`` (0.5-5 s of 0.2-3 Hz swings of 100-1000 µV on 3-8
neighbouring electrodes, with 30-100 Hz muscle of 20-150 µV), ``electrode_pop`` (a step of
200-2000 µV on one electrode, decaying with a 0.1-1 s time constant; its duration is 5 time
constants), ``flat`` (one electrode held at its value for 2-30 s), ``clipped`` (one
electrode at the file's limit, +6000 or -6000 µV, for 1-20 s), ``sweat`` (0.03-0.5 Hz drift
of 50-300 µV on 2-5 neighbouring electrodes for 10-60 s), ``mains`` (50 Hz hum of 5-80 µV
with 0-20 % at 100 Hz, on one electrode for 10-120 s) and ``ecg`` (QRS-T complexes at
110-170 per minute, 10-60 µV, either polarity, on 2-6 neighbouring electrodes for 10 s up to
the whole recording). Artefacts are added after the events' attenuation (they are not
cerebral); flat and clipped ones last, since they replace the signal.

Files: EDF+C with 1-s records, 19 signals ``EEG <name>`` in µV, physical range ±6000 µV,
no annotations (the truth is only in ``manifest.json``). Every draw comes from
``numpy.random.default_rng`` seeded with ``(seed, infant, kind)``, so the set is
reproducible and each recording is independent of which others are built.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np

from spasmwatch.eeg.reader import read_recording
from spasmwatch.testing.eeg_inject import write_case

__all__ = [
    "CACHE",
    "HELSINKI",
    "KINDS",
    "SEED",
    "Background",
    "Case",
    "build",
    "load_background",
    "select_backgrounds",
    "synthesise",
]

#: The repository root (this file is src/spasmwatch/testing/eeg_heldout.py).
ROOT = Path(__file__).resolve().parents[3]
#: The shared real EEG data, beside the checkout.
HELSINKI = ROOT.parent / "shared" / "data" / "eeg" / "helsinki"
#: Where the set is written by default (ignored by git).
CACHE = ROOT / "benchmarks" / ".cache" / "eeg_heldout"
#: Bumped whenever the generator changes what it writes, so an old cache is rebuilt.
VERSION = 1
#: The base seed of every draw (Hrachovy, Frost & Kellaway, Epilepsia 1984;25:317).
SEED = 1984_25_317
SPLIT = "heldout"
#: Sampling rate of the Helsinki clips and of the files written, in Hz.
FS = 256
#: Half-width of the files' physical range, in µV: above the largest background sample
#: (5482 µV, infant 50), so no real sample is clipped; 16-bit steps are then 0.18 µV, no
#: coarser than the source's 0.15-0.17 µV.
RANGE_UV = 6000.0

KINDS = ("hyps_classic", "hyps_modified", "background", "decrements", "slow_sync", "focal_spikes")
HYPS_KINDS = ("hyps_classic", "hyps_modified")
MODIFIED_VARIANTS = ("synchronised", "consistent_focus", "asymmetric", "attenuation_episodes")
SLOW_VARIANTS = ("frontal_rhythmic", "posterior_rhythmic", "diffuse_sleep")
FOCAL_VARIANTS = ("single", "pair")
ARTEFACT_TYPES = ("movement", "electrode_pop", "flat", "clipped", "sweat", "mains", "ecg")

#: Recording length, whole seconds, uniform (2-5 min; about 28 % under 170 s).
DURATION_S = (120, 300)

#: Approximate 2-D scalp positions (x to the right, y forward; the 10 % ring at radius 0.8).
POSITIONS: dict[str, tuple[float, float]] = {
    "Fp1": (-0.25, 0.76), "Fp2": (0.25, 0.76),
    "F7": (-0.65, 0.47), "F3": (-0.32, 0.44), "Fz": (0.0, 0.40), "F4": (0.32, 0.44),
    "F8": (0.65, 0.47),
    "T3": (-0.80, 0.0), "C3": (-0.40, 0.0), "Cz": (0.0, 0.0), "C4": (0.40, 0.0),
    "T4": (0.80, 0.0),
    "T5": (-0.65, -0.47), "P3": (-0.32, -0.44), "Pz": (0.0, -0.40), "P4": (0.32, -0.44),
    "T6": (0.65, -0.47),
    "O1": (-0.25, -0.76), "O2": (0.25, -0.76),
}  # fmt: skip
ELECTRODES = tuple(POSITIONS)
#: Homologous electrodes of the other hemisphere (midline ones map to themselves).
_LEFT = ("Fp1", "F7", "F3", "T3", "C3", "T5", "P3", "O1")
_RIGHT = ("Fp2", "F8", "F4", "T4", "C4", "T6", "P4", "O2")
MIRROR = {
    **dict(zip(_LEFT, _RIGHT, strict=True)),
    **dict(zip(_RIGHT, _LEFT, strict=True)),
    "Fz": "Fz",
    "Cz": "Cz",
    "Pz": "Pz",
}
#: The outer ring, where the muscle artefact of a spasm shows (scalp muscles).
PERIPHERAL = ("Fp1", "Fp2", "F7", "F8", "T3", "T4", "T5", "T6", "O1", "O2")

# Lengthening
SEGMENT_S = (4.0, 12.0)  # segment length: several seconds keeps the clip's own rhythms
CROSSFADE_S = 0.5  # long enough to hide the joins, short against a segment
# The reference channel: a channel this flat carries no EEG (it is the reference).
REFERENCE_MAX_SD_UV = 1.0
REFERENCE_MAX_SD_RATIO = 0.15

# Hypsarrhythmia slow activity (Gibbs & Gibbs 1952; Hrachovy & Frost 2003)
HYPS_TYPICAL_P2P_UV = (200.0, 450.0)  # median 1-s peak-to-peak: "typically 200-600 µV"
HYPS_SOFT_LIMIT_UV = 450.0  # tanh knee: the largest slow waves stay near 800-900 µV p-p
HYPS_BAND_HZ = (0.4, 8.0)  # arrhythmic delta and theta
HYPS_SLOPE = (1.0, 2.0)  # 1/f^slope power: delta-dominant, some theta
HYPS_SOURCE_SD = (0.15, 0.30)  # field of a slow source (head radii): neighbours r ~ 0.4-0.6
HYPS_ENVELOPE_SD = 0.3  # log-normal envelope: waxing and waning without huge outliers
HYPS_ENVELOPE_HZ = 0.3  # the envelope changes over a few seconds
# Hypsarrhythmia discharges
HYPS_RATE_PER_MIN = (30.0, 150.0)  # multifocal spikes and sharp waves over the whole head
HYPS_ACTIVE_FOCI = (3, 6)  # "multifocal": at least 3 foci at any time
HYPS_EPOCH_S = (15.0, 60.0)  # foci change over time, 1-2 at a time
HYPS_SPIKE_UV = (150.0, 400.0)  # per-focus amplitude, on a par with the slow waves
SPIKE_FIELD_SD = (0.20, 0.35)  # 25-65 % on the nearest electrodes (0.32-0.45 away)
GENERALISED_PER_MIN = (0.0, 2.0)  # "sometimes briefly generalised"
GENERALISED_UV = (200.0, 450.0)  # generalised complexes, at the field's maximum
MIN_INTERVAL_S = 0.15  # two discharges of one focus are never closer
# Modified variants (Hrachovy, Frost & Kellaway 1984)
SYNC_CORRELATION = (0.7, 0.95)  # right slow source vs its left homologue
SYNC_SHARED = (0.3, 0.5)  # a shared broad slow source, as a share of the activity's SD
SYNC_BILATERAL = (0.5, 0.9)  # share of focal discharges also at the homologous electrode
SYNC_GENERALISED_PER_MIN = (2.0, 6.0)  # more generalised bursts than the classic form
FOCUS_SHARE = (0.4, 0.7)  # the consistent focus's share of the focal discharges
FOCUS_GAIN = (1.2, 1.6)  # and its amplitude against the other foci
ASYMMETRY = (0.5, 0.8)  # the weaker hemisphere's amplitude, of the stronger one's
ATTENUATION_S = (1.0, 10.0)  # episodes of generalised attenuation
ATTENUATION_LEVEL = (0.05, 0.3)  # what is left of the EEG during one
ATTENUATION_EVERY_S = (15.0, 45.0)  # mean spacing of the episodes
#: Share of hypsarrhythmia recordings with a cluster of spasms.
HYPS_WITH_EVENTS = 0.5

# Electrodecremental events (Kellaway et al. 1979; Fusco & Vigevano 1993; Kobayashi 2005)
EVENT_SLOW_UV = (150.0, 600.0)  # generalised slow transient, at the field's maximum
EVENT_SLOW_S = (0.3, 1.5)  # its duration
EVENT_SHARP_P = 0.4  # share with a superimposed sharp component
EVENT_FAST_P = 0.6  # share followed by low-voltage fast activity
EVENT_FAST_S = (0.2, 1.0)  # its duration
EVENT_FAST_HZ = (15.0, 30.0)  # its frequency (beta)
EVENT_FAST_UV = (10.0, 40.0)  # its amplitude ("low-voltage")
EVENT_LEVEL = (0.05, 0.4)  # what is left of the EEG during the decrement
EVENT_ATTENUATION_S = (1.0, 4.0)  # the decrement's duration
EVENT_RECOVERY_S = (0.3, 1.0)  # return to the full amplitude
EVENT_EMG_P = 0.5  # share with muscle artefact of the spasm on the scalp
EVENT_GAP_S = (4.0, 30.0)  # between the end of one recovery and the next onset (clusters)
EVENT_MARGIN_S = (5.0, 3.0)  # kept free at the start and the end of a recording

# Hard negatives
SLOW_P2P_UV = (120.0, 300.0)  # synchronous delta: high-voltage, below most hypsarrhythmia
FOCAL_RATE_PER_MIN = (5.0, 40.0)  # one active focus, well below the multifocal rates
FOCAL_UV = (60.0, 250.0)  # focal spikes on a normal-amplitude background

# Artefacts (Tatum, Dworetzky & Schomer 2011)
ARTEFACTS_PER_RECORDING = (1, 6)  # a few in every recording, of every type over the set
ECG_RATE_PER_MIN = (110.0, 170.0)  # infant heart rate

Interval = tuple[float, float]


@dataclass
class Case:
    """One recording of the held-out set and its truth.

    ``decrements`` and ``attenuations`` are ``(onset_s, duration_s)``; ``artefacts`` are
    ``(onset_s, duration_s, type)``, ``spasm_emg`` among them for the muscle of a spasm.
    ``foci``: the electrodes that discharged (hypsarrhythmia: in order of first discharge;
    focal spikes: the one or two electrodes). ``spike_count``: discharges added (a
    bilateral pair, a polyspike or one complex of a generalised burst counts once).
    ``amplitude_uv``: hypsarrhythmia, the drawn typical 1-s peak-to-peak amplitude of the
    slow activity; ``slow_sync``, the median peak-to-peak amplitude of single waves on the
    channel at the field's maximum; focal spikes, the focus's spike amplitude.
    ``reference``: the clip's reference channel ("" if none); ``channels``: the electrodes
    in the file's order.
    """

    name: str
    split: str
    background: str
    kind: str
    variant: str
    hyps: bool
    duration_s: float
    decrements: list[tuple[float, float]]
    artefacts: list[tuple[float, float, str]]
    path: str
    attenuations: list[tuple[float, float]] = field(default_factory=list)
    foci: list[str] = field(default_factory=list)
    spike_count: int = 0
    amplitude_uv: float = 0.0
    reference: str = ""
    channels: list[str] = field(default_factory=list)


@dataclass
class Background:
    """A Helsinki clip's 19 EEG channels (in the file's order), in µV."""

    name: str
    infant: int
    channels: list[str]
    samples: np.ndarray
    reference: str


# ------------------------------------------------------------------ backgrounds


def select_backgrounds(helsinki: Path = HELSINKI) -> list[tuple[int, Path]]:
    """The clips with at least one seizure second marked by some expert, by infant number."""
    with (helsinki / "clips_summary.csv").open(newline="") as f:
        rows = [r for r in csv.DictReader(f) if int(r["seconds_seizure_any"]) > 0]
    return sorted((int(r["infant"]), helsinki / r["file"]) for r in rows)


def load_background(infant: int, path: Path) -> Background:
    """Read a clip's 10-20 electrodes and find its reference channel."""
    rec = read_recording(path, annotations=False)
    keep = [i for i, c in enumerate(rec.channels) if c in POSITIONS]
    channels = [rec.channels[i] for i in keep]
    if sorted(channels) != sorted(ELECTRODES):
        raise ValueError(f"{path}: expected the 19 10-20 electrodes, found {channels}")
    x = rec.read().astype(np.float64)[keep]
    sd = x.std(axis=1)
    flat = int(np.argmin(sd))
    is_ref = sd[flat] < REFERENCE_MAX_SD_UV or sd[flat] < REFERENCE_MAX_SD_RATIO * np.median(sd)
    return Background(f"eeg{infant}", infant, channels, x, channels[flat] if is_ref else "")


def _lengthen(clip: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """Random-offset forward or reversed segments joined by equal-power cross-fades."""
    dc = np.median(clip, axis=1, keepdims=True)
    src = clip - dc
    fade = round(CROSSFADE_S * FS)
    ramp = np.linspace(0.0, np.pi / 2, fade)
    fade_in, fade_out = np.sin(ramp), np.cos(ramp)
    out = np.zeros((clip.shape[0], n))
    pos = 0
    while True:
        length = round(rng.uniform(*SEGMENT_S) * FS)
        start = int(rng.integers(0, src.shape[1] - length + 1))
        seg = src[:, start : start + length]
        if rng.random() < 0.5:
            seg = seg[:, ::-1]
        if pos == 0:
            take = min(length, n)
            out[:, :take] = seg[:, :take]
            pos = take
        else:
            a = pos - fade
            out[:, a:pos] = out[:, a:pos] * fade_out + seg[:, :fade] * fade_in
            take = min(length - fade, n - pos)
            out[:, pos : pos + take] = seg[:, fade : fade + take]
            pos += take
        if pos >= n:
            return out + dc


# ------------------------------------------------------------------ signal pieces


def _band_noise(
    rng: np.random.Generator, shape: tuple[int, ...], n: int, lo: float, hi: float, slope: float
) -> np.ndarray:
    """Unit-SD noise with its power between ``lo`` and ``hi`` Hz (smooth 8th-order edges),
    shaped as 1/f**slope."""
    f = np.fft.rfftfreq(n, 1 / FS)
    f[0] = f[1] / 2
    gain = f ** (-slope / 2) / np.sqrt(1 + (lo / f) ** 8) / np.sqrt(1 + (f / hi) ** 8)
    spec = rng.normal(size=(*shape, f.size)) + 1j * rng.normal(size=(*shape, f.size))
    x = np.fft.irfft(spec * gain, n)
    return x / x.std(axis=-1, keepdims=True)


def _envelope(rng: np.random.Generator, k: int, n: int, sd: float, hz: float) -> np.ndarray:
    """Log-normal slow envelopes (mean about 1)."""
    return np.exp(sd * _band_noise(rng, (k,), n, 0.01, hz, 0.0) - sd**2 / 2)


def _tukey(n: int, taper: float = 0.2) -> np.ndarray:
    """A window flat in the middle, with cosine ends of ``taper`` of its length each."""
    w = np.ones(n)
    m = max(1, int(taper * n))
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(m) / m)
    w[:m], w[n - m :] = ramp, ramp[::-1]
    return w


def _field(positions: np.ndarray, centre: np.ndarray, sd: float) -> np.ndarray:
    """Gaussian field of a source at ``centre`` on every electrode."""
    d2 = ((positions - centre) ** 2).sum(axis=1)
    return np.exp(-d2 / (2 * sd**2))


def _stamp(out: np.ndarray, ch: int, wave: np.ndarray, start: int) -> None:
    """Add ``wave`` to channel ``ch`` from sample ``start``, cut at the edges."""
    a, b = max(start, 0), min(start + wave.size, out.shape[1])
    if b > a:
        out[ch, a:b] += wave[a - start : b - start]


def _place(
    rng: np.random.Generator,
    lengths: list[float],
    duration: float,
    cluster: bool,
    avoid: list[Interval] | None = None,
) -> list[float] | None:
    """Onsets for intervals of ``lengths`` s: one cluster (``EVENT_GAP_S`` apart) or scattered
    (at least the smallest gap apart), inside the margins and off ``avoid``."""
    lo, hi = EVENT_MARGIN_S[0], duration - EVENT_MARGIN_S[1]
    gap = EVENT_GAP_S[0]
    for _ in range(200):
        if cluster:
            gaps = rng.uniform(*EVENT_GAP_S, size=len(lengths))
            span = sum(lengths) + gaps[1:].sum()
            if span > hi - lo:
                continue
            t = rng.uniform(lo, hi - span)
            onsets = []
            for length, g in zip(lengths, gaps, strict=True):
                t = t if not onsets else t + g
                onsets.append(t)
                t += length
        else:
            onsets = list(rng.uniform(lo, hi - max(lengths), size=len(lengths)))
        spans = sorted(zip(onsets, lengths, strict=True))
        fits = all(a + la + gap <= b for (a, la), (b, _) in pairwise(spans))
        fits = fits and spans[-1][0] + spans[-1][1] <= hi
        clear = all(
            a + la + gap <= s or s + d + gap <= a for a, la in spans for s, d in avoid or []
        )
        if fits and clear:
            return list(onsets)
    return None


def _spike_shape(rng: np.random.Generator, width_s: float) -> np.ndarray:
    """A pointed, asymmetric main phase (peak 1) of ``width_s`` seconds."""
    n = max(4, round(width_s * FS))
    rise = max(1, round(n * rng.uniform(0.35, 0.5)))
    fall = max(1, n - rise)
    a, b = rng.uniform(1.2, 2.0, size=2)
    up = (np.arange(rise) / rise) ** a
    down = (1 - np.arange(1, fall + 1) / fall) ** b
    return np.concatenate([up, [1.0], down])


def _half_sine(n: int) -> np.ndarray:
    return np.sin(np.pi * (np.arange(n) + 0.5) / max(n, 1))


@dataclass
class _Style:
    """How one focus discharges."""

    dominant: str
    p_slow: float
    polarity: float
    amplitude: float
    field_sd: float


_MORPHOLOGIES = ("spike", "sharp", "polyspike")


def _new_style(rng: np.random.Generator, amplitude: tuple[float, float]) -> _Style:
    return _Style(
        dominant=str(rng.choice(_MORPHOLOGIES, p=[0.45, 0.35, 0.2])),
        p_slow=float(rng.uniform(0.2, 0.8)),
        polarity=-1.0 if rng.random() < 0.85 else 1.0,
        amplitude=float(rng.uniform(*amplitude)),
        field_sd=float(rng.uniform(*SPIKE_FIELD_SD)),
    )


def _discharge(
    rng: np.random.Generator, morphology: str, slow_wave: bool, width_s: float | None = None
) -> np.ndarray:
    """One spike, sharp wave or polyspike (peak about 1, positive up), with its small
    opposite pre- and after-phases and, if asked, an after-going slow wave. ``width_s``
    fixes a spike's or sharp wave's width (within 10 %) instead of drawing it."""
    if width_s is not None and morphology != "polyspike":
        widths, spacing = np.array([width_s * rng.uniform(0.9, 1.1)]), np.array([0.0])
    elif morphology == "polyspike":
        widths = rng.uniform(0.020, 0.050, size=int(rng.integers(2, 6)))
        spacing = rng.uniform(0.05, 0.10, size=widths.size)
    else:
        lo_hi = (0.020, 0.070) if morphology == "spike" else (0.070, 0.200)
        widths, spacing = np.array([rng.uniform(*lo_hi)]), np.array([0.0])
    pre = round(0.5 * widths[0] * FS)
    main_len = round((spacing[:-1].sum() + widths[-1] * 2.5) * FS) + pre + 4
    tail = round(rng.uniform(0.15, 0.40) * FS) if slow_wave else 0
    wave = np.zeros(main_len + tail + 2)
    wave[:pre] -= rng.uniform(0.0, 0.15) * _half_sine(pre)
    t = pre
    for i, (w, s) in enumerate(zip(widths, spacing, strict=True)):
        shape = _spike_shape(rng, float(w)) * (1.0 if i == 0 else rng.uniform(0.6, 1.0))
        wave[t : t + shape.size] += shape
        t += round(s * FS) if i < widths.size - 1 else shape.size
    after = round(rng.uniform(0.8, 1.5) * widths[-1] * FS)
    wave[t : t + after] -= rng.uniform(0.1, 0.35) * _half_sine(after)[: wave.size - t]
    if slow_wave:
        start = t + after // 2
        wave[start : start + tail] += rng.uniform(0.3, 0.9) * _half_sine(tail) ** 1.2
    smooth = np.hanning(5)
    return np.convolve(wave, smooth / smooth.sum(), mode="same")


def _stamp_field(
    out: np.ndarray,
    wave: np.ndarray,
    t0: int,
    weights: np.ndarray,
    lag_per_unit_s: float,
    distances: np.ndarray,
) -> None:
    """Add ``wave`` scaled by ``weights`` with lags growing with distance from the focus."""
    for ch in np.flatnonzero(weights > 0.02):
        lag = round(distances[ch] * lag_per_unit_s * FS)
        _stamp(out, int(ch), wave * weights[ch], t0 + lag)


def _onsets(rng: np.random.Generator, rate_per_min: float, a: float, b: float) -> np.ndarray:
    """Poisson onsets in [a, b) s, none closer than ``MIN_INTERVAL_S``."""
    count = rng.poisson(rate_per_min * (b - a) / 60)
    t = np.sort(rng.uniform(a, b, size=count))
    keep = np.concatenate([[True], np.diff(t) >= MIN_INTERVAL_S]) if t.size else t.astype(bool)
    return t[keep]


# ------------------------------------------------------------------ hypsarrhythmia


def _hyps_slow(rng: np.random.Generator, pos: np.ndarray, n: int, variant: str) -> np.ndarray:
    """Chaotic, asynchronous high-voltage delta/theta (unscaled, unit-ish SD)."""
    extra = int(rng.integers(0, 7))
    angle, radius = rng.uniform(0, 2 * np.pi, extra), 0.85 * np.sqrt(rng.uniform(0, 1, extra))
    by_name = np.array([POSITIONS[c] for c in ELECTRODES])
    centres = np.vstack(
        [
            by_name + rng.normal(0, 0.06, by_name.shape),
            np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]),
        ]
    )
    k = centres.shape[0]
    src = _band_noise(rng, (k,), n, *HYPS_BAND_HZ, float(rng.uniform(*HYPS_SLOPE)))
    src *= _envelope(rng, k, n, HYPS_ENVELOPE_SD, HYPS_ENVELOPE_HZ)
    gradient = rng.uniform(-0.2, 0.5)  # > 0: posterior-predominant
    gains = np.exp(rng.normal(0, 0.35, k)) * np.clip(1 - gradient * centres[:, 1], 0.3, None)
    if variant == "synchronised":
        rho = rng.uniform(*SYNC_CORRELATION)
        for i, name in enumerate(ELECTRODES):
            if POSITIONS[name][0] > 0:
                j = ELECTRODES.index(MIRROR[name])
                src[i] = rho * src[j] + np.sqrt(1 - rho**2) * src[i]
                gains[i] = gains[j]
    sds = rng.uniform(*HYPS_SOURCE_SD, size=k)
    mix = np.stack([_field(pos, centres[s], sds[s]) for s in range(k)], axis=1)
    mix /= np.sqrt((mix**2).sum(axis=1, keepdims=True))
    slow = mix @ (src * gains[:, None])
    if variant == "synchronised":
        shared = _band_noise(rng, (1,), n, *HYPS_BAND_HZ, 1.5)[0]
        shared *= _envelope(rng, 1, n, HYPS_ENVELOPE_SD, HYPS_ENVELOPE_HZ)[0]
        broad = _field(pos, np.array([0.0, rng.uniform(-0.3, 0.3)]), 1.0)
        slow += rng.uniform(*SYNC_SHARED) * np.outer(broad, shared) * slow.std()
    return slow


def _typical_p2p(x: np.ndarray, channels: np.ndarray) -> float:
    """Median over ``channels`` of each one's median 1-s peak-to-peak amplitude."""
    secs = x.shape[1] // FS
    p2p = np.ptp(x[channels, : secs * FS].reshape(channels.size, secs, FS), axis=2)
    return float(np.median(np.median(p2p, axis=1)))


def _hyps(
    rng: np.random.Generator, bg: Background, n: int, variant: str
) -> tuple[np.ndarray, list[str], int, float]:
    """Hypsarrhythmia to add: slow activity, multifocal and generalised discharges.
    Returns the signals, the foci (in order of appearance), the discharge count and the
    typical peak-to-peak amplitude of the slow activity."""
    names = bg.channels
    pos = np.array([POSITIONS[c] for c in names])
    live = np.array([c != bg.reference for c in names])
    duration = n / FS
    slow = _hyps_slow(rng, pos, n, variant)
    # rows follow the file's channel order (``pos``); the sources follow ELECTRODES
    amplitude = float(rng.uniform(*HYPS_TYPICAL_P2P_UV))
    slow *= amplitude / _typical_p2p(slow, np.flatnonzero(live))
    slow = HYPS_SOFT_LIMIT_UV * np.tanh(slow / HYPS_SOFT_LIMIT_UV)
    out = slow

    candidates = [c for c in names if c != bg.reference]
    styles: dict[str, _Style] = {}
    foci: list[str] = []
    count = 0
    rate = float(rng.uniform(*HYPS_RATE_PER_MIN))
    gen_rate = float(
        rng.uniform(
            *(SYNC_GENERALISED_PER_MIN if variant == "synchronised" else GENERALISED_PER_MIN)
        )
    )
    fixed = str(rng.choice(candidates)) if variant == "consistent_focus" else ""
    fixed_share = float(rng.uniform(*FOCUS_SHARE))
    bilateral = float(rng.uniform(*SYNC_BILATERAL)) if variant == "synchronised" else 0.0
    active = list(
        rng.choice(candidates, int(rng.integers(*HYPS_ACTIVE_FOCI, endpoint=True)), False)
    )
    t = 0.0
    while t < duration:
        end = min(duration, t + rng.uniform(*HYPS_EPOCH_S))
        if t > 0:
            for _ in range(int(rng.integers(1, 3))):
                spare = [c for c in candidates if c not in active and c != fixed]
                active[int(rng.integers(len(active)))] = str(rng.choice(spare))
        shares = rng.dirichlet(np.full(len(active), 2.0))
        focal_rate = max(rate - gen_rate * 2, 0.0)
        plan = [(str(c), float(s) * focal_rate) for c, s in zip(active, shares, strict=True)]
        if fixed:
            plan = [(c, r * (1 - fixed_share)) for c, r in plan if c != fixed]
            plan.append((fixed, fixed_share * focal_rate))
        for focus, focus_rate in plan:
            if focus not in styles:
                styles[focus] = _new_style(rng, HYPS_SPIKE_UV)
                if focus == fixed:
                    styles[focus].amplitude *= rng.uniform(*FOCUS_GAIN)
            style = styles[focus]
            for onset in _onsets(rng, focus_rate, t, end):
                if focus not in foci:
                    foci.append(focus)
                morph = style.dominant
                if rng.random() >= 0.7:
                    morph = str(rng.choice([m for m in _MORPHOLOGIES if m != style.dominant]))
                wave = _discharge(rng, morph, rng.random() < style.p_slow)
                wave *= style.polarity * style.amplitude * np.exp(rng.normal(0, 0.25))
                sites = [focus]
                if bilateral and MIRROR[focus] != focus and rng.random() < bilateral:
                    sites.append(MIRROR[focus])
                for k, site in enumerate(sites):
                    centre = np.array(POSITIONS[site]) + rng.normal(0, 0.04, 2)
                    weights = _field(pos, centre, style.field_sd) * live
                    dist = np.sqrt(((pos - centre) ** 2).sum(axis=1))
                    t0 = round(onset * FS) + (round(rng.uniform(0, 0.015) * FS) if k else 0)
                    _stamp_field(out, wave, t0, weights, rng.uniform(0, 0.025), dist)
                count += 1
        t = end
    for onset in _onsets(rng, gen_rate, 0.0, duration):
        centre = np.array([rng.normal(0, 0.1), rng.uniform(-0.2, 0.4)])
        weights = _field(pos, centre, rng.uniform(0.8, 1.3)) * rng.uniform(0.7, 1.0, len(names))
        weights *= live
        polarity = -1.0 if rng.random() < 0.85 else 1.0
        amp = rng.uniform(*GENERALISED_UV)
        t0 = round(onset * FS)
        for _ in range(int(rng.integers(1, 4))):
            morph = "polyspike" if rng.random() < 0.4 else "spike"
            wave = polarity * amp * _discharge(rng, morph, True)
            for ch in np.flatnonzero(weights > 0.02):
                _stamp(out, int(ch), wave * weights[ch], t0 + round(rng.uniform(0, 0.015) * FS))
            count += 1
            t0 += round(FS / rng.uniform(2.5, 4.0))
    if variant == "asymmetric":
        weak = rng.uniform(*ASYMMETRY)
        side = 1.0 if rng.random() < 0.5 else -1.0  # the weaker hemisphere's sign of x
        s = np.clip(side * pos[:, 0] / 0.2, -1.0, 1.0)  # -1 strong side .. +1 weak side
        out *= ((1 + weak) / 2 + (weak - 1) / 2 * s)[:, None]
    out[~live] = 0.0
    return out, foci, count, amplitude


# ------------------------------------------------------------------ events


@dataclass
class _Events:
    """Additive event signals, the gain of the cerebral EEG and the truth."""

    add: np.ndarray
    gain: np.ndarray
    truth: list[Interval]
    emg: list[tuple[float, float, str]]


def _gain_dip(
    gain: np.ndarray, a: float, b: float, level: float, ramp_in: float, ramp_out: float
) -> None:
    """Lower ``gain`` to ``level`` between a and b s, with cosine ramps in and out."""
    n = gain.size
    i0, i1 = round(a * FS), round(b * FS)
    r_in, r_out = max(1, round(ramp_in * FS)), max(1, round(ramp_out * FS))
    prof = np.ones(n)
    prof[i0:i1] = level
    down = level + (1 - level) * (0.5 + 0.5 * np.cos(np.pi * np.arange(r_in) / r_in))
    up = level + (1 - level) * (0.5 - 0.5 * np.cos(np.pi * np.arange(r_out) / r_out))
    prof[i0 : min(n, i0 + r_in)] = down[: max(0, min(n, i0 + r_in) - i0)]
    prof[i1 : min(n, i1 + r_out)] = up[: max(0, min(n, i1 + r_out) - i1)]
    np.minimum(gain, prof, out=gain)


def _decrements(
    rng: np.random.Generator, bg: Background, n: int, count: int, cluster: bool
) -> _Events:
    """Electrodecremental events (ictal correlate of epileptic spasms)."""
    names = bg.channels
    pos = np.array([POSITIONS[c] for c in names])
    live = np.array([c != bg.reference for c in names])
    ev = _Events(np.zeros((len(names), n)), np.ones(n), [], [])
    if count == 0:
        return ev
    if rng.random() < 0.5:  # vertex-positive, broad (Fusco & Vigevano 1993)
        slow_field = _field(pos, np.array([0.0, rng.uniform(-0.1, 0.3)]), rng.uniform(0.6, 1.0))
        slow_field = 0.3 + 0.7 * slow_field
    else:  # negative posteriorly, positive anteriorly (Kobayashi et al. 2005)
        y0, s = rng.uniform(0.0, 0.3), rng.uniform(0.3, 0.6)
        slow_field = np.tanh((pos[:, 1] - y0) / s)
        slow_field /= np.abs(slow_field).max()
    slow_field = slow_field * rng.uniform(0.85, 1.0, len(names)) * live
    plans = []
    for _ in range(count):
        plans.append(
            {
                "slow": rng.uniform(*EVENT_SLOW_S),
                "fast": rng.uniform(*EVENT_FAST_S) if rng.random() < EVENT_FAST_P else 0.0,
                "att": rng.uniform(*EVENT_ATTENUATION_S),
                "rec": rng.uniform(*EVENT_RECOVERY_S),
            }
        )
    lengths = [p["slow"] + p["fast"] + p["att"] + p["rec"] for p in plans]
    onsets = _place(rng, lengths, n / FS, cluster)
    while onsets is None:  # only in recordings shortened for tests: fewer events
        plans, lengths = plans[:-1], lengths[:-1]
        onsets = _place(rng, lengths, n / FS, cluster) if plans else []
    for onset, p in zip(onsets, plans, strict=True):
        amp = rng.uniform(*EVENT_SLOW_UV)
        m = round(p["slow"] * FS)
        main = round(m * rng.uniform(0.6, 0.8))
        wave = np.zeros(m)
        wave[:main] = _half_sine(main) ** 1.3
        wave[main:] = -rng.uniform(0.2, 0.4) * _half_sine(m - main)
        if rng.random() < EVENT_SHARP_P:
            sharp = _spike_shape(rng, rng.uniform(0.06, 0.15)) * rng.uniform(0.3, 0.6)
            at = round(rng.uniform(0.1, 0.4) * m)
            seg = wave[at : at + sharp.size]
            seg += sharp[: seg.size]
        t0 = round(onset * FS)
        for ch in np.flatnonzero(np.abs(slow_field) > 0.01):
            lag = round(rng.uniform(0, 0.02) * FS)
            _stamp(ev.add, int(ch), amp * slow_field[ch] * wave, t0 + lag)
        start_att = onset + p["slow"]
        if p["fast"]:
            k = round(p["fast"] * FS)
            f0 = rng.uniform(*EVENT_FAST_HZ)
            chirp = f0 * (1 + rng.uniform(-0.1, 0.1) * np.linspace(0, 1, k))
            phase = 2 * np.pi * np.cumsum(chirp) / FS
            fast_gain = 0.5 + 0.5 * _field(pos, rng.uniform(-0.5, 0.5, 2), 0.7)
            burst = rng.uniform(*EVENT_FAST_UV) * _tukey(k, 0.25)
            for ch in np.flatnonzero(live):
                wave_f = burst * fast_gain[ch] * np.sin(phase + rng.uniform(0, 0.5))
                _stamp(ev.add, int(ch), wave_f, round(start_att * FS))
        end = start_att + p["fast"] + p["att"]
        _gain_dip(ev.gain, start_att, end, rng.uniform(*EVENT_LEVEL), 0.1, p["rec"])
        ev.truth.append((round(float(onset), 3), round(float(end - onset), 3)))
        if rng.random() < EVENT_EMG_P:
            on = max(0.0, onset + rng.uniform(-0.1, 0.2))
            dur = rng.uniform(0.5, 2.0)
            k = round(dur * FS)
            sites = rng.choice(
                [c for c in PERIPHERAL if c != bg.reference], int(rng.integers(2, 9)), False
            )
            noise = _band_noise(rng, (len(sites),), k, 30.0, 100.0, 0.0) * _tukey(k, 0.15)
            for site, row in zip(sites, noise, strict=True):
                _stamp(
                    ev.add, names.index(str(site)), rng.uniform(20, 150) / 3 * row, round(on * FS)
                )
            ev.emg.append((round(float(on), 3), round(float(dur), 3), "spasm_emg"))
    ev.truth.sort()
    return ev


def _attenuations(
    rng: np.random.Generator, n: int, gain: np.ndarray, avoid: list[Interval]
) -> list[Interval]:
    """Episodes of generalised attenuation interrupting the hypsarrhythmia."""
    duration = n / FS
    count = max(1, round(duration / rng.uniform(*ATTENUATION_EVERY_S)))
    lengths = list(rng.uniform(*ATTENUATION_S, size=count))
    onsets = None
    while onsets is None and lengths:
        onsets = _place(rng, lengths, duration, False, avoid)
        if onsets is None:
            lengths.pop()
    out = []
    for onset, length in zip(onsets or [], lengths, strict=False):
        ramp_in, ramp_out = rng.uniform(0.1, 0.5, size=2)
        _gain_dip(gain, onset, onset + length, rng.uniform(*ATTENUATION_LEVEL), ramp_in, ramp_out)
        out.append((round(float(onset), 3), round(float(length), 3)))
    return sorted(out)


# ------------------------------------------------------------------ hard negatives


def _slow_sync(
    rng: np.random.Generator, bg: Background, n: int, variant: str
) -> tuple[np.ndarray, float]:
    """High-voltage synchronous rhythmic or semi-rhythmic delta, no spikes."""
    names = bg.channels
    pos = np.array([POSITIONS[c] for c in names])
    live = np.array([c != bg.reference for c in names])
    if variant == "frontal_rhythmic":
        f0, wander, centre, sd = rng.uniform(1.5, 3.0), 0.05, (0.0, 0.6), rng.uniform(0.5, 0.8)
    elif variant == "posterior_rhythmic":
        f0, wander, centre, sd = rng.uniform(1.0, 2.5), 0.07, (0.0, -0.7), rng.uniform(0.5, 0.8)
    else:
        f0, wander = rng.uniform(0.5, 1.5), 0.2
        centre, sd = (0.0, rng.uniform(-0.5, 0.2)), rng.uniform(0.8, 1.3)
    freq = f0 * np.exp(wander * _band_noise(rng, (1,), n, 0.01, 0.2, 0.0)[0])
    phase = 2 * np.pi * np.cumsum(freq) / FS
    harmonic, h_phase = rng.uniform(0.1, 0.3), rng.uniform(0, 2 * np.pi)
    wave = np.sin(phase) + harmonic * np.sin(2 * phase + h_phase)
    if variant == "diffuse_sleep":
        env = _envelope(rng, 1, n, 0.25, 0.1)[0]
    else:
        env = np.zeros(n)
        t = rng.uniform(0, 5)
        while t < n / FS:
            run = rng.uniform(2.0, 10.0)
            a, b = round(t * FS), min(n, round((t + run) * FS))
            env[a:b] = _tukey(round((t + run) * FS) - a, 0.15)[: b - a]
            t += run + rng.uniform(2.0, 15.0)
    common = wave * env
    amplitude = float(rng.uniform(*SLOW_P2P_UV))
    weights = _field(pos, np.array(centre), sd) * rng.uniform(0.9, 1.1, len(names))
    weights /= weights[live].max()
    # the drawn amplitude is the median peak-to-peak of single waves (one mean period)
    period = round(FS / f0)
    k = n // period
    waves = common[: k * period].reshape(k, period)
    on = env[: k * period].reshape(k, period).mean(axis=1) > 0.5
    scale = amplitude / float(np.median(np.ptp(waves[on], axis=1)))
    out = np.zeros((len(names), n))
    own = _band_noise(rng, (len(names),), n, 0.5, 3.0, 1.0)
    for ch in np.flatnonzero(live):
        lag = round(rng.uniform(0, 0.01) * FS)
        shifted = np.concatenate([np.zeros(lag), common[: n - lag]])
        out[ch] = weights[ch] * scale * (shifted + 0.1 * own[ch])
    return out, amplitude


def _focal(
    rng: np.random.Generator, bg: Background, n: int, variant: str
) -> tuple[np.ndarray, list[str], int, float]:
    """Stereotyped repetitive spikes or sharp waves from one focus or two neighbours."""
    names = bg.channels
    pos = np.array([POSITIONS[c] for c in names])
    live = np.array([c != bg.reference for c in names])
    candidates = [c for c in names if c != bg.reference]
    first = str(rng.choice(candidates))
    foci = [first]
    centre = np.array(POSITIONS[first])
    if variant == "pair":  # the nearest electrode (ties within 15 %), the field between
        others = [c for c in candidates if c != first]
        dist = np.array([np.hypot(*np.subtract(POSITIONS[c], POSITIONS[first])) for c in others])
        near = [c for c, d in zip(others, dist, strict=True) if d <= 1.15 * dist.min()]
        second = str(rng.choice(near))
        foci.append(second)
        centre = (centre + np.array(POSITIONS[second])) / 2
    style = _new_style(rng, FOCAL_UV)
    style.dominant = "spike" if rng.random() < 0.5 else "sharp"
    out = np.zeros((len(names), n))
    rate = float(rng.uniform(*FOCAL_RATE_PER_MIN))
    shape_k = rng.uniform(1.5, 4.0)
    slow_wave = rng.random() < style.p_slow
    width = rng.uniform(0.020, 0.070) if style.dominant == "spike" else rng.uniform(0.070, 0.200)
    t, count = rng.uniform(0, 60 / rate), 0
    while t < n / FS - 1:
        # stereotyped: the focus keeps its morphology, only amplitude and width vary
        wave = _discharge(rng, style.dominant, slow_wave, width)
        wave *= style.polarity * style.amplitude * np.exp(rng.normal(0, 0.15))
        c = centre + rng.normal(0, 0.02, 2)
        weights = _field(pos, c, style.field_sd) * live
        dist = np.sqrt(((pos - c) ** 2).sum(axis=1))
        _stamp_field(out, wave, round(t * FS), weights, 0.01, dist)
        count += 1
        t += max(0.3, rng.gamma(shape_k, 60 / rate / shape_k))
    return out, foci, count, style.amplitude


# ------------------------------------------------------------------ artefacts


def _neighbours(rng: np.random.Generator, names: list[str], reference: str, k: int) -> list[int]:
    """``k`` electrodes nearest to a random one (never the reference)."""
    pool = [i for i, c in enumerate(names) if c != reference]
    centre = np.array(POSITIONS[names[int(rng.choice(pool))]])
    d = [np.hypot(*(np.array(POSITIONS[names[i]]) - centre)) for i in pool]
    return [pool[i] for i in np.argsort(d)[:k]]


def _artefacts(
    rng: np.random.Generator, x: np.ndarray, names: list[str], reference: str
) -> list[tuple[float, float, str]]:
    """Add 1-6 artefacts to ``x`` in place; flat and clipped ones last (they replace)."""
    n = x.shape[1]
    duration = n / FS
    kinds = rng.choice(ARTEFACT_TYPES, int(rng.integers(*ARTEFACTS_PER_RECORDING, endpoint=True)))
    kinds = sorted(kinds, key=lambda k: k in ("flat", "clipped"))
    truth = []
    for kind in map(str, kinds):
        if kind == "movement":
            dur = rng.uniform(0.5, 5.0)
        elif kind == "electrode_pop":
            tau = rng.uniform(0.1, 1.0)
            dur = 5 * tau
        elif kind == "flat":
            dur = rng.uniform(2.0, 30.0)
        elif kind == "clipped":
            dur = rng.uniform(1.0, 20.0)
        elif kind == "sweat":
            dur = rng.uniform(10.0, 60.0)
        elif kind == "mains":
            dur = rng.uniform(10.0, 120.0)
        else:
            dur = rng.uniform(10.0, duration)
        dur = min(dur, duration - 1.0)
        onset = rng.uniform(0.0, duration - dur)
        a, k = round(onset * FS), round(dur * FS)
        k = min(k, n - a)
        if kind == "movement":
            chans = _neighbours(rng, names, reference, int(rng.integers(3, 9)))
            swing = _band_noise(rng, (1,), k, 0.2, 3.0, 1.0)[0]
            swing *= rng.uniform(100, 1000) / np.abs(swing).max() * _tukey(k, 0.2)
            muscle = _band_noise(rng, (len(chans),), k, 30.0, 100.0, 0.0) * _tukey(k, 0.2)
            for ch, row in zip(chans, muscle, strict=True):
                sign = 1.0 if rng.random() < 0.8 else -1.0
                x[ch, a : a + k] += sign * rng.uniform(0.5, 1.0) * swing
                x[ch, a : a + k] += rng.uniform(20, 150) / 3 * row
        elif kind == "electrode_pop":
            ch = _neighbours(rng, names, reference, 1)[0]
            amp = rng.uniform(200, 2000) * (1 if rng.random() < 0.5 else -1)
            t = np.arange(k) / FS
            x[ch, a : a + k] += amp * np.exp(-t / tau) * np.minimum(1.0, (np.arange(k) + 1) / 2)
        elif kind == "flat":
            ch = _neighbours(rng, names, reference, 1)[0]
            x[ch, a : a + k] = x[ch, a]
        elif kind == "clipped":
            ch = _neighbours(rng, names, reference, 1)[0]
            x[ch, a : a + k] = RANGE_UV if rng.random() < 0.5 else -RANGE_UV
        elif kind == "sweat":
            chans = _neighbours(rng, names, reference, int(rng.integers(2, 6)))
            drift = _band_noise(rng, (1,), k, 0.03, 0.5, 2.0)[0]
            drift += np.linspace(0, rng.normal(0, 1.5), k)
            drift *= rng.uniform(50, 300) / np.abs(drift).max() * _tukey(k, 0.25)
            for ch in chans:
                x[ch, a : a + k] += rng.uniform(0.6, 1.0) * drift
        elif kind == "mains":
            ch = _neighbours(rng, names, reference, 1)[0]
            t = np.arange(k) / FS
            ph = rng.uniform(0, 2 * np.pi)
            hum = np.sin(2 * np.pi * 50 * t + ph) + rng.uniform(0, 0.2) * np.sin(
                2 * np.pi * 100 * t + 2 * ph
            )
            x[ch, a : a + k] += rng.uniform(5, 80) * hum
        else:  # ecg
            chans = _neighbours(rng, names, reference, int(rng.integers(2, 7)))
            beat = _qrs()
            period = 60 / rng.uniform(*ECG_RATE_PER_MIN)
            times, t = [], rng.uniform(0, period)
            while t < dur:
                times.append(t)
                t += period * (1 + rng.normal(0, 0.03))
            gains = rng.uniform(10, 60, len(chans)) * np.where(rng.random(len(chans)) < 0.7, 1, -1)
            for ch, g in zip(chans, gains, strict=True):
                row = np.zeros(k)
                for tb in times:
                    i = round(tb * FS)
                    seg = row[i : i + beat.size]
                    seg += g * beat[: seg.size]
                x[ch, a : a + k] += row
        truth.append((round(float(onset), 3), round(k / FS, 3), kind))
    return sorted(truth)


def _qrs() -> np.ndarray:
    """One infant ECG complex as seen on the scalp (R peak 1): Q, R, S and T waves."""
    t = np.arange(round(0.35 * FS)) / FS - 0.05

    def g(mu: float, sd: float) -> np.ndarray:
        return np.exp(-((t - mu) ** 2) / (2 * sd**2))

    return -0.15 * g(-0.018, 0.006) + g(0.0, 0.007) - 0.3 * g(0.018, 0.007) + 0.25 * g(0.16, 0.035)


# ------------------------------------------------------------------ assembly


def _variants(count: int, seed: int) -> dict[str, list[str]]:
    """Variants of the kinds that have them, in shuffled rotation over the backgrounds."""
    rng = np.random.default_rng([seed, 0])
    out = {}
    for kind, options in (
        ("hyps_modified", MODIFIED_VARIANTS),
        ("slow_sync", SLOW_VARIANTS),
        ("focal_spikes", FOCAL_VARIANTS),
    ):
        cycle = [options[i % len(options)] for i in range(count)]
        out[kind] = [str(v) for v in rng.permutation(cycle)]
    return out


def synthesise(
    bg: Background, kind: str, variant: str, seed: int = SEED, duration_s: int | None = None
) -> tuple[np.ndarray, Case]:
    """One recording (channels x samples, µV, clipped to the file range) and its truth."""
    rng = np.random.default_rng([seed, bg.infant, KINDS.index(kind)])
    drawn = int(rng.integers(DURATION_S[0], DURATION_S[1], endpoint=True))
    duration = duration_s or drawn
    n = duration * FS
    brain = _lengthen(bg.samples, n, rng)
    case = Case(
        name=f"{bg.name}_{kind}",
        split=SPLIT,
        background=bg.name,
        kind=kind,
        variant=variant,
        hyps=kind in HYPS_KINDS,
        duration_s=float(duration),
        decrements=[],
        artefacts=[],
        path="",
        reference=bg.reference,
        channels=list(bg.channels),
    )
    events = _Events(np.zeros_like(brain), np.ones(n), [], [])
    if kind in HYPS_KINDS:
        hyps, case.foci, case.spike_count, case.amplitude_uv = _hyps(rng, bg, n, variant)
        brain += hyps
        if rng.random() < HYPS_WITH_EVENTS:
            events = _decrements(rng, bg, n, int(rng.integers(1, 6)), cluster=True)
        if variant == "attenuation_episodes":
            avoid = [(a, d + EVENT_RECOVERY_S[1]) for a, d in events.truth]
            case.attenuations = _attenuations(rng, n, events.gain, avoid)
    elif kind == "decrements":
        events = _decrements(rng, bg, n, int(rng.integers(2, 7)), cluster=rng.random() < 0.5)
    elif kind == "slow_sync":
        slow, case.amplitude_uv = _slow_sync(rng, bg, n, variant)
        brain += slow
    elif kind == "focal_spikes":
        spikes, case.foci, case.spike_count, case.amplitude_uv = _focal(rng, bg, n, variant)
        brain += spikes
    x = brain * events.gain + events.add
    case.decrements = events.truth
    case.artefacts = sorted(events.emg + _artefacts(rng, x, bg.channels, bg.reference))
    case.amplitude_uv = round(case.amplitude_uv, 1)
    return np.clip(x, -RANGE_UV, RANGE_UV), case


def _case_from_json(item: dict, out: Path) -> Case:
    item = dict(item)
    item["path"] = str(out / item.pop("file"))
    for key in ("decrements", "attenuations"):
        item[key] = [tuple(v) for v in item[key]]
    item["artefacts"] = [tuple(v) for v in item["artefacts"]]
    return Case(**item)


def build(
    out: Path = CACHE,
    force: bool = False,
    *,
    backgrounds: int | None = None,
    kinds: tuple[str, ...] = KINDS,
    seed: int = SEED,
    duration_s: int | None = None,
    helsinki: Path = HELSINKI,
) -> list[Case]:
    """Write the set (EDF+ files and ``manifest.json``) into ``out`` and return its cases.

    A manifest already there for the same settings is reused unless ``force``.
    ``backgrounds`` keeps only the first N backgrounds (by infant number), ``kinds`` some
    kinds, and ``duration_s`` gives every recording that length: all three for quick
    tests; each recording's draws do not depend on them otherwise.
    """
    out = Path(out)
    manifest = out / "manifest.json"
    config = {
        "version": VERSION,
        "seed": seed,
        "backgrounds": backgrounds,
        "kinds": list(kinds),
        "duration_s": duration_s,
    }
    if manifest.is_file() and not force:
        saved = json.loads(manifest.read_text())
        if saved.get("config") == config:
            cases = [_case_from_json(item, out) for item in saved["cases"]]
            if all(Path(c.path).is_file() for c in cases):
                return cases
    out.mkdir(parents=True, exist_ok=True)
    chosen = select_backgrounds(helsinki)
    variants = _variants(len(chosen), seed)
    cases: list[Case] = []
    for index, (infant, path) in enumerate(chosen[:backgrounds]):
        bg = load_background(infant, path)
        for kind in kinds:
            variant = variants[kind][index] if kind in variants else ""
            x, case = synthesise(bg, kind, variant, seed, duration_s)
            file = out / f"{case.name}.edf"
            write_case(file, x, bg.channels, range_uv=RANGE_UV, edf_plus=True)
            case.path = str(file)
            cases.append(case)
    items = []
    for case in cases:
        item = asdict(case)
        item["file"] = Path(item.pop("path")).name
        items.append(item)
    payload = {
        "config": config,
        "split": SPLIT,
        "sfreq": FS,
        "physical_range_uv": RANGE_UV,
        "cases": items,
    }
    manifest.write_text(json.dumps(payload, indent=1))
    return cases
