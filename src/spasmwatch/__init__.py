"""spasmwatch: local-first help for babies' brief movements."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
