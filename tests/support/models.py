"""The real-model tests need the CPU profile's models installed (`protokoll models install`)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# the CPU profile's models: transcription, segmentation, speaker embedding, LLM
CPU_MODELS = (
    "whisper-base",
    "pyannote-segmentation-3.0",
    "campplus-zh-en-common",
    "qwen2.5-coder-1.5b-instruct-q4km",
)


def require_models(*model_ids: str) -> None:
    """Fail (not skip: CI must run them) when a model is not installed in `models/`."""
    for model_id in model_ids or CPU_MODELS:
        if not (ROOT / "models" / model_id / "installed.json").exists():
            pytest.fail(f"model {model_id} missing: run `protokoll models install` first")
