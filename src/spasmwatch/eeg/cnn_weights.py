"""The trained network's arrays (``stevenson_cnn.npz``) and their folding for inference.

Loading them and merging each batch normalisation into the convolution before it is done
once per file and cached; apart from the network's passes (:mod:`spasmwatch.eeg.cnn`) so
that the reference pass (:mod:`~spasmwatch.eeg.cnn_layers`) and the fast one share them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from spasmwatch.eeg.cnn_input import WINDOW_SAMPLES

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
