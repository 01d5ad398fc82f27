"""How much the reviewers changed the AI draft: the word-level edit rate per TOP.

The text of a TOP is what a reader of the Niederschrift sees of it (`item_text`): the
summary sentences, the motions, the resolution text, the result and the vote counts as
the DOCX writes them ("Ja: 14, Nein: 3, Enthaltungen: 2, Befangen: –"), speaker labels
replaced by names, so renaming a speaker counts as an edit. Placeholders the DOCX shows
for missing content ("kein Beschluss", "nicht erkannt") are not text, and time marks are
not either.

Words are the whitespace-separated tokens of that text after Unicode normalisation (NFC)
and whitespace normalisation. Case and punctuation are kept and punctuation stays attached
to its word: fixing a comma, a full stop or a capital letter is one edited word, as it is
for the person editing. The edits are the word-level Levenshtein distance (substituted,
inserted and deleted words, each counting 1); the rate divides them by the AI draft's
words of that TOP (an empty AI TOP: 0.0 if it stays empty, else 1.0). The rate can exceed
1.0 when a reviewer writes more than the draft had.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from protokoll.documents.niederschrift_layout import counts_shown, format_votes, names_in
from protokoll.domain.minutes import Minutes, MinutesItem


@dataclass
class ItemEditRate:
    number: str
    words_ai: int
    words_edited: int
    edits: int
    rate: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class EditRate:
    items: list[ItemEditRate]
    words_ai: int
    edits: int
    rate: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [i.to_dict() for i in self.items],
            "words_ai": self.words_ai,
            "edits": self.edits,
            "rate": self.rate,
        }


def item_text(item: MinutesItem, speaker_names: Mapping[str, str]) -> str:
    """The text of a TOP as a reader of the Niederschrift sees it, one part a line."""
    parts = [names_in(s.text.strip(), speaker_names) for s in item.summary if s.text.strip()]
    parts += [names_in(m.strip(), speaker_names) for m in item.motions if m.strip()]
    if item.resolution_text and item.resolution_text.strip():
        parts.append(names_in(item.resolution_text.strip(), speaker_names))
    if item.result and item.result.strip():
        parts.append(item.result.strip())
    if counts_shown(item):
        parts.append(format_votes(item))
    return "\n".join(parts)


def words(text: str) -> list[str]:
    """The words of ``text`` (see the module docstring)."""
    return unicodedata.normalize("NFC", text).split()


def word_edits(a: Sequence[str], b: Sequence[str]) -> int:
    """The Levenshtein distance between two word sequences (unit costs).

    Common leading and trailing words are skipped; the rest is the O(n·m) dynamic
    programme, one row at a time over the shorter sequence (memory O(min(n, m))), each row
    computed with numpy: substitutions and deletions elementwise, insertions as a running
    minimum.
    """
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    a, b = a[start:end_a], b[start:end_b]
    if len(a) < len(b):
        a, b = b, a  # b is the shorter: the row
    if not b:
        return len(a)
    ids: dict[str, int] = {}
    row_words = np.fromiter((ids.setdefault(w, len(ids)) for w in b), np.int64, len(b))
    offsets = np.arange(len(b) + 1, dtype=np.int64)
    previous = offsets.copy()
    current = np.empty_like(previous)
    for i, word in enumerate(a, start=1):
        cost = (row_words != ids.get(word, -1)).astype(np.int64)
        current[0] = i
        np.minimum(previous[1:] + 1, previous[:-1] + cost, out=current[1:])
        # insertions: current[j] = min over k <= j of current[k] + (j - k)
        np.minimum.accumulate(current - offsets, out=current)
        current += offsets
        previous, current = current, previous
    return int(previous[-1])


def _rate(edits: int, words_ai: int) -> float:
    if words_ai:
        return edits / words_ai
    return 0.0 if edits == 0 else 1.0


def edit_rate(ai: Minutes, edited: Minutes) -> EditRate:
    """The word-level edit rate of ``edited`` against the AI draft ``ai``, per TOP (matched
    by number; a TOP missing from ``edited`` counts as deleted, one only in ``edited`` as
    written from nothing) and overall (all edits over all AI words)."""
    edited_items = {i.number: i for i in edited.items}
    ai_items = {i.number: i for i in ai.items}
    numbers = list(ai_items) + [n for n in edited_items if n not in ai_items]
    items = []
    for number in numbers:
        ai_item, edited_item = ai_items.get(number), edited_items.get(number)
        ai_words = words(item_text(ai_item, ai.speaker_names)) if ai_item else []
        edited_words = words(item_text(edited_item, edited.speaker_names)) if edited_item else []
        edits = word_edits(ai_words, edited_words)
        items.append(
            ItemEditRate(
                number, len(ai_words), len(edited_words), edits, _rate(edits, len(ai_words))
            )
        )
    total_words = sum(i.words_ai for i in items)
    total_edits = sum(i.edits for i in items)
    return EditRate(items, total_words, total_edits, _rate(total_edits, total_words))
