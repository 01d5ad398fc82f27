"""The AI-register export (`/api/register`, admins only): the register entry as JSON
(Algoritmeregister and ATRS fields, figures from the audit log) and the German
"KI-Steckbrief" as DOCX; every export is recorded in the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Response

from protokoll.documents import artifacts
from protokoll.register import steckbrief_docx_bytes
from protokoll.service.http.api.common import attachment
from protokoll.service.http.deps import CtxDep, DbDep, UserDep
from protokoll.service.infra import audit
from protokoll.service.usecases import accounts
from protokoll.service.usecases.register import register_entry_from_db

router = APIRouter(prefix="/api", tags=["KI-Register"])


@router.get("/register")
def register_entry(ctx: CtxDep, user: UserDep, s: DbDep) -> dict[str, Any]:
    """The AI-register entry (Algoritmeregister and ATRS fields, figures from the audit log)."""
    accounts.require_admin(user)

    entry = register_entry_from_db(s, ctx.settings, now=dt.datetime.now(dt.UTC))
    audit.record(s, "register.exported", user=user, details={"format": "json"})
    return entry


@router.get("/register/steckbrief.docx")
def register_steckbrief(ctx: CtxDep, user: UserDep, s: DbDep) -> Response:
    """The German "KI-Steckbrief" (DOCX) for the MaKI / KI-Transparenzregister."""
    accounts.require_admin(user)

    entry = register_entry_from_db(s, ctx.settings, now=dt.datetime.now(dt.UTC))
    audit.record(s, "register.exported", user=user, details={"format": "docx"})
    return Response(
        steckbrief_docx_bytes(entry), media_type=artifacts.DOCX,
        headers=attachment("ki-steckbrief.docx"),
    )  # fmt: skip
