"""Optical flow signals: camera motion and lighting removed, object motion kept."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from spasmwatch.video.motion import MotionExtractor, _least_squares


def _texture(h: int = 300, w: int = 400, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noise = cv2.GaussianBlur(rng.standard_normal((h, w)).astype(np.float32), (0, 0), 2.0)
    return np.clip(128 + 60 * noise / noise.std(), 0, 255).astype(np.uint8)


def _run(frames: list[np.ndarray], rate: float = 15.0):
    ex = MotionExtractor((frames[0].shape[1], frames[0].shape[0]))
    for i, f in enumerate(frames):
        ex.add(i / rate, f)
    return ex.result()


def test_camera_pan_and_zoom_are_removed() -> None:
    big = _texture()
    frames = []
    for i in range(20):
        m = cv2.getRotationMatrix2D((200, 150), 0.3 * i, 1 + 0.004 * i)
        m[:, 2] += (3 * i - 30, 2 * i - 20)
        frames.append(cv2.warpAffine(big, m, (400, 300))[30:270, 40:360])
    sig = _run(frames)
    assert sig.camera_speed[1:].min() > 0.1  # the pan was seen
    assert np.percentile(sig.speed[1:], 95) < 0.05  # and removed everywhere


def test_lighting_flicker_moves_nothing() -> None:
    base = _texture()[:240, :320]
    frames = [
        np.clip(base.astype(float) * (1 + 0.2 * np.sin(i)), 0, 255).astype(np.uint8)
        for i in range(20)
    ]
    sig = _run(frames)
    assert np.percentile(sig.speed[1:], 99) < 0.05


def test_a_moving_object_shows_in_its_cells() -> None:
    base = _texture()[:240, :320]
    patch = _texture(40, 40, seed=1)
    frames = []
    for i in range(15):
        f = base.copy()
        x = 100 + 4 * i
        f[100:140, x : x + 40] = patch
        frames.append(f)
    sig = _run(frames)
    rows, cols = sig.grid_shape
    assert (rows, cols) == (16, 21)
    mean = sig.speed[1:].mean(axis=0)
    r, c = np.unravel_index(np.argmax(mean), mean.shape)
    assert 5 <= r <= 10 and 6 <= c <= 12
    assert sig.flow_x[1:, r, c].mean() > 0.1  # moving right
    assert mean[0, 0] < 0.02 and mean[-1, -1] < 0.02


def test_camera_fit_solves_like_lstsq_even_when_singular() -> None:
    rng = np.random.default_rng(3)
    xy = rng.uniform(-1, 1, (500, 2))
    design = np.c_[np.ones(500), xy]
    flow = rng.normal(size=(500, 2))
    expected = np.linalg.lstsq(design, flow, rcond=None)[0]
    np.testing.assert_allclose(_least_squares(design, flow), expected, atol=1e-12)
    # every kept sample on one row of the picture: y carries nothing, the normal
    # equations are singular, and the fit falls back to lstsq instead of failing
    one_row = design.copy()
    one_row[:, 2] = 0.25
    np.testing.assert_allclose(
        _least_squares(one_row, flow), np.linalg.lstsq(one_row, flow, rcond=None)[0]
    )


def test_rejects_bad_frames() -> None:
    ex = MotionExtractor((320, 240))
    with pytest.raises(ValueError, match="frame size"):
        ex.add(0.0, np.zeros((100, 100), np.uint8))
    with pytest.raises(ValueError, match="frame_size"):
        MotionExtractor((8, 8))
