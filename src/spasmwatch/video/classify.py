"""The learned spasm classifier: a logistic model over the measures of each movement.

The rule detector (:func:`~spasmwatch.video.detect.detect_events` with
``detector="rules"``) calls a burst ``spasm_like`` when every measure passes its own
threshold. The learned detector (the default) first finds the candidate movements with
the rules of the ``high`` sensitivity (so that a subtle spasm is not lost before it is
weighed), then weighs all their measures together in one logistic model: a spasm that
is weak in one measure and strong in the others is still found, and a movement that
passes each threshold only just is not. The probability is the event's ``score``; the
thresholds of ``low``, ``normal`` and ``high`` are the model's.

The model is fitted by ``benchmarks/video_train.py`` on the tuning sets of two scene
generators written separately (``spasmwatch.testing.video.render`` and ``render3d``)
and reported on their test sets, and across generators (trained on one, tested on the
other): ``docs/benchmarks.md``. Its parameters ship as ``spasm_model.json`` next to
this module.

Features (one row per candidate movement), each dimensionless so that it means the
same at any resolution, frame rate and infant size:

- the event's own measures (:class:`~spasmwatch.video.detect.MovementEvent`): duration
  (log), peak extent, axial spread at onset, onset sharpness (log), left-right
  symmetry, movement outside the infant, held posture, rigidity, rhythm, and whether it
  is confined to one end of the body (a head nod);
- its strength: the rise of the infant's mean speed over its rolling baseline, as a
  multiple of that baseline (log), and its peak speed against the video's own 95th
  percentile;
- the camera: its fastest movement during the event against its usual speed (a jolt
  moves everything at once), and the phone's share of the movement's flow;
- other explanations (:func:`explanation`): the whole infant shifted as one piece,
  something moved outside the infant, or the movement is mostly the phone's;
- its setting: how busy the infant was in the 2 s before and after (a spasm often
  starts from rest; fidgeting is busy throughout), and how many other movements of a
  spasm's duration lie within :data:`NEIGHBOUR_S` (spasms come in clusters, one every
  3-30 s; ILAE, epilepsydiagnosis.org "Epileptic spasms").
"""

from __future__ import annotations

import math
from dataclasses import replace
from functools import cache
from importlib import resources

import numpy as np

from spasmwatch.logistic import LogisticModel
from spasmwatch.video.features import rolling_baseline

__all__ = [
    "FEATURE_NAMES",
    "NEIGHBOUR_S",
    "burst_features",
    "explanation",
    "load_spasm_model",
    "veto_reason",
    "vetoed",
    "weigh_events",
]

FEATURE_NAMES: tuple[str, ...] = (
    "log_duration",
    "peak_extent",
    "spread",
    "log_sharpness",
    "symmetry",
    "outside_share",
    "hold_s",
    "rigidity",
    "rhythmic",
    "end_of_body",
    "log_strength",
    "camera",
    "busy_before",
    "busy_after",
    "log_neighbours",
    "relative_peak",
    "camera_share",
    "rigid_shift",
    "from_outside",
    "phone_motion",
)
#: Other movements this close (s) count as the event's neighbours. Spasms of a cluster
#: come one every 3-30 s; 30 s also stays inside the context that each window of
#: :mod:`~spasmwatch.video.chunks` is given on either side.
NEIGHBOUR_S = 30.0
#: Longer movements are bouts (kicking, feeding, being picked up), not candidates.
LONGEST_CANDIDATE_S = 6.0
_BASELINE_WINDOW_S = 20.0
_SETTING_S = 2.0
#: Three explanations other than a spasm, given to the model as measures (each 1 when it
#: is the first of the three that applies, else 0; :func:`explanation`). Until
#: 2026-12-06 they were vetoes the model could not overrule; weighed with the rest they
#: found more spasms at a better precision on the 3-D validation set (docs/benchmarks.md).
#: The whole infant shifted as one piece (rocked, pushed, picked up) when its rigidity
#: reached this ...
RIGID_SHIFT = 0.9
#: ... something came in from outside the infant (a hand, an object) when this share of
#: the cells well away from it moved beyond their usual level around the movement ...
FROM_OUTSIDE = 0.1
#: ... and the movement is mostly the phone's own when this share of its flow is the
#: phone's motion (:class:`~spasmwatch.video.features.CameraParallax`: the parallax of an
#: infant nearer the lens than the mattress when a handheld phone moves). On the 3-D
#: tuning set the movements at 0.15 and above were, all but two, false detections that
#: coincided with the phone's largest movements and no movement of the infant's joints.
PHONE_SHARE = 0.15


def vetoed(event) -> bool:
    """Whether a movement cannot be a spasm whatever its other measures: a bout longer
    than :data:`LONGEST_CANDIDATE_S` or a rhythmic (clonic-like) movement."""
    return bool(veto_reason(event))


def veto_reason(event) -> str:
    """Why :func:`vetoed` rules a movement out: ``long`` or ``rhythmic`` (the first that
    applies); empty when neither does."""
    if event.end_s - event.start_s > LONGEST_CANDIDATE_S:
        return "long"
    if event.rhythm_hz is not None:
        return "rhythmic"
    return ""


def explanation(event) -> str:
    """Another explanation of the movement, which the model weighs with its other
    measures: ``rigid`` (the whole infant shifted as one piece; a head nod moves its end
    rigidly and is not counted), ``outside`` (something moved outside the infant at the
    same time) or ``phone`` (mostly the phone's own motion); the first that applies, in
    that order; empty when none does."""
    if event.part == "body" and event.rigidity >= RIGID_SHIFT:
        return "rigid"
    if event.outside_share >= FROM_OUTSIDE:
        return "outside"
    return "phone" if getattr(event, "camera_share", 0.0) >= PHONE_SHARE else ""


@cache
def load_spasm_model() -> LogisticModel:
    """The shipped spasm model (``spasmwatch/video/spasm_model.json``)."""
    text = resources.files("spasmwatch.video").joinpath("spasm_model.json").read_text()
    model = LogisticModel.from_json(text)
    if tuple(model.feature_names) != FEATURE_NAMES:
        raise ValueError(
            "Invalid spasm model: its features must be FEATURE_NAMES in order; got "
            f"{len(model.feature_names)} names"
        )
    return model


def burst_features(
    events: list,
    energy: np.ndarray,
    extent: np.ndarray,
    times_s: np.ndarray,
    rate_hz: float,
    camera_speed: np.ndarray | None = None,
) -> np.ndarray:
    """The feature rows (:data:`FEATURE_NAMES`) of ``events``.

    Parameters
    ----------
    events
        :class:`~spasmwatch.video.detect.MovementEvent` s of one stretch of video.
    energy, extent
        The infant's mean speed and moving share per frame
        (:class:`~spasmwatch.video.regions.ActivityTraces`).
    times_s, rate_hz
        Frame times and rate of the traces.
    camera_speed
        The fitted camera motion per frame; without it the camera counts as steady.

    Returns
    -------
    numpy.ndarray
        Shape ``(len(events), len(FEATURE_NAMES))``.
    """
    n = len(events)
    out = np.zeros((n, len(FEATURE_NAMES)))
    if n == 0 or len(times_s) == 0:
        return out
    window = max(3, round(_BASELINE_WINDOW_S * rate_hz))
    ebase, _ = rolling_baseline(energy, window)
    xbase, _ = rolling_baseline(extent, window)
    cam = np.zeros(len(times_s)) if camera_speed is None else np.asarray(camera_speed, float)
    cam_usual = float(np.median(cam)) + 1e-3
    e95 = float(np.percentile(energy, 95)) + 1e-4
    starts = np.array([e.start_s for e in events])
    durs = np.array([e.end_s - e.start_s for e in events])
    spasm_long = (durs >= 0.3) & (durs <= 3.0)
    setting = max(1, round(_SETTING_S * rate_hz))
    last = len(times_s) - 1
    for k, e in enumerate(events):
        i0 = min(int(np.searchsorted(times_s, e.start_s)), last)
        i1 = min(max(i0 + 1, int(np.searchsorted(times_s, e.end_s))), len(times_s))
        strength = float((energy[i0:i1] - ebase[i0:i1]).max() / max(float(ebase[i0]), 1e-3))
        before = extent[max(0, i0 - setting) : i0]
        after = extent[i1 : i1 + setting]
        gap = np.abs(starts - e.start_s)
        neighbours = int(((gap <= NEIGHBOUR_S) & (gap > 0.5) & spasm_long).sum())
        why = explanation(e)
        out[k] = (
            np.log(max(e.end_s - e.start_s, 0.05)),
            e.peak_extent,
            e.spread,
            np.log1p(max(e.sharpness, 0.0)),
            e.symmetry,
            e.outside_share,
            min(e.hold_s, 3.0),
            e.rigidity,
            float(e.rhythm_hz is not None),
            float(e.part == "end"),
            np.log1p(max(strength, 0.0)),
            float(cam[i0:i1].max()) / cam_usual,
            float(before.mean() - xbase[i0]) if len(before) else 0.0,
            float(after.mean() - xbase[min(i1, last)]) if len(after) else 0.0,
            np.log1p(neighbours),
            float(energy[i0:i1].max()) / e95,
            getattr(e, "camera_share", 0.0),
            *(float(why == other) for other in ("rigid", "outside", "phone")),
        )
    return out


def weigh_events(
    events: list,
    features: np.ndarray,
    sensitivity: str,
    model: LogisticModel | None = None,
) -> list:
    """Events with kind and score decided by the model.

    A candidate whose probability reaches the threshold of ``sensitivity`` is
    ``spasm_like`` with that probability as its score. One below it keeps the rules'
    kind (``jerk``, ``rhythmic``, ``other``), and one the rules called ``spasm_like``
    becomes ``other``; its score is the probability too, rounded down to 3 decimals so
    that it never reads as reaching the threshold. A :func:`vetoed` movement (a long
    bout, a rhythm) is not counted and keeps the rules' score.
    """
    model = model or load_spasm_model()
    if not events:
        return []
    threshold = model.threshold_for(sensitivity)
    proba = model.predict_proba(features)
    out = []
    for e, p in zip(events, proba, strict=True):
        if vetoed(e):
            out.append(e if e.kind != "spasm_like" else replace(e, kind="other"))
        elif p >= threshold:
            out.append(replace(e, kind="spasm_like", score=round(float(p), 3)))
        else:
            # rounded down: a probability under the threshold is never stored as reaching it
            kind = "other" if e.kind == "spasm_like" else e.kind
            out.append(replace(e, kind=kind, score=math.floor(float(p) * 1000) / 1000))
    return out
