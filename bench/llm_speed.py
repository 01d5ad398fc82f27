"""Speed of the configured language model: load time, prompt and generation tokens/s.

The prompt is realistic: about 1500 tokens of the bundled council transcript
(`samples/sitzung.txt`, repeated) with a German instruction to summarise it;
the answer is limited to 200 tokens. Uses `config.toml` and the environment
like the CLI does, e.g.

    python bench/llm_speed.py
    PROTOKOLL_LLM__THREADS=1 python bench/llm_speed.py
    PROTOKOLL_PROFILE=gpu python bench/llm_speed.py --runs 3
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SAMPLE_TXT, peak_rss_mb
from protokoll.config import load_settings
from protokoll.llm.base import LLM, ChatMessage
from protokoll.llm.factory import build_llm
from protokoll.pipeline.build import model_store

SYSTEM = (
    "Du bist Schriftführer eines Gemeinderats. Fasse den Verlauf der Sitzung sachlich "
    "in indirekter Rede zusammen: Tagesordnungspunkte, wesentliche Wortbeiträge, "
    "Beschlüsse mit Abstimmungsergebnis."
)


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def build_prompt(llm: LLM, target_tokens: int) -> str:
    """The sample transcript, repeated line by line until it holds about `target_tokens`."""
    lines = [ln for ln in SAMPLE_TXT.read_text(encoding="utf-8").splitlines() if ln.strip()]
    count = llm.count_tokens
    text: list[str] = []
    i = 0
    while count("\n".join(text)) < target_tokens:
        text.append(lines[i % len(lines)])
        i += 1
    return "\n".join(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt-tokens", type=int, default=1500)
    parser.add_argument("--max-tokens", type=int, default=200)
    parser.add_argument("--runs", type=int, default=1, help="generations (the first is reported)")
    args = parser.parse_args()

    os.chdir(ROOT)
    settings = load_settings(None)
    store = model_store(settings, ROOT)
    llm = build_llm(settings, store)
    if llm is None:
        sys.exit("llm.backend = none: kein Sprachmodell konfiguriert")

    print(
        f"# machine: {cpu_name()}, {len(os.sched_getaffinity(0))} cores available, "
        f"python {platform.python_version()}"
    )
    info = llm.info
    print(f"# backend {info.backend}, model {info.model}, device {info.device}")
    start = time.perf_counter()
    load = getattr(llm, "load", None)
    if callable(load):
        load()
    load_s = time.perf_counter() - start
    for key in ("llama_cpp_python", "threads", "n_gpu_layers", "dtype", "system_info"):
        if key in info.parameters:
            print(f"# {key}: {info.parameters[key]}")
    print(f"load:              {load_s:7.2f} s")

    transcript = build_prompt(llm, args.prompt_tokens)
    messages = [
        ChatMessage("system", SYSTEM),
        ChatMessage("user", f"Transkript der Sitzung:\n\n{transcript}\n\nZusammenfassung:"),
    ]
    for run in range(args.runs):
        if run:
            reset = getattr(getattr(llm, "_llama", None), "reset", None)
            if callable(reset):
                reset()  # llama.cpp would otherwise reuse the cached prompt
        result = llm.generate(messages, max_tokens=args.max_tokens, temperature=0.0)
        prompt_tps = result.prompt_tokens_per_second
        print(f"run {run + 1}:")
        print(f"  prompt tokens:   {result.prompt_tokens:7d}")
        if result.prompt_seconds is not None:
            print(f"  prompt time:     {result.prompt_seconds:7.2f} s")
            print(f"  prompt tokens/s: {prompt_tps or 0:7.1f}")
        print(f"  output tokens:   {result.completion_tokens:7d} ({result.finish_reason})")
        print(f"  total time:      {result.seconds:7.2f} s")
        print(f"  output tokens/s: {result.tokens_per_second:7.1f}")
    print(f"peak RSS:          {peak_rss_mb():7.0f} MB")
    print("--- first 300 characters of the answer ---")
    print(result.text[:300])


if __name__ == "__main__":
    main()
