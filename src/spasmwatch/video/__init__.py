"""Video analysis: find, time and clip spasm-like movements in a phone video.

Everything runs on this machine; nothing is uploaded. See ``docs/video.md``.
"""

from __future__ import annotations

from spasmwatch.video.analyze import (
    VideoAnalysis,
    analyze_video,
    analyze_video_levels,
    motion_signals,
)
from spasmwatch.video.chunks import MotionTraces
from spasmwatch.video.detect import (
    DETECTORS,
    SENSITIVITIES,
    MovementEvent,
    SpasmCluster,
    detect_events,
    find_clusters,
)
from spasmwatch.video.motion import MotionExtractor, MotionSignals
from spasmwatch.video.quality import assess_quality, describe_video
from spasmwatch.video.reader import VideoInfo, VideoReader
from spasmwatch.video.regions import locate_infant

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
