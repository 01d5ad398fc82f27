"""The transformers backend: its logic with a fake tokenizer and model; a real GPU test."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import torch

from protokoll.config import LLMSettings, load_settings
from protokoll.errors import ModelError, StageError
from protokoll.llm import transformers_backend
from protokoll.llm.base import ChatMessage
from protokoll.llm.json_output import parse_json_output
from protokoll.llm.transformers_backend import TransformersLLM, combined_sha256
from protokoll.modelstore import ModelEntry, ModelFile, ResolvedModel

ROOT = Path(__file__).resolve().parents[3]
EOS = 99
IM_END = 98
PROMPT_IDS = [1, 2, 3, 4, 5]


class FakeTokenizer:
    eos_token_id = EOS
    pad_token_id = None

    def __init__(self, vocabulary: dict[int, str]) -> None:
        self.vocabulary = vocabulary
        self.chats: list[list[dict[str, str]]] = []

    def apply_chat_template(self, chat: list[dict[str, str]], **kwargs: Any) -> dict[str, Any]:
        assert kwargs == {
            "add_generation_prompt": True,
            "return_tensors": "pt",
            "return_dict": True,
        }
        self.chats.append(chat)
        ids = torch.tensor([PROMPT_IDS])
        return {"input_ids": ids, "attention_mask": torch.ones_like(ids)}

    def __call__(self, text: str, add_special_tokens: bool = True) -> dict[str, list[int]]:
        assert add_special_tokens is False
        return {"input_ids": list(range(len(text.split())))}

    def decode(self, ids: list[int], skip_special_tokens: bool = False) -> str:
        assert skip_special_tokens
        return "".join(self.vocabulary.get(i, "") for i in ids if i not in (EOS, IM_END))


class FakeModel:
    def __init__(self, reply: list[int]) -> None:
        self.reply = reply
        self.calls: list[dict[str, Any]] = []
        self.generation_config = SimpleNamespace(eos_token_id=[IM_END, EOS])
        self.evaluated = False

    def eval(self) -> FakeModel:
        self.evaluated = True
        return self

    def generate(self, input_ids: torch.Tensor, **kwargs: Any) -> torch.Tensor:
        assert torch.is_inference_mode_enabled()
        self.calls.append({"input_ids": input_ids.tolist(), **kwargs})
        new = torch.tensor([self.reply[: kwargs["max_new_tokens"]]], dtype=input_ids.dtype)
        return torch.cat([input_ids, new], dim=1)


class FakeTransformers:
    """Stands in for the transformers module; records how it was called."""

    def __init__(self, reply: list[int], vocabulary: dict[int, str], version: str) -> None:
        self.__version__ = version
        self.tokenizer = FakeTokenizer(vocabulary)
        self.model = FakeModel(reply)
        self.tokenizer_calls: list[tuple[str, dict[str, Any]]] = []
        self.model_calls: list[tuple[str, dict[str, Any]]] = []
        outer = self

        class AutoTokenizer:
            @staticmethod
            def from_pretrained(path: str, **kwargs: Any) -> FakeTokenizer:
                outer.tokenizer_calls.append((path, kwargs))
                return outer.tokenizer

        class AutoModelForCausalLM:
            @staticmethod
            def from_pretrained(path: str, **kwargs: Any) -> FakeModel:
                outer.model_calls.append((path, kwargs))
                return outer.model

        self.AutoTokenizer = AutoTokenizer
        self.AutoModelForCausalLM = AutoModelForCausalLM


def resolved(tmp_path: Path, fmt: str = "transformers") -> ResolvedModel:
    hashes = {"config.json": "a" * 64, "model-00001-of-00004.safetensors": "b" * 64}
    entry = ModelEntry(
        id="qwen2.5-7b-instruct",
        role="llm",
        format=fmt,
        upstream="Qwen/Qwen2.5-7B-Instruct",
        revision="main",
        license="Apache-2.0",
        profiles=("gpu",),
        source_kind="hub",
        packages=(),
        hub="Qwen/Qwen2.5-7B-Instruct",
        files=tuple(ModelFile(path=p, sha256="", size=0) for p in hashes),
    )
    return ResolvedModel(entry=entry, path=tmp_path, sha256="a" * 64, file_hashes=hashes)


@pytest.fixture
def cpu_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)


def install_fake(
    monkeypatch: pytest.MonkeyPatch,
    reply: list[int],
    vocabulary: dict[int, str] | None = None,
    version: str = "4.57.1",
) -> FakeTransformers:
    fake = FakeTransformers(reply, vocabulary or {}, version)
    monkeypatch.setattr(transformers_backend, "_import_transformers", lambda: fake)
    return fake


MESSAGES = [
    ChatMessage("system", "Du extrahierst Abstimmungsergebnisse."),
    ChatMessage("user", "Das sind 14 Ja-Stimmen und 3 Gegenstimmen."),
]
SCHEMA = {
    "type": "object",
    "properties": {"ja": {"type": "integer"}, "nein": {"type": "integer"}},
    "required": ["ja", "nein"],
}


def test_loads_locally_in_float32_on_cpu_and_decodes_greedily(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpu_only: None
) -> None:
    fake = install_fake(monkeypatch, [10, 11, EOS], {10: "Vierzehn", 11: " zu drei."})
    llm = TransformersLLM(resolved(tmp_path), LLMSettings(backend="transformers", seed=3))
    assert fake.model_calls == []  # nothing is loaded before the first use

    result = llm.generate(MESSAGES, max_tokens=20)

    assert result.text == "Vierzehn zu drei."
    assert (result.prompt_tokens, result.completion_tokens) == (len(PROMPT_IDS), 3)
    assert result.finish_reason == "stop"
    [(path, kwargs)] = fake.model_calls
    assert path == str(tmp_path)
    assert kwargs == {"local_files_only": True, "dtype": torch.float32}
    assert fake.tokenizer_calls == [(str(tmp_path), {"local_files_only": True})]
    assert fake.model.evaluated
    [call] = fake.model.calls
    assert call["input_ids"] == [PROMPT_IDS]
    assert call["max_new_tokens"] == 20
    assert call["do_sample"] is False
    assert call["temperature"] is None and call["top_p"] is None and call["top_k"] is None
    assert call["pad_token_id"] == EOS
    assert fake.tokenizer.chats[0] == [
        {"role": "system", "content": "Du extrahierst Abstimmungsergebnisse."},
        {"role": "user", "content": "Das sind 14 Ja-Stimmen und 3 Gegenstimmen."},
    ]
    assert llm.info.backend == "transformers"
    assert llm.info.device == "cpu"
    assert llm.info.parameters["dtype"] == "float32"
    assert llm.info.sha256 == combined_sha256(resolved(tmp_path).file_hashes)
    assert llm.load_seconds is not None


def test_older_transformers_gets_torch_dtype(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpu_only: None
) -> None:
    fake = install_fake(monkeypatch, [EOS], version="4.48.0")
    TransformersLLM(resolved(tmp_path), LLMSettings(backend="transformers")).load()
    assert fake.model_calls[0][1] == {"local_files_only": True, "torch_dtype": torch.float32}


def test_sampling_with_temperature_seeds_torch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpu_only: None
) -> None:
    fake = install_fake(monkeypatch, [10, EOS], {10: "x"})
    seeds: list[int] = []
    monkeypatch.setattr(torch, "manual_seed", lambda s: seeds.append(s))
    llm = TransformersLLM(resolved(tmp_path), LLMSettings(backend="transformers", seed=42))
    llm.generate(MESSAGES, max_tokens=5, temperature=0.7)
    call = fake.model.calls[0]
    assert call["do_sample"] is True
    assert call["temperature"] == 0.7
    assert "top_p" not in call
    assert seeds == [42]


def test_cut_off_at_max_tokens_is_length(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpu_only: None
) -> None:
    install_fake(monkeypatch, [10, 10, 10, 10, EOS], {10: "bla "})
    llm = TransformersLLM(resolved(tmp_path), LLMSettings(backend="transformers"))
    result = llm.generate(MESSAGES, max_tokens=3)
    assert result.completion_tokens == 3
    assert result.finish_reason == "length"
    # ended by an end-of-turn token exactly at the limit: that is a stop
    install_fake(monkeypatch, [10, 10, IM_END], {10: "bla "})
    llm = TransformersLLM(resolved(tmp_path), LLMSettings(backend="transformers"))
    assert llm.generate(MESSAGES, max_tokens=3).finish_reason == "stop"


def test_json_schema_instructs_and_cleans_the_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpu_only: None
) -> None:
    vocabulary = {10: "Gern:\n```json\n", 11: '{"ja": 14, "nein": 3}', 12: "\n```\nFertig."}
    fake = install_fake(monkeypatch, [10, 11, 12, EOS], vocabulary)
    llm = TransformersLLM(resolved(tmp_path), LLMSettings(backend="transformers"))
    result = llm.generate(MESSAGES, max_tokens=50, json_schema=SCHEMA)
    assert json.loads(result.text) == {"ja": 14, "nein": 3}
    assert parse_json_output(result.text, SCHEMA) == {"ja": 14, "nein": 3}
    system = fake.tokenizer.chats[0][0]
    assert system["role"] == "system"
    assert system["content"].startswith("Du extrahierst Abstimmungsergebnisse.\n\n")
    assert "Antworte ausschließlich mit einem JSON-Objekt" in system["content"]
    assert '"required":["ja","nein"]' in system["content"]
    assert len(fake.tokenizer.chats[0]) == 2


def test_json_schema_without_system_message_adds_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpu_only: None
) -> None:
    fake = install_fake(monkeypatch, [10, EOS], {10: "kein JSON"})
    llm = TransformersLLM(resolved(tmp_path), LLMSettings(backend="transformers"))
    result = llm.generate(MESSAGES[1:], max_tokens=5, json_schema=SCHEMA)
    assert result.text == "kein JSON"  # left for the caller's validation to report
    chat = fake.tokenizer.chats[0]
    assert [m["role"] for m in chat] == ["system", "user"]
    assert "JSON-Schema" in chat[0]["content"]


def test_prompt_longer_than_the_context_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpu_only: None
) -> None:
    fake = install_fake(monkeypatch, [EOS])
    settings = LLMSettings(backend="transformers", context_tokens=1024)
    llm = TransformersLLM(resolved(tmp_path), settings)
    with pytest.raises(StageError, match=r"5 Token Eingabe \+ 1020 Token Antwort > 1024"):
        llm.generate(MESSAGES, max_tokens=1020)
    assert fake.model.calls == []


def test_count_tokens_uses_only_the_tokenizer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpu_only: None
) -> None:
    fake = install_fake(monkeypatch, [EOS])
    llm = TransformersLLM(resolved(tmp_path), LLMSettings(backend="transformers"))
    assert llm.count_tokens("Der Rat beschließt einstimmig.") == 4
    assert llm.count_tokens("") == 0
    assert fake.model_calls == []


def test_cuda_uses_bfloat16_on_the_gpu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: True)
    fake = install_fake(monkeypatch, [EOS])
    llm = TransformersLLM(resolved(tmp_path), LLMSettings(backend="transformers", device="auto"))
    llm.load()
    assert llm.info.device == "cuda"
    assert fake.model_calls[0][1] == {
        "local_files_only": True,
        "dtype": torch.bfloat16,
        "device_map": "cuda",
    }
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: False)
    llm = TransformersLLM(resolved(tmp_path), LLMSettings(backend="transformers"))
    assert llm.info.parameters["dtype"] == "float16"


def test_cuda_requested_without_a_gpu(tmp_path: Path, cpu_only: None) -> None:
    with pytest.raises(ModelError, match="PyTorch findet keine CUDA-GPU"):
        TransformersLLM(resolved(tmp_path), LLMSettings(backend="transformers", device="cuda"))


def test_wrong_format_is_refused(tmp_path: Path, cpu_only: None) -> None:
    with pytest.raises(ModelError, match="lädt nur Hugging-Face-Modellverzeichnisse"):
        TransformersLLM(resolved(tmp_path, fmt="gguf"), LLMSettings(backend="transformers"))


def test_missing_transformers_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpu_only: None
) -> None:
    monkeypatch.setitem(sys.modules, "transformers", None)  # import fails
    llm = TransformersLLM(resolved(tmp_path), LLMSettings(backend="transformers"))
    with pytest.raises(ModelError) as info:
        llm.generate(MESSAGES, max_tokens=5)
    assert "Extra „gpu“" in str(info.value)
    assert 'pip install -e ".[gpu]"' in str(info.value)


def test_loader_errors_become_model_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpu_only: None
) -> None:
    fake = install_fake(monkeypatch, [EOS])

    def broken(path: str, **kwargs: Any) -> None:
        raise OSError("model-00003-of-00004.safetensors: unexpected end of file")

    monkeypatch.setattr(fake.AutoModelForCausalLM, "from_pretrained", broken)
    llm = TransformersLLM(resolved(tmp_path), LLMSettings(backend="transformers"))
    with pytest.raises(ModelError, match="konnte nicht geladen werden: model-00003"):
        llm.load()


def test_combined_hash_depends_on_every_file() -> None:
    one = combined_sha256({"a": "1" * 64, "b": "2" * 64})
    assert one == combined_sha256({"b": "2" * 64, "a": "1" * 64})
    assert one != combined_sha256({"a": "1" * 64, "b": "3" * 64})


@pytest.mark.gpu
def test_real_model_on_the_gpu() -> None:
    if not torch.cuda.is_available():
        pytest.skip("no CUDA GPU on this machine")
    from protokoll.llm.factory import build_llm
    from protokoll.pipeline.build import model_store

    settings = load_settings(ROOT / "config.toml", environ={"PROTOKOLL_PROFILE": "gpu"})
    store = model_store(settings, ROOT)
    if not store.is_installed(settings.llm.model):
        pytest.fail(
            f"Modell {settings.llm.model} fehlt: Dateien nach models/{settings.llm.model}/ "
            f"kopieren und `protokoll models pin {settings.llm.model}` ausführen"
        )
    llm = build_llm(settings, store)
    assert isinstance(llm, TransformersLLM)
    result = llm.generate(
        [ChatMessage("user", "Das sind 14 Ja-Stimmen und 3 Gegenstimmen.")],
        max_tokens=60,
        json_schema=SCHEMA,
    )
    assert parse_json_output(result.text, SCHEMA) == {"ja": 14, "nein": 3}
    assert llm.info.device == "cuda"
    assert llm.count_tokens("Der Gemeinderat beschließt.") > 0
