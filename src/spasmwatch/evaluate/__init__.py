"""Validation on a clinic's own labelled recordings: ``spasmwatch evaluate video|eeg``.

The recordings are analysed as by ``spasmwatch batch`` (Dask, resumable, failures
recorded) and the detections scored against the labels: event sensitivity, precision,
F1 and false detections per hour, per event type, recording and subject, every pooled
figure with a 95 % bootstrap interval over subjects, at each sensitivity (the operating
curve); for EEG also per-second kappa and MCC and hypsarrhythmia accuracy. See
``docs/evaluate.md``.
"""

from __future__ import annotations

from spasmwatch.evaluate.labels import LabelError, read_eeg_labels, read_video_labels
from spasmwatch.evaluate.run import Evaluation, EvaluationSettings, evaluate

__all__ = [
    "Evaluation",
    "EvaluationSettings",
    "LabelError",
    "evaluate",
    "read_eeg_labels",
    "read_video_labels",
]
