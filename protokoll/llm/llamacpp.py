"""The embedded language model: a GGUF file run by llama.cpp (llama-cpp-python).

The model is loaded from its verified local path only (nothing is fetched),
on first use. With a JSON schema the output is constrained by a grammar that
llama-cpp-python derives from the schema; callers still validate the result
(`protokoll.llm.json_output`), because a schema the grammar converter cannot
handle falls back to "any JSON".

On CPU all cores available to the process are used (or `llm.threads`). With
`device = "cuda"` (or `auto` and a llama-cpp-python built with CUDA) every
layer is offloaded to the GPU.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import logging
import sys
import threading
import time
from typing import Any

from protokoll.config import LLMSettings
from protokoll.devices import cpu_threads
from protokoll.errors import ModelError, StageError
from protokoll.llm.base import ChatMessage, Generation, LLMInfo
from protokoll.modelstore import ResolvedModel

log = logging.getLogger(__name__)

BACKEND = "llama.cpp"
GGUF_FILE = "model.gguf"
INSTALL_HINT = (
    "Bitte scripts/install.sh ausführen (baut llama-cpp-python für diese CPU) oder "
    "„pip install llama-cpp-python“."
)


def _import_llama_cpp() -> Any:
    try:
        # lazy: llama.cpp's library is loaded only when the embedded LLM runs
        import llama_cpp
    except ImportError as exc:
        raise ModelError(
            f"Das Sprachmodell-Backend „llamacpp“ braucht das Paket llama-cpp-python, das "
            f"nicht geladen werden kann ({exc}). {INSTALL_HINT}"
        ) from None
    _close_devnull_at_exit()
    return llama_cpp


@functools.cache
def _close_devnull_at_exit() -> None:
    """llama_cpp._utils opens /dev/null twice at import (to silence model loading) and
    never closes it: a ResourceWarning at interpreter exit, an error where warnings are
    errors (the test suite). The files are only used while a model loads."""

    def close() -> None:
        utils = sys.modules.get("llama_cpp._utils")
        for name in ("outnull_file", "errnull_file"):
            handle = getattr(utils, name, None)
            if handle is not None and hasattr(handle, "close"):
                handle.close()

    atexit.register(close)


def _gpu_layers(device: str, llama_cpp: Any) -> int:
    """-1 (all layers on the GPU) or 0 (CPU) for the configured device."""
    supports_gpu = bool(llama_cpp.llama_supports_gpu_offload())
    if device == "cpu":
        return 0
    if device == "cuda":
        if not supports_gpu:
            raise ModelError(
                "llm.device = „cuda“, aber llama-cpp-python ist ohne GPU-Unterstützung gebaut. "
                'Mit CMAKE_ARGS="-DGGML_CUDA=on" neu installieren oder llm.device = „cpu“ setzen.'
            )
        return -1
    return -1 if supports_gpu else 0


class LlamaCppLLM:
    """`LLM` implementation for GGUF models (profile "cpu": Qwen2.5-Coder-1.5B Q4_K_M)."""

    def __init__(self, model: ResolvedModel, settings: LLMSettings) -> None:
        if model.entry.format != "gguf":
            raise ModelError(
                f"Modell „{model.entry.id}“ hat das Format „{model.entry.format}“; das Backend "
                "„llamacpp“ lädt nur GGUF-Dateien."
            )
        self.model_ref = model
        self.settings = settings
        self.model_path = model.path / GGUF_FILE
        if not self.model_path.is_file():
            self.model_path = model.path / model.entry.files[0].path
        llama_cpp = _import_llama_cpp()
        self.n_gpu_layers = _gpu_layers(settings.device, llama_cpp)
        self.threads = cpu_threads(settings.threads)
        self.info = LLMInfo(
            backend=BACKEND,
            model=model.entry.id,
            sha256=model.sha256,
            device="cuda" if self.n_gpu_layers else "cpu",
            context_tokens=settings.context_tokens,
            parameters={
                "llama_cpp_python": getattr(llama_cpp, "__version__", "?"),
                "n_gpu_layers": self.n_gpu_layers,
                "threads": self.threads,
                "seed": settings.seed,
                "temperature": settings.temperature,
            },
        )
        self._llama: Any = None
        self._lock = threading.Lock()
        self.load_seconds: float | None = None

    # ---- loading -------------------------------------------------------------------------

    def load(self) -> None:
        """Load the model now (otherwise it is loaded on first use)."""
        with self._lock:
            self._load_locked()

    def _load_locked(self) -> Any:
        if self._llama is not None:
            return self._llama
        llama_cpp = _import_llama_cpp()
        start = time.perf_counter()
        try:
            self._llama = llama_cpp.Llama(
                model_path=str(self.model_path),
                n_ctx=self.settings.context_tokens,
                n_threads=self.threads,
                n_threads_batch=self.threads,
                n_gpu_layers=self.n_gpu_layers,
                seed=self.settings.seed,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(
                f"Sprachmodell „{self.model_ref.entry.id}“ ({self.model_path}) konnte nicht "
                f"geladen werden: {exc}"
            ) from None
        self.load_seconds = time.perf_counter() - start
        system = llama_cpp.llama_print_system_info()
        self.info.parameters["system_info"] = (
            system.decode("utf-8", "replace").strip() if isinstance(system, bytes) else str(system)
        )
        log.info(
            "Sprachmodell %s geladen (%.1f s, %s, %d Threads)",
            self.model_ref.entry.id,
            self.load_seconds,
            self.info.device,
            self.threads,
        )
        return self._llama

    def close(self) -> None:
        with self._lock:
            if self._llama is not None:
                self._llama.close()
                self._llama = None

    # ---- the LLM interface ---------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        """Tokens of `text` by the model's own tokenizer (no BOS, special tokens as text)."""
        if not text:
            return 0
        with self._lock:
            llama = self._load_locked()
            return len(llama.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def generate(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        json_schema: dict[str, Any] | None = None,
    ) -> Generation:
        kwargs: dict[str, Any] = {
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "temperature": temperature,
            "max_tokens": max_tokens,
            "seed": self.settings.seed,
        }
        if json_schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": json_schema}
        with self._lock:
            llama = self._load_locked()
            llama_cpp = _import_llama_cpp()
            _perf_reset(llama_cpp, llama)
            start = time.perf_counter()
            try:
                response = llama.create_chat_completion(**kwargs)
            except ValueError as exc:
                if "exceed context window" in str(exc):
                    raise StageError(
                        f"Der Text ist zu lang für das Kontextfenster des Sprachmodells "
                        f"({self.settings.context_tokens} Token inklusive {max_tokens} Token "
                        f"Antwort): {exc}"
                    ) from None
                raise StageError(f"Das Sprachmodell ist fehlgeschlagen: {exc}") from None
            except RuntimeError as exc:
                raise StageError(f"Das Sprachmodell ist fehlgeschlagen: {exc}") from None
            seconds = time.perf_counter() - start
            prompt_seconds = _prompt_seconds(llama_cpp, llama)
        try:
            choice = response["choices"][0]
            text = choice["message"]["content"] or ""
            usage = response.get("usage") or {}
            finish = choice.get("finish_reason") or "stop"
        except (KeyError, IndexError, TypeError) as exc:
            raise StageError(f"Unerwartete Antwort von llama.cpp ({exc!r}).") from None
        return Generation(
            text=text,
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
            seconds=seconds,
            finish_reason="length" if finish == "length" else "stop",
            prompt_seconds=prompt_seconds,
        )


def _perf_reset(llama_cpp: Any, llama: Any) -> None:
    with contextlib.suppress(AttributeError, TypeError, ValueError):  # other versions
        llama_cpp.llama_perf_context_reset(llama.ctx)


def _prompt_seconds(llama_cpp: Any, llama: Any) -> float | None:
    """Prefill time of the last call from llama.cpp's performance counters."""
    try:
        data = llama_cpp.llama_perf_context(llama.ctx)
        return float(data.t_p_eval_ms) / 1000.0 if data.n_p_eval > 0 else 0.0
    except (AttributeError, TypeError, ValueError):  # pragma: no cover - other versions
        return None
