"""What the decrement rules measure, second by second: the amplitude against its
baseline, the grids of 1-s windows, the median channel's level and the background's
discontinuity around a time, a fading onset, suppression and quiet runs, the line ratio
at a sensitivity and the share of the line length that the noise floor makes.

Apart from the rules themselves (:mod:`spasmwatch.eeg.decrements`), which judge each
candidate with these measures and hold the thresholds of their own judgement, so that
the rules read as rules.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.ndimage import median_filter

from spasmwatch.eeg.features import FLAT_UV, HUGE_UV, EpochFeatures, nan_quantile
from spasmwatch.sensitivity import check_sensitivity

#: A channel-second is attenuated below this share of the channel's last 10 s [design].
DECREMENT_RATIO = 0.55

#: The baseline each second is compared with: the median of the 10 s before it.
DECREMENT_BASELINE_S = 10

#: All activity attenuated: the line length under this share of its last 10 s [design].
DECREMENT_LINE_RATIO = 0.6

#: At high sensitivity, the line length of the signal band-passed to
#: :data:`~spasmwatch.eeg.features.DECREMENT_BAND_HZ` (2-12 Hz) under this share of its
#: last 10 s instead: a noise floor hardly weighs there, so a decrement is found on a
#: recording whose floor makes most of the whole band's line length, at the cost of more
#: brief quiet spells of the background taken for one. Chosen with the band on the tuning
#: parts of the decrement benchmarks (docs/benchmarks-history.md) [design].
DECREMENT_BAND_LINE_RATIO = 0.5

#: The minute before and after an event in which a discontinuous background is judged.
DECREMENT_CONTEXT_S = 60

#: Suppression: "all activity < 10 µV" (ACNS Standardized Critical Care EEG Terminology,
#: Hirsch et al., J Clin Neurophysiol 2021;38:1), read here as the median channel's
#: peak-to-peak amplitude in a second (:func:`suppressed_seconds`).
SUPPRESSION_UV = 10.0
#: A period of attenuation or suppression in the background's continuity
#: (:func:`quiet_shares`) lasts at least this many seconds: a continuous background's own
#: quieter single seconds (under half its upper quartile) are its variation, not periods;
#: a newborn's inter-burst intervals and a burst-suppression's suppressions last seconds
#: (ACNS neonatal terminology, Tsuchida et al., J Clin Neurophysiol 2013;30:161) [design].
QUIET_MIN_S = 2

#: Abrupt: in the ``DECREMENT_ONSET_S`` seconds before a shallow attenuation (and its
#: first second) the median channel reaches ``DECREMENT_ONSET_LEVEL`` of its baseline
#: at least once; shallow: its quietest second above ``DECREMENT_SHALLOW`` of that
#: baseline. Chosen on the tuning parts of the first two sets [design].
DECREMENT_ONSET_S = 2
DECREMENT_ONSET_LEVEL = 0.9
DECREMENT_SHALLOW = 0.4


@dataclass(frozen=True)
class _Grid:
    """What the rules read of one grid of 1-s windows, each (n_channels, n_windows):
    ``bad`` the artefact (the gate's), ``muscle`` the windows whose amplitude and line
    length the muscle makes (left out of the measures, not counted by the gate)."""

    ptp_uv: np.ndarray
    line_length: np.ndarray
    bad: np.ndarray
    muscle: np.ndarray

    @property
    def n_epochs(self) -> int:
        return self.ptp_uv.shape[1]


def _grid(ef: EpochFeatures, half: bool, band: bool = False) -> _Grid:
    """The 1-s epochs, or (``half``) the 1-s windows that start half a second later. A
    window of the second grid is artefact where either second it overlaps is, or where
    it is flat, huge or not held whole by the recording. ``band``: the line length is
    that of the band of high sensitivity (``EpochFeatures.band_line_length``)."""
    if not half:
        line = ef.band_line_length if band else ef.line_length
        return _Grid(ef.ptp_uv, line, ef.bad, ef.muscle)
    first = ef.bad
    bad = first.copy()
    bad[:, :-1] |= first[:, 1:]
    ptp = ef.half_ptp_uv
    with np.errstate(invalid="ignore"):
        bad |= ~np.isfinite(ptp) | (ptp < FLAT_UV) | (ptp > HUGE_UV)
    line = ef.half_band_line_length if band else ef.half_line_length
    return _Grid(np.nan_to_num(ptp), np.nan_to_num(line), bad, ef.half_muscle)


def _amplitude_ratio(ef: EpochFeatures | _Grid) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Peak-to-peak (NaN where artefact or muscle), its baseline (median of the preceding
    10 s per channel) and their ratio, each (n_channels, n_epochs)."""
    ptp = ef.ptp_uv.astype(np.float32).copy()
    ptp[ef.bad | ef.muscle] = np.nan
    if not np.isfinite(ptp).any():
        nan = np.full_like(ptp, np.nan)
        return ptp, nan, nan
    filled = np.where(np.isnan(ptp), np.nanmedian(ptp), ptp)
    n = DECREMENT_BASELINE_S
    # origin n//2 - 1 places the window on epochs t-9..t; shifting by one gives t-10..t-1
    win = median_filter(filled, size=(1, n), mode="nearest", origin=(0, n // 2 - 1))
    base = np.concatenate([win[:, :1], win[:, :-1]], axis=1)
    return ptp, base, ptp / np.maximum(base, 1e-3)


def decrement_index(ef: EpochFeatures) -> np.ndarray:
    """Attenuation of each epoch relative to the preceding 10 s, shape (n_epochs,).

    The median across artefact-free channels of (peak-to-peak / that channel's median
    peak-to-peak over the preceding 10 s): about 1 in a steady background, below 0.5 in an
    electrodecrement (``DECREMENT_RATIO``, [design]); NaN where no channel is usable.
    """
    if ef.ptp_uv.shape[0] == 0 or ef.n_epochs == 0:
        return np.full(ef.n_epochs, np.nan, dtype=np.float32)
    return nan_quantile(_amplitude_ratio(ef)[2], 0.5, axis=0)


def floor_line_shares(ef: EpochFeatures) -> tuple[float, float]:
    """The share of each channel's usual line length (its median over the seconds free of
    artefact and muscle) that its noise floor alone makes, the median over channels, of
    the whole band's line length and of the 2-12 Hz band's; NaN where not known. An
    electrodecrement attenuates the EEG but not this floor: from a share of a rule's line
    ratio on, even a complete attenuation of the EEG cannot pass it."""
    if ef.floor_line_length.size == 0 or not np.isfinite(ef.floor_line_length).any():
        return float("nan"), float("nan")
    muddied = ef.bad | ef.muscle
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)

        def share_of(floor: np.ndarray, line: np.ndarray) -> float:
            usual = np.nanmedian(np.where(muddied, np.nan, line), axis=1)
            return float(
                np.nanmedian(np.nanmedian(floor, axis=1) / np.where(usual > 0, usual, np.nan))
            )

        return (
            share_of(ef.floor_line_length, ef.line_length),
            share_of(ef.floor_band_line_length, ef.band_line_length),
        )


def suppressed_seconds(level: np.ndarray) -> np.ndarray:
    """Per second of ``level`` (the median channel's peak-to-peak amplitude, µV), whether
    it is suppressed: below :data:`SUPPRESSION_UV` (NaN: not)."""
    with np.errstate(invalid="ignore"):
        return np.asarray(level < SUPPRESSION_UV)


def _lasting(mask: np.ndarray, min_run: int) -> np.ndarray:
    """``mask`` (per second) kept only in runs of at least ``min_run`` seconds."""
    kept = np.zeros_like(mask, dtype=bool)
    padded = np.concatenate(([False], mask.astype(bool), [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        if stop - start >= min_run:
            kept[start:stop] = True
    return kept


def line_rule(sensitivity: str = "normal") -> tuple[bool, float]:
    """Whether the decrement rules read the 2-12 Hz band at ``sensitivity`` (``high``),
    and the line ratio they apply."""
    band = check_sensitivity(sensitivity) == "high"
    return band, _line_ratio(band)


def _line_ratio(band: bool) -> float:
    """The line ratio of the rule "all activity attenuated" on the 2-12 Hz band or the
    whole band."""
    return DECREMENT_BAND_LINE_RATIO if band else DECREMENT_LINE_RATIO


def _fading(level: np.ndarray, a: int, dur: int, onset_base: float) -> bool:
    """A shallow attenuation that the background sank into: the median channel's
    quietest window of the ``dur`` from ``a`` above ``DECREMENT_SHALLOW`` of
    ``onset_base``, and below ``DECREMENT_ONSET_LEVEL`` of it in each of the
    ``DECREMENT_ONSET_S`` windows before ``a`` and in ``a`` itself."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        before = np.nanmax(level[max(0, a - DECREMENT_ONSET_S) : a + 1])
        quietest = np.nanmin(level[a : a + max(dur, 1)])
    base = max(onset_base, 1e-3)
    return bool(quietest > DECREMENT_SHALLOW * base and before < DECREMENT_ONSET_LEVEL * base)


def _background_level(ef: EpochFeatures) -> np.ndarray:
    """The median channel's peak-to-peak amplitude in each of the recording's seconds
    (artefact left out; muscle kept: the discontinuity of the background is judged on
    what the recording shows, see :func:`decrement_candidates`)."""
    ptp = np.where(ef.bad, np.nan, ef.ptp_uv.astype(np.float32))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmedian(ptp, axis=0)


def _without(raw: np.ndarray, brief: np.ndarray) -> np.ndarray:
    """``raw`` with the seconds of ``brief`` unknown (NaN), or ``raw`` itself if none."""
    return np.where(brief, np.nan, raw) if brief.any() else raw


def _discontinuity(level: np.ndarray, a: int, b: int) -> float:
    """Share of the seconds of the minute before ``a`` and the minute after ``b`` in
    which ``level`` (the median channel's amplitude) is below ``DECREMENT_RATIO`` of its
    upper quartile over those seconds; 0 with fewer than 10 of them."""
    n = DECREMENT_CONTEXT_S
    around = np.r_[level[max(0, a - n) : a], level[b : b + n]]
    around = around[np.isfinite(around)]
    if len(around) < 10:
        return 0.0
    return float(np.mean(around < DECREMENT_RATIO * np.percentile(around, 75)))
