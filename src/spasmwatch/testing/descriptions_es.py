"""Descriptions in parents' own words, in Spanish, for the free-text episode draft ("Con sus
propias palabras"), each with the fields a careful reader would take from it. Written in
the style of parents' messages and forum posts from Spain and Latin America (rambling,
typos, accents left out, "mi nena", "el peque", "calentura", "mamadera"), from the clinical
vocabulary: clusters of infantile spasms on waking, head nods, benign sleep myoclonus,
hypnic jerks, startles, shuddering attacks, arching with reflux, febrile seizures, focal
seizures, breath-holding spells, emergencies. Not translations of the English descriptions.

Each item: ``text`` and ``gold``, as in :mod:`spasmwatch.testing.descriptions`, with
``age_months`` when the text gives the baby's age (weeks and days in months of 30.4375
days). Ranges count as their middle, or their top for ``count`` (the cautious side); "un
par" is 2; "varias" gives no count. A feed during which it happened is both the state and
the trigger ``feeding``; a count per day or per night is not a count in a row.

Two halves, written apart: the **tuning** half (the Spanish phrase lists were written
while looking at it) and the **test** half, written in full before the Spanish reader
existed, scored only as a whole and never tuned on.
"""

from __future__ import annotations

from typing import Any

# the gold's helpers are the English set's: an age in weeks or days said in months, and
# one description with its expected fields
from spasmwatch.testing.descriptions import _d, _days, _weeks

__all__ = ["DESCRIPTIONS", "half"]


_TUNING: list[dict[str, Any]] = [
    _d(
        "mi bebé de 5 meses dobla el cuerpo hacia delante con los brazos arriba, unas 8 veces "
        "seguidas al despertar, sin fiebre",
        movements={"trunk_crunch", "arms_up"},
        state="just_woke",
        count=8,
        age_months=5,
    ),
    _d(
        "hola, mi nena tiene 4 meses y cuando se despierta de la siesta hace como un cabeceo, "
        "la cabeza se le va para adelante, 10 o 12 veces, cada 5 segundos mas o menos. no "
        "llora ni nada",
        movements={"head_nod"},
        state="just_woke",
        count=12,
        interval_seconds=5,
        age_months=4,
    ),
    _d(
        "El peque duerme y de repente da sacudidas en las piernas, tipo brincos, solo mientras "
        "duerme. Si lo despierto se le pasa enseguida. Tiene 3 semanas.",
        movements={"limb_jerk"},
        state="asleep",
        age_months=_weeks(3),
    ),
    _d(
        "mi hijo se puso rigido y despues empezo a convulsionar, duro como 4 minutos, tenia "
        "39,5 de fiebre. los labios se le pusieron morados",
        movements={"stiffening", "rhythmic_jerking"},
        episode_minutes=4,
        fever_c=39.5,
        red_flags={"blue_or_grey"},
    ),
    _d(
        "tiene hipo despues de cada toma, es normal?? tiene dos meses",
        movements={"hiccups"},
        triggers={"feeding"},
        age_months=2,
    ),
    _d(
        "Se le van los ojos para arriba y se queda con la mirada fija unos segundos mientras "
        "esta jugando, despierta. No se puso azul.",
        movements={"eye_roll_up", "staring"},
        state="awake",
    ),
    _d(
        "cuando le doy el biberon arquea la espalda y echa la cabeza para atras, llora mucho, "
        "creo que es reflujo. tiene 3 meses",
        movements={"arching"},
        state="feeding",
        triggers={"feeding"},
        age_months=3,
    ),
    _d(
        "la bebita tiembla la barbilla cuando llora, le tiembla tambien la pierna pero se para "
        "cuando se la agarro",
        movements={"tremor"},
        triggers={"crying_or_upset"},
    ),
    _d(
        "Mi crío de 7 meses, esta mañana nada mas despertarse hizo una serie de espasmos: "
        "encoge las piernas, sube los brazos, cada uno dura un segundo, fueron unos 15. Ya le "
        "había pasado ayer.",
        movements={"legs_drawn_up", "arms_up"},
        state="just_woke",
        count=15,
        movement_seconds=1,
        age_months=7,
    ),
    _d(
        "se sobresalta con cualquier ruido, abre los brazos de golpe y luego llora. recien "
        "nacido de 10 dias",
        movements={"startle", "arms_up"},
        triggers={"noise_or_touch"},
        age_months=_days(10),
    ),
    _d(
        "Estaba dormida y empezo a temblar entera, brazos y piernas, ritmicamente, como 2 "
        "minutos. Despues quedo muy adormilada y no hay forma de despertarla bien. "
        "Temperatura 38,7",
        movements={"rhythmic_jerking"},
        state="asleep",
        episode_minutes=2,
        fever_c=38.7,
        red_flags={"extreme_sleepiness"},
    ),
    _d(
        "mi bebe hace una mueca rara con la boca, como un tic, y parpadea muy rapido, varias "
        "veces al dia. Sin fiebre, come bien",
        movements={"facial_twitch", "eyelid_flutter"},
    ),
    _d(
        "cuando lo acuesto en la cuna se estremece, como un escalofrio que le sacude la cabeza "
        "y los hombros, dura medio segundo",
        movements={"shivering"},
        triggers={"position_change"},
        movement_seconds=0.5,
    ),
    _d(
        "tengo un bebé de 9 meses que tuerce el cuello hacia un lado y se queda así un rato, "
        "unos 10 minutos, pero está despierto y contento",
        movements={"neck_twist"},
        state="awake",
        episode_minutes=10,
        age_months=9,
    ),
    _d(
        "Ayer mi hija dejo de respirar unos segundos y se puso azul, despues vomito. No tuvo "
        "fiebre",
        red_flags={"breathing_difficulty", "blue_or_grey", "vomiting"},
    ),
    _d(
        "cabeceos en racimo, unas veinte veces, uno cada 8 o 10 segundos, siempre al "
        "despertarse por la mañana. mi nene tiene 6 meses y ya no se rie como antes",
        movements={"head_nod"},
        state="just_woke",
        count=20,
        interval_seconds=9,
        age_months=6,
    ),
    _d(
        "estaba tomando el pecho y de repente se quedo con la mirada perdida, no respondia "
        "cuando la llamaba, como medio minuto",
        movements={"staring"},
        state="feeding",
        triggers={"feeding"},
        episode_minutes=0.5,
    ),
    _d(
        "Mi bebé tiene 2 meses y cuando se está quedando dormido pega una sacudida de todo el "
        "cuerpo, como cuando uno sueña que se cae, una sola vez",
        movements={"limb_jerk"},
        state="drowsy",
        count=1,
        age_months=2,
    ),
    _d(
        "fiebre de 38 y medio y tuvo una convulsion, se sacudia todo, le salia espuma por la "
        "boca, menos de 5 minutos. Ahora está bien",
        movements={"rhythmic_jerking"},
        fever_c=38.5,
    ),
    _d(
        "Mi sobrina de 1 año hace como que se le cae la cabeza hacia delante, se le dobla el "
        "cuello, varias veces seguidas, sobre todo cuando esta sentada jugando",
        movements={"head_nod"},
        state="awake",
        age_months=12,
    ),
    _d(
        "el bebé tiene 11 semanas, llora mucho y encoge las piernas hacia la barriga despues "
        "de comer, se pone rojo. ¿colicos?",
        movements={"legs_drawn_up"},
        triggers={"feeding"},
        age_months=_weeks(11),
    ),
    _d(
        "Durante la siesta le tiemblan los párpados y mueve los ojos, respira normal, y sigue "
        "dormida tan tranquila",
        movements={"eyelid_flutter"},
        state="asleep",
    ),
    _d(
        "Se le fueron los ojos hacia la derecha y se le sacudia el brazo derecho una y otra "
        "vez, como 3 minutos, no contestaba. Tiene año y medio.",
        movements={"eye_deviation", "rhythmic_jerking"},
        episode_minutes=3,
        age_months=18,
    ),
    _d(
        "ojos en blanco y se quedó flojita, no reaccionaba, la llevamos a urgencias. no "
        "convulsiono",
        movements={"eye_roll_up"},
        red_flags={"extreme_sleepiness"},
    ),
    _d(
        "cada vez que lo meces se pone tieso y estira los brazos para arriba, unos 2 segundos. "
        "Tiene 5 meses y medio",
        movements={"stiffening", "arms_up"},
        triggers={"rocking"},
        movement_seconds=2,
        age_months=5.5,
    ),
    _d(
        "se dio un golpe en la cabeza al caerse del sofá y luego vomitó dos veces y está muy "
        "dormilona",
        red_flags={"head_injury", "vomiting", "extreme_sleepiness"},
    ),
    _d(
        "Mi bebe hace movimientos raros cuando se emociona, tensa los brazos y tiembla un "
        "poco, unos segundos, y sigue jugando tan feliz",
        movements={"stiffening", "tremor"},
        state="awake",
        triggers={"excitement"},
    ),
    _d(
        "tiene 8 meses, ya no se sienta sola como antes y le dan como unos sustos raros, la "
        "cabeza para abajo y los brazos arriba, en tandas de 5 o 6. No hay fiebre.",
        movements={"head_nod", "arms_up", "startle"},
        count=6,
        age_months=8,
    ),
    _d(
        "Al dormirse hace un ruido y salta, pega un brinco, y se despierta llorando. unas tres "
        "o cuatro veces cada noche",
        movements={"startle"},
        state="drowsy",
    ),
    _d(
        "Mi hija de 3 años tuvo fiebre de 40 y se quedó rígida con los ojos para arriba, duró "
        "como un minuto y después lloró y se durmió",
        movements={"stiffening", "eye_roll_up"},
        fever_c=40,
        episode_minutes=1,
        age_months=36,
    ),
    _d(
        "hace unos movimientos con la boca como si chupara, y mira fijo a la nada, 20-30 "
        "segundos, no responde. despierto",
        movements={"facial_twitch", "staring"},
        state="awake",
        movement_seconds=25,
    ),
    _d(
        "Desde hace 2 semanas, cuando se despierta, mi bebe de 4 meses y medio hace un "
        "movimiento brusco, como un abrazo, los brazos se abren y se cierran, unos 10 "
        "seguidos. sin vomitos, sin fiebre, respira bien",
        movements={"arms_up"},
        state="just_woke",
        count=10,
        age_months=4.5,
    ),
]

_TEST: list[dict[str, Any]] = [
    _d(
        "Buenas, mi bebe de seis meses al despertar de la siesta hace unos espasmos: se dobla "
        "hacia adelante como una navajita y levanta los bracitos. Fueron 9 seguidos, cada 6 "
        "segundos mas o menos.",
        movements={"trunk_crunch", "arms_up"},
        state="just_woke",
        count=9,
        interval_seconds=6,
        age_months=6,
    ),
    _d(
        "El pediatra dice que son mioclonias del sueño. Mi nena de 3 semanas, dormidita, tiene "
        "sacudidas de las manos y los pies que vienen en rachas, cuando la despierto paran. "
        "Sin fiebre, come perfecto.",
        movements={"limb_jerk"},
        state="asleep",
        age_months=_weeks(3),
    ),
    _d(
        "mi niño convulsiono con calentura de 39, se puso morado de la boca y duró mas de 5 "
        "minutos, llamamos al 911",
        movements={"rhythmic_jerking"},
        fever_c=39,
        episode_minutes=5,
        red_flags={"blue_or_grey", "seizure_5_minutes"},
    ),
    _d(
        "Cuando se esta quedando dormido, el peque da un respingo de todo el cuerpo, uno solo, "
        "y sigue durmiendo. Tiene 10 meses.",
        movements={"startle"},
        state="drowsy",
        count=1,
        age_months=10,
    ),
    _d(
        "Mi hijo de un año y dos meses se queda tieso y tiembla un poquito, como un escalofrio, "
        "cuando le pongo el pañal o cuando está muy emocionado, un par de segundos. Luego "
        "sigue normal",
        movements={"stiffening", "shivering", "tremor"},
        triggers={"excitement"},
        movement_seconds=2,
        age_months=14,
    ),
    _d(
        "Despues del biberon se arquea toda hacia atras y gira el cuello para un lado, llora "
        "como si le doliera, vomita un poco de leche",
        movements={"arching", "neck_twist"},
        triggers={"feeding"},
        red_flags={"vomiting"},
    ),
    _d(
        "tenia 38,2 y le vimos los ojos desviados a la izquierda, con el lado izquierdo de la "
        "cara moviendose, mas o menos 2 min. Despues estuvo muy dormido pero se despertaba",
        movements={"eye_deviation", "facial_twitch"},
        fever_c=38.2,
        episode_minutes=2,
    ),
    _d(
        "mi nena de 5 meses ya no sonrie y le dan unos cabezazos para adelante, en serie, "
        "cuando recien se despierta, unos doce cada vez",
        movements={"head_nod"},
        state="just_woke",
        count=12,
        age_months=5,
    ),
    _d(
        "La beba estaba en la hamaca despierta y se le fue la mirada, quedó ida, no "
        "parpadeaba, unos 10 segundos, despues siguio como si nada",
        movements={"staring"},
        state="awake",
        movement_seconds=10,
    ),
    _d(
        "No respira bien, está con los labios grises, tuvo convulsiones, por favor que hago",
        movements={"rhythmic_jerking"},
        red_flags={"breathing_difficulty", "blue_or_grey"},
    ),
    _d(
        "Mi bebe de 2 meses cuando duerme mueve los dedos de las manos y hace muecas, sonrie "
        "dormido, y a veces se le mueven los ojos debajo de los parpados. Nada de fiebre.",
        movements={"facial_twitch"},
        state="asleep",
        age_months=2,
    ),
    _d(
        "mi hija tiene hipo muy seguido, casi todos los dias, y a veces tiene temblores en las "
        "piernas cuando llora. tiene 6 semanas",
        movements={"hiccups", "tremor"},
        triggers={"crying_or_upset"},
        age_months=_weeks(6),
    ),
    _d(
        "cuando lo agarro de repente o suena el timbre se asusta y abre los brazos, llora un "
        "poco y ya. tiene un mes",
        movements={"startle", "arms_up"},
        triggers={"noise_or_touch"},
        age_months=1,
    ),
    _d(
        "Esta mañana al despertarse mi bebé de 8 meses tuvo una racha de sacudidas: flexiona "
        "la cabeza, encoge las piernas y extiende los brazos. Conté catorce. Cada una dura "
        "menos de un segundo.",
        movements={"head_nod", "legs_drawn_up", "arms_up"},
        state="just_woke",
        count=14,
        age_months=8,
    ),
    _d(
        "Se golpeó la cabeza contra el suelo al caer de la cama y ahora tiene el cuello tieso "
        "y vomitó 3 veces",
        red_flags={"head_injury", "neck_stiffness", "vomiting"},
    ),
    _d(
        "Mi gordo hace como que se estremece, un temblorcito de la cabeza y los hombros, "
        "varias veces al dia cuando come en la silla. tiene 7 meses y esta perfecto, se rie",
        movements={"shivering"},
        state="feeding",
        triggers={"feeding"},
        age_months=7,
    ),
    _d(
        "Estaba durmiendo y se puso rígido con los brazos estirados, luego empezó a sacudirse "
        "de forma ritmica, duró como 6 minutos y no se despertaba después. Tiene 15 meses, sin "
        "fiebre",
        movements={"stiffening", "rhythmic_jerking"},
        state="asleep",
        episode_minutes=6,
        red_flags={"seizure_5_minutes", "extreme_sleepiness"},
        age_months=15,
    ),
    _d(
        "el bebe tiembla mucho la barbilla y las manos, sobre todo cuando tiene hambre y "
        "llora, pero si le doy el dedo para chupar se calma. recien nacido, 5 dias",
        movements={"tremor"},
        triggers={"crying_or_upset"},
        age_months=_days(5),
    ),
    _d(
        "Le pasa mientras mama: pone los ojos en blanco un segundo y sigue mamando. Pasa dos o "
        "tres veces por toma",
        movements={"eye_roll_up"},
        state="feeding",
        triggers={"feeding"},
        movement_seconds=1,
    ),
    _d(
        "mi bebe de 4 meses hace un movimiento como si se asustara pero sin motivo, la cabeza "
        "se va hacia abajo y las rodillas al pecho, en grupos, cada 10 segundos, como 5 "
        "minutos en total. Pasa al despertarse",
        movements={"head_nod", "legs_drawn_up"},
        state="just_woke",
        interval_seconds=10,
        episode_minutes=5,
        age_months=4,
    ),
    _d(
        "Llevaba todo el día con fiebre, treinta y ocho con nueve, y de pronto se quedó con la "
        "mirada perdida y le temblaba todo el cuerpo, menos de un minuto, luego lloró",
        movements={"staring", "rhythmic_jerking"},
        fever_c=38.9,
    ),
    _d(
        "Mi bebé está muy decaído, no responde, tiene manchitas moradas en las piernas y "
        "fiebre alta",
        red_flags={"rash", "extreme_sleepiness"},
    ),
    _d(
        "Los brazos se le disparan hacia arriba cuando lo dejo en la cuna, como un susto, pero "
        "solo cuando lo acuesto. No pasa despierto ni jugando.",
        movements={"arms_up", "startle"},
        triggers={"position_change"},
    ),
    _d(
        "se quedó azul y dejó de respirar cuando lloraba muy fuerte, después se puso flojito "
        "unos segundos y se recuperó. Tiene 13 meses",
        red_flags={"blue_or_grey", "breathing_difficulty"},
        triggers={"crying_or_upset"},
        age_months=13,
    ),
    _d(
        "la nena hace como un tic en la ceja y el ojo, pestañea rapidísimo, unas 30 veces al "
        "dia, cuando está despierta. Tiene dos años",
        movements={"facial_twitch", "eyelid_flutter"},
        state="awake",
        age_months=24,
    ),
    _d(
        "mi bebe duerme con sobresaltos, da patadas y mueve los brazos, como si soñara, cuando "
        "se despierta está feliz",
        movements={"startle", "limb_jerk"},
        state="asleep",
    ),
    _d(
        "dijo el medico que podria ser sindrome de West. Mi peque de 7 meses, al despertar, "
        "hace una serie de flexiones bruscas del tronco, se encoge y llora entre una y otra. "
        "Son entre 20 y 25 espasmos cada racha.",
        movements={"trunk_crunch"},
        state="just_woke",
        count=25,
        age_months=7,
    ),
    _d(
        "Se le cayo la cabeza hacia delante 3 veces seguidas mientras comia en la trona, sin "
        "perder el conocimiento. 11 meses",
        movements={"head_nod"},
        state="feeding",
        triggers={"feeding"},
        count=3,
        age_months=11,
    ),
    _d(
        "Mi bebe de 9 meses se pone rigida toda y se pone colorada, unos 10 segundos, cuando "
        "se enoja y llora. Después respira y vuelve a la normalidad",
        movements={"stiffening"},
        triggers={"crying_or_upset"},
        movement_seconds=10,
        age_months=9,
    ),
    _d(
        "A la noche, dormido, le saltan las piernas como pataditas, muchas, durante unos 20 "
        "minutos, pero si lo levanto se despierta y se le pasa. Tiene 1 mes y medio. Sin "
        "fiebre",
        movements={"limb_jerk"},
        state="asleep",
        episode_minutes=20,
        age_months=1.5,
    ),
    _d(
        "tiene los ojos como temblando de un lado a otro y la cabeza le cabecea, desde hace un "
        "mes, cuando esta sentado mirando algo. 10 meses",
        movements={"head_nod"},
        state="awake",
        age_months=10,
    ),
    _d(
        "se mordió la lengua durante la convulsión y le sale sangre, los ojos se le fueron "
        "hacia arriba, todo fue en 3 minutos, ahora está muy dormida pero responde",
        movements={"rhythmic_jerking", "eye_roll_up"},
        red_flags={"injury"},
        episode_minutes=3,
    ),
]


def _with_halves() -> list[dict[str, Any]]:
    return [
        {"id": f"es-{name[:3]}{i:02d}", "half": name, **item}
        for name, items in (("tuning", _TUNING), ("test", _TEST))
        for i, item in enumerate(items, start=1)
    ]


#: The descriptions, each with ``id``, ``half`` (``tuning`` or ``test``), ``text``, ``gold``.
DESCRIPTIONS: list[dict[str, Any]] = _with_halves()


def half(name: str) -> list[dict[str, Any]]:
    """The descriptions of one half: ``tuning`` or ``test``."""
    if name not in ("tuning", "test"):
        raise ValueError(f"Invalid value for 'half': allowed are tuning, test; got {name!r}")
    return [d for d in DESCRIPTIONS if d["half"] == name]
