"""The audit log: hash chain, append-only database, verification names the broken entry."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text

from protokoll.config import Settings, load_settings
from protokoll.domain.stage_results import DecodedAudio, DiarizationOutcome, TranscriptionResult
from protokoll.domain.transcript import AudioInfo, ModelUse, Segment, SpeakerTurn, Word
from protokoll.service.bootstrap import build_context
from protokoll.service.context import ServiceContext
from protokoll.service.infra import audit, auth
from protokoll.service.infra.tables import AuditEntry, Job
from protokoll.service.usecases import meetings as svc

REPO = Path(__file__).resolve().parents[2]


def _settings(tmp_path: Path) -> Settings:
    return load_settings(
        REPO / "config.toml",
        {
            "PROTOKOLL_SERVICE__DATA_DIR": str(tmp_path / "data"),
            "PROTOKOLL_SERVICE__QUEUE": "memory",
        },
    )


class _Stages:
    """Stages without models: enough for the runner to write its audit entries."""

    def intake(
        self, recording: Path, settings: Settings, work_dir: Path, hook: object
    ) -> DecodedAudio:
        wav = work_dir / "audio16k.wav"
        shutil.copyfile(recording, wav)
        info = AudioInfo("x.wav", "ab" * 32, 2.0, "wav", "pcm_s16le", 16000, 1, wav.stat().st_size)
        return DecodedAudio(info=info, wav_path=wav, peak_loudness_dbfs=-3.0)

    def transcription(self, decoded: DecodedAudio, *_: object) -> TranscriptionResult:
        words = (Word(0.0, 0.5, "Guten", 0.9), Word(0.5, 1.0, "Abend.", 0.9))
        model = ModelUse("transcription", "whisper-base", "cd" * 32, "cpu", {"hotwords": "a b"})
        return TranscriptionResult("de", [Segment(0.0, 1.0, "Guten Abend.", words)], model=model)

    def diarization(self, decoded: DecodedAudio, *_: object) -> DiarizationOutcome:
        turns = [SpeakerTurn(0.0, 2.0, "SPEAKER_00")]
        model = ModelUse("diarization", "pyannote-segmentation-3.0", "ef" * 32, "cpu")
        return DiarizationOutcome(turns, turns, models=[model])

    def minutes(self, *_: object) -> object:
        raise AssertionError("no agenda, no minutes")


@pytest.fixture
def ctx(tmp_path: Path) -> ServiceContext:
    return build_context(_settings(tmp_path), stages=_Stages())  # type: ignore[arg-type]


def _actions(ctx: ServiceContext) -> list[str]:
    with ctx.db.session() as s:
        return [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))]


def _tiny_wav(path: Path) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
         "-ar", "16000", "-ac", "1", str(path)],
        check=True,
    )  # fmt: skip
    return path


def _run_job(ctx: ServiceContext, tmp_path: Path) -> str:
    """A user, a meeting, a recording and a finished job, through the service functions."""
    with ctx.db.session() as s:
        user = auth.create_user(s, "anna", "ein-langes-passwort", ["schriftfuehrer"])
        meeting = svc.create_meeting(s, user, body="Gemeinderat", date="2026-11-20")
        data = _tiny_wav(tmp_path / "probe.wav").read_bytes()
        upload = svc.start_upload(ctx, s, user, meeting, filename="probe.wav", size=len(data))
        ctx.layout.upload_part(upload.id).write_bytes(data)
        svc.complete_upload(ctx, s, upload)
        job = svc.start_job(ctx, s, user, meeting)
        job_id = job.id
    assert ctx.runner.run(job_id) == "done"
    return job_id


def test_service_actions_and_ai_steps_form_one_verified_chain(
    ctx: ServiceContext, tmp_path: Path
) -> None:
    job_id = _run_job(ctx, tmp_path)
    actions = _actions(ctx)
    assert actions[:4] == ["user.created", "meeting.created", "recording.uploaded", "job.started"]
    assert [a for a in actions if a.startswith("stage.")] == [
        "stage.intake", "stage.transcription", "stage.diarization", "stage.assignment",
    ]  # fmt: skip
    with ctx.db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "stage.transcription"))
        assert entry is not None and entry.kind == "ai" and entry.job_id == job_id
        details = json.loads(entry.details)
        model = details["models"][0]
        assert model["name"] == "whisper-base" and model["sha256"] == "cd" * 32
        assert model["device"] == "cpu" and details["device"] == "cpu"
        assert model["parameters"]["hotwords"] == "(2 Wörter)"  # titles stay out of the log
        assert details["input_sha256"] == "ab" * 32 and len(details["output_sha256"]) == 64
        assert details["seconds"] is not None
        result = audit.verify(s)
    assert result.ok and result.entries == len(actions)


def test_login_failures_are_recorded(ctx: ServiceContext) -> None:
    with ctx.db.session() as s:
        auth.create_user(s, "bert", "ein-langes-passwort", ["pruefer"])
    for name in ("bert", "niemand"):
        with ctx.db.session() as s, pytest.raises(auth.AuthError):
            auth.authenticate(s, name, "falsch", max_failures=5, lockout_s=60)
    with ctx.db.session() as s:
        failed = s.scalars(select(AuditEntry).where(AuditEntry.action == "login.failed")).all()
        assert [e.actor for e in failed] == ["bert", "niemand"]
        assert json.loads(failed[1].details) == {"reason": "unbekannter Benutzer"}


def test_database_refuses_update_and_delete(ctx: ServiceContext) -> None:
    with ctx.db.session() as s:
        auth.create_user(s, "carla", "ein-langes-passwort", ["admin"])
    for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"), ctx.db.session() as s:
            s.execute(text(statement))
    assert _actions(ctx) == ["user.created"]


def _db_file(ctx: ServiceContext) -> str:
    return str(ctx.settings.service.data_dir / "protokoll.db")


def _tamper(ctx: ServiceContext, statement: str) -> None:
    """What someone with write access to the database file could do."""
    conn = sqlite3.connect(_db_file(ctx))
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute(statement)
    conn.commit()
    conn.close()


def test_verification_names_exactly_the_altered_entry(ctx: ServiceContext, tmp_path: Path) -> None:
    _run_job(ctx, tmp_path)
    with ctx.db.session() as s:
        total = audit.verify(s).entries
        action = AuditEntry.action == "stage.transcription"
        target = s.scalars(select(AuditEntry.seq).where(action)).one()
    _tamper(
        ctx,
        f"UPDATE audit_log SET details = replace(details, 'whisper-base', 'whisper-tiny') "
        f"WHERE seq = {target}",
    )
    with ctx.db.session() as s:
        assert s.get(AuditEntry, target).action == "stage.transcription"  # type: ignore[union-attr]
        result = audit.verify(s)
    assert not result.ok and result.first_broken == target and result.entries == target - 1
    assert "verändert" in result.message() and str(target) in result.message()
    assert total > target


def test_verification_names_a_removed_entry(ctx: ServiceContext, tmp_path: Path) -> None:
    _run_job(ctx, tmp_path)
    _tamper(ctx, "DELETE FROM audit_log WHERE seq = 3")
    with ctx.db.session() as s:
        result = audit.verify(s)
    assert not result.ok and result.first_broken == 3 and "fehlt" in result.reason


def test_verification_notices_removed_last_entries(ctx: ServiceContext, tmp_path: Path) -> None:
    _run_job(ctx, tmp_path)
    with ctx.db.session() as s:
        last = audit.verify(s).entries
    _tamper(ctx, f"DELETE FROM audit_log WHERE seq = {last}")
    with ctx.db.session() as s:
        result = audit.verify(s)
    assert not result.ok and result.first_broken == last


def test_concurrent_appends_keep_one_chain(ctx: ServiceContext) -> None:
    errors: list[BaseException] = []

    def append(n: int) -> None:
        try:
            for i in range(20):
                with ctx.db.session() as s:
                    audit.record(s, "test.append", kind="system", details={"t": n, "i": i})
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    with ctx.db.session() as s:
        result = audit.verify(s)
    assert result.ok and result.entries == 80


def test_cli_verify_exit_code(ctx: ServiceContext, tmp_path: Path) -> None:
    _run_job(ctx, tmp_path)
    env = {
        "PROTOKOLL_SERVICE__DATA_DIR": str(ctx.settings.service.data_dir),
        "PATH": "/usr/bin:/bin",
    }
    cmd = [sys.executable, "-m", "protokoll", "audit", "verify"]
    ok = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "in Ordnung" in ok.stdout
    _tamper(ctx, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
    bad = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 6 and "Eintrag 2" in bad.stderr


def test_job_record_and_audit_agree(ctx: ServiceContext, tmp_path: Path) -> None:
    job_id = _run_job(ctx, tmp_path)
    with ctx.db.session() as s:
        job = s.get(Job, job_id)
        assert job is not None
        stages = s.scalars(
            select(AuditEntry).where(
                AuditEntry.job_id == job_id,
                AuditEntry.actor == "worker",
                AuditEntry.action.startswith("stage."),
            )
        ).all()
        assert {e.action.removeprefix("stage.") for e in stages} == set(job.stages)
