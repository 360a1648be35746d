"""Render a set of the 2-D scene generator as videos with a labels CSV for
``spasmwatch evaluate video``, or write that CSV for videos already rendered.

Writes ``OUT/videos/NAME.mp4`` for every scene of the chosen set of
``spasmwatch.testing.video.render`` and ``OUT/labels.csv`` (``file, start_s, end_s, kind, subject``:
every true spasm with its kind; a benign scene as a row without times). Every scene is
its own subject (the generator draws a new infant for each).

Scored by ``spasmwatch evaluate video OUT/videos --labels OUT/labels.csv --out REPORT``,
the counts are those of ``benchmarks/video_accuracy.py --generator 2d`` on the same set
(the same matching, 0.3 s of slack).

With ``--truth``, nothing is rendered: the ground-truth JSON that
``python -m spasmwatch.testing.video.render`` (or ``render3d``) writes beside each video
(``clip.mp4`` and ``clip.json``) becomes the rows of those videos in ``--labels``, each
video its own subject: one scene rendered with another seed or length can be scored.

Run: ``.venv/bin/python benchmarks/render_labelled.py OUT [--set test|tuning] [--first N]``
or ``.venv/bin/python benchmarks/render_labelled.py --truth clip.json [...] --labels labels.csv``
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path
from typing import Any

from spasmwatch.evaluate.labels import VIDEO_KINDS
from spasmwatch.testing.video import render as gen2d

HEADER = ["file", "start_s", "end_s", "kind", "subject"]


def label_rows(truth: dict[str, Any], file: str, subject: str) -> list[list[str]]:
    """The labels CSV rows of one rendered video from its truth JSON (``to_json()`` of
    either generator): one row per spasm, its kind the spasm's style where ``evaluate``
    knows it (else ``spasm``); a video without spasms as one row without times, so that
    it is scored as spasm-free under its subject. The benign movements are not labels:
    a detection on one is a false detection."""
    spasms = sorted(
        (e for e in truth["events"] if e["kind"] == gen2d.SPASM), key=lambda e: e["start_s"]
    )
    if not spasms:
        return [[file, "", "", "", subject]]
    return [
        [
            file,
            f"{e['start_s']:.3f}",
            f"{e['end_s']:.3f}",
            e["style"] if e.get("style") in VIDEO_KINDS else "spasm",
            subject,
        ]
        for e in spasms
    ]


def write_labelled_set(out: Path, which: str = "test", first: int | None = None) -> Path:
    """Render the scenes and write the labels; the path of ``labels.csv``."""
    specs = gen2d.test_set() if which == "test" else gen2d.tuning_set()
    if first is not None:
        specs = specs[:first]
    videos = out / "videos"
    videos.mkdir(parents=True, exist_ok=True)
    labels = out / "labels.csv"
    with labels.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for spec in specs:
            path = videos / f"{spec.name}.mp4"
            truth = gen2d.render(spec, path)
            w.writerows(label_rows(truth.to_json(), path.name, spec.name))
            print(f"{spec.name}: {len(truth.spasms)} spasms", file=sys.stderr)
    return labels


def write_labels_from_truth(truths: list[Path], labels: Path) -> Path:
    """Write ``labels`` for the videos of the truth JSON files ``truths``.

    Each JSON's video is the file beside it with the same name and ``.mp4`` (as the
    generators write them: ``--video clip.mp4`` gives ``clip.json``; ``--out DIR`` gives
    ``NAME.mp4`` and ``NAME.json``); its path in the CSV is relative to the CSV's folder,
    which ``evaluate video`` reads, and its subject is the video's name.

    Raises
    ------
    SystemExit
        When a JSON has no video beside it or is not a generator's truth.
    """
    rows: list[list[str]] = []
    for path in truths:
        video = path.with_suffix(".mp4")
        if not video.is_file():
            raise SystemExit(
                f"{path}: no video {video.name} beside it; render the scene with "
                f"--video {video.name} (its truth goes to {path.name}) or rename the JSON "
                "like its video"
            )
        try:
            truth = json.loads(path.read_text(encoding="utf-8"))
            events = truth["events"]
            if not isinstance(events, list):
                raise TypeError("'events' is not a list")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SystemExit(f"{path}: not the ground truth of a rendered video ({exc})") from None
        file = Path(os.path.relpath(video.resolve(), labels.parent.resolve())).as_posix()
        rows.extend(label_rows(truth, file, video.stem))
    labels.parent.mkdir(parents=True, exist_ok=True)
    with labels.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        w.writerows(rows)
    return labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?", help="where to render the set")
    parser.add_argument("--set", choices=("test", "tuning"), default="test")
    parser.add_argument("--first", type=int, help="only the first N scenes")
    parser.add_argument(
        "--truth",
        type=Path,
        nargs="+",
        metavar="FILE.json",
        help="render nothing: the truth JSON of videos already rendered (beside each video)",
    )
    parser.add_argument(
        "--labels", type=Path, metavar="FILE.csv", help="with --truth: the labels CSV to write"
    )
    args = parser.parse_args(argv)
    if args.truth:
        if args.out is not None or args.labels is None:
            parser.error("--truth takes --labels FILE.csv and no OUT")
        labels = write_labels_from_truth(args.truth, args.labels)
        print(f"labels of {len(args.truth)} video(s) in {labels}")
        return 0
    if args.labels is not None:
        parser.error("--labels goes with --truth")
    if args.out is None:
        parser.error("OUT is needed (or --truth FILE.json ... --labels FILE.csv)")
    labels = write_labelled_set(args.out, args.set, args.first)
    print(f"videos in {args.out / 'videos'}, labels in {labels}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
