"""How the per-video quality checks behave on the two generators' scenes.

The quality block (``video/quality.py``) tells the reader when a video cannot show a
spasm well. This prints, for each generator's tuning and test sets:

- how many scenes each check flags, and the spasms found at ``normal`` (learned
  detector) in the scenes it flags and in those it passes: a check is useful where the
  detector misses more in what it flags;
- against the scene's truth: the infant's share of the frame drawn by the 3-D generator
  (its bounding box) next to the located share that the ``infant_size`` check reads, and
  the phone's shake next to the ``camera`` check;
- the ``infant_in_view`` check on simulated cuts: each scene's grid of cell speeds cut so
  that a third of the located infant's extent is lost on one side (four cuts a scene;
  grids under 6 cells across are skipped), against the same scenes uncut.

The scenes' motion signals come from the cache of ``benchmarks/video_accuracy.py``
(rendered first where missing). The focus check needs the frames' sharpness, which the
cache does not keep; it is passed as in focus and not reported.

Run: ``.venv/bin/python benchmarks/video_quality.py [--generator 2d|3d|both]
[--set tuning|test|both]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from spasmwatch.testing.video.accuracy import (
    CACHE,
    Scene,
    load_scene,
    sets_2d,
    sets_3d,
    visible_found,
)
from spasmwatch.video.quality import BLUR_LEVEL, EDGE_SHARE, assess_quality
from spasmwatch.video.regions import edge_share, locate_infant

#: Checks reported (``focus`` needs the frames, which the cache does not keep).
CHECKS = ("duration", "brightness", "camera", "infant_found", "infant_size", "infant_in_view")
#: Share of the located infant's extent cut away in the simulated cuts.
CUT_SHARE = 1.0 / 3.0
#: A cut grid narrower than this many cells is not a picture worth judging.
MIN_CUT_CELLS = 6


def quality_of(scene: Scene, speed: np.ndarray | None = None) -> dict:
    """The quality block of a scene (or of a cut of its cell speeds), as the analysis of
    a video shorter than one detection window computes it."""
    sig = scene.signals
    speed = sig.speed if speed is None else speed
    mask = locate_infant(speed)
    found = not bool(mask.all())
    return assess_quality(
        duration_s=float(scene.truth.spec.duration_s),
        brightness=sig.brightness,
        sharpness=[BLUR_LEVEL],
        camera_speed=sig.camera_speed,
        infant_share=float(mask.mean()) if found else 0.0,
        infant_found=found,
        edge_share=edge_share(mask) if found else 0.0,
    )


def flagged(quality: dict) -> set[str]:
    """The ids of the checks a quality block fails (a check not judged, ``ok`` null, is
    not a failure)."""
    return {c["id"] for c in quality["checks"] if c["ok"] is False}


def spasms_found(scene: Scene) -> tuple[int, int]:
    """Visible spasms found at ``normal`` by the shipped detector, and their number."""
    visible, found = visible_found(scene)
    return len(found), len(visible)


def cuts(scene: Scene) -> list[np.ndarray]:
    """The scene's cell speeds cut on each side so that a third of the located
    infant's extent is outside the grid."""
    speed = scene.signals.speed
    ys, xs = np.nonzero(scene.mask)
    r0, r1, c0, c1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    dr, dc = int((r1 - r0) * CUT_SHARE), int((c1 - c0) * CUT_SHARE)
    out = [
        speed[:, r0 + dr :, :],
        speed[:, : r1 - dr, :],
        speed[:, :, c0 + dc :],
        speed[:, :, : c1 - dc],
    ]
    return [s for s in out if min(s.shape[1:]) >= MIN_CUT_CELLS]


def report(gen: str, name: str, scenes: list[Scene]) -> None:
    role = "TUNING set" if name == "tuning" else "TEST set"
    print(f"[{gen}] {role}: {len(scenes)} videos")
    rows = []
    for scene in scenes:
        q = quality_of(scene)
        hit, n = spasms_found(scene)
        rows.append((scene, q, flagged(q), hit, n))
    for check in CHECKS:
        out = [r for r in rows if check in r[2]]
        kept = [r for r in rows if check not in r[2]]
        found_out, n_out = sum(r[3] for r in out), sum(r[4] for r in out)
        found_in, n_in = sum(r[3] for r in kept), sum(r[4] for r in kept)
        print(
            f"  {check:<15} flags {len(out):>2}/{len(rows)}  spasms found at normal: "
            f"flagged {found_out}/{n_out}, passed {found_in}/{n_in}"
        )
    for scene, q, bad, hit, n in rows:
        checks = {c["id"]: c for c in q["checks"]}
        truth = (
            f"drawn share {scene.size:.2f}, view {scene.view}, " if np.isfinite(scene.size) else ""
        )
        shake = getattr(scene.truth.spec, "shake", float("nan"))
        print(
            f"    {scene.name:<16} {truth}shake {shake:.1f}: located share "
            f"{checks['infant_size']['value']:.2f}, edge {checks['infant_in_view']['value']:.2f}, "
            f"camera {checks['camera']['value']:.3f}; found {hit}/{n}; "
            f"fails: {', '.join(sorted(bad)) or 'none'}"
        )
    uncut = sum("infant_in_view" in r[2] for r in rows)
    cut_flags = [("infant_in_view" in flagged(quality_of(s, c))) for s in scenes for c in cuts(s)]
    print(
        f"  infant_in_view (edge share > {EDGE_SHARE}): whole baby in view {uncut}/{len(rows)} "
        f"flagged; a third cut away {sum(cut_flags)}/{len(cut_flags)} flagged"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--generator", choices=("2d", "3d", "both"), default="both")
    ap.add_argument("--set", choices=("tuning", "test", "both"), default="both")
    ap.add_argument("--cache", type=Path, default=CACHE)
    args = ap.parse_args()
    t0 = time.perf_counter()
    gens = ("2d", "3d") if args.generator == "both" else (args.generator,)
    which = ("tuning", "test") if args.set == "both" else (args.set,)
    print("Video quality checks against the scenes' truth")
    for gen in gens:
        sets = sets_2d() if gen == "2d" else sets_3d()
        for name in which:
            scenes = []
            for spec in sets[name]:
                scenes.append(load_scene(gen, spec, args.cache))
                print(f"  {gen}/{spec.name}: ready", file=sys.stderr)
            report(gen, name, scenes)
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
