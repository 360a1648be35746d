"""The hypsarrhythmia assessment's reasons, said again from a stored result in any
language (``spasmwatch.eeg.reasons``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from tests.eeg.test_detect import CHANNELS, FS, _spiky

from spasmwatch.eeg.background import assess_background
from spasmwatch.eeg.features import compute_epoch_features
from spasmwatch.eeg.reasons import background_reasons, can_say
from spasmwatch.eeg.result import (
    Background,
    based_score_shown,
    shown_based_score,
    unscored_words,
)
from spasmwatch.i18n import translations


def _stored(bg: Background) -> dict:
    """The background as the database keeps it: through JSON."""
    return json.loads(json.dumps(bg.to_dict()))


def test_the_stored_english_reasons_are_those_said_from_the_stored_measures() -> None:
    for ef in _backgrounds():
        bg = assess_background(ef)
        doc = _stored(bg)
        assert can_say(doc)
        assert background_reasons(doc) == bg.reasons == doc["reasons"]
        assert Background.from_dict(doc).to_dict() == doc  # the new fields survive


def test_the_reasons_in_spanish_with_its_numbers() -> None:
    es = translations("es").gettext
    for ef in _backgrounds():
        doc = _stored(assess_background(ef))
        english, spanish = background_reasons(doc), background_reasons(doc, es, "es")
        assert len(spanish) == len(english)
        assert all(s != e for s, e in zip(spanish, english, strict=True))
        assert "puntuación tipo BASED" in " ".join(spanish)
        assert any("%" in r for r in spanish) and "%(" not in " ".join(spanish)
        # decimals with the Spanish decimal sign
        assert any("fracción delta 0," in r for r in spanish)


def test_the_spike_foci_are_said_with_what_a_focus_is_and_whether_multifocal() -> None:
    # singular and plural; what a focus is; multifocal from limits.min_foci (2) on
    es = translations("es")
    doc = _stored(assess_background(list(_backgrounds())[1]))
    assert doc["hypsarrhythmia_assessment"] != "cannot_assess"
    assert doc["limits"]["min_foci"] == 2 and doc["limits"]["focus_rate_per_min"] == 1
    focus = "(a focus is a scalp region where 1 or more discharges a minute are at their largest)"
    foco = "(un foco es una región del cuero cabelludo donde 1 o más descargas por minuto"
    for foci, english, spanish in (
        (
            0,
            f"no spike focus {focus}, so not multifocal (2 or more foci)",
            "ningún foco de puntas ",
        ),
        (1, f"1 spike focus {focus}, so not multifocal (2 or more foci)", "1 foco de puntas "),
        (2, f"2 spike foci {focus}: multifocal (2 or more foci)", "2 focos de puntas "),
        (3, f"3 spike foci {focus}: multifocal (2 or more foci)", "3 focos de puntas "),
    ):
        said = background_reasons({**doc, "spike_foci": foci})
        assert english in said, said
        said = background_reasons({**doc, "spike_foci": foci}, es.gettext, "es", es.ngettext)
        assert any(r.startswith(spanish + foco) for r in said), said
        no = "así que no es multifocal (2 focos o más)"
        assert any(r.endswith(no) for r in said) == (foci < 2), said


def test_too_short_a_recording_counts_its_foci_without_calling_them_not_multifocal() -> None:
    # 100 s: too little to judge multifocality, which one line says; the foci line then
    # counts what it found and does not conclude "not multifocal" from it
    es = translations("es")
    doc = _stored(assess_background(next(_backgrounds())))
    assert doc["hypsarrhythmia_assessment"] == "cannot_assess"
    for foci in (0, 1):
        said = background_reasons({**doc, "spike_foci": foci})
        assert any("too little to judge spike burden and multifocality" in r for r in said)
        assert not any("not multifocal" in r for r in said), said
        (line,) = [r for r in said if "a focus is" in r]
        assert line.startswith("no spike focus found" if not foci else "1 spike focus found")
        assert line.endswith("not enough EEG to judge multifocality (2 or more foci)")
        spanish = background_reasons({**doc, "spike_foci": foci}, es.gettext, "es", es.ngettext)
        assert not any("no es multifocal" in r for r in spanish), spanish
    # two foci found are multifocal, however short the recording
    said = background_reasons({**doc, "spike_foci": 2})
    assert any(r.endswith(": multifocal (2 or more foci)") for r in said)


def test_a_result_stored_before_the_measures_keeps_its_reasons() -> None:
    old = {"amplitude_uv_p95": 80.0, "reasons": ["an old reason"], "usable_s": 300}
    assert not can_say(old)
    assert background_reasons(old, translations("es").gettext, "es") == ["an old reason"]


def _backgrounds():
    """Epoch features of a short recording, a hypsarrhythmic one of 150 s, one with
    clipped seconds and one with too few channels."""
    yield compute_epoch_features(_spiky(19, 1.5, 150.0, seconds=100), FS, CHANNELS)
    yield compute_epoch_features(_spiky(19, 1.5, 150.0, seconds=150), FS, CHANNELS)
    data = _spiky(2, 0.5, 40.0, seconds=150)
    data[3, : int(20 * FS)] = np.clip(data[3, : int(20 * FS)] * 50, -3000, 3000)
    yield compute_epoch_features(data, FS, CHANNELS)
    yield compute_epoch_features(
        _spiky(19, 1.5, 150.0, seconds=150)[:3], FS, CHANNELS[:3], kinds=["bipolar"] * 3
    )


def test_a_hypsarrhythmic_background_marked_as_seizure_is_said() -> None:
    # the newborns' seizure detector marks most of a hypsarrhythmic recording: the
    # reasons say so, in both languages; not when hypsarrhythmia is unlikely or when
    # nothing is marked
    doc = _stored(assess_background(compute_epoch_features(*_hyps())))
    assert doc["hypsarrhythmia_assessment"] == "likely"
    marked = {**doc, "sz_share": 0.97}
    english = background_reasons(marked)
    (said,) = [r for r in english if "seizure detector" in r]
    assert "97%" in said and "newborns" in said
    spanish = background_reasons(marked, translations("es").gettext, "es")
    assert any("97\u00a0%" in r and "recién nacidos" in r for r in spanish)
    assert not any("seizure detector" in r for r in background_reasons({**doc, "sz_share": 0}))
    unlikely = {**marked, "hypsarrhythmia_assessment": "unlikely", "hypsarrhythmia_likely": False}
    assert not any("seizure detector" in r for r in background_reasons(unlikely))
    assert Background.from_dict(marked).sz_share == 0.97


def _hyps() -> tuple:
    return _spiky(19, 1.5, 150.0, seconds=150), FS, CHANNELS


def test_the_slow_form_is_said_in_both_languages_and_not_for_results_stored_before_it() -> None:
    from tests.eeg.test_detect import _async_delta

    doc = _stored(assess_background(compute_epoch_features(_async_delta(600.0), FS, CHANNELS)))
    assert doc["hypsarrhythmia_assessment"] == "likely"
    (said,) = [r for r in background_reasons(doc) if "Hrachovy" in r]
    assert "very high" in said and "little spike activity" in said
    spanish = background_reasons(doc, translations("es").gettext, "es")
    (dicho,) = [r for r in spanish if "Hrachovy" in r]
    assert "muy alta" in dicho and "%(" not in dicho
    # stored before the slow form was judged: its limits lack it, nothing is said of it
    limits = {k: v for k, v in doc["limits"].items() if not k.startswith("slow_form")}
    old = background_reasons({**doc, "limits": limits})
    assert not any("Hrachovy" in r for r in old)
    assert any("not used in the assessment" in r for r in old)


def test_a_spike_wave_index_just_under_its_limit_does_not_read_as_the_limit() -> None:
    doc = _stored(assess_background(compute_epoch_features(*_hyps())))
    near = {**doc, "spike_wave_index": 0.0988}
    (english,) = [r for r in background_reasons(near) if "spike-wave" in r]
    assert english.startswith("spike-wave index 9.9% ") and "(< 10%" in english
    es = translations("es").gettext
    (spanish,) = [r for r in background_reasons(near, es, "es") if "punta-onda" in r]
    assert "9,9\u00a0%" in spanish and "(< 10\u00a0%" in spanish


def test_a_high_voltage_background_called_unlikely_says_discharges_may_be_missed() -> None:
    from tests.eeg.test_detect import _async_delta

    # 350 µV of asynchronous delta without spikes: high, but neither spiky nor the slow form
    doc = _stored(assess_background(compute_epoch_features(_async_delta(350.0), FS, CHANNELS)))
    assert doc["hypsarrhythmia_assessment"] == "unlikely"
    assert doc["amplitude_uv_p95"] > doc["limits"]["high_amplitude_uv"]

    def caveat(d: dict, *args) -> list[str]:
        return [
            r for r in background_reasons(d, *args) if "does not rule" in r or "no descarta" in r
        ]

    (said,) = caveat(doc)
    assert "high-voltage delta" in said and "multifocal spikes" in said
    (dicho,) = caveat(doc, translations("es").gettext, "es")
    assert "alto voltaje" in dicho
    # both sides of the amplitude limit (> 200 µV is high)
    limit = float(doc["limits"]["high_amplitude_uv"])
    assert caveat({**doc, "amplitude_uv_p95": limit + 0.5})
    assert not caveat({**doc, "amplitude_uv_p95": limit})
    # not said where hypsarrhythmia is likely, nor where it cannot be assessed
    assert not caveat({**doc, "hypsarrhythmia_assessment": "likely"})
    assert not caveat({**doc, "hypsarrhythmia_assessment": "cannot_assess"})
    quiet = _stored(assess_background(compute_epoch_features(_async_delta(120.0), FS, CHANNELS)))
    assert quiet["hypsarrhythmia_assessment"] == "unlikely" and not caveat(quiet)


def test_the_slow_form_is_not_said_when_the_recording_cannot_be_assessed() -> None:
    from tests.eeg.test_detect import _async_delta

    # 100 s of the same very high, asynchronous delta: too short to assess, so no verdict
    # of any form is said
    bg = assess_background(compute_epoch_features(_async_delta(600.0, seconds=100), FS, CHANNELS))
    assert bg.hypsarrhythmia_assessment == "cannot_assess"
    assert not any("Hrachovy" in r for r in bg.reasons)


def test_mains_interference_removed_is_said_in_both_languages() -> None:
    data = _spiky(19, 1.5, 150.0, seconds=150)
    t = np.arange(data.shape[1]) / FS
    # each electrode picks up its own share of the hum: the bipolar pairs keep the
    # differences, on some pairs more than on others
    pickup = np.random.default_rng(5).uniform(0, 60, (len(CHANNELS), 1))
    data += pickup * np.sin(2 * np.pi * 50 * t)[None]
    bg = assess_background(compute_epoch_features(data, FS, CHANNELS))
    doc = _stored(bg)
    assert doc["mains"] == {"hz": 50.0, "share": 1.0}
    (said,) = [r for r in background_reasons(doc) if "mains" in r]
    assert "50 Hz" in said
    spanish = background_reasons(doc, translations("es").gettext, "es")
    assert any("red eléctrica (50 Hz)" in r for r in spanish)
    assert Background.from_dict(doc).to_dict() == doc
    quiet = _stored(assess_background(compute_epoch_features(_spiky(19, 1.5, 150.0), FS, CHANNELS)))
    assert "mains" not in quiet and not any("mains" in r for r in background_reasons(quiet))


def test_a_mains_notch_before_the_file_was_read_is_said_in_both_languages() -> None:
    from scipy import signal

    data = _spiky(19, 1.5, 150.0, seconds=150)
    data += np.random.default_rng(6).normal(0, 5, data.shape)  # broadband, up to 128 Hz
    b, a = signal.iirnotch(50.0, 30.0, fs=FS)
    bg = assess_background(compute_epoch_features(signal.filtfilt(b, a, data), FS, CHANNELS))
    doc = _stored(bg)
    assert doc["mains_notched"]["hz"] == 50.0 and doc["mains_notched"]["share"] > 0.9
    assert "mains" not in doc
    (said,) = [r for r in background_reasons(doc) if "already filtered out" in r]
    assert "50 Hz" in said and "read the traces" in said
    spanish = background_reasons(doc, translations("es").gettext, "es")
    assert any("ya se había filtrado" in r for r in spanish)
    assert Background.from_dict(doc).to_dict() == doc
    as_made = _stored(assess_background(compute_epoch_features(data, FS, CHANNELS)))
    assert "mains_notched" not in as_made
    assert not any("already filtered out" in r for r in background_reasons(as_made))


def test_a_line_left_by_the_notch_is_said_as_what_the_notch_left() -> None:
    """Both the notch and the line at the same frequency (a notch too shallow for a
    strong hum): one statement of the notch, then what it left, not two that read as if
    they contradicted each other."""
    from scipy import signal

    data = _spiky(19, 1.5, 150.0, seconds=150)
    data += np.random.default_rng(6).normal(0, 5, data.shape)
    b, a = signal.iirnotch(50.0, 30.0, fs=FS)
    doc = _stored(
        assess_background(compute_epoch_features(signal.filtfilt(b, a, data), FS, CHANNELS))
    )
    assert doc["mains_notched"]["hz"] == 50.0 and "mains" not in doc
    both = {**doc, "mains": {"hz": 50.0, "share": 0.91}}
    english = background_reasons(both)
    (notch,) = [i for i, r in enumerate(english) if "already filtered out" in r]
    assert english[notch + 1] == (
        "what that filter left of the mains line was removed before the measures from 91% "
        "of channel-seconds"
    )
    assert not any("mains interference" in r for r in english)
    spanish = background_reasons(both, translations("es").gettext, "es")
    assert len(spanish) == len(english) and "91" in spanish[notch + 1]
    assert spanish[notch + 1] != english[notch + 1]
    # at another frequency each is said as it is
    other = background_reasons({**doc, "mains": {"hz": 60.0, "share": 0.5}})
    assert any("mains interference (60 Hz) removed" in r for r in other)
    assert len(other) == len(english)


def test_decrements_set_aside_in_a_discontinuous_background_are_said() -> None:
    from tests.eeg.test_detect import _delta_background, _envelope

    from spasmwatch.eeg.decrements import decrement_events

    # inter-burst intervals of 5 s every 9 s: attenuations that pass every rule of a
    # decrement but the discontinuous background around them
    x = _delta_background(150)
    spans = [(a, a + 5, 0.1) for a in range(20, 140, 9)]
    ef = compute_epoch_features(x * _envelope(x.shape[1], spans), FS, CHANNELS)
    events, aside = decrement_events(ef)
    assert events == [] and len(aside) == 14
    doc = _stored(assess_background(ef, decrements_set_aside=[e.onset for e in aside]))
    assert doc["decrements_set_aside"] == [float(a) for a in range(20, 140, 9)]
    (said,) = [r for r in background_reasons(doc) if "not counted as decrements" in r]
    assert ": 14, the first at 20 s" in said and "look at the traces" in said
    spanish = background_reasons(doc, translations("es").gettext, "es")
    assert any("no contadas como decrementos" in r and "20 s" in r for r in spanish)
    assert Background.from_dict(doc).to_dict() == doc
    # none set aside: nothing said, and the field is there (empty); unknown: no field
    none = _stored(assess_background(ef, decrements_set_aside=[]))
    assert none["decrements_set_aside"] == []
    assert not any("not counted as decrements" in r for r in background_reasons(none))
    assert "decrements_set_aside" not in _stored(assess_background(ef))


def test_a_noise_floor_that_hides_decrements_is_said_on_both_sides_of_the_line_ratio() -> None:
    # a floor of white noise that an electrodecrement would not attenuate, as in a real
    # recording: its line length alone is most of the EEG's
    data = _spiky(19, 1.5, 150.0, seconds=150)
    noisy = data + np.random.default_rng(8).normal(0, 15, data.shape)
    doc = _stored(assess_background(compute_epoch_features(noisy, FS, CHANNELS)))
    assert doc["limits"]["decrement_line_ratio"] == 0.6
    assert doc["noise_floor"]["line_share"] >= 0.6 and doc["noise_floor"]["uv"] > 10
    quiet = _stored(assess_background(compute_epoch_features(data, FS, CHANNELS)))
    assert quiet["noise_floor"]["line_share"] < 0.6
    assert not any("noise floor" in r for r in background_reasons(quiet))
    # a continuous background: the detector reads the 2-12 Hz band too, and says so
    (said,) = [r for r in background_reasons(doc) if "noise floor" in r]
    assert "also reads the line length of the 2-12 Hz band" in said
    # a discontinuous one: it can hardly find a decrement
    broken = {**doc, "attenuated_share": 0.5}
    (said,) = [r for r in background_reasons(broken) if "noise floor" in r]
    assert "finding none does not mean there was none" in said and "60%" in said
    spanish = background_reasons(broken, translations("es").gettext, "es")
    assert any("ruido de fondo" in r for r in spanish)
    assert Background.from_dict(doc).to_dict() == doc
    # the reason from the decrement rules' line ratio on, not under it
    for share, said_it in ((0.6, True), (0.61, True), (0.59, False), (0.2, False)):
        doc["noise_floor"]["line_share"] = share
        assert any("noise floor" in r for r in background_reasons(doc)) is said_it
    # a result stored before the ratio was among the limits says nothing of it
    del doc["limits"]["decrement_line_ratio"]
    doc["noise_floor"]["line_share"] = 0.9
    assert not any("noise floor" in r for r in background_reasons(doc))


def test_the_2_12_hz_band_under_a_floor_is_said_at_each_sensitivity() -> None:
    from tests.eeg.test_detect import _decrement_under_a_floor

    ef = compute_epoch_features(_decrement_under_a_floor(), FS, CHANNELS)
    normal = _stored(assess_background(ef))
    assert normal["noise_floor"]["line_share"] >= 0.6 > normal["noise_floor"]["band_line_share"]
    assert normal["limits"]["decrement_reads_band"] == 0.0
    assert normal["limits"]["decrement_band_under_floor"] == 1.0
    # a continuous background: the detector read the band too, and says so in one reason
    said = background_reasons(normal)
    (floor,) = [r for r in said if "noise floor" in r]
    assert "also reads the line length of the 2-12 Hz band" in floor
    assert not any("can hardly find" in r or r.startswith("analysed at high") for r in said)
    # a background attenuated in 10-40 % of its seconds: the band's deep events only
    assert normal["limits"]["decrement_band_max_attenuated"] == 0.4
    for attenuated, deep_only in ((0.1, True), (0.39, True), (0.4, False), (0.09, False)):
        said = background_reasons({**normal, "attenuated_share": attenuated})
        floor = next(r for r in said if "noise floor" in r)
        assert ("keeps only the deep attenuations" in floor) is deep_only
        assert ("can hardly find" in floor) is (attenuated >= 0.4)
    # a discontinuous background, or a result stored before the band was added at normal
    # (or before its deep events were): it could hardly find one, and high sensitivity
    # would read the band
    older = {k: v for k, v in normal["limits"].items() if not k.startswith("decrement_band_d")}
    for doc in (
        {**normal, "attenuated_share": 0.5},
        {**normal, "attenuated_share": 0.2, "limits": older},
        {**normal, "limits": {**normal["limits"], "decrement_band_under_floor": 0.0}},
        {k: v for k, v in normal.items() if k != "attenuated_share"},
    ):
        old = background_reasons(doc)
        (hint,) = [r for r in old if r.startswith("analysed again at high sensitivity")]
        assert "2-12 Hz" in hint and old.index(hint) == 1 + next(
            i for i, r in enumerate(old) if "can hardly find" in r
        )
    high = _stored(assess_background(ef, sensitivity="high"))
    assert high["limits"]["decrement_reads_band"] == 1.0
    assert high["limits"]["decrement_line_ratio"] == 0.5
    assert high["noise_floor"]["line_share"] == normal["noise_floor"]["band_line_share"]
    said_high = background_reasons(high)
    assert not any("can hardly find" in r or r.startswith("analysed at high") for r in said_high)
    (used,) = [r for r in said_high if r.startswith("high sensitivity")]
    assert "2-12 Hz" in used
    for doc in (
        normal,
        high,
        {**normal, "attenuated_share": 0.2},
        {**normal, "attenuated_share": 0.5},
    ):
        english = background_reasons(doc)
        spanish = background_reasons(doc, translations("es").gettext, "es")
        assert len(spanish) == len(english) and not set(spanish) & set(english)
    for doc in (normal, high):
        assert Background.from_dict(doc).to_dict() == doc
    # without a floor that hides decrements, nothing is said of the band
    quiet = _stored(assess_background(compute_epoch_features(_spiky(19, 1.5, 150.0), FS, CHANNELS)))
    assert not any("2-12 Hz" in r for r in background_reasons(quiet))


def test_at_high_sensitivity_a_discontinuous_background_is_said_on_both_sides_of_10_percent() -> (
    None
):
    from tests.eeg.test_detect import _decrement_under_a_floor

    ef = compute_epoch_features(_decrement_under_a_floor(), FS, CHANNELS)
    high = _stored(assess_background(ef, sensitivity="high"))
    normal = _stored(assess_background(ef))
    # one 3-s attenuation in a minute, itself a decrement (left out of the measure, as
    # the background's brief attenuations are): continuous
    assert 0 <= high["attenuated_share"] < 0.1 and high["limits"]["discontinuous_share"] == 0.1
    assert normal["attenuated_share"] == high["attenuated_share"]

    def cautions(doc: dict) -> list[str]:
        return [r for r in background_reasons(doc) if "between bursts" in r]

    assert cautions(high) == [] == cautions(normal)
    for share, said in ((0.1, True), (0.45, True), (0.09, False)):
        assert bool(cautions({**high, "attenuated_share": share})) is said
        # at normal the decrement rules do not take such spells: nothing is said
        assert cautions({**normal, "attenuated_share": share}) == []
    (caution,) = cautions({**high, "attenuated_share": 0.45})
    assert "45%" in caution and "10%" in caution
    spanish = background_reasons(
        {**high, "attenuated_share": 0.45}, translations("es").gettext, "es"
    )
    assert len(spanish) == len(background_reasons({**high, "attenuated_share": 0.45}))
    # a result stored before the share was measured says nothing of it
    assert cautions({k: v for k, v in high.items() if k != "attenuated_share"}) == []


def test_an_amplitude_that_does_not_last_is_said_in_both_languages() -> None:
    from tests.eeg.test_detect import _async_delta, _quiet_in_part

    loud = _async_delta(600.0)
    lasting = _stored(assess_background(compute_epoch_features(loud, FS, CHANNELS)))
    stretch = _stored(
        assess_background(compute_epoch_features(_quiet_in_part(loud, 90.0), FS, CHANNELS))
    )
    assert lasting["hypsarrhythmia_assessment"] == "likely"
    assert stretch["hypsarrhythmia_assessment"] == "unlikely"
    assert lasting["limits"]["sustained_amplitude_uv"] == 100
    assert lasting["limits"]["sustained_percentile"] == 25
    (said,) = [r for r in background_reasons(lasting) if "amplitude p25" in r]
    assert "the amplitude lasts" in said and "in at least 75% of the usable seconds" in said
    (said,) = [r for r in background_reasons(stretch) if "amplitude p25" in r]
    assert said.startswith("amplitude p25 90 µV (< 100 µV") and "does not last" in said
    assert "in more than 25% of the usable seconds" in said
    # its absence is not shown: the pattern fades in REM sleep and in clusters of spasms
    (caveat,) = [r for r in background_reasons(stretch) if "does not rule it out" in r]
    assert "REM sleep" in caveat
    assert not any("misses many discharges" in r for r in background_reasons(stretch))
    es = translations("es").gettext
    spanish = background_reasons(stretch, es, "es")
    assert len(spanish) == len(background_reasons(stretch))
    assert any("p25 90 µV" in r for r in spanish) and any("REM" in r for r in spanish)
    assert not set(spanish) & set(background_reasons(stretch)) - {""}
    # stored before the sustained amplitude was judged: nothing is said of it
    old = {k: v for k, v in stretch.items() if k != "amplitude_uv_p25"}
    assert not any("p25" in r or "REM sleep" in r for r in background_reasons(old))
    assert Background.from_dict(old).amplitude_uv_p25 is None
    assert Background.from_dict(stretch).amplitude_uv_p25 == 90.0


def test_the_score_is_shown_only_from_the_usable_eeg_it_needs(shared_eeg_dir: Path) -> None:
    """``based_score_shown`` on both sides of ``limits.min_usable_s``: from 120 s of usable
    EEG the score is shown; under it the outputs say why there is none (the JSON keeps its
    integer); a result stored before its limits is shown as it always was."""
    from spasmwatch.eeg.analysis import analyze_eeg

    doc = analyze_eeg(shared_eeg_dir / "helsinki/clips/eeg5.edf").to_dict()["background"]
    assert (doc["usable_s"], doc["limits"]["min_usable_s"], doc["based_like_score"]) == (30, 120, 0)
    assert not based_score_shown(doc)
    why = "not given (too little usable EEG: 30 s, at least 120 s needed)"
    assert unscored_words(doc) == why
    assert "BASED-like score " + why in background_reasons(doc)
    assert not any(r.startswith("BASED-like score 0") for r in doc["reasons"])
    assert "puntuación tipo BASED" in " ".join(
        background_reasons(doc, translations("es").gettext, "es")
    )
    for usable, shown in ((119, False), (120, True)):
        at = {**doc, "usable_s": usable}
        assert based_score_shown(at) is shown
        assert (unscored_words(at) == "") is shown
        assert shown_based_score(at) == (0 if shown else None)  # the tables' cell
    older = {k: v for k, v in doc.items() if k != "limits"}
    assert based_score_shown(older) and unscored_words(older) == ""
    assert shown_based_score(older) == 0
