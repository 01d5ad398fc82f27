"""The minutes benchmark's scoring must count what it claims: wrong numbers apart from
`null`s, a result left empty as missed (not wrong), a dropped item's missing start as right."""

from __future__ import annotations

from bench.minutes import SPLITS, score_item, session_dir
from bench.minutes_heldout import HELDOUT
from bench.minutes_heldout_b import HELDOUT_B
from bench.minutes_sessions import SESSIONS, ItemRef
from protokoll.domain.minutes import MinutesItem, SummarySentence, Votes

REF = ItemRef("2", "Sanierung", "", True, "mehrheitlich beschlossen", yes=14, no=3, abstain=None,
              facts=(("1,8 Mio. €", "1,8 Millionen Euro"), ("Lindenweg",)))  # fmt: skip


def _item(result: str | None, votes: Votes, start: float | None, text: str) -> MinutesItem:
    item = MinutesItem("2", "Sanierung", start_s=start, result=result, votes=votes)
    item.summary = [SummarySentence(text)]
    return item


def test_right_counts_nulls_and_wrong_numbers_are_told_apart() -> None:
    item = _item("mehrheitlich beschlossen", Votes(14, None, 0, None), 100.0, "x")
    score = score_item(REF, item, 102.0, "", "t")
    # yes right, no said but empty (null), abstain shown although never said (wrong)
    assert score.counts == {"right": 1, "null": 1, "wrong": 1}
    assert score.results == {"right": 1, "missed": 0, "wrong": 0}
    assert score.boundaries == {"right": 1, "wrong": 0}


def test_an_empty_result_is_missed_and_another_result_wrong() -> None:
    assert score_item(REF, _item(None, Votes(), 100.0, ""), 100.0, "", "t").results["missed"] == 1
    wrong = score_item(REF, _item("abgelehnt", Votes(), 100.0, ""), 100.0, "", "t")
    assert wrong.results["wrong"] == 1 and any("abgelehnt" in f for f in wrong.findings)


def test_boundaries_within_five_seconds_and_dropped_items_without_start() -> None:
    late = score_item(REF, _item(None, Votes(), 106.0, ""), 100.0, "", "t")
    assert late.boundaries == {"right": 0, "wrong": 1}
    dropped = ItemRef("6", "Weg", "", True, "abgesetzt")
    item = MinutesItem("6", "Weg", result="abgesetzt")
    assert score_item(dropped, item, None, "", "t").boundaries == {"right": 1, "wrong": 0}


def test_facts_match_across_unit_spellings_and_count_what_was_heard() -> None:
    item = _item(None, Votes(), 100.0, "Die Kosten lägen bei 1,8 Mio. €.")
    score = score_item(REF, item, 100.0, "Die Kosten: 1,8 Millionen Euro am Lindenweg.", "t")
    assert score.facts == {"found": 1, "heard": 2, "found_of_heard": 1, "total": 2}
    assert score.sentences == {"flagged": 0, "total": 1}


def test_the_splits_keep_dev_as_default_and_never_share_a_cache_folder() -> None:
    assert SPLITS["dev"] == SESSIONS and SPLITS["heldout"] == HELDOUT
    assert SPLITS["heldout-b"] == HELDOUT_B
    assert SPLITS["all"] == SESSIONS + HELDOUT + HELDOUT_B
    folders = {session_dir(s).name.rsplit("-", 1)[0] for s in SPLITS["all"]}
    assert len(folders) == len(SPLITS["all"])
