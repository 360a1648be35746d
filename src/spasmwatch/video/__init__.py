"""Video analysis: find, time and clip spasm-like movements in a phone video.

Everything runs on this machine; nothing is uploaded. See ``docs/video.md``.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spasmwatch.video.analyze import analyze_video, analyze_video_levels, motion_signals
    from spasmwatch.video.chunks import MotionTraces
    from spasmwatch.video.detect import DETECTORS, SENSITIVITIES, detect_events, find_clusters
    from spasmwatch.video.events import MovementEvent, SpasmCluster
    from spasmwatch.video.motion import MotionExtractor, MotionSignals
    from spasmwatch.video.quality import assess_quality
    from spasmwatch.video.reader import VideoReader
    from spasmwatch.video.regions import locate_infant
    from spasmwatch.video.result import VideoAnalysis, VideoInfo
    from spasmwatch.video.statement import describe_video

# Imported on first use: reading a stored result (the web app, the report) needs neither
# OpenCV nor FFmpeg nor SciPy, which the analysis loads (about a second of start-up).
_HOMES = {
    "DETECTORS": "detect",
    "SENSITIVITIES": "detect",
    "MotionExtractor": "motion",
    "MotionSignals": "motion",
    "MotionTraces": "chunks",
    "MovementEvent": "events",
    "SpasmCluster": "events",
    "VideoAnalysis": "result",
    "VideoInfo": "result",
    "VideoReader": "reader",
    "analyze_video": "analyze",
    "analyze_video_levels": "analyze",
    "assess_quality": "quality",
    "describe_video": "statement",
    "detect_events": "detect",
    "find_clusters": "detect",
    "locate_infant": "regions",
    "motion_signals": "analyze",
}

__all__ = [
    "DETECTORS",
    "SENSITIVITIES",
    "MotionExtractor",
    "MotionSignals",
    "MotionTraces",
    "MovementEvent",
    "SpasmCluster",
    "VideoAnalysis",
    "VideoInfo",
    "VideoReader",
    "analyze_video",
    "analyze_video_levels",
    "assess_quality",
    "describe_video",
    "detect_events",
    "find_clusters",
    "locate_infant",
    "motion_signals",
]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(import_module(f"spasmwatch.video.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'spasmwatch.video' has no attribute {name!r}")
