"""`protokoll batch` with fake model steps: discovery by naming convention, resume, a failing
recording that stops nothing, the exit code, the German summary and the watch mode."""

from __future__ import annotations

import io
import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from protokoll.cli import main
from protokoll.config import Settings
from protokoll.domain.agenda import Agenda, load_agenda, load_members
from protokoll.domain.progress import ProgressHook
from protokoll.domain.stage_results import DecodedAudio
from protokoll.errors import CorruptAudioError
from protokoll.pipeline import batch as batch_module
from protokoll.pipeline.batch import (
    MANIFEST,
    SUMMARY,
    Batch,
    LocalProcessor,
    Outcome,
    Summary,
    discover,
    is_partial,
)
from protokoll.pipeline.warm import WarmSteps
from tests.support.service import SAMPLE_AGENDA, FakeStages, service_settings


class Stages(FakeStages):
    """Fake steps whose intake refuses files named `kaputt*` as intake would, and can be
    told to raise anything for one file name."""

    def __init__(self) -> None:
        super().__init__()
        self.intakes: list[str] = []
        self.raise_for: dict[str, BaseException] = {}
        self.started: dict[str, threading.Event] = {}  # set as the file's intake begins
        self.sleep_s: dict[str, float] = {}

    def intake(
        self, recording: Path, settings: Settings, work_dir: Path, hook: ProgressHook
    ) -> DecodedAudio:
        self.intakes.append(recording.name)
        self.started.setdefault(recording.name, threading.Event()).set()
        time.sleep(self.sleep_s.get(recording.name, 0.0))
        if recording.name in self.raise_for:
            raise self.raise_for[recording.name]
        if recording.name.startswith("kaputt"):
            raise CorruptAudioError(
                f"Die Datei „{recording.name}“ ist beschädigt oder unvollständig."
            )
        return super().intake(recording, settings, work_dir, hook)


def _load(agenda: Path, members: Path | None) -> Agenda:
    loaded = load_agenda(agenda)
    if members is not None:
        loaded = loaded.model_copy(update={"members": load_members(members)[0]})
    return loaded


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    (tmp_path / "config").mkdir()
    return service_settings(tmp_path / "config")


def _write(path: Path, content: bytes = b"OggS fake recording") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def _batch(
    folder: Path, out: Path, settings: Settings, stages: Stages, *, reraise_internal: bool = False
) -> Batch:
    processor = LocalProcessor(settings, _load, steps_for=lambda agenda: stages)
    return Batch(
        folder, out, processor, stream=io.StringIO(), progress=None,
        reraise_internal=reraise_internal,
    )  # fmt: skip


def _manifest(out_dir: Path) -> dict[str, Any]:
    return dict(json.loads((out_dir / MANIFEST).read_text(encoding="utf-8")))


def _three(folder: Path) -> None:
    _write(folder / "kaputt.wav", os.urandom(2000))
    _write(folder / "sitzung-a.ogg", b"a" * 100)
    _write(folder / "sitzung-b.ogg", b"b" * 100)
    (folder / "sitzung-b.agenda.toml").write_bytes(SAMPLE_AGENDA.read_bytes())


# ---- discovery -------------------------------------------------------------------------------


def test_discovery_by_naming_convention(tmp_path: Path) -> None:
    root = tmp_path / "aufnahmen"
    _write(root / "a.ogg")
    _write(root / "a.agenda.toml", b"")
    _write(root / "a.members.json", b"")
    _write(root / "b.mp3")
    _write(root / "sub" / "c.wav")
    _write(root / "sub" / "D.WAV")
    _write(root / "sub" / "tagesordnung.docx", b"")
    _write(root / "sub" / "mitglieder.toml", b"")
    _write(root / "sub" / "D.agenda.json", b"")  # its own agenda wins over the folder's
    _write(root / "k.ogg")
    _write(root / "k.wav")
    for ignored in ("e.ogg.part", ".f.ogg", "g.ogg~", "h.mp3.tmp", "notes.txt", "a.agenda.toml"):
        _write(root / ignored, b"")
    _write(root / ".versteckt" / "h.ogg")
    _write(root / "out" / "alt" / "x.ogg")  # the output folder inside the batch folder

    found = {r.name: r for r in discover(root, root / "out")}

    assert sorted(found) == ["a.ogg", "b.mp3", "k.ogg", "k.wav", "sub/D.WAV", "sub/c.wav"]
    assert found["a.ogg"].agenda == root / "a.agenda.toml"
    assert found["a.ogg"].members == root / "a.members.json"
    assert found["a.ogg"].out_dir == root / "out" / "a"
    assert found["b.mp3"].agenda is None and found["b.mp3"].members is None
    assert found["sub/c.wav"].agenda == root / "sub" / "tagesordnung.docx"
    assert found["sub/c.wav"].members == root / "sub" / "mitglieder.toml"
    assert found["sub/c.wav"].out_dir == root / "out" / "sub" / "c"
    assert found["sub/D.WAV"].agenda == root / "sub" / "D.agenda.json"
    assert found["sub/D.WAV"].members == root / "sub" / "mitglieder.toml"
    assert {found["k.ogg"].out_dir.name, found["k.wav"].out_dir.name} == {"k-ogg", "k-wav"}


@pytest.mark.parametrize(
    ("name", "partial"),
    [("a.ogg", False), ("a.ogg.part", True), (".a.ogg", True), ("a.ogg~", True),
     ("a.ogg.crdownload", True), ("a.TMP", True)],
)  # fmt: skip
def test_partial_names(name: str, partial: bool) -> None:
    assert is_partial(name) is partial


# ---- a batch run -----------------------------------------------------------------------------


def test_two_good_one_corrupt_then_a_second_run_redoes_nothing(
    tmp_path: Path, settings: Settings
) -> None:
    """The issue's acceptance case with fake models: the corrupt recording (first in order)
    fails with its German reason, the other two finish, the exit code is 1; the second run
    skips both finished ones and tries the failed one again."""
    folder, out = tmp_path / "aufnahmen", tmp_path / "out"
    _three(folder)
    stages = Stages()

    summary = _batch(folder, out, settings, stages).run_all()

    assert stages.intakes == ["kaputt.wav", "sitzung-a.ogg", "sitzung-b.ogg"]
    assert stages.calls["minutes"] == 1  # only sitzung-b has an agenda
    status = {name: o.status for name, o in summary.outcomes.items()}
    assert status == {"kaputt.wav": "failed", "sitzung-a.ogg": "finished",
                      "sitzung-b.ogg": "finished"}  # fmt: skip
    assert summary.exit_code == 1
    assert summary.outcomes["kaputt.wav"].reason == (
        "Die Datei „kaputt.wav“ ist beschädigt oder unvollständig."
    )
    assert (out / "sitzung-a" / "transcript.json").is_file()
    assert not (out / "sitzung-a" / "minutes.json").exists()
    assert (out / "sitzung-b" / "niederschrift.docx").is_file()
    assert summary.outcomes["sitzung-b.ogg"].duration_s == 220.0
    manifest = _manifest(out / "kaputt")
    assert manifest["local"]["status"] == "failed"
    assert "beschädigt" in manifest["local"]["reason"]
    written = json.loads((out / SUMMARY).read_text(encoding="utf-8"))
    assert written["counts"] == {
        "finished": 2,
        "submitted": 0,
        "skipped": 0,
        "failed": 1,
        "interrupted": 0,
    }
    assert written["exit_code"] == 1
    failed = next(r for r in written["recordings"] if r["status"] == "failed")
    assert failed["status_text"].startswith("fehlgeschlagen: Die Datei „kaputt.wav“")
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.parent.name == "sitzung-b"}

    stages2 = Stages()
    again = _batch(folder, out, settings, stages2).run_all()

    assert stages2.intakes == ["kaputt.wav"]  # a failed one is tried on every run
    status = {name: o.status for name, o in again.outcomes.items()}
    assert status == {"kaputt.wav": "failed", "sitzung-a.ogg": "skipped",
                      "sitzung-b.ogg": "skipped"}  # fmt: skip
    assert again.exit_code == 1
    assert again.outcomes["sitzung-b.ogg"].seconds is None
    assert again.outcomes["sitzung-b.ogg"].duration_s == 220.0
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes
    table = again.table()
    assert "übersprungen (schon fertig)" in table
    assert "fehlgeschlagen: Die Datei „kaputt.wav“ ist beschädigt" in table


def test_a_changed_recording_agenda_or_missing_output_is_done_again(
    tmp_path: Path, settings: Settings
) -> None:
    folder, out = tmp_path / "aufnahmen", tmp_path / "out"
    _write(folder / "a.ogg", b"a" * 100)
    _write(folder / "b.ogg", b"b" * 100)
    _write(folder / "c.ogg", b"c" * 100)
    (folder / "b.agenda.toml").write_bytes(SAMPLE_AGENDA.read_bytes())
    _batch(folder, out, settings, Stages()).run_all()

    _write(folder / "a.ogg", b"A" * 100)  # new content
    with (folder / "b.agenda.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n# ein Kommentar\n")
    (out / "c" / "transcript.vtt").unlink()
    stages = Stages()
    summary = _batch(folder, out, settings, stages).run_all()

    assert stages.intakes == ["a.ogg", "b.ogg", "c.ogg"]
    assert {o.status for o in summary.outcomes.values()} == {"finished"}


def test_a_touched_but_unchanged_recording_is_skipped(tmp_path: Path, settings: Settings) -> None:
    """Only size and time changed: the hash decides, and the new time is remembered."""
    folder, out = tmp_path / "aufnahmen", tmp_path / "out"
    recording = _write(folder / "a.ogg", b"a" * 100)
    _batch(folder, out, settings, Stages()).run_all()
    os.utime(recording, ns=(1_000_000_000, 1_000_000_000))

    stages = Stages()
    summary = _batch(folder, out, settings, stages).run_all()

    assert stages.intakes == []
    assert summary.outcomes["a.ogg"].status == "skipped"
    assert _manifest(out / "a")["local"]["mtime_ns"] == 1_000_000_000


def test_a_bad_agenda_or_an_internal_error_fails_only_its_recording(
    tmp_path: Path, settings: Settings
) -> None:
    folder, out = tmp_path / "aufnahmen", tmp_path / "out"
    _write(folder / "a.ogg")
    _write(folder / "a.agenda.toml", b"[meeting]\nbody = \n")
    _write(folder / "b.ogg")
    _write(folder / "c.ogg")
    _write(folder / "d.ogg")
    stages = Stages()
    stages.raise_for["b.ogg"] = RuntimeError("boom")
    stages.raise_for["c.ogg"] = FileNotFoundError(2, "No such file or directory", "c.ogg")

    summary = _batch(folder, out, settings, stages).run_all()

    a, b, c, d = (summary.outcomes[n] for n in ("a.ogg", "b.ogg", "c.ogg", "d.ogg"))
    assert a.status == "failed" and "Tagesordnung" in a.reason
    assert b.status == "failed"
    assert b.reason == "Interner Fehler (RuntimeError); Einzelheiten mit --debug."
    assert c.reason == "Die Datei ist nicht mehr vorhanden: c.ogg."
    assert d.status == "finished"
    assert summary.exit_code == 1
    assert summary.totals() == "Fertig: 1, fehlgeschlagen: 3."

    stages.raise_for["b.ogg"] = RuntimeError("boom")
    with pytest.raises(RuntimeError):  # --debug: the traceback, as `protokoll run` shows it
        _batch(folder, out, settings, stages, reraise_internal=True).run_all()


def test_a_member_list_without_agenda_is_named_in_the_hints(
    tmp_path: Path, settings: Settings
) -> None:
    folder, out = tmp_path / "aufnahmen", tmp_path / "out"
    _write(folder / "a.ogg")
    _write(folder / "mitglieder.toml", b"")
    summary = _batch(folder, out, settings, Stages()).run_all()
    assert summary.outcomes["a.ogg"].status == "finished"
    assert any(
        "„mitglieder.toml“ wurde nicht verwendet" in h for h in summary.outcomes["a.ogg"].hints
    )


def test_ctrl_c_ends_the_batch_and_the_interrupted_recording_is_redone(
    tmp_path: Path, settings: Settings
) -> None:
    folder, out = tmp_path / "aufnahmen", tmp_path / "out"
    for name in ("a.ogg", "b.ogg", "c.ogg"):
        _write(folder / name, name.encode())
    stages = Stages()
    stages.raise_for["b.ogg"] = KeyboardInterrupt()

    summary = _batch(folder, out, settings, stages).run_all()

    assert summary.interrupted
    assert {n: o.status for n, o in summary.outcomes.items()} == {
        "a.ogg": "finished", "b.ogg": "interrupted",
    }  # fmt: skip
    assert "abgebrochen" in summary.table()
    assert not (out / "b" / MANIFEST).exists()
    stages2 = Stages()
    _batch(folder, out, settings, stages2).run_all()
    assert stages2.intakes == ["b.ogg", "c.ogg"]


def test_progress_names_each_recording(tmp_path: Path, settings: Settings) -> None:
    folder, out = tmp_path / "aufnahmen", tmp_path / "out"
    _three(folder)
    stream, hooks = io.StringIO(), []

    def progress() -> ProgressHook:
        def hook(stage: str, completed: float, total: float) -> None:
            hooks.append(stage)

        return hook

    processor = LocalProcessor(settings, _load, steps_for=lambda agenda: Stages())
    Batch(folder, out, processor, stream=stream, progress=progress).run_all()

    lines = stream.getvalue().splitlines()
    assert lines[0] == "Aufnahme 1 von 3: kaputt.wav"
    assert lines[1].startswith("Aufnahme 1 von 3: kaputt.wav – fehlgeschlagen: Die Datei")
    assert lines[2] == "Aufnahme 2 von 3: sitzung-a.ogg"
    assert lines[3] == "Aufnahme 3 von 3: sitzung-b.ogg (Tagesordnung: sitzung-b.agenda.toml)"
    assert "transcription" in hooks


def test_summary_table_in_german() -> None:
    summary = Summary(Path("a"), Path("out"), "local")
    from_batch = [
        ("eins.ogg", "finished", 3725.0, 61.0, ["transcript.json", "transcript.docx"], ""),
        ("zwei.ogg", "skipped", 60.0, None, ["transcript.json"], ""),
        ("drei.wav", "failed", None, 0.4, [], "Die Datei ist leer (0 Byte)."),
    ]
    for name, status, duration, seconds, outputs, reason in from_batch:
        out_dir = Path("out") / name.split(".")[0]
        summary.outcomes[name] = Outcome(name, status, out_dir, duration, seconds, outputs, reason)

    lines = summary.table().splitlines()

    assert lines[0].split() == ["Aufnahme", "Dauer", "Bearbeitungszeit", "Status", "Ausgaben"]
    assert lines[2].split() == ["eins.ogg", "1:02:05", "1:01", "fertig", "out/eins", "(2",
                                "Dateien)"]  # fmt: skip
    assert lines[3].split()[:4] == ["zwei.ogg", "1:00", "–", "übersprungen"]
    assert lines[4].endswith("fehlgeschlagen: Die Datei ist leer (0 Byte).")
    assert summary.exit_code == 1


# ---- watch mode ------------------------------------------------------------------------------


def _stop_once(stop: threading.Event, done: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Set `stop` once `done()` (or after `timeout_s`: the test's asserts then say why)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and not done():
        time.sleep(0.05)
    stop.set()


def test_watch_takes_a_recording_only_once_it_is_written_completely(
    tmp_path: Path, settings: Settings
) -> None:
    """A file written in two steps (a pause shorter than the settle time between them) is
    processed once, with its whole content; a `.part` file only after its rename."""
    folder, out = tmp_path / "aufnahmen", tmp_path / "out"
    folder.mkdir()
    stages = Stages()
    stop = threading.Event()
    first, second = b"x" * 1000, b"y" * 1000

    def copy_in() -> None:
        with (folder / "neu.ogg").open("wb") as fh:
            fh.write(first)
            fh.flush()
            time.sleep(0.3)
            fh.write(second)
        _write(folder / "zwei.ogg.part", b"z" * 500)
        time.sleep(0.8)
        (folder / "zwei.ogg.part").rename(folder / "zwei.ogg")
        _stop_once(stop, lambda: (out / "zwei" / MANIFEST).exists())

    writer = threading.Thread(target=copy_in)
    writer.start()
    batch = _batch(folder, out, settings, stages)
    summary = batch.watch(settle_s=0.5, poll_s=0.05, stop=stop.is_set)
    writer.join()

    assert stages.intakes == ["neu.ogg", "zwei.ogg"]
    manifest = _manifest(out / "neu")
    assert manifest["local"]["size"] == len(first + second)
    assert {o.status for o in summary.outcomes.values()} == {"finished"}
    assert json.loads((out / SUMMARY).read_text(encoding="utf-8"))["counts"]["finished"] == 2


def test_watch_times_a_file_from_its_last_change_not_from_the_poll_start(
    tmp_path: Path, settings: Settings
) -> None:
    """A file still being written while another recording is processed (here for 1.5 s) must
    stay unchanged for the settle time after it was last seen changed, not merely since the
    poll that found it began."""
    folder, out = tmp_path / "aufnahmen", tmp_path / "out"
    _write(folder / "a-lang.ogg", b"a" * 100)
    stages = Stages()
    stages.sleep_s["a-lang.ogg"] = 1.5
    stages.started["a-lang.ogg"] = threading.Event()
    stop = threading.Event()

    def copy_in() -> None:
        with (folder / "b-neu.ogg").open("wb") as fh:
            fh.write(b"x" * 1000)
            fh.flush()
            stages.started["a-lang.ogg"].wait(10)
            time.sleep(0.5)
            fh.write(b"y" * 1000)  # while a-lang is processed
            fh.flush()
            time.sleep(1.3)  # a-lang ended 0.3 s ago: b-neu is seen half-written
            fh.write(b"z" * 1000)
        _stop_once(stop, lambda: (out / "b-neu" / MANIFEST).exists())

    writer = threading.Thread(target=copy_in)
    writer.start()
    _batch(folder, out, settings, stages).watch(settle_s=0.8, poll_s=0.05, stop=stop.is_set)
    writer.join()

    assert stages.intakes == ["a-lang.ogg", "b-neu.ogg"]
    assert _manifest(out / "b-neu")["local"]["size"] == 3000


def test_watch_skips_what_is_done_and_redoes_a_changed_file(
    tmp_path: Path, settings: Settings
) -> None:
    folder, out = tmp_path / "aufnahmen", tmp_path / "out"
    _write(folder / "alt.ogg", b"alt")
    _batch(folder, out, settings, Stages()).run_all()
    stages = Stages()
    stop = threading.Event()

    def change() -> None:
        time.sleep(0.5)
        _write(folder / "alt.ogg", b"alt, aber neu")
        _stop_once(stop, lambda: stages.intakes == ["alt.ogg"])

    writer = threading.Thread(target=change)
    writer.start()
    summary = _batch(folder, out, settings, stages).watch(
        settle_s=0.2, poll_s=0.05, stop=stop.is_set
    )
    writer.join()

    assert stages.intakes == ["alt.ogg"]
    assert summary.outcomes["alt.ogg"].status == "finished"


# ---- the command -----------------------------------------------------------------------------


def test_cli_batch_refuses_a_missing_folder_and_a_missing_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PROTOKOLL_API_TOKEN", raising=False)
    assert main(["batch", str(tmp_path / "fehlt")]) == 3
    assert "Den Ordner" in capsys.readouterr().err

    assert main(["batch", str(tmp_path), "--submit", "--out", str(tmp_path / "o")]) == 2
    assert "API-Token" in capsys.readouterr().err

    assert main(["batch", str(tmp_path), "--out", str(tmp_path / "o")]) == 0
    assert "Keine Aufnahmen" in capsys.readouterr().out


@pytest.mark.parametrize("keep", [True, False])
def test_local_batch_keeps_the_models_between_recordings_as_configured(
    tmp_path: Path, keep: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = service_settings(tmp_path, keep_models=str(keep).lower())
    given: list[object] = []

    def fake_run(*args: Any, steps: object = None, **kwargs: Any) -> Any:
        given.append(steps)
        raise CorruptAudioError("kaputt")

    monkeypatch.setattr(batch_module, "run", fake_run)
    folder = tmp_path / "aufnahmen"
    _write(folder / "a.ogg")
    _write(folder / "b.ogg")
    processor = LocalProcessor(settings, _load)
    summary = Batch(folder, tmp_path / "out", processor, stream=io.StringIO(), progress=None)
    assert summary.run_all().count("failed") == 2
    if keep:  # one set of models for the whole batch, loaded at its first stage
        assert isinstance(given[0], WarmSteps) and given[0] is given[1]
    else:  # `run` loads them for each recording
        assert given == [None, None]
