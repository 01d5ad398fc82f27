"""A Whisper model with large-v3-turbo's architecture and random weights, as CTranslate2.

The production profile transcribes with `whisper-large-v3-turbo` (CTranslate2,
float16). Its weights are not in any package registry, so the code paths that
differ from the embedded Whisper base are tested with a model of the same
architecture and random (seeded) weights:

* 128 mel bins (base has 80): the feature extractor must follow
  `preprocessor_config.json`, and the batched pipeline pads with 128-row features;
* 32 encoder and 4 decoder layers of width 1280, 20 heads, 100 languages
  (vocabulary 51,866: "<|yue|>" is new, and every special token after it moves by one).

The model is made with transformers (`WhisperForConditionalGeneration`) and converted
with CTranslate2's own converter, as an operator's conversion would be. The
tokenizer is the embedded base tokenizer rearranged into the large-v3 layout (the
byte-pair vocabulary is the same; "<|yue|>" inserted, "<|nocaptions|>" renamed
"<|nospeech|>"). `arch="tiny"` keeps the vocabulary and the 128 mel bins but is
a few MB, for dry runs.

Random weights decode random tokens: callers cap the tokens per window
(`transcription.max_new_tokens`) so a run costs what real speech would.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

# token ids of the large-v3 vocabulary
YUE_ID = 50358  # the 100th language; base's ids from here on move up by one
VOCAB_SIZE = 51866
NUM_MEL_BINS = 128

# openai/whisper-large-v3-turbo config.json (architecture only)
TURBO: dict[str, Any] = {
    "d_model": 1280,
    "encoder_layers": 32,
    "encoder_attention_heads": 20,
    "encoder_ffn_dim": 5120,
    "decoder_layers": 4,
    "decoder_attention_heads": 20,
    "decoder_ffn_dim": 5120,
}
TINY: dict[str, Any] = {
    "d_model": 64,
    "encoder_layers": 2,
    "encoder_attention_heads": 4,
    "encoder_ffn_dim": 128,
    "decoder_layers": 2,
    "decoder_attention_heads": 4,
    "decoder_ffn_dim": 128,
}
ARCHS = {"large-v3-turbo": TURBO, "tiny": TINY}
# large-v3-turbo's generation_config alignment heads (decoder layer, head)
TURBO_ALIGNMENT_HEADS = [[2, 4], [2, 11], [3, 3], [3, 6], [3, 11], [3, 14]]

# what the manifest's whisper-large-v3-turbo entry lists
FILES = (
    "model.bin",
    "config.json",
    "tokenizer.json",
    "vocabulary.json",
    "preprocessor_config.json",
)

PREPROCESSOR = {
    "chunk_length": 30,
    "feature_extractor_type": "WhisperFeatureExtractor",
    "feature_size": NUM_MEL_BINS,
    "hop_length": 160,
    "n_fft": 400,
    "n_samples": 480000,
    "nb_max_frames": 3000,
    "padding_side": "right",
    "padding_value": 0.0,
    "processor_class": "WhisperProcessor",
    "return_attention_mask": False,
    "sampling_rate": 16000,
}


def _shift(token_id: int) -> int:
    return token_id + 1 if token_id >= YUE_ID else token_id


def v3_tokenizer(base_tokenizer_json: Path) -> dict[str, Any]:
    """The base tokenizer (99 languages) rearranged into the large-v3 layout (100)."""
    data = json.loads(base_tokenizer_json.read_text(encoding="utf-8"))
    added = []
    for token in data["added_tokens"]:
        token = dict(token, id=_shift(int(token["id"])))
        if token["content"] == "<|nocaptions|>":
            token["content"] = "<|nospeech|>"
        added.append(token)
    template = dict(added[0], id=YUE_ID, content="<|yue|>")
    added.append(template)
    data["added_tokens"] = sorted(added, key=lambda t: t["id"])
    for special in data["post_processor"]["special_tokens"].values():
        special["ids"] = [_shift(i) for i in special["ids"]]
    return data


def _base_config(base_dir: Path) -> dict[str, Any]:
    return json.loads((base_dir / "config.json").read_text(encoding="utf-8"))


def build_whisper(
    target: Path, *, base_dir: Path, arch: str = "large-v3-turbo", seed: int = 0
) -> Path:
    """Write a CTranslate2 model directory with the files the manifest lists; returns it.

    `base_dir` is the embedded whisper-base directory (its tokenizer and suppress lists).
    """
    # lazy: transformers and torch take seconds to import; only this builder needs them
    import ctranslate2.converters
    import torch
    from transformers import (
        GenerationConfig,
        WhisperConfig,
        WhisperForConditionalGeneration,
        WhisperTokenizerFast,
    )

    sizes = ARCHS[arch]
    base = _base_config(base_dir)
    tokenizer_data = v3_tokenizer(base_dir / "tokenizer.json")
    lang_ids = [_shift(i) for i in base["lang_ids"]] + [YUE_ID]
    suppress = sorted({_shift(i) for i in base["suppress_ids"]})
    alignment = TURBO_ALIGNMENT_HEADS if arch == "large-v3-turbo" else [[1, 0], [1, 1]]
    config = WhisperConfig(
        vocab_size=VOCAB_SIZE,
        num_mel_bins=NUM_MEL_BINS,
        max_source_positions=1500,
        max_target_positions=448,
        pad_token_id=50257,
        bos_token_id=50257,
        eos_token_id=50257,
        decoder_start_token_id=50258,
        begin_suppress_tokens=[220, 50257],
        suppress_tokens=suppress,
        **sizes,
    )
    torch.manual_seed(seed)
    model = WhisperForConditionalGeneration(config).eval()
    # random init gives every layer the same scale; the output is noise either way
    languages = {tokenizer_data["added_tokens"][i - 50257]["content"]: i for i in lang_ids}
    model.generation_config = GenerationConfig(
        decoder_start_token_id=50258,
        eos_token_id=50257,
        pad_token_id=50257,
        suppress_tokens=suppress,
        begin_suppress_tokens=[220, 50257],
        alignment_heads=alignment,
        lang_to_id=languages,
        no_timestamps_token_id=50364,
        is_multilingual=True,
    )
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="whisper-hf-", dir=target.parent) as tmp:
        hf_dir = Path(tmp)
        model.half().save_pretrained(hf_dir)
        del model
        (hf_dir / "tokenizer.json").write_text(json.dumps(tokenizer_data), encoding="utf-8")
        tokenizer = WhisperTokenizerFast(tokenizer_file=str(hf_dir / "tokenizer.json"))
        tokenizer.save_pretrained(hf_dir)
        (hf_dir / "tokenizer.json").write_text(json.dumps(tokenizer_data), encoding="utf-8")
        (hf_dir / "preprocessor_config.json").write_text(
            json.dumps(PREPROCESSOR, indent=2), encoding="utf-8"
        )
        converter = ctranslate2.converters.TransformersConverter(
            str(hf_dir),
            copy_files=["tokenizer.json", "preprocessor_config.json"],
            load_as_float16=True,
        )
        out = target.with_name(target.name + ".ct2")
        shutil.rmtree(out, ignore_errors=True)
        converter.convert(str(out), quantization="float16")
    for name in FILES:
        shutil.move(str(out / name), str(target / name))
    shutil.rmtree(out, ignore_errors=True)
    return target
