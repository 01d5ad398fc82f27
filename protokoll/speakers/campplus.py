"""CAM++ speaker embeddings as a pyannote.audio `Model`, so pyannote's own pipeline runs them.

The weights (3D-Speaker CAM++, zh/en common, 192-dim) come from a registry
package; the architecture from `speakerlab-slim` (3D-Speaker's code). Input is
80-dim Kaldi fbank with per-utterance mean normalisation, as CAM++ was trained.
pyannote's diarization pipeline passes per-frame speaker weights from the
segmentation model; frames where the speaker is not active are left out
before pooling, which is what pyannote's own embedding models do with them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from pyannote.audio.core.model import Model

SAMPLE_RATE_HZ = 16000
EMBEDDING_DIM = 192
NUM_MEL_BINS = 80
_MIN_ACTIVE_S = 0.2  # below this much active speech in a window a speaker counts as inactive
_MIN_FRAMES = 20  # the same in 10 ms fbank frames
_LENGTH_STEP = 25  # embedded lengths are multiples of this many frames


class CamPlusPlus(Model):
    def __init__(self, weights_path: Path | str | None = None) -> None:
        super().__init__(sample_rate=SAMPLE_RATE_HZ, num_channels=1)
        # lazy: speakerlab imports torch (seconds); only the CAM++ model needs it
        from speakerlab.models.campplus.DTDNN import CAMPPlus

        self.campplus = CAMPPlus(feat_dim=NUM_MEL_BINS, embedding_size=EMBEDDING_DIM)
        if weights_path is not None:
            state = torch.load(str(weights_path), map_location="cpu", weights_only=True)
            self.campplus.load_state_dict(state)
        self.campplus.eval()

    @property
    def dimension(self) -> int:
        return EMBEDDING_DIM

    def _fbank(self, waveform: torch.Tensor) -> torch.Tensor:
        # lazy: torchaudio imports torch (seconds); only the embedding front end needs it
        import torchaudio.compliance.kaldi as kaldi

        feats = kaldi.fbank(
            waveform.unsqueeze(0),
            num_mel_bins=NUM_MEL_BINS,
            sample_frequency=SAMPLE_RATE_HZ,
            dither=0.0,
        )
        return feats - feats.mean(dim=0, keepdim=True)

    def forward(self, waveforms: torch.Tensor, **kwargs: Any) -> torch.Tensor:
        """(batch, 1, samples) and optional `weights` (batch, frames) -> (batch, 192)."""
        weights: torch.Tensor | None = kwargs.get("weights")
        out = torch.full((len(waveforms), EMBEDDING_DIM), float("nan"), device=waveforms.device)
        selected: dict[int, torch.Tensor] = {}
        for i, waveform in enumerate(waveforms):
            if weights is None:
                selected[i] = self._fbank(waveform[0])
                continue
            # pyannote asks for every (chunk, local speaker); most are silent: skip them
            # before computing features (NaN embeddings are ignored by its clustering)
            window_s = waveform.shape[-1] / SAMPLE_RATE_HZ
            if float((weights[i] > 0.5).float().mean()) * window_s < _MIN_ACTIVE_S:
                continue
            feat = self._fbank(waveform[0])
            mask = (
                F.interpolate(weights[i].float()[None, None], size=feat.shape[0], mode="nearest")[
                    0, 0
                ]
                > 0.5
            )
            if int(mask.sum()) >= _MIN_FRAMES:
                active = feat[mask]
                selected[i] = _steady_length(active - active.mean(dim=0, keepdim=True))
        # one window at a time, and only a few distinct lengths: CPU convolutions keep
        # buffers per input shape, and on a long session shapes that keep changing
        # made the resident size creep up block by block (the cache that holds every
        # length's primitives is sized in protokoll/__init__.py)
        for i, feat in selected.items():
            out[i] = self.campplus(feat[None])[0]
        return out


def _steady_length(feat: torch.Tensor) -> torch.Tensor:
    """The middle of `feat`, shortened to a multiple of `_LENGTH_STEP` frames (at most
    0.24 s less speech): about 40 distinct lengths instead of one per window."""
    n = len(feat)
    keep = max(_MIN_FRAMES, n // _LENGTH_STEP * _LENGTH_STEP)
    skip = (n - keep) // 2
    return feat[skip : skip + keep]
