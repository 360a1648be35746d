"""Movement events and spasm clusters: what the video detectors report.

References
----------
Epileptic spasm: sudden flexion, extension or mixed flexion-extension of neck, trunk and
proximal limbs lasting about 1-2 s (0.3-3 s here); a myoclonic jerk lasts < 0.1 s
(< 0.3 s here, allowing for frame rates); spasms come in clusters, one every 3-30 s.
ILAE, epilepsydiagnosis.org "Epileptic spasms" (2022); see docs/clinical-reference.md.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from spasmwatch.i18n import N_

__all__ = [
    "CLUSTER_MAX_GAP_S",
    "CLUSTER_MIN_COUNT",
    "EVENT_KINDS",
    "EVENT_KIND_WORDS",
    "SET_ASIDE_WORDS",
    "SPASM_MAX_S",
    "SPASM_MIN_S",
    "MovementEvent",
    "SpasmCluster",
    "find_clusters",
    "shown_score",
]

EVENT_KINDS = ("spasm_like", "jerk", "rhythmic", "other")
#: Each kind of movement in words, as people read it (the web page says it in its
#: language, the CLI, the report and the analysis's pictures in English); the JSON and
#: CSV keep the codes of :data:`EVENT_KINDS`.
EVENT_KIND_WORDS = {
    "spasm_like": N_("spasm-like"),
    "jerk": N_("brief jerk"),
    "rhythmic": N_("rhythmic"),
    "other": N_("other movement"),
}
#: Spasm-like durations (s): ILAE describes 1-2 s; 0.3-3 s allows for subtle and long ones.
SPASM_MIN_S, SPASM_MAX_S = 0.3, 3.0
#: A cluster: at least 3 spasm-like events, each at most 60 s after the previous one.
CLUSTER_MIN_COUNT, CLUSTER_MAX_GAP_S = 3, 60.0
#: What a movement's ``set_aside`` says to the reader (a message of the catalogs: the
#: web app says it in the page's language, the CLI and the report in English).
SET_ASIDE_WORDS = {
    "phone": N_("spasm-like, but moved with the phone"),
    "outside": N_("spasm-like, but the picture around the baby moved too"),
}


def shown_score(score: float) -> str:
    """A movement's score as the reader sees it: two decimals, rounded down, so that a
    score under a sensitivity's threshold (a value with two decimals) never reads as
    reaching it (0.499 shows as 0.49, not 0.50)."""
    return f"{math.floor(score * 100 + 1e-6) / 100:.2f}"


@dataclass(frozen=True)
class MovementEvent:
    """One movement burst. Times in seconds from the start of the file.

    ``side`` is ``both``, ``left`` or ``right``: the side of the picture (as displayed)
    on which the movement was, split along the infant's long axis (for an infant lying
    across the picture, ``right`` is the upper half).
    """

    start_s: float
    end_s: float
    kind: str
    score: float
    side: str
    peak_extent: float
    spread: float
    sharpness: float
    symmetry: float
    rhythm_hz: float | None
    outside_share: float
    hold_s: float = 0.0
    rigidity: float = 0.0
    #: ``body`` for a movement spread along the infant, ``end`` for one confined to one
    #: end of it (a head nod, see :mod:`~spasmwatch.video.parts`).
    part: str = "body"
    #: Share (0-1) of the movement's flow that the phone's own motion accounts for
    #: (:class:`~spasmwatch.video.features.CameraParallax`); a large share is the camera's.
    camera_share: float = 0.0
    #: In results made before 2026-12-06, when the model weighed movements behind vetoes:
    #: ``phone`` when it found the movement spasm-like but the phone's own motion explained
    #: it, ``outside`` when the picture around the infant moved at the same time (a hand,
    #: an object). The detector now weighs both as measures
    #: (:func:`~spasmwatch.video.classify.explanation`) and sets nothing aside; empty.
    #: :data:`SET_ASIDE_WORDS` says it.
    set_aside: str = ""

    def to_dict(self) -> dict:
        """The event as in the JSON contract (plus extra measured fields)."""
        d = asdict(self)
        for key in ("start_s", "end_s"):
            d[key] = round(d[key], 2)
        for key in (
            "score",
            "peak_extent",
            "spread",
            "sharpness",
            "symmetry",
            "outside_share",
            "hold_s",
            "rigidity",
            "camera_share",
        ):
            d[key] = round(float(d[key]), 3)
        if d["rhythm_hz"] is not None:
            d["rhythm_hz"] = round(float(d["rhythm_hz"]), 2)
        return d


@dataclass(frozen=True)
class SpasmCluster:
    """A series of spasm-like events (at least 3, gaps of at most 60 s)."""

    start_s: float
    end_s: float
    count: int
    median_interval_s: float
    kind: str = "spasm_cluster"

    def to_dict(self) -> dict:
        """The cluster as in the JSON contract."""
        return {
            "start_s": round(self.start_s, 2),
            "end_s": round(self.end_s, 2),
            "count": self.count,
            "kind": self.kind,
            "median_interval_s": round(self.median_interval_s, 2),
        }


def find_clusters(
    events: list[MovementEvent],
    max_gap_s: float = CLUSTER_MAX_GAP_S,
    min_count: int = CLUSTER_MIN_COUNT,
) -> list[SpasmCluster]:
    """Group spasm-like events into clusters.

    Parameters
    ----------
    events
        Events from :func:`detect_events`; only ``spasm_like`` ones are used.
    max_gap_s
        The longest gap (onset to onset) between two events of one cluster.
    min_count
        The fewest events a cluster has.
    """
    if max_gap_s <= 0 or min_count < 2:
        raise ValueError("Invalid cluster settings: max_gap_s > 0 and min_count >= 2 required")
    spasms = sorted((e for e in events if e.kind == "spasm_like"), key=lambda e: e.start_s)
    groups: list[list[MovementEvent]] = []
    for ev in spasms:
        if groups and ev.start_s - groups[-1][-1].start_s <= max_gap_s:
            groups[-1].append(ev)
        else:
            groups.append([ev])
    clusters = []
    for g in groups:
        if len(g) >= min_count:
            onsets = np.array([e.start_s for e in g])
            clusters.append(
                SpasmCluster(
                    start_s=g[0].start_s,
                    end_s=max(e.end_s for e in g),
                    count=len(g),
                    median_interval_s=float(np.median(np.diff(onsets))),
                )
            )
    return clusters
