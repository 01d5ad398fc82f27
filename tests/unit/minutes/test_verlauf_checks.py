"""What a Schriftführer never writes in a Verlauf, flagged on the sentence: direct speech,
raw speaker labels, years that cannot be right; and resolution texts that contradict the
result."""

from __future__ import annotations

import pytest

from protokoll.domain.minutes import SummarySentence, Votes
from protokoll.minutes.faithfulness import check_summary, style_flags
from protokoll.minutes.votes import check_resolution


def kinds(text: str, year: int | None = 2026) -> list[str]:
    return [f.kind for f in style_flags(text, session_year=year)]


@pytest.mark.parametrize(
    "text",
    [
        "Herr Berger: Wir stimmen dem Antrag zu.",
        "Sprecher 4: Das sehen wir anders.",
        "Ich beantrage die Vertagung.",
        "Die SPD-Fraktion sagt, wir haben keine Einwände.",
    ],
)
def test_direct_speech_is_flagged(text: str) -> None:
    assert "direkte_rede" in kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "Herr Berger erklärte, die Fraktion stimme dem Antrag zu.",
        "Die Verwaltung stellte den Entwurf „Wir für Lindenau“ vor.",
        "Frau Roth fragte nach den Kosten; der Kämmerer nannte 1,8 Mio. €.",
    ],
)
def test_indirect_speech_passes(text: str) -> None:
    assert kinds(text) == []


def test_a_raw_speaker_label_is_flagged() -> None:
    assert kinds("SPEAKER_02 erläuterte den Antrag.") == ["sprecherkennung_roh"]


def test_implausible_years_are_flagged() -> None:
    assert kinds("Die Sanierung soll bis 2062 abgeschlossen sein.") == ["jahr_unplausibel"]
    assert kinds("Der Anbau soll 2016 fertig werden.") == ["jahr_unplausibel"]
    assert kinds("Die Schule wurde 1985 gebaut.") == []
    assert kinds("Die Sanierung soll bis 2028 abgeschlossen sein.") == []
    assert kinds("Die Sanierung soll bis 2062 abgeschlossen sein.", year=None) == []


def test_a_past_year_counts_as_future_only_in_a_clause_about_the_future() -> None:
    # the sample's misrecognised "2027" in a sentence about the building works
    assert kinds("Der Baubeginn sei in den Sommerferien 2007, fertig sei man 2028.") == [
        "jahr_unplausibel"
    ]
    # history in the same sentence as plans is no finding
    assert kinds("Die Schule stamme aus dem Jahr 1972 und müsse erneuert werden.") == []
    assert kinds("Die Halle wurde 1972 gebaut, sie wird 2027 saniert.") == []
    assert kinds("Seit 2019 werde der Platz als Parkplatz genutzt.") == []


def test_check_summary_adds_the_style_flags() -> None:
    sentence = SummarySentence("Ich beantrage die Vertagung.")
    check_summary([sentence], "Ich beantrage die Vertagung.", session_year=2026)
    assert [f.kind for f in sentence.flags] == ["direkte_rede"]


def test_a_resolution_text_contradicting_the_result_is_flagged() -> None:
    text = "Der Rat beschließt die Sanierung, ohne Abstimmung, ohne Wortbeiträge."
    [flag] = check_resolution("einstimmig beschlossen", text, Votes(None, 0, 0))
    assert flag.kind == "beschluss_widerspruch"
    assert "ohne Abstimmung" in flag.message and "einstimmig beschlossen" in flag.message
    assert check_resolution("beschlossen", "Der Antrag wird abgelehnt.", Votes()) != []
    assert check_resolution("mehrheitlich beschlossen", "Einstimmig beschlossen.", Votes()) != []
    assert check_resolution("beschlossen", "Der Rat beschließt die Sanierung.", Votes()) == []
    assert check_resolution("vertagt", "Die Beratung wird vertagt.", Votes()) == []
