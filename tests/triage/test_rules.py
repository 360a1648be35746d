"""Every rule, with a case just inside and just outside each of its thresholds."""

from __future__ import annotations

from typing import Any

import pytest

from spasmwatch.case import VOCABULARIES
from spasmwatch.testing.triage.casebuild import NOW, at, case, ep, seizure, spasm_series
from spasmwatch.triage import RULES, SOURCES, triage
from spasmwatch.triage.emergency import AGE_FREE_RULES
from spasmwatch.triage.engine import COUNT_NOT_GIVEN
from spasmwatch.triage.facts import counted_movements

# (rule id, what is tested, a case where it fires, a case where it does not)
THRESHOLDS: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    *(
        (
            "red-flag-" + flag.replace("_", "-"),
            "red flag present",
            case(6, ep(red_flags=[flag])),
            case(6, ep()),
        )
        for flag in VOCABULARIES["red_flags"]
    ),
    (
        "seizure-5-minutes",
        "5 minutes",
        case(30, seizure(episode_minutes=5)),
        case(30, seizure(episode_minutes=4.9)),
    ),
    (
        "seizure-5-minutes",
        "one long movement",
        case(30, seizure(episode_minutes=None, movement_seconds=300)),
        case(30, seizure(episode_minutes=None, movement_seconds=299)),
    ),
    (
        "seizure-5-minutes",
        "only for seizure-like episodes",
        case(30, seizure(episode_minutes=10)),
        case(30, ep(movements=["tremor"], episode_minutes=10)),
    ),
    (
        "seizure-5-minutes",
        "not on an episode with the 5-minute warning sign (its red flag says it)",
        case(30, seizure(episode_minutes=5, red_flags=["blue_or_grey"])),
        case(30, seizure(episode_minutes=5, red_flags=["seizure_5_minutes"])),
    ),
    (
        "seizures-without-recovery",
        "two seizures, not responsive",
        case(30, seizure(count=2)),
        case(30, seizure(count=1)),
    ),
    (
        "seizures-without-recovery",
        "second within an hour of a slow recovery",
        case(30, seizure(started_at=at(2), after=["slow_to_recover"]), seizure(started_at=at(1))),
        case(
            30,
            seizure(started_at=at(2.02), after=["slow_to_recover"]),
            seizure(started_at=at(1)),
        ),
    ),
    (
        "fever-under-3-months",
        "38.0 C",
        case(2, ep(fever_c=38.0)),
        case(2, ep(fever_c=37.9)),
    ),
    (
        "fever-under-3-months",
        "3 months",
        case(2.99, ep(fever_c=38.5)),
        case(3.0, ep(fever_c=38.5)),
    ),
    (
        "first-seizure-now",
        "within the hour",
        case(30, seizure(started_at=at(1.0))),
        case(30, seizure(started_at=at(1.02))),
    ),
    (
        "first-seizure-now",
        "not a first seizure",
        case(30, seizure(started_at=at(0.1))),
        case(30, seizure(started_at=at(0.1)), conditions=["epilepsy"]),
    ),
    (
        "first-seizure-now",
        "one seizure-like episode in the diary",
        case(30, seizure(started_at=at(0.1))),
        case(30, seizure(started_at=at(0.1)), seizure(started_at=at(72))),
    ),
    (
        "first-seizure-now",
        "no spasm-like episode besides it",
        case(6, ep(movements=["hiccups"], started_at=at(30)), seizure(started_at=at(0.1))),
        case(6, spasm_series(started_at=at(30)), seizure(started_at=at(0.1))),
    ),
    (
        "seizure-now",
        "spasm-like episodes besides it",
        case(6, spasm_series(started_at=at(30)), seizure(started_at=at(0.1))),
        case(6, ep(movements=["hiccups"], started_at=at(30)), seizure(started_at=at(0.1))),
    ),
    (
        "seizure-now",
        "an earlier seizure-like episode in the diary",
        case(30, seizure(started_at=at(0.1)), seizure(started_at=at(72))),
        case(30, seizure(started_at=at(0.1))),
    ),
    (
        "seizure-now",
        "within the hour",
        case(30, seizure(started_at=at(1.0)), seizure(started_at=at(72))),
        case(30, seizure(started_at=at(1.02)), seizure(started_at=at(72))),
    ),
    (
        "seizure-now",
        "not known to the doctors",
        case(30, seizure(started_at=at(0.1)), seizure(started_at=at(72))),
        case(30, seizure(started_at=at(0.1)), seizure(started_at=at(72)), conditions=["epilepsy"]),
    ),
    (
        "startle-series",
        "count 3",
        case(5, spasm_series(movements=["startle"], count=3)),
        case(5, spasm_series(movements=["startle"], count=2)),
    ),
    (
        "startle-series",
        "gap 60 s",
        case(5, spasm_series(movements=["startle"], interval_seconds=60)),
        case(5, spasm_series(movements=["startle"], interval_seconds=61)),
    ),
    (
        "startle-series",
        "age 1 month",
        case(1.0, spasm_series(movements=["startle"])),
        case(0.99, spasm_series(movements=["startle"])),
    ),
    (
        "startle-series",
        "age 24 months",
        case(24, spasm_series(movements=["startle"])),
        case(24.01, spasm_series(movements=["startle"])),
    ),
    (
        "startle-series",
        "not in sleep",
        case(5, spasm_series(movements=["startle"], state="just_woke")),
        case(5, spasm_series(movements=["startle"], state="asleep")),
    ),
    (
        "startle-series",
        "startles",
        case(5, spasm_series(movements=["startle", "hiccups"])),
        case(5, spasm_series(movements=["hiccups"])),
    ),
    ("spasm-series", "count 3", case(6, spasm_series(count=3)), case(6, spasm_series(count=2))),
    (
        "spasm-series",
        "gap 60 s",
        case(6, spasm_series(interval_seconds=60)),
        case(6, spasm_series(interval_seconds=61)),
    ),
    (
        "spasm-series",
        "movement 0.3 s",
        case(6, spasm_series(movement_seconds=0.3)),
        case(6, spasm_series(movement_seconds=0.29)),
    ),
    (
        "spasm-series",
        "movement 3 s",
        case(6, spasm_series(movement_seconds=3.0)),
        case(6, spasm_series(movement_seconds=3.1)),
    ),
    ("spasm-series", "age 1 month", case(1.0, spasm_series()), case(0.99, spasm_series())),
    ("spasm-series", "age 24 months", case(24, spasm_series()), case(24.01, spasm_series())),
    (
        "spasm-series",
        "not in sleep",
        case(6, spasm_series(state="just_woke")),
        case(6, spasm_series(state="asleep")),
    ),
    (
        "spasm-series",
        "spasm-type movements",
        case(6, spasm_series(movements=["trunk_crunch"])),
        case(6, spasm_series(movements=["limb_jerk"])),
    ),
    (
        "spasm-series-outside-age",
        "over 24 months",
        case(24.01, spasm_series()),
        case(24, spasm_series()),
    ),
    (
        "spasm-series-outside-age",
        "under 1 month",
        case(0.99, spasm_series()),
        case(1.0, spasm_series()),
    ),
    (
        "spasm-subtle-series",
        "only subtle forms",
        case(10, spasm_series(movements=["facial_twitch"])),
        case(10, spasm_series(movements=["facial_twitch", "limb_jerk"])),
    ),
    (
        "spasm-subtle-series",
        "count 3",
        case(10, spasm_series(movements=["eye_roll_up"], count=3)),
        case(10, spasm_series(movements=["eye_roll_up"], count=2)),
    ),
    (
        "spasm-on-waking",
        "2 movements on waking",
        case(6, spasm_series(state="just_woke", count=2)),
        case(6, spasm_series(state="just_woke", count=1)),
    ),
    (
        "spasm-on-waking",
        "on waking only",
        case(6, spasm_series(state="just_woke", count=2)),
        case(6, spasm_series(state="awake", count=2)),
    ),
    (
        "spasm-waking-pattern",
        "half on waking",
        case(
            6,
            ep(movements=["head_nod"], state="just_woke", count=1),
            ep(movements=["head_nod"], state="just_woke", count=1),
            ep(movements=["head_nod"], state="awake", count=1),
            ep(movements=["head_nod"], state="awake", count=1),
        ),
        case(
            6,
            ep(movements=["head_nod"], state="just_woke", count=1),
            ep(movements=["head_nod"], state="just_woke", count=1),
            ep(movements=["head_nod"], state="awake", count=1),
            ep(movements=["head_nod"], state="awake", count=1),
            ep(movements=["head_nod"], state="awake", count=1),
        ),
    ),
    (
        "spasm-waking-pattern",
        "at least 2 on waking",
        case(
            6,
            ep(movements=["head_nod"], state="just_woke", count=1),
            ep(movements=["head_nod"], state="just_woke", count=1),
        ),
        case(6, ep(movements=["head_nod"], state="just_woke", count=1)),
    ),
    (
        "spasm-clusters-several-days",
        "2 days",
        case(6, spasm_series(started_at=at(30)), spasm_series(started_at=at(2))),
        case(6, spasm_series(started_at=at(3)), spasm_series(started_at=at(2))),
    ),
    (
        "spasm-with-regression",
        "lost skills",
        case(6, ep(movements=["head_nod"]), development="lost_skills"),
        case(6, ep(movements=["head_nod"]), development="slower"),
    ),
    *(
        (
            "spasm-risk-condition",
            condition,
            case(8, ep(movements=["head_nod"]), conditions=[condition]),
            case(8, ep(movements=["head_nod"]), conditions=["reflux"]),
        )
        for condition in (
            "tuberous_sclerosis",
            "down_syndrome",
            "brain_injury",
            "brain_malformation",
            "genetic_syndrome",
        )
    ),
    (
        "spasm-risk-condition",
        "up to 24 months",
        case(24, ep(movements=["head_nod"]), conditions=["down_syndrome"]),
        case(24.01, ep(movements=["head_nod"]), conditions=["down_syndrome"]),
    ),
    (
        "spasms-returning",
        "diagnosed before",
        case(14, ep(movements=["trunk_crunch"]), conditions=["infantile_spasms"]),
        case(14, ep(movements=["trunk_crunch"]), conditions=["epilepsy"]),
    ),
    (
        "lost-skills",
        "regression",
        case(9, development="lost_skills"),
        case(9, development="on_track"),
    ),
    (
        "afebrile-seizure-under-2",
        "under 24 months",
        case(23.9, seizure()),
        case(24, seizure()),
    ),
    (
        "afebrile-seizure-under-2",
        "without fever",
        case(12, seizure(fever_c=37.9)),
        case(12, seizure(fever_c=38.0)),
    ),
    (
        "focal-seizure",
        "one side",
        case(40, seizure(side="left")),
        case(40, seizure(side="both")),
    ),
    (
        "focal-seizure",
        "eyes to one side",
        case(40, seizure(movements=["eye_deviation"])),
        case(40, seizure(movements=["staring"], responsive="yes")),
    ),
    (
        "focal-twitching",
        "30 seconds",
        case(72, ep(movements=["facial_twitch"], side="left", episode_minutes=0.5)),
        case(72, ep(movements=["facial_twitch"], side="left", episode_minutes=0.48)),
    ),
    (
        "focal-twitching",
        "one side",
        case(72, ep(movements=["limb_jerk"], side="right", episode_minutes=2, responsive="yes")),
        case(72, ep(movements=["limb_jerk"], side="both", episode_minutes=2, responsive="yes")),
    ),
    (
        "focal-twitching",
        "twitching, not other movements",
        case(72, ep(movements=["facial_twitch"], side="left", movement_seconds=30)),
        case(72, ep(movements=["neck_twist"], side="left", movement_seconds=30)),
    ),
    (
        "focal-twitching",
        "not sleep twitches that stop on waking",
        case(5, ep(side="left", state="asleep", stops_when_woken="not_tried", episode_minutes=3)),
        case(5, ep(side="left", state="asleep", stops_when_woken="yes", episode_minutes=3)),
    ),
    (
        "focal-twitching",
        "not the child's usual seizure",
        case(96, ep(movements=["facial_twitch"], side="left", episode_minutes=1)),
        case(
            96,
            ep(
                movements=["facial_twitch"], side="left", episode_minutes=1, typical_for_child="yes"
            ),
            conditions=["epilepsy"],
        ),
    ),
    (
        "first-seizure",
        "no known seizures",
        case(40, seizure()),
        case(40, seizure(), conditions=["previous_seizures"]),
    ),
    (
        "first-seizure",
        "the only seizure-like episode",
        case(40, seizure(started_at=at(1)), ep(movements=["hiccups"], started_at=at(50))),
        case(40, seizure(started_at=at(1)), seizure(started_at=at(50))),
    ),
    (
        "first-seizure",
        "not after one within 24 hours",
        case(40, seizure(started_at=at(1))),
        case(40, seizure(started_at=at(1)), seizure(started_at=at(20))),
    ),
    (
        "first-seizure",
        "no spasm-like episode besides it (spasms are seizures too)",
        case(6, ep(movements=["hiccups"], started_at=at(30)), seizure(started_at=at(5))),
        case(6, spasm_series(started_at=at(30)), seizure(started_at=at(5))),
    ),
    (
        "first-seizure",
        "a seizure-like series of spasm-like movements alone is still a first seizure",
        case(7, spasm_series(movements=["head_nod", "stiffening"], started_at=at(2))),
        case(
            7,
            spasm_series(started_at=at(30)),
            spasm_series(movements=["head_nod", "stiffening"], started_at=at(2)),
        ),
    ),
    (
        "seizure-besides-spasms",
        "spasm-like episodes besides it",
        case(6, spasm_series(started_at=at(30)), seizure(started_at=at(5))),
        case(6, ep(movements=["hiccups"], started_at=at(30)), seizure(started_at=at(5))),
    ),
    (
        "seizure-besides-spasms",
        "not itself spasm-like (the spasm rules speak about it)",
        case(6, spasm_series(started_at=at(30)), seizure(started_at=at(5))),
        case(
            6,
            spasm_series(started_at=at(30)),
            spasm_series(movements=["head_nod", "stiffening"], started_at=at(5)),
        ),
    ),
    (
        "seizure-besides-spasms",
        "the only seizure-like episode (more: seizure-more-than-once)",
        case(6, spasm_series(started_at=at(80)), seizure(started_at=at(5))),
        case(6, spasm_series(started_at=at(80)), seizure(started_at=at(50)), seizure()),
    ),
    (
        "seizure-besides-spasms",
        "no known seizures",
        case(6, spasm_series(started_at=at(30)), seizure(started_at=at(5))),
        case(
            6,
            spasm_series(started_at=at(30)),
            seizure(started_at=at(5)),
            conditions=["previous_seizures"],
        ),
    ),
    (
        "seizure-besides-spasms",
        "spasm-like: any spasm rule (one head nod, with tuberous sclerosis)",
        case(
            6,
            ep(movements=["head_nod"], started_at=at(30)),
            seizure(started_at=at(5)),
            conditions=["tuberous_sclerosis"],
        ),
        case(6, ep(movements=["head_nod"], started_at=at(30)), seizure(started_at=at(5))),
    ),
    (
        "seizure-recurrence-24h",
        "24 hours",
        case(40, seizure(started_at=at(25)), seizure(started_at=at(1))),
        case(40, seizure(started_at=at(25.1)), seizure(started_at=at(1))),
    ),
    (
        "seizure-more-than-once",
        "two seizure-like episodes, not one",
        case(40, seizure(started_at=at(50)), seizure(started_at=at(1))),
        case(40, seizure(started_at=at(1))),
    ),
    (
        "seizure-more-than-once",
        "beyond 24 hours (within them: the recurrence rule)",
        case(40, seizure(started_at=at(25.1)), seizure(started_at=at(1))),
        case(40, seizure(started_at=at(25)), seizure(started_at=at(1))),
    ),
    (
        "seizure-more-than-once",
        "no known seizures",
        case(40, seizure(started_at=at(50)), seizure(started_at=at(1))),
        case(
            40,
            seizure(started_at=at(50)),
            seizure(started_at=at(1)),
            conditions=["previous_seizures"],
        ),
    ),
    (
        "seizure-more-than-once",
        "the second one seizure-like",
        case(40, seizure(), seizure()),
        case(40, seizure(), ep(movements=["hiccups"])),
    ),
    (
        "febrile-seizure-simple",
        "from 6 months",
        case(6, seizure(fever_c=39)),
        case(5.9, seizure(fever_c=39)),
    ),
    (
        "febrile-seizure-simple",
        "to 60 months",
        case(60, seizure(fever_c=39)),
        case(60.1, seizure(fever_c=39)),
    ),
    (
        "febrile-seizure-simple",
        "under 15 minutes",
        case(20, seizure(fever_c=39, episode_minutes=14.9)),
        case(20, seizure(fever_c=39, episode_minutes=15)),
    ),
    (
        "febrile-seizure-simple",
        "generalised",
        case(20, seizure(fever_c=39, side="both")),
        case(20, seizure(fever_c=39, side="right")),
    ),
    (
        "febrile-seizure-simple",
        "with fever",
        case(20, seizure(fever_c=38.0)),
        case(20, seizure(fever_c=37.9)),
    ),
    (
        "febrile-seizure-under-6-months",
        "6 months",
        case(5.9, seizure(fever_c=39)),
        case(6, seizure(fever_c=39)),
    ),
    (
        "febrile-seizure-focal",
        "one side",
        case(20, seizure(fever_c=39, side="left")),
        case(20, seizure(fever_c=39, side="unknown")),
    ),
    (
        "febrile-seizure-long",
        "15 minutes",
        case(20, seizure(fever_c=39, episode_minutes=15)),
        case(20, seizure(fever_c=39, episode_minutes=14.9)),
    ),
    (
        "febrile-seizure-repeated",
        "within 24 h",
        case(20, seizure(fever_c=39, started_at=at(23.9)), seizure(fever_c=39, started_at=at(0))),
        case(20, seizure(fever_c=39, started_at=at(24.1)), seizure(fever_c=39, started_at=at(0))),
    ),
    (
        "febrile-seizure-repeated",
        "two in one episode",
        case(20, seizure(fever_c=39, count=2, responsive="yes")),
        case(20, seizure(fever_c=39, count=1)),
    ),
    (
        "febrile-seizure-older",
        "over 60 months",
        case(60.1, seizure(fever_c=39)),
        case(60, seizure(fever_c=39)),
    ),
    (
        "known-epilepsy-typical",
        "typical, recovered",
        case(40, seizure(typical_for_child="yes"), conditions=["epilepsy"]),
        case(
            40, seizure(typical_for_child="yes", after=["slow_to_recover"]), conditions=["epilepsy"]
        ),
    ),
    (
        "known-epilepsy-typical",
        "said typical",
        case(40, seizure(typical_for_child="yes"), conditions=["epilepsy"]),
        case(40, seizure(typical_for_child="unknown"), conditions=["epilepsy"]),
    ),
    (
        "known-epilepsy-different",
        "different from usual",
        case(40, seizure(typical_for_child="no"), conditions=["epilepsy"]),
        case(40, seizure(typical_for_child="yes"), conditions=["epilepsy"]),
    ),
    (
        "slow-recovery",
        "slow to recover",
        case(40, ep(after=["slow_to_recover"])),
        case(40, ep(after=["sleepy"])),
    ),
    (
        "escalating",
        "twice the first day",
        case(
            10,
            ep(started_at=at(50), count=10),
            ep(started_at=at(26), count=15),
            ep(started_at=at(2), count=20),
        ),
        case(
            10,
            ep(started_at=at(50), count=10),
            ep(started_at=at(26), count=15),
            ep(started_at=at(2), count=19),
        ),
    ),
    (
        "escalating",
        "still rising: the last day at least any day before",
        case(
            10,
            ep(started_at=at(50), count=4),
            ep(started_at=at(26), count=12),
            ep(started_at=at(2), count=12),
        ),
        case(
            10,
            ep(started_at=at(50), count=4),
            ep(started_at=at(26), count=12),
            ep(started_at=at(2), count=11),
        ),
    ),
    (
        "escalating",
        "3 days",
        case(
            10,
            ep(started_at=at(50), count=10),
            ep(started_at=at(26), count=15),
            ep(started_at=at(2), count=40),
        ),
        case(10, ep(started_at=at(26), count=10), ep(started_at=at(2), count=40)),
    ),
    (
        "hyperekplexia-like",
        "first year",
        case(11.9, ep(movements=["startle", "stiffening"], responsive="yes")),
        case(12, ep(movements=["startle", "stiffening"], responsive="yes")),
    ),
    (
        "development-slower",
        "late milestones",
        case(9, development="slower"),
        case(9, development="unknown"),
    ),
    (
        "unexplained-movements",
        "no harmless pattern",
        case(9, ep(movements=["facial_twitch"], state="awake")),
        case(9, ep(movements=["hiccups"])),
    ),
    (
        "single-startle-awake",
        "under 6 months (the Moro reflex)",
        case(5.9, ep(movements=["startle"], state="awake", count=1)),
        case(6.0, ep(movements=["startle"], state="awake", count=1)),
    ),
    (
        "single-startle-awake",
        "a single startle, not two in a row",
        case(5, ep(movements=["startle"], state="awake", count=1)),
        case(5, ep(movements=["startle"], state="awake", count=2)),
    ),
    (
        "single-startle-awake",
        "awake, not just waking",
        case(5, ep(movements=["startle", "arms_up"], state="awake", count=1)),
        case(5, ep(movements=["startle", "arms_up"], state="just_woke", count=1)),
    ),
    (
        "single-startle-awake",
        "a startle, not a head nod with it",
        case(5, ep(movements=["startle", "legs_drawn_up"], state="awake", count=1)),
        case(5, ep(movements=["startle", "head_nod"], state="awake", count=1)),
    ),
    (
        "single-startle-awake",
        "named a startle, not arms flung up alone",
        case(5, ep(movements=["startle", "arms_up"], state="awake", count=1)),
        case(5, ep(movements=["arms_up"], state="awake", count=1)),
    ),
    (
        "single-startle-awake",
        "nothing set it off (a noise makes it the look-alike's)",
        case(5, ep(movements=["startle"], state="awake", count=1, triggers=["excitement"])),
        case(5, ep(movements=["startle"], state="awake", count=1, triggers=["noise_or_touch"])),
    ),
    (
        "single-startle-awake",
        "not sleepy afterwards",
        case(5, ep(movements=["startle"], state="awake", count=1, after=["cried"])),
        case(5, ep(movements=["startle"], state="awake", count=1, after=["sleepy"])),
    ),
    (
        "single-startle-awake",
        "responsive",
        case(5, ep(movements=["startle"], state="awake", count=1, responsive="yes")),
        case(5, ep(movements=["startle"], state="awake", count=1, responsive="no")),
    ),
    (
        "single-startle-awake",
        "no warning sign (an emergency rule speaks for it)",
        case(5, ep(movements=["startle"], state="awake", count=1)),
        case(5, ep(movements=["startle"], state="awake", count=1, red_flags=["blue_or_grey"])),
    ),
    (
        "lookalike-sleep-myoclonus",
        "under 6 months",
        case(5.9, ep(state="asleep", stops_when_woken="yes", count=10)),
        case(6.0, ep(state="asleep", stops_when_woken="yes", count=10)),
    ),
    (
        "lookalike-sleep-myoclonus",
        "stops on waking",
        case(1, ep(state="asleep", stops_when_woken="yes", count=10)),
        case(1, ep(state="asleep", stops_when_woken="no", count=10)),
    ),
    (
        "lookalike-sleep-myoclonus",
        "only in sleep",
        case(1, ep(state="asleep", stops_when_woken="yes", count=10)),
        case(1, ep(state="awake", stops_when_woken="yes", count=10)),
    ),
    (
        "lookalike-hypnic-jerk",
        "one or two jerks",
        case(20, ep(state="drowsy", count=2)),
        case(20, ep(state="drowsy", count=3)),
    ),
    (
        "lookalike-jitteriness",
        "under 3 months",
        case(2.9, ep(movements=["tremor"], stops_when_held="yes")),
        case(3.0, ep(movements=["tremor"], stops_when_held="yes")),
    ),
    (
        "lookalike-jitteriness",
        "stops when held",
        case(1, ep(movements=["tremor"], stops_when_held="yes")),
        case(1, ep(movements=["tremor"], stops_when_held="no")),
    ),
    (
        "lookalike-startle",
        "after noise or touch",
        case(2, ep(movements=["startle", "arms_up"], triggers=["noise_or_touch"])),
        case(2, ep(movements=["startle", "arms_up"], triggers=["feeding"])),
    ),
    (
        "lookalike-startle",
        "under 6 months",
        case(5.9, ep(movements=["startle"], triggers=["position_change"])),
        case(6.0, ep(movements=["startle"], triggers=["position_change"])),
    ),
    ("lookalike-hiccups", "hiccups only", case(3, ep(movements=["hiccups"])), case(3, ep())),
    (
        "lookalike-self-soothing",
        "stops with distraction",
        case(14, ep(movements=["rhythmic_jerking"], stops_with_distraction="yes")),
        case(14, ep(movements=["rhythmic_jerking"], stops_with_distraction="no")),
    ),
    (
        "lookalike-shuddering",
        "from 4 months",
        case(4.0, ep(movements=["shivering"], state="feeding", movement_seconds=5)),
        case(3.9, ep(movements=["shivering"], state="feeding", movement_seconds=5)),
    ),
    (
        "lookalike-shuddering",
        "to 24 months",
        case(24, ep(movements=["shivering"], state="awake", movement_seconds=5)),
        case(24.1, ep(movements=["shivering"], state="awake", movement_seconds=5)),
    ),
    (
        "lookalike-shuddering",
        "up to 15 s",
        case(10, ep(movements=["shivering"], state="awake", movement_seconds=15)),
        case(10, ep(movements=["shivering"], state="awake", movement_seconds=15.1)),
    ),
    (
        "lookalike-reflux-arching",
        "with feeds",
        case(3, ep(movements=["arching", "neck_twist"], state="feeding")),
        case(3, ep(movements=["arching", "neck_twist"], state="awake")),
    ),
    (
        "spasm-subtle-series",
        "grimaces with fluttering eyelids, not eyelids alone",
        case(7, ep(movements=["facial_twitch", "eyelid_flutter"], count=4, state="awake")),
        case(7, ep(movements=["eyelid_flutter"], count=4, state="awake")),
    ),
    (
        "sleep-jerks-go-on-when-woken",
        "went on after waking",
        case(3, ep(state="asleep", count=12, stops_when_woken="no")),
        case(3, ep(state="asleep", count=12, stops_when_woken="not_tried")),
    ),
    (
        "sleep-jerks-go-on-when-woken",
        "under 2 years",
        case(23.9, ep(state="asleep", count=12, stops_when_woken="no")),
        case(24, ep(state="asleep", count=12, stops_when_woken="no")),
    ),
    (
        "sleep-jerks-go-on-when-woken",
        "in sleep",
        case(3, ep(state="drowsy", count=12, stops_when_woken="no")),
        case(3, ep(state="awake", count=12, stops_when_woken="no")),
    ),
    (
        "lookalike-sleep-twitch",
        "one to three twitches",
        case(10, ep(state="asleep", movements=["facial_twitch"], count=3)),
        case(10, ep(state="asleep", movements=["facial_twitch"], count=4)),
    ),
    (
        "lookalike-sleep-twitch",
        "not when waking did not stop them",
        case(10, ep(state="asleep", movements=["eyelid_flutter"], stops_when_woken="yes")),
        case(10, ep(state="asleep", movements=["eyelid_flutter"], stops_when_woken="no")),
    ),
    (
        "lookalike-sleep-twitch",
        "small twitches only",
        case(10, ep(state="asleep", movements=["limb_jerk"], count=2)),
        case(10, ep(state="asleep", movements=["limb_jerk", "arms_up"], count=2)),
    ),
    (
        "seizure-5-minutes",
        "no movement seen, 5 minutes",
        case(16, ep(movements=[], episode_minutes=5)),
        case(16, ep(movements=["hiccups"], episode_minutes=5)),
    ),
    (
        "afebrile-seizure-under-2",
        "sleep jerks that stop on waking are not seizure-like",
        case(1, ep(movements=["rhythmic_jerking"], state="asleep", stops_when_woken="no")),
        case(1, ep(movements=["rhythmic_jerking"], state="asleep", stops_when_woken="yes")),
    ),
    (
        "seizure-5-minutes",
        "stopping on waking never cancels an emergency",
        case(
            1,
            ep(
                movements=["rhythmic_jerking"],
                state="asleep",
                stops_when_woken="yes",
                episode_minutes=5,
            ),
        ),
        case(
            1,
            ep(
                movements=["rhythmic_jerking"],
                state="asleep",
                stops_when_woken="yes",
                episode_minutes=4.9,
            ),
        ),
    ),
]


def fired(data: dict[str, Any]) -> set[str]:
    """Ids of the rules that fire on a case."""
    return {r.rule for r in triage(data, now=NOW).reasons}


@pytest.mark.parametrize(
    ("rule_id", "inside", "outside"),
    [pytest.param(r, i, o, id=f"{r}: {what}") for r, what, i, o in THRESHOLDS],
)
def test_threshold(rule_id: str, inside: dict[str, Any], outside: dict[str, Any]) -> None:
    assert rule_id in fired(inside)
    assert rule_id not in fired(outside)


def test_every_rule_is_tested_on_both_sides() -> None:
    tested = {row[0] for row in THRESHOLDS}
    assert {r.id for r in RULES} - tested == set()


def test_every_rule_has_id_reason_and_known_source() -> None:
    for rule in RULES:
        assert rule.id and rule.id == rule.id.lower()
        assert len(rule.reason) > 20
        assert rule.source in SOURCES
        assert rule.level in ("emergency", "same_day", "soon", "routine")


#: What each benign look-alike's source must be about: the look-alike it names harmless.
LOOKALIKE_SOURCE_WORDS = {
    "lookalike-sleep-myoclonus": "sleep myoclonus",
    "lookalike-sleep-twitch": "Baby twitches in sleep",
    "lookalike-hypnic-jerk": "hypnagogic jerk",
    "lookalike-jitteriness": "jitteriness",
    "lookalike-startle": "Moro",
    "lookalike-hiccups": "Hiccups",
    "lookalike-self-soothing": "self-soothing",
    "lookalike-shuddering": "shuddering attacks",
    "lookalike-reflux-arching": "Sandifer",
}


def test_every_benign_look_alike_cites_a_source_about_itself() -> None:
    """A look-alike called harmless cites a source that says so of that look-alike: hiccups
    are not sleep myoclonus, and the Moro reflex is not the safety principle."""
    lookalikes = {r.id: r for r in RULES if r.group == "lookalike"}
    assert set(lookalikes) == set(LOOKALIKE_SOURCE_WORDS)
    for rule_id, words in LOOKALIKE_SOURCE_WORDS.items():
        assert words.lower() in lookalikes[rule_id].source_text.lower(), rule_id
        assert lookalikes[rule_id].source != "design", rule_id
    hiccups = lookalikes["lookalike-hiccups"].source_text
    assert "myoclonus" not in hiccups and "HealthyChildren.org" in hiccups
    # the answer cites it too, as every page and the report show it
    (reason,) = triage(case(3, ep(movements=["hiccups"])), now=NOW).reasons
    assert reason.rule == "lookalike-hiccups" and reason.source == SOURCES["hiccups"]


def test_every_red_flag_alone_is_an_emergency() -> None:
    for flag in VOCABULARIES["red_flags"]:
        assert triage(case(30, ep(red_flags=[flag])), now=NOW).level == "emergency"
        # ... also with no movement named at all
        result = triage(case(30, {"red_flags": [flag]}), now=NOW)
        assert result.level == "emergency"
        assert result.reasons[0].rule == "red-flag-" + flag.replace("_", "-")


def test_an_episode_naming_no_movement_counts_none_and_is_still_an_emergency() -> None:
    """The summaries and charts count an episode's ``count``, 1 when it names a movement
    without one, and none when it names no movement (a warning sign alone); the triage
    does not read that count: the warning sign alone is an emergency."""
    assert counted_movements(None, []) == 0
    assert counted_movements(None, ()) == 0
    assert counted_movements(None, ["hiccups"]) == 1
    assert counted_movements(7, []) == 7
    assert counted_movements(7, ["head_nod"]) == 7
    for flag in VOCABULARIES["red_flags"]:
        alone = {"red_flags": [flag], "started_at": at(1)}
        assert counted_movements(alone.get("count"), alone.get("movements", [])) == 0
        assert triage(case(6, alone), now=NOW).level == "emergency"


@pytest.mark.parametrize(
    "episode",
    [
        ep(movements=["hiccups"]),
        ep(movements=["head_nod"], state="just_woke", count=10, movement_seconds=1),
        ep(state="asleep", count=30, stops_when_woken="yes", episode_minutes=20),
        ep(movements=["shivering"], triggers=["excitement"], responsive="yes"),
    ],
)
def test_a_seizure_of_5_minutes_is_an_emergency_whatever_the_movements(
    episode: dict[str, Any],
) -> None:
    """The warning sign "a seizure that went on for 5 minutes or more" is a red flag: an
    emergency with its cited rule even when the movements named look harmless."""
    flagged = triage(case(8, {**episode, "red_flags": ["seizure_5_minutes"]}), now=NOW)
    assert flagged.level == "emergency"
    assert flagged.reasons[0].rule == "red-flag-seizure-5-minutes"
    assert "Trinka" in flagged.reasons[0].source
    # Without the warning sign the episode is triaged on what was described.
    assert "red-flag-seizure-5-minutes" not in fired(case(8, episode))


def test_long_sleep_twitches_that_stop_on_waking_are_not_a_long_seizure() -> None:
    """Benign sleep myoclonus can go on for 20 minutes (Maurer et al., Pediatrics 2010);
    stopping as soon as the baby is woken, it is not the 5-minute seizure rule."""
    twitches = ep(state="asleep", side="both", count=40, stops_when_woken="yes", episode_minutes=20)
    result = triage(case(0.7, twitches, development="on_track"), now=NOW)
    assert result.level == "routine"
    assert "seizure-5-minutes" not in {r.rule for r in result.reasons}


def _reason(data: dict[str, Any], rule_id: str) -> Any:
    (reason,) = [r for r in triage(data, now=NOW).reasons if r.rule == rule_id]
    return reason


def test_a_diary_with_seizures_on_several_days_is_not_a_first_seizure() -> None:
    """Series of spasm-like movements with stiffening on two days: seizure-like twice, so
    not "a first seizure"; said as seizure-like episodes more than once, the spasm rules
    unchanged."""
    day_one = spasm_series(movements=["head_nod", "stiffening"], started_at=at(30))
    day_two = spasm_series(movements=["head_nod", "stiffening"], started_at=at(2))
    data = case(7, day_one, day_two)
    result = triage(data, now=NOW)
    rules = {r.rule for r in result.reasons}
    assert "first-seizure" not in rules
    assert {"spasm-series", "spasm-clusters-several-days", "seizure-more-than-once"} <= rules
    assert result.level == "same_day" and result.title.startswith("Possible infantile spasms")
    assert not any(r.text.startswith("This looks like a first seizure") for r in result.reasons)
    # Each day alone is one seizure-like episode: a first seizure.
    assert "first-seizure" in fired(case(7, day_two))


def _spasm_rules(result: Any) -> list[tuple[str, list[int], str]]:
    return [(r.rule, r.episodes, r.level) for r in result.reasons if r.rule.startswith("spasm")]


def test_a_seizure_in_a_diary_of_spasm_clusters_is_not_a_first_seizure() -> None:
    """Clusters of spasms on two days, then a generalised seizure: spasms are seizures, so
    this is another kind, not a first one; the spasm rules and the level are those of the
    spasms alone, the answer same-day either way."""
    spasms = [spasm_series(started_at=at(50)), spasm_series(started_at=at(26))]
    alone = triage(case(6, *spasms), now=NOW)
    result = triage(case(6, *spasms, seizure(started_at=at(5))), now=NOW)
    assert not any(
        "first seizure" in r.text and "not a first" not in r.text for r in result.reasons
    )
    assert {"first-seizure", "first-seizure-now"}.isdisjoint(r.rule for r in result.reasons)
    besides = _reason(case(6, *spasms, seizure(started_at=at(5))), "seizure-besides-spasms")
    assert besides.episodes == [2] and besides.level == "same_day" and besides.lowered_to is None
    assert "[design]" in besides.source and "NHS Scotland" in besides.source
    assert _spasm_rules(result) == _spasm_rules(alone)
    assert result.level == alone.level == "same_day"
    assert result.title == alone.title  # "Possible infantile spasms: contact a doctor today"


def test_a_seizure_happening_now_beside_spasms_is_not_called_first() -> None:
    """The emergency is the same; only its words change: "a seizure ... the diary holds
    other seizure-like or spasm-like episodes" instead of "a first seizure"."""
    spasms = spasm_series(started_at=at(30))
    result = triage(case(6, spasms, seizure(started_at=at(0.2))), now=NOW)
    rules = {r.rule for r in result.reasons}
    assert result.level == "emergency"
    assert "seizure-now" in rules and "first-seizure-now" not in rules
    assert "spasm-like" in _reason(case(6, spasms, seizure(started_at=at(0.2))), "seizure-now").text
    assert _spasm_rules(result) == _spasm_rules(triage(case(6, spasms), now=NOW))
    # Without the spasms it is a first seizure, and an emergency too.
    first = triage(case(6, seizure(started_at=at(0.2))), now=NOW)
    assert first.level == "emergency" and "first-seizure-now" in {r.rule for r in first.reasons}


def test_a_seizure_beside_spasms_outside_the_age_of_infantile_spasms() -> None:
    """A 3-year-old: the series is ``spasm-series-outside-age``, still spasm-like."""
    data = case(36, spasm_series(started_at=at(30)), seizure(started_at=at(5)))
    rules = {r.rule for r in triage(data, now=NOW).reasons}
    assert {"spasm-series-outside-age", "seizure-besides-spasms"} <= rules
    assert "first-seizure" not in rules
    assert triage(data, now=NOW).level == "same_day"


def test_seizures_within_and_beyond_24_hours_are_each_spoken_for() -> None:
    """Two within 24 hours are the recurrence rule's; one days before them is said to be
    one more; none of them is a first seizure."""
    data = case(
        40, seizure(started_at=at(100)), seizure(started_at=at(10)), seizure(started_at=at(2))
    )
    assert _reason(data, "seizure-recurrence-24h").episodes == [1, 2]
    assert _reason(data, "seizure-more-than-once").episodes == [0]
    assert "first-seizure" not in fired(data)
    assert triage(data, now=NOW).level == "same_day"


def test_two_seizures_without_a_start_are_more_than_once() -> None:
    """Without their times, recurrence within 24 hours cannot be told: still not a first."""
    data = case(40, seizure(), seizure())
    assert _reason(data, "seizure-more-than-once").episodes == [0, 1]
    assert {"first-seizure", "seizure-recurrence-24h"}.isdisjoint(fired(data))
    assert triage(data, now=NOW).level == "same_day"


def test_seizures_more_than_once_cites_the_first_seizure_guidance_and_the_design() -> None:
    reason = _reason(case(40, seizure(), seizure()), "seizure-more-than-once")
    assert "NHS Scotland" in reason.source and "[design]" in reason.source
    assert reason.level == "same_day"


@pytest.mark.parametrize(
    ("rule_id", "episode"),
    [
        ("lookalike-sleep-twitch", ep(state="asleep", movements=["facial_twitch"])),
        ("lookalike-hypnic-jerk", ep(state="drowsy")),
        ("lookalike-startle", ep(movements=["startle"], triggers=["noise_or_touch"])),
    ],
)
def test_a_look_alike_read_as_one_movement_says_the_count_was_not_given(
    rule_id: str, episode: dict[str, Any]
) -> None:
    """A rule that reads a missing count as one says its reason without a count, rather
    than telling the family that one to three were seen, and the answer says once, in its
    note, that the count was read as one; with a count given it says its usual reason and
    the answer has no note."""
    rule = next(r for r in RULES if r.id == rule_id)
    uncounted = _reason(case(4, episode), rule_id)
    assert uncounted.text == rule.reason_if_no_count
    assert triage(case(4, episode), now=NOW).note == COUNT_NOT_GIVEN
    counted = case(4, {**episode, "count": 1})
    assert _reason(counted, rule_id).text == rule.reason
    assert triage(counted, now=NOW).note is None
    # two episodes, one counted: the reason speaks for a count that was given
    both = _reason(case(4, episode, {**episode, "count": 2}), rule_id)
    assert both.episodes == [0, 1] and both.text == rule.reason
    assert triage(case(4, episode, {**episode, "count": 2}), now=NOW).note is None


def test_no_rule_text_says_the_count_was_not_given() -> None:
    """The reading of a missing count is the answer's to say, once (its note): no rule's
    reason says it, and none that reads no age has words for a count not given (a case
    without the age, whose note says so, never gets the count's note as well)."""
    for rule in RULES:
        for text in (rule.reason, rule.reason_if_no_count):
            assert "not given" not in text and "reads it as one" not in text, rule.id
    assert not any(rule.reason_if_no_count for rule in AGE_FREE_RULES)


def test_two_look_alikes_without_a_count_say_it_once() -> None:
    """A jerk of a limb in sleep, no count given: a sleep twitch and a sleep start (both
    read the count as one); each says its reason without a count, the note says the
    reading once."""
    result = triage(case(4, ep(state="asleep", movements=["limb_jerk"])), now=NOW)
    rules = {r.rule: r for r in result.reasons}
    assert {"lookalike-sleep-twitch", "lookalike-hypnic-jerk"} <= set(rules)
    for rule in RULES:
        if rule.id in ("lookalike-sleep-twitch", "lookalike-hypnic-jerk"):
            assert rules[rule.id].text == rule.reason_if_no_count
    assert result.note == COUNT_NOT_GIVEN
    assert result.level == "routine"
    said = " ".join([*(r.text for r in result.reasons), result.note or ""])
    assert said.count("was not given") == 1


def test_a_seizure_with_the_5_minute_warning_sign_is_said_once() -> None:
    """ "It's happening now", timed past 5 minutes: the episode carries the warning sign
    and lasted 5 minutes. Its red-flag rule says it (with the possibility of a long
    seizure); ``seizure-5-minutes`` does not say the same again. Both are emergencies:
    the level is the same. A long seizure without the sign, in the same diary, is still
    the 5-minute rule's; a seizure of under 5 minutes with the sign is the red flag's."""
    flagged = seizure(episode_minutes=6, red_flags=["seizure_5_minutes"], started_at=at(0.1))
    result = triage(case(30, flagged), now=NOW)
    rules = [r.rule for r in result.reasons]
    assert result.level == "emergency"
    assert "red-flag-seizure-5-minutes" in rules and "seizure-5-minutes" not in rules
    said = " ".join(r.text for r in result.reasons)
    assert said.count("5 minutes or more") == 1
    assert "prolonged_seizure" in {p.name for p in result.possibilities}
    # a long seizure without the sign beside it: the 5-minute rule speaks for that one only
    other = seizure(episode_minutes=7, started_at=at(30))
    diary = case(30, other, flagged)
    assert _reason(diary, "seizure-5-minutes").episodes == [0]
    assert _reason(diary, "red-flag-seizure-5-minutes").episodes == [1]
    # the sign with any other warning sign: the 5-minute rule still leaves it to the sign
    both = seizure(episode_minutes=6, red_flags=["seizure_5_minutes", "blue_or_grey"])
    assert "seizure-5-minutes" not in fired(case(30, both))
    # without the sign, the same episode is the 5-minute rule's, an emergency as before
    unflagged = triage(case(30, seizure(episode_minutes=6, started_at=at(0.1))), now=NOW)
    assert unflagged.level == "emergency"
    assert "seizure-5-minutes" in {r.rule for r in unflagged.reasons}


def test_a_series_of_startles_is_never_lowered_by_what_set_it_off() -> None:
    # Spasms are often taken for startles; a series of them on waking, even after a noise,
    # is the spasm rules' (benign features never cancel a spasm rule).
    data = case(
        5,
        spasm_series(
            movements=["startle"],
            state="just_woke",
            count=6,
            interval_seconds=5,
            triggers=["noise_or_touch"],
        ),
    )
    result = triage(data)
    assert result.level == "same_day"
    assert "startle-series" in fired(data)
