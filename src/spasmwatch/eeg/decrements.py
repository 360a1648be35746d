"""Electrodecremental events (``decrement``): an abrupt, diffuse fall of amplitude after
the high-voltage slow wave of an epileptic spasm (see :mod:`spasmwatch.eeg.detect`).

The measures the rules read (the amplitude ratio, the grids, the background's level and
discontinuity, suppression, the line length) are in :mod:`~spasmwatch.eeg.decrement_measures`
with their thresholds, and named here too; this module holds the rules that judge each
candidate and what they find.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np

from spasmwatch.eeg.decrement_measures import (  # noqa: F401
    DECREMENT_BAND_LINE_RATIO,
    DECREMENT_BASELINE_S,
    DECREMENT_CONTEXT_S,
    DECREMENT_LINE_RATIO,
    DECREMENT_ONSET_LEVEL,
    DECREMENT_ONSET_S,
    DECREMENT_RATIO,
    DECREMENT_SHALLOW,
    QUIET_MIN_S,
    SUPPRESSION_UV,
    _amplitude_ratio,
    _background_level,
    _discontinuity,
    _fading,
    _grid,
    _lasting,
    _line_ratio,
    _without,
    decrement_index,
    floor_line_shares,
    line_rule,
    suppressed_seconds,
)
from spasmwatch.eeg.events import Event, _runs
from spasmwatch.eeg.features import EpochFeatures
from spasmwatch.stats import nanmedian_rows

log = logging.getLogger("spasmwatch")

#: Diffuse: at least this share of the artefact-free channels attenuated [design].
DECREMENT_CHANNEL_SHARE = 0.6

#: An event lasts 1-10 s: a longer attenuation is something else (suppression, a lost
#: signal) [design].
DECREMENT_DURATION_S = (1.0, 10.0)

#: The artefact gate: at most this share of flagged channel-seconds around it [design].
DECREMENT_MAX_ARTEFACT = 0.25

#: The longer baseline that the attenuation must also be deep against (30 s).
DECREMENT_LONG_BASELINE_S = 30

#: Deep: the median channel under this share of its last 30 s [design].
DECREMENT_LONG_RATIO = 0.55

#: A background is discontinuous from this share of attenuated seconds over the whole
#: recording (:func:`attenuated_share`; ACNS: 10-49 % discontinuous; Hirsch et al., J Clin
#: Neurophysiol 2021;38:1): from there the 2-12 Hz rule's events are added at normal
#: sensitivity only when deep (:func:`decrement_events`), and at high the reasons say
#: that its quiet spells may be taken for decrements.
DISCONTINUOUS_SHARE = 0.10

#: On a recording attenuated in at least ``DISCONTINUOUS_SHARE`` but less than this share
#: of its seconds (the rules' own limit around an event, below), the 2-12 Hz rule's
#: events are added at low and normal sensitivity only when deep: the median channel's
#: amplitude at most ``DECREMENT_BAND_DEEP_RATIO`` of its baseline. A spasm's clusters
#: of decrements attenuate a recording by themselves, and the brief quiet spells of a
#: background are shallow. Chosen on the tuning part of the fifth set, whose
#: attenuations keep the noise floor (docs/benchmarks.md) [design].
DECREMENT_BAND_MAX_ATTENUATED = 0.4
DECREMENT_BAND_DEEP_RATIO = 0.3

#: Discontinuous from this share of attenuated seconds around it (ACNS: 10-49 %
#: discontinuous, 50 % burst-attenuation; chosen on the tuning part) [design].
DECREMENT_MAX_DISCONTINUITY = 0.4

#: The background's discontinuity (:func:`attenuated_share` and the rule around each
#: event) is judged without its brief attenuations, those that pass every rule of a
#: decrement but the discontinuous background (:func:`discontinuity_level`): a spasm's
#: own decrements are not the background's quiet spells. Unless their seconds make more
#: than this share of the usable seconds: then they are the background's own rhythm (the
#: inter-burst intervals of a tracé discontinu pass the other rules, and taken out of
#: their own discontinuity they were taken for decrements: 25 false ones on the fourth
#: set's tuning half became 75). Chosen on the tuning parts of the decrement benchmarks
#: (no limit or 0.2; docs/benchmarks.md) [design].
BRIEF_ATTENUATIONS_MAX_SHARE = 0.2

#: The second grid's windows start this long after the first grid's seconds [design].
HALF_GRID_S = 0.5


def detect_decrements(ef: EpochFeatures) -> list[Event]:
    """Electrodecremental events: an abrupt, diffuse attenuation lasting 1-10 s, on
    artefact-free EEG (the electrodecremental response that follows the high-voltage
    slow wave of a spasm: Fusco & Vigevano, Epilepsia 1993;34:671).

    An epoch is attenuated on a channel when its peak-to-peak amplitude is below
    ``DECREMENT_RATIO`` (0.55) times that channel's median over the preceding 10 s; a
    candidate is a run during which at least ``DECREMENT_CHANNEL_SHARE`` (60 %) of the
    artefact-free channels are attenuated (diffuse). Channel-seconds of muscle
    (``EpochFeatures.muscle``, :func:`~spasmwatch.eeg.features.muscle_seconds`: such as
    the spasm's own on a few electrodes, whose amplitude hides the attenuation under it)
    are left out of the share and of every measure below, as artefact is, but not
    counted by the gate nor left out of the discontinuity of the background. It is an
    event when:

    - the amplitude recovers (to ``DECREMENT_RATIO`` of the baseline before its onset)
      within 1-10 s (looked for from its second second: the first is attenuated on most
      channels by definition);
    - it passes the artefact gate: at most ``DECREMENT_MAX_ARTEFACT`` (25 %) of the
      channel-seconds from 3 s before to 1 s after it are flagged (flat or stuck,
      clipped, huge, electrode pop), so that an amplifier reset, a disconnected
      electrode or the aftermath of a pop is not taken for an attenuation; a channel
      flagged through the whole 10-s baseline (a dead electrode) is left out of the
      gate, as it is of the attenuation;
    - it is deep against the longer run of the background too: the median channel's
      amplitude during it is below ``DECREMENT_LONG_RATIO`` (0.55) of its median over
      the preceding ``DECREMENT_LONG_BASELINE_S`` (30 s), so that the low phase after a
      few seconds of high-voltage activity (a movement, a burst of a discontinuous
      background) is not an event;
    - all activity is attenuated, not only the slow waves: the median channel's line
      length (mean absolute slope, which the faster rhythms dominate) during it is below
      ``DECREMENT_LINE_RATIO`` (0.6) of its median over the preceding 10 s. The trough
      between two groups of waxing and waning high-voltage delta (as in deep sleep)
      lowers the peak-to-peak amplitude but leaves the faster background running; an
      electrodecrement attenuates the whole EEG ("diffuse attenuation of the
      background", Fusco & Vigevano 1993; low-voltage fast activity may ride on it);
    - it is abrupt or deep: an attenuation whose quietest second stays above
      ``DECREMENT_SHALLOW`` (40 %) of the baseline at its onset must follow activity at
      ``DECREMENT_ONSET_LEVEL`` (90 %) of that baseline within the ``DECREMENT_ONSET_S``
      (2 s) before it. The commonest ictal pattern of a spasm is a generalised
      high-voltage slow or sharp-slow wave followed by an abrupt attenuation (Kellaway et
      al., Ann Neurol 1979;6:214; Fusco & Vigevano 1993); a shallow
      attenuation that the median channel sank into over the seconds before is the
      background's own waxing and waning. A deep attenuation needs no such onset: on
      hypsarrhythmia the slow wave does not stand above the background;
    - the background around it is continuous: over the ``DECREMENT_CONTEXT_S`` (60 s)
      before its onset and the 60 s after its end, the median channel's amplitude is
      below ``DECREMENT_RATIO`` of its upper quartile there for less than
      ``DECREMENT_MAX_DISCONTINUITY`` (40 %) of the seconds. In a discontinuous
      background (the inter-burst intervals of preterm EEG, burst-suppression) every
      burst ends in an attenuation that is the background itself, not an event. The
      ACNS terminology calls a record discontinuous when 10-49 % of it is attenuated
      and burst-attenuation from 50 % (Hirsch et al., J Clin Neurophysiol 2021;38:1);
      40 % lies between the 28 % that clusters of decrements on waxing and waning
      hypsarrhythmia reached and the 52 % of the least discontinuous of the synthetic
      discontinuous backgrounds, on the tuning part. The seconds of the other brief
      attenuations that pass every rule but this one (a spasm's own cluster) are left
      out of those minutes unless they fill more than
      :data:`BRIEF_ATTENUATIONS_MAX_SHARE` of the recording
      (:func:`discontinuity_level`).

    The rules are applied on two grids of 1-s windows: the recording's seconds and the
    seconds that start ``HALF_GRID_S`` (0.5 s) later. An attenuation of 1-2 s that starts
    mid-second fills neither of the two seconds it straddles, whose peak-to-peak
    amplitude the half-second before or after it keeps high, but it fills a window of
    the other grid. An event of the second grid is added where no event of the first
    overlaps it. The discontinuity of the background is judged on the recording's
    seconds for both grids: the second grid's windows straddle the bursts' edges, so an
    inter-burst interval fills one window fewer there, and judged on its own windows it
    let through 12 of the 14 intervals (5 s every 9 s) that the seconds call a
    discontinuous background. Attenuations rejected
    only for the discontinuous background are set aside (:func:`decrement_events`) and
    the result says how many there are.

    At high sensitivity (:func:`decrement_events` with ``"high"``), the line length of
    the rule "all activity attenuated" is that of the 2-12 Hz band, under
    :data:`DECREMENT_BAND_LINE_RATIO` (0.5): a real recording's noise floor, which an
    electrodecrement leaves as it is, makes most of the whole band's line length at 256
    Hz and above, and hardly any of this band's.

    Thresholds **[design]**; the ratios, the share and the long baseline were chosen on
    the tuning part of ``benchmarks/eeg_inject.py``, the second grid and the onset rule on
    the tuning parts of the first and the held-out set. Confidence is 1 minus the median
    amplitude ratio.
    """
    return decrement_events(ef)[0]


#: The rule whose candidates are set aside rather than dropped (:func:`decrement_events`).
SET_ASIDE_RULE = "discontinuous background"


def _apart(events: list[Event], others: list[Event]) -> list[Event]:
    """``events`` that overlap none of ``others``."""
    return [
        e
        for e in events
        if not any(
            e.onset < o.onset + o.duration and o.onset < e.onset + e.duration for o in others
        )
    ]


@dataclass(frozen=True)
class Decrements:
    """What the decrement rules find in a recording (:func:`find_decrements`)."""

    #: The events of :func:`detect_decrements`.
    events: list[Event]
    #: The attenuations set aside: those that pass every rule but the last, the
    #: discontinuous background around them.
    set_aside: list[Event]
    #: The recording's share of attenuated seconds (:func:`attenuated_share`), on the
    #: discontinuity level the rules judged (:func:`discontinuity_level`).
    attenuated_share: float | None
    #: The shares of its seconds attenuated or suppressed, and suppressed, on that level
    #: (:func:`quiet_shares`): the continuity of the background.
    quiet_share: float | None = None
    suppressed_share: float | None = None


def decrement_events(
    ef: EpochFeatures, sensitivity: str = "normal"
) -> tuple[list[Event], list[Event]]:
    """The events and the attenuations set aside of :func:`find_decrements`."""
    found = find_decrements(ef, sensitivity)
    return found.events, found.set_aside


def find_decrements(ef: EpochFeatures, sensitivity: str = "normal") -> Decrements:
    """The events of :func:`detect_decrements`, the attenuations set aside (those that
    pass every rule but the last, the discontinuous background around them) and the
    recording's attenuated share, each judged once.

    ``sensitivity`` ``high`` reads the rule "all activity attenuated" from the line
    length of the 2-12 Hz band (:data:`DECREMENT_BAND_LINE_RATIO`, see
    :func:`line_rule`); ``low`` and ``normal`` from the whole band's, and, on a recording
    whose background is continuous (:func:`attenuated_share` under
    :data:`DISCONTINUOUS_SHARE`), add the events of the 2-12 Hz rule that overlap none
    of theirs (:func:`reads_band_too`): the band's line length finds the decrements that
    the noise floor or fast activity riding on the attenuation hide from the whole
    band's. On a recording attenuated a little more (:func:`reads_deep_band_events`),
    only the band's deep events are added.

    The discontinuity of the background, both the recording's share of attenuated
    seconds and the rule around each event, is judged without its brief attenuations
    (:func:`discontinuity_level`): the candidates of either band and grid that pass every
    rule but that one, a spasm's own decrements among them, unless they fill more than
    :data:`BRIEF_ATTENUATIONS_MAX_SHARE` of the recording (a cluster of spasms that
    dense, or the inter-burst intervals of a discontinuous background). Attenuations of
    a background judged discontinuous are set aside, not lost, so that the result can say
    they are there and the reader can look at the traces. Both lists merge the two grids
    (an event of the second where none of the first overlaps it), and no set-aside
    attenuation overlaps an event."""
    band = line_rule(sensitivity)[0]
    raw = _background_level(ef)
    cands = _all_candidates(ef, raw)
    background = _without(raw, _brief_seconds(raw, cands))
    if background is not raw:
        cands = {k: _rejudged(v, background) for k, v in cands.items()}

    def on(band: bool) -> tuple[list[Event], list[Event]]:
        first, second = cands[(band, False)], cands[(band, True)]

        def merged(rule: str | None) -> list[Event]:
            one = [e for e, why in first if why == rule]
            return one + _apart([e for e, why in second if why == rule], one)

        return merged(None), merged(SET_ASIDE_RULE)

    events, aside = on(band)
    share = attenuated_share(ef, background)
    added = None if band else _band_events_added(share)
    if added is not None:
        extra = _apart(on(True)[0], events)
        events = events + (extra if added == "all" else [e for e in extra if _deep_enough(e)])
    events = sorted(events, key=lambda e: e.onset)
    aside = sorted(_apart(aside, events), key=lambda e: e.onset)
    return Decrements(events, aside, share, *quiet_shares(ef, background))


#: The candidates of the four grids, keyed (2-12 Hz band, half-second grid).
_Candidates = dict[tuple[bool, bool], list[tuple[Event, str | None]]]


def _all_candidates(ef: EpochFeatures, raw: np.ndarray) -> _Candidates:
    """The candidates of the whole band's rules and of the 2-12 Hz band's, on both grids,
    with the discontinuity judged on ``raw`` (:func:`_background_level`)."""
    return {
        (band, half): _candidates(ef, half=half, background=raw, band=band)
        for band in (False, True)
        for half in (False, True)
    }


def _brief_seconds(raw: np.ndarray, cands: _Candidates) -> np.ndarray:
    """Per second of the recording, whether it lies in a brief attenuation: a candidate
    of ``cands`` that passes every rule but the discontinuous background (from the first
    second it touches to the last); none where their seconds make more than
    :data:`BRIEF_ATTENUATIONS_MAX_SHARE` of the usable seconds of ``raw``."""
    brief = np.zeros(len(raw), dtype=bool)
    for found in cands.values():
        for e, why in found:
            if why in (None, SET_ASIDE_RULE):
                brief[int(np.floor(e.onset)) : int(np.ceil(e.onset + e.duration))] = True
    if brief.sum() > BRIEF_ATTENUATIONS_MAX_SHARE * np.isfinite(raw).sum():
        brief[:] = False
    return brief


def _rejudged(
    found: list[tuple[Event, str | None]], background: np.ndarray
) -> list[tuple[Event, str | None]]:
    """``found`` with the discontinuity around each candidate that passes every other
    rule judged again on ``background``."""
    out = []
    for e, why in found:
        if why in (None, SET_ASIDE_RULE):
            a = int(np.floor(e.onset))
            broken = _discontinuity(background, a, a + int(e.duration))
            why = SET_ASIDE_RULE if broken >= DECREMENT_MAX_DISCONTINUITY else None
        out.append((e, why))
    return out


def discontinuity_level(ef: EpochFeatures) -> np.ndarray:
    """The median channel's amplitude in each second (:func:`_background_level`) on which
    the background's discontinuity is judged: its brief attenuations, which pass every
    rule of a decrement but the discontinuous background on either grid and in either
    band (a spasm's own decrements), left out (NaN), unless they make more than
    :data:`BRIEF_ATTENUATIONS_MAX_SHARE` of the usable seconds."""
    raw = _background_level(ef)
    return _without(raw, _brief_seconds(raw, _all_candidates(ef, raw)))


def attenuated_share(ef: EpochFeatures, background: np.ndarray | None = None) -> float | None:
    """Share of the seconds in which the median channel's amplitude (artefact left out) is
    below ``DECREMENT_RATIO`` of its upper quartile over the recording: the measure of a
    discontinuous background that the rules apply around each event, over the whole
    recording, without its brief attenuations (:func:`discontinuity_level`: a spasm's own
    decrements do not make a background discontinuous). None without a usable second.
    ``background``: :func:`discontinuity_level` of ``ef`` where the caller has it."""
    level = discontinuity_level(ef) if background is None else background
    level = level[np.isfinite(level)]
    if len(level) == 0:
        return None
    return float(np.mean(level < DECREMENT_RATIO * np.percentile(level, 75)))


def quiet_shares(
    ef: EpochFeatures, background: np.ndarray | None = None
) -> tuple[float | None, float | None]:
    """The shares of the seconds judged (those of :func:`discontinuity_level` with a
    value: artefact and the brief attenuations left out) that are quiet, attenuated as
    :func:`attenuated_share` counts them or suppressed (:func:`suppressed_seconds`), and
    that are suppressed; (None, None) without a second to judge. ``background``:
    :func:`discontinuity_level` of ``ef`` where the caller has it.

    The ACNS terminology counts both in a background's discontinuity: "attenuation", lower
    voltage that is at least 10 µV but under 50 % of the higher-voltage background, and
    "suppression", all activity under 10 µV (Hirsch et al., J Clin Neurophysiol
    2021;38:1). :func:`attenuated_share` alone compares each second with the upper
    quartile of the recording's seconds, so it cannot see the suppression that most of a
    recording is made of (from 75 % of quiet seconds on, that quartile is the
    suppression itself: a burst-suppression with bursts in a tenth of the seconds reads
    as continuous there), and never reaches 100 %; the absolute 10 µV counts those
    seconds. A quiet second counts only within a period of :data:`QUIET_MIN_S` or more
    quiet seconds in a row."""
    level = discontinuity_level(ef) if background is None else background
    judged = np.isfinite(level)
    if not judged.any():
        return None, None
    suppressed = suppressed_seconds(level) & judged
    with np.errstate(invalid="ignore"):
        attenuated = level < DECREMENT_RATIO * np.percentile(level[judged], 75)
    quiet = _lasting(attenuated | suppressed, QUIET_MIN_S)
    n = int(judged.sum())
    return float(quiet.sum() / n), float((quiet & suppressed).sum() / n)


def reads_band_too(ef: EpochFeatures, background: np.ndarray | None = None) -> bool:
    """Whether the rules at ``low`` and ``normal`` sensitivity add the 2-12 Hz rule's
    events: the recording's background is continuous (attenuated in less than
    :data:`DISCONTINUOUS_SHARE` of its seconds), so that its brief quiet spells are few.
    There the band finds the decrements that the noise floor (which an electrodecrement
    does not attenuate) or fast activity on the attenuation hide from the whole band's
    line length. Chosen on the tuning parts of the decrement benchmarks, the fifth set's
    among them, whose attenuations keep the floor (docs/benchmarks.md) [design]."""
    return _band_events_added(attenuated_share(ef, background)) == "all"


def reads_deep_band_events(ef: EpochFeatures, background: np.ndarray | None = None) -> bool:
    """Whether the rules at ``low`` and ``normal`` sensitivity add the 2-12 Hz rule's
    deep events only (:data:`DECREMENT_BAND_DEEP_RATIO`): the recording is attenuated in
    at least :data:`DISCONTINUOUS_SHARE` but less than
    :data:`DECREMENT_BAND_MAX_ATTENUATED` of its seconds."""
    return _band_events_added(attenuated_share(ef, background)) == "deep"


def _band_events_added(share: float | None) -> str | None:
    """Which of the 2-12 Hz rule's events the rules at ``low`` and ``normal`` sensitivity
    add on a recording attenuated in ``share`` of its seconds (:func:`attenuated_share`):
    ``all`` under :data:`DISCONTINUOUS_SHARE`, ``deep`` from there to
    :data:`DECREMENT_BAND_MAX_ATTENUATED`, None otherwise or unknown."""
    if share is None or share >= DECREMENT_BAND_MAX_ATTENUATED:
        return None
    return "all" if share < DISCONTINUOUS_SHARE else "deep"


def _deep_enough(event: Event) -> bool:
    """The event's median channel is at most :data:`DECREMENT_BAND_DEEP_RATIO` of its
    baseline (its confidence is one less that ratio)."""
    return 1.0 - event.confidence <= DECREMENT_BAND_DEEP_RATIO


def decrement_candidates(
    ef: EpochFeatures,
    half: bool = False,
    background: np.ndarray | None = None,
    band: bool = False,
) -> list[tuple[Event, str | None]]:
    """Every attenuation run of :func:`detect_decrements` on the grid of the recording's
    seconds (or, with ``half``, of the 1-s windows that start half a second later, onsets
    in the recording's time) with the rule that rejects it (``None`` for an event):
    ``"duration"``, ``"artefact"``, ``"not deep"``, ``"fast activity goes on"``,
    ``"background fading"`` or ``"discontinuous background"``. ``background`` is
    :func:`discontinuity_level` of ``ef`` where the caller has it already (the level on
    which the discontinuity is judged, without the brief attenuations); ``band``: the
    line length of the 2-12 Hz band at :data:`DECREMENT_BAND_LINE_RATIO` (high
    sensitivity)."""
    if background is None:
        background = discontinuity_level(ef)
    return _candidates(ef, half, background, band)


def _candidates(
    ef: EpochFeatures, half: bool, background: np.ndarray, band: bool
) -> list[tuple[Event, str | None]]:
    """:func:`decrement_candidates`, the discontinuity judged on ``background``."""
    grid = _grid(ef, half, band)
    line_ratio = _line_ratio(band)
    shift = HALF_GRID_S if half else 0.0
    n = grid.n_epochs
    if n <= DECREMENT_BASELINE_S or grid.ptp_uv.shape[0] == 0:
        return []
    ptp, base, ratio = _amplitude_ratio(grid)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        # the share of the artefact-free channels (NaN ratio: artefact, left out)
        share = np.nanmean(np.where(np.isnan(ratio), np.nan, ratio < DECREMENT_RATIO), axis=0)
    share[:DECREMENT_BASELINE_S] = 0
    share = np.nan_to_num(share, nan=0.0)
    # the background's discontinuity is the background's, whichever grid the candidate
    # is on: judged on the recording's seconds for both, and with the muscle kept in
    # (left out there, the loud bursts of a discontinuous background, whose broadband
    # activity can pass for muscle, no longer stood out from its quiet intervals)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        level = np.nanmedian(ptp, axis=0)  # amplitude of the median channel per window
    bad = grid.bad
    ll = np.where(bad | grid.muscle, np.nan, grid.line_length.astype(np.float32))
    out: list[tuple[Event, str | None]] = []
    for a, _ in _runs(share >= DECREMENT_CHANNEL_SHARE):
        # the event lasts until the amplitude recovers relative to the baseline before
        # its onset (the rolling baseline would slowly adapt to a long attenuation)
        onset_base = float(np.nanmedian(base[:, a]))
        # the candidate's first second is attenuated on most channels by definition: the
        # recovery is looked for from the next one
        later = level[a + 1 : a + int(DECREMENT_DURATION_S[1]) + 1]
        recovered = np.flatnonzero(later >= DECREMENT_RATIO * onset_base)
        dur = int(recovered[0]) + 1 if len(recovered) else int(DECREMENT_DURATION_S[1]) + 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            conf = 1.0 - float(np.nanmedian(ratio[:, a : a + max(dur, 1)]))
            long_base = nanmedian_rows(ptp[:, max(0, a - DECREMENT_LONG_BASELINE_S) : a])
            deep = float(np.nanmedian(nanmedian_rows(ptp[:, a : a + max(dur, 1)]) / long_base))
            ll_base = nanmedian_rows(ll[:, max(0, a - DECREMENT_BASELINE_S) : a])
            ll_now = nanmedian_rows(ll[:, a : a + max(dur, 1)])
            line = float(np.nanmedian(ll_now / np.maximum(ll_base, 1e-3)))
        event = Event(float(a) + shift, float(max(dur, 1)), "decrement", max(0.0, conf), ())
        # a channel that was artefact through the whole baseline (a dead electrode, a
        # loose cap) says nothing about this event: the gate judges the others
        in_play = ~bad[:, max(0, a - DECREMENT_BASELINE_S) : a].all(axis=1)
        gate = bad[in_play, max(0, a - 3) : min(n, a + dur + 1)]
        if not DECREMENT_DURATION_S[0] <= dur <= DECREMENT_DURATION_S[1]:
            why: str | None = "duration"
        elif not gate.size or gate.mean() > DECREMENT_MAX_ARTEFACT:
            why = "artefact"
        elif not deep < DECREMENT_LONG_RATIO:
            why = "not deep"
        elif not line < line_ratio:
            why = "fast activity goes on"
        elif _fading(level, a, dur, onset_base):
            why = "background fading"
        elif _discontinuity(background, a, a + dur) >= DECREMENT_MAX_DISCONTINUITY:
            why = "discontinuous background"
        else:
            why = None
        out.append((event, why))
    return out
