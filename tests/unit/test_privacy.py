"""Nothing leaves the server: telemetry and hub access are off once protokoll is imported."""

from __future__ import annotations

import os
import subprocess
import sys


def test_pyannote_telemetry_is_off_even_if_the_environment_enables_it() -> None:
    code = (
        "import protokoll, warnings; warnings.simplefilter('ignore');"
        "from pyannote.audio.telemetry.metrics import is_metrics_enabled;"
        "print(is_metrics_enabled())"
    )
    env = {**os.environ, "PYANNOTE_METRICS_ENABLED": "true"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_hub_access_is_off() -> None:
    import protokoll  # noqa: F401

    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert os.environ["TRANSFORMERS_OFFLINE"] == "1"
