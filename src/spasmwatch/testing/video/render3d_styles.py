"""Spasm styles for the 3-D scene generator (:mod:`.render3d`): the pose each
style reaches at its peak, and its timing.

A spasm blends joints towards absolute targets (so a salaam ends with the arms up whatever
the resting posture) and adds deltas (head turns, face), both scaled by the spasm's
amplitude and envelope (see :mod:`spasmwatch.testing.video.render3d_motion`). Degrees throughout.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from spasmwatch.testing.video.render3d_body import SIDES, side_pose


def _mirror(values: dict[str, float], sides: tuple[str, ...] = SIDES) -> dict[str, float]:
    out: dict[str, float] = {}
    for s in sides:
        out.update(side_pose(values, s))
    return out


FLEX_ARMS_HUG = {
    "shoulder_flex": 55,
    "shoulder_abd": 0,
    "shoulder_rot": -25,
    "elbow": 115,
    "wrist": 25,
    "hand_open": 0.15,
}


FLEX_ARMS_SALAAM = {
    "shoulder_flex": 100,
    "shoulder_abd": 18,
    "shoulder_rot": 10,
    "elbow": 25,
    "wrist": 10,
    "hand_open": 0.8,
}


EXT_ARMS = {
    "shoulder_flex": 18,
    "shoulder_abd": 105,
    "shoulder_rot": 40,
    "elbow": 8,
    "wrist": -25,
    "hand_open": 1.0,
}


FLEX_LEGS = {"hip_flex": 95, "hip_abd": 18, "hip_rot": 10, "knee": 95, "ankle": 10}


EXT_LEGS = {"hip_flex": 6, "hip_abd": 38, "hip_rot": 20, "knee": 6, "ankle": 35}


@dataclass
class Effect:
    """Joint targets to blend towards and deltas to add, with one envelope."""

    blend: dict[str, float]
    add: dict[str, float]
    weight: dict[str, float] = field(default_factory=dict)  # per-joint blend/add weight


def spasm_effect(style: str, side: str, rng: np.random.Generator) -> Effect:
    """The pose a spasm of ``style`` reaches at its peak (before amplitude scaling)."""

    def jitter(d: dict[str, float], sd: float = 7.0) -> dict[str, float]:
        return {
            k: v + (rng.normal(0, sd) if k.split("_")[0] not in ("hand",) else 0.0)
            for k, v in d.items()
        }

    sg = -1.0 if side == "left" else 1.0
    if style == "flexion":
        arms = FLEX_ARMS_HUG if rng.random() < 0.55 else FLEX_ARMS_SALAAM
        blend = _mirror(arms)
        if rng.random() < 0.8:
            blend.update(_mirror(FLEX_LEGS))
        blend.update({"neck_flex": 30, "head_flex": 12, "waist_flex": 22})
        return Effect(jitter(blend), {"grimace": 0.3, "eyes_open": 0.5})
    if style == "extension":
        blend = _mirror(EXT_ARMS) | _mirror(EXT_LEGS)
        blend.update({"neck_flex": -28, "head_flex": -12, "waist_flex": -14})
        return Effect(jitter(blend), {"eyes_open": 0.5, "mouth": 0.3})
    if style == "mixed":
        if rng.random() < 0.6:  # neck and trunk flex, arms extend and abduct
            blend = _mirror(EXT_ARMS) | _mirror(FLEX_LEGS)
            blend.update({"neck_flex": 26, "head_flex": 10, "waist_flex": 16})
        else:  # the reverse: neck back, arms flex
            blend = _mirror(FLEX_ARMS_HUG) | _mirror(EXT_LEGS)
            blend.update({"neck_flex": -22, "head_flex": -8, "waist_flex": -8})
        return Effect(jitter(blend), {"grimace": 0.3, "eyes_open": 0.5})
    if style == "asymmetric":
        arms, legs = (FLEX_ARMS_HUG, FLEX_LEGS) if rng.random() < 0.5 else (EXT_ARMS, EXT_LEGS)
        blend = _mirror(arms) | _mirror(legs)
        blend.update({"neck_flex": 14, "waist_flex": 10})
        strong = "r" if side == "right" else "l"
        weak = "l" if strong == "r" else "r"
        w_weak = float(rng.uniform(0.25, 0.5))
        weight = {k: w_weak for k in blend if k.endswith("_" + weak)}
        add = {"neck_turn": sg * rng.uniform(20, 40), "neck_side": sg * 8, "waist_side": sg * 6}
        return Effect(jitter(blend), add, weight)
    if style == "one_sided":
        s = "r" if side == "right" else "l"
        blend = side_pose(
            {
                "shoulder_flex": 70,
                "shoulder_abd": 62,
                "shoulder_rot": 20,
                "elbow": 25,
                "hand_open": 0.9,
            },
            s,
        )
        if rng.random() < 0.7:
            blend |= side_pose({"hip_flex": 85, "hip_abd": 25, "knee": 75}, s)
        add = {"neck_turn": sg * rng.uniform(30, 50), "waist_side": sg * 8, "neck_flex": 5}
        return Effect(jitter(blend), add)
    if style == "nod":
        total = float(rng.uniform(4, 20))
        share = float(rng.uniform(0.5, 0.8))
        add = {"head_flex": total * share, "neck_flex": total * (1 - share)}
        if rng.random() < 0.2:  # a slight shrug (a millimetre or two)
            add["shrug"] = float(rng.uniform(0.2, 0.6))
        return Effect({}, add)
    if style == "crunch":
        blend = _mirror({"hip_flex": 100, "hip_abd": 15, "knee": 60})
        blend.update({"waist_flex": 32, "neck_flex": 16, "head_flex": 6})
        add = _mirror({"shoulder_flex": 8})
        return Effect(jitter(blend), add)
    if style == "eyes":
        add = {
            "eye_roll": float(rng.uniform(0.6, 1.0)),
            "grimace": float(rng.uniform(0.4, 1.0)),
            "eyes_open": 0.6,
            "neck_flex": float(rng.uniform(0, 2.5)),
            "mouth": float(rng.uniform(0.1, 0.4)),
        }
        return Effect({}, add)
    raise ValueError(style)


def spasm_timing(style: str, rng: np.random.Generator) -> dict:
    """Rise, hold and relaxation times of one spasm (seconds) and the tonic level."""
    if style == "nod":
        p = {"tr": rng.uniform(0.1, 0.3), "th": rng.uniform(0.1, 0.55), "tf": rng.uniform(0.3, 0.6)}
    elif style == "eyes":
        p = {"tr": rng.uniform(0.15, 0.4), "th": rng.uniform(0.3, 1.0), "tf": rng.uniform(0.3, 0.6)}
    else:
        p = {"tr": rng.uniform(0.12, 0.5), "th": rng.uniform(0.2, 1.3), "tf": rng.uniform(0.3, 0.9)}
    total = p["tr"] + p["th"] + p["tf"]
    if total > 3.0:
        p["th"] -= total - 3.0
    p["plateau"] = rng.uniform(0.65, 0.9)
    return {k: float(v) for k, v in p.items()}
