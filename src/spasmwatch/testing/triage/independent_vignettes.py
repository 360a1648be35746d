"""An independent vignette set for the triage engine: each case written from a published
source (guidelines, their worked examples, case reports and parents' accounts) with the
level that source asks for, before the engine was run on it.

Every vignette has an id, a one-line summary, the source it was written from, the gold
level and the case (case format). The set is split once into a **tuning** half and a
**test** half (alternately within each gold level, in the order written): rules may be
changed while looking at the tuning half; the test half is only ever scored as a whole.

The gold levels follow the clinical reference (``../shared/docs/clinical-reference.md``):
any red flag, a seizure of 5 minutes or more, fever under 3 months and a first seizure that
is happening now or just happened are ``emergency``; suspected infantile spasms, regression,
an afebrile seizure under 2 years, a focal or complex febrile seizure, and a sleep cluster
that goes on after the baby is woken are ``same_day``; unclear movements, reflux arching, a
known child's usual seizure and slower development are ``soon``; the benign look-alikes
described by their sources (sleep twitches that stop on waking, hypnic jerks, jitteriness
that stops when held, the startle reflex, hiccups, shuddering attacks, self-soothing) and a
diary with nothing logged are ``routine``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

__all__ = ["NOW", "VIGNETTES", "half"]

#: The time every vignette is triaged at.
NOW = datetime(2026, 11, 21, 12, 0)

# Sources, as cited in each vignette.
ILAE_SPASMS = "ILAE, epilepsydiagnosis.org 'Epileptic spasms' (2022)"
ZUBERI = "Zuberi et al., Epilepsia 2022;63:1349 (ILAE definition of IESS)"
HRACHOVY = (
    "Hrachovy & Frost, J Clin Neurophysiol 2003;20:408 (infantile spasms: clusters on waking)"
)
LUX = "Lux & Osborne, Epilepsia 2004;45:1416 (West syndrome consensus, subtle spasms)"
ISAN = "ISAN STOP campaign, infantilespasms.org (parents' descriptions of spasms)"
SEED000 = "Seed 000 (WebMD, West syndrome: symptoms, regression)"
SEED001 = "Seed 001 (causes of West syndrome: structural and genetic)"
SEED002 = "Seed 002 (MedHelp parents' forum, 'Facial spasms')"
SEED003 = "Seed 003 (Epilepsy360 / Sleep Advisor, 'Baby twitches in sleep')"
AAP2011 = "AAP 2011, Febrile seizures, Pediatrics 127:389"
TRINKA = "Trinka et al., Epilepsia 2015 (status epilepticus from 5 minutes)"
NICE = "NICE NG143 (fever in under 5s: under 3 months with 38 C or more)"
NHS_SCOT = "NHS Scotland paediatric referral guidance (same-day: afebrile seizure under 2)"
NHS_FIRST = "nhs.uk epilepsy first-aid and febrile seizure pages (first seizure, ambulance)"
EF = "Epilepsy Foundation, features that favour an epileptic event"
COULTER = "Coulter & Allen, Arch Neurol 1982;39:191 (benign neonatal sleep myoclonus)"
DICAPUA = "Di Capua et al., Mov Disord 1993;8:191 (benign neonatal sleep myoclonus)"
BLUMBERG = "University of Iowa sleep-twitch studies (Blumberg), cited by seed 003"
LOMBROSO = "Lombroso & Fejerman, Ann Neurol 1977;1:138 (benign myoclonus of early infancy)"
CEWT = "CEWT guideline; ICNApedia (benign myoclonus of early infancy needs an EEG)"
VANASSE = "Vanasse et al., Neurology 1976;26:1027; Neurology 2008;70:e38 (shuddering attacks)"
JITTER = "AccessPediatrics, jitteriness in the newborn (stops when the limb is held)"
MORO = "Paediatric examination texts: the Moro (startle) reflex fades by about 6 months"
HICCUPS = "Seed 003 (hiccups are a form of myoclonus)"
STEREO = "ICNApedia, self-soothing and stereotypies (stop with distraction)"
SANDIFER = "Paediatric GI references, Sandifer syndrome (arching with reflux)"
HYPEREK = "GeneReviews NBK1260, hyperekplexia"
KOTAGAL = "Kotagal et al., Pediatrics 2002;110:e46 (paroxysmal non-epileptic events)"
DEV = "NHS Scotland referral guidance; ILAE 2022 (development: slower vs lost skills)"


def _at(hours_ago: float) -> str:
    return (NOW - timedelta(hours=hours_ago)).isoformat()


def _v(
    summary: str,
    gold: str,
    source: str,
    age: float,
    *episodes: dict[str, Any],
    **child: Any,
) -> dict[str, Any]:
    child = {"age_months": age, **child}
    return {
        "summary": summary,
        "gold": gold,
        "source": source,
        "case": {"child": child, "episodes": list(episodes)},
    }


_RAW: list[dict[str, Any]] = [
    # ------------------------------------------------------------------ emergencies
    _v(
        "9-month-old, whole-body jerking for 6 minutes with 39 C",
        "emergency",
        TRINKA,
        9,
        {
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 6,
            "fever_c": 39.0,
            "responsive": "no",
        },
    ),
    _v(
        "4-month-old turned blue during a cluster of jerks",
        "emergency",
        NICE,
        4,
        {"state": "awake", "movements": ["limb_jerk"], "count": 6, "red_flags": ["blue_or_grey"]},
    ),
    _v(
        "7-month-old went grey and floppy; no movement seen",
        "emergency",
        NICE,
        7,
        {"state": "awake", "red_flags": ["blue_or_grey"]},
    ),
    _v(
        "2-month-old with 38.3 C and a few jerky arm movements",
        "emergency",
        NICE,
        2,
        {"state": "awake", "movements": ["limb_jerk"], "count": 3, "fever_c": 38.3},
    ),
    _v(
        "5-week-old, 38.0 C, startles in sleep",
        "emergency",
        NICE,
        1.2,
        {"state": "asleep", "movements": ["startle"], "count": 2, "fever_c": 38.0},
    ),
    _v(
        "14-month-old, febrile seizure with difficulty breathing",
        "emergency",
        SEED003,
        14,
        {
            "state": "awake",
            "movements": ["rhythmic_jerking", "stiffening"],
            "episode_minutes": 2,
            "fever_c": 39.4,
            "red_flags": ["breathing_difficulty"],
        },
    ),
    _v(
        "18-month-old, seizure with fever and a stiff neck",
        "emergency",
        SEED003,
        18,
        {
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 1,
            "fever_c": 39.8,
            "red_flags": ["neck_stiffness"],
        },
    ),
    _v(
        "10-month-old, two convulsions without waking in between",
        "emergency",
        TRINKA,
        10,
        {
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "count": 2,
            "responsive": "no",
            "episode_minutes": 3,
        },
    ),
    _v(
        "20-month-old, jerking then vomiting and very hard to wake",
        "emergency",
        SEED003,
        20,
        {
            "state": "awake",
            "movements": ["limb_jerk", "stiffening"],
            "red_flags": ["vomiting", "extreme_sleepiness"],
        },
    ),
    _v(
        "6-month-old rolled off the sofa during the episode and hit her head",
        "emergency",
        NICE,
        6,
        {"state": "awake", "movements": ["stiffening"], "red_flags": ["head_injury"]},
    ),
    _v(
        "12-month-old, jerks with fever and a rash that does not fade",
        "emergency",
        NICE,
        12,
        {"state": "awake", "movements": ["limb_jerk"], "fever_c": 39.6, "red_flags": ["rash"]},
    ),
    _v(
        "3-year-old, tonic-clonic seizure of exactly 5 minutes",
        "emergency",
        TRINKA,
        36,
        {
            "state": "awake",
            "movements": ["stiffening", "rhythmic_jerking"],
            "episode_minutes": 5,
            "responsive": "no",
        },
    ),
    _v(
        "8-month-old, stiffening, still not herself an hour later",
        "emergency",
        NHS_FIRST,
        8,
        {"state": "awake", "movements": ["stiffening"], "red_flags": ["not_back_to_normal"]},
    ),
    _v(
        "5-month-old, cluster of spasms on waking, lips turned blue",
        "emergency",
        NICE,
        5,
        {
            "state": "just_woke",
            "movements": ["head_nod", "arms_up"],
            "count": 10,
            "movement_seconds": 1,
            "interval_seconds": 6,
            "red_flags": ["blue_or_grey"],
        },
    ),
    _v(
        "11-month-old, first seizure 20 minutes ago, 2 minutes of jerking",
        "emergency",
        NHS_FIRST,
        11,
        {
            "started_at": _at(0.33),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 2,
            "responsive": "no",
        },
    ),
    _v(
        "4-month-old shuddering that came with difficulty breathing",
        "emergency",
        NICE,
        4,
        {
            "state": "awake",
            "movements": ["shivering"],
            "movement_seconds": 5,
            "red_flags": ["breathing_difficulty"],
        },
    ),
    _v(
        "15-month-old with past febrile seizures, fit of 7 minutes with fever",
        "emergency",
        TRINKA,
        15,
        {
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 7,
            "fever_c": 39.2,
        },
        conditions=["previous_seizures"],
    ),
    _v(
        "2-year-old with epilepsy, usual seizure but 8 minutes long",
        "emergency",
        TRINKA,
        24,
        {
            "state": "awake",
            "movements": ["stiffening", "rhythmic_jerking"],
            "episode_minutes": 8,
            "typical_for_child": "yes",
            "after": ["sleepy"],
        },
        conditions=["epilepsy"],
    ),
    _v(
        "10-week-old, sleep jerks that stop when woken, but 38.2 C",
        "emergency",
        NICE,
        2.3,
        {
            "state": "asleep",
            "movements": ["limb_jerk"],
            "count": 8,
            "stops_when_woken": "yes",
            "fever_c": 38.2,
        },
    ),
    _v(
        "30-month-old, febrile seizure, injured her mouth",
        "emergency",
        NHS_FIRST,
        30,
        {
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 2,
            "fever_c": 39.0,
            "red_flags": ["injury"],
        },
    ),
    _v(
        "7-month-old, eyes turned to one side and unresponsive for 10 minutes",
        "emergency",
        TRINKA,
        7,
        {
            "state": "awake",
            "movements": ["eye_deviation", "staring"],
            "episode_minutes": 10,
            "responsive": "no",
            "side": "right",
        },
    ),
    _v(
        "9-month-old extremely sleepy and hard to wake; no movement seen",
        "emergency",
        SEED003,
        9,
        {"state": "unknown", "red_flags": ["extreme_sleepiness"]},
    ),
    _v(
        "13-month-old having trouble breathing; parent saw no jerking",
        "emergency",
        NICE,
        13,
        {"state": "awake", "red_flags": ["breathing_difficulty"]},
    ),
    _v(
        "16-month-old, would not respond for 5 minutes or more; movements not seen",
        "emergency",
        TRINKA,
        16,
        {"state": "awake", "episode_minutes": 5, "responsive": "no"},
    ),
    _v(
        "13-month-old, second seizure within the hour after a slow recovery",
        "emergency",
        TRINKA,
        13,
        {
            "started_at": _at(1.5),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 2,
            "fever_c": 39.1,
            "after": ["slow_to_recover"],
        },
        {
            "started_at": _at(0.9),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 2,
            "fever_c": 39.1,
        },
        conditions=["previous_seizures"],
    ),
    _v(
        "2-week-old, rhythmic jerking of one arm, started 5 minutes ago",
        "emergency",
        NHS_FIRST,
        0.5,
        {
            "started_at": _at(0.08),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "side": "left",
            "episode_minutes": 1,
        },
    ),
    _v(
        "6-month-old, head nods in a series, then vomited and is very sleepy",
        "emergency",
        SEED003,
        6,
        {
            "state": "just_woke",
            "movements": ["head_nod"],
            "count": 8,
            "movement_seconds": 1,
            "red_flags": ["vomiting", "extreme_sleepiness"],
        },
    ),
    _v(
        "22-month-old, seizure with fever lasting 20 minutes",
        "emergency",
        TRINKA,
        22,
        {
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 20,
            "fever_c": 40.0,
            "responsive": "no",
        },
    ),
    # ------------------------------------------------------------------ same day
    _v(
        "6-month-old, clusters of head drops and arms flung up just after waking",
        "same_day",
        HRACHOVY,
        6,
        {
            "state": "just_woke",
            "movements": ["head_nod", "arms_up"],
            "count": 12,
            "movement_seconds": 1,
            "interval_seconds": 7,
        },
    ),
    _v(
        "5-month-old, series of tummy crunches on waking, three mornings running",
        "same_day",
        ISAN,
        5,
        {
            "started_at": _at(52),
            "state": "just_woke",
            "movements": ["trunk_crunch"],
            "count": 8,
            "movement_seconds": 1,
            "interval_seconds": 5,
        },
        {
            "started_at": _at(28),
            "state": "just_woke",
            "movements": ["trunk_crunch"],
            "count": 10,
            "movement_seconds": 1,
            "interval_seconds": 5,
        },
        {
            "started_at": _at(4),
            "state": "just_woke",
            "movements": ["trunk_crunch"],
            "count": 12,
            "movement_seconds": 1,
            "interval_seconds": 5,
        },
    ),
    _v(
        "8-month-old, six small head nods in a row, about a second each, awake",
        "same_day",
        LUX,
        8,
        {
            "state": "awake",
            "movements": ["head_nod"],
            "count": 6,
            "movement_seconds": 1,
            "interval_seconds": 8,
        },
    ),
    _v(
        "4-month-old, eyes roll up again and again in a series",
        "same_day",
        ILAE_SPASMS,
        4,
        {
            "state": "awake",
            "movements": ["eye_roll_up"],
            "count": 7,
            "movement_seconds": 1,
            "interval_seconds": 10,
        },
    ),
    _v(
        "9-month-old, arching spasms in a series, cries after each",
        "same_day",
        SEED000,
        9,
        {
            "state": "awake",
            "movements": ["arching", "arms_up"],
            "count": 9,
            "movement_seconds": 2,
            "after": ["cried"],
        },
    ),
    _v(
        "3-month-old, cluster of sleep jerks that went on after she was woken",
        "same_day",
        SEED003,
        3,
        {
            "state": "asleep",
            "movements": ["limb_jerk"],
            "count": 12,
            "movement_seconds": 0.5,
            "stops_when_woken": "no",
        },
    ),
    _v(
        "5-month-old, arms jerk up in clusters in sleep and carry on when woken",
        "same_day",
        DICAPUA,
        5,
        {
            "state": "asleep",
            "movements": ["arms_up", "limb_jerk"],
            "count": 20,
            "stops_when_woken": "no",
        },
    ),
    _v(
        "7-month-old, awake clusters of head and arm jerks like spasms, developing well",
        "same_day",
        LOMBROSO,
        7,
        {
            "state": "awake",
            "movements": ["head_nod", "arms_up"],
            "count": 6,
            "movement_seconds": 1,
            "interval_seconds": 4,
            "after": ["normal"],
        },
        development="on_track",
    ),
    _v(
        "10-month-old with Down syndrome, single head nods",
        "same_day",
        SEED001,
        10,
        {"state": "awake", "movements": ["head_nod"], "count": 1},
        conditions=["down_syndrome"],
    ),
    _v(
        "6-month-old with tuberous sclerosis, eyes roll up once",
        "same_day",
        SEED001,
        6,
        {"state": "awake", "movements": ["eye_roll_up"], "count": 1},
        conditions=["tuberous_sclerosis"],
    ),
    _v(
        "12-month-old who no longer sits or babbles; no episodes seen",
        "same_day",
        SEED000,
        12,
        development="lost_skills",
    ),
    _v(
        "14-month-old, first afebrile seizure 6 hours ago, 1 minute",
        "same_day",
        NHS_SCOT,
        14,
        {
            "started_at": _at(6),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 1,
            "responsive": "no",
            "after": ["sleepy"],
        },
    ),
    _v(
        "5-month-old, 2 minutes of jerking with 38.5 C, 4 hours ago",
        "same_day",
        AAP2011,
        5,
        {
            "started_at": _at(4),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 2,
            "fever_c": 38.5,
        },
    ),
    _v(
        "20-month-old, febrile seizure on the left side only, 3 minutes",
        "same_day",
        AAP2011,
        20,
        {
            "started_at": _at(5),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "side": "left",
            "episode_minutes": 3,
            "fever_c": 39.0,
        },
        conditions=["previous_seizures"],
    ),
    _v(
        "2-year-old, two febrile seizures within 24 hours",
        "same_day",
        AAP2011,
        24,
        {
            "started_at": _at(20),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 1,
            "fever_c": 39.2,
        },
        {
            "started_at": _at(3),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 1,
            "fever_c": 39.5,
        },
        conditions=["previous_seizures"],
    ),
    _v(
        "8-month-old with epilepsy, a new kind of episode",
        "same_day",
        NHS_FIRST,
        8,
        {
            "state": "awake",
            "movements": ["staring", "eyelid_flutter"],
            "typical_for_child": "no",
            "responsive": "no",
        },
        conditions=["epilepsy"],
    ),
    _v(
        "18-month-old, unresponsive staring for 30 seconds, first time, yesterday",
        "same_day",
        NHS_SCOT,
        18,
        {
            "started_at": _at(22),
            "state": "awake",
            "movements": ["staring"],
            "movement_seconds": 30,
            "responsive": "no",
        },
    ),
    _v(
        "11-month-old, eyes and face pulled to the right for a minute, no fever",
        "same_day",
        NHS_SCOT,
        11,
        {
            "started_at": _at(26),
            "state": "awake",
            "movements": ["eye_deviation", "facial_twitch"],
            "side": "right",
            "episode_minutes": 1,
        },
    ),
    _v(
        "15-month-old, series of head drops while falling asleep",
        "same_day",
        ILAE_SPASMS,
        15,
        {
            "state": "drowsy",
            "movements": ["head_nod"],
            "count": 8,
            "movement_seconds": 1,
            "interval_seconds": 5,
        },
    ),
    _v(
        "7-week-old, series of arm-raising spasms while awake",
        "same_day",
        ZUBERI,
        1.7,
        {
            "state": "awake",
            "movements": ["arms_up"],
            "count": 6,
            "movement_seconds": 1,
            "interval_seconds": 10,
        },
    ),
    _v(
        "30-month-old, series of sudden head drops while awake",
        "same_day",
        ILAE_SPASMS,
        30,
        {
            "state": "awake",
            "movements": ["head_nod"],
            "count": 10,
            "movement_seconds": 1,
            "interval_seconds": 6,
        },
    ),
    _v(
        "9-month-old treated for infantile spasms, head drops again",
        "same_day",
        ISAN,
        9,
        {"state": "awake", "movements": ["head_nod"], "count": 3},
        conditions=["infantile_spasms"],
    ),
    _v(
        "8-month-old, slow to recover after 1 minute of stiffening",
        "same_day",
        EF,
        8,
        {
            "state": "awake",
            "movements": ["stiffening"],
            "episode_minutes": 1,
            "after": ["slow_to_recover"],
        },
        conditions=["previous_seizures"],
    ),
    _v(
        "4-month-old, two head nods on waking, three days in a row",
        "same_day",
        HRACHOVY,
        4,
        {"started_at": _at(50), "state": "just_woke", "movements": ["head_nod"], "count": 2},
        {"started_at": _at(27), "state": "just_woke", "movements": ["head_nod"], "count": 2},
        {"started_at": _at(3), "state": "just_woke", "movements": ["head_nod"], "count": 2},
    ),
    _v(
        "9-month-old after oxygen lack at birth, arms jerk up twice",
        "same_day",
        SEED001,
        9,
        {"state": "awake", "movements": ["arms_up"], "count": 2},
        conditions=["brain_injury"],
    ),
    _v(
        "4-month-old, long cluster of leg jerks in sleep that go on after waking",
        "same_day",
        SEED003,
        4,
        {
            "state": "asleep",
            "movements": ["limb_jerk", "legs_drawn_up"],
            "count": 30,
            "interval_seconds": 3,
            "stops_when_woken": "no",
        },
    ),
    _v(
        "7-month-old, jack-knife crunches in clusters several times a day",
        "same_day",
        ISAN,
        7,
        {
            "state": "awake",
            "movements": ["trunk_crunch", "legs_drawn_up"],
            "count": 15,
            "movement_seconds": 1.5,
            "interval_seconds": 10,
            "after": ["cried"],
        },
    ),
    _v(
        "22-month-old, first afebrile stiffening seizure 3 hours ago",
        "same_day",
        NHS_SCOT,
        22,
        {
            "started_at": _at(3),
            "state": "awake",
            "movements": ["stiffening"],
            "episode_minutes": 1,
            "responsive": "no",
            "after": ["sleepy"],
        },
    ),
    _v(
        "16-month-old, two febrile convulsions in the same illness, same day",
        "same_day",
        AAP2011,
        16,
        {
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "count": 2,
            "episode_minutes": 1,
            "fever_c": 39.4,
            "responsive": "yes",
        },
        conditions=["previous_seizures"],
    ),
    _v(
        "6-month-old, cluster on waking that stopped when picked up",
        "same_day",
        CEWT,
        6,
        {
            "state": "just_woke",
            "movements": ["head_nod", "arms_up"],
            "count": 8,
            "movement_seconds": 1,
            "interval_seconds": 5,
            "stops_when_held": "yes",
        },
    ),
    _v(
        "8-month-old who lost skills, with staring spells",
        "same_day",
        SEED000,
        8,
        {"state": "awake", "movements": ["staring"]},
        development="lost_skills",
    ),
    _v(
        "7-month-old, grimace and eyelid flutter 3-4 times in a row, 5-8 times a day",
        "same_day",
        SEED002,
        7,
        {
            "state": "awake",
            "movements": ["facial_twitch", "eyelid_flutter"],
            "count": 4,
            "movement_seconds": 0.8,
            "interval_seconds": 3,
        },
    ),
    _v(
        "10-month-old, 1-minute seizure with fever on one side, first ever",
        "same_day",
        AAP2011,
        10,
        {
            "started_at": _at(8),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "side": "right",
            "episode_minutes": 1,
            "fever_c": 38.9,
        },
    ),
    _v(
        "5-month-old, sleep myoclonus-like jerks now also seen awake in a cluster",
        "same_day",
        EF,
        5,
        {
            "state": "awake",
            "movements": ["limb_jerk", "arms_up"],
            "count": 10,
            "movement_seconds": 0.5,
            "interval_seconds": 5,
        },
    ),
    _v(
        "3-month-old, sleep jerks in clusters, did not stop when woken, slower development",
        "same_day",
        EF,
        3,
        {"state": "asleep", "movements": ["limb_jerk"], "count": 15, "stops_when_woken": "no"},
        development="slower",
    ),
    # ------------------------------------------------------------------ soon
    _v(
        "10-month-old, half-second facial spasms when excited, otherwise thriving",
        "soon",
        SEED002,
        10,
        {
            "state": "awake",
            "movements": ["facial_twitch"],
            "count": 1,
            "movement_seconds": 0.5,
            "triggers": ["excitement"],
            "responsive": "yes",
        },
        development="on_track",
    ),
    _v(
        "7-month-old, mouth and eyebrow cramp about 3 s, over 10 times a day when smiling",
        "soon",
        SEED002,
        7,
        {
            "state": "awake",
            "movements": ["facial_twitch"],
            "count": 1,
            "movement_seconds": 3,
            "triggers": ["excitement"],
            "responsive": "yes",
        },
    ),
    _v(
        "3.5-month-old, face tic every 1-2 minutes, never in sleep or feeds",
        "soon",
        SEED002,
        3.5,
        {
            "state": "awake",
            "movements": ["facial_twitch"],
            "count": 10,
            "interval_seconds": 90,
            "responsive": "yes",
        },
    ),
    _v(
        "6-month-old, unusual mouth-opening expression several times a day for a week",
        "soon",
        SEED002,
        6,
        {"state": "awake", "movements": ["facial_twitch"], "count": 1, "responsive": "yes"},
    ),
    _v(
        "8-month-old with reflux, arching and spitting up after feeds",
        "soon",
        SANDIFER,
        8,
        {"state": "feeding", "movements": ["arching", "neck_twist"], "responsive": "yes"},
        conditions=["reflux"],
    ),
    _v(
        "4-month-old, startles with whole-body stiffening since birth",
        "soon",
        HYPEREK,
        4,
        {
            "state": "awake",
            "movements": ["startle", "stiffening"],
            "triggers": ["noise_or_touch"],
            "responsive": "yes",
        },
    ),
    _v(
        "9-month-old, not yet sitting or rolling; no episodes", "soon", DEV, 9, development="slower"
    ),
    _v(
        "5-year-old with epilepsy, usual seizure, fully recovered",
        "soon",
        NHS_FIRST,
        60,
        {
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 1,
            "typical_for_child": "yes",
            "after": ["sleepy"],
        },
        conditions=["epilepsy"],
    ),
    _v(
        "18-month-old with past febrile seizures, 1-minute febrile seizure, recovered",
        "soon",
        AAP2011,
        18,
        {
            "started_at": _at(5),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "side": "both",
            "episode_minutes": 1,
            "fever_c": 39.3,
            "after": ["sleepy"],
        },
        conditions=["previous_seizures"],
    ),
    _v(
        "12-month-old, one sudden arm jerk while playing",
        "soon",
        KOTAGAL,
        12,
        {"state": "awake", "movements": ["limb_jerk"], "count": 1, "responsive": "yes"},
    ),
    _v(
        "6-month-old, long cluster of sleep jerks, waking not tried",
        "soon",
        SEED003,
        6,
        {"state": "asleep", "movements": ["limb_jerk"], "count": 15},
    ),
    _v(
        "9-month-old, single head nod now and then while awake",
        "soon",
        LUX,
        9,
        {"state": "awake", "movements": ["head_nod"], "count": 1, "responsive": "yes"},
    ),
    _v(
        "14-month-old, staring spells but answers to her name",
        "soon",
        KOTAGAL,
        14,
        {"state": "awake", "movements": ["staring"], "movement_seconds": 10, "responsive": "yes"},
    ),
    _v(
        "10-month-old, chin trembling while awake, not tried holding",
        "soon",
        KOTAGAL,
        10,
        {"state": "awake", "movements": ["tremor"], "responsive": "yes"},
    ),
    _v(
        "3-year-old with past febrile seizures, 2-minute febrile seizure",
        "soon",
        AAP2011,
        36,
        {
            "started_at": _at(6),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "side": "both",
            "episode_minutes": 2,
            "fever_c": 39.5,
        },
        conditions=["previous_seizures"],
    ),
    _v(
        "5-month-old with reflux, neck twisting during feeds",
        "soon",
        SANDIFER,
        5,
        {
            "state": "feeding",
            "movements": ["neck_twist", "arching"],
            "triggers": ["feeding"],
            "responsive": "yes",
        },
        conditions=["reflux"],
    ),
    _v(
        "11-month-old, two arm jerks in a row when tired, awake",
        "soon",
        KOTAGAL,
        11,
        {"state": "awake", "movements": ["limb_jerk"], "count": 2, "responsive": "yes"},
    ),
    _v(
        "8-month-old, eyelids flutter a few times a day, responds",
        "soon",
        SEED002,
        8,
        {"state": "awake", "movements": ["eyelid_flutter"], "count": 1, "responsive": "yes"},
    ),
    _v(
        "5-year-old with epilepsy, usual absence, recovered straight away",
        "soon",
        NHS_FIRST,
        62,
        {
            "state": "awake",
            "movements": ["staring"],
            "responsive": "no",
            "movement_seconds": 10,
            "typical_for_child": "yes",
            "after": ["normal"],
        },
        conditions=["epilepsy"],
    ),
    _v(
        "13-month-old, shudders of head and shoulders lasting 20 seconds",
        "soon",
        VANASSE,
        13,
        {"state": "awake", "movements": ["shivering"], "movement_seconds": 20, "responsive": "yes"},
    ),
    _v(
        "7-month-old, jerks in sleep in clusters, stop when woken",
        "soon",
        SEED003,
        7,
        {
            "state": "asleep",
            "movements": ["limb_jerk"],
            "count": 10,
            "stops_when_woken": "yes",
            "after": ["normal"],
        },
    ),
    # ------------------------------------------------------------------ routine
    _v(
        "3-month-old, a single twitch in REM sleep, stops when woken, developing well",
        "routine",
        SEED003,
        3,
        {"state": "asleep", "movements": ["limb_jerk"], "count": 1, "stops_when_woken": "yes"},
        development="on_track",
    ),
    _v(
        "2-week-old, clusters of jerks in sleep that stop when woken",
        "routine",
        COULTER,
        0.5,
        {
            "state": "asleep",
            "movements": ["limb_jerk", "rhythmic_jerking"],
            "count": 20,
            "interval_seconds": 1,
            "stops_when_woken": "yes",
            "after": ["normal"],
        },
    ),
    _v(
        "1-month-old, rhythmic leg jerks in quiet sleep, stop on waking, worse when rocked",
        "routine",
        DICAPUA,
        1,
        {
            "state": "asleep",
            "movements": ["rhythmic_jerking"],
            "count": 15,
            "stops_when_woken": "yes",
            "triggers": ["rocking"],
        },
    ),
    _v(
        "5-month-old, eyelids and mouth twitch during sleep, stop when woken",
        "routine",
        BLUMBERG,
        5,
        {
            "state": "asleep",
            "movements": ["eyelid_flutter", "facial_twitch"],
            "count": 4,
            "stops_when_woken": "yes",
        },
    ),
    _v(
        "8-month-old, a few finger and toe twitches in sleep",
        "routine",
        BLUMBERG,
        8,
        {"state": "asleep", "movements": ["limb_jerk"], "count": 2, "responsive": "unknown"},
        development="on_track",
    ),
    _v(
        "14-month-old, one jerk while falling asleep",
        "routine",
        SEED003,
        14,
        {"state": "drowsy", "movements": ["limb_jerk"], "count": 1},
    ),
    _v(
        "2-week-old, trembling of the arms that stops when held",
        "routine",
        JITTER,
        0.5,
        {"state": "awake", "movements": ["tremor"], "stops_when_held": "yes", "responsive": "yes"},
    ),
    _v(
        "1-month-old, chin and legs tremble when crying, stop when held",
        "routine",
        JITTER,
        1,
        {
            "state": "awake",
            "movements": ["tremor"],
            "stops_when_held": "yes",
            "triggers": ["crying_or_upset"],
        },
    ),
    _v(
        "2-month-old, arms fling out after a loud noise",
        "routine",
        MORO,
        2,
        {
            "state": "awake",
            "movements": ["startle", "arms_up"],
            "count": 1,
            "triggers": ["noise_or_touch"],
        },
    ),
    _v("6-month-old, hiccups", "routine", HICCUPS, 6, {"state": "awake", "movements": ["hiccups"]}),
    _v(
        "9-month-old, shudders for 3-5 seconds at meals, stays aware",
        "routine",
        VANASSE,
        9,
        {
            "state": "feeding",
            "movements": ["shivering"],
            "movement_seconds": 4,
            "triggers": ["feeding"],
            "responsive": "yes",
            "after": ["normal"],
        },
    ),
    _v(
        "15-month-old, shudders when excited, stays aware",
        "routine",
        VANASSE,
        15,
        {
            "state": "awake",
            "movements": ["shivering"],
            "movement_seconds": 3,
            "triggers": ["excitement"],
            "responsive": "yes",
        },
    ),
    _v(
        "12-month-old, rhythmic head and leg rocking before sleep, stops when distracted",
        "routine",
        STEREO,
        12,
        {
            "state": "drowsy",
            "movements": ["rhythmic_jerking", "head_nod"],
            "stops_with_distraction": "yes",
            "responsive": "yes",
        },
    ),
    _v(
        "4-month-old, developing well, nothing logged yet",
        "routine",
        DEV,
        4,
        development="on_track",
    ),
    _v("10-month-old, nothing logged yet", "routine", DEV, 10),
    _v(
        "3-month-old, startles when laid down",
        "routine",
        MORO,
        3,
        {"state": "awake", "movements": ["startle"], "count": 1, "triggers": ["position_change"]},
    ),
    _v(
        "4-month-old, several twitches of arms and legs in sleep, stop when woken",
        "routine",
        SEED003,
        4,
        {
            "state": "asleep",
            "movements": ["limb_jerk", "arms_up"],
            "count": 5,
            "stops_when_woken": "yes",
            "after": ["normal"],
        },
    ),
    _v(
        "6-month-old, one leg jerk in sleep",
        "routine",
        SEED003,
        6,
        {"state": "asleep", "movements": ["limb_jerk"], "count": 1},
    ),
    _v(
        "20-month-old, shudders for 5 seconds at meals, aware",
        "routine",
        VANASSE,
        20,
        {
            "state": "feeding",
            "movements": ["shivering"],
            "movement_seconds": 5,
            "responsive": "yes",
        },
    ),
    _v(
        "7-month-old, body rocking that stops when distracted",
        "routine",
        STEREO,
        7,
        {"state": "awake", "movements": ["rhythmic_jerking"], "stops_with_distraction": "yes"},
    ),
    _v(
        "5-month-old, hiccups during a feed",
        "routine",
        HICCUPS,
        5,
        {"state": "feeding", "movements": ["hiccups"], "count": 20},
    ),
    _v(
        "2-month-old, clusters of arm jerks in sleep, stop when woken, developing well",
        "routine",
        COULTER,
        2,
        {
            "state": "asleep",
            "movements": ["arms_up", "limb_jerk"],
            "count": 10,
            "stops_when_woken": "yes",
        },
        development="on_track",
    ),
    _v(
        "10-month-old, eyes moving under the lids and little face twitches in sleep",
        "routine",
        BLUMBERG,
        10,
        {"state": "asleep", "movements": ["facial_twitch"], "count": 2},
    ),
    _v(
        "1-month-old, mouth twitches during REM sleep, stop when woken",
        "routine",
        BLUMBERG,
        1,
        {"state": "asleep", "movements": ["facial_twitch"], "count": 3, "stops_when_woken": "yes"},
    ),
    _v(
        "3-month-old, body twitches during sleep, calm on waking",
        "routine",
        SEED003,
        3,
        {
            "state": "asleep",
            "movements": ["limb_jerk", "legs_drawn_up"],
            "count": 6,
            "stops_when_woken": "yes",
            "after": ["normal"],
        },
    ),
    _v(
        "5-week-old, jittery when hungry, stops when held",
        "routine",
        JITTER,
        1.2,
        {"state": "awake", "movements": ["tremor"], "stops_when_held": "yes", "responsive": "yes"},
    ),
    _v(
        "4-month-old, startle with arms out when touched",
        "routine",
        MORO,
        4,
        {
            "state": "awake",
            "movements": ["startle", "arms_up"],
            "count": 1,
            "triggers": ["noise_or_touch"],
            "responsive": "yes",
        },
    ),
    _v(
        "11-month-old, one body jerk falling asleep, then slept on",
        "routine",
        SEED003,
        11,
        {
            "state": "drowsy",
            "movements": ["limb_jerk", "legs_drawn_up"],
            "count": 1,
            "after": ["normal"],
        },
    ),
    _v(
        "6-week-old, little sleep twitches of fingers and face",
        "routine",
        BLUMBERG,
        1.4,
        {
            "state": "asleep",
            "movements": ["limb_jerk", "facial_twitch"],
            "count": 3,
            "stops_when_woken": "yes",
        },
    ),
]


def _with_ids_and_halves(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, int] = defaultdict(int)
    out = []
    for i, v in enumerate(raw, start=1):
        k = seen[v["gold"]]
        seen[v["gold"]] += 1
        out.append({"id": f"iv{i:03d}", "half": "tuning" if k % 2 == 0 else "test", **v})
    return out


#: The independent vignettes, each with ``id``, ``half`` (``tuning`` or ``test``),
#: ``summary``, ``source``, ``gold`` and ``case``.
VIGNETTES: list[dict[str, Any]] = _with_ids_and_halves(_RAW)


def half(name: str) -> list[dict[str, Any]]:
    """The vignettes of one half: ``tuning`` or ``test``."""
    if name not in ("tuning", "test"):
        raise ValueError(f"Invalid value for 'half': allowed are tuning, test; got {name!r}")
    return [v for v in VIGNETTES if v["half"] == name]
