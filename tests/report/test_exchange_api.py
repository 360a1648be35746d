"""The exchange routes of the JSON API: FHIR and CSV export, CSV import (all or nothing)."""

from __future__ import annotations

import json
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle

from web.webworld import SPASM_EPISODE, add_child, log_episode, new_app, sign_up


def test_fhir_and_csv_through_the_api(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org", "Ann")
    first = add_child(person, "Mia")
    second = add_child(person, "Leo")
    log_episode(person, first)
    log_episode(person, first, {**SPASM_EPISODE, "notes": "twice, on waking"})

    fhir = person.api("GET", f"/api/v1/children/{first}/fhir")
    assert fhir.status_code == 200
    assert fhir.headers["content-type"].startswith("application/fhir+json")
    bundle = Bundle.model_validate_json(fhir.text)
    assert bundle.entry[0].resource.get_resource_type() == "Composition"
    nameless = person.api("GET", f"/api/v1/children/{first}/fhir?name=0").json()
    assert "Mia" not in json.dumps(nameless)

    exported = person.api("GET", f"/api/v1/children/{first}/episodes.csv")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    text = exported.text

    url = f"/api/v1/children/{second}/episodes.csv"
    dry = person.api("POST", f"{url}?dry_run=1", content=text, headers={"Content-Type": "text/csv"})
    assert dry.status_code == 200 and dry.json()["rows"] == 2 and dry.json()["imported"] == 0
    assert person.api("GET", f"/api/v1/children/{second}/episodes").json() == []

    bad = text + "9,,sleeping,head_nod;wobble,,,,,,,,,,,,,,,\n"
    refused = person.api("POST", url, files={"file": ("episodes.csv", bad, "text/csv")})
    assert refused.status_code == 422
    assert {(p["row"], p["field"]) for p in refused.json()["problems"]} == {
        (4, "state"),
        (4, "movements"),
    }
    assert all(d.startswith("row 4, ") for d in refused.json()["detail"])
    assert person.api("GET", f"/api/v1/children/{second}/episodes").json() == []

    done = person.api("POST", url, files={"file": ("episodes.csv", text, "text/csv")})
    assert done.status_code == 201 and done.json()["imported"] == 2
    copied = person.api("GET", f"/api/v1/children/{second}/episodes").json()
    originals = person.api("GET", f"/api/v1/children/{first}/episodes").json()
    assert [e["episode"] for e in copied] == [e["episode"] for e in originals]

    no_file = person.api("POST", url, files={"other": ("x.csv", text, "text/csv")})
    assert no_file.status_code == 422 and "file" in no_file.json()["detail"][0]
    no_csrf = person.client.post(url, content=text, headers={"Content-Type": "text/csv"})
    assert no_csrf.status_code == 403
    page = person.client.get(f"/children/{second}")
    assert f"/api/v1/children/{second}/fhir" in page.text
    assert f"/api/v1/children/{second}/episodes.csv" in page.text
