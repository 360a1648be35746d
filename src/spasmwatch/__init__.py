"""spasmwatch: local-first help for babies' brief movements.

The public API: the case format, triage, and the error hierarchy. The video and EEG
analysers live in :mod:`spasmwatch.video` and :mod:`spasmwatch.eeg` (imported on demand,
as they pull in OpenCV and MNE).
"""

from __future__ import annotations

__version__ = "0.1.0"

from spasmwatch.case import Case, Child, Episode, load_case, parse_case
from spasmwatch.errors import AnalysisError, InvalidCase, SpasmwatchError, UnreadableFile
from spasmwatch.triage import RULES, RULES_VERSION, TriageResult, triage

__all__ = [
    "RULES",
    "RULES_VERSION",
    "AnalysisError",
    "Case",
    "Child",
    "Episode",
    "InvalidCase",
    "SpasmwatchError",
    "TriageResult",
    "UnreadableFile",
    "__version__",
    "load_case",
    "parse_case",
    "triage",
]
