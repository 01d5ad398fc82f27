"""The interface every language-model backend implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol


@dataclass(frozen=True)
class ChatMessage:
    role: Literal["system", "user", "assistant"]
    content: str


@dataclass(frozen=True)
class Generation:
    text: str
    prompt_tokens: int
    completion_tokens: int
    seconds: float
    finish_reason: str = "stop"  # "stop" or "length" (cut off at max_tokens)
    # time spent reading the prompt (prefill), where the backend measures it; None otherwise
    prompt_seconds: float | None = None

    @property
    def tokens_per_second(self) -> float:
        """Generated tokens per second; excludes the prompt where `prompt_seconds` is known."""
        seconds = self.seconds - (self.prompt_seconds or 0.0)
        return self.completion_tokens / seconds if seconds > 0 else 0.0

    @property
    def prompt_tokens_per_second(self) -> float | None:
        if not self.prompt_seconds:
            return None
        return self.prompt_tokens / self.prompt_seconds


@dataclass(frozen=True)
class LLMInfo:
    """What ran, for the audit trail."""

    backend: str
    model: str
    sha256: str
    device: str
    context_tokens: int
    parameters: dict[str, Any] = field(default_factory=dict)


class LLM(Protocol):
    info: LLMInfo

    def generate(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        json_schema: dict[str, Any] | None = None,
    ) -> Generation:
        """Complete the chat. With `json_schema`, the output is constrained to JSON
        matching it where the backend supports that (llama.cpp grammar, vLLM guided
        decoding); callers still validate the result."""
        ...

    def count_tokens(self, text: str) -> int:
        """Tokens `text` takes in this model's context."""
        ...
