"""The caveats of a video result in plain words: the paragraphs after what was found and
what to do (:attr:`~spasmwatch.video.statement.VideoWords.more`).

That a count of spasm-like movements is a floor (the detector misses subtle ones), how
many movements looked spasm-like but were set aside uncounted, and the video's problems
not said before. Kept apart from :func:`~spasmwatch.video.statement.video_words`, which
says first what was found and what to do: these qualify it, for the family and the
clinician alike.
"""

from __future__ import annotations

from collections.abc import Callable

from spasmwatch.video.quality import LIMITING_CHECKS

__all__ = ["caveat_paragraphs"]


def caveat_paragraphs(
    doc: dict,
    n: int,
    counted: bool,
    clinician: bool,
    gettext: Callable[[str], str],
    ngettext: Callable[[str, str, int], str],
) -> list[str]:
    """The paragraphs after what was found and what to do: that a count is a floor, the
    movements left uncounted, and the video's problems not said before."""
    lines: list[str] = []
    if n and counted:  # what was found is a floor: the detector misses more of the subtle ones
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
    with_phone = _set_aside(doc, "phone") if counted else 0
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
    with_a_hand = _set_aside(doc, "outside") if counted else 0
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
    # the rest of what limits the video: what was said before is not said again
    said = {
        c.get("message")
        for c in quality.get("checks") or []
        if c.get("id") in (*LIMITING_CHECKS, "infant_found")
    }
    problems = [p for p in quality.get("problems") or [] if p not in said]
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
