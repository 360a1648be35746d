"""What an EEG analysis gives: :class:`EEGAnalysis` and the whole recording's
:class:`Background`, with their JSON documents (``docs/analysis-outputs.md``).

Kept apart from the analysis itself so that reading a stored result (the web app, the
report, a batch summary) loads NumPy only, not SciPy's signal processing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from spasmwatch.eeg.events import Event
from spasmwatch.eeg.reader import Annotation
from spasmwatch.i18n import DEFAULT_LOCALE, N_, english, english_n, format_number, say_message

if TYPE_CHECKING:
    from spasmwatch.eeg.features import EpochFeatures

__all__ = [
    "EVENTS_TSV_COLUMNS",
    "SZ_NOTES",
    "UNSCORED",
    "Background",
    "EEGAnalysis",
    "based_score_shown",
    "gaps_in_words",
    "hypsarrhythmia_assessment",
    "shown_based_score",
    "sz_note_words",
    "unscored_words",
]


def _seconds(value: float, locale: str) -> str:
    """Seconds as ``%g`` writes them (``20``, ``20.5``), with ``locale``'s decimal sign."""
    return f"{value:g}" if locale == DEFAULT_LOCALE else format_number(value, locale)


def gaps_in_words(
    gaps: list[dict],
    gettext: Callable[[str], str] = english,
    ngettext: Callable[[str, str, int], str] = english_n,
    locale: str = DEFAULT_LOCALE,
) -> str:
    """The gaps of an interrupted recording (``recording.gaps`` of the JSON: ``onset`` and
    ``duration`` in s) in one sentence, as the CLI and the report say them, in the language
    of ``gettext`` and ``ngettext`` with ``locale``'s decimal sign (English by default); ""
    without any."""
    if not gaps:
        return ""
    spans = ", ".join(
        f"{_seconds(g['onset'], locale)}-{_seconds(g['onset'] + g['duration'], locale)} s"
        for g in gaps
    )
    total = _seconds(sum(g["duration"] for g in gaps), locale)
    return ngettext(
        "Interrupted recording: %(n)s gap (%(total)s s in all) kept in place, with no "
        "EEG: %(spans)s",
        "Interrupted recording: %(n)s gaps (%(total)s s in all) kept in place, with no "
        "EEG: %(spans)s",
        len(gaps),
    ) % {"n": len(gaps), "total": total, "spans": spans}


#: Why the seizure detector could not score a recording (``settings.sz_note``), in English
#: with placeholders: the CLI and the report say a stored note in their language
#: (:func:`sz_note_words`).
SHORTER_THAN_WINDOW = N_("recording shorter than %(window_s)s s, the network's window")
RATE_BELOW_BAND = N_(
    "sampled at %(hz)s Hz; the network's band-pass needs more than %(needed_hz)s Hz"
)
SZ_NOTES: tuple[str, ...] = (SHORTER_THAN_WINDOW, RATE_BELOW_BAND)


def sz_note_words(
    note: str, gettext: Callable[[str], str] = english, locale: str = DEFAULT_LOCALE
) -> str:
    """A stored ``sz_note`` in the language of ``gettext`` (its numbers with ``locale``'s
    decimal sign); a note of no known kind as it is."""
    return say_message(note, SZ_NOTES, gettext, locale) or note


def hypsarrhythmia_assessment(background: Mapping[str, Any]) -> str:
    """``likely``, ``unlikely`` or ``cannot_assess`` from a stored ``background``; results
    stored before ``hypsarrhythmia_assessment`` existed have ``hypsarrhythmia_likely``
    only (``None``: cannot be assessed)."""
    assessment = background.get("hypsarrhythmia_assessment")
    if assessment in ("likely", "unlikely", "cannot_assess"):
        return str(assessment)
    likely = background.get("hypsarrhythmia_likely")
    if likely is True:
        return "likely"
    return "unlikely" if likely is False else "cannot_assess"


def based_score_shown(background: Mapping[str, Any]) -> bool:
    """Whether a stored ``background``'s BASED-like score can be shown as a score.

    Not when the recording had less usable EEG than the assessment needs to judge spike
    burden (``usable_s`` below ``limits.min_usable_s``, 2 minutes; the BASED window,
    ``limits.based_window_s``, is 5): the score is still computed over what there is and
    stored (the analysis JSON keeps its integer), but a 0 from 30 s of EEG says "not
    scored", not "no spikes", so the outputs say why there is no score
    (:func:`unscored_words`). A result stored before its limits were kept is shown as it
    always was.
    """
    least = (background.get("limits") or {}).get("min_usable_s")
    usable = background.get("usable_s")
    if least is None or usable is None:
        return True
    return int(usable) >= int(least)


def shown_based_score(background: Mapping[str, Any]) -> Any:
    """The stored ``background``'s BASED-like score where it can be shown
    (:func:`based_score_shown`), else None: the tables' cell, empty rather than 0."""
    return background.get("based_like_score") if based_score_shown(background) else None


#: Why a BASED-like score is not shown (:func:`based_score_shown`), said after "BASED-like
#: score" in the outputs ("BASED-like score not given (...)").
UNSCORED = N_("not given (too little usable EEG: %(usable)s s, at least %(least)s s needed)")


def unscored_words(background: Mapping[str, Any], gettext: Callable[[str], str] = english) -> str:
    """Why the BASED-like score of a stored ``background`` is not shown (:data:`UNSCORED`,
    in ``gettext``'s language), or "" when it is (:func:`based_score_shown`)."""
    if based_score_shown(background):
        return ""
    least = (background.get("limits") or {})["min_usable_s"]
    return gettext(UNSCORED) % {"usable": int(background["usable_s"]), "least": int(least)}


def _share(d: Mapping[str, Any], key: str) -> float | None:
    """A stored share, None where the result has none."""
    return None if d.get(key) is None else float(d[key])


@dataclass
class Background:
    """Background measures of the whole recording (contract ``background`` object).

    ``hypsarrhythmia_assessment`` is ``likely``, ``unlikely`` or ``cannot_assess``;
    ``hypsarrhythmia_likely`` is True, False or None (cannot assess) accordingly.
    """

    amplitude_uv_p95: float
    delta_power_fraction: float
    spike_rate_per_min: float
    spike_foci: int
    based_like_score: int
    hypsarrhythmia_likely: bool | None
    spike_wave_index: float
    reasons: list[str]
    hypsarrhythmia_assessment: str = "unlikely"
    usable_s: int = 0
    usable_share: float = 0.0
    markers: dict[str, float] = field(default_factory=dict)
    recorded_s: int | None = None
    channels: int | None = None
    artefact_share: dict[str, float] = field(default_factory=dict)
    limits: dict[str, float] = field(default_factory=dict)
    #: Share of the recording inside ``sz`` events (None when they are not known): the
    #: reasons warn when a hypsarrhythmic background is marked as seizure by the
    #: newborns' seizure detector.
    sz_share: float | None = None
    #: The mains interference removed before the measures: its frequency (``hz``) and
    #: the share of channel-seconds it was removed from (``share``); empty when none.
    mains: dict[str, float] = field(default_factory=dict)
    #: The mains frequency already notched out of the recording before it was read (by
    #: the recording system or an export) and the share of channel-seconds it was found
    #: in; empty when none. The spike criteria were set on recordings with their line.
    mains_notched: dict[str, float] = field(default_factory=dict)
    #: The recording's noise floor (``uv``, µV RMS, the median channel's) and the share of
    #: the usual line length that it alone makes (``line_share``, the median channel's):
    #: an electrodecrement leaves the floor as it is, so from a share of the decrement
    #: rules' line ratio on they cannot find one. Empty when not known.
    noise_floor: dict[str, float] = field(default_factory=dict)
    #: Onsets (s) of the abrupt, diffuse attenuations not counted as decrements because
    #: the background around them is discontinuous
    #: (:func:`~spasmwatch.eeg.decrements.decrement_events`); None when not known.
    decrements_set_aside: list[float] | None = None
    #: Share of the recording's seconds in which the median channel's amplitude is below
    #: ``DECREMENT_RATIO`` of its upper quartile over the recording (the background's
    #: discontinuity, as the decrement rules judge it around an event); None when not known.
    attenuated_share: float | None = None
    #: The 25th percentile over the usable seconds of the median channel's peak-to-peak
    #: amplitude (µV): how high the amplitude stays, not only at its loudest (the
    #: assessment's sustained amplitude); None when not known (results stored before it).
    amplitude_uv_p25: float | None = None
    #: The continuity of the background in the ACNS categories (``continuous``,
    #: ``nearly_continuous``, ``discontinuous``, ``burst_suppression``, ``suppressed``;
    #: :func:`~spasmwatch.eeg.background.background_continuity`), None where it cannot be
    #: judged or is not known (results stored before it).
    continuity: str | None = None
    #: The share of the seconds judged that are attenuated (as :attr:`attenuated_share`
    #: counts them) or suppressed (the median channel under ``limits.suppression_uv``,
    #: 10 µV): what :attr:`continuity` rests on; None when not known.
    discontinuity_share: float | None = None
    #: The share of the seconds judged that are suppressed; None when not known.
    suppressed_share: float | None = None

    def to_dict(self) -> dict:
        """The contract's JSON object (plus the assessment, the spike-wave index, the
        usable EEG, the length, channels, artefact shares, thresholds, share of the
        recording in ``sz`` events, mains interference removed or notched before, the
        noise floor, decrements set aside, the share of attenuated seconds, the
        sustained amplitude (``amplitude_uv_p25``) and the continuity of the background
        with the shares it rests on, that the reasons are said from, and ``reasons``).
        ``continuity`` is written wherever its share is known, null where it cannot be
        judged."""
        extra: dict = {}
        if self.recorded_s is not None:
            extra["recorded_s"] = self.recorded_s
        if self.channels is not None:
            extra["channels"] = self.channels
        if self.artefact_share:
            extra["artefact_share"] = dict(self.artefact_share)
        if self.limits:
            extra["limits"] = dict(self.limits)
        if self.sz_share is not None:
            extra["sz_share"] = round(self.sz_share, 3)
        for key, line in (("mains", self.mains), ("mains_notched", self.mains_notched)):
            if line:
                extra[key] = {"hz": line["hz"], "share": round(line["share"], 3)}
        if self.noise_floor:
            extra["noise_floor"] = {k: round(v, 3) for k, v in self.noise_floor.items()}
        if self.decrements_set_aside is not None:
            extra["decrements_set_aside"] = [round(t, 1) for t in self.decrements_set_aside]
        if self.attenuated_share is not None:
            extra["attenuated_share"] = round(self.attenuated_share, 3)
        if self.discontinuity_share is not None:
            extra["continuity"] = self.continuity
            extra["discontinuity_share"] = round(self.discontinuity_share, 3)
            if self.suppressed_share is not None:
                extra["suppressed_share"] = round(self.suppressed_share, 3)
        lasting = {}
        if self.amplitude_uv_p25 is not None:
            lasting["amplitude_uv_p25"] = round(self.amplitude_uv_p25, 1)
        return {
            "amplitude_uv_p95": round(self.amplitude_uv_p95, 1),
            **lasting,
            "delta_power_fraction": round(self.delta_power_fraction, 3),
            "spike_rate_per_min": round(self.spike_rate_per_min, 1),
            "spike_foci": self.spike_foci,
            "based_like_score": self.based_like_score,
            "hypsarrhythmia_likely": self.hypsarrhythmia_likely,
            "hypsarrhythmia_assessment": self.hypsarrhythmia_assessment,
            "spike_wave_index": round(self.spike_wave_index, 3),
            "usable_s": self.usable_s,
            "usable_share": round(self.usable_share, 3),
            "iess_markers": {k: round(v, 3) for k, v in self.markers.items()},
            **extra,
            "reasons": self.reasons,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Background:
        """The measures back from their JSON object."""
        likely = d.get("hypsarrhythmia_likely")
        assessment = hypsarrhythmia_assessment(d)
        return cls(
            amplitude_uv_p95=float(d["amplitude_uv_p95"]),
            delta_power_fraction=float(d["delta_power_fraction"]),
            spike_rate_per_min=float(d["spike_rate_per_min"]),
            spike_foci=int(d["spike_foci"]),
            based_like_score=int(d["based_like_score"]),
            hypsarrhythmia_likely=likely,
            spike_wave_index=float(d.get("spike_wave_index", 0.0)),
            reasons=list(d.get("reasons", [])),
            hypsarrhythmia_assessment=str(assessment),
            usable_s=int(d.get("usable_s", 0)),
            usable_share=float(d.get("usable_share", 0.0)),
            markers={k: float(v) for k, v in (d.get("iess_markers") or {}).items()},
            recorded_s=None if d.get("recorded_s") is None else int(d["recorded_s"]),
            channels=None if d.get("channels") is None else int(d["channels"]),
            artefact_share={k: float(v) for k, v in (d.get("artefact_share") or {}).items()},
            limits=dict(d.get("limits") or {}),
            sz_share=None if d.get("sz_share") is None else float(d["sz_share"]),
            mains={k: float(v) for k, v in (d.get("mains") or {}).items()},
            mains_notched={k: float(v) for k, v in (d.get("mains_notched") or {}).items()},
            noise_floor={k: float(v) for k, v in (d.get("noise_floor") or {}).items()},
            decrements_set_aside=(
                None
                if d.get("decrements_set_aside") is None
                else [float(t) for t in d["decrements_set_aside"]]
            ),
            attenuated_share=(
                None if d.get("attenuated_share") is None else float(d["attenuated_share"])
            ),
            amplitude_uv_p25=(
                None if d.get("amplitude_uv_p25") is None else float(d["amplitude_uv_p25"])
            ),
            continuity=None if d.get("continuity") is None else str(d["continuity"]),
            discontinuity_share=_share(d, "discontinuity_share"),
            suppressed_share=_share(d, "suppressed_share"),
        )


#: Below this many channels seen by the seizure detector (``settings.sz_channels``) the
#: outputs warn that it misses more seizures: on the Helsinki clips the network finds a
#: seizure in 26 of 26 seizure clips with 8 or 18 channels, 24 with 4, 19 with 2 and 15
#: with 1 (docs/eeg.md, "Fewer channels, fewer seizures found").
FEW_SZ_CHANNELS = 8
EVENTS_TSV_COLUMNS = (
    "onset",
    "duration",
    "eventType",
    "confidence",
    "channels",
    "dateTime",
    "recordingDuration",
)


@dataclass
class EEGAnalysis:
    """Result of :func:`analyze_eeg`.

    Attributes
    ----------
    path, format, channels, sfreq, duration_s, start
        The recording (channels as analysed, normalised to 10-20 names).
    features
        Per-second features (:class:`~spasmwatch.eeg.features.EpochFeatures`); None when
        read back from the JSON document (:meth:`from_dict`), which does not keep them.
    seizure_probability
        Per-second seizure probability.
    events
        ``sz`` and ``decrement`` events, by onset.
    background
        Whole-recording measures, BASED-like score and ``hypsarrhythmia_likely``.
    epoch_length_s
        Length of the epochs of ``to_dict()["epochs"]`` (max of the per-second values).
    timings
        ``read_s`` (reading samples) and ``analysis_s`` (everything else), seconds.
    sensitivity, sz_threshold
        The seizure detector's sensitivity (``low``, ``normal``, ``high``) and the
        probability threshold it stands for.
    sz_detector
        ``"stevenson_cnn"`` or ``"logistic"``.
    sz_note
        Why the seizure detector could not score the recording (then every probability
        is 0), or ``None``.
    """

    path: Path
    format: str
    channels: list[str]
    sfreq: float
    duration_s: float
    start: dt.datetime | None
    features: EpochFeatures | None
    seizure_probability: np.ndarray
    events: list[Event]
    background: Background
    epoch_length_s: int = 10
    timings: dict[str, float] = field(default_factory=dict)
    annotations: list[Annotation] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    #: The gaps of an interrupted recording (EDF+D), ``(onset_s, duration_s)``.
    gaps: list[tuple[float, float]] = field(default_factory=list)
    sensitivity: str = "normal"
    sz_threshold: float = 0.5
    sz_detector: str = "stevenson_cnn"
    sz_note: str | None = None
    #: The bipolar montage analysed (from ``features``, or read back from a document).
    montage_channels: list[str] = field(default_factory=list)

    @property
    def montage(self) -> list[str]:
        """The bipolar channels analysed."""
        if self.features is not None:
            return list(self.features.channels)
        return list(self.montage_channels)

    def epoch_probability(self) -> np.ndarray:
        """Seizure probability per ``epoch_length_s`` epoch (max of its seconds)."""
        p = self.seizure_probability
        n = self.epoch_length_s
        if len(p) == 0:
            return p
        pad = (-len(p)) % n
        return np.pad(p, (0, pad), constant_values=0).reshape(-1, n).max(axis=1)

    def to_dict(self) -> dict:
        """The JSON document of ``spasmwatch eeg analyze --json`` (analysis-outputs.md)."""
        return {
            "recording": {
                "path": str(self.path),
                "duration_s": round(self.duration_s, 3),
                "channels": list(self.channels),
                "sfreq": float(self.sfreq),
                "start": self.start.isoformat() if self.start else None,
                "format": self.format,
                "montage": self.montage,
                "skipped_signals": list(self.skipped),
                "gaps": [{"onset": g[0], "duration": g[1]} for g in self.gaps],
                "annotations": [
                    {"onset": a.onset, "duration": a.duration, "text": a.text}
                    for a in self.annotations
                ],
            },
            "background": self.background.to_dict(),
            "events": [e.to_dict() for e in self.events],
            "settings": {
                "sensitivity": self.sensitivity,
                "sz_threshold": round(float(self.sz_threshold), 3),
                "sz_channels": len(self.montage),
                "sz_detector": self.sz_detector,
                **({"sz_note": self.sz_note} if self.sz_note else {}),
            },
            "epochs": {
                "length_s": self.epoch_length_s,
                "seizure_probability": [round(float(v), 3) for v in self.epoch_probability()],
            },
            "summary": {
                kind: sum(1 for e in self.events if e.eventType == kind)
                for kind in ("sz", "decrement")
            },
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }

    @classmethod
    def from_dict(cls, doc: dict) -> EEGAnalysis:
        """The analysis back from its JSON document (:meth:`to_dict`), without the
        per-second features; the seizure probability is per second as the document's
        epochs give it (each epoch's value over its seconds).

        Raises
        ------
        ValueError
            When ``doc`` is not an EEG analysis document (names what is missing).
        """
        try:
            rec, settings = doc["recording"], doc.get("settings", {})
            epochs = doc.get("epochs", {})
            length = int(epochs.get("length_s", 10))
            duration = float(rec["duration_s"])
            per_epoch = np.asarray(epochs.get("seizure_probability", []), dtype=float)
            seconds = max(0, int(np.ceil(duration)))
            probability = np.repeat(per_epoch, length)[:seconds]
            start = rec.get("start")
            return cls(
                path=Path(rec["path"]),
                format=str(rec.get("format", "")),
                channels=list(rec.get("channels", [])),
                sfreq=float(rec["sfreq"]),
                duration_s=duration,
                start=dt.datetime.fromisoformat(start) if start else None,
                features=None,
                seizure_probability=probability,
                events=[Event.from_dict(e) for e in doc.get("events", [])],
                background=Background.from_dict(doc["background"]),
                epoch_length_s=length,
                timings={k: float(v) for k, v in (doc.get("timings") or {}).items()},
                annotations=[
                    Annotation(float(a["onset"]), float(a["duration"]), str(a["text"]))
                    for a in rec.get("annotations", [])
                ],
                skipped=list(rec.get("skipped_signals", [])),
                gaps=[(float(g["onset"]), float(g["duration"])) for g in rec.get("gaps", [])],
                sensitivity=str(settings.get("sensitivity", "normal")),
                sz_threshold=float(settings.get("sz_threshold", 0.5)),
                sz_detector=str(settings.get("sz_detector", "stevenson_cnn")),
                sz_note=settings.get("sz_note"),
                montage_channels=list(rec.get("montage", [])),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"Not an EEG analysis document: {exc!r}") from None

    def events_tsv(self) -> str:
        """The events as a BIDS/SzCORE ``events.tsv`` (a ``bckg`` row when there are none)."""
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="\t", lineterminator="\n")
        w.writerow(EVENTS_TSV_COLUMNS)
        rows = self.events or [Event(0.0, self.duration_s, "bckg", 1.0, ())]
        for e in rows:
            when = self.start + dt.timedelta(seconds=e.onset) if self.start else None
            w.writerow(
                [
                    f"{e.onset:.2f}",
                    f"{e.duration:.2f}",
                    e.eventType,
                    f"{e.confidence:.3f}",
                    ",".join(e.channels) if e.channels else "n/a",
                    when.strftime("%Y-%m-%d %H:%M:%S") if when else "n/a",
                    f"{self.duration_s:.2f}",
                ]
            )
        return buf.getvalue()

    def write_outputs(self, out_dir: str | Path, into: Path | None = None) -> list[Path]:
        """Write ``events.tsv``, ``analysis.json`` and the trend PNGs into ``out_dir`` (or
        into ``into``, a folder the caller puts in its place whole)."""
        import json

        from spasmwatch.eeg.plots import write_plots
        from spasmwatch.outfolder import staged_outputs

        out = Path(out_dir)
        with staged_outputs(out, into) as stage:  # moved in when all are written
            (stage / "events.tsv").write_text(self.events_tsv(), encoding="utf-8")
            (stage / "analysis.json").write_text(
                json.dumps(self.to_dict(), indent=1), encoding="utf-8"
            )
            plots = write_plots(self, stage)
        return [out / "events.tsv", out / "analysis.json", *(out / p.name for p in plots)]
