"""A Qwen2 model with Qwen2.5-7B-Instruct's layout and random weights, as transformers loads it.

The production profile writes the minutes with `qwen2.5-7b-instruct` through the
transformers backend (`protokoll/llm/transformers_backend.py`). Its weights are not in
any package registry, so the backend is tested with a model in the same file layout
(the manifest's files: config, generation config, tokenizer, four safetensors shards
and their index) with random (seeded) weights:

* the tokenizer and chat template are the real Qwen2.5 ones, taken from the GGUF of
  the embedded model (`save_qwen_tokenizer`): same byte-pair vocabulary, the same 22
  special tokens, the same `<|im_start|>role ... <|im_end|>` template;
* `generation_config.json` is Qwen2.5-7B-Instruct's (sampling defaults, two end tokens),
  so the backend must override the sampling defaults to decode greedily;
* `arch="qwen2.5-7b"` has the exact architecture (7.6 B parameters, bfloat16), for a
  GPU machine; `arch="tiny"` keeps the vocabulary but is a few MB of layers, for tests.

Random weights never stop and never write JSON: they exercise generation and the
fallbacks on unreadable output. `train_fixed_answer` teaches a tiny model to continue
any chat prompt with one fixed answer (200 Adam steps, a second or two on a CPU), so
that JSON parsing is exercised through real `generate` output as well.

The directory is pinned like an operator's copy (`protokoll models pin qwen2.5-7b-instruct`
with `models.dir` pointing at its parent); the shards are not the hub's byte for byte
(the same tensors, split at other places), which the manifest does not require.

    python -m bench.production_models.llm OUT_DIR [--arch tiny|qwen2.5-7b] [--device cuda]
    python -m bench.production_models.llm OUT_DIR --answer 'Antwort: {"a":1}'
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EMBEDDED_GGUF = ROOT / "models" / "qwen2.5-coder-1.5b-instruct-q4km" / "model.gguf"
MODEL_ID = "qwen2.5-7b-instruct"
SHARDS = 4  # model-0000N-of-00004.safetensors, as the manifest lists them

# Qwen2.5's byte-pair vocabulary ends at 151642; the 22 special tokens follow it
QWEN25_BPE_TOKENS = 151643
QWEN25_TOKENS = 151665
QWEN25_DEFAULT_SYSTEM = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."
ENDOFTEXT_ID = 151643
IM_END_ID = 151645

# Qwen/Qwen2.5-7B-Instruct config.json (architecture fields)
QWEN25_7B: dict[str, Any] = {
    "vocab_size": 152064,
    "hidden_size": 3584,
    "intermediate_size": 18944,
    "num_hidden_layers": 28,
    "num_attention_heads": 28,
    "num_key_value_heads": 4,
    "max_position_embeddings": 32768,
    "rope_theta": 1_000_000.0,
    "rms_norm_eps": 1e-6,
    "tie_word_embeddings": False,
    "hidden_act": "silu",
    "use_sliding_window": False,
    "sliding_window": 131072,
    "max_window_layers": 28,
    "attention_dropout": 0.0,
    "initializer_range": 0.02,
    "bos_token_id": ENDOFTEXT_ID,
    "eos_token_id": IM_END_ID,
    "use_cache": True,
}
# the same vocabulary (input and output embeddings of 152064 x 64, 39 MB in bfloat16) and
# grouped-query attention; the layers are a few hundred KB
TINY: dict[str, Any] = {
    **QWEN25_7B,
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "max_window_layers": 2,
}
ARCHS = {"tiny": TINY, "qwen2.5-7b": QWEN25_7B}

# Qwen/Qwen2.5-7B-Instruct generation_config.json
GENERATION_CONFIG: dict[str, Any] = {
    "bos_token_id": ENDOFTEXT_ID,
    "pad_token_id": ENDOFTEXT_ID,
    "do_sample": True,
    "eos_token_id": [IM_END_ID, ENDOFTEXT_ID],
    "repetition_penalty": 1.05,
    "temperature": 0.7,
    "top_p": 0.8,
    "top_k": 20,
}
# Qwen/Qwen2.5-7B-Instruct tokenizer_config.json (besides the chat template)
_TOKENIZER_CONFIG: dict[str, Any] = {
    "bos_token": None,
    "eos_token": "<|im_end|>",
    "pad_token": "<|endoftext|>",
    "unk_token": None,
    "model_max_length": 131072,
    "errors": "replace",
    "split_special_tokens": False,
    "clean_up_tokenization_spaces": False,
    "add_prefix_space": False,
}


# ---- tokenizer ---------------------------------------------------------------------------


def renders_qwen25_chats(tokenizer: Any) -> bool:
    """Whether `tokenizer`'s chat template writes chats as Qwen2.5's does: ChatML
    (`<|im_start|>role\\n ... <|im_end|>\\n`), Qwen's own system message where the chat
    has none, and `<|im_start|>assistant\\n` to start the answer."""
    if not isinstance(getattr(tokenizer, "chat_template", None), str):
        return False
    chats = {
        f"<|im_start|>system\n{QWEN25_DEFAULT_SYSTEM}<|im_end|>\n"
        "<|im_start|>user\nFrage<|im_end|>\n<|im_start|>assistant\n": [
            {"role": "user", "content": "Frage"}
        ],
        "<|im_start|>system\nRegel<|im_end|>\n<|im_start|>user\nFrage<|im_end|>\n"
        "<|im_start|>assistant\nAntwort<|im_end|>\n<|im_start|>assistant\n": [
            {"role": "system", "content": "Regel"},
            {"role": "user", "content": "Frage"},
            {"role": "assistant", "content": "Antwort"},
        ],
    }
    return all(
        tokenizer.apply_chat_template(chat, add_generation_prompt=True, tokenize=False) == text
        for text, chat in chats.items()
    )


def save_qwen_tokenizer(gguf_path: Path, target: Path) -> Path:
    """The real Qwen2.5 tokenizer and chat template from a GGUF, saved as the hub ships them.

    transformers converts the GGUF's tokenizer; the result is then put into the hub's
    layout: `tokenizer.json` with the 151,643 byte-pair tokens and the 22 special tokens
    (the GGUF pads its vocabulary to the embedding size with "[PAD...]" entries, and
    lists the special tokens in the vocabulary too) and the NFC normalizer, and
    `tokenizer_config.json` holding the chat template (no `chat_template.jinja`).
    Returns `target`.
    """
    # lazy: transformers imports torch (seconds)
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(
        str(gguf_path.parent), gguf_file=gguf_path.name, local_files_only=True
    )
    if not renders_qwen25_chats(tokenizer):
        raise ValueError(f"{gguf_path}: no Qwen2.5 chat template in the GGUF metadata")
    template = tokenizer.chat_template
    target.mkdir(parents=True, exist_ok=True)
    tokenizer.save_pretrained(str(target), save_jinja_files=False)
    (target / "chat_template.jinja").unlink(missing_ok=True)

    tok_path = target / "tokenizer.json"
    data = json.loads(tok_path.read_text(encoding="utf-8"))
    vocab = data["model"]["vocab"]
    data["model"]["vocab"] = {k: v for k, v in vocab.items() if v < QWEN25_BPE_TOKENS}
    specials = [t for t in data["added_tokens"] if t["id"] >= QWEN25_BPE_TOKENS]
    if [t["id"] for t in specials] != list(range(QWEN25_BPE_TOKENS, QWEN25_TOKENS)):
        names = [t["content"] for t in specials]
        raise ValueError(f"{gguf_path}: unexpected special tokens {names}")
    data["added_tokens"] = specials
    data["normalizer"] = {"type": "NFC"}
    tok_path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    cfg_path = target / "tokenizer_config.json"
    config = json.loads(cfg_path.read_text(encoding="utf-8"))
    config.update(_TOKENIZER_CONFIG, chat_template=template)
    cfg_path.write_text(json.dumps(config, ensure_ascii=False, indent=2), encoding="utf-8")

    reloaded = AutoTokenizer.from_pretrained(str(target), local_files_only=True)
    if len(reloaded) != QWEN25_TOKENS or reloaded.eos_token_id != IM_END_ID:
        raise ValueError(f"{target}: tokenizer incomplete after saving")
    if not renders_qwen25_chats(reloaded):
        raise ValueError(f"{target}: chat template lost in saving")
    return target


# ---- model -------------------------------------------------------------------------------


def qwen2_config(arch: str = "tiny", dtype: str = "bfloat16") -> Any:
    # lazy: transformers imports torch (seconds)
    from transformers import Qwen2Config

    if arch not in ARCHS:
        raise ValueError(f"unknown arch {arch!r} (known: {', '.join(ARCHS)})")
    return Qwen2Config(**ARCHS[arch], architectures=["Qwen2ForCausalLM"], dtype=dtype)


def new_qwen2(
    arch: str = "tiny", *, seed: int = 0, dtype: str = "bfloat16", device: str = "cpu"
) -> Any:
    """A `Qwen2ForCausalLM` with random weights (normal, std 0.02), made on `device`.

    The weights are allocated once, on `device` and in `dtype` (the 7B model on a GPU
    never passes through host memory); `device="meta"` allocates nothing, to count
    parameters.
    """
    # lazy: torch and transformers take seconds to import
    import torch
    from transformers import AutoModelForCausalLM

    config = qwen2_config(arch, dtype)
    torch.manual_seed(seed)
    with torch.device(device):
        model = AutoModelForCausalLM.from_config(config, dtype=getattr(torch, dtype))
    model.generation_config = _generation_config()
    return model.eval()


def _generation_config() -> Any:
    # lazy: transformers imports torch (seconds)
    from transformers import GenerationConfig

    return GenerationConfig(**GENERATION_CONFIG)


def shard_size_for(model: Any, shards: int = SHARDS) -> int:
    """A `max_shard_size` (bytes) for which `save_pretrained` writes exactly `shards` files.

    save_pretrained fills shards in state-dict order and starts a new one when the next
    tensor would exceed the size (a tensor larger than it gets a file of its own), so the
    count falls as the size grows; the smallest size giving `shards` files is searched.
    For Qwen2.5-7B in bfloat16 this is about 3.9 GB (shards of 3.75 to 3.86 GB; the hub's
    own four shards split the same tensors at other places).
    """
    # what save_pretrained itself uses to split the weights
    from huggingface_hub import split_torch_state_dict_into_shards

    state = model.state_dict()

    def count(size: int) -> int:
        split = split_torch_state_dict_into_shards(state, max_shard_size=size)
        return len(split.filename_to_tensors)

    total = sum(t.numel() * t.element_size() for t in state.values())
    low, high = 1, total + 1
    while low < high:  # smallest size with count <= shards
        mid = (low + high) // 2
        if count(mid) <= shards:
            high = mid
        else:
            low = mid + 1
    if count(low) != shards:
        raise ValueError(f"no shard size gives exactly {shards} files for this model")
    return low


def save_qwen2(model: Any, target: Path, tokenizer_dir: Path, *, shards: int = SHARDS) -> Path:
    """Write `model` in the manifest's layout: config.json, generation_config.json,
    model-0000N-of-0000{shards}.safetensors with model.safetensors.index.json, and the
    tokenizer files from `tokenizer_dir`. Returns `target`."""
    target.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(target), max_shard_size=shard_size_for(model, shards))
    written = sorted(p.name for p in target.glob("model-*.safetensors"))
    wanted = [f"model-{i:05d}-of-{shards:05d}.safetensors" for i in range(1, shards + 1)]
    if written != wanted:
        raise ValueError(f"{target}: shards {written}, expected {wanted}")
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copyfile(tokenizer_dir / name, target / name)
    return target


def build_qwen2(
    target: Path,
    *,
    arch: str = "tiny",
    tokenizer_dir: Path,
    seed: int = 0,
    dtype: str = "bfloat16",
    device: str = "cpu",
) -> Path:
    """A random (seeded) Qwen2 model directory like `models/qwen2.5-7b-instruct/`."""
    model = new_qwen2(arch, seed=seed, dtype=dtype, device=device)
    return save_qwen2(model, target, tokenizer_dir)


def parameter_count(arch: str) -> int:
    """Parameters of `arch`, counted on the meta device (nothing allocated)."""
    model = new_qwen2(arch, device="meta")
    return sum(p.numel() for p in model.parameters())


# ---- a tiny model that answers one fixed text --------------------------------------------


def _assistant_start(tokenizer: Any) -> int:
    """The last token of every generation prompt: the newline of `<|im_start|>assistant\\n`."""
    chat = [{"role": "user", "content": "x"}]
    return int(
        tokenizer.apply_chat_template(chat, add_generation_prompt=True, return_dict=True)[
            "input_ids"
        ][-1]
    )


def answer_tokens(tokenizer: Any, answer: str) -> list[int]:
    """The token ids the model must write for `answer`: its tokens and `<|im_end|>`.

    Raises ValueError unless each token, and the prompt's last token, is followed by
    one token only (see `train_fixed_answer`); JSON repeats `":` and `]}`, so vary the
    spacing ("{\"nr\":1,\"saetze\":[...]}] }") until it holds.
    """
    ids = tokenizer(answer, add_special_tokens=False)["input_ids"] + [IM_END_ID]
    follows: dict[int, int] = {}
    for before, after in zip([_assistant_start(tokenizer), *ids], ids, strict=False):
        if follows.setdefault(before, after) != after:
            shown = tokenizer.convert_ids_to_tokens([before])[0]
            raise ValueError(f"token {shown!r} is followed by two different tokens in {answer!r}")
    return ids


def train_fixed_answer(
    model: Any,
    tokenizer: Any,
    answer: str,
    *,
    steps: int = 200,
    lr: float = 1e-2,
    seed: int = 0,
    negatives: int = 4096,
    min_ratio: float = 1.25,
) -> float:
    """Teach `model` to continue every chat prompt's `<|im_start|>assistant\\n` with `answer`
    and `<|im_end|>`; returns the smallest ratio of the right token's logit to the best
    other one over the answer.

    The attention output projections are set to zero: each position then sees only its
    own token, and the model is a bigram model that ignores the prompt, so the answer
    cannot depend on the prompt's length or content (any chat ends with the same
    newline token). `answer_tokens` checks that the answer can be written that way.
    The rest of the layers and the output rows of the answer's tokens are trained with
    Adam against `negatives` other output rows drawn afresh each step (sampled softmax:
    a step costs milliseconds despite the 152k vocabulary); the input embeddings stay
    random. Then the logits over the whole vocabulary are checked: the right token must
    lead by `min_ratio` (Qwen's generation config divides the logits of tokens already
    seen by its repetition penalty of 1.05, and the prompt may hold the answer's tokens).
    """
    # lazy: torch takes seconds to import
    import torch

    torch.manual_seed(seed)
    target = answer_tokens(tokenizer, answer)
    inputs = torch.tensor([[_assistant_start(tokenizer), *target[:-1]]])
    wanted = torch.tensor(sorted(set(target)))
    labels = torch.searchsorted(wanted, torch.tensor(target))
    dtype = model.dtype
    model.float().train()
    model.requires_grad_(False)
    for layer in model.model.layers:
        layer.self_attn.o_proj.weight.zero_()
    body = [
        p
        for name, p in model.model.named_parameters()
        if not name.startswith("embed_") and not name.endswith("o_proj.weight")
    ]
    head = model.get_output_embeddings().weight
    rows = torch.nn.Parameter(head[wanted].clone())
    optimizer = torch.optim.Adam([*body, rows], lr=lr)
    for parameter in body:
        parameter.requires_grad_(True)
    for _step in range(steps):
        hidden = model.model(input_ids=inputs).last_hidden_state[0]
        drawn = torch.randint(0, model.config.vocab_size, (negatives,))
        others = head[drawn[~torch.isin(drawn, wanted)]]
        logits = torch.cat([hidden @ rows.T, hidden @ others.T], dim=-1)
        loss = torch.nn.functional.cross_entropy(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.requires_grad_(True)
    with torch.no_grad():
        head[wanted] = rows
        model.to(dtype).eval()
        logits = model(input_ids=inputs).logits[0].float()
    right = logits[range(len(target)), target]
    logits[range(len(target)), target] = float("-inf")
    best_other = logits.max(dim=-1).values
    ratio = float((right / best_other.clamp(min=1e-3)).min())
    if not bool((right > 0).all()) or ratio < min_ratio:
        raise ValueError(f"model does not answer {answer!r} reliably (ratio {ratio:.2f})")
    return ratio


def build_answering_qwen2(
    target: Path, answer: str, *, tokenizer_dir: Path, seed: int = 0, steps: int = 200
) -> Path:
    """A tiny Qwen2 model directory (bfloat16, manifest layout) whose greedy answer to any
    chat is `answer` (see `train_fixed_answer`)."""
    # lazy: transformers imports torch (seconds)
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir), local_files_only=True)
    model = new_qwen2("tiny", seed=seed)
    train_fixed_answer(model, tokenizer, answer, steps=steps, seed=seed)
    return save_qwen2(model, target, tokenizer_dir)


# ---- command line ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("out", type=Path, help="model directory to write (models/<id>/)")
    parser.add_argument("--arch", choices=sorted(ARCHS), default="tiny")
    parser.add_argument("--device", default="cpu", help="where the weights are made (cuda)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--gguf", type=Path, default=EMBEDDED_GGUF, help="tokenizer source")
    parser.add_argument("--answer", help="a tiny model trained to answer every chat with this")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tokenizer_dir = save_qwen_tokenizer(args.gguf, Path(tmp) / "tokenizer")
        if args.answer is not None:
            build_answering_qwen2(
                args.out, args.answer, tokenizer_dir=tokenizer_dir, seed=args.seed
            )
        else:
            build_qwen2(
                args.out, arch=args.arch, tokenizer_dir=tokenizer_dir, seed=args.seed,
                device=args.device,
            )  # fmt: skip
    print(f"{args.out}: {', '.join(sorted(p.name for p in args.out.iterdir()))}")


if __name__ == "__main__":
    main()
