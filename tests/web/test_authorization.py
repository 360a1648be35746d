"""Every route x {anonymous, other family, viewer, caregiver, owner, share link}, on SQLite
and on PostgreSQL: nobody sees or changes another family's data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.routing import APIRoute

from spasmwatch.web.routes import accounts, children, episodes, exports, public, reports
from spasmwatch.web.routes import api as api_routes
from spasmwatch.web.routes import share as share_routes
from web.webworld import (
    EDF_FILE,
    SPASM_EPISODE,
    SPASM_FORM,
    Person,
    add_child,
    add_member,
    anonymous,
    log_episode,
    new_app,
    share,
    sign_up,
    upload,
)

ACTORS = ("anonymous", "other", "viewer", "caregiver", "owner", "share")
# Who may use a route, by what it needs.
ALLOWED = {
    "public": set(ACTORS),
    "user": {"other", "viewer", "caregiver", "owner"},
    "view": {"viewer", "caregiver", "owner"},
    "log": {"caregiver", "owner"},
    "own": {"owner"},
    "share": {"share"},
}


@dataclass
class World:
    """The families, the child and what belongs to it."""

    app: Any
    people: dict[str, Person]
    child: int
    token: str

    def fresh_episode(self) -> int:
        return log_episode(self.people["owner"], self.child)

    def fresh_attachment(self) -> int:
        return upload(self.people["owner"], self.child)

    def fresh_eeg(self) -> int:
        """A real EEG clip, analysed (its trend images exist)."""
        if "eeg" not in self.people["owner"].extra:
            self.people["owner"].extra["eeg"] = upload(self.people["owner"], self.child, HELSINKI)
        return self.people["owner"].extra["eeg"]

    def fresh_link(self) -> int:
        return share(self.people["owner"], self.child)[1]

    def fresh_child(self) -> int:
        """A second child of the same family, with the same roles (for deletions)."""
        owner = self.people["owner"]
        child = add_child(owner, "Extra")
        add_member(owner, child, self.people["caregiver"], "caregiver")
        add_member(owner, child, self.people["viewer"], "viewer")
        return child


def build_world(tmp_path: Path, database_url: str) -> World:
    app = new_app(tmp_path, database_url)
    owner = sign_up(app, "owner@example.org", "Owner")
    caregiver = sign_up(app, "carer@example.org", "Carer")
    viewer = sign_up(app, "viewer@example.org", "Viewer")
    other = sign_up(app, "other@example.org", "Other family")
    add_child(other, "Theirs")
    child = add_child(owner)
    add_member(owner, child, caregiver, "caregiver")
    add_member(owner, child, viewer, "viewer")
    token, _ = share(owner, child)
    people = {
        "owner": owner,
        "caregiver": caregiver,
        "viewer": viewer,
        "other": other,
        "anonymous": anonymous(app),
        "share": anonymous(app),
    }
    return World(app, people, child, token)


Call = Callable[[World, Person, str], Any]


def page_get(path: str) -> Call:
    return lambda w, p, actor: p.client.get(path.format(**ids(w)), follow_redirects=False)


def form_post(path: str, data: dict[str, Any] | None = None) -> Call:
    return lambda w, p, actor: p.form(path.format(**ids(w)), data or {})


def api(method: str, path: str, **kw: Any) -> Call:
    return lambda w, p, actor: p.api(method, path.format(**ids(w)), **kw)


def ids(w: World) -> dict[str, Any]:
    return {"c": w.child, **w.people["owner"].extra}


def with_fresh(kind: str, call: Call) -> Call:
    """Make a fresh target (episode, attachment, link or child) before each attempt."""

    def run(w: World, p: Person, actor: str) -> Any:
        owner = w.people["owner"]
        if kind == "episode":
            owner.extra["e"] = w.fresh_episode()
        elif kind == "attachment":
            owner.extra["a"] = w.fresh_attachment()
        elif kind == "eeg":
            owner.extra["a"] = w.fresh_eeg()
        elif kind == "link":
            owner.extra["l"] = w.fresh_link()
        elif kind == "child":
            owner.extra["x"] = w.fresh_child()
        return call(w, p, actor)

    return run


def shared(path: str, eeg: bool = False) -> Call:
    def run(w: World, p: Person, actor: str) -> Any:
        token = w.token if actor == "share" else "not-a-valid-token"
        w.people["owner"].extra["a"] = w.fresh_eeg() if eeg else w.fresh_attachment()
        return p.client.get(path.format(t=token, **ids(w)), follow_redirects=False)

    return run


def api_upload(w: World, p: Person, actor: str) -> Any:
    with EDF_FILE.open("rb") as f:
        return p.api(
            "POST", f"/api/v1/children/{w.child}/attachments", files={"file": ("x.edf", f)}
        )


HELSINKI = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg1.edf"
CHILD_BODY = {"name": "Renamed", "child": {"age_months": 7}}
CHECK_FORM = {"age_months": "6", "movements": ["head_nod"], "state": "just_woke", "count": "5"}
CHECK_CASE = '{"child":{"age_months":6},"episodes":[{"movements":["head_nod"]}]}'
TRIAGE_BODY = {"child": {"age_months": 6}, "episodes": [{"movements": ["head_nod"]}]}

# (method, route path as registered, needs, how to call it)
MATRIX: list[tuple[str, str, str, Call]] = [
    ("GET", "/", "public", page_get("/")),
    ("GET", "/guide", "public", page_get("/guide")),
    ("GET", "/check", "public", page_get("/check")),
    ("GET", "/now", "public", page_get("/now")),
    ("POST", "/check", "public", form_post("/check", CHECK_FORM)),
    ("POST", "/check/keep", "public", form_post("/check/keep", {"case": CHECK_CASE})),
    ("POST", "/api/v1/triage", "public", api("POST", "/api/v1/triage", json=TRIAGE_BODY)),
    ("GET", "/signup", "public", page_get("/signup")),
    ("GET", "/signin", "public", page_get("/signin")),
    ("POST", "/signout", "public", form_post("/signout")),
    ("GET", "/settings", "user", page_get("/settings")),
    ("POST", "/settings/token", "user", form_post("/settings/token")),
    ("GET", "/children", "user", page_get("/children")),
    ("GET", "/children/new", "user", page_get("/children/new")),
    ("POST", "/children/new", "user", form_post("/children/new", {"name": "N", "age_months": "3"})),
    ("GET", "/children/{child_id}", "view", page_get("/children/{c}")),
    ("GET", "/children/{child_id}/edit", "own", page_get("/children/{c}/edit")),
    (
        "POST",
        "/children/{child_id}/edit",
        "own",
        form_post("/children/{c}/edit", {"name": "Mia", "age_months": "6"}),
    ),
    (
        "POST",
        "/children/{child_id}/delete",
        "own",
        with_fresh("child", form_post("/children/{x}/delete")),
    ),
    ("POST", "/children/{child_id}/share", "own", form_post("/children/{c}/share", {"days": "1"})),
    (
        "POST",
        "/children/{child_id}/share/{link_id}/revoke",
        "own",
        with_fresh("link", form_post("/children/{c}/share/{l}/revoke")),
    ),
    (
        "POST",
        "/children/{child_id}/members",
        "own",
        form_post("/children/{c}/members", {"email": "viewer@example.org", "role": "viewer"}),
    ),
    (
        "GET",
        "/children/{child_id}/attachments/{attachment_id}",
        "view",
        with_fresh("attachment", page_get("/children/{c}/attachments/{a}")),
    ),
    ("GET", "/children/{child_id}/episodes/new", "log", page_get("/children/{c}/episodes/new")),
    (
        "POST",
        "/children/{child_id}/episodes/new",
        "log",
        form_post("/children/{c}/episodes/new", SPASM_FORM),
    ),
    (
        "GET",
        "/children/{child_id}/episodes/{episode_id}/edit",
        "log",
        with_fresh("episode", page_get("/children/{c}/episodes/{e}/edit")),
    ),
    (
        "POST",
        "/children/{child_id}/episodes/{episode_id}/edit",
        "log",
        with_fresh("episode", form_post("/children/{c}/episodes/{e}/edit", SPASM_FORM)),
    ),
    (
        "POST",
        "/children/{child_id}/episodes/{episode_id}/delete",
        "log",
        with_fresh("episode", form_post("/children/{c}/episodes/{e}/delete")),
    ),
    (
        "GET",
        "/children/{child_id}/attachments/{attachment_id}/analysis",
        "view",
        with_fresh("attachment", page_get("/children/{c}/attachments/{a}/analysis")),
    ),
    (
        "POST",
        "/children/{child_id}/attachments/{attachment_id}/analysis",
        "log",
        with_fresh(
            "attachment",
            form_post("/children/{c}/attachments/{a}/analysis", {"sensitivity": "low"}),
        ),
    ),
    (
        "GET",
        "/children/{child_id}/attachments/{attachment_id}/images/{name}",
        "view",
        with_fresh("eeg", page_get("/children/{c}/attachments/{a}/images/amplitude")),
    ),
    ("GET", "/children/{child_id}/report.pdf", "view", page_get("/children/{c}/report.pdf")),
    ("GET", "/children/{child_id}/report.html", "view", page_get("/children/{c}/report.html")),
    ("GET", "/s/{token}", "share", shared("/s/{t}")),
    ("GET", "/s/{token}/report.pdf", "share", shared("/s/{t}/report.pdf")),
    ("GET", "/s/{token}/report.html", "share", shared("/s/{t}/report.html")),
    (
        "GET",
        "/s/{token}/attachments/{attachment_id}/analysis",
        "share",
        shared("/s/{t}/attachments/{a}/analysis"),
    ),
    (
        "GET",
        "/s/{token}/attachments/{attachment_id}/images/{name}",
        "share",
        shared("/s/{t}/attachments/{a}/images/amplitude", eeg=True),
    ),
    ("GET", "/s/{token}/attachments/{attachment_id}", "share", shared("/s/{t}/attachments/{a}")),
    ("GET", "/api/v1/children", "user", api("GET", "/api/v1/children")),
    ("POST", "/api/v1/children", "user", api("POST", "/api/v1/children", json=CHILD_BODY)),
    ("GET", "/api/v1/children/{child_id}", "view", api("GET", "/api/v1/children/{c}")),
    (
        "PUT",
        "/api/v1/children/{child_id}",
        "own",
        api("PUT", "/api/v1/children/{c}", json={"name": "Mia", "child": {"age_months": 6}}),
    ),
    (
        "DELETE",
        "/api/v1/children/{child_id}",
        "own",
        with_fresh("child", api("DELETE", "/api/v1/children/{x}")),
    ),
    (
        "GET",
        "/api/v1/children/{child_id}/episodes",
        "view",
        api("GET", "/api/v1/children/{c}/episodes"),
    ),
    (
        "POST",
        "/api/v1/children/{child_id}/episodes",
        "log",
        api("POST", "/api/v1/children/{c}/episodes", json=SPASM_EPISODE),
    ),
    (
        "GET",
        "/api/v1/children/{child_id}/episodes/{episode_id}",
        "view",
        with_fresh("episode", api("GET", "/api/v1/children/{c}/episodes/{e}")),
    ),
    (
        "PUT",
        "/api/v1/children/{child_id}/episodes/{episode_id}",
        "log",
        with_fresh("episode", api("PUT", "/api/v1/children/{c}/episodes/{e}", json=SPASM_EPISODE)),
    ),
    (
        "DELETE",
        "/api/v1/children/{child_id}/episodes/{episode_id}",
        "log",
        with_fresh("episode", api("DELETE", "/api/v1/children/{c}/episodes/{e}")),
    ),
    (
        "GET",
        "/api/v1/children/{child_id}/triage",
        "view",
        api("GET", "/api/v1/children/{c}/triage"),
    ),
    ("GET", "/api/v1/children/{child_id}/case", "view", api("GET", "/api/v1/children/{c}/case")),
    (
        "GET",
        "/api/v1/children/{child_id}/attachments",
        "view",
        api("GET", "/api/v1/children/{c}/attachments"),
    ),
    ("POST", "/api/v1/children/{child_id}/attachments", "log", api_upload),
    (
        "POST",
        "/api/v1/children/{child_id}/attachments/{attachment_id}/analysis",
        "log",
        with_fresh(
            "attachment",
            api(
                "POST",
                "/api/v1/children/{c}/attachments/{a}/analysis",
                json={"sensitivity": "high"},
            ),
        ),
    ),
    ("GET", "/api/v1/children/{child_id}/fhir", "view", api("GET", "/api/v1/children/{c}/fhir")),
    (
        "GET",
        "/api/v1/children/{child_id}/episodes.csv",
        "view",
        api("GET", "/api/v1/children/{c}/episodes.csv"),
    ),
    (
        "POST",
        "/api/v1/children/{child_id}/episodes.csv",
        "log",
        api(
            "POST",
            "/api/v1/children/{c}/episodes.csv",
            content="movements,count\nhead_nod;arms_up,5\n",
            headers={"Content-Type": "text/csv"},
        ),
    ),
    (
        "GET",
        "/api/v1/children/{child_id}/attachments/{attachment_id}",
        "view",
        with_fresh("attachment", api("GET", "/api/v1/children/{c}/attachments/{a}")),
    ),
]
# Routes that need no authorisation and are not data: sign-up and sign-in submissions are
# covered by the page tests, the OpenAPI pages are public documentation.
UNLISTED = {("POST", "/signup"), ("POST", "/signin")}


def expected_denial(actor: str, path: str, needs: str) -> set[int]:
    """Statuses that count as a refusal for this actor."""
    if needs == "share":
        return {404}
    if actor in ("anonymous", "share"):
        return {401} if path.startswith("/api/") else {303}
    if needs == "user":
        return set()
    if actor == "other":
        return {404}
    return {403}


def test_every_route_is_in_the_matrix() -> None:
    routers = (
        reports.router,
        exports.router,
        accounts.router,
        children.router,
        episodes.router,
        share_routes.router,
        api_routes.router,
        public.router,
        public.api_router,
    )
    routes = {
        (method, route.path)
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    assert len(routes) > 30
    listed = {(m, p) for m, p, _, _ in MATRIX} | UNLISTED
    assert routes - listed == set(), "routes missing from the authorisation matrix"
    assert listed - routes == set(), "the matrix lists routes the app does not have"


def test_authorisation_matrix(tmp_path: Path, database_url: str) -> None:
    world = build_world(tmp_path, database_url)
    failures = []
    for method, path, needs, call in MATRIX:
        for actor in ACTORS:
            if method == "POST" and path == "/signout":
                continue  # signing out would end the other checks of this actor
            response = call(world, world.people[actor], actor)
            status = response.status_code
            if actor in ALLOWED[needs]:
                location = response.headers.get("location", "")
                ok = status < 400 and (needs == "public" or "/signin" not in location)
            else:
                ok = status in expected_denial(actor, path, needs)
            if not ok:
                failures.append(f"{method} {path} as {actor}: {status}")
    assert failures == []


def test_signout_for_everyone(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "a@example.org")
    assert person.form("/signout").status_code == 303
    assert person.client.get("/children", follow_redirects=False).status_code == 303
    nobody = anonymous(app)
    assert nobody.form("/signout").status_code == 303
