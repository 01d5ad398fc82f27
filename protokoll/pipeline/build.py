"""The one place that builds the pipeline's stages from the settings.

Nothing else decides which backend or model runs. Models are resolved (and
their hashes verified) here, before any audio is touched, so a missing model
is reported at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from protokoll.asr.transcribe import FasterWhisperTranscriber
from protokoll.config import Settings
from protokoll.llm.base import LLM
from protokoll.llm.factory import build_llm as _build
from protokoll.modelstore import ModelStore
from protokoll.speakers.diarize import Diarizer, PyannoteDiarizer


def model_store(settings: Settings, root: Path | None = None) -> ModelStore:
    base = root or Path.cwd()
    models_dir = (
        settings.models.dir if settings.models.dir.is_absolute() else base / settings.models.dir
    )
    manifest = settings.models.manifest
    manifest = manifest if manifest.is_absolute() else base / manifest
    return ModelStore(models_dir, manifest)


def build_transcriber(
    settings: Settings, store: ModelStore, vocabulary: Sequence[str] = ()
) -> FasterWhisperTranscriber:
    model = store.resolve(settings.transcription.model)
    return FasterWhisperTranscriber(model, settings.transcription, vocabulary)


def build_llm(settings: Settings, store: ModelStore) -> LLM | None:

    return _build(settings, store)


def build_diarizer(settings: Settings, store: ModelStore) -> Diarizer | None:
    dia = settings.diarization
    if dia.backend == "none":
        return None
    if dia.pipeline == "pretrained":
        return PyannoteDiarizer(dia, pretrained=store.resolve(dia.pretrained_model))
    return PyannoteDiarizer(
        dia,
        segmentation=store.resolve(dia.segmentation_model),
        embedding=store.resolve(dia.embedding_model),
    )
