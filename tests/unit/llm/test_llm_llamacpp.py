"""The llama.cpp backend: its logic with a fake llama_cpp module, and the real GGUF model.

The real-model tests are marked `slow`: they load Qwen2.5-Coder-1.5B (Q4_K_M,
1.1 GB) from `models/` (installed by `protokoll models install`, as in CI)
and take about half a minute on two cores.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, ClassVar

import pytest

from protokoll.config import LLMSettings, load_settings
from protokoll.devices import cpu_threads
from protokoll.errors import ModelError, StageError
from protokoll.llm import llamacpp
from protokoll.llm.base import ChatMessage
from protokoll.llm.json_output import parse_json_output
from protokoll.llm.llamacpp import LlamaCppLLM
from protokoll.modelstore import ModelEntry, ModelFile, ResolvedModel

ROOT = Path(__file__).resolve().parents[3]
MODEL_ID = "qwen2.5-coder-1.5b-instruct-q4km"
VOTES = {
    "type": "object",
    "properties": {"ja": {"type": "integer"}, "nein": {"type": "integer"}},
    "required": ["ja", "nein"],
    "additionalProperties": False,
}
MESSAGES = [
    ChatMessage(
        "system",
        "Du liest Abstimmungsergebnisse aus Sitzungsprotokollen eines Gemeinderats. "
        "Gegenstimmen sind Nein-Stimmen.",
    ),
    ChatMessage("user", "Das sind 14 Ja-Stimmen und 3 Gegenstimmen."),
]


# ---- the logic, with a fake llama_cpp ----------------------------------------------------------


class FakeLlama:
    instances: ClassVar[list[FakeLlama]] = []

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.calls: list[dict[str, Any]] = []
        self.ctx = object()
        self.closed = False
        self.response: Any = {
            "choices": [
                {"message": {"role": "assistant", "content": "Gut."}, "finish_reason": "length"}
            ],
            "usage": {"prompt_tokens": 40, "completion_tokens": 2, "total_tokens": 42},
        }
        self.error: Exception | None = None
        FakeLlama.instances.append(self)

    def create_chat_completion(self, **kwargs: Any) -> Any:
        self.calls.append(kwargs)
        if self.error:
            raise self.error
        return self.response

    def tokenize(self, text: bytes, add_bos: bool = True, special: bool = False) -> list[int]:
        assert (add_bos, special) == (False, False)
        return list(range(len(text.decode().split())))

    def close(self) -> None:
        self.closed = True


def fake_module(gpu: bool = False) -> SimpleNamespace:
    perf = SimpleNamespace(t_p_eval_ms=250.0, n_p_eval=40)
    return SimpleNamespace(
        __version__="0.3.36",
        Llama=FakeLlama,
        llama_supports_gpu_offload=lambda: gpu,
        llama_print_system_info=lambda: b"CPU : AVX2 = 1 | ",
        llama_perf_context_reset=lambda ctx: None,
        llama_perf_context=lambda ctx: perf,
    )


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    module = fake_module()
    monkeypatch.setattr(llamacpp, "_import_llama_cpp", lambda: module)
    FakeLlama.instances.clear()
    return module


def gguf_model(tmp_path: Path, fmt: str = "gguf") -> ResolvedModel:
    (tmp_path / "model.gguf").write_bytes(b"GGUF")
    entry = ModelEntry(
        id="test-gguf",
        role="llm",
        format=fmt,
        upstream="test",
        revision="1",
        license="Apache-2.0",
        profiles=("cpu",),
        source_kind="pypi",
        packages=("x==1",),
        hub="",
        files=(ModelFile(path="model.gguf", sha256="c" * 64, size=4),),
    )
    return ResolvedModel(entry, tmp_path, "c" * 64, {"model.gguf": "c" * 64})


def test_loads_the_local_file_with_the_settings(tmp_path: Path, fake: SimpleNamespace) -> None:
    settings = LLMSettings(context_tokens=4096, seed=5, threads=3, device="auto")
    llm = LlamaCppLLM(gguf_model(tmp_path), settings)
    assert FakeLlama.instances == []  # loaded on first use
    assert llm.info.backend == "llama.cpp"
    assert llm.info.model == "test-gguf"
    assert llm.info.sha256 == "c" * 64
    assert llm.info.device == "cpu"  # auto, and the build has no GPU support
    assert llm.info.context_tokens == 4096
    llm.load()
    llm.load()
    [instance] = FakeLlama.instances
    assert instance.kwargs == {
        "model_path": str(tmp_path / "model.gguf"),
        "n_ctx": 4096,
        "n_threads": 3,
        "n_threads_batch": 3,
        "n_gpu_layers": 0,
        "seed": 5,
        "verbose": False,
    }
    assert llm.info.parameters["system_info"] == "CPU : AVX2 = 1 |"
    assert llm.load_seconds is not None
    llm.close()
    assert instance.closed


def test_threads_default_to_all_available_cores(tmp_path: Path, fake: SimpleNamespace) -> None:
    llm = LlamaCppLLM(gguf_model(tmp_path), LLMSettings(device="cpu"))
    llm.load()
    assert FakeLlama.instances[0].kwargs["n_threads"] == cpu_threads(0)


def test_generate_passes_sampling_and_schema(tmp_path: Path, fake: SimpleNamespace) -> None:
    llm = LlamaCppLLM(gguf_model(tmp_path), LLMSettings(seed=9))
    result = llm.generate(MESSAGES, max_tokens=64, temperature=0.0, json_schema=VOTES)
    [call] = FakeLlama.instances[0].calls
    assert call == {
        "messages": [{"role": m.role, "content": m.content} for m in MESSAGES],
        "temperature": 0.0,
        "max_tokens": 64,
        "seed": 9,
        "response_format": {"type": "json_object", "schema": VOTES},
    }
    assert result.text == "Gut."
    assert (result.prompt_tokens, result.completion_tokens) == (40, 2)
    assert result.finish_reason == "length"
    assert result.prompt_seconds == 0.25
    assert result.prompt_tokens_per_second == 160.0


def test_generate_without_schema_sends_no_response_format(
    tmp_path: Path, fake: SimpleNamespace
) -> None:
    llm = LlamaCppLLM(gguf_model(tmp_path), LLMSettings())
    llm.generate(MESSAGES, max_tokens=8)
    assert "response_format" not in FakeLlama.instances[0].calls[0]


def test_context_overflow_is_a_german_stage_error(tmp_path: Path, fake: SimpleNamespace) -> None:
    llm = LlamaCppLLM(gguf_model(tmp_path), LLMSettings(context_tokens=2048))
    llm.load()
    FakeLlama.instances[0].error = ValueError(
        "Requested tokens (3000) exceed context window of 2048"
    )
    with pytest.raises(StageError, match=r"zu lang für das Kontextfenster.*2048 Token"):
        llm.generate(MESSAGES, max_tokens=100)


def test_malformed_response(tmp_path: Path, fake: SimpleNamespace) -> None:
    llm = LlamaCppLLM(gguf_model(tmp_path), LLMSettings())
    llm.load()
    FakeLlama.instances[0].response = {"choices": []}
    with pytest.raises(StageError, match=r"Unerwartete Antwort von llama\.cpp"):
        llm.generate(MESSAGES, max_tokens=8)


def test_load_failure_is_a_model_error(tmp_path: Path, fake: SimpleNamespace) -> None:
    def broken(**kwargs: Any) -> None:
        raise ValueError("Failed to load model from file")

    fake.Llama = broken
    llm = LlamaCppLLM(gguf_model(tmp_path), LLMSettings())
    with pytest.raises(ModelError, match="konnte nicht geladen werden: Failed to load"):
        llm.count_tokens("Hallo Welt")


def test_count_tokens(tmp_path: Path, fake: SimpleNamespace) -> None:
    llm = LlamaCppLLM(gguf_model(tmp_path), LLMSettings())
    assert llm.count_tokens("") == 0
    assert llm.count_tokens("Der Rat beschließt") == 3


def test_cuda(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llamacpp, "_import_llama_cpp", lambda: fake_module(gpu=True))
    FakeLlama.instances.clear()
    llm = LlamaCppLLM(gguf_model(tmp_path), LLMSettings(device="auto"))
    llm.load()
    assert llm.info.device == "cuda"
    assert FakeLlama.instances[0].kwargs["n_gpu_layers"] == -1
    cpu = LlamaCppLLM(gguf_model(tmp_path), LLMSettings(device="cpu"))
    assert cpu.n_gpu_layers == 0


def test_cuda_requested_from_a_cpu_build(tmp_path: Path, fake: SimpleNamespace) -> None:
    with pytest.raises(ModelError, match="ohne GPU-Unterstützung gebaut"):
        LlamaCppLLM(gguf_model(tmp_path), LLMSettings(device="cuda"))


def test_only_gguf(tmp_path: Path, fake: SimpleNamespace) -> None:
    with pytest.raises(ModelError, match="lädt nur GGUF-Dateien"):
        LlamaCppLLM(gguf_model(tmp_path, fmt="transformers"), LLMSettings())


def test_missing_package_names_the_install_script(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "llama_cpp", None)
    with pytest.raises(ModelError, match=r"llama-cpp-python.*scripts/install\.sh"):
        LlamaCppLLM(gguf_model(tmp_path), LLMSettings())


# ---- the real model ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_llm() -> LlamaCppLLM:
    from protokoll.llm.factory import build_llm
    from protokoll.pipeline.build import model_store

    settings = load_settings(ROOT / "config.toml", environ={"PROTOKOLL_LLM__DEVICE": "cpu"})
    store = model_store(settings, ROOT)
    if not (store.model_dir(MODEL_ID) / "installed.json").exists():
        pytest.fail(f"model {MODEL_ID} missing: run `protokoll models install` first")
    llm = build_llm(settings, store)
    assert isinstance(llm, LlamaCppLLM)
    return llm


@pytest.mark.slow
def test_real_model_extracts_votes_as_json(real_llm: LlamaCppLLM) -> None:
    result = real_llm.generate(MESSAGES, max_tokens=40, temperature=0.0, json_schema=VOTES)
    assert parse_json_output(result.text, VOTES) == {"ja": 14, "nein": 3}, result.text
    assert result.finish_reason == "stop"
    assert result.prompt_tokens > 20
    assert 0 < result.completion_tokens <= 40
    assert result.seconds > 0


@pytest.mark.slow
def test_real_model_counts_tokens(real_llm: LlamaCppLLM) -> None:
    text = "Der Gemeinderat beschließt den Bebauungsplan „Mühlweg“ einstimmig."
    count = real_llm.count_tokens(text)
    assert 5 < count < len(text)


@pytest.mark.slow
def test_real_model_info_is_the_manifest_hash(real_llm: LlamaCppLLM) -> None:
    from protokoll.modelstore import load_manifest

    manifest = load_manifest(ROOT / "models" / "manifest.toml")
    assert real_llm.info.sha256 == manifest[MODEL_ID].files[0].sha256
    assert real_llm.info.backend == "llama.cpp"
    assert real_llm.info.device == "cpu"
    assert real_llm.info.context_tokens == 8192
