"""Review in the service: versions, edits, the Word round trip, the review steps,
publication, retention of the recording, and the AI-register figures of a test run."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from protokoll.service.infra import audit
from protokoll.service.infra.tables import AuditEntry, MinutesVersion, Recording
from protokoll.service.usecases import retention
from tests.support.pdf import needs_office
from tests.support.service import (
    NON_PUBLIC_TITLE,
    PASSWORD,
    USERS,
    Service,
    make_service,
    sample_agenda_data,
)


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    svc = make_service(tmp_path, monkeypatch)
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def four_eyes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    (tmp_path / "config.toml").write_text("[review]\nfour_eyes = true\n", encoding="utf-8")
    svc = make_service(tmp_path, monkeypatch)
    try:
        yield svc
    finally:
        svc.close()


def meeting_with_draft(svc: Service) -> str:
    meeting, _recording, _job = svc.meeting_with_job(agenda=sample_agenda_data())
    return str(meeting["id"])


def get_review(svc: Service, meeting_id: str, role: str = "schriftfuehrer") -> dict[str, Any]:
    response = svc.client(role).get(f"/api/meetings/{meeting_id}/review")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def step(
    svc: Service, meeting_id: str, action: str, role: str, expect: int = 200, reason: str = ""
) -> dict[str, Any]:
    response = svc.client(role).post(
        f"/api/meetings/{meeting_id}/review/{action}", json={"reason": reason}
    )
    assert response.status_code == expect, response.text
    data: dict[str, Any] = response.json()
    return data


def edit(svc: Service, meeting_id: str, body: dict[str, Any], role: str = "schriftfuehrer",
         expect: int = 201) -> dict[str, Any]:  # fmt: skip
    response = svc.client(role).post(f"/api/meetings/{meeting_id}/versions", json=body)
    assert response.status_code == expect, response.text
    data: dict[str, Any] = response.json()
    return data


def version_minutes(svc: Service, meeting_id: str, number: int) -> dict[str, Any]:
    response = svc.client("pruefer").get(f"/api/meetings/{meeting_id}/versions/{number}")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["minutes"]
    return data


def audit_actions(svc: Service, meeting_id: str) -> list[tuple[str, dict[str, Any]]]:
    with svc.ctx.db.session() as s:
        rows = (
            s.query(AuditEntry).filter(AuditEntry.meeting_id == meeting_id).order_by(AuditEntry.seq)
        )
        return [(e.action, json.loads(e.details)) for e in rows]


# ---- versions and edits --------------------------------------------------------------------


def test_a_finished_job_gives_the_ai_draft_as_version_one(service: Service) -> None:
    meeting_id = meeting_with_draft(service)
    review = get_review(service, meeting_id)
    assert (review["state"], review["current"]) == ("entwurf", 1)
    assert [v["source"] for v in review["versions"]] == ["ki"]
    assert ("minutes.version", {"version": 1, "source": "ki"}) in [
        (a, {k: d[k] for k in ("version", "source")}) for a, d in audit_actions(service, meeting_id)
        if a == "minutes.version"
    ]  # fmt: skip
    assert get_review(service, meeting_id, "pruefer")["current"] == 1
    admin = service.client("admin").get(f"/api/meetings/{meeting_id}/review")
    assert admin.status_code == 403 and "Prüfung" in admin.json()["detail"]


def test_edits_make_new_versions_and_never_change_the_ai_draft(service: Service) -> None:
    meeting_id = meeting_with_draft(service)
    draft = version_minutes(service, meeting_id, 1)
    v2 = edit(service, meeting_id, {"base": 1, "speaker_names": {"SPEAKER_01": "Anna Beispiel"}})
    assert v2["number"] == 2 and v2["edit_rate"] == 0.0  # names only: the TOP texts are equal
    v3 = edit(service, meeting_id, {"base": 2, "items": {"1": {
        "resolution_text": "Der Rat beschließt wie vorgeschlagen.",
        "result": "einstimmig beschlossen", "votes": {"yes": 12, "no": 0}}}},
        role="pruefer")  # fmt: skip
    assert v3["number"] == 3 and v3["edit_rate"] > 0
    assert v3["edit_rate_items"]["1"] > 0 and v3["edit_rate_items"]["2"] == 0.0
    assert version_minutes(service, meeting_id, 1) == draft
    minutes = version_minutes(service, meeting_id, 3)
    assert minutes["speaker_names"]["SPEAKER_01"] == "Anna Beispiel"
    assert minutes["items"][0]["votes"]["yes"] == 12
    actions = [a for a, _d in audit_actions(service, meeting_id)]
    assert actions.count("minutes.version") == 3 and actions.count("speakers.mapped") == 1
    # the database refuses to change a stored version
    with service.ctx.db.session() as s, pytest.raises(DatabaseError):
        s.execute(text("UPDATE minutes_versions SET content = '{}' WHERE number = 1"))


def test_the_session_data_are_set_on_the_review_page_and_reach_the_document(
    service: Service,
) -> None:
    """Walk-through of #17: the published minutes said "Ende: 18:04 Uhr" and "Schriftführung:
    –" and the review page had no field for either. The form "Sitzungsdaten" sets them as a
    new version; the Word document shows them; a wrong time is refused in German."""
    meeting_id = meeting_with_draft(service)
    client = service.client("cookie")
    page = client.get(f"/sitzungen/{meeting_id}/pruefung").text
    assert 'id="sitzung"' in page and 'name="end_time"' in page and 'name="recorder"' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    form = {"csrf_token": token.group(1), "base": "1", "start_time": "18:00",
            "end_time": "19:42", "place": "Rathaus, Sitzungssaal", "chair": "",
            "recorder": "Sabine Schreiber"}  # fmt: skip
    saved = client.post(f"/sitzungen/{meeting_id}/pruefung/sitzung", data=form,
                        follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303 and "hinweis=sitzung" in saved.headers["location"]
    minutes = version_minutes(service, meeting_id, 2)
    assert minutes["meeting"]["end_time"] == "19:42"
    assert minutes["attendance"]["recorder"] == "Sabine Schreiber"
    docx = client.get(f"/api/meetings/{meeting_id}/versions/2/documents/niederschrift.docx")
    texts = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert any("19:42" in t for t in texts)
    assert any("Sabine Schreiber" in t for t in texts)
    wrong = client.post(
        f"/sitzungen/{meeting_id}/pruefung/sitzung", data={**form, "base": "2", "end_time": "25:99"}
    )
    assert wrong.status_code == 422 and "keine Uhrzeit für das Ende" in wrong.text
    assert get_review(service, meeting_id)["current"] == 2
    # the API takes the same
    edit(service, meeting_id, {"base": 2, "session": {"end_time": "19:45"}})
    assert version_minutes(service, meeting_id, 3)["meeting"]["end_time"] == "19:45"


def test_an_edit_on_an_old_version_is_refused(service: Service) -> None:
    meeting_id = meeting_with_draft(service)
    edit(service, meeting_id, {"base": 1, "speaker_names": {"SPEAKER_00": "Vorsitz"}})
    stale = edit(service, meeting_id, {"base": 1, "items": {"1": {"motions": ["x"]}}}, expect=409)
    assert "Fassung 2" in stale["detail"]
    nothing = edit(service, meeting_id, {"base": 2, "speaker_names": {"SPEAKER_00": "Vorsitz"}},
                   expect=422)  # fmt: skip
    assert "Keine Änderung" in nothing["detail"]
    bad = edit(
        service, meeting_id, {"base": 2, "items": {"1": {"result": "angenommen"}}}, expect=422
    )
    assert "Unbekanntes Ergebnis" in bad["detail"]
    other = edit(service, meeting_id, {"base": 2, "speaker_names": {"x": "y"}},
                 role="schriftfuehrer2", expect=404)  # fmt: skip
    assert other["detail"]
    assert get_review(service, meeting_id)["current"] == 2


def test_one_mapping_applies_to_every_document(service: Service) -> None:
    meeting_id = meeting_with_draft(service)
    edit(service, meeting_id, {"base": 1, "speaker_names": {"SPEAKER_01": "Jonas Keller"}})
    client = service.client("schriftfuehrer")
    base = f"/api/meetings/{meeting_id}/versions/2/documents"
    vtt = client.get(f"{base}/transcript.vtt")
    assert vtt.status_code == 200 and "Jonas Keller" in vtt.text
    transcript = client.get(f"/api/meetings/{meeting_id}/transcript").json()
    assert {s["name"] for s in transcript["segments"] if s["speaker"] == "SPEAKER_01"} == {
        "Jonas Keller"
    }
    for name in ("transcript.docx", "niederschrift.docx"):
        response = client.get(f"{base}/{name}")
        assert response.status_code == 200
        doc = Document(io.BytesIO(response.content))
        texts = [p.text for p in doc.paragraphs] + [
            c.text for t in doc.tables for row in t.rows for c in row.cells
        ]
        assert any("Jonas Keller" in t for t in texts), name
    docx = Document(io.BytesIO(client.get(f"{base}/niederschrift.docx").content))
    assert docx.core_properties.identifier == f"protokoll:{meeting_id}:2"
    assert client.get(f"{base}/geheim.txt").status_code == 404


def test_readers_never_see_a_speaker_label_and_a_name_renames_the_minutes(
    service: Service,
) -> None:
    """Issue #17: minutes text keeps labels (as after a Word upload: "SPEAKER_01
    erläuterte …"); the review page, the documents and the transcript show "Sprecher 2" or
    the name given, and a name given renames the minutes text as well as the transcript."""
    meeting_id = meeting_with_draft(service)
    number = version_minutes(service, meeting_id, 1)["items"][1]["number"]
    stored = "SPEAKER_01 erläuterte den Antrag."
    edit(service, meeting_id, {"base": 1, "items": {number: {"summary": [stored]}}})
    assert version_minutes(service, meeting_id, 2)["items"][1]["summary"][0]["text"] == stored
    client, _csrf = service.login(USERS["pruefer"][0])

    def visible(html: str) -> str:
        html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
        return re.sub(r"<[^>]+>", " ", html)

    page = visible(client.get(f"/sitzungen/{meeting_id}/pruefung").text)
    assert "SPEAKER_" not in page
    assert "Sprecher 2 erläuterte den Antrag." in page
    edit(service, meeting_id, {"base": 2, "speaker_names": {"SPEAKER_01": "Jonas Keller"}})
    page = visible(client.get(f"/sitzungen/{meeting_id}/pruefung").text)
    assert "SPEAKER_" not in page and "Jonas Keller erläuterte den Antrag." in page
    base = f"/api/meetings/{meeting_id}/versions/3/documents"
    for name in ("transcript.docx", "niederschrift.docx"):
        doc = Document(io.BytesIO(client.get(f"{base}/{name}").content))
        texts = [p.text for p in doc.paragraphs] + [
            c.text for t in doc.tables for row in t.rows for c in row.cells
        ]
        assert not any("SPEAKER_" in t for t in texts), name
        if name == "niederschrift.docx":
            assert "Jonas Keller erläuterte den Antrag." in texts
    assert "SPEAKER_" not in client.get(f"{base}/transcript.vtt").text
    segments = client.get(f"/api/meetings/{meeting_id}/transcript").json()["segments"]
    assert not any(s["name"].startswith("SPEAKER_") for s in segments)


# ---- the review steps ----------------------------------------------------------------------


@needs_office
def test_review_approval_retention_and_publication(service: Service) -> None:
    meeting_id = meeting_with_draft(service)
    # a Schriftführer cannot approve, nobody publishes before approval
    step(service, meeting_id, "veroeffentlichen", "schriftfuehrer", 409)
    step(service, meeting_id, "freigeben", "pruefer", 409)
    step(service, meeting_id, "einreichen", "schriftfuehrer")
    refused = step(service, meeting_id, "freigeben", "schriftfuehrer", 403)
    assert "Rolle Prüfung" in refused["detail"]
    step(service, meeting_id, "veroeffentlichen", "pruefer", 409)
    step(service, meeting_id, "freigeben", "admin", 403)
    approved = step(service, meeting_id, "freigeben", "pruefer")
    assert approved["state"] == "freigegeben" and approved["final_approval"]
    # approval never deletes the recording (a returned draft is checked against it)
    assert approved["recordings_deleted"] == 0
    audio = service.client("pruefer").get(f"/api/meetings/{meeting_id}/audio")
    assert audio.status_code == 200
    # an approved version is not edited, and no new job replaces it
    assert edit(service, meeting_id, {"base": 1, "speaker_names": {"SPEAKER_00": "X"}},
                expect=409)["detail"]  # fmt: skip
    assert service.client("schriftfuehrer").post(
        f"/api/meetings/{meeting_id}/jobs", json={}).status_code == 409  # fmt: skip
    published = step(service, meeting_id, "veroeffentlichen", "schriftfuehrer")
    assert published["state"] == "veroeffentlicht"
    assert published["recordings_deleted"] == 1  # [review] delete_recording = veroeffentlichung
    # the audio is gone, the transcript and the versions stay
    audio = service.client("pruefer").get(f"/api/meetings/{meeting_id}/audio")
    assert audio.status_code == 410 and "Veröffentlichung" in audio.json()["detail"]
    with service.ctx.db.session() as s:
        recording = s.query(Recording).filter(Recording.meeting_id == meeting_id).one()
        assert recording.deleted_reason == "veroeffentlichung"
        assert not service.ctx.layout.recording(meeting_id, recording.stored_name).exists()
    assert (
        service.client("pruefer").get(f"/api/meetings/{meeting_id}/transcript").status_code == 200
    )

    folder = service.ctx.layout.published(meeting_id)
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([
        "minutes.json", "minutes.oeffentlich.json", "niederschrift.docx", "niederschrift.pdf",
        "niederschrift.oeffentlich.docx", "niederschrift.oeffentlich.pdf", "oparl.json",
    ])  # fmt: skip
    assert (folder / "niederschrift.pdf").read_bytes().startswith(b"%PDF")
    full = json.loads((folder / "minutes.json").read_text(encoding="utf-8"))
    assert full["ai_generated"] is False
    oparl = (folder / "oparl.json").read_text(encoding="utf-8")
    assert NON_PUBLIC_TITLE not in oparl and '"agendaItem"' in oparl
    public = json.loads((folder / "minutes.oeffentlich.json").read_text(encoding="utf-8"))
    assert all(item["public"] for item in public["items"])
    # the admin gets the public documents only; the owner all
    admin_list = {d["name"] for d in service.client("admin").get(
        f"/api/meetings/{meeting_id}/published").json()}  # fmt: skip
    assert admin_list == {"niederschrift.oeffentlich.pdf", "niederschrift.oeffentlich.docx",
                          "minutes.oeffentlich.json", "oparl.json"}  # fmt: skip
    assert service.client("admin").get(
        f"/api/meetings/{meeting_id}/published/niederschrift.pdf").status_code == 404  # fmt: skip
    assert service.client("schriftfuehrer").get(
        f"/api/meetings/{meeting_id}/published/niederschrift.pdf").status_code == 200  # fmt: skip
    step(service, meeting_id, "veroeffentlichen", "schriftfuehrer", 409)
    step(service, meeting_id, "zurueckgeben", "pruefer", 409, reason="zu spät")

    actions = [a for a, _d in audit_actions(service, meeting_id)]
    for expected in (
        "review.submitted",
        "review.approved",
        "recording.deleted",
        "review.published",
    ):
        assert expected in actions
    details = dict(audit_actions(service, meeting_id))
    assert details["review.published"]["approved_by"] == ["Pruefer"]
    assert set(details["review.published"]["files"]) == set(names)
    with service.ctx.db.session() as s:
        assert audit.verify(s).ok


def test_four_eyes_needs_two_different_reviewers(four_eyes: Service) -> None:
    svc = four_eyes
    meeting_id = meeting_with_draft(svc)
    with svc.ctx.db.session() as s:
        from protokoll.service.infra import auth

        auth.create_user(s, "pruefer2", PASSWORD, ["pruefer"], display_name="Zweite Prüferin")
    second, csrf = svc.login("pruefer2")
    step(svc, meeting_id, "einreichen", "schriftfuehrer")
    first = step(svc, meeting_id, "freigeben", "pruefer")
    assert (first["state"], first["approvals"], first["required"]) == ("in_pruefung", 1, 2)
    again = step(svc, meeting_id, "freigeben", "pruefer", 403)
    assert "zweite Person" in again["detail"]
    response = second.post(
        f"/api/meetings/{meeting_id}/review/freigeben", json={}, headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "freigegeben"
    events = get_review(svc, meeting_id)["events"]
    assert [e["actor"] for e in events if e["action"] == "freigeben"] == [
        "Pruefer", "Zweite Prüferin",
    ]  # fmt: skip


def test_an_edit_during_review_voids_the_approvals_given(four_eyes: Service) -> None:
    svc = four_eyes
    meeting_id = meeting_with_draft(svc)
    step(svc, meeting_id, "einreichen", "schriftfuehrer")
    step(svc, meeting_id, "freigeben", "pruefer")
    edit(svc, meeting_id, {"base": 1, "items": {"1": {"motions": ["Neuer Antrag."]}}})
    review = get_review(svc, meeting_id)
    assert (review["state"], review["current"], review["approvals"]) == ("in_pruefung", 2, 0)


def test_returning_to_the_draft_needs_a_reason(service: Service) -> None:
    meeting_id = meeting_with_draft(service)
    step(service, meeting_id, "einreichen", "schriftfuehrer")
    assert "Grund" in step(service, meeting_id, "zurueckgeben", "pruefer", 409)["detail"]
    back = step(service, meeting_id, "zurueckgeben", "pruefer", reason="Beschluss TOP 1 fehlt")
    assert back["state"] == "entwurf"
    events = get_review(service, meeting_id)["events"]
    assert events[-1]["reason"] == "Beschluss TOP 1 fehlt" and events[-1]["actor"] == "Pruefer"


def test_a_new_ai_draft_returns_the_review_to_the_draft(service: Service) -> None:
    meeting_id = meeting_with_draft(service)
    step(service, meeting_id, "einreichen", "schriftfuehrer")
    job = service.start_job(meeting_id)
    assert job["state"] == "done"
    review = get_review(service, meeting_id)
    assert (review["state"], review["current"]) == ("entwurf", 2)
    assert [v["source"] for v in review["versions"]] == ["ki", "ki"]


# ---- retention -----------------------------------------------------------------------------


def test_recordings_past_the_retention_period_are_deleted_and_logged(service: Service) -> None:
    meeting_id = meeting_with_draft(service)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=89)
    assert retention.sweep_expired(service.ctx, now=later) == 0
    much_later = dt.datetime.now(dt.UTC) + dt.timedelta(days=91)
    assert retention.sweep_expired(service.ctx, now=much_later) == 1
    assert retention.sweep_expired(service.ctx, now=much_later) == 0
    deleted = [d for a, d in audit_actions(service, meeting_id) if a == "recording.deleted"]
    assert [d["reason"] for d in deleted] == ["frist"]
    job = service.client("schriftfuehrer").post(f"/api/meetings/{meeting_id}/jobs", json={})
    assert job.status_code == 409 and "Aufbewahrungsfrist" in job.json()["detail"]
    meeting = service.client("schriftfuehrer").get(f"/api/meetings/{meeting_id}").json()
    assert meeting["recordings"][0]["deleted_reason"] == "frist"


def test_versions_go_with_their_meeting(service: Service) -> None:
    meeting_id = meeting_with_draft(service)
    edit(service, meeting_id, {"base": 1, "speaker_names": {"SPEAKER_00": "Vorsitz"}})
    assert service.client("schriftfuehrer").delete(f"/api/meetings/{meeting_id}").status_code == 200
    assert service.count(MinutesVersion, meeting_id=meeting_id) == 0


@needs_office
def test_register_figures_match_the_audit_log_of_a_run(service: Service) -> None:
    published_id = meeting_with_draft(service)
    approved_id = meeting_with_draft(service)
    edit(service, published_id, {"base": 1, "items": {"1": {"motions": ["Ein Antrag."]}}})
    for meeting_id in (published_id, approved_id):
        step(service, meeting_id, "einreichen", "schriftfuehrer")
        step(service, meeting_id, "freigeben", "pruefer")
    step(service, published_id, "veroeffentlichen", "schriftfuehrer")
    response = service.client("admin").get("/api/register")
    assert response.status_code == 200, response.text
    figures = response.json()["kennzahlen"]

    with service.ctx.db.session() as s:
        entries = [audit.entry_view(e) for e in s.query(AuditEntry).order_by(AuditEntry.seq)]
        durations = {
            (e["meeting_id"], e["details"]["recording_sha256"]): e["details"]["duration_s"]
            for e in entries if e["action"] == "stage.intake"
        }  # fmt: skip
        approvals = [e for e in entries if e["action"] == "review.approved"]
        rates = [e["details"]["edit_rate"] for e in approvals if e["details"]["final"]]
    assert figures["sessions_processed"] == 2
    assert figures["audio_hours"] == pytest.approx(sum(durations.values()) / 3600, abs=1e-3)
    minutes = figures["minutes"]
    assert (minutes["approved"], minutes["published"]) == (2, 1)
    assert minutes["published_human_approved"] == 1
    assert minutes["published_human_approved_share"] == 1.0
    assert minutes["average_edit_rate"] == pytest.approx(sum(rates) / len(rates), abs=1e-4)
    assert rates[0] > 0 and rates[1] == 0.0  # one edited, one approved as drafted
    assert figures["recordings_deleted"]["veroeffentlichung"] == 1  # the published one
    assert figures["recordings_deleted"]["freigabe"] == 0  # approval deletes nothing
    assert figures["incidents"]["chain_ok"] is True
    assert {m["name"] for m in figures["models"]} >= {"fake-whisper", "fake-diarizer"}


def test_register_page_rows_are_german_and_formatted() -> None:
    from protokoll.register.figures import register_figures
    from protokoll.service.http.web_admin import figure_rows

    figures = register_figures([], chain_ok=True).to_dict()
    figures["audio_hours"] = 12.25
    figures["minutes"]["published_human_approved_share"] = 1.0
    rows = dict(figure_rows(figures))
    assert rows["Verarbeitete Sitzungen"] == "0"
    assert rows["Verarbeitete Aufnahmen (Stunden)"] == "12,2"
    assert rows["davon vor der Veröffentlichung von einer Person freigegeben"] == "100,0 %"
    assert rows["Durchschnittliche Änderungsquote gegenüber dem KI-Entwurf"] == "–"
    assert rows["Prüfprotokoll unverändert"] == "ja"
