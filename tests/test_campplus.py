"""CAM++ as pyannote calls it: a batch of (window, local speaker) pairs with frame weights.

The architecture runs with its random initial weights here; what is tested is the
wrapper: silent speakers are skipped, and batching by feature length gives the
same embedding as one window at a time.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from protokoll.campplus import EMBEDDING_DIM, SAMPLE_RATE_HZ, CamPlusPlus

FRAMES = 589  # pyannote segmentation-3.0 frames per window (the window is 4 s here)


@pytest.fixture(scope="module")
def model() -> CamPlusPlus:
    torch.manual_seed(0)
    return CamPlusPlus().eval()


def _weights(active: slice | None) -> torch.Tensor:
    w = torch.zeros(FRAMES)
    if active is not None:
        w[active] = 1.0
    return w


def test_batch_by_length_equals_one_at_a_time(model: CamPlusPlus) -> None:
    rng = np.random.default_rng(3)
    waves = torch.from_numpy(rng.normal(0, 0.1, (5, 1, 4 * SAMPLE_RATE_HZ)).astype(np.float32))
    t = torch.arange(4 * SAMPLE_RATE_HZ) / SAMPLE_RATE_HZ
    waves[1, 0] = 0.3 * torch.sin(2 * torch.pi * 220 * t) + 0.2 * torch.sin(2 * torch.pi * 1330 * t)
    weights = torch.stack(
        [
            _weights(slice(0, FRAMES)),  # fully active: same length as the next
            _weights(slice(0, FRAMES)),
            _weights(slice(100, 400)),  # partly active: a length of its own
            _weights(None),  # silent: no embedding
            _weights(slice(0, 12)),  # 0.08 s: too little speech to embed
        ]
    )
    with torch.inference_mode():
        batched = model(waves, weights=weights)
        alone = [model(waves[i : i + 1], weights=weights[i : i + 1])[0] for i in range(5)]
    assert batched.shape == (5, EMBEDDING_DIM)
    for i in (0, 1, 2):
        assert torch.isfinite(batched[i]).all()
        torch.testing.assert_close(batched[i], alone[i], rtol=1e-4, atol=1e-4)
    assert torch.isnan(batched[3]).all() and torch.isnan(batched[4]).all()
    # different audio, different embeddings: the batch did not mix its items
    apart = float((batched[0] - batched[1]).norm())
    assert apart > 10 * float((batched[0] - alone[0]).norm())


def test_without_weights_every_item_is_embedded(model: CamPlusPlus) -> None:
    rng = np.random.default_rng(4)
    waves = torch.from_numpy(rng.normal(0, 0.1, (2, 1, 3 * SAMPLE_RATE_HZ)).astype(np.float32))
    with torch.inference_mode():
        out = model(waves)
    assert out.shape == (2, EMBEDDING_DIM) and torch.isfinite(out).all()
