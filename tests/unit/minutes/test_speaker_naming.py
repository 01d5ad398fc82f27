"""Names proposed for speaker labels from call-ups, the chair's role and factions."""

from __future__ import annotations

import pytest

from protokoll.domain.agenda import Member
from protokoll.minutes.sentences import Sentence
from protokoll.minutes.speaker_names import propose_names


def member(name: str, role: str = "Ratsmitglied", faction: str = "", **kw: bool) -> Member:
    return Member(name=name, role=role, faction=faction, **kw)


MEMBERS = [
    member("Anna Berger", "Bürgermeisterin", chair=True),
    member("Thomas Keller", faction="SPD"),
    member("Jürgen Wolff", faction="CDU"),
    member("Sabine Roth", faction="Bündnis 90/Die Grünen"),
    member("Michael Hartmann", "Kämmerer", administration=True),
    member("Stefan Yilmaz", faction="SPD"),
    member("Peter Brandt", faction="FDP", absent=True),
]


def sents(*lines: tuple[str | None, str], step: float = 4.0) -> list[Sentence]:
    return [
        Sentence(i, i * step, i * step + step - 0.5, speaker, text)
        for i, (speaker, text) in enumerate(lines)
    ]


def named(sentences: list[Sentence], members: list[Member] = MEMBERS) -> dict[str, str]:
    return {p.label: p.name for p in propose_names(sentences, members)}


def test_chair_announces_items_and_call_ups_name_the_next_speaker() -> None:
    sentences = sents(
        ("S0", "Ich rufe Tagesordnungspunkt 1 auf."),
        ("S0", "Wir kommen zu Punkt 2, Herr Hartmann, bitte."),
        ("S2", "Die Schule ist alt."),
        ("S0", "Das Wort hat Frau Roth."),
        ("S3", "Wir unterstützen das."),
        ("S0", "Ich rufe Tagesordnungspunkt 3 auf."),
    )
    proposals = propose_names(sentences, MEMBERS)
    assert {p.label: p.name for p in proposals} == {
        "S0": "Bürgermeisterin Anna Berger",
        "S2": "Kämmerer Michael Hartmann",
        "S3": "Ratsmitglied Sabine Roth",
    }
    reasons = {p.label: p.reason for p in proposals}
    assert reasons["S0"] == "ruft die Tagesordnungspunkte auf"
    assert "Herr Hartmann, bitte" in reasons["S2"]
    assert "Das Wort hat Frau Roth" in reasons["S3"]


@pytest.mark.parametrize(
    "call_up",
    [
        "Herr Keller, bitte.",
        "Herr Keller bitte.",
        "Herr Keller, Sie haben das Wort.",
        "Bitte, Herr Keller.",
        "Bitte schön, Herr Keller.",
        "Das Wort hat Herr Keller.",
        "das Wort hat Herr Keller.",
        "Ich erteile Herrn Keller das Wort.",
        "Ich gebe das Wort an Herrn Keller.",
        "Herr Thomas Keller, bitte.",
        "Herr Dr. Keller, bitte.",
        "Herr Kelle, bitte.",  # recognition error in the name
    ],
)
def test_call_up_forms(call_up: str) -> None:
    sentences = sents(("S0", call_up), ("S1", "Danke, Frau Bürgermeisterin."))
    assert named(sentences)["S1"] == "Ratsmitglied Thomas Keller"


def test_call_up_by_role() -> None:
    sentences = sents(("S0", "Herr Kämmerer, bitte."), ("S2", "Die Kosten steigen."))
    assert named(sentences) == {"S2": "Kämmerer Michael Hartmann"}


def test_call_up_skips_the_callers_own_following_sentences() -> None:
    sentences = sents(
        ("S0", "Herr Hartmann, bitte."),
        ("S0", "Sie haben fünf Minuten."),
        ("S2", "Danke."),
    )
    assert named(sentences) == {"S2": "Kämmerer Michael Hartmann"}


def test_call_up_too_long_before_the_next_speaker_counts_nothing() -> None:
    sentences = [
        Sentence(0, 0.0, 2.0, "S0", "Herr Hartmann, bitte."),
        Sentence(1, 40.0, 42.0, "S2", "Danke."),
    ]
    assert named(sentences) == {}


def test_unknown_name_counts_nothing() -> None:
    sentences = sents(("S0", "Herr Schmidt, bitte."), ("S5", "Danke."))
    assert named(sentences) == {}


def test_faction_with_a_single_present_member() -> None:
    sentences = sents(
        ("S0", "Ich rufe Tagesordnungspunkt 1 auf."),
        ("S3", "Die Grünen-Fraktion unterstützt das."),
        ("S4", "Für die Fraktion Bündnis 90/Die Grünen sage ich ja."),
        ("S5", "Die CDU-Fraktion stimmt zu."),
    )
    got = named(sentences)
    assert got["S3"] == "Ratsmitglied Sabine Roth"
    # the same name is proposed once: the first label with the strongest evidence keeps it
    assert "S4" not in got
    assert got["S5"] == "Ratsmitglied Jürgen Wolff"
    reasons = {p.label: p.reason for p in propose_names(sentences, MEMBERS)}
    assert "einziges anwesendes Mitglied" in reasons["S3"]


def test_two_members_of_a_faction_give_no_proposal() -> None:
    sentences = sents(
        ("S1", "Von der SPD-Fraktion gibt es keine Einwände."),
        ("S1", "Die SPD-Fraktion unterstützt die Sanierung ausdrücklich."),
    )
    assert named(sentences) == {}


def test_faction_of_an_absent_member_is_no_evidence() -> None:
    # Brandt (FDP) is absent: his faction has no present member to propose
    sentences = sents(("S6", "Die FDP-Fraktion lehnt das ab."))
    assert named(sentences) == {}


def test_absent_members_are_never_proposed() -> None:
    sentences = sents(("S0", "Herr Brandt, bitte."), ("S6", "Danke."))
    assert named(sentences) == {}
    absent_chair = [member("Anna Berger", "Bürgermeisterin", chair=True, absent=True),
                    *MEMBERS[1:]]  # fmt: skip
    chair_only = sents(("S0", "Ich rufe Tagesordnungspunkt 1 auf."))
    assert named(chair_only, absent_chair) == {}


def test_two_members_with_the_same_surname_are_ambiguous() -> None:
    members = [*MEMBERS, member("Maria Keller", faction="CDU")]
    sentences = sents(("S0", "Frau Keller, bitte."), ("S1", "Danke."))
    assert named(sentences, members) == {}
    # the given name decides
    sentences = sents(("S0", "Frau Maria Keller, bitte."), ("S1", "Danke."))
    assert named(sentences, members) == {"S1": "Ratsmitglied Maria Keller"}
    sentences = sents(("S0", "Das Wort hat Herr Thomas Keller."), ("S1", "Danke."))
    assert named(sentences, members) == {"S1": "Ratsmitglied Thomas Keller"}


def test_conflicting_evidence_leaves_the_label_unnamed() -> None:
    sentences = sents(
        ("S0", "Herr Hartmann, bitte."),
        ("S2", "Die Kosten steigen."),
        ("S0", "Frau Roth, bitte."),
        ("S2", "Ich sehe das anders."),
    )
    assert named(sentences) == {}


def test_majority_of_evidence_names_the_label() -> None:
    sentences = sents(
        ("S0", "Herr Hartmann, bitte."),
        ("S2", "Die Kosten steigen."),
        ("S0", "Herr Hartmann, bitte noch einmal."),
        ("S2", "Also gut."),
        ("S0", "Frau Roth, bitte."),
        ("S2", "Ich ergänze."),
    )
    assert named(sentences)["S2"] == "Kämmerer Michael Hartmann"


def test_chair_not_proposed_when_two_labels_announce_equally() -> None:
    sentences = sents(
        ("S0", "Ich rufe Tagesordnungspunkt 1 auf."),
        ("S1", "Ich rufe Tagesordnungspunkt 2 auf."),
    )
    assert named(sentences) == {}


def test_chair_speaking_for_a_faction_is_not_named_by_it() -> None:
    sentences = sents(
        ("S0", "Ich rufe Tagesordnungspunkt 1 auf."),
        ("S0", "Die CDU-Fraktion hat das beantragt."),
    )
    assert named(sentences) == {"S0": "Bürgermeisterin Anna Berger"}


def test_sentences_without_speaker_are_ignored() -> None:
    sentences = sents((None, "Herr Hartmann, bitte."), (None, "Danke."), ("S2", "Ja."))
    assert named(sentences) == {}


def test_no_members_no_sentences() -> None:
    assert propose_names([], MEMBERS) == []
    assert propose_names(sents(("S0", "Herr Keller, bitte."), ("S1", "Ja.")), []) == []
