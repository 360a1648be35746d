"""The reasons of the hypsarrhythmia assessment in words, in any language.

:func:`background_reasons` says them from the stored ``background`` object alone (its
measures, not the signal), so a result stored in English is shown in the reader's
language: the analysis stores them in English (``background.reasons``, read by the CLI,
the report and the FHIR export) and the web app says them in the page's language. Each
sentence is a message of the catalogs (``spasmwatch.i18n.catalog``) whose numbers are
filled in afterwards, formatted for the language (``45%`` in English, ``45 %`` in
Spanish).

:func:`background_reasons` is a list of steps, one part of the reasons each. Those about
the recording (its length, what was left out or removed, the detectors' limits) are
here; parts of them are modules of their own, named here too: the criteria of
hypsarrhythmia and the language they are all said in
(:mod:`~spasmwatch.eeg.criteria_reasons`), the forms of hypsarrhythmia a background
meets (:mod:`~spasmwatch.eeg.hypsarrhythmia_forms`), what the noise floor means for the
decrement detector (:mod:`~spasmwatch.eeg.floor_reasons`) and the continuity of the
background (:mod:`~spasmwatch.eeg.continuity_reasons`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from spasmwatch.eeg.continuity_reasons import _continuity_reasons
from spasmwatch.eeg.criteria_reasons import (
    Voice,
    _amplitude_reasons,
    _delta_reasons,
    _foci_reasons,
    _lasting_reasons,
    _not_ruled_out_reasons,
    _score_reasons,
    _slow_form_reasons,
    _spike_reasons,
    assessment_of,
)
from spasmwatch.eeg.floor_reasons import _floor_reasons
from spasmwatch.eeg.floor_reasons import (
    floor_hides_decrements as floor_hides_decrements,
)
from spasmwatch.eeg.hypsarrhythmia_forms import not_ruled_out as not_ruled_out
from spasmwatch.eeg.hypsarrhythmia_forms import (
    only_in_part as only_in_part,
)
from spasmwatch.i18n import DEFAULT_LOCALE, N_, english, english_n

__all__ = ["ARTEFACT_KINDS", "background_reasons", "can_say"]

#: The artefact flags of a channel-second, as the reasons name them.
ARTEFACT_KINDS = {
    "flat": N_("flat"),
    "clipped": N_("clipped"),
    "huge": N_("huge"),
    "pop": N_("pop"),
}

#: The fields a stored background needs for its reasons to be said again; results stored
#: before they existed keep their English reasons.
_NEEDED = ("recorded_s", "channels", "usable_s", "usable_share", "amplitude_uv_p95", "limits")


def can_say(background: Mapping[str, Any]) -> bool:
    """Whether ``background`` holds what :func:`background_reasons` needs."""
    return all(key in background for key in _NEEDED)


def background_reasons(
    background: Mapping[str, Any],
    gettext: Callable[[str], str] = english,
    locale: str = DEFAULT_LOCALE,
    ngettext: Callable[[str, str, int], str] | None = None,
) -> list[str]:
    """The reasons of the assessment, most basic first: the length and the usable share;
    why it cannot be assessed, if so; amplitude, spike burden, foci, delta, the BASED-like
    score; when the amplitude is high but hypsarrhythmia unlikely, that discharges on
    high-voltage delta are often missed; the continuity of the background (ACNS 2021) and
    what a discontinuous one means by age; when hypsarrhythmia is likely and the seizure
    detector marks part of the recording, that its events may be this background; a
    recording shorter than the BASED window; the artefacts left out; mains interference
    removed or notched before; a noise floor that keeps the decrement detector from
    finding decrements; attenuations set aside; the IESS markers.

    Parameters
    ----------
    background
        A ``background`` object as stored (``Background.to_dict()``); one stored before
        the reasons could be said again (:func:`can_say` false) gives its stored reasons.
    gettext, locale, ngettext
        The language: the page's ``gettext``, its locale and its ``ngettext`` (English by
        default, as the analysis stores them; without ``ngettext``, a catalog's
        ``gettext`` brings its own).
    """
    if not can_say(background):
        return [str(r) for r in background.get("reasons", [])]
    if ngettext is None:
        ngettext = getattr(getattr(gettext, "__self__", None), "ngettext", None) or english_n
    b, v = background, Voice(gettext, ngettext, locale)
    return [
        *_length_reasons(b, v),
        *_unassessable_reasons(b, v),
        *_amplitude_reasons(b, v),
        *_spike_reasons(b, v),
        *_foci_reasons(b, v),
        *_delta_reasons(b, v),
        *_score_reasons(b, v),
        *_slow_form_reasons(b, v),
        *_lasting_reasons(b, v),
        *_not_ruled_out_reasons(b, v),
        *_continuity_reasons(b, v.say, v.pct, v.dec, v.gettext),
        *_seizure_detector_reasons(b, v),
        *_short_window_reasons(b, v),
        *_artefact_reasons(b, v),
        *_mains_reasons(b, v),
        *_floor_reasons(b, v.say, v.pct, v.dec),
        *_set_aside_reasons(b, v),
        *_marker_reasons(b, v),
    ]


def _length_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """The length recorded and the usable seconds, with what "usable" means: every other
    reason is measured on them, so a reader weighs the rest by them."""
    return [
        v.say(
            N_(
                "%(recorded)s s recorded, %(usable)s s usable (%(share)s; seconds with at "
                "least half of the channels free of artefact)"
            ),
            recorded=b["recorded_s"],
            usable=int(b["usable_s"]),
            share=v.pct(float(b["usable_share"])),
        )
    ]


def _unassessable_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """Why a background cannot be assessed: too little usable EEG (and what to record
    instead) and too few channels to judge multifocality; nothing when it was assessed."""
    if assessment_of(b) != "cannot_assess":
        return []
    lim, usable_s, n_ch = b["limits"], int(b["usable_s"]), int(b["channels"])
    out = []
    if usable_s < int(lim["min_usable_s"]):
        out.append(
            v.say(
                N_(
                    "only %(usable)s s of usable EEG (< %(least)s s): too little to judge "
                    "spike burden and multifocality; record longer, ideally with sleep"
                ),
                usable=usable_s,
                least=lim["min_usable_s"],
            )
        )
    if n_ch < int(lim["min_channels"]):
        out.append(
            v.say(
                N_("only %(n)s channels (< %(least)s): multifocality cannot be judged"),
                n=n_ch,
                least=lim["min_channels"],
            )
        )
    return out


def _seizure_detector_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """When hypsarrhythmia is likely and the seizure detector marks part of the recording,
    that the detector (trained on newborns) takes this background for seizure too, so its
    events are read together with it."""
    sz_share = float(b.get("sz_share") or 0.0)
    if assessment_of(b) != "likely" or not sz_share > 0:
        return []
    return [
        v.say(
            N_(
                "the seizure detector marks %(share)s of this recording as seizure (sz): "
                "it learnt the seizures of newborns and also takes the high-voltage, "
                "disorganised activity of hypsarrhythmia for seizure, so read those "
                "events together with this background"
            ),
            share=v.pct(sz_share),
        )
    ]


def _short_window_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """An assessed recording shorter than the BASED window: the assessment rests on less
    EEG than the scale expects, so a longer one with sleep is more reliable."""
    lim, usable_s = b["limits"], int(b["usable_s"])
    if assessment_of(b) == "cannot_assess" or usable_s >= int(lim["based_window_s"]):
        return []
    return [
        v.say(
            N_(
                "shorter than the %(window)s-s BASED window: assessed on %(usable)s usable "
                "s; a longer recording with sleep is more reliable"
            ),
            window=lim["based_window_s"],
            usable=usable_s,
        )
    ]


def _artefact_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """The share of channel-seconds left out as artefact, by kind (:data:`ARTEFACT_KINDS`):
    what the measures were not taken on, and why."""
    artefact = b.get("artefact_share") or {}
    if not artefact.get("all"):
        return []
    parts = ", ".join(
        f"{v.gettext(word)} {v.pct(float(artefact[kind]))}"
        for kind, word in ARTEFACT_KINDS.items()
        if kind in artefact
    )
    return [
        v.say(
            N_("%(share)s of channel-seconds left out as artefact (%(kinds)s)"),
            share=v.pct(float(artefact["all"])),
            kinds=parts,
        )
    ]


def _notch_left_a_line(b: Mapping[str, Any]) -> bool:
    """Mains interference was removed at the frequency that a filter had already notched
    out before the file was read: a notch too narrow or too shallow for a strong line."""
    line, notched = b.get("mains") or {}, b.get("mains_notched") or {}
    return bool(
        line.get("share")
        and notched.get("share")
        and float(line.get("hz", 0)) == float(notched.get("hz", -1))
    )


def _mains_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """Mains interference removed before the measures, and a mains frequency already
    notched out before the file was read, which makes the spike criteria (set on
    recordings with their line in them) less certain. Where the notch left a line that
    was then removed, that removal is said after the notch, as what its filter left."""
    out = []
    for key, message in (
        (
            "mains",
            N_(
                "mains interference (%(hz)s Hz) removed before the measures from "
                "%(share)s of channel-seconds"
            ),
        ),
        (
            "mains_notched",
            N_(
                "the mains frequency (%(hz)s Hz) was already filtered out of %(share)s "
                "of channel-seconds before the file was read (a notch filter of the "
                "recording system or of an export): the spike criteria were set on "
                "recordings with their mains line in them, so the spike count, the "
                "BASED-like score and an assessment that rests on them are less "
                "certain; read the traces before trusting them"
            ),
        ),
    ):
        line = b.get(key) or {}
        if line.get("share") and not (key == "mains" and _notch_left_a_line(b)):
            hz = f"{float(line['hz']):g}"
            out.append(v.say(message, hz=hz, share=v.pct(float(line["share"]))))
    if _notch_left_a_line(b):
        # said after the notch, as what its filter left of the same line
        line = b["mains"]
        out.append(
            v.say(
                N_(
                    "what that filter left of the mains line was removed before the "
                    "measures from %(share)s of channel-seconds"
                ),
                share=v.pct(float(line["share"])),
            )
        )
    return out


def _set_aside_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """Abrupt, diffuse attenuations not counted as decrements because the background
    around them is discontinuous: a dense cluster of spasms can look the same, so the
    reader is pointed at the first of them."""
    aside = b.get("decrements_set_aside") or []
    if not aside:
        return []
    return [
        v.say(
            N_(
                "abrupt, diffuse attenuations not counted as decrements because the "
                "background around them is discontinuous: %(count)s, the first at "
                "%(first)s s; a dense cluster of spasms can look the same, so look at "
                "the traces there"
            ),
            count=len(aside),
            first=v.dec(float(aside[0]), "0.#"),
        )
    ]


def _marker_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """The IESS markers of Smith et al. 2021, reported but not used in the assessment,
    save the connectivity strength where the slow form is judged (its bar in the limits)."""
    markers = b.get("iess_markers") or {}
    if "permutation_entropy" not in markers:
        return []
    return [
        v.say(
            N_(
                "markers of Smith et al. 2021 (higher amplitude, lower Shannon and "
                "permutation entropy, stronger connectivity in infantile spasms): "
                "permutation entropy %(perm)s, Shannon entropy %(shannon)s, connectivity "
                "strength %(conn)s (reported, not used in the assessment)"
            )
            if b["limits"].get("slow_form_amplitude_uv") is None
            else N_(
                "markers of Smith et al. 2021 (higher amplitude, lower Shannon and "
                "permutation entropy, stronger connectivity in infantile spasms): "
                "permutation entropy %(perm)s, Shannon entropy %(shannon)s, connectivity "
                "strength %(conn)s (reported; the connectivity strength is used only to "
                "tell the slow form of hypsarrhythmia from synchronous delta)"
            ),
            perm=v.dec(float(markers["permutation_entropy"]), "0.00"),
            shannon=v.dec(float(markers["shannon_entropy"]), "0.00"),
            conn=v.dec(float(markers["connectivity_strength"]), "0.00"),
        )
    ]
