"""The EEG trace viewer in the web app: a real EEG's pages for the family and through a
share link, linked from the recording; the settings kept in every link; bad parameters
answered 422 naming the parameter; another family's file is not found; opening is audited."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from typing import Any

import pytest

from spasmwatch.store import repo
from web.webworld import EDF_FILE, add_child, anonymous, new_app, share, sign_up, upload

HELSINKI = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg13.edf"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A family with an analysed 30 s neonatal EEG, a share link, and another family."""
    app = new_app(tmp_path_factory.mktemp("eeg-viewer"))
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner)
    eeg = upload(owner, child, HELSINKI)
    other = sign_up(app, "other@example.org")
    theirs = add_child(other, "Theirs")
    token, _ = share(owner, child)
    return {"app": app, "owner": owner, "child": child, "eeg": eeg, "other": other,
            "theirs": theirs, "token": token}  # fmt: skip


@contextmanager
def _in_language(client: Any, locale: str) -> Iterator[None]:
    """Pages in ``locale`` (the switch's cookie, which the browser's language does not
    override), then English again."""
    client.get(f"/language/{locale}?next=/")
    try:
        yield
    finally:
        client.get("/language/en?next=/")


def _svg(html: str) -> ET.Element:
    found = re.search(r"<svg xmlns=.*?</svg>", html, re.S)
    assert found, "no inline SVG"
    return ET.fromstring(found.group(0))


def test_the_viewer_shows_a_page_with_its_events(world: dict[str, Any]) -> None:
    owner, child, eeg = world["owner"], world["child"], world["eeg"]
    base = f"/children/{child}/attachments/{eeg}"
    page = owner.client.get(f"/children/{child}")
    assert f'href="{base}/eeg"' in page.text  # the recording links to its viewer
    started = time.perf_counter()
    answer = owner.client.get(f"{base}/eeg")
    assert answer.status_code == 200, answer.text
    assert time.perf_counter() - started < 10  # a guard against a hang, not a benchmark
    html = answer.text
    svg = _svg(html)
    assert len(svg.findall(f"{SVG}polyline")) == 18
    # and the phone's drawing of the same page (eeg.css shows one of the two)
    assert html.count("<svg xmlns=") == 2 and 'class="eeg-narrow"' in html
    phone = ET.fromstring(re.findall(r"<svg xmlns=.*?</svg>", html, re.S)[1])
    assert phone.get("viewBox", "").startswith("0 0 120.00 ")
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "label"]
    assert labels[:4] == ["Fp1-F7", "F7-T3", "T3-T5", "T5-O1"]
    # The analysis' events are listed, each a link to its page with the settings kept.
    with world["app"].state.db.reading() as s:
        events = repo.get_attachment(s, eeg).analysis["result"]["events"]
    assert events, "the analysis found no event in this seizure clip"
    links = re.findall(r'<li[^>]*><span class="swatch[^"]*"[^>]*></span><a href="([^"]+)"', html)
    assert len(links) == len(events)
    gain = re.search(r"(\d+) µV/mm · HP 0.5 Hz", html)
    assert gain and f"gain={gain.group(1)}" in unescape(links[0])
    assert "montage=bipolar" in unescape(links[0]) and "hp=0.5" in unescape(links[0])
    # Previous is disabled on the first page; next leads to t=10.
    assert 'id="eeg-prev"' not in html
    following = re.search(r'id="eeg-next" rel="next" href="([^"]+)"', html)
    assert following and unescape(following.group(1)).startswith(f"{base}/eeg?t=10&page=10")
    assert '<script src="/static/eeg.js" defer></script>' in html
    assert 'style="' not in html.split("<main", 1)[1]  # the CSP allows no inline style


def test_an_events_score_is_the_detectors_not_a_chance(world: dict[str, Any]) -> None:
    """A score under 1 is said as the detector's, with once what it is not: a family
    reading "confidence 0.98" would take it for "98 % sure it was a seizure"."""
    owner, child, eeg = world["owner"], world["child"], world["eeg"]
    base = f"/children/{child}/attachments/{eeg}"

    def listed() -> str:
        html = owner.client.get(f"{base}/eeg").text
        return unescape(html.split('id="eeg-events-h"')[1].split("</section>")[0])

    assert "it is not the chance" not in listed()  # this clip's events are all certain
    with world["app"].state.db.transaction() as s:
        row = repo.get_attachment(s, eeg)
        before = row.analysis
        result = before["result"]
        scored = [{**result["events"][0], "confidence": 0.98}, *result["events"][1:]]
        repo.set_attachment_analysis(s, row.id, {**before, "result": {**result, "events": scored}})
    try:
        said = listed()
        assert said.count("detector's score 0.98") == 1
        assert said.count("it is not the chance that it was a seizure") == 1
        assert "confidence" not in said
    finally:
        with world["app"].state.db.transaction() as s:
            repo.set_attachment_analysis(s, eeg, before)


def test_the_notch_starts_at_the_mains_the_analysis_removed(world: dict[str, Any]) -> None:
    from spasmwatch.diary.eeg_review import _mains_found
    from spasmwatch.eeg.traces import TraceSettings

    assert _mains_found({"background": {"mains": {"hz": 50.0, "share": 0.9}}}) == 50.0
    assert _mains_found({"background": {"mains": {"hz": 60.0, "share": 0.0}}}) == 0.0
    assert _mains_found({"background": {}}) == _mains_found(None) == 0.0
    assert TraceSettings.parse({}, default_notch=60.0).notch_hz == 60.0
    assert TraceSettings.parse({"notch": "0"}, default_notch=60.0).notch_hz == 0.0  # chosen off
    assert TraceSettings.parse({}, default_notch=55.0).notch_hz == 0.0  # not a choice: off
    # the page without a notch chosen shows the recording's own
    eeg, child = world["eeg"], world["child"]
    with world["app"].state.db.reading() as s:
        result = repo.get_attachment(s, eeg).analysis["result"]
    mains = result["background"].get("mains") or {}
    html = world["owner"].client.get(f"/children/{child}/attachments/{eeg}/eeg").text
    expected = f"notch {mains['hz']:g} Hz" if mains.get("share") else "notch off"
    assert expected in html


def test_settings_montages_and_the_last_page(world: dict[str, Any]) -> None:
    base = f"/children/{world['child']}/attachments/{world['eeg']}/eeg"
    client = world["owner"].client
    html = client.get(f"{base}?t=20&page=10&montage=average&gain=30&hp=1&lp=35&notch=50").text
    svg = _svg(html)
    assert len(svg.findall(f"{SVG}polyline")) == 19
    assert "30 µV/mm · HP 1 Hz, LP 35 Hz, notch 50 Hz · average reference" in html
    assert 'id="eeg-next"' not in html and 'id="eeg-prev"' in html  # the last page
    # a last page that starts 5 s before the end: its time axis and grid stop at the end
    svg = _svg(client.get(f"{base}?t=25&page=10").text)
    seconds = [t.text for t in svg.iter(f"{SVG}text") if (t.text or "").isdigit()]
    assert "29" in seconds and not {"30", "31", "32", "33", "34"} & set(seconds), seconds
    assert '<option value="30" selected>' in html and '<option value="average" selected>' in html
    html = client.get(f"{base}?t=0&page=30&montage=referential").text
    labels = [t.text for t in _svg(html).iter(f"{SVG}text") if t.get("class") == "label"]
    assert labels[:3] == ["Fp1", "Fp2", "F7"]
    # the channels as the file holds them are not called referential (a file may hold
    # bipolar derivations)
    assert ">as recorded<" in html
    assert "referential (as recorded)" not in html
    image = client.get(f"{base}/page.svg?t=3&gain=50")
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(image.content)
    assert root.get("width", "").endswith("mm") and len(root.findall(f"{SVG}polyline")) == 18


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("t=30", "Invalid value for 't': a page starts from 0 to 29 s in this 30 s recording"),
        ("t=-5", "Invalid value for 't'"),
        (
            "t=soon",
            "Invalid value for 't': seconds from the start of the recording, or h:mm:ss "
            "(1:30:00) or m:ss (90:00); got 'soon'",
        ),
        ("montage=laplacian", "Invalid value for 'montage': allowed are bipolar, referential"),
        ("gain=1000", "Invalid value for 'gain': allowed are 2, 3, 5, 7, 10"),
        ("gain=-7", "Invalid value for 'gain'"),
        ("page=15", "Invalid value for 'page': allowed are 10, 20, 30 (s); got '15'"),
        ("hp=2", "Invalid value for 'hp': allowed are off, 0.3, 0.5, 1 (Hz)"),
        ("lp=x", "Invalid value for 'lp': a number is required; got 'x'"),
        ("notch=inf", "Invalid value for 'notch': a finite number is required"),
    ],
)
def test_bad_parameters_are_named(world: dict[str, Any], query: str, message: str) -> None:
    base = f"/children/{world['child']}/attachments/{world['eeg']}/eeg"
    for path in (base, f"{base}/page.svg"):
        answer = world["owner"].client.get(f"{path}?{query}")
        assert answer.status_code == 422, (path, answer.status_code)
        text = unescape(answer.text)
        assert message in text
        assert "Traceback" not in text and 'role="alert"' in text
        # typed without a page before it: the way back is the same page, usual settings
        assert f'<a href="{path}">Open the page with its usual settings</a>' in answer.text


def test_a_bad_page_start_is_named_in_the_pages_language(world: dict[str, Any]) -> None:
    owner, child, eeg, token = world["owner"], world["child"], world["eeg"], world["token"]
    said = {
        "t=30": "Valor no válido en 't': en esta grabación de 30 s una página empieza entre 0 y "
        "29 s; se recibió 30",
        "t=-5": "una página empieza entre 0 y 29 s; se recibió -5",
        "t=pronto": "Valor no válido en 't': segundos desde el inicio de la grabación, "
        "h:mm:ss (1:30:00) o m:ss (90:00); se recibió 'pronto'",
        "t=nan": "o m:ss (90:00); se recibió 'nan'",
    }
    doctor = anonymous(world["app"])
    with _in_language(owner.client, "es"), _in_language(doctor.client, "es"):
        for client, base in (
            (owner.client, f"/children/{child}/attachments/{eeg}/eeg"),
            (doctor.client, f"/s/{token}/attachments/{eeg}/eeg"),
        ):
            for query, message in said.items():
                for path in (base, f"{base}/page.svg"):
                    answer = client.get(f"{path}?{query}")
                    assert answer.status_code == 422, (path, query)
                    assert message in unescape(answer.text), (path, query)
                    assert "Invalid value" not in answer.text


def test_what_is_not_an_eeg_or_not_theirs_is_not_found(world: dict[str, Any]) -> None:
    app, owner, other = world["app"], world["owner"], world["other"]
    child, eeg, theirs = world["child"], world["eeg"], world["theirs"]
    # Another family: their own child with this family's file, or this family's child.
    for path in (
        f"/children/{theirs}/attachments/{eeg}/eeg",
        f"/children/{child}/attachments/{eeg}/eeg",
    ):
        assert other.client.get(path).status_code == 404
        assert other.client.get(path + "/page.svg").status_code == 404
    # Not signed in: to the sign-in page.
    answer = anonymous(app).client.get(
        f"/children/{child}/attachments/{eeg}/eeg", follow_redirects=False
    )
    assert answer.status_code == 303 and "/signin" in answer.headers["location"]
    # A video is not an EEG; a file without EEG signals says why it cannot be shown.
    with app.state.db.transaction() as s:
        row = repo.get_attachment(s, eeg)
        video = repo.add_attachment(
            s, child_id=child, episode_id=None, kind="video", filename="v.mp4",
            content_type="video/mp4", size_bytes=row.size_bytes, sha256=row.sha256,
            uploaded_by=None,
        ).id  # fmt: skip
    answer = owner.client.get(f"/children/{child}/attachments/{video}/eeg")
    assert answer.status_code == 404 and "No such EEG file" in answer.text
    no_signals = upload(owner, child, EDF_FILE)
    answer = owner.client.get(f"/children/{child}/attachments/{no_signals}/eeg")
    assert answer.status_code == 422 and "zero signal channels" in answer.text


def test_the_share_link_opens_the_viewer_read_only(world: dict[str, Any]) -> None:
    app, token, eeg = world["app"], world["token"], world["eeg"]
    doctor = anonymous(app)
    shared = doctor.client.get(f"/s/{token}")
    assert f'href="/s/{token}/attachments/{eeg}/eeg"' in shared.text
    html = doctor.client.get(f"/s/{token}/attachments/{eeg}/eeg").text
    assert len(_svg(html).findall(f"{SVG}polyline")) == 18
    assert f'href="/s/{token}#recording-{eeg}"' in html and '<form method="post"' not in html
    assert doctor.client.get(f"/s/{token}/attachments/{eeg}/eeg/page.svg?t=2").status_code == 200
    assert doctor.client.get(f"/s/{'x' * 30}/attachments/{eeg}/eeg").status_code == 404
    assert doctor.client.get(f"/s/{token}/attachments/{eeg}/eeg?gain=1").status_code == 422


def test_opening_the_viewer_is_audited_once(world: dict[str, Any]) -> None:
    app, owner, child, eeg = world["app"], world["owner"], world["child"], world["eeg"]

    def views() -> int:
        app.state.read_audit.flush()
        with app.state.db.reading() as s:
            return sum(e.action == "eeg_view" for e in repo.audit_for(s, child, 500))

    before = views()
    owner.client.get(f"/children/{child}/attachments/{eeg}/eeg")
    owner.client.get(f"/children/{child}/attachments/{eeg}/eeg?t=10&page=10")
    assert views() == before + 1


def test_the_viewer_in_spanish(world: dict[str, Any]) -> None:
    owner = world["owner"]
    owner.client.get("/language/es?next=/children")
    try:
        html = owner.client.get(f"/children/{world['child']}/attachments/{world['eeg']}/eeg").text
        assert "Montaje" in html and "bipolar (doble banana)" in html and "Siguiente" in html
    finally:
        owner.client.get("/language/en?next=/children")


def test_an_interrupted_recording_says_its_gaps(world: dict[str, Any], tmp_path) -> None:
    import numpy as np

    from eeg.edfd import write_interrupted

    owner, child = world["owner"], world["child"]
    data = np.random.default_rng(7).normal(0, 30, (19, 30 * 256))
    path = write_interrupted(tmp_path / "paused.edf", data, [*range(0, 10), *range(25, 45)])
    eeg = upload(owner, child, path)
    html = owner.client.get(f"/children/{child}/attachments/{eeg}/eeg?t=10").text
    assert "45 s, 19 channels at 256 Hz" in html  # the gap in place: 10 + 15 + 20 s
    assert "An interrupted recording: 1 gap of 15 s, shown flat, with no EEG" in html
    assert "10\u201320 s" in html  # the page shown: the gap, flat


def test_an_eeg_signal_left_out_is_named(world: dict[str, Any], tmp_path) -> None:
    import edfio
    import numpy as np

    owner, child = world["owner"], world["child"]
    rng = np.random.default_rng(10)
    names = ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4", "O1", "O2"]
    signals = [
        edfio.EdfSignal(rng.normal(0, 30, 30 * 256), sampling_frequency=256, label=n,
                        physical_dimension="uV", physical_range=(-500.0, 500.0))
        for n in names
    ] + [edfio.EdfSignal(rng.normal(0, 30, 30 * 384), sampling_frequency=384, label="Pz",
                         physical_dimension="uV", physical_range=(-500.0, 500.0))]  # fmt: skip
    path = tmp_path / "rates.edf"
    edfio.Edf(signals).write(path)
    eeg = upload(owner, child, path)
    html = owner.client.get(f"/children/{child}/attachments/{eeg}/eeg").text
    assert "Not shown (another sampling rate, a duplicate or an unreadable range): Pz" in html


def test_attenuations_set_aside_are_listed_with_links(world: dict[str, Any], tmp_path) -> None:
    # a tracé with inter-burst intervals of 5 s every 9 s: each interval passes every rule
    # of a decrement but the discontinuous background around it, so the analysis sets it
    # aside and the viewer lists it, each a link to its page
    from eeg.test_detect import CHANNELS, _delta_background, _envelope
    from spasmwatch.eeg.traces import page_start_for
    from spasmwatch.testing.eeg_inject import write_case

    owner, child = world["owner"], world["child"]
    x = _delta_background(150)
    spans = [(a, a + 5, 0.1) for a in range(20, 140, 9)]
    path = tmp_path / "discontinuous.edf"
    write_case(path, x * _envelope(x.shape[1], spans), CHANNELS)
    eeg = upload(owner, child, path)
    with world["app"].state.db.reading() as s:
        result = repo.get_attachment(s, eeg).analysis["result"]
    onsets = result["background"]["decrements_set_aside"]
    assert onsets == [float(a) for a in range(20, 140, 9)]
    assert not [e for e in result["events"] if e["eventType"] == "decrement"]
    base = f"/children/{child}/attachments/{eeg}/eeg"
    html = owner.client.get(base).text
    section = html.split('id="eeg-set-aside-h"', 1)[1].split("</ol>", 1)[0]
    links = re.findall(r'<li><a href="([^"]+)">at ([\d.]+) s', section)
    assert [float(t) for _, t in links] == onsets
    last = page_start_for(137.0, 10, 150.0)  # the page that shows the last one
    assert unescape(links[-1][0]).startswith(f"{base}?t={last:g}&page=10")
    assert "the background around them is discontinuous" in html
    # the child's page says it among the reasons; the viewer in Spanish too
    page = owner.client.get(f"/children/{child}").text
    assert "not counted as decrements because the background around them is" in page
    owner.client.get("/language/es?next=/children")
    try:
        assert "Atenuaciones no contadas como decrementos" in owner.client.get(base).text
    finally:
        owner.client.get("/language/en?next=/children")


def test_the_viewer_says_its_numbers_and_events_in_spanish(world: dict[str, Any]) -> None:
    """The caption, the list of events and the traces' own words and numbers (the SVG is
    drawn for the page) in the page's language; the same page in English keeps its own."""
    base = f"/children/{world['child']}/attachments/{world['eeg']}/eeg"
    client = world["owner"].client
    with _in_language(client, "es"):
        html = client.get(f"{base}?hp=0.5&lp=35&notch=0&gain=7").text
        image = client.get(f"{base}/page.svg?hp=0.5").text
    caption = html.split('<figcaption class="small">', 1)[1].split("</figcaption>", 1)[0]
    assert "paso alto 0,5 Hz, paso bajo 35 Hz, filtro de red desactivado" in caption
    assert "HP 0.5" not in caption
    words = " ".join(t.text or "" for t in _svg(html).iter(f"{SVG}text"))
    assert "7 µV/mm · paso alto 0,5 Hz" in words and "bipolar (doble banana)" in words
    assert "0.5" not in words
    events = html.split('id="eeg-events-h"', 1)[1].split("</ol>", 1)[0]
    shown = re.sub(r"<[^>]+>", " ", events)
    assert re.search(r"posible crisis a los \d+,\d s", shown), shown
    # how long it lasted, said as the report says it (not "de 30,0 s": out of 30 s)
    said = " ".join(shown.split())
    assert re.search(r"posible crisis a los \d+,\d s de \d+,\d s de duración", said), said
    assert not re.search(r"\d\.\d", shown) and " sz " not in shown
    assert '<option value="0.5" selected>0,5 Hz</option>' in html  # the value a URL keeps
    assert "paso alto 0,5 Hz" in image
    english = client.get(f"{base}?hp=0.5").text
    assert "HP 0.5 Hz" in english and re.search(r"possible seizure at \d+\.\d s", english)


def test_a_file_with_no_eeg_offers_neither_the_viewer_nor_analyse_again(
    world: dict[str, Any],
) -> None:
    """A hypnogram (annotations only): its failed analysis says why in the page's language
    (the analyser's English words as details), offers neither the trace viewer nor
    "Analyse again", and the viewer's own address answers 422 in the viewer's layout."""
    app, owner, child, token = world["app"], world["owner"], world["child"], world["token"]
    hypnogram = upload(owner, child, EDF_FILE)
    with app.state.db.reading() as s:
        assert repo.get_attachment(s, hypnogram).analysis["status"] == "failed"
    es = {"Accept-Language": "es"}  # the doctor's browser; the family's: the switch
    doctor = anonymous(app)
    with _in_language(owner.client, "es"):
        for client, path, base in (
            (owner.client, f"/children/{child}", f"/children/{child}/attachments/{hypnogram}"),
            (doctor.client, f"/s/{token}", f"/s/{token}/attachments/{hypnogram}"),
        ):
            entry = _recording(client.get(path, headers=es).text, hypnogram)
            assert "Este archivo no contiene EEG que analizar" in entry
            details = entry.split('class="small problem-details"', 1)[1].split("</details>")[0]
            assert "has zero signal channels" in details
            assert f'href="{base}/eeg"' not in entry and "Analizar de nuevo" not in entry
            viewer = client.get(f"{base}/eeg", headers=es)
            assert viewer.status_code == 422
            assert f"EEG {EDF_FILE.name}" in viewer.text
            assert "Volver a las grabaciones" in viewer.text
            assert "No hay trazados que mostrar. Este archivo no contiene EEG" in viewer.text
            assert "<p>No tiene ningún canal de señal" in viewer.text  # the reader's reason
            assert '<span lang="en">' in viewer.text and "zero signal channels" in viewer.text
    # the analysis of the file that has an EEG still offers both
    entry = _recording(owner.client.get(f"/children/{child}").text, world["eeg"])
    assert "/eeg" in entry and "Analyse again" in entry


def _recording(page: str, attachment_id: int) -> str:
    """One recording's part of a page."""
    return page.split(f'id="recording-{attachment_id}"', 1)[1].split('<div class="recording"')[0]


def test_the_pictures_of_an_eeg_analysis_have_captions_in_the_pages_language(
    world: dict[str, Any],
) -> None:
    owner, child, eeg = world["owner"], world["child"], world["eeg"]
    with _in_language(owner.client, "es"):
        page = owner.client.get(f"/children/{child}").text
    entry = page.split(f'id="recording-{eeg}"', 1)[1]
    thumbs = entry.split('<div class="thumbs">', 1)[1].split("</div>", 1)[0]
    captions = re.findall(r'<figcaption class="small">([^<]+)</figcaption>', thumbs)
    assert len(captions) == 3 and captions[0].startswith("Amplitud pico a pico")
    # drawn in Spanish too: no line saying that their words are English
    assert "Las palabras dentro de estas imágenes están en inglés" not in thumbs
    english = owner.client.get(f"/children/{child}").text
    thumbs = english.split(f'id="recording-{eeg}"', 1)[1].split('<div class="thumbs">', 1)[1]
    assert "Peak-to-peak amplitude over the recording" in thumbs
    assert "are in English" not in thumbs.split("</div>", 1)[0]


def test_the_viewer_at_a_share_link_has_the_clinician_views_frame(world: dict[str, Any]) -> None:
    doctor = anonymous(world["app"])
    html = doctor.client.get(f"/s/{world['token']}/attachments/{world['eeg']}/eeg").text
    assert '<span class="view-name">clinician view</span>' in html
    assert ">Sign in<" not in html and 'id="queue"' not in html
    assert "if you are worried, contact a doctor" not in html  # the parents' foot
    family = world["owner"].client.get(f"/children/{world['child']}/attachments/{world['eeg']}/eeg")
    assert "view-name" not in family.text and ">Sign out<" in family.text


def test_a_filter_too_close_to_nyquist_is_named_in_the_pages_language(
    world: dict[str, Any], tmp_path
) -> None:
    import edfio
    import numpy as np

    owner, child = world["owner"], world["child"]
    rng = np.random.default_rng(11)
    names = ["Fp1", "Fp2", "C3", "C4", "O1", "O2"]
    signals = [
        edfio.EdfSignal(rng.normal(0, 30, 60 * 100), sampling_frequency=100, label=n,
                        physical_dimension="uV", physical_range=(-500.0, 500.0))
        for n in names
    ]  # fmt: skip
    path = tmp_path / "slow-rate.edf"
    edfio.Edf(signals).write(path)
    eeg = upload(owner, child, path)
    page = f"/children/{child}/attachments/{eeg}/eeg?lp=70&notch=50"
    html = owner.client.get(page).text
    assert "Low-pass 70 Hz not applied: too close to the Nyquist frequency (50 Hz)" in html
    assert "Notch 50 Hz not applied" in html
    with _in_language(owner.client, "es"):
        html = owner.client.get(page).text
    assert "Paso bajo de 70 Hz no aplicado: demasiado cerca de la frecuencia de Nyquist" in html
    assert "not applied" not in html


def test_an_unlikely_hypsarrhythmia_says_it_does_not_rule_it_out(world: dict[str, Any]) -> None:
    owner, child = world["owner"], world["child"]
    burst = EDF_FILE.parent.parent / "real_infant" / "eeg_burst_eg.edf"
    eeg = upload(owner, child, burst)
    recording = _recording(owner.client.get(f"/children/{child}").text, eeg)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", recording))
    assert "Hypsarrhythmia (automated assessment): unlikely" in text
    assert "which does not rule hypsarrhythmia out" in text
    with _in_language(owner.client, "es"):
        recording = _recording(owner.client.get(f"/children/{child}").text, eeg)
    assert "que no descarta la hipsarritmia" in recording


def test_an_unlikely_hypsarrhythmia_names_why_it_is_not_ruled_out(world: dict[str, Any]) -> None:
    """demo.edf: "unlikely" at an amplitude above the limit, with too few discharges found.
    The family's technical details and the doctor's share link say why it is not ruled
    out, in the report's words, in both languages; the burst file, assessed unlikely
    without such a reason, keeps only the general caveat."""
    owner, child = world["owner"], world["child"]
    demo = upload(owner, child, EDF_FILE.parent.parent / "real_infant" / "demo.edf")
    token, _link = share(owner, child)
    doctor = anonymous(world["app"])
    said = (
        "(high amplitude without enough discharges found: not ruled out; the neurologist's "
        "reading of the EEG decides)"
    )
    general = "which does not rule hypsarrhythmia out"

    def text(page: str) -> str:
        return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", page)))

    family = text(_recording(owner.client.get(f"/children/{child}").text, demo))
    clinician = text(_recording(doctor.client.get(f"/s/{token}").text, demo))
    for page in (family, clinician):
        assert f"Hypsarrhythmia (automated assessment): unlikely {said}" in page
        assert general not in page  # said once, with its reason
    with _in_language(doctor.client, "es"):
        clinician_es = text(_recording(doctor.client.get(f"/s/{token}").text, demo))
    assert "amplitud alta sin suficientes descargas detectadas: no descartada; decide la" in (
        clinician_es
    )
    assert "not ruled out" not in clinician_es

    burst = upload(owner, child, EDF_FILE.parent.parent / "real_infant" / "eeg_burst_eg.edf")
    plain = text(_recording(owner.client.get(f"/children/{child}").text, burst))
    assert general in plain
    assert "not ruled out)" not in plain


def test_the_caption_says_the_paper_speed_beside_the_gain(world: dict[str, Any]) -> None:
    """The time scale at the nominal size of the page as an image, from its width and the
    page's length: the distance between the drawing's second lines, in mm; the page
    lengths offered say theirs."""
    base = f"/children/{world['child']}/attachments/{world['eeg']}/eeg"
    client = world["owner"].client
    speeds = {}
    for page_s in (10, 20):
        html = client.get(f"{base}?page={page_s}&gain=10").text
        caption = html.split('<figcaption class="small">', 1)[1].split("</figcaption>", 1)[0]
        said = re.search(
            r"Gain 10 µV/mm and speed ([\d.]+) mm/s at the nominal size of the page as an "
            r"image \(270 mm wide; on screen, the bars give the scale\)",
            " ".join(caption.split()),
        )
        assert said, caption
        speeds[page_s] = float(said.group(1))
        # the image's drawing: 270 mm wide, a second between two second lines
        image = ET.fromstring(client.get(f"{base}/page.svg?page={page_s}&gain=10").text)
        assert image.get("width") == "270.0mm"
        xs = sorted(
            {float(x.get("x1", 0)) for x in image.iter(f"{SVG}line") if x.get("y1") != x.get("y2")}
        )
        assert abs(speeds[page_s] - (xs[1] - xs[0])) <= 0.05 + 1e-9  # to 3 digits
        # the wide drawing's settings line says the same speed
        words = " ".join(t.text or "" for t in _svg(html).iter(f"{SVG}text"))
        assert f"· {said.group(1)} mm/s" in words
        options = re.findall(r'<option value="(\d+)"( selected)?>(\d+ s \([\d.]+ mm/s\))<', html)
        assert [(v, label) for v, _, label in options] == [
            ("10", "10 s (24.7 mm/s)"),
            ("20", "20 s (12.3 mm/s)"),
            ("30", "30 s (8.23 mm/s)"),
        ]
        assert [v for v, selected, _ in options if selected] == [str(page_s)]
    assert speeds == {10: 24.7, 20: 12.3}
    with _in_language(client, "es"):
        spanish = client.get(f"{base}?page=10").text
    assert "10 s (24,7 mm/s)" in spanish and "24,7 mm/s" in spanish.split("<figcaption", 1)[1]
