"""A blind vignette set for the triage engine: each case written from a published source
(guidelines, case reports and series, parents' accounts) with the level that source asks
for, and committed before the engine was run on it.

The independent set (``independent_vignettes.py``) had a test half that stopped being blind
once one of its misses was fixed; this set replaces it as the blind measurement. It has no
tuning half: the whole set is scored as one, and its first run is the blind result.

Every vignette has an id, a one-line summary, the source it was written from, the gold
level and the case (case format). The gold levels follow the clinical reference
(``../shared/docs/clinical-reference.md``): any red flag, a seizure of 5 minutes or more,
fever of 38 C or more under 3 months and a first seizure that is happening now or has just
happened are ``emergency``; suspected infantile spasms (including subtle, one-sided and
look-alike clusters that only an EEG can tell apart), regression, an afebrile seizure under
2 years, a first seizure that happened hours ago, a febrile seizure under 6 months, a
focal or repeated febrile seizure, a focal seizure and sleep jerks that go on after the
baby is woken are ``same_day``; reflux arching, slower development, a known child's usual
seizure, unclear movements and staring spells in an older child are ``soon``; the benign
look-alikes that meet their sources' criteria (sleep twitches that stop on waking, hypnic
jerks, jitteriness that stops when held, the startle reflex, hiccups, shuddering attacks,
tics, rhythmic movements before sleep) and a diary with nothing logged are ``routine``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

__all__ = ["NOW", "VIGNETTES"]

#: The time every vignette is triaged at.
NOW = datetime(2026, 11, 21, 12, 0)

# Sources, as cited in each vignette.
TRINKA = "Trinka et al., Epilepsia 2015;56:1515 (ILAE: status epilepticus from 5 minutes)"
NHS_FIRST_AID = (
    "nhs.uk, 'Epilepsy: what to do if someone has a seizure' (call 999: first seizure, "
    "over 5 minutes, injury, breathing problems, not recovering)"
)
NHS_FEBRILE = (
    "nhs.uk, 'Febrile seizures' (call 999: first fit, fit over 5 minutes, breathing "
    "difficulty; rash, stiff neck, drowsiness)"
)
NHS_999 = (
    "nhs.uk, 'Signs of serious illness in babies and children' (call 999: blue, grey or "
    "blotchy skin or lips, difficulty breathing, hard to wake, non-fading rash)"
)
NICE_FEVER = "NICE NG143 (2019), fever in under 5s: under 3 months with 38 C or more is red"
NICE_EPILEPSY = (
    "NICE NG217 (2022), epilepsies: after a first seizure, urgent specialist referral "
    "(seen within 2 weeks); a known child's usual seizure goes to their team"
)
NHS_SCOT = (
    "NHS Scotland paediatric referral guidance (same day: afebrile seizure under 2 years, "
    "febrile seizure under 6 months, focal seizure, repeat febrile seizure in 24 h)"
)
AAP2011 = "AAP 2011, Febrile seizures, Pediatrics 127:389 (simple vs complex)"
PATEL = "Patel et al., BMJ 2015;351:h4240, 'Febrile seizures' (complex: focal, long, repeated)"
SEED003 = "Seed 003 (Epilepsy360 / Sleep Advisor, 'Baby twitches in sleep')"
SEED000 = "Seed 000 (WebMD, West syndrome: spasm clusters, regression)"
ZUBERI = "Zuberi et al., Epilepsia 2022;63:1349 (ILAE: IESS, onset 1-24 months)"
PELLOCK = "Pellock et al., Epilepsia 2010;51:2175 (US consensus report on infantile spasms)"
FUSCO = "Fusco & Vigevano, Epilepsia 1993;34:671 (ictal features of spasms: subtle forms)"
GAILY = "Gaily et al., Epilepsia 1995;36:873 (asymmetric and asynchronous infantile spasms)"
DONAT = "Donat & Wright, J Child Neurol 1991;6:313 (unusual variants of infantile spasms)"
KELLAWAY = "Kellaway et al., Ann Neurol 1979;6:214 (infantile spasms: timing with sleep)"
AUVIN = (
    "Auvin et al., Eur J Pediatr 2012;171:1695 (diagnosis delay in West syndrome: spasms "
    "first taken for colic or reflux)"
)
NORTHRUP = (
    "Northrup et al., Pediatr Neurol 2021;123:50 (TSC: parents taught to spot spasms, urgent EEG)"
)
MAYDELL = (
    "Maydell et al., J Child Neurol 2001;16:109 (benign myoclonus of early infancy: an "
    "imitator of West syndrome, EEG needed)"
)
MAURER = (
    "Maurer et al., Pediatrics 2010;125:e919 (benign neonatal sleep myoclonus: only in "
    "sleep, stops on waking, clusters up to 20 minutes or longer, first months)"
)
RESNICK = "Resnick et al., Arch Neurol 1986;43:266 (benign neonatal sleep myoclonus, rocking)"
EF = "Epilepsy Foundation, features that favour an epileptic event (not stopped by waking)"
KANAZAWA = "Kanazawa, Pediatr Neurol 2000;23:421 (shuddering attacks at meals, aware)"
VANASSE = "Vanasse et al., Neurology 1976;26:1027 (shuddering attacks, excitement)"
KINSBOURNE = "Kinsbourne, Lancet 1964;1:1058 (neck contortions with reflux: Sandifer)"
LEHWALD = "Lehwald et al., Eur J Pediatr Surg 2007;17:203 (Sandifer syndrome)"
PARKER = "Parker et al., Pediatrics 1990;85:17 (jitteriness in full-term neonates)"
VOLPE = "Volpe, Neurology of the Newborn: jitteriness stops with gentle restraint"
MORO = "Paediatric examination texts: the Moro (startle) reflex, normal to about 6 months"
HYPNIC = "AASM ICSD-3, sleep starts (hypnic jerks): a normal phenomenon at any age"
RHYTHMIC = "AASM ICSD-3, sleep-related rhythmic movement (head banging, rocking) in infants"
LIPKIN = "Lipkin & Macias, Pediatrics 2020;145:e20193449 (developmental surveillance)"
SELECTS = (
    "ILAE epilepsydiagnosis.org, 'Self-limited epilepsy with centrotemporal spikes' (focal "
    "face seizures on waking)"
)
CAE = "ILAE epilepsydiagnosis.org, 'Childhood absence epilepsy' (many brief absences a day)"
ROSENOW = "Rosenow et al., J Pediatr 1998;133:660 (staring spells: epileptic or not)"
GOTTLOB = "Gottlob et al., Ophthalmology 1990;97:1166 (spasmus nutans: nodding, nystagmus)"
NECHAY = "Nechay et al., Arch Dis Child 2004;89:225 (gratification behaviour: video, review)"
NHS_TICS = "nhs.uk, 'Tics' (common in children, often pass; see a GP if they affect life)"


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
        "8-month-old, arms and legs still jerking at 5 minutes, no fever",
        "emergency",
        TRINKA,
        8,
        {
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "side": "both",
            "episode_minutes": 5,
            "responsive": "no",
        },
    ),
    _v(
        "11-year-old with epilepsy, his usual tonic-clonic seizure but 6 minutes long",
        "emergency",
        TRINKA,
        132,
        {
            "state": "awake",
            "movements": ["stiffening", "rhythmic_jerking"],
            "episode_minutes": 6,
            "responsive": "no",
            "typical_for_child": "yes",
        },
        conditions=["epilepsy"],
    ),
    _v(
        "3-year-old, febrile convulsion lasting 16 minutes",
        "emergency",
        AAP2011,
        36,
        {
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "side": "both",
            "episode_minutes": 16,
            "fever_c": 39.5,
            "responsive": "no",
        },
    ),
    _v(
        "10-month-old, staring and unresponsive with lip twitching for 7 minutes",
        "emergency",
        NHS_FIRST_AID,
        10,
        {
            "state": "awake",
            "movements": ["staring", "facial_twitch"],
            "episode_minutes": 7,
            "responsive": "no",
        },
    ),
    _v(
        "8-month-old, eyes turned to the left and unresponsive for 6 minutes",
        "emergency",
        TRINKA,
        8,
        {
            "state": "awake",
            "movements": ["eye_deviation"],
            "side": "left",
            "episode_minutes": 6,
            "responsive": "no",
        },
    ),
    _v(
        "3-month-old turned blue during a feed; no jerking seen",
        "emergency",
        NHS_999,
        3,
        {"state": "feeding", "red_flags": ["blue_or_grey"]},
    ),
    _v(
        "6-month-old struggling to breathe after an episode nobody saw",
        "emergency",
        NHS_999,
        6,
        {"state": "unknown", "red_flags": ["breathing_difficulty"]},
    ),
    _v(
        "2-year-old found grey and limp in his cot",
        "emergency",
        NHS_999,
        24,
        {"state": "asleep", "red_flags": ["blue_or_grey"]},
    ),
    _v(
        "5-week-old, sleep twitches that stop when woken, but her lips went blue",
        "emergency",
        NHS_999,
        1.2,
        {
            "state": "asleep",
            "movements": ["limb_jerk"],
            "count": 4,
            "stops_when_woken": "yes",
            "red_flags": ["blue_or_grey"],
        },
    ),
    _v(
        "14-month-old, shuddering attack, then gasping for breath",
        "emergency",
        NHS_999,
        14,
        {
            "state": "awake",
            "movements": ["shivering"],
            "movement_seconds": 4,
            "triggers": ["excitement"],
            "red_flags": ["breathing_difficulty"],
        },
    ),
    _v(
        "7-week-old, 38.4 C and jittery arms",
        "emergency",
        NICE_FEVER,
        1.6,
        {"state": "awake", "movements": ["tremor"], "fever_c": 38.4},
    ),
    _v(
        "9-week-old, hiccups and 38.1 C",
        "emergency",
        NICE_FEVER,
        2.1,
        {"state": "awake", "movements": ["hiccups"], "fever_c": 38.1},
    ),
    _v(
        "20-month-old, first febrile convulsion of 2 minutes, ended 10 minutes ago",
        "emergency",
        NHS_FEBRILE,
        20,
        {
            "started_at": _at(12 / 60),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "side": "both",
            "episode_minutes": 2,
            "fever_c": 39.2,
            "responsive": "no",
        },
    ),
    _v(
        "5-year-old, first-ever tonic-clonic seizure of 3 minutes, just ended",
        "emergency",
        NHS_FIRST_AID,
        60,
        {
            "started_at": _at(8 / 60),
            "state": "awake",
            "movements": ["stiffening", "rhythmic_jerking"],
            "side": "both",
            "episode_minutes": 3,
            "responsive": "no",
        },
    ),
    _v(
        "16-month-old, febrile seizure, then a purple rash that does not fade",
        "emergency",
        NICE_FEVER,
        16,
        {
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 2,
            "fever_c": 39.7,
            "red_flags": ["rash"],
        },
    ),
    _v(
        "9-month-old, cluster of spasms on waking, then noisy laboured breathing",
        "emergency",
        NHS_999,
        9,
        {
            "state": "just_woke",
            "movements": ["head_nod", "arms_up"],
            "movement_seconds": 1,
            "count": 10,
            "interval_seconds": 8,
            "red_flags": ["breathing_difficulty"],
        },
    ),
    _v(
        "2-year-old, stiffened and fell, hitting his head on a table",
        "emergency",
        NHS_FIRST_AID,
        24,
        {"state": "awake", "movements": ["stiffening"], "red_flags": ["head_injury"]},
    ),
    _v(
        "4-year-old, febrile seizure of 3 minutes, not himself 90 minutes later",
        "emergency",
        NHS_FEBRILE,
        48,
        {
            "started_at": _at(1.5),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 3,
            "fever_c": 39.0,
            "after": ["slow_to_recover"],
            "red_flags": ["not_back_to_normal"],
        },
        conditions=["previous_seizures"],
    ),
    _v(
        "6-month-old, jerks with fever, vomiting and a stiff neck",
        "emergency",
        SEED003,
        6,
        {
            "state": "awake",
            "movements": ["limb_jerk"],
            "count": 3,
            "fever_c": 39.0,
            "red_flags": ["vomiting", "neck_stiffness"],
        },
    ),
    _v(
        "1-year-old, extremely sleepy and hard to rouse after an unseen event",
        "emergency",
        SEED003,
        12,
        {"state": "unknown", "red_flags": ["extreme_sleepiness"]},
    ),
    _v(
        "15-year-old, 2-minute tonic-clonic seizure with epilepsy, hurt his arm in the fall",
        "emergency",
        NHS_FIRST_AID,
        180,
        {
            "state": "awake",
            "movements": ["stiffening", "rhythmic_jerking"],
            "episode_minutes": 2,
            "typical_for_child": "yes",
            "red_flags": ["injury"],
        },
        conditions=["epilepsy"],
    ),
    # ------------------------------------------------------------------ same day
    _v(
        "6-month-old, eight head nods, one every 10 s, just after waking",
        "same_day",
        PELLOCK,
        6,
        {
            "state": "just_woke",
            "movements": ["head_nod"],
            "movement_seconds": 1,
            "count": 8,
            "interval_seconds": 10,
        },
    ),
    _v(
        "5-month-old, brief grimace ten times in a row on waking",
        "same_day",
        FUSCO,
        5,
        {
            "state": "just_woke",
            "movements": ["facial_twitch"],
            "movement_seconds": 1,
            "count": 10,
            "interval_seconds": 12,
        },
    ),
    _v(
        "7-month-old, eyes flick to the right for a second, in clusters on waking",
        "same_day",
        DONAT,
        7,
        {
            "state": "just_woke",
            "movements": ["eye_deviation"],
            "side": "right",
            "movement_seconds": 1.5,
            "count": 12,
            "interval_seconds": 8,
        },
    ),
    _v(
        "8-month-old, left arm flings up, fifteen times in a row",
        "same_day",
        GAILY,
        8,
        {
            "state": "awake",
            "movements": ["arms_up"],
            "side": "left",
            "movement_seconds": 1,
            "count": 15,
            "interval_seconds": 6,
        },
    ),
    _v(
        "4-month-old 'colic': cries with legs drawn up and arms up, in clusters after naps",
        "same_day",
        AUVIN,
        4,
        {
            "state": "just_woke",
            "movements": ["legs_drawn_up", "arms_up"],
            "movement_seconds": 1,
            "count": 7,
            "interval_seconds": 15,
            "after": ["cried"],
        },
    ),
    _v(
        "9-month-old with reflux, clusters of brief arching on waking, not with feeds",
        "same_day",
        AUVIN,
        9,
        {
            "state": "just_woke",
            "movements": ["arching"],
            "movement_seconds": 1.5,
            "count": 9,
            "interval_seconds": 10,
        },
        conditions=["reflux"],
    ),
    _v(
        "5-month-old thriving, awake clusters of head and shoulder jerks",
        "same_day",
        MAYDELL,
        5,
        {
            "state": "awake",
            "movements": ["head_nod", "arms_up"],
            "movement_seconds": 1,
            "count": 6,
            "interval_seconds": 5,
            "responsive": "yes",
        },
        development="on_track",
    ),
    _v(
        "6-month-old with tuberous sclerosis, eyes flick up twice on waking",
        "same_day",
        NORTHRUP,
        6,
        {"state": "just_woke", "movements": ["eye_roll_up"], "movement_seconds": 1, "count": 2},
        conditions=["tuberous_sclerosis"],
    ),
    _v(
        "3-month-old, cluster of sleep jerks of both arms that went on after she was woken",
        "same_day",
        MAURER,
        3,
        {
            "state": "asleep",
            "movements": ["limb_jerk"],
            "side": "both",
            "count": 20,
            "stops_when_woken": "no",
        },
    ),
    _v(
        "2-month-old, rhythmic leg jerks in sleep, still jerking when picked up and awake",
        "same_day",
        EF,
        2,
        {
            "state": "asleep",
            "movements": ["rhythmic_jerking"],
            "count": 30,
            "stops_when_woken": "no",
            "stops_when_held": "no",
        },
    ),
    _v(
        "7-month-old stopped rolling and smiling over three weeks; no episodes seen",
        "same_day",
        SEED000,
        7,
        development="lost_skills",
    ),
    _v(
        "10-month-old who can no longer sit, with occasional single head drops",
        "same_day",
        SEED000,
        10,
        {"state": "awake", "movements": ["head_nod"], "movement_seconds": 1, "count": 1},
        development="lost_skills",
    ),
    _v(
        "15-month-old, first afebrile seizure yesterday: stiff then jerking 1 minute, recovered",
        "same_day",
        NHS_SCOT,
        15,
        {
            "started_at": _at(20),
            "state": "awake",
            "movements": ["stiffening", "rhythmic_jerking"],
            "episode_minutes": 1,
            "responsive": "no",
            "after": ["normal"],
        },
    ),
    _v(
        "4-month-old, 1-minute febrile seizure last night, recovered",
        "same_day",
        NHS_SCOT,
        4,
        {
            "started_at": _at(18),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 1,
            "fever_c": 38.6,
            "responsive": "no",
            "after": ["normal"],
        },
    ),
    _v(
        "2-year-old, right arm and face jerking with fever for 3 minutes, recovered",
        "same_day",
        AAP2011,
        24,
        {
            "started_at": _at(16),
            "state": "awake",
            "movements": ["rhythmic_jerking", "facial_twitch"],
            "side": "right",
            "episode_minutes": 3,
            "fever_c": 39.0,
            "after": ["normal"],
        },
    ),
    _v(
        "3-year-old, two febrile convulsions in the same day, recovered",
        "same_day",
        PATEL,
        36,
        {
            "started_at": _at(20),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "side": "both",
            "episode_minutes": 2,
            "fever_c": 39.4,
            "after": ["normal"],
        },
        {
            "started_at": _at(14),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "side": "both",
            "episode_minutes": 1,
            "fever_c": 39.1,
            "after": ["normal"],
        },
    ),
    _v(
        "18-month-old, first simple febrile seizure last night, 2 minutes, fully recovered",
        "same_day",
        NHS_SCOT,
        18,
        {
            "started_at": _at(15),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "side": "both",
            "episode_minutes": 2,
            "fever_c": 39.1,
            "responsive": "no",
            "after": ["sleepy"],
        },
    ),
    _v(
        "6-year-old, one side of the face twitching on waking, drooling, could not speak",
        "same_day",
        SELECTS,
        72,
        {
            "started_at": _at(5),
            "state": "just_woke",
            "movements": ["facial_twitch"],
            "side": "left",
            "episode_minutes": 1,
            "responsive": "yes",
            "after": ["normal"],
        },
    ),
    _v(
        "11-month-old treated for infantile spasms, a cluster on waking again",
        "same_day",
        PELLOCK,
        11,
        {
            "state": "just_woke",
            "movements": ["head_nod", "arms_up"],
            "movement_seconds": 1,
            "count": 6,
            "interval_seconds": 10,
        },
        conditions=["infantile_spasms"],
    ),
    _v(
        "14-month-old, clusters of trunk bends on waking",
        "same_day",
        ZUBERI,
        14,
        {
            "state": "just_woke",
            "movements": ["trunk_crunch"],
            "movement_seconds": 1.5,
            "count": 12,
            "interval_seconds": 10,
        },
    ),
    _v(
        "5-month-old, six tummy crunches in a row while falling asleep",
        "same_day",
        KELLAWAY,
        5,
        {
            "state": "drowsy",
            "movements": ["trunk_crunch"],
            "movement_seconds": 1,
            "count": 6,
            "interval_seconds": 20,
        },
    ),
    _v(
        "13-month-old, eyes and head pulled right for 2 minutes, unresponsive, yesterday",
        "same_day",
        NHS_SCOT,
        13,
        {
            "started_at": _at(22),
            "state": "awake",
            "movements": ["eye_deviation", "neck_twist"],
            "side": "right",
            "episode_minutes": 2,
            "responsive": "no",
            "after": ["sleepy"],
        },
    ),
    _v(
        "6-month-old, eyes roll up with a small head drop, five in a row, several times a day",
        "same_day",
        DONAT,
        6,
        {
            "state": "awake",
            "movements": ["eye_roll_up", "head_nod"],
            "movement_seconds": 1,
            "count": 5,
            "interval_seconds": 20,
        },
    ),
    # ------------------------------------------------------------------ soon
    _v(
        "6-month-old with reflux, arches and twists her neck during feeds, spits up",
        "soon",
        KINSBOURNE,
        6,
        {
            "state": "feeding",
            "movements": ["arching", "neck_twist"],
            "episode_minutes": 2,
            "triggers": ["feeding"],
            "responsive": "yes",
        },
        conditions=["reflux"],
    ),
    _v(
        "3-month-old, arches back and cries after most feeds, spitting up",
        "soon",
        LEHWALD,
        3,
        {
            "state": "feeding",
            "movements": ["arching"],
            "episode_minutes": 2,
            "triggers": ["feeding"],
            "responsive": "yes",
            "after": ["cried"],
        },
    ),
    _v(
        "9-month-old, late to sit and not yet babbling; no episodes",
        "soon",
        LIPKIN,
        9,
        development="slower",
    ),
    _v(
        "8-year-old with epilepsy, his usual 1-minute focal seizure, fully recovered",
        "soon",
        NICE_EPILEPSY,
        96,
        {
            "state": "awake",
            "movements": ["facial_twitch", "limb_jerk"],
            "side": "right",
            "episode_minutes": 1,
            "typical_for_child": "yes",
            "after": ["normal"],
        },
        conditions=["epilepsy"],
    ),
    _v(
        "4-year-old with past febrile seizures, 4-minute febrile convulsion yesterday, recovered",
        "soon",
        AAP2011,
        48,
        {
            "started_at": _at(20),
            "state": "awake",
            "movements": ["rhythmic_jerking"],
            "side": "both",
            "episode_minutes": 4,
            "fever_c": 39.3,
            "after": ["normal"],
        },
        conditions=["previous_seizures"],
    ),
    _v(
        "7-year-old, brief staring spells with fluttering eyelids, many a day at school",
        "soon",
        CAE,
        84,
        {
            "started_at": _at(26),
            "state": "awake",
            "movements": ["staring", "eyelid_flutter"],
            "movement_seconds": 10,
            "count": 1,
            "responsive": "no",
            "after": ["normal"],
        },
        {
            "started_at": _at(24),
            "state": "awake",
            "movements": ["staring", "eyelid_flutter"],
            "movement_seconds": 8,
            "count": 1,
            "responsive": "no",
            "after": ["normal"],
        },
    ),
    _v(
        "2-month-old, clusters of jerks in sleep; waking not tried",
        "soon",
        MAURER,
        2,
        {"state": "asleep", "movements": ["limb_jerk"], "count": 10},
    ),
    _v(
        "8-month-old, clusters of sleep jerks that stop when woken",
        "soon",
        MAURER,
        8,
        {
            "state": "asleep",
            "movements": ["limb_jerk"],
            "count": 10,
            "stops_when_woken": "yes",
        },
    ),
    _v(
        "10-month-old, nodding head with wobbling eyes, a minute or two at a time",
        "soon",
        GOTTLOB,
        10,
        {
            "state": "awake",
            "movements": ["head_nod"],
            "movement_seconds": 0.5,
            "episode_minutes": 2,
            "responsive": "yes",
        },
    ),
    _v(
        "14-month-old, stiffens legs and rocks, flushed, stops when distracted",
        "soon",
        NECHAY,
        14,
        {
            "state": "awake",
            "movements": ["stiffening", "legs_drawn_up"],
            "episode_minutes": 2,
            "stops_with_distraction": "yes",
            "responsive": "yes",
            "after": ["normal"],
        },
    ),
    _v(
        "5-year-old, daytime staring spells that stop when touched",
        "soon",
        ROSENOW,
        60,
        {
            "state": "awake",
            "movements": ["staring"],
            "movement_seconds": 15,
            "count": 1,
            "stops_with_distraction": "yes",
            "responsive": "yes",
            "after": ["normal"],
        },
    ),
    _v(
        "7-month-old with Down syndrome, slower development, no episodes",
        "soon",
        LIPKIN,
        7,
        conditions=["down_syndrome"],
        development="slower",
    ),
    # ------------------------------------------------------------------ routine
    _v(
        "3-week-old, jerks of both arms in quiet sleep for 20 minutes, stop at once when woken",
        "routine",
        MAURER,
        0.7,
        {
            "state": "asleep",
            "movements": ["limb_jerk"],
            "side": "both",
            "count": 40,
            "episode_minutes": 20,
            "stops_when_woken": "yes",
        },
        development="on_track",
    ),
    _v(
        "2-week-old, rhythmic jerks in sleep, worse when rocked, stop when woken",
        "routine",
        RESNICK,
        0.5,
        {
            "state": "asleep",
            "movements": ["rhythmic_jerking"],
            "count": 15,
            "triggers": ["rocking"],
            "stops_when_woken": "yes",
        },
    ),
    _v(
        "5-month-old on track, a few twitches of hands and eyelids in sleep",
        "routine",
        SEED003,
        5,
        {
            "state": "asleep",
            "movements": ["limb_jerk", "eyelid_flutter"],
            "count": 3,
            "stops_when_woken": "yes",
        },
        development="on_track",
    ),
    _v(
        "4-month-old developing well, one leg jerk in sleep, slept on",
        "routine",
        SEED003,
        4,
        {"state": "asleep", "movements": ["limb_jerk"], "count": 1},
        development="on_track",
    ),
    _v(
        "2-year-old, whole-body jerk as he drops off to sleep",
        "routine",
        HYPNIC,
        24,
        {"state": "drowsy", "movements": ["limb_jerk"], "count": 1, "after": ["normal"]},
    ),
    _v(
        "6-year-old, a couple of jerks when falling asleep",
        "routine",
        HYPNIC,
        72,
        {"state": "drowsy", "movements": ["limb_jerk"], "count": 2, "after": ["normal"]},
    ),
    _v(
        "5-day-old, arms and chin tremble when crying, stop when held",
        "routine",
        PARKER,
        0.2,
        {
            "state": "awake",
            "movements": ["tremor"],
            "triggers": ["crying_or_upset"],
            "stops_when_held": "yes",
            "responsive": "yes",
        },
    ),
    _v(
        "3-week-old, jittery legs when unwrapped, stop with a gentle hold",
        "routine",
        VOLPE,
        0.7,
        {
            "state": "awake",
            "movements": ["tremor"],
            "triggers": ["noise_or_touch"],
            "stops_when_held": "yes",
            "responsive": "yes",
        },
    ),
    _v(
        "2-month-old, arms fly out and he cries when laid down quickly",
        "routine",
        MORO,
        2,
        {
            "state": "awake",
            "movements": ["startle", "arms_up"],
            "count": 1,
            "triggers": ["position_change"],
            "after": ["cried"],
        },
    ),
    _v(
        "7-month-old, hiccups after feeds",
        "routine",
        SEED003,
        7,
        {"state": "awake", "movements": ["hiccups"], "triggers": ["feeding"]},
    ),
    _v(
        "11-month-old, 3-second shivers of head and shoulders at meals, aware, fine after",
        "routine",
        KANAZAWA,
        11,
        {
            "state": "awake",
            "movements": ["shivering"],
            "movement_seconds": 3,
            "count": 1,
            "triggers": ["feeding"],
            "responsive": "yes",
            "after": ["normal"],
        },
    ),
    _v(
        "6-month-old, shudders for a few seconds when excited by a toy, stays aware",
        "routine",
        VANASSE,
        6,
        {
            "state": "awake",
            "movements": ["shivering"],
            "movement_seconds": 4,
            "count": 1,
            "triggers": ["excitement"],
            "responsive": "yes",
        },
    ),
    _v(
        "18-month-old, shudders of a few seconds when excited, several a day, stays aware",
        "routine",
        VANASSE,
        18,
        {
            "state": "awake",
            "movements": ["shivering"],
            "movement_seconds": 3,
            "count": 1,
            "triggers": ["excitement"],
            "responsive": "yes",
            "after": ["normal"],
        },
    ),
    _v(
        "4-month-old on track, nothing logged",
        "routine",
        LIPKIN,
        4,
        development="on_track",
    ),
    _v(
        "9-year-old, blinking and nose-twitching tics, can hold them in for a while",
        "routine",
        NHS_TICS,
        108,
        {
            "state": "awake",
            "movements": ["facial_twitch", "eyelid_flutter"],
            "movement_seconds": 0.5,
            "stops_with_distraction": "yes",
            "responsive": "yes",
        },
    ),
    _v(
        "3-month-old, face twitches and smiles in REM sleep, stop when woken",
        "routine",
        SEED003,
        3,
        {
            "state": "asleep",
            "movements": ["facial_twitch"],
            "count": 4,
            "stops_when_woken": "yes",
        },
    ),
    _v(
        "1-month-old on track, clusters of leg jerks in sleep that stop when woken",
        "routine",
        MAURER,
        1,
        {
            "state": "asleep",
            "movements": ["limb_jerk"],
            "side": "both",
            "count": 12,
            "stops_when_woken": "yes",
        },
        development="on_track",
    ),
    _v(
        "9-month-old, rhythmic head banging while settling to sleep, stops when picked up",
        "routine",
        RHYTHMIC,
        9,
        {
            "state": "drowsy",
            "movements": ["rhythmic_jerking"],
            "episode_minutes": 3,
            "stops_when_held": "yes",
            "stops_with_distraction": "yes",
            "responsive": "yes",
        },
    ),
    _v(
        "2-month-old, 37.8 C after vaccination, sleep twitches that stop when woken",
        "routine",
        NICE_FEVER,
        2,
        {
            "state": "asleep",
            "movements": ["limb_jerk"],
            "count": 3,
            "fever_c": 37.8,
            "stops_when_woken": "yes",
        },
    ),
]


#: The blind vignettes, each with ``id``, ``summary``, ``source``, ``gold`` and ``case``.
VIGNETTES: list[dict[str, Any]] = [{"id": f"bv{i:03d}", **v} for i, v in enumerate(_RAW, start=1)]
