"""Neonatal EEG seizure detection with the published CNN of Stevenson, Tapani & Vanhatalo.

A numpy port of the trained network ``trained_cnn_all_sgdm_v1`` and of its reference
forward pass ``demo.m`` (MIT licence, Copyright 2017 Nathan Stevenson; weights in
``stevenson_cnn.npz`` next to this module, notice in ``STEVENSON_CNN_LICENSE.md``,
conversion ``scripts/convert_stevenson_cnn.py``). The network reads one bipolar channel,
16 s at 32 Hz (512 samples), and gives the probability that the window is seizure.

Pipeline, per channel:

1. :func:`preprocess_channel`: the band-pass, the resampling to 32 Hz, the clipping and
   the 16-bit quantisation of ``demo.m``;
2. :func:`window_probabilities`: the network over every 16-s window, one window per
   ``step_s``; computed once over the whole channel (below), checked against the plain
   per-window :func:`forward_reference`;
3. :func:`channel_probabilities` does both for each row of a montage, and
   :func:`window_times` gives the time each window's value refers to;
4. :func:`second_probabilities`: one value per channel and whole second, the form the
   analysis (:func:`~spasmwatch.eeg.analysis.analyze_eeg`) and its event rules use, from
   windows at the network's own step (27/32 s, below).

The network: 11 x (convolution of 3 taps, "valid", stride 1; batch normalisation;
ReLU), average pools (8, 4 and 2 samples, stride 3) after the 3rd, 6th and 9th
convolution, a fully connected layer of 2 outputs and a softmax; output 1 is seizure.
40 MATLAB layers, 28,952 learnable parameters (28,628 without the convolution biases,
which are below 1e-5).

**Caveat**: the network was trained on all 79 infants of the Helsinki neonatal dataset,
so its results on those recordings are in-sample; the paper's cross-validated results are
the honest reference. It detects neonatal (term newborn) seizures; it says nothing about
infantile spasms or hypsarrhythmia.

Fast path: the convolutions are shift-equivariant, so the layers of every window are
slices of the same layers run once over the whole channel. The average pools (stride 3)
break this only by their phase: a window starting ``s`` samples later reads the pooled
sequence at positions ``s + 3 j``. Running every layer up to the last pool densely
("a trous": no decimation, later kernels and pools dilated by 3, 9 and 27 samples) keeps
all phases, so any step works; the few layers after the last pool are run per window
on the gathered positions ``s + 27 j``, which no two windows at a 1-s step share.

At the network's own step, the product of its pools' strides (27 samples, 27/32 s), the
windows share every layer's positions: the whole network runs once over the signal with
its strides, as over one window, each layer at its own rate (those after the first pool
at a third of the input rate, after the second at a ninth). That is less than half the
work of the "a trous" pass for windows 1.19 times as dense; the analysis uses it, the
windows on a grid from the recording's start, and reads each second from the windows
centred within 1 s of its middle.

References
----------
N. J. Stevenson, K. Tapani, S. Vanhatalo. Hybrid neonatal EEG seizure detection
algorithms achieve the benchmark of visual interpretation of the human expert.
Proc. IEEE EMBC, Berlin, 2019.

N. J. Stevenson, K. Tapani, L. Lauronen, S. Vanhatalo. A dataset of neonatal EEG
recordings with seizure annotations. Scientific Data 6:190039, 2019.

The parts of the pipeline are modules of their own, named here too: the input and its
pre-processing (:mod:`~spasmwatch.eeg.cnn_input`), the weights and their folding
(:mod:`~spasmwatch.eeg.cnn_weights`), the layers and the reference pass
(:mod:`~spasmwatch.eeg.cnn_layers`), and the windows' times and seconds
(:mod:`~spasmwatch.eeg.cnn_seconds`). This module runs the network over whole channels.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import special

from spasmwatch.eeg.cnn_input import (
    CLIP_UV,
    FS_HZ,
    UNITS_PER_UV,
    WINDOW_S,
    WINDOW_SAMPLES,
    _check_fs,
    _check_signal,
    _step_samples,
    preprocess_channel,
    quantise,
)
from spasmwatch.eeg.cnn_layers import _conv_relu, _head_reach, _pool, forward_reference
from spasmwatch.eeg.cnn_seconds import _kernel, seconds_from_windows, window_times
from spasmwatch.eeg.cnn_weights import _Conv, _Plan, _plan, load_weights

__all__ = [
    "CLIP_UV",
    "FS_HZ",
    "SEIZURE_INDEX",
    "UNITS_PER_UV",
    "WINDOW_S",
    "WINDOW_SAMPLES",
    "channel_probabilities",
    "forward_reference",
    "load_weights",
    "native_step_s",
    "preprocess_channel",
    "quantise",
    "second_probabilities",
    "seconds_from_windows",
    "window_probabilities",
    "window_times",
]

SEIZURE_INDEX = 1
"""Index of the seizure class among the network's two outputs (class ``'1'``)."""
_BLOCK_WINDOWS = 3600  # windows per block of the fast path: bounds memory on long signals
_HEAD_BLOCK = 2048  # head positions per block: 2048 x 32 float32 activations fit a core's L2
_STRIDED_BLOCK = 256  # windows per block of the strided pass: its first layers' activations
# (about 7,400 positions x 32 channels, 0.9 MB of float32) stay in a core's cache


# ---------------------------------------------------------------- the network
def _head(x: np.ndarray, plan: _Plan) -> np.ndarray:
    """The head run densely over ``x`` (time,), in blocks of ``_HEAD_BLOCK`` positions:
    each block's activations stay in the core's cache, about 1.6 times faster than
    whole-signal layers, with the same arithmetic per position (identical output)."""
    reach, _ = _head_reach(plan)
    n_out = len(x) - reach
    width = [op for op in plan.head if isinstance(op, _Conv)][-1].weights.shape[1]
    out = np.empty((n_out, width), np.float32)
    for b0 in range(0, n_out, _HEAD_BLOCK):
        b1 = min(n_out, b0 + _HEAD_BLOCK)
        a = x[b0 : b1 + reach, None]  # (time, channels), float32
        d = 1
        for op in plan.head:
            if isinstance(op, _Conv):
                a = _conv_relu(a, op, d, axis=0)
            else:
                a = _pool(a, op.size, d)
                d *= op.stride
        out[b0:b1] = a
    return out


def _windows_fast(x: np.ndarray, starts: np.ndarray, plan: _Plan) -> np.ndarray:
    """Seizure probability of the windows of ``x`` starting at ``starts`` (sorted)."""
    a = _head(x, plan)
    _, d = _head_reach(plan)
    # a[t] is now the head's output for positions t + d * j of every window starting at t
    g = a[starts[:, None] + d * np.arange(plan.tail_len)[None, :]]  # (windows, len, ch)
    for op in plan.tail:
        g = _conv_relu(g, op, 1, axis=1)
    z = g.reshape(len(g), -1) @ plan.fc_weights + plan.fc_bias
    # the two-class softmax is the logistic function of the difference (no overflow)
    return special.expit(z[:, SEIZURE_INDEX] - z[:, 1 - SEIZURE_INDEX])


def _windows_strided(x: np.ndarray, n_windows: int, plan: _Plan) -> np.ndarray:
    """Seizure probability of the first ``n_windows`` windows of ``x`` at the network's own
    step (the product of its pools' strides, 27 samples): the network run over the signal
    as one convolutional pass with its strides, as over one window. Window ``k`` reads the
    head's outputs ``k .. k + 15`` and the tail's ``k .. k + 11``, all shared with its
    neighbours, so each layer is computed once per position at its own rate: the layers
    after the first pool at a third of the input rate, after the second at a ninth."""
    _, d = _head_reach(plan)
    out = np.empty(n_windows, np.float32)
    for k0 in range(0, n_windows, _STRIDED_BLOCK):
        k1 = min(n_windows, k0 + _STRIDED_BLOCK)
        a = x[k0 * d : (k1 - 1) * d + WINDOW_SAMPLES, None]  # (time, channels), float32
        for op in (*plan.head, *plan.tail):
            if isinstance(op, _Conv):
                a = _conv_relu(a, op, 1, axis=0)
            else:
                a = _pool(a, op.size, 1)[:: op.stride]
        # window k (of this block) reads a[k : k + n_out]: the fully connected layer is one
        # small product per position of its input
        ch = a.shape[1]
        n_out = plan.fc_weights.shape[0] // ch
        n = k1 - k0
        z = a[:n] @ plan.fc_weights[:ch]
        for j in range(1, n_out):
            z += a[j : j + n] @ plan.fc_weights[j * ch : (j + 1) * ch]
        z += plan.fc_bias
        out[k0:k1] = special.expit(z[:, SEIZURE_INDEX] - z[:, 1 - SEIZURE_INDEX])
    return out


def native_step_s(weights: str | Path | None = None) -> float:
    """The network's own step between windows, in seconds: the product of its pools'
    strides over the input rate (27 / 32 s). At this step (and its multiples)
    :func:`window_probabilities` runs the network as one strided pass, less than half the
    work of any other step."""
    plan = _plan(None if weights is None else str(Path(weights).resolve()))
    return _head_reach(plan)[1] / FS_HZ


def window_probabilities(
    x32: np.ndarray,
    step_s: float = 1.0,
    *,
    weights: str | Path | None = None,
    windows: tuple[int, int] | None = None,
) -> np.ndarray:
    """Seizure probability of every 16-s window along one pre-processed channel.

    Window ``k`` covers samples ``k * step .. k * step + 511`` of ``x32`` (``step =
    step_s * 32``), i.e. seconds ``k * step_s`` to ``k * step_s + 16``
    (:func:`window_times`); windows that would run past the end are not scored. The
    network is run once over the whole channel (the module docstring says how), in
    blocks of 3600 windows to bound memory, in float32; equal to
    :func:`forward_reference` on each window within float32 rounding.

    Parameters
    ----------
    x32
        :func:`preprocess_channel` output, shape (n_samples,), n_samples >= 512.
    step_s
        Seconds between window starts: a positive multiple of 1/32 s.
    weights
        An ``.npz`` of another variant (default: the shipped network).
    windows
        ``(first, stop)``: score only windows ``first .. stop - 1`` (clipped to those
        that exist); the same values as those windows of a full run.

    Returns
    -------
    ndarray
        float32 in [0, 1], shape ``((n_samples - 512) // (step_s * 32) + 1,)`` (or
        ``stop - first`` with ``windows``).

    Raises
    ------
    ValueError
        ``x32`` not 1-D, shorter than 512 samples or not finite; bad ``step_s``.
    """
    x = _check_signal(x32, "x32", WINDOW_SAMPLES).astype(np.float32, copy=False)
    step = _step_samples(step_s)
    plan = _plan(None if weights is None else str(Path(weights).resolve()))
    n_win = (len(x) - WINDOW_SAMPLES) // step + 1
    first, stop = (0, n_win) if windows is None else windows
    first, stop = max(0, first), min(n_win, stop)
    _, d = _head_reach(plan)
    if step % d == 0 and stop > first:
        if step == d:
            return _windows_strided(x[first * step :], stop - first, plan)
        every = step // d  # a multiple of the native step: its windows, every n-th
        return _windows_strided(x[first * step :], (stop - first - 1) * every + 1, plan)[
            ::every
        ].copy()
    out = np.empty(max(0, stop - first), dtype=np.float32)
    for k0 in range(first, stop, _BLOCK_WINDOWS):
        k1 = min(stop, k0 + _BLOCK_WINDOWS)
        s0 = k0 * step
        block = x[s0 : (k1 - 1) * step + WINDOW_SAMPLES]
        out[k0 - first : k1 - first] = _windows_fast(block, np.arange(k1 - k0) * step, plan)
    return out


def channel_probabilities(
    data_uv: np.ndarray,
    fs_hz: float,
    step_s: float = 1.0,
    *,
    weights: str | Path | None = None,
    windows: tuple[int, int] | None = None,
) -> np.ndarray:
    """Seizure probability of every 16-s window of every channel.

    :func:`preprocess_channel` then :func:`window_probabilities` for each row. The
    network was trained on the bipolar channels of a neonatal 10-20 montage (e.g.
    :func:`~spasmwatch.eeg.features.bipolar_montage`); a recording-level probability is
    usually the highest channel's in each window.

    Parameters
    ----------
    data_uv
        Microvolts, shape (n_channels, n_samples), at least 16 s.
    fs_hz
        Sampling rate: a whole number of Hz above 64.
    step_s
        Seconds between window starts (a positive multiple of 1/32 s).
    weights
        An ``.npz`` of another variant (default: the shipped network).
    windows
        ``(first, stop)``: score only those windows (:func:`window_probabilities`).

    Returns
    -------
    ndarray
        float32 in [0, 1], shape (n_channels, n_windows); :func:`window_times` gives the
        time of each column.

    Raises
    ------
    ValueError
        ``data_uv`` not 2-D, shorter than 16 s or not finite; bad ``fs_hz`` or ``step_s``.
    """
    data = np.asarray(data_uv)
    _check_shape(data)
    fs = _check_fs(fs_hz)
    _step_samples(step_s)
    n32 = _check_data(data, fs)
    rows = [
        window_probabilities(preprocess_channel(ch, fs), step_s, weights=weights, windows=windows)
        for ch in data
    ]
    if not rows:
        n_win = (n32 - WINDOW_SAMPLES) // _step_samples(step_s) + 1
        first, stop = (0, n_win) if windows is None else windows
        return np.zeros((0, max(0, min(n_win, stop) - max(0, first))), dtype=np.float32)
    return np.stack(rows)


def _check_shape(data: np.ndarray) -> None:
    if data.ndim != 2:
        raise ValueError(
            "Invalid value for 'data_uv': expected shape (n_channels, n_samples); "
            f"got shape {data.shape}"
        )


def _check_data(data: np.ndarray, fs: int) -> int:
    """The length at 32 Hz of a montage's samples (raises on a bad shape, length or value)."""
    _check_shape(data)
    n32 = -(-data.shape[1] * FS_HZ // fs)  # resample_poly's output length
    if n32 < WINDOW_SAMPLES:
        raise ValueError(
            f"Invalid value for 'data_uv': {data.shape[1] / fs:g} s of signal; the network "
            f"needs at least {WINDOW_S:g} s"
        )
    if not np.isfinite(data).all():
        raise ValueError("Invalid value for 'data_uv': contains NaN or infinite samples")
    return n32


def second_probabilities(
    data_uv: np.ndarray,
    fs_hz: float,
    *,
    weights: str | Path | None = None,
    seconds: tuple[int, int] | None = None,
    offset_s: int = 0,
    step_s: float | None = None,
) -> np.ndarray:
    """Seizure probability of every channel and whole second.

    Each channel pre-processed (:func:`preprocess_channel`), the network's windows at its
    own step (:func:`native_step_s`, 27/32 s, the strided pass of
    :func:`window_probabilities`), then each second the triangle-weighted mean of the
    windows centred within 1 s of its middle (:func:`seconds_from_windows`). The windows
    lie on a grid that begins at the recording's start (``offset_s`` says where
    ``data_uv`` begins in it), so that the seconds of a part read with margins (a chunk of
    the analysis) have the whole recording's values; one more window ends with the signal,
    so that its last seconds are read from a window that reaches them.

    Parameters
    ----------
    data_uv
        Microvolts, shape (n_channels, n_samples), at least 16 s.
    fs_hz
        Sampling rate: a whole number of Hz above 64.
    weights
        An ``.npz`` of another variant (default: the shipped network).
    seconds
        ``(first, stop)``: only seconds ``first .. stop - 1``, the same values as those
        columns of the full result; only the windows they read are scored (the
        analysis reads each chunk with margins that the band-pass needs as warm-up but
        whose own seconds it takes from the neighbouring chunks).
    offset_s
        Whole seconds from the recording's start to ``data_uv``'s first sample.
    step_s
        Seconds between windows (default: the network's own step); 1.0 gives the values
        of a window starting at every second.

    Returns
    -------
    ndarray
        float32 in [0, 1], shape (n_channels, n_samples // fs_hz) (or ``stop - first``
        with ``seconds``): column ``t`` is the second ``[t, t + 1)`` from the start of
        ``data_uv`` (``first + t`` with ``seconds``).

    Raises
    ------
    ValueError
        As :func:`channel_probabilities`; a negative ``offset_s``.
    """
    fs = _check_fs(fs_hz)
    data = np.asarray(data_uv)
    n32 = _check_data(data, fs)
    if offset_s < 0 or offset_s != int(offset_s):
        raise ValueError(
            f"Invalid value for 'offset_s': expected whole seconds >= 0; got {offset_s!r}"
        )
    step = _step_samples(native_step_s(weights) if step_s is None else step_s)
    first_start = (-FS_HZ * int(offset_s)) % step  # the grid's first window in data_uv
    if n32 - first_start < WINDOW_SAMPLES:
        first_start = 0  # too short to reach the grid's first window: the part's own grid
    n_grid = (n32 - first_start - WINDOW_SAMPLES) // step + 1
    starts = first_start + step * np.arange(n_grid)
    last = n32 - WINDOW_SAMPLES
    if starts[-1] < last:
        # one more window ending with the signal: its last seconds are read from a window
        # that reaches them, however the grid falls (a 30-s clip has 16 s of such edges)
        starts = np.append(starts, last)
    n_seconds = data.shape[1] // fs
    first, stop = (0, n_seconds) if seconds is None else seconds
    first, stop = max(0, first), min(n_seconds, stop)
    if stop <= first:
        return np.zeros((data.shape[0], 0), dtype=np.float32)
    index, weight = _kernel(starts, np.arange(first, stop))
    w0, w1 = int(index.min()), int(index.max()) + 1
    rows = []
    for ch in data:
        x32 = preprocess_channel(ch, fs)
        row = window_probabilities(
            x32[first_start:], step / FS_HZ, weights=weights, windows=(w0, min(w1, n_grid))
        )
        if w1 > n_grid:  # the window ending with the signal
            end = window_probabilities(x32[last:], weights=weights)
            row = np.concatenate([row, end])
        rows.append(row)
    if not rows:
        return np.zeros((0, stop - first), dtype=np.float32)
    p = np.stack(rows)
    return np.einsum("ctk,tk->ct", p[:, index - w0], weight).astype(np.float32)
