"""FHIR R4B building blocks: code systems, small data types and the resources made for each
part of a child's diary (episodes, triage; the videos and EEG files and their findings are
in :mod:`spasmwatch.report.fhir_findings`).

:mod:`spasmwatch.report.fhir` puts them together into a Bundle.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.riskassessment import RiskAssessment

from spasmwatch.case import VOCABULARIES, Episode
from spasmwatch.triage.facts import SPASM_MOVEMENTS

__all__ = [
    "CODE_SYSTEM_BASE",
    "HPO",
    "HPO_EPILEPTIC_SPASM",
    "IDENTIFIER_BASE",
    "SNOMED",
    "SNOMED_EPISODE",
    "UCUM",
    "VIDEO_COUNTS",
    "Entries",
    "aware_time",
    "category",
    "coding",
    "concept",
    "episode_components",
    "episode_summary",
    "own_coding",
    "quantity",
    "risk_assessment",
    "section",
    "video_counts_text",
]

SNOMED = "http://snomed.info/sct"
#: A diary episode as a caregiver reported it: a symptom the history gives, not a
#: diagnosis ("Seizure (finding)" would make every sleep twitch a seizure in the record).
SNOMED_EPISODE = ("246557006", "Central nervous system symptom (finding)")
HPO = "http://human-phenotype-ontology.org"
HPO_EPILEPTIC_SPASM = ("HP:0011097", "Epileptic spasm")
LOINC = "http://loinc.org"
LOINC_BODY_TEMPERATURE = ("8310-5", "Body temperature")
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
RISK_PROBABILITY = "http://terminology.hl7.org/CodeSystem/risk-probability"
MEDIA_TYPE = "http://terminology.hl7.org/CodeSystem/media-type"
LIST_EMPTY_REASON = "http://terminology.hl7.org/CodeSystem/list-empty-reason"
#: spasmwatch's own code systems: ``<base><field>`` holds the case format's words.
CODE_SYSTEM_BASE = "https://spasmwatch.org/fhir/CodeSystem/"
IDENTIFIER_BASE = "https://spasmwatch.org/fhir/identifier/"
# Stable urn:uuid ids: the same diary exported twice gives the same entry ids.
_NAMESPACE = uuid.UUID("6f1c2a9e-3b7d-5e0a-9c4f-2d8b1e6a7c30")

#: Triage level -> HL7 risk-probability code (qualitative risk of a serious cause).
TRIAGE_RISK = {"emergency": "high", "same_day": "high", "soon": "moderate", "routine": "low"}

# Episode fields and how they become components: (field, display, UCUM unit or None).
_QUANTITIES = (
    ("movement_seconds", "Duration of one movement", "s"),
    ("interval_seconds", "Interval between movements", "s"),
    ("episode_minutes", "Duration of the episode", "min"),
)
_WORDS = (
    ("state", "State at onset"),
    ("side", "Side"),
    ("stops_when_woken", "Stops when woken"),
    ("stops_when_held", "Stops when held"),
    ("stops_with_distraction", "Stops with distraction"),
    ("responsive", "Responsive during the episode"),
    ("typical_for_child", "Typical for the child"),
)
_LISTS = (
    ("movements", "Movement"),
    ("after", "Afterwards"),
    ("triggers", "Trigger"),
    ("red_flags", "Red flag"),
)
VIDEO_COUNTS = (
    ("spasm_like", "Spasm-like movements"),
    ("jerk", "Jerks"),
    ("rhythmic", "Rhythmic movements"),
    ("clusters", "Clusters of spasm-like movements"),
)
#: The video counts in the Videos section's narrative ("9 spasm-like, 2 brief jerks").
_VIDEO_COUNT_WORDS = {
    "spasm_like": ("spasm-like", "spasm-like"),
    "jerk": ("brief jerk", "brief jerks"),
    "rhythmic": ("rhythmic", "rhythmic"),
    "clusters": ("cluster", "clusters"),
}


def video_counts_text(summary: Mapping[str, Any]) -> str:
    """A video result's counts in words: "9 spasm-like, 2 brief jerks, 0 rhythmic, 1
    cluster" (the Observation's components keep the codes)."""
    said = []
    for key, _display in VIDEO_COUNTS:
        n = int(summary.get(key, 0))
        one, many = _VIDEO_COUNT_WORDS[key]
        said.append(f"{n} {one if n == 1 else many}")
    return ", ".join(said)


# ---------------------------------------------------------------- small builders
def aware_time(value: datetime | str) -> datetime:
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when if when.tzinfo is not None else when.astimezone()


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def own_coding(field: str, code: str, display: str | None = None) -> dict[str, Any]:
    return coding(CODE_SYSTEM_BASE + field, code, display)


def concept(*codings: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": list(codings)}
    if text:
        out["text"] = text
    return out


def quantity(value: float, unit: str, display: str | None = None) -> dict[str, Any]:
    """A ``Quantity`` in the UCUM ``unit`` (written as ``display`` where given)."""
    return {"value": value, "unit": display or unit, "system": UCUM, "code": unit}


def category(code: str, display: str) -> list[dict[str, Any]]:
    return [concept(coding(OBSERVATION_CATEGORY, code, display))]


def _narrative(*lines: str) -> dict[str, Any]:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines) or "<p>None.</p>"
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}


class Entries:
    """The bundle's entries, each with a stable ``urn:uuid:`` full URL."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        self.items: list[tuple[str, Resource]] = []

    def url(self, key: str) -> str:
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{self.scope}/{key}')}"

    def add(self, key: str, model: type[Resource], **fields: Any) -> dict[str, str]:
        """Validate a resource (the model does on creation); return a reference to it."""
        url = self.url(key)
        self.items.append((url, model(id=url.removeprefix("urn:uuid:"), **fields)))
        return {"reference": url}


# ---------------------------------------------------------------- episodes
def episode_components(ep: Episode) -> list[dict[str, Any]]:
    def code(field: str, display: str) -> dict[str, Any]:
        return concept(own_coding("episode-field", field, display), text=display)

    comps: list[dict[str, Any]] = []
    if ep.count is not None:
        comps.append({"code": code("count", "Number of movements"), "valueInteger": ep.count})
    for field, display, unit in _QUANTITIES:
        value = getattr(ep, field)
        if value is not None:
            comps.append({"code": code(field, display), "valueQuantity": quantity(value, unit)})
    defaults = Episode.model_fields
    for field, display in _WORDS:
        word = getattr(ep, field)
        if word != defaults[field].default:
            value = concept(own_coding(field, word, VOCABULARIES[field][word]))
            comps.append({"code": code(field, display), "valueCodeableConcept": value})
    if ep.fever_c is not None:
        comps.append(
            {
                "code": concept(
                    coding(LOINC, *LOINC_BODY_TEMPERATURE),
                    own_coding("episode-field", "fever_c", "Body temperature"),
                    text="Body temperature",
                ),
                "valueQuantity": quantity(ep.fever_c, "Cel", "°C"),
            }
        )
    for field, display in _LISTS:
        for word in getattr(ep, field):
            codings = [own_coding(field, word, VOCABULARIES[field][word])]
            if field == "movements" and word in SPASM_MOVEMENTS:
                codings.append(coding(HPO, *HPO_EPILEPTIC_SPASM))
            value = concept(*codings, text=VOCABULARIES[field][word])
            comps.append({"code": code(field, display), "valueCodeableConcept": value})
    return comps


def episode_summary(ep: Episode) -> str:
    """One episode in the Episodes section's narrative, in words (the codes are in the
    Observation's codings): "2026-11-20 07:05: 12 x head drops or bobs forward; arms
    flung out or raised (just woke up)"."""
    when = ep.started_at.strftime("%Y-%m-%d %H:%M") if ep.started_at else "time not given"
    count = f"{ep.count} x " if ep.count else ""
    # "; " between movements: their words have commas of their own
    moves = "; ".join(VOCABULARIES["movements"][m] for m in ep.movements) or "no movement named"
    state = f" ({VOCABULARIES['state'][ep.state]})" if ep.state != "unknown" else ""
    return f"{when}: {count}{moves}{state}"


def section(title: str, code: str, refs: list[dict[str, str]], lines: list[str]) -> dict[str, Any]:
    section: dict[str, Any] = {
        "title": title,
        "code": concept(own_coding("section", code, title)),
        "text": _narrative(*lines),
    }
    if refs:
        section["entry"] = refs
    else:
        section["emptyReason"] = concept(coding(LIST_EMPTY_REASON, "nilknown", "Nil Known"))
    return section


def hypsarrhythmia_text(bg: Mapping[str, Any]) -> str:
    """The EEG's hypsarrhythmia assessment in words (``likely``, ``unlikely``, ``cannot be
    assessed``); results from before the assessment existed carry only the flag."""
    from spasmwatch.eeg.result import hypsarrhythmia_assessment

    return hypsarrhythmia_assessment(bg).replace("cannot_assess", "cannot be assessed")


def risk_assessment(
    entries: Entries,
    triage: Mapping[str, Any],
    patient: dict[str, str],
    basis: list[dict[str, str]],
    when: datetime,
) -> dict[str, str]:
    level = str(triage["level"])
    fields: dict[str, Any] = {
        "status": "final",
        "subject": patient,
        "occurrenceDateTime": when,
        "code": concept(own_coding("finding", "triage", "spasmwatch triage"), text="Triage"),
        "method": concept(
            own_coding(
                "triage-rules", str(triage.get("rules_version", "")), "spasmwatch triage rules"
            ),
            text=f"spasmwatch triage rules {triage.get('rules_version', '')}",
        ),
        "prediction": [
            {
                "outcome": {"text": str(triage.get("title", level))},
                "qualitativeRisk": concept(
                    coding(RISK_PROBABILITY, TRIAGE_RISK.get(level, "moderate")),
                    own_coding("triage-level", level),
                    text=level,
                ),
            }
        ],
    }
    if basis:
        fields["basis"] = basis
    notes = [
        {"text": f"{r.get('rule', '')}: {r.get('text', '')} ({r.get('source', '')})"}
        for r in triage.get("reasons", [])
        if isinstance(r, Mapping)
    ]
    if notes:
        fields["note"] = notes
    if triage.get("advice"):
        fields["mitigation"] = "\n".join(str(a) for a in triage["advice"])
    return entries.add("triage", RiskAssessment, **fields)
