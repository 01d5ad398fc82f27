"""Votes that survive recognition errors: a count that was not understood stays empty with
a flag (never 0, never the next question's answer), glued or misheard keywords, and counts
checked against the members present and a declared Befangenheit."""

from __future__ import annotations

from protokoll.asr.transcribe import build_hotwords, hotword_term
from protokoll.domain.minutes import RESULTS, Evidence, Flag, MinutesItem, Votes
from protokoll.minutes.draft import mark_dropped
from protokoll.minutes.sentences import Sentence
from protokoll.minutes.votes import (
    check_consistency,
    check_votes,
    dropped_items,
    extract_counts,
    extract_result,
    unreadable_flags,
)


def sents(*lines: str) -> list[Sentence]:
    return [Sentence(i, i * 3.0, i * 3.0 + 2.5, "SPEAKER_00", t) for i, t in enumerate(lines)]


def test_a_garbled_count_stays_empty_and_is_not_taken_from_the_next_question() -> None:
    # "Gegenstimmen? Drei." came out as a date (the agenda's dates were hotwords)
    lines = sents(
        "Wer ist dafür? 12.", "Gegenstimmen? 3.12.", "Enthaltungen? Keine.", "Damit beschlossen."
    )
    finding = extract_counts(lines)
    assert (finding.votes.yes, finding.votes.no, finding.votes.abstain) == (12, None, 0)
    [flag] = unreadable_flags(finding)
    assert flag.kind == "zahl_unverstanden"
    assert "Gegenstimmen" in flag.message
    assert (flag.start_s, flag.text) == (3.0, "Gegenstimmen? 3.12.")


def test_a_count_heard_as_a_year_stays_empty() -> None:
    finding = extract_counts(sents("Dafür? 15.", "Dagegen? 2026.", "Enthaltungen? Keine."))
    assert (finding.votes.yes, finding.votes.no, finding.votes.abstain) == (15, None, 0)
    assert [c for c, _ in finding.unreadable] == ["no"]


def test_questions_answered_together_by_keine_still_are() -> None:
    finding = extract_counts(sents("Wer ist dafür? 12.", "Gegenstimmen? Enthaltungen? Keine."))
    assert (finding.votes.no, finding.votes.abstain) == (0, 0)
    assert finding.unreadable == []


def test_a_glued_befangen_is_counted() -> None:
    finding = extract_counts(
        sents("Das sind 10 Ja-Stimmen, 2 Gegenstimmen, keine Enthaltung und 1 fürbefangen.")
    )
    assert finding.votes.biased == 1


def test_bei_einer_befangenheit_misheard_as_deiner_is_counted() -> None:
    finding = extract_counts(
        sents("Wer ist dafür? 10.", "Gegenstimmen? Keine.", "Deiner Befangenheit so beschlossen.")
    )
    assert (finding.votes.yes, finding.votes.no, finding.votes.biased) == (10, 0, 1)


def test_declared_befangenheit_is_counted_once_per_person() -> None:
    lines = [
        Sentence(0, 0.0, 2.0, "SPEAKER_01", "Ich erkläre mich für befangen."),
        Sentence(1, 3.0, 5.0, "SPEAKER_02", "Ich bin Kassier und damit ebenfalls befangen."),
        Sentence(2, 6.0, 8.0, "SPEAKER_01", "Ich bin befangen, wie gesagt."),
        Sentence(3, 9.0, 11.0, "SPEAKER_00", "Wer ist dafür? Das ist einstimmig."),
    ]
    finding = extract_counts(lines)
    assert finding.votes.biased == 2
    assert {e.start_s for e in finding.evidence} >= {0.0, 3.0}
    named = sents("Herr Bauer und Herr Hofmann besitzen Grundstücke im Plangebiet.",
                  "Sie sind befangen und nehmen nicht teil.",
                  "Frau Roth ist als Schwester von Herrn Bauer ebenfalls befangen.")  # fmt: skip
    assert extract_counts(named).votes.biased == 3
    # the chair's count wins over the declarations it sums up
    summed = sents("Ich erkläre mich für befangen.", "Wer ist dafür? Acht.",
                   "Mehrheitlich beschlossen, ein Mitglied war befangen.")  # fmt: skip
    assert extract_counts(summed).votes.biased == 1


def test_a_befangenheit_mentioned_but_not_counted_is_flagged() -> None:
    lines = sents(
        "Die Befangenheit von Herrn Berger wird von der Verwaltung noch geprüft.",
        "Wer ist dafür? 10.",
        "Gegenstimmen? Keine. Enthaltungen? Keine.",
    )
    votes = extract_counts(lines).votes
    assert votes.biased is None
    flags = check_consistency("einstimmig beschlossen", votes, lines, present=15)
    assert [f.kind for f in flags] == ["befangenheit_nicht_gezaehlt"]
    assert flags[0].start_s == 0.0


def test_counts_above_the_members_present_are_flagged() -> None:
    flags = check_consistency("mehrheitlich beschlossen", Votes(14, 3, 2), [], present=15)
    assert [f.kind for f in flags] == ["stimmen_zu_viele"]
    assert "19" in flags[0].message and "15" in flags[0].message
    assert check_consistency("mehrheitlich beschlossen", Votes(10, 3, 2), [], present=15) == []
    assert check_consistency("beschlossen", Votes(30, 3, 2), [], present=None) == []


def test_hotwords_hold_no_numbers_dates_or_years() -> None:
    assert hotword_term("Haushaltssatzung 2027") == "Haushaltssatzung"
    assert hotword_term("Bebauungsplan Nr. 12 „Am Lindenweg“") == "Bebauungsplan „Am Lindenweg“"
    hotwords = build_hotwords(["Anna Schulz", "Sitzung vom 19.11.2026", "2026", "Lindenweg"])
    assert hotwords == "Anna Schulz, Sitzung vom, Lindenweg"


def test_an_item_taken_off_the_agenda_is_found_by_its_number() -> None:
    lines = sents(
        "Bevor wir beginnen: Tagesordnungspunkt 5 wird von der Tagesordnung abgesetzt.",
        "Den TOP sieben setzen wir heute ab, die Unterlagen fehlen.",
        "Punkt 2 wird vertagt.",
    )
    found = dropped_items(lines, ["1", "2", "5", "7"])
    assert sorted(found) == ["5", "7"]
    assert found["5"].start_s == 0.0


def test_a_dropped_item_reads_abgesetzt_without_a_missing_start_flag() -> None:
    item = MinutesItem("5", "Bebauungsplan", flags=[Flag("top_nicht_gefunden", "…")])
    evidence = Evidence("Tagesordnungspunkt 5 wird abgesetzt.", 10.0, 12.0)
    mark_dropped(item, evidence)
    assert item.result == "abgesetzt" and item.result_evidence == evidence
    assert item.flags == []
    assert "abgesetzt" in RESULTS
    assert check_votes("abgesetzt", Votes()) == []


def test_adopted_after_an_amendment_is_geaendert_beschlossen_with_the_final_counts() -> None:
    lines = sents(
        "Zuerst der Änderungsantrag. Wer ist dafür? 9. Gegenstimmen? 6. Enthaltungen? Keine.",
        "Angenommen.",
        "Nun die Vorlage mit der Änderung. Wer ist dafür? 14. Dagegen? 1. Enthaltungen? Keine.",
        "Damit so beschlossen.",
    )
    assert extract_result(lines)[0] == "geändert beschlossen"
    votes = extract_counts(lines).votes
    assert (votes.yes, votes.no, votes.abstain) == (14, 1, 0)  # the final vote's


def test_a_rejected_amendment_leaves_the_matter_plainly_adopted() -> None:
    lines = sents(
        "Wir stimmen über den Änderungsantrag ab. Wer ist dafür? 4. Dagegen? 11.",
        "Der Änderungsantrag ist abgelehnt.",
        "Dann die Vorlage. Wer ist dafür? 12. Dagegen? 3.",
        "Damit mehrheitlich beschlossen.",
    )
    assert extract_result(lines)[0] == "mehrheitlich beschlossen"


def test_gegenprobe_asks_for_the_votes_against_not_for() -> None:
    lines = sents(
        "Wer stimmt zu? Danke. Gegenprobe? Niemand. Enthaltungen? Eine.",
        "Damit bei einer Enthaltung beschlossen.",
    )
    votes = extract_counts(lines).votes
    assert (votes.yes, votes.no, votes.abstain) == (None, 0, 1)  # before: yes 0, a wrong count


def test_no_decision_stated_by_the_chair_is_ohne_beschluss() -> None:
    for said in (
        "Ein Beschluss ist dazu nicht zu fassen.",
        "Zur Anfrage ist kein Beschluss zu fassen, wir kommen im Mai darauf zurück.",
        "Einen Beschluss fassen wir zu der Anfrage nicht.",
        "Ein Beschluss ist zu diesen Punkten nicht erforderlich.",
    ):
        assert extract_result(sents("Wann wird der Weg repariert?", said))[0] == "ohne Beschluss"
    # a rejected resolution is no "ohne Beschluss"
    assert extract_result(sents("Der Beschlussvorschlag ist nicht angenommen."))[0] == "abgelehnt"


def test_yes_counts_after_a_call_for_hands_and_all_members() -> None:
    by_hand = sents(
        "Wer dem Antrag der SPD-Fraktion zustimmt, den bitte ich um das Handzeichen.",
        "Das sind vier.",
        "Gegenprobe? Neun. Enthaltungen? Eine.",
        "Damit ist der Antrag abgelehnt.",
    )
    assert extract_counts(by_hand).votes == Votes(4, 9, 1, None)
    everyone = sents(
        "Wer stimmt der Vergabe zu? Das sind alle 13 stimmberechtigten Mitglieder.",
        "Gegenstimmen? Keine. Enthaltungen? Ebenfalls null.",
    )
    assert extract_counts(everyone).votes == Votes(13, 0, 0, None)


def test_a_bare_keine_after_a_lost_question_is_no_yes_count() -> None:
    # "Gegenstimmen" heard as "jeden Stimmen": the "keine" is not the yes count
    garbled = sents(
        "Wer der Ersatzbeschaffung zustimmt, den bitte ich um das Handzeichen.",
        "Danke, jeden Stimmen, keine, wer enthält sich, niemand, damit ist die Beschaffung "
        "einstimmig beschlossen.",
    )
    assert extract_counts(garbled).votes.yes is None


def test_a_final_vote_not_understood_never_takes_the_amendments_counts() -> None:
    lines = sents(
        "Ich lasse zuerst über den Änderungsantrag der CDU-Fraktion abstimmen.",
        "Wer ist dafür? Neun, dagegen, fünf, Enthaltungen, eine, der Änderungsantrag ist "
        "angenommen.",
        "Nun zur Haushaltssatzung mit dieser Änderung, ich bitte um das Handzeichen, lasse "
        "sind elf Jahrestimmen, virenein stimmen, keine Enthaltungen.",
        "Damit ist der Haushalt in geänderter Fassung beschlossen.",
    )
    finding = extract_counts(lines)
    assert (finding.votes.yes, finding.votes.no, finding.votes.abstain) == (11, None, 0)
    assert extract_result(lines)[0] == "geändert beschlossen"
    # nothing of the final yes and no understood: both unknown and flagged, not 9 and 5
    final = "Nun zur Satzung mit dieser Änderung, ich bitte um das Handzeichen. Danke, keine."
    lines[2] = Sentence(2, 6.0, 8.5, "SPEAKER_00", final.replace("keine.", "keine Enthaltungen."))
    finding = extract_counts(lines)
    assert (finding.votes.yes, finding.votes.no, finding.votes.abstain) == (None, None, 0)
    assert {category for category, _ in finding.unreadable} == {"yes", "no"}


def test_jahre_stimmen_is_heard_for_ja_stimmen() -> None:
    lines = sents("Wer stimmt zu? Das sind zwölf Jahre Stimmen. Wer ist dagegen? Eine.")
    assert (extract_counts(lines).votes.yes, extract_counts(lines).votes.no) == (12, 1)


def test_only_the_amendments_adoption_understood_leaves_the_result_open() -> None:
    lines = sents(
        "Ich lasse zuerst über den Änderungsantrag abstimmen. Wer ist dafür? Neun.",
        "Der Änderungsantrag ist angenommen.",
        "Nun die Satzung mit dieser Änderung, ich bitte um das Handzeichen.",
        "Damit ist der Haushalt in geänderte Versungen geschlossen.",
    )
    assert extract_result(lines) == (None, None)


def test_mehrheit_misheard_inside_a_compound() -> None:
    assert extract_result(sents("Das ist mit Großamirheit beschlossen."))[0] == (
        "mehrheitlich beschlossen"
    )


def test_questions_and_answers_alternate_when_the_question_marks_are_lost() -> None:
    lines = sents(
        "Wer ist für den Satzungsbeschluss? Ich bitte um das Handzeichen, Danke, Gegenprobe, "
        "das sind zwei Enthaltungen, keine, damit mehrheitlich beschlossen."
    )
    votes = extract_counts(lines).votes
    assert (votes.no, votes.abstain) == (2, 0)
    # a count with its own category stays with it
    assert extract_counts(sents("Das sind 10 Ja-Stimmen, 2 Gegenstimmen, keine Enthaltung.")
                          ).votes == Votes(10, 2, 0, None)  # fmt: skip


def test_an_item_asked_to_be_dropped_is_dropped() -> None:
    lines = sents(
        "Die Verwaltung bittet, Tagesordnungspunkt 6, Änderung der Hundesteuersatzung, "
        "abzusetzen, ich sehe keinen Widerspruch, dann ist der Punkt abgesetzt."
    )
    assert set(dropped_items(lines, ["5", "6"])) == {"6"}
