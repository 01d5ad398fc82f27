"""GPU language models with Hugging Face transformers (profile "gpu": Qwen2.5-7B-Instruct).

The model directory `models/<id>/` (config, tokenizer, safetensors) is loaded
with `local_files_only=True`; nothing is fetched. On CUDA the weights are
bfloat16 (float16 where the GPU has no bfloat16), on CPU float32. Decoding is
greedy at temperature 0. transformers cannot constrain decoding to a JSON
schema, so with `json_schema` the model is instructed to answer with JSON
matching it, and the JSON is cut out of the answer (code fences, surrounding
text); callers still validate it.

transformers and accelerate are an optional extra: `pip install -e ".[gpu]"`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
import time
from typing import Any

from protokoll.config import LLMSettings
from protokoll.errors import ModelError, StageError
from protokoll.llm.base import ChatMessage, Generation, LLMInfo
from protokoll.llm.json_output import JSONOutputError, extract_json, schema_instruction
from protokoll.modelstore import ResolvedModel

log = logging.getLogger(__name__)

BACKEND = "transformers"
EXTRA_HINT = 'pip install -e ".[gpu]"'


def _import_transformers() -> Any:
    """The transformers module, or a ModelError naming the extra that provides it."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        # lazy: transformers imports torch (seconds); only this backend needs it
        import transformers
    except ImportError:
        raise ModelError(
            "Das Sprachmodell-Backend „transformers“ braucht die optionalen Pakete "
            f"transformers und accelerate (Extra „gpu“): {EXTRA_HINT}"
        ) from None
    return transformers


def _import_torch() -> Any:
    # lazy: torch takes seconds and hundreds of MB to import; only model stages need it
    import torch

    return torch


def combined_sha256(file_hashes: dict[str, str]) -> str:
    """One hash over all files of a multi-file model (path and hash of each, sorted)."""
    lines = "".join(f"{path}\t{digest}\n" for path, digest in sorted(file_hashes.items()))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


class TransformersLLM:
    """`LLM` implementation for Hugging Face model directories."""

    def __init__(self, model: ResolvedModel, settings: LLMSettings) -> None:
        if model.entry.format != "transformers":
            raise ModelError(
                f"Modell „{model.entry.id}“ hat das Format „{model.entry.format}“; das Backend "
                "„transformers“ lädt nur Hugging-Face-Modellverzeichnisse."
            )
        self.model_ref = model
        self.settings = settings
        torch = _import_torch()
        cuda = bool(torch.cuda.is_available())
        if settings.device == "cuda" and not cuda:
            raise ModelError(
                "llm.device = „cuda“, aber PyTorch findet keine CUDA-GPU. "
                "llm.device = „cpu“ setzen oder die CUDA-Version von PyTorch installieren."
            )
        self.device = "cuda" if settings.device != "cpu" and cuda else "cpu"
        if self.device == "cuda":
            self.dtype_name = "bfloat16" if torch.cuda.is_bf16_supported() else "float16"
        else:
            self.dtype_name = "float32"
        self.info = LLMInfo(
            backend=BACKEND,
            model=model.entry.id,
            sha256=combined_sha256(model.file_hashes) if model.file_hashes else model.sha256,
            device=self.device,
            context_tokens=settings.context_tokens,
            parameters={
                "dtype": self.dtype_name,
                "seed": settings.seed,
                "temperature": settings.temperature,
                "files": dict(model.file_hashes),
            },
        )
        self._tokenizer: Any = None
        self._model: Any = None
        self._lock = threading.Lock()
        self.load_seconds: float | None = None

    # ---- loading -------------------------------------------------------------------------

    def _tokenizer_locked(self) -> Any:
        if self._tokenizer is None:
            transformers = _import_transformers()
            try:
                self._tokenizer = transformers.AutoTokenizer.from_pretrained(
                    str(self.model_ref.path), local_files_only=True
                )
            except (OSError, ValueError) as exc:
                raise ModelError(
                    f"Tokenizer von „{self.model_ref.entry.id}“ ({self.model_ref.path}) konnte "
                    f"nicht geladen werden: {exc}"
                ) from None
        return self._tokenizer

    def _model_locked(self) -> Any:
        if self._model is not None:
            return self._model
        transformers = _import_transformers()
        torch = _import_torch()
        self._tokenizer_locked()
        dtype = getattr(torch, self.dtype_name)
        version = _version_tuple(str(getattr(transformers, "__version__", "0")))
        dtype_key = "dtype" if version >= (4, 56) else "torch_dtype"
        kwargs: dict[str, Any] = {"local_files_only": True, dtype_key: dtype}
        if self.device == "cuda":
            kwargs["device_map"] = "cuda"
        start = time.perf_counter()
        try:
            model = transformers.AutoModelForCausalLM.from_pretrained(
                str(self.model_ref.path), **kwargs
            )
        except (OSError, ValueError, RuntimeError) as exc:
            raise ModelError(
                f"Sprachmodell „{self.model_ref.entry.id}“ ({self.model_ref.path}) konnte nicht "
                f"geladen werden: {exc}"
            ) from None
        model.eval()
        self._model = model
        self.load_seconds = time.perf_counter() - start
        self.info.parameters["transformers"] = str(getattr(transformers, "__version__", "?"))
        log.info(
            "Sprachmodell %s geladen (%.1f s, %s, %s)",
            self.model_ref.entry.id,
            self.load_seconds,
            self.device,
            self.dtype_name,
        )
        return model

    def load(self) -> None:
        """Load tokenizer and model now (otherwise on first use)."""
        with self._lock:
            self._model_locked()

    def close(self) -> None:
        with self._lock:
            self._model = None

    # ---- the LLM interface ---------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        if not text:
            return 0
        with self._lock:
            tokenizer = self._tokenizer_locked()
            return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    def _chat(self, messages: list[ChatMessage], json_schema: dict[str, Any] | None) -> list[Any]:
        chat = [{"role": m.role, "content": m.content} for m in messages]
        if json_schema is not None:
            instruction = schema_instruction(json_schema)
            if chat and chat[0]["role"] == "system":
                chat[0] = {"role": "system", "content": chat[0]["content"] + "\n\n" + instruction}
            else:
                chat.insert(0, {"role": "system", "content": instruction})
        return chat

    def generate(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        json_schema: dict[str, Any] | None = None,
    ) -> Generation:
        torch = _import_torch()
        chat = self._chat(messages, json_schema)
        with self._lock:
            model = self._model_locked()
            tokenizer = self._tokenizer
            encoded = tokenizer.apply_chat_template(
                chat, add_generation_prompt=True, return_tensors="pt", return_dict=True
            )
            input_ids = encoded["input_ids"].to(self.device)
            attention_mask = encoded.get("attention_mask")
            prompt_tokens = int(input_ids.shape[-1])
            if prompt_tokens + max_tokens > self.settings.context_tokens:
                raise StageError(
                    f"Der Text ist zu lang für das Kontextfenster des Sprachmodells: "
                    f"{prompt_tokens} Token Eingabe + {max_tokens} Token Antwort > "
                    f"{self.settings.context_tokens} (llm.context_tokens)."
                )
            gen_kwargs: dict[str, Any] = {"max_new_tokens": max_tokens}
            if attention_mask is not None:
                gen_kwargs["attention_mask"] = attention_mask.to(self.device)
            if temperature > 0:
                torch.manual_seed(self.settings.seed)
                gen_kwargs.update(do_sample=True, temperature=temperature)
            else:
                # greedy; override the sampling defaults of the model's generation_config
                gen_kwargs.update(
                    do_sample=False, temperature=None, top_p=None, top_k=None,
                    repetition_penalty=1.0,  # Qwen2.5 ships 1.05: not greedy, and it bends JSON
                )  # fmt: skip
            pad = getattr(tokenizer, "pad_token_id", None)
            gen_kwargs["pad_token_id"] = pad if pad is not None else tokenizer.eos_token_id
            start = time.perf_counter()
            try:
                with torch.inference_mode():
                    output = model.generate(input_ids, **gen_kwargs)
            except RuntimeError as exc:
                raise StageError(f"Das Sprachmodell ist fehlgeschlagen: {exc}") from None
            seconds = time.perf_counter() - start
        new_ids = [int(t) for t in output[0][prompt_tokens:].tolist()]
        eos = _eos_ids(model, tokenizer)
        stopped = bool(new_ids) and new_ids[-1] in eos
        finish = "stop" if stopped or len(new_ids) < max_tokens else "length"
        text = tokenizer.decode(new_ids, skip_special_tokens=True)
        if json_schema is not None:
            # unparsable output is left as it is: the caller's validation reports it
            with contextlib.suppress(JSONOutputError):
                text = json.dumps(extract_json(text), ensure_ascii=False)
        return Generation(
            text=text,
            prompt_tokens=prompt_tokens,
            completion_tokens=len(new_ids),
            seconds=seconds,
            finish_reason=finish,
        )


def _eos_ids(model: Any, tokenizer: Any) -> set[int]:
    ids: set[int] = set()
    config = getattr(model, "generation_config", None)
    for value in (getattr(config, "eos_token_id", None), getattr(tokenizer, "eos_token_id", None)):
        if isinstance(value, int):
            ids.add(value)
        elif isinstance(value, list | tuple):
            ids.update(int(v) for v in value)
    return ids
