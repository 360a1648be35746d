"""The synthetic video renderer: deterministic, with exact ground truth."""

from __future__ import annotations

import itertools

import av
import cv2
import numpy as np

from spasmwatch.testing.video.render import SceneSpec, render, schedule


def test_schedule_is_deterministic_and_seeded() -> None:
    spec = SceneSpec("x", seed=3, duration_s=60)
    assert schedule(spec).events == schedule(spec).events
    assert schedule(spec).events != schedule(SceneSpec("x", seed=4, duration_s=60)).events


def test_spasms_follow_the_clinical_description() -> None:
    for seed in range(20):
        spec = SceneSpec("x", seed=seed, duration_s=120, cluster_size=(3, 20), gap_s=(3, 30))
        truth = schedule(spec)
        spasms = truth.spasms
        for ev in spasms:
            assert 0.5 <= ev.end_s - ev.start_s <= 2.0
            assert ev.style in ("flexion", "extension")
            assert ev.side in ("both", "left", "right")
        onsets = np.array([e.start_s for e in spasms])
        if len(onsets) > 1:
            gaps = np.diff(onsets)
            assert gaps.min() >= 3.0 - 1e-9 and gaps.max() <= 30.0 + 1e-9
        for start, end, count in truth.clusters:
            assert 3 <= count <= 20
            assert sum(start <= e.start_s <= end for e in spasms) == count


def test_events_do_not_overlap() -> None:
    truth = schedule(SceneSpec("x", seed=7, duration_s=60, jerks=5, hands=2, reaches=3))
    spans = sorted((e.start_s, e.end_s) for e in truth.events)
    for (_a0, a1), (b0, _b1) in itertools.pairwise(spans):
        assert b0 >= a1


def test_rendered_video_matches_truth(tmp_path) -> None:
    spec = SceneSpec(
        "still",
        seed=9,
        duration_s=14,
        cluster_size=(3, 3),
        gap_s=(3.5, 4),
        jerks=0,
        kick_bouts=0,
        reaches=0,
        hands=0,
        shake=0.0,
        jolts=0,
        flicker=0.0,
        one_sided_share=0.0,
    )
    truth = render(spec, tmp_path / "v.mp4")
    with av.open(str(tmp_path / "v.mp4")) as c:
        stream = c.streams.video[0]
        assert stream.codec_context.name == "h264"
        frames = [f.to_ndarray(format="gray").astype(np.int16) for f in c.decode(stream)]
    assert len(frames) == truth.frames == 14 * 15
    assert frames[0].shape == (240, 320)
    # With a still camera, the picture changes far more across each true spasm onset
    # than over the same time span in the quiet second before it.
    fps = spec.fps
    for ev in truth.spasms:
        i = round(ev.start_s * fps)
        onset = (np.abs(frames[i + 4] - frames[i - 1]) > 30).mean()
        quiet = (np.abs(frames[i - 6] - frames[i - 11]) > 30).mean()
        assert onset > 2 * quiet + 0.002


def test_rotation_is_stored_as_display_metadata(tmp_path) -> None:
    spec = SceneSpec(
        "r", seed=1, duration_s=2, width=240, height=320, clusters=0, store_rotation=90
    )
    render(spec, tmp_path / "r.mp4")
    cap = cv2.VideoCapture(str(tmp_path / "r.mp4"))
    ok, frame = cap.read()
    cap.release()
    assert ok and frame.shape[:2] == (320, 240)  # OpenCV applies the rotation
    with av.open(str(tmp_path / "r.mp4")) as c:
        assert c.streams.video[0].codec_context.width == 320  # stored landscape
