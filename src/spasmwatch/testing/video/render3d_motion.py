"""Motion for the 3-D scene generator (:mod:`.render3d`): per-frame tracks of
joint angles (rest, fidget, breathing, blinks, events), whole-body motion (rocking, patting,
lifting), handheld camera shake and the light with the phone's auto-exposure.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.ndimage import gaussian_filter1d

from spasmwatch.testing.video.render3d_body import (
    ARM_POSTURES,
    DOFS,
    IDX,
    LEG_POSTURES,
    POSE_HI,
    POSE_LO,
    SIDES,
    UNITLESS,
    side_pose,
)
from spasmwatch.testing.video.render3d_plan import Action, Plan, Scene3DSpec
from spasmwatch.testing.video.render3d_styles import Effect, _mirror

# --------------------------------------------------------------------------------------------
# Envelopes (arrays over a time axis in seconds, relative to an event's start)


def smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def spasm_envelope(t: np.ndarray, p: dict) -> np.ndarray:
    """Fast phasic rise, a weaker tonic plateau that slowly fades, then relaxation."""
    tr, th, tf, plateau = p["tr"], p["th"], p["tf"], p["plateau"]
    e = np.zeros_like(t)
    rise = (t >= 0) & (t < tr)
    e[rise] = 1.0 - (1.0 - t[rise] / tr) ** 2.5
    hold = (t >= tr) & (t < tr + th)
    th_t = t[hold] - tr
    settle = np.exp(-th_t / 0.12)  # the phasic peak settles to the tonic level in ~0.2 s
    e[hold] = (plateau + (1.0 - plateau) * settle) * (1.0 - 0.12 * th_t / max(th, 1e-3))
    end_level = plateau * 0.88 + (1 - plateau) * np.exp(-th / 0.12) * 0.88
    rel = (t >= tr + th) & (t < tr + th + tf)
    e[rel] = end_level * (1.0 - smoothstep((t[rel] - tr - th) / tf))
    return e


def pulse_envelope(t: np.ndarray, rise: float, hold: float, fall: float) -> np.ndarray:
    """Smooth rise, hold and fall (slow movements: stretch, lift, reach)."""
    e = smoothstep(t / max(rise, 1e-3))
    e *= 1.0 - smoothstep((t - rise - hold) / max(fall, 1e-3))
    e[(t < 0) | (t > rise + hold + fall)] = 0.0
    return e


def jerk_envelope(t: np.ndarray, rise: float, fall: float) -> np.ndarray:
    """A myoclonic jerk: up in a few frames, down a little slower."""
    e = np.where(t < rise, np.clip(t / rise, 0, 1), np.exp(-(((t - rise) / (fall / 2.5)) ** 2)))
    e[(t < 0) | (t > rise + fall)] = 0.0
    return e


# --------------------------------------------------------------------------------------------
# Tracks


@dataclass
class Tracks:
    """Per-frame drivers of the renderer."""

    pose: np.ndarray  # (T, len(DOFS))
    roll: np.ndarray  # (T,) whole-body roll about its long axis (rocking), radians
    bounce: np.ndarray  # (T,) pressed into the mattress (patting), metres
    lift: np.ndarray  # (T,) 0 lying ... 1 held up (picked up)
    carry: np.ndarray  # (T, 4) held-up offset: dx, dy (metres, world), yaw, pitch (radians)
    shake: np.ndarray  # (T, 6) camera offset: translation (m) and rotation (rad), camera axes
    gain: np.ndarray  # (T,) overall brightness
    tint: np.ndarray  # (T, 3) RGB multipliers
    lamp: np.ndarray  # (T,) weight of a lamp's warm light pool
    noise: np.ndarray  # (T,) sensor noise multiplier (exposure gain)


def neutral_pose(rng: np.random.Generator, legs: tuple[str, ...]) -> np.ndarray:
    """A resting supine posture: arms and legs each in one of the usual positions."""
    vals: dict[str, float] = {"neck_flex": rng.uniform(-2, 8), "neck_turn": rng.uniform(-35, 35)}
    arm = list(ARM_POSTURES)[int(rng.integers(3))]
    leg = legs[int(rng.integers(len(legs)))]
    for s in SIDES:
        a = arm if rng.random() < 0.7 else list(ARM_POSTURES)[int(rng.integers(4))]
        lg = leg if rng.random() < 0.8 else legs[int(rng.integers(len(legs)))]
        for k, v in (ARM_POSTURES[a] | LEG_POSTURES[lg]).items():
            vals[f"{k}_{s}"] = v + (rng.normal(0, 6) if k != "hand_open" else 0.0)
    vals["eyes_open"] = 1.0
    return to_vector(vals)


def to_vector(vals: dict[str, float]) -> np.ndarray:
    """Degrees (and unitless values) by name to a pose vector."""
    vec = np.zeros(len(DOFS))
    for k, v in vals.items():
        vec[IDX[k]] = v if k in UNITLESS else np.radians(v)
    return vec


def _mask(names: dict[str, float]) -> tuple[np.ndarray, np.ndarray]:
    """Indices and values (radians where angles) of a sparse pose dictionary."""
    idx = np.array([IDX[k] for k in names], dtype=int)
    val = np.array([v if k in UNITLESS else np.radians(v) for k, v in names.items()])
    return idx, val


#: Fidget amplitude (degrees or unitless) per joint group, awake.
FIDGET = {
    "shoulder_flex": 7,
    "shoulder_abd": 7,
    "shoulder_rot": 8,
    "elbow": 9,
    "wrist": 12,
    "hand_open": 0.15,
    "hip_flex": 6,
    "hip_abd": 5,
    "hip_rot": 5,
    "knee": 8,
    "ankle": 10,
    "neck_turn": 4,
    "neck_flex": 1.5,
    "neck_side": 2,
    "waist_flex": 1.0,
    "waist_side": 1.0,
    "mouth": 0.06,
}


def make_tracks(spec: Scene3DSpec, plan: Plan) -> Tracks:
    """Joint angles, whole-body motion, camera shake and lighting for every frame."""
    fps = spec.fps
    n = len(plan.awake)
    t = np.arange(n) / fps
    rng = np.random.default_rng([spec.seed, 202])
    # Under a blanket the legs rest on the mattress (raised legs would kick it off).
    legs = ("frog", "long") if spec.blanket else tuple(LEG_POSTURES)
    base = np.tile(neutral_pose(rng, legs), (n, 1))
    awake = plan.awake

    # Posture changes and head turns (unlabelled), then blinks and the eyes' state.
    for a in sorted((a for a in plan.actions if a.kind == "posture"), key=lambda a: a.t0):
        what, side, u = a.params["what"], a.params["side"], a.params["u"]
        if what == "arm":
            names = list(ARM_POSTURES)
            target = side_pose(ARM_POSTURES[names[int(u * len(names)) % len(names)]], side)
        elif what == "leg":
            target = side_pose(LEG_POSTURES[legs[int(u * len(legs)) % len(legs)]], side)
        else:
            target = {"neck_turn": (u - 0.5) * 70}
        idx, val = _mask(target)
        i0 = int(a.t0 * fps)
        e = smoothstep((t[i0:] - a.t0) / (a.t1 - a.t0))
        base[i0:, idx] += e[:, None] * (val[None, :] - base[i0 : i0 + 1, idx])
    base[:, IDX["eyes_open"]] = np.clip(awake, 0, 1)
    for a in plan.actions:
        if a.kind == "blink":
            i0, i1 = int(a.t0 * fps), int(a.t1 * fps) + 1
            tt = t[i0:i1] - a.t0
            base[i0:i1, IDX["eyes_open"]] *= 1 - np.sin(np.pi * np.clip(tt / 0.22, 0, 1))

    # Fidget: smooth noise per joint, smaller asleep; breathing.
    level = spec.fidget * (0.22 + 0.78 * np.clip(awake, 0, 1))
    for name, amp in FIDGET.items():
        for full in [name] if name in IDX else [f"{name}_{s}" for s in SIDES]:
            noise = gaussian_filter1d(rng.normal(size=n), 0.35 * fps)
            noise /= max(noise.std(), 1e-9)
            slow = gaussian_filter1d(rng.normal(size=n), 1.5 * fps)
            slow /= max(slow.std(), 1e-9)
            a = amp if full in UNITLESS else np.radians(amp)
            base[:, IDX[full]] += a * level * (0.7 * noise + 0.5 * slow)
    rate = 0.55 + 0.25 * np.clip(awake, 0, 1) + 0.05 * rng.normal()
    phase = np.cumsum(2 * np.pi * rate / fps)
    base[:, IDX["breath"]] = min(1.0, spec.fidget) * np.sin(phase)

    pose = base.copy()
    roll = np.zeros(n)
    bounce = np.zeros(n)
    lift = np.zeros(n)
    carry = np.zeros((n, 4))

    def span(a: Action, pad: float = 0.0) -> tuple[int, int, np.ndarray]:
        i0 = max(0, int(np.floor((a.t0 - pad) * fps)))
        i1 = min(n, int(np.ceil((a.t1 + pad) * fps)) + 1)
        return i0, i1, t[i0:i1] - a.t0

    def apply(eff: Effect, i0: int, i1: int, env: np.ndarray, amp: float) -> None:
        if eff.blend:
            idx, val = _mask(eff.blend)
            w = np.array([eff.weight.get(k, 1.0) for k in eff.blend])
            cur = base[i0:i1][:, idx]
            pose[i0:i1, idx] += (amp * env)[:, None] * w[None, :] * (val[None, :] - cur)
        if eff.add:
            idx, val = _mask(eff.add)
            w = np.array([eff.weight.get(k, 1.0) for k in eff.add])
            pose[i0:i1, idx] += (amp * env)[:, None] * (w * val)[None, :]

    for a in plan.actions:
        if a.kind == "spasm":
            i0, i1, tt = span(a)
            env = spasm_envelope(tt, a.params)
            # A little tremor in the tonic phase.
            env = env * (1 + 0.04 * np.sin(2 * np.pi * 9 * tt))
            apply(a.params["effect"], i0, i1, env, a.amp)
        elif a.kind == "sleep_jerk":
            i0, i1, tt = span(a)
            env = np.zeros_like(tt)
            for ts, w in zip(a.params["times"], a.params["widths"], strict=True):
                env = np.maximum(env, jerk_envelope(tt - ts, 0.06, w - 0.06))
            add: dict[str, float] = {}
            for limb in a.params["limbs"]:
                if limb.startswith("arm"):
                    add |= side_pose(
                        {"shoulder_flex": 28, "shoulder_abd": 14, "elbow": -25, "hand_open": 0.5},
                        limb[-1],
                    )
                elif limb.startswith("leg"):
                    add |= side_pose({"hip_flex": 20, "knee": -18}, limb[-1])
                else:
                    add |= {"waist_flex": 5, "neck_flex": 5}
            apply(Effect({}, add), i0, i1, env, a.amp)
        elif a.kind == "startle":
            i0, i1, tt = span(a)
            d = a.t1 - a.t0
            e1 = pulse_envelope(tt, 0.25, 0.15, 0.35)
            e2 = pulse_envelope(tt - 0.45, 0.35, max(d - 1.15, 0.1), 0.4)
            moro = Effect(
                _mirror(
                    {
                        "shoulder_abd": 110,
                        "shoulder_flex": 35,
                        "elbow": 12,
                        "shoulder_rot": 45,
                        "hand_open": 1.0,
                    }
                )
                | _mirror({"hip_flex": 30, "knee": 25}),
                {"neck_flex": -8, "eyes_open": 0.6},
            )
            embrace = Effect(
                _mirror(
                    {
                        "shoulder_abd": 25,
                        "shoulder_flex": 65,
                        "elbow": 95,
                        "shoulder_rot": -10,
                        "hand_open": 0.3,
                    }
                ),
                {"grimace": 0.5, "mouth": 0.5},
            )
            apply(moro, i0, i1, e1, a.amp)
            apply(embrace, i0, i1, e2, a.amp)
        elif a.kind == "kicking":
            i0, i1, tt = span(a)
            d = a.t1 - a.t0
            env = pulse_envelope(tt, 0.5, d - 1.0, 0.5)
            f = a.params["freq"] * (1 + 0.15 * np.sin(2 * np.pi * 0.2 * tt))
            ph = np.cumsum(2 * np.pi * f / fps)
            amp = np.radians(24) * a.amp
            for s, off in (("l", 0.0), ("r", np.pi)):
                pose[i0:i1, IDX[f"hip_flex_{s}"]] += env * amp * np.sin(ph + off)
                pose[i0:i1, IDX[f"knee_{s}"]] += env * amp * 1.3 * np.sin(ph + off + 0.5)
                pose[i0:i1, IDX[f"shoulder_flex_{s}"]] += env * amp * 0.3 * np.sin(0.5 * ph + off)
            apply(Effect(_mirror({"hip_flex": 70, "knee": 70}), {}), i0, i1, env, 0.6)
        elif a.kind == "stretch":
            i0, i1, tt = span(a)
            d = a.t1 - a.t0
            env = pulse_envelope(tt, 0.4 * d, 0.2 * d, 0.4 * d)
            eff = Effect(
                _mirror(
                    {
                        "shoulder_abd": 150,
                        "shoulder_flex": 20,
                        "shoulder_rot": 80,
                        "elbow": 20,
                        "hand_open": 0.9,
                    }
                )
                | _mirror({"hip_flex": 10, "knee": 10, "ankle": 40})
                | {"waist_flex": -10, "neck_flex": -12},
                {"mouth": 0.6, "eyes_open": -0.6, "grimace": 0.3},
            )
            apply(eff, i0, i1, env, a.amp)
        elif a.kind == "feeding":
            i0, i1, tt = span(a)
            d = a.t1 - a.t0
            env = pulse_envelope(tt, 1.2, d - 2.4, 1.2)
            # Sucking in bursts of 1-2 Hz, with pauses; the head moves a little with it.
            f = float(rng.uniform(1.1, 1.8))
            bursts = (np.sin(2 * np.pi * tt / float(rng.uniform(4, 7))) > -0.4).astype(float)
            bursts = gaussian_filter1d(bursts, 0.2 * fps)
            suck = np.sin(2 * np.pi * f * tt) * bursts
            pose[i0:i1, IDX["mouth"]] += env * (0.25 + 0.15 * suck)
            pose[i0:i1, IDX["neck_flex"]] += env * np.radians(1.5) * suck
            apply(
                Effect({"neck_turn": 0, "neck_flex": 4} | _mirror(ARM_POSTURES["mouth"]), {}),
                i0,
                i1,
                env,
                0.6,
            )
        elif a.kind == "picked_up":
            i0, i1, tt = span(a)
            d = a.t1 - a.t0
            env = pulse_envelope(tt - 1.1, 1.1, d - 4.4, 1.1)
            lift[i0:i1] = np.maximum(lift[i0:i1], env)
            sway = np.sin(2 * np.pi * 0.4 * tt)
            carry[i0:i1, 0] += env * (0.08 * sway + float(rng.uniform(-0.1, 0.1)))
            carry[i0:i1, 1] += env * float(rng.uniform(-0.12, 0.12))
            carry[i0:i1, 2] += env * (float(rng.uniform(-0.5, 0.5)) + 0.15 * sway)
            carry[i0:i1, 3] += env * float(rng.uniform(0.5, 0.9))
            hang = Effect(
                _mirror({"shoulder_abd": 35, "shoulder_flex": 10, "elbow": 35})
                | _mirror({"hip_flex": 35, "knee": 40}),
                {"eyes_open": 0.3},
            )
            apply(hang, i0, i1, env, 0.8)
        elif a.kind == "hand":
            i0, i1, tt = span(a)
            d = a.t1 - a.t0
            contact = pulse_envelope(tt - 0.9, 0.25, d - 2.2, 0.25)
            if a.style == "rock":
                roll[i0:i1] += contact * np.radians(8) * np.sin(2 * np.pi * 0.9 * tt)
            elif a.style == "pat":
                pat = np.maximum(0, np.sin(2 * np.pi * 2.2 * tt)) ** 2
                bounce[i0:i1] += contact * 0.006 * pat
        elif a.kind == "wake":
            i0, i1, tt = span(a, 0.3)
            env = pulse_envelope(tt, 0.3, 0.3, 0.6)
            apply(Effect({}, {"grimace": 0.3, "mouth": 0.2}), i0, i1, env, 1.0)
    pose = np.clip(pose, POSE_LO, POSE_HI)
    shake = _shake(spec, plan, t)
    gain, tint, lamp, noise = _light(spec, plan, t)
    return Tracks(pose, roll, bounce, lift, carry, shake, gain, tint, lamp, noise)


def _smooth_noise(rng: np.random.Generator, n: int, sigma: float, dims: int) -> np.ndarray:
    x = gaussian_filter1d(rng.normal(size=(n, dims)), sigma, axis=0, mode="wrap")
    return x / max(float(x.std()), 1e-12)


def _shake(spec: Scene3DSpec, plan: Plan, t: np.ndarray) -> np.ndarray:
    """Handheld camera motion: tremor, sway and drift plus jolts (camera axes)."""
    rng = np.random.default_rng([spec.seed, 303])
    n, fps = len(t), spec.fps
    k = spec.shake
    # Amplitudes per component: translation in metres, rotation in radians.
    out = np.zeros((n, 6))
    for sigma_s, trans, rot_deg in ((0.06, 0.0012, 0.1), (0.3, 0.004, 0.35), (3.0, 0.012, 1.0)):
        x = _smooth_noise(rng, n, sigma_s * fps, 6)
        out[:, :3] += k * trans * x[:, :3]
        out[:, 3:] += k * np.radians(rot_deg) * x[:, 3:]
    for a in plan.actions:
        if a.kind != "jolt":
            continue
        d = np.array(a.params["dir"])
        d /= np.linalg.norm(d)
        tt = t - a.t0
        on = tt >= 0
        w = 2 * np.pi * float(rng.uniform(1.6, 2.6))
        zeta = 0.4
        resp = np.where(on, np.exp(-zeta * w * tt) * np.sin(w * np.sqrt(1 - zeta**2) * tt), 0.0)
        settle = np.where(on, 1 - np.exp(-np.maximum(tt, 0) / 0.25), 0.0)
        size = a.amp * (0.6 + 0.6 * min(k, 2.0)) if k > 0 else a.amp * 0.5
        keep = float(rng.uniform(-0.35, 0.35))
        out[:, :3] += size * 0.02 * d[None, :3] * (resp + keep * settle)[:, None]
        out[:, 3:] += size * np.radians(4.0) * d[None, 3:] * (resp + keep * settle)[:, None]
    return out


def _light(
    spec: Scene3DSpec, plan: Plan, t: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Scene light, the camera's auto-exposure following it, tint, lamp pool and noise gain."""
    rng = np.random.default_rng([spec.seed, 404])
    n, fps = len(t), spec.fps
    light = np.ones(n) * float(rng.uniform(0.8, 1.05))
    tint = np.tile(
        np.array([1.0, 1.0, 1.0]) + rng.normal(0, 0.03, 3) * np.array([1, 0.3, 1]), (n, 1)
    )
    lamp = np.zeros(n)
    exposure_kick = np.ones(n)
    for a in plan.actions:
        if a.kind != "light":
            continue
        tt = t - a.t0
        if a.style == "dim":
            drop = 1 - a.amp * float(rng.uniform(0.35, 0.55))
            light *= 1 - (1 - drop) * smoothstep(tt / (a.t1 - a.t0))
        elif a.style == "lamp":
            on = (tt >= 0).astype(float)
            light *= 1 + a.amp * float(rng.uniform(0.25, 0.45)) * on
            lamp = np.maximum(lamp, on)
            tint *= 1 + on[:, None] * np.array([0.08, 0.0, -0.1])[None, :]
        else:  # an auto-exposure step: a jump that the camera then takes back
            step = float(rng.choice([-1, 1])) * a.amp * float(rng.uniform(0.12, 0.22))
            exposure_kick *= 1 + step * np.where(tt >= 0, np.exp(-np.maximum(tt, 0) / 0.35), 0)
    # Auto-exposure follows the light with a lag and compensates ~70 % of a change.
    target = light ** (-0.7)
    alpha = 1 - np.exp(-1 / (0.6 * fps))
    exposure = np.empty(n)
    acc = target[0]
    for i in range(n):
        acc += alpha * (target[i] - acc)
        exposure[i] = acc
    exposure *= exposure_kick
    gain = light * exposure
    noise = exposure**0.8
    return gain, tint, lamp, noise
