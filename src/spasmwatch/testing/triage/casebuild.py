"""Small builders of cases for the triage tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

#: The time the tests triage at, so that "now" and ages are fixed.
NOW = datetime(2026, 11, 21, 12, 0)


def ep(**fields: Any) -> dict[str, Any]:
    """An episode; ``movements`` defaults to a single limb jerk."""
    fields.setdefault("movements", ["limb_jerk"])
    return fields


def case(age: float | None = 6.0, *episodes: dict[str, Any], **child: Any) -> dict[str, Any]:
    """A case of a child aged ``age`` months with the given episodes."""
    if age is not None:
        child.setdefault("age_months", age)
    return {"child": child, "episodes": list(episodes)}


def at(hours_ago: float) -> str:
    """An ISO time ``hours_ago`` hours before :data:`NOW`."""
    return (NOW - timedelta(hours=hours_ago)).isoformat()


def spasm_series(**overrides: Any) -> dict[str, Any]:
    """A typical series of infantile spasms on waking."""
    fields: dict[str, Any] = {
        "state": "awake",
        "movements": ["head_nod", "arms_up"],
        "movement_seconds": 1.0,
        "count": 10,
        "interval_seconds": 8,
    }
    fields.update(overrides)
    return fields


def seizure(**overrides: Any) -> dict[str, Any]:
    """A generalised convulsive seizure of 2 minutes."""
    fields: dict[str, Any] = {
        "state": "awake",
        "movements": ["rhythmic_jerking"],
        "side": "both",
        "episode_minutes": 2,
        "responsive": "no",
    }
    fields.update(overrides)
    return fields
