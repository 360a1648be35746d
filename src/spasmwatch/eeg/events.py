"""The event type the EEG detectors share (SzCORE/BIDS vocabulary), and runs of seconds."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

log = logging.getLogger("spasmwatch")


@dataclass(frozen=True)
class Event:
    """An event in the SzCORE/BIDS vocabulary; times in seconds from the file start."""

    onset: float
    duration: float
    eventType: str
    confidence: float
    channels: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        """The contract's JSON object."""
        return {
            "onset": round(self.onset, 3),
            "duration": round(self.duration, 3),
            "eventType": self.eventType,
            "confidence": round(float(self.confidence), 3),
            "channels": list(self.channels),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Event:
        """The event back from its JSON object."""
        return cls(
            float(d["onset"]),
            float(d["duration"]),
            str(d["eventType"]),
            float(d["confidence"]),
            tuple(d.get("channels") or ()),
        )


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    d = np.diff(np.r_[0, mask.astype(np.int8), 0])
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True))
