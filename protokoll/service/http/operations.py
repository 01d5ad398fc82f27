"""Endpoints for operators and load balancers, outside the API: `/healthz` (the process
answers), `/readyz` (database, data folder and queue usable: 200, else 503 with the German
reason per check) and `/metrics` (Prometheus text format, see `usecases/operations.py`).

`/metrics` answers a client with `Authorization: Bearer <[service] metrics_token>`; without
a configured token, only a client on the server itself that is not forwarded by a proxy.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from protokoll.service.http.deps import CtxDep
from protokoll.service.usecases import operations

router = APIRouter(include_in_schema=False)

LOOPBACK = frozenset({"127.0.0.1", "::1"})
FORWARDED = ("x-forwarded-for", "forwarded", "x-real-ip")


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(ctx: CtxDep) -> JSONResponse:
    checks = operations.readiness(ctx)
    ready = all(result == "ok" for result in checks.values())
    return JSONResponse(
        {"status": "bereit" if ready else "nicht bereit", "pruefungen": checks},
        status_code=200 if ready else 503,
    )


def _may_read_metrics(request: Request, token: str) -> bool:
    if token:
        sent = request.headers.get("authorization", "")
        return sent.lower().startswith("bearer ") and secrets.compare_digest(
            sent[7:].strip().encode(), token.encode()
        )
    host = request.client.host if request.client else ""
    return host in LOOPBACK and not any(h in request.headers for h in FORWARDED)


@router.get("/metrics")
def metrics(request: Request, ctx: CtxDep) -> Response:
    if not _may_read_metrics(request, ctx.settings.service.metrics_token):
        raise HTTPException(
            403,
            "Die Betriebskennzahlen gibt es nur mit dem Token aus service.metrics_token oder "
            "direkt auf dem Server.",
        )
    registry = CollectorRegistry(auto_describe=False)
    registry.register(operations.DatabaseMetrics(ctx))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
