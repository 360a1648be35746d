"""Detection accuracy of ``spasmwatch video analyze`` on two independently written generators.

Two scene generators, written separately so that a detector tuned on one is tested on
scenes it has never seen:

- ``2d`` (``testing.video.render``): an infant drawn flat from above with OpenCV, on a
  textured blanket, landscape or portrait; flexion and extension spasms (symmetric or
  one-sided) and head nods; jerks, kicks, reaches, a caregiver's hand, camera shake,
  jolts and flicker. Tuning set 21 videos, test set 42.
- ``3d`` (``src/spasmwatch/testing/video/render3d.py``): an articulated 3-D infant of capsules and
  ellipsoids in clothes, seen through a perspective phone camera from above, obliquely or
  from the side, filling 15-70 % of the frame, with cot bars, blanket, lighting changes,
  H.264 compression, handheld shake and a caregiver's hand; flexion, extension, mixed,
  asymmetric, one-sided, crunch, nod and eye-roll spasms; sleep jerks, startles, kicking,
  stretching, feeding, being picked up. Tuning set 12 videos, validation set 16 (other
  seeds; never fitted on, for comparing variants), test set 16.

The protocol (``docs/benchmarks.md``): thresholds are chosen on a tuning set and
reported on the other generator's test set, and the other way round; the shipped
settings are reported on both test sets. Prints, per set and sensitivity: spasm recall
and precision, false spasm-like events per minute of benign video, cluster recall; at
``normal`` also recall per spasm type, per view, per orientation and per infant size,
and the movements set aside (found spasm-like but moved with the phone, or while
something came into the picture: said to the reader, not counted), on a true spasm or
elsewhere.
``eyes`` spasms (a brief eye roll or grimace with almost no body movement) are counted
apart: they are what a video analysed at 240 pixels cannot show, and the main recall
leaves them out.

Rendered videos and their motion signals are cached (``--cache``, default
``benchmarks/.cache/video``), so a second run only re-runs detection.

Run: ``.venv/bin/python benchmarks/video_accuracy.py [--generator 2d|3d|both]
[--set tuning|validation|test|both] [--quick]``
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

from spasmwatch.testing.video.accuracy import (
    CACHE,
    Scene,
    Tally,
    load_scene,
    score_scene,
    sets_2d,
    sets_3d,
)
from spasmwatch.testing.video.evaluate import MATCH_SLACK_S
from spasmwatch.video import DETECTORS, SENSITIVITIES


def line(name: str, t: Tally) -> str:
    hidden = f"  eye-roll/grimace {t.hidden[0]}/{t.hidden[1]}" if t.hidden[1] else ""
    return (
        f"  {name:<8} recall {t.recall:.3f} ({t.found}/{t.true})  precision {t.precision:.3f} "
        f"({t.detected - t.false}/{t.detected})  false/min benign {t.false_per_min:.2f}  "
        f"clusters {t.clusters_found}/{t.clusters}{hidden}"
    )


def report(
    title: str, scenes: list[Scene], settings=None, detector: str = "learned", model=None
) -> dict[str, Tally]:
    """Print the numbers of one set; returns the tallies by sensitivity."""
    n_benign = sum(s.benign for s in scenes)
    minutes = sum(s.truth.spec.duration_s for s in scenes) / 60
    print(
        f"{title}: {len(scenes)} videos ({len(scenes) - n_benign} with spasms, "
        f"{n_benign} benign, {minutes:.0f} min)"
    )
    out = {}
    for sens in SENSITIVITIES:
        t = Tally()
        for scene in scenes:
            score_scene(scene, sens, t, settings, detector, model)
        out[sens] = t
        print(line(sens, t))
    for sens in ("normal", "high"):
        groups = defaultdict(list)
        for key, (hit, n) in sorted(out[sens].by.items()):
            group, _, value = key.partition(" ")
            groups[group].append(f"{value} {hit}/{n}")
        for group, items in groups.items():
            print(f"    {sens}, per {group}: " + ", ".join(items))
        if out[sens].aside:
            said = "; ".join(
                f"{why} {on + elsewhere} ({on} on a spasm, pointing to {missed} missed; "
                f"{elsewhere} elsewhere)"
                for why, (on, elsewhere, missed) in sorted(out[sens].aside.items())
            )
            print(f"    {sens}, set aside (said, not counted): {said}")
    return out


#: How each set may be used (``docs/benchmarks.md``, the protocol).
ROLES = {
    "tuning": "TUNING set (thresholds may be chosen here)",
    "validation": "VALIDATION set (never fitted on; variants may be compared here)",
    "test": "TEST set",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--generator", choices=("2d", "3d", "both"), default="both")
    ap.add_argument(
        "--set",
        choices=("tuning", "validation", "test", "both"),
        default="both",
        help="both: every set (the 3-D generator also has a validation set)",
    )
    ap.add_argument("--cache", type=Path, default=CACHE)
    ap.add_argument("--quick", action="store_true", help="the first few scenes of each set")
    ap.add_argument(
        "--detector",
        choices=(*DETECTORS, "both"),
        default="both",
        help="the learned detector (shipped default), the rule detector, or both",
    )
    ap.add_argument(
        "--rendered",
        type=Path,
        help="a folder of 3-D scenes already rendered by spasmwatch.testing.video.render3d",
    )
    args = ap.parse_args()
    t0 = time.perf_counter()
    gens = ("2d", "3d") if args.generator == "both" else (args.generator,)
    which = ("tuning", "validation", "test") if args.set == "both" else (args.set,)
    print(
        "Video detection accuracy (matching: overlap within "
        f"{MATCH_SLACK_S} s; 'eyes' spasms counted apart)"
    )
    for gen in gens:
        sets = sets_2d() if gen == "2d" else sets_3d()
        for name in which:
            if name not in sets:
                continue
            specs = sets[name]
            if args.quick:
                specs = [s for s in specs if s.clusters][:3] + [s for s in specs if not s.clusters][
                    :1
                ]
            scenes = []
            for spec in specs:
                scenes.append(load_scene(gen, spec, args.cache, args.rendered))
                print(f"  {gen}/{spec.name}: ready", file=sys.stderr)
            role = ROLES[name]
            for det in DETECTORS if args.detector == "both" else (args.detector,):
                report(f"[{gen}] {role}, detector {det}", scenes, detector=det)
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
