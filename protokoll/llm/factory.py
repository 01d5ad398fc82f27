"""Building the configured language model (called from `protokoll.pipeline.build`)."""

from __future__ import annotations

from protokoll.config import Settings
from protokoll.errors import ModelError
from protokoll.llm.base import LLM
from protokoll.llm.llamacpp import LlamaCppLLM
from protokoll.llm.openai_http import OpenAICompatibleLLM
from protokoll.llm.transformers_backend import TransformersLLM
from protokoll.modelstore import ModelStore

# which manifest format each local backend loads
BACKEND_FORMATS = {"llamacpp": "gguf", "transformers": "transformers"}


def build_llm(settings: Settings, store: ModelStore) -> LLM | None:
    """The language model of `settings.llm`, or None for backend "none".

    Local backends (llamacpp, transformers) get their model through the store, which
    verifies every file's hash first; nothing is loaded until the first request.
    """
    llm = settings.llm
    if llm.backend == "none":
        return None
    if llm.backend == "openai":
        return OpenAICompatibleLLM(llm)
    entry = store.entry(llm.model)
    wanted = BACKEND_FORMATS[llm.backend]
    if entry.role != "llm" or entry.format != wanted:
        raise ModelError(
            f"Modell „{entry.id}“ (Rolle „{entry.role}“, Format „{entry.format}“) passt nicht "
            f"zum Sprachmodell-Backend „{llm.backend}“, das ein Sprachmodell im Format "
            f"„{wanted}“ braucht; bitte llm.model oder llm.backend ändern."
        )
    model = store.resolve(llm.model)
    if llm.backend == "llamacpp":
        return LlamaCppLLM(model, llm)

    return TransformersLLM(model, llm)
