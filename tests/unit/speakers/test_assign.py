"""Speaker assignment: overlaps, gaps, words outside turns, splitting, sentence snapping."""

from __future__ import annotations

import pytest

from protokoll.domain.transcript import Segment, SpeakerTurn, Word
from protokoll.speakers.assign import (
    assign_speakers,
    assign_word_speakers,
    snap_to_sentences,
    speaker_for_span,
)

TURNS = [
    SpeakerTurn(0.0, 5.0, "A"),
    SpeakerTurn(5.0, 9.0, "B"),
    SpeakerTurn(12.0, 15.0, "A"),
]


def w(start: float, end: float, text: str, speaker: str | None = None) -> Word:
    return Word(start_s=start, end_s=end, text=text, probability=0.9, speaker=speaker)


def seg(words: list[Word]) -> Segment:
    return Segment(
        start_s=words[0].start_s,
        end_s=words[-1].end_s,
        text="".join(x.text for x in words).strip(),
        words=tuple(words),
    )


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (1.0, 2.0, "A"),  # inside one turn
        (4.5, 5.2, "A"),  # straddles, more in A
        (4.8, 5.6, "B"),  # straddles, more in B
        (9.2, 9.5, "B"),  # in a gap, nearest turn within 1 s
        (11.5, 11.8, "A"),  # in a gap, nearer to the later turn
        (10.3, 10.6, None),  # in a gap, more than 1 s from every turn
        (20.0, 21.0, None),  # after the last turn
        (-2.0, -1.5, None),  # before the first turn
    ],
)
def test_speaker_for_span(start: float, end: float, expected: str | None) -> None:
    assert speaker_for_span(start, end, TURNS, max_gap_s=1.0) == expected


def test_overlapping_turns_pick_the_larger_overlap() -> None:
    turns = [SpeakerTurn(0.0, 4.0, "A"), SpeakerTurn(3.0, 8.0, "B")]
    assert speaker_for_span(3.2, 3.9, turns) in {"A", "B"}
    assert speaker_for_span(2.5, 3.5, turns) == "A"  # 1.0 s in A, 0.5 s in B
    assert speaker_for_span(3.5, 5.0, turns) == "B"


def test_overlap_summed_over_several_turns_of_one_speaker() -> None:
    turns = [
        SpeakerTurn(0.0, 1.0, "A"),
        SpeakerTurn(1.0, 1.6, "B"),
        SpeakerTurn(1.6, 2.4, "A"),
    ]
    # 0.5 + 0.4 = 0.9 s of A against 0.6 s of B
    assert speaker_for_span(0.5, 2.0, turns) == "A"


def test_exact_tie_is_deterministic() -> None:
    turns = [SpeakerTurn(0.0, 1.0, "B"), SpeakerTurn(1.0, 2.0, "A")]
    assert speaker_for_span(0.5, 1.5, turns) == speaker_for_span(0.5, 1.5, list(reversed(turns)))


def test_zero_gap_allowed_means_outside_words_stay_unassigned() -> None:
    assert speaker_for_span(9.2, 9.5, TURNS, max_gap_s=0.0) is None


def test_no_turns_assigns_nothing() -> None:
    words = [w(0.0, 0.5, " Hallo")]
    assert assign_word_speakers(words, [])[0].speaker is None


def test_assign_word_speakers_keeps_text_and_times() -> None:
    words = [w(1.0, 1.5, " Guten"), w(6.0, 6.5, " Abend")]
    out = assign_word_speakers(words, TURNS)
    assert [x.speaker for x in out] == ["A", "B"]
    assert [(x.start_s, x.end_s, x.text) for x in out] == [
        (1.0, 1.5, " Guten"),
        (6.0, 6.5, " Abend"),
    ]


def test_segment_split_where_speaker_changes() -> None:
    words = [
        w(3.0, 3.5, " Danke."),
        w(3.6, 4.0, " Ende."),
        w(5.5, 6.0, " Ich"),
        w(6.0, 6.5, " widerspreche."),
    ]
    out = assign_speakers([seg(words)], TURNS)
    assert [(s.speaker, s.text) for s in out] == [("A", "Danke. Ende."), ("B", "Ich widerspreche.")]
    assert out[0].start_s == 3.0 and out[0].end_s == 4.0
    assert out[1].start_s == 5.5 and out[1].end_s == 6.5
    assert all(x.speaker == s.speaker for s in out for x in s.words)


def test_segment_without_words_takes_overlap_speaker() -> None:
    s = Segment(start_s=5.5, end_s=8.0, text="Ohne Wortzeiten")
    assert assign_speakers([s], TURNS)[0].speaker == "B"


def test_words_outside_every_turn_form_their_own_unassigned_segment() -> None:
    words = [w(14.0, 14.5, " Schluss."), w(30.0, 30.5, " Applaus")]
    out = assign_speakers([seg(words)], TURNS)
    assert [(s.speaker, s.text) for s in out] == [("A", "Schluss."), (None, "Applaus")]


def test_many_words_and_turns_scale() -> None:
    turns = [SpeakerTurn(i * 2.0, i * 2.0 + 2.0, f"S{i % 7}") for i in range(5000)]
    words = [w(i * 0.5 + 0.1, i * 0.5 + 0.4, f" w{i}") for i in range(20000)]
    out = assign_word_speakers(words, turns)
    assert out[0].speaker == "S0" and out[4].speaker == "S1" and out[-1].speaker == f"S{4999 % 7}"


def test_snap_moves_trailing_sentence_end_to_previous_speaker() -> None:
    # "... jetzt günstig." was said by A; word timing put "günstig." into B's turn
    words = [
        w(0, 1, " jetzt", "A"),
        w(1, 2, " günstig.", "B"),
        w(2, 3, " Das", "B"),
        w(3, 4, " kostet.", "B"),
    ]
    assert [x.speaker for x in snap_to_sentences(words)] == ["A", "A", "B", "B"]


def test_snap_moves_sentence_start_to_next_speaker() -> None:
    # "Die SPD-Fraktion unterstützt" was said by B; "Die SPD" fell into A's turn
    words = [
        w(0, 1, " Förderprogramm.", "A"),
        w(1, 2, " Die", "A"),
        w(2, 3, " SPD", "A"),
        w(3, 4, "-Fraktion", "B"),
        w(4, 5, " unterstützt.", "B"),
    ]
    assert [x.speaker for x in snap_to_sentences(words)] == ["A", "B", "B", "B", "B"]


def test_snap_leaves_changes_far_from_sentence_ends() -> None:
    words = [w(i, i + 1, f" wort{i}", "A" if i < 5 else "B") for i in range(10)]
    assert [x.speaker for x in snap_to_sentences(words)] == [x.speaker for x in words]


def test_snap_keeps_changes_at_sentence_ends() -> None:
    words = [w(0, 1, " Ja.", "A"), w(1, 2, " Nein.", "B"), w(2, 3, " Doch.", "A")]
    assert [x.speaker for x in snap_to_sentences(words)] == ["A", "B", "A"]
