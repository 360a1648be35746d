"""An EDF channel label as a 10-20 name (``"EEG Fp1-REF"`` -> ``"Fp1"``) and its kind:
referential, bipolar or another signal.

The 10-10 names T7, T8, P7 and P8 become T3, T4, T5 and T6, the names used in neonatal
and infant EEG. A pure function of the label, apart from the reading of the file.
"""

from __future__ import annotations

import re

_OLD_NAMES = {"T7": "T3", "T8": "T4", "P7": "T5", "P8": "T6"}
_ELECTRODE = re.compile(r"^(FP|AF|FC|FT|CP|TP|PO|F|C|T|P|O|I|A|M)(\d{1,2}|Z)$", re.IGNORECASE)
_REFERENCE_SUFFIX = re.compile(
    r"[-_ ]?(REF|LE|RE|AVG|AV|AVERAGE|CAR|A1|A2|M1|M2|A1A2|LINKED)$", re.IGNORECASE
)
_PREFIX = re.compile(r"^(EEG|EEG-)\s*", re.IGNORECASE)
_REFERENCE_ELECTRODES = {"A1", "A2", "M1", "M2"}


def _electrode(token: str) -> str | None:
    """Return the 10-20 spelling of one electrode name, or None if it is not one."""
    m = _ELECTRODE.match(token.strip())
    if not m:
        return None
    prefix, number = m.group(1).upper(), m.group(2).lower()
    prefix = {"FP": "Fp"}.get(prefix, prefix)
    name = prefix + number
    return _OLD_NAMES.get(name, name)


def normalise_label(label: str) -> tuple[str, str]:
    """Normalise an EDF channel label to a 10-20 name.

    Parameters
    ----------
    label
        The label as stored in the file, e.g. ``"EEG Fp1-REF"``, ``"FP1"``, ``"T7"`` or
        ``"EEG Fpz-Cz"``.

    Returns
    -------
    name, kind
        ``name`` is ``"Fp1"`` for a referential channel, ``"Fpz-Cz"`` for a bipolar one,
        or the stripped label for anything else; ``kind`` is ``"referential"``,
        ``"bipolar"`` or ``"other"`` (ECG, respiration, EOG, ear references, ...).
    """
    text = _PREFIX.sub("", label.strip()).strip()
    text = _REFERENCE_SUFFIX.sub("", text).strip() or text
    single = _electrode(text)
    if single is not None:
        kind = "other" if single in _REFERENCE_ELECTRODES else "referential"
        return single, kind
    parts = re.split(r"\s*-\s*", text)
    if len(parts) == 2:
        a, b = _electrode(parts[0]), _electrode(parts[1])
        if a is not None and b is not None:
            return f"{a}-{b}", "bipolar"
    return text, "other"
