"""Reading rendered PDFs back with poppler-utils (pdftotext, pdfinfo)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path


def pdf_text(pdf: Path) -> str:
    """The text of every page, in reading layout."""
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def page_count(pdf: Path) -> int:
    """Number of pages."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]


def page_size_pt(pdf: Path) -> tuple[float, float]:
    """Width and height of the first page, in points."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    match = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout)
    assert match is not None, info.stdout
    return float(match.group(1)), float(match.group(2))


@dataclass(frozen=True)
class Word:
    """A word on a page and its box, in points from the top left."""

    page: int
    text: str
    x_min: float
    x_max: float
    y_min: float
    y_max: float


def words(pdf: Path) -> tuple[list[tuple[float, float]], list[Word]]:
    """Page sizes and every word's box (``pdftotext -bbox``)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    sizes: list[tuple[float, float]] = []
    found: list[Word] = []
    for chunk in html.split("<page ")[1:]:
        size = re.match(r'width="([\d.]+)" height="([\d.]+)"', chunk)
        assert size is not None
        sizes.append((float(size.group(1)), float(size.group(2))))
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            chunk,
        ):
            x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
            found.append(Word(len(sizes), m.group(5), x0, x1, y0, y1))
    return sizes, found
