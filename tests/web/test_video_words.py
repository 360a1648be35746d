"""What a family and a doctor read about an analysed video on the child's page and at the
share link: what was found apart from what to do (a list), every safety sentence kept; a
picture that limits a video in which nothing was found is no reassurance; and where no baby
was found, what the whole picture's search found is the doctor's, never the family's
counts.

Each video is a real upload whose stored result is then set to the outcome under test, as
the analysis stores it (real SQLite, the real page).
"""

from __future__ import annotations

from typing import Any

import pytest

from spasmwatch.store import repo
from spasmwatch.video.quality import assess_quality
from video.test_picture_limits import no_baby_video
from web.test_video_honesty import _sent, _statement, _todo, _words
from web.webworld import anonymous

GOOD = {
    "duration_s": 60.0,
    "brightness": [120.0],
    "sharpness": [150.0],
    "camera_speed": [0.01],
    "infant_share": 0.3,
    "infant_found": True,
    "edge_share": 0.05,
}
#: What the family is told to do about rhythmic jerking, word for word (the shaken
#: picture's and the steady one's).
EMERGENCY_SHAKEN = (
    "The video cannot tell whether the baby was jerking. If the baby's jerking went on and "
    "could not be stopped (it went on when you held the limb or woke the baby), it can be a "
    "seizure: if it lasts 5 minutes or more, or the baby does not recover afterwards, call "
    "emergency services now."
)
EMERGENCY = (
    "Rhythmic jerking that goes on and cannot be stopped (it goes on when you hold the limb "
    "or wake the baby) can be a seizure: if it lasts 5 minutes or more, or the baby does not "
    "recover afterwards, call emergency services now."
)
TODAY = (
    "Movements like these should be seen by a doctor today: contact your doctor or "
    "paediatric service today and show them this video and these times."
)
NOT_THE_BABY = (
    "Found in the whole picture, as no baby was found: these may not be the baby's movements."
)


def _events(kind: str, n: int, start_s: float = 2.0) -> list[dict[str, Any]]:
    return [
        {"kind": kind, "start_s": start_s + 3.0 * i, "end_s": start_s + 3.0 * i + 1.5, "score": 0.9}
        for i in range(n)
    ]


def _set_result(app: Any, child: int, **result: Any) -> None:
    """The child's one video's stored result, changed to ``result``."""
    with app.state.db.transaction() as s:
        (row,) = repo.attachments_for(s, child)
        stored = {**row.analysis["result"], **result}
        repo.set_attachment_analysis(s, row.id, {**row.analysis, "result": stored})


def _summary(spasm_like: int = 0, clusters: int = 0, rhythmic: int = 0, jerk: int = 0) -> dict:
    return {
        "spasm_like": spasm_like,
        "clusters": clusters,
        "rhythmic": rhythmic,
        "jerk": jerk,
        "other": 0,
    }


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, int, str]:
    folder = tmp_path_factory.mktemp("video-words")
    return _sent(folder, no_baby_video(folder / "phone.mp4"))


OUTCOMES: dict[str, dict[str, Any]] = {
    "cluster": {
        "summary": _summary(spasm_like=5, clusters=1),
        "events": _events("spasm_like", 5),
        "quality": assess_quality(**GOOD),
    },
    "rhythmic": {
        "summary": _summary(rhythmic=1),
        "events": _events("rhythmic", 1),
        "quality": assess_quality(**GOOD),
    },
    "shaken rhythmic": {
        "summary": _summary(rhythmic=2),
        "events": _events("rhythmic", 2),
        "quality": assess_quality(**{**GOOD, "camera_speed": [1.85]}),
    },
    "good nothing": {"summary": _summary(), "events": [], "quality": assess_quality(**GOOD)},
    "dark nothing": {
        "summary": _summary(),
        "events": [],
        "quality": assess_quality(**{**GOOD, "brightness": [12.0]}),
    },
    "no baby": {
        "summary": _summary(),
        "events": [],
        "quality": assess_quality(**{**GOOD, "infant_found": False}),
    },
}


@pytest.mark.parametrize("outcome", list(OUTCOMES))
def test_the_family_reads_what_was_found_apart_from_what_to_do(sent, outcome: str) -> None:
    """What was found in a short paragraph, then "What to do:" and a list; the safety
    sentences are in the list, word for word, and only there."""
    app, owner, child, _token = sent
    _set_result(app, child, **OUTCOMES[outcome])
    page = owner.client.get(f"/children/{child}").text
    found = _statement(page)
    todo = _todo(page)
    assert len(found.split()) <= 80, found
    assert '<p class="statement video-todo-head"><strong>What to do:</strong></p>' in page
    assert todo and all(len(item.split()) <= 60 for item in todo), todo
    if outcome == "cluster":
        assert todo[0] == TODAY and "5 spasm-like movements detected, in 1 cluster." in found
    if outcome == "rhythmic":
        assert todo[0] == EMERGENCY
    if outcome == "shaken rhythmic":
        assert todo[0] == EMERGENCY_SHAKEN
        assert "may be the phone's own shaking" in found
    for sentence in (EMERGENCY, EMERGENCY_SHAKEN, TODAY):
        assert sentence not in found  # what to do is never mixed into what was found


def test_a_good_picture_with_nothing_found_keeps_its_words(sent) -> None:
    app, owner, child, token = sent
    _set_result(app, child, **OUTCOMES["good nothing"])
    page = owner.client.get(f"/children/{child}").text
    assert _statement(page) == (
        "Video analysis: No spasm-like movement was detected. This does not rule out spasms: "
        "subtle ones (a small head nod, a brief eye roll or grimace) can be missed by the "
        "detector."
    )
    assert _todo(page) == [
        "If you are worried, a doctor should watch the video itself.",
        "Small head nods show best on a video filmed from the side, level with the baby: from "
        "straight above they hardly move the picture.",
        "Analysing it again at high sensitivity finds subtler movements (and more that are "
        "not spasms).",
    ]
    doctor = _statement(anonymous(app).client.get(f"/s/{token}").text)
    assert doctor == (
        "Video analysis: No spasm-like movement was detected. This does not rule out spasms: "
        "subtle ones (a small head nod, a brief eye roll or grimace) can be missed by the "
        "detector. Watch the video itself. Small head nods show best on a video filmed from "
        "the side, level with the baby: from straight above they hardly move the picture."
    )


@pytest.mark.parametrize(
    ("change", "limit"),
    [
        ({"brightness": [12.0]}, "too dark"),
        ({"sharpness": [3.0]}, "blurred"),
        ({"camera_speed": [0.5]}, "the phone moved too much"),
        ({"infant_share": 0.02}, "the baby is small in the picture"),
        ({"edge_share": 0.6}, "part of the baby out of the picture"),
    ],
)
def test_a_picture_that_limits_a_video_with_nothing_found_is_no_reassurance(
    sent, change: dict[str, Any], limit: str
) -> None:
    """Each failed check of the picture: the family is told nothing could be seen, that it
    is no reassurance, and to film again; the doctor reads "none detected; the picture
    limits the result (...)"."""
    app, owner, child, token = sent
    _set_result(
        app,
        child,
        summary=_summary(),
        events=[],
        quality=assess_quality(**{**GOOD, **change}),
    )
    page = owner.client.get(f"/children/{child}").text
    assert _statement(page) == (
        f"Video analysis: Nothing spasm-like could be seen in this picture ({limit}): that is "
        "not reassurance, as a picture like this can hide spasms."
    )
    todo = _todo(page)
    assert (
        "Film the baby again: the whole baby in the picture, in good light, with the phone "
        "held still or resting on something steady."
    ) in todo
    assert "No spasm-like movement was detected" not in page and "high sensitivity" not in page
    doctor = _statement(anonymous(app).client.get(f"/s/{token}").text)
    assert doctor.startswith(
        f"Video analysis: Spasm-like movements: none detected; the picture limits the result "
        f"({limit})."
    )


def test_movements_found_without_a_baby_are_the_doctors_not_the_familys(sent) -> None:
    """The whole picture was searched: the family reads that movements were found that may
    not be the baby's, and no count, time or list of them; the doctor at the share link
    reads the counts and the times under a heading that says so."""
    app, owner, child, token = sent
    _set_result(
        app,
        child,
        summary=_summary(spasm_like=3, clusters=1, jerk=2),
        events=[*_events("spasm_like", 3), *_events("jerk", 2, start_s=20.0)],
        quality=assess_quality(**{**GOOD, "infant_found": False}),
    )
    page = owner.client.get(f"/children/{child}").text
    said = _statement(page)
    assert said == (
        "Video analysis: No baby could be found in the picture, so the video could not be "
        "checked for spasm-like movements. Movements were found in the picture, but they may "
        "not be the baby's: the whole picture was searched, not the baby."
    )
    words = _words(page)
    assert "spasm-like movements detected" not in words and "Also found" not in words
    assert "Detected at" not in words and 'class="link seek"' not in page
    assert NOT_THE_BABY not in words
    todo = _todo(page)
    assert "Film the baby again" in " ".join(todo)
    assert (
        "If you saw the baby make movements like spasms, contact your doctor or paediatric "
        "service today and show them this video."
    ) in todo
    doctor = anonymous(app).client.get(f"/s/{token}").text
    assert "3 spasm-like movements detected, in 1 cluster." in _statement(doctor)
    assert "may not be the baby's movement" in _statement(doctor)
    assert NOT_THE_BABY in _words(doctor) and "Detected at" not in _words(doctor)
    assert doctor.count('class="link seek"') == 5
    assert doctor.index("these may not be the baby&#39;s movements") < doctor.index("link seek")
