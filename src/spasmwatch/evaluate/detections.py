"""The detections of one file at every sensitivity, from one analysis.

``spasmwatch evaluate`` draws an operating curve over the sensitivities ``low``,
``normal`` and ``high``. Analysing every file three times would triple the cost, so the
analysis process of :mod:`spasmwatch.batch` (with ``BatchSettings(levels=True)``) calls
:func:`analyse_at_levels`, which analyses once and keeps what each sensitivity detects:

- video: the motion is measured once and detection runs at each sensitivity
  (:func:`~spasmwatch.video.analyze_video_levels`); each level's events are exactly those
  of ``analyze_video`` at that level.
- EEG: the seizure probability of each second does not depend on the sensitivity, which
  only sets the threshold; each level's ``sz`` events are the runs of
  :func:`~spasmwatch.eeg.detect.seizure_runs` at that level's threshold, as in
  ``analyze_eeg``. Decrements and the background do not depend on it.

The contract JSON (that of ``spasmwatch video|eeg analyze --json``, see ``docs/video.md``
and ``docs/eeg.md``) is the one ``spasmwatch batch`` writes at the chosen sensitivity.
"""

from __future__ import annotations

from typing import Any

from spasmwatch.sensitivity import SENSITIVITIES

__all__ = ["LEVELLESS_TYPES", "LEVELS", "analyse_at_levels"]

#: The sensitivities of the operating curve, fewest detections first.
LEVELS: tuple[str, ...] = SENSITIVITIES
#: Event types whose detector has no sensitivity setting (EEG decrements): the same
#: detections at every level. Every other detector is shown at each level, also in a
#: recording where its levels happen to detect the same.
LEVELLESS_TYPES: frozenset[str] = frozenset({"decrement"})


def analyse_at_levels(kind: str, path: str, sensitivity: str) -> tuple[dict, dict[str, Any]]:
    """Analyse ``path`` once; its contract JSON at ``sensitivity`` and its detections at
    every level.

    Returns
    -------
    (dict, dict)
        The analyser's JSON document, and ``{"kind", "duration_s", "levels": {level:
        [[start_s, end_s, score], ...]}}`` (video: spasm-like events; EEG: ``sz`` events)
        with, for EEG, ``"thresholds"`` by level.
    """
    if kind == "video":
        from spasmwatch.video import analyze_video_levels

        levels = tuple(dict.fromkeys((*LEVELS, sensitivity)))
        results = analyze_video_levels(path, levels)
        doc = results[sensitivity].to_dict()
        spans = {
            level: [
                [round(e.start_s, 3), round(e.end_s, 3), round(float(e.score), 3)]
                for e in results[level].events
                if e.kind == "spasm_like"
            ]
            for level in LEVELS
        }
        return doc, {"kind": kind, "duration_s": doc["video"]["duration_s"], "levels": spans}
    from spasmwatch.eeg import analyze_eeg
    from spasmwatch.eeg.detect import enclosing_threshold, seizure_runs, threshold_for

    analysis = analyze_eeg(path, sensitivity=sensitivity)
    doc = analysis.to_dict()
    prob = analysis.seizure_probability
    spans = {}
    thresholds = {}
    for level in LEVELS:
        thr = threshold_for(level, analysis.sz_detector)
        thresholds[level] = thr
        if analysis.sz_note:  # no probability was computed: nothing is detected
            spans[level] = []
            continue
        spans[level] = [
            [float(a), float(b), round(float(prob[a:b].mean()), 3)]
            for a, b in seizure_runs(
                prob, thr, within=enclosing_threshold(level, analysis.sz_detector)
            )
        ]
    return doc, {
        "kind": kind,
        "duration_s": doc["recording"]["duration_s"],
        "levels": spans,
        "thresholds": thresholds,
    }
