"""The production transcription path: large-v3-turbo's architecture (random weights) on CPU.

No large-v3-turbo weights are reachable here, so the model is built with its exact
architecture (128 mel bins, 32 encoder and 4 decoder layers of width 1280, 100
languages) and random weights, converted to CTranslate2, pinned in a models folder
with the real manifest, and run through the project's transcriber with the GPU
profile's settings (device moved to CPU). Random weights decode noise: the tests
check the code path (features, batching, alignment, pinning), not the text.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bench.production_models.whisper import FILES, NUM_MEL_BINS, build_whisper
from protokoll.asr.transcribe import FasterWhisperTranscriber
from protokoll.config import Settings, load_settings
from protokoll.errors import ModelError
from protokoll.modelstore import ModelStore
from protokoll.pipeline.build import build_transcriber

ROOT = Path(__file__).resolve().parents[2]
MODEL_ID = "whisper-large-v3-turbo"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = ROOT / "models" / "whisper-base"
    if not (base / "tokenizer.json").exists():
        pytest.fail("whisper-base is not installed: run `protokoll models install`")
    root = tmp_path_factory.mktemp("production-models")
    build_whisper(root / MODEL_ID, base_dir=base, arch="large-v3-turbo")
    ModelStore(root, ROOT / "models" / "manifest.toml").pin(MODEL_ID)
    return root


def gpu_settings(models_dir: Path, **extra: str) -> Settings:
    env = {
        "PROTOKOLL_PROFILE": "gpu",
        "PROTOKOLL_MODELS__DIR": str(models_dir),
        "PROTOKOLL_MODELS__MANIFEST": str(ROOT / "models" / "manifest.toml"),
        "PROTOKOLL_TRANSCRIPTION__DEVICE": "cpu",
        "PROTOKOLL_TRANSCRIPTION__COMPUTE_TYPE": "int8",
        "PROTOKOLL_TRANSCRIPTION__BATCH_SIZE": "2",
        "PROTOKOLL_TRANSCRIPTION__MAX_NEW_TOKENS": "12",
        **extra,
    }
    return load_settings(ROOT / "config.toml", env)


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> np.ndarray:
    from protokoll.audio.intake import decode, read_wav

    tmp = tmp_path_factory.mktemp("sample")
    audio = read_wav(decode(ROOT / "samples" / "sitzung.ogg", tmp).wav_path)
    return audio[: 45 * 16000]  # 45 s of the sample: two or more speech windows


class BatchSpy:
    """Counts what faster-whisper's batched pipeline is asked to encode (the real one runs)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from faster_whisper import BatchedInferencePipeline

        self.feature_shapes: list[tuple[int, ...]] = []
        original = BatchedInferencePipeline.forward

        def forward(pipeline: Any, features: np.ndarray, *args: Any, **kwargs: Any) -> Any:
            self.feature_shapes.append(tuple(np.asarray(features).shape))
            return original(pipeline, features, *args, **kwargs)

        monkeypatch.setattr(BatchedInferencePipeline, "forward", forward)


def test_the_gpu_profile_resolves_the_pinned_turbo_model(models_dir: Path) -> None:
    settings = gpu_settings(models_dir)
    assert settings.transcription.model == MODEL_ID
    store = ModelStore(models_dir, ROOT / "models" / "manifest.toml")
    resolved = store.resolve(MODEL_ID)
    assert sorted(resolved.file_hashes) == sorted(FILES)
    transcriber = build_transcriber(settings, store)
    assert isinstance(transcriber, FasterWhisperTranscriber)
    model = transcriber._load()
    assert model.model.n_mels == NUM_MEL_BINS
    assert model.feature_extractor.mel_filters.shape[0] == NUM_MEL_BINS
    assert model.model.num_languages == 100
    assert model.model.is_multilingual


def test_turbo_architecture_transcribes_batched_with_128_mel_features(
    models_dir: Path, speech: np.ndarray, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = gpu_settings(models_dir)
    store = ModelStore(models_dir, ROOT / "models" / "manifest.toml")
    transcriber = build_transcriber(settings, store)
    spy = BatchSpy(monkeypatch)
    result = transcriber.transcribe(speech)
    # the batched pipeline ran, on 128-row features, two windows at a time
    assert spy.feature_shapes, "the batched pipeline was not used"
    assert all(shape[1] == NUM_MEL_BINS for shape in spy.feature_shapes)
    assert max(shape[0] for shape in spy.feature_shapes) == 2
    assert sum(shape[0] for shape in spy.feature_shapes) >= 2
    # every window was decoded (random weights: the guard may drop the noise it wrote)
    assert len(result.segments) + len(result.dropped) >= 2
    for segment in result.segments:
        assert 0.0 <= segment.start_s <= segment.end_s <= 45.5
        for word in segment.words:  # word times come from the turbo alignment heads
            assert segment.start_s - 0.5 <= word.start_s <= word.end_s <= segment.end_s + 0.5
    assert result.model is not None
    assert result.model.name == MODEL_ID
    assert result.model.parameters["batch_size"] == 2
    assert result.model.parameters["max_new_tokens"] == 12


def test_a_turbo_model_without_its_preprocessor_config_is_refused(
    models_dir: Path, tmp_path: Path
) -> None:
    """Without preprocessor_config.json faster-whisper would compute 80-mel features for a
    128-mel model; the transcriber must say so before any audio is touched."""
    copy = tmp_path / "models"
    shutil.copytree(models_dir / MODEL_ID, copy / MODEL_ID)
    (copy / MODEL_ID / "preprocessor_config.json").write_text("{}", encoding="utf-8")
    store = ModelStore(copy, ROOT / "models" / "manifest.toml")
    store.pin(MODEL_ID)
    transcriber = build_transcriber(gpu_settings(copy), store)
    with pytest.raises(ModelError, match=r"128 Mel-Bänder.*preprocessor_config\.json"):
        transcriber.transcribe(np.zeros(16000, dtype=np.float32))
