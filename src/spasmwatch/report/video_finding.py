"""A finished video analysis as the clinician report shows it: :class:`VideoFinding`.

Read back from the stored result document by :func:`spasmwatch.report.build.assemble_report`;
its sentences (the statement, the quality checks, what limits a count of none) are said in
a language by methods that take its ``gettext`` and ``ngettext`` (English by default).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from spasmwatch.i18n import DEFAULT_LOCALE, english, english_n
from spasmwatch.report.recording_words import problem_words
from spasmwatch.video.quality import baby_found, indeterminate_checks, quality_checks
from spasmwatch.video.statement import describe_video, limited_result

__all__ = ["VideoFinding"]

#: A language's ``gettext`` and ``ngettext`` (English: :func:`english`, :func:`english_n`).
Gettext = Callable[[str], str]
NGettext = Callable[[str, str, int], str]


@dataclass(frozen=True)
class VideoFinding:
    """A finished video analysis (the video contract of ``docs/analysis-outputs.md``)."""

    filename: str
    uploaded_at: datetime
    episode_started_at: datetime | None
    video: dict[str, Any]
    summary: dict[str, Any]
    events: list[dict[str, Any]]
    clusters: list[dict[str, Any]]
    images: dict[str, Path]
    sensitivity: str = "normal"
    #: What the result means, in plain sentences (:func:`spasmwatch.video.describe_video`).
    statement: tuple[str, ...] = ()
    #: The video's quality check (empty for analyses made before it existed).
    quality: dict[str, Any] = field(default_factory=dict)
    #: The stored video file and its clips by event number (for the doctor package).
    file: Path | None = None
    clips: dict[int, Path] = field(default_factory=dict)
    #: The result document (``VideoAnalysis.to_dict()``), for :meth:`describe` in another
    #: language (empty: only the English :attr:`statement`).
    document: dict[str, Any] = field(default_factory=dict)

    def quality_words(self, gettext: Gettext = english) -> list[dict[str, Any]]:
        """Each quality check with its plain label in ``gettext``'s language
        (:func:`spasmwatch.video.quality.quality_checks`)."""
        return quality_checks({"quality": self.quality}, gettext)

    @property
    def baby_found(self) -> bool:
        """The quality check found a baby in the picture (or the result has no quality
        check): without one, the counts are not a result
        (:func:`spasmwatch.video.quality.baby_found`)."""
        return baby_found(self.quality)

    def problem_words(
        self, gettext: Gettext = english, *, besides_limited: bool = False
    ) -> list[str]:
        """The quality checks the video did not pass, a few words each in ``gettext``'s
        language ("too dark", "the phone moved too much"; :func:`problem_words`); with
        ``besides_limited``, only those that :meth:`limited_words` does not name."""
        named = indeterminate_checks(self._counted()) if besides_limited else []
        kept = [c for c in (self.quality or {}).get("checks") or [] if c.get("id") not in named]
        return problem_words({**self.quality, "checks": kept}, gettext)

    def limited_words(self, gettext: Gettext = english) -> str:
        """The doctor's words for a count of none that the picture limits, in ``gettext``'s
        language: "none detected; the picture limits the result (too dark)"; "" where none
        means what it says (:func:`spasmwatch.video.statement.limited_result`)."""
        return limited_result(self._counted(), gettext)

    def _counted(self) -> dict[str, Any]:
        """The counts and the quality check, as a result document holds them."""
        return {"summary": self.summary, "quality": self.quality}

    def describe(
        self,
        gettext: Gettext = english,
        ngettext: NGettext = english_n,
        locale: str = DEFAULT_LOCALE,
    ) -> list[str]:
        """What the analysis found, in sentences for a clinician, in the language of
        ``gettext`` and ``ngettext`` with ``locale``'s decimal sign
        (:func:`spasmwatch.video.describe_video`; English: :attr:`statement`)."""
        if not self.document:
            return list(self.statement)
        return describe_video(self.document, gettext, ngettext, reader="clinician", locale=locale)
