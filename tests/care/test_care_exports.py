"""Treatments, development and the work-up in the report (HTML and PDF), the FHIR R4B
export (MedicationStatement, Observation, ServiceRequest, Procedure parsed back by the R4B
models) and the CSV tables, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date, datetime, timedelta
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from spasmwatch.diary import care, children, episodes
from spasmwatch.diary.access import Principal
from spasmwatch.diary.exchange import export_csv_zip, fhir_bundle
from spasmwatch.diary.reporting import build_report
from spasmwatch.report import render_html
from spasmwatch.store import Database, repo

SPASMS = {"movements": ["head_nod", "arms_up"], "state": "just_woke", "count": 8}


def _diary(db: Database) -> tuple[Principal, int, date]:
    with db.transaction() as s:
        ann = Principal(user=repo.create_user(s, "ann@example.org", "Ann", "h"))
    child, _ = children.add(db, ann, "Mia", {"age_months": 7})
    today = date.today()
    start = today - timedelta(days=49)
    care.add_treatment(
        db,
        ann,
        child.id,
        {
            "drug": "prednisolone",
            "dose": "=10 mg qds",  # a formula-like text stays text in the CSV
            "start_date": start.isoformat(),
            "stop_date": (start + timedelta(days=13)).isoformat(),
            "prescribed_by": "Dr Smith",
        },
    )
    care.add_treatment(
        db,
        ann,
        child.id,
        {"drug": "vigabatrin", "route": "by_mouth", "start_date": today.isoformat()},
    )
    when = datetime.combine(start + timedelta(days=2), datetime.min.time()).replace(hour=7)
    episodes.log(db, ann, child.id, {**SPASMS, "started_at": when.isoformat()})
    care.add_milestone(
        db, ann, child.id, {"skill": "sits", "status": "achieved", "on_date": "2026-10-01"}
    )
    care.add_milestone(
        db, ann, child.id, {"skill": "sits", "status": "lost", "on_date": today.isoformat()}
    )
    care.set_workup(
        db, ann, child.id, {"test": "eeg", "status": "result_noted", "result": "hypsarrhythmia"}
    )
    care.set_workup(
        db, ann, child.id, {"test": "brain_imaging", "status": "booked", "on_date": "2027-01-05"}
    )
    return ann, child.id, start


def test_the_report_shows_treatment_development_and_workup(db: Database) -> None:
    _, child, start = _diary(db)
    data = build_report(db, child)
    assert data.care is not None
    assert [t.treatment.drug for t in data.care.treatments] == ["vigabatrin", "prednisolone"]
    assert data.marks == [(date.today(), "vigabatrin"), (start, "prednisolone")]
    # The report's triage reads the lost skill as the app does.
    assert "lost-skills" in {r["rule"] for r in data.triage["reasons"]}
    html = re.sub(r"\s+", " ", render_html(data))
    assert "Treatment and response" in html and "met: no spasms from day 14 to day 42" in html
    assert "Regression:</strong> sits lost since" in html
    assert "Work-up" in html and "hypsarrhythmia" in html and "booked" in html


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_fhir_has_medication_statements_and_parses_with_r4b(db: Database) -> None:
    _, child, start = _diary(db)
    bundle = fhir_bundle(db, child)
    Bundle.model_validate(bundle)  # the R4B models read it back
    statements = _resources(bundle, "MedicationStatement")
    assert {s["medicationCodeableConcept"]["text"] for s in statements} == {
        "prednisolone",
        "vigabatrin",
    }
    stopped = next(
        s for s in statements if s["medicationCodeableConcept"]["text"] == "prednisolone"
    )
    assert stopped["status"] == "completed"
    assert stopped["effectivePeriod"]["start"] == start.isoformat()
    assert stopped["note"] == [{"text": "Prescribed by Dr Smith"}]
    observations = _resources(bundle, "Observation")
    responses = [o for o in observations if o.get("partOf")]
    assert {o["valueCodeableConcept"]["coding"][0]["code"] for o in responses} == {
        "met",
        "too_early",
    }
    regression = [o for o in observations if o["code"]["coding"][0]["code"] == "HP:0002376"]
    assert len(regression) == 1 and regression[0]["valueBoolean"] is True
    requests = _resources(bundle, "ServiceRequest")
    assert {r["status"] for r in requests} == {"completed", "active"}
    (procedure,) = _resources(bundle, "Procedure")
    assert procedure["note"] == [{"text": "hypsarrhythmia"}]
    titles = [s["title"] for s in _resources(bundle, "Composition")[0]["section"]]
    assert titles[-3:] == ["Treatment", "Development", "Work-up"]
    # the Development narrative says a skill's status in words; its coding keeps the code
    development = _resources(bundle, "Composition")[0]["section"][-2]["text"]["div"]
    assert "lost it (can no longer)" in development and ", lost<" not in development
    assert "lost" in {
        o["valueCodeableConcept"]["coding"][0]["code"]
        for o in observations
        if o["code"]["coding"][0]["code"] == "sits"
    }
    risk = _resources(bundle, "RiskAssessment")
    assert risk and "lost-skills" in str(risk[0])


def test_csv_zip_has_every_table(db: Database) -> None:
    _, child, _ = _diary(db)
    with zipfile.ZipFile(io.BytesIO(export_csv_zip(db, child))) as archive:
        names = archive.namelist()
        tables = {n: list(csv.DictReader(io.StringIO(archive.read(n).decode()))) for n in names}
    assert names == [
        "episodes.csv",
        "treatments.csv",
        "milestones.csv",
        "workup.csv",
        "recordings.csv",
    ]
    assert tables["recordings.csv"] == []  # no video or EEG in this diary
    assert len(tables["episodes.csv"]) == 1
    pred = next(r for r in tables["treatments.csv"] if r["drug"] == "prednisolone")
    assert pred["response"] == "met" and pred["dose"] == "'=10 mg qds"
    assert [r["status"] for r in tables["milestones.csv"]] == ["lost", "achieved"]
    assert len(tables["workup.csv"]) == 6
    assert tables["workup.csv"][0]["result"] == "hypsarrhythmia"
