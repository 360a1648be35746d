"""FHIR R4B resources of a child's videos and EEG files and of what their analyses found.

Each file is a resource of its own (a video a ``Media``; an EEG file, which FHIR's media
types do not name, a ``DocumentReference``), and every Observation made from a file names
it in ``derivedFrom``. Every Observation says when: ``effectiveDateTime`` when the
recording was made (an EEG header's start, where it is a real date), else when the file was
uploaded; ``issued`` when it was analysed.

A measure the analysis could not make is never a 0: it has a ``dataAbsentReason``
(:data:`NOT_PERFORMED`, its reason in words) in place of a value, as FHIR's obs-6 wants
(never both): the counts of a video in which no baby was found, the BASED-like score of an
EEG with too little usable EEG to score it
(:func:`~spasmwatch.eeg.result.based_score_shown`), the possible seizures of a recording
the seizure detector could not score. A count of none that the picture limits (too dark,
blurred, the phone moving, the baby small or partly out of view:
:func:`~spasmwatch.video.quality.indeterminate_checks`) keeps its 0 with the
``interpretation`` :data:`INDETERMINATE` and a ``note`` that says why, never a bare
negative.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.media import Media
from fhir.resources.R4B.observation import Observation

from spasmwatch.eeg.reader import known_start
from spasmwatch.eeg.result import based_score_shown, sz_note_words, unscored_words
from spasmwatch.eeg.words import continuity_caveat, continuity_said, continuity_words
from spasmwatch.report.eeg_finding import (
    NEWBORN_DETECTOR,
    continuity_line,
    hypsarrhythmia_words,
    not_ruled_out_message,
)
from spasmwatch.report.fhir_resources import (
    IDENTIFIER_BASE,
    MEDIA_TYPE,
    VIDEO_COUNTS,
    Entries,
    aware_time,
    category,
    coding,
    concept,
    hypsarrhythmia_text,
    own_coding,
    quantity,
    video_counts_text,
)
from spasmwatch.report.recording_words import (
    SZ_DETECTOR_WORDS,
    failed_checks,
    problem_words,
    seizure_words,
    seizures,
)
from spasmwatch.video.quality import CHECK_LABELS, baby_found, indeterminate_checks
from spasmwatch.video.statement import limited_result

__all__ = [
    "DATA_ABSENT_REASON",
    "EEG_MEASURES",
    "HYPSARRHYTHMIA_KEYS",
    "INDETERMINATE",
    "NOT_PERFORMED",
    "OBSERVATION_INTERPRETATION",
    "eeg_document",
    "eeg_line",
    "eeg_panel",
    "media_resource",
    "video_findings",
    "video_line",
]

DATA_ABSENT_REASON = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
#: Why a measure has no value: the analysis could not make it ("The value is not available
#: because the observation procedure (test, etc.) was not performed", HL7 DataAbsentReason).
NOT_PERFORMED = ("not-performed", "Not Performed")
OBSERVATION_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
#: How to read a video's count of none where the picture limits it: "The specimen was
#: tested but the results are indeterminate" (HL7 v3 ObservationInterpretation), so that a
#: receiving system does not take the 0 as a negative.
INDETERMINATE = ("IND", "Indeterminate")

#: The EEG background measures, each an Observation: (key of the stored ``background``,
#: display, UCUM unit or None for an integer, the unit as written).
EEG_MEASURES = (
    ("amplitude_uv_p95", "EEG amplitude, 95th percentile", "uV", "uV"),
    ("delta_power_fraction", "EEG delta power fraction", "1", "fraction"),
    ("spike_rate_per_min", "EEG spike rate", "/min", "per minute"),
    ("spike_foci", "EEG spike foci", None, None),
    ("based_like_score", "BASED-like score (0-5)", None, None),
    ("hypsarrhythmia_likely", "Hypsarrhythmia likely", None, None),
    ("hypsarrhythmia_assessment", "Hypsarrhythmia assessment", None, None),
    ("continuity", "EEG background continuity (ACNS 2021)", None, None),
)
#: The measures of the hypsarrhythmia assessment (:data:`EEG_MEASURES`): where an
#: ``unlikely`` does not rule it out, each has a ``note`` that says why.
HYPSARRHYTHMIA_KEYS = frozenset({"hypsarrhythmia_likely", "hypsarrhythmia_assessment"})
#: The seizure detector's events of an EEG, each an Observation: their number, and the
#: longest one's duration (UCUM ``s``) where there is one.
POSSIBLE_SEIZURES = ("possible_seizures", "EEG possible seizures (seizure detector)")
LONGEST_SEIZURE = ("longest_possible_seizure", "EEG longest possible seizure")


def _absent(text: str) -> dict[str, Any]:
    """A ``dataAbsentReason``: :data:`NOT_PERFORMED`, with why in ``text``."""
    return concept(coding(DATA_ABSENT_REASON, *NOT_PERFORMED), text=text)


def _when(att: Mapping[str, Any], recorded: datetime | None = None) -> dict[str, Any]:
    """An Observation's times: ``effectiveDateTime`` when the recording was made
    (``recorded``), else when the file was uploaded; ``issued`` when it was analysed."""
    out: dict[str, Any] = {}
    effective = recorded or att.get("uploaded_at")
    if effective:
        out["effectiveDateTime"] = aware_time(effective)
    analysed = (att.get("analysis") or {}).get("analysed_at")
    if analysed:
        out["issued"] = aware_time(analysed)
    return out


def _content(att: Mapping[str, Any]) -> dict[str, Any]:
    """The file as an ``Attachment``: type, size, name and FHIR's SHA-1 hash."""
    content: dict[str, Any] = {
        "contentType": att["content_type"],
        "size": int(att["size_bytes"]),
        "title": att["filename"],
    }
    if att.get("sha1_base64"):
        content["hash"] = att["sha1_base64"]
    return content


def _file_identifier(att: Mapping[str, Any]) -> list[dict[str, str]]:
    return [{"system": IDENTIFIER_BASE + "sha256", "value": att["sha256"]}]


# ---------------------------------------------------------------- videos
def media_resource(
    entries: Entries,
    att: Mapping[str, Any],
    patient: dict[str, str],
    result: Mapping[str, Any] | None,
) -> dict[str, str]:
    """A video file as a ``Media`` (its size, hash and, once analysed, its length and
    picture size); a reference to it."""
    fields: dict[str, Any] = {
        "status": "completed",
        "type": concept(coding(MEDIA_TYPE, "video", "Video")),
        "subject": patient,
        "content": _content(att),
        "identifier": _file_identifier(att),
    }
    if att.get("uploaded_at"):
        fields["issued"] = aware_time(att["uploaded_at"])
    video = (result or {}).get("video", {})
    if video.get("duration_s") is not None:
        fields["duration"] = video["duration_s"]
    for key in ("width", "height", "frames"):
        if video.get(key):
            fields[key] = int(video[key])
    return entries.add(f"attachment/{att['id']}", Media, **fields)


def video_line(filename: str, result: Mapping[str, Any]) -> str:
    """A video in the Videos section's narrative: its counts and the quality checks it did
    not pass ("dark.mp4: 0 spasm-like, ... (too dark)"), a count of none that the picture
    limits said so ("; spasm-like movements: none detected; the picture limits the result
    (too dark)"), or, where no baby was found, that it was not analysed for spasms (no
    counts)."""
    quality = result.get("quality")
    problems = problem_words(quality)
    if not baby_found(quality):
        return f"{filename}: " + "; ".join(problems)
    line = f"{filename}: {video_counts_text(result.get('summary', {}))}"
    limited = limited_result(dict(result))
    if limited:  # the checks it names are not named twice
        named = indeterminate_checks(result)
        checks = [c for c in (quality or {}).get("checks") or [] if c.get("id") not in named]
        problems = problem_words({**(quality or {}), "checks": checks})
    line += f" ({'; '.join(problems)})" if problems else ""
    return line + (f"; spasm-like movements: {limited}" if limited else "")


def video_findings(
    entries: Entries,
    att: Mapping[str, Any],
    patient: dict[str, str],
    media: dict[str, str],
    result: Mapping[str, Any],
) -> dict[str, str]:
    """What a video's analysis found as an Observation: the counts (none where no baby was
    found: :data:`NOT_PERFORMED`) and each quality check the video did not pass (a
    component, ``valueBoolean`` false), ``derivedFrom`` the Media. Where the picture limits
    a count of no spasm-like movement, the Observation's ``interpretation`` is
    :data:`INDETERMINATE` with the limits in its text, and a ``note`` says the 0 is not a
    negative; a good picture's Observation has neither."""
    summary = result.get("summary", {})
    quality = result.get("quality")
    failed = failed_checks(quality)
    problems = problem_words(quality)
    no_baby = not baby_found(quality)
    comps: list[dict[str, Any]] = []
    for key, display in VIDEO_COUNTS:
        comp: dict[str, Any] = {
            "code": concept(own_coding("video-finding", key, display), text=display)
        }
        if no_baby:  # the detector had no baby to follow: its 0 is not a result
            comp["dataAbsentReason"] = _absent(problems[0])
        else:
            comp["valueInteger"] = int(summary.get(key, 0))
        comps.append(comp)
    for check in failed:
        key = str(check.get("id", ""))
        label = str(check.get("label") or CHECK_LABELS.get(key, key))
        comps.append(
            {
                "code": concept(
                    own_coding("video-quality", key, label), text=f"Video quality check: {label}"
                ),
                "valueBoolean": False,
            }
        )
    notes = [{"text": f"Automated analysis of {att['filename']}; not a diagnosis."}]
    if problems:
        notes.append({"text": "Video quality: " + "; ".join(problems) + "."})
    fields: dict[str, Any] = {}
    limited = limited_result(dict(result))
    if limited:  # a 0 the picture cannot give: kept, and said to be indeterminate
        fields["interpretation"] = [
            concept(
                coding(OBSERVATION_INTERPRETATION, *INDETERMINATE),
                text=f"Spasm-like movements: {limited}",
            )
        ]
        notes.append(
            {
                "text": f"Spasm-like movements: {limited}. The 0 is not a negative finding: "
                "a picture like this can hide spasms."
            }
        )
    return entries.add(
        f"attachment/{att['id']}/findings",
        Observation,
        status="final",
        category=category("imaging", "Imaging"),
        code=concept(
            own_coding("finding", "video-analysis", "Video movement analysis"),
            text="Video movement analysis (automated)",
        ),
        subject=patient,
        derivedFrom=[media],
        component=comps,
        note=notes,
        **fields,
        **_when(att),
    )


# ---------------------------------------------------------------- EEG
def _recorded(result: Mapping[str, Any] | None) -> tuple[datetime | None, float | None]:
    """When an EEG recording began (None for no date or an anonymiser's placeholder:
    :func:`~spasmwatch.eeg.reader.known_start`) and its length in s."""
    recording = (result or {}).get("recording") or {}
    duration = recording.get("duration_s")
    return known_start(recording.get("start")), None if duration is None else float(duration)


def eeg_document(
    entries: Entries,
    att: Mapping[str, Any],
    patient: dict[str, str],
    result: Mapping[str, Any] | None,
) -> dict[str, str]:
    """An EEG file as a ``DocumentReference`` (its size, hash, when it was uploaded and,
    once analysed, the time it covers where the header gives a real date); a reference to
    it."""
    fields: dict[str, Any] = {
        "status": "current",
        "type": concept(
            own_coding("document", "eeg-recording", "EEG recording"), text="EEG recording (file)"
        ),
        "subject": patient,
        "description": att["filename"],
        "content": [{"attachment": _content(att)}],
        "identifier": _file_identifier(att),
    }
    if att.get("uploaded_at"):
        fields["date"] = aware_time(att["uploaded_at"])
    start, duration = _recorded(result)
    if start is not None:
        period: dict[str, Any] = {"start": aware_time(start)}
        if duration is not None:
            period["end"] = aware_time(start + timedelta(seconds=duration))
        fields["context"] = {"period": period}
    return entries.add(f"attachment/{att['id']}", DocumentReference, **fields)


def eeg_line(filename: str, result: Mapping[str, Any]) -> str:
    """An EEG in the EEG section's narrative: the BASED-like score (or why there is none),
    the hypsarrhythmia assessment (with what keeps an "unlikely" from ruling it out:
    :func:`~spasmwatch.report.eeg_finding.hypsarrhythmia_words`) and the possible seizures."""
    bg = result.get("background", {})
    score = bg.get("based_like_score") if based_score_shown(bg) else unscored_words(bg)
    seized = seizure_words(result.get("events") or [], result.get("settings"))
    assessment = hypsarrhythmia_words(bg)
    # a background discontinuous or worse, as the report's first page says it
    continuity = continuity_line(bg)
    continuity = f"; {continuity}" if continuity else ""
    return (
        f"{filename}: BASED-like score {score}, hypsarrhythmia: {assessment}{continuity}; {seized}"
    )


def _measure(
    key: str, value: Any, bg: Mapping[str, Any], unit: str | None, unit_text: str | None
) -> dict[str, Any]:
    """The value of one background measure (or why it has none)."""
    if key == "based_like_score" and not based_score_shown(bg):
        return {"dataAbsentReason": _absent(unscored_words(bg))}
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if key == "hypsarrhythmia_assessment":
        return {"valueString": hypsarrhythmia_text(bg)}
    if key == "continuity":
        return {"valueString": continuity_words(bg)}
    if unit is None:
        return {"valueInteger": int(value)}
    return {"valueQuantity": quantity(float(value), unit, unit_text)}


def eeg_panel(
    entries: Entries,
    att: Mapping[str, Any],
    patient: dict[str, str],
    document: dict[str, str],
    result: Mapping[str, Any],
) -> dict[str, str]:
    """What an EEG's analysis found: one Observation per background measure and for the
    possible seizures (their number and the longest), grouped by a panel
    (``hasMember``); each ``derivedFrom`` the file's DocumentReference."""
    bg = result.get("background", {})
    start, _duration = _recorded(result)
    when = _when(att, start)

    def base(code: tuple[str, str]) -> dict[str, Any]:
        return {
            "status": "final",
            "category": category("procedure", "Procedure"),
            "code": concept(own_coding("eeg-measure", *code), text=code[1]),
            "subject": patient,
            "derivedFrom": [document],
            **when,
        }

    members = []
    # an "unlikely" that does not rule hypsarrhythmia out says why beside its value (the
    # codes and values stay as they are: a receiving system reads the note's words)
    qualified = not_ruled_out_message(bg)
    for key, display, unit, unit_text in EEG_MEASURES:
        value = bg.get(key)
        if value is None:
            continue
        fields = {**base((key, display)), **_measure(key, value, bg, unit, unit_text)}
        if qualified and key in HYPSARRHYTHMIA_KEYS:
            fields["note"] = [{"text": f"Hypsarrhythmia {hypsarrhythmia_words(bg)}."}]
        if key == "continuity":
            # the share it rests on, and what a discontinuous background means by age
            # (the age at the recording is not part of the analysis)
            said = [continuity_said(bg), continuity_caveat(bg)]
            fields["note"] = [{"text": f"{text[0].upper()}{text[1:]}."} for text in said if text]
        members.append(entries.add(f"attachment/{att['id']}/{key}", Observation, **fields))
    settings = result.get("settings") or {}
    detector = str(settings.get("sz_detector") or "stevenson_cnn")
    method = concept(
        own_coding("eeg-detector", detector, SZ_DETECTOR_WORDS.get(detector, detector)),
        text=SZ_DETECTOR_WORDS.get(detector, detector),
    )
    n, longest = seizures(result.get("events") or [])
    note = settings.get("sz_note")
    counted = {**base(POSSIBLE_SEIZURES), "method": method}
    if note:  # not searched: no count
        why = f"the seizure detector could not score this recording ({sz_note_words(note)})"
        counted["dataAbsentReason"] = _absent(why)
    else:
        counted["valueInteger"] = n
    counted["note"] = [
        {"text": "Events proposed for a clinical neurophysiologist to confirm."},
        {"text": NEWBORN_DETECTOR},
    ]
    key = POSSIBLE_SEIZURES[0]
    members.append(entries.add(f"attachment/{att['id']}/{key}", Observation, **counted))
    if longest is not None and not note:
        fields = {**base(LONGEST_SEIZURE), "method": method}
        fields["valueQuantity"] = quantity(round(longest, 1), "s")
        key = LONGEST_SEIZURE[0]
        members.append(entries.add(f"attachment/{att['id']}/{key}", Observation, **fields))
    panel: dict[str, Any] = {
        **base(("eeg-background", "EEG background measures")),
        "code": concept(
            own_coding("finding", "eeg-background", "EEG background measures"),
            text="EEG background measures (automated)",
        ),
        "identifier": _file_identifier(att),
        "hasMember": members,
        "note": [{"text": f"Automated analysis of {att['filename']}; not a diagnosis."}],
    }
    if start is None:
        panel["note"].append({"text": "Recording date not known: the times are the upload's."})
    reasons = bg.get("reasons") or []
    if reasons:
        panel["note"].append({"text": "; ".join(str(r) for r in reasons)})
    return entries.add(f"attachment/{att['id']}/findings", Observation, **panel)
