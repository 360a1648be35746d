"""Detection in windows of a few minutes, so memory stays flat however long the video.

The per-cell motion of a frame costs a few kilobytes; a 30-minute video would hold
hundreds of megabytes of it. :class:`ChunkedDetection` is fed frame by frame while the
video decodes. Every :data:`CHUNK_S` of video it runs :func:`detect_events` on that
stretch with :data:`CONTEXT_S` of context on each side, keeps the events that start in
the stretch, and lets the motion extractor forget what no later window needs. Each
window finds the infant afresh, which also follows a baby who is moved or turned during
a long recording. A video up to ``2 * CHUNK_S + CONTEXT_S`` long is one window, so
short clips are analysed exactly as a whole.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy as np

from spasmwatch.video.detect import MovementEvent, detect_events
from spasmwatch.video.motion import MotionExtractor
from spasmwatch.video.regions import activity_traces, edge_share, locate_infant

__all__ = ["CHUNK_S", "CONTEXT_S", "ChunkedDetection", "MotionTraces", "WindowFacts"]

#: Video analysed per window (s).
CHUNK_S = 120.0
#: Context seen before and after each window (s): the rolling baseline of
#: :mod:`~spasmwatch.video.detect` looks 10 s each way, a movement is followed for up to
#: 3.2 s after its onset, and the infant is found from where the picture keeps moving.
CONTEXT_S = 30.0


@dataclass(frozen=True)
class MotionTraces:
    """Per-frame traces of the whole video, for plots (all shape ``(T,)``).

    Attributes
    ----------
    times_s
        Time of each analysed frame (s from the start of the file).
    extent
        Share of the infant's cells moving clearly (0-1).
    outside
        Share of the cells well away from the infant that move (0-1).
    camera_speed
        Speed of the phone's own movement (short sides of the picture per second).
    brightness
        Mean grey level (0-255).
    rate_hz
        Analysed frames per second.
    """

    times_s: np.ndarray
    extent: np.ndarray
    outside: np.ndarray
    camera_speed: np.ndarray
    brightness: np.ndarray
    rate_hz: float


@dataclass(frozen=True)
class WindowFacts:
    """What one window said about where the infant is (for the quality check).

    Attributes
    ----------
    start_s, end_s
        The window's own stretch of video.
    infant_share
        Share of the picture's cells taken as the infant (0-1).
    found
        False when no clearly moving area was found and the whole picture was used.
    edge_share
        Share of the picture's border cells that belong to the infant (0-1).
    """

    start_s: float
    end_s: float
    infant_share: float
    found: bool
    edge_share: float


@dataclass
class ChunkedDetection:
    """Run detection window by window while a :class:`MotionExtractor` fills.

    Call :meth:`feed` after each frame is added and :meth:`finish` after the last.

    Parameters
    ----------
    extractor
        The extractor being filled.
    sensitivity
        ``low``, ``normal`` or ``high``.
    detector
        ``learned`` or ``rules`` (:data:`~spasmwatch.video.detect.DETECTORS`).
    """

    extractor: MotionExtractor
    sensitivity: str = "normal"
    detector: str = "learned"
    #: Leave the extractor's frames in place (another detection on the same extractor,
    #: run after this one, still needs them and drops them itself).
    keep_frames: bool = False
    events: list[MovementEvent] = field(default_factory=list)
    windows: list[WindowFacts] = field(default_factory=list)
    first_mask: np.ndarray | None = None
    _times: list[float] = field(default_factory=list)
    _extent: list[np.ndarray] = field(default_factory=list)
    _outside: list[np.ndarray] = field(default_factory=list)
    _core_start: float = 0.0
    _covered: int = 0  # frames whose window has run

    def feed(self, time_s: float) -> None:
        """Note the frame just added; run the window that became complete, if any."""
        self._times.append(float(time_s))
        core_end = self._core_start + CHUNK_S
        # Wait for a whole further chunk, so the last window is never a short scrap.
        if time_s >= core_end + CONTEXT_S + CHUNK_S:
            self._run(core_end)

    def finish(self) -> None:
        """Run the last window (everything not yet covered)."""
        if len(self._times) > self._covered:
            self._run(None)

    def traces(self) -> MotionTraces:
        """The traces of every frame, from the windows run so far."""
        ex = self.extractor
        n = self._covered
        times = np.asarray(self._times[:n])
        rate = (n - 1) / (times[-1] - times[0]) if n > 1 and times[-1] > times[0] else 1.0
        return MotionTraces(
            times_s=times,
            extent=np.concatenate(self._extent) if self._extent else np.zeros(0),
            outside=np.concatenate(self._outside) if self._outside else np.zeros(0),
            camera_speed=np.asarray(ex.camera_speeds[:n], dtype=np.float32),
            brightness=np.asarray(ex.brightness_levels[:n], dtype=np.float32),
            rate_hz=float(rate),
        )

    def _run(self, core_end: float | None) -> None:
        times = self._times
        c0 = self._core_start
        i_core0 = self._covered
        i_core1 = len(times) if core_end is None else bisect.bisect_left(times, core_end)
        i0 = bisect.bisect_left(times, c0 - CONTEXT_S) if i_core0 else 0
        i1 = len(times) if core_end is None else bisect.bisect_left(times, core_end + CONTEXT_S)
        sig = self.extractor.window(i0, i1)
        if len(sig.times_s) >= 2:
            mask = locate_infant(sig.speed)
            tr = activity_traces(sig.speed, mask)
            found = not bool(mask.all())
            events = detect_events(
                sig.speed,
                sig.flow_x,
                sig.flow_y,
                sig.times_s,
                sig.rate_hz,
                sensitivity=self.sensitivity,
                mask=mask,
                traces=tr,
                detector=self.detector,
                camera_speed=sig.camera_speed,
                camera_flow=sig.camera_flow,
            )
        else:
            mask = np.ones(self.extractor.grid_shape, bool)
            tr = None
            found = False
            events = []
        lo = -np.inf if i_core0 == 0 else c0
        hi = np.inf if core_end is None else core_end
        self.events.extend(e for e in events if lo <= e.start_s < hi)
        a, b = i_core0 - i0, i_core1 - i0
        if tr is not None:
            self._extent.append(tr.extent[a:b].astype(np.float32))
            self._outside.append(tr.outside[a:b].astype(np.float32))
        else:
            self._extent.append(np.zeros(i_core1 - i_core0, np.float32))
            self._outside.append(np.zeros(i_core1 - i_core0, np.float32))
        if self.first_mask is None:
            self.first_mask = mask
        self.windows.append(
            WindowFacts(
                start_s=times[i_core0] if i_core0 < len(times) else c0,
                end_s=times[i_core1 - 1] if i_core1 > 0 else c0,
                infant_share=float(mask.mean()) if found else 0.0,
                found=found,
                edge_share=edge_share(mask) if found else 0.0,
            )
        )
        self._covered = i_core1
        if core_end is not None:
            self._core_start = core_end
            if not self.keep_frames:
                self.extractor.drop_before(bisect.bisect_left(times, core_end - CONTEXT_S))
