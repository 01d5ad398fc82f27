"""Register figures from audit entries: known answers from a synthetic log, and the database
path (real `audit.record` into a migrated SQLite file) giving the same figures."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from protokoll.register.figures import ModelFigure, register_figures
from protokoll.service.infra import audit
from protokoll.service.infra.db import Database, make_engine, migrate
from protokoll.service.infra.tables import AuditEntry
from protokoll.service.usecases.register import figures_from_db

WHISPER = "a1" * 32
SEGMENTATION = "b2" * 32
QWEN = "c3" * 32
REC_1, REC_2 = "d4" * 32, "e5" * 32


def _whisper(device: str = "cpu") -> dict[str, Any]:
    return {"stage": "transcription", "name": "whisper-base", "sha256": WHISPER,
            "device": device, "parameters": {"beam_size": 5}}  # fmt: skip


def _segmentation() -> dict[str, Any]:
    return {"stage": "diarization", "name": "pyannote-segmentation-3.0",
            "sha256": SEGMENTATION, "device": "cpu", "parameters": {}}  # fmt: skip


def _qwen() -> dict[str, Any]:
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
     {"models": [_whisper()], "input_sha256": REC_1, "output_sha256": "0" * 64,
      "seconds": 300.0, "device": "cpu"}),
    ("system", "job.failed", "m1", "j1", {"error": "Speicher voll", "stage": "diarization"}),
    ("human", "job.retried", "m1", "j1", {}),
    # the retried job decodes the same recording again: counted once
    ("system", "stage.intake", "m1", "j1",
     {"recording_sha256": REC_1, "duration_s": 5400.0, "format": "mp3"}),
    ("ai", "stage.transcription", "m1", "j1",
     {"models": [_whisper("cuda")], "input_sha256": REC_1, "seconds": 40.0, "device": "cuda"}),
    ("ai", "stage.diarization", "m1", "j1",
     {"models": [_segmentation()], "input_sha256": REC_1, "seconds": 90.0, "device": "cpu"}),
    # the minutes stage lists the earlier stages' models too; they are not counted again
    ("ai", "stage.minutes", "m1", "j1",
     {"models": [_whisper(), _segmentation(), _qwen()], "seconds": 120.0, "device": "cpu"}),
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
    ("ai", "stage.transcription", "m2", "j2", {"models": [_whisper()], "device": "cpu"}),
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


def _entries(
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


def test_figures_of_a_known_log() -> None:
    figures = register_figures(_entries(LOG), chain_ok=True)
    assert figures.sessions_processed == 2
    assert figures.audio_hours == 2.0  # 1.5 h (counted once despite the retry) + 0.5 h
    assert (figures.jobs_started, figures.jobs_cancelled, figures.jobs_retried) == (2, 1, 1)
    assert figures.jobs_failed == 1
    assert figures.uploads_refused == 1 and figures.logins_failed == 2
    assert figures.chain_ok is True
    assert figures.minutes_approved == 2  # m1 v2 and m2 v1
    assert figures.minutes_published == 2
    assert figures.published_human_approved == 1
    assert figures.published_human_approved_share == 0.5
    assert figures.average_edit_rate == pytest.approx(0.3)  # final approvals: 0.2 and 0.4
    assert figures.edit_rates_counted == 2
    assert figures.recordings_deleted == {"freigabe": 1, "frist": 1, "manuell": 1}
    assert figures.entries == len(LOG)
    assert figures.period_from == "2026-03-01T09:01:00+00:00"
    assert figures.period_to == f"2026-03-01T09:{len(LOG):02d}:00+00:00"


def test_models_counted_once_per_stage_run() -> None:
    models = register_figures(_entries(LOG)).models
    assert [(m.name, m.stages, m.runs) for m in models] == [
        ("whisper-base", ("transcription",), 3),
        ("pyannote-segmentation-3.0", ("diarization",), 1),
        ("qwen2.5-coder-1.5b-instruct-q4km", ("minutes",), 1),
    ]
    whisper = models[0]
    assert whisper == ModelFigure(
        name="whisper-base", version=None, sha256=WHISPER, stages=("transcription",), runs=3,
        devices=("cpu", "cuda"), first_used="2026-03-01T09:03:00+00:00",
        last_used="2026-03-01T09:22:00+00:00",
    )  # fmt: skip


def test_new_weights_or_version_are_another_model() -> None:
    other = {**_whisper(), "sha256": "9" * 64, "version": "v2"}
    log: Log = [
        ("ai", "stage.transcription", "m1", "j1", {"models": [_whisper()]}),
        ("ai", "stage.transcription", "m2", "j2", {"models": [other]}),
    ]
    models = register_figures(_entries(log)).models
    assert [(m.version, m.sha256, m.runs) for m in models] == [
        (None, WHISPER, 1),
        ("v2", "9" * 64, 1),
    ]


def test_remote_or_malformed_weights_hash_is_none() -> None:
    remote = {"stage": "minutes", "name": "qwen2.5-72b", "sha256": "", "device": "remote"}
    odd = {**_whisper(), "sha256": WHISPER.upper()}
    log: Log = [("ai", "stage.minutes", "m1", "j1", {"models": [remote, odd]}),
                ("ai", "stage.transcription", "m1", "j1", {"models": [odd]})]  # fmt: skip
    models = register_figures(_entries(log)).models
    assert [(m.name, m.sha256) for m in models] == [
        ("whisper-base", WHISPER),  # upper case taken as the same digest
        ("qwen2.5-72b", None),
    ]


def test_publication_without_any_approval_gives_share_below_one() -> None:
    log: Log = [
        ("human", "review.published", "m1", None, {"version": 1, "approved_by": []}),
        ("human", "review.approved", "m2", None, {"version": 1, "final": True, "edit_rate": 0.0}),
        ("human", "review.published", "m2", None, {"version": 1, "approved_by": ["anna"]}),
    ]
    figures = register_figures(_entries(log))
    assert (figures.minutes_published, figures.published_human_approved) == (2, 1)
    assert figures.published_human_approved_share == 0.5
    assert figures.average_edit_rate == 0.0


def test_approval_after_publication_or_returned_does_not_count() -> None:
    log: Log = [
        # published first, approved afterwards: not approved before publication
        ("human", "review.published", "m1", None, {"version": 1}),
        ("human", "review.approved", "m1", None, {"version": 1, "final": True}),
        # approved, then sent back: the approval no longer stands
        ("human", "review.approved", "m2", None, {"version": 3, "final": True}),
        ("human", "review.returned", "m2", None, {"version": 3, "reason": "TOP 4 fehlt"}),
        ("human", "review.published", "m2", None, {"version": 3}),
        # a non-final approval (four eyes, one of two) is no approval
        ("human", "review.approved", "m3", None, {"version": 1, "final": False}),
        ("human", "review.published", "m3", None, {"version": 1}),
        # an approval by the system is no approval by a person
        ("system", "review.approved", "m4", None, {"version": 1, "final": True}),
        ("human", "review.published", "m4", None, {"version": 1}),
    ]
    figures = register_figures(_entries(log))
    assert figures.minutes_published == 4
    assert figures.published_human_approved == 0
    assert figures.published_human_approved_share == 0.0
    assert figures.minutes_approved == 3  # final approvals: m1 v1, m2 v3, m4 v1


def test_republished_version_counts_once_and_all_approved_gives_one() -> None:
    log: Log = [
        ("human", "review.approved", "m1", None, {"version": 1, "final": True, "edit_rate": 0.1}),
        ("human", "review.published", "m1", None, {"version": 1}),
        ("human", "review.published", "m1", None, {"version": 1}),
    ]
    figures = register_figures(_entries(log))
    assert (figures.minutes_published, figures.published_human_approved) == (1, 1)
    assert figures.published_human_approved_share == 1.0


def test_since_counts_later_work_but_keeps_earlier_state() -> None:
    log: Log = [
        ("system", "stage.intake", "m1", "j1", {"recording_sha256": REC_1, "duration_s": 3600}),
        ("ai", "stage.transcription", "m1", "j1", {"models": [_whisper()]}),
        ("human", "review.approved", "m1", None, {"version": 1, "final": True, "edit_rate": 0.5}),
        # from here on: the period
        ("system", "stage.intake", "m1", "j2", {"recording_sha256": REC_1, "duration_s": 3600}),
        ("ai", "stage.transcription", "m1", "j2", {"models": [_whisper()]}),
        ("human", "review.published", "m1", None, {"version": 1}),
        ("system", "stage.intake", "m2", "j3", {"recording_sha256": REC_2, "duration_s": 900}),
        ("ai", "stage.transcription", "m2", "j3", {"models": [_whisper()]}),
    ]
    entries = _entries(log)
    since = datetime.fromisoformat(entries[3]["at"])
    figures = register_figures(entries, since=since)
    assert figures.sessions_processed == 1  # m1 was processed before
    assert figures.audio_hours == 0.25  # REC_1 counted before
    assert figures.minutes_approved == 0 and figures.average_edit_rate is None
    assert (figures.minutes_published, figures.published_human_approved) == (1, 1)
    assert figures.models[0].runs == 2
    assert figures.entries == 5
    assert figures.period_from == since.isoformat() and figures.period_to == entries[-1]["at"]


def test_empty_log() -> None:
    figures = register_figures([])
    assert figures.sessions_processed == 0 and figures.audio_hours == 0.0
    assert figures.published_human_approved_share is None
    assert figures.average_edit_rate is None and figures.models == ()
    assert figures.period_from is None and figures.period_to is None
    assert figures.recordings_deleted == {"freigabe": 0, "frist": 0, "manuell": 0}
    assert figures.to_dict()["incidents"] == {
        "jobs_failed": 0, "uploads_refused": 0, "logins_failed": 0, "chain_ok": None,
    }  # fmt: skip


def test_entries_must_come_in_seq_order() -> None:
    entries = _entries(LOG[:3])
    with pytest.raises(ValueError, match="seq order"):
        register_figures([entries[1], entries[0]])


def test_to_dict_is_plain_json() -> None:
    data = register_figures(_entries(LOG), chain_ok=False).to_dict()
    assert set(data) == {
        "period", "audit_entries", "sessions_processed", "audio_hours", "jobs", "models",
        "minutes", "recordings_deleted", "incidents",
    }  # fmt: skip
    assert data["minutes"]["published_human_approved_share"] == 0.5
    assert data["models"][0]["stages"] == ["transcription"]
    assert data["incidents"]["chain_ok"] is False


# ---- from the database -----------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    engine = make_engine(f"sqlite:///{tmp_path / 'protokoll.db'}")
    migrate(engine)
    yield Database(engine)
    engine.dispose()


def write_log(db: Database, log: Log) -> None:
    """The log through the real `audit.record`, one transaction per entry."""
    for kind, action, meeting, job, details in log:
        with db.session() as s:
            audit.record(
                s, action, kind=kind, actor="worker" if kind == "ai" else "anna",
                meeting_id=meeting, job_id=job, details=details,
            )  # fmt: skip


def test_figures_from_db_equal_the_pure_function(db: Database) -> None:
    write_log(db, LOG)
    with db.session() as s:
        from_db = figures_from_db(s, batch=4)  # several batches
        views = [
            audit.entry_view(e) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))
        ]
    assert from_db == register_figures(views, chain_ok=True)
    assert from_db.sessions_processed == 2 and from_db.published_human_approved_share == 0.5
    assert from_db.entries == len(LOG) and from_db.chain_ok is True

    since = datetime.fromisoformat(views[18]["at"])
    with db.session() as s:
        assert figures_from_db(s, since=since) == register_figures(
            views, chain_ok=True, since=since
        )


def test_figures_from_db_report_a_broken_chain(db: Database, tmp_path: Path) -> None:
    write_log(db, LOG[:6])
    conn = sqlite3.connect(tmp_path / "protokoll.db")
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET details = replace(details, '5400', '54') WHERE seq = 2")
    conn.commit()
    conn.close()
    with db.session() as s:
        figures = figures_from_db(s)
    assert figures.chain_ok is False
    assert figures.to_dict()["incidents"]["chain_ok"] is False
