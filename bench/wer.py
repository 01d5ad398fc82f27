"""Word error rate of the transcription stage on the sample and on FLEURS German clips.

    python bench/wer.py [--fleurs DIR]

FLEURS clips (real read speech, reference transcripts) are looked for in
`--fleurs`, `$PROTOKOLL_FLEURS_DIR` or `../shared/data/fleurs-de`. Both
sides are normalised the same way (`protokoll.scoring.normalize_for_wer`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SAMPLE, SAMPLE_AGENDA, SAMPLE_TXT
from protokoll.audio.intake import decode, read_wav
from protokoll.config import load_settings
from protokoll.domain.agenda import load_agenda
from protokoll.pipeline.build import build_transcriber, model_store
from protokoll.scoring import WerResult, word_error_rate


def default_fleurs_dir() -> Path:
    env = os.environ.get("PROTOKOLL_FLEURS_DIR")
    return Path(env) if env else ROOT.parent / "shared" / "data" / "fleurs-de"


def transcribe_files(files: list[Path], vocabulary: list[str]) -> dict[Path, tuple[str, float]]:

    settings = load_settings(None)
    transcriber = build_transcriber(settings, model_store(settings), vocabulary)
    results = {}
    for path in files:
        with tempfile.TemporaryDirectory() as work:
            audio = read_wav(decode(path, Path(work)).wav_path)
        started = time.monotonic()
        result = transcriber.transcribe(audio)
        rtf = (time.monotonic() - started) / (len(audio) / 16000)
        results[path] = (" ".join(s.text for s in result.segments), rtf)
    return results


def main() -> None:

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fleurs", type=Path, default=default_fleurs_dir())
    args = parser.parse_args()

    sample = transcribe_files([SAMPLE], load_agenda(SAMPLE_AGENDA).vocabulary_hint())
    hyp, rtf = sample[SAMPLE]
    res = word_error_rate(SAMPLE_TXT.read_text(encoding="utf-8"), hyp)
    print(f"sample (synthetic council session): WER {res.wer:.3f} "
          f"({res.errors}/{res.reference_words} words), RTF {rtf:.3f}")  # fmt: skip

    clips = sorted(args.fleurs.glob("*.ogg"))
    if not clips:
        print(f"FLEURS: no clips in {args.fleurs}; skipped")
        return
    results = transcribe_files(clips, [])
    errors = words = 0
    for clip in clips:
        hyp, _ = results[clip]
        r = word_error_rate(clip.with_suffix(".txt").read_text(encoding="utf-8"), hyp)
        errors, words = errors + r.errors, words + r.reference_words
        print(f"  {clip.name}: WER {r.wer:.3f}")
    total = WerResult(errors, words)
    print(f"FLEURS de ({len(clips)} clips): WER {total.wer:.3f} ({errors}/{words} words)")


if __name__ == "__main__":
    main()
