"""Pure detection functions on constructed motion arrays."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spasmwatch.video.classify import FROM_OUTSIDE, PHONE_SHARE, explanation
from spasmwatch.video.detect import SENSITIVITIES, MovementEvent, detect_events, find_clusters
from spasmwatch.video.features import CameraParallax, onset_sharpness, rhythm_hz
from spasmwatch.video.regions import (
    activity_traces,
    axial_spread,
    locate_infant,
    scenery_correlation,
)

RATE = 15.0
ROWS, COLS = 16, 12
# the infant: a vertical band in the middle of the picture
MASK = np.zeros((ROWS, COLS), bool)
MASK[2:14, 3:9] = True


def _scene(seconds: float = 40.0, seed: int = 0):
    """Fidgety background motion inside the infant, a quiet blanket around it."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    speed = np.abs(rng.normal(0, 0.004, (n, ROWS, COLS))).astype(np.float32)
    speed[:, MASK] += np.abs(rng.normal(0.015, 0.01, (n, int(MASK.sum()))))
    fx = rng.normal(0, 0.01, speed.shape).astype(np.float32)
    fy = rng.normal(0, 0.01, speed.shape).astype(np.float32)
    return speed, fx, fy, np.arange(n) / RATE


def _move(speed, fx, fy, t0, cells, onset_s=0.2, hold_s=0.6, back_s=0.6, v=0.3):
    """A movement of ``cells``: fast onset, hold, slower return (negative flow).

    Like a flexion, the upper half of the picture moves down and the lower half up
    (head and legs towards the trunk), not the whole infant as one piece.
    """
    i = int(t0 * RATE)
    a, b = i, i + int(onset_s * RATE)
    way = np.where(np.arange(ROWS) < ROWS // 2, 1.0, -1.0)[:, None] * np.ones((1, COLS))
    speed[a:b, cells] += v
    fy[a:b, cells] += v * way[cells]
    c = b + int(hold_s * RATE)
    d = c + int(back_s * RATE)
    speed[c:d, cells] += v * onset_s / back_s
    fy[c:d, cells] -= v * onset_s / back_s * way[cells]


def _events(speed, fx, fy, t, **kw) -> list[MovementEvent]:
    return detect_events(speed, fx, fy, t, RATE, mask=MASK, **kw)


def test_quiet_infant_has_no_events() -> None:
    assert [e for e in _events(*_scene()) if e.kind != "other"] == []


def test_whole_body_movement_is_spasm_like_and_brief_one_is_jerk() -> None:
    speed, fx, fy, t = _scene()
    _move(speed, fx, fy, 10.0, MASK)  # whole body, 1.4 s
    arm = np.zeros_like(MASK)
    arm[2:6, 3:9] = True
    _move(speed, fx, fy, 25.0, arm, onset_s=0.14, hold_s=0.0, back_s=0.07)
    events = _events(speed, fx, fy, t)
    spasm = [e for e in events if e.kind == "spasm_like"]
    jerk = [e for e in events if e.kind == "jerk"]
    assert len(spasm) == 1 and 9.8 <= spasm[0].start_s <= 10.2
    assert 1.0 <= spasm[0].end_s - spasm[0].start_s <= 2.0
    assert spasm[0].side == "both" and spasm[0].score >= 0.5
    assert len(jerk) == 1 and 24.8 <= jerk[0].start_s <= 25.2


def test_one_sided_spasm_reports_its_side() -> None:
    speed, fx, fy, t = _scene()
    right = MASK.copy()
    right[:, :6] = False  # right of a vertical axis in the picture
    _move(speed, fx, fy, 12.0, right, v=0.5)
    spasm = [e for e in _events(speed, fx, fy, t, sensitivity="high") if e.kind == "spasm_like"]
    assert len(spasm) == 1 and spasm[0].side == "right"


def test_repeated_movement_is_rhythmic() -> None:
    speed, fx, fy, t = _scene()
    legs = np.zeros_like(MASK)
    legs[10:14, 3:9] = True
    i0 = int(15 * RATE)
    for k in range(int(5 * RATE)):
        phase = np.sin(2 * np.pi * 2.0 * k / RATE)
        speed[i0 + k, legs] += 0.2 * abs(phase)
        fy[i0 + k, legs] += 0.2 * phase
    events = _events(speed, fx, fy, t)
    rhythmic = [e for e in events if e.kind == "rhythmic"]
    assert len(rhythmic) == 1
    assert 1.5 <= rhythmic[0].rhythm_hz <= 2.6
    assert not [e for e in events if e.kind == "spasm_like"]


def test_movement_outside_the_infant_is_measured_and_the_rules_rule_it_out() -> None:
    speed, fx, fy, t = _scene()
    hand = np.zeros_like(MASK)
    hand[0:8, 9:12] = True  # a hand coming in from the right edge ...
    i = int(20 * RATE)
    speed[i - 10 : i + 5, hand] += 0.3
    _move(speed, fx, fy, 20.0, MASK)  # ... and moving the infant
    rules = _events(speed, fx, fy, t, detector="rules")
    assert not [e for e in rules if e.kind == "spasm_like"]
    # the learned detector weighs it as one measure among the others
    (learned,) = [e for e in _events(speed, fx, fy, t) if abs(e.start_s - 20.0) < 0.6]
    assert learned.outside_share >= FROM_OUTSIDE and explanation(learned) == "outside"


def test_one_frame_of_flicker_outside_the_infant_is_not_a_hand() -> None:
    speed, fx, fy, t = _scene()
    i = int(20 * RATE)
    # scattered cells away from the infant jump for one frame (a compression artefact
    # or an exposure step), a second before the spasm
    speed[i - 15, 0:16:3, 0:3] += 0.3
    speed[i - 15, 0:16:3, 10:12] += 0.3
    _move(speed, fx, fy, 20.0, MASK)
    spasms = [e for e in _events(speed, fx, fy, t) if e.kind == "spasm_like"]
    assert len(spasms) == 1 and spasms[0].outside_share == 0.0
    # the same cells moving for 0.3 s are something in the picture (a hand)
    speed[i - 15 : i - 10, 0:16:3, 0:3] += 0.3
    speed[i - 15 : i - 10, 0:16:3, 10:12] += 0.3
    (moved,) = [e for e in _events(speed, fx, fy, t) if abs(e.start_s - 20.0) < 0.6]
    assert moved.outside_share > 0.0
    assert not [e for e in _events(speed, fx, fy, t, detector="rules") if e.kind == "spasm_like"]


def test_a_limb_beyond_the_infant_is_not_a_visitor_but_a_hand_from_the_edge_is() -> None:
    speed, _fx, _fy, _t = _scene()
    small = np.zeros_like(MASK)
    small[4:12, 2:5] = True  # an infant on the left, blanket on the right
    i = int(10 * RATE)
    # an arm swinging out from the infant's side far into the blanket (not to the edge)
    speed[i : i + 3, 6:8, 5:11] += 0.3
    # a hand coming in from the top edge
    j = int(20 * RATE)
    speed[j : j + 3, 0:3, 8:11] += 0.3
    tr = activity_traces(speed, small)
    assert tr.outside[i : i + 3].max() == 0.0
    assert tr.outside[j : j + 3].min() > 0.0


def test_a_spasm_with_a_very_fast_onset_and_slow_relaxation_is_not_a_jerk() -> None:
    speed, fx, fy, t = _scene()
    # 0.13 s onset (two frames), held for 1 s, then 2 s of slow, weak relaxation
    _move(speed, fx, fy, 10.0, MASK, onset_s=0.14, hold_s=1.0, back_s=2.0, v=0.5)
    events = _events(speed, fx, fy, t)
    spasm = [e for e in events if e.kind == "spasm_like"]
    assert len(spasm) == 1 and 9.8 <= spasm[0].start_s <= 10.2
    assert spasm[0].end_s - spasm[0].start_s >= 0.9
    assert not [e for e in events if e.kind == "jerk"]


def test_onset_sharpness_is_the_rise_per_second_of_the_rise_itself() -> None:
    base = np.zeros(60)
    # fidgeting just above the baseline, then a jump of 0.4 in one frame
    jump = np.zeros(60)
    jump[20:26] = [0.05, 0.12, 0.08, 0.13, 0.1, 0.12]
    jump[26:30] = 0.52
    # a similar gain over a steady 0.4 s ramp
    ramp = np.zeros(60)
    ramp[20:26] = np.arange(1, 7) * 0.4 / 6
    ramp[26:30] = 0.4
    fast = onset_sharpness(jump, base, 20, 30, RATE)
    slow = onset_sharpness(ramp, base, 20, 30, RATE)
    assert fast == pytest.approx(0.42 / 0.2)  # from the last low point, at least 0.2 s
    assert slow == pytest.approx(0.4 / 0.4)
    assert fast > 2 * slow


def test_rhythm_needs_repetition_not_only_smoothness() -> None:
    n = int(3 * RATE)
    k = np.arange(n)
    # one smooth movement out and back: similar to itself a few frames later, no rhythm
    smooth = np.sin(np.pi * k / n)[:, None, None] * np.ones((1, 2, 2))
    assert rhythm_hz(smooth, smooth, RATE)[0] is None
    kicks = np.sin(2 * np.pi * 2.0 * k / RATE)[:, None, None] * np.ones((1, 2, 2))
    hz, strength = rhythm_hz(kicks, kicks, RATE)
    assert hz is not None and 1.8 <= hz <= 2.2 and strength > 0.5


def test_sensitivity_is_ordered() -> None:
    speed, fx, fy, t = _scene()
    rng = np.random.default_rng(1)
    # movements of a growing share of the infant's cells, spread head to feet
    for k, share in enumerate((0.08, 0.1, 0.12, 0.16, 0.2, 0.25, 0.4)):
        cells = MASK & (rng.random(MASK.shape) < share)
        _move(speed, fx, fy, 5.0 + 8 * k, cells)
    counts = [
        sum(e.kind == "spasm_like" for e in _events(speed, fx, fy, t, sensitivity=s))
        for s in ("low", "normal", "high")
    ]
    assert counts[0] <= counts[1] <= counts[2]
    assert counts[2] > counts[0]


def test_invalid_inputs() -> None:
    speed, fx, fy, t = _scene(5)
    with pytest.raises(ValueError, match="allowed are low, normal, high"):
        detect_events(speed, fx, fy, t, RATE, sensitivity="max")
    with pytest.raises(ValueError, match="times_s"):
        detect_events(speed, fx, fy, t[:-1], RATE)
    with pytest.raises(ValueError, match="rate_hz"):
        detect_events(speed, fx, fy, t, 0.0)
    assert set(SENSITIVITIES) == {"low", "normal", "high"}


def test_locate_infant_ignores_a_brief_visitor() -> None:
    speed, _fx, _fy, _t = _scene()
    speed[100:140, 0:4, 9:12] += 0.5  # a hand for under 3 s of 40
    mask = locate_infant(speed)
    assert mask[MASK].mean() > 0.9
    assert not mask[0:2, 10:12].any()


def test_locate_infant_ignores_scenery_that_moves_with_the_camera() -> None:
    speed, _fx, _fy, _t = _scene(60)
    rng = np.random.default_rng(2)
    # a handheld phone: the cot rail near the lens (the bottom rows and the sides'
    # lower half) moves whenever the phone does, more than the infant ever does
    shake = np.abs(np.convolve(rng.normal(0, 1, len(speed)), np.ones(8) / 8, "same"))
    rail = np.zeros_like(MASK)
    rail[12:, :] = True
    rail[8:, [0, -1]] = True
    speed[:, rail] += (0.06 * shake)[:, None] + 0.01
    # the infant moves on its own now and then
    for t0 in range(30, len(speed) - 20, 90):
        speed[t0 : t0 + 12, 2:12, 3:9] += 0.06
    infant = MASK.copy()
    infant[12:] = False
    mask = locate_infant(speed)
    assert mask[infant].mean() > 0.8
    assert mask[14:, :].mean() < 0.2
    # without the phone moving the rail, nothing there moves with the border
    assert np.abs(scenery_correlation(_scene(60)[0])).max() < 0.5


def test_locate_infant_with_only_scenery_moving_uses_the_whole_picture() -> None:
    rng = np.random.default_rng(3)
    # everything moves with the phone, nothing on its own: no infant can be told apart
    shake = np.abs(rng.normal(0, 0.05, 300))
    speed = np.repeat(shake[:, None, None], ROWS * COLS, axis=1).reshape(300, ROWS, COLS)
    speed = (speed * (1 + 0.01 * rng.random((300, ROWS, COLS)))).astype(np.float32)
    with np.errstate(all="raise"):
        mask = locate_infant(speed)
        traces = activity_traces(speed, mask)
    assert mask.all() and np.isfinite(traces.energy).all()


def test_axial_spread() -> None:
    moving = np.zeros_like(MASK)
    moving[2:4, 3:9] = True
    assert axial_spread(moving, MASK) <= 0.34
    assert axial_spread(MASK, MASK) == 1.0


def _ev(t: float, kind: str = "spasm_like") -> MovementEvent:
    return MovementEvent(t, t + 1.0, kind, 0.9, "both", 0.5, 1.0, 3.0, 1.0, None, 0.0)


def test_clusters_follow_the_definition() -> None:
    events = [_ev(10), _ev(20), _ev(35), _ev(100), _ev(150), _ev(300, "jerk")]
    (c,) = find_clusters(events)
    assert (c.start_s, c.count, c.kind) == (10, 3, "spasm_cluster")
    assert c.median_interval_s == 12.5
    # the gap rule is inclusive: 60 s is still one cluster
    assert find_clusters([_ev(0), _ev(60), _ev(120)])[0].count == 3
    assert find_clusters([_ev(0), _ev(60.5), _ev(121)]) == []
    assert find_clusters([_ev(0), _ev(5)]) == []


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 3600, allow_nan=False), max_size=40))
def test_cluster_properties(onsets: list[float]) -> None:
    events = [_ev(t) for t in onsets]
    clusters = find_clusters(events)
    assert sum(c.count for c in clusters) <= len(events)
    for c in clusters:
        assert c.count >= 3 and c.start_s <= c.end_s and c.median_interval_s <= 60
    for a, b in itertools.pairwise(clusters):
        assert b.start_s - a.start_s > 60


def _shaken(seconds: float = 40.0, seed: int = 1):
    """A handheld phone: its motion at the picture's centre (x, y) every frame, and the
    infant's cells carrying a residue of it (parallax), a different share per cell and,
    as on a body that is not flat, not the same way everywhere (here the upper half
    against the lower, so that a jolt of the phone looks like a flexion)."""
    speed, fx, fy, t = _scene(seconds, seed)
    rng = np.random.default_rng(seed)
    cam = rng.normal(0, 0.05, (len(t), 2)).astype(np.float32)
    gain = np.zeros((ROWS, COLS), np.float32)
    gain[MASK] = rng.uniform(0.15, 0.4, int(MASK.sum()))
    gain[ROWS // 2 :] *= -1
    fx += cam[:, 0, None, None] * gain
    fy += cam[:, 1, None, None] * gain
    return speed, fx, fy, t, cam, gain


def test_the_phones_share_of_a_movement() -> None:
    speed, fx, fy, _t, cam, gain = _shaken()
    # at 20 s the phone jerks and the infant's picture shifts with it (parallax) ...
    i = int(20 * RATE)
    cam[i : i + 8] += np.float32([0.6, -0.4])
    fx[i : i + 8] += 0.6 * gain
    fy[i : i + 8] -= 0.4 * gain
    # ... and at 30 s the infant moves by itself, the phone no more than usual
    _move(speed, fx, fy, 30.0, MASK)
    energy = speed[:, MASK].mean(axis=1)
    parallax = CameraParallax(fx, fy, cam, MASK, energy)
    assert parallax.share(i, i + 8) > 0.8
    j = int(30 * RATE)
    assert parallax.share(j, j + 8) < 0.1
    # without the camera's motion there is no fit and no share
    assert CameraParallax(fx, fy, np.zeros((0, 2)), MASK, energy).share(i, i + 8) == 0.0


def test_a_phone_on_a_stand_explains_no_movement() -> None:
    # the phone does not move: the camera fit sees only its own noise and a little of the
    # infant's movement leaking into it (a large infant drags the fit of the whole picture)
    speed, fx, fy, t = _scene(seed=3)
    i = int(20 * RATE)
    speed[i : i + 8, MASK] += 0.3
    fy[i : i + 8, MASK] += 0.3  # the whole infant one way, as a large leak would need
    rng = np.random.default_rng(3)
    leak = np.stack([fx[:, MASK].mean(axis=1), fy[:, MASK].mean(axis=1)], axis=1) * 0.2
    cam = (rng.normal(0, 0.0005, (len(t), 2)) + leak).astype(np.float32)
    parallax = CameraParallax(fx, fy, cam, MASK, speed[:, MASK].mean(axis=1))
    assert parallax.share(i, i + 8) < 0.05


def test_a_movement_that_is_the_phones_is_not_spasm_like() -> None:
    speed, fx, fy, t, cam, gain = _shaken(seed=2)
    _move(speed, fx, fy, 12.0, MASK)  # the infant's own movement
    # the same pattern of speeds, but every cell's flow is the phone's motion
    i = int(28 * RATE)
    _move(speed, np.zeros_like(fx), np.zeros_like(fy), 28.0, MASK)
    for k in range(i, i + int(1.4 * RATE)):
        push = np.float32([0.0, 0.8 if k < i + 3 else -0.3])
        cam[k] += push
        fx[k] += push[0] * gain
        fy[k] += push[1] * gain
    events = _events(speed, fx, fy, t, sensitivity="high", camera_flow=cam)
    own = [e for e in events if abs(e.start_s - 12.0) < 0.6]
    phone = [e for e in events if abs(e.start_s - 28.0) < 0.6]
    assert own and own[0].camera_share < 0.15
    assert phone and phone[0].camera_share >= PHONE_SHARE and explanation(phone[0]) == "phone"
    assert own[0].kind == "spasm_like" and "camera_share" in phone[0].to_dict()
    # the model weighs the phone's share: the jolt scores below the infant's own movement
    assert phone[0].score < own[0].score
    # without the camera's flow the share is not measured, and the jolt passes for a spasm
    blind = _events(speed, fx, fy, t, sensitivity="high")
    assert all(e.camera_share == 0.0 for e in blind)
    assert [e.kind for e in blind if abs(e.start_s - 28.0) < 0.6] == ["spasm_like"]
