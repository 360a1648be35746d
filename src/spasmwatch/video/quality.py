"""Can this video show a spasm? A per-video quality check.

A video that is too short, too dark, blurred, shaken, or shows the baby small or only in
part can hide a spasm, and "nothing found" in such a video means little. The checks
here use what the analysis measured anyway (brightness, focus, the phone's own movement,
where the infant is), so they cost nothing extra. The result in plain words is
:mod:`spasmwatch.video.statement`'s.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from spasmwatch.i18n import DEFAULT_LOCALE, N_, english, format_significant

__all__ = [
    "CHECK_LABELS",
    "LIMITING_CHECKS",
    "NEEDS_INFANT",
    "NOT_JUDGED",
    "PERCENT_MEASURES",
    "PICTURE_CHECKS",
    "PLAIN_DIGITS",
    "PLAIN_MEASURES",
    "PROBLEM_WORDS",
    "QualityCheck",
    "assess_quality",
    "baby_found",
    "indeterminate_checks",
    "judged_checks",
    "limiting_failures",
    "plain_measure",
    "quality_checks",
]


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

#: Checks that measure the baby found in the picture: without one they are not judged
#: (``ok`` is None), neither passed nor failed [design]: a size or an edge share of
#: "nothing" says nothing about the baby, and a tick beside it would read as a pass.
NEEDS_INFANT: tuple[str, ...] = ("infant_size", "infant_in_view")

#: Checks of the picture itself whose failure limits anything the detector found or did
#: not find (noise, lost edges, the phone's own movement subtracted from the baby's): said
#: before any count [design], so that a count or a "nothing detected" is read with it.
#: The others (length, the baby's size and place) stay after the findings.
PICTURE_CHECKS: tuple[str, ...] = ("brightness", "focus", "camera")

#: Checks whose failure limits what the video can show of the baby however much or little
#: was found: the picture itself (:data:`PICTURE_CHECKS`) and the baby's size and place in
#: it (:data:`NEEDS_INFANT`: a small baby's nod moves less than a cell, a head out of view
#: cannot nod in the picture). Where one failed and nothing spasm-like was found, "none
#: detected" is not reassurance [design]: the family is asked for a new video, the doctor
#: reads "none detected; the picture limits the result", FHIR interprets the 0 as
#: indeterminate. The length is not among them: a short video shows less time, not a
#: worse picture of it, and says so on its own ("The video is very short ...").
LIMITING_CHECKS: tuple[str, ...] = (*PICTURE_CHECKS, *NEEDS_INFANT)

#: A failed check in a few words, by its key, as the summaries name it beside a video's
#: counts (the report's first page, FHIR, the CSV table) and the doctor's "none detected;
#: the picture limits the result (too dark)".
PROBLEM_WORDS: dict[str, str] = {
    "infant_found": N_("no baby found in the picture: not analysed for spasms"),
    "duration": N_("too short"),
    "brightness": N_("too dark"),
    "focus": N_("blurred"),
    "camera": N_("the phone moved too much"),
    "infant_size": N_("the baby is small in the picture"),
    "infant_in_view": N_("part of the baby out of the picture"),
}

#: What each check measured, in plain words for the family, with what is enough
#: (``%(value)s`` and ``%(limit)s`` are the numbers in the page's language, shares as
#: percentages: :data:`PERCENT_MEASURES`); the clinician's view keeps the technical ``unit``
#: (variance of the Laplacian, grey level, short sides per second). The phone's movement is
#: measured in short sides of the picture per second: the width of a phone held upright.
PLAIN_MEASURES: dict[str, str] = {
    "duration": N_("%(value)s s long; at least %(limit)s s needed"),
    "brightness": N_("brightness %(value)s of 255; %(limit)s or more is light enough"),
    "focus": N_("sharpness %(value)s; %(limit)s or more is sharp enough"),
    "camera": N_(
        "the phone moved %(value)s %% of the picture's shorter side a second; "
        "at most %(limit)s %% allowed"
    ),
    "infant_size": N_("the baby covers %(value)s %% of the picture; at least %(limit)s %% needed"),
    "infant_in_view": N_(
        "the baby touches %(value)s %% of the picture's edge; at most %(limit)s %% allowed"
    ),
}

#: Checks whose measure is a share (of the picture, of its edge, of its short side a
#: second): said to the family as a percentage [design], since "0.18" of something reads
#: as a bare number and "18 %" as a part of the whole.
PERCENT_MEASURES: tuple[str, ...] = ("camera", "infant_size", "infant_in_view")

#: Significant digits of a measure said to the family, at least [design]: enough to tell a
#: value from its limit (5.7 % beside 6 %), never so many that a whole number gets
#: decimals; a whole part is never rounded away (236, not 240).
PLAIN_DIGITS = 2

#: Said in place of passed or not passed for a check of :data:`NEEDS_INFANT` when no baby
#: was found.
NOT_JUDGED = N_("not judged: no baby found")


@dataclass(frozen=True)
class QualityCheck:
    """One quality check.

    Attributes
    ----------
    id
        Stable name of the check (``duration``, ``brightness``, ``focus``, ``camera``,
        ``infant_found``, ``infant_size``, ``infant_in_view``).
    ok
        Whether the video passes; None when the check could not be judged (the checks of
        :data:`NEEDS_INFANT` when no baby was found).
    value, limit
        What was measured and the limit it was compared with (units in ``unit``).
    unit
        Unit of ``value`` and ``limit``.
    message
        What is wrong and what to do, in plain words (empty when ``ok``).
    """

    id: str
    ok: bool | None
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
        ``quality`` block of the video result. Without a baby found, the checks of
        :data:`NEEDS_INFANT` are not judged (``ok`` None, no message).
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
            infant_share >= SMALL_INFANT_SHARE,
            infant_share,
            SMALL_INFANT_SHARE,
            N_("share of the picture"),
            N_("The baby is small in the picture: film closer, so the baby fills most of it."),
        ),
        QualityCheck(
            "infant_in_view",
            edge_share <= EDGE_SHARE,
            edge_share,
            EDGE_SHARE,
            N_("share of the picture's edge"),
            N_(
                "The baby reaches the edge of the picture: part of the body, perhaps the "
                "head, may be out of view. Keep the whole baby, head included, in the picture."
            ),
        ),
    ]
    if not infant_found:  # nothing to measure: neither a pass nor a failure
        checks = [c if c.id not in NEEDS_INFANT else replace(c, ok=None) for c in checks]
    # Only a check that failed carries advice.
    checks = [c if c.ok is False else replace(c, message="") for c in checks]
    problems = [c.message for c in checks if c.ok is False]
    return {"ok": not problems, "checks": [c.to_dict() for c in checks], "problems": problems}


def baby_found(quality: Mapping[str, Any] | None) -> bool:
    """Whether a video result's ``quality`` block found a baby in the picture: false only
    where its ``infant_found`` check failed (a result without a quality block, from before
    the check, counts as found). Without a baby the detector had nothing to follow, so
    the video's counts are not a result; every reader of a result asks this here."""
    return not any(
        c.get("id") == "infant_found" and c.get("ok") is False
        for c in (quality or {}).get("checks") or []
    )


def judged_checks(doc: dict) -> dict[str, dict]:
    """The quality checks of a result document by id, the checks of :data:`NEEDS_INFANT`
    not judged (``ok`` None) when no baby was found, also in results stored before they
    were (which passed them)."""
    quality = doc.get("quality") or {}
    checks = {c.get("id", ""): dict(c) for c in quality.get("checks") or []}
    if not baby_found(quality):
        for key in NEEDS_INFANT:
            if key in checks:
                checks[key].update(ok=None, message="")
    return checks


def limiting_failures(doc: Mapping[str, Any]) -> list[str]:
    """The checks of :data:`LIMITING_CHECKS` that a video result document did not pass, by
    key in the checks' order (:func:`judged_checks`: a check not judged is not among them);
    empty for a good picture and for a result from before the quality check."""
    checks = judged_checks(dict(doc))
    return [key for key in checks if key in LIMITING_CHECKS and checks[key].get("ok") is False]


def indeterminate_checks(doc: Mapping[str, Any]) -> list[str]:
    """What makes a video's "none detected" indeterminate rather than a negative: the checks
    of :data:`LIMITING_CHECKS` it did not pass (:func:`limiting_failures`) where a baby was
    found and no spasm-like movement was; empty otherwise (a good picture, something found,
    or no baby found, whose counts are no result at all: :func:`baby_found`)."""
    if not baby_found(doc.get("quality")):
        return []
    if int((doc.get("summary") or {}).get("spasm_like", 0)):
        return []
    return limiting_failures(doc)


def plain_measure(
    check: dict, gettext: Callable[[str], str] = english, locale: str = DEFAULT_LOCALE
) -> str:
    """What ``check`` (a check of a result document) measured, in plain words for the
    family in ``gettext``'s language with ``locale``'s numbers: "the baby covers 12 % of
    the picture; at least 6 % needed" (:data:`PLAIN_MEASURES`); "" for a check without
    plain words (``infant_found``)."""
    words = PLAIN_MEASURES.get(check.get("id", ""))
    if not words:
        return ""
    scale = 100.0 if check.get("id") in PERCENT_MEASURES else 1.0
    value, limit = (
        _plain_number(scale * float(check.get(k) or 0.0), locale) for k in ("value", "limit")
    )
    return gettext(words) % {"value": value, "limit": limit}


def _plain_number(value: float, locale: str) -> str:
    """``value`` to :data:`PLAIN_DIGITS` significant digits or its whole part, whichever
    is longer, in ``locale``'s number format ("5,7", "18", "236")."""
    whole = math.floor(math.log10(abs(value))) + 1 if value and math.isfinite(value) else 1
    return format_significant(value, locale, max(PLAIN_DIGITS, whole))


def quality_checks(
    doc: dict, gettext: Callable[[str], str] = english, locale: str = DEFAULT_LOCALE
) -> list[dict]:
    """The quality checks of a video result document, each with its plain ``label``
    (results stored before labels existed get theirs here), its words in ``gettext``'s
    language; empty for a result from before the quality check.

    Each check also has ``measured``: what it measured in plain words for the family, with
    ``locale``'s numbers (:func:`plain_measure`; absent for ``infant_found``). A check of
    :data:`NEEDS_INFANT` in a video where no baby was found has ``ok`` None and
    ``not_judged`` (what to say in place of passed or not passed), also in results stored
    before such checks were left unjudged.
    """
    out = []
    for c in judged_checks(doc).values():
        label = c.get("label") or CHECK_LABELS.get(c.get("id", ""), c.get("id", ""))
        words = {"label": gettext(label)}
        for key in ("message", "unit"):
            if c.get(key):
                words[key] = gettext(c[key])
        if c.get("id") in PLAIN_MEASURES:
            words["measured"] = plain_measure(c, gettext, locale)
        if c.get("ok") is None:
            words["not_judged"] = gettext(NOT_JUDGED)
        out.append({**c, **words})
    return out
