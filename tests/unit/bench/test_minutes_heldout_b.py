"""The second held-out split (H4-H6) must be well formed and cover what it is meant to:
every result, the vote phrasings and the hard cases. The general checks of one session
(speakers, facts, spoken forms, counts adding up) run on these sessions too, in
`test_minutes_sessions.py`; these are the ones particular to the split."""

from __future__ import annotations

import re

import pytest

from bench.minutes import SPLITS
from bench.minutes_heldout import HELDOUT
from bench.minutes_heldout_b import HELDOUT_B
from bench.minutes_sessions import MARK, SESSIONS, ItemRef, Session, item_texts, voters
from protokoll.domain.minutes import RESULTS

IDS = [s.key for s in HELDOUT_B]


def _marks(session: Session) -> list[str]:
    return [text for label, text in session.script if label == MARK]


def _items(session: Session) -> dict[str, ItemRef]:
    return {i.number: i for i in session.items}


def _all_text() -> str:
    return " ".join(text for s in HELDOUT_B for label, text in s.script if label != MARK)


def test_the_split_is_registered_and_included_in_all() -> None:
    assert SPLITS["heldout-b"] == HELDOUT_B
    assert SPLITS["all"] == SESSIONS + HELDOUT + HELDOUT_B


def test_three_sessions_with_keys_of_their_own() -> None:
    assert [s.key.split("_")[0] for s in HELDOUT_B] == ["h4", "h5", "h6"]
    others = {s.key.split("_")[0] for s in SESSIONS + HELDOUT}
    assert not others & {s.key.split("_")[0] for s in HELDOUT_B}
    assert len({s.seed for s in SESSIONS + HELDOUT + HELDOUT_B}) == 12


@pytest.mark.parametrize("session", HELDOUT_B, ids=IDS)
def test_items_are_listed_in_agenda_order(session: Session) -> None:
    numbers = [int(i.number) for i in session.items]
    assert numbers == list(range(1, len(numbers) + 1))
    assert 6 <= len(numbers) <= 10


@pytest.mark.parametrize("session", HELDOUT_B, ids=IDS)
def test_every_mark_is_an_agenda_item_and_every_held_item_is_marked(session: Session) -> None:
    marks = _marks(session)
    items = _items(session)
    assert len(marks) == len(set(marks))
    assert set(marks) <= set(items)
    for number, item in items.items():
        assert (number in marks) == (item.result != "abgesetzt"), number


@pytest.mark.parametrize("session", HELDOUT_B, ids=IDS)
def test_counts_fit_the_voters(session: Session) -> None:
    present = voters(session)
    assert 10 <= present <= 25
    for item in session.items:
        said = [c for c in (item.yes, item.no, item.abstain) if c is not None]
        assert all(c <= present for c in said), item.number
        assert sum(said) + (item.biased or 0) <= present, item.number


def test_every_result_is_covered() -> None:
    results = {i.result for s in HELDOUT_B for i in s.items}
    assert results == set(RESULTS), set(RESULTS) - results


def test_the_hard_cases_are_there() -> None:
    items = [i for s in HELDOUT_B for i in s.items]
    assert sum(i.result == "geändert beschlossen" for i in items) >= 2
    assert sum(i.result == "vertagt" for i in items) >= 2
    assert sum(i.biased is not None for i in items) >= 3
    assert any((i.biased or 0) >= 2 for i in items)
    # a tie is rejected
    assert any(i.result == "abgelehnt" and i.yes is not None and i.yes == i.no for i in items)
    # "einstimmig" without any count said
    assert any(
        i.result == "einstimmig beschlossen" and (i.yes, i.no, i.abstain) == (None, None, None)
        for i in items
    )


def test_items_are_taken_out_of_order_and_called_by_title() -> None:
    out_of_order = 0
    by_title = 0
    for session in HELDOUT_B:
        agenda = [i.number for i in session.items]
        marks = _marks(session)
        out_of_order += marks != sorted(marks, key=agenda.index)
        script = session.script
        for i, (label, number) in enumerate(script[:-1]):
            if label == MARK and not re.search(rf"punkt {number}\b", script[i + 1][1].lower()):
                by_title += 1
    assert out_of_order >= 2
    assert by_title >= 3


@pytest.mark.parametrize(
    "phrase",
    [
        "Wer ist dafür? – Zwölf",
        "Niemand",
        "bei drei Gegenstimmen und einer Enthaltung",
        "ohne Gegenstimme",
        "Stimmengleichheit",
        "mit großer Mehrheit",
        "Sehe ich nicht",
        "Ich verlese den Beschlussvorschlag",
        "Das ergibt 11 Stimmen dafür",
        "Ich sehe vier Hände dafür",
        "ziehen wir vor",
        "abgesetzt",
        "zurück",
    ],
)
def test_the_vote_phrasings_are_said(phrase: str) -> None:
    assert phrase.lower() in _all_text().lower(), phrase


def test_befangenheit_is_declared_by_members_and_stated_by_the_chair() -> None:
    chair_states = member_declares = 0
    for session in HELDOUT_B:
        chair = next(p.key for p in session.people if p.chair)
        texts = item_texts(session)
        for item in session.items:
            if item.biased is None:
                continue
            turns = _turns_of(session, item.number)
            chair_states += any(k == chair and "befangen" in t for k, t in turns)
            member_declares += any(k != chair and "Ich bin" in t and "befangen" in t
                                   for k, t in turns)  # fmt: skip
            assert "befangen" in texts[item.number]
    assert chair_states >= 2
    assert member_declares >= 2


def _turns_of(session: Session, number: str) -> list[tuple[str, str]]:
    turns: list[tuple[str, str]] = []
    current = None
    for label, text in session.script:
        if label == MARK:
            current = text
        elif current == number:
            turns.append((label, text))
    return turns
