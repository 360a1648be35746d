"""Frames from a video file: one decoding pass, rotation applied, downscaled early.

Phone videos (H.264 or HEVC in MP4/MOV, VP8/VP9/AV1 in WebM) are decoded with PyAV,
which ships its own FFmpeg. Frames are scaled by FFmpeg's scaler straight to the
working size (about 240 px on the short side), so a 1080p or 4K file costs little more
than decoding it, and the display rotation stored by phones is applied afterwards.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import itertools
import logging
import math
import queue
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import av
import numpy as np

from spasmwatch.errors import UnreadableFile
from spasmwatch.i18n import N_
from spasmwatch.store.files import BDF_MAGIC, EDF_MAGIC, other_file_kind
from spasmwatch.video.result import VideoInfo

__all__ = [
    "CANNOT_READ",
    "UNREADABLE_REASONS",
    "VideoInfo",
    "VideoReader",
    "prefetched",
    "working_size",
]

log = logging.getLogger("spasmwatch")

#: What a message about a video that cannot be read starts with (before ": <why>").
CANNOT_READ = N_("Cannot read video %(path)s")
#: Why a video cannot be read, said after "Cannot read video <path>: ": catalog messages
#: with ``%(name)s`` placeholders, so that a page or the command line can say a stored
#: English message in its own language (``spasmwatch.file_reasons`` recognises them).
#: FFmpeg's own words stay English.
_FOLDER = N_("a folder, not a video (name one video file)")
_MISSING = N_("no such file")
_EMPTY = N_("the file is empty (0 bytes)")
_AN_EEG = N_(
    "it is an EEG recording (EDF or BDF), not a video: analyse it with `spasmwatch eeg analyze`"
)
_NOT_OPENED = N_("not a video file or damaged (%(ffmpeg)s)")
_NOT_A_VIDEO = N_("it is %(what)s, not a video")
_NO_STREAM = N_("it has no video stream")
_NO_CODEC = N_("its video stream has no codec that can be decoded (the file may be damaged)")
_NO_SIZE = N_("the video stream has no size")
_PICTURE = N_(
    "its picture is %(width)sx%(height)s pixels; a video needs at least %(min_px)s "
    "pixels on each side and a long side at most %(aspect)s times the short one"
)
_NO_FRAMES = N_("it contains no frames")
_UNDECODED = N_("no frame could be decoded (%(ffmpeg)s)")
_CUT_BEFORE_END = N_(
    "damaged or truncated before its declared end at %(declared_s)s s (%(ffmpeg)s)"
)
_CUT_AFTER = N_("damaged or truncated after %(last_s)s s (%(ffmpeg)s)")
_TRUNCATED = N_("truncated, %(where)s of the declared %(declared_s)s s")
_NO_END = N_("no frame near its end")
_STOP_AT = N_("frames stop at %(end_s)s s")
_DECODING_FAILED = N_("decoding failed around %(at_s)s s (%(ffmpeg)s)")
#: What a file FFmpeg opened but that is no video is (:func:`_not_a_video`).
_TEXT, _PICTURE_FILE = N_("text"), N_("a still picture")
#: What to call other files often given by mistake for a video (the ``what`` of
#: :data:`_NOT_A_VIDEO`; :func:`~spasmwatch.store.files.other_file_kind`).
_OTHER_FILES: dict[str, str] = {
    "pdf": N_("a PDF document"),
    "zip": N_("a ZIP archive (or an office document)"),
    "png": N_("a PNG picture"),
    "jpeg": N_("a JPEG picture"),
    "gzip": N_("a gzip-compressed file"),
}
#: Every reason above.
UNREADABLE_REASONS: tuple[str, ...] = (
    _FOLDER, _MISSING, _EMPTY, _AN_EEG, _NOT_OPENED, _NOT_A_VIDEO, _NO_STREAM, _NO_CODEC,
    _NO_SIZE, _PICTURE, _NO_FRAMES, _UNDECODED, _CUT_BEFORE_END, _CUT_AFTER, _TRUNCATED,
    _NO_END, _STOP_AT, _DECODING_FAILED, _TEXT, _PICTURE_FILE, *_OTHER_FILES.values(),
)  # fmt: skip


def _unreadable(path: Path, why: str, **values: object) -> UnreadableFile:
    """The error saying why the video at ``path`` cannot be read (``why`` one of
    :data:`UNREADABLE_REASONS`, filled with ``values``)."""
    said = why % values if values else why
    return UnreadableFile(f"{CANNOT_READ % {'path': path}}: {said}")


#: A file whose decoded frames stop before this share of its declared length is truncated.
_TRUNCATED_SHARE = 0.9
#: Spans of a second pass closer than this (s) are decoded as one instead of seeking
#: again: decoding a few seconds costs less than restarting at a key frame.
SEEK_GAP_S = 4.0


#: The smallest picture side, and the most elongated picture, a video may have: smaller or
#: narrower pictures show no infant, and make the optical flow fail.
MIN_SIDE_PX = 32
MAX_ASPECT = 4
#: Frames decoded ahead of the analysis (:func:`prefetched`): enough to ride over a slow
#: frame on either side, a few hundred kilobytes at the working size.
PREFETCH_FRAMES = 8

_T = TypeVar("_T")
_DONE = object()
_FAILED = object()


def prefetched(items: Iterator[_T], depth: int = PREFETCH_FRAMES) -> Iterator[_T]:
    """``items`` produced in a background thread, up to ``depth`` ahead of the reader.

    Decoding (FFmpeg) and the optical flow (OpenCV) both release the GIL, so the flow of
    one frame runs while the next ones decode: on a machine whose cores decoding does
    not fill, the analysis then takes little longer than the decoding. An exception
    raised while producing is raised here, in order; when the reader stops early, the
    producer stops at its next item and ``items`` is closed.
    """
    box: queue.Queue[tuple[object, object]] = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def put(kind: object, value: object) -> bool:
        while not stop.is_set():
            try:
                box.put((kind, value), timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(None, item):
                    return
            put(_DONE, None)
        except BaseException as exc:  # handed to the reader, raised there
            put(_FAILED, exc)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=produce, name="spasmwatch-decode", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = box.get()
            if kind is _DONE:
                return
            if kind is _FAILED:
                assert isinstance(value, BaseException)
                raise value
            yield value  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()


def working_size(width: int, height: int, short_side: int) -> tuple[int, int]:
    """Return ``(width, height)`` scaled so the short side is ``short_side`` pixels.

    Never upscales; both sides are rounded to even numbers, which video encoders need.

    Parameters
    ----------
    width, height
        The original size in pixels.
    short_side
        The wanted length of the shorter side in pixels.
    """
    scale = min(1.0, short_side / max(1, min(width, height)))
    w = max(2, round(width * scale / 2) * 2)
    h = max(2, round(height * scale / 2) * 2)
    return w, h


#: Decoded frames between two trims of the heap (about 10 s of a 30 fps video).
TRIM_EVERY = 300


@functools.cache
def _heap_trimmer():
    """glibc's ``malloc_trim``, or a function that does nothing elsewhere.

    Each decoded frame, and each array the analysis makes from it, is about a megabyte;
    glibc serves these from its heap, which fragments and, without a trim now and then,
    grew by hundreds of megabytes over a long video (6 minutes of 1080p with clips
    peaked at 530-780 MB instead of about 250 MB). A trim costs well under a millisecond.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            return libc.malloc_trim
        except (OSError, AttributeError):  # not glibc
            log.debug("malloc_trim not available")
    return lambda _pad: 0


def _trim_heap() -> None:
    _heap_trimmer()(0)


class VideoReader:
    """Open a video file and decode it once, yielding small BGR frames.

    Parameters
    ----------
    path
        The video file.
    short_side
        Length in pixels of the short side of the yielded frames (never upscaled).

    Raises
    ------
    UnreadableFile
        If the file does not exist, is not a video, or has no video stream.

    Examples
    --------
    >>> with VideoReader("clip.mp4", short_side=240) as reader:  # doctest: +SKIP
    ...     for time_s, frame in reader.frames():
    ...         ...
    """

    def __init__(self, path: str | Path, short_side: int = 240) -> None:
        if short_side < 16:
            raise ValueError(
                f"Invalid value for 'short_side': at least 16 pixels; got {short_side}"
            )
        self.path = Path(path)
        self.short_side = short_side
        if self.path.is_dir():
            raise _unreadable(self.path, _FOLDER)
        if not self.path.is_file():
            raise _unreadable(self.path, _MISSING)
        try:
            with self.path.open("rb") as f:
                head = f.read(8)
        except OSError as exc:
            raise UnreadableFile(f"Cannot read video {self.path}: {exc.strerror}") from exc
        if not head:
            raise _unreadable(self.path, _EMPTY)
        if head in (EDF_MAGIC, BDF_MAGIC):
            raise _unreadable(self.path, _AN_EEG)
        other = other_file_kind(head)
        if other is not None:
            raise _unreadable(self.path, _NOT_A_VIDEO, what=_OTHER_FILES[other])
        try:
            self._container = av.open(str(self.path), mode="r")
        except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
            raise _unreadable(self.path, _NOT_OPENED, ffmpeg=_reason(exc)) from exc
        what = _not_a_video(self._container.format.name)
        if what:
            self._container.close()
            raise _unreadable(self.path, _NOT_A_VIDEO, what=what)
        if not self._container.streams.video:
            self._container.close()
            raise _unreadable(self.path, _NO_STREAM)
        self._stream = self._container.streams.video[0]
        self._stream.thread_type = "AUTO"
        ctx = self._stream.codec_context
        if ctx is None:  # a codec FFmpeg does not know (or a damaged stream description)
            self._container.close()
            raise _unreadable(self.path, _NO_CODEC)
        width, height = int(ctx.width or 0), int(ctx.height or 0)
        if width <= 0 or height <= 0:
            self._container.close()
            raise _unreadable(self.path, _NO_SIZE)
        self._decode = self._container.decode(self._stream)
        self._first = self._first_frame()
        rotation = getattr(self._first, "rotation", 0) or _declared_rotation(self._stream)
        self._rotation = round(rotation / 90.0) * 90 % 360
        rate = self._stream.average_rate or self._stream.guessed_rate or self._stream.base_rate
        fps = float(rate) if rate else 0.0
        if not math.isfinite(fps) or fps <= 0 or fps > 1000:
            fps = 30.0
        duration_s = _declared_duration(self._container, self._stream)
        frames = int(self._stream.frames or 0) or round(duration_s * fps)
        if self._rotation in (90, 270):
            width, height = height, width
        if min(width, height) < MIN_SIDE_PX or max(width, height) > MAX_ASPECT * min(width, height):
            self._container.close()
            raise _unreadable(
                self.path,
                _PICTURE,
                width=width,
                height=height,
                min_px=MIN_SIDE_PX,
                aspect=MAX_ASPECT,
            )
        self.info = VideoInfo(
            path=str(path),
            duration_s=duration_s,
            fps=fps,
            width=width,
            height=height,
            frames=frames,
            rotation_deg=self._rotation,
            codec=ctx.name,
        )
        self._decoded = False
        # FFmpeg scales before rotation, so frames are asked for in stored orientation.
        w, h = working_size(width, height, short_side)
        self._scaled_size = (h, w) if self._rotation in (90, 270) else (w, h)

    def _first_frame(self) -> av.VideoFrame:
        try:
            return next(self._decode)
        except StopIteration:
            self._container.close()
            raise _unreadable(self.path, _NO_FRAMES) from None
        except av.error.FFmpegError as exc:
            self._container.close()
            raise _unreadable(self.path, _UNDECODED, ffmpeg=_reason(exc)) from exc

    def __enter__(self) -> VideoReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._container.close()

    def check_end(self) -> None:
        """Check, without decoding the whole file, that its last seconds are there: seek to
        about 2 s before the declared end and decode what follows (an upload's check; a
        file cut short mid-transfer keeps the index of its full length). Use the reader
        for nothing else afterwards.

        Raises
        ------
        UnreadableFile
            If the frames there stop well before the declared length, as :meth:`frames`
            would say after decoding everything.
        """
        declared = self.info.duration_s
        if declared <= 2.0:
            return
        clock = _Clock(self._stream, self.info.fps)
        last: float | None = None
        try:
            self._container.seek(
                clock.pts_at(max(0.0, declared - 2.0)), stream=self._stream, backward=True
            )
            for frame in self._container.decode(self._stream):
                if frame.pts is not None:
                    last = (frame.pts - clock.start) * clock.tb
        except av.error.FFmpegError as exc:
            if last is None:
                raise _unreadable(
                    self.path, _CUT_BEFORE_END, declared_s=f"{declared:.1f}", ffmpeg=_reason(exc)
                ) from exc
        ends = None if last is None else last + 1.0 / self.info.fps
        if ends is None or ends < _TRUNCATED_SHARE * declared:
            where = _NO_END if ends is None else _STOP_AT % {"end_s": f"{ends:.1f}"}
            raise _unreadable(self.path, _TRUNCATED, where=where, declared_s=f"{declared:.1f}")

    def frames(self, stride: int = 1) -> Iterator[tuple[float, np.ndarray]]:
        """Decode the video once, yielding ``(time_s, frame)`` pairs.

        ``frame`` is a BGR ``uint8`` array of the working size, rotation applied.
        With ``stride`` > 1 every frame is decoded but only every ``stride``-th one is
        converted and yielded.
        After the last frame, :attr:`info` holds the counted frames and duration.

        Raises
        ------
        UnreadableFile
            If no frame can be decoded, or the file ends well before its declared
            length (a truncated or damaged file).
        RuntimeError
            If called a second time (the file is decoded only once).
        """
        if stride < 1:
            raise ValueError(f"Invalid value for 'stride': at least 1; got {stride}")
        if self._decoded:
            raise RuntimeError("VideoReader.frames() can be called only once")
        self._decoded = True
        stream = self._stream
        base = self.info
        clock = _Clock(stream, base.fps)
        count = 0
        last_t = -1.0
        try:
            for frame in itertools.chain([self._first], self._decode):
                t = clock.time(frame)
                count += 1
                last_t = t
                if count % TRIM_EVERY == 0:
                    _trim_heap()
                if (count - 1) % stride:
                    continue
                yield t, self._picture(frame)
        except av.error.FFmpegError as exc:
            if count == 0:
                raise _unreadable(self.path, _UNDECODED, ffmpeg=_reason(exc)) from exc
            raise _unreadable(
                self.path, _CUT_AFTER, last_s=f"{last_t:.1f}", ffmpeg=_reason(exc)
            ) from exc
        if count == 0:
            raise _unreadable(self.path, _NO_FRAMES)
        decoded_s = last_t + 1.0 / base.fps
        if base.duration_s > 2.0 and decoded_s < _TRUNCATED_SHARE * base.duration_s:
            where = _STOP_AT % {"end_s": f"{decoded_s:.1f}"}
            raise _unreadable(
                self.path, _TRUNCATED, where=where, declared_s=f"{base.duration_s:.1f}"
            )
        fps = base.fps
        if count > 1 and last_t > 0:
            fps = (count - 1) / last_t
        self.info = VideoInfo(
            path=base.path,
            duration_s=round(count / fps, 3),
            fps=round(fps, 3),
            width=base.width,
            height=base.height,
            frames=count,
            rotation_deg=base.rotation_deg,
            codec=base.codec,
        )
        log.debug("decoded %d frames of %s", count, self.path)

    def _picture(self, frame: av.VideoFrame) -> np.ndarray:
        """A decoded frame as a BGR array of the working size, rotation applied."""
        width, height = self._scaled_size
        img = frame.reformat(
            width=width, height=height, format="bgr24", interpolation="AREA"
        ).to_ndarray()
        if self._rotation:
            img = np.ascontiguousarray(np.rot90(img, k=self._rotation // 90))
        return img

    def frames_in(
        self, spans: list[tuple[float, float]], stride: int = 1
    ) -> Iterator[tuple[float, np.ndarray]]:
        """Decode only around the given spans, yielding ``(time_s, frame)`` in time order.

        Used for the second, short pass that cuts clips and contact sheets after the
        events are known, so that no frame has to be kept in memory during analysis.
        Spans closer than :data:`SEEK_GAP_S` are read as one; each merged span is
        reached by seeking to the key frame before it. Every frame of a merged span is
        yielded (every ``stride``-th one counted from its start), so a caller picks the
        frames it needs by time.

        Parameters
        ----------
        spans
            ``(start_s, end_s)`` pairs in seconds from the start of the file.
        stride
            Yield every ``stride``-th decoded frame inside a span.

        Raises
        ------
        UnreadableFile
            If the file cannot be decoded where a span lies.
        RuntimeError
            If the reader has already decoded (a reader decodes once).
        """
        if stride < 1:
            raise ValueError(f"Invalid value for 'stride': at least 1; got {stride}")
        if self._decoded:
            raise RuntimeError("VideoReader can decode only once; open another reader")
        self._decoded = True
        merged: list[list[float]] = []
        for a, b in sorted((max(0.0, float(a)), float(b)) for a, b in spans if b >= a):
            if merged and a - merged[-1][1] <= SEEK_GAP_S:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        stream = self._stream
        base = self.info
        for a, b in merged:
            try:
                clock = _Clock(stream, base.fps)
                self._container.seek(clock.pts_at(a), stream=stream, backward=True)
                count = 0
                for frame in self._container.decode(stream):
                    t = clock.time(frame)
                    if t < a - 0.5 / base.fps:
                        continue
                    if t > b:
                        break
                    count += 1
                    if count % TRIM_EVERY == 0:
                        _trim_heap()
                    if (count - 1) % stride:
                        continue
                    yield t, self._picture(frame)
            except av.error.FFmpegError as exc:
                raise _unreadable(
                    self.path, _DECODING_FAILED, at_s=f"{a:.1f}", ffmpeg=_reason(exc)
                ) from exc


class _Clock:
    """Frame times in seconds from the start of the file, the same in both decoding
    passes: from each frame's timestamp, or one frame after the last where a frame has
    none; never before 0 and always increasing (B-frame timestamps can be out of
    order)."""

    def __init__(self, stream: av.video.stream.VideoStream, fps: float) -> None:
        self.start = stream.start_time or 0
        self.fps = fps
        self.tb = float(stream.time_base) if stream.time_base else 1.0 / fps
        self.last: float | None = None

    def pts_at(self, time_s: float) -> int:
        """The stream timestamp of ``time_s`` (to seek to)."""
        return self.start + int(time_s / self.tb)

    def time(self, frame: av.VideoFrame) -> float:
        """The time of ``frame``, the next one decoded."""
        if frame.pts is not None:
            t = (frame.pts - self.start) * self.tb
        else:
            t = 0.0 if self.last is None else self.last + 1.0 / self.fps
        t = max(0.0, t) if self.last is None else max(t, self.last + 1e-3)
        self.last = t
        return t


def _not_a_video(format_name: str) -> str:
    """What a file FFmpeg opened through one of its non-video demuxers is ("" for a video
    container): plain text, which FFmpeg's ``tty`` demuxer shows as a picture of the text,
    or a still picture (``image2``, ``png_pipe``, ``jpeg_pipe``, ...)."""
    names = set(format_name.split(","))
    if "tty" in names:
        return _TEXT
    if "image2" in names or any(n.endswith("_pipe") for n in names):
        return _PICTURE_FILE
    return ""


def _declared_rotation(stream: av.video.stream.VideoStream) -> int:
    """The counter-clockwise display rotation from the old ``rotate`` tag, if any."""
    tag = stream.metadata.get("rotate") if stream.metadata else None
    if not tag:
        return 0
    try:
        # The old 'rotate' tag is clockwise.
        rot = (-int(float(tag))) % 360
    except ValueError:
        return 0
    return round(rot / 90.0) * 90 % 360


def _declared_duration(container: av.container.InputContainer, stream) -> float:
    if stream.duration is not None and stream.time_base:
        return max(0.0, float(stream.duration * stream.time_base))
    if container.duration is not None:
        return max(0.0, container.duration / av.time_base)
    return 0.0


def _reason(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
