"""The reasons about the criteria of hypsarrhythmia, in words: the parts of
:func:`~spasmwatch.eeg.reasons.background_reasons` that say the amplitude, the spike
burden, the foci, the delta fraction, the BASED-like score, the slow form, whether the
amplitude lasts and why an ``unlikely`` assessment does not rule it out.

A module of its own so that the reasons read as a list of steps: each part says one
criterion from the stored ``background`` object and its limits, in the language of a
:class:`Voice`, which the other parts of the reasons share.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from babel import Locale
from babel.numbers import format_decimal, format_percent

from spasmwatch.eeg.hypsarrhythmia_forms import hypsarrhythmia_forms, not_ruled_out
from spasmwatch.eeg.result import based_score_shown
from spasmwatch.i18n import N_


@dataclass(frozen=True)
class Voice:
    """The language the reasons are said in: the page's ``gettext`` and ``ngettext`` and
    its locale. Every part of the reasons fills its numbers in through it, so that all of
    them format a number alike for the language (``45%`` in English, ``45 %`` in
    Spanish)."""

    gettext: Callable[[str], str]
    ngettext: Callable[[str, str, int], str]
    locale: str

    def dec(self, value: float, pattern: str = "0") -> str:
        """``value`` as a decimal of ``pattern`` (``"0.00"``: two decimals) in the locale."""
        return format_decimal(value, format=pattern, locale=self.locale)

    def pct(self, value: float, decimals: bool = False) -> str:
        """The share ``value`` as a percentage of the locale; with ``decimals``, one
        optional decimal, so that a share just under a limit does not read as the limit."""
        pattern = None
        if decimals:  # the locale's own pattern with one optional decimal
            pattern = (
                Locale.parse(self.locale)
                .percent_formats[None]
                .pattern.replace("#,##0", "#,##0.#", 1)
            )
        return format_percent(value, format=pattern, locale=self.locale)

    def say(self, message: str, **values: Any) -> str:
        """The catalog's ``message`` in the language, its ``values`` filled in."""
        return self.gettext(message) % values


def assessment_of(b: Mapping[str, Any]) -> str:
    """The stored assessment; a result stored without one was ``unlikely``."""
    return b.get("hypsarrhythmia_assessment", "unlikely")


def _amplitude_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """The 95th percentile amplitude against the "high" bar: high voltage is the first
    criterion of hypsarrhythmia, and the bar says what "high" meant."""
    amp, high_uv = float(b["amplitude_uv_p95"]), float(b["limits"]["high_amplitude_uv"])
    amplitude = (
        N_("amplitude p95 %(amp)s µV (> %(limit)s µV: high)")
        if amp > high_uv
        else N_("amplitude p95 %(amp)s µV (<= %(limit)s µV: not high)")
    )
    return [v.say(amplitude, amp=v.dec(amp), limit=v.dec(high_uv))]


def _spike_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """The spike-wave index over the worst BASED window against its limit, with the
    discharge rate: abundant spikes are the second criterion, and the window (never longer
    than the usable EEG) says what the index was measured over."""
    lim, swi = b["limits"], float(b.get("spike_wave_index", 0.0))
    window = min(int(lim["based_window_s"]), int(b["usable_s"]))
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
    return [
        v.say(
            spikes,
            # one decimal, so that an index just under its limit does not read as the
            # limit itself ("10 % (< 10 %)")
            swi=v.pct(swi, decimals=True),
            window=window,
            limit=v.pct(float(lim["spike_wave_index"])),
            rate=v.dec(float(b.get("spike_rate_per_min", 0.0)), "0.0"),
        )
    ]


def _foci_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """The spike foci found and whether they make the background multifocal, the third
    criterion. Said for a reader who meets the term here: what a focus is, and that
    multifocal needs at least ``min_foci`` of them. Too short a recording or too few
    channels: the foci found are counted, but "not multifocal" is not concluded from them
    (a reason of its own says multifocality cannot be judged)."""
    lim, foci = b["limits"], int(b.get("spike_foci", 0))
    unjudged = assessment_of(b) == "cannot_assess" and (
        int(b["usable_s"]) < int(lim["min_usable_s"])
        or int(b["channels"]) < int(lim["min_channels"])
    )
    if unjudged and not foci:
        focal = v.gettext(
            "no spike focus found (a focus is a scalp region where %(rate)s or more "
            "discharges a minute are at their largest); not enough EEG to judge "
            "multifocality (%(least)s or more foci)"
        )
    elif unjudged and foci < int(lim["min_foci"]):
        focal = v.ngettext(
            "%(n)s spike focus found (a focus is a scalp region where %(rate)s or more "
            "discharges a minute are at their largest); not enough EEG to judge "
            "multifocality (%(least)s or more foci)",
            "%(n)s spike foci found (a focus is a scalp region where %(rate)s or more "
            "discharges a minute are at their largest); not enough EEG to judge "
            "multifocality (%(least)s or more foci)",
            foci,
        )
    elif not foci:
        focal = v.gettext(
            "no spike focus (a focus is a scalp region where %(rate)s or more discharges a "
            "minute are at their largest), so not multifocal (%(least)s or more foci)"
        )
    elif foci >= int(lim["min_foci"]):
        focal = v.ngettext(
            "%(n)s spike focus (a focus is a scalp region where %(rate)s or more discharges "
            "a minute are at their largest): multifocal (%(least)s or more foci)",
            "%(n)s spike foci (a focus is a scalp region where %(rate)s or more discharges "
            "a minute are at their largest): multifocal (%(least)s or more foci)",
            foci,
        )
    else:
        focal = v.ngettext(
            "%(n)s spike focus (a focus is a scalp region where %(rate)s or more discharges "
            "a minute are at their largest), so not multifocal (%(least)s or more foci)",
            "%(n)s spike foci (a focus is a scalp region where %(rate)s or more discharges "
            "a minute are at their largest), so not multifocal (%(least)s or more foci)",
            foci,
        )
    return [
        focal
        % {
            "n": foci,
            "rate": v.dec(float(lim["focus_rate_per_min"]), "0.##"),
            "least": lim["min_foci"],
        }
    ]


def _delta_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """The delta fraction of the power: the disorganised high-voltage slowing of
    hypsarrhythmia is mostly delta, so the share says how much of it there is."""
    return [
        v.say(
            N_("delta fraction %(delta)s (disorganised high-voltage slowing is mostly delta)"),
            delta=v.dec(float(b.get("delta_power_fraction", 0.0)), "0.00"),
        )
    ]


def _score_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """The BASED-like score, which a reader knows from the BASED scale; with too little
    usable EEG to score, why there is no score, not a score of 0."""
    if based_score_shown(b):
        return [
            v.say(
                N_("BASED-like score %(score)s (BASED 4-5 is hypsarrhythmia)"),
                score=b.get("based_like_score", 0),
            )
        ]
    return [
        v.say(
            N_(
                "BASED-like score not given (too little usable EEG: %(usable)s s, at least "
                "%(least)s s needed)"
            ),
            usable=int(b["usable_s"]),
            least=b["limits"]["min_usable_s"],
        )
    ]


def _slow_form_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """For a very high amplitude, whether the background is the slow form of
    hypsarrhythmia (mostly delta and asynchronous: Hrachovy et al. 1984), which counts
    even with few spikes found. Nothing for a background that cannot be assessed, below
    the bar, or stored before the slow form was judged (no bar or no connectivity)."""
    lim, markers = b["limits"], b.get("iess_markers") or {}
    amp, slow_uv = float(b["amplitude_uv_p95"]), lim.get("slow_form_amplitude_uv")
    judged = (
        assessment_of(b) != "cannot_assess"
        and slow_uv is not None
        and amp >= float(slow_uv)
        and "connectivity_strength" in markers
    )
    if not judged:
        return []
    delta = float(b.get("delta_power_fraction", 0.0))
    conn = float(markers["connectivity_strength"])
    slow_form = hypsarrhythmia_forms(b)[1]
    return [
        v.say(
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
            amp=v.dec(amp),
            limit=v.dec(float(slow_uv)),
            delta=v.dec(delta, "0.00"),
            least=v.dec(float(lim["slow_form_delta"]), "0.00"),
            conn=v.dec(conn, "0.00"),
            most=v.dec(float(lim["slow_form_max_connectivity"]), "0.00"),
        )
    ]


def _lasting_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """Whether the amplitude lasts (its 25th percentile against the sustained bar), as the
    background of hypsarrhythmia does, rather than a louder stretch. Nothing for a
    background that cannot be assessed or a result stored before it was measured."""
    lim = b["limits"]
    lasting_uv, p25 = lim.get("sustained_amplitude_uv"), b.get("amplitude_uv_p25")
    if assessment_of(b) == "cannot_assess" or lasting_uv is None or p25 is None:
        return []
    lasts = hypsarrhythmia_forms(b)[2]
    # the stored percentile is the share of the usable seconds allowed below the bar
    share_below = float(lim.get("sustained_percentile", 25)) / 100
    return [
        v.say(
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
            amp=v.dec(float(p25)),
            limit=v.dec(float(lasting_uv)),
            most=v.pct(1 - share_below),
            rest=v.pct(share_below),
        )
    ]


def _not_ruled_out_reasons(b: Mapping[str, Any], v: Voice) -> list[str]:
    """Why an ``unlikely`` assessment does not rule hypsarrhythmia out
    (:func:`~spasmwatch.eeg.hypsarrhythmia_forms.not_ruled_out`), so that a reader does
    not take it for its absence; nothing otherwise."""
    why = not_ruled_out(b, assessment_of(b))
    if why == "in_part":
        # a loud stretch is not a background that stays high; but hypsarrhythmia fades in
        # REM sleep and during clusters of spasms, so its absence is not shown either
        return [
            v.say(
                N_(
                    "high amplitude and the other criteria only in part of the recording: "
                    "a louder stretch (a state of sleep, a burst) rather than a background "
                    "that stays high; hypsarrhythmia fades in REM sleep and during clusters "
                    "of spasms, so this does not rule it out: look at the traces, and "
                    "record longer with non-REM sleep"
                )
            )
        ]
    if why == "high_amplitude":
        # high voltage is half of the picture: the detector's misses on high-voltage delta
        # must not read as its absence (docs/benchmarks.md, the fifth EEG set)
        return [
            v.say(
                N_(
                    "high amplitude without enough discharges found: the spike detector "
                    "misses many discharges that ride on high-voltage delta, so this does not "
                    "rule hypsarrhythmia out; look at the traces for multifocal spikes"
                )
            )
        ]
    return []
