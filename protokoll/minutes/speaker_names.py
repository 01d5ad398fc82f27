"""Proposed names for speaker labels, from what was said, never from voices.

* The chair is the speaker who announces the agenda items.
* A call-up ("Herr Hartmann, bitte.", "Das Wort hat Frau Roth.", "Ich erteile
  Herrn Keller das Wort.", "Herr Kämmerer, bitte.") names the next other speaker.
* A speaker who speaks for a faction ("Die SPD-Fraktion unterstützt ...",
  "Für die Fraktion Bündnis 90/Die Grünen ...") is the only present member of
  that faction, if there is exactly one.

Each proposal carries its evidence; a label gets a name only when the
evidence agrees: the name's weight must be more than that of all other names
for the label together, and a name called that fits two members equally
("Herr Keller" with two Kellers present) names nobody. Absent members are
never proposed. Proposals are a draft for the reviewer, who confirms or
corrects them (no voice profile is built or stored).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from protokoll.domain.agenda import Member
from protokoll.minutes.segmentation import announced_numbers
from protokoll.minutes.sentences import Sentence

_NAME = r"[A-ZÄÖÜ][\wäöüß]+(?:-[A-ZÄÖÜ][\wäöüß]+)?"
_TITLE = r"(?:(?:Dr|Prof)\.?\s+)*"
_ADDRESS = r"(?:Herrn?|Frau)\s+" + _TITLE + r"(?:" + _NAME + r"\s+)?"
_CALL_UP = re.compile(
    r"(?:" + _ADDRESS + r"(?P<a>" + _NAME + r")\s*,?\s*(?:bitte\b|Sie\s+haben\s+das\s+Wort"
    r"|(?:Sie\s+)?haben\s+das\s+Wort|das\s+Wort\s+hat))"
    r"|(?:(?i:das\s+wort\s+hat|bitte\s+schön|bitteschön|bitte|das\s+wort\s+geht\s+an"
    r"|ich\s+gebe\s+das\s+wort\s+an|das\s+wort\s+erhält|ich\s+erteile)\s*,?\s*"
    + _ADDRESS
    + r"(?P<b>"
    + _NAME
    + r"))",
)
_FACTION = re.compile(
    r"(?:^|[,;:]\s*|\b(?:für|namens|seitens|von)\s+)(?:die|der|unsere)\s+"
    r"(?P<f>[\w/äöüÄÖÜ]+(?:\s+90/die\s+grünen)?)-?\s*fraktion\b"
    r"|\bwir\s+als\s+(?P<g>[\w/äöüÄÖÜ]+)(?:-?\s*fraktion)?\b"
    r"|(?:^|\b(?:für|namens|seitens|von)\s+)(?:die|der)\s+fraktion\s+(?:der\s+|von\s+)?"
    r"(?P<h>[\w/äöüÄÖÜ]+(?:\s+90/die\s+grünen)?)",
    re.IGNORECASE,
)
_CALL_UP_WINDOW_S = 15.0
_NAME_SIMILARITY = 0.8
WEIGHT_CHAIR, WEIGHT_CALL_UP, WEIGHT_FACTION = 3, 2, 1


@dataclass(frozen=True)
class NameProposal:
    label: str
    name: str
    reason: str


def _surname(member: Member) -> str:
    return member.name.split()[-1]


def _match_member(
    called: str, members: Sequence[Member], given: str | None = None
) -> Member | None:
    """The one member whose surname (or role: "Herr Kämmerer") sounds like `called`;
    a given name said with it ("Frau Maria Keller") decides between equal surnames."""
    called = called.lower()
    scored: list[tuple[float, Member]] = []
    for member in members:
        ratio = SequenceMatcher(None, called, _surname(member).lower()).ratio()
        if member.role and called == member.role.strip().lower():
            ratio = 1.0
        scored.append((ratio, member))
    good = sorted((s for s in scored if s[0] >= _NAME_SIMILARITY), key=lambda s: -s[0])
    if not good:
        return None
    if len(good) > 1 and good[1][0] >= good[0][0] - 0.05:
        tied = [m for r, m in good if r >= good[0][0] - 0.05]
        if given:
            by_given = [m for m in tied if m.name.split()[0].lower() == given.lower()]
            if len(by_given) == 1:
                return by_given[0]
        return None  # two members fit: "Herr Keller" with two Kellers
    return good[0][1]


def _given_name(text: str, surname_start: int, call_start: int) -> str | None:
    """The capitalised word said right before the surname, if it is no title."""
    before = text[call_start:surname_start].split()
    if not before:
        return None
    word = before[-1]
    if not word[:1].isupper() or word.rstrip(".") in ("Herr", "Herrn", "Frau", "Dr", "Prof"):
        return None
    return word


def _display(member: Member) -> str:
    role = member.role.strip()
    return f"{role} {member.name}".strip() if role else member.name


def _faction_members(said: str, present: Sequence[Member]) -> list[Member]:
    """Present members whose faction is the one named ('SPD', 'Grünen', 'CDU')."""
    said = said.strip().lower()
    if len(said) < 2:
        return []
    out = []
    for member in present:
        faction = member.faction.strip().lower()
        if not faction:
            continue
        parts = {p for p in re.split(r"[\s/,-]+", faction) if len(p) >= 2}
        if faction == said or faction.startswith(said) or said in parts or faction in said:
            out.append(member)
    return out


def propose_names(sentences: Sequence[Sentence], members: Sequence[Member]) -> list[NameProposal]:
    present = [m for m in members if not m.absent]
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    reasons: dict[tuple[str, str], list[str]] = defaultdict(list)

    def vote(label: str, member: Member, weight: int, reason: str) -> None:
        name = _display(member)
        votes[label][name] += weight
        if reason not in reasons[(label, name)]:
            reasons[(label, name)].append(reason)

    announcers = Counter(s.speaker for s in sentences if s.speaker and announced_numbers(s.text))
    chairs = [m for m in present if m.chair]
    chair = chairs[0] if len(chairs) == 1 else None
    chair_label: str | None = None
    if announcers:
        ranked = announcers.most_common(2)
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            chair_label = ranked[0][0]
    if chair and chair_label:
        vote(chair_label, chair, WEIGHT_CHAIR, "ruft die Tagesordnungspunkte auf")

    for i, sentence in enumerate(sentences):
        if sentence.speaker is None:
            continue
        for match in _CALL_UP.finditer(sentence.text):
            group = "a" if match.group("a") else "b"
            given = _given_name(sentence.text, match.start(group), match.start())
            member = _match_member(match.group(group), present, given)
            if member is None:
                continue
            rest = sentences[i + 1 :]
            nxt = next((s for s in rest if s.speaker not in (None, sentence.speaker)), None)
            if nxt is None or nxt.speaker is None:
                continue
            if nxt.start_s - sentence.end_s > _CALL_UP_WINDOW_S:
                continue
            vote(nxt.speaker, member, WEIGHT_CALL_UP, f"aufgerufen: „{match.group(0).strip()}“")

    for sentence in sentences:
        if sentence.speaker is None or sentence.speaker == chair_label:
            continue
        faction = _FACTION.search(sentence.text)
        if not faction:
            continue
        said = faction.group("f") or faction.group("g") or faction.group("h") or ""
        candidates = _faction_members(said, present)
        if len(candidates) == 1:
            member = candidates[0]
            vote(
                sentence.speaker,
                member,
                WEIGHT_FACTION,
                f"spricht für die Fraktion {member.faction} (einziges anwesendes Mitglied)",
            )

    proposals: list[NameProposal] = []
    taken: set[str] = set()
    ranked_labels = sorted(votes.items(), key=lambda kv: (-max(kv[1].values()), kv[0]))
    for label, counter in ranked_labels:
        (name, score), *others = counter.most_common()
        if score <= sum(weight for _, weight in others) or name in taken:
            continue  # contradicting evidence: leave it to the reviewer
        taken.add(name)
        proposals.append(NameProposal(label, name, "; ".join(reasons[(label, name)])))
    return proposals
