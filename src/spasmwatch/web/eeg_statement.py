"""What an EEG analysis found, in plain sentences for the family.

The child page shows a family (owner, caregiver, viewer) these sentences instead of the
neurophysiologist's summary (amplitude p95, BASED-like score, decrements), which stays
with the EEG's plots under "Technical details for the doctor" and is what the clinician
view shows. They are
said from the stored result document (``EEGAnalysis.to_dict()``), so this module reads
dicts only and imports no analyser.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from spasmwatch.diary.overview import EEG_LONG_MARK_S, longest_marked_seizure
from spasmwatch.eeg.reader import known_start
from spasmwatch.eeg.reasons import floor_hides_decrements, only_in_part
from spasmwatch.eeg.result import hypsarrhythmia_assessment
from spasmwatch.eeg.words import (
    age_days_on,
    length_in_words,
    newborn_when_recorded,
    quiet_stretches,
    recorded_day,
)
from spasmwatch.i18n import N_, english, english_n

if TYPE_CHECKING:
    from spasmwatch.store.models import Child

__all__ = ["family_eeg_statement", "hypsarrhythmia_assessment", "newborn_at_recording"]

Gettext = Callable[[str], str]
NGettext = Callable[[str, str, int], str]


def _pattern_found(
    assessment: str, b: Mapping[str, Any], gettext: Gettext, ngettext: NGettext
) -> str:
    """The headline: whether the automated reading saw hypsarrhythmia, and what follows
    from it. It agrees with the reasons (:func:`spasmwatch.eeg.reasons.background_reasons`):
    an ``unlikely`` is said as "not seen", never as "no"; where the reasons say that the
    high amplitude keeps the spike detector from ruling it out, this says that the spikes
    are hard to find among large waves (what the reading could not check, since the
    pattern's own waves are large too), and where they say that the criteria are met only
    in part of the recording, that the large waves are, and that the pattern comes and
    goes."""
    lim = b.get("limits") or {}
    if assessment == "likely":
        return " ".join(
            [
                gettext(
                    "The automated reading saw signs of hypsarrhythmia: a chaotic pattern "
                    "of large brain waves with many sharp spikes coming from many parts of "
                    "the brain, which doctors see with infantile spasms."
                ),
                gettext(
                    "Contact your doctor or paediatric service today and show them this "
                    "EEG; do not wait for a routine appointment."
                ),
                gettext(
                    "This is an automated reading, not a diagnosis: the neurologist's "
                    "reading of the EEG decides."
                ),
            ]
        )
    if assessment == "unlikely":
        said = [
            gettext(
                "The automated reading did not see hypsarrhythmia, a chaotic pattern of "
                "large brain waves with many sharp spikes coming from many parts of the "
                "brain, which doctors see with infantile spasms."
            )
        ]
        high_uv = lim.get("high_amplitude_uv")
        amp = b.get("amplitude_uv_p95")
        longer_said = False
        if high_uv is None or amp is None or float(amp) <= float(high_uv):
            said.append(
                gettext("This does not rule it out: only the neurologist's reading of the EEG can.")
            )
        elif only_in_part(b):
            # the reasons' "high amplitude and the other criteria only in part of the
            # recording": a louder stretch, and the pattern fades in REM sleep and clusters
            said.append(
                gettext(
                    "This EEG's brain waves are large in only part of the recording, and the "
                    "pattern can come and go (it fades in some stages of sleep and during a "
                    "series of spasms), so the automated reading cannot rule it out: only "
                    "the neurologist's reading of the EEG can, and a longer recording that "
                    "includes sleep tells more."
                )
            )
            longer_said = True
        else:
            # the reasons' "high amplitude without enough discharges found": the spike
            # detector misses spikes that ride on large slow waves. Said as what the
            # reading could not check, since the pattern's own waves are large too.
            said.append(
                gettext(
                    "This EEG's brain waves are large, which makes the spikes among them hard "
                    "for the automated reading to find, so it cannot rule the pattern out: "
                    "only the neurologist's reading of the EEG can."
                )
            )
        window, usable = lim.get("based_window_s"), b.get("usable_s")
        if (
            not longer_said
            and window is not None
            and usable is not None
            and int(usable) < int(window)
        ):
            said.append(
                gettext("The recording is short: a longer one that includes sleep tells more.")
            )
        return " ".join(said)
    # cannot_assess: the same choice of reason as the technical line under it
    channels, usable = b.get("channels"), b.get("usable_s")
    least_channels, least_s = lim.get("min_channels"), lim.get("min_usable_s")
    few = channels is not None and least_channels is not None and channels < least_channels
    # as the technical line: too little usable EEG unless the channels alone explain it
    # (a result without its limits says no reason rather than a wrong one)
    short = (usable is not None and least_s is not None and usable < least_s) or (
        not few and least_s is not None
    )
    said = [
        gettext(
            "The automated reading could not tell whether this EEG shows hypsarrhythmia, "
            "a chaotic pattern of large brain waves with many sharp spikes coming from many "
            "parts of the brain, which doctors see with infantile spasms."
        )
    ]
    if few:
        said.append(
            gettext(
                "The recording has too few channels (lines of brain waves): %(n)s, and the "
                "reading needs at least %(least)s."
            )
            % {"n": int(channels), "least": int(least_channels)}
        )
    if short:
        least = length_in_words(float(least_s), gettext, ngettext)
        recorded = b.get("recorded_s")
        if recorded is not None and least_s is not None and recorded >= least_s:
            said.append(
                gettext(
                    "Too much of it was disturbed (by movement, loose electrodes or other "
                    "interference): the reading needs at least %(least)s it can use."
                )
                % {"least": least}
            )
        else:
            said.append(
                gettext("The recording is too short: the reading needs at least %(least)s.")
                % {"least": least}
            )
    said.append(gettext("This is not a “no”: the neurologist's reading of the EEG decides."))
    return " ".join(said)


def _how_much_read(result: Mapping[str, Any], gettext: Gettext, ngettext: NGettext) -> str:
    """How long the recording is and how much of it the reading could use."""
    b = result.get("background") or {}
    recorded = b.get("recorded_s")
    if recorded is None:
        recorded = (result.get("recording") or {}).get("duration_s") or 0
    length = length_in_words(float(recorded), gettext, ngettext)
    usable = b.get("usable_s")
    if usable is None:
        return gettext("The recording lasts %(length)s.") % {"length": length}
    if usable >= recorded:
        return gettext(
            "The recording lasts %(length)s, and the automated reading could use all of it."
        ) % {"length": length}
    if usable <= 0:
        return gettext(
            "The recording lasts %(length)s, but the automated reading could use none of "
            "it: it was disturbed throughout (by movement, loose electrodes or other "
            "interference)."
        ) % {"length": length}
    usable_length = length_in_words(float(usable), gettext, ngettext)
    if usable_length == length:  # a few seconds of a long recording left out
        return gettext(
            "The recording lasts %(length)s, and the automated reading could use nearly all of it."
        ) % {"length": length}
    return gettext(
        "The recording lasts %(length)s; the automated reading could use %(usable)s of it. "
        "The rest was too disturbed (by movement, loose electrodes or other interference)."
    ) % {"length": length, "usable": usable_length}


def _seizures(
    result: Mapping[str, Any], assessment: str, gettext: Gettext, ngettext: NGettext
) -> str:
    """The possible seizures, counted, and that the neurologist checks them."""
    events = result.get("events") or []
    settings = result.get("settings") or {}
    b = result.get("background") or {}
    n = sum(1 for e in events if e.get("eventType") == "sz")
    if not n and settings.get("sz_note"):
        return gettext(
            "The seizure detector could not read this recording, so it says nothing about seizures."
        )
    if not n:
        return gettext(
            "The seizure detector marked no possible seizure; it can miss some, so the "
            "neurologist's reading still decides."
        )
    said = [
        ngettext(
            "The seizure detector marked %(n)s possible seizure.",
            "The seizure detector marked %(n)s possible seizures.",
            n,
        )
        % {"n": n},
        gettext(
            "It was made for newborns and can also mark other unusual brain waves: the "
            "neurologist checks each one in the EEG."
        ),
    ]
    if assessment == "likely" and float(b.get("sz_share") or 0) > 0:
        # the reasons: it takes hypsarrhythmia's disorganised activity for seizure
        said.append(gettext("It can also take the chaotic pattern above for seizures."))
    longest = longest_marked_seizure(result)
    if longest >= EEG_LONG_MARK_S:
        said.append(
            gettext(
                "The longest mark lasted about %(length)s. A seizure that long would need "
                "care at once, so a doctor needs to look at it today."
            )
            % {"length": length_in_words(longest, gettext, ngettext)}
        )
    return " ".join(said)


def _flattenings(result: Mapping[str, Any], gettext: Gettext, ngettext: NGettext) -> str:
    """The possible decrements, in plain words ("sudden flattenings"), counted."""
    events = result.get("events") or []
    b = result.get("background") or {}
    n = sum(1 for e in events if e.get("eventType") == "decrement")
    if n:
        said = [
            ngettext(
                "The automated reading marked %(n)s possible sudden flattening: a moment "
                "when the brain waves suddenly become small, as can happen during a spasm.",
                "The automated reading marked %(n)s possible sudden flattenings: moments "
                "when the brain waves suddenly become small, as can happen during a spasm.",
                n,
            )
            % {"n": n},
            ngettext(
                "The neurologist checks it in the EEG.",
                "The neurologist checks them in the EEG.",
                n,
            ),
        ]
    else:
        said = [
            gettext(
                "The automated reading marked no possible sudden flattening (a moment when "
                "the brain waves suddenly become small, as can happen during a spasm)."
            )
        ]
        if floor_hides_decrements(b):
            said.append(
                gettext(
                    "In this recording the background noise can hide them, so finding none "
                    "says little."
                )
            )
    aside = len(b.get("decrements_set_aside") or [])
    if aside:
        said.append(
            ngettext(
                "It set aside %(n)s more because the brain waves around it come and go; a "
                "series of spasms can look the same, so the neurologist should look at it.",
                "It set aside %(n)s more because the brain waves around them come and go; a "
                "series of spasms can look the same, so the neurologist should look at them.",
                aside,
            )
            % {"n": aside}
        )
    return " ".join(said)


#: Said to the family where the EEG's background is discontinuous or worse and the baby was
#: past the newborn period at the recording (:func:`~spasmwatch.eeg.words.quiet_stretches`):
#: one plain sentence that asks for the doctor's look, no more.
QUIET_STRETCHES = N_(
    "This EEG has stretches where the brain waves go very quiet; the doctor who arranged "
    "it should look at these quiet stretches."
)


def _what_to_do(
    result: Mapping[str, Any], assessment: str, gettext: Gettext, quiet: bool = False
) -> str:
    """The step the EEG asks for, beside the triage of what the family logged (which reads
    the diary only). An EEG is arranged by a doctor, so possible seizures or sudden
    flattenings go back to that doctor soon, whatever the diary's answer: a "most likely
    harmless" at the top must not stand beside marks with no step to take. Only an EEG
    that marked nothing and did not show the pattern leaves the advice as it is, said so
    that it does not read as an all-clear; where the family was told that the doctor should
    look at its quiet stretches (``quiet``), the warning signs instead, so that nothing
    beside that sentence reads as one. ``likely`` already says to act today."""
    # the triage's own words for warning signs (triage.engine.BASE_ADVICE, same_day)
    warning_signs = gettext(
        "If a warning sign appears (difficulty breathing, blue or grey colour, a seizure "
        "of 5 minutes or more, not back to normal), call emergency services."
    )
    if assessment == "likely":
        return warning_signs
    marked = any(e.get("eventType") in ("sz", "decrement") for e in result.get("events") or [])
    if not marked and quiet:
        return warning_signs
    if not marked:
        return gettext("This EEG does not change the advice at the top of this page.")
    if longest_marked_seizure(result) >= EEG_LONG_MARK_S:
        return " ".join(
            [
                gettext(
                    "The doctor who arranged this EEG needs to look at what was marked in "
                    "it: call them today, and if they cannot be reached, your family doctor "
                    "or an out-of-hours service."
                ),
                warning_signs,
            ]
        )
    return " ".join(
        [
            gettext(
                "The doctor who arranged this EEG needs to look at what was marked in it: "
                "ask them about the result within the next few days, and do not wait for "
                "the next check-up."
            ),
            warning_signs,
        ]
    )


def family_eeg_statement(
    result: Mapping[str, Any],
    gettext: Gettext = english,
    ngettext: NGettext = english_n,
    newborn: bool | None = None,
) -> list[str]:
    """A finished EEG analysis in plain sentences for the family, most important first.

    Parameters
    ----------
    result
        An EEG result document as stored (``EEGAnalysis.to_dict()``).
    gettext, ngettext
        The language to say it in (the web app passes the page's; English by default).
    newborn
        Whether the baby was in the newborn period when the EEG was recorded
        (:func:`~spasmwatch.eeg.words.newborn_when_recorded`); None where the age is not
        known.

    Returns
    -------
    list of str
        Paragraphs: whether the automated reading saw the pattern called hypsarrhythmia
        and what follows (``likely``: contact a doctor today, as the triage's same-day
        level says for suspected infantile spasms; ``unlikely``: not seen, which does not
        rule it out; ``cannot_assess``: why, and that this is not a "no"); how long the
        recording is and how much of it could be read; the possible seizures; the
        possible sudden flattenings (decrements); where the background is discontinuous
        or worse and the baby was past the newborn period (``newborn`` False), that the
        doctor who arranged the EEG should look at its quiet stretches
        (:data:`QUIET_STRETCHES`, one sentence: a discontinuous background is normal in
        a newborn, so nothing is said where the age is not known); and what to do: with
        ``likely``, the
        warning signs that call for emergency services; with possible seizures or sudden
        flattenings marked, to ask the doctor who arranged the EEG about the result
        within days, not at the next check-up (today where a possible seizure lasted
        :data:`~spasmwatch.diary.overview.EEG_LONG_MARK_S` or more), and the warning
        signs; otherwise, that the advice of the diary's triage still holds. Never a
        diagnosis, never "normal".
    """
    b = result.get("background") or {}
    assessment = hypsarrhythmia_assessment(b)
    quiet = quiet_stretches(b, newborn)
    return [
        _pattern_found(assessment, b, gettext, ngettext),
        _how_much_read(result, gettext, ngettext),
        _seizures(result, assessment, gettext, ngettext),
        _flattenings(result, gettext, ngettext),
        *([gettext(QUIET_STRETCHES)] if quiet else []),
        _what_to_do(result, assessment, gettext, quiet),
    ]


def newborn_at_recording(
    result: Mapping[str, Any], uploaded_at: datetime | None, child: Child | None
) -> bool | None:
    """Whether ``child`` was in the newborn period when the EEG of ``result`` was recorded
    (:func:`~spasmwatch.eeg.words.newborn_when_recorded`), for
    :func:`family_eeg_statement`'s ``newborn``. The day is
    :func:`~spasmwatch.eeg.words.recorded_day`'s, as the report's
    :attr:`~spasmwatch.report.eeg_finding.EegFinding.recorded_on`; the age is the birth
    date's, else the age in months given on ``child.age_recorded_on``. None where no child
    is given or its age is not known: a discontinuous background is then not named to the
    family, since it is normal in a newborn."""
    if child is None:
        return None
    day = recorded_day(known_start((result.get("recording") or {}).get("start")), uploaded_at)
    if day is None:
        return None
    age = age_days_on(day, child.birth_date, child.age_months, child.age_recorded_on)
    return newborn_when_recorded(age, child.born_weeks)
