from __future__ import annotations

from pathlib import Path

import pytest

from protokoll.documents.vtt import format_vtt, format_vtt_timestamp, write_vtt
from protokoll.domain.transcript import UNKNOWN_SPEAKER, Segment, Transcript


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0.0, "00:00:00.000"),
        (3725.5, "01:02:05.500"),
        (59.9996, "00:01:00.000"),
        (83.25, "00:01:23.250"),
        (0.0004, "00:00:00.000"),
        (360000.0, "100:00:00.000"),
    ],
)
def test_timestamp(seconds: float, expected: str) -> None:
    assert format_vtt_timestamp(seconds) == expected


def test_timestamp_rejects_negative() -> None:
    with pytest.raises(ValueError):
        format_vtt_timestamp(-0.5)


def test_cues_with_mapped_names(transcript: Transcript, speaker_names: dict[str, str]) -> None:
    text = format_vtt(transcript.segments, speaker_names)
    assert text.startswith("WEBVTT\n\n")
    blocks = text.strip().split("\n\n")
    assert blocks[0] == "WEBVTT"
    cues = blocks[1:]
    assert len(cues) == len(transcript.segments)
    assert cues[0] == (
        "00:01:23.250 --> 00:01:24.850\n<v Bürgermeisterin Schäfer>Ich eröffne die Sitzung."
    )
    assert cues[2].splitlines()[1].startswith("<v Stadtrat Öztürk>Wir beantragen")
    assert cues[4].splitlines()[0] == "01:02:00.000 --> 01:02:05.500"


def test_unmapped_and_missing_speakers() -> None:
    segments = [
        Segment(0.0, 1.0, "eins", speaker="SPEAKER_07"),
        Segment(1.0, 2.0, "zwei", speaker=None),
        Segment(2.0, 3.0, "drei", speaker=UNKNOWN_SPEAKER),
    ]
    lines = format_vtt(segments, {"SPEAKER_00": "Frau A"}).splitlines()
    assert "<v Sprecher 8>eins" in lines
    assert "<v Unbekannt>zwei" in lines
    assert "<v Unbekannt>drei" in lines
    assert "<v Unbekannt>zwei" in format_vtt(segments).splitlines()


def test_escaping_and_line_breaks() -> None:
    segments = [
        Segment(0.0, 1.0, "a < b & c > d\n\nnoch --> mehr", speaker="S"),
    ]
    text = format_vtt(segments, {"S": "Müller & <Partner>"})
    cue_text = text.splitlines()[-1]
    assert cue_text == "<v Müller &amp; &lt;Partner&gt;>a &lt; b &amp; c &gt; d noch --&gt; mehr"
    assert text.count("-->") == 1  # only in the timing line


def test_empty_segments_skipped_and_zero_length_stretched(tmp_path: Path) -> None:
    segments = [
        Segment(0.0, 1.0, "   ", speaker="S"),
        Segment(5.0, 5.0, "kurz", speaker="S"),
    ]
    path = tmp_path / "out.vtt"
    write_vtt(segments, path)
    text = path.read_text(encoding="utf-8")
    assert text == "WEBVTT\n\n00:00:05.000 --> 00:00:05.001\n<v S>kurz\n"


def test_other_labels_are_shown_as_given() -> None:
    lines = format_vtt([Segment(0.0, 1.0, "eins", speaker="Gast")]).splitlines()
    assert "<v Gast>eins" in lines
