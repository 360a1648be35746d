"""Every route x {anonymous, other family, viewer, caregiver, owner, share link}, on SQLite
and on PostgreSQL: nobody sees or changes another family's data. The routes are the app's own
(``app.routes``), so a new route without a line here fails the check; ids are also mixed
across families (another family's child with this family's episode, file, link...)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from fastapi.routing import APIRoute

from spasmwatch.diary.access import hash_token, new_token
from spasmwatch.store import repo
from web.webworld import (
    EDF_FILE,
    PASSWORD,
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
    #: The child id the calls name ({c}); another family's child for the mixed-id check.
    target: int = 0
    theirs: int = 0

    def fresh_episode(self, by: str = "owner") -> int:
        return log_episode(self.people[by], self.child)

    def fresh_attachment(self, by: str = "owner") -> int:
        return upload(self.people[by], self.child)

    def fresh_eeg(self) -> int:
        """A real EEG clip, analysed (its trend images exist)."""
        if "eeg" not in self.people["owner"].extra:
            self.people["owner"].extra["eeg"] = upload(self.people["owner"], self.child, HELSINKI)
        return self.people["owner"].extra["eeg"]

    def fresh_video(self) -> int:
        """A rendered video of a spasm cluster, analysed (its event clips exist)."""
        if "video" not in self.people["owner"].extra:
            from report.diary import cluster_video

            video = cluster_video(self.app.state.settings.data_dir.parent / "cluster.mp4")
            self.people["owner"].extra["video"] = upload(self.people["owner"], self.child, video)
        return self.people["owner"].extra["video"]

    def fresh_treatment(self) -> int:
        response = self.people["owner"].api(
            "POST", f"/api/v1/children/{self.child}/treatments", json=TREATMENT_BODY
        )
        return int(response.json()["id"])

    def fresh_milestone(self) -> int:
        response = self.people["owner"].api(
            "POST", f"/api/v1/children/{self.child}/milestones", json=MILESTONE_BODY
        )
        return int(response.json()["id"])

    def fresh_link(self) -> int:
        return share(self.people["owner"], self.child)[1]

    def fresh_member(self) -> int:
        """A new account with a viewer role for the child."""
        with self.app.state.db.transaction() as s:
            user = repo.create_user(s, f"m{secrets.token_hex(8)}@example.org", "M", "h")
            repo.add_member(s, self.child, user.id, "viewer")
            return user.id

    def fresh_invitation(self, child: int | None = None) -> tuple[int, str]:
        """An invitation link to a viewer role for the child (by default the world's): its
        id and its token."""
        token = new_token()
        with self.app.state.db.transaction() as s:
            made = repo.invite(
                s,
                child or self.child,
                f"i{secrets.token_hex(8)}@example.org",
                "viewer",
                None,
                hash_token(token),
                repo.now() + timedelta(days=1),
            )
            return made.id, token

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
    theirs = add_child(other, "Theirs")
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
    return World(app, people, child, token, target=child, theirs=theirs)


Call = Callable[[World, Person, str], Any]


def page_get(path: str) -> Call:
    return lambda w, p, actor: p.client.get(path.format(**ids(w)), follow_redirects=False)


def form_post(path: str, data: dict[str, Any] | None = None) -> Call:
    return lambda w, p, actor: p.form(path.format(**ids(w)), data or {})


def api(method: str, path: str, **kw: Any) -> Call:
    return lambda w, p, actor: p.api(method, path.format(**ids(w)), **kw)


def ids(w: World) -> dict[str, Any]:
    return {"c": w.target or w.child, **w.people["owner"].extra}


def with_fresh(kind: str, call: Call) -> Call:
    """Make a fresh target (episode, attachment, link or child) before each attempt."""

    def run(w: World, p: Person, actor: str) -> Any:
        owner = w.people["owner"]
        if kind == "episode":
            owner.extra["e"] = w.fresh_episode()
        elif kind == "own episode":
            # an episode of the caregiver's own (a caregiver deletes only those: see
            # test_a_caregiver_deletes_only_the_episodes_and_recordings_they_added); the owner's
            # otherwise
            owner.extra["e"] = w.fresh_episode("caregiver" if actor == "caregiver" else "owner")
        elif kind == "attachment":
            owner.extra["a"] = w.fresh_attachment()
        elif kind == "own attachment":
            owner.extra["a"] = w.fresh_attachment("caregiver" if actor == "caregiver" else "owner")
        elif kind == "eeg":
            owner.extra["a"] = w.fresh_eeg()
        elif kind == "video":
            owner.extra["a"] = w.fresh_video()
        elif kind == "link":
            owner.extra["l"] = w.fresh_link()
        elif kind == "treatment":
            owner.extra["t"] = w.fresh_treatment()
        elif kind == "milestone":
            owner.extra["m"] = w.fresh_milestone()
        elif kind == "child":
            owner.extra["x"] = w.fresh_child()
        elif kind == "member":
            owner.extra["u"] = w.fresh_member()
        elif kind == "invitation":
            owner.extra["i"], owner.extra["k"] = w.fresh_invitation()
        return call(w, p, actor)

    return run


def shared(path: str, eeg: bool = False, video: bool = False) -> Call:
    def run(w: World, p: Person, actor: str) -> Any:
        token = w.token if actor == "share" else "not-a-valid-token"
        fresh = w.fresh_eeg if eeg else w.fresh_video if video else w.fresh_attachment
        w.people["owner"].extra["a"] = fresh()
        return p.client.get(path.format(t=token, **ids(w)), follow_redirects=False)

    return run


def api_upload(w: World, p: Person, actor: str) -> Any:
    with EDF_FILE.open("rb") as f:
        return p.api(
            "POST",
            f"/api/v1/children/{w.target or w.child}/attachments",
            files={"file": ("x.edf", f)},
        )


def form_upload(w: World, p: Person, actor: str) -> Any:
    with EDF_FILE.open("rb") as f:
        return p.form(
            f"/children/{w.target or w.child}/attachments",
            {"episode_id": ""},
            files={"file": ("x.edf", f, "application/octet-stream")},
        )


def queued_episode(w: World, p: Person, actor: str) -> Any:
    """An episode sent from a phone's queue, with a key of its own."""
    return p.api(
        "POST",
        f"/api/v1/children/{ids(w)['c']}/episodes/form",
        data={"movements": "head_nod", "state": "just_woke", "count": "5"},
        headers={"Idempotency-Key": f"key-{uuid.uuid4().hex}"},
    )


def account_delete_reached(w: World, p: Person, actor: str) -> Any:
    """Deleting an account asks for its password: a wrong one gives a signed-in person the
    form again (422), and an owner is told to delete the diary first (409): the route let
    them in; nobody is deleted."""
    response = p.form("/settings/delete", {"password": "not the password"})
    reached = {422: 'id="delete_password-error"', 409: 'id="delete-h"'}  # in any language
    if response.status_code in reached and reached[response.status_code] in response.text:
        return SimpleNamespace(status_code=200, headers={})
    return response


def invitation_taken_up(w: World, p: Person, actor: str) -> Any:
    """Each actor takes up an invitation link to a child made for this check (the owner's
    own: the page says so), so that no role for the world's children changes."""
    with w.app.state.db.transaction() as s:
        owner = repo.user_by_email(s, w.people["owner"].email)
        assert owner is not None
        invited_to = repo.create_child(s, owner.id, "Invited").id
    _, token = w.fresh_invitation(invited_to)
    return p.form(f"/invite/{token}")


def reached_unconfirmed(path: str) -> Call:
    """A change asked for without its box ticked: an actor the route lets in is told to
    tick it (422), or an owner that they cannot leave their own diary (409); nothing
    changes, so the world stays as it is for the other checks."""

    def run(w: World, p: Person, actor: str) -> Any:
        response = p.form(path.format(**ids(w)), {})
        # the box is asked for after the role is checked, so a 422 naming it (or the
        # owner's 409) is an answer only an actor let in gets
        reached = response.status_code == 409 or (
            response.status_code == 422 and "confirm" in response.text
        )
        return SimpleNamespace(status_code=200, headers={}) if reached else response

    return run


def own_token_revoke(w: World, p: Person, actor: str) -> Any:
    """Each signed-in actor revokes a token of their own (anybody else gets 404)."""
    made = p.form("/settings/token", {"label": "t"})
    found = [int(x) for x in __import__("re").findall(r"/settings/token/(\d+)/revoke", made.text)]
    return p.form(f"/settings/token/{found[0] if found else 1}/revoke")


HELSINKI = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg1.edf"
CHILD_BODY = {"name": "Renamed", "child": {"age_months": 7}}
CHECK_FORM = {"age_months": "6", "movements": ["head_nod"], "state": "just_woke", "count": "5"}
CHECK_CASE = '{"child":{"age_months":6},"episodes":[{"movements":["head_nod"]}]}'
TRIAGE_BODY = {"child": {"age_months": 6}, "episodes": [{"movements": ["head_nod"]}]}
TREATMENT_BODY = {"drug": "prednisolone", "dose": "10 mg", "start_date": "2026-11-20"}
MILESTONE_BODY = {"skill": "sits", "status": "achieved", "on_date": "2026-11-01"}
WORKUP_BODY = {"test": "eeg", "status": "booked", "on_date": "2027-01-05"}
#: The box a deletion asks to be ticked.
CONFIRMED = {"confirm": "yes"}

# (method, route path as registered, needs, how to call it)
MATRIX: list[tuple[str, str, str, Call]] = [
    ("GET", "/", "public", page_get("/")),
    ("GET", "/guide", "public", page_get("/guide")),
    ("GET", "/check", "public", page_get("/check")),
    ("GET", "/now", "public", page_get("/now")),
    ("GET", "/log", "public", page_get("/log")),
    ("GET", "/offline", "public", page_get("/offline")),
    ("GET", "/reminders", "public", page_get("/reminders")),
    ("GET", "/sw.js", "public", page_get("/sw.js")),
    ("GET", "/manifest.webmanifest", "public", page_get("/manifest.webmanifest")),
    ("GET", "/report/tables.css", "public", page_get("/report/tables.css")),
    ("GET", "/language/{locale}", "public", page_get("/language/es?next=/guide")),
    ("GET", "/api/v1/offline/session", "public", api("GET", "/api/v1/offline/session")),
    ("POST", "/check", "public", form_post("/check", CHECK_FORM)),
    ("POST", "/check/keep", "public", form_post("/check/keep", {"case": CHECK_CASE})),
    ("POST", "/check/words", "public", form_post("/check/words", {"words": "head nods"})),
    (
        "POST",
        "/api/v1/episode-draft",
        "public",
        api("POST", "/api/v1/episode-draft", json={"text": "head nods"}),
    ),
    ("POST", "/api/v1/triage", "public", api("POST", "/api/v1/triage", json=TRIAGE_BODY)),
    ("GET", "/signup", "public", page_get("/signup")),
    ("GET", "/invite/{token}", "public", with_fresh("invitation", page_get("/invite/{k}"))),
    ("POST", "/invite/{token}", "user", invitation_taken_up),
    ("GET", "/api/docs", "public", page_get("/api/docs")),
    ("GET", "/reset", "public", page_get("/reset")),
    ("POST", "/reset", "public", form_post("/reset", {"email": "owner@example.org"})),
    ("GET", "/signin", "public", page_get("/signin")),
    ("GET", "/login", "public", page_get("/login?next=/children")),
    ("GET", "/log-in", "public", page_get("/log-in")),
    ("GET", "/sign-in", "public", page_get("/sign-in")),
    ("POST", "/signout", "public", form_post("/signout")),
    # the sign-out page: its GET signs nobody out (the checks after it need the session)
    ("GET", "/signout", "public", page_get("/signout")),
    ("GET", "/logout", "public", page_get("/logout")),
    ("GET", "/log-out", "public", page_get("/log-out")),
    ("GET", "/sign-out", "public", page_get("/sign-out")),
    ("GET", "/sign-up", "public", page_get("/sign-up")),
    ("GET", "/register", "public", page_get("/register")),
    ("GET", "/settings", "user", page_get("/settings")),
    ("GET", "/settings/export", "user", page_get("/settings/export")),
    ("POST", "/settings/token", "user", form_post("/settings/token")),
    ("POST", "/settings/token/{token_id}/revoke", "user", own_token_revoke),
    (
        "POST",
        "/settings/password",
        "user",
        form_post("/settings/password", {"current_password": PASSWORD, "new_password": PASSWORD}),
    ),
    ("POST", "/settings/signout-all", "user", form_post("/settings/signout-all")),
    ("POST", "/settings/delete", "user", account_delete_reached),
    ("GET", "/children", "user", page_get("/children")),
    ("GET", "/children/new", "user", page_get("/children/new")),
    ("POST", "/children/new", "user", form_post("/children/new", {"name": "N", "age_months": "3"})),
    ("GET", "/children/{child_id}", "view", page_get("/children/{c}")),
    (
        "POST",
        "/children/{child_id}/episodes/words",
        "log",
        form_post("/children/{c}/episodes/words", {"words": "head nods"}),
    ),
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
        with_fresh("link", form_post("/children/{c}/share/{l}/revoke", {"confirm": "yes"})),
    ),
    (
        "POST",
        "/children/{child_id}/members",
        "own",
        form_post("/children/{c}/members", {"email": "viewer@example.org", "role": "viewer"}),
    ),
    (
        "POST",
        "/children/{child_id}/members/{user_id}/remove",
        "own",
        with_fresh("member", form_post("/children/{c}/members/{u}/remove")),
    ),
    (
        "POST",
        "/children/{child_id}/members/{user_id}/owner",
        "own",
        with_fresh("member", reached_unconfirmed("/children/{c}/members/{u}/owner")),
    ),
    ("POST", "/children/{child_id}/leave", "view", reached_unconfirmed("/children/{c}/leave")),
    (
        "POST",
        "/children/{child_id}/invitations/{invitation_id}/remove",
        "own",
        with_fresh("invitation", form_post("/children/{c}/invitations/{i}/remove")),
    ),
    (
        "POST",
        "/children/{child_id}/invitations/{invitation_id}/renew",
        "own",
        with_fresh("invitation", form_post("/children/{c}/invitations/{i}/renew")),
    ),
    (
        "GET",
        "/children/{child_id}/attachments/{attachment_id}",
        "view",
        with_fresh("attachment", page_get("/children/{c}/attachments/{a}")),
    ),
    ("POST", "/children/{child_id}/attachments", "log", form_upload),
    (
        "GET",
        "/children/{child_id}/attachments/{attachment_id}/clips/{number}",
        "view",
        with_fresh("video", page_get("/children/{c}/attachments/{a}/clips/1")),
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
        with_fresh("own episode", form_post("/children/{c}/episodes/{e}/delete", CONFIRMED)),
    ),
    (
        "POST",
        "/children/{child_id}/attachments/{attachment_id}/delete",
        "log",
        with_fresh("own attachment", form_post("/children/{c}/attachments/{a}/delete", CONFIRMED)),
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
    ("GET", "/children/{child_id}/clinician", "view", page_get("/children/{c}/clinician")),
    ("GET", "/children/{child_id}/report.html", "view", page_get("/children/{c}/report.html")),
    ("GET", "/children/{child_id}/package.html", "view", page_get("/children/{c}/package.html")),
    ("GET", "/s/{token}", "share", shared("/s/{t}")),
    ("GET", "/s/{token}/report.pdf", "share", shared("/s/{t}/report.pdf")),
    ("GET", "/s/{token}/report.html", "share", shared("/s/{t}/report.html")),
    ("GET", "/s/{token}/package.html", "share", shared("/s/{t}/package.html")),
    ("GET", "/s/{token}/fhir", "share", shared("/s/{t}/fhir")),
    ("GET", "/s/{token}/episodes.csv", "share", shared("/s/{t}/episodes.csv")),
    ("GET", "/s/{token}/csv.zip", "share", shared("/s/{t}/csv.zip")),
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
    (
        "GET",
        "/s/{token}/attachments/{attachment_id}/clips/{number}",
        "share",
        shared("/s/{t}/attachments/{a}/clips/1", video=True),
    ),
    (
        "GET",
        "/children/{child_id}/attachments/{attachment_id}/eeg",
        "view",
        with_fresh("eeg", page_get("/children/{c}/attachments/{a}/eeg")),
    ),
    (
        "GET",
        "/children/{child_id}/attachments/{attachment_id}/eeg/page.svg",
        "view",
        with_fresh("eeg", page_get("/children/{c}/attachments/{a}/eeg/page.svg?t=5&gain=20")),
    ),
    (
        "GET",
        "/s/{token}/attachments/{attachment_id}/eeg",
        "share",
        shared("/s/{t}/attachments/{a}/eeg", eeg=True),
    ),
    (
        "GET",
        "/s/{token}/attachments/{attachment_id}/eeg/page.svg",
        "share",
        shared("/s/{t}/attachments/{a}/eeg/page.svg?t=5", eeg=True),
    ),
    ("GET", "/api/v1/children", "user", api("GET", "/api/v1/children")),
    ("POST", "/api/v1/children/{child_id}/episodes/form", "log", queued_episode),
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
        with_fresh("own episode", api("DELETE", "/api/v1/children/{c}/episodes/{e}")),
    ),
    (
        "DELETE",
        "/api/v1/children/{child_id}/attachments/{attachment_id}",
        "log",
        with_fresh("own attachment", api("DELETE", "/api/v1/children/{c}/attachments/{a}")),
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
    (
        "GET",
        "/api/v1/children/{child_id}/attachments/{attachment_id}/analysis",
        "view",
        with_fresh("attachment", api("GET", "/api/v1/children/{c}/attachments/{a}/analysis")),
    ),
    # Treatments, milestones, the work-up: pages' forms and the API.
    (
        "POST",
        "/children/{child_id}/treatments",
        "log",
        form_post("/children/{c}/treatments", TREATMENT_BODY),
    ),
    (
        "GET",
        "/children/{child_id}/treatments/{treatment_id}/edit",
        "log",
        with_fresh("treatment", page_get("/children/{c}/treatments/{t}/edit")),
    ),
    (
        "POST",
        "/children/{child_id}/treatments/{treatment_id}/edit",
        "log",
        with_fresh("treatment", form_post("/children/{c}/treatments/{t}/edit", TREATMENT_BODY)),
    ),
    (
        "POST",
        "/children/{child_id}/treatments/{treatment_id}/delete",
        "log",
        with_fresh("treatment", form_post("/children/{c}/treatments/{t}/delete")),
    ),
    (
        "POST",
        "/children/{child_id}/milestones",
        "log",
        form_post("/children/{c}/milestones", MILESTONE_BODY),
    ),
    (
        "GET",
        "/children/{child_id}/milestones/{milestone_id}/edit",
        "log",
        with_fresh("milestone", page_get("/children/{c}/milestones/{m}/edit")),
    ),
    (
        "POST",
        "/children/{child_id}/milestones/{milestone_id}/edit",
        "log",
        with_fresh("milestone", form_post("/children/{c}/milestones/{m}/edit", MILESTONE_BODY)),
    ),
    (
        "POST",
        "/children/{child_id}/milestones/{milestone_id}/delete",
        "log",
        with_fresh("milestone", form_post("/children/{c}/milestones/{m}/delete")),
    ),
    ("POST", "/children/{child_id}/workup", "log", form_post("/children/{c}/workup", WORKUP_BODY)),
    ("GET", "/api/v1/children/{child_id}/care", "view", api("GET", "/api/v1/children/{c}/care")),
    (
        "GET",
        "/api/v1/children/{child_id}/csv.zip",
        "view",
        api("GET", "/api/v1/children/{c}/csv.zip"),
    ),
    (
        "GET",
        "/api/v1/children/{child_id}/treatments",
        "view",
        api("GET", "/api/v1/children/{c}/treatments"),
    ),
    (
        "POST",
        "/api/v1/children/{child_id}/treatments",
        "log",
        api("POST", "/api/v1/children/{c}/treatments", json=TREATMENT_BODY),
    ),
    (
        "GET",
        "/api/v1/children/{child_id}/treatments/{treatment_id}",
        "view",
        with_fresh("treatment", api("GET", "/api/v1/children/{c}/treatments/{t}")),
    ),
    (
        "PUT",
        "/api/v1/children/{child_id}/treatments/{treatment_id}",
        "log",
        with_fresh(
            "treatment", api("PUT", "/api/v1/children/{c}/treatments/{t}", json=TREATMENT_BODY)
        ),
    ),
    (
        "DELETE",
        "/api/v1/children/{child_id}/treatments/{treatment_id}",
        "log",
        with_fresh("treatment", api("DELETE", "/api/v1/children/{c}/treatments/{t}")),
    ),
    (
        "GET",
        "/api/v1/children/{child_id}/milestones",
        "view",
        api("GET", "/api/v1/children/{c}/milestones"),
    ),
    (
        "POST",
        "/api/v1/children/{child_id}/milestones",
        "log",
        api("POST", "/api/v1/children/{c}/milestones", json=MILESTONE_BODY),
    ),
    (
        "PUT",
        "/api/v1/children/{child_id}/milestones/{milestone_id}",
        "log",
        with_fresh(
            "milestone", api("PUT", "/api/v1/children/{c}/milestones/{m}", json=MILESTONE_BODY)
        ),
    ),
    (
        "DELETE",
        "/api/v1/children/{child_id}/milestones/{milestone_id}",
        "log",
        with_fresh("milestone", api("DELETE", "/api/v1/children/{c}/milestones/{m}")),
    ),
    (
        "GET",
        "/api/v1/children/{child_id}/workup",
        "view",
        api("GET", "/api/v1/children/{c}/workup"),
    ),
    (
        "PUT",
        "/api/v1/children/{child_id}/workup",
        "log",
        api("PUT", "/api/v1/children/{c}/workup", json=WORKUP_BODY),
    ),
]
# Routes that need no authorisation and are not data: sign-up and sign-in submissions are
# covered by the page tests, the OpenAPI pages are public documentation.
UNLISTED = {("POST", "/signup"), ("POST", "/signin"), ("POST", "/reset/code")}
#: Calls that end the actor's session: signing out everywhere is checked last, once the
#: other checks are done; signing out by test_signout_for_everyone.
SIGNING_OUT = [("POST", "/settings/signout-all"), ("POST", "/signout")]


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


def app_routes(app: Any) -> set[tuple[str, str]]:
    """(method, path) of every API route the app serves, routers included."""
    found: set[tuple[str, str]] = set()

    def walk(routes: list[Any], prefix: str) -> None:
        for route in routes:
            included = getattr(route, "original_router", None)  # FastAPI's lazy routers
            if included is not None:
                context = getattr(route, "include_context", None)
                walk(included.routes, prefix + (getattr(context, "prefix", "") or ""))
            elif isinstance(route, APIRoute):
                found.update((method, prefix + route.path) for method in route.methods)

    walk(app.routes, "")
    return found


def test_every_route_is_in_the_matrix(tmp_path: Path) -> None:
    routes = app_routes(new_app(tmp_path))
    assert len(routes) > 30
    listed = {(m, p) for m, p, _, _ in MATRIX} | UNLISTED
    assert routes - listed == set(), "routes missing from the authorisation matrix"
    assert listed - routes == set(), "the matrix lists routes the app does not have"


def test_authorisation_matrix(tmp_path: Path, database_url: str) -> None:
    world = build_world(tmp_path, database_url)
    failures = []
    for method, path, needs, call in MATRIX:
        for actor in ACTORS:
            if (method, path) in SIGNING_OUT:
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
    # Last, the routes that sign the actor out (each signs out only its own browsers).
    calls = {(method, path): call for method, path, _, call in MATRIX}
    for method, path in SIGNING_OUT[:1]:
        call = calls[method, path]
        for actor in ACTORS:
            response = call(world, world.people[actor], actor)
            if response.status_code != 303 or "/signin" not in response.headers["location"]:
                failures.append(f"{method} {path} as {actor}: {response.status_code}")
    assert failures == []


# Routes naming a child and something of it (an episode, a file, a link, a member...).
MIXED = [row for row in MATRIX if "{child_id}" in row[1] and row[1].count("{") >= 2]


def test_ids_mixed_across_families(tmp_path: Path, database_url: str) -> None:
    """Another family's owner names their own child with this family's episode, file,
    link, member or invitation: always 404, nothing seen or changed."""
    world = build_world(tmp_path, database_url)
    other = world.people["other"]
    assert len(MIXED) >= 12
    failures = []
    for method, path, _needs, call in MIXED:
        world.target = world.theirs
        try:
            response = call(world, other, "other")
        finally:
            world.target = world.child
        if response.status_code != 404:
            failures.append(f"{method} {path}: {response.status_code}")
    assert failures == []


def test_signout_for_everyone(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "a@example.org")
    assert person.form("/signout").status_code == 303
    assert person.client.get("/children", follow_redirects=False).status_code == 303
    nobody = anonymous(app)
    assert nobody.form("/signout").status_code == 303


def test_a_caregiver_deletes_only_the_episodes_and_recordings_they_added(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org", "Owner")
    carer = sign_up(app, "carer@example.org", "Carer")
    child = add_child(owner)
    add_member(owner, child, carer, "caregiver")
    owners = log_episode(owner, child)
    carers = log_episode(carer, child)
    # What the owner saw stays: not by the form, not by the API, and no button offers it.
    refused = carer.form(f"/children/{child}/episodes/{owners}/delete")
    assert refused.status_code == 403
    assert "Only the person who logged this episode" in refused.text
    assert carer.api("DELETE", f"/api/v1/children/{child}/episodes/{owners}").status_code == 403
    page = carer.client.get(f"/children/{child}").text
    assert f"/episodes/{owners}/delete" not in page and f"/episodes/{carers}/delete" in page
    # Their own goes; the owner deletes anyone's.
    assert carer.form(f"/children/{child}/episodes/{carers}/delete", CONFIRMED).status_code == 303
    assert owner.api("GET", f"/api/v1/children/{child}/episodes/{owners}").status_code == 200
    again = log_episode(carer, child)
    assert owner.form(f"/children/{child}/episodes/{again}/delete", CONFIRMED).status_code == 303
    left = owner.api("GET", f"/api/v1/children/{child}/episodes").json()
    assert [e["id"] for e in left] == [owners]
    # The same for recordings: what the owner filmed or recorded stays.
    owners_file, carers_file = upload(owner, child), upload(carer, child)
    refused = carer.form(f"/children/{child}/attachments/{owners_file}/delete")
    assert refused.status_code == 403
    assert "Only the person who added this recording" in refused.text
    api_path = f"/api/v1/children/{child}/attachments/{owners_file}"
    assert carer.api("DELETE", api_path).status_code == 403
    page = carer.client.get(f"/children/{child}").text
    assert f"/attachments/{owners_file}/delete" not in page
    assert f"/attachments/{carers_file}/delete" in page
    carers_delete = f"/children/{child}/attachments/{carers_file}/delete"
    assert carer.form(carers_delete, CONFIRMED).status_code == 303
    assert owner.api("GET", api_path).status_code == 200
