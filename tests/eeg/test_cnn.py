"""The numpy port of the Stevenson-Tapani-Vanhatalo neonatal seizure CNN (``eeg.cnn``)."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from spasmwatch.eeg import cnn
from spasmwatch.eeg.features import bipolar_montage
from spasmwatch.eeg.reader import read_recording

FS = 256
SOURCE_SHA256 = "7c243a3f344968c8b41534d6e496ee8990c0a200dca86519a0daf37463928a83"


@pytest.fixture(scope="module")
def clip14(helsinki_dir: Path) -> tuple[np.ndarray, list[str]]:
    """Bipolar montage of Helsinki clip 14 (consensus seizure): the network's output
    moves through the middle of [0, 1] on P4-O2, where a wrong layer would show."""
    rec = read_recording(helsinki_dir / "clips" / "eeg14.edf")
    return bipolar_montage(rec.read(), rec.channels)


def _reference(x32: np.ndarray, step: int) -> np.ndarray:
    n = (len(x32) - cnn.WINDOW_SAMPLES) // step + 1
    windows = np.stack([x32[k * step : k * step + cnn.WINDOW_SAMPLES] for k in range(n)])
    return cnn.forward_reference(windows)[:, cnn.SEIZURE_INDEX]


# ---------------------------------------------------------------- weights
def test_weights_have_the_published_layers_and_parameters() -> None:
    w = cnn.load_weights()
    kinds = list(w["layer_types"])
    assert len(kinds) == 40  # as the README of the weights and MATLAB's SeriesNetwork
    assert kinds[0] == "imageinput" and kinds[-3:] == ["fc", "softmax", "classoutput"]
    assert kinds.count("conv") == kinds.count("batchnorm") == kinds.count("relu") == 11
    pools = [n for n, k in zip(w["layer_names"], kinds, strict=True) if k == "avgpool"]
    assert [int(w[f"{p}.pool_size"]) for p in pools] == [8, 4, 2]
    assert {int(w[f"{p}.stride"]) for p in pools} == {3}
    assert w["imageinput.input_size"].tolist() == [512, 1, 1]
    assert w["fc.weights"].shape == (12, 2, 2)  # 12 positions x 2 channels -> 2 classes
    assert w["classoutput.classes"].tolist() == ["0", "1"]  # index 1 is seizure
    assert cnn.SEIZURE_INDEX == 1
    learnable = {
        k: v for k, v in w.items() if k.endswith((".weights", ".bias", ".scale", ".offset"))
    }
    assert all(v.dtype == np.float32 for v in learnable.values())
    n = sum(v.size for v in learnable.values())
    conv_bias = [v for k, v in learnable.items() if k.startswith("conv") and k.endswith(".bias")]
    assert n == 28952
    # the README's "about 28,600": all but the convolution biases, which are negligible
    assert abs(n - sum(v.size for v in conv_bias) - 28600) < 50
    assert max(np.abs(v).max() for v in conv_bias) < 1e-5
    assert str(w["source_sha256"]) == SOURCE_SHA256 and str(w["variant"]) == "sgdm"


def test_licence_notice_ships_next_to_the_weights() -> None:
    eeg = resources.files("spasmwatch.eeg")
    text = eeg.joinpath("STEVENSON_CNN_LICENSE.md").read_text(encoding="utf-8")
    assert "Copyright 2017 Nathan Stevenson" in text
    assert "Permission is hereby granted, free of charge" in text
    assert "nstevensonUH/Neonatal-EEG-Analysis" in text and SOURCE_SHA256 in text
    assert "in-sample" in text
    raw = eeg.joinpath("stevenson_cnn.npz").read_bytes()
    assert len(raw) > 100_000 and hashlib.sha256(raw).hexdigest()  # readable package data


# ---------------------------------------------------------------- fast path
def test_fast_path_equals_the_per_window_forward_pass(clip14) -> None:
    data, names = clip14
    x32 = cnn.preprocess_channel(data[names.index("P4-O2")], FS)
    # a 1-s step moves the windows through every phase of the three stride-3 pools
    # (32 samples is not a multiple of 3); 1/32 s and 27/32 s cover the extremes; 27/32 s
    # (the network's own step) and its multiples take the strided pass
    for step_s in (1.0, 1 / 32, 27 / 32, 2.5, 54 / 32):
        step = round(step_s * cnn.FS_HZ)
        fast = cnn.window_probabilities(x32, step_s)
        ref = _reference(x32, step)
        assert fast.shape == ref.shape == ((len(x32) - 512) // step + 1,)
        np.testing.assert_allclose(fast, ref, rtol=0, atol=2e-5)
    p = cnn.window_probabilities(x32)
    assert p.min() < 0.4 and p.max() > 0.8  # the check runs where the output moves


def test_the_native_step_is_the_product_of_the_pools_strides() -> None:
    assert cnn.native_step_s() == 27 / 32


def test_strided_pass_is_exact_across_its_blocks() -> None:
    # more than one block of windows (256) at the network's own step: either side of seams
    rng = np.random.default_rng(4)
    x32 = np.round(rng.normal(0, 4000, 700 * 27 + 512)).astype(np.float32)
    fast = cnn.window_probabilities(x32, 27 / 32)
    assert len(fast) == 701
    for k in (0, 255, 256, 257, 511, 512, 700):
        ref = cnn.forward_reference(x32[None, k * 27 : k * 27 + 512])[0, 1]
        assert fast[k] == pytest.approx(ref, abs=2e-5)
    part = cnn.window_probabilities(x32, 27 / 32, windows=(250, 300))
    np.testing.assert_array_equal(part, fast[250:300])


def test_fast_path_is_exact_across_its_blocks() -> None:
    # more than one block of windows (3600): the windows either side of the seam
    rng = np.random.default_rng(3)
    t = np.arange(4000 * cnn.FS_HZ) / cnn.FS_HZ
    x = np.round(
        5000 * np.sin(2 * np.pi * 2.3 * t) * (1 + np.sin(t / 7)) + rng.normal(0, 3000, len(t))
    )
    x32 = x.astype(np.float32)
    fast = cnn.window_probabilities(x32)
    assert len(fast) == (len(x32) - 512) // 32 + 1
    for k in (0, 3598, 3599, 3600, 3601, len(fast) - 1):
        ref = cnn.forward_reference(x32[None, k * 32 : k * 32 + 512])[0, 1]
        assert fast[k] == pytest.approx(ref, abs=2e-5)


def test_head_blocks_give_exactly_the_whole_signal_head(clip14, monkeypatch) -> None:
    # the head runs in blocks of positions that stay in cache; the values at the seams
    # (and everywhere) are those of one block over the whole channel, within float32
    # rounding (BLAS may sum the last rows of a matrix in another order: a seam in the
    # wrong place would be off by far more)
    data, names = clip14
    x = data[names.index("P4-O2")]
    x = np.concatenate([x, x[::-1]] * 3)  # 180 s, continuous at the joins
    x32 = cnn.preprocess_channel(x, FS)
    plan = cnn._plan(None)
    blocked = cnn._head(x32, plan)
    assert len(blocked) > 2 * cnn._HEAD_BLOCK  # at least two seams
    monkeypatch.setattr(cnn, "_HEAD_BLOCK", len(x32))
    whole = cnn._head(x32, plan)
    np.testing.assert_allclose(blocked, whole, rtol=1e-5, atol=1e-5 * np.abs(whole).max())


def test_single_input_channel_layer_equals_the_matrix_product() -> None:
    # the first layer (one input channel): its three taps side by side make one matrix
    # product of inner dimension 3, added to the bias inside BLAS; the per-tap products
    # summed give the same values within float32 rounding
    plan = cnn._plan(None)
    op = plan.head[0]
    x = np.random.default_rng(5).normal(0, 5000, (300, 1)).astype(np.float32)
    n = len(x) - 2
    y = sum(x[j : j + n] @ op.weights[j : j + 1] for j in range(3)) + op.bias
    got = cnn._conv_relu(x, op, 1, axis=0)
    np.testing.assert_allclose(got, np.maximum(y, 0), rtol=1e-6, atol=1e-6 * np.abs(y).max())
    cols = np.stack([x[j : j + n, 0] for j in range(3)], axis=1)
    np.testing.assert_array_equal(got, np.maximum(op.bias + cols @ op.weights, 0))


def test_taps_accumulated_by_blas_equal_one_product_per_tap() -> None:
    # the 32-channel layers start from the bias and accumulate their taps inside NumPy's
    # sgemm (beta = 1): bit for bit the bias plus the per-tap products added up in turn,
    # at every dilation the head uses
    plan = cnn._plan(None)
    op = plan.head[1]
    x = np.maximum(np.random.default_rng(6).normal(0, 3, (2300, 32)), 0).astype(np.float32)
    for d in (1, 3, 9):
        n = len(x) - 2 * d
        y = np.broadcast_to(op.bias, (n, len(op.bias))).copy()
        for j in (0, 1, 2):
            y += x[j * d : j * d + n] @ op.weights[32 * j : 32 * (j + 1)]
        np.testing.assert_array_equal(cnn._conv_relu(x, op, d, axis=0), np.maximum(y, 0))


def test_probabilities_of_chosen_seconds_equal_those_of_the_whole_signal(clip14) -> None:
    # the analysis asks only for the seconds of a chunk without its margins: only the
    # windows they read are scored, with the values of a full run (within float32
    # rounding, as a chunked analysis equals a whole one)
    data, _ = clip14
    x = np.concatenate([data, data[:, ::-1]] * 2, axis=1)  # 120 s, continuous at the joins
    full = cnn.second_probabilities(x, FS)
    for first, stop in ((24, 96), (0, 30), (100, 120), (3, 4), (0, 120)):
        part = cnn.second_probabilities(x, FS, seconds=(first, stop))
        assert part.shape == (full.shape[0], stop - first)
        np.testing.assert_allclose(part, full[:, first:stop], atol=2e-6)


def test_probabilities_of_a_clip_are_in_the_unit_interval(clip14) -> None:
    data, _ = clip14
    p = cnn.channel_probabilities(data, FS)
    assert p.shape == (18, 15) and p.dtype == np.float32  # 30 s: windows start at 0..14 s
    assert np.isfinite(p).all() and p.min() >= 0.0 and p.max() <= 1.0
    # in-sample (the network was trained on all Helsinki infants): a consensus seizure
    assert p.max(axis=0).mean() > 0.5
    extreme = np.zeros((2, 20 * FS))
    extreme[1, ::2] = 1e6  # saturates every sample after the band-pass
    q = cnn.channel_probabilities(extreme, FS, step_s=0.5)
    assert q.shape == (2, 9) and q.min() >= 0.0 and q.max() <= 1.0


def test_window_times() -> None:
    assert cnn.window_times(3).tolist() == [8.0, 9.0, 10.0]
    assert cnn.window_times(3, 0.5, "start").tolist() == [0.0, 0.5, 1.0]
    assert cnn.window_times(2, 2.0, "end").tolist() == [16.0, 18.0]
    with pytest.raises(ValueError, match="'where'"):
        cnn.window_times(3, where="middle")  # type: ignore[arg-type]


# ---------------------------------------------------------------- pre-processing
def test_seconds_from_windows() -> None:
    # 40 s at a 1-s step: 25 windows, centred at 8 .. 32 s
    p = np.arange(25, dtype=np.float32)[None]
    sec = cnn.seconds_from_windows(p, 40)
    assert sec.shape == (1, 40)
    assert (sec[0, :8] == 0).all()  # before the first centre: the first window
    # second t: mean of the windows centred at t and t + 1 (indices t - 8 and t - 7)
    np.testing.assert_array_equal(sec[0, 8:32], np.arange(24) + 0.5)
    assert (sec[0, 32:] == 24).all()  # after the last centre: the last window
    # at the network's own step (27/32 s), window k is centred at 8 + 27 k / 32 s: each
    # second takes the windows centred within 1 s of its middle, weighted 1 - distance
    q = np.random.default_rng(5).random((2, 30)).astype(np.float32)
    sec = cnn.seconds_from_windows(q, 40, 27 / 32)
    centres = 8 + 27 * np.arange(30) / 32
    for t in range(40):
        w = np.clip(1 - np.abs(centres - (t + 0.5)), 0, None)
        if w.sum() == 0:  # no window centred that near: the nearest
            w = (np.abs(centres - (t + 0.5)) == np.abs(centres - (t + 0.5)).min()) * 1.0
        np.testing.assert_allclose(sec[:, t], q @ w / w.sum(), rtol=1e-5)


def test_second_probabilities_match_the_windows(clip14) -> None:
    data, _ = clip14
    p = cnn.second_probabilities(data[:3], FS)
    win = cnn.channel_probabilities(data[:3], FS, 27 / 32)
    assert p.shape == (3, data.shape[1] // FS)
    # second 10's middle, 10.5 s: the windows centred at 8 + k * 27/32 s within 1 s of it
    # (k = 2, 3, 4), weighted 1 - distance
    w = np.clip(1 - np.abs(8 + 27 * np.arange(5) / 32 - 10.5), 0, None)
    np.testing.assert_allclose(p[:, 10], win[:, :5] @ w / w.sum(), rtol=1e-5)
    # at a 1-s step: the mean of the windows centred at 10 and 11 s
    p1 = cnn.second_probabilities(data[:3], FS, step_s=1.0)
    win1 = cnn.channel_probabilities(data[:3], FS)
    np.testing.assert_allclose(p1[:, 10], 0.5 * (win1[:, 2] + win1[:, 3]), rtol=1e-6)
    # the grid's last window (16 of 27/32 s) ends 0.5 s before the clip: its last seconds
    # are read from one more window, ending with the clip (as the 1-s grid's last)
    assert win.shape[1] == 17
    np.testing.assert_allclose(p[:, 29], win1[:, 14], atol=1e-6)
    np.testing.assert_allclose(p[:, 22:], p1[:, 22:], atol=1e-6)


def test_a_part_read_with_margins_has_the_whole_recordings_values(clip14) -> None:
    # the analysis reads a chunk with margins from a whole second of the recording: the
    # windows lie on the recording's grid (27/32 s from its start), so the chunk's seconds
    # have the whole recording's values (within float32 rounding; the band-pass has warmed
    # up over the margin)
    data, _ = clip14
    x = np.concatenate([data, data[:, ::-1]] * 2, axis=1)  # 120 s
    full = cnn.second_probabilities(x, FS)
    for r0 in (25, 26, 27, 40):
        part = cnn.second_probabilities(x[:, r0 * FS :], FS, seconds=(24, 60), offset_s=r0)
        np.testing.assert_allclose(part, full[:, r0 + 24 : r0 + 60], atol=2e-6)
    with pytest.raises(ValueError, match="'offset_s'"):
        cnn.second_probabilities(x, FS, offset_s=-1)


def test_quantisation_is_demo_m_with_matlab_rounding() -> None:
    q = cnn.quantise(np.array([0.0, 1.0, -1.0, 200.0, -200.0, 1e4, -1e4, 100.0]))
    # uint16(x / 400 * 65535 + 32768 + 0.5) - 32768, MATLAB rounding: 0 uV codes as 1
    assert q.tolist() == [1, 164, -163, 32767, -32767, 32767, -32767, 16384]
    assert q.dtype == np.float32
    assert abs(cnn.UNITS_PER_UV - 163.8375) < 1e-9


def test_preprocessing_scales_microvolts_and_clips_at_200() -> None:
    t = np.arange(40 * FS) / FS
    x32 = cnn.preprocess_channel(50.0 * np.sin(2 * np.pi * 6.0 * t), FS)
    assert x32.shape == (40 * 32,) and x32.dtype == np.float32
    steady = x32[10 * 32 : 35 * 32]  # past the filter's start-up, before the end
    # 6 Hz is in the pass band: 50 uV peak is about 50 x 163.8 units
    assert np.abs(steady).max() == pytest.approx(50 * cnn.UNITS_PER_UV, rel=0.02)
    big = cnn.preprocess_channel(1000.0 * np.sin(2 * np.pi * 6.0 * t), FS)
    assert big.max() == 32767 and big.min() == -32767  # +/-200 uV
    # the band-pass removes what is outside about 1-13 Hz: an offset and 0.2 Hz drift
    slow = cnn.preprocess_channel(150.0 + 100.0 * np.sin(2 * np.pi * 0.2 * t), FS)
    assert np.abs(slow[10 * 32 :]).max() < 0.5 * cnn.UNITS_PER_UV


def test_preprocessing_at_other_rates() -> None:
    for fs in (200, 500, 512):
        t = np.arange(40 * fs) / fs
        x32 = cnn.preprocess_channel(50.0 * np.sin(2 * np.pi * 6.0 * t), fs)
        assert len(x32) == -(-40 * fs * 32 // fs)
        assert np.abs(x32[10 * 32 : 35 * 32]).max() == pytest.approx(50 * 163.84, rel=0.02)


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("call", "arg"),
    [
        (lambda: cnn.window_probabilities(np.zeros(511)), "x32"),
        (lambda: cnn.window_probabilities(np.r_[np.zeros(600), np.nan]), "x32"),
        (lambda: cnn.window_probabilities(np.zeros((2, 600))), "x32"),
        (lambda: cnn.window_probabilities(np.zeros(600), step_s=0.01), "step_s"),
        (lambda: cnn.window_probabilities(np.zeros(600), step_s=0), "step_s"),
        (lambda: cnn.preprocess_channel(np.zeros((2, 600)), FS), "x_uv"),
        (lambda: cnn.preprocess_channel(np.array([]), FS), "x_uv"),
        (lambda: cnn.preprocess_channel(np.r_[np.zeros(600), np.inf], FS), "x_uv"),
        (lambda: cnn.preprocess_channel(np.zeros(600), 250.5), "fs_hz"),
        (lambda: cnn.preprocess_channel(np.zeros(600), 50), "fs_hz"),
        (lambda: cnn.channel_probabilities(np.zeros(20 * FS), FS), "data_uv"),
        (lambda: cnn.channel_probabilities(np.zeros((3, 15 * FS)), FS), "data_uv"),
        (lambda: cnn.channel_probabilities(np.full((3, 20 * FS), np.nan), FS), "data_uv"),
        (lambda: cnn.channel_probabilities(np.zeros((3, 20 * FS)), 0), "fs_hz"),
        (lambda: cnn.forward_reference(np.zeros((2, 500))), "windows"),
    ],
)
def test_bad_input_names_the_argument(call, arg: str) -> None:
    with pytest.raises(ValueError, match=f"'{arg}'"):
        call()
