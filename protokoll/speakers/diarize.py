"""Speaker diarization with pyannote.audio's SpeakerDiarization pipeline.

Two ways to build the same pipeline class, so the code path a GPU server runs
is the one CI tests:

* `embedded` (CPU default, registry weights): segmentation-3.0 as the
  segmentation model, CAM++ (`protokoll.speakers.campplus`) as the embedding model,
  agglomerative clustering with a threshold tuned for CAM++.
* `pretrained` (production): a complete pipeline directory such as
  pyannote/speaker-diarization-community-1 copied into `models/`, loaded with
  `Pipeline.from_pretrained(<local dir>)` (VBx clustering with its PLDA).

Speaker labels are renumbered in order of first appearance (SPEAKER_00, ...).
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from protokoll.audio.source import SAMPLE_RATE_HZ, AudioSource
from protokoll.config import DiarizationSettings
from protokoll.devices import cpu_threads
from protokoll.domain.progress import ProgressHook, null_hook
from protokoll.domain.transcript import ModelUse, SpeakerTurn
from protokoll.errors import ModelError
from protokoll.modelstore import ResolvedModel
from protokoll.speakers.blocks import (
    blocks_to_turns,
    diarize_blockwise,
    extract_blocks,
    session_centroids,
    speech_turns,
)
from protokoll.speakers.clustering import ClusteringParams

log = logging.getLogger(__name__)

SPEECH_ONLY_BY_VAD = (
    "Die Sprechererkennung hat nur wenig Sprache gefunden und die Stimmen nicht "
    "unterschieden: Alle Beiträge sind einem Sprecher zugeordnet. Bitte die Sprecher prüfen."
)
SPEECH_NOT_CLUSTERED = (
    "Die Sprechererkennung hat Sprache gefunden, aber die Stimmen nicht unterscheiden "
    "können: Alle Beiträge sind einem Sprecher zugeordnet. Bitte die Sprecher prüfen."
)


@dataclass
class DiarizationResult:
    turns: list[SpeakerTurn]
    exclusive_turns: list[SpeakerTurn]
    models: list[ModelUse] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # per speaker label: share of its speech attributed without doubt (protokoll clustering)
    speaker_confidence: dict[str, float] = field(default_factory=dict)

    @property
    def num_speakers(self) -> int:
        return len({t.speaker for t in self.turns})


class Diarizer(Protocol):
    def diarize(
        self,
        audio: AudioSource | np.ndarray,
        *,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
        hook: ProgressHook = null_hook,
    ) -> DiarizationResult: ...


def resolve_torch_device(setting: str) -> str:
    # lazy: torch takes seconds and hundreds of MB to import; only model stages need it
    import torch

    if setting == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return setting


def relabel_by_first_appearance(
    turns: list[SpeakerTurn], mapping: dict[str, str] | None = None
) -> list[SpeakerTurn]:
    mapping = {} if mapping is None else mapping
    out = []
    for t in sorted(turns, key=lambda t: (t.start_s, t.end_s)):
        if t.speaker not in mapping:
            mapping[t.speaker] = f"SPEAKER_{len(mapping):02d}"
        out.append(
            SpeakerTurn(round(t.start_s, 3), round(t.end_s, 3), mapping[t.speaker], t.confidence)
        )
    return out


class PyannoteDiarizer:
    """Runs a pyannote.audio SpeakerDiarization pipeline on in-memory 16 kHz audio."""

    def __init__(
        self,
        settings: DiarizationSettings,
        *,
        segmentation: ResolvedModel | None = None,
        embedding: ResolvedModel | None = None,
        pretrained: ResolvedModel | None = None,
    ) -> None:
        self.settings = settings
        self.device = resolve_torch_device(settings.device)
        self._models = [m for m in (segmentation, embedding, pretrained) if m is not None]
        self._segmentation = segmentation
        self._embedding = embedding
        self._pretrained = pretrained
        self._pipeline: Any = None

    @property
    def loaded(self) -> bool:
        return self._pipeline is not None

    def unload(self) -> None:
        """Let the pipeline (and its models) go; the next `diarize` builds it again."""
        self._pipeline = None

    def _build(self) -> Any:
        # lazy: torch takes seconds and hundreds of MB to import; only model stages need it
        import torch

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # lazy: pyannote.audio imports torch and lightning (seconds); only diarization needs it
            from pyannote.audio import Model, Pipeline
            from pyannote.audio.pipelines import SpeakerDiarization

        if self.device == "cpu":
            torch.set_num_threads(cpu_threads(0))
        s = self.settings
        try:
            if self._pretrained is not None:
                pipeline = Pipeline.from_pretrained(str(self._pretrained.path))
                if pipeline is None:
                    raise ModelError(f"{self._pretrained.path} enthält keine pyannote-Pipeline.")
                check_pretrained(pipeline, SpeakerDiarization, self._pretrained.path)
                # the operator's batch sizes (GPU memory) win over the directory's; the
                # window step and the clustering parameters stay as the pipeline was tuned
                pipeline.segmentation_batch_size = s.segmentation_batch_size
                pipeline.embedding_batch_size = s.embedding_batch_size
            else:
                if self._segmentation is None or self._embedding is None:
                    raise ModelError("Segmentierungs- und Sprechermodell fehlen.")

                seg_model = Model.from_pretrained(str(self._segmentation.path))
                if seg_model is None:
                    raise ModelError(f"{self._segmentation.path} enthält kein pyannote-Modell.")
                # lazy: campplus imports torch and pyannote.audio (seconds, hundreds of MB)
                from protokoll.speakers.campplus import CamPlusPlus

                emb_model = CamPlusPlus(
                    self._embedding.path / self._embedding.entry.files[0].path,
                    max_frames=round(s.embedding_max_s * 100),
                )
                pipeline = SpeakerDiarization(
                    segmentation=seg_model,
                    embedding=emb_model,
                    plda=_unused_plda(),
                    clustering="AgglomerativeClustering",
                    segmentation_step=s.segmentation_step,
                    embedding_batch_size=s.embedding_batch_size,
                    segmentation_batch_size=s.segmentation_batch_size,
                )
                pipeline.instantiate(
                    {
                        "segmentation": {"min_duration_off": 0.0},
                        "clustering": {
                            "method": "centroid",
                            "threshold": s.clustering_threshold,
                            "min_cluster_size": s.min_cluster_size,
                        },
                    }
                )
        except ModelError:
            raise
        except Exception as exc:  # pyannote raises many kinds of errors on bad weights
            raise ModelError(f"Die Sprechererkennung konnte nicht geladen werden: {exc}") from exc
        pipeline.to(torch.device(self.device))
        return pipeline

    def diarize(
        self,
        audio: AudioSource | np.ndarray,
        *,
        min_speakers: int | None = None,
        max_speakers: int | None = None,
        hook: ProgressHook = null_hook,
    ) -> DiarizationResult:
        """Block by block, one clustering for the whole recording (`diarize_blocks`)."""

        if self._pipeline is None:
            began = time.monotonic()
            self._pipeline = self._build()
            log.info(
                "Sprechererkennung geladen (%.1f s, %s)", time.monotonic() - began, self.device
            )
        source = audio if isinstance(audio, AudioSource) else AudioSource.from_array(audio)
        total_s = source.duration_s
        started = time.monotonic()
        hook("diarization", 0.0, total_s)
        s = self.settings
        progress = lambda share: hook("diarization", total_s * share, total_s)  # noqa: E731
        warnings_: list[str] = []
        confidence: dict[str, float] = {}
        if s.clustering_method == "pyannote":
            turns, exclusive, blocks = diarize_blockwise(
                self._pipeline,
                source,
                block_s=s.block_minutes * 60,
                max_clustering_windows=s.max_clustering_chunks,
                min_speakers=min_speakers,
                max_speakers=max_speakers,
                progress=progress,
            )
        else:
            turns, exclusive, blocks, confidence, warnings_ = self._diarize_protokoll(
                source, min_speakers, max_speakers, progress
            )
        hook("diarization", total_s, total_s)
        mapping: dict[str, str] = {}
        turns = relabel_by_first_appearance(turns, mapping)
        exclusive = relabel_by_first_appearance(exclusive, mapping)
        confidence = {mapping[k]: v for k, v in confidence.items() if k in mapping}
        log.info(
            "Sprechererkennung: %d Sprecher, %d Abschnitte, %d Blöcke in %.1f s",
            len(set(mapping.values())), len(turns), blocks, time.monotonic() - started,
        )  # fmt: skip
        params: dict[str, object] = {
            "pipeline": self.settings.pipeline,
            "min_speakers": min_speakers,
            "max_speakers": max_speakers,
            "block_minutes": s.block_minutes,
            "max_clustering_chunks": s.max_clustering_chunks,
        }
        params["clustering_method"] = s.clustering_method
        if s.clustering_method == "protokoll":
            params["clustering"] = s.clustering.model_dump()
            params["split_pause_s"] = s.split_pause_s
            params["count_ties_up"] = s.count_ties_up
            params["count_overlap_down"] = s.count_overlap_down
        elif self._pretrained is None:
            params["clustering_threshold"] = s.clustering_threshold
            params["min_cluster_size"] = s.min_cluster_size
        if self._pretrained is None:
            params["segmentation_step"] = s.segmentation_step
        if self._pretrained is not None:  # every file of the directory, not only config.yaml
            params["files"] = dict(self._pretrained.file_hashes)
        uses = [
            ModelUse("diarization", m.entry.id, m.sha256, self.device, params) for m in self._models
        ]
        return DiarizationResult(
            turns=turns,
            exclusive_turns=exclusive,
            models=uses,
            warnings=warnings_,
            speaker_confidence=confidence,
        )

    def _diarize_protokoll(
        self,
        source: AudioSource,
        min_speakers: int | None,
        max_speakers: int | None,
        progress: Callable[[float], None],
    ) -> tuple[list[SpeakerTurn], list[SpeakerTurn], int, dict[str, float], list[str]]:
        """First pass per block, protokoll's clustering over the session, last pass per block.

        Speech that the clustering cannot place (it fails, or finds no speaker) becomes one
        speaker's turns with a warning: never an empty result where someone spoke."""
        s = self.settings
        blocks = extract_blocks(
            self._pipeline,
            source,
            block_s=s.block_minutes * 60,
            progress=progress,
            speech_bias=s.speech_bias,
            split_pause_s=s.split_pause_s,
            ties_up=s.count_ties_up,
            overlap_down=s.count_overlap_down,
        )
        params = ClusteringParams(**s.clustering.model_dump())
        try:
            found = session_centroids(
                blocks, s.max_clustering_chunks, params, min_speakers, max_speakers
            )
        except Exception:  # a numerical failure must not cost the transcript its speakers
            log.exception("Sprecher-Clustering fehlgeschlagen")
            found = None
        if found is None:
            speech = speech_turns(blocks)
            warning = SPEECH_NOT_CLUSTERED
            if not speech:  # the segmentation heard nobody: ask a second voice detector
                speech, warning = vad_turns(source), SPEECH_ONLY_BY_VAD
            if not speech:
                return [], [], len(blocks), {}, []
            return speech, speech, len(blocks), {"C000": 0.0}, [warning]
        turns, exclusive = blocks_to_turns(
            self._pipeline, blocks, found.centroids, max_speakers, progress
        )
        confidence = {f"C{k:03d}": round(float(c), 3) for k, c in enumerate(found.confidence)}
        return turns, exclusive, len(blocks), confidence, []


def vad_turns(source: AudioSource, block_s: float = 600.0) -> list[SpeakerTurn]:
    """Speech found by Silero VAD (shipped with faster-whisper), as one speaker's turns.

    Only asked when the segmentation model found no speech at all; read block by block."""
    # lazy: faster-whisper's VAD loads onnxruntime; needed only in this rare fallback
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=500, speech_pad_ms=200)
    step = round(block_s * SAMPLE_RATE_HZ)
    total = round(source.duration_s * SAMPLE_RATE_HZ)
    turns: list[SpeakerTurn] = []
    for start in range(0, total, step):
        audio = source.read(start, min(total, start + step))
        for span in get_speech_timestamps(audio, options, sampling_rate=SAMPLE_RATE_HZ):
            turns.append(
                SpeakerTurn(
                    (start + span["start"]) / SAMPLE_RATE_HZ,
                    (start + span["end"]) / SAMPLE_RATE_HZ,
                    "C000",
                    confidence=0.0,
                )
            )
    return turns


def check_pretrained(pipeline: Any, expected: type[Any], path: object) -> None:
    """A pretrained directory must hold a speaker-diarization pipeline whose embedding
    model and PLDA fit together; otherwise the mismatch would surface as a numpy error in
    the middle of the first recording."""
    if not isinstance(pipeline, expected):
        raise ModelError(
            f"{path} enthält keine Sprechererkennungs-Pipeline, sondern "
            f"„{type(pipeline).__name__}“ (config.yaml, pipeline.name)."
        )
    plda = getattr(pipeline, "_plda", None)
    if plda is None:
        return
    dimension = int(pipeline._embedding.dimension)
    try:
        plda(np.ones((2, dimension), dtype=np.float32))
    except Exception as exc:  # numpy raises ValueError or IndexError on a shape mismatch
        raise ModelError(
            f"In {path} passen Sprechermodell ({dimension} Dimensionen) und PLDA "
            f"(plda/) nicht zusammen: {exc}"
        ) from None


def _unused_plda() -> Any:
    """pyannote 4.0's constructor insists on a PLDA even for clustering that does not use one."""
    # lazy: pyannote.audio imports torch and lightning (seconds); only diarization needs it
    from pyannote.audio.core.plda import PLDA

    class _UnusedPLDA(PLDA):
        def __init__(self) -> None:  # no files: agglomerative clustering never calls it
            pass

    return _UnusedPLDA()


def single_speaker_turns(duration_s: float, label: str = "SPEAKER_00") -> list[SpeakerTurn]:
    """The fallback when diarization fails: one speaker for the whole recording."""
    return [SpeakerTurn(0.0, round(duration_s, 3), label)]
