"""Does a finer motion grid find more spasms, especially in small infants?

Hypothesis: the motion measures are taken on a grid of 16 cells on the short side of the
analysed picture (240 px, cells of 15 px; ``video.motion.GRID_SHORT_SIDE``). A small
infant (15-25 % of the frame) covers only a few cells, and on the 3-D test set small
infants are found worst (22 of 45 spasms at ``normal``, against 12 of 13 large ones).
Finer cells, 24 or 32 on the short side (10 and 7.5 px), may measure the extent, spread,
symmetry and time course of a small infant's movement better. (The same grids were tried
on 2026-12-06 on the tuning sets only, with the 16-measure model and the region
constants left in cells: ``docs/benchmarks-history.md``, "Finer and coarser motion
grids". This run judges them on the validation set, with the shipped 20-measure model's
protocol and the constants scaled.)

Protocol, written before any variant was scored:

- Variants: ``GRID_SHORT_SIDE`` 16 (shipped), 24 and 32. For each, the motion signals of
  the 2-D tuning set, the 3-D tuning set and the 3-D validation set are computed again
  from the rendered videos already cached in ``benchmarks/.cache/video/{2d,3d}/`` (never
  rendered again) and stored apart, in ``benchmarks/.cache/video/grid{N}/`` (the shipped
  cache is not written). The learned detector is refitted exactly as
  ``benchmarks/video_train.py`` fits it (the 20 measures, L2 30, on the two tuning sets
  only; each sensitivity's threshold the lowest at which the model is as precise as the
  rule detector on each tuning set), and scored at ``normal`` on the 3-D validation set
  and, in-sample, on the two tuning sets.
- Grid 16 computed this way must give the shipped validation numbers (F1 0.632: recall
  0.713, precision 0.568, 2.92 false per benign minute) and the shipped model's weights;
  a difference is explained before the other grids are judged.
- Region constants that count cells (not shares of the frame or of the infant) are
  scaled by the grid, ``n`` cells becoming ``n * grid / 16`` rounded half up (the same
  pixels; at 24 a 1.5-cell width becomes 2, a 4.5-cell one 5; at 32 exact), an area of
  cells by the square, so that a variant measures the same places of the picture:

  constant (where): at 16 / 24 / 32 cells

  - the infant's mask widened (``regions.locate_infant``, a dilation): 1 / 2 / 2
  - the cells "well away" from the infant (``regions.activity_traces``): 3 / 5 / 6
  - the infant's surround a limb joins (``regions._outside_share``): 1 / 2 / 2
  - the picture's edge a hand comes in from (``regions._outside_share``): 1 / 2 / 2
  - the border ring that tells the scenery (``regions.scenery_correlation``): 1 / 2 / 2
  - the rest of the body apart from an end (``parts.part_bursts``): 1 / 2 / 2
  - the fewest cells of an end (``parts.MIN_END_CELLS``, an area): 3 / 7 / 12
  - the least half-width of an end's core (``parts._ends``): 1 / 1.5 / 2

  Not scaled: the limits of speed (``regions._CELL_FLOOR``, ``STILL_LEVEL``,
  ``MOVING_LEVEL``: short sides per second, the same whatever the cell), every share of
  the infant's cells or length (the detection thresholds, ``parts.END_SHARE``,
  ``axial_spread``'s six bins), and ``regions.edge_share`` (the quality check
  ``infant_in_view``, which no scored number reads).
- Each finer grid is also scored with the constants left as shipped (in cells), for
  comparison only: those two cannot be kept.
- Keep rule: a variant (24 or 32, constants scaled) is kept only if its 3-D validation F1
  at ``normal`` is at least 0.662 (the shipped 0.632 + 0.03) AND the 2-D tuning set's
  in-sample F1 stays at or above 0.93 AND the whole analysis stays within 1.2 times
  decode-only time (``benchmarks/video_speed.py``'s clip and timing, alternated with
  grid 16 in the same run) AND peak memory stays flat in the video's length (the whole
  analysis with outputs of 1 and 6 minutes in fresh processes: its growth from 1 to 6
  minutes at most grid 16's growth in the same run plus 50 MB). Speed and memory are
  measured for a variant that meets the two accuracy conditions (``--speed`` measures
  speed for every grid, for information).
- The test sets are read only if a variant is kept: then once, and reported whatever
  they show; the shipped code and ``spasm_model.json`` are not changed here.
- Also printed for each variant: recall per infant size (small under 30 % of the frame,
  medium 30-50 %, large) on the validation set, nods and clusters, from the full
  detection (``testing.video.accuracy.score_scene`` with the refitted model).

The grid and the scaled constants are set per run by patching the modules in this
process (:func:`grid`); nothing in ``src/`` is changed.

Run (about 4 minutes per grid on one core the first time, half a minute once its signals
are cached):
``OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python benchmarks/video_grid.py [--grids 32 24 16]
[--speed] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np
from scipy import ndimage

sys.path.insert(0, str(Path(__file__).resolve().parent))

import spasmwatch.testing.video.accuracy as va
import video_train as vt
from spasmwatch.video import motion, parts, regions
from spasmwatch.video.analyze import motion_signals
from spasmwatch.video.classify import FEATURE_NAMES, load_spasm_model

SHIPPED_GRID = 16
#: The keep rule (see the description).
KEEP_VALIDATION_F1 = 0.632 + 0.03
KEEP_2D_TUNING_F1 = 0.93
KEEP_SPEED_RATIO = 1.2
#: The shipped detector's numbers on the 3-D validation set at ``normal``.
SHIPPED_VALIDATION = {"recall": 0.713, "precision": 0.568, "fpm": 2.92, "f1": 0.632}
SETS = [("2d", "tuning"), ("3d", "tuning"), ("3d", "validation")]
TEST_SETS = [("2d", "test"), ("3d", "test")]


def cells(n: float, grid_n: int) -> int:
    """``n`` cells of the 16-cell grid, in cells of a ``grid_n`` grid (half up)."""
    return max(1, int(n * grid_n / SHIPPED_GRID + 0.5))


# ---------------------------------------------------------------- scaled constants


class _ScaledNdimage:
    """``scipy.ndimage`` with every ``binary_dilation``'s iterations scaled to the grid."""

    def __init__(self, grid_n: int) -> None:
        self.grid_n = grid_n

    def __getattr__(self, name: str):
        return getattr(ndimage, name)

    def binary_dilation(self, input, *args, iterations: int = 1, **kwargs):
        return ndimage.binary_dilation(
            input, *args, iterations=cells(iterations, self.grid_n), **kwargs
        )


def _ring(shape: tuple[int, int], width: int) -> np.ndarray:
    ring = np.zeros(shape, bool)
    ring[:width, :] = ring[-width:, :] = True
    ring[:, :width] = ring[:, -width:] = True
    return ring


def _scenery_correlation(width: int):
    """``regions.scenery_correlation`` with a border ring ``width`` cells wide."""

    def scenery_correlation(speed: np.ndarray) -> np.ndarray:
        s = np.asarray(speed[1:], np.float64)
        t, rows, cols = s.shape
        if rows < 4 or cols < 4 or t < 3:
            return np.zeros((rows, cols))
        ring = _ring((rows, cols), width)
        common = np.median(s[:, ring], axis=1)
        c0 = common - common.mean()
        x0 = s.reshape(t, -1) - s.reshape(t, -1).mean(axis=0)
        den = np.sqrt(float((c0 * c0).sum()) * (x0 * x0).sum(axis=0))
        corr = np.divide(c0 @ x0, den, out=np.zeros(rows * cols), where=den > 1e-12)
        return corr.reshape(rows, cols)

    return scenery_correlation


def _outside_share(width: int, near_cells: int):
    """``regions._outside_share`` with the picture's edge ``width`` cells wide and the
    infant's surround ``near_cells`` wide."""

    def outside_share(moving: np.ndarray, inside: np.ndarray, far: np.ndarray) -> np.ndarray:
        n_far = int(far.sum())
        out = np.zeros(len(moving))
        if not n_far:
            return out
        near = ndimage.binary_dilation(inside, iterations=near_cells)
        edge = _ring(inside.shape, width)
        eight = np.ones((3, 3), bool)
        for i in np.flatnonzero(moving[:, far].any(axis=1)):
            labels, _n = ndimage.label(moving[i] | near, structure=eight)
            limb = np.setdiff1d(np.unique(labels[near]), np.unique(labels[edge & moving[i]]))
            foreign = (labels > 0) & ~np.isin(labels, limb)
            out[i] = (foreign & far).sum() / n_far
        return out

    return outside_share


def _ends(min_cells: int, min_half_width: float):
    """``parts._ends`` with its two cell constants given."""

    def ends(mask: np.ndarray, lateral: np.ndarray, along: np.ndarray) -> list[np.ndarray]:
        half_width = float(np.percentile(np.abs(lateral[mask]), 90)) if mask.any() else 0.0
        core = mask & (np.abs(lateral) <= max(min_half_width, parts.CORE_SHARE * half_width))
        out = [core & (along <= parts.END_SHARE), core & (along >= 1 - parts.END_SHARE)]
        return [e for e in out if int(e.sum()) >= min_cells]

    return ends


def scaled_constants(grid_n: int) -> dict[str, float]:
    """The cell constants of the description's table at ``grid_n``."""
    return {
        "mask widened": cells(1, grid_n),
        "well away": cells(3, grid_n),
        "surround": cells(1, grid_n),
        "edge": cells(1, grid_n),
        "border ring": cells(1, grid_n),
        "rest apart from an end": cells(1, grid_n),
        "fewest cells of an end": max(1, int(3 * (grid_n / SHIPPED_GRID) ** 2 + 0.5)),
        "least core half-width": grid_n / SHIPPED_GRID,
    }


@contextlib.contextmanager
def grid(grid_n: int, scale: bool = True):
    """Motion on ``grid_n`` cells on the short side (and the cell constants scaled, with
    ``scale``) within the block; everything as shipped again after it."""
    saved = [
        (motion, "GRID_SHORT_SIDE"),
        (regions, "ndimage"),
        (regions, "scenery_correlation"),
        (regions, "_outside_share"),
        (parts, "ndimage"),
        (parts, "_ends"),
    ]
    old = [(mod, name, getattr(mod, name)) for mod, name in saved]
    motion.GRID_SHORT_SIDE = grid_n
    if scale:
        c = scaled_constants(grid_n)
        regions.ndimage = _ScaledNdimage(grid_n)
        parts.ndimage = _ScaledNdimage(grid_n)
        regions.scenery_correlation = _scenery_correlation(c["border ring"])
        regions._outside_share = _outside_share(c["edge"], c["surround"])
        parts._ends = _ends(c["fewest cells of an end"], c["least core half-width"])
    try:
        yield
    finally:
        for mod, name, value in old:
            setattr(mod, name, value)


# ---------------------------------------------------------------- scenes on a grid


def signals_on_grid(gen: str, spec, grid_n: int, cache: Path):
    """The scene's motion signals on ``grid_n`` cells, from its cached video; stored in
    ``cache/grid{N}/{gen}/`` (never in the shipped cache)."""
    video = cache / gen / f"{spec.name}.mp4"
    folder = cache / f"grid{grid_n}" / gen
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{spec.name}.pkl"
    key = f"{spec!r} grid {grid_n} signals v{va.SIGNALS_VERSION}"
    if stored.is_file():
        saved = pickle.loads(stored.read_bytes())
        if saved["key"] == key:
            return saved["signals"]
    if not video.is_file():
        raise FileNotFoundError(f"{video}: not rendered (run benchmarks/video_accuracy.py)")
    old = motion.GRID_SHORT_SIDE
    motion.GRID_SHORT_SIDE = grid_n
    try:
        _info, sig = motion_signals(video)
    finally:
        motion.GRID_SHORT_SIDE = old
    stored.write_bytes(pickle.dumps({"key": key, "signals": sig}))
    return sig


def scenes_on_grid(gen: str, specs: list, grid_n: int, cache: Path) -> list[va.Scene]:
    """The scenes (truth from the shipped cache) with their motion on ``grid_n`` cells;
    the infant located afresh, with whatever constants are in force."""
    out = []
    for spec in specs:
        shipped = va.load_scene(gen, spec, cache)  # cached: the truth, nothing rendered
        sig = signals_on_grid(gen, spec, grid_n, cache)
        mask = regions.locate_infant(sig.speed)
        out.append(dataclasses.replace(shipped, signals=sig, mask=mask))
    return out


# ---------------------------------------------------------------- scoring


def f1(recall: float, precision: float) -> float:
    return 2 * recall * precision / (recall + precision) if recall + precision else 0.0


def full_tally(scenes: list[va.Scene], model) -> va.Tally:
    """The full detection at ``normal`` with ``model`` (per size, nods, clusters)."""
    tally = va.Tally()
    for scene in scenes:
        va.score_scene(scene, "normal", tally, model=model)
    return tally


def by_group(tally: va.Tally, group: str) -> str:
    items = [
        f"{key.partition(' ')[2].removeprefix('size ')} {hit}/{n}"
        for key, (hit, n) in sorted(tally.by.items())
        if key.startswith(group)
    ]
    return ", ".join(items)


def run_variant(grid_n: int, scale: bool, cache: Path, with_test: bool = False) -> dict:
    """Refit and score one variant; prints its lines and returns its numbers."""
    label = f"grid {grid_n}" + ("" if scale or grid_n == SHIPPED_GRID else ", constants unscaled")
    t0 = time.perf_counter()
    keys = SETS + (TEST_SETS if with_test else [])
    with grid(grid_n, scale):
        tables = {("2d", w): s for w, s in va.sets_2d().items()}
        tables.update({("3d", w): s for w, s in va.sets_3d().items()})
        scenes = {k: scenes_on_grid(k[0], tables[k], grid_n, cache) for k in keys}
        rows = {k: [(s, *vt.candidates(s)) for s in scenes[k]] for k in keys}
        tuning = [("2d", "tuning"), ("3d", "tuning")]
        reference = {k: vt.rule_precision(rows[k]) for k in tuning}
        model = vt.fit(rows, tuning, reference)
        threshold = model.threshold_for("normal")
        out = {"label": label, "grid": grid_n, "scale": scale, "model": model}
        shape = scenes[("3d", "validation")][0].signals.grid_shape
        print(
            f"\n{label}: e.g. {shape[0]}x{shape[1]} cells; thresholds "
            + ", ".join(f"{k} {v}" for k, v in model.thresholds.items())
            + f"; fitted on {model.info['candidates']} candidates "
            f"({model.info['spasm_candidates']} on a spasm)"
        )
        for k in keys:
            proba = [model.predict_proba(r[2]) if len(r[2]) else np.zeros(0) for r in rows[k]]
            r, p, fpm = vt.scores(rows[k], proba, threshold)
            tally = full_tally(scenes[k], model)
            role = "in-sample" if k in tuning else ("TEST" if k[1] == "test" else "held out")
            out[k] = {"recall": r, "precision": p, "fpm": fpm, "f1": f1(r, p), "tally": tally}
            print(
                f"  {k[0]} {k[1]:<10} ({role:<9}) recall {r:.3f} precision {p:.3f} "
                f"F1 {f1(r, p):.3f} false/min benign {fpm:.2f} | full detection: recall "
                f"{tally.recall:.3f} ({tally.found}/{tally.true}) precision "
                f"{tally.precision:.3f} false/min {tally.false_per_min:.2f} clusters "
                f"{tally.clusters_found}/{tally.clusters}"
            )
            if k[0] == "3d":
                print(f"    per infant size: {by_group(tally, 'infant size')}")
                print(f"    per type: {by_group(tally, 'type')}")
                print(f"    per view: {by_group(tally, 'view')}")
        if grid_n == SHIPPED_GRID and scale:
            shipped = load_spasm_model()
            diff = float(np.max(np.abs(np.asarray(shipped.coef) - np.asarray(model.coef))))
            print(
                f"  refit against the shipped spasm_model.json: largest weight difference "
                f"{diff:.2e}; thresholds shipped {shipped.thresholds}"
            )
        print(
            "  weights: "
            + ", ".join(f"{n} {c:+.2f}" for n, c in zip(FEATURE_NAMES, model.coef, strict=True))
        )
    print(f"  ({time.perf_counter() - t0:.0f} s)")
    return out


def passes_accuracy(v: dict) -> bool:
    return (
        v[("3d", "validation")]["f1"] >= KEEP_VALIDATION_F1 - 1e-9
        and v[("2d", "tuning")]["f1"] >= KEEP_2D_TUNING_F1 - 1e-9
    )


# ---------------------------------------------------------------- speed and memory


def speed(grids: list[int], repeat: int) -> dict[int, float]:
    """Median ratio of the whole analysis to decode-only per grid (constants scaled),
    timed alternately on ``video_speed.py``'s 60 s 1080p30 clip."""
    import video_speed as vs
    from spasmwatch.video import analyze_video

    ratios: dict[int, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        clip = vs.make_clip(Path(tmp))
        for i in range(repeat):
            for g in grids:
                decode_s, _frames = vs.decode_only(clip)
                with grid(g):
                    t0 = time.perf_counter()
                    res = analyze_video(clip)
                    whole_s = time.perf_counter() - t0
                ratios[g].append(whole_s / decode_s)
                print(
                    f"  timing {i + 1}, grid {g}: decode only {decode_s:.1f} s, whole "
                    f"{whole_s:.1f} s (flow and detection {res.analysis_s:.1f} s), ratio "
                    f"{whole_s / decode_s:.2f}, {res.summary()['spasm_like']} spasm-like"
                )
    out = {g: statistics.median(r) for g, r in ratios.items()}
    for g, r in ratios.items():
        print(
            f"grid {g}: ratio median {out[g]:.2f} (each {', '.join(f'{x:.2f}' for x in r)}; "
            f"limit {KEEP_SPEED_RATIO})"
        )
    return out


_CHILD = """
import resource, sys
sys.path.insert(0, sys.argv[3])
import video_grid
from spasmwatch.video import analyze_video
with video_grid.grid(int(sys.argv[4])):
    r = analyze_video(sys.argv[1], out_dir=sys.argv[2])
print(f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
"""


#: Memory is flat when a variant's peak grows from 1 to 6 minutes by at most grid 16's
#: growth in the same run plus this (MB).
MEMORY_SLACK_MB = 50.0


def memory(grids: list[int], minutes: tuple[int, ...] = (1, 6)) -> dict[int, dict[int, float]]:
    """Peak memory (MB) of the whole analysis with outputs per grid and length, each in a
    fresh process."""
    import video_speed as vs

    peaks: dict[int, dict[int, float]] = defaultdict(dict)
    here = str(Path(__file__).resolve().parent)
    with tempfile.TemporaryDirectory() as tmp:
        clip = vs.make_clip(Path(tmp))
        for m in minutes:
            long = vs.join(clip, m, Path(tmp) / f"joined_{m}.mp4")
            for g in grids:
                res = subprocess.run(
                    [sys.executable, "-c", _CHILD, str(long), f"{tmp}/out_{m}_{g}", here, str(g)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                peaks[g][m] = float(res.stdout.split()[-1])
                print(f"  grid {g}, {m} min 1080p30: peak {peaks[g][m]:.0f} MB")
            long.unlink()
    return peaks


def flat(peaks: dict[int, dict[int, float]], g: int) -> bool:
    """Whether grid ``g``'s peak memory grows with the video no more than grid 16's."""
    growth = {k: p[max(p)] - p[min(p)] for k, p in peaks.items()}
    return growth[g] <= growth[SHIPPED_GRID] + MEMORY_SLACK_MB


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--grids", type=int, nargs="+", default=[32, 24, 16])
    ap.add_argument("--cache", type=Path, default=va.CACHE)
    ap.add_argument("--speed", action="store_true", help="time every grid (for information)")
    ap.add_argument("--repeat", type=int, default=3, help="alternated speed timings")
    args = ap.parse_args()
    cv2.setNumThreads(1)
    print(
        "Cell constants (16 -> 24 -> 32): "
        + "; ".join(
            f"{name} {scaled_constants(16)[name]:g} -> {scaled_constants(24)[name]:g} -> "
            f"{scaled_constants(32)[name]:g}"
            for name in scaled_constants(16)
        )
    )
    variants = {}
    for g in args.grids:
        variants[g, True] = run_variant(g, True, args.cache)
        if g != SHIPPED_GRID:
            variants[g, False] = run_variant(g, False, args.cache)
    print("\nSummary at normal (F1 from the candidates, as video_train.py scores them):")
    print(
        "variant | 3-D validation R / P / F1 / false per benign min | 2-D tuning F1 | 3-D tuning F1"
    )
    for v in variants.values():
        val, t2, t3 = v[("3d", "validation")], v[("2d", "tuning")], v[("3d", "tuning")]
        print(
            f"{v['label']} | {val['recall']:.3f} / {val['precision']:.3f} / {val['f1']:.3f} / "
            f"{val['fpm']:.2f} | {t2['f1']:.3f} | {t3['f1']:.3f}"
        )
    candidates = [
        g
        for (g, scale), v in variants.items()
        if scale and g != SHIPPED_GRID and passes_accuracy(v)
    ]
    print(
        "variants meeting the accuracy conditions (validation F1 >= "
        f"{KEEP_VALIDATION_F1:.3f}, 2-D tuning F1 >= {KEEP_2D_TUNING_F1}): "
        + (", ".join(f"grid {g}" for g in candidates) or "none")
    )
    timed = sorted(set(args.grids) | {SHIPPED_GRID}) if args.speed else []
    if candidates and not args.speed:
        timed = [SHIPPED_GRID, *candidates]
    ratios = speed(timed, args.repeat) if timed else {}
    kept = [g for g in candidates if ratios.get(g, np.inf) <= KEEP_SPEED_RATIO]
    if kept:
        print("peak memory (must stay flat in the video's length):")
        peaks = memory([SHIPPED_GRID, *kept])
        kept = [g for g in kept if flat(peaks, g)]
    if kept:
        print("\nKept (accuracy, speed and memory): the test sets, once:")
        for g in kept:
            run_variant(g, True, args.cache, with_test=True)
    else:
        print("no variant kept: the test sets are not read")


if __name__ == "__main__":
    main()
