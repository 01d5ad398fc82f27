"""Vote counts, results, resolutions and motions from council phrasing."""

from __future__ import annotations

import pytest

from protokoll.domain.minutes import Votes
from protokoll.minutes.sentences import Sentence
from protokoll.minutes.votes import (
    check_votes,
    extract_counts,
    extract_motions,
    extract_resolution,
    extract_result,
)

CHAIR = "SPEAKER_00"


def sents(*lines: str | tuple[str, str], step: float = 3.0) -> list[Sentence]:
    out = []
    for i, line in enumerate(lines):
        speaker, text = (CHAIR, line) if isinstance(line, str) else line
        out.append(Sentence(i, i * step, i * step + step - 0.5, speaker, text))
    return out


def counts(*lines: str | tuple[str, str]) -> tuple[int | None, ...]:
    v = extract_counts(sents(*lines)).votes
    return v.yes, v.no, v.abstain, v.biased


def result(*lines: str | tuple[str, str]) -> str | None:
    return extract_result(sents(*lines))[0]


# ---- counts ----------------------------------------------------------------------------


def test_question_and_answer_over_sentences() -> None:
    assert counts("Das sind 14 Ja-Stimmen.", "Gegenstimmen?", "3.", "Enthaltungen?", "2.") == (
        14, 3, 2, None,
    )  # fmt: skip


def test_question_and_answer_in_one_sentence() -> None:
    assert counts("Das sind 14 Ja-Stimmen. Gegenstimmen? 3. Enthaltungen? 2.") == (14, 3, 2, None)


def test_evidence_is_the_sentences_with_counts() -> None:
    finding = extract_counts(
        sents(
            ("SPEAKER_01", "Wir finden das gut."),
            "Das sind 14 Ja-Stimmen.",
            "Gegenstimmen?",
            "3.",
        )
    )
    assert [e.text for e in finding.evidence] == ["Das sind 14 Ja-Stimmen.", "Gegenstimmen?", "3."]
    assert finding.evidence[0].speaker == CHAIR
    assert finding.evidence[0].start_s == 3.0


def test_one_zero_answers_all_open_questions() -> None:
    assert counts("Gegenstimmen? Enthaltungen? Keine.") == (None, 0, 0, None)
    assert counts("Gegenstimmen?", "Enthaltungen?", "Keine.") == (None, 0, 0, None)


def test_zero_does_not_answer_the_yes_question_when_others_follow() -> None:
    assert counts("Wer ist dafür?", "Gegenstimmen?", "Enthaltungen?", "Keine.") == (
        None, 0, 0, None,
    )  # fmt: skip


def test_nobody_for() -> None:
    assert counts("Wer ist dafür?", "Niemand.") == (0, None, None, None)


def test_das_ist_nicht_der_fall() -> None:
    line = "Wer stimmt dem Verkauf zu, Gegenstimmen, Enthaltungen, das ist nicht der Fall."
    assert counts(line) == (None, 0, 0, None)
    assert counts("Gegenstimmen? Das ist nicht der Fall.") == (None, 0, None, None)
    assert counts("Enthaltungen sehe ich keine.") == (None, None, 0, None)


def test_kein_before_the_category() -> None:
    assert counts(
        "Dann stelle ich fest, kein Gegenstimmen, keine Enthaltungen, einstimmig genehmigt."
    ) == (None, 0, 0, None)
    assert counts("Keine Gegenstimmen, keine Enthaltungen.") == (None, 0, 0, None)
    assert counts("Einstimmig ohne Gegenstimmen bei einer Enthaltung.") == (None, 0, 1, None)


def test_written_notation_with_colons() -> None:
    assert counts("dafür: 10, dagegen: 2, Enthaltung: 1") == (10, 2, 1, None)
    assert counts("Ja: 12, Nein: 0, Enthaltungen: 0, Befangen: 0") == (12, 0, 0, 0)


def test_by_faction_breakdown_is_not_a_count() -> None:
    assert counts("dafür: 10 (4 SPD, 3 CDU, 3 Grüne), dagegen: 2, Enthaltung: 1") == (
        10, 2, 1, None,
    )  # fmt: skip


def test_numbers_before_the_category() -> None:
    assert counts("Mit 10 Stimmen dafür und 2 dagegen bei 3 Enthaltungen angenommen.") == (
        10, 2, 3, None,
    )  # fmt: skip
    assert counts("Bei zwei Gegenstimmen und einer Enthaltung beschlossen.") == (None, 2, 1, None)


def test_no_punctuation_between_questions_and_answers() -> None:
    assert counts("Gegenstimmen 3 Enthaltungen 2") == (None, 3, 2, None)


def test_later_question_takes_an_unclear_answer() -> None:
    assert counts("Gegenstimmen? Enthaltungen? 2.") == (None, None, 2, None)


def test_answer_repeating_the_category() -> None:
    assert counts("Enthaltungen? Zwei Enthaltungen.") == (None, None, 2, None)


def test_biased_members() -> None:
    assert counts("Zwei Befangene haben den Saal verlassen.") == (None, None, None, 2)
    assert counts("Befangen: 1.") == (None, None, None, 1)
    # declared: the persons named, or the speaker ("ich"), each once
    assert counts("Herr Wolff ist befangen und verlässt den Tisch.") == (None, None, None, 1)
    assert counts("Ich erkläre mich für befangen.", "Wer ist dafür? 10.") == (10, None, None, 1)
    # mentioned, not declared: unknown rather than guessed
    assert counts("Die Befangenheit von Herrn Wolff wird geprüft.") == (None, None, None, None)
    assert counts("Ist jemand befangen?") == (None, None, None, None)


def test_whisper_garbling() -> None:
    assert counts(
        "Wäre stimmt dem Beschlussvorschlag zu, das sind 14-Jährstimmen, Gegenstimmen, drei, "
        "Enthaltungen, zwei, Damit ist der Beschluss mirheitlich gefasst."
    ) == (14, 3, 2, None)
    assert counts("Das sind 9 Ja Stimmen, 2 Gegenstimme.") == (9, 2, None, None)


def test_who_is_for_then_hands_then_count() -> None:
    assert counts(
        "Wer dafür ist, den bitte ich um das Handzeichen.", "Das sind 14.", "Wer ist dagegen?",
        "Drei.", "Enthaltungen?", "Zwei.",
    ) == (14, 3, 2, None)  # fmt: skip


@pytest.mark.parametrize(
    "line",
    [
        "Wer ist für Tempo 30?",
        "Gegenstimmen? Tempo 30 ist doch richtig.",
        "Die Gesamtkosten belaufen sich auf 1,8 Millionen Euro, dafür 2026 Baubeginn.",
        "Die SPD ist dafür, 3 Varianten zu prüfen.",
        "Dagegen stehen 2 Nachteile.",
        "In dem Betrag sind 60 Prozent Förderung enthalten.",
        "Die Vorlage enthält 3 Varianten.",
        "Die Photovoltaikanlage ist in der Planung enthalten, 85 Euro pro Quadratmeter.",
        "Die Erhaltungen kosten 3 Euro.",
        "Wer ist dafür? Das sind 1.200 Quadratmeter.",
        "Gegenstimmen? 60% wären gut.",
        "Enthaltungen? 19 Uhr ist spät.",
        "Dafür gibt es 2 Gründe.",
        "Ja, ein Streifen von 10 Metern bleibt bei der Gemeinde.",
        "Wir haben keine Einwände.",
    ],
)
def test_numbers_that_are_no_votes(line: str) -> None:
    assert counts(line) == (None, None, None, None)


def test_question_expires() -> None:
    assert counts(
        "Gegenstimmen?",
        ("SPEAKER_01", "Ich möchte noch etwas sagen."),
        ("SPEAKER_01", "Das ist mir wichtig."),
        ("SPEAKER_01", "Wirklich."),
        "3.",
    ) == (None, None, None, None)


def test_last_vote_of_an_item_counts() -> None:
    lines = (
        "Wir stimmen zuerst über den Änderungsantrag ab. Wer ist dafür? 5. Dagegen? 9.",
        "Damit ist der Änderungsantrag abgelehnt.",
        "Wer stimmt dem Beschlussvorschlag zu? 12. Gegenstimmen? 2. Enthaltungen? Keine.",
        "Damit ist das mehrheitlich beschlossen.",
    )
    finding = extract_counts(sents(*lines))
    assert (finding.votes.yes, finding.votes.no, finding.votes.abstain) == (12, 2, 0)
    assert [e.text for e in finding.evidence] == [lines[2]]


def test_nothing_said() -> None:
    finding = extract_counts(sents("Wir kommen zu Punkt 2.", ("SPEAKER_01", "Die Schule ist alt.")))
    assert finding.votes == Votes()
    assert not finding.votes.any_count()
    assert finding.evidence == []
    assert extract_counts([]).votes == Votes()


# ---- result ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Die Niederschrift ist einstimmig genehmigt.", "einstimmig beschlossen"),
        ("Damit ist das einstimmig beschlossen.", "einstimmig beschlossen"),
        ("Der Antrag ist einstimmig angenommen.", "einstimmig beschlossen"),
        ("Damit ist der Beschluss mirheitlich gefasst.", "mehrheitlich beschlossen"),
        ("Das ist mehrheitlich beschlossen.", "mehrheitlich beschlossen"),
        ("Mit großer Mehrheit angenommen.", "mehrheitlich beschlossen"),
        ("So beschlossen.", "beschlossen"),
        ("Der Antrag ist abgelehnt.", "abgelehnt"),
        ("Der Antrag ist mehrheitlich abgelehnt.", "abgelehnt"),
        ("Bei Stimmengleichheit ist der Antrag nicht angenommen.", "abgelehnt"),
        ("Der Punkt wird vertagt.", "vertagt"),
        ("Der Rat nimmt den Bericht zur Kenntnis.", "zur Kenntnis genommen"),
        ("Der Bericht wird zur Kenntnis genommen.", "zur Kenntnis genommen"),
        ("Die SPD hat ihren Antrag zurückgezogen.", "zurückgezogen"),
        ("Die Vorlage ist mit den Änderungen beschlossen.", "geändert beschlossen"),
        ("Damit in geänderter Fassung beschlossen.", "geändert beschlossen"),
    ],
)
def test_results(line: str, expected: str) -> None:
    found, evidence = extract_result(sents("Wer stimmt zu?", line))
    assert found == expected
    assert evidence is not None and evidence.text == line


def test_deferral_motion_accepted_in_one_sentence() -> None:
    line = (
        "Wir ist für die Vertagung, Gegenstimmen, Enthaltungen, Keine, der Antrag auf Vertagung "
        "ist einstimmig angenommen, der Tag die Sordnungspunkt wird vertagt."
    )
    assert result(("SPEAKER_03", "Wir antragen Vertagung."), line) == "vertagt"
    assert result("Der Antrag auf Vertagung ist einstimmig angenommen.") == "vertagt"


def test_deferral_vote_then_plain_acceptance() -> None:
    assert (
        result("Wer ist für die Vertagung?", "Der Antrag ist einstimmig angenommen.") == "vertagt"
    )


def test_deferral_confirmed_by_so_beschlossen() -> None:
    assert result("Der Punkt wird vertagt.", "Das ist so beschlossen.") == "vertagt"


def test_deferral_rejected_then_decided() -> None:
    assert (
        result(
            ("SPEAKER_03", "Wir beantragen Vertagung."),
            "Wer ist für die Vertagung? 3. Dagegen? 10.",
            "Damit ist die Vertagung abgelehnt.",
            "Wer stimmt dem Beschlussvorschlag zu? Gegenstimmen? Keine.",
            "Damit ist das einstimmig beschlossen.",
        )
        == "einstimmig beschlossen"
    )
    assert (
        result("Wer ist für die Vertagung?", "Das ist abgelehnt.", "Damit einstimmig beschlossen.")
        == "einstimmig beschlossen"
    )


def test_motion_for_deferral_alone_is_no_result() -> None:
    assert result(("SPEAKER_03", "Wir beantragen Vertagung.")) is None
    assert result(("SPEAKER_01", "Ich bin gegen eine Vertagung.")) is None


def test_question_is_no_result() -> None:
    assert result("Ist das so angenommen?") is None


def test_last_result_wins() -> None:
    assert (
        result(
            ("SPEAKER_01", "Im Ausschuss wurde das einstimmig empfohlen und beschlossen."),
            "Damit ist der Antrag abgelehnt.",
        )
        == "abgelehnt"
    )


def test_withdrawn_amendment_then_vote() -> None:
    assert (
        result(
            ("SPEAKER_01", "Wir haben unseren Änderungsantrag zurückgezogen."),
            ("SPEAKER_02", "Die Verwaltung erläutert die Vorlage."),
            ("SPEAKER_02", "Die Kosten sind gedeckt."),
            "Wer stimmt zu? Alle. Damit einstimmig beschlossen.",
        )
        == "einstimmig beschlossen"
    )


def test_no_result() -> None:
    assert extract_result(sents(("SPEAKER_01", "Die Schule ist alt."))) == (None, None)
    assert extract_result([]) == (None, None)


# ---- resolution ------------------------------------------------------------------------


def test_resolution_read_out() -> None:
    text, evidence = extract_resolution(
        sents(
            ("SPEAKER_02", "Die Schule ist alt."),
            "Der Rat beschließt die Sanierung der Grundschule am Lindenweg.",
            "Wer stimmt zu?",
        )
    )
    assert text == "Der Rat beschließt die Sanierung der Grundschule am Lindenweg."
    assert evidence is not None and evidence.start_s == 3.0 and evidence.speaker == CHAIR


@pytest.mark.parametrize(
    "line",
    [
        "Der Ausschuss beschließt den Verkauf der Teilfläche.",
        "Der Bauausschuss beschließt den Verkauf der Teilfläche.",
        "Der Haupt- und Finanzausschuss beschließt den Verkauf der Teilfläche.",
        "Der Rat der Gemeinde Lindenau beschließt den Verkauf der Teilfläche.",
        "Die Gemeindevertretung beschließt den Verkauf der Teilfläche.",
        "Der Rat beschliesst den Verkauf der Teilfläche.",
    ],
)
def test_resolution_bodies(line: str) -> None:
    assert extract_resolution(sents(line))[0] == line


def test_resolution_after_a_lead_in() -> None:
    text, _ = extract_resolution(
        sents("Ich lese den Beschlussvorschlag vor: Der Rat beschließt die Sanierung.")
    )
    assert text == "Der Rat beschließt die Sanierung."


def test_resolution_goes_on_over_following_sentences() -> None:
    text, evidence = extract_resolution(
        sents(
            "Der Rat beschließt die Sanierung der Grundschule.",
            "Die Verwaltung wird beauftragt, die Fördermittel zu beantragen.",
            "Wer stimmt dem zu?",
        )
    )
    assert text == (
        "Der Rat beschließt die Sanierung der Grundschule. "
        "Die Verwaltung wird beauftragt, die Fördermittel zu beantragen."
    )
    assert evidence is not None and evidence.end_s == 5.5


def test_mention_in_debate_is_no_resolution() -> None:
    assert extract_resolution(
        sents(("SPEAKER_01", "Wenn der Rat heute beschließt, wird es teuer."))
    ) == (None, None)
    assert extract_resolution(sents("Der Rat möge beschließen, Tempo 30 einzuführen.")) == (
        None, None,
    )  # fmt: skip


# ---- motions ---------------------------------------------------------------------------


def test_motions_but_not_the_vote_on_them() -> None:
    lines = sents(
        ("SPEAKER_01", "Wir beantragen deshalb Tempo 30."),
        ("SPEAKER_01", "Wir antragen Vertagung, bis das Verkehrsgutachten vorliegt."),
        ("SPEAKER_03", "Ich stelle den Antrag auf Schluss der Debatte."),
        ("SPEAKER_03", "Namens der CDU-Fraktion beantrage ich namentliche Abstimmung."),
        ("SPEAKER_04", "Die FDP-Fraktion beantragt, die Mittel zu kürzen."),
        "Wer ist für den Antrag auf Vertagung?",
        "Der Antrag auf Vertagung ist einstimmig angenommen.",
        ("SPEAKER_02", "Die Verwaltung hat Fördermittel beantragt, dafür gibt es Geld."),
        ("SPEAKER_02", "Der Antrag der SPD liegt vor."),
    )
    found = [m.text for m in extract_motions(lines)]
    assert found == [lines[i].text for i in range(5)]
    assert extract_motions(lines)[0].speaker == "SPEAKER_01"


# ---- checks ----------------------------------------------------------------------------


def kinds(result_: str | None, votes: Votes) -> list[str]:
    return [f.kind for f in check_votes(result_, votes)]


def test_check_complete_votes() -> None:
    assert kinds("mehrheitlich beschlossen", Votes(14, 3, 2)) == []
    assert kinds("einstimmig beschlossen", Votes(12, 0, 0)) == []


def test_check_missing_counts_are_listed() -> None:
    flags = check_votes("einstimmig beschlossen", Votes(None, 0, None))
    assert [f.kind for f in flags] == ["stimmen_nicht_genannt"]
    assert "Zahlen der Ja-Stimmen und der Enthaltungen nicht genannt" in flags[0].message
    assert "Nein" not in flags[0].message.split(".")[0]
    assert kinds("abgelehnt", Votes()) == ["stimmen_nicht_genannt"]


@pytest.mark.parametrize(
    "no_vote", ["vertagt", "zurückgezogen", "zur Kenntnis genommen", "ohne Beschluss"]
)
def test_check_no_counts_needed_without_a_vote(no_vote: str) -> None:
    assert kinds(no_vote, Votes()) == []


def test_check_contradictions() -> None:
    assert kinds("einstimmig beschlossen", Votes(10, 2, 0)) == ["widerspruch"]
    assert kinds("mehrheitlich beschlossen", Votes(5, 5, 0)) == ["widerspruch"]
    assert kinds("mehrheitlich beschlossen", Votes(3, 9, 0)) == ["widerspruch"]
    assert kinds("beschlossen", Votes(3, 9, 0)) == ["widerspruch"]
    assert kinds("abgelehnt", Votes(9, 3, 0)) == ["widerspruch"]
    assert kinds("abgelehnt", Votes(3, 9, 0)) == []
    message = check_votes("mehrheitlich beschlossen", Votes(5, 7, 1))[0].message
    assert "Ja 5" in message and "Nein 7" in message


def test_check_no_result() -> None:
    assert kinds(None, Votes()) == ["ergebnis_nicht_erkannt"]
    assert kinds(None, Votes(10, 0, 0)) == ["ergebnis_nicht_erkannt"]


@pytest.mark.parametrize(
    "line",
    [
        "Das müssen wir bestimmen, 3 Punkte sind offen.",
        "Wir werden zustimmen. 10.",
        "Die Stimmen: 4.",
        "Darüber abstimmen: 5.",
        "Die Einhaltung der Frist: 3.",
    ],
)
def test_ordinary_words_are_no_keywords(line: str) -> None:
    assert counts(line) == (None, None, None, None)


def test_score_notation() -> None:
    assert counts("Der Antrag ist mit 12 zu 3 Stimmen angenommen.") == (12, 3, None, None)
    assert counts("Mit zwölf zu drei Stimmen abgelehnt.") == (12, 3, None, None)


def test_more_answers() -> None:
    assert counts("Gegenstimmen? Keine. Enthaltungen? Eine.") == (None, 0, 1, None)
    assert counts("Wer ist dagegen? Zwei Gegenstimmen.") == (None, 2, None, None)
    assert counts("Wer enthält sich? Zwei.") == (None, None, 2, None)
    assert counts("Wer enthält sich der Stimme? Niemand.") == (None, None, 0, None)
    assert counts("Ich sehe keine Gegenstimmen und keine Enthaltungen.") == (None, 0, 0, None)
    assert counts(
        "Wer ist dafür? Das sind zwölf. Wer ist dagegen? Keiner. Enthaltungen? Auch keine."
    ) == (12, 0, 0, None)
    assert counts("Wer stimmt zu? Das ist die Mehrheit. Gegenstimmen? 3.") == (None, 3, None, None)
    assert counts("Die Fraktion enthält sich.") == (None, None, None, None)


def test_counts_not_said_are_named_in_words() -> None:
    """Issue #17: "Im Mitschnitt nicht genannt: Ja." was cryptic."""
    [flag] = check_votes("beschlossen", Votes(no=0, abstain=1))
    assert flag.message.startswith("In der Aufnahme wurde die Zahl der Ja-Stimmen nicht genannt.")
    [flag] = check_votes("abgelehnt", Votes())
    assert flag.message.startswith(
        "In der Aufnahme wurden die Zahlen der Ja-Stimmen, Nein-Stimmen und der Enthaltungen "
        "nicht genannt."
    )
