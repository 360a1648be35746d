"""The attachment store: limits, content checks, de-duplication; real EDF files, real videos."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from spasmwatch.store.files import UploadRejected, sniff_kind, store_stream

LIMIT = 10 * 1024 * 1024


def render_video(path: Path, container: str, codec: str, frames: int = 12) -> Path:
    """A small real video: a bright square moving across a dark 64x48 frame, 12 fps."""
    import av

    with av.open(str(path), mode="w", format=container) as out:
        stream = out.add_stream(codec, rate=12)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(frames):
            image = np.full((48, 64, 3), 20, dtype=np.uint8)
            image[16:32, 4 * i : 4 * i + 16] = 230
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def chunks_of(path: Path, size: int = 4096) -> Iterator[bytes]:
    with open(path, "rb") as f:
        while chunk := f.read(size):
            yield chunk


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "attachments"


@pytest.fixture(scope="module")
def mp4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_video(tmp_path_factory.mktemp("video") / "clip.mp4", "mp4", "libx264")


def test_a_rendered_mp4_is_a_video(store: Path, mp4: Path) -> None:
    stored = store_stream(chunks_of(mp4), store, LIMIT, "clip.mp4")
    data = mp4.read_bytes()
    assert (stored.kind, stored.content_type) == ("video", "video/mp4")
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.size_bytes == len(data)
    assert stored.path == store / stored.sha256[:2] / stored.sha256
    assert stored.path.read_bytes() == data
    assert files_in(store) == [stored.path]  # no temporary file left


@pytest.mark.parametrize(
    ("container", "codec", "content_type"),
    [
        ("mov", "libx264", "video/quicktime"),
        ("avi", "mpeg4", "video/x-msvideo"),
        ("webm", "libvpx", "video/webm"),
    ],
)
def test_other_rendered_containers_are_videos(
    store: Path, tmp_path: Path, container: str, codec: str, content_type: str
) -> None:
    import av

    if codec not in av.codecs_available:
        pytest.skip(f"this PyAV build has no {codec} encoder")
    path = render_video(tmp_path / f"clip.{container}", container, codec)
    stored = store_stream(chunks_of(path), store, LIMIT, path.name)
    assert (stored.kind, stored.content_type) == ("video", content_type)


@pytest.mark.parametrize(
    "relative",
    ["edf_plus/short_psg.edf", "helsinki/clips/eeg1.edf", "real_infant/demo.edf"],
)
def test_real_edf_files_are_eeg(store: Path, shared_eeg_dir: Path, relative: str) -> None:
    path = shared_eeg_dir / relative
    stored = store_stream(chunks_of(path, 1000), store, LIMIT, path.name)
    assert (stored.kind, stored.content_type) == ("eeg", "application/edf")
    assert stored.path.read_bytes() == path.read_bytes()


def test_a_bdf_header_is_eeg(shared_eeg_dir: Path) -> None:
    # BDF has the EDF header layout with its own version bytes.
    head = (shared_eeg_dir / "real_infant/demo.edf").read_bytes()[:256]
    assert sniff_kind(b"\xffBIOSEMI" + head[8:]) == ("eeg", "application/bdf")


def test_the_same_content_is_stored_once(store: Path, mp4: Path) -> None:
    first = store_stream(chunks_of(mp4), store, LIMIT, "clip.mp4")
    second = store_stream(chunks_of(mp4, 777), store, LIMIT, "again.mp4")
    assert first.path == second.path and first.sha256 == second.sha256
    assert files_in(store) == [first.path]


def test_too_big_is_rejected_and_nothing_is_left(store: Path, mp4: Path) -> None:
    limit = mp4.stat().st_size - 1
    with pytest.raises(UploadRejected, match=r"'clip\.mp4' is larger than the limit of"):
        store_stream(chunks_of(mp4, 100), store, limit, "clip.mp4")
    assert files_in(store) == []


def test_exactly_the_limit_is_accepted(store: Path, mp4: Path) -> None:
    stored = store_stream(chunks_of(mp4), store, mp4.stat().st_size, "clip.mp4")
    assert stored.size_bytes == mp4.stat().st_size


def test_the_limit_is_said_in_megabytes(store: Path) -> None:
    with pytest.raises(UploadRejected, match=r"'big\.mp4' is larger than the limit of 1 MB"):
        store_stream(iter([b"\0" * (1024 * 1024 + 1)]), store, 1024 * 1024, "big.mp4")
    assert files_in(store) == []


def test_empty_is_rejected(store: Path) -> None:
    with pytest.raises(UploadRejected, match=r"'nothing\.mp4' is empty"):
        store_stream(iter([b"", b""]), store, LIMIT, "nothing.mp4")
    assert files_in(store) == []


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("notes.txt", b"Head nods this morning, about ten of them.\n" * 20),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(300)),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(300)),
        ("photo.heic", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(300)),
        ("voice.m4a", b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + bytes(300)),
        ("fake.edf", b"0       " + b"x" * 300),
        ("report.pdf", b"%PDF-1.7\n" + bytes(300)),
    ],
)
def test_other_content_is_rejected_by_content(store: Path, filename: str, content: bytes) -> None:
    with pytest.raises(UploadRejected, match=rf"'{filename}' is not a video .* or an EEG file"):
        store_stream(iter([content]), store, LIMIT, filename)
    assert files_in(store) == []


def test_a_video_named_like_text_is_still_a_video(store: Path, mp4: Path) -> None:
    stored = store_stream(chunks_of(mp4), store, LIMIT, "clip.txt")
    assert stored.kind == "video"


def test_an_interrupted_upload_leaves_nothing(store: Path, mp4: Path) -> None:
    def broken() -> Iterator[bytes]:
        yield from list(chunks_of(mp4))[:2]
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        store_stream(broken(), store, LIMIT, "clip.mp4")
    assert files_in(store) == []
