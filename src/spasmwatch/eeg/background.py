"""The background of the whole recording: amplitude, spikes, the BASED-like score, the
IESS markers and the hypsarrhythmia assessment (see :mod:`spasmwatch.eeg.detect`)."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence

import numpy as np

from spasmwatch.eeg.decrements import (
    DECREMENT_BAND_DEEP_RATIO,
    DECREMENT_BAND_LINE_RATIO,
    DECREMENT_BAND_MAX_ATTENUATED,
    DECREMENT_LINE_RATIO,
    DECREMENT_RATIO,
    DISCONTINUOUS_SHARE,
    QUIET_MIN_S,
    SUPPRESSION_UV,
    attenuated_share,
    floor_line_shares,
    line_rule,
    quiet_shares,
)
from spasmwatch.eeg.features import (
    DECREMENT_BAND_HZ,
    HIGH_AMPLITUDE_UV,
    EpochFeatures,
    nan_quantile,
)
from spasmwatch.eeg.reasons import ARTEFACT_KINDS, background_reasons
from spasmwatch.eeg.result import Background

log = logging.getLogger("spasmwatch")


#: A scalp region is a spike focus when it leads at least this many discharges per
#: minute of usable EEG: an occasional sharp transient of normal neonatal EEG is not a
#: focus [design; docs/eeg.md].
SPIKE_FOCUS_RATE_PER_MIN = 1.0
#: BASED's "abundant": a spike-wave index of 50 % or more (Mytinger et al., Epilepsia 2021).
BASED_ABUNDANT_SHARE = 0.5
#: BASED scores the worst 5 minutes of the recording (Mytinger et al. 2021); a shorter
#: recording is scored over what there is, and its reasons say so.
BASED_WINDOW_S = 300
#: Under 2 minutes of usable EEG, spike burden and multifocality cannot be judged: the
#: assessment is ``cannot_assess``, never "no" (issue #13; docs/eeg.md).
HYPS_MIN_USABLE_S = 120
#: Fewer channels than this cannot show multifocality [design].
HYPS_MIN_CHANNELS = 4
#: "Abundant spikes" for the assessment: a spike-wave index of 10 %, far below BASED's
#: 50 % because the detector, set for few false spikes, finds only part of the spikes in
#: high-voltage delta; chosen on the tuning part of the evaluation set [design].
HYPS_SPIKE_WAVE_INDEX = 0.1
#: "Multifocal": 2 foci or more (BASED's multifocal score counts 3); chosen on the tuning
#: part with the spike-wave index above [design].
HYPS_MIN_FOCI = 2
#: The slow form of hypsarrhythmia, "comprising primarily high-voltage slow activity with
#: little sharp-wave or spike activity" (Hrachovy, Frost & Kellaway, Epilepsia
#: 1984;25:317), is judged without the spike criteria, so it needs an amplitude that
#: neither normal nor merely slow infant EEG reaches for long: p95 of at least 400 µV,
#: twice the "high" bar, with the amplitude sustained (below). 400 was chosen with the
#: sustained amplitude on the tuning parts of four evaluation sets (docs/benchmarks.md,
#: "Hypsarrhythmia that lasts"); without that gate the louder sleep states of the fourth
#: set reached it, and the bound was 500 µV [design].
HYPS_SLOW_FORM_UV = 400.0
#: Hypsarrhythmia is a background ("random high voltage waves and spikes" that "vary from
#: moment to moment", Gibbs & Gibbs 1952), not a stretch of it: a loud state of sleep or
#: a burst of louder activity lifts the amplitude p95 for a minute without it. So either
#: form also needs the amplitude to last: in at least three quarters of the usable
#: seconds (``HYPS_SUSTAINED_PERCENTILE``, the 25th percentile) the median channel's
#: peak-to-peak reaches ``HYPS_SUSTAINED_UV``, half the "high" bar. The pattern fades in
#: REM sleep and during clusters of spasms (Hrachovy et al. 1984), so a recording that is
#: high only in part is not called "no": its reasons say the amplitude does not last and
#: that this does not rule hypsarrhythmia out. Chosen on the tuning parts of four
#: evaluation sets (docs/benchmarks.md) [design].
HYPS_SUSTAINED_PERCENTILE = 25
HYPS_SUSTAINED_UV = 100.0
#: ... mostly delta: Kramer, Sue & Mikati (Pediatr Neurol 1997;17:197) grade the slowing of
#: hypsarrhythmia by a delta share of 75 % ...
HYPS_SLOW_FORM_DELTA = 0.75
#: ... and asynchronous, as the slow waves of hypsarrhythmia are ("asynchronously and
#: randomly over all head regions", Gibbs & Gibbs): connectivity strength below 0.45,
#: between the largest of the recordings with hypsarrhythmia (0.40) and the median of
#: the synchronous high-voltage delta (0.53) of the tuning part [design].
HYPS_SLOW_FORM_MAX_CONNECTIVITY = 0.45
#: The continuity of the background, by the share of its seconds attenuated or suppressed
#: (:func:`~spasmwatch.eeg.decrements.quiet_shares`), in the categories of the ACNS
#: Standardized Critical Care EEG Terminology (Hirsch et al., J Clin Neurophysiol
#: 2021;38:1): "continuous", no periods of attenuation or suppression, read at the
#: one-second resolution of the measure as under ``NEARLY_CONTINUOUS_SHARE`` (1 %) of the
#: seconds [design]; "nearly continuous", under 10 %
#: (:data:`~spasmwatch.eeg.decrements.DISCONTINUOUS_SHARE`); "discontinuous", 10-49 %;
#: "burst-suppression" or "burst-attenuation", from ``BURST_SUPPRESSION_SHARE`` (50 %) to
#: 99 %; "suppressed", the whole record (100 %, which only suppression, under 10 µV, can
#: make: :data:`~spasmwatch.eeg.decrements.SUPPRESSION_UV`).
NEARLY_CONTINUOUS_SHARE = 0.01
BURST_SUPPRESSION_SHARE = 0.5
#: Under this many usable seconds the continuity is not judged (null): a term newborn's
#: tracé alternant alternates bursts and quieter stretches of a few seconds each, and a
#: preterm newborn's inter-burst intervals last longer, so a shorter stretch can fall
#: within one phase (ACNS neonatal terminology, Tsuchida et al., J Clin Neurophysiol
#: 2013;30:161); 30 s, the length of the Helsinki clips, holds several [design].
CONTINUITY_MIN_USABLE_S = 30
#: The continuity categories (``background.continuity``), most continuous first.
CONTINUITIES = (
    "continuous",
    "nearly_continuous",
    "discontinuous",
    "burst_suppression",
    "suppressed",
)
#: The thresholds the assessment applied, stored with it (``background.limits``) so that
#: its reasons can be said again, in another language, from the stored result.
LIMITS = {
    "high_amplitude_uv": HIGH_AMPLITUDE_UV,
    "spike_wave_index": HYPS_SPIKE_WAVE_INDEX,
    "min_foci": HYPS_MIN_FOCI,
    "focus_rate_per_min": SPIKE_FOCUS_RATE_PER_MIN,
    "min_usable_s": HYPS_MIN_USABLE_S,
    "min_channels": HYPS_MIN_CHANNELS,
    "based_window_s": BASED_WINDOW_S,
    "slow_form_amplitude_uv": HYPS_SLOW_FORM_UV,
    "sustained_amplitude_uv": HYPS_SUSTAINED_UV,
    "sustained_percentile": HYPS_SUSTAINED_PERCENTILE,
    "slow_form_delta": HYPS_SLOW_FORM_DELTA,
    "slow_form_max_connectivity": HYPS_SLOW_FORM_MAX_CONNECTIVITY,
    "decrement_line_ratio": DECREMENT_LINE_RATIO,
    "decrement_band_line_ratio": DECREMENT_BAND_LINE_RATIO,
    "decrement_band_from_hz": DECREMENT_BAND_HZ[0],
    "decrement_band_to_hz": DECREMENT_BAND_HZ[1],
    # 1 where the decrement rules read the band (high sensitivity), 0 the whole band
    "decrement_reads_band": 0.0,
    "discontinuous_share": DISCONTINUOUS_SHARE,
    # 1: at low and normal sensitivity the 2-12 Hz rule's events are added where the
    # noise floor hides decrements on a continuous background (decrements.reads_band_too)
    "decrement_band_under_floor": 1.0,
    # 1: ... and on every continuous background, whatever the floor's share
    "decrement_band_on_continuous": 1.0,
    # on a background attenuated in discontinuous_share up to this share of its seconds,
    # only the band's events down to decrement_band_deep_ratio of the baseline are added
    "decrement_band_max_attenuated": DECREMENT_BAND_MAX_ATTENUATED,
    "decrement_band_deep_ratio": DECREMENT_BAND_DEEP_RATIO,
    # the continuity of the background (background_continuity): a second is attenuated
    # below decrement_ratio of the upper quartile, suppressed below suppression_uv
    "decrement_ratio": DECREMENT_RATIO,
    "suppression_uv": SUPPRESSION_UV,
    "nearly_continuous_share": NEARLY_CONTINUOUS_SHARE,
    "burst_suppression_share": BURST_SUPPRESSION_SHARE,
    "continuity_min_usable_s": CONTINUITY_MIN_USABLE_S,
    # a second counts as attenuated or suppressed only within a period this long or longer
    "continuity_min_period_s": float(QUIET_MIN_S),
}


def background_continuity(quiet_share: float | None, usable_s: int) -> str | None:
    """The continuity of a background attenuated or suppressed in ``quiet_share`` of its
    seconds (:func:`~spasmwatch.eeg.decrements.quiet_shares`), one of
    :data:`CONTINUITIES` (ACNS 2021, see :data:`NEARLY_CONTINUOUS_SHARE`); None where it
    cannot be judged: no second to judge, or fewer than :data:`CONTINUITY_MIN_USABLE_S`
    usable seconds. Judged on the share as stored (three decimals), so that the words
    said from the stored result agree with the category.

    What the share measures, and where it differs from the terminology's visual reading:
    each second is the median channel's peak-to-peak amplitude on the longitudinal
    bipolar montage (the ACNS measures voltage peak-to-peak on it), with the seconds of
    artefact and the brief attenuations of a spasm left out
    (:func:`~spasmwatch.eeg.decrements.discontinuity_level`). "Attenuated" is below 55 %
    (``DECREMENT_RATIO``) of the upper quartile of those seconds, where the terminology
    says under 50 % of "the higher-voltage background"; "suppressed" is the median
    channel under 10 µV, where it says all activity (half of the channels may be louder
    here, and a noise floor counts as activity). Either counts only in a period of
    :data:`~spasmwatch.eeg.decrements.QUIET_MIN_S` (2) seconds or more in a row. A
    second is the unit: a period shorter than a second is not seen, and "no periods" of
    the continuous category is read as under 1 %. The bursts are not checked for the
    terminology's half-second and four phases. A background of very low voltage that
    hovers about 10 µV has its quietest seconds counted as suppressed; a
    burst-attenuation whose bursts fill less than a quarter of the seconds and whose
    inter-burst intervals stay above 10 µV reads as continuous (its upper quartile is
    the attenuation itself); and on a high-voltage recording whose loudest quarter is
    something else (seizures), the ordinary background counts as attenuated against it,
    where the terminology's "background" leaves such patterns out
    (``real_infant/demo.edf``: 40 %, discontinuous)."""
    if quiet_share is None or usable_s < CONTINUITY_MIN_USABLE_S:
        return None
    share = round(float(quiet_share), 3)
    if share >= 1.0:
        return "suppressed"
    if share >= BURST_SUPPRESSION_SHARE:
        return "burst_suppression"
    if share >= DISCONTINUOUS_SHARE:
        return "discontinuous"
    if share >= NEARLY_CONTINUOUS_SHARE:
        return "nearly_continuous"
    return "continuous"


def _region(name: str) -> str:
    """Scalp region of a channel (first electrode of a bipolar pair)."""
    e = name.split("-")[0]
    side = "midline" if e.endswith("z") else ("left" if int(e[-1]) % 2 else "right")
    lobe = {"Fp": "frontal", "F": "frontal", "C": "central", "T": "temporal", "P": "parietal"}
    letters = e.rstrip("0123456789z")
    return f"{side} {lobe.get(letters, 'occipital' if letters == 'O' else letters)}"


def assess_background(
    ef: EpochFeatures,
    sz_share: float | None = None,
    decrements_set_aside: Sequence[float] | None = None,
    sensitivity: str = "normal",
    attenuated: float | None = None,
    quiet: tuple[float | None, float | None] | None = None,
) -> Background:
    """Background measures, the BASED-like score and the hypsarrhythmia assessment.

    BASED-like score (after Mytinger et al. 2021; spike-wave index = share of usable
    1-s epochs with a spike on any artefact-free channel, in the worst 5 minutes, or the
    whole usable EEG when shorter):

    - 0: no spikes and amplitude p95 <= 200 µV
    - 1: no spikes but abnormal background (amplitude p95 > 200 µV)
    - 2: spike-wave index < 50 % and at most 2 spike foci
    - 3: spike-wave index < 50 % and 3 or more foci
    - 4: spike-wave index >= 50 % and at most 2 foci
    - 5: spike-wave index >= 50 % and 3 or more foci

    A spike focus is a scalp region (left/right/midline x lobe) that is the largest
    channel's region of at least one discharge per minute ([design]); a discharge seen
    on several channels counts once, at its largest channel.

    The assessment (``hypsarrhythmia_assessment``), on the usable EEG (seconds in which
    at least half of the channels are free of artefact):

    - ``cannot_assess`` when there are fewer than ``HYPS_MIN_USABLE_S`` (120) usable
      seconds or fewer than ``HYPS_MIN_CHANNELS`` (4) channels: too little to judge
      spike burden and multifocality; the reasons say why (never "no");
    - ``likely`` when all three hold: high amplitude (p95 > 200 µV; Hrachovy & Frost,
      J Clin Neurophysiol 2003), abundant spikes (spike-wave index >=
      ``HYPS_SPIKE_WAVE_INDEX``, 10 %) and multifocal (>= ``HYPS_MIN_FOCI``, 2, foci;
      the "multifocal" spikes of Hrachovy & Frost); or, the slow form of modified
      hypsarrhythmia (high-voltage slow activity with little spike activity; Hrachovy,
      Frost & Kellaway 1984), when the amplitude is very high (p95 >=
      ``HYPS_SLOW_FORM_UV``, 400 µV), mostly delta (delta fraction >=
      ``HYPS_SLOW_FORM_DELTA``, 0.75) and asynchronous (connectivity strength <
      ``HYPS_SLOW_FORM_MAX_CONNECTIVITY``, 0.45): the spike detector finds few of the
      spikes buried in such delta, and synchronous high-voltage delta is not this form;
      either form only when the amplitude lasts (``amplitude_uv_p25``, the 25th
      percentile over the usable seconds, >= ``HYPS_SUSTAINED_UV``, 100 µV);
    - ``unlikely`` otherwise, with the criteria that are missing.

    ``sz_share``, the share of the recording inside the seizure detector's ``sz`` events
    (when they are known), is kept with the measures: the reasons say when a likely
    hypsarrhythmia is marked as seizure. So are ``decrements_set_aside``, the onsets of
    the attenuations not counted as decrements because the background around them is
    discontinuous (:func:`~spasmwatch.eeg.decrements.decrement_events`): the reasons say
    how many there are and where the first is. ``attenuated``: the recording's
    attenuated share where the caller has it from the decrement rules
    (:attr:`~spasmwatch.eeg.decrements.Decrements.attenuated_share`), else judged here
    (:func:`~spasmwatch.eeg.decrements.attenuated_share`): the same number, judged once.
    ``quiet``: the shares of its seconds attenuated or suppressed, and suppressed, where
    the caller has them from the decrement rules
    (:attr:`~spasmwatch.eeg.decrements.Decrements.quiet_share` and
    :attr:`~spasmwatch.eeg.decrements.Decrements.suppressed_share`), else judged here
    (:func:`~spasmwatch.eeg.decrements.quiet_shares`); the continuity of the background
    (:func:`background_continuity`) rests on the first.

    ``HYPS_SPIKE_WAVE_INDEX`` is far below BASED's 50 % and ``HYPS_MIN_FOCI`` below
    BASED's 3 because the detector, tuned for few false spikes on normal EEG, finds only
    part of the spikes buried in high-voltage delta (a third to a half on the
    evaluation set); both were chosen on the tuning part of ``benchmarks/eeg_inject.py``
    ([design]), where spikes without high amplitude (a single focus, sharp transients of
    normal EEG) never made the assessment likely. Recordings shorter than the 5-minute
    BASED window are assessed on what they have, and the reasons say so.
    """
    good = ~ef.bad
    n_ep = ef.n_epochs
    with np.errstate(all="ignore"):
        chan_ptp = np.where(good, ef.ptp_uv, np.nan)
        per_epoch = nan_quantile(chan_ptp, 0.5, axis=0) if good.any() else np.zeros(1)
    usable = (good.mean(axis=0) >= 0.5) if ef.bad.shape[0] else np.zeros(n_ep, bool)
    usable_s = int(usable.sum())
    usable_minutes = max(usable_s / 60.0, 1e-9)
    sel = per_epoch[usable] if usable_s else per_epoch
    # the loudest seconds and how high it stays (p95, p25), one value each for the JSON,
    # the reasons and the verdict
    amp95, amp_lasting = (
        (round(float(v), 1) for v in np.nanpercentile(sel, [95, HYPS_SUSTAINED_PERCENTILE]))
        if np.isfinite(sel).any()
        else (0.0, 0.0)
    )
    delta = float(np.median(ef.delta_fraction[good])) if good.any() else 0.0
    times, focus = ef.discharges()
    ep = np.minimum(times.astype(int), max(n_ep - 1, 0))
    keep = usable[ep] if len(ep) else np.zeros(0, bool)
    times, focus, ep = times[keep], focus[keep], ep[keep]
    any_spike = np.zeros(n_ep, bool)
    any_spike[ep] = True
    # spike-wave index over the usable seconds: the worst 5 minutes of them
    seq = any_spike[usable]
    window = min(BASED_WINDOW_S, len(seq))
    if window:
        c = np.r_[0, np.cumsum(seq)]
        swi = float((c[window:] - c[:-window]).max() / window)
    else:
        swi = 0.0
    swi = round(swi, 3)  # as stored: the reasons said from it agree with the verdict
    rate = len(times) / usable_minutes if usable_s else 0.0
    regions: dict[str, int] = {}
    for ch in focus:
        r = _region(ef.channels[int(ch)])
        regions[r] = regions.get(r, 0) + 1
    foci = sum(1 for v in regions.values() if v / usable_minutes >= SPIKE_FOCUS_RATE_PER_MIN)
    abundant = swi >= BASED_ABUNDANT_SHARE
    if len(times) == 0:
        score = 1 if amp95 > HIGH_AMPLITUDE_UV else 0
    elif abundant:
        score = 5 if foci >= 3 else 4
    else:
        score = 3 if foci >= 3 else 2
    share = usable_s / n_ep if n_ep else 0.0
    n_ch = len(ef.channels)
    high = amp95 > HIGH_AMPLITUDE_UV
    spiky = swi >= HYPS_SPIKE_WAVE_INDEX
    multi = foci >= HYPS_MIN_FOCI
    markers = _iess_markers(ef, usable, amp95)
    # judged on the values as stored (rounded), so that the reasons said again from the
    # stored result agree with the verdict
    slow_form = (
        amp95 >= HYPS_SLOW_FORM_UV
        and round(delta, 3) >= HYPS_SLOW_FORM_DELTA
        and round(markers.get("connectivity_strength", 1.0), 3) < HYPS_SLOW_FORM_MAX_CONNECTIVITY
    )
    sustained = amp_lasting >= HYPS_SUSTAINED_UV
    if usable_s < HYPS_MIN_USABLE_S or n_ch < HYPS_MIN_CHANNELS:
        assessment = "cannot_assess"
    else:
        form = (high and spiky and multi) or slow_form
        assessment = "likely" if form and sustained else "unlikely"
    artefact: dict[str, float] = {}
    if ef.bad.size and ef.bad.any():
        artefact["all"] = float(ef.bad.mean())
        for name in ARTEFACT_KINDS:
            flags = getattr(ef, name)
            if flags.any():
                artefact[name] = float(flags.mean())
    mains = _frequency_and_share(ef.mains_hz)
    mains_notched = _frequency_and_share(ef.notched_hz)
    band, line_ratio = line_rule(sensitivity)
    noise_floor = _noise_floor(ef, band)
    limits = {**LIMITS, "decrement_line_ratio": line_ratio, "decrement_reads_band": float(band)}
    likely = {"likely": True, "unlikely": False}.get(assessment)
    quiet_share, suppressed_share = quiet_shares(ef) if quiet is None else quiet
    bg = Background(
        amp95, delta, rate, foci, score, likely, swi, [], assessment, usable_s, share,
        markers, recorded_s=int(n_ep), channels=n_ch,
        artefact_share=artefact, limits=limits, sz_share=sz_share, mains=mains,
        mains_notched=mains_notched, noise_floor=noise_floor,
        decrements_set_aside=None if decrements_set_aside is None else list(decrements_set_aside),
        attenuated_share=attenuated_share(ef) if attenuated is None else attenuated,
        amplitude_uv_p25=amp_lasting,
        continuity=background_continuity(quiet_share, usable_s),
        discontinuity_share=quiet_share, suppressed_share=suppressed_share,
    )  # fmt: skip
    # said from the stored measures, as a reader in another language will see them
    bg.reasons = background_reasons(bg.to_dict())
    return bg


def _frequency_and_share(hz: np.ndarray) -> dict[str, float]:
    """The commonest frequency of the channel-seconds of ``hz`` that have one (0: none)
    and their share; empty when none has."""
    on = hz > 0
    if not on.any():
        return {}
    values, counts = np.unique(hz[on], return_counts=True)
    return {"hz": float(values[counts.argmax()]), "share": float(on.mean())}


def _noise_floor(ef: EpochFeatures, band: bool = False) -> dict[str, float]:
    """The recording's noise floor: the median channel's (``uv``, µV RMS) and the median
    over channels of the share of the channel's usual line length (its median over the
    seconds free of artefact and muscle, as the decrement rules read it) that the floor
    alone makes: ``line_share`` of the line length the rules read (the whole band's, or
    with ``band`` the 2-12 Hz band's: high sensitivity), ``band_line_share`` of the 2-12
    Hz band's. Empty where the floor is not known.

    An electrodecrement attenuates the EEG but not this floor, and the decrement rules
    need the line length to fall under their line ratio of its baseline: from a
    ``line_share`` of that ratio on, even a complete attenuation of the EEG cannot pass
    (``benchmarks/eeg_noise.py``)."""
    whole, in_band = floor_line_shares(ef)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        uv = np.nanmedian(ef.floor_uv) if ef.floor_uv.size else np.nan
    share = in_band if band else whole
    if not (np.isfinite(share) and np.isfinite(uv)):
        return {}
    out = {"uv": float(uv), "line_share": share}
    if np.isfinite(in_band):
        out["band_line_share"] = in_band
    return out


def _iess_markers(ef: EpochFeatures, usable: np.ndarray, amp95: float) -> dict[str, float]:
    """The markers of Smith et al. (Epilepsy Res 2021;176:106704) over the usable seconds:
    amplitude (p95 of the median channel's peak-to-peak), median permutation and Shannon
    entropy of the artefact-free channel-seconds and median connectivity strength
    (:func:`~spasmwatch.eeg.features.iess_markers`); empty without usable EEG."""
    if not usable.any() or ef.perm_entropy.shape[0] == 0:
        return {}
    good = ~ef.bad & usable[None]
    return {
        "amplitude_uv_p95": float(amp95),
        "permutation_entropy": float(np.median(ef.perm_entropy[good])),
        "shannon_entropy": float(np.median(ef.amp_entropy[good])),
        "connectivity_strength": float(np.median(ef.connectivity[0, usable])),
    }
