"""German numbers as said and as Whisper writes them."""

from __future__ import annotations

import pytest

from protokoll.minutes.numbers_de import parse_number


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("14", 14),
        ("0", 0),
        ("2026", 2026),
        ("14.", 14),  # end of a sentence
        ("(3)", 3),
        ("„drei“", 3),
        ("null", 0),
        ("eins", 1),
        ("eine", 1),
        ("einer", 1),
        ("zwei", 2),
        ("zwo", 2),
        ("Drei", 3),
        ("elf", 11),
        ("zwölf", 12),
        ("vierzehn", 14),
        ("Vierzehn,", 14),
        ("neunzehn", 19),
        ("zwanzig", 20),
        ("einundzwanzig", 21),
        ("zweiundzwanzig", 22),
        ("dreißig", 30),
        ("dreissig", 30),
        ("dreiunddreißig", 33),
        ("neunundneunzig", 99),
        ("achtundvierzig", 48),
        ("hundert", 100),
        ("einhundert", 100),
        ("hunderteins", 101),
        ("zweihundertfünfzig", 250),
        ("zwölfhundert", 1200),
        ("tausend", 1000),
        ("dreitausendzweihundert", 3200),
        ("keine", 0),
        ("kein", 0),
    ],
)
def test_numbers(token: str, expected: int) -> None:
    assert parse_number(token) == expected


@pytest.mark.parametrize(
    "token",
    [
        "",
        "   ",
        "Gegenstimmen",
        "und",
        "undzwanzig",
        "keineundzwanzig",  # not a compound of a unit
        "zwölfundzwanzig",  # units above nine do not combine with tens
        "einerundzwanzig",
        "1,8",  # a decimal is no whole number
        "1.200",
        "14-Jährstimmen",
        "²",  # a digit to Python, not to a council
        "٣",
        "drei3",
        "einundzwanzigste",
        "hundertkeine",
        "Zeitpunkt",
    ],
)
def test_junk_is_none(token: str) -> None:
    assert parse_number(token) is None
