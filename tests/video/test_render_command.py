"""The scene generators' command line (:mod:`spasmwatch.testing.video.render_command`):
a scene of a set, with another seed and length, to an MP4 and its ground truth as JSON.

Short videos only: a few seconds of a 2-D scene, two of a 3-D one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import av
import pytest

from spasmwatch.testing.video import render, render3d
from spasmwatch.testing.video.render_command import choose_scenes


def _frames(path: Path) -> tuple[int, int, int]:
    with av.open(str(path)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    height, width = frames[0].shape[:2]
    return len(frames), width, height


def test_a_2d_scene_with_its_seed_and_length_to_the_paths_given(tmp_path: Path, capsys) -> None:
    video, labels = tmp_path / "clips" / "one.mp4", tmp_path / "truth" / "one.json"
    args = ["--scene", "cluster_00", "--seed", "77", "--duration", "25", "--video", str(video)]
    assert render.main([*args, "--labels", str(labels)]) == 0
    assert "cluster_00: " in capsys.readouterr().out
    truth = json.loads(labels.read_text())
    assert truth["spec"]["seed"] == 77 and truth["spec"]["duration_s"] == 25
    assert truth["spec"]["name"] == "cluster_00"  # the scene's design, redrawn
    assert _frames(video) == (25 * 15, 320, 240)
    assert all(0 <= e["end_s"] <= 25 and e["start_s"] < e["end_s"] for e in truth["events"])
    spasms = [e for e in truth["events"] if e["kind"] == "spasm"]
    assert sum(count for _start, _end, count in truth["clusters"]) == len(spasms)
    # the same scene, seed and length give the same timeline (render() then names the
    # side of a one-sided spasm as the picture's)
    (spec,) = choose_scenes(render.test_set(), ["cluster_00"], 77, 25.0)
    planned = [(e.start_s, e.end_s, e.kind) for e in render.schedule(spec).events]
    assert planned == [(e["start_s"], e["end_s"], e["kind"]) for e in truth["events"]]


def test_the_labels_go_beside_the_video_by_default(tmp_path: Path) -> None:
    video = tmp_path / "benign.mp4"
    args = ["--set", "tuning", "--scene", "tune_benign_00", "--duration", "3"]
    assert render.main([*args, "--video", str(video)]) == 0
    truth = json.loads(video.with_suffix(".json").read_text())
    assert truth["clusters"] == [] and truth["spec"]["seed"] == 4000


def test_a_3d_scene_to_a_folder_with_its_seed_and_length(tmp_path: Path, capsys) -> None:
    args = ["--set", "validation", "--only", "val_b01", "--seed", "5", "--duration", "2"]
    assert render3d.main([*args, "--out", str(tmp_path)]) == 0
    assert "infant" in capsys.readouterr().out
    truth = json.loads((tmp_path / "val_b01.json").read_text())
    assert truth["spec"]["seed"] == 5 and truth["spec"]["duration_s"] == 2
    assert 0 < truth["infant_share"] < 1
    assert _frames(tmp_path / "val_b01.mp4")[0] == 60  # 2 s at 30 frames a second


def test_a_3d_cluster_is_drawn_to_fit_a_shorter_scene() -> None:
    # planned, not rendered: the cluster keeps fewer spasms inside the 20 s
    (spec,) = choose_scenes(render3d.tuning_set(), ["tune_c01"], duration_s=20.0)
    truth = render3d.plan(spec)
    assert truth.spasms and all(e.end_s <= 20.0 for e in truth.events)
    assert len(truth.spasms) < render3d.plan(render3d.tuning_set()[0]).clusters[0][2]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scene", "nope", "--video", "x.mp4"], "Invalid value for '--scene': allowed are"),
        (["--video", "x.mp4"], "--video writes one scene: name it with --scene"),
        (["--seed", "3", "--out", "d"], "--seed draws one scene anew"),
        (["--scene", "cluster_00", "--duration", "0", "--out", "d"], "'--duration'"),
        (["--scene", "cluster_00"], "--video FILE.mp4 (one scene) or --out DIR"),
        (["--scene", "cluster_00", "--labels", "x.json", "--out", "d"], "--labels goes with"),
    ],
)
def test_invalid_options_say_which_and_write_nothing(
    args: list[str], message: str, tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stopped:
        render.main(args)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_modules_run_with_python_m() -> None:
    for module, first in (("render", "cluster_00"), ("render3d", "val_c01")):
        extra = ["--set", "validation"] if module == "render3d" else []
        proc = subprocess.run(
            [sys.executable, "-m", f"spasmwatch.testing.video.{module}", "--list", *extra],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.splitlines()[0].startswith(f"{first}  seed ")
