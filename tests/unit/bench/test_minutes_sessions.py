"""The minutes benchmark's sessions must be consistent, so that a typo fails here and
not as a wrong score: marks name agenda items, speakers are listed people, counts fit
the members present, and every reference fact is said in its item. The checks of one
session run on the development sessions and on the held-out ones alike."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bench.minutes_heldout import HELDOUT
from bench.minutes_heldout_b import HELDOUT_B
from bench.minutes_sessions import (
    MARK,
    SESSIONS,
    ItemRef,
    Session,
    item_texts,
    normalise,
    opening_text,
    to_spoken,
    voters,
)
from protokoll.domain.minutes import RESULTS

NO_VOTE = ("zur Kenntnis genommen", "zurückgezogen", "abgesetzt", "ohne Beschluss")
ACCEPTED = ("einstimmig beschlossen", "mehrheitlich beschlossen", "beschlossen",
            "geändert beschlossen")  # fmt: skip
VOICES = {"de1", "de2", "de3", "de4", "de5", "de6", "de7"}
MEETING_KEYS = {"body", "session_number", "date", "place", "start_time"}
MAX_TURN_WORDS = 45

ALL = SESSIONS + HELDOUT + HELDOUT_B
SESSION_IDS = [s.key for s in ALL]


def _marks(session: Session) -> list[str]:
    return [text for label, text in session.script if label == MARK]


def _turns(session: Session) -> list[tuple[str, str]]:
    return [(label, text) for label, text in session.script if label != MARK]


def _speakers(session: Session) -> set[str]:
    return {label for label, _ in _turns(session)}


def _counts(item: ItemRef) -> list[int | None]:
    return [item.yes, item.no, item.abstain]


def test_there_are_six_sessions_with_distinct_keys_seeds_and_bodies() -> None:
    assert len(SESSIONS) >= 6
    assert len(set(SESSION_IDS)) == len(ALL)
    assert len({s.seed for s in ALL}) == len(ALL)
    assert len({s.meeting["body"] for s in ALL}) == len(ALL)


def test_held_out_keys_never_collide_with_development_keys() -> None:
    """`--sessions` selects by key prefix and the cache folder starts with the key: a
    held-out session must not be picked, or cached, as a development one."""
    assert len(HELDOUT) == 3
    for held_out in HELDOUT:
        assert held_out.key.startswith("h")
        for other in ALL:
            if other is not held_out:
                assert not other.key.startswith(held_out.key.split("_")[0] + "_")
                assert not held_out.key.startswith(other.key.split("_")[0] + "_")


def test_held_out_sessions_cover_every_result() -> None:
    results = Counter(i.result for s in HELDOUT for i in s.items)
    assert set(results) == set(RESULTS), set(RESULTS) - set(results)


def test_held_out_sessions_have_the_hard_cases() -> None:
    items = [i for s in HELDOUT for i in s.items]
    assert sum(i.biased is not None for i in items) >= 2
    assert any((i.biased or 0) >= 2 for i in items)
    assert sum(i.result == "geändert beschlossen" for i in items) >= 2
    assert all(6 <= len(s.items) <= 8 for s in HELDOUT)


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_meeting_has_the_agenda_fields(session: Session) -> None:
    assert set(session.meeting) == MEETING_KEYS
    assert re.fullmatch(r"202[67]-\d\d-\d\d", session.meeting["date"])
    assert re.fullmatch(r"\d\d:\d\d", session.meeting["start_time"])
    assert all(session.meeting[k] for k in MEETING_KEYS)


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_people_are_well_formed(session: Session) -> None:
    people = session.people
    assert len({p.key for p in people}) == len(people)
    assert len({p.name for p in people}) == len(people)
    assert MARK not in {p.key for p in people}
    chairs = [p for p in people if p.chair]
    assert len(chairs) == 1
    assert not chairs[0].absent and not chairs[0].administration
    assert sum(p.absent for p in people) <= 1
    for p in people:
        assert p.voice in VOICES, p
        assert 170 <= p.speed <= 215, p
        assert 0 <= p.pitch <= 99, p
        assert -6.0 <= p.gain_db <= 0.0, p
        assert not (p.absent and p.administration), p
    speakers = _speakers(session)
    assert 5 <= len(speakers) <= 8
    silent = [p for p in people if p.key not in speakers and not p.absent]
    assert 3 <= len(silent) <= 10
    assert not any(p.administration for p in silent), "staff who never speak are not listed"


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_every_speaker_is_a_present_person(session: Session) -> None:
    people = {p.key: p for p in session.people}
    for label, text in _turns(session):
        assert label in people, label
        assert not people[label].absent, label
        assert text.strip(), label


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_turns_are_short(session: Session) -> None:
    for label, text in _turns(session):
        assert len(text.split()) <= MAX_TURN_WORDS, (label, text)


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_items_are_well_formed(session: Session) -> None:
    assert 6 <= len(session.items) <= 10
    numbers = [i.number for i in session.items]
    assert len(set(numbers)) == len(numbers)
    for item in session.items:
        assert item.result in RESULTS, item.number
        assert item.title and item.note, item.number
        for count in [*_counts(item), item.biased]:
            assert count is None or count >= 0, item.number
        assert item.biased != 0, "no Befangenheit declared is None, not 0"
        if item.result == "abgesetzt":
            assert item.facts == (), item.number
        else:
            assert 3 <= len(item.facts) <= 6, item.number
        for fact in item.facts:
            assert fact and all(variant.strip() for variant in fact), item.number


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_non_public_items_come_after_the_public_ones(session: Session) -> None:
    public = [i.public for i in session.items]
    assert public == sorted(public, reverse=True)


def test_every_result_is_covered_at_least_twice() -> None:
    results = Counter(i.result for s in SESSIONS for i in s.items)
    assert set(results) == set(RESULTS)
    assert min(results.values()) >= 2, results


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_marks_name_agenda_items_once(session: Session) -> None:
    marks = _marks(session)
    items = {i.number: i for i in session.items}
    assert len(set(marks)) == len(marks)
    for number in marks:
        assert number in items, number
    for number, item in items.items():
        if item.result == "abgesetzt":
            assert number not in marks, number
        else:
            assert number in marks, number
    assert session.script[0][0] != MARK, "the chair opens the session before item 1"


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_dropped_items_are_announced_in_the_opening(session: Session) -> None:
    opening = opening_text(session).lower()
    for item in session.items:
        if item.result == "abgesetzt":
            assert re.search(rf"punkt {item.number}\b", opening), item.number
            assert "abgesetzt" in opening or "abzusetzen" in opening


def test_some_item_is_taken_out_of_order() -> None:
    out_of_order = []
    for session in ALL:
        agenda = [i.number for i in session.items]
        marks = _marks(session)
        if marks != sorted(marks, key=agenda.index):
            out_of_order.append(session.key)
            assert " vor" in opening_text(session), "the chair announces the new order"
    assert out_of_order


def _first_turns(session: Session) -> dict[str, tuple[str, str]]:
    """Each marked item's first turn."""
    script = session.script
    return {text: script[i + 1] for i, (label, text) in enumerate(script[:-1]) if label == MARK}


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_the_chair_calls_every_item(session: Session) -> None:
    chair = next(p.key for p in session.people if p.chair)
    for number, (label, _) in _first_turns(session).items():
        assert label == chair, number


def test_some_items_are_announced_by_title_only() -> None:
    by_title = [
        (s.key, number)
        for s in ALL
        for number, (_, text) in _first_turns(s).items()
        if not re.search(rf"punkt {number}\b", text.lower())
    ]
    assert len(by_title) >= 3, by_title
    assert len({key for key, _ in by_title if key.startswith("h")}) >= 2, by_title


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_non_public_part_starts_with_the_public_leaving(session: Session) -> None:
    texts = item_texts(session)
    spoken_non_public = [n for n in _marks(session) if not _item(session, n).public]
    if spoken_non_public:
        first = texts[spoken_non_public[0]].lower()
        assert "verlassen" in first, spoken_non_public[0]


def _item(session: Session, number: str) -> ItemRef:
    return next(i for i in session.items if i.number == number)


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_facts_are_said_in_their_item(session: Session) -> None:
    texts = {n: normalise(t) for n, t in item_texts(session).items()}
    for item in session.items:
        for fact in item.facts:
            # the first variant is the canonical one: it must be in the script itself
            assert normalise(fact[0]) in texts[item.number], (item.number, fact)


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_counts_fit_the_members_present(session: Session) -> None:
    present = voters(session)
    for item in session.items:
        said = [c for c in _counts(item) if c is not None]
        biased = item.biased or 0
        assert sum(said) + biased <= present, item.number
        if len(said) == 3:
            # nobody leaves early in these sessions: a full count adds up exactly
            assert sum(said) + biased == present, item.number


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_counts_agree_with_the_result(session: Session) -> None:
    for item in session.items:
        yes, no, _ = _counts(item)
        if item.result in NO_VOTE:
            assert _counts(item) == [None, None, None], item.number
        if item.result == "einstimmig beschlossen":
            assert no in (None, 0), item.number
        if item.result in ACCEPTED and yes is not None and no is not None:
            assert yes > no, item.number
        if item.result == "abgelehnt" and yes is not None and no is not None:
            assert yes <= no, item.number
        if item.result == "vertagt" and any(c is not None for c in _counts(item)):
            assert "deferral" in item.note, "a counted deferral vote is noted"


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_befangenheit_is_declared_where_counted(session: Session) -> None:
    texts = item_texts(session)
    for item in session.items:
        text = texts.get(item.number, "").lower()
        assert (item.biased is not None) == ("befangen" in text), item.number


def test_some_items_have_befangene_members() -> None:
    biased = [i.biased for s in SESSIONS for i in s.items if i.biased]
    assert biased and max(biased) >= 2


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_vocabulary_has_no_numbers_and_is_used(session: Session) -> None:
    assert len(set(session.vocabulary)) == len(session.vocabulary)
    said = " ".join(
        [text for _, text in _turns(session)]
        + [p.name for p in session.people]
        + [i.title for i in session.items]
    )
    for term in session.vocabulary:
        assert not re.search(r"\d", term), term
        assert term in said, term


# what espeak-ng misreads: years and other long numbers, thousands dots, paper numbers,
# times, ordinals ("3. Mai", also a number ending a sentence), digits glued to letters
_MISREAD = re.compile(r"\d{4}|\d\.\d|\d/\d|\d:\d|\d\.(\s|$)|\d[^\W\d_]|[^\W\d_]\d")


@pytest.mark.parametrize("session", ALL, ids=SESSION_IDS)
def test_spoken_covers_what_espeak_misreads(session: Session) -> None:
    script = " ".join(text for _, text in _turns(session))
    for printed, words in session.spoken.items():
        assert printed in script, printed
        assert not re.search(r"\d", words), printed
    for label, text in _turns(session):
        fed = to_spoken(text, session.spoken)
        assert not _MISREAD.search(fed), (label, fed)


def test_to_spoken_replaces_longest_keys_first() -> None:
    spoken = {"2027": "zweitausendsiebenundzwanzig", "1. Januar 2027": "ersten Januar X"}
    assert to_spoken("ab 1. Januar 2027 und 2027", spoken) == (
        "ab ersten Januar X und zweitausendsiebenundzwanzig"
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("2,4 Millionen Euro", "2,4 Mio. €"),
        ("60 Prozent", "60%"),
        ("350.000 EUR", "350.000 €"),
        ("2.400 Quadratmeter", "2.400 m²"),
        ("3,2 Hektar", "3,2 ha"),
        ("Am  Kellerberg", "am kellerberg"),
    ],
)
def test_normalise_makes_unit_words_uniform(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


def test_normalise_leaves_words_that_only_contain_a_unit() -> None:
    assert "europa" in normalise("Europa")
    assert normalise("Eurostat") == "eurostat"
