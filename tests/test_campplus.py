"""CAM++ as pyannote calls it: a batch of (window, local speaker) pairs with frame weights.

The architecture runs with its random initial weights here; what is tested is the
wrapper: silent speakers are skipped, each window is embedded on its own, and
the embedded lengths come from a small set (steady shapes keep memory flat).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from protokoll.campplus import EMBEDDING_DIM, SAMPLE_RATE_HZ, CamPlusPlus, _steady_length

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


def test_each_window_is_embedded_alone_with_few_distinct_lengths(model: CamPlusPlus) -> None:
    rng = np.random.default_rng(3)
    waves = torch.from_numpy(rng.normal(0, 0.1, (5, 1, 4 * SAMPLE_RATE_HZ)).astype(np.float32))
    t = torch.arange(4 * SAMPLE_RATE_HZ) / SAMPLE_RATE_HZ
    waves[1, 0] = 0.3 * torch.sin(2 * torch.pi * 220 * t) + 0.2 * torch.sin(2 * torch.pi * 1330 * t)
    weights = torch.stack(
        [
            _weights(slice(0, FRAMES)),  # fully active
            _weights(slice(0, FRAMES)),
            _weights(slice(100, 437)),  # partly active
            _weights(None),  # silent: no embedding
            _weights(slice(0, 12)),  # 0.08 s: too little speech to embed
        ]
    )
    lengths: list[int] = []
    network = model.campplus
    hook = network.register_forward_pre_hook(lambda _m, args: lengths.append(args[0].shape[1]))
    try:
        with torch.inference_mode():
            batched = model(waves, weights=weights)
            alone = [model(waves[i : i + 1], weights=weights[i : i + 1])[0] for i in range(5)]
    finally:
        hook.remove()
    assert batched.shape == (5, EMBEDDING_DIM)
    for i in (0, 1, 2):
        assert torch.isfinite(batched[i]).all()
        torch.testing.assert_close(batched[i], alone[i], rtol=1e-4, atol=1e-4)
    assert torch.isnan(batched[3]).all() and torch.isnan(batched[4]).all()
    apart = float((batched[0] - batched[1]).norm())
    assert apart > 10 * float((batched[0] - alone[0]).norm())  # the items were not mixed
    # three windows embedded twice, one at a time, at multiples of 25 frames
    assert len(lengths) == 6 and all(n % 25 == 0 for n in lengths)


def test_steady_length_keeps_the_middle() -> None:
    feat = torch.arange(437.0)[:, None].repeat(1, 80)
    kept = _steady_length(feat)
    assert len(kept) == 425 and float(kept[0, 0]) == 6.0  # 12 frames cut, 6 on each side
    assert len(_steady_length(feat[:23])) == 20  # the minimum stays embeddable
    assert len(_steady_length(feat[:400])) == 400


def test_without_weights_every_item_is_embedded(model: CamPlusPlus) -> None:
    rng = np.random.default_rng(4)
    waves = torch.from_numpy(rng.normal(0, 0.1, (2, 1, 3 * SAMPLE_RATE_HZ)).astype(np.float32))
    with torch.inference_mode():
        out = model(waves)
    assert out.shape == (2, EMBEDDING_DIM) and torch.isfinite(out).all()
