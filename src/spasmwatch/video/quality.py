"""Can this video show a spasm? A per-video quality check, and the result in plain words.

A video that is too short, too dark, blurred, shaken, or shows the baby small or only in
part can hide a spasm, and "nothing found" in such a video means little. The checks
here use what the analysis measured anyway (brightness, focus, the phone's own movement,
where the infant is), so they cost nothing extra. :func:`describe_video` turns a
result document into the sentences that the CLI, the web page and the report show: one
spelling of what a video result does and does not mean.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace

import numpy as np

from spasmwatch.i18n import DEFAULT_LOCALE, N_, english, english_n, format_number
from spasmwatch.triage.rule import level_rank

__all__ = [
    "CHECK_LABELS",
    "SHORT_RHYTHM_S",
    "VIDEO_URGENCY",
    "QualityCheck",
    "assess_quality",
    "describe_video",
    "quality_checks",
    "video_urgency",
]


#: A rhythmic bout shorter than this (s) is worded as most such bouts are (kicking, jerks
#: that stop by themselves): an electrographic seizure lasts at least 10 s by the ILAE
#: definition of neonatal seizures (Pressler et al., Epilepsia 2021). The words on what
#: to do if jerking goes on stay whatever its length.
SHORT_RHYTHM_S = 10.0
#: Shortest useful video (s): each movement is compared with the quiet seconds around it
#: (a 20-s rolling window) and spasms in a cluster come 5-30 s apart, so a clip under
#: 10 s shows at most one and gives the detector little to compare it with.
MIN_DURATION_S = 10.0
#: Darkest useful picture: median mean grey level (0-255). Below about a sixth of full
#: scale, a phone's sensor noise is a large share of the signal and the optical flow
#: follows noise rather than the baby.
DARK_LEVEL = 40.0
#: Least focus: median variance of the Laplacian of the normalised grey picture at the
#: working size. A picture this soft has lost the edges the optical flow follows (a
#: sharp phone video of a baby on a blanket measures several times more).
BLUR_LEVEL = 12.0
#: The phone's own movement (short sides of the picture per second, median over the
#: video) above which the picture is never still: the movement subtracted is then larger
#: than a small spasm, and a head nod is lost in the residue.
CAMERA_SPEED_LIMIT = 0.08
#: The infant should cover at least this share of the picture's cells: at the working
#: size (240 px on the short side) a baby smaller than this is a few cells, and a head
#: nod moves less than one.
SMALL_INFANT_SHARE = 0.06
#: When this share of the picture's border is the infant, part of the baby (often the
#: head or the feet) may be outside the picture. Rendered scenes with the whole baby in
#: view measured up to about 0.3 (moving cot bars and blankets at the edge join the
#: infant's area), so the limit is set above that.
EDGE_SHARE = 0.4


#: What each check asks, in plain words (the web page and the report list them).
CHECK_LABELS: dict[str, str] = {
    "duration": N_("Long enough"),
    "brightness": N_("Light enough"),
    "focus": N_("In focus"),
    "camera": N_("Camera steady enough"),
    "infant_found": N_("Baby found"),
    "infant_size": N_("Baby large enough in the picture"),
    "infant_in_view": N_("Whole baby in view"),
}


@dataclass(frozen=True)
class QualityCheck:
    """One quality check.

    Attributes
    ----------
    id
        Stable name of the check (``duration``, ``brightness``, ``focus``, ``camera``,
        ``infant_found``, ``infant_size``, ``infant_in_view``).
    ok
        Whether the video passes.
    value, limit
        What was measured and the limit it was compared with (units in ``unit``).
    unit
        Unit of ``value`` and ``limit``.
    message
        What is wrong and what to do, in plain words (empty when ``ok``).
    """

    id: str
    ok: bool
    value: float
    limit: float
    unit: str
    message: str = ""

    def to_dict(self) -> dict:
        """The check as a JSON object."""
        d = asdict(self)
        d["label"] = CHECK_LABELS.get(self.id, self.id)
        d["value"] = round(float(self.value), 3)
        d["limit"] = round(float(self.limit), 3)
        return d


def assess_quality(
    duration_s: float,
    brightness: Sequence[float] | np.ndarray,
    sharpness: Sequence[float] | np.ndarray,
    camera_speed: Sequence[float] | np.ndarray,
    infant_share: float,
    infant_found: bool,
    edge_share: float,
) -> dict:
    """Check whether a video can show spasms, from what its analysis measured.

    Parameters
    ----------
    duration_s
        Length of the video in seconds.
    brightness
        Mean grey level (0-255) of each analysed frame.
    sharpness
        Focus measure of sampled frames (variance of the Laplacian).
    camera_speed
        Speed of the phone's own movement per frame (short sides per second).
    infant_share
        Share of the picture's cells taken as the infant (median over windows).
    infant_found
        Whether a clearly moving area (the infant) was found.
    edge_share
        Share of the picture's border cells that are the infant.

    Returns
    -------
    dict
        ``{"ok": bool, "checks": [...], "problems": [message, ...]}``: the additive
        ``quality`` block of the video result.
    """
    bright = float(np.median(brightness)) if len(brightness) else 0.0
    focus = float(np.median(sharpness)) if len(sharpness) else 0.0
    camera = float(np.median(camera_speed)) if len(camera_speed) else 0.0
    checks = [
        QualityCheck(
            "duration",
            duration_s >= MIN_DURATION_S,
            duration_s,
            MIN_DURATION_S,
            "s",
            N_(
                "The video is very short: film at least 30 seconds, and keep filming while "
                "the movements go on, so a series can be seen."
            ),
        ),
        QualityCheck(
            "brightness",
            bright >= DARK_LEVEL,
            bright,
            DARK_LEVEL,
            N_("grey level (0-255)"),
            N_("The video is too dark to see small movements: turn on a light."),
        ),
        QualityCheck(
            "focus",
            focus >= BLUR_LEVEL,
            focus,
            BLUR_LEVEL,
            N_("Laplacian variance"),
            N_("The picture is blurred: wipe the lens and let the phone focus on the baby."),
        ),
        QualityCheck(
            "camera",
            camera <= CAMERA_SPEED_LIMIT,
            camera,
            CAMERA_SPEED_LIMIT,
            N_("short sides of the picture per second"),
            N_("The phone moved a lot: rest it on something or hold it with both hands."),
        ),
        QualityCheck(
            "infant_found",
            infant_found,
            1.0 if infant_found else 0.0,
            1.0,
            "",
            N_("No baby could be found in the picture (nothing kept moving in one place)."),
        ),
        QualityCheck(
            "infant_size",
            not infant_found or infant_share >= SMALL_INFANT_SHARE,
            infant_share,
            SMALL_INFANT_SHARE,
            N_("share of the picture"),
            N_("The baby is small in the picture: film closer, so the baby fills most of it."),
        ),
        QualityCheck(
            "infant_in_view",
            not infant_found or edge_share <= EDGE_SHARE,
            edge_share,
            EDGE_SHARE,
            N_("share of the picture's edge"),
            N_(
                "The baby reaches the edge of the picture: part of the body, perhaps the "
                "head, may be out of view. Keep the whole baby, head included, in the picture."
            ),
        ),
    ]
    # A check that passes carries no advice.
    checks = [c if not c.ok else replace(c, message="") for c in checks]
    problems = [c.message for c in checks if not c.ok]
    return {"ok": not problems, "checks": [c.to_dict() for c in checks], "problems": problems}


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
        minutes on) and how to have it analysed again; ``clinician`` (the report, the
        view at a share link) is told to watch it, and nothing about analysing it again.
    locale
        Whose decimal sign its numbers have (English by default: ``0.5``; ``0,5`` in
        Spanish).

    Returns
    -------
    list of str
        Never says "no spasms": when nothing is found it says that none was detected,
        that subtle spasms can be missed and that the doctor should watch the video.
    """
    clinician = reader == "clinician"
    summary = doc.get("summary", {})
    n = int(summary.get("spasm_like", 0))
    k = int(summary.get("clusters", 0))
    rhythmic = int(summary.get("rhythmic", 0))
    watch = gettext("Watch the video at these times: it is evidence, not a diagnosis.")
    said: list[str] = []  # what was found and what to do: the first line
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
        said += [found % {"n": n, "k": k}, watch if clinician else todo]
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
        if clinician:
            said += [found] if n else [found, watch]
        else:
            said += [
                found,
                gettext(
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
    if not n:
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
        if doc.get("sensitivity", "normal") != "high" and not clinician:
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
    problems = quality.get("problems") or []
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


def quality_checks(doc: dict, gettext: Callable[[str], str] = english) -> list[dict]:
    """The quality checks of a video result document, each with its plain ``label``
    (results stored before labels existed get theirs here), its words in ``gettext``'s
    language; empty for a result from before the quality check."""
    checks = (doc.get("quality") or {}).get("checks") or []
    out = []
    for c in checks:
        label = c.get("label") or CHECK_LABELS.get(c.get("id", ""), c.get("id", ""))
        words = {"label": gettext(label)}
        for key in ("message", "unit"):
            if c.get(key):
                words[key] = gettext(c[key])
        out.append({**c, **words})
    return out
