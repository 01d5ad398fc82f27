"""Sentences cut from recogniser segments, with times and speakers."""

from __future__ import annotations

import pytest

from protokoll.domain.transcript import Segment, Word
from protokoll.minutes.sentences import split_sentences


def words(start: float, text: str, speaker: str | None = "SPEAKER_00", step: float = 0.5,
          probability: float = 0.9) -> tuple[Word, ...]:  # fmt: skip
    """Whisper-style words (leading space) at `step` seconds each."""
    return tuple(
        Word(start + i * step, start + (i + 1) * step, " " + w, probability, speaker)
        for i, w in enumerate(text.split())
    )


def segment(start: float, text: str, speaker: str | None = "SPEAKER_00", **kw: float) -> Segment:
    ws = words(start, text, speaker, **kw)
    return Segment(ws[0].start_s, ws[-1].end_s, text, ws, speaker)


def test_one_segment_two_sentences_keep_word_times() -> None:
    seg = segment(10.0, "Damit ist das einstimmig beschlossen. Ich rufe Tagesordnungspunkt 5 auf.")
    out = split_sentences([seg])
    assert [s.text for s in out] == [
        "Damit ist das einstimmig beschlossen.",
        "Ich rufe Tagesordnungspunkt 5 auf.",
    ]
    assert (out[0].start_s, out[0].end_s) == (10.0, 12.5)
    assert (out[1].start_s, out[1].end_s) == (12.5, 15.0)
    assert [s.index for s in out] == [0, 1]
    assert all(s.speaker == "SPEAKER_00" for s in out)


def test_question_and_exclamation_marks_end_sentences() -> None:
    out = split_sentences([segment(0.0, "Gegenstimmen? 3. Enthaltungen? Keine! Danke.")])
    assert [s.text for s in out] == ["Gegenstimmen?", "3.", "Enthaltungen?", "Keine!", "Danke."]


def test_speakers_and_probabilities_carried() -> None:
    out = split_sentences(
        [
            segment(0.0, "Herr Hartmann, bitte.", "SPEAKER_00", probability=0.4),
            segment(3.0, "Die Kosten steigen.", "SPEAKER_02", probability=0.8),
        ]
    )
    assert [(s.speaker, s.text) for s in out] == [
        ("SPEAKER_00", "Herr Hartmann, bitte."),
        ("SPEAKER_02", "Die Kosten steigen."),
    ]
    assert out[0].mean_probability == pytest.approx(0.4)
    assert out[1].mean_probability == pytest.approx(0.8)


def test_unfinished_sentence_at_the_end_is_kept() -> None:
    out = split_sentences([segment(0.0, "Das ist gut. und dann")])
    assert [s.text for s in out] == ["Das ist gut.", "und dann"]


def test_ordinal_date_does_not_end_a_sentence() -> None:
    text = "Genehmigung der Niederschrift vom 15. Oktober 2026, gibt es Einwände?"
    out = split_sentences([segment(0.0, text)])
    assert [s.text for s in out] == [text]


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "Herr Dr. Keller nennt ca. 1,8 Mio. Euro für Nr. 4. Danke."
    out = split_sentences([segment(0.0, text)])
    assert [s.text for s in out] == ["Herr Dr. Keller nennt ca. 1,8 Mio. Euro für Nr. 4.", "Danke."]


def test_full_stop_before_lower_case_word_still_ends() -> None:
    # Whisper writes lower case after a real full stop
    out = split_sentences([segment(0.0, "fertig sind wir 2028. der Unterricht läuft weiter.")])
    assert [s.text for s in out] == ["fertig sind wir 2028.", "der Unterricht läuft weiter."]


def test_punctuation_before_closing_quote_ends() -> None:
    out = split_sentences([segment(0.0, "Er sagte „Nein.“ Dann ging es weiter.")])
    assert [s.text for s in out] == ["Er sagte „Nein.“", "Dann ging es weiter."]


def test_sentence_running_over_a_segment_break_is_joined() -> None:
    first = segment(0.0, "Ich rufe Tagesordnungspunkt")
    second = segment(first.end_s + 0.3, "5 auf. Herr Hartmann, bitte.")
    out = split_sentences([first, second])
    assert [s.text for s in out] == ["Ich rufe Tagesordnungspunkt 5 auf.", "Herr Hartmann, bitte."]
    assert out[0].start_s == 0.0


def test_no_join_over_a_speaker_change_or_a_pause() -> None:
    a = segment(0.0, "Ich finde das")
    b = segment(a.end_s + 0.2, "richtig so.", "SPEAKER_01")
    c = segment(b.end_s + 5.0, "und weiter.", "SPEAKER_01")
    out = split_sentences([a, b, c])
    assert [(s.speaker, s.text) for s in out] == [
        ("SPEAKER_00", "Ich finde das"),
        ("SPEAKER_01", "richtig so."),
        ("SPEAKER_01", "und weiter."),
    ]


def test_ordinal_across_a_segment_break() -> None:
    a = segment(0.0, "Niederschrift vom 15.")
    b = segment(a.end_s + 0.2, "Oktober 2026.")
    assert [s.text for s in split_sentences([a, b])] == ["Niederschrift vom 15. Oktober 2026."]


def test_hyphen_words_and_words_without_leading_space() -> None:
    ws = (
        Word(0.0, 0.3, " Die", 0.9),
        Word(0.3, 0.6, " SPD", 0.9),
        Word(0.6, 1.0, "-Fraktion", 0.9),
        Word(1.0, 1.4, "stimmt", 0.9),  # no leading space (other aligners)
        Word(1.4, 1.8, "zu.", 0.9),
    )
    out = split_sentences([Segment(0.0, 1.8, "", ws, "SPEAKER_01")])
    assert [s.text for s in out] == ["Die SPD-Fraktion stimmt zu."]


def test_segment_without_words_is_split_with_shared_out_times() -> None:
    seg = Segment(100.0, 110.0, "Gegenstimmen? Keine. Damit beschlossen.", (), "SPEAKER_00")
    out = split_sentences([seg])
    assert [s.text for s in out] == ["Gegenstimmen?", "Keine.", "Damit beschlossen."]
    assert out[0].start_s == 100.0
    assert out[-1].end_s == 110.0
    assert out[0].end_s == pytest.approx(out[1].start_s)
    assert out[0].start_s < out[1].start_s < out[2].start_s < out[2].end_s
    assert all(s.speaker == "SPEAKER_00" and s.mean_probability == 1.0 for s in out)


def test_segment_without_words_and_one_sentence() -> None:
    out = split_sentences([Segment(5.0, 7.0, "  Vielen Dank  ", (), None)])
    assert [(s.text, s.start_s, s.end_s, s.speaker) for s in out] == [
        ("Vielen Dank", 5.0, 7.0, None)
    ]


def test_empty_input_and_empty_segments() -> None:
    assert split_sentences([]) == []
    assert split_sentences([Segment(0.0, 1.0, "   ", (), "SPEAKER_00")]) == []


def test_word_speakers_used_when_segment_has_none() -> None:
    ws = words(0.0, "Das ist richtig.", speaker="SPEAKER_03")
    out = split_sentences([Segment(0.0, ws[-1].end_s, "Das ist richtig.", ws, None)])
    assert out[0].speaker == "SPEAKER_03"


def test_a_missing_full_stop_before_ich_or_wir_still_ends_the_sentence() -> None:
    from protokoll.minutes.sentences import _split_text

    assert _split_text("Der Ausschuss nimmt den Bericht zur Kenntnis Wir kommen zu Punkt 2.") == [
        "Der Ausschuss nimmt den Bericht zur Kenntnis",
        "Wir kommen zu Punkt 2.",
    ]
    assert _split_text("Das sehen wir auch so, wir stimmen zu.") == [
        "Das sehen wir auch so, wir stimmen zu."
    ]
