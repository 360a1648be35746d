"""FHIR R4B export of a child's diary, triage, videos and EEG findings.

Built with the R4B models of ``fhir.resources`` (its default is R5, which R4 servers
reject): every resource is validated as it is made, and the Bundle is validated again
as a whole. The mapping (which field goes where, which codes) is in ``docs/exchange.md``.

Times: the diary stores naive local times; FHIR needs a time zone with every time, so
they are given the time zone of the machine that exports.
"""

from __future__ import annotations

import base64
import hashlib
import html
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.composition import Composition
from fhir.resources.R4B.device import Device
from fhir.resources.R4B.media import Media
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.relatedperson import RelatedPerson
from fhir.resources.R4B.resource import Resource
from fhir.resources.R4B.riskassessment import RiskAssessment

from spasmwatch import __version__
from spasmwatch.case import VOCABULARIES, Episode
from spasmwatch.errors import SpasmwatchError
from spasmwatch.triage.facts import SPASM_MOVEMENTS

__all__ = [
    "CODE_SYSTEM_BASE",
    "HPO",
    "HPO_EPILEPTIC_SPASM",
    "SNOMED",
    "SNOMED_SEIZURE",
    "UCUM",
    "build_bundle",
    "fhir_bundle",
]

SNOMED = "http://snomed.info/sct"
SNOMED_SEIZURE = ("91175000", "Seizure (finding)")
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
_EEG_MEASURES = (
    ("amplitude_uv_p95", "EEG amplitude, 95th percentile", "uV", "uV"),
    ("delta_power_fraction", "EEG delta power fraction", "1", "fraction"),
    ("spike_rate_per_min", "EEG spike rate", "/min", "per minute"),
    ("spike_foci", "EEG spike foci", None, None),
    ("based_like_score", "BASED-like score (0-5)", None, None),
    ("hypsarrhythmia_likely", "Hypsarrhythmia likely", None, None),
)
_VIDEO_COUNTS = (
    ("spasm_like", "Spasm-like movements"),
    ("jerk", "Jerks"),
    ("rhythmic", "Rhythmic movements"),
    ("clusters", "Clusters of spasm-like movements"),
)


# ---------------------------------------------------------------- small builders
def _aware(value: datetime | str) -> datetime:
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when if when.tzinfo is not None else when.astimezone()


def _coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def _own(field: str, code: str, display: str | None = None) -> dict[str, Any]:
    return _coding(CODE_SYSTEM_BASE + field, code, display)


def _concept(*codings: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": list(codings)}
    if text:
        out["text"] = text
    return out


def _quantity(value: float, unit: str, display: str | None = None) -> dict[str, Any]:
    return {"value": value, "unit": display or unit, "system": UCUM, "code": unit}


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [_concept(_coding(OBSERVATION_CATEGORY, code, display))]


def _narrative(*lines: str) -> dict[str, Any]:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines) or "<p>None.</p>"
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'}


class _Entries:
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
def _episode_components(ep: Episode) -> list[dict[str, Any]]:
    def code(field: str, display: str) -> dict[str, Any]:
        return _concept(_own("episode-field", field, display), text=display)

    comps: list[dict[str, Any]] = []
    if ep.count is not None:
        comps.append({"code": code("count", "Number of movements"), "valueInteger": ep.count})
    for field, display, unit in _QUANTITIES:
        value = getattr(ep, field)
        if value is not None:
            comps.append({"code": code(field, display), "valueQuantity": _quantity(value, unit)})
    defaults = Episode.model_fields
    for field, display in _WORDS:
        word = getattr(ep, field)
        if word != defaults[field].default:
            value = _concept(_own(field, word, VOCABULARIES[field][word]))
            comps.append({"code": code(field, display), "valueCodeableConcept": value})
    if ep.fever_c is not None:
        comps.append(
            {
                "code": _concept(
                    _coding(LOINC, *LOINC_BODY_TEMPERATURE),
                    _own("episode-field", "fever_c", "Body temperature"),
                    text="Body temperature",
                ),
                "valueQuantity": _quantity(ep.fever_c, "Cel", "°C"),
            }
        )
    for field, display in _LISTS:
        for word in getattr(ep, field):
            codings = [_own(field, word, VOCABULARIES[field][word])]
            if field == "movements" and word in SPASM_MOVEMENTS:
                codings.append(_coding(HPO, *HPO_EPILEPTIC_SPASM))
            value = _concept(*codings, text=VOCABULARIES[field][word])
            comps.append({"code": code(field, display), "valueCodeableConcept": value})
    return comps


def _episode_summary(ep: Episode) -> str:
    when = ep.started_at.strftime("%Y-%m-%d %H:%M") if ep.started_at else "time not given"
    count = f"{ep.count} x " if ep.count else ""
    return f"{when}: {count}{', '.join(ep.movements)} ({ep.state})"


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
        ``uploaded_at`` and ``analysis`` (``{"status": "done", "result": ...}``).
    triage
        The triage result (``TriageResult.to_dict()``), or None.
    bundle_type
        ``document`` (the Composition first, with identifier and timestamp) or
        ``collection``.
    now
        The export time (default: now).

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
    stamp = _aware(now or datetime.now().replace(microsecond=0))
    entries = _Entries(f"child/{child_id}")
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
            "relationship": [_concept(_own("member-role", person["role"]), text=person["role"])],
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
            ref = _media(entries, att, patient_ref, result)
            video_refs.append(ref)
            media_of.setdefault(att.get("episode_id"), []).append(ref)
            line = f"{att['filename']}"
            if result:
                video_refs.append(_video_findings(entries, att, patient_ref, ref, result))
                summary = result.get("summary", {})
                line += ": " + ", ".join(f"{summary.get(k, 0)} {k}" for k, _ in _VIDEO_COUNTS)
            video_lines.append(line)
        elif att["kind"] == "eeg" and result:
            eeg_refs.append(_eeg_panel(entries, att, patient_ref, result))
            bg = result.get("background", {})
            eeg_lines.append(
                f"{att['filename']}: BASED-like score {bg.get('based_like_score')}, "
                f"hypsarrhythmia likely: {'yes' if bg.get('hypsarrhythmia_likely') else 'no'}"
            )

    episode_refs: list[dict[str, str]] = []
    episode_lines: list[str] = []
    for i, item in enumerate(episodes):
        ep = Episode.model_validate(item["episode"])
        key = item.get("id", f"n{i}")
        fields = {
            "status": "final",
            "category": _category("exam", "Exam"),
            "code": _concept(
                _coding(SNOMED, *SNOMED_SEIZURE), text="Episode of brief movements (diary)"
            ),
            "subject": patient_ref,
            "component": _episode_components(ep),
        }
        if item.get("id") is not None:
            fields["identifier"] = [{"system": IDENTIFIER_BASE + "episode", "value": str(key)}]
        if ep.started_at is not None:
            fields["effectiveDateTime"] = _aware(ep.started_at)
        if item.get("logged_by") in people:
            fields["performer"] = [people[item["logged_by"]]]
        if media_of.get(item.get("id")):
            fields["derivedFrom"] = media_of[item["id"]]
        if ep.notes:
            fields["note"] = [{"text": ep.notes}]
        episode_refs.append(entries.add(f"episode/{key}", Observation, **fields))
        episode_lines.append(_episode_summary(ep))

    triage_refs: list[dict[str, str]] = []
    triage_lines: list[str] = []
    if triage:
        triage_refs.append(_risk(entries, triage, patient_ref, episode_refs, stamp))
        triage_lines = [f"{triage['level']}: {triage.get('title', '')}"] + [
            r.get("text", "") for r in triage.get("reasons", []) if isinstance(r, Mapping)
        ]

    sections = [
        ("Episodes", "episodes", episode_refs, episode_lines),
        ("Triage", "triage", triage_refs, triage_lines),
        ("Videos", "video", video_refs, video_lines),
        ("EEG", "eeg", eeg_refs, eeg_lines),
    ]
    title = f"Movement diary of {name}" if name else "Movement diary"
    composition = Composition(
        id=entries.url("composition").removeprefix("urn:uuid:"),
        status="final",
        type=_concept(_own("document", "movement-diary", "Movement diary report"), text=title),
        subject=patient_ref,
        date=stamp,
        author=[device, *list(people.values())[:1]],
        title=title,
        section=[_section(*s) for s in sections],
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


def _section(title: str, code: str, refs: list[dict[str, str]], lines: list[str]) -> dict[str, Any]:
    section: dict[str, Any] = {
        "title": title,
        "code": _concept(_own("section", code, title)),
        "text": _narrative(*lines),
    }
    if refs:
        section["entry"] = refs
    else:
        section["emptyReason"] = _concept(_coding(LIST_EMPTY_REASON, "nilknown", "Nil Known"))
    return section


def _media(
    entries: _Entries,
    att: Mapping[str, Any],
    patient: dict[str, str],
    result: Mapping[str, Any] | None,
) -> dict[str, str]:
    content: dict[str, Any] = {
        "contentType": att["content_type"],
        "size": int(att["size_bytes"]),
        "title": att["filename"],
    }
    if att.get("sha1_base64"):
        content["hash"] = att["sha1_base64"]
    fields: dict[str, Any] = {
        "status": "completed",
        "type": _concept(_coding(MEDIA_TYPE, "video", "Video")),
        "subject": patient,
        "content": content,
        "identifier": [{"system": IDENTIFIER_BASE + "sha256", "value": att["sha256"]}],
    }
    if att.get("uploaded_at"):
        fields["issued"] = _aware(att["uploaded_at"])
    video = (result or {}).get("video", {})
    if video.get("duration_s") is not None:
        fields["duration"] = video["duration_s"]
    for key in ("width", "height", "frames"):
        if video.get(key):
            fields[key] = int(video[key])
    return entries.add(f"attachment/{att['id']}", Media, **fields)


def _video_findings(
    entries: _Entries,
    att: Mapping[str, Any],
    patient: dict[str, str],
    media: dict[str, str],
    result: Mapping[str, Any],
) -> dict[str, str]:
    summary = result.get("summary", {})
    comps = [
        {
            "code": _concept(_own("video-finding", key, display), text=display),
            "valueInteger": int(summary.get(key, 0)),
        }
        for key, display in _VIDEO_COUNTS
    ]
    return entries.add(
        f"attachment/{att['id']}/findings",
        Observation,
        status="final",
        category=_category("imaging", "Imaging"),
        code=_concept(
            _own("finding", "video-analysis", "Video movement analysis"),
            text="Video movement analysis (automated)",
        ),
        subject=patient,
        derivedFrom=[media],
        component=comps,
        note=[{"text": f"Automated analysis of {att['filename']}; not a diagnosis."}],
    )


def _eeg_panel(
    entries: _Entries, att: Mapping[str, Any], patient: dict[str, str], result: Mapping[str, Any]
) -> dict[str, str]:
    bg = result.get("background", {})
    start = result.get("recording", {}).get("start")
    members = []
    for key, display, unit, unit_text in _EEG_MEASURES:
        value = bg.get(key)
        if value is None:
            continue
        fields: dict[str, Any] = {
            "status": "final",
            "category": _category("procedure", "Procedure"),
            "code": _concept(_own("eeg-measure", key, display), text=display),
            "subject": patient,
        }
        if isinstance(value, bool):
            fields["valueBoolean"] = value
        elif unit is None:
            fields["valueInteger"] = int(value)
        else:
            fields["valueQuantity"] = _quantity(float(value), unit, unit_text)
        if start:
            fields["effectiveDateTime"] = _aware(start)
        members.append(entries.add(f"attachment/{att['id']}/{key}", Observation, **fields))
    panel: dict[str, Any] = {
        "status": "final",
        "category": _category("procedure", "Procedure"),
        "code": _concept(
            _own("finding", "eeg-background", "EEG background measures"),
            text="EEG background measures (automated)",
        ),
        "subject": patient,
        "identifier": [{"system": IDENTIFIER_BASE + "sha256", "value": att["sha256"]}],
        "hasMember": members,
        "note": [{"text": f"Automated analysis of {att['filename']}; not a diagnosis."}],
    }
    reasons = bg.get("reasons") or []
    if reasons:
        panel["note"].append({"text": "; ".join(str(r) for r in reasons)})
    if start:
        panel["effectiveDateTime"] = _aware(start)
    return entries.add(f"attachment/{att['id']}", Observation, **panel)


def _risk(
    entries: _Entries,
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
        "code": _concept(_own("finding", "triage", "spasmwatch triage"), text="Triage"),
        "method": _concept(
            _own("triage-rules", str(triage.get("rules_version", "")), "spasmwatch triage rules"),
            text=f"spasmwatch triage rules {triage.get('rules_version', '')}",
        ),
        "prediction": [
            {
                "outcome": {"text": str(triage.get("title", level))},
                "qualitativeRisk": _concept(
                    _coding(RISK_PROBABILITY, TRIAGE_RISK.get(level, "moderate")),
                    _own("triage-level", level),
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


# ---------------------------------------------------------------- from the database
def _sha1_base64(path: Path) -> str | None:
    """FHIR's Attachment.hash: the base64 SHA-1 of the file, or None if it is not there."""
    if not path.is_file():
        return None
    digest = hashlib.sha1()  # FHIR's Attachment.hash is SHA-1; not used for security
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(chunk)
    return base64.b64encode(digest.digest()).decode("ascii")


def fhir_bundle(
    database: Any,
    child_id: int,
    *,
    include_name: bool = True,
    bundle_type: str = "document",
    now: datetime | None = None,
) -> dict[str, Any]:
    """A child's diary, triage, videos and EEG findings as a FHIR R4B Bundle.

    Parameters
    ----------
    database
        A :class:`spasmwatch.store.Database`.
    child_id
        The child.
    include_name
        Put the name the family gave the child in ``Patient.name.text``.
    bundle_type, now
        As in :func:`build_bundle`.

    Raises
    ------
    SpasmwatchError
        When there is no child with this id.
    """
    from spasmwatch.store import repo
    from spasmwatch.triage import triage

    with database.transaction() as s:
        child = repo.get_child(s, child_id)
        if child is None:
            raise SpasmwatchError(f"No child with id {child_id}")
        rows = repo.episodes_for(s, child_id)
        case = repo.case_dict(child, rows)
        name = child.name if include_name else None
        caregivers = [
            {"id": u.id, "name": u.display_name, "email": u.email, "role": role}
            for u, role in repo.members(s, child_id)
            if role in ("owner", "caregiver")
        ]
        episodes = [{"id": r.id, "episode": r.data, "logged_by": r.logged_by} for r in rows]
        attachments = [
            {
                "id": a.id,
                "kind": a.kind,
                "filename": a.filename,
                "content_type": a.content_type,
                "size_bytes": a.size_bytes,
                "sha256": a.sha256,
                "episode_id": a.episode_id,
                "uploaded_at": a.uploaded_at,
                "analysis": a.analysis,
            }
            for a in reversed(repo.attachments_for(s, child_id))
        ]
    for att in attachments:
        sha = att["sha256"]
        att["sha1_base64"] = _sha1_base64(database.attachments_dir / sha[:2] / sha)
    return build_bundle(
        case["child"],
        episodes,
        child_id=child_id,
        name=name,
        caregivers=caregivers,
        attachments=attachments,
        triage=triage(case).to_dict(),
        bundle_type=bundle_type,
        now=now,
    )
