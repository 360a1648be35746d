"""Videos of the quality problems a family's phone makes, rendered for the report tests: a
picture without a baby (``small.mp4``), a dark one (``dark.mp4``) and a shaken one with
rhythmic kicking (``shaky.mp4``).

Each is a synthetic scene (:mod:`spasmwatch.testing.video.render`) changed frame by frame
as the problem changes a real video: darkened, held still, or moved as a hand-held phone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from spasmwatch.testing.video.render import SceneSpec, render

#: A quiet scene: no distraction but what each video is made to show.
QUIET = {
    "duration_s": 15,
    "clusters": 0,
    "jerks": 0,
    "kick_bouts": 0,
    "reaches": 0,
    "hands": 0,
    "shake": 0,
    "jolts": 0,
    "flicker": 0,
}
#: A dark room: the picture at an eighth of its light, below the quality check's darkest
#: useful level (a mean grey of 40 of 255).
DARK_GAIN = 0.12
#: A hand-held phone swaying about 8 px (of 240) at about 1 Hz: faster than the quality
#: check's steady camera (0.08 short sides a second), slow enough that the kicking shows.
SWAY_PX = 8.0


def _rewrite(source: Path, target: Path, change: Callable[[int, np.ndarray], np.ndarray]) -> Path:
    """``source`` written again to ``target`` with each frame changed by ``change``."""
    reader = cv2.VideoCapture(str(source))
    fps = reader.get(cv2.CAP_PROP_FPS)
    size = (int(reader.get(cv2.CAP_PROP_FRAME_WIDTH)), int(reader.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    writer = cv2.VideoWriter(str(target), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    i = 0
    while True:
        ok, frame = reader.read()
        if not ok:
            break
        writer.write(change(i, frame))
        i += 1
    reader.release()
    writer.release()
    return target


def dark_video(folder: Path) -> Path:
    """``dark.mp4``: a cluster of spasms filmed in a dark room."""
    spec = SceneSpec("dark", seed=4, **{**QUIET, "clusters": 1, "cluster_size": (4, 5)})
    lit = folder / "lit.mp4"
    render(spec, lit)
    return _rewrite(lit, folder / "dark.mp4", lambda _i, f: (f * DARK_GAIN).astype(np.uint8))


def small_video(folder: Path) -> Path:
    """``small.mp4``: 12 s of a still picture, in which nothing moves: no baby is found."""
    spec = SceneSpec("still", seed=4, **{**QUIET, "duration_s": 12})
    moving = folder / "moving.mp4"
    render(spec, moving)
    first: list[np.ndarray] = []

    def hold(_i: int, frame: np.ndarray) -> np.ndarray:
        if not first:
            first.append(frame)
        return first[0]

    return _rewrite(moving, folder / "small.mp4", hold)


def shaky_video(folder: Path) -> Path:
    """``shaky.mp4``: two bouts of rhythmic kicking filmed by a swaying hand-held phone."""
    spec = SceneSpec("kicks", seed=5, **{**QUIET, "kick_bouts": 2})
    steady = folder / "steady.mp4"
    render(spec, steady)
    fps = cv2.VideoCapture(str(steady)).get(cv2.CAP_PROP_FPS)

    def sway(i: int, frame: np.ndarray) -> np.ndarray:
        t = i / fps
        dx = SWAY_PX * np.sin(2 * np.pi * 1.1 * t)
        dy = 0.7 * SWAY_PX * np.cos(2 * np.pi * 0.8 * t)
        height, width = frame.shape[:2]
        move = np.float32([[1, 0, dx], [0, 1, dy]])
        return cv2.warpAffine(frame, move, (width, height), borderMode=cv2.BORDER_REFLECT)

    return _rewrite(steady, folder / "shaky.mp4", sway)
