"""The detector sensitivities, one spelling for every analyser and shell.

``low``: fewer false alarms; ``normal``; ``high``: fewer misses. Each detector maps these
words to its own thresholds (video ``detect.SENSITIVITIES``, EEG ``detect.SZ_THRESHOLDS``).
"""

from __future__ import annotations

from spasmwatch.errors import InvalidInput

__all__ = ["SENSITIVITIES", "SENSITIVITY_WORDS", "check_sensitivity"]

SENSITIVITIES: tuple[str, ...] = ("low", "normal", "high")

#: How the pages and reports describe each level.
SENSITIVITY_WORDS: dict[str, str] = {
    "low": "low: fewer false alarms",
    "normal": "normal",
    "high": "high: fewer misses",
}


def check_sensitivity(sensitivity: object, field: str = "sensitivity") -> str:
    """``sensitivity`` if it is one of :data:`SENSITIVITIES`, else
    :class:`~spasmwatch.errors.InvalidInput` (a ``ValueError``) naming ``field`` and the
    allowed values."""
    if sensitivity not in SENSITIVITIES:
        raise InvalidInput(
            f"Invalid value for '{field}': allowed are {', '.join(SENSITIVITIES)}; "
            f"got {sensitivity!r}"
        )
    return str(sensitivity)
