"""The segmentation's leaning towards speech, on pyannote's own powerset conversion."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

torch = pytest.importorskip("torch")
powerset_module = pytest.importorskip("pyannote.audio.utils.powerset")

from protokoll.speakers.speech_bias import lean_towards_speech  # noqa: E402


def _pipeline() -> SimpleNamespace:
    conversion = powerset_module.Powerset(3, 2)
    return SimpleNamespace(_segmentation=SimpleNamespace(conversion=conversion))


def _frames(*probabilities: list[float]) -> torch.Tensor:
    """Log-probabilities over the 7 classes: nobody, 1, 2, 3, 1+2, 1+3, 2+3."""
    return torch.log(torch.tensor([list(p) for p in probabilities]))[None]


# a quiet far seat: "nobody" just ahead of speaker 1; then a clear silence
QUIET = [0.45, 0.40, 0.05, 0.04, 0.03, 0.02, 0.01]
SILENCE = [0.90, 0.04, 0.02, 0.01, 0.01, 0.01, 0.01]


def test_without_leaning_the_quiet_frame_is_nobody() -> None:
    pipeline = _pipeline()
    lean_towards_speech(pipeline, 0.0)
    active = pipeline._segmentation.conversion(_frames(QUIET, SILENCE))
    assert active.tolist() == [[[0, 0, 0], [0, 0, 0]]]


def test_leaning_gives_the_quiet_frame_to_its_likeliest_speaker_only() -> None:
    pipeline = _pipeline()
    lean_towards_speech(pipeline, math.log(2))
    active = pipeline._segmentation.conversion(_frames(QUIET, SILENCE))
    assert active.tolist() == [[[1, 0, 0], [0, 0, 0]]]


def test_leaning_leaves_the_model_output_untouched() -> None:
    pipeline = _pipeline()
    lean_towards_speech(pipeline, 1.0)
    frames = _frames(QUIET)
    before = frames.clone()
    pipeline._segmentation.conversion(frames)
    assert torch.equal(frames, before)


def test_a_multilabel_model_is_not_touched() -> None:
    identity = torch.nn.Identity()
    pipeline = SimpleNamespace(_segmentation=SimpleNamespace(conversion=identity))
    lean_towards_speech(pipeline, 1.0)
    assert pipeline._segmentation.conversion is identity
