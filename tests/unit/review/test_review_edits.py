"""Edits from the browser applied to a version of the minutes (pure)."""

from __future__ import annotations

import copy

import pytest

from protokoll.domain.minutes import Flag, Minutes, SourceRange
from protokoll.domain.speakers import names_in
from protokoll.errors import InputError
from protokoll.review.edits import (
    ItemEdit,
    SessionEdit,
    clock_time,
    edit_item,
    edit_session,
    format_clock,
    map_speakers,
    parse_clock,
    speaker_labels,
)
from tests.support.builders import build_minutes


@pytest.fixture
def minutes() -> Minutes:
    return build_minutes()


def test_the_base_version_is_never_changed(minutes: Minutes) -> None:
    before = copy.deepcopy(minutes)
    map_speakers(minutes, {"SPEAKER_03": "Ratsfrau Öztürk"})
    edit_item(minutes, "2", ItemEdit(resolution_text="Neu.", summary=["Nur ein Satz."]))
    assert minutes == before


def test_speaker_mapping_sets_and_removes_names(minutes: Minutes) -> None:
    assert "SPEAKER_03" in speaker_labels(minutes)
    mapped = map_speakers(minutes, {"SPEAKER_03": "  Ratsfrau   Öztürk "})
    assert mapped.speaker_names["SPEAKER_03"] == "Ratsfrau Öztürk"
    unmapped = map_speakers(mapped, {"SPEAKER_03": ""})
    assert "SPEAKER_03" not in unmapped.speaker_names
    with pytest.raises(InputError, match="Sprecher 100"):
        map_speakers(minutes, {"SPEAKER_99": "Niemand"})


def test_item_edit_changes_only_that_item(minutes: Minutes) -> None:
    item = minutes.items[1]
    first, second = (s.text for s in item.summary[:2])
    edited = edit_item(
        minutes, "2",
        ItemEdit(
            summary=[first, "Ratsfrau Öztürk unterstützte die Sanierung.", ""],
            motions=["Antrag der SPD: Turnhalle im Haushalt 2027.", " "],
            resolution_text="Der Rat beschließt die Sanierung.",
            result="mehrheitlich beschlossen",
            votes={"yes": 15, "no": 3, "abstain": 1, "biased": None},
        ),
    )  # fmt: skip
    new = edited.items[1]
    assert [s.text for s in new.summary] == [first, "Ratsfrau Öztürk unterstützte die Sanierung."]
    assert new.summary[0] == item.summary[0]  # unchanged: sources and flags kept
    assert new.summary[1].sources == item.summary[1].sources  # replaced: sources kept
    assert new.summary[1].flags == []  # ... its flags dealt with
    assert second != new.summary[1].text
    assert new.motions == ["Antrag der SPD: Turnhalle im Haushalt 2027."]
    assert new.resolution_text == "Der Rat beschließt die Sanierung."
    assert (new.votes.yes, new.votes.no, new.votes.abstain, new.votes.biased) == (15, 3, 1, None)
    assert edited.items[2:] == minutes.items[2:]
    assert edited.items[0] == minutes.items[0]


def test_item_edit_checks_its_input(minutes: Minutes) -> None:
    with pytest.raises(InputError, match="TOP 9"):
        edit_item(minutes, "9", ItemEdit(resolution_text="x"))
    with pytest.raises(InputError, match="Unbekanntes Ergebnis"):
        edit_item(minutes, "2", ItemEdit(result="angenommen"))
    with pytest.raises(InputError, match="Enthaltungen"):
        edit_item(minutes, "2", ItemEdit(votes={"abstain": -1}))
    removed = edit_item(minutes, "2", ItemEdit(resolution_text="  ", result=""))
    assert removed.items[1].resolution_text is None and removed.items[1].result is None


def test_moving_a_boundary_moves_the_previous_end(minutes: Minutes) -> None:
    edited = edit_item(minutes, "2", ItemEdit(start_s=250.0), duration_s=8000.0)
    assert edited.items[1].start_s == 250.0
    assert edited.items[1].boundary is not None and edited.items[1].boundary.method == "manuell"
    assert edited.items[0].end_s == 250.0
    with pytest.raises(InputError, match="nach dem Beginn von TOP 1"):
        edit_item(minutes, "2", ItemEdit(start_s=10.0))
    after = minutes.items[2].start_s
    assert after is not None
    with pytest.raises(InputError, match="vor dem Beginn von TOP 3"):
        edit_item(minutes, "2", ItemEdit(start_s=after + 1))
    with pytest.raises(InputError, match="außerhalb"):
        edit_item(minutes, "2", ItemEdit(start_s=9000.0), duration_s=8000.0)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("0:12:30", 750.0),
        ("12:30", 750.0),
        ("1:02:03", 3723.0),
        ("75", 75.0),
        ("1:00:00,5", 3600.5),
    ],
)
def test_clock_parsing(text: str, seconds: float) -> None:
    assert parse_clock(text) == seconds
    assert parse_clock(format_clock(seconds)) == float(int(seconds))


@pytest.mark.parametrize("text", ["", "abc", "1:75", "1:61:00"])
def test_clock_parsing_refuses_nonsense(text: str) -> None:
    with pytest.raises(InputError):
        parse_clock(text)


def test_sources_survive_a_round_trip(minutes: Minutes) -> None:
    edited = edit_item(minutes, "1", ItemEdit(summary=["Ganz anders formuliert."]))
    assert edited.items[0].summary[0].sources == [SourceRange(70.2, 81.9)]


def test_mapping_table_has_one_row_per_speaker_even_for_older_drafts(minutes: Minutes) -> None:
    """Issue #17: 10 rows for 5 speakers: older drafts kept "Sprecher 4" or a proposed name
    in a TOP's speakers; they are the transcript's labels, not speakers of their own."""
    minutes.items[1].speakers = ["Bürgermeisterin Schäfer", "Sprecher 4", "Sprecher 8"]
    transcript = ["SPEAKER_00", "SPEAKER_03", "SPEAKER_05", "SPEAKER_07", "SPEAKER_10"]
    assert speaker_labels(minutes, transcript) == transcript


def test_a_name_given_to_a_speaker_renames_the_minutes_text(minutes: Minutes) -> None:
    """Issue #17: "Sprecher 4" (an older draft's text) and the old name of a renamed speaker
    become the label, so the new name shows wherever the text is rendered."""
    minutes.items[1].summary[0].text = "Sprecher 4 erklärte, die Fraktion stimme zu."
    minutes.items[1].motions = ["Antrag von Bürgermeisterin Schäfer: Vertagung."]
    mapped = map_speakers(minutes, {"SPEAKER_03": "Emine Öztürk", "SPEAKER_00": "Anna Berger"})
    item = mapped.items[1]
    assert item.summary[0].text == "SPEAKER_03 erklärte, die Fraktion stimme zu."
    assert item.motions == ["Antrag von SPEAKER_00: Vertagung."]
    shown = names_in(item.summary[0].text, mapped.speaker_names)
    assert shown == "Emine Öztürk erklärte, die Fraktion stimme zu."
    assert item.summary[0].sources == minutes.items[1].summary[0].sources
    # the key readers see is accepted too
    again = map_speakers(mapped, {"Sprecher 4": "Frau Öztürk"})
    assert again.speaker_names["SPEAKER_03"] == "Frau Öztürk"


def test_texts_edited_as_shown_are_stored_with_labels_and_keep_their_flags(
    minutes: Minutes,
) -> None:
    """The browser shows names ("Sprecher 6 fragte …"); saving turns them back into labels,
    and an unchanged sentence stays the same sentence (its sources and flags kept)."""
    item = minutes.items[1]
    shown = [names_in(s.text, minutes.speaker_names) for s in item.summary]
    assert not any("SPEAKER_" in t for t in shown)
    edited = edit_item(minutes, item.number, ItemEdit(summary=shown))
    assert [s.text for s in edited.items[1].summary] == [
        " ".join(s.text.split()) for s in item.summary
    ]
    assert [s.flags for s in edited.items[1].summary] == [s.flags for s in item.summary]
    changed = edit_item(minutes, item.number, ItemEdit(summary=["Sprecher 6 fragte erneut."]))
    assert changed.items[1].summary[0].text == "SPEAKER_05 fragte erneut."


def test_the_session_data_are_set_and_settle_the_end_flags(minutes: Minutes) -> None:
    """Walk-through of #17: Ende, Schriftführung (and Beginn, Ort, Vorsitz) can be set in the
    review; a person's end time settles the flags about the end, not the others."""
    minutes.flags = [
        Flag("ende_unklar", "Das Ende wurde genannt, aber nicht sicher erkannt."),
        Flag("andere", "Ein anderer Hinweis."),
    ]
    before = copy.deepcopy(minutes)
    edited = edit_session(
        minutes, SessionEdit(end_time="19.42 Uhr", recorder=" Sabine Schreiber ", place="")
    )
    assert minutes == before  # the base version is never changed
    assert edited.meeting.end_time == "19:42"
    assert edited.attendance.recorder == "Sabine Schreiber"
    assert edited.meeting.place == ""
    assert edited.meeting.start_time == minutes.meeting.start_time  # None: left as it is
    assert [f.kind for f in edited.flags] == ["andere"]
    # a name only leaves the end's flags alone
    named = edit_session(minutes, SessionEdit(chair="Bürgermeisterin Berger"))
    assert [f.kind for f in named.flags] == ["ende_unklar", "andere"]


@pytest.mark.parametrize(
    ("text", "expected"), [("19:42", "19:42"), ("7.05", "07:05"), ("19:42 Uhr", "19:42"), ("", "")]
)
def test_clock_times_are_read_as_people_write_them(text: str, expected: str) -> None:
    assert clock_time(text, "das Ende") == expected


@pytest.mark.parametrize("text", ["25:00", "19:60", "halb acht", "1942"])
def test_a_wrong_clock_time_is_refused_in_german(text: str) -> None:
    with pytest.raises(InputError, match="keine Uhrzeit für das Ende"):
        clock_time(text, "das Ende")
