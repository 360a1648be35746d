"""The share panel: where the link points (``SPASMWATCH_PUBLIC_URL`` or the address the page
was opened with), the plain words when only the computer that runs spasmwatch can open it,
the copy button and the QR code, the links listed with their expiry, revoking one (asked
first); and the diary's FHIR and CSV exports at the link, while it lasts, named by the
child and the day."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime, timedelta
from html import unescape
from pathlib import Path

import pytest

from spasmwatch.config import Settings, public_url
from spasmwatch.errors import SpasmwatchError
from spasmwatch.store import repo
from web.webworld import add_child, anonymous, log_episode, new_app, share, sign_up


def _made(person, child: int, host: str | None = None) -> tuple[str, str]:
    """Make a link; the page that shows it (opened at ``host``) and the link's address."""
    response = person.form(f"/children/{child}/share", {"label": "Dr Lee", "days": "7"})
    assert response.status_code == 303
    headers = {"host": host} if host else {}
    page = person.client.get(response.headers["location"], headers=headers)
    assert page.status_code == 200
    found = re.search(r'<code id="share-url">([^<]+)</code>', page.text)
    assert found, "the new link is shown"
    return page.text, found.group(1)


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000"])
def test_a_link_made_on_a_loopback_address_says_it_works_here_only(
    tmp_path: Path, host: str
) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    html, url = _made(owner, child, host)
    assert url.startswith(f"http://{host}/s/")
    # "this computer" read on the phone would mean the phone
    assert "This link opens only on the computer that runs spasmwatch." in html
    # The parent is told first what they can do; the set-up steps wait in a closed box
    # for whoever runs the app.
    assert "What you can do now: download the report (PDF) above" in html
    setup = html.split('<details class="small setup-help">', 1)[1].split("</details>", 1)[0]
    assert "For whoever set up this app" in setup
    assert "spasmwatch serve --host 0.0.0.0" in setup
    assert "SPASMWATCH_PUBLIC_URL" in setup
    # No QR code of an address a phone scanning it could not open.
    assert 'class="qr"' not in html
    assert 'data-copy="share-url"' in html and "/static/share.js" in html


def test_a_link_made_on_the_home_network_has_a_qr_code(tmp_path: Path) -> None:

    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    html, url = _made(owner, child, "192.168.1.20:8000")
    assert url.startswith("http://192.168.1.20:8000/s/")
    assert "opens only on the computer that runs" not in html
    svg = re.search(r'<svg role="img" viewBox="[^"]+" class="qr">.*?</svg>', html, re.S)
    assert svg, "an inline SVG QR code"
    assert "<title>QR code of the link</title>" in svg.group(0)
    assert "<script" not in svg.group(0) and "style=" not in svg.group(0)
    # The QR code says the same address as the text (segno's own reading of the matrix).
    import segno

    qr = segno.make(url, error="m")
    expected = qr.svg_inline(border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr")
    path_of = re.compile(r'd="([^"]+)"')
    assert path_of.findall(svg.group(0)) == path_of.findall(expected)


def test_the_public_address_makes_the_link_and_opens_the_diary(tmp_path: Path) -> None:
    app = new_app(tmp_path, public_url="https://diary.example.org")
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    html, url = _made(owner, child, "127.0.0.1:8000")
    token = url.rsplit("/s/", 1)[1]
    assert url == f"https://diary.example.org/s/{token}"
    assert "opens only on the computer that runs" not in html
    assert 'class="qr"' in html
    # The path is the app's: the same token opens the diary.
    assert anonymous(app).client.get(f"/s/{token}").status_code == 200


def test_links_are_listed_with_their_expiry_and_shown_once(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    _made(owner, child)
    page = owner.client.get(f"/children/{child}").text
    assert "Dr Lee" in page and "valid until" in page
    assert 'id="share-url"' not in page  # the token is not kept: shown once
    # A made-up token in the address shows nothing; so does another user's page.
    assert 'id="share-url"' not in owner.client.get(f"/children/{child}?shared=x").text


def test_a_new_link_is_never_in_the_address_and_only_a_live_one_is_shown(
    tmp_path: Path,
) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    made = owner.form(f"/children/{child}/share", {"label": "Dr Lee", "days": "7"})
    assert made.headers["location"] == f"/children/{child}#sharing"
    token = owner.client.cookies["sw_new_link"]
    assert token not in made.headers["location"]
    cookie = made.headers["set-cookie"].lower()
    assert (
        "httponly" in cookie and "samesite=strict" in cookie and f"path=/children/{child}" in cookie
    )
    page = owner.client.get(f"/children/{child}").text
    assert f"/s/{token}</code>" in page
    # once: a reload does not show it again
    assert 'id="share-url"' not in owner.client.get(f"/children/{child}").text
    # a made-up or revoked token put in the cookie shows nothing
    link_id = int(re.findall(rf"/children/{child}/share/(\d+)/revoke", page)[0])
    owner.form(f"/children/{child}/share/{link_id}/revoke", {"confirm": "yes"})
    for bad in (token, "A" * 43):
        owner.client.cookies.delete("sw_new_link")
        owner.client.cookies.set("sw_new_link", bad, path=f"/children/{child}")
        assert 'id="share-url"' not in owner.client.get(f"/children/{child}").text
    # nor is it shown on another child's page
    other = add_child(owner, "Leo")
    fresh = owner.form(f"/children/{child}/share", {"label": "Dr Lee", "days": "7"})
    assert fresh.status_code == 303
    live = re.search(r"sw_new_link=([^;]+)", fresh.headers["set-cookie"])
    assert live is not None
    owner.client.cookies.delete("sw_new_link")
    owner.client.cookies.set("sw_new_link", live.group(1), path=f"/children/{other}")
    assert 'id="share-url"' not in owner.client.get(f"/children/{other}").text


@pytest.mark.parametrize(
    "raw",
    [
        "diary.example.org",
        "ftp://diary.example.org",
        "https://",
        "https://diary.example.org/?a=1",
        "https://diary.example.org/#x",
        "https://user@diary.example.org",
        "https://diary.example.org:99999",
        "https://diary example.org",
    ],
)
def test_a_bad_public_address_is_refused_with_a_clear_message(raw: str) -> None:
    with pytest.raises(SpasmwatchError, match=r"SPASMWATCH_PUBLIC_URL.*https://"):
        Settings.from_env({"SPASMWATCH_PUBLIC_URL": raw})


def test_the_public_address_is_read_from_the_environment() -> None:
    env = {"SPASMWATCH_PUBLIC_URL": " https://diary.example.org/family/ "}
    assert Settings.from_env(env).public_url == "https://diary.example.org/family"
    assert Settings.from_env({}).public_url is None
    assert public_url("http://192.168.1.20:8000") == "http://192.168.1.20:8000"


def test_revoking_a_link_asks_first(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    token, link_id = share(owner, child)
    doctor = anonymous(app)
    page = owner.client.get(f"/children/{child}").text
    asked = re.search(r'<details class="revoke">.*?</details>', page, re.S)
    assert asked, "Revoke opens a question, not a button that revokes at once"
    # a box to tick that the browser asks for (no script needed), naming the link
    assert 'name="confirm" value="yes" required' in asked.group(0)
    assert "Yes, revoke the link for Dr Who" in asked.group(0)
    assert f'action="/children/{child}/share/{link_id}/revoke"' in asked.group(0)
    # Sent without the box ticked: refused, the box named, in the page's language; the
    # link still opens.
    refused = owner.form(f"/children/{child}/share/{link_id}/revoke")
    assert refused.status_code == 422
    assert "Invalid value for 'confirm': tick the box to revoke the link" in unescape(refused.text)
    owner.client.cookies.set("sw_lang", "es")
    refused = owner.form(f"/children/{child}/share/{link_id}/revoke", {"confirm": "no"})
    assert refused.status_code == 422
    assert "marque la casilla para revocar el enlace" in refused.text
    owner.client.cookies.set("sw_lang", "en")
    assert doctor.client.get(f"/s/{token}").status_code == 200
    # Ticked: revoked; the list says so and asks nothing more.
    done = owner.form(f"/children/{child}/share/{link_id}/revoke", {"confirm": "yes"})
    assert done.status_code == 303 and done.headers["location"] == f"/children/{child}#sharing"
    assert doctor.client.get(f"/s/{token}").status_code == 404
    page = owner.client.get(f"/children/{child}").text
    assert "revoked" in page and '<details class="revoke">' not in page
    with app.state.db.reading() as s:
        assert [e.action for e in repo.audit_for(s, child)].count("revoke_share") == 1


def test_the_doctor_downloads_fhir_and_csv_while_the_link_lasts(
    tmp_path: Path, database_url: str
) -> None:
    app = new_app(tmp_path, database_url)
    owner = sign_up(app, "owner@example.org", "Ana Parent")
    child = add_child(owner, "Mia")
    log_episode(owner, child)
    token, link_id = share(owner, child)
    doctor = anonymous(app)
    page = doctor.client.get(f"/s/{token}").text
    for path in ("fhir", "episodes.csv", "csv.zip"):
        assert f'href="/s/{token}/{path}" download' in page

    fhir = doctor.client.get(f"/s/{token}/fhir")
    assert fhir.status_code == 200
    assert fhir.headers["content-type"].startswith("application/fhir+json")
    today = date.today().isoformat()
    assert fhir.headers["content-disposition"] == (
        f'attachment; filename="spasmwatch-fhir-mia-{today}.json"; '
        f"filename*=UTF-8''spasmwatch-fhir-mia-{today}.json"
    )
    bundle = fhir.json()
    assert bundle["resourceType"] == "Bundle"
    patients = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert patients[0]["name"][0]["text"] == "Mia"
    unnamed = doctor.client.get(f"/s/{token}/fhir?name=0")
    assert "Mia" not in json.dumps(unnamed.json())
    # left out of the bundle, the name is left out of its file name too
    assert (
        f'filename="spasmwatch-fhir-child-{today}.json"' in unnamed.headers["content-disposition"]
    )
    # The same episodes as the family's own export.
    csv = doctor.client.get(f"/s/{token}/episodes.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert f'filename="spasmwatch-episodes-mia-{today}.csv"' in csv.headers["content-disposition"]
    assert csv.text == owner.api("GET", f"/api/v1/children/{child}/episodes.csv").text
    tables = doctor.client.get(f"/s/{token}/csv.zip")
    assert tables.headers["content-type"] == "application/zip"
    assert f'filename="spasmwatch-tables-mia-{today}.zip"' in tables.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(tables.content)) as archive:
        assert set(archive.namelist()) == {
            "episodes.csv",
            "treatments.csv",
            "milestones.csv",
            "workup.csv",
            "recordings.csv",
        }
    # Read-only: nothing goes in through the link.
    assert doctor.client.post(f"/s/{token}/episodes.csv", content=b"x").status_code == 405

    # Audited as exports through the link, shown to the owner by the link's label.
    app.state.read_audit.flush()
    with app.state.db.reading() as s:
        entries = repo.audit_for(s, child)
    exports = [e for e in entries if e.action.startswith("export_") and e.user_id is None]
    assert sorted(e.action for e in exports) == [
        "export_csv",
        "export_csv",
        "export_fhir",
        "export_fhir",
    ]
    assert all(e.share_link_id == link_id for e in exports)
    activity = owner.client.get(f"/children/{child}").text.split('id="log-h"')[1]
    assert "exported as FHIR · share link “Dr Who”" in activity

    # Expired or revoked: nothing.
    with app.state.db.transaction() as s:
        link = repo.get_share_link(s, child, link_id)
        assert link is not None
        link.expires_at = datetime.now() - timedelta(minutes=1)
    for path in ("fhir", "episodes.csv", "csv.zip"):
        assert doctor.client.get(f"/s/{token}/{path}").status_code == 404
    fresh, fresh_id = share(owner, child)
    assert doctor.client.get(f"/s/{fresh}/fhir").status_code == 200
    owner.form(f"/children/{child}/share/{fresh_id}/revoke", {"confirm": "yes"})
    for path in ("fhir", "episodes.csv", "csv.zip"):
        gone = doctor.client.get(f"/s/{fresh}/{path}")
        assert gone.status_code == 404 and "expired or been revoked" in gone.text
