"""Seizure (``sz``) detection: the per-channel probability of either detector (the
Stevenson CNN or the logistic model) and the event rules on top (see
:mod:`spasmwatch.eeg.detect` for the methods and their sources)."""

from __future__ import annotations

import logging
from importlib import resources

import numpy as np

from spasmwatch.eeg.events import Event, _runs
from spasmwatch.eeg.features import EpochFeatures, nan_quantile
from spasmwatch.eeg.seizure_features import SZ_FEATURES
from spasmwatch.logistic import SENSITIVITY_LEVELS, LogisticModel, check_sensitivity

log = logging.getLogger("spasmwatch")


SZ_MIN_DURATION_S = 10.0


SZ_MERGE_GAP_S = 5.0


SZ_SENSITIVITIES: tuple[str, ...] = SENSITIVITY_LEVELS


SZ_DETECTORS: tuple[str, ...] = ("stevenson_cnn", "logistic")


# normal: the network's own decision point; low and high: provisional (see the docstring)
CNN_THRESHOLDS: dict[str, float] = {"low": 0.8, "normal": 0.5, "high": 0.3}


FEATURE_NAMES: tuple[str, ...] = tuple(SZ_FEATURES) + tuple(f"rel_{n}" for n in SZ_FEATURES)


def check_detector(detector: object) -> str:
    """The detector's name in :data:`SZ_DETECTORS` (``"cnn"`` is short for
    ``"stevenson_cnn"``), else a ``ValueError``."""
    name = "stevenson_cnn" if detector == "cnn" else detector
    if name not in SZ_DETECTORS:
        raise ValueError(
            "Invalid value for 'sz_detector': allowed are "
            f"{', '.join(SZ_DETECTORS)} (or cnn); got {detector!r}"
        )
    return str(name)


def threshold_for(
    sensitivity: str = "normal",
    detector: str = "stevenson_cnn",
    model: LogisticModel | None = None,
) -> float:
    """The probability threshold of ``sensitivity`` for ``detector``.

    ``stevenson_cnn``: :data:`CNN_THRESHOLDS`; ``logistic``: the model's own thresholds
    (``model``, default the shipped one; :meth:`LogisticModel.threshold_for`).
    """
    sensitivity = check_sensitivity(sensitivity)
    if check_detector(detector) == "stevenson_cnn":
        return CNN_THRESHOLDS[sensitivity]
    return (model or load_model()).threshold_for(sensitivity)


def _smooth_time(x: np.ndarray, n: int = 5) -> np.ndarray:
    """Centred moving mean over ``n`` epochs along the last axis, edges repeated."""
    if x.shape[-1] < 2 or n <= 1:
        return x
    pad = [(0, 0)] * (x.ndim - 1) + [(n // 2, n - 1 - n // 2)]
    c = np.cumsum(np.pad(x.astype(np.float64), pad, mode="edge"), axis=-1)
    c = np.concatenate([np.zeros((*x.shape[:-1], 1)), c], axis=-1)
    return ((c[..., n:] - c[..., :-n]) / n).astype(np.float32)


def window_inputs(window: np.ndarray, bad: np.ndarray) -> np.ndarray:
    """Model inputs from 8-s window features ``window`` (n_channels, n_epochs, n_features)
    and artefact flags ``bad`` (n_channels, n_epochs) of any set of channels: the features,
    then the same minus their median across the artefact-free channels (NaN where bad)."""
    x = window.astype(np.float32)  # a copy
    x[bad] = np.nan
    med = nan_quantile(x, 0.5, axis=0)[None]  # (1, n_epochs, n_features)
    return np.concatenate([x, x - med], axis=-1)


def seizure_features(ef: EpochFeatures) -> np.ndarray:
    """Model input of every channel-epoch, shape (n_channels, n_epochs, len(FEATURE_NAMES)).

    The 8-s window features of each channel (``EpochFeatures.sz_window``, see
    :func:`~spasmwatch.eeg.seizure_features.seizure_window_features`), then the same features
    minus their median across the artefact-free channels of that second (``rel_``): how
    much the channel stands out from the others, since neonatal seizures are mostly
    focal. Artefact channel-epochs are NaN.
    """
    if ef.sz_window.shape[0] == 0:
        return np.zeros((0, ef.n_epochs, len(FEATURE_NAMES)), np.float32)
    return window_inputs(ef.sz_window, ef.bad)


_BLOCK_EPOCHS = 3600  # epochs scored at a time, to bound memory on long recordings


def channel_probability(ef: EpochFeatures, model: LogisticModel | None = None) -> np.ndarray:
    """Seizure probability of each channel-epoch, shape (n_channels, n_epochs).

    One logistic model shared by all channels (Temko et al. 2011); artefact channel-epochs
    get 0. Computed an hour of epochs at a time (each second only needs its own
    channels), which bounds the memory on a day-long recording.
    """
    model = model or load_model()
    _check(model)
    n_ch, n_ep = ef.sz_window.shape[:2]
    out = np.zeros((n_ch, n_ep), np.float32)
    if n_ch == 0:
        return out
    for a in range(0, n_ep, _BLOCK_EPOCHS):
        b = min(n_ep, a + _BLOCK_EPOCHS)
        out[:, a:b] = score_inputs(model, window_inputs(ef.sz_window[:, a:b], ef.bad[:, a:b]))
    return out


def score_inputs(model: LogisticModel, x: np.ndarray) -> np.ndarray:
    """Probability of each channel-epoch of model inputs ``x`` (n_channels, n_epochs,
    n_features), as :func:`seizure_features` gives them; 0 where an input is missing."""
    p = model.predict_proba(x.reshape(-1, x.shape[-1])).reshape(x.shape[:2])
    return np.where(np.isnan(x).any(axis=-1), 0.0, p)


def _check(model: LogisticModel) -> None:
    if list(model.feature_names) != list(FEATURE_NAMES):
        raise ValueError(
            "Invalid model: its features must be FEATURE_NAMES in order "
            f"({len(FEATURE_NAMES)} names); got {len(model.feature_names)} names"
        )
    low = model.thresholds.get("low", model.threshold)
    high = model.thresholds.get("high", model.threshold)
    if set(model.thresholds) - {"low", "normal", "high"} or not (
        0.0 < high <= model.threshold <= low < 1.0
    ):
        raise ValueError(
            "Invalid model: thresholds must be 0 < high <= normal <= low < 1; got "
            f"high {high}, normal {model.threshold}, low {low}"
        )


def load_model() -> LogisticModel:
    """The shipped seizure model (``spasmwatch/eeg/sz_model.json``)."""
    text = resources.files("spasmwatch.eeg").joinpath("sz_model.json").read_text()
    model = LogisticModel.from_json(text)
    _check(model)
    return model


def seizure_probability(ef: EpochFeatures, model: LogisticModel | None = None) -> np.ndarray:
    """Seizure probability of each 1-s epoch: the highest channel probability of that
    second, averaged over the model's ``smooth_epochs`` seconds (centred)."""
    model = model or load_model()
    pch = channel_probability(ef, model)
    if pch.shape[0] == 0:
        return np.zeros(ef.n_epochs, np.float32)
    return second_probability(pch, model.smooth_epochs)


def second_probability(pch: np.ndarray, smooth: int) -> np.ndarray:
    """The highest of the channel probabilities ``pch`` (n_channels, n_epochs) of each
    second, averaged over ``smooth`` seconds (centred)."""
    return _smooth_time(pch.max(axis=0)[None], smooth)[0].astype(np.float32)


def seizure_runs(
    prob: np.ndarray,
    threshold: float,
    min_duration_s: float = SZ_MIN_DURATION_S,
    within: float | None = None,
) -> list[tuple[int, int]]:
    """Epoch ranges (start, end exclusive) of ``sz`` events: seconds with probability
    >= ``threshold`` form runs, runs at most 5 s apart are merged, and merged runs
    shorter than ``min_duration_s`` are dropped.

    ``within``: a lower threshold whose own events (the same rules) hold these. Runs
    that lie in one event at ``within`` are joined into one, from the first's start to
    the last's end. A stricter threshold can split one long seizure in two where the
    probability dips for more than 5 s; with ``within`` set to the next more sensitive
    level's threshold, the stricter level never gives more events than that level.
    """
    merged: list[list[int]] = []
    for a, b in _runs(prob >= threshold):
        if merged and a - merged[-1][1] <= SZ_MERGE_GAP_S:
            merged[-1][1] = b
        else:
            merged.append([a, b])
    runs = [(a, b) for a, b in merged if b - a >= min_duration_s]
    if within is None or within >= threshold or not runs:
        return runs
    joined: list[tuple[int, int]] = []
    outer = seizure_runs(prob, within, min_duration_s)
    for lo, hi in outer:
        inside = [(a, b) for a, b in runs if a >= lo and b <= hi]
        if inside:
            joined.append((inside[0][0], inside[-1][1]))
    return joined


def enclosing_threshold(
    sensitivity: str = "normal",
    detector: str = "stevenson_cnn",
    model: LogisticModel | None = None,
) -> float | None:
    """The threshold whose events hold ``sensitivity``'s (:func:`seizure_runs`'
    ``within``): ``normal``'s for ``low``, so that the fewer-false-alarms level never
    shows more ``sz`` events than the default; ``None`` for the other levels."""
    if check_sensitivity(sensitivity) != "low":
        return None
    return threshold_for("normal", detector, model)


def detect_seizures(
    ef: EpochFeatures,
    prob: np.ndarray,
    model: LogisticModel | None = None,
    threshold: float | None = None,
    min_duration_s: float = SZ_MIN_DURATION_S,
    *,
    channel_prob: np.ndarray | None = None,
    within: float | None = None,
) -> list[Event]:
    """Seizure (``sz``) events from per-second probabilities.

    Seconds with probability >= ``threshold`` (default: the logistic model's) form runs;
    runs closer than 5 s are merged; runs shorter than ``min_duration_s`` are dropped;
    runs inside one event at ``within`` are joined.
    Each event lists the channels whose mean channel probability over the event is at
    least 80 % of the most involved channel's (at most 4).

    Parameters
    ----------
    ef
        The epoch features (their channel names).
    prob
        Per-second probability, shape (n_epochs,).
    model
        The logistic model, used when ``threshold`` or ``channel_prob`` is missing.
    threshold
        Probability threshold.
    min_duration_s
        Shortest event, seconds.
    channel_prob
        Per channel-second probability of the detector that gave ``prob``, shape
        (n_channels, n_epochs); default: the logistic model's.
    within
        A lower threshold whose events hold these (:func:`seizure_runs`).

    Returns
    -------
    list of Event
    """
    thr = (model or load_model()).threshold if threshold is None else threshold
    runs = seizure_runs(prob, thr, min_duration_s, within)
    events = []
    pch = channel_prob
    if runs and pch is None:
        pch = channel_probability(ef, model)
    for a, b in runs:
        chans: tuple[str, ...] = ()
        if pch is not None and pch.shape[0]:
            per = pch[:, a:b].mean(axis=1)
            order = np.argsort(per)[::-1]
            best = per[order[0]]
            chans = tuple(ef.channels[i] for i in order[:4] if per[i] >= 0.8 * best)
        events.append(Event(float(a), float(b - a), "sz", float(prob[a:b].mean()), chans))
    return events
