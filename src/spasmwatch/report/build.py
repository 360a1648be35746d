"""What the clinician report shows for one child over a period.

:func:`assemble_report` turns what the diary holds (a :class:`ReportSource`, gathered by
:func:`spasmwatch.diary.reporting.build_report`) into a :class:`ReportData`: plain data, no
rendering, no database. :mod:`spasmwatch.report.render` turns it into HTML or PDF, in a
language: the texts here are English message ids, and the findings' sentences are made by
methods that take a language's ``gettext`` and ``ngettext`` (English by default).

This module holds the diary's side (:class:`StoredEpisode`, :class:`StoredRecording`,
:class:`ReportSource`), the period (:func:`parse_period`) and the assembly. What it makes
lives beside it: :mod:`~spasmwatch.report.report_data` (:class:`ReportData` and its
parts), :mod:`~spasmwatch.report.video_finding` and :mod:`~spasmwatch.report.eeg_finding`
(the findings and the EEG's shared words), :mod:`~spasmwatch.report.answer_words` (the
diary's answers in words). Their names are importable from here too, as the report's
callers and tests import them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from spasmwatch.care import CareSummary
from spasmwatch.case import parse_case
from spasmwatch.eeg.result import EEGAnalysis
from spasmwatch.eeg.words import EEG_EVENT_WORDS, age_days_on, newborn_when_recorded
from spasmwatch.errors import InvalidInput
from spasmwatch.report.answer_words import (
    DEVELOPMENT_NOT_KNOWN,
    SHORT_TERM_FIELDS,
    development_words,
    episode_terms,
    form_words,
    short_term,
    short_terms,
)
from spasmwatch.report.eeg_finding import (
    NEWBORN_DETECTOR,
    NOT_RULED_OUT,
    EegFinding,
    continuity_line,
    hypsarrhythmia_words,
    length_words,
    not_ruled_out,
    not_ruled_out_message,
)
from spasmwatch.report.recording_words import SZ_DETECTOR_WORDS
from spasmwatch.report.report_data import (
    CHART_SPANS_DAYS,
    SINCE_FIRST,
    ChartSpan,
    ChildHeader,
    DayCount,
    EpisodeLine,
    ReportData,
    span_label,
)
from spasmwatch.report.video_finding import VideoFinding
from spasmwatch.triage import triage
from spasmwatch.triage.facts import counted_as_cluster, counted_as_lookalike, derive_facts
from spasmwatch.triage.predicates import infant_startle_series
from spasmwatch.video.result import VideoAnalysis
from spasmwatch.video.statement import describe_video

__all__ = [
    "BAD_DATE",
    "DEVELOPMENT_NOT_KNOWN",
    "EEG_EVENT_WORDS",
    "EMPTY_PERIOD",
    "NEWBORN_DETECTOR",
    "NOT_RULED_OUT",
    "SHORT_TERM_FIELDS",
    "SINCE_FIRST",
    "SZ_DETECTOR_WORDS",
    "ChartSpan",
    "ChildHeader",
    "DayCount",
    "EegFinding",
    "EpisodeLine",
    "ReportData",
    "ReportSource",
    "StoredEpisode",
    "StoredRecording",
    "VideoFinding",
    "assemble_report",
    "continuity_line",
    "development_words",
    "episode_terms",
    "hypsarrhythmia_words",
    "length_words",
    "not_ruled_out",
    "not_ruled_out_message",
    "parse_period",
    "short_term",
    "span_label",
]


#: What is wrong with a report's period, in English with placeholders (``InvalidInput``'s
#: message and params); the pages say it in their language (the catalogs list these two:
#: :mod:`spasmwatch.i18n.catalog`).
BAD_DATE = "Invalid value for '%(field)s': a date as YYYY-MM-DD is required; got %(got)s"
EMPTY_PERIOD = "The period is empty: 'from' %(start)s is after 'to' %(end)s"


def parse_period(start: str | None, end: str | None) -> tuple[date | None, date | None]:
    """Dates given as text (``YYYY-MM-DD``), validated; empty means not given.

    Raises
    ------
    InvalidInput
        For a date that is not ``YYYY-MM-DD`` (:data:`BAD_DATE`) or a start after the end
        (:data:`EMPTY_PERIOD`).
    """
    parsed: list[date | None] = []
    for name, value in (("from", start), ("to", end)):
        if not value:
            parsed.append(None)
            continue
        try:
            parsed.append(date.fromisoformat(value.strip()))
        except ValueError:
            raise InvalidInput(BAD_DATE, field=name, got=repr(value)) from None
    first, last = parsed
    if first is not None and last is not None and first > last:
        raise InvalidInput(EMPTY_PERIOD, start=first.isoformat(), end=last.isoformat())
    return first, last


def _day(row: Any) -> date:
    return (row.started_at or row.logged_at).date()


def _day_counts(lines: list[EpisodeLine], start: date, end: date) -> list[DayCount]:
    """One :class:`DayCount` per day from ``start`` to ``end``, days without episodes too."""
    by_day: dict[date, list[EpisodeLine]] = {}
    for e in lines:
        by_day.setdefault((e.started_at or e.logged_at).date(), []).append(e)
    days = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        todays = by_day.get(day, [])
        days.append(
            DayCount(
                day=day,
                episodes=len(todays),
                movements=sum(e.moves for e in todays),
                clusters=sum(e.series for e in todays),
                lookalike_movements=sum(e.moves for e in todays if e.lookalike),
                uncounted=sum(e.uncounted for e in todays),
            )
        )
    return days


def _spans(lines: list[EpisodeLine], first: date | None, end: date) -> list[ChartSpan]:
    """The per-day charts: the last 14 days always; each longer span (90 days, then since
    the first episode) only when the diary goes back further than the span before it, so
    that no two charts show the same days."""
    spans = []
    covered = 0
    length = (end - first).days + 1 if first is not None else 0
    for n in CHART_SPANS_DAYS:
        if covered == 0 or length > covered:
            spans.append(
                ChartSpan(span_label(n), _day_counts(lines, end - timedelta(days=n - 1), end))
            )
            covered = n
    if first is not None and length > covered:
        spans.append(ChartSpan(SINCE_FIRST, _day_counts(lines, first, end)))
    return spans


def _episode_line(row: Any, facts: Any) -> EpisodeLine:
    ep = row.data
    return EpisodeLine(
        started_at=row.started_at,
        logged_at=row.logged_at,
        state_code=ep.get("state", "unknown"),
        state=short_terms(ep.get("state", "unknown")),
        movements=short_terms(ep.get("movements", [])),
        side=short_terms(ep.get("side", "unknown")),
        count=ep.get("count"),
        movement_seconds=ep.get("movement_seconds"),
        interval_seconds=ep.get("interval_seconds"),
        episode_minutes=ep.get("episode_minutes"),
        fever_c=ep.get("fever_c"),
        after=short_terms(ep.get("after", [])),
        red_flags=form_words("red_flags", ep.get("red_flags", [])),
        notes=ep.get("notes", ""),
        series=counted_as_cluster(facts),
        spasm_type=facts.spasm_type,
        movement_codes=tuple(ep.get("movements", [])),
        side_code=ep.get("side", "unknown"),
        after_codes=tuple(ep.get("after", [])),
        red_flag_codes=tuple(ep.get("red_flags", [])),
        episode_id=row.id,
        lookalike=counted_as_lookalike(facts),
    )


@dataclass(frozen=True)
class StoredEpisode:
    """An episode as the diary keeps it."""

    id: int
    started_at: datetime | None
    logged_at: datetime
    data: dict[str, Any]
    #: The display name of the account that logged it ("" when unknown or removed).
    logged_by: str = ""


@dataclass(frozen=True)
class StoredRecording:
    """A video or EEG file of the diary, its analysis and the images the analysis left."""

    filename: str
    kind: str
    uploaded_at: datetime
    episode_id: int | None
    analysis: dict[str, Any]
    images: dict[str, Path]
    #: The stored file (an EEG's event pages of traces are read from it; a video is
    #: embedded from it in the doctor package).
    file: Path | None = None
    #: A video's clips by event number (from 1), as its analysis wrote them.
    clips: dict[int, Path] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportSource:
    """What the diary holds about one child, for :func:`assemble_report`."""

    name: str
    birth_date: date | None
    born_weeks: float | None
    #: Condition and development codes of the case format.
    conditions: list[str]
    development: str
    #: The whole diary in the case format (its age as of the report's day).
    case: dict[str, Any]
    #: Oldest first, as in ``case``.
    episodes: list[StoredEpisode]
    recordings: list[StoredRecording]
    #: Treatments and their response, development, the work-up.
    care: CareSummary | None = None


def _findings(
    recordings: list[StoredRecording], started: dict[int, datetime | None]
) -> tuple[list[VideoFinding], list[EegFinding]]:
    videos: list[VideoFinding] = []
    eegs: list[EegFinding] = []
    for a in recordings:
        analysis = a.analysis or {}
        if analysis.get("status") != "done" or not isinstance(analysis.get("result"), dict):
            continue
        result = analysis["result"]
        sensitivity = str(analysis.get("sensitivity", "normal"))
        images = {name: path for name, path in a.images.items() if path.is_file()}
        # Read back as the analysers' typed results: a document that does not follow the
        # contract is left out of the report rather than breaking it.
        try:
            if a.kind == "video":
                video = VideoAnalysis.from_dict(result)
                doc = video.to_dict()
                videos.append(
                    VideoFinding(
                        filename=a.filename,
                        uploaded_at=a.uploaded_at,
                        episode_started_at=started.get(a.episode_id) if a.episode_id else None,
                        video=doc["video"],
                        summary=video.summary(),
                        events=[e.to_dict() for e in video.events],
                        clusters=[c.to_dict() for c in video.clusters],
                        images=images,
                        sensitivity=sensitivity,
                        statement=tuple(describe_video(doc, reader="clinician")),
                        quality=dict(video.quality),
                        file=a.file,
                        clips={n: path for n, path in a.clips.items() if path.is_file()},
                        document=doc,
                    )
                )
            elif a.kind == "eeg":
                eeg = EEGAnalysis.from_dict(result)
                eegs.append(
                    EegFinding(
                        filename=a.filename,
                        uploaded_at=a.uploaded_at,
                        recording=dict(result["recording"]),
                        background=eeg.background.to_dict(),
                        events=[e.to_dict() for e in eeg.events],
                        images=images,
                        sensitivity=sensitivity,
                        file=a.file,
                        settings=dict(result.get("settings") or {}),
                    )
                )
        except ValueError:
            continue
    return videos, eegs


def assemble_report(
    source: ReportSource,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> ReportData:
    """The clinician report of one child over a period, from what the diary holds.

    Parameters
    ----------
    source
        The child, the diary and its recordings.
    start, end
        The period, inclusive. By default from the day of the first episode (or 13 days
        before ``end`` when there is none) to today.
    now
        When the report is made (default: now); anchors the age, the triage and "today".

    Returns
    -------
    ReportData

    Raises
    ------
    InvalidInput
        For a start after the end (:data:`EMPTY_PERIOD`).
    """
    now = now or datetime.now().replace(microsecond=0)
    if start is not None and end is not None and start > end:
        raise InvalidInput(EMPTY_PERIOD, start=start.isoformat(), end=end.isoformat())
    rows = source.episodes
    conditions = [form_words("conditions", c) for c in source.conditions]
    development = development_words(source.development)
    started = {r.id: r.started_at for r in rows}
    videos, eegs = _findings(source.recordings, started)

    case = parse_case(source.case)
    facts = derive_facts(case, now)
    result = triage(case, now=now).to_dict()

    end = end or now.date()
    first = min((_day(r) for r in rows), default=None)
    if start is None:
        start = first if first is not None and first <= end else end - timedelta(days=13)
    if start > end:
        raise InvalidInput(EMPTY_PERIOD, start=start.isoformat(), end=end.isoformat())
    every = [_episode_line(row, f) for row, f in zip(rows, facts.episodes, strict=True)]
    in_period = [start <= _day(row) <= end for row in rows]
    lines = [line for line, inside in zip(every, in_period, strict=True) if inside]
    days = _day_counts(lines, start, end)
    onset = min(
        (
            _day(r)
            for r, f in zip(rows, facts.episodes, strict=True)
            if f.spasm_type or infant_startle_series(f)
        ),
        default=None,
    )
    up_to_end = [e for e, r in zip(every, rows, strict=True) if _day(r) <= end]
    reporters = Counter(
        r.logged_by for r, inside in zip(rows, in_period, strict=True) if inside and r.logged_by
    )
    header = ChildHeader(
        name=source.name,
        age_months=case.age_months_at(None, today=now.date()),
        birth_date=source.birth_date,
        born_weeks=source.born_weeks,
        conditions=conditions,
        development=development,
    )
    # what a discontinuous background means depends on the age at the recording
    eegs = [
        replace(
            e,
            newborn=newborn_when_recorded(
                # the case's age in months is the age on the report's day
                age_days_on(
                    e.recorded_on, case.child.birth_date, case.child.age_months, now.date()
                ),
                source.born_weeks,
            ),
        )
        for e in eegs
    ]
    return ReportData(
        child=header,
        start=start,
        end=end,
        generated_at=now,
        triage=result,
        episodes=lines,
        days=days,
        videos=videos,
        eegs=eegs,
        onset=onset,
        first_episode=first,
        reporters=[name for name, _n in reporters.most_common()],
        spans=_spans(up_to_end, first, end),
        marks=[(t.treatment.start_date, t.treatment.drug) for t in source.care.treatments]
        if source.care is not None
        else [],
        care=source.care,
    )
