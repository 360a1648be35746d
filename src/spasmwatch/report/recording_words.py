"""What a video's quality check and an EEG's possible seizures say in the summaries: the
report's first page and findings, the FHIR Observations and the CSV table of recordings.

One spelling for the three: a failed quality check by its key (never by its words, which
the video analysis may reword), and the seizure detector's events counted and measured
from the result document as stored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from spasmwatch.i18n import DEFAULT_LOCALE, N_, english, english_n, format_plain
from spasmwatch.video.quality import PROBLEM_WORDS, quality_checks

__all__ = [
    "NOT_SEARCHED",
    "NO_BABY",
    "QUALITY_PROBLEMS",
    "SZ_DETECTOR_WORDS",
    "failed_checks",
    "problem_words",
    "seconds_words",
    "seizure_words",
    "seizures",
]

#: The quality check that finds the baby: without one the detector had nothing to follow,
#: so the video's counts are not a result (its 0 is not "no spasm").
NO_BABY = "infant_found"

#: A failed quality check in a few words, by the check's key
#: (:func:`spasmwatch.video.quality.quality_checks`), as the summaries name it beside the
#: counts; a key not listed here is named by its check's own label. The video analysis'
#: own spelling (:data:`spasmwatch.video.quality.PROBLEM_WORDS`), which the doctor's
#: statement uses too.
QUALITY_PROBLEMS: dict[str, str] = PROBLEM_WORDS

#: The seizure detectors of the EEG analysis (``settings.sz_detector``) in words: both
#: were made on the EEG of newborns, which the report says wherever it names their events.
SZ_DETECTOR_WORDS: dict[str, str] = {
    "stevenson_cnn": N_("neonatal seizure detector (Stevenson\u2013Tapani\u2013Vanhatalo CNN)"),
    "logistic": N_("neonatal seizure detector (channel-wise logistic model after Temko et al.)"),
}

#: The seizure detector could not score the recording (``settings.sz_note``): its count of
#: 0 is not "no seizure".
NOT_SEARCHED = N_("not searched for seizures")

Gettext = Callable[[str], str]
NGettext = Callable[[str, str, int], str]


def failed_checks(quality: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """The checks of a video result's ``quality`` block that the video did not pass
    (``ok`` false), in their order, as :func:`spasmwatch.video.quality.quality_checks`
    reads them: a check not judged (``ok`` None: those that need a baby where none was
    found, in results stored before they were left unjudged too) is not among them."""
    checks = quality_checks({"quality": dict(quality or {})})
    return [c for c in checks if c.get("ok") is False]


def problem_words(quality: Mapping[str, Any] | None, gettext: Gettext = english) -> list[str]:
    """The failed quality checks in a few words each (:data:`QUALITY_PROBLEMS`), in
    ``gettext``'s language, "no baby found" first."""
    failed = failed_checks(quality)
    failed.sort(key=lambda c: c.get("id") != NO_BABY)
    out = []
    for check in failed:
        key = str(check.get("id", ""))
        words = QUALITY_PROBLEMS.get(key) or str(check.get("label") or key)
        out.append(gettext(words))
    return out


def seizures(events: Sequence[Mapping[str, Any]]) -> tuple[int, float | None]:
    """(possible seizures, the longest one's duration in s) of an EEG result's events:
    the seizure detector's ``sz`` events; (0, None) without any."""
    lengths = [float(e.get("duration") or 0.0) for e in events if e.get("eventType") == "sz"]
    return len(lengths), (max(lengths) if lengths else None)


def seconds_words(value: float, locale: str = DEFAULT_LOCALE) -> str:
    """A duration in whole seconds (one decimal under 10 s), with ``locale``'s decimal
    sign: "391", "7.5"."""
    return format_plain(value, locale, 0 if value >= 10 else 1)


def seizure_words(
    events: Sequence[Mapping[str, Any]],
    settings: Mapping[str, Any] | None = None,
    gettext: Gettext = english,
    ngettext: NGettext = english_n,
    locale: str = DEFAULT_LOCALE,
) -> str:
    """The possible seizures of an EEG result in a few words, in the language of
    ``gettext`` and ``ngettext``: "6 possible seizures, the longest 391 s", "1 possible
    seizure of 30 s", "no possible seizure", or :data:`NOT_SEARCHED` when the detector
    could not score the recording (``settings.sz_note``)."""
    if (settings or {}).get("sz_note"):
        return gettext(NOT_SEARCHED)
    n, longest = seizures(events)
    if not n or longest is None:
        return gettext("no possible seizure")
    return ngettext(
        "%(n)s possible seizure of %(s)s s",
        "%(n)s possible seizures, the longest %(s)s s",
        n,
    ) % {"n": n, "s": seconds_words(longest, locale)}
