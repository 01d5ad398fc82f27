"""The hallucination guard: phantom lines, doubtful closings, loops and repeated segments."""

from __future__ import annotations

import pytest

from protokoll.asr.hallucination import (
    SegmentEvidence,
    collapse_loops,
    filter_segments,
    find_loop,
    is_doubtful_closing,
    is_sound_description,
    is_subtitle_credit,
    normalize,
)
from protokoll.domain.transcript import DroppedPassage, Segment, Word

WORD_S = 0.5  # each test word lasts 0.4 s and starts 0.5 s after the previous one


def words_of(text: str, start_s: float = 0.0, probability: float = 0.9) -> tuple[Word, ...]:
    """Whisper-style words (leading space, punctuation attached)."""
    return tuple(
        Word(
            start_s=round(start_s + i * WORD_S, 3),
            end_s=round(start_s + i * WORD_S + 0.4, 3),
            text=" " + token,
            probability=probability,
        )
        for i, token in enumerate(text.split())
    )


def seg(
    text: str, start_s: float = 0.0, *, probability: float = 0.9, with_words: bool = True
) -> Segment:
    words = words_of(text, start_s, probability) if with_words else ()
    end_s = round(start_s + len(text.split()) * WORD_S, 3)
    return Segment(start_s=start_s, end_s=end_s, text=text, words=words)


# ---- phantom lines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Untertitel der Amara.org-Community",
        "Untertitel im Auftrag des ZDF, 2020",
        "Untertitelung des ZDF für funk, 2017",
        "Untertitel im Auftrag des ZDF für funk, 2017",
        "Untertitel: ARD Text im Auftrag von Funk (2017)",
        "Untertitel von Stephanie Geiges",
        "Untertitel: Stephanie Geiges",
        "Untertitelung. BR 2018",
        "Copyright WDR 2021",
        "SWR 2020",
        "Amara.org",
        "www.zdf.de",
        "Vielen Dank. Untertitel im Auftrag des ZDF, 2020.",
    ],
)
def test_subtitle_credits_are_recognised(text: str) -> None:
    assert is_subtitle_credit(text)


@pytest.mark.parametrize(
    "text",
    [
        "Wir besprechen die Untertitel der Vorlage.",
        "Die Untertitelung des Livestreams kostet 2000 Euro im Jahr.",
        "Die Unterlagen stehen unter www.lindenau.de bereit.",
        "Der Antrag der SPD-Fraktion wird vertagt.",
        "Im Auftrag der Verwaltung berichtet Herr Hartmann.",
    ],
)
def test_council_speech_is_no_credit(text: str) -> None:
    assert not is_subtitle_credit(text)


@pytest.mark.parametrize(
    "text",
    [
        "Untertitel der Amara.org-Community",
        "Untertitel im Auftrag des ZDF, 2020",
        "Untertitelung des ZDF für funk, 2017",
    ],
)
def test_credits_are_dropped_with_their_time(text: str) -> None:
    before = seg("Damit ist die Sitzung geschlossen.", 100.0)
    credit = seg(text, 104.0)
    kept, dropped = filter_segments([before, credit])
    assert kept == [before]
    assert dropped == [DroppedPassage(credit.start_s, credit.end_s, text, "Phantomzeile")]


def test_credit_is_dropped_even_when_the_model_is_sure() -> None:
    credit = seg("Untertitel im Auftrag des ZDF, 2020", probability=0.99)
    kept, dropped = filter_segments([credit], [SegmentEvidence(no_speech_prob=0.0)])
    assert kept == []
    assert [d.reason for d in dropped] == ["Phantomzeile"]


# ---- doubtful closings ---------------------------------------------------------------------------

CLOSING = "Vielen Dank für Ihre Aufmerksamkeit."


def test_closing_over_silence_is_dropped() -> None:
    closing = seg(CLOSING, 3600.0)
    kept, dropped = filter_segments([closing], [SegmentEvidence(no_speech_prob=0.8)])
    assert kept == []
    assert dropped == [
        DroppedPassage(closing.start_s, closing.end_s, CLOSING, "Phantomzeile in Stille")
    ]


def test_closing_with_low_word_confidence_is_dropped() -> None:
    closing = seg(CLOSING, probability=0.2)
    kept, dropped = filter_segments([closing], [SegmentEvidence(no_speech_prob=0.1)])
    assert kept == []
    assert dropped[0].reason == "Phantomzeile in Stille"


def test_closing_that_was_said_is_kept() -> None:
    closing = seg(CLOSING, probability=0.9)
    kept, dropped = filter_segments([closing], [SegmentEvidence(no_speech_prob=0.1)])
    assert kept == [closing]
    assert dropped == []


def test_closing_without_evidence_is_kept() -> None:
    closing = seg(CLOSING)
    assert filter_segments([closing]) == ([closing], [])


@pytest.mark.parametrize(
    ("no_speech_prob", "probability", "doubtful"),
    [
        (0.5, 0.9, False),  # the bound itself is not enough
        (0.51, 0.9, True),
        (0.0, 0.39, True),
        (0.0, 0.4, False),
    ],
)
def test_doubtful_closing_bounds(no_speech_prob: float, probability: float, doubtful: bool) -> None:
    closing = seg(CLOSING, probability=probability)
    assert is_doubtful_closing(closing, SegmentEvidence(no_speech_prob)) is doubtful


def test_closing_without_words_relies_on_no_speech_probability() -> None:
    closing = seg(CLOSING, with_words=False)
    assert not is_doubtful_closing(closing, SegmentEvidence(no_speech_prob=0.1))
    assert is_doubtful_closing(closing, SegmentEvidence(no_speech_prob=0.9))


@pytest.mark.parametrize(
    "text", ["Vielen Dank für Ihre Aufmerksamkeit!", "danke fürs Zuschauen", "Tschüss."]
)
def test_closing_variants(text: str) -> None:
    assert is_doubtful_closing(seg(text), SegmentEvidence(no_speech_prob=0.9))


def test_longer_sentence_with_a_closing_is_no_phantom() -> None:
    text = "Vielen Dank für Ihre Aufmerksamkeit, wir kommen zu TOP 3."
    assert not is_doubtful_closing(seg(text), SegmentEvidence(no_speech_prob=0.9))


# ---- repetition loops ----------------------------------------------------------------------------


def test_find_loop_unit_cases() -> None:
    assert find_loop([]) is None
    assert find_loop(["a"]) is None
    assert find_loop(["a", "b", "c", "d", "e", "f"]) is None
    # a single word needs more than max_repeats + 3 repeats
    assert find_loop(["nein"] * 6) is None
    assert find_loop(["nein"] * 7) == (0, 1, 7)
    # longer n-grams need more than max_repeats
    assert find_loop(("x y " * 3).split()) is None
    assert find_loop(("x y " * 4).split()) == (0, 2, 4)
    assert find_loop(("a " + "b c d " * 5 + "e").split()) == (1, 3, 5)
    # the smallest period at the earliest start wins
    assert find_loop(["a"] * 12) == (0, 1, 12)
    assert find_loop(("x y " * 3).split(), max_repeats=2) == (0, 2, 3)


def test_find_loop_ignores_ngrams_longer_than_the_maximum() -> None:
    sentence = [f"w{i}" for i in range(13)]
    assert find_loop(sentence * 5) is None
    assert find_loop(sentence[:12] * 5) == (0, 12, 5)


def test_word_level_loop_is_collapsed_with_times() -> None:
    text = "Ich eröffne die Sitzung. " + "Die Sitzung ist eröffnet. " * 20
    segment = seg(text.strip(), 10.0)
    kept, dropped = filter_segments([segment])
    assert len(kept) == 1
    assert kept[0].text == "Ich eröffne die Sitzung. Die Sitzung ist eröffnet."
    assert len(kept[0].words) == 8
    assert kept[0].start_s == 10.0
    assert kept[0].end_s == segment.words[7].end_s
    assert len(dropped) == 1
    loop = dropped[0]
    # the removed words are the 2nd to 20th repetition: words 8 .. 83
    assert loop.start_s == segment.words[8].start_s == 14.0
    assert loop.end_s == segment.words[-1].end_s
    assert loop.text == " ".join(["Die Sitzung ist eröffnet."] * 19)
    assert loop.reason == "Wiederholungsschleife (20× dieselben 4 Wörter)"


def test_loop_in_the_middle_keeps_what_follows() -> None:
    text = "Wir stimmen ab. " * 5 + "Wer ist dafür?"
    segment = seg(text.strip(), 0.0)
    collapsed, dropped = collapse_loops(segment)
    assert collapsed.text == "Wir stimmen ab. Wer ist dafür?"
    assert [w.text for w in collapsed.words] == [
        " Wir",
        " stimmen",
        " ab.",
        " Wer",
        " ist",
        " dafür?",
    ]
    assert collapsed.end_s == segment.end_s - 0.1
    assert dropped[0].start_s == 1.5 and dropped[0].end_s == 7.4
    assert dropped[0].reason == "Wiederholungsschleife (5× dieselben 3 Wörter)"


def test_cut_off_repetition_at_the_end_goes_with_the_loop() -> None:
    text = "Die Sitzung ist eröffnet. " * 6 + "Die Sitzung"
    collapsed, dropped = collapse_loops(seg(text.strip()))
    assert collapsed.text == "Die Sitzung ist eröffnet."
    assert dropped[0].text.endswith("eröffnet. Die Sitzung")


def test_single_word_loop() -> None:
    segment = seg("Nein " * 10 + "danke.")
    collapsed, dropped = collapse_loops(segment)
    assert collapsed.text == "Nein danke."
    assert dropped[0].reason == "Wiederholungsschleife (10× dasselbe Wort)"


def test_text_level_loop_without_words() -> None:
    text = "Die Sitzung ist eröffnet. " * 8
    segment = seg(text.strip(), 5.0, with_words=False)
    kept, dropped = filter_segments([segment])
    assert kept[0].text == "Die Sitzung ist eröffnet."
    assert kept[0].words == ()
    assert (dropped[0].start_s, dropped[0].end_s) == (segment.start_s, segment.end_s)
    assert dropped[0].text == " ".join(["Die Sitzung ist eröffnet."] * 7)


def test_two_loops_in_one_segment() -> None:
    text = "ja " * 9 + "Wir kommen zu TOP 3. " + "Das ist gut. " * 4
    collapsed, dropped = collapse_loops(seg(text.strip()))
    assert collapsed.text == "ja Wir kommen zu TOP 3. Das ist gut."
    assert len(dropped) == 2


@pytest.mark.parametrize(
    "text",
    [
        "nein, nein, nein",
        "Nein, nein, nein, nein, das sehen wir anders.",
        "und und und",
        "Ja, ja, ja, ja, ja, ja.",
        "Wir haben sehr, sehr, sehr lange darüber beraten.",
        (
            "Der Rat der Gemeinde Lindenau beschließt die Sanierung der Grundschule am "
            "Lindenweg auf Grundlage der Vorlage 2026/045 und beauftragt die Verwaltung, "
            "die Mittel aus dem Schulbauförderprogramm zu beantragen, die Ausschreibung "
            "vorzubereiten und dem Rat in der nächsten Sitzung über den Stand zu berichten."
        ),
    ],
)
def test_legitimate_speech_is_kept(text: str) -> None:
    segment = seg(text)
    assert filter_segments([segment]) == ([segment], [])


# ---- repeated segments ---------------------------------------------------------------------------


def test_identical_consecutive_long_segments_are_deduplicated() -> None:
    first = seg("Der Antrag ist damit angenommen.", 20.0)
    again = seg("Der Antrag ist damit angenommen.", 23.0)
    kept, dropped = filter_segments([first, again])
    assert kept == [first]
    assert dropped == [DroppedPassage(again.start_s, again.end_s, again.text, "wiederholter Satz")]


def test_repeats_differing_only_in_case_and_punctuation_are_deduplicated() -> None:
    first = seg("Der Antrag ist damit angenommen.")
    again = seg("der Antrag ist damit angenommen!", 3.0)
    kept, dropped = filter_segments([first, again])
    assert kept == [first] and len(dropped) == 1


def test_short_repeated_segments_are_kept() -> None:
    segments = [seg("Ja.", 0.0), seg("Ja.", 1.0), seg("Ja.", 2.0)]
    assert filter_segments(segments) == (segments, [])


def test_non_consecutive_repeats_are_kept() -> None:
    a = seg("Der Antrag ist damit angenommen.", 0.0)
    b = seg("Wir kommen zu Tagesordnungspunkt drei.", 5.0)
    c = seg("Der Antrag ist damit angenommen.", 10.0)
    assert filter_segments([a, b, c]) == ([a, b, c], [])


def test_empty_segments_are_skipped_silently() -> None:
    segments = [seg("   "), seg("Guten Abend.", 1.0)]
    kept, dropped = filter_segments(segments)
    assert [s.text for s in kept] == ["Guten Abend."]
    assert dropped == []


def test_evidence_must_match_the_segments() -> None:
    with pytest.raises(ValueError, match="zip"):
        filter_segments([seg("Guten Abend."), seg("Ja.")], [SegmentEvidence()])


def test_mixed_session_keeps_order_and_reports_every_drop() -> None:
    segments = [
        seg("Ich eröffne die Sitzung.", 0.0),
        seg("Untertitel der Amara.org-Community", 3.0),
        seg("Die Beschlussfähigkeit ist gegeben.", 6.0),
        seg("Die Beschlussfähigkeit ist gegeben.", 9.0),
        seg(CLOSING, 12.0),
    ]
    evidence = [SegmentEvidence()] * 4 + [SegmentEvidence(no_speech_prob=0.9)]
    kept, dropped = filter_segments(segments, evidence)
    assert [s.start_s for s in kept] == [0.0, 6.0]
    assert [(d.start_s, d.reason) for d in dropped] == [
        (3.0, "Phantomzeile"),
        (9.0, "wiederholter Satz"),
        (12.0, "Phantomzeile in Stille"),
    ]


def test_normalize() -> None:
    assert normalize("  Vielen Dank, Frau Berger!  ") == "vielen dank frau berger"
    assert normalize("Amara.org-Community") == "amara.org-community"
    assert normalize("Ende.") == "ende"
    assert normalize("ﬁnal") == "final"  # NFKC


@pytest.mark.parametrize("text", ["[Musik]", "(Applaus)", "*Beifall*", "♪ ♪", "[Musik] (Applaus)"])
def test_sound_descriptions_are_dropped_with_their_time(text: str) -> None:
    assert is_sound_description(text)
    before = seg("Ich rufe Tagesordnungspunkt drei auf.", 10.0)
    sound = seg(text, 20.0)
    kept, dropped = filter_segments([before, sound])
    assert kept == [before]
    assert dropped == [DroppedPassage(sound.start_s, sound.end_s, text, "Geräusch statt Sprache")]


@pytest.mark.parametrize(
    "text",
    [
        "Der Antrag (Drucksache 2026/051) ist angenommen.",
        "Die Musik im Stadtpark bleibt erlaubt.",
        "[Unterbrechung] Wir fahren fort.",
        "Applaus.",
    ],
)
def test_speech_that_mentions_sounds_is_kept(text: str) -> None:
    assert not is_sound_description(text)
