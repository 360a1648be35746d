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
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
from scipy import signal, special

from spasmwatch.eeg._blas import sgemm_accumulate

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

FS_HZ = 32
"""Sampling rate of the network's input, Hz."""
WINDOW_SAMPLES = 512
"""Samples of one input window (16 s at 32 Hz)."""
WINDOW_S = WINDOW_SAMPLES / FS_HZ
CLIP_UV = 200.0
"""Input clipped to +/- this many microvolts before quantisation (``demo.m``)."""
UNITS_PER_UV = 65535.0 / 400.0
"""Network input units per microvolt: 400 µV span over the 16-bit range (about 163.8)."""
SEIZURE_INDEX = 1
"""Index of the seizure class among the network's two outputs (class ``'1'``)."""

_CENTRE = 32768.0  # demo.m subtracts this constant, not the network's average image
_BAND_HZ = (0.5, 32.0)  # cheby2 edges: where the 80 dB stop bands begin
_ORDER = 6
_STOP_DB = 80.0
_BLOCK_WINDOWS = 3600  # windows per block of the fast path: bounds memory on long signals
_HEAD_BLOCK = 2048  # head positions per block: 2048 x 32 float32 activations fit a core's L2
#: A second's value is the triangle-weighted mean of the windows centred within this many
#: seconds of its middle: at a 1-s step the mean of the two windows centred 0.5 s either
#: side, as it has always been; at the network's own step two or three windows.
_KERNEL_S = 1.0
_STRIDED_BLOCK = 256  # windows per block of the strided pass: its first layers' activations
# (about 7,400 positions x 32 channels, 0.9 MB of float32) stay in a core's cache
_NPZ = "stevenson_cnn.npz"
_NEGLIGIBLE = 1e-15  # folded weights smaller than this are zeros in the fast path


# ---------------------------------------------------------------- weights
@functools.cache
def _load(path: str | None) -> dict[str, np.ndarray]:
    source = resources.files("spasmwatch.eeg").joinpath(_NPZ) if path is None else Path(path)
    with source.open("rb") as f, np.load(f, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def load_weights(path: str | Path | None = None) -> dict[str, np.ndarray]:
    """The network's arrays, as written by ``scripts/convert_stevenson_cnn.py``.

    Parameters
    ----------
    path
        An ``.npz`` of the same layout (e.g. the Adam-trained variant); default: the
        shipped SGDM network. Loaded once per path and cached.

    Returns
    -------
    dict
        ``layer_names`` and ``layer_types`` (40 layers in order), then per layer
        ``<name>.weights`` (taps, input channels, outputs), ``.bias``, ``.mean``,
        ``.variance``, ``.scale``, ``.offset``, ``.epsilon``, ``.pool_size``,
        ``.stride``, as the layer has them. Treat as read-only: it is shared.
    """
    return _load(None if path is None else str(Path(path).resolve()))


@dataclass(frozen=True)
class _Conv:
    weights: np.ndarray  # (3 * input channels, outputs): the taps stacked, im2col order
    bias: np.ndarray  # (outputs,)
    taps: int


@dataclass(frozen=True)
class _Pool:
    size: int
    stride: int


@dataclass(frozen=True)
class _Plan:
    """The network folded for inference: batch normalisation merged into the convolution
    before it (both are affine, and a ReLU always follows), float32."""

    head: tuple[_Conv | _Pool, ...]  # run densely, up to and including the last pool
    tail: tuple[_Conv, ...]  # run per window
    fc_weights: np.ndarray  # (tail length * channels, 2), rows in (time, channel) order
    fc_bias: np.ndarray
    tail_len: int  # positions per window entering the tail (16)


def _window_lengths(w: dict[str, np.ndarray]) -> list[int]:
    """Length of one window's activations after each layer."""
    n, out = WINDOW_SAMPLES, []
    for name, kind in zip(w["layer_names"], w["layer_types"], strict=True):
        if kind == "conv":
            n -= w[f"{name}.weights"].shape[0] - 1
        elif kind == "avgpool":
            n = (n - int(w[f"{name}.pool_size"])) // int(w[f"{name}.stride"]) + 1
        out.append(n)
    return out


def _flush(x: np.ndarray) -> np.ndarray:
    """float32, with values below 1e-15 in magnitude set to zero.

    Most weights of the Adam-trained variant decayed to 1e-40..1e-15: their products
    with the activations are subnormal numbers, which make float32 arithmetic many times
    slower, and they add less than 1e-10 to activations of order 1, far below float32
    rounding.
    """
    x = np.asarray(x, dtype=np.float32).copy()
    x[np.abs(x) < _NEGLIGIBLE] = 0.0
    return x


@functools.cache
def _plan(path: str | None) -> _Plan:
    w = _load(path)
    layers: list[_Conv | _Pool] = []
    names, kinds = list(w["layer_names"]), list(w["layer_types"])
    for i, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        if kind == "conv":
            k = w[f"{name}.weights"].astype(np.float64)  # (taps, in, out)
            b = w[f"{name}.bias"].astype(np.float64)
            bn = names[i + 1]
            if kinds[i + 1] != "batchnorm" or kinds[i + 2] != "relu":
                raise ValueError(f"Invalid network: {name} is not followed by batchnorm, relu")
            g = w[f"{bn}.scale"] / np.sqrt(
                w[f"{bn}.variance"].astype(np.float64) + w[f"{bn}.epsilon"]
            )
            k = k * g
            b = (b - w[f"{bn}.mean"]) * g + w[f"{bn}.offset"]
            taps = k.shape[0]
            k, b = _flush(k.reshape(-1, k.shape[2])), _flush(b)
            layers.append(_Conv(k, b, taps))
        elif kind == "avgpool":
            layers.append(_Pool(int(w[f"{name}.pool_size"]), int(w[f"{name}.stride"])))
    last_pool = max(i for i, op in enumerate(layers) if isinstance(op, _Pool))
    lengths = [n for n, kind in zip(_window_lengths(w), kinds, strict=True) if kind == "avgpool"]
    fc = w["fc.weights"].astype(np.float32)  # (time, channels, outputs)
    return _Plan(
        head=tuple(layers[: last_pool + 1]),
        tail=tuple(op for op in layers[last_pool + 1 :] if isinstance(op, _Conv)),
        fc_weights=_flush(fc.reshape(-1, fc.shape[2])),
        fc_bias=_flush(w["fc.bias"]),
        tail_len=lengths[-1],
    )


# ---------------------------------------------------------------- pre-processing
def _check_signal(x: np.ndarray, name: str, min_len: int = 1) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 1:
        raise ValueError(
            f"Invalid value for '{name}': expected a 1-D array (one channel); got shape {x.shape}"
        )
    if len(x) < min_len:
        raise ValueError(
            f"Invalid value for '{name}': {len(x)} samples, at least {min_len} are needed"
        )
    if not np.isfinite(x).all():
        raise ValueError(f"Invalid value for '{name}': contains NaN or infinite samples")
    return x


def _check_fs(fs_hz: float) -> int:
    if not np.isfinite(fs_hz) or fs_hz <= 2 * _BAND_HZ[1] or abs(fs_hz - round(fs_hz)) > 1e-9:
        raise ValueError(
            "Invalid value for 'fs_hz': expected a whole number of Hz above "
            f"{2 * _BAND_HZ[1]:g} (the band-pass reaches {_BAND_HZ[1]:g} Hz); got {fs_hz!r}"
        )
    return round(fs_hz)


@functools.cache
def _band_pass(fs: int) -> np.ndarray:
    # second-order sections: the 12th-order transfer function (b, a) of demo.m rounds its
    # poles near z = 1 off by up to 1e-3 at 256 Hz and is unstable from about 500 Hz
    return signal.cheby2(_ORDER, _STOP_DB, _BAND_HZ, btype="bandpass", fs=fs, output="sos")


def quantise(x_uv: np.ndarray) -> np.ndarray:
    """The 16-bit input coding of ``demo.m``, from microvolts to network units.

    ``x`` is clipped to +/- 200 µV, then ``uint16(x / 400 * 65535 + 32768 + 0.5) - 32768``
    with MATLAB's ``uint16``, which rounds to the nearest integer (halves away from zero)
    and saturates; the ``+ 0.5`` therefore shifts every value up by half a unit
    (0.003 µV): 0 µV gives 1, +200 µV 32767 and -200 µV -32767.

    Parameters
    ----------
    x_uv
        Samples in microvolts (at 32 Hz, after the band-pass).

    Returns
    -------
    ndarray
        float32 integers in -32767..32767, about 163.8 per µV (:data:`UNITS_PER_UV`).
    """
    x = np.clip(np.asarray(x_uv, dtype=np.float64), -CLIP_UV, CLIP_UV)
    v = x / 400.0 * 65535.0 + 32768.0 + 0.5
    q = np.clip(np.floor(v + 0.5), 0.0, 65535.0)  # MATLAB round for v >= 0, then saturate
    return (q - _CENTRE).astype(np.float32)


def preprocess_channel(x_uv: np.ndarray, fs_hz: float) -> np.ndarray:
    """One channel of EEG as the network reads it: 32 Hz, clipped, 16-bit coded.

    As ``demo.m``: a 6th-order Chebyshev type II band-pass with 80 dB stop bands beyond
    0.5 and 32 Hz (``cheby2(6, 80, [0.5 32]/128)``; these are the stop-band edges, so the
    pass band is about 1.2-13.4 Hz at -3 dB), causal, from a zero initial state; then
    resampling to 32 Hz; then :func:`quantise`.

    - The filter runs as second-order sections (``scipy.signal.sosfilt``), the same
      design as ``demo.m``'s ``filter(b, a, x)``, without the rounding of the 12th-order
      polynomial ``a``, which moves its poles near 0.5-1 Hz (up to 0.8 dB there, where
      the response is 15-80 dB down already) and makes it unstable at 500 Hz and above.
    - Resampling: ``scipy.signal.resample_poly`` (Kaiser window, beta 5, 10 zero
      crossings per side: the filter of MATLAB's ``resample``; zero-phase, zeros beyond
      the ends), so sample ``k`` of the output is time ``k / 32`` s of the input.
    - Rates other than 256 Hz: the band-pass is designed for the recording's own rate
      (the same analogue specification) and the signal resampled directly by the ratio
      ``32 / fs_hz``, rather than resampled to 256 Hz first: one resampling instead of
      two, and the same response in the band that survives the resampling (< 16 Hz).
    - The zero initial state makes the first seconds of a recording a filter transient
      (the impulse response falls below 1e-4 of its peak after about 5 s), as in each
      16-s window of ``demo.m``.

    Parameters
    ----------
    x_uv
        One channel (a bipolar derivation), microvolts, shape (n_samples,).
    fs_hz
        Its sampling rate: a whole number of Hz above 64.

    Returns
    -------
    ndarray
        float32, shape ``(ceil(n_samples * 32 / fs_hz),)``, network units.

    Raises
    ------
    ValueError
        ``x_uv`` not 1-D, empty or not finite; ``fs_hz`` not a whole number above 64 Hz.
    """
    x = _check_signal(x_uv, "x_uv")
    fs = _check_fs(fs_hz)
    y = signal.sosfilt(_band_pass(fs), x.astype(np.float64))
    ratio = Fraction(FS_HZ, fs)
    if ratio != 1:
        y = signal.resample_poly(y, ratio.numerator, ratio.denominator)
    return quantise(y)


# ---------------------------------------------------------------- the network
def forward_reference(windows: np.ndarray, weights: str | Path | None = None) -> np.ndarray:
    """The network on each window, layer by layer as ``demo.m`` (the plain, slow path).

    In float64, window by window in effect (the windows share nothing), without the
    folding and the sharing of the fast path: the check of :func:`window_probabilities`.
    Convolutions are cross-correlations (kernels as stored, not flipped); their biases,
    below 1e-5, are added as by MATLAB's network (``demo.m`` subtracts them).

    Parameters
    ----------
    windows
        Network inputs, shape (n_windows, 512): :func:`preprocess_channel` output, i.e.
        already minus the constant centre 32768 of ``demo.m``.
    weights
        An ``.npz`` of another variant (default: the shipped network).

    Returns
    -------
    ndarray
        Softmax outputs, float64, shape (n_windows, 2); column 1 is seizure.
    """
    x = np.asarray(windows, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != WINDOW_SAMPLES:
        raise ValueError(
            f"Invalid value for 'windows': expected shape (n_windows, {WINDOW_SAMPLES}); "
            f"got {x.shape}"
        )
    w = load_weights(weights)
    a = x[:, :, None]  # (windows, time, channels)
    for name, kind in zip(w["layer_names"], w["layer_types"], strict=True):
        if kind == "conv":
            k = w[f"{name}.weights"].astype(np.float64)  # (taps, in, out)
            n = a.shape[1] - k.shape[0] + 1
            a = sum(a[:, j : j + n] @ k[j] for j in range(k.shape[0])) + w[f"{name}.bias"]
        elif kind == "batchnorm":
            sd = np.sqrt(w[f"{name}.variance"].astype(np.float64) + w[f"{name}.epsilon"])
            a = (a - w[f"{name}.mean"]) / sd * w[f"{name}.scale"] + w[f"{name}.offset"]
        elif kind == "relu":
            a = np.maximum(a, 0.0)
        elif kind == "avgpool":
            size, stride = int(w[f"{name}.pool_size"]), int(w[f"{name}.stride"])
            n = (a.shape[1] - size) // stride + 1
            a = np.stack([a[:, j * stride : j * stride + size].mean(axis=1) for j in range(n)], 1)
        elif kind == "fc":
            k = w[f"{name}.weights"].astype(np.float64)  # (time, channels, outputs)
            a = np.einsum("ntc,tco->no", a, k) + w[f"{name}.bias"]
        elif kind == "softmax":
            a = np.exp(a - a.max(axis=1, keepdims=True))
            a = a / a.sum(axis=1, keepdims=True)
    return a


def _conv_relu(a: np.ndarray, op: _Conv, dilation: int, axis: int) -> np.ndarray:
    """Valid convolution (taps ``dilation`` apart along ``axis``), bias, ReLU; float32."""
    n = a.shape[axis] - (op.taps - 1) * dilation
    c = a.shape[-1]
    if a.ndim == 2 and axis == 0 and a.dtype == np.float32:
        return _conv_relu_2d(a, op, dilation, n, c)
    idx = [slice(None)] * a.ndim
    # one matrix product per tap, accumulated: as fast as one product of the stacked
    # taps (im2col), without the copy that stacking them needs
    y = tmp = None
    # with one input channel each product is an outer product: broadcast multiplication
    # gives the same values, far faster than a matrix product of inner dimension 1
    mul = np.multiply if c == 1 else np.matmul
    for j in range(op.taps):
        idx[axis] = slice(j * dilation, j * dilation + n)
        w = op.weights[j * c : (j + 1) * c]
        if y is None:
            y = mul(a[tuple(idx)], w)
        elif c > 1 and y.ndim == 2 and sgemm_accumulate(a[tuple(idx)], w, y):
            # y += a @ w inside BLAS (beta = 1): NumPy's own sgemm, as np.matmul calls
            # it, so the same values, without the temporary and the pass that adds it
            continue
        else:
            if tmp is None:
                tmp = np.empty_like(y)
            mul(a[tuple(idx)], w, out=tmp)
            y += tmp
    y += op.bias
    return np.maximum(y, 0.0, out=y)


def _conv_relu_2d(a: np.ndarray, op: _Conv, dilation: int, n: int, c: int) -> np.ndarray:
    """:func:`_conv_relu` along the time axis of a (time, channels) float32 signal: the
    output starts as the bias and every tap's product is added into it inside BLAS
    (beta = 1), so each output is written by BLAS alone, with no pass of its own for the
    bias; with one input channel (the first layer) the taps side by side make one product
    of inner dimension ``taps`` instead of ``taps`` broadcast multiplications and
    additions over the whole output."""
    y = np.empty((n, op.bias.shape[0]), np.float32)
    y[...] = op.bias
    if c == 1:
        cols = np.empty((n, op.taps), np.float32)
        for j in range(op.taps):
            cols[:, j] = a[j * dilation : j * dilation + n, 0]
        products = [(cols, op.weights)]
    else:
        products = [
            (a[j * dilation : j * dilation + n], op.weights[j * c : (j + 1) * c])
            for j in range(op.taps)
        ]
    for x, w in products:
        if not sgemm_accumulate(x, w, y):
            y += x @ w
    return np.maximum(y, 0.0, out=y)


def _pool(a: np.ndarray, size: int, dilation: int) -> np.ndarray:
    """Mean of ``size`` samples ``dilation`` apart, at every position (no decimation)."""
    out, width = a, 1
    # sums of 2, 4, 8 ... taps from the sums of half as many: log2(size) additions
    while 2 * width <= size and size % (2 * width) == 0:
        shift = width * dilation
        out = out[:-shift] + out[shift:]
        width *= 2
    while width < size:  # a size that is not a power of two: the remaining taps one by one
        n = out.shape[0] - dilation
        out = out[:n] + a[width * dilation : width * dilation + n]
        width += 1
    out = out * np.float32(1.0 / size)
    return out


def _head_reach(plan: _Plan) -> tuple[int, int]:
    """Input samples the head reads beyond its first position (its receptive field minus
    one) and the spacing of its outputs within one window (the product of the strides)."""
    reach, d = 0, 1
    for op in plan.head:
        if isinstance(op, _Conv):
            reach += (op.taps - 1) * d
        else:
            reach += (op.size - 1) * d
            d *= op.stride
    return reach, d


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


def _step_samples(step_s: float) -> int:
    n = step_s * FS_HZ
    if not np.isfinite(n) or n < 1 or abs(n - round(n)) > 1e-9:
        raise ValueError(
            f"Invalid value for 'step_s': expected a positive multiple of 1/{FS_HZ} s; "
            f"got {step_s!r}"
        )
    return round(n)


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


def window_times(
    n_windows: int,
    step_s: float = 1.0,
    where: Literal["start", "centre", "end"] = "centre",
) -> np.ndarray:
    """Time of each window of :func:`window_probabilities`, seconds from the signal start.

    Window ``k`` covers ``[k * step_s, k * step_s + 16)`` s. ``"centre"`` (the default,
    ``k * step_s + 8``) is the time a window's value describes best: the network sees 8 s
    either side (its last 3 samples, 0.09 s, are never read). ``"end"``
    (``k * step_s + 16``) is the earliest time the value can be known, for on-line use.
    The causal band-pass delays the signal by less than 0.05 s over 2-12 Hz; not
    corrected.

    Parameters
    ----------
    n_windows
        Number of windows.
    step_s
        Seconds between window starts, as given to :func:`window_probabilities`.
    where
        ``"start"``, ``"centre"`` or ``"end"`` of each window.

    Returns
    -------
    ndarray
        float64, shape (n_windows,).
    """
    offset = {"start": 0.0, "centre": WINDOW_S / 2, "end": WINDOW_S}
    if where not in offset:
        raise ValueError(
            f"Invalid value for 'where': allowed are start, centre, end; got {where!r}"
        )
    if n_windows < 0:
        raise ValueError(f"Invalid value for 'n_windows': expected >= 0; got {n_windows}")
    _step_samples(step_s)
    return np.arange(n_windows) * float(step_s) + offset[where]


def _kernel(starts: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each second's windows and weights: the windows (starting at ``starts``, 32-Hz
    samples, sorted) centred within :data:`_KERNEL_S` of the second's middle ``t + 0.5``,
    weighted by ``1 - distance / _KERNEL_S`` and normalised (a triangle). At a 1-s step
    that is the mean of the two windows centred 0.5 s either side. Where no window is
    centred that near (the first and last 8 s), the nearest window alone.

    Returns ``(index, weight)``, each of shape ``(len(t), n)``: ``n`` windows at most per
    second (unused places: index 0, weight 0).
    """
    centres = starts / FS_HZ + WINDOW_S / 2
    middle = (t + 0.5)[:, None]
    lo = np.searchsorted(centres, middle[:, 0] - _KERNEL_S, side="right")
    hi = np.searchsorted(centres, middle[:, 0] + _KERNEL_S, side="left")
    # the most windows any second has within reach (the window ending with the signal can
    # lie a sample from the grid's last: a bound from the closest pair would be far larger)
    n = max(1, int((hi - lo).max()))
    index = np.clip(lo[:, None] + np.arange(n)[None, :], 0, len(centres) - 1)
    weight = np.clip(1.0 - np.abs(centres[index] - middle) / _KERNEL_S, 0.0, None)
    weight[:, 1:][index[:, 1:] == index[:, :-1]] = 0.0  # a window counted once
    none = weight.sum(axis=1) == 0
    if none.any():
        nearest = np.abs(centres[None, :] - middle[none]).argmin(axis=1)
        index[none] = nearest[:, None]
        weight[none] = 0.0
        weight[none, 0] = 1.0
    weight /= weight.sum(axis=1, keepdims=True)
    return index, weight.astype(np.float32)


def seconds_from_windows(p_windows: np.ndarray, n_seconds: int, step_s: float = 1.0) -> np.ndarray:
    """Per-second values from window values, shape (n_rows, n_seconds).

    Second ``t`` covers ``[t, t + 1)``; its value is the mean of the windows centred
    within 1 s of its middle ``t + 0.5`` (:func:`window_times`), each weighted by how
    near (a triangle: ``1 - distance``). At a 1-s step these are the windows centred at
    ``t`` and ``t + 1`` (windows ``t - 8`` and ``t - 7``), and the value is their mean; at
    the network's own step, two or three windows. In the first and last 8 s, where no
    window is centred, the nearest window's value is repeated.

    Parameters
    ----------
    p_windows
        Window values at ``step_s``, shape (n_rows, n_windows), n_windows >= 1.
    n_seconds
        Seconds of the signal the windows were taken from.
    step_s
        Seconds between window starts, as given to :func:`window_probabilities`.

    Returns
    -------
    ndarray
        float32, shape (n_rows, n_seconds).
    """
    p = np.asarray(p_windows, dtype=np.float32)
    if p.ndim != 2 or p.shape[1] < 1:
        raise ValueError(
            "Invalid value for 'p_windows': expected shape (n_rows, n_windows) with at least "
            f"one window; got shape {p.shape}"
        )
    starts = _step_samples(step_s) * np.arange(p.shape[1])
    index, weight = _kernel(starts, np.arange(n_seconds))
    return np.einsum("ctk,tk->ct", p[:, index], weight).astype(np.float32)


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
