"""Extra measures for the learned video detector, compared on the 3-D validation set.

Each variant adds measures to the shipped 20 (``spasmwatch.video.classify``), refits the
model on both tuning sets as ``benchmarks/video_train.py`` does (the threshold of
``normal`` by its precision rule) and prints recall / precision / false detections per
benign minute and F1 on the tuning sets (in-sample) and the validation set. The test
sets are not read. Variants (docs/benchmarks-history.md, 2026-12-07):

- the movement's reach for the infant's size (peak and path of the infant's mean speed,
  the 90th percentile of its cells' speed at the peak, each over the square root of the
  infant's share of the frame);
- how radial its flow is from the start to the peak, and how straight;
- each measure against the same video's other candidates (rank, robust z-score).

Run: ``.venv/bin/python benchmarks/video_measures.py`` (the motion signals cached by
``benchmarks/video_accuracy.py``).
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

import spasmwatch.testing.video.accuracy as va
from spasmwatch.logistic import LogisticModel
from spasmwatch.video.classify import FEATURE_NAMES
from spasmwatch.video.regions import activity_traces
from video_train import GRID, L2, candidates, rule_precision, scores

KEYS = (("2d", "tuning"), ("3d", "tuning"))
STRENGTH = [
    FEATURE_NAMES.index(n) for n in ("log_strength", "relative_peak", "peak_extent", "log_duration")
]
FLAGS = ("rhythmic", "end_of_body", "rigid_shift", "from_outside", "phone_motion")
CONTINUOUS = [i for i, n in enumerate(FEATURE_NAMES) if n not in FLAGS]


def _span(times: np.ndarray, event) -> tuple[int, int]:
    i0 = min(int(np.searchsorted(times, event.start_s)), len(times) - 1)
    i1 = min(max(i0 + 1, int(np.searchsorted(times, event.end_s))), len(times))
    return i0, i1


def physical(scene: va.Scene, events: list) -> np.ndarray:
    """Reach for size (3 columns), radial flow, its absolute value, top-tenth share and
    straightness (4 columns) of each event."""
    sig, mask = scene.signals, scene.mask
    out = np.zeros((len(events), 7))
    rows, cols = np.nonzero(mask)
    if not len(rows):
        return out
    size = np.sqrt(max(float(mask.mean()), 1e-3))
    energy = activity_traces(sig.speed, mask).energy
    dy, dx = rows - rows.mean(), cols - cols.mean()
    norm = np.hypot(dx, dy) + 1e-6
    for k, e in enumerate(events):
        i0, i1 = _span(sig.times_s, e)
        peak = i0 + int(np.argmax(energy[i0:i1]))
        cells = sig.speed[peak][mask]
        fx = sig.flow_x[i0 : max(peak, i0 + 1) + 1][:, rows, cols]
        fy = sig.flow_y[i0 : max(peak, i0 + 1) + 1][:, rows, cols]
        nx, ny = fx.sum(0), fy.sum(0)
        net = np.hypot(nx, ny)
        total = net.sum() + 1e-9
        radial = float((nx * dx / norm + ny * dy / norm).sum() / total)
        top = np.sort(net)[::-1][: max(1, len(net) // 10)].sum() / total
        out[k] = (
            np.log(energy[i0:i1].max() / size + 1e-3),
            np.log(energy[i0:i1].sum() / sig.rate_hz / size + 1e-3),
            np.log(np.percentile(cells, 90) / size + 1e-3),
            radial,
            abs(radial),
            top,
            total / (np.hypot(fx, fy).sum() + 1e-9),
        )
    return out


def relative(x: np.ndarray, columns: list[int], how: str) -> np.ndarray:
    """Each column of ``x`` against the same video's candidates: rank (0-1) or robust z."""
    out = np.zeros((len(x), len(columns)))
    for j, c in enumerate(columns):
        v = x[:, c]
        if how == "rank":
            out[:, j] = (rankdata(v) - 0.5) / max(len(v), 1)
        else:
            mad = np.median(np.abs(v - np.median(v))) * 1.4826 + 1e-3
            out[:, j] = np.clip((v - np.median(v)) / mad, -5, 5)
    return out


def evaluate(sets: dict, extra: dict, reference: dict, label: str) -> None:
    """Refit with the extra columns and print every set's numbers at ``normal``."""
    data = {
        k: [
            (s, ev, np.hstack([x, extra[k][i]]) if len(x) else x, y)
            for i, (s, ev, x, y) in enumerate(rows)
        ]
        for k, rows in sets.items()
    }
    x = np.vstack([r[2] for k in KEYS for r in data[k] if len(r[2])])
    y = np.concatenate([r[3] for k in KEYS for r in data[k] if len(r[3])])
    keep = y >= 0
    model = LogisticModel.fit(x[keep], y[keep].astype(float), l2=L2)
    proba = {
        k: [model.predict_proba(r[2]) if len(r[2]) else np.zeros(0) for r in data[k]] for k in data
    }
    ok = [
        float(t)
        for t in GRID
        if all(scores(data[k], proba[k], float(t))[1] >= reference[k]["normal"] for k in KEYS)
    ]
    threshold = min(ok) if ok else float(GRID[-1])
    line = f"{label:<24} threshold {threshold:.2f}"
    for k in data:
        r, p, fpm = scores(data[k], proba[k], threshold)
        f1 = 2 * r * p / (r + p) if r + p else 0.0
        line += f" | {k[0]} {k[1]} {r:.3f}/{p:.3f}/{fpm:.2f} F1 {f1:.3f}"
    print(line, flush=True)


def main() -> None:
    sets = {}
    for gen, table in (("2d", va.sets_2d()), ("3d", va.sets_3d())):
        for which, specs in table.items():
            if which != "test":
                scenes = [va.load_scene(gen, spec, va.CACHE) for spec in specs]
                sets[gen, which] = [(s, *candidates(s)) for s in scenes]
    reference = {k: rule_precision(sets[k]) for k in KEYS}
    phys = {k: [physical(s, ev) for s, ev, _x, _y in rows] for k, rows in sets.items()}

    def pick(columns: list[int]) -> dict:
        return {k: [p[:, columns] for p in v] for k, v in phys.items()}

    def rel(columns: list[int], how: str) -> dict:
        return {k: [relative(x, columns, how) for _s, _e, x, _y in v] for k, v in sets.items()}

    evaluate(sets, pick([]), reference, "shipped measures")
    for label, extra in (
        ("peak / size", pick([0])),
        ("path / size", pick([1])),
        ("p90 / size", pick([2])),
        ("radial", pick([3])),
        ("|radial|", pick([4])),
        ("top tenth", pick([5])),
        ("straightness", pick([6])),
        ("all four flow", pick([3, 4, 5, 6])),
        ("rank of four", rel(STRENGTH, "rank")),
        ("z of four", rel(STRENGTH, "z")),
        ("rank of 15", rel(CONTINUOUS, "rank")),
    ):
        evaluate(sets, extra, reference, label)


if __name__ == "__main__":
    main()
