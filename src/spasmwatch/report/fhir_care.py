"""FHIR R4B resources of a child's treatments, development and work-up.

- each treatment: a **MedicationStatement** (the medicine as the family wrote it, dose and
  route as text and spasmwatch's route word, the period, who prescribed it in a note) and an
  **Observation** of its response so far (``partOf`` the statement);
- each milestone: an **Observation** (the skill, achieved or lost, since when); a skill lost
  now adds an Observation of developmental regression (HPO HP:0002376) over them;
- each test of the work-up the family changed: a **ServiceRequest** (booked: an order;
  done or with its result: completed), and when done a **Procedure** with the result.

Every resource is validated by its R4B model as it is made (:class:`Entries`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fhir.resources.R4B.medicationstatement import MedicationStatement
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.servicerequest import ServiceRequest

from spasmwatch.care import CareSummary
from spasmwatch.care.records import MILESTONE_STATUSES
from spasmwatch.care.response import OUTCOME_WORDS
from spasmwatch.report.fhir_resources import HPO, Entries, category, coding, concept, own_coding

__all__ = ["HPO_DEVELOPMENTAL_REGRESSION", "care_sections"]

HPO_DEVELOPMENTAL_REGRESSION = ("HP:0002376", "Developmental regression")

#: (title, code, references, lines) of a Composition section, as ``fhir.section`` takes.
Section = tuple[str, str, list[dict[str, str]], list[str]]


def _treatments(entries: Entries, care: CareSummary, patient: dict[str, str]) -> Section:
    refs: list[dict[str, str]] = []
    lines: list[str] = []
    for line in care.treatments:
        t, r = line.treatment, line.response
        stopped = t.stop_date is not None and t.stop_date <= care.today
        period: dict[str, Any] = {"start": t.start_date.isoformat()}
        if t.stop_date is not None:
            period["end"] = t.stop_date.isoformat()
        dosage: dict[str, Any] = {
            "text": ", ".join(x for x in (t.dose, t.route_words) if x),
            "route": concept(own_coding("route", t.route, t.route_words), text=t.route_words),
        }
        notes = [f"Prescribed by {t.prescribed_by}" if t.prescribed_by else "", t.note]
        fields: dict[str, Any] = {
            "status": "completed" if stopped else "active",
            "medicationCodeableConcept": {"text": t.drug},
            "subject": patient,
            "effectivePeriod": period,
            "dateAsserted": t.recorded_at.astimezone(),
            "dosage": [dosage],
        }
        if any(notes):
            fields["note"] = [{"text": n} for n in notes if n]
        statement = entries.add(f"treatment/{t.id}", MedicationStatement, **fields)
        refs.append(statement)
        components = [
            {
                "code": concept(own_coding("treatment-response", "day", "Day of treatment")),
                "valueInteger": r.day,
            },
            {
                "code": concept(
                    own_coding("treatment-response", "spasm-free-days", "Spasm-free days")
                ),
                "valueInteger": r.spasm_free_days,
            },
        ]
        if r.relapse_on is not None:
            components.append(
                {
                    "code": concept(own_coding("treatment-response", "relapse", "Relapse")),
                    "valueDateTime": r.relapse_on.isoformat(),
                }
            )
        refs.append(
            entries.add(
                f"treatment/{t.id}/response",
                Observation,
                status="preliminary",
                category=category("therapy", "Therapy"),
                code=concept(
                    own_coding("observation", "treatment-response", "Response to treatment"),
                    text="Response to treatment: no spasms from day 14 to day 42 (ICISS)",
                ),
                subject=patient,
                partOf=[statement],
                effectiveDateTime=care.today.isoformat(),
                valueCodeableConcept=concept(
                    own_coding("treatment-response", r.outcome, OUTCOME_WORDS[r.outcome]),
                    text=r.outcome_words,
                ),
                component=components,
            )
        )
        until = t.stop_date.isoformat() if t.stop_date else "ongoing"
        lines.append(
            f"{t.drug} {t.dose} ({t.route_words}) from {t.start_date.isoformat()} to {until}: "
            f"{r.outcome_words}"
            + (f"; relapse on {r.relapse_on.isoformat()}" if r.relapse_on else "")
        )
    return "Treatment", "treatment", refs, lines


def _development(entries: Entries, care: CareSummary, patient: dict[str, str]) -> Section:
    refs: list[dict[str, str]] = []
    lines: list[str] = []
    by_id: dict[int, dict[str, str]] = {}
    for m in care.milestones:
        ref = entries.add(
            f"milestone/{m.id}",
            Observation,
            status="final",
            category=category("exam", "Exam"),
            code=concept(own_coding("milestone", m.skill, m.name), text=f"Milestone: {m.name}"),
            subject=patient,
            effectiveDateTime=m.on_date.isoformat(),
            valueCodeableConcept=concept(
                own_coding("milestone-status", m.status, MILESTONE_STATUSES[m.status]),
                text="lost" if m.status == "lost" else "achieved",
            ),
            **({"note": [{"text": m.note}]} if m.note else {}),
        )
        by_id[m.id] = ref
        refs.append(ref)
        lines.append(f"{m.on_date.isoformat()}: {m.name}, {MILESTONE_STATUSES[m.status]}")
    if care.regression.present and care.regression.since is not None:
        refs.append(
            entries.add(
                "regression",
                Observation,
                status="final",
                category=category("exam", "Exam"),
                code=concept(coding(HPO, *HPO_DEVELOPMENTAL_REGRESSION)),
                subject=patient,
                effectiveDateTime=care.regression.since.isoformat(),
                valueBoolean=True,
                hasMember=[by_id[m.id] for m in care.regression.lost],
            )
        )
        lost = ", ".join(m.name for m in care.regression.lost)
        lines.append(f"Regression: {lost} lost since {care.regression.since.isoformat()}")
    return "Development", "development", refs, lines


def _workup(entries: Entries, care: CareSummary, patient: dict[str, str]) -> Section:
    refs: list[dict[str, str]] = []
    lines: list[str] = []
    for item in care.workup:
        if item.status == "suggested":
            continue
        code = concept(own_coding("workup", item.test.code, item.test.name), text=item.test.name)
        done = item.status in ("done", "result_noted")
        fields: dict[str, Any] = {
            "status": "completed" if done else "active",
            "intent": "order",
            "code": code,
            "subject": patient,
            "reasonCode": [{"text": item.test.reason}],
        }
        if item.on_date is not None:
            fields["occurrenceDateTime"] = item.on_date.isoformat()
        request = entries.add(f"workup/{item.test.code}", ServiceRequest, **fields)
        refs.append(request)
        if done:
            procedure: dict[str, Any] = {
                "status": "completed",
                "code": code,
                "subject": patient,
                "basedOn": [request],
            }
            if item.on_date is not None:
                procedure["performedDateTime"] = item.on_date.isoformat()
            if item.result:
                procedure["note"] = [{"text": item.result}]
            refs.append(entries.add(f"workup/{item.test.code}/done", Procedure, **procedure))
        when = f" on {_iso(item.on_date)}" if item.on_date else ""
        result = f": {item.result}" if item.result else ""
        lines.append(f"{item.test.name}: {item.status_words}{when}{result}")
    return "Work-up", "workup", refs, lines


def _iso(day: date | None) -> str:
    return day.isoformat() if day is not None else ""


def care_sections(entries: Entries, care: CareSummary, patient: dict[str, str]) -> list[Section]:
    """Add the resources of ``care`` to ``entries``; returns the Composition's sections
    (treatment, development, work-up)."""
    return [
        _treatments(entries, care, patient),
        _development(entries, care, patient),
        _workup(entries, care, patient),
    ]
