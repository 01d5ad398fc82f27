"""Operations (issue #20): Prometheus metrics read from the database, health and readiness
for load balancers, and who may read the metrics."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from protokoll.service.infra import logs
from protokoll.service.infra.storage import Layout
from tests.support.service import SENTENCES, Service, make_service, sample_agenda_data

TOKEN = "kennzahlen-geheim-1"
FAMILIES = {
    "protokoll_jobs", "protokoll_queue_length", "protokoll_stage_duration_seconds",
    "protokoll_worker_heartbeat_timestamp_seconds", "protokoll_upload_bytes",
    "protokoll_build_info",
}  # fmt: skip


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    svc = make_service(tmp_path, monkeypatch, metrics_token=TOKEN)
    try:
        yield svc
    finally:
        svc.close()


def scrape(svc: Service) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = svc.new_client(Authorization=f"Bearer {TOKEN}").get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metric_families_exist_and_change_when_a_job_runs(service: Service) -> None:
    before = scrape(service)
    names = {name for name, _labels in before}
    assert {"protokoll_jobs", "protokoll_queue_length", "protokoll_upload_bytes_total",
            "protokoll_build_info"} <= names  # fmt: skip
    assert value(before, "protokoll_jobs", state="done") == 0

    meeting = service.create_meeting(agenda=sample_agenda_data())
    recording = service.upload(meeting["id"])
    job = service.start_job(meeting["id"])
    assert job["state"] == "done"
    after = scrape(service)
    assert value(after, "protokoll_jobs", state="done") == 1
    assert (
        value(after, "protokoll_upload_bytes_total")
        == before.get(("protokoll_upload_bytes_total", ()), 0) + recording["size_bytes"]
    )
    for stage in ("intake", "transcription", "diarization", "minutes"):
        assert value(after, "protokoll_stage_duration_seconds_count", stage=stage) == 1, stage
        assert value(after, "protokoll_stage_duration_seconds_bucket", stage=stage, le="+Inf") == 1
    # a second job: the histogram counts both
    service.start_job(meeting["id"])
    again = scrape(service)
    assert value(again, "protokoll_jobs", state="done") == 2
    assert value(again, "protokoll_stage_duration_seconds_count", stage="intake") == 2
    # nothing of the session's content or names in the metrics
    text = service.new_client(Authorization=f"Bearer {TOKEN}").get("/metrics").text
    assert meeting["id"] not in text and "Lindenau" not in text


def test_a_running_job_shows_its_workers_heartbeat(service: Service) -> None:
    import threading

    meeting = service.create_meeting(agenda=sample_agenda_data())
    service.upload(meeting["id"])
    pause = service.stages.pause("diarization")
    started = threading.Thread(target=service.start_job, args=(meeting["id"],), daemon=True)
    started.start()
    assert pause.entered.wait(30)
    try:
        samples = scrape(service)
        assert value(samples, "protokoll_jobs", state="running") == 1
        beats = [v for (n, _l), v in samples.items()
                 if n == "protokoll_worker_heartbeat_timestamp_seconds"]  # fmt: skip
        assert len(beats) == 1 and beats[0] > 1.7e9
    finally:
        pause.release.set()
        started.join(30)


def test_metrics_need_the_token_or_the_server_itself(service: Service) -> None:
    anonymous = service.client("anonymous").get("/metrics")
    assert anonymous.status_code == 403 and "metrics_token" in anonymous.json()["detail"]
    wrong = service.new_client(Authorization="Bearer falsch").get("/metrics")
    assert wrong.status_code == 403
    # a user's API token is no metrics token
    assert service.client("admin").get("/metrics").status_code == 403


def test_without_a_token_only_the_server_itself_reads_metrics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    svc = make_service(tmp_path, monkeypatch)
    try:
        local = TestClient(svc.app, client=("127.0.0.1", 50000))
        assert local.get("/metrics").status_code == 200
        proxied = local.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        assert proxied.status_code == 403
        remote = TestClient(svc.app, client=("192.0.2.7", 50000))
        assert remote.get("/metrics").status_code == 403
    finally:
        svc.close()


def test_health_and_readiness(
    service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = service.client("anonymous")
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "bereit",
        "pruefungen": {"datenbank": "ok", "datenordner": "ok", "warteschlange": "ok"},
    }
    # the data folder gone (here: a file where the folder should be): not ready, and why
    blocker = tmp_path / "kein-ordner"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setattr(service.ctx, "layout", Layout(blocker))
    not_ready = client.get("/readyz")
    assert not_ready.status_code == 503
    assert not_ready.json()["status"] == "nicht bereit"
    assert not_ready.json()["pruefungen"]["datenordner"].startswith("nicht beschreibbar")
    assert not_ready.json()["pruefungen"]["datenbank"] == "ok"


# ---- structured logs ----------------------------------------------------------------------


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """The service's JSON log format on a handler of the root logger, everything at DEBUG."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.JobIds())
    handler.setFormatter(logs.JsonLines())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_json_logs_carry_the_job_and_meeting_but_no_session_text(
    service: Service, json_log: io.StringIO
) -> None:
    meeting = service.create_meeting(agenda=sample_agenda_data())
    service.upload(meeting["id"])
    service.stages.fail_next("diarization", RuntimeError("Testfehler in der Sprechertrennung"))
    failed = service.start_job(meeting["id"])
    assert failed["state"] == "failed"
    retried = service.client("schriftfuehrer").post(f"/api/jobs/{failed['id']}/retry")
    assert retried.status_code == 202
    records = [json.loads(line) for line in json_log.getvalue().splitlines() if line.strip()]
    assert records, "the failed job was logged"
    for record in records:
        assert {"time", "level", "logger", "message"} <= set(record)
    mine = [r for r in records if r.get("job_id") == failed["id"]]
    assert mine and all(r["meeting_id"] == meeting["id"] for r in mine)
    assert any("Testfehler" in r.get("exception", "") + r["message"] for r in mine)
    # no text of the session: transcript sentences, agenda titles
    text = json_log.getvalue()
    for sentence in [t for _s, _e, t in SENTENCES] + [
        i["title"] for i in sample_agenda_data()["items"]
    ]:
        assert sentence.strip() not in text, sentence


def test_the_text_format_names_the_job_too() -> None:
    record = logging.LogRecord(
        "protokoll.x", logging.ERROR, __file__, 1, "Stufe %s", ("asr",), None
    )
    with logs.job_context("job1", "meeting1"):
        logs.JobIds().filter(record)
    assert logging.Formatter(logs.TEXT_FORMAT).format(record) == (
        "ERROR protokoll.x: [Auftrag job1] Stufe asr"
    )
    outside = logging.LogRecord("protokoll.x", logging.INFO, __file__, 1, "frei", (), None)
    logs.JobIds().filter(outside)
    assert json.loads(logs.JsonLines().format(outside)).keys() == {
        "time",
        "level",
        "logger",
        "message",
    }
