"""Benign look-alikes: movements that look worrying but are usually harmless.

Each rule recognises one look-alike in an episode. What it explains can lower a
``concern`` rule to ``soon``, never a spasm or emergency rule (the safety principle in
:mod:`spasmwatch.triage.rules`).

References
----------
.. [SM] Seed 003; ICNApedia; Di Capua 1993: benign neonatal sleep myoclonus.
.. [HJ] Seed 003: a jerk on the verge of sleep is a hypnagogic jerk, a form of sleep
   myoclonus.
.. [MORO] Edwards & Al Khalili, "Moro Reflex", StatPearls (2019, PMID 31194330): present
   at birth, set off by a sudden noise, touch or loss of support, fading from about 12
   weeks, gone by 6 months. A single startle that nothing set off is
   ``single-startle-awake``'s (:mod:`~spasmwatch.triage.concerns`): ``soon``, not harmless.
.. [HIC] AAP, HealthyChildren.org "Burping, Hiccups, and Spitting Up": most babies hiccup
   from time to time, and it bothers the parents more than the baby. No seed article says
   so: seed 003 only calls hiccups a form of myoclonus.
.. [JIT] McGraw Hill, AccessPediatrics: jitteriness stops when the limb is held.
.. [SH] Tibussek et al., "Clinical Reasoning: Shuddering attacks in infancy", Neurology
   2008;70:e38: shuddering attacks, 4 months-2 years, 2-15 s.
.. [SAN] Eslami, "Sandifer Syndrome", Medscape (2020): arching and neck twisting with
   feeds, from reflux.
"""

from __future__ import annotations

from spasmwatch.triage.rule import Rule, each, not_drowsy_after, only

__all__ = ["LOOKALIKE_RULES"]

#: Benign sleep myoclonus: first weeks to about 6 months [SM]. Not 3 months: "traditionally
#: resolved by 3 months", it had not resolved by then in a third of the 164 infants of
#: Maurer et al.'s review (Pediatrics 2010;125:e919).
#: A routine answer on it says to see a doctor sooner if the jerks are still happening at
#: 6 months, or come awake, on waking or go on when the baby is woken
#: (:mod:`~spasmwatch.triage.changes`).
SLEEP_MYOCLONUS_MAX_AGE_MONTHS = 6.0
#: Jitteriness is a newborn's tremor [JIT].
JITTERY_MAX_AGE_MONTHS = 3.0
#: The Moro reflex is gone by about 6 months [MORO].
MORO_MAX_AGE_MONTHS = 6.0
#: Shuddering attacks: 4 months to 2 years, 2-15 s [SH].
SHUDDER_MIN_AGE_MONTHS = 4.0
SHUDDER_MAX_AGE_MONTHS = 24.0
SHUDDER_MAX_S = 15.0
#: A hypnic jerk [HJ], or a startle [MORO], is one or two jerks.
HYPNIC_MAX_COUNT = 2
#: Twitches of REM sleep come one to a few at a time, in babies of every age [SM].
SLEEP_TWITCH_MAX_COUNT = 3
#: What sleep twitches move: limbs, fingers and toes, face, eyelids [SM].
SLEEP_TWITCH_MOVEMENTS = frozenset({"limb_jerk", "facial_twitch", "eyelid_flutter", "startle"})

LOOKALIKE_RULES: tuple[Rule, ...] = (
    Rule(
        "lookalike-sleep-myoclonus",
        "routine",
        "lookalike",
        "Jerks only during sleep that stop as soon as the baby is woken, in a baby under "
        "6 months, are typical of harmless sleep twitches (benign sleep myoclonus).",
        "sleep-myoclonus",
        each(
            lambda e: (
                e.episode.state == "asleep"
                and e.episode.stops_when_woken == "yes"
                and e.age_months < SLEEP_MYOCLONUS_MAX_AGE_MONTHS
                and only(
                    e, SLEEP_TWITCH_MOVEMENTS | {"rhythmic_jerking", "arms_up", "legs_drawn_up"}
                )
                and not_drowsy_after(e)
            )
        ),
        suggests=(("benign_sleep_myoclonus", "high"),),
    ),
    Rule(
        "lookalike-sleep-twitch",
        "routine",
        "lookalike",
        "One to three small twitches of the face, eyelids, fingers or limbs in sleep are the "
        "normal twitches of dreaming (REM) sleep, seen at every age.",
        "sleep-myoclonus",
        each(
            lambda e: (
                e.episode.state == "asleep"
                and (e.episode.count or 1) <= SLEEP_TWITCH_MAX_COUNT
                and only(e, SLEEP_TWITCH_MOVEMENTS)
                and e.episode.stops_when_woken != "no"
                and e.episode.responsive != "no"
                and not_drowsy_after(e)
            )
        ),
        suggests=(("benign_sleep_myoclonus", "high"),),
        reason_if_no_count=(
            "Small twitches of the face, eyelids, fingers or limbs in sleep are the normal "
            "twitches of dreaming (REM) sleep, seen at every age, when they come one to three "
            "at a time."
        ),
    ),
    Rule(
        "lookalike-hypnic-jerk",
        "routine",
        "lookalike",
        "One or two jerks on the verge of sleep are normal sleep starts (hypnic jerks).",
        "hypnic",
        each(
            lambda e: (
                e.episode.state in ("drowsy", "asleep")
                and e.episode.stops_when_woken != "no"
                and (e.episode.count or 1) <= HYPNIC_MAX_COUNT
                and only(e, {"limb_jerk", "startle", "arms_up", "legs_drawn_up"})
                and not_drowsy_after(e)
            )
        ),
        suggests=(("hypnic_jerk", "high"),),
        reason_if_no_count=(
            "Jerks on the verge of sleep are normal sleep starts (hypnic jerks) when they come "
            "once or twice."
        ),
    ),
    Rule(
        "lookalike-jitteriness",
        "routine",
        "lookalike",
        "Trembling in a young baby that stops when the limb is gently held is typical of "
        "jitteriness, which is common and harmless in newborns.",
        "jitteriness",
        each(
            lambda e: (
                e.episode.stops_when_held == "yes"
                and e.age_months < JITTERY_MAX_AGE_MONTHS
                and only(e, {"tremor", "rhythmic_jerking"})
                and e.episode.responsive != "no"
            )
        ),
        suggests=(("jitteriness", "high"),),
    ),
    Rule(
        "lookalike-startle",
        "routine",
        "lookalike",
        "A single startle with the arms flung out after a noise, touch or change of position "
        "is the normal startle (Moro) reflex of young babies.",
        "moro",
        each(
            lambda e: (
                only(e, {"startle", "arms_up", "legs_drawn_up"})
                and bool({"noise_or_touch", "position_change"} & set(e.episode.triggers))
                and (e.episode.count or 1) <= HYPNIC_MAX_COUNT
                and e.age_months < MORO_MAX_AGE_MONTHS
            )
        ),
        suggests=(("startle_reflex", "high"),),
        reason_if_no_count=(
            "A startle with the arms flung out after a noise, touch or change of position is "
            "the normal startle (Moro) reflex of young babies when it comes once or twice."
        ),
    ),
    Rule(
        "lookalike-hiccups",
        "routine",
        "lookalike",
        "Hiccups are a harmless, very common kind of jerk in babies.",
        "hiccups",
        each(lambda e: e.moves == {"hiccups"}),
        suggests=(("hiccups", "high"),),
    ),
    Rule(
        "lookalike-self-soothing",
        "routine",
        "lookalike",
        "Rhythmic movements that stop when the baby is distracted are usually self-soothing "
        "habits (stereotypies).",
        "stereotypies",
        each(
            lambda e: (
                e.episode.stops_with_distraction == "yes"
                and e.episode.responsive != "no"
                and only(
                    e,
                    {"rhythmic_jerking", "head_nod", "limb_jerk", "neck_twist", "legs_drawn_up"},
                )
            )
        ),
        suggests=(("self_soothing", "high"),),
    ),
    Rule(
        "lookalike-shuddering",
        "routine",
        "lookalike",
        "A few seconds of shivering of the head and shoulders while awake, often at meals or "
        "when excited, with the baby staying aware, are typical of harmless shuddering "
        "attacks.",
        "shuddering",
        each(
            lambda e: (
                only(e, {"shivering", "tremor"})
                and "shivering" in e.moves
                and SHUDDER_MIN_AGE_MONTHS <= e.age_months <= SHUDDER_MAX_AGE_MONTHS
                and e.episode.state in ("awake", "feeding")
                and e.episode.responsive != "no"
                and (e.episode.movement_seconds or 0.0) <= SHUDDER_MAX_S
                and not_drowsy_after(e)
            )
        ),
        suggests=(("shuddering_attacks", "high"),),
    ),
    Rule(
        "lookalike-reflux-arching",
        "soon",
        "lookalike",
        "Arching and neck twisting during or just after feeds are typical of reflux "
        "(Sandifer syndrome); a doctor can help with the reflux.",
        "sandifer",
        each(
            lambda e: (
                only(e, {"arching", "neck_twist"})
                and (e.episode.state == "feeding" or "feeding" in e.episode.triggers)
                and e.episode.responsive != "no"
            )
        ),
        suggests=(("reflux_sandifer", "high"),),
    ),
)
