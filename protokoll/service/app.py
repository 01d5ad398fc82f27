"""The FastAPI application (an app factory: settings in, app out; no module globals)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from protokoll import __version__
from protokoll.config import Settings
from protokoll.errors import AgendaError, InputError, ProtokollError
from protokoll.review.workflow import NotAllowed, WorkflowError
from protokoll.service.access import Conflict, Forbidden, Gone, NotFound
from protokoll.service.context import ServiceContext, build_context
from protokoll.service.runner import Stages
from protokoll.service.storage import UploadConflict

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"


def status_for(exc: ProtokollError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Forbidden | NotAllowed):
        return 403
    if isinstance(exc, Gone):
        return 410
    if isinstance(exc, Conflict | UploadConflict | WorkflowError):
        return 409
    if isinstance(exc, InputError | AgendaError):
        return 422
    return 400


def create_app(
    settings: Settings,
    *,
    context: ServiceContext | None = None,
    stages: Stages | None = None,
) -> FastAPI:
    ctx = context or build_context(settings, stages=stages)
    app = FastAPI(
        title="protokoll",
        version=__version__,
        description="Entwürfe für Niederschriften von Ratssitzungen: Sitzungen, Aufnahmen, "
        "Verarbeitung und Dokumente. Anmeldung per Sitzungs-Cookie (Browser, mit "
        "X-CSRF-Token bei Änderungen) oder per API-Token (`Authorization: Bearer …`).",
        # the interactive docs pages load their scripts from a CDN: off (nothing leaves
        # the server, and the CSP forbids it); the OpenAPI document itself is served
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.ctx = ctx

    from protokoll.service.api import router as api_router
    from protokoll.service.web import mount_web

    app.include_router(api_router)
    mount_web(app)

    @app.exception_handler(ProtokollError)
    async def _user_error(request: Request, exc: ProtokollError) -> Response:
        status = status_for(exc)
        if not request.url.path.startswith("/api/"):
            from protokoll.service.web import error_page

            return error_page(request, status, str(exc))
        body: dict[str, object] = {"detail": str(exc)}
        if isinstance(exc, UploadConflict):
            body["offset"] = exc.offset
        return JSONResponse(body, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ()) if p != 'body')}: {err.get('msg')}"
            for err in exc.errors()
        )
        return JSONResponse({"detail": f"Ungültige Angaben: {problems}"}, status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if not request.url.path.startswith("/api/") and exc.status_code in (401, 403, 404):
            from protokoll.service.web import error_page

            return error_page(request, exc.status_code, str(exc.detail))
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )

    @app.middleware("http")
    async def _security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'",
        )
        if request.url.path.startswith("/api/") and "cache-control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
