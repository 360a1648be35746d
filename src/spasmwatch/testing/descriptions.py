"""Descriptions in parents' own words, for the free-text episode draft ("In your own words"),
each with the fields a careful reader would take from it. Written before the parser, in the
style of parents' forum posts and messages (rambling, misspelt, numbers in words, negations),
after the seed forum thread (seed 002), the seed article on sleep twitches (seed 003) and the
descriptions of the clinical reference.

Each item: ``text`` and ``gold``, a dict of the fields it states: ``movements``,
``triggers`` and ``red_flags`` (sets of case-format words; absent means none), ``state``
(a word, absent when not said), ``count``, ``movement_seconds``, ``interval_seconds``,
``episode_minutes``, ``fever_c`` (numbers, absent when not said). Ranges count as their
middle, or their top for ``count`` (the cautious side); "a couple" is 2.

When the case format gained the warning sign ``seizure_5_minutes`` (a seizure that went on
for 5 minutes or more), it was added to the gold of the four descriptions that state one
(a convulsion of five minutes, shaking for 15 and for 6 minutes, sleep jerks for ten minutes
that did not stop on waking); the texts are unchanged. Likewise, when the reader learnt the
baby's age, ``age_months`` was added to the gold of the 14 descriptions that give it (weeks
and days in months of 30.4375 days; "he's 3" is 36), after the age phrases were written and
before they were scored; one of them ("our son (5mo)", test half) was missed at first and
added when its score showed the age found.

The list is split once, alternately, into a **tuning** half (the parser may be changed while
looking at it) and a **test** half (scored only as a whole).
"""

from __future__ import annotations

from typing import Any

__all__ = ["DESCRIPTIONS", "half"]

#: Days in a month, to say an age in weeks or days in months.
_MONTH_DAYS = 30.4375


def _weeks(n: float) -> float:
    return n * 7 / _MONTH_DAYS


def _days(n: float) -> float:
    return n / _MONTH_DAYS


def _d(text: str, **gold: Any) -> dict[str, Any]:
    for key in ("movements", "triggers", "red_flags"):
        gold[key] = set(gold.get(key, ()))
    return {"text": text, "gold": gold}


_RAW: list[dict[str, Any]] = [
    _d(
        "my 6 month old keeps dropping his head forward and his arms fly up, it happens like "
        "10 times in a row right after he wakes up from his nap. each one is about a second.",
        movements={"head_nod", "arms_up"},
        state="just_woke",
        count=10,
        movement_seconds=1,
        age_months=6,
    ),
    _d(
        "She does this weird crunch thing, like sitting up suddenly and bending at the waist, "
        "maybe 5 or 6 times, every few seconds. Only when she wakes up in the morning",
        movements={"trunk_crunch"},
        state="just_woke",
        count=6,
    ),
    _d(
        "baby twiches in his sleep, arms and legs jerk, stops as soon as i pick him up and he "
        "wakes. no fever and he is feeding fine",
        movements={"limb_jerk"},
        state="asleep",
    ),
    _d(
        "He went stiff and then started shaking all over for about 3 minutes. His lips went "
        "blue and he had a temp of 39.2. Called 999.",
        movements={"stiffening", "rhythmic_jerking"},
        episode_minutes=3,
        fever_c=39.2,
        red_flags={"blue_or_grey"},
    ),
    _d(
        "hiccups!! she gets them after every feed, loads of them, is this normal",
        movements={"hiccups"},
        triggers={"feeding"},
    ),
    _d(
        "her eyes roll up and her head nods, like 3 or 4 times every 5 seconds, while she is "
        "awake and playing. she didnt turn blue or anything",
        movements={"eye_roll_up", "head_nod"},
        state="awake",
        count=4,
        interval_seconds=5,
    ),
    _d(
        "our 3 week old trembles a lot when he cries, his chin and legs quiver but it stops "
        "when i hold his leg",
        movements={"tremor"},
        triggers={"crying_or_upset"},
        age_months=_weeks(3),
    ),
    _d(
        "When I lay him down he flings his arms out like he's startled. Just once each time.",
        movements={"startle", "arms_up"},
        count=1,
        triggers={"position_change"},
    ),
    _d(
        "My daughter is 10 months and has these facial spasms, a grimace that lasts half a "
        "second to two seconds, mostly when shes excited or frustrated. She doesnt notice them.",
        movements={"facial_twitch"},
        movement_seconds=1.25,
        state="awake",
        triggers={"excitement", "crying_or_upset"},
        age_months=10,
    ),
    _d(
        "he was falling asleep and his whole body jerked once, then he went back to sleep",
        movements={"limb_jerk"},
        state="drowsy",
        count=1,
    ),
    _d(
        "Seizure today with fever of 38.6, arms and legs jerking, lasted about 2 minutes, she "
        "was sleepy after but no breathing problems and not blue",
        movements={"rhythmic_jerking"},
        episode_minutes=2,
        fever_c=38.6,
    ),
    _d(
        "shudders of his head and shoulders, like a shiver, for a few seconds when he eats "
        "in his high chair. he stays aware the whole time",
        movements={"shivering"},
        state="feeding",
        triggers={"feeding"},
    ),
    _d(
        "she arches her back and twists her neck during and after bottles, spits up a lot",
        movements={"arching", "neck_twist"},
        state="feeding",
        triggers={"feeding"},
    ),
    _d(
        "Eyes went to the left and she wasnt responding, it lasted about 1 minute. no fever. "
        "She hit her head on the cot when it happened",
        movements={"eye_deviation"},
        episode_minutes=1,
        red_flags={"head_injury"},
    ),
    _d(
        "tummy crunches in clusters, sometimes 20 in a row, every 10 seconds or so. they come "
        "when he wakes up, twice a day",
        movements={"trunk_crunch"},
        state="just_woke",
        count=20,
        interval_seconds=10,
    ),
    _d(
        "our son (5mo) has started these little head bobs, like nodding yes. one at a time, a "
        "few times an hour, awake. he also lost his smile lately",
        movements={"head_nod"},
        state="awake",
        count=1,
        age_months=5,
    ),
    _d(
        "She was shaking and wouldn't wake up afterwards, really floppy and hard to wake, and "
        "she threw up",
        movements={"rhythmic_jerking"},
        red_flags={"extreme_sleepiness", "vomiting"},
    ),
    _d(
        "newborn, 2 weeks. in her sleep her legs jerk rhythmically, like a cluster of jerks for "
        "a minute or so, worse when i rock her. she's fine when awake",
        movements={"rhythmic_jerking", "limb_jerk"},
        state="asleep",
        episode_minutes=1,
        triggers={"rocking"},
        age_months=_weeks(2),
    ),
    _d(
        "He stared blankly for about 20 seconds and didn't respond to his name, then carried "
        "on playing.",
        movements={"staring"},
        movement_seconds=20,
        state="awake",
    ),
    _d(
        "Little one had a febrile convulsion, 102 F, whole body shook for maybe five minutes "
        "and we called an ambulance, he was breathing funny",
        movements={"rhythmic_jerking"},
        episode_minutes=5,
        fever_c=38.9,
        red_flags={"breathing_difficulty", "seizure_5_minutes"},
    ),
    _d(
        "his eyelids flutter and his mouth twitches, 3 or 4 times in a row, maybe 6 times a "
        "day. bright light seems to set it off sometimes",
        movements={"eyelid_flutter", "facial_twitch"},
        count=4,
        triggers={"bright_light"},
    ),
    _d(
        "jackknife spasms!! she folds in half, knees up to her chest and arms out, one every "
        "5-6 seconds for about ten minutes. Just after waking. crying between them",
        movements={"trunk_crunch", "legs_drawn_up", "arms_up"},
        state="just_woke",
        interval_seconds=5.5,
        episode_minutes=10,
    ),
    _d(
        "When the door slammed he jumped and threw his arms up, then was fine",
        movements={"startle", "arms_up"},
        triggers={"noise_or_touch"},
    ),
    _d(
        "a single twitch of her arm while sleeping, she didnt wake",
        movements={"limb_jerk"},
        state="asleep",
        count=1,
    ),
    _d(
        "2 month old. he has a temperature of 38.3 and his arm keeps jerking",
        movements={"limb_jerk"},
        fever_c=38.3,
        age_months=2,
    ),
    _d(
        "went rigid, stiff as a board, for about 30 seconds during a feed, then normal. no "
        "color change",
        movements={"stiffening"},
        movement_seconds=30,
        state="feeding",
    ),
    _d(
        "Hi all, sorry for the long post. my baby boy is 7 months and for the last 3 days he "
        "does this thing where his head drops down and his arms go out, it looks like a startle "
        "but it keeps happening, like 8 times in a row, every few seconds, mostly in the "
        "morning right after he wakes up. he cries after. the doctor said colic but i'm not so "
        "sure. he is not rolling over anymore",
        movements={"head_nod", "arms_up", "startle"},
        state="just_woke",
        count=8,
        age_months=7,
    ),
    _d(
        "rocking back and forth and banging her head before she falls asleep, stops if I "
        "distract her",
        movements={"rhythmic_jerking", "head_nod"},
        state="drowsy",
    ),
    _d(
        "babys lips and face went grey during a jerking episode. not breathing right",
        movements={"rhythmic_jerking"},
        red_flags={"blue_or_grey", "breathing_difficulty"},
    ),
    _d(
        "the shaking was only on his right side, arm and leg, lasted two minutes, no fever",
        movements={"rhythmic_jerking"},
        episode_minutes=2,
    ),
    _d(
        "she does little shivers when she pees lol, totally alert",
        movements={"shivering"},
        state="awake",
    ),
    _d(
        "we noticed subtle head nods when she's drowsy, in a series of about 6, each less than "
        "a second",
        movements={"head_nod"},
        state="drowsy",
        count=6,
    ),
    _d(
        "He had a seizure and bit his tongue, there was blood. he's 3. no temperature",
        red_flags={"injury"},
        age_months=36,
    ),
    _d(
        "in REM sleep her fingers, toes and eyebrows twitch a bit, she wakes up happy",
        movements={"limb_jerk", "facial_twitch"},
        state="asleep",
    ),
    _d(
        "my 4 month old has these episodes where her arms go up and her eyes roll back. like a "
        "dozen times every morning when she wakes, every 8 seconds or so",
        movements={"arms_up", "eye_roll_up"},
        state="just_woke",
        count=12,
        interval_seconds=8,
        age_months=4,
    ),
    _d(
        "Hes been sick (vomiting) all day and now he had a fit, jerking for about 1 min. he has a "
        "stiff neck and a rash that doesnt go away when i press a glass on it",
        movements={"rhythmic_jerking"},
        episode_minutes=1,
        red_flags={"vomiting", "neck_stiffness", "rash"},
    ),
    _d(
        "jittery when hungry, the trembling stops when I hold her hand. 5 days old",
        movements={"tremor"},
        age_months=_days(5),
    ),
    _d(
        "she was playing and suddenly her head dropped and she fell forward, bumped her head on "
        "the floor. only once",
        movements={"head_nod"},
        state="awake",
        count=1,
        red_flags={"head_injury"},
    ),
    _d(
        "my son gets this crazy face thing, his mouth goes all crazy and one eyebrow lifts "
        "really high, each one lasts about 3 sec, more than 10 times a day, only when he's "
        "moving around and smiling",
        movements={"facial_twitch"},
        movement_seconds=3,
        state="awake",
        triggers={"excitement"},
    ),
    _d(
        "30 mins after the seizure he still isnt himself, not back to normal, keeps staring",
        movements={"staring"},
        red_flags={"not_back_to_normal"},
    ),
    _d(
        "legs kick out suddenly in her sleep, 2 or 3 times, then nothing",
        movements={"limb_jerk"},
        state="asleep",
        count=3,
    ),
    _d(
        "weird episodes: eyes look to the right, face twitches on the right, maybe forty seconds. "
        "she was awake. it happened twice today",
        movements={"eye_deviation", "facial_twitch"},
        movement_seconds=40,
        state="awake",
    ),
    _d(
        "He startles at every little noise and goes completely stiff, been like that since birth",
        movements={"startle", "stiffening"},
        triggers={"noise_or_touch"},
    ),
    _d(
        "she has a fever of 39.5 and was shaking for about 15 minutes, she's ok now",
        movements={"rhythmic_jerking"},
        episode_minutes=15,
        fever_c=39.5,
        red_flags={"seizure_5_minutes"},
    ),
    _d(
        "Baby keeps nodding her head while nursing, little nods, no other movements",
        movements={"head_nod"},
        state="feeding",
        triggers={"feeding"},
    ),
    _d(
        "his back arches and his head is thrown back, it happens in clusters when he wakes up, "
        "about fifteen in a row. no fever, no vomiting, breathing was fine",
        movements={"arching"},
        state="just_woke",
        count=15,
    ),
    _d(
        "he sits in his bouncer and stares off, zoned out for a few seconds, answers when i "
        "call him",
        movements={"staring"},
        state="awake",
    ),
    _d(
        "the jerks keep going even after I woke him up. they come in a cluster of maybe 10 "
        "every night",
        movements={"limb_jerk"},
        state="asleep",
        count=10,
    ),
    _d(
        "My 9 month old has had 3 episodes of sudden arm jerks, each a split second, both arms, "
        "while awake",
        movements={"limb_jerk"},
        state="awake",
        age_months=9,
    ),
    _d(
        "Eyes rolling up and arms stiff for about 2 seconds, again and again, like 6 times, "
        "every 10 secs. he is 8 months. not blue, no fever",
        movements={"eye_roll_up", "stiffening"},
        movement_seconds=2,
        count=6,
        interval_seconds=10,
        age_months=8,
    ),
    _d(
        "she's 3 months and gets the hiccups loads, also little twitches in her sleep",
        movements={"hiccups", "limb_jerk"},
        state="asleep",
        age_months=3,
    ),
    _d(
        "our baby goes quiet, stares, lips smack and his eyelids flicker for about a minute, "
        "then he's sleepy. first time this happened",
        movements={"staring", "eyelid_flutter", "facial_twitch"},
        episode_minutes=1,
    ),
    _d(
        "Twisting his neck and arching only after feeds, spitting up milk",
        movements={"neck_twist", "arching"},
        triggers={"feeding"},
    ),
    _d(
        "He suddenly went limp and his lips turned blue for a few seconds while crying",
        red_flags={"blue_or_grey"},
        triggers={"crying_or_upset"},
    ),
    _d(
        "Her whole body jerks when she's falling asleep, twice tonight",
        movements={"limb_jerk"},
        state="drowsy",
        count=2,
    ),
    _d(
        "little crunches when he wakes, like 4 in a row, each about 1-2 secs",
        movements={"trunk_crunch"},
        state="just_woke",
        count=4,
        movement_seconds=1.5,
    ),
    _d(
        "my baby seems to have a seizure every time i change his position, his legs draw up to "
        "his belly and he cries",
        movements={"legs_drawn_up"},
        triggers={"position_change", "crying_or_upset"},
    ),
    _d(
        "Shaking all over, would not stop, it's been going for 6 minutes now, temperature 40",
        movements={"rhythmic_jerking"},
        episode_minutes=6,
        fever_c=40,
        red_flags={"seizure_5_minutes"},
    ),
    _d(
        "head drops repeated in a series, around seven of them, each about a second, while "
        "she was sitting awake in her chair. She never turned blue and kept breathing normally",
        movements={"head_nod"},
        state="awake",
        count=7,
        movement_seconds=1,
    ),
    _d(
        "brief jerk of the whole body when someone touches him, only one each time, 2 months old",
        movements={"startle"},
        count=1,
        triggers={"noise_or_touch"},
        age_months=2,
    ),
    _d(
        "she was asleep and her arms and legs jerked repeatedly for ten minutes, wouldn't "
        "stop when we woke her",
        movements={"rhythmic_jerking", "limb_jerk"},
        state="asleep",
        episode_minutes=10,
        red_flags={"seizure_5_minutes"},
    ),
    _d(
        "he had a temp of thirty eight point five and his eyes rolled up for a second, once",
        movements={"eye_roll_up"},
        movement_seconds=1,
        count=1,
        fever_c=38.5,
    ),
    _d(
        "quivering chin while she's awake, lasts a few seconds, many times a day",
        movements={"tremor"},
        state="awake",
    ),
    _d(
        "Found him in his cot gasping and grey, arms jerking",
        movements={"limb_jerk"},
        red_flags={"breathing_difficulty", "blue_or_grey"},
    ),
]


def _with_halves(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"id": f"ft{i:03d}", "half": "tuning" if i % 2 else "test", **item}
        for i, item in enumerate(raw, start=1)
    ]


#: The descriptions, each with ``id``, ``half`` (``tuning`` or ``test``), ``text``, ``gold``.
DESCRIPTIONS: list[dict[str, Any]] = _with_halves(_RAW)


def half(name: str) -> list[dict[str, Any]]:
    """The descriptions of one half: ``tuning`` or ``test``."""
    if name not in ("tuning", "test"):
        raise ValueError(f"Invalid value for 'half': allowed are tuning, test; got {name!r}")
    return [d for d in DESCRIPTIONS if d["half"] == name]
