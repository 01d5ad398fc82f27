"""The German web pages: server-rendered (Jinja2), plus one small script for uploads and progress.

Pages call the same service functions as the JSON API (`meetings.py`, `access.py`,
`auth.py`), so the rules exist once. The browser script (`static/app.js`) talks to the
JSON API for the resumable upload and the live job progress, with the session's CSRF
token from a `<meta>` tag. Every form POST carries the token as a hidden field. The app
sends a strict CSP: no inline script or style anywhere in the templates.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from http import HTTPStatus
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from protokoll import __version__
from protokoll.documents import artifacts
from protokoll.domain.transcript import speaker_display_name
from protokoll.errors import InputError, ProtokollError
from protokoll.formatting import (
    date_de,
    datetime_de,
    format_duration,
    number_de,
    percent_de,
    size_de,
)
from protokoll.review.workflow import STATE_LABELS as STATE_LABELS_REVIEW
from protokoll.service.context import ServiceContext
from protokoll.service.http.api import set_session_cookie
from protokoll.service.http.deps import (
    SESSION_COOKIE,
    Caller,
    CtxDep,
    DbDep,
    RowId,
    check_csrf,
    identify,
    require_own_password,
)
from protokoll.service.http.status import answers_json, status_for
from protokoll.service.infra import audit, auth
from protokoll.service.infra.jobs import STATE_LABELS
from protokoll.service.infra.tables import ROLE_LABELS, ROLES, ApiToken, Job, Meeting, User
from protokoll.service.usecases import access, accounts, publishing, retention
from protokoll.service.usecases import meetings as svc
from protokoll.service.usecases import minutes_review as review
from protokoll.service.usecases.access import Gone

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

# confirmations after a redirect: the URL carries a code, never the text itself
NOTICES = {
    "abgemeldet": "Sie sind abgemeldet.",
    "angelegt": "Die Sitzung wurde angelegt.",
    "geloescht": "Die Sitzung wurde gelöscht.",
    "geloescht_veroeffentlicht": (
        "Die Sitzung wurde gelöscht; die Begründung steht im Prüfprotokoll."
    ),
    "tagesordnung": "Tagesordnung und Mitgliederliste wurden gespeichert.",
    "gestartet": "Die Verarbeitung wurde gestartet.",
    "hochgeladen_gestartet": "Die Aufnahme wurde hochgeladen; die Verarbeitung hat begonnen.",
    "wiederholt": "Der Auftrag wird ab dem letzten Zwischenstand fortgesetzt.",
    "abbruch": "Der Auftrag wird abgebrochen.",
    "sprecher": "Die Sprechererkennung wird neu ausgeführt.",
    "passwort": "Ihr Passwort wurde geändert.",
    "token_widerrufen": "Das API-Token wurde widerrufen.",
}
ERROR_TITLES = {
    400: "Anfrage nicht möglich",
    403: "Kein Zugriff",
    404: "Nicht gefunden",
    405: "Nicht möglich",
    409: "Im Moment nicht möglich",
    410: "Nicht mehr vorhanden",
    422: "Ungültige Angaben",
}
DEFAULT_MESSAGES = {
    404: "Diese Seite gibt es nicht.",
    405: "Diese Aktion ist hier nicht möglich.",
    403: "Sie haben keinen Zugriff auf diese Seite.",
}
ACTIVE_STATES = ("queued", "running")
MEMBERS_MAX_CHARS = 50_000
PASSWORD_MAX_CHARS = 1000

templates = Jinja2Templates(directory=TEMPLATES_DIR)
router = APIRouter(include_in_schema=False)


# ---- formatting (Jinja filters) ------------------------------------------------------------


def size_short(size: float | None) -> str:
    if size is None:
        return ""
    if size < 1024**2:
        return f"{max(1, math.ceil(size / 1024))} KB"
    return size_de(size)


def duration_short(seconds: float | None) -> str:
    return "" if seconds is None else format_duration(seconds)


templates.env.filters.update(
    datum=date_de,
    zeitpunkt=datetime_de,
    groesse=size_short,
    dauer=duration_short,
    prozent=percent_de,
    zahl=number_de,
)


# ---- rendering and the current user --------------------------------------------------------


def render(
    request: Request,
    caller: Caller | None,
    name: str,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    user = caller.user if caller else None
    base: dict[str, Any] = {
        "user": user,
        "csrf_token": caller.csrf_token if caller else None,
        "can_create": bool(user and access.can_create_meeting(user)),
        "can_admin": bool(user and access.can_manage_users(user)),
        "can_district": bool(user and access.can_manage_municipalities(user)),
        "has_meetings": bool(user and user.municipality_id is not None),
        "version": __version__,
        # base.html reads this one: a page's own "version" (a minutes version) cannot hide it
        "app_version": __version__,
        "notice": NOTICES.get(request.query_params.get("hinweis", "")),
        "error": None,
        "nav": "",
    }
    response = templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def page_caller(request: Request, s: DbDep) -> Caller:
    """The logged-in user of a page; 401 (turned into a redirect to the login) otherwise."""
    caller = identify(request, s)
    if caller is None:
        raise HTTPException(401, "Bitte anmelden.")
    require_own_password(request, caller)
    return caller


PageCaller = Annotated[Caller, Depends(page_caller)]


async def posted_form(request: Request) -> FormData:
    """The posted form, read on the event loop (I/O only).

    The handlers that use it are plain functions, so FastAPI runs them in the thread
    pool: their database work, password hashing and file writes never block the event
    loop (an async handler doing that would stall every other request meanwhile).
    """
    return await request.form(max_files=2, max_fields=100)


FormDep = Annotated[FormData, Depends(posted_form)]


def checked(request: Request, caller: Caller, form: FormData) -> FormData:
    """The form after its CSRF token was checked against the caller's session."""
    token = form.get("csrf_token")
    check_csrf(request, caller, token if isinstance(token, str) and token else None)
    return form


def field(form: FormData, name: str, limit: int = 1000) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


_LOCAL_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9/_.~%?=&#-]*")


def safe_target(target: str | None) -> str:
    """Only a path on this site (no open redirect: no `//host`, no odd characters)."""
    return target if target and _LOCAL_PATH.fullmatch(target) else "/"


def enqueue(ctx: ServiceContext, s: Session, job: Job) -> None:
    s.commit()  # the worker must see the job before it gets the message
    ctx.queue.enqueue(job.id)


# ---- login and logout ----------------------------------------------------------------------


@router.get("/anmelden")
def login_page(request: Request, s: DbDep, weiter: str = "/") -> Response:
    if identify(request, s) is not None:
        return redirect(safe_target(weiter))
    return render(request, None, "login.html", weiter=safe_target(weiter), username="")


@router.post("/anmelden")
def login(request: Request, form: FormDep, ctx: CtxDep, s: DbDep) -> Response:
    username, target = field(form, "username", 64), safe_target(field(form, "weiter"))
    password = form.get("password")
    if not isinstance(password, str) or len(password) > PASSWORD_MAX_CHARS:
        password = ""  # refused below, without hashing a huge input
    try:
        _user, token, _record = accounts.log_in(s, ctx.settings.service, username, password)
    except auth.AuthError as exc:
        return render(
            request, None, "login.html", status=401, error=str(exc), username=username,
            weiter=target,
        )  # fmt: skip
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        auth.end_session(s, old)
    response = redirect(target)
    set_session_cookie(response, ctx, token)
    return response


@router.post("/abmelden")
def logout(request: Request, form: FormDep, s: DbDep) -> Response:
    caller = identify(request, s)
    if caller is not None:
        checked(request, caller, form)
        accounts.log_out(s, caller.user, request.cookies.get(SESSION_COOKIE))
    response = redirect("/anmelden?hinweis=abgemeldet")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# ---- meetings ------------------------------------------------------------------------------


@router.get("/")
def meeting_list(request: Request, caller: PageCaller, s: DbDep) -> Response:
    if access.can_manage_municipalities(caller.user):
        return redirect("/verwaltung/kommunen")  # a district administrator has no meetings
    meetings = svc.visible_meetings(s, caller.user)
    states = review.list_states(s, caller.user, meetings)
    rows: list[dict[str, Any]] = []
    for meeting in meetings:
        jobs = svc.jobs_of(s, meeting)
        rows.append({"meeting": meeting, "job": jobs[0] if jobs else None,
                     "review": states[meeting.id]})  # fmt: skip
    waiting = sum(1 for m in meetings if states[m.id].waiting)
    mine_only = request.query_params.get("auf_mich") == "1"
    if mine_only:
        rows = [row for row in rows if states[row["meeting"].id].waiting]
    return render(
        request, caller, "meetings.html", rows=rows, state_labels=STATE_LABELS,
        nav="sitzungen", waiting=waiting, mine_only=mine_only, places=svc.queue_positions(s),
    )  # fmt: skip


@router.get("/warteschlange")
def queue_page(request: Request, caller: PageCaller, s: DbDep) -> Response:
    """The municipality's processing queue: what waits, what runs, what ended lately."""
    if access.can_manage_municipalities(caller.user):
        return redirect("/verwaltung/kommunen")  # a district administrator has no meetings
    view = svc.queue_view(s, caller.user)
    for row in [*view["active"], *view["finished"]]:
        row["percent"] = math.floor(row["progress"] * 100)
    return render(
        request, caller, "queue.html", active=view["active"], finished=view["finished"],
        nav="warteschlange",
    )  # fmt: skip


def _require_create(user: User) -> None:
    access.require(
        access.can_create_meeting(user), "Nur die Schriftführung kann Sitzungen anlegen."
    )


@router.get("/sitzungen/neu")
def new_meeting_page(request: Request, caller: PageCaller) -> Response:
    _require_create(caller.user)
    return render(request, caller, "meeting_new.html", values={}, nav="neu")


def _apply_agenda(
    ctx: ServiceContext, s: Session, user: User, meeting: Meeting, form: FormData
) -> bool:
    """Agenda (file or OParl address) and member list from a form; True if anything was set."""
    upload = form.get("agenda_file")
    has_file = isinstance(upload, UploadFile) and bool(upload.filename)
    url = field(form, "oparl_url", 2000)
    members = field(form, "members", MEMBERS_MAX_CHARS)
    if has_file and url:
        raise InputError(
            "Bitte die Tagesordnung entweder als Datei oder als OParl-Adresse angeben, "
            "nicht beides."
        )
    if isinstance(upload, UploadFile) and has_file:
        limit = int(ctx.settings.service.agenda_max_mb * 1024**2)
        data = upload.file.read(limit + 1)
        svc.set_agenda_file(ctx, s, user, meeting, upload.filename or "tagesordnung", data)
    elif url:
        svc.set_agenda_url(ctx, s, user, meeting, url)
    if members:
        svc.set_members(s, user, meeting, svc.parse_member_lines(members))
    return bool(has_file or url or members)


@router.post("/sitzungen/neu")
def create_meeting(
    request: Request, form: FormDep, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    checked(request, caller, form)
    _require_create(caller.user)
    values = {
        "body": field(form, "body", 300),
        "date": field(form, "date", 20),
        "title": field(form, "title", 300),
        "oparl_url": field(form, "oparl_url", 2000),
        "members": field(form, "members", MEMBERS_MAX_CHARS),
    }
    meeting: Meeting | None = None
    try:
        meeting = svc.create_meeting(
            s, caller.user, body=values["body"], date=values["date"], title=values["title"]
        )
        _apply_agenda(ctx, s, caller.user, meeting, form)
    except ProtokollError as exc:
        s.rollback()  # no half-created meeting
        if meeting is not None:
            ctx.layout.tenant(meeting.municipality_id).remove_meeting(meeting.id)
        return render(
            request, caller, "meeting_new.html", status=status_for(exc), error=str(exc),
            values=values, nav="neu",
        )  # fmt: skip
    return redirect(f"/sitzungen/{meeting.id}?hinweis=angelegt")


# a job's drafts: after publication only the published version is listed, and the
# transcript as the published version corrected it (the job's files are as recognised)
DRAFT_MINUTES_FILES = frozenset(
    {"niederschrift.docx", "niederschrift.oeffentlich.docx", "minutes.json",
     "minutes.oeffentlich.json", "transcript.docx", "transcript.vtt", "transcript.json"}
)  # fmt: skip


def _job_row(
    ctx: ServiceContext,
    user: User,
    meeting: Meeting,
    job: Job,
    *,
    published: bool = False,
    position: int | None = None,
) -> dict[str, Any]:
    view = svc.job_view(job, position)
    view["percent"] = math.floor(view["progress"] * 100)
    # the transcript's documents as soon as they are written, the minutes' when done
    outputs = svc.outputs(ctx, user, meeting, job)
    if published:
        outputs = [o for o in outputs if o.name not in DRAFT_MINUTES_FILES]
    view["outputs"] = outputs
    return view


def meeting_page(
    request: Request,
    caller: Caller,
    ctx: CtxDep,
    s: Session,
    meeting: Meeting,
    *,
    error: str | None = None,
    status: int = 200,
    start_values: dict[str, str] | None = None,
) -> HTMLResponse:
    view = svc.meeting_view(s, caller.user, meeting)
    locked = bool(view["published"])
    places = svc.queue_positions(s)
    jobs = [
        _job_row(ctx, caller.user, meeting, j, published=locked, position=places.get(j.id))
        for j in svc.jobs_of(s, meeting)
    ]
    state = review.review_of(s, meeting.id)
    confidential = access.can_see_confidential(caller.user, meeting)
    published = publishing.published_files(ctx, meeting, confidential=confidential)
    own = ctx.of(meeting)
    plans = {r.id: retention.plan(own, r, published=locked) for r in svc.recordings_of(s, meeting)}
    current = review.current_version(s, meeting.id) if locked and confidential else None
    return render(
        request, caller, "meeting.html", status=status, error=error, m=view, jobs=jobs,
        review_state=STATE_LABELS_REVIEW[state.state] if state else None, locked=locked,
        published_at=publishing.published_at(s, meeting) if locked else None,
        deletion_plans=plans,
        published=published, published_labels=publishing.PUBLISHED_LABELS,
        published_version=current.number if current and current.job_id else None,
        perms=view["permissions"], busy=any(j["state"] in ACTIVE_STATES for j in jobs),
        members_text=_members_text(view), start_values=start_values or {}, nav="sitzungen",
    )  # fmt: skip


def _members_text(view: dict[str, Any]) -> str:
    agenda = view.get("agenda") or {}
    lines = []
    for member in agenda.get("members", []):
        parts = [member.get("name", ""), member.get("faction", ""), member.get("role", "")]
        lines.append("; ".join(parts).rstrip("; "))
    return "\n".join(lines)


@router.get("/sitzungen/{meeting_id}")
def show_meeting(
    meeting_id: str, request: Request, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    return meeting_page(request, caller, ctx, s, svc.get_meeting(s, caller.user, meeting_id))


def _act(
    request: Request,
    caller: Caller,
    ctx: ServiceContext,
    s: Session,
    meeting: Meeting,
    action: Callable[[], Job | None],
    notice: str,
    values: dict[str, str] | None = None,
) -> Response:
    """Run a meeting action; on a user error show the meeting page with the message."""
    meeting_id = meeting.id
    try:
        job = action()
    except ProtokollError as exc:
        s.rollback()
        fresh = svc.get_meeting(s, caller.user, meeting_id)
        return meeting_page(
            request, caller, ctx, s, fresh, error=str(exc), status=status_for(exc),
            start_values=values,
        )  # fmt: skip
    anchor = ""
    if job is not None:
        anchor = f"#auftrag-{job.id}"
        if job.state == "queued":
            enqueue(ctx, s, job)
    return redirect(f"/sitzungen/{meeting_id}?hinweis={notice}{anchor}")


@router.post("/sitzungen/{meeting_id}/tagesordnung")
def update_agenda(
    meeting_id: str, request: Request, form: FormDep, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    checked(request, caller, form)
    meeting = svc.get_meeting(s, caller.user, meeting_id)
    try:
        if not _apply_agenda(ctx, s, caller.user, meeting, form):
            raise InputError("Bitte eine Tagesordnung (Datei oder OParl-Adresse) angeben.")
    except ProtokollError as exc:
        s.rollback()
        fresh = svc.get_meeting(s, caller.user, meeting_id)
        return meeting_page(request, caller, ctx, s, fresh, error=str(exc), status=status_for(exc))
    return redirect(f"/sitzungen/{meeting_id}?hinweis=tagesordnung")


def _speaker_params(form: FormData) -> dict[str, str]:
    return {k: field(form, k, 10) for k in ("min_speakers", "max_speakers") if field(form, k, 10)}


@router.post("/sitzungen/{meeting_id}/verarbeitung")
def start_job(
    meeting_id: str, request: Request, form: FormDep, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    checked(request, caller, form)
    meeting = svc.get_meeting(s, caller.user, meeting_id)
    recording_id = field(form, "recording_id", 64) or None
    params = _speaker_params(form)

    def action() -> Job:
        return svc.start_job(ctx, s, caller.user, meeting, recording_id=recording_id, params=params)

    return _act(request, caller, ctx, s, meeting, action, "gestartet", params)


JOB_ACTIONS = {"wiederholen": "wiederholt", "abbrechen": "abbruch", "sprecher": "sprecher"}


@router.post("/auftraege/{job_id}/{what}")
def job_action(
    job_id: str,
    what: str,
    request: Request,
    form: FormDep,
    caller: PageCaller,
    ctx: CtxDep,
    s: DbDep,
) -> Response:
    if what not in JOB_ACTIONS:
        raise HTTPException(404, "Diese Aktion gibt es nicht.")
    checked(request, caller, form)
    job, meeting = svc.get_job(s, caller.user, job_id)
    user = caller.user

    def action() -> Job:
        if what == "wiederholen":
            return svc.retry_job(s, user, job, meeting)
        if what == "abbrechen":
            return svc.cancel_job(s, user, job, meeting)
        return svc.rerun_job(ctx, s, user, job, meeting, "diarization", _speaker_params(form))

    return _act(request, caller, ctx, s, meeting, action, JOB_ACTIONS[what])


@router.get("/auftraege/{job_id}/transkript")
def transcript_page(
    job_id: str, request: Request, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    """The transcript to read in the browser, as soon as the speakers are assigned (the
    minutes may still be being written); only for those who may see the transcript."""
    job, meeting = svc.get_job(s, caller.user, job_id)
    view = svc.job_view(job)
    if (
        not view["transcript_ready"]
        and job.state in ("queued", "running")
        and access.can_see_confidential(caller.user, meeting)
    ):
        # opened too early (a bookmark, a reload): say so, rather than "no access"
        return render(
            request, caller, "transcript.html", m=meeting, job=view, lines=[], downloads=[],
            pending=True, nav="sitzungen",
        )  # fmt: skip
    path = svc.output_path(ctx, caller.user, meeting, job, artifacts.TRANSCRIPT_JSON)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        lines = [
            {"start": float(seg["start_s"]), "speaker": speaker_display_name(seg.get("speaker")),
             "text": str(seg.get("text", ""))}
            for seg in data.get("segments", [])
        ]  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        raise Gone("Das Transkript ist nicht lesbar; bitte die Verarbeitung wiederholen.") from None
    names = [n for n in artifacts.TRANSCRIPT_FILES if n != "diarization.rttm"]
    return render(
        request, caller, "transcript.html", m=meeting, job=view, lines=lines,
        downloads=[(n, artifacts.LABELS[n]) for n in names], pending=False, nav="sitzungen",
    )  # fmt: skip


@router.get("/sitzungen/{meeting_id}/aufnahmen/{recording_id}")
def download_recording(
    meeting_id: str, recording_id: str, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    """The recording as a download; a deleted one gets a German page saying when and why
    (a bare 410 behind a download link fails silently in the browser)."""
    meeting = svc.get_meeting(s, caller.user, meeting_id)
    path, recording = svc.recording_path(ctx, s, caller.user, meeting, recording_id)
    audit.record(
        s, "recording.downloaded", user=caller.user, meeting_id=meeting.id,
        details={"recording_id": recording.id},
    )  # fmt: skip
    return FileResponse(path, filename=recording.original_name)


def _require_delete(s: Session, user: User, meeting: Meeting) -> None:
    if review.is_published(s, meeting.id):
        access.require(
            svc.may_delete(s, user, meeting),
            "Die Niederschrift dieser Sitzung ist veröffentlicht; löschen darf die Sitzung "
            "jetzt nur die Verwaltung (mit Begründung).",
        )
    access.require(
        access.can_delete(user, meeting),
        "Sitzungen löschen darf nur die Schriftführung der Sitzung oder die Verwaltung.",
    )


def _delete_page(
    request: Request, caller: Caller, s: Session, meeting: Meeting, **context: Any
) -> HTMLResponse:
    return render(
        request, caller, "meeting_delete.html", m=meeting, nav="sitzungen",
        published=review.is_published(s, meeting.id), **context,
    )  # fmt: skip


@router.get("/sitzungen/{meeting_id}/loeschen")
def delete_meeting_page(
    meeting_id: str, request: Request, caller: PageCaller, s: DbDep
) -> Response:
    meeting = svc.get_meeting(s, caller.user, meeting_id)
    _require_delete(s, caller.user, meeting)
    return _delete_page(request, caller, s, meeting)


@router.post("/sitzungen/{meeting_id}/loeschen")
def delete_meeting(
    meeting_id: str, request: Request, form: FormDep, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    checked(request, caller, form)
    meeting = svc.get_meeting(s, caller.user, meeting_id)
    published = review.is_published(s, meeting.id)
    reason = field(form, "reason", 2000)
    try:
        svc.delete_meeting(ctx, s, caller.user, meeting, reason)
    except ProtokollError as exc:  # e.g. a job still running, a reason missing
        s.rollback()
        fresh = svc.get_meeting(s, caller.user, meeting_id)
        if published:
            return _delete_page(
                request, caller, s, fresh, error=str(exc), status=status_for(exc), reason=reason
            )
        return meeting_page(request, caller, ctx, s, fresh, error=str(exc), status=status_for(exc))
    return redirect("/?hinweis=" + ("geloescht_veroeffentlicht" if published else "geloescht"))


# ---- own account ---------------------------------------------------------------------------


def _tokens(s: Session, user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id, ~ApiToken.revoked)
    return list(s.scalars(query.order_by(ApiToken.created_at)))


def account_page(
    request: Request, caller: Caller, s: Session, *, status: int = 200, **context: Any
) -> HTMLResponse:
    user = caller.user
    roles = [ROLE_LABELS[r] for r in ROLES if user.has(r)]
    return render(
        request, caller, "account.html", status=status, tokens=_tokens(s, user), roles=roles,
        nav="konto", **context,
    )  # fmt: skip


@router.get("/konto")
def account(request: Request, caller: PageCaller, s: DbDep) -> Response:
    return account_page(request, caller, s)


@router.post("/konto/passwort")
def change_password(
    request: Request, form: FormDep, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    checked(request, caller, form)
    old, new, again = (form.get(k) for k in ("old_password", "new_password", "new_password2"))
    try:
        if not isinstance(new, str) or new != again:
            raise InputError("Die beiden neuen Passwörter stimmen nicht überein.")
        accounts.change_own_password(
            s, ctx.settings.service, caller.user, old if isinstance(old, str) else "", new,
            keep_token=request.cookies.get(SESSION_COOKIE),
        )  # fmt: skip
    except ProtokollError as exc:
        s.rollback()
        return account_page(request, caller, s, status=status_for(exc), error=str(exc))
    return redirect("/konto?hinweis=passwort")


@router.post("/konto/tokens")
def create_token(request: Request, form: FormDep, caller: PageCaller, s: DbDep) -> Response:
    checked(request, caller, form)
    token, record = accounts.create_token(s, caller.user, field(form, "name", 200) or "API")
    return account_page(request, caller, s, new_token=token, new_token_name=record.name)


@router.post("/konto/tokens/{token_id}/widerrufen")
def revoke_token(
    token_id: RowId, request: Request, form: FormDep, caller: PageCaller, s: DbDep
) -> Response:
    checked(request, caller, form)
    accounts.revoke_token(s, caller.user, token_id)
    return redirect("/konto?hinweis=token_widerrufen")


# ---- errors and wiring ---------------------------------------------------------------------


def _caller_for_error(request: Request) -> Caller | None:
    """The logged-in user for the page header; None if unknown (or the database fails)."""
    try:
        with request.app.state.ctx.db.session() as s:
            caller = identify(request, s)
            if caller is not None:
                s.expunge(caller.user)
            return caller
    except Exception:
        return None


def error_page(request: Request, status: int, message: str) -> Response:
    """A German error page; pages that need a login send the browser to the login."""
    if status == 401:
        target = request.url.path
        if request.url.query:
            target += "?" + request.url.query
        if request.method != "GET":
            target = "/"
        return redirect(f"/anmelden?weiter={quote(target, safe='/')}")
    if not message or message == HTTPStatus(status).phrase:
        message = DEFAULT_MESSAGES.get(status, "Die Anfrage konnte nicht bearbeitet werden.")
    title = ERROR_TITLES.get(status, "Fehler")
    caller = _caller_for_error(request)
    return render(request, caller, "error.html", status=status, title=title, message=message)


async def routing_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (no such route), which the app's FastAPI handler misses."""
    assert isinstance(exc, StarletteHTTPException)
    if answers_json(request.url.path):
        return JSONResponse(
            {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
        )
    return error_page(request, exc.status_code, str(exc.detail))
