"""A full disk (issue #18): a small file system made by the test fills up during an upload
and while a job writes its documents.

The data folder lies on a tmpfs of its own; a filler file takes the rest of the space while
a chunk arrives, or the moment the draft is done. The user gets a German message, the
upload keeps what it had and goes on, the job ends failed with its reason once space is
back, only whole files are offered, and a retry finishes it.
"""

from __future__ import annotations

import io
import json
import subprocess
import threading
import zipfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from protokoll.service.infra.tables import AuditEntry
from protokoll.service.usecases import meetings
from tests.support.service import (
    Service,
    make_service,
    sample_agenda_data,
    sample_bytes,
    sha256_hex,
)

SIZE_MB = 48


@pytest.fixture
def small_fs(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "klein"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE_MB}m", "tmpfs", str(mount)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs needs root (mount: {done.stderr.strip()})")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def service(small_fs: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Service]:
    # the production reserve (2 GB for decoded audio) does not fit a 48 MB test file system
    monkeypatch.setattr(meetings, "DISK_RESERVE_BYTES", 1024**2)
    svc = make_service(small_fs, monkeypatch)
    try:
        yield svc
    finally:
        svc.close()


def fill(folder: Path) -> Path:
    """Take every free byte of the file system `folder` is on."""
    filler = folder / "fueller.bin"
    block = b"\0" * (256 * 1024)
    with filler.open("wb", buffering=0) as fh:
        try:
            while True:
                fh.write(block)
        except OSError:
            pass
        small = b"\0" * 512
        try:
            while True:
                fh.write(small)
        except OSError:
            pass
    return filler


def test_a_full_disk_during_an_upload_keeps_the_upload_resumable(
    service: Service, small_fs: Path
) -> None:
    data = sample_bytes()
    meeting = service.create_meeting()
    upload = service.start_upload(meeting["id"], data, sha256=sha256_hex(data))
    client = service.client("schriftfuehrer")
    url = f"/api/uploads/{upload['id']}"
    half = len(data) // 2
    assert client.put(url, params={"offset": 0}, content=data[:half]).status_code == 200
    filler = fill(small_fs)
    full = client.put(url, params={"offset": half}, content=data[half:])
    # 507 Insufficient Storage, in German; the database on the same disk is full as well,
    # so the refusal may come from it before the chunk is even read
    assert full.status_code == 507, full.text
    assert "Speicherplatz" in full.json()["detail"]
    part = service.ctx.layout.upload_part(upload["id"])
    assert part.stat().st_size == half  # nothing half-written stays
    filler.unlink()  # space again: the upload goes on where it stood
    assert client.get(url).json()["offset"] == half
    assert client.put(url, params={"offset": half}, content=data[half:]).status_code == 200
    done = client.post(f"{url}/complete")
    assert done.status_code == 201, done.text
    assert done.json()["sha256"] == sha256_hex(data)


def test_a_chunk_that_meets_a_full_disk_is_cut_back(tmp_path: Path, small_fs: Path) -> None:
    """The chunk itself hits the full disk (the database still has room): German message,
    and the part file stays as it was."""
    import asyncio

    from protokoll.service.infra.storage import StorageFull, append_chunk

    part = small_fs / "upload.part"
    part.write_bytes(b"a" * 1000)
    filler = fill(small_fs)

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(64):
            yield b"b" * 65536

    with pytest.raises(StorageFull, match=r"kein Speicherplatz mehr frei.*Byte 1000"):
        asyncio.run(append_chunk(part, 1000, chunks(), declared_size=10**9, max_chunk_bytes=10**9))
    assert part.read_bytes() == b"a" * 1000
    filler.unlink()


def test_a_job_stopped_by_a_full_disk_says_so_and_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A stage that meets a full disk (here: diarization writing its checkpoint) fails the
    job with a German reason; a retry once space is back finishes it."""
    import errno

    svc = make_service(tmp_path, monkeypatch)
    try:
        svc.stages.fail_next(
            "diarization", OSError(errno.ENOSPC, "No space left on device", "checkpoint.json")
        )
        meeting = svc.create_meeting()
        svc.upload(meeting["id"])
        job = svc.start_job(meeting["id"])
        assert job["state"] == "failed"
        assert job["error"].startswith("Auf dem Server ist der Speicherplatz voll")
        assert "nichts Unfertiges veröffentlicht" in job["error"]
        retried = svc.client("schriftfuehrer").post(f"/api/jobs/{job['id']}/retry")
        assert retried.status_code == 202, retried.text
        assert svc.job(job["id"]).state == "done"
    finally:
        svc.close()


def test_a_full_disk_while_the_outputs_are_written(service: Service, small_fs: Path) -> None:
    """The disk fills up the moment the draft is done, so that writing its documents (and
    the database) meets a real full file system: the job ends with a German reason,
    nothing half-written is offered, and once space is back a retry finishes it."""
    meeting = service.create_meeting(agenda=sample_agenda_data())
    service.upload(meeting["id"])
    fillers: list[Path] = []

    def disk_fills_up_for_a_while() -> None:
        fillers.append(fill(small_fs))
        # the operator frees space a little later; until then the worker holds the job
        threading.Timer(1.5, fillers[0].unlink).start()

    service.stages.after_minutes = disk_fills_up_for_a_while
    job = service.start_job(meeting["id"])
    assert fillers, "the minutes stage ran"
    job = service.client("schriftfuehrer").get(f"/api/jobs/{job['id']}").json()
    assert job["state"] == "failed", job  # recorded once there was space again
    assert job["error"].startswith("Auf dem Server ist der Speicherplatz voll"), job["error"]
    # nothing half-written is offered: whatever the failed job lists is whole
    client = service.client("schriftfuehrer")
    outputs = client.get(f"/api/jobs/{job['id']}/outputs").json()
    for output in outputs:
        body = client.get(output["url"]).content
        assert body, output
        if output["name"].endswith(".json"):
            json.loads(body)
        elif output["name"].endswith(".docx"):
            assert zipfile.ZipFile(io.BytesIO(body)).testzip() is None, output
    service.stages.after_minutes = None
    retried = service.client("schriftfuehrer").post(f"/api/jobs/{job['id']}/retry")
    assert retried.status_code == 202, retried.text
    assert service.job(job["id"]).state == "done"
    names = {o["name"] for o in client.get(f"/api/jobs/{job['id']}/outputs").json()}
    assert {o["name"] for o in outputs} <= names and any(n.endswith(".docx") for n in names)


# ---- transient faults: retried with backoff ------------------------------------------------


def test_a_transient_fault_queues_the_job_again_with_backoff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lost connection in a stage (here: diarization) queues the job again after
    `retry_backoff_s`, doubling; after `job_retries` retries it fails with a German
    reason, and every step is in the audit log."""
    svc = make_service(tmp_path, monkeypatch, job_retries="1", retry_backoff_s="30")
    try:
        huey = svc.ctx.queue.huey
        svc.stages.fail_next("diarization", ConnectionResetError("Verbindung verloren"))
        meeting = svc.create_meeting()
        svc.upload(meeting["id"])
        job = svc.start_job(meeting["id"])
        assert job["state"] == "queued", job
        assert job["error"].startswith("Vorübergehender Fehler in der Verarbeitung")
        assert "Neuer Versuch in 30 s (Versuch 2 von 2)" in job["error"]
        (scheduled,) = huey.scheduled()  # delivered again later, not at once
        assert scheduled.args == (job["id"],) and scheduled.eta is not None
        # the queue delivers it after the delay; this time the stage fails again
        svc.stages.fail_next("diarization", TimeoutError("Zeitüberschreitung"))
        assert svc.ctx.runner.run(job["id"]) == "failed"
        failed = svc.job(job["id"])
        assert failed.state == "failed" and "auch nach 2 Versuchen" in (failed.error or "")
        assert svc.stages.calls["transcription"] == 1  # the finished stage is not redone
        assert svc.count(AuditEntry, action="job.retry_scheduled") == 1
        # with a working connection a retry by the user finishes it
        retried = svc.client("schriftfuehrer").post(f"/api/jobs/{job['id']}/retry")
        assert retried.status_code == 202 and svc.job(job["id"]).state == "done"
    finally:
        svc.close()


def test_a_fault_that_will_not_pass_by_itself_is_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = make_service(tmp_path, monkeypatch)
    try:
        svc.stages.fail_next("diarization", ValueError("kaputt"))
        meeting = svc.create_meeting()
        svc.upload(meeting["id"])
        job = svc.start_job(meeting["id"])
        assert job["state"] == "failed" and job["error"].startswith("Interner Fehler")
        assert svc.ctx.queue.huey.scheduled() == []
    finally:
        svc.close()
