"""The infant and the caregiver's arm for the 3-D scene generator (:mod:`.render3d`).

The infant is an articulated skeleton: pelvis, chest (bending at the waist), neck, head,
upper and lower arms, hands, thighs, shins and feet. Each segment is a capsule or an
ellipsoid with its own radii, tessellated into quads once; joint angles place the segments
by forward kinematics, and :mod:`.render3d_draw` projects and shades the quads.

Frames
------
Body frame: ``x`` towards the head (cranial), ``y`` towards the infant's own **right**, ``z``
out of the belly (anterior); right-handed. Lying on its back, body ``z`` is world up.
``side`` names ("left", "right") are always the infant's own sides.

Joint angles (radians) are positive for flexion (head and trunk forward, arm raised forward,
thigh towards the belly, elbow and knee bent), abduction (limb away from the midline),
external rotation, a head turn towards the infant's right and a side bend to the right.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spasmwatch.testing.video.render3d_geom import X_AXIS, Y_AXIS, Z_AXIS, Mesh, Posed, capsule, rot

#: Sides in the order the per-side angles are stored, and the body-frame ``y`` sign of each.
SIDES = ("l", "r")


SIGN = {"l": -1.0, "r": 1.0}


_AXIAL = (
    "waist_flex",
    "waist_side",
    "waist_twist",
    "neck_flex",
    "neck_side",
    "neck_turn",
    "head_flex",
    "shrug",
    "breath",
)


_LIMB = (
    "shoulder_flex",
    "shoulder_abd",
    "shoulder_rot",
    "elbow",
    "wrist",
    "hand_open",
    "hip_flex",
    "hip_abd",
    "hip_rot",
    "knee",
    "ankle",
)


_FACE = ("eyes_open", "eye_roll", "mouth", "grimace")


#: Names of the pose vector's entries (angles in radians; shrug, breath and face in 0..1).
DOFS: tuple[str, ...] = _AXIAL + tuple(f"{n}_{s}" for s in SIDES for n in _LIMB) + _FACE


IDX = {name: i for i, name in enumerate(DOFS)}


#: Entries that are not angles (no degree conversion).
UNITLESS = {"shrug", "breath", "hand_open_l", "hand_open_r", *_FACE}


def _limits() -> tuple[np.ndarray, np.ndarray]:
    # Degrees for angles: anatomical ranges narrowed so a supine infant never bends through
    # the mattress (no hip or neck hyperextension beyond what an arch shows).
    lim_deg = {
        "waist_flex": (-25, 45),
        "waist_side": (-25, 25),
        "waist_twist": (-25, 25),
        "neck_flex": (-40, 55),
        "neck_side": (-30, 30),
        "neck_turn": (-80, 80),
        "head_flex": (-25, 35),
        "shoulder_flex": (-15, 175),
        "shoulder_abd": (-45, 175),
        "shoulder_rot": (-80, 100),
        "elbow": (0, 150),
        "wrist": (-60, 70),
        "hip_flex": (0, 135),
        "hip_abd": (-10, 75),
        "hip_rot": (-30, 70),
        "knee": (0, 150),
        "ankle": (-30, 60),
    }
    lo = np.zeros(len(DOFS))
    hi = np.ones(len(DOFS))
    for name, i in IDX.items():
        base = name[:-2] if name[-2:] in ("_l", "_r") else name
        if base in lim_deg:
            lo[i], hi[i] = np.radians(lim_deg[base])
        elif name == "breath":
            lo[i], hi[i] = -1.0, 1.0
    return lo, hi


POSE_LO, POSE_HI = _limits()


def pose_from_degrees(values: dict[str, float]) -> np.ndarray:
    """A sparse pose dictionary (degrees for angles) as a full pose vector (others zero)."""
    vec = np.zeros(len(DOFS))
    for name, v in values.items():
        vec[IDX[name]] = v if name in UNITLESS else np.radians(v)
    return vec


# --------------------------------------------------------------------------------------------
# Appearance

#: Skin tones (RGB) from very light to very dark.
SKIN_TONES = (
    (244, 214, 194),
    (234, 192, 162),
    (222, 174, 140),
    (200, 146, 108),
    (172, 118, 82),
    (142, 94, 62),
    (112, 72, 48),
    (84, 56, 40),
)


HAIR_COLOURS = ((214, 184, 120), (150, 105, 62), (86, 60, 40), (36, 30, 26), (160, 84, 44))


CLOTH_COLOURS = (
    (236, 236, 230),
    (246, 236, 214),
    (170, 200, 232),
    (44, 58, 104),
    (240, 182, 202),
    (246, 226, 140),
    (170, 222, 192),
    (172, 172, 178),
    (196, 62, 62),
    (92, 142, 96),
    (192, 172, 222),
    (236, 150, 90),
)


EYE_COLOURS = ((70, 46, 30), (40, 30, 24), (80, 100, 120), (92, 80, 50))


@dataclass(frozen=True)
class Look:
    """How one infant looks: skin, hair, clothes, socks, eye colour and body size."""

    skin: tuple[int, int, int]
    hair: str  # "none" | "sparse" | "full"
    hair_colour: tuple[int, int, int]
    garment: str  # "sleepsuit" (long sleeves and legs) | "bodysuit" (short, bare legs)
    cloth: tuple[int, int, int]
    cloth2: tuple[int, int, int]
    pattern: str  # "plain" | "stripes" | "dots"
    stripe_m: float
    feet: str  # "bare" | "socks" | "footed"
    sock: tuple[int, int, int]
    eye: tuple[int, int, int]
    scale: float  # overall body size (1.0: about 65 cm, a 4-6 month infant)


def random_look(rng: np.random.Generator) -> Look:
    """Draw an infant's look: skin tone, hair, onesie colour and print, feet."""

    def pick(seq):  # type: ignore[no-untyped-def]
        return seq[int(rng.integers(len(seq)))]

    tone = int(rng.integers(len(SKIN_TONES)))
    skin = tuple(int(np.clip(c + rng.normal(0, 5), 0, 255)) for c in SKIN_TONES[tone])
    # Darker skin mostly goes with dark hair.
    hair_colour = pick(HAIR_COLOURS) if tone < 4 or rng.random() < 0.15 else pick(HAIR_COLOURS[2:4])
    cloth = pick(CLOTH_COLOURS)
    cloth2 = pick(CLOTH_COLOURS)
    while cloth2 == cloth:
        cloth2 = pick(CLOTH_COLOURS)
    garment = "sleepsuit" if rng.random() < 0.65 else "bodysuit"
    feet = pick(("footed", "bare", "socks")) if garment == "sleepsuit" else pick(("bare", "socks"))
    return Look(
        skin=skin,  # type: ignore[arg-type]
        hair=pick(("none", "sparse", "sparse", "full")),
        hair_colour=hair_colour,
        garment=garment,
        cloth=cloth,
        cloth2=cloth2,
        pattern=pick(("plain", "stripes", "dots")),
        stripe_m=float(rng.uniform(0.018, 0.035)),
        feet=feet,
        sock=pick(CLOTH_COLOURS),
        eye=pick(EYE_COLOURS),
        scale=float(rng.uniform(0.9, 1.08)),
    )


def _dress(mesh: Mesh, role: str, look: Look) -> Mesh:
    """Colour a mesh's facets for its role (skin, cloth with a print, sock, hair on a head)."""
    skin = np.array(look.skin, dtype=float)
    if role == "skin":
        mesh.palette = skin[None, :]
        return mesh
    if role == "sock":
        mesh.palette = np.array([look.sock], dtype=float)
        return mesh
    if role == "head":
        hair = np.array(look.hair_colour, dtype=float)
        if look.hair == "sparse":
            hair = 0.55 * skin + 0.45 * hair
        mesh.palette = np.array([skin, hair])
        if look.hair != "none":
            # Normalised position on the ellipsoid: the hairline runs from high on the
            # forehead to low on the back of the head, above the ears.
            p = mesh.params[:, :3] - mesh.verts.mean(axis=0)
            ext = np.abs(mesh.verts - mesh.verts.mean(axis=0)).max(axis=0)
            xn, zn = p[:, 0] / ext[0], p[:, 2] / ext[2]
            mesh.colour_id = (xn > 0.08 + 0.5 * zn).astype(int)
        return mesh
    # Cloth: a print along the body's long axis (stripes) or a lattice of dots.
    mesh.palette = np.array([look.cloth, look.cloth2], dtype=float)
    if look.pattern == "stripes":
        coord = mesh.params[:, 0] if role == "cloth" else mesh.params[:, 2]
        mesh.colour_id = (np.floor(coord / look.stripe_m) % 2).astype(int)
    elif look.pattern == "dots":
        ring = mesh.params[:, 3].astype(int)
        lon = mesh.lon_index
        mesh.colour_id = ((ring % 3 == 1) & ((lon + 2 * (ring // 3)) % 4 == 1)).astype(int)
    return mesh


# --------------------------------------------------------------------------------------------
# The infant


@dataclass
class Segment:
    """One rigid piece: its mesh at rest, relative to its joint, in the body frame."""

    name: str
    mesh: Mesh
    under_blanket: bool = False


#: Face features in the head frame, relative to the head centre (metres): eyes, mouth, nose.
EYE_X, EYE_Y = -0.008, 0.023


MOUTH_X = -0.043


HEAD_CENTRE = np.array([0.05, 0.0, 0.012])


HEAD_RADII = np.array([0.068, 0.058, 0.068])  # crown-chin, ear-ear, back-face half axes


class Infant:
    """An infant's skeleton, its meshes and forward kinematics.

    Parameters
    ----------
    look : the infant's appearance (also sets the body size).
    """

    def __init__(self, look: Look) -> None:
        self.look = look
        s = look.scale
        self.s = s
        self.pelvis_len = 0.10 * s
        self.chest_len = 0.15 * s
        self.neck_len = 0.03 * s
        self.shoulder_half = 0.066 * s
        self.hip_half = 0.042 * s
        self.upper_arm = 0.085 * s
        self.forearm = 0.075 * s
        self.thigh = 0.11 * s
        self.shin = 0.10 * s
        self.head_radii = HEAD_RADII * s
        self.head_centre = HEAD_CENTRE * s
        self.segments = self._build()
        self.by_name = {seg.name: seg for seg in self.segments}

    def _build(self) -> list[Segment]:
        s, look = self.s, self.look
        trunk = np.column_stack([X_AXIS, Y_AXIS, Z_AXIS])
        limb = np.column_stack([-X_AXIS, Y_AXIS, Z_AXIS])
        foot = np.column_stack([Z_AXIS, Y_AXIS, X_AXIS])
        sleeve = 0.004 * s if look.garment == "sleepsuit" else 0.0
        arm_cloth = "cloth"
        fore_role = "cloth" if look.garment == "sleepsuit" else "skin"
        leg_role = "cloth" if look.garment == "sleepsuit" else "skin"
        foot_role = {"bare": "skin", "socks": "sock", "footed": "cloth2"}[look.feet]
        if look.garment == "bodysuit":
            foot_role = "skin" if look.feet == "bare" else "sock"
        segs: list[Segment] = []

        def add(name: str, mesh: Mesh, role: str, under: bool = False) -> None:
            segs.append(Segment(name, _dress(mesh, role, look), under))

        add(
            "pelvis",
            capsule(trunk, (0.04 * s, 0, 0), 0.02 * s, 0.06 * s, 0.072 * s, 0.052 * s, 4, 4, 14),
            "cloth",
            under=True,
        )
        add(
            "chest",
            capsule(trunk, (0.075 * s, 0, 0), 0.04 * s, 0.055 * s, 0.075 * s, 0.055 * s, 5, 8, 16),
            "cloth",
        )
        add("neck", capsule(trunk, (0.015 * s, 0, 0), 0.0, 0.03 * s, 0.036 * s, 0.032 * s), "skin")
        rx, ry, rz = self.head_radii
        add("head", capsule(trunk, self.head_centre, 0.0, rx, ry, rz, 7, 0, 18), "head")
        hc = self.head_centre
        for side in SIDES:
            sg = SIGN[side]
            ear = capsule(
                trunk,
                hc + np.array([-0.006, sg * 0.056, -0.008]) * s,
                0.0,
                0.02 * s,
                0.008 * s,
                0.013 * s,
                3,
                0,
                8,
            )
            add(f"ear_{side}", ear, "skin")
        add(
            "nose",
            capsule(
                trunk,
                hc + np.array([-0.024, 0.0, 0.061]) * s,
                0.0,
                0.01 * s,
                0.009 * s,
                0.008 * s,
                3,
                0,
                8,
            ),
            "skin",
        )
        for side in SIDES:
            ua = self.upper_arm
            r = 0.024 * s + sleeve
            add(
                f"upper_arm_{side}",
                capsule(limb, (-ua / 2, 0, 0), ua / 2, r, r, r, 3, 3, 10),
                arm_cloth,
            )
            fa = self.forearm
            r = 0.02 * s + (sleeve if fore_role == "cloth" else 0.0)
            add(
                f"forearm_{side}",
                capsule(limb, (-fa / 2, 0, 0), fa / 2, r, r, r, 3, 3, 10),
                fore_role,
            )
            add(
                f"hand_{side}",
                capsule(limb, (-0.026 * s, 0, 0), 0.0, 0.028 * s, 0.021 * s, 0.014 * s, 3, 0, 10),
                "skin",
            )
            th = self.thigh
            r = 0.034 * s + (0.004 * s if leg_role == "cloth" else 0.0)
            add(
                f"thigh_{side}",
                capsule(limb, (-th / 2, 0, 0), th / 2, r, r, r, 3, 3, 12),
                leg_role,
                under=True,
            )
            sh = self.shin
            r = 0.026 * s + (0.003 * s if leg_role == "cloth" else 0.0)
            add(
                f"shin_{side}",
                capsule(limb, (-sh / 2, 0, 0), sh / 2, r, r, r, 3, 3, 10),
                leg_role,
                under=True,
            )
            ft = capsule(
                foot, (0.004 * s, 0, 0.03 * s), 0.0, 0.038 * s, 0.022 * s, 0.017 * s, 3, 0, 10
            )
            if foot_role == "cloth2":
                segs.append(Segment(f"foot_{side}", _dress(ft, "cloth", look), True))
                segs[-1].mesh.colour_id[:] = 0
            else:
                add(f"foot_{side}", ft, foot_role, under=True)
        return segs

    # ----------------------------------------------------------------------------------------
    def joints(self, pose: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Forward kinematics: each segment's joint position and rotation (body frame).

        Parameters
        ----------
        pose : a pose vector over :data:`DOFS`.
        """
        g = pose
        s = self.s
        ident = np.eye(3)
        out: dict[str, tuple[np.ndarray, np.ndarray]] = {"pelvis": (np.zeros(3), ident)}
        waist = np.array([self.pelvis_len, 0.0, 0.0])
        # Flexion bends the chest towards the belly: a rotation about -y.
        r_chest = (
            rot(-Y_AXIS, g[IDX["waist_flex"]])
            @ rot(Z_AXIS, g[IDX["waist_side"]])
            @ rot(X_AXIS, g[IDX["waist_twist"]])
        )
        out["chest"] = (waist, r_chest)
        neck = waist + r_chest @ np.array([self.chest_len, 0.0, 0.0])
        r_neck = (
            r_chest
            @ rot(-Y_AXIS, g[IDX["neck_flex"]])
            @ rot(Z_AXIS, g[IDX["neck_side"]])
            @ rot(-X_AXIS, g[IDX["neck_turn"]])
        )
        out["neck"] = (neck, r_neck)
        head = neck + r_neck @ np.array([self.neck_len, 0.0, 0.0])
        r_head = r_neck @ rot(-Y_AXIS, g[IDX["head_flex"]])
        for name in ("head", "ear_l", "ear_r", "nose"):
            out[name] = (head, r_head)
        shrug = g[IDX["shrug"]]
        for side in SIDES:
            sg = SIGN[side]

            def a(name: str, side: str = side) -> float:
                return float(g[IDX[f"{name}_{side}"]])

            # Abduction swings the limb in the coronal plane about z, flexion lifts it
            # towards the belly side about y, rotation twists it about its own axis.
            shoulder = waist + r_chest @ np.array(
                [
                    self.chest_len - 0.024 * s + 0.003 * s * shrug,
                    sg * self.shoulder_half,
                    -0.022 * s,
                ]
            )
            r_ua = (
                r_chest
                @ rot(-sg * Z_AXIS, a("shoulder_abd"))
                @ rot(Y_AXIS, a("shoulder_flex"))
                @ rot(-X_AXIS, sg * a("shoulder_rot"))
            )
            out[f"upper_arm_{side}"] = (shoulder, r_ua)
            elbow = shoulder + r_ua @ np.array([-self.upper_arm, 0.0, 0.0])
            r_fa = r_ua @ rot(Y_AXIS, a("elbow"))
            out[f"forearm_{side}"] = (elbow, r_fa)
            wrist = elbow + r_fa @ np.array([-self.forearm, 0.0, 0.0])
            out[f"hand_{side}"] = (wrist, r_fa @ rot(Y_AXIS, a("wrist")))
            hip = np.array([0.0, sg * self.hip_half, -0.016 * s])
            r_th = (
                rot(-sg * Z_AXIS, a("hip_abd"))
                @ rot(Y_AXIS, a("hip_flex"))
                @ rot(-X_AXIS, sg * a("hip_rot"))
            )
            out[f"thigh_{side}"] = (hip, r_th)
            knee = hip + r_th @ np.array([-self.thigh, 0.0, 0.0])
            r_sh = r_th @ rot(-Y_AXIS, a("knee"))
            out[f"shin_{side}"] = (knee, r_sh)
            ankle = knee + r_sh @ np.array([-self.shin, 0.0, 0.0])
            out[f"foot_{side}"] = (ankle, r_sh @ rot(-Y_AXIS, a("ankle")))
        return out

    def hand_scale(self, openness: float) -> np.ndarray:
        """Axis scale of a hand: a flat open hand or a rounder fist."""
        o = float(np.clip(openness, 0.0, 1.0))
        return np.array([0.78 + 0.3 * o, 1.0, 1.25 - 0.3 * o])

    def place(
        self, pose: np.ndarray, root_R: np.ndarray, root_p: np.ndarray
    ) -> tuple[list[Posed], dict[str, tuple[np.ndarray, np.ndarray]]]:
        """Every segment in the world for one frame.

        Parameters
        ----------
        pose : pose vector.
        root_R, root_p : body -> world rotation and the world position of the body origin
            (the middle of the hip joints).

        Returns
        -------
        The posed segments and the world (position, rotation) of every joint.
        """
        joints = self.joints(pose)
        world = {k: (root_p + root_R @ p, root_R @ R) for k, (p, R) in joints.items()}
        posed = []
        breath = float(pose[IDX["breath"]])
        for seg in self.segments:
            p, R = world[seg.name]
            scale = None
            # Hands open flat or close into a fist; the chest rises and falls (about the
            # wrist and the waist, the segments' joints).
            if seg.name.startswith("hand_"):
                scale = self.hand_scale(pose[IDX["hand_open_" + seg.name[-1]]])
            elif seg.name == "chest" and breath != 0.0:
                scale = np.array([1.0, 1.0, 1.0 + 0.035 * breath])
            posed.append(Posed(seg.name, seg.mesh, R, p, seg.under_blanket, scale))
        return posed, world


# --------------------------------------------------------------------------------------------
# Resting postures (degrees); render3d_motion blends towards them

#: Resting arm postures of a supine infant, per side.
ARM_POSTURES = {
    # Upper arms out to the side, forearms up beside the head ("W" or "hands up").
    "w": {
        "shoulder_flex": 8,
        "shoulder_abd": 78,
        "shoulder_rot": 80,
        "elbow": 100,
        "wrist": 15,
        "hand_open": 0.4,
    },
    # Arms by the sides, hands resting on the belly.
    "side": {
        "shoulder_flex": 12,
        "shoulder_abd": 22,
        "shoulder_rot": -45,
        "elbow": 85,
        "wrist": 10,
        "hand_open": 0.3,
    },
    # Arms loosely out, forearms on the mattress.
    "out": {
        "shoulder_flex": 5,
        "shoulder_abd": 55,
        "shoulder_rot": 30,
        "elbow": 45,
        "wrist": 5,
        "hand_open": 0.6,
    },
    # A hand near the mouth.
    "mouth": {
        "shoulder_flex": 35,
        "shoulder_abd": 20,
        "shoulder_rot": -20,
        "elbow": 125,
        "wrist": 20,
        "hand_open": 0.2,
    },
}


#: Resting leg postures, per side.
LEG_POSTURES = {
    "frog": {"hip_flex": 45, "hip_abd": 42, "hip_rot": 38, "knee": 80, "ankle": 15},
    "up": {"hip_flex": 80, "hip_abd": 22, "hip_rot": 15, "knee": 75, "ankle": 10},
    "long": {"hip_flex": 14, "hip_abd": 18, "hip_rot": 25, "knee": 22, "ankle": 20},
}


def side_pose(values: dict[str, float], side: str) -> dict[str, float]:
    """Per-limb names (``shoulder_abd``) turned into one side's pose names."""
    return {f"{k}_{side}": v for k, v in values.items()}
