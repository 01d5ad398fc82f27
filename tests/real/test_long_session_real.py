"""A 20-minute generated session through the real models, block-wise (CI-sized #6 check).

The recording (bench/longform.py) lays out the sample's five speakers in a new
order with silence, applause and music inserted. Blocks of 5 minutes make the
transcription and the diarization cross three block boundaries. Asserted: the
speaker count is the true one, every true speaker keeps the same label from the
first block to the last, DER stays low, and the output has no repetition loop,
no phantom line and no text inside the inserted non-speech events.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from bench.long import output_checks, timed_words, windowed_wer
from bench.longform import LongRecording, build_long_recording
from protokoll.config import load_settings
from protokoll.documents.rttm import read_rttm
from protokoll.domain.agenda import load_agenda
from protokoll.domain.transcript import SpeakerTurn, Transcript
from protokoll.pipeline.runner import transcribe_recording
from protokoll.scoring import diarization_error_rate

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> tuple[LongRecording, Transcript]:
    for model_id in ("whisper-base", "pyannote-segmentation-3.0", "campplus-zh-en-common"):
        if not (ROOT / "models" / model_id / "installed.json").exists():
            pytest.fail(f"model {model_id} missing: run `protokoll models install` first")
    recording = build_long_recording(20, tmp_path_factory.mktemp("long"))
    env = {
        "PROTOKOLL_TRANSCRIPTION__BLOCK_MINUTES": "5",
        "PROTOKOLL_DIARIZATION__BLOCK_MINUTES": "5",
    }
    settings = load_settings(ROOT / "config.toml", env)
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        transcript = transcribe_recording(
            recording.audio,
            settings,
            agenda=load_agenda(ROOT / "samples" / "agenda.toml"),
            work_dir=tmp_path_factory.mktemp("work"),
        )
    finally:
        os.chdir(cwd)
    return recording, transcript


def _label_of_each_true_speaker(
    reference: list[SpeakerTurn], found: list[SpeakerTurn], start: float, end: float
) -> dict[str, str]:
    """For each true speaker, the found label that covers most of its speech in [start, end)."""
    overlap: dict[str, Counter[str]] = {}
    for r in reference:
        if not start <= r.start_s < end:
            continue
        for f in found:
            shared = min(r.end_s, f.end_s) - max(r.start_s, f.start_s)
            if shared > 0:
                overlap.setdefault(r.speaker, Counter())[f.speaker] += shared
    return {spk: counts.most_common(1)[0][0] for spk, counts in overlap.items()}


def test_speaker_count_is_the_true_one(session: tuple[LongRecording, Transcript]) -> None:
    recording, transcript = session
    assert len({t.speaker for t in transcript.turns}) == recording.speakers == 5


def test_every_speaker_keeps_one_label_from_start_to_end(
    session: tuple[LongRecording, Transcript],
) -> None:
    recording, transcript = session
    reference = read_rttm(recording.rttm)
    first = _label_of_each_true_speaker(reference, transcript.turns, 0, 300)
    last = _label_of_each_true_speaker(reference, transcript.turns, 900, 1300)
    assert len(first) == len(last) == 5
    assert first == last
    assert len(set(first.values())) == 5  # and no two true speakers share a label


def test_diarization_error_stays_low(session: tuple[LongRecording, Transcript]) -> None:
    recording, transcript = session
    assert diarization_error_rate(read_rttm(recording.rttm), transcript.turns) < 0.05


def test_no_loops_phantoms_or_text_over_noise(session: tuple[LongRecording, Transcript]) -> None:
    recording, transcript = session
    events = json.loads(recording.events.read_text(encoding="utf-8"))
    assert {e["kind"] for e in events} == {"silence", "applause", "music"}
    checks = output_checks(transcript.segments, events)
    assert checks == {"loops_left": 0, "phantom_lines_left": 0, "words_in_events": 0}


def test_the_transcript_runs_to_the_end_in_order(
    session: tuple[LongRecording, Transcript],
) -> None:
    recording, transcript = session
    starts = [s.start_s for s in transcript.segments]
    assert starts == sorted(starts)
    assert transcript.segments[-1].end_s > recording.duration_s - 15
    reference = read_rttm(recording.rttm)
    texts = recording.text.read_text(encoding="utf-8").splitlines()
    words = timed_words(transcript.segments)
    # the sample's synthetic voices give 0.20-0.22 WER in one piece; block cuts must not add
    assert windowed_wer(reference, texts, words) < 0.26
