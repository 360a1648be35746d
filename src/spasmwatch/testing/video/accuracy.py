"""The two video generators' tuning and test sets, their rendered scenes and motion
signals (cached), and how detections are scored against their truth: what
``benchmarks/video_accuracy.py`` prints and ``benchmarks/video_train.py`` fits on (see
that script's description for the protocol)."""

from __future__ import annotations

import json
import pickle
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from spasmwatch.testing.video import render as gen2d
from spasmwatch.testing.video import render3d as gen3d
from spasmwatch.testing.video.evaluate import match_spans
from spasmwatch.video import (
    MotionSignals,
    detect_events,
    find_clusters,
    locate_infant,
    motion_signals,
)

#: Spasm styles that a video at the analysed size cannot be expected to show.
NOT_VISIBLE_STYLES = ("eyes",)
#: Where the rendered scenes and their motion signals are kept (in the checkout).
CACHE = Path(__file__).resolve().parents[4] / "benchmarks" / ".cache" / "video"
#: Bumped when the cached motion signals gain a field (2: the camera's flow vector) or
#: are computed otherwise (3: the camera's motion removed in float32 by OpenCV, the same
#: values to within float32 rounding), so that older caches are computed again.
SIGNALS_VERSION = 3
SIZE_BANDS = ((0.0, 0.3, "small (<30 %)"), (0.3, 0.5, "medium (30-50 %)"), (0.5, 1.01, "large"))


# ---------------------------------------------------------------- the sets


def sets_2d() -> dict[str, list[gen2d.SceneSpec]]:
    """The 2-D generator's tuning and test sets (seeds apart)."""
    return {"tuning": gen2d.tuning_set(), "test": gen2d.test_set()}


def sets_3d() -> dict[str, list[gen3d.Scene3DSpec]]:
    """The 3-D generator's tuning, validation and test sets."""
    return {
        "tuning": gen3d.tuning_set(),
        "validation": gen3d.validation_set(),
        "test": gen3d.test_set(),
    }


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
    """Loads a cache written when this module was a script (``__main__.Scene`` or
    ``video_accuracy.Scene``), also one written when the generators lived in
    ``tests/video/``."""

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
    key = f"{spec!r} signals v{SIGNALS_VERSION}"
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
    # the video is kept beside its signals, so that a change to the motion measures can
    # be tried without rendering the scene again
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
    #: Movements set aside (``set_aside``: said, not counted), per reason: [on a true
    #: spasm, elsewhere, true spasms missed by the count that one points to].
    aside: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))

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


def scene_events(
    scene: Scene, sensitivity: str, settings=None, detector: str = "learned", model=None
) -> list:
    """The events detected in a scene at ``sensitivity`` (or with explicit ``settings``)."""
    sig = scene.signals
    return detect_events(
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
        camera_flow=getattr(sig, "camera_flow", None),
    )


def visible_found(scene: Scene, sensitivity: str = "normal") -> tuple[list, set[int]]:
    """The scene's visible labelled spasms (an eye roll or grimace left out) and the
    indices of those the shipped detector finds at ``sensitivity``."""
    events = scene_events(scene, sensitivity)
    spans = [(e.start_s, e.end_s) for e in events if e.kind == "spasm_like"]
    visible = [t for t in scene.truth.spasms if t.style not in NOT_VISIBLE_STYLES]
    found, _false = match_spans([(t.start_s, t.end_s) for t in visible], spans)
    return visible, set(found)


def score_scene(
    scene: Scene,
    sensitivity: str,
    tally: Tally,
    settings=None,
    detector: str = "learned",
    model=None,
) -> None:
    """Detect at ``sensitivity`` (or with explicit ``settings``) and add to ``tally``."""
    events = scene_events(scene, sensitivity, settings, detector, model)
    spasms = [e for e in events if e.kind == "spasm_like"]
    truth = scene.truth
    everything = truth.spasms
    hidden = [e for e in everything if e.style in NOT_VISIBLE_STYLES]
    spans = [(e.start_s, e.end_s) for e in spasms]
    true_spans = [(e.start_s, e.end_s) for e in everything]
    found_all, false = match_spans(true_spans, spans)
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
    for why in sorted({e.set_aside for e in events if e.set_aside}):
        aside = [(e.start_s, e.end_s) for e in events if e.set_aside == why]
        on, elsewhere = match_spans(true_spans, aside)
        tally.aside[why][0] += len(aside) - elsewhere
        tally.aside[why][1] += elsewhere
        tally.aside[why][2] += len(on - found_all)
    clusters = find_clusters(events)
    for s, e, _n in truth.clusters:
        tally.clusters += 1
        tally.clusters_found += any(
            a <= e and b >= s for a, b in ((c.start_s, c.end_s) for c in clusters)
        )
