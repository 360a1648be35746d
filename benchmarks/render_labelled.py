"""Render a set of the 2-D scene generator as videos with a labels CSV for
``spasmwatch evaluate video``.

Writes ``OUT/videos/NAME.mp4`` for every scene of the chosen set of
``spasmwatch.testing.video.render`` and ``OUT/labels.csv`` (``file, start_s, end_s, kind, subject``:
every true spasm with its kind; a benign scene as a row without times). Every scene is
its own subject (the generator draws a new infant for each).

Scored by ``spasmwatch evaluate video OUT/videos --labels OUT/labels.csv --out REPORT``,
the counts are those of ``benchmarks/video_accuracy.py --generator 2d`` on the same set
(the same matching, 0.3 s of slack).

Run: ``.venv/bin/python benchmarks/render_labelled.py OUT [--set test|tuning] [--first N]``
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from spasmwatch.evaluate.labels import VIDEO_KINDS
from spasmwatch.testing.video import render as gen2d


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
        w.writerow(["file", "start_s", "end_s", "kind", "subject"])
        for spec in specs:
            path = videos / f"{spec.name}.mp4"
            truth = gen2d.render(spec, path)
            if not truth.spasms:
                w.writerow([path.name, "", "", "", spec.name])
            for e in truth.spasms:
                kind = e.style if e.style in VIDEO_KINDS else "spasm"
                w.writerow([path.name, f"{e.start_s:.3f}", f"{e.end_s:.3f}", kind, spec.name])
            print(f"{spec.name}: {len(truth.spasms)} spasms", file=sys.stderr)
    return labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--set", choices=("test", "tuning"), default="test")
    parser.add_argument("--first", type=int, help="only the first N scenes")
    args = parser.parse_args(argv)
    labels = write_labelled_set(args.out, args.set, args.first)
    print(f"videos in {args.out / 'videos'}, labels in {labels}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
