"""What the clinician report shows for one child over a period.

:func:`assemble_report` turns what the diary holds (a :class:`ReportSource`, gathered by
:func:`spasmwatch.diary.reporting.build_report`) into a :class:`ReportData`: plain data, no
rendering, no database. :mod:`spasmwatch.report.render` turns it into HTML or PDF, in a
language: the texts here are English message ids, and the findings' sentences are made by
methods that take a language's ``gettext`` and ``ngettext`` (English by default).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from spasmwatch.care import CareSummary
from spasmwatch.case import FEVER_C, VOCABULARIES, parse_case
from spasmwatch.eeg.reader import known_start, left_out_words
from spasmwatch.eeg.reasons import can_say
from spasmwatch.eeg.reasons import not_ruled_out as eeg_not_ruled_out
from spasmwatch.eeg.result import (
    FEW_SZ_CHANNELS,
    EEGAnalysis,
    based_score_shown,
    gaps_in_words,
    hypsarrhythmia_assessment,
    sz_note_words,
    unscored_words,
)
from spasmwatch.eeg.words import (
    DISCONTINUOUS,
    EEG_EVENT_WORDS,
    age_days_on,
    continuity_caveat,
    continuity_said,
    continuity_words,
    length_parts,
    newborn_when_recorded,
)
from spasmwatch.errors import InvalidInput
from spasmwatch.i18n import DEFAULT_LOCALE, N_, english, english_n
from spasmwatch.report.fhir_resources import hypsarrhythmia_text
from spasmwatch.report.notices import FamilyNotice
from spasmwatch.report.recording_words import (
    SZ_DETECTOR_WORDS,
    problem_words,
    seconds_words,
    seizure_words,
    seizures,
)
from spasmwatch.triage import triage
from spasmwatch.triage.facts import (
    SERIES_MAX_INTERVAL_S,
    counted_as_cluster,
    counted_as_lookalike,
    counted_movements,
    derive_facts,
)
from spasmwatch.triage.predicates import infant_startle_series
from spasmwatch.triage.rule import LEVEL_WORD
from spasmwatch.video.quality import baby_found, indeterminate_checks, quality_checks
from spasmwatch.video.result import VideoAnalysis
from spasmwatch.video.statement import describe_video, limited_result

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


#: A language's ``gettext`` and ``ngettext`` (English: :func:`english`, :func:`english_n`).
Gettext = Callable[[str], str]
NGettext = Callable[[str, str, int], str]


def short_term(code: str) -> str:
    """A vocabulary code as a short clinical term ("head_nod" -> "head nod")."""
    return code.replace("_", " ")


def _short(values: list[str] | str) -> str:
    """Vocabulary words as short clinical terms ("head_nod" -> "head nod")."""
    if isinstance(values, str):
        return short_term(values)
    return ", ".join(short_term(v) for v in values)


#: The answers the episode table names by their short clinical term; the warning signs
#: keep the form's words.
SHORT_TERM_FIELDS = ("state", "movements", "side", "after")


def episode_terms(
    field_name: str, values: Sequence[str] | str, gettext: Callable[[str], str] = english
) -> str:
    """An episode's answers of ``field_name`` (codes) as the episode table names them:
    short clinical terms, or the warning signs' words; each translated by ``gettext``
    (English by default)."""
    codes = [values] if isinstance(values, str) else list(values)
    vocab = VOCABULARIES.get(field_name, {})
    if field_name in SHORT_TERM_FIELDS:
        return ", ".join(gettext(short_term(c)) for c in codes)
    return ", ".join(gettext(vocab.get(c, c)) for c in codes)


#: A development not known, as every page says it of the child (the form's answer "not
#: sure" is the parent's own; the child page, the clinician view and the report say the
#: child's development is not known).
DEVELOPMENT_NOT_KNOWN = N_("not known")


def development_words(code: str) -> str:
    """The child's development in words (English, the message id): the form's words, but
    :data:`DEVELOPMENT_NOT_KNOWN` for ``unknown``."""
    if code == "unknown":
        return DEVELOPMENT_NOT_KNOWN
    return _words("development", code)


def _words(field_name: str, values: list[str] | str | None) -> str:
    vocab = VOCABULARIES.get(field_name, {})
    if values is None:
        return ""
    if isinstance(values, str):
        return vocab.get(values, values)
    return ", ".join(vocab.get(v, v) for v in values)


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


#: What keeps an ``unlikely`` hypsarrhythmia assessment from ruling the pattern out, in
#: short clinical words for the summary beside it, by the reason that says it in full
#: (:func:`spasmwatch.eeg.reasons.background_reasons`; the family's page says the same in
#: plain words): the criteria met only in part of the recording (a louder stretch, but the
#: pattern fades in REM sleep and during clusters), or a high amplitude where the spike
#: detector found too few discharges (it misses many on high-voltage delta).
NOT_RULED_OUT: dict[str, str] = {
    "in_part": N_(
        "high amplitude and the other criteria only in part of the recording: not ruled out"
    ),
    "high_amplitude": N_("high amplitude without enough discharges found: not ruled out"),
}


#: The seizure detectors' limit, said wherever their events are (the report's EEG findings,
#: the clinician view at a share link): both were made on newborns' EEG
#: (:data:`SZ_DETECTOR_WORDS`), and an older baby's EEG is not what they learned.
NEWBORN_DETECTOR = N_(
    "The seizure detector was made on the EEG of newborns: it says nothing about spasms or "
    "hypsarrhythmia, and on the EEG of an older baby, a child or an adult its seizure events "
    "may be false alarms (it raises some on an adult's sleep recording)."
)


def not_ruled_out(background: dict[str, Any]) -> str:
    """Why an ``unlikely`` assessment does not rule hypsarrhythmia out, as a key of
    :data:`NOT_RULED_OUT`, where the analysis' reasons say so; "" for any other
    assessment, and for a result stored before its reasons could be said again
    (:func:`spasmwatch.eeg.reasons.can_say`). The reasons' own choice
    (:func:`spasmwatch.eeg.reasons.not_ruled_out`)."""
    if not can_say(background):
        return ""
    return eeg_not_ruled_out(background, hypsarrhythmia_assessment(background)) or ""


def not_ruled_out_message(background: dict[str, Any]) -> str:
    """Why an ``unlikely`` assessment does not rule hypsarrhythmia out, as its message id
    of :data:`NOT_RULED_OUT` (:func:`not_ruled_out`), or "": the report and the web pages
    say the same words."""
    key = not_ruled_out(background)
    return NOT_RULED_OUT[key] if key else ""


def hypsarrhythmia_words(background: dict[str, Any], gettext: Gettext = english) -> str:
    """An EEG's hypsarrhythmia assessment in words in ``gettext``'s language (likely,
    unlikely, cannot be assessed), with what keeps an ``unlikely`` from ruling it out where
    the reasons say so (:func:`not_ruled_out_message`): "unlikely (high amplitude without
    enough discharges found: not ruled out)". The report's first page, the terminal's
    summary, the CSV table and the FHIR export say it so."""
    said = gettext(hypsarrhythmia_text(background))
    qualifier = not_ruled_out_message(background)
    return f"{said} ({gettext(qualifier)})" if qualifier else said


def length_words(seconds: float) -> str:
    """A recording's length in words: "30 s", "3 min 31 s", "12 min", "2 h 5 min"; exact
    under 5 minutes, as the family's page says it
    (:func:`~spasmwatch.eeg.words.length_parts`)."""
    hours, minutes, rest = length_parts(seconds)
    parts = [f"{hours} h"] if hours else []
    if minutes:
        parts.append(f"{minutes} min")
    if rest or not (hours or minutes):
        parts.append(f"{rest} s")
    return " ".join(parts)


#: The continuity of a background that is discontinuous or worse in the one-line summaries
#: (the report's first page, the clinician view's first lines, the FHIR narrative), with
#: what it means at the baby's age at the recording (:func:`continuity_line`); a
#: suppressed background, which no age makes normal, without.
CONTINUITY_LINES: dict[bool | None, str] = {
    None: N_("background %(continuity)s (can be normal only in a newborn)"),
    True: N_("background %(continuity)s (a newborn: can be normal)"),
    False: N_("background %(continuity)s (past the newborn period: abnormal)"),
}
SUPPRESSED_LINE = N_("background %(continuity)s")


def continuity_line(
    background: Mapping[str, Any], newborn: bool | None = None, gettext: Gettext = english
) -> str:
    """The continuity of a background that is discontinuous or worse, in a few words in
    ``gettext``'s language for a one-line summary: "background burst-suppression (past
    the newborn period: abnormal)" (``newborn``: the baby's age at the recording,
    :func:`~spasmwatch.eeg.words.newborn_when_recorded`; None: not known); "" for a
    continuous or nearly continuous background and where it was not judged."""
    if background.get("continuity") not in DISCONTINUOUS:
        return ""
    message = (
        SUPPRESSED_LINE
        if background.get("continuity") == "suppressed"
        else CONTINUITY_LINES[newborn]
    )
    return gettext(message) % {"continuity": continuity_words(background, gettext)}


@dataclass(frozen=True)
class EegFinding:
    """A finished EEG analysis (the EEG contract of ``docs/analysis-outputs.md``)."""

    filename: str
    uploaded_at: datetime
    recording: dict[str, Any]
    background: dict[str, Any]
    events: list[dict[str, Any]]
    images: dict[str, Path]
    sensitivity: str = "normal"
    #: The stored EEG file, for the pages of traces around its events (None: not kept).
    file: Path | None = None
    #: The analysis' ``settings``: the seizure detector, its sensitivity and threshold,
    #: the channels it saw, and why it could not score the recording (``sz_note``).
    settings: dict[str, Any] = field(default_factory=dict)
    #: Whether the baby was in the newborn period when it was recorded
    #: (:func:`~spasmwatch.eeg.words.newborn_when_recorded`); None where the age is not
    #: known. What a discontinuous background means depends on it.
    newborn: bool | None = None

    @property
    def recorded_on(self) -> date:
        """The day of the recording: the file's start where it is a real date, else the
        day it was uploaded."""
        return (self.start or self.uploaded_at).date()

    def continuity_said(self, gettext: Gettext = english, locale: str = DEFAULT_LOCALE) -> str:
        """The continuity of the background with the share it rests on, in ``gettext``'s
        language: "burst-suppression (59 % of its seconds attenuated or suppressed)"; ""
        where it was not judged (:func:`~spasmwatch.eeg.words.continuity_said`)."""
        return continuity_said(self.background, gettext, locale)

    def continuity_caveat(self, gettext: Gettext = english) -> str:
        """What a discontinuous background or a burst-suppression means at the baby's age
        at the recording (:attr:`newborn`), in ``gettext``'s language; "" for any other
        continuity (:func:`~spasmwatch.eeg.words.continuity_caveat`)."""
        return continuity_caveat(self.background, self.newborn, gettext)

    def continuity_line(self, gettext: Gettext = english) -> str:
        """The continuity of a background that is discontinuous or worse, for the one-line
        summaries, at the baby's age at the recording (:func:`continuity_line`)."""
        return continuity_line(self.background, self.newborn, gettext)

    def detector_words(self, gettext: Gettext = english) -> str:
        """The seizure detector that proposed the ``sz`` events, in words in ``gettext``'s
        language (:data:`SZ_DETECTOR_WORDS`; the default detector where the result does not
        say)."""
        name = str(self.settings.get("sz_detector") or "stevenson_cnn")
        words = SZ_DETECTOR_WORDS.get(name)
        if words is None:
            return gettext("seizure detector (%(name)s)") % {"name": name}
        return gettext(words)

    def found_words(
        self,
        gettext: Gettext = english,
        ngettext: NGettext = english_n,
        locale: str = DEFAULT_LOCALE,
    ) -> list[str]:
        """What the analysis looked for and found, in sentences in the language of
        ``gettext`` and ``ngettext`` (numbers with ``locale``'s decimal sign): the seizure
        detector's events (named as the neonatal detector they come from), the
        electrodecremental events, that spasms themselves are not detected, and that the
        recording covers only its own length and must be read by a clinical
        neurophysiologist (never a bare "nothing was detected"); a background that is
        discontinuous or worse, with what it means at the baby's age at the recording."""
        kinds = Counter(str(ev.get("eventType", "")) for ev in self.events)
        detector = self.detector_words(gettext)
        note = self.settings.get("sz_note")
        if note:
            seizures = gettext(
                "The %(detector)s could not score this recording (%(note)s): it was not "
                "searched for seizures."
            ) % {"detector": detector, "note": sz_note_words(note, gettext, locale)}
        elif kinds["sz"]:
            seizures = ngettext(
                "The %(detector)s proposed %(n)s seizure event (sz).",
                "The %(detector)s proposed %(n)s seizure events (sz).",
                kinds["sz"],
            ) % {"detector": detector, "n": kinds["sz"]}
            n, longest = self.seizures
            if longest is not None:
                lasted = ngettext("It lasted %(s)s s.", "The longest lasted %(s)s s.", n)
                seizures += " " + lasted % {"s": seconds_words(longest, locale)}
        else:
            seizures = gettext("The %(detector)s found no seizure.") % {"detector": detector}
        if kinds["decrement"]:
            decrements = ngettext(
                "%(n)s electrodecremental event was found (decrement).",
                "%(n)s electrodecremental events were found (decrement).",
                kinds["decrement"],
            ) % {"n": kinds["decrement"]}
        else:
            decrements = gettext("No electrodecremental event was found.")
        others = sum(n for kind, n in kinds.items() if kind not in ("sz", "decrement"))
        lines = [seizures, decrements]
        if others:
            lines.append(
                ngettext(
                    "%(n)s other event listed below.", "%(n)s other events listed below.", others
                )
                % {"n": others}
            )
        lines.append(gettext("The EEG analysis does not detect spasms themselves."))
        length = length_words(float(self.recording.get("duration_s") or 0))
        lines.append(
            gettext(
                "The recording covers %(length)s: a short EEG can miss what happens at other "
                "times. These are automated screening findings: the EEG must be read by a "
                "clinical neurophysiologist."
            )
            % {"length": length}
        )
        if self.background.get("continuity") in DISCONTINUOUS:
            # discontinuous or worse, with what it means at the baby's age at the recording
            continuity = self.continuity_said(gettext, locale)
            caveat = self.continuity_caveat(gettext)
            lines.append(
                gettext("The background is %(continuity)s; %(caveat)s.")
                % {"continuity": continuity, "caveat": caveat}
                if caveat
                else gettext("The background is %(continuity)s.") % {"continuity": continuity}
            )
        return lines

    def warning_words(
        self,
        gettext: Gettext = english,
        ngettext: NGettext = english_n,
        locale: str = DEFAULT_LOCALE,
    ) -> list[str]:
        """The analysis' warnings, as the summary of ``spasmwatch eeg analyze`` prints them
        (no seizure probability, too few channels for the seizure detector), and the
        seizure detector's limits, in the language of ``gettext`` and ``ngettext``
        (numbers with ``locale``'s decimal sign)."""
        out = []
        note = self.settings.get("sz_note")
        if note:
            said = sz_note_words(note, gettext, locale)
            out.append(gettext("No seizure probability: %(note)s.") % {"note": said})
        channels = self.settings.get("sz_channels")
        if channels is not None and int(channels) < FEW_SZ_CHANNELS:
            out.append(
                ngettext(
                    "Only %(n)s channel: with fewer electrodes the seizure detector misses "
                    "more seizures.",
                    "Only %(n)s channels: with fewer electrodes the seizure detector misses "
                    "more seizures.",
                    int(channels),
                )
                % {"n": int(channels)}
            )
        out.append(gettext(NEWBORN_DETECTOR))
        return out

    @property
    def seizures(self) -> tuple[int, float | None]:
        """(possible seizures, the longest one's duration in s): the seizure detector's
        ``sz`` events (:func:`~spasmwatch.report.recording_words.seizures`)."""
        return seizures(self.events)

    def seizure_words(
        self,
        gettext: Gettext = english,
        ngettext: NGettext = english_n,
        locale: str = DEFAULT_LOCALE,
    ) -> str:
        """The possible seizures in a few words, for the summary of the report's first
        page: "6 possible seizures, the longest 391 s", or "not searched for seizures"
        where the detector could not score the recording (:func:`seizure_words`)."""
        return seizure_words(self.events, self.settings, gettext, ngettext, locale)

    @property
    def score_shown(self) -> bool:
        """The BASED-like score can be shown: the recording had enough usable EEG to
        score it (:func:`~spasmwatch.eeg.result.based_score_shown`)."""
        return based_score_shown(self.background)

    def score_words(self, gettext: Gettext = english) -> str:
        """The BASED-like score as the report writes it after its name: "2/5", or why
        there is none in ``gettext``'s language ("not given (too little usable EEG: 30 s,
        at least 120 s needed)"; :func:`~spasmwatch.eeg.result.unscored_words`)."""
        if self.score_shown:
            return f"{self.background.get('based_like_score', '-')}/5"
        return unscored_words(self.background, gettext)

    @property
    def start(self) -> datetime | None:
        """When the recording began, from the file's header; None when the header does not
        say, or gives a placeholder rather than the real date
        (:func:`spasmwatch.eeg.reader.known_start`)."""
        return known_start(self.recording.get("start"))

    @property
    def start_withheld(self) -> bool:
        """The file's header gives a placeholder start date (an anonymised file)."""
        return bool(self.recording.get("start")) and self.start is None

    @property
    def hypsarrhythmia(self) -> str:
        """The hypsarrhythmia assessment in words: likely, unlikely, cannot be assessed."""
        return hypsarrhythmia_text(self.background)

    @property
    def not_ruled_out(self) -> str:
        """Why an ``unlikely`` assessment does not rule hypsarrhythmia out, as a message id
        of :data:`NOT_RULED_OUT` (:func:`not_ruled_out`), or ""."""
        return not_ruled_out_message(self.background)

    def hypsarrhythmia_words(self, gettext: Gettext = english) -> str:
        """The assessment in words in ``gettext``'s language, with what keeps an
        ``unlikely`` from ruling it out where the reasons say so: "unlikely (high amplitude
        without enough discharges found: not ruled out)" (:func:`hypsarrhythmia_words`)."""
        return hypsarrhythmia_words(self.background, gettext)

    def left_out_words(self, gettext: Gettext = english, locale: str = DEFAULT_LOCALE) -> list[str]:
        """The file's EEG signals not analysed, each with why in ``gettext``'s language
        (:func:`spasmwatch.eeg.reader.left_out_words`)."""
        return left_out_words(list(self.recording.get("skipped_signals", [])), gettext, locale)

    def gaps_words(
        self,
        gettext: Gettext = english,
        ngettext: NGettext = english_n,
        locale: str = DEFAULT_LOCALE,
    ) -> str:
        """The gaps of an interrupted recording in one sentence in the language of
        ``gettext`` and ``ngettext`` (:func:`spasmwatch.eeg.result.gaps_in_words`; ""
        without any)."""
        gaps = list(self.recording.get("gaps") or [])
        return gaps_in_words(gaps, gettext, ngettext, locale)


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
        state=_short(ep.get("state", "unknown")),
        movements=_short(ep.get("movements", [])),
        side=_short(ep.get("side", "unknown")),
        count=ep.get("count"),
        movement_seconds=ep.get("movement_seconds"),
        interval_seconds=ep.get("interval_seconds"),
        episode_minutes=ep.get("episode_minutes"),
        fever_c=ep.get("fever_c"),
        after=_short(ep.get("after", [])),
        red_flags=_words("red_flags", ep.get("red_flags", [])),
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
    conditions = [_words("conditions", c) for c in source.conditions]
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
