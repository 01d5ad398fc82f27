"""Votes, results, resolutions and motions from what was said, by rules.

Pure functions over an item's sentences. Counts come only from words that
were said: "Das sind 14 Ja-Stimmen. Gegenstimmen? 3. Enthaltungen? Keine."
gives yes 14, no 3, abstain 0; a count nobody said stays `None` and is
flagged. Keywords are matched loosely because the recogniser mangles them
("14-Jährstimmen", "mirheitlich").

A number is a count only where it stands for one: right before a category
("14 Ja-Stimmen", "zwei Befangene", "keine Enthaltungen") or as the answer to
one ("Gegenstimmen? 3.", "dafür: 10, dagegen: 2"), also in the next sentence.
Numbers that belong to something else ("Tempo 30", "1,8 Millionen", "2026",
"60 Prozent", "3 Varianten") are not counts. When an item has several votes
(an amendment, then the proposal), the counts of the last vote are taken.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from protokoll.domain.minutes import Evidence, Flag, Votes, counts_not_said
from protokoll.minutes.numbers_de import parse_number
from protokoll.minutes.phonetic import sounds_like
from protokoll.minutes.sentences import Sentence

YES, NO, ABSTAIN, BIASED = "yes", "no", "abstain", "biased"
_CATEGORY_WORDS = {
    YES: ("jastimmen", "jastimme", "dafür", "zustimmungen"),
    # "Gegenprobe?" is how many chairs ask for the votes against
    NO: ("gegenstimmen", "gegenstimme", "dagegen", "neinstimmen", "neinstimme", "gegenprobe"),
    ABSTAIN: ("enthaltungen", "enthaltung", "stimmenthaltungen", "stimmenthaltung"),
    BIASED: ("befangen", "befangenheit", "befangene", "befangener"),
}
# words that look like a keyword but are none ("Erhaltung" of a building)
_NOT_KEYWORDS = frozenset(
    {
        "erhaltung", "erhaltungen", "unterhaltung", "unterhaltungen", "haltung", "haltungen",
        "zustimmung", "abstimmung", "abstimmungen", "bestimmungen", "stimmungen", "gefangen",
        "gefangene", "einhaltung", "einhaltungen", "beinhaltung", "zustimmen", "zustimmt",
        "zustimmte", "zustimmend", "enthalten", "erhalten", "gefangener", "gefangenen",
        "gefangenheit", "entlastung", "entlastungen", "entfaltung", "entfaltungen",
    }
)  # fmt: skip
_ZERO_WORDS = {"keine", "kein", "keiner", "keinen", "niemand", "null"}
_ZERO_PHRASES = (
    "das ist nicht der fall", "ist nicht der fall", "nicht der fall", "sehe ich nicht",
    "sehe ich keine", "sehe ich keinen", "sehe keine", "sehe keinen", "gibt es nicht",
    "gibt es keine",
)  # fmt: skip
# words that may stand between a number and the category it counts ("10 Stimmen dafür")
_POST_FILLERS = {"stimmen", "stimme", "weitere", "weiteren"}
# words that may stand right before a count ("das sind 14")
_PRE_FILLERS = {
    "sind", "das", "es", "waren", "war", "also", "dann", "insgesamt", "genau", "mit", "bei",
    "zähle", "sehe", "habe", "haben", "wir", "ich", "nur", "noch", "gibt", "ist", "und",
    "macht", "ergibt", "zusammen", "davon", "sowie", "einmal", "hier", "auch", "da",
    "alle", "ebenfalls",
}  # fmt: skip
# words that may follow a count that answers a question ("alle 13 stimmberechtigten")
_ANSWER_TAIL = {"stimmberechtigten", "anwesenden", "mitglieder", "ratsmitglieder", "hände"}
_MAX_COUNT = 200
_KEYWORD_SIMILARITY = 0.78
_PENDING_WORDS = 14  # a question waits this many words for its answer
_PENDING_SENTENCES = 2  # ... and at most this many sentences on

_DECISION = re.compile(
    r"\b(beschlossen|genehmigt|angenommen|gefasst|abgelehnt|zugestimmt|einstimmig|"
    r"m\w{0,2}rheitlich|vertagt|zurückgezogen|zurückgenommen)\b"
)
_RESOLUTION_BODY = (
    r"(?:[\w-]+\s+und\s+)?[\w-]*(?:rat|ausschuss|kreistag|gemeindevertretung|"
    r"versammlung|bezirksvertretung|beirat|vertretung)"
)
_RESOLUTION = re.compile(
    r"\b(der|die|das)\s+" + _RESOLUTION_BODY + r"(?:\s+(?!beschlie)[\w-]+){0,4}?\s+"
    r"beschlie(ß|ss)t\b",
    re.IGNORECASE,
)
_RESOLUTION_GOES_ON = re.compile(
    r"\b(beauftragt|ermächtigt|gebeten|bereitgestellt|bereitzustellen|veranlassen|"
    r"beschlie(ß|ss)t|festgesetzt|festgestellt|zur verfügung gestellt)\b",
    re.IGNORECASE,
)
_VOTE_CUE = re.compile(
    r"\b(wer\s+(ist|stimmt)|wäre\s+(ist|stimmt)|gegenstimm\w*|enthaltung\w*|enthält|"
    r"handzeichen|abstimm\w*|zustimm\w*|stimmt\b.*\bzu\b|dafür|dagegen)",
    re.IGNORECASE,
)
# the chair taking a vote (not "dafür" in a speech, not "namentliche Abstimmung" moved)
_VOTE_TAKING = re.compile(
    r"\b(wer|wir|wäre)\s+(ist|stimmt|sind)\b|gegenstimm|enthaltung|handzeichen"
    r"|\bstimmen\s+(wir\s+)?(jetzt\s+|nun\s+)?(darüber\s+)?ab\b|\blasse\s+(\w+\s+){0,3}abstimmen\b",
    re.IGNORECASE,
)
# the chair opening a (further) vote, not restating one
_NEW_VOTE = re.compile(
    r"\b(wer|wäre|wär)\s+(ist|stimmt)\b|handzeichen|\blasse\s+(\w+\s+){0,3}abstimmen\b"
    r"|\bstimmen\s+(wir\s+)?(jetzt\s+|nun\s+)?(darüber\s+)?ab\b",
    re.IGNORECASE,
)
_RESOLUTION_LEAD_IN = re.compile(r"(^|[:„\"–-]|\bbeschluss\w*|\blese\w*|\blautet|\bvor)\s*$", re.I)
_MOTION = re.compile(
    r"\b(wir|ich)\s+(\w+\s+){0,2}?(be)?antrag(e|en)\b"
    r"|\b(be)?antrag(e|en)\s+(ich|wir)\b"
    r"|\bfraktion\s+(\w+\s+)?(be)?antragt\b"
    r"|\bantrag\s+(auf|zur geschäftsordnung)\b"
    r"|\bstelle(n)?\s+(hiermit\s+)?(den|einen)\s+(\w+)?antrag\b"
    r"|\b(änderungs|ergänzungs|geschäftsordnungs)antrag\b",
    re.IGNORECASE,
)
# a vote category said in plain words (a summary "12 Ja-Stimmen, 2 dagegen")
_CATEGORY_SAID = re.compile(
    r"\b(?:ja|nein|gegen)stimm\w*|\benth[aä]lt\w*|\bbefangen\w*|\bdafür\b|\bdagegen\b"
    r"|\bgegenprobe\b"
)
_DECISION_WORDS = re.compile(r"\b(angenommen|abgelehnt|beschlossen|gefasst|genehmigt)\b", re.I)


# ---- words ---------------------------------------------------------------------------


# "befangen" heard as the real word "gefangen": read as "befangen" only where nothing but a
# Befangenheit can be meant (a declaration, the chair's question, a count of members)
_MISHEARD_BIAS = (
    (re.compile(r"\b(für|sich|ist|bin|sind|sei|war|waren|als|wegen)(\s*)gefangen(e|en|er|heit)?\b",
                re.IGNORECASE), r"\1\2befangen\3"),
    (re.compile(r"\bgefangen(e|en|er|heit)?\b(?=\s*(\?|erklärt|gemeldet|angezeigt))",
                re.IGNORECASE), r"befangen\1"),
)  # fmt: skip


# "vertagen" heard as the real word "vertragen" ("den Antrag zu vertragen"): read as
# "vertagen" only where an item or a motion is what is put off; "Vertragung" and "ist ...
# vertragt" are no German words
_ITEM_NOUN = (
    r"(?:antrag|punkt|tagesordnungspunkt|top|beratung|angelegenheit|thema|vorlage|sache|"
    r"entscheidung|beschlussfassung|abstimmung)"
)
_MISHEARD_DEFERRAL = (
    (re.compile(r"\b(" + _ITEM_NOUN + r"\b(?:\s+[\w.,]+){0,5}?\s+zu\s+)vertragen\b",
                re.IGNORECASE), r"\1vertagen"),
    (re.compile(r"\b([Vv])ertragung\b"), r"\1ertagung"),
    (re.compile(r"\b((?:ist|wird|werden|sind|wurde|wurden)\b(?:\s+\w+){0,3}?\s+)vertragt\b",
                re.IGNORECASE), r"\1vertagt"),
)  # fmt: skip


def fix_misheard(text: str) -> str:
    """Case-preserving repairs of keywords the recogniser turns into other real words."""
    for pattern, replacement in (*_MISHEARD_BIAS, *_MISHEARD_DEFERRAL):
        text = pattern.sub(replacement, text)
    return text


def _joined_keywords(text: str) -> str:
    """Lower case, with the vote keywords in one word: "Ja-Stimmen" and "Jahre Stimmen"
    (how the recogniser often writes it) become "jastimmen", "gegen Probe" "gegenprobe"."""
    text = fix_misheard(unicodedata.normalize("NFKC", text)).lower()
    text = re.sub(r"(?<=[^\W\d])-(?=[^\W\d])", "", text)
    # "Gegenprobe" heard as two words ("Danke, gegen Probe, das sind zwei")
    return re.sub(r"\b(ja|jahre|nein|gegen)\s+(stimmen|stimme|probe)\b", r"\1\2", text)


def _normalize(text: str) -> str:
    return re.sub(r"[^\w\s]", " ", _joined_keywords(text))


# a keyword glued to the word before it ("fürbefangen", "eineenthaltung"): a short prefix
_GLUED_PREFIX_MAX = 5
# "bei einer Enthaltung" as the recogniser writes it ("Deiner Enthaltung", "meiner ...")
_MISHEARD_ONE = {"deiner", "meiner", "beiner", "deinem", "beieiner"}


def _category(token: str) -> str | None:
    for category, words in _CATEGORY_WORDS.items():
        if token in words:
            return category
    if len(token) < 7 or token in _NOT_KEYWORDS:
        return None
    for category, words in _CATEGORY_WORDS.items():
        for word in words:
            if (
                len(word) >= 8
                and token.endswith(word)
                and 0 < len(token) - len(word) <= _GLUED_PREFIX_MAX
            ):
                return category
    # the first sound misheard, the rest exact ("Meinstimmen" for "Neinstimmen"); real
    # words of that shape ("gefangen") are in _NOT_KEYWORDS
    for category, words in _CATEGORY_WORDS.items():
        for word in words:
            if len(word) >= 7 and len(token) == len(word) and token[1:] == word[1:]:
                return category
    # loosely ("14-Jährstimmen"), but from the same first letter: "stimmen", "bestimmen",
    # "zustimmen" or "abstimmen" are no "Jastimmen"
    for category, words in _CATEGORY_WORDS.items():
        for word in words:
            if (
                len(word) >= 7
                and token[0] == word[0]
                and SequenceMatcher(None, token, word).ratio() >= _KEYWORD_SIMILARITY
            ):
                return category
    return None


def _count_value(token: str) -> int | None:
    if token in _ZERO_WORDS:
        return 0
    value = parse_number(token)
    if value is None or value > _MAX_COUNT:
        return None
    return value


# "mit 12 zu 3 Stimmen angenommen"
_SCORE = re.compile(r"\b(\w+)\s+zu\s+(\w+)\s+stimmen\b")


def _score_as_counts(match: re.Match[str]) -> str:
    yes, no = _count_value(match.group(1)), _count_value(match.group(2))
    if yes is None or no is None:
        return match.group(0)
    return f"{match.group(1)} jastimmen {match.group(2)} gegenstimmen"


@dataclass(frozen=True)
class _Token:
    kind: str  # "word", "count", "category", "number" (not a count), "punct"
    text: str
    sentence: int
    category: str | None = None
    value: int | None = None


_TOKEN = re.compile(r"\d+(?:[.,]\d+)+|\d+|[^\W\d_]+|%|[?!.:;,()–]")


def _tokens(sentence: Sentence, position: int) -> list[_Token]:
    text = _joined_keywords(sentence.text)
    text = re.sub(
        r"\b(enthält|enthalten)\s+sich(\s+der\s+stimme)?\b|\bsich\s+(der\s+stimme\s+)?enthalten\b",
        " enthaltungen ",
        text,
    )
    text = re.sub(r"\bohne\s+(gegenstimme|enthaltung)", r"keine \1", text)
    text = _SCORE.sub(_score_as_counts, text)
    # the chair's question for the yes votes: "Wer stimmt dem Vorschlag zu?", "Wer ist für
    # die Vertagung?" (Whisper: "Wäre stimmt ...", "Wir ist für ...")
    text = re.sub(
        r"\b((?:wer|wäre|wär)\s+(?:stimmt|stimmen)|wir\s+stimmt)\b([^?.!,:;]*?)\bzu\b",
        r"\1\2 zu dafür ",
        text,
    )
    text = re.sub(r"\b(wer|wäre|wär|wir)\s+ist\s+für\b", r"\1 ist dafür ", text)
    # "Wer dem Antrag zustimmt, den bitte ich um das Handzeichen."
    text = re.sub(r"\b(wer|wäre|wär)\b([^?.!,:;]*?)\bzustimm\w*", r"\1\2 zustimmt dafür ", text)
    for phrase in _ZERO_PHRASES:
        text = text.replace(phrase, " keine ")
    raw = _TOKEN.findall(text)
    out: list[_Token] = []
    for i, word in enumerate(raw):
        if word in "?!.:;,()–%" and len(word) == 1:
            kind = "word" if word == "%" else "punct"
            out.append(_Token(kind, word, position))
            continue
        category = _category(word)
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        # "Ja: 12, Nein: 0" - "ja"/"nein" only as a label right before its number
        if (
            category is None
            and word in ("ja", "nein")
            and (nxt == ":" or (_count_value(nxt) is not None and nxt not in _ZERO_WORDS))
        ):
            category = YES if word == "ja" else NO
        if category is not None:
            out.append(_Token("category", word, position, category=category))
            continue
        if word[0].isdigit() and not word.isdigit():
            out.append(_Token("number", word, position))  # 1,8 or 1.200: never a count
            continue
        value = _count_value(word)
        if value is None and word in _MISHEARD_ONE and nxt and _category(nxt) is not None:
            value = 1  # "Deiner Befangenheit" was "bei einer Befangenheit"
        if value is not None:
            out.append(_Token("count", word, position, value=value))
        elif word[0].isdigit():
            out.append(_Token("number", word, position))
        else:
            out.append(_Token("word", word, position))
    return out


# ---- counts --------------------------------------------------------------------------


@dataclass
class VoteFinding:
    votes: Votes = field(default_factory=Votes)
    evidence: list[Evidence] = field(default_factory=list)
    # categories whose answer was said but not understood (a date, "2026"), with the passage:
    # their count stays None, never 0 and never a guess
    unreadable: list[tuple[str, Evidence]] = field(default_factory=list)


@dataclass
class _Block:
    counts: dict[str, int] = field(default_factory=dict)
    sentences: set[int] = field(default_factory=set)
    unreadable: dict[str, int] = field(default_factory=dict)  # category -> sentence


@dataclass
class _Pending:
    category: str
    token: int  # index of the keyword in the stream
    sentence: int


def _neighbour(tokens: Sequence[_Token], i: int, step: int) -> tuple[_Token | None, bool]:
    """The next non-punctuation token from i in direction step, and whether punctuation
    stood between."""
    j = i + step
    punct = False
    while 0 <= j < len(tokens) and tokens[j].kind == "punct":
        punct = True
        j += step
    if 0 <= j < len(tokens):
        return tokens[j], punct or tokens[j].sentence != tokens[i].sentence
    return None, True


def _forward_category(tokens: Sequence[_Token], i: int) -> tuple[int, str] | None:
    """The category right after a count ('14 Ja-Stimmen', '10 Stimmen dafür')."""
    j = i + 1
    skipped = 0
    while j < len(tokens) and tokens[j].sentence == tokens[i].sentence:
        tok = tokens[j]
        if tok.kind == "category" and tok.category is not None:
            return j, tok.category
        if tok.kind == "word" and tok.text in _POST_FILLERS and skipped < 1:
            skipped += 1
            j += 1
            continue
        return None
    return None


def _stands_alone(tokens: Sequence[_Token], i: int) -> bool:
    """A count that answers a question: nothing but fillers or punctuation around it."""
    before = tokens[i - 1] if i > 0 and tokens[i - 1].sentence == tokens[i].sentence else None
    after = (
        tokens[i + 1]
        if i + 1 < len(tokens) and tokens[i + 1].sentence == tokens[i].sentence
        else None
    )
    ok_before = (
        before is None
        or before.kind in ("punct", "category")
        or (before.kind == "word" and before.text in _PRE_FILLERS)
    )
    ok_after = (
        after is None
        or after.kind in ("punct", "category")
        or (after.kind == "word" and after.text in _POST_FILLERS | _ANSWER_TAIL)
    )
    return ok_before and ok_after


def _answer_follows(tokens: Sequence[_Token], j: int) -> bool:
    """Whether a count standing alone follows the category at j ("Enthaltungen, keine")."""
    nxt, _ = _neighbour(tokens, j, 1)
    if nxt is None or nxt.kind != "count" or nxt.sentence != tokens[j].sentence:
        return False
    k = tokens.index(nxt, j + 1)
    return _stands_alone(tokens, k) and _forward_category(tokens, k) is None


# short answers to a vote question that carry no count and hide none
_NON_ANSWERS = {
    "danke", "gut", "okay", "ok", "so", "bitte", "also", "ja", "nein", "prima", "schön",
    "einstimmig", "mehrheitlich", "alle", "dann", "und", "vielen", "herzlichen", "sehr",
    "wunderbar", "bestens", "klar", "genau", "gleichfalls", "ebenso", "auch", "hände",
    "handzeichen", "bitteschön", "dankeschön", "na", "ähm", "äh", "hm",
}  # fmt: skip
_WORD_ANSWER_MAX = 2


def _word_answer(tokens: Sequence[_Token], i: int) -> bool:
    """A vote question answered by a word that is no count ("Gegenstimmen? Neuen." for
    "Neun"): the count was said but not understood."""
    if i == 0 or tokens[i - 1].kind != "punct" or tokens[i - 1].text != "?":
        return False
    prior, _ = _neighbour(tokens, i, -1)
    if prior is None or prior.kind != "category":
        return False
    j = i
    same = tokens[i].sentence
    while (
        j < len(tokens)
        and tokens[j].sentence == same
        and tokens[j].kind == "word"
        and j - i < _WORD_ANSWER_MAX + 1
    ):
        if tokens[j].text in _NON_ANSWERS or len(tokens[j].text) < 3:
            return False
        j += 1
    if j - i > _WORD_ANSWER_MAX:
        return False
    return (
        j == len(tokens)
        or tokens[j].sentence != same
        or (tokens[j].kind == "punct" and tokens[j].text in ".!?;")
    )


_DECLARING_BEFORE = {"für", "sich", "ist", "bin", "sind", "sei", "war", "waren", "als", "wegen"}
_DECLARING_AFTER = {"erklärt", "erklären", "erklärte", "gemeldet", "angezeigt", "verlässt"}


def _declares_bias(tokens: Sequence[_Token], i: int) -> bool:
    """ "befangen" in a declaration ("erklärt sich für befangen", "fürbefangen erklärt"),
    not the chair's question for the count."""
    tok = tokens[i]
    before = tokens[i - 1] if i > 0 and tokens[i - 1].sentence == tok.sentence else None
    after = (
        tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].sentence == tok.sentence else None
    )
    return (
        tok.text.startswith("für")
        or (before is not None and before.text in _DECLARING_BEFORE)
        or (after is not None and after.text in _DECLARING_AFTER)
    )


# ---- Befangenheit declared ------------------------------------------------------------

_BIAS_DECLARATION = re.compile(r"\b(?:für)?befangen\b", re.IGNORECASE)
_PERSON = re.compile(r"\b(?:Herrn?|Frau)\s+(?:(?:Dr|Prof)\.?\s+)*([A-ZÄÖÜ][\wäöüß-]+)")
_BIAS_VERB = re.compile(r"\b(?:ist|sind|war|waren|bin|erklärt\w*|hat|haben)\b")
_BIAS_PRONOUN = re.compile(r"^\s*(?:sie|beide)\s+(?:sind|waren)\b", re.IGNORECASE)
_BIAS_MEMBERS = re.compile(
    r"\b(\w+)\s+(?:weitere[sn]?\s+)?(?:rats)?mitglied(?:er)?\s+(?:ist|sind|war|waren)\s+befangen\b",
    re.IGNORECASE,
)


def declared_bias(sentences: Sequence[Sentence]) -> tuple[int, list[int]]:
    """How many members declared themselves (or were declared) befangen in the item, and
    in which sentences: "Ich erkläre mich für befangen" counts its speaker once, "Frau
    Bräuer ist ebenfalls befangen" and "Herr Bauer und Herr Hofmann … Sie sind befangen"
    the persons named, "ein Mitglied war befangen" its number. A question ("Befangen?")
    or a count ("bei zwei Befangenen") is no declaration; that is `extract_counts`' job."""
    persons: set[tuple[str, str]] = set()
    where: list[int] = []
    summary: int | None = None
    for at, sentence in enumerate(sentences):
        text = fix_misheard(sentence.text)
        match = _BIAS_DECLARATION.search(text)
        if match is None or text.rstrip().endswith("?"):
            continue
        found: set[tuple[str, str]] = set()
        members = _BIAS_MEMBERS.search(text)
        count = _count_value(members.group(1).lower()) if members else None
        if count:
            summary = count  # the chair's count covers those who declared it before
        elif re.search(r"\b(ich|mich)\b", text[: match.start()], re.IGNORECASE):
            found.add(("selbst", sentence.speaker or "?"))
        elif _BIAS_PRONOUN.search(text) and at > 0:
            found |= {("name", n) for n in _PERSON.findall(sentences[at - 1].text)}
        else:
            verb = _BIAS_VERB.search(text[: match.start()])
            subject = text[: verb.start()] if verb else ""
            found |= {("name", n) for n in _PERSON.findall(subject)}
        if found or (count and summary == count):
            persons |= found
            where.append(at)
    return (summary if summary is not None else len(persons)), where


def extract_counts(sentences: Sequence[Sentence]) -> VoteFinding:
    """Counts per category, from numbers said next to the category's keyword."""
    tokens: list[_Token] = []
    decided: set[int] = set()  # sentences that state a result: they close a vote
    # counts are read from the first sentence that takes a vote or states a result on: a
    # number next to a word like a keyword in the debate before ("die Anwohner warten auf
    # eine Entlastung") is no count
    voting = next(
        (
            pos
            for pos, s in enumerate(sentences)
            if _VOTE_TAKING.search(_joined_keywords(s.text))
            or _DECISION.search(_normalize(s.text))
            or _CATEGORY_SAID.search(_joined_keywords(s.text))
        ),
        len(sentences),
    )
    for pos, sentence in enumerate(sentences):
        if pos >= voting:
            tokens += _tokens(sentence, pos)
        if _DECISION.search(_normalize(sentence.text)):
            decided.add(pos)
    blocks: list[_Block] = [_Block()]
    pending: list[_Pending] = []

    def assign(category: str, value: int, *where: int) -> None:
        block = blocks[-1]
        if category in block.counts:
            blocks.append(_Block())  # the same category again: a new vote
            block = blocks[-1]
        block.counts[category] = value
        block.sentences.update(where)

    consumed: set[int] = set()
    for i, tok in enumerate(tokens):
        if i > 0 and tokens[i - 1].sentence != tok.sentence and tokens[i - 1].sentence in decided:
            if blocks[-1].counts:
                blocks.append(_Block())
            pending = []
        pending = [
            p
            for p in pending
            if tok.sentence - p.sentence <= _PENDING_SENTENCES
            and sum(1 for t in tokens[p.token : i] if t.kind != "punct") <= _PENDING_WORDS
        ]
        if i in consumed:
            continue
        if tok.kind == "category" and tok.category is not None:
            if tok.category == BIASED and _declares_bias(tokens, i):
                continue  # "erklärt sich für befangen": no question, its "keine" is no count
            pending = [p for p in pending if p.category != tok.category]
            pending.append(_Pending(tok.category, i, tok.sentence))
            continue
        if tok.kind == "word" and pending and _word_answer(tokens, i):
            prior, _ = _neighbour(tokens, i, -1)
            unread = next((p for p in pending if tokens[p.token] is prior), None)
            if unread is not None:
                blocks[-1].unreadable[unread.category] = tok.sentence
                pending = [p for p in pending if p is not unread]
            continue
        if tok.kind == "number" and pending and _stands_alone(tokens, i):
            # an answer that is no count ("Gegenstimmen? 9.12."): that question is answered,
            # unreadably; the next question's "keine" must not answer it too
            prior, _ = _neighbour(tokens, i, -1)
            unread = next(
                (p for p in pending if prior is not None and tokens[p.token] is prior),
                pending[-1],
            )
            blocks[-1].unreadable[unread.category] = tok.sentence
            pending = [p for p in pending if p is not unread]
            continue
        if tok.kind != "count" or tok.value is None:
            continue
        before, _ = _neighbour(tokens, i, -1)
        answered = next(
            (p for p in pending if before is not None and tokens[p.token] is before), None
        )
        forward = _forward_category(tokens, i)
        if (
            answered is None
            and forward is not None
            and pending
            and pending[-1].category != forward[1]
            and _answer_follows(tokens, forward[0])
        ):
            # "Gegenprobe, das sind zwei Enthaltungen, keine": the recogniser dropped the
            # question marks; question and answer alternate, so the two answers the
            # Gegenprobe and "Enthaltungen" is the next question, answered by "keine"
            answered, forward = pending[-1], None
        if answered is None and forward is not None:
            # "14 Ja-Stimmen", "keine Enthaltungen", "zwei Befangene"
            j, category = forward
            consumed.add(j)
            pending = [p for p in pending if p.category != category]
            assign(category, tok.value, tok.sentence)
            continue
        if not pending or not _stands_alone(tokens, i):
            continue
        direct = answered is not None
        if answered is None:
            answered = pending[-1]  # "Gegenstimmen? Enthaltungen? 2." answers the last
        if tok.value == 0 and answered is pending[-1]:
            # "Gegenstimmen? Enthaltungen? Keine." answers every open question; "Wer ist
            # dafür?" only right after it ("Wer ist dafür? Niemand."): after other words the
            # recogniser may have lost the question between ("Danke, jeden Stimmen, keine")
            for p in pending:
                if p.category != YES or (direct and len(pending) == 1):
                    assign(p.category, 0, tok.sentence, p.sentence)
            pending = []
        else:
            assign(answered.category, tok.value, tok.sentence, answered.sentence)
            pending = [p for p in pending if p is not answered]
        if forward is not None and tokens[forward[0]].category == answered.category:
            consumed.add(forward[0])  # "Enthaltungen? Zwei Enthaltungen."
    chosen = next(
        (b for b in reversed(blocks) if YES in b.counts or NO in b.counts),
        next((b for b in reversed(blocks) if b.counts or b.unreadable), _Block()),
    )
    # a vote taken after the chosen one (the matter after its amendment) whose yes and no
    # were not understood: its counts are unknown, never the earlier vote's
    after = max(chosen.sentences, default=-1)
    new_vote = next(
        (j for j in range(after + 1, len(sentences)) if _NEW_VOTE.search(sentences[j].text)),
        None,
    )
    if chosen.counts and new_vote is not None:
        later = [b for b in blocks if any(i >= new_vote for i in b.sentences)]
        chosen = later[-1] if later else _Block()
        for category in (YES, NO):
            if category not in chosen.counts:
                chosen.unreadable.setdefault(category, new_vote)
    if BIASED not in chosen.counts:
        declared, where = declared_bias(sentences)
        if declared:  # members who declared themselves befangen did not vote
            chosen.counts[BIASED] = declared
            chosen.sentences.update(where)
    unreadable = [
        (category, sentences[pos])
        for category, pos in chosen.unreadable.items()
        if category not in chosen.counts
    ]
    finding = VoteFinding(
        unreadable=[(category, s.evidence()) for category, s in unreadable],
        votes=Votes(
            yes=chosen.counts.get(YES),
            no=chosen.counts.get(NO),
            abstain=chosen.counts.get(ABSTAIN),
            biased=chosen.counts.get(BIASED),
        ),
        evidence=[s.evidence() for pos, s in enumerate(sentences) if pos in chosen.sentences],
    )
    return finding


# ---- result --------------------------------------------------------------------------

_REJECTED = re.compile(
    r"\babgelehnt\b|\bnicht\s+(angenommen|beschlossen)\b|\bkeine\s+mehrheit\b|"
    r"\bstimmengleichheit\b|\bnicht\s+die\s+(erforderliche\s+|notwendige\s+)?mehrheit\b"
)
_ACCEPTED = re.compile(
    r"\b(beschlossen|genehmigt|angenommen|gefasst|zugestimmt|einstimmig|m\w{0,2}rheitlich)\b"
    r"|\bmit\s+(\w+\s+)?mehrheit\b"
    r"|\b(?:das\s+ist|ist)\s+(?:eine|die)\s+(?:große\s+|klare\s+|deutliche\s+|breite\s+)?"
    r"mehrheit\b"
)
_UNANIMOUS = re.compile(r"\beinstimmig\b")
_MAJORITY = re.compile(
    r"\bm\w{0,2}rheitlich\b|\bmit\s+(großer\s+|breiter\s+|knapper\s+)?mehrheit\b"
    r"|\bmit\s+\w*m\w{0,2}rheit\b"  # "mit Großamirheit" for "mit großer Mehrheit"
    r"|\b(?:das\s+ist|ist)\s+(?:eine|die)\s+(?:große\s+|klare\s+|deutliche\s+|breite\s+)?"
    r"mehrheit\b"
)
_DEFERRED = re.compile(r"\bvertagt\b")
_DEFERRAL_WORD = re.compile(r"\bvertag\w*")
_WITHDRAWN = re.compile(
    r"(?<!nicht )\b(?:zurückgezogen|zurückgenommen)\b"
    # "Dann ziehen wir unseren Antrag zurück", "Ich nehme den Antrag hiermit zurück"
    r"|\b(?:ziehe|ziehen|nehme|nehmen)\s+(?:\w+\s+){0,4}?(?:\w*antrag|vorschlag)\w*\s+"
    r"(?:\w+\s+){0,2}?zurück\b"
    r"|\b(?:möchte|möchten|werde|werden|will|wollen)\s+(?:\w+\s+){0,4}?(?:\w*antrag|vorschlag)"
    r"\w*\s+(?:\w+\s+){0,2}?zurück(?:ziehen|nehmen)\b"
)
_NOTED = re.compile(
    r"\bzur\s+kenntnis\s+genommen\b|\bnimmt\b.*\bzur\s+kenntnis\b|\bkenntnis\s+genommen\b"
    # the verb lost ("der Ortschaftsrat ... die Bekanntgaben zur Kenntnis."), but not the
    # administration giving ("Ich gebe zur Kenntnis, dass ...")
    r"|^(?!.*\b(?:gebe|geben|gibt|bringe|bringen|bringt)\b).*\bzur\s+kenntnis\s*$"
    # the formula with "zur Kenntnis" heard as "zu erkennen" ("Der Rat nimmt die
    # Bekanntgaben zu erkennen"): only after a body that takes note
    r"|\b" + _RESOLUTION_BODY + r"\s+nimmt\b(?:\s+\w+){0,6}?\s+zu\s+erkennen\b"
)
_AMENDED = re.compile(
    r"\bgeändert\w*\s+(beschlossen|fassung|angenommen|vorlage|beschlussvorschlag)\b"
    r"|\bmit\s+(den\s+|der\s+|diesen\s+|dieser\s+)?änderung(en)?\s+(beschlossen|angenommen)\b"
)
# an amendment ("Änderungsantrag der SPD"), voted on before the matter itself
_AMENDMENT = re.compile(r"\b(änderungs|ergänzungs)antr\w*")
_PLAIN_ACCEPTED = ("beschlossen", "einstimmig beschlossen", "mehrheitlich beschlossen")
_DECIDED_VALUES = (*_PLAIN_ACCEPTED, "geändert beschlossen", "abgelehnt")
# the chair stating that no decision is taken: "Ein Beschluss ist dazu nicht zu fassen",
# "Zur Anfrage ist kein Beschluss zu fassen", "Ein Beschluss ist nicht erforderlich"
# ("Beschlüsse sind hier nicht zu fassen", "Eine Beschlussfassung ist nicht vorgesehen",
# "Zu beschließen ist heute nichts")
_DECISION_NOUN = r"beschl[uü]ss(?!fähig)\w*"
_NO_DECISION = re.compile(
    r"\b(?:kein\w*\s+" + _DECISION_NOUN + r"|" + _DECISION_NOUN + r"\b(?:\s+\w+){0,5}?\s+nicht)\b"
    r"(?:\s+\w+){0,5}?\s+(?:zu\s+fassen|fassen|gefasst|erforderlich|nötig|notwendig|"
    r"vorgesehen)\b"
    r"|\b" + _DECISION_NOUN + r"\s+(?:fassen|treffen)\s+wir\b(?:\s+\w+){0,5}?\s+nicht\b"
    r"|\bohne\s+beschluss(?:fassung)?\s+(?:zur\s+kenntnis|erledigt|beendet)"
    r"|\b(?:zu\s+beschlie(?:ß|ss)en|beschlie(?:ß|ss)en\s+müssen)\b(?:\s+\w+){0,4}?\s+nichts\b"
    r"|\bnichts\s+(?:\w+\s+){0,3}?zu\s+beschlie(?:ß|ss)en\b"
)
_MAIN_MATTER = re.compile(r"\b" + _DECISION_NOUN + r"|\bvorlage\b|\bbeschlussvorschlag\b")
# an item that takes no decision, closed by the chair ("Damit schließe ich die
# Einwohnerfragestunde"): "ohne Beschluss" when nothing in the item was voted on
_QUESTION_TIME_CLOSED = re.compile(
    r"\b(?:schlie(?:ß|ss)e|beende)\s+(?:ich\s+)?(?:\w+\s+){0,3}?"
    r"(?:\w*frage\s?stunde|anfragen|fragen|mitteilungen)\b"  # "Frage stunde", split
    r"|\b(?:\w*frage\s?stunde|anfragen|mitteilungen)\b(?:\s+\w+){0,3}?\s+(?:ist|sind)\s+"
    r"(?:\w+\s+)?(?:geschlossen|beendet|erledigt)\b"
)
_CONFIRM_WINDOW = 2  # "Der Punkt wird vertagt. Das ist so beschlossen." keeps "vertagt"


# result words the recogniser spells by ear ("Der Punkt ist Werthagd", "vertaugt")
_BY_EAR = ("vertagt", "vertagung", "vertagen", "abgesetzt", "zurückgezogen")


def _by_ear(text: str) -> str:
    """`text` (normalised) with words that sound like a result word replaced by it."""
    words = text.split()
    repaired = [
        next((w for w in _BY_EAR if len(word) >= 5 and sounds_like(word, w)), word)
        for word in words
    ]
    return " ".join(repaired) if repaired != words else text


def _accepted_result(text: str) -> str:
    if _AMENDED.search(text):
        return "geändert beschlossen"
    if _UNANIMOUS.search(text):
        return "einstimmig beschlossen"
    if _MAJORITY.search(text):
        return "mehrheitlich beschlossen"
    return "beschlossen"


# outcomes that cannot follow a vote on the matter in the same item
_AFTER_DECISION_IMPOSSIBLE = ("vertagt", "zurückgezogen", "zur Kenntnis genommen")


@dataclass
class _ResultScan:
    result: str | None = None
    evidence: Evidence | None = None
    # a vote on the matter, then debate by someone else, then an outcome that cannot follow
    # a decision: the call of the next item was most likely not heard
    conflict: tuple[Evidence, Evidence] | None = None


def extract_result(sentences: Sequence[Sentence]) -> tuple[str | None, Evidence | None]:
    """The item's result from the last sentence that states one.

    A motion ("Wir beantragen Vertagung") or a question states no result. A vote on
    deferral that is accepted ("Der Antrag auf Vertagung ist einstimmig angenommen",
    or "Wer ist für die Vertagung? ... Der Antrag ist angenommen") gives "vertagt";
    a rejected one gives nothing, and the vote on the matter follows. A vote on the
    matter followed, after someone else spoke, by "vertagt", "zurückgezogen" or "zur
    Kenntnis genommen" gives no result (`result_conflict` flags it):
    one of the two belongs to an item whose call was not heard, and which one cannot be
    told.
    """
    result, evidence, _ = read_result(sentences)
    return result, evidence


def result_conflict(sentences: Sequence[Sentence]) -> Flag | None:
    """A flag where the item holds a decision and, after more debate, an outcome that
    cannot follow one (see `extract_result`), pointing at both passages."""
    return read_result(sentences)[2]


def read_result(
    sentences: Sequence[Sentence],
) -> tuple[str | None, Evidence | None, Flag | None]:
    """`extract_result` and `result_conflict` from one reading of the item."""
    scan = _scan_result(sentences)
    if scan.conflict is None:
        return scan.result, scan.evidence, None
    decided, later = scan.conflict
    return (
        None,
        None,
        Flag(
            "ergebnis_widerspruechlich",
            f"Zwei Ergebnisse in diesem Punkt: erst eine Abstimmung („{decided.text[:120]}“), "
            f"nach weiterer Aussprache „{later.text[:120]}“. Vermutlich wurde der Aufruf des "
            "nächsten Tagesordnungspunkts nicht erkannt. Ergebnis und Grenze bitte anhand der "
            "Aufnahme prüfen; es wurde keines eingetragen.",
            start_s=decided.start_s,
            end_s=later.end_s,
            text=later.text,
        ),
    )


def _scan_result(sentences: Sequence[Sentence]) -> _ResultScan:
    result: str | None = None
    evidence: Evidence | None = None
    decided_at: int | None = None  # a vote on the matter itself (not an amendment)
    vote_taken = False  # the chair has taken a vote in the item ("Wer ist dafür?")
    conflict: tuple[Evidence, Evidence] | None = None
    since_special: int | None = None  # sentences since "vertagt"/"zurückgezogen"
    deferral_open = False  # a vote on deferral was asked, its outcome not yet said
    amendment_open = False  # a vote on an amendment was taken, its outcome not yet said
    amendment_at: int | None = None  # where an amendment was adopted
    result_at = -1
    for at, sentence in enumerate(sentences):
        text = _by_ear(_normalize(sentence.text))
        vote_taken = vote_taken or bool(_VOTE_TAKING.search(sentence.text))
        if _AMENDMENT.search(text) and (
            _VOTE_TAKING.search(sentence.text) or sentence.text.rstrip().endswith("?")
        ):
            amendment_open = True
        if since_special is not None:
            since_special += 1
        value: str | None = None
        if _MOTION.search(sentence.text) and not _DECISION_WORDS.search(sentence.text):
            if _DEFERRAL_WORD.search(text) and _VOTE_TAKING.search(sentence.text):
                deferral_open = True
            continue
        question = sentence.text.rstrip().endswith("?")
        if _DEFERRED.search(text):
            value = "vertagt"
        elif _DEFERRAL_WORD.search(text):
            if _REJECTED.search(text):
                deferral_open = False
                continue  # the deferral was rejected; the matter is voted on next
            if _ACCEPTED.search(text) and not question:
                value = "vertagt"
            else:
                deferral_open = (
                    deferral_open
                    or question
                    or bool(_VOTE_TAKING.search(sentence.text) or _VOTE_CUE.search(sentence.text))
                )
                continue
        elif _WITHDRAWN.search(text):
            value = "zurückgezogen"
        elif _NOTED.search(text):
            value = "zur Kenntnis genommen"
        elif _NO_DECISION.search(text) and not _REJECTED.search(text):
            value = "ohne Beschluss"
        elif question:
            continue
        elif _REJECTED.search(text):
            value = "abgelehnt"
            if amendment_open or _AMENDMENT.search(text):
                amendment_open = False
                continue  # the amendment failed; the matter is voted on next
            if deferral_open:
                deferral_open = False
                continue
        elif _ACCEPTED.search(text) or _AMENDED.search(text):
            if deferral_open and not _MAIN_MATTER.search(text):
                value = "vertagt"
            else:
                value = _accepted_result(text)
                if amendment_open or _AMENDMENT.search(text):
                    amendment_open, amendment_at = False, at  # the amendment is adopted
                if (
                    result == "vertagt"
                    and since_special is not None
                    and since_special <= _CONFIRM_WINDOW
                ):
                    continue  # "... wird vertagt. Das ist so beschlossen."
        if value is None:
            continue
        deferral_open = False
        if (
            value in _AFTER_DECISION_IMPOSSIBLE
            and decided_at is not None
            and conflict is None
            and any(s.speaker != sentences[decided_at].speaker for s in sentences[decided_at:at])
        ):
            conflict = (sentences[decided_at].evidence(), sentence.evidence())
        if value in _DECIDED_VALUES and amendment_at != at and vote_taken:
            decided_at = at  # not a decision reported in debate ("Der Kreistag hat ...")
        result, result_at = value, at
        since_special = 0 if value in ("vertagt", "zurückgezogen") else None
        evidence = sentence.evidence()
    if result is None:
        closed = next(
            (s for s in sentences if _QUESTION_TIME_CLOSED.search(_normalize(s.text))), None
        )
        if closed is not None and not any(_VOTE_TAKING.search(s.text) for s in sentences):
            return _ResultScan("ohne Beschluss", closed.evidence())
    if result in _PLAIN_ACCEPTED and amendment_at is not None and result_at > amendment_at:
        result = "geändert beschlossen"  # the matter, adopted after an amendment to it
    elif amendment_at is not None and result_at == amendment_at:
        # only the amendment's adoption was understood, not the vote on the matter after it
        return _ResultScan(conflict=conflict)
    return _ResultScan(result, evidence, conflict)


# an item for questions ("Einwohnerfragestunde", "Anfragen aus dem Gemeinderat", "Anfrage
# der SPD-Fraktion zu ...", "Verschiedenes und Anfragen"): it takes no decision
_QUESTION_ITEM = re.compile(r"\banfrage\w*|fragestunde\b|\bfragen\b|\bverschiedenes\b", re.I)


def question_item_without_vote(title: str, sentences: Sequence[Sentence]) -> Evidence | None:
    """Where an item for questions (by its agenda title) holds no vote at all: its first
    sentence, as the evidence for "ohne Beschluss"; else None. A report or announcements
    ("Bericht", "Mitteilungen", "Bekanntgaben") are taken note of, so they are not
    matched; a question item in which a vote is taken is left to the rules above."""
    if not sentences or not _QUESTION_ITEM.search(title):
        return None
    if any(_VOTE_TAKING.search(s.text) or _VOTE_CUE.search(s.text) for s in sentences):
        return None
    return sentences[0].evidence()


# ---- resolution and motions ----------------------------------------------------------


def extract_resolution(sentences: Sequence[Sentence]) -> tuple[str | None, Evidence | None]:
    """The resolution as read out ("Der Rat beschließt ..."), verbatim.

    The last reading in the item counts; it starts at "Der Rat/Ausschuss ... beschließt"
    (a lead-in such as "Ich lese den Beschlussvorschlag vor:" is left out) and goes on
    over the chair's following sentences that continue it ("Die Verwaltung wird
    beauftragt, ..."), up to the vote.
    """
    for k in range(len(sentences) - 1, -1, -1):
        sentence = sentences[k]
        match = next(
            (
                m
                for m in _RESOLUTION.finditer(sentence.text)
                if _RESOLUTION_LEAD_IN.search(sentence.text[: m.start()])
            ),
            None,
        )
        if match is None:
            continue
        parts = [sentence.text[match.start() :].strip()]
        last = sentence
        for nxt in sentences[k + 1 : k + 6]:
            if (
                nxt.speaker != sentence.speaker
                or nxt.start_s - last.end_s > 3.0
                or _VOTE_CUE.search(nxt.text)
                or _DECISION.search(_normalize(nxt.text))
                or not _RESOLUTION_GOES_ON.search(nxt.text)
            ):
                break
            parts.append(nxt.text.strip())
            last = nxt
        text = " ".join(parts)
        return text, Evidence(text, sentence.start_s, last.end_s, sentence.speaker)
    return None, None


def extract_motions(sentences: Sequence[Sentence]) -> list[Evidence]:
    """Sentences that make a motion ("wir beantragen ...", "Antrag auf ..."), not the vote on it."""
    return [
        s.evidence()
        for s in sentences
        if _MOTION.search(s.text)
        and not _DECISION_WORDS.search(s.text)
        and not _VOTE_TAKING.search(s.text)
    ]


# ---- checks --------------------------------------------------------------------------

_NO_VOTE = (
    None,
    "vertagt",
    "zurückgezogen",
    "abgesetzt",
    "zur Kenntnis genommen",
    "ohne Beschluss",
)
_ACCEPTING = ("einstimmig beschlossen", "mehrheitlich beschlossen", "beschlossen",
              "geändert beschlossen")  # fmt: skip


def check_votes(result: str | None, votes: Votes) -> list[Flag]:
    """Flags for counts that were not said and for results that contradict the counts."""
    flags: list[Flag] = []
    missing = [
        field
        for field, value in (("yes", votes.yes), ("no", votes.no), ("abstain", votes.abstain))
        if value is None
    ]
    if result not in _NO_VOTE and missing:
        flags.append(
            Flag(
                "stimmen_nicht_genannt",
                counts_not_said(missing) + " Die Zahlen bitte ergänzen oder „–“ stehen lassen; "
                "sie wurden nicht geschätzt.",
            )
        )
    if result is None:
        flags.append(
            Flag("ergebnis_nicht_erkannt", "Kein Abstimmungsergebnis erkannt. Bitte ergänzen.")
        )
    if result == "einstimmig beschlossen" and votes.no:
        flags.append(Flag("widerspruch", f"„einstimmig“, aber {votes.no} Gegenstimme(n) genannt."))
    if result == "einstimmig beschlossen" and votes.yes == 0:
        flags.append(Flag("widerspruch", "„einstimmig“, aber keine Ja-Stimme genannt."))
    if result in _ACCEPTING and votes.yes is not None and votes.no is not None:
        if result == "mehrheitlich beschlossen" and votes.yes <= votes.no:
            flags.append(
                Flag("widerspruch", f"„mehrheitlich“, aber Ja {votes.yes} ≤ Nein {votes.no}.")
            )
        elif result in ("beschlossen", "geändert beschlossen") and votes.yes <= votes.no:
            flags.append(
                Flag(
                    "widerspruch",
                    f"„{result}“, aber Ja {votes.yes} ≤ Nein {votes.no} (bei Stimmengleichheit "
                    "ist ein Antrag abgelehnt).",
                )
            )
    if (
        result == "abgelehnt"
        and votes.yes is not None
        and votes.no is not None
        and votes.yes > votes.no
    ):
        flags.append(
            Flag(
                "widerspruch",
                f"„abgelehnt“, aber Ja {votes.yes} > Nein {votes.no}. Bitte prüfen "
                "(war eine qualifizierte Mehrheit nötig?).",
            )
        )
    return flags


_LABELS = {YES: "Ja-Stimmen", NO: "Gegenstimmen", ABSTAIN: "Enthaltungen", BIASED: "Befangenen"}
_BIAS_DECLARED = re.compile(r"befangen", re.IGNORECASE)


def unreadable_flags(finding: VoteFinding) -> list[Flag]:
    """A flag per count that was said but not understood, pointing at where it was said."""
    return [
        Flag(
            "zahl_unverstanden",
            f"Die Zahl der {_LABELS[category]} wurde gesagt, aber nicht verstanden "
            f"(„{evidence.text}“). Das Feld bleibt leer; bitte nach der Aufnahme eintragen.",
            evidence.start_s,
            evidence.end_s,
            evidence.text,
        )
        for category, evidence in finding.unreadable
    ]


def check_consistency(
    result: str | None,
    votes: Votes,
    sentences: Sequence[Sentence],
    *,
    present: int | None,
) -> list[Flag]:
    """What the counts must agree with besides the result: the members present, and a
    Befangenheit declared in the item."""
    flags: list[Flag] = []
    counted = [v for v in (votes.yes, votes.no, votes.abstain, votes.biased) if v is not None]
    if present and sum(counted) > present:
        flags.append(
            Flag(
                "stimmen_zu_viele",
                f"Die genannten Stimmen ({sum(counted)}) sind mehr als die anwesenden "
                f"Mitglieder ({present}). Bitte die Zahlen mit der Aufnahme prüfen.",
            )
        )
    declared = next((s for s in sentences if _BIAS_DECLARED.search(fix_misheard(s.text))), None)
    if declared is not None and votes.biased is None and result not in _NO_VOTE:
        flags.append(
            Flag(
                "befangenheit_nicht_gezaehlt",
                "Im Tagesordnungspunkt ist von Befangenheit die Rede, in der Abstimmung ist "
                "aber keine befangene Person gezählt. Bitte prüfen, wer befangen war und nicht "
                "mitgestimmt hat.",
                declared.start_s,
                declared.end_s,
                declared.text,
            )
        )
    return flags


_RESOLUTION_SAYS = (
    (re.compile(r"\bohne\s+(abstimmung|beschluss)\b", re.I), "ohne Abstimmung"),
    (re.compile(r"\babgelehnt\b", re.I), "abgelehnt"),
    (re.compile(r"\bvertagt\b", re.I), "vertagt"),
    (re.compile(r"\bzurückgezogen\b", re.I), "zurückgezogen"),
    (re.compile(r"\beinstimmig\b", re.I), "einstimmig"),
)


def check_resolution(result: str | None, resolution: str | None, votes: Votes) -> list[Flag]:
    """A resolution text must not say another outcome than the result and the counts."""
    if not resolution or result is None:
        return []
    voted = result in _ACCEPTING or result == "abgelehnt"
    for pattern, says in _RESOLUTION_SAYS:
        if not pattern.search(resolution):
            continue
        contradicts = (
            (says == "ohne Abstimmung" and (voted or votes.any_count()))
            or (says == "abgelehnt" and result in _ACCEPTING)
            or (says in ("vertagt", "zurückgezogen") and voted)
            or (says == "einstimmig" and (result in ("mehrheitlich beschlossen", "abgelehnt")
                                          or bool(votes.no)))
        )  # fmt: skip
        if contradicts:
            return [
                Flag(
                    "beschluss_widerspruch",
                    f"Der Beschlusstext sagt „{says}“, das Ergebnis ist „{result}“. "
                    "Bitte den Beschlusstext mit der Aufnahme abgleichen.",
                    text=resolution,
                )
            ]
    return []


# "TOP 5 wird von der Tagesordnung abgesetzt", "Tagesordnungspunkt sieben setzen wir ab"
_ITEM_REF = r"(?:tagesordnungspunkt|top|punkt)\s+(?P<n>\d+[a-z]?|[^\W\d_]+)"
_DROPPED = (
    re.compile(_ITEM_REF + r"\b[^.!?]{0,60}?\b(?:wird|werden|ist|wurde)\b[^.!?]{0,40}?"
               r"\b(?:abgesetzt|von\s+der\s+tagesordnung\s+(?:genommen|gestrichen))", re.I),
    re.compile(_ITEM_REF + r"\b[^.!?]{0,40}?\bsetzen\s+wir\b[^.!?]{0,30}?\bab\b", re.I),
    re.compile(r"\bsetzen\s+wir\s+(?:den\s+)?" + _ITEM_REF + r"\b[^.!?]{0,30}?\bab\b", re.I),
    # "Die Verwaltung bittet, Tagesordnungspunkt 6, …, abzusetzen"
    re.compile(_ITEM_REF + r"\b[^.!?]{0,60}?\babzusetzen\b", re.I),
)  # fmt: skip


def dropped_items(sentences: Sequence[Sentence], numbers: Sequence[str]) -> dict[str, Evidence]:
    """Items the chair took off the agenda ("abgesetzt"), with the sentence that says so:
    such an item has no start, no debate and no vote."""
    known = {n.lower(): n for n in numbers}
    found: dict[str, Evidence] = {}
    for sentence in sentences:
        for pattern in _DROPPED:
            for match in pattern.finditer(sentence.text):
                said = match.group("n").lower()
                value = parse_number(said)
                number = known.get(said) or (known.get(str(value)) if value is not None else None)
                if number is not None and number not in found:
                    found[number] = Evidence(
                        sentence.text, sentence.start_s, sentence.end_s, sentence.speaker
                    )
    return found
