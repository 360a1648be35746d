"""Events from epoch features, by capability:
:mod:`~spasmwatch.eeg.seizures`, :mod:`~spasmwatch.eeg.decrements`,
:mod:`~spasmwatch.eeg.background` (with :mod:`~spasmwatch.eeg.events`); this module keeps
their names together and says how each works: seizures (``sz``), electrodecrements,
and the background.

- ``sz``, two detectors (``SZ_DETECTORS``), both giving a probability per channel and
  second that the same event rules below turn into events:

  - ``stevenson_cnn`` (the default): the trained convolutional network of Stevenson,
    Tapani & Vanhatalo (EMBC 2019; MIT licence, :mod:`spasmwatch.eeg.cnn`) on each
    bipolar channel, one 16-s window per second; the value of a second is the mean of
    the two windows centred nearest its middle. It was trained on all 79 infants of the
    Helsinki dataset, so its results there are in-sample. Thresholds
    (``CNN_THRESHOLDS``): ``normal`` 0.5, the network's own decision point (the larger
    of its two outputs); ``low`` 0.8 and ``high`` 0.3 are **provisional**: they could
    not be tuned honestly on Helsinki, the only labelled data here, since the network
    has seen it.
  - ``logistic``: the model described next, kept for comparison
    (``benchmarks/eeg_helsinki.py``).

- ``sz`` with ``logistic``: channel-wise detection after Temko et al. (Clin
  Neurophysiol 2011;122:464): one logistic model, shared by all channels, scores the
  8-s window features of each channel every second; the probability of a second is the
  highest channel's, averaged over a few seconds (the model's ``smooth_epochs``). The
  fitted parameters ship as ``sz_model.json`` next to this module; the training script
  is ``benchmarks/eeg_train.py`` (Helsinki clips; seizure seconds teach the model with
  the channel it ranks highest, seizure-free seconds with every channel, so that it
  learns the most involved channel rather than all of them).
- ``sz`` events, either detector: consecutive seconds above the threshold form an event;
  events shorter than 10 s are dropped, the minimum duration of an electrographic
  seizure in the ACNS neonatal terminology (Tsuchida et al., J Clin Neurophysiol
  2013;30:161).
- ``decrement``: an abrupt, diffuse fall of amplitude, the electrodecremental response
  that follows the high-voltage slow wave of an epileptic spasm (Fusco & Vigevano,
  Epilepsia 1993;34:671; Hrachovy & Frost 2003). **[design]** thresholds: the
  peak-to-peak amplitude falls below 55 % of the median of the preceding 10 s in at
  least 60 % of the artefact-free channels, for 1-10 s, below 55 % of the preceding 30 s
  too, the line length below 60 % of the preceding 10 s, not among artefacts, and not
  in a discontinuous background (the median channel below 55 % of its upper quartile
  for less than 40 % of the minutes before and after;
  :func:`detect_decrements`).
  ``decrement_index`` gives the per-second ratio itself.
- The logistic model's threshold (in ``sz_model.json``) and its averaging are
  chosen by cross-validation on the training infants (the per-second kappa with the
  experts' consensus); merging of runs less than 5 s apart: **[design]**. Two more
  thresholds serve the ``low`` and ``high`` sensitivities (``SZ_SENSITIVITIES``), chosen
  in the same cross-validation by how many seconds that no expert marked end up inside
  events (``low``: at most 2 %, ``high``: at most 15 %; **[design]** targets).
- Background: BASED-like score 0-5 and the hypsarrhythmia assessment (``likely``,
  ``unlikely``, ``cannot_assess``) with its reasons (Mytinger et al., Epilepsia
  2021;62:1217: BASED 4-5 is hypsarrhythmia; :func:`assess_background`).
"""

from __future__ import annotations

from spasmwatch.eeg.background import (  # noqa: F401
    BASED_ABUNDANT_SHARE,
    BASED_WINDOW_S,
    HYPS_MIN_CHANNELS,
    HYPS_MIN_FOCI,
    HYPS_MIN_USABLE_S,
    HYPS_SPIKE_WAVE_INDEX,
    SPIKE_FOCUS_RATE_PER_MIN,
    Background,
    _iess_markers,
    _region,
    assess_background,
)
from spasmwatch.eeg.decrements import (  # noqa: F401
    DECREMENT_BASELINE_S,
    DECREMENT_CHANNEL_SHARE,
    DECREMENT_CONTEXT_S,
    DECREMENT_DURATION_S,
    DECREMENT_LINE_RATIO,
    DECREMENT_LONG_BASELINE_S,
    DECREMENT_LONG_RATIO,
    DECREMENT_MAX_ARTEFACT,
    DECREMENT_MAX_DISCONTINUITY,
    DECREMENT_RATIO,
    _amplitude_ratio,
    _discontinuity,
    decrement_candidates,
    decrement_events,
    decrement_index,
    detect_decrements,
    find_decrements,
)
from spasmwatch.eeg.events import (  # noqa: F401
    Event,
    _runs,
)
from spasmwatch.eeg.seizures import (  # noqa: F401
    _BLOCK_EPOCHS,
    CNN_THRESHOLDS,
    FEATURE_NAMES,
    SZ_DETECTORS,
    SZ_MERGE_GAP_S,
    SZ_MIN_DURATION_S,
    SZ_SENSITIVITIES,
    _check,
    _smooth_time,
    channel_probability,
    check_detector,
    detect_seizures,
    enclosing_threshold,
    load_model,
    score_inputs,
    second_probability,
    seizure_features,
    seizure_probability,
    seizure_runs,
    threshold_for,
    window_inputs,
)
from spasmwatch.logistic import LogisticModel, check_sensitivity

__all__ = [
    "CNN_THRESHOLDS",
    "FEATURE_NAMES",
    "SZ_DETECTORS",
    "SZ_SENSITIVITIES",
    "Background",
    "Event",
    "LogisticModel",
    "assess_background",
    "channel_probability",
    "check_detector",
    "check_sensitivity",
    "decrement_events",
    "decrement_index",
    "detect_decrements",
    "detect_seizures",
    "enclosing_threshold",
    "find_decrements",
    "load_model",
    "seizure_features",
    "seizure_probability",
    "threshold_for",
    "window_inputs",
]
