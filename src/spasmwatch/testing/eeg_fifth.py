"""A fifth EEG evaluation set: injected patterns on real infant EEG, noise floor kept.

Why this set
------------
The EEG analysis looks for hypsarrhythmia, spikes and electrodecremental events (EDEs:
the brief diffuse attenuation of the EEG that accompanies an epileptic spasm). The
earlier evaluation sets attenuated the *whole* recording during an EDE, the noise floor
of the amplifier and electrodes included. In a real recording that floor (amplifier and
electrode noise, residual mains, a little muscle) does not fall when the brain's
activity does: only the cerebral activity is attenuated. In this set every attenuation
(an EDE, an attenuation episode of a modified hypsarrhythmia, a quiet stretch, the
inter-burst interval of a discontinuous background, a change of state) scales the
cerebral part of the signal only and keeps the floor, by construction. It was written
without sight of the detector, so its numbers are blind.

The backgrounds
---------------
Every real recording of ``shared/data/eeg`` (:func:`background_names`): the 62
thirty-second clips of the Helsinki neonatal dataset (Stevenson et al., Sci Data
2019;6:190039; 19 referential electrodes at 256 Hz, some holding neonatal seizures, see
the dataset's CSVs; ``details`` gives each clip's consensus seizure seconds) and the two
``real_infant`` recordings (``eeg_burst_eg``: 211 s, 19 referential electrodes,
discontinuous; ``demo``: 661 s, 8 bipolar channels, clipped at ±1000 µV in the source).

Each recording of the set (``PER_BACKGROUND`` per background, 2-5.5 min) is a remix of
its background: pieces of 4-12 s (8-40 s for the two long recordings) taken at random
places, never reversed or inverted, joined by equal-power cross-fades of 0.4-1.2 s (cos
and sin weights, whose squares add to one, so that the power of uncorrelated activity,
the floor included, stays level through a join; the two sides of a join are at least 2 s
apart in the source), after the source's drift below 0.1-0.3 Hz is removed (correlated
infraslow activity would add up at the joins). On top of that the cerebral part waxes
and wanes (a slow random gain, 10-40 s correlation time) and most recordings get listed
changes of state (gradual over 5-30 s, or abrupt), with a separate gain for the delta
band (< 2.5 Hz) so that e.g. quiet sleep brings more delta. The cerebral part of the
quietest neonatal backgrounds (1-12 Hz RMS below 10-25 µV, drawn per recording) is
scaled up to that level, at most eight times, since the EEG of an infant of 3-12 months
is of higher voltage; the floor is not scaled.

A background's own transients are found before remixing: stretches whose 0.5-40 Hz power
(median over channels) is over 20 times its median (movement, a large burst), and bursts
of muscle whose 52-95 Hz power, averaged over 2 s, is over 4 times its median. Where
they land in a recording is listed in ``details`` (``background_transients`` and
``background_muscle``). No EDE is put within 1 s of a transient; bursts of muscle belong
to the floor and may fall anywhere. Recordings with EDEs made from a background that is
more than 20 % transients pass over most pieces holding one.

The floor, and how it is kept
-----------------------------
Each channel ``x`` of a background is modelled as cerebral activity ``c`` plus a floor
``n``, independent and Gaussian, with power spectral densities ``S_c`` and ``S_n``.

* ``S_x`` (the channel's mean Welch PSD, 2-s Hann segments) is measured on the source.
* Above ``FLOOR_FROM_HZ`` (40 Hz) the whole signal is taken as floor: infant EEG holds
  little power there; what is left is amplifier and electrode noise, mains, muscle and
  the roll-off of the recording's own anti-alias filter (many Helsinki clips fall
  steeply near 70 Hz to their quantisation noise). Below 30 Hz the floor is the level
  measured in 45-65 Hz (away from 50 Hz; the median of the segments' periodograms, robust
  to bursts of muscle) extended over the band with a gentle 1/f rise below 1 Hz
  (electrode noise); between 30 and 40 Hz the floor's share rises smoothly to one.
* The floor's share of each frequency, ``H = S_n / S_x`` (at most 1), splits the remixed
  recording into the best estimate of its floor, ``x_n = H x`` (a Wiener filter), and of
  its cerebral part, ``x_c = x - x_n``. The part of the floor that this estimate misses,
  ``e``, is independent of ``x`` with the PSD ``S_n (1 - H)``; a fresh Gaussian draw
  ``ε`` with that spectrum stands in for it.
* A recording whose cerebral part is scaled by a gain ``G(t)`` (any attenuation, or an
  increase) is then ``y = x_n + ε + G (x_c - ε)``, that is ``x_n + G x_c + (1 - G) ε``:
  with ``G = 1`` it is the recording itself; for any ``G`` its expected spectrum is
  ``G² S_c + S_n``, the cerebral activity scaled and the floor kept (for Gaussian
  processes the draw is the conditional distribution of ``G c + n`` given ``x``). Above
  40 Hz, where ``H = 1``, the written signal is the background's own samples, unchanged,
  inside and outside every attenuation (only an abrupt edge of the gain spreads a little
  of the cerebral activity just below 40 Hz above it).
* Synthetic cerebral activity (hypsarrhythmia, spikes, rhythmic delta, slow waves, the
  low-voltage fast activity of a spasm) is band-limited below 38 Hz (the skull and scalp
  low-pass cortical activity; scalp spikes of 20-70 ms hold little above 40 Hz), so the
  power above 40 Hz belongs to the floor, muscle and artefacts. Muscle (the spasm's
  burst, muscle artefacts) is not cerebral and is never attenuated.
* On some recordings an extra floor is added after everything else (45 %: a noisier
  amplifier or electrodes, white or slightly pink noise of 0.5-3 µV RMS, 0.7-1.4 times
  that per channel), on some a little tonic EMG (20 %: 0.3-1.5 µV on the frontal and
  temporal electrodes), on some residual 50 Hz mains (35 %: 0.3-4 µV per channel with
  weaker harmonics); all of it is floor and stays through every attenuation. 40 % of the
  recordings are resampled (``scipy.signal.resample_poly``) to 200, 250 or 500 Hz; at
  500 Hz the floor is extended above the source's Nyquist frequency (128 Hz) to the new
  one, at the level the source has just below 128 Hz.
* ``Case.floor_uv`` is the broadband RMS of the floor so modelled over the file's band
  (the source's floor model, the extra floor, tonic EMG and the extension; mains left
  out), median over channels.

The kinds (``KINDS``) and their sources
---------------------------------------
``normal``
    Background, its non-stationarity and artefacts only: ``plain`` (mild waxing and
    waning) and ``waxing`` (strong, faster waxing and waning, log-gain SD 0.25-0.4).
``state`` (hard negatives: changes of state, no EDE, no spike)
    ``quiet_sleep_delta``: 30-90 s stretches of quiet sleep with the delta band 1.8-3
    times higher (the high-voltage slow pattern of infant quiet sleep); ``abrupt``:
    abrupt drops to 0.35-0.65 of the amplitude and back, 20 s or more apart;
    ``gradual``: changes of 0.4-0.75 or 1.4-2.5 over 8-30 s; ``arousal``: a movement and
    muscle artefact, then an abrupt attenuation lasting 20-60 s (0.4-0.7 above the delta
    split, 0.25-0.5 below it) that recovers gradually over 10-25 s.
``mimic`` (hard negatives: transients, no EDE, no spike)
    ``rhythmic_delta``: trains of 1.5-3 Hz rhythmic delta of 40-150 µV lasting 3-12 s,
    frontal, temporal or diffuse; ``quiet_stretch``: brief spontaneous quieter stretches
    of a continuous background, 1.5-6 s at 0.55-0.8 of the amplitude with smooth edges
    (gentler than any EDE of the set); ``slow_transient``: generalised high-voltage slow
    waves of 100-350 µV with no attenuation after them.
``spikes`` (no EDE)
    ``focal`` (one focus, 3-20 a minute, 50-250 µV), ``multifocal`` (2-5 foci),
    ``sharp_slow`` (generalised sharp-and-slow complexes of 150-400 µV, 0.5-3 a minute,
    with no attenuation, and a few focal spikes).
``spasms`` (EDEs)
    EDEs in clusters (onsets 5-40 s apart; ILAE, epilepsydiagnosis.org "Epileptic
    spasms": clusters with a spasm every few to 30 s), or isolated (30 s or more apart);
    each a diffuse attenuation of the cerebral activity to 5-50 % of its amplitude (per
    channel ±15 % in dB) lasting 0.5-5 s (log-normal around 1.8 s), onset and offset
    abrupt, ramped or logistic (Kellaway et al., Ann Neurol 1979;6:214; Fusco & Vigevano,
    Epilepsia 1993;34:671: slow wave, fast activity and decremental activity, alone or
    together). Some are preceded by a generalised high-voltage slow wave of 150-600 µV,
    positive at the vertex and often of opposite sign posteriorly (Fusco & Vigevano 1993;
    Kobayashi et al., Epilepsia 2005;46:1098), over at the onset, sometimes with a sharp
    component before it (a sharp-and-slow complex); some carry low-voltage fast activity
    of 14-30 Hz (15-50 % of the RMS of the activity it rides on, 2-15 µV), highest
    centro-parietally (Nariai et al., Epilepsia 2017;58:882: ictal beta), superimposed on
    the attenuation; some the spasm's muscle burst (rhomboid, 20 Hz up to the Nyquist
    frequency, 10-60 µV RMS, 0.4-2 s, from up to 0.6 s before the onset) on 1-4 frontal
    or temporal electrodes. Half the recordings have sparse focal or multifocal spikes
    too (IESS: hypsarrhythmia or focal/multifocal discharges; Zuberi et al., Epilepsia
    2022;63:1349). Variants: ``cluster``, ``isolated``, ``attenuation_only`` (no slow
    wave, no fast activity), ``slow_wave`` (every EDE after a slow wave), ``fast`` (every
    EDE with fast activity), ``shallow`` (attenuation to 25-50 % only).
``hyps`` (hypsarrhythmia, no EDE)
    Chaotic, asynchronous high-voltage delta (Gibbs & Gibbs 1952): 8-12 independent
    generators spread over the head mixed with a shared component, 60-160 µV RMS per
    electrode (about 300-800 µV peak to peak) waxing and waning by region over 2-10 s,
    with irregular regional slow waves of 150-350 µV (10-30 a minute) and multifocal
    spikes, polyspikes and sharp waves of 120-400 µV (40-120 a minute). Variants after
    Hrachovy, Frost & Kellaway, Epilepsia 1984;25:317 ("Hypsarrhythmia: variations on the
    theme"; variants are frequent, Kramer et al., Neurology 1997;48:197): ``classic``;
    ``synchronised`` (increased interhemispheric synchronisation, some generalised
    discharges); ``asymmetric`` (one hemisphere 1.5-2.5 times higher, most spikes there;
    Drury et al., Epilepsia 1995;36:41); ``focus`` (a consistent focus of discharges);
    ``attenuation`` (with generalised or regional episodes of attenuation to 10-40 %,
    1-8 s, listed in ``Case.attenuations``: neither an EDE to find nor a false one);
    ``slow`` (mostly high-voltage slow activity, 3-10 spikes a minute). In 40 % of the
    recordings the hypsarrhythmia falls to 25-50 % for 20-60 s (its marked reduction in
    REM sleep, Hrachovy 1984), listed as two gradual changes.
``hyps_spasms``
    Hypsarrhythmia of the same variants with clusters of EDEs as in ``spasms``; during an
    EDE the hypsarrhythmia itself is attenuated, the floor kept. In 30 % the
    hypsarrhythmia falls to 40-70 % over the cluster (its relative normalisation during
    clusters of spasms, Hrachovy 1984), listed as two gradual changes.
``discontinuous`` (no EDE, no spike)
    ``trace_discontinu`` (bursts of 2-8 s, inter-burst intervals of 3-15 s at 8-25 % of
    the amplitude) and ``burst_suppression`` (bursts of 1.5-6 s, intervals of 4-20 s at
    2-8 %); the floor stays in the intervals (ACNS neonatal terminology, Tsuchida et al.,
    J Clin Neurophysiol 2013;30:161). The intervals are the background, not listed.

Each background gets two recordings with EDEs (``spasms`` and ``hyps_spasms``, or two
``spasms``) and three others: 80 ``spasms``, 48 ``hyps_spasms``, 48 ``hyps``, 32 each of
``normal``, ``state`` and ``mimic``, 24 each of ``spikes`` and ``discontinuous``, each
part of the split holding half of every kind and the variants of a kind in turn.

Artefacts
---------
1-6 a recording, listed in ``Case.artefacts`` as (onset_s, duration_s, type), their
channels in ``details``: ``movement`` (0.5-4 s, 80-500 µV, on 60-100 % of the channels,
half with muscle), ``pop`` (electrode pops on one channel), ``flat`` and
``disconnected`` (one channel flat, or 50 Hz and drift instead of EEG, 10-60 s),
``clipping`` (a movement on 1-4 channels beyond the physical range, clipped at it: the
only samples at the range's limits), ``muscle`` (1-10 s, 5-40 µV on 2-6 frontal or
temporal channels), ``sweat`` (0.1-0.4 Hz sway, 30-200 µV, regional, 10-60 s), ``ecg``
(QRS at 110-170 a minute, 5-30 µV on 3-12 channels) and ``mains`` (20-150 µV of 50 Hz on
1-3 channels, 5-60 s). Every file's physical range is 10 % over its largest sample
otherwise (at least 200 µV).

Truth
-----
``Case.decrements``: an EDE's (onset_s, duration_s) runs from where its attenuation
reaches half its depth in decibels on the way down to where it is back to half on the
way up; the slow wave before it is not included. No EDE (with its slow wave and muscle
burst) lies within ``ARTEFACT_MARGIN_S`` (3 s) of a movement, clipping or muscle
artefact, of an abrupt change of state or of an attenuation episode, nor within
``EDGE_S`` (5 s) of either end of the file. The spasm's own muscle burst is part of the
event, not an artefact. ``Case.changes``: (time_s, ratio, "abrupt"/"gradual") with the
time at the middle of the transition and the ratio of the cerebral background's
broadband amplitude after it to before it (of the hypsarrhythmia's where there is one).
``manifest.json`` holds the cases and, under ``details``, what else was made (sampling
rate, physical range, each EDE's depth, shapes, slow wave, fast activity and muscle
burst, the artefacts' channels, the background's transients, the floor's settings) for
analysis after scoring.

The tuning and test parts (declared before any scoring)
-------------------------------------------------------
Split by background: the backgrounds at even positions of :func:`background_names`
(0, 2, 4, ...; ``helsinki/eeg1``, ``eeg4``, ... and ``real_infant/eeg_burst_eg``) form the
TUNING PART, those at odd positions (``helsinki/eeg3``, ``eeg5``, ... and
``real_infant/demo``) the TEST PART (:func:`halves`, ``Case.part``). Each part holds the
same number of recordings of every kind. Thresholds may be set on the tuning part only;
the test part is scored once, after.
"""

from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy import fft as sfft
from scipy import signal

__all__ = [
    "CACHE",
    "DATA",
    "DISCONTINUOUS",
    "HYPS",
    "KINDS",
    "NO_DECREMENTS",
    "NO_SPIKES",
    "PER_BACKGROUND",
    "ROOT",
    "SEED",
    "VERSION",
    "Case",
    "Spec",
    "background_names",
    "build",
    "halves",
    "plan",
]

#: The repository (src/spasmwatch/testing/ is three folders down).
ROOT = Path(__file__).resolve().parents[3]
#: The shared EEG recordings, next to the repository.
DATA = ROOT.parent / "shared" / "data" / "eeg"
#: Where :func:`build` writes the set by default.
CACHE = ROOT / "benchmarks" / ".cache" / "eeg_fifth"
#: The seed of the set (any int; 5005 for the fifth set).
SEED = 5005
#: Bumped whenever the recordings made for a seed change.
VERSION = 1
#: Recordings made from each background (64 backgrounds: 320 recordings, about 17 h).
PER_BACKGROUND = 5

#: Each kind and its variants (see the module docstring).
KINDS: dict[str, tuple[str, ...]] = {
    "normal": ("plain", "waxing"),
    "state": ("quiet_sleep_delta", "abrupt", "gradual", "arousal"),
    "mimic": ("rhythmic_delta", "quiet_stretch", "slow_transient"),
    "spikes": ("focal", "multifocal", "sharp_slow"),
    "spasms": ("cluster", "isolated", "attenuation_only", "slow_wave", "fast", "shallow"),
    "hyps": ("classic", "synchronised", "asymmetric", "focus", "attenuation", "slow"),
    "hyps_spasms": ("classic", "synchronised", "asymmetric", "focus", "attenuation", "slow"),
    "discontinuous": ("trace_discontinu", "burst_suppression"),
}
#: Kinds with no added spike or sharp wave.
NO_SPIKES: tuple[str, ...] = ("normal", "state", "mimic", "discontinuous")
#: Kinds with no EDE.
NO_DECREMENTS: tuple[str, ...] = ("normal", "state", "mimic", "spikes", "hyps", "discontinuous")
#: Kinds with a discontinuous background (a subset of NO_DECREMENTS).
DISCONTINUOUS: tuple[str, ...] = ("discontinuous",)
#: Kinds with hypsarrhythmia.
HYPS: tuple[str, ...] = ("hyps", "hyps_spasms")

#: Parts of the pre-declared split, by the background's position in background_names().
TUNING, TEST = "tuning", "test"
PART_LABELS = {TUNING: "TUNING PART", TEST: "TEST PART"}

# --- the plan -----------------------------------------------------------------------
#: Of the two EDE recordings of each background, the share whose second is
#: ``hyps_spasms`` (the others have two ``spasms``): 80 spasms, 48 hyps_spasms in all.
HYPS_SPASMS_SHARE = 0.75
#: Weights of the kinds without EDEs among a background's other recordings (3 of 5):
#: 48 hyps, 32 normal, 32 state, 32 mimic, 24 spikes and 24 discontinuous in all.
OTHER_WEIGHTS = {
    "hyps": 24,
    "normal": 16,
    "state": 16,
    "mimic": 16,
    "spikes": 12,
    "discontinuous": 12,
}
#: Recording lengths in whole seconds (EDF records of 1 s): longer for EDE clusters.
DURATION_S = {"eded": (150, 330), "hyps": (120, 270), "other": (120, 210)}
#: Sampling rates of the written files and their shares (the sources are at 256 Hz).
RATES = ((256, 0.6), (200, 0.13), (250, 0.12), (500, 0.15))

# --- the background -----------------------------------------------------------------
#: Remix pieces (s) for the 30-s clips and for the longer real_infant recordings.
PIECE_SHORT_S, PIECE_LONG_S = (4.0, 12.0), (8.0, 40.0)
#: Cross-fades between pieces (s).
CROSSFADE_S = (0.4, 1.2)
#: Least distance (s) in the source between the end of a piece and the next piece's
#: start, so that the two sides of a cross-fade are uncorrelated.
REMIX_GAP_S = 2.0
#: The source's drift is removed below this band (raised cosine, Hz): correlated
#: infraslow activity would add up at cross-fades.
HIGHPASS_HZ = (0.1, 0.3)
#: The background's own transients: stretches whose power in 0.5-40 Hz (0.5-s windows,
#: median over channels) is more than LOUD_FACTOR times its median (movement, a large
#: burst): no EDE is put within TRANSIENT_MARGIN_S of them.
LOUD_BAND_HZ, LOUD_FACTOR, LOUD_SMOOTH = (0.5, 40.0), 20.0, 1
#: The background's own bursts of muscle: power in 52-95 Hz averaged over 2 s (so that
#: pulsatile artefacts of the floor do not count) more than MUSCLE_FACTOR times its
#: median. They are floor, kept like the rest, EDEs may fall on them; ``details`` lists
#: where they landed.
MUSCLE_BAND_HZ, MUSCLE_FACTOR, MUSCLE_SMOOTH = (52.0, 95.0), 4.0, 4
#: A background with more than this share of transients is crowded: recordings with
#: EDEs made from it pass over most pieces holding a transient (CROWDED_AVOID of them).
CROWDED_SHARE, CROWDED_AVOID = 0.2, 0.75
#: The cerebral part of a background quieter than this (1-12 Hz RMS, µV, drawn per
#: recording) is scaled up to it, at most CEREBRAL_LIFT_MAX times (infant EEG at 3-12
#: months is of higher voltage than the quietest neonatal backgrounds); the floor is not.
CEREBRAL_MIN_UV, CEREBRAL_LIFT_MAX = (10.0, 25.0), 8.0
#: No EDE within this of the background's own transients (s).
TRANSIENT_MARGIN_S = 1.0
#: Windows (s) in which transients are looked for.
LOUD_WINDOW_S = 0.5
#: Waxing and waning: standard deviation of the log gain and correlation time (s).
WAX_SIGMA, WAX_TAU_S = (0.08, 0.18), (10.0, 40.0)
#: Strong waxing and waning of the ``normal/waxing`` variant.
WAX_STRONG_SIGMA, WAX_STRONG_TAU_S = (0.25, 0.4), (5.0, 15.0)
#: Delta band with its own gain (raised-cosine edge, Hz): quiet sleep brings more delta.
DELTA_SPLIT_HZ = (2.0, 3.0)

# --- the floor ----------------------------------------------------------------------
#: Above this frequency (Hz) everything is floor; between FLOOR_RAMP_HZ[0] and it the
#: floor's share rises smoothly to one.
FLOOR_FROM_HZ = 40.0
FLOOR_RAMP_HZ = (30.0, FLOOR_FROM_HZ)
#: The band (Hz) whose level is the floor extended below 30 Hz, and the guard around
#: each mains harmonic left out of it (Finland: 50 Hz).
FLOOR_BAND_HZ = (45.0, 65.0)
MAINS_HZ = 50.0
MAINS_GUARD_HZ = 2.0
#: Knee of the floor's 1/f rise (Hz): electrode and amplifier noise rise below about 1 Hz.
FLOOR_KNEE_HZ = 1.0
#: Synthetic cerebral activity is band-limited below this (raised-cosine edge, Hz).
CEREBRAL_LOWPASS_HZ = (32.0, 38.0)
#: The scaled cerebral part is band-limited below this (Hz): it holds nothing above 40 Hz
#: but what the edges of the gain spread there.
GAIN_LOWPASS_HZ = (38.0, 42.0)
#: Extra floor (µV RMS over the band; IFCN standards allow 1.5 µV peak to peak of
#: amplifier noise, Nuwer et al. 1998; noisier electrodes add more) and its share.
EXTRA_FLOOR_UV, EXTRA_FLOOR_SHARE = (0.5, 3.0), 0.45
#: Tonic EMG left in the floor (µV RMS on frontal and temporal electrodes) and its share.
TONIC_EMG_UV, TONIC_EMG_SHARE = (0.3, 1.5), 0.2
#: Residual mains (µV amplitude per channel) and its share.
MAINS_UV, MAINS_SHARE = (0.3, 4.0), 0.35

# --- EDEs ---------------------------------------------------------------------------
#: Amplitude of the cerebral activity during an EDE, as a share of before (5-50 %).
EDE_DEPTH = (0.05, 0.5)
#: ... for the ``shallow`` variant.
EDE_DEPTH_SHALLOW = (0.25, 0.5)
#: EDE durations (s): log-normal around 1.8 s, clipped to 0.5-5 s.
EDE_DURATION_S = (0.5, 5.0)
EDE_MEDIAN_S = 1.8
#: Onset-to-onset interval within a cluster (s).
CLUSTER_ISI_S = (5.0, 40.0)
#: Fewest EDEs wanted in a recording with EDEs (else they are placed one by one).
MIN_EDES = 2
#: Shifts (s) tried, in order, when an EDE's planned place is not free.
EDE_SHIFTS_S = (0.0, 1.5, -1.5, 3.0, -3.0, 4.5, -4.5, 6.0, -6.0)
#: Least gap (s) between the end of an EDE and the next one's slow wave.
EDE_GAP_S = 2.5
#: No EDE within this of either end of the file (s).
EDGE_S = 5.0
#: No EDE within this of a large artefact, an abrupt change or an attenuation episode.
ARTEFACT_MARGIN_S = 3.0
#: Peak amplitude of the ictal slow wave (µV) and its half-width (s).
HVS_UV, HVS_SIGMA_S = (150.0, 600.0), (0.12, 0.35)
#: Low-voltage fast activity superimposed on an EDE (Hz, µV RMS).
LVFA_HZ, LVFA_UV = (14.0, 30.0), (2.0, 15.0)
#: ... as a share of the RMS of the cerebral activity it rides on (low voltage).
LVFA_SHARE = (0.15, 0.5)
#: The spasm's muscle burst (µV RMS, s, lowest frequency in Hz).
SPASM_EMG_UV, SPASM_EMG_S, EMG_LOW_HZ = (10.0, 60.0), (0.4, 2.0), 20.0
#: Electrodes where muscle may be added (frontal and temporal: frontalis, temporalis).
MUSCLE_ELECTRODES = ("Fp1", "Fp2", "F7", "F8", "T3", "T4")

# --- hypsarrhythmia -----------------------------------------------------------------
#: RMS of the hypsarrhythmic delta per electrode (µV; about 300-800 µV peak to peak).
HYPS_RMS_UV = (60.0, 160.0)
#: Spikes and sharp waves of hypsarrhythmia (a minute; µV).
HYPS_SPIKE_RATE, HYPS_SPIKE_UV = (40.0, 120.0), (120.0, 400.0)
#: Irregular regional high-voltage slow waves of hypsarrhythmia (a minute; µV).
HYPS_SLOW_RATE, HYPS_SLOW_UV = (10.0, 30.0), (150.0, 350.0)

# --- artefacts ----------------------------------------------------------------------
#: Artefacts added to each recording (fewest, most).
ARTEFACTS_PER_RECORDING = (1, 6)
#: How often each type of artefact is drawn.
ARTEFACT_WEIGHTS = {
    "movement": 0.20,
    "pop": 0.15,
    "flat": 0.07,
    "disconnected": 0.06,
    "clipping": 0.08,
    "muscle": 0.16,
    "sweat": 0.09,
    "ecg": 0.10,
    "mains": 0.09,
}
#: Least physical range of a file (µV); above it, 10 % over the largest sample.
PHYSICAL_MIN_UV = 200.0
#: Long artefacts, at most one of each a recording.
LONG_ARTEFACTS = ("flat", "disconnected", "sweat", "ecg", "mains")
#: Artefacts an EDE keeps ARTEFACT_MARGIN_S away from (several channels, broadband).
BIG_ARTEFACTS = ("movement", "clipping", "muscle")

#: Approximate 2-D positions of the 10-20 electrodes (x to the right, y to the nose; the
#: head's radius is 1), for the fields of synthetic activity.
POSITIONS: dict[str, tuple[float, float]] = {
    "Fp1": (-0.31, 0.95), "Fp2": (0.31, 0.95),
    "F7": (-0.81, 0.59), "F3": (-0.41, 0.53), "Fz": (0.0, 0.5), "F4": (0.41, 0.53),
    "F8": (0.81, 0.59), "T3": (-1.0, 0.0), "C3": (-0.5, 0.0), "Cz": (0.0, 0.0),
    "C4": (0.5, 0.0), "T4": (1.0, 0.0), "T5": (-0.81, -0.59), "P3": (-0.41, -0.53),
    "Pz": (0.0, -0.5), "P4": (0.41, -0.53), "T6": (0.81, -0.59), "O1": (-0.31, -0.95),
    "O2": (0.31, -0.95),
}  # fmt: skip


@dataclass
class Case:
    """One recording of the set and its truth (see the module docstring)."""

    name: str
    path: str
    background: str
    kind: str
    variant: str
    hyps: bool
    decrements: list[tuple[float, float]]
    attenuations: list[tuple[float, float]]
    duration_s: float
    artefacts: list[tuple[float, float, str]] = field(default_factory=list)
    changes: list[tuple[float, float, str]] = field(default_factory=list)
    montage: str = "referential"
    channels: list[str] = field(default_factory=list)
    part: str = ""
    floor_uv: float = 0.0


@dataclass(frozen=True)
class Spec:
    """What :func:`plan` decides for one recording before it is made."""

    index: int
    name: str
    background: str
    kind: str
    variant: str
    part: str
    duration_s: int
    sfreq: int


# ====================================================================================
# backgrounds and the plan
# ====================================================================================


def _background_path(name: str, data: Path = DATA) -> Path:
    group, stem = name.split("/", 1)
    if group == "helsinki":
        return data / "helsinki" / "clips" / f"{stem}.edf"
    return data / group / f"{stem}.edf"


def background_names(data: Path = DATA) -> list[str]:
    """The backgrounds: ``helsinki/eegN`` in order of N, then ``real_infant/eeg_burst_eg``
    and ``real_infant/demo``, only those whose file exists."""
    clips = data / "helsinki" / "clips"
    numbers = sorted(
        int(m.group(1))
        for p in (clips.glob("eeg*.edf") if clips.is_dir() else [])
        if (m := re.fullmatch(r"eeg(\d+)\.edf", p.name))
    )
    names = [f"helsinki/eeg{n}" for n in numbers]
    names += [
        n
        for n in ("real_infant/eeg_burst_eg", "real_infant/demo")
        if _background_path(n, data).is_file()
    ]
    return names


def _counts(weights: dict[str, int], total: int) -> dict[str, int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders)."""
    scale = total / sum(weights.values())
    raw = {k: w * scale for k, w in weights.items()}
    out = {k: math.floor(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: total - sum(out.values())]:
        out[k] += 1
    return out


def plan(seed: int = SEED, names: list[str] | None = None) -> list[Spec]:
    """Decide every recording of the set: background, kind, variant, part, length, rate.

    Each background gets two recordings with EDEs (``spasms`` and ``hyps_spasms``, or two
    ``spasms``) and ``PER_BACKGROUND - 2`` others; each part (every other background)
    gets the same shares of kinds and, within a kind, of its variants.

    Parameters
    ----------
    seed
        The set's seed.
    names
        The backgrounds (default: :func:`background_names`). :func:`build` always plans
        on all of them, so that a subset of backgrounds gives the same recordings.
    """
    names = background_names() if names is None else names
    rng = np.random.default_rng([seed, 1])
    specs: list[Spec] = []
    slots: dict[str, list[tuple[str, str]]] = {}  # background -> [(kind, variant)]
    for offset in (0, 1):  # the tuning part, then the test part
        members = names[offset::2]
        b = len(members)
        if not b:
            continue
        n_hs = round(HYPS_SPASMS_SHARE * b)
        second = ["hyps_spasms"] * n_hs + ["spasms"] * (b - n_hs)
        rng.shuffle(second)
        n_other = max(0, PER_BACKGROUND - 2)
        pool = [k for k, c in _counts(OTHER_WEIGHTS, n_other * b).items() for _ in range(c)]
        rng.shuffle(pool)
        for _ in range(50):  # spread duplicates of a kind over different backgrounds
            dup = [i for i in range(b) if len(set(pool[i * n_other : (i + 1) * n_other])) < n_other]
            if not dup:
                break
            i = int(rng.choice(dup)) * n_other + int(rng.integers(n_other))
            j = int(rng.integers(len(pool)))
            pool[i], pool[j] = pool[j], pool[i]
        kinds_of = {
            m: ["spasms", second[i], *pool[i * n_other : (i + 1) * n_other]][:PER_BACKGROUND]
            for i, m in enumerate(members)
        }
        # balanced variants within each (part, kind)
        want: dict[str, int] = {}
        for ks in kinds_of.values():
            for k in ks:
                want[k] = want.get(k, 0) + 1
        variants: dict[str, list[str]] = {}
        for k, n in want.items():
            cycle = [KINDS[k][i % len(KINDS[k])] for i in range(n)]
            rng.shuffle(cycle)
            variants[k] = cycle
        for m in members:
            ks = list(kinds_of[m])
            rng.shuffle(ks)
            slots[m] = [(k, variants[k].pop()) for k in ks]
    rates, shares = zip(*RATES, strict=True)
    for bi, bg in enumerate(names):
        part = TUNING if bi % 2 == 0 else TEST
        for si, (kind, variant) in enumerate(slots.get(bg, [])):
            index = bi * PER_BACKGROUND + si
            group = "eded" if kind not in NO_DECREMENTS else ("hyps" if kind in HYPS else "other")
            lo, hi = DURATION_S[group]
            duration = int(rng.integers(lo, hi + 1))
            sfreq = int(rng.choice(rates, p=np.array(shares) / sum(shares)))
            specs.append(
                Spec(index, f"fifth_{index:03d}", bg, kind, variant, part, duration, sfreq)
            )
    return specs


# ====================================================================================
# small signal helpers
# ====================================================================================


def _rise(f: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """0 below ``lo``, 1 above ``hi``, a raised cosine between."""
    u = np.clip((np.asarray(f, float) - lo) / (hi - lo), 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * u)


def _step(t: np.ndarray, width: float) -> np.ndarray:
    """A raised-cosine step from 0 to 1 centred on t = 0, ``width`` seconds wide."""
    return _rise(t, -width / 2, width / 2)


def _band(f: np.ndarray, lo: float, hi: float, edge: float = 1.0) -> np.ndarray:
    """A band-pass mask from ``lo`` to ``hi`` Hz with raised-cosine edges."""
    return _rise(f, lo - edge / 2, lo + edge / 2) * (1 - _rise(f, hi - edge / 2, hi + edge / 2))


def _filtered(x: np.ndarray, fs: float, mask: Any, pad: int | None = None) -> np.ndarray:
    """Zero-phase FFT filter of ``x`` (along the last axis) by ``mask(f)``, with mirror
    padding (``pad`` samples each side, default the whole length) so that the ends do
    not wrap round."""
    n = x.shape[-1]
    k = n if pad is None else min(pad, n)
    ext = np.concatenate([x[..., :k][..., ::-1], x, x[..., n - k :][..., ::-1]], axis=-1)
    m = ext.shape[-1]
    spec = sfft.rfft(ext, axis=-1) * mask(sfft.rfftfreq(m, 1 / fs)).astype(np.float32)
    return sfft.irfft(spec, m, axis=-1)[..., k : k + n]


def _gain_lowpass(f: np.ndarray) -> np.ndarray:
    return 1.0 - _rise(f, *GAIN_LOWPASS_HZ)


def _logistic(t: np.ndarray, width: float) -> np.ndarray:
    """A logistic step from 0 to 1 centred on t = 0 (10-90 % in about ``width``)."""
    return 0.5 * (1.0 + np.tanh(np.asarray(t, float) * (2.2 / max(width, 1e-3))))


def _ramp(t: np.ndarray, width: float, shape: str) -> np.ndarray:
    return _logistic(t, width) if shape == "logistic" else _step(t, width)


def _lowpass(x: np.ndarray, fs: float, band: tuple[float, float] = CEREBRAL_LOWPASS_HZ):
    """Zero-phase FFT low-pass (raised-cosine edge) of a short array, padded."""
    n = x.shape[-1]
    m = sfft.next_fast_len(2 * n)
    spec = sfft.rfft(x, m, axis=-1)
    spec *= 1.0 - _rise(sfft.rfftfreq(m, 1 / fs), *band)
    return sfft.irfft(spec, m, axis=-1)[..., :n]


def _coloured(rng: np.random.Generator, shape: tuple[int, ...], fs: float, psd: Any) -> np.ndarray:
    """Gaussian noise with the one-sided PSD ``psd(f)`` (µV²/Hz) along the last axis."""
    n = shape[-1]
    f = sfft.rfftfreq(n, 1 / fs)
    amp = np.sqrt(np.maximum(psd(f), 0.0) * n * fs / 2)
    spec = rng.standard_normal((*shape[:-1], len(f))) + 1j * rng.standard_normal(
        (*shape[:-1], len(f))
    )
    spec *= amp / np.sqrt(2)
    spec[..., 0] = 0.0
    return sfft.irfft(spec, n, axis=-1)


def _band_noise(
    rng: np.random.Generator, k: int, n: int, fs: float, lo: float, hi: float
) -> np.ndarray:
    """``k`` rows of unit-RMS noise band-limited to ``lo``-``hi`` Hz (smooth edges)."""
    edge = max(0.5, 0.1 * (hi - lo))
    hi = min(hi, fs / 2 - edge)

    def psd(f: np.ndarray) -> np.ndarray:
        return _rise(f, lo - edge, lo + edge) * (1 - _rise(f, hi - edge, hi + edge))

    x = _coloured(rng, (k, n), fs, psd)
    return x / np.maximum(x.std(axis=-1, keepdims=True), 1e-12)


def _slow(rng: np.random.Generator, n: int, fs: float, tau_s: float) -> np.ndarray:
    """A smooth unit-variance Gaussian process of correlation time about ``tau_s``."""
    step = tau_s / 4
    m = int(n / fs / step) + 16
    k = np.exp(-0.5 * (np.arange(-8, 9) / 2.0) ** 2)
    s = np.convolve(rng.standard_normal(m), k, mode="same") / np.sqrt((k**2).sum())
    return np.interp(np.arange(n) / fs, (np.arange(m) - 8) * step, s)


def _tukey(n: int, ramp: float) -> np.ndarray:
    return signal.windows.tukey(max(n, 2), min(1.0, max(ramp, 0.0)))[:n] if n > 0 else np.ones(0)


def _gauss_field(pos: np.ndarray, centre: tuple[float, float], sigma: float) -> np.ndarray:
    d2 = ((pos - np.asarray(centre)) ** 2).sum(axis=1)
    return np.exp(-0.5 * d2 / sigma**2)


# ====================================================================================
# the backgrounds' floor model
# ====================================================================================


@dataclass
class _Source:
    """A background, high-passed, with its floor model."""

    name: str
    data: np.ndarray  # (channels, samples) float32 µV
    fs: float
    channels: list[str]
    montage: str
    electrodes: list[str]
    proj: np.ndarray  # (channels, electrodes): identity, or +1/-1 for bipolar pairs
    f: np.ndarray  # Welch grid (Hz)
    s_mean: np.ndarray  # (channels, f) mean PSD µV²/Hz
    h: np.ndarray  # (channels, f) the floor's share of the PSD
    floor_psd: np.ndarray  # (channels, f) the floor model for reporting (mains left out)
    top_psd: np.ndarray  # (channels,) the floor just below the Nyquist frequency
    delta_share: float  # share of cerebral power below the delta split (median)
    seizure_s: int | None  # consensus seizure seconds of a Helsinki clip
    loud: list[tuple[float, float]]  # the background's own transients (s)
    muscle: list[tuple[float, float]]  # its own bursts of muscle (s)
    cer_uv: float  # typical RMS of its cerebral activity in 1-12 Hz (µV)

    @property
    def positions(self) -> np.ndarray:
        return np.array([POSITIONS.get(e, (0.0, 0.0)) for e in self.electrodes])

    @property
    def channel_positions(self) -> np.ndarray:
        w = np.abs(self.proj)
        return (w @ self.positions) / w.sum(axis=1, keepdims=True)


def _seizure_seconds(name: str, data: Path) -> int | None:
    path = data / "helsinki" / "clips_summary.csv"
    if not name.startswith("helsinki/") or not path.is_file():
        return None
    infant = name.split("eeg")[-1]
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            if row["infant"] == infant:
                return int(row["seconds_seizure_consensus"])
    return None


def _mains_mask(f: np.ndarray) -> np.ndarray:
    """True within MAINS_GUARD_HZ of a mains harmonic."""
    k = np.round(f / MAINS_HZ)
    return (k >= 1) & (np.abs(f - k * MAINS_HZ) < MAINS_GUARD_HZ)


def _load_source(name: str, data: Path = DATA) -> _Source:
    from spasmwatch.eeg.reader import read_recording

    rec = read_recording(_background_path(name, data), annotations=False)
    x = rec.read().astype(np.float64)
    fs = float(rec.sfreq)
    x = _filtered(x - x.mean(axis=1, keepdims=True), fs, lambda f: _rise(f, *HIGHPASS_HZ))
    montage = rec.kinds[0] if rec.kinds else "referential"
    channels = list(rec.channels)
    if montage == "bipolar":
        electrodes = sorted({e for c in channels for e in c.split("-")})
        proj = np.zeros((len(channels), len(electrodes)))
        for i, c in enumerate(channels):
            a, b = c.split("-")
            proj[i, electrodes.index(a)] += 1.0
            proj[i, electrodes.index(b)] -= 1.0
    else:
        electrodes = channels
        proj = np.eye(len(channels))
    nper = int(2 * fs)
    f, s_mean = signal.welch(x, fs, nperseg=nper, average="mean", axis=1)
    _, s_med = signal.welch(x, fs, nperseg=nper, average="median", axis=1)
    k = np.ones(3) / 3
    s_smooth = np.apply_along_axis(lambda v: np.convolve(v, k, mode="same"), 1, s_mean)
    s_smooth[:, [0, -1]] = s_mean[:, [0, -1]]
    s_smooth = np.maximum(s_smooth, 1e-12)
    band = (f >= FLOOR_BAND_HZ[0]) & (f <= FLOOR_BAND_HZ[1]) & ~_mains_mask(f)
    level = np.median(s_med[:, band], axis=1)  # µV²/Hz, robust to bursts
    extended = level[:, None] * (1.0 + FLOOR_KNEE_HZ / np.maximum(f, 0.25))[None, :]
    h = np.maximum(extended / s_smooth, _rise(f, *FLOOR_RAMP_HZ)[None, :])
    h = np.clip(h, 0.0, 1.0)
    h[:, f >= FLOOR_FROM_HZ] = 1.0
    h[:, 0] = 0.0
    # the floor for reporting: the model below 40 Hz, the robust PSD above, mains left out
    robust = s_med.copy()
    keep = ~_mains_mask(f)
    for i in range(len(robust)):
        robust[i, ~keep] = np.interp(f[~keep], f[keep], s_med[i, keep])
    floor_psd = np.where(f[None, :] < FLOOR_FROM_HZ, h * s_smooth, robust)
    nyq = fs / 2
    top = (f >= 0.8 * nyq) & (f <= 0.95 * nyq) & keep
    top_psd = np.median(s_med[:, top], axis=1)
    loud = _loud_spans(x, fs, LOUD_BAND_HZ, LOUD_FACTOR, LOUD_SMOOTH)
    muscle = _loud_spans(x, fs, MUSCLE_BAND_HZ, MUSCLE_FACTOR, MUSCLE_SMOOTH)
    eeg = (f >= 1.0) & (f <= 12.0)
    cer_uv = float(np.median(np.sqrt(np.trapezoid((s_med * (1 - h))[:, eeg], f[eeg], axis=1))))
    cerebral = np.maximum(s_mean * (1.0 - h), 0.0)
    low = (1.0 - _rise(f, *DELTA_SPLIT_HZ))[None, :]
    shares = (cerebral * low).sum(axis=1) / np.maximum(cerebral.sum(axis=1), 1e-12)
    return _Source(
        name=name,
        data=x.astype(np.float32),
        fs=fs,
        channels=channels,
        montage=montage,
        electrodes=electrodes,
        proj=proj,
        f=f,
        s_mean=s_smooth,
        h=h,
        floor_psd=floor_psd,
        top_psd=top_psd,
        delta_share=float(np.median(shares)),
        seizure_s=_seizure_seconds(name, data),
        loud=loud,
        muscle=muscle,
        cer_uv=cer_uv,
    )


def _loud_spans(
    x: np.ndarray, fs: float, band: tuple[float, float], factor: float, smooth: int
) -> list[tuple[float, float]]:
    """The background's own transients in one band: 0.5-s windows whose power (median
    over channels, averaged over ``smooth`` windows) is more than ``factor`` times its
    median, widened by a window on each side (s)."""
    n = x.shape[1]
    w = int(LOUD_WINDOW_S * fs)
    k = n // w
    p = _filtered(x, fs, lambda f: _band(f, *band))[:, : k * w] ** 2
    p = np.median(p.reshape(len(x), k, w).mean(axis=2), axis=0)
    p = np.convolve(p, np.ones(smooth) / smooth, mode="same")
    flag = np.convolve(p > factor * np.median(p), np.ones(3), mode="same") > 0
    spans, start = [], None
    for i, v in enumerate([*flag, False]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            spans.append((start * LOUD_WINDOW_S, i * LOUD_WINDOW_S))
            start = None
    return spans


def _remix(
    src: _Source, n_out: int, rng: np.random.Generator, avoid: float = 0.0
) -> tuple[np.ndarray, dict[str, list[tuple[float, float]]]]:
    """Join random pieces of the source with equal-power cross-fades; return the
    recording and where the source's own transients and bursts of muscle landed in it
    (s). A piece holding a transient is passed over with probability ``avoid``."""
    fs = src.fs
    n_src = src.data.shape[1]
    lo, hi = PIECE_LONG_S if n_src > 120 * fs else PIECE_SHORT_S
    out = np.empty((len(src.channels), n_out), dtype=np.float32)
    pos = 0
    prev_tail = None  # source index where the previous piece's cross-fade tail starts
    landed: dict[str, list[tuple[float, float]]] = {"loud": [], "muscle": []}
    while pos < n_out:
        length = min(int(rng.uniform(lo, hi) * fs), n_src)
        fade = int(rng.uniform(*CROSSFADE_S) * fs)
        for _ in range(30):
            a = int(rng.integers(0, n_src - length + 1))
            loud = any(a1 * fs > a and a0 * fs < a + length for a0, a1 in src.loud)
            if loud and rng.random() < avoid:
                continue
            if prev_tail is None or abs(a - prev_tail) > REMIX_GAP_S * fs:
                break
        piece = src.data[:, a : a + length]
        head = pos - (0 if pos == 0 else min(fade, length // 3, pos))
        for key, spans in (("loud", src.loud), ("muscle", src.muscle)):
            for a0, a1 in spans:  # where this piece's transients land
                b0, b1 = max(a0 * fs, a), min(a1 * fs, a + length)
                if b1 > b0 and head + (b0 - a) < n_out:
                    landed[key].append(((head + b0 - a) / fs, min(n_out, head + b1 - a) / fs))
        if pos == 0:
            take = min(length, n_out)
            out[:, :take] = piece[:, :take]
            pos = take
        else:
            fade = min(fade, length // 3, pos)
            th = np.linspace(0, np.pi / 2, fade, dtype=np.float32)
            out[:, pos - fade : pos] *= np.cos(th)
            out[:, pos - fade : pos] += piece[:, :fade] * np.sin(th)
            take = min(length - fade, n_out - pos)
            out[:, pos : pos + take] = piece[:, fade : fade + take]
            pos += take
        prev_tail = a + length - int(CROSSFADE_S[1] * fs)
    return out, {k: sorted(v) for k, v in landed.items()}


def _split(
    x: np.ndarray, src: _Source, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split a remixed recording into ``base = x_n + ε`` (the floor, kept whatever the
    gain), and the cerebral estimate minus ``ε`` in the delta band and above it."""
    n = x.shape[1]
    fs = src.fs
    fk = sfft.rfftfreq(n, 1 / fs)
    spec = sfft.rfft(x, axis=1)
    h = np.empty((len(x), len(fk)), dtype=np.float32)
    s = np.empty_like(h)
    for i in range(len(x)):
        h[i] = np.interp(fk, src.f, src.h[i])
        s[i] = np.interp(fk, src.f, src.s_mean[i])
    amp = np.sqrt(np.maximum(h * (1.0 - h) * s, 0.0) * (n * fs / 4))  # /2 per component
    eps = rng.standard_normal(spec.shape, dtype=np.float32).astype(np.complex64)
    eps.imag = rng.standard_normal(spec.shape, dtype=np.float32)
    eps *= amp
    eps[:, 0] = 0.0
    base = sfft.irfft(h * spec + eps, n, axis=1).astype(np.float32)
    low = (1.0 - _rise(fk, *DELTA_SPLIT_HZ)).astype(np.float32)
    z_delta = sfft.irfft(low * ((1.0 - h) * spec - eps), n, axis=1).astype(np.float32)
    z_rest = x - base - z_delta
    return base, z_rest, z_delta


# ====================================================================================
# one recording
# ====================================================================================


class _Recording:
    """The gains, synthetic activity and truth of one recording as it is made."""

    def __init__(self, spec: Spec, src: _Source, rng: np.random.Generator):
        self.spec, self.src, self.rng = spec, src, rng
        self.fs = src.fs
        self.D = float(spec.duration_s)
        self.n = round(self.D * self.fs)
        self.t = np.arange(self.n) / self.fs
        n_ch, n_el = len(src.channels), len(src.electrodes)
        self.log_rest = np.zeros(self.n)
        self.log_delta = np.zeros(self.n)
        self.state_rest = np.zeros(self.n)  # the listed changes only
        self.state_delta = np.zeros(self.n)
        self.pending: list[tuple[float, float, str]] = []  # (time, width, kind)
        self.log_e = np.zeros((n_ch, self.n), dtype=np.float32)
        self.cer = np.zeros((n_el, self.n), dtype=np.float32)  # attenuated with the rest
        self.ictal = np.zeros((n_el, self.n), dtype=np.float32)  # slow waves, fast activity
        self.hyps_env: np.ndarray | None = None
        self.decrements: list[dict[str, Any]] = []
        self.attenuations: list[tuple[float, float]] = []
        self.changes: list[tuple[float, float, str]] = []
        self.change_info: list[dict[str, Any]] = []
        self.blocks: list[tuple[float, float]] = []  # EDE keep-out spans
        self.event_spans: list[tuple[float, float]] = []  # EDE spans, for big artefacts
        self.artefacts: list[dict[str, Any]] = []
        self.details: dict[str, Any] = {}
        self.pos = src.positions
        self.ch_pos = src.channel_positions
        self.cer_ref = src.cer_uv  # RMS of the cerebral activity (1-12 Hz, µV), updated

    # --- helpers --------------------------------------------------------------------
    def idx(self, t: float) -> int:
        return int(np.clip(round(t * self.fs), 0, self.n))

    def free(self, t0: float, t1: float, spans: list[tuple[float, float]]) -> bool:
        return all(t1 <= a or t0 >= b for a, b in spans)

    def list_changes(self) -> None:
        """Turn the pending changes into ``changes``: the ratio of the broadband amplitude
        of the cerebral background just after to just before each transition (with
        hypsarrhythmia, which follows the gain above the delta split, that gain)."""
        d = 0.0 if self.spec.kind in HYPS else self.src.delta_share

        def amp(t: float) -> float:
            i = min(self.n - 1, max(0, self.idx(t)))
            return math.sqrt(
                d * math.exp(2 * self.state_delta[i]) + (1 - d) * math.exp(2 * self.state_rest[i])
            )

        for tc, width, kind in self.pending:
            ratio = amp(tc + width / 2 + 0.5) / amp(tc - width / 2 - 0.5)
            self.changes.append((round(tc, 3), round(ratio, 3), kind))

    def add_change(
        self, tc: float, r_rest: float, r_delta: float, width: float, abrupt: bool
    ) -> None:
        """A listed change of state at ``tc`` (the middle of a ``width``-s transition)
        multiplying the cerebral activity above and below the delta split."""
        s = _step(self.t - tc, width)
        for arr in (self.log_rest, self.state_rest):
            arr += math.log(r_rest) * s
        for arr in (self.log_delta, self.state_delta):
            arr += math.log(r_delta) * s
        self.pending.append((tc, width, "abrupt" if abrupt else "gradual"))
        self.change_info.append(
            {
                "time_s": round(tc, 3),
                "rest": round(r_rest, 3),
                "delta": round(r_delta, 3),
                "width_s": round(width, 3),
            }
        )
        if abrupt:
            self.blocks.append(
                (tc - width / 2 - ARTEFACT_MARGIN_S, tc + width / 2 + ARTEFACT_MARGIN_S)
            )

    def add_dip(
        self,
        on: float,
        end: float,
        depth: float,
        w_on: float,
        w_off: float,
        shapes: tuple[str, str] = ("cos", "cos"),
        weights: np.ndarray | None = None,
    ) -> None:
        """Multiply the cerebral gain by ``depth`` from ``on`` to ``end`` (half depth in
        dB at both), per channel scaled in dB by ``weights``."""
        pad = 3.0 * max(w_on, w_off) + 0.5
        i0, i1 = self.idx(on - pad), self.idx(end + pad)
        tt = self.t[i0:i1]
        dip = _ramp(tt - on, w_on, shapes[0]) * _ramp(end - tt, w_off, shapes[1])
        w = np.ones(len(self.log_e)) if weights is None else weights
        self.log_e[:, i0:i1] += (math.log(depth) * w[:, None] * dip[None, :]).astype(np.float32)

    def field(self, kind: str) -> np.ndarray:
        """Spatial weights over electrodes for a synthetic pattern."""
        rng = self.rng
        if kind == "diffuse":
            w = 0.75 + 0.25 * rng.uniform(-1, 1) * self.pos[:, 1]
            return w * rng.uniform(0.9, 1.1, len(w))
        if kind == "frontal":
            return _gauss_field(self.pos, (rng.uniform(-0.2, 0.2), 0.7), 0.55)
        if kind == "temporal":
            return _gauss_field(self.pos, (rng.choice([-0.9, 0.9]), rng.uniform(-0.3, 0.3)), 0.4)
        raise ValueError(kind)

    def focus(self) -> tuple[float, float]:
        e = self.rng.integers(len(self.pos))
        return tuple(self.pos[e] + self.rng.normal(0, 0.08, 2))

    # --- transients -----------------------------------------------------------------
    def spike(
        self,
        t0: float,
        amp: float,
        centre: tuple[float, float],
        sigma: float,
        sharp: bool = False,
        poly: int = 1,
        target: str = "cer",
    ) -> None:
        """A spike (20-70 ms) or sharp wave (70-200 ms) with its aftergoing slow wave."""
        rng, fs = self.rng, self.fs
        half = rng.uniform(0.035, 0.1) if sharp else rng.uniform(0.02, 0.035)
        sign = -1.0 if rng.random() < 0.8 else 1.0
        tt = np.arange(int(0.9 * fs)) / fs - 0.2
        w = np.zeros_like(tt)
        for p in range(poly):
            c = p * rng.uniform(0.08, 0.12)
            w += np.exp(-0.5 * ((tt - c) / (half / 2)) ** 2)
            w -= 0.3 * np.exp(-0.5 * ((tt - c - 1.6 * half) / (0.8 * half)) ** 2)
        sw = rng.uniform(0.06, 0.14)
        w += rng.uniform(0.3, 0.8) * np.exp(
            -0.5 * ((tt - (poly - 1) * 0.1 - 2 * half - sw) / sw) ** 2
        )
        w = _lowpass(w, fs) * sign * amp
        weights = _gauss_field(self.pos, centre, sigma)
        self._place(target, t0 - 0.2, weights, w)

    def slow_wave(self, t_end: float, amp: float, sigma: float, sharp: bool, target: str) -> float:
        """A high-voltage slow wave (positive at the vertex, often of opposite sign
        posteriorly) over by ``t_end`` (exactly zero after it), with an optional sharp
        component before it; returns its start."""
        rng, fs = self.rng, self.fs
        tc = t_end - 3.0 * sigma
        t0 = tc - 3.5 * sigma - (0.15 if sharp else 0.0)
        tt = np.arange(int((t_end - t0) * fs) + 1) / fs + t0
        u = (tt - tc) / sigma
        w = np.exp(-0.5 * u**2) - 0.3 * np.exp(-0.5 * ((u + 1.9) / 0.7) ** 2)
        if sharp:
            ts = tc - sigma - rng.uniform(0.03, 0.08)
            hs = rng.uniform(0.02, 0.045)
            w -= rng.uniform(0.4, 0.8) * np.exp(-0.5 * ((tt - ts) / hs) ** 2)
        w = _lowpass(w, fs) * amp
        w *= 1.0 - _rise(tt, tc + 1.8 * sigma, t_end)
        weights = (
            rng.uniform(0.55, 0.9)
            + rng.uniform(-0.6, 0.3) * (-self.pos[:, 1])
            + rng.uniform(-0.25, 0.25) * self.pos[:, 0]
        )
        weights = weights / np.abs(weights).max()
        self._place(target, t0, weights, w)
        return t0

    def _place(self, target: str, t0: float, weights: np.ndarray, w: np.ndarray) -> None:
        i0 = round(t0 * self.fs)
        a, b = max(0, i0), min(self.n, i0 + len(w))
        if b <= a:
            return
        arr = self.cer if target == "cer" else self.ictal
        arr[:, a:b] += (weights[:, None] * w[None, a - i0 : b - i0]).astype(np.float32)


# --- background non-stationarity and states ------------------------------------------


def _background_state(r: _Recording) -> None:
    rng, spec = r.rng, r.spec
    strong = spec.kind == "normal" and spec.variant == "waxing"
    sig = rng.uniform(*(WAX_STRONG_SIGMA if strong else WAX_SIGMA))
    tau = rng.uniform(*(WAX_STRONG_TAU_S if strong else WAX_TAU_S))
    r.log_rest += sig * _slow(rng, r.n, r.fs, tau)
    r.log_delta += r.log_rest + 0.5 * sig * _slow(rng, r.n, r.fs, tau)
    r.details["waxing"] = {"sigma": round(sig, 3), "tau_s": round(tau, 1)}
    if spec.kind == "state":
        _state_kind(r)
    elif spec.kind != "discontinuous":
        # a few listed gradual changes of state; an abrupt one in some EDE recordings
        for _ in range(int(rng.integers(0, 3))):
            tc = rng.uniform(0.15, 0.85) * r.D
            ratio = rng.uniform(0.6, 0.85) if rng.random() < 0.5 else rng.uniform(1.2, 1.6)
            r.add_change(tc, ratio, ratio * rng.uniform(0.9, 1.3), rng.uniform(8, 30), False)
        if spec.kind not in NO_DECREMENTS and rng.random() < 0.25:
            tc = rng.uniform(0.2, 0.8) * r.D
            ratio = rng.uniform(0.55, 0.75) if rng.random() < 0.5 else rng.uniform(1.35, 1.8)
            r.add_change(tc, ratio, ratio, rng.uniform(0.2, 0.6), True)


def _state_kind(r: _Recording) -> None:
    rng, v, D = r.rng, r.spec.variant, r.D
    if v == "quiet_sleep_delta":
        t = rng.uniform(10, 30)
        while t < D - 40:
            length = rng.uniform(30, 90)
            rd, rr = rng.uniform(1.8, 3.0), rng.uniform(1.0, 1.3)
            w1, w2 = rng.uniform(5, 15), rng.uniform(5, 15)
            r.add_change(t, rr, rd, w1, False)
            if t + length < D - 10:
                r.add_change(t + length, 1 / rr, 1 / rd, w2, False)
            t += length + rng.uniform(20, 60)
    elif v in ("abrupt", "gradual"):
        k = int(rng.integers(2, 5))
        times = np.sort(rng.uniform(15, D - 15, k))
        times = [t for i, t in enumerate(times) if i == 0 or t - times[i - 1] >= 20]
        level = 1.0
        for t in times:
            if v == "abrupt":
                ratio = rng.uniform(0.35, 0.65) if level >= 0.99 else 1 / level
                width = rng.uniform(0.1, 0.5)
            else:
                ratio = rng.uniform(0.4, 0.75) if rng.random() < 0.5 else rng.uniform(1.4, 2.5)
                width = rng.uniform(8, 30)
            level *= ratio
            r.add_change(float(t), ratio, ratio * rng.uniform(0.85, 1.15), width, v == "abrupt")
    elif v == "arousal":
        t = rng.uniform(15, 40)
        while t < D - 30:
            mov = rng.uniform(1.0, 3.0)
            r.artefacts.append(_artefact_spec(r, "movement", t - 0.5, mov))
            r.artefacts.append(_artefact_spec(r, "muscle", t - 0.3, rng.uniform(2, 8)))
            rr, rd = rng.uniform(0.4, 0.7), rng.uniform(0.25, 0.5)
            length = rng.uniform(20, 60)
            r.add_change(t + 0.5, rr, rd, rng.uniform(0.2, 0.6), True)
            if t + length < D - 5:
                r.add_change(t + 0.5 + length, 1 / rr, 1 / rd, rng.uniform(10, 25), False)
            t += length + rng.uniform(25, 60)


# --- synthetic cerebral activity ---------------------------------------------------


def _hyps(r: _Recording) -> None:
    """Hypsarrhythmia (and its modified forms) into ``r.cer``."""
    rng, fs, n, v = r.rng, r.fs, r.n, r.spec.variant
    pos = r.pos
    n_el = len(pos)
    k = int(rng.integers(8, 13))
    sync = rng.uniform(0.55, 0.8) if v == "synchronised" else rng.uniform(0.1, 0.3)

    def psd(f: np.ndarray) -> np.ndarray:
        bump = np.exp(-0.5 * (np.log(np.maximum(f, 1e-3) / 0.9) / 0.7) ** 2)
        tail = 0.08 / (1 + (np.maximum(f, 1e-3) / 4.0) ** 2)
        return (bump + tail) * _rise(f, 0.2, 0.4) * (1 - _rise(f, 20.0, 30.0))

    gens = _coloured(rng, (k + 1, n), fs, psd).astype(np.float32)
    gens /= np.maximum(gens.std(axis=1, keepdims=True), 1e-9)
    centres = rng.uniform(-0.9, 0.9, (k, 2))
    mix = np.exp(
        -0.5 * ((pos[:, None, :] - centres[None]) ** 2).sum(-1) / rng.uniform(0.3, 0.45) ** 2
    )
    mix /= np.sqrt((mix**2).sum(axis=1, keepdims=True)) + 1e-9
    delta = np.sqrt(1 - sync**2) * (mix.astype(np.float32) @ gens[:k]) + sync * gens[k]
    delta /= np.maximum(delta.std(axis=1, keepdims=True), 1e-9)
    rms = rng.uniform(*HYPS_RMS_UV) * rng.uniform(0.75, 1.3, n_el)
    side = float(rng.choice([-1.0, 1.0]))
    if v == "asymmetric":
        rms *= np.where(pos[:, 0] * side > 0.05, rng.uniform(1.5, 2.5), 1.0)
    # chaotic regional waxing and waning
    env = np.empty((n_el, n), dtype=np.float32)
    regional = np.stack([_slow(rng, n, fs, rng.uniform(2, 10)) for _ in range(4)])
    wr = rng.normal(0, 1, (n_el, 4))
    wr /= np.linalg.norm(wr, axis=1, keepdims=True)
    env[:] = np.exp(0.45 * (wr @ regional))
    envelope = np.ones(n)
    # relative normalisation (REM sleep) in some hypsarrhythmia recordings
    if r.spec.kind == "hyps" and rng.random() < 0.4 and r.D > 100:
        t0 = rng.uniform(0.2, 0.6) * r.D
        length = rng.uniform(20, 60)
        ratio = rng.uniform(0.25, 0.5)
        w1, w2 = rng.uniform(5, 15), rng.uniform(5, 15)
        envelope *= np.exp(math.log(ratio) * _step(r.t - t0, w1) * _step(t0 + length - r.t, w2))
        r.changes += [(round(t0, 3), round(ratio, 3), "gradual")]
        if t0 + length < r.D - 5:
            r.changes += [(round(t0 + length, 3), round(1 / ratio, 3), "gradual")]
        r.details["hyps_normalisation"] = [round(t0, 2), round(length, 2), round(ratio, 3)]
    r.hyps_env = envelope
    r.cer_ref = float(np.median(rms))
    r.cer += (delta * rms[:, None] * env * envelope[None, :]).astype(np.float32)
    # irregular high-voltage slow waves, regional, random in time
    for t0 in np.sort(
        rng.uniform(1, r.D - 2, rng.poisson(rng.uniform(*HYPS_SLOW_RATE) * r.D / 60))
    ):
        sigma = rng.uniform(0.15, 0.4)
        tt = np.arange(int(8 * sigma * fs)) / fs - 4 * sigma
        w = np.exp(-0.5 * (tt / sigma) ** 2) * rng.uniform(*HYPS_SLOW_UV) * rng.choice([-1.0, 1.0])
        weights = _gauss_field(pos, r.focus(), rng.uniform(0.35, 0.7))
        r._place("cer", float(t0) - 4 * sigma, weights * float(envelope[r.idx(t0) - 1]), w)
    # spikes, polyspikes and sharp waves
    rate = rng.uniform(3, 10) if v == "slow" else rng.uniform(*HYPS_SPIKE_RATE)
    foci = [r.focus() for _ in range(int(rng.integers(3, 7)))]
    p = np.ones(len(foci))
    if v == "focus":
        p[0] = 2.5 * (len(foci) - 1)
    if v == "asymmetric":
        p = np.array([3.0 if f[0] * side > 0 else 0.5 for f in foci])
    p /= p.sum()
    count = rng.poisson(rate * r.D / 60)
    for t0 in np.sort(rng.uniform(0.5, r.D - 1, count)):
        amp = rng.uniform(*HYPS_SPIKE_UV) * float(envelope[r.idx(t0) - 1])
        if v == "synchronised" and rng.random() < 0.3:
            r.spike(
                t0, amp, (0.0, 0.1), 1.2, sharp=rng.random() < 0.5, poly=int(rng.integers(1, 4))
            )
            continue
        f = foci[int(rng.choice(len(foci), p=p))]
        r.spike(
            t0,
            amp,
            f,
            rng.uniform(0.25, 0.45),
            sharp=rng.random() < 0.4,
            poly=int(rng.integers(2, 4)) if rng.random() < 0.15 else 1,
        )
    r.details["hyps"] = {
        "rms_uv": round(float(np.median(rms)), 1),
        "sync": round(sync, 2),
        "spikes_per_min": round(rate, 1),
    }


def _hyps_attenuations(r: _Recording) -> None:
    """Generalised or regional attenuation episodes of a modified hypsarrhythmia."""
    rng = r.rng
    count = int(rng.integers(3, 9))
    placed: list[tuple[float, float]] = []
    for _ in range(count * 20):
        if len(placed) >= count:
            break
        dur = rng.uniform(1.0, 8.0)
        on = rng.uniform(EDGE_S, r.D - EDGE_S - dur)
        if not r.free(on - 8, on + dur + 8, placed):
            continue
        depth = rng.uniform(0.1, 0.4)
        if rng.random() < 0.5:
            weights = None
        else:  # regional: full depth near a centre, little elsewhere
            c = r.ch_pos[int(rng.integers(len(r.ch_pos)))]
            weights = np.clip(
                1.3 * _gauss_field(r.ch_pos, tuple(c), rng.uniform(0.4, 0.7)), 0.1, 1.0
            )
        w = rng.uniform(0.2, min(1.0, dur / 2))
        r.add_dip(on, on + dur, depth, w, w, weights=weights)
        placed.append((on, on + dur))
        r.blocks.append((on - ARTEFACT_MARGIN_S, on + dur + ARTEFACT_MARGIN_S))
    r.attenuations = sorted((round(a, 3), round(b - a, 3)) for a, b in placed)


def _spikes_kind(r: _Recording, variant: str, sparse: bool = False) -> None:
    rng = r.rng
    if variant == "sharp_slow":
        count = rng.poisson(rng.uniform(0.5, 3.0) * r.D / 60) + 1
        for t in np.sort(rng.uniform(5, r.D - 5, count)):
            r.slow_wave(float(t), rng.uniform(150, 400), rng.uniform(0.12, 0.3), True, "cer")
        variant = "focal"
        rate = rng.uniform(1, 4)
    else:
        rate = rng.uniform(1, 6) if sparse else rng.uniform(3, 20)
    n_foci = 1 if variant == "focal" else int(rng.integers(2, 6))
    foci = [r.focus() for _ in range(n_foci)]
    count = rng.poisson(rate * r.D / 60)
    for t in np.sort(rng.uniform(1, r.D - 1, count)):
        f = foci[int(rng.integers(n_foci))]
        r.spike(float(t), rng.uniform(50, 250), f, rng.uniform(0.2, 0.4), sharp=rng.random() < 0.4)
    r.details["spikes"] = {"foci": n_foci, "per_min": round(rate, 2)}


def _mimic_kind(r: _Recording) -> None:
    rng, v, fs = r.rng, r.spec.variant, r.fs
    if v == "rhythmic_delta":
        count = int(rng.integers(2, 7))
        for t0 in np.sort(rng.uniform(3, r.D - 15, count)):
            dur = rng.uniform(3, 12)
            f0 = rng.uniform(1.5, 3.0)
            tt = np.arange(int(dur * fs)) / fs
            phase = 2 * np.pi * np.cumsum(f0 * (1 + 0.05 * np.sin(2 * np.pi * tt / dur))) / fs
            w = np.sin(phase) + 0.25 * np.sin(2 * phase + rng.uniform(0, np.pi))
            w *= _tukey(len(tt), 0.5) * rng.uniform(40, 150)
            weights = r.field(str(rng.choice(["frontal", "diffuse", "temporal"])))
            r._place("cer", float(t0), weights / np.abs(weights).max(), _lowpass(w, fs))
    elif v == "quiet_stretch":
        count = int(rng.integers(4, 11))
        spans: list[tuple[float, float]] = []
        for _ in range(count * 20):
            if len(spans) >= count:
                break
            dur = rng.uniform(1.5, 6.0)
            on = rng.uniform(EDGE_S, r.D - EDGE_S - dur)
            if r.free(on - 10, on + dur + 10, spans):
                w = rng.uniform(0.4, min(1.2, dur / 2))
                r.add_dip(on, on + dur, rng.uniform(0.55, 0.8), w, w)
                spans.append((on, on + dur))
        r.details["quiet_stretches"] = sorted((round(a, 2), round(b - a, 2)) for a, b in spans)
    elif v == "slow_transient":
        count = int(rng.integers(3, 11))
        for t in np.sort(rng.uniform(5, r.D - 5, count)):
            r.slow_wave(float(t), rng.uniform(100, 350), rng.uniform(0.12, 0.35), False, "cer")


def _discontinuous(r: _Recording) -> None:
    rng, v = r.rng, r.spec.variant
    if v == "burst_suppression":
        ibi, depth, burst = (4.0, 20.0), (0.02, 0.08), (1.5, 6.0)
    else:
        ibi, depth, burst = (3.0, 15.0), (0.08, 0.25), (2.0, 8.0)
    t = rng.uniform(0, 4)
    ibis = []
    while t < r.D:
        b = rng.uniform(*burst)
        gain = rng.uniform(1.0, 1.6)
        r.add_dip(t, t + b, gain, 0.2, 0.2)
        t += b
        d = rng.uniform(*ibi)
        w = rng.uniform(0.1, 0.5)
        r.add_dip(t, t + d, rng.uniform(*depth), w, w)
        ibis.append((round(t, 2), round(d, 2)))
        t += d
    r.details["inter_burst_intervals"] = ibis


# --- EDEs ------------------------------------------------------------------------


def _ede_times(r: _Recording, isolated: bool = False) -> list[float]:
    rng, D, v = r.rng, r.D, r.spec.variant
    onsets: list[float] = []
    if isolated or v == "isolated":
        want = int(rng.integers(3, 7))
        for _ in range(400):
            if len(onsets) >= want:
                break
            t = rng.uniform(EDGE_S + 3, D - EDGE_S - 5)
            if all(abs(t - o) >= 30 for o in onsets) and r.free(t - 2.5, t + 2, r.blocks):
                onsets.append(float(t))
        return sorted(onsets)
    n_clusters = 1 + int(D > 200) + int(D > 280 and rng.random() < 0.5)
    clusters: list[tuple[float, float]] = []
    for _ in range(n_clusters):
        m = int(rng.integers(3, 11))
        base = rng.uniform(6, 22)
        isi = np.clip(base * np.exp(rng.normal(0, 0.25, m - 1)), *CLUSTER_ISI_S)
        span = float(isi.sum()) + 6
        for _ in range(40):
            if span > D - 2 * EDGE_S - 6:
                isi = isi[:-1]
                span = float(isi.sum()) + 6
                continue
            start = rng.uniform(EDGE_S + 3, D - EDGE_S - span)
            if r.free(start - 15, start + span + 15, clusters):
                clusters.append((start, start + span))
                onsets += list(start + np.concatenate([[0.0], np.cumsum(isi)]))
                break
    return sorted(onsets)


def _edes(r: _Recording) -> None:
    rng, v, kind = r.rng, r.spec.variant, r.spec.kind
    hyps = kind == "hyps_spasms"
    p_hvs = {"attenuation_only": 0.0, "slow_wave": 1.0, "fast": 0.4}.get(v, 0.55)
    if hyps:
        p_hvs = 0.5
    p_lvfa = {"attenuation_only": 0.0, "fast": 1.0}.get(v, 0.3 if hyps else 0.35)
    p_emg = 0.4
    depth_range = EDE_DEPTH_SHALLOW if v == "shallow" else EDE_DEPTH
    onsets = _ede_times(r)
    if sum(r.free(t - 2.5, t + 2, r.blocks) for t in onsets) < MIN_EDES:
        onsets = _ede_times(r, isolated=True)  # a crowded background: isolated EDEs
        r.details["ede_timing"] = "isolated (a crowded background)"
    last_end, last_on = -1e9, -1e9
    muscle = [e for e in r.src.electrodes if e in MUSCLE_ELECTRODES]
    for i, planned in enumerate(onsets):
        nxt = onsets[i + 1] if i + 1 < len(onsets) else r.D
        want = float(np.clip(EDE_MEDIAN_S * np.exp(rng.normal(0, 0.5)), *EDE_DURATION_S))
        hvs = rng.random() < p_hvs
        sigma = rng.uniform(*HVS_SIGMA_S)
        pre = (6.5 * sigma + 0.15) if hvs else 0.0
        for shift in EDE_SHIFTS_S:  # the nearest free place to the planned one
            on = planned + shift
            dur = min(want, nxt - on - EDE_GAP_S - 1.5)  # room for the next one's wave
            end = on + dur
            if (
                dur >= EDE_DURATION_S[0]
                and on - last_on >= CLUSTER_ISI_S[0]
                and on - pre - 0.5 >= max(EDGE_S - 2, last_end + EDE_GAP_S)
                and on >= EDGE_S
                and end <= r.D - EDGE_S
                and r.free(on - pre, end, r.blocks)
            ):
                break
        else:
            continue
        depth = float(np.exp(rng.uniform(*np.log(depth_range))))
        shape_on = str(rng.choice(["cos", "cos", "logistic"]))
        shape_off = str(rng.choice(["cos", "logistic"]))
        w_on = rng.uniform(0.04, 0.1) if rng.random() < 0.5 else rng.uniform(0.2, 0.8)
        w_off = rng.uniform(0.05, 0.15) if rng.random() < 0.35 else rng.uniform(0.3, 1.5)
        scale = 0.8 * dur / max(w_on + w_off, 1e-6)
        w_on, w_off = min(w_on, w_on * scale), min(w_off, w_off * scale)
        weights = np.exp(rng.normal(0, 0.08, len(r.src.channels))).clip(0.85, 1.15)
        r.add_dip(on, end, depth, w_on, w_off, (shape_on, shape_off), weights)
        info: dict[str, Any] = {
            "onset_s": round(on, 3),
            "duration_s": round(dur, 3),
            "depth": round(depth, 3),
            "onset_shape": f"{shape_on}:{w_on:.2f}",
            "offset_shape": f"{shape_off}:{w_off:.2f}",
        }
        start = on
        if hvs:
            sharp = rng.random() < 0.3
            start = r.slow_wave(on, rng.uniform(*HVS_UV), sigma, sharp, "ictal")
            info["slow_wave"] = "sharp_slow" if sharp else "slow"
        if rng.random() < p_lvfa:
            _lvfa(r, on, dur)
            info["fast_activity"] = True
        stop = end
        if muscle and rng.random() < p_emg:
            k = int(rng.integers(1, min(4, len(muscle)) + 1))
            els = [str(e) for e in rng.choice(muscle, k, replace=False)]
            t_emg = on - rng.uniform(0.0, 0.6)
            d_emg = rng.uniform(*SPASM_EMG_S)
            info["emg"] = {
                "electrodes": els,
                "onset_s": round(t_emg, 3),
                "duration_s": round(d_emg, 3),
                "uv": round(rng.uniform(*SPASM_EMG_UV), 1),
            }
            info["emg"]["channels"] = _channels_of(r.src, els)
            start, stop = min(start, t_emg), max(stop, t_emg + d_emg)
        r.decrements.append(info)
        r.event_spans.append((start, stop))
        last_end, last_on = end, on
    if hyps and rng.random() < 0.3 and r.decrements and r.hyps_env is not None:
        a, b = r.decrements[0]["onset_s"] - 8, r.decrements[-1]["onset_s"] + 12
        ratio = rng.uniform(0.4, 0.7)
        w = rng.uniform(6, 12)
        extra = np.exp(math.log(ratio) * _step(r.t - a, w) * _step(b - r.t, w))
        r.cer *= extra.astype(np.float32)[None, :]  # the hypsarrhythmia only dominates
        r.changes += [(round(a, 3), round(ratio, 3), "gradual")]
        if b < r.D - 5:
            r.changes += [(round(b, 3), round(1 / ratio, 3), "gradual")]


def _channels_of(src: _Source, electrodes: list[str]) -> list[str]:
    cols = [src.electrodes.index(e) for e in electrodes]
    return [c for i, c in enumerate(src.channels) if np.abs(src.proj[i, cols]).sum() > 0]


def _lvfa(r: _Recording, on: float, dur: float) -> None:
    rng, fs = r.rng, r.fs
    length = min(dur, rng.uniform(0.3, 1.5)) if rng.random() < 0.6 else dur
    t0 = on - rng.uniform(0.0, 0.2)
    n = int((length + 0.2) * fs)
    f0 = rng.uniform(16, 25)
    lo, hi = max(LVFA_HZ[0], f0 - 3), min(LVFA_HZ[1], f0 + 3)
    amp = float(np.clip(rng.uniform(*LVFA_SHARE) * r.cer_ref, *LVFA_UV))
    w = _band_noise(rng, 1, n, fs, lo, hi)[0] * _tukey(n, 0.4) * amp
    weights = 0.5 + 0.5 * _gauss_field(r.pos, (rng.uniform(-0.3, 0.3), -0.25), 0.6)
    r._place("ictal", t0, weights, w)


# --- non-cerebral additions at the file's rate ---------------------------------------


def _emg(rng: np.random.Generator, n: int, fs: float) -> np.ndarray:
    """Unit-RMS surface EMG: 20 Hz to the Nyquist frequency, falling above 60 Hz."""

    def psd(f: np.ndarray) -> np.ndarray:
        return _rise(f, EMG_LOW_HZ - 5, EMG_LOW_HZ + 5) / np.sqrt(1 + (f / 60.0) ** 2)

    x = _coloured(rng, (n,), fs, psd)
    return x / max(float(x.std()), 1e-12)


def _artefact_spec(r: _Recording, kind: str, onset: float, dur: float) -> dict[str, Any]:
    return {"type": kind, "onset_s": float(onset), "duration_s": float(dur)}


def _plan_artefacts(r: _Recording) -> None:
    rng = r.rng
    count = int(rng.integers(ARTEFACTS_PER_RECORDING[0], ARTEFACTS_PER_RECORDING[1] + 1))
    count = max(count - len(r.artefacts), 0 if r.artefacts else 1)
    types, weights = zip(*ARTEFACT_WEIGHTS.items(), strict=True)
    p = np.array(weights) / sum(weights)
    keep_out = [(a - ARTEFACT_MARGIN_S, b + ARTEFACT_MARGIN_S) for a, b in r.event_spans]
    for _ in range(count):
        kind = str(rng.choice(types, p=p))
        if kind in LONG_ARTEFACTS and any(a["type"] == kind for a in r.artefacts):
            kind = "pop"
        dur = {
            "movement": (0.5, 4.0),
            "pop": (0.3, 2.0),
            "flat": (10.0, 60.0),
            "disconnected": (10.0, 60.0),
            "clipping": (0.5, 3.0),
            "muscle": (1.0, 10.0),
            "sweat": (10.0, 60.0),
            "ecg": (20.0, r.D),
            "mains": (5.0, 60.0),
        }[kind]
        d = float(rng.uniform(dur[0], min(dur[1], r.D - 2)))
        for _ in range(60):
            on = float(rng.uniform(1.0, r.D - 1.0 - d))
            if kind not in BIG_ARTEFACTS or r.free(on, on + d, keep_out):
                r.artefacts.append(_artefact_spec(r, kind, on, d))
                break


def _render_artefacts(r: _Recording, y: np.ndarray, fs: float, r_phys: float | None) -> None:
    """Add the planned artefacts to ``y`` (channels x samples at ``fs``), in place: the
    clipping artefacts when ``r_phys`` (the physical range) is given, the others when
    not."""
    rng = r.rng
    src = r.src
    n_ch = len(src.channels)
    n = y.shape[1]
    muscle_ch = _channels_of(src, [e for e in src.electrodes if e in MUSCLE_ELECTRODES])
    muscle_idx = [src.channels.index(c) for c in muscle_ch] or list(range(n_ch))
    for a in sorted(r.artefacts, key=lambda a: a["onset_s"]):
        kind = a["type"]
        if (kind == "clipping") != (r_phys is not None):
            continue
        i0 = round(a["onset_s"] * fs)
        i1 = min(n, round((a["onset_s"] + a["duration_s"]) * fs))
        m = i1 - i0
        if m <= 2:
            continue
        if kind in ("movement", "clipping"):
            k = (
                max(1, round(rng.uniform(0.6, 1.0) * n_ch))
                if kind == "movement"
                else int(rng.integers(1, min(4, n_ch) + 1))
            )
            chans = np.sort(rng.choice(n_ch, k, replace=False))
            common = _band_noise(rng, 1, m, fs, 0.3, 4.0)[0]
            own = _band_noise(rng, k, m, fs, 0.3, 6.0)
            w = rng.uniform(0.3, 1.0, k) * np.where(rng.random(k) < 0.85, 1.0, -1.0)
            wave = (w[:, None] * common[None] + 0.4 * own) * _tukey(m, 0.4)[None]
            wave /= np.abs(wave).max() + 1e-9
            amp = rng.uniform(80, 500) if r_phys is None else r_phys * rng.uniform(1.3, 3.0)
            y[chans, i0:i1] += (amp * wave).astype(y.dtype)
            if r_phys is not None:
                y[chans, i0:i1] = np.clip(y[chans, i0:i1], -r_phys, r_phys)
            elif rng.random() < 0.5:
                mc = [c for c in muscle_idx if c in chans] or muscle_idx[:1]
                emg = _emg(rng, m, fs) * _tukey(m, 0.5) * rng.uniform(5, 30)
                y[mc, i0:i1] += emg.astype(y.dtype)
        elif kind == "pop":
            chans = np.array([int(rng.integers(n_ch))])
            tt = np.arange(m) / fs
            wave = np.zeros(m)
            for _ in range(int(rng.integers(1, 4))):
                t0 = rng.uniform(0, max(0.01, tt[-1] - 0.2))
                tau = rng.uniform(0.05, 0.5)
                rise = rng.uniform(0.002, 0.005)
                u = np.maximum(tt - t0, 0.0)
                wave += (
                    (1 - np.exp(-u / rise))
                    * np.exp(-u / tau)
                    * (rng.uniform(50, 400) * rng.choice([-1.0, 1.0]))
                )
            y[chans[0], i0:i1] += wave.astype(y.dtype)
        elif kind == "flat":
            chans = np.array([int(rng.integers(n_ch))])
            y[chans[0], i0:i1] = y[chans[0], i0]
        elif kind == "disconnected":
            chans = np.array([int(rng.integers(n_ch))])
            tt = np.arange(m) / fs
            mains = rng.uniform(30, 200) * np.sin(2 * np.pi * MAINS_HZ * tt + rng.uniform(0, 6.3))
            drift = 50 * _slow(rng, m, fs, 2.0) + rng.normal(0, 5, m)
            y[chans[0], i0:i1] = (mains + drift).astype(y.dtype)
        elif kind == "muscle":
            k = int(rng.integers(2, min(6, len(muscle_idx)) + 1)) if len(muscle_idx) > 1 else 1
            chans = np.sort(rng.choice(muscle_idx, k, replace=False))
            emg = _emg(rng, m, fs)
            for c in chans:
                y[c, i0:i1] += (
                    (0.6 * emg + 0.8 * _emg(rng, m, fs)) * _tukey(m, 0.3) * rng.uniform(5, 40)
                ).astype(y.dtype)
        elif kind == "sweat":
            centre = tuple(r.ch_pos[int(rng.integers(n_ch))])
            wts = _gauss_field(r.ch_pos, centre, rng.uniform(0.4, 0.7))
            chans = np.flatnonzero(wts > 0.3)
            f0 = rng.uniform(0.1, 0.4)
            tt = np.arange(m) / fs
            wave = np.sin(2 * np.pi * f0 * tt + rng.uniform(0, 6.3)) + 0.5 * _slow(rng, m, fs, 3.0)
            wave *= _tukey(m, 0.3) * rng.uniform(30, 200)
            y[chans, i0:i1] += (wts[chans, None] * wave[None]).astype(y.dtype)
        elif kind == "ecg":
            k = int(rng.integers(3, min(12, n_ch) + 1))
            chans = np.sort(rng.choice(n_ch, k, replace=False))
            hr = rng.uniform(110, 170) / 60
            tpl_t = np.arange(int(0.4 * fs)) / fs - 0.1
            qrs = np.exp(-0.5 * (tpl_t / 0.012) ** 2) - 0.35 * np.exp(
                -0.5 * ((tpl_t - 0.03) / 0.015) ** 2
            )
            qrs += 0.2 * np.exp(-0.5 * ((tpl_t - 0.2) / 0.04) ** 2)
            beats = np.zeros(m)
            t = rng.uniform(0, 1 / hr)
            while t < m / fs:
                j = int(t * fs)
                seg = qrs[: m - j]
                beats[j : j + len(seg)] += seg
                t += (1 / hr) * rng.normal(1, 0.03)
            beats = _lowpass(beats, fs, (45.0, 60.0))
            amp = rng.uniform(5, 30) * rng.uniform(0.3, 1.0, k) * rng.choice([-1.0, 1.0], k)
            y[chans, i0:i1] += (amp[:, None] * beats[None]).astype(y.dtype)
        elif kind == "mains":
            k = int(rng.integers(1, min(3, n_ch) + 1))
            chans = np.sort(rng.choice(n_ch, k, replace=False))
            tt = np.arange(m) / fs
            s = np.sin(2 * np.pi * MAINS_HZ * tt + rng.uniform(0, 6.3)) * _tukey(m, 0.1)
            amp = rng.uniform(20, 150, k)
            y[chans, i0:i1] += (amp[:, None] * s[None]).astype(y.dtype)
        else:
            raise ValueError(kind)
        a["channels"] = [src.channels[int(c)] for c in chans]


def _floor_additions(r: _Recording, y: np.ndarray, fs: float) -> np.ndarray:
    """Add the extra floor, tonic EMG, residual mains and, above the source's Nyquist
    frequency, the floor's extension; return the per-channel added floor power (µV²)."""
    rng, src = r.rng, r.src
    n_ch, n = y.shape
    added = np.zeros(n_ch)
    info: dict[str, Any] = {}
    if fs > src.fs:  # extend the floor above the source's Nyquist frequency
        nyq0 = src.fs / 2
        level = np.maximum(src.top_psd, 1e-6)

        def shape(f: np.ndarray) -> np.ndarray:
            return _rise(f, nyq0 - 8, nyq0 + 8)

        ext = _coloured(rng, (n_ch, n), fs, shape) * np.sqrt(level)[:, None]
        y += ext.astype(y.dtype)
        band = float(np.trapezoid(shape(np.linspace(0, fs / 2, 2000)), dx=fs / 2 / 1999))
        added += level * band
        info["extension_psd_uv2_hz"] = round(float(np.median(level)), 6)
    if rng.random() < EXTRA_FLOOR_SHARE:
        rms = rng.uniform(*EXTRA_FLOOR_UV)
        beta = rng.uniform(0.0, 0.5)
        per = rms * rng.uniform(0.7, 1.4, n_ch)

        def pink(f: np.ndarray) -> np.ndarray:
            return np.maximum(f, 0.5) ** -beta

        noise = _coloured(rng, (n_ch, n), fs, pink)
        noise *= (per / np.maximum(noise.std(axis=1), 1e-12))[:, None]
        y += noise.astype(y.dtype)
        added += per**2
        info["extra_floor"] = {"rms_uv": round(rms, 3), "slope": round(beta, 3)}
    if rng.random() < TONIC_EMG_SHARE:
        sites = [e for e in src.electrodes if e in MUSCLE_ELECTRODES]
        chans = [src.channels.index(c) for c in _channels_of(src, sites)]
        rms = rng.uniform(*TONIC_EMG_UV)
        for c in chans:
            level = rms * rng.uniform(0.6, 1.4)
            y[c] += (_emg(rng, n, fs) * level).astype(y.dtype)
            added[c] += level**2
        info["tonic_emg"] = {"rms_uv": round(rms, 3), "channels": [src.channels[c] for c in chans]}
    if rng.random() < MAINS_SHARE:
        tt = np.arange(n) / fs
        amp = np.exp(rng.uniform(*np.log(MAINS_UV), n_ch))
        wobble = 1 + 0.3 * _slow(rng, n, fs, 20.0)
        for h, rel in ((1, 1.0), (2, rng.uniform(0.05, 0.3)), (3, rng.uniform(0.05, 0.3))):
            if h * MAINS_HZ < 0.45 * fs:
                s = np.sin(2 * np.pi * h * MAINS_HZ * tt + rng.uniform(0, 6.3)) * wobble * rel
                y += (amp[:, None] * s[None]).astype(y.dtype)
        info["mains_uv"] = round(float(np.median(amp)), 3)
    r.details["floor"] = info
    return added


def _floor_uv(r: _Recording, fs: float, added: np.ndarray) -> float:
    src = r.src
    top = min(fs, src.fs) / 2 * (0.9 if fs < src.fs else 1.0)
    m = src.f <= top
    base = np.trapezoid(src.floor_psd[:, m], src.f[m], axis=1)
    return float(np.median(np.sqrt(base + added)))


def _spasm_emg(r: _Recording, y: np.ndarray, fs: float) -> None:
    rng, src = r.rng, r.src
    for info in r.decrements:
        emg = info.get("emg")
        if not emg:
            continue
        i0 = round(emg["onset_s"] * fs)
        m = round(emg["duration_s"] * fs)
        tt = np.linspace(0, 1, m)
        peak = rng.uniform(0.3, 0.6)
        env = np.where(tt < peak, tt / peak, (1 - tt) / (1 - peak)) ** 0.7  # rhomboid
        for e in emg["electrodes"]:
            burst = _emg(rng, m, fs) * env * emg["uv"] * rng.uniform(0.7, 1.2)
            col = src.proj[:, src.electrodes.index(e)]
            for c in np.flatnonzero(col):
                y[c, i0 : i0 + m] += (col[c] * burst[: max(0, min(m, y.shape[1] - i0))]).astype(
                    y.dtype
                )


# ====================================================================================
# making and writing one recording
# ====================================================================================


def _make(
    spec: Spec, src: _Source, seed: int, attenuate: bool = True
) -> tuple[np.ndarray, float, Case, dict]:
    """Make one recording: its samples (channels x samples at ``spec.sfreq``), physical
    range, case and details. ``attenuate=False`` makes the same recording with every
    attenuation (EDEs, attenuation episodes, quiet stretches, inter-burst intervals)
    left out, for checking the floor against it."""
    rng = np.random.default_rng([seed, spec.index, 5])
    r = _Recording(spec, src, rng)
    loud_share = sum(b - a for a, b in src.loud) * src.fs / src.data.shape[1]
    crowded = spec.kind not in NO_DECREMENTS and loud_share > CROWDED_SHARE
    x, landed = _remix(src, r.n, rng, CROWDED_AVOID if crowded else 0.0)
    r.blocks += [(a - TRANSIENT_MARGIN_S, b + TRANSIENT_MARGIN_S) for a, b in landed["loud"]]
    for key, name in (("loud", "background_transients"), ("muscle", "background_muscle")):
        r.details[name] = [(round(a, 3), round(b - a, 3)) for a, b in landed[key]]
    base, z_rest, z_delta = _split(x, src, rng)
    del x
    # infants' EEG is of higher voltage than the quietest neonatal backgrounds
    lift = min(CEREBRAL_LIFT_MAX, max(1.0, rng.uniform(*CEREBRAL_MIN_UV) / max(src.cer_uv, 0.1)))
    if lift > 1.0:
        z_rest *= np.float32(lift)
        z_delta *= np.float32(lift)
    r.details["cerebral_lift"] = round(lift, 3)
    r.cer_ref = src.cer_uv * lift
    _background_state(r)
    if spec.kind in HYPS:
        _hyps(r)
        if spec.variant == "attenuation":
            _hyps_attenuations(r)
    if spec.kind in ("spasms", "hyps_spasms"):
        _edes(r)
        if spec.kind == "spasms" and rng.random() < 0.5:
            _spikes_kind(r, str(rng.choice(["focal", "multifocal"])), sparse=True)
    elif spec.kind == "spikes":
        _spikes_kind(r, spec.variant)
    elif spec.kind == "mimic":
        _mimic_kind(r)
    elif spec.kind == "discontinuous":
        _discontinuous(r)
    # combine at the source's rate: floor kept, cerebral part scaled
    gain = np.exp(r.log_e) if attenuate else np.ones_like(r.log_e)
    cer = r.cer if src.montage == "referential" else (src.proj @ r.cer).astype(np.float32)
    ictal = r.ictal if src.montage == "referential" else (src.proj @ r.ictal).astype(np.float32)
    g_rest = gain * np.exp(r.log_rest).astype(np.float32)[None, :]
    g_delta = gain * np.exp(r.log_delta).astype(np.float32)[None, :]
    scaled = g_rest * (z_rest + cer) + g_delta * z_delta
    del z_rest, z_delta, gain, g_rest, g_delta, cer
    # the cerebral part stays below 40 Hz: an abrupt edge of the gain would otherwise
    # spread some of it (hundreds of µV in hypsarrhythmia) above, over the floor
    scaled = _filtered(scaled, src.fs, _gain_lowpass, pad=int(src.fs)).astype(np.float32)
    y = base + scaled + ictal
    del base, scaled, ictal
    fs = float(spec.sfreq)
    if fs != src.fs:
        g = math.gcd(int(fs), int(src.fs))
        y = signal.resample_poly(y, int(fs) // g, int(src.fs) // g, axis=1).astype(np.float32)
    _plan_artefacts(r)
    _spasm_emg(r, y, fs)
    added = _floor_additions(r, y, fs)
    _render_artefacts(r, y, fs, None)
    # the physical range: nothing reaches it but the clipping artefacts
    r_phys = float(max(PHYSICAL_MIN_UV, math.ceil(1.1 * float(np.abs(y).max()) / 100) * 100))
    _render_artefacts(r, y, fs, r_phys)
    r.list_changes()
    decrements = [(float(d["onset_s"]), float(d["duration_s"])) for d in r.decrements]
    artefacts = sorted(
        (round(a["onset_s"], 3), round(a["duration_s"], 3), a["type"]) for a in r.artefacts
    )
    case = Case(
        name=spec.name,
        path="",
        background=spec.background,
        kind=spec.kind,
        variant=spec.variant,
        hyps=spec.kind in HYPS,
        decrements=decrements,
        attenuations=list(r.attenuations),
        duration_s=float(spec.duration_s),
        artefacts=artefacts,
        changes=sorted(r.changes),
        montage=src.montage,
        channels=list(src.channels),
        part=spec.part,
        floor_uv=round(_floor_uv(r, fs, added), 3),
    )
    details = {
        "sfreq": fs,
        "physical_range_uv": r_phys,
        "decrements": r.decrements,
        "artefacts": [
            {k: (round(v, 3) if isinstance(v, float) else v) for k, v in a.items()}
            for a in sorted(r.artefacts, key=lambda a: a["onset_s"])
        ],
        "change_details": r.change_info,
        "background_seizure_s": src.seizure_s,
        **r.details,
    }
    return y, r_phys, case, details


def _write_edf(path: Path, y: np.ndarray, fs: float, channels: list[str], r: float) -> None:
    import edfio

    signals = [
        edfio.EdfSignal(
            np.asarray(v, dtype=np.float64),
            sampling_frequency=fs,
            label=f"EEG {name}",
            physical_dimension="uV",
            physical_range=(-r, r),
        )
        for v, name in zip(y, channels, strict=True)
    ]
    tmp = path.with_suffix(".tmp")
    edfio.Edf(signals).write(tmp)
    tmp.replace(path)


# ====================================================================================
# the set
# ====================================================================================


def _case_from(d: dict[str, Any], out: Path) -> Case:
    d = dict(d)
    d["decrements"] = [tuple(x) for x in d["decrements"]]
    d["attenuations"] = [tuple(x) for x in d["attenuations"]]
    d["artefacts"] = [tuple(x) for x in d["artefacts"]]
    d["changes"] = [tuple(x) for x in d["changes"]]
    d["path"] = str((out / f"{d['name']}.edf").resolve())
    return Case(**d)


def load(out: Path = CACHE) -> tuple[dict[str, Any], list[Case], dict[str, Any]]:
    """Read ``manifest.json`` of a built set: its key, the cases and the details."""
    out = Path(out)
    m = json.loads((out / "manifest.json").read_text())
    return m["key"], [_case_from(c, out) for c in m["cases"]], m.get("details", {})


def build(
    out: Path = CACHE, force: bool = False, seed: int = SEED, backgrounds: int | None = None
) -> list[Case]:
    """Make the set (one EDF per case and ``manifest.json`` in ``out``), or reuse it.

    Parameters
    ----------
    out
        The folder.
    force
        Make it again even if a complete set with the same key is there.
    seed
        The set's seed; the same seed gives the same files.
    backgrounds
        Keep only the first N backgrounds of :func:`background_names` (for tests); their
        recordings are the same as in the full set.

    Returns
    -------
    list of Case
    """
    out = Path(out)
    names = background_names()
    if backgrounds is not None:
        names = names[:backgrounds]
    key = {"version": VERSION, "seed": seed, "backgrounds": names}
    manifest = out / "manifest.json"
    if not force and manifest.is_file():
        try:
            old_key, cases, _ = load(out)
        except (ValueError, KeyError, TypeError):
            old_key, cases = None, []
        if old_key == key and all(Path(c.path).is_file() for c in cases):
            return cases
    out.mkdir(parents=True, exist_ok=True)
    specs = [s for s in plan(seed) if s.background in names]
    sources: dict[str, _Source] = {}
    cases: list[Case] = []
    details: dict[str, Any] = {}
    for spec in specs:
        if spec.background not in sources:
            sources.clear()  # specs come grouped by background
            sources[spec.background] = _load_source(spec.background)
        y, r_phys, case, info = _make(spec, sources[spec.background], seed)
        path = (out / f"{spec.name}.edf").resolve()
        _write_edf(path, y, info["sfreq"], case.channels, r_phys)
        case.path = str(path)
        cases.append(case)
        details[case.name] = info
    keep = {f"{c.name}.edf" for c in cases}
    for stale in out.glob("fifth_*.edf"):
        if stale.name not in keep:
            stale.unlink()
    doc = {"key": key, "cases": [asdict(c) for c in cases], "details": details}
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=1, default=_jsonable))
    tmp.replace(manifest)
    return cases


def _jsonable(o: Any) -> Any:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(type(o))


def halves(cases: list[Case]) -> list[tuple[str, list[Case]]]:
    """The pre-declared split: ``[("TUNING PART", ...), ("TEST PART", ...)]``, by
    background (even and odd positions in :func:`background_names`)."""
    order = {n: i for i, n in enumerate(background_names())}

    def part(c: Case) -> str:
        if c.part in PART_LABELS:
            return c.part
        return TUNING if order.get(c.background, 0) % 2 == 0 else TEST

    return [(PART_LABELS[p], [c for c in cases if part(c) == p]) for p in (TUNING, TEST)]
