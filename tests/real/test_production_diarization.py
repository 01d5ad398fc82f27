"""The production diarization path: a pyannote pipeline directory loaded as `pretrained`.

The GPU profile diarizes with pyannote/speaker-diarization-community-1, copied into
`models/` and loaded with `Pipeline.from_pretrained` (`diarization.pipeline =
"pretrained"`, VBx clustering with the directory's PLDA). Its weights cannot be
downloaded here, so `bench/production_models/diarization.py` builds a directory of the
same layout from the embedded models: community-1's config.yaml, segmentation-3.0,
CAM++ saved as a pyannote checkpoint, and a synthetic PLDA. It is pinned in a temporary
models directory with the real manifest and loaded through the project's own code
(`load_settings` with the gpu profile, `build_diarizer`, `PyannoteDiarizer`).

The diarization of real audio (the first 108 s of the bundled sample, all five speakers)
is marked `slow`; the layout, configuration and error tests use pyannote's
WeSpeakerResNet34 with random weights (community-1's embedding architecture) and take
seconds.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from bench.production_models.diarization import (
    FILES,
    MODEL_ID,
    build_pipeline_dir,
    plda_arrays,
    write_plda,
)
from protokoll.audio.intake import decode, read_wav
from protokoll.audio.source import SAMPLE_RATE_HZ
from protokoll.config import Settings, load_settings
from protokoll.documents.rttm import read_rttm
from protokoll.domain.transcript import SpeakerTurn
from protokoll.errors import ModelError
from protokoll.modelstore import ModelStore
from protokoll.pipeline.build import build_diarizer, model_store
from protokoll.scoring import diarization_error_rate
from protokoll.speakers.diarize import DiarizationResult, PyannoteDiarizer

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
MANIFEST = ROOT / "models" / "manifest.toml"
# the sample's first 108 s end in a pause (the next turn starts at 108.7 s) and hold
# turns of all five speakers (the shortest, wolff: 8.3 s)
EXCERPT_S = 108.0


def _require_models(*model_ids: str) -> None:
    for model_id in model_ids:
        if not (ROOT / "models" / model_id / "installed.json").exists():
            pytest.fail(f"model {model_id} missing: run `protokoll models install` first")


def _settings(models_dir: Path, **extra: str) -> Settings:
    """The production profile, on the CPU, with `models_dir` as the models directory."""
    return load_settings(
        ROOT / "config.toml",
        {
            "PROTOKOLL_PROFILE": "gpu",
            "PROTOKOLL_DIARIZATION__DEVICE": "cpu",
            "PROTOKOLL_MODELS__DIR": str(models_dir),
            **extra,
        },
    )


def _install(models_dir: Path, build: Callable[[Path], object]) -> ModelStore:
    """`build` writes the pipeline directory; it is pinned as an operator would."""
    build(models_dir / MODEL_ID)
    store = ModelStore(models_dir, MANIFEST)
    store.pin(MODEL_ID)
    return store


def _diarizer(models_dir: Path, **extra: str) -> PyannoteDiarizer:
    settings = _settings(models_dir, **extra)
    diarizer = build_diarizer(settings, model_store(settings, ROOT))
    assert isinstance(diarizer, PyannoteDiarizer)
    return diarizer


def _union(turns: list[SpeakerTurn]) -> list[tuple[float, float]]:
    spans: list[tuple[float, float]] = []
    for t in sorted(turns, key=lambda t: t.start_s):
        if spans and t.start_s <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], t.end_s))
        else:
            spans.append((t.start_s, t.end_s))
    return spans


def _overlap(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> float:
    return sum(max(0.0, min(a1, b1) - max(a0, b0)) for a0, a1 in a for b0, b1 in b)


# ---- the CAM++ directory on real audio (slow) -----------------------------------------


@dataclass
class ProductionRun:
    diarizer: PyannoteDiarizer
    result: DiarizationResult
    reference: list[SpeakerTurn]
    store: ModelStore
    vbx_calls: list[dict[str, Any]]
    seconds: float


@pytest.fixture(scope="module")
def production_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProductionRun]:
    _require_models("pyannote-segmentation-3.0", "campplus-zh-en-common")
    from pyannote.audio.pipelines.clustering import VBxClustering

    models = tmp_path_factory.mktemp("models")
    store = _install(models, lambda target: build_pipeline_dir(target, embedding="campplus"))
    diarizer = _diarizer(models)
    wav = decode(SAMPLES / "sitzung.ogg", tmp_path_factory.mktemp("audio")).wav_path
    audio = read_wav(wav)[: round(EXCERPT_S * SAMPLE_RATE_HZ)]
    reference = [
        SpeakerTurn(t.start_s, min(t.end_s, EXCERPT_S), t.speaker)
        for t in read_rttm(SAMPLES / "sitzung.rttm")
        if t.start_s < EXCERPT_S
    ]

    calls: list[dict[str, Any]] = []
    original = VBxClustering.__call__

    def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
        embeddings = kwargs["embeddings"] if "embeddings" in kwargs else args[0]
        calls.append(
            {
                "dimension": embeddings.shape[-1],
                "phi": np.array(self.plda.phi),
                "params": (self.threshold, self.Fa, self.Fb),
            }
        )
        return original(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(VBxClustering, "__call__", spy)
        started = time.monotonic()
        result = diarizer.diarize(audio)
        seconds = time.monotonic() - started
    yield ProductionRun(diarizer, result, reference, store, calls, seconds)


@pytest.mark.slow
def test_pretrained_directory_diarizes_real_speech(production_run: ProductionRun) -> None:
    run = production_run
    result, reference = run.result, run.reference
    # VBx ran once, over the CAM++ embeddings, with the directory's PLDA and config params
    assert len(run.vbx_calls) == 1
    call = run.vbx_calls[0]
    assert call["dimension"] == 192
    np.testing.assert_allclose(call["phi"], plda_arrays(192)[1]["psi"])
    assert call["params"] == pytest.approx((0.6, 0.07, 0.8))
    assert result.speaker_confidence == {}  # protokoll's own clustering did not run

    ref_speech, hyp_speech = _union(reference), _union(result.turns)
    ref_total = sum(b - a for a, b in ref_speech)
    missed = 1 - _overlap(ref_speech, hyp_speech) / ref_total
    false_alarm = (sum(b - a for a, b in hyp_speech) - _overlap(ref_speech, hyp_speech)) / ref_total
    der = diarization_error_rate(reference, result.turns, collar_s=0.25)
    print(
        f"pretrained (CAM++, synthetic PLDA), first {EXCERPT_S:.0f} s: {run.seconds:.1f} s, "
        f"{result.num_speakers} speakers found of {len({t.speaker for t in reference})}, "
        f"missed speech {missed:.3f}, false alarm {false_alarm:.3f}, DER {der:.4f}"
    )
    # measured on two CPU cores: 5 speakers, missed 0.002, false alarm 0.013, DER 0.005
    assert missed < 0.05
    assert false_alarm < 0.10
    assert result.num_speakers >= 2
    assert der < 0.10
    labels = sorted({t.speaker for t in result.turns})
    assert labels == [f"SPEAKER_{k:02d}" for k in range(len(labels))]
    assert all(0.0 <= t.start_s < t.end_s <= EXCERPT_S + 0.01 for t in result.turns)
    assert result.exclusive_turns and len(result.exclusive_turns) >= len(labels)


@pytest.mark.slow
def test_model_use_names_the_pretrained_pipeline(production_run: ProductionRun) -> None:
    [use] = production_run.result.models
    resolved = production_run.store.resolve(MODEL_ID)
    assert use.stage == "diarization"
    assert use.name == MODEL_ID
    assert use.sha256 == resolved.sha256 and len(use.sha256) == 64
    assert use.device == "cpu"
    assert use.parameters["pipeline"] == "pretrained"
    assert use.parameters["clustering_method"] == "pyannote"
    # the embedded pipeline's settings did not apply: the record must not claim them
    for key in ("clustering_threshold", "min_cluster_size", "segmentation_step", "clustering"):
        assert key not in use.parameters


# ---- layout, configuration and errors (random-weight ResNet34, seconds) ---------------


@pytest.fixture(scope="module")
def resnet_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _require_models("pyannote-segmentation-3.0")
    target = tmp_path_factory.mktemp("resnet") / MODEL_ID
    return build_pipeline_dir(target, embedding="wespeaker-resnet34", seed=0)


def test_builder_writes_every_file_the_manifest_lists(resnet_dir: Path) -> None:
    listed = {f.path for f in ModelStore(resnet_dir.parent, MANIFEST).entry(MODEL_ID).files}
    assert listed == set(FILES)
    for path in FILES:
        assert (resnet_dir / path).is_file() and (resnet_dir / path).stat().st_size > 0, path
    config = yaml.safe_load((resnet_dir / "config.yaml").read_text(encoding="utf-8"))
    assert config["pipeline"]["params"]["clustering"] == "VBxClustering"
    assert config["pipeline"]["params"]["plda"] == "$model/plda"


def test_resnet34_directory_loads_and_embeds(resnet_dir: Path, tmp_path: Path) -> None:
    import torch
    from pyannote.audio import Pipeline
    from pyannote.audio.models.embedding import WeSpeakerResNet34

    pipeline = Pipeline.from_pretrained(str(resnet_dir))
    assert pipeline is not None
    assert isinstance(pipeline._embedding.model_, WeSpeakerResNet34)
    assert pipeline._embedding.dimension == 256
    wav = decode(SAMPLES / "sitzung.ogg", tmp_path).wav_path
    audio = read_wav(wav)
    starts = (1.0, 22.3)  # 3 s of berger, 3 s of keller
    windows = np.stack([audio[round(s * 16000) : round((s + 3) * 16000)] for s in starts])
    embeddings = pipeline._embedding(torch.from_numpy(windows[:, None].astype(np.float32)))
    assert embeddings.shape == (2, 256)
    assert np.all(np.isfinite(embeddings))
    # the directory's PLDA takes them to the 128 dimensions VBx works in
    assert pipeline.clustering.plda(embeddings).shape == (2, 128)


def test_config_params_reach_the_pipeline(resnet_dir: Path, tmp_path: Path) -> None:
    """Values other than pyannote's defaults in config.yaml are the ones the pipeline runs."""

    def build(target: Path) -> None:
        shutil.copytree(resnet_dir, target)
        config = yaml.safe_load((target / "config.yaml").read_text(encoding="utf-8"))
        config["pipeline"]["params"].update(
            {"embedding_batch_size": 8, "segmentation_batch_size": 4, "segmentation_step": 0.2}
        )
        config["params"] = {
            "clustering": {"threshold": 0.7, "Fa": 0.2, "Fb": 2.5},
            "segmentation": {"min_duration_off": 0.1},
        }
        (target / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")

    _install(tmp_path, build)
    # batch sizes are a matter of the server's memory: the operator's settings win
    diarizer = _diarizer(
        tmp_path,
        PROTOKOLL_DIARIZATION__EMBEDDING_BATCH_SIZE="8",
        PROTOKOLL_DIARIZATION__SEGMENTATION_BATCH_SIZE="4",
    )
    result = diarizer.diarize(np.zeros(2 * SAMPLE_RATE_HZ, dtype=np.float32))
    assert result.turns == []  # silence: nobody speaks
    pipeline = diarizer._pipeline
    assert type(pipeline).__name__ == "SpeakerDiarization"
    assert type(pipeline.clustering).__name__ == "VBxClustering"
    assert (pipeline.clustering.threshold, pipeline.clustering.Fa, pipeline.clustering.Fb) == (
        pytest.approx((0.7, 0.2, 2.5))
    )
    assert pipeline.segmentation.min_duration_off == pytest.approx(0.1)
    assert pipeline.embedding_exclude_overlap is True
    assert pipeline.embedding_batch_size == 8
    assert pipeline.segmentation_batch_size == 4
    assert pipeline.segmentation_step == pytest.approx(0.2)
    assert pipeline._embedding.dimension == 256
    np.testing.assert_allclose(pipeline.clustering.plda.phi, plda_arrays(256)[1]["psi"])


def _break_config(target: Path) -> None:
    (target / "config.yaml").write_text("pipeline: [nicht geschlossen\n", encoding="utf-8")


def _break_embedding(target: Path) -> None:
    (target / "embedding" / "pytorch_model.bin").write_bytes(b"kein Modell")


@pytest.mark.parametrize(
    ("breakage", "cause"),
    [(_break_config, "config.yaml"), (_break_embedding, "")],
    ids=["config-not-yaml", "embedding-not-a-checkpoint"],
)
def test_broken_directory_is_a_german_model_error(
    resnet_dir: Path, tmp_path: Path, breakage: Callable[[Path], None], cause: str
) -> None:
    """Broken after copying but pinned as it is: the diarizer, not the store, must say so."""

    def build(target: Path) -> None:
        shutil.copytree(resnet_dir, target)
        breakage(target)

    _install(tmp_path, build)
    diarizer = _diarizer(tmp_path)
    with pytest.raises(ModelError) as info:
        diarizer.diarize(np.zeros(SAMPLE_RATE_HZ, dtype=np.float32))
    message = str(info.value)
    assert message.startswith("Die Sprechererkennung konnte nicht geladen werden: ")
    assert cause in message
    assert "Traceback" not in message


def test_missing_config_is_a_german_model_error(resnet_dir: Path, tmp_path: Path) -> None:
    _install(tmp_path, lambda target: shutil.copytree(resnet_dir, target))
    (tmp_path / MODEL_ID / "config.yaml").unlink()
    settings = _settings(tmp_path)
    with pytest.raises(ModelError, match=r"unvollständig: config\.yaml fehlt"):
        build_diarizer(settings, model_store(settings, ROOT))


def test_a_pipeline_of_another_kind_is_refused(resnet_dir: Path, tmp_path: Path) -> None:
    def build(target: Path) -> None:
        shutil.copytree(resnet_dir, target)
        config = {
            "dependencies": {"pyannote.audio": "4.0.0"},
            "pipeline": {
                "name": "pyannote.audio.pipelines.VoiceActivityDetection",
                "params": {"segmentation": "$model/segmentation"},
            },
        }
        (target / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")

    _install(tmp_path, build)
    with pytest.raises(ModelError, match="keine Sprechererkennungs-Pipeline"):
        _diarizer(tmp_path).diarize(np.zeros(2 * SAMPLE_RATE_HZ, dtype=np.float32))


def test_an_embedding_that_does_not_fit_the_plda_is_refused(
    resnet_dir: Path, tmp_path: Path
) -> None:
    def build(target: Path) -> None:
        shutil.copytree(resnet_dir, target)
        write_plda(target / "plda", 192)  # CAM++'s dimension beside a 256-dim ResNet34

    _install(tmp_path, build)
    with pytest.raises(ModelError, match=r"passen Sprechermodell.*nicht zusammen"):
        _diarizer(tmp_path).diarize(np.zeros(2 * SAMPLE_RATE_HZ, dtype=np.float32))
