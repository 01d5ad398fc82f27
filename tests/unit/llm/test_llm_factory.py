"""Choosing and building the language model from the settings."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import torch

from protokoll.config import Settings, load_settings
from protokoll.errors import ModelError
from protokoll.llm import llamacpp
from protokoll.llm.factory import build_llm
from protokoll.llm.llamacpp import LlamaCppLLM
from protokoll.llm.openai_http import OpenAICompatibleLLM
from protokoll.llm.transformers_backend import TransformersLLM
from protokoll.modelstore import ModelStore, load_manifest, models_for_settings

ROOT = Path(__file__).resolve().parents[3]

MANIFEST = """
[[model]]
id = "klein-gguf"
role = "llm"
format = "gguf"
upstream = "test"
revision = "1"
license = "Apache-2.0"
profiles = ["cpu"]
[model.source]
kind = "hub"
hub = "test/klein"
[[model.files]]
path = "model.gguf"
sha256 = ""
size = 0

[[model]]
id = "gross-hf"
role = "llm"
format = "transformers"
upstream = "test"
revision = "1"
license = "Apache-2.0"
profiles = ["gpu"]
[model.source]
kind = "hub"
hub = "test/gross"
[[model.files]]
path = "config.json"
sha256 = ""
size = 0
[[model.files]]
path = "model.safetensors"
sha256 = ""
size = 0

[[model]]
id = "whisper-test"
role = "transcription"
format = "ctranslate2"
upstream = "test"
revision = "1"
license = "MIT"
profiles = ["cpu"]
[model.source]
kind = "hub"
hub = "test/whisper"
[[model.files]]
path = "model.bin"
sha256 = ""
size = 0
"""


@pytest.fixture
def store(tmp_path: Path) -> ModelStore:
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    models = tmp_path / "models"
    store = ModelStore(models, manifest)
    for model_id, files in {
        "klein-gguf": ["model.gguf"],
        "gross-hf": ["config.json", "model.safetensors"],
        "whisper-test": ["model.bin"],
    }.items():
        target = models / model_id
        target.mkdir(parents=True)
        for name in files:
            (target / name).write_bytes(f"{model_id}/{name}".encode())
        store.pin(model_id)
    return store


@pytest.fixture
def fake_llama_cpp(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    fake = SimpleNamespace(
        __version__="0.0-test",
        llama_supports_gpu_offload=lambda: False,
    )
    monkeypatch.setattr(llamacpp, "_import_llama_cpp", lambda: fake)
    return fake


def settings_with(**llm: Any) -> Settings:
    return Settings.model_validate({"llm": llm})


def test_none_builds_nothing(store: ModelStore) -> None:
    assert build_llm(settings_with(backend="none"), store) is None


def test_openai_needs_no_local_model(store: ModelStore) -> None:
    llm = build_llm(
        settings_with(backend="openai", model="gibt-es-nicht", base_url="http://h:1/v1"), store
    )
    assert isinstance(llm, OpenAICompatibleLLM)


def test_llamacpp_gets_the_verified_model(
    store: ModelStore, fake_llama_cpp: SimpleNamespace
) -> None:
    llm = build_llm(settings_with(backend="llamacpp", model="klein-gguf", device="cpu"), store)
    assert isinstance(llm, LlamaCppLLM)
    assert llm.model_path == store.model_dir("klein-gguf") / "model.gguf"
    assert llm.info.sha256 == store.resolve("klein-gguf").sha256
    assert llm.info.device == "cpu"


def test_transformers_gets_the_verified_model(
    store: ModelStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    llm = build_llm(settings_with(backend="transformers", model="gross-hf"), store)
    assert isinstance(llm, TransformersLLM)
    assert set(llm.info.parameters["files"]) == {"config.json", "model.safetensors"}


def test_altered_model_file_is_refused(store: ModelStore, fake_llama_cpp: SimpleNamespace) -> None:
    (store.model_dir("klein-gguf") / "model.gguf").write_bytes(b"anders")
    with pytest.raises(ModelError, match="beschädigt oder verändert"):
        build_llm(settings_with(backend="llamacpp", model="klein-gguf"), store)


@pytest.mark.parametrize(
    ("backend", "model", "phrase"),
    [
        ("transformers", "klein-gguf", "im Format „transformers“ braucht"),
        ("llamacpp", "gross-hf", "im Format „gguf“ braucht"),
        ("llamacpp", "whisper-test", "Rolle „transcription“"),
        ("llamacpp", "unbekannt", "steht nicht im Manifest"),
    ],
)
def test_model_must_fit_the_backend(
    store: ModelStore, backend: str, model: str, phrase: str
) -> None:
    with pytest.raises(ModelError, match=phrase):
        build_llm(settings_with(backend=backend, model=model), store)


def test_uninstalled_model_names_the_install_command(tmp_path: Path) -> None:
    store = ModelStore(tmp_path / "leer", ROOT / "models" / "manifest.toml")
    with pytest.raises(ModelError, match="protokoll models install"):
        build_llm(settings_with(backend="llamacpp"), store)


def test_manifest_describes_both_profile_llms() -> None:
    manifest = load_manifest(ROOT / "models" / "manifest.toml")
    cpu = load_settings(ROOT / "config.toml", environ={})
    gpu = load_settings(ROOT / "config.toml", environ={"PROTOKOLL_PROFILE": "gpu"})
    small, large = manifest[cpu.llm.model], manifest[gpu.llm.model]
    assert (small.role, small.format, small.source_kind) == ("llm", "gguf", "pypi")
    assert small.files[0].sha256 == (
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    )
    assert small.files[0].size == 1_117_320_768
    assert len(small.packages) == len(small.files[0].concat) == 22
    assert (large.role, large.format, large.source_kind) == ("llm", "transformers", "hub")
    assert "model.safetensors.index.json" in [f.path for f in large.files]
    assert all(f.sha256 == "" for f in large.files)  # pinned on first install


def test_models_for_settings_includes_local_llms() -> None:
    cpu = load_settings(ROOT / "config.toml", environ={})
    assert models_for_settings(cpu)[-1] == "qwen2.5-coder-1.5b-instruct-q4km"
    gpu = load_settings(ROOT / "config.toml", environ={"PROTOKOLL_PROFILE": "gpu"})
    assert models_for_settings(gpu)[-1] == "qwen2.5-7b-instruct"
    for backend in ("openai", "none"):
        env = {"PROTOKOLL_LLM__BACKEND": backend}
        ids = models_for_settings(load_settings(ROOT / "config.toml", environ=env))
        assert "qwen2.5-coder-1.5b-instruct-q4km" not in ids
