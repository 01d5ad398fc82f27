"""Numbers, dates and names in AI text must occur in the item's transcript."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from protokoll.domain.minutes import Flag, SummarySentence
from protokoll.minutes.faithfulness import check_sentence, check_summary, number_values

TRANSCRIPT = (
    "Wir kommen zu Punkt 2, Sanierung der Grundschule am Lindenweg, Herr Hartmann, bitte. "
    "Die Schule stammt aus dem Jahr 1972, die Gesamtkosten belaufen sich auf 1,8 Millionen Euro. "
    "Das Land übernimmt davon 60% aus dem Schulbauförderprogramm. "
    "Mit der Vorlage schlagen wir vor, 1.200 Quadratmeter zu verkaufen, zu 85 Euro. "
    "Baubeginn ist im Juli 2027. Das sind vierzehn Ja-Stimmen, Gegenstimmen drei, eine "
    "Enthaltung. Die Niederschrift vom 15. Oktober 2026 ist genehmigt."
)
MEMBERS = ["Anna Berger", "Thomas Keller", "Michael Hartmann", "Sabine Roth",
           "Hans-Peter Müller-Lüdenscheidt"]  # fmt: skip


def flags(
    text: str,
    transcript: str = TRANSCRIPT,
    speaker_names: Sequence[str] = (),
    reference_text: str = "",
) -> list[Flag]:
    return check_sentence(
        SummarySentence(text), transcript, MEMBERS, speaker_names, reference_text=reference_text
    )


def kinds(
    text: str,
    transcript: str = TRANSCRIPT,
    speaker_names: Sequence[str] = (),
    reference_text: str = "",
) -> list[tuple[str, str | None]]:
    return [(f.kind, f.text) for f in flags(text, transcript, speaker_names, reference_text)]


def test_number_values() -> None:
    values = number_values(TRANSCRIPT)
    assert {2.0, 1972.0, 1.8, 60.0, 1200.0, 85.0, 2027.0, 14.0, 3.0, 15.0, 2026.0} <= values
    assert 1_800_000.0 in values  # "1,8 Millionen"
    assert 1.0 in values  # "eine Enthaltung" is a count
    assert 0.0 not in values
    assert number_values("eine Frage und ein Antrag") == set()
    assert number_values("keine Gegenstimmen") == {0.0}
    assert number_values("um 19.30 Uhr") == {19.0, 30.0}
    assert number_values("2,5 Mio. Euro") == {2.5, 2_500_000.0}


def test_said_numbers_pass() -> None:
    text = (
        "Kämmerer Hartmann erläuterte, die Gesamtkosten von 1,8 Millionen Euro würden zu 60 % "
        "vom Land getragen; die Schule stamme aus dem Jahr 1972."
    )
    assert kinds(text) == []


def test_invented_amount_is_flagged() -> None:
    assert kinds("Die Sanierung kostet 2,5 Millionen Euro.") == [("zahl_unbelegt", "2,5")]


def test_numbers_said_as_words_match_digits() -> None:
    assert kinds("Beschlossen mit 14 Ja-Stimmen, 3 Gegenstimmen und 1 Enthaltung.") == []
    assert kinds("Beschlossen mit 15 Ja-Stimmen.", "vierzehn Ja-Stimmen") == [
        ("zahl_unbelegt", "15")
    ]


def test_number_words_in_the_summary_are_checked() -> None:
    assert kinds("Es gab drei Gegenstimmen.") == []
    assert kinds("Es gab vier Gegenstimmen.") == [("zahl_unbelegt", "vier")]
    # articles and words like "Acht" are no claims
    assert kinds("Eine Frage blieb offen, keine Einwände, man ließ das außer Acht.") == []


def test_thousands_dots_and_decimal_commas() -> None:
    assert kinds("Verkauft werden 1.200 Quadratmeter zu 85 Euro.") == []
    assert kinds("Verkauft werden 1200 Quadratmeter.") == []
    assert kinds("Verkauft werden 1.300 Quadratmeter.") == [("zahl_unbelegt", "1.300")]
    assert kinds("Die Kosten: 1,80 Millionen Euro.") == []
    assert kinds("Die Kosten: 1,9 Millionen Euro.") == [("zahl_unbelegt", "1,9")]


def test_scaled_amounts() -> None:
    assert kinds("Die Kosten betragen 1.800.000 Euro.") == []
    assert kinds("Die Kosten betragen 1,8 Mio. Euro.") == []
    assert kinds("Die Kosten betragen 1800 Tausend Euro.") == []
    assert kinds("Die Kosten betragen 2.000.000 Euro.") == [("zahl_unbelegt", "2.000.000")]


def test_month_names() -> None:
    assert kinds("Baubeginn ist im Juli 2027.") == []
    assert kinds("Baubeginn ist im August 2027.") == [("datum_unbelegt", "August")]
    assert kinds("Die Niederschrift vom 15. Oktober 2026 wurde genehmigt.") == []


def test_numeric_dates() -> None:
    assert kinds("Die Niederschrift vom 15.10.2026 wurde genehmigt.") == []
    assert kinds("Baubeginn ist am 1.7.2027.", "Baubeginn am 1. Juli 2027") == []
    assert kinds("Die Niederschrift vom 16.10.2026 wurde genehmigt.") == [
        ("datum_unbelegt", "16.10.2026")
    ]
    assert kinds("Die Niederschrift vom 15.11.2026 wurde genehmigt.") == [
        ("datum_unbelegt", "15.11.2026")
    ]


def test_member_names_not_in_the_transcript_are_flagged() -> None:
    assert kinds("Herr Hartmann erläuterte die Kosten.") == []
    assert kinds("Frau Roth fragte nach dem Zeitplan.") == [("name_unbelegt", "Roth")]
    assert kinds("Ratsmitglied Keller unterstützte die Vorlage.") == [("name_unbelegt", "Keller")]


def test_titled_unknown_names_are_flagged() -> None:
    assert kinds("Herr Schmidt vom Kreis war dagegen.") == [("name_unbelegt", "Schmidt")]
    assert kinds("Herr Dr. Schmidt war dagegen.") == [("name_unbelegt", "Schmidt")]
    # a role after "Frau" is no name
    assert kinds("Frau Bürgermeisterin dankte.", "Danke schön.") == []


def test_full_name_of_a_member_whose_surname_was_said() -> None:
    assert kinds("Kämmerer Michael Hartmann erläuterte die Kosten.") == []


def test_hyphenated_names() -> None:
    said = "Herr Müller-Lüdenscheidt, bitte. Ich danke."
    assert kinds("Herr Müller-Lüdenscheidt dankte.", said) == []
    assert kinds("Herr Müller-Lüdenscheidt dankte.", "Herr Müller, bitte.") == [
        ("name_unbelegt", "Müller-Lüdenscheidt")
    ]


def test_speakers_names_are_allowed() -> None:
    text = "Bürgermeisterin Anna Berger stellte die Beschlussfähigkeit fest."
    assert kinds(text, "Ich stelle die Beschlussfähigkeit fest.") == [
        ("name_unbelegt", "Anna"),
        ("name_unbelegt", "Berger"),
    ]
    assert (
        kinds(
            text,
            "Ich stelle die Beschlussfähigkeit fest.",
            speaker_names=["Bürgermeisterin Anna Berger"],
        )
        == []
    )


def test_reference_text_allows_the_paper_number() -> None:
    text = "Zur Vorlage 2026/045 erläuterte Herr Hartmann die Kosten."
    assert ("zahl_unbelegt", "45") in kinds(text) or ("zahl_unbelegt", "045") in kinds(text)
    heading = "TOP 2: Sanierung der Grundschule am Lindenweg (Vorlage 2026/045)"
    assert kinds(text, reference_text=heading) == []


def test_flag_message_is_german_and_names_the_value() -> None:
    [flag] = flags("Die Sanierung kostet 2,5 Millionen Euro.")
    assert flag.kind == "zahl_unbelegt"
    assert "„2,5“" in flag.message and "Transkript" in flag.message


def test_check_summary_attaches_flags_in_place() -> None:
    sentences = [
        SummarySentence("Die Kosten betragen 1,8 Millionen Euro."),
        SummarySentence("Die Kosten betragen 2,5 Millionen Euro."),
        SummarySentence("Frau Roth war dagegen.", flags=[Flag("vorher", "schon da")]),
    ]
    check_summary(sentences, TRANSCRIPT, MEMBERS, ["Kämmerer Michael Hartmann"])
    assert [[f.kind for f in s.flags] for s in sentences] == [
        [],
        ["zahl_unbelegt"],
        ["vorher", "name_unbelegt"],
    ]


@pytest.mark.parametrize("text", ["", "Die Vorlage wurde beraten."])
def test_nothing_to_check(text: str) -> None:
    assert kinds(text, "") == []


def test_times() -> None:
    said = "Ich schließe die Sitzung um 19 Uhr 30. Wir haben um 18 Uhr begonnen."
    assert kinds("Die Sitzung endete um 19:30 Uhr.", said) == []
    assert kinds("Die Sitzung endete um 19.30 Uhr.", said) == []
    assert kinds("Die Sitzung begann um 18:00 Uhr.", said) == []
    assert kinds("Die Sitzung endete um 20:00 Uhr.", said) == [("zahl_unbelegt", "20:00")]
    assert kinds("Die Sitzung endete um 19:45 Uhr.", said) == [("zahl_unbelegt", "19:45")]


def test_speaker_label_number_is_not_a_claim() -> None:
    sentence = SummarySentence("Sprecher 4 erklärte, die Straße sei wichtig.")
    assert check_sentence(sentence, "Die Hauptstraße ist wichtig für Feuerwehr.") == []
