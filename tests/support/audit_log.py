"""A synthetic audit log with known register figures, and writing it through the real
`audit.record`: shared by the register tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from protokoll.service.infra import audit
from protokoll.service.infra.db import Database

WHISPER = "a1" * 32
SEGMENTATION = "b2" * 32
QWEN = "c3" * 32
REC_1, REC_2 = "d4" * 32, "e5" * 32


def whisper_model(device: str = "cpu") -> dict[str, Any]:
    return {"stage": "transcription", "name": "whisper-base", "sha256": WHISPER,
            "device": device, "parameters": {"beam_size": 5}}  # fmt: skip


def segmentation_model() -> dict[str, Any]:
    return {"stage": "diarization", "name": "pyannote-segmentation-3.0",
            "sha256": SEGMENTATION, "device": "cpu", "parameters": {}}  # fmt: skip


def qwen_model() -> dict[str, Any]:
    return {"stage": "minutes", "name": "qwen2.5-coder-1.5b-instruct-q4km", "sha256": QWEN,
            "device": "cpu", "parameters": {"backend": "llamacpp"}}  # fmt: skip


Log = list[tuple[str, str, str | None, str | None, dict[str, Any]]]

# (kind, action, meeting, job, details): one log of two sessions
# fmt: off
LOG: Log = [
    ("human", "job.started", "m1", "j1", {}),
    ("system", "stage.intake", "m1", "j1",
     {"recording_sha256": REC_1, "duration_s": 5400.0, "format": "mp3"}),
    ("ai", "stage.transcription", "m1", "j1",
     {"models": [whisper_model()], "input_sha256": REC_1, "output_sha256": "0" * 64,
      "seconds": 300.0, "device": "cpu"}),
    ("system", "job.failed", "m1", "j1", {"error": "Speicher voll", "stage": "diarization"}),
    ("human", "job.retried", "m1", "j1", {}),
    # the retried job decodes the same recording again: counted once
    ("system", "stage.intake", "m1", "j1",
     {"recording_sha256": REC_1, "duration_s": 5400.0, "format": "mp3"}),
    ("ai", "stage.transcription", "m1", "j1",
     {"models": [whisper_model("cuda")], "input_sha256": REC_1, "seconds": 40.0, "device": "cuda"}),
    ("ai", "stage.diarization", "m1", "j1",
     {"models": [segmentation_model()], "input_sha256": REC_1, "seconds": 90.0, "device": "cpu"}),
    # the minutes stage lists the earlier stages' models too; they are not counted again
    ("ai", "stage.minutes", "m1", "j1",
     {"models": [whisper_model(), segmentation_model(), qwen_model()], "seconds": 120.0,
      "device": "cpu"}),
    ("system", "minutes.version", "m1", "j1",
     {"version": 1, "source": "ki", "edit_rate": None, "edit_rate_items": {}}),
    ("human", "speakers.mapped", "m1", None, {"version": 2, "mapped": 7}),
    ("human", "minutes.version", "m1", None,
     {"version": 2, "source": "web", "edit_rate": 0.2, "edit_rate_items": {"1": 0.1}}),
    ("human", "review.submitted", "m1", None, {"version": 2}),
    # four eyes: the first approval is not final and its edit rate does not count
    ("human", "review.approved", "m1", None,
     {"version": 2, "approvals": 1, "required": 2, "final": False, "edit_rate": 0.9}),
    ("human", "review.approved", "m1", None,
     {"version": 2, "approvals": 2, "required": 2, "final": True, "edit_rate": 0.2,
      "edit_rate_items": {"1": 0.1}}),
    ("human", "recording.deleted", "m1", None, {"reason": "freigabe", "recording_id": "r1"}),
    ("human", "review.published", "m1", None,
     {"version": 2, "approved_by": ["anna", "bert"], "files": {"niederschrift.docx": "f" * 64}}),
    ("human", "login.failed", None, None, {"reason": "falsches Passwort"}),
    ("human", "upload.refused", "m2", None, {"reason": "keine Tonspur"}),
    ("human", "job.started", "m2", "j2", {}),
    ("system", "stage.intake", "m2", "j2", {"recording_sha256": REC_2, "duration_s": 1800}),
    ("ai", "stage.transcription", "m2", "j2", {"models": [whisper_model()], "device": "cpu"}),
    ("human", "review.approved", "m2", None,
     {"version": 1, "approvals": 1, "required": 1, "final": True, "edit_rate": 0.4}),
    # version 2 of m2 is published although only version 1 was approved
    ("human", "review.published", "m2", None, {"version": 2, "approved_by": [], "files": {}}),
    ("system", "recording.deleted", "m2", None, {"reason": "frist", "recording_id": "r2"}),
    ("human", "recording.deleted", "m3", None, {"recording_id": "r3"}),  # web UI: no reason
    ("human", "login.failed", None, None, {"reason": "unbekannter Benutzer"}),
    ("human", "job.cancelled", "m3", "j3", {}),
]
# fmt: on


def entries(
    log: Log,
    start: datetime = datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
) -> list[dict[str, Any]]:
    return [
        {
            "seq": n,
            "at": start.replace(minute=n).isoformat(),
            "kind": kind,
            "action": action,
            "actor": "worker" if kind == "ai" else "anna",
            "actor_id": None,
            "meeting_id": meeting,
            "job_id": job,
            "details": details,
        }
        for n, (kind, action, meeting, job, details) in enumerate(log, start=1)
    ]


def write_log(db: Database, log: Log) -> None:
    """The log through the real `audit.record`, one transaction per entry."""
    for kind, action, meeting, job, details in log:
        with db.session() as s:
            audit.record(
                s, action, kind=kind, actor="worker" if kind == "ai" else "anna",
                meeting_id=meeting, job_id=job, details=details,
            )  # fmt: skip
