"""The times people say, in English and in Spanish, read as they mean them: 12 o'clock is
midnight or noon as the words say ("12 am", "12 de la madrugada"; "12 pm", "12 del
mediodía"), "de la mañana" is read with its "ñ", and a while ago is counted on the real
clock where the clock's zone is known, so that the night the clocks change does not move
the time by an hour."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from spasmwatch.freetext.times import spoken_time

#: Sunday 10 May 2026, 09:00, as the interview's clock is when no zone is given.
NOW = datetime(2026, 5, 10, 9, 0)
MADRID = ZoneInfo("Europe/Madrid")
#: 03:30 in Madrid on 29 March 2026, an hour after the clocks went from 02:00 to 03:00.
AFTER_SPRING = datetime(2026, 3, 29, 3, 30, tzinfo=MADRID)
#: 02:30 in Madrid on 25 October 2026, the second time: the clocks went from 03:00 back to 02:00.
AFTER_AUTUMN = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=MADRID)


def said(reply: str, now: datetime = NOW) -> str | None:
    read = spoken_time(reply, now)
    return read.strftime("%Y-%m-%d %H:%M") if read else None


@pytest.mark.parametrize(
    ("reply", "when"),
    [
        # midnight
        ("12 am", "2026-05-10 00:00"),
        ("12:30 am", "2026-05-10 00:30"),
        ("yesterday 12 am", "2026-05-09 00:00"),
        ("12 de la madrugada", "2026-05-10 00:00"),
        ("a las 12 de la madrugada", "2026-05-10 00:00"),
        ("a las 12 de la noche", "2026-05-10 00:00"),
        ("ayer a las 12 de la noche", "2026-05-09 00:00"),
        ("12:30 de la madrugada", "2026-05-10 00:30"),
        # noon: yesterday's, today's being still to come at 09:00
        ("12 pm", "2026-05-09 12:00"),
        ("12:15 pm", "2026-05-09 12:15"),
        ("12 del mediodía", "2026-05-09 12:00"),
        ("a las 12 del mediodia", "2026-05-09 12:00"),
        ("hoy a las 12 del mediodía", "2026-05-10 12:00"),
        ("1 del mediodía", "2026-05-09 13:00"),
        ("12 de la tarde", "2026-05-09 12:00"),
        # the morning, with its "ñ" as typed or without it
        ("7 de la mañana", "2026-05-10 07:00"),
        ("7 de la Mañana", "2026-05-10 07:00"),
        ("7 de la manana", "2026-05-10 07:00"),
        ("ayer a las 7:30 de la mañana", "2026-05-09 07:30"),
        ("10 de la mañana", "2026-05-09 10:00"),
        ("7 am", "2026-05-10 07:00"),
        # "mañana" alone is tomorrow, not a time
        ("mañana", None),
        ("mañana a las 7", None),
    ],
)
def test_twelve_o_clock_and_the_morning_as_people_say_them(reply: str, when: str | None) -> None:
    assert said(reply) == when


@pytest.mark.parametrize(
    ("reply", "when"),
    [
        ("hace 2 horas", "2026-03-29 00:30+0100"),
        ("2 hours ago", "2026-03-29 00:30+0100"),
        ("hace hora y media", "2026-03-29 01:00+0100"),
        ("an hour ago", "2026-03-29 01:30+0100"),
        ("hace 20 minutos", "2026-03-29 03:10+0200"),
        ("ahora", "2026-03-29 03:30+0200"),
        # a day and a time of day: the clock's time that day, with that day's offset
        ("ayer a las 7:30", "2026-03-28 07:30+0100"),
        ("yesterday 11 pm", "2026-03-28 23:00+0100"),
        ("23:00", "2026-03-28 23:00+0100"),
        ("1:15", "2026-03-29 01:15+0100"),
        ("hace 1 día", "2026-03-28 03:30+0100"),  # the same time of day, a day before
    ],
)
def test_a_while_ago_across_the_spring_change_of_the_clocks(reply: str, when: str) -> None:
    """At 03:30 on the night the clocks went forward, two hours ago was 00:30: the hour
    from 02:00 to 03:00 never was."""
    read = spoken_time(reply, AFTER_SPRING)
    assert read is not None and read.strftime("%Y-%m-%d %H:%M%z") == when
    assert read.tzinfo is MADRID


def test_a_while_ago_across_the_autumn_change_of_the_clocks() -> None:
    """At the second 02:30 of the night the clocks went back, an hour ago was the first
    02:30, and two hours ago 01:30."""
    hour = spoken_time("an hour ago", AFTER_AUTUMN)
    assert hour is not None and hour.strftime("%H:%M%z") == "02:30+0200"
    assert hour.astimezone(UTC) == AFTER_AUTUMN.astimezone(UTC) - timedelta(hours=1)
    assert said("hace 2 horas", AFTER_AUTUMN) == "2026-10-25 01:30"


def test_a_fixed_offset_keeps_the_real_time() -> None:
    """A clock given with an offset only (``--now 2026-03-29T03:30+02:00`` on a computer in
    another zone) names no zone's changes: the answer is the real time, in that offset."""
    now = datetime(2026, 3, 29, 3, 30, tzinfo=timezone(timedelta(hours=-5)))
    read = spoken_time("hace 2 horas", now)
    assert read == now - timedelta(hours=2) and read.utcoffset() == timedelta(hours=-5)
    utc = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert spoken_time("2 hours ago", utc) == datetime(2026, 3, 28, 23, 30, tzinfo=UTC)


def test_a_clock_without_a_zone_counts_on_the_wall_clock() -> None:
    """A naive clock has no zone whose changes could be known: two hours ago is the wall
    clock's, as always."""
    assert spoken_time("hace 2 horas", datetime(2026, 3, 29, 3, 30)) == datetime(2026, 3, 29, 1, 30)


def test_the_computers_own_zone_is_followed_across_the_change() -> None:
    """A clock in the computer's zone as Python gives it (``datetime.now().astimezone()``:
    an offset, +02:00, not the zone's name) is read as the computer's zone, so that its
    offset before the change (+01:00) is the one said; run on a computer in Madrid."""
    program = (
        "from datetime import datetime\n"
        "from spasmwatch.freetext.times import spoken_time\n"
        "now = datetime(2026, 3, 29, 3, 30).astimezone()\n"
        "for reply in ('hace 2 horas', 'ayer a las 7:30', '23:00', 'ahora'):\n"
        "    print(spoken_time(reply, now).isoformat())\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        env={**os.environ, "TZ": "Europe/Madrid"},
        timeout=60,
        check=True,
    )
    assert ran.stdout.split() == [
        "2026-03-29T00:30:00+01:00",
        "2026-03-28T07:30:00+01:00",
        "2026-03-28T23:00:00+01:00",
        "2026-03-29T03:30:00+02:00",
    ]
