"""'Con sus propias palabras': the Spanish reader of the free-text episode draft, each field,
its negations, numbers in words, words typed without accents, the baby's age; and the
targets on the Spanish parents' descriptions (each half scored as a whole)."""

from __future__ import annotations

from typing import Any

import pytest

from spasmwatch.case import VOCABULARIES, parse_case
from spasmwatch.freetext import LANGUAGES, MAX_TEXT_CHARS, draft_episode
from spasmwatch.testing.descriptions_es import DESCRIPTIONS, half
from spasmwatch.testing.drafts import score
from spasmwatch.triage import triage


def es(text: str) -> dict[str, Any]:
    """The Spanish draft of ``text``: the episode, with the child's fields."""
    draft = draft_episode(text, "es")
    return {**draft.episode, **draft.child}


def test_a_cluster_on_waking() -> None:
    text = (
        "mi bebé de 5 meses dobla el cuerpo hacia delante con los brazos arriba, unas 8 veces "
        "seguidas al despertar, sin fiebre"
    )
    draft = draft_episode(text, "es")
    e = draft.episode
    assert set(e["movements"]) == {"trunk_crunch", "arms_up"}
    assert e["state"] == "just_woke" and e["count"] == 8
    assert "fever_c" not in e and "red_flags" not in e
    assert draft.child == {"age_months": 5.0}
    assert draft.evidence["count"] == ["unas 8 veces seguidas"]
    assert draft.evidence["age_months"] == ["de 5 meses"]
    assert "brazos arriba" in draft.evidence["movements"]
    assert e["notes"] == text


@pytest.mark.parametrize(
    ("text", "movement"),
    [
        ("hace cabeceos", "head_nod"),
        ("la cabeza se le va para adelante", "head_nod"),
        ("una flexión brusca del cuerpo", "trunk_crunch"),
        ("se dobla como una navaja", "trunk_crunch"),
        ("levanta los bracitos", "arms_up"),
        ("encoge las piernas", "legs_drawn_up"),
        ("arquea la espalda", "arching"),
        ("se pone rígido", "stiffening"),
        ("se queda tiesa", "stiffening"),
        ("le dan sacudidas en las piernas", "limb_jerk"),
        ("convulsionó", "rhythmic_jerking"),
        ("se sacudía entero", "rhythmic_jerking"),
        ("hace muecas con la boca", "facial_twitch"),
        ("pone los ojos en blanco", "eye_roll_up"),
        ("se le van los ojos hacia la derecha", "eye_deviation"),
        ("le tiemblan los párpados", "eyelid_flutter"),
        ("se queda con la mirada fija", "staring"),
        ("le da como un escalofrío", "shivering"),
        ("tuerce el cuello", "neck_twist"),
        ("le tiembla la barbilla", "tremor"),
        ("se sobresalta", "startle"),
        ("tiene hipo", "hiccups"),
    ],
)
def test_each_movement(text: str, movement: str) -> None:
    assert es(text)["movements"] == [movement]


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("estaba dormido", "asleep"),
        ("estaba dormida", "asleep"),
        ("mientras duerme", "asleep"),
        ("estaba despierta jugando", "awake"),
        ("al despertar", "just_woke"),
        ("nada más despertarse", "just_woke"),
        ("cuando se está quedando dormido", "drowsy"),
        ("estaba comiendo", "feeding"),
        ("tomando el pecho", "feeding"),
        ("con el biberón", "feeding"),
        ("mientras toma la mamadera", "feeding"),
        # falling asleep is not sleep, and a cluster on waking is not a sleep twitch
        ("se está durmiendo y ya estaba dormido", "drowsy"),
        ("dormida, y al despertar otra vez", "just_woke"),
    ],
)
def test_each_state(text: str, state: str) -> None:
    assert es(text)["state"] == state


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("después de cada toma", "feeding"),
        ("cuando lo mezo", "rocking"),
        ("con cualquier ruido", "noise_or_touch"),
        ("cuando se emociona", "excitement"),
        ("cuando lo acuesto", "position_change"),
        ("cuando llora", "crying_or_upset"),
        ("con la luz fuerte", "bright_light"),
    ],
)
def test_each_trigger(text: str, trigger: str) -> None:
    assert es(text)["triggers"] == [trigger]


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("se puso morado", "blue_or_grey"),
        ("los labios azules", "blue_or_grey"),
        ("dejó de respirar", "breathing_difficulty"),
        ("le cuesta respirar", "breathing_difficulty"),
        ("no respira bien", "breathing_difficulty"),
        ("no es el mismo desde entonces", "not_back_to_normal"),
        ("vomitó", "vomiting"),
        ("tiene el cuello rígido", "neck_stiffness"),
        ("no hay forma de despertarla", "extreme_sleepiness"),
        ("está muy decaído", "extreme_sleepiness"),
        ("se mordió la lengua", "injury"),
        ("se golpeó la cabeza", "head_injury"),
        ("tiene manchitas moradas", "rash"),
    ],
)
def test_each_warning_sign(text: str, flag: str) -> None:
    assert es(text)["red_flags"] == [flag]


def test_a_seizure_of_5_minutes_or_more_is_the_warning_sign() -> None:
    draft = draft_episode("convulsionó durante 7 minutos y no paraba", "es")
    assert "seizure_5_minutes" in draft.episode["red_flags"]
    case = parse_case({"child": {"age_months": 8}, "episodes": [draft.episode]})
    assert triage(case).level == "emergency"
    for text in (
        "se sacudió menos de 5 minutos",
        "no convulsionó, jugó tranquila 10 minutos",
        "sacudidas dormido 20 minutos, pero se le pasa cuando lo despierto",
    ):
        assert "seizure_5_minutes" not in es(text).get("red_flags", []), text


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("se le pasa cuando lo despierto", "stops_when_woken", "yes"),
        ("no para aunque lo despierte", "stops_when_woken", "no"),
        ("se para cuando le agarro la pierna", "stops_when_held", "yes"),
        ("si lo distraigo se le pasa", "stops_with_distraction", "yes"),
        ("no respondía cuando la llamaba", "responsive", "no"),
    ],
)
def test_what_stopped_it_and_whether_the_baby_responded(text: str, field: str, value: str) -> None:
    assert es(text)[field] == value


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("sin fiebre, sin vómitos", ("fever_c", "red_flags")),
        ("no se puso morado ni dejó de respirar", ("red_flags",)),
        ("nunca dejó de respirar y tampoco se puso azul", ("red_flags",)),
        ("no tenía fiebre de 39, no convulsionó", ("fever_c", "movements")),
        ("fiebre: no. morado tampoco", ("fever_c", "red_flags")),
        ("no se golpeó la cabeza, no tiene manchas", ("red_flags",)),
        ("respira bien", ("red_flags",)),
    ],
)
def test_negations(text: str, absent: tuple[str, ...]) -> None:
    episode = es(text)
    for field in absent:
        assert field not in episode, (field, episode)


def test_a_negation_reaches_only_its_clause() -> None:
    e = es("no tiene fiebre, pero se puso morado y tiembla")
    assert e["red_flags"] == ["blue_or_grey"] and e["movements"] == ["tremor"]
    # "sin" reaches a few words, not the whole sentence
    assert es("sin fiebre y al rato levanta los brazos")["movements"] == ["arms_up"]


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("cinco o seis veces", "count", 6),
        ("una docena de veces", "count", 12),
        ("media docena seguidos", "count", 6),
        ("unas 8 veces", "count", 8),
        ("entre 20 y 25 espasmos", "count", 25),
        ("de 8 a 10 veces", "count", 10),
        ("veintidós seguidos", "count", 22),
        ("una sola vez", "count", 1),
        ("cada uno dura un segundo", "movement_seconds", 1),
        ("dura medio segundo", "movement_seconds", 0.5),
        ("dura de 2 a 3 segundos", "movement_seconds", 2.5),
        ("duró medio minuto", "episode_minutes", 0.5),
        ("un minuto y medio", "episode_minutes", 1.5),
        ("como 2 horas", "episode_minutes", 120),
        ("cada 5 segundos", "interval_seconds", 5),
        ("uno cada diez segundos", "interval_seconds", 10),
        ("cada 8 o 10 segundos", "interval_seconds", 9),
        ("fiebre de 38,5", "fever_c", 38.5),
        ("38.5 de temperatura", "fever_c", 38.5),
        ("tenía 39 grados", "fever_c", 39),
        ("fiebre: treinta y ocho y medio", "fever_c", 38.5),
        ("calentura de treinta y nueve con dos", "fever_c", 39.2),
        ("tiene 38 y medio de fiebre", "fever_c", 38.5),
    ],
)
def test_numbers_in_figures_and_words(text: str, field: str, value: float) -> None:
    assert es(text)[field] == value


@pytest.mark.parametrize(
    "text",
    [
        "varias veces seguidas",  # as "several" in English: no count
        "vomitó dos veces",  # not a count of movements
        "3 veces al día",  # how often a day, not how many in a row
    ],
)
def test_no_count(text: str) -> None:
    assert "count" not in es(text)


def test_no_duration_where_it_is_not_one() -> None:
    assert "episode_minutes" not in es("le pasó hace 10 minutos")
    assert "episode_minutes" not in es("menos de 5 minutos")
    assert "movement_seconds" not in es("a los 10 segundos se despertó")


def test_accents_are_optional_and_ñ_is_kept() -> None:
    with_accents = es("Estaba dormida, se puso rígida y morada, después vomitó. Tiene 1 año")
    without = es("estaba dormida, se puso rigida y morada, despues vomito. tiene 1 ano")
    for e in (with_accents, without):
        assert e["state"] == "asleep" and e["movements"] == ["stiffening"]
        assert set(e["red_flags"]) == {"blue_or_grey", "vomiting"}
        assert e["age_months"] == 12
    assert es("tiene 2 años")["age_months"] == 24
    # "ñ" or "n" as typed: "sueño", "sueno"
    assert es("durante el sueño")["state"] == es("durante el sueno")["state"] == "asleep"
    assert es("se hizo daño") == es("se hizo dano") | {"notes": "se hizo daño"}
    assert "count" not in es("3 veces por la mañana") and "count" not in es("3 veces por la manana")
    # the evidence is the words as typed
    assert draft_episode("Se puso RÍGIDO", "es").evidence["movements"] == ["RÍGIDO"]


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("mi bebé de 4 meses", 4),
        ("tiene 10 semanas", 2.3),
        ("tiene un año", 12),
        ("mi hija de 2 años", 24),
        ("tiene 5 meses y medio", 5.5),
        ("mi nena de año y medio", 18),
        ("tiene 1 año y 3 meses", 15),
        ("recién nacido de 10 días", 0.3),
        ("el bebé, 6 semanas, llora", 1.4),
        ("5 meses de edad", 5),
    ],
)
def test_the_babys_age(text: str, months: float) -> None:
    assert es(text)["age_months"] == months


@pytest.mark.parametrize(
    "text",
    [
        "desde hace 2 semanas le pasa",
        "nació de 36 semanas",
        "tiene fiebre de 2 días",
        "duró 2 minutos",
    ],
)
def test_no_age_where_it_is_not_one(text: str) -> None:
    assert "age_months" not in es(text)


def test_bad_text_and_unknown_language_are_refused() -> None:
    with pytest.raises(ValueError, match="'text'"):
        draft_episode("   ", "es")
    with pytest.raises(ValueError, match=str(MAX_TEXT_CHARS)):
        draft_episode("x" * (MAX_TEXT_CHARS + 1), "es")
    with pytest.raises(ValueError, match=r"'lang'.*en, es"):
        draft_episode("hipo", "fr")
    assert set(LANGUAGES) == {"en", "es"}


def test_every_word_drafted_is_in_the_vocabularies_and_each_draft_triages() -> None:
    for item in DESCRIPTIONS:
        draft = draft_episode(item["text"], "es")
        e = draft.episode
        for field in ("movements", "triggers", "red_flags", "after"):
            assert set(e.get(field, [])) <= set(VOCABULARIES[field])
        if "state" in e:
            assert e["state"] in VOCABULARIES["state"]
        if e.get("movements") or e.get("red_flags"):
            child = {"age_months": 6, **draft.child}
            triage(parse_case({"child": child, "episodes": [e]}))


def test_the_descriptions_are_at_least_sixty_in_two_halves() -> None:
    assert len(DESCRIPTIONS) >= 60
    assert abs(len(half("tuning")) - len(half("test"))) <= 1
    assert len({d["text"] for d in DESCRIPTIONS}) == len(DESCRIPTIONS)


@pytest.mark.parametrize("name", ["tuning", "test"])
def test_targets_on_each_half(name: str) -> None:
    table, _ = score(half(name), "es")
    for field in ("movements", "state"):
        assert table[field]["precision"] >= 0.9 and table[field]["recall"] >= 0.9, field
    assert table["red_flags"]["recall"] == 1.0


@pytest.mark.parametrize(
    ("text", "mentioned"),
    [
        ("no tiene fiebre, cabecea", {"no_fever": ["no tiene fiebre"]}),
        ("sin fiebre y cabecea", {"no_fever": ["sin fiebre"]}),
        ("fiebre: no. cabecea", {"no_fever": ["fiebre: no"]}),
        ("tiene calentura y cabecea", {"fever_unmeasured": ["tiene calentura"]}),
        ("tuvo fiebre ayer; hoy cabecea", {"fever_unmeasured": ["tuvo fiebre"]}),
        ("fiebre de 38,5 y cabecea", {}),
        ("cabecea al despertar", {}),
        ("libre de fiebre, cabecea", {"no_fever": ["libre de fiebre"]}),
        ("cero fiebre", {"no_fever": ["cero fiebre"]}),
    ],
)
def test_a_fever_without_a_temperature_is_said_back(text: str, mentioned: dict) -> None:
    assert draft_episode(text, "es").mentioned == mentioned
