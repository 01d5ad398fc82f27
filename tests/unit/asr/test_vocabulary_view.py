"""A recogniser's vocabulary view: the hotwords a fresh recogniser would have, the loaded
model shared (nothing is loaded here)."""

from __future__ import annotations

from pathlib import Path

from protokoll.asr.transcribe import FasterWhisperTranscriber
from protokoll.config import TranscriptionSettings
from protokoll.domain.agenda import load_agenda
from protokoll.modelstore import ModelStore, ResolvedModel

ROOT = Path(__file__).resolve().parents[3]


def _model() -> ResolvedModel:
    store = ModelStore(ROOT / "models", ROOT / "models" / "manifest.toml")
    return ResolvedModel(store.entry("whisper-base"), ROOT / "models" / "whisper-base", "0" * 64)


def test_a_view_has_the_hotwords_of_a_recogniser_built_for_the_agenda() -> None:
    settings = TranscriptionSettings(device="cpu", vocabulary=["Kreistag"])
    vocabulary = load_agenda(ROOT / "samples" / "agenda.toml").vocabulary_hint()
    fresh = FasterWhisperTranscriber(_model(), settings, vocabulary)
    base = FasterWhisperTranscriber(_model(), settings)
    view = base.with_vocabulary(vocabulary)
    assert view.hotwords == fresh.hotwords
    assert view.parameters() == fresh.parameters()
    assert base.hotwords == "Kreistag"  # the base keeps no job's vocabulary
    assert base.with_vocabulary([]).hotwords == "Kreistag"


def test_views_share_the_loaded_model() -> None:
    base = FasterWhisperTranscriber(_model(), TranscriptionSettings(device="cpu"))
    view = base.with_vocabulary(["Lindenau"])
    assert not view.loaded
    base._loaded.model = loaded = object()  # as `_load` leaves it
    assert view.loaded and view._load() is loaded
    view.unload()
    assert not base.loaded
