"""CAM++ with its real registry weights, on the bundled sample's real audio: the ONNX
Runtime path the CPU stage uses gives the PyTorch network's embeddings.

The unit test does the same with random weights; this one would catch an export that
only the trained weights break (and a silent fall-back: it asserts ONNX Runtime ran).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import torch

from protokoll.config import load_settings
from protokoll.pipeline.build import model_store
from protokoll.speakers.campplus import SAMPLE_RATE_HZ, CamPlusPlus

ROOT = Path(__file__).resolve().parents[2]
FRAMES = 589  # segmentation-3.0 frames per 10 s window

pytestmark = pytest.mark.slow


def test_onnx_runtime_embeds_real_speech_as_pytorch_does() -> None:
    settings = load_settings(ROOT / "config.toml", {})
    weights = model_store(settings, ROOT).resolve(settings.diarization.embedding_model)
    path = weights.path / weights.entry.files[0].path
    pcm = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(ROOT / "samples" / "sitzung.ogg"),
         "-t", "60", "-f", "f32le", "-ac", "1", "-ar", str(SAMPLE_RATE_HZ), "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    audio = torch.from_numpy(np.frombuffer(pcm, dtype=np.float32).copy())
    window = 10 * SAMPLE_RATE_HZ
    waves = torch.stack([audio[i * window : (i + 1) * window][None] for i in range(6)])
    weights_ = torch.zeros(6, FRAMES)
    for i in range(6):  # a different stretch of each window, as local speakers are
        weights_[i, 40 * i : 40 * i + 300] = 1.0
    fast, slow = CamPlusPlus(path).eval(), CamPlusPlus(path).eval()
    slow.use_onnx = False
    with torch.inference_mode():
        onnx = fast(waves, weights=weights_)
        reference = slow(waves, weights=weights_)
    assert fast.use_onnx and fast._onnx is not None  # ONNX Runtime ran, no fall-back
    assert torch.isfinite(onnx).all()
    cosine = torch.nn.functional.cosine_similarity(onnx, reference)
    print(f"CAM++ ONNX Runtime against PyTorch, real weights: min cosine {float(cosine.min()):.7f}")
    assert float(cosine.min()) > 0.99999


def test_the_embedding_cap_setting_reaches_the_model() -> None:
    # lazy: the pipeline builder imports pyannote.audio
    from protokoll.pipeline.build import build_diarizer
    from protokoll.speakers.diarize import PyannoteDiarizer

    settings = load_settings(ROOT / "config.toml", {"PROTOKOLL_DIARIZATION__EMBEDDING_MAX_S": "3"})
    diarizer = build_diarizer(settings, model_store(settings, ROOT))
    assert isinstance(diarizer, PyannoteDiarizer)
    model = diarizer._build()._embedding.model_
    assert isinstance(model, CamPlusPlus)
    assert model.max_frames == 300
