"""EEG analysis: read EDF/EDF+/BDF, measure hypsarrhythmia markers, detect events.

The public API: :func:`analyze_eeg` (the whole analysis of a file), :func:`read_recording`
(reading only) and the result classes. See ``docs/eeg.md``.
"""

from __future__ import annotations

from spasmwatch.eeg.analysis import EEGAnalysis, analyze_eeg
from spasmwatch.eeg.detect import Background, Event
from spasmwatch.eeg.features import EpochFeatures, compute_epoch_features, detect_spikes
from spasmwatch.eeg.reader import Annotation, Recording, normalise_label, read_recording

__all__ = [
    "Annotation",
    "Background",
    "EEGAnalysis",
    "EpochFeatures",
    "Event",
    "Recording",
    "analyze_eeg",
    "compute_epoch_features",
    "detect_spikes",
    "normalise_label",
    "read_recording",
]
