"""The command line of the two scene generators (:mod:`.render`, 2-D, and
:mod:`.render3d`, 3-D): render a scene of their sets to an H.264 MP4 with its ground truth
as JSON.

One scene, to the paths chosen (``--labels`` defaults to the video's path with ``.json``)::

    python -m spasmwatch.testing.video.render --scene cluster_03 --video clip.mp4
    python -m spasmwatch.testing.video.render3d --set tuning --scene tune_c02 --seed 7 \\
        --duration 40 --video clip.mp4 --labels clip.truth.json

A whole set, or the scenes named (``--scene`` is repeatable), as ``NAME.mp4`` and
``NAME.json`` in a folder; the 3-D generator adds a contact sheet with ``--sheet``::

    python -m spasmwatch.testing.video.render3d --set test --out DIR --sheet

``--list`` names the scenes of a set. ``--seed`` draws another scene of the same design
(every random choice in a scene comes from its seed: the same scene, seed and duration
give the same truth); ``--duration`` sets its length in seconds, and a cluster is drawn
to fit it (3-D: with fewer spasms; 2-D: a cluster that does not fit is left out, and the
printed count says so). The sets are those of the benchmarks
(:func:`~spasmwatch.testing.video.accuracy.sets_2d`, ``sets_3d``).

The JSON holds the scene (``spec``), every labelled event (``events``: ``start_s``,
``end_s``, ``kind``, ``side``, ``style``) and the spasm clusters (``clusters``:
``[start_s, end_s, count]``); the 3-D generator adds the infant's share of the frame and
how the scene was drawn. ``spasmwatch evaluate video`` reads a labels CSV instead:
``benchmarks/render_labelled.py`` writes one for a 2-D set, or, with ``--truth``, from the
JSON of any rendered video (2-D or 3-D) without rendering again.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from spasmwatch.testing.video import render as gen2d
from spasmwatch.testing.video import render3d as gen3d
from spasmwatch.testing.video.accuracy import sets_2d, sets_3d

__all__ = ["GENERATORS", "Generator", "choose_scenes", "main"]


@dataclass(frozen=True)
class Generator:
    """What the command line needs of a scene generator."""

    #: The module run with ``python -m``.
    module: str
    #: The sets of scenes by name (the first one is the default).
    sets: Callable[[], dict[str, list[Any]]]
    #: Renders a scene to an MP4 and returns its ground truth (with ``to_json()``).
    render: Callable[[Any, Path], Any]
    #: Writes a contact sheet of the scenes rendered into a folder (3-D only).
    sheet: Callable[[list[Any], Path, str], Path] | None = None


def _test_set_first(sets: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The sets with the test set first: the default of ``--set``."""
    return {"test": sets["test"], **sets}


#: The generators by name.
GENERATORS = {
    "2d": Generator(
        "spasmwatch.testing.video.render", lambda: _test_set_first(sets_2d()), gen2d.render
    ),
    "3d": Generator(
        "spasmwatch.testing.video.render3d",
        lambda: _test_set_first(sets_3d()),
        gen3d.render,
        gen3d.contact_sheet,
    ),
}


def choose_scenes(
    specs: Sequence[Any],
    names: Sequence[str] | None,
    seed: int | None = None,
    duration_s: float | None = None,
) -> list[Any]:
    """The scenes named (all of ``specs`` without names), with ``seed`` and
    ``duration_s`` in place of their own when given.

    Raises
    ------
    ValueError
        A name that is not a scene of ``specs``, a seed for more than one scene (they
        would be the same scene), or a duration that is not positive.
    """
    by_name = {spec.name: spec for spec in specs}
    unknown = [name for name in names or () if name not in by_name]
    if unknown:
        raise ValueError(
            f"Invalid value for '--scene': allowed are {', '.join(by_name)}; got {unknown[0]!r}"
        )
    chosen = [by_name[name] for name in dict.fromkeys(names)] if names else list(specs)
    if seed is not None and len(chosen) != 1:
        raise ValueError("--seed draws one scene anew: name one with --scene")
    if duration_s is not None and not duration_s > 0:
        raise ValueError(
            f"Invalid value for '--duration': a number of seconds > 0; got {duration_s}"
        )
    changes: dict[str, Any] = {}
    if seed is not None:
        changes["seed"] = seed
    if duration_s is not None:
        changes["duration_s"] = duration_s
    return [replace(spec, **changes) for spec in chosen]


def _parser(generator: Generator, set_names: Sequence[str]) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog=f"python -m {generator.module}",
        description="Render a scene of the generator's sets to MP4, with its ground truth as JSON.",
    )
    ap.add_argument("--set", choices=set_names, default=set_names[0], help="the set of scenes")
    ap.add_argument(
        "--scene",
        "--only",
        dest="scenes",
        action="append",
        metavar="NAME",
        help="a scene of the set (repeatable; --list names them); default: every scene",
    )
    ap.add_argument("--list", action="store_true", help="name the scenes of the set and stop")
    ap.add_argument("--seed", type=int, help="draw the scene with this seed instead of its own")
    ap.add_argument(
        "--duration",
        type=float,
        metavar="SECONDS",
        help="the video's length instead of the scene's",
    )
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--video", type=Path, metavar="FILE.mp4", help="write one scene here")
    where.add_argument(
        "--out", type=Path, metavar="DIR", help="write NAME.mp4 and NAME.json per scene here"
    )
    ap.add_argument(
        "--labels",
        type=Path,
        metavar="FILE.json",
        help="with --video: where the ground truth goes (default: beside the video, .json)",
    )
    if generator.sheet is not None:
        ap.add_argument("--sheet", action="store_true", help="with --out: a PNG contact sheet")
    return ap


def _said(name: str, truth: Any, path: Path) -> str:
    """One line on a rendered scene: its spasms, clusters and other events."""
    spasms = len(truth.spasms)
    line = (
        f"{name}: {spasms} spasm{'s' if spasms != 1 else ''} in {len(truth.clusters)} "
        f"cluster{'s' if len(truth.clusters) != 1 else ''}, "
        f"{len(truth.events) - spasms} other labelled events"
    )
    share = getattr(truth, "infant_share", None)
    if share is not None:
        line += f", infant {share:.0%} of the frame"
    return f"{line} -> {path}"


def main(generator_name: str, argv: Sequence[str] | None = None) -> int:
    """Run the command line of a generator (``2d`` or ``3d``); the exit status (2 for
    invalid options, with a message naming the option)."""
    generator = GENERATORS[generator_name]
    sets = generator.sets()
    ap = _parser(generator, list(sets))
    args = ap.parse_args(argv)
    if args.list:
        for spec in sets[args.set]:
            print(f"{spec.name}  seed {spec.seed}, {spec.duration_s:g} s")
        return 0
    if args.video is None and args.out is None:
        ap.error("say where to write: --video FILE.mp4 (one scene) or --out DIR")
    if args.labels is not None and args.video is None:
        ap.error("--labels goes with --video")
    if getattr(args, "sheet", False) and args.out is None:
        ap.error("--sheet goes with --out")
    try:
        specs = choose_scenes(sets[args.set], args.scenes, args.seed, args.duration)
    except ValueError as exc:
        ap.error(str(exc))
    if args.video is not None and len(specs) != 1:
        ap.error("--video writes one scene: name it with --scene (--list names them)")
    for spec in specs:
        if args.video is not None:
            video, labels = args.video, args.labels or args.video.with_suffix(".json")
        else:
            video, labels = args.out / f"{spec.name}.mp4", args.out / f"{spec.name}.json"
        video.parent.mkdir(parents=True, exist_ok=True)
        truth = generator.render(spec, video)
        labels.parent.mkdir(parents=True, exist_ok=True)
        labels.write_text(json.dumps(truth.to_json(), indent=1) + "\n", encoding="utf-8")
        print(_said(spec.name, truth, video))
        if spec.clusters and not truth.spasms:
            print(
                f"{spec.name}: no spasm cluster fits in {spec.duration_s:g} s: "
                "a longer --duration gives one",
                file=sys.stderr,
            )
    if getattr(args, "sheet", False) and generator.sheet is not None:
        print(generator.sheet(specs, args.out, args.set))
    return 0
