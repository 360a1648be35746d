"""Shared test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_EEG = REPO_ROOT.parent / "shared" / "data" / "eeg"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root."""
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_eeg_dir() -> Path:
    """The shared real EEG data (``../shared/data/eeg`` from the repository root)."""
    if not SHARED_EEG.is_dir():
        pytest.fail(f"Real EEG test data not found at {SHARED_EEG}")
    return SHARED_EEG
