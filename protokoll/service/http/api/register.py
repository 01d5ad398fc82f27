"""The AI-register exports (`/api/register…`, admins only), one per target register:

- `GET /api/register`: the German entry (this project's own schema) with the figures;
- `GET /api/register/steckbrief.docx`: the German "KI-Steckbrief";
- `GET /api/register/{ziel}` (`de`, `nl`, `uk`): what the target's export holds and lacks
  (`fehlende_angaben`, `hinweise`) with the data under `eintrag`;
- `GET /api/register/{ziel}/datei`: the target's file as a download (the Algoritmeregister
  upload for `nl`, the ATRS record for `uk`).

A target whose required settings are missing answers 422 with a German message naming
them. Every export is recorded in the audit log."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from protokoll.documents import artifacts
from protokoll.register import steckbrief_docx_bytes
from protokoll.service.context import ServiceContext
from protokoll.service.http.api.common import attachment
from protokoll.service.http.deps import CtxDep, DbDep, UserDep
from protokoll.service.infra import audit
from protokoll.service.infra.tables import User
from protokoll.service.usecases import accounts
from protokoll.service.usecases.register import register_entry_from_db, register_export_from_db

router = APIRouter(prefix="/api", tags=["KI-Register"])

Target = Literal["de", "nl", "uk"]


def _own(ctx: ServiceContext, s: Session, user: User) -> tuple[ServiceContext, str]:
    """The admin's municipality: its settings, its key (its entries only)."""
    accounts.require_admin(user)
    assert user.municipality_id is not None  # require_admin
    return ctx.for_municipality(user.municipality_id, s), user.municipality_id


@router.get("/register")
def register_entry(ctx: CtxDep, user: UserDep, s: DbDep) -> dict[str, Any]:
    """The German register entry (own schema, figures from the audit log)."""
    own, key = _own(ctx, s, user)
    entry = register_entry_from_db(
        s, own.settings, municipality_id=key, now=dt.datetime.now(dt.UTC)
    )
    audit.record(s, "register.exported", user=user, details={"format": "json", "target": "de"})
    return entry


@router.get("/register/steckbrief.docx")
def register_steckbrief(ctx: CtxDep, user: UserDep, s: DbDep) -> Response:
    """The German "KI-Steckbrief" (DOCX) for the MaKI / KI-Transparenzregister."""
    own, key = _own(ctx, s, user)
    entry = register_entry_from_db(
        s, own.settings, municipality_id=key, now=dt.datetime.now(dt.UTC)
    )
    audit.record(s, "register.exported", user=user, details={"format": "docx", "target": "de"})
    return Response(
        steckbrief_docx_bytes(entry), media_type=artifacts.DOCX,
        headers=attachment("ki-steckbrief.docx"),
    )  # fmt: skip


@router.get("/register/{ziel}")
def register_target(ziel: Target, ctx: CtxDep, user: UserDep, s: DbDep) -> dict[str, Any]:
    """One target's export: what it holds (`eintrag`) and what is missing."""
    own, key = _own(ctx, s, user)
    export = register_export_from_db(
        s, own.settings, ziel, municipality_id=key, now=dt.datetime.now(dt.UTC)
    )
    return {**export.summary(), "eintrag": export.data}


@router.get("/register/{ziel}/datei")
def register_file(ziel: Target, ctx: CtxDep, user: UserDep, s: DbDep) -> Response:
    """One target's file, as the target register takes it."""
    own, key = _own(ctx, s, user)
    export = register_export_from_db(
        s, own.settings, ziel, municipality_id=key, now=dt.datetime.now(dt.UTC)
    )
    audit.record(s, "register.exported", user=user, details={"format": "json", "target": ziel})
    body = json.dumps(export.data, ensure_ascii=False, indent=2) + "\n"
    return Response(
        body.encode("utf-8"), media_type="application/json",
        headers=attachment(export.file_name),
    )  # fmt: skip
