"""The caregiver for the 3-D scene generator (:mod:`.render3d`): an arm with a
hand reaching in from outside the picture, and a feeding bottle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spasmwatch.testing.video.render3d_body import CLOTH_COLOURS, SKIN_TONES
from spasmwatch.testing.video.render3d_geom import (
    X_AXIS,
    Y_AXIS,
    Z_AXIS,
    Mesh,
    Posed,
    capsule,
    cross,
    frame_from,
)


@dataclass(frozen=True)
class AdultLook:
    """The caregiver's skin and sleeve."""

    skin: tuple[int, int, int]
    sleeve: tuple[int, int, int] | None  # None: bare forearm (short sleeve)
    scale: float


def random_adult(rng: np.random.Generator) -> AdultLook:
    """Draw a caregiver's skin tone and sleeve."""
    skin = SKIN_TONES[int(rng.integers(len(SKIN_TONES)))]
    sleeve = CLOTH_COLOURS[int(rng.integers(len(CLOTH_COLOURS)))] if rng.random() < 0.6 else None
    return AdultLook(skin=skin, sleeve=sleeve, scale=float(rng.uniform(0.92, 1.08)))


class AdultArm:
    """The caregiver's arm: upper arm, forearm, palm, four fingers and a thumb.

    The hand is placed by the palm centre, the direction the palm faces and the direction
    the fingers point; the elbow follows by two-bone inverse kinematics.
    """

    def __init__(self, look: AdultLook) -> None:
        s = look.scale
        self.s = s
        self.upper = 0.28 * s
        self.fore = 0.25 * s
        ax = np.column_stack([X_AXIS, Y_AXIS, Z_AXIS])
        skin = np.array([look.skin], dtype=float)
        sleeve = np.array([look.sleeve if look.sleeve else look.skin], dtype=float)

        def mk(mesh: Mesh, palette: np.ndarray) -> Mesh:
            mesh.palette = palette
            return mesh

        self.upper_mesh = mk(
            capsule(
                ax,
                (self.upper / 2, 0, 0),
                self.upper / 2,
                0.045 * s,
                0.045 * s,
                0.042 * s,
                2,
                2,
                10,
            ),
            sleeve,
        )
        self.fore_mesh = mk(
            capsule(
                ax, (self.fore / 2, 0, 0), self.fore / 2, 0.035 * s, 0.036 * s, 0.031 * s, 2, 3, 10
            ),
            sleeve if look.sleeve else skin,
        )
        self.palm_mesh = mk(
            capsule(ax, (0, 0, 0), 0.0, 0.05 * s, 0.043 * s, 0.016 * s, 3, 0, 10), skin
        )
        self.finger_mesh = mk(
            capsule(ax, (0.034 * s, 0, 0), 0.028 * s, 0.0095 * s, 0.0095 * s, 0.0085 * s, 2, 2, 6),
            skin,
        )
        self.thumb_mesh = mk(
            capsule(ax, (0.026 * s, 0, 0), 0.02 * s, 0.011 * s, 0.011 * s, 0.01 * s, 2, 2, 6),
            skin,
        )

    def place(
        self,
        shoulder: np.ndarray,
        palm: np.ndarray,
        facing: np.ndarray,
        fingers: np.ndarray,
        curl: float = 0.2,
    ) -> list[Posed]:
        """The arm's pieces in the world.

        Parameters
        ----------
        shoulder : world position of the shoulder (usually outside the picture).
        palm : world position of the palm centre.
        facing : direction the palm faces (towards what it touches).
        fingers : direction the fingers point.
        curl : 0 straight fingers, 1 fingers bent round (a grip).
        """
        s = self.s
        f = fingers - facing * float(np.dot(fingers, facing))
        f /= np.linalg.norm(f)
        n = facing / np.linalg.norm(facing)
        side = cross(n, f)
        palm_c = palm - n * 0.016 * s  # the palm's surface touches, its centre is above
        wrist = palm_c - f * 0.05 * s
        # Two-bone IK: keep the shoulder within reach, elbow bent up and outwards.
        d_vec = wrist - shoulder
        d = float(np.linalg.norm(d_vec))
        reach = self.upper + self.fore - 0.005
        if d > reach:
            shoulder = wrist - d_vec / d * reach
            d = reach
        w = d_vec / max(np.linalg.norm(d_vec), 1e-9)
        cos_a = (self.upper**2 + d**2 - self.fore**2) / (2 * self.upper * d)
        sin_a = np.sqrt(max(0.0, 1.0 - min(1.0, cos_a) ** 2))
        pole = np.array([0.0, 0.0, 1.0]) - n * 0.3
        pole = pole - w * float(np.dot(pole, w))
        if np.linalg.norm(pole) < 1e-6:
            pole = cross(w, X_AXIS)
        pole /= np.linalg.norm(pole)
        elbow = shoulder + self.upper * (min(1.0, cos_a) * w + sin_a * pole)
        out = [
            Posed("adult_upper", self.upper_mesh, frame_from(elbow - shoulder, n), shoulder),
            Posed("adult_fore", self.fore_mesh, frame_from(wrist - elbow, side), elbow),
            Posed("adult_palm", self.palm_mesh, np.column_stack([f, side, cross(f, side)]), palm_c),
        ]
        for k, off in enumerate((-0.029, -0.01, 0.01, 0.028)):
            base = palm_c + f * 0.045 * s + side * off * s
            fdir = f * (1.0 - 0.5 * curl) + n * (0.9 * curl) + side * off * 0.8
            out.append(Posed(f"adult_finger{k}", self.finger_mesh, frame_from(fdir, side), base))
        tdir = f * 0.5 - side * 0.9 + n * 0.3 * curl
        out.append(
            Posed("adult_thumb", self.thumb_mesh, frame_from(tdir, n), palm_c - side * 0.035 * s)
        )
        return out


class Bottle:
    """A feeding bottle: teat, collar and body, built once."""

    def __init__(self, colour: tuple[int, int, int]) -> None:
        ax = np.column_stack([X_AXIS, Y_AXIS, Z_AXIS])
        self.teat = capsule(ax, (0.018, 0, 0), 0.006, 0.012, 0.011, 0.011, 2, 1, 8)
        self.teat.palette = np.array([[226.0, 196.0, 150.0]])
        self.collar = capsule(ax, (0.042, 0, 0), 0.008, 0.01, 0.03, 0.03, 2, 1, 10)
        self.collar.palette = np.array([colour], dtype=float)
        self.body = capsule(ax, (0.115, 0, 0), 0.05, 0.02, 0.029, 0.029, 2, 3, 10)
        self.body.palette = np.array([[236.0, 236.0, 226.0], [250.0, 250.0, 244.0]])
        self.body.colour_id = (self.body.params[:, 0] < 0.1).astype(int)  # milk at the teat

    def place(self, mouth: np.ndarray, axis: np.ndarray) -> list[Posed]:
        """The bottle with its teat tip at ``mouth`` and its body along ``axis``."""
        a = axis / np.linalg.norm(axis)
        R = frame_from(a, Z_AXIS if abs(a[2]) < 0.9 else X_AXIS)
        return [
            Posed("bottle_teat", self.teat, R, mouth),
            Posed("bottle_collar", self.collar, R, mouth),
            Posed("bottle_body", self.body, R, mouth),
        ]
