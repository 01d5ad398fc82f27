"""Transcription with faster-whisper (CTranslate2), German by default.

VAD on, word timestamps, the vocabulary of the session (member names, places,
agenda terms) passed as hotwords. `condition_on_previous_text` is off by
default: it is the main cause of repetition loops on long recordings. The
hallucination guard runs on the raw segments before anything is stored.
"""

from __future__ import annotations

import copy
import logging
import re
import time
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np

from protokoll.asr.hallucination import SegmentEvidence, filter_segments
from protokoll.audio.source import AudioSource
from protokoll.config import TranscriptionSettings
from protokoll.devices import cpu_threads, release_memory, resolve_compute_type, resolve_device
from protokoll.domain.progress import ProgressHook, null_hook
from protokoll.domain.stage_results import TranscriptionResult
from protokoll.domain.transcript import ModelUse, Segment, Word
from protokoll.errors import ModelError, StageError
from protokoll.modelstore import ResolvedModel

log = logging.getLogger(__name__)

# Whisper's prompt holds 224 tokens; keep the hint well inside it.
MAX_HOTWORDS_CHARS = 600


class Transcriber(Protocol):
    def transcribe(
        self, audio: AudioSource | np.ndarray, hook: ProgressHook = null_hook
    ) -> TranscriptionResult: ...


# words of an agenda title that are no words: numbers, dates, years, paper numbers
_NUMBERISH = re.compile(r"\d|^(nr|no|ziff|abs|§+)\.?$", re.IGNORECASE)


def hotword_term(term: str) -> str:
    """A vocabulary term without its numbers, dates and years ("Haushaltssatzung 2027" ->
    "Haushaltssatzung"): as hotwords they make Whisper write a spoken count as a date or a
    year, and a wrong count is the worst error minutes can have."""
    return " ".join(w for w in term.split() if not _NUMBERISH.search(w.strip("()[]„“\"',;:")))


def build_hotwords(vocabulary: Sequence[str]) -> str | None:
    """Join unique vocabulary terms (without numbers), in order, up to the prompt budget."""
    seen: dict[str, None] = {}
    for term in vocabulary:
        term = hotword_term(term)
        if term:
            seen.setdefault(term, None)
    text = ""
    for term in seen:
        candidate = f"{text}, {term}" if text else term
        if len(candidate) > MAX_HOTWORDS_CHARS:
            break
        text = candidate
    return text or None


class _Loaded:
    """The loaded WhisperModel, shared by a transcriber and its vocabulary views."""

    model: Any = None


class FasterWhisperTranscriber:
    """faster-whisper with the session's vocabulary as hotwords. The model loads on first use
    and stays with the object (and with every `with_vocabulary` view of it) until `unload`."""

    def __init__(
        self,
        model: ResolvedModel,
        settings: TranscriptionSettings,
        vocabulary: Sequence[str] = (),
    ) -> None:
        self.model_ref = model
        self.settings = settings
        self.device = resolve_device(settings.device)
        self.compute_type = resolve_compute_type(settings.compute_type, self.device)
        self.hotwords = build_hotwords([*settings.vocabulary, *vocabulary])
        self._loaded = _Loaded()

    def with_vocabulary(self, vocabulary: Sequence[str]) -> FasterWhisperTranscriber:
        """The same recogniser with another session's vocabulary: the hotwords are those
        `FasterWhisperTranscriber(model, settings, vocabulary)` would have, the loaded model
        is shared (nothing loads again). A worker that keeps its models serves each job so."""
        view = copy.copy(self)  # shares `_loaded`
        view.hotwords = build_hotwords([*self.settings.vocabulary, *vocabulary])
        return view

    @property
    def loaded(self) -> bool:
        return self._loaded.model is not None

    def unload(self) -> None:
        """Let the model go (for this object and all its views); the next use loads it."""
        self._loaded.model = None

    def _load(self) -> Any:
        if self._loaded.model is None:
            # lazy: faster-whisper brings CTranslate2 (seconds); only transcription needs it
            from faster_whisper import WhisperModel

            started = time.monotonic()
            try:
                model = WhisperModel(
                    str(self.model_ref.path),
                    device=self.device,
                    compute_type=self.compute_type,
                    cpu_threads=cpu_threads(self.settings.cpu_threads),
                    local_files_only=True,
                )
            except (RuntimeError, ValueError, OSError) as exc:
                raise ModelError(
                    f"Das Transkriptionsmodell „{self.model_ref.entry.id}“ konnte nicht geladen "
                    f"werden ({self.device}/{self.compute_type}): {exc}"
                ) from exc
            check_mel_bins(model, self.model_ref.entry.id)
            self._loaded.model = model
            log.info(
                "Transkriptionsmodell %s geladen (%.1f s, %s/%s)", self.model_ref.entry.id,
                time.monotonic() - started, self.device, self.compute_type,
            )  # fmt: skip
        return self._loaded.model

    def parameters(self) -> dict[str, object]:
        s = self.settings
        return {
            "language": s.language,
            "beam_size": s.beam_size,
            "batch_size": s.batch_size,
            "block_minutes": s.block_minutes,
            "vad": s.vad,
            "condition_on_previous_text": s.condition_on_previous_text,
            "compute_type": self.compute_type,
            "hotwords": self.hotwords,
            **({"max_new_tokens": s.max_new_tokens} if s.max_new_tokens else {}),
        }

    def transcribe(
        self, audio: AudioSource | np.ndarray, hook: ProgressHook = null_hook
    ) -> TranscriptionResult:
        """Transcribe block by block (cut in pauses); times are relative to the recording."""
        # lazy: faster-whisper brings CTranslate2 (seconds); only transcription needs it
        from faster_whisper import BatchedInferencePipeline

        source = audio if isinstance(audio, AudioSource) else AudioSource.from_array(audio)
        model = self._load()
        s = self.settings
        total_s = source.duration_s
        options: dict[str, Any] = {
            "language": s.language,
            "beam_size": s.beam_size,
            "word_timestamps": s.word_timestamps,
            "vad_filter": s.vad,
            "condition_on_previous_text": s.condition_on_previous_text,
            "hotwords": self.hotwords,
        }
        if s.max_new_tokens:
            options["max_new_tokens"] = s.max_new_tokens
        batched = s.batch_size > 0 and s.vad  # the batched pipeline needs VAD's speech chunks
        pipeline = BatchedInferencePipeline(model=model) if batched else None
        started = time.monotonic()
        hook("transcription", 0.0, total_s)
        raw: list[Segment] = []
        evidence: list[SegmentEvidence] = []
        language = s.language
        speech_s = 0.0
        try:
            for block in source.blocks(s.block_minutes * 60):
                if pipeline is not None:
                    segments_iter, info = pipeline.transcribe(
                        block.audio, batch_size=s.batch_size, **options
                    )
                else:
                    segments_iter, info = model.transcribe(block.audio, **options)
                for seg in segments_iter:
                    raw.append(_to_segment(seg, block.start_s))
                    evidence.append(SegmentEvidence(seg.no_speech_prob, seg.avg_logprob))
                    hook("transcription", min(block.start_s + seg.end, total_s), total_s)
                language = info.language or language
                speech_s += float(getattr(info, "duration_after_vad", 0.0) or 0.0)
                hook("transcription", block.end_s, total_s)
                release_memory()
        except (RuntimeError, ValueError) as exc:
            raise StageError(f"Die Transkription ist fehlgeschlagen: {exc}") from exc
        hook("transcription", total_s, total_s)
        kept, dropped = filter_segments(raw, evidence)
        for d in dropped:
            log.warning("Verworfen bei %.1f–%.1f s (%s): %s", d.start_s, d.end_s, d.reason, d.text)
        log.info(
            "Transkription: %d Segmente, %.1f s Audio in %.1f s",
            len(kept), total_s, time.monotonic() - started,
        )  # fmt: skip
        use = ModelUse(
            stage="transcription",
            name=self.model_ref.entry.id,
            sha256=self.model_ref.sha256,
            device=self.device,
            parameters=self.parameters(),
        )
        return TranscriptionResult(
            language=language,
            segments=kept,
            dropped=dropped,
            model=use,
            speech_s=speech_s,
        )


def check_mel_bins(model: Any, model_id: str) -> None:
    """The features must have as many mel bins as the model expects (80 for Whisper up to
    large-v2, 128 for large-v3 and turbo). faster-whisper takes the number from the model's
    `preprocessor_config.json` and silently assumes 80 without it; the mismatch would only
    surface as an obscure error in the middle of the first recording."""
    expected = int(getattr(getattr(model, "model", None), "n_mels", 0) or 0)
    extractor = getattr(model, "feature_extractor", None)
    filters = getattr(extractor, "mel_filters", None)
    produced = int(filters.shape[0]) if filters is not None else 0
    if expected and produced and expected != produced:
        raise ModelError(
            f"Das Transkriptionsmodell „{model_id}“ erwartet {expected} Mel-Bänder, die "
            f"Merkmalsberechnung liefert {produced}. Meist fehlt preprocessor_config.json im "
            "Modellverzeichnis (large-v3 und turbo brauchen sie); bitte die Datei mitkopieren "
            f"und „protokoll models pin {model_id}“ ausführen."
        )


def _to_segment(seg: Any, offset_s: float = 0.0) -> Segment:
    words = tuple(
        Word(
            start_s=round(float(w.start) + offset_s, 3),
            end_s=round(float(w.end) + offset_s, 3),
            text=w.word,
            probability=float(w.probability),
        )
        for w in (seg.words or [])
    )
    return Segment(
        start_s=round(float(seg.start) + offset_s, 3),
        end_s=round(float(seg.end) + offset_s, 3),
        text=seg.text.strip(),
        words=words,
    )
