"""The segmentation's plain and leaning decisions, on pyannote's own powerset conversion."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

torch = pytest.importorskip("torch")
powerset_module = pytest.importorskip("pyannote.audio.utils.powerset")

from protokoll.speakers.speech_bias import decide, powerset_scores  # noqa: E402

# 7 classes: nobody, 1, 2, 3, 1+2, 1+3, 2+3
QUIET = [0.45, 0.40, 0.05, 0.04, 0.03, 0.02, 0.01]  # a far seat: "nobody" just ahead
SILENCE = [0.90, 0.04, 0.02, 0.01, 0.01, 0.01, 0.01]
PAIR = [0.10, 0.20, 0.05, 0.05, 0.50, 0.05, 0.05]  # speakers 1 and 2 at once


def _frames(*probabilities: list[float]) -> np.ndarray:
    return np.log(np.array([list(p) for p in probabilities], dtype=np.float32))[None]


def test_the_plain_decision_is_pyannotes_own() -> None:
    powerset = powerset_module.Powerset(3, 2)
    frames = _frames(QUIET, SILENCE, PAIR)
    expected = powerset.to_multilabel(torch.from_numpy(frames)).numpy()
    assert np.array_equal(decide(frames, powerset), expected)
    assert decide(frames, powerset).tolist() == [[[0, 0, 0], [0, 0, 0], [1, 1, 0]]]


def test_leaning_gives_the_quiet_frame_to_its_likeliest_speaker_only() -> None:
    powerset = powerset_module.Powerset(3, 2)
    frames = _frames(QUIET, SILENCE, PAIR)
    before = frames.copy()
    assert decide(frames, powerset, math.log(2)).tolist() == [[[1, 0, 0], [0, 0, 0], [1, 1, 0]]]
    assert np.array_equal(frames, before)  # the model's output is not changed in place


def test_scores_are_raw_inside_and_converted_again_after() -> None:
    conversion = powerset_module.Powerset(3, 2)
    pipeline = SimpleNamespace(_segmentation=SimpleNamespace(conversion=conversion))
    with powerset_scores(pipeline) as found:
        assert found is conversion
        assert isinstance(pipeline._segmentation.conversion, torch.nn.Identity)
    assert pipeline._segmentation.conversion is conversion


def test_a_multilabel_model_keeps_its_conversion() -> None:
    identity = torch.nn.Identity()
    pipeline = SimpleNamespace(_segmentation=SimpleNamespace(conversion=identity))
    with powerset_scores(pipeline) as found:
        assert found is None
        assert pipeline._segmentation.conversion is identity
