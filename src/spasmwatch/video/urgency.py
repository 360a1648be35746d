"""How soon a doctor should see what a video shows, as the triage rules answer for the
same movements logged in the diary.

One answer for the family's words (:func:`~spasmwatch.video.statement.describe_video`) and
for the alert beside the diary's answer on the child's page
(:func:`~spasmwatch.diary.overview.urgent_video`), kept apart from the wording: it is a
level (``soon``, ``same_day``), checked against the triage rules by a test, not a sentence.
"""

from __future__ import annotations

from spasmwatch.triage.rule import level_rank

__all__ = ["VIDEO_URGENCY", "today_if_not_stopped", "video_urgency"]

#: How soon a doctor should see what a video shows, as the triage rules answer for the
#: same movements logged in the diary (``spasmwatch.triage``; a test triages each such
#: episode and checks the level), for the family's words of
#: :func:`~spasmwatch.video.statement.describe_video`:
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


def today_if_not_stopped(doc: dict) -> bool:
    """Whether a video asks for a doctor today only through its rhythmic jerking (no
    series of spasm-like movements): the family's words then say "today" on a condition
    the video cannot show, that the jerking could not be stopped (held or woken), and the
    alert beside the diary's answer keeps that condition rather than a bare "today".
    Short bouts of kicking are common in healthy babies."""
    summary = doc.get("summary") or {}
    return bool(summary.get("rhythmic")) and not summary.get("clusters")
