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
  stretching, feeding, being picked up. Tuning set 12 videos, test set 16.

The protocol (``docs/benchmarks.md``): thresholds are chosen on a tuning set and
reported on the other generator's test set, and the other way round; the shipped
settings are reported on both test sets. Prints, per set and sensitivity: spasm recall
and precision, false spasm-like events per minute of benign video, cluster recall; at
``normal`` also recall per spasm type, per view, per orientation and per infant size.
``eyes`` spasms (a brief eye roll or grimace with almost no body movement) are counted
apart: they are what a video analysed at 240 pixels cannot show, and the main recall
leaves them out.

Rendered videos and their motion signals are cached (``--cache``, default
``benchmarks/.cache/video``), so a second run only re-runs detection.

Run: ``.venv/bin/python benchmarks/video_accuracy.py [--generator 2d|3d|both]
[--set tuning|test|both] [--quick]``
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from spasmwatch.testing.video import render as gen2d
from spasmwatch.testing.video import render3d as gen3d
from spasmwatch.testing.video.evaluate import MATCH_SLACK_S, match_spans
from spasmwatch.video import (
    DETECTORS,
    SENSITIVITIES,
    MotionSignals,
    detect_events,
    find_clusters,
    locate_infant,
    motion_signals,
)

#: Spasm styles that a video at the analysed size cannot be expected to show.
NOT_VISIBLE_STYLES = ("eyes",)
SIZE_BANDS = ((0.0, 0.3, "small (<30 %)"), (0.3, 0.5, "medium (30-50 %)"), (0.5, 1.01, "large"))


# ---------------------------------------------------------------- the sets


def sets_2d() -> dict[str, list[gen2d.SceneSpec]]:
    """The 2-D generator's tuning and test sets (seeds apart)."""
    return {"tuning": gen2d.tuning_set(), "test": gen2d.test_set()}


def sets_3d() -> dict[str, list[gen3d.Scene3DSpec]]:
    """The 3-D generator's tuning and test sets."""
    return {"tuning": gen3d.tuning_set(), "test": gen3d.test_set()}


@dataclass
class Scene:
    """A rendered scene's truth and motion, ready for detection."""

    name: str
    generator: str
    truth: object
    signals: MotionSignals
    mask: np.ndarray
    view: str
    orientation: str
    size: float  # infant's share of the frame (NaN when not measured)

    @property
    def benign(self) -> bool:
        return not self.truth.spasms


def _pre_rendered(generator: str, spec, folder: Path, video: Path):
    """The truth of a 3-D scene already rendered by ``python -m spasmwatch.testing.video.render3d``
    into ``folder`` (``NAME.mp4`` and ``NAME.json``), with its video linked into place."""
    mp4, doc = folder / f"{spec.name}.mp4", folder / f"{spec.name}.json"
    if generator != "3d" or not (mp4.is_file() and doc.is_file()):
        return None
    data = json.loads(doc.read_text())
    if data["spec"]["seed"] != spec.seed:
        return None
    shutil.copyfile(mp4, video)
    events = [gen3d.TruthEvent(**e) for e in data["events"]]
    clusters = [tuple(c) for c in data["clusters"]]
    return gen3d.GroundTruth3D(spec, events, clusters, float(data["infant_share"]))


class _SceneUnpickler(pickle.Unpickler):
    """Loads a cache written when this file ran as a script (``__main__.Scene``), also one
    written when the generators lived in ``tests/video/``."""

    def find_class(self, module: str, name: str):
        if name == "Scene":
            return Scene
        if module.startswith("tests.video."):
            module = "spasmwatch.testing.video." + module.removeprefix("tests.video.")
        return super().find_class(module, name)


def load_scene(generator: str, spec, cache: Path, rendered: Path | None = None) -> Scene:
    """Render (or load from the cache) one scene and its motion signals."""
    folder = cache / generator
    folder.mkdir(parents=True, exist_ok=True)
    video = folder / f"{spec.name}.mp4"
    stored = folder / f"{spec.name}.pkl"
    key = repr(spec)
    if stored.is_file():
        with stored.open("rb") as f:
            saved = _SceneUnpickler(f).load()
        if saved["key"] == key:
            scene = saved["scene"]
            if isinstance(scene, dict):
                scene = Scene(**scene)
            # located afresh: the cache holds the signals, not the detector's choices
            scene.mask = locate_infant(scene.signals.speed)
            scene.orientation = "portrait" if spec.height > spec.width else "landscape"
            return scene
    module = gen2d if generator == "2d" else gen3d
    truth = _pre_rendered(generator, spec, rendered, video) if rendered else None
    if truth is None:
        truth = module.render(spec, video)
    _info, sig = motion_signals(video)
    w, h = spec.width, spec.height
    scene = Scene(
        name=spec.name,
        generator=generator,
        truth=truth,
        signals=sig,
        mask=locate_infant(sig.speed),
        view=getattr(spec, "view", "overhead"),
        orientation="portrait" if h > w else "landscape",
        size=float(getattr(truth, "infant_share", float("nan"))),
    )
    with stored.open("wb") as f:
        # plain fields, so the cache loads whether this runs as a script or a module
        pickle.dump({"key": key, "scene": dict(vars(scene))}, f)
    video.unlink(missing_ok=True)  # the signals are what detection needs
    return scene


# ---------------------------------------------------------------- scoring


@dataclass
class Tally:
    """Counts over scenes for one setting."""

    true: int = 0
    found: int = 0
    detected: int = 0
    false: int = 0
    benign_false: int = 0
    benign_minutes: float = 0.0
    clusters: int = 0
    clusters_found: int = 0
    by: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    hidden: list[int] = field(default_factory=lambda: [0, 0])  # eyes: found, total

    @property
    def recall(self) -> float:
        return self.found / self.true if self.true else float("nan")

    @property
    def precision(self) -> float:
        return (self.detected - self.false) / self.detected if self.detected else 1.0

    @property
    def false_per_min(self) -> float:
        return self.benign_false / self.benign_minutes if self.benign_minutes else 0.0

    @property
    def cluster_recall(self) -> float:
        return self.clusters_found / self.clusters if self.clusters else float("nan")


def _size_band(size: float) -> str:
    if not np.isfinite(size):
        return "not measured"
    return next(name for lo, hi, name in SIZE_BANDS if lo <= size < hi)


def score_scene(
    scene: Scene,
    sensitivity: str,
    tally: Tally,
    settings=None,
    detector: str = "learned",
    model=None,
) -> None:
    """Detect at ``sensitivity`` (or with explicit ``settings``) and add to ``tally``."""
    sig = scene.signals
    events = detect_events(
        sig.speed,
        sig.flow_x,
        sig.flow_y,
        sig.times_s,
        sig.rate_hz,
        sensitivity,
        mask=scene.mask,
        settings=settings,
        detector=detector,
        camera_speed=sig.camera_speed,
        model=model,
    )
    spasms = [e for e in events if e.kind == "spasm_like"]
    truth = scene.truth
    everything = truth.spasms
    hidden = [e for e in everything if e.style in NOT_VISIBLE_STYLES]
    spans = [(e.start_s, e.end_s) for e in spasms]
    found_all, false = match_spans([(e.start_s, e.end_s) for e in everything], spans)
    # A detection on an eye roll is right, not false; it counts in neither recall.
    tally.detected += len(spans)
    tally.false += false
    minutes = truth.spec.duration_s / 60.0
    if scene.benign:
        tally.benign_false += false
        tally.benign_minutes += minutes
    for j, e in enumerate(everything):
        hit = j in found_all
        if e in hidden:
            tally.hidden[0] += hit
            tally.hidden[1] += 1
            continue
        tally.true += 1
        tally.found += hit
        for key in (
            f"type {e.style or 'unlabelled'}",
            f"side {e.side}",
            f"view {scene.view}",
            f"orientation {scene.orientation}",
            f"infant size {_size_band(scene.size)}",
        ):
            tally.by[key][0] += hit
            tally.by[key][1] += 1
    clusters = find_clusters(events)
    for s, e, _n in truth.clusters:
        tally.clusters += 1
        tally.clusters_found += any(
            a <= e and b >= s for a, b in ((c.start_s, c.end_s) for c in clusters)
        )


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
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--generator", choices=("2d", "3d", "both"), default="both")
    ap.add_argument("--set", choices=("tuning", "test", "both"), default="both")
    ap.add_argument("--cache", type=Path, default=Path(__file__).parent / ".cache" / "video")
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
    which = ("tuning", "test") if args.set == "both" else (args.set,)
    print(
        "Video detection accuracy (matching: overlap within "
        f"{MATCH_SLACK_S} s; 'eyes' spasms counted apart)"
    )
    for gen in gens:
        sets = sets_2d() if gen == "2d" else sets_3d()
        for name in which:
            specs = sets[name]
            if args.quick:
                specs = [s for s in specs if s.clusters][:3] + [s for s in specs if not s.clusters][
                    :1
                ]
            scenes = []
            for spec in specs:
                scenes.append(load_scene(gen, spec, args.cache, args.rendered))
                print(f"  {gen}/{spec.name}: ready", file=sys.stderr)
            role = "TUNING set (thresholds may be chosen here)" if name == "tuning" else "TEST set"
            for det in DETECTORS if args.detector == "both" else (args.detector,):
                report(f"[{gen}] {role}, detector {det}", scenes, detector=det)
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
