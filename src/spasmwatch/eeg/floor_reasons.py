"""What the recording's noise floor means for the decrement detector, in words: the
reasons of :func:`~spasmwatch.eeg.reasons.background_reasons` about the floor, the 2-12
Hz band and a discontinuous background at high sensitivity.

The longest of the reasons' parts, and the one the family's page reads too
(:func:`floor_hides_decrements`), so it is a module of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from spasmwatch.i18n import N_


def floor_hides_decrements(b: Mapping[str, Any]) -> bool:
    """The recording's noise floor alone brings the line length the decrement rules read
    to their ratio (``noise_floor.line_share`` at or above ``limits.decrement_line_ratio``):
    the detector can hardly find a decrement there."""
    floor, ratio = b.get("noise_floor") or {}, (b.get("limits") or {}).get("decrement_line_ratio")
    return ratio is not None and float(floor.get("line_share", 0.0)) >= float(ratio)


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
