"""Recordings on the child: a video or EEG file added to the child page, linked to an
episode or to none, that changes neither the triage nor the chart; played in the page (HTTP
Range, inline), with the detected event times and the analysis' clips; playing audited as a
view once per page view, saving the file as a download."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from spasmwatch.diary.audit import FileRead, ReadAudit
from spasmwatch.store import repo
from web.webworld import (
    EDF_FILE,
    SPASM_EPISODE,
    SPASM_FORM,
    add_child,
    add_member,
    anonymous,
    log_episode,
    new_app,
    share,
    sign_up,
)


def _add(person: Any, child: int, path: Path, episode: str = "") -> Any:
    with path.open("rb") as f:
        return person.form(
            f"/children/{child}/attachments",
            {"episode_id": episode},
            files={"file": (path.name, f, "application/octet-stream")},
        )


def _diary_of(person: Any, child: int) -> tuple[Any, ...]:
    """What the triage, the chart, the CSV and the FHIR export say of the diary."""
    triage = person.api("GET", f"/api/v1/children/{child}/triage").json()
    triage.pop("generated_at", None)
    episodes = person.api("GET", f"/api/v1/children/{child}/episodes").json()
    csv = person.api("GET", f"/api/v1/children/{child}/episodes.csv").text
    page = person.client.get(f"/children/{child}").text
    chart = re.search(r'<section aria-labelledby="chart-h">.*?</section>', page, re.S)
    assert chart
    return triage["level"], triage["reasons"], len(episodes), csv, chart.group(0)


def test_a_recording_on_the_child_is_not_an_episode(tmp_path: Path, database_url: str) -> None:
    app = new_app(tmp_path, database_url)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    log_episode(owner, child, {**SPASM_EPISODE, "count": 3})
    before = _diary_of(owner, child)
    response = _add(owner, child, EDF_FILE)
    assert response.status_code == 303
    assert response.headers["location"] == f"/children/{child}#recordings"
    assert _diary_of(owner, child) == before
    with app.state.db.reading() as s:
        rows = repo.attachments_for(s, child)
    assert [(r.kind, r.episode_id) for r in rows] == [("eeg", None)]
    page = owner.client.get(f"/children/{child}").text
    section = page.split('id="recordings"', 1)[1]
    assert EDF_FILE.name in section and f'id="recording-{rows[0].id}"' in section
    # It is not listed under an episode, and the doctor sees it too.
    timeline = page.split('id="timeline-title"', 1)[1].split('id="recordings"', 1)[0]
    assert EDF_FILE.name not in timeline
    token, _ = share(owner, child)
    shared = anonymous(app).client.get(f"/s/{token}").text
    assert 'id="eegs"' in shared and EDF_FILE.name in shared.split('id="eegs"')[1]


def test_a_recording_can_belong_to_an_episode(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    episode = log_episode(owner, child)
    response = _add(owner, child, EDF_FILE, str(episode))
    assert response.status_code == 303
    assert response.headers["location"] == f"/children/{child}#episode-{episode}"
    page = owner.client.get(f"/children/{child}").text
    entry = page.split(f'id="episode-{episode}"', 1)[1].split("</li>", 1)[0]
    assert EDF_FILE.name in entry
    # The form lists the episodes to choose from, and "none".
    assert f'<option value="{episode}">' in page and '<option value="">' in page


def test_what_is_refused(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    other = sign_up(app, "other@example.org")
    theirs = add_child(other, "Theirs")
    their_episode = log_episode(other, theirs)
    viewer = sign_up(app, "viewer@example.org")
    add_member(owner, child, viewer, "viewer")
    # Another family's episode, a made-up one, a word: nothing stored.
    assert _add(owner, child, EDF_FILE, str(their_episode)).status_code == 404
    assert _add(owner, child, EDF_FILE, "abc").status_code == 422
    not_a_recording = tmp_path / "notes.txt"
    not_a_recording.write_text("hello")
    refused = _add(owner, child, not_a_recording)
    assert refused.status_code == 422
    assert owner.form(f"/children/{child}/attachments").status_code == 422
    assert _add(viewer, child, EDF_FILE).status_code == 403
    assert _add(other, child, EDF_FILE).status_code == 404
    with app.state.db.reading() as s:
        assert repo.attachments_for(s, child) == []
    # The viewer sees no form.
    assert (
        f'action="/children/{child}/attachments"'
        not in viewer.client.get(f"/children/{child}").text
    )


HELSINKI_EDF = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg13.edf"


def test_a_refused_file_is_said_in_the_pages_language(tmp_path: Path) -> None:
    """The page says why in its language, the store's English words as the details; the
    API answers in English."""
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    notes = tmp_path / "notes.txt"
    notes.write_text("hello, not a recording")
    empty = tmp_path / "empty.edf"
    empty.write_bytes(b"")
    owner.client.cookies.set("sw_lang", "es")
    for path, said, english in (
        (notes, "«notes.txt» no es un vídeo (MP4, MOV, WebM, AVI) ni un archivo de EEG",
         "&#39;notes.txt&#39; is not a video"),
        (empty, "«empty.edf» está vacío. No se ha guardado nada.", "&#39;empty.edf&#39; is empty"),
    ):  # fmt: skip
        page = _add(owner, child, path)
        assert page.status_code == 422
        refusal = page.text.split('id="file-error"', 1)[1].split('<input id="recording-file"')[0]
        # the sentence says all that the English message does: no details repeating it
        assert said in refusal and "Detalles" not in refusal and english not in refusal
    # a file that starts like an EEG but is cut short: why, in Spanish, as the details,
    # the reader's English message under it for whoever helps
    cut = tmp_path / "cut.edf"
    cut.write_bytes(HELSINKI_EDF.read_bytes()[:300_000])
    page = _add(owner, child, cut)
    assert page.status_code == 422
    refusal = page.text.split('id="file-error"', 1)[1].split('<input id="recording-file"')[0]
    details = refusal.split("<details", 1)[1].split("</details>")[0]
    assert "«cut.edf» empieza como un archivo de EEG pero no se puede leer" in refusal
    assert "<summary>Detalles</summary>" in details
    said = details.split("<p>", 1)[1].split("</p>")[0]
    assert said.startswith("Incompleto: la cabecera declara ") and "registros completos" in said
    assert 'lang="en"' not in said and "truncated" not in said
    english = details.split('<span lang="en">', 1)[1].split("</span>")[0]
    assert "El mensaje del programa, en inglés:" in details
    assert english.startswith("&#39;cut.edf&#39; starts like an EEG file but cannot be read")
    with notes.open("rb") as f:
        form = owner.form(
            f"/children/{child}/episodes/new",
            {**SPASM_FORM},
            files={"video": (notes.name, f, "text/plain")},
        )
    assert form.status_code == 422 and "«notes.txt» no es un vídeo" in form.text
    with notes.open("rb") as f:
        api = owner.api(
            "POST", f"/api/v1/children/{child}/attachments", files={"file": (notes.name, f)}
        )
    assert api.status_code == 422 and api.json()["detail"][0].startswith("'notes.txt' is not")
    owner.client.cookies.set("sw_lang", "en")
    page = _add(owner, child, empty)
    assert "“empty.edf” is empty. Nothing was saved." in page.text


def test_the_file_pickers_let_a_parent_choose_a_clip(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    for path in (f"/children/{child}", f"/children/{child}/episodes/new"):
        page = owner.client.get(path).text
        assert 'type="file"' in page
        assert "capture=" not in page  # the camera is offered, never forced


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A family with a rendered spasm-cluster video on the child, analysed (clips too)."""
    from report.diary import cluster_video

    tmp = tmp_path_factory.mktemp("recordings")
    video = cluster_video(tmp / "cluster.mp4")
    app = new_app(tmp)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    assert _add(owner, child, video).status_code == 303
    with app.state.db.reading() as s:
        (row,) = repo.attachments_for(s, child)
    token, _ = share(owner, child)
    return {"app": app, "owner": owner, "child": child, "id": row.id, "video": video,
            "token": token}  # fmt: skip


def test_a_video_plays_in_the_page_with_range_requests(analysed: dict[str, Any]) -> None:
    owner, child, a = analysed["owner"], analysed["child"], analysed["id"]
    size = analysed["video"].stat().st_size
    clinician = anonymous(analysed["app"])
    for client, base in (
        (owner.client, f"/children/{child}/attachments"),
        (clinician.client, f"/s/{analysed['token']}/attachments"),
    ):
        whole = client.get(f"{base}/{a}")
        assert whole.status_code == 200 and whole.headers["content-type"] == "video/mp4"
        assert whole.headers["content-disposition"].startswith("attachment;")
        assert whole.headers["accept-ranges"] == "bytes"
        part = client.get(f"{base}/{a}?inline=1", headers={"Range": "bytes=100-199"})
        assert part.status_code == 206
        assert part.headers["content-range"] == f"bytes 100-199/{size}"
        assert part.content == analysed["video"].read_bytes()[100:200]
        assert part.headers["content-disposition"].startswith("inline;")
    page = owner.client.get(f"/children/{child}").text
    assert re.search(
        rf'<video id="video-{a}" controls playsinline preload="metadata" '
        rf'src="/children/{child}/attachments/{a}\?inline=1&amp;view=[A-Za-z0-9_-]{{16}}">',
        page,
    )
    assert "/static/player.js" in page


def test_event_times_and_clips_are_offered(analysed: dict[str, Any]) -> None:
    app, owner, child, a = analysed["app"], analysed["owner"], analysed["child"], analysed["id"]
    with app.state.db.reading() as s:
        analysis = repo.get_attachment(s, a).analysis
    assert analysis["status"] == "done", analysis
    events = analysis["result"]["events"]
    assert events, "the rendered cluster is detected"
    # the analysis's own analysis.json names its files where they are
    with app.state.db.reading() as s:
        sha = repo.get_attachment(s, a).sha256
    folder = app.state.db.analysis_dir(sha)
    own = json.loads((folder / "analysis.json").read_text())
    assert own["outputs"] == analysis["result"]["outputs"]
    assert all(Path(p).parent == folder for paths in own["outputs"].values() for p in paths)
    page = owner.client.get(f"/children/{child}").text
    seeks = re.findall(rf'data-video="video-{a}" data-t="([0-9.]+)"', page)
    assert [float(t) for t in seeks] == [round(e["start_s"], 2) for e in events[:30]]
    clips = re.findall(
        rf'href="/children/{child}/attachments/{a}/clips/(\d+)\?inline=1&amp;view=[\w-]+"', page
    )
    assert clips and int(clips[0]) == 1
    clip = owner.client.get(f"/children/{child}/attachments/{a}/clips/1?inline=1")
    assert clip.status_code == 200 and clip.headers["content-type"] == "video/mp4"
    assert clip.content[4:8] == b"ftyp"
    assert owner.client.get(f"/children/{child}/attachments/{a}/clips/999").status_code == 404
    assert owner.client.get(f"/children/{child}/attachments/{a}/clips/0").status_code == 404
    shared = anonymous(app).client.get(f"/s/{analysed['token']}/attachments/{a}/clips/1")
    assert shared.status_code == 200
    assert anonymous(app).client.get(f"/s/nope/attachments/{a}/clips/1").status_code == 404


def _audited_since(app: Any, child: int, mark: int) -> list[Any]:
    """The child's audit entries written after entry ``mark``, oldest first."""
    app.state.read_audit.flush()
    with app.state.db.reading() as s:
        return sorted(
            (e for e in repo.audit_for(s, child, 1000) if e.id > mark), key=lambda e: e.id
        )


def _last_id(app: Any, child: int) -> int:
    entries = _audited_since(app, child, 0)
    return entries[-1].id if entries else 0


def _player_address(html: str, a: int) -> str:
    found = re.search(rf'<video id="video-{a}"[^>]* src="([^"]+)"', html)
    assert found, "a player in the page"
    return unescape(found.group(1))


def test_playing_in_the_page_is_a_view_once_per_page_view_not_a_download(
    analysed: dict[str, Any],
) -> None:
    app, owner, child, a = analysed["app"], analysed["owner"], analysed["child"], analysed["id"]
    carer = sign_up(app, "carer-plays@example.org", "Carer")
    add_member(owner, child, carer, "caregiver")
    with app.state.db.reading() as s:
        carer_id = repo.user_by_email(s, "carer-plays@example.org").id  # type: ignore[union-attr]
    mark = _last_id(app, child)

    # A caregiver opens the page; its player asks for the file in pieces, seeks back to
    # the start and plays again, and an event's clip is opened twice: one page view.
    page = carer.client.get(f"/children/{child}").text
    src = _player_address(page, a)
    view = parse_qs(urlsplit(src).query)["view"][0]
    for pieces in ("bytes=0-", "bytes=5000-", "bytes=0-", "bytes=9000-9999"):
        played = carer.client.get(src, headers={"Range": pieces})
        assert played.status_code == 206
        assert played.headers["content-disposition"].startswith("inline;")
    clip = re.search(rf'href="([^"]+/attachments/{a}/clips/1\?[^"]+)"', page)
    assert clip
    for _ in range(2):
        assert carer.client.get(unescape(clip.group(1))).status_code == 200
    # Another web process serving a piece of the same page view writes nothing more.
    ReadAudit(app.state.db).record_file(
        FileRead(inline=True, from_start=True, page_view=view),
        str(a),
        child_id=child,
        user_id=carer_id,
    )
    entries = _audited_since(app, child, mark)
    assert [(e.action, e.detail) for e in entries] == [
        ("view_child", ""),
        ("view_recording", f"{a} page {view}"),
        ("view_recording", f"{a} clip 1 page {view}"),
    ]
    assert {e.user_id for e in entries} == {carer_id}

    # The owner reads it as a view, not a download; the owner's own views are left out.
    own = owner.client.get(f"/children/{child}").text
    owner.client.get(_player_address(own, a), headers={"Range": "bytes=0-"})
    activity = owner.client.get(f"/children/{child}").text.split('id="log-h"')[1]
    assert "recording viewed in the page · Carer" in activity
    assert "recording downloaded · Carer" not in activity
    assert "recording viewed in the page · you" not in activity

    # A new page view is a new view; the file name (a download) is a download.
    mark = _last_id(app, child)
    again = _player_address(carer.client.get(f"/children/{child}").text, a)
    assert again != src
    carer.client.get(again, headers={"Range": "bytes=0-"})
    saved = carer.client.get(f"/children/{child}/attachments/{a}")
    assert saved.headers["content-disposition"].startswith("attachment;")
    assert [e.action for e in _audited_since(app, child, mark)] == [
        "view_child",
        "view_recording",
        "download",
    ]

    # A player's address without a page view (an older page): its first piece only.
    mark = _last_id(app, child)
    for pieces in ("bytes=0-", "bytes=5000-", "bytes=9000-9999"):
        carer.client.get(f"/children/{child}/attachments/{a}?inline=1", headers={"Range": pieces})
    assert [e.action for e in _audited_since(app, child, mark)] == ["view_recording"]

    # A page view that is not one is named.
    bad = carer.client.get(f"/children/{child}/attachments/{a}?inline=1&view=x%3Cy")
    assert bad.status_code == 422 and "Invalid value for 'view'" in unescape(bad.text)


def test_a_doctor_playing_at_the_share_link_is_a_view_through_it(
    analysed: dict[str, Any],
) -> None:
    app, child, a, token = analysed["app"], analysed["child"], analysed["id"], analysed["token"]
    doctor = anonymous(app)
    mark = _last_id(app, child)
    src = _player_address(doctor.client.get(f"/s/{token}").text, a)
    assert src.startswith(f"/s/{token}/attachments/{a}?inline=1&view=")
    for pieces in ("bytes=0-", "bytes=4000-", "bytes=0-"):
        assert doctor.client.get(src, headers={"Range": pieces}).status_code == 206
    assert doctor.client.get(f"/s/{token}/attachments/{a}").status_code == 200
    entries = _audited_since(app, child, mark)
    assert [e.action for e in entries] == [
        "view_shared",
        "view_recording_shared",
        "download_shared",
    ]
    assert all(e.share_link_id is not None and e.user_id is None for e in entries)


def test_a_wrong_recording_can_be_deleted_by_those_who_log(
    tmp_path: Path, database_url: str
) -> None:
    # a wrong or damaged upload goes with its analysis; the diary does not change; the
    # file leaves the store once no other recording holds the same content
    app = new_app(tmp_path, database_url)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    log_episode(owner, child, {**SPASM_EPISODE, "count": 3})
    viewer = sign_up(app, "viewer@example.org")
    add_member(owner, child, viewer, "viewer")
    other = sign_up(app, "other@example.org")
    before = _diary_of(owner, child)
    assert _add(owner, child, EDF_FILE).status_code == 303
    assert _add(owner, child, EDF_FILE).status_code == 303  # the same file twice
    with app.state.db.reading() as s:
        first, second = sorted(r.id for r in repo.attachments_for(s, child))
    page = owner.client.get(f"/children/{child}").text
    assert f'action="/children/{child}/attachments/{first}/delete"' in page
    # Deleting asks first, with a box to tick naming the file (no script needed) ...
    asked = re.search(
        rf'<details class="delete-ask delete-recording">(?:(?!</details>).)*'
        rf"attachments/{first}/delete.*?</details>",
        page,
        re.S,
    )
    assert asked and 'name="confirm" value="yes" required' in asked.group(0)
    assert "Yes, delete the recording SC4001EC-Hypnogram.edf" in unescape(asked.group(0))
    assert "hx-confirm" not in page
    assert "Delete this EEG file" in page
    assert "Delete this EEG file" not in viewer.client.get(f"/children/{child}").text
    url = f"/children/{child}/attachments/{first}/delete"
    yes = {"confirm": "yes"}
    assert viewer.form(url, yes).status_code == 403
    assert other.form(url, yes).status_code == 404
    assert owner.client.post(url, data={"csrf_token": "wrong", **yes}).status_code == 403
    stored = app.state.db.attachments_dir
    # ... which the server checks too: without it nothing is deleted, and it says what to tick
    refused = owner.form(url)
    assert refused.status_code == 422
    assert (
        "Invalid value for 'confirm': tick the box to delete the recording; nothing was "
        "deleted" in unescape(refused.text)
    )
    with app.state.db.reading() as s:
        assert len(repo.attachments_for(s, child)) == 2
    done = owner.form(url, yes)
    assert done.status_code == 303 and done.headers["location"] == f"/children/{child}#recordings"
    assert len([p for p in stored.rglob("*") if p.is_file()]) == 1  # the second keeps it
    gone = owner.api("DELETE", f"/api/v1/children/{child}/attachments/{second}")
    assert gone.status_code == 204
    assert owner.api("DELETE", f"/api/v1/children/{child}/attachments/{second}").status_code == 404
    assert [p for p in stored.rglob("*") if p.is_file()] == []
    with app.state.db.reading() as s:
        assert repo.attachments_for(s, child) == []
        actions = [e.action for e in repo.audit_for(s, child)]
    assert actions.count("delete_recording") == 2
    assert _diary_of(owner, child) == before
    assert "recording deleted" in owner.client.get(f"/children/{child}").text


def _analysis_block(html: str, a: int) -> str:
    """The analysis of recording ``a`` in a page, as text (tags left out)."""
    start = html.index(f'id="analysis-{a}"')
    block = html[start : html.index('<div class="actions">', start)]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", block)).split())


def test_the_video_finding_is_said_once_with_how_soon_to_act(analysed: dict[str, Any]) -> None:
    owner, child, a = analysed["owner"], analysed["child"], analysed["id"]
    html = owner.client.get(f"/children/{child}").text
    said = _analysis_block(html, a)
    assert said.count("Video analysis:") == 1
    # the counts and that it is evidence, each said once
    assert len(re.findall(r"\d+ spasm-like movements?", said)) == 1, said
    assert said.count("evidence, not a diagnosis") == 1 and "not a verdict" not in said
    assert "should be seen by a doctor today" in said
    assert "show them this video and these times" in said
    # human words, not the analysis's codes, in the list and under the pictures
    assert "spasm_like" not in said and " spasm-like " in said
    assert "its kind (such as spasm-like or brief jerk)" in said


def test_the_video_finding_in_spanish(analysed: dict[str, Any]) -> None:
    owner, child, a = analysed["owner"], analysed["child"], analysed["id"]
    html = owner.client.get(f"/children/{child}", headers={"Accept-Language": "es"}).text
    said = _analysis_block(html, a)
    assert said.count("Análisis del vídeo:") == 1 and "spasm_like" not in said
    assert "Un médico debería ver hoy movimientos como estos" in said
    assert "El vídeo es una prueba, no un diagnóstico." in said
