"""A finished EEG analysis as the clinician report shows it: :class:`EegFinding`, and
the EEG's words that the report, the clinician view, the command line and the exports share.

The hypsarrhythmia assessment with what keeps an ``unlikely`` from ruling it out
(:func:`hypsarrhythmia_words`), the seizure detector's limit (:data:`NEWBORN_DETECTOR`),
a recording's length (:func:`length_words`) and a discontinuous background in one line
(:func:`continuity_line`) are said here once. The texts are English message ids; the
sentences are made by methods that take a language's ``gettext`` and ``ngettext``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from spasmwatch.eeg.reader import known_start, left_out_words
from spasmwatch.eeg.reasons import can_say
from spasmwatch.eeg.reasons import not_ruled_out as eeg_not_ruled_out
from spasmwatch.eeg.result import (
    FEW_SZ_CHANNELS,
    based_score_shown,
    gaps_in_words,
    hypsarrhythmia_assessment,
    sz_note_words,
    unscored_words,
)
from spasmwatch.eeg.words import (
    DISCONTINUOUS,
    continuity_caveat,
    continuity_said,
    continuity_words,
    length_parts,
    recorded_day,
)
from spasmwatch.i18n import DEFAULT_LOCALE, N_, english, english_n
from spasmwatch.report.fhir_resources import hypsarrhythmia_text
from spasmwatch.report.recording_words import (
    SZ_DETECTOR_WORDS,
    seconds_words,
    seizure_words,
    seizures,
)

__all__ = [
    "CONTINUITY_LINES",
    "NEWBORN_DETECTOR",
    "NOT_RULED_OUT",
    "SUPPRESSED_LINE",
    "EegFinding",
    "continuity_line",
    "hypsarrhythmia_words",
    "length_words",
    "not_ruled_out",
    "not_ruled_out_message",
]

#: A language's ``gettext`` and ``ngettext`` (English: :func:`english`, :func:`english_n`).
Gettext = Callable[[str], str]
NGettext = Callable[[str, str, int], str]


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
        """The day of the recording: the file's start where it is a real date no later
        than the upload (a file dated after it was sent is not dated right), else the day
        it was uploaded."""
        return recorded_day(self.start, self.uploaded_at) or self.uploaded_at.date()

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
