"""The FastAPI application (an app factory: settings in, app out; no module globals)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from protokoll import __version__
from protokoll.config import Settings
from protokoll.errors import ProtokollError
from protokoll.pipeline.runner import Steps
from protokoll.service.bootstrap import build_context
from protokoll.service.context import ServiceContext
from protokoll.service.http import operations, web, web_admin, web_district, web_review
from protokoll.service.http.api import oparl as oparl_api
from protokoll.service.http.api import router as api_router
from protokoll.service.http.status import OPARL_NO_ADDRESS, answers_json, status_for
from protokoll.service.http.web import error_page
from protokoll.service.infra.db import disk_full
from protokoll.service.infra.storage import UploadConflict

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"


# pydantic's English messages, in German: what the user of the API reads
_PROBLEMS = {
    "missing": "fehlt",
    "greater_than": "muss größer als {gt} sein",
    "greater_than_equal": "muss mindestens {ge} sein",
    "less_than": "muss kleiner als {lt} sein",
    "less_than_equal": "darf höchstens {le} sein",
    "int_parsing": "muss eine ganze Zahl sein",
    "int_type": "muss eine ganze Zahl sein",
    "int_from_float": "muss eine ganze Zahl sein",
    "float_parsing": "muss eine Zahl sein",
    "float_type": "muss eine Zahl sein",
    "bool_parsing": "muss wahr oder falsch sein",
    "bool_type": "muss wahr oder falsch sein",
    "string_type": "muss ein Text sein",
    "string_too_short": "ist zu kurz (mindestens {min_length} Zeichen)",
    "string_too_long": "ist zu lang (höchstens {max_length} Zeichen)",
    "list_type": "muss eine Liste sein",
    "dict_type": "muss ein Objekt sein",
    "model_attributes_type": "muss ein Objekt sein",
    "literal_error": "muss einer dieser Werte sein: {expected}",
    "enum": "muss einer dieser Werte sein: {expected}",
    "extra_forbidden": "ist hier nicht vorgesehen",
    "json_invalid": "ist kein gültiges JSON",
    "json_type": "ist kein gültiges JSON",
}


def german_problem(err: Any) -> str:
    """One validation problem in German (our own validators already write German)."""
    kind = str(err.get("type", ""))
    if kind == "value_error":
        return str(err.get("msg", "")).removeprefix("Value error, ")
    template = _PROBLEMS.get(kind)
    if template is None:
        return "ist ungültig"
    try:
        return template.format(**(err.get("ctx") or {}))
    except (KeyError, IndexError):
        return template.split(" {")[0]


def create_app(
    settings: Settings,
    *,
    context: ServiceContext | None = None,
    stages: Steps | None = None,
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

    app.include_router(api_router)
    # the anonymous OParl interface: not part of the JSON API (nor of its OpenAPI document)
    app.include_router(oparl_api.router, include_in_schema=False)
    # each further municipality of the installation has its own OParl system
    app.include_router(oparl_api.router, prefix="/kommunen/{kommune}", include_in_schema=False)
    app.include_router(operations.router)  # /healthz, /readyz, /metrics
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(web.router)
    app.include_router(web_review.router)  # the review pages use web's page helpers
    app.include_router(web_admin.router)  # /verwaltung/…: users, audit log, register, template
    app.include_router(web_district.router)  # /verwaltung/kommunen
    app.add_exception_handler(HTTPException, web.routing_error)

    @app.exception_handler(ProtokollError)
    async def _user_error(request: Request, exc: ProtokollError) -> Response:
        status = status_for(exc)
        if not answers_json(request.url.path):
            return error_page(request, status, str(exc))
        body: dict[str, object] = {"detail": str(exc)}
        if isinstance(exc, UploadConflict):
            body["offset"] = exc.offset
        return JSONResponse(body, status_code=status)

    @app.exception_handler(OperationalError)
    async def _database_unusable(request: Request, exc: OperationalError) -> Response:
        """A full disk stops the database too: say so in German instead of a bare 500."""
        if disk_full(exc):
            status, message = (
                507,
                (
                    "Auf dem Server ist der Speicherplatz voll; die Änderung wurde nicht "
                    "gespeichert, Gespeichertes bleibt erhalten. Bitte den Betrieb informieren "
                    "und es danach erneut versuchen."
                ),
            )
        else:
            log.error("Datenbank nicht nutzbar: %s", exc)
            status, message = (
                503,
                (
                    "Die Datenbank ist gerade nicht erreichbar; bitte in einigen Minuten erneut "
                    "versuchen. Bleibt es so, bitte den Betrieb informieren."
                ),
            )
        if not answers_json(request.url.path):
            return error_page(request, status, message)
        return JSONResponse({"detail": message}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err.get('loc', ()) if p != 'body')}: {german_problem(err)}"
            for err in exc.errors()
        )
        return JSONResponse({"detail": f"Ungültige Angaben: {problems}"}, status_code=422)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if not answers_json(request.url.path) and exc.status_code in (401, 403, 404):
            return error_page(request, exc.status_code, str(exc.detail))
        detail = exc.detail
        if request.url.path.startswith("/oparl/") and exc.status_code == 404:
            detail = OPARL_NO_ADDRESS  # no such route: in German, like the interface's own 404s
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)

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
        if request.url.path.startswith("/oparl/"):  # public data for any web app (OParl: CORS)
            response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    return app
