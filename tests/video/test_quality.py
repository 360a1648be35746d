"""The per-video quality check and the plain-language statement of a result."""

from __future__ import annotations

import pytest

from spasmwatch.case import parse_case
from spasmwatch.triage import triage
from spasmwatch.video import analyze_video, assess_quality, describe_video
from spasmwatch.video import quality as q
from spasmwatch.video.statement import SHORT_RHYTHM_S
from spasmwatch.video.urgency import VIDEO_URGENCY

GOOD = {
    "duration_s": 60.0,
    "brightness": [120.0] * 10,
    "sharpness": [200.0] * 10,
    "camera_speed": [0.01] * 10,
    "infant_share": 0.3,
    "infant_found": True,
    "edge_share": 0.05,
}


def _failed(**changes: object) -> list[str]:
    block = assess_quality(**{**GOOD, **changes})
    return [c["id"] for c in block["checks"] if not c["ok"]]


def test_a_good_video_passes_every_check() -> None:
    block = assess_quality(**GOOD)
    assert block["ok"] and not block["problems"]
    assert {c["id"] for c in block["checks"]} == {
        "duration",
        "brightness",
        "focus",
        "camera",
        "infant_found",
        "infant_size",
        "infant_in_view",
    }


@pytest.mark.parametrize(
    ("check", "field", "passing", "failing"),
    [
        ("duration", "duration_s", q.MIN_DURATION_S, q.MIN_DURATION_S - 0.1),
        ("brightness", "brightness", [q.DARK_LEVEL], [q.DARK_LEVEL - 1]),
        ("focus", "sharpness", [q.BLUR_LEVEL], [q.BLUR_LEVEL - 0.5]),
        ("camera", "camera_speed", [q.CAMERA_SPEED_LIMIT], [q.CAMERA_SPEED_LIMIT + 0.01]),
        ("infant_size", "infant_share", q.SMALL_INFANT_SHARE, q.SMALL_INFANT_SHARE - 0.01),
        ("infant_in_view", "edge_share", q.EDGE_SHARE, q.EDGE_SHARE + 0.01),
        ("infant_found", "infant_found", True, False),
    ],
)
def test_each_check_on_both_sides_of_its_limit(check, field, passing, failing) -> None:
    assert check not in _failed(**{field: passing})
    assert check in _failed(**{field: failing})
    block = assess_quality(**{**GOOD, field: failing})
    assert not block["ok"]
    failed = next(c for c in block["checks"] if c["id"] == check)
    assert failed["message"] and failed["message"] in block["problems"]


def test_nothing_found_never_reads_as_no_spasms() -> None:
    doc = {"summary": {"spasm_like": 0, "clusters": 0}, "quality": assess_quality(**GOOD)}
    lines = describe_video(doc)
    text = " ".join(lines).lower()
    assert "no spasm-like movement was detected" in text
    assert "can be missed" in text and "doctor should watch the video" in text
    assert "filmed from the side" in text
    assert "no spasms" not in text
    assert "high sensitivity" in text
    at_high = describe_video({**doc, "sensitivity": "high"})
    assert "high sensitivity" not in " ".join(at_high)


def test_statement_counts_and_quality_problems() -> None:
    short = assess_quality(**{**GOOD, "duration_s": 8.0})
    lines = describe_video({"summary": {"spasm_like": 5, "clusters": 1}, "quality": short})
    assert lines[0].startswith("5 spasm-like movements detected, in 1 cluster.")
    assert lines[1].startswith("What to do: Movements like these should be seen by a doctor")
    # What was found is a floor: subtle spasms can be missed, so the whole video counts.
    assert lines[2].startswith("The count can be lower than what you saw")
    assert "Show the doctor the whole video" in lines[2]
    assert "very short" in lines[3]
    for_doctor = describe_video(
        {"summary": {"spasm_like": 5, "clusters": 1}, "quality": short}, reader="clinician"
    )
    assert for_doctor[1].startswith("The detector can miss subtle spasms")
    # A result stored before the quality check existed still reads well.
    assert describe_video({"summary": {"spasm_like": 1}}) == [
        "1 spasm-like movement detected. The video is evidence, not a diagnosis.",
        "What to do: Spasms usually come in series, one after another: if more come, or these "
        "came just after the baby woke up, contact a doctor today; otherwise show a doctor "
        "this video and these times within the next few days.",
        "The count can be lower than what you saw: the detector can miss subtle spasms "
        "(small head nods, a brief eye roll or grimace). Show the doctor the whole video, "
        "not only these times.",
    ]


def test_quality_block_in_the_result(short_video) -> None:
    doc = analyze_video(short_video.path).to_dict()
    block = doc["quality"]
    assert set(block) == {"ok", "checks", "problems"}
    assert doc["statement"] == describe_video(doc)
    by_id = {c["id"]: c for c in block["checks"]}
    assert by_id["duration"]["ok"] and by_id["brightness"]["ok"] and by_id["infant_found"]["ok"]


def test_advice_to_analyse_again_follows_the_detector() -> None:
    doc = {"summary": {"spasm_like": 0, "clusters": 0}, "quality": assess_quality(**GOOD)}
    learned = " ".join(describe_video({**doc, "detector": "learned"}))
    assert "subtler movements" in learned and "head nods." not in learned
    rules = " ".join(describe_video({**doc, "detector": "rules"}))
    assert "series of head nods" in rules


def test_each_check_has_a_plain_label_even_in_an_old_result() -> None:
    block = assess_quality(**GOOD)
    assert [c["label"] for c in block["checks"]] == list(q.CHECK_LABELS.values())
    old = {
        "quality": {
            "checks": [{k: v for k, v in c.items() if k != "label"} for c in block["checks"]]
        }
    }
    assert [c["label"] for c in q.quality_checks(old)] == list(q.CHECK_LABELS.values())
    assert q.quality_checks({"summary": {}}) == []


def test_movements_set_aside_as_the_phones_are_said() -> None:
    events = [
        {"kind": "other", "camera_share": 0.4, "set_aside": "phone"},
        {"kind": "other", "camera_share": 0.4, "set_aside": ""},  # not spasm-like anyway
        {"kind": "spasm_like", "camera_share": 0.0},
    ]
    doc = {"summary": {"spasm_like": 1, "clusters": 0}, "events": events}
    text = " ".join(describe_video(doc))
    assert "1 movement looked spasm-like but moved with the phone" in text
    assert "watch it in the video" in text
    two = {**doc, "events": [*events, {"kind": "jerk", "set_aside": "phone"}]}
    assert "2 movements looked spasm-like but moved with the phone" in " ".join(describe_video(two))
    # results stored before the measure say nothing of it
    assert "with the phone" not in " ".join(describe_video({"summary": {"spasm_like": 0}}))


def test_movements_set_aside_as_the_picture_around_moved_are_said() -> None:
    events = [
        {"kind": "other", "outside_share": 0.3, "set_aside": "outside"},
        {"kind": "jerk", "outside_share": 0.3, "set_aside": ""},  # not spasm-like anyway
        {"kind": "other", "camera_share": 0.4, "set_aside": "phone"},
    ]
    doc = {"summary": {"spasm_like": 0, "clusters": 0}, "events": events}
    lines = describe_video(doc)
    text = " ".join(lines)
    assert "1 movement looked spasm-like but the picture around the baby moved" in text
    assert "watch it in the video" in text and "hide a spasm" in text
    # each reason in its own sentence, the nothing-found words still first
    assert lines[0].startswith("No spasm-like movement was detected.")
    assert "1 movement looked spasm-like but moved with the phone" in text
    three = {**doc, "events": [*events, *events[:1], *events[:1]]}
    assert "3 movements looked spasm-like but the picture around the baby" in " ".join(
        describe_video(three)
    )
    assert "around the baby moved" not in " ".join(describe_video({"summary": {"spasm_like": 0}}))


def test_the_clinician_is_told_to_watch_the_video_not_to_show_it_to_a_doctor() -> None:
    found = {"summary": {"spasm_like": 5, "clusters": 1}, "quality": assess_quality(**GOOD)}
    for_family = describe_video(found)
    for_doctor = describe_video(found, reader="clinician")
    assert "by a doctor today" in for_family[1] and "doctor" not in for_doctor[0]
    assert for_doctor[0].endswith(
        "Watch the video at these times: it is evidence, not a diagnosis."
    )
    none = {"summary": {"spasm_like": 0, "clusters": 0}, "quality": assess_quality(**GOOD)}
    text = " ".join(describe_video(none, reader="clinician"))
    assert "can be missed" in text and "Watch the video itself." in text
    assert "doctor" not in text and "high sensitivity" not in text  # cannot analyse it again


def test_a_cluster_says_to_see_a_doctor_today_once() -> None:
    found = {"summary": {"spasm_like": 8, "clusters": 1, "jerk": 0}, "quality": None}
    line, todo, floor = describe_video(found)
    assert floor.startswith("The count can be lower than what you saw")
    assert "today" not in floor  # the day to see a doctor is said once, in what to do
    assert line == (
        "8 spasm-like movements detected, in 1 cluster. The video is evidence, not a diagnosis."
    )
    assert todo == (
        "What to do: Movements like these should be seen by a doctor today: contact your "
        "doctor or paediatric service today and show them this video and these times."
    )
    assert (line + todo).count("evidence") == 1
    # evidence, never a verdict on what the movements are
    for verdict in ("infantile spasms", "epilepsy", "is a seizure", "no spasms"):
        assert verdict not in line.lower()


def test_rhythmic_movement_alone_says_what_a_seizure_needs() -> None:
    doc = {"summary": {"spasm_like": 0, "clusters": 0, "rhythmic": 2}}
    line = " ".join(describe_video(doc))
    assert line.startswith("2 rhythmic movements detected (repeated jerking).")
    assert "cannot be stopped" in line and "can be a seizure" in line
    assert "5 minutes or more" in line and "call emergency services now" in line
    assert "A doctor should watch this video" in line and "today" in line
    # the careful words about spasms stay, never "no spasms"
    assert "No spasm-like movement was detected." in line and "can be missed" in line
    assert "no spasms" not in line.lower() and line.count("evidence") == 1
    for_doctor = " ".join(describe_video(doc, reader="clinician"))
    assert "emergency" not in for_doctor and "doctor" not in for_doctor
    assert "Watch the video at these times" in for_doctor


def _rhythmic(*lengths_s: float) -> dict:
    events = [
        {"kind": "rhythmic", "start_s": 10.0 * i, "end_s": 10.0 * i + length}
        for i, length in enumerate(lengths_s)
    ]
    return {"summary": {"spasm_like": 0, "clusters": 0, "rhythmic": len(events)}, "events": events}


def test_a_short_rhythmic_bout_says_how_long_and_keeps_what_a_seizure_needs() -> None:
    """A bout under SHORT_RHYTHM_S is said to be as common kicking is; what to do if
    jerking goes on stays whatever its length."""
    short = " ".join(describe_video(_rhythmic(3.4, 1.2)))
    assert "The longest lasted 3 s: kicking and jerks that stop by themselves" in short
    longer = " ".join(describe_video(_rhythmic(SHORT_RHYTHM_S + 2)))
    assert "The longest lasted 12 s." in longer and "healthy babies" not in longer
    below = " ".join(describe_video(_rhythmic(SHORT_RHYTHM_S - 0.5)))
    assert "healthy babies" in below
    for line in (short, longer, below):
        assert "5 minutes or more" in line and "call emergency services now" in line
        assert "A doctor should watch this video" in line
    for_doctor = " ".join(describe_video(_rhythmic(3.4), reader="clinician"))
    assert "The longest lasted 3 s." in for_doctor and "healthy babies" not in for_doctor
    # a result without its events (older summaries) says no length
    assert "longest" not in " ".join(describe_video({"summary": {"rhythmic": 1}}))


def test_nothing_found_keeps_its_careful_words() -> None:
    found, todo = describe_video({"summary": {"spasm_like": 0, "clusters": 0, "jerk": 3}})
    assert found.startswith("No spasm-like movement was detected. This does not rule out spasms")
    line = found + " " + todo
    assert "If you are worried, a doctor should watch the video itself." in line
    assert "today" not in line and "emergency" not in line


def _triaged(age_months: float, **episode: object) -> str:
    case = {"child": {"age_months": age_months}, "episodes": [episode]}
    return triage(parse_case(case)).level


def test_the_urgency_said_is_the_one_the_triage_rules_give() -> None:
    """Each finding's words name the level the rules give the same movements logged in the
    diary (``VIDEO_URGENCY``): a cluster today at any age; one or two spasm-like movements
    within days, today just after waking; rhythmic jerking today, an emergency from 5
    minutes."""
    series = {"movements": ["arms_up"], "count": 8, "movement_seconds": 1.5, "state": "awake"}
    assert VIDEO_URGENCY["cluster"] == "same_day"
    assert {_triaged(age, **series) for age in (2, 6, 18, 30)} == {"same_day"}
    cluster = " ".join(describe_video({"summary": {"spasm_like": 8, "clusters": 1}}))
    assert "seen by a doctor today" in cluster

    one = {"movements": ["head_nod"], "count": 1, "movement_seconds": 1.5, "state": "awake"}
    assert VIDEO_URGENCY["few"] == _triaged(6, **one) == "soon"
    on_waking = {**one, "count": 2, "state": "just_woke"}
    assert _triaged(6, **on_waking) == "same_day"
    few = " ".join(describe_video({"summary": {"spasm_like": 2, "clusters": 0}}))
    assert "within the next few days" in few
    assert "just after the baby woke up, contact a doctor today" in few

    jerking = {"movements": ["rhythmic_jerking"], "episode_minutes": 1.0, "state": "awake"}
    assert VIDEO_URGENCY["rhythmic"] == _triaged(6, **jerking) == "same_day"
    assert _triaged(6, **{**jerking, "episode_minutes": 5.0}) == "emergency"
    rhythmic = " ".join(describe_video({"summary": {"spasm_like": 0, "rhythmic": 1}}))
    assert "contact your doctor or paediatric service today" in rhythmic
    assert "if it lasts 5 minutes or more" in rhythmic and "call emergency services" in rhythmic


def test_a_rendered_cluster_and_rendered_kicking_say_how_soon(short_video, kicking_video) -> None:
    cluster = analyze_video(short_video.path).to_dict()
    assert cluster["summary"]["clusters"] >= 1
    assert "should be seen by a doctor today" in " ".join(cluster["statement"])
    kicks = analyze_video(kicking_video.path).to_dict()
    assert kicks["summary"]["spasm_like"] == 0 and kicks["summary"]["rhythmic"] >= 1
    said = " ".join(kicks["statement"])
    assert "can be a seizure" in said and "call emergency services" in said
    assert "No spasm-like movement was detected." in said


NO_BABY = {**GOOD, "infant_found": False, "infant_share": 0.0, "edge_share": 0.0}


def test_checks_of_the_baby_are_not_judged_when_none_was_found() -> None:
    block = assess_quality(**NO_BABY)
    by_id = {c["id"]: c for c in block["checks"]}
    assert by_id["infant_found"]["ok"] is False and not block["ok"]
    for key in q.NEEDS_INFANT:  # neither passed nor failed, and no advice
        assert by_id[key]["ok"] is None and by_id[key]["message"] == ""
    assert block["problems"] == [by_id["infant_found"]["message"]]
    words = {c["id"]: c for c in q.quality_checks({"quality": block})}
    assert words["infant_size"]["not_judged"] == "not judged: no baby found"
    assert "not_judged" not in words["infant_found"] and "not_judged" not in words["camera"]
    # a result stored when these checks passed by default reads the same
    old = {
        "quality": {
            **block,
            "checks": [
                {**c, "ok": True} if c["id"] in q.NEEDS_INFANT else c for c in block["checks"]
            ],
        }
    }
    assert q.quality_checks(old) == q.quality_checks({"quality": block})
    # with a baby found they are judged on both sides of their limits, as before
    found = {c["id"]: c["ok"] for c in assess_quality(**GOOD)["checks"]}
    assert found["infant_size"] is True and found["infant_in_view"] is True


def test_a_video_without_a_baby_says_it_could_not_be_checked() -> None:
    doc = {"summary": {"spasm_like": 0, "clusters": 0}, "quality": assess_quality(**NO_BABY)}
    line = " ".join(describe_video(doc))
    assert line.startswith(
        "No baby could be found in the picture, so the video could not be checked for "
        "spasm-like movements."
    )
    assert "No spasm-like movement was detected" not in line
    assert "high sensitivity" not in line and "filmed from the side" not in line
    assert "Film the baby again: the whole baby in the picture, in good light" in line
    assert "held still or resting on something steady" in line
    assert "a doctor should watch the video itself" in line
    # the same for a result stored before (its checks of the baby "passed")
    old = {c["id"]: c for c in doc["quality"]["checks"]}
    old["infant_size"]["ok"] = old["infant_in_view"]["ok"] = True
    stored = {**doc, "quality": {**doc["quality"], "checks": list(old.values())}}
    assert " ".join(describe_video(stored)) == line
    (for_doctor,) = describe_video(doc, reader="clinician")
    assert for_doctor.startswith("No baby could be found in the picture")
    assert for_doctor.endswith("Watch the video itself.")
    assert "Film the baby again" not in for_doctor and "No spasm-like" not in for_doctor
    # what else limits the picture is said with it, once
    dark = assess_quality(**{**NO_BABY, "brightness": [10.0]})
    found, todo = describe_video({**doc, "quality": dark})
    assert "(too dark)" in found and "turn on a light" in todo


def test_movements_found_without_a_baby_keep_their_advice_after_the_warning() -> None:
    doc = {"summary": {"spasm_like": 5, "clusters": 1}, "quality": assess_quality(**NO_BABY)}
    line = " ".join(describe_video(doc))
    assert line.startswith("No baby could be found in the picture, so the video could not")
    # the family reads no count of what may not be the baby, and what to do if they saw it
    assert "may not be the baby's" in line and "5 spasm-like" not in line
    assert "contact your doctor or paediatric service today" in line
    assert "Film the baby again" in line
    for_doctor = describe_video(doc, reader="clinician")[0]
    assert for_doctor.index("may not be the baby's movement") < for_doctor.index(
        "5 spasm-like movements"
    )
    rhythmic = {"summary": {"rhythmic": 1}, "quality": assess_quality(**NO_BABY)}
    said = " ".join(describe_video(rhythmic))
    assert "The video cannot tell whether the baby was jerking" in said
    assert "5 minutes or more" in said and "call emergency services now" in said
    assert "No spasm-like movement was detected" not in said


@pytest.mark.parametrize(
    ("field", "bad", "words"),
    [
        ("brightness", [10.0], "turn on a light"),
        ("sharpness", [2.0], "wipe the lens"),
        ("camera_speed", [1.85], "The phone moved a lot"),
    ],
)
def test_a_poor_picture_is_said_before_any_count(field, bad, words) -> None:
    """The limit in a few words first; what the picture needs (the check's advice) in the
    family's list of what to do, once."""
    quality = assess_quality(**{**GOOD, field: bad})
    short = {"brightness": "too dark", "sharpness": "blurred"}.get(
        field, "the phone moved too much"
    )
    for reader in ("family", "clinician"):
        lines = describe_video(
            {"summary": {"spasm_like": 5, "clusters": 1}, "quality": quality}, reader=reader
        )
        assert lines[0].startswith(
            f"The picture limits what could be found in this video ({short})."
        )
        assert lines[0].index(short) < lines[0].index("5 spasm-like movements detected")
        advice = [line for line in lines if words in line]
        if reader == "family":
            assert len(advice) == 1 and advice[0].startswith("What to do:")
        else:  # the doctor reads the short words and the quality table
            assert advice == []
    # a new video helps such a picture, not a finer look at this one
    nothing = describe_video({"summary": {"spasm_like": 0}, "quality": quality})[0]
    assert "high sensitivity" not in nothing


def _shaky_rhythm(camera_speed: float) -> dict:
    return {
        "summary": {"spasm_like": 0, "clusters": 0, "rhythmic": 1},
        "events": [{"kind": "rhythmic", "start_s": 2.0, "end_s": 5.0}],
        "quality": assess_quality(**{**GOOD, "camera_speed": [camera_speed]}),
    }


def test_rhythmic_movement_on_a_shaken_picture_says_it_may_be_the_phone() -> None:
    line = " ".join(describe_video(_shaky_rhythm(1.85)))
    # the phone's movement first, then the finding with its caveat
    assert line.index("the phone moved too much") < line.index("1 rhythmic movement detected")
    assert "it may be the phone's own shaking, not the baby's" in line
    # the family may have seen a real seizure: what to do if it lasts 5 minutes stays
    assert "The video cannot tell whether the baby was jerking." in line
    assert "if it lasts 5 minutes or more" in line and "call emergency services now" in line
    assert "contact your doctor or paediatric service today" in line
    for_doctor = " ".join(describe_video(_shaky_rhythm(1.85), reader="clinician"))
    assert "phone's own shaking" in for_doctor and "emergency" not in for_doctor
    # on a steady picture the words are as before
    steady = " ".join(describe_video(_shaky_rhythm(q.CAMERA_SPEED_LIMIT)))
    assert steady.startswith("1 rhythmic movement detected (repeated jerking).")
    assert "Rhythmic jerking that goes on and cannot be stopped" in steady
    assert "phone" not in steady and "cannot tell" not in steady


def test_spasm_like_movements_on_a_shaken_picture_say_it_may_be_the_phone() -> None:
    quality = assess_quality(**{**GOOD, "camera_speed": [0.5]})
    one = " ".join(describe_video({"summary": {"spasm_like": 1}, "quality": quality}))
    assert "It was found while the phone was moving a lot" in one
    assert "within the next few days" in one  # the advice stays
    many = " ".join(
        describe_video({"summary": {"spasm_like": 6, "clusters": 1}, "quality": quality})
    )
    assert "some may be the phone's own movement" in many and "doctor today" in many
    assert "phone" not in describe_video({"summary": {"spasm_like": 6, "clusters": 1}})[0]


def test_each_check_says_what_it_measured_in_plain_words() -> None:
    block = assess_quality(**GOOD)
    words = {c["id"]: c for c in q.quality_checks({"quality": block})}
    # every check with a number to show; "Baby found" is a yes or no
    assert set(q.PLAIN_MEASURES) == set(words) - {"infant_found"}
    assert "measured" not in words["infant_found"]
    plain = {key: words[key]["measured"] for key in q.PLAIN_MEASURES}
    assert plain["focus"] == "sharpness 200; 12 or more is sharp enough"
    assert plain["brightness"] == "brightness 120 of 255; 40 or more is light enough"
    for said in plain.values():
        for technical in ("Laplacian", "grey level", "short sides"):
            assert technical not in said
    # the technical units stay for the clinician
    assert words["focus"]["unit"] == "Laplacian variance"


def test_the_family_reads_shares_as_percentages_and_what_is_enough() -> None:
    """The plain measures say a share as a percentage, the phone's movement as a share of
    the picture's short side a second, and what is enough; numbers in the page's format."""
    block = assess_quality(
        **{**GOOD, "sharpness": [236.4], "camera_speed": [0.183], "infant_share": 0.0567}
    )
    words = {c["id"]: c.get("measured") for c in q.quality_checks({"quality": block})}
    assert words == {
        "duration": "60 s long; at least 10 s needed",
        "brightness": "brightness 120 of 255; 40 or more is light enough",
        "focus": "sharpness 236; 12 or more is sharp enough",
        "camera": (
            "the phone moved 18 % of the picture's shorter side a second; at most 8 % allowed"
        ),
        "infant_found": None,
        "infant_size": "the baby covers 5.7 % of the picture; at least 6 % needed",
        "infant_in_view": "the baby touches 5 % of the picture's edge; at most 40 % allowed",
    }
    spanish = {c["id"]: c for c in q.quality_checks({"quality": block}, locale="es")}
    assert "5,7 %" in spanish["infant_size"]["measured"]
    # the technical numbers stay as measured, for the clinician's view
    assert spanish["camera"]["value"] == 0.183 and spanish["camera"]["limit"] == 0.08
    # a whole part is never rounded away, a large one keeps its digits
    shaken = {**block["checks"][3], "value": 1.85}
    assert q.plain_measure(shaken).startswith("the phone moved 185 % ")
    assert q.plain_measure({"id": "focus", "value": 1234.0, "limit": 12.0}).startswith(
        "sharpness 1,234;"
    )
    assert q.plain_measure({"id": "infant_found", "value": 0.0, "limit": 1.0}) == ""
