"""Response to a treatment, computed from the diary's spasm-like episodes.

Pure: the treatment's start day, the days with spasm-like episodes and today in, a
:class:`TreatmentResponse` out. Day 1 of a treatment is the day it started.

References
----------
.. [ICISS] O'Callaghan et al., "Safety and effectiveness of hormonal treatment versus
   hormonal treatment with vigabatrin for infantile spasms (ICISS)", Lancet Neurol
   2017;16:33-42: primary outcome "cessation of spasms", no witnessed spasms on and between
   day 14 and day 42 from trial entry.
.. [UKISS] Lux et al., "The United Kingdom Infantile Spasms Study comparing vigabatrin with
   prednisolone or tetracosactide at 14 days", Lancet 2004;364:1773-8: response judged
   from day 14 (no spasms on days 13 and 14).
.. [ILAE] ILAE, epilepsydiagnosis.org, "Epileptic spasms" (2022): the spasm-like movements.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from spasmwatch.triage.facts import SPASM_MOVEMENTS, SUBTLE_SPASM_MOVEMENTS

__all__ = [
    "OUTCOME_WORDS",
    "RELAPSE_MIN_FREE_DAYS",
    "RESPONSE_FROM_DAY",
    "RESPONSE_TO_DAY",
    "SPASM_LIKE_MOVEMENTS",
    "TreatmentResponse",
    "spasm_days",
    "spasm_like",
    "treatment_response",
]

#: The response window: no spasms from day 14 to day 42 of treatment, inclusive, is a
#: response ("cessation of spasms" [ICISS]; day 14 is also when UKISS judged it [UKISS]).
#: Spasms before day 14 do not count against it: the first-line drugs take up to two
#: weeks to act.
RESPONSE_FROM_DAY = 14
RESPONSE_TO_DAY = 42
#: A spasm after at least this many spasm-free days since the treatment started (or since
#: the spasm before) is a relapse, not a failure to stop. [design] The same 14 days as the
#: start of the response window [ICISS]: spasms that stopped for as long as the treatment
#: is given to work, then came back, are a return.
RELAPSE_MIN_FREE_DAYS = 14
#: Spasm-like: the movements of an epileptic spasm and its subtle forms [ILAE], as the
#: triage's ``spasm_or_subtle`` reads them.
SPASM_LIKE_MOVEMENTS = SPASM_MOVEMENTS | SUBTLE_SPASM_MOVEMENTS

#: The outcome in words (the clinician's and the family's).
OUTCOME_WORDS: dict[str, str] = {
    "met": "met: no spasms from day 14 to day 42",
    "not_met": "not met: spasms between day 14 and day 42",
    "too_early": "too early to tell",
    "not_started": "not started yet",
}


def spasm_like(episode: Mapping[str, Any]) -> bool:
    """Whether a case-format episode has a spasm-like movement (subtle forms included)."""
    return bool(set(episode.get("movements") or ()) & SPASM_LIKE_MOVEMENTS)


def spasm_days(episodes: Iterable[Mapping[str, Any]]) -> list[date]:
    """The days with at least one timed spasm-like episode, in order."""
    days = {
        datetime.fromisoformat(ep["started_at"]).date()
        for ep in episodes
        if ep.get("started_at") and spasm_like(ep)
    }
    return sorted(days)


@dataclass(frozen=True)
class TreatmentResponse:
    """How the diary's spasms went since a treatment started.

    Attributes
    ----------
    day
        Today's day of treatment (the start day is day 1); 0 before the start.
    spasm_free_days
        Days from the start to today without a spasm-like episode.
    last_spasm_on
        The latest day with a spasm-like episode up to today (before the start too).
    outcome
        ``met``, ``not_met``, ``too_early`` or ``not_started`` (:data:`OUTCOME_WORDS`).
    days_left
        With ``too_early``: days still to go before the outcome can be said (today
        included), 0 otherwise.
    first_spasm_in_window
        The first day with spasms between day 14 and day 42 (why it is ``not_met``).
    relapse_on
        The first day with spasms after at least :data:`RELAPSE_MIN_FREE_DAYS` spasm-free
        days since the start (or since the spasm before), if any.
    """

    day: int
    spasm_free_days: int
    last_spasm_on: date | None
    outcome: str
    days_left: int
    first_spasm_in_window: date | None
    relapse_on: date | None

    @property
    def outcome_words(self) -> str:
        """The outcome in words."""
        if self.outcome == "too_early":
            return f"too early to tell: {self.days_left} more day(s) to day {RESPONSE_TO_DAY}"
        return OUTCOME_WORDS[self.outcome]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "day": self.day,
            "spasm_free_days": self.spasm_free_days,
            "last_spasm_on": _iso(self.last_spasm_on),
            "outcome": self.outcome,
            "outcome_words": self.outcome_words,
            "days_left": self.days_left,
            "first_spasm_in_window": _iso(self.first_spasm_in_window),
            "relapse_on": _iso(self.relapse_on),
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def treatment_response(
    start: date, days_with_spasms: Iterable[date], today: date
) -> TreatmentResponse:
    """The response to a treatment that started on ``start``, as of ``today``.

    Parameters
    ----------
    start
        The treatment's first day (day 1).
    days_with_spasms
        The days with spasm-like episodes (:func:`spasm_days`), any order.
    today
        Anchors "so far"; later days are not read.

    Returns
    -------
    TreatmentResponse
        ``met`` once day 42 is over without spasms from day 14; ``not_met`` as soon as a
        spasm falls on day 14 to 42; else ``too_early`` (or ``not_started`` before the
        start).
    """
    known = sorted({d for d in days_with_spasms if d <= today})
    last = known[-1] if known else None
    if today < start:
        return TreatmentResponse(0, 0, last, "not_started", 0, None, None)
    day = (today - start).days + 1
    since = [d for d in known if d >= start]
    window_from = start + timedelta(days=RESPONSE_FROM_DAY - 1)
    window_to = start + timedelta(days=RESPONSE_TO_DAY - 1)
    in_window = [d for d in since if window_from <= d <= window_to]
    if in_window:
        outcome, left = "not_met", 0
    elif today > window_to:
        outcome, left = "met", 0
    else:
        outcome, left = "too_early", RESPONSE_TO_DAY - day + 1
    relapse = None
    previous = start - timedelta(days=1)  # the start day itself counts as spasm-free
    for d in since:
        if (d - previous).days - 1 >= RELAPSE_MIN_FREE_DAYS:
            relapse = d
            break
        previous = d
    return TreatmentResponse(
        day=day,
        spasm_free_days=day - len(since),
        last_spasm_on=last,
        outcome=outcome,
        days_left=left,
        first_spasm_in_window=in_window[0] if in_window else None,
        relapse_on=relapse,
    )
