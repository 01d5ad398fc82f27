"""`protokoll run` with unusable input: one German line, a non-zero exit, no output files.

Each case runs the real CLI as a subprocess from the repository root (so config.toml and
models/ resolve). The pipeline resolves the models before it reads the recording, so the
recording cases need them installed; intake refuses the file before any model is loaded.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from protokoll.config import load_settings
from protokoll.modelstore import models_for_settings
from protokoll.pipeline.build import model_store

REPO = Path(__file__).resolve().parents[2]
VIDEO = ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=6"]
MakeMedia = Callable[..., Path]


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    case_dir: Path

    @property
    def out_dir(self) -> Path:
        return self.case_dir / "out"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PROTOKOLL_")}
    env.update(extra)
    return env


def _protokoll(case_dir: Path, *args: str, env: dict[str, str] | None = None) -> Run:
    cmd = [sys.executable, "-m", "protokoll", "run", *args,
           "--out", str(case_dir / "out"), "--quiet"]  # fmt: skip
    result = subprocess.run(
        cmd, cwd=REPO, env=env or _env(), capture_output=True, text=True, timeout=120
    )
    return Run(result.returncode, result.stdout, result.stderr, case_dir)


def _missing_models() -> str | None:
    settings = load_settings(REPO / "config.toml", {})
    store = model_store(settings, REPO)
    missing = [
        model_id
        for model_id in models_for_settings(settings)
        if not (store.model_dir(model_id) / "installed.json").exists()
    ]
    if missing:
        return (
            f"Modelle nicht installiert ({', '.join(missing)}): die Pipeline prüft sie vor "
            "dem Einlesen der Aufnahme; bitte `protokoll models install` ausführen."
        )
    return None


def _assert_refused(run: Run, exit_code: int, *phrases: str) -> None:
    detail = f"exit {run.returncode}\nstdout: {run.stdout}\nstderr: {run.stderr}"
    assert run.returncode == exit_code, detail
    assert run.stderr.startswith("Fehler: "), detail
    assert "Traceback" not in run.stderr + run.stdout, detail
    assert run.stderr.strip().count("\n") == 0, "the error should be one line\n" + detail
    assert "Fertig" not in run.stdout, detail
    for phrase in phrases:
        assert phrase in run.stderr, detail
    # nothing half-written: no output folder (or an empty one), no staging folder
    assert not run.out_dir.exists() or not any(run.out_dir.iterdir()), detail
    assert not list(run.case_dir.glob(".out.partial-*")), detail


# ---- recordings ---------------------------------------------------------------------------------


def _cut(path: Path, share: float = 0.4) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * share)])
    return path


def _empty(d: Path, make: MakeMedia) -> Path:
    (d / "leer.mp3").touch()
    return d / "leer.mp3"


def _text(d: Path, make: MakeMedia) -> Path:
    (d / "tagesordnung.mp3").write_text("TOP 1 Eröffnung\nTOP 2 Haushalt 2025\n")
    return d / "tagesordnung.mp3"


def _png(d: Path, make: MakeMedia) -> Path:
    return make(d / "bild.png", "-frames:v", "1", inputs=VIDEO).rename(d / "bild.wav")


def _no_audio(d: Path, make: MakeMedia) -> Path:
    return make(d / "stumm.mp4", "-c:v", "mpeg4", inputs=VIDEO)


def _random(d: Path, make: MakeMedia) -> Path:
    (d / "aufnahme.wav").write_bytes(random.Random(5).randbytes(40_000))
    return d / "aufnahme.wav"


def _cut_mp3(d: Path, make: MakeMedia) -> Path:
    return _cut(make(d / "sitzung.mp3", "-c:a", "libmp3lame"))


def _cut_m4a(d: Path, make: MakeMedia) -> Path:
    return _cut(make(d / "sitzung.m4a", "-c:a", "aac"))


def _cut_ogg(d: Path, make: MakeMedia) -> Path:
    return _cut(make(d / "sitzung.ogg", "-c:a", "libopus"))


def _silence(d: Path, make: MakeMedia) -> Path:
    return make(d / "stille.wav", "-c:a", "pcm_s16le", signal="silence")


def _good(d: Path, make: MakeMedia) -> Path:
    return make(d / "sitzung.flac", signal="speech")


# One case per kind of refusal (each CLI start costs about two seconds; test_intake.py
# covers every format and variant).
# id: (make the recording, extra environment, expected phrases in the message)
CASES: dict[str, tuple[Callable[[Path, MakeMedia], Path], dict[str, str], tuple[str, ...]]] = {
    "empty": (_empty, {}, ("leer (0 Byte)",)),
    "text-as-mp3": (_text, {}, ("keine Aufnahme, sondern eine Textdatei",)),
    "png-as-wav": (_png, {}, ("PNG-Bild",)),
    "video-without-audio": (_no_audio, {}, ("keine Tonspur",)),
    "random-bytes": (_random, {}, ("keine lesbare Audio- oder Videodatei",)),
    "truncated-mp3": (_cut_mp3, {}, ("beschädigt oder unvollständig",)),
    "truncated-m4a": (_cut_m4a, {}, ("beschädigt oder unvollständig",)),
    "truncated-ogg": (_cut_ogg, {}, ("beschädigt oder unvollständig",)),
    "digital-silence": (_silence, {}, ("nur Stille",)),
    "too-long": (_good, {"PROTOKOLL_INTAKE__MAX_DURATION_H": "0.001"}, ("höchstens 3,6 Sekunden",)),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, make_media: MakeMedia) -> dict[str, Run]:
    """All recording cases, run in parallel (each CLI start costs about two seconds)."""
    reason = _missing_models()
    if reason:
        pytest.skip(reason)
    base = tmp_path_factory.mktemp("cli")
    jobs = []
    for case_id, (make_recording, extra_env, _) in CASES.items():
        case_dir = base / case_id
        case_dir.mkdir()
        jobs.append((case_id, case_dir, make_recording(case_dir, make_media), extra_env))
    missing_dir = base / "missing"
    missing_dir.mkdir()
    jobs.append(("missing", missing_dir, missing_dir / "gibt-es-nicht.mp3", {}))
    jobs.append(("folder", base / "folder", base / "folder", {}))
    (base / "folder").mkdir()

    def run(job: tuple[str, Path, Path, dict[str, str]]) -> Run:
        _, case_dir, recording, extra_env = job
        return _protokoll(case_dir, str(recording), env=_env(**extra_env))

    with ThreadPoolExecutor(max_workers=max(2, min(6, os.cpu_count() or 2))) as pool:
        results = list(pool.map(run, jobs))
    return {job[0]: result for job, result in zip(jobs, results, strict=True)}


@pytest.mark.parametrize("case_id", list(CASES))
def test_unusable_recording_is_refused(runs: dict[str, Run], case_id: str) -> None:
    _assert_refused(runs[case_id], 3, *CASES[case_id][2])


def test_missing_recording(runs: dict[str, Run]) -> None:
    _assert_refused(runs["missing"], 3, "gibt-es-nicht.mp3", "wurde nicht gefunden")


def test_folder_instead_of_recording(runs: dict[str, Run]) -> None:
    _assert_refused(runs["folder"], 3, "ist ein Ordner")


# ---- agenda -------------------------------------------------------------------------------------
# The agenda is read before any model or recording: these cases need no models. The
# recording is silent, so a changed order would fail fast (exit 3) instead of transcribing.

BAD_AGENDA = """\
[meeting]
body = "Gemeinderat"
date = "2025-02-30"

[[items]]
number = "1"
title = "Eröffnung"

[[items]]
title = "Haushalt 2025"
"""


def test_malformed_agenda_names_the_field(tmp_path: Path, make_media: MakeMedia) -> None:
    recording = make_media(tmp_path / "stille.wav", signal="silence", seconds=1)
    agenda = tmp_path / "tagesordnung.toml"
    agenda.write_text(BAD_AGENDA, encoding="utf-8")
    run = _protokoll(tmp_path, str(recording), "--agenda", str(agenda))
    _assert_refused(run, 4, "tagesordnung.toml", "meeting.date", "items[2].number")


def test_agenda_syntax_error_names_the_line(tmp_path: Path, make_media: MakeMedia) -> None:
    recording = make_media(tmp_path / "stille.wav", signal="silence", seconds=1)
    agenda = tmp_path / "tagesordnung.toml"
    agenda.write_text('[meeting]\nbody = "Rat\ndate = 2025-01-01\n', encoding="utf-8")
    run = _protokoll(tmp_path, str(recording), "--agenda", str(agenda))
    _assert_refused(run, 4, "TOML-Syntaxfehler")
    assert re.search(r"(Zeile|line) 2\b", run.stderr), run.stderr


def test_missing_agenda(tmp_path: Path, make_media: MakeMedia) -> None:
    recording = make_media(tmp_path / "stille.wav", signal="silence", seconds=1)
    run = _protokoll(tmp_path, str(recording), "--agenda", str(tmp_path / "fehlt.toml"))
    _assert_refused(run, 4, "fehlt.toml", "nicht gefunden")
