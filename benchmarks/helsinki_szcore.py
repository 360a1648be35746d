"""Convert the Helsinki clips' expert labels into SzCORE / BIDS ``*_events.tsv`` files.

For ``spasmwatch evaluate eeg ../shared/data/eeg/helsinki/clips --labels OUT``: one
``eegN_events.tsv`` per clip (every run of consecutive labelled seconds is one ``sz``
event; a clip with none gets a ``bckg`` row over the whole clip, as SzCORE writes it)
and ``participants.tsv`` (``participant_id``, ``file``: every clip is a different infant).

The labels are the experts' consensus (a second is seizure when all three marked it),
as in ``benchmarks/eeg_helsinki.py``; ``--expert A|B|C`` takes one expert instead.

Run: ``.venv/bin/python benchmarks/helsinki_szcore.py OUT [--expert A]``, then
``.venv/bin/spasmwatch evaluate eeg ../shared/data/eeg/helsinki/clips --labels OUT
--out report/``.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from spasmwatch.eeg.result import EVENTS_TSV_COLUMNS

HELSINKI = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "eeg" / "helsinki"
COLUMNS = {"consensus": "consensus", "A": "expert_A", "B": "expert_B", "C": "expert_C"}


def seconds_by_clip(expert: str = "consensus", helsinki: Path = HELSINKI) -> dict[int, list[int]]:
    """Per-second labels (0/1) of every clip, by infant, in clip order."""
    column = COLUMNS[expert]
    out: dict[int, list[tuple[int, int]]] = {}
    with (helsinki / "labels.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            out.setdefault(int(row["infant"]), []).append(
                (int(row["clip_second"]), int(row[column]))
            )
    return {k: [v for _s, v in sorted(rows)] for k, rows in sorted(out.items())}


def runs(labels: list[int]) -> list[tuple[int, int]]:
    """(start, end exclusive) of every run of 1s."""
    spans, start = [], None
    for i, v in enumerate([*labels, 0]):
        if v and start is None:
            start = i
        elif not v and start is not None:
            spans.append((start, i))
            start = None
    return spans


def write_szcore_labels(
    out_dir: Path,
    expert: str = "consensus",
    infants: list[int] | None = None,
    helsinki: Path = HELSINKI,
) -> list[Path]:
    """Write ``eegN_events.tsv`` per clip and ``participants.tsv`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    labels = seconds_by_clip(expert, helsinki)
    written = []
    chosen = sorted(labels) if infants is None else infants
    for infant in chosen:
        seconds = labels[infant]
        n = len(seconds)
        path = out_dir / f"eeg{infant}_events.tsv"
        with path.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, delimiter="\t", lineterminator="\n")
            w.writerow(EVENTS_TSV_COLUMNS)
            spans = runs(seconds)
            for a, b in spans:
                w.writerow([f"{a:.2f}", f"{b - a:.2f}", "sz", "n/a", "n/a", "n/a", n])
            if not spans:
                w.writerow(["0.00", f"{n:.2f}", "bckg", "n/a", "n/a", "n/a", len(seconds)])
        written.append(path)
    participants = out_dir / "participants.tsv"
    with participants.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(["participant_id", "file"])
        for infant in chosen:
            w.writerow([f"sub-{infant:02d}", f"eeg{infant}.edf"])
    return [*written, participants]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the events files")
    parser.add_argument("--expert", choices=tuple(COLUMNS), default="consensus")
    args = parser.parse_args(argv)
    written = write_szcore_labels(args.out, args.expert)
    print(f"wrote {len(written) - 1} events files and participants.tsv to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
