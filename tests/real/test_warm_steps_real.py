"""Two real jobs through the worker's warm steps (whisper-base, segmentation-3.0, CAM++ on a
25 s excerpt of the sample): the second loads no model again and its transcript is the one
a cold run (models loaded for the job, as `protokoll run` does) gives."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from protokoll.config import load_settings
from protokoll.pipeline.runner import Job, Runner, transcribe_recording
from protokoll.pipeline.warm import WarmSteps
from tests.support.models import require_models

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _excerpt(dest: Path) -> Path:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-t", "25", "-i",
         str(ROOT / "samples" / "sitzung.ogg"), "-ac", "1", "-ar", "16000", str(dest)],
        check=True,
    )  # fmt: skip
    return dest


def test_the_second_job_reuses_the_loaded_models_and_transcribes_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_models("whisper-base", "pyannote-segmentation-3.0", "campplus-zh-en-common")
    monkeypatch.chdir(ROOT)  # the models folder in config.toml is relative
    settings = load_settings(ROOT / "config.toml", {})
    recording = _excerpt(tmp_path / "auszug.wav")
    cold = transcribe_recording(recording, settings, work_dir=tmp_path / "cold")

    steps = WarmSteps()
    transcripts = []
    for name in ("a", "b"):
        job = Job(recording, tmp_path / name, None, minutes=False, checkpoints=False)
        transcripts.append(Runner(settings, steps).run(job).transcript)
        if name == "a":
            whisper = steps._kept["transcription"].model._loaded.model
            pipeline = steps._kept["diarization"].model._pipeline
            assert whisper is not None and pipeline is not None

    assert steps.loads == {"transcription": 1, "diarization": 1}
    assert steps.reuses == {"transcription": 1, "diarization": 1}
    # the very objects the first job loaded ran the second
    assert steps._kept["transcription"].model._loaded.model is whisper
    assert steps._kept["diarization"].model._pipeline is pipeline
    first, second = transcripts
    assert cold.segments  # the excerpt has speech
    assert first.segments == second.segments == cold.segments  # words, times, speakers
    assert second.models == cold.models  # the same models, hashes and hotwords
