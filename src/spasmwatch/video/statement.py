"""A video result in plain words: what it found, what limits it, and how soon a doctor
should see it.

:func:`describe_video` turns a result document into the sentences that the CLI, the web
page and the report show: one spelling of what a video result does and does not mean
(never "no spasms"). :func:`video_urgency` says how soon a doctor should see what a
video shows, as the triage rules answer for the same movements logged in the diary. The
checks of the picture it reads are :mod:`spasmwatch.video.quality`'s.
"""

from __future__ import annotations

from collections.abc import Callable

from spasmwatch.i18n import DEFAULT_LOCALE, english, english_n, format_number
from spasmwatch.triage.rule import level_rank
from spasmwatch.video.quality import PICTURE_CHECKS, baby_found, judged_checks

__all__ = ["SHORT_RHYTHM_S", "VIDEO_URGENCY", "describe_video", "video_urgency"]

#: A rhythmic bout shorter than this (s) is worded as most such bouts are (kicking, jerks
#: that stop by themselves): an electrographic seizure lasts at least 10 s by the ILAE
#: definition of neonatal seizures (Pressler et al., Epilepsia 2021). The words on what
#: to do if jerking goes on stay whatever its length.
SHORT_RHYTHM_S = 10.0

#: How soon a doctor should see what a video shows, as the triage rules answer for the
#: same movements logged in the diary (``spasmwatch.triage``; a test triages each such
#: episode and checks the level), for the family's words of :func:`describe_video`:
#:
#: ``cluster``
#:     A series of spasm-like movements: ``same_day`` (rules ``spasm-series``,
#:     ``spasm-series-outside-age``: suspected infantile spasms, same-day contact;
#:     clinical reference, sections 1 and 2).
#: ``few``
#:     One or two spasm-like movements and no series: ``soon`` (``unexplained-movements``),
#:     ``same_day`` when they came just after waking (``spasm-on-waking``) or a series
#:     follows; the words say both.
#: ``rhythmic``
#:     Rhythmic jerking: ``same_day`` when it cannot be stopped (a possible seizure under 2
#:     years, ``afebrile-seizure-under-2``), ``emergency`` from 5 minutes on
#:     (``seizure-5-minutes``, ILAE 2015), as the rules' seizure advice says.
#:
#: The video itself is evidence, not a diagnosis: the words name what to do, never what
#: the movements are.
VIDEO_URGENCY: dict[str, str] = {"cluster": "same_day", "few": "soon", "rhythmic": "same_day"}


def video_urgency(doc: dict) -> str | None:
    """How soon a video's findings should be shown to a doctor (:data:`VIDEO_URGENCY`'s
    level for the most urgent of them), or None when nothing spasm-like or rhythmic was
    found. ``doc`` is a result document (``VideoAnalysis.to_dict()``)."""
    summary = doc.get("summary") or {}
    found = [
        VIDEO_URGENCY[key]
        for key, present in (
            ("cluster", summary.get("clusters")),
            ("rhythmic", summary.get("rhythmic")),
            ("few", summary.get("spasm_like")),
        )
        if present
    ]
    return max(found, key=level_rank) if found else None


def _longest(doc: dict, kind: str) -> float | None:
    """The longest event of ``kind`` in a result document (s), or None without one."""
    spans = [
        float(e["end_s"]) - float(e["start_s"])
        for e in doc.get("events") or ()
        if e.get("kind") == kind and e.get("start_s") is not None and e.get("end_s") is not None
    ]
    return max(spans) if spans else None


def describe_video(
    doc: dict,
    gettext: Callable[[str], str] = english,
    ngettext: Callable[[str, str, int], str] = english_n,
    *,
    reader: str = "family",
    locale: str = DEFAULT_LOCALE,
) -> list[str]:
    """The result of a video analysis in plain sentences, most important first.

    Parameters
    ----------
    doc
        A video result document (``VideoAnalysis.to_dict()``, as stored).
    gettext, ngettext
        The language to say it in (the web app passes the page's; English by default,
        as the CLI, the report and the stored ``statement`` say it).
    reader
        Who reads it: ``family`` (the default) is told how soon to show the video to a
        doctor (:data:`VIDEO_URGENCY`: today for a series of spasm-like movements; for
        rhythmic jerking, that it can be a seizure and to call emergency services from 5
        minutes on) and how to have it analysed again or film it again; ``clinician``
        (the report, the view at a share link) is told to watch it, and nothing about
        analysing it again.
    locale
        Whose decimal sign its numbers have (English by default: ``0.5``; ``0,5`` in
        Spanish).

    Returns
    -------
    list of str
        Never says "no spasms": when nothing is found it says that none was detected,
        that subtle spasms can be missed and that the doctor should watch the video.
        When no baby was found it says first that the video could not be checked, and
        never that nothing was detected; when the picture is too dark, blurred or moved
        with the phone (:data:`PICTURE_CHECKS`), it says so before any count, and a
        movement found while the phone moved is said to be perhaps the phone's own.
    """
    clinician = reader == "clinician"
    summary = doc.get("summary", {})
    n = int(summary.get("spasm_like", 0))
    k = int(summary.get("clusters", 0))
    rhythmic = int(summary.get("rhythmic", 0))
    checks = judged_checks(doc)
    no_baby = not baby_found(doc.get("quality"))
    shaky = checks.get("camera", {}).get("ok") is False
    picture = [
        gettext(c["message"])
        for key, c in checks.items()
        if key in PICTURE_CHECKS and c.get("ok") is False and c.get("message")
    ]
    watch = gettext("Watch the video at these times: it is evidence, not a diagnosis.")
    said: list[str] = []  # what limits the video, what was found and what to do: the first line
    if no_baby:
        said.append(
            gettext(
                "No baby could be found in the picture, so the video could not be checked "
                "properly for spasm-like movements: the whole picture was searched instead, "
                "and what was found may not be the baby's movement."
            )
            if n or rhythmic
            else gettext(
                "No baby could be found in the picture, so the video could not be checked "
                "for spasm-like movements."
            )
        )
        said += picture
    elif picture:
        said += [gettext("The picture limits what could be found in this video."), *picture]
    if n:
        if k:  # a cluster has at least three movements
            found = ngettext(
                "%(n)s spasm-like movements detected, in %(k)s cluster.",
                "%(n)s spasm-like movements detected, in %(k)s clusters.",
                k,
            )
            todo = gettext(
                "Movements like these should be seen by a doctor today: contact your doctor "
                "or paediatric service today and show them this video and these times."
            )
        else:
            found = ngettext(
                "%(n)s spasm-like movement detected.", "%(n)s spasm-like movements detected.", n
            )
            todo = gettext(
                "Spasms usually come in series, one after another: if more come, or these "
                "came just after the baby woke up, contact a doctor today; otherwise show a "
                "doctor this video and these times within the next few days."
            )
        said.append(found % {"n": n, "k": k})
        if shaky:
            said.append(
                ngettext(
                    "It was found while the phone was moving a lot: it may be the phone's own "
                    "movement, not the baby's.",
                    "They were found while the phone was moving a lot: some may be the "
                    "phone's own movement, not the baby's.",
                    n,
                )
            )
        said.append(watch if clinician else todo)
    if rhythmic:
        found = ngettext(
            "%(n)s rhythmic movement detected (repeated jerking).",
            "%(n)s rhythmic movements detected (repeated jerking).",
            rhythmic,
        ) % {"n": rhythmic}
        longest = _longest(doc, "rhythmic")
        if longest is not None:
            digits = 0 if longest >= 1 else 1
            shown = (
                f"{longest:.{digits}f}"
                if locale == DEFAULT_LOCALE
                else format_number(longest, locale, digits)
            )
            if clinician or longest >= SHORT_RHYTHM_S:
                found += " " + gettext("The longest lasted %(s)s s.") % {"s": shown}
            else:
                found += " " + gettext(
                    "The longest lasted %(s)s s: kicking and jerks that stop by themselves "
                    "within seconds are common in healthy babies."
                ) % {"s": shown}
        if shaky:  # the phone's own shaking is rhythmic too
            found += " " + ngettext(
                "It was found while the phone was moving a lot: it may be the phone's own "
                "shaking, not the baby's.",
                "They were found while the phone was moving a lot: they may be the phone's "
                "own shaking, not the baby's.",
                rhythmic,
            )
        if clinician:
            said += [found] if n else [found, watch]
        else:
            said += [
                found,
                # The family may have watched a real seizure that a shaken video, or one
                # without the baby found, cannot show: what to do if it lasts 5 minutes
                # stays (clinical reference, section 2).
                gettext(
                    "The video cannot tell whether the baby was jerking. If the baby's jerking "
                    "went on and could not be stopped (it went on when you held the limb or "
                    "woke the baby), it can be a seizure: if it lasts 5 minutes or more, or "
                    "the baby does not recover afterwards, call emergency services now."
                )
                if shaky or no_baby
                else gettext(
                    "Rhythmic jerking that goes on and cannot be stopped (it goes on when you "
                    "hold the limb or wake the baby) can be a seizure: if it lasts 5 minutes "
                    "or more, or the baby does not recover afterwards, call emergency "
                    "services now."
                ),
            ]
            if not k:  # a cluster's words already say to see a doctor today
                said.append(
                    gettext(
                        "A doctor should watch this video: if the jerking could not be "
                        "stopped, contact your doctor or paediatric service today and show "
                        "them this video and these times."
                    )
                )
    if (n or rhythmic) and not clinician:
        said.append(gettext("The video is evidence, not a diagnosis."))
    if no_baby:  # what helps is a new video, not another look at this one
        if not clinician:
            said.append(
                gettext(
                    "Film the baby again: the whole baby in the picture, in good light, with "
                    "the phone held still or resting on something steady."
                )
            )
        if not n and not rhythmic:
            said.append(
                gettext("Watch the video itself.")
                if clinician
                else gettext("If you are worried, a doctor should watch the video itself.")
            )
    elif not n:
        said += [
            gettext("No spasm-like movement was detected."),
            gettext(
                "This does not rule out spasms: subtle ones (a small head nod, a brief eye "
                "roll or grimace) can be missed by the detector."
            ),
        ]
        if not rhythmic:  # else the rhythmic jerking's words say to watch the video
            said.append(
                gettext("Watch the video itself.")
                if clinician
                else gettext("If you are worried, a doctor should watch the video itself.")
            )
        said.append(
            gettext(
                "Small head nods show best on a video filmed from the side, level with the "
                "baby: from straight above they hardly move the picture."
            )
        )
        # a picture too dark, blurred or shaken needs a new video, not a finer look
        if doc.get("sensitivity", "normal") != "high" and not clinician and not picture:
            said.append(
                gettext(
                    "Analysing it again at high sensitivity also looks for series of head nods."
                )
                if doc.get("detector") == "rules"
                else gettext(
                    "Analysing it again at high sensitivity finds subtler movements (and more "
                    "that are not spasms)."
                )
            )
    lines = [" ".join(said)]
    if n:  # what was found is a floor: the detector misses more of the subtle ones
        lines.append(
            gettext(
                "The detector can miss subtle spasms (small head nods, a brief eye roll or "
                "grimace), so the count can be lower than what happened: watch the whole video."
            )
            if clinician
            else gettext(
                "The count can be lower than what you saw: the detector can miss subtle "
                "spasms (small head nods, a brief eye roll or grimace). Show the doctor the "
                "whole video, not only these times."
            )
        )
    with_phone = _set_aside(doc, "phone")
    if with_phone:
        lines.append(
            ngettext(
                "%(n)s movement looked spasm-like but moved with the phone, so it was not "
                "counted: watch it in the video (marked in the list); a phone resting on "
                "something steady avoids this.",
                "%(n)s movements looked spasm-like but moved with the phone, so they were not "
                "counted: watch them in the video (marked in the list); a phone resting on "
                "something steady avoids this.",
                with_phone,
            )
            % {"n": with_phone}
        )
    with_a_hand = _set_aside(doc, "outside")
    if with_a_hand:
        lines.append(
            ngettext(
                "%(n)s movement looked spasm-like but the picture around the baby moved at the "
                "same moment (a hand, a toy, a pulled blanket or a jolt of the phone), so it was "
                "not counted: watch it in the video (marked in the list); such movement can hide "
                "a spasm as well as look like one.",
                "%(n)s movements looked spasm-like but the picture around the baby moved at the "
                "same moment (a hand, a toy, a pulled blanket or a jolt of the phone), so they "
                "were not counted: watch them in the video (marked in the list); such movement "
                "can hide a spasm as well as look like one.",
                with_a_hand,
            )
            % {"n": with_a_hand}
        )
    quality = doc.get("quality") or {}
    # the rest of what limits the video; what the first line said is not said again
    first = {
        c.get("message") for key, c in checks.items() if key in (*PICTURE_CHECKS, "infant_found")
    }
    problems = [p for p in quality.get("problems") or [] if p not in first]
    if problems:
        lines.append(
            gettext("The video itself limits what can be seen:")
            + " "
            + " ".join(gettext(p) for p in problems)
        )
    return lines


def _set_aside(doc: dict, why: str) -> int:
    """How many movements the learned detector found spasm-like but set aside for
    ``why`` (``set_aside``: ``phone`` for the phone's own motion, ``outside`` for
    something coming into the picture)."""
    return sum(1 for e in doc.get("events") or [] if e.get("set_aside") == why)
