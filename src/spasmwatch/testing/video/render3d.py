"""A second, independent generator of synthetic infant videos: an articulated 3-D infant
lying on its back in a cot or on a blanket, seen through a perspective phone camera.

It renders scenes the video spasm detector was never tuned on, for evaluation: spasm
clusters of eight styles (see :data:`SPASM_STYLES`), benign movements (sleep jerks, startles,
kicking, stretching, feeding, being picked up, a caregiver's hand), handheld shake and jolts,
lighting changes and phone-like H.264 compression, with exact ground truth.

Construction (the sibling modules ``render3d_*``):

* ``geom`` -- rotations; capsules and ellipsoids tessellated into quads;
* ``body`` -- the infant's skeleton, forward kinematics, skin, hair, clothes, postures;
* ``adult`` -- the caregiver's arm (two-bone inverse kinematics) and a feeding bottle;
* ``plan`` -- :class:`Scene3DSpec`, :class:`TruthEvent` and the timeline of events;
* ``styles`` -- the pose and timing of each spasm style;
* ``motion`` -- per-frame joint angles, body motion, camera shake, light and exposure;
* ``draw`` -- pinhole camera, shaded quads drawn back to front (painter's algorithm), the
  face, the blanket and the soft shadow;
* ``room`` -- textures, the cot placed around infant and camera, the background plate;
* ``scene`` -- :class:`Scene3D`, which puts it together and draws each frame.

Usage (all the options: :mod:`.render_command`)::

    python -m spasmwatch.testing.video.render3d --set test --out /tmp/v3d [--scene NAME] [--sheet]
    python -m spasmwatch.testing.video.render3d --scene test_c01 --seed 7 --duration 30 \
        --video clip.mp4 [--labels clip.json]

writes ``NAME.mp4`` and ``NAME.json`` (the ground truth) per scene, or one scene to the
paths given, and with ``--sheet`` a contact sheet ``SET_sheet.png`` (a few decoded frames
per scene, spasm peaks included).

Conventions of the ground truth:

* times are seconds from the start of the file; a spasm runs from the onset of the
  contraction to the end of the relaxation (0.5-3 s);
* ``side`` is the infant's own side (``left`` or ``right`` for ``asymmetric``, the side
  that moves more, and ``one_sided``; ``both`` otherwise);
* ``eyes`` spasms move almost nothing but the eyes (rolled up) and the face (grimace): a
  video at this resolution may not show them, so report them apart;
* a benign event's ``style`` names its variant (``hand``: pat, stroke or rock; ``light``:
  dim, lamp or exposure; ``feeding``: bottle); a run of sleep jerks is one event;
* not labelled, always on: fidgeting, breathing and blinks, slow posture changes and head
  turns while awake (at least 2 s away from any labelled movement), the shake of a
  handheld phone;
* ``infant_share`` is the median over frames of the infant's projected bounding box
  (clipped to the frame) over the frame's area, the caregiver left out.

The same spec gives the same truth, the same frames and the same MP4 file.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from spasmwatch.testing.video.render3d_plan import (
    BENIGN_KINDS,
    SPASM_STYLES,
    VIEWS,
    Scene3DSpec,
    TruthEvent,
    make_plan,
)
from spasmwatch.testing.video.render3d_scene import Scene3D

__all__ = [
    "BENIGN_KINDS",
    "SPASM_STYLES",
    "VIEWS",
    "GroundTruth3D",
    "Scene3D",
    "Scene3DSpec",
    "TruthEvent",
    "contact_sheet",
    "main",
    "plan",
    "render",
    "test_set",
    "tuning_set",
]


@dataclass
class GroundTruth3D:
    """What a rendered scene contains.

    Attributes
    ----------
    spec : the scene.
    events : every labelled event (spasms and benign), sorted by start.
    clusters : (start_s, end_s, count) per spasm cluster.
    infant_share : median over frames of the infant's projected bounding box (clipped to
        the frame) over the frame area; NaN when only planned, not rendered.
    """

    spec: Scene3DSpec
    events: list[TruthEvent]
    clusters: list[tuple[float, float, int]]
    infant_share: float = float("nan")
    extra: dict = field(default_factory=dict)

    @property
    def spasms(self) -> list[TruthEvent]:
        return sorted((e for e in self.events if e.kind == "spasm"), key=lambda e: e.start_s)

    def to_json(self) -> dict:
        spec = asdict(self.spec)
        return {
            "spec": spec,
            "events": [asdict(e) for e in self.events],
            "clusters": [list(c) for c in self.clusters],
            "infant_share": self.infant_share,
            **self.extra,
        }


def plan(spec: Scene3DSpec) -> GroundTruth3D:
    """The ground truth of a scene without rendering it (``infant_share`` is NaN)."""
    p = make_plan(spec)
    return GroundTruth3D(spec, p.events, p.clusters)


def _encode(
    spec: Scene3DSpec, scene: Scene3D, path: Path, rate: Fraction, shares: list[float]
) -> None:
    """Render every frame into an H.264 MP4, collecting the infant's share per frame."""
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=rate)
        stream.width, stream.height = spec.width, spec.height
        stream.pix_fmt = "yuv420p"
        # A phone-like stream: constant quality, a key frame every two seconds. One thread
        # and no macroblock tree (phone encoders have none): with it, this libx264's SIMD
        # code gives slightly different files run to run; without, the same scene gives
        # the same file.
        gop = f"keyint={int(2 * spec.fps)}:min-keyint={int(spec.fps // 2)}"
        stream.options = {
            "crf": str(spec.crf),
            "preset": "veryfast",
            "threads": "1",
            "x264-params": f"{gop}:mbtree=0",
        }
        for img, facts in scene.frames():
            shares.append(facts["share"])
            frame = av.VideoFrame.from_ndarray(img, format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def render(spec: Scene3DSpec, path: str | Path) -> GroundTruth3D:
    """Render a scene to an H.264 MP4 (libx264, yuv420p) and return its ground truth."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    t_start = time.perf_counter()
    scene = Scene3D(spec)
    rate = Fraction(spec.fps).limit_denominator(1001)
    shares = []
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)  # small images: OpenCV's thread pool costs more than it gives
    try:
        _encode(spec, scene, path, rate, shares)
    finally:
        cv2.setNumThreads(threads)
    truth = GroundTruth3D(
        spec,
        scene.plan.events,
        scene.plan.clusters,
        float(np.median(shares)),
        extra={
            "bars": scene.room.bars_mode,
            "blanket": scene.room.blanket is not None,
            "camera_distance_m": round(scene.cam_dist, 3),
            "render_s": round(time.perf_counter() - t_start, 2),
        },
    )
    return truth


# --------------------------------------------------------------------------------------------
# The sets


#: Spasm cluster scenes: number, view, orientation (L 480x360, P 360x480), infant size,
#: duration (s), spasm styles, cluster size, shake, CRF, other settings (benign kinds in
#: the gaps, bars, blanket, median gap between spasms). Rows 9-11 are in the test set only.
_CLUSTER_ROWS: list[tuple] = [
    (1, "overhead", "L", 0.45, 95, "flexion nod", (9, 12), 1.0, 23, {}),
    (2, "oblique", "P", 0.30, 100, "extension asymmetric", (8, 11), 1.3, 28, {"benign": "jolt"}),
    (3, "side", "L", 0.22, 90, "crunch nod flexion", (8, 10), 0.8, 26, {"bars": "through"}),
    (4, "overhead", "P", 0.65, 80, "one_sided eyes", (8, 10), 1.0, 30, {"benign": "hand"}),
    (5, "oblique", "L", 0.18, 110, "mixed nod", (6, 8), 0.6, 24,
     {"blanket": True, "benign": "kicking", "spasm_gap_s": 13.0}),
    (6, "overhead", "L", 0.28, 120, "asymmetric extension eyes", (10, 13), 0.0, 32,
     {"benign": "sleep_jerk light"}),
    (7, "side", "P", 0.16, 75, "nod crunch", (14, 18), 1.5, 34,
     {"bars": "edge", "spasm_gap_s": 4.5}),
    (8, "oblique", "P", 0.55, 100, "flexion mixed one_sided eyes", (10, 12), 1.0, 27,
     {"benign": "startle"}),
    (9, "overhead", "P", 0.38, 90, "nod extension crunch", (8, 10), 2.0, 36,
     {"benign": "jolt light", "blanket": True}),
    (10, "side", "L", 0.30, 85, "flexion asymmetric nod", (8, 10), 0.0, 22, {}),
    (11, "oblique", "L", 0.42, 100, "one_sided mixed crunch eyes", (9, 12), 1.2, 30,
     {"benign": "hand kicking"}),
]  # fmt: skip
#: Benign scenes: number, view, orientation, infant size, duration, benign kinds, shake,
#: CRF, other settings. Row 5 is in the test set only.
_BENIGN_ROWS: list[tuple] = [
    (1, "overhead", "L", 0.35, 80, "sleep_jerk hand light jolt kicking", 1.2, 26, {}),
    (2, "oblique", "P", 0.40, 90, "feeding startle stretch", 0.8, 29, {}),
    (3, "side", "L", 0.25, 70, "picked_up kicking hand jolt", 1.5, 31, {}),
    (4, "overhead", "P", 0.60, 65, "startle sleep_jerk stretch light", 0.0, 23, {"blanket": True}),
    (5, "oblique", "L", 0.20, 85, "hand feeding sleep_jerk light picked_up", 1.0, 35, {}),
]  # fmt: skip


def tuning_set() -> list[Scene3DSpec]:
    """Twelve scenes for tuning: eight with a spasm cluster, four benign only."""
    return _set("tune", 1000, clusters=8, benign=4)


def validation_set() -> list[Scene3DSpec]:
    """Sixteen scenes for choosing between variants, never fitted on: all eleven cluster
    designs and the five benign designs with other seeds (3000+) than the tuning and
    test sets."""
    return _set("val", 3000, clusters=11, benign=5)


def test_set() -> list[Scene3DSpec]:
    """Sixteen scenes for testing (other seeds, same kinds): eleven clusters, five benign."""
    return _set("test", 2000, clusters=11, benign=5)


def _size(orientation: str) -> dict[str, int]:
    return {"width": 480, "height": 360} if orientation == "L" else {"width": 360, "height": 480}


def _extra(extra: dict) -> dict:
    out = dict(extra)
    if "benign" in out:
        out["benign"] = tuple(out["benign"].split())
    return out


def _set(prefix: str, base: int, clusters: int, benign: int) -> list[Scene3DSpec]:
    scenes = []
    for k, view, orient, size, dur, styles, count, shake, crf, extra in _CLUSTER_ROWS[:clusters]:
        scenes.append(
            Scene3DSpec(
                name=f"{prefix}_c{k:02d}",
                seed=base + k,
                duration_s=dur,
                view=view,
                infant_size=size,
                clusters=1,
                styles=tuple(styles.split()),
                cluster_size=count,
                shake=shake,
                crf=crf,
                **_size(orient),
                **_extra(extra),
            )
        )
    for k, view, orient, size, dur, kinds, shake, crf, extra in _BENIGN_ROWS[:benign]:
        scenes.append(
            Scene3DSpec(
                name=f"{prefix}_b{k:02d}",
                seed=base + 50 + k,
                duration_s=dur,
                view=view,
                infant_size=size,
                clusters=0,
                styles=(),
                benign=tuple(kinds.split()),
                shake=shake,
                crf=crf,
                **_size(orient),
                **_extra(extra),
            )
        )
    return scenes


# --------------------------------------------------------------------------------------------
# Command line


def contact_sheet(specs: list[Scene3DSpec], out: Path, name: str) -> Path:
    """A contact sheet: per scene, four decoded frames (one at a spasm's peak if any)."""
    rows = []
    tile_w = 240
    for spec in specs:
        mp4 = out / f"{spec.name}.mp4"
        if not mp4.exists():
            continue
        truth = json.loads((out / f"{spec.name}.json").read_text())
        spasms = [e for e in truth["events"] if e["kind"] == "spasm"]
        times = [spec.duration_s * x for x in (0.1, 0.45, 0.8)]
        if spasms:
            s = spasms[len(spasms) // 2]
            times.insert(1, s["start_s"] + 0.35 * (s["end_s"] - s["start_s"]))
        else:
            times.insert(1, spec.duration_s * 0.3)
        tiles = []
        with av.open(str(mp4)) as c:
            frames = list(f.to_ndarray(format="rgb24") for f in c.decode(video=0))
        for t in times:
            img = frames[min(len(frames) - 1, int(t * spec.fps))]
            scale = tile_w / max(img.shape[:2])
            img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            tile = np.full((tile_w, tile_w, 3), 30, np.uint8)
            y0, x0 = (tile_w - img.shape[0]) // 2, (tile_w - img.shape[1]) // 2
            tile[y0 : y0 + img.shape[0], x0 : x0 + img.shape[1]] = img
            cv2.putText(
                tile,
                f"{t:.1f}s",
                (4, tile_w - 6),
                cv2.FONT_HERSHEY_SIMPLEX,
                0.4,
                (255, 255, 0),
                1,
                cv2.LINE_AA,
            )
            tiles.append(tile)
        row = np.hstack(tiles)
        label = np.full((18, row.shape[1], 3), 0, np.uint8)
        cv2.putText(
            label,
            f"{spec.name} {spec.view} {spec.width}x{spec.height} "
            f"size {spec.infant_size} {','.join(spec.styles or spec.benign)}",
            (4, 13),
            cv2.FONT_HERSHEY_SIMPLEX,
            0.4,
            (255, 255, 255),
            1,
            cv2.LINE_AA,
        )
        rows.append(np.vstack([label, row]))
    path = out / f"{name}_sheet.png"
    if rows:
        cv2.imwrite(str(path), cv2.cvtColor(np.vstack(rows), cv2.COLOR_RGB2BGR))
    return path


def main(argv: list[str] | None = None) -> int:
    """Render scenes of a set: MP4 and JSON truth per scene, optionally a contact sheet
    (the options: :mod:`.render_command`)."""
    from spasmwatch.testing.video.render_command import main as command

    return command("3d", argv)


if __name__ == "__main__":
    sys.exit(main())
