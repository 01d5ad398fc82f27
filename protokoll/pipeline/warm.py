"""Model steps that keep their models loaded from one job to the next (a worker's `Steps`).

`ModelSteps` loads faster-whisper, the diarization pipeline and the language model for
every job and lets each go after its stage: right for `protokoll run`, which does one job.
A worker does one job after another with the same models, so `WarmSteps` loads each model
once and keeps it. What belongs to a job stays out of the models: the agenda's vocabulary
goes to a `with_vocabulary` view of the loaded recogniser (the same hotwords as a cold
run), the agenda to a drafter built around the loaded language model.

Reuse. A model is kept under a key of its settings section, the model store's folders and
its files' size, modification time and inode (a `stat`, no hash): a changed setting or a
replaced or re-pinned file builds the model again, and the store hash-checks it as on a
cold start. The same settings and files reuse it without reading the weights again.

Memory. `memory_budget_mb` (0: no limit) bounds the process's resident memory: after each
stage, when the resident memory plus the estimated size of the next stage's model (if it
is not loaded) exceeds the budget, models are let go, the one needed furthest ahead
first, never the next stage's, until it fits. On CUDA the GPU's free memory is checked
before a stage loads its model: models on the GPU that the stage does not need are let
go until the new one (its files' size) fits with `gpu_headroom_mb` to spare; the freed
memory goes back to the GPU (`release_memory`, torch.cuda.empty_cache). The estimates are
the models' file sizes: int8 on CPU takes less, a GPU also needs room for activations
(the headroom).

One job at a time, as a worker runs them: the steps are not shared between threads.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from protokoll.asr.transcribe import Transcriber
from protokoll.config import Settings
from protokoll.devices import cuda_free_mb, release_memory, resident_mb, resolve_device
from protokoll.domain.agenda import Agenda
from protokoll.domain.minutes import Minutes
from protokoll.domain.progress import ProgressHook
from protokoll.domain.stage_results import DecodedAudio, DiarizationOutcome, TranscriptionResult
from protokoll.domain.transcript import Transcript
from protokoll.llm.base import LLM
from protokoll.modelstore import INSTALL_RECORD, ModelStore
from protokoll.pipeline.build import build_diarizer, build_llm, build_transcriber, model_store
from protokoll.pipeline.steps import (
    draft_minutes,
    drafter_with,
    stage_diarization,
    stage_intake,
    stage_transcription,
)
from protokoll.speakers.diarize import Diarizer

log = logging.getLogger(__name__)

# the models in the order a job needs them; after the language model the next job's
# recogniser comes
ROLES = ("transcription", "diarization", "llm")
ROLE_NAMES = {"transcription": "Transkription", "diarization": "Sprechererkennung", "llm": "LLM"}


class VocabularyTranscriber(Transcriber, Protocol):
    def with_vocabulary(self, vocabulary: Sequence[str]) -> Transcriber:
        """The same loaded recogniser with a session's vocabulary as hotwords."""
        ...


@dataclass(frozen=True)
class ModelBuilders:
    """How each model is built from the settings (fakes in tests)."""

    transcriber: Callable[[Settings, ModelStore], VocabularyTranscriber]
    diarizer: Callable[[Settings, ModelStore], Diarizer | None]
    llm: Callable[[Settings, ModelStore], LLM | None]


def real_builders() -> ModelBuilders:
    return ModelBuilders(
        transcriber=lambda settings, store: build_transcriber(settings, store),
        diarizer=build_diarizer,
        llm=build_llm,
    )


@dataclass(frozen=True)
class Footprint:
    """What a model's key holds of its files, and their size (the memory estimate)."""

    stamp: tuple[Any, ...]
    size_mb: float


# (store, model ids) -> the files' footprint
Fingerprint = Callable[[ModelStore, Sequence[str]], Footprint]


def files_footprint(store: ModelStore, model_ids: Sequence[str]) -> Footprint:
    """Each file's path, size, modification time and inode, the manifest's hashes and the
    install record's stamp: a `stat` per file, cheap enough for every job."""
    stamp: list[Any] = []
    size = 0
    for model_id in model_ids:
        entry = store.entry(model_id)
        folder = store.model_dir(model_id)
        for name in (*(f.path for f in entry.files), INSTALL_RECORD):
            stamp.append((model_id, name, _stat(folder / name)))
        stamp.append((model_id, tuple(f.sha256 for f in entry.files)))
        size += sum(_size(folder / f.path) for f in entry.files)
    return Footprint(tuple(stamp), size / 2**20)


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def model_ids(settings: Settings, role: str) -> list[str]:
    """The models (manifest ids) a role loads with these settings."""
    if role == "transcription":
        return [settings.transcription.model]
    if role == "diarization":
        dia = settings.diarization
        if dia.backend == "none":
            return []
        if dia.pipeline == "pretrained":
            return [dia.pretrained_model]
        return [dia.segmentation_model, dia.embedding_model]
    if settings.llm.backend in ("none", "openai"):  # nothing local to load
        return []
    return [settings.llm.model]


def role_device(settings: Settings, role: str) -> str:
    if role == "transcription":
        return resolve_device(settings.transcription.device)
    if role == "diarization":
        return resolve_device(settings.diarization.device)
    return resolve_device(settings.llm.device)


def _section(settings: Settings, role: str) -> str:
    section = {
        "transcription": settings.transcription,
        "diarization": settings.diarization,
        "llm": settings.llm,
    }[role]
    return json.dumps(section.model_dump(mode="json"), sort_keys=True)


def active(settings: Settings, role: str, agenda: Agenda | None) -> bool:
    """Whether a job with `agenda` uses the role's model."""
    if role == "diarization":
        return settings.diarization.backend != "none"
    if role == "llm":
        return agenda is not None and settings.minutes.enabled and settings.llm.backend != "none"
    return True


def next_role(settings: Settings, done: str, agenda: Agenda | None) -> str:
    """The model needed after the stage of `done` (the next job's recogniser after the last)."""
    i = ROLES.index(done)
    for step in (1, 2):
        role = ROLES[(i + step) % len(ROLES)]
        if active(settings, role, agenda):
            return role
    return "transcription"


def release_order(upcoming: str) -> list[str]:
    """The models that may go before `upcoming` runs, the one needed furthest ahead first
    (the optimal order when the stages come round in a fixed cycle)."""
    i = ROLES.index(upcoming)
    later = [ROLES[(i + step) % len(ROLES)] for step in range(1, len(ROLES))]
    return list(reversed(later))


@dataclass
class _Kept:
    key: tuple[Any, ...]
    model: Any
    size_mb: float
    device: str
    names: tuple[str, ...]


class WarmSteps:
    """The real steps with their models kept between jobs (see the module docstring)."""

    def __init__(
        self,
        *,
        memory_budget_mb: float = 0.0,
        gpu_headroom_mb: float = 1024.0,
        builders: ModelBuilders | None = None,
        store: Callable[[Settings], ModelStore] = model_store,
        footprint: Fingerprint = files_footprint,
        resident: Callable[[], float | None] = resident_mb,
        gpu_free: Callable[[], float | None] = cuda_free_mb,
    ) -> None:
        self.memory_budget_mb = memory_budget_mb
        self.gpu_headroom_mb = gpu_headroom_mb
        self.builders = builders or real_builders()
        self._store = store
        self._footprint = footprint
        self._resident = resident
        self._gpu_free = gpu_free
        self._kept: dict[str, _Kept] = {}
        # per role: models built (and hash-checked), reused, let go
        self.loads: Counter[str] = Counter()
        self.reuses: Counter[str] = Counter()
        self.releases: Counter[str] = Counter()

    @classmethod
    def from_settings(cls, settings: Settings) -> WarmSteps:
        """Within `[service] model_memory_mb` and `gpu_headroom_mb`."""
        service = settings.service
        return cls(
            memory_budget_mb=service.model_memory_mb, gpu_headroom_mb=service.gpu_headroom_mb
        )

    # ---- the steps -------------------------------------------------------------------------

    def intake(
        self, recording: Path, settings: Settings, work_dir: Path, hook: ProgressHook
    ) -> DecodedAudio:
        return stage_intake(recording, settings, work_dir, hook)

    def transcription(
        self, decoded: DecodedAudio, settings: Settings, agenda: Agenda | None, hook: ProgressHook
    ) -> TranscriptionResult:
        recogniser: VocabularyTranscriber = self._model("transcription", settings)
        transcriber = recogniser.with_vocabulary(agenda.vocabulary_hint() if agenda else [])
        result = stage_transcription(
            decoded, settings, agenda=agenda, transcriber=transcriber, hook=hook
        )
        self._fit(settings, next_role(settings, "transcription", agenda))
        return result

    def diarization(
        self,
        decoded: DecodedAudio,
        settings: Settings,
        agenda: Agenda | None,
        bounds: tuple[int | None, int | None],
        hook: ProgressHook,
    ) -> DiarizationOutcome:
        diarizer: Diarizer | None = None
        if active(settings, "diarization", agenda):
            diarizer = self._model("diarization", settings)
        outcome = stage_diarization(
            decoded, settings, agenda=agenda, diarizer=diarizer,
            min_speakers=bounds[0], max_speakers=bounds[1], hook=hook,
        )  # fmt: skip
        del diarizer
        self._fit(settings, next_role(settings, "diarization", agenda))
        return outcome

    def minutes(
        self, transcript: Transcript, agenda: Agenda, settings: Settings, hook: ProgressHook
    ) -> Minutes:
        llm: LLM | None = self._model("llm", settings)
        drafter = drafter_with(agenda, settings, llm)
        try:
            return draft_minutes(transcript, agenda, settings, hook=hook, drafter=drafter)
        finally:
            del drafter, llm
            self._fit(settings, next_role(settings, "llm", agenda))

    def close(self) -> None:
        """Let every model go."""
        for role in list(self._kept):
            self._release(role, "Worker endet")

    def loaded(self) -> list[str]:
        """The roles whose models are kept now."""
        return [role for role in ROLES if role in self._kept]

    # ---- keeping and letting go ------------------------------------------------------------

    def _key(self, settings: Settings, role: str) -> tuple[tuple[Any, ...], Footprint, ModelStore]:
        store = self._store(settings)
        footprint = self._footprint(store, model_ids(settings, role))
        key = (
            _section(settings, role),
            str(store.models_dir),
            str(store.manifest_path),
            footprint.stamp,
        )
        return key, footprint, store

    def _model(self, role: str, settings: Settings) -> Any:
        key, footprint, store = self._key(settings, role)
        names = tuple(model_ids(settings, role)) or (settings.llm.backend,)
        kept = self._kept.get(role)
        if kept is not None and kept.key == key:
            self.reuses[role] += 1
            log.info("%s: Modell %s wiederverwendet", ROLE_NAMES[role], ", ".join(names))
            return kept.model
        if kept is not None:
            self._release(role, "Einstellungen oder Modelldateien geändert")
        device = role_device(settings, role)
        if device == "cuda":
            self._room_on_gpu(role, footprint.size_mb)
        model = getattr(self.builders, _BUILDER[role])(settings, store)
        self._kept[role] = _Kept(key, model, footprint.size_mb, device, names)
        self.loads[role] += 1
        log.info(
            "%s: Modell %s wird geladen (%.0f MB, %s) und für die nächsten Aufträge behalten",
            ROLE_NAMES[role], ", ".join(names), footprint.size_mb, device,
        )  # fmt: skip
        return model

    def _fit(self, settings: Settings, upcoming: str) -> None:
        """After a stage: within the memory budget with the upcoming stage's model."""
        release_memory()
        if self.memory_budget_mb <= 0:
            return
        need = 0.0
        if upcoming not in self._kept:
            need = self._key(settings, upcoming)[1].size_mb
        for role in release_order(upcoming):
            used = self._resident()
            if used is None or used + need <= self.memory_budget_mb:
                return
            if role in self._kept:
                self._release(
                    role,
                    f"Speicherbudget {self.memory_budget_mb:.0f} MB (belegt {used:.0f} MB, "
                    f"als Nächstes {ROLE_NAMES[upcoming]} mit {need:.0f} MB)",
                )

    def _room_on_gpu(self, role: str, size_mb: float) -> None:
        """Before `role` loads onto the GPU: let other models on it go until it fits."""
        for other in release_order(role):
            free = self._gpu_free()
            if free is None or free >= size_mb + self.gpu_headroom_mb:
                return
            kept = self._kept.get(other)
            if kept is not None and kept.device == "cuda":
                self._release(
                    other,
                    f"GPU-Speicher: {free:.0f} MB frei, {ROLE_NAMES[role]} braucht "
                    f"{size_mb:.0f} MB + {self.gpu_headroom_mb:.0f} MB Reserve",
                )

    def _release(self, role: str, reason: str) -> None:
        kept = self._kept.pop(role)
        for method in ("unload", "close"):
            let_go = getattr(kept.model, method, None)
            if callable(let_go):
                let_go()
                break
        self.releases[role] += 1
        release_memory()
        log.info("%s: Modell %s freigegeben (%s)", ROLE_NAMES[role], ", ".join(kept.names), reason)


_BUILDER = {"transcription": "transcriber", "diarization": "diarizer", "llm": "llm"}
