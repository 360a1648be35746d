"""Reading videos: formats, rotation, downscaling, and clear errors on bad files."""

from __future__ import annotations

import threading

import av
import numpy as np
import pytest

from spasmwatch.errors import UnreadableFile
from spasmwatch.testing.video.render import SceneSpec, render
from spasmwatch.video.prefetch import prefetched
from spasmwatch.video.reader import VideoReader, working_size


def _write(path, codec: str, n: int = 20, size=(160, 120), fmt: str | None = None) -> None:
    with av.open(str(path), "w", format=fmt) as c:
        s = c.add_stream(codec, rate=10)
        s.width, s.height, s.pix_fmt = size[0], size[1], "yuv420p"
        rng = np.random.default_rng(0)
        for _ in range(n):
            img = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
            for p in s.encode(av.VideoFrame.from_ndarray(img, format="bgr24")):
                c.mux(p)
        for p in s.encode():
            c.mux(p)


def test_working_size() -> None:
    assert working_size(1920, 1080, 240) == (426, 240)
    assert working_size(1080, 1920, 240) == (240, 426)
    assert working_size(160, 120, 240) == (160, 120)  # never upscaled


@pytest.mark.parametrize(
    ("codec", "suffix"),
    [
        ("libx264", ".mp4"),
        ("libx264", ".mov"),
        ("libx265", ".mp4"),
        ("libx265", ".mov"),
        ("libvpx-vp9", ".webm"),
        ("libvpx", ".webm"),
        ("mpeg4", ".mp4"),
    ],
)
def test_reads_common_formats(tmp_path, codec, suffix) -> None:
    if codec not in av.codecs_available:
        pytest.skip(f"{codec} not in this FFmpeg build")
    path = tmp_path / f"v{suffix}"
    _write(path, codec, n=20, size=(640, 360))
    with VideoReader(path, short_side=120) as r:
        frames = list(r.frames())
        info = r.info
    assert len(frames) == 20 == info.frames
    assert frames[0][1].shape == (120, 214, 3)
    assert info.width == 640 and info.height == 360
    assert abs(info.fps - 10) < 0.5
    times = [t for t, _ in frames]
    assert times == sorted(times) and times[0] == 0.0


def test_stride_decodes_all_but_yields_some(tmp_path) -> None:
    _write(tmp_path / "v.mp4", "libx264", n=21)
    with VideoReader(tmp_path / "v.mp4") as r:
        frames = list(r.frames(stride=3))
        assert r.info.frames == 21
    assert len(frames) == 7


def test_rotation_metadata_is_honoured(tmp_path) -> None:
    spec = SceneSpec(
        "r", seed=1, duration_s=2, width=240, height=320, clusters=0, store_rotation=90
    )
    render(spec, tmp_path / "r.mp4")
    plain = SceneSpec("p", seed=1, duration_s=2, width=240, height=320, clusters=0)
    render(plain, tmp_path / "p.mp4")
    with VideoReader(tmp_path / "r.mp4", short_side=240) as r:
        _t, rotated = next(iter(r.frames()))
        assert (r.info.width, r.info.height, r.info.rotation_deg) == (240, 320, 90)
    with VideoReader(tmp_path / "p.mp4", short_side=240) as r:
        _t, upright = next(iter(r.frames()))
    assert rotated.shape == upright.shape == (320, 240, 3)
    # the same picture, up to compression
    assert np.abs(rotated.astype(int) - upright.astype(int)).mean() < 6


def test_missing_file(tmp_path) -> None:
    with pytest.raises(UnreadableFile, match=r"nope\.mp4.*no such file"):
        VideoReader(tmp_path / "nope.mp4")
    with pytest.raises(UnreadableFile, match="a folder, not a video"):
        VideoReader(tmp_path)


def test_not_a_video(tmp_path) -> None:
    path = tmp_path / "notes.mp4"
    path.write_text("this is not a video\n" * 50)
    with pytest.raises(UnreadableFile, match=r"notes\.mp4.*not a video"):
        VideoReader(path)


def test_a_video_cut_short_is_refused_at_upload_without_decoding_it_all(
    short_video, tmp_path
) -> None:
    """A file cut short in transfer keeps the index of its full length at its start
    (``+faststart``): the upload check seeks to its end instead of decoding it all."""
    from spasmwatch.attachments import UploadRejected, check_readable

    with VideoReader(short_video.path) as whole:
        whole.check_end()  # a whole file passes
    data = short_video.path.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 2])
    truncated = r"cut\.mp4: truncated, .* of the declared 12\.0 s"
    # it opens (its index says 12 s), and its end is missing
    with VideoReader(cut) as reader, pytest.raises(UnreadableFile, match=truncated):
        reader.check_end()
    with pytest.raises(UploadRejected) as refused:
        check_readable(cut, "video", "baby.mp4")
    message = str(refused.value)
    assert "'baby.mp4'" in message and "truncated" in message and str(tmp_path) not in message


def test_an_empty_file_or_an_eeg_is_named_as_such(tmp_path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableFile, match=r"empty\.mp4: the file is empty \(0 bytes\)"):
        VideoReader(empty)
    for magic in (b"0       ", b"\xffBIOSEMI"):
        eeg = tmp_path / "night.mp4"
        eeg.write_bytes(magic + bytes(600))
        with pytest.raises(
            UnreadableFile, match=r"night\.mp4: it is an EEG recording .*eeg analyze"
        ):
            VideoReader(eeg)


def test_text_or_a_still_picture_is_not_a_video(tmp_path) -> None:
    # FFmpeg opens a .txt file as a picture of the text (its tty demuxer) and a photo as
    # one frame: neither is a video to analyse
    from PIL import Image

    text = tmp_path / "readme.txt"
    text.write_text("# notes\n\nthe baby nodded twice\n" * 40)
    with pytest.raises(UnreadableFile, match=r"readme\.txt: it is text, not a video"):
        VideoReader(text)
    for name, what in (("photo.png", "a PNG picture"), ("photo.jpg", "a JPEG picture")):
        Image.new("RGB", (320, 240), (120, 90, 60)).save(tmp_path / name)
        with pytest.raises(
            UnreadableFile, match=name.replace(".", r"\.") + f": it is {what}, not a video"
        ):
            VideoReader(tmp_path / name)
    # a still picture FFmpeg opens that is neither (a bitmap): said as a still picture
    Image.new("RGB", (320, 240), (120, 90, 60)).save(tmp_path / "photo.bmp")
    with pytest.raises(UnreadableFile, match=r"photo\.bmp: it is a still picture, not a video"):
        VideoReader(tmp_path / "photo.bmp")
    # a PDF, a ZIP archive (an office document) or a gzip file, by its first bytes
    for name, head, what in (
        ("report.pdf", b"%PDF-1.7\n", "a PDF document"),
        ("notes.docx", b"PK\x03\x04", r"a ZIP archive \(or an office document\)"),
        ("clip.mp4.gz", b"\x1f\x8b\x08", "a gzip-compressed file"),
    ):
        (tmp_path / name).write_bytes(head + bytes(600))
        with pytest.raises(UnreadableFile, match=f": it is {what}, not a video"):
            VideoReader(tmp_path / name)


def test_audio_only_file_has_no_video_stream(tmp_path) -> None:
    path = tmp_path / "sound.wav"
    with av.open(str(path), "w") as c:
        s = c.add_stream("pcm_s16le", rate=8000)
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 800), np.int16), format="s16", layout="mono"
        )
        frame.sample_rate = 8000
        for p in s.encode(frame):
            c.mux(p)
        for p in s.encode():
            c.mux(p)
    with pytest.raises(UnreadableFile, match=r"sound\.wav.*no video stream"):
        VideoReader(path)


def test_zero_frames(tmp_path) -> None:
    path = tmp_path / "empty.mp4"
    _write(path, "libx264", n=0)
    with pytest.raises(UnreadableFile, match=r"empty\.mp4"), VideoReader(path) as r:
        list(r.frames())


def test_truncated_file(tmp_path) -> None:
    spec = SceneSpec("t", seed=2, duration_s=8, clusters=0)
    render(spec, tmp_path / "full.mp4")
    data = (tmp_path / "full.mp4").read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) // 3])  # moov is at the front (faststart)
    with (
        pytest.raises(UnreadableFile, match=r"cut\.mp4.*(truncated|damaged)"),
        VideoReader(cut) as r,
    ):
        list(r.frames())
    headless = tmp_path / "tail.mp4"
    headless.write_bytes(data[len(data) // 2 :])
    with pytest.raises(UnreadableFile, match=r"tail\.mp4"), VideoReader(headless) as r:
        list(r.frames())


def test_frames_only_once(tmp_path) -> None:
    _write(tmp_path / "v.mp4", "libx264", n=3)
    with VideoReader(tmp_path / "v.mp4") as r:
        list(r.frames())
        with pytest.raises(RuntimeError):
            list(r.frames())


def test_both_passes_time_frames_alike() -> None:
    from fractions import Fraction
    from types import SimpleNamespace

    from spasmwatch.video.reader import _Clock

    stream = SimpleNamespace(start_time=900, time_base=Fraction(1, 90000))

    def frame(pts: int | None) -> av.VideoFrame:
        f = av.VideoFrame(16, 16, "rgb24")
        f.pts = pts
        return f

    clock = _Clock(stream, 30.0)
    # timestamps from the stream's start; a frame without one comes a frame later;
    # an out-of-order timestamp never goes back
    times = [clock.time(frame(p)) for p in (900, 3900, None, 3000, 9900)]
    assert times[0] == 0.0 and abs(times[1] - 1 / 30) < 1e-9
    assert abs(times[2] - 2 / 30) < 1e-9
    assert times[3] > times[2] and abs(times[4] - 0.1) < 1e-9
    assert clock.pts_at(0.1) == 9900
    # a stream whose first frame has no timestamp starts at 0, not before
    assert _Clock(stream, 30.0).time(frame(None)) == 0.0


def test_prefetched_frames_are_the_same_frames_in_order(tmp_path) -> None:
    _write(tmp_path / "v.mp4", "libx264", n=21)
    with VideoReader(tmp_path / "v.mp4") as r:
        plain = list(r.frames(stride=2))
    with VideoReader(tmp_path / "v.mp4") as r:
        ahead = list(prefetched(r.frames(stride=2), depth=2))
        assert r.info.frames == 21  # the reader's count is there once the frames are
    assert [t for t, _ in ahead] == [t for t, _ in plain]
    assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(ahead, plain, strict=True))


def test_prefetched_raises_the_readers_error_after_the_frames_before_it() -> None:
    def frames():
        yield 1
        yield 2
        raise UnreadableFile("Cannot read video x.mp4: damaged or truncated after 0.1 s")

    got = []
    with pytest.raises(UnreadableFile, match=r"x\.mp4: damaged"):
        for item in prefetched(frames(), depth=1):
            got.append(item)
    assert got == [1, 2]


def test_prefetched_stops_and_closes_the_producer_when_the_reader_stops() -> None:
    closed = threading.Event()

    def frames():
        try:
            yield from range(10_000)
        finally:
            closed.set()

    ahead = prefetched(frames(), depth=3)
    assert [next(ahead) for _ in range(5)] == [0, 1, 2, 3, 4]
    ahead.close()  # the reader gives up (an error in the analysis, say)
    assert closed.wait(5)
    assert not any(t.name == "spasmwatch-decode" for t in threading.enumerate())
