"""The review page (German): transcript with the audio in sync, speaker mapping, TOP edits,
the Word round trip, review steps and publication; and the admin's AI-register page.

The handlers call the same functions as the JSON API (`review.py`, `review_docs.py`,
`api.review.apply_edits`), so every rule exists once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from protokoll.domain.minutes import RESULTS, Minutes
from protokoll.domain.speakers import names_in
from protokoll.domain.transcript import speaker_display_name
from protokoll.errors import InputError, ProtokollError
from protokoll.formatting import date_de, number_de, percent_de
from protokoll.register import RegisterError
from protokoll.review import edits
from protokoll.review.workflow import ACTION_LABELS
from protokoll.service.context import ServiceContext
from protokoll.service.http.api import VersionBody, edited_minutes, recording_of_version
from protokoll.service.http.deps import Caller, CtxDep, DbDep
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
from protokoll.service.infra.tables import Meeting
from protokoll.service.usecases import access, accounts, publishing, review_docs
from protokoll.service.usecases import meetings as svc
from protokoll.service.usecases import minutes_review as review
from protokoll.service.usecases.register import register_overview

router: APIRouter = APIRouter(include_in_schema=False)

REVIEW_NOTICES = {
    "gespeichert": "Die Änderung wurde als neue Fassung gespeichert.",
    "sprecher_zugeordnet": "Die Sprecherzuordnung wurde als neue Fassung gespeichert.",
    "word": "Das Word-Dokument wurde als neue Fassung übernommen.",
    "einreichen": "Die Niederschrift wurde zur Prüfung gegeben.",
    "zurueckgeben": "Die Niederschrift wurde zur Überarbeitung zurückgegeben.",
    "freigeben": "Ihre Freigabe wurde gespeichert.",
    "veroeffentlichen": "Die Niederschrift wurde veröffentlicht.",
}
NOTICES.update(REVIEW_NOTICES)
VOTE_FIELDS = (("yes", "Ja"), ("no", "Nein"), ("abstain", "Enthaltungen"), ("biased", "Befangen"))


def _page(
    request: Request,
    caller: Caller,
    ctx: ServiceContext,
    s: Session,
    meeting: Meeting,
    *,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    view = review.review_view(ctx, s, caller.user, meeting)
    version = review.current_version(s, meeting.id)
    context: dict[str, Any] = {
        "m": svc.meeting_view(s, caller.user, meeting),
        "r": view,
        "action_labels": ACTION_LABELS,
        "results": RESULTS,
        "vote_fields": VOTE_FIELDS,
        "published": publishing.published_files(ctx, meeting, confidential=True),
        "published_labels": publishing.PUBLISHED_LABELS,
    }
    if version is not None:
        minutes = review.minutes_of(version)
        recording = recording_of_version(s, version)
        context.update(_draft_context(ctx, meeting, version, minutes, recording))
    return render(
        request, caller, "review.html", status=status, error=error, nav="sitzungen", **context
    )


def _draft_context(
    ctx: ServiceContext, meeting: Meeting, version: Any, minutes: Minutes, recording: Any
) -> dict[str, Any]:
    names = minutes.speaker_names
    try:
        transcript = review_docs.load_transcript(ctx, meeting, version)
        segments = transcript.segments
        transcript_labels = transcript.speakers
    except ProtokollError:
        segments, transcript_labels = [], []
    flagged = [
        (f.start_s, f.end_s if f.end_s is not None else f.start_s)
        for item in minutes.items
        for f in [*item.flags, *(f for s in item.summary for f in s.flags)]
        if f.start_s is not None
    ]
    lines = []
    for seg in segments:
        hit = any(start <= seg.end_s and seg.start_s <= end for start, end in flagged)
        lines.append(
            {
                "start": seg.start_s,
                "end": seg.end_s,
                "clock": edits.format_clock(seg.start_s),
                "speaker": speaker_display_name(seg.speaker, names),
                "text": seg.text,
                "flagged": hit,
            }
        )
    members = []
    agenda = svc.agenda_of(meeting)
    if agenda is not None:
        members = [m.name for m in agenda.members]
    items: list[dict[str, Any]] = []
    for item in minutes.items:
        flags = [*item.flags, *(f for s in item.summary for f in s.flags)]
        items.append(
            {
                "item": item,
                "start_clock": edits.format_clock(item.start_s) if item.start_s is not None else "",
                "summary_text": "\n".join(names_in(s.text, names) for s in item.summary),
                "motions_text": "\n".join(names_in(m, names) for m in item.motions),
                "resolution_text": names_in(item.resolution_text or "", names),
                "flags": [
                    {
                        "message": names_in(f.message, names),
                        "text": names_in(f.text, names) if f.text else f.text,
                        "start": f.start_s,
                        "clock": edits.format_clock(f.start_s) if f.start_s is not None else "",
                    }
                    for f in flags
                ],
                "rate": None,
            }
        )
    rates = (version.edit_rate or {}).get("items", [])
    by_number = {str(r.get("number")): r for r in rates}
    for entry in items:
        entry["rate"] = by_number.get(entry["item"].number)
    audio = recording is not None and recording.deleted_at is None
    return {
        "version": version,
        "minutes": minutes,
        "lines": lines,
        "items": items,
        "speakers": [
            {"label": label, "shown": speaker_display_name(label), "name": names.get(label, "")}
            for label in edits.speaker_labels(minutes, transcript_labels)
        ],
        "names": names,
        "members": members,
        "audio": audio,
        "recording": recording,
        "reason_labels": {"freigabe": "nach der Freigabe", "frist": "nach Ablauf der Frist"},
    }


def _error_page(
    request: Request,
    caller: Caller,
    ctx: ServiceContext,
    s: Session,
    meeting_id: str,
    exc: ProtokollError,
) -> HTMLResponse:
    """The review page again, with the message; nothing of the failed change is kept.

    Someone who may not see the draft gets the error itself (a German error page).
    """
    s.rollback()
    meeting = svc.get_meeting(s, caller.user, meeting_id)
    if not access.can_see_confidential(caller.user, meeting):
        raise exc
    return _page(request, caller, ctx, s, meeting, error=str(exc), status=status_for(exc))


@router.get("/sitzungen/{meeting_id}/pruefung")
def review_page(
    meeting_id: str, request: Request, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    meeting = svc.get_meeting(s, caller.user, meeting_id)
    review.require_review(caller.user, meeting)
    return _page(request, caller, ctx, s, meeting)


def _save(
    request: Request,
    caller: Caller,
    ctx: ServiceContext,
    s: Session,
    meeting_id: str,
    form: FormData,
    body: dict[str, Any],
    notice: str,
    anchor: str = "",
) -> Response:
    meeting = svc.get_meeting(s, caller.user, meeting_id)
    review.require_review(caller.user, meeting)
    try:
        base_text = field(form, "base", 10)
        if not base_text.isdigit():
            raise InputError("Die Fassung fehlt; bitte die Seite neu laden.")
        request_body = VersionBody(base=int(base_text), **body)
        minutes = edited_minutes(ctx, s, meeting, request_body)
        review.save_version(
            s, caller.user, meeting, minutes, source="web", base_number=request_body.base,
            note=field(form, "note", 2000),
        )  # fmt: skip
    except ProtokollError as exc:
        return _error_page(request, caller, ctx, s, meeting_id, exc)
    return redirect(f"/sitzungen/{meeting_id}/pruefung?hinweis={notice}{anchor}")


@router.post("/sitzungen/{meeting_id}/pruefung/sprecher")
def map_speakers(
    meeting_id: str, request: Request, form: FormDep, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    checked(request, caller, form)
    names = {
        key.removeprefix("name_"): field(form, key, 200) for key in form if key.startswith("name_")
    }
    return _save(
        request, caller, ctx, s, meeting_id, form, {"speaker_names": names},
        "sprecher_zugeordnet", "#sprecher",
    )  # fmt: skip


def _count(form: FormData, key: str) -> int | None:
    text = field(form, key, 10)
    if not text or text in ("-", "–"):
        return None
    if not text.isdigit():
        raise InputError("Stimmenzahlen bitte als ganze Zahlen angeben (oder leer lassen).")
    return int(text)


@router.post("/sitzungen/{meeting_id}/pruefung/top/{number}")
def edit_top(
    meeting_id: str,
    number: str,
    request: Request,
    form: FormDep,
    caller: PageCaller,
    ctx: CtxDep,
    s: DbDep,
) -> Response:
    checked(request, caller, form)
    try:
        start = field(form, "start", 20)
        item: dict[str, Any] = {
            "summary": field(form, "summary", 100_000).splitlines(),
            "motions": field(form, "motions", 100_000).splitlines(),
            "resolution_text": field(form, "resolution_text", 100_000),
            "result": field(form, "result", 100),
            "votes": {key: _count(form, f"votes_{key}") for key, _ in VOTE_FIELDS},
            "start_s": edits.parse_clock(start) if start else None,
        }
    except ProtokollError as exc:
        return _error_page(request, caller, ctx, s, meeting_id, exc)
    anchor = "#top-" + "".join(c if c.isalnum() else "-" for c in number)
    return _save(
        request, caller, ctx, s, meeting_id, form, {"items": {number: item}}, "gespeichert",
        anchor,
    )  # fmt: skip


@router.post("/sitzungen/{meeting_id}/pruefung/word")
def upload_word(
    meeting_id: str, request: Request, form: FormDep, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    checked(request, caller, form)
    meeting = svc.get_meeting(s, caller.user, meeting_id)
    upload = form.get("datei")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InputError("Bitte das bearbeitete Word-Dokument (DOCX) auswählen.")
        data = upload.file.read(review_docs.MAX_DOCX_BYTES + 1)
        review_docs.import_docx(ctx, s, caller.user, meeting, data)
    except ProtokollError as exc:
        return _error_page(request, caller, ctx, s, meeting_id, exc)
    return redirect(f"/sitzungen/{meeting_id}/pruefung?hinweis=word")


@router.post("/sitzungen/{meeting_id}/pruefung/schritt/{action}")
def review_step(
    meeting_id: str,
    action: str,
    request: Request,
    form: FormDep,
    caller: PageCaller,
    ctx: CtxDep,
    s: DbDep,
) -> Response:
    checked(request, caller, form)
    meeting = svc.get_meeting(s, caller.user, meeting_id)
    try:
        review.transition(ctx, s, caller.user, meeting, action, field(form, "reason", 2000))
    except ProtokollError as exc:
        return _error_page(request, caller, ctx, s, meeting_id, exc)
    return redirect(f"/sitzungen/{meeting_id}/pruefung?hinweis={action}")


# ---- the AI register (admin) ---------------------------------------------------------------


@router.get("/verwaltung/ki-register")
def register_page(request: Request, caller: PageCaller, ctx: CtxDep, s: DbDep) -> Response:
    accounts.require_admin(caller.user)
    key = caller.user.municipality_id
    assert key is not None  # require_admin
    own = ctx.for_municipality(key, s)
    states = register_overview(s, own.settings, municipality_id=key, now=dt.datetime.now(dt.UTC))
    german = next(st for st in states if st.target == "de")
    if german.export is None:
        raise RegisterError(german.problem or "Der deutsche Registereintrag fehlt.")
    entry = german.export.data
    return render(
        request, caller, "register.html", entry=entry, rows=figure_rows(entry["kennzahlen"]),
        targets=states, nav="register",
    )  # fmt: skip


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
