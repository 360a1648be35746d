"""The Helsinki clips' expert labels for tests and benchmarks: per-second labels by
infant, their SzCORE / BIDS ``*_events.tsv`` files (``benchmarks/helsinki_szcore.py``
writes them), and the seconds a detector's probabilities put inside ``sz`` events."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from spasmwatch.eeg.detect import seizure_runs
from spasmwatch.eeg.result import EVENTS_TSV_COLUMNS

#: The clips, in ``../shared`` beside the checkout (src/spasmwatch/testing/ is three
#: folders down).
HELSINKI = Path(__file__).resolve().parents[4] / "shared" / "data" / "eeg" / "helsinki"
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


def event_mask(p: np.ndarray, threshold: float, within: float | None = None) -> np.ndarray:
    """Seconds inside ``sz`` events, with the rules of ``detect.detect_seizures``
    (``within``: the lower threshold whose events join these, ``detect.seizure_runs``)."""
    mask = np.zeros(len(p), bool)
    for a, b in seizure_runs(p, threshold, within=within):
        mask[a:b] = True
    return mask
