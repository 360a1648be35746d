"""Rendered test videos, made once per test session in a temporary folder."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path

import pytest

from spasmwatch.testing.video.render import GroundTruth, SceneSpec, render
from spasmwatch.video import VideoAnalysis, analyze_video
from workers import shared_folder

#: The fixed evaluation set: hard scenes (shake, jolts, flicker, a hand, kicks, jerks,
#: reaches) with clusters of flexion or extension spasms, symmetric or one-sided, and
#: benign scenes with no spasm at all.
SCENES = [
    SceneSpec(
        "cluster_a",
        seed=11,
        duration_s=45,
        cluster_size=(5, 8),
        one_sided_share=0.4,
        jerks=2,
        kick_bouts=1,
        reaches=1,
        hands=1,
        shake=1.5,
        jolts=2,
        flicker=1.5,
    ),
    SceneSpec(
        "cluster_b",
        seed=12,
        duration_s=45,
        cluster_size=(5, 8),
        one_sided_share=0.4,
        jerks=2,
        kick_bouts=1,
        reaches=1,
        hands=1,
        shake=1.5,
        jolts=2,
        flicker=1.5,
    ),
    SceneSpec(
        "cluster_portrait",
        seed=13,
        duration_s=45,
        width=240,
        height=320,
        cluster_size=(5, 8),
        store_rotation=90,
        shake=1.0,
        flicker=1.0,
    ),
    SceneSpec(
        "benign_a",
        seed=21,
        duration_s=45,
        clusters=0,
        jerks=4,
        kick_bouts=2,
        reaches=2,
        hands=1,
        shake=1.5,
        jolts=2,
        flicker=2.0,
    ),
    SceneSpec(
        "benign_b",
        seed=22,
        duration_s=45,
        clusters=0,
        jerks=4,
        kick_bouts=1,
        reaches=2,
        hands=2,
        shake=1.5,
        jolts=3,
        flicker=2.0,
    ),
]


@dataclass(frozen=True)
class Rendered:
    """A rendered video and its ground truth."""

    path: Path
    truth: GroundTruth


@pytest.fixture(scope="session")
def video_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A session-wide folder for rendered videos."""
    return tmp_path_factory.mktemp("videos")


@pytest.fixture(scope="session")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    """The fixed set of rendered videos, by scene name (rendered once for all workers)."""
    out = {}
    with shared_folder(tmp_path_factory, "rendered-videos") as folder:
        for spec in SCENES:
            path = folder / f"{spec.name}.mp4"
            truth_path = path.with_suffix(".truth.pickle")
            if truth_path.is_file():
                truth = pickle.loads(truth_path.read_bytes())
            else:
                truth = render(spec, path)
                truth_path.write_bytes(pickle.dumps(truth))
            out[spec.name] = Rendered(path, truth)
    return out


@pytest.fixture(scope="session")
def analyses(rendered: dict[str, Rendered]) -> dict[str, VideoAnalysis]:
    """``analyze_video`` at normal sensitivity on every rendered video."""
    return {name: analyze_video(r.path) for name, r in rendered.items()}


@pytest.fixture(scope="session")
def short_video(video_dir: Path) -> Rendered:
    """A short, easy 12 s video with a few spasms (for outputs and the CLI)."""
    spec = SceneSpec(
        "short",
        seed=5,
        duration_s=12,
        cluster_size=(3, 3),
        gap_s=(3, 4),
        jerks=0,
        kick_bouts=0,
        reaches=0,
        hands=0,
        shake=0.5,
        jolts=0,
        flicker=0.5,
        one_sided_share=0.0,
    )
    path = video_dir / "short.mp4"
    return Rendered(path, render(spec, path))


@pytest.fixture(scope="session")
def kicking_video(video_dir: Path) -> Rendered:
    """A 15 s video of a baby kicking (two bouts of rhythmic kicks, no spasm): the
    detector calls them rhythmic."""
    spec = SceneSpec(
        "kicking",
        seed=5,
        duration_s=15,
        clusters=0,
        jerks=0,
        kick_bouts=2,
        reaches=0,
        hands=0,
        shake=0.5,
        jolts=0,
        flicker=0.5,
    )
    path = video_dir / "kicking.mp4"
    return Rendered(path, render(spec, path))
