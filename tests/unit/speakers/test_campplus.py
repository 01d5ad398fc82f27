"""CAM++ as pyannote calls it: a batch of (window, local speaker) pairs with frame weights.

The architecture runs with its random initial weights here; what is tested is the
wrapper: silent speakers are skipped, each window is embedded on its own, the
embedded lengths come from a small set (steady shapes keep memory flat), and the
ONNX Runtime path gives PyTorch's embeddings.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from protokoll.speakers.campplus import EMBEDDING_DIM, SAMPLE_RATE_HZ, CamPlusPlus, _steady_length

FRAMES = 589  # pyannote segmentation-3.0 frames per window (the window is 4 s here)


@pytest.fixture(scope="module")
def model() -> CamPlusPlus:
    torch.manual_seed(0)
    built = CamPlusPlus().eval()
    built.use_onnx = False  # the shapes are seen by hooks on the PyTorch network
    return built


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


def test_a_capped_model_embeds_at_most_max_frames_of_a_speaker() -> None:
    torch.manual_seed(2)
    capped = CamPlusPlus(max_frames=150).eval()
    capped.use_onnx = False
    rng = np.random.default_rng(6)
    waves = torch.from_numpy(rng.normal(0, 0.1, (2, 1, 4 * SAMPLE_RATE_HZ)).astype(np.float32))
    weights = torch.stack([_weights(slice(0, FRAMES)), _weights(slice(0, 100))])
    lengths: list[int] = []
    hook = capped.campplus.register_forward_pre_hook(
        lambda _m, args: lengths.append(args[0].shape[1])
    )
    try:
        with torch.inference_mode():
            out = capped(waves, weights=weights)
    finally:
        hook.remove()
    assert torch.isfinite(out).all()
    assert lengths == [150, 50]  # 4 s cut to 1.5 s; 0.68 s, under the cap, kept (to 0.5 s)


def test_onnx_runtime_gives_pytorchs_embeddings_and_each_window_one_fbank() -> None:
    torch.manual_seed(1)
    onnx = CamPlusPlus().eval()
    plain = CamPlusPlus().eval()
    plain.load_state_dict(onnx.state_dict())
    plain.use_onnx = False
    rng = np.random.default_rng(5)
    wave = torch.from_numpy(rng.normal(0, 0.1, (1, 4 * SAMPLE_RATE_HZ)).astype(np.float32))
    other = torch.from_numpy(rng.normal(0, 0.1, (1, 4 * SAMPLE_RATE_HZ)).astype(np.float32))
    # one window's three local speakers, then another window: as pyannote asks for them
    waves = torch.stack([wave, wave, wave, other])
    weights = torch.stack(
        [
            _weights(slice(0, 200)),
            _weights(slice(200, 589)),
            _weights(slice(50, 450)),
            _weights(slice(0, 589)),
        ]
    )
    fbanks: list[int] = []
    original = onnx._compute_fbank

    def counted(waveform: torch.Tensor) -> torch.Tensor:
        fbanks.append(1)
        return original(waveform)

    with torch.inference_mode():
        onnx(other[None], weights=weights[3:])  # exports the network (a trace runs it)
    onnx._compute_fbank = counted  # type: ignore[method-assign]
    calls: list[int] = []
    hook = onnx.campplus.register_forward_pre_hook(lambda _m, args: calls.append(1))
    try:
        with torch.inference_mode():
            fast = onnx(waves, weights=weights)
            reference = plain(waves, weights=weights)
    finally:
        hook.remove()
    assert onnx._onnx is not None and not calls  # ONNX Runtime computed them, not PyTorch
    assert len(fbanks) == 2  # one fbank per window, not per local speaker
    assert torch.isfinite(fast).all()
    torch.testing.assert_close(fast, reference, rtol=1e-3, atol=1e-6)
    cosine = torch.nn.functional.cosine_similarity(fast, reference)
    assert float(cosine.min()) > 0.99999
    # different speech, different embedding: far more apart than the two runtimes
    assert float((fast[0] - fast[1]).norm()) > 100 * float((fast - reference).norm(dim=1).max())


def test_steady_length_keeps_the_middle() -> None:
    feat = torch.arange(437.0)[:, None].repeat(1, 80)
    kept = _steady_length(feat)
    assert len(kept) == 425 and float(kept[0, 0]) == 6.0  # 12 frames cut, 6 on each side
    assert len(_steady_length(feat[:23])) == 20  # the minimum stays embeddable
    assert len(_steady_length(feat[:400])) == 400
    capped = _steady_length(feat, max_frames=300)  # at most 3 s, from the middle
    assert len(capped) == 300 and float(capped[0, 0]) == 68.0
    assert len(_steady_length(feat[:210], max_frames=300)) == 200


def test_without_weights_every_item_is_embedded(model: CamPlusPlus) -> None:
    rng = np.random.default_rng(4)
    waves = torch.from_numpy(rng.normal(0, 0.1, (2, 1, 3 * SAMPLE_RATE_HZ)).astype(np.float32))
    with torch.inference_mode():
        out = model(waves)
    assert out.shape == (2, EMBEDDING_DIM) and torch.isfinite(out).all()


_CACHE_PROBE = """
import torch
import protokoll  # sets the oneDNN cache size before oneDNN first runs
from protokoll.speakers.campplus import CamPlusPlus, _steady_length

torch.manual_seed(0)
model = CamPlusPlus().eval()
lengths = sorted({len(_steady_length(torch.zeros(n, 80))) for n in range(20, 1000)})
with torch.inference_mode():
    for round_ in (1, 2):
        print("ROUND", round_, len(lengths), flush=True)
        for n in lengths:
            model.campplus(torch.randn(1, n, 80))
"""


@pytest.mark.skipif(not torch.backends.mkldnn.is_available(), reason="PyTorch without oneDNN")
def test_every_embedding_shape_stays_in_the_onednn_cache(tmp_path: Path) -> None:
    """Each of CAM++'s input lengths (10 s windows) is compiled once: the second pass
    over all of them builds no primitive anew. With oneDNN's default cache of 1024
    primitives it rebuilt thousands, which cost time and memory on long sessions."""
    env = {k: v for k, v in os.environ.items() if k != "ONEDNN_PRIMITIVE_CACHE_CAPACITY"}
    env["ONEDNN_VERBOSE"] = "2"  # one line per primitive creation: cache_hit or cache_miss
    proc = subprocess.run(
        [sys.executable, "-c", _CACHE_PROBE], env=env, capture_output=True, text=True,
        timeout=600, check=True, cwd=tmp_path,
    )  # fmt: skip
    first, _, second = proc.stdout.partition("ROUND 2")
    assert "ROUND 1 40\n" in first  # 40 distinct lengths from 0.2 s to 10 s
    assert first.count("cache_miss") > 1000  # the probe did go through oneDNN
    assert second.count("cache_hit") > 10_000 and second.count("cache_miss") == 0
