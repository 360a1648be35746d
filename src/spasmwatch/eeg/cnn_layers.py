"""The network's layers in NumPy: the plain forward pass of ``demo.m``
(:func:`forward_reference`, the check of the fast path) and the folded convolution and
average pool that the fast path of :mod:`spasmwatch.eeg.cnn` runs over whole channels.

Each layer is a function of arrays alone, tested against the plain matrix products; the
order in which the fast path runs them, and over which positions, is the network's own
module's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from spasmwatch.eeg._blas import sgemm_accumulate
from spasmwatch.eeg.cnn_input import WINDOW_SAMPLES
from spasmwatch.eeg.cnn_weights import _Conv, _Plan, load_weights


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
