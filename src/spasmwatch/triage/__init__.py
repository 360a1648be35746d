"""Triage: how urgently to get help for a case, and why.

>>> from spasmwatch.triage import triage
>>> triage({"child": {"age_months": 6}, "episodes": [{"movements": ["hiccups"]}]}).level
'routine'
"""

from __future__ import annotations

from spasmwatch.triage.engine import Possibility, Reason, TriageResult, triage
from spasmwatch.triage.rule import LEVELS, SOURCES, Rule, level_rank
from spasmwatch.triage.rules import RULES, RULES_VERSION

__all__ = [
    "LEVELS",
    "RULES",
    "RULES_VERSION",
    "SOURCES",
    "Possibility",
    "Reason",
    "Rule",
    "TriageResult",
    "level_rank",
    "triage",
]
