"""Convert the Stevenson-Tapani-Vanhatalo neonatal seizure CNN from MATLAB to ``.npz``.

A one-off conversion. The source is a MATLAB ``SeriesNetwork`` saved in a ``.mat`` file
(``trained_cnn_all_sgdm_v1.mat`` from the MIT-licensed repository
``nstevensonUH/Neonatal-EEG-Analysis``, folder ``seizure_detection_CNN/``).
``scipy.io.loadmat`` cannot open MATLAB objects; the PyPI package ``mat-io`` (1.0.x)
can, so it is needed here only, never at run time:

    VIRTUAL_ENV=.venv .venv/bin/uv pip install "mat-io>=1.0,<1.1"

Written (float32 arrays, no pickled objects, so ``np.load(..., allow_pickle=False)``
reads it):

- ``layer_names``, ``layer_types``: the 40 layers in order (``imageinput``, ``conv``,
  ``batchnorm``, ``relu``, ``avgpool``, ``fc``, ``softmax``, ``classoutput``);
- per convolution ``<name>.weights`` (filter length, input channels, filters) and
  ``<name>.bias``; per batch normalisation ``<name>.mean``, ``.variance``, ``.scale``,
  ``.offset``, ``.epsilon``; per average pool ``<name>.pool_size`` and ``.stride``;
  ``fc.weights`` (time, channels, outputs) and ``fc.bias``;
  ``imageinput.average_image`` (the network's own zero-centre input mean, which
  ``demo.m`` replaces by the constant 32768); ``classoutput.classes``;
- ``source_file``, ``source_sha256``, ``variant``.

The default writes the SGDM network into the package
(``src/spasmwatch/eeg/stevenson_cnn.npz``) and its licence notice
(``STEVENSON_CNN_LICENSE.md``) next to it. ``--variant adam --out PATH`` writes the Adam
variant elsewhere, for comparison only (``benchmarks/eeg_cnn_check.py --weights PATH``).

Run from the repository root:
``.venv/bin/python scripts/convert_stevenson_cnn.py [--variant sgdm|adam] [--out PATH]``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = ROOT.parent / "shared" / "data" / "models" / "stevenson-cnn"
SOURCES = {
    "sgdm": "trained_cnn_all_sgdm_v1.mat",
    "adam": "trained_cnn_all_adam_v1.mat",
}
PACKAGE_DIR = ROOT / "src" / "spasmwatch" / "eeg"
NPZ_NAME = "stevenson_cnn.npz"
LICENSE_NAME = "STEVENSON_CNN_LICENSE.md"
UPSTREAM = "https://github.com/nstevensonUH/Neonatal-EEG-Analysis"

# MATLAB layer names -> the kinds this conversion knows; any other layer stops it, so a
# different network cannot be converted into something the numpy forward pass misreads
KINDS = {
    "imageinput": "imageinput",
    "conv": "conv",
    "batchnorm": "batchnorm",
    "relu": "relu",
    "avgpool": "avgpool",
    "fc": "fc",
    "softmax": "softmax",
    "classoutput": "classoutput",
}

LICENSE_TEXT = """\
# Licence of `stevenson_cnn.npz`

`stevenson_cnn.npz` holds the weights of the trained neonatal EEG seizure detection network
`trained_cnn_all_sgdm_v1` (a MATLAB `SeriesNetwork`), converted to numpy arrays without
changing their values (float32, as stored) by `scripts/convert_stevenson_cnn.py`.

- Source repository: {upstream} (folder `seizure_detection_CNN/`, file
  `{source}`).
- sha256 of the source `.mat` file: `{sha256}`.
- Reference: N. J. Stevenson, K. Tapani, S. Vanhatalo. *Hybrid neonatal EEG seizure
  detection algorithms achieve the benchmark of visual interpretation of the human
  expert.* Proc. IEEE Engineering in Medicine and Biology Conference (EMBC), Berlin, 2019.
- The network was trained on all 79 infants of the Helsinki neonatal EEG dataset
  (Stevenson et al., Scientific Data 6:190039, 2019): any result it gives on those
  recordings is in-sample. It is a neonatal seizure detector; it says nothing about
  infantile spasms or hypsarrhythmia.

The weights are distributed under the MIT licence of the source repository:

---

Copyright 2017 Nathan Stevenson

Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without
restriction, including without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the
Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING
BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def _fields(layer: object) -> dict[str, object]:
    """The properties of one MATLAB layer object as a dict of name -> value."""
    rec = layer.properties["any"]
    return {name: rec[0, 0][name] for name in rec.dtype.names}


def _value(field: object) -> np.ndarray:
    """A learnable parameter: MATLAB keeps it in a struct with ``Value``."""
    return np.asarray(field[0, 0]["Value"], dtype=np.float32)


def _scalar(field: object) -> float:
    return float(np.asarray(field).reshape(-1)[0])


def _kind(name: str) -> str:
    base = name.rstrip("0123456789").rstrip("_")
    if base not in KINDS:
        raise SystemExit(f"unknown layer {name!r}: this conversion knows {', '.join(KINDS)}")
    return KINDS[base]


def convert(mat_path: Path) -> dict[str, np.ndarray]:
    """The arrays of the ``.npz`` from the MATLAB network in ``mat_path``."""
    import matio  # the PyPI package mat-io: needed for this conversion only

    data = matio.load_from_mat(str(mat_path))
    net = data["convnet"]
    if net.classname != "SeriesNetwork":
        raise SystemExit(f"{mat_path}: 'convnet' is a {net.classname}, not a SeriesNetwork")
    layers = net.properties["any"][0, 0]["Layers"]
    out: dict[str, np.ndarray] = {}
    names, kinds = [], []
    for i in range(layers.shape[0]):
        f = _fields(layers[i, 0])
        name = str(np.asarray(f["Name"]).reshape(-1)[0])
        kind = _kind(name)
        names.append(name)
        kinds.append(kind)
        if kind == "imageinput":
            norm = f["Normalization"][0, 0]
            if str(np.asarray(norm["Type"]).reshape(-1)[0]) != "zerocenter":
                raise SystemExit(f"{name}: expected zero-centre input normalisation")
            out[f"{name}.input_size"] = np.asarray(f["InputSize"], np.int32).reshape(-1)
            out[f"{name}.average_image"] = np.asarray(norm["AverageImage"], np.float32).ravel()
        elif kind == "conv":
            stride = np.asarray(f["Stride"]).ravel()
            dilation = np.asarray(f["DilationFactor"]).ravel()
            padding = np.asarray(f["PaddingSize"]).ravel()
            if (stride != 1).any() or (dilation != 1).any() or (padding != 0).any():
                raise SystemExit(f"{name}: only stride 1, no dilation, no padding is supported")
            w = _value(f["Weights"])  # (filter length, 1, input channels, filters)
            if w.ndim == 3:  # MATLAB drops a trailing singleton: one filter
                w = w[..., None]
            if w.shape[1] != 1:
                raise SystemExit(f"{name}: expected 1-D filters, got weights {w.shape}")
            out[f"{name}.weights"] = np.ascontiguousarray(w[:, 0])
            out[f"{name}.bias"] = _value(f["Bias"]).ravel()
        elif kind == "batchnorm":
            out[f"{name}.mean"] = np.asarray(f["TrainedMean"], np.float32).ravel()
            out[f"{name}.variance"] = np.asarray(f["TrainedVariance"], np.float32).ravel()
            out[f"{name}.scale"] = _value(f["Scale"]).ravel()
            out[f"{name}.offset"] = _value(f["Offset"]).ravel()
            out[f"{name}.epsilon"] = np.float32(_scalar(f["Epsilon"]))
        elif kind == "avgpool":
            size = np.asarray(f["PoolSize"]).ravel()
            stride = np.asarray(f["Stride"]).ravel()
            if size[1] != 1 or (np.asarray(f["PaddingSize"]).ravel() != 0).any():
                raise SystemExit(f"{name}: only 1-D pooling without padding is supported")
            out[f"{name}.pool_size"] = np.int32(size[0])
            out[f"{name}.stride"] = np.int32(stride[0])
        elif kind == "fc":
            w = _value(f["Weights"])  # (time, 1, channels, outputs), as MATLAB stores it
            # demo.m multiplies the public (outputs x time*channels) matrix with fn(:),
            # the column-major flattening of (time, channels): the same pairing of
            # weights and activations as keeping (time, channels, outputs) here
            out[f"{name}.weights"] = np.ascontiguousarray(w[:, 0])
            out[f"{name}.bias"] = _value(f["Bias"]).ravel()
        elif kind == "classoutput":
            out[f"{name}.classes"] = np.array([str(c) for c in f["Categories"].ravel()])
    out["layer_names"] = np.array(names)
    out["layer_types"] = np.array(kinds)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", choices=sorted(SOURCES), default="sgdm")
    parser.add_argument("--source-dir", type=Path, default=SOURCE_DIR)
    parser.add_argument("--out", type=Path, default=None, help="default: into the package")
    args = parser.parse_args(argv)
    mat_path = args.source_dir / SOURCES[args.variant]
    raw = mat_path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    arrays = convert(mat_path)
    arrays["source_file"] = np.array(mat_path.name)
    arrays["source_sha256"] = np.array(sha)
    arrays["variant"] = np.array(args.variant)
    out = args.out or PACKAGE_DIR / NPZ_NAME
    if args.out is None and args.variant != "sgdm":
        raise SystemExit("only the SGDM network ships in the package; give --out for another")
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)
    n_params = sum(
        v.size for k, v in arrays.items() if k.endswith((".weights", ".bias", ".scale", ".offset"))
    )
    print(f"{mat_path.name} (sha256 {sha}): {len(arrays['layer_names'])} layers, "
          f"{n_params} learnable parameters -> {out} ({out.stat().st_size} B)")  # fmt: skip
    if args.out is None:
        lic = PACKAGE_DIR / LICENSE_NAME
        lic.write_text(
            LICENSE_TEXT.format(upstream=UPSTREAM, source=mat_path.name, sha256=sha),
            encoding="utf-8",
        )
        print(f"licence notice -> {lic}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
