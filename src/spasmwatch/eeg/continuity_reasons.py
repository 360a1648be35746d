"""The continuity of the background (ACNS 2021), in words: the reason of
:func:`~spasmwatch.eeg.reasons.background_reasons` that says it with the shares it rests
on, and what a discontinuous background means by age.

A part of the reasons of its own: it says the continuity with the words that the FHIR
export and the command line say it with too (:mod:`spasmwatch.eeg.words`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from spasmwatch.eeg.words import continuity_caveat, continuity_words
from spasmwatch.i18n import N_


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
    # results stored before the period was in the limits are said as they were
    period = lim.get("continuity_min_period_s")
    said = say(
        N_(
            "continuity of the background: %(continuity)s, %(share)s of its seconds "
            "attenuated (the median channel below %(ratio)s of its upper quartile) or "
            "suppressed (below %(uv)s µV: %(suppressed)s of the seconds); ACNS 2021: "
            "nearly continuous from %(nearly)s, discontinuous from %(discontinuous)s, "
            "burst-suppression or burst-attenuation from %(burst)s, suppressed at %(all)s"
        )
        if period is None
        else N_(
            "continuity of the background: %(continuity)s, %(share)s of its seconds "
            "attenuated (the median channel below %(ratio)s of its upper quartile) or "
            "suppressed (below %(uv)s µV: %(suppressed)s of the seconds), counted only in "
            "periods of %(period)s s or more; ACNS 2021: nearly continuous from %(nearly)s, "
            "discontinuous from %(discontinuous)s, burst-suppression or burst-attenuation "
            "from %(burst)s, suppressed at %(all)s"
        ),
        period=dec(float(period or 0.0)),
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
