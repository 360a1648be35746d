"""Detection accuracy of ``spasmwatch video analyze`` on a fixed set of rendered videos.

Renders 36 synthetic videos (tests/video/render.py; seeded, so the set is the same on
every run): 24 with a cluster of spasms (3-20 spasms, 3-30 s apart, flexion or extension,
symmetric or one-sided) among benign movements and disturbances, and 12 benign videos
(jerks, kicking, reaching, a caregiver's hand, camera shake and jolts, lighting steps).
Prints spasm-level recall and precision, cluster recall, false spasm-like events per
minute on the benign videos, for each sensitivity, and the same for plain frame
differencing.

``--tuning`` renders instead the separate tuning set (18 videos: 12 with a cluster, 6
benign, same kinds of scene, other seeds) on which thresholds are chosen, so that the
benchmark set itself is not fitted.

Run: ``.venv/bin/python benchmarks/video_accuracy.py [--quick | --tuning]``
"""

from __future__ import annotations

import dataclasses
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.video.evaluate import Score, frame_difference_spans, score
from tests.video.render import SceneSpec, render

from spasmwatch.video import analyze_video, detect_events, find_clusters


def scenes(quick: bool = False) -> list[SceneSpec]:
    """The benchmark set (seeds 1000+, distinct from the test set)."""
    out = []
    n_cluster, n_benign = (6, 3) if quick else (24, 12)
    for i in range(n_cluster):
        portrait = i % 4 == 3
        long_gaps = i % 3 == 2
        out.append(
            SceneSpec(
                f"cluster_{i:02d}",
                seed=1000 + i,
                duration_s=90.0,
                width=240 if portrait else 320,
                height=320 if portrait else 240,
                cluster_size=(3, 5) if long_gaps else (6, 20),
                gap_s=(10.0, 30.0) if long_gaps else (3.0, 6.0),
                one_sided_share=0.35,
                jerks=3,
                kick_bouts=1,
                reaches=2,
                hands=1,
                shake=(0.5, 1.0, 1.5)[i % 3],
                jolts=2,
                flicker=(0.5, 1.0, 2.0)[i % 3],
                store_rotation=90 if portrait else 0,
            )
        )
    for i in range(n_benign):
        out.append(
            SceneSpec(
                f"benign_{i:02d}",
                seed=2000 + i,
                duration_s=60.0,
                clusters=0,
                jerks=5,
                kick_bouts=2,
                reaches=3,
                hands=2,
                shake=(0.5, 1.0, 1.5)[i % 3],
                jolts=3,
                flicker=(1.0, 1.5, 2.0)[i % 3],
            )
        )
    return out


def tuning_scenes() -> list[SceneSpec]:
    """The tuning set: the first 12 cluster and 6 benign scenes, seeds moved by 2000."""
    specs = scenes()
    chosen = [s for s in specs if s.clusters][:12] + [s for s in specs if not s.clusters][:6]
    return [dataclasses.replace(s, name=f"tune_{s.name}", seed=s.seed + 2000) for s in chosen]


def _line(name: str, s: Score, benign: Score) -> str:
    return (
        f"{name:<20} recall {s.recall:.3f}  precision {s.precision:.3f}  "
        f"cluster recall {s.cluster_recall:.3f}  false/min (benign) {benign.false_per_min:.2f}  "
        f"({s.matched}/{s.true_spasms} spasms, {s.detected} detected)"
    )


def main() -> None:
    quick = "--quick" in sys.argv
    specs = tuning_scenes() if "--tuning" in sys.argv else scenes(quick)
    sens = ("low", "normal", "high")
    totals: dict[str, dict[str, Score]] = {k: {} for k in (*sens, "frame differencing")}
    side_ok = side_n = 0
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for spec in specs:
            path = Path(tmp) / f"{spec.name}.mp4"
            truth = render(spec, path)
            group = "benign" if spec.clusters == 0 else "cluster"
            res = analyze_video(path)
            sig = res.signals
            for s in sens:
                # Detection is a pure function of the motion signals: rerun it per setting.
                events = detect_events(
                    sig.speed,
                    sig.flow_x,
                    sig.flow_y,
                    sig.times_s,
                    sig.rate_hz,
                    s,
                    mask=res.infant_mask,
                )
                spasms = [e for e in events if e.kind == "spasm_like"]
                sc = score(
                    truth,
                    [(e.start_s, e.end_s) for e in spasms],
                    [(c.start_s, c.end_s) for c in find_clusters(events)],
                )
                prev = totals[s].get(group)
                totals[s][group] = sc if prev is None else prev + sc
                if s == "normal":
                    for t in truth.spasms:
                        hit = [e for e in spasms if e.start_s <= t.end_s and e.end_s >= t.start_s]
                        if hit:
                            side_n += 1
                            side_ok += hit[0].side == t.side
            fd = score(truth, frame_difference_spans(path))
            prev = totals["frame differencing"].get(group)
            totals["frame differencing"][group] = fd if prev is None else prev + fd
            print(f"  {spec.name}: done", file=sys.stderr)
    n_c = sum(1 for s in specs if s.clusters)
    print(
        f"Video detection accuracy: {len(specs)} rendered videos ({n_c} with a spasm cluster, "
        f"{len(specs) - n_c} benign), {time.perf_counter() - t0:.0f} s"
    )
    for name, groups in totals.items():
        print(_line(name, groups["cluster"], groups["benign"]))
    print(f"side (both/left/right) right for {side_ok}/{side_n} found spasms (normal)")


if __name__ == "__main__":
    main()
