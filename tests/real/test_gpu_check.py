"""bench/gpu_check.sh, the GPU measuring script, runs end to end on CPU with tiny models.

The GPU machine is lent rarely and for minutes; this dry run keeps the script
working in between (same builders, same stages, same report), so a lease is
spent measuring, not debugging.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_gpu_check_dry_run_reports_every_stage(tmp_path: Path) -> None:
    env = dict(os.environ, OUT=str(tmp_path), PY=str(ROOT / ".venv" / "bin" / "python"))
    if not Path(env["PY"]).exists():
        import sys

        env["PY"] = sys.executable
    done = subprocess.run(
        ["bash", str(ROOT / "bench" / "gpu_check.sh"), "run", "--dry-run",
         "--work", str(tmp_path / "work")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    report = json.loads((tmp_path / "gpu-check.json").read_text(encoding="utf-8"))
    assert report["failed"] == []
    stages = report["stages"]
    assert set(stages) == {"transcription", "diarization", "minutes"}
    for name, stage in stages.items():
        assert stage["seconds"] > 0 and stage["rtf"] > 0, name
        assert stage["device"] == "cpu", name
    assert report["fell_back_to_cpu"] == {name: False for name in stages}
    # the production code paths: 128 mel bins, batched decoding, the pretrained pipeline
    assert stages["transcription"]["mel_bins"] == 128
    assert stages["transcription"]["batch_size"] > 1
    assert stages["transcription"]["segments"] > 0
    assert stages["diarization"]["speakers"] >= 1
    # decoding pinned to realistic lengths
    pinned = report["pinned"]
    assert 20 <= pinned["whisper_tokens_per_window"] <= 200
    minutes = stages["minutes"]
    assert minutes["calls"] > 0 and minutes["items"] > 0
    assert minutes["completion_tokens"] <= minutes["calls"] * pinned["llm_tokens_per_call"]
    assert report["three_hour_session_s"] > 0
    assert set(report["build_s"]) == {"whisper", "diarization", "llm"}
