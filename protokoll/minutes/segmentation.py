"""Agenda segmentation: where each agenda item (TOP) starts and ends in the transcript.

Pure functions over sentences. A boundary is the sentence that announces an
item, found by three kinds of evidence, strongest first:

* an announcement with the item's number: "Ich rufe Tagesordnungspunkt 5
  auf", "Wir kommen zu Punkt drei", "TOP 4", "Tagesordnungspunkt 6.1" (matched
  loosely: Whisper writes "Tagesordnungspunkt" as "die Ordnungsgunkteins" or
  "Sortenungsgunk 4"; "Zeitpunkt", "Standpunkt" or "Genehmigung" are no
  announcement, nor is a reference such as "wie unter TOP 2 gesagt" or a
  deferral "TOP 5 wird abgesetzt");
* the item's title read out: the share of the title's content words that occur
  in the sentence (loosely, to survive recognition errors); a resolution or
  vote that repeats the title later is no announcement;
* "Wir kommen zum nächsten Punkt" after the item before it (method
  "reihenfolge").

Items may come in any order (items taken out of order are flagged), may not
occur at all (deferred or withdrawn before the session: flagged), and the
announcement of the non-public part opens the first non-public item. An item
ends where the next one starts, or at the closing of the session. A clerk's
corrections (`apply_corrections`) replace boundaries; ends follow from the starts.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from protokoll.domain.agenda import AgendaItem
from protokoll.domain.minutes import Boundary, Flag
from protokoll.minutes.numbers_de import parse_number
from protokoll.minutes.sentences import Sentence

# "Tagesordnungspunkt" as Whisper mangles it: the compound ends in punkt, gunkt, gunk,
# pungt, bunkt, and the part before it must look like "(Tages)ordnungs-" ...
_COMPOUND_ITEM_WORD = re.compile(r"(?P<prefix>[^\W\d_]+?)[pbg]un[kg]t?(?P<glued>\w*)")
_AGENDA_PREFIX = re.compile(r"ord|ort|nung|ungs|tages|tags")
# ... or the plain "Punkt" / "TOP" (glued to its number: "TOP4", "Punktdrei")
_PLAIN_ITEM_WORD = re.compile(r"(?P<word>pun[kg]t?|top|topp)(?P<glued>\w*)")
_WORD_ENDINGS = {"", "e", "en", "es", "s"}
_NUMBER_FILLERS = {"nummer", "nr", "no"}
_PART_PREFIXES = {"n", "ö", "nö", "o"}  # "N 1" non-public, "Ö 2" public numbering
_REFERENCE_WORDS = {
    "unter", "bei", "im", "in", "nach", "vor", "wie", "siehe", "aus", "seit", "um", "ab",
}  # fmt: skip
_DEFERRAL = re.compile(
    r"\b(abgesetzt|absetzen|vertagt|vertagen|verschoben|verschieben|gestrichen|entfällt|"
    r"entfallen|zurückgestellt|zurückgezogen)\b|\bvon der tagesordnung\b"
)
_CALL_CUE = re.compile(
    r"\b(rufe|rufen|aufrufen|aufgerufen|aufruf|kommen|komme|kommt|gehen|gehe|weiter|"
    r"nächste\w*|behandeln|beraten|übergehen|folgt|folgen|beginnen)\b"
    # the agenda word itself, misheard too ("Tagisordnung stumpft eins, Einwohner...")
    r"|\btag\w{0,3}ordnung\w*"
)
_NEXT_ITEM = re.compile(
    r"\bnächste[nr]?\s+(tagesordnungs|ordnungs)?pun[kg]t|\bnächsten?\s+top\b|"
    r"\b(kommen|komme|gehen|gehe)\b(\s+\w+){0,2}\s+zu(m)?\s+(dem\s+)?nächsten\b"
)
# a change of the agenda's order agreed at the opening ("Ich schlage vor, Punkt 6 vor
# Punkt 4 zu behandeln", "TOP 5 ziehen wir vor", "Die Punkte 3 und 4 tauschen wir"): it
# names the item but does not call it
_REORDER = re.compile(
    r"\bvorzuziehen\b|\bvorziehen\b|\bvorgezogen\b|\bziehen\b(?:\s+\w+){1,6}?\s+vor\b"
    r"|\b(?:vor|nach|hinter)\s+(?:den\s+|dem\s+)?(?:tagesordnungs\w*|punkt|top)\s*\w*\s+"
    r"(?:\w+\s+){0,2}?(?:zu\s+)?(?:behandeln|beraten|aufzurufen|aufrufen|nehmen|setzen|"
    r"verschieben|behandelt|beraten|genommen|gesetzt)\b"
    r"|\breihenfolge\b|\btauschen\b|\bgetauscht\b|\bumstell\w*|\bumgestellt\b"
    r"|\b(?:änderung|erweiterung)\s+der\s+tagesordnung\b"
)
# the chair calling an item now, even when it was moved ("Ich rufe jetzt den vorgezogenen
# Tagesordnungspunkt 6 auf")
_CALLED_NOW = re.compile(
    r"\brufe\b(?:\s+\w+){0,8}?\s+auf\b|\b(?:kommen|komme|gehen|gehe)\s+(?:\w+\s+)?"
    r"(?:jetzt|nun|damit|dann)\s+zu(?:m|r)?\b|\b(?:kommen|komme)\s+zu(?:m|r)?\b"
    r"|\b(?:ziehen|nehmen|behandeln)\s+wir\s+(?:\w+\s+)?(?:jetzt|nun)\b"
    r"|\bes\s+folgt\b|\bals\s+nächst\w*\s+(?:folgt|kommt|haben)\b"
    r"|\bweiter\s+geht\s+es\s+mit\b|\b(?:nun|jetzt|dann)\s+(?:weiter\s+)?mit\s+(?:dem|der)\b"
)
_REORDER_SCORE = 0.5  # below any call by number or title
# an item called by its title alone ("Wir kommen zu den Gebühren der Kindertagesstätten"):
# a call by the chair and half of the title, compound parts counted
_CALLED_TITLE_MIN = 0.5
_COMPOUND_PART_MIN = 6
_COMPOUND_PART_SHARE = 0.4  # "Kinder" is too little of "Kindertageseinrichtungen"

_VOTE_OR_RESOLUTION = re.compile(
    r"beschlie(ß|ss)t|beschlussvorschlag|\bstimm\w*\b.*\bzu\b|abstimm|gegenstimm|"
    r"enthaltung|\bbeschlossen\b|\bangenommen\b|\babgelehnt\b|\bgenehmigt\b"
)
_NON_PUBLIC = re.compile(
    # not "Beschlüsse aus/in nicht öffentlicher Sitzung" (a public item's title)
    r"(?<!\bin\s)(?<!\baus\s)(?<!\bder\s)"
    # Whisper glues and mangles it: "Nichtöffentlichen", "nicht offentlichen",
    # "Nichtwaffentlichen"; the public part's "öffentliche Sitzung" has no "nicht"
    r"nicht[\s-]*[^\W\d_]?[öoa]ffentlich\w*\s+(teil|sitzung|sitzungsteil|beratung|abschnitt)"
    # "Wir kommen zum nicht-werfindlichen Teil": the only part of a session named "nicht-…"
    r"|\bzum\s+nicht[\s-]+\w+\s+(teil|sitzungsteil|abschnitt)\b"
    r"|[öoa]ffentlichkeit\s+(ist\s+|wird\s+)?(\w+\s+)?ausgeschlossen"
    r"|ausschluss\s+der\s+[öoa]ffentlichkeit",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"schlie(ß|ss)e\s+(ich\s+)?((hiermit|damit|nun|jetzt)\s+)*(die|diese|unsere)\s+"
    r"((heutige|nicht[\s-]*[öo]ffentliche)\s+)?sitzung"
    r"|beende\s+(ich\s+)?((hiermit|damit|nun|jetzt)\s+)*(die|diese|unsere)\s+"
    r"((heutige|nicht[\s-]*[öo]ffentliche)\s+)?sitzung"
    r"|sitzung\s+(ist\s+)?((hiermit|damit|nun|jetzt)\s+)*"
    r"(geschlossen|beendet)",
    re.IGNORECASE,
)
_STOPWORDS = {
    "der", "die", "das", "den", "dem", "des", "ein", "eine", "einer", "eines", "und", "oder",
    "am", "im", "in", "an", "auf", "zu", "zur", "zum", "vom", "von", "mit", "für", "über",
    "bei", "aus", "nach", "sitzung", "antrag", "vorlage", "fraktion", "sowie", "gegen",
    "durch", "hier", "dieser", "diese", "dieses",
}  # fmt: skip

TITLE_MATCH_MIN = 0.6  # share of title words that must be heard
NUMBERED_TITLE_MIN = 0.3  # share that makes a numbered announcement a certain one
WORD_SIMILARITY_MIN = 0.8
_TIE = 0.25  # candidates this close in score: the earliest wins
_CHAIR_BONUS = 0.3  # an announcement by the speaker who announces most items
_LISTING_MIN = 3  # items named at once: the agenda read out, no call
_TITLE_FOLLOWS_SENTENCES = 2  # the title may be read out this many sentences after the call
_MAX_ITEM_NUMBER = 999


@dataclass(frozen=True)
class ItemSpan:
    number: str
    start_s: float | None
    end_s: float | None
    boundary: Boundary | None
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True)
class Segmentation:
    spans: list[ItemSpan]
    non_public_from_s: float | None
    closing_s: float | None


# ---- words ---------------------------------------------------------------------------


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^\w\s/]", " ", text)


def _tokens(text: str) -> list[str]:
    """Lower-case words and numbers; "3.1" stays one token, "15." loses its dot."""
    text = unicodedata.normalize("NFKC", text).lower()
    return re.findall(r"\d+(?:\.\d+)?|[^\W_]+", text)


def _content_words(title: str) -> list[str]:
    words = [w for w in _normalize(title).split() if len(w) >= 4 or w.isdigit()]
    return list(dict.fromkeys(w for w in words if w not in _STOPWORDS))


@lru_cache(maxsize=200_000)
def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    if a.isdigit() or b.isdigit():
        return False  # "30" is not "300"
    la, lb = len(a), len(b)
    if 2 * min(la, lb) / (la + lb) < WORD_SIMILARITY_MIN:
        return False
    matcher = SequenceMatcher(None, a, b)
    return matcher.quick_ratio() >= WORD_SIMILARITY_MIN and matcher.ratio() >= WORD_SIMILARITY_MIN


def _coverage(wanted: Sequence[str], heard: set[str]) -> float:
    if not wanted:
        return 0.0
    found = sum(1 for w in wanted if w in heard or any(_similar(w, h) for h in heard))
    return found / len(wanted)


def title_coverage(title: str, text: str) -> float:
    """Share of the title's content words heard in `text` (loosely matched)."""
    return _coverage(_content_words(title), set(_normalize(text).split()))


class _Vocabulary:
    """For each title word, the words of the transcript it is similar to (computed once)."""

    def __init__(self, words: Sequence[set[str]]) -> None:
        self.by_length: dict[int, list[str]] = {}
        for word in set().union(*words) if words else set():
            self.by_length.setdefault(len(word), []).append(word)
        self.similar: dict[str, frozenset[str]] = {}

    def _near(self, wanted: str) -> frozenset[str]:
        if wanted.isdigit():
            return frozenset({wanted})  # "30" is not "300"
        matcher = SequenceMatcher(None)
        matcher.set_seq2(wanted)  # the b side is analysed once per title word
        n = len(wanted)
        near = {wanted}
        # 2 * min / (a + b) >= 0.8 holds only for lengths within 2/3 and 3/2 of each other
        for length in range(math.ceil(n * 2 / 3), math.floor(n * 3 / 2) + 1):
            for word in self.by_length.get(length, ()):
                if word.isdigit():
                    continue
                matcher.set_seq1(word)
                if (
                    matcher.quick_ratio() >= WORD_SIMILARITY_MIN
                    and matcher.ratio() >= WORD_SIMILARITY_MIN
                ):
                    near.add(word)
        return frozenset(near)

    def coverage(self, wanted: Sequence[str], heard: set[str]) -> float:
        if not wanted:
            return 0.0
        found = 0
        for w in wanted:
            near = self.similar.get(w)
            if near is None:
                near = self.similar[w] = self._near(w)
            if not near.isdisjoint(heard):
                found += 1
        return found / len(wanted)


# ---- announcements -------------------------------------------------------------------


def _item_word(token: str) -> tuple[bool, str] | None:
    """(strong, glued rest) if the token is "Punkt", "TOP" or a "Tagesordnungspunkt"."""
    plain = _PLAIN_ITEM_WORD.fullmatch(token)
    if plain and (plain.group("glued") in _WORD_ENDINGS or _number_token(plain.group("glued"))):
        return plain.group("word").startswith("top"), plain.group("glued")
    compound = _COMPOUND_ITEM_WORD.fullmatch(token)
    if compound and _AGENDA_PREFIX.search(compound.group("prefix")):
        return True, compound.group("glued")
    return None


def _number_token(token: str) -> tuple[int, int | None] | None:
    if re.fullmatch(r"\d+\.\d+", token):
        main, sub = token.split(".")
        return int(main), int(sub)
    value = parse_number(token)
    if value is None or not 0 < value <= _MAX_ITEM_NUMBER:
        return None
    return value, None


@dataclass(frozen=True)
class _Announcement:
    main: int
    sub: int | None
    strong: bool
    prefix: str = ""


def _announcements(text: str, *, with_deferrals: bool = False) -> list[_Announcement]:
    """Item numbers announced in a sentence, clause by clause (a clause that defers or
    drops its item is no announcement, unless `with_deferrals`)."""
    out: list[_Announcement] = []
    for clause in re.split(r"[,;:!?()]|\.(?!\d)|\s[-–]\s", text):
        tokens = _tokens(clause)
        if not tokens or (not with_deferrals and _DEFERRAL.search(" ".join(tokens))):
            continue
        i = 0
        while i < len(tokens):
            word = _item_word(tokens[i])
            if word is None or _is_reference(tokens, i):
                i += 1
                continue
            strong, glued = word
            found: tuple[int, int | None] | None = None
            prefix = ""
            j = i + 1
            if glued:
                found = _number_token(glued)
            # "zum dritten Tagesordnungspunkt", "den zweiten Punkt der Tagesordnung"
            before = _ordinal(tokens[i - 1]) if i > 0 else None
            agenda_follows = tokens[i + 1 : i + 3] == ["der", "tagesordnung"]
            if found is None and before is not None and (strong or agenda_follows):
                out.append(_Announcement(before, None, True))
                i += 1
                continue
            while found is None and j < len(tokens) and j <= i + 2:
                if tokens[j] in _NUMBER_FILLERS or tokens[j] in _PART_PREFIXES:
                    prefix = tokens[j] if tokens[j] in _PART_PREFIXES else prefix
                    j += 1
                    continue
                found = _number_token(tokens[j])
                j += 1
                break
            if found is None:
                i += 1
                continue
            main, sub = found
            # "Tagesordnungspunkt drei Punkt eins"
            if sub is None and j + 1 < len(tokens) and _PLAIN_ITEM_WORD.fullmatch(tokens[j]):
                subpart = _number_token(tokens[j + 1])
                if subpart is not None and subpart[1] is None:
                    sub = subpart[0]
                    j += 2
            out.append(_Announcement(main, sub, strong, prefix))
            i = max(j, i + 1)
    return out


_ORDINALS = {
    "erst": 1, "zweit": 2, "dritt": 3, "viert": 4, "fünft": 5, "sechst": 6, "siebt": 7,
    "siebent": 7, "acht": 8, "neunt": 9, "zehnt": 10, "elft": 11, "zwölft": 12,
}  # fmt: skip


def _ordinal(token: str) -> int | None:
    """'dritten' -> 3, 'zwölfte' -> 12, 'einundzwanzigsten' -> 21; else None."""
    stem = re.sub(r"(e|en|er|es|em)$", "", token)
    if stem in _ORDINALS:
        return _ORDINALS[stem]
    if stem.endswith("zehnt"):
        return parse_number(stem[:-1])
    if stem.endswith(("zigst", "ßigst", "ssigst")):
        return parse_number(stem[:-2])
    return None


def _is_reference(tokens: Sequence[str], i: int) -> bool:
    """'wie unter TOP 2', 'bei Tagesordnungspunkt 5' refer back; 'wir sind jetzt bei
    Tagesordnungspunkt 5' announces."""
    if i == 0 or tokens[i - 1] not in _REFERENCE_WORDS:
        return False
    return not (tokens[i - 1] in ("bei", "im") and i > 1 and tokens[i - 2] in _WE_ARE_AT)


_WE_ARE_AT = {"sind", "jetzt", "nun", "schon", "damit", "dann", "also"}


def announced_numbers(text: str) -> list[int]:
    """Item numbers announced in a sentence: 'Tagesordnungspunkt 3', 'Punkt zwei', 'TOP 4'."""
    return [a.main for a in _announcements(text)]


def _item_number(number: str) -> tuple[int, int | None, str] | None:
    """'3' -> (3, None, ''), '6.1' -> (6, 1, ''), 'Ö 2' -> (2, None, 'ö'), 'N1' -> (1, None, 'n')
    (the letters of a public/non-public numbering are kept)."""
    match = re.search(r"(\d+)(?:\.(\d+))?", number)
    if not match:
        return None
    letters = re.sub(r"[^\w]|\d|_", "", number[: match.start()].lower())
    prefix = letters if letters in _PART_PREFIXES else ""
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None, prefix


# ---- finding the starts --------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    score: float
    sentence: Sentence
    method: str


def _candidates(
    item: AgendaItem,
    sentences: Sequence[Sentence],
    words: Sequence[set[str]],
    announcements: Sequence[list[_Announcement]],
    vocabulary: _Vocabulary,
    chair: str | None,
) -> list[_Candidate]:
    number = _item_number(item.number)
    wanted = _content_words(item.title)
    serial = _paper_serial(item.paper)
    out: list[_Candidate] = []
    for k, sentence in enumerate(sentences):
        text = sentence.text.lower()
        cue = 0.5 if _CALL_CUE.search(text) else 0.0
        numbered = 0.0
        strong = False
        if number is not None:
            for a in announcements[k]:
                if a.main != number[0]:
                    continue
                if a.sub == number[1]:
                    value = 2.0
                elif a.sub is None or number[1] is None:
                    value = 1.5  # "TOP 6" for item 6.1 or the reverse
                else:
                    continue
                if a.prefix != number[2]:
                    value -= 0.6  # "Punkt 1" for item "N 1", "Punkt N 1" for item "1"
                numbered = max(numbered, value)
                strong = strong or a.strong
        coverage = vocabulary.coverage(wanted, words[k])
        if serial and _PAPER_SAID.search(text) and serial in _digit_groups(text):
            # its paper read out ("Vorlage 2026/218", heard "Vorlage 2006-202-218"): as good
            # as most of the title
            coverage = max(coverage, TITLE_MATCH_MIN + 0.2)
        if numbered and number is not None:
            # the title often follows the call: "Ich rufe TOP 2 auf. Es geht um die ..."
            heard = set(words[k])
            for p in range(k + 1, min(k + 1 + _TITLE_FOLLOWS_SENTENCES, len(sentences))):
                nxt = sentences[p]
                if (
                    nxt.speaker != sentence.speaker
                    or nxt.start_s - sentence.end_s > 20.0
                    or any(a.main != number[0] for a in announcements[p])
                ):
                    break
                heard |= words[p]
            coverage = max(coverage, vocabulary.coverage(wanted, heard))
        if numbered:
            score = numbered + max(cue, 0.5 if strong else 0.0)
            if chair is not None and sentence.speaker == chair:
                score += _CHAIR_BONUS
            if coverage >= NUMBERED_TITLE_MIN:
                score += 1.0 + coverage
            if _REORDER.search(text) and not _CALLED_NOW.search(text):
                score = _REORDER_SCORE  # a fallback only: the real call comes later
            out.append(_Candidate(score, sentence, "ankündigung"))
        elif _VOTE_OR_RESOLUTION.search(text):
            continue
        elif coverage >= TITLE_MATCH_MIN:
            if len(wanted) < 2 and not cue:
                continue  # "Mitteilungen", "Anfragen": only when called
            out.append(_Candidate(1.0 + coverage + cue, sentence, "titel"))
        elif (
            len(wanted) >= 2
            and (chair is None or sentence.speaker == chair)
            and _CALLED_NOW.search(text)
            and not _REORDER.search(text)
        ):
            loose = compound_coverage(wanted, words[k])
            if loose >= _CALLED_TITLE_MIN:
                out.append(_Candidate(1.0 + loose, sentence, "titel"))
    return out


def _compound_part(wanted: str, heard: str) -> bool:
    """One word is a part of the other German compound ("Gebühren" of
    "Gebührensatzung", "Radwegekonzept" of "Radwegekonzepts"), with at least
    `_COMPOUND_PART_MIN` letters and 40 % of the longer word in common."""
    if wanted.isdigit() or heard.isdigit():
        return wanted == heard
    short, long_ = sorted((wanted, heard), key=len)
    return len(short) >= max(_COMPOUND_PART_MIN, _COMPOUND_PART_SHARE * len(long_)) and (
        long_.startswith(short) or long_.endswith(short)
    )


def compound_coverage(wanted: Sequence[str], heard: set[str]) -> float:
    """Share of title words heard, loosely or as a part of a compound."""
    if not wanted:
        return 0.0
    found = sum(
        1
        for w in wanted
        if w in heard or any(_similar(w, h) or _compound_part(w, h) for h in heard)
    )
    return found / len(wanted)


_PAPER_SAID = re.compile(r"\b(vorlage|antrag|drucksache|beschlussvorlage)\b")


def _paper_serial(paper: str) -> str | None:
    """The distinctive part of a paper reference: "218" of "Vorlage 2026/218 N" (at least
    three digits, so that a count or a year's tail does not match by chance)."""
    match = re.search(r"/\s*(\d{3,})\b", paper)
    return (match.group(1).lstrip("0") or "0") if match else None


def _digit_groups(text: str) -> set[str]:
    return {g.lstrip("0") or "0" for g in re.findall(r"\d+", text)}


def _preference(candidates: Sequence[_Candidate]) -> list[_Candidate]:
    """Best first; candidates within `_TIE` of each other: the earliest first."""
    ranked: list[_Candidate] = []
    rest = sorted(candidates, key=lambda c: (-c.score, c.sentence.start_s))
    while rest:
        top = rest[0].score
        band = sorted((c for c in rest if c.score >= top - _TIE), key=lambda c: c.sentence.start_s)
        ranked += band
        rest = [c for c in rest if c.score < top - _TIE]
    return ranked


def _agenda_listing(
    sentences: Sequence[Sentence], announcements: Sequence[list[_Announcement]]
) -> set[int]:
    """Sentences that read out the agenda rather than call an item: one sentence naming
    three or more items, or three or more announcing sentences in a row by one speaker
    with nothing said between them."""
    listing: set[int] = set()
    for k, found in enumerate(announcements):
        if len({(a.main, a.sub) for a in found}) >= _LISTING_MIN:
            listing.add(k)

    def close(run: list[int]) -> None:
        named = {(a.main, a.sub) for k in run for a in announcements[k]}
        if len(run) >= _LISTING_MIN and len(named) >= _LISTING_MIN:
            listing.update(run)

    run: list[int] = []
    for k, found in enumerate(announcements):
        if found and run and sentences[k].speaker == sentences[run[-1]].speaker:
            run.append(k)
        else:
            close(run)
            run = [k] if found else []
    close(run)
    return listing


def _main_announcer(
    sentences: Sequence[Sentence], announcements: Sequence[list[_Announcement]]
) -> str | None:
    """The speaker who announces most items (the chair), if there is one such speaker."""
    counts = Counter(s.speaker for s, a in zip(sentences, announcements, strict=True) if a)
    ranked = [(speaker, n) for speaker, n in counts.most_common(2) if speaker is not None]
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def find_boundaries(sentences: Sequence[Sentence], items: Sequence[AgendaItem]) -> Segmentation:
    """Find each item's start; ends follow from the next start or the session's close."""
    words = [set(_normalize(s.text).split()) for s in sentences]
    announcements = [_announcements(s.text) for s in sentences]
    for k in _agenda_listing(sentences, announcements):
        announcements[k] = []
        words[k] = set()  # nor is the title read out there an announcement
    vocabulary = _Vocabulary(words)
    chair = _main_announcer(sentences, announcements)
    preferred = {
        item.number: _preference(
            _candidates(item, sentences, words, announcements, vocabulary, chair)
        )
        for item in items
    }
    starts: dict[str, Boundary] = {}
    used: set[int] = set()
    # the item with the strongest evidence chooses first
    order = sorted(
        (item for item in items if preferred[item.number]),
        key=lambda item: -preferred[item.number][0].score,
    )
    for item in order:
        choice = next((c for c in preferred[item.number] if c.sentence.index not in used), None)
        if choice is not None:
            used.add(choice.sentence.index)
            starts[item.number] = Boundary(
                choice.sentence.start_s, choice.method, choice.sentence.evidence()
            )
    _next_item_starts(items, sentences, starts, used)
    return _segmentation(items, starts, sentences)


def _next_item_starts(
    items: Sequence[AgendaItem],
    sentences: Sequence[Sentence],
    starts: dict[str, Boundary],
    used: set[int],
) -> None:
    """'Wir kommen zum nächsten Punkt' after the item before, for items not found otherwise."""
    for prev, item in itertools.pairwise(items):
        if item.number in starts or prev.number not in starts:
            continue
        begin = starts[prev.number].start_s
        later = [b.start_s for b in starts.values() if b.start_s > begin]
        until = min(later) if later else math.inf
        for sentence in sentences:
            if (
                begin < sentence.start_s < until
                and sentence.index not in used
                and _NEXT_ITEM.search(sentence.text.lower())
            ):
                used.add(sentence.index)
                starts[item.number] = Boundary(sentence.start_s, "reihenfolge", sentence.evidence())
                break


# ---- spans ---------------------------------------------------------------------------


def _is_public_part_only(text: str) -> bool:
    """ "Ich schließe die öffentliche Sitzung": the session goes on in private."""
    return bool(
        re.search(r"(?<!nicht )(?<!nicht-)(?<!nicht)[öo]ffentlichen?\s+(sitzung|teil)", text)
    )


def _closing(sentences: Sequence[Sentence], starts: Mapping[str, Boundary]) -> Sentence | None:
    """The last closing of the session after the last item's start."""
    last_start = max((b.start_s for b in starts.values()), default=-math.inf)
    found = [
        s
        for s in sentences
        if s.start_s > last_start
        and _CLOSING.search(s.text)
        and not _is_public_part_only(s.text.lower())
    ]
    return found[-1] if found else None


def _non_public_announcement(
    items: Sequence[AgendaItem], starts: Mapping[str, Boundary], sentences: Sequence[Sentence]
) -> Sentence | None:
    """The sentence that opens the non-public part (not a mention at the opening)."""
    candidates = [s for s in sentences if _NON_PUBLIC.search(s.text)]
    if not candidates:
        return None
    public_of = {item.number: item.public for item in items}
    non_public = [b.start_s for n, b in starts.items() if not public_of.get(n, True)]
    if not non_public:
        last = max((b.start_s for b in starts.values()), default=-math.inf)
        return next((s for s in candidates if s.start_s >= last), None)
    first = min(non_public)
    earlier = [b.start_s for b in starts.values() if b.start_s < first]
    after = max(earlier, default=-math.inf)
    window = [s for s in candidates if after < s.start_s <= first]
    if window:
        return window[0]
    # announced after the item was called; a mention before the public items (at the
    # opening: "heute mit einem nicht öffentlichen Teil") opens nothing
    return next((s for s in candidates if s.start_s > first), None)


def _open_non_public_part(
    items: Sequence[AgendaItem], starts: Mapping[str, Boundary], non_public: Sentence
) -> dict[str, Boundary]:
    """The first non-public item starts where the non-public part is announced.

    What is said between "Wir kommen zum nicht öffentlichen Teil" and the call of
    the first non-public item must not end up in the public item before it.
    """
    adjusted = dict(starts)
    public_of = {item.number: item.public for item in items}
    non_public_starts = sorted(
        (b.start_s, n) for n, b in starts.items() if not public_of.get(n, True)
    )
    if not non_public_starts:
        return adjusted
    first_start, first = non_public_starts[0]
    if first_start < non_public.start_s or starts[first].method == "manuell":
        return adjusted
    between = [
        n for n, b in starts.items() if n != first and non_public.start_s <= b.start_s < first_start
    ]
    if not between:
        adjusted[first] = Boundary(non_public.start_s, starts[first].method, starts[first].evidence)
    return adjusted


def _out_of_order(items: Sequence[AgendaItem], starts: Mapping[str, Boundary]) -> set[str]:
    """Items outside the longest run that keeps the agenda's order."""
    position = {item.number: pos for pos, item in enumerate(items)}
    timeline = sorted(
        (n for n in starts if n in position), key=lambda n: (starts[n].start_s, position[n])
    )
    pos = [position[n] for n in timeline]
    length = [1] * len(pos)
    for i in range(len(pos)):
        for j in range(i):
            if pos[j] < pos[i] and length[j] + 1 > length[i]:
                length[i] = length[j] + 1
    keep: set[int] = set()
    if pos:
        i = max(range(len(pos)), key=lambda k: (length[k], k))
        keep.add(i)
        while length[i] > 1:
            i = max(j for j in range(i) if pos[j] < pos[i] and length[j] == length[i] - 1)
            keep.add(i)
    return {n for k, n in enumerate(timeline) if k not in keep}


def _segmentation(
    items: Sequence[AgendaItem], starts: Mapping[str, Boundary], sentences: Sequence[Sentence]
) -> Segmentation:
    known = {item.number for item in items}
    starts = {n: b for n, b in starts.items() if n in known}
    non_public = _non_public_announcement(items, starts, sentences)
    if non_public is not None:
        starts = _open_non_public_part(items, starts, non_public)
    closing = _closing(sentences, starts)
    end_of_session = closing.start_s if closing else (sentences[-1].end_s if sentences else None)
    ordered = sorted(starts.items(), key=lambda kv: kv[1].start_s)
    ends: dict[str, float | None] = {}
    for k, (number, found) in enumerate(ordered):
        end = ordered[k + 1][1].start_s if k + 1 < len(ordered) else end_of_session
        ends[number] = max(end, found.start_s) if end is not None else None
    if non_public is not None:
        # nothing said after the exclusion of the public belongs to a public item,
        # even when the first non-public item's call was not recognised
        # (a clerk's manual start of the next item is the authority and stays)
        public = {item.number for item in items if item.public}
        manual = {b.start_s for b in starts.values() if b.method == "manuell"}
        for number, found in starts.items():
            end = ends.get(number)
            if (
                number in public
                and found.start_s < non_public.start_s
                and end is not None
                and end not in manual
            ):
                ends[number] = min(end, non_public.start_s)
    moved = _out_of_order(items, starts)
    spans: list[ItemSpan] = []
    for item in items:
        boundary = starts.get(item.number)
        if boundary is None:
            flag = Flag(
                "top_nicht_gefunden",
                f"Der Beginn von TOP {item.number} wurde im Mitschnitt nicht gefunden "
                "(vertagt, abgesetzt oder nicht aufgerufen?). Bitte Grenzen prüfen.",
            )
            spans.append(ItemSpan(item.number, None, None, None, (flag,)))
            continue
        flags = _span_flags(item, boundary, item.number in moved, non_public)
        spans.append(
            ItemSpan(item.number, boundary.start_s, ends[item.number], boundary, tuple(flags))
        )
    return Segmentation(
        spans=spans,
        non_public_from_s=non_public.start_s if non_public else None,
        closing_s=closing.start_s if closing else None,
    )


def _span_flags(
    item: AgendaItem, boundary: Boundary, moved: bool, non_public: Sentence | None
) -> list[Flag]:
    flags: list[Flag] = []
    if boundary.method == "titel":
        flags.append(
            Flag(
                "grenze_unsicher",
                f"TOP {item.number} wurde nur am vorgelesenen Titel erkannt, nicht an "
                "einer Ankündigung mit Nummer. Bitte Beginn prüfen.",
                boundary.start_s,
            )
        )
    elif boundary.method == "reihenfolge":
        flags.append(
            Flag(
                "grenze_unsicher",
                f"TOP {item.number} wurde nur als „nächster Punkt“ nach dem vorigen TOP "
                "erkannt, ohne Nummer oder Titel. Bitte Beginn prüfen.",
                boundary.start_s,
            )
        )
    if moved:
        flags.append(
            Flag(
                "reihenfolge",
                f"TOP {item.number} wurde außerhalb der Reihenfolge der Tagesordnung behandelt.",
                boundary.start_s,
            )
        )
    if non_public is not None:
        if not item.public and boundary.start_s < non_public.start_s:
            flags.append(
                Flag(
                    "nichtoeffentlich_vorher",
                    f"TOP {item.number} ist nicht öffentlich, beginnt aber vor der "
                    "Ankündigung des nicht öffentlichen Teils. Bitte prüfen.",
                    boundary.start_s,
                )
            )
        if item.public and boundary.start_s > non_public.start_s:
            flags.append(
                Flag(
                    "oeffentlich_nachher",
                    f"TOP {item.number} ist öffentlich, wird aber nach der Ankündigung des "
                    "nicht öffentlichen Teils behandelt. Wurde die Öffentlichkeit "
                    "wiederhergestellt? Bitte prüfen.",
                    boundary.start_s,
                )
            )
    return flags


def apply_corrections(
    segmentation: Segmentation,
    items: Sequence[AgendaItem],
    sentences: Sequence[Sentence],
    corrected_starts: Mapping[str, float],
) -> Segmentation:
    """A clerk's corrected start times replace the found ones; the ends follow.

    Numbers that are not on the agenda are ignored.
    """
    starts: dict[str, Boundary] = {}
    for span in segmentation.spans:
        if span.boundary is not None:
            starts[span.number] = span.boundary
    known = {item.number for item in items}
    for number, start_s in corrected_starts.items():
        if number in known:
            starts[number] = Boundary(float(start_s), "manuell", None)
    return _segmentation(items, starts, sentences)


def is_procedural(text: str) -> bool:
    """Procedure rather than debate: the exclusion of the public, the closing."""
    return bool(_NON_PUBLIC.search(text) or _CLOSING.search(text))


def sentences_in(span: ItemSpan, sentences: Sequence[Sentence]) -> list[Sentence]:
    """The sentences that belong to an item (by start time)."""
    if span.start_s is None:
        return []
    end = span.end_s if span.end_s is not None else math.inf
    return [s for s in sentences if span.start_s <= s.start_s < end]


# an item taken off the agenda in words the strict rules of `votes.dropped_items` cannot
# read ("Tage Sortenungspunkte 7, Änderung der Friedhofsgebührensatzung, wird von der
# Tage Sortenung abgesetzt"): its number read as loosely as a call's, or its title
_DROP_WORDS = re.compile(
    r"\b(?:abgesetzt|absetzen|abzusetzen|gestrichen)\b"
    r"|\bvon\s+der\s+\w+(?:\s+\w+)?\s+(?:genommen|gestrichen|nehmen|abgesetzt)\b"
)
_DROPPED_TITLE_MIN = 0.5


def dropped_at_opening(
    sentences: Sequence[Sentence], items: Sequence[AgendaItem], spans: Sequence[ItemSpan]
) -> dict[str, Sentence]:
    """Items dropped in a sentence said before the first item was called by its number:
    the one item whose number that sentence announces, or else the one whose title it
    covers best. An item counts if it has no start or its start is that very sentence
    (its number or title there taken for a call)."""
    drops = [s for s in sentences if _DROP_WORDS.search(_normalize(s.text))]
    drop_starts = {s.start_s for s in drops}
    called = [
        s.start_s
        for s in spans
        if s.boundary is not None
        and s.boundary.method == "ankündigung"
        and s.start_s is not None
        and s.start_s not in drop_starts
    ]
    first = min(called, default=math.inf)
    out: dict[str, Sentence] = {}
    for sentence in drops:
        if sentence.start_s >= first:
            break
        open_items = [
            i
            for i, s in zip(items, spans, strict=True)
            if i.number not in out and (s.start_s is None or s.start_s == sentence.start_s)
        ]
        said = {(a.main, a.sub) for a in _announcements(sentence.text, with_deferrals=True)}
        by_number = [
            i for i in open_items if (n := _item_number(i.number)) and (n[0], n[1]) in said
        ]
        if len(by_number) == 1:
            out[by_number[0].number] = sentence
            continue
        heard = set(_normalize(sentence.text).split())
        scored = [
            (compound_coverage(_content_words(i.title), heard), i.number)
            for i in open_items
            if len(_content_words(i.title)) >= 2
        ]
        best = max(scored, default=(0.0, ""))
        if best[0] >= _DROPPED_TITLE_MIN and [c for c, _ in scored].count(best[0]) == 1:
            out[best[1]] = sentence
    return out
