"""Corrections of the transcript in the review (issue #17, the transcript editor): each one is
a version of the minutes with the same conflict rule and audit trail as every edit; every
reader of the transcript (the API, the review page, the Wortprotokoll and the subtitles)
reads the corrected text; who may correct follows the rules for draft edits; a published
(or approved) draft is read-only."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from protokoll.domain.minutes import Attendance, Minutes, MinutesMeeting
from protokoll.domain.transcript import Segment, Word
from protokoll.errors import InputError
from protokoll.review import transcript_edits
from protokoll.service.infra.tables import AuditEntry, MinutesVersion
from tests.support.service import Service, make_service, sample_agenda_data

CORRECTED = "Ich eröffne die Sitzung des Rates der Gemeinde Lindenau pünktlich."


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    svc = make_service(tmp_path, monkeypatch)
    try:
        yield svc
    finally:
        svc.close()


def draft(svc: Service) -> str:
    meeting, _recording, _job = svc.meeting_with_job(agenda=sample_agenda_data())
    return str(meeting["id"])


def correct(
    svc: Service, meeting_id: str, index: int, base: int, text: str,
    role: str = "schriftfuehrer", expect: int = 200,
) -> dict[str, Any]:  # fmt: skip
    response = svc.client(role).put(
        f"/api/meetings/{meeting_id}/transcript/segments/{index}", json={"base": base, "text": text}
    )
    assert response.status_code == expect, response.text
    data: dict[str, Any] = response.json()
    return data


def audit_actions(svc: Service, meeting_id: str) -> list[tuple[str, dict[str, Any]]]:
    with svc.ctx.db.session() as s:
        rows = s.query(AuditEntry).filter(AuditEntry.meeting_id == meeting_id)
        return [(e.action, json.loads(e.details)) for e in rows.order_by(AuditEntry.seq)]


# ---- the pure part -------------------------------------------------------------------------


def _segment() -> Segment:
    words = tuple(
        Word(float(i), float(i) + 0.8, " " + t, p, "SPEAKER_00")
        for i, (t, p) in enumerate([("Guten", 0.9), ("Abend,", 0.95), ("meinem", 0.2),
                                    ("Damen", 0.9), ("und", 0.99), ("Herren.", 0.97)])
    )  # fmt: skip
    return Segment(0.0, 6.0, " Guten Abend, meinem Damen und Herren.", words, "SPEAKER_00")


def test_realign_keeps_the_times_of_unchanged_words_and_trusts_the_corrected_ones() -> None:
    seg = transcript_edits.realign(_segment(), "Guten Abend, meine Damen und sehr geehrte Herren.")
    texts = [w.text.strip() for w in seg.words]
    assert texts == ["Guten", "Abend,", "meine", "Damen", "und", "sehr", "geehrte", "Herren."]
    by_text = {w.text.strip(): w for w in seg.words}
    assert (by_text["Damen"].start_s, by_text["Damen"].probability) == (3.0, 0.9)
    # the replaced word takes the old word's time and is no longer uncertain
    assert (by_text["meine"].start_s, by_text["meine"].probability) == (2.0, 1.0)
    # inserted words sit at the end of the word before them, in order
    assert by_text["sehr"].start_s == by_text["geehrte"].start_s == 4.8
    assert [w.start_s for w in seg.words] == sorted(w.start_s for w in seg.words)
    assert seg.text == " Guten Abend, meine Damen und sehr geehrte Herren."
    assert seg.speaker == "SPEAKER_00"


def test_edit_segments_validates_and_a_recognised_text_removes_the_correction() -> None:
    minutes = Minutes(MinutesMeeting("Rat", "2026-11-19"), Attendance(), [])
    segments = [_segment()]
    edited, changed = transcript_edits.edit_segments(minutes, segments, {"0": " Guten  Abend. "})
    assert edited.transcript_edits == {"0": "Guten Abend."} and changed == [0]
    assert minutes.transcript_edits == {}  # the base is never changed
    back, changed = transcript_edits.edit_segments(
        edited, segments, {"0": "Guten Abend, meinem Damen und Herren."}
    )
    assert back.transcript_edits == {} and changed == [0]
    for bad in ({"1": "x"}, {"x": "y"}, {"0": "   "}):
        with pytest.raises(InputError):
            transcript_edits.edit_segments(minutes, segments, bad)
    # the public minutes carry no corrections (they may quote a non-public TOP)
    assert edited.to_dict(public_only=True)["transcript_edits"] == {}
    assert Minutes.from_dict(edited.to_dict()).transcript_edits == {"0": "Guten Abend."}


# ---- the API -------------------------------------------------------------------------------


def test_a_correction_is_a_new_version_that_every_reader_of_the_transcript_sees(
    service: Service,
) -> None:
    meeting_id = draft(service)
    client = service.client("schriftfuehrer")
    before = client.get(f"/api/meetings/{meeting_id}/transcript").json()
    assert before["segments"][0]["edited"] is False
    assert before["segments"][0]["words"][0]["probability"] == 0.9
    answer = correct(service, meeting_id, 0, 1, CORRECTED)
    assert answer["version"]["number"] == 2 and answer["version"]["source"] == "web"
    segment = answer["segment"]
    assert segment["text"] == CORRECTED and segment["edited"] is True
    assert segment["words"][-1]["text"] == "pünktlich." and segment["words"][-1]["probability"] == 1
    assert segment["name"] == "Sprecher 1"  # never a label
    # the API's transcript, the subtitles and the Wortprotokoll of version 2 read the correction
    assert client.get(f"/api/meetings/{meeting_id}/transcript").json()["segments"][0]["text"] == (
        CORRECTED
    )
    docs = f"/api/meetings/{meeting_id}/versions"
    assert CORRECTED in client.get(f"{docs}/2/documents/transcript.vtt").text
    assert CORRECTED not in client.get(f"{docs}/1/documents/transcript.vtt").text
    doc = Document(io.BytesIO(client.get(f"{docs}/2/documents/transcript.docx").content))
    assert any("pünktlich" in p.text for p in doc.paragraphs)
    # the review page shows it, marked as corrected
    page = client.get(f"/sitzungen/{meeting_id}/pruefung")
    assert "pünktlich." in page.text and "(korrigiert)" in page.text
    assert "SPEAKER_" not in re.sub(r"<[^>]*>", "", page.text)  # only in names of fields
    # the version keeps the correction; the AI draft stays as it was
    v2 = client.get(f"{docs}/2").json()["minutes"]
    assert v2["transcript_edits"] == {"0": CORRECTED}
    assert client.get(f"{docs}/1").json()["minutes"]["transcript_edits"] == {}
    # the audit log has the version and the correction, as for every edit
    actions = audit_actions(service, meeting_id)
    assert ("transcript.edited", {"version": 2, "segments": [0], "corrected": 1}) in actions
    assert [d["version"] for a, d in actions if a == "minutes.version"] == [1, 2]
    # the whole-version API takes corrections too
    response = client.post(
        f"{docs}", json={"base": 2, "transcript": {"2": "Der Antrag ist angenommen."}}
    )
    assert response.status_code == 201, response.text
    assert client.get(f"{docs}/3").json()["minutes"]["transcript_edits"] == {
        "0": CORRECTED, "2": "Der Antrag ist angenommen."
    }  # fmt: skip


def test_a_correction_on_an_old_version_is_refused_and_nothing_changes(service: Service) -> None:
    meeting_id = draft(service)
    correct(service, meeting_id, 0, 1, CORRECTED, role="pruefer")
    stale = correct(service, meeting_id, 1, 1, "Wir beantragen Tempo 20.", expect=409)
    assert "Fassung 2" in stale["detail"] and "Fassung 1" in stale["detail"]
    same = correct(service, meeting_id, 0, 2, CORRECTED, expect=422)
    assert "Keine Änderung" in same["detail"]
    empty = correct(service, meeting_id, 0, 2, "  ", expect=422)
    assert "leer" in empty["detail"]
    missing = correct(service, meeting_id, 99, 2, "x", expect=422)
    assert "99" in missing["detail"]
    assert service.count(MinutesVersion, meeting_id=meeting_id) == 2
    assert [d["version"] for a, d in audit_actions(service, meeting_id)
            if a == "transcript.edited"] == [2]  # fmt: skip


def test_the_word_round_trip_keeps_the_corrections(service: Service) -> None:
    meeting_id = draft(service)
    correct(service, meeting_id, 0, 1, CORRECTED)
    client = service.client("schriftfuehrer")
    docs = f"/api/meetings/{meeting_id}/versions"
    doc = Document(io.BytesIO(client.get(f"{docs}/2/documents/niederschrift.docx").content))
    target = next(p for p in doc.paragraphs if p.text == "kein Beschluss")
    for run in target.runs[1:]:
        run.text = ""
    target.runs[0].text = "Der Rat nimmt Kenntnis."
    buffer = io.BytesIO()
    doc.save(buffer)
    files = {"file": ("fassung.docx", buffer.getvalue(), "application/octet-stream")}
    response = client.post(f"{docs}/docx", files=files)
    assert response.status_code == 201, response.text
    assert client.get(f"{docs}/3").json()["minutes"]["transcript_edits"] == {"0": CORRECTED}


def test_who_may_correct_follows_the_rules_for_draft_edits(service: Service) -> None:
    meeting_id = draft(service)
    other = correct(service, meeting_id, 0, 1, CORRECTED, role="schriftfuehrer2", expect=404)
    assert other["detail"]
    admin = correct(service, meeting_id, 0, 1, CORRECTED, role="admin", expect=403)
    assert "Prüfung" in admin["detail"]
    anonymous = correct(service, meeting_id, 0, 1, CORRECTED, role="anonymous", expect=401)
    assert anonymous["detail"] == "Bitte anmelden."
    assert service.count(MinutesVersion, meeting_id=meeting_id) == 1


def test_an_approved_or_published_draft_cannot_be_corrected(service: Service) -> None:
    meeting_id = draft(service)
    correct(service, meeting_id, 0, 1, CORRECTED)
    service.publish(meeting_id)
    published = service.client("schriftfuehrer").get(
        f"/api/meetings/{meeting_id}/published/minutes.json"
    )
    assert published.status_code == 200 and published.json()["transcript_edits"] == {}
    refused = correct(service, meeting_id, 1, 2, "Wir beantragen Tempo 20.", expect=409)
    assert "nicht geändert" in refused["detail"] or "veröffentlicht" in refused["detail"].lower()
    # the page is read-only: no editor, no links to the form, the form page refuses
    client = service.client("schriftfuehrer")
    page = client.get(f"/sitzungen/{meeting_id}/pruefung").text
    assert 'data-editable="nein"' in page and "/pruefung/transkript/" not in page
    assert re.search(r'class="text"\s+tabindex', page) is None
    form = client.get(f"/sitzungen/{meeting_id}/pruefung/transkript/0")
    assert form.status_code == 200 and "Korrektur speichern" not in form.text
    assert service.count(MinutesVersion, meeting_id=meeting_id) == 2


def test_the_page_without_script_corrects_a_segment(service: Service) -> None:
    meeting_id = draft(service)
    client = service.client("cookie")
    page = client.get(f"/sitzungen/{meeting_id}/pruefung").text
    assert f"/sitzungen/{meeting_id}/pruefung/transkript/1" in page
    form = client.get(f"/sitzungen/{meeting_id}/pruefung/transkript/1")
    assert form.status_code == 200 and "Wir beantragen Tempo 30" in form.text
    csrf = service.csrf
    response = client.post(
        f"/sitzungen/{meeting_id}/pruefung/transkript/1",
        data={
            "csrf_token": csrf,
            "base": "1",
            "text": "Wir beantragen Tempo 30 in der Lindenstraße.",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].endswith("hinweis=transkript#seg-1")
    page = client.get(f"/sitzungen/{meeting_id}/pruefung?hinweis=transkript").text
    assert "Lindenstraße." in page and "Korrektur des Transkripts" in page
    stale = client.post(
        f"/sitzungen/{meeting_id}/pruefung/transkript/1",
        data={"csrf_token": csrf, "base": "1", "text": "Noch etwas anderes."},
        follow_redirects=False,
    )
    assert stale.status_code == 409 and "Fassung 2" in stale.text
    assert client.get(f"/sitzungen/{meeting_id}/pruefung/transkript/77").status_code == 404
