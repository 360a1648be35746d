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
import sys
from pathlib import Path

from spasmwatch.testing.helsinki import COLUMNS, write_szcore_labels


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
