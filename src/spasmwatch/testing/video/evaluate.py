"""Scoring detected events against rendered ground truth, and a frame-differencing baseline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from scipy import ndimage

#: A detection matches a true spasm when their spans overlap, with this slack (s).
MATCH_SLACK_S = 0.3


@dataclass(frozen=True)
class Score:
    """Spasm-level counts of one or more videos."""

    true_spasms: int
    detected: int  # spasm-like detections
    matched: int  # true spasms found
    false: int  # spasm-like detections that match no true spasm
    minutes: float
    true_clusters: int = 0
    found_clusters: int = 0

    @property
    def recall(self) -> float:
        return self.matched / self.true_spasms if self.true_spasms else 1.0

    @property
    def precision(self) -> float:
        return (self.detected - self.false) / self.detected if self.detected else 1.0

    @property
    def false_per_min(self) -> float:
        return self.false / self.minutes if self.minutes else 0.0

    @property
    def cluster_recall(self) -> float:
        return self.found_clusters / self.true_clusters if self.true_clusters else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(*(getattr(self, f) + getattr(other, f) for f in self.__dataclass_fields__))


def match_spans(
    true: list[tuple[float, float]], spans: list[tuple[float, float]]
) -> tuple[set[int], int]:
    """Match detections to true spans one to one (overlap within :data:`MATCH_SLACK_S`).

    Returns the indices of the true spans found and the number of detections that
    match none.
    """
    used: set[int] = set()
    false = 0
    for a, b in sorted(spans):
        best = None
        for j, (s, e) in enumerate(true):
            if j not in used and a <= e + MATCH_SLACK_S and b >= s - MATCH_SLACK_S:
                best = j
                break
        if best is None:
            false += 1
        else:
            used.add(best)
    return used, false


def score(
    truth: Any,
    spans: list[tuple[float, float]],
    clusters: list[tuple[float, float]] | None = None,
) -> Score:
    """Score spasm-like detections ``spans`` (start, end) against ``truth``."""
    true = [(e.start_s, e.end_s) for e in truth.spasms]
    used, false = match_spans(true, spans)
    found = 0
    for s, e, _n in truth.clusters:
        if clusters and any(a <= e and b >= s for a, b in clusters):
            found += 1
    return Score(
        true_spasms=len(true),
        detected=len(spans),
        matched=len(used),
        false=false,
        minutes=truth.spec.duration_s / 60.0,
        true_clusters=len(truth.clusters),
        found_clusters=found,
    )


def frame_difference_spans(path: str | Path, rise: float = 0.15) -> list[tuple[float, float]]:
    """Plain frame differencing: the events a naive detector would report as spasms.

    The share of pixels whose grey level changes by more than 15 between frames,
    thresholded above a rolling median like the real detector, and every burst of
    0.3-3 s reported as a spasm.
    """
    cap = cv2.VideoCapture(str(path))
    fps = cap.get(cv2.CAP_PROP_FPS) or 15.0
    prev = None
    share = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        gray = cv2.cvtColor(cv2.resize(frame, (160, 120)), cv2.COLOR_BGR2GRAY).astype(np.int16)
        share.append(0.0 if prev is None else float((np.abs(gray - prev) > 15).mean()))
        prev = gray
    cap.release()
    x = np.asarray(share)
    base = ndimage.median_filter(x, size=int(20 * fps) | 1, mode="nearest")
    # The share of changed pixels in the whole picture is smaller than in the infant.
    above = x > base + rise * 0.25
    labels, _n = ndimage.label(above)
    spans = []
    for sl in ndimage.find_objects(labels):
        a, b = sl[0].start / fps, sl[0].stop / fps
        if b - a >= 0.2:
            spans.append((a, b))
    merged: list[tuple[float, float]] = []
    for a, b in spans:
        if merged and a - merged[-1][1] < 0.8 and b - merged[-1][0] <= 3.0:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return [(a, b) for a, b in merged if 0.3 <= b - a <= 3.0]
