"""The review page (German): transcript with the audio in sync, speaker mapping, TOP edits,
the Word round trip, review steps and publication.

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
from protokoll.domain.transcript import Segment, speaker_display_name
from protokoll.errors import InputError, ProtokollError
from protokoll.formatting import date_de
from protokoll.review import edits, transcript_edits
from protokoll.review.workflow import ACTION_LABELS, Step
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
from protokoll.service.infra.tables import Meeting, MinutesVersion, User
from protokoll.service.usecases import access, publishing, retention, review_docs
from protokoll.service.usecases import meetings as svc
from protokoll.service.usecases import minutes_review as review
from protokoll.service.usecases.access import NotFound

router: APIRouter = APIRouter(include_in_schema=False)

REVIEW_NOTICES = {
    "gespeichert": "Die Änderung wurde als neue Fassung gespeichert.",
    "sprecher_zugeordnet": "Die Sprecherzuordnung wurde als neue Fassung gespeichert.",
    "transkript": "Die Korrektur des Transkripts wurde als neue Fassung gespeichert.",
    "sitzung": "Die Sitzungsdaten wurden als neue Fassung gespeichert.",
    "word": "Das Word-Dokument wurde als neue Fassung übernommen.",
    "einreichen": "Die Niederschrift wurde zur Prüfung gegeben.",
    "zurueckgeben": "Die Niederschrift wurde zur Überarbeitung zurückgegeben.",
    "freigeben": "Ihre Freigabe wurde gespeichert.",
    "veroeffentlichen": "Die Niederschrift wurde veröffentlicht.",
}
# steps that need a confirmation naming their consequences (a page, works without script)
CONFIRMED_STEPS = ("freigeben", "veroeffentlichen")
CONFIRMED = "ja"
NOTICES.update(REVIEW_NOTICES)
# the form "Sitzungsdaten": field name = SessionEdit's attribute, label
SESSION_FIELDS = {
    "start_time": "Beginn",
    "end_time": "Ende",
    "place": "Ort",
    "chair": "Vorsitz",
    "recorder": "Schriftführung",
}
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
        if recording is not None:
            context["deletion_plan"] = retention.plan(
                ctx.of(meeting), recording, published=view["state"] == "veroeffentlicht"
            )
    return render(
        request, caller, "review.html", status=status, error=error, nav="sitzungen", **context
    )


HEARING_SAMPLE_S = 8.0  # how long a "Hörprobe" plays at most


def _ranges(pairs: list[tuple[float, float]]) -> str:
    """Time ranges for the player (``data-ranges``): "12.40-15.00 20.00-22.10"."""
    return " ".join(f"{a:.2f}-{max(a, b):.2f}" for a, b in pairs)


def _lines(
    segments: list[Segment], names: dict[str, str], corrected: dict[str, str],
    flagged: list[tuple[float, float]], threshold: float,
) -> list[dict[str, Any]]:  # fmt: skip
    lines = []
    for index, seg in enumerate(segments):
        hit = any(start <= seg.end_s and seg.start_s <= end for start, end in flagged)
        words = [
            {
                "start": w.start_s,
                "end": w.end_s,
                "text": w.text.strip(),
                "uncertain": w.probability < threshold,
                "percent": round(w.probability * 100),
                # the recogniser writes "SPD" "-Fraktion": a space only where it has one
                "space": w.text[:1].isspace(),
            }
            for w in seg.words
            if w.text.strip()
        ]
        lines.append(
            {
                "index": index,
                "start": seg.start_s,
                "end": seg.end_s,
                "clock": edits.format_clock(seg.start_s),
                "speaker": speaker_display_name(seg.speaker, names),
                "text": seg.text.strip(),
                "words": words,
                "edited": str(index) in corrected,
                "flagged": hit,
            }
        )
    return lines


def _dividers(lines: list[dict[str, Any]], minutes: Minutes) -> dict[int, list[dict[str, Any]]]:
    """Where each TOP begins in the transcript: line index → the TOPs starting before it
    (the first line that ends after the TOP's start)."""
    found: dict[int, list[dict[str, Any]]] = {}
    for n, item in enumerate(minutes.items, start=1):
        if item.start_s is None or not lines:
            continue
        at = next((line["index"] for line in lines if line["end"] > item.start_s), None)
        if at is None:
            continue
        found.setdefault(at, []).append(
            {"item": item, "anchor": _anchor(item.number), "n": n,
             "clock": edits.format_clock(item.start_s)}
        )  # fmt: skip
    return found


def _anchor(number: str) -> str:
    return "top-" + number.replace(".", "-").replace(" ", "-")


def _samples(segments: list[Segment]) -> dict[str, str]:
    """A few seconds of each speaker (their longest segment), as ``data-ranges``."""
    longest: dict[str, Segment] = {}
    for seg in segments:
        if seg.speaker is None:
            continue
        best = longest.get(seg.speaker)
        if best is None or seg.end_s - seg.start_s > best.end_s - best.start_s:
            longest[seg.speaker] = seg
    return {
        label: _ranges([(seg.start_s, min(seg.end_s, seg.start_s + HEARING_SAMPLE_S))])
        for label, seg in longest.items()
    }


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
    threshold = ctx.of(meeting).settings.output.low_confidence_threshold
    lines = _lines(segments, names, minutes.transcript_edits, flagged, threshold)
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
                "anchor": _anchor(item.number),
                "start_clock": edits.format_clock(item.start_s) if item.start_s is not None else "",
                "summary_text": "\n".join(names_in(s.text, names) for s in item.summary),
                "sentences": [
                    {
                        "text": names_in(s.text, names),
                        "ranges": _ranges([(r.start_s, r.end_s) for r in s.sources]),
                        "clock": edits.format_clock(s.sources[0].start_s) if s.sources else "",
                    }
                    for s in item.summary
                ],
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
    samples = _samples(segments)
    return {
        "version": version,
        "minutes": minutes,
        "lines": lines,
        "dividers": _dividers(lines, minutes),
        "session": [
            {
                "key": key,
                "label": label,
                "value": getattr(
                    minutes.attendance if key in ("chair", "recorder") else minutes.meeting, key
                ),
            }
            for key, label in SESSION_FIELDS.items()
        ],
        "session_flags": [
            {
                "message": names_in(f.message, names),
                "start": f.start_s,
                "clock": edits.format_clock(f.start_s) if f.start_s is not None else "",
            }
            for f in minutes.flags
        ],
        "uncertain_below": threshold,
        "items": items,
        "speakers": [
            {
                "label": label,
                "shown": speaker_display_name(label),
                "name": names.get(label, ""),
                "sample": samples.get(label, ""),
            }
            for label in edits.speaker_labels(minutes, transcript_labels)
        ],
        "names": names,
        "members": members,
        "audio": audio,
        "recording": recording,
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


@router.post("/sitzungen/{meeting_id}/pruefung/sitzung")
def edit_session(
    meeting_id: str, request: Request, form: FormDep, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    """Beginn, Ende, Ort, Vorsitz and Schriftführung, as the reviewer sets them."""
    checked(request, caller, form)
    session = {key: field(form, key, 200) for key in SESSION_FIELDS if key in form}
    return _save(
        request, caller, ctx, s, meeting_id, form, {"session": session}, "sitzung", "#sitzung",
    )  # fmt: skip


@router.get("/sitzungen/{meeting_id}/pruefung/transkript/{index}")
def segment_page(
    meeting_id: str, index: int, request: Request, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    """One transcript segment to correct, as a form (the editor on the review page needs
    script; this page does not)."""
    meeting = svc.get_meeting(s, caller.user, meeting_id)
    review.require_review(caller.user, meeting)
    view = review.review_view(ctx, s, caller.user, meeting)
    version = review.current_version(s, meeting.id)
    if version is None:
        raise NotFound("Es gibt noch keinen Entwurf der Niederschrift.")
    segments = review_docs.load_transcript(ctx, meeting, version).segments
    if not 0 <= index < len(segments):
        raise NotFound(f"Den Transkriptabschnitt {index} gibt es nicht.")
    seg = segments[index]
    names = review.minutes_of(version).speaker_names
    return render(
        request, caller, "review_segment.html", nav="sitzungen",
        m=svc.meeting_view(s, caller.user, meeting), r=view, version=version.number,
        index=index, clock=edits.format_clock(seg.start_s), text=seg.text.strip(),
        speaker=speaker_display_name(seg.speaker, names),
    )  # fmt: skip


@router.post("/sitzungen/{meeting_id}/pruefung/transkript/{index}")
def edit_segment(
    meeting_id: str,
    index: int,
    request: Request,
    form: FormDep,
    caller: PageCaller,
    ctx: CtxDep,
    s: DbDep,
) -> Response:
    checked(request, caller, form)
    text = field(form, "text", transcript_edits.MAX_SEGMENT_CHARS + 1000)
    return _save(
        request, caller, ctx, s, meeting_id, form, {"transcript": {str(index): text}},
        "transkript", f"#seg-{index}",
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
        if action in CONFIRMED_STEPS and field(form, "bestaetigt", 10) != CONFIRMED:
            # not confirmed (a crafted form, a stale page): allowed at all? then ask first
            review.check_step(ctx, s, caller.user, meeting, action)
            return redirect(f"/sitzungen/{meeting_id}/pruefung/bestaetigen/{action}")
        review.transition(ctx, s, caller.user, meeting, action, field(form, "reason", 2000))
    except ProtokollError as exc:
        return _error_page(request, caller, ctx, s, meeting_id, exc)
    return redirect(f"/sitzungen/{meeting_id}/pruefung?hinweis={action}")


@router.get("/sitzungen/{meeting_id}/pruefung/bestaetigen/{action}")
def confirm_step_page(
    meeting_id: str, action: str, request: Request, caller: PageCaller, ctx: CtxDep, s: DbDep
) -> Response:
    """Approval and publication are confirmed on a page of their own that names what the
    step does (documents, read-only meeting, the recording's deletion)."""
    if action not in CONFIRMED_STEPS:
        raise NotFound("Diesen Prüfschritt gibt es nicht.")
    meeting = svc.get_meeting(s, caller.user, meeting_id)
    review.require_review(caller.user, meeting)
    try:
        step = review.check_step(ctx, s, caller.user, meeting, action)
    except ProtokollError as exc:
        return _error_page(request, caller, ctx, s, meeting_id, exc)
    version = review.current_version(s, meeting.id)
    assert version is not None  # check_step: a version exists
    return render(
        request, caller, "review_confirm.html", nav="sitzungen", action=action,
        action_label=ACTION_LABELS[action], m=svc.meeting_view(s, caller.user, meeting),
        version=version.number, confirmed=CONFIRMED,
        consequences=_consequences(ctx, s, caller.user, meeting, action, step, version),
        open_flags=_open_flags(review.minutes_of(version)),
    )  # fmt: skip


def _open_flags(minutes: Minutes) -> list[dict[str, str]]:
    """The review hints still in the version to be approved or published, per TOP, in the
    words of the review page: the confirmation names them, so that nobody signs past a
    warning such as "more votes than members present" without seeing it once more."""
    names = minutes.speaker_names
    found = [{"top": "", "anchor": "", "message": names_in(f.message, names)}
             for f in minutes.flags]  # fmt: skip
    for item in minutes.items:
        for f in [*item.flags, *(f for s in item.summary for f in s.flags)]:
            found.append(
                {"top": item.number, "anchor": _anchor(item.number),
                 "message": names_in(f.message, names)}
            )  # fmt: skip
    return found


def _consequences(
    ctx: ServiceContext,
    s: Session,
    user: User,
    meeting: Meeting,
    action: str,
    step: Step,
    version: MinutesVersion,
) -> list[str]:
    """What the step does, in German sentences, for the confirmation page."""
    own = ctx.of(meeting)
    state = review.review_of(s, meeting.id)
    assert state is not None
    recordings = [r for r in svc.recordings_of(s, meeting) if r.deleted_at is None]
    name = user.display_name or user.username
    today = date_de(dt.datetime.now(dt.UTC).astimezone().date())
    if action == "freigeben":
        lines = [f"Sie geben Fassung {version.number} der Niederschrift frei."]
        if step.final_approval:
            lines.append(
                "Danach kann die Niederschrift nicht mehr bearbeitet werden; Änderungen sind "
                "erst wieder möglich, wenn die Prüfung die Freigabe zurücknimmt."
            )
        else:
            lines.append(
                f"Das ist Freigabe {step.approvals} von {step.required} (Vier-Augen-Prinzip): "
                "danach muss noch eine zweite prüfende Person freigeben."
            )
        lines.append(
            f"Ihr Name steht in der veröffentlichten Niederschrift: „Geprüft und freigegeben "
            f"von {name} …“."
        )
        lines.append("Veröffentlicht wird damit noch nichts; das ist ein eigener Schritt.")
        if recordings:
            plans = {retention.plan(own, r, published=False) for r in recordings}
            kept = "Die Aufnahme wird bei der Freigabe nicht gelöscht. "
            lines.append(kept + " ".join(sorted(plans)))
        return lines
    names = " und ".join(review.approver_names(s, state)) or "der Prüfung"
    public = svc.has_non_public(meeting)
    lines = [
        f"Fassung {version.number} wird veröffentlicht: die Niederschrift als Word, PDF und "
        "JSON" + (", dazu die öffentliche Fassung ohne die nichtöffentlichen TOPs" if public
                  else "") + ", und der OParl-Export für das Ratsinformationssystem.",
        f"Im Dokument steht: „Geprüft und freigegeben von {names} am {today}“.",
        "Die Veröffentlichung lässt sich nicht zurücknehmen. Danach ist die Sitzung "
        "schreibgeschützt: keine neue Verarbeitung, keine weiteren Aufnahmen, keine Änderung "
        "der Tagesordnung; löschen kann sie nur noch die Verwaltung, mit Begründung.",
    ]  # fmt: skip
    if own.settings.minutes.template is None:
        lines.append(
            "Die Niederschrift erscheint ohne Briefkopf der Kommune: es gilt die mitgelieferte "
            "Vorlage. Einen eigenen Briefkopf lädt die Verwaltung unter „Vorlage“ hoch; das "
            "geht nur vor der Veröffentlichung."
        )
    if recordings and own.settings.review.delete_recording == "veroeffentlichung":
        lines.append(
            "Die Aufnahme wird dabei endgültig gelöscht; Transkript, Fassungen und Dokumente "
            "bleiben."
        )
    elif recordings:
        plans = {retention.plan(own, r, published=True) for r in recordings}
        kept = "Die Aufnahme wird bei der Veröffentlichung nicht gelöscht. "
        lines.append(kept + " ".join(sorted(plans)))
    return lines
