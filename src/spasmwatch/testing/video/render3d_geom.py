"""Geometry for the 3-D scene generator (:mod:`.render3d`): rotations, and the
meshes every solid piece is made of (capsules and ellipsoids tessellated into quads).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

X_AXIS = np.array([1.0, 0.0, 0.0])


Y_AXIS = np.array([0.0, 1.0, 0.0])


Z_AXIS = np.array([0.0, 0.0, 1.0])


def rot(axis: np.ndarray | tuple[float, float, float], angle: float) -> np.ndarray:
    """Rotation matrix of ``angle`` radians about ``axis`` (right-hand rule)."""
    x, y, z = (float(v) for v in axis)
    norm = math.sqrt(x * x + y * y + z * z)
    x, y, z = x / norm, y / norm, z / norm
    c, s = math.cos(angle), math.sin(angle)
    t = 1.0 - c
    return np.array(
        [
            [t * x * x + c, t * x * y - s * z, t * x * z + s * y],
            [t * x * y + s * z, t * y * y + c, t * y * z - s * x],
            [t * x * z - s * y, t * y * z + s * x, t * z * z + c],
        ]
    )


def cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cross product of two 3-vectors (faster than ``np.cross`` for single vectors)."""
    a0, a1, a2 = float(a[0]), float(a[1]), float(a[2])
    b0, b1, b2 = float(b[0]), float(b[1]), float(b[2])
    return np.array([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0])


def frame_from(axial: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Rotation whose columns are ``axial`` and two unit vectors orthogonal to it.

    The second column is the part of ``ref`` orthogonal to ``axial`` (any orthogonal
    vector when they are parallel), so a mesh built along ``x`` points along ``axial``.
    """
    a = axial / np.linalg.norm(axial)
    r = ref - a * float(np.dot(ref, a))
    if np.linalg.norm(r) < 1e-6:
        r = cross(a, Z_AXIS) if abs(a[2]) < 0.9 else cross(a, X_AXIS)
    r = r / np.linalg.norm(r)
    return np.column_stack([a, r, cross(a, r)])


@dataclass
class Mesh:
    """Quads on a closed convex surface, at rest, relative to the segment's joint.

    Attributes
    ----------
    verts : (n, 3) vertex positions.
    quads : (m, 4) vertex indices of each facet (pole facets repeat a vertex).
    normals : (m, 3) unit facet normals.
    colour_id : (m,) index of each facet's colour in ``palette``.
    palette : (k, 3) RGB colours (0..255).
    params : (m, 4) facet parameters for patterns: rest centre x, y, z and ring index.
    """

    verts: np.ndarray
    quads: np.ndarray
    normals: np.ndarray
    colour_id: np.ndarray
    palette: np.ndarray
    params: np.ndarray
    lon_index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    axis: np.ndarray = field(default_factory=lambda: np.array([1.0, 0.0, 0.0]))
    centre: np.ndarray = field(default_factory=lambda: np.zeros(3))
    half: float = 0.0  # half-length along the axis (cap included)
    radius: float = 0.0  # largest cross radius


def capsule(
    basis: np.ndarray,
    centre: tuple[float, float, float] | np.ndarray,
    h: float,
    rc: float,
    r1: float,
    r2: float,
    n_cap: int = 4,
    n_cyl: int = 2,
    n_lon: int = 10,
) -> Mesh:
    """A capsule with ellipsoidal caps (an ellipsoid when ``h`` is 0).

    Parameters
    ----------
    basis : (3, 3) columns: the axis, then the two cross directions (for ``r1``, ``r2``).
    centre : the middle of the axis, relative to the segment's joint.
    h : half-length of the cylindrical part along the axis.
    rc, r1, r2 : cap radius along the axis and the two cross radii.
    n_cap, n_cyl, n_lon : rings per cap, ring steps along the cylinder, facets around.
    """
    rings: list[tuple[float, float, float]] = []  # (axial position, sin phi, cos phi)
    for j in range(n_cap + 1):
        phi = -np.pi / 2 + np.pi / 2 * j / n_cap
        rings.append((-h + rc * np.sin(phi), np.sin(phi), np.cos(phi)))
    if h > 0:
        for j in range(1, n_cyl + 1):
            rings.append((-h + 2 * h * j / n_cyl, 0.0, 1.0))
    for j in range(1, n_cap + 1):
        phi = np.pi / 2 * j / n_cap
        rings.append((h + rc * np.sin(phi), np.sin(phi), np.cos(phi)))
    theta = 2 * np.pi * np.arange(n_lon) / n_lon
    ax, c1, c2 = basis[:, 0], basis[:, 1], basis[:, 2]
    cen = np.asarray(centre, dtype=float)
    verts = []
    vnorm = []
    for a, sp, cp in rings:
        for th in theta:
            u, v = cp * np.cos(th), cp * np.sin(th)
            verts.append(cen + ax * a + c1 * (r1 * u) + c2 * (r2 * v))
            n = ax * (sp / rc) + c1 * (u / r1) + c2 * (v / r2)
            vnorm.append(n / max(np.linalg.norm(n), 1e-9))
    verts_a = np.array(verts)
    vnorm_a = np.array(vnorm)
    quads = []
    ring_idx = []
    lon_idx = []
    for j in range(len(rings) - 1):
        for k in range(n_lon):
            k2 = (k + 1) % n_lon
            quads.append([j * n_lon + k, j * n_lon + k2, (j + 1) * n_lon + k2, (j + 1) * n_lon + k])
            ring_idx.append(j)
            lon_idx.append(k)
    quads_a = np.array(quads)
    normals = vnorm_a[quads_a].mean(axis=1)
    normals /= np.linalg.norm(normals, axis=1, keepdims=True)
    centres = verts_a[quads_a].mean(axis=1)
    params = np.column_stack([centres, np.array(ring_idx, dtype=float)])
    return Mesh(
        verts=verts_a,
        quads=quads_a,
        normals=normals,
        colour_id=np.zeros(len(quads_a), dtype=int),
        palette=np.array([[200.0, 200.0, 200.0]]),
        params=params,
        lon_index=np.array(lon_idx),
        axis=ax.copy(),
        centre=cen.copy(),
        half=float(h + rc),
        radius=float(max(r1, r2)),
    )


def merge(meshes: list[Mesh], offsets: list[np.ndarray]) -> Mesh:
    """Several meshes (moved by ``offsets``) as one, for pieces drawn together (cot bars)."""
    verts, quads, normals, cids, params = [], [], [], [], []
    base = 0
    for m, off in zip(meshes, offsets, strict=True):
        verts.append(m.verts + off)
        quads.append(m.quads + base)
        normals.append(m.normals)
        cids.append(m.colour_id)
        params.append(m.params)
        base += len(m.verts)
    first = meshes[0]
    return Mesh(
        verts=np.vstack(verts),
        quads=np.vstack(quads),
        normals=np.vstack(normals),
        colour_id=np.concatenate(cids),
        palette=first.palette,
        params=np.vstack(params),
        axis=first.axis,
        centre=np.vstack(verts).mean(axis=0),
        half=first.half,
        radius=first.radius,
    )


@dataclass
class Posed:
    """A segment placed in the world for one frame."""

    name: str
    mesh: Mesh
    R: np.ndarray  # rest -> world rotation
    p: np.ndarray  # world position of the joint
    under_blanket: bool = False
    scale: np.ndarray | None = None  # stretch of the rest mesh along the body axes
    verts: np.ndarray | None = None  # world vertices, filled in by ``world_verts``

    def rest_verts(self) -> np.ndarray:
        return self.mesh.verts if self.scale is None else self.mesh.verts * self.scale

    def rest_normals(self) -> np.ndarray:
        if self.scale is None:
            return self.mesh.normals
        n = self.mesh.normals / self.scale
        return n / np.linalg.norm(n, axis=1, keepdims=True)

    def world_verts(self) -> np.ndarray:
        if self.verts is None:
            self.verts = self.p + self.rest_verts() @ self.R.T
        return self.verts
