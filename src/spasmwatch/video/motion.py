"""Dense optical flow to motion signals on a coarse grid, with camera motion removed.

Each pair of consecutive analysed frames gives a dense flow field (OpenCV's DIS
optical flow; nothing is downloaded). The phone's own movement (shake, drift, sudden
jolts, zoom) is fitted as one affine motion of the whole picture with a robust least
squares fit, and subtracted. What remains is the movement of things in the scene; it is
averaged over a coarse grid of cells (about 16 cells on the short side), which is what
:mod:`spasmwatch.video.detect` works on. Brightness is normalised per frame and DIS
compares mean-normalised patches, so lighting flicker and exposure steps move nothing.
"""

from __future__ import annotations

import logging
from array import array
from dataclasses import dataclass

import cv2
import numpy as np

from spasmwatch.stats import median_last

__all__ = ["MotionExtractor", "MotionSignals"]

log = logging.getLogger("spasmwatch")

#: Grid cells along the short side of the picture.
GRID_SHORT_SIDE = 16
#: Spacing in pixels of the flow samples used to fit the camera motion.
_CAMERA_SAMPLE_PX = 8
#: The focus of one analysed frame in this many is measured (about one a second).
SHARPNESS_EVERY = 15


@dataclass(frozen=True)
class MotionSignals:
    """Motion of the scene over time, camera motion removed.

    Attributes
    ----------
    times_s
        Time of each analysed frame in seconds from the start of the file, shape ``(T,)``.
    rate_hz
        Average number of analysed frames per second.
    speed
        Mean flow speed per grid cell, shape ``(T, rows, cols)``, in lengths of the
        picture's short side per second (so independent of resolution and frame rate).
        Row 0 is the first frame and is all zeros.
    flow_x, flow_y
        Mean signed flow per grid cell in the same unit, shape ``(T, rows, cols)``.
    camera_speed
        Speed of the fitted camera motion at the picture centre, shape ``(T,)``, same unit.
    camera_flow
        The fitted camera motion at the picture centre as a vector (x, y), shape
        ``(T, 2)``, same unit (``None`` for signals made without it).
    brightness
        Mean grey level of each frame (0-255) before normalisation, shape ``(T,)``.
    frame_size
        ``(width, height)`` of the analysed frames in pixels.
    """

    times_s: np.ndarray
    rate_hz: float
    speed: np.ndarray
    flow_x: np.ndarray
    flow_y: np.ndarray
    camera_speed: np.ndarray
    brightness: np.ndarray
    frame_size: tuple[int, int]
    camera_flow: np.ndarray | None = None

    @property
    def grid_shape(self) -> tuple[int, int]:
        """``(rows, cols)`` of the grid."""
        return int(self.speed.shape[1]), int(self.speed.shape[2])


def _least_squares(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``x`` minimising ``|a x - b|`` for a tall ``a`` of three well-scaled columns (the
    camera fit's 1, x, y), from the normal equations: one small solve for both columns
    of ``b``, a third of the time of an SVD-based ``lstsq`` for each; ``lstsq`` where the
    kept samples leave the system singular (all on one line)."""
    try:
        return np.linalg.solve(a.T @ a, a.T @ b)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(a, b, rcond=None)[0]


class MotionExtractor:
    """Turn a stream of frames into :class:`MotionSignals`, one frame at a time.

    Parameters
    ----------
    frame_size
        ``(width, height)`` of the frames that will be given to :meth:`add`.

    Examples
    --------
    >>> ex = MotionExtractor((320, 240))  # doctest: +SKIP
    >>> for t, frame in frames:  # doctest: +SKIP
    ...     ex.add(t, frame)
    >>> signals = ex.result()  # doctest: +SKIP
    """

    def __init__(self, frame_size: tuple[int, int]) -> None:
        w, h = int(frame_size[0]), int(frame_size[1])
        if w < 16 or h < 16:
            raise ValueError(f"Invalid value for 'frame_size': at least 16x16; got {w}x{h}")
        self.frame_size = (w, h)
        short = min(w, h)
        cell = short / GRID_SHORT_SIDE
        self._grid = (max(1, round(h / cell)), max(1, round(w / cell)))
        self._scale = 1.0 / short  # pixels -> short sides
        self._dis = cv2.DISOpticalFlow_create(cv2.DISOPTICAL_FLOW_PRESET_ULTRAFAST)
        self._prev: np.ndarray | None = None
        self._prev_t = 0.0
        step = _CAMERA_SAMPLE_PX
        ys, xs = np.mgrid[step // 2 : h : step, step // 2 : w : step]
        xc, yc = (xs - w / 2) / short, (ys - h / 2) / short
        self._design = np.stack([np.ones_like(xc), xc, yc], axis=-1).reshape(-1, 3)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        # every pixel's position from the picture centre in short sides, (x, y) as the two
        # channels of one picture: the camera's motion over the picture is one affine
        # transform of it (cv2.transform), in a single pass
        self._xy = cv2.merge([(xx - w / 2) / short, (yy - h / 2) / short])
        self._times: list[float] = []
        self._speed: list[np.ndarray] = []
        self._fx: list[np.ndarray] = []
        self._fy: list[np.ndarray] = []
        # The camera's motion at the picture centre, x and y of every frame one after the
        # other (16 bytes a frame for the whole video); its speed is derived from it.
        self._cam_flow = array("d")
        self._bright: list[float] = []
        self._offset = 0  # frames dropped from the front
        #: Focus measure (variance of the Laplacian of the normalised grey picture) of
        #: one frame in :data:`SHARPNESS_EVERY`; kept for the whole video (a few numbers
        #: a minute) for the quality check.
        self.sharpness: list[float] = []

    def add(self, time_s: float, frame: np.ndarray) -> None:
        """Add the next frame (BGR or grey ``uint8``, of ``frame_size``)."""
        gray = frame if frame.ndim == 2 else cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
        if (gray.shape[1], gray.shape[0]) != self.frame_size:
            raise ValueError(
                f"Invalid frame size: expected {self.frame_size[0]}x{self.frame_size[1]}, "
                f"got {gray.shape[1]}x{gray.shape[0]}"
            )
        mean = cv2.mean(gray)[0]  # NumPy's value (an exact integer sum over the count)
        # Per-frame gain normalisation: exposure steps and flicker change no pixel pattern.
        norm = cv2.convertScaleAbs(gray, alpha=110.0 / max(mean, 1.0))
        rows, cols = self._grid
        if self.count % SHARPNESS_EVERY == 0:
            self.sharpness.append(float(cv2.Laplacian(norm, cv2.CV_32F).var()))
        self._times.append(float(time_s))
        self._bright.append(mean)
        if self._prev is None:
            zero = np.zeros((rows, cols), np.float32)
            self._speed.append(zero)
            self._fx.append(zero)
            self._fy.append(zero)
            self._cam_flow.extend((0.0, 0.0))
        else:
            dt = max(1e-3, float(time_s) - self._prev_t)
            flow = self._dis.calc(self._prev, norm, None)
            residual, (cu, cv) = self._remove_camera(flow)
            k = self._scale / dt
            # the cells' mean flow, both components in one resize of the two-channel
            # picture; their mean speed from the per-pixel magnitude
            cells = cv2.resize(residual, (cols, rows), interpolation=cv2.INTER_AREA)
            # (OpenCV copies the two strided channels, faster than its own split)
            mag = cv2.magnitude(residual[..., 0], residual[..., 1])
            sp = cv2.resize(mag, (cols, rows), interpolation=cv2.INTER_AREA)
            self._speed.append((sp * k).astype(np.float32))
            self._fx.append((cells[..., 0] * k).astype(np.float32))
            self._fy.append((cells[..., 1] * k).astype(np.float32))
            self._cam_flow.extend((cu * k, cv * k))
        self._prev = norm
        self._prev_t = float(time_s)

    def _remove_camera(self, flow: np.ndarray) -> tuple[np.ndarray, tuple[float, float]]:
        """Fit an affine camera motion robustly; the residual flow (the two-channel
        picture of ``flow``, float32) and the camera's motion at the picture centre
        (pixels)."""
        half = _CAMERA_SAMPLE_PX // 2
        samples = flow[half::_CAMERA_SAMPLE_PX, half::_CAMERA_SAMPLE_PX]
        samples = samples.reshape(-1, 2).astype(np.float64)
        design = self._design
        keep = np.ones(len(samples), bool)
        coef = np.zeros((3, 2))  # (1, x, y) -> (u, v)
        for _ in range(3):
            a = design[keep]
            if len(a) < 6:
                break
            coef = _least_squares(a, samples[keep])
            res = samples - design @ coef
            res = np.hypot(res[:, 0], res[:, 1])
            # The infant, a hand and flow errors are outliers of the camera's motion.
            limit = max(0.3, 2.5 * float(median_last(res[keep])))
            keep = res < limit
        # the camera's flow at every pixel: (x, y) -> (c0 + c1 x + c2 y) for u and for v
        camera = cv2.transform(self._xy, coef[[1, 2, 0]].T)
        return cv2.subtract(flow, camera), (float(coef[0, 0]), float(coef[0, 1]))

    @property
    def count(self) -> int:
        """Number of frames added so far (dropped ones included)."""
        return len(self._times)

    @property
    def first_kept(self) -> int:
        """Index of the oldest frame still kept (see :meth:`drop_before`)."""
        return self._offset

    def drop_before(self, index: int) -> None:
        """Forget the per-cell motion of frames before ``index`` (counted from the first
        frame added), so that memory does not grow with the length of the video."""
        k = min(len(self._speed), max(0, index - self._offset))
        if k:
            # Only the per-cell grids are dropped; a time, camera speed and brightness per
            # frame are kept for the whole video (a few hundred kilobytes an hour).
            for items in (self._speed, self._fx, self._fy):
                del items[:k]
            self._offset += k

    def window(self, start: int = 0, stop: int | None = None) -> MotionSignals:
        """The signals of the kept frames ``start`` to ``stop`` (exclusive), indexed
        from the first frame added."""
        rows, cols = self._grid
        stop = self.count if stop is None else min(stop, self.count)
        if start < self._offset:
            raise ValueError(
                f"Invalid value for 'start': frames before {self._offset} were dropped; got {start}"
            )
        a, b = start - self._offset, max(0, stop - self._offset)
        times = np.asarray(self._times[start:stop], dtype=np.float64)
        cam = np.array(self._cam_flow[2 * start : 2 * stop]).reshape(-1, 2)
        n = len(times)
        rate = (n - 1) / (times[-1] - times[0]) if n > 1 and times[-1] > times[0] else 1.0

        def stack(items: list[np.ndarray]) -> np.ndarray:
            if not items:
                return np.zeros((0, rows, cols), np.float32)
            return np.stack(items).astype(np.float32, copy=False)

        return MotionSignals(
            times_s=times,
            rate_hz=float(rate),
            speed=stack(self._speed[a:b]),
            flow_x=stack(self._fx[a:b]),
            flow_y=stack(self._fy[a:b]),
            camera_speed=np.hypot(cam[:, 0], cam[:, 1]).astype(np.float32),
            brightness=np.asarray(self._bright[start:stop], dtype=np.float32),
            frame_size=self.frame_size,
            camera_flow=cam.astype(np.float32),
        )

    @property
    def grid_shape(self) -> tuple[int, int]:
        """``(rows, cols)`` of the grid."""
        return self._grid

    @property
    def camera_speeds(self) -> np.ndarray:
        """Camera speed of every frame added (short sides per second)."""
        cam = np.array(self._cam_flow).reshape(-1, 2)
        return np.hypot(cam[:, 0], cam[:, 1])

    @property
    def brightness_levels(self) -> list[float]:
        """Mean grey level of every frame added."""
        return self._bright

    def result(self) -> MotionSignals:
        """The signals of all frames kept so far (all added, unless some were dropped)."""
        return self.window(self._offset)
