"""Register figures from audit entries: known answers from a synthetic log, and the database
path (real `audit.record` into a migrated SQLite file) giving the same figures."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from protokoll.register.figures import ModelFigure, register_figures
from protokoll.service.infra import audit
from protokoll.service.infra.db import Database, make_engine, migrate
from protokoll.service.infra.tables import AuditEntry
from protokoll.service.usecases.register import figures_from_db
from tests.support.audit_log import (
    LOG,
    REC_1,
    REC_2,
    WHISPER,
    Log,
    entries,
    whisper_model,
    write_log,
)


def test_figures_of_a_known_log() -> None:
    figures = register_figures(entries(LOG), chain_ok=True)
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
    assert figures.recordings_deleted == {
        "veroeffentlichung": 0,
        "freigabe": 1,
        "frist": 1,
        "manuell": 1,
    }
    assert figures.entries == len(LOG)
    assert figures.period_from == "2026-03-01T09:01:00+00:00"
    assert figures.period_to == f"2026-03-01T09:{len(LOG):02d}:00+00:00"


def test_models_counted_once_per_stage_run() -> None:
    models = register_figures(entries(LOG)).models
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
    other = {**whisper_model(), "sha256": "9" * 64, "version": "v2"}
    log: Log = [
        ("ai", "stage.transcription", "m1", "j1", {"models": [whisper_model()]}),
        ("ai", "stage.transcription", "m2", "j2", {"models": [other]}),
    ]
    models = register_figures(entries(log)).models
    assert [(m.version, m.sha256, m.runs) for m in models] == [
        (None, WHISPER, 1),
        ("v2", "9" * 64, 1),
    ]


def test_remote_or_malformed_weights_hash_is_none() -> None:
    remote = {"stage": "minutes", "name": "qwen2.5-72b", "sha256": "", "device": "remote"}
    odd = {**whisper_model(), "sha256": WHISPER.upper()}
    log: Log = [("ai", "stage.minutes", "m1", "j1", {"models": [remote, odd]}),
                ("ai", "stage.transcription", "m1", "j1", {"models": [odd]})]  # fmt: skip
    models = register_figures(entries(log)).models
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
    figures = register_figures(entries(log))
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
    figures = register_figures(entries(log))
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
    figures = register_figures(entries(log))
    assert (figures.minutes_published, figures.published_human_approved) == (1, 1)
    assert figures.published_human_approved_share == 1.0


def test_since_counts_later_work_but_keeps_earlier_state() -> None:
    log: Log = [
        ("system", "stage.intake", "m1", "j1", {"recording_sha256": REC_1, "duration_s": 3600}),
        ("ai", "stage.transcription", "m1", "j1", {"models": [whisper_model()]}),
        ("human", "review.approved", "m1", None, {"version": 1, "final": True, "edit_rate": 0.5}),
        # from here on: the period
        ("system", "stage.intake", "m1", "j2", {"recording_sha256": REC_1, "duration_s": 3600}),
        ("ai", "stage.transcription", "m1", "j2", {"models": [whisper_model()]}),
        ("human", "review.published", "m1", None, {"version": 1}),
        ("system", "stage.intake", "m2", "j3", {"recording_sha256": REC_2, "duration_s": 900}),
        ("ai", "stage.transcription", "m2", "j3", {"models": [whisper_model()]}),
    ]
    log_entries = entries(log)
    since = datetime.fromisoformat(log_entries[3]["at"])
    figures = register_figures(log_entries, since=since)
    assert figures.sessions_processed == 1  # m1 was processed before
    assert figures.audio_hours == 0.25  # REC_1 counted before
    assert figures.minutes_approved == 0 and figures.average_edit_rate is None
    assert (figures.minutes_published, figures.published_human_approved) == (1, 1)
    assert figures.models[0].runs == 2
    assert figures.entries == 5
    assert figures.period_from == since.isoformat() and figures.period_to == log_entries[-1]["at"]


def test_empty_log() -> None:
    figures = register_figures([])
    assert figures.sessions_processed == 0 and figures.audio_hours == 0.0
    assert figures.published_human_approved_share is None
    assert figures.average_edit_rate is None and figures.models == ()
    assert figures.period_from is None and figures.period_to is None
    assert figures.recordings_deleted == {
        "veroeffentlichung": 0,
        "freigabe": 0,
        "frist": 0,
        "manuell": 0,
    }
    assert figures.to_dict()["incidents"] == {
        "jobs_failed": 0, "uploads_refused": 0, "logins_failed": 0, "chain_ok": None,
    }  # fmt: skip


def test_entries_must_come_in_seq_order() -> None:
    log_entries = entries(LOG[:3])
    with pytest.raises(ValueError, match="seq order"):
        register_figures([log_entries[1], log_entries[0]])


def test_to_dict_is_plain_json() -> None:
    data = register_figures(entries(LOG), chain_ok=False).to_dict()
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
