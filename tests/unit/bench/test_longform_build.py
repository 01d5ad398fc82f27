"""The long-recording generator (bench/longform.py): references, audio levels and cache."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from bench.longform import LongRecording, build_long_recording
from protokoll.documents.rttm import read_rttm

ROOT = Path(__file__).resolve().parents[3]
SR = 16_000
MINUTES = 4.0
EVENT_EVERY_S = (30.0, 60.0)  # several events even in a short recording
SPEAKERS = {"berger", "keller", "wolff", "roth", "hartmann"}


def _decode(path: Path) -> npt.NDArray[np.float64]:
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path),
         "-f", "s16le", "-ar", str(SR), "-ac", "1", "-"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768


def _db(x: npt.NDArray[np.float64]) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(x))) + 1e-12))


def _cut(audio: npt.NDArray[np.float64], start_s: float, end_s: float) -> npt.NDArray[np.float64]:
    return audio[round(start_s * SR) : round(end_s * SR)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> LongRecording:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    dest = tmp_path_factory.mktemp("longform")
    return build_long_recording(MINUTES, dest, seed=7, event_every_s=EVENT_EVERY_S)


@pytest.fixture(scope="module")
def audio(built: LongRecording) -> npt.NDArray[np.float64]:
    return _decode(built.audio)


def _events(rec: LongRecording) -> list[tuple[str, float, float, float]]:
    """(kind, start_s, end_s, level_dbfs) of each inserted event."""
    events = json.loads(rec.events.read_text(encoding="utf-8"))
    return [(e["kind"], e["start_s"], e["end_s"], e["level_dbfs"]) for e in events]


def test_files_and_duration(built: LongRecording, audio: npt.NDArray[np.float64]) -> None:
    for path in (built.audio, built.rttm, built.text, built.events):
        assert path.is_file() and path.stat().st_size > 0
    assert built.audio.suffix == ".ogg"
    assert abs(len(audio) / SR - built.duration_s) < 0.1
    assert abs(built.duration_s - MINUTES * 60) < 20
    assert 0.5 * built.duration_s < built.speech_s < built.duration_s


def test_reference_turns(built: LongRecording) -> None:
    turns = read_rttm(built.rttm, uri=built.audio.stem)
    assert len(turns) > 10
    for turn in turns:
        assert 0 <= turn.start_s < turn.end_s <= built.duration_s
    for a, b in itertools.pairwise(turns):
        assert a.end_s < b.start_s  # sorted, not overlapping, a pause between
    assert {t.speaker for t in turns} == SPEAKERS
    assert built.speakers == len(SPEAKERS)
    assert abs(sum(t.duration_s for t in turns) - built.speech_s) < 0.001 * len(turns)

    lines = built.text.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(turns)
    # every line is a sample turn's text, spoken by the speaker the RTTM names
    sample = json.loads((ROOT / "samples" / "sitzung.reference.json").read_text("utf-8"))
    speaker_of = {t["text"].strip(): t["speaker"] for t in sample["turns"]}
    assert [speaker_of[line] for line in lines] == [t.speaker for t in turns]
    # not simply the sample looped: the order differs from the sample's
    assert lines[: len(sample["turns"])] != [t["text"].strip() for t in sample["turns"]]


def test_events(built: LongRecording) -> None:
    events = _events(built)
    kinds = {kind for kind, *_ in events}
    assert kinds <= {"silence", "applause", "music"}
    assert len(kinds) >= 2
    turns = read_rttm(built.rttm)
    previous_end = 0.0
    for _, start, end, _ in events:
        assert previous_end <= start < end <= built.duration_s
        previous_end = end
        for turn in turns:  # RTTM times are rounded to milliseconds
            assert turn.end_s <= start + 0.001 or turn.start_s >= end - 0.001


def test_levels(built: LongRecording, audio: npt.NDArray[np.float64]) -> None:
    events = _events(built)
    turns = read_rttm(built.rttm)
    # room noise: the pauses between turns (away from the turn edges) and silence events
    pauses = [
        _db(_cut(audio, a.end_s + 0.1, b.start_s - 0.1))
        for a, b in itertools.pairwise(turns)
        if 0.5 < b.start_s - a.end_s < 2.1  # a pause, not a gap around an event
    ]
    silences = [_db(_cut(audio, s, e)) for kind, s, e, _ in events if kind == "silence"]
    noise = max(pauses + silences)
    assert noise < -45
    loud = [e for e in events if e[0] in ("applause", "music")]
    assert loud
    for _, start, end, target in loud:
        level = _db(_cut(audio, start, end))
        assert level > noise + 20
        assert abs(level - target) < 2.5
    for turn in turns:
        assert _db(_cut(audio, turn.start_s, turn.end_s)) > noise + 15


def test_cached(built: LongRecording) -> None:
    mtimes = {p: p.stat().st_mtime_ns for p in (built.audio, built.rttm, built.text, built.events)}
    again = build_long_recording(MINUTES, built.audio.parent, seed=7, event_every_s=EVENT_EVERY_S)
    assert again == built
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


def test_other_seed_differs_and_memory(built: LongRecording, tmp_path: Path) -> None:
    """A second build through the command line: another seed gives another order, and
    building stays small in memory (peak RSS of the whole process)."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "longform.py"), "--minutes", "2", "--seed", "8",
         "--out", str(tmp_path), "--event-every", "30", "60"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    manifest = json.loads(proc.stdout)
    assert manifest["seed"] == 8
    assert manifest["peak_rss_mb"] < 200
    other = Path(manifest["text"]).read_text(encoding="utf-8").splitlines()
    ours = built.text.read_text(encoding="utf-8").splitlines()
    assert other != ours[: len(other)]
    assert [t.speaker for t in read_rttm(manifest["rttm"])] != [
        t.speaker for t in read_rttm(built.rttm)
    ][: len(other)]
