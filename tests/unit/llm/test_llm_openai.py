"""The OpenAI-compatible HTTP backend against a real local HTTP server."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from protokoll.config import LLMSettings
from protokoll.errors import ConfigError, StageError
from protokoll.llm.base import ChatMessage
from protokoll.llm.openai_http import OpenAICompatibleLLM

KEY_ENV = "PROTOKOLL_TEST_LLM_KEY"
SCHEMA = {
    "type": "object",
    "properties": {"ja": {"type": "integer"}, "nein": {"type": "integer"}},
    "required": ["ja", "nein"],
}


def completion(content: str | None, finish: str = "stop", usage: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "qwen2.5-7b-instruct",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish,
            }
        ],
    }
    if usage:
        body["usage"] = {"prompt_tokens": 31, "completion_tokens": 9, "total_tokens": 40}
    return body


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    delay_s: float = 0.0
    content_type: str = "application/json"


@dataclass
class FakeServer:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    replies: dict[str, Callable[[], Reply]] = field(default_factory=dict)

    def reply_json(self, path: str, body: object, status: int = 200) -> None:
        data = json.dumps(body).encode()
        self.replies[path] = lambda: Reply(status, data)

    def reply(self, path: str, reply: Reply) -> None:
        self.replies[path] = lambda: reply


@pytest.fixture
def server() -> Iterator[FakeServer]:
    state = FakeServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            state.requests.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": dict(self.headers),
                    "body": json.loads(raw) if raw else None,
                }
            )
            make = state.replies.get(self.path)
            reply = make() if make else Reply(404, b'{"error": "not found"}')
            if reply.delay_s:
                time.sleep(reply.delay_s)
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(reply.body)

        do_GET = _answer
        do_POST = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def make_llm(url: str, **overrides: Any) -> OpenAICompatibleLLM:
    values: dict[str, Any] = {
        "backend": "openai",
        "base_url": url,
        "api_model": "qwen2.5-7b-instruct",
        "api_key_env": KEY_ENV,
        "seed": 7,
        "timeout_s": 5.0,
    }
    values.update(overrides)
    return OpenAICompatibleLLM(LLMSettings(**values))


MESSAGES = [
    ChatMessage("system", "Du extrahierst Abstimmungsergebnisse."),
    ChatMessage("user", "Das sind 14 Ja-Stimmen und 3 Gegenstimmen."),
]


def test_chat_completion_request_and_answer(
    server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, "geheim-123")
    server.reply_json("/v1/chat/completions", completion("Vierzehn zu drei.", "stop"))
    llm = make_llm(server.url + "/")  # a trailing slash is tolerated
    result = llm.generate(MESSAGES, max_tokens=50, temperature=0.0)

    assert result.text == "Vierzehn zu drei."
    assert (result.prompt_tokens, result.completion_tokens) == (31, 9)
    assert result.finish_reason == "stop"
    assert result.seconds > 0
    [request] = server.requests
    assert request["method"] == "POST"
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer geheim-123"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["body"] == {
        "model": "qwen2.5-7b-instruct",
        "messages": [
            {"role": "system", "content": "Du extrahierst Abstimmungsergebnisse."},
            {"role": "user", "content": "Das sind 14 Ja-Stimmen und 3 Gegenstimmen."},
        ],
        "temperature": 0.0,
        "max_tokens": 50,
        "seed": 7,
    }
    assert llm.info.backend == "openai"
    assert llm.info.model == "qwen2.5-7b-instruct"
    assert llm.info.parameters["base_url"] == server.url
    assert "geheim" not in repr(llm.info)


def test_json_schema_is_sent_as_response_format(
    server: FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    server.reply_json("/v1/chat/completions", completion('{"ja": 14, "nein": 3}', "stop"))
    result = make_llm(server.url).generate(MESSAGES, max_tokens=30, json_schema=SCHEMA)
    assert json.loads(result.text) == {"ja": 14, "nein": 3}
    [request] = server.requests
    assert "Authorization" not in request["headers"]
    assert request["body"]["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "antwort", "schema": SCHEMA},
    }


def test_length_finish_and_missing_usage_are_estimated(server: FakeServer) -> None:
    server.reply_json("/v1/chat/completions", completion("a" * 35, "length", usage=False))
    result = make_llm(server.url).generate(MESSAGES, max_tokens=10)
    assert result.finish_reason == "length"
    assert result.completion_tokens == 10  # 35 characters / 3.5
    assert result.prompt_tokens > 0


def test_model_name_from_the_server_when_not_configured(server: FakeServer) -> None:
    server.reply_json("/v1/models", {"object": "list", "data": [{"id": "Qwen/Qwen2.5-7B"}]})
    server.reply_json("/v1/chat/completions", completion("ok"))
    llm = make_llm(server.url, api_model="")
    llm.generate(MESSAGES, max_tokens=5)
    assert [r["path"] for r in server.requests] == ["/v1/models", "/v1/chat/completions"]
    assert server.requests[1]["body"]["model"] == "Qwen/Qwen2.5-7B"
    assert llm.info.model == "Qwen/Qwen2.5-7B"


def test_several_models_on_the_server_need_api_model(server: FakeServer) -> None:
    server.reply_json("/v1/models", {"data": [{"id": "a"}, {"id": "b"}]})
    with pytest.raises(StageError, match=r"angeboten: a, b\); bitte llm.api_model setzen"):
        make_llm(server.url, api_model="").generate(MESSAGES, max_tokens=5)


def test_http_500_is_a_german_stage_error(server: FakeServer) -> None:
    server.reply("/v1/chat/completions", Reply(500, b'{"error": "CUDA out of memory"}'))
    with pytest.raises(StageError) as info:
        make_llm(server.url).generate(MESSAGES, max_tokens=5)
    message = str(info.value)
    assert "antwortete mit HTTP 500" in message
    assert "CUDA out of memory" in message


@pytest.mark.parametrize(("with_key", "phrase"), [(True, "wurde abgelehnt"), (False, "fehlt")])
def test_http_401_names_the_key_variable(
    server: FakeServer, monkeypatch: pytest.MonkeyPatch, with_key: bool, phrase: str
) -> None:
    if with_key:
        monkeypatch.setenv(KEY_ENV, "falsch")
    else:
        monkeypatch.delenv(KEY_ENV, raising=False)
    server.reply("/v1/chat/completions", Reply(401, b"unauthorized"))
    with pytest.raises(StageError) as info:
        make_llm(server.url).generate(MESSAGES, max_tokens=5)
    assert f"${KEY_ENV} {phrase}" in str(info.value)
    assert "falsch" not in str(info.value)


def test_wrong_path_hints_at_v1(server: FakeServer) -> None:
    with pytest.raises(StageError, match=r"HTTP 404 \(Pfad unbekannt; endet llm.base_url auf /v1"):
        make_llm(server.url.removesuffix("/v1")).generate(MESSAGES, max_tokens=5)


def test_invalid_json_answer(server: FakeServer) -> None:
    server.reply("/v1/chat/completions", Reply(200, b"<html>Proxy error</html>", 0, "text/html"))
    with pytest.raises(StageError, match="lieferte kein gültiges JSON: „<html>Proxy error"):
        make_llm(server.url).generate(MESSAGES, max_tokens=5)


@pytest.mark.parametrize(
    "body",
    [{"choices": []}, {"choices": [{"message": {}}]}, {"result": "ok"}, [1, 2]],
)
def test_malformed_answers(server: FakeServer, body: object) -> None:
    server.reply_json("/v1/chat/completions", body)
    with pytest.raises(StageError, match=r"unerwartete Antwort|ohne „choices"):
        make_llm(server.url).generate(MESSAGES, max_tokens=5)


def test_null_content_is_an_error(server: FakeServer) -> None:
    server.reply_json("/v1/chat/completions", completion(None, "length"))
    with pytest.raises(StageError, match=r"keinen Antworttext \(finish_reason: length\)"):
        make_llm(server.url).generate(MESSAGES, max_tokens=5)


def test_timeout(server: FakeServer) -> None:
    server.reply("/v1/chat/completions", Reply(200, json.dumps(completion("x")).encode(), 2.0))
    start = time.monotonic()
    with pytest.raises(StageError, match=r"nicht innerhalb von 0.3 s \(llm.timeout_s\)"):
        make_llm(server.url, timeout_s=0.3).generate(MESSAGES, max_tokens=5)
    assert time.monotonic() - start < 1.9


def test_connection_refused() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and has no listener
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    llm = make_llm(f"http://127.0.0.1:{port}/v1")
    with pytest.raises(StageError) as info:
        llm.generate(MESSAGES, max_tokens=5)
    message = str(info.value)
    assert f"Sprachmodell-Server http://127.0.0.1:{port}/v1 ist nicht erreichbar" in message
    assert "llm.base_url prüfen" in message


@pytest.mark.parametrize(
    ("url", "phrase"),
    [("", "braucht llm.base_url"), ("file:///etc/passwd", "http:// oder https://")],
)
def test_configuration_errors(url: str, phrase: str) -> None:
    with pytest.raises(ConfigError, match=phrase):
        make_llm(url)


def test_count_tokens_is_an_estimate() -> None:
    llm = make_llm("http://127.0.0.1:9/v1")
    assert llm.count_tokens("") == 0
    assert llm.count_tokens("abc") == 1
    assert llm.count_tokens("x" * 700) == 200
