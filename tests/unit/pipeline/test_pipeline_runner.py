"""The one runner with fake steps: stage order, checkpoints, resuming, the observer's
hooks, documents, and a failing minutes stage that costs only the minutes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from protokoll.config import Settings
from protokoll.documents import artifacts
from protokoll.domain.agenda import Agenda
from protokoll.errors import StageError
from protokoll.pipeline import checkpoints
from protokoll.pipeline.runner import Job, Observer, Runner
from protokoll.pipeline.stages import STAGE_NAMES, Stage
from tests.support.service import FakeStages, sample_agenda_data, service_settings


class Recorder(Observer):
    wants_records = True

    def __init__(self, done: set[str] | None = None) -> None:
        self.done = done or set()
        self.events: list[tuple[str, str]] = []
        self.records: dict[str, dict[str, Any]] = {}
        self.drafts: list[Path] = []
        self.progress_stages: list[str] = []

    def done_before(self, stage: str) -> bool:
        return stage in self.done

    def started(self, stage: str) -> None:
        self.events.append(("started", stage))

    def progress(self, stage: str, completed: float, total: float) -> None:
        self.progress_stages.append(stage)

    def finished(self, stage: Stage, seconds: float, record: dict[str, Any]) -> None:
        assert seconds >= 0
        self.events.append(("finished", stage.name))
        self.records[stage.name] = record

    def draft_ready(self, minutes_json: Path) -> None:
        self.drafts.append(minutes_json)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return service_settings(tmp_path)


@pytest.fixture
def agenda() -> Agenda:
    return Agenda.model_validate(sample_agenda_data())


def _job(tmp_path: Path, agenda: Agenda | None, name: str = "run") -> Job:
    recording = tmp_path / "sitzung.ogg"
    if not recording.exists():
        recording.write_bytes(b"OggS" + bytes(200))
    return Job(recording, tmp_path / name / "work", tmp_path / name / "out", agenda=agenda)


def test_every_stage_runs_in_order_and_leaves_its_checkpoint_and_documents(
    tmp_path: Path, settings: Settings, agenda: Agenda
) -> None:
    steps, observer = FakeStages(), Recorder()
    job = _job(tmp_path, agenda)
    result = Runner(settings, steps, observer).run(job)

    started = [s for kind, s in observer.events if kind == "started"]
    finished = [s for kind, s in observer.events if kind == "finished"]
    assert started == finished == list(STAGE_NAMES)
    for name, file in checkpoints.STAGE_FILES.items():
        assert (job.work_dir / file).is_file(), name
    assert {"transcript.json", "transcript.docx", "minutes.json", "niederschrift.docx"} <= set(
        result.outputs
    )
    assert all(p.is_file() for p in result.outputs.values())
    assert result.minutes is not None
    assert observer.drafts == [job.out_dir / "minutes.json"]
    # what the service writes into the audit log
    assert observer.records["intake"]["duration_s"] == 220.0
    assert observer.records["transcription"]["segments"] == len(result.transcript.segments)
    assert set(observer.records["minutes"]["outputs"]) >= {"minutes.json", "niederschrift.docx"}
    assert "output" in observer.progress_stages


def test_stages_done_before_come_from_their_checkpoints(
    tmp_path: Path, settings: Settings, agenda: Agenda
) -> None:
    job = _job(tmp_path, agenda)
    first = Runner(settings, FakeStages(), Recorder()).run(job)

    again, observer = FakeStages(), Recorder(done={"intake", "transcription"})
    second = Runner(settings, again, observer).run(job)
    assert again.calls["intake"] == again.calls["transcription"] == 0
    assert again.calls["diarization"] == again.calls["minutes"] == 1
    assert ("started", "transcription") not in observer.events
    assert [s.text for s in second.transcript.segments] == [
        s.text for s in first.transcript.segments
    ]


def test_a_lost_checkpoint_runs_its_stage_again(
    tmp_path: Path, settings: Settings, agenda: Agenda
) -> None:
    job = _job(tmp_path, agenda)
    Runner(settings, FakeStages(), Recorder()).run(job)
    (job.work_dir / checkpoints.STAGE_FILES["transcription"]).unlink()
    again = FakeStages()
    Runner(settings, again, Recorder(done={"intake", "transcription"})).run(job)
    assert again.calls["intake"] == 0
    assert again.calls["transcription"] == 1


def test_a_failing_minutes_stage_costs_only_the_minutes(
    tmp_path: Path, settings: Settings, agenda: Agenda
) -> None:
    steps, observer = FakeStages(), Recorder()
    steps.minutes_error = StageError("Das Sprachmodell hat nicht geantwortet.")
    job = _job(tmp_path, agenda)
    result = Runner(settings, steps, observer).run(job)

    assert result.minutes is None
    assert (job.out_dir / "transcript.json").is_file()
    assert not (job.out_dir / "minutes.json").exists()
    assert observer.records["minutes"]["error"] == "Das Sprachmodell hat nicht geantwortet."
    assert observer.drafts == []
    [warning] = [w for w in result.warnings if "Niederschrift" in w]
    assert warning.startswith("Die Niederschrift konnte nicht erstellt werden")
    assert warning in result.transcript.warnings


def test_without_an_agenda_there_is_no_minutes_stage(tmp_path: Path, settings: Settings) -> None:
    steps, observer = FakeStages(), Recorder()
    result = Runner(settings, steps, observer).run(_job(tmp_path, None))
    assert steps.calls["minutes"] == 0
    assert ("started", "minutes") not in observer.events
    assert result.minutes is None
    assert "minutes.json" not in result.outputs


def test_without_an_output_folder_only_the_transcript_is_made(
    tmp_path: Path, settings: Settings, agenda: Agenda
) -> None:
    job = Job(_job(tmp_path, agenda).recording, tmp_path / "w", None, agenda=agenda, minutes=False)
    result = Runner(settings, FakeStages(), Recorder()).run(job)
    assert result.outputs == {}
    assert result.transcript.segments
    assert not (tmp_path / "out").exists()


def test_the_recording_is_named_as_the_user_knows_it(
    tmp_path: Path, settings: Settings, agenda: Agenda
) -> None:
    job = _job(tmp_path, agenda)
    named = Job(job.recording, job.work_dir, job.out_dir, agenda, recording_name="Rat 19.11.ogg")
    result = Runner(settings, FakeStages(), Recorder()).run(named)
    assert result.transcript.audio.file_name == "Rat 19.11.ogg"
    assert not (job.work_dir / "eingang").exists()  # the temporary link is gone


def test_a_job_without_checkpoints_leaves_none_and_records_only_when_asked(
    tmp_path: Path, settings: Settings, agenda: Agenda
) -> None:
    base = _job(tmp_path, agenda)
    job = Job(base.recording, base.work_dir, base.out_dir, agenda, checkpoints=False)
    quiet = Recorder()
    quiet.wants_records = False
    result = Runner(settings, FakeStages(), quiet).run(job)
    assert result.minutes is not None
    assert not any((job.work_dir / f).exists() for f in checkpoints.STAGE_FILES.values())
    assert quiet.records["intake"] == {} and quiet.records["assignment"] == {}


# ---- the transcript first (issue #17) ----------------------------------------------------


class _SeesTheTranscript(Recorder):
    """Looks into the output folder the moment the minutes stage starts."""

    def __init__(self, out: Path | None) -> None:
        super().__init__()
        assert out is not None
        self.out = out
        self.seen: dict[str, bytes] = {}

    def started(self, stage: str) -> None:
        super().started(stage)
        if stage == "minutes":
            self.seen = {p.name: p.read_bytes() for p in self.out.iterdir() if p.is_file()}


def test_the_transcript_documents_are_complete_before_the_minutes_stage_starts(
    tmp_path: Path, settings: Settings, agenda: Agenda
) -> None:
    job = _job(tmp_path, agenda)
    observer = _SeesTheTranscript(job.out_dir)
    Runner(settings, FakeStages(), observer).run(job)
    assert set(observer.seen) == set(artifacts.TRANSCRIPT_FILES)
    assert json.loads(observer.seen["transcript.json"])["segments"]
    assert observer.seen["transcript.docx"][:2] == b"PK"  # a whole Word file
    assert observer.seen["transcript.vtt"].startswith(b"WEBVTT")
    out = observer.out
    for name, content in observer.seen.items():  # the minutes did not touch them
        assert (out / name).read_bytes() == content


@pytest.mark.parametrize("crash", [RuntimeError("abgestürzt"), KeyboardInterrupt()])
def test_a_crash_in_the_minutes_stage_leaves_the_transcript_intact(
    tmp_path: Path, settings: Settings, agenda: Agenda, crash: BaseException
) -> None:
    job = _job(tmp_path, agenda)
    observer = _SeesTheTranscript(job.out_dir)
    steps = FakeStages()
    steps.fail_next("minutes", crash)
    with pytest.raises(type(crash)):
        Runner(settings, steps, observer).run(job)
    out = job.out_dir
    assert out is not None
    assert {p.name for p in out.iterdir()} == set(artifacts.TRANSCRIPT_FILES)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == observer.seen
    assert [p.name for p in out.parent.iterdir() if ".partial-" in p.name] == []


def test_a_crash_while_writing_the_minutes_documents_leaves_no_half_written_file(
    tmp_path: Path, settings: Settings, agenda: Agenda, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise OSError("Datenträger voll")

    monkeypatch.setattr(artifacts, "write_minutes_json", broken)  # after the Word file
    job = _job(tmp_path, agenda)
    observer = _SeesTheTranscript(job.out_dir)
    with pytest.raises(OSError):
        Runner(settings, FakeStages(), observer).run(job)
    out = job.out_dir
    assert out is not None
    assert {p.name for p in out.iterdir()} == set(artifacts.TRANSCRIPT_FILES)
    assert [p.name for p in out.parent.iterdir() if ".partial-" in p.name] == []


def test_the_transcript_documents_appear_all_at_once_or_not_at_all(
    tmp_path: Path, settings: Settings, agenda: Agenda, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise OSError("Datenträger voll")

    monkeypatch.setattr(artifacts, "write_vtt", broken)
    job = _job(tmp_path, agenda)
    with pytest.raises(OSError):
        Runner(settings, FakeStages(), Recorder()).run(job)
    out = job.out_dir
    assert out is not None
    assert not out.exists() or list(out.iterdir()) == []
