"""A video the analysis could not judge reads as such on the child's page and at the share
link: checks that need the baby are not judged when none was found, the statement says
first what limited the picture, and the family reads plain words where the doctor reads the
technical measures."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from typing import Any

from spasmwatch.store import repo
from spasmwatch.video.quality import assess_quality
from video.test_picture_limits import dark_video, no_baby_video
from web.webworld import add_child, anonymous, new_app, share, sign_up

NOT_JUDGED_MARK = "\N{EN DASH}"
TECHNICAL = ("Laplacian", "grey level", "short sides of the picture")


def _sent(tmp_path: Path, video: Path) -> tuple[Any, Any, int, str]:
    """A family that sent ``video`` from the child's page, and a share link for a doctor."""
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Mia")
    with video.open("rb") as f:
        sent = owner.form(
            f"/children/{child}/attachments", {}, files={"file": (video.name, f, "video/mp4")}
        )
    assert sent.status_code == 303
    token, _ = share(owner, child)
    return app, owner, child, token


def _words(markup: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _statement(html: str) -> str:
    found = re.search(r'<p class="statement">(.*?)</p>', html, re.S)
    assert found, "no video statement"
    return _words(found.group(1))


def _todo(html: str) -> list[str]:
    """The family's list of what to do under the video's statement, an item a sentence."""
    found = re.search(r'<ul class="statement video-todo">(.*?)</ul>', html, re.S)
    assert found, "no list of what to do"
    return [_words(item) for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]


def _checks(html: str) -> list[str]:
    """The quality list's items as "class: text" (the text starts with its mark)."""
    found = re.search(r'<details class="small quality-checks".*?</details>', html, re.S)
    assert found, "no quality checks"
    items = re.findall(r"<li class=\"([a-z-]+)\">(.*?)</li>", found.group(0), re.S)
    return [f"{cls}: {_words(text)}" for cls, text in items]


def _check(checks: list[str], label: str) -> str:
    return next(c for c in checks if label in c)


def _summary(html: str) -> str:
    found = re.search(r'<details class="small quality-checks"[^>]*><summary>(.*?)</summary>', html)
    assert found
    return _words(found.group(1))


def test_a_video_with_no_baby_reads_as_not_checked(tmp_path: Path) -> None:
    app, owner, child, token = _sent(tmp_path, no_baby_video(tmp_path / "nobody.mp4"))
    family = owner.client.get(f"/children/{child}").text
    said = _statement(family)
    assert said == (
        "Video analysis: No baby could be found in the picture, so the video could not be "
        "checked for spasm-like movements."
    )
    assert any(
        t.startswith("Film the baby again: the whole baby in the picture") for t in _todo(family)
    )
    assert "No spasm-like movement was detected" not in family
    assert "high sensitivity" not in said
    assert _summary(family) == "Video quality: 1 of 5 checks not passed, 2 not judged"
    checks = _checks(family)
    not_judged = [c for c in checks if c.startswith("not-judged")]
    assert not_judged == [  # neither a tick nor a cross
        f"not-judged: {NOT_JUDGED_MARK} {label} (not judged: no baby found)"
        for label in ("Baby large enough in the picture", "Whole baby in view")
    ]
    assert not any("share of the picture" in c for c in checks)  # no numbers of nothing
    # no pictures of nothing: no contact sheet, no motion plot, no "none found"
    assert "/images/" not in family and "How much of the baby moves" not in family
    assert "No movement events" not in family
    # a new video helps, not another sensitivity
    assert "Analyse again" not in family and "Detector sensitivity" not in family
    # the doctor at the share link reads the same, in a doctor's words
    doctor = anonymous(app).client.get(f"/s/{token}").text
    said = _statement(doctor)
    assert said.startswith("Video analysis: No baby could be found in the picture")
    assert said.endswith("Watch the video itself.") and "Film the baby again" not in said
    assert "No spasm-like movement was detected" not in doctor
    assert sum("not judged: no baby found" in c for c in _checks(doctor)) == 2
    # in Spanish, nothing reads as a negative either
    spanish = owner.client.get(f"/children/{child}", headers={"Accept-Language": "es"}).text
    assert "No se detectó ningún movimiento" not in spanish


def test_the_family_reads_plain_measures_and_the_doctor_the_technical_ones(
    tmp_path: Path,
) -> None:
    app, owner, child, token = _sent(tmp_path, dark_video(tmp_path / "night.mp4"))
    family = owner.client.get(f"/children/{child}").text
    said = _statement(family)
    assert said == (
        "Video analysis: Nothing spasm-like could be seen in this picture (too dark): that is "
        "not reassurance, as a picture like this can hide spasms."
    )
    assert "No spasm-like movement was detected" not in family
    todo = _todo(family)
    assert "The video is too dark to see small movements: turn on a light." in todo
    assert (
        "Film the baby again: the whole baby in the picture, in good light, with the phone "
        "held still or resting on something steady."
    ) in todo
    assert "high sensitivity" not in family  # a new video helps, not a finer look
    checks = _checks(family)
    light = _check(checks, "Light enough")
    assert re.search(r"\(brightness \d+(\.\d+)? of 255; 40 or more is light enough\)$", light)
    focus = _check(checks, "In focus")
    assert re.search(r"\(sharpness [\d,.]+; 12 or more is sharp enough\)$", focus), focus
    # the phone's movement and the baby's place as shares of the picture, in percent
    camera = _check(checks, "Camera steady")
    assert camera.endswith(
        "(the phone moved 0 % of the picture's shorter side a second; at most 8 % allowed)"
    ), camera
    size = _check(checks, "Baby large enough")
    assert re.search(r"\(the baby covers \d+(\.\d)? % of the picture; at least 6 % needed\)$", size)
    edge = _check(checks, "Whole baby in view")
    assert re.search(r"\(the baby touches \d+(\.\d)? % of the picture's edge; at most 40 %", edge)
    for technical in TECHNICAL:
        assert technical not in _words(family)
    assert not re.search(r"\b0\.\d", " ".join(checks)), checks  # no bare shares
    # a video with a baby in it keeps its pictures (none are left out but where none was)
    assert "/images/contact_sheet" in family and "/images/motion" in family
    # in the page's number format: a decimal comma in Spanish
    (brightness,) = re.findall(r"brightness (\d+\.\d) of 255", light)
    spanish = owner.client.get(f"/children/{child}", headers={"Accept-Language": "es"}).text
    assert f" {brightness.replace('.', ',')} " in _words(spanish)
    doctor = anonymous(app).client.get(f"/s/{token}").text
    words = _words(doctor)
    assert "Laplacian variance; limit 12" in words and "grey level (0-255); limit 40" in words
    assert "short sides of the picture per second; limit 0.08" in words
    # the doctor reads "none detected" with what limits it, never a bare negative
    assert _statement(doctor).startswith(
        "Video analysis: Spasm-like movements: none detected; the picture limits the result "
        "(too dark). This is not a negative finding"
    )
    assert "No spasm-like movement was detected" not in doctor and "What to do" not in doctor


def test_rhythmic_movement_on_a_shaken_picture_at_the_page_and_the_share_link(
    tmp_path: Path,
) -> None:
    app, owner, child, token = _sent(tmp_path, no_baby_video(tmp_path / "shaken.mp4"))
    quality = assess_quality(
        duration_s=20.0,
        brightness=[120.0],
        sharpness=[118.0],
        camera_speed=[1.85],
        infant_share=0.3,
        infant_found=True,
        edge_share=0.1,
    )
    with app.state.db.transaction() as s:
        (row,) = repo.attachments_for(s, child)
        shaken = {
            **row.analysis["result"],
            "summary": {"spasm_like": 0, "clusters": 0, "rhythmic": 1, "jerk": 0, "other": 0},
            "events": [{"kind": "rhythmic", "start_s": 4.0, "end_s": 7.0, "score": 0.9}],
            "quality": quality,
        }
        repo.set_attachment_analysis(s, row.id, {**row.analysis, "result": shaken})
    page = owner.client.get(f"/children/{child}").text
    family = _statement(page)
    assert family.startswith(
        "Video analysis: Nothing spasm-like could be seen in this picture (the phone moved "
        "too much)"
    )
    assert family.index("the phone moved too much") < family.index("1 rhythmic movement")
    assert "it may be the phone's own shaking, not the baby's" in family
    todo = _todo(page)
    assert todo[0] == (
        "The video cannot tell whether the baby was jerking. If the baby's jerking went on and "
        "could not be stopped (it went on when you held the limb or woke the baby), it can be "
        "a seizure: if it lasts 5 minutes or more, or the baby does not recover afterwards, "
        "call emergency services now."
    )
    assert "The phone moved a lot: rest it on something or hold it with both hands." in todo
    doctor = _statement(anonymous(app).client.get(f"/s/{token}").text)
    assert doctor.index("the phone moved too much") < doctor.index("1 rhythmic movement")
    assert "phone's own shaking" in doctor and "emergency" not in doctor
