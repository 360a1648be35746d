"""A mutation corpus of videos (tiny and huge pictures, elongated ones, truncations, flipped
bytes, broken MP4 boxes, odd frame rates, other containers): each is analysed and either
gives finite results or is refused with a SpasmwatchError naming the file. Nothing else may
escape (the count of crashes must be zero)."""

from __future__ import annotations

import json
import random
import struct
import traceback
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from spasmwatch.errors import SpasmwatchError
from spasmwatch.video import analyze_video

SIZES = [
    (2, 2), (8, 8), (16, 16), (30, 18), (31, 32), (32, 32), (16, 4000), (4000, 16),
    (4000, 32), (128, 32), (130, 32), (32, 130), (80, 20), (640, 160), (1920, 1080),
    (3840, 2160),
]  # fmt: skip
BOXES = [b"ftyp", b"moov", b"mvhd", b"trak", b"tkhd", b"mdia", b"mdhd", b"stsd", b"avcC",
         b"stts", b"stsz", b"stco", b"mdat"]  # fmt: skip


def _video(
    path: Path,
    size: tuple[int, int] = (64, 48),
    frames: int = 15,
    rate: int = 10,
    codec: str = "libx264",
    pix_fmt: str = "yuv420p",
) -> bytes:
    """A video of a moving square; returns its bytes."""
    w, h = size
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=rate)
        stream.width, stream.height, stream.pix_fmt = w, h, pix_fmt
        stream.time_base = Fraction(1, rate)
        for i in range(frames):
            image = np.full((h, w, 3), 200, dtype=np.uint8)
            x = (i * max(1, w // 16)) % max(1, w - w // 4)
            image[h // 4 : h // 2, x : x + max(1, w // 4)] = (30, 90, 160)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path.read_bytes()


def _box_offsets(data: bytes, name: bytes) -> list[int]:
    """Offsets of the size field of every box called ``name``."""
    found, start = [], 0
    while (at := data.find(name, start)) != -1:
        if at >= 4:
            found.append(at - 4)
        start = at + 1
    return found


def _mutants(folder: Path) -> Iterator[tuple[str, str, bytes]]:
    rnd = random.Random(18)
    base = _video(folder / "base.mp4")
    for w, h in SIZES:
        frames = 3 if w * h > 1_000_000 else 12
        for ext, codec, pix_fmt in (("mp4", "libx264", "yuv420p"), ("avi", "rawvideo", "bgr24")):
            try:
                made = _video(folder / f"size.{ext}", (w, h), frames, codec=codec, pix_fmt=pix_fmt)
            except av.error.FFmpegError:
                continue  # this encoder refuses the size: the other one makes it
            yield f"{w}x{h} {codec}", ext, made
            break
    yield "1000 fps", "mp4", _video(folder / "fast.mp4", frames=30, rate=1000)
    yield "1 fps", "mp4", _video(folder / "slow.mp4", frames=3, rate=1)
    yield "one frame", "mp4", _video(folder / "one.mp4", frames=1)
    yield "webm vp9", "webm", _video(folder / "v.webm", codec="libvpx-vp9")
    yield "avi mjpeg", "avi", _video(folder / "v.avi", codec="mjpeg", pix_fmt="yuvj420p")
    yield "avi mpeg4 33x40", "avi", _video(folder / "w.avi", (34, 40), codec="mpeg4")
    yield "empty", "mp4", b""
    yield "not a video", "mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(200)
    for cut in sorted({rnd.randrange(len(base)) for _ in range(24)} | {8, 32, len(base) - 1}):
        yield f"cut at {cut}", "mp4", base[:cut]
    for i in range(30):
        raw = bytearray(base)
        for _ in range(rnd.randint(1, 16)):
            raw[rnd.randrange(len(raw))] = rnd.randrange(256)
        yield f"flips {i}", "mp4", bytes(raw)
    for box in BOXES:
        for at in _box_offsets(base, box)[:1]:
            for value in (0, 1, 0xFFFFFFFF, struct.unpack(">I", base[at : at + 4])[0] + 999):
                raw = bytearray(base)
                raw[at : at + 4] = struct.pack(">I", value)
                yield f"{box.decode()} size {value}", "mp4", bytes(raw)
    for box, field in ((b"mvhd", 12), (b"mdhd", 12), (b"mvhd", 16), (b"tkhd", 76)):
        for at in _box_offsets(base, box)[:1]:
            for value in (0, 0xFFFFFFFF):
                raw = bytearray(base)
                raw[at + 8 + field : at + 12 + field] = struct.pack(">I", value)
                yield f"{box.decode()} field {field}={value}", "mp4", bytes(raw)


def _finite(value: object) -> bool:
    try:
        json.dumps(value, allow_nan=False, default=str)
    except ValueError:
        return False
    return True


def test_mutated_videos_never_crash(tmp_path: Path) -> None:
    crashes: list[str] = []
    count = refused = 0
    make = tmp_path / "make"
    make.mkdir()
    for label, ext, content in _mutants(make):
        count += 1
        path = tmp_path / f"mutant{count}.{ext}"
        path.write_bytes(content)
        out = tmp_path / f"out{count}" if count % 10 == 0 else None
        try:
            result = analyze_video(path, out_dir=out).to_dict()
            if not _finite(result):
                crashes.append(f"{label}: a result that is not a finite number")
        except SpasmwatchError as exc:
            refused += 1
            if str(path) not in str(exc):
                crashes.append(f"{label}: the message does not name the file: {exc}")
        except Exception:
            crashes.append(f"{label}: {traceback.format_exc(limit=-2)}")
        finally:
            path.unlink()
    assert count >= 100
    assert 0 < refused < count
    assert crashes == [], f"{len(crashes)} of {count} videos crashed:\n" + "\n".join(crashes)
