"""A small world for web tests: an app on a real database, families, a child, roles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from spasmwatch.config import Settings
from spasmwatch.web import create_app

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
EDF_FILE = REPO_ROOT.parent / "shared" / "data" / "eeg" / "edf_plus" / "SC4001EC-Hypnogram.edf"
PASSWORD = "correct horse battery"

SPASM_FORM = {
    "movements": ["head_nod", "arms_up"],
    "state": "just_woke",
    "count": "10",
    "movement_seconds": "1",
    "interval_seconds": "5",
    "started_at": "2026-11-20T07:05",
}
SPASM_EPISODE = {
    "movements": ["head_nod", "arms_up"],
    "state": "just_woke",
    "count": 10,
    "movement_seconds": 1.0,
    "interval_seconds": 5,
    "started_at": "2026-11-20T07:05:00",
}


def csrf_of(html: str) -> str:
    """The CSRF token in a page's forms."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if match is None:
        raise AssertionError("no CSRF token in the page")
    return match.group(1)


@dataclass
class Person:
    """A signed-in browser (or an anonymous one when ``email`` is empty)."""

    client: TestClient
    email: str = ""
    csrf: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def form(self, path: str, data: dict[str, Any] | None = None, **kw: Any) -> Any:
        """POST a form with this person's CSRF token."""
        return self.client.post(
            path, data={**(data or {}), "csrf_token": self.csrf}, follow_redirects=False, **kw
        )

    def api(self, method: str, path: str, **kw: Any) -> Any:
        """Call the JSON API with the cookie session and the CSRF header."""
        headers = {"X-CSRF-Token": self.csrf, **kw.pop("headers", {})}
        return self.client.request(method, path, headers=headers, follow_redirects=False, **kw)


def new_app(tmp_path: Path, database_url: str | None = None, **settings: Any) -> Any:
    """The app on a fresh data directory."""
    return create_app(
        Settings(data_dir=tmp_path / "data", database_url=database_url, **settings),
        inline_jobs=True,
    )


def anonymous(app: Any) -> Person:
    """A browser with no account (it still gets a CSRF cookie for the sign-in forms)."""
    client = TestClient(app)
    page = client.get("/signin")
    return Person(client, csrf=csrf_of(page.text))


def sign_up(app: Any, email: str, name: str = "Parent") -> Person:
    """A new account, signed in."""
    person = anonymous(app)
    response = person.form("/signup", {"email": email, "display_name": name, "password": PASSWORD})
    assert response.status_code == 303, response.text
    page = person.client.get(response.headers["location"])
    person.email = email
    person.csrf = csrf_of(page.text)
    return person


def add_child(person: Person, name: str = "Mia", age: str = "6") -> int:
    """A child owned by ``person``; returns its id."""
    response = person.form("/children/new", {"name": name, "age_months": age})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def invite(owner: Person, child_id: int, email: str, role: str) -> str:
    """The owner invites the person of ``email`` to a role; returns the invitation link's
    token (the child's page shows the link once)."""
    response = owner.form(f"/children/{child_id}/members", {"email": email, "role": role})
    assert response.status_code == 303, response.text
    token = owner.client.cookies.get("sw_invited", path=f"/children/{child_id}")
    assert token, "the invitation link is kept for the child's page to show"
    return str(token)


def add_member(owner: Person, child_id: int, member: Person, role: str) -> None:
    """Give ``member`` a role for the child: the owner invites them, and they open the
    invitation link signed in and accept it."""
    token = invite(owner, child_id, member.email, role)
    response = member.form(f"/invite/{token}")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"/children/{child_id}"


def log_episode(person: Person, child_id: int, episode: dict[str, Any] | None = None) -> int:
    """Log an episode through the API; returns its id."""
    response = person.api(
        "POST", f"/api/v1/children/{child_id}/episodes", json=episode or SPASM_EPISODE
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def share(owner: Person, child_id: int) -> tuple[str, int]:
    """A new share link: (token, link id)."""
    response = owner.form(f"/children/{child_id}/share", {"label": "Dr Who", "days": "7"})
    assert response.status_code == 303, response.text
    token = owner.client.cookies["sw_new_link"]  # the page shows it once
    page = owner.client.get(f"/children/{child_id}")
    link_id = int(re.findall(rf"/children/{child_id}/share/(\d+)/revoke", page.text)[0])
    return token, link_id


def upload(person: Person, child_id: int, path: Path = EDF_FILE) -> int:
    """Upload a file through the API; returns the attachment id."""
    with path.open("rb") as f:
        response = person.api(
            "POST", f"/api/v1/children/{child_id}/attachments", files={"file": (path.name, f)}
        )
    assert response.status_code == 201, response.text
    return response.json()["id"]
