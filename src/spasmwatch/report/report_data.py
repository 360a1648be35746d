"""What the clinician report shows, as plain data: :class:`ReportData` and its parts.

The child (:class:`ChildHeader`), the episode table's rows (:class:`EpisodeLine`), the
per-day counts (:class:`DayCount`) and the charts' spans (:class:`ChartSpan`), with the
counts the summaries say (:class:`ReportData`'s properties). Made by
:func:`spasmwatch.report.build.assemble_report`; rendered by
:mod:`spasmwatch.report.render`, drawn by :mod:`spasmwatch.report.plots`. No rendering,
no database.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from spasmwatch.care import CareSummary
from spasmwatch.case import FEVER_C, VOCABULARIES
from spasmwatch.i18n import N_
from spasmwatch.report.eeg_finding import EegFinding
from spasmwatch.report.notices import FamilyNotice
from spasmwatch.report.video_finding import VideoFinding
from spasmwatch.triage.facts import SERIES_MAX_INTERVAL_S, counted_movements
from spasmwatch.triage.rule import LEVEL_WORD

__all__ = [
    "CHART_SPANS_DAYS",
    "SINCE_FIRST",
    "ChartSpan",
    "ChildHeader",
    "DayCount",
    "EpisodeLine",
    "ReportData",
    "span_label",
]


@dataclass(frozen=True)
class ChildHeader:
    """Who the report is about."""

    name: str
    age_months: float
    birth_date: date | None
    born_weeks: float | None
    conditions: list[str]
    development: str

    @property
    def age_weeks(self) -> int | None:
        """The age now in whole weeks under 3 months (None from 3 months on: said in
        months)."""
        if self.age_months < 3:
            return round(self.age_months * 30.4375 / 7)
        return None


@dataclass(frozen=True)
class EpisodeLine:
    """One episode of the diary, as a row of the episode table.

    ``series`` is true for a series of 3 or more movements with gaps of at most 60 s (a
    cluster, as in the triage), unless its movements are counted as harmless look-alikes
    (:func:`~spasmwatch.triage.facts.counted_as_cluster`: 20 hiccups in a row are not a
    cluster in the doctor's counts); ``lookalike`` is true for such an episode (every
    movement named a look-alike: hiccups, shivering, tremor, startle; one that also
    names another movement is not), whose movements the summary and the charts count
    apart, unless the triage calls it spasm-like: a series of startles, not asleep, at
    1-24 months is a cluster, not a look-alike
    (:func:`~spasmwatch.triage.facts.counted_as_lookalike`); ``fever`` for a temperature
    of 38.0 C or more. An episode that names a movement but was logged without a count is
    :attr:`uncounted`: the counts take it as one movement (:attr:`moves`), so the table
    and the summaries say that its count was not given and that the totals are at least
    theirs.
    """

    started_at: datetime | None
    logged_at: datetime
    state_code: str
    state: str
    movements: str
    side: str
    count: int | None
    movement_seconds: float | None
    interval_seconds: float | None
    episode_minutes: float | None
    fever_c: float | None
    after: str
    red_flags: str
    notes: str
    series: bool
    spasm_type: bool
    #: The answers as codes (``state_code`` too), for the words of another language
    #: (:func:`episode_terms`).
    movement_codes: tuple[str, ...] = ()
    side_code: str = "unknown"
    after_codes: tuple[str, ...] = ()
    red_flag_codes: tuple[str, ...] = ()
    #: The diary's id of the episode (None: not from a diary), which its recordings name.
    episode_id: int | None = None
    lookalike: bool = False

    @property
    def moves(self) -> int:
        """Its movements in the counts: its count; 1 with movements named but no count; 0
        with none named (a warning sign alone:
        :func:`~spasmwatch.triage.facts.counted_movements`)."""
        return counted_movements(self.count, self.movement_codes)

    @property
    def uncounted(self) -> bool:
        """It names a movement but its count ("how many in a row") was not given: it is
        one movement or more, and :attr:`moves` takes it as one."""
        return not self.count and any(self.movement_codes)

    @property
    def maybe_series(self) -> bool:
        """Without its count, it may have been a series (:attr:`series`): it is
        :attr:`uncounted`, not of look-alikes only, and its gap (where given) is at most
        60 s."""
        return (
            self.uncounted
            and not self.lookalike
            and (self.interval_seconds is None or self.interval_seconds <= SERIES_MAX_INTERVAL_S)
        )

    @property
    def fever(self) -> bool:
        """A temperature of 38.0 C or more."""
        return self.fever_c is not None and self.fever_c >= FEVER_C

    @property
    def on_waking(self) -> bool:
        """The episode began just after waking."""
        return self.state_code == "just_woke"


@dataclass(frozen=True)
class DayCount:
    """Episodes, movements and clusters on one day of the period; ``lookalike_movements``
    of the movements are in episodes of look-alikes only (:attr:`EpisodeLine.lookalike`);
    ``uncounted`` of the episodes were logged without a count, each one of the movements
    (:attr:`EpisodeLine.uncounted`: the day had at least ``movements``)."""

    day: date
    episodes: int
    movements: int
    clusters: int
    lookalike_movements: int = 0
    uncounted: int = 0


@dataclass(frozen=True)
class ChartSpan:
    """Episodes per day over one span of the diary for a chart: the last 14 days, the last
    90 days or everything since the first episode (``label`` says which)."""

    label: str
    days: list[DayCount]


#: The spans the per-day charts cover, in days back from the report's last day: two weeks
#: (the follow-up interval of the day-14 response check) and about three months (the
#: treatment course of the usual first-line drugs); "since onset" is added when the diary
#: is longer than the longest.
CHART_SPANS_DAYS = (14, 90)
#: The label of the span since the first episode (the others: :func:`span_label`); English,
#: the message id that the report and the clinician view say in their language.
SINCE_FIRST = N_("since the first episode")


def span_label(days: int) -> str:
    """The label of the chart of the last ``days`` days (English, the message id)."""
    return f"last {days} days"


@dataclass(frozen=True)
class ReportData:
    """Everything the clinician report shows.

    Attributes
    ----------
    start, end
        The period (inclusive); the episode table, the counts and the plots cover it.
    triage
        The current triage of the whole diary (``TriageResult.to_dict()``).
    episodes
        The period's episodes, oldest first; untimed ones by when they were logged.
    days
        One entry per day of the period, days without episodes included.
    videos, eegs
        Finished analyses of the child's attachments (all of them, newest first).
    """

    child: ChildHeader
    start: date
    end: date
    generated_at: datetime
    triage: dict[str, Any]
    episodes: list[EpisodeLine]
    days: list[DayCount]
    videos: list[VideoFinding] = field(default_factory=list)
    eegs: list[EegFinding] = field(default_factory=list)
    #: The day of the first spasm-like episode of the whole diary (None: none logged): a
    #: movement of a spasm, or a series of startles that the triage calls spasm-like
    #: (:func:`~spasmwatch.triage.predicates.infant_startle_series`).
    onset: date | None = None
    #: The day of the first episode of the whole diary.
    first_episode: date | None = None
    #: Who logged the period's episodes (the accounts' display names), most entries first.
    reporters: list[str] = field(default_factory=list)
    #: Per-day counts over 14 days, 90 days and since the first episode, up to ``end``.
    spans: list[ChartSpan] = field(default_factory=list)
    #: Days marked on the per-day charts with their label (a treatment's start).
    marks: list[tuple[date, str]] = field(default_factory=list)
    #: Treatments and their response, development, the work-up (None: not gathered).
    care: CareSummary | None = None
    #: The videos and the EEG that the family's page said beside the triage answer, as
    #: calling for a doctor sooner than it (video first, as the page shows them); the
    #: diary decides them (:func:`spasmwatch.diary.overview.family_notices`).
    notices: tuple[FamilyNotice, ...] = ()

    @property
    def level_words(self) -> str:
        """The triage level in words."""
        return LEVEL_WORD[self.triage["level"]]

    @property
    def movements(self) -> int:
        """Movements in the period (each episode's :attr:`EpisodeLine.moves`): at least
        this many when any episode was logged without a count (:attr:`uncounted`)."""
        return sum(e.moves for e in self.episodes)

    @property
    def uncounted(self) -> int:
        """The period's episodes logged without a count (:attr:`EpisodeLine.uncounted`),
        each one of :attr:`movements`."""
        return sum(e.uncounted for e in self.episodes)

    @property
    def lookalike_uncounted(self) -> int:
        """Of :attr:`uncounted`, the episodes of look-alikes only (each one of
        :attr:`lookalike_movements`)."""
        return sum(e.uncounted for e in self.episodes if e.lookalike)

    @property
    def maybe_clusters(self) -> int:
        """The period's episodes without a count that may have been clusters
        (:attr:`EpisodeLine.maybe_series`): not among :attr:`clusters`, which need a
        count."""
        return sum(e.maybe_series for e in self.episodes)

    @property
    def lookalike_movements(self) -> int:
        """Of :attr:`movements`, those in episodes of harmless look-alikes only (hiccups,
        shivering, tremor, startle: :attr:`EpisodeLine.lookalike`; a series of startles
        that the triage calls spasm-like is a cluster, not one of them)."""
        return sum(e.moves for e in self.episodes if e.lookalike)

    @property
    def lookalike_kinds(self) -> tuple[str, ...]:
        """The look-alike movements (codes, in the form's order) of those episodes."""
        named = {m for e in self.episodes if e.lookalike for m in e.movement_codes}
        return tuple(m for m in VOCABULARIES["movements"] if m in named)

    @property
    def clusters(self) -> list[EpisodeLine]:
        """The series (clusters) of the period."""
        return [e for e in self.episodes if e.series]

    @property
    def video_clusters(self) -> tuple[int, int]:
        """(clusters, videos with any) that the video analyses found, said apart from the
        diary's :attr:`clusters` (the episodes the family logged): a cluster filmed and
        never logged as an episode is in a video only, so "0 clusters" alone would
        contradict the video findings."""
        found = [int(v.summary.get("clusters", 0)) for v in self.videos]
        return sum(found), sum(1 for n in found if n)

    @property
    def febrile(self) -> list[EpisodeLine]:
        """Episodes with a temperature of 38.0 C or more."""
        return [e for e in self.episodes if e.fever]

    @property
    def waking_share(self) -> tuple[int, int]:
        """(episodes on waking, episodes with a known state) in the period."""
        known = [e for e in self.episodes if e.state_code != "unknown"]
        return sum(e.on_waking for e in known), len(known)

    @property
    def cluster_waking(self) -> tuple[int, int]:
        """(clusters on waking, clusters) in the period: spasms cluster just after waking."""
        clusters = self.clusters
        return sum(e.on_waking for e in clusters), len(clusters)

    @property
    def states(self) -> list[tuple[str, int]]:
        """How many episodes began in each state, most frequent first."""
        return Counter(e.state for e in self.episodes).most_common()
