"""Detection window by window: memory flat in the video's length, the same events."""

from __future__ import annotations

import numpy as np

from spasmwatch.video import analyze_video, motion_signals
from spasmwatch.video import chunks as ch
from spasmwatch.video.reader import VideoReader


def test_short_video_is_one_window(rendered) -> None:
    r = rendered["cluster_a"]
    res = analyze_video(r.path)
    info, sig = motion_signals(r.path)
    assert len(res.traces.times_s) == len(sig.times_s)
    assert np.allclose(res.traces.times_s, sig.times_s)
    assert res.video.frames == info.frames


def test_windows_forget_old_motion_and_keep_the_events(rendered, monkeypatch) -> None:
    r = rendered["cluster_a"]
    whole = analyze_video(r.path)
    dropped: list[int] = []
    real_drop = ch.MotionExtractor.drop_before

    def spy(self, index: int) -> None:
        real_drop(self, index)
        dropped.append(self.first_kept)

    monkeypatch.setattr(ch, "CHUNK_S", 10.0)
    monkeypatch.setattr(ch, "CONTEXT_S", 8.0)
    monkeypatch.setattr(ch.MotionExtractor, "drop_before", spy)
    parts = analyze_video(r.path)
    assert dropped and dropped[-1] > 0, "old frames were let go"
    # every frame has its trace, windows follow each other without a gap
    assert len(parts.traces.times_s) == len(whole.traces.times_s)
    assert len(parts.traces.extent) == len(parts.traces.times_s)
    # the same spasm-like events (a window sees 8 s of context, not the whole video)
    a = [e.start_s for e in whole.events if e.kind == "spasm_like"]
    b = [e.start_s for e in parts.events if e.kind == "spasm_like"]
    matched = sum(any(abs(x - y) < 0.5 for y in b) for x in a)
    assert matched >= 0.8 * len(a) and abs(len(a) - len(b)) <= max(1, len(a) // 5)
    assert [e.start_s for e in parts.events] == sorted(e.start_s for e in parts.events)


def test_frames_in_decodes_only_the_spans(rendered) -> None:
    r = rendered["cluster_a"]
    with VideoReader(r.path) as reader:
        every = dict(reader.frames())
    spans = [(3.0, 4.0), (20.0, 21.5), (21.0, 22.0)]
    with VideoReader(r.path) as reader:
        got = list(reader.frames_in(spans))
    times = [t for t, _ in got]
    assert times == sorted(times)
    assert all(2.9 <= t <= 4.0 or 19.9 <= t <= 22.0 for t in times)
    assert sum(3.0 <= t <= 4.0 for t in times) >= 14  # 15 fps
    for t, img in got:
        assert np.abs(img.astype(int) - every[t].astype(int)).mean() < 2.0
