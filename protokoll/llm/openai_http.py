"""A central OpenAI-compatible language-model server (vLLM, llama.cpp server, ...).

Only the standard library is used (`urllib.request`). The request goes to
`{llm.base_url}/chat/completions`; the API key, if any, is read from the
environment variable named by `llm.api_key_env` and sent as a bearer token
(it is never logged or stored). With a JSON schema the request asks for
`response_format = {"type": "json_schema", ...}`, which vLLM and the llama.cpp
server turn into guided decoding; callers still validate the result.

Every failure (server unreachable, timeout, HTTP error, malformed answer)
raises a `StageError` with a German message.
"""

from __future__ import annotations

import json
import math
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from protokoll.config import LLMSettings
from protokoll.errors import ConfigError, StageError
from protokoll.llm.base import ChatMessage, Generation, LLMInfo

BACKEND = "openai"
# German text with a BPE tokenizer of Qwen/Llama size: about 3.5 characters per token.
CHARS_PER_TOKEN = 3.5
_ERROR_BODY_CHARS = 300


class OpenAICompatibleLLM:
    """`LLM` implementation that talks to an OpenAI-compatible HTTP server."""

    def __init__(self, settings: LLMSettings) -> None:
        base_url = settings.base_url.strip().rstrip("/")
        if not base_url:
            raise ConfigError(
                "llm.backend = „openai“ braucht llm.base_url, z. B. "
                "„http://llm.kreis.local:8000/v1“."
            )
        scheme = urllib.parse.urlsplit(base_url).scheme
        if scheme not in ("http", "https"):
            raise ConfigError(
                f"llm.base_url muss mit http:// oder https:// beginnen (angegeben: {base_url})."
            )
        self.settings = settings
        self.base_url = base_url
        self.api_model = settings.api_model.strip()
        self.info = LLMInfo(
            backend=BACKEND,
            model=self.api_model,
            sha256="",  # the server's weights are not visible from here
            device=f"server {base_url}",
            context_tokens=settings.context_tokens,
            parameters={
                "base_url": base_url,
                "seed": settings.seed,
                "temperature": settings.temperature,
                "timeout_s": settings.timeout_s,
            },
        )

    # ---- HTTP ----------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        key = os.environ.get(self.settings.api_key_env, "").strip()
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return headers

    def _request(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        url = f"{self.base_url}/{path}"
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(
            url, data=data, headers=self._headers(), method="GET" if body is None else "POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.settings.timeout_s) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raise StageError(self._http_error_message(url, exc)) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise StageError(self._timeout_message(url)) from None
            raise StageError(
                f"Der Sprachmodell-Server {self.base_url} ist nicht erreichbar ({reason}). "
                "Bitte llm.base_url prüfen und ob der Server läuft."
            ) from None
        except TimeoutError:
            raise StageError(self._timeout_message(url)) from None
        except (ConnectionError, OSError) as exc:
            raise StageError(
                f"Die Verbindung zum Sprachmodell-Server {self.base_url} brach ab ({exc})."
            ) from None
        try:
            parsed = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            snippet = raw[:_ERROR_BODY_CHARS].decode("utf-8", "replace")
            raise StageError(
                f"Der Sprachmodell-Server {url} lieferte kein gültiges JSON: „{snippet}“"
            ) from None
        if not isinstance(parsed, dict):
            raise StageError(f"Der Sprachmodell-Server {url} lieferte eine unerwartete Antwort.")
        return parsed

    def _timeout_message(self, url: str) -> str:
        return (
            f"Der Sprachmodell-Server {url} antwortete nicht innerhalb von "
            f"{self.settings.timeout_s:g} s (llm.timeout_s)."
        )

    def _http_error_message(self, url: str, exc: urllib.error.HTTPError) -> str:
        try:
            body = exc.read()[:_ERROR_BODY_CHARS].decode("utf-8", "replace").strip()
        except OSError:
            body = ""
        message = f"Der Sprachmodell-Server {url} antwortete mit HTTP {exc.code}"
        if exc.code in (401, 403):
            has_key = bool(os.environ.get(self.settings.api_key_env, "").strip())
            message += (
                f" (Zugang verweigert; der API-Schlüssel aus ${self.settings.api_key_env} "
                f"{'wurde abgelehnt' if has_key else 'fehlt'})"
            )
        elif exc.code == 404:
            message += " (Pfad unbekannt; endet llm.base_url auf /v1?)"
        return message + (f": {' '.join(body.split())}" if body else ".")

    def _model_name(self) -> str:
        """The configured model name, else the only model the server offers."""
        if self.api_model:
            return self.api_model
        listing = self._request("models")
        try:
            ids = [str(m["id"]) for m in listing["data"]]
        except (KeyError, TypeError) as exc:
            raise StageError(
                f"Der Sprachmodell-Server {self.base_url} lieferte eine unerwartete "
                f"Modellliste ({exc!r}); bitte llm.api_model setzen."
            ) from None
        if len(ids) != 1:
            offered = ", ".join(ids) or "keine"
            raise StageError(
                f"llm.api_model ist nicht gesetzt und der Sprachmodell-Server bietet nicht genau "
                f"ein Modell an (angeboten: {offered}); bitte llm.api_model setzen."
            )
        self.api_model = ids[0]
        self.info = LLMInfo(
            backend=self.info.backend,
            model=ids[0],
            sha256=self.info.sha256,
            device=self.info.device,
            context_tokens=self.info.context_tokens,
            parameters=self.info.parameters,
        )
        return ids[0]

    # ---- the LLM interface ---------------------------------------------------------------

    def count_tokens(self, text: str) -> int:
        """An estimate: characters / 3.5, rounded up. The server's tokenizer is not asked
        (OpenAI's API has no tokenize endpoint); leave headroom when packing a context."""
        return math.ceil(len(text) / CHARS_PER_TOKEN) if text else 0

    def generate(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        json_schema: dict[str, Any] | None = None,
    ) -> Generation:
        body: dict[str, Any] = {
            "model": self._model_name(),
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "temperature": temperature,
            "max_tokens": max_tokens,
            "seed": self.settings.seed,
        }
        if json_schema is not None:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "antwort", "schema": json_schema},
            }
        start = time.perf_counter()
        response = self._request("chat/completions", body)
        seconds = time.perf_counter() - start
        try:
            choice = response["choices"][0]
            text = choice["message"]["content"]
            finish = choice.get("finish_reason") or "stop"
        except (KeyError, IndexError, TypeError) as exc:
            raise StageError(
                f"Der Sprachmodell-Server {self.base_url} lieferte eine Antwort ohne "
                f"„choices[0].message.content“ ({exc!r})."
            ) from None
        if not isinstance(text, str):
            raise StageError(
                f"Der Sprachmodell-Server {self.base_url} lieferte keinen Antworttext "
                f"(finish_reason: {finish})."
            )
        raw_usage = response.get("usage")
        usage: dict[str, Any] = raw_usage if isinstance(raw_usage, dict) else {}
        prompt_chars = sum(len(m.content) for m in messages)
        try:
            prompt_tokens = int(usage.get("prompt_tokens", 0)) or math.ceil(
                prompt_chars / CHARS_PER_TOKEN
            )
            completion_tokens = int(usage.get("completion_tokens", 0)) or self.count_tokens(text)
        except (TypeError, ValueError):
            prompt_tokens = math.ceil(prompt_chars / CHARS_PER_TOKEN)
            completion_tokens = self.count_tokens(text)
        return Generation(
            text=text,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            seconds=seconds,
            finish_reason="length" if finish == "length" else "stop",
        )
