"""The pages with the test client, on SQLite and PostgreSQL: accounts, the child page with
triage first, the episode form, uploads, sharing, and that bad input loses nothing."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from pathlib import Path

import av
import numpy as np
import pytest

from spasmwatch.store import repo
from web.webworld import (
    EDF_FILE,
    PASSWORD,
    SPASM_EPISODE,
    SPASM_FORM,
    add_child,
    add_member,
    anonymous,
    csrf_of,
    log_episode,
    new_app,
    share,
    sign_up,
    upload,
)


@pytest.fixture(scope="module")
def small_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 1 s H.264 MP4 (64x48, 10 fps)."""
    path = tmp_path_factory.mktemp("video") / "clip.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(10):
            image = np.full((48, 64, 3), i * 20, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def test_sign_up_sign_in_and_out(tmp_path: Path, database_url: str) -> None:
    app = new_app(tmp_path, database_url)
    sign_up(app, "ann@example.org", "Ann")
    visitor = anonymous(app)
    wrong = visitor.form("/signin", {"email": "ann@example.org", "password": "nope"})
    assert wrong.status_code == 401 and "not right" in wrong.text
    assert 'value="ann@example.org"' in wrong.text
    ok = visitor.form(
        "/signin", {"email": "ANN@example.org", "password": PASSWORD, "next": "/settings"}
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/settings"
    cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert visitor.client.get("/settings").status_code == 200


def test_sign_in_never_redirects_elsewhere(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    sign_up(app, "ann@example.org")
    visitor = anonymous(app)
    response = visitor.form(
        "/signin",
        {"email": "ann@example.org", "password": PASSWORD, "next": "https://evil.example"},
    )
    assert response.headers["location"] == "/children"
    # nor to another site written as a path a browser reads as one
    for elsewhere in ("//evil.example/x", "/\\evil.example/x"):
        response = anonymous(app).form(
            "/signin", {"email": "ann@example.org", "password": PASSWORD, "next": elsewhere}
        )
        assert response.headers["location"] == "/children"


def test_the_usual_sign_up_and_sign_out_addresses(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    visitor = anonymous(app)
    for alias in ("/sign-up", "/register"):
        moved = visitor.client.get(alias, follow_redirects=False)
        assert moved.status_code == 301 and moved.headers["location"] == "/signup"
    assert 'action="/signup"' in visitor.client.get("/register").text
    ann = sign_up(app, "ann@example.org")
    for alias in ("/logout", "/log-out", "/sign-out"):
        moved = ann.client.get(alias, follow_redirects=False)
        assert moved.status_code == 301 and moved.headers["location"] == "/signout"
        # the page offers the button; opening it signs nobody out
        page = ann.client.get(alias)
        assert page.status_code == 200
        assert re.search(r'<form method="post" action="/signout"[^>]*>', page.text)
        assert "Sign out of spasmwatch in this browser (ann@example.org)?" in page.text
        assert ann.client.get("/children", follow_redirects=False).status_code == 200
    # its button signs out
    signed_out = ann.form("/signout")
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/signin"
    assert ann.client.get("/children", follow_redirects=False).status_code == 303
    # nobody signed in: to the sign-in page
    for alias in ("/signout", "/logout"):
        away = ann.client.get(alias, follow_redirects=True)
        assert away.status_code == 200 and str(away.url).endswith("/signin")


def test_the_sign_out_page_in_spanish(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    ann = sign_up(app, "ann@example.org")
    page = ann.client.get("/logout", headers={"Accept-Language": "es"})
    assert page.status_code == 200
    assert "Cerrar sesión" in page.text
    assert "¿Cerrar la sesión de spasmwatch en este navegador (ann@example.org)?" in page.text


def test_the_usual_sign_in_addresses_lead_to_the_sign_in_page(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    sign_up(app, "ann@example.org")
    visitor = anonymous(app)
    for alias in ("/login", "/log-in", "/sign-in"):
        plain = visitor.client.get(alias, follow_redirects=False)
        assert plain.status_code == 301 and plain.headers["location"] == "/signin"
        kept = visitor.client.get(f"{alias}?next=/children/3%3Fall%3D1", follow_redirects=False)
        assert kept.headers["location"] == "/signin?next=%2Fchildren%2F3%3Fall%3D1"
        # an address elsewhere is not carried along (sign-in would not follow it either)
        for elsewhere in ("https://evil.example/", "//evil.example", "/\\evil.example"):
            away = visitor.client.get(alias, params={"next": elsewhere}, follow_redirects=False)
            assert away.headers["location"] == "/signin"
    # The page it leads to keeps ``next`` for after signing in.
    page = visitor.client.get("/login?next=/settings")
    assert page.status_code == 200 and 'name="next" value="/settings"' in page.text
    signed = visitor.form(
        "/signin", {"email": "ann@example.org", "password": PASSWORD, "next": "/settings"}
    )
    assert signed.headers["location"] == "/settings"


def test_sign_up_errors_are_shown_by_field_and_keep_input(
    tmp_path: Path, database_url: str
) -> None:
    app = new_app(tmp_path, database_url)
    sign_up(app, "taken@example.org")
    visitor = anonymous(app)
    response = visitor.form(
        "/signup", {"email": "taken@example.org", "display_name": "Bob", "password": "short"}
    )
    assert response.status_code == 422
    assert 'id="password-error"' in response.text and "at least 10" in response.text
    assert 'value="Bob"' in response.text
    response = visitor.form(
        "/signup", {"email": "taken@example.org", "display_name": "Bob", "password": PASSWORD}
    )
    assert "exists" in response.text
    with app.state.db.transaction() as s:
        assert repo.user_by_email(s, "bob@example.org") is None


def test_forms_without_csrf_token_are_refused(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    response = person.client.post(
        f"/children/{child}/episodes/new", data=SPASM_FORM, follow_redirects=False
    )
    assert response.status_code == 403
    response = person.client.post(f"/api/v1/children/{child}/episodes", json=SPASM_EPISODE)
    assert response.status_code == 403
    with app.state.db.transaction() as s:
        assert repo.episodes_for(s, child) == []


def test_child_page_shows_whose_answer_then_the_triage(tmp_path: Path, database_url: str) -> None:
    app = new_app(tmp_path, database_url)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    response = person.form(f"/children/{child}/episodes/new", SPASM_FORM)
    assert response.status_code == 303
    page = person.client.get(f"/children/{child}").text
    main = page.split('<main id="main">')[1]
    # the child's name first (whose answer it is), then, once, that the episode was
    # saved, then the answer
    assert main.lstrip().startswith('<h1 id="child-name">Mia</h1>')
    saved, answer = main.split("</h1>", 1)[1].split("</p>", 1)
    assert saved.lstrip().startswith('<p class="notice episode-saved" id="episode-saved"')
    assert saved.rstrip().endswith("Episode saved in Mia's diary.")
    assert answer.lstrip().startswith('<section id="triage" class="triage level-same_day"')
    again = person.client.get(f"/children/{child}").text.split('<main id="main">')[1]
    assert (
        again.split("</h1>", 1)[1]
        .lstrip()
        .startswith('<section id="triage" class="triage level-same_day"')
    )
    assert "Possible infantile spasms: contact a doctor</h2>" in main
    assert "spasm-series" in main and "EEG" in main
    assert "head drops or bobs forward" in main  # the timeline in plain words
    # A visit today: the number to call if a warning sign appears is a tap away.
    assert "If a warning sign appears" in main and 'href="tel:' in main.split("</section>")[0]
    with app.state.db.transaction() as s:
        stored = repo.latest_triage(s, child)
        assert stored is not None and stored.level == "same_day" and stored.rules_version


def test_emergency_instruction_comes_before_anything_else(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    # a warning sign seen just now (one seen days ago: tests/web/test_warning_sign_age.py)
    just_now = datetime.now().replace(second=0, microsecond=0).isoformat(timespec="minutes")
    form = {**SPASM_FORM, "red_flags": ["blue_or_grey"], "started_at": just_now}
    person.form(f"/children/{child}/episodes/new", form)
    main = person.client.get(f"/children/{child}").text.split('<main id="main">')[1]
    first = re.sub(r"\s+", " ", main)[:400]
    assert "level-emergency" in first and "Call emergency services now" in first
    # The list of children calls from its emergency badge too.
    listing = person.client.get("/children").text.split('<main id="main">')[1]
    assert "level-emergency" in listing and 'class="button call" href="tel:' in listing


def test_bad_episode_form_keeps_what_was_typed_and_saves_nothing(
    tmp_path: Path, database_url: str
) -> None:
    app = new_app(tmp_path, database_url)
    person = sign_up(app, "ann@example.org")
    child = add_child(person, age="6")
    bad = {**SPASM_FORM, "count": "lots", "fever_c": "51", "notes": "kept note"}
    response = person.form(f"/children/{child}/episodes/new", bad)
    assert response.status_code == 422
    assert 'id="count-error"' in response.text and "whole number" in response.text
    assert 'id="fever_c-error"' in response.text and "at most 44" in response.text
    assert 'value="lots"' in response.text and "kept note" in response.text
    assert 'value="head_nod" checked' in response.text
    assert 'value="just_woke" checked' in response.text
    long_notes = person.form(f"/children/{child}/episodes/new", {**SPASM_FORM, "notes": "x" * 5001})
    assert long_notes.status_code == 422
    assert "too long; at most 5000 characters" in long_notes.text
    assert "&#39;notes&#39;" not in long_notes.text  # the field as the page names it
    no_moves = person.form(f"/children/{child}/episodes/new", {"state": "awake"})
    assert 'id="movements-error"' in no_moves.text
    with app.state.db.transaction() as s:
        assert repo.episodes_for(s, child) == []


def test_episode_before_birth_is_refused_next_to_the_date(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    response = person.form("/children/new", {"name": "Leo", "birth_date": "2026-06-01"})
    child = int(response.headers["location"].rsplit("/", 1)[1])
    form = {**SPASM_FORM, "started_at": "2026-05-01T08:00"}
    response = person.form(f"/children/{child}/episodes/new", form)
    assert response.status_code == 422 and 'id="started_at-error"' in response.text


def test_child_form_errors(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    response = person.form("/children/new", {"name": "", "age_months": "300"})
    assert response.status_code == 422
    assert 'id="name-error"' in response.text and 'id="age_months-error"' in response.text
    response = person.form("/children/new", {"name": "Leo"})
    assert 'id="age_months-error"' in response.text  # an age or a birth date is needed
    with app.state.db.transaction() as s:
        assert repo.children_for_user(s, 1) == []


def test_video_upload_with_the_episode(
    tmp_path: Path, database_url: str, small_video: Path
) -> None:
    app = new_app(tmp_path, database_url)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    with small_video.open("rb") as f:
        response = person.form(
            f"/children/{child}/episodes/new",
            SPASM_FORM,
            files={"video": ("clip.mp4", f, "video/mp4")},
        )
    assert response.status_code == 303, response.text
    page = person.client.get(f"/children/{child}").text
    link = re.search(rf'href="(/children/{child}/attachments/\d+)">clip.mp4', page)
    assert link
    download = person.client.get(link.group(1))
    assert download.status_code == 200 and download.content == small_video.read_bytes()


def test_upload_checked_by_content_and_size(tmp_path: Path, database_url: str) -> None:
    app = new_app(tmp_path, database_url, max_upload_bytes=100_000)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    fake = tmp_path / "holiday.mp4"
    fake.write_bytes(b"this is not a video at all" * 100)
    with fake.open("rb") as f:
        response = person.form(
            f"/children/{child}/episodes/new", SPASM_FORM, files={"video": (fake.name, f)}
        )
    assert (
        response.status_code == 422
        and "holiday.mp4" in response.text
        and "not a video" in response.text
    )
    with EDF_FILE.open("rb") as f:  # 4.6 kB, under the limit: accepted as EEG
        api = person.api(
            "POST", f"/api/v1/children/{child}/attachments", files={"file": ("h.edf", f)}
        )
    assert api.status_code == 201 and api.json()["kind"] == "eeg"
    big = tmp_path / "big.edf"
    big.write_bytes(EDF_FILE.read_bytes() * 40)
    with big.open("rb") as f:
        api = person.api(
            "POST", f"/api/v1/children/{child}/attachments", files={"file": (big.name, f)}
        )
    assert api.status_code == 413 and "big.edf" in api.json()["detail"][0]
    with app.state.db.transaction() as s:
        assert repo.episodes_for(s, child) == []
        assert len(repo.attachments_for(s, child)) == 1
    leftovers = [p for p in (tmp_path / "data" / "attachments").rglob("*") if p.is_file()]
    assert len(leftovers) == 1


HELSINKI_EDF = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg22.edf"


def test_a_file_cut_short_is_refused_where_it_was_sent_and_nothing_is_kept(
    tmp_path: Path, database_url: str, small_video: Path
) -> None:
    # a file that starts like an EDF or an MP4 but cannot be read is refused at upload,
    # named, without the store's path; the recordings form says so on the child's page
    app = new_app(tmp_path, database_url)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    edf, mp4 = HELSINKI_EDF.read_bytes(), small_video.read_bytes()
    cut = {
        "header.edf": (edf[:1000], "truncated"),
        "data.edf": (edf[: len(edf) // 2], "truncated"),
        "clip.mp4": (mp4[:600], "cannot be read"),
    }
    for name, (content, why) in cut.items():
        (tmp_path / name).write_bytes(content)
        with (tmp_path / name).open("rb") as f:
            page = person.form(f"/children/{child}/attachments", files={"file": (name, f)})
        assert page.status_code == 422, name
        text = page.text
        assert (
            f"&#39;{name}&#39; starts like" in text and why in text and "Nothing was saved" in text
        )
        assert 'id="recording-file"' in text and 'aria-invalid="true"' in text
        assert "Sign out" in text or "sign out" in text.lower()  # still signed in
        assert ".upload-" not in text and str(tmp_path) not in text
        with (tmp_path / name).open("rb") as f:
            api = person.api(
                "POST", f"/api/v1/children/{child}/attachments", files={"file": (name, f)}
            )
        assert api.status_code == 422 and f"'{name}' starts like" in api.json()["detail"][0]
    with (tmp_path / "clip.mp4").open("rb") as f:
        form = person.form(
            f"/children/{child}/episodes/new", SPASM_FORM, files={"video": ("clip.mp4", f)}
        )
    assert form.status_code == 422 and "starts like a video" in form.text
    # the whole files are taken
    with HELSINKI_EDF.open("rb") as f:
        kept = person.form(f"/children/{child}/attachments", files={"file": ("eeg22.edf", f)})
    assert kept.status_code == 303
    with app.state.db.transaction() as s:
        assert repo.episodes_for(s, child) == []
        assert [a.filename for a in repo.attachments_for(s, child)] == ["eeg22.edf"]
    stored = [p for p in (tmp_path / "data" / "attachments").rglob("*") if p.is_file()]
    assert len(stored) == 1


def test_an_unknown_address_and_a_refusal_are_pages_for_whoever_is_signed_in(
    tmp_path: Path, database_url: str
) -> None:
    app = new_app(tmp_path, database_url)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    missing = person.client.get(
        "/nonexistent", headers={"referer": f"http://testserver/children/{child}"}
    )
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "Sorry" in missing.text and "sign out" in missing.text.lower()
    assert "There is no page at this address" in missing.text
    assert f'href="/children/{child}">Back to the previous page' in missing.text
    # another site's page is not offered as the way back
    elsewhere = person.client.get("/nonexistent", headers={"referer": "https://example.com/x"})
    assert "Back to the previous page" not in elsewhere.text
    twice = person.client.get("/nonexistent", headers={"referer": "http://testserver//evil.org/"})
    assert "Back to the previous page" not in twice.text
    visitor = anonymous(app).client.get("/nonexistent")
    assert visitor.status_code == 404 and "Sign in" in visitor.text
    # the API keeps answering in JSON
    assert person.client.get("/api/v1/nonexistent").json() == {"detail": "Not Found"}
    empty = person.form(f"/children/{child}/attachments", files={"file": ("none.mp4", b"")})
    assert empty.status_code == 422 and "“none.mp4” is empty. Nothing was saved." in empty.text


def test_edit_and_delete_episode(tmp_path: Path, database_url: str) -> None:
    app = new_app(tmp_path, database_url)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    episode = log_episode(person, child)
    form_page = person.client.get(f"/children/{child}/episodes/{episode}/edit").text
    assert 'value="2026-11-20T07:05"' in form_page and 'value="10"' in form_page
    edited = {**SPASM_FORM, "movements": ["hiccups"], "count": "1"}
    assert person.form(f"/children/{child}/episodes/{episode}/edit", edited).status_code == 303
    assert person.api("GET", f"/api/v1/children/{child}/triage").json()["level"] == "routine"
    # Deleting asks first: a box to tick (the browser asks for it, no script needed) ...
    page = person.client.get(f"/children/{child}").text
    asked = re.search(r'<details class="delete-ask delete-episode">.*?</details>', page, re.S)
    assert asked, "Delete opens a question, not a button that deletes at once"
    assert 'name="confirm" value="yes" required' in asked.group(0)
    assert "Yes, delete this episode and the files attached to it" in asked.group(0)
    assert "hx-confirm" not in page
    # ... which the server checks too: sent without it (a script, an older page), nothing
    # is deleted and the page says what to tick, in its language.
    delete = f"/children/{child}/episodes/{episode}/delete"
    for unticked in ({}, {"confirm": "no"}):
        refused = person.form(delete, unticked)
        assert refused.status_code == 422
        assert (
            "Invalid value for 'confirm': tick the box to delete the episode; nothing was "
            "deleted" in unescape(refused.text)
        )
    refused = person.form(delete, headers={"HX-Request": "true"})
    assert refused.status_code == 422
    person.client.cookies.set("sw_lang", "es")
    refused = person.form(delete)
    assert refused.status_code == 422 and "marque la casilla" in unescape(refused.text)
    person.client.cookies.set("sw_lang", "en")
    with app.state.db.transaction() as s:
        assert len(repo.episodes_for(s, child)) == 1
    assert person.form(delete, {"confirm": "yes"}).status_code == 303
    with app.state.db.transaction() as s:
        assert repo.episodes_for(s, child) == []


def _version(form_page: str) -> str:
    match = re.search(r'name="version" value="([0-9a-f]+)"', form_page)
    assert match, "the edit form carries the version it was opened at"
    return match.group(1)


def test_two_tabs_editing_one_episode_do_not_undo_each_other(
    tmp_path: Path, database_url: str
) -> None:
    app = new_app(tmp_path, database_url)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    episode = log_episode(person, child)
    url = f"/children/{child}/episodes/{episode}/edit"
    tab_a = _version(person.client.get(url).text)
    tab_b = _version(person.client.get(url).text)
    assert tab_a == tab_b
    first = {**SPASM_FORM, "count": "9", "version": tab_a}
    assert person.form(url, first).status_code == 303
    # the second tab still holds the episode as it was: its save is refused, nothing lost
    second = {**SPASM_FORM, "notes": "typed in the other tab", "version": tab_b}
    refused = person.form(url, second)
    assert refused.status_code == 409
    assert "Someone changed this episode after you opened it" in refused.text
    assert "typed in the other tab" in refused.text  # what was typed is still on the page
    with app.state.db.transaction() as s:
        (row,) = repo.episodes_for(s, child)
        assert row.data["count"] == 9 and "notes" not in row.data
    # sent again from that page (which now holds the new version), it replaces it knowingly
    again = {**second, "version": _version(refused.text)}
    assert person.form(url, again).status_code == 303
    with app.state.db.transaction() as s:
        (row,) = repo.episodes_for(s, child)
        assert row.data["notes"] == "typed in the other tab" and row.data["count"] == 10
    # a form without a version (an older page) saves as before
    assert person.form(url, {**SPASM_FORM, "count": "7"}).status_code == 303


def test_an_edit_of_an_episode_deleted_meanwhile_keeps_what_was_typed(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    episode = log_episode(person, child)
    url = f"/children/{child}/episodes/{episode}/edit"
    version = _version(person.client.get(url).text)
    delete = f"/children/{child}/episodes/{episode}/delete"
    assert person.form(delete, {"confirm": "yes"}).status_code == 303
    late = person.form(url, {**SPASM_FORM, "notes": "my long note", "version": version})
    assert late.status_code == 409
    assert "This episode was deleted after you opened it" in late.text
    assert "my long note" in late.text
    assert f'action="/children/{child}/episodes/new"' in late.text  # saved as a new one
    with app.state.db.transaction() as s:
        assert repo.episodes_for(s, child) == []


def test_the_api_replaces_an_episode_only_at_the_version_it_read(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    episode = log_episode(person, child)
    path = f"/api/v1/children/{child}/episodes/{episode}"
    read = person.api("GET", path).json()
    body = {**read["episode"], "count": 4}
    ok = person.api("PUT", path, json=body, headers={"If-Match": f'"{read["version"]}"'})
    assert ok.status_code == 200 and ok.json()["version"] != read["version"]
    stale = person.api(
        "PUT", path, json={**body, "count": 5}, headers={"If-Match": read["version"]}
    )
    assert stale.status_code == 409 and "Someone changed this episode" in stale.text
    assert person.api("GET", path).json()["episode"]["count"] == 4
    # without If-Match (or with *) the last write wins, as before
    assert person.api("PUT", path, json={**body, "count": 6}).status_code == 200
    assert person.api("PUT", path, json=body, headers={"If-Match": "*"}).status_code == 200


def test_share_link_is_read_only_revocable_and_audited(tmp_path: Path, database_url: str) -> None:
    app = new_app(tmp_path, database_url)
    owner = sign_up(app, "ann@example.org")
    child = add_child(owner)
    log_episode(owner, child)
    token, link_id = share(owner, child)
    clinician = anonymous(app)
    page = clinician.client.get(f"/s/{token}")
    assert page.status_code == 200
    assert "Read-only view" in page.text and "Possible infantile spasms" in page.text
    # The page itself (the header's offline messages name "Log an episode" as a button).
    main = page.text.split('<main id="main">', 1)[1]
    assert "Log an episode" not in main and "/delete" not in main and "Edit" not in main
    owner.form(f"/children/{child}/share/{link_id}/revoke", {"confirm": "yes"})
    assert clinician.client.get(f"/s/{token}").status_code == 404
    with app.state.db.transaction() as s:
        actions = [e.action for e in repo.audit_for(s, child)]
    assert "view_shared" in actions and "revoke_share" in actions and "share" in actions


def test_settings_api_token_works_for_scripts(tmp_path: Path, database_url: str) -> None:
    app = new_app(tmp_path, database_url)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    page = person.form("/settings/token", {"scope": "write", "days": "30"})
    token = re.search(r'id="api-token">([^<]+)<', page.text).group(1)
    script = anonymous(app).client
    headers = {"Authorization": f"Bearer {token}"}
    response = script.post(
        f"/api/v1/children/{child}/episodes", json=SPASM_EPISODE, headers=headers
    )
    assert response.status_code == 201 and response.json()["triage"]["level"] == "same_day"
    bad = script.get("/api/v1/children", headers={"Authorization": "Bearer wrong"})
    assert bad.status_code == 401


def test_children_list_and_csrf_cookie(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    add_child(person, "Zoe")
    add_child(person, "Abe")
    page = person.client.get("/children").text
    assert page.index("Abe") < page.index("Zoe")
    assert csrf_of(page) == person.csrf


HELSINKI_CLIP = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg1.edf"


def test_uploaded_files_are_analysed_and_shown(tmp_path: Path, small_video: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    with HELSINKI_CLIP.open("rb") as f:
        response = person.api(
            "POST", f"/api/v1/children/{child}/attachments", files={"file": ("night.edf", f)}
        )
    assert response.status_code == 201
    assert response.json()["analysis"]["status"] == "queued"  # a job for the worker
    eeg = response.json()["id"]
    with EDF_FILE.open("rb") as f:  # annotations only: nothing to analyse
        hypnogram = person.api(
            "POST", f"/api/v1/children/{child}/attachments", files={"file": ("h.edf", f)}
        ).json()["id"]
    # The test app runs queued jobs itself after each answer (inline_jobs), and the test
    # client runs that before it returns: the analyses are finished.
    listed = {a["id"]: a for a in person.api("GET", f"/api/v1/children/{child}/attachments").json()}
    done = listed[eeg]["analysis"]
    assert done["status"] == "done" and done["result"]["recording"]["path"] == "night.edf"
    assert set(done["images"]) == {"amplitude", "spike_density", "spectrogram"}
    failed = listed[hypnogram]["analysis"]
    assert failed["status"] == "failed" and "h.edf" in failed["error"]
    image = person.client.get(f"/children/{child}/attachments/{eeg}/images/amplitude")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert person.client.get(f"/children/{child}/attachments/{eeg}/images/nope").status_code == 404
    fragment = person.client.get(f"/children/{child}/attachments/{eeg}/analysis").text
    assert "EEG analysis" in fragment and "hx-get" not in fragment
    # 30 s of EEG: the hypsarrhythmia assessment says it cannot assess, with its reasons
    assert "Hypsarrhythmia (automated assessment): <strong>cannot be assessed</strong>" in fragment
    assert "only 30 s of usable EEG" in fragment
    # ... said in the page's language, from the stored result's measures
    person.client.cookies.set("sw_lang", "es")
    spanish = person.client.get(f"/children/{child}/attachments/{eeg}/analysis").text
    assert "solo 30 s de EEG útil (&lt; 120 s)" in spanish
    assert "only 30 s" not in spanish and "BASED-like score" not in spanish
    person.client.cookies.set("sw_lang", "en")
    token, _ = share(person, child)
    clinician = anonymous(app)
    shared_image = clinician.client.get(f"/s/{token}/attachments/{eeg}/images/spectrogram")
    assert shared_image.status_code == 200
    assert "EEG analysis" in clinician.client.get(f"/s/{token}").text


def test_an_analysis_can_be_run_again_at_another_sensitivity(
    tmp_path: Path, database_url: str
) -> None:
    app = new_app(tmp_path, database_url)
    owner = sign_up(app, "ann@example.org")
    viewer = sign_up(app, "vic@example.org", "Vic")
    child = add_child(owner)
    add_member(owner, child, viewer, "viewer")
    eeg = upload(owner, child, HELSINKI_CLIP)
    twin = upload(owner, child, HELSINKI_CLIP)  # the same content, a second attachment
    twin_image = f"/children/{child}/attachments/{twin}/images/amplitude"
    twin_before = owner.client.get(twin_image).content
    base = f"/children/{child}/attachments/{eeg}/analysis"

    def analysis() -> dict:
        listed = owner.api("GET", f"/api/v1/children/{child}/attachments").json()
        return {a["id"]: a for a in listed}[eeg]["analysis"]

    assert analysis()["sensitivity"] == "normal"
    # the owner sees the choice, a viewer and a share link do not
    assert "Analyse again" in owner.client.get(base).text
    assert "Analyse again" not in viewer.client.get(base).text
    token, _ = share(owner, child)
    assert "Analyse again" not in anonymous(app).client.get(f"/s/{token}").text

    # the page form: htmx swaps in the running fragment, which polls until it is done
    response = owner.form(base, {"sensitivity": "low"}, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.text
    assert "Analysing the EEG" in response.text and f'hx-get="{base}"' in response.text
    fragment = owner.client.get(base).text  # the test client has run the analysis by now
    assert "EEG analysis" in fragment and "at low sensitivity" in fragment
    assert '<option value="low" selected>' in fragment
    # the twin keeps its own (normal) findings and images
    assert owner.client.get(twin_image).content == twin_before
    low_image = owner.client.get(f"/children/{child}/attachments/{eeg}/images/amplitude")
    assert low_image.status_code == 200 and low_image.content.startswith(b"\x89PNG")
    an = analysis()
    assert an["status"] == "done" and an["sensitivity"] == "low"
    assert an["result"]["settings"] == {
        "sensitivity": "low",
        "sz_threshold": 0.8,
        "sz_channels": 18,
        "sz_detector": "stevenson_cnn",
    }
    # without htmx: back to the child page, at the file
    response = owner.form(base, {"sensitivity": "normal"})
    assert response.status_code == 303
    assert response.headers["location"] == f"/children/{child}#analysis-{eeg}"

    # the API
    response = owner.api("POST", f"/api/v1{base}", json={"sensitivity": "high"})
    assert response.status_code == 202, response.text
    an = analysis()
    assert an["sensitivity"] == "high" and an["result"]["settings"]["sensitivity"] == "high"

    # a run again that fails leaves the analysis before it, and says what happened
    from spasmwatch.attachments import failed
    from spasmwatch.store import repo

    stopped = "the analysis was stopped (SIGTERM) before it finished; analyse it again"
    with app.state.db.transaction() as s:
        repo.set_attachment_analysis(s, eeg, failed(stopped, "low"))
    fragment = " ".join(owner.client.get(base).text.split())
    said = "The analysis was stopped before it finished (the server stopped)."
    assert f"Analysing it again at low sensitivity did not finish. {said}" in fragment
    assert f'<p lang="en">{stopped}</p>' in fragment  # the details
    assert "EEG analysis" in fragment and "at high sensitivity" in fragment
    image = owner.client.get(f"/children/{child}/attachments/{eeg}/images/amplitude")
    assert image.status_code == 200  # the images of the analysis shown
    assert analysis()["last_failure"]["sensitivity"] == "low"

    # bad values are named, and nothing changes
    response = owner.api("POST", f"/api/v1{base}", json={"sensitivity": "max"})
    assert response.status_code == 422
    assert (
        "'sensitivity'" in response.json()["detail"][0] and "'max'" in response.json()["detail"][0]
    )
    response = owner.api("POST", f"/api/v1{base}", json={"speed": 2})
    assert response.status_code == 422 and "Unknown field 'speed'" in response.json()["detail"][0]
    response = owner.form(base, {"sensitivity": "max"})
    assert response.status_code == 422
    an = analysis()
    assert an["sensitivity"] == "high"
    # a viewer may look, not start an analysis
    assert viewer.form(base, {"sensitivity": "low"}).status_code == 403
    with app.state.db.transaction() as s:
        actions = [e.detail for e in repo.audit_for(s, child) if e.action == "reanalyse"]
    assert f"{eeg} sensitivity low" in actions and f"{eeg} sensitivity high" in actions


def test_the_web_app_starts_without_the_analysers(tmp_path: Path) -> None:
    """A web process reads stored results: it does not load SciPy, OpenCV, FFmpeg or
    matplotlib, which only the analyses (the job worker) and a report's charts need."""
    import subprocess
    import sys

    code = (
        "import sys, pathlib; from spasmwatch.config import Settings; "
        "from spasmwatch.web import create_app; "
        f"create_app(Settings(data_dir=pathlib.Path({str(tmp_path)!r}))); "
        "from spasmwatch.report.build import assemble_report; "
        "from spasmwatch.eeg import EEGAnalysis; from spasmwatch.video import VideoAnalysis; "
        "print(sorted(m for m in ('scipy', 'cv2', 'av', 'matplotlib', 'weasyprint') "
        "if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_a_served_web_process_leaves_its_start_up_to_reference_counting(tmp_path: Path) -> None:
    """``spasmwatch serve``'s web processes freeze what they made while starting, so that
    the garbage collector's full collections no longer stop requests to traverse it."""
    import os
    import subprocess
    import sys

    code = (
        "import gc; from spasmwatch.web.app import create_served_app; "
        "app = create_served_app(); print(gc.get_freeze_count())"
    )
    env = {**os.environ, "SPASMWATCH_DATA_DIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout.strip().splitlines()[-1]) > 50_000


def test_the_day_chart_is_named_for_a_screen_reader(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    person = sign_up(app, "ann@example.org")
    child = add_child(person)
    today = datetime.now().replace(second=0, microsecond=0)
    log_episode(person, child, {**SPASM_EPISODE, "started_at": today.isoformat()})
    html = person.client.get(f"/children/{child}").text
    assert 'aria-labelledby="chart-title"' in html
    named = re.search(r'<title id="chart-title">([^<]+)</title>', html)
    assert named and named.group(1).startswith(
        "Episodes per day (top row) and movements per day (bottom row), each row on its own scale"
    )
    assert "dark" not in named.group(1) and "light" not in named.group(1)
    assert "&lt;title" not in html


def test_an_eeg_that_cannot_be_assessed_says_its_own_reason(tmp_path: Path) -> None:
    """short_psg.edf: 300 s, all usable, but 2 EEG channels: the page names the channels
    as the reason, not too little EEG, in both languages; the report says so too."""
    app = new_app(tmp_path)
    person = sign_up(app, "a@example.org")
    child = add_child(person)
    eeg = upload(person, child, EDF_FILE.with_name("short_psg.edf"))
    fragment = person.client.get(f"/children/{child}/attachments/{eeg}/analysis").text
    assert "<strong>cannot be assessed</strong>" in fragment
    assert "(too few channels to judge: this is not a “no”)" in fragment
    assert "too little usable EEG to judge" not in fragment
    person.client.cookies.set("sw_lang", "es")
    spanish = person.client.get(f"/children/{child}/attachments/{eeg}/analysis").text
    assert "(muy pocos canales para juzgar: esto no es un «no»)" in spanish
    person.client.cookies.set("sw_lang", "en")
    report = person.client.get(f"/children/{child}/report.html").text
    assert "only 2 channels: too few to judge multifocality" in report


def test_a_page_address_with_a_part_that_cannot_be_is_no_page(tmp_path: Path) -> None:
    person = sign_up(new_app(tmp_path), "ann@example.org")
    page = person.client.get("/children/abc")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "There is no page at this address" in page.text and "Input should be" not in page.text
    # The API still says what was wrong with what was sent.
    api = person.api("GET", "/api/v1/children/abc")
    assert api.status_code == 422 and "child_id" in api.json()["detail"][0]
