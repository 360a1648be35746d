"""The Spanish tables of "Con sus propias palabras" (:mod:`spasmwatch.freetext.engine`
reads with them), for Spain and Latin America: movements ("cabeceo", "se dobla", "brazos
arriba", "sacudidas", "se pone rígido", "ojos en blanco", "mirada fija"), what the baby was
doing ("dormida", "al despertar", "tomando el pecho", "biberón", "mamadera"), how many ("cinco
o seis veces", "una docena", "unas 8"; "varias" gives no count, as "several" in English),
how long ("un segundo", "medio minuto", "un minuto y medio"), how often ("cada 5 segundos"),
what brought it on, fever ("fiebre de 38,5", "39 de fiebre", "treinta y ocho y medio",
"calentura"), warning signs ("se puso morado", "dejó de respirar", "no hay forma de
despertarla"), what stopped it, and the baby's age ("de 4 meses", "10 semanas", "tiene un
año", "año y medio").

The text is read without accents ("bebe" is "bebé", "rigido" is "rígido"; "ñ" is kept, and
the phrases take "n" for it too: "sueno", "ano"), so the phrases below are written without them;
each ending covers both genders ("dormid[oa]"). Negation: "no", "nunca", "jamás",
"tampoco", "ningún", "nada de" reach 6 words back in their clause (Spanish puts pronouns
between: "no se le pusieron los labios morados"), "sin" and "ni" 3 ("sin fiebre", "ni se
puso azul"); and "fiebre: no" after the word.

Written from the clinical vocabulary, and tuned on the tuning half of
``src/spasmwatch/testing/descriptions_es.py`` only.
"""

from __future__ import annotations

import re

from spasmwatch.freetext.engine import Language, Numbers, fold_accents

__all__ = ["SPANISH"]

_UNITS = {
    "cero": 0, "medio": 0.5, "media": 0.5, "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3,
    "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8, "nueve": 9,
}  # fmt: skip
_TEENS = {
    "diez": 10, "once": 11, "doce": 12, "trece": 13, "catorce": 14, "quince": 15,
    "dieciseis": 16, "diecisiete": 17, "dieciocho": 18, "diecinueve": 19, "veinte": 20,
    "veintiun": 21, "veintiuno": 21, "veintiuna": 21, "veintidos": 22, "veintitres": 23,
    "veinticuatro": 24, "veinticinco": 25, "veintiseis": 26, "veintisiete": 27,
    "veintiocho": 28, "veintinueve": 29,
}  # fmt: skip
_TENS = {
    "treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
    "ochenta": 80, "noventa": 90,
}  # fmt: skip
#: Counts in Spanish words, "treinta y ocho" as one number.
COUNT_WORDS: dict[str, float] = {
    **_UNITS,
    **_TEENS,
    **_TENS,
    **{
        f"{ten} y {unit}": value + n
        for ten, value in _TENS.items()
        for unit, n in _UNITS.items()
        if n >= 1 and unit != "una"
    },
    "cien": 100, "un par": 2, "un par de": 2, "una docena": 12, "docena": 12,
    "media docena": 6, "dos docenas": 24,
}  # fmt: skip
NUMBERS = Numbers(
    COUNT_WORDS,
    # "cinco o seis", "8 a 10", "entre 20 y 25", "7 u 8"; not "un minuto y medio"
    joiners=r"-|a|o|u|y(?!\s+medi[oa])",
    about=(
        r"(?:(?:unos|unas|como|casi|aproximadamente|aprox|alrededor de|cerca de|mas de|"
        r"hasta|mas o menos|algo asi como|entre|al menos|por lo menos|sobre|tipo|igual)\s+)?"
    ),
)
_NUM, _RANGE, _ABOUT = NUMBERS.one, NUMBERS.range, NUMBERS.about
_HALF = r"(?:\s+y\s+(?P<half>medi[oa]))?"
_SECONDS = r"s|seg|segs|segundit[oa]s?|segundos?"
_UNIT = rf"({_SECONDS}|min|mins|minutit[oa]s?|minutos?|h|hs|horas?)"

_NEGATIONS = (
    (re.compile(r"\b(?:no|nunca|jamas|tampoco|ningun[oa]?|nada de)\b"), 6),
    (re.compile(r"\b(?:sin|ni)\b"), 3),
)
_NEGATED_AFTER = re.compile(r"\s*[:,]?\s*(?:no|tampoco|ningun[oa]?|nada)\s*(?:[.,;!?\n)]|$)")
_CLAUSE_END = re.compile(
    r"[.!?;,:\n()¿¡]|\bpero\b|\bluego\b|\bdespues\b|\baunque\b|\bentonces\b|\bsino\b"
)

_SU = r"(?:el |la |los |las |su |sus |ambos |los dos |las dos )?"
_BRAZOS = r"bra(?:zo|cito)s?"
_PIERNAS = r"(?:piern(?:a|ita)s?|rodill(?:a|ita)s?)"
_LE = r"(?:se le |se |le |les )?"

# ---------------------------------------------------------------- phrase lists
MOVEMENT_PHRASES: dict[str, tuple[str, ...]] = {
    "head_nod": (
        r"\bcabece\w*",
        r"cabeza\W+(?:\w+\W+){0,4}?(?:hacia |para |pa )?(?:adelante|delante|abajo|el pecho)\b",
        r"(?:cae|cayo|caia|baja|bajo|bajaba|agacha|agacho|agachaba|inclina|flexiona|"
        r"flexion\w* de)\w* (?:\w+ )?(?:la )?cabe(?:za|cita)",
        r"\basiente\w*|\basintiendo",
        r"cabe(?:za|cita) (?:se le |le |se )?(?:cae|cayo|caia|caen|desploma)\w*",
    ),
    "trunk_crunch": (
        r"se (?:le )?dobl(?:a|o|aba|an)\b(?! el cuello)",
        r"dobl\w* (?:el |su )?(?:cuerpo|tronco|cintura|cuerpecito)",
        r"doblarse|doblandose",
        r"flexion\w* (?:\w+ ){0,2}?(?:del |de su |el )?(?:tronco|cuerpo|cintura)",
        r"flexion(?:es)? (?:brusc|repentin|subit)\w*",
        r"\bnavaj\w*",
        r"se encog(?:e|io|ia)\b(?! (?:las |sus )?(?:piern|rodill|de hombros))",
        r"abdominal\w*",
        r"se (?:sienta|sento) de golpe",
        r"se hace (?:una )?bolita",
    ),
    "arms_up": (
        rf"{_BRAZOS} (?:\w+ )?(?:arriba|hacia arriba|para arriba|en alto|para los lados|"
        r"hacia los lados|se (?:le )?(?:abren|abrieron|disparan|dispararon|levantan)|abiertos|"
        r"extendidos|hacia afuera|para afuera|en cruz)",
        r"(?:\b(?:levant|alz|estir|extiend|extend|lanz|dispar)\w*|\bsub(?:e|en|io|ia|iendo)|"
        rf"\babr(?:e|en|io|ia|iendo)) {_SU}(?:dos )?{_BRAZOS}",
        rf"se le (?:disparan|van|suben|levantan|abren) {_SU}{_BRAZOS}",
    ),
    "legs_drawn_up": (
        rf"\b(?:encog|recog|dobl|flexion|lleva|llevo|sub[eia])\w* {_SU}{_PIERNAS}",
        rf"{_PIERNAS} (?:\w+ )?(?:al pecho|a la (?:barriga|panza|tripa)|hacia (?:el pecho|la "
        r"barriga|la panza|la tripa|arriba)|encogidas|recogidas)",
    ),
    "arching": (
        r"\barque\w*",
        r"cabe(?:za|cita) (?:\w+ )?(?:para|hacia|pa) atras",
        r"se (?:tira|echa|va|iba|fue) (?:\w+ )?(?:para|hacia) atras",
        r"opistotono",
    ),
    "stiffening": (
        r"(?<!cuello )(?<!nuca )(?<!cuello muy )\brigid[oa]s?\b",
        r"(?<!cuello )(?<!cuello muy )\bties[oa]s?\b",
        r"se (?:pone|puso|ponia|queda|quedo|quedaba) (?:\w+ )?(?:dur[oa]|tens[oa])\b",
        r"\btens(?:a|an|o|aba|ando)\b|\bse tensa\w*",
        r"entiesa\w*|agarrotad?\w*|rigidez(?! (?:de|en) (?:la )?nuca)(?! del cuello)",
    ),
    "limb_jerk": (
        r"\bsacudid(?:a|ita)s?\b(?! (?:ritmic|repetid|continu))",
        r"\bmioclon\w*",
        r"\btiron(?:es|cito|citos)?\b",
        r"\bpatad\w*|pataleo|patalea\w*",
        rf"(?:le )?(?:saltan|salta|brincan|se mueven de golpe) {_SU}"
        r"(?:brazos|piernas|manos|pies|bracitos|piernitas)",
        r"(?:brazos?|piernas?|manos?|pies|dedos?) (?:\w+ )?(?:dan|da|pegan|pega) (?:un |unos )?"
        r"(?:tiron|salto|brinco|golpe)\w*",
    ),
    "rhythmic_jerking": (
        r"\bconvuls\w*",
        r"\bataques?\b",
        r"\bse (?:le )?sacud\w*",
        r"\bsacudi(?:a|o|an|endo|rse|endose|eron)\b",
        r"sacudidas? (?:ritmic|repetid|continu)\w*",
        r"\britmic\w*",
        r"(?:tembl|tiembl|sacud)\w* (?:ent[ei]r[oa]|todo el cuerpo|todo|toda)\b",
        r"(?:brazos?|piernas?|cuerpo)\w* (?:\w+ ){0,2}?(?:una y otra vez|sin parar|sin control)",
        r"\bclonic\w*",
    ),
    "facial_twitch": (
        r"\bmueca\w*",
        r"(?:hace |con )?gestos? (?:rar|extrañ|extran)\w*",
        r"(?:cara|boca|labios?|cejas?|mejillas?|boquita|carita) (?:\w+ )?(?:tic\w*|se (?:le )?"
        r"(?:mueve|tuerce|contrae|desvia|crispa)\w*|moviendose|torcid\w*|espasm\w*|contraccion\w*)",
        r"(?:tic|tics|espasmo|espasmos|contraccion\w*) (?:en|de) (?:la |el |los |las )?"
        r"(?:cara|boca|labio|ceja|mejilla|ojo)",
        r"\btics?\b",
        r"como si chupara|chupete(?:o|a)\b|relam\w*|mastica\w*|movimientos? (?:con|de) la boca",
    ),
    "eye_roll_up": (
        r"ojos en blanco",
        r"(?:ojos?|ojitos|mirada)\W+(?:\w+\W+){0,3}?(?:para|hacia|pa) (?:arriba|atras)",
        r"voltea\w* (?:los )?ojos",
    ),
    "eye_deviation": (
        r"(?:ojos?|ojitos|mirada) (?:\w+ ){0,3}?(?:hacia|para|a) (?:la |un )?"
        r"(?:izquierda|derecha|lado|costado)",
        r"(?:ojos?|mirada) desviad\w*|desvia\w* (?:la mirada|los ojos)",
    ),
    "eyelid_flutter": (
        r"(?:parpade|pestane|pestañe)\w* (?:\w+ )?(?:rapid|seguid|sin parar|mucho)\w*",
        r"(?:tiembl|tembl|aletea|revolote)\w* (?:los |sus )?parpados",
        r"parpados? (?:\w+ )?(?:tiembl|tembl|aletea|revolote|se (?:le )?mueve)\w*",
        r"aleteo de (?:los )?parpados",
    ),
    "staring": (
        r"mirada (?:\w+ )?(?:fija|perdida|ida|vacia|ausente|clavada)",
        r"(?:se )?qued\w* (?:\w+ )?(?:mirando (?:fijo|a la nada|al vacio|un punto)|id[oa]\b|"
        r"ausente|perdid[oa]|en blanco|desconectad[oa]|pasmad[oa]|congelad[oa]|trabad[oa])",
        r"mir(?:a|aba|ando|ar) (?:\w+ )?(?:fijo|fijamente|a la nada|al vacio|a un punto)",
        r"(?:se le|le) (?:va|fue|iba) la mirada",
        r"\bausencias?\b",
        r"se desconecta\w*",
    ),
    "shivering": (r"escalofri\w*|escalosfri\w*|estremec\w*|tirit\w*|repelus\w*|\bchuchos?\b",),
    "neck_twist": (
        r"(?:tuerce|torcio|torcia|gira|giro|giraba|ladea|ladeaba)\w* (?:\w+ )?(?:el |su )?cuello",
        r"cuello (?:\w+ )?(?:torcido|se (?:le )?tuerce|girado|ladeado|de lado)",
        r"torticolis",
    ),
    "tremor": (r"\btiembl\w*|\btembl\w*|temblor\w*|tembleque\w*|\bvibra\w*",),
    "startle": (
        r"sobresalt\w*|\bse asust\w*|\bsust(?:o|os|ito|itos)\b|\bmoro\b|respingo\w*",
        r"\bbrinc(?:o|os|a|an|aba)\b|\bsalt(?:a|o|os|ito|itos|aba)\b",
    ),
    "hiccups": (r"\bhipo\b|\bhipos\b|\bhipando|\bhipea\w*",),
}

STATE_PHRASES: dict[str, tuple[str, ...]] = {
    "drowsy": (
        r"se (?:esta|estaba) (?:quedando dormid|durmiendo)\w*",
        r"quedando(?:se)? dormid\w*|quedandose dormid\w*|al quedarse dormid\w*",
        r"(?:al|cuando se) (?:dormirse|duerme|queda dormid\w*|va a dormir)",
        r"(?:estaba|esta|medio) adormilad\w*|medio dormid\w*|entre dormid\w*|somnolient\w*",
        r"antes de dormir(?:se)?|al ir(?:se)? a dormir|(?:cuando|al) (?:lo|la) duermo|"
        r"al dormirl[oa]|dormitando",
    ),
    "just_woke": (
        r"al despertar(?:se)?\b",
        r"(?:cuando|en cuanto|nada mas|apenas|recien|despues de que|justo cuando|ni bien|"
        r"luego de que) (?:se )?despiert\w*",
        r"(?:recien|nada mas|apenas|acaba de) despert\w*|recien levantad\w*|al levantarse",
        r"despues de (?:la siesta|dormir)|(?:se )?acaba de despertar",
    ),
    "asleep": (
        r"(?<!muy )\bdormid[oa]s?\b|\bdormidit[oa]s?\b",
        r"\bdurmiendo\b|(?<!se )\bduerme\b|mientras duerme",
        r"(?:en|durante) (?:la|su) siesta|(?:en|durante) (?:el|su) sue[ñn]o|toda la noche|"
        r"cada noche|de noche",
    ),
    "feeding": (
        r"(?:tomando|dando|dandole|le doy|le daba|mientras toma|toma|tomaba) (?:el |la |su )?"
        r"(?:pecho|teta|biberon|bibe|mamadera|mamila|tetero|pacha)",
        r"(?:mientras|cuando) (?:come|comia|mama|mamaba|toma|tomaba|lacta|esta comiendo|"
        r"estaba comiendo|le doy de comer)\b",
        r"\bcomiendo\b|\bmamando\b|lactando|amamant\w*",
        r"(?:en|durante) (?:la|las|cada) tomas?\b|\btrona\b|periquera|silla de comer",
        r"(?:con|al darle|en) (?:el |la )(?:pecho|teta|biberon|bibe|mamadera|mamila|tetero|pacha)",
    ),
    "awake": (
        r"(?<!lo )(?<!la )(?<!le )(?<!se )\bdespiert[oa]s?\b(?! de)",
        r"\bjugando\b|\bjuega\b|\bsentad[oa]\b|en la hamaca|en el (?:carrito|cochecito)|"
        r"gateando|\balerta\b|riendo(?:se)?\b",
    ),
}
STATE_ORDER = ("drowsy", "just_woke", "asleep", "feeding", "awake")

TRIGGER_PHRASES: dict[str, tuple[str, ...]] = {
    "feeding": (
        r"(?:despues|luego|tras|al terminar) (?:de )?(?:cada |la |las |el |los |su |sus |una )?"
        r"(?:tomas?|comer|comidas?|biberon\w*|mamaderas?|mamilas?|teteros?|pecho|teta|mamar)\b",
        *STATE_PHRASES["feeding"],
    ),
    "rocking": (
        r"(?:lo|la|le) (?:mezo|mecemos|mece|meces|mecia|mecen|acuno|acunamos|arrullo|balanceo)",
        r"al (?:mecerl|acunarl|balancearl)\w*|\bmecer\w*|\bmeciendol\w*",
    ),
    "noise_or_touch": (
        r"(?<!hace un )(?<!hacer un )(?<!hace )\bruido\w*",
        r"portazo\w*|\btimbre\b|sonido fuerte|\bgrito\w*|palmada|aplauso",
        r"cuando (?:lo|la|le) (?:toc|agarr|cog)\w*|al tocarl\w*",
    ),
    "excitement": (r"emocion\w*|excitad\w*|entusiasm\w*",),
    "position_change": (
        r"(?:lo|la) (?:acuesto|acostamos|tumbo|tumbamos|recuesto|dejo en la cuna|cambio de "
        r"posicion)",
        r"al (?:acostarl|tumbarl|recostarl|cambiarl\w* de posicion)\w*",
        r"cambi\w* de (?:posicion|postura)",
    ),
    "crying_or_upset": (
        r"(?:cuando|mientras|al) (?:llora|lloraba|llorar)\b",
        r"(?:se )?(?:enoja|enfada|frustra)\w*|enojad\w*|enfadad\w*|frustrad\w*|rabiet\w*|"
        r"berrinch\w*|pataleta\w*",
    ),
    "bright_light": (r"luz fuerte|\bluz\b|\bluces\b|sol en la cara|\bflash\b",),
}

RED_FLAG_PHRASES: dict[str, tuple[str, ...]] = {
    "breathing_difficulty": (
        r"(?:le cuesta|le costaba|dificultad\w*|problemas?|trabajo|esfuerzo) (?:\w+ )?"
        r"(?:para |al |de |con la |en la )?respir\w*",
        r"respir\w* (?:mal|raro|rara|con dificultad|con esfuerzo|entrecortad\w*|agitad\w*)",
        r"no respira\w*",
        r"(?:dejo|deja|dejaba|paro|para) de respirar|apnea\w*|se (?:ahoga|ahogo|ahogaba)\w*|"
        r"ahogand\w*|boque\w*|sin aire|le falta (?:el )?aire",
    ),
    "blue_or_grey": (
        r"(?<!manchas )(?<!manchitas )(?<!puntos )(?<!puntitos )\b(?:morad|moradit|amoratad)\w*",
        r"\bazul\w*|cianot\w*|\bgris(?:es|acea|aceo)?\b|ceniz\w*",
    ),
    "not_back_to_normal": (
        r"no (?:es|era|esta|estaba|parece|ha vuelto a ser) (?:el|la) mism[oa]",
        r"no (?:vuelve|volvio|ha vuelto|termina de volver) (?:a la normalidad|en si|a ser "
        r"(?:el|la) mism[oa]|a estar (?:normal|bien))",
        r"no se (?:ha )?recuper\w*|sigue (?:rar[oa]|id[oa]|como ausente|sin reaccionar)",
    ),
    "vomiting": (r"vomit\w*|gomit\w*|devolvi\w*|\bdevuelve\b|\barroj\w*",),
    "neck_stiffness": (
        r"cuello (?:\w+ )?(?:rigid|ties|dur)\w*",
        r"rigidez (?:de|en) (?:la )?nuca|rigidez del cuello|nuca (?:\w+ )?(?:rigid|ties|dur)\w*",
    ),
    "extreme_sleepiness": (
        r"no (?:hay (?:forma|manera|quien) de |(?:se |lo |la )?(?:puedo|podemos|consigo|"
        r"conseguimos|logro|logramos) )?despert\w*",
        r"no se (?:despierta|despertaba|desperto)\w*",
        r"muy (?:dormilon|adormilad|somnolient|decaid|aletargad)\w*",
        r"\bflojit?[oa]s?\b|\bdecaid[oa]s?\b|aletargad\w*|letargic\w*|como (?:un )?trapo|"
        r"sin fuerza\w*",
    ),
    "injury": (
        r"(?:se )?mordi\w* (?:la|su) lengua|mordedura",
        r"se (?:hizo|ha hecho) da[ñn]o|herid[ao]s?\b|\bsangr\w*|lastim\w*",
    ),
    "head_injury": (
        r"golpe\w* (?:\w+ ){0,3}?(?:en |con |de |contra )?(?:la |su )?cabe(?:za|cita)",
        r"se (?:pego|dio|cayo) (?:\w+ ){0,3}?(?:en|con|de) (?:la |su )?cabe(?:za|cita)",
        r"traumatismo",
    ),
    "rash": (
        r"manch(?:a|as|ita|itas)\b|sarpullid\w*|erupcion\w*|ronch\w*|petequi\w*|exantema",
        r"puntitos? (?:rojos|morados)",
    ),
}
_SELF_NEGATED = (
    "not_back_to_normal",
    "extreme_sleepiness",
    "breathing_difficulty",
)

_PASA = (
    r"(?:se (?:le )?pasa|se (?:le )?paso|para|paran|paro|se para|se (?:le )?quita|"
    r"se detiene\w*|desaparece\w*|se calma\w*)"
)
STOP_PHRASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("stops_when_woken", "yes"): (
        rf"{_PASA} (?:\w+ ){{0,3}}?(?:cuando|al|si|en cuanto) (?:lo |la )?desp(?:ie|e)rt\w*",
        rf"(?:cuando|al|si|en cuanto) (?:lo |la )?desp(?:ie|e)rt\w* (?:\w+ ){{0,3}}?{_PASA}",
    ),
    ("stops_when_woken", "no"): (
        r"(?:sigue|seguia|siguio|continua\w*) (?:\w+ )?(?:aunque|aun|incluso) (?:este |estaba )?"
        r"(?:desp(?:ie|e)rt|lo despert|la despert)\w*",
        r"no (?:para|paraba|paro|se le pasa|se detiene|se le paso)\w* (?:\w+ ){0,2}?"
        r"(?:al|cuando|aunque) (?:lo |la )?desp(?:ie|e)rt\w*",
    ),
    ("stops_when_held", "yes"): (
        rf"{_PASA} (?:\w+ ){{0,2}}?(?:cuando|si|al) (?:se (?:lo|la) |lo |la |le )?"
        r"(?:agarr|sujet|cog|sosteng|sostien)\w*",
    ),
    ("stops_with_distraction", "yes"): (
        rf"{_PASA} (?:\w+ ){{0,3}}?(?:si|cuando|al) (?:lo |la |le )?(?:distraig|distraer|llam|"
        r"hablo|canto)\w*",
        r"(?:si|cuando|al) (?:lo |la |le )?(?:distraig|distraer|llam|hablo|canto)\w* "
        rf"(?:\w+ ){{0,2}}?{_PASA}",
        r"se distrae",
    ),
    ("responsive", "no"): (
        r"no (?:me )?(?:responde|respondia|respondio|reacciona|reaccionaba|reacciono|contesta|"
        r"contestaba|contesto|hace caso|hacia caso)\w*",
        r"sin (?:responder|reaccionar)|inconsciente|perdio (?:el conocimiento|la conciencia)",
    ),
    ("responsive", "yes"): (
        r"\b(?:responde|reacciona|contesta)\b|sigue consciente|consciente todo|"
        r"sin perder (?:el conocimiento|la conciencia)",
    ),
}

AFTER_PHRASES: dict[str, tuple[str, ...]] = {
    "cried": (r"(?:despues|luego) (?:\w+ )?llor\w*|llora\w* (?:despues|entre|al final|luego)",),
    "sleepy": (
        r"(?:despues|luego) (?:\w+ )?(?:(?:se )?(?:queda|quedo|esta|estuvo|estaba) )?(?:muy )?"
        r"(?:dormid|adormilad|somnolient|cansad)\w*|se durmio",
    ),
    "normal": (
        r"(?:despues|luego|ahora|ya) (?:\w+ )?(?:normal|bien|como si nada)\b|como si nada|"
        r"vuelve a la normalidad|volvio a la normalidad",
    ),
}

# ---------------------------------------------------------------- numbers
_PER = (
    r"(?! (?:al|por|por la|por el|a la|cada|en el|en la|el|la|todas las|todos los) "
    r"(?:dia|noche|semana|hora|ma[ñn]ana|tarde|mes|toma)s?\b)"
)
_COUNT_PATTERNS: tuple[tuple[str, bool], ...] = (
    (
        rf"{_ABOUT}{_RANGE}\s*(?:veces\s+)?(?:seguid[oa]s|seguidit[oa]s|de corrido|de seguido|"
        r"una tras otra|uno tras otro|en (?:fila|serie|racimo|tanda)|sin parar)",
        True,
    ),
    (
        r"(?:series?|racimos?|tandas?|rachas?|grupos?|salvas?|brotes?) de "
        rf"{_ABOUT}{_RANGE}",
        True,
    ),
    (
        rf"{_ABOUT}{_RANGE}\s+(?:de ellos|de ellas|espasmos|sacudidas|cabeceos|movimientos|"
        rf"sustos|brincos|saltos|tirones|flexiones){_PER}",
        True,
    ),
    (
        # not "vomitó dos veces"
        r"(?<!vomito )(?<!vomita )(?<!vomitado )(?<!vomitaba )"
        rf"{_ABOUT}{_RANGE}\s+(?:de )?veces\b{_PER}(?! (?:hoy|esta|este|ayer|diarias))",
        True,
    ),
    (
        # "fueron unos 15.", "conté catorce": the number ends the clause
        rf"(?:fueron|conte|contamos|hizo|tuvo|son|eran) {_ABOUT}{_RANGE}"
        r"(?=\s*(?:[.,;:!?)\n]|$|y\b|en total|cada\b))",
        True,
    ),
)
_ONCE = (
    r"\b(?:una sola vez|solo una vez|solamente una vez|uno solo|una sola|solo uno|solo una)\b"
    r"(?! (?:al|por|a la) )",
)
_INTERVAL = (
    rf"cada {_ABOUT}{_RANGE}\s*{_UNIT}\b{_HALF}",
    rf"{_ABOUT}{_RANGE}\s*{_UNIT} (?:entre (?:uno y otro|una y otra|cada uno|cada una)|de "
    r"separacion|de diferencia)",
)
_DURATION = rf"{_ABOUT}{_RANGE}\s*{_UNIT}\b{_HALF}"
#: "medio segundo a dos segundos": a range with the unit on both ends.
_DURATION_SPLIT = rf"{_ABOUT}{_NUM}\s*(?:{_SECONDS})\s*(?:-|a|o)\s*{_NUM}\s*({_SECONDS})\b"
_DEGREES = r"(°\s*c?\b|º\s*c?\b|grados(?: c\b)?)"
_TEMPERATURE = r"(\d\d(?:[.,]\d+)?|\d{3}(?:[.,]\d+)?)"
_SPOKEN = (
    r"((?:treinta|cuarenta) y (?:uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)"
    r"(?: (?:y|con|coma|punto) (?:medio|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve))?"
    r"|\d\d (?:y|con) (?:medio|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)\b)"
)
_FEVER = (
    rf"(?:fiebre|temperatura|temp|calentura|febricula)(?: alta)?(?: de| a| era de| llego a|"
    rf" de hasta| subio a)?\s*:?\s*{_ABOUT}{_SPOKEN}",
    rf"(?:fiebre|temperatura|temp|calentura|termometro|marcaba)(?: alta)?(?: de| a| era de|"
    rf" llego a| de hasta| subio a| marcaba)?\s*:?\s*{_ABOUT}{_TEMPERATURE}\s*{_DEGREES}?",
    rf"{_SPOKEN}\s*(?:{_DEGREES[1:-1]}|de fiebre|de temperatura|de calentura)",
    rf"{_TEMPERATURE}\s*{_DEGREES}",
    rf"{_TEMPERATURE}\s*(?:de fiebre|de temperatura|de calentura)",
    r"(?<![\d.,])((?:3[5-9]|4[0-2])[.,]\d)(?!\d)(?!\s*(?:s\b|seg|min|h\b|hora|sem|mes|dia|"
    r"año|ano|kg|cm|vez|veces))",
)


def _spoken_temperature(words: str) -> float | None:
    """ "treinta y ocho y medio" 38.5, "38 con 9" 38.9, "treinta y nueve" 39."""
    match = re.match(
        r"(\d\d|(?:treinta|cuarenta) y \w+)(?: (?:y|con|coma|punto) (\w+))?$", words.strip()
    )
    if match is None:
        return None
    whole = NUMBERS.value(match.group(1))
    if whole is None:
        return None
    tenth = match.group(2)
    if tenth is None:
        return whole
    if tenth in ("medio", "media"):
        return whole + 0.5
    digit = _UNITS.get(tenth)
    return whole + digit / 10 if digit is not None and digit >= 1 else None


def _unit_seconds(unit: str) -> float:
    if unit.startswith("h"):
        return 3600.0
    return 60.0 if unit.startswith("m") else 1.0


#: Words for a seizure, for the warning sign "a seizure that went on for 5 minutes or more".
_SEIZURE_WORDS = (
    r"\b(?:convuls\w*|crisis|ataques?|sacud\w*|tembl\w*|tiembl\w*|rigid\w*|ties[oa]|"
    r"no (?:paraba|paro|para|se le pasaba)|no se (?:le )?(?:pasaba|paso|detenia)|"
    r"seguia|siguio)\b"
)

# ---------------------------------------------------------------- the age
_AGE_UNIT = r"(?P<unit>mes(?:es)?|semanas?|dias?|años?|anos?)"
_AGE_NUM = rf"{_ABOUT}(?P<n>{_NUM})\s*{_AGE_UNIT}"
_AGE_MORE = (
    rf"(?:\s+y\s+(?:(?P<n2>{_NUM})\s*(?P<unit2>mes(?:es)?|semanas?|dias?)|(?P<half>medio)))?"
)
_AGES = (
    rf"\b(?:de|tiene|tenia|cumplio|cumple|con|ya tiene|va a cumplir|acaba de cumplir)\s+"
    rf"{_AGE_NUM}{_AGE_MORE}",
    rf"(?P<n>{_NUM})\s*{_AGE_UNIT}{_AGE_MORE}\s+de (?:edad|vida)",
    r"\b(?:de|tiene|tenia|cumplio|con)\s+(?:un\s+)?(?P<unit>año|ano) y (?P<half>medio)",
    rf"(?:^|[.,;(]\s*|recien nacid[oa],?\s+){_AGE_NUM}{_AGE_MORE}(?=\s*(?:[.,;!?)]|$))",
)
_AGE_SKIP_BEFORE = re.compile(
    r"(?:(?<!recien )naci\w*|prematur\w*|embarazo|gestacion|fiebre|tos|vomitos|diarrea|hace|"
    r"durante|por|desde|despues|antes|hasta|cada)\s+$"
)
_AGE_SKIP_AFTER = re.compile(
    r"\s*(?:de (?:gestacion|embarazo|fiebre|tos|vomitos|diarrea)|antes|despues|atras|seguid|"
    r"con (?:fiebre|esto|estos))"
)


def _age_unit(unit: str) -> float:
    if unit.startswith("sem"):
        return 7 / 30.4375
    if unit.startswith("d"):
        return 1 / 30.4375
    if unit.startswith(("añ", "an")):
        return 12.0
    return 1.0


def _fold(text: str) -> str:
    return fold_accents(text).replace("\u00a0", " ")


#: Spanish, as :func:`spasmwatch.freetext.draft_episode` reads it with ``lang="es"``.
SPANISH = Language(
    code="es",
    fold=_fold,
    numbers=NUMBERS,
    negations=_NEGATIONS,
    clause_end=_CLAUSE_END,
    movements=MOVEMENT_PHRASES,
    states=STATE_PHRASES,
    state_order=STATE_ORDER,
    triggers=TRIGGER_PHRASES,
    red_flags=RED_FLAG_PHRASES,
    stops=STOP_PHRASES,
    after=AFTER_PHRASES,
    count_patterns=_COUNT_PATTERNS,
    once=_ONCE,
    twice=(),
    interval=_INTERVAL,
    duration=_DURATION,
    duration_split=_DURATION_SPLIT,
    duration_skip_before=re.compile(
        r"(?:\bcada|\bhace|menos de|\ba los|\ba las|despues de|luego de|antes de|\bdesde)\s*$"
    ),
    duration_skip_after=re.compile(r"^\s*(?:despues|antes|mas tarde|atras|luego)"),
    unit_seconds=_unit_seconds,
    fever=_FEVER,
    fever_words=(r"\bfiebre(?:cita)?\b", r"\bcalentura\b", r"\bfebricula\b", r"\bfebril\b"),
    fever_denied=(r"\blibre de (?:fiebre|calentura)\b", r"\bcero fiebre\b", r"\bafebril\b"),
    spoken_temperature=_spoken_temperature,
    seizure_words=_SEIZURE_WORDS,
    minutes=rf"{_RANGE}\s*(?:min|mins|minutos?)\b",
    less_than=re.compile(r"(?:menos de|casi|no llego a|no llega a|ni)\s*$"),
    not_after=re.compile(r"\s*(?:despues|antes|atras|mas tarde)"),
    ages=_AGES,
    age_unit=_age_unit,
    age_skip_before=_AGE_SKIP_BEFORE,
    age_skip_after=_AGE_SKIP_AFTER,
    negated_after=_NEGATED_AFTER,
    self_negated=_SELF_NEGATED,
    generic=("limb_jerk", "startle", "tremor"),
)
