"""The JSON API: CRUD round trips in the case format, clear 422s, OpenAPI."""

from __future__ import annotations

from pathlib import Path

from web.webworld import SPASM_EPISODE, add_child, new_app, sign_up


def test_children_and_episodes_round_trip(tmp_path: Path, database_url: str) -> None:
    app = new_app(tmp_path, database_url)
    person = sign_up(app, "ann@example.org")
    created = person.api(
        "POST",
        "/api/v1/children",
        json={
            "name": "Mia",
            "child": {"birth_date": "2026-05-01", "conditions": ["down_syndrome"]},
        },
    )
    assert created.status_code == 201
    child = created.json()
    assert child["role"] == "owner" and child["child"]["conditions"] == ["down_syndrome"]
    cid = child["id"]
    logged = person.api("POST", f"/api/v1/children/{cid}/episodes", json=SPASM_EPISODE)
    assert logged.status_code == 201
    body = logged.json()
    assert body["episode"]["movements"] == ["head_nod", "arms_up"]
    assert body["triage"]["level"] == "same_day"
    eid = body["id"]
    assert (
        person.api("GET", f"/api/v1/children/{cid}/episodes/{eid}").json()["episode"]
        == body["episode"]
    )
    replaced = person.api(
        "PUT", f"/api/v1/children/{cid}/episodes/{eid}", json={"movements": ["hiccups"]}
    )
    assert replaced.status_code == 200 and replaced.json()["episode"] == {"movements": ["hiccups"]}
    case = person.api("GET", f"/api/v1/children/{cid}/case").json()
    assert case["child"]["birth_date"] == "2026-05-01" and len(case["episodes"]) == 1
    assert person.api("DELETE", f"/api/v1/children/{cid}/episodes/{eid}").status_code == 204
    assert person.api("GET", f"/api/v1/children/{cid}/episodes").json() == []
    assert person.api("DELETE", f"/api/v1/children/{cid}").status_code == 204
    assert person.api("GET", "/api/v1/children").json() == []


def test_invalid_bodies_name_the_field(tmp_path: Path, database_url: str) -> None:
    app = new_app(tmp_path, database_url)
    person = sign_up(app, "ann@example.org")
    cid = add_child(person)
    bad = person.api(
        "POST", f"/api/v1/children/{cid}/episodes", json={"movements": ["nod"], "count": 0}
    )
    assert bad.status_code == 422
    detail = " ".join(bad.json()["detail"])
    assert "'movements[0]'" in detail and "head_nod" in detail and "'count'" in detail
    assert (
        person.api("POST", "/api/v1/children", json={"child": {"age_months": 3}}).status_code == 422
    )
    odd = person.api(
        "POST", "/api/v1/children", json={"name": "X", "child": {"age_months": 3}, "x": 1}
    )
    assert odd.status_code == 422 and "'x'" in odd.json()["detail"][0]
    not_json = person.api(
        "POST",
        f"/api/v1/children/{cid}/episodes",
        content=b"{nope",
        headers={"content-type": "application/json"},
    )
    assert not_json.status_code == 422
    future = person.api(
        "POST",
        f"/api/v1/children/{cid}/episodes",
        json={"movements": ["head_nod"], "started_at": "2031-01-01T08:00:00"},
    )
    assert future.status_code == 422 and "'started_at'" in future.json()["detail"][0]
    assert "in the future" in future.json()["detail"][0]
    assert person.api("GET", f"/api/v1/children/{cid}/episodes").json() == []


def test_openapi_lists_the_api(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    spec = person.client.get("/api/v1/openapi.json").json()
    assert "/api/v1/children/{child_id}/triage" in spec["paths"]
    assert "/signin" not in spec["paths"]
    docs = person.client.get("/api/docs")
    assert docs.status_code == 200 and "/static/swagger/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
