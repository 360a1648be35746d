"""The clinician view for a member of the diary (``/children/{id}/clinician``): a
neurologist the family invited as a viewer reads the diary as at a share link, without a
link; the owner and a caregiver may open it too. Its recordings, clips, images, analyses,
report, package and exports lead to the diary's own addresses (checked and audited as the
member's), never to a share link's; the child page links it for every member, and the list
of children of an account that is only a viewer opens each child there first."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.store import repo
from web.webworld import (
    EDF_FILE,
    SPASM_EPISODE,
    Person,
    add_child,
    add_member,
    anonymous,
    log_episode,
    new_app,
    sign_up,
    upload,
)

#: Every address a page leads to or asks for: links, sources, forms, buttons, htmx.
ADDRESS = re.compile(r'\b(?:href|src|action|formaction|hx-get|hx-post)="([^"]*)"')


@pytest.fixture(scope="module")
def diary(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A family's diary of three weeks with an analysed video of a spasm cluster on one of
    its episodes; a caregiver and a neurologist (viewer) invited into it; a stranger."""
    from report.diary import cluster_video

    tmp = tmp_path_factory.mktemp("clinician-member")
    app = new_app(tmp)
    owner = sign_up(app, "owner@example.org", "Ana Parent")
    child = add_child(owner, "Mia")
    today = date.today()
    episodes = [
        log_episode(owner, child, {**SPASM_EPISODE, "started_at": f"{day}T07:05:00"})
        for day in (today - timedelta(days=back) for back in (20, 3, 2, 1))
    ]
    video = cluster_video(tmp / "cluster.mp4")
    with video.open("rb") as f:
        sent = owner.form(
            f"/children/{child}/attachments",
            {"episode_id": str(episodes[-1])},
            files={"file": (video.name, f, "video/mp4")},
        )
    assert sent.status_code == 303, sent.text
    with app.state.db.reading() as s:
        (row,) = repo.attachments_for(s, child)
    assert row.analysis["status"] == "done", row.analysis
    caregiver = sign_up(app, "grandma@example.org", "Grandma")
    add_member(owner, child, caregiver, "caregiver")
    neurologist = sign_up(app, "neuro@example.org", "Dr Neuro")
    add_member(owner, child, neurologist, "viewer")
    stranger = sign_up(app, "stranger@example.org", "Stranger")
    return {
        "app": app,
        "child": child,
        "video": row.id,
        "episode": episodes[-1],
        "owner": owner,
        "caregiver": caregiver,
        "viewer": neurologist,
        "stranger": stranger,
    }


def _addresses(html: str) -> list[str]:
    return [unescape(a) for a in ADDRESS.findall(html)]


def _view_entries(app: Any, child: int) -> list[Any]:
    app.state.read_audit.flush()
    with app.state.db.reading() as s:
        return [e for e in repo.audit_for(s, child, 1000) if e.action.startswith("view_")]


@pytest.mark.parametrize("role", ["viewer", "caregiver", "owner"])
def test_a_member_reads_the_clinician_view_at_the_diarys_own_addresses(
    diary: dict[str, Any], role: str
) -> None:
    app, child, video = diary["app"], diary["child"], diary["video"]
    member: Person = diary[role]
    before = _view_entries(app, child)
    page = member.client.get(f"/children/{child}/clinician")
    assert page.status_code == 200, page.text
    html = page.text
    # the clinician view: the summary first, the reasoning, the recordings, the table
    assert "clinician view" in html
    assert "4 episodes, 40 movements" in html and "Ana Parent" in html
    assert html.index('id="summary-h"') < html.index('id="video-h"') < html.index('id="episodes-h"')
    assert 'class="reasons"' in html and "spasm-series" in html
    # the recording's analysis, said for a doctor, with nothing that changes the diary
    analysis = html[html.index(f'id="analysis-{video}"') :]
    assert "Video analysis:" in analysis and "Watch the video" in analysis
    assert "Analyse again" not in html and "Delete this video" not in html
    assert 'name="csrf_token"' not in html.split('<main id="main">', 1)[1]
    # said as the member's view of their diary, with their role: no link, no expiry
    notice = html[html.index('class="notice small member-clinician"') :].split("</p>", 1)[0]
    assert f"Clinician view of Mia's diary, which you are a member of (your role: {role})" in (
        unescape(notice)
    )
    assert "shared by the family" not in html and "valid until" not in html
    assert f'href="/children/{child}"' in notice
    # the member's own menu stays (children, sign out); the family's reminder does not
    assert 'href="/children"' in html and 'action="/signout"' in html
    assert 'href="/reminders"' not in html and 'id="queue"' not in html
    # every address of the page is the diary's own, none a share link's
    addresses = _addresses(html)
    assert not [a for a in addresses if "/s/" in a], [a for a in addresses if "/s/" in a]
    base = f"/children/{child}"
    for wanted in (
        f"{base}/report.pdf",
        f"{base}/package.html",
        f"/api/v1{base}/fhir",
        f"/api/v1{base}/episodes.csv",
        f"/api/v1{base}/csv.zip",
        f"{base}/attachments/{video}",
    ):
        assert wanted in addresses, wanted
    # the period form shows this view again, for another period
    assert f'formaction="{base}/clinician"' in html
    assert f'href="{base}/clinician?from=' in html
    # a clip and an analysis picture answer the member
    clips = [a for a in addresses if a.startswith(f"{base}/attachments/{video}/clips/")]
    images = [a for a in addresses if a.startswith(f"{base}/attachments/{video}/images/")]
    assert clips and images
    clip = member.client.get(clips[0])
    assert clip.status_code == 200 and clip.headers["content-type"] == "video/mp4"
    image = member.client.get(images[0])
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"
    played = member.client.get(f"{base}/attachments/{video}?inline=1")
    assert played.status_code == 200
    assert member.client.get(f"/api/v1{base}/episodes.csv").status_code == 200
    # one audit entry for the opening, the member's own; none of a share link
    seen = {e.id for e in before}
    new = [e for e in _view_entries(app, child) if e.id not in seen]
    opened = [e for e in new if e.action == "view_child"]
    assert len(opened) == 1, [(e.action, e.detail) for e in new]
    with app.state.db.reading() as s:
        user = repo.user_by_email(s, member.email)
    assert user is not None and opened[0].user_id == user.id
    assert opened[0].detail == "clinician" and opened[0].share_link_id is None
    assert not [e for e in new if e.action.endswith("_shared")]


def test_a_period_narrows_it_and_a_bad_one_is_named(diary: dict[str, Any]) -> None:
    viewer, child = diary["viewer"], diary["child"]
    start = (date.today() - timedelta(days=3)).isoformat()
    page = viewer.client.get(f"/children/{child}/clinician?from={start}")
    assert page.status_code == 200
    assert "3 episodes, 30 movements" in page.text and f'value="{start}"' in page.text
    bad = viewer.client.get(f"/children/{child}/clinician?from=yesterday")
    assert bad.status_code == 422 and "a date as YYYY-MM-DD" in bad.text


def test_no_one_else_reads_it(diary: dict[str, Any]) -> None:
    app, child = diary["app"], diary["child"]
    before = len(_view_entries(app, child))
    assert diary["stranger"].client.get(f"/children/{child}/clinician").status_code == 404
    assert diary["viewer"].client.get("/children/999999/clinician").status_code == 404
    nobody = anonymous(app).client.get(f"/children/{child}/clinician", follow_redirects=False)
    assert nobody.status_code == 303
    assert nobody.headers["location"] == f"/signin?next=/children/{child}/clinician"
    assert len(_view_entries(app, child)) == before


def test_the_analysis_asked_for_again_keeps_the_clinicians_reading(diary: dict[str, Any]) -> None:
    """While an analysis waits or runs, the view asks for its part again: in a member's
    clinician view it asks for the clinician's reading, which the diary's own address gives
    without "Analyse again"; asked for plainly, the family's reading as before."""
    owner, child, video = diary["owner"], diary["child"], diary["video"]
    url = f"/children/{child}/attachments/{video}/analysis"
    doctor = owner.client.get(f"{url}?for=clinician").text
    assert "Watch the video" in doctor and "Analyse again" not in doctor
    family = owner.client.get(url).text
    assert "Analyse again" in family and "Watch the video" not in family


@pytest.mark.parametrize("role", ["viewer", "caregiver", "owner"])
def test_the_child_page_links_it_for_every_member(diary: dict[str, Any], role: str) -> None:
    child = diary["child"]
    html = diary[role].client.get(f"/children/{child}").text
    links = html[html.index('<p class="report-links">') :].split("</p>", 1)[0]
    assert f'href="/children/{child}/clinician"' in links
    assert "Clinician view (for the doctor)" in links
    # the rest of the report links stay
    assert f'href="/children/{child}/report.pdf"' in links


def test_an_account_that_only_reads_lists_each_clinician_view_first(
    diary: dict[str, Any],
) -> None:
    child = diary["child"]
    viewer = diary["viewer"].client.get("/children").text
    item = viewer[viewer.index('<ul class="list">') :].split("</li>", 1)[0]
    hrefs = _addresses(item)
    assert hrefs[0] == f"/children/{child}/clinician", hrefs
    assert f"/children/{child}" in hrefs  # the family's page beside it
    assert 'href="/children/new"' in viewer  # everything else stays
    # a family's own list opens the child's page, as before
    for role in ("owner", "caregiver"):
        listed = diary[role].client.get("/children").text
        item = listed[listed.index('<ul class="list">') :].split("</li>", 1)[0]
        assert _addresses(item)[0] == f"/children/{child}"
        assert "/clinician" not in item


def test_a_viewer_of_one_diary_who_owns_another_keeps_the_familys_list(
    tmp_path: Path,
) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Mia")
    parent_doctor = sign_up(app, "doc@example.org")
    own = add_child(parent_doctor, "Leo")
    add_member(owner, child, parent_doctor, "viewer")
    listed = parent_doctor.client.get("/children").text
    assert "/clinician" not in listed
    assert f'href="/children/{child}"' in listed and f'href="/children/{own}"' in listed


def test_the_clinician_view_in_spanish_for_a_member(diary: dict[str, Any]) -> None:
    viewer, child = diary["viewer"], diary["child"]
    html = viewer.client.get(f"/children/{child}/clinician", headers={"Accept-Language": "es"}).text
    assert "vista para el médico" in html
    assert "persona lectora" in html


def test_the_eeg_viewer_opened_from_it_leads_back_to_it(diary: dict[str, Any]) -> None:
    """An EEG's traces opened from the member's clinician view: the viewer's pages keep
    where it was opened from, its way back leads to the clinician view, and opening it is
    audited once, as opened from the family's page it is."""
    app, child, viewer = diary["app"], diary["child"], diary["viewer"]
    eeg = upload(diary["owner"], child, EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg1.edf")
    view = viewer.client.get(f"/children/{child}/clinician").text
    opened = f"/children/{child}/attachments/{eeg}/eeg?for=clinician"
    assert opened in _addresses(view)

    def eeg_views() -> int:
        app.state.read_audit.flush()
        with app.state.db.reading() as s:
            return sum(e.action == "eeg_view" for e in repo.audit_for(s, child, 1000))

    before = eeg_views()
    page = viewer.client.get(opened)
    assert page.status_code == 200
    links = _addresses(page.text)
    assert f"/children/{child}/clinician#recording-{eeg}" in links
    assert f"/children/{child}#recording-{eeg}" not in links
    following = [a for a in links if "/eeg?" in a and "t=" in a]
    assert following and all("for=clinician" in a for a in following)
    assert eeg_views() == before + 1
    viewer.client.get(following[0])  # a page of it: not another opening
    assert eeg_views() == before + 1
    # opened from the family's page, the way back is the family's page
    family = _addresses(viewer.client.get(f"/children/{child}/attachments/{eeg}/eeg").text)
    assert f"/children/{child}#recording-{eeg}" in family
