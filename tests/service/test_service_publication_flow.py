"""Approval, publication and what follows (issue #17), through the API and the pages:
the recording is deleted at publication and never at approval, both steps are confirmed
on a page naming the consequences, a published meeting is read-only and only an admin
deletes it (with an audited reason), a deleted recording's download says why, and the
meeting list shows the review state and what waits for whom."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document

from protokoll.config import Settings
from protokoll.documents.templates.make_default_template import LETTERHEAD
from protokoll.domain.agenda import Agenda
from protokoll.domain.minutes import Flag, Minutes
from protokoll.domain.progress import ProgressHook
from protokoll.domain.transcript import Transcript
from protokoll.service.infra.tables import AuditEntry, Recording
from tests.support.letterhead import letterhead_docx
from tests.support.pdf import needs_office
from tests.support.service import (
    FakeStages,
    Service,
    make_service,
    sample_agenda_data,
    sample_bytes,
)


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    svc = make_service(tmp_path, monkeypatch)
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def keep_recording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    (tmp_path / "kopf.docx").write_bytes(letterhead_docx("Gemeinde Lindenau – Der Bürgermeister"))
    (tmp_path / "config.toml").write_text(
        '[review]\ndelete_recording = "nie"\nrecording_retention_days = 30\n'
        f'[minutes]\ntemplate = "{tmp_path / "kopf.docx"}"\n',
        encoding="utf-8",
    )
    svc = make_service(tmp_path, monkeypatch)
    try:
        yield svc
    finally:
        svc.close()


def _draft(svc: Service) -> tuple[str, str]:
    meeting, recording, _job = svc.meeting_with_job(agenda=sample_agenda_data())
    return str(meeting["id"]), str(recording["id"])


def _step(svc: Service, meeting_id: str, action: str, role: str, reason: str = "") -> None:
    response = svc.client(role).post(
        f"/api/meetings/{meeting_id}/review/{action}", json={"reason": reason}
    )
    assert response.status_code == 200, response.text


def _page(svc: Service, path: str, role: str = "schriftfuehrer", status: int = 200) -> str:
    response = svc.client(role).get(path)
    assert response.status_code == status, response.text
    return response.text


def _audit(svc: Service, meeting_id: str, action: str) -> list[dict[str, object]]:
    with svc.ctx.db.session() as s:
        rows = s.query(AuditEntry).filter(
            AuditEntry.meeting_id == meeting_id, AuditEntry.action == action
        )
        return [json.loads(e.details) for e in rows]


# ---- confirmation --------------------------------------------------------------------------


def test_approval_is_confirmed_on_a_page_naming_the_consequences(service: Service) -> None:
    meeting_id, _recording = _draft(service)
    _step(service, meeting_id, "einreichen", "schriftfuehrer")
    reviewer = service.client("pruefer")
    review = _page(service, f"/sitzungen/{meeting_id}/pruefung", "pruefer")
    assert f'action="/sitzungen/{meeting_id}/pruefung/bestaetigen/freigeben"' in review
    assert "Die Aufnahme wird bei der Veröffentlichung der Niederschrift gelöscht" in review

    # a POST without the confirmation (a crafted form, a stale page) is sent to the page
    unconfirmed = reviewer.post(
        f"/sitzungen/{meeting_id}/pruefung/schritt/freigeben", data={}, follow_redirects=False
    )
    assert unconfirmed.status_code == 303
    assert unconfirmed.headers["location"].endswith("/pruefung/bestaetigen/freigeben")
    assert service.client("pruefer").get(f"/api/meetings/{meeting_id}/review").json()[
        "state"] == "in_pruefung"  # fmt: skip

    page = _page(service, f"/sitzungen/{meeting_id}/pruefung/bestaetigen/freigeben", "pruefer")
    assert "nicht mehr bearbeitet werden" in page
    assert "Geprüft und freigegeben von Pruefer" in page  # the approver is named
    assert "Die Aufnahme wird bei der Freigabe nicht gelöscht" in page
    assert 'name="bestaetigt"' in page and "required" in page
    # not allowed at all: the error, not the confirmation
    refused = service.client("schriftfuehrer").get(
        f"/sitzungen/{meeting_id}/pruefung/bestaetigen/freigeben"
    )
    assert refused.status_code == 403 and "Rolle Prüfung" in refused.text

    confirmed = reviewer.post(
        f"/sitzungen/{meeting_id}/pruefung/schritt/freigeben", data={"bestaetigt": "ja"},
        follow_redirects=False,
    )  # fmt: skip
    assert confirmed.status_code == 303 and "hinweis=freigeben" in confirmed.headers["location"]
    # approval keeps the recording: a draft returned for rework is still heard
    assert reviewer.get(f"/api/meetings/{meeting_id}/audio").status_code == 200
    with service.ctx.db.session() as s:
        assert s.query(Recording).filter(Recording.deleted_at.is_not(None)).count() == 0


class FlaggedStages(FakeStages):
    """The fake draft with two review hints still open, as the walk-through met them."""

    def minutes(
        self, transcript: Transcript, agenda: Agenda, settings: Settings, hook: ProgressHook
    ) -> Minutes:
        minutes = super().minutes(transcript, agenda, settings, hook)
        minutes.items[1].flags.append(
            Flag("stimmen_anwesend", "Die genannten Stimmen (19) sind mehr als die "
                 "anwesenden Mitglieder (8).", start_s=61.0)
        )  # fmt: skip
        minutes.flags.append(Flag("ende", "Das Ende (18:04 Uhr) ist aus der Aufnahme berechnet."))
        return minutes


def test_the_confirmation_names_the_open_review_hints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Walk-through, problem 1: the Prüferin approved past "19 votes, 8 present" because the
    confirmation did not mention it. It now lists every hint still in the version."""
    svc = make_service(tmp_path, monkeypatch, stages=FlaggedStages())
    try:
        meeting_id, _recording = _draft(svc)
        _step(svc, meeting_id, "einreichen", "schriftfuehrer")
        page = _page(svc, f"/sitzungen/{meeting_id}/pruefung/bestaetigen/freigeben", "pruefer")
        hints = page.split('id="open-flags"', 1)[1].split("</div>", 1)[0]
        assert "2 Prüfhinweise sind in dieser Fassung noch vermerkt" in hints
        assert "TOP 2</a>: Die genannten Stimmen (19) sind mehr als" in hints
        assert f'href="/sitzungen/{meeting_id}/pruefung#top-2"' in hints
        assert "Das Ende (18:04 Uhr) ist aus der Aufnahme berechnet." in hints
        _step(svc, meeting_id, "freigeben", "pruefer")
        publish = _page(svc, f"/sitzungen/{meeting_id}/pruefung/bestaetigen/veroeffentlichen")
        assert 'id="open-flags"' in publish and "vor" in publish
    finally:
        svc.close()
    # a draft without hints has no such box
    (tmp_path / "clean").mkdir()
    clean = make_service(tmp_path / "clean", monkeypatch)
    try:
        meeting_id, _recording = _draft(clean)
        _step(clean, meeting_id, "einreichen", "schriftfuehrer")
        page = _page(clean, f"/sitzungen/{meeting_id}/pruefung/bestaetigen/freigeben", "pruefer")
        assert 'id="open-flags"' not in page
    finally:
        clean.close()


@needs_office
def test_publication_confirmed_deletes_the_recording_and_locks_the_meeting(
    service: Service,
) -> None:
    meeting_id, recording_id = _draft(service)
    corrected = service.client("schriftfuehrer").put(
        f"/api/meetings/{meeting_id}/transcript/segments/0",
        json={"base": 1, "text": "Die Niederschrift ist vollständig."},
    )
    assert corrected.status_code == 200, corrected.text
    _step(service, meeting_id, "einreichen", "schriftfuehrer")
    _step(service, meeting_id, "freigeben", "pruefer")
    page = _page(service, f"/sitzungen/{meeting_id}/pruefung/bestaetigen/veroeffentlichen")
    assert "lässt sich nicht zurücknehmen" in page and "schreibgeschützt" in page
    assert "Die Aufnahme wird dabei endgültig gelöscht" in page
    # walk-through of #17, problem 7: the shipped template has no letterhead; say so here
    assert "ohne Briefkopf der Kommune" in page
    owner = service.client("schriftfuehrer")
    response = owner.post(
        f"/sitzungen/{meeting_id}/pruefung/schritt/veroeffentlichen",
        data={"bestaetigt": "ja"}, follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303, response.text
    with service.ctx.db.session() as s:
        recording = s.get(Recording, recording_id)
        assert recording is not None and recording.deleted_reason == "veroeffentlichung"

    # read-only: nothing is offered, and everything is refused server-side
    meeting_page = _page(service, f"/sitzungen/{meeting_id}")
    assert 'id="read-only"' in meeting_page
    for gone in ('id="upload-form"', 'id="start-form"', "/tagesordnung", "/sprecher\"",
                 "/wiederholen", "Sitzung löschen …"):  # fmt: skip
        assert gone not in meeting_page, gone
    assert "bei der Veröffentlichung der Niederschrift gelöscht" in meeting_page
    assert "KI-Entwurf der Niederschrift und das unkorrigierte Transkript sind hier nicht" in (
        meeting_page
    )
    assert "Geprüfte Niederschrift ansehen (schreibgeschützt)" in meeting_page
    assert "Niederschrift prüfen und bearbeiten" not in meeting_page
    assert "/outputs/niederschrift.docx" not in meeting_page  # the unreviewed draft
    # walk-through of #17, problem 6: the Wortprotokoll beside the published files was the
    # job's, as recognised; now it is the published version's, with the corrections
    assert "/outputs/transcript.docx" not in meeting_page
    link = f"/api/meetings/{meeting_id}/versions/2/documents/transcript.docx"
    assert link in meeting_page.split('id="corrected-transcript"', 1)[1]
    wort = Document(io.BytesIO(owner.get(link).content))
    assert any("Die Niederschrift ist vollständig." in p.text for p in wort.paragraphs)
    assert "/published/niederschrift.pdf" in meeting_page
    view = owner.get(f"/api/meetings/{meeting_id}").json()
    assert view["published"] is True and view["permissions"]["modify"] is False
    api = f"/api/meetings/{meeting_id}"
    refusals = [
        owner.post(f"{api}/uploads", json={"filename": "b.ogg", "size": len(sample_bytes())}),
        owner.put(f"{api}/members", json={"members": [{"name": "A"}]}),
        owner.post(f"{api}/jobs", json={}),
        owner.post(f"/sitzungen/{meeting_id}/tagesordnung", data={"members": "A; B"}),
    ]
    for refused in refusals:
        assert refused.status_code == 409, refused.text
        assert "veröffentlicht" in refused.text
    job_id = view["jobs"][0]["id"]
    rerun = owner.post(f"/auftraege/{job_id}/sprecher", data={}, follow_redirects=False)
    assert rerun.status_code == 409 and "veröffentlicht" in rerun.text

    # the deleted recording's download says so, in German, on a page
    download = owner.get(f"/sitzungen/{meeting_id}/aufnahmen/{recording_id}")
    assert download.status_code == 410
    assert "text/html" in download.headers["content-type"]
    assert "bei der Veröffentlichung der Niederschrift gelöscht" in download.text

    # the published Niederschrift: no source times, no placeholder, the approver named
    docx = owner.get(f"{api}/published/niederschrift.docx")
    doc = Document(io.BytesIO(docx.content))
    body = "\n".join(p.text for p in doc.paragraphs)
    headers = "\n".join(p.text for sec in doc.sections for p in sec.header.paragraphs)
    assert not re.search(r"\[\d{2}:\d{2}:\d{2}", body)
    assert LETTERHEAD not in headers and "Platzhalter" not in headers
    assert "Geprüft und freigegeben von Pruefer" in body
    assert "von der Schriftführung geprüft" not in body


def test_a_published_meeting_is_deleted_only_by_an_admin_with_a_reason(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    from protokoll.service.usecases import publishing

    monkeypatch.setattr(publishing, "docx_to_pdf", lambda docx, pdf: pdf.write_bytes(b"%PDF"))
    meeting_id, _recording = _draft(service)
    service.publish(meeting_id)
    owner = service.client("schriftfuehrer")
    refused = owner.delete(f"/api/meetings/{meeting_id}")
    assert refused.status_code == 403 and "nur die Verwaltung" in refused.text
    assert owner.get(f"/sitzungen/{meeting_id}/loeschen").status_code == 403
    admin = service.client("admin")
    page = _page(service, f"/sitzungen/{meeting_id}/loeschen", "admin")
    assert 'id="published-warning"' in page and 'name="reason"' in page
    no_reason = admin.post(f"/sitzungen/{meeting_id}/loeschen", data={"reason": " "})
    assert no_reason.status_code == 422 and "begründen" in no_reason.text
    deleted = admin.post(
        f"/sitzungen/{meeting_id}/loeschen", data={"reason": "Falsche Sitzung veröffentlicht"},
        follow_redirects=False,
    )  # fmt: skip
    assert deleted.status_code == 303, deleted.text
    assert service.meeting_row(meeting_id) is None
    (entry,) = _audit(service, meeting_id, "meeting.deleted")
    assert entry["published"] is True and entry["reason"] == "Falsche Sitzung veröffentlicht"


def test_without_deletion_at_publication_the_pages_name_the_retention_date(
    keep_recording: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    from protokoll.service.usecases import publishing

    svc = keep_recording
    monkeypatch.setattr(publishing, "docx_to_pdf", lambda docx, pdf: pdf.write_bytes(b"%PDF"))
    meeting_id, _recording = _draft(svc)
    before = _page(svc, f"/sitzungen/{meeting_id}")
    assert re.search(r"Die Aufnahme wird am \d{2}\.\d{2}\.\d{4} gelöscht \(Aufbewahrungsfrist\)",
                     before)  # fmt: skip
    _step(svc, meeting_id, "einreichen", "schriftfuehrer")
    _step(svc, meeting_id, "freigeben", "pruefer")
    confirm = _page(svc, f"/sitzungen/{meeting_id}/pruefung/bestaetigen/veroeffentlichen")
    assert "ohne Briefkopf" not in confirm  # this installation has its own letterhead
    _step(svc, meeting_id, "veroeffentlichen", "schriftfuehrer")
    assert svc.client("pruefer").get(f"/api/meetings/{meeting_id}/audio").status_code == 200
    assert "Aufbewahrungsfrist" in _page(svc, f"/sitzungen/{meeting_id}/pruefung", "pruefer")


# ---- the meeting list ----------------------------------------------------------------------


def test_the_list_shows_the_review_state_and_what_waits_for_me(service: Service) -> None:
    meeting_id, _recording = _draft(service)
    listing = _page(service, "/")
    assert "review-entwurf" in listing and "wartet auf mich" not in listing

    _step(service, meeting_id, "einreichen", "schriftfuehrer")
    reviewer_list = _page(service, "/", "pruefer")
    assert "In Prüfung" in reviewer_list and "wartet auf Ihre Freigabe" in reviewer_list
    assert "1</span> Sitzung wartet auf Sie" in reviewer_list
    assert "wartet auf mich" not in _page(service, "/")  # the writer waits for the review

    _step(service, meeting_id, "zurueckgeben", "pruefer", reason="TOP 2 fehlt")
    writer_list = _page(service, "/")
    assert "zur Überarbeitung zurückgegeben" in writer_list and "wartet auf mich" in writer_list
    assert "wartet auf mich" not in _page(service, "/", "pruefer")
    only_mine = _page(service, "/?auf_mich=1")
    assert meeting_id in only_mine
    assert "Im Moment wartet keine Sitzung auf Sie." in _page(service, "/?auf_mich=1", "pruefer")
    # the admin sees no confidential review work as waiting
    assert "wartet auf mich" not in _page(service, "/", "admin")
