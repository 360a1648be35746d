"""Frames from a video file: one decoding pass, rotation applied, downscaled early.

Phone videos (H.264 or HEVC in MP4/MOV, VP8/VP9/AV1 in WebM) are decoded with PyAV,
which ships its own FFmpeg. Frames are scaled by FFmpeg's scaler straight to the
working size (about 240 px on the short side), so a 1080p or 4K file costs little more
than decoding it, and the display rotation stored by phones is applied afterwards.

The reasons a video cannot be read are :mod:`spasmwatch.video.unreadable`'s; reading
ahead in a thread is :mod:`spasmwatch.video.prefetch`'s.
"""

from __future__ import annotations

import itertools
import logging
import math
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

from spasmwatch.errors import UnreadableFile
from spasmwatch.store.files import BDF_MAGIC, EDF_MAGIC, other_file_kind
from spasmwatch.video.heap import trim_heap
from spasmwatch.video.result import VideoInfo
from spasmwatch.video.unreadable import (
    AN_EEG,
    CUT_AFTER,
    CUT_BEFORE_END,
    DECODING_FAILED,
    EMPTY,
    FOLDER,
    MISSING,
    NO_CODEC,
    NO_END,
    NO_FRAMES,
    NO_SIZE,
    NO_STREAM,
    NOT_A_VIDEO,
    NOT_OPENED,
    OTHER_FILES,
    PICTURE,
    STOP_AT,
    TRUNCATED,
    UNDECODED,
    ffmpeg_reason,
    non_video_format,
    unreadable_error,
)

__all__ = ["VideoInfo", "VideoReader", "working_size"]

log = logging.getLogger("spasmwatch")

#: A file whose decoded frames stop before this share of its declared length is truncated.
_TRUNCATED_SHARE = 0.9
#: Spans of a second pass closer than this (s) are decoded as one instead of seeking
#: again: decoding a few seconds costs less than restarting at a key frame.
SEEK_GAP_S = 4.0


#: The smallest picture side, and the most elongated picture, a video may have: smaller or
#: narrower pictures show no infant, and make the optical flow fail.
MIN_SIDE_PX = 32
MAX_ASPECT = 4


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
            raise unreadable_error(self.path, FOLDER)
        if not self.path.is_file():
            raise unreadable_error(self.path, MISSING)
        try:
            with self.path.open("rb") as f:
                head = f.read(8)
        except OSError as exc:
            raise UnreadableFile(f"Cannot read video {self.path}: {exc.strerror}") from exc
        if not head:
            raise unreadable_error(self.path, EMPTY)
        if head in (EDF_MAGIC, BDF_MAGIC):
            raise unreadable_error(self.path, AN_EEG)
        other = other_file_kind(head)
        if other is not None:
            raise unreadable_error(self.path, NOT_A_VIDEO, what=OTHER_FILES[other])
        try:
            self._container = av.open(str(self.path), mode="r")
        except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as exc:
            raise unreadable_error(self.path, NOT_OPENED, ffmpeg=ffmpeg_reason(exc)) from exc
        what = non_video_format(self._container.format.name)
        if what:
            self._container.close()
            raise unreadable_error(self.path, NOT_A_VIDEO, what=what)
        if not self._container.streams.video:
            self._container.close()
            raise unreadable_error(self.path, NO_STREAM)
        self._stream = self._container.streams.video[0]
        self._stream.thread_type = "AUTO"
        ctx = self._stream.codec_context
        if ctx is None:  # a codec FFmpeg does not know (or a damaged stream description)
            self._container.close()
            raise unreadable_error(self.path, NO_CODEC)
        width, height = int(ctx.width or 0), int(ctx.height or 0)
        if width <= 0 or height <= 0:
            self._container.close()
            raise unreadable_error(self.path, NO_SIZE)
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
            raise unreadable_error(
                self.path,
                PICTURE,
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
            raise unreadable_error(self.path, NO_FRAMES) from None
        except av.error.FFmpegError as exc:
            self._container.close()
            raise unreadable_error(self.path, UNDECODED, ffmpeg=ffmpeg_reason(exc)) from exc

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
                raise unreadable_error(
                    self.path,
                    CUT_BEFORE_END,
                    declared_s=f"{declared:.1f}",
                    ffmpeg=ffmpeg_reason(exc),
                ) from exc
        ends = None if last is None else last + 1.0 / self.info.fps
        if ends is None or ends < _TRUNCATED_SHARE * declared:
            where = NO_END if ends is None else STOP_AT % {"end_s": f"{ends:.1f}"}
            raise unreadable_error(self.path, TRUNCATED, where=where, declared_s=f"{declared:.1f}")

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
                    trim_heap()
                if (count - 1) % stride:
                    continue
                yield t, self._picture(frame)
        except av.error.FFmpegError as exc:
            if count == 0:
                raise unreadable_error(self.path, UNDECODED, ffmpeg=ffmpeg_reason(exc)) from exc
            raise unreadable_error(
                self.path, CUT_AFTER, last_s=f"{last_t:.1f}", ffmpeg=ffmpeg_reason(exc)
            ) from exc
        if count == 0:
            raise unreadable_error(self.path, NO_FRAMES)
        decoded_s = last_t + 1.0 / base.fps
        if base.duration_s > 2.0 and decoded_s < _TRUNCATED_SHARE * base.duration_s:
            where = STOP_AT % {"end_s": f"{decoded_s:.1f}"}
            raise unreadable_error(
                self.path, TRUNCATED, where=where, declared_s=f"{base.duration_s:.1f}"
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
                        trim_heap()
                    if (count - 1) % stride:
                        continue
                    yield t, self._picture(frame)
            except av.error.FFmpegError as exc:
                raise unreadable_error(
                    self.path, DECODING_FAILED, at_s=f"{a:.1f}", ffmpeg=ffmpeg_reason(exc)
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
