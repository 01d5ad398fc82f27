"""An item's result, start and counts where the recogniser lost or changed the words that
decide them (#16): "vertagen" heard as the real word "vertragen"; a vote on the matter
followed, after more debate, by the next item's "vertagt" because that item's call was
not heard; an item with a one-word title called with a misheard agenda word; "zur
Kenntnis" heard as "zu erkennen"; "Gegenprobe" heard as "gegen Probe", whose answer was
taken as the yes count; an item for questions in which nothing was voted on ("ohne
Beschluss" by the kind of item). Each case is written in wording of our own and fails on the
rules before it; the cases where nothing may change (results that rightly follow each
other, the real words "vertragen" and "erkennen") guard the other side."""

from __future__ import annotations

import pytest

from protokoll.minutes.votes import extract_result, fix_misheard, result_conflict
from tests.support.sentences import sents


def test_a_deferral_heard_as_vertragen_is_vertagt() -> None:
    own = sents(
        ("SPEAKER_02", "Ich beantrage, die Beratung bis zur Verkehrsschau zu vertragen."),
        "Wer dafür ist, den Antrag zu vertragen, den bitte ich um das Handzeichen.",
        "Das ist die Mehrheit. Der Antrag von Herrn Wolf ist angenommen.",
    )
    assert extract_result(own)[0] == "vertagt"


@pytest.mark.parametrize(
    ("heard", "read"),
    [
        ("Wir stimmen über die Vertragung ab.", "Wir stimmen über die Vertagung ab."),
        ("Der Punkt wird damit vertragt.", "Der Punkt wird damit vertagt."),
        ("Den Punkt schlage ich vor zu vertragen.", "Den Punkt schlage ich vor zu vertagen."),
        # the real word stays where nothing is put off
        ("Die Fraktionen werden sich schon vertragen.", None),
        ("Ihr vertragt euch ja sonst auch.", None),
    ],
)
def test_vertragen_is_read_as_vertagen_only_where_something_is_put_off(
    heard: str, read: str | None
) -> None:
    assert fix_misheard(heard) == (read or heard)


def test_a_vote_then_debate_then_vertagt_gives_no_result_but_a_flag() -> None:
    own = sents(
        "Wer dem Beschlussvorschlag zustimmt, den bitte ich um das Handzeichen.",
        "Zehn Ja-Stimmen, drei Gegenstimmen. Damit ist der Auftrag mehrheitlich vergeben.",
        ("SPEAKER_05", "Die Unterlagen zur Friedhofssatzung kamen erst gestern."),
        ("SPEAKER_05", "Wir bitten, darüber im nächsten Monat zu beraten."),
        "Ich sehe keinen Widerspruch. Dann ist der Punkt vertagt.",
    )
    assert extract_result(own) == (None, None)
    flag = result_conflict(own)
    assert flag is not None and flag.kind == "ergebnis_widerspruechlich"
    assert flag.start_s == own[1].start_s and flag.end_s == own[4].end_s
    assert "mehrheitlich vergeben" in flag.message and "vertagt" in flag.message


@pytest.mark.parametrize(
    ("lines", "result"),
    [
        # the consequence, said by the chair right after the vote on deferral
        (
            [
                ("SPEAKER_03", "Ich beantrage, den Punkt zu vertagen."),
                "Wer stimmt dem Antrag von Frau Kaya zu? Das ist die Mehrheit.",
                "Damit ist der Punkt vertagt.",
            ],
            "vertagt",
        ),
        # an amendment adopted, then more debate, then the item deferred
        (
            [
                "Wer stimmt dem Änderungsantrag der SPD zu? Das ist einstimmig angenommen.",
                ("SPEAKER_04", "Die geänderte Fassung müssen wir in der Fraktion besprechen."),
                "Dann wird der Punkt auf Wunsch der CDU vertagt.",
            ],
            "vertagt",
        ),
        # a deferral confirmed by a vote
        (["Der Punkt wird vertagt. Das ist so beschlossen."], "vertagt"),
        # a vote on the matter and nothing after it
        (
            [
                ("SPEAKER_02", "Wir unterstützen die Vorlage."),
                "Wer ist dafür? Das ist einstimmig beschlossen.",
            ],
            "einstimmig beschlossen",
        ),
    ],
)
def test_results_that_follow_each_other_rightly_are_kept(
    lines: list[str | tuple[str, str]], result: str
) -> None:
    own = sents(*lines)
    assert extract_result(own)[0] == result
    assert result_conflict(own) is None


def test_a_one_word_title_called_with_a_misheard_agenda_word_starts_its_item() -> None:
    from protokoll.domain.agenda import AgendaItem
    from protokoll.minutes.segmentation import find_boundaries

    items = [
        AgendaItem(number="1", title="Einwohnerfragestunde"),
        AgendaItem(number="2", title="Bericht zur Sanierung der Sporthalle am Lindenweg"),
    ]
    lines = sents(
        "Guten Abend, ich eröffne die Sitzung und stelle die Beschlussfähigkeit fest.",
        "Tagisordnung stumpft eins, Einwohnerfragestunde, Herr Brandt hat sich gemeldet.",
        ("SPEAKER_03", "Wann wird der Gehweg in der Mühlenstraße wieder freigegeben?"),
        "Ich rufe Tagesordnungspunkt 2 auf, den Bericht zur Sanierung der Sporthalle.",
    )
    spans = {s.number: s for s in find_boundaries(lines, items).spans}
    assert spans["1"].start_s == lines[1].start_s
    assert spans["2"].start_s == lines[3].start_s


@pytest.mark.parametrize(
    ("said", "result"),
    [
        ("Der Ortsrat nimmt die Mitteilungen der Verwaltung zu erkennen.", "zur Kenntnis genommen"),
        # not without a body taking note
        ("Man nimmt an, dass eine Besserung zu erkennen ist.", None),
    ],
)
def test_taking_note_heard_as_zu_erkennen(said: str, result: str | None) -> None:
    assert extract_result(sents(said))[0] == result


def test_gegenprobe_heard_as_two_words_is_still_the_question_for_no() -> None:
    from protokoll.minutes.votes import extract_counts

    own = sents(
        "Wer stimmt der Vorlage zu? Ich bitte um das Handzeichen.",
        "Danke, gegen Probe, das sind drei Enthaltungen, keine, damit mehrheitlich beschlossen.",
    )
    votes = extract_counts(own).votes
    assert (votes.yes, votes.no, votes.abstain) == (None, 3, 0)


def test_a_decision_reported_in_debate_is_no_vote_before_a_withdrawal() -> None:
    own = sents(
        ("SPEAKER_04", "Inzwischen hat der Kreistag ein Sozialticket für alle beschlossen."),
        ("SPEAKER_03", "Damit ist das Anliegen doch erledigt."),
        ("SPEAKER_04", "Das sehen wir auch so, wir ziehen unseren Antrag deshalb zurück."),
        "Danke, der Antrag ist zurückgezogen, eine Abstimmung entfällt.",
    )
    assert extract_result(own)[0] == "zurückgezogen"
    assert result_conflict(own) is None


@pytest.mark.parametrize(
    ("title", "lines", "found"),
    [
        (
            "Verschiedenes und Anfragen aus dem Ortsrat",
            ["Frau Jansen, bitte.", ("SPEAKER_02", "Wann wird die Ampel repariert?")],
            True,
        ),
        ("Einwohnerfragestunde", [("SPEAKER_05", "Wer mäht den Spielplatz?")], True),
        # a report is taken note of, not a question item
        ("Mitteilungen der Verwaltung", ["Die Kita öffnet im Mai."], False),
        # a question item in which a vote is taken is left to the rules
        (
            "Anfrage der CDU-Fraktion zum Winterdienst",
            ["Wer ist für eine Prüfung durch die Verwaltung? Das ist einstimmig."],
            False,
        ),
    ],
)
def test_a_question_item_without_a_vote_takes_no_decision(
    title: str, lines: list[str | tuple[str, str]], found: bool
) -> None:
    from protokoll.minutes.votes import question_item_without_vote

    own = sents(*lines)
    evidence = question_item_without_vote(title, own)
    assert (evidence is not None) == found
    if evidence is not None:
        assert evidence.start_s == own[0].start_s
