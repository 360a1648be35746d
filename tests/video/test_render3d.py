"""Tests of the second synthetic video generator (:mod:`spasmwatch.testing.video.render3d`).

Short, small scenes only: the evaluation sets themselves are only planned here, not
rendered.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import av
import numpy as np
import pytest

from spasmwatch.testing.video import render3d
from spasmwatch.testing.video.render3d import (
    BENIGN_KINDS,
    SPASM_STYLES,
    VIEWS,
    Scene3D,
    Scene3DSpec,
    TruthEvent,
    plan,
    render,
    tuning_set,
)

#: A still scene: tripod, no sensor noise, no fidgeting, constant light.
STILL = {"shake": 0.0, "noise": 0.0, "fidget": 0.0, "clusters": 0}


def test_mp4_decodes_with_the_right_size_rate_and_length(tmp_path: Path) -> None:
    spec = Scene3DSpec(
        "tiny",
        seed=3,
        duration_s=3.0,
        width=192,
        height=144,
        view="oblique",
        infant_size=0.4,
        crf=30,
        clusters=0,
        events=(TruthEvent(1.0, 2.2, "spasm", "both", "flexion"),),
    )
    truth = render(spec, tmp_path / "tiny.mp4")
    again = render(spec, tmp_path / "again.mp4")
    assert (tmp_path / "tiny.mp4").read_bytes() == (tmp_path / "again.mp4").read_bytes()
    assert again.events == truth.events and again.infant_share == truth.infant_share
    with av.open(str(tmp_path / "tiny.mp4")) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.average_rate == 30
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(frames) == 90
    assert frames[0].shape == (144, 192, 3)
    assert [e.style for e in truth.spasms] == ["flexion"]
    assert 0.2 < truth.infant_share < 0.6
    json.dumps(truth.to_json())  # the CLI writes this


def test_same_seed_gives_the_same_truth_and_pixels() -> None:
    spec = tuning_set()[5]
    assert plan(spec).events == plan(spec).events
    assert plan(spec).clusters == plan(spec).clusters
    other = Scene3DSpec(**{**spec.__dict__, "seed": spec.seed + 1})
    assert plan(other).events != plan(spec).events
    small = Scene3DSpec(
        "same", seed=8, duration_s=1.0, width=160, height=120, clusters=0, benign=("hand",)
    )
    a, _ = Scene3D(small).frame(12)
    b, _ = Scene3D(small).frame(12)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("make", [tuning_set, render3d.validation_set, render3d.test_set])
def test_sets_cover_every_style_view_size_and_benign_kind(make) -> None:  # type: ignore[no-untyped-def]
    specs = make()
    truths = [plan(s) for s in specs]
    styles = Counter(e.style for t in truths for e in t.spasms)
    assert styles["nod"] >= 8
    assert all(styles[s] >= 5 for s in SPASM_STYLES), styles
    cluster = [t for t in truths if t.spec.clusters]
    benign = [t for t in truths if not t.spec.clusters]
    assert 0.55 <= len(cluster) / len(specs) <= 0.75
    assert all(60 <= t.spec.duration_s <= 120 for t in cluster)
    assert all(60 <= t.spec.duration_s <= 90 for t in benign)
    assert all(not t.spasms for t in benign)
    kinds = {e.kind for t in benign for e in t.events}
    assert set(BENIGN_KINDS) <= kinds
    assert {s.view for s in specs} == set(VIEWS)
    for landscape in (True, False):
        sizes = [s.infant_size for s in specs if (s.width > s.height) == landscape]
        assert min(sizes) <= 0.25 and max(sizes) >= 0.45
    assert len({s.seed for s in specs}) == len(specs)


def test_the_three_sets_share_no_seed() -> None:
    sets = [tuning_set(), render3d.validation_set(), render3d.test_set()]
    seeds = [{s.seed for s in specs} for specs in sets]
    assert not (seeds[0] & seeds[1] or seeds[0] & seeds[2] or seeds[1] & seeds[2])


@pytest.mark.parametrize("make", [tuning_set, render3d.validation_set, render3d.test_set])
def test_spasms_lie_inside_the_video_and_inside_their_cluster(make) -> None:  # type: ignore[no-untyped-def]
    for spec in make():
        truth = plan(spec)
        for e in truth.events:
            assert 0 <= e.start_s < e.end_s <= spec.duration_s, (spec.name, e)
        spasms = truth.spasms
        assert len(truth.clusters) == spec.clusters
        for start, end, count in truth.clusters:
            inside = [e for e in spasms if start <= e.start_s and e.end_s <= end]
            assert 3 <= count == len(inside) <= 30
        assert sum(c for *_, c in truth.clusters) == len(spasms)
        for a, b in itertools.pairwise(spasms):
            assert 3.0 - 1e-6 <= b.start_s - a.start_s <= 30.0
        for e in spasms:
            assert 0.5 <= e.end_s - e.start_s <= 3.0 + 1e-6
            side_ok = (
                e.side in ("left", "right") if e.style in ("asymmetric", "one_sided") else True
            )
            assert side_ok and e.side in ("both", "left", "right")


def _motion(style: str, view: str, seed: int) -> tuple[np.ndarray, tuple[float, ...]]:
    """Pixels that change from just before a spasm to its peak, and the head's box."""
    spec = Scene3DSpec(
        "motion",
        seed=seed,
        duration_s=2.5,
        width=320,
        height=240,
        view=view,
        infant_size=0.5,
        events=(TruthEvent(1.0, 2.2, "spasm", "both", style),),
        **STILL,
    )
    scene = Scene3D(spec)
    before, _ = scene.frame(28)
    action = next(a for a in scene.plan.actions if a.kind == "spasm")
    peak = int((1.0 + action.params["tr"] + 0.05) * spec.fps)
    after, facts = scene.frame(peak)
    diff = np.abs(after.astype(int) - before.astype(int)).max(axis=2) > 20
    return diff, facts["head_box"]


@pytest.mark.parametrize(("view", "seed"), [("overhead", 21), ("oblique", 22)])
def test_a_nod_moves_the_head_and_a_flexion_spasm_the_body(view: str, seed: int) -> None:
    def head_share(diff: np.ndarray, box: tuple[float, ...]) -> float:
        x0, y0, x1, y1 = box
        pad = 0.25 * max(x1 - x0, y1 - y0)
        ys, xs = np.nonzero(diff)
        inside = (xs >= x0 - pad) & (xs <= x1 + pad) & (ys >= y0 - pad) & (ys <= y1 + pad)
        return float(inside.mean())

    nod, nod_box = _motion("nod", view, seed)
    flex, flex_box = _motion("flexion", view, seed)
    assert nod.sum() > 20
    # Mostly the head for a nod (a slight shrug may move the shoulders), mostly elsewhere
    # for a flexion spasm, and many more pixels.
    assert head_share(nod, nod_box) > 0.65
    assert flex.sum() > 5 * nod.sum()
    assert head_share(flex, flex_box) < 0.5


@pytest.mark.parametrize(
    ("view", "size", "width", "height"),
    [
        ("overhead", 0.2, 240, 180),
        ("overhead", 0.6, 180, 240),
        ("oblique", 0.35, 240, 180),
        ("side", 0.25, 240, 180),
    ],
)
def test_measured_infant_share_tracks_the_requested_size(
    view: str, size: float, width: int, height: int
) -> None:
    spec = Scene3DSpec(
        "share",
        seed=31,
        duration_s=1.0,
        width=width,
        height=height,
        view=view,
        infant_size=size,
        clusters=0,
    )
    scene = Scene3D(spec)
    shares = [scene.frame(i)[1]["share"] for i in range(0, 30, 6)]
    assert abs(float(np.median(shares)) - size) < 0.03 + 0.15 * size
