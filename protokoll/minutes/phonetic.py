"""Kölner Phonetik: a code for how a German word sounds, to recognise keywords the
recogniser spelled by ear ("Werthagd", "vertaugt" for "vertagt").

The code follows Postel's rules (1969): letters are mapped to digit classes by their
neighbours, repeated digits collapse and vowels are dropped except at the start. A code
match alone is too loose (many words share a code), so `sounds_like` also asks for the
spelling to be close.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

_PLAIN = {
    **dict.fromkeys("aeijouy", "0"),
    "b": "1",
    **dict.fromkeys("fvw", "3"),
    **dict.fromkeys("gkq", "4"),
    "l": "5",
    **dict.fromkeys("mn", "6"),
    "r": "7",
    **dict.fromkeys("sz", "8"),
}
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "s"})


@lru_cache(maxsize=50_000)
def cologne(word: str) -> str:
    """The Kölner Phonetik code of one word ("vertagt" -> "37242")."""
    letters = [c for c in word.lower().translate(_FOLD) if c.isalpha()]
    digits: list[str] = []
    for i, c in enumerate(letters):
        before = letters[i - 1] if i > 0 else ""
        after = letters[i + 1] if i + 1 < len(letters) else ""
        if c == "h":
            continue
        if c == "p":
            code = "3" if after == "h" else "1"
        elif c in "dt":
            code = "8" if after in ("c", "s", "z") else "2"
        elif c == "c":
            if i == 0:
                code = "4" if after in tuple("ahkloqrux") else "8"
            elif before in ("s", "z"):
                code = "8"
            else:
                code = "4" if after in tuple("ahkoqux") else "8"
        elif c == "x":
            code = "8" if before in ("c", "k", "q") else "48"
        else:
            code = _PLAIN.get(c, "")
        digits.append(code)
    collapsed: list[str] = []
    for code in "".join(digits):
        if not collapsed or collapsed[-1] != code:
            collapsed.append(code)
    if not collapsed:
        return ""
    return collapsed[0] + "".join(c for c in collapsed[1:] if c != "0")


SPELLING_MIN = 0.6  # "Werthagd"/"vertagt" 0.67; "verdeckt"/"vertagt" (same code) 0.53


def sounds_like(heard: str, word: str) -> bool:
    """Whether `heard` is `word` spelled by ear: the same code and a close spelling."""
    heard, word = heard.lower(), word.lower()
    if heard == word:
        return True
    if len(heard) < 5 or cologne(heard) != cologne(word):
        return False
    return SequenceMatcher(None, heard, word).ratio() >= SPELLING_MIN
