"""The production profile, measured: transcription, diarization and minutes on one GPU.

The GPU profile (`PROTOKOLL_PROFILE=gpu`) runs large-v3-turbo in float16 (batched),
pyannote's community-1 pipeline and Qwen2.5-7B-Instruct through transformers. A
measuring machine has no network and cannot receive those weights, so this script
builds the same architectures with random weights on the machine itself
(`bench/production_models/`), pins them in a models folder with the real manifest,
and runs the project's own stages on a generated session:

* transcription and diarization on the bundled sample looped to `--minutes`;
* the minutes stage on the sample's real transcript stretched to the same length
  (every item's passage repeated, as `bench/minutes_speed.py` does): text decoded
  by random weights would not reach the agenda items.

Random weights never stop on their own, so decoding is pinned to realistic lengths:
Whisper to the tokens per 30-s window of the sample's reference transcript, the LLM to
the mean tokens per call that the embedded model generated on the minutes benchmark.

Reported per stage: seconds, real-time factor, peak GPU memory, and whether it ran
on the GPU; plus the time a 3-hour session would take (design goal: <= 2 minutes).

    python bench/gpu_check.py run [--minutes 60] [--out DIR]    # on the GPU machine
    python bench/gpu_check.py run --dry-run                      # CPU, tiny models (CI)
    python bench/gpu_check.py prepare                            # here: data to carry

`bench/gpu_check.sh` is the one command for the GPU machine (installs the carried
wheels first).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SAMPLE, SAMPLE_AGENDA, SAMPLE_TXT, sample_duration_s

MANIFEST = ROOT / "models" / "manifest.toml"
SAMPLE_RATE = 16000
# the carried inputs (prepare writes them; the GPU machine has no ffmpeg or embedded models)
CARRY_DIR = ROOT / ".gpucheck"
# mean tokens the embedded 1.5B model generated per minutes call on the minutes benchmark
# (sessions s1-s3: 8,823 tokens in 51 calls; docs/minutes.md)
LLM_TOKENS_PER_CALL = 173
GOAL_3H_S = 120.0


# ---- inputs ---------------------------------------------------------------------------


def inputs_dir(work: Path) -> Path:
    """Where the builders' inputs are: the carried folder (its gzipped files unpacked into
    `work`), else the installed models."""
    if not (CARRY_DIR / "sample16k.wav").exists():
        return ROOT / "models"
    import gzip

    target = work / "inputs"
    for path in CARRY_DIR.rglob("*"):
        if path.is_file():
            rel = path.relative_to(CARRY_DIR)
            out = target / (rel.with_suffix("") if path.suffix == ".gz" else rel)
            out.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".gz":
                with gzip.open(path, "rb") as src, out.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
            else:
                shutil.copy2(path, out)
    return target


def sample_audio(work: Path) -> np.ndarray:
    """The bundled sample as 16 kHz mono float32."""
    carried = CARRY_DIR / "sample16k.wav"
    if carried.exists():
        with wave.open(str(carried), "rb") as f:
            data = np.frombuffer(f.readframes(f.getnframes()), dtype=np.int16)
        return data.astype(np.float32) / 32768.0
    # lazy: the decoder needs ffmpeg, which only this branch uses
    from protokoll.audio.intake import decode, read_wav

    return read_wav(decode(SAMPLE, work).wav_path)


def looped(audio: np.ndarray, minutes: float) -> np.ndarray:
    """The sample repeated (or cut) to `minutes`."""
    samples = round(minutes * 60 * SAMPLE_RATE)
    return np.tile(audio, -(-samples // len(audio)))[:samples]


def whisper_tokens_per_window(tokenizer_json: Path, audio_s: float) -> int:
    """Tokens per 30 s in the whole sample's reference transcript (Whisper's tokenizer)."""
    # lazy: tokenizers is only needed to measure this
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_json))
    text = SAMPLE_TXT.read_text(encoding="utf-8")
    tokens = len(tokenizer.encode(text, add_special_tokens=False).ids)
    return max(8, round(tokens / audio_s * 30) + 4)  # + the timestamp and end tokens


# ---- GPU memory -----------------------------------------------------------------------


class GpuMemory:
    """Peak device memory used while a stage runs, polled from NVML (every allocator:
    CTranslate2's and torch's), with torch's own peak as a second figure."""

    def __init__(self, interval_s: float = 0.2) -> None:
        self.interval_s = interval_s
        self._handle: Any = None
        try:
            import pynvml

            pynvml.nvmlInit()
            self._nvml = pynvml
            self._handle = pynvml.nvmlDeviceGetHandleByIndex(0)
        except Exception:  # no NVML (CPU machine, or the module is missing)
            self._nvml = None

    def used_mib(self) -> float | None:
        if self._handle is None:
            return None
        return float(self._nvml.nvmlDeviceGetMemoryInfo(self._handle).used) / 2**20

    @contextmanager
    def watch(self, into: dict[str, Any]) -> Iterator[None]:
        import torch

        cuda = torch.cuda.is_available()
        if cuda:
            torch.cuda.reset_peak_memory_stats()
        peak = [self.used_mib() or 0.0]
        stop = threading.Event()

        def poll() -> None:
            while not stop.wait(self.interval_s):
                peak[0] = max(peak[0], self.used_mib() or 0.0)

        thread = threading.Thread(target=poll, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()
            into["gpu_peak_used_mib"] = round(peak[0]) if self._handle is not None else None
            into["torch_peak_allocated_mib"] = (
                round(torch.cuda.max_memory_allocated() / 2**20) if cuda else None
            )


# ---- the LLM with pinned lengths ------------------------------------------------------


class PinnedLLM:
    """Passes calls through with `max_tokens` capped: random weights never emit the end
    token, so every call would otherwise run to its limit. Sums tokens and seconds."""

    def __init__(self, inner: Any, tokens_per_call: int) -> None:
        self.inner = inner
        self.info = inner.info
        self.cap = tokens_per_call
        self.calls = self.prompt_tokens = self.completion_tokens = 0
        self.seconds = 0.0

    def generate(self, messages: list[Any], **kwargs: Any) -> Any:
        kwargs["max_tokens"] = min(int(kwargs.get("max_tokens", self.cap)), self.cap)
        generation = self.inner.generate(messages, **kwargs)
        self.calls += 1
        self.prompt_tokens += generation.prompt_tokens
        self.completion_tokens += generation.completion_tokens
        self.seconds += generation.seconds
        return generation

    def count_tokens(self, text: str) -> int:
        return int(self.inner.count_tokens(text))


# ---- the run --------------------------------------------------------------------------


@dataclass
class Plan:
    dry_run: bool
    minutes: float
    work: Path
    device: str
    whisper_arch: str
    llm_arch: str
    embedding: str
    # the minutes stage runs on this much transcript (its time per hour is extrapolated):
    # transformers generates one call after the other, and a whole hour would not fit
    # the 8 minutes a measuring lease allows
    llm_minutes: float = 20.0
    stages: list[str] = field(default_factory=lambda: ["transcription", "diarization", "minutes"])


def build_models(plan: Plan, report: dict[str, Any]) -> Path:
    """Random-weight production architectures, pinned with the real manifest."""
    from bench.production_models.diarization import MODEL_ID as DIA_ID
    from bench.production_models.diarization import build_pipeline_dir
    from bench.production_models.llm import MODEL_ID as LLM_ID
    from bench.production_models.llm import build_qwen2, save_qwen_tokenizer
    from bench.production_models.whisper import build_whisper
    from protokoll.modelstore import ModelStore

    src = inputs_dir(plan.work)
    models = plan.work / "models"
    models.mkdir(parents=True, exist_ok=True)
    store = ModelStore(models, MANIFEST)
    timings: dict[str, float] = {}

    started = time.perf_counter()
    build_whisper(models / "whisper-large-v3-turbo", base_dir=src / "whisper-base",
                  arch=plan.whisper_arch)  # fmt: skip
    store.pin("whisper-large-v3-turbo")
    timings["whisper"] = time.perf_counter() - started

    started = time.perf_counter()
    build_pipeline_dir(models / DIA_ID, segmentation_dir=src / "pyannote-segmentation-3.0",
                       embedding=plan.embedding)  # fmt: skip
    store.pin(DIA_ID)
    timings["diarization"] = time.perf_counter() - started

    started = time.perf_counter()
    tokenizer = src / "qwen-tokenizer"
    if not (tokenizer / "tokenizer.json").exists():
        tokenizer = save_qwen_tokenizer(
            ROOT / "models" / "qwen2.5-coder-1.5b-instruct-q4km" / "model.gguf",
            plan.work / "qwen-tokenizer",
        )
    build_qwen2(models / LLM_ID, arch=plan.llm_arch, tokenizer_dir=tokenizer,
                device="cuda" if plan.device == "cuda" else "cpu")  # fmt: skip
    store.pin(LLM_ID)
    timings["llm"] = time.perf_counter() - started
    report["build_s"] = {k: round(v, 1) for k, v in timings.items()}
    return models


def settings_for(plan: Plan, models: Path, whisper_tokens: int) -> Any:
    from protokoll.config import load_settings

    env = {
        "PROTOKOLL_PROFILE": "gpu",
        "PROTOKOLL_MODELS__DIR": str(models),
        "PROTOKOLL_MODELS__MANIFEST": str(MANIFEST),
        "PROTOKOLL_TRANSCRIPTION__MAX_NEW_TOKENS": str(whisper_tokens),
    }
    if plan.device == "cpu":
        env |= {
            "PROTOKOLL_TRANSCRIPTION__DEVICE": "cpu",
            "PROTOKOLL_TRANSCRIPTION__COMPUTE_TYPE": "int8",
            "PROTOKOLL_TRANSCRIPTION__BATCH_SIZE": "4",
            "PROTOKOLL_DIARIZATION__DEVICE": "cpu",
            "PROTOKOLL_DIARIZATION__SEGMENTATION_BATCH_SIZE": "8",
            "PROTOKOLL_DIARIZATION__EMBEDDING_BATCH_SIZE": "8",
            "PROTOKOLL_LLM__DEVICE": "cpu",
        }
    return load_settings(ROOT / "config.toml", env)


def _torch_device(module: Any) -> str | None:
    try:
        return str(next(module.parameters()).device.type)
    except (AttributeError, StopIteration, TypeError):
        return None


def run_stage(
    name: str, report: dict[str, Any], memory: GpuMemory, audio_s: float, fn: Callable[[], Any]
) -> Any:
    entry: dict[str, Any] = {}
    report["stages"][name] = entry
    started = time.perf_counter()
    try:
        with memory.watch(entry):
            result = fn()
    except Exception as exc:  # one stage failing must not hide the others' figures
        entry["error"] = f"{type(exc).__name__}: {exc}"
        print(f"[{name}] FAILED: {entry['error']}", flush=True)
        return None
    entry["seconds"] = round(time.perf_counter() - started, 2)
    entry["rtf"] = round(entry["seconds"] / audio_s, 5)
    print(f"[{name}] {entry['seconds']} s, RTF {entry['rtf']}", flush=True)
    return result


def run(plan: Plan) -> dict[str, Any]:
    import torch

    from bench.minutes_speed import TRANSCRIPT, long_transcript
    from protokoll.audio.source import AudioSource
    from protokoll.domain.agenda import load_agenda
    from protokoll.domain.transcript import Transcript
    from protokoll.minutes.draft import MinutesDrafter
    from protokoll.modelstore import ModelStore
    from protokoll.pipeline.build import build_diarizer, build_llm, build_transcriber

    report: dict[str, Any] = {"plan": {k: str(v) for k, v in plan.__dict__.items()}}
    report["machine"] = machine()
    report["stages"] = {}
    plan.work.mkdir(parents=True, exist_ok=True)
    models = build_models(plan, report)
    store = ModelStore(models, MANIFEST)
    one = sample_audio(plan.work)
    audio = looped(one, plan.minutes)
    audio_s = len(audio) / SAMPLE_RATE
    report["audio_s"] = round(audio_s, 1)
    whisper_tokens = whisper_tokens_per_window(
        models / "whisper-large-v3-turbo" / "tokenizer.json", sample_duration_s()
    )
    report["pinned"] = {"whisper_tokens_per_window": whisper_tokens,
                        "llm_tokens_per_call": LLM_TOKENS_PER_CALL}  # fmt: skip
    settings = settings_for(plan, models, whisper_tokens)
    memory = GpuMemory()
    want_gpu = plan.device == "cuda"

    # transcription: CTranslate2, float16 and batched on the GPU
    transcriber: Any = build_transcriber(settings, store)
    result = run_stage(
        "transcription", report, memory, audio_s,
        lambda: transcriber.transcribe(AudioSource.from_array(audio)),
    )  # fmt: skip
    entry = report["stages"]["transcription"]
    entry["device"] = transcriber.device
    entry["compute_type"] = transcriber.compute_type
    entry["batch_size"] = settings.transcription.batch_size
    if transcriber.loaded:
        entry["mel_bins"] = int(transcriber._loaded.model.model.n_mels)
    if result is not None:
        entry["segments"] = len(result.segments) + len(result.dropped)
    transcriber.unload()

    # diarization: the pretrained pipeline (segmentation, ResNet34 embeddings, VBx)
    diarizer: Any = build_diarizer(settings, store)
    result = run_stage("diarization", report, memory, audio_s,
                       lambda: diarizer.diarize(AudioSource.from_array(audio)))  # fmt: skip
    entry = report["stages"]["diarization"]
    pipeline = getattr(diarizer, "_pipeline", None)
    entry["device"] = _torch_device(getattr(pipeline, "_segmentation", None) and
                                    pipeline._segmentation.model) or diarizer.device  # fmt: skip
    if result is not None:
        entry["speakers"] = result.num_speakers
    diarizer._pipeline = pipeline = None  # frees the GPU memory before the LLM loads
    if torch.cuda.is_available():
        torch.cuda.empty_cache()

    # minutes: the transformers backend on the stretched real transcript
    base = Transcript.from_dict(json.loads(TRANSCRIPT.read_text(encoding="utf-8")))
    transcript = long_transcript(base, min(audio_s, plan.llm_minutes * 60) / 3600)
    entry = report["stages"].setdefault("minutes", {})
    started = time.perf_counter()
    llm: Any = build_llm(settings, store)
    llm.load()
    load_s = time.perf_counter() - started
    pinned = PinnedLLM(llm, LLM_TOKENS_PER_CALL)
    drafter = MinutesDrafter(load_agenda(SAMPLE_AGENDA), settings.minutes, pinned,
                             settings.llm.max_output_tokens)  # fmt: skip
    minutes = run_stage("minutes", report, memory, transcript.audio.duration_s,
                        lambda: drafter.draft(transcript))  # fmt: skip
    entry = report["stages"]["minutes"]
    entry["load_s"] = round(load_s, 1)
    entry["device"] = _torch_device(llm._model) or llm.device
    entry["transcript_s"] = round(transcript.audio.duration_s, 1)
    entry.update(calls=pinned.calls, prompt_tokens=pinned.prompt_tokens,
                 completion_tokens=pinned.completion_tokens,
                 llm_seconds=round(pinned.seconds, 1))  # fmt: skip
    if pinned.seconds > 0:
        entry["generated_tokens_per_s"] = round(pinned.completion_tokens / pinned.seconds, 1)
    if minutes is not None:
        entry["items"] = len(minutes.items)
    llm.close()

    stages = report["stages"]
    report["fell_back_to_cpu"] = {
        name: (want_gpu and stages[name].get("device") != "cuda") for name in stages
    }
    report["failed"] = sorted(n for n in stages if "error" in stages[n])
    if not report["failed"]:
        # every stage scales with the recording's length
        per_hour = sum(stages[n]["seconds"] / stages[n].get("transcript_s", audio_s) * 3600
                       for n in stages)  # fmt: skip
        report["three_hour_session_s"] = round(3 * per_hour, 1)
        report["goal_3h_s"] = GOAL_3H_S
        report["meets_goal"] = report["three_hour_session_s"] <= GOAL_3H_S
    return report


def machine() -> dict[str, Any]:
    import torch

    info: dict[str, Any] = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "torch": torch.__version__,
        "cuda": torch.cuda.is_available(),
    }
    if torch.cuda.is_available():
        info["gpu"] = torch.cuda.get_device_name(0)
    try:
        import ctranslate2

        info["ctranslate2"] = ctranslate2.__version__
        info["ctranslate2_cuda_devices"] = ctranslate2.get_cuda_device_count()
    except ImportError:
        info["ctranslate2"] = None
    return info


# ---- prepare (here) -------------------------------------------------------------------


def prepare(target: Path = CARRY_DIR, sample_s: float = 60.0) -> dict[str, Any]:
    """Write what the GPU machine lacks and the builders need: a minute of the sample as
    16 kHz WAV (looped there), the Whisper base tokenizer and config, segmentation-3.0
    and the Qwen2.5 tokenizer; text files gzipped."""
    import gzip

    from bench.production_models.llm import save_qwen_tokenizer

    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        audio = sample_audio(Path(tmp))[: round(sample_s * SAMPLE_RATE)]
        pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
        with wave.open(str(target / "sample16k.wav"), "wb") as f:
            f.setnchannels(1)
            f.setsampwidth(2)
            f.setframerate(SAMPLE_RATE)
            f.writeframes(pcm.tobytes())
        tokenizer = save_qwen_tokenizer(
            ROOT / "models" / "qwen2.5-coder-1.5b-instruct-q4km" / "model.gguf",
            Path(tmp) / "qwen-tokenizer",
        )
        sources = {
            "whisper-base": [ROOT / "models" / "whisper-base" / n
                             for n in ("tokenizer.json", "config.json")],
            "pyannote-segmentation-3.0": [ROOT / "models" / "pyannote-segmentation-3.0" / n
                                          for n in ("pytorch_model.bin", "config.yaml")],
            "qwen-tokenizer": sorted(p for p in tokenizer.iterdir() if p.is_file()),
        }  # fmt: skip
        for folder, files in sources.items():
            (target / folder).mkdir()
            for path in files:
                if path.suffix == ".json":
                    with (
                        path.open("rb") as src,
                        gzip.open(
                            target / folder / (path.name + ".gz"), "wb", compresslevel=9
                        ) as dst,
                    ):
                        shutil.copyfileobj(src, dst)
                else:
                    shutil.copy2(path, target / folder / path.name)
    sizes = {str(p.relative_to(target)): p.stat().st_size for p in target.rglob("*") if p.is_file()}
    return {"files": sizes, "total_mib": round(sum(sizes.values()) / 2**20, 1)}


# documentation the GPU machine never reads; move it out of the checkout for the call
# (`mv docs/screenshots /tmp/`, then back): files absent from the checkout do not travel
SET_ASIDE = ("docs/screenshots/",)


def tracked_mib() -> float:
    """The working tree that travels with every call (tracked files present in the checkout,
    without those in SET_ASIDE)."""
    import subprocess

    names = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")  # fmt: skip
    kept = [n for n in names if n and not n.startswith(SET_ASIDE) and (ROOT / n).is_file()]
    return sum((ROOT / n).stat().st_size for n in kept) / 2**20


DEVICE_PACKAGES = Path(__file__).with_name("gpu_check_device_packages.txt")
WHEEL_DIR = ROOT / ".whl"
CARRY_LIMIT_MIB = 64
# not carried: imported but never used by the check
SKIPPED_WHEELS = {
    "av": "faster-whisper imports it to decode files; the check passes arrays (_stub_av)",
    "torchcodec": "pyannote.audio decodes with it; the check passes in-memory audio",
    "redis": "an optional import of optuna (pyannote.pipeline's tuner)",
    "hiredis": "an optional import of redis",
    "cryptography": "an optional import of redis",
}
# the run's imports: everything the three stages and the builders load
RUN_IMPORTS = (
    "faster_whisper", "ctranslate2", "pyannote.audio", "pyannote.audio.pipelines",
    "pyannote.audio.models.embedding", "pyannote.audio.models.segmentation",
    "transformers", "protokoll.pipeline.build", "protokoll.minutes.draft",
    "protokoll.llm.transformers_backend", "protokoll.speakers.diarize",
    "bench.production_models.whisper", "bench.production_models.diarization",
    "bench.production_models.llm", "bench.minutes_speed",
)  # fmt: skip


def _canonical(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def needed_distributions() -> dict[str, str]:
    """Distributions (name -> version) the run imports that the GPU machine lacks."""
    import importlib
    import importlib.metadata as md

    for module in RUN_IMPORTS:
        importlib.import_module(module)
    owners = md.packages_distributions()
    present = {
        _canonical(line.strip())
        for line in DEVICE_PACKAGES.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    needed: dict[str, str] = {}
    for module in list(sys.modules):
        top = module.split(".")[0]
        for dist in owners.get(top, []):
            name = _canonical(dist)
            if name in present or name in SKIPPED_WHEELS or name.startswith("nvidia-"):
                continue
            if name == "protokoll":
                continue
            needed[name] = md.version(dist)
    return dict(sorted(needed.items()))


def download_wheels(needed: dict[str, str], dest: Path = WHEEL_DIR) -> dict[str, Any]:
    """Wheels for Python 3.12 on x86-64 Linux."""
    import subprocess

    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    platforms = ["manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_17_x86_64",
                 "manylinux2014_x86_64", "manylinux1_x86_64"]  # fmt: skip
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
           "--python-version", "3.12", "--implementation", "cp", "-d", str(dest)]  # fmt: skip
    for platform_tag in platforms:
        cmd += ["--platform", platform_tag]
    subprocess.run([*cmd, *(f"{n}=={v}" for n, v in needed.items())], check=True)
    sizes = {p.name: p.stat().st_size for p in dest.glob("*.whl")}
    return {"wheels": sizes, "skipped": SKIPPED_WHEELS,
            "total_mib": round(sum(sizes.values()) / 2**20, 1)}  # fmt: skip


def _stub_av() -> None:
    """faster-whisper imports PyAV at import time, only to decode files. The check hands
    it arrays, and PyAV's wheel (35 MB) does not fit the 64 MiB a GPU machine receives."""
    import importlib.util
    import types

    if importlib.util.find_spec("av") is None:
        sys.modules["av"] = types.ModuleType("av")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run", help="build the models and measure the three stages")
    run_p.add_argument("--dry-run", action="store_true",
                       help="CPU, tiny models, one minute: checks the script (CI)")  # fmt: skip
    run_p.add_argument("--minutes", type=float, default=None, help="session length (60)")
    run_p.add_argument("--llm-minutes", type=float, default=20.0,
                       help="transcript length for the minutes stage (20)")  # fmt: skip
    run_p.add_argument("--work", type=Path, default=None, help="folder for the built models")
    run_p.add_argument("--out", type=Path, default=None, help="write the report here (JSON)")
    sub.add_parser("prepare", help="write the inputs the GPU machine lacks to .gpucheck/")
    args = parser.parse_args()
    if args.command == "prepare":
        report = prepare()
        report["carry"] = download_wheels(needed_distributions())
        report["tracked_mib"] = round(tracked_mib(), 1)
        total = report["total_mib"] + report["carry"]["total_mib"] + report["tracked_mib"]
        print(json.dumps(report, indent=2))
        print(
            f"zu übertragen: {total:.1f} MiB (Grenze {CARRY_LIMIT_MIB} MiB), wenn "
            f"{', '.join(SET_ASIDE)} für den Aufruf aus dem Checkout genommen wird"
        )
        if total > CARRY_LIMIT_MIB:
            raise SystemExit(1)
        return
    _stub_av()
    import torch

    device = "cpu" if args.dry_run or not torch.cuda.is_available() else "cuda"
    with tempfile.TemporaryDirectory(prefix="gpu-check-") as tmp:
        plan = Plan(
            dry_run=args.dry_run,
            minutes=args.minutes if args.minutes is not None else (1.0 if args.dry_run else 60.0),
            work=args.work or Path(tmp),
            device=device,
            whisper_arch="tiny" if args.dry_run else "large-v3-turbo",
            llm_arch="tiny" if args.dry_run else "qwen2.5-7b",
            embedding="wespeaker-resnet34",
            llm_minutes=args.llm_minutes,
        )
        if device == "cpu" and not args.dry_run:
            print("Keine CUDA-GPU gefunden: es läuft auf der CPU (langsam).", flush=True)
        report = run(plan)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    if report["failed"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
