"""Real videos whose picture limits what the analysis can say (no baby in it, too dark,
the phone shaking): the statement, in the library and from the command line, says so
first and never reads as a negative."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from spasmwatch.cli import run
from spasmwatch.testing.video.render import SceneSpec, render
from spasmwatch.video import analyze_video

SIZE = (320, 240)


def draw_video(path: Path, frame_at: Callable[[float], np.ndarray], seconds: float = 12.0) -> Path:
    """An H.264 MP4 of ``seconds`` at 10 fps whose picture at time t is ``frame_at(t)``
    (RGB, 240x320)."""
    fps = 10
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = *SIZE, "yuv420p"
        stream.time_base = Fraction(1, fps)
        for i in range(int(seconds * fps)):
            frame = av.VideoFrame.from_ndarray(frame_at(i / fps), format="rgb24")
            frame.pts = i
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def _blanket() -> np.ndarray:
    """A still, textured picture (a blanket, a cot) with nothing moving on it."""
    rng = np.random.default_rng(1)
    cells = (rng.random((60, 80)) * 160 + 60).astype(np.uint8)
    grey = np.kron(cells, np.ones((4, 4), np.uint8))
    return np.repeat(grey[:, :, None], 3, axis=2)


def _with_a_moving_patch(base: np.ndarray, t: float) -> np.ndarray:
    """``base`` with a skin-coloured patch bobbing up and down (a moving baby)."""
    img = base.copy()
    dy = int(12 * abs(np.sin(2 * np.pi * 0.7 * t)))
    patch = img[80 + dy : 160 + dy, 120:200]
    img[80 + dy : 160 + dy, 120:200] = (patch * 0.3 + np.array([200, 150, 120]) * 0.7).astype(
        np.uint8
    )
    return img


def no_baby_video(path: Path) -> Path:
    """A 12 s video of a blanket and nobody on it."""
    still = _blanket()
    return draw_video(path, lambda t: still)


def dark_video(path: Path) -> Path:
    """A 12 s video of a moving baby in a room with the light off."""
    dim = _blanket() // 8
    return draw_video(path, lambda t: _with_a_moving_patch(dim, t) // 4 + 3)


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("picture-limits")
    shaken = folder / "shaken.mp4"
    # a baby kicking, filmed by a hand that shakes three times as much as a usual one
    render(
        SceneSpec(
            "shaken",
            seed=5,
            duration_s=15,
            clusters=0,
            jerks=0,
            kick_bouts=2,
            reaches=0,
            hands=0,
            shake=3.0,
            jolts=0,
            flicker=0.5,
        ),
        shaken,
    )
    return {
        "no_baby": no_baby_video(folder / "nobody.mp4"),
        "dark": dark_video(folder / "dark.mp4"),
        "shaken": shaken,
    }


def test_a_video_with_nobody_in_it_could_not_be_checked(videos) -> None:
    doc = analyze_video(videos["no_baby"]).to_dict()
    checks = {c["id"]: c["ok"] for c in doc["quality"]["checks"]}
    assert checks["infant_found"] is False
    assert checks["infant_size"] is None and checks["infant_in_view"] is None
    said = " ".join(doc["statement"])
    assert said.startswith("No baby could be found in the picture, so the video could not be")
    assert "No spasm-like movement was detected" not in said
    assert "high sensitivity" not in said and "Film the baby again" in said


def test_a_dark_video_with_nothing_found_is_no_reassurance(videos) -> None:
    doc = analyze_video(videos["dark"]).to_dict()
    assert not {c["id"]: c for c in doc["quality"]["checks"]}["brightness"]["ok"]
    assert doc["summary"]["spasm_like"] == 0
    found, todo = doc["statement"][:2]
    assert found == (
        "Nothing spasm-like could be seen in this picture (too dark): that is not "
        "reassurance, as a picture like this can hide spasms."
    )
    assert "No spasm-like movement was detected" not in " ".join(doc["statement"])
    assert todo.startswith("What to do: The video is too dark to see small movements")
    assert "Film the baby again: the whole baby in the picture, in good light" in todo


def test_rhythmic_movement_in_a_shaken_video(videos) -> None:
    doc = analyze_video(videos["shaken"]).to_dict()
    assert not {c["id"]: c for c in doc["quality"]["checks"]}["camera"]["ok"]
    assert doc["summary"]["rhythmic"] >= 1
    found, todo = doc["statement"][:2]
    assert found.index("the phone moved too much") < found.index("rhythmic movement")
    assert "may be the phone's own shaking" in found
    assert todo.startswith("What to do: The video cannot tell whether the baby was jerking.")
    assert "5 minutes or more" in todo and "call emergency services now" in todo
    assert "The phone moved a lot: rest it on something" in todo


def test_the_command_line_says_the_same(videos, capsys) -> None:
    assert run(["video", "analyze", str(videos["no_baby"])]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert "No baby could be found in the picture" in said
    assert "No spasm-like movement was detected" not in said and "high sensitivity" not in said
    assert run(["video", "analyze", str(videos["shaken"])]) == 0
    said = " ".join(capsys.readouterr().out.split())
    assert said.index("the phone moved too much") < said.index("What to do:")
    assert said.index("What to do:") < said.index("can be a seizure")
    assert "may be the phone's own shaking" in said
