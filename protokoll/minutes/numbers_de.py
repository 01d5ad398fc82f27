"""German numbers as people say them and Whisper writes them: digits or words."""

from __future__ import annotations

import re

_UNITS = {
    "null": 0, "kein": 0, "keine": 0, "ein": 1, "eins": 1, "eine": 1, "einer": 1, "einem": 1,
    "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14,
    "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
}  # fmt: skip
_TENS = {
    "zwanzig": 20, "dreißig": 30, "dreissig": 30, "vierzig": 40, "fünfzig": 50,
    "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90,
}  # fmt: skip
# the digits 1-9 as they appear inside compounds: "ein|und|zwanzig", "zwei|hundert"
_DIGIT_WORDS = {
    "ein": 1, "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6,
    "sieben": 7, "acht": 8, "neun": 9,
}  # fmt: skip
_COMPOUND = re.compile(r"(?:(\w+?)und)?(" + "|".join(_TENS) + r")")
_TRAILING_PUNCT = ".,;:!?()[]\"'„“”«»‚‘’"


def _below_100(word: str) -> int | None:
    """0-99 as a word: 'null', 'vierzehn', 'dreißig', 'einundzwanzig'."""
    if word in _UNITS:
        return _UNITS[word]
    if word in _TENS:
        return _TENS[word]
    match = _COMPOUND.fullmatch(word)
    if match and match.group(1) in _DIGIT_WORDS:  # not "keineundzwanzig", "zwölfundzwanzig"
        return _DIGIT_WORDS[match.group(1)] + _TENS[match.group(2)]
    return None


def _rest(word: str) -> int | None:
    """What follows 'hundert'/'tausend': nothing, or 1-99 ('eins', 'undzwanzig')."""
    if not word:
        return 0
    word = word.removeprefix("und")
    if word in ("kein", "keine", "null", "eine", "einer", "einem"):
        return None
    value = _below_100(word)
    return value if value else None


def _below_1000(word: str) -> int | None:
    """0-999 (and the spoken 1100-1999, 'zwölfhundert'): 'zweihundertfünfzig'."""
    head, sep, tail = word.partition("hundert")
    if not sep:
        return _below_100(word)
    if head in ("", "ein"):
        factor: int | None = 1
    elif head in _DIGIT_WORDS or head in ("elf", "zwölf") or head.endswith("zehn"):
        factor = _below_100(head)
    else:
        factor = None
    rest = _rest(tail)
    if factor is None or rest is None:
        return None
    return factor * 100 + rest


def _word_value(word: str) -> int | None:
    head, sep, tail = word.partition("tausend")
    if not sep:
        return _below_1000(word)
    if head in ("", "ein"):
        factor: int | None = 1
    elif head in ("kein", "keine", "null", "eine", "einer", "einem"):
        factor = None
    else:
        factor = _below_1000(head)
    if not tail:
        rest: int | None = 0
    else:
        rest = _below_1000(tail.removeprefix("und"))
        if tail.removeprefix("und") in ("kein", "keine", "null", "eine", "einer", "einem"):
            rest = None
    if not factor or rest is None:
        return None
    return factor * 1000 + rest


def parse_number(token: str) -> int | None:
    """'14', 'vierzehn', 'einundzwanzig', 'keine' -> int; anything else -> None.

    Words up to 999 999 are read ('zweihundertfünfzig', 'zwölfhundert', 'dreitausend');
    only ASCII digits count as digits ('²' is not 2). Decimal numbers ('1,8') are not
    whole numbers and give None.
    """
    t = token.strip().lower().strip(_TRAILING_PUNCT)
    if not t:
        return None
    if t.isascii() and t.isdigit():
        return int(t)
    if not t.isalpha():
        return None
    return _word_value(t)


NUMBER_WORD_PATTERN = (
    r"\d+|" + "|".join(sorted(list(_UNITS) + list(_TENS), key=len, reverse=True))
    + r"|\w+und(?:" + "|".join(_TENS) + r")"
)  # fmt: skip
