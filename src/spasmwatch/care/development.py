"""Development over time: which skills the baby has lost (regression).

A skill's latest record says where it stands: a skill whose latest record is "lost" is a
regression, the fact the triage reads as "lost skills" (``development = lost_skills``):
developmental regression needs a doctor today, and with spasm-like movements it is a
warning pattern of infantile spasms (clinical reference section 1 and 2: seed 000; ILAE
2022; NHS Scotland paediatric referral guidance). A skill regained later (a newer
"can do it" record) is no longer counted; its loss stays in the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from spasmwatch.care.records import Milestone

__all__ = ["Regression", "regression_of"]


@dataclass(frozen=True)
class Regression:
    """The skills lost now (each by its latest record), oldest loss first."""

    lost: tuple[Milestone, ...] = ()

    @property
    def present(self) -> bool:
        """Whether a skill is lost now."""
        return bool(self.lost)

    @property
    def since(self) -> date | None:
        """The day of the first loss still standing."""
        return self.lost[0].on_date if self.lost else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "present": self.present,
            "since": self.since.isoformat() if self.since else None,
            "lost": [{"name": m.name, "on_date": m.on_date.isoformat()} for m in self.lost],
        }


def regression_of(milestones: Iterable[Milestone]) -> Regression:
    """The skills whose latest record (by date, then by when it was recorded) is lost."""
    latest: dict[str, Milestone] = {}
    for m in sorted(milestones, key=lambda m: (m.on_date, m.recorded_at, m.id)):
        latest[m.key] = m
    lost = sorted((m for m in latest.values() if m.status == "lost"), key=lambda m: m.on_date)
    return Regression(tuple(lost))
