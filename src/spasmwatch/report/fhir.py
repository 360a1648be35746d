"""FHIR R4B export of a child's diary, triage, videos and EEG findings.

Built with the R4B models of ``fhir.resources`` (its default is R5, which R4 servers
reject): every resource is validated as it is made, and the Bundle is validated again
as a whole. The mapping (which field goes where, which codes) is in ``docs/exchange.md``.

Times: the diary stores the family's wall-clock times; FHIR needs a time zone with every
time. An episode keeps the family's offset from UTC when its time was written
(``utc_offset_minutes``, from the phone); an episode without one, and the times the
server stamps itself (uploads, the export's own), get the time zone of the machine that
exports.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.composition import Composition
from fhir.resources.R4B.device import Device
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.relatedperson import RelatedPerson

from spasmwatch import __version__
from spasmwatch.care import CareSummary
from spasmwatch.case import Episode
from spasmwatch.report.fhir_care import care_sections
from spasmwatch.report.fhir_findings import (
    eeg_document,
    eeg_line,
    eeg_panel,
    media_resource,
    video_findings,
    video_line,
)
from spasmwatch.report.fhir_resources import (
    CODE_SYSTEM_BASE,
    HPO,
    HPO_EPILEPTIC_SPASM,
    IDENTIFIER_BASE,
    SNOMED,
    SNOMED_EPISODE,
    UCUM,
    Entries,
    aware_time,
    category,
    coding,
    concept,
    episode_components,
    episode_summary,
    own_coding,
    risk_assessment,
    section,
)
from spasmwatch.triage.rule import LEVEL_WORD

__all__ = [
    "CODE_SYSTEM_BASE",
    "HPO",
    "HPO_EPILEPTIC_SPASM",
    "SNOMED",
    "SNOMED_EPISODE",
    "UCUM",
    "attachment_hash",
    "build_bundle",
]


# ---------------------------------------------------------------- the bundle
def build_bundle(
    child: Mapping[str, Any],
    episodes: Sequence[Mapping[str, Any]],
    *,
    child_id: int | str = 0,
    name: str | None = None,
    caregivers: Iterable[Mapping[str, Any]] = (),
    attachments: Iterable[Mapping[str, Any]] = (),
    triage: Mapping[str, Any] | None = None,
    bundle_type: str = "document",
    now: datetime | None = None,
    care: CareSummary | None = None,
) -> dict[str, Any]:
    """A FHIR R4B Bundle (as JSON-ready dict) from plain data.

    Parameters
    ----------
    child
        The case format's ``child`` object.
    episodes
        One dict per episode: ``episode`` (case format), and optionally ``id`` and
        ``logged_by`` (a caregiver's ``id``).
    child_id
        Makes the entry ids stable and distinct between children.
    name
        The child's name or nickname (``Patient.name.text``); None leaves the name out.
    caregivers
        Dicts with ``id``, ``name``, ``email`` and ``role`` (one RelatedPerson each).
    attachments
        Dicts with ``id``, ``kind`` (``video`` | ``eeg``), ``filename``, ``content_type``,
        ``size_bytes``, ``sha256``, optionally ``sha1_base64``, ``episode_id``,
        ``uploaded_at`` and ``analysis`` (``{"status": "done", "result": ...,
        "analysed_at": ...}``).
    triage
        The triage result (``TriageResult.to_dict()``), or None.
    bundle_type
        ``document`` (the Composition first, with identifier and timestamp) or
        ``collection``.
    now
        The export time (default: now).
    care
        Treatments (MedicationStatement and its response), milestones and regression
        (Observation), the work-up (ServiceRequest, Procedure): see
        :mod:`spasmwatch.report.fhir_care`.

    Returns
    -------
    dict
        The Bundle as JSON, already parsed back and validated with the R4B models.
    """
    if bundle_type not in ("document", "collection"):
        raise ValueError(
            "Invalid value for 'bundle_type': allowed are document, collection; "
            f"got {bundle_type!r}"
        )
    stamp = aware_time(now or datetime.now().replace(microsecond=0))
    entries = Entries(f"child/{child_id}")
    patient_ref = {"reference": entries.url("patient")}

    patient: dict[str, Any] = {"active": True}
    if child.get("birth_date"):
        patient["birthDate"] = date.fromisoformat(str(child["birth_date"]))
    if name:
        patient["name"] = [{"use": "nickname", "text": name}]
    entries.add("patient", Patient, **patient)
    device = entries.add(
        "device",
        Device,
        deviceName=[{"name": "spasmwatch", "type": "user-friendly-name"}],
        version=[{"value": __version__}],
    )

    people: dict[Any, dict[str, str]] = {}
    for person in caregivers:
        fields: dict[str, Any] = {
            "patient": patient_ref,
            "relationship": [
                concept(own_coding("member-role", person["role"]), text=person["role"])
            ],
        }
        if person.get("name"):
            fields["name"] = [{"text": person["name"]}]
        if person.get("email"):
            fields["telecom"] = [{"system": "email", "value": person["email"]}]
        people[person["id"]] = entries.add(f"person/{person['id']}", RelatedPerson, **fields)

    media_of: dict[Any, list[dict[str, str]]] = {}
    video_refs: list[dict[str, str]] = []
    eeg_refs: list[dict[str, str]] = []
    video_lines: list[str] = []
    eeg_lines: list[str] = []
    for att in attachments:
        analysis = att.get("analysis") or {}
        result = analysis.get("result") if analysis.get("status") == "done" else None
        if att["kind"] == "video":
            ref = media_resource(entries, att, patient_ref, result)
            video_refs.append(ref)
            media_of.setdefault(att.get("episode_id"), []).append(ref)
            if result:
                video_refs.append(video_findings(entries, att, patient_ref, ref, result))
            video_lines.append(video_line(att["filename"], result) if result else att["filename"])
        elif att["kind"] == "eeg":
            # the file itself, analysed or not; its measures point at it (derivedFrom)
            ref = eeg_document(entries, att, patient_ref, result)
            eeg_refs.append(ref)
            if result:
                eeg_refs.append(eeg_panel(entries, att, patient_ref, ref, result))
            eeg_lines.append(eeg_line(att["filename"], result) if result else att["filename"])

    episode_refs: list[dict[str, str]] = []
    episode_lines: list[str] = []
    for i, item in enumerate(episodes):
        ep = Episode.model_validate(item["episode"])
        key = item.get("id", f"n{i}")
        fields = {
            "status": "final",
            "category": category("exam", "Exam"),
            "code": concept(
                coding(SNOMED, *SNOMED_EPISODE), text="Episode of brief movements (diary)"
            ),
            "subject": patient_ref,
            "component": episode_components(ep),
        }
        if item.get("id") is not None:
            fields["identifier"] = [{"system": IDENTIFIER_BASE + "episode", "value": str(key)}]
        if ep.started_at is not None:
            fields["effectiveDateTime"] = ep.started_at_aware or aware_time(ep.started_at)
        if item.get("logged_by") in people:
            fields["performer"] = [people[item["logged_by"]]]
        if media_of.get(item.get("id")):
            fields["derivedFrom"] = media_of[item["id"]]
        if ep.notes:
            fields["note"] = [{"text": ep.notes}]
        episode_refs.append(entries.add(f"episode/{key}", Observation, **fields))
        episode_lines.append(episode_summary(ep))

    triage_refs: list[dict[str, str]] = []
    triage_lines: list[str] = []
    if triage:
        triage_refs.append(risk_assessment(entries, triage, patient_ref, episode_refs, stamp))
        level = LEVEL_WORD.get(str(triage["level"]), str(triage["level"]))
        triage_lines = [f"{level}: {triage.get('title', '')}"] + [
            r.get("text", "") for r in triage.get("reasons", []) if isinstance(r, Mapping)
        ]

    sections = [
        ("Episodes", "episodes", episode_refs, episode_lines),
        ("Triage", "triage", triage_refs, triage_lines),
        ("Videos", "video", video_refs, video_lines),
        ("EEG", "eeg", eeg_refs, eeg_lines),
    ]
    if care is not None:
        sections += care_sections(entries, care, patient_ref)
    title = f"Movement diary of {name}" if name else "Movement diary"
    composition = Composition(
        id=entries.url("composition").removeprefix("urn:uuid:"),
        status="final",
        type=concept(own_coding("document", "movement-diary", "Movement diary report"), text=title),
        subject=patient_ref,
        date=stamp,
        author=[device, *list(people.values())[:1]],
        title=title,
        section=[section(*s) for s in sections],
    )
    items = [(entries.url("composition"), composition), *entries.items]
    bundle = Bundle(
        type=bundle_type,
        identifier={"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{uuid.uuid4()}"},
        timestamp=stamp,
        entry=[{"fullUrl": url, "resource": res} for url, res in items],
    )
    # Parse the output back: what leaves here is what an R4B reader accepts.
    return Bundle.model_validate_json(bundle.model_dump_json()).model_dump(mode="json")


# ---------------------------------------------------------------- from the database
def attachment_hash(path: Path) -> str | None:
    """FHIR's Attachment.hash: the base64 SHA-1 of the file, or None if it is not there."""
    if not path.is_file():
        return None
    digest = hashlib.sha1()  # FHIR's Attachment.hash is SHA-1; not used for security
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return base64.b64encode(digest.digest()).decode("ascii")
