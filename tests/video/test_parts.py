"""Spasms of one end of the body: series of subtle head nods."""

from __future__ import annotations

import numpy as np

from spasmwatch.testing.video.render import SceneSpec, render
from spasmwatch.video import analyze_video
from spasmwatch.video.parts import SERIES_GAP_S, SERIES_MIN, PartBurst, _ends, in_series
from spasmwatch.video.regions import axis_coordinates


def _burst(t_s: float, end: int = 0, direction=(0.0, 1.0)) -> PartBurst:
    i = round(t_s * 10)
    return PartBurst(
        i0=i,
        i1=i + 8,
        end=end,
        isolated=True,
        peak_extent=0.6,
        sharpness=3.0,
        symmetry=0.8,
        hold_s=0.5,
        rigidity=0.99,
        rest_extent=0.0,
        direction=direction,
    )


def test_a_series_needs_like_movements_close_together() -> None:
    times = np.arange(0, 600, 0.1)
    series = [_burst(t) for t in (10, 20, 30)]
    assert in_series(series, times) == [True] * SERIES_MIN
    # two are not a series
    assert in_series(series[:2], times) == [False, False]
    # too far apart
    far = [_burst(10 + k * (SERIES_GAP_S + 1)) for k in range(3)]
    assert in_series(far, times) == [False] * 3
    # moving different ways (fidgets point anywhere)
    mixed = [_burst(10, direction=(0, 1)), _burst(20, direction=(1, 0)), _burst(30)]
    assert in_series(mixed, times) == [False, False, False]
    # at the other end of the body
    other = [_burst(10), _burst(20), _burst(30, end=1)]
    assert in_series(other, times) == [False, False, False]


def test_ends_are_midline_cells_at_each_end() -> None:
    mask = np.zeros((16, 24), bool)
    mask[4:12, 2:22] = True  # an infant lying across the picture
    ends = _ends(mask, *axis_coordinates(mask))
    assert len(ends) == 2
    for end in ends:
        cols = np.nonzero(end)[1]
        rows = np.nonzero(end)[0]
        assert cols.max() <= 8 or cols.min() >= 15  # near one end of the long axis
        assert rows.min() >= 5 and rows.max() <= 10  # not the lateral edge (limbs)


def test_series_of_head_nods_is_found_by_the_learned_detector_and_by_rules_at_high(
    tmp_path,
) -> None:
    spec = SceneSpec(
        "nods",
        seed=3501,
        duration_s=50,
        cluster_size=(5, 6),
        gap_s=(4.0, 6.0),
        nod_share=1.0,
        jerks=0,
        kick_bouts=0,
        reaches=0,
        hands=0,
        shake=0.5,
        jolts=0,
        flicker=0.5,
    )
    truth = render(spec, tmp_path / "nods.mp4")
    assert {e.style for e in truth.spasms} == {"nod"}
    video = tmp_path / "nods.mp4"
    # the rules look for nods at high only
    assert not [e for e in analyze_video(video, detector="rules").events if e.part == "end"]
    for sensitivity, detector in (("high", "rules"), ("normal", "learned")):
        res = analyze_video(video, sensitivity=sensitivity, detector=detector)
        nods = [e for e in res.events if e.kind == "spasm_like" and e.part == "end"]
        hits = sum(
            any(e.start_s <= t.end_s and e.end_s >= t.start_s for e in nods) for t in truth.spasms
        )
        assert hits >= len(truth.spasms) // 2, (sensitivity, detector)
        assert all(e.to_dict()["part"] == "end" for e in nods)
