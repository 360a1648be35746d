"""Fit the learned video spasm detector (``spasmwatch/video/spasm_model.json``).

The candidates are the movements the rule detector finds at ``high``
(:data:`spasmwatch.video.detect.CANDIDATE_SENSITIVITY`) that no veto rules out
(:func:`spasmwatch.video.classify.vetoed`); each is labelled a spasm when
it overlaps a labelled spasm (the benchmark's matching, 0.3 s slack). Candidates on an
eye-roll/grimace spasm are left out of training: the video cannot show them.

Protocol (``docs/benchmarks.md``): the model and its thresholds are fitted on **tuning
sets only**. Three fits are reported, each on every set:

- on the 2-D tuning set alone, reported on the 3-D test set (across generators);
- on the 3-D tuning set alone, reported on the 2-D test set (the other way round);
- on both tuning sets: the shipped model, reported on both test sets.

Thresholds, for each sensitivity: the lowest probability (grid of 0.05) at which the
precision on every training tuning set is at least that of the rule detector at the
same sensitivity there: as precise as the rules, and as sensitive as that allows.

Run: ``.venv/bin/python benchmarks/video_train.py [--write]`` (``--write`` stores the
shipped model; without it, nothing is written).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import spasmwatch.testing.video.accuracy as va
from spasmwatch.logistic import LogisticModel
from spasmwatch.testing.video.evaluate import MATCH_SLACK_S, match_spans
from spasmwatch.video import detect_events
from spasmwatch.video.classify import (
    FEATURE_NAMES,
    burst_features,
    vetoed,
)
from spasmwatch.video.detect import CANDIDATE_SENSITIVITY
from spasmwatch.video.regions import activity_traces

#: L2 penalty on the standardised weights.
L2 = 30.0
GRID = np.round(np.arange(0.05, 0.96, 0.05), 2)
MODEL_PATH = Path(__file__).resolve().parents[1] / "src/spasmwatch/video/spasm_model.json"


def candidates(scene: va.Scene) -> tuple[list, np.ndarray, np.ndarray]:
    """The scene's candidate events, their features and labels (1 spasm, 0 not, -1 an
    eye-roll spasm, left out)."""
    sig = scene.signals
    tr = activity_traces(sig.speed, scene.mask)
    events = detect_events(
        sig.speed,
        sig.flow_x,
        sig.flow_y,
        sig.times_s,
        sig.rate_hz,
        CANDIDATE_SENSITIVITY,
        mask=scene.mask,
        traces=tr,
        detector="rules",
        camera_flow=sig.camera_flow,
    )
    # measured as in detection (neighbours among all events), then the vetoed left out
    x = burst_features(events, tr.energy, tr.extent, sig.times_s, sig.rate_hz, sig.camera_speed)
    keep = [not vetoed(e) for e in events]
    events = [e for e, k in zip(events, keep, strict=True) if k]
    x = x[np.asarray(keep, bool)] if len(x) else x
    seen = [
        (t.start_s, t.end_s) for t in scene.truth.spasms if t.style not in va.NOT_VISIBLE_STYLES
    ]
    eyes = [(t.start_s, t.end_s) for t in scene.truth.spasms if t.style in va.NOT_VISIBLE_STYLES]

    def hits(e, spans) -> bool:
        return any(
            e.start_s <= b + MATCH_SLACK_S and e.end_s >= a - MATCH_SLACK_S for a, b in spans
        )

    y = np.array([1 if hits(e, seen) else (-1 if hits(e, eyes) else 0) for e in events])
    return events, x, y


def scores(data: list, proba: list[np.ndarray], threshold: float) -> tuple[float, float, float]:
    """Recall, precision and false detections per benign minute at ``threshold``."""
    true = found = detected = false = 0
    benign_false, benign_min = 0, 0.0
    for (scene, events, _x, _y), p in zip(data, proba, strict=True):
        spans = [(e.start_s, e.end_s) for e, q in zip(events, p, strict=True) if q >= threshold]
        seen = [t for t in scene.truth.spasms if t.style not in va.NOT_VISIBLE_STYLES]
        eyes = [t for t in scene.truth.spasms if t.style in va.NOT_VISIBLE_STYLES]
        hit, fl = match_spans([(t.start_s, t.end_s) for t in seen + eyes], spans)
        true += len(seen)
        found += sum(j < len(seen) for j in hit)
        detected += len(spans)
        false += fl
        if scene.benign:
            benign_false += fl
            benign_min += scene.truth.spec.duration_s / 60
    recall = found / true if true else float("nan")
    precision = (detected - false) / detected if detected else 1.0
    return recall, precision, benign_false / benign_min if benign_min else 0.0


def rule_precision(rows: list) -> dict[str, float]:
    """The rule detector's precision at each sensitivity on one set."""
    out = {}
    for sens in ("low", "normal", "high"):
        tally = va.Tally()
        for scene, *_ in rows:
            va.score_scene(scene, sens, tally, detector="rules")
        out[sens] = tally.precision
    return out


def best_mean_f1(sets: dict, keys: list, probas: dict) -> float:
    """The threshold (of :data:`GRID`) with the highest mean F1 over the sets ``keys``
    (the lowest of equals): one more or one fewer false detection moves it only as
    much as it moves the F1."""
    best, best_f1 = float(GRID[0]), -1.0
    for t in GRID:
        f1s = []
        for k in keys:
            r, p, _ = scores(sets[k], probas[k], float(t))
            f1s.append(2 * r * p / (r + p) if r + p else 0.0)
        if np.mean(f1s) > best_f1 + 1e-12:
            best, best_f1 = float(t), float(np.mean(f1s))
    return best


def fit(sets: dict, keys: list, reference: dict, rule: str = "precision") -> LogisticModel:
    """A model fitted on ``keys`` with its thresholds chosen there (``reference``: the
    rule detector's precision per set and sensitivity). ``rule``: ``precision`` sets
    each sensitivity at the lowest probability as precise as the rule detector on every
    training set; ``f1`` sets ``normal`` at the highest mean F1 of the training sets
    instead (``low`` and ``high`` as with ``precision``)."""
    x = np.vstack([row[2] for k in keys for row in sets[k] if len(row[2])])
    y = np.concatenate([row[3] for k in keys for row in sets[k] if len(row[3])])
    keep = y >= 0
    model = LogisticModel.fit(x[keep], y[keep].astype(float), l2=L2, names=list(FEATURE_NAMES))
    probas = {
        k: [model.predict_proba(r[2]) if len(r[2]) else np.zeros(0) for r in sets[k]] for k in keys
    }
    precision = {float(t): [scores(sets[k], probas[k], float(t))[1] for k in keys] for t in GRID}
    chosen = {}
    for sens in ("low", "normal", "high"):
        ok = [
            t
            for t, ps in precision.items()
            if all(p >= reference[k][sens] for p, k in zip(ps, keys, strict=True))
        ]
        chosen[sens] = min(ok) if ok else float(GRID[-1])
    if rule == "f1":
        chosen["normal"] = best_mean_f1(sets, keys, probas)
    # a less sensitive level never has the lower threshold
    chosen["low"] = max(chosen["low"], chosen["normal"])
    chosen["high"] = min(chosen["high"], chosen["normal"])
    model.threshold = chosen["normal"]
    model.thresholds = chosen
    model.info = {
        "trained_on": [f"{g} {w} set" for g, w in keys],
        "candidates": int(keep.sum()),
        "spasm_candidates": int(y[keep].sum()),
        "l2": L2,
        "fitted_by": "benchmarks/video_train.py",
    }
    return model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cache", type=Path, default=va.CACHE)
    ap.add_argument(
        "--write", action="store_true", help="store the model fitted on both tuning sets"
    )
    ap.add_argument(
        "--rule",
        choices=("precision", "f1"),
        default="precision",
        help="how the threshold of normal is chosen on the tuning sets (see fit)",
    )
    ap.add_argument(
        "--tuning-only",
        action="store_true",
        help="leave the test sets out (to compare variants on the tuning and validation sets)",
    )
    args = ap.parse_args()
    sets = {}
    for gen, table in (("2d", va.sets_2d()), ("3d", va.sets_3d())):
        for which, specs in table.items():
            if args.tuning_only and which == "test":
                continue
            rows = []
            for spec in specs:
                scene = va.load_scene(gen, spec, args.cache)
                rows.append((scene, *candidates(scene)))
            sets[gen, which] = rows
            n = sum(len(r[1]) for r in rows)
            pos = sum(int((r[3] == 1).sum()) for r in rows)
            print(f"{gen} {which}: {len(rows)} videos, {n} candidates, {pos} on a spasm")
    reference = {k: rule_precision(sets[k]) for k in sets if k[1] == "tuning"}
    for k, ref in reference.items():
        print(
            f"rule detector's precision on {k[0]} {k[1]}: "
            + ", ".join(f"{s} {p:.3f}" for s, p in ref.items())
        )
    fits = {
        "2-D tuning only": [("2d", "tuning")],
        "3-D tuning only": [("3d", "tuning")],
        "both tuning sets (shipped)": [("2d", "tuning"), ("3d", "tuning")],
    }
    shipped = None
    for name, keys in fits.items():
        model = fit(sets, keys, reference, args.rule)
        th = model.thresholds
        levels = ", ".join(f"{k} {v}" for k, v in th.items())
        print(f"\nFitted on {name}: thresholds {levels}")
        for k in sets:
            role = "tuning, in-sample" if k in keys else {"test": "TEST"}.get(k[1], k[1])
            for sens in ("low", "normal", "high"):
                p = [model.predict_proba(r[2]) if len(r[2]) else np.zeros(0) for r in sets[k]]
                r, pr, fpm = scores(sets[k], p, model.threshold_for(sens))
                print(
                    f"  {k[0]} {k[1]:<6} ({role}) {sens:<6} recall {r:.3f} precision {pr:.3f} "
                    f"false/min benign {fpm:.2f}"
                )
        print(
            "  weights: "
            + ", ".join(f"{n} {c:+.2f}" for n, c in zip(FEATURE_NAMES, model.coef, strict=True))
        )
        shipped = model
    if args.write and shipped is not None:
        MODEL_PATH.write_text(shipped.to_json() + "\n")
        print(f"\nwrote {MODEL_PATH}")


if __name__ == "__main__":
    main()
