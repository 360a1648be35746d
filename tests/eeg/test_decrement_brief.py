"""The background's discontinuity judged without its brief attenuations (a spasm's own
decrements), and the cap on how much of a recording they may fill."""

from __future__ import annotations

import numpy as np

from spasmwatch.eeg import decrements
from spasmwatch.eeg.decrements import (
    BRIEF_ATTENUATIONS_MAX_SHARE,
    DISCONTINUOUS_SHARE,
    SET_ASIDE_RULE,
    attenuated_share,
    decrement_candidates,
    decrement_events,
    discontinuity_level,
    find_decrements,
    reads_band_too,
    reads_deep_band_events,
)
from spasmwatch.eeg.features import compute_epoch_features

FS = 256.0
CHANNELS = ["Fp1", "Fp2", "F3", "F4", "C3", "C4", "P3", "P4", "O1", "O2",
            "F7", "F8", "T3", "T4", "T5", "T6", "Fz", "Cz", "Pz"]  # fmt: skip


def _delta_background(seconds: int, seed: int = 8) -> np.ndarray:
    """Faster background (noise, 15 µV) with 1 Hz delta that differs between electrodes."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * FS)) / FS
    phase = rng.uniform(0, 2 * np.pi, (19, 1))
    return 40 * np.sin(2 * np.pi * 1.0 * t[None] + phase) + rng.normal(0, 15, (19, len(t)))


def _attenuated(seconds: int, starts: list[int], length: int) -> np.ndarray:
    """The background of ``seconds`` s attenuated to 10 % for ``length`` s from each of
    ``starts``, with 40-ms transitions (an EEG does not jump from one sample to the next)."""
    x = _delta_background(seconds)
    env = np.ones(x.shape[1])
    for a in starts:
        env[int(a * FS) : int((a + length) * FS)] = 0.1
    k = np.hanning(21)
    return x * np.convolve(np.pad(env, 10, mode="edge"), k / k.sum(), mode="valid")[None]


def _brief_share(ef) -> float:
    """The share of the usable seconds that :func:`discontinuity_level` leaves out."""
    raw = decrements._background_level(ef)
    level = discontinuity_level(ef)
    return float((np.isnan(level) & np.isfinite(raw)).sum() / np.isfinite(raw).sum())


def _raw_share(ef) -> float | None:
    """:func:`attenuated_share` with every second kept (the measure before the brief
    attenuations were left out)."""
    return attenuated_share(ef, decrements._background_level(ef))


def test_a_cluster_of_decrements_does_not_make_its_background_discontinuous() -> None:
    # eight decrements of 3 s, one every 15 s, on a continuous background: they attenuate
    # 16 % of the recording themselves, which reads as discontinuous; left out, the
    # background is continuous again and the 2-12 Hz band is read there too
    ef = compute_epoch_features(_attenuated(150, list(range(20, 140, 15)), 3), FS, CHANNELS)
    assert [e.onset for e in decrement_events(ef)[0]] == [float(a) for a in range(20, 140, 15)]
    assert _raw_share(ef) >= DISCONTINUOUS_SHARE
    assert 0 < _brief_share(ef) <= BRIEF_ATTENUATIONS_MAX_SHARE
    assert attenuated_share(ef) < DISCONTINUOUS_SHARE
    assert reads_band_too(ef) and not reads_deep_band_events(ef)
    # the rules' own judgement, as the analysis stores it, is the same number
    found = find_decrements(ef)
    assert found.attenuated_share == attenuated_share(ef)
    assert (found.events, found.set_aside) == decrement_events(ef)


def test_brief_attenuations_filling_more_than_the_cap_stay_in_the_discontinuity() -> None:
    # 3 s every 10 s: they fill a quarter of the recording, more than the cap, so they are
    # the background's own rhythm and stay in its measure; each is still an event (the
    # minutes around each are attenuated for less than 40 %), but the band's events are
    # added only when deep
    ef = compute_epoch_features(_attenuated(150, list(range(20, 140, 10)), 3), FS, CHANNELS)
    assert [e.onset for e in decrement_events(ef)[0]] == [float(a) for a in range(20, 140, 10)]
    assert np.array_equal(discontinuity_level(ef), decrements._background_level(ef))
    assert attenuated_share(ef) == _raw_share(ef) >= DISCONTINUOUS_SHARE
    assert reads_deep_band_events(ef)


def test_the_cap_on_the_brief_attenuations_both_sides(monkeypatch) -> None:
    # attenuations of 5 s every 9 s for two minutes of a ten-minute recording (a dense
    # cluster of spasms): judged with them, the minutes around those in the middle of the
    # cluster are attenuated for more than 40 %, and they are set aside; left out (they
    # fill less than the cap of the recording), the background around each is continuous
    # and every one is an event
    starts = [float(a) for a in range(200, 320, 9)]
    ef = compute_epoch_features(_attenuated(600, starts, 5), FS, CHANNELS)
    share = _brief_share(ef)
    assert 0.1 < share <= BRIEF_ATTENUATIONS_MAX_SHARE
    raw = decrements._background_level(ef)
    judged = decrement_candidates(ef, background=raw)
    assert len([e for e, why in judged if why == SET_ASIDE_RULE and e.onset in starts]) >= 6
    events, aside = decrement_events(ef)
    assert [e.onset for e in events] == starts and aside == []
    # just under their share, the cap keeps them in: those in the middle are set aside,
    # as every one is where the same rhythm fills a whole recording (test_detect.py)
    monkeypatch.setattr(decrements, "BRIEF_ATTENUATIONS_MAX_SHARE", share - 0.005)
    events, aside = decrement_events(ef)
    assert len(aside) >= 6 and sorted(e.onset for e in events + aside) == starts
    assert np.array_equal(discontinuity_level(ef), raw, equal_nan=True)
    monkeypatch.setattr(decrements, "BRIEF_ATTENUATIONS_MAX_SHARE", share + 0.005)
    assert [e.onset for e in decrement_events(ef)[0]] == starts


def test_a_steady_background_has_no_brief_attenuation() -> None:
    ef = compute_epoch_features(_delta_background(90), FS, CHANNELS)
    assert np.array_equal(discontinuity_level(ef), decrements._background_level(ef))
    assert attenuated_share(ef) == _raw_share(ef)
