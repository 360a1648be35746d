"""What a video analysis gives: :class:`VideoAnalysis` and the :class:`VideoInfo` of its
file, with the JSON document of ``docs/analysis-outputs.md``.

Kept apart from the analysis itself so that reading a stored result (the web app, the
report, a batch summary) loads NumPy only, not OpenCV, FFmpeg or SciPy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from spasmwatch.video.events import MovementEvent, SpasmCluster
from spasmwatch.video.statement import describe_video

if TYPE_CHECKING:
    from spasmwatch.video.chunks import MotionTraces

__all__ = ["SHEET_ROW_CUTS_KEY", "VideoAnalysis", "VideoInfo"]

#: The PNG text entry in which the contact sheet records where its rows of frames may be
#: cut apart (pixel rows from the top, comma-separated: 0, between each two rows, and the
#: height), so that a report can show each row at its full width
#: (:func:`spasmwatch.report.sheet.sheet_rows`).
SHEET_ROW_CUTS_KEY = "spasmwatch row cuts"


@dataclass(frozen=True)
class VideoInfo:
    """What a video file declares about itself, as displayed (rotation applied).

    Attributes
    ----------
    path
        The file, as given.
    duration_s
        Declared duration in seconds (after decoding: time of the last frame plus one
        frame interval).
    fps
        Average frame rate in frames per second.
    width, height
        Display size in pixels of the original video, after rotation.
    frames
        Number of frames (declared before decoding, counted after).
    rotation_deg
        Counter-clockwise rotation applied to the decoded pictures (0, 90, 180 or 270).
    codec
        The codec name, e.g. ``h264`` or ``hevc``.
    """

    path: str
    duration_s: float
    fps: float
    width: int
    height: int
    frames: int
    rotation_deg: int
    codec: str


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
    traces
        Per-frame motion traces of the whole video (for plots); None when read back from
        the JSON document (:meth:`from_dict`), which does not keep them.
    infant_mask
        Grid cells taken as the infant in the first window (a long video is analysed in
        windows of a few minutes, each finding the infant afresh); None when read back.
    quality
        The quality check (:func:`~spasmwatch.video.quality.assess_quality`).
    sensitivity
        The sensitivity used.
    decode_s, analysis_s
        Seconds spent waiting for decoded frames (decoding runs ahead in a thread) and
        analysing (flow, detection).
    outputs
        Files written with ``out_dir`` (kind -> list of paths).
    """

    video: VideoInfo
    events: list[MovementEvent]
    clusters: list[SpasmCluster]
    traces: MotionTraces | None
    infant_mask: np.ndarray | None
    quality: dict
    sensitivity: str
    decode_s: float
    analysis_s: float
    outputs: dict[str, list[str]] = field(default_factory=dict)
    #: ``learned`` or ``rules`` (:data:`~spasmwatch.video.detect.DETECTORS`).
    detector: str = "learned"

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
            "quality": self.quality,
            "timings": {
                "decode_s": round(self.decode_s, 2),
                "analysis_s": round(self.analysis_s, 2),
            },
            "sensitivity": self.sensitivity,
            "detector": self.detector,
        }
        doc["statement"] = describe_video(doc)
        if self.outputs:
            doc["outputs"] = self.outputs
        return doc

    @classmethod
    def from_dict(cls, doc: dict) -> VideoAnalysis:
        """The analysis back from its JSON document (:meth:`to_dict`), without the motion
        traces and the infant mask, which the document does not keep.

        Raises
        ------
        ValueError
            When ``doc`` is not a video analysis document (names what is missing).
        """
        try:
            v = doc["video"]
            info = VideoInfo(
                path=str(v["path"]),
                duration_s=float(v["duration_s"]),
                fps=float(v["fps"]),
                width=int(v["width"]),
                height=int(v["height"]),
                frames=int(v["frames"]),
                rotation_deg=int(v.get("rotation_deg", 0)),
                codec=str(v.get("codec", "")),
            )
            events = [MovementEvent(**e) for e in doc.get("events", [])]
            clusters = [SpasmCluster(**c) for c in doc.get("clusters", [])]
            timings = doc.get("timings", {})
            return cls(
                video=info,
                events=events,
                clusters=clusters,
                traces=None,
                infant_mask=None,
                quality=dict(doc.get("quality") or {}),
                sensitivity=str(doc.get("sensitivity", "normal")),
                decode_s=float(timings.get("decode_s", 0.0)),
                analysis_s=float(timings.get("analysis_s", 0.0)),
                outputs=dict(doc.get("outputs") or {}),
                detector=str(doc.get("detector", "learned")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"Not a video analysis document: {exc!r}") from None
