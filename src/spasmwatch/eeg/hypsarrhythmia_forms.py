"""Which forms of hypsarrhythmia a stored background meets, and why an ``unlikely``
assessment does not rule it out.

Read from the stored ``background`` object (its measures and limits) alone, by the
reasons (:func:`~spasmwatch.eeg.reasons.background_reasons`), the family's page and the
report, which must all say the same; apart from the wording of the reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


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
