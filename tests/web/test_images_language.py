"""An analysis's images in the reader's language, on the child page and at a share link;
an analysis stored before they were drawn in each language shows its English ones."""

from __future__ import annotations

from pathlib import Path

from spasmwatch.images import IMAGE_FILES, image_file
from spasmwatch.store import repo
from web.webworld import EDF_FILE, add_child, anonymous, new_app, share, sign_up, upload

HELSINKI_CLIP = EDF_FILE.parent.parent / "helsinki" / "clips" / "eeg1.edf"
NOTE_ES = "Las palabras dentro de estas imágenes están en inglés"


def test_the_images_are_served_in_the_reader_s_language(tmp_path: Path) -> None:
    app = new_app(tmp_path)
    parent = sign_up(app, "ana@example.org")
    child = add_child(parent)
    eeg = upload(parent, child, HELSINKI_CLIP)  # analysed before the answer returns
    db = app.state.db
    with db.reading() as s:
        row = repo.get_attachment(s, eeg)
        folder = db.analysis_dir(row.sha256)
        analysis = dict(row.analysis)
    assert analysis["status"] == "done" and analysis["image_locales"] == ["en", "es"]
    drawn = {
        locale: {
            name: (folder / image_file(file, locale)).read_bytes()
            for name, file in IMAGE_FILES["eeg"].items()
        }
        for locale in ("en", "es")
    }
    base = f"/children/{child}/attachments/{eeg}"

    def image(person, name: str, **headers: str) -> bytes:
        response = person.client.get(f"{base}/images/{name}", headers=headers)
        assert response.status_code == 200 and response.headers["content-type"] == "image/png"
        assert response.headers["cache-control"] == "no-store"  # a switch shows the other
        return response.content

    # the browser's language, then the switch's
    for name in IMAGE_FILES["eeg"]:
        assert image(parent, name, **{"Accept-Language": "es-ES,es;q=0.9"}) == drawn["es"][name]
        assert image(parent, name) == drawn["en"][name]
    parent.client.cookies.set("sw_lang", "es")
    assert image(parent, "amplitude", **{"Accept-Language": "en"}) == drawn["es"]["amplitude"]
    assert NOTE_ES not in parent.client.get(f"{base}/analysis").text
    parent.client.cookies.set("sw_lang", "en")
    # the clinician at a share link, in their browser's language
    token, _ = share(parent, child)
    clinician = anonymous(app)
    shared = f"/s/{token}/attachments/{eeg}/images/spectrogram"
    spanish = clinician.client.get(shared, headers={"Accept-Language": "es"})
    assert spanish.content == drawn["es"]["spectrogram"]
    assert clinician.client.get(shared).content == drawn["en"]["spectrogram"]

    # an analysis stored before the images were drawn in each language: English files only
    for file in IMAGE_FILES["eeg"].values():
        (folder / image_file(file, "es")).unlink()
    del analysis["image_locales"]
    with db.transaction() as s:
        repo.set_attachment_analysis(s, eeg, analysis)
    parent.client.cookies.set("sw_lang", "es")
    for name in IMAGE_FILES["eeg"]:
        assert image(parent, name) == drawn["en"][name]
    fragment = parent.client.get(f"{base}/analysis").text
    assert NOTE_ES in fragment and f"{base}/images/amplitude" in fragment
    spanish = clinician.client.get(shared, headers={"Accept-Language": "es"})
    assert spanish.status_code == 200 and spanish.content == drawn["en"]["spectrogram"]
