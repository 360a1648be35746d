"""A video result in plain words: what it found, what limits it, and how soon a doctor
should see it.

:func:`describe_video` turns a result document into the sentences that the CLI, the web
page and the report show: one spelling of what a video result does and does not mean
(never "no spasms"); :func:`video_words` says the same in parts, what was found apart
from what to do, for the family's page. :func:`limited_result` is the doctor's "none
detected; the picture limits the result (too dark)" for the report, the share link and
FHIR. :func:`video_urgency` says how soon a doctor should see what a video shows, as the
triage rules answer for the same movements logged in the diary
(:mod:`spasmwatch.video.urgency`); the paragraphs after what to do, what limits a result,
are :mod:`spasmwatch.video.caveats`'. The checks of the picture it reads are
:mod:`spasmwatch.video.quality`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from spasmwatch.i18n import DEFAULT_LOCALE, N_, english, english_n, format_number
from spasmwatch.video.caveats import caveat_paragraphs
from spasmwatch.video.quality import (
    PROBLEM_WORDS,
    baby_found,
    indeterminate_checks,
    judged_checks,
    limiting_failures,
)
from spasmwatch.video.urgency import VIDEO_URGENCY, video_urgency

__all__ = [
    "NONE_LIMITED",
    "SHORT_RHYTHM_S",
    "VIDEO_URGENCY",
    "VideoWords",
    "describe_video",
    "limited_result",
    "video_urgency",
    "video_words",
]

#: A rhythmic bout shorter than this (s) is worded as most such bouts are (kicking, jerks
#: that stop by themselves): an electrographic seizure lasts at least 10 s by the ILAE
#: definition of neonatal seizures (Pressler et al., Epilepsia 2021). The words on what
#: to do if jerking goes on stay whatever its length.
SHORT_RHYTHM_S = 10.0

#: The doctor's words for a count of none in a picture that limits it
#: (:func:`~spasmwatch.video.quality.indeterminate_checks`): never a bare "none detected",
#: which reads as a negative the picture cannot give [design]; ``%(limits)s`` the failed
#: checks in a few words (:data:`~spasmwatch.video.quality.PROBLEM_WORDS`). The report, the
#: share link and FHIR's interpretation say it.
NONE_LIMITED = N_("none detected; the picture limits the result (%(limits)s)")


def _longest(doc: dict, kind: str) -> float | None:
    """The longest event of ``kind`` in a result document (s), or None without one."""
    spans = [
        float(e["end_s"]) - float(e["start_s"])
        for e in doc.get("events") or ()
        if e.get("kind") == kind and e.get("start_s") is not None and e.get("end_s") is not None
    ]
    return max(spans) if spans else None


class VideoWords(NamedTuple):
    """A video result in plain words (:func:`video_words`), in three parts, each a list
    of sentences in the reader's language.

    Attributes
    ----------
    found
        What limits the video and what was found, most important first: short.
    todo
        What to do, most urgent first, one sentence an item (the family's list; the
        clinician is told to watch the video).
    more
        The rest, a paragraph each: what a count can miss, movements left uncounted, the
        video's other problems.
    """

    found: list[str]
    todo: list[str]
    more: list[str]


def limited_result(doc: dict, gettext: Callable[[str], str] = english) -> str:
    """The doctor's words for a count of none that the picture limits (the report, the
    share link, FHIR): "none detected; the picture limits the result (too dark)", in
    ``gettext``'s language; "" where "none detected" means what it says
    (:func:`~spasmwatch.video.quality.indeterminate_checks`)."""
    limits = indeterminate_checks(doc)
    if not limits:
        return ""
    return gettext(NONE_LIMITED) % {"limits": _limit_words(limits, gettext)}


def _limit_words(keys: list[str], gettext: Callable[[str], str]) -> str:
    """Failed checks in a few words each (:data:`PROBLEM_WORDS`): "too dark; blurred"."""
    return "; ".join(gettext(PROBLEM_WORDS.get(key, key)) for key in keys)


def video_words(
    doc: dict,
    gettext: Callable[[str], str] = english,
    ngettext: Callable[[str, str, int], str] = english_n,
    *,
    reader: str = "family",
    locale: str = DEFAULT_LOCALE,
) -> VideoWords:
    """The result of a video analysis in plain sentences: what was found, what to do and
    the rest (:class:`VideoWords`). The parameters are :func:`describe_video`'s, which
    says the same in paragraphs.

    The family reads what was found apart from what to do: the found part short, every
    safety sentence in the list (the call to emergency services for rhythmic jerking of 5
    minutes or more, how soon to see a doctor). Where no baby was found the family is told
    only that the movements found may not be the baby's, with no counts; the clinician
    keeps the counts. Where the picture limits the video (:data:`LIMITING_CHECKS`) it says
    so first, in a few words; where it limits a video in which nothing spasm-like was found
    it says that nothing could be seen, that this is not reassurance, and asks the family
    for a new video, and tells the clinician "none detected; the picture limits the result
    (too dark)".
    """
    clinician = reader == "clinician"
    summary = doc.get("summary", {})
    n = int(summary.get("spasm_like", 0))
    k = int(summary.get("clusters", 0))
    rhythmic = int(summary.get("rhythmic", 0))
    checks = judged_checks(doc)
    no_baby = not baby_found(doc.get("quality"))
    shaky = checks.get("camera", {}).get("ok") is False
    limits = limiting_failures(doc)
    advice = [gettext(checks[key]["message"]) for key in limits if checks[key].get("message")]
    nothing = not n and bool(limits) and not no_baby  # a "none" the picture cannot give
    # the family reads no count where no baby was found: what was found may be anything's
    counted = not no_baby or clinician
    watch = gettext("Watch the video at these times: it is evidence, not a diagnosis.")
    worried = (
        gettext("Watch the video itself.")
        if clinician
        else gettext("If you are worried, a doctor should watch the video itself.")
    )
    film_again = gettext(
        "Film the baby again: the whole baby in the picture, in good light, with the phone "
        "held still or resting on something steady."
    )
    found: list[str] = []
    todo: list[str] = []
    if no_baby:
        moved = bool(n or rhythmic or doc.get("events"))
        if clinician and moved:
            found.append(
                gettext(
                    "No baby could be found in the picture, so the video could not be checked "
                    "properly for spasm-like movements: the whole picture was searched "
                    "instead, and what was found may not be the baby's movement."
                )
            )
        else:
            found.append(
                gettext(
                    "No baby could be found in the picture, so the video could not be checked "
                    "for spasm-like movements."
                )
            )
            if moved:  # the family reads no count, no time, no table of them
                found.append(
                    gettext(
                        "Movements were found in the picture, but they may not be the baby's: "
                        "the whole picture was searched, not the baby."
                    )
                )
    if nothing:
        found += (
            [
                gettext("Spasm-like movements: %(result)s.")
                % {"result": limited_result(doc, gettext)},
                gettext("This is not a negative finding: a picture like this can hide spasms."),
            ]
            if clinician
            else [
                gettext(
                    "Nothing spasm-like could be seen in this picture (%(limits)s): that is "
                    "not reassurance, as a picture like this can hide spasms."
                )
                % {"limits": _limit_words(limits, gettext)},
            ]
        )
    elif limits:
        found.append(
            gettext("The picture limits what could be found in this video (%(limits)s).")
            % {"limits": _limit_words(limits, gettext)}
        )
    if n and counted:
        if k:  # a cluster has at least three movements
            said = ngettext(
                "%(n)s spasm-like movements detected, in %(k)s cluster.",
                "%(n)s spasm-like movements detected, in %(k)s clusters.",
                k,
            )
            urgency = gettext(
                "Movements like these should be seen by a doctor today: contact your "
                "doctor or paediatric service today and show them this video and these "
                "times."
            )
        else:
            said = ngettext(
                "%(n)s spasm-like movement detected.", "%(n)s spasm-like movements detected.", n
            )
            urgency = gettext(
                "Spasms usually come in series, one after another: if more come, or these "
                "came just after the baby woke up, contact a doctor today; otherwise show "
                "a doctor this video and these times within the next few days."
            )
        found.append(said % {"n": n, "k": k})
        if not clinician:  # the clinician is told to watch the video
            todo.append(urgency)
        if shaky:
            found.append(
                ngettext(
                    "It was found while the phone was moving a lot: it may be the phone's own "
                    "movement, not the baby's.",
                    "They were found while the phone was moving a lot: some may be the "
                    "phone's own movement, not the baby's.",
                    n,
                )
            )
    elif n:  # the family of a video without a baby found, whatever it found
        todo.append(
            gettext(
                "If you saw the baby make movements like spasms, contact your doctor or "
                "paediatric service today and show them this video."
            )
        )
    if rhythmic:
        if counted:
            found.append(
                _rhythmic_words(doc, rhythmic, shaky, clinician, gettext, ngettext, locale)
            )
        if not clinician:
            # The family may have watched a real seizure that a shaken video, or one
            # without the baby found, cannot show: what to do if it lasts 5 minutes
            # stays (clinical reference, section 2), first: the most urgent.
            todo.insert(
                0,
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
            )
            if not k and counted:  # a cluster's words already say to see a doctor today
                todo.append(
                    gettext(
                        "A doctor should watch this video: if the jerking could not be "
                        "stopped, contact your doctor or paediatric service today and show "
                        "them this video and these times."
                    )
                )
    if clinician and (n or rhythmic):
        todo.append(watch)
    if (n or rhythmic) and counted and not clinician:
        found.append(gettext("The video is evidence, not a diagnosis."))
    if not clinician:
        todo += advice  # what the picture needs, said where the family films again
    if no_baby or nothing:  # what helps is a new video, not another look at this one
        if not clinician:
            todo.append(film_again)
        if (not n and not rhythmic) or (no_baby and not clinician):
            todo.append(worried)
    elif not n:
        found += [
            gettext("No spasm-like movement was detected."),
            gettext(
                "This does not rule out spasms: subtle ones (a small head nod, a brief eye "
                "roll or grimace) can be missed by the detector."
            ),
        ]
        if not rhythmic:  # else the rhythmic jerking's words say to watch the video
            todo.append(worried)
    if not n and not no_baby:
        todo.append(
            gettext(
                "Small head nods show best on a video filmed from the side, level with the "
                "baby: from straight above they hardly move the picture."
            )
        )
        # a picture that limits the video needs a new video, not a finer look
        if doc.get("sensitivity", "normal") != "high" and not clinician and not limits:
            todo.append(
                gettext(
                    "Analysing it again at high sensitivity also looks for series of head nods."
                )
                if doc.get("detector") == "rules"
                else gettext(
                    "Analysing it again at high sensitivity finds subtler movements (and more "
                    "that are not spasms)."
                )
            )
    return VideoWords(found, todo, caveat_paragraphs(doc, n, counted, clinician, gettext, ngettext))


def describe_video(
    doc: dict,
    gettext: Callable[[str], str] = english,
    ngettext: Callable[[str, str, int], str] = english_n,
    *,
    reader: str = "family",
    locale: str = DEFAULT_LOCALE,
) -> list[str]:
    """The result of a video analysis in plain paragraphs, most important first.

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
        What was found first (:func:`video_words`), then, for the family, what to do in a
        paragraph of its own ("What to do: ..."; the clinician's follows what was found),
        then the rest. Never says "no spasms": when nothing is found it says that none was
        detected, that subtle spasms can be missed and that the doctor should watch the
        video. When no baby was found it says first that the video could not be checked,
        and never that nothing was detected; when the picture limits the video
        (:data:`LIMITING_CHECKS`: too dark, blurred, moved with the phone, the baby small
        or partly out of view), it says so before any count, a "none" it limits is not
        reassurance, and a movement found while the phone moved is said to be perhaps the
        phone's own.
    """
    words = video_words(doc, gettext, ngettext, reader=reader, locale=locale)
    if reader == "clinician":
        return [" ".join(words.found + words.todo), *words.more]
    lines = [" ".join(words.found)] if words.found else []
    if words.todo:
        lines.append(" ".join([gettext("What to do:"), *words.todo]))
    return [*lines, *words.more]


def _rhythmic_words(
    doc: dict,
    rhythmic: int,
    shaky: bool,
    clinician: bool,
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
    locale: str,
) -> str:
    """What was found of rhythmic movement: how many, the longest, and that the phone's
    own shaking may be it."""
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
    return found
