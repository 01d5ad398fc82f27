"""Progress reporting on a terminal and in logs."""

from __future__ import annotations

import io
import math

import pytest

from protokoll.domain.progress import ProgressHook, null_hook
from protokoll.formatting import format_duration
from protokoll.pipeline import progress
from protokoll.pipeline.progress import STAGE_LABELS, TerminalProgress


class FakeClock:
    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


class TtyStream(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(progress.time, "monotonic", fake)
    return fake


# ---- format_duration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0, "0:00"),
        (0.4, "0:00"),
        (5, "0:05"),
        (59.6, "1:00"),
        (61, "1:01"),
        (190, "3:10"),
        (599, "9:59"),
        (3599, "59:59"),
        (3600, "1:00:00"),
        (3725.5, "1:02:06"),
        (8 * 3600 + 5, "8:00:05"),
        (36000, "10:00:00"),
        (-3, "0:00"),
        (math.inf, "0:00"),
        (math.nan, "0:00"),
    ],
)
def test_format_duration(seconds: float, expected: str) -> None:
    assert format_duration(seconds) == expected


# ---- TerminalProgress off a terminal -------------------------------------------------------------


def test_non_tty_prints_label_percent_and_fertig(clock: FakeClock) -> None:
    out = io.StringIO()
    hook = TerminalProgress(out)
    hook("transcription", 0.0, 600.0)
    clock.now += 20
    hook("transcription", 150.0, 600.0)
    clock.now += 40
    hook("transcription", 600.0, 600.0)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert all(line.startswith("Transkription") for line in lines)
    assert "0 %" in lines[0]
    assert "25 %" in lines[1]
    assert "noch ca. 1:00" in lines[1]  # 20 s for a quarter: 60 s to go
    assert "100 %" in lines[2]
    assert lines[2].endswith("fertig nach 1:00")
    assert "\r" not in out.getvalue()


def test_non_tty_throttles_to_one_line_per_10_s(clock: FakeClock) -> None:
    out = io.StringIO()
    hook = TerminalProgress(out, min_interval_s=0.5)
    assert hook.min_interval_s == 10.0
    hook("diarization", 0.0, 100.0)
    for step in range(1, 10):
        clock.now += 1
        hook("diarization", step, 100.0)
    assert len(out.getvalue().splitlines()) == 1
    clock.now += 1  # 10 s after the first line
    hook("diarization", 10.0, 100.0)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("Sprechererkennung")
    assert "10 %" in lines[1]


def test_completion_is_printed_even_when_throttled(clock: FakeClock) -> None:
    out = io.StringIO()
    hook = TerminalProgress(out)
    hook("intake", 0.0, 10.0)
    clock.now += 0.1
    hook("intake", 10.0, 10.0)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("Audio einlesen")
    assert "fertig nach 0:00" in lines[1]


def test_completion_is_reported_once(clock: FakeClock) -> None:
    out = io.StringIO()
    hook = TerminalProgress(out)
    hook("transcription", 0.0, 60.0)
    clock.now += 30
    hook("transcription", 60.0, 60.0)  # last segment reaches the end
    hook("transcription", 60.0, 60.0)  # the stage's own final call
    assert out.getvalue().count("fertig") == 1


def test_each_stage_gets_its_german_label(clock: FakeClock) -> None:
    out = io.StringIO()
    hook = TerminalProgress(out)
    for stage in ("intake", "transcription", "diarization", "assignment", "output"):
        hook(stage, 0.0, 1.0)
        clock.now += 2
        hook(stage, 1.0, 1.0)
    text = out.getvalue()
    for label in (
        "Audio einlesen",
        "Transkription",
        "Sprechererkennung",
        "Sprecherzuordnung",
        "Ausgabe schreiben",
    ):
        assert label in text
    assert text.count("fertig nach 0:02") == 5


def test_unknown_stage_uses_its_key(clock: FakeClock) -> None:
    out = io.StringIO()
    TerminalProgress(out)("export", 1.0, 4.0)
    assert out.getvalue().startswith("export")
    assert "25 %" in out.getvalue()


def test_zero_total_and_odd_values(clock: FakeClock) -> None:
    out = io.StringIO()
    hook = TerminalProgress(out)
    hook("intake", 5.0, 0.0)  # total unknown
    hook("output", -1.0, 10.0)
    lines = out.getvalue().splitlines()
    assert "  0 %" in lines[0] and "fertig" not in lines[0]
    assert "  0 %" in lines[1]


def test_percent_is_not_rounded_up_to_100_before_the_end(clock: FakeClock) -> None:
    out = io.StringIO()
    TerminalProgress(out)("transcription", 99.9, 100.0)
    assert "99 %" in out.getvalue() and "100 %" not in out.getvalue()


def test_a_stage_that_runs_again_reports_again(clock: FakeClock) -> None:
    out = io.StringIO()
    hook = TerminalProgress(out)
    hook("transcription", 10.0, 10.0)
    clock.now += 1
    hook("transcription", 0.0, 10.0)
    clock.now += 1
    hook("transcription", 10.0, 10.0)
    assert out.getvalue().count("fertig") == 2


def test_first_update_is_printed_right_after_boot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress.time, "monotonic", FakeClock(start=2.0))
    out = io.StringIO()
    TerminalProgress(out)("intake", 1.0, 10.0)
    assert out.getvalue().startswith("Audio einlesen")


# ---- TerminalProgress on a terminal --------------------------------------------------------------


def test_tty_rewrites_the_line(clock: FakeClock) -> None:
    out = TtyStream()
    hook = TerminalProgress(out, min_interval_s=0.5)
    hook("transcription", 0.0, 100.0)
    clock.now += 2
    hook("transcription", 50.0, 100.0)
    clock.now += 0.1
    hook("transcription", 60.0, 100.0)  # within 0.5 s: skipped
    clock.now += 2
    hook("transcription", 100.0, 100.0)
    hook("diarization", 0.0, 100.0)
    text = out.getvalue()
    frames = text.split("\r")[1:]
    assert len(frames) == 4
    assert "50 %" in frames[1] and "noch ca. 0:02" in frames[1]
    assert "60 %" not in text
    assert frames[2].endswith("\n")
    assert frames[2].rstrip().endswith("fertig nach 0:04")
    assert frames[3].startswith("Sprechererkennung")
    assert text.count("\n") == 1


def test_tty_starts_a_new_line_when_a_stage_ends_early(clock: FakeClock) -> None:
    out = TtyStream()
    hook = TerminalProgress(out)
    hook("diarization", 40.0, 100.0)
    hook("assignment", 1.0, 1.0)
    text = out.getvalue()
    assert "\n\rSprecherzuordnung" in text
    assert text.endswith("\n")


def test_default_stream_is_stderr(capsys: pytest.CaptureFixture[str], clock: FakeClock) -> None:
    hook = TerminalProgress()
    hook("output", 1.0, 1.0)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Ausgabe schreiben" in captured.err and "fertig" in captured.err


# ---- hooks ---------------------------------------------------------------------------------------


def test_null_hook_and_protocol() -> None:
    hook: ProgressHook = null_hook
    assert hook("transcription", 1.0, 2.0) is None
    terminal: ProgressHook = TerminalProgress(io.StringIO())
    assert callable(terminal)


def test_every_pipeline_stage_has_a_label() -> None:
    stages = {"intake", "transcription", "diarization", "assignment", "minutes", "output"}
    assert set(STAGE_LABELS) == stages
