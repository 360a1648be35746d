"""``analyze_video``: one decoding pass, motion, detection, and the outputs on request."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from spasmwatch.errors import AnalysisError
from spasmwatch.video.detect import (
    SENSITIVITIES,
    MovementEvent,
    SpasmCluster,
    detect_events,
    find_clusters,
)
from spasmwatch.video.motion import MotionExtractor, MotionSignals
from spasmwatch.video.reader import VideoInfo, VideoReader, working_size
from spasmwatch.video.regions import locate_infant

__all__ = ["VideoAnalysis", "analyze_video"]

log = logging.getLogger("spasmwatch")

#: Short side in pixels of the frames the motion is measured on.
ANALYSIS_SHORT_SIDE = 240
#: Short side in pixels of the frames kept for clips and contact sheets.
EXPORT_SHORT_SIDE = 360
#: Motion is measured at no more than this many frames per second.
MAX_ANALYSIS_RATE_HZ = 15.0

#: ``progress(done_s, total_s)`` is called as decoding goes on.
ProgressCallback = Callable[[float, float], None]


@dataclass
class VideoAnalysis:
    """The result of :func:`analyze_video`.

    Attributes
    ----------
    video
        What the file is (size, frame rate, frames, duration).
    events
        Movement events in time order.
    clusters
        Spasm clusters.
    signals
        The motion signals the events were found in.
    infant_mask
        Grid cells taken as the infant.
    sensitivity
        The sensitivity used.
    decode_s, analysis_s
        Seconds spent decoding and analysing (flow, detection).
    outputs
        Files written with ``out_dir`` (kind -> list of paths).
    """

    video: VideoInfo
    events: list[MovementEvent]
    clusters: list[SpasmCluster]
    signals: MotionSignals
    infant_mask: np.ndarray
    sensitivity: str
    decode_s: float
    analysis_s: float
    outputs: dict[str, list[str]] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        """Counts of events by kind and of clusters."""
        out = {
            kind: sum(e.kind == kind for e in self.events)
            for kind in ("spasm_like", "jerk", "rhythmic")
        }
        out["other"] = sum(e.kind == "other" for e in self.events)
        out["clusters"] = len(self.clusters)
        return out

    def to_dict(self) -> dict:
        """The JSON document of ``docs/analysis-outputs.md`` (video, version 1)."""
        v = self.video
        doc = {
            "video": {
                "path": v.path,
                "duration_s": round(v.duration_s, 2),
                "fps": round(v.fps, 3),
                "width": v.width,
                "height": v.height,
                "frames": v.frames,
            },
            "events": [e.to_dict() for e in self.events],
            "clusters": [c.to_dict() for c in self.clusters],
            "summary": self.summary(),
            "timings": {
                "decode_s": round(self.decode_s, 2),
                "analysis_s": round(self.analysis_s, 2),
            },
            "sensitivity": self.sensitivity,
        }
        if self.outputs:
            doc["outputs"] = self.outputs
        return doc


def analyze_video(
    path: str | Path,
    sensitivity: str = "normal",
    out_dir: str | Path | None = None,
    blur_faces: bool = False,
    progress: ProgressCallback | None = None,
) -> VideoAnalysis:
    """Find spasm-like movements and their clusters in a video file.

    Parameters
    ----------
    path
        The video (MP4, MOV, WebM, ... as recorded by a phone).
    sensitivity
        ``low``, ``normal`` or ``high``.
    out_dir
        When given, also write a clip per event, a contact sheet, a motion plot and
        ``analysis.json`` there (see :func:`spasmwatch.video.outputs.write_outputs`).
    blur_faces
        Blur faces found in the exported clips and contact sheet.
    progress
        Called with ``(seconds decoded, total seconds)`` during decoding.

    Returns
    -------
    VideoAnalysis

    Raises
    ------
    UnreadableFile
        If the file is not a readable video (not a video, truncated, no frames).
    AnalysisError
        If the video is too short to analyse (under one second).
    """
    if sensitivity not in SENSITIVITIES:
        allowed = ", ".join(SENSITIVITIES)
        raise ValueError(
            f"Invalid value for 'sensitivity': allowed are {allowed}; got {sensitivity!r}"
        )
    keep = out_dir is not None
    t_decode = 0.0
    t_analysis = 0.0
    kept: list[tuple[float, bytes]] = []
    with VideoReader(path, short_side=EXPORT_SHORT_SIDE if keep else ANALYSIS_SHORT_SIDE) as reader:
        info = reader.info
        stride = max(1, round(info.fps / MAX_ANALYSIS_RATE_HZ))
        size = working_size(info.width, info.height, ANALYSIS_SHORT_SIDE)
        extractor = MotionExtractor(size)
        frames = reader.frames(stride=stride)
        t0 = time.perf_counter()
        for t, frame in frames:
            t1 = time.perf_counter()
            t_decode += t1 - t0
            small = frame
            if keep:
                kept.append(
                    (t, cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes())
                )
                if (frame.shape[1], frame.shape[0]) != size:
                    small = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
            extractor.add(t, small)
            if progress is not None:
                progress(t, info.duration_s)
            t0 = time.perf_counter()
            t_analysis += t0 - t1
        t_decode += time.perf_counter() - t0
        info = reader.info
    t1 = time.perf_counter()
    signals = extractor.result()
    if len(signals.times_s) < 4 or info.duration_s < 1.0:
        raise AnalysisError(
            f"Video {path} is too short to analyse: {info.duration_s:.2f} s (at least 1 s needed)"
        )
    mask = locate_infant(signals.speed)
    events = detect_events(
        signals.speed,
        signals.flow_x,
        signals.flow_y,
        signals.times_s,
        signals.rate_hz,
        sensitivity=sensitivity,
        mask=mask,
    )
    clusters = find_clusters(events)
    t_analysis += time.perf_counter() - t1
    result = VideoAnalysis(
        video=info,
        events=events,
        clusters=clusters,
        signals=signals,
        infant_mask=mask,
        sensitivity=sensitivity,
        decode_s=t_decode,
        analysis_s=t_analysis,
    )
    if keep:
        from spasmwatch.video.outputs import write_outputs

        result.outputs = write_outputs(result, kept, Path(out_dir), blur_faces=blur_faces)
    if progress is not None:
        progress(info.duration_s, info.duration_s)
    return result
