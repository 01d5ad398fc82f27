"""Issue #17, "time to first result": the transcript's documents are offered as soon as the
speakers are assigned, while the minutes stage still runs; a crash in the minutes stage
leaves them intact; one job per meeting at a time; a waiting job knows its place in the
queue; a finished job shows how long each stage took. The app, database, queue, runner and
files are the real ones; the stages are fakes (a paused minutes stage stands for the LLM)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from protokoll.documents import artifacts
from protokoll.errors import ProtokollError
from tests.support.service import Service, running_service, sample_agenda_data, wait_for

TRANSCRIPT = set(artifacts.TRANSCRIPT_FILES)


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    yield from running_service(tmp_path, monkeypatch)


def _names(service: Service, job_id: str, role: str = "schriftfuehrer") -> set[str]:
    response = service.client(role).get(f"/api/jobs/{job_id}/outputs")
    assert response.status_code == 200, response.text
    return {o["name"] for o in response.json()}


def _run_held_in_thread(service: Service) -> tuple[threading.Thread, list[str]]:
    states: list[str] = []
    thread = threading.Thread(target=lambda: states.extend(service.run_held()), daemon=True)
    thread.start()
    return thread, states


def _queued_job(service: Service) -> tuple[dict[str, Any], dict[str, Any]]:
    service.hold_jobs()
    meeting = service.create_meeting(agenda=sample_agenda_data())
    service.upload(meeting["id"])
    job = service.start_job(meeting["id"])
    assert job["state"] == "queued"
    return meeting, job


def test_transcript_is_offered_while_the_minutes_are_written(service: Service) -> None:
    meeting, job = _queued_job(service)
    pause = service.stages.pause("minutes")
    thread, states = _run_held_in_thread(service)
    try:
        assert pause.entered.wait(10), "the minutes stage never started"
        wait_for(lambda: service.job(job["id"]).stage == "minutes", what="minutes stage")
        view = service.client("schriftfuehrer").get(f"/api/jobs/{job['id']}").json()
        assert view["state"] == "running" and view["transcript_ready"] is True
        assert [t["stage"] for t in view["stage_times"]] == [
            "intake", "transcription", "diarization", "assignment",
        ]  # fmt: skip
        assert _names(service, job["id"]) == TRANSCRIPT  # no minutes yet
        early = service.client("schriftfuehrer").get(
            f"/api/jobs/{job['id']}/outputs/transcript.json"
        )
        assert early.status_code == 200
        assert json.loads(early.content)["segments"]
        minutes = service.client("schriftfuehrer").get(
            f"/api/jobs/{job['id']}/outputs/niederschrift.docx"
        )
        assert minutes.status_code == 404

        page = service.client("cookie").get(f"/sitzungen/{meeting['id']}").text
        assert "Transkript fertig – Niederschrift wird erstellt …" in page
        assert f"/api/jobs/{job['id']}/outputs/transcript.docx" in page  # the Wortprotokoll
        assert f"/api/jobs/{job['id']}/outputs/transcript.vtt" in page
        assert "outputs/niederschrift.docx" not in page
        assert 'href="/auftraege/{}/transkript"'.format(job["id"]) in page
        view = service.client("cookie").get(f"/auftraege/{job['id']}/transkript")
        assert view.status_code == 200
        assert "die Niederschrift wird noch erstellt" in view.text
        assert "Sprecher 1:" in view.text and "SPEAKER_" not in view.text
        # the Prüfung reads it too; another Schriftführung (not theirs) does not
        assert (
            service.client("pruefer").get(f"/auftraege/{job['id']}/transkript").status_code == 200
        )
        other = service.client("schriftfuehrer2").get(f"/auftraege/{job['id']}/transkript")
        assert other.status_code == 404
        assert 'id="start-form"' in page and "Neue Verarbeitung starten" in page
        start_form = page.split('id="start-form"', 1)[1].split(">", 1)[0]
        assert "hidden" in start_form  # no second job offered while one runs
    finally:
        pause.release.set()
        thread.join(15)
    assert states == ["done"]
    assert _names(service, job["id"]) >= TRANSCRIPT | {"niederschrift.docx", "minutes.json"}
    late = service.client("schriftfuehrer").get(f"/api/jobs/{job['id']}/outputs/transcript.json")
    assert late.content == early.content  # written once, not rewritten with the minutes


def test_the_transcript_page_opened_too_early_says_it_is_still_being_made(
    service: Service,
) -> None:
    """A bookmark or a reload before the speakers are assigned: the page says the transcript
    is still being made (walk-through, problem 11), not "no access"; still nothing for a
    Schriftführung of another body."""
    _meeting, job = _queued_job(service)
    early = service.client("cookie").get(f"/auftraege/{job['id']}/transkript")
    assert early.status_code == 200
    assert 'id="transcript-pending"' in early.text
    assert "Das Transkript wird noch erstellt" in early.text
    assert "keinen Zugriff" not in early.text and 'id="transkript"' not in early.text
    other = service.client("schriftfuehrer2").get(f"/auftraege/{job['id']}/transkript")
    assert other.status_code == 404
    assert service.run_held() == ["done"]
    ready = service.client("cookie").get(f"/auftraege/{job['id']}/transkript")
    assert ready.status_code == 200
    assert 'id="transcript-pending"' not in ready.text and 'id="transkript"' in ready.text


@pytest.mark.parametrize("crash", [RuntimeError("LLM abgestürzt"), MemoryError()])
def test_a_crash_in_the_minutes_stage_leaves_the_transcript_intact(
    service: Service, crash: BaseException
) -> None:
    meeting, job = _queued_job(service)
    service.stages.fail_next("minutes", crash)
    assert service.run_held() == ["failed"]
    assert service.job(job["id"]).stages["assignment"]["done"]
    assert _names(service, job["id"]) == TRANSCRIPT
    body = service.client("schriftfuehrer").get(f"/api/jobs/{job['id']}/outputs/transcript.json")
    transcript = json.loads(body.content)
    assert transcript["segments"] and transcript["speakers"]
    out = service.ctx.layout.out(meeting["id"], job["id"])
    leftovers = [p.name for p in out.parent.iterdir() if ".partial-" in p.name]
    assert leftovers == []  # no half-written staging folder
    page = service.client("cookie").get(f"/sitzungen/{meeting['id']}").text
    assert f"/api/jobs/{job['id']}/outputs/transcript.docx" in page
    # retried, it resumes at the minutes and finishes them beside the same transcript
    service.client("schriftfuehrer").post(f"/api/jobs/{job['id']}/retry")
    assert service.run_held() == ["done"]
    after = service.client("schriftfuehrer").get(f"/api/jobs/{job['id']}/outputs/transcript.json")
    assert after.content == body.content
    assert "niederschrift.docx" in _names(service, job["id"])


def test_a_failing_llm_still_finishes_the_job_with_the_transcript(service: Service) -> None:
    _meeting, job = _queued_job(service)
    service.stages.minutes_error = ProtokollError("Das Sprachmodell antwortet nicht.")
    assert service.run_held() == ["done"]
    assert _names(service, job["id"]) == TRANSCRIPT
    assert any("Niederschrift konnte nicht" in w for w in service.job(job["id"]).warnings)


def test_documents_of_a_stage_that_runs_again_are_not_offered_until_it_is_done(
    service: Service,
) -> None:
    meeting, _recording, job = service.meeting_with_job()
    service.hold_jobs()
    response = service.client("schriftfuehrer").post(
        f"/api/jobs/{job['id']}/rerun", json={"stage": "diarization", "max_speakers": 3}
    )
    assert response.status_code == 202, response.text
    assert _names(service, job["id"]) == set()  # the old transcript is about to be replaced
    assert service.run_held() == ["done"]
    assert _names(service, job["id"]) >= TRANSCRIPT
    assert meeting["id"]


def test_one_job_per_meeting_at_a_time(service: Service) -> None:
    meeting, job = _queued_job(service)
    second = service.upload(meeting["id"], name="zweiter-teil.ogg")
    client = service.client("schriftfuehrer")
    response = client.post(
        f"/api/meetings/{meeting['id']}/jobs", json={"recording_id": second["id"]}
    )
    assert response.status_code == 409
    assert "bereits eine Verarbeitung" in response.json()["detail"]
    page = service.client("cookie").get(f"/sitzungen/{meeting['id']}").text
    assert 'id="start-busy"' in page and "sobald der laufende Auftrag fertig ist" in page
    # the form posts are refused the same way
    form = service.client("cookie").post(
        f"/sitzungen/{meeting['id']}/verarbeitung",
        data={"csrf_token": service.csrf, "recording_id": second["id"]},
    )
    assert form.status_code == 409 and "bereits eine Verarbeitung" in form.text
    # once the first is cancelled, the second may start; then the first may not be retried
    assert client.post(f"/api/jobs/{job['id']}/cancel").status_code == 200
    other = client.post(f"/api/meetings/{meeting['id']}/jobs", json={"recording_id": second["id"]})
    assert other.status_code == 202, other.text
    retry = client.post(f"/api/jobs/{job['id']}/retry")
    assert retry.status_code == 409 and "bereits eine Verarbeitung" in retry.json()["detail"]
    page = service.client("cookie").get(f"/sitzungen/{meeting['id']}").text
    for action in ("wiederholen", "sprecher"):  # not offered while the other job waits
        form = page.split(f'action="/auftraege/{job["id"]}/{action}"', 1)[1].split(">", 1)[0]
        assert "hidden" in form, action
    # the meeting list says where the waiting job stands
    listing = service.client("cookie").get("/").text
    assert "Platz 1" in listing


def test_waiting_jobs_know_their_place_and_finished_ones_their_stage_times(
    service: Service,
) -> None:
    service.hold_jobs()
    jobs = []
    for body in ("Rat", "Bauausschuss", "Finanzausschuss"):
        meeting = service.create_meeting(agenda=sample_agenda_data(), body=body)
        service.upload(meeting["id"])
        jobs.append((meeting, service.start_job(meeting["id"])))
    assert [j["queue_position"] for _m, j in jobs] == [1, 2, 3]
    meeting, job = jobs[1]
    view = service.client("schriftfuehrer").get(f"/api/jobs/{job['id']}").json()
    assert view["queue_position"] == 2
    page = service.client("cookie").get(f"/sitzungen/{meeting['id']}").text
    assert "Platz 2 in der Warteschlange" in page
    listed = service.client("schriftfuehrer").get(f"/api/meetings/{meeting['id']}/jobs").json()
    assert listed[0]["queue_position"] == 2

    assert service.run_held() == ["done", "done", "done"]
    view = service.client("schriftfuehrer").get(f"/api/jobs/{job['id']}").json()
    assert view["queue_position"] is None
    labels = [t["label"] for t in view["stage_times"]]
    assert labels == ["Audio einlesen", "Transkription", "Sprechererkennung",
                      "Sprecherzuordnung", "Niederschrift"]  # fmt: skip
    page = service.client("cookie").get(f"/sitzungen/{meeting['id']}").text
    assert re.search(r"Dauer der Schritte: <span[^>]*>Audio einlesen 0:0\d · Transkription", page)


def test_the_queue_page_lists_what_waits_runs_and_ended(service: Service) -> None:
    service.hold_jobs()
    mine = service.create_meeting(agenda=sample_agenda_data(), body="Bauausschuss")
    service.upload(mine["id"])
    first = service.start_job(mine["id"])
    other = service.create_meeting(role="schriftfuehrer2", body="Kulturausschuss")
    service.upload(other["id"], role="schriftfuehrer2")
    second = service.start_job(other["id"], role="schriftfuehrer2")

    queue = service.client("schriftfuehrer").get("/api/queue").json()
    assert [j["id"] for j in queue["active"]] == [first["id"]]  # only meetings I may see
    assert queue["active"][0]["meeting"]["body"] == "Bauausschuss"
    page = service.client("cookie").get("/warteschlange")
    assert page.status_code == 200
    assert "Bauausschuss" in page.text and "Kulturausschuss" not in page.text
    assert "Platz 1 in der Warteschlange" in page.text
    # the Prüfung sees both meetings; the second waits behind the first
    both = service.client("pruefer").get("/api/queue").json()
    assert [j["queue_position"] for j in both["active"]] == [1, 2]
    assert both["active"][1]["id"] == second["id"]

    assert service.run_held() == ["done", "done"]
    queue = service.client("schriftfuehrer").get("/api/queue").json()
    assert queue["active"] == [] and [j["id"] for j in queue["finished"]] == [first["id"]]
    assert queue["finished"][0]["total_s"] is not None
    page = service.client("cookie").get("/warteschlange").text
    assert "Im Moment wartet und läuft keine Verarbeitung." in page
    assert "Zuletzt beendet" in page and "zusammen" in page
    assert 'href="/warteschlange"' in page and 'aria-current="page">Warteschlange' in page
