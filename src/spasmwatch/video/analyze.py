"""``analyze_video``: one decoding pass for the motion, detection window by window, the
quality check, and on request a second short pass for the clips."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from spasmwatch.errors import AnalysisError
from spasmwatch.i18n import N_
from spasmwatch.video.chunks import ChunkedDetection
from spasmwatch.video.detect import (
    DETECTORS,
    SENSITIVITIES,
    find_clusters,
)
from spasmwatch.video.motion import MotionExtractor, MotionSignals
from spasmwatch.video.prefetch import prefetched
from spasmwatch.video.quality import assess_quality
from spasmwatch.video.reader import VideoInfo, VideoReader, working_size
from spasmwatch.video.result import VideoAnalysis

__all__ = [
    "CANNOT_ANALYSE",
    "CANNOT_ANALYSE_REASONS",
    "VideoAnalysis",
    "analyze_video",
    "analyze_video_levels",
    "motion_signals",
]

log = logging.getLogger("spasmwatch")

#: What a message about a video that cannot be analysed starts with (before ": <why>").
CANNOT_ANALYSE = N_("Video %(path)s")
#: Why a readable video cannot be analysed, said after "Video <path>: ": catalog messages
#: with ``%(name)s`` placeholders, as the reader's ``UNREADABLE_REASONS``
#: (``spasmwatch.file_reasons`` says a stored message in a page's or the terminal's
#: language).
_TOO_SHORT = N_("too short to analyse (%(duration_s)s s; at least %(min_s)s s needed)")
CANNOT_ANALYSE_REASONS: tuple[str, ...] = (_TOO_SHORT,)

#: Short side in pixels of the frames the motion is measured on.
ANALYSIS_SHORT_SIDE = 240
#: Motion is measured at no more than this many frames per second.
MAX_ANALYSIS_RATE_HZ = 15.0

#: ``progress(done_s, total_s)`` is called as decoding goes on.
ProgressCallback = Callable[[float, float], None]


def _check_sensitivity(sensitivity: str) -> None:
    if sensitivity not in SENSITIVITIES:
        allowed = ", ".join(SENSITIVITIES)
        raise ValueError(
            f"Invalid value for 'sensitivity': allowed are {allowed}; got {sensitivity!r}"
        )


def _decode_motion(
    path: str | Path,
    progress: ProgressCallback | None,
    consumer: Callable[[MotionExtractor], Callable[[float], None]] | None = None,
) -> tuple[VideoInfo, MotionExtractor, float, float]:
    """One decoding pass into a :class:`MotionExtractor`.

    ``consumer(extractor)``, when given, is called once the frame size is known and
    returns a callback that is called with each frame's time after the frame is added.
    Frames are decoded in a thread ahead of the motion
    (:func:`~spasmwatch.video.prefetch.prefetched`).
    Returns the info, the extractor, the seconds spent waiting for decoded frames and
    the seconds spent on the rest."""
    t_decode = 0.0
    t_analysis = 0.0
    with VideoReader(path, short_side=ANALYSIS_SHORT_SIDE) as reader:
        info = reader.info
        stride = max(1, round(info.fps / MAX_ANALYSIS_RATE_HZ))
        size = working_size(info.width, info.height, ANALYSIS_SHORT_SIDE)
        extractor = MotionExtractor(size)
        on_frame = consumer(extractor) if consumer is not None else None
        frames = prefetched(reader.frames(stride=stride))
        t0 = time.perf_counter()
        # closed here, whatever happens: the decoding thread stops before the file does
        with contextlib.closing(frames):
            for t, frame in frames:
                t1 = time.perf_counter()
                t_decode += t1 - t0
                if (frame.shape[1], frame.shape[0]) != size:
                    frame = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
                extractor.add(t, frame)
                if on_frame is not None:
                    on_frame(t)
                if progress is not None:
                    progress(t, info.duration_s)
                t0 = time.perf_counter()
                t_analysis += t0 - t1
        t_decode += time.perf_counter() - t0
        info = reader.info
    if extractor.count < 4 or info.duration_s < 1.0:
        why = _TOO_SHORT % {"duration_s": f"{info.duration_s:.2f}", "min_s": 1}
        raise AnalysisError(f"{CANNOT_ANALYSE % {'path': path}}: {why}")
    return info, extractor, t_decode, t_analysis


def motion_signals(path: str | Path) -> tuple[VideoInfo, MotionSignals]:
    """Decode a video and return its whole motion signals (for benchmarks and research).

    Unlike :func:`analyze_video`, this holds the per-cell motion of every frame in
    memory (a few megabytes a minute): use it on clips of a few minutes.
    """
    info, extractor, _d, _a = _decode_motion(path, None)
    return info, extractor.result()


def analyze_video(
    path: str | Path,
    sensitivity: str = "normal",
    out_dir: str | Path | None = None,
    blur_faces: bool = False,
    progress: ProgressCallback | None = None,
    detector: str = "learned",
) -> VideoAnalysis:
    """Find spasm-like movements and their clusters in a video file.

    The video is decoded once for the motion; events are found window by window
    (:mod:`~spasmwatch.video.chunks`), so memory does not grow with the video's length.
    With ``out_dir``, a second short pass decodes only the seconds around the events
    for the clips and the contact sheet.

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
    detector
        ``learned`` (the default: rule candidates weighed by the logistic model of
        :mod:`~spasmwatch.video.classify`) or ``rules``.

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
    result = analyze_video_levels(path, (sensitivity,), detector, progress)[sensitivity]
    if out_dir is not None:
        from spasmwatch.video.outputs import write_outputs

        result.outputs = write_outputs(result, Path(out_dir), blur_faces=blur_faces)
    if progress is not None:
        progress(result.video.duration_s, result.video.duration_s)
    return result


def analyze_video_levels(
    path: str | Path,
    sensitivities: tuple[str, ...] = tuple(SENSITIVITIES),
    detector: str = "learned",
    progress: ProgressCallback | None = None,
) -> dict[str, VideoAnalysis]:
    """:func:`analyze_video` at several sensitivities from one decoding pass.

    The motion is measured once; detection runs once per sensitivity on the same motion,
    so each result is the one :func:`analyze_video` gives at that sensitivity (used to
    draw an operating curve without decoding a video three times).

    Returns
    -------
    dict
        Sensitivity -> :class:`VideoAnalysis` (no outputs written).
    """
    if not sensitivities:
        raise ValueError("Invalid value for 'sensitivities': give at least one")
    for sensitivity in sensitivities:
        _check_sensitivity(sensitivity)
    if detector not in DETECTORS:
        raise ValueError(
            f"Invalid value for 'detector': allowed are {', '.join(DETECTORS)}; got {detector!r}"
        )
    runs: list[ChunkedDetection] = []

    def consumer(extractor: MotionExtractor) -> Callable[[float], None]:
        last = len(sensitivities) - 1
        for i, level in enumerate(sensitivities):
            # Only the last detection lets the extractor forget frames: the others still
            # need the same window's frames when they run.
            runs.append(ChunkedDetection(extractor, level, detector, keep_frames=i < last))

        def feed(time_s: float) -> None:
            for run in runs:
                run.feed(time_s)

        return feed

    info, extractor, t_decode, t_analysis = _decode_motion(path, progress, consumer)
    results = {}
    for level, run in zip(sensitivities, runs, strict=True):
        t1 = time.perf_counter()
        run.finish()
        events = sorted(run.events, key=lambda e: e.start_s)
        clusters = find_clusters(events)
        traces = run.traces()
        found = [w for w in run.windows if w.found]
        quality = assess_quality(
            duration_s=info.duration_s,
            brightness=traces.brightness,
            sharpness=extractor.sharpness,
            camera_speed=traces.camera_speed,
            infant_share=float(np.median([w.infant_share for w in found])) if found else 0.0,
            infant_found=bool(found),
            edge_share=float(np.median([w.edge_share for w in found])) if found else 0.0,
        )
        t_analysis += time.perf_counter() - t1
        results[level] = VideoAnalysis(
            video=info,
            events=events,
            clusters=clusters,
            traces=traces,
            infant_mask=run.first_mask if run.first_mask is not None else np.ones((1, 1), bool),
            quality=quality,
            sensitivity=level,
            detector=detector,
            decode_s=t_decode,
            analysis_s=t_analysis,
        )
    return results
