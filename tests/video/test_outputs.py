"""Files for the doctor: clips that browsers play, contact sheet, motion plot, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import av
import cv2
import numpy as np
from matplotlib import cbook

from spasmwatch.video import analyze_video
from spasmwatch.video.outputs import FaceBlurrer, plot_motion


def test_outputs_written_and_readable(short_video, tmp_path) -> None:
    out = tmp_path / "out"
    res = analyze_video(short_video.path, out_dir=out)
    assert res.events, "the short video has three spasms"
    clips = sorted(out.glob("event_*.mp4"))
    assert len(clips) == len(res.events)
    for clip, ev in zip(clips, res.events, strict=True):
        with av.open(str(clip)) as c:
            stream = c.streams.video[0]
            assert stream.codec_context.name == "h264"
            assert stream.codec_context.pix_fmt == "yuv420p"
            n = sum(1 for _ in c.decode(stream))
        # about 3 s either side of the event, cut at the ends of the video
        want = min(ev.end_s + 3, res.video.duration_s) - max(0, ev.start_s - 3)
        assert abs(n / res.traces.rate_hz - want) < 0.5
    sheet = cv2.imread(str(out / "contact_sheet.png"))
    plot = cv2.imread(str(out / "motion.png"))
    assert sheet is not None and sheet.shape[0] > 150 * len(res.events)
    assert plot is not None and plot.shape[1] > 600
    doc = json.loads((out / "analysis.json").read_text())
    assert doc["events"] == [e.to_dict() for e in res.events]
    assert len(doc["outputs"]["clips"]) == len(clips)
    # the paths it names are where the files are, not where they were written first
    for paths in doc["outputs"].values():
        assert all(Path(p).parent == out and Path(p).is_file() for p in paths)
    assert [p.name for p in out.iterdir() if p.is_dir()] == []  # no half-written folder


def test_a_second_run_into_the_folder_leaves_only_its_own_clips(short_video, tmp_path) -> None:
    out = tmp_path / "out"
    analyze_video(short_video.path, out_dir=out)
    # a clip of an event an earlier run found, and a file of the user's own
    (out / "event_099_spasm_like_0099.00s.mp4").write_bytes(b"earlier")
    (out / ".spasmwatch-outputs.json").write_text(
        json.dumps(
            [
                *json.loads((out / ".spasmwatch-outputs.json").read_text()),
                "event_099_spasm_like_0099.00s.mp4",
            ]
        )
    )
    (out / "notes.txt").write_text("mine")
    res = analyze_video(short_video.path, out_dir=out)
    assert len(list(out.glob("event_*.mp4"))) == len(res.events)
    assert (out / "notes.txt").read_text() == "mine"


def test_face_blurring_blurs_a_face() -> None:
    with cbook.get_sample_data("grace_hopper.jpg") as f:
        data = np.frombuffer(f.read(), np.uint8)
    img = cv2.resize(cv2.imdecode(data, cv2.IMREAD_COLOR), (300, 400))
    blurred = FaceBlurrer()(img)
    diff = np.abs(blurred.astype(int) - img.astype(int)).sum(axis=2)
    assert diff.mean() > 1.0  # something was blurred ...
    ys, xs = np.nonzero(diff)
    assert 50 < xs.mean() < 250 and 50 < ys.mean() < 300  # ... in the middle, on the face
    # the sharpness of the face region dropped
    face = (slice(100, 250), slice(80, 220))
    assert (
        cv2.Laplacian(blurred[face], cv2.CV_64F).var()
        < cv2.Laplacian(img[face], cv2.CV_64F).var() / 2
    )
    # turned a quarter (an infant lying across the picture), it is still found
    turned = np.ascontiguousarray(np.rot90(img))
    assert np.abs(FaceBlurrer()(turned).astype(int) - turned.astype(int)).mean() > 1.0


def test_plot_motion_into_given_axes(short_video) -> None:
    import matplotlib.pyplot as plt

    res = analyze_video(short_video.path)
    fig, ax = plt.subplots()
    assert plot_motion(res, ax=ax) is fig
    plt.close(fig)
