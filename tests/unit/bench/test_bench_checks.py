"""The long-session benchmark's own checks must catch what they claim to catch.

`tests/real/test_long_session_real.py` asserts that they find nothing in real output;
these cases make sure they would find loops, phantom lines and text over noise.
"""

from __future__ import annotations

import pytest

from bench.long import output_checks, timed_words, windowed_wer
from protokoll.domain.transcript import Segment, SpeakerTurn, Word

EVENTS = [{"kind": "music", "start_s": 100.0, "end_s": 130.0}]


def _words(text: str, start: float, step: float = 0.5) -> tuple[Word, ...]:
    return tuple(
        Word(start + i * step, start + i * step + 0.4, f" {w}", 0.9)
        for i, w in enumerate(text.split())
    )


def _segment(text: str, start: float, with_words: bool = True) -> Segment:
    words = _words(text, start) if with_words else ()
    end = words[-1].end_s if words else start + 2.0
    return Segment(start, end, text, words=words)


def test_clean_output_passes() -> None:
    segments = [_segment("Ich eröffne die Sitzung.", 0.0), _segment("Gibt es Einwände?", 5.0)]
    assert output_checks(segments, EVENTS) == {
        "loops_left": 0,
        "phantom_lines_left": 0,
        "words_in_events": 0,
    }


def test_a_loop_running_across_segments_is_found() -> None:
    segments = [_segment("Die Sitzung ist eröffnet.", float(i * 3)) for i in range(6)]
    assert output_checks(segments, EVENTS)["loops_left"] == 1


def test_phantom_and_sound_lines_are_counted() -> None:
    segments = [
        _segment("Untertitel im Auftrag des ZDF, 2020", 10.0),
        _segment("[Musik]", 20.0),
        _segment("Wir stimmen ab.", 30.0),
    ]
    assert output_checks(segments, EVENTS)["phantom_lines_left"] == 2


def test_words_inside_an_event_are_counted_away_from_its_edges() -> None:
    segments = [
        _segment("eins zwei drei", 110.0),  # inside the music
        _segment("vier", 100.5),  # within 1 s of its start: not counted
        _segment("fünf sechs", 115.0, with_words=False),  # no word times: segment midpoint
    ]
    assert output_checks(segments, EVENTS)["words_in_events"] == 5


def test_timed_words_fall_back_to_the_segment_midpoint() -> None:
    assert timed_words([_segment("a b", 10.0, with_words=False)]) == [(11.0, "a"), (11.0, "b")]


def test_windowed_wer_sums_errors_over_windows() -> None:
    turns = [SpeakerTurn(10.0, 12.0, "a"), SpeakerTurn(400.0, 402.0, "b")]
    texts = ["eins zwei", "drei vier"]
    hyp = [(11.0, "eins"), (11.5, "zwei"), (401.0, "drei"), (401.5, "fünf")]
    assert windowed_wer(turns, texts, hyp) == pytest.approx(1 / 4)


def test_progress_peaks_records_each_tenth_of_a_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    import bench.common as common

    rss = iter(range(1000, 2000, 7))
    monkeypatch.setattr(common, "peak_rss_mb", lambda: float(next(rss)))
    series, hook = common.progress_peaks()
    for done in range(0, 3601, 100):  # transcription in steps of 100 s
        hook("transcription", float(done), 3600.0)
    hook("diarization", 0.0, 3600.0)
    hook("diarization", 1800.0, 3600.0)  # half done, then stopped
    assert len(series["transcription"]) == 10
    assert series["transcription"] == sorted(series["transcription"])
    assert len(series["diarization"]) == 5  # one jump past five tenths: five marks
