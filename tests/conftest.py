"""Shared fixtures: short test recordings made with ffmpeg."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.media import MakeMedia, make_media_file


@pytest.fixture(scope="session")
def make_media() -> MakeMedia:
    """``make_media(path, *ffmpeg_output_options, signal=..., seconds=..., inputs=...)``."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg ist nicht installiert")
    return make_media_file


@pytest.fixture
def media(make_media: MakeMedia, tmp_path: Path) -> MakeMedia:
    """Like `make_media`, with a file name in the test's tmp_path: ``media("a.mp3", ...)``."""

    def make(name: str, *output_args: str, **kwargs: object) -> Path:
        return make_media(tmp_path / name, *output_args, **kwargs)

    return make
