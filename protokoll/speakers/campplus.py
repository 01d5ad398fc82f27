"""CAM++ speaker embeddings as a pyannote.audio `Model`, so pyannote's own pipeline runs them.

The weights (3D-Speaker CAM++, zh/en common, 192-dim) come from a registry
package; the architecture from `speakerlab-slim` (3D-Speaker's code). Input is
80-dim Kaldi fbank with per-utterance mean normalisation, as CAM++ was trained.
pyannote's diarization pipeline passes per-frame speaker weights from the
segmentation model; frames where the speaker is not active are left out
before pooling, which is what pyannote's own embedding models do with them.

On the CPU the network runs in ONNX Runtime (exported from the same weights when
first used, through a temporary file; the embeddings agree with PyTorch's to 1e-6).
CAM++ is some 600 small operations, and PyTorch's eager CPU path loses much of its
time between them: on 10 minutes of session the embeddings took 16 s instead of
23 s, and the 1-hour diarization RTF went from 0.041 to 0.027 (docs/speakers.md).
Should the export fail, PyTorch computes them, with a warning in the log.
"""

from __future__ import annotations

import logging
import tempfile
import warnings
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from pyannote.audio.core.model import Model

log = logging.getLogger(__name__)
SAMPLE_RATE_HZ = 16000
EMBEDDING_DIM = 192
NUM_MEL_BINS = 80
_MIN_ACTIVE_S = 0.2  # below this much active speech in a window a speaker counts as inactive
_MIN_FRAMES = 20  # the same in 10 ms fbank frames
_LENGTH_STEP = 25  # embedded lengths are multiples of this many frames


class CamPlusPlus(Model):
    def __init__(self, weights_path: Path | str | None = None, max_frames: int = 0) -> None:
        super().__init__(sample_rate=SAMPLE_RATE_HZ, num_channels=1)
        # lazy: speakerlab imports torch (seconds); only the CAM++ model needs it
        from speakerlab.models.campplus.DTDNN import CAMPPlus

        self.campplus = CAMPPlus(feat_dim=NUM_MEL_BINS, embedding_size=EMBEDDING_DIM)
        if weights_path is not None:
            state = torch.load(str(weights_path), map_location="cpu", weights_only=True)
            self.campplus.load_state_dict(state)
        self.campplus.eval()
        # a local speaker's active frames are embedded from their middle, at most this many
        # (0: all of them); CAM++'s time grows with the frames, its accuracy far less
        self.max_frames = max_frames
        # on the CPU; False keeps PyTorch (tests compare the two; a failed export sets it)
        self.use_onnx = True
        self._onnx: OnnxCampplus | None = None
        # the last window's fbank: pyannote asks for every local speaker of a window
        # in turn, on the same waveform
        self._last: tuple[torch.Tensor, torch.Tensor] | None = None

    @property
    def dimension(self) -> int:
        return EMBEDDING_DIM

    def _fbank(self, waveform: torch.Tensor) -> torch.Tensor:
        if self._last is not None and torch.equal(self._last[0], waveform):
            return self._last[1]
        feats = self._compute_fbank(waveform)
        self._last = (waveform, feats)
        return feats

    def _compute_fbank(self, waveform: torch.Tensor) -> torch.Tensor:
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
                selected[i] = _steady_length(
                    active - active.mean(dim=0, keepdim=True), self.max_frames
                )
        # one window at a time, and only a few distinct lengths: CPU convolutions keep
        # buffers per input shape, and on a long session shapes that keep changing
        # made the resident size creep up block by block (the cache that holds every
        # length's primitives is sized in protokoll/__init__.py)
        network = self._network(waveforms.device)
        for i, feat in selected.items():
            out[i] = network(feat)
        self._last = None
        return out

    def _network(self, device: torch.device) -> Any:
        """The function (frames, 80) -> (192,) that runs CAM++ on `device`."""
        if device.type == "cpu" and self.use_onnx and self._onnx is None:
            try:
                self._onnx = OnnxCampplus(self.campplus, torch.get_num_threads())
            except Exception as exc:  # any export or runtime failure
                self.use_onnx = False
                log.warning("CAM++ in ONNX Runtime unavailable, PyTorch computes it: %s", exc)
        if device.type == "cpu" and self.use_onnx and self._onnx is not None:
            return self._onnx
        return lambda feat: self.campplus(feat[None])[0]


class OnnxCampplus:
    """CAM++ exported to ONNX (through a temporary file) and run by ONNX Runtime on the CPU."""

    def __init__(self, network: torch.nn.Module, threads: int) -> None:
        # lazy: onnxruntime is only needed for CPU diarization
        import onnxruntime as ort

        with tempfile.TemporaryDirectory() as tmp, warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # the exporter's tracer notes on shape arithmetic
            torch.onnx.export(
                network,
                (torch.zeros(1, 4 * _LENGTH_STEP, NUM_MEL_BINS),),
                Path(tmp) / "campplus.onnx",
                dynamo=False,
                input_names=["feats"],
                output_names=["embedding"],
                dynamic_axes={"feats": {1: "frames"}},
                opset_version=17,
            )
            exported = (Path(tmp) / "campplus.onnx").read_bytes()
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(exported, options, providers=["CPUExecutionProvider"])

    def __call__(self, feat: torch.Tensor) -> torch.Tensor:
        """(frames, 80) -> (192,)"""
        array = feat[None].detach().numpy().astype("float32", copy=False)
        return torch.from_numpy(self.session.run(None, {"feats": array})[0][0])


def _steady_length(feat: torch.Tensor, max_frames: int = 0) -> torch.Tensor:
    """The middle of `feat`, shortened to a multiple of `_LENGTH_STEP` frames (at most
    0.24 s less speech): about 40 distinct lengths instead of one per window; and to at
    most `max_frames` frames where that is set (> 0)."""
    n = len(feat)
    most = n if max_frames <= 0 else min(n, max_frames)
    keep = max(_MIN_FRAMES, most // _LENGTH_STEP * _LENGTH_STEP)
    skip = (n - keep) // 2
    return feat[skip : skip + keep]
