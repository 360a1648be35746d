"""When a recording began, from its header, and whether that time is known at all.

An anonymised file gives a placeholder date, and the times of day computed from it would
be made up: the report, the FHIR export and the trace viewer ask :func:`known_start`
of a stored start, without reading the file, so these are apart from the reading.
"""

from __future__ import annotations

import datetime as dt
import re

#: Start dates an EEG file gives when its real date is not known (an anonymised file): 1
#: January 1985, the earliest date an EDF header can hold, which EDF+ files that say
#: "Startdate X" keep in the header; and 1 January 2000, which anonymisers write instead
#: (MNE-Python's ``anonymize`` among them). The reader leaves ``start`` out only for
#: "Startdate X"; :func:`known_start` for all of them.
PLACEHOLDER_START_DAYS: tuple[dt.date, ...] = (dt.date(1985, 1, 1), dt.date(2000, 1, 1))
#: A header of ones only (``01.01.01 01.01.01``), another filler some exporters write.
FILLER_START = dt.datetime(2001, 1, 1, 1, 1, 1)


def known_start(start: dt.datetime | str | None) -> dt.datetime | None:
    """``start`` (a recording's start from its header, or as an analysis stored it: ISO
    text), or None where it is missing, unreadable or a placeholder
    (:data:`PLACEHOLDER_START_DAYS`, :data:`FILLER_START`) rather than the time the
    recording began: times of day computed from it would be made up too."""
    if isinstance(start, str):
        try:
            start = dt.datetime.fromisoformat(start) if start else None
        except ValueError:
            return None
    if not isinstance(start, dt.datetime):
        return None
    if start.date() in PLACEHOLDER_START_DAYS or start == FILLER_START:
        return None
    return start


def _start_datetime(date: str, time: str, recording_field: str) -> dt.datetime | None:
    # EDF+ says "Startdate X" in the recording field when the start date is not known (an
    # anonymised file); the header's date and time (often 01.01.85 00.00.00) are then
    # placeholders, not the time the recording began
    if re.match(r"Startdate X\b", recording_field.strip()):
        return None
    try:
        day, month, year = (int(x) for x in date.split("."))
        hour, minute, second = (int(x) for x in time.split("."))
        year += 1900 if year >= 85 else 2000  # EDF spec: years 85-99 are 1985-1999
        m = re.search(r"Startdate (\d{2}-[A-Z]{3}-\d{4})", recording_field)
        if m:  # EDF+ keeps the 4-digit year in the recording field
            year = dt.datetime.strptime(m.group(1).title(), "%d-%b-%Y").year
        return dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


def _shifted(start: dt.datetime | None, seconds: float) -> dt.datetime | None:
    return start if start is None or not seconds else start + dt.timedelta(seconds=seconds)
