"""The word-level edit rate between the AI draft and the reviewed minutes."""

from __future__ import annotations

import copy
import random
import time

import pytest

from protokoll.domain.minutes import (
    Attendance,
    Minutes,
    MinutesItem,
    MinutesMeeting,
    SummarySentence,
    Votes,
)
from protokoll.review.edit_rate import (
    ItemEditRate,
    edit_rate,
    item_text,
    word_edits,
    words,
)


def _naive(a: list[str], b: list[str]) -> int:
    """The textbook full-matrix Levenshtein distance."""
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        table[i][0] = i
    for j in range(len(b) + 1):
        table[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = min(
                table[i - 1][j] + 1,
                table[i][j - 1] + 1,
                table[i - 1][j - 1] + (a[i - 1] != b[j - 1]),
            )
    return table[-1][-1]


def _minutes(*items: MinutesItem, names: dict[str, str] | None = None) -> Minutes:
    return Minutes(
        meeting=MinutesMeeting(body="Rat", date="2026-11-19"),
        attendance=Attendance(),
        items=list(items),
        speaker_names=dict(names or {}),
    )


def _item(number: str = "1", *sentences: str, **kw: object) -> MinutesItem:
    return MinutesItem(
        number=number,
        title=f"Titel {number}",
        summary=[SummarySentence(s) for s in sentences],
        **kw,  # type: ignore[arg-type]
    )


# --- the distance ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [
        ("", "", 0),
        ("der Rat", "", 2),
        ("", "der Rat beschließt", 3),
        ("der Rat beschließt", "der Rat beschließt", 0),
        ("der Rat beschließt", "der Gemeinderat beschließt", 1),
        ("der Rat beschließt", "der Rat beschließt einstimmig", 1),
        ("der Rat beschließt", "Rat beschließt", 1),
        ("a b c d", "b c d a", 2),
        ("kitten sitting", "sitting kitten", 2),
    ],
)
def test_word_edits_examples(a: str, b: str, distance: int) -> None:
    assert word_edits(a.split(), b.split()) == distance
    assert word_edits(b.split(), a.split()) == distance


def test_word_edits_matches_the_textbook_algorithm() -> None:
    rng = random.Random(5)
    vocabulary = ["der", "Rat", "beschließt", "die", "Sanierung", ",", "Euro.", "14"]
    for _ in range(300):
        a = rng.choices(vocabulary, k=rng.randint(0, 14))
        b = rng.choices(vocabulary, k=rng.randint(0, 14))
        if rng.random() < 0.5:  # related texts: shared prefix and suffix
            b = a[: rng.randint(0, len(a))] + b + a[rng.randint(0, len(a)) :]
        assert word_edits(a, b) == _naive(a, b), (a, b)


def test_words_punctuation_case_and_whitespace() -> None:
    # punctuation stays attached, case is kept, whitespace does not count
    assert words("Der  Rat\nbeschließt,\u00a0einstimmig.") == [
        "Der",
        "Rat",
        "beschließt,",
        "einstimmig.",
    ]
    assert word_edits(words("4,2 Mio. Euro."), words("4,2 Mio. Euro")) == 1
    assert word_edits(words("der Rat"), words("Der Rat")) == 1
    assert word_edits(words("der Rat\n  beschließt"), words("der Rat beschließt")) == 0
    # composed and decomposed umlauts are the same word
    assert word_edits(words("Bürger"), words("Bu\u0308rger")) == 0


def test_long_texts_are_fast_and_correct() -> None:
    rng = random.Random(7)
    vocabulary = [f"wort{i}" for i in range(400)]
    a = rng.choices(vocabulary, k=5000)
    b = list(a)
    changed = 0
    for position in range(3, 5000, 10):  # every tenth word substituted, first and last too
        b[position] = "neu"
        changed += 1
    b[0], b[-1] = "anfang", "ende"
    started = time.perf_counter()
    distance = word_edits(a, b)
    elapsed = time.perf_counter() - started
    assert distance == changed + 2  # the substitutions: no shifted alignment is cheaper
    assert elapsed < 1.0, elapsed


def test_very_long_text_against_a_short_one() -> None:
    """Over 20 000 words: memory grows with the shorter text only, and the result is exact
    (the short text is a subsequence of the long one: only deletions)."""
    long = [f"w{i % 997}" for i in range(25_000)]
    short = long[100:24_000:250]
    assert word_edits(long, short) == len(long) - len(short)
    assert word_edits(short, long) == len(long) - len(short)


# --- the text of a TOP ------------------------------------------------------------------------


def test_item_text_is_what_the_reader_sees() -> None:
    item = _item(
        "2",
        "SPEAKER_03 erklärte die Lage.",
        "  ",
        "SPEAKER_05 fragte nach.",
        motions=["Antrag von SPEAKER_03: zwei Lose.", ""],
        resolution_text="Der Rat beschließt.\nDie Verwaltung schreibt aus.",
        result="mehrheitlich beschlossen",
        votes=Votes(14, 3, None, None),
    )
    assert item_text(item, {"SPEAKER_03": "Emine Öztürk"}) == (
        "Emine Öztürk erklärte die Lage.\n"
        "Sprecher 6 fragte nach.\n"
        "Antrag von Emine Öztürk: zwei Lose.\n"
        "Der Rat beschließt.\nDie Verwaltung schreibt aus.\n"
        "mehrheitlich beschlossen\n"
        "Ja: 14, Nein: 3, Enthaltungen: –, Befangen: –"
    )
    # no placeholders for what is missing; no counts after a deferral
    deferred = _item("3", "Vertagt.", result="vertagt")
    assert item_text(deferred, {}) == "Vertagt.\nvertagt"
    empty = _item("4")
    assert item_text(empty, {}) == "Ja: –, Nein: –, Enthaltungen: –, Befangen: –"
    empty.result = "ohne Beschluss"
    assert item_text(empty, {}) == "ohne Beschluss"


# --- the rate -----------------------------------------------------------------------------------


def test_edit_rate_per_item_and_overall() -> None:
    ai = _minutes(
        _item("1", "Die Bürgermeisterin eröffnet die Sitzung.", result="zur Kenntnis genommen"),
        _item("2", "Herr Roth erläutert die Kosten.", result="vertagt"),
    )
    edited = copy.deepcopy(ai)
    edited.items[0].summary[0].text = "Die Bürgermeisterin eröffnete die Sitzung um 18 Uhr."
    rate = edit_rate(ai, edited)
    # TOP 1: 5 + 3 words; "eröffnet" → "eröffnete", "Sitzung." → "Sitzung", + "um 18 Uhr."
    assert rate.items[0] == ItemEditRate("1", 8, 11, 5, 5 / 8)
    assert rate.items[1] == ItemEditRate("2", 6, 6, 0, 0.0)
    assert (rate.words_ai, rate.edits) == (14, 5)
    assert rate.rate == pytest.approx(5 / 14)
    assert rate.to_dict() == {
        "items": [
            {"number": "1", "words_ai": 8, "words_edited": 11, "edits": 5, "rate": 5 / 8},
            {"number": "2", "words_ai": 6, "words_edited": 6, "edits": 0, "rate": 0.0},
        ],
        "words_ai": 14,
        "edits": 5,
        "rate": 5 / 14,
    }


def test_speaker_rename_counts_as_an_edit() -> None:
    ai = _minutes(_item("1", "SPEAKER_03 stellte fest.", result="ohne Beschluss"))
    edited = copy.deepcopy(ai)
    edited.speaker_names = {"SPEAKER_03": "Emine Öztürk"}
    rate = edit_rate(ai, edited)
    assert rate.items[0].edits == 2  # "Sprecher 4" → "Emine Öztürk"
    assert rate.items[0].words_ai == 6  # "Sprecher 4 stellte fest." + "ohne Beschluss"


def test_items_on_one_side_only() -> None:
    ai = _minutes(
        _item("1", "Bleibt.", result="vertagt"), _item("2", "Weg damit.", result="vertagt")
    )
    edited = copy.deepcopy(ai)
    del edited.items[1]
    edited.items.append(_item("9", "Neu geschrieben.", result="vertagt"))
    rate = edit_rate(ai, edited)
    assert [i.number for i in rate.items] == ["1", "2", "9"]
    assert rate.items[0] == ItemEditRate("1", 2, 2, 0, 0.0)
    assert rate.items[1] == ItemEditRate("2", 3, 0, 3, 1.0)  # deleted
    assert rate.items[2] == ItemEditRate("9", 0, 3, 3, 1.0)  # written from nothing
    assert (rate.words_ai, rate.edits) == (5, 6)
    assert rate.rate == pytest.approx(6 / 5)  # more rewritten than drafted


def test_undecided_vote_line_is_text() -> None:
    """Without a result the DOCX shows the counts as "–" (not said): filling one in is one
    edited word, the placeholder "nicht erkannt" is no text."""
    ai = _minutes(_item("1", "Abgestimmt."))
    edited = copy.deepcopy(ai)
    edited.items[0].result = "beschlossen"
    edited.items[0].votes = Votes(yes=12)
    assert item_text(ai.items[0], {}) == "Abgestimmt.\nJa: –, Nein: –, Enthaltungen: –, Befangen: –"
    rate = edit_rate(ai, edited)
    assert (rate.items[0].words_ai, rate.items[0].edits) == (9, 2)  # "beschlossen", "12,"


def test_empty_rates() -> None:
    # an AI TOP without words: 0.0 if it stays empty, 1.0 otherwise
    assert edit_rate(_minutes(), _minutes()).rate == 0.0
    only_new = _minutes(_item("1", "Neu.", result="vertagt"))
    rate = edit_rate(_minutes(), only_new)
    assert (rate.words_ai, rate.edits, rate.rate) == (0, 2, 1.0)
    assert rate.items[0].rate == 1.0
