"""`protokoll batch` with the real models, the issue's acceptance case: a folder with two
good recordings (short clips of the sample, one with the sample agenda beside it) and one
corrupt file ends with two finished, one failed with a German reason and exit code 1; a
second run redoes nothing (the outputs keep their modification times) and fails the corrupt
one again.

The real CLI runs as a subprocess from the repository root (config.toml, models/).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.models import require_models

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"

pytestmark = pytest.mark.slow


def _clip(target: Path, start_s: float, seconds: float) -> None:
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", str(start_s), "-t", str(seconds),
         "-i", str(SAMPLES / "sitzung.ogg"), *(["-c:a", "libopus"] if target.suffix == ".ogg"
         else ["-ac", "1"]), str(target)],
        check=True, capture_output=True,
    )  # fmt: skip


def _batch(folder: Path, out: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROTOKOLL_")}
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "protokoll", "batch", str(folder), "--out", str(out), "--quiet"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    return done, time.monotonic() - began


def test_two_good_recordings_and_a_corrupt_one(tmp_path: Path) -> None:
    require_models()
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg ist nicht installiert")
    folder, out = tmp_path / "aufnahmen", tmp_path / "out"
    folder.mkdir()
    _clip(folder / "sitzung-2026-11-19.ogg", 0.0, 25.0)
    shutil.copy(SAMPLES / "agenda.toml", folder / "sitzung-2026-11-19.agenda.toml")
    _clip(folder / "zweiter-teil.wav", 30.0, 20.0)
    (folder / "defekt.wav").write_bytes(random.Random(7).randbytes(40_000))

    first, first_s = _batch(folder, out)

    report = f"stdout:\n{first.stdout}\nstderr:\n{first.stderr}"
    assert first.returncode == 1, report
    assert "fehlgeschlagen:" in first.stdout, report
    summary = json.loads((out / "batch-zusammenfassung.json").read_text(encoding="utf-8"))
    status = {r["recording"]: r for r in summary["recordings"]}
    assert {k: v["status"] for k, v in status.items()} == {
        "defekt.wav": "failed", "sitzung-2026-11-19.ogg": "finished",
        "zweiter-teil.wav": "finished",
    }, report  # fmt: skip
    reason = status["defekt.wav"]["reason"]
    assert "defekt.wav" in reason and any(w in reason for w in ("Datei", "Aufnahme")), reason
    assert f"fehlgeschlagen: {reason}" in first.stdout
    for name in ("sitzung-2026-11-19", "zweiter-teil"):
        for doc in ("transcript.json", "transcript.docx", "transcript.vtt", "diarization.rttm"):
            assert (out / name / doc).stat().st_size > 0, (name, doc)
    assert (out / "sitzung-2026-11-19" / "niederschrift.docx").is_file(), report
    assert not (out / "zweiter-teil" / "niederschrift.docx").exists()
    assert status["sitzung-2026-11-19.ogg"]["duration_s"] == pytest.approx(25.0, abs=0.5)
    outputs = {
        p: p.stat().st_mtime_ns
        for p in out.rglob("*")
        if p.is_file() and p.parent.name != "defekt" and p.parent != out
    }

    second, second_s = _batch(folder, out)

    report = f"stdout:\n{second.stdout}\nstderr:\n{second.stderr}"
    assert second.returncode == 1, report
    assert second.stdout.count("übersprungen (schon fertig)") == 2, report
    summary = json.loads((out / "batch-zusammenfassung.json").read_text(encoding="utf-8"))
    assert summary["counts"] == {
        "finished": 0,
        "submitted": 0,
        "skipped": 2,
        "failed": 1,
        "interrupted": 0,
    }
    assert {p: p.stat().st_mtime_ns for p in outputs} == outputs  # nothing rewritten
    print(f"first run {first_s:.0f} s, second run {second_s:.0f} s")
