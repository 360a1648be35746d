"""The reasons of the hypsarrhythmia assessment in words, in any language.

:func:`background_reasons` says them from the stored ``background`` object alone (its
measures, not the signal), so a result stored in English is shown in the reader's
language: the analysis stores them in English (``background.reasons``, read by the CLI,
the report and the FHIR export) and the web app says them in the page's language. Each
sentence is a message of the catalogs (``spasmwatch.i18n.catalog``) whose numbers are
filled in afterwards, formatted for the language (``45%`` in English, ``45 %`` in
Spanish).

Parts of them are modules of their own, named here too: the forms of hypsarrhythmia a
background meets (:mod:`~spasmwatch.eeg.hypsarrhythmia_forms`), what the noise floor
means for the decrement detector (:mod:`~spasmwatch.eeg.floor_reasons`) and the
continuity of the background (:mod:`~spasmwatch.eeg.continuity_reasons`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from babel import Locale
from babel.numbers import format_decimal, format_percent

from spasmwatch.eeg.continuity_reasons import _continuity_reasons
from spasmwatch.eeg.floor_reasons import _floor_reasons
from spasmwatch.eeg.floor_reasons import (
    floor_hides_decrements as floor_hides_decrements,
)
from spasmwatch.eeg.hypsarrhythmia_forms import hypsarrhythmia_forms, not_ruled_out
from spasmwatch.eeg.hypsarrhythmia_forms import (
    only_in_part as only_in_part,
)
from spasmwatch.eeg.result import based_score_shown
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


def _notch_left_a_line(b: Mapping[str, Any]) -> bool:
    """Mains interference was removed at the frequency that a filter had already notched
    out before the file was read: a notch too narrow or too shallow for a strong line."""
    line, notched = b.get("mains") or {}, b.get("mains_notched") or {}
    return bool(
        line.get("share")
        and notched.get("share")
        and float(line.get("hz", 0)) == float(notched.get("hz", -1))
    )


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

    def dec(value: float, pattern: str = "0") -> str:
        return format_decimal(value, format=pattern, locale=locale)

    def pct(value: float, decimals: bool = False) -> str:
        pattern = None
        if decimals:  # the locale's own pattern with one optional decimal
            pattern = (
                Locale.parse(locale).percent_formats[None].pattern.replace("#,##0", "#,##0.#", 1)
            )
        return format_percent(value, format=pattern, locale=locale)

    def say(message: str, **values: Any) -> str:
        return gettext(message) % values

    b, lim = background, background["limits"]
    usable_s, n_ch = int(b["usable_s"]), int(b["channels"])
    assessment = b.get("hypsarrhythmia_assessment", "unlikely")
    swi, foci = float(b.get("spike_wave_index", 0.0)), int(b.get("spike_foci", 0))
    amp = float(b["amplitude_uv_p95"])
    window = min(int(lim["based_window_s"]), usable_s)
    out = [
        say(
            N_(
                "%(recorded)s s recorded, %(usable)s s usable (%(share)s; seconds with at "
                "least half of the channels free of artefact)"
            ),
            recorded=b["recorded_s"],
            usable=usable_s,
            share=pct(float(b["usable_share"])),
        )
    ]
    if assessment == "cannot_assess":
        if usable_s < int(lim["min_usable_s"]):
            out.append(
                say(
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
                say(
                    N_("only %(n)s channels (< %(least)s): multifocality cannot be judged"),
                    n=n_ch,
                    least=lim["min_channels"],
                )
            )
    high_uv = float(lim["high_amplitude_uv"])
    high = amp > high_uv
    amplitude = (
        N_("amplitude p95 %(amp)s µV (> %(limit)s µV: high)")
        if high
        else N_("amplitude p95 %(amp)s µV (<= %(limit)s µV: not high)")
    )
    spikes = (
        N_(
            "spike-wave index %(swi)s over the worst %(window)s usable s (>= %(limit)s: "
            "abundant spikes), %(rate)s discharges/min"
        )
        if swi >= float(lim["spike_wave_index"])
        else N_(
            "spike-wave index %(swi)s over the worst %(window)s usable s (< %(limit)s: "
            "not abundant spikes), %(rate)s discharges/min"
        )
    )
    # said for a reader who meets the term here: what a focus is, and that multifocal
    # (the criterion of hypsarrhythmia) needs at least ``min_foci`` of them
    # too short or too few channels: the foci found are counted, but "not multifocal"
    # is not concluded from them (the line above says multifocality cannot be judged)
    unjudged = assessment == "cannot_assess" and (
        usable_s < int(lim["min_usable_s"]) or n_ch < int(lim["min_channels"])
    )
    if unjudged and not foci:
        focal = gettext(
            "no spike focus found (a focus is a scalp region where %(rate)s or more "
            "discharges a minute are at their largest); not enough EEG to judge "
            "multifocality (%(least)s or more foci)"
        )
    elif unjudged and foci < int(lim["min_foci"]):
        focal = ngettext(
            "%(n)s spike focus found (a focus is a scalp region where %(rate)s or more "
            "discharges a minute are at their largest); not enough EEG to judge "
            "multifocality (%(least)s or more foci)",
            "%(n)s spike foci found (a focus is a scalp region where %(rate)s or more "
            "discharges a minute are at their largest); not enough EEG to judge "
            "multifocality (%(least)s or more foci)",
            foci,
        )
    elif not foci:
        focal = gettext(
            "no spike focus (a focus is a scalp region where %(rate)s or more discharges a "
            "minute are at their largest), so not multifocal (%(least)s or more foci)"
        )
    elif foci >= int(lim["min_foci"]):
        focal = ngettext(
            "%(n)s spike focus (a focus is a scalp region where %(rate)s or more discharges "
            "a minute are at their largest): multifocal (%(least)s or more foci)",
            "%(n)s spike foci (a focus is a scalp region where %(rate)s or more discharges "
            "a minute are at their largest): multifocal (%(least)s or more foci)",
            foci,
        )
    else:
        focal = ngettext(
            "%(n)s spike focus (a focus is a scalp region where %(rate)s or more discharges "
            "a minute are at their largest), so not multifocal (%(least)s or more foci)",
            "%(n)s spike foci (a focus is a scalp region where %(rate)s or more discharges "
            "a minute are at their largest), so not multifocal (%(least)s or more foci)",
            foci,
        )
    out += [
        say(amplitude, amp=dec(amp), limit=dec(high_uv)),
        say(
            spikes,
            # one decimal, so that an index just under its limit does not read as the
            # limit itself ("10 % (< 10 %)")
            swi=pct(swi, decimals=True),
            window=window,
            limit=pct(float(lim["spike_wave_index"])),
            rate=dec(float(b.get("spike_rate_per_min", 0.0)), "0.0"),
        ),
        focal
        % {
            "n": foci,
            "rate": dec(float(lim["focus_rate_per_min"]), "0.##"),
            "least": lim["min_foci"],
        },
        say(
            N_("delta fraction %(delta)s (disorganised high-voltage slowing is mostly delta)"),
            delta=dec(float(b.get("delta_power_fraction", 0.0)), "0.00"),
        ),
        # too little usable EEG to score: why there is no score, not a score of 0
        say(
            N_("BASED-like score %(score)s (BASED 4-5 is hypsarrhythmia)"),
            score=b.get("based_like_score", 0),
        )
        if based_score_shown(b)
        else say(
            N_(
                "BASED-like score not given (too little usable EEG: %(usable)s s, at least "
                "%(least)s s needed)"
            ),
            usable=usable_s,
            least=lim["min_usable_s"],
        ),
    ]
    markers = b.get("iess_markers") or {}
    slow_uv = lim.get("slow_form_amplitude_uv")
    slow_form = False
    if (
        assessment != "cannot_assess"
        and slow_uv is not None
        and amp >= float(slow_uv)
        and "connectivity_strength" in markers
    ):
        delta = float(b.get("delta_power_fraction", 0.0))
        conn = float(markers["connectivity_strength"])
        slow_form = hypsarrhythmia_forms(b)[1]
        out.append(
            say(
                N_(
                    "amplitude p95 %(amp)s µV (>= %(limit)s µV: very high), mostly delta "
                    "(%(delta)s >= %(least)s) and asynchronous (connectivity strength %(conn)s "
                    "< %(most)s): the form of hypsarrhythmia made mostly of high-voltage slow "
                    "activity with little spike activity (Hrachovy et al. 1984), which counts "
                    "even with few spikes found"
                )
                if slow_form
                else N_(
                    "amplitude p95 %(amp)s µV (>= %(limit)s µV: very high), but not both mostly "
                    "delta (%(delta)s, at least %(least)s) and asynchronous (connectivity "
                    "strength %(conn)s, under %(most)s): not the slow form of hypsarrhythmia "
                    "(Hrachovy et al. 1984), which would count without spikes"
                ),
                amp=dec(amp),
                limit=dec(float(slow_uv)),
                delta=dec(delta, "0.00"),
                least=dec(float(lim["slow_form_delta"]), "0.00"),
                conn=dec(conn, "0.00"),
                most=dec(float(lim["slow_form_max_connectivity"]), "0.00"),
            )
        )
    lasting_uv, p25 = lim.get("sustained_amplitude_uv"), b.get("amplitude_uv_p25")
    if assessment != "cannot_assess" and lasting_uv is not None and p25 is not None:
        lasts = hypsarrhythmia_forms(b)[2]
        # the stored percentile is the share of the usable seconds allowed below the bar
        share_below = float(lim.get("sustained_percentile", 25)) / 100
        out.append(
            say(
                N_(
                    "amplitude p25 %(amp)s µV (>= %(limit)s µV in at least %(most)s of "
                    "the usable seconds): the amplitude lasts, as the background of "
                    "hypsarrhythmia does"
                )
                if lasts
                else N_(
                    "amplitude p25 %(amp)s µV (< %(limit)s µV in more than %(rest)s of the "
                    "usable seconds): the amplitude does not last"
                ),
                amp=dec(float(p25)),
                limit=dec(float(lasting_uv)),
                most=pct(1 - share_below),
                rest=pct(share_below),
            )
        )
    why_not_ruled_out = not_ruled_out(b, assessment)
    if why_not_ruled_out == "in_part":
        # a loud stretch is not a background that stays high; but hypsarrhythmia fades in
        # REM sleep and during clusters of spasms, so its absence is not shown either
        out.append(
            say(
                N_(
                    "high amplitude and the other criteria only in part of the recording: "
                    "a louder stretch (a state of sleep, a burst) rather than a background "
                    "that stays high; hypsarrhythmia fades in REM sleep and during clusters "
                    "of spasms, so this does not rule it out: look at the traces, and "
                    "record longer with non-REM sleep"
                )
            )
        )
    elif why_not_ruled_out == "high_amplitude":
        # high voltage is half of the picture: the detector's misses on high-voltage delta
        # must not read as its absence (docs/benchmarks.md, the fifth EEG set)
        out.append(
            say(
                N_(
                    "high amplitude without enough discharges found: the spike detector "
                    "misses many discharges that ride on high-voltage delta, so this does not "
                    "rule hypsarrhythmia out; look at the traces for multifocal spikes"
                )
            )
        )
    out.extend(_continuity_reasons(b, say, pct, dec, gettext))
    sz_share = float(b.get("sz_share") or 0.0)
    if assessment == "likely" and sz_share > 0:
        out.append(
            say(
                N_(
                    "the seizure detector marks %(share)s of this recording as seizure (sz): "
                    "it learnt the seizures of newborns and also takes the high-voltage, "
                    "disorganised activity of hypsarrhythmia for seizure, so read those "
                    "events together with this background"
                ),
                share=pct(sz_share),
            )
        )
    if assessment != "cannot_assess" and usable_s < int(lim["based_window_s"]):
        out.append(
            say(
                N_(
                    "shorter than the %(window)s-s BASED window: assessed on %(usable)s usable "
                    "s; a longer recording with sleep is more reliable"
                ),
                window=lim["based_window_s"],
                usable=usable_s,
            )
        )
    artefact = b.get("artefact_share") or {}
    if artefact.get("all"):
        parts = ", ".join(
            f"{gettext(word)} {pct(float(artefact[kind]))}"
            for kind, word in ARTEFACT_KINDS.items()
            if kind in artefact
        )
        out.append(
            say(
                N_("%(share)s of channel-seconds left out as artefact (%(kinds)s)"),
                share=pct(float(artefact["all"])),
                kinds=parts,
            )
        )
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
            out.append(say(message, hz=hz, share=pct(float(line["share"]))))
    if _notch_left_a_line(b):
        # said after the notch, as what its filter left of the same line
        line = b["mains"]
        out.append(
            say(
                N_(
                    "what that filter left of the mains line was removed before the "
                    "measures from %(share)s of channel-seconds"
                ),
                share=pct(float(line["share"])),
            )
        )
    out.extend(_floor_reasons(b, say, pct, dec))
    aside = b.get("decrements_set_aside") or []
    if aside:
        out.append(
            say(
                N_(
                    "abrupt, diffuse attenuations not counted as decrements because the "
                    "background around them is discontinuous: %(count)s, the first at "
                    "%(first)s s; a dense cluster of spasms can look the same, so look at "
                    "the traces there"
                ),
                count=len(aside),
                first=dec(float(aside[0]), "0.#"),
            )
        )
    if "permutation_entropy" in markers:
        out.append(
            say(
                N_(
                    "markers of Smith et al. 2021 (higher amplitude, lower Shannon and "
                    "permutation entropy, stronger connectivity in infantile spasms): "
                    "permutation entropy %(perm)s, Shannon entropy %(shannon)s, connectivity "
                    "strength %(conn)s (reported, not used in the assessment)"
                )
                if slow_uv is None
                else N_(
                    "markers of Smith et al. 2021 (higher amplitude, lower Shannon and "
                    "permutation entropy, stronger connectivity in infantile spasms): "
                    "permutation entropy %(perm)s, Shannon entropy %(shannon)s, connectivity "
                    "strength %(conn)s (reported; the connectivity strength is used only to "
                    "tell the slow form of hypsarrhythmia from synchronous delta)"
                ),
                perm=dec(float(markers["permutation_entropy"]), "0.00"),
                shannon=dec(float(markers["shannon_entropy"]), "0.00"),
                conn=dec(float(markers["connectivity_strength"]), "0.00"),
            )
        )
    return out
