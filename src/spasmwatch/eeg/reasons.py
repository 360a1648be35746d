"""The reasons of the hypsarrhythmia assessment in words, in any language.

:func:`background_reasons` says them from the stored ``background`` object alone (its
measures, not the signal), so a result stored in English is shown in the reader's
language: the analysis stores them in English (``background.reasons``, read by the CLI,
the report and the FHIR export) and the web app says them in the page's language. Each
sentence is a message of the catalogs (``spasmwatch.i18n.catalog``) whose numbers are
filled in afterwards, formatted for the language (``45%`` in English, ``45 %`` in
Spanish).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from babel import Locale
from babel.numbers import format_decimal, format_percent

from spasmwatch.eeg.result import based_score_shown
from spasmwatch.eeg.words import continuity_caveat, continuity_words
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


def floor_hides_decrements(b: Mapping[str, Any]) -> bool:
    """The recording's noise floor alone brings the line length the decrement rules read
    to their ratio (``noise_floor.line_share`` at or above ``limits.decrement_line_ratio``):
    the detector can hardly find a decrement there."""
    floor, ratio = b.get("noise_floor") or {}, (b.get("limits") or {}).get("decrement_line_ratio")
    return ratio is not None and float(floor.get("line_share", 0.0)) >= float(ratio)


def hypsarrhythmia_forms(b: Mapping[str, Any]) -> tuple[bool, bool, bool]:
    """Whether a stored background meets the spike form of hypsarrhythmia (high amplitude,
    abundant spikes, multifocal), its slow form (very high, mostly delta, asynchronous:
    Hrachovy et al. 1984), and whether its amplitude lasts (the 25th percentile at or above
    ``limits.sustained_amplitude_uv``; taken as lasting where not measured). A measure or
    limit missing from an older result counts as not met."""
    lim, markers = b.get("limits") or {}, b.get("iess_markers") or {}

    def at_least(value: Any, limit: Any) -> bool:
        return value is not None and limit is not None and float(value) >= float(limit)

    amp, high_uv = b.get("amplitude_uv_p95"), lim.get("high_amplitude_uv")
    spike_form = (
        amp is not None
        and high_uv is not None
        and float(amp) > float(high_uv)
        and at_least(b.get("spike_wave_index", 0.0), lim.get("spike_wave_index"))
        and at_least(b.get("spike_foci", 0), lim.get("min_foci"))
    )
    conn, most = markers.get("connectivity_strength"), lim.get("slow_form_max_connectivity")
    slow_form = (
        at_least(amp, lim.get("slow_form_amplitude_uv"))
        and at_least(b.get("delta_power_fraction", 0.0), lim.get("slow_form_delta"))
        and conn is not None
        and most is not None
        and float(conn) < float(most)
    )
    p25, lasting_uv = b.get("amplitude_uv_p25"), lim.get("sustained_amplitude_uv")
    lasts = p25 is None or lasting_uv is None or float(p25) >= float(lasting_uv)
    return spike_form, slow_form, lasts


def only_in_part(b: Mapping[str, Any]) -> bool:
    """A form of hypsarrhythmia is met but the amplitude does not last: a louder stretch
    rather than a background that stays high (:func:`hypsarrhythmia_forms`)."""
    spike_form, slow_form, lasts = hypsarrhythmia_forms(b)
    return (spike_form or slow_form) and not lasts


def not_ruled_out(b: Mapping[str, Any], assessment: str) -> str | None:
    """Why an ``unlikely`` ``assessment`` of the background ``b`` does not rule
    hypsarrhythmia out, as :func:`background_reasons` says it: ``"in_part"``, a form met
    only in part of the recording (:func:`only_in_part`), else ``"high_amplitude"``, a
    95th percentile amplitude above ``limits.high_amplitude_uv`` (the spike detector
    misses discharges on high-voltage delta); None for any other case."""
    if assessment != "unlikely":
        return None
    if only_in_part(b):
        return "in_part"
    high_uv = b["limits"].get("high_amplitude_uv")
    if high_uv is not None and float(b["amplitude_uv_p95"]) > float(high_uv):
        return "high_amplitude"
    return None


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


def _floor_reasons(
    b: Mapping[str, Any],
    say: Callable[..., str],
    pct: Callable[..., str],
    dec: Callable[..., str],
) -> list[str]:
    """What the noise floor means for the decrement detector. At ``low`` and ``normal``:
    on a continuous background (attenuated in less than ``limits.discontinuous_share``
    of its seconds), that the detector also read the 2-12 Hz band, where the floor
    weighs less (:func:`~spasmwatch.eeg.decrements.reads_band_too`); otherwise that it
    can hardly find a decrement (the floor's share of the line length the rules read at
    or above their line ratio) and that high sensitivity reads that band; on a background
    attenuated a little more (up to ``limits.decrement_band_max_attenuated``), that it
    kept only the band's deep events
    (:func:`~spasmwatch.eeg.decrements.reads_deep_band_events`). At ``high``:
    that it reads that band, and, on a discontinuous background, that its quiet spells
    can be taken for decrements."""
    lim = b["limits"]
    floor, line_ratio = b.get("noise_floor") or {}, lim.get("decrement_line_ratio")
    band = bool(lim.get("decrement_reads_band"))
    out = []
    hidden = floor_hides_decrements(b)
    band_ratio, band_share = lim.get("decrement_band_line_ratio"), floor.get("band_line_share")
    helps = (
        band_ratio is not None and band_share is not None and float(band_share) < float(band_ratio)
    )
    attenuated, discontinuous = b.get("attenuated_share"), lim.get("discontinuous_share")
    broken = (
        attenuated is not None
        and discontinuous is not None
        and float(attenuated) >= float(discontinuous)
    )

    def band_hz() -> dict[str, str]:
        return {
            "low": dec(float(lim["decrement_band_from_hz"])),
            "high": dec(float(lim["decrement_band_to_hz"])),
        }

    def level() -> dict[str, str]:
        return {"uv": dec(float(floor["uv"]), "0.0#"), "share": pct(float(floor["line_share"]))}

    # at low or normal sensitivity the rules could read the 2-12 Hz band past this floor
    band_helps = hidden and helps and not band
    if (
        band_helps
        and lim.get("decrement_band_under_floor")
        and attenuated is not None
        and not broken
    ):
        # the rules added the 2-12 Hz band's events (decrements.reads_band_too)
        return [
            say(
                N_(
                    "the recording's noise floor (%(uv)s µV RMS: what stays above the "
                    "EEG's bands, such as the amplifier's and the electrodes' noise) alone "
                    "has a line length of %(share)s of the EEG's usual one, and an "
                    "electrodecrement attenuates the EEG but not this floor: so the "
                    "decrement detector also reads the line length of the %(low)s-%(high)s "
                    "Hz band, of which the floor makes %(band)s; it finds decrements there "
                    "that the whole band hides, and also some brief quiet spells of the "
                    "background that are not decrements"
                ),
                band=pct(float(band_share)),
                **level(),
                **band_hz(),
            )
        ]
    deep_ratio = lim.get("decrement_band_deep_ratio")
    most_attenuated = lim.get("decrement_band_max_attenuated")
    only_deep = (
        band_helps
        and broken
        and deep_ratio is not None
        and most_attenuated is not None
        and float(attenuated) < float(most_attenuated)
    )
    if only_deep:
        # the rules added the band's deep events only (decrements.reads_deep_band_events)
        out.append(
            say(
                N_(
                    "the recording's noise floor (%(uv)s µV RMS: what stays above the "
                    "EEG's bands, such as the amplifier's and the electrodes' noise) alone "
                    "has a line length of %(share)s of the EEG's usual one, and an "
                    "electrodecrement attenuates the EEG but not this floor: so the "
                    "decrement detector also reads the line length of the %(low)s-%(high)s "
                    "Hz band, of which the floor makes %(band)s, but as the background is "
                    "attenuated in %(attenuated)s of its seconds it keeps only the deep "
                    "attenuations found there (down to %(deep)s of the seconds before): "
                    "shallower decrements can be missed; read the traces at the times of "
                    "the spasms"
                ),
                band=pct(float(band_share)),
                attenuated=pct(float(attenuated)),
                deep=pct(float(deep_ratio)),
                **level(),
                **band_hz(),
            )
        )
    elif hidden:
        out.append(
            say(
                N_(
                    "the recording's noise floor (%(uv)s µV RMS: what stays above the "
                    "EEG's bands, such as the amplifier's and the electrodes' noise) alone "
                    "has a line length of %(share)s of the EEG's usual one: an "
                    "electrodecrement attenuates the EEG but not this floor, and the "
                    "decrement detector needs the line length to fall under %(ratio)s of "
                    "the seconds before, so it can hardly find one in this recording; "
                    "finding none does not mean there was none: read the traces at the "
                    "times of the spasms"
                ),
                ratio=pct(float(line_ratio)),
                **level(),
            )
        )
    if band_helps:
        out.append(
            say(
                N_(
                    "analysed again at high sensitivity, the decrement detector would "
                    "read the line length of the %(low)s-%(high)s Hz band instead, of "
                    "which this floor makes %(share)s: there it would find decrements, and "
                    "also more brief quiet spells of the background that are not decrements"
                ),
                share=pct(float(band_share)),
                **band_hz(),
            )
        )
    if band and not hidden:
        out.append(
            say(
                N_(
                    "high sensitivity: the decrement detector reads the line length of the "
                    "%(low)s-%(high)s Hz band, where the noise floor weighs little; it finds "
                    "more decrements than at normal sensitivity, and also more brief quiet "
                    "spells of the background that are not decrements"
                ),
                **band_hz(),
            )
        )
    if band and broken:
        out.append(
            say(
                N_(
                    "the background is attenuated in %(share)s of its seconds (a "
                    "background is discontinuous from %(limit)s, as a preterm or "
                    "newborn's tracé is): at high sensitivity its brief quiet spells "
                    "between bursts can be taken for decrements; read the traces of "
                    "each"
                ),
                share=pct(float(attenuated)),
                limit=pct(float(discontinuous)),
            )
        )
    return out


def _continuity_reasons(
    b: Mapping[str, Any],
    say: Callable[..., str],
    pct: Callable[..., str],
    dec: Callable[..., str],
    gettext: Callable[[str], str],
) -> list[str]:
    """The continuity of the background (``continuity``, ACNS 2021) with the share of its
    seconds attenuated or suppressed that it rests on, how each is measured, and, for a
    discontinuous background or a burst-suppression, what it means by age (normal in a
    newborn, abnormal past the newborn period:
    :func:`~spasmwatch.eeg.words.continuity_caveat`; the age is not in the result); or
    that too little usable EEG was left to judge it. Nothing for a result stored before
    it."""
    lim, share = b["limits"], b.get("discontinuity_share")
    if share is None or lim.get("suppression_uv") is None:
        return []
    words = continuity_words(b, gettext)
    if not words:
        least = lim.get("continuity_min_usable_s")
        if least is None or int(b["usable_s"]) >= int(least):
            return []
        return [
            say(
                N_(
                    "continuity of the background not judged: only %(usable)s s of usable "
                    "EEG (< %(least)s s)"
                ),
                usable=int(b["usable_s"]),
                least=int(least),
            )
        ]
    said = say(
        N_(
            "continuity of the background: %(continuity)s, %(share)s of its seconds "
            "attenuated (the median channel below %(ratio)s of its upper quartile) or "
            "suppressed (below %(uv)s µV: %(suppressed)s of the seconds); ACNS 2021: "
            "nearly continuous from %(nearly)s, discontinuous from %(discontinuous)s, "
            "burst-suppression or burst-attenuation from %(burst)s, suppressed at %(all)s"
        ),
        continuity=words,
        share=pct(float(share)),
        ratio=pct(float(lim["decrement_ratio"])),
        uv=dec(float(lim["suppression_uv"])),
        suppressed=pct(float(b.get("suppressed_share") or 0.0)),
        nearly=pct(float(lim["nearly_continuous_share"])),
        discontinuous=pct(float(lim["discontinuous_share"])),
        burst=pct(float(lim["burst_suppression_share"])),
        all=pct(1.0),
    )
    caveat = continuity_caveat(b, None, gettext)
    return [f"{said}; {caveat}" if caveat else said]


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
