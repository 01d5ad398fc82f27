"""The German web pages (placeholder until the web interface lands)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response


def mount_web(app: FastAPI) -> None:
    pass


def error_page(request: Request, status: int, message: str) -> Response:
    return HTMLResponse(f"<p>{message}</p>", status_code=status)
