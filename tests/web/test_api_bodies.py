"""Every router under /api/v1 says a body that is no JSON object in the same plain words
(web/api_route.py): where the JSON breaks, that a form or an untyped body is not JSON, that
an array is not an object; never the web framework's "15: JSON decode error" or "body:
Input should be a valid dictionary". The public triage keeps its documented 422 shape,
``{"detail": [messages]}``; the API's description lists the 500 the server answers."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from spasmwatch.web.app import SERVER_ERROR_API
from web.webworld import SPASM_EPISODE, Person, add_child, anonymous, log_episode, new_app, sign_up

BROKEN = b'{"drug": "vigabatrin",\n "dose": }'
AS_JSON = {"Content-Type": "application/json"}
NOT_JSON = "The body is not valid JSON: Expecting value at line 2, column 10"
TAKES_JSON = (
    "The API takes JSON: send the body as a JSON object with 'Content-Type: application/json' "
    "(this one was sent as 'application/x-www-form-urlencoded')"
)
FRAMEWORK_WORDS = ("JSON decode error", "valid dictionary", "Field required")


def _script(app: Any, person: Person) -> TestClient:
    """A client without cookies holding a write token made on ``person``'s settings page,
    as a script calls the API."""
    page = person.form("/settings/token", {"label": "script", "scope": "write", "days": "30"})
    assert page.status_code == 200, page.text
    found = re.search(r'id="api-token">([^<]+)<', page.text)
    assert found is not None
    client = anonymous(app).client
    client.cookies.clear()
    client.headers["Authorization"] = f"Bearer {found.group(1)}"
    return client


def _said(answer: Any) -> list[str]:
    """The messages of a 422, checked for the API's shape and the framework's words."""
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert isinstance(detail, list) and all(isinstance(m, str) for m in detail)
    assert not any(w in m for m in detail for w in FRAMEWORK_WORDS), detail
    return detail


def _send(script: TestClient, method: str, path: str, **kw: Any) -> list[str]:
    """The messages of a 422 answer to a body sent to ``path``."""
    return _said(script.request(method, path, **kw))


@pytest.fixture
def world(tmp_path: Path) -> tuple[TestClient, int]:
    """A script with a signed-in family's token, and their child."""
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    child = add_child(ann)
    return _script(app, ann), child


def test_the_care_routes_say_a_bad_body_plainly(world: tuple[TestClient, int]) -> None:
    script, child = world
    base = f"/api/v1/children/{child}"
    added = script.post(
        f"{base}/treatments",
        json={"drug": "prednisolone", "dose": "10 mg", "start_date": "2026-11-01"},
    )
    assert added.status_code == 201, added.text
    treatment = added.json()["id"]
    for method, path in (
        ("POST", f"{base}/treatments"),
        ("PUT", f"{base}/treatments/{treatment}"),
        ("POST", f"{base}/milestones"),
        ("PUT", f"{base}/workup"),
    ):
        assert _send(script, method, path, content=BROKEN, headers=AS_JSON) == [NOT_JSON], path
        assert _send(script, method, path, data={"drug": "vigabatrin"}) == [TAKES_JSON], path
        untyped = _send(script, method, path, content=b'{"drug": "vigabatrin"}')
        assert "without a Content-Type header" in untyped[0], path
        assert _send(script, method, path, json=[{"drug": "vigabatrin"}]) == [
            "The body must be a JSON object ({...}); got an array"
        ], path
        assert _send(script, method, path, content=b"", headers=AS_JSON)[0].startswith(
            "The body is empty: "
        ), path
    # nothing was changed by any of them
    (kept,) = script.get(f"{base}/treatments").json()
    assert kept["drug"] == "prednisolone"
    assert script.get(f"{base}/milestones").json()["milestones"] == []
    # a part of the address that cannot be is said by its name, as before
    assert _said(script.get("/api/v1/children/abc/treatments"))[0].startswith("child_id: ")


def test_the_diarys_routes_say_a_bad_body_plainly(world: tuple[TestClient, int]) -> None:
    script, child = world
    episodes = f"/api/v1/children/{child}/episodes"
    broken = script.post(
        episodes, content=b'{"movements": ["head_nod"],\n "count": }', headers=AS_JSON
    )
    assert _said(broken) == ["The body is not valid JSON: Expecting value at line 2, column 11"]
    assert _said(script.post(episodes, data={"movements": "head_nod"})) == [TAKES_JSON]
    assert script.get(episodes).json() == []


def test_the_csv_import_says_what_it_takes(tmp_path: Path) -> None:
    """The import reads CSV, not JSON: a JSON body is said to be JSON, not CSV; a form
    without its file names the field; the CSV sent as curl's ``-d`` sends it (a form's
    Content-Type) is read as the CSV it is."""
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    child = add_child(ann)
    log_episode(ann, child, SPASM_EPISODE)
    script = _script(app, ann)
    path = f"/api/v1/children/{child}/episodes.csv"
    json_sent = _said(script.post(path, content=BROKEN, headers=AS_JSON))
    assert len(json_sent) == 1 and "this looks like JSON" in json_sent[0]
    assert "not CSV" in json_sent[0]
    no_file = script.post(path, files={"other": ("a.txt", b"x")})
    assert _said(no_file) == ["Missing field 'file': send the CSV file as 'file'"]
    exported = script.get(path).content
    form_typed = {"Content-Type": "application/x-www-form-urlencoded"}
    checked = script.post(f"{path}?dry_run=1", content=exported, headers=form_typed)
    assert checked.status_code == 200, checked.text
    # a query that cannot be is said by its name, as before
    assert _said(script.post(f"{path}?dry_run=perhaps", content=exported))[0].startswith(
        "dry_run: "
    )
    assert len(script.get(f"/api/v1/children/{child}/episodes").json()) == 1


@pytest.mark.parametrize("path", ["/api/v1/triage", "/api/v1/episode-draft"])
def test_the_public_api_says_a_bad_body_plainly(tmp_path: Path, path: str) -> None:
    """No account: the same words, in the documented shape ``{"detail": [messages]}``."""
    client = TestClient(new_app(tmp_path))
    broken = client.post(
        path, content=b'{"child": {"age_months": 6},\n "episodes": [', headers=AS_JSON
    )
    assert broken.json() == {
        "detail": ["The body is not valid JSON: Expecting value at line 2, column 15"]
    }
    assert _said(broken)
    assert _said(client.post(path, data={"text": "his head drops"})) == [TAKES_JSON]
    untyped = _said(client.post(path, content=b'{"text": "his head drops"}'))
    assert "without a Content-Type header" in untyped[0]
    assert _said(client.post(path, json=["his head drops"])) == [
        "The body must be a JSON object ({...}); got an array"
    ]
    assert _said(client.post(path))[0].startswith("The body is empty: ")


def test_the_public_triage_keeps_its_own_problems(tmp_path: Path) -> None:
    """A JSON object that is not a valid case is said by the case format, as before."""
    client = TestClient(new_app(tmp_path))
    answer = client.post("/api/v1/triage", json={"child": {"age_months": 6}, "episodes": [{}]})
    (said,) = _said(answer)
    assert "movements" in said
    draft = client.post("/api/v1/episode-draft", json={"lang": "fr"})
    assert len(_said(draft)) == 2


def test_the_api_description_lists_the_servers_failure(tmp_path: Path) -> None:
    """The description at /api/docs says what a failure of the server answers (500, one
    message), and that is what a failing API address answers."""
    app = new_app(tmp_path)

    def fails() -> None:
        raise RuntimeError("row 42 of secret_table")

    app.add_api_route("/api/v1/failing", fails)
    client = TestClient(app, raise_server_exceptions=False)
    description = client.get("/api/v1/openapi.json").json()["info"]["description"]
    assert "500" in description and f'`{{"detail": "{SERVER_ERROR_API}"}}`' in description
    failed = client.get("/api/v1/failing")
    assert failed.status_code == 500 and failed.json() == {"detail": SERVER_ERROR_API}
