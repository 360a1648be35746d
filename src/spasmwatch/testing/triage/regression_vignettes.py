"""The regression vignettes: the project's own, written from the clinical reference and the
seed articles, each with the level a careful clinician would give."""

from __future__ import annotations

from typing import Any

from spasmwatch.testing.triage.casebuild import NOW, at, case, ep, seizure, spasm_series

__all__ = ["NOW", "VIGNETTES"]

VIGNETTES: list[tuple[str, dict[str, Any], str]] = [
    # --- infantile spasms, typical
    (
        "6-month-old, clusters of head drops and arms flung up just after waking",
        case(6, spasm_series(state="just_woke", count=15, interval_seconds=5)),
        "same_day",
    ),
    (
        "5-month-old, tummy crunches in series every morning for 3 days",
        case(
            5,
            spasm_series(movements=["trunk_crunch"], started_at=at(52), state="just_woke"),
            spasm_series(movements=["trunk_crunch"], started_at=at(28), state="just_woke"),
            spasm_series(movements=["trunk_crunch"], started_at=at(4), state="just_woke"),
        ),
        "same_day",
    ),
    (
        "8-month-old, extension spasms (arching) in series, cries after",
        case(8, spasm_series(movements=["arching", "arms_up"], after=["cried"])),
        "same_day",
    ),
    (
        "4-month-old, one-sided spasm series (asymmetric spasms)",
        case(4, spasm_series(movements=["arms_up"], side="left")),
        "same_day",
    ),
    (
        "7-month-old with spasms and lost the ability to sit (seed 000)",
        case(7, spasm_series(), development="lost_skills"),
        "same_day",
    ),
    (
        "12-month-old, knees drawn up and head forward in series while drowsy",
        case(12, spasm_series(movements=["legs_drawn_up", "head_nod"], state="drowsy")),
        "same_day",
    ),
    (
        "2-month-old, series of spasms (early onset, alert at 1-2 months)",
        case(2, spasm_series()),
        "same_day",
    ),
    # --- subtle spasms
    (
        "9-month-old, repeated little head nods every few seconds",
        case(9, spasm_series(movements=["head_nod"], movement_seconds=0.5, count=8)),
        "same_day",
    ),
    (
        "6-month-old, eyes roll up again and again in a series",
        case(6, spasm_series(movements=["eye_roll_up"], count=6)),
        "same_day",
    ),
    (
        "10-month-old with Down syndrome, single head nods",
        case(10, ep(movements=["head_nod"], count=1), conditions=["down_syndrome"]),
        "same_day",
    ),
    (
        "5-month-old with tuberous sclerosis, a single tummy crunch",
        case(5, ep(movements=["trunk_crunch"]), conditions=["tuberous_sclerosis"]),
        "same_day",
    ),
    (
        "8-month-old after hypoxic brain injury, arms jerk up twice",
        case(8, ep(movements=["arms_up"], count=2), conditions=["brain_injury"]),
        "same_day",
    ),
    (
        "18-month-old, infantile spasms treated, head drops again",
        case(18, ep(movements=["head_nod"], count=4), conditions=["infantile_spasms"]),
        "same_day",
    ),
    (
        "spasm-like head nods, mostly on waking, over two days",
        case(
            7,
            ep(movements=["head_nod"], state="just_woke", started_at=at(30)),
            ep(movements=["head_nod"], state="just_woke", started_at=at(6)),
        ),
        "same_day",
    ),
    # --- febrile seizures
    (
        "20-month-old, 2-minute whole-body seizure with 39.5 C, second one ever",
        case(20, seizure(fever_c=39.5, after=["sleepy"]), conditions=["previous_seizures"]),
        "soon",
    ),
    (
        "18-month-old, first febrile seizure 3 hours ago, recovered",
        case(18, seizure(fever_c=39.1, started_at=at(3), after=["sleepy"])),
        "same_day",
    ),
    (
        "2-year-old, febrile seizure on the left side only",
        case(24, seizure(fever_c=39, side="left"), conditions=["previous_seizures"]),
        "same_day",
    ),
    (
        "3-year-old, two febrile seizures the same evening",
        case(
            36,
            seizure(fever_c=39.3, started_at=at(6)),
            seizure(fever_c=39.0, started_at=at(2)),
            conditions=["previous_seizures"],
        ),
        "same_day",
    ),
    (
        "4-month-old, seizure with fever 38.6 C",
        case(4, seizure(fever_c=38.6)),
        "same_day",
    ),
    (
        "2-month-old, fever 38.2 C and jerky arm",
        case(2, ep(fever_c=38.2)),
        "emergency",
    ),
    (
        "2-year-old, febrile seizure still going after 6 minutes",
        case(24, seizure(fever_c=40, episode_minutes=6)),
        "emergency",
    ),
    (
        "15-month-old, febrile seizure of 20 minutes (complex, and status)",
        case(15, seizure(fever_c=39.8, episode_minutes=20), conditions=["previous_seizures"]),
        "emergency",
    ),
    # --- status and red flags
    (
        "30-month-old, shaking for 7 minutes without fever",
        case(30, seizure(episode_minutes=7)),
        "emergency",
    ),
    (
        "3-year-old, two fits in a row without waking up in between",
        case(36, seizure(count=2, responsive="no"), conditions=["epilepsy"]),
        "emergency",
    ),
    (
        "spasm cluster but the baby turned blue",
        case(6, spasm_series(red_flags=["blue_or_grey"])),
        "emergency",
    ),
    (
        "jerks with fever, a stiff neck and a rash that does not fade",
        case(14, ep(fever_c=39.5, red_flags=["neck_stiffness", "rash"])),
        "emergency",
    ),
    (
        "baby fell and hit her head during the jerking",
        case(11, seizure(red_flags=["head_injury"])),
        "emergency",
    ),
    (
        "still not back to normal an hour after the episode",
        case(16, seizure(red_flags=["not_back_to_normal"])),
        "emergency",
    ),
    (
        "difficulty breathing during a stiffening episode",
        case(3, ep(movements=["stiffening"], red_flags=["breathing_difficulty"])),
        "emergency",
    ),
    (
        "vomiting and extreme sleepiness after jerking",
        case(9, ep(red_flags=["vomiting", "extreme_sleepiness"])),
        "emergency",
    ),
    (
        "first seizure, happening 10 minutes ago",
        case(40, seizure(started_at=at(0.17))),
        "emergency",
    ),
    # --- afebrile seizures and epilepsy
    (
        "10-month-old, stiff and jerking for a minute, no fever",
        case(10, seizure(episode_minutes=1)),
        "same_day",
    ),
    (
        "5-year-old with epilepsy, usual seizure, fully recovered",
        case(60, seizure(typical_for_child="yes", after=["sleepy"]), conditions=["epilepsy"]),
        "soon",
    ),
    (
        "5-year-old with epilepsy, a new kind of seizure",
        case(60, seizure(typical_for_child="no"), conditions=["epilepsy"]),
        "same_day",
    ),
    (
        "8-month-old staring and unresponsive, eyes to the right",
        case(8, ep(movements=["staring", "eye_deviation"], responsive="no", side="right")),
        "same_day",
    ),
    (
        "3-year-old, first afebrile seizure yesterday",
        case(36, seizure(started_at=at(20))),
        "same_day",
    ),
    # --- benign look-alikes
    (
        "3-week-old, jerks only in sleep, stop when woken (benign sleep myoclonus, seed 003)",
        case(0.7, ep(state="asleep", count=20, stops_when_woken="yes", after=["normal"])),
        "routine",
    ),
    (
        "14-month-old, one jerk while falling asleep (hypnic jerk)",
        case(14, ep(state="drowsy", count=1)),
        "routine",
    ),
    (
        "1-week-old, trembling chin and arms that stop when held (jitteriness)",
        case(0.25, ep(movements=["tremor"], state="awake", stops_when_held="yes")),
        "routine",
    ),
    (
        "2-month-old, arms fling out at a loud noise (Moro)",
        case(2, ep(movements=["startle", "arms_up"], triggers=["noise_or_touch"], count=1)),
        "routine",
    ),
    (
        "4-month-old with hiccups after feeds",
        case(4, ep(movements=["hiccups"], state="feeding", count=40)),
        "routine",
    ),
    (
        "12-month-old, rhythmic leg kicking when bored that stops with distraction",
        case(
            12,
            ep(
                movements=["limb_jerk"],
                stops_with_distraction="yes",
                responsive="yes",
                count=30,
                state="awake",
            ),
        ),
        "routine",
    ),
    (
        "16-month-old rocking described as rhythmic jerking, stops with distraction (the word "
        "'jerking' keeps a seizure possible: see a doctor, bring a video)",
        case(
            16,
            ep(
                movements=["rhythmic_jerking", "head_nod"],
                stops_with_distraction="yes",
                responsive="yes",
                count=1,
                state="drowsy",
            ),
        ),
        "soon",
    ),
    (
        "9-month-old shudders for 3 seconds when the spoon comes (shuddering attacks)",
        case(
            9,
            ep(
                movements=["shivering"],
                state="feeding",
                movement_seconds=3,
                responsive="yes",
                triggers=["feeding", "excitement"],
            ),
        ),
        "routine",
    ),
    (
        "3-month-old with reflux, arching and neck twisting during feeds (Sandifer)",
        case(
            3,
            ep(movements=["arching", "neck_twist"], state="feeding", responsive="yes"),
            conditions=["reflux"],
        ),
        "soon",
    ),
    # --- safety principle: benign features never cancel a spasm rule
    (
        "7-month-old, spasm series on waking that stops when distracted (could be benign "
        "myoclonus of infancy, only an EEG can tell)",
        case(
            7,
            spasm_series(
                state="just_woke",
                stops_with_distraction="yes",
                stops_when_held="yes",
                triggers=["excitement"],
                after=["normal"],
                responsive="yes",
            ),
        ),
        "same_day",
    ),
    (
        "newborn with jitteriness that stops when held but described as rhythmic jerking",
        case(0.5, ep(movements=["rhythmic_jerking"], stops_when_held="yes", responsive="yes")),
        "soon",
    ),
    # --- forum stories (seed 002)
    (
        "10-month-old with quick facial grimaces when excited, one at a time (seed 002)",
        case(
            10,
            ep(
                movements=["facial_twitch"],
                movement_seconds=1,
                triggers=["excitement"],
                responsive="yes",
                after=["normal"],
            ),
        ),
        "soon",
    ),
    (
        "7-month-old, facial spasms of 3 s, more than 10 a day, in series (seed 002)",
        case(
            7,
            ep(movements=["facial_twitch"], movement_seconds=3, count=10, interval_seconds=50),
        ),
        "same_day",
    ),
    (
        "3.5-month-old, face tic every 1-2 minutes, not in sleep or feeds (seed 002)",
        case(3.5, ep(movements=["facial_twitch"], count=10, interval_seconds=90, state="awake")),
        "soon",
    ),
    # --- development
    (
        "9-month-old stopped babbling and smiling, no movements seen",
        case(9, development="lost_skills"),
        "same_day",
    ),
    (
        "nothing seen, development on track",
        case(9, development="on_track"),
        "routine",
    ),
    (
        "11-month-old with stiffening at every startle since birth (hyperekplexia)",
        case(11, ep(movements=["startle", "stiffening"], responsive="yes", count=1)),
        "same_day",
    ),
]
