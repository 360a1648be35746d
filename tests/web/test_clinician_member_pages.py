"""The pages a doctor the family invited (a viewer of every diary they are in) reads around
the member's clinician view: their list of children leads with the diaries shared with
them, each opening in its clinician view, with no parents' emergency box and adding a child
a quiet link; the EEG viewer opened from that view keeps its frame (the view's header and
foot, their own menu) and its way back. And the reset page says how long a code works from
the one number that makes it expire (``diary.accounts.RESET_MINUTES``)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from spasmwatch.diary import accounts
from web.webworld import (
    EDF_FILE,
    SPASM_EPISODE,
    add_child,
    add_member,
    anonymous,
    log_episode,
    new_app,
    share,
    sign_up,
    upload,
)

#: Every address a page leads to or asks for: links, sources, forms.
ADDRESS = re.compile(r'\b(?:href|src|action)="([^"]*)"')
#: An EEG with traces to show (a clip of the Helsinki neonatal recordings).
EEG_CLIP = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg1.edf"
#: A warning sign: the diary's triage is an emergency.
WARNING_SIGN = {"red_flags": ["blue_or_grey"], "movements": ["limb_jerk"]}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Two families' diaries, one with an EEG with traces and one with an EEG file that
    has none (a hypnogram); a neurologist invited into both as a viewer; each family's
    owner; and a share link to the first."""
    app = new_app(tmp_path_factory.mktemp("clinician-member-pages"))
    owner = sign_up(app, "owner@example.org", "Ana Parent")
    child = add_child(owner, "Mia")
    log_episode(owner, child, SPASM_EPISODE)
    eeg = upload(owner, child, EEG_CLIP)
    hypnogram = upload(owner, child, EDF_FILE)
    other_owner = sign_up(app, "other@example.org", "Bo Parent")
    other = add_child(other_owner, "Leo")
    log_episode(other_owner, other, WARNING_SIGN)
    neurologist = sign_up(app, "neuro@example.org", "Dr Neuro")
    add_member(owner, child, neurologist, "viewer")
    add_member(other_owner, other, neurologist, "viewer")
    token, _ = share(owner, child)
    return {
        "app": app,
        "owner": owner,
        "child": child,
        "other": other,
        "eeg": eeg,
        "hypnogram": hypnogram,
        "viewer": neurologist,
        "token": token,
    }


def _main(html: str) -> str:
    return html.split('<main id="main">', 1)[1].split("</main>", 1)[0]


def _header(html: str) -> str:
    return html.split('<header class="top">', 1)[1].split("</header>", 1)[0]


def _foot(html: str) -> str:
    """The foot's note (its language links lead back to the page they are on)."""
    return html.split('<footer class="foot">', 1)[1].split("</p>", 1)[0]


def _addresses(html: str) -> list[str]:
    return [unescape(a) for a in ADDRESS.findall(html)]


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


# ------------------------------------------------------------------- the list of children
def test_a_viewer_only_account_leads_with_the_diaries_shared_with_it(
    world: dict[str, Any],
) -> None:
    child, other = world["child"], world["other"]
    html = world["viewer"].client.get("/").text  # signed in: "/" leads to the list
    main = _main(html)
    assert "<title>Diaries shared with you · spasmwatch</title>" in html
    assert re.search(r"<h1>Diaries shared with you</h1>", main)
    assert "<h1>Children</h1>" not in main
    # each child's clinician view first: the main's first links after the emergency call,
    # one per diary
    addresses = [a for a in _addresses(main) if not a.startswith("tel:")]
    views = {f"/children/{child}/clinician", f"/children/{other}/clinician"}
    assert addresses[0] in views, addresses
    assert views <= set(addresses)
    for listed in (child, other):
        assert f"/children/{listed}" in addresses  # the family's page beside its view
    # the emergency box stays: a viewer may be a grandparent beside the baby
    assert "Emergency?" in main and 'href="tel:112"' in main.split("<h1>", 1)[0]
    # a child whose triage is an emergency still says so in its row, with its call
    row = main.split(f'href="/children/{other}/clinician"', 1)[1].split("</li>", 1)[0]
    assert "level-emergency" in row and 'class="button call" href="tel:112"' in row
    # adding a child is still there, after the list, as a quiet link, not the main button
    add = re.search(r'<a[^>]*href="/children/new"[^>]*>([^<]*)</a>', main)
    assert add is not None and add.group(1) == "Add a child"
    assert "button" not in add.group(0)
    assert main.index('<ul class="list">') < add.start()
    assert world["viewer"].client.get("/children/new").status_code == 200


def test_an_owners_list_is_the_familys_as_before(world: dict[str, Any]) -> None:
    child = world["child"]
    main = _main(world["owner"].client.get("/children").text)
    # the emergency call first, then the children, then the main action: add a child
    assert main.lstrip().startswith('<section class="emergency-box"')
    assert 'class="button call" href="tel:112"' in main
    assert "<h1>Children</h1>" in main and "Diaries shared with you" not in main
    assert '<a class="button primary" href="/children/new">Add a child</a>' in main
    item = main[main.index('<ul class="list">') :].split("</li>", 1)[0]
    assert _addresses(item)[0] == f"/children/{child}" and "/clinician" not in item
    assert "The families were told" not in main


def test_a_viewer_who_also_owns_a_diary_keeps_the_familys_list(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Mia")
    parent_doctor = sign_up(app, "doc@example.org")
    add_child(parent_doctor, "Leo")
    add_member(owner, child, parent_doctor, "viewer")
    main = _main(parent_doctor.client.get("/children").text)
    assert main.lstrip().startswith('<section class="emergency-box"')
    assert '<a class="button primary" href="/children/new">Add a child</a>' in main
    assert "Diaries shared with you" not in main and "/clinician" not in main


# ------------------------------------------------------------------------ the EEG viewer
def test_the_eeg_viewer_from_the_members_clinician_view_has_that_views_frame(
    world: dict[str, Any],
) -> None:
    child, eeg, viewer = world["child"], world["eeg"], world["viewer"]
    page = viewer.client.get(f"/children/{child}/attachments/{eeg}/eeg?for=clinician")
    assert page.status_code == 200, page.text
    html = page.text
    header = _header(html)
    # the clinician view's header: its name, and the member's own menu, as the view has it
    view = viewer.client.get(f"/children/{child}/clinician").text
    assert '<span class="view-name">clinician view</span>' in header
    assert _header(view) == header
    assert 'href="/children"' in header and 'action="/signout"' in header
    # none of the family's frame: no queue of episodes on the phone, no daily reminder, the
    # view's foot (what was measured, for a clinician) rather than the parents'
    assert 'id="queue"' not in html and 'href="/reminders"' not in html
    assert _foot(view) == _foot(html)
    assert "screening measures for a clinician to review" in _foot(html)
    assert "if you are worried, contact a doctor" not in html
    assert '<link rel="stylesheet" href="/static/clinician.css">' in html
    # the way back leads to the clinician view, and the pages keep where it was opened
    main = _main(html)
    back = f'<a href="/children/{child}/clinician#recording-{eeg}">Back to the recordings</a>'
    assert back in main
    following = [a for a in _addresses(main) if "/eeg?" in a and "t=" in a]
    assert following and all("for=clinician" in a for a in following)
    # the settings form too: sent as a browser sends it, its page keeps the frame
    form = main.split('<form class="eeg-controls"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="for" value="clinician">' in form
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    shown = viewer.client.get(
        f"/children/{child}/attachments/{eeg}/eeg", params={**fields, "page": "20", "t": "0"}
    )
    assert shown.status_code == 200
    assert '<span class="view-name">clinician view</span>' in _header(shown.text)
    assert back in shown.text


def test_the_eeg_viewer_from_the_familys_page_keeps_the_familys_frame(
    world: dict[str, Any],
) -> None:
    child, eeg = world["child"], world["eeg"]
    for who in ("viewer", "owner"):
        html = world[who].client.get(f"/children/{child}/attachments/{eeg}/eeg").text
        assert "view-name" not in _header(html) and 'action="/signout"' in _header(html)
        assert 'id="queue"' in html and 'href="/reminders"' in html
        assert "clinician.css" not in html and 'name="for"' not in html
        assert f'<a href="/children/{child}#recording-{eeg}">Back to the recordings</a>' in html


def test_the_share_links_eeg_viewer_keeps_the_views_name_alone(world: dict[str, Any]) -> None:
    """At a link nobody is signed in: the view's name, no menu; the foot is the member's."""
    doctor = anonymous(world["app"])
    html = doctor.client.get(f"/s/{world['token']}/attachments/{world['eeg']}/eeg").text
    header = _header(html)
    assert '<span class="view-name">clinician view</span>' in header
    assert "<nav" not in header and 'id="queue"' not in html
    member = world["viewer"].client.get(
        f"/children/{world['child']}/attachments/{world['eeg']}/eeg?for=clinician"
    )
    assert _foot(member.text) == _foot(html)


def test_a_file_without_traces_opened_from_the_clinician_view_keeps_its_frame(
    world: dict[str, Any],
) -> None:
    child, hypnogram, viewer = world["child"], world["hypnogram"], world["viewer"]
    page = viewer.client.get(f"/children/{child}/attachments/{hypnogram}/eeg?for=clinician")
    assert page.status_code == 422
    assert '<span class="view-name">clinician view</span>' in _header(page.text)
    assert 'id="queue"' not in page.text and 'href="/reminders"' not in page.text
    assert f'href="/children/{child}/clinician#recording-{hypnogram}"' in page.text
    family = viewer.client.get(f"/children/{child}/attachments/{hypnogram}/eeg")
    assert family.status_code == 422 and 'id="queue"' in family.text
    assert "view-name" not in _header(family.text)


# ------------------------------------------------------------------------ the reset page
def _sent(app: Any) -> str:
    """The reset page once a code was asked for an account's email."""
    visitor = anonymous(app)
    answer = visitor.form("/reset", {"email": "ann@example.org"})
    assert answer.status_code == 200, answer.text
    return _text(answer.text)


@pytest.mark.parametrize("hosted_by", ["", "the Clinic"], ids=["console", "server"])
def test_the_reset_page_says_how_long_a_code_works_from_the_constant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hosted_by: str
) -> None:
    app = new_app(tmp_path, hosted_by=hosted_by)
    sign_up(app, "ann@example.org")
    assert f"It works for {accounts.RESET_MINUTES} minutes, once." in _sent(app)
    monkeypatch.setattr(accounts, "RESET_MINUTES", 45)
    sent = _sent(app)
    assert "It works for 45 minutes, once." in sent and "30 minutes" not in sent
    monkeypatch.setattr(accounts, "RESET_MINUTES", 1)
    assert "It works for 1 minute, once." in _sent(app)
    # a code refused keeps the same words
    visitor = anonymous(app)
    refused = visitor.form(
        "/reset/code",
        {"email": "ann@example.org", "code": "AAAA-BBBB-CCCC", "new_password": "x" * 12},
    )
    assert refused.status_code == 401
    assert "It works for 1 minute, once." in _text(refused.text)
