"""Realistic vignettes written from the clinical reference and the seed articles, each with
the level a careful clinician would give. Also reports the measures that matter for triage
tools (clinical reference, section 4): emergency sensitivity, exact accuracy, safe rate."""

from __future__ import annotations

from typing import Any

import pytest

from spasmwatch.testing.triage.casebuild import NOW
from spasmwatch.testing.triage.regression_vignettes import VIGNETTES
from spasmwatch.triage import level_rank, triage


@pytest.mark.parametrize(
    ("data", "expected"), [pytest.param(c, lvl, id=name) for name, c, lvl in VIGNETTES]
)
def test_vignette(data: dict[str, Any], expected: str) -> None:
    result = triage(data, now=NOW)
    assert result.level == expected, [r.rule for r in result.reasons]


def test_enough_vignettes_of_every_level() -> None:
    levels = [lvl for _, _, lvl in VIGNETTES]
    assert len(VIGNETTES) >= 40
    assert all(levels.count(lvl) >= 4 for lvl in ("emergency", "same_day", "soon", "routine"))


def test_no_emergency_is_ever_under_triaged() -> None:
    for name, data, expected in VIGNETTES:
        got = triage(data, now=NOW).level
        if expected == "emergency":
            assert got == "emergency", name
        assert level_rank(got) >= level_rank(expected), name
