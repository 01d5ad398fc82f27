"""The production LLM backend (transformers) on tiny Qwen2 models with the real Qwen2.5 tokenizer.

The GPU profile writes the minutes with `qwen2.5-7b-instruct` through
`TransformersLLM`. Its weights are in no package registry, so these tests build a
model directory in the manifest's layout (config, Qwen2.5-7B-Instruct's generation
config, the real Qwen2.5 tokenizer and chat template taken from the embedded GGUF,
four safetensors shards and their index; `bench/production_models/llm.py`) with
a tiny Qwen2 network, pin it with the real manifest and build the backend through
the project's factory with the GPU profile (on the CPU):

* random weights: generation through the real chat template; never stop, never JSON,
  so the minutes stage must keep its rule-based results and flag the AI parts;
* a tiny model trained to answer every chat with one fixed text (JSON between two
  sentences): the backend must cut the JSON out of real `generate` output, and the
  minutes stage must take the Verlauf sentence from it.

The tokenizer comes from the embedded model (`protokoll models install`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.production_models.llm import (
    IM_END_ID,
    MODEL_ID,
    answer_tokens,
    build_answering_qwen2,
    build_qwen2,
    parameter_count,
    save_qwen_tokenizer,
)
from protokoll.config import Settings, load_settings
from protokoll.domain.agenda import load_agenda
from protokoll.domain.minutes import Minutes
from protokoll.domain.transcript import Transcript
from protokoll.llm.base import ChatMessage, Generation
from protokoll.llm.json_output import JSONOutputError, parse_json_output, schema_instruction
from protokoll.llm.transformers_backend import TransformersLLM, combined_sha256
from protokoll.minutes.draft import VOTE_SCHEMA, MinutesDrafter
from protokoll.minutes.verlauf import VERLAUF_SCHEMA
from protokoll.modelstore import INSTALL_RECORD
from protokoll.pipeline.build import build_llm, model_store
from tests.support.minutes_reference import BOUNDARIES, BOUNDARY_TOLERANCE_S, EXPECTED

ROOT = Path(__file__).resolve().parents[2]
GGUF = ROOT / "models" / "qwen2.5-coder-1.5b-instruct-q4km" / "model.gguf"
TRANSCRIPT = ROOT / "tests" / "data" / "sitzung.transcript.json"
# JSON between two sentences; spaced so that every token has one successor (a model that
# ignores the prompt can learn it: see `train_fixed_answer`)
ANSWER = 'Antwort: {"beitraege":[{"nr":1,"saetze":["Der Rat beriet."]}] } Ende.'
ANSWER_JSON = {"beitraege": [{"nr": 1, "saetze": ["Der Rat beriet."]}]}
# random weights never stop: every call costs its whole token budget
MAX_OUTPUT_TOKENS = 32

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", autouse=True)
def one_thread() -> Iterator[None]:
    """A tiny model gains nothing from more threads; on a busy CPU, threads waiting for
    each other make it several times slower."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def qwen_tokenizer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Qwen2.5 tokenizer files (tokenizer.json, tokenizer_config.json), once a session."""
    if not GGUF.exists():
        pytest.fail(f"{GGUF} missing: run `protokoll models install` first")
    return save_qwen_tokenizer(GGUF, tmp_path_factory.mktemp("qwen-tokenizer"))


def _settings(models_dir: Path, **env: str) -> Settings:
    environ = {
        "PROTOKOLL_PROFILE": "gpu",
        "PROTOKOLL_LLM__DEVICE": "cpu",
        "PROTOKOLL_MODELS__DIR": str(models_dir),
        "PROTOKOLL_LLM__MAX_OUTPUT_TOKENS": str(MAX_OUTPUT_TOKENS),
        **env,
    }
    return load_settings(ROOT / "config.toml", environ)


def _backend(models_dir: Path) -> TransformersLLM:
    """The GPU profile's LLM from `models_dir`, pinned with the real manifest and built by
    the project's factory."""
    settings = _settings(models_dir)
    assert (settings.llm.backend, settings.llm.model) == ("transformers", MODEL_ID)
    store = model_store(settings, ROOT)
    assert store.manifest_path == ROOT / "models" / "manifest.toml"
    store.pin(MODEL_ID)
    llm = build_llm(settings, store)
    assert isinstance(llm, TransformersLLM)
    llm.load()
    return llm


@pytest.fixture(scope="module")
def random_llm(qwen_tokenizer: Path, tmp_path_factory: pytest.TempPathFactory) -> TransformersLLM:
    models = tmp_path_factory.mktemp("random-models")
    build_qwen2(models / MODEL_ID, tokenizer_dir=qwen_tokenizer, seed=0)
    return _backend(models)


@pytest.fixture(scope="module")
def answering_llm(
    qwen_tokenizer: Path, tmp_path_factory: pytest.TempPathFactory
) -> TransformersLLM:
    models = tmp_path_factory.mktemp("answering-models")
    build_answering_qwen2(models / MODEL_ID, ANSWER, tokenizer_dir=qwen_tokenizer, seed=0)
    return _backend(models)


class SeenByModel:
    """Records what the backend passes to `model.generate` and what it returns."""

    def __init__(self, model: Any) -> None:
        self.inner = model.generate
        self.calls: list[tuple[list[int], dict[str, Any], list[int]]] = []

    def __call__(self, input_ids: Any, **kwargs: Any) -> Any:
        output = self.inner(input_ids, **kwargs)
        self.calls.append((input_ids[0].tolist(), kwargs, output[0].tolist()))
        return output


@pytest.fixture
def seen(random_llm: TransformersLLM, monkeypatch: pytest.MonkeyPatch) -> SeenByModel:
    spy = SeenByModel(random_llm._model)
    monkeypatch.setattr(random_llm._model, "generate", spy)
    return spy


class RecordingLLM:
    """Passes calls to the backend and keeps each answer."""

    def __init__(self, inner: TransformersLLM) -> None:
        self.inner = inner
        self.info = inner.info
        self.answers: list[tuple[int, Generation]] = []

    def generate(self, messages: list[ChatMessage], **kwargs: Any) -> Generation:
        generation = self.inner.generate(messages, **kwargs)
        self.answers.append((kwargs["max_tokens"], generation))
        return generation

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)


def _draft(llm: TransformersLLM, protocol_type: str = "verlauf") -> tuple[Minutes, RecordingLLM]:
    settings = _settings(llm.model_ref.path.parent, PROTOKOLL_MINUTES__PROTOCOL_TYPE=protocol_type)
    recording = RecordingLLM(llm)
    agenda = load_agenda(ROOT / "samples" / "agenda.toml")
    drafter = MinutesDrafter(agenda, settings.minutes, recording, settings.llm.max_output_tokens)
    transcript = Transcript.from_dict(json.loads(TRANSCRIPT.read_text(encoding="utf-8")))
    return drafter.draft(transcript), recording


def _rules_kept(minutes: Minutes) -> None:
    assert [i.number for i in minutes.items] == ["1", "2", "3", "4"]
    for item in minutes.items:
        assert item.start_s == pytest.approx(BOUNDARIES[item.number], abs=BOUNDARY_TOLERANCE_S)
        result, counts = EXPECTED[item.number]
        assert item.result == result, item.number
        votes = item.votes
        assert (votes.yes, votes.no, votes.abstain, votes.biased) == counts, item.number
    resolution = minutes.items[1].resolution_text
    assert resolution is not None and resolution.startswith("Der Rat beschließt die Sanierung")


def _audit_names_the_backend(minutes: Minutes, llm: TransformersLLM) -> None:
    (entry,) = [m for m in minutes.models if m["stage"] == "minutes"]
    assert entry["name"] == MODEL_ID
    assert entry["parameters"]["backend"] == "transformers"
    assert entry["device"] == "cpu" and entry["parameters"]["dtype"] == "float32"
    record = json.loads((llm.model_ref.path / INSTALL_RECORD).read_text(encoding="utf-8"))
    files = entry["parameters"]["files"]
    assert sorted(files) == sorted(f.path for f in llm.model_ref.entry.files)
    assert len(files) == 9  # config, generation config, 2 tokenizer files, 4 shards, index
    assert all(files[path] == digest for path, digest in record["files"].items())
    assert entry["sha256"] == combined_sha256(files)


# ---- the model directory -----------------------------------------------------------------


def test_qwen25_7b_layout_has_its_parameter_count() -> None:
    """The `qwen2.5-7b` architecture (built on the meta device, nothing allocated) has
    Qwen2.5-7B-Instruct's 7.62 billion parameters."""
    assert parameter_count("qwen2.5-7b") == 7_615_616_512


def test_model_directory_is_what_the_manifest_lists(random_llm: TransformersLLM) -> None:
    folder = random_llm.model_ref.path
    listed = {f.path for f in random_llm.model_ref.entry.files}
    assert {p.name for p in folder.iterdir()} == listed | {INSTALL_RECORD}
    tokenizer_config = json.loads((folder / "tokenizer_config.json").read_text(encoding="utf-8"))
    assert "<|im_start|>" in tokenizer_config["chat_template"]
    generation_config = json.loads((folder / "generation_config.json").read_text(encoding="utf-8"))
    assert generation_config["do_sample"] is True  # the backend must decode greedily itself
    assert generation_config["eos_token_id"] == [IM_END_ID, 151643]


# ---- generation --------------------------------------------------------------------------


def test_generation_goes_through_the_qwen_chat_template(
    random_llm: TransformersLLM, seen: SeenByModel
) -> None:
    tokenizer = random_llm._tokenizer
    messages = [
        ChatMessage("system", "Du schreibst Niederschriften."),
        ChatMessage("user", "Der Rat beschließt die Sanierung der Grundschule."),
    ]
    generation = random_llm.generate(messages, max_tokens=12)
    prompt, kwargs, output = seen.calls[-1]
    assert tokenizer.decode(prompt) == (
        "<|im_start|>system\nDu schreibst Niederschriften.<|im_end|>\n"
        "<|im_start|>user\nDer Rat beschließt die Sanierung der Grundschule.<|im_end|>\n"
        "<|im_start|>assistant\n"
    )
    assert generation.prompt_tokens == len(prompt)
    # random weights never write <|im_end|>: the answer is cut off at max_tokens
    assert generation.completion_tokens == 12 == len(output) - len(prompt)
    assert generation.finish_reason == "length"
    assert generation.text == tokenizer.decode(output[len(prompt) :], skip_special_tokens=True)
    assert generation.text.strip()
    # greedy despite Qwen's generation config (do_sample, temperature 0.7, top_k 20,
    # repetition penalty 1.05)
    assert kwargs["do_sample"] is False
    assert kwargs["repetition_penalty"] == 1.0
    assert random_llm.generate(messages, max_tokens=12).text == generation.text
    # the real Qwen2.5 vocabulary ("besch|ließ|t", "San|ierung", ...)
    assert random_llm.count_tokens("Der Rat beschließt die Sanierung der Grundschule.") == 13


def test_json_schema_is_asked_for_in_the_system_message(
    random_llm: TransformersLLM, seen: SeenByModel
) -> None:
    tokenizer = random_llm._tokenizer
    instruction = schema_instruction(VOTE_SCHEMA)
    generation = random_llm.generate(
        [ChatMessage("user", "Der Antrag ist abgelehnt.")], max_tokens=8, json_schema=VOTE_SCHEMA
    )
    prompt = tokenizer.decode(seen.calls[-1][0])
    # in place of Qwen's default system message ("You are Qwen, ...")
    assert prompt == (
        f"<|im_start|>system\n{instruction}<|im_end|>\n"
        "<|im_start|>user\nDer Antrag ist abgelehnt.<|im_end|>\n<|im_start|>assistant\n"
    )
    # unreadable output is passed on as it is, for the caller's validation to report
    assert generation.text == tokenizer.decode(
        seen.calls[-1][2][len(seen.calls[-1][0]) :], skip_special_tokens=True
    )
    with pytest.raises(JSONOutputError):
        parse_json_output(generation.text, VOTE_SCHEMA)


def test_json_is_cut_out_of_the_generated_answer(answering_llm: TransformersLLM) -> None:
    messages = [
        ChatMessage("system", "Fasse die Wortbeiträge zusammen."),
        ChatMessage("user", "TOP 2: Sanierung der Grundschule\n\nWortbeiträge:\n[1] ..."),
    ]
    raw = answering_llm.generate(messages, max_tokens=64)
    assert raw.text == ANSWER  # what the model wrote, <|im_end|> left out
    assert raw.finish_reason == "stop"
    assert raw.completion_tokens == len(answer_tokens(answering_llm._tokenizer, ANSWER))
    parsed = answering_llm.generate(messages, max_tokens=64, json_schema=VERLAUF_SCHEMA)
    assert parsed.finish_reason == "stop"
    assert parsed.text == json.dumps(ANSWER_JSON, ensure_ascii=False)
    assert parse_json_output(parsed.text, VERLAUF_SCHEMA) == ANSWER_JSON


# ---- the minutes stage -------------------------------------------------------------------


@pytest.mark.parametrize("protocol_type", ["verlauf", "ergebnis"])
def test_minutes_with_random_weights_keep_the_rules_and_flag_the_ai_parts(
    random_llm: TransformersLLM, protocol_type: str
) -> None:
    minutes, recording = _draft(random_llm, protocol_type)
    assert recording.answers, "the minutes stage did not ask the model"
    for max_tokens, generation in recording.answers:
        assert (generation.finish_reason, generation.completion_tokens) == ("length", max_tokens)
    _rules_kept(minutes)
    for item in minutes.items:
        kinds = {f.kind for f in item.flags}
        assert {"ki_antwort_unlesbar", "ki_abgeschnitten"} <= kinds, item.number
        assert item.summary == [], item.number  # nothing of the model's output written
    # the model was asked for the resolutions not read out, and gave nothing usable
    for item in (minutes.items[0], minutes.items[3]):
        assert item.resolution_text is None
        assert "beschluss_fehlt" in {f.kind for f in item.flags}
    written = json.dumps(minutes.to_dict(), ensure_ascii=False)
    for _, generation in recording.answers:
        assert generation.text.strip()[:16] not in written
    _audit_names_the_backend(minutes, random_llm)


def test_minutes_take_the_verlauf_from_the_models_json(answering_llm: TransformersLLM) -> None:
    minutes, recording = _draft(answering_llm)
    assert all(g.finish_reason == "stop" for _, g in recording.answers)
    _rules_kept(minutes)
    for item in minutes.items:
        kinds = {f.kind for f in item.flags}
        assert "ki_antwort_unlesbar" not in kinds, item.number
        (sentence,) = item.summary
        assert sentence.text == "Der Rat beriet."
        # the sources are contribution 1's times, within the item
        assert sentence.sources, item.number
        for source in sentence.sources:
            assert item.start_s is not None and item.end_s is not None
            assert item.start_s <= source.start_s <= source.end_s <= item.end_s
        # it names nobody, where contribution 1 is someone's: flagged for the reviewer
        assert [f.kind for f in sentence.flags] == ["sprecher_fehlt"]
    # the answer to "write the resolution" has no "text": no resolution, flagged
    for item in (minutes.items[0], minutes.items[3]):
        assert item.resolution_text is None
        assert "beschluss_fehlt" in {f.kind for f in item.flags}
    _audit_names_the_backend(minutes, answering_llm)
