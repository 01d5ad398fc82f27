"""`protokoll serve`: the web service and (unless told otherwise) a local worker.

One command for one machine: the web process runs in the foreground, a worker
process beside it; stopping the command stops both. On several machines, run
`protokoll serve --no-worker` once and `protokoll worker` on each GPU server.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import uvicorn
from sqlalchemy import func, select

from protokoll.config import Settings
from protokoll.service.bootstrap import build_context
from protokoll.service.context import ServiceContext
from protokoll.service.http.app import create_app
from protokoll.service.infra import auth
from protokoll.service.infra.tables import User

log = logging.getLogger(__name__)


def ensure_first_admin(ctx: ServiceContext) -> str | None:
    """In mode "lokal", create an admin with a random password if there is no user yet.

    Returns the password (shown once on the terminal). In mode "produktion" no
    account is ever created by itself: `protokoll users add` does that.
    """
    with ctx.db.session() as s:
        if (s.scalar(select(func.count()).select_from(User)) or 0) > 0:
            return None
        if ctx.settings.service.mode == "produktion":
            return None
        password = secrets.token_urlsafe(12)
        # administration only: it manages accounts, and reads no transcript or minutes
        auth.create_user(s, "admin", password, ["admin"], "Administrator", one_time=True)
        return password


def serve(
    settings: Settings, *, config: Path | None, profile: str | None, with_worker: bool
) -> None:

    service = settings.service
    ctx = build_context(settings)  # migrates the database once, before web and worker start
    password = ensure_first_admin(ctx)
    if password:
        print(
            "Erster Start: Benutzer „admin“ mit dem einmaligen Passwort\n\n"
            f"    {password}\n\nangelegt. Nach der ersten Anmeldung muss es geändert werden.",
            file=sys.stderr,
        )
    elif service.mode == "produktion" and not _has_users(ctx):
        raise SystemExit(
            "Es gibt noch keinen Benutzer. Bitte zuerst einen anlegen:\n"
            "  protokoll users add NAME --role admin"
        )
    worker = None
    # uvicorn re-raises SIGTERM after its shutdown, which would skip the `finally` below and
    # orphan the worker: turn it into an ordinary exit first (uvicorn restores this handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if with_worker:
        cmd = [sys.executable, "-m", "protokoll"]
        if config:
            cmd += ["--config", str(config)]
        if profile:
            cmd += ["--profile", profile]
        worker = subprocess.Popen([*cmd, "worker"], env=os.environ.copy())
    try:
        print(
            f"protokoll läuft: http://{service.host}:{service.port}/  (Beenden mit Strg+C)",
            file=sys.stderr,
        )
        # JSON logs: uvicorn's records go through the root handler as well (no own config)
        log_config: Any = None if service.log_format == "json" else uvicorn.config.LOGGING_CONFIG
        uvicorn.run(
            create_app(settings, context=ctx),
            host=service.host,
            port=service.port,
            log_level="warning",
            log_config=log_config,
        )
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()


def _has_users(ctx: ServiceContext) -> bool:
    with ctx.db.session() as s:
        return (s.scalar(select(func.count()).select_from(User)) or 0) > 0
