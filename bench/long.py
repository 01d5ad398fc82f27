"""Long-session benchmark: 1 h, 3 h and 5 h recordings through the pipeline, one command.

    python bench/long.py                          # 1 h and 5 h on CPU, reference on 1 h
    python bench/long.py --hours 1 3 5 --reference-hours 1 3
    python bench/long.py --hours --minutes 20 --reference-minutes 20   # a quick run
    python bench/long.py --hours 3 --device cuda  # on a GPU server

Each recording is built by `bench/longform.py` from the bundled sample (speaker
turns in a new order, gain changes, pauses, and silence, applause and music
inserted every few minutes) and cached in `--cache`. Each run happens in a
fresh process, so its peak memory (VmHWM) is its own. Per recording it prints:

* real-time factor per stage (intake, transcription, diarization, assignment,
  transcript files) and for transcription + diarization together,
* peak RSS after each stage and overall,
* speakers found against the true number, DER (collar 0.25 s), WER,
* what the hallucination guard dropped, and the checks on the output: repetition
  loops left, phantom or sound-description lines left, and words placed inside
  an inserted silence, applause or music event (1 s away from its edges).

The reference is plain faster-whisper as a new user would call it on the same
file: same model and compute type, `model.transcribe(path, language="de")`
with its defaults (sequential, beam 5, condition_on_previous_text, temperature
fallback, no VAD). The LLM minutes stage is not part of this benchmark
(`bench/minutes_speed.py` measures it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    ROOT,
    SAMPLE_AGENDA,
    peak_rss_mb,
    progress_peaks,
    settings_for_device,
    stage_peaks,
)
from bench.longform import LongRecording, build_long_recording, load_long_recording
from protokoll.asr.hallucination import (
    find_loop,
    is_sound_description,
    is_subtitle_credit,
    normalize,
)
from protokoll.config import load_settings
from protokoll.devices import resolve_compute_type, resolve_device
from protokoll.documents.rttm import read_rttm
from protokoll.domain.agenda import load_agenda
from protokoll.domain.transcript import Segment
from protokoll.pipeline.build import model_store
from protokoll.pipeline.runner import transcribe_recording, write_transcript_documents
from protokoll.scoring import diarization_error_rate, word_error_rate

WER_WINDOW_S = 300.0  # WER is summed over windows: an alignment of five hours at once is slow
EVENT_EDGE_S = 1.0


def windowed_wer(
    ref_turns: Sequence[Any], ref_texts: Sequence[str], hyp: Sequence[tuple[float, str]]
) -> float:
    """WER summed over fixed time windows (reference turns and words by their midpoint)."""

    windows: dict[int, tuple[list[str], list[str]]] = {}
    for turn, text in zip(ref_turns, ref_texts, strict=True):
        key = int((turn.start_s + turn.end_s) / 2 // WER_WINDOW_S)
        windows.setdefault(key, ([], []))[0].append(text)
    for mid, word in hyp:
        windows.setdefault(int(mid // WER_WINDOW_S), ([], []))[1].append(word)
    errors = words = 0
    for ref, hyp_words in windows.values():
        result = word_error_rate(" ".join(ref), " ".join(hyp_words))
        errors += result.errors
        words += result.reference_words
    return errors / max(1, words)


def timed_words(segments: Sequence[Any]) -> list[tuple[float, str]]:
    """(midpoint, word) for every word; without word times, at its segment's midpoint."""
    out: list[tuple[float, str]] = []
    for s in segments:
        if s.words:
            out.extend(((w.start_s + w.end_s) / 2, w.text) for w in s.words)
        else:
            out.extend(((s.start_s + s.end_s) / 2, word) for word in s.text.split())
    return out


def output_checks(segments: Sequence[Any], events: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Loops, phantom lines and words inside non-speech events left in the final output."""

    words = timed_words(segments)
    tokens = [normalize(text) for _, text in words]
    loops = 0
    pos = 0
    # scan the whole transcript, across segment and speaker boundaries, in pieces
    while pos < len(tokens):
        found = find_loop(tokens[pos : pos + 400])
        if found is None:
            pos += 350
            continue
        loops += 1
        start, n, count = found
        pos += start + n * count
    phantoms = sum(
        1 for s in segments if is_subtitle_credit(s.text) or is_sound_description(s.text)
    )
    spans = [(e["start_s"] + EVENT_EDGE_S, e["end_s"] - EVENT_EDGE_S) for e in events]
    inside = sum(1 for mid, _ in words if any(a <= mid <= b for a, b in spans))
    return {"loops_left": loops, "phantom_lines_left": phantoms, "words_in_events": inside}


def run_pipeline(recording: LongRecording, device: str) -> dict[str, Any]:
    """intake -> transcription -> diarization -> assignment -> transcript files, in this process."""

    settings = settings_for_device(device)
    agenda = load_agenda(SAMPLE_AGENDA)
    peaks, stage_hook = stage_peaks()
    series, series_hook = progress_peaks()

    def hook(stage: str, completed: float, total: float) -> None:
        stage_hook(stage, completed, total)
        series_hook(stage, completed, total)

    timings: dict[str, float] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="protokoll-bench-") as work:
        transcript = transcribe_recording(
            recording.audio, settings, agenda=agenda, work_dir=Path(work), hook=hook,
            stage_seconds=timings,
        )  # fmt: skip
        out_started = time.monotonic()
        write_transcript_documents(transcript, Path(work) / "out", settings, agenda)
        timings["output"] = time.monotonic() - out_started
        peaks["output"] = peak_rss_mb()
    wall = time.monotonic() - started
    duration = transcript.audio.duration_s
    ref_turns = read_rttm(recording.rttm)
    ref_texts = recording.text.read_text(encoding="utf-8").splitlines()
    hyp = timed_words(transcript.segments)
    events = json.loads(recording.events.read_text(encoding="utf-8"))
    reasons: dict[str, int] = {}
    for d in transcript.dropped:
        key = d.reason.split(" (")[0]
        reasons[key] = reasons.get(key, 0) + 1
    rtf = {k: round(v / duration, 4) for k, v in timings.items()}
    return {
        "audio_s": round(duration, 1),
        "speech_s": round(recording.speech_s, 1),
        "wall_s": round(wall, 1),
        "rtf": rtf,
        "rtf_asr_diarization": round(
            (timings.get("transcription", 0) + timings.get("diarization", 0)) / duration, 4
        ),
        "peak_rss_mb_after_stage": {k: round(v) for k, v in peaks.items()},
        "peak_rss_mb_by_tenth": {
            k: v for k, v in series.items() if k in ("transcription", "diarization")
        },
        "peak_rss_mb": round(peak_rss_mb()),
        "speakers_true": recording.speakers,
        "speakers_found": len({t.speaker for t in transcript.turns}),
        "der": round(diarization_error_rate(ref_turns, transcript.turns), 4),
        "wer": round(windowed_wer(ref_turns, ref_texts, hyp), 4),
        "dropped": len(transcript.dropped),
        "dropped_by_reason": reasons,
        **output_checks(transcript.segments, events),
        "warnings": transcript.warnings,
    }


def run_reference(recording: LongRecording, device: str) -> dict[str, Any]:
    """Plain faster-whisper, sequential, its defaults, on the same file."""
    from faster_whisper import WhisperModel

    settings = load_settings(None)
    model_ref = model_store(settings).resolve(settings.transcription.model)
    dev = resolve_device(device)
    model = WhisperModel(
        str(model_ref.path), device=dev, compute_type=resolve_compute_type("auto", dev),
        local_files_only=True,
    )  # fmt: skip
    started = time.monotonic()
    segments_iter, info = model.transcribe(str(recording.audio), language="de")
    segments = [Segment(s.start, s.end, s.text.strip()) for s in segments_iter]
    wall = time.monotonic() - started
    ref_turns = read_rttm(recording.rttm)
    ref_texts = recording.text.read_text(encoding="utf-8").splitlines()
    # no word timestamps by default: each segment's words take the segment's midpoint
    hyp = timed_words(segments)
    events = json.loads(recording.events.read_text(encoding="utf-8"))
    checks = output_checks(segments, events)
    return {
        "audio_s": round(info.duration, 1),
        "wall_s": round(wall, 1),
        "rtf_transcription": round(wall / info.duration, 4),
        "peak_rss_mb": round(peak_rss_mb()),
        "wer": round(windowed_wer(ref_turns, ref_texts, hyp), 4),
        **checks,
    }


def _child(kind: str, manifest: Path, device: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", kind, str(manifest), "--device", device]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"failed": proc.stderr[-3000:]}
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _row(name: str, f: dict[str, Any]) -> str:
    if "failed" in f:
        return f"| {name} | failed | | | | | | | |"
    r = f["rtf"]
    return (
        f"| {name} | {r.get('transcription', 0):.3f} | {r.get('diarization', 0):.3f} | "
        f"{f['rtf_asr_diarization']:.3f} | {f['peak_rss_mb'] / 1024:.2f} GB | "
        f"{f['speakers_found']} / {f['speakers_true']} | {f['der']:.3f} | {f['wer']:.3f} | "
        f"{f['dropped']} | {f['loops_left']} / {f['phantom_lines_left']} / "
        f"{f['words_in_events']} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hours", type=float, nargs="*", default=None)
    parser.add_argument("--minutes", type=float, nargs="*", default=None)
    parser.add_argument("--reference-hours", type=float, nargs="*", default=[1.0])
    parser.add_argument("--reference-minutes", type=float, nargs="*", default=[])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", type=Path, default=ROOT / "out" / "bench-long")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "MANIFEST"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, manifest = args.child
        recording = load_long_recording(Path(manifest))
        figures = (run_pipeline if kind == "pipeline" else run_reference)(recording, args.device)
        print(json.dumps(figures, ensure_ascii=False))
        return

    minutes = [h * 60 for h in (args.hours if args.hours is not None else [1.0, 5.0])]
    minutes += args.minutes or []
    reference = {h * 60 for h in args.reference_hours} | set(args.reference_minutes)
    machine = (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"python {platform.python_version()}, device {args.device}"
    )
    print(f"# machine: {machine}", flush=True)
    results: dict[str, Any] = {"machine": machine, "runs": {}}
    rows = []
    for m in minutes:
        recording = build_long_recording(m, args.cache, seed=args.seed)
        manifest = recording.audio.with_suffix(".manifest.json")
        name = f"{m / 60:g} h" if m >= 60 else f"{m:g} min"
        figures = _child("pipeline", manifest, args.device)
        results["runs"][name] = {"pipeline": figures}
        print(f"## {name}: protokoll\n{json.dumps(figures, indent=1, ensure_ascii=False)}",
              flush=True)  # fmt: skip
        rows.append(_row(name, figures))
        if m in reference:
            ref = _child("reference", manifest, args.device)
            results["runs"][name]["reference"] = ref
            print(f"## {name}: plain faster-whisper\n{json.dumps(ref, indent=1)}", flush=True)
    args.cache.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (args.cache / f"results-{stamp}.json").write_text(json.dumps(results, indent=1))
    print(
        "\n| recording | transcription RTF | diarization RTF | both | peak RSS | speakers "
        "found / true | DER | WER | dropped | loops / phantom lines / words in events |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    for name, run in results["runs"].items():
        ref = run.get("reference")
        if ref and "failed" not in ref:
            print(f"| {name}, plain faster-whisper (sequential) | {ref['rtf_transcription']:.3f} "
                  f"| – | – | {ref['peak_rss_mb'] / 1024:.2f} GB | – | – | {ref['wer']:.3f} | – | "
                  f"{ref['loops_left']} / {ref['phantom_lines_left']} / "
                  f"{ref['words_in_events']} |")  # fmt: skip


if __name__ == "__main__":
    main()
