"""The worker's warm steps with fake model builders: the second job reuses the models, each
job gets its own vocabulary and agenda, a changed setting or model file loads again, and
the memory budget (and the GPU's free memory) lets models go in the right order."""

from __future__ import annotations

import copy
import json
import os
import wave
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from protokoll.asr.transcribe import build_hotwords
from protokoll.audio.source import AudioSource
from protokoll.config import Settings, load_settings
from protokoll.domain.agenda import Agenda, load_agenda
from protokoll.domain.progress import ProgressHook, null_hook
from protokoll.domain.stage_results import DecodedAudio, TranscriptionResult
from protokoll.domain.transcript import AudioInfo, ModelUse, SpeakerTurn, Transcript
from protokoll.errors import StageError
from protokoll.llm.base import ChatMessage, Generation, LLMInfo
from protokoll.modelstore import ModelStore
from protokoll.pipeline import warm
from protokoll.pipeline.runner import Job, Observer, Runner
from protokoll.pipeline.stages import Stage
from protokoll.pipeline.warm import Footprint, ModelBuilders, WarmSteps
from protokoll.speakers.diarize import DiarizationResult

ROOT = Path(__file__).resolve().parents[3]
MANIFEST = ROOT / "models" / "manifest.toml"
AGENDA = ROOT / "samples" / "agenda.toml"
TRANSCRIPT = ROOT / "tests" / "data" / "sitzung.transcript.json"


# ---- fake models ----------------------------------------------------------------------------


class FakeRecogniser:
    def __init__(self, settings: Settings, log: list[str]) -> None:
        self.settings = settings.transcription
        self.hotwords = build_hotwords(self.settings.vocabulary)
        self.log = log
        self.unloaded = False

    def with_vocabulary(self, vocabulary: Sequence[str]) -> FakeRecogniser:
        view = copy.copy(self)
        view.hotwords = build_hotwords([*self.settings.vocabulary, *vocabulary])
        return view

    def transcribe(
        self, audio: AudioSource | np.ndarray, hook: ProgressHook = null_hook
    ) -> TranscriptionResult:
        self.log.append("transcribe")
        use = ModelUse(
            "transcription", "whisper-base", "0" * 64, "cpu", {"hotwords": self.hotwords}
        )
        return TranscriptionResult(language="de", segments=[], model=use)

    def unload(self) -> None:
        self.unloaded = True


class FakeDiarizer:
    def __init__(self) -> None:
        self.unloaded = False

    def diarize(
        self,
        audio: AudioSource | np.ndarray,
        *,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
        hook: ProgressHook = null_hook,
    ) -> DiarizationResult:
        turn = SpeakerTurn(0.0, 0.1, "SPEAKER_00")
        return DiarizationResult([turn], [turn])

    def unload(self) -> None:
        self.unloaded = True


class FakeLLM:
    """Every request fails: the drafter flags it and carries on with its rules."""

    def __init__(self) -> None:
        self.info = LLMInfo("fake", "fake-llm", "0" * 64, "cpu", 8192)
        self.closed = False

    def generate(
        self,
        messages: list[ChatMessage],
        *,
        max_tokens: int,
        temperature: float = 0.0,
        json_schema: dict[str, Any] | None = None,
    ) -> Generation:
        raise StageError("kein Sprachmodell im Test")

    def count_tokens(self, text: str) -> int:
        return len(text) // 4 + 1

    def close(self) -> None:
        self.closed = True


class World:
    """The fake builders, the model files' versions and sizes, the process's memory."""

    def __init__(self) -> None:
        self.built: Counter[str] = Counter()
        self.models: list[Any] = []
        self.calls: list[str] = []
        self.file_version: Counter[str] = Counter()
        self.size_mb = {"whisper-base": 100.0, "qwen2.5-coder-1.5b-instruct-q4km": 1000.0}
        self.resident_mb: float | None = 500.0
        self.gpu_free_mb: float | None = None

    def builders(self) -> ModelBuilders:
        def transcriber(settings: Settings, store: ModelStore) -> FakeRecogniser:
            return self._keep("transcription", FakeRecogniser(settings, self.calls))

        def diarizer(settings: Settings, store: ModelStore) -> FakeDiarizer:
            return self._keep("diarization", FakeDiarizer())

        def llm(settings: Settings, store: ModelStore) -> FakeLLM:
            return self._keep("llm", FakeLLM())

        return ModelBuilders(transcriber, diarizer, llm)

    def _keep(self, role: str, model: Any) -> Any:
        self.built[role] += 1
        self.models.append(model)
        return model

    def footprint(self, store: ModelStore, ids: Sequence[str]) -> Footprint:
        stamp = tuple((i, self.file_version[i]) for i in ids)
        return Footprint(stamp, sum(self.size_mb.get(i, 10.0) for i in ids))

    def steps(self, budget_mb: float = 0.0, tmp_path: Path | None = None) -> WarmSteps:
        store = ModelStore(Path("models"), MANIFEST)
        return WarmSteps(
            memory_budget_mb=budget_mb,
            gpu_headroom_mb=500.0,
            builders=self.builders(),
            store=lambda settings: store,
            footprint=self.footprint,
            resident=lambda: self.resident_mb,
            gpu_free=lambda: self.gpu_free_mb,
        )


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    config = tmp_path / "config.toml"
    config.write_text('[transcription]\nvocabulary = ["Kreistag"]\n', encoding="utf-8")
    return load_settings(config, {})


@pytest.fixture
def agenda() -> Agenda:
    return load_agenda(AGENDA)


def decoded_audio(tmp_path: Path) -> DecodedAudio:
    wav = tmp_path / "audio16k.wav"
    with wave.open(str(wav), "wb") as fh:
        fh.setnchannels(1)
        fh.setsampwidth(2)
        fh.setframerate(16_000)
        fh.writeframes(b"\x00\x00" * 1600)
    info = AudioInfo(
        file_name="sitzung.ogg", sha256="1" * 64, duration_s=0.1, source_format="ogg",
        source_codec="opus", source_sample_rate_hz=48_000, source_channels=1, size_bytes=100,
    )  # fmt: skip
    return DecodedAudio(info=info, wav_path=wav, peak_loudness_dbfs=-19.0)


def transcript() -> Transcript:
    return Transcript.from_dict(json.loads(TRANSCRIPT.read_text(encoding="utf-8")))


def run_job(steps: WarmSteps, settings: Settings, agenda: Agenda | None, tmp: Path) -> Any:
    """The model stages of one job, as the runner calls them."""
    decoded = decoded_audio(tmp)
    result = steps.transcription(decoded, settings, agenda, null_hook)
    steps.diarization(decoded, settings, agenda, (None, None), null_hook)
    minutes = steps.minutes(transcript(), agenda, settings, null_hook) if agenda else None
    return result, minutes


def with_transcription(settings: Settings, **changes: Any) -> Settings:
    section = settings.transcription.model_copy(update=changes)
    return settings.model_copy(update={"transcription": section})


# ---- reuse ----------------------------------------------------------------------------------


def test_the_second_job_reuses_every_model(
    tmp_path: Path, world: World, settings: Settings, agenda: Agenda
) -> None:
    steps = world.steps()
    run_job(steps, settings, agenda, tmp_path)
    run_job(steps, settings, agenda, tmp_path)
    assert world.built == {"transcription": 1, "diarization": 1, "llm": 1}
    assert steps.loads == {"transcription": 1, "diarization": 1, "llm": 1}
    assert steps.reuses == {"transcription": 1, "diarization": 1, "llm": 1}
    assert steps.loaded() == ["transcription", "diarization", "llm"]
    assert not any(
        getattr(m, "unloaded", False) or getattr(m, "closed", False) for m in world.models
    )


def test_each_job_gets_its_own_vocabulary_and_the_cold_runs_hotwords(
    tmp_path: Path, world: World, settings: Settings, agenda: Agenda
) -> None:
    steps = world.steps()
    with_agenda, _ = run_job(steps, settings, agenda, tmp_path)
    without, _ = run_job(steps, settings, None, tmp_path)
    again, _ = run_job(steps, settings, agenda, tmp_path)

    cold = build_hotwords(["Kreistag", *agenda.vocabulary_hint()])
    assert with_agenda.model.parameters["hotwords"] == again.model.parameters["hotwords"] == cold
    assert without.model.parameters["hotwords"] == "Kreistag"  # no agenda left over
    assert world.built["transcription"] == 1


def test_each_job_drafts_with_its_own_agenda_on_the_one_llm(
    tmp_path: Path, world: World, settings: Settings, agenda: Agenda
) -> None:
    steps = world.steps()
    shorter = agenda.model_copy(update={"items": agenda.items[:2]})
    _, full = run_job(steps, settings, agenda, tmp_path)
    _, short = run_job(steps, settings, shorter, tmp_path)
    assert [i.number for i in full.items] == ["1", "2", "3", "4"]
    assert [i.number for i in short.items] == ["1", "2"]
    assert "fake-llm" in json.dumps(list(short.models))  # the stage's record names the model
    assert world.built["llm"] == 1


def test_a_changed_setting_loads_that_model_again(
    tmp_path: Path, world: World, settings: Settings
) -> None:
    steps = world.steps()
    run_job(steps, settings, None, tmp_path)
    first = world.models[0]
    run_job(steps, with_transcription(settings, beam_size=5), None, tmp_path)
    assert world.built == {"transcription": 2, "diarization": 1}
    assert first.unloaded  # the old recogniser was let go before the new one loaded
    assert steps.releases == {"transcription": 1}


def test_a_replaced_model_file_loads_it_again(
    tmp_path: Path, world: World, settings: Settings
) -> None:
    steps = world.steps()
    run_job(steps, settings, None, tmp_path)
    world.file_version["pyannote-segmentation-3.0"] += 1
    run_job(steps, settings, None, tmp_path)
    assert world.built == {"transcription": 1, "diarization": 2}


def test_the_vocabulary_is_no_setting_that_reloads(
    tmp_path: Path, world: World, settings: Settings, agenda: Agenda
) -> None:
    steps = world.steps()
    for job_agenda in (agenda, None, agenda):
        decoded = decoded_audio(tmp_path)
        steps.transcription(decoded, settings, job_agenda, null_hook)
    assert world.built["transcription"] == 1


def test_without_diarization_no_diarizer_is_built(
    tmp_path: Path, world: World, settings: Settings
) -> None:
    steps = world.steps()
    off = settings.model_copy(
        update={"diarization": settings.diarization.model_copy(update={"backend": "none"})}
    )
    run_job(steps, off, None, tmp_path)
    assert world.built == {"transcription": 1}


# ---- the memory budget ----------------------------------------------------------------------


def test_within_the_budget_everything_stays(
    tmp_path: Path, world: World, settings: Settings, agenda: Agenda
) -> None:
    steps = world.steps(budget_mb=4000)
    world.resident_mb = 2000
    run_job(steps, settings, agenda, tmp_path)
    run_job(steps, settings, agenda, tmp_path)
    assert steps.releases == {}
    assert world.built == {"transcription": 1, "diarization": 1, "llm": 1}


def test_over_the_budget_the_models_not_needed_next_go_furthest_first(
    tmp_path: Path, world: World, settings: Settings, agenda: Agenda
) -> None:
    steps = world.steps(budget_mb=1000)
    world.resident_mb = 1500  # stays over the budget whatever goes
    decoded = decoded_audio(tmp_path)
    steps.transcription(decoded, settings, agenda, null_hook)
    # after transcription the diarizer comes next: the recogniser (needed last) goes
    assert steps.loaded() == []
    assert steps.releases == {"transcription": 1}
    steps.diarization(decoded, settings, agenda, (None, None), null_hook)
    # next the LLM: the diarizer, needed furthest ahead now, goes; so does the LLM after
    # the minutes: always over the budget, the warm steps behave like the cold ones
    assert steps.loaded() == []
    steps.minutes(transcript(), agenda, settings, null_hook)
    assert steps.loaded() == []
    assert steps.releases == {"transcription": 1, "diarization": 1, "llm": 1}
    assert world.models[0].unloaded and world.models[1].unloaded and world.models[2].closed


def test_the_budget_counts_the_next_models_size_and_stops_when_it_fits(
    tmp_path: Path, world: World, settings: Settings, agenda: Agenda
) -> None:
    steps = world.steps(budget_mb=1310)
    # the process: 200 MB and its models (whisper 100, diarization 2 x 10, LLM 1000 MB)
    steps._resident = lambda: 200 + sum(k.size_mb for k in steps._kept.values())
    decoded = decoded_audio(tmp_path)
    steps.transcription(decoded, settings, agenda, null_hook)
    assert steps.releases == {}  # 300 MB and the diarizer's 20 MB fit
    steps.diarization(decoded, settings, agenda, (None, None), null_hook)
    # 320 MB and the LLM's 1000 MB do not: the diarizer (needed furthest ahead) goes, then
    # 300 + 1000 MB fit and the recogniser stays
    assert steps.loaded() == ["transcription"]
    assert world.models[1].unloaded
    steps.minutes(transcript(), agenda, settings, null_hook)
    # 1300 MB and the recogniser is next and loaded: all stay
    assert steps.loaded() == ["transcription", "llm"]


def test_release_order_is_the_one_needed_furthest_ahead_first() -> None:
    assert warm.release_order("llm") == ["diarization", "transcription"]
    assert warm.release_order("transcription") == ["llm", "diarization"]
    assert warm.release_order("diarization") == ["transcription", "llm"]


def test_the_next_model_skips_stages_the_job_does_not_have(
    settings: Settings, agenda: Agenda
) -> None:
    assert warm.next_role(settings, "diarization", agenda) == "llm"
    assert warm.next_role(settings, "diarization", None) == "transcription"
    assert warm.next_role(settings, "llm", agenda) == "transcription"


def test_on_a_gpu_other_models_go_before_one_that_does_not_fit(
    tmp_path: Path,
    world: World,
    settings: Settings,
    agenda: Agenda,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(warm, "role_device", lambda settings, role: "cuda")
    steps = world.steps()
    world.gpu_free_mb = 10_000
    run_job(steps, settings, agenda, tmp_path)
    assert steps.releases == {}  # everything fits
    steps.close()
    world.gpu_free_mb = 1200  # another process took most of the GPU's memory
    steps.transcription(decoded_audio(tmp_path), settings, agenda, null_hook)
    steps.diarization(decoded_audio(tmp_path), settings, agenda, (None, None), null_hook)
    # the LLM (1000 MB + 500 MB headroom) does not fit in 1200 MB: the diarizer goes
    # first (needed furthest ahead), then the recogniser
    free = iter([1200.0, 1400.0, 1600.0])
    steps._gpu_free = lambda: next(free)
    steps.minutes(transcript(), agenda, settings, null_hook)
    assert steps.loaded() == ["llm"]


def test_close_lets_every_model_go(
    tmp_path: Path, world: World, settings: Settings, agenda: Agenda
) -> None:
    steps = world.steps()
    run_job(steps, settings, agenda, tmp_path)
    steps.close()
    assert steps.loaded() == []
    assert world.models[0].unloaded and world.models[1].unloaded and world.models[2].closed


# ---- in the runner, and the files' footprint ------------------------------------------------


class Records(Observer):
    wants_records = True

    def __init__(self) -> None:
        self.records: dict[str, dict[str, Any]] = {}

    def finished(self, stage: Stage, seconds: float, record: dict[str, Any]) -> None:
        self.records[stage.name] = record


def test_two_jobs_through_the_runner_name_their_models(
    tmp_path: Path, world: World, settings: Settings, agenda: Agenda
) -> None:
    steps = world.steps()
    for name in ("a", "b"):
        recording = tmp_path / f"{name}.ogg"
        recording.write_bytes(b"OggS" + bytes(200))
        observer = Records()
        steps.intake = lambda rec, s, work, hook: decoded_audio(work)  # type: ignore[method-assign]
        job = Job(recording, tmp_path / name / "work", tmp_path / name / "out", agenda=agenda)
        Runner(settings, steps, observer).run(job)
        assert observer.records["transcription"]["models"][0]["name"] == "whisper-base"
        assert "fake-llm" in json.dumps(observer.records["minutes"]["models"])
    assert world.built == {"transcription": 1, "diarization": 1, "llm": 1}


def test_the_footprint_changes_when_a_model_file_is_replaced(tmp_path: Path) -> None:
    models = tmp_path / "models"
    store = ModelStore(models, MANIFEST)
    folder = models / "whisper-base"
    folder.mkdir(parents=True)
    for f in store.entry("whisper-base").files:
        (folder / f.path).write_bytes(b"x" * 10)
    (folder / "installed.json").write_text("{}", encoding="utf-8")
    first = warm.files_footprint(store, ["whisper-base"])
    assert first == warm.files_footprint(store, ["whisper-base"])  # stable: a stat, no hash
    replacement = tmp_path / "model.bin"
    replacement.write_bytes(b"y" * 20)
    os.replace(replacement, folder / "model.bin")
    second = warm.files_footprint(store, ["whisper-base"])
    assert second.stamp != first.stamp
    assert second.size_mb > first.size_mb
