"""The district administrator's page (`/verwaltung/kommunen`): the municipalities of the
installation, a new one with its first administrator, and switching one off. It shows no
meeting of any municipality."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from protokoll.errors import InputError, ProtokollError
from protokoll.service.http.deps import Caller, CtxDep, DbDep
from protokoll.service.http.status import status_for
from protokoll.service.http.web import NOTICES, FormDep, PageCaller, checked, field, redirect
from protokoll.service.http.web import render as render_page
from protokoll.service.infra.tables import User
from protokoll.service.infra.tenancy import TENANT_SECTIONS
from protokoll.service.usecases import municipalities

router = APIRouter(include_in_schema=False)

NOTICES.update({
    "kommune_angelegt": "Die Kommune wurde angelegt; ihre Verwaltung kann sich jetzt anmelden.",
    "kommune_geaendert": "Die Kommune wurde geändert.",
})  # fmt: skip


def _page(
    request: Request, caller: Caller, s: Session, *, status: int = 200, **context: Any
) -> HTMLResponse:
    counts = dict(
        s.execute(select(User.municipality_id, func.count()).group_by(User.municipality_id)).all()
    )
    rows = [
        {
            "m": m,
            "users": counts.get(m.id, 0),
            "settings": json.dumps(m.settings or {}, ensure_ascii=False),
        }
        for m in municipalities.all_municipalities(s)
    ]
    context.setdefault("values", {})
    return render_page(
        request, caller, "municipalities.html", status=status, rows=rows,
        sections=TENANT_SECTIONS, nav="kommunen", **context,
    )  # fmt: skip


@router.get("/verwaltung/kommunen")
def municipality_list(request: Request, caller: PageCaller, s: DbDep) -> Response:
    municipalities.require_district_admin(caller.user)
    return _page(request, caller, s)


def _settings(text: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"Die eigenen Einstellungen sind kein gültiges JSON: {exc.msg}.") from None
    if not isinstance(data, dict):
        raise InputError('Die eigenen Einstellungen: ein JSON-Objekt, z. B. {"minutes": {…}}.')
    return data


@router.post("/verwaltung/kommunen")
def create_municipality(
    request: Request, form: FormDep, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    checked(request, caller, form)
    municipalities.require_district_admin(caller.user)
    values = {
        "id": field(form, "id", 40), "name": field(form, "name", 200),
        "admin": field(form, "admin", 64), "settings": field(form, "settings", 20000),
    }  # fmt: skip
    password = field(form, "password", 1000)
    try:
        municipalities.create(
            s, ctx, caller.user, values["id"], values["name"], _settings(values["settings"])
        )
        municipalities.create_admin(s, caller.user, values["id"], values["admin"], password)
    except ProtokollError as exc:
        s.rollback()
        return _page(request, caller, s, status=status_for(exc), error=str(exc), values=values)
    return redirect("/verwaltung/kommunen?hinweis=kommune_angelegt")


@router.post("/verwaltung/kommunen/{key}")
def change_municipality(
    key: str, request: Request, form: FormDep, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    checked(request, caller, form)
    municipalities.require_district_admin(caller.user)
    active = field(form, "active", 10)
    try:
        municipalities.update(
            s, ctx, caller.user, key, name=field(form, "name", 200) or None,
            settings=_settings(field(form, "settings", 20000)),
            active=None if not active else active == "ja",
        )  # fmt: skip
    except ProtokollError as exc:
        s.rollback()
        return _page(request, caller, s, status=status_for(exc), error=str(exc))
    return redirect("/verwaltung/kommunen?hinweis=kommune_geaendert")
