"""A standardised, L2-regularised logistic regression shared by the detectors that
learn from labelled examples (EEG seizures, video spasms).

Transparent by design: one weight per named feature, stored as JSON next to the module
that uses it, with the probability thresholds of each sensitivity level.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import numpy as np

__all__ = ["SENSITIVITY_LEVELS", "LogisticModel", "check_sensitivity"]

from spasmwatch.sensitivity import SENSITIVITIES as SENSITIVITY_LEVELS
from spasmwatch.sensitivity import check_sensitivity


@dataclass
class LogisticModel:
    """A standardised L2-regularised logistic regression (transparent: one weight each)."""

    feature_names: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    threshold: float = 0.5
    smooth_epochs: int = 1
    info: dict = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)

    def threshold_for(self, sensitivity: str = "normal") -> float:
        """The probability threshold of ``sensitivity`` (``low``: fewer false alarms,
        ``normal``: :attr:`threshold`, ``high``: fewer misses); a model without
        per-sensitivity thresholds uses :attr:`threshold` for all three."""
        if check_sensitivity(sensitivity) == "normal":
            return self.threshold
        return float(self.thresholds.get(sensitivity, self.threshold))

    def decision(self, x: np.ndarray) -> np.ndarray:
        """Linear score of rows of ``x`` (NaN inputs count as the training mean)."""
        z = (np.asarray(x, np.float64) - self.mean) / self.scale
        z = np.nan_to_num(z, nan=0.0, posinf=5.0, neginf=-5.0)
        return np.clip(z, -8, 8) @ np.asarray(self.coef) + self.intercept

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Probability of the positive class for each row of ``x``."""
        return 1.0 / (1.0 + np.exp(-self.decision(x)))

    @classmethod
    def fit(
        cls, x: np.ndarray, y: np.ndarray, l2: float = 1.0, names: list[str] | None = None
    ) -> LogisticModel:
        """Fit by Newton-Raphson with an L2 penalty ``l2`` on the standardised weights."""
        x = np.asarray(x, np.float64)
        mean = np.nanmean(x, axis=0)
        scale = np.nanstd(x, axis=0)
        scale[scale == 0] = 1.0
        z = np.nan_to_num((x - mean) / scale)
        a = np.hstack([z, np.ones((len(z), 1))])
        w = np.zeros(a.shape[1])
        pen = np.full(a.shape[1], l2)
        pen[-1] = 0.0
        for _ in range(50):
            p = 1.0 / (1.0 + np.exp(-(a @ w)))
            g = a.T @ (p - y) + pen * w
            h = (a * (p * (1 - p))[:, None]).T @ a + np.diag(pen) + 1e-9 * np.eye(len(w))
            step = np.linalg.solve(h, g)
            w -= step
            if np.abs(step).max() < 1e-8:
                break
        return cls(
            feature_names=list(names or ()),
            mean=mean.tolist(),
            scale=scale.tolist(),
            coef=w[:-1].tolist(),
            intercept=float(w[-1]),
        )

    def to_json(self) -> str:
        """The parameters as JSON."""
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> LogisticModel:
        """Parameters from :meth:`to_json`."""
        return cls(**json.loads(text))
