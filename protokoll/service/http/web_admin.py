"""The administration pages (German) of a municipality's administrator: accounts and their
roles, the audit-log browser, the AI-register page with its settings, and the letterhead
template.

Like every page they call the same functions as the JSON API (`accounts.py`,
`audit_log.py`, `register.py`, `letterhead.py`), so every rule exists once; each of them
checks that the caller is an administrator and acts within their own municipality.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from protokoll.config import THEMES
from protokoll.errors import InputError, ProtokollError
from protokoll.formatting import date_de, number_de, percent_de
from protokoll.register import RegisterError
from protokoll.service.http.api.common import attachment
from protokoll.service.http.deps import SESSION_COOKIE, Caller, CtxDep, DbDep, RowId
from protokoll.service.http.status import status_for
from protokoll.service.http.web import (
    NOTICES,
    FormDep,
    PageCaller,
    checked,
    field,
    redirect,
    render,
)
from protokoll.service.infra.tables import ROLE_LABELS, utcnow
from protokoll.service.usecases import accounts, letterhead
from protokoll.service.usecases import audit_log as audit_view
from protokoll.service.usecases import register as register_settings
from protokoll.service.usecases.register import register_overview

router: APIRouter = APIRouter(include_in_schema=False)

ADMIN_NOTICES = {
    "benutzer_angelegt": "Der Benutzer wurde angelegt.",
    "gesperrt": "Das Konto wurde gesperrt.",
    "entsperrt": "Das Konto wurde entsperrt.",
    "benutzer_passwort": "Das Passwort wurde gesetzt; bestehende Anmeldungen wurden beendet.",
    "rollen": "Name und Rollen wurden gespeichert.",
    "register_angaben": "Die Angaben für das KI-Register wurden gespeichert.",
    "vorlage": "Die Vorlage wurde hochgeladen; neue Niederschriften verwenden sie.",
    "vorlage_standard": "Die eigene Vorlage gilt nicht mehr; es gilt wieder die Vorgabe.",
}
NOTICES.update(ADMIN_NOTICES)
ROLE_HINT = (
    "Schriftführung: legt Sitzungen an und verarbeitet sie. Prüfung: sieht alle Sitzungen "
    "vollständig. Verwaltung: verwaltet Benutzer und sieht nur öffentliche Dokumente."
)


def _role_labels() -> dict[str, str]:
    return {r: ROLE_LABELS[r] for r in accounts.MUNICIPALITY_ROLES}


def _roles(form: FormData) -> list[str]:
    return [r for r in form.getlist("roles") if isinstance(r, str)]


# ---- users ---------------------------------------------------------------------------------


def users_page(
    request: Request, caller: Caller, s: Session, *, status: int = 200, **context: Any
) -> HTMLResponse:
    users = accounts.users_of(s, caller.user)
    now = utcnow()
    rows = [
        {
            "user": u,
            "roles": accounts.role_labels(u.role_set),
            "locked": u.locked_until is not None and u.locked_until > now,
            "self": u.id == caller.user.id,
        }
        for u in users
    ]
    context.setdefault("values", {"roles": ["schriftfuehrer"]})
    return render(
        request, caller, "users.html", status=status, rows=rows, role_labels=_role_labels(),
        role_hint=ROLE_HINT, nav="verwaltung", **context,
    )  # fmt: skip


@router.get("/verwaltung/benutzer")
def users(request: Request, caller: PageCaller, s: DbDep) -> Response:
    accounts.require_admin(caller.user)
    return users_page(request, caller, s)


@router.post("/verwaltung/benutzer")
def create_user(request: Request, form: FormDep, caller: PageCaller, s: DbDep) -> Response:
    checked(request, caller, form)
    accounts.require_admin(caller.user)
    roles = _roles(form)
    username, display_name = field(form, "username", 64), field(form, "display_name", 200)
    values: dict[str, Any] = {"username": username, "display_name": display_name, "roles": roles}
    password = form.get("password")
    try:
        accounts.create_user(
            s, caller.user, username, password if isinstance(password, str) else "", roles,
            display_name,
        )  # fmt: skip
    except ProtokollError as exc:
        s.rollback()
        return users_page(request, caller, s, status=status_for(exc), error=str(exc), values=values)
    return redirect("/verwaltung/benutzer?hinweis=benutzer_angelegt")


def user_page(
    request: Request,
    caller: Caller,
    s: Session,
    user_id: int,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    target = accounts.get_user(s, caller.user, user_id)
    context.setdefault("values", {"display_name": target.display_name, "roles": target.role_set})
    return render(
        request, caller, "user.html", status=status, target=target,
        is_self=target.id == caller.user.id, role_labels=_role_labels(), role_hint=ROLE_HINT,
        nav="verwaltung", **context,
    )  # fmt: skip


@router.get("/verwaltung/benutzer/{user_id}")
def user(user_id: RowId, request: Request, caller: PageCaller, s: DbDep) -> Response:
    return user_page(request, caller, s, user_id)


USER_ACTIONS = {
    "sperren": "gesperrt", "entsperren": "entsperrt", "passwort": "benutzer_passwort",
    "rollen": "rollen",
}  # fmt: skip


@router.post("/verwaltung/benutzer/{user_id}/{what}")
def user_action(
    user_id: RowId, what: str, request: Request, form: FormDep, caller: PageCaller, s: DbDep
) -> Response:
    if what not in USER_ACTIONS:
        raise HTTPException(404, "Diese Aktion gibt es nicht.")
    checked(request, caller, form)
    accounts.require_admin(caller.user)
    keep = request.cookies.get(SESSION_COOKIE) if user_id == caller.user.id else None
    try:
        if what == "rollen":
            name = field(form, "display_name", 200) if "display_name" in form else None
            accounts.update_user(s, caller.user, user_id, roles=_roles(form), display_name=name)
        elif what == "passwort":
            password = form.get("password")
            accounts.update_user(
                s, caller.user, user_id,
                password=password if isinstance(password, str) else "", keep_token=keep,
            )  # fmt: skip
        else:
            accounts.update_user(s, caller.user, user_id, active=what == "entsperren")
    except ProtokollError as exc:
        s.rollback()
        if what == "rollen":
            values = {"display_name": field(form, "display_name", 200), "roles": _roles(form)}
            return user_page(
                request, caller, s, user_id, status=status_for(exc), error=str(exc),
                values=values,
            )  # fmt: skip
        return users_page(request, caller, s, status=status_for(exc), error=str(exc))
    return redirect(f"/verwaltung/benutzer?hinweis={USER_ACTIONS[what]}#benutzer-{user_id}")


# ---- the audit log -------------------------------------------------------------------------


@router.get("/verwaltung/protokoll")
def audit_page(
    request: Request,
    caller: PageCaller,
    s: DbDep,
    sitzung: str = "",
    person: str = "",
    art: str = "",
    aktion: str = "",
    seite: str = "1",
) -> Response:
    accounts.require_admin(caller.user)
    choices = audit_view.filter_choices(s, caller.user)
    error = None
    try:
        flt = audit_view.AuditFilter(sitzung[:32], person[:200], art[:10], aktion[:60])
    except InputError as exc:
        flt, error = audit_view.AuditFilter(), str(exc)
    number = int(seite) if seite.isdigit() and len(seite) < 10 else 1
    page = audit_view.entries_page(s, caller.user, flt, number)
    query = {"sitzung": flt.meeting_id, "person": flt.actor, "art": flt.kind, "aktion": flt.action}
    return render(
        request, caller, "audit.html", status=422 if error else 200, error=error, page=page,
        flt=flt, choices=choices, csv_query=flt.params(),
        page_query={k: v for k, v in query.items() if v}, nav="protokoll",
    )  # fmt: skip


# ---- the AI register -----------------------------------------------------------------------


def register_page(
    request: Request,
    caller: Caller,
    ctx: CtxDep,
    s: Session,
    *,
    status: int = 200,
    error: str | None = None,
    values: dict[str, Any] | None = None,
) -> HTMLResponse:
    accounts.require_admin(caller.user)
    key = caller.user.municipality_id
    assert key is not None  # require_admin
    own = ctx.for_municipality(key, s)
    states = register_overview(s, own.settings, municipality_id=key, now=dt.datetime.now(dt.UTC))
    german = next(st for st in states if st.target == "de")
    if german.export is None:
        raise RegisterError(german.problem or "Der deutsche Registereintrag fehlt.")
    entry = german.export.data
    current = own.settings.ai_register.model_dump(mode="json")
    return render(
        request, caller, "register.html", status=status, error=error, entry=entry,
        rows=figure_rows(entry["kennzahlen"]), targets=states, register_text=register_text,
        values=values if values is not None else current, labels=register_settings.FIELD_LABELS,
        choices=register_settings.CHOICES,
        themes=THEMES, nav="register",
    )  # fmt: skip


@router.get("/verwaltung/ki-register")
def register(request: Request, caller: PageCaller, ctx: CtxDep, s: DbDep) -> Response:
    return register_page(request, caller, ctx, s)


@router.post("/verwaltung/ki-register")
def save_register_settings(
    request: Request, form: FormDep, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    """Only the fields the form sends are set (a form always sends all of them; "themes"
    comes with the marker field `themes_sent`, since no ticked box sends nothing)."""
    checked(request, caller, form)
    accounts.require_admin(caller.user)
    values: dict[str, Any] = {
        name: field(form, name, register_settings.TEXT_MAX_CHARS + 1)
        for name in register_settings.EDITABLE_FIELDS
        if name != "themes" and name in form
    }
    if "themes_sent" in form:
        values["themes"] = [t for t in form.getlist("themes") if isinstance(t, str)]
    try:
        register_settings.update_register_settings(ctx, s, caller.user, values)
    except ProtokollError as exc:
        s.rollback()
        current = register_settings.register_settings_of(ctx, s, caller.user)
        shown = {**current.model_dump(mode="json"), **values}
        return register_page(
            request, caller, ctx, s, status=status_for(exc), error=str(exc), values=shown
        )
    return redirect("/verwaltung/ki-register?hinweis=register_angaben#angaben")


_SETTING = re.compile(r"\[ai_register\]\s+(\w+)")
_SETTING_LIST = re.compile(r"In der Konfiguration fehlen im Abschnitt \[ai_register\]: ([\w, ]+)")
_TEXT_SETTING = re.compile(r"\[ai_register\.texts\.(\w+)\]\s+(\w+)")


def register_text(text: str) -> str:
    """A register message as the admin's page says it: settings named as the form below
    names them ("Organisation"), not by configuration key ("[ai_register] organization";
    walk-through of #17). The CLI keeps the keys, where they are what one edits."""

    def label(key: str) -> str:
        return "„" + register_settings.FIELD_LABELS.get(key, key) + "“"

    text = _SETTING_LIST.sub(
        lambda m: "Es fehlen die Angaben " + ", ".join(label(k.strip()) for k in
                                                       m.group(1).split(",")),
        text,
    )  # fmt: skip
    text = _TEXT_SETTING.sub(lambda m: f"der Text „{m.group(2)}“ ({m.group(1)})", text)
    text = _SETTING.sub(lambda m: label(m.group(1)), text)
    return text.replace(" in der Konfiguration", "")


def figure_rows(figures: dict[str, Any]) -> list[tuple[str, str]]:
    """The register figures as German label/value rows for the admin's page."""

    def number(value: float | None, digits: int = 0) -> str:
        return number_de(value, digits)

    def share(value: float | None) -> str:
        return percent_de(value, 1)

    minutes, incidents = figures["minutes"], figures["incidents"]
    period = figures["period"]
    chain = incidents.get("chain_ok")
    return [
        ("Zeitraum", f"{date_de(period['from'], empty='–')} – {date_de(period['to'], empty='–')}"),
        ("Verarbeitete Sitzungen", number(figures["sessions_processed"])),
        ("Verarbeitete Aufnahmen (Stunden)", number(figures["audio_hours"], 1)),
        ("Freigegebene Niederschriften", number(minutes["approved"])),
        ("Veröffentlichte Niederschriften", number(minutes["published"])),
        ("davon vor der Veröffentlichung von einer Person freigegeben",
         share(minutes["published_human_approved_share"])),
        ("Durchschnittliche Änderungsquote gegenüber dem KI-Entwurf",
         share(minutes["average_edit_rate"])),
        ("Gelöschte Aufnahmen", number(sum(figures["recordings_deleted"].values()))),
        ("Fehlgeschlagene Verarbeitungen", number(incidents["jobs_failed"])),
        ("Eingesetzte Modelle", number(len(figures["models"]))),
        ("Einträge im Prüfprotokoll", number(figures["audit_entries"])),
        ("Prüfprotokoll unverändert", "–" if chain is None else ("ja" if chain else "NEIN")),
    ]  # fmt: skip


# ---- the letterhead template ---------------------------------------------------------------


def template_page(
    request: Request,
    caller: Caller,
    ctx: CtxDep,
    s: Session,
    *,
    status: int = 200,
    error: str | None = None,
) -> HTMLResponse:
    state = letterhead.template_state(ctx, s, caller.user)
    return render(
        request, caller, "template.html", status=status, error=error, state=state,
        source_label=letterhead.SOURCE_LABELS[state.source],
        max_mb=letterhead.MAX_TEMPLATE_BYTES // 1024**2, nav="vorlage",
    )  # fmt: skip


@router.get("/verwaltung/vorlage")
def template(request: Request, caller: PageCaller, ctx: CtxDep, s: DbDep) -> Response:
    return template_page(request, caller, ctx, s)


@router.get("/verwaltung/vorlage/datei")
def template_file(caller: PageCaller, ctx: CtxDep, s: DbDep) -> Response:
    """The template in use, to check it in Word."""
    state = letterhead.template_state(ctx, s, caller.user)
    if state.size is None:
        raise InputError(f"Die Vorlage {state.path.name} ist auf dem Server nicht vorhanden.")
    media = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return FileResponse(
        state.path, media_type=media, headers=attachment("vorlage_niederschrift.docx")
    )


@router.post("/verwaltung/vorlage")
def upload_template(
    request: Request, form: FormDep, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    checked(request, caller, form)
    accounts.require_admin(caller.user)
    upload = form.get("datei")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("Bitte die Vorlage als Word-Dokument (DOCX) auswählen.")
        data = upload.file.read(letterhead.MAX_TEMPLATE_BYTES + 1)
        letterhead.upload_template(ctx, s, caller.user, data, upload.filename)
    except ProtokollError as exc:
        s.rollback()
        return template_page(request, caller, ctx, s, status=status_for(exc), error=str(exc))
    return redirect("/verwaltung/vorlage?hinweis=vorlage")


@router.post("/verwaltung/vorlage/zuruecksetzen")
def reset_template(
    request: Request, form: FormDep, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    checked(request, caller, form)
    letterhead.reset_template(ctx, s, caller.user)
    return redirect("/verwaltung/vorlage?hinweis=vorlage_standard")
