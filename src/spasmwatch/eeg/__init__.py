"""EEG analysis: read EDF/EDF+/BDF, measure hypsarrhythmia markers, detect events.

The public API: :func:`analyze_eeg` (the whole analysis of a file), :func:`read_recording`
(reading only) and the result classes. See ``docs/eeg.md``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spasmwatch.eeg.analysis import analyze_eeg
    from spasmwatch.eeg.events import Event
    from spasmwatch.eeg.features import EpochFeatures, compute_epoch_features, detect_spikes
    from spasmwatch.eeg.reader import Annotation, Recording, normalise_label, read_recording
    from spasmwatch.eeg.result import Background, EEGAnalysis

# Imported on first use: a web process that only pages through traces or reads stored
# results does not load SciPy's signal processing (about 2 s of start-up).
_HOMES = {
    "EEGAnalysis": "result",
    "analyze_eeg": "analysis",
    "Background": "result",
    "Event": "events",
    "EpochFeatures": "features",
    "compute_epoch_features": "features",
    "detect_spikes": "features",
    "Annotation": "reader",
    "Recording": "reader",
    "normalise_label": "reader",
    "read_recording": "reader",
}

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


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(f"spasmwatch.eeg.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'spasmwatch.eeg' has no attribute {name!r}")
