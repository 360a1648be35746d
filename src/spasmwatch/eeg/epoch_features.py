"""The record of a span's per-second features (:class:`EpochFeatures`).

:func:`~spasmwatch.eeg.features.compute_epoch_features` fills it; the detectors, the
background and the result read it, cut it (:meth:`EpochFeatures.select`) and join the
parts of a long recording (:meth:`EpochFeatures.concat`). Kept apart from the computations
that fill it, so that its fields and their meaning read in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass
class EpochFeatures:
    """Features of consecutive 1-s epochs (one column per epoch).

    Channel-wise arrays have shape (n_channels, n_epochs) and refer to ``channels`` (the
    bipolar montage when it can be derived, else the file's channels). ``ptp_uv`` is the
    peak-to-peak amplitude (µV) of those channels and ``ref_ptp_uv`` of the referential
    ones (empty for a bipolar recording); ``line_length`` the mean absolute slope (µV/s).
    Band powers are log10 µV², ``delta_fraction`` the share of 0.5-30 Hz power in delta
    and ``entropy`` the spectral entropy, all from spectra smoothed over 5 s;
    ``spectrogram`` is the channel-mean log10 PSD, shape (n_epochs, n_freqs);
    ``sz_window`` the 8-s channel-wise seizure features of
    :func:`~spasmwatch.eeg.seizure_features.seizure_window_features`, shape
    (n_channels, n_epochs, len(SZ_FEATURES)). ``half_ptp_uv`` and ``half_line_length``
    are the peak-to-peak amplitude and line length of the 1-s windows that start half a
    second later (epoch ``k``: seconds ``k + 0.5`` to ``k + 1.5``; NaN where the span
    ends first), the second grid of the decrement detector
    (:func:`~spasmwatch.eeg.decrements.detect_decrements`). ``mains_hz`` is the mains
    frequency whose line was removed from the channel before the measures (0: none;
    :func:`remove_mains`, judged over each analysed span), ``notched_hz`` the one already
    notched out of the recording before it was read (0: none; :func:`mains`). ``floor_uv``
    is the channel's noise floor (µV RMS over the whole band, NaN where unknown;
    :func:`mains_and_floor`) and ``floor_line_length`` the line length (µV/s) that floor
    alone has: an electrodecrement leaves it as it is. ``muscle`` and
    ``half_muscle`` mark the channel-seconds of either grid with muscle
    (:func:`muscle_seconds`). ``band_line_length`` and ``half_band_line_length`` are the
    line length of the signal band-passed to :data:`DECREMENT_BAND_HZ` on either grid
    (:func:`band_line_length`), and ``floor_band_line_length`` the line length the
    noise floor alone has there: what the decrement rules read at high sensitivity.
    """

    channels: list[str]
    ptp_uv: np.ndarray
    ref_ptp_uv: np.ndarray
    line_length: np.ndarray
    delta: np.ndarray
    theta: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    delta_fraction: np.ndarray
    entropy: np.ndarray
    spike_count: np.ndarray
    flat: np.ndarray
    clipped: np.ndarray
    huge: np.ndarray
    pop: np.ndarray
    spectrogram: np.ndarray
    freqs: np.ndarray
    sz_window: np.ndarray
    spike_channel: np.ndarray
    spike_time_s: np.ndarray
    spike_amplitude_uv: np.ndarray
    perm_entropy: np.ndarray
    amp_entropy: np.ndarray
    connectivity: np.ndarray
    half_ptp_uv: np.ndarray
    half_line_length: np.ndarray
    mains_hz: np.ndarray
    notched_hz: np.ndarray
    floor_uv: np.ndarray
    floor_line_length: np.ndarray
    muscle: np.ndarray
    half_muscle: np.ndarray
    band_line_length: np.ndarray
    half_band_line_length: np.ndarray
    floor_band_line_length: np.ndarray

    @property
    def n_epochs(self) -> int:
        """Number of epochs."""
        return self.ptp_uv.shape[1]

    @property
    def bad(self) -> np.ndarray:
        """Epochs with any artefact flag, shape (n_channels, n_epochs)."""
        return self.flat | self.clipped | self.huge | self.pop

    def spike_events(self, merge_s: float = 0.1) -> np.ndarray:
        """Spikes per epoch counted once across channels, shape (n_epochs,).

        A spike on an artefact-flagged channel-epoch is ignored; spikes on different
        channels less than ``merge_s`` apart are one event (a discharge seen by several
        derivations, e.g. both bipolar pairs sharing an electrode).
        """
        n_ep = self.n_epochs
        if len(self.spike_time_s) == 0 or n_ep == 0:
            return np.zeros(n_ep, dtype=np.int32)
        ep = np.minimum(self.spike_time_s.astype(int), n_ep - 1)
        ok = ~self.bad[self.spike_channel, ep]
        t = np.sort(self.spike_time_s[ok])
        if len(t) == 0:
            return np.zeros(n_ep, dtype=np.int32)
        first = t[np.r_[True, np.diff(t) > merge_s]]
        return np.bincount(np.minimum(first.astype(int), n_ep - 1), minlength=n_ep).astype(np.int32)

    def discharges(self, merge_s: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
        """Spikes on artefact-free channel-epochs grouped across channels (less than
        ``merge_s`` apart, as :meth:`spike_events`): the time (s) of each discharge and
        the channel where it is largest (its focus)."""
        n_ep = self.n_epochs
        if len(self.spike_time_s) == 0 or n_ep == 0:
            return np.zeros(0), np.zeros(0, int)
        ep = np.minimum(self.spike_time_s.astype(int), n_ep - 1)
        ok = ~self.bad[self.spike_channel, ep]
        order = np.argsort(self.spike_time_s[ok], kind="stable")
        t = self.spike_time_s[ok][order]
        ch = self.spike_channel[ok][order]
        amp = self.spike_amplitude_uv[ok][order]
        if len(t) == 0:
            return np.zeros(0), np.zeros(0, int)
        group = np.cumsum(np.r_[True, np.diff(t) > merge_s]) - 1
        n_g = int(group[-1]) + 1
        best = np.full(n_g, -1.0)
        focus = np.zeros(n_g, int)
        for g, c, a in zip(group, ch, amp, strict=True):
            if a > best[g]:
                best[g], focus[g] = a, c
        first = np.r_[True, np.diff(group) > 0]
        return t[first], focus

    def select(self, start: int, stop: int, offset_s: float = 0.0) -> EpochFeatures:
        """Epochs ``start:stop``; spike times are shifted by ``offset_s`` seconds."""
        t0, t1 = start, stop
        keep = (self.spike_time_s >= t0) & (self.spike_time_s < t1)
        kw = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name in ("channels", "freqs"):
                kw[f.name] = v
            elif f.name == "spectrogram":
                kw[f.name] = v[start:stop]
            elif f.name in ("spike_channel", "spike_amplitude_uv"):
                kw[f.name] = v[keep]
            elif f.name == "spike_time_s":
                kw[f.name] = v[keep] - t0 + offset_s
            else:
                kw[f.name] = v[:, start:stop]
        return EpochFeatures(**kw)

    @staticmethod
    def concat(parts: list[EpochFeatures]) -> EpochFeatures:
        """Join epoch features of consecutive spans (spike times already absolute)."""
        kw = {}
        for f in fields(EpochFeatures):
            vals = [getattr(p, f.name) for p in parts]
            if f.name in ("channels", "freqs"):
                kw[f.name] = vals[0]
            elif f.name in ("spectrogram", "spike_channel", "spike_time_s", "spike_amplitude_uv"):
                kw[f.name] = np.concatenate(vals, axis=0)
            else:
                kw[f.name] = np.concatenate(vals, axis=1)
        return EpochFeatures(**kw)
