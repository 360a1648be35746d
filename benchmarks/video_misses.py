"""Where the spasms that the video detector misses are lost, and how far they move the picture.

For every labelled spasm of the two generators' tuning and test sets that the shipped
(learned) detector misses at ``normal``, this prints the stage that lost it:

- ``no candidate``: the rules of ``high``, which make the candidates the model weighs at
  every sensitivity, found no movement burst on it;
- a veto the model cannot overrule (``video.classify.veto_reason``): ``long`` or
  ``rhythmic`` (until 2026-12-06 also ``rigid``, ``outside`` and ``phone``, which the
  model now weighs as measures);
- ``model``: a candidate the model scored under ``normal``'s threshold.

For the 3-D generator it also measures, from the scene's own geometry and without the
detector, how far each spasm moves the picture: every surface point of the infant is
projected by the scene's resting camera (the phone's shake left out) on every other frame
from the spasm's onset to its end; a point's distance is its largest from where it was at
the onset, and a spasm's displacement is the 90th percentile over the points (how far the
most-moving tenth of the infant travelled), in pixels at the analysed size (240 px on the
short side). A movement of a few pixels is within the picture's noise; one of tens of
pixels is in plain view, so a miss there is the detector's, not the picture's.

The motion signals come from the cache of ``benchmarks/video_accuracy.py`` (rendered
first where missing).

Run: ``.venv/bin/python benchmarks/video_misses.py [--generator 2d|3d|both]
[--set tuning|test|both]``
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

import numpy as np

from spasmwatch.testing.video.accuracy import (
    CACHE,
    Scene,
    load_scene,
    scene_events,
    sets_2d,
    sets_3d,
    visible_found,
)
from spasmwatch.testing.video.render3d_scene import Scene3D
from spasmwatch.video.analyze import ANALYSIS_SHORT_SIDE
from spasmwatch.video.classify import veto_reason

#: A candidate on a spasm overlaps it, with this much slack on each side (s).
SLACK_S = 0.3
#: Displacement bands (px at the analysed size) the 3-D spasms are counted in.
BANDS = ((0.0, 4.0), (4.0, 8.0), (8.0, 16.0), (16.0, float("inf")))
#: Frames apart at which a spasm's geometry is sampled.
FRAME_STEP = 2


def displacements(spec, spasms: list) -> list[float]:
    """How far each spasm moves the picture (px at the analysed size; module docstring)."""
    scene = Scene3D(spec)
    camera = scene.base_cam
    scale = ANALYSIS_SHORT_SIDE / min(scene.w, scene.h)

    def points(i: int) -> np.ndarray:
        posed, _ = scene.infant_at(i)
        uv, _ = camera.project(np.concatenate([p.world_verts() for p in posed]))
        return uv

    out = []
    for e in spasms:
        i0 = max(0, round(e.start_s * spec.fps))
        i1 = min(scene.n - 1, round(e.end_s * spec.fps))
        start = points(i0)
        far = np.zeros(len(start))
        for i in range(i0 + 1, i1 + 1, FRAME_STEP):
            far = np.maximum(far, np.linalg.norm(points(i) - start, axis=1))
        out.append(float(np.percentile(far, 90)) * scale)
    return out


def where_lost(scene: Scene) -> tuple[list, list[str]]:
    """The visible labelled spasms, and for each ``found`` or the stage that lost it."""
    candidates = scene_events(scene, "high")
    spasms, found = visible_found(scene)
    out = []
    for j, e in enumerate(spasms):
        if j in found:
            out.append("found")
            continue
        near = [
            c
            for c in candidates
            if c.start_s <= e.end_s + SLACK_S and c.end_s >= e.start_s - SLACK_S
        ]
        reasons = [veto_reason(c) for c in near]
        if not near:
            out.append("no candidate")
        elif "" in reasons:
            out.append("model")
        else:
            longest = max(range(len(near)), key=lambda k: near[k].end_s - near[k].start_s)
            out.append(reasons[longest])
    return spasms, out


def report(generator: str, part: str, specs: list) -> None:
    t0 = time.perf_counter()
    rows = []  # (style, outcome, displacement or NaN)
    for spec in specs:
        scene = load_scene(generator, spec, CACHE)
        if scene.benign:
            continue
        spasms, outcome = where_lost(scene)
        if not spasms:
            continue
        moved = displacements(spec, spasms) if generator == "3d" else [float("nan")] * len(spasms)
        rows += [(e.style or "spasm", o, d) for e, o, d in zip(spasms, outcome, moved, strict=True)]
    n_found = sum(o == "found" for _, o, _ in rows)
    print(f"\n{generator.upper()} {part}: {n_found} of {len(rows)} spasms found at `normal`")
    lost = Counter(o for _, o, _ in rows if o != "found")
    print("  misses by stage: " + ", ".join(f"{k} {v}" for k, v in lost.most_common()))
    by_style: dict[str, Counter] = {}
    for style, o, _ in rows:
        by_style.setdefault(style, Counter())[o] += 1
    for style, c in sorted(by_style.items()):
        misses = ", ".join(f"{k} {v}" for k, v in c.most_common() if k != "found")
        print(f"  {style:11s} found {c['found']:3d} of {sum(c.values()):3d}  {misses}")
    if generator == "3d":
        print("  by displacement (px at the analysed size; most-moving tenth of the infant):")
        for lo, hi in BANDS:
            band = [(s, o) for s, o, d in rows if lo <= d < hi]
            if not band:
                continue
            c = Counter(o for _, o in band)
            misses = ", ".join(f"{k} {v}" for k, v in c.most_common() if k != "found")
            styles = ", ".join(f"{k} {v}" for k, v in Counter(s for s, _ in band).most_common())
            label = f"{lo:g}-{hi:g}" if np.isfinite(hi) else f">= {lo:g}"
            print(f"    {label:>6s} px: found {c['found']} of {len(band)} ({styles}); {misses}")
        ds = np.array([d for *_, d in rows])
        print(f"    median {np.median(ds):.1f} px, range {ds.min():.1f}-{ds.max():.1f}")
    print(f"  ({time.perf_counter() - t0:.0f} s)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--generator", choices=("2d", "3d", "both"), default="both")
    ap.add_argument("--set", choices=("tuning", "test", "both"), default="both")
    args = ap.parse_args(argv)
    generators = ("2d", "3d") if args.generator == "both" else (args.generator,)
    parts = ("tuning", "test") if args.set == "both" else (args.set,)
    for generator in generators:
        sets = sets_2d() if generator == "2d" else sets_3d()
        for part in parts:
            report(generator, part, sets[part])
    return 0


if __name__ == "__main__":
    sys.exit(main())
