"""What the family's page said beside the diary's triage answer about a video or an EEG,
as the report says it to the clinician.

The triage reads only what the family logged; where the newest analysed EEG, or a video,
calls for a doctor sooner than its answer, the child page says so beside the answer
(:func:`spasmwatch.diary.overview.urgent_video`, :func:`~spasmwatch.diary.overview.urgent_eeg`
decide which, and :func:`~spasmwatch.diary.overview.family_notices` hands them to the
report as :class:`FamilyNotice`). The report says each of them beside its triage level and
under "What the family was advised": a doctor who reads "routine" must also read that the
family was told to seek care today for an EEG.

This module is light on purpose (no analyser is imported until a notice is said): the
diary builds notices for every report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from spasmwatch.i18n import DEFAULT_LOCALE, english, english_n, format_number

__all__ = ["NOTICE_WHY", "FamilyNotice"]

Gettext = Callable[[str], str]
NGettext = Callable[[str, str, int], str]

#: Why a recording asked for a doctor sooner than the diary's answer, as the diary's
#: decision says it: a video's findings (:func:`~spasmwatch.video.statement.video_urgency`:
#: a series of spasm-like movements, rhythmic jerking, or a few spasm-like movements); an
#: EEG whose automated reading is ``likely`` hypsarrhythmia (``pattern``); an EEG whose
#: seizure detector marked a possible seizure of 5 minutes or more (``long_mark``).
NOTICE_WHY = ("findings", "pattern", "long_mark")


@dataclass(frozen=True)
class FamilyNotice:
    """A video or an EEG said beside the diary's triage answer on the family's page.

    Attributes
    ----------
    kind
        ``video`` or ``eeg``.
    filename
        The recording's file name, as the page names it.
    level
        How soon the family was told to see a doctor for it (a triage level, above the
        diary's): ``same_day`` for an EEG and for a video's series of spasm-like movements
        or rhythmic jerking, ``soon`` for a video's few spasm-like movements.
    why
        One of :data:`NOTICE_WHY`.
    result
        The analysis' result document (a video's, for what it found).
    longest_s
        For ``long_mark``: the longest possible seizure marked, in seconds.
    """

    kind: str
    filename: str
    level: str
    why: str = "findings"
    result: dict[str, Any] = field(default_factory=dict, repr=False)
    longest_s: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in ("video", "eeg"):
            raise ValueError(f"Invalid value for 'kind': allowed are video, eeg; got {self.kind!r}")
        if self.why not in NOTICE_WHY:
            raise ValueError(
                f"Invalid value for 'why': allowed are {', '.join(NOTICE_WHY)}; got {self.why!r}"
            )

    def title(self, gettext: Gettext = english) -> str:
        """The recording named as the page names it: "The EEG “demo.edf”:"."""
        if self.kind == "eeg":
            return gettext("The EEG “%(name)s”:") % {"name": self.filename}
        return gettext("The video “%(name)s”:") % {"name": self.filename}

    def found(
        self,
        gettext: Gettext = english,
        ngettext: NGettext = english_n,
        locale: str = DEFAULT_LOCALE,
    ) -> str:
        """Why it asked for a doctor sooner, in clinical words: a video's findings as the
        clinician reads them (:func:`~spasmwatch.video.statement.describe_video`, as the
        share link says them); the EEG's assessment, or its longest possible seizure with
        its length."""
        if self.kind == "video":
            # Imported on first use: the video package brings OpenCV and FFmpeg.
            from spasmwatch.video.statement import describe_video

            said = describe_video(self.result, gettext, ngettext, reader="clinician", locale=locale)
            return said[0] if said else ""
        if self.why == "long_mark":
            seconds = round(self.longest_s)
            # whole minutes rounded half up, as the family's page says "about 7 minutes"
            minutes = int(self.longest_s / 60 + 0.5)
            shown = str(seconds) if locale == DEFAULT_LOCALE else format_number(seconds, locale, 0)
            return gettext(
                "The seizure detector (made for newborns) marked a possible seizure of "
                "%(seconds)s s (about %(minutes)s min), for the neurologist's reading."
            ) % {"seconds": shown, "minutes": minutes}
        return gettext(
            "Automated assessment: hypsarrhythmia likely, for the neurologist's reading."
        )

    def told(self, gettext: Gettext = english) -> str:
        """That the triage level reads only the diary, and what the family was told to do
        for this recording."""
        if self.kind == "eeg":
            return gettext(
                "The triage level above reads only what the family logged in the diary, not "
                "the EEGs: it stays the diary's, and beside it the family was told to seek "
                "care today for this EEG."
            )
        if self.level == "soon":
            return gettext(
                "The triage level above reads only what the family logged in the diary, not "
                "the videos: it stays the diary's, and beside it the family was told to show "
                "this video to a doctor within the next few days, or today if more movements "
                "like these come or they came just after waking."
            )
        return gettext(
            "The triage level above reads only what the family logged in the diary, not the "
            "videos: it stays the diary's, and beside it the family was told to seek care "
            "today for this video."
        )

    def words(
        self,
        gettext: Gettext = english,
        ngettext: NGettext = english_n,
        locale: str = DEFAULT_LOCALE,
    ) -> tuple[str, str]:
        """The notice as the report says it: its :meth:`title`, and :meth:`found` followed
        by :meth:`told`."""
        return self.title(gettext), f"{self.found(gettext, ngettext, locale)} {self.told(gettext)}"
