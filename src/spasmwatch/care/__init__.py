"""The doctor's side of a diary: treatments and the response to them, development over
time (and its regression), and the work-up. Pure: records in, summaries out; the diary
layer (:mod:`spasmwatch.diary.care`) reads and writes them.

- :mod:`~spasmwatch.care.records`: the words, the records and the checked inputs;
- :mod:`~spasmwatch.care.response`: the response to a treatment and relapse;
- :mod:`~spasmwatch.care.development`: regression (lost skills);
- :mod:`~spasmwatch.care.workup`: the tests of the work-up, why and their sources.

The numbers and their sources: ``docs/treatment.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from spasmwatch.care.development import Regression, regression_of
from spasmwatch.care.records import Milestone, Treatment, WorkupItem
from spasmwatch.care.response import TreatmentResponse, treatment_response
from spasmwatch.care.workup import WORKUP_TESTS

__all__ = ["CareSummary", "TreatmentLine", "summarise"]


@dataclass(frozen=True)
class TreatmentLine:
    """A treatment and the response to it so far."""

    treatment: Treatment
    response: TreatmentResponse

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {**self.treatment.to_dict(), "response": self.response.to_dict()}


@dataclass(frozen=True)
class CareSummary:
    """Treatments with their response, milestones with the regression, and the work-up,
    as of ``today``: what the child page, the clinician's view and the report show.

    Attributes
    ----------
    treatments
        Newest start first.
    milestones
        Newest first.
    workup
        Every test of :data:`~spasmwatch.care.workup.WORKUP_TESTS`, in that order
        (``suggested`` until the family changes one).
    """

    today: date
    treatments: tuple[TreatmentLine, ...]
    milestones: tuple[Milestone, ...]
    regression: Regression
    workup: tuple[WorkupItem, ...]

    @property
    def empty(self) -> bool:
        """Nothing recorded yet (the work-up only suggested)."""
        return (
            not self.treatments
            and not self.milestones
            and all(w.status == "suggested" for w in self.workup)
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "today": self.today.isoformat(),
            "treatments": [t.to_dict() for t in self.treatments],
            "milestones": [m.to_dict() for m in self.milestones],
            "regression": self.regression.to_dict(),
            "workup": [w.to_dict() for w in self.workup],
        }


def summarise(
    treatments: Iterable[Treatment],
    milestones: Iterable[Milestone],
    workup: Sequence[WorkupItem],
    spasm_days: Iterable[date],
    today: date,
) -> CareSummary:
    """The summary of what is recorded, with each treatment's response computed from the
    days with spasm-like episodes; work-up tests without a record are ``suggested``."""
    days = list(spasm_days)
    lines = tuple(
        TreatmentLine(t, treatment_response(t.start_date, days, today))
        for t in sorted(treatments, key=lambda t: (t.start_date, t.id), reverse=True)
    )
    kept = list(milestones)
    ordered = tuple(sorted(kept, key=lambda m: (m.on_date, m.id), reverse=True))
    recorded = {w.test.code: w for w in workup}
    items = tuple(recorded.get(t.code, WorkupItem(t)) for t in WORKUP_TESTS)
    return CareSummary(today, lines, ordered, regression_of(kept), items)
