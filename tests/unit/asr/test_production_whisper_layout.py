"""The large-v3 token layout the random-weight turbo model is built with (no model run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.production_models.whisper import VOCAB_SIZE, YUE_ID, v3_tokenizer

BASE = Path(__file__).resolve().parents[3] / "models" / "whisper-base" / "tokenizer.json"


@pytest.fixture(scope="module")
def layout() -> dict[str, int]:
    if not BASE.exists():
        pytest.fail("whisper-base is not installed: run `protokoll models install`")
    return {t["content"]: t["id"] for t in v3_tokenizer(BASE)["added_tokens"]}


def test_the_hundredth_language_moves_the_task_tokens(layout: dict[str, int]) -> None:
    assert layout["<|yue|>"] == YUE_ID == 50358
    assert layout["<|de|>"] == 50261  # languages before it keep their ids
    assert layout["<|translate|>"] == 50359
    assert layout["<|transcribe|>"] == 50360
    assert layout["<|nospeech|>"] == 50363
    assert "<|nocaptions|>" not in layout
    assert layout["<|notimestamps|>"] == 50364
    # the 1,501 timestamp tokens follow up to the large-v3 vocabulary size
    assert VOCAB_SIZE - (layout["<|notimestamps|>"] + 1) == 1501


def test_ids_stay_unique_and_dense(layout: dict[str, int]) -> None:
    ids = sorted(layout.values())
    assert ids == list(range(50257, 50365))
