"""Write the EEG evaluation set of :mod:`spasmwatch.testing.eeg_inject`: the real
recordings of ``../shared/data/eeg/`` with injected hypsarrhythmia, electrodecremental
events and artefacts, with ground truth (``benchmarks/eeg_assess.py`` scores it).

Run: ``.venv/bin/python benchmarks/eeg_inject.py [--out DIR] [--force]``.
"""

from __future__ import annotations

import sys

from spasmwatch.testing.eeg_inject import main

if __name__ == "__main__":
    sys.exit(main())
