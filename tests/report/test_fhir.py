"""FHIR R4B export: parsed back with the R4B models, codes, units, references, with and
without attachments and analyses; from plain data and from the store (SQLite, PostgreSQL)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import datetime
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from spasmwatch.diary.exchange import fhir_bundle
from spasmwatch.errors import SpasmwatchError
from spasmwatch.report.fhir import build_bundle
from spasmwatch.store import Database, repo
from spasmwatch.triage import triage

SNOMED = "http://snomed.info/sct"
HPO = "http://human-phenotype-ontology.org"
UCUM = "http://unitsofmeasure.org"
LOINC = "http://loinc.org"

CHILD = {"birth_date": "2026-05-01", "development": "on_track"}
SPASMS = {
    "started_at": "2026-11-20T07:05:00",
    "state": "just_woke",
    "movements": ["head_nod", "arms_up"],
    "side": "both",
    "movement_seconds": 1.0,
    "count": 12,
    "interval_seconds": 8.0,
    "episode_minutes": 3.0,
    "after": ["cried"],
    "red_flags": ["breathing_difficulty"],
    "fever_c": 38.4,
    "notes": "Head dropped <again> & again — on waking.",
}
HICCUPS = {"movements": ["hiccups"], "state": "feeding", "triggers": ["feeding"]}
VIDEO_RESULT = {
    "video": {"path": "clip.mp4", "duration_s": 62.0, "fps": 30.0, "width": 1080,
              "height": 1920, "frames": 1860},
    "events": [{"start_s": 12.3, "end_s": 13.2, "kind": "spasm_like", "score": 0.91}],
    "clusters": [{"start_s": 12.3, "end_s": 95.0, "count": 9, "kind": "spasm_cluster",
                  "median_interval_s": 9.8}],
    "summary": {"spasm_like": 9, "jerk": 2, "rhythmic": 0, "clusters": 1},
}  # fmt: skip
EEG_RESULT = {
    "recording": {"path": "rec.edf", "duration_s": 3600.0, "start": "2026-11-20T07:00:00"},
    "background": {"amplitude_uv_p95": 310.0, "delta_power_fraction": 0.71,
                   "spike_rate_per_min": 42.0, "spike_foci": 4, "based_like_score": 4,
                   "hypsarrhythmia_likely": True, "reasons": ["high amplitude"]},
    "events": [],
}  # fmt: skip
VIDEO_BYTES = b"\x00\x00\x00\x18ftypmp42 a short test clip"


def attachments() -> list[dict[str, Any]]:
    return [
        {
            "id": 7,
            "kind": "video",
            "filename": "clip.mp4",
            "content_type": "video/mp4",
            "size_bytes": len(VIDEO_BYTES),
            "sha256": hashlib.sha256(VIDEO_BYTES).hexdigest(),
            "sha1_base64": base64.b64encode(hashlib.sha1(VIDEO_BYTES).digest()).decode(),
            "episode_id": 1,
            "uploaded_at": "2026-11-20T08:00:00",
            "analysis": {"status": "done", "result": VIDEO_RESULT},
        },
        {
            "id": 8,
            "kind": "eeg",
            "filename": "rec.edf",
            "content_type": "application/x-edf",
            "size_bytes": 1000,
            "sha256": "b" * 64,
            "episode_id": None,
            "uploaded_at": "2026-11-20T09:00:00",
            "analysis": {"status": "done", "result": EEG_RESULT},
        },
        {  # an EEG whose analysis failed: no measures
            "id": 9,
            "kind": "eeg",
            "filename": "bad.edf",
            "content_type": "application/x-edf",
            "size_bytes": 10,
            "sha256": "c" * 64,
            "analysis": {"status": "failed", "error": "truncated"},
        },
    ]


def full_bundle() -> dict[str, Any]:
    case = {"child": CHILD, "episodes": [SPASMS, HICCUPS]}
    return build_bundle(
        CHILD,
        [{"id": 1, "episode": SPASMS, "logged_by": 5}, {"id": 2, "episode": HICCUPS}],
        child_id=3,
        name="Mia",
        caregivers=[
            {"id": 5, "name": "Ann", "email": "ann@example.org", "role": "owner"},
            {"id": 6, "name": "Gran", "email": "gran@example.org", "role": "caregiver"},
        ],
        attachments=attachments(),
        triage=triage(case, now=datetime(2026, 11, 20, 12)).to_dict(),
        now=datetime(2026, 11, 21, 10, 0),
    )


def of_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [r for v in node.values() for r in references(v)]
    if isinstance(node, list):
        return [r for v in node for r in references(v)]
    return []


def component(obs: dict[str, Any], field: str) -> list[dict[str, Any]]:
    return [
        c
        for c in obs.get("component", [])
        if any(cd["code"] == field for cd in c["code"]["coding"])
    ]


def codes(concept: dict[str, Any], system: str) -> list[str]:
    return [c["code"] for c in concept.get("coding", []) if c["system"] == system]


def test_the_bundle_parses_back_with_the_r4b_models() -> None:
    bundle = full_bundle()
    parsed = Bundle.model_validate_json(json.dumps(bundle))
    assert parsed.type == "document"
    assert parsed.model_dump(mode="json") == bundle
    assert bundle["identifier"]["value"].startswith("urn:uuid:")
    assert re.search(r"(Z|[+-]\d\d:\d\d)$", bundle["timestamp"]), "a time zone is required"
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds[0] == "Composition"
    assert kinds.count("Patient") == 1 and kinds.count("RelatedPerson") == 2
    assert kinds.count("Media") == 1 and kinds.count("RiskAssessment") == 1
    # Both EEG files, the analysed one and the one whose analysis failed.
    assert kinds.count("DocumentReference") == 2
    # Two episodes, one video finding, one EEG panel, its six measures and its count of
    # possible seizures (none: no longest).
    assert kinds.count("Observation") == 2 + 1 + 1 + 6 + 1


def test_every_reference_resolves_within_the_bundle() -> None:
    bundle = full_bundle()
    urls = [e["fullUrl"] for e in bundle["entry"]]
    assert all(u.startswith("urn:uuid:") for u in urls) and len(set(urls)) == len(urls)
    for entry in bundle["entry"]:
        assert entry["fullUrl"] == f"urn:uuid:{entry['resource']['id']}"
    refs = references([e["resource"] for e in bundle["entry"]])
    assert refs and set(refs) <= set(urls)


def test_patient_and_caregivers() -> None:
    bundle = full_bundle()
    (patient,) = of_type(bundle, "Patient")
    assert patient["birthDate"] == "2026-05-01"
    assert patient["name"] == [{"use": "nickname", "text": "Mia"}]
    people = of_type(bundle, "RelatedPerson")
    assert [p["name"][0]["text"] for p in people] == ["Ann", "Gran"]
    assert people[0]["telecom"] == [{"system": "email", "value": "ann@example.org"}]
    patient_url = f"urn:uuid:{patient['id']}"
    assert all(p["patient"]["reference"] == patient_url for p in people)


def test_one_observation_per_episode_with_codes_and_units() -> None:
    bundle = full_bundle()
    episodes = [o for o in of_type(bundle, "Observation") if codes(o["code"], SNOMED)]
    assert len(episodes) == 2
    spasms, hiccups = episodes
    for obs in episodes:
        assert obs["status"] == "final"
        assert obs["code"]["coding"][0] == {
            "system": SNOMED,
            "code": "246557006",
            "display": "Central nervous system symptom (finding)",
        }
        assert obs["category"][0]["coding"][0]["code"] == "exam"
    assert spasms["effectiveDateTime"].startswith("2026-11-20T07:05:00")
    assert spasms["effectiveDateTime"][19:] != "", "a FHIR time needs its time zone"
    assert "effectiveDateTime" not in hiccups
    assert component(spasms, "count")[0]["valueInteger"] == 12
    units = {
        field: component(spasms, field)[0]["valueQuantity"]
        for field in ("movement_seconds", "interval_seconds", "episode_minutes")
    }
    assert {f: (q["value"], q["system"], q["code"]) for f, q in units.items()} == {
        "movement_seconds": (1.0, UCUM, "s"),
        "interval_seconds": (8.0, UCUM, "s"),
        "episode_minutes": (3.0, UCUM, "min"),
    }
    (fever,) = [c for c in spasms["component"] if codes(c["code"], LOINC) == ["8310-5"]]
    assert fever["valueQuantity"] == {"value": 38.4, "unit": "°C", "system": UCUM, "code": "Cel"}
    state = component(spasms, "state")[0]["valueCodeableConcept"]["coding"][0]
    assert state["code"] == "just_woke" and state["system"].endswith("/state")
    assert spasms["note"] == [{"text": SPASMS["notes"]}]
    flags = component(spasms, "red_flags")
    assert [c["valueCodeableConcept"]["coding"][0]["code"] for c in flags] == [
        "breathing_difficulty"
    ]
    # The person who logged it, and the video of the episode.
    people = {f"urn:uuid:{p['id']}": p for p in of_type(bundle, "RelatedPerson")}
    assert people[spasms["performer"][0]["reference"]]["name"][0]["text"] == "Ann"
    (media,) = of_type(bundle, "Media")
    assert spasms["derivedFrom"] == [{"reference": f"urn:uuid:{media['id']}"}]
    assert "performer" not in hiccups and "derivedFrom" not in hiccups


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"utc_offset_minutes": -300}, "2026-11-20T07:05:00-05:00"),
        ({"utc_offset_minutes": 330}, "2026-11-20T07:05:00+05:30"),
        ({"utc_offset_minutes": 0}, "2026-11-20T07:05:00Z"),
        # a time with its own zone keeps it; the offset field does not move it
        ({"started_at": "2026-11-20T07:05:00+09:00", "utc_offset_minutes": 60},
         "2026-11-20T07:05:00+09:00"),
    ],
)  # fmt: skip
def test_an_episode_time_carries_the_familys_zone(extra: dict[str, Any], expected: str) -> None:
    episode = {**SPASMS, **extra}
    bundle = build_bundle(CHILD, [{"id": 1, "episode": episode}], child_id=3)
    (obs,) = [o for o in of_type(bundle, "Observation") if codes(o["code"], SNOMED)]
    assert obs["effectiveDateTime"] == expected


def test_hpo_epileptic_spasm_only_on_spasm_like_movements() -> None:
    bundle = full_bundle()
    spasms, hiccups = [o for o in of_type(bundle, "Observation") if codes(o["code"], SNOMED)]
    moves = {
        c["valueCodeableConcept"]["coding"][0]["code"]: codes(c["valueCodeableConcept"], HPO)
        for c in component(spasms, "movements") + component(hiccups, "movements")
    }
    assert moves == {"head_nod": ["HP:0011097"], "arms_up": ["HP:0011097"], "hiccups": []}


def test_media_eeg_and_triage() -> None:
    bundle = full_bundle()
    (media,) = of_type(bundle, "Media")
    assert media["status"] == "completed"
    assert media["content"]["contentType"] == "video/mp4"
    assert media["content"]["size"] == len(VIDEO_BYTES)
    assert media["content"]["title"] == "clip.mp4"
    assert base64.b64decode(media["content"]["hash"]) == hashlib.sha1(VIDEO_BYTES).digest()
    assert media["identifier"][0]["value"] == hashlib.sha256(VIDEO_BYTES).hexdigest()
    assert (media["width"], media["height"], media["frames"]) == (1080, 1920, 1860)
    observations = of_type(bundle, "Observation")
    by_url = {f"urn:uuid:{o['id']}": o for o in observations}
    (panel,) = [o for o in observations if "hasMember" in o]
    measures = {
        m["code"]["coding"][0]["code"]: m
        for m in (by_url[r["reference"]] for r in panel["hasMember"])
    }
    assert measures["amplitude_uv_p95"]["valueQuantity"] == {
        "value": 310.0,
        "unit": "uV",
        "system": UCUM,
        "code": "uV",
    }
    assert measures["delta_power_fraction"]["valueQuantity"]["code"] == "1"
    assert measures["spike_rate_per_min"]["valueQuantity"]["code"] == "/min"
    assert measures["based_like_score"]["valueInteger"] == 4
    assert measures["hypsarrhythmia_likely"]["valueBoolean"] is True
    assert "hypsarrhythmia_assessment" not in measures  # a result from before it existed
    (finding,) = [o for o in observations if o["code"]["coding"][0]["code"] == "video-analysis"]
    assert component(finding, "spasm_like")[0]["valueInteger"] == 9
    (risk,) = of_type(bundle, "RiskAssessment")
    level = risk["prediction"][0]["qualitativeRisk"]
    assert level["text"] in ("emergency", "same_day")
    assert risk["note"] and all(n["text"] for n in risk["note"])
    assert len(risk["basis"]) == 2


def test_the_composition_sections_reference_their_entries() -> None:
    bundle = full_bundle()
    composition = bundle["entry"][0]["resource"]
    assert composition["status"] == "final" and composition["title"] == "Movement diary of Mia"
    sections = {s["code"]["coding"][0]["code"]: s for s in composition["section"]}
    assert list(sections) == ["episodes", "triage", "video", "eeg"]
    kinds = {f"urn:uuid:{e['resource']['id']}": e["resource"] for e in bundle["entry"]}
    assert len(sections["episodes"]["entry"]) == 2
    assert kinds[sections["triage"]["entry"][0]["reference"]]["resourceType"] == "RiskAssessment"
    assert [kinds[r["reference"]]["resourceType"] for r in sections["video"]["entry"]] == [
        "Media",
        "Observation",
    ]
    eeg = [kinds[r["reference"]] for r in sections["eeg"]["entry"]]
    # each EEG file, then what its analysis found (the failed one: the file alone)
    assert [r["resourceType"] for r in eeg] == [
        "DocumentReference",
        "Observation",
        "DocumentReference",
    ]
    assert [d["description"] for d in eeg if "description" in d] == ["rec.edf", "bad.edf"]
    assert "hasMember" in eeg[1]
    assert sections["episodes"]["text"]["div"].startswith("<div xmlns=")


def test_the_narratives_say_words_not_codes() -> None:
    bundle = full_bundle()
    sections = {
        s["code"]["coding"][0]["code"]: s["text"]["div"]
        for s in bundle["entry"][0]["resource"]["section"]
    }
    episodes = sections["episodes"]
    assert (
        "2026-11-20 07:05: 12 x head drops or bobs forward; arms flung out or raised "
        "(just woke up)" in episodes
    )
    assert "hiccups (feeding)" in episodes
    assert "Emergency: " in sections["triage"]
    assert "clip.mp4: 9 spasm-like, 2 brief jerks, 0 rhythmic, 1 cluster" in sections["video"]
    for code in ("head_nod", "arms_up", "just_woke", "spasm_like", "emergency:", "same_day"):
        assert all(code not in div for div in sections.values()), code
    # the codes stay in the codings
    (spasms, _hiccups) = [
        o for o in of_type(bundle, "Observation") if o["code"]["coding"][0]["system"] == SNOMED
    ]
    codes = [c["valueCodeableConcept"]["coding"][0]["code"] for c in component(spasms, "movements")]
    assert codes == ["head_nod", "arms_up"]


def test_without_attachments_triage_or_name() -> None:
    bundle = build_bundle(
        {"age_months": 4}, [{"episode": HICCUPS}], bundle_type="collection", now=datetime.now()
    )
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    (patient,) = of_type(bundle, "Patient")
    assert "name" not in patient and "birthDate" not in patient
    assert of_type(bundle, "Media") == [] and of_type(bundle, "RiskAssessment") == []
    sections = bundle["entry"][0]["resource"]["section"]
    assert [("entry" in s, "emptyReason" in s) for s in sections] == [
        (True, False),
        (False, True),
        (False, True),
        (False, True),
    ]
    refs = references([e["resource"] for e in bundle["entry"]])
    assert set(refs) <= {e["fullUrl"] for e in bundle["entry"]}


def test_entry_ids_are_stable_and_differ_between_children() -> None:
    def ids(child_id: int) -> list[str]:
        made = build_bundle(CHILD, [{"id": 1, "episode": SPASMS}], child_id=child_id)
        return [e["fullUrl"] for e in made["entry"]]

    assert ids(1) == ids(1)
    assert not set(ids(1)) & set(ids(2))


def test_invalid_bundle_type() -> None:
    with pytest.raises(ValueError, match="bundle_type"):
        build_bundle(CHILD, [], bundle_type="transaction")


def test_from_the_store(db: Database) -> None:
    with db.transaction() as s:
        owner = repo.create_user(s, "ann@example.org", "Ann", "hash")
        viewer = repo.create_user(s, "dr@example.org", "Dr Who", "hash")
        child = repo.create_child(s, owner.id, "Mia", birth_date=datetime(2026, 5, 1).date())
        repo.add_member(s, child.id, viewer.id, "viewer")
        episode = repo.add_episode(s, child.id, dict(SPASMS), owner.id)
        repo.add_episode(s, child.id, dict(HICCUPS), None)
        sha = hashlib.sha256(VIDEO_BYTES).hexdigest()
        video = repo.add_attachment(
            s,
            child_id=child.id,
            episode_id=episode.id,
            kind="video",
            filename="clip.mp4",
            content_type="video/mp4",
            size_bytes=len(VIDEO_BYTES),
            sha256=sha,
            uploaded_by=owner.id,
        )
        repo.set_attachment_analysis(s, video.id, {"status": "done", "result": VIDEO_RESULT})
        eeg = repo.add_attachment(
            s,
            child_id=child.id,
            kind="eeg",
            filename="rec.edf",
            content_type="application/x-edf",
            size_bytes=1000,
            sha256="d" * 64,
            uploaded_by=owner.id,
        )
        repo.set_attachment_analysis(s, eeg.id, {"status": "done", "result": EEG_RESULT})
        child_id = child.id
    (db.attachments_dir / sha[:2]).mkdir(parents=True)
    (db.attachments_dir / sha[:2] / sha).write_bytes(VIDEO_BYTES)

    bundle = fhir_bundle(db, child_id)
    Bundle.model_validate_json(json.dumps(bundle))
    (patient,) = of_type(bundle, "Patient")
    assert patient["birthDate"] == "2026-05-01" and patient["name"][0]["text"] == "Mia"
    # The viewer (perhaps a clinician) is not a related person.
    assert [p["name"][0]["text"] for p in of_type(bundle, "RelatedPerson")] == ["Ann"]
    (media,) = of_type(bundle, "Media")
    assert base64.b64decode(media["content"]["hash"]) == hashlib.sha1(VIDEO_BYTES).digest()
    assert len([o for o in of_type(bundle, "Observation") if codes(o["code"], SNOMED)]) == 2
    assert len(of_type(bundle, "RiskAssessment")) == 1
    refs = references([e["resource"] for e in bundle["entry"]])
    assert set(refs) <= {e["fullUrl"] for e in bundle["entry"]}

    anonymous = fhir_bundle(db, child_id, include_name=False)
    assert "name" not in of_type(anonymous, "Patient")[0]
    assert "Mia" not in json.dumps(anonymous)
    with pytest.raises(SpasmwatchError, match="No child"):
        fhir_bundle(db, 999_999)


def _bundle_with_eeg(result: dict) -> dict:
    """The Bundle of one spasm episode with the EEG attachment analysed as ``result``."""
    atts = attachments()
    atts[1]["analysis"] = {"status": "done", "result": result}
    return build_bundle(
        CHILD, [{"id": 1, "episode": SPASMS}], child_id=3, attachments=atts,
        now=datetime(2026, 11, 21, 10, 0),
    )  # fmt: skip


def test_an_eeg_that_cannot_be_assessed_is_not_a_no() -> None:
    result = {
        **EEG_RESULT,
        "background": {
            **EEG_RESULT["background"],
            "hypsarrhythmia_likely": None,
            "hypsarrhythmia_assessment": "cannot_assess",
            "reasons": ["only 30 s of usable EEG (< 120 s)"],
        },
    }
    bundle = _bundle_with_eeg(result)
    observations = of_type(bundle, "Observation")
    by_url = {f"urn:uuid:{o['id']}": o for o in observations}
    (panel,) = [o for o in observations if "hasMember" in o]
    measures = {
        m["code"]["coding"][0]["code"]: m
        for m in (by_url[r["reference"]] for r in panel["hasMember"])
    }
    assert "hypsarrhythmia_likely" not in measures  # null: no boolean is made up
    assert measures["hypsarrhythmia_assessment"]["valueString"] == "cannot be assessed"
    text = json.dumps(bundle)
    assert "hypsarrhythmia: cannot be assessed" in text
    assert "hypsarrhythmia likely: no" not in text


@pytest.mark.parametrize(
    ("start", "carried"),
    [("2026-11-20T21:00:00", True), ("2001-01-01T01:01:01", False), (None, False)],
)
def test_an_eeg_observation_carries_the_recordings_start_only_when_it_is_known(
    start: str | None, carried: bool
) -> None:
    # An anonymiser's placeholder date (eeg.reader.known_start) is no time for an
    # observation: the report says "recording date not known", and so does FHIR, whose
    # Observations then take the upload's time (and say so in the panel's note).
    result = {**EEG_RESULT, "recording": {**EEG_RESULT["recording"], "start": start}}
    bundle = _bundle_with_eeg(result)
    eeg = [o for o in of_type(bundle, "Observation") if "eeg" in json.dumps(o["code"]).lower()]
    expected = "2026-11-20T21:00:00" if carried else "2026-11-20T09:00:00"
    assert eeg and all(o["effectiveDateTime"].startswith(expected) for o in eeg)
    (panel,) = [o for o in eeg if "hasMember" in o]
    said = " ".join(n["text"] for n in panel["note"])
    assert ("Recording date not known" in said) is not carried
    (document,) = [d for d in of_type(bundle, "DocumentReference") if d["description"] == "rec.edf"]
    assert ("context" in document) is carried
