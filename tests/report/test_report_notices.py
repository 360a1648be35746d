"""The report says what the family's page said beside the triage answer about a video or
an EEG that calls for a doctor sooner than the diary's answer, on page 1 and under "What
the family was advised"; the level stays the diary's. The same decisions
(:func:`~spasmwatch.diary.overview.urgent_video`, :func:`~spasmwatch.diary.overview.urgent_eeg`)
make both, so the page and the report never disagree. An ``unlikely`` EEG whose reasons
say it is not ruled out says so in the report's summary too."""

from __future__ import annotations

import json
import re
import subprocess
from html import unescape
from pathlib import Path
from typing import Any

import pytest

from report.diary import cluster_video
from report.pdf import pdf_text
from spasmwatch.diary.overview import EEG_LONG_MARK_S, family_notices, urgent_eeg
from spasmwatch.eeg.analysis import analyze_eeg
from spasmwatch.eeg.reasons import background_reasons
from spasmwatch.report.build import NOT_RULED_OUT, not_ruled_out
from spasmwatch.report.notices import FamilyNotice
from spasmwatch.store import repo
from web.webworld import SPASM_EPISODE, add_child, log_episode, new_app, share, sign_up, upload

#: The real infant EEG of the finding: its pattern is not seen (amplitude high, too few
#: discharges found) and its seizure detector marks a possible seizure of 391 s.
DEMO = Path(__file__).resolve().parents[3] / "shared/data/eeg/real_infant/demo.edf"
#: Hiccups, once: a routine answer.
HICCUPS = {**SPASM_EPISODE, "movements": ["hiccups"], "count": 1}


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _level_box(html: str) -> str:
    """The report's triage level box on page 1, as text."""
    box = html.split('<section class="level')[1].split("</section>")[0]
    return _text(box.split(">", 1)[1])


def _advised(html: str) -> str:
    """The report's "What the family was advised", as text."""
    return _text(html.split("What the family was advised")[1].split("</section>")[0])


def _page_alerts(html: str) -> list[str]:
    """The kinds of the alerts the child page shows beside its triage answer."""
    return re.findall(r'class="[^"]*\b(video|eeg)-alert"', html)


def _family(tmp_path: Path) -> tuple[Any, Any, int, int]:
    """A family whose diary answers routine, with ``demo.edf`` uploaded and analysed."""
    app = new_app(tmp_path)
    owner = sign_up(app, "owner@example.org")
    child = add_child(owner, "Mia")
    log_episode(owner, child, HICCUPS)
    eeg = upload(owner, child, DEMO)
    with app.state.db.reading() as s:
        assert repo.get_attachment(s, eeg).analysis["status"] == "done"
    return app, owner, child, eeg


def _edit_result(app: Any, attachment_id: int, **changes: Any) -> None:
    """Change the stored analysis' result document (``background`` entries are merged)."""
    with app.state.db.transaction() as s:
        row = repo.get_attachment(s, attachment_id)
        result = dict(row.analysis["result"])
        for key, value in changes.items():
            result[key] = {**result[key], **value} if key == "background" else value
        repo.set_attachment_analysis(s, row.id, {**row.analysis, "result": result})


def test_a_long_possible_seizure_is_said_beside_a_routine_level(tmp_path: Path) -> None:
    """The finding: a routine diary and demo.edf, whose seizure detector marked a possible
    seizure of 391 s; the family's page told them to have a doctor look at it today. The
    report says it on page 1 and under the advice, and the level stays routine."""
    app, owner, child, _eeg = _family(tmp_path)
    page = owner.client.get(f"/children/{child}").text
    assert _page_alerts(page) == ["eeg"]

    html = owner.client.get(f"/children/{child}/report.html").text
    box = _level_box(html)
    assert box.startswith("Routine")
    assert "Current triage level (routine) of the whole diary, as shown to the family" in box
    said = (
        "Today The EEG “demo.edf”: The seizure detector (made for newborns) marked a "
        "possible seizure of 391 s (about 7 min), for the neurologist's reading. The triage "
        "level above reads only what the family logged in the diary, not the EEGs: it stays "
        "the diary's, and beside it the family was told to seek care today for this EEG."
    )
    assert box.endswith(said)
    advised = _advised(html)
    assert advised.startswith("Routine")
    assert advised.endswith(said)
    # the second finding: "unlikely" beside reasons that say it is not ruled out
    assert (
        "demo.edf: BASED-like score 2/5, hypsarrhythmia unlikely (high amplitude without "
        "enough discharges found: not ruled out)" in _text(html)
    )

    pdf = tmp_path / "report.pdf"
    response = owner.client.get(f"/children/{child}/report.pdf")
    assert response.status_code == 200
    pdf.write_bytes(response.content)
    first = " ".join(
        subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.split()
    )
    assert "Routine" in first
    assert "The EEG “demo.edf”: The seizure detector (made for newborns) marked" in first
    assert "the family was told to seek care today for this EEG." in first
    assert "hypsarrhythmia unlikely (high amplitude without enough discharges found" in first
    everything = " ".join(pdf_text(pdf).split())
    assert everything.count("the family was told to seek care today for this EEG.") == 2

    # the share link's report says the same: the clinician reads it too
    token, _ = share(owner, child)
    shared = owner.client.get(f"/s/{token}/report.html").text
    assert _level_box(shared).endswith(said)
    app.state.db.dispose()


def test_a_likely_eeg_is_said_and_goes_once_the_diary_says_as_soon(tmp_path: Path) -> None:
    app, owner, child, eeg = _family(tmp_path)
    _edit_result(
        app,
        eeg,
        events=[],
        background={"hypsarrhythmia_assessment": "likely", "hypsarrhythmia_likely": True},
    )
    html = owner.client.get(f"/children/{child}/report.html").text
    assert _level_box(html).endswith(
        "Today The EEG “demo.edf”: Automated assessment: hypsarrhythmia likely, for the "
        "neurologist's reading. The triage level above reads only what the family logged in "
        "the diary, not the EEGs: it stays the diary's, and beside it the family was told to "
        "seek care today for this EEG."
    )
    assert "hypsarrhythmia likely" in _advised(html)
    # a likely assessment has no "not ruled out"
    assert re.search(r"hypsarrhythmia likely\s*(</dd>|;)", html)
    assert _page_alerts(owner.client.get(f"/children/{child}").text) == ["eeg"]

    spanish = owner.client.get(
        f"/children/{child}/report.html", headers={"Accept-Language": "es"}
    ).text
    assert '<html lang="es">' in spanish
    box = _level_box(spanish)
    assert "Hoy El EEG «demo.edf»: Valoración automática: hipsarritmia probable" in box
    assert "“demo.edf”" not in box

    # a spasm series logged: the diary says as soon, and neither the page nor the report
    # says anything beside it
    log_episode(owner, child, SPASM_EPISODE)
    html = owner.client.get(f"/children/{child}/report.html").text
    assert 'class="family-notice' not in html
    assert _level_box(html).startswith("Today")
    assert _page_alerts(owner.client.get(f"/children/{child}").text) == []
    app.state.db.dispose()


def test_a_video_is_said_before_the_eeg_with_how_soon(tmp_path: Path) -> None:
    """A video of a series of spasm-like movements, analysed: same day, said first; with
    one or two spasm-like movements and no series: within days."""
    app, owner, child, _eeg = _family(tmp_path)
    video = upload(owner, child, cluster_video(tmp_path / "evening.mp4"))
    with app.state.db.reading() as s:
        analysis = repo.get_attachment(s, video).analysis
    assert analysis["status"] == "done"
    assert analysis["result"]["summary"]["clusters"] >= 1

    html = owner.client.get(f"/children/{child}/report.html").text
    box = _level_box(html)
    assert box.index("The video “evening.mp4”:") < box.index("The EEG “demo.edf”:")
    video_said = box.split("The video “evening.mp4”:")[1].split("Today The EEG")[0]
    assert re.search(r"\d+ spasm-like movements detected, in \d+ clusters?\.", video_said)
    assert video_said.strip().endswith(
        "not the videos: it stays the diary's, and beside it the family was told to seek "
        "care today for this video."
    )
    assert 'class="family-notice video-notice notice-level-same_day"' in html
    assert _advised(html).count("The video “evening.mp4”:") == 1
    assert _page_alerts(owner.client.get(f"/children/{child}").text) == ["video", "eeg"]

    _edit_result(app, video, summary={"spasm_like": 2, "clusters": 0, "rhythmic": 0})
    html = owner.client.get(f"/children/{child}/report.html").text
    assert "Within days The video “evening.mp4”: 2 spasm-like movements detected." in (
        _level_box(html)
    )
    assert (
        "the family was told to show this video to a doctor within the next few days, or "
        "today if more movements like these come or they came just after waking." in html
    )
    assert 'class="family-notice video-notice notice-level-soon"' in html
    app.state.db.dispose()


def test_the_notices_are_the_pages_decisions() -> None:
    """:func:`family_notices` is :func:`urgent_video` and :func:`urgent_eeg`: the newest
    EEG speaks for the child, an answer as soon or sooner leaves nothing to say."""
    from types import SimpleNamespace

    def eeg(id: int, assessment: str, sz_s: float = 0.0) -> SimpleNamespace:
        events = [{"onset": 1.0, "duration": sz_s, "eventType": "sz"}] if sz_s else []
        result = {"background": {"hypsarrhythmia_assessment": assessment}, "events": events}
        return SimpleNamespace(
            id=id, kind="eeg", filename=f"e{id}.edf", analysis={"status": "done", "result": result}
        )

    long_mark = eeg(2, "unlikely", EEG_LONG_MARK_S + 91)
    found = family_notices(iter([eeg(1, "likely"), long_mark]), "routine")
    assert found == (
        FamilyNotice(
            "eeg",
            "e2.edf",
            "same_day",
            why="long_mark",
            result=long_mark.analysis["result"],
            longest_s=EEG_LONG_MARK_S + 91,
        ),
    )
    assert found[0].why == urgent_eeg([long_mark], "routine").why  # type: ignore[union-attr]
    assert family_notices([eeg(3, "likely"), long_mark], "soon")[0].why == "pattern"
    assert family_notices([eeg(3, "likely")], "same_day") == ()
    assert family_notices([eeg(4, "unlikely", EEG_LONG_MARK_S - 1)], "routine") == ()


def test_every_word_of_a_notice_is_said_in_the_reports_language() -> None:
    """Each sentence goes through the language's gettext (here one that marks it)."""
    marked: list[str] = []

    def gettext(message: str) -> str:
        marked.append(message)
        return f"<{message}>"

    notice = FamilyNotice("eeg", "a.edf", "same_day", why="long_mark", longest_s=450.0)
    name, said = notice.words(gettext, lambda one, many, n: one if n == 1 else many, "es")
    assert name == "<The EEG “a.edf”:>"
    assert said.startswith("<The seizure detector") and said.endswith("this EEG.>")
    assert "450 s (about 8 min)" in said
    assert len(marked) == 3
    with pytest.raises(ValueError, match="Invalid value for 'kind'"):
        FamilyNotice("photo", "a.jpg", "same_day")
    with pytest.raises(ValueError, match="Invalid value for 'why'"):
        FamilyNotice("eeg", "a.edf", "same_day", why="hunch")


@pytest.fixture(scope="module")
def demo_background() -> dict[str, Any]:
    """demo.edf's background as the analysis stores it."""
    doc = json.loads(json.dumps(analyze_eeg(DEMO).to_dict(), default=str))
    return dict(doc["background"])


def test_not_ruled_out_is_the_reasons_own_choice(demo_background: dict[str, Any]) -> None:
    """The summary's "not ruled out" is said exactly where the analysis' reasons say that
    the assessment does not rule hypsarrhythmia out, and names the same reason."""
    b = demo_background
    lim = b["limits"]
    assert b["hypsarrhythmia_assessment"] == "unlikely"
    cases = {
        "high_amplitude": b,
        "in_part": {
            **b,
            "spike_wave_index": float(lim["spike_wave_index"]),
            "spike_foci": int(lim["min_foci"]),
            "amplitude_uv_p25": float(lim["sustained_amplitude_uv"]) - 1,
        },
        "": {**b, "amplitude_uv_p95": float(lim["high_amplitude_uv"]) - 1},
    }
    opening = {
        "high_amplitude": "high amplitude without enough discharges found:",
        "in_part": "high amplitude and the other criteria only in part of the recording:",
    }
    for expected, background in cases.items():
        assert not_ruled_out(background) == expected
        reasons = background_reasons(background)
        for key, start in opening.items():
            assert any(r.startswith(start) for r in reasons) == (key == expected), key
        if expected:
            assert NOT_RULED_OUT[expected].startswith(opening[expected])
    # said only of "unlikely", and not of a result stored before its reasons could be
    # said again
    assert not_ruled_out({**b, "hypsarrhythmia_assessment": "likely"}) == ""
    assert not_ruled_out({**b, "hypsarrhythmia_assessment": "cannot_assess"}) == ""
    assert not_ruled_out({k: v for k, v in b.items() if k != "limits"}) == ""
