"""The real models on real audio: the bundled sample and FLEURS German speech.

These tests load faster-whisper, segmentation-3.0 and CAM++ from `models/`
(installed by `protokoll models install`) and take about two minutes on two
CPU cores. They are marked `slow`; CI runs them.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from protokoll.config import load_settings
from protokoll.documents.rttm import read_rttm
from protokoll.domain.agenda import load_agenda
from protokoll.domain.transcript import SpeakerTurn
from protokoll.pipeline.runner import RunResult, run
from protokoll.scoring import diarization_error_rate, word_error_rate
from tests.support.models import require_models
from tests.support.shared_data import shared_data

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
FLEURS = shared_data("fleurs-de", "PROTOKOLL_FLEURS_DIR")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    require_models()
    out = tmp_path_factory.mktemp("sample-out")
    settings = load_settings(ROOT / "config.toml", {})
    agenda = load_agenda(SAMPLES / "agenda.toml")
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        return run(SAMPLES / "sitzung.ogg", out, settings, agenda=agenda)
    finally:
        os.chdir(cwd)


def _reference() -> list[SpeakerTurn]:
    return read_rttm(SAMPLES / "sitzung.rttm")


def _label_mapping(ref: list[SpeakerTurn], hyp: list[SpeakerTurn]) -> dict[str, str]:
    """hypothesis label -> reference label by the largest overlap."""
    overlap: Counter[tuple[str, str]] = Counter()
    for r in ref:
        for h in hyp:
            ov = min(r.end_s, h.end_s) - max(r.start_s, h.start_s)
            if ov > 0:
                overlap[(h.speaker, r.speaker)] += ov
    mapping: dict[str, str] = {}
    for (h, r), _ in overlap.most_common():
        if h not in mapping and r not in mapping.values():
            mapping[h] = r
    return mapping


def test_all_outputs_written(sample_run: RunResult) -> None:
    for name in ("transcript.json", "diarization.rttm", "transcript.vtt", "transcript.docx"):
        path = sample_run.outputs[name]
        assert path.is_file() and path.stat().st_size > 0, name
    data = json.loads(sample_run.outputs["transcript.json"].read_text(encoding="utf-8"))
    assert data["language"] == "de"
    assert len(data["audio"]["sha256"]) == 64
    assert data["audio"]["duration_s"] == pytest.approx(220.17, abs=0.1)
    seg = data["segments"][0]
    assert {"start_s", "end_s", "speaker", "text", "words"} <= set(seg)
    assert {"start_s", "end_s", "probability"} <= set(seg["words"][0])
    assert {m["stage"] for m in data["models"]} == {"transcription", "diarization"}
    assert all(len(m["sha256"]) == 64 for m in data["models"])
    assert sample_run.outputs["transcript.vtt"].read_text(encoding="utf-8").startswith("WEBVTT")


def test_speaker_count_and_der(sample_run: RunResult) -> None:
    hyp = sample_run.transcript.turns
    assert len({t.speaker for t in hyp}) == 5
    der = diarization_error_rate(_reference(), hyp, collar_s=0.25)
    print(f"DER sample (collar 0.25 s): {der:.4f}")
    assert der < 0.10


def test_every_reference_turn_gets_its_own_speaker(sample_run: RunResult) -> None:
    ref = _reference()
    hyp = sample_run.transcript.turns
    mapping = _label_mapping(ref, hyp)
    assert len(mapping) == 5
    for turn in ref:
        share: Counter[str] = Counter()
        for h in hyp:
            ov = min(turn.end_s, h.end_s) - max(turn.start_s, h.start_s)
            if ov > 0:
                share[mapping.get(h.speaker, "?")] += ov
        assert share.most_common(1)[0][0] == turn.speaker, turn


def test_words_carry_the_right_speaker(sample_run: RunResult) -> None:
    ref = _reference()
    hyp_to_ref = _label_mapping(ref, sample_run.transcript.turns)
    right = total = 0
    for seg in sample_run.transcript.segments:
        for word in seg.words:
            mid = (word.start_s + word.end_s) / 2
            truth = next((r.speaker for r in ref if r.start_s - 0.3 <= mid <= r.end_s + 0.3), None)
            if truth is None:
                continue
            total += 1
            right += hyp_to_ref.get(word.speaker or "", "?") == truth
    print(f"words with the right speaker: {right}/{total}")
    assert total > 300
    assert right / total >= 0.97


def test_sample_wer(sample_run: RunResult) -> None:
    hyp = " ".join(s.text for s in sample_run.transcript.segments)
    result = word_error_rate((SAMPLES / "sitzung.txt").read_text(encoding="utf-8"), hyp)
    print(f"WER sample: {result.wer:.3f}")
    assert result.wer < 0.25


def test_fleurs_real_speech_wer(tmp_path: Path) -> None:
    clips = sorted(FLEURS.glob("*.ogg"))[:3]
    if not clips:
        pytest.skip(f"FLEURS clips not found in {FLEURS} (set PROTOKOLL_FLEURS_DIR)")
    require_models()
    from protokoll.audio.intake import decode, read_wav
    from protokoll.pipeline.build import build_transcriber, model_store

    settings = load_settings(ROOT / "config.toml", {})
    transcriber = build_transcriber(settings, model_store(settings, ROOT))
    refs, hyps = [], []
    for clip in clips:
        audio = read_wav(decode(clip, tmp_path / clip.stem).wav_path)
        result = transcriber.transcribe(audio)
        assert result.language == "de"
        refs.append(clip.with_suffix(".txt").read_text(encoding="utf-8"))
        hyps.append(" ".join(s.text for s in result.segments))
    wer = word_error_rate(" ".join(refs), " ".join(hyps)).wer
    print(f"WER FLEURS ({len(clips)} clips): {wer:.3f}")
    assert wer < 0.35


def test_transcript_survives_diarization_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clips = sorted(FLEURS.glob("*.ogg"))[:1]
    recording = clips[0] if clips else SAMPLES / "sitzung.ogg"
    require_models()
    from protokoll.speakers.diarize import PyannoteDiarizer

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulierter Absturz")

    monkeypatch.setattr(PyannoteDiarizer, "diarize", broken)
    monkeypatch.chdir(ROOT)
    result = run(recording, tmp_path / "out", load_settings(ROOT / "config.toml", {}))
    t = result.transcript
    assert t.segments and all(s.speaker == "SPEAKER_00" for s in t.segments)
    assert any("Sprechererkennung ist fehlgeschlagen" in w for w in t.warnings)
    assert (tmp_path / "out" / "transcript.docx").is_file()


@pytest.mark.gpu
def test_cuda_transcription_float16(tmp_path: Path) -> None:
    from protokoll.devices import cuda_available

    if not cuda_available():
        pytest.skip("no CUDA GPU on this machine")
    require_models()
    from protokoll.audio.intake import decode, read_wav
    from protokoll.pipeline.build import build_transcriber, model_store

    settings = load_settings(ROOT / "config.toml", {"PROTOKOLL_TRANSCRIPTION__DEVICE": "cuda"})
    transcriber = build_transcriber(settings, model_store(settings, ROOT))
    audio = read_wav(decode(SAMPLES / "sitzung.ogg", tmp_path).wav_path)
    result = transcriber.transcribe(audio)
    assert result.model is not None and result.model.device == "cuda"
    assert result.model.parameters["compute_type"] == "float16"
    hyp = " ".join(s.text for s in result.segments)
    assert word_error_rate((SAMPLES / "sitzung.txt").read_text(encoding="utf-8"), hyp).wer < 0.25


def test_no_text_over_silence_noise_and_applause(tmp_path: Path) -> None:
    """Speech, 25 s of room noise and applause-like bursts, speech: nothing is invented between."""
    clips = sorted(FLEURS.glob("*.ogg"))[:2]
    if len(clips) < 2:
        pytest.skip(f"FLEURS clips not found in {FLEURS} (set PROTOKOLL_FLEURS_DIR)")
    require_models()
    import wave

    import numpy as np

    from protokoll.asr.hallucination import is_subtitle_credit
    from protokoll.audio.intake import decode, read_wav
    from protokoll.pipeline.build import build_transcriber, model_store

    rng = np.random.default_rng(7)
    first = read_wav(decode(clips[0], tmp_path / "a").wav_path)
    second = read_wav(decode(clips[1], tmp_path / "b").wav_path)
    quiet = rng.normal(0, 10 ** (-55 / 20), 16000 * 15).astype(np.float32)
    applause = rng.normal(0, 1, 16000 * 10).astype(np.float32)
    envelope = np.abs(np.sin(np.linspace(0, 40 * np.pi, applause.size))) ** 4
    applause *= (0.05 * envelope).astype(np.float32)
    gap_start = first.size / 16000
    gap_end = gap_start + (quiet.size + applause.size) / 16000
    audio = np.concatenate([first, quiet, applause, second])
    path = tmp_path / "mixed.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((np.clip(audio, -1, 1) * 32767).astype(np.int16).tobytes())

    settings = load_settings(ROOT / "config.toml", {})
    transcriber = build_transcriber(settings, model_store(settings, ROOT))
    result = transcriber.transcribe(read_wav(decode(path, tmp_path / "m").wav_path))
    assert result.segments
    for seg in result.segments:
        assert not is_subtitle_credit(seg.text), seg.text
        for word in seg.words:
            inside = gap_start + 1.0 < word.start_s and word.end_s < gap_end - 1.0
            assert not inside, f"text over noise at {word.start_s:.1f} s: {word.text!r}"


def test_minutes_match_reference_with_real_llm(sample_run: RunResult) -> None:
    """Boundaries, results and vote counts of minutes.json, written with the embedded LLM."""
    from tests.support.minutes_reference import BOUNDARIES, BOUNDARY_TOLERANCE_S, EXPECTED

    data = json.loads(sample_run.outputs["minutes.json"].read_text(encoding="utf-8"))
    assert [i["number"] for i in data["items"]] == ["1", "2", "3", "4"]
    for item in data["items"]:
        number = item["number"]
        assert item["start_s"] == pytest.approx(BOUNDARIES[number], abs=BOUNDARY_TOLERANCE_S)
        result, counts = EXPECTED[number]
        assert item["result"] == result, number
        votes = item["votes"]
        assert (votes["yes"], votes["no"], votes["abstain"], votes["biased"]) == counts, number
    assert [i["public"] for i in data["items"]] == [True, True, True, False]
    llm_models = [m for m in data["models"] if m["stage"] == "minutes"]
    assert llm_models and len(llm_models[0]["sha256"]) == 64
    debated = data["items"][1]
    assert debated["summary"], "the LLM wrote no course of debate for TOP 2"
    for sentence in debated["summary"]:
        assert sentence["text"].strip()
        if not sentence["flags"]:
            assert sentence["sources"], sentence
            for source in sentence["sources"]:
                assert debated["start_s"] <= source["start_s"] <= debated["end_s"]
    public = json.loads(sample_run.outputs["minutes.oeffentlich.json"].read_text(encoding="utf-8"))
    assert [i["number"] for i in public["items"]] == ["1", "2", "3"]
    assert sample_run.outputs["niederschrift.docx"].stat().st_size > 0
    assert sample_run.outputs["niederschrift.oeffentlich.docx"].stat().st_size > 0
