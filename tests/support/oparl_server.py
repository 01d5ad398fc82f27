"""A real local HTTP server answering like an OParl 1.1 server (tests of the OParl client
and of the agenda fetch policy)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    length: bool = True  # send Content-Length
    wait: bool = False  # hold the answer until the server's `release` event (timeouts)


class OParlServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Response] = {}
        self.objects: dict[str, dict[str, Any]] = {}  # served OParl objects by URL
        self.pages: dict[str, dict[str, Any]] = {}  # served list pages by path
        self.release = threading.Event()
        self.base = f"http://127.0.0.1:{self.server_address[1]}/"

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, obj: dict[str, Any]) -> str:
        """Serve `obj` at its `id`; returns the id."""
        url = obj["id"]
        self.objects[url] = obj
        self.routes[url[len(self.base) - 1 :]] = Response(body=json.dumps(obj).encode())
        return url

    def page(self, path: str, page: dict[str, Any]) -> str:
        """Serve one page of an OParl list (`data`, `links`, `pagination`)."""
        self.pages[path] = page
        return self.raw(path, Response(body=json.dumps(page).encode()))

    def raw(self, path: str, response: Response) -> str:
        self.routes["/" + path] = response
        return self.url(path)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (timeout test): nothing to report


class Handler(BaseHTTPRequestHandler):
    server: OParlServer

    def do_GET(self) -> None:
        response = self.server.routes.get(self.path)
        if response is None:
            response = Response(404, b'{"error": "not found"}')
        if response.wait:
            self.server.release.wait(timeout=5)
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        for name, value in response.headers:
            self.send_header(name, value)
        if response.length:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def running(httpd: OParlServer) -> Iterator[OParlServer]:
    """Serve in a thread until the block ends."""
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
